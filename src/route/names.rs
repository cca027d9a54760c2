//! The set-up's names (workstreams, queues, groups, skills): events name them, decisions print them.
//!
//! A scenario without `[[workstream]]` is one workstream `default`, one queue `default` and one group `agents`
//! (the names `chatcap check` and the CONTRACT use), with no skills.

use super::ids::write_json_str;
use crate::routing::{GroupId, QueueId, SkillId, WorkstreamId};
use crate::scenario::PolicySpec;

/// One kind of name: each name's index and its JSON text.
#[derive(Debug, Clone, Default)]
pub struct NameList {
    names: Vec<String>,
    json: Vec<Box<str>>,
}

impl NameList {
    /// The list of `names`, index `i` being id `i`.
    pub fn new(names: Vec<String>) -> NameList {
        let json = names
            .iter()
            .map(|n| {
                let mut out = Vec::new();
                write_json_str(n, &mut out);
                String::from_utf8(out).expect("JSON text is UTF-8").into()
            })
            .collect();
        NameList { names, json }
    }

    /// The index of a name.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The name of an index (or `#i` if there is none).
    pub fn name(&self, i: usize) -> String {
        self.names.get(i).cloned().unwrap_or_else(|| format!("#{i}"))
    }

    /// Writes the name of index `i` as JSON.
    pub fn write(&self, i: usize, out: &mut Vec<u8>) {
        out.extend_from_slice(self.json[i].as_bytes());
    }

    /// Every name, for messages.
    pub fn all(&self) -> String {
        if self.names.is_empty() { "none".into() } else { self.names.join(", ") }
    }
}

/// Every name of a set-up.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Workstreams, by [`WorkstreamId`].
    pub workstreams: NameList,
    /// Queues, by [`QueueId`].
    pub queues: NameList,
    /// Agent groups, by [`GroupId`].
    pub groups: NameList,
    /// Skills, by [`SkillId`].
    pub skills: NameList,
}

impl Names {
    /// The names of a policy's routing set-up.
    pub fn of(policy: &PolicySpec) -> Names {
        let Some(spec) = policy.setup() else {
            return Names {
                workstreams: NameList::new(vec!["default".into()]),
                queues: NameList::new(vec!["default".into()]),
                groups: NameList::new(vec!["agents".into()]),
                skills: NameList::default(),
            };
        };
        Names {
            workstreams: NameList::new(spec.workstreams.iter().map(|w| w.name.clone()).collect()),
            queues: NameList::new(spec.queues.iter().map(|q| q.name.clone()).collect()),
            groups: NameList::new(spec.groups.iter().map(|g| g.name.clone()).collect()),
            skills: NameList::new(spec.skills.clone()),
        }
    }

    /// A workstream by name.
    pub fn workstream(&self, name: &str) -> Result<WorkstreamId, String> {
        self.workstreams
            .find(name)
            .map(|i| WorkstreamId(i as u16))
            .ok_or_else(|| format!("unknown workstream {name:?} (workstreams: {})", self.workstreams.all()))
    }

    /// A queue by name.
    pub fn queue(&self, name: &str) -> Result<QueueId, String> {
        self.queues
            .find(name)
            .map(|i| QueueId(i as u16))
            .ok_or_else(|| format!("unknown queue {name:?} (queues: {})", self.queues.all()))
    }

    /// A group by name.
    pub fn group(&self, name: &str) -> Result<GroupId, String> {
        self.groups
            .find(name)
            .map(|i| GroupId(i as u16))
            .ok_or_else(|| format!("unknown group {name:?} (groups: {})", self.groups.all()))
    }

    /// A skill by name.
    pub fn skill(&self, name: &str) -> Result<SkillId, String> {
        self.skills
            .find(name)
            .map(|i| SkillId(i as u8))
            .ok_or_else(|| format!("unknown skill {name:?} (skills: {})", self.skills.all()))
    }
}
