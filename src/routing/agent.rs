//! An agent: on duty or not, a chosen presence, and a capacity in units.
//!
//! An agent's life cycle is a [`Duty`]: Offline, then OnDuty from sign-in, then (at sign-out, while they still
//! hold conversations they will finish) SigningOut, then Offline again. While on duty the agent chooses a
//! [`Presence`]: Available and Busy take new work, Do not disturb and Away keep what they hold but take
//! nothing new. Whether an agent can take a conversation also depends on their free capacity.

use super::{AgentId, ConversationId, GroupId, Millis};

/// Where an agent is in their working life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Duty {
    /// Not signed in.
    #[default]
    Offline,
    /// Signed in.
    OnDuty,
    /// Signed out, but still finishing conversations they hold; takes nothing new.
    SigningOut,
}

/// The presence an agent chose while on duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Presence {
    /// Ready for work.
    #[default]
    Available,
    /// Working, and still taking work up to capacity.
    Busy,
    /// Keeps their conversations, takes nothing new.
    DoNotDisturb,
    /// Away from the desk: takes nothing new.
    Away,
    /// Not signed in (reported in views; an agent signs out rather than choosing it).
    Offline,
}

impl Presence {
    /// Whether an agent with this presence is given new work.
    pub fn takes_work(self) -> bool {
        matches!(self, Presence::Available | Presence::Busy)
    }
}

/// A read-only view of an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentView {
    /// Its id.
    pub id: AgentId,
    /// Its group.
    pub group: GroupId,
    /// Capacity units while signed in.
    pub capacity: u32,
    /// Units held by its conversations and offers (may exceed capacity after a same-agent return).
    pub used: u32,
    /// Where it is in its working life cycle.
    pub duty: Duty,
    /// Its chosen presence (Offline when not signed in).
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

impl AgentView {
    /// Online: signed in, or signing out while finishing conversations.
    pub fn online(&self) -> bool {
        self.duty != Duty::Offline
    }

    /// Units still free (zero when full, or over capacity after a same-agent return).
    pub fn free_units(&self) -> u32 {
        self.capacity.saturating_sub(self.used)
    }
}

/// The router's record of an agent.
#[derive(Debug, Clone)]
pub(crate) struct Agent {
    pub id: AgentId,
    pub group: GroupId,
    pub capacity: u32,
    pub used: u32,
    pub duty: Duty,
    pub presence: Presence,
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
    /// Conversations offered to this agent and not answered yet.
    pub offered: Vec<ConversationId>,
}

impl Agent {
    pub fn new(id: AgentId) -> Agent {
        Agent {
            id,
            group: GroupId(0),
            capacity: 0,
            used: 0,
            duty: Duty::Offline,
            presence: Presence::Available,
            parked_units: 0,
            last_assigned_at: Millis::ZERO,
            last_released_at: Millis::ZERO,
            held: Vec::new(),
            wrapping_up: 0,
            reserved: Vec::new(),
            offered: Vec::new(),
        }
    }

    /// Free units (zero when over capacity).
    #[inline]
    pub fn free(&self) -> u32 {
        self.capacity.saturating_sub(self.used)
    }

    /// Signed in and not on the way out: can take returning customers and counts reclaimed capacity.
    pub fn on_duty(&self) -> bool {
        self.duty == Duty::OnDuty
    }

    /// Online: signed in, or signing out while finishing.
    pub fn online(&self) -> bool {
        self.duty != Duty::Offline
    }

    /// Parked units counted as reclaimed: those of an agent on duty, up to its capacity (an agent cannot give
    /// back more than it has), so the sum over agents never exceeds the capacity signed in.
    pub fn reclaimed(&self) -> u32 {
        if self.on_duty() { self.parked_units.min(self.capacity) } else { 0 }
    }

    /// Whether the agent may be given new work from a queue.
    #[inline]
    pub fn accepts_work(&self) -> bool {
        self.on_duty() && self.presence.takes_work() && self.free() > 0
    }

    pub fn view(&self) -> AgentView {
        AgentView {
            id: self.id,
            group: self.group,
            capacity: self.capacity,
            used: self.used,
            duty: self.duty,
            presence: if self.online() { self.presence } else { Presence::Offline },
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
    fn work_needs_duty_presence_and_room() {
        let mut a = Agent::new(AgentId(1));
        assert_eq!(a.view().presence, Presence::Offline);
        a.duty = Duty::OnDuty;
        a.capacity = 2;
        assert!(a.accepts_work());
        a.used = 2;
        assert!(!a.accepts_work());
        a.used = 3;
        assert_eq!(a.free(), 0);
        a.used = 0;
        a.presence = Presence::DoNotDisturb;
        assert!(!a.accepts_work());
        a.presence = Presence::Busy;
        assert!(a.accepts_work());
        a.duty = Duty::SigningOut;
        assert!(!a.accepts_work() && a.online() && !a.on_duty());
    }
}
