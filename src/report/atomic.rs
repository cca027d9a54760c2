//! All-or-nothing output: files are written under temporary names next to their destination and renamed into
//! place only when every one of them is complete.
//!
//! A rename within one directory is atomic on every platform chatcap targets, so a reader (or a planner's
//! spreadsheet) sees either the old file or the new one, never half of one. Temporary names keep the final
//! extension because some encoders (the PNG writer) pick the format from it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Error, Result};

/// The marker in every temporary file name, so stray temporaries are recognisable.
pub const TEMP_MARKER: &str = ".chatcap-tmp-";

/// Distinguishes temporaries of concurrent writers within one process (a sweep writes in parallel).
static COUNTER: AtomicU64 = AtomicU64::new(0);

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
