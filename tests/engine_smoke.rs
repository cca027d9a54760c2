use chatcap::metrics::summary::{metric_values, METRICS, conservation};
use chatcap::sim::run::{simulate, RunOptions};
use std::path::Path;

#[test]
fn smoke() {
    for f in ["mmc", "persistent-vs-live", "night-team", "idle-thresholds"] {
        let s = chatcap::scenario::load(Path::new(&format!("scenarios/{f}.toml")), &["replications=1".into()]).unwrap();
        let t = std::time::Instant::now();
        let runs = simulate(&s, &RunOptions { jobs: 2, ..Default::default() }).unwrap();
        println!("== {f} in {:?}", t.elapsed());
        for p in &runs {
            let m = &p.replications[0].measured;
            println!("-- {} conservation {:?}", p.policy, conservation(m));
            let v = metric_values(m, s.agents.capacity);
            for (k, name) in METRICS.iter().enumerate() {
                print!("{name}={:.3?} ", v[k]);
            }
            println!();
        }
    }
}
