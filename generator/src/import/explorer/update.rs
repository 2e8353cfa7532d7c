//! `--update`: a definition imported over an existing spec.
//!
//! * A spec transcribed from a reference page (`source.document` set) keeps everything: the
//!   page is the ground truth. Each disagreement with the definition (a type, a missing or
//!   extra parameter, status or field, ...) becomes a warning and a note in `notes`
//!   (`API Explorer (KMS/src/X.json): ...; the page is followed.`), and `source.definition` is
//!   added. The notes of an earlier comparison with the same definition are replaced, so an
//!   unchanged definition leaves the spec byte for byte as it was.
//! * A spec imported from a definition is replaced by the new import, keeping what a
//!   definition cannot say: `retry_safe`, notes written by hand (not starting with
//!   `API Explorer`), hand-written `note`s of fields and parameters, and enum variant `name`s
//!   (matched by value).

use serde_yaml::Value;

use super::operation::NOTE_PREFIX;
use crate::import::backend::compare::{self, Side};
use crate::import::backend::example::Scope;
use crate::import::backend::node::{Map, Node};
use crate::import::backend::Warning;

/// Reads a YAML file into a spec tree.
pub fn read_map(text: &str) -> Result<Map, String> {
    let value: Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    match Node::from_value(&value) {
        Node::Map(m) => Ok(m),
        Node::Null => Ok(Map::new()),
        _ => Err("not a mapping".into()),
    }
}

/// The note prefix of the comparison with one definition.
fn disagreement_prefix(definition: &str) -> String {
    format!("{NOTE_PREFIX} ({definition}): ")
}

/// The merged spec and its warnings. `at` is the operation's JSON path in the definition
/// (warnings name it); `service_schemas` are the shared schemas of the existing spec's service.
pub fn merge(
    existing: &Map,
    new: &Map,
    definition: &str,
    service_schemas: &Map,
    at: &str,
) -> (Map, Vec<Warning>) {
    let page = existing
        .get_map("source")
        .and_then(|s| s.get_str("document"))
        .is_some();
    if page {
        page_wins(existing, new, definition, service_schemas, at)
    } else {
        (refresh(existing, new), Vec::new())
    }
}

fn page_wins(
    existing: &Map,
    new: &Map,
    definition: &str,
    service_schemas: &Map,
    at: &str,
) -> (Map, Vec<Warning>) {
    let empty = Map::new();
    let page_schemas = existing.get_map("schemas").unwrap_or(&empty);
    let new_schemas = new.get_map("schemas").unwrap_or(&empty);
    let a = Side {
        spec: existing,
        scope: Scope {
            local: page_schemas,
            shared: service_schemas,
        },
        name: "the page",
    };
    let b = Side {
        spec: new,
        scope: Scope {
            local: new_schemas,
            shared: &empty,
        },
        name: "the definition",
    };
    let found = compare::disagreements(a, b);
    let lines = compare::grouped(&found);
    let prefix = disagreement_prefix(definition);
    let mut warnings = Vec::new();
    let mut notes: Vec<Node> = existing
        .get("notes")
        .and_then(Node::as_seq)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|n| !matches!(n, Node::Str(s) if s.starts_with(&prefix)))
        .collect();
    for line in &lines {
        warnings.push(Warning::at_path(
            at,
            "page-disagrees",
            format!("the reference page disagrees, and is followed: {line}"),
        ));
        notes.push(Node::Str(format!("{prefix}{line}; the page is followed.")));
    }
    let mut out = existing.clone();
    let mut source = out.get_map("source").cloned().unwrap_or_default();
    source.set_str("definition", definition);
    out.set("source", Node::Map(source));
    out.set("notes", Node::Seq(notes));
    (out, warnings)
}

/// A spec imported before: the new import, with what a definition cannot say kept.
fn refresh(existing: &Map, new: &Map) -> Map {
    let mut out = new.clone();
    if let Some(r) = existing.get("retry_safe") {
        out.set("retry_safe", r.clone());
    }
    let mut notes: Vec<Node> = new
        .get("notes")
        .and_then(Node::as_seq)
        .cloned()
        .unwrap_or_default();
    for n in existing
        .get("notes")
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
    {
        let generated = matches!(n, Node::Str(s) if s.starts_with(NOTE_PREFIX));
        if !generated && !notes.contains(n) {
            notes.push(n.clone());
        }
    }
    out.set("notes", Node::Seq(notes));
    let mut merged = Node::Map(out);
    keep_hand_edits(&mut merged, &Node::Map(existing.clone()), 0);
    match merged {
        Node::Map(m) => m,
        _ => new.clone(),
    }
}

/// Copies enum variant `name`s (by value) and hand-written `note`s from the existing tree to
/// the same places of the new one. Lists of parameters match by name and location, other
/// lists by position.
fn keep_hand_edits(new: &mut Node, old: &Node, depth: usize) {
    if depth > 64 {
        return;
    }
    match (new, old) {
        (Node::Map(n), Node::Map(o)) => {
            if let (Some(Node::Str(note)), false) = (o.get("note"), n.has("note")) {
                if !note.starts_with(NOTE_PREFIX) {
                    n.set("note", Node::Str(note.clone()));
                }
            }
            for (key, value) in n.0.iter_mut() {
                let Some(old_value) = o.get(key) else {
                    continue;
                };
                if key == "enum" {
                    keep_enum_names(value, old_value);
                } else {
                    keep_hand_edits(value, old_value, depth + 1);
                }
            }
        }
        (Node::Seq(n), Node::Seq(o)) => {
            let keyed = |m: &Node| {
                m.as_map().and_then(|m| {
                    Some((m.get_str("name")?.to_string(), m.get_str("in")?.to_string()))
                })
            };
            for (i, item) in n.iter_mut().enumerate() {
                let partner = match keyed(item) {
                    Some(k) => o.iter().find(|x| keyed(x).as_ref() == Some(&k)),
                    None => o.get(i),
                };
                if let Some(partner) = partner {
                    keep_hand_edits(item, partner, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn keep_enum_names(new: &mut Node, old: &Node) {
    let (Node::Seq(n), Node::Seq(o)) = (new, old) else {
        return;
    };
    for entry in n.iter_mut().filter_map(Node::as_map_mut) {
        let value = entry.get("value").cloned();
        let found = o
            .iter()
            .filter_map(Node::as_map)
            .find(|e| e.get("value") == value.as_ref());
        if let Some(found) = found {
            for key in ["name", "description"] {
                if !entry.has(key) {
                    if let Some(v) = found.get(key) {
                        entry.set(key, v.clone());
                    }
                }
            }
        }
    }
}
