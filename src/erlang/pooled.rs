//! Pooled M/M/c: several Poisson streams (workstreams) served first come, first served by one pool of agents
//! with the same exponential handling time.
//!
//! The superposition of independent Poisson processes is a Poisson process with the summed rate (Kleinrock,
//! *Queueing Systems* vol. 1, section 2.4), so the pool is one M/M/c queue: Erlang C for the total. Every stream
//! sees the same queue on arrival (PASTA), so each has the pool's probability of waiting and mean wait.

use super::c::{ErlangC, erlang_c};

/// Erlang C of one pool of `agents` serving every stream in `rates_per_sec` (each stream's measures are the
/// pool's).
///
/// # Panics
/// As [`erlang_c`], for the summed rate.
pub fn erlang_c_pooled(rates_per_sec: &[f64], aht_s: f64, agents: u32) -> ErlangC {
    erlang_c(rates_per_sec.iter().sum(), aht_s, agents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_streams_are_one_stream_of_the_summed_rate() {
        // 30 + 18 per hour, 3 minutes each, 3 agents: Erlang C at 48 per hour (load 2.4): B(3, 2.4) = 0.2684,
        // C = 3B / (3 - 2.4 (1 - B)) = 0.6472, mean wait C x 180 / 0.6 = 194.2 s.
        let pooled = erlang_c_pooled(&[30.0 / 3600.0, 18.0 / 3600.0], 180.0, 3);
        let single = erlang_c(48.0 / 3600.0, 180.0, 3);
        assert!((pooled.mean_wait_s - single.mean_wait_s).abs() < 1e-9, "{pooled:?} vs {single:?}");
        assert!((pooled.wait_probability - 0.6472).abs() < 1e-4, "{pooled:?}");
        assert!((pooled.mean_wait_s - 194.157).abs() < 1e-3, "{pooled:?}");
    }
}
