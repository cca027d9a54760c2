//! Loading routing set-ups: a full example to its model, each rule's error, policies' `set`, `--set` by name.

use super::*;
use crate::Error;
use crate::routing::{
    AssignmentMethod, Millis, OverflowAction, OverflowCondition, OverflowRule, QueueId, SkillId, SkillMatch, WrapUpHold,
};
use std::path::PathBuf;

/// A live and a persistent workstream on one team, two queues, two groups with skills, overflow, offers, and
/// two policies with `set`.
const SETUP: &str = r#"name = "two-channels"
duration = "7d"

[hours]
mon = "08:00-20:00"
tue = "08:00-20:00"

[arrivals]
rate = 60

[agents]
capacity = 2
reply = { dist = "constant", value = "40s" }
wrap_up = { dist = "constant", value = "30s" }
wrap_up_holds_capacity = false

[[agents.group]]
name = "generalists"
count = 12
capacity = 3
queues = ["general", "backup"]
skills = { french = 3 }

[[agents.group]]
name = "specialists"
shifts = [ { days = "mon-fri", start = "08:00", end = "16:00", count = 4 } ]
queues = ["backup"]
skills = { french = 5, billing = 2 }

[[workstream]]
name = "chat-live"
mode = "live"
end_after_idle = "5m"
share = 0.7
queue = "general"
skills = { french = 0.2 }

[[workstream]]
name = "chat-persistent"
mode = "persistent"
park_after_idle = "15m"
share = 0.3
queue = "general"
units = 2
skills = { billing = 0.1 }
wrap_up_holds_capacity = "45s"

[[workstream]]
name = "email"
mode = "persistent"
arrivals = { rate = 5 }
queue = "backup"
wrap_up_holds_capacity = "always"

[[queue]]
name = "general"
priority = 1
assignment = "least_active"
skill_match = "closest"
overflow = [
  { when = "out_of_hours", action = "assign_anyway" },
  { when = "more_waiting_than", value = 50, action = "transfer", to = "backup" },
  { when = "waited_longer_than", value = "10m", action = "end" },
]

[[queue]]
name = "backup"
priority = 2
hours = { sat = "10:00-16:00" }

[offers]
countdown = "90s"
accept = { dist = "constant", value = "15s" }
decline = 0.05
decline_limit = 2

[[policy]]
name = "70-30"

[[policy]]
name = "30-70"
set = { "workstream.chat-live.share" = 0.3, "workstream.chat-persistent.share" = 0.7, "queue.backup.priority" = 0 }
"#;

fn file() -> PathBuf {
    PathBuf::from("scenarios/test.toml")
}

fn load_text(text: &str, sets: &[&str]) -> crate::Result<Scenario> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load_str(text, &file(), &sets)
}

fn setup(s: &Scenario, policy: usize) -> &RoutingSpec {
    s.policies[policy].setup().expect("a set-up")
}

#[test]
fn the_full_example_loads_to_its_model() {
    let s = load_text(SETUP, &[]).unwrap();
    let names: Vec<&str> = s.policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["70-30", "30-70"]);
    let spec = setup(&s, 0);
    assert_eq!(spec.skills, ["french", "billing"]);
    let (french, billing) = (SkillId(0), SkillId(1));

    let w: Vec<&WorkstreamSpec> = spec.workstreams.iter().collect();
    assert_eq!(w.len(), 3);
    assert_eq!(w[0].name, "chat-live");
    assert_eq!(w[0].mode, ModeSpec::Live { end_after_idle: Millis::from_mins(5) });
    assert!(matches!(w[0].entry, Entry::Share(x) if x == 0.7));
    assert_eq!((w[0].queue, w[0].units), (QueueId(0), 1));
    assert_eq!(w[0].skills, vec![(french, 0.2)]);
    assert_eq!(w[0].wrap_up, WrapUpHold::Never, "[agents] wrap_up_holds_capacity = false is the default");
    assert_eq!(
        w[1].mode,
        ModeSpec::Persistent {
            park_after_idle: Millis::from_mins(15),
            same_agent: true,
            same_agent_wait: Millis::HOUR,
            auto_close_after: Millis(7 * Millis::DAY.0)
        }
    );
    assert!(matches!(w[1].entry, Entry::Share(x) if x == 0.3));
    assert_eq!((w[1].queue, w[1].units), (QueueId(0), 2));
    assert_eq!(w[1].skills, vec![(billing, 0.1)]);
    assert_eq!(w[1].wrap_up, WrapUpHold::For(Millis::from_secs(45)));
    let Entry::Own(Arrivals::Rate { per_hour, .. }) = &w[2].entry else { panic!("own arrivals expected") };
    assert_eq!(*per_hour, 5.0);
    assert_eq!((w[2].queue, w[2].wrap_up), (QueueId(1), WrapUpHold::Always));
    assert!(w[2].skills.is_empty());

    let q = &spec.queues;
    assert_eq!(q.len(), 2);
    assert_eq!((q[0].name.as_str(), q[0].priority, q[0].assignment), ("general", 1, AssignmentMethod::LeastActive));
    assert_eq!(q[0].skill_match, SkillMatch::Closest);
    assert_eq!(q[0].hours, s.hours, "no hours key means the scenario's [hours]");
    assert_eq!(
        q[0].overflow,
        vec![
            OverflowRule { when: OverflowCondition::OutOfHours, action: OverflowAction::AssignAnyway },
            OverflowRule { when: OverflowCondition::MoreWaitingThan(50), action: OverflowAction::Transfer(QueueId(1)) },
            OverflowRule {
                when: OverflowCondition::WaitedLongerThan(Millis::from_mins(10)),
                action: OverflowAction::End
            },
        ]
    );
    assert_eq!((q[1].name.as_str(), q[1].priority, q[1].assignment), ("backup", 2, AssignmentMethod::HighestCapacity));
    assert_eq!(q[1].skill_match, SkillMatch::Exact);
    // Its own hours: Saturday 10:00-16:00 only (2024-01-01 is a Monday).
    assert!(!q[1].hours.is_open(Millis::from_hours(9)));
    assert!(q[1].hours.is_open(Millis::from_hours(5 * 24 + 11)));
    assert!(q[1].overflow.is_empty());

    let g = &spec.groups;
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].name, "generalists");
    assert_eq!(g[0].agents.staffing, Staffing::count(12));
    assert_eq!(g[0].agents.capacity, 3, "the group's own capacity");
    assert_eq!(g[0].agents.reply.mean(), Millis::from_secs(40), "reply from [agents]");
    assert!(!g[0].agents.wrap_up_holds_capacity);
    assert_eq!(g[0].queues, vec![QueueId(0), QueueId(1)]);
    assert_eq!(g[0].skills, vec![(french, 3)]);
    assert_eq!(g[1].name, "specialists");
    assert_eq!(g[1].agents.staffing.max_scheduled(), 4);
    assert_eq!(g[1].agents.capacity, 2, "capacity from [agents]");
    assert_eq!(g[1].queues, vec![QueueId(1)]);
    assert_eq!(g[1].skills, vec![(french, 5), (billing, 2)]);
    assert_eq!(s.agents.staffing, Staffing::count(12), "the scenario's agents are the first group's");

    let o = spec.offers.as_ref().expect("offers");
    assert_eq!(
        (o.countdown, o.accept.mean(), o.decline, o.decline_limit),
        (Millis::from_secs(90), Millis::from_secs(15), 0.05, 2)
    );

    // The second policy is the file with its set applied; the rest is unchanged.
    let other = setup(&s, 1);
    assert!(matches!(other.workstreams[0].entry, Entry::Share(x) if x == 0.3));
    assert!(matches!(other.workstreams[1].entry, Entry::Share(x) if x == 0.7));
    assert_eq!((other.queues[1].priority, other.queues[0].priority), (0, 1));
    assert_eq!(format!("{:?}", other.groups), format!("{:?}", spec.groups));
    assert!(s.policies.iter().all(|p| !p.is_live() && p.single().is_none()));
}

#[test]
fn defaults_of_a_set_up() {
    let text = r#"name = "t"
duration = "1d"
[arrivals]
rate = 10
[agents]
count = 3
reply = { dist = "constant", value = "1m" }
[[workstream]]
name = "chat"
mode = "live"
share = 1
queue = "q"
[[queue]]
name = "q"
"#;
    let s = load_text(text, &[]).unwrap();
    assert_eq!(s.policies.len(), 1);
    assert_eq!(s.policies[0].name, "base");
    assert!(s.policies[0].is_live());
    let spec = setup(&s, 0);
    let w = &spec.workstreams[0];
    assert_eq!((w.units, w.wrap_up, w.skills.is_empty()), (1, WrapUpHold::Always, true));
    let q = &spec.queues[0];
    assert_eq!((q.priority, q.assignment, q.skill_match), (1, AssignmentMethod::HighestCapacity, SkillMatch::Exact));
    assert!(q.overflow.is_empty() && q.hours.is_always_open());
    assert_eq!(spec.groups.len(), 1);
    assert_eq!((spec.groups[0].name.as_str(), &spec.groups[0].queues), ("agents", &vec![QueueId(0)]));
    assert_eq!(spec.groups[0].agents.staffing, Staffing::count(3));
    assert!(spec.offers.is_none() && spec.skills.is_empty());
    let offers = load_text(&format!("{text}[offers]\n"), &[]).unwrap();
    let o = setup(&offers, 0).offers.clone().unwrap();
    assert_eq!(
        (o.countdown, o.accept.mean(), o.decline, o.decline_limit),
        (Millis::from_mins(2), Millis::ZERO, 0.0, 3)
    );
}

#[test]
fn today_s_scenarios_keep_their_meaning() {
    // Without [[workstream]], every policy is a single-queue policy, as before (tests/pinned_scenarios.rs pins
    // the shipped scenarios' results); the shipped set-up scenarios (blended-team, skills-overflow) are skipped.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut loaded = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let with_setup = std::fs::read_to_string(&path).is_ok_and(|t| t.contains("[[workstream]]"));
        if path.extension().is_some_and(|e| e == "toml") && !with_setup {
            let s = load(&path, &[]).unwrap();
            assert!(s.policies.iter().all(|p| p.single().is_some() && p.setup().is_none()), "{}", path.display());
            loaded += 1;
        }
    }
    assert!(loaded >= 4, "{loaded} scenarios");
    // And no [[policy]] is still an error there.
    let text = SETUP[..SETUP.find("[[agents.group]]").unwrap()].replace("[agents]", "[agents]\ncount = 4");
    let msg = load_text(&text, &[]).unwrap_err().to_string();
    assert!(msg.contains(": policy: is required"), "{msg}");
}

#[test]
fn a_policy_set_key_that_is_unknown_names_the_policy_line_and_key() {
    let line = SETUP.lines().position(|l| l.starts_with("set = ")).unwrap() + 1;
    let cases = [
        ("\"workstream.chat-live.share\" = 0.3", "workstream.chat-live.shar", "unknown key"),
        (
            "\"workstream.chat-live.share\" = 0.3",
            "workstream.chat-lve.share",
            "workstreams: chat-live, chat-persistent, email",
        ),
        ("\"queue.backup.priority\" = 0", "queue.nobody.priority", "queues: general, backup"),
        ("\"queue.backup.priority\" = 0", "customer.think.mean", "routing set-up only"),
    ];
    for (from, to, what) in cases {
        let text = SETUP.replace(from, &format!("\"{to}\" = 0"));
        let msg = load_text(&text, &[]).unwrap_err().to_string();
        assert!(
            msg.starts_with(&format!("scenarios/test.toml:{line}:")) && msg.contains(to) && msg.contains(what),
            "{to}: {msg}"
        );
        assert!(msg.contains("30-70"), "names the policy: {msg}");
    }
    // A set that breaks a rule is checked like the file: shares no longer summing to 1.
    let text =
        SETUP.replace("\"workstream.chat-persistent.share\" = 0.7", "\"workstream.chat-persistent.share\" = 0.6");
    let msg = load_text(&text, &[]).unwrap_err().to_string();
    assert!(msg.contains("sum to 1") && msg.contains("policy 30-70"), "{msg}");
    // Nested tables are steps of the path.
    let text = SETUP.replace("\"queue.backup.priority\" = 0", "queue = { backup = { priority = 7 } }");
    assert_eq!(setup(&load_text(&text, &[]).unwrap(), 1).queues[1].priority, 7);
}

#[test]
fn set_and_vary_address_workstreams_queues_and_groups_by_name() {
    let s = load_text(
        SETUP,
        &[
            "workstream.email.units=3",
            "queue.general.priority=4",
            "agents.group.generalists.count=9",
            "offers.decline=0.5",
            "workstream.email.arrivals.rate=8",
        ],
    )
    .unwrap();
    for p in 0..2 {
        let spec = setup(&s, p);
        assert_eq!(spec.workstreams[2].units, 3);
        assert_eq!(spec.queues[0].priority, 4);
        assert_eq!(spec.groups[0].agents.staffing, Staffing::count(9));
        assert_eq!(spec.offers.as_ref().unwrap().decline, 0.5);
        assert!(matches!(&spec.workstreams[2].entry, Entry::Own(Arrivals::Rate { per_hour, .. }) if *per_hour == 8.0));
    }
    // Own arrivals replace a workstream's share (the other shares must then sum to 1 again).
    let msg = load_text(SETUP, &["workstream.chat-persistent.arrivals.rate=4"]).unwrap_err().to_string();
    assert!(msg.contains("sum to 1") && msg.contains("chat-live 0.7"), "{msg}");
    let s = load_text(SETUP, &["workstream.chat-persistent.arrivals.rate=4", "workstream.chat-live.share=1"]);
    assert!(
        matches!(&setup(&s.unwrap(), 0).workstreams[1].entry, Entry::Own(Arrivals::Rate { per_hour, .. }) if *per_hour == 4.0)
    );
    // A share replaces a workstream's own arrivals (and the shares must then sum to 1 again).
    let msg = load_text(SETUP, &["workstream.email.share=0.1"]).unwrap_err().to_string();
    assert!(msg.contains("sum to 1"), "{msg}");
    for (set, known) in [
        ("workstream.mail.units=2", "workstreams: chat-live, chat-persistent, email"),
        ("queue.gen.priority=2", "queues: general, backup"),
        ("agents.group.all.count=2", "agents.groups: generalists, specialists"),
    ] {
        let msg = load_text(SETUP, &[set]).unwrap_err().to_string();
        assert!(msg.contains(&format!("--set {set}")) && msg.contains(known), "{msg}");
    }
    // As in [agents], a count never silently replaces a group's shifts.
    let msg = load_text(SETUP, &["agents.group.specialists.count=2"]).unwrap_err().to_string();
    assert!(msg.contains("agents.group.specialists.scale"), "{msg}");
    // A schedule replaces a group's count.
    let msg = load_text(SETUP, &["agents.group.generalists.schedule=nowhere.csv"]).unwrap_err().to_string();
    assert!(msg.contains("agents.group.generalists.schedule") && msg.contains("cannot read"), "{msg}");
}

/// Broken set-ups: (what is changed, marker of the expected line or `:N:`, key named, words of the message).
#[test]
fn broken_set_ups_name_file_line_and_key() {
    let cases: Vec<(String, &str, &str, &str)> = vec![
        (SETUP.replace("queue = \"backup\"\nwrap", "queue = \"nowhere\"\nwrap"), "@\"nowhere\"", "workstream.email.queue", "queues: general, backup"),
        (SETUP.replace("queues = [\"backup\"]", "queues = [\"backupp\"]"), "@backupp", "agents.group.specialists.queues", "no [[queue]]"),
        (SETUP.replace("queues = [\"backup\"]", "queues = []"), "@queues = []", "agents.group.specialists.queues", "at least one"),
        (SETUP.replace("share = 0.3", "share = 0.2"), "@[[workstream]]", "workstream.share", "sum to 1"),
        (SETUP.replace("share = 0.7", "share = 1.7"), "@share = 1.7", "workstream.chat-live.share", "from 0 to 1"),
        (SETUP.replace("arrivals = { rate = 5 }", "arrivals = { rate = 5 }\nshare = 0"), "@arrivals = { rate = 5 }", "workstream.email.arrivals", "not both"),
        (SETUP.replace("arrivals = { rate = 5 }", ""), "@[[workstream]]\nname = \"email\"", "workstream.email.share", "is required"),
        (SETUP.replace("[arrivals]\nrate = 60\n", ""), ":1:", "arrivals", "is required"),
        (SETUP.replace("units = 2", "units = 0"), "@units = 0", "workstream.chat-persistent.units", ">= 1"),
        (SETUP.replace("units = 2", "units = 1001"), "@units = 1001", "workstream.chat-persistent.units", "at most 1000"),
        (SETUP.replace("{ french = 0.2 }", "{ french = 0.7, billing = 0.4 }"), "@french = 0.7", "workstream.chat-live.skills", "above 1"),
        (SETUP.replace("\"45s\"", "\"sometimes\""), "@sometimes", "workstream.chat-persistent.wrap_up_holds_capacity", "\"always\", \"never\""),
        (SETUP.replace("park_after_idle = \"15m\"", "end_after_idle = \"15m\""), "@end_after_idle = \"15m\"", "workstream.chat-persistent.end_after_idle", "live workstreams"),
        (SETUP.replace("mode = \"live\"", "mode = \"chat\""), "@\"chat\"", "workstream.chat-live.mode", "live, persistent"),
        (SETUP.replace("name = \"email\"", "name = \"chat-live\""), "@name = \"chat-live\"\nmode = \"persistent\"\narr", "workstream.chat-live.name", "unique"),
        (SETUP.replace("priority = 2", "priority = 1001"), "@priority = 1001", "queue.backup.priority", "at most 1000"),
        (SETUP.replace("hours = { sat", "hours = { saturday"), "@saturday", "queue.backup.hours.saturday", "unknown key"),
        (SETUP.replace("hours = { sat = \"10:00-16:00\" }", "hours = \"weekdays\""), "@weekdays", "queue.backup.hours", "\"default\""),
        (SETUP.replace("skill_match = \"closest\"", "skill_match = \"best\""), "@best", "queue.general.skill_match", "exact, closest"),
        (SETUP.replace(", to = \"backup\" }", " }"), "@more_waiting_than", "queue.general.overflow[2].to", "is required"),
        (SETUP.replace("to = \"backup\"", "to = \"general\""), "@more_waiting_than", "queue.general.overflow[2].to", "itself"),
        (SETUP.replace("to = \"backup\"", "to = \"spare\""), "@more_waiting_than", "queue.general.overflow[2].to", "queues: general, backup"),
        (SETUP.replace("value = \"10m\", action = \"end\"", "value = \"10m\", action = \"assign_anyway\""), "@waited_longer_than", "queue.general.overflow[3].action", "before a conversation queues"),
        (SETUP.replace("value = \"10m\", action = \"end\"", "value = \"10m\", action = \"end\", to = \"backup\""), "@waited_longer_than", "queue.general.overflow[3].to", "only a transfer"),
        (SETUP.replace("{ when = \"out_of_hours\", action", "{ when = \"out_of_hours\", value = 3, action"), "@out_of_hours", "queue.general.overflow[1].value", "no value"),
        (SETUP.replace("value = 50", "value = -1"), "@value = -1", "queue.general.overflow[2].value", ">= 0"),
        (SETUP.replace("value = 50", "value = \"50\""), "@value = \"50\"", "queue.general.overflow[2].value", "whole number"),
        (SETUP.replace("value = \"10m\"", "value = 10"), "@value = 10,", "queue.general.overflow[3].value", "duration"),
        (SETUP.replace("when = \"waited_longer_than\"", "when = \"later\""), "@later", "queue.general.overflow[3].when", "out_of_hours"),
        (SETUP.replace("action = \"end\" }", "action = \"drop\" }"), "@drop", "queue.general.overflow[3].action", "end, transfer, assign_anyway"),
        (
            SETUP.replace("hours = { sat = \"10:00-16:00\" }", "hours = { sat = \"10:00-16:00\" }\noverflow = [{ when = \"waited_longer_than\", value = \"1h\", action = \"transfer\", to = \"general\" }]"),
            "@to = \"general\"",
            "queue.backup.overflow[1].to",
            "loop (general -> backup -> general)",
        ),
        (SETUP.replace("[agents]\n", "[agents]\ncount = 5\n"), "@count = 5", "agents.count", "move count into each [[agents.group]]"),
        (SETUP.replace("[agents]\n", "[agents]\nschedule = \"s.csv\"\n"), "@schedule = \"s.csv\"", "agents.schedule", "move schedule"),
        (SETUP.replace("count = 12\n", ""), "@[[agents.group]]\nname = \"generalists\"", "agents.group.generalists.count", "is required"),
        (SETUP.replace("capacity = 3\n", "capacity = 0\n"), "@capacity = 0", "agents.group.generalists.capacity", ">= 1"),
        (SETUP.replace("[agents]\ncapacity = 2", "[agents]\ncapacity = 0"), "@capacity = 0", "agents.capacity", ">= 1"),
        (SETUP.replace("[agents]\ncapacity = 2", "[agents]\nshrinkage = 1"), "@shrinkage = 1", "agents.shrinkage", "below 1"),
        (SETUP.replace("reply = { dist = \"constant\", value = \"40s\" }\n", ""), "@[[agents.group]]\nname = \"generalists\"", "agents.group.generalists.reply", "is required"),
        (SETUP.replace("french = 3", "french = 6"), "@french = 6", "agents.group.generalists.skills.french", "at most 5"),
        (SETUP.replace("queues = [\"general\", \"backup\"]", "queues = [\"backup\"]"), "@name = \"general\"\npriority", "queue.general", "no [[agents.group]] serves"),
        (SETUP.replace("countdown = \"90s\"", "countdown = \"0s\""), "@countdown", "offers.countdown", "positive"),
        (SETUP.replace("decline = 0.05", "decline = 1.5"), "@decline = 1.5", "offers.decline", "from 0 to 1"),
        (SETUP.replace("decline_limit = 2", "decline_limit = 0"), "@decline_limit", "offers.decline_limit", ">= 1"),
        (SETUP.replace("decline_limit = 2", "decline_limit = 2\nlimit = 2"), "@limit = 2\n\n", "offers.limit", "unknown key"),
        (SETUP.replace("name = \"70-30\"", "name = \"70-30\"\nmode = \"live\""), "@mode = \"live\"\n\n", "policy.70-30.mode", "belong to each [[workstream]]"),
        (SETUP.replace("name = \"70-30\"", "name = \"30-70\""), "@name = \"30-70\"\nset", "policy.30-70.name", "unique"),
        (SETUP.replace("name = \"backup\"\npriority", "name = \"back up\"\npriority"), "@back up", "queue[2].name", "not a usable name"),
    ];
    let mut failures = Vec::new();
    for (text, place, key, words) in &cases {
        let place = match place.strip_prefix('@') {
            Some(marker) => match text.find(marker) {
                Some(at) => format!(":{}:", text[..at].matches('\n').count() + 1),
                None => {
                    failures.push(format!("no {marker:?} in the case for {key}"));
                    continue;
                }
            },
            None => place.to_string(),
        };
        match load_text(text, &[]) {
            Ok(_) => failures.push(format!("should fail: {key}")),
            Err(e @ (Error::Input(_) | Error::Scenario(_))) => {
                let msg = e.to_string();
                let ok = msg.starts_with("scenarios/test.toml") && msg.contains(&place) && msg.contains(key);
                if !(ok && msg.contains(words) && !msg.contains('\n')) {
                    failures.push(format!("expected {place} {key:?} {words:?} in: {msg}"));
                }
            }
            Err(other) => failures.push(format!("not an input error: {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn set_up_tables_without_workstreams_are_refused() {
    let base = "name = \"t\"\nduration = \"1d\"\n[arrivals]\nrate = 1\n[agents]\ncount = 1\nreply = { dist = \"constant\", \
                value = \"1m\" }\n";
    let policy = "[[policy]]\nname = \"p\"\nmode = \"live\"\n";
    let cases = [
        (format!("{base}{policy}[[queue]]\nname = \"q\"\n"), "queue", "[[queue]]"),
        (format!("{base}[[agents.group]]\nname = \"g\"\n{policy}"), "agents.group", "[[agents.group]]"),
        (format!("{base}{policy}[offers]\n"), "offers", "[offers]"),
        (format!("{base}{policy}set = {{ \"queue.q.priority\" = 2 }}\n"), "policy.p.set", "needs [[workstream]]"),
    ];
    for (text, key, words) in cases {
        let msg = load_text(&text, &[]).unwrap_err().to_string();
        assert!(msg.contains(&format!(": {key}: ")) && msg.contains(words) && msg.contains("[[workstream]]"), "{msg}");
    }
}

#[test]
fn a_skill_no_group_of_the_queue_has_is_a_warning_under_exact_matching() {
    // chat-live needs french 20% and chat-persistent billing 10% in queue general, which only generalists
    // (french) serve: billing is never served when general matches exactly.
    let exact = load_text(&SETUP.replace("skill_match = \"closest\"", "skill_match = \"exact\""), &[]).unwrap();
    let warnings = exact.setup_warnings();
    assert_eq!(warnings.len(), 1, "the same warning of both policies is said once: {warnings:?}");
    assert!(
        warnings[0]
            .starts_with("every policy: workstream chat-persistent: 10% of its conversations need skill billing"),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("never be served"), "{}", warnings[0]);
    let closest = load_text(SETUP, &[]).unwrap();
    assert!(closest.setup_warnings().is_empty());
    let served = load_text(
        &SETUP
            .replace("skill_match = \"closest\"", "skill_match = \"exact\"")
            .replace("french = 3", "french = 3, billing = 1"),
        &[],
    );
    assert!(served.unwrap().setup_warnings().is_empty());
}

#[test]
fn the_simulator_runs_a_set_up_and_accounts_for_every_conversation_by_part() {
    let s = load_text(SETUP, &[]).unwrap();
    let options = crate::sim::run::RunOptions { jobs: 1, ..Default::default() };
    let runs = crate::sim::run::simulate(&s, &options).unwrap();
    for p in &runs {
        for r in &p.replications {
            let b = r.breakdown.as_ref().expect("a set-up is measured by part");
            let total = r.measured.conversations;
            assert!(total > 0);
            // Every conversation belongs to exactly one workstream.
            assert_eq!(b.workstreams.iter().map(|w| w.measured.conversations).sum::<u64>(), total);
            // A queue counts what was routed to it: arrivals there, plus transfers in.
            let routed: u64 = b.queues.iter().map(|q| q.measured.conversations).sum();
            let transfers: u64 = b.queues.iter().map(|q| q.counts.transferred_in).sum();
            assert_eq!(routed, total + transfers);
            for part in b.workstreams.iter().chain(&b.queues) {
                crate::metrics::summary::conservation(&part.measured).unwrap();
            }
        }
    }
}

#[test]
fn check_describes_the_set_up() {
    let s = load_text(SETUP, &[]).unwrap();
    let text = s.describe().join("\n");
    for words in [
        "Set-up of policy 70-30:",
        "workstream chat-live: 70.0% of the arrivals, live, ends after 5m of silence, to queue general",
        "workstream email: its own 5 an hour, persistent",
        "queue general: priority 1, least_active assignment, closest skill match",
        "more than 50 waiting: transfer to backup",
        "group specialists: up to 4 agents, capacity 2 each, serving backup, skills french 5, billing 2",
        "offers: countdown 1m30s, accept 15s, decline 5%, not offered again after 2 declines",
        "Set-up of policy 30-70:",
        "workstream chat-live: 30.0% of the arrivals",
    ] {
        assert!(text.contains(words), "{words:?} not in:\n{text}");
    }
}

#[test]
fn the_work_estimate_counts_workstreams_own_arrivals() {
    let s = load_text(&SETUP.replace("[hours]\nmon = \"08:00-20:00\"\ntue = \"08:00-20:00\"\n", ""), &[]).unwrap();
    let e = crate::commands::Estimate::of(&s);
    // 60 an hour shared plus 5 an hour by email, for 7 days.
    assert!((e.per_run - 65.0 * 24.0 * 7.0).abs() < 1e-6, "{e:?}");
}

#[test]
fn the_sweep_digest_follows_set_up_keys() {
    let digest = |sets: &[&str]| crate::sweep::digest::scenario_digest(&load_text(SETUP, sets).unwrap());
    assert_ne!(digest(&[]), digest(&["queue.general.priority=3"]));
    assert_ne!(digest(&[]), digest(&["agents.group.generalists.skills.french=4"]));
    assert_ne!(digest(&[]), digest(&["offers.decline_limit=5"]));
    assert_eq!(digest(&[]), digest(&[]));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn on_a_damaged_set_up(cut in 0..SETUP.len(), len in 0..40usize, insert in "[ -~\n]{0,12}") {
            let end = (cut + len).min(SETUP.len());
            if SETUP.is_char_boundary(cut) && SETUP.is_char_boundary(end) {
                let text = format!("{}{}{}", &SETUP[..cut], insert, &SETUP[end..]);
                let _ = load_text(&text, &[]);
            }
        }

        #[test]
        fn on_any_set_up_override(key in "(workstream|queue|agents.group|offers)[a-z_.-]{0,20}", value in "[ -~]{0,20}") {
            let set = format!("{key}={value}");
            let _ = load_text(SETUP, &[set.as_str()]);
        }
    }
}
