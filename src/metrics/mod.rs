//! Metrics: collectors during a run and summaries over replications.
