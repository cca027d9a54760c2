//! The event and decision formats of `chatcap route` against their JSON Schemas (docs/route-*.schema.json):
//! a sample of every event type and every decision type validates; lines that break the format do not; and
//! the schemas list exactly the types and required fields the code reads and writes.
//!
//! No JSON Schema crate is available offline, so `valid` below checks the keywords these schemas use (oneOf,
//! $ref, type, const, enum, required, properties, additionalProperties, minimum, maximum).

use assert_cmd::Command;
use chatcap::route::{DECISION_TYPES, EVENT_TYPES};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;

fn schema(name: &str) -> Value {
    serde_json::from_str(&fs::read_to_string(format!("docs/{name}")).unwrap()).unwrap()
}

/// Whether `v` satisfies `s`, resolving `$ref`s in `root`.
fn valid(v: &Value, s: &Value, root: &Value) -> bool {
    let Some(s) = s.as_object() else { return true };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local refs only");
        return valid(v, &root["$defs"][name], root);
    }
    if let Some(options) = s.get("oneOf").and_then(Value::as_array)
        && options.iter().filter(|o| valid(v, o, root)).count() != 1
    {
        return false;
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "boolean" => v.is_boolean(),
            other => panic!("type {other} not used by these schemas"),
        };
        if !ok {
            return false;
        }
    }
    if let Some(c) = s.get("const")
        && v != c
    {
        return false;
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return false;
    }
    if let Some(n) = v.as_f64() {
        if s.get("minimum").and_then(Value::as_f64).is_some_and(|m| n < m) {
            return false;
        }
        if s.get("maximum").and_then(Value::as_f64).is_some_and(|m| n > m) {
            return false;
        }
    }
    if let Some(obj) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(req) = s.get("required").and_then(Value::as_array)
            && req.iter().any(|k| !obj.contains_key(k.as_str().unwrap()))
        {
            return false;
        }
        for (k, value) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(p) if !valid(value, p, root) => return false,
                None if s.get("additionalProperties") == Some(&Value::Bool(false)) => return false,
                _ => {}
            }
        }
    }
    true
}

fn lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The schema's types with their required fields (besides `at` and `type`).
fn schema_types(s: &Value) -> BTreeSet<(String, Vec<String>)> {
    s["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let name = o["properties"]["type"]["const"].as_str().unwrap().to_string();
            let req = o["required"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string());
            (name, req.filter(|r| r != "at" && r != "type").collect())
        })
        .collect()
}

#[test]
fn every_event_type_in_the_samples_validates_and_broken_events_do_not() {
    let s = schema("route-events.schema.json");
    let mut seen = BTreeSet::new();
    for file in ["two-teams", "every-decision"] {
        for e in lines(&fs::read_to_string(format!("tests/fixtures/route/{file}.events.jsonl")).unwrap()) {
            assert!(valid(&e, &s, &s), "{e} does not validate");
            seen.insert(e["type"].as_str().unwrap().to_string());
        }
    }
    let all: BTreeSet<String> = EVENT_TYPES.iter().map(|(n, ..)| n.to_string()).collect();
    assert_eq!(seen, all, "the samples hold every event type");
    for broken in [
        r#"{"type":"tick"}"#,
        r#"{"at":1,"type":"teleport"}"#,
        r#"{"at":-1,"type":"tick"}"#,
        r#"{"at":1,"type":"tick","agent":1}"#,
        r#"{"at":1,"type":"arrived","conversation":"c"}"#,
        r#"{"at":1,"type":"signed_in","agent":1,"group":"g","capacity":0}"#,
        r#"{"at":1,"type":"presence","agent":1,"presence":"offline"}"#,
        r#"{"at":1,"type":"customer_message","conversation":1.5}"#,
    ] {
        let v: Value = serde_json::from_str(broken).unwrap();
        assert!(!valid(&v, &s, &s), "{broken} validates");
    }
}

#[test]
fn every_decision_type_in_the_samples_validates_and_broken_decisions_do_not() {
    let s = schema("route-decisions.schema.json");
    let out = Command::cargo_bin("chatcap")
        .unwrap()
        .args(["route", "tests/fixtures/route/every-decision.toml", "--strict", "--input"])
        .arg("tests/fixtures/route/every-decision.events.jsonl")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut text = String::from_utf8(out.stdout).unwrap();
    text.push_str(&fs::read_to_string("tests/fixtures/route/two-teams.decisions.jsonl").unwrap());
    let mut seen = BTreeSet::new();
    for d in lines(&text) {
        assert!(valid(&d, &s, &s), "{d} does not validate");
        seen.insert(d["type"].as_str().unwrap().to_string());
    }
    let all: BTreeSet<String> = DECISION_TYPES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(seen, all, "the samples hold every decision type");
    for broken in [
        r#"{"at":1,"type":"assigned","conversation":1}"#,
        r#"{"at":1,"type":"queued","conversation":1,"queue":"q","position":0}"#,
        r#"{"at":1,"type":"closed","conversation":1,"reason":"bored"}"#,
        r#"{"at":1,"type":"timer","conversation":1,"kind":"customer_idle","due":5}"#,
    ] {
        let v: Value = serde_json::from_str(broken).unwrap();
        assert!(!valid(&v, &s, &s), "{broken} validates");
    }
}

#[test]
fn the_schemas_list_the_types_and_required_fields_the_code_uses() {
    let events: BTreeSet<(String, Vec<String>)> =
        EVENT_TYPES.iter().map(|(n, req, _)| (n.to_string(), req.iter().map(|r| r.to_string()).collect())).collect();
    assert_eq!(schema_types(&schema("route-events.schema.json")), events);
    let decisions: BTreeSet<(String, Vec<String>)> = DECISION_TYPES
        .iter()
        .map(|(n, fields)| {
            (n.to_string(), fields.iter().filter(|f| !f.starts_with('?')).map(|f| f.to_string()).collect())
        })
        .collect();
    assert_eq!(schema_types(&schema("route-decisions.schema.json")), decisions);
}
