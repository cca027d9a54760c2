//! The discrete-event engine and the synthetic world that drives the routing core.
