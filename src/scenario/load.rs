//! Loading a scenario: read the file, apply `--set` overrides, deserialise, validate.

use super::check::Checker;
use super::model::Scenario;
use super::overrides::apply_overrides;
use super::raw::RawScenario;
use super::source::Source;
use super::validate::validate;
use crate::{Error, Result};
use serde::Deserialize;
use std::path::Path;
use toml::de::{DeTable, Deserializer};

/// Reads, overrides and validates the scenario file at `path`. Overrides are `KEY=VALUE` (see [`load_str`]).
/// Every problem, including an unreadable file, is an [`Error::Input`] naming the file, line and key.
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Input(format!("{}: cannot read the scenario: {e}", path.display())))?;
    load_str(&text, path, overrides)
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
    let raw = RawScenario::deserialize(Deserializer::from(root)).map_err(|e| source.toml_error(Some(&index), &e))?;
    let dir = file.parent().unwrap_or(Path::new(""));
    let checker = Checker { src: &source, dir };
    validate(raw, &checker, file)
}
