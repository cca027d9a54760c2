//! `chatcap merge` of two shard folders: any manifests and CSV files end in a merged sweep or an input error,
//! never a panic or an allocation sized from a number in a file.
//!
//! The input is six parts separated by NUL bytes: `sweep.toml`, `sweep.csv` and `paired.csv` of shard one,
//! then the same of shard two.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const FILES: [&str; 3] = ["sweep.toml", "sweep.csv", "paired.csv"];

/// Two shard folders per fuzzing process, rewritten for every input.
fn dirs() -> &'static [PathBuf; 2] {
    static DIRS: OnceLock<[PathBuf; 2]> = OnceLock::new();
    DIRS.get_or_init(|| {
        let base = std::env::temp_dir().join(format!("chatcap-fuzz-merge-{}", std::process::id()));
        let dirs = [base.join("shard-1"), base.join("shard-2")];
        for d in &dirs {
            std::fs::create_dir_all(d).expect("temp folder");
        }
        dirs
    })
}

fuzz_target!(|data: &[u8]| {
    let dirs = dirs();
    let mut parts = data.split(|&b| b == 0);
    for dir in dirs {
        for name in FILES {
            std::fs::write(dir.join(name), parts.next().unwrap_or_default()).expect("temp file");
        }
    }
    match chatcap::sweep::merge::merge(&dirs[..]) {
        Ok(files) => assert_eq!(files.manifest.shard, "1/1"),
        Err(e) => assert!(matches!(e, chatcap::Error::Input(_)), "not an input error: {e}"),
    }
});
