//! Re-import: what the page cannot say is taken from the existing spec, matched by parameter
//! name and location, property path, status code and enum value.

use std::collections::BTreeSet;

use super::node::{Map, Node};
use super::Warning;

/// Keys of a schema the page never states (or states only sometimes): kept from the existing
/// spec when the page gives none.
const KEPT_SCHEMA_KEYS: &[&str] = &[
    "note",
    "min_length",
    "max_length",
    "minimum",
    "maximum",
    "default",
    "values",
    "required",
    "description",
    "format",
];

/// Merges a schema built from the page (`page`) with the existing one at the same place.
/// `local` holds the names of schemas the page itself describes.
pub fn schema(
    page: &Map,
    existing: &Map,
    local: &BTreeSet<String>,
    at: &str,
    w: &mut Vec<Warning>,
) -> Map {
    // A hand-made reference to a shared schema (e.g. KmsErrorResponse) stands for the page's
    // inline object.
    if let Some(r) = existing.get_str("$ref") {
        if !page.has("$ref") && page.get_str("type") == Some("object") && !local.contains(r) {
            return existing.clone();
        }
    }
    let mut out = page.clone();
    if existing.get("nullable") == Some(&Node::Bool(true)) {
        out.set("nullable", Node::Bool(true));
    }
    for key in KEPT_SCHEMA_KEYS {
        if !out.has(key) {
            if let Some(v) = existing.get(key) {
                out.set(key, v.clone());
            }
        }
    }
    // Enum values: the page's list, with each value's name (and missing meaning) kept.
    match (
        page.get("enum").and_then(Node::as_seq),
        existing.get("enum").and_then(Node::as_seq),
    ) {
        (Some(pv), Some(ev)) => {
            let merged = pv
                .iter()
                .map(|p| {
                    let Some(pm) = p.as_map() else {
                        return p.clone();
                    };
                    let key = pm.get("value").and_then(Node::scalar_text);
                    let found = ev
                        .iter()
                        .filter_map(Node::as_map)
                        .find(|e| e.get("value").and_then(Node::scalar_text) == key);
                    let mut m = pm.clone();
                    if let Some(e) = found {
                        for k in ["name", "description"] {
                            if !m.has(k) {
                                if let Some(v) = e.get(k) {
                                    m.set(k, v.clone());
                                }
                            }
                        }
                    }
                    Node::Map(m)
                })
                .collect();
            out.set("enum", Node::Seq(merged));
        }
        (None, Some(ev)) => {
            out.set("enum", Node::Seq(ev.clone()));
            w.push(Warning {
                line: 0,
                message: format!(
                    "{at}: the page lists no enum values; the existing spec's are kept"
                ),
            });
        }
        _ => {}
    }
    if let (Some(pp), Some(ep)) = (page.get_map("properties"), existing.get_map("properties")) {
        let mut props = Map::new();
        for (k, v) in &pp.0 {
            let merged = match (v.as_map(), ep.get(k).and_then(Node::as_map)) {
                (Some(pv), Some(ev)) => Node::Map(schema(pv, ev, local, &format!("{at}.{k}"), w)),
                _ => v.clone(),
            };
            props.set(k, merged);
        }
        for (k, _) in &ep.0 {
            if !pp.has(k) {
                w.push(Warning {
                    line: 0,
                    message: format!("{at}.{k} is no longer on the page; removed from the spec"),
                });
            }
        }
        out.set("properties", Node::Map(props));
    }
    for key in ["items", "values"] {
        if let (Some(pi), Some(ei)) = (page.get_map(key), existing.get_map(key)) {
            out.set(
                key,
                Node::Map(schema(pi, ei, local, &format!("{at}.{key}"), w)),
            );
        }
    }
    out
}

/// Merges a parameter matched by name and location.
pub fn parameter(
    page: &Map,
    existing: &Map,
    local: &BTreeSet<String>,
    w: &mut Vec<Warning>,
) -> Map {
    let mut out = page.clone();
    // `source` is a decision of the spec's author once there is a spec.
    match existing.get("source") {
        Some(v) => out.set("source", v.clone()),
        None => {
            out.remove("source");
        }
    }
    for key in ["note", "default", "description"] {
        if !out.has(key) {
            if let Some(v) = existing.get(key) {
                out.set(key, v.clone());
            }
        }
    }
    if existing.has("note") {
        if let Some(v) = existing.get("note") {
            out.set("note", v.clone());
        }
    }
    let name = page.get_str("name").unwrap_or_default();
    if let (Some(ps), Some(es)) = (page.get_map("schema"), existing.get_map("schema")) {
        out.set(
            "schema",
            Node::Map(schema(ps, es, local, &format!("parameter {name}"), w)),
        );
    }
    out
}

/// Names of the schemas a tree refers to.
pub fn refs(node: &Node, out: &mut BTreeSet<String>) {
    match node {
        Node::Map(m) => {
            for (k, v) in &m.0 {
                if k == "$ref" {
                    if let Node::Str(s) = v {
                        out.insert(s.clone());
                    }
                } else {
                    refs(v, out);
                }
            }
        }
        Node::Seq(items) => items.iter().for_each(|i| refs(i, out)),
        _ => {}
    }
}

/// Names reachable from `roots` through the schemas in `schemas`.
pub fn reachable(roots: &[&Node], schemas: &Map) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = BTreeSet::new();
    for r in roots {
        refs(r, &mut todo);
    }
    while let Some(name) = todo.pop_first() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(s) = schemas.get(&name) {
            let mut more = BTreeSet::new();
            refs(s, &mut more);
            for m in more {
                if !seen.contains(&m) {
                    todo.insert(m);
                }
            }
        }
    }
    seen
}
