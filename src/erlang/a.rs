//! Erlang A: the M/M/c+M queue, where waiting customers give up after an exponential patience.
//!
//! Count the contacts in the system, `n` (in service plus waiting). Arrivals push `n` up at rate `lambda`; it comes
//! down at rate `min(n, c) mu + max(n - c, 0) gamma`, where `mu = 1 / aht` is each agent's service rate and
//! `gamma = 1 / patience` each waiting customer's rate of giving up. This birth-death chain has the stationary
//! distribution `pi(n) / pi(n - 1) = lambda / (min(n, c) mu + max(n - c, 0) gamma)` (Garnett, Mandelbaum and
//! Reiman 2002; Mandelbaum and Zeltyn's "M/M/n+G summary"). We sum it in log space, so nothing overflows, and stop
//! once the states far out in the queue carry less than `e^-46` of the peak probability.
//!
//! Arrivals see the stationary distribution (PASTA), which gives every measure:
//! - probability of waiting: `P(n >= c)`;
//! - mean queue length `E[Q] = sum (n - c) pi(n)` over `n > c`; by Little's law the mean wait over all offered
//!   contacts (served or abandoned, counted until they leave the queue) is `E[Q] / lambda`, and since each waiting
//!   customer abandons at rate `gamma`, the probability of abandonment is `gamma E[Q] / lambda`;
//! - occupancy: mean busy agents `sum min(n, c) pi(n)` over `c`.
//!
//! Service level (share of offered contacts assigned within `t`, abandoned ones counted as misses) needs the
//! waiting-time distribution. Follow one customer who arrives to find `k` others waiting. With `j` still ahead, the
//! line moves (a service completes or someone ahead gives up) at rate `c mu + j gamma`, and our customer gives up at
//! rate `gamma`; each phase therefore lasts an exponential time with rate `c mu + (j + 1) gamma` whichever way it
//! ends, and how it ends is independent of how long it took. So the customer reaches an agent with probability
//! `prod_{j=0..k} (c mu + j gamma) / (c mu + (j + 1) gamma) = c mu / (c mu + (k + 1) gamma)` (the product
//! telescopes), and the time to get there, given they do, is a sum of exponentials with rates
//! `gamma (s + i)` for `i = 0..k`, where `s = c mu / gamma + 1`. Such a sum is `-ln(U) / gamma` with `U` following
//! a Beta(`s`, `k + 1`) distribution, so it is below `t` with probability `1 - I_x(s, k + 1)` at
//! `x = exp(-gamma t)`, where `I` is the regularised incomplete beta function. We need it for every `k`, and the
//! recurrence `I_x(s, b + 1) = I_x(s, b) + x^s (1 - x)^b / (b B(s, b))`, started from `I_x(s, 1) = x^s`, gives them
//! all in one pass, with terms kept in log space so none underflows.

/// States beyond the agents the truncated chain may use; reached only with near-infinite patience and overload.
const MAX_QUEUE_STATES: usize = 5_000_000;
/// Queue lengths the command line accepts, from [`queue_states_estimate`], well inside [`MAX_QUEUE_STATES`].
pub(crate) const QUEUE_STATES_LIMIT: f64 = 2_000_000.0;
/// Log-probability below the peak at which the queue tail is dropped (`e^-46` is about `1e-20`).
const TAIL_LOG_CUTOFF: f64 = 46.0;

/// Steady-state measures of an M/M/c+M queue (Erlang A).
#[derive(Debug, Clone, PartialEq)]
pub struct ErlangA {
    /// Arrival rate, contacts per second.
    pub rate_per_sec: f64,
    /// Mean handling time, seconds.
    pub aht_s: f64,
    /// Mean patience of a waiting customer, seconds.
    pub patience_s: f64,
    /// Number of agents.
    pub agents: u32,
    /// Offered load in Erlangs: `rate x aht`.
    pub offered_load: f64,
    /// Probability that an arriving contact has to wait.
    pub wait_probability: f64,
    /// Probability that an arriving contact gives up before reaching an agent.
    pub abandon_probability: f64,
    /// Mean time in queue over all offered contacts (until assigned or abandoned), seconds.
    pub mean_wait_s: f64,
    /// Mean number of contacts waiting.
    pub mean_queue_length: f64,
    /// Share of agent time spent handling contacts.
    pub occupancy: f64,
    /// Probability that an arrival finds exactly `k` contacts already waiting, for `k = 0, 1, ...`.
    queue_at_arrival: Vec<f64>,
}

impl ErlangA {
    /// Probability that an arrival finds all agents busy and exactly `k` others waiting, indexed by `k`.
    pub fn queue_at_arrival(&self) -> &[f64] {
        &self.queue_at_arrival
    }

    /// Share of offered contacts assigned to an agent within `threshold_s` seconds; abandoned ones count as misses.
    pub fn service_level(&self, threshold_s: f64) -> f64 {
        let immediate = (1.0 - self.wait_probability).max(0.0);
        let t = threshold_s.max(0.0);
        if t == 0.0 || self.queue_at_arrival.is_empty() {
            return immediate;
        }
        let c_mu = self.agents as f64 / self.aht_s;
        let gamma = 1.0 / self.patience_s;
        let shape = c_mu / gamma + 1.0;
        let ln_gap = (-(-gamma * t).exp_m1()).ln();
        let mut beta_cdf = (-(c_mu + gamma) * t).exp();
        let mut ln_increment = -(c_mu + gamma) * t + shape.ln() + ln_gap;
        let mut served = 0.0;
        for (k, p) in self.queue_at_arrival.iter().enumerate() {
            let b = (k + 1) as f64;
            served += p * c_mu / (c_mu + b * gamma) * (1.0 - beta_cdf).max(0.0);
            beta_cdf += ln_increment.exp();
            ln_increment += ln_gap + (shape + b).ln() - (b + 1.0).ln();
        }
        (immediate + served).clamp(0.0, 1.0)
    }
}

/// A generous bound on the queue lengths with non-negligible probability: the overload that patience must absorb,
/// `(lambda - c mu) / gamma`, plus ten standard deviations of the fluctuation around it.
pub(crate) fn queue_states_estimate(rate_per_sec: f64, aht_s: f64, agents: u32, patience_s: f64) -> f64 {
    let c_mu = agents as f64 / aht_s;
    let gamma = 1.0 / patience_s;
    (rate_per_sec - c_mu).max(0.0) / gamma + 10.0 * (rate_per_sec.max(c_mu) / gamma).sqrt() + 100.0
}

/// Erlang A for `rate_per_sec` contacts per second, `aht_s` seconds of handling, `agents` agents and customers
/// whose patience in queue is exponential with mean `patience_s` seconds.
///
/// # Panics
/// If the rate, handling time or patience is not positive and finite, or `agents` is 0: callers validate input.
/// The queue is cut at five million waiting; inputs that would need more get a truncated (inexact) answer, and the
/// command line refuses them.
pub fn erlang_a(rate_per_sec: f64, aht_s: f64, agents: u32, patience_s: f64) -> ErlangA {
    assert!(rate_per_sec.is_finite() && rate_per_sec > 0.0, "rate must be positive, got {rate_per_sec}");
    assert!(aht_s.is_finite() && aht_s > 0.0, "handling time must be positive, got {aht_s}");
    assert!(patience_s.is_finite() && patience_s > 0.0, "patience must be positive, got {patience_s}");
    assert!(agents >= 1, "at least one agent is needed");
    let c = agents as usize;
    let (mu, gamma) = (1.0 / aht_s, 1.0 / patience_s);
    let ln_rate = rate_per_sec.ln();
    let mut log_weight = Vec::with_capacity(c + 64);
    log_weight.push(0.0);
    let mut peak: f64 = 0.0;
    for n in 1.. {
        let down = if n <= c { n as f64 * mu } else { c as f64 * mu + (n - c) as f64 * gamma };
        let w = log_weight[n - 1] + ln_rate - down.ln();
        log_weight.push(w);
        peak = peak.max(w);
        let in_tail = n > c && down > rate_per_sec && w < peak - TAIL_LOG_CUTOFF;
        if in_tail || n >= c + MAX_QUEUE_STATES {
            break;
        }
    }
    let total: f64 = log_weight.iter().map(|w| (w - peak).exp()).sum();
    let pi = |n: usize| (log_weight[n] - peak).exp() / total;
    let queue_at_arrival: Vec<f64> = (c..log_weight.len()).map(pi).collect();
    let wait_probability: f64 = queue_at_arrival.iter().sum();
    let mean_queue_length: f64 = queue_at_arrival.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
    let busy: f64 = (0..c).map(|n| n as f64 * pi(n)).sum::<f64>() + c as f64 * wait_probability;
    ErlangA {
        rate_per_sec,
        aht_s,
        patience_s,
        agents,
        offered_load: rate_per_sec * aht_s,
        wait_probability: wait_probability.min(1.0),
        abandon_probability: (gamma * mean_queue_length / rate_per_sec).min(1.0),
        mean_wait_s: mean_queue_length / rate_per_sec,
        mean_queue_length,
        occupancy: (busy / c as f64).min(1.0),
        queue_at_arrival,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erlang::erlang_c;

    fn rel_close(x: f64, y: f64, tol: f64) -> bool {
        (x - y).abs() <= tol * y.abs().max(1e-300)
    }

    /// A few shapes: light and heavy load, impatient and patient customers, overload.
    fn cases() -> Vec<ErlangA> {
        vec![
            erlang_a(100.0 / 1800.0, 180.0, 14, 240.0),
            erlang_a(100.0 / 1800.0, 180.0, 9, 60.0),
            erlang_a(0.5, 2.0, 1, 3.0),
            erlang_a(5.0, 180.0, 800, 120.0),
        ]
    }

    /// A customer finding `k` waiting is served with probability prod_{j=0..k} (c mu + j gamma) / (c mu + (j+1) gamma).
    fn served_given_ahead(q: &ErlangA, k: usize) -> f64 {
        let c_mu = q.agents as f64 / q.aht_s;
        let gamma = 1.0 / q.patience_s;
        (0..=k).map(|j| (c_mu + j as f64 * gamma) / (c_mu + (j + 1) as f64 * gamma)).product()
    }

    #[test]
    fn abandonment_from_littles_law_matches_following_each_customer() {
        for q in cases() {
            let followed: f64 =
                q.queue_at_arrival().iter().enumerate().map(|(k, p)| p * (1.0 - served_given_ahead(&q, k))).sum();
            assert!(rel_close(q.abandon_probability, followed, 1e-9), "{} vs {followed}", q.abandon_probability);
        }
    }

    #[test]
    fn mean_wait_from_littles_law_matches_following_each_customer() {
        for q in cases() {
            let c_mu = q.agents as f64 / q.aht_s;
            let gamma = 1.0 / q.patience_s;
            let mut followed = 0.0;
            for (k, p) in q.queue_at_arrival().iter().enumerate() {
                let mut reach = 1.0;
                let mut wait = 0.0;
                for j in (0..=k).rev() {
                    let rate = c_mu + (j + 1) as f64 * gamma;
                    wait += reach / rate;
                    reach *= (c_mu + j as f64 * gamma) / rate;
                }
                followed += p * wait;
            }
            assert!(rel_close(q.mean_wait_s, followed, 1e-9), "{} vs {followed}", q.mean_wait_s);
        }
    }

    #[test]
    fn occupancy_equals_the_carried_load_per_agent() {
        for q in cases() {
            let carried = q.rate_per_sec * (1.0 - q.abandon_probability) * q.aht_s / q.agents as f64;
            assert!(rel_close(q.occupancy, carried, 1e-9), "{} vs {carried}", q.occupancy);
        }
    }

    #[test]
    fn service_level_approaches_the_served_share_for_long_thresholds() {
        for q in cases() {
            assert!(rel_close(q.service_level(1e6), 1.0 - q.abandon_probability, 1e-9));
            assert!(rel_close(q.service_level(0.0), 1.0 - q.wait_probability, 1e-12));
        }
    }

    #[test]
    fn service_level_matches_an_independent_ode_integration() {
        for q in cases() {
            let t = 20.0;
            let c_mu = q.agents as f64 / q.aht_s;
            let gamma = 1.0 / q.patience_s;
            let deriv = |v: &[f64]| -> (Vec<f64>, f64) {
                let d = (0..v.len())
                    .map(|j| {
                        let inflow = v.get(j + 1).map_or(0.0, |x| x * (c_mu + (j + 1) as f64 * gamma));
                        inflow - v[j] * (c_mu + (j + 1) as f64 * gamma)
                    })
                    .collect();
                (d, v[0] * c_mu)
            };
            let axpy = |v: &[f64], d: &[f64], h: f64| v.iter().zip(d).map(|(a, b)| a + h * b).collect::<Vec<_>>();
            let mut v = q.queue_at_arrival().to_vec();
            let mut served = 0.0;
            let steps = 4000;
            let h = t / steps as f64;
            for _ in 0..steps {
                let (k1, s1) = deriv(&v);
                let (k2, s2) = deriv(&axpy(&v, &k1, h / 2.0));
                let (k3, s3) = deriv(&axpy(&v, &k2, h / 2.0));
                let (k4, s4) = deriv(&axpy(&v, &k3, h));
                served += h / 6.0 * (s1 + 2.0 * s2 + 2.0 * s3 + s4);
                for j in 0..v.len() {
                    v[j] += h / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j]);
                }
            }
            let ode = 1.0 - q.wait_probability + served;
            assert!((q.service_level(t) - ode).abs() < 1e-8, "{} vs {ode}", q.service_level(t));
        }
    }

    #[test]
    fn turns_into_erlang_c_as_patience_grows() {
        let c = erlang_c(100.0 / 1800.0, 180.0, 14);
        let a = erlang_a(100.0 / 1800.0, 180.0, 14, 1e9);
        assert!(rel_close(a.wait_probability, c.wait_probability, 1e-5));
        assert!(rel_close(a.mean_wait_s, c.mean_wait_s, 1e-5));
        assert!(rel_close(a.service_level(20.0), c.service_level(20.0), 1e-5));
        assert!(a.abandon_probability < 1e-7);
    }

    #[test]
    fn abandonment_keeps_an_overloaded_queue_finite() {
        let q = erlang_a(100.0 / 1800.0, 180.0, 8, 120.0);
        assert!(q.wait_probability < 1.0 && q.wait_probability > 0.5);
        assert!(q.abandon_probability > 0.1 && q.abandon_probability < 0.5);
        assert!(q.mean_wait_s.is_finite() && q.mean_wait_s < 120.0);
    }

    #[test]
    fn the_queue_estimate_covers_the_states_actually_used() {
        for (rate, aht, agents, patience) in [(0.05, 180.0, 5, 1e5), (5.0, 180.0, 1000, 240.0), (1.0, 10.0, 2, 30.0)] {
            let used = erlang_a(rate, aht, agents, patience).queue_at_arrival().len() as f64;
            assert!(queue_states_estimate(rate, aht, agents, patience) >= used);
        }
    }

    #[test]
    fn stays_finite_for_a_thousand_agents_at_95_percent_load() {
        let q = erlang_a(950.0 / 180.0, 180.0, 1000, 240.0);
        let sl = q.service_level(20.0);
        for x in [q.wait_probability, q.abandon_probability, q.occupancy, sl] {
            assert!(x.is_finite() && (0.0..=1.0).contains(&x), "{x}");
        }
        assert!(q.mean_wait_s.is_finite() && q.mean_wait_s >= 0.0);
        assert!(sl > 0.5);
    }
}
