//! `--set KEY=VALUE`: change one key of a scenario from the command line, before validation.
//!
//! KEY is a dotted path (`agents.count`, `customer.think.mean`, `hours.mon`); a policy is addressed by its
//! name (`policy.persistent.park_after_idle`). VALUE is read as a TOML value when it is one (`30`, `0.5`,
//! `true`, `[1, 2]`, `{ dist = "constant", value = "5s" }`, `"quoted"`), otherwise taken as plain text
//! (`5m`, `closed`). The new value goes into the parsed document, so it meets exactly the same checks as a
//! value written in the file, and errors about it name the `--set`. Setting one of a set of alternatives
//! (`agents.count`, `agents.shifts`, `agents.schedule`; `arrivals.rate`, `arrivals.trace`) removes the others,
//! with one exception: `agents.count` on a scenario staffed by shifts or a schedule is refused, because it would
//! silently replace the roster by the same headcount around the clock; `agents.scale` changes the headcount and
//! keeps the roster's shape. The `sweep` and `staff` commands reuse this, so `--vary agents.count` is refused there
//! too.

use super::source::Source;
use crate::Result;
use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// Keys that exclude each other: setting one removes the rest of its group.
const ALTERNATIVES: [(&str, &[&str]); 2] =
    [("agents", &["count", "shifts", "schedule"]), ("arrivals", &["rate", "trace"])];

/// Applies every override, in order, to the parsed document.
pub fn apply_overrides<'a>(root: &mut DeTable<'a>, overrides: &'a [String], source: &Source<'_>) -> Result<()> {
    for (index, text) in overrides.iter().enumerate() {
        let span = source.override_span(index);
        let fail = |what: String| crate::Error::Input(format!("{}: --set {text}: {what}", source.file.display()));
        let Some((key, value)) = text.split_once('=') else {
            return Err(fail("expected KEY=VALUE, for example agents.count=30".into()));
        };
        let key = key.trim();
        let path: Vec<&str> = key.split('.').map(str::trim).collect();
        if path.iter().any(|s| s.is_empty()) {
            return Err(fail(format!("{key:?} is not a key path; write for example customer.think.mean=20s")));
        }
        let value = parse_value(value.trim(), &span);
        set(root, &path, value, &span).map_err(|what| fail(format!("{key}: {what}")))?;
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

/// Puts `value` at `path`, creating tables on the way; `policy.NAME` selects the policy with that name.
fn set<'a>(
    table: &mut DeTable<'a>,
    path: &[&'a str],
    value: Spanned<DeValue<'a>>,
    span: &Range<usize>,
) -> std::result::Result<(), String> {
    let (first, rest) = path.split_first().ok_or("empty key")?;
    if *first == "policy" && !rest.is_empty() {
        let policy = find_policy(table, rest[0])?;
        if rest.len() == 1 {
            return Err(format!("name a key of policy {:?}, for example policy.{}.mode=live", rest[0], rest[0]));
        }
        return set(policy, &rest[1..], value, span);
    }
    if rest.is_empty() {
        table.remove(*first);
        table.insert(Spanned::new(span.clone(), Cow::Borrowed(*first)), value);
        return Ok(());
    }
    if !table.contains_key(*first) {
        table.insert(
            Spanned::new(span.clone(), Cow::Borrowed(*first)),
            Spanned::new(span.clone(), DeValue::Table(DeTable::new())),
        );
    }
    let Some(DeValue::Table(inner)) = table.get_mut(*first).map(Spanned::get_mut) else {
        return Err(format!("{first} is not a table, so it has no key {:?}", rest[0]));
    };
    if rest.len() == 1 {
        if *first == "agents"
            && rest[0] == "count"
            && let Some(other) = ["shifts", "schedule"].into_iter().find(|k| inner.contains_key(*k))
        {
            return Err(format!(
                "the scenario is staffed by agents.{other}, and a count would replace it by the same headcount \
                 around the clock; to change the headcount and keep the roster's shape, use agents.scale \
                 (for example agents.scale=1.5), or set agents.{other} itself"
            ));
        }
        for (group, keys) in ALTERNATIVES {
            if *first == group && keys.contains(&rest[0]) {
                for other in keys.iter().filter(|k| **k != rest[0]) {
                    inner.remove(*other);
                }
            }
        }
    }
    set(inner, rest, value, span)
}

/// The `[[policy]]` table whose `name` is `name`.
fn find_policy<'t, 'a>(root: &'t mut DeTable<'a>, name: &str) -> std::result::Result<&'t mut DeTable<'a>, String> {
    let mut names = Vec::new();
    if let Some(DeValue::Array(items)) = root.get_mut("policy").map(Spanned::get_mut) {
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
    Err(format!("no policy is named {name:?} (policies: {})", names.join(", ")))
}
