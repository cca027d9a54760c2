//! Careless users and batch systems: closed streams, device files, absurd sizes and tampered shards must end in
//! a clear message and a documented exit code, never a panic, a hang or a silently wrong result.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn chatcap() -> Command {
    Command::cargo_bin("chatcap").expect("binary built")
}

/// The binary as a plain process, for tests that redirect its streams to files.
fn plain() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_chatcap"))
}

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `/dev/full` accepts the open but fails every write with "No space left on device".
#[cfg(target_os = "linux")]
fn full() -> fs::File {
    fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full")
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_exit_1_not_a_panic() {
    let out = TempDir::new().unwrap();
    let cases: Vec<Vec<String>> = vec![
        vec!["check".into(), project("scenarios/mmc.toml").display().to_string()],
        vec!["erlang".into(), "c".into(), "--rate".into(), "100".into(), "--aht".into(), "3m".into()]
            .into_iter()
            .chain(["--agents".into(), "6".into()])
            .collect(),
        vec![
            "run".into(),
            "--quiet".into(),
            "--replications".into(),
            "1".into(),
            "--set".into(),
            "duration=1d".into(),
            "--out".into(),
            out.path().display().to_string(),
            project("scenarios/mmc.toml").display().to_string(),
        ],
    ];
    for args in cases {
        let output = plain().args(&args).stdout(full()).output().unwrap();
        let err = stderr_of(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.contains("cannot write to standard output"), "{args:?}: {err}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_error_to_a_full_stderr_keeps_its_exit_code() {
    let output = plain().args(["check", "no-such-file.toml"]).stderr(full()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = plain().args(["check"]).arg(project("scenarios/mmc.toml")).stdout(full()).stderr(full()).output();
    assert_eq!(output.unwrap().status.code(), Some(1));
}

/// Runs chatcap with a deadline: a hang is a failure, not a stuck test suite.
fn within_seconds(mut cmd: std::process::Command, seconds: u64) -> std::process::Output {
    use std::process::Stdio;
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed().as_secs() >= seconds {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {seconds}s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn devices_and_pipes_as_the_scenario_are_refused_at_once() {
    let dir = TempDir::new().unwrap();
    let fifo = dir.path().join("scenario.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for path in [Path::new("/dev/zero"), Path::new("/dev/urandom"), fifo.as_path(), dir.path()] {
        for args in [&["check"][..], &["run", "--quiet"], &["sweep", "--quiet", "--vary", "agents.count=1,2"]] {
            let mut cmd = plain();
            cmd.args(args).arg(path);
            let output = within_seconds(cmd, 10);
            let err = stderr_of(&output);
            assert_eq!(output.status.code(), Some(2), "{args:?} {}: {err}", path.display());
            assert!(err.contains("not a regular file"), "{err}");
        }
    }
}

#[test]
fn an_oversized_scenario_is_refused_without_reading_it_whole() {
    let dir = TempDir::new().unwrap();
    let big = dir.path().join("big.toml");
    let file = fs::File::create(&big).unwrap();
    file.set_len(chatcap::scenario::MAX_SCENARIO_BYTES + 1).unwrap();
    let assert = chatcap().arg("check").arg(&big).assert().code(2);
    let err = stderr_of(assert.get_output());
    assert!(err.contains("larger than 4 MiB"), "{err}");
}

#[test]
fn a_non_utf8_scenario_names_the_line() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("latin1.toml");
    let mut text = fs::read(project("scenarios/mmc.toml")).unwrap();
    text.extend_from_slice(b"\n# caf\xe9\n");
    fs::write(&path, &text).unwrap();
    let line = text.iter().filter(|&&b| b == b'\n').count();
    let assert = chatcap().arg("check").arg(&path).assert().code(2);
    let err = stderr_of(assert.get_output());
    assert!(err.contains(&format!("latin1.toml:{line}: not UTF-8")), "{err}");
}

#[test]
fn absurd_shard_counts_are_refused_where_they_are_given() {
    let out = TempDir::new().unwrap();
    for shard in ["1/18446744073709551615", "1/1000000000000", "1/100001"] {
        let assert = chatcap()
            .args(["sweep", "--quiet", "--vary", "agents.count=2,3", "--shard", shard, "--out"])
            .arg(out.path())
            .arg(project("scenarios/mmc.toml"))
            .assert()
            .code(2);
        let err = stderr_of(assert.get_output());
        assert!(err.contains(&format!("--shard {shard}: N must be at most 100000")), "{err}");
    }
}

#[test]
fn merge_never_sizes_anything_from_a_manifest_shard_count() {
    let dir = TempDir::new().unwrap();
    let shard = dir.path().join("shard");
    chatcap()
        .args(["sweep", "--quiet", "--replications", "1", "--set", "duration=1d", "--vary", "agents.count=6,7"])
        .args(["--shard", "1/2", "--out"])
        .arg(&shard)
        .arg(project("scenarios/mmc.toml"))
        .assert()
        .success();
    let manifest = shard.join("sweep.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    for count in ["18446744073709551615", "1000000000000", "50000"] {
        fs::write(&manifest, text.replace("shard = \"1/2\"", &format!("shard = \"1/{count}\""))).unwrap();
        let assert = chatcap().arg("merge").arg(&shard).arg("--out").arg(dir.path().join("m")).assert().code(2);
        let err = stderr_of(assert.get_output());
        assert!(!err.contains("panicked") && err.contains("shard"), "{count}: {err}");
    }
}

#[test]
fn vary_ranges_keep_every_digit_and_a_varied_seed_is_used() {
    let out = TempDir::new().unwrap();
    chatcap()
        .args(["sweep", "--quiet", "--replications", "1", "--set", "duration=1d", "--set", "warmup=0s"])
        .args(["--vary", "seed=1000000000001..1000000000003", "--out"])
        .arg(out.path())
        .arg(project("scenarios/mmc.toml"))
        .assert()
        .success();
    let text = fs::read_to_string(out.path().join("sweep.csv")).unwrap();
    let seeds: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(seeds, ["1000000000001", "1000000000002", "1000000000003"]);
    let table = chatcap::report::csv::read_csv(&out.path().join("sweep.csv")).unwrap();
    let arrived: Vec<f64> = (0..table.rows.len()).map(|r| table.num(r, "conversations").unwrap()).collect();
    assert!(arrived[0] != arrived[1] || arrived[1] != arrived[2], "each point draws its own customers: {arrived:?}");
    let manifest = fs::read_to_string(out.path().join("sweep.toml")).unwrap();
    assert!(manifest.contains("\"1000000000002\""), "{manifest}");
}

#[test]
fn absurd_jobs_are_refused_and_large_ones_capped() {
    let out = TempDir::new().unwrap();
    let run = |jobs: &str| {
        chatcap()
            .args(["run", "--quiet", "--replications", "2", "--set", "duration=1d", "--jobs", jobs, "--out"])
            .arg(out.path())
            .arg(project("scenarios/mmc.toml"))
            .assert()
    };
    let refused = run("100000").code(2);
    let err = stderr_of(refused.get_output());
    assert!(err.contains("--jobs") && err.contains("1024"), "{err}");
    run("1024").success();
    let one = fs::read(out.path().join("summary.csv")).unwrap();
    run("1").success();
    assert_eq!(fs::read(out.path().join("summary.csv")).unwrap(), one, "same bytes, capped or not");
}

#[cfg(target_os = "linux")]
#[test]
fn a_later_run_removes_temporaries_left_by_a_killed_one() {
    let out = TempDir::new().unwrap();
    let plots = out.path().join("plots");
    fs::create_dir_all(&plots).unwrap();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let left = [
        out.path().join(format!(".summary.chatcap-tmp-{dead}-0.csv")),
        plots.join(format!(".headline.chatcap-tmp-{dead}-3.png")),
    ];
    for f in &left {
        fs::write(f, "half a file").unwrap();
    }
    chatcap()
        .args(["run", "--quiet", "--replications", "1", "--set", "duration=1d", "--out"])
        .arg(out.path())
        .arg(project("scenarios/mmc.toml"))
        .assert()
        .success();
    for f in &left {
        assert!(!f.exists(), "{} is left", f.display());
    }
    let hidden: Vec<String> = [out.path(), &plots]
        .iter()
        .flat_map(|d| fs::read_dir(d).unwrap().flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_seed_beyond_the_scenario_cap_names_the_seed_flag() {
    let assert = chatcap()
        .args(["run", "--quiet", "--seed", "9223372036854775808"])
        .arg(project("scenarios/mmc.toml"))
        .assert()
        .code(2);
    let err = stderr_of(assert.get_output());
    assert!(err.contains("--seed") && !err.contains("--set"), "{err}");
    assert!(err.contains("9223372036854775807"), "the cap is named: {err}");
}

#[test]
fn errors_in_an_empirical_file_name_the_key_that_points_to_it() {
    let dir = TempDir::new().unwrap();
    let text = fs::read_to_string(project("scenarios/mmc.toml")).unwrap();
    let line = text.lines().position(|l| l.starts_with("reply =")).unwrap() + 1;
    let with_file = text.replace(
        "reply = { dist = \"exponential\", mean = \"4m\" }",
        "reply = { dist = \"empirical\", file = \"reply.csv\" }",
    );
    let scenario = dir.path().join("s.toml");
    fs::write(&scenario, with_file).unwrap();
    let named = format!("(read for {}:{line}: agents.reply.file)", scenario.display());
    for (samples, what) in [
        ("", "reply.csv: the file holds no values"),
        ("seconds\n", "reply.csv: the file holds no values"),
        ("seconds\n30\nabc\n", "reply.csv:3: \"abc\" is not a number"),
        ("seconds\n30\n-4\n", "reply.csv:3: -4 is not a duration"),
    ] {
        fs::write(dir.path().join("reply.csv"), samples).unwrap();
        let assert = chatcap().arg("check").arg(&scenario).assert().code(2);
        let err = stderr_of(assert.get_output());
        assert!(err.contains(what) && err.contains(&named), "{samples:?}: {err}");
    }
}

#[test]
fn check_estimates_the_work_and_run_refuses_absurd_products() {
    let flagship = project("scenarios/persistent-vs-live.toml");
    let assert = chatcap().arg("check").args(["--set", "replications=5"]).arg(flagship).assert().success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        text.contains("work: 10 runs (policies x replications)")
            && text.contains("simulated time")
            && text.contains("intervals.csv"),
        "{text}"
    );
    assert!(!text.contains("would refuse"), "{text}");

    let absurd = ["--set", "duration=3650d", "--set", "arrivals.rate=1000000", "--set", "replications=10000"];
    let assert = chatcap().arg("check").args(absurd).arg(project("scenarios/mmc.toml")).assert().success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(text.contains("run would refuse it"), "{text}");

    let out = TempDir::new().unwrap();
    let assert = chatcap()
        .args(["run", "--quiet", "--out"])
        .arg(out.path())
        .args(absurd)
        .arg(project("scenarios/mmc.toml"))
        .assert()
        .code(2);
    let err = stderr_of(assert.get_output());
    assert!(
        err.contains("conversations to simulate") && err.contains("replications") && err.contains("--force"),
        "{err}"
    );
    assert!(!out.path().join("summary.csv").exists());

    // Ten years at a one-minute interval: refused for its intervals.csv alone.
    let long = ["--set", "duration=3650d", "--set", "interval=1m", "--set", "replications=1"];
    let mut cmd = chatcap();
    cmd.args(["run", "--quiet", "--out"]).arg(out.path()).args(long).arg(project("scenarios/mmc.toml"));
    let assert = cmd.assert().code(2);
    assert!(stderr_of(assert.get_output()).contains("intervals.csv rows"));
}

#[test]
fn an_overloaded_scenario_ends_with_exit_1_and_how_much_not_an_abort() {
    let out = TempDir::new().unwrap();
    let overload = ["--set", "agents.count=1", "--set", "arrivals.rate=1000000", "--set", "replications=1"];
    let assert = chatcap()
        .args(["run", "--quiet", "--set", "duration=1d", "--out"])
        .arg(out.path())
        .args(overload)
        .arg(project("scenarios/mmc.toml"))
        .assert()
        .code(1);
    let err = stderr_of(assert.get_output());
    assert!(err.contains("policy live, replication 1") && err.contains("overloaded"), "{err}");
    assert!(
        err.contains("passed 500,000 waiting conversations") && err.contains("more conversations arrived"),
        "{err}"
    );
    assert!(!out.path().join("summary.csv").exists(), "no result from a truncated run");

    let assert = chatcap()
        .args(["sweep", "--quiet", "--set", "duration=1d", "--vary", "agents.count=1", "--out"])
        .arg(out.path().join("sweep"))
        .args(overload)
        .arg(project("scenarios/mmc.toml"))
        .assert()
        .code(1);
    let err = stderr_of(assert.get_output());
    assert!(err.contains("point 0 (agents.count=1)") && err.contains("overloaded"), "{err}");
}
