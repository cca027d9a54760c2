//! `intervals.csv` and `conversations.csv` are streamed to disk run by run; these checks hold the streamed
//! files to the bytes the in-memory path wrote, the memory to a bound, and the folder to no leftovers.

use assert_cmd::Command;
use chatcap::metrics::summary::{conversations_table, intervals_table, response_cdf, summary_table};
use chatcap::report::csv::to_csv;
use chatcap::report::stream::RunFiles;
use chatcap::report::{RunOutputs, write_run};
use chatcap::scenario::load;
use chatcap::sim::run::{RunOptions, simulate, simulate_streaming};
use std::path::{Path, PathBuf};

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The fixture's run: two policies, three replications, a morning of the flagship scenario (queue closed, then
/// open) followed two hours, so every outcome, still-open conversations included, appears.
const SMALL: [&str; 8] = ["--replications", "3", "--set", "warmup=30h", "--set", "duration=3h", "--set", "drain=2h"];

/// Names of temporary files left in `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".chatcap-tmp-"))
        .collect()
}

#[test]
fn streamed_files_match_the_in_memory_bytes_with_one_or_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    for jobs in ["1", "2"] {
        let out = dir.path().join(jobs);
        Command::cargo_bin("chatcap")
            .unwrap()
            .args(["run", "--quiet", "--conversations", "--jobs", jobs])
            .args(SMALL)
            .arg("--out")
            .arg(&out)
            .arg(project("scenarios/persistent-vs-live.toml"))
            .assert()
            .success();
        for file in ["intervals.csv", "conversations.csv"] {
            let expected = std::fs::read(project(&format!("tests/fixtures/streaming/{file}"))).unwrap();
            let got = std::fs::read(out.join(file)).unwrap();
            assert!(got == expected, "--jobs {jobs}: {file} differs from the bytes the in-memory path wrote");
        }
        assert_eq!(temporaries(&out), Vec::<String>::new(), "--jobs {jobs}: temporaries left after success");
    }
}

#[test]
fn streamed_files_match_the_tables_built_in_memory() {
    let overrides: Vec<String> = ["warmup=30h", "duration=3h", "drain=2h", "replications=3"].map(String::from).into();
    let scenario = load(&project("scenarios/persistent-vs-live.toml"), &overrides).unwrap();
    let options = RunOptions { jobs: 2, record_conversations: true, progress: false, record_routing: None };
    let runs = simulate(&scenario, &options).unwrap();
    let expected_intervals = to_csv(&intervals_table(&runs, scenario.origin)).unwrap();
    let expected_conversations = to_csv(&conversations_table(&runs, scenario.origin)).unwrap();
    assert!(expected_conversations.lines().count() > 100, "the scenario measures conversations");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("chatcap")
        .unwrap()
        .args(["run", "--quiet", "--conversations"])
        .args(SMALL)
        .arg("--out")
        .arg(&out)
        .arg(project("scenarios/persistent-vs-live.toml"))
        .assert()
        .success();
    assert!(std::fs::read_to_string(out.join("intervals.csv")).unwrap() == expected_intervals);
    assert!(std::fs::read_to_string(out.join("conversations.csv")).unwrap() == expected_conversations);

    // The charts folded while the file was assembled are those folded from the whole table in memory.
    let capacity = scenario.agents.capacity;
    let outputs = RunOutputs {
        summary: summary_table(&runs, &scenario.policies, capacity),
        intervals: intervals_table(&runs, scenario.origin),
        response_cdf: response_cdf(&runs),
        service_level_s: scenario.service_level.as_secs_f64(),
        capacity_per_agent: f64::from(capacity),
        ..RunOutputs::default()
    };
    let memory = dir.path().join("memory");
    write_run(&memory, &outputs, None).unwrap();
    let mut charts = 0;
    for entry in std::fs::read_dir(memory.join("plots")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            let name = path.file_name().unwrap();
            let streamed = std::fs::read(out.join("plots").join(name)).unwrap();
            assert!(std::fs::read(&path).unwrap() == streamed, "{name:?} differs from the in-memory chart");
            charts += 1;
        }
    }
    assert!(charts >= 4, "only {charts} charts compared");
}

/// Runs `replications` replications of `days` measured days of the M/M/20 scenario, streaming.
fn streamed(dir: &Path, days: u32, replications: u32) -> (u64, usize) {
    let overrides = vec![format!("duration={days}d"), format!("replications={replications}"), "interval=15m".into()];
    let scenario = load(&project("scenarios/mmc.toml"), &overrides).unwrap();
    let options = RunOptions { jobs: 2, record_conversations: true, progress: false, record_routing: None };
    let files = RunFiles::new(dir, replications as usize, true);
    let (runs, held) = simulate_streaming(&scenario, &options, &files).unwrap();
    let mut most_per_run = 0;
    for run in &runs[0].replications {
        assert!(run.measured.intervals.is_empty(), "interval rows stay in memory after the run");
        assert!(run.records.is_empty(), "conversation records stay in memory after the run");
        most_per_run = most_per_run.max(run.measured.conversations);
    }
    let rows = std::fs::metadata(files.intervals(0)).unwrap().len() / (8 * 15);
    assert_eq!(rows, u64::from(days) * 96, "one streamed row per quarter hour");
    assert_eq!(temporaries(dir).len(), 2 * replications as usize, "each run wrote its two temporaries");
    drop(files);
    assert_eq!(temporaries(dir), Vec::<String>::new(), "the temporaries are removed once assembled");
    (most_per_run, held.most_records_waiting)
}

#[test]
fn memory_holds_only_records_out_of_order_however_long_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let (short_conversations, short_held) = streamed(dir.path(), 2, 2);
    let (long_conversations, long_held) = streamed(dir.path(), 16, 6);
    assert!(long_conversations > 7 * short_conversations, "the long runs measure eight times as much");
    // A record waits only for conversations that arrived before it and are still open: with a 4-minute mean
    // handling time, a few minutes of arrivals (255 an hour), not a share of the run.
    assert!(short_held > 0, "finishing out of arrival order happens (the bound below is not vacuous)");
    assert!(long_held < 500, "{long_held} records held back at once: the run's history is kept");
    assert!((long_held as u64) * 100 < long_conversations, "{long_held} of {long_conversations} records held at once");
}

#[test]
fn temporaries_are_removed_after_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = load(&project("scenarios/mmc.toml"), &["duration=1d".into(), "replications=4".into()]).unwrap();
    let options = RunOptions { jobs: 2, record_conversations: true, progress: false, record_routing: None };
    let files = RunFiles::new(dir.path(), 4, true);
    // The third run cannot write its interval rows: a folder is in the way.
    std::fs::create_dir(files.intervals(2)).unwrap();
    let err = simulate_streaming(&scenario, &options, &files).unwrap_err();
    assert!(err.to_string().contains(".intervals.chatcap-tmp-"), "{err}");
    drop(files);
    let left: Vec<String> = temporaries(dir.path()).into_iter().filter(|n| !dir.path().join(n).is_dir()).collect();
    assert_eq!(left, Vec::<String>::new(), "temporary files left after an error");
}

#[test]
fn a_failed_run_leaves_no_temporaries_and_no_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // Every customer arrives at once on one agent: the queue passes its limit and the run stops with an error
    // after the runs wrote their temporaries.
    let scenario = dir.path().join("flood.toml");
    std::fs::write(
        &scenario,
        "name = \"flood\"\nduration = \"1h\"\nreplications = 2\n[arrivals]\nrate = 1000000\n[agents]\ncount = 1\n\
         reply = { dist = \"constant\", value = \"1h\" }\n[[policy]]\nname = \"live\"\nmode = \"live\"\n",
    )
    .unwrap();
    let assert = Command::cargo_bin("chatcap")
        .unwrap()
        .args(["run", "--quiet", "--force", "--conversations", "--out"])
        .arg(&out)
        .arg(&scenario)
        .assert()
        .failure();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("500,000"), "{stderr}");
    assert_eq!(temporaries(&out), Vec::<String>::new(), "temporaries left after a failed run");
    assert!(!out.join("intervals.csv").exists() && !out.join("conversations.csv").exists());
}
