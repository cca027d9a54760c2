//! Erlang C: the M/M/c queue, where every customer waits as long as it takes.
//!
//! With offered load `a` and `c` agents, the chance that all agents are busy when a contact arrives is Erlang C,
//! `C(c, a)`. We get it from Erlang B (the share of contacts lost when there is no queue at all), which has a
//! recursion that never overflows: `B(0) = 1`, `B(k) = a B(k-1) / (k + a B(k-1))`, and then
//! `C = c B / (c - a (1 - B))`. From there:
//! - mean wait over all contacts (ASA): `C x aht / (c - a)`;
//! - service level, the share answered within `t`: `1 - C exp(-(c - a) t / aht)`, because a waiting customer's
//!   wait is exponential with rate `(c - a) / aht`;
//! - occupancy, the share of agent time spent handling: `a / c`.

/// Erlang B: the probability that a contact finds all `agents` busy when there is no queue (blocked contacts lost).
pub fn erlang_b(load: f64, agents: u32) -> f64 {
    let mut b = 1.0;
    for k in 1..=agents {
        b = load * b / (k as f64 + load * b);
    }
    b
}

/// Steady-state measures of an M/M/c queue with patient customers.
#[derive(Debug, Clone, PartialEq)]
pub struct ErlangC {
    /// Arrival rate, contacts per second.
    pub rate_per_sec: f64,
    /// Mean handling time, seconds.
    pub aht_s: f64,
    /// Number of agents.
    pub agents: u32,
    /// Offered load in Erlangs: `rate x aht`.
    pub offered_load: f64,
    /// Probability that an arriving contact has to wait (1 when the queue is unstable).
    pub wait_probability: f64,
    /// Mean wait over all contacts, seconds (ASA); infinite when the queue is unstable.
    pub mean_wait_s: f64,
    /// Share of agent time spent handling contacts: `a / c`, capped at 1 when the queue is unstable.
    pub occupancy: f64,
}

impl ErlangC {
    /// Whether the queue settles down at all: the offered load must be below the number of agents.
    pub fn is_stable(&self) -> bool {
        self.offered_load < self.agents as f64
    }

    /// Share of contacts answered within `threshold_s` seconds (0 when the queue is unstable).
    pub fn service_level(&self, threshold_s: f64) -> f64 {
        if !self.is_stable() {
            return 0.0;
        }
        let decay = (self.agents as f64 - self.offered_load) * threshold_s.max(0.0) / self.aht_s;
        (1.0 - self.wait_probability * (-decay).exp()).clamp(0.0, 1.0)
    }

    /// Mean wait of the contacts that do wait, seconds: `aht / (c - a)`; infinite when the queue is unstable.
    pub fn mean_wait_of_waiting_s(&self) -> f64 {
        if self.is_stable() { self.aht_s / (self.agents as f64 - self.offered_load) } else { f64::INFINITY }
    }
}

/// Erlang C for `rate_per_sec` contacts per second, `aht_s` seconds of handling and `agents` agents.
///
/// # Panics
/// If the rate or handling time is not positive and finite, or `agents` is 0: callers validate user input first.
pub fn erlang_c(rate_per_sec: f64, aht_s: f64, agents: u32) -> ErlangC {
    assert!(rate_per_sec.is_finite() && rate_per_sec > 0.0, "rate must be positive, got {rate_per_sec}");
    assert!(aht_s.is_finite() && aht_s > 0.0, "handling time must be positive, got {aht_s}");
    assert!(agents >= 1, "at least one agent is needed");
    let load = rate_per_sec * aht_s;
    let c = agents as f64;
    let (wait_probability, mean_wait_s, occupancy) = if load < c {
        let b = erlang_b(load, agents);
        let pw = (c * b / (c - load * (1.0 - b))).clamp(0.0, 1.0);
        (pw, pw * aht_s / (c - load), load / c)
    } else {
        (1.0, f64::INFINITY, 1.0)
    };
    ErlangC { rate_per_sec, aht_s, agents, offered_load: load, wait_probability, mean_wait_s, occupancy }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 contacts per 30 minutes at 180 s handling: 10 Erlangs, the classic worked example.
    fn worked(agents: u32) -> ErlangC {
        erlang_c(100.0 / 1800.0, 180.0, agents)
    }

    fn close(x: f64, y: f64, tol: f64) -> bool {
        (x - y).abs() <= tol
    }

    #[test]
    fn matches_the_published_worked_example_with_14_agents() {
        let q = worked(14);
        assert!(close(q.offered_load, 10.0, 1e-12));
        assert!(close(q.wait_probability, 0.1741, 5e-5), "{}", q.wait_probability);
        assert!(close(q.service_level(20.0), 0.8884, 5e-5), "{}", q.service_level(20.0));
        assert!(close(q.mean_wait_s, 7.84, 5e-3), "{}", q.mean_wait_s);
        assert!(close(q.occupancy, 10.0 / 14.0, 1e-12));
    }

    #[test]
    fn matches_the_published_worked_example_with_11_agents() {
        let q = worked(11);
        assert!(close(q.wait_probability, 0.6821, 5e-5), "{}", q.wait_probability);
        assert!(close(q.service_level(20.0), 0.3896, 5e-5), "{}", q.service_level(20.0));
    }

    #[test]
    fn erlang_b_matches_a_small_hand_computation() {
        // a = 2, c = 2: B = (a^2/2) / (1 + a + a^2/2) = 2 / 5.
        assert!(close(erlang_b(2.0, 2), 0.4, 1e-15));
    }

    #[test]
    fn stays_finite_for_a_thousand_agents_at_95_percent_occupancy() {
        let q = erlang_c(950.0 / 180.0, 180.0, 1000);
        assert!(q.wait_probability.is_finite() && q.wait_probability > 0.0 && q.wait_probability < 1.0);
        assert!(q.mean_wait_s.is_finite() && q.mean_wait_s > 0.0 && q.mean_wait_s < 180.0);
        let sl = q.service_level(20.0);
        assert!(sl > 0.0 && sl < 1.0);
        assert!(close(q.occupancy, 0.95, 1e-12));
    }

    #[test]
    fn an_overloaded_queue_reports_certain_and_unbounded_waits() {
        let q = worked(10);
        assert!(!q.is_stable());
        assert_eq!(q.wait_probability, 1.0);
        assert_eq!(q.mean_wait_s, f64::INFINITY);
        assert_eq!(q.service_level(20.0), 0.0);
        assert_eq!(q.occupancy, 1.0);
    }
}
