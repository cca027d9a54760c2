//! Push offers: an assignment is first offered, and becomes the agent's only when they accept.
//!
//! An offered conversation holds the agent's capacity during a countdown. Accepting makes it active with that
//! agent. Declining, or letting the countdown run out, puts it back in its queue at its old place and counts a
//! decline; an agent who declined it as often as the set-up's limit is not offered it again. If the queue's wait
//! limit passed while it was on offer, the queue's overflow rule applies as soon as the offer fails.

use super::{ConversationId, Effect, Router};

impl Router {
    pub(super) fn accept_offer(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        let agent = self.conversations[&id].view.agent.expect("an offer has an agent");
        self.take(id, agent, true);
        out.push(Effect::Assigned { conversation: id, agent });
    }

    /// The offer failed: declined (or timed out) when `declined`, otherwise withdrawn.
    pub(super) fn decline_offer(&mut self, id: ConversationId, declined: bool, out: &mut Vec<Effect>) {
        let agent = self.withdraw_offer(id);
        let c = self.conversations.get_mut(&id).expect("present");
        if declined {
            c.declined_by(agent);
        }
        let overdue = std::mem::take(&mut c.overdue);
        self.requeue(id, out);
        out.push(Effect::OfferWithdrawn { conversation: id, agent, declined });
        if overdue {
            self.waited_too_long(id, out);
        }
        self.assign_pass(out);
    }
}
