//! Scenario errors are typed values: an embedder reads the file, place, key and kind of problem without parsing
//! the message, and the message is still the one line planners read.

use chatcap::Error;
use chatcap::scenario::{
    CalendarError, Context, DurationError, OverrideError, Place, Problem, ScenarioError, load, load_str,
};
use chatcap::sweep::run::point_scenarios;
use chatcap::sweep::{Grid, Shard};
use std::path::Path;

const MMC: &str = "scenarios/mmc.toml";

/// The typed error of a scenario that must fail to load.
fn scenario_error(result: chatcap::Result<chatcap::scenario::Scenario>) -> ScenarioError {
    match result {
        Err(Error::Scenario(e)) => *e,
        Err(other) => panic!("not a scenario error: {other:?}"),
        Ok(_) => panic!("the scenario loaded"),
    }
}

fn mmc_with(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(MMC).unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn an_out_of_range_capacity_has_its_key_line_and_bounds() {
    let text = mmc_with("capacity = 1 ", "capacity = 0 ");
    let result = load_str(&text, Path::new("mmc.toml"), &[]);
    assert_eq!(result.as_ref().err().map(Error::exit_code), Some(2));
    let e = scenario_error(result);
    assert_eq!(e.file, Path::new("mmc.toml"));
    assert_eq!(e.place, Place::Line(27));
    assert_eq!(e.key.as_deref(), Some("agents.capacity"));
    assert!(matches!(e.problem, Problem::TooSmall { min: 1, got: 0 }), "{:?}", e.problem);
    assert_eq!(e.context, None);
    assert_eq!(e.to_string(), "mmc.toml:27: agents.capacity: must be a whole number >= 1, got 0");
}

#[test]
fn an_override_is_its_place() {
    let e = scenario_error(load(Path::new(MMC), &["agents.capacity=0".into()]));
    assert_eq!(e.place, Place::Set { text: "agents.capacity=0".into() });
    assert_eq!(
        e.to_string(),
        "scenarios/mmc.toml: --set agents.capacity=0: agents.capacity: must be a whole number >= 1, got 0"
    );

    let e = scenario_error(load(Path::new(MMC), &["agents.capacity".into()]));
    assert_eq!(e.key, None);
    assert!(matches!(e.problem, Problem::Override(OverrideError::NotKeyValue)), "{:?}", e.problem);

    let e = scenario_error(load(Path::new(MMC), &["queue.general.priority=1".into()]));
    assert_eq!(e.key.as_deref(), Some("queue.general.priority"));
    assert!(
        matches!(&e.problem, Problem::Override(OverrideError::NoSuchName { list, name, names })
            if list == "queue" && name == "general" && names.is_empty()),
        "{:?}",
        e.problem
    );
}

#[test]
fn a_vary_value_is_named_vary_and_the_users_own_set_stays_set() {
    let grid = Grid::parse(&["agents.capacity=1,0".into()]).unwrap();
    let Err(Error::Scenario(e)) = point_scenarios(Path::new(MMC), &[], &grid, Shard::ALL, 1) else {
        panic!("point 2 has capacity 0")
    };
    assert_eq!(e.place, Place::Vary { text: "agents.capacity=0".into() });
    assert_eq!(e.key.as_deref(), Some("agents.capacity"));
    assert!(e.to_string().starts_with("scenarios/mmc.toml: --vary agents.capacity=0: agents.capacity: "), "{e}");

    // The maximum comes from the user's --set; the --vary value makes the minimum larger: the error is at the --set.
    let set = r#"agents.reply={ dist = "uniform", min = "1s", max = "30s" }"#.to_string();
    let grid = Grid::parse(&["agents.reply.min=10s,60s".into()]).unwrap();
    let sets = [set.clone()];
    let Err(Error::Scenario(e)) = point_scenarios(Path::new(MMC), &sets, &grid, Shard::ALL, 1) else {
        panic!("point 2 has min above max")
    };
    assert_eq!(e.place, Place::Set { text: set });
    assert_eq!(e.key.as_deref(), Some("agents.reply.max"));
}

#[test]
fn an_error_in_a_policys_set_carries_the_policy() {
    let text = std::fs::read_to_string("scenarios/blended-team.toml").unwrap();
    let broken = text.replacen(r#""workstream.chat-live.share" = 0.7"#, r#""workstream.chat-live.share" = 2"#, 1);
    assert_ne!(broken, text);
    let e = scenario_error(load_str(&broken, Path::new("b.toml"), &[]));
    assert_eq!(e.context, Some(Context::PolicySet("persistent-30".into())));
    assert_eq!(e.key.as_deref(), Some("workstream.chat-live.share"));
    assert!(matches!(e.problem, Problem::OutOfRange { got, .. } if got == 2.0), "{:?}", e.problem);
    assert!(e.to_string().ends_with(", got 2 (applying the set of policy persistent-30)"), "{e}");
}

#[test]
fn reader_and_value_problems_are_typed() {
    let load_text = |text: &str| scenario_error(load_str(text, Path::new("t.toml"), &[]));

    let e = load_text(&mmc_with("capacity = 1 ", "capcity = 1 "));
    assert!(
        matches!(&e.problem, Problem::UnknownKey { key, suggestion: Some(s), .. } if key == "capcity" && s == "capacity"),
        "{:?}",
        e.problem
    );

    let e = load_text(&mmc_with("[[policy]]", "[[policy]\n"));
    assert!(matches!(&e.problem, Problem::Syntax { .. }), "{:?}", e.problem);
    assert_eq!(e.key, None);

    let e = load_text(&mmc_with("rate = 255", "trace_ = 1"));
    assert!(matches!(&e.problem, Problem::UnknownKey { .. }), "{:?}", e.problem);

    let e = load_text(&mmc_with("rate = 255", "hourly = [1]"));
    assert_eq!(e.key.as_deref(), Some("arrivals.rate"));
    assert!(matches!(&e.problem, Problem::Missing { .. }), "{:?}", e.problem);

    let e = load_text(&mmc_with(r#"mean = "4m""#, r#"mean = "4x""#));
    assert_eq!(e.key.as_deref(), Some("agents.reply.mean"));
    assert_eq!(e.problem.to_string(), r#""4x" has an unknown unit "x": use ms, s, m, h, d or w"#);
    assert!(matches!(&e.problem, Problem::Duration(DurationError::UnknownUnit { unit, .. }) if unit == "x"));

    let e = load_text(&mmc_with(
        "[arrivals]",
        "[hours]\nmon = \"08:00-20:00\"\nclosed_dates = [\"2024-02-30\"]\n\n[arrivals]",
    ));
    assert_eq!(e.key.as_deref(), Some("hours.closed_dates"));
    assert!(matches!(&e.problem, Problem::Calendar(CalendarError::NoSuchDay(d)) if d == "2024-02-30"));
}

#[test]
fn a_data_files_own_error_names_the_key_that_read_it() {
    let path = std::env::temp_dir().join(format!("chatcap-scenario-errors-{}.csv", std::process::id()));
    std::fs::write(&path, "value\n-3\n").unwrap();
    let set = format!(r#"agents.reply={{ dist = "empirical", file = "{}" }}"#, path.display());
    let result = load(Path::new(MMC), std::slice::from_ref(&set));
    std::fs::remove_file(&path).unwrap();
    let e = scenario_error(result);
    assert_eq!(e.place, Place::Set { text: set.clone() });
    assert_eq!(e.key.as_deref(), Some("agents.reply.file"));
    let Problem::DataFile(what) = &e.problem else { panic!("{:?}", e.problem) };
    assert_eq!(what, &format!("{}:2: -3 is not a duration in seconds (0 or more)", path.display()));
    assert_eq!(e.to_string(), format!("{what} (read for scenarios/mmc.toml: --set {set}: agents.reply.file)"));
}
