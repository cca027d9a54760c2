//! Agents: capacity, load and presence.
//!
//! An agent holds conversations up to a capacity in units. Presence follows from load, as chat platforms derive
//! it: nothing held is Available, some is Busy, all is Full (do not disturb). Only Available and Busy agents
//! take new work. An agent who signs out either parks their conversations (persistent chat: all but the one whose
//! reply they are writing, which parks once the reply is sent) or finishes them first (live chat: they take
//! nothing new and go offline when the last one closes). Parked units count as reclaimed capacity while the agent
//! is on duty, up to the agent's capacity.

use super::{AgentId, ConversationId, Millis};

/// What an agent can be offered right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Presence {
    /// Signed out.
    Offline,
    /// Signed out but finishing the conversations they hold; takes nothing new.
    SigningOut,
    /// Signed in and holding nothing.
    Available,
    /// Signed in with some capacity in use.
    Busy,
    /// Signed in with all capacity in use (or more, after a same-agent return).
    Full,
}

/// A read-only view of an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentView {
    /// Its id.
    pub id: AgentId,
    /// Capacity units while signed in.
    pub capacity: u32,
    /// Units held by its conversations (may exceed capacity after a same-agent return).
    pub used: u32,
    /// Derived presence.
    pub presence: Presence,
    /// Conversations it holds (active or in wrap-up).
    pub conversations: usize,
    /// Of those, the active ones (the load that slows an agent's replies).
    pub active: usize,
    /// When it was last given a conversation.
    pub last_assigned_at: Millis,
    /// When it last had capacity released.
    pub last_released_at: Millis,
}

/// The router's record of an agent.
#[derive(Debug, Clone)]
pub(crate) struct Agent {
    pub id: AgentId,
    pub capacity: u32,
    pub used: u32,
    /// Online: signed in, or signing out but still holding conversations.
    pub signed_in: bool,
    /// Signed out but still holding conversations it will finish first.
    pub finishing: bool,
    /// Units of this agent's parked conversations (capacity the waiting stage gave back).
    pub parked_units: u32,
    pub last_assigned_at: Millis,
    pub last_released_at: Millis,
    /// Conversations held (active or wrap-up), for sign-out handling.
    pub held: Vec<ConversationId>,
    /// How many of the held conversations are in wrap-up.
    pub wrapping_up: usize,
    /// Returning conversations reserved for this agent while signed out.
    pub reserved: Vec<ConversationId>,
}

impl Agent {
    pub fn new(id: AgentId) -> Agent {
        Agent {
            id,
            capacity: 0,
            used: 0,
            signed_in: false,
            finishing: false,
            parked_units: 0,
            last_assigned_at: Millis::ZERO,
            last_released_at: Millis::ZERO,
            held: Vec::new(),
            wrapping_up: 0,
            reserved: Vec::new(),
        }
    }

    /// Free units (zero when over capacity).
    pub fn free(&self) -> u32 {
        self.capacity.saturating_sub(self.used)
    }

    /// Signed in and not on the way out: can take returning customers and counts reclaimed capacity.
    pub fn on_duty(&self) -> bool {
        self.signed_in && !self.finishing
    }

    /// Parked units counted as reclaimed: those of an agent on duty, up to its capacity (an agent cannot give
    /// back more than it has), so the sum over agents never exceeds the capacity signed in.
    pub fn reclaimed(&self) -> u32 {
        if self.on_duty() { self.parked_units.min(self.capacity) } else { 0 }
    }

    /// Whether the agent may be offered new work from the queue.
    pub fn accepts_work(&self) -> bool {
        self.on_duty() && self.free() > 0
    }

    pub fn presence(&self) -> Presence {
        if !self.signed_in {
            Presence::Offline
        } else if self.finishing {
            Presence::SigningOut
        } else if self.used == 0 {
            Presence::Available
        } else if self.used < self.capacity {
            Presence::Busy
        } else {
            Presence::Full
        }
    }

    pub fn view(&self) -> AgentView {
        AgentView {
            id: self.id,
            capacity: self.capacity,
            used: self.used,
            presence: self.presence(),
            conversations: self.held.len(),
            active: self.held.len() - self.wrapping_up,
            last_assigned_at: self.last_assigned_at,
            last_released_at: self.last_released_at,
        }
    }

    pub fn forget(&mut self, conversation: ConversationId) {
        if let Some(i) = self.held.iter().position(|&c| c == conversation) {
            self.held.swap_remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_follows_load() {
        let mut a = Agent::new(AgentId(1));
        assert_eq!(a.presence(), Presence::Offline);
        a.signed_in = true;
        a.capacity = 2;
        assert_eq!(a.presence(), Presence::Available);
        a.used = 1;
        assert_eq!(a.presence(), Presence::Busy);
        a.used = 2;
        assert_eq!(a.presence(), Presence::Full);
        assert!(!a.accepts_work());
        a.used = 3;
        assert_eq!((a.presence(), a.free()), (Presence::Full, 0));
        a.used = 0;
        a.finishing = true;
        assert_eq!(a.presence(), Presence::SigningOut);
        assert!(!a.accepts_work());
    }
}
