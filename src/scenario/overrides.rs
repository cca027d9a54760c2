//! `--set KEY=VALUE`: change one key of a scenario from the command line, before validation.
//!
//! KEY is a dotted path (`agents.count`, `customer.think.mean`, `hours.mon`); an entry of a list of tables is
//! addressed by its name (`policy.persistent.park_after_idle`, `workstream.chat-live.share`,
//! `queue.general.priority`, `agents.group.generalists.count`); an unknown name is an error listing the known ones. VALUE is read as a TOML value when it is one (`30`, `0.5`,
//! `true`, `[1, 2]`, `{ dist = "constant", value = "5s" }`, `"quoted"`), otherwise taken as plain text
//! (`5m`, `closed`). The new value goes into the parsed document, so it meets exactly the same checks as a
//! value written in the file, and errors about it name the `--set`. Setting one of a set of alternatives
//! (`agents.count`, `agents.shifts`, `agents.schedule`, also in a group; `arrivals.rate`, `arrivals.trace`, also in
//! a workstream's `arrivals`; a workstream's `share` and `arrivals`) removes the others,
//! with one exception: `agents.count` on a scenario staffed by shifts or a schedule is refused, because it would
//! silently replace the roster by the same headcount around the clock; `agents.scale` changes the headcount and
//! keeps the roster's shape. The `sweep` and `staff` commands reuse this, so `--vary agents.count` is refused there
//! too.

use super::error::{Place, ScenarioError};
use super::source::Source;
use crate::Result;
use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// Why an override cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    /// No `=` in the override.
    #[error("expected KEY=VALUE, for example agents.count=30")]
    NotKeyValue,
    /// A key with an empty part (`agents..count`).
    #[error("{0:?} is not a key path; write for example customer.think.mean=20s")]
    NotAKeyPath(String),
    /// No key at all.
    #[error("empty key")]
    EmptyKey,
    /// A key that stops at an entry of a list (`queue.general`) instead of naming one of its keys.
    #[error("name a key of {list} {name:?}, for example {list}.{name}.name")]
    EntryWithoutKey {
        /// The list (`queue`, `agents.group`).
        list: String,
        /// The entry's name.
        name: String,
    },
    /// A count for a roster staffed by shifts or a schedule, which would flatten its shape.
    #[error(
        "the scenario is staffed by {at}.{other}, and a count would replace it by the same headcount around the \
         clock; to change the headcount and keep the roster's shape, use {at}.scale (for example {at}.scale=1.5), \
         or set {at}.{other} itself"
    )]
    CountOverRoster {
        /// The roster's table (`agents`, `agents.group.night`).
        at: String,
        /// The key that staffs it (`shifts` or `schedule`).
        other: String,
    },
    /// A key inside a value that is not a table.
    #[error("{key} is not a table, so it has no key {inner:?}")]
    NotATable {
        /// The key whose value is not a table.
        key: String,
        /// The key asked for inside it.
        inner: String,
    },
    /// No entry of the list has this name; `names` are the names it has.
    #[error("no {list} is named {name:?}{}", known(list, names))]
    NoSuchName {
        /// The list (`policy`, `queue`, `agents.group`).
        list: String,
        /// The name asked for.
        name: String,
        /// The names the list has.
        names: Vec<String>,
    },
}

/// `: the scenario has no [[queue]]`, or ` (queues: general, vip)`.
fn known(list: &str, names: &[String]) -> String {
    let plural = if list == "policy" { "policies".to_string() } else { format!("{list}s") };
    if names.is_empty() {
        format!(": the scenario has no [[{list}]]")
    } else {
        format!(" ({plural}: {})", names.join(", "))
    }
}

/// Applies every override, in order, to the parsed document.
pub fn apply_overrides<'a>(root: &mut DeTable<'a>, overrides: &'a [String], source: &Source<'_>) -> Result<()> {
    for (index, text) in overrides.iter().enumerate() {
        let span = source.override_span(index);
        let fail = |key: Option<&str>, e: OverrideError| {
            ScenarioError::new(source.file, Place::Set { text: text.clone() }, key, e).into()
        };
        let Some((key, value)) = text.split_once('=') else {
            return Err(fail(None, OverrideError::NotKeyValue));
        };
        let key = key.trim();
        let path: Vec<&str> = key.split('.').map(str::trim).collect();
        if path.iter().any(|s| s.is_empty()) {
            return Err(fail(None, OverrideError::NotAKeyPath(key.into())));
        }
        let value = parse_value(value.trim(), &span);
        set(root, &path, value, &span).map_err(|e| fail(Some(key), e))?;
    }
    Ok(())
}

/// A TOML value if the text is one, else the text itself as a string.
fn parse_value<'a>(text: &'a str, span: &Range<usize>) -> Spanned<DeValue<'a>> {
    match DeValue::parse(text) {
        Ok(value) => respan(value, span),
        Err(_) => Spanned::new(span.clone(), DeValue::String(Cow::Borrowed(text))),
    }
}

/// Gives a value parsed from an override, and everything inside it, the override's range.
fn respan<'a>(value: Spanned<DeValue<'a>>, span: &Range<usize>) -> Spanned<DeValue<'a>> {
    let inner = match value.into_inner() {
        DeValue::Table(table) => {
            let mut out = DeTable::new();
            for (k, v) in table {
                out.insert(Spanned::new(span.clone(), k.into_inner()), respan(v, span));
            }
            DeValue::Table(out)
        }
        DeValue::Array(items) => {
            let mut out = DeArray::new();
            for item in items {
                out.push(respan(item, span));
            }
            DeValue::Array(out)
        }
        other => other,
    };
    Spanned::new(span.clone(), inner)
}

/// Puts `value` at `path`, creating tables on the way. `policy.NAME`, `workstream.NAME`, `queue.NAME` and
/// `agents.group.NAME` select the entry of that list with that name.
pub fn set<'a>(
    table: &mut DeTable<'a>,
    path: &[&str],
    value: Spanned<DeValue<'a>>,
    span: &Range<usize>,
) -> std::result::Result<(), OverrideError> {
    set_in(table, "", path, value, span)
}

/// [`set`] inside the table found at the dotted path `at` (`""` for the document).
fn set_in<'a>(
    table: &mut DeTable<'a>,
    at: &str,
    path: &[&str],
    value: Spanned<DeValue<'a>>,
    span: &Range<usize>,
) -> std::result::Result<(), OverrideError> {
    let (first, rest) = path.split_first().ok_or(OverrideError::EmptyKey)?;
    let list = match (at, *first) {
        ("", "policy" | "workstream" | "queue") => Some(*first),
        ("agents", "group") => Some("agents.group"),
        _ => None,
    };
    if let Some(list) = list
        && !rest.is_empty()
    {
        let entry = find_named(table, first, list, rest[0])?;
        if rest.len() == 1 {
            return Err(OverrideError::EntryWithoutKey { list: list.into(), name: rest[0].into() });
        }
        return set_in(entry, &format!("{list}.{}", rest[0]), &rest[1..], value, span);
    }
    if rest.is_empty() {
        let roster = at == "agents" || (at.starts_with("agents.group.") && at.matches('.').count() == 2);
        if roster
            && *first == "count"
            && let Some(other) = ["shifts", "schedule"].into_iter().find(|k| table.contains_key(*k))
        {
            return Err(OverrideError::CountOverRoster { at: at.into(), other: other.into() });
        }
        for keys in alternatives(at) {
            if keys.contains(first) {
                for other in keys.iter().filter(|k| *k != first) {
                    table.remove(*other);
                }
            }
        }
        table.remove(*first);
        table.insert(Spanned::new(span.clone(), Cow::Owned((*first).to_string())), value);
        return Ok(());
    }
    // Setting a key inside one alternative (a workstream's `arrivals.rate`) replaces the others (its `share`).
    for keys in alternatives(at) {
        if keys.contains(first) {
            for other in keys.iter().filter(|k| *k != first) {
                table.remove(*other);
            }
        }
    }
    if !table.contains_key(*first) {
        table.insert(
            Spanned::new(span.clone(), Cow::Owned((*first).to_string())),
            Spanned::new(span.clone(), DeValue::Table(DeTable::new())),
        );
    }
    let Some(DeValue::Table(inner)) = table.get_mut(*first).map(Spanned::get_mut) else {
        return Err(OverrideError::NotATable { key: (*first).into(), inner: rest[0].into() });
    };
    let inner_at = if at.is_empty() { (*first).to_string() } else { format!("{at}.{first}") };
    set_in(inner, &inner_at, rest, value, span)
}

/// The groups of keys that exclude each other in the table at dotted path `at`: setting one removes the rest.
fn alternatives(at: &str) -> Vec<&'static [&'static str]> {
    let in_workstream = at.starts_with("workstream.") && at.matches('.').count() == 1;
    let workstream_arrivals = at.starts_with("workstream.") && at.ends_with(".arrivals");
    let mut out: Vec<&'static [&'static str]> = Vec::new();
    if at == "agents" || (at.starts_with("agents.group.") && at.matches('.').count() == 2) {
        out.push(&["count", "shifts", "schedule"]);
    }
    if at == "arrivals" || workstream_arrivals {
        out.push(&["rate", "trace"]);
    }
    if in_workstream {
        out.push(&["share", "arrivals"]);
    }
    out
}

/// The entry of the list of tables `key` (`policy`, `workstream`, `queue`, `group`) whose `name` is `name`;
/// `list` names the list in messages.
fn find_named<'t, 'a>(
    table: &'t mut DeTable<'a>,
    key: &str,
    list: &str,
    name: &str,
) -> std::result::Result<&'t mut DeTable<'a>, OverrideError> {
    let mut names = Vec::new();
    if let Some(DeValue::Array(items)) = table.get_mut(key).map(Spanned::get_mut) {
        for item in items.iter_mut() {
            if let DeValue::Table(t) = item.get_mut() {
                let this = t.get("name").and_then(|n| n.get_ref().as_str()).unwrap_or_default().to_string();
                if this == name {
                    return Ok(t);
                }
                names.push(this);
            }
        }
    }
    Err(OverrideError::NoSuchName { list: list.into(), name: name.into(), names })
}
