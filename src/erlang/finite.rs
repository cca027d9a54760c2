//! M/M/c/K: Erlang C with a finite waiting room. At most `K - c` customers wait; one who arrives to find the
//! room full is turned away (blocked) and never comes back. A queue rule `more_waiting_than = N` with
//! `action = "end"` is exactly this, with `K = c + N`.
//!
//! The number of customers present is a birth-death chain (Gross, Shortle, Thompson & Harris, *Fundamentals of
//! Queueing Theory*, 4th ed., section 2.6; Kleinrock, *Queueing Systems* vol. 1, section 3.6), with `a = lambda /
//! mu` and `p_0` normalising:
//!
//! ```text
//! p_n = p_0 a^n / n!                      for 0 <= n <= c,
//! p_n = p_0 a^c / c! (a / c)^(n - c)      for c < n <= K.
//! ```
//!
//! An arrival sees this distribution (PASTA), so the blocked share is `p_K`; an admitted customer waits at all
//! with probability `sum_{c <= n < K} p_n / (1 - p_K)`, and, by Little's law on the queue, waits on average
//! `W_q = L_q / (lambda (1 - p_K))` with `L_q = sum_{n > c} (n - c) p_n`. With `K = c` this is Erlang B; as
//! `K` grows it becomes Erlang C. The terms are summed in logarithms, so thousands of agents do not overflow.

/// Steady-state measures of an M/M/c/K queue.
#[derive(Debug, Clone, PartialEq)]
pub struct FiniteQueue {
    /// Share of arrivals turned away because `K` are already present: `p_K`.
    pub blocking_probability: f64,
    /// Share of admitted customers who wait at all (find every agent busy).
    pub admitted_wait_probability: f64,
    /// Mean wait in queue of admitted customers, seconds.
    pub admitted_mean_wait_s: f64,
    /// Share of agent time spent handling: `a (1 - p_K) / c`.
    pub occupancy: f64,
}

/// M/M/c/K for `rate_per_sec` arrivals per second, `aht_s` seconds of handling, `agents` agents and room for
/// `waiting_room` customers waiting (so `K = agents + waiting_room`).
///
/// # Panics
/// If the rate or handling time is not positive and finite, or `agents` is 0: callers validate their input first.
pub fn erlang_finite(rate_per_sec: f64, aht_s: f64, agents: u32, waiting_room: u32) -> FiniteQueue {
    assert!(rate_per_sec.is_finite() && rate_per_sec > 0.0, "rate must be positive, got {rate_per_sec}");
    assert!(aht_s.is_finite() && aht_s > 0.0, "handling time must be positive, got {aht_s}");
    assert!(agents >= 1, "at least one agent is needed");
    let load = rate_per_sec * aht_s;
    let c = agents as usize;
    let k = c + waiting_room as usize;
    // ln of the unnormalised p_n: each step multiplies by a / min(n, c).
    let mut log_terms = Vec::with_capacity(k + 1);
    log_terms.push(0.0);
    for n in 1..=k {
        log_terms.push(log_terms[n - 1] + load.ln() - (n.min(c) as f64).ln());
    }
    let top = log_terms.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = log_terms.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = weights.iter().sum();
    let p = |n: usize| weights[n] / total;
    let blocking = p(k);
    let admitted = 1.0 - blocking;
    let waiting: f64 = (c..k).map(p).sum();
    let queue_length: f64 = (c + 1..=k).map(|n| (n - c) as f64 * p(n)).sum();
    FiniteQueue {
        blocking_probability: blocking,
        admitted_wait_probability: waiting / admitted,
        admitted_mean_wait_s: queue_length / (rate_per_sec * admitted),
        occupancy: load * admitted / agents as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erlang::{erlang_b, erlang_c};

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn one_agent_room_for_one_by_hand() {
        // M/M/1/2, lambda = 0.5, mu = 1: p_n proportional to 1, 1/2, 1/4, so p = 4/7, 2/7, 1/7. Blocked 1/7;
        // admitted 6/7, of whom (2/7) / (6/7) = 1/3 wait; L_q = 1/7, W_q = (1/7) / (0.5 x 6/7) = 1/3.
        let q = erlang_finite(0.5, 1.0, 1, 1);
        assert!(close(q.blocking_probability, 1.0 / 7.0, 1e-12), "{q:?}");
        assert!(close(q.admitted_wait_probability, 1.0 / 3.0, 1e-12), "{q:?}");
        assert!(close(q.admitted_mean_wait_s, 1.0 / 3.0, 1e-12), "{q:?}");
        assert!(close(q.occupancy, 3.0 / 7.0, 1e-12), "{q:?}");
    }

    #[test]
    fn two_agents_room_for_two_by_hand() {
        // M/M/2/4, a = 2 (lambda = 1/60 per s, 120 s): terms 1, 2, 2, 2, 2 (a / c = 1 past two), total 9.
        // Blocked 2/9; admitted 7/9, of whom (2 + 2) / 9 / (7/9) = 4/7 wait; L_q = (1 x 2 + 2 x 2) / 9 = 2/3,
        // W_q = (2/3) / ((1/60) x 7/9) = 360/7 s.
        let q = erlang_finite(1.0 / 60.0, 120.0, 2, 2);
        assert!(close(q.blocking_probability, 2.0 / 9.0, 1e-12), "{q:?}");
        assert!(close(q.admitted_wait_probability, 4.0 / 7.0, 1e-12), "{q:?}");
        assert!(close(q.admitted_mean_wait_s, 360.0 / 7.0, 1e-12), "{q:?}");
    }

    #[test]
    fn no_waiting_room_is_erlang_b() {
        for (load, agents) in [(2.0, 3), (45.0, 50), (900.0, 1000)] {
            let q = erlang_finite(load / 100.0, 100.0, agents, 0);
            assert!(close(q.blocking_probability, erlang_b(load, agents), 1e-10), "{load} {agents}: {q:?}");
            assert_eq!(q.admitted_mean_wait_s, 0.0);
        }
    }

    #[test]
    fn a_large_waiting_room_is_erlang_c() {
        let c = erlang_c(276.0 / 3600.0, 120.0, 10);
        let q = erlang_finite(276.0 / 3600.0, 120.0, 10, 2000);
        assert!(q.blocking_probability < 1e-12, "{q:?}");
        assert!(close(q.admitted_wait_probability, c.wait_probability, 1e-9), "{q:?} vs {c:?}");
        assert!(close(q.admitted_mean_wait_s, c.mean_wait_s, 1e-9), "{q:?} vs {c:?}");
    }

    #[test]
    fn overload_is_bounded_by_the_room() {
        // Twice as many arrivals as the agents can handle: about half are turned away, the room stays full.
        let q = erlang_finite(10.0, 1.0, 5, 3);
        assert!(q.blocking_probability > 0.45 && q.blocking_probability < 0.55, "{q:?}");
        assert!(q.occupancy <= 1.0 && q.admitted_mean_wait_s <= 3.0 / 5.0, "{q:?}");
    }
}
