//! Loading whole scenarios: a full example, shipped files, overrides, and a table of broken files.

use super::*;
use crate::Error;
use crate::hours::days_from_civil;
use crate::routing::{AssignmentMethod, Millis};
use std::path::{Path, PathBuf};

const FULL: &str = r#"name = "retail-support"
seed = 42
start = "2024-01-01T00:00:00"
duration = "14d"
warmup = "1d"
drain = "30d"
replications = 5
service_level = "60s"
interval = "30m"

[hours]
mon = "08:00-20:00"
tue = ["08:00-12:00", "13:00-20:00"]
sat = "10:00-16:00"
sun = "closed"
closed_dates = ["2024-12-25"]

[arrivals]
rate = 60
hourly = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.2, 1.4, 1.4, 1.3, 1.2, 1.3, 1.4, 1.4, 1.3, 1.2, 1.0, 0.9, 0.8, 0.6, 0.4, 0.3]
weekly = [1, 1, 1, 1, 1.1, 0.7, 0.4]

[customer]
sessions = { dist = "geometric", mean = 2 }
messages = { dist = "geometric", mean = 3 }
think = { dist = "lognormal", mean = "40s", sd = "30s" }
away = { dist = "lognormal", mean = "3h", sd = "5h" }
patience = { dist = "exponential", mean = "4m" }
never_return = 0.1

[agents]
count = 20
capacity = 3
attention = "single"
reply = { dist = "lognormal", mean = "45s", sd = "25s" }
slowdown = [1.0, 1.18, 1.4]
wrap_up = { dist = "constant", value = "30s" }
wrap_up_holds_capacity = true

[[policy]]
name = "live"
mode = "live"
assignment = "highest_capacity"
end_after_idle = "3m"

[[policy]]
name = "persistent"
mode = "persistent"
park_after_idle = "10m"
same_agent = true
same_agent_wait = "1h"
auto_close_after = "7d"
"#;

const MINIMAL: &str = r#"name = "tiny"
duration = "1d"

[arrivals]
rate = 10

[agents]
count = 2
reply = { dist = "constant", value = "1m" }

[[policy]]
name = "live"
mode = "live"
"#;

fn file() -> PathBuf {
    PathBuf::from("scenarios/test.toml")
}

fn load_text(text: &str, sets: &[&str]) -> crate::Result<Scenario> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load_str(text, &file(), &sets)
}

#[test]
fn the_contract_example_loads_with_its_values() {
    let s = load_text(FULL, &[]).unwrap();
    assert_eq!(s.name, "retail-support");
    assert_eq!(s.seed, 42);
    assert_eq!(s.origin.day, days_from_civil(2024, 1, 1));
    assert_eq!(s.duration, Millis(14 * Millis::DAY.0));
    assert_eq!(s.warmup, Millis::DAY);
    assert_eq!(s.drain, Millis(30 * Millis::DAY.0));
    assert_eq!(s.replications, 5);
    assert_eq!(s.service_level, Millis::from_secs(60));
    assert_eq!(s.interval, Millis::from_mins(30));
    assert!(s.hours.is_open(Millis::from_hours(9)));
    assert!(!s.hours.is_open(Millis::from_mins(24 * 60 + 12 * 60 + 30)));
    assert!(!s.hours.is_open(Millis::from_hours(2 * 24 + 9)), "wednesday is not listed");
    let Arrivals::Rate { per_hour, hourly, weekly } = &s.arrivals else { panic!("rate expected") };
    assert_eq!(*per_hour, 60.0);
    assert_eq!(hourly[9], 1.4);
    assert_eq!(weekly[6], 0.4);
    assert_eq!(s.customer.sessions.mean(), 2.0);
    assert_eq!(s.customer.messages.mean(), 3.0);
    assert_eq!(s.customer.think.mean(), Millis::from_secs(40));
    assert_eq!(s.customer.away.mean(), Millis::from_hours(3));
    assert_eq!(s.customer.patience.as_ref().map(Dist::mean), Some(Millis::from_mins(4)));
    assert_eq!(s.customer.never_return, 0.1);
    assert_eq!(s.agents.staffing, Staffing::count(20));
    assert_eq!(s.agents.capacity, 3);
    assert_eq!(s.agents.attention, Attention::Single);
    assert_eq!(s.agents.reply.mean(), Millis::from_secs(45));
    assert_eq!(s.agents.slowdown, vec![1.0, 1.18, 1.4]);
    assert_eq!(s.agents.wrap_up.mean(), Millis::from_secs(30));
    assert!(s.agents.wrap_up_holds_capacity);
    let singles: Vec<(&str, Option<(AssignmentMethod, &ModeSpec)>)> =
        s.policies.iter().map(|p| (p.name.as_str(), p.single())).collect();
    assert_eq!(
        singles,
        vec![
            (
                "live",
                Some((AssignmentMethod::HighestCapacity, &ModeSpec::Live { end_after_idle: Millis::from_mins(3) }))
            ),
            (
                "persistent",
                Some((
                    AssignmentMethod::HighestCapacity,
                    &ModeSpec::Persistent {
                        park_after_idle: Millis::from_mins(10),
                        same_agent: true,
                        same_agent_wait: Millis::HOUR,
                        auto_close_after: Millis(7 * Millis::DAY.0)
                    }
                ))
            ),
        ]
    );
    let lines = s.describe();
    assert!((3..=6).contains(&lines.len()), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("mon 08:00-20:00")
            && l.contains("tue 08:00-12:00, 13:00-20:00")
            && l.contains("sun closed")),
        "{lines:?}"
    );
}

#[test]
fn defaults_fill_what_is_not_written() {
    let s = load_text(MINIMAL, &[]).unwrap();
    assert_eq!(s.seed, 1);
    assert_eq!(s.origin, crate::hours::Origin::midnight(days_from_civil(2024, 1, 1)));
    assert_eq!((s.warmup, s.drain, s.replications), (Millis::ZERO, DEFAULT_DRAIN, 1));
    assert_eq!((s.service_level, s.interval), (Millis::from_secs(60), Millis::from_mins(30)));
    assert!(s.hours.is_always_open());
    assert_eq!(s.arrivals, Arrivals::Rate { per_hour: 10.0, hourly: [1.0; 24], weekly: [1.0; 7] });
    assert_eq!((s.customer.sessions.mean(), s.customer.messages.mean()), (1.0, 1.0));
    assert!(matches!(s.customer.think, Dist::Constant { value } if value == Millis::from_secs(30)));
    assert!(matches!(s.customer.away, Dist::Exponential { mean, .. } if mean == Millis::from_hours(4)));
    assert!(s.customer.patience.is_none());
    assert_eq!(s.customer.never_return, 0.0);
    assert_eq!((s.agents.capacity, s.agents.attention), (1, Attention::Single));
    assert!(s.agents.slowdown.is_empty());
    assert_eq!(s.agents.wrap_up.mean(), Millis::ZERO);
    assert!(s.agents.wrap_up_holds_capacity);
    assert_eq!(s.policies[0].single().unwrap().1, &ModeSpec::Live { end_after_idle: Millis::from_mins(3) });
    let s = load_text(&MINIMAL.replace("mode = \"live\"", "mode = \"persistent\""), &[]).unwrap();
    assert_eq!(
        *s.policies[0].single().unwrap().1,
        ModeSpec::Persistent {
            park_after_idle: Millis::from_mins(10),
            same_agent: true,
            same_agent_wait: Millis::HOUR,
            auto_close_after: Millis(7 * Millis::DAY.0)
        }
    );
}

#[test]
fn overrides_change_keys_by_dotted_path() {
    let s = load_text(
        FULL,
        &[
            "agents.count=30",
            "customer.think.mean=20s",
            "policy.persistent.park_after_idle=5m",
            "hours.mon=closed",
            "seed=7",
            "start=2024-03-04 08:00:00",
            "hours.sun=10:00-16:00",
            "name=renamed",
            "agents.attention=\"parallel\"",
            "arrivals.weekly=[1,1,1,1,1,1,1]",
            "customer.patience={ dist = \"constant\", value = \"2m\" }",
        ],
    )
    .unwrap();
    assert_eq!(s.agents.staffing, Staffing::count(30));
    assert_eq!(s.customer.think.mean(), Millis::from_secs(20));
    let ModeSpec::Persistent { park_after_idle, .. } = *s.policies[1].single().unwrap().1 else { panic!() };
    assert_eq!(park_after_idle, Millis::from_mins(5));
    assert_eq!(s.seed, 7);
    assert_eq!(s.origin.ms_of_day, Millis::from_hours(8).0);
    assert_eq!(s.agents.attention, Attention::Parallel);
    assert!(!s.hours.is_open(Millis::from_hours(1)), "monday 09:00 is now closed");
    assert!(s.hours.is_open(Millis::from_hours(6 * 24 + 3)), "sunday 11:00 is now open");
    assert_eq!(s.name, "renamed");
    assert_eq!(s.customer.patience.map(|p| p.mean()), Some(Millis::from_mins(2)));
}

#[test]
fn an_override_of_one_alternative_replaces_the_others() {
    let s =
        load_text(MINIMAL, &["agents.shifts=[{ days = \"mon-fri\", start = \"08:00\", end = \"16:00\", count = 3 }]"])
            .unwrap();
    assert_eq!(s.agents.staffing.max_scheduled(), 3);
    assert!(matches!(s.agents.staffing.roster, Roster::Shifts(_)));
}

#[test]
fn a_count_override_never_silently_replaces_shifts() {
    let shifts = MINIMAL
        .replace("count = 2", "shifts = [{ days = \"mon-fri\", start = \"08:00\", end = \"16:00\", count = 3 }]");
    let e = load_text(&shifts, &["agents.count=5"]).unwrap_err().to_string();
    assert!(e.contains("--set agents.count=5") && e.contains("agents.scale"), "{e}");
    let s = load_text(&shifts, &["agents.scale=2", "agents.shrinkage=0.2"]).unwrap();
    assert_eq!((s.agents.staffing.max_scheduled(), s.agents.staffing.max_agents()), (6, 5));
}

#[test]
fn bad_scale_and_shrinkage_name_the_line_and_key() {
    for (line, key) in [
        ("shrinkage = 1", "agents.shrinkage"),
        ("shrinkage = 1.5", "agents.shrinkage"),
        ("shrinkage = -0.1", "agents.shrinkage"),
        ("scale = -1", "agents.scale"),
        ("scale = 0", "agents.scale"),
        ("shrinkage = 0.9", "agents.shrinkage"),
    ] {
        let text = MINIMAL.replace("count = 2", &format!("count = 2\n{line}"));
        let e = load_text(&text, &[]).unwrap_err().to_string();
        assert!(e.contains(key), "{line}: {e}");
        let at = text.lines().position(|l| l == line).unwrap() + 1;
        assert!(e.contains(&format!(":{at}:")), "{line}: line {at} in {e}");
    }
}

#[test]
fn shifts_become_a_headcount_plan() {
    let text = MINIMAL.replace(
        "count = 2",
        "shifts = [\n  { days = \"mon-fri\", start = \"08:00\", end = \"16:00\", count = 10 },\n  { days = [\"sat\", \"sun\"], start = \"22:00\", end = \"06:00\", count = 2 },\n]",
    );
    let s = load_text(&text, &[]).unwrap();
    let Roster::Shifts(shifts) = &s.agents.staffing.roster else { panic!() };
    assert_eq!(
        shifts[1],
        Shift { days: [false, false, false, false, false, true, true], start_min: 22 * 60, end_min: 6 * 60, count: 2 }
    );
    assert_eq!(s.agents.staffing.max_agents(), 10);
}

#[test]
fn trace_schedule_and_empirical_files_are_relative_to_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("arrivals.csv"), "arrival,patience\n2024-01-01 00:00:30,\n10,5\n").unwrap();
    std::fs::write(dir.path().join("staff.csv"), "from,agents\n0,2\n2024-01-01 08:00:00,5\n").unwrap();
    std::fs::write(dir.path().join("reply.csv"), "seconds\n30\n60\n").unwrap();
    let text = MINIMAL
        .replace("rate = 10", "trace = \"arrivals.csv\"")
        .replace("count = 2", "schedule = \"staff.csv\"")
        .replace("{ dist = \"constant\", value = \"1m\" }", "{ dist = \"empirical\", file = \"reply.csv\" }");
    let s = load_str(&text, &dir.path().join("s.toml"), &[]).unwrap();
    let Arrivals::Trace(t) = &s.arrivals else { panic!() };
    assert_eq!(t.iter().map(|r| r.arrival).collect::<Vec<_>>(), vec![Millis(10_000), Millis(30_000)]);
    assert_eq!(t[1].patience, Some(None));
    assert_eq!(s.agents.staffing.roster, Roster::Schedule(vec![(Millis::ZERO, 2), (Millis::from_hours(8), 5)]));
    assert_eq!(s.agents.reply.mean(), Millis::from_secs(45));
}

#[test]
fn every_shipped_scenario_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let s = load(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
            assert!(!s.describe().is_empty());
            count += 1;
        }
    }
    assert!(count >= 4, "expected the shipped scenarios in {}", dir.display());
}

#[test]
fn a_missing_file_is_an_input_error() {
    let e = load(Path::new("scenarios/does-not-exist.toml"), &[]).unwrap_err();
    assert!(matches!(e, Error::Input(_)));
}

/// Broken scenarios: (what is changed, expected `:LINE:` or `--set`, key named in the message).
#[test]
fn broken_scenarios_name_file_line_and_key() {
    let cases: Vec<(String, Vec<&str>, &str, &str)> = vec![
        (FULL.replace("capacity = 3", "capacity = 0"), vec![], "@capacity = 0", "agents.capacity"),
        (FULL.replace("capacity = 3", "capacity = 1001"), vec![], "@capacity = 1001", "agents.capacity"),
        (FULL.replace("capacity = 3", "capacity = \"three\""), vec![], "@capacity = \"three", "agents.capacity"),
        (FULL.replace("capacity = 3", "capacty = 3"), vec![], "@capacty", "agents.capacty"),
        (FULL.replace("[agents]", "[agent]"), vec![], "@[agent]", "agent"),
        (FULL.replace("seed = 42", "seed = -1"), vec![], "@seed = -1", "seed"),
        (FULL.replace("duration = \"14d\"", "duration = 14"), vec![], "@duration = 14", "duration"),
        (FULL.replace("duration = \"14d\"", "duration = \"14 days\""), vec![], "@14 days", "duration"),
        (FULL.replace("duration = \"14d\"", "duration = \"4000d\""), vec![], "@4000d", "duration"),
        (FULL.replace("duration = \"14d\"\n", ""), vec![], ":1:", "duration"),
        (FULL.replace("name = \"retail-support\"", "# no name"), vec![], ":1:", "name"),
        (FULL.replace("replications = 5", "replications = 10001"), vec![], "@replications", "replications"),
        (FULL.replace("interval = \"30m\"", "interval = \"30s\""), vec![], "@interval", "interval"),
        (FULL.replace("start = \"2024-01-01T00:00:00\"", "start = \"2024-13-01T00:00:00\""), vec![], "@start", "start"),
        (FULL.replace("mon = \"08:00-20:00\"", "mon = \"20:00-08:00\""), vec![], "@mon =", "hours.mon"),
        (FULL.replace("mon = \"08:00-20:00\"", "mon = \"8am-8pm\""), vec![], "@mon =", "hours.mon"),
        (FULL.replace("mon = \"08:00-20:00\"", "monday = \"08:00-20:00\""), vec![], "@monday", "hours.monday"),
        (FULL.replace("\"2024-12-25\"", "\"2024-12-32\""), vec![], "@2024-12-32", "hours.closed_dates"),
        (FULL.replace("0.3]", "0.3, 1]"), vec![], "@hourly", "arrivals.hourly"),
        (FULL.replace("0.7, 0.4]", "0.7]"), vec![], "@weekly", "arrivals.weekly"),
        (FULL.replace("1.1, 0.7", "-1.1, 0.7"), vec![], "@weekly", "arrivals.weekly"),
        (FULL.replace("rate = 60", "rate = 60\ntrace = \"t.csv\""), vec![], "@trace", "arrivals.trace"),
        (FULL.replace("rate = 60\n", ""), vec![], "@[arrivals]", "arrivals.rate"),
        (FULL.replace("rate = 60", "rate = -5"), vec![], "@rate = -5", "arrivals.rate"),
        (MINIMAL.replace("rate = 10", "trace = \"missing.csv\""), vec![], "@missing.csv", "arrivals.trace"),
        (
            FULL.replace("\"geometric\", mean = 2", "\"poisson\", mean = 2"),
            vec![],
            "@poisson",
            "customer.sessions.dist",
        ),
        (
            FULL.replace("\"geometric\", mean = 2", "\"geometric\", mean = 0"),
            vec![],
            "@sessions",
            "customer.sessions.mean",
        ),
        (
            FULL.replace("mean = \"40s\", sd = \"30s\"", "mean = \"0s\", sd = \"30s\""),
            vec![],
            "@think",
            "customer.think.mean",
        ),
        (FULL.replace("mean = \"40s\", sd = \"30s\"", "mean = \"40s\""), vec![], "@think", "customer.think.sd"),
        (FULL.replace("mean = \"4m\" }", "mean = \"4m\", sd = \"1m\" }"), vec![], "@patience", "customer.patience.sd"),
        (FULL.replace("never_return = 0.1", "never_return = 1.5"), vec![], "@never_return", "customer.never_return"),
        (FULL.replace("never_return = 0.1", "retry = 1.5"), vec![], "@retry", "customer.retry"),
        (FULL.replace("never_return = 0.1", "retry = -0.1"), vec![], "@retry", "customer.retry"),
        (
            FULL.replace("never_return = 0.1", "online = { dist = \"exponential\", mean = \"0s\" }"),
            vec![],
            "@online",
            "customer.online",
        ),
        (MINIMAL.replace("[agents]", "[customer]\nretry = 0.5\n[agents]"), vec![], "@retry", "customer.retry"),
        (FULL.replace("count = 20", "count = 20\nshifts = []"), vec![], "@shifts = []", "agents.shifts"),
        (FULL.replace("count = 20", "count = 200000"), vec![], "@count = 200000", "agents.count"),
        (FULL.replace("count = 20\n", ""), vec![], "@[agents]", "agents.count"),
        (FULL.replace("attention = \"single\"", "attention = \"focused\""), vec![], "@focused", "agents.attention"),
        (
            FULL.replace("reply = { dist = \"lognormal\", mean = \"45s\", sd = \"25s\" }\n", ""),
            vec![],
            "@[agents]",
            "agents.reply",
        ),
        (FULL.replace("slowdown = [1.0, 1.18, 1.4]", "slowdown = [1.0, -1]"), vec![], "@slowdown", "agents.slowdown"),
        (FULL.replace("count = 20", "schedule = \"nowhere.csv\""), vec![], "@nowhere", "agents.schedule"),
        (
            FULL.replace("count = 20", "shifts = [{ days = \"mon-fri\", start = \"8\", end = \"16:00\", count = 3 }]"),
            vec![],
            "@shifts",
            "agents.shifts[1].start",
        ),
        (
            FULL.replace("\"3m\"", "\"3m\"\npark_after_idle = \"5m\""),
            vec![],
            "@park_after_idle",
            "policy.live.park_after_idle",
        ),
        (FULL.replace("mode = \"live\"", "mode = \"chat\""), vec![], "@chat", "policy.live.mode"),
        (
            FULL.replace("assignment = \"highest_capacity\"", "assignment = \"random\""),
            vec![],
            "@random",
            "policy.live.assignment",
        ),
        (FULL.replace("name = \"persistent\"", "name = \"live\""), vec![], ":47:", "policy.live.name"),
        (FULL.replace("mode = \"persistent\"", "# no mode"), vec![], ":46:", "policy.persistent.mode"),
        (
            FULL.replace("same_agent = true", "same_agent = \"yes\""),
            vec![],
            "@same_agent = \"yes",
            "policy.persistent.same_agent",
        ),
        (
            FULL.replace("auto_close_after = \"7d\"", "auto_close_after = \"0s\""),
            vec![],
            "@auto_close_after",
            "policy.persistent.auto_close_after",
        ),
        (FULL[..FULL.find("[[policy]]").unwrap()].to_string(), vec![], ":1:", "policy"),
        (FULL.replace("[hours]", "[hours\n"), vec![], "@[hours", "invalid TOML"),
        (FULL.to_string(), vec!["agents.capacity=0"], "--set agents.capacity=0", "agents.capacity"),
        (FULL.to_string(), vec!["agents.capcity=2"], "--set agents.capcity=2", "agents.capcity"),
        (FULL.to_string(), vec!["policy.nobody.mode=live"], "--set policy.nobody.mode=live", "policy.nobody.mode"),
        (FULL.to_string(), vec!["customer.think.mean=fast"], "--set customer.think.mean=fast", "customer.think.mean"),
        (FULL.to_string(), vec!["agents.count"], "--set agents.count", "KEY=VALUE"),
        (FULL.to_string(), vec!["agents.count.x=1"], "--set agents.count.x=1", "agents.count.x"),
        (FULL.to_string(), vec!["hours.mon=24:00-08:00"], "--set hours.mon=24:00-08:00", "hours.mon"),
        (FULL.replace("seed = 42", "seed = 42\nseed = 43"), vec![], ":3:", "`seed`"),
        (
            FULL.replace("[[policy]]\nname = \"live\"", "[policy]\nname = \"live\"")
                .replace("[[policy]]\nname = \"persistent\"", "[x]"),
            vec![],
            "@[policy]",
            "[[policy]]",
        ),
        (FULL.replace("slowdown = [1.0, 1.18, 1.4]", "slowdown = 1.2"), vec![], "@slowdown", "agents.slowdown"),
        (FULL.replace("name = \"live\"", "nme = \"live\""), vec![], "@nme", "policy[1].nme"),
        (
            FULL.replace("closed_dates = [\"2024-12-25\"]", "closed_dates = [2024-12-25, \"x\"]"),
            vec![],
            "@closed_dates",
            "hours.closed_dates",
        ),
        (FULL.to_string(), vec!["policy.live=1"], "--set policy.live=1", "policy.live"),
        (
            MINIMAL.to_string(),
            vec!["customer.patience.mean=5m"],
            "--set customer.patience.mean=5m",
            "customer.patience.dist",
        ),
    ];
    assert!(cases.len() >= 25);
    let mut failures = Vec::new();
    for (text, sets, place, key) in cases {
        let place = match place.strip_prefix('@') {
            Some(marker) => {
                let line = text.lines().position(|l| l.contains(marker)).unwrap_or_else(|| panic!("no {marker:?}")) + 1;
                format!(":{line}:")
            }
            None => place.to_string(),
        };
        let msg = match load_text(&text, &sets) {
            Ok(_) => {
                failures.push(format!("should fail: {place} {key}"));
                continue;
            }
            Err(e @ (Error::Input(_) | Error::Scenario(_))) => e.to_string(),
            Err(other) => {
                failures.push(format!("not an input error: {other:?}"));
                continue;
            }
        };
        if !(msg.starts_with("scenarios/test.toml") && msg.contains(&place) && msg.contains(key) && !msg.contains('\n'))
        {
            failures.push(format!("expected {place:?} and {key:?} in: {msg}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn on_a_damaged_file(cut in 0..FULL.len(), len in 0..40usize, insert in "[ -~\n]{0,12}") {
            let end = (cut + len).min(FULL.len());
            if FULL.is_char_boundary(cut) && FULL.is_char_boundary(end) {
                let text = format!("{}{}{}", &FULL[..cut], insert, &FULL[end..]);
                let _ = load_text(&text, &[]);
            }
        }

        #[test]
        fn on_any_override(key in "[a-z_.]{0,30}", value in "[ -~]{0,20}") {
            let set = format!("{key}={value}");
            let _ = load_text(FULL, &[set.as_str()]);
        }
    }
}
