//! The caller's conversation and agent ids (strings or numbers) and the router's ids for them.
//!
//! A numeric conversation id below 2^63 is the router's [`ConversationId`] itself, so the busiest path needs no
//! look-up; a string id gets a number from 2^63 up, kept while the conversation is open and forgotten when it
//! ends (a real router runs for ever). The router keeps a table of agents by id, so only small agent numbers
//! are its ids as they are; other agent ids get the next id above those at their first sign-in and keep it.

use crate::routing::{AgentId, ConversationId, MAX_AGENT_ID};
use rustc_hash::FxHashMap;
use serde::de::{self, Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// The first router id given to a string conversation id; numeric ids must be below it.
pub const FIRST_TEXT_ID: u64 = 1 << 63;

/// An id as the caller wrote it in an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerId<'a> {
    /// A whole number.
    Number(u64),
    /// A string.
    Text(Cow<'a, str>),
}

impl fmt::Display for CallerId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallerId::Number(n) => write!(f, "{n}"),
            CallerId::Text(s) => write!(f, "{s:?}"),
        }
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for CallerId<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CallerId<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a whole number from 0")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
                Ok(CallerId::Number(n))
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(CallerId::Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(CallerId::Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(CallerId::Text(Cow::Owned(s)))
            }
        }
        d.deserialize_any(V)
    }
}

/// Conversation ids: the caller's to the router's and back.
#[derive(Debug, Default)]
pub struct Conversations {
    by_text: FxHashMap<Box<str>, u64>,
    text_of: FxHashMap<u64, Box<str>>,
    next: u64,
}

impl Conversations {
    /// The router's id of a conversation the caller names, if it is known (numbers always are).
    pub fn get(&self, id: &CallerId) -> Result<ConversationId, String> {
        match id {
            CallerId::Number(n) if *n < FIRST_TEXT_ID => Ok(ConversationId(*n)),
            CallerId::Number(n) => Err(format!("conversation {n}: numeric ids must be below 2^63 (or be strings)")),
            CallerId::Text(s) => {
                self.by_text.get(s.as_ref()).map(|&n| ConversationId(n)).ok_or(format!("unknown conversation {id}"))
            }
        }
    }

    /// The router's id for a conversation arriving now: its number, the id it already has, or a new one.
    pub fn get_or_add(&mut self, id: &CallerId) -> Result<ConversationId, String> {
        if let CallerId::Text(s) = id
            && !self.by_text.contains_key(s.as_ref())
        {
            let n = FIRST_TEXT_ID + self.next;
            self.next += 1;
            self.by_text.insert(s.as_ref().into(), n);
            self.text_of.insert(n, s.as_ref().into());
        }
        self.get(id)
    }

    /// Forgets the conversation (it ended); a numeric id has nothing to forget.
    pub fn forget(&mut self, id: ConversationId) {
        if let Some(text) = self.text_of.remove(&id.0) {
            self.by_text.remove(&text);
        }
    }

    /// Writes the caller's id as JSON.
    pub fn write(&self, id: ConversationId, out: &mut Vec<u8>) {
        match self.text_of.get(&id.0) {
            Some(text) => write_json_str(text, out),
            None => out.extend_from_slice(itoa(id.0, &mut [0; 20])),
        }
    }

    /// The caller's id, for messages.
    pub fn name(&self, id: ConversationId) -> String {
        match self.text_of.get(&id.0) {
            Some(text) => format!("conversation {text:?}"),
            None => format!("conversation {}", id.0),
        }
    }
}

/// Agent numbers below this are the router's ids themselves; other ids get router ids from here up.
pub const DIRECT_AGENT_IDS: u32 = 1 << 16;

/// Agent ids: the caller's to the router's and back. A number below [`DIRECT_AGENT_IDS`] is the router's id
/// itself (so a recording replays with the same agents, in the same order); a string or a larger number gets
/// the next router id from [`DIRECT_AGENT_IDS`] up, so the two kinds never meet and the router's table (one
/// entry per id up to the largest) stays small.
#[derive(Debug, Default)]
pub struct Agents {
    by_text: FxHashMap<Box<str>, u32>,
    by_large: FxHashMap<u64, u32>,
    /// The caller's id of each router id below [`DIRECT_AGENT_IDS`] signed in so far, as JSON.
    direct: Vec<Option<Box<str>>>,
    /// The caller's id of each router id from [`DIRECT_AGENT_IDS`] up, in order, as JSON.
    mapped: Vec<Box<str>>,
}

impl Agents {
    /// The router's id of an agent the caller names, if it has ever signed in.
    pub fn get(&self, id: &CallerId) -> Result<AgentId, String> {
        let found = match id {
            CallerId::Number(n) if *n < u64::from(DIRECT_AGENT_IDS) => {
                Some(*n as u32).filter(|&n| self.direct.get(n as usize).is_some_and(Option::is_some))
            }
            CallerId::Number(n) => self.by_large.get(n).copied(),
            CallerId::Text(s) => self.by_text.get(s.as_ref()).copied(),
        };
        found.map(AgentId).ok_or(format!("unknown agent {id} (an agent's first event is signed_in)"))
    }

    /// The router's id of an agent signing in: the one it had, or a new one.
    pub fn get_or_add(&mut self, id: &CallerId) -> Result<AgentId, String> {
        if let Ok(agent) = self.get(id) {
            return Ok(agent);
        }
        let n = match id {
            CallerId::Number(k) if *k < u64::from(DIRECT_AGENT_IDS) => *k as u32,
            _ => {
                if self.mapped.len() as u32 >= MAX_AGENT_ID - DIRECT_AGENT_IDS {
                    return Err(format!(
                        "agent {id}: at most {} agents with string ids or ids from {DIRECT_AGENT_IDS}",
                        MAX_AGENT_ID - DIRECT_AGENT_IDS
                    ));
                }
                let n = DIRECT_AGENT_IDS + self.mapped.len() as u32;
                match id {
                    CallerId::Number(k) => self.by_large.insert(*k, n),
                    CallerId::Text(s) => self.by_text.insert(s.as_ref().into(), n),
                };
                n
            }
        };
        let json = match id {
            CallerId::Number(k) => k.to_string(),
            CallerId::Text(s) => {
                let mut json = Vec::new();
                write_json_str(s, &mut json);
                String::from_utf8(json).expect("JSON text is UTF-8")
            }
        };
        match n.checked_sub(DIRECT_AGENT_IDS) {
            Some(_) => self.mapped.push(json.into_boxed_str()),
            None => {
                if self.direct.len() <= n as usize {
                    self.direct.resize(n as usize + 1, None);
                }
                self.direct[n as usize] = Some(json.into_boxed_str());
            }
        }
        Ok(AgentId(n))
    }

    /// The caller's id of a router id, as JSON.
    fn json(&self, id: AgentId) -> Option<&str> {
        match id.0.checked_sub(DIRECT_AGENT_IDS) {
            Some(i) => self.mapped.get(i as usize).map(AsRef::as_ref),
            None => self.direct.get(id.0 as usize).and_then(Option::as_deref),
        }
    }

    /// Writes the caller's id as JSON.
    pub fn write(&self, id: AgentId, out: &mut Vec<u8>) {
        match self.json(id) {
            Some(json) => out.extend_from_slice(json.as_bytes()),
            _ => out.extend_from_slice(itoa(u64::from(id.0), &mut [0; 20])),
        }
    }

    /// The caller's id, for messages.
    pub fn name(&self, id: AgentId) -> String {
        match self.json(id) {
            Some(json) => format!("agent {json}"),
            _ => format!("agent {}", id.0),
        }
    }
}

/// Writes `s` as a JSON string.
pub fn write_json_str(s: &str, out: &mut Vec<u8>) {
    serde_json::to_writer(&mut *out, s).expect("writing to memory cannot fail");
}

/// `n` in decimal, in the buffer given.
pub fn itoa(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_router_ids_and_strings_are_mapped_then_forgotten() {
        let mut c = Conversations::default();
        assert_eq!(c.get_or_add(&CallerId::Number(7)), Ok(ConversationId(7)));
        let text = CallerId::Text("c-1".into());
        assert!(c.get(&text).unwrap_err().contains("unknown conversation \"c-1\""));
        let id = c.get_or_add(&text).unwrap();
        assert_eq!(id, ConversationId(FIRST_TEXT_ID));
        let mut out = Vec::new();
        c.write(id, &mut out);
        c.write(ConversationId(7), &mut out);
        assert_eq!(out, b"\"c-1\"7");
        c.forget(id);
        assert!(c.get(&text).is_err());
        assert!(c.get(&CallerId::Number(FIRST_TEXT_ID)).is_err());
    }

    #[test]
    fn small_agent_numbers_are_router_ids_and_other_ids_are_mapped_above_them() {
        let mut a = Agents::default();
        let d = DIRECT_AGENT_IDS;
        assert_eq!(a.get_or_add(&CallerId::Number(1)), Ok(AgentId(1)));
        assert_eq!(a.get_or_add(&CallerId::Text("ann".into())), Ok(AgentId(d)));
        assert_eq!(a.get_or_add(&CallerId::Number(u64::from(d) + 7)), Ok(AgentId(d + 1)));
        assert_eq!(a.get_or_add(&CallerId::Number(1)), Ok(AgentId(1)));
        assert_eq!(a.get(&CallerId::Number(u64::from(d) + 7)), Ok(AgentId(d + 1)));
        let mut out = Vec::new();
        a.write(AgentId(d), &mut out);
        a.write(AgentId(d + 1), &mut out);
        assert_eq!(out, format!("\"ann\"{}", d + 7).as_bytes());
        assert!(a.get(&CallerId::Number(3)).unwrap_err().contains("unknown agent 3"));
        assert!(a.get(&CallerId::Number(0)).is_err());
        assert_eq!(a.get_or_add(&CallerId::Number(u64::MAX)), Ok(AgentId(d + 2)));
    }
}
