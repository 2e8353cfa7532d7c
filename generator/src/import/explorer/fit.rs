//! Parameters and bodies whose shape the spec format cannot carry, made to fit. Each change is
//! a warning naming the definition's JSON path and a note in the spec saying what the
//! definition said; nothing is changed silently. The rules:
//!
//! * **An authentication parameter typed as anything but a string** (LakeFormation's
//!   `X-Auth-Token` is `type: array` of strings): the client's credentials supply it, as one
//!   string, so its schema becomes `{type: string}`; the parameter's `note` says what the
//!   definition had.
//! * **An array of scalars in the path or a header** (ManageOne's `{path-id}`, collectionFormat
//!   csv): a string parameter whose `note` says to give the items joined with the collection
//!   format's separator (`,` for csv, OpenAPI 3's `simple` and when none is given; ` ` for ssv
//!   and spaceDelimited, a tab for tsv, `|` for pipes and pipeDelimited) and the documented item
//!   counts. That is one path segment or header value, as the official SDKs send it.
//! * **Any other shape in the path** (an object, a map, an array of non-scalars, a `one_of`):
//!   the path always has the segment, so the parameter stays, typed string, with a `note`.
//! * **Any other shape in the query or a header** (RMS's `tag`, a map of arrays sent with style
//!   deepObject as `tag[<key>]=<value>`; CC's `version`, an array of objects): no spec
//!   parameter can send it, so it is left out, and the operation's `notes` say what it was:
//!   name, description, shape, style and example. The named schemas only it used go with it.
//! * **A form body with fields a form cannot carry** (`consumes` says
//!   `application/x-www-form-urlencoded`, but a field is an object, a map, an array of
//!   non-scalars or a file): a body given as a JSON schema (`in: body`, `requestBody`) is sent
//!   as JSON, the shape of its schema and examples (UCS's `CreateRule`: its example is a JSON
//!   object, and the official Python SDK, which follows `consumes`, sends an empty form for it;
//!   ModelArts' `BatchBindInferApiKeys`, whose top-level `consumes` and `Content-Type`
//!   parameter say JSON too). Fields given as `formData`, or a body with a file among its
//!   fields, are sent as `multipart/form-data` (a file is a file part, an object a JSON text
//!   part). The operation's `notes` say which fields decided it.
//!
//! What fits is the generator's rule (`validate.rs`): a parameter is a scalar (`string`,
//! `integer`, `number`, `boolean`, or an enum of those), or in the query an array of scalars;
//! a form field is a scalar or an array of scalars, not a file.

use std::collections::BTreeSet;

use super::operation::NOTE_PREFIX;
use super::schema::child;
use crate::import::backend::example::Scope;
use crate::import::backend::merge::reachable;
use crate::import::backend::node::{Map, Node};
use crate::import::backend::Warning;

/// What the definition said about a parameter, beyond its spec form.
#[derive(Debug, Clone, Default)]
pub struct ParamOrigin {
    pub name: String,
    pub location: String,
    /// The parameter's JSON path.
    pub at: String,
    /// Swagger 2's `collectionFormat`.
    pub collection_format: Option<String>,
    /// OpenAPI 3's `style` and `explode`.
    pub style: Option<String>,
    pub explode: Option<bool>,
    /// The parameter's example (`x-example`, `example`), on one line.
    pub example: Option<String>,
}

/// Where a body came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// A JSON schema: `in: body`, or OpenAPI 3's `requestBody`.
    Schema,
    /// Swagger 2's `formData` parameters.
    FormData,
}

/// A body as the definition gave it: its kind, and the JSON path of the media types that
/// decided its encoding (`consumes`, or `requestBody.content`).
#[derive(Debug, Clone)]
pub struct BodyOrigin {
    pub kind: BodyKind,
    pub at: String,
}

fn is_scalar(schema: &Map) -> bool {
    matches!(
        schema.get_str("type"),
        Some("string" | "integer" | "number" | "boolean")
    )
}

fn is_file(schema: &Map) -> bool {
    schema.get_str("type") == Some("string") && schema.get_str("format") == Some("binary")
}

/// A schema in a few words: `a string`, `an array of Version objects`, `a map of arrays of
/// strings`.
pub fn describe(schema: &Map, scope: Scope<'_>) -> String {
    let noun = noun(schema, scope, false, 0);
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

fn noun(schema: &Map, scope: Scope<'_>, plural: bool, depth: usize) -> String {
    let s = |one: &str, many: &str| if plural { many } else { one }.to_string();
    let name = schema.get_str("$ref");
    let Some(resolved) = scope.resolve(schema) else {
        return format!(
            "{} {}",
            s("reference to", "references to"),
            name.unwrap_or("?")
        );
    };
    let named = |word: String| match name {
        Some(n) => format!("{n} {word}"),
        None => word,
    };
    if depth > 8 {
        return s("value", "values");
    }
    if resolved.has("one_of") {
        return named(s("one_of value", "one_of values"));
    }
    match resolved.get_str("type") {
        Some("string") if is_file(resolved) => named(s("file", "files")),
        Some("string") if resolved.has("enum") => named(s("string enum", "string enums")),
        Some("string") => named(s("string", "strings")),
        Some("integer") => named(s("integer", "integers")),
        Some("number") => named(s("number", "numbers")),
        Some("boolean") => named(s("boolean", "booleans")),
        Some("array") => {
            let items = resolved
                .get_map("items")
                .map(|i| noun(i, scope, true, depth + 1))
                .unwrap_or_else(|| "values".into());
            named(format!("{} of {items}", s("array", "arrays")))
        }
        Some("map") => {
            let values = resolved
                .get_map("values")
                .map(|v| noun(v, scope, true, depth + 1))
                .unwrap_or_else(|| "values".into());
            named(format!("{} of {values}", s("map", "maps")))
        }
        Some("object") => named(s("object", "objects")),
        _ => named(s("value", "values")),
    }
}

/// Whether the generator takes this schema for a parameter in `location`.
fn parameter_fits(schema: &Map, location: &str, scope: Scope<'_>) -> bool {
    // A dangling or looping `$ref`: the generator reports the reference itself.
    let Some(resolved) = scope.resolve(schema) else {
        return true;
    };
    if is_scalar(resolved) {
        return true;
    }
    location == "query"
        && resolved.get_str("type") == Some("array")
        && resolved
            .get_map("items")
            .is_some_and(|items| scope.resolve(items).is_none_or(is_scalar))
}

/// An array of scalars (resolved), with its item count bounds.
fn scalar_array<'a>(schema: &'a Map, scope: Scope<'a>) -> Option<&'a Map> {
    let resolved = scope.resolve(schema)?;
    if resolved.get_str("type") != Some("array") {
        return None;
    }
    let items = scope.resolve(resolved.get_map("items")?)?;
    is_scalar(items).then_some(resolved)
}

/// The separator of an array sent as one string, and how the definition says so.
fn separator(origin: Option<&ParamOrigin>) -> (&'static str, &'static str, String) {
    let format = origin.and_then(|o| o.collection_format.as_deref());
    let style = origin.and_then(|o| o.style.as_deref());
    let (sep, sep_text) = match (format, style) {
        (Some("ssv"), _) | (None, Some("spaceDelimited")) => (" ", "a space"),
        (Some("tsv"), _) => ("\t", "a tab"),
        (Some("pipes"), _) | (None, Some("pipeDelimited")) => ("|", "`|`"),
        _ => (",", "`,`"),
    };
    let said = match (format, style) {
        (Some(f), _) => format!("collectionFormat {f}"),
        (None, Some(s)) => format!("style {s}"),
        (None, None) => "no collection format, so `,`".to_string(),
    };
    (sep, sep_text, said)
}

/// `(at least 1, at most 20 items)`, or nothing.
fn item_counts(array: &Map) -> String {
    let get = |k: &str| match array.get(k) {
        Some(Node::Int(n)) => Some(*n),
        _ => None,
    };
    match (get("min_items"), get("max_items")) {
        (Some(a), Some(b)) => format!(" of {a} to {b} items"),
        (Some(a), None) => format!(" of at least {a} items"),
        (None, Some(b)) => format!(" of at most {b} items"),
        (None, None) => String::new(),
    }
}

fn add_note(p: &mut Map, text: String) {
    let note = match p.get_str("note") {
        Some(old) if !old.is_empty() => format!("{old} {text}"),
        _ => text,
    };
    p.set_str("note", note);
}

fn string_schema() -> Map {
    let mut s = Map::new();
    s.set_str("type", "string");
    s
}

fn push_note(spec: &mut Map, text: String) {
    match spec.get_mut("notes") {
        Some(Node::Seq(notes)) => notes.push(Node::Str(text)),
        _ => spec.set("notes", Node::Seq(vec![Node::Str(text)])),
    }
}

/// The roots a spec's schemas are reached from: everything but `schemas`.
fn roots(spec: &Map) -> Vec<&Node> {
    spec.0
        .iter()
        .filter(|(k, _)| k != "schemas")
        .map(|(_, v)| v)
        .collect()
}

/// Whether every parameter fits already (nearly always: then nothing is copied).
fn all_fit(spec: &Map) -> bool {
    let empty = Map::new();
    let scope = Scope {
        local: spec.get_map("schemas").unwrap_or(&empty),
        shared: &empty,
    };
    spec.get("parameters")
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .filter_map(Node::as_map)
        .all(|p| {
            p.get_map("schema")
                .is_none_or(|schema| parameter_fits(schema, p.get_str("in").unwrap_or(""), scope))
        })
}

/// Makes every parameter fit (see the module documentation). `origins` are the parameters as
/// the definition gave them; `op_at` is the operation's JSON path, for a parameter it has no
/// origin for.
pub fn parameters(
    spec: &mut Map,
    origins: &[ParamOrigin],
    op_at: &str,
    warnings: &mut Vec<Warning>,
) {
    if all_fit(spec) {
        return;
    }
    let local = spec.get_map("schemas").cloned().unwrap_or_default();
    let shared = Map::new();
    let scope = Scope {
        local: &local,
        shared: &shared,
    };
    let before = reachable(&roots(spec), &local);
    let Some(Node::Seq(params)) = spec.get_mut("parameters") else {
        return;
    };
    let mut kept: Vec<Node> = Vec::with_capacity(params.len());
    let mut notes: Vec<String> = Vec::new();
    let mut changed = false;
    for mut node in std::mem::take(params) {
        let Some(p) = node.as_map_mut() else {
            kept.push(node);
            continue;
        };
        let name = p.get_str("name").unwrap_or("").to_string();
        let location = p.get_str("in").unwrap_or("").to_string();
        let Some(schema) = p.get_map("schema") else {
            kept.push(node);
            continue;
        };
        if parameter_fits(schema, &location, scope) {
            kept.push(node);
            continue;
        }
        changed = true;
        let origin = origins
            .iter()
            .find(|o| o.name == name && o.location == location);
        let at = origin
            .map(|o| o.at.clone())
            .unwrap_or_else(|| child(op_at, "parameters"));
        let shape = describe(schema, scope);
        let array = scalar_array(schema, scope).cloned();
        if p.get_str("source") == Some("auth") {
            warnings.push(Warning::at_path(
                &at,
                "auth-parameter",
                format!("{location} parameter {name} is authentication, which the client supplies as one string, but the definition types it as {shape}; typed string"),
            ));
            p.set("schema", Node::Map(string_schema()));
            add_note(
                p,
                format!("{NOTE_PREFIX}: the definition types this authentication {location} parameter as {shape}; the client's credentials supply it as one string, so it is typed string."),
            );
            kept.push(node);
        } else if let (Some(array), true) = (array, location != "query") {
            let (_, sep_text, said) = separator(origin);
            let counts = item_counts(&array);
            warnings.push(Warning::at_path(
                &at,
                "parameter-shape",
                format!("{location} parameter {name} is {shape}, which a {location} parameter cannot be; typed string, the items joined with {sep_text} ({said}), with a note"),
            ));
            p.set("schema", Node::Map(string_schema()));
            add_note(
                p,
                format!("{NOTE_PREFIX}: the definition types this {location} parameter as {shape}{counts} ({said}); it is sent as one string: give the items joined with {sep_text}."),
            );
            kept.push(node);
        } else if location == "path" {
            warnings.push(Warning::at_path(
                &at,
                "parameter-shape",
                format!("path parameter {name} is {shape}, which a path segment cannot carry; typed string, with a note"),
            ));
            p.set("schema", Node::Map(string_schema()));
            add_note(
                p,
                format!("{NOTE_PREFIX}: the definition types this path parameter as {shape}, which a path segment cannot carry; typed string: give the segment's text."),
            );
            kept.push(node);
        } else {
            warnings.push(Warning::at_path(
                &at,
                "parameter-dropped",
                format!("{location} parameter {name} is {shape}, which a spec parameter cannot be (a scalar, or in the query an array of scalars); left out, with a note in the operation's notes"),
            ));
            notes.push(dropped_note(p, &name, &location, &shape, origin));
        }
    }
    *params = kept;
    for n in notes {
        push_note(spec, n);
    }
    if changed {
        prune(spec, &local, &before);
    }
}

/// The operation's note about a parameter left out.
fn dropped_note(
    p: &Map,
    name: &str,
    location: &str,
    shape: &str,
    origin: Option<&ParamOrigin>,
) -> String {
    let description = p
        .get_str("description")
        .map(|d| format!(" ({})", d.trim()))
        .unwrap_or_default();
    let style = origin.and_then(|o| o.style.as_deref());
    let sent = match style {
        Some("deepObject") => format!(
            ", sent with style deepObject (`{name}[<key>]=<value>`, a pair per key and value, as the official Python SDK sends it)"
        ),
        Some(s) => match origin.and_then(|o| o.explode) {
            Some(e) => format!(", sent with style {s}, explode {e}"),
            None => format!(", sent with style {s}"),
        },
        None => match origin.and_then(|o| o.collection_format.as_deref()) {
            Some(f) => format!(", collectionFormat {f}"),
            None => String::new(),
        },
    };
    let example = origin
        .and_then(|o| o.example.as_deref())
        .map(|e| format!(", with the example {e}"))
        .unwrap_or_default();
    let required = if p.get("required") == Some(&Node::Bool(true)) {
        " It is required: the service may refuse a call without it."
    } else {
        ""
    };
    format!("{NOTE_PREFIX}: {location} parameter `{name}`{description} is left out: a spec parameter is a scalar or, in the query, an array of scalars, and the definition types it as {shape}{sent}{example}.{required}")
}

/// Removes the named schemas that only the changed parameters used: those reachable
/// `before` the change and not after.
fn prune(spec: &mut Map, schemas: &Map, before: &BTreeSet<String>) {
    let after = reachable(&roots(spec), schemas);
    let gone: BTreeSet<&String> = before.difference(&after).collect();
    if gone.is_empty() {
        return;
    }
    if let Some(Node::Map(schemas)) = spec.get_mut("schemas") {
        schemas.0.retain(|(name, _)| !gone.contains(name));
        if schemas.0.is_empty() {
            spec.remove("schemas");
        }
    }
}

/// Makes a form body fit (see the module documentation).
pub fn form_body(spec: &mut Map, origin: Option<&BodyOrigin>, warnings: &mut Vec<Warning>) {
    let Some(origin) = origin else { return };
    if spec.get_map("body").and_then(|b| b.get_str("encoding")) != Some("form") {
        return;
    }
    let local = spec.get_map("schemas").cloned().unwrap_or_default();
    let shared = Map::new();
    let scope = Scope {
        local: &local,
        shared: &shared,
    };
    let Some(body) = spec.get_map("body") else {
        return;
    };
    if body.get_str("encoding") != Some("form") {
        return;
    }
    let Some(object) = body.get_map("schema").and_then(|s| scope.resolve(s)) else {
        return;
    };
    let Some(properties) = object.get_map("properties") else {
        return;
    };
    let mut unfit: Vec<String> = Vec::new();
    let mut file = false;
    for (name, property) in &properties.0 {
        let Some(property) = property.as_map() else {
            continue;
        };
        let Some(resolved) = scope.resolve(property) else {
            continue;
        };
        let item = scalar_array(property, scope)
            .and_then(|a| a.get_map("items"))
            .and_then(|i| scope.resolve(i));
        let fits = (is_scalar(resolved) && !is_file(resolved)) || item.is_some_and(|i| !is_file(i));
        if fits {
            continue;
        }
        file |= is_file(resolved) || item.is_some_and(is_file);
        unfit.push(format!("`{name}` ({})", describe(property, scope)));
    }
    if unfit.is_empty() {
        return;
    }
    let multipart = file || origin.kind == BodyKind::FormData;
    let fields = unfit.join(", ");
    let (encoding, how) = if multipart {
        (
            "multipart",
            "sent as multipart/form-data (a file as a file part, an object as a JSON text part)",
        )
    } else {
        ("json", "sent as JSON, the shape of its schema and examples")
    };
    warnings.push(Warning::at_path(
        &origin.at,
        "body-encoding",
        format!("the body is application/x-www-form-urlencoded, but a form cannot carry its fields {fields}; {how}, with a note"),
    ));
    if let Some(Node::Map(body)) = spec.get_mut("body") {
        body.remove("content_type");
        if encoding == "json" {
            body.remove("encoding");
        } else {
            body.set_str("encoding", encoding);
        }
    }
    push_note(
        spec,
        format!("{NOTE_PREFIX}: the definition says the body is application/x-www-form-urlencoded, but a form field is a scalar or an array of scalars, and its fields {fields} are not; the body is {how}."),
    );
}

#[cfg(test)]
mod tests {
    use crate::import::backend::node::{Map, Node};
    use crate::import::explorer::json::decode;
    use crate::import::explorer::operation::convert;

    /// The spec and warnings of a definition given as JSON text.
    fn import(text: &str) -> (Map, Vec<String>) {
        let converted = convert(&decode(text).expect("JSON").value).expect("converts");
        let warnings = converted
            .warnings
            .iter()
            .map(|w| format!("{}: [{}] {}", w.path, w.kind, w.message))
            .collect();
        (converted.spec, warnings)
    }

    fn param<'a>(spec: &'a Map, name: &str) -> Option<&'a Map> {
        spec.get("parameters")?
            .as_seq()?
            .iter()
            .filter_map(Node::as_map)
            .find(|p| p.get_str("name") == Some(name))
    }

    fn notes(spec: &Map) -> String {
        spec.get("notes")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .filter_map(|n| match n {
                Node::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn header_and_path_shapes() {
        let (spec, warnings) = import(
            r#"{"name": "Op", "method": "get", "host": "x.{region}.myhuaweicloud.com",
              "paths": {"/v1/{filter}": {"get": {
                "parameters": [
                  {"name": "X-Ids", "in": "header", "type": "array", "items": {"type": "integer"},
                   "collectionFormat": "pipes", "minItems": 1},
                  {"name": "filter", "in": "path", "required": true,
                   "schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                  {"name": "matrix", "in": "query", "required": true, "description": "a matrix",
                   "schema": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}},
                  {"name": "X-Obj", "in": "header", "schema": {"type": "object"}}
                ],
                "responses": {"200": {"description": "ok"}}}}}}"#,
        );
        let ids = param(&spec, "X-Ids").expect("kept");
        assert_eq!(
            ids.get_map("schema").and_then(|s| s.get_str("type")),
            Some("string")
        );
        let note = ids.get_str("note").expect("a note");
        assert!(
            note.contains("an array of integers of at least 1 items (collectionFormat pipes)")
                && note.contains("joined with `|`"),
            "{note}"
        );
        let filter = param(&spec, "filter").expect("a path parameter stays");
        assert_eq!(
            filter.get_map("schema").and_then(|s| s.get_str("type")),
            Some("string")
        );
        assert!(filter
            .get_str("note")
            .expect("a note")
            .contains("as an object, which a path segment cannot carry"));
        assert!(param(&spec, "matrix").is_none());
        assert!(param(&spec, "X-Obj").is_none());
        let said = notes(&spec);
        assert!(
            said.contains("query parameter `matrix` (a matrix) is left out")
                && said.contains("an array of arrays of numbers")
                && said.contains("It is required"),
            "{said}"
        );
        assert!(
            said.contains("header parameter `X-Obj` is left out"),
            "{said}"
        );
        for expected in [
            "$.paths./v1/{filter}.get.parameters[0]: [parameter-shape]",
            "$.paths./v1/{filter}.get.parameters[1]: [parameter-shape]",
            "$.paths./v1/{filter}.get.parameters[2]: [parameter-dropped]",
            "$.paths./v1/{filter}.get.parameters[3]: [parameter-dropped]",
        ] {
            assert!(
                warnings.iter().any(|w| w.starts_with(expected)),
                "{expected}: {warnings:#?}"
            );
        }
        // Outside the query, the collection format is in the note, not a warning.
        assert!(!warnings
            .iter()
            .any(|w| w.contains("[not-carried:collectionFormat]")));
    }

    #[test]
    fn form_data_fields_a_form_cannot_carry_make_a_multipart_body() {
        let (spec, warnings) = import(
            r#"{"name": "Op", "method": "post", "host": "x.{region}.myhuaweicloud.com",
              "paths": {"/v1/x": {"post": {
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [
                  {"name": "name", "in": "formData", "type": "string"},
                  {"name": "tags", "in": "formData", "type": "array", "items": {"type": "object"}}
                ],
                "responses": {"200": {"description": "ok"}}}}}}"#,
        );
        let body = spec.get_map("body").expect("a body");
        assert_eq!(body.get_str("encoding"), Some("multipart"));
        assert!(notes(&spec).contains("`tags` (an array of objects)"));
        assert!(warnings
            .iter()
            .any(|w| w.starts_with("$.paths./v1/x.post.consumes: [body-encoding]")));

        // Scalars only: the form stays.
        let (spec, warnings) = import(
            r#"{"name": "Op", "method": "post", "host": "x.{region}.myhuaweicloud.com",
              "paths": {"/v1/x": {"post": {
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [
                  {"name": "name", "in": "formData", "type": "string"},
                  {"name": "ids", "in": "formData", "type": "array", "items": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "ok"}}}}}}"#,
        );
        assert_eq!(
            spec.get_map("body").and_then(|b| b.get_str("encoding")),
            Some("form")
        );
        assert!(!warnings.iter().any(|w| w.contains("body-encoding")));
    }

    #[test]
    fn a_json_schema_body_with_a_file_under_form_is_multipart() {
        let (spec, _) = import(
            r#"{"name": "Op", "method": "post", "host": "x.{region}.myhuaweicloud.com",
              "consumes": ["application/x-www-form-urlencoded"],
              "paths": {"/v1/x": {"post": {
                "parameters": [{"name": "body", "in": "body", "schema": {"type": "object",
                  "properties": {"file": {"type": "string", "format": "binary"}}}}],
                "responses": {"200": {"description": "ok"}}}}}}"#,
        );
        assert_eq!(
            spec.get_map("body").and_then(|b| b.get_str("encoding")),
            Some("multipart")
        );
    }
}
