//! All-or-nothing output: files are written under temporary names next to their destination and renamed into
//! place only when every one of them is complete.
//!
//! A rename within one directory is atomic on every platform chatcap targets, so a reader (or a planner's
//! spreadsheet) sees either the old file or the new one, never half of one. Temporary names keep the final
//! extension because some encoders (the PNG writer) pick the format from it.
//!
//! A process killed outright (`kill -9`, a batch system's time limit) cannot remove its temporaries. The first
//! time a process stages a file in a folder, it removes the temporaries there whose process is gone (on Linux:
//! no `/proc/PID`; elsewhere: older than a day), so leftovers never pile up across runs into one folder.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Error, Result};

/// The marker in every temporary file name, so stray temporaries are recognisable.
pub const TEMP_MARKER: &str = ".chatcap-tmp-";

/// Distinguishes temporaries of concurrent writers within one process (a sweep writes in parallel).
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Folders this process has already cleared of stale temporaries.
static SWEPT: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Files staged for an atomic write. Dropping it without [`Staging::commit`] removes the temporaries.
#[derive(Debug, Default)]
pub struct Staging {
    /// (temporary, destination) pairs, in the order they were staged.
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staging {
    /// An empty set of staged files.
    pub fn new() -> Staging {
        Staging::default()
    }

    /// Stages `bytes` as the future content of `dest`.
    pub fn write(&mut self, dest: &Path, bytes: &[u8]) -> Result<()> {
        self.write_with(dest, |tmp| {
            let mut file = std::fs::File::create(tmp).map_err(|e| Error::io(tmp, e))?;
            file.write_all(bytes).map_err(|e| Error::io(tmp, e))?;
            file.sync_all().map_err(|e| Error::io(tmp, e))
        })
    }

    /// Stages the future content of `dest` by letting `produce` write a temporary file at the path it is given.
    pub fn write_with(&mut self, dest: &Path, produce: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        if let Some(dir) = dest.parent() {
            remove_stale_once(dir);
        }
        let tmp = temp_path(dest);
        self.files.push((tmp.clone(), dest.to_path_buf()));
        produce(&tmp)?;
        if !tmp.is_file() {
            return Err(Error::Other(format!("{}: nothing was written", dest.display())));
        }
        Ok(())
    }

    /// Renames every staged file into place. On failure the remaining temporaries are removed.
    pub fn commit(mut self) -> Result<()> {
        while !self.files.is_empty() {
            let (tmp, dest) = self.files.remove(0);
            if let Err(e) = std::fs::rename(&tmp, &dest) {
                let _ = std::fs::remove_file(&tmp);
                return Err(Error::io(dest, e));
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (tmp, _) in &self.files {
            // Best effort: a temporary that was never created is not an error.
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Writes one file atomically: a temporary next to `dest`, then a rename.
pub fn write_file(dest: &Path, bytes: &[u8]) -> Result<()> {
    let mut staging = Staging::new();
    staging.write(dest, bytes)?;
    staging.commit()
}

/// A fresh temporary name for `dest` (see [`temp_path`]), for a file written outside a [`Staging`] (the
/// per-run files `chatcap run` streams to); the stale temporaries of its folder are removed first, once.
pub fn temp_for(dest: &Path) -> PathBuf {
    if let Some(dir) = dest.parent() {
        remove_stale_once(dir);
    }
    temp_path(dest)
}

/// Removes the stale temporaries of `dir`, the first time this process writes there.
fn remove_stale_once(dir: &Path) {
    let mut swept = SWEPT.lock().unwrap_or_else(|e| e.into_inner());
    if swept.get_or_insert_with(HashSet::new).insert(dir.to_path_buf()) {
        remove_stale(dir);
    }
}

/// Removes every `.NAME.chatcap-tmp-PID-N[.ext]` file of `dir` whose process is gone; best effort.
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_owner) else { continue };
        if pid != std::process::id() && !alive(pid, &entry.path()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary's name, `None` for any other name.
fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (_, after) = rest.split_once(TEMP_MARKER)?;
    let (pid, after) = after.split_once('-')?;
    let counter: String = after.chars().take_while(char::is_ascii_digit).collect();
    let tail = &after[counter.len()..];
    if counter.is_empty() || !(tail.is_empty() || tail.starts_with('.')) {
        return None;
    }
    pid.parse().ok()
}

/// Whether the process that made a temporary may still be writing it.
fn alive(pid: u32, file: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    // No /proc: only temporaries untouched for a day are taken for abandoned.
    let age = std::fs::metadata(file).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a.as_secs() < 86_400)
}

/// `dir/.name.chatcap-tmp-PID-N.ext`: hidden, unique per process and call, same directory and extension.
fn temp_path(dest: &Path) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let stem = dest.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut name = format!(".{stem}{TEMP_MARKER}{}-{n}", std::process::id());
    if let Some(ext) = dest.extension() {
        name.push('.');
        name.push_str(&ext.to_string_lossy());
    }
    dest.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_keep_directory_and_extension() {
        let tmp = temp_path(Path::new("out/plots/headline.png"));
        assert_eq!(tmp.parent(), Some(Path::new("out/plots")));
        assert_eq!(tmp.extension().and_then(|e| e.to_str()), Some("png"));
        assert!(tmp.to_string_lossy().contains(TEMP_MARKER));
    }

    #[test]
    fn temporary_names_give_their_process() {
        let tmp = temp_path(Path::new("out/summary.csv"));
        let name = tmp.file_name().unwrap().to_str().unwrap();
        assert_eq!(temp_owner(name), Some(std::process::id()));
        let streamed = temp_for(Path::new("out/intervals.csv"));
        let name = streamed.file_name().unwrap().to_str().unwrap();
        assert_eq!(temp_owner(name), Some(std::process::id()), "a run's streamed rows are swept after a kill -9");
        assert_eq!(temp_owner(".headline.chatcap-tmp-42-0.png"), Some(42));
        assert_eq!(temp_owner(".x.chatcap-tmp-42-7"), Some(42));
        for other in ["summary.csv", "headline.chatcap-tmp-42-0.png", ".x.chatcap-tmp-42-.png", ".x.chatcap-tmp-a-1"] {
            assert_eq!(temp_owner(other), None, "{other}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn stale_temporaries_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // A process that has exited: its id is free (reuse within the test is possible but not likely).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".summary{TEMP_MARKER}{dead}-0.csv"));
        let live = dir.path().join(format!(".summary{TEMP_MARKER}{}-9999.csv", std::process::id()));
        let keep = dir.path().join("summary.csv");
        for f in [&stale, &live, &keep] {
            std::fs::write(f, "x").unwrap();
        }
        write_file(&dir.path().join("other.csv"), b"y").unwrap();
        assert!(!stale.exists(), "a dead process's temporary is removed");
        assert!(live.exists() && keep.exists());
    }

    #[test]
    fn dropped_staging_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut staging = Staging::new();
            staging.write(&dir.path().join("a.csv"), b"x").unwrap();
            assert!(staging.write_with(&dir.path().join("b.csv"), |_| Err(Error::Other("boom".into()))).is_err());
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn commit_renames_into_place() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("a.csv");
        std::fs::write(&dest, "old").unwrap();
        write_file(&dest, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
