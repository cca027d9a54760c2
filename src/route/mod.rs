//! `chatcap route`: the routing core as a real router, driven by event lines and answering with decision lines.
//!
//! A chat platform (or a test, or a recording of a simulation) writes what happens as JSON lines, one event
//! each, in time order: conversations arriving, customers and agents writing, agents signing in and out,
//! queues opening and closing, offers answered, and `tick`s. The driver turns each into a routing core
//! [`Input`](crate::routing::Input), hands it to the [`Router`](crate::routing::Router) at the event's time, and
//! writes every [`Effect`](crate::routing::Effect) as a decision line: who was assigned or offered which
//! conversation, what was queued, parked, overflowed, transferred, refused, abandoned, wrapped up or closed,
//! and which timers the router wants.
//!
//! Time comes only from the events' `at` (milliseconds from an origin the caller chooses), so a replay gives
//! the same decisions byte for byte. The router never sleeps: the driver keeps the timers it asks for and fires
//! them on the first `tick` at or after their time (each at its own due time, or at the last event's time if
//! that is later), earliest first, ties in the order they were asked for. A caller that fires timers itself (a
//! recording of the simulator) sends `timer_fired` events instead.
//!
//! The formats are docs/route-events.schema.json and docs/route-decisions.schema.json. The files here:
//! - `event.rs`: parsing an event line and resolving its names and ids;
//! - `decision.rs`: writing a decision line;
//! - `ids.rs`: the caller's conversation and agent ids (strings or numbers) and the router's;
//! - `names.rs`: the set-up's workstream, queue, group and skill names;
//! - `timers.rs`: the timers kept for `tick`;
//! - `driver.rs`: one line in, decisions out;
//! - `stream.rs`: the loop over a file, reporting refused lines;
//! - `record.rs`: an input written as an event line, for recorders.

mod decision;
mod driver;
mod event;
mod ids;
mod names;
mod record;
mod stream;
mod timers;

pub use decision::{DECISION_TYPES, Writer as DecisionWriter};
pub use driver::{Counts, Driver, LineError};
pub use event::{EVENT_TYPES, PRESENCES, TIMER_KINDS};
pub use ids::{Agents, Conversations, FIRST_TEXT_ID};
pub use names::{NameList, Names};
pub use record::write_event;
pub use stream::{MAX_LINE, run};
