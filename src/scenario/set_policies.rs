//! A set-up's `[[policy]]` variants: each policy's `set` applied on top of the file, then validated again.
//!
//! With `[[workstream]]`, a policy is a named variant of the file's routing set-up: `set` is a table of dotted
//! keys and values, `set = { "workstream.chat-live.share" = 0.7, "queue.general.priority" = 2 }`, applied exactly
//! like `--set KEY=VALUE` (after the command line's own `--set`), and the whole set-up is then checked again, so a
//! policy carries its complete [`RoutingSpec`](super::RoutingSpec). A key may also be written as nested tables
//! (`set = { offers = { decline = 0.1 } }`). A `set` changes the routing set-up only (keys under `workstream.`,
//! `queue.`, `agents.` and `offers.`): the customers, their arrivals and the calendar are the same for every
//! policy, so that policies are compared on the same customers. Errors name the policy's line and the key; an
//! error found while checking the set-up again carries [`Context::PolicySet`] with the policy's name.

use super::check::Checker;
use super::error::Context;
use super::model::Scenario;
use super::overrides::set;
use super::raw::RawScenario;
use super::routing_model::PolicyRouting;
use super::routing_spec::routing_spec;
use crate::{Error, Result};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue, Deserializer};

/// The first parts of the keys a policy's `set` may change.
const SETTABLE: [&str; 4] = ["workstream", "queue", "agents", "offers"];

/// Replaces the set-up of every policy that has a `set` by the file's set-up with that `set` applied and checked.
pub fn apply_policy_sets(root: &Spanned<DeTable<'_>>, scenario: &mut Scenario, c: &Checker<'_>) -> Result<()> {
    let Some(DeValue::Array(items)) = root.get_ref().get("policy").map(Spanned::get_ref) else { return Ok(()) };
    for (index, item) in items.iter().enumerate() {
        let DeValue::Table(policy) = item.get_ref() else { continue };
        let Some(set_v) = policy.get("set") else { continue };
        let DeValue::Table(entries) = set_v.get_ref() else { continue };
        let name = scenario.policies[index].name.clone();
        let mut doc = root.get_ref().clone();
        doc.remove("policy");
        let mut changes = Vec::new();
        flatten(entries, &mut Vec::new(), &mut changes);
        for (path, key_span, value) in changes {
            let key = path.join(".");
            let place = format!("policy.{name}.set.\"{key}\"");
            if !SETTABLE.contains(&path[0].as_str()) {
                return Err(c.src.error(
                    &key_span,
                    &place,
                    format!(
                        "a policy's set changes the routing set-up only (keys under {}); {key} would change what \
                         every policy is compared on, so set it in the file or with --set",
                        SETTABLE.map(|s| format!("{s}.")).join(", ")
                    ),
                ));
            }
            let parts: Vec<&str> = path.iter().map(String::as_str).collect();
            set(&mut doc, &parts, value, &key_span).map_err(|what| c.src.error(&key_span, &place, what))?;
        }
        let in_policy = |e: Error| match e {
            Error::Scenario(mut e) => {
                e.context = Some(Context::PolicySet(name.clone()));
                Error::Scenario(e)
            }
            // A data file's own error (a schedule the set names) is text; it gets the same words.
            Error::Input(m) => Error::Input(format!("{m} (applying the set of policy {name})")),
            other => other,
        };
        let index_table = doc.clone();
        let raw = RawScenario::deserialize(Deserializer::from(Spanned::new(root.span(), doc)))
            .map_err(|e| in_policy(c.src.toml_error(Some(&index_table), &e)))?;
        let spec = routing_spec(c, &raw, &scenario.hours, scenario.origin).map_err(in_policy)?;
        scenario.policies[index].routing = PolicyRouting::Setup(Box::new(spec));
    }
    Ok(())
}

/// The `(path, key's place, value)` of every change in a `set` table: a dotted key is one path; a plain key
/// whose value is a table is a step into it.
fn flatten<'a>(
    table: &DeTable<'a>,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Range<usize>, Spanned<DeValue<'a>>)>,
) {
    for (key, value) in table.iter() {
        let parts: Vec<String> = key.get_ref().split('.').map(|p| p.trim().to_string()).collect();
        match value.get_ref() {
            DeValue::Table(inner) if parts.len() == 1 => {
                prefix.push(parts[0].clone());
                flatten(inner, prefix, out);
                prefix.pop();
            }
            _ => {
                let mut path = prefix.clone();
                path.extend(parts);
                out.push((path, key.span(), value.clone()));
            }
        }
    }
}
