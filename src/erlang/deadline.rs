//! M/M/c+D: Erlang C where a customer who has waited a fixed time `tau` leaves the queue. A queue rule
//! `waited_longer_than = tau` with `action = "end"` is exactly this (every customer has the same patience).
//!
//! Following Zeltyn & Mandelbaum's M/M/n+G formulas ("Call centers with impatient customers: many-server
//! asymptotics of the M/M/n+G queue", Queueing Systems 51, 2005; after Baccelli & Hebuterne 1981), with
//! `lambda` the arrival rate, `mu` the service rate, `a = lambda / mu`, `k = lambda - c mu`, `B` Erlang B and
//! patience deterministic at `tau` (so `H(x) = min(x, tau)`):
//!
//! ```text
//! E = (a / c) (1 - B(c, a)) / B(c, a)              (sum_{j<c} a^j / j! over a^(c-1) / (c-1)!)
//! J = (e^(k tau) - 1) / k + e^(k tau) / (c mu)      (integral of exp(lambda H(x) - c mu x); tau + 1/(c mu) at k = 0)
//! P(wait > 0) = lambda J / (E + lambda J)
//! P(ended)    = lambda e^(k tau) / (c mu) / (E + lambda J)
//! E[wait]     = lambda / (E + lambda J) x (integral_0^tau x e^(k x) dx + tau e^(k tau) / (c mu))
//! ```
//!
//! The last two come from the density `lambda exp(lambda H(x) - c mu x) / (E + lambda J)` of the time an
//! arrival would wait for an agent (`x > 0`): it leaves if that exceeds `tau`, so it waits `min(x, tau)`. The
//! mean wait counts every offered customer, the ones who leave included (they wait `tau`), as
//! `queue_wait_mean_s` does. With `tau = 0` the ended share is Erlang B; as `tau` grows it becomes Erlang C.

use super::c::erlang_b;

/// Steady-state measures of an M/M/c+D queue.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineQueue {
    /// Share of arrivals who find every agent busy.
    pub wait_probability: f64,
    /// Share of arrivals who reach the deadline and leave without an agent.
    pub ended_probability: f64,
    /// Mean wait over all arrivals (to an agent, or to the deadline), seconds.
    pub mean_wait_s: f64,
}

/// M/M/c+D for `rate_per_sec` arrivals per second, `aht_s` seconds of handling, `agents` agents and a wait
/// limit of `deadline_s` seconds.
///
/// # Panics
/// If the rate or handling time is not positive and finite, the deadline is negative or not finite, or
/// `agents` is 0: callers validate their input first.
pub fn erlang_deadline(rate_per_sec: f64, aht_s: f64, agents: u32, deadline_s: f64) -> DeadlineQueue {
    assert!(rate_per_sec.is_finite() && rate_per_sec > 0.0, "rate must be positive, got {rate_per_sec}");
    assert!(aht_s.is_finite() && aht_s > 0.0, "handling time must be positive, got {aht_s}");
    assert!(deadline_s.is_finite() && deadline_s >= 0.0, "deadline must be >= 0, got {deadline_s}");
    assert!(agents >= 1, "at least one agent is needed");
    let (lambda, c) = (rate_per_sec, agents as f64);
    let load = lambda * aht_s;
    let pool_rate = c / aht_s;
    let k = lambda - pool_rate;
    let tau = deadline_s;
    let b = erlang_b(load, agents);
    // Everything below is scaled by e^(-max(k tau, 0)) so an overloaded queue with a long limit cannot overflow.
    let scale = (-(k * tau).max(0.0)).exp();
    let grown = (k * tau - (k * tau).max(0.0)).exp(); // e^(k tau) x scale
    let e = load / c * (1.0 - b) / b * scale;
    let (before, inside) = if k.abs() * tau < 1e-9 {
        (tau * scale, tau * tau / 2.0 * scale)
    } else {
        ((grown - scale) / k, (grown * (k * tau - 1.0) + scale) / (k * k))
    };
    let j = before + grown / pool_rate;
    let total = e + lambda * j;
    DeadlineQueue {
        wait_probability: lambda * j / total,
        ended_probability: lambda * grown / pool_rate / total,
        mean_wait_s: lambda / total * (inside + tau * grown / pool_rate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erlang::erlang_c;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn one_agent_at_full_load_by_hand() {
        // lambda = mu = 1, tau = 1: k = 0, E = 1, J = 1 + 1 = 2, so P(wait) = 2/3, P(ended) = 1/3 and
        // E[wait] = (1/3) (1/2 + 1) = 1/2.
        let q = erlang_deadline(1.0, 1.0, 1, 1.0);
        assert!(close(q.wait_probability, 2.0 / 3.0, 1e-12), "{q:?}");
        assert!(close(q.ended_probability, 1.0 / 3.0, 1e-12), "{q:?}");
        assert!(close(q.mean_wait_s, 0.5, 1e-12), "{q:?}");
    }

    #[test]
    fn one_agent_below_full_load_by_hand() {
        // lambda = 0.5, mu = 1, tau = 2: k = -0.5, e^(k tau) = e^-1, E = 1,
        // J = (e^-1 - 1) / -0.5 + e^-1 = 2 - e^-1; P(ended) = 0.5 e^-1 / (1 + 0.5 J) = 0.5 e^-1 / (2 - 0.5 e^-1),
        // which is the textbook M/M/1+D form (1 - rho) rho e^(-mu (1 - rho) tau) / (1 - rho^2 e^(-mu (1 - rho) tau))
        // = 0.25 e^-1 / (1 - 0.25 e^-1).
        let g = (-1.0f64).exp();
        let q = erlang_deadline(0.5, 1.0, 1, 2.0);
        assert!(close(q.ended_probability, 0.5 * g / (2.0 - 0.5 * g), 1e-12), "{q:?}");
        assert!(close(q.wait_probability, 0.5 * (2.0 - g) / (2.0 - 0.5 * g), 1e-12), "{q:?}");
    }

    #[test]
    fn no_patience_is_erlang_b() {
        for (load, agents) in [(2.0, 3), (45.0, 50)] {
            let q = erlang_deadline(load / 100.0, 100.0, agents, 0.0);
            assert!(close(q.ended_probability, erlang_b(load, agents), 1e-10), "{q:?}");
            assert!(close(q.wait_probability, q.ended_probability, 1e-10), "{q:?}");
            assert_eq!(q.mean_wait_s, 0.0);
        }
    }

    #[test]
    fn endless_patience_is_erlang_c() {
        let c = erlang_c(276.0 / 3600.0, 120.0, 10);
        let q = erlang_deadline(276.0 / 3600.0, 120.0, 10, 1e6);
        assert!(q.ended_probability < 1e-12, "{q:?}");
        assert!(close(q.wait_probability, c.wait_probability, 1e-9), "{q:?} vs {c:?}");
        assert!(close(q.mean_wait_s, c.mean_wait_s, 1e-9), "{q:?} vs {c:?}");
    }

    #[test]
    fn overload_with_a_long_limit_stays_finite() {
        // Twice the work the agents can do: about half leave, everyone else waits close to the limit.
        let q = erlang_deadline(2.0, 1.0, 1, 1000.0);
        assert!(close(q.ended_probability, 0.5, 1e-6), "{q:?}");
        assert!(q.mean_wait_s.is_finite() && q.mean_wait_s < 1000.0 && q.mean_wait_s > 990.0, "{q:?}");
    }
}
