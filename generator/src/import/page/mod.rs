//! `generator import`: Huawei Cloud API reference pages (plain text) to YAML specs.
//!
//! [`import_page`] reads one page and writes one operation spec in the format of
//! `spec/README.md`. The page's three table layouts (one cell per line, labelled blocks inside
//! cells, pipe tables) are read into one shape ([`tables`]); the sections ([`sections`]) give the
//! title, function, constraints, authorization, method and path, parameters ([`describe`],
//! [`enums`], [`types`]), responses with their nested tables ([`build`]) and examples. What a
//! page cannot say (the operation name, notes, enum variant names, `retry_safe`, references to
//! service-level schemas, `source: config/auth` decisions, ranges) comes from the existing spec
//! ([`merge`]) or from [`ImportOptions`]. Where the spec refers to a shared schema of the
//! service instead of a page table, the table is compared with that schema (given as the
//! service's `service.yaml`), so a row added to it is a warning, not lost. The YAML is written
//! by [`super::backend::yaml`] and read back before it is returned, so what is returned always parses to the
//! intended content.
//!
//! Nothing is dropped silently: a table row that does not end up in the spec becomes a
//! [`Warning`] naming its page line. Arbitrary text never panics: it gives a spec, or an
//! [`ImportError`].

pub mod build;
pub mod cell_checks;
pub mod describe;
pub mod enums;
pub mod infer;
pub mod lines;
pub mod prose_headers;
pub mod sections;
pub mod tables;
pub mod types;

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use serde_yaml::Value;

use super::backend::canonical::{canonical, write_checked};
use super::backend::{example, merge, node, Warning};
use build::Target;
use node::{Map, Node};

/// What the page cannot say, for a first import (no existing spec).
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The operation name (PascalCase). Required without an existing spec; overrides the
    /// existing spec's name when given.
    pub operation: Option<String>,
    /// Sets `retry_safe` (otherwise the existing spec's value, or absent).
    pub retry_safe: Option<bool>,
    /// A service-level error schema (e.g. `KmsErrorResponse`): every non-2xx response whose
    /// body the page documents refers to it instead of an inline object, unless the existing
    /// spec says otherwise. The page's table is checked against it ([`Self::service_schemas`]).
    pub error_schema: Option<String>,
    /// The text of the service's `service.yaml`. Where the spec refers to one of its schemas
    /// instead of the page's table (an `error_schema`, or a `$ref` of the existing spec), the
    /// table is compared with that schema and every field that differs is a warning. Without
    /// it such a table cannot be checked, which is a warning too.
    pub service_schemas: Option<String>,
}

/// The spec written from a page.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The operation's YAML spec.
    pub yaml: String,
    /// The operation name written in it (for [`crate::import::spec_file_name`]).
    pub operation: String,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{page}: not an API reference page (no Function, URI, Request or Response section)")]
    NotApiPage { page: String },
    #[error("{page}{}: no method and path (a line like `GET /v3/{{project_id}}/instances` under URI)", at_line(*.line))]
    NoMethodPath { page: String, line: Option<usize> },
    #[error("{page}: no operation name: give one (--operation) when there is no existing spec")]
    MissingOperation { page: String },
    #[error("{page}: the existing spec cannot be read: {message}")]
    Existing { page: String, message: String },
    #[error("{page}: the service's schemas (service.yaml) cannot be read: {message}")]
    Service { page: String, message: String },
    #[error("{page}: internal error, the written spec does not read back: {message}")]
    Output { page: String, message: String },
    /// A table row whose cells do not fit its header (a cell or a line missing): importing it
    /// would lose or misplace a field, so nothing is written.
    #[error("{page}:{line}: broken table: {message}{}", lines_to(*.line, *.end_line))]
    BrokenTable {
        page: String,
        line: usize,
        /// The last line of the broken row (a row can run over several lines).
        end_line: usize,
        message: String,
    },
}

fn lines_to(line: usize, end_line: usize) -> String {
    if end_line > line {
        format!(" (the row runs over lines {line} to {end_line})")
    } else {
        String::new()
    }
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

/// The lines each table of a page spans, as the importer reads it: from its title (or header)
/// to its last cell's last line, 1-based and inclusive. For the broken-table tests.
pub fn table_spans(text: &str) -> Vec<(usize, usize)> {
    let lines = lines::page_lines(text);
    let items = tables::assemble(lines::items(&lines), &mut Vec::new());
    items
        .iter()
        .filter_map(|item| match item {
            lines::Item::Table(t) => {
                let last = t
                    .rows
                    .iter()
                    .flat_map(|r| r.cells.iter())
                    .flat_map(|c| c.paras.iter())
                    .flat_map(|p| p.iter().map(|(line, _)| *line))
                    .max()?;
                Some((t.line, last))
            }
            _ => None,
        })
        .collect()
}

/// Imports one page. `page_name` is the page's file name (written to `source.document`);
/// `existing` is the text of the spec being updated, if any.
pub fn import_page(
    text: &str,
    page_name: &str,
    existing: Option<&str>,
    options: &ImportOptions,
) -> Result<Imported, ImportError> {
    let mut warnings = Vec::new();
    let page = sections::read(text, &mut warnings);
    if let Some(broken) = &page.broken {
        return Err(ImportError::BrokenTable {
            page: page_name.into(),
            line: broken.line,
            end_line: broken.end_line,
            message: broken.message.clone(),
        });
    }
    if page.api_sections == 0 {
        return Err(ImportError::NotApiPage {
            page: page_name.into(),
        });
    }
    let (Some(method), Some(path)) = (page.method.clone(), page.path.clone()) else {
        return Err(ImportError::NoMethodPath {
            page: page_name.into(),
            line: page.uri_line,
        });
    };
    let existing = match existing {
        None => None,
        Some(e) => match serde_yaml::from_str::<Value>(e) {
            Ok(v) => match Node::from_value(&v) {
                Node::Map(m) => Some(m),
                _ => {
                    return Err(ImportError::Existing {
                        page: page_name.into(),
                        message: "not a mapping".into(),
                    })
                }
            },
            Err(err) => {
                return Err(ImportError::Existing {
                    page: page_name.into(),
                    message: err.to_string(),
                })
            }
        },
    };
    let service_schemas = match &options.service_schemas {
        None => None,
        Some(text) => match serde_yaml::from_str::<Value>(text) {
            Ok(v) => match Node::from_value(&v) {
                Node::Map(m) => Some(m.get_map("schemas").cloned().unwrap_or_default()),
                Node::Null => Some(Map::new()),
                _ => {
                    return Err(ImportError::Service {
                        page: page_name.into(),
                        message: "not a mapping".into(),
                    })
                }
            },
            Err(err) => {
                return Err(ImportError::Service {
                    page: page_name.into(),
                    message: err.to_string(),
                })
            }
        },
    };
    let operation = options
        .operation
        .clone()
        .or_else(|| {
            existing
                .as_ref()
                .and_then(|e| e.get_str("operation").map(str::to_string))
        })
        .ok_or_else(|| ImportError::MissingOperation {
            page: page_name.into(),
        })?;

    let groups = page.groups.clone();
    let built = build::build(groups, &mut warnings);
    let mut named: IndexMap<String, Map> = built.named;
    let mut roots: Vec<(Target, Map)> = built.roots;
    let lines = built.lines;

    // The examples, parsed once: they mark the fields they show as null nullable, and give the
    // members of the types no table describes.
    let mut response_examples: HashMap<&str, serde_json::Value> = HashMap::new();
    for (code, r) in &page.responses {
        let Some(example) = &r.example else { continue };
        match serde_json::from_str::<serde_json::Value>(example) {
            Ok(json) => {
                response_examples.insert(code.as_str(), json);
            }
            Err(_) => warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: r.example_line,
                message: format!("the {code} example is not valid JSON"),
            }),
        }
    }
    let body_example: Option<serde_json::Value> = page
        .request_body_example
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok());
    let examples: Vec<Option<&serde_json::Value>> = roots
        .iter()
        .map(|(target, _)| match target {
            Target::Response(code) => response_examples.get(code.as_str()),
            Target::Body => body_example.as_ref(),
        })
        .collect();
    for ((_, root), json) in roots.iter_mut().zip(&examples) {
        if let Some(json) = json {
            mark_nullable(root, json, &mut named, 0);
        }
    }

    // Types the page names but describes in no table: their members as the examples show them.
    let mut root_schemas: Vec<&mut Map> = roots.iter_mut().map(|(_, m)| m).collect();
    let inferred = infer::infer_undescribed(&mut root_schemas, &examples, &mut named);
    for u in built.undescribed {
        let message = if inferred.contains(&u.type_name) {
            format!(
                "field {} refers to {}, which no table on the page describes; its members are inferred from the page's example, all optional",
                u.field, u.type_name
            )
        } else {
            format!(
                "field {} refers to {}, which no table on the page describes; typed as any JSON object",
                u.field, u.type_name
            )
        };
        warnings.push(Warning {
            path: String::new(),
            kind: String::new(),
            line: u.line,
            message,
        });
    }

    // The page's own spec.
    let mut responses = Map::new();
    for (code, r) in &page.responses {
        let mut m = Map::new();
        if let Some(d) = &r.description {
            m.set_str("description", d.clone());
        }
        let root = roots
            .iter()
            .position(|(t, _)| *t == Target::Response(code.clone()))
            .map(|i| roots.remove(i).1);
        if let Some(s) = root {
            m.set("schema", Node::Map(s));
        }
        if let Some(e) = &r.example {
            m.set_str("example", e.clone());
        }
        responses.set(code, Node::Map(m));
    }
    if responses.0.is_empty() {
        warnings.push(Warning {
            path: String::new(),
            kind: String::new(),
            line: 0,
            message: "the page documents no response".into(),
        });
    }
    let body = roots
        .iter()
        .find(|(t, _)| *t == Target::Body)
        .map(|(_, s)| {
            let mut b = Map::new();
            b.set("required", Node::Bool(s.has("required")));
            b.set("schema", Node::Map(s.clone()));
            b
        });
    // A body the example request sends but no table describes: its fields as the example shows
    // them (without them the generated operation could not send a body at all).
    let existing_has_body = existing.as_ref().and_then(|e| e.get_map("body")).is_some();
    let body = body.or_else(|| {
        if existing_has_body {
            return None;
        }
        let json = body_example.as_ref()?;
        json.as_object().filter(|members| !members.is_empty())?;
        warnings.push(Warning {
            path: String::new(),
            kind: String::new(),
            line: page.request_example_line.unwrap_or(0),
            message: "the example request has a JSON body but no table describes it; its fields are inferred from the example, all optional".into(),
        });
        let mut b = Map::new();
        b.set("required", Node::Bool(true));
        b.set("schema", Node::Map(infer::schema_of_example(json)));
        Some(b)
    });

    let page_schemas = Map(named
        .iter()
        .map(|(k, v)| (k.clone(), Node::Map(v.clone())))
        .collect());
    let page_params: Vec<Map> = page.params.clone();
    let reach_page = {
        let p = Node::Seq(page_params.iter().cloned().map(Node::Map).collect());
        let r = Node::Map(responses.clone());
        let b = body.clone().map(Node::Map).unwrap_or(Node::Null);
        merge::reachable(&[&p, &r, &b], &page_schemas)
    };

    let mut top = Map::new();
    top.set_str("operation", operation.clone());
    let title = page.title.clone().or_else(|| {
        existing
            .as_ref()
            .and_then(|e| e.get_str("title").map(str::to_string))
    });
    if title.is_none() {
        warnings.push(Warning {
            path: String::new(),
            kind: String::new(),
            line: 0,
            message: "the page has no title".into(),
        });
    }
    top.set_str("title", title.unwrap_or_default());
    let description = page.description.clone().or_else(|| {
        existing
            .as_ref()
            .and_then(|e| e.get_str("description").map(str::to_string))
    });
    if description.is_none() {
        warnings.push(Warning {
            path: String::new(),
            kind: String::new(),
            line: 0,
            message: "the page has no Function text".into(),
        });
    }
    top.set_str("description", description.unwrap_or_default());
    top.set(
        "constraints",
        page.constraints
            .clone()
            .map(Node::Str)
            .unwrap_or(Node::Null),
    );
    let mut source = Map::new();
    source.set_str("document", page_name);
    source.set(
        "breadcrumb",
        page.breadcrumb.clone().map(Node::Str).unwrap_or(Node::Null),
    );
    source.set(
        "updated",
        page.updated.clone().map(Node::Str).unwrap_or(Node::Null),
    );
    // The API Explorer definition the spec was compared with (a page cannot say it).
    if let Some(definition) = existing
        .as_ref()
        .and_then(|e| e.get_map("source"))
        .and_then(|s| s.get("definition"))
    {
        source.set("definition", definition.clone());
    }
    top.set("source", Node::Map(source));
    let authorization = match (
        &page.authorization,
        existing.as_ref().and_then(|e| e.get("authorization")),
    ) {
        (Some(a), _) => Node::Seq(a.clone()),
        (None, Some(Node::Seq(e))) if !e.is_empty() => {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: 0,
                message: "the page has no Authorization Information; the existing spec's IAM actions are kept".into(),
            });
            Node::Seq(e.clone())
        }
        _ => Node::Seq(Vec::new()),
    };
    top.set("authorization", authorization);
    top.set_str("method", method);
    top.set_str("path", path.clone());
    // A host of its own is not on the page either.
    if let Some(host) = existing.as_ref().and_then(|e| e.get("host")) {
        top.set("host", host.clone());
    }
    match (
        options.retry_safe,
        existing.as_ref().and_then(|e| e.get("retry_safe")),
    ) {
        (Some(r), _) => top.set("retry_safe", Node::Bool(r)),
        (None, Some(v)) => top.set("retry_safe", v.clone()),
        _ => {}
    }

    // What the merges need: the page's named tables, the existing spec's own schemas, the
    // service's, and the page lines.
    let existing_schemas = existing
        .as_ref()
        .and_then(|e| e.get_map("schemas"))
        .cloned()
        .unwrap_or_default();
    let ctx = merge::Context {
        page_schemas: &page_schemas,
        existing_schemas: &existing_schemas,
        service_schemas: service_schemas.as_ref(),
        lines: &lines,
    };

    // Parameters.
    let existing_params: Vec<Map> = existing
        .as_ref()
        .and_then(|e| e.get("parameters"))
        .and_then(Node::as_seq)
        .map(|s| s.iter().filter_map(Node::as_map).cloned().collect())
        .unwrap_or_default();
    let key = |m: &Map| {
        (
            m.get_str("name").map(str::to_string),
            m.get_str("in").map(str::to_string),
        )
    };
    let mut params = Vec::new();
    for p in &page_params {
        let merged = match existing_params.iter().find(|e| key(e) == key(p)) {
            Some(e) => merge::parameter(p, e, &ctx, &mut warnings),
            None => p.clone(),
        };
        params.push(merged);
    }
    for e in &existing_params {
        if !page_params.iter().any(|p| key(p) == key(e)) {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: 0,
                message: format!(
                    "parameter {} ({}) of the existing spec is not on the page; removed",
                    e.get_str("name").unwrap_or("?"),
                    e.get_str("in").unwrap_or("?")
                ),
            });
        }
    }
    for var in path_vars(&path) {
        if !params
            .iter()
            .any(|p| p.get_str("name") == Some(var.as_str()) && p.get_str("in") == Some("path"))
        {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: page.uri_line.unwrap_or(0),
                message: format!("path parameter {{{var}}} is not described by a parameter table"),
            });
        }
    }
    top.set(
        "parameters",
        Node::Seq(params.into_iter().map(Node::Map).collect()),
    );

    // The example request: with a request body table, its JSON is the body's example and only
    // the request line stays in `request_example`; without one, both stay there.
    let (request_line, body_example) = match (&page.request_body_example, body.is_some()) {
        (Some(json), true) => (page.request_example.clone(), Some(json.clone())),
        (Some(json), false) => (
            Some(match &page.request_example {
                Some(line) => format!("{line}\n\n{}", json.trim_end()),
                None => json.trim_end().to_string(),
            }),
            None,
        ),
        (None, _) => (page.request_example.clone(), None),
    };

    // Body.
    let existing_body = existing.as_ref().and_then(|e| e.get_map("body")).cloned();
    let body = match (body, existing_body) {
        (Some(mut b), Some(e)) => {
            if let (Some(ps), Some(es)) = (b.get_map("schema").cloned(), e.get_map("schema")) {
                b.set(
                    "schema",
                    Node::Map(merge::schema(&ps, es, &ctx, "body", &mut warnings)),
                );
            }
            // The page never words the body's description.
            if let Some(v) = e.get("description") {
                b.set("description", v.clone());
            }
            match (&body_example, e.get("example")) {
                (Some(x), _) => b.set_str("example", x.clone()),
                (None, Some(v)) if *v != Node::Null => {
                    warnings.push(Warning {
                        path: String::new(),
                        kind: String::new(),
                        line: 0,
                        message: "the page shows no request body example; the existing spec's body example is kept".into(),
                    });
                    b.set("example", v.clone());
                }
                _ => {}
            }
            Node::Map(b)
        }
        (Some(mut b), None) => {
            if let Some(x) = &body_example {
                b.set_str("example", x.clone());
            }
            Node::Map(b)
        }
        (None, Some(e)) => {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: 0,
                message: "the page documents no request body; the existing spec's body is kept"
                    .into(),
            });
            Node::Map(e)
        }
        (None, None) => Node::Null,
    };
    top.set("body", body);
    let existing_request_example = existing.as_ref().and_then(|e| e.get("request_example"));
    match (request_line, existing_request_example) {
        (Some(r), _) => top.set_str("request_example", r),
        // "None" on the page: there is no example request.
        (None, _) if page.request_example_none => top.set("request_example", Node::Null),
        (None, Some(e)) => {
            if *e != Node::Null {
                warnings.push(Warning {
                    path: String::new(),
                    kind: String::new(),
                    line: 0,
                    message: "the page shows no example request; the existing spec's request_example is kept".into(),
                });
            }
            top.set("request_example", e.clone());
        }
        (None, None) => {}
    }

    // Responses.
    let existing_responses = existing
        .as_ref()
        .and_then(|e| e.get_map("responses"))
        .cloned()
        .unwrap_or_default();
    let mut merged_responses = Map::new();
    for (code, r) in &responses.0 {
        let Some(r) = r.as_map() else { continue };
        let mut m = r.clone();
        let at = format!("response {code}");
        let existing_response = existing_responses.get_map(code);
        match (
            r.get_map("schema"),
            existing_response.and_then(|e| e.get_map("schema")),
        ) {
            (Some(ps), Some(es)) => m.set(
                "schema",
                Node::Map(merge::schema(ps, es, &ctx, &at, &mut warnings)),
            ),
            (None, Some(es)) => {
                warnings.push(Warning {
                    path: String::new(),
                    kind: String::new(),
                    line: 0,
                    message: format!(
                        "the page documents no body for response {code}; the existing spec's schema is kept"
                    ),
                });
                m.set("schema", Node::Map(es.clone()));
            }
            // A first import of an error body: the service's error schema stands for the
            // page's table, which is checked against it.
            (Some(ps), None) => {
                if let (Some(err), false) = (&options.error_schema, code.starts_with('2')) {
                    if !ps.has("$ref") && ps.get_str("type") == Some("object") {
                        merge::check_shared(ps, &at, err, &ctx, &mut warnings);
                        m.set(
                            "schema",
                            Node::Map(Map(vec![("$ref".into(), Node::str(err.clone()))])),
                        );
                    }
                }
            }
            (None, None) => {}
        }
        if let Some(e) = existing_response {
            for k in ["description", "example"] {
                if !m.has(k) {
                    if let Some(v) = e.get(k) {
                        warnings.push(Warning {
                            path: String::new(),
                            kind: String::new(),
                            line: 0,
                            message: format!(
                                "the page gives response {code} no {k}; the existing spec's is kept"
                            ),
                        });
                        m.set(k, v.clone());
                    }
                }
            }
        }
        m.sort_by_order(&["description", "schema", "example"]);
        merged_responses.set(code, Node::Map(m));
    }
    for (code, _) in &existing_responses.0 {
        if !merged_responses.has(code) {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: 0,
                message: format!(
                    "response {code} of the existing spec is not on the page; removed"
                ),
            });
        }
    }
    top.set("responses", Node::Map(merged_responses));

    // Schemas: the page's named tables that are still used, plus existing local schemas the
    // kept references need.
    let mut all_schemas = page_schemas.clone();
    for (k, v) in &existing_schemas.0 {
        if !all_schemas.has(k) {
            all_schemas.set(k, v.clone());
        }
    }
    let reach = {
        let p = top.get("parameters").cloned().unwrap_or(Node::Null);
        let r = top.get("responses").cloned().unwrap_or(Node::Null);
        let b = top.get("body").cloned().unwrap_or(Node::Null);
        merge::reachable(&[&p, &r, &b], &all_schemas)
    };
    let mut schemas = Map::new();
    for (name, s) in &named {
        let used = reach.contains(name);
        if !used && reach_page.contains(name) {
            continue; // its tables stand for a shared schema the spec refers to (checked)
        }
        if !used {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: 0,
                message: format!(
                    "schema {name} is described on the page but no field refers to it"
                ),
            });
        }
        let merged = match existing_schemas.get_map(name) {
            Some(e) => merge::schema(s, e, &ctx, name, &mut warnings),
            None => s.clone(),
        };
        schemas.set(name, Node::Map(merged));
    }
    for (name, s) in &existing_schemas.0 {
        if named.contains_key(name) {
            continue;
        }
        if reach.contains(name) {
            schemas.set(name, s.clone());
        } else {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: 0,
                message: format!("schema {name} of the existing spec is no longer used; removed"),
            });
        }
    }
    if !schemas.0.is_empty() {
        top.set("schemas", Node::Map(schemas));
    }
    let notes = existing
        .as_ref()
        .and_then(|e| e.get("notes"))
        .cloned()
        .unwrap_or(Node::Seq(Vec::new()));
    top.set("notes", notes);

    // The generator checks every example against its schema: an example with no schema gets
    // one, and one the page's own tables contradict is kept with a note.
    let example_line = |place: &[String]| match place {
        [_, code] => page.responses.get(code).map_or(0, |r| r.example_line),
        _ => 0,
    };
    type_examples_without_schema(&mut top, &example_line, &mut warnings);
    let noted = example::note_mismatches(&mut top, |what| {
        format!("The page's example does not match the page's own tables: {what}.")
    });
    for mismatch in noted {
        warnings.push(Warning {
            path: String::new(),
            kind: String::new(),
            line: example_line(&mismatch.place),
            message: format!(
                "the example of {} contradicts the page's tables ({}); kept, with an example_note",
                mismatch.where_(),
                mismatch.what
            ),
        });
    }

    canonical(&mut top);
    let yaml = write_checked(&top).map_err(|message| ImportError::Output {
        page: page_name.into(),
        message,
    })?;
    // A table shared by several responses is checked once per response: say it once.
    let mut seen = BTreeSet::new();
    warnings.retain(|w| seen.insert((w.line, w.message.clone())));
    Ok(Imported {
        yaml,
        operation,
        warnings,
    })
}

/// A response example the page gives no parameter table for: a JSON object or array is typed
/// as any JSON of that kind (the body exists; its fields are not documented); anything else is
/// left out. Each case is a warning.
fn type_examples_without_schema(
    top: &mut Map,
    example_line: &dyn Fn(&[String]) -> usize,
    warnings: &mut Vec<Warning>,
) {
    let Some(responses) = top.get_mut("responses").and_then(Node::as_map_mut) else {
        return;
    };
    for (code, response) in responses.0.iter_mut() {
        let Some(response) = response.as_map_mut() else {
            continue;
        };
        if response.has("schema") {
            continue;
        }
        let Some(text) = response.get_str("example").map(str::to_owned) else {
            continue;
        };
        let line = example_line(&["responses".to_owned(), code.clone()]);
        let kind = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(_)) => Some("object"),
            Ok(serde_json::Value::Array(_)) => Some("array"),
            _ => None,
        };
        let Some(kind) = kind else {
            response.remove("example");
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line,
                message: format!(
                    "response {code} has an example but no parameter table, and the example is not a JSON object or array; left out"
                ),
            });
            continue;
        };
        let mut schema = Map::new();
        schema.set_str("type", kind);
        if kind == "array" {
            let mut items = Map::new();
            items.set_str("type", "object");
            schema.set("items", Node::Map(items));
        }
        response.set("schema", Node::Map(schema));
        response.sort_by_order(&["description", "schema", "example"]);
        warnings.push(Warning {
            path: String::new(),
            kind: String::new(),
            line,
            message: format!(
                "response {code} has an example but no parameter table; its body is typed as any JSON {kind}"
            ),
        });
    }
}

fn path_vars(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else { break };
        out.push(after.get(..close).unwrap_or("").to_string());
        rest = after.get(close + 1..).unwrap_or("");
    }
    out
}

/// Marks the properties an example shows as `null` as nullable.
fn mark_nullable(
    schema: &mut Map,
    json: &serde_json::Value,
    named: &mut IndexMap<String, Map>,
    depth: usize,
) {
    if depth > 24 {
        return;
    }
    if let Some(r) = schema.get_str("$ref").map(str::to_string) {
        if let Some(mut target) = named.get(&r).cloned() {
            mark_nullable(&mut target, json, named, depth + 1);
            named.insert(r, target);
        }
        return;
    }
    match json {
        serde_json::Value::Object(o) => {
            let Some(Node::Map(props)) = schema.get_mut("properties") else {
                return;
            };
            for (k, v) in o {
                let Some(Node::Map(prop)) = props.get_mut(k) else {
                    continue;
                };
                if v.is_null() {
                    prop.set("nullable", Node::Bool(true));
                } else {
                    mark_nullable(prop, v, named, depth + 1);
                }
            }
        }
        serde_json::Value::Array(items) => {
            let Some(Node::Map(item_schema)) = schema.get_mut("items") else {
                return;
            };
            for v in items.iter().filter(|v| !v.is_null()) {
                mark_nullable(item_schema, v, named, depth + 1);
            }
        }
        _ => {}
    }
}
