//! The built-in policies: live chat and persistent chat.

mod live;
mod persistent;

pub use live::Live;
pub use persistent::Persistent;
