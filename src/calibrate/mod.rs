//! Calibration to history: fit what a contact log cannot show on some weeks, then test on weeks the fit has
//! not seen (`chatcap calibrate`).
//!
//! A log shows when contacts arrived, how long they waited, whether they gave up and how long agents served
//! them. Three things that drive waits and abandonment are not in it, so calibration fits them:
//! - **availability** (`agents.scale` on the inferred schedule): the share of agents inferred present who were
//!   really answering this queue. Presence is inferred from service spells (`crate::history::presence`); agents
//!   also took breaks within spells, did other work or sat idle at the edges of their shift unseen, so the share
//!   may be below or above 1.
//! - **patience**: a factor on the log's maximum-likelihood patience means by contact type ([`patience`]):
//!   served customers' patience is censored (they did not give up, by an unknown margin), and an exponential
//!   patience is itself an approximation.
//! - **after-call work** (`agents.wrap_up`, constant): time an agent is busy after each contact that the log's
//!   handle time leaves out; a handle-time factor of 1 + wrap-up / mean handle.
//! - **head start** ([`head_start`]), only when the trace's contacts reach queues of different priorities: how
//!   long a contact waits in a less urgent queue before it moves to the next more urgent one (strict priority
//!   among the candidates); a log shows a contact's class, not how strictly the team served by class.
//!
//! The fit ([`fit`]) runs only on the training window, every candidate on the same customers; the test
//! ([`compare`]) runs the fitted model on the test window and compares it with history per interval and per hour
//! of day; [`ceiling`] says how many hours a model exactly right would reproduce by chance alone; [`output`]
//! and [`chart`] write what a planner reads.

pub mod ceiling;
pub mod chart;
pub mod compare;
pub mod fit;
pub mod head_start;
pub mod limits;
pub mod model;
pub mod output;
pub mod patience;
pub mod staffing;
pub mod window;

pub use model::Params;
pub use window::Window;
