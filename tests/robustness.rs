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
