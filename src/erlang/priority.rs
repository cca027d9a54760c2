//! Non-preemptive priority M/M/c: several classes of customers share one pool of `c` agents, and a free agent
//! always takes the oldest waiting customer of the most urgent class (a conversation being handled is never
//! interrupted). Every class arrives as its own Poisson stream and has the same exponential handling time.
//!
//! Cobham's formula (A. Cobham, "Priority assignment in waiting line problems", Operations Research 2(1), 1954;
//! see Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., section 3.4.2, or
//! Kleinrock, *Queueing Systems* vol. 2, section 3.6) gives the mean wait in queue of class `k` (1 most urgent):
//!
//! ```text
//! W_k = W_0 / ((1 - sigma_{k-1}) (1 - sigma_k)),   sigma_k = sum_{i <= k} lambda_i / (c mu),   sigma_0 = 0,
//! W_0 = C(c, a) / (c mu),
//! ```
//!
//! where `a = sum lambda_i / mu` is the total offered load and `C(c, a)` the Erlang C probability of waiting for
//! it: `W_0` is the mean time, over all arrivals, until the next agent frees up when all are busy. Every class
//! waits at all with the same probability `C(c, a)` (all agents busy on arrival), and the classes' waits averaged
//! by arrival rate equal the first-come-first-served Erlang C mean wait (Kleinrock's conservation law).

use super::c::erlang_c;

/// Mean wait in queue of each priority class, seconds, most urgent first; `INFINITY` for a class whose wait
/// grows without bound (`sigma_k >= 1`: it and the more urgent classes alone fill every agent).
///
/// `rates_per_sec` lists each class's arrival rate, most urgent first; `aht_s` is the mean handling time they
/// share.
///
/// # Panics
/// If there is no class, a rate is negative or not finite, their sum is not positive, the handling time is not
/// positive, or `agents` is 0: callers validate their input first.
pub fn priority_waits(rates_per_sec: &[f64], aht_s: f64, agents: u32) -> Vec<f64> {
    assert!(!rates_per_sec.is_empty(), "at least one class is needed");
    assert!(rates_per_sec.iter().all(|r| r.is_finite() && *r >= 0.0), "rates must be >= 0: {rates_per_sec:?}");
    let total: f64 = rates_per_sec.iter().sum();
    let pool = erlang_c(total, aht_s, agents);
    let service_rate = agents as f64 / aht_s;
    let w0 = pool.wait_probability / service_rate;
    let mut sigma_before = 0.0;
    rates_per_sec
        .iter()
        .map(|rate| {
            let sigma = sigma_before + rate / service_rate;
            let wait = if sigma < 1.0 { w0 / ((1.0 - sigma_before) * (1.0 - sigma)) } else { f64::INFINITY };
            sigma_before = sigma;
            wait
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn one_agent_two_classes_by_hand() {
        // M/M/1, mu = 1, lambda_1 = lambda_2 = 0.25: C = rho = 0.5, W_0 = 0.5, sigma_1 = 0.25, sigma_2 = 0.5;
        // W_1 = 0.5 / (1 x 0.75) = 2/3, W_2 = 0.5 / (0.75 x 0.5) = 4/3, averaging 1 = rho / (mu - lambda).
        let w = priority_waits(&[0.25, 0.25], 1.0, 1);
        assert!(close(w[0], 2.0 / 3.0, 1e-12) && close(w[1], 4.0 / 3.0, 1e-12), "{w:?}");
    }

    #[test]
    fn two_agents_by_hand() {
        // M/M/2, mu = 1, lambda_1 = 0.5, lambda_2 = 1: a = 1.5, B(2, 1.5) = 1.125 / 3.625 = 9/29,
        // C = 2B / (2 - 1.5 (1 - B)) = 18/29 / (2 - 30/29) = 9/14, W_0 = C / 2 = 9/28,
        // sigma_1 = 0.25, sigma_2 = 0.75: W_1 = (9/28) / 0.75 = 3/7, W_2 = (9/28) / (0.75 x 0.25) = 12/7.
        let w = priority_waits(&[0.5, 1.0], 1.0, 2);
        assert!(close(w[0], 3.0 / 7.0, 1e-12) && close(w[1], 12.0 / 7.0, 1e-12), "{w:?}");
    }

    #[test]
    fn one_class_is_erlang_c() {
        let c = erlang_c(276.0 / 3600.0, 120.0, 10);
        let w = priority_waits(&[276.0 / 3600.0], 120.0, 10);
        assert!(close(w[0], c.mean_wait_s, 1e-12), "{w:?} vs {}", c.mean_wait_s);
    }

    #[test]
    fn classes_average_to_first_come_first_served() {
        let rates = [0.01, 0.02, 0.015];
        let w = priority_waits(&rates, 180.0, 9);
        let average: f64 = rates.iter().zip(&w).map(|(r, w)| r * w).sum::<f64>() / rates.iter().sum::<f64>();
        let fcfs = erlang_c(0.045, 180.0, 9).mean_wait_s;
        assert!(close(average, fcfs, 1e-12), "{average} vs {fcfs}");
        assert!(w[0] < w[1] && w[1] < w[2], "more urgent waits less: {w:?}");
    }

    #[test]
    fn a_class_past_the_agents_waits_without_bound() {
        // sigma_1 = 0.5, sigma_2 = 1.1: the urgent class is still served, the other is not.
        let w = priority_waits(&[1.0, 1.2], 1.0, 2);
        assert!(w[0].is_finite() && w[1].is_infinite(), "{w:?}");
    }
}
