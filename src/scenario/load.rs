//! Loading a scenario: read the file, apply `--set` overrides, deserialise, validate.

use super::check::Checker;
use super::model::Scenario;
use super::overrides::apply_overrides;
use super::raw::RawScenario;
use super::set_policies::apply_policy_sets;
use super::source::Source;
use super::validate::validate;
use crate::{Error, Result};
use serde::Deserialize;
use std::io::Read;
use std::path::Path;
use toml::de::{DeTable, Deserializer};

/// The largest scenario file chatcap reads: scenarios are a few kilobytes; anything bigger is not one (a device,
/// a data file named by mistake) and would only fill memory.
pub const MAX_SCENARIO_BYTES: u64 = 4 * 1024 * 1024;

/// Reads, overrides and validates the scenario file at `path`. Overrides are `KEY=VALUE` (see [`load_str`]).
/// Every problem in the file or its overrides is an [`Error::Scenario`] naming the file, line and key; an
/// unreadable file, or a data file it names, is an [`Error::Input`] naming that file.
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario> {
    let text = read_scenario(path)?;
    load_str(&text, path, overrides)
}

/// The scenario's text: a regular file (never a device or a FIFO, which would hang or never end), at most
/// [`MAX_SCENARIO_BYTES`], in UTF-8 (a bad byte is named by its line).
pub fn read_scenario(path: &Path) -> Result<String> {
    let cannot = |e: std::io::Error| Error::Input(format!("{}: cannot read the scenario: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Error::Input(format!(
            "{}: not a regular file (a folder, device or pipe); the scenario must be a TOML file",
            path.display()
        )));
    }
    let too_big = || {
        Error::Input(format!(
            "{}: the scenario is larger than {} MiB; a scenario is a small TOML file (data belongs in the CSV files \
             it names)",
            path.display(),
            MAX_SCENARIO_BYTES / 1024 / 1024
        ))
    };
    if meta.len() > MAX_SCENARIO_BYTES {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_SCENARIO_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..good].iter().filter(|&&b| b == b'\n').count();
        Error::Input(format!(
            "{}:{line}: not UTF-8 text (byte {}); save the scenario as UTF-8",
            path.display(),
            good + 1
        ))
    })
}

/// Like [`load`], with the file's text given; `file` names it in errors and anchors relative data paths.
///
/// Each override is `KEY=VALUE`: a dotted key path (`agents.count`, `customer.think.mean`,
/// `policy.persistent.park_after_idle`, where a policy is addressed by its name) and a value read as TOML
/// when it is valid TOML (`30`, `true`, `[1, 2]`, `{ dist = "constant", value = "5s" }`) or else as plain text
/// (`5m`, `closed`). Overrides are applied before validation, so they meet the same checks as the file.
pub fn load_str(text: &str, file: &Path, overrides: &[String]) -> Result<Scenario> {
    let source = Source::new(file, text, overrides);
    let mut root = DeTable::parse(text).map_err(|e| source.toml_error(None, &e))?;
    apply_overrides(root.get_mut(), overrides, &source)?;
    let index = root.get_ref().clone();
    let raw =
        RawScenario::deserialize(Deserializer::from(root.clone())).map_err(|e| source.toml_error(Some(&index), &e))?;
    let dir = file.parent().unwrap_or(Path::new(""));
    let checker = Checker { src: &source, dir };
    let has_setup = raw.workstream.is_some();
    let mut scenario = validate(raw, &checker, file)?;
    if has_setup {
        apply_policy_sets(&root, &mut scenario, &checker)?;
    }
    Ok(scenario)
}
