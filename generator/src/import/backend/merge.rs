//! Re-import: what the page cannot say is taken from the existing spec, matched by parameter
//! name and location, property path, status code and enum value. Where the spec refers to a
//! shared schema (e.g. `KmsErrorResponse`) instead of the page's table, the table is compared
//! with that schema ([`check_shared`]) so that a field added on the page is reported.

use std::collections::{BTreeSet, HashMap};

use super::node::{Map, Node};
use super::Warning;

/// What a merge needs besides the two schemas.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The schemas the page itself describes (its named tables).
    pub page_schemas: &'a Map,
    /// The existing spec's own `schemas`.
    pub existing_schemas: &'a Map,
    /// The service's shared `schemas` (from `service.yaml`), when given.
    pub service_schemas: Option<&'a Map>,
    /// The page line of each place of the page's schemas ([`crate::import::page::build::Built::lines`]).
    pub lines: &'a HashMap<String, usize>,
}

impl Context<'_> {
    /// The page line of a place (`response 400.error`), or 0.
    pub fn line(&self, at: &str) -> usize {
        self.lines.get(at).copied().unwrap_or(0)
    }

    /// Whether `name` is one of the page's own named tables.
    pub fn is_local(&self, name: &str) -> bool {
        self.page_schemas.has(name)
    }

    /// A schema the spec may refer to instead of a page table: the existing spec's own, then
    /// the service's.
    pub fn shared(&self, name: &str) -> Option<&Map> {
        self.existing_schemas
            .get_map(name)
            .or_else(|| self.service_schemas.and_then(|s| s.get_map(name)))
    }
}

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

/// Kept keys that only make sense for the type they were written for: dropped (with a warning)
/// when the page changes the type.
const TYPED_KEYS: &[&str] = &[
    "format",
    "min_length",
    "max_length",
    "minimum",
    "maximum",
    "default",
    "values",
];

/// Merges a schema built from the page (`page`) with the existing one at the same place
/// (`at`, e.g. `response 200.clusters`).
pub fn schema(page: &Map, existing: &Map, ctx: &Context, at: &str, w: &mut Vec<Warning>) -> Map {
    // A hand-made reference to a shared schema (e.g. KmsErrorResponse) stands for the page's
    // inline object; the object is checked against it.
    if let Some(r) = existing.get_str("$ref") {
        if !page.has("$ref") && page.get_str("type") == Some("object") && !ctx.is_local(r) {
            check_shared(page, at, r, ctx, w);
            return existing.clone();
        }
    }
    let mut out = page.clone();
    if existing.get("nullable") == Some(&Node::Bool(true)) {
        out.set("nullable", Node::Bool(true));
    }
    let same_type = page.get("type") == existing.get("type");
    let type_text = |m: &Map| {
        m.get_str("type")
            .or_else(|| m.get_str("$ref"))
            .unwrap_or("untyped")
            .to_string()
    };
    for key in KEPT_SCHEMA_KEYS {
        if !out.has(key) {
            if let Some(v) = existing.get(key) {
                if !same_type && TYPED_KEYS.contains(key) {
                    w.push(Warning {
                        path: String::new(),
                        kind: String::new(),
                        line: ctx.line(at),
                        message: format!(
                            "{at}: the type changed from {} to {}; the existing spec's {key} ({}) is dropped",
                            type_text(existing),
                            type_text(page),
                            short(v)
                        ),
                    });
                    continue;
                }
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
        (None, Some(_)) if !same_type => w.push(Warning {
            path: String::new(),
            kind: String::new(),
            line: ctx.line(at),
            message: format!(
                "{at}: the type changed from {} to {}; the existing spec's enum values are dropped",
                type_text(existing),
                type_text(page)
            ),
        }),
        (None, Some(ev)) => {
            out.set("enum", Node::Seq(ev.clone()));
            w.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: ctx.line(at),
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
                (Some(pv), Some(ev)) => Node::Map(schema(pv, ev, ctx, &format!("{at}.{k}"), w)),
                _ => v.clone(),
            };
            props.set(k, merged);
        }
        for (k, _) in &ep.0 {
            if !pp.has(k) {
                w.push(Warning {
                    path: String::new(),
                    kind: String::new(),
                    line: ctx.line(at),
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
                Node::Map(schema(pi, ei, ctx, &format!("{at}.{key}"), w)),
            );
        }
    }
    out
}

/// Merges a parameter matched by name and location.
pub fn parameter(page: &Map, existing: &Map, ctx: &Context, w: &mut Vec<Warning>) -> Map {
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
            Node::Map(schema(ps, es, ctx, &format!("parameter {name}"), w)),
        );
    }
    out
}

/// A value in one line, for a warning.
fn short(v: &Node) -> String {
    match v {
        Node::Str(s) => s.clone(),
        other => other
            .scalar_text()
            .unwrap_or_else(|| "a structure".to_string()),
    }
}

/// Compares the page's inline object at `at` with the shared schema `name` the spec refers to
/// instead: a warning naming the page line for every field the page has that the schema lacks,
/// every field of the schema the page lacks, and every field typed differently.
pub fn check_shared(page: &Map, at: &str, name: &str, ctx: &Context, w: &mut Vec<Warning>) {
    match ctx.shared(name) {
        Some(shared) => compare(page, at, shared, name, ctx, 0, w),
        None => w.push(Warning {
            path: String::new(),
            kind: String::new(),
            line: ctx.line(at),
            message: match ctx.service_schemas {
                Some(_) => format!(
                    "{at}: the spec refers to {name} instead of the page's table, but neither the spec nor the service defines {name}; the table is not checked"
                ),
                None => format!(
                    "{at}: the spec refers to {name} instead of the page's table, but the service's schemas were not given; the table is not checked against {name}"
                ),
            },
        }),
    }
}

/// `integer (int64)`, `string`, `object`: a schema's type as compared with a shared schema.
fn full_type(m: &Map) -> Option<String> {
    let t = m.get_str("type")?;
    let format = m.get_str("format").or(match t {
        "integer" => Some("int32"),
        "number" => Some("double"),
        _ => None,
    });
    Some(match format {
        Some(f) => format!("{t} ({f})"),
        None => t.to_string(),
    })
}

fn compare(
    page: &Map,
    page_at: &str,
    shared: &Map,
    shared_at: &str,
    ctx: &Context,
    depth: usize,
    w: &mut Vec<Warning>,
) {
    if depth > 32 {
        return;
    }
    // Follow references: the page's to its named tables, the shared schema's to its siblings.
    if let Some(r) = page.get_str("$ref") {
        if let Some(target) = ctx.page_schemas.get_map(r) {
            compare(target, r, shared, shared_at, ctx, depth + 1, w);
        }
        return;
    }
    if let Some(r) = shared.get_str("$ref") {
        if let Some(target) = ctx.shared(r) {
            compare(page, page_at, target, r, ctx, depth + 1, w);
        }
        return;
    }
    if let (Some(pt), Some(st)) = (full_type(page), full_type(shared)) {
        if pt != st {
            w.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: ctx.line(page_at),
                message: format!(
                    "{page_at} is {pt} on the page, but {shared_at}, which the spec refers to, is {st}"
                ),
            });
            return;
        }
    }
    if page.has("properties") || shared.has("properties") {
        let empty = Map::new();
        let pp = page.get_map("properties").unwrap_or(&empty);
        let sp = shared.get_map("properties").unwrap_or(&empty);
        for (k, v) in &pp.0 {
            let field_at = format!("{page_at}.{k}");
            match (v.as_map(), sp.get_map(k)) {
                (Some(pv), Some(sv)) => {
                    compare(pv, &field_at, sv, &format!("{shared_at}.{k}"), ctx, depth + 1, w)
                }
                _ if !sp.has(k) => w.push(Warning {
                    path: String::new(),
                    kind: String::new(),
                    line: ctx.line(&field_at),
                    message: format!(
                        "{field_at}: the page has this field, but {shared_at}, which the spec refers to instead of the page's table, has no field {k}; it is not in the spec"
                    ),
                }),
                _ => {}
            }
        }
        for (k, _) in &sp.0 {
            if !pp.has(k) {
                w.push(Warning {
                    path: String::new(),
                    kind: String::new(),
                    line: ctx.line(page_at),
                    message: format!(
                        "{shared_at}.{k}, which the spec has in place of the page's table {page_at}, is not on the page"
                    ),
                });
            }
        }
    }
    for key in ["items", "values"] {
        if let (Some(pi), Some(si)) = (page.get_map(key), shared.get_map(key)) {
            compare(
                pi,
                &format!("{page_at}.{key}"),
                si,
                &format!("{shared_at}.{key}"),
                ctx,
                depth + 1,
                w,
            );
        }
    }
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
