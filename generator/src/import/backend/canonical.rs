//! The committed specs' key order, and the YAML text of a spec checked by reading it back.

use serde_yaml::Value;

use super::node::{Map, Node};
use super::yaml;

pub const TOP_ORDER: &[&str] = &[
    "operation",
    "title",
    "description",
    "constraints",
    "source",
    "authorization",
    "method",
    "path",
    "host",
    "retry_safe",
    "parameters",
    "body",
    "request_example",
    "responses",
    "schemas",
    "notes",
];
pub const SOURCE_ORDER: &[&str] = &["document", "definition", "breadcrumb", "updated"];
pub const PARAM_ORDER: &[&str] = &[
    "name",
    "in",
    "required",
    "source",
    "description",
    "default",
    "schema",
    "note",
];
pub const BODY_ORDER: &[&str] = &[
    "description",
    "required",
    "encoding",
    "content_type",
    "schema",
    "example",
    "example_note",
];
pub const RESPONSE_ORDER: &[&str] = &[
    "description",
    "encoding",
    "schema",
    "headers",
    "example",
    "example_note",
];
pub const HEADER_ORDER: &[&str] = &["description", "schema", "note"];
pub const SCHEMA_ORDER: &[&str] = &[
    "type",
    "format",
    "$ref",
    "description",
    "nullable",
    "enum",
    "one_of",
    "properties",
    "required",
    "items",
    "values",
    "min_length",
    "max_length",
    "minimum",
    "maximum",
    "pattern",
    "min_items",
    "max_items",
    "default",
    "note",
];
pub const SERVICE_ORDER: &[&str] = &["service", "title", "endpoint", "schemas"];

/// Puts every known mapping of an operation spec in the committed specs' key order.
pub fn canonical(top: &mut Map) {
    top.sort_by_order(TOP_ORDER);
    if let Some(Node::Map(s)) = top.get_mut("source") {
        s.sort_by_order(SOURCE_ORDER);
    }
    if let Some(Node::Seq(a)) = top.get_mut("authorization") {
        for m in a.iter_mut().filter_map(Node::as_map_mut) {
            m.sort_by_order(&[
                "action",
                "access_level",
                "resource_types",
                "condition_keys",
                "alias",
                "dependencies",
            ]);
        }
    }
    if let Some(Node::Seq(ps)) = top.get_mut("parameters") {
        for p in ps.iter_mut().filter_map(Node::as_map_mut) {
            p.sort_by_order(PARAM_ORDER);
            if let Some(Node::Map(s)) = p.get_mut("schema") {
                canonical_schema(s, 0);
            }
        }
    }
    if let Some(Node::Map(b)) = top.get_mut("body") {
        b.sort_by_order(BODY_ORDER);
        if let Some(Node::Map(s)) = b.get_mut("schema") {
            canonical_schema(s, 0);
        }
    }
    if let Some(Node::Map(rs)) = top.get_mut("responses") {
        for (_, r) in rs.0.iter_mut() {
            let Some(r) = r.as_map_mut() else { continue };
            r.sort_by_order(RESPONSE_ORDER);
            if let Some(Node::Map(s)) = r.get_mut("schema") {
                canonical_schema(s, 0);
            }
            if let Some(Node::Map(headers)) = r.get_mut("headers") {
                for (_, h) in headers.0.iter_mut() {
                    let Some(h) = h.as_map_mut() else { continue };
                    h.sort_by_order(HEADER_ORDER);
                    if let Some(Node::Map(s)) = h.get_mut("schema") {
                        canonical_schema(s, 0);
                    }
                }
            }
        }
    }
    if let Some(Node::Map(ss)) = top.get_mut("schemas") {
        for (_, s) in ss.0.iter_mut() {
            if let Some(s) = s.as_map_mut() {
                canonical_schema(s, 0);
            }
        }
    }
}

/// Puts a service file's keys in order.
pub fn canonical_service(service: &mut Map) {
    service.sort_by_order(SERVICE_ORDER);
    if let Some(Node::Map(ss)) = service.get_mut("schemas") {
        for (_, s) in ss.0.iter_mut() {
            if let Some(s) = s.as_map_mut() {
                canonical_schema(s, 0);
            }
        }
    }
}

pub fn canonical_schema(s: &mut Map, depth: usize) {
    if depth > 64 {
        return;
    }
    s.sort_by_order(SCHEMA_ORDER);
    if let Some(Node::Seq(values)) = s.get_mut("enum") {
        for v in values.iter_mut().filter_map(Node::as_map_mut) {
            v.sort_by_order(&["value", "name", "description"]);
        }
    }
    if let Some(Node::Map(props)) = s.get_mut("properties") {
        for (_, p) in props.0.iter_mut() {
            if let Some(p) = p.as_map_mut() {
                canonical_schema(p, depth + 1);
            }
        }
    }
    if let Some(Node::Seq(variants)) = s.get_mut("one_of") {
        for v in variants.iter_mut().filter_map(Node::as_map_mut) {
            canonical_schema(v, depth + 1);
        }
    }
    for key in ["items", "values"] {
        if let Some(Node::Map(i)) = s.get_mut(key) {
            canonical_schema(i, depth + 1);
        }
    }
}

/// Writes an operation spec and reads it back: the text must give exactly the tree, and the
/// tree must be a valid operation file. The error says what went wrong.
pub fn write_checked(top: &Map) -> Result<String, String> {
    write_checked_as::<crate::spec::model::OperationFile>(top)
}

/// [`write_checked`] for a `service.yaml`.
pub fn write_checked_service(service: &Map) -> Result<String, String> {
    write_checked_as::<crate::spec::model::ServiceFile>(service)
}

fn write_checked_as<T: serde::de::DeserializeOwned>(top: &Map) -> Result<String, String> {
    let want = Node::Map(top.clone()).to_value();
    let mut last_err = String::new();
    for safe in [false, true] {
        let text = yaml::to_yaml(top, safe);
        match serde_yaml::from_str::<Value>(&text) {
            Ok(v) if v == want => {
                return match serde_yaml::from_value::<T>(v) {
                    Ok(_) => Ok(text),
                    Err(e) => Err(e.to_string()),
                };
            }
            Ok(_) => last_err = "the text reads back different".into(),
            Err(e) => last_err = e.to_string(),
        }
    }
    Err(last_err)
}
