//! One definition to one operation spec: name, title, method, path and host, parameters,
//! request body, responses with headers and examples, named schemas.

use std::collections::BTreeMap;

use super::fit;
use super::json::J;
use super::schema::{child, index, is_empty_schema, Reader};
use crate::import::backend::example::{self, Scope};
use crate::import::backend::node::{Map, Node};
use crate::import::backend::Warning;
use crate::spec::model::ParameterSource;

/// Notes the importer writes start with this, so that a re-import can tell them from notes
/// written by hand.
pub const NOTE_PREFIX: &str = "API Explorer";

/// Why a definition gives no spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// `{}`: the API Explorer returned nothing for the operation.
    Empty,
    /// The JSON is not an object (an array, a number, ...).
    NotAnObject,
    /// No `paths`, or no path in it.
    NoPath,
    /// The path has no operation object.
    NoOperation,
    /// The method is not one a spec can have.
    UnknownMethod(String),
}

impl Skip {
    /// The reason as counted in the summary.
    pub fn reason(&self) -> String {
        match self {
            Skip::Empty => "empty definition ({})".into(),
            Skip::NotAnObject => "not a JSON object".into(),
            Skip::NoPath => "no path".into(),
            Skip::NoOperation => "no operation under its path".into(),
            Skip::UnknownMethod(m) => format!("unknown method {m}"),
        }
    }
}

/// A definition read into a spec tree.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The operation name (PascalCase).
    pub name: String,
    /// The host pattern (`kms.{region}.myhuaweicloud.com`), when the definition has a host.
    pub host: Option<String>,
    /// The host's first label (`kms`), for the service id.
    pub host_label: Option<String>,
    /// `product_short`, when given (names the service when the file's folder is unknown).
    pub product: Option<String>,
    /// The spec without `host` (that depends on the service's endpoint).
    pub spec: Map,
    /// The operation's JSON path (`$.paths./v1/x.get`), for warnings about it as a whole.
    pub op_at: String,
    pub warnings: Vec<Warning>,
    /// Vendor extension keys left out, counted.
    pub ignored: BTreeMap<String, usize>,
}

/// `kms.cn-north-4.myhuaweicloud.com` with region `cn-north-4` ->
/// `kms.{region}.myhuaweicloud.com`; a host without the region label stays as it is.
pub fn host_pattern(host: &str, region: Option<&str>) -> String {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = host
        .strip_prefix("https://")
        .or_else(|| host.strip_prefix("http://"))
        .unwrap_or(&host)
        .trim_end_matches('/')
        .to_string();
    match region.map(str::to_ascii_lowercase) {
        Some(region) if !region.is_empty() => host
            .split('.')
            .map(|label| if label == region { "{region}" } else { label })
            .collect::<Vec<_>>()
            .join("."),
        _ => host,
    }
}

/// The definition's `description` without its `- 功能介绍:` ("function") label.
pub fn clean_description(text: &str) -> String {
    let mut t = text.trim();
    t = t.strip_prefix("- ").unwrap_or(t).trim_start();
    for label in ["功能介绍", "功能描述", "功能说明", "功能"] {
        if let Some(rest) = t.strip_prefix(label) {
            if let Some(rest) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：')) {
                t = rest.trim_start();
                break;
            }
        }
    }
    t.trim().to_string()
}

/// A media type without its parameters, lower case: `application/json;charset=UTF-8` ->
/// `application/json`.
fn media(t: &str) -> String {
    t.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json_media(t: &str) -> bool {
    let m = media(t);
    m == "application/json"
        || m.ends_with("+json")
        || m == "*/*"
        || m.starts_with("application/json")
}

/// A list of media types: a JSON list, or (top level) a string holding one.
fn media_list(j: Option<&J>) -> Vec<String> {
    match j {
        Some(J::Arr(items)) => items
            .iter()
            .filter_map(J::as_str)
            .map(str::to_string)
            .collect(),
        Some(J::Str(s)) if !s.trim().is_empty() => match super::json::decode(s) {
            Ok(decoded) => media_list(Some(&decoded.value)),
            Err(_) => s.split(',').map(|x| x.trim().to_string()).collect(),
        },
        _ => Vec::new(),
    }
}

/// How a body of these media types is encoded: `(encoding, content_type)`.
fn body_encoding(types: &[String]) -> (&'static str, Option<String>) {
    if types.is_empty()
        || types
            .iter()
            .any(|t| media(t) == "application/json" || media(t) == "*/*")
    {
        return ("json", None);
    }
    if let Some(t) = types.iter().find(|t| is_json_media(t)) {
        return ("json", Some(media(t)));
    }
    let medias: Vec<String> = types.iter().map(|t| media(t)).collect();
    if medias.iter().any(|m| m == "multipart/form-data") {
        return ("multipart", None);
    }
    if medias
        .iter()
        .any(|m| m == "application/x-www-form-urlencoded")
    {
        return ("form", None);
    }
    if let Some(m) = medias
        .iter()
        .find(|m| m.starts_with("text/") || m.ends_with("/xml") || m.ends_with("+xml"))
    {
        return ("text", (m != "text/plain").then(|| m.clone()));
    }
    match medias.first() {
        Some(m) if m == "application/octet-stream" => ("binary", None),
        Some(m) => ("binary", Some(m.clone())),
        None => ("json", None),
    }
}

/// How a success response of these media types is read.
fn response_encoding(types: &[String]) -> &'static str {
    if types.is_empty() || types.iter().any(|t| is_json_media(t)) {
        return "json";
    }
    let medias: Vec<String> = types.iter().map(|t| media(t)).collect();
    if medias
        .iter()
        .all(|m| m.starts_with("text/") || m.ends_with("/xml") || m.ends_with("+xml"))
    {
        "text"
    } else {
        "binary"
    }
}

/// Whether a (Swagger) schema stands for raw bytes: `type: file`, or a binary string.
fn is_bytes_schema(j: &J) -> bool {
    matches!(j.str_of("type"), Some("file"))
        || (j.str_of("type") == Some("string") && j.str_of("format") == Some("binary"))
}

/// A parameter as read, before it becomes a spec parameter or part of the body.
struct Param<'a> {
    j: &'a J,
    at: String,
    name: String,
    location: String,
}

/// What is known about the operation while it is converted.
struct Op<'a, 'r> {
    r: &'r mut Reader<'a>,
    doc: &'a J,
    /// Where each example came from (`body`, or a status), for its warning.
    example_at: BTreeMap<String, String>,
}

/// Reads one definition.
pub fn convert(doc: &J) -> Result<Converted, Skip> {
    let Some(top) = doc.as_obj() else {
        return Err(Skip::NotAnObject);
    };
    if top.is_empty() {
        return Err(Skip::Empty);
    }
    let mut reader = Reader::new(doc);
    let r = &mut reader;

    // The path and its operation.
    let paths = doc.get("paths").and_then(J::as_obj).unwrap_or(&[]);
    let Some((uri, item)) = paths.first() else {
        return Err(Skip::NoPath);
    };
    let path_at = child("$.paths", uri);
    for (other, _) in paths.iter().skip(1) {
        r.warn(
            child("$.paths", other),
            "path",
            format!("a second path in one definition ({other}); only the first is imported"),
        );
    }
    let wanted = doc.str_of("method").unwrap_or("").to_ascii_lowercase();
    let methods: Vec<(&String, &J)> = item
        .as_obj()
        .unwrap_or(&[])
        .iter()
        .filter(|(k, v)| k.as_str() != "parameters" && !k.starts_with("x-") && v.as_obj().is_some())
        .map(|(k, v)| (k, v))
        .collect();
    let chosen = methods
        .iter()
        .find(|(k, _)| k.to_ascii_lowercase() == wanted)
        .or_else(|| methods.first())
        .copied();
    let Some((method_key, op)) = chosen else {
        return Err(Skip::NoOperation);
    };
    let method = method_key.to_ascii_uppercase();
    if !["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(&method.as_str()) {
        return Err(Skip::UnknownMethod(method));
    }
    let op_at = child(&path_at, method_key);
    if !wanted.is_empty() && wanted != method_key.to_ascii_lowercase() {
        r.warn(
            "$.method",
            "method",
            format!("`method: {wanted}` but the path has {method_key}; {method} is imported"),
        );
    }
    for (other, _) in methods.iter().filter(|(k, _)| *k != method_key) {
        r.warn(
            child(&path_at, other),
            "path",
            format!("a second operation ({other}) under the path; only {method_key} is imported"),
        );
    }
    if let Some(members) = item.as_obj() {
        for (k, v) in members {
            if k.starts_with("x-") {
                r.ignore(k);
            } else if k != "parameters" && v.as_obj().is_none() && !v.is_null() {
                r.warn(
                    child(&path_at, k),
                    "not-carried:".to_string() + k,
                    format!("path item key `{k}` has no place in the spec; left out"),
                );
            }
        }
    }

    // Name.
    let file_name = doc
        .str_of("name")
        .or_else(|| op.str_of("operationId"))
        .unwrap_or("")
        .trim()
        .to_string();
    let mut name: String = file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if let Some(first) = name.chars().next() {
        if first.is_ascii_lowercase() {
            let fixed = format!(
                "{}{}",
                first.to_ascii_uppercase(),
                name.get(1..).unwrap_or("")
            );
            r.warn(
                "$.name",
                "operation-name",
                format!("operation name `{file_name}` is not PascalCase; written as `{fixed}`"),
            );
            name = fixed;
        }
    }
    if name != file_name
        && !name.is_empty()
        && file_name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
    {
        r.warn(
            "$.name",
            "operation-name",
            format!("operation name `{file_name}` has characters a spec name cannot; written as `{name}`"),
        );
    }
    if let Some(id) = op.str_of("operationId") {
        if !file_name.is_empty() && id != file_name {
            r.warn(
                child(&op_at, "operationId"),
                "operation-name",
                format!("operationId `{id}` differs from name `{file_name}`; the name is used"),
            );
        }
    }

    // Path: the base path, then the path.
    let base = doc.str_of("base_path").unwrap_or("/").trim();
    let path = if base.is_empty() || base == "/" {
        uri.clone()
    } else {
        format!(
            "{}/{}",
            base.trim_end_matches('/'),
            uri.trim_start_matches('/')
        )
    };

    // Host.
    let region = doc.str_of("region_id");
    let host = doc
        .str_of("host")
        .filter(|h| !h.trim().is_empty())
        .map(|h| host_pattern(h, region));
    if host.is_none() {
        r.warn(
            "$.host",
            "host",
            "the definition has no host; the service's endpoint applies",
        );
    }
    let host_label = host
        .as_deref()
        .and_then(|h| h.split('.').next())
        .map(str::to_string);

    // Title and description.
    let summary = op
        .str_of("summary")
        .or_else(|| doc.str_of("summary"))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let description = op
        .str_of("description")
        .map(clean_description)
        .filter(|d| !d.is_empty());
    let title = summary.clone().unwrap_or_else(|| name.clone());
    let description = description.or(summary).unwrap_or_else(|| title.clone());

    let mut o = Op {
        r,
        doc,
        example_at: BTreeMap::new(),
    };

    // Parameters: the path item's, then the operation's (which win).
    let mut params: Vec<Param> = Vec::new();
    let mut from_operation: Vec<bool> = Vec::new();
    let path_level = item.get("parameters");
    let op_level = op.get("parameters");
    for (list, list_at, operation_level) in [
        (path_level, child(&path_at, "parameters"), false),
        (op_level, child(&op_at, "parameters"), true),
    ] {
        match list {
            None | Some(J::Null) => {}
            Some(J::Arr(items)) => {
                for (i, p) in items.iter().enumerate() {
                    let Some(param) = o.parameter(p, &index(&list_at, i)) else {
                        continue;
                    };
                    let same = params
                        .iter()
                        .position(|q| q.name == param.name && q.location == param.location);
                    match same {
                        // The operation's parameter stands for the path item's.
                        Some(pos) if operation_level && from_operation.get(pos) == Some(&false) => {
                            if let (Some(slot), Some(flag)) =
                                (params.get_mut(pos), from_operation.get_mut(pos))
                            {
                                *slot = param;
                                *flag = true;
                            }
                        }
                        Some(_) => o.r.warn(
                            &param.at,
                            "parameter",
                            format!(
                                "parameter {} ({}) is declared twice; the first is kept",
                                param.name, param.location
                            ),
                        ),
                        None => {
                            params.push(param);
                            from_operation.push(operation_level);
                        }
                    }
                }
            }
            Some(other) => o.r.warn(
                list_at,
                "parameter",
                format!(
                    "`parameters` is {}, not a list; left out",
                    other.type_word()
                ),
            ),
        }
    }

    let consumes = {
        let listed = media_list(op.get("consumes"));
        if listed.is_empty() {
            media_list(doc.get("consumes"))
        } else {
            listed
        }
    };
    let produces = {
        let listed = media_list(op.get("produces"));
        if listed.is_empty() {
            media_list(doc.get("produces"))
        } else {
            listed
        }
    };

    // Where the media types that decide a body's encoding are.
    let consumes_at = if media_list(op.get("consumes")).is_empty() {
        "$.consumes".to_string()
    } else {
        child(&op_at, "consumes")
    };
    let mut spec_params: Vec<Node> = Vec::new();
    let mut body: Option<Map> = None;
    let mut body_origin: Option<fit::BodyOrigin> = None;
    let mut form: Vec<&Param> = Vec::new();
    for p in &params {
        match p.location.as_str() {
            "path" | "query" | "header" => {
                if let Some(m) = o.spec_parameter(p) {
                    spec_params.push(Node::Map(m));
                }
            }
            "body" => {
                if body.is_some() {
                    o.r.warn(&p.at, "body", "a second body parameter; left out");
                    continue;
                }
                body = Some(o.body_parameter(p, &consumes));
                body_origin = Some(fit::BodyOrigin {
                    kind: fit::BodyKind::Schema,
                    at: consumes_at.clone(),
                });
            }
            "formData" => form.push(p),
            other => o.r.warn(
                &p.at,
                "parameter",
                format!(
                    "parameter {} is in `{other}`, which a spec cannot have; left out",
                    p.name
                ),
            ),
        }
    }
    if !form.is_empty() {
        if body.is_some() {
            o.r.warn(
                form.first().map(|p| p.at.clone()).unwrap_or_default(),
                "body",
                "formData parameters beside a body parameter; left out",
            );
        } else {
            body = Some(o.form_body(&form, &consumes));
            body_origin = Some(fit::BodyOrigin {
                kind: fit::BodyKind::FormData,
                at: consumes_at.clone(),
            });
        }
    }
    if let Some(request_body) = op.get("requestBody") {
        let at = child(&op_at, "requestBody");
        if body.is_some() {
            o.r.warn(
                &at,
                "body",
                "`requestBody` beside body parameters; left out",
            );
        } else if !request_body.is_null() {
            body = o.request_body(request_body, &at);
            body_origin = Some(fit::BodyOrigin {
                kind: fit::BodyKind::Schema,
                at: child(&at, "content"),
            });
        }
    }

    // Path parameters against the path.
    let vars = path_vars(&path);
    spec_params.retain(|p| {
        let Some(m) = p.as_map() else { return true };
        if m.get_str("in") != Some("path") {
            return true;
        }
        let n = m.get_str("name").unwrap_or("");
        if vars.iter().any(|v| v == n) {
            true
        } else {
            o.r.warn(
                params
                    .iter()
                    .find(|q| q.name == n && q.location == "path")
                    .map(|q| q.at.clone())
                    .unwrap_or_default(),
                "parameter",
                format!("path parameter {n} is not in the path {path}; left out"),
            );
            false
        }
    });
    for var in &vars {
        let declared = spec_params.iter().any(|p| {
            p.as_map()
                .is_some_and(|m| m.get_str("in") == Some("path") && m.get_str("name") == Some(var))
        });
        if !declared {
            o.r.warn(
                child(&path_at, "parameters"),
                "parameter",
                format!("the path has {{{var}}} but no parameter declares it; added as a string"),
            );
            let mut m = Map::new();
            m.set_str("name", var.clone());
            m.set_str("in", "path");
            m.set("required", Node::Bool(true));
            if var == "project_id" {
                m.set_str("source", "config");
            }
            let mut s = Map::new();
            s.set_str("type", "string");
            m.set("schema", Node::Map(s));
            m.set_str(
                "note",
                format!("{NOTE_PREFIX}: the definition does not declare this path parameter."),
            );
            spec_params.push(Node::Map(m));
        }
    }

    // Request examples.
    let mut request_example: Option<String> = None;
    if let Some(members) = op.as_obj() {
        let url = members
            .iter()
            .find(|(k, _)| k == "x-request-examples-url-1")
            .and_then(|(_, v)| v.as_str())
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let sample = members
            .iter()
            .find(|(k, _)| k == "x-request-examples-1")
            .map(|(_, v)| v)
            .filter(|v| !v.is_null());
        let sample_at = child(&op_at, "x-request-examples-1");
        let mut sample_text: Option<String> = None;
        if let Some(sample) = sample {
            let value = match sample {
                J::Str(s) => super::json::decode(s)
                    .map(|d| d.value)
                    .unwrap_or_else(|_| sample.clone()),
                other => other.clone(),
            };
            let text = match &value {
                J::Str(s) => s.clone(),
                other => other.pretty(),
            };
            let json_body = body.as_ref().is_some_and(|b| {
                matches!(b.get_str("encoding"), None | Some("json") | Some("form"))
                    && b.has("schema")
            });
            match body.as_mut() {
                Some(b) if json_body && !b.has("example") && !matches!(value, J::Str(_)) => {
                    b.set_str("example", text.clone());
                    o.example_at.insert("body".into(), sample_at.clone());
                }
                _ => sample_text = Some(text),
            }
        }
        let line = url.map(|u| {
            let u = u.to_string();
            let first_word = u
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            if ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
                .contains(&first_word.as_str())
            {
                u
            } else {
                format!("{method} {u}")
            }
        });
        request_example = match (line, sample_text) {
            (Some(l), Some(t)) => Some(format!("{l}\n\n{}", t.trim_end())),
            (Some(l), None) => Some(l),
            (None, Some(t)) => {
                o.r.warn(
                    sample_at,
                    "request-example",
                    "a request example without a URL, for an operation without a JSON body; kept as the request example",
                );
                Some(t.trim_end().to_string())
            }
            (None, None) => None,
        };
        // Further request examples (`x-request-examples-2`, `-url-2`, ...): one warning each.
        let mut others: Vec<(String, String)> = Vec::new();
        for (k, _) in members {
            let Some(rest) = k.strip_prefix("x-request-examples-") else {
                continue;
            };
            let number = rest.strip_prefix("url-").unwrap_or(rest);
            if number != "1"
                && number.chars().all(|c| c.is_ascii_digit())
                && !others.iter().any(|(n, _)| n == number)
            {
                others.push((number.to_string(), k.clone()));
            }
        }
        for (number, key) in others {
            o.r.warn(
                child(&op_at, &key),
                "request-example",
                format!("request example {number}; only the first is carried"),
            );
        }
    }

    // Responses.
    let responses = o.responses(op, &op_at, &produces);

    // The operation's other keys.
    let known = [
        "x-request-examples-1",
        "x-request-examples-url-1",
        "operationId",
        "summary",
        "description",
        "parameters",
        "responses",
        "consumes",
        "produces",
        "requestBody",
        "tags",
        "deprecated",
        "security",
        "schemes",
    ];
    o.r.leftovers(op, &known, &op_at, "an operation's");
    let mut notes: Vec<Node> = Vec::new();
    if op.get("deprecated") == Some(&J::Bool(true)) {
        notes.push(Node::str(format!(
            "{NOTE_PREFIX}: the definition marks the operation deprecated."
        )));
    }
    if let Some(security) = op.get("security").and_then(J::as_arr) {
        let schemes: Vec<String> = security
            .iter()
            .filter_map(J::as_obj)
            .flat_map(|m| m.iter().map(|(k, _)| k.clone()))
            .collect();
        if !schemes.is_empty() {
            o.r.warn(
                child(&op_at, "security"),
                "not-carried:security",
                format!("security requirement {} has no place in the spec (the client signs with AK/SK or sends a token); left out", schemes.join(", ")),
            );
        }
    }
    let top_known = [
        "name",
        "method",
        "host",
        "paths",
        "definitions",
        "components",
        "parameters",
        "consumes",
        "produces",
        "base_path",
        "region_id",
        "product_short",
        "summary",
        "description",
        "tags",
        "group_id",
        "id",
        "uri",
        "info_version",
        "version",
        "schemes",
        "security_definitions",
    ];
    o.r.leftovers(doc, &top_known, "$", "a definition's");
    if let Some(components) = doc.get("components").and_then(J::as_obj) {
        for (k, _) in components {
            if ![
                "schemas",
                "parameters",
                "responses",
                "examples",
                "headers",
                "requestBodies",
                "securitySchemes",
            ]
            .contains(&k.as_str())
            {
                o.r.warn(
                    child("$.components", k),
                    "not-carried:components",
                    format!("components.{k} has no place in the spec; left out"),
                );
            }
        }
    }

    // The spec.
    let mut spec = Map::new();
    spec.set_str("operation", name.clone());
    spec.set_str("title", title);
    spec.set_str("description", description);
    let mut source = Map::new();
    source.set_str("definition", "");
    spec.set("source", Node::Map(source));
    spec.set_str("method", method);
    spec.set_str("path", path);
    spec.set("parameters", Node::Seq(spec_params));
    if let Some(b) = body {
        spec.set("body", Node::Map(b));
    }
    if let Some(example) = request_example {
        spec.set_str("request_example", example);
    }
    spec.set("responses", Node::Map(responses));
    let schemas = o.r.named_schemas();
    if !schemas.0.is_empty() {
        spec.set("schemas", Node::Map(schemas));
    }
    spec.set("notes", Node::Seq(notes));
    let mut warnings = std::mem::take(&mut o.r.warnings);
    let ignored = std::mem::take(&mut o.r.ignored);

    let origins: Vec<fit::ParamOrigin> = params
        .iter()
        .map(|p| fit::ParamOrigin {
            name: p.name.clone(),
            location: p.location.clone(),
            at: p.at.clone(),
            collection_format: p.j.str_of("collectionFormat").map(str::to_string),
            style: p.j.str_of("style").map(str::to_string),
            explode: match p.j.get("explode") {
                Some(J::Bool(b)) => Some(*b),
                _ => None,
            },
            example: ["x-example", "example"]
                .iter()
                .find_map(|k| p.j.get(k).filter(|v| !v.is_null()))
                .map(|v| v.short(60)),
        })
        .collect();
    fit::parameters(&mut spec, &origins, &op_at, &mut warnings);
    fit::form_body(&mut spec, body_origin.as_ref(), &mut warnings);
    check_examples(&mut spec, &o.example_at, &op_at, &mut warnings);
    check_defaults(&mut spec, &op_at, &mut warnings);

    Ok(Converted {
        name,
        host,
        host_label,
        product: doc.str_of("product_short").map(str::to_string),
        spec,
        op_at,
        warnings,
        ignored,
    })
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

/// Schema keys of a Swagger 2 parameter (the rest are the parameter's own).
const PARAM_SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "x-nullable",
    "nullable",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "uniqueItems",
    "multipleOf",
];

impl<'a> Op<'a, '_> {
    /// Resolves a parameter (`$ref` to `#/parameters/X` or `#/components/parameters/X`) and reads
    /// its name and location.
    fn parameter(&mut self, p: &'a J, at: &str) -> Option<Param<'a>> {
        let (j, at) = match p.str_of("$ref") {
            Some(reference) => {
                let found = if let Some(name) = reference.strip_prefix("#/parameters/") {
                    self.doc
                        .get("parameters")
                        .and_then(|ps| ps.get(name))
                        .map(|j| (j, child("$.parameters", name)))
                } else if let Some(name) = reference.strip_prefix("#/components/parameters/") {
                    self.doc
                        .get("components")
                        .and_then(|c| c.get("parameters"))
                        .and_then(|ps| ps.get(name))
                        .map(|j| (j, child("$.components.parameters", name)))
                } else {
                    None
                };
                match found {
                    Some(found) => found,
                    None => {
                        self.r.warn(
                            at,
                            "ref",
                            format!("parameter `$ref: {reference}` names nothing in the definition; left out"),
                        );
                        return None;
                    }
                }
            }
            None => (p, at.to_string()),
        };
        if j.as_obj().is_none() {
            self.r.warn(
                &at,
                "parameter",
                format!("a parameter is {}, not an object; left out", j.type_word()),
            );
            return None;
        }
        let Some(name) = j.str_of("name").map(str::trim).filter(|n| !n.is_empty()) else {
            self.r
                .warn(&at, "parameter", "a parameter without a name; left out");
            return None;
        };
        let location = j.str_of("in").unwrap_or("").to_string();
        Some(Param {
            j,
            at,
            name: name.to_string(),
            location,
        })
    }

    /// A path, query or header parameter.
    fn spec_parameter(&mut self, p: &Param) -> Option<Map> {
        let j = p.j;
        if p.location == "header" && crate::spec::model::is_client_header(&p.name) {
            self.r.warn(
                &p.at,
                "header-dropped",
                format!("header {} is set by the client itself; left out", p.name),
            );
            return None;
        }
        let mut m = Map::new();
        m.set_str("name", p.name.clone());
        m.set_str("in", p.location.clone());
        let required = j.get("required") == Some(&J::Bool(true));
        if p.location == "path" && !required {
            self.r.warn(
                child(&p.at, "required"),
                "parameter",
                format!(
                    "path parameter {} is not marked required; a path parameter always is",
                    p.name
                ),
            );
        }
        m.set("required", Node::Bool(required || p.location == "path"));
        if let Some(source) = ParameterSource::implied_by(&p.location, &p.name) {
            m.set_str("source", source.as_str());
        }
        if let Some(d) = j
            .str_of("description")
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            m.set_str("description", d);
        }
        // The schema: OpenAPI 3's `schema`, or Swagger 2's keys on the parameter itself.
        let (mut schema, default) = match j.get("schema") {
            Some(s) => {
                let schema = self.r.schema(s, &child(&p.at, "schema"), 0);
                (
                    schema,
                    s.get("default").or_else(|| j.get("default")).cloned(),
                )
            }
            None => {
                let members: Vec<(String, J)> = j
                    .as_obj()
                    .unwrap_or(&[])
                    .iter()
                    .filter(|(k, _)| PARAM_SCHEMA_KEYS.contains(&k.as_str()))
                    .cloned()
                    .collect();
                let synthetic = J::Obj(members);
                let schema = if synthetic.get("type").is_none()
                    && synthetic.as_obj().is_some_and(|m| m.is_empty())
                {
                    self.r.warn(
                        &p.at,
                        "untyped",
                        format!("parameter {} has no type; typed string", p.name),
                    );
                    let mut s = Map::new();
                    s.set_str("type", "string");
                    s
                } else {
                    self.r.schema(&synthetic, &p.at, 0)
                };
                (schema, j.get("default").cloned())
            }
        };
        schema.remove("default");
        if let Some(default) = default {
            if let Some(node) = self.r.default_value(&default, &child(&p.at, "default")) {
                m.set("default", node);
            }
        }
        if let Some(format) = j.str_of("collectionFormat") {
            // Outside the query an array is one string, and `fit` notes the format.
            if !matches!(format, "multi") && p.location == "query" {
                self.r.warn(
                    child(&p.at, "collectionFormat"),
                    "not-carried:collectionFormat",
                    format!("collectionFormat {format} has no place in the spec (an array parameter repeats its key); left out"),
                );
            }
        }
        for key in ["x-example", "example", "examples"] {
            if let Some(v) = j.get(key).filter(|v| !v.is_null()) {
                self.r.warn(
                    child(&p.at, key),
                    "parameter-example",
                    format!(
                        "parameter example {} has no place in the spec; left out",
                        v.short(60)
                    ),
                );
            }
        }
        for key in ["allowEmptyValue", "deprecated"] {
            if let Some(v) = j.get(key).filter(|v| **v == J::Bool(true)) {
                self.r.warn(
                    child(&p.at, key),
                    format!("not-carried:{key}"),
                    format!(
                        "`{key}: {}` has no place in the spec; left out",
                        v.short(10)
                    ),
                );
            }
        }
        if let (Some(style), _) = (j.str_of("style"), ()) {
            let usual = match p.location.as_str() {
                "query" => "form",
                _ => "simple",
            };
            if style != usual {
                self.r.warn(
                    child(&p.at, "style"),
                    "not-carried:style",
                    format!("style {style} has no place in the spec; left out"),
                );
            }
        }
        let mut known: Vec<&str> = PARAM_SCHEMA_KEYS.to_vec();
        known.extend_from_slice(&[
            "name",
            "in",
            "required",
            "description",
            "schema",
            "default",
            "collectionFormat",
            "x-example",
            "example",
            "examples",
            "allowEmptyValue",
            "deprecated",
            "style",
            "explode",
        ]);
        self.r.leftovers(j, &known, &p.at, "a parameter's");
        m.set("schema", Node::Map(schema));
        Some(m)
    }

    /// `in: body`.
    fn body_parameter(&mut self, p: &Param, consumes: &[String]) -> Map {
        let j = p.j;
        let mut b = Map::new();
        if let Some(d) = j
            .str_of("description")
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            b.set_str("description", d);
        }
        b.set(
            "required",
            Node::Bool(j.get("required") == Some(&J::Bool(true))),
        );
        let schema_at = child(&p.at, "schema");
        self.body_schema(&mut b, j.get("schema"), &schema_at, consumes);
        for key in ["x-example", "example"] {
            if let Some(v) = j.get(key).filter(|v| !v.is_null()) {
                if b.has("schema") && !b.has("example") {
                    b.set_str("example", example_text(v));
                } else {
                    self.r.warn(
                        child(&p.at, key),
                        "request-example",
                        "a body example beside a body that has no schema; left out",
                    );
                }
            }
        }
        self.r.leftovers(
            j,
            &[
                "name",
                "in",
                "required",
                "description",
                "schema",
                "x-example",
                "example",
            ],
            &p.at,
            "a body parameter's",
        );
        b
    }

    /// The encoding and schema of a body.
    fn body_schema(&mut self, b: &mut Map, schema: Option<&J>, at: &str, consumes: &[String]) {
        let (mut encoding, mut content_type) = body_encoding(consumes);
        if let Some(s) = schema {
            if is_bytes_schema(s) && encoding == "json" {
                encoding = "binary";
                content_type = None;
            }
        }
        if encoding != "json" {
            b.set_str("encoding", encoding);
        }
        if let Some(ct) = content_type {
            b.set_str("content_type", ct);
        }
        match (encoding, schema) {
            ("json" | "form" | "multipart", Some(s)) => {
                let converted = self.r.schema(s, at, 0);
                b.set("schema", Node::Map(converted));
            }
            ("json" | "form" | "multipart", None) => {
                self.r.warn(
                    at,
                    "body",
                    "a body without a schema; typed as a free-form object",
                );
                let mut s = Map::new();
                s.set_str("type", "object");
                b.set("schema", Node::Map(s));
            }
            (_, Some(s))
                if !is_bytes_schema(s)
                    && !is_empty_schema(s)
                    && s.str_of("type") != Some("string") =>
            {
                self.r.warn(
                    at,
                    "body-schema-dropped",
                    format!("the body is sent as {encoding} ({}), so its schema has no place in the spec; left out", consumes.join(", ")),
                );
            }
            _ => {}
        }
    }

    /// `formData` parameters: a multipart (or form) body whose properties are the parts.
    fn form_body(&mut self, form: &[&Param], consumes: &[String]) -> Map {
        let has_file = form.iter().any(|p| p.j.str_of("type") == Some("file"));
        let urlencoded = consumes
            .iter()
            .any(|t| media(t) == "application/x-www-form-urlencoded");
        let multipart = consumes.iter().any(|t| media(t) == "multipart/form-data");
        let encoding = if has_file || multipart || !urlencoded {
            "multipart"
        } else {
            "form"
        };
        let mut properties = Map::new();
        let mut required = Vec::new();
        for p in form {
            let members: Vec<(String, J)> = p
                .j
                .as_obj()
                .unwrap_or(&[])
                .iter()
                .filter(|(k, _)| {
                    PARAM_SCHEMA_KEYS.contains(&k.as_str()) || k == "description" || k == "default"
                })
                .cloned()
                .collect();
            let mut schema = self.r.schema(&J::Obj(members), &p.at, 0);
            if let Some(s) = p.j.get("schema") {
                schema = self.r.schema(s, &child(&p.at, "schema"), 0);
            }
            if p.j.get("required") == Some(&J::Bool(true)) {
                required.push(Node::str(p.name.clone()));
            }
            for key in ["x-example", "example"] {
                if let Some(v) = p.j.get(key).filter(|v| !v.is_null()) {
                    self.r.warn(
                        child(&p.at, key),
                        "parameter-example",
                        format!(
                            "form field example {} has no place in the spec; left out",
                            v.short(60)
                        ),
                    );
                }
            }
            let mut known: Vec<&str> = PARAM_SCHEMA_KEYS.to_vec();
            known.extend_from_slice(&[
                "name",
                "in",
                "required",
                "description",
                "default",
                "schema",
                "x-example",
                "example",
                "collectionFormat",
            ]);
            self.r.leftovers(p.j, &known, &p.at, "a form field's");
            properties.set(&p.name, Node::Map(schema));
        }
        let mut b = Map::new();
        b.set("required", Node::Bool(!required.is_empty()));
        b.set_str("encoding", encoding);
        let mut schema = Map::new();
        schema.set_str("type", "object");
        schema.set("properties", Node::Map(properties));
        if !required.is_empty() {
            schema.set("required", Node::Seq(required));
        }
        b.set("schema", Node::Map(schema));
        b
    }

    /// OpenAPI 3's `requestBody`.
    fn request_body(&mut self, rb: &J, at: &str) -> Option<Map> {
        let (rb, at) = match rb.str_of("$ref") {
            Some(reference) => {
                let name = reference.strip_prefix("#/components/requestBodies/")?;
                match self
                    .doc
                    .get("components")
                    .and_then(|c| c.get("requestBodies"))
                    .and_then(|r| r.get(name))
                {
                    Some(found) => (found, child("$.components.requestBodies", name)),
                    None => {
                        self.r.warn(
                            at,
                            "ref",
                            format!(
                                "`$ref: {reference}` names nothing in the definition; left out"
                            ),
                        );
                        return None;
                    }
                }
            }
            None => (rb, at.to_string()),
        };
        let mut b = Map::new();
        if let Some(d) = rb
            .str_of("description")
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            b.set_str("description", d);
        }
        b.set(
            "required",
            Node::Bool(rb.get("required") == Some(&J::Bool(true))),
        );
        let content = rb.get("content").and_then(J::as_obj).unwrap_or(&[]);
        let types: Vec<String> = content.iter().map(|(k, _)| k.clone()).collect();
        let (encoding, _) = body_encoding(&types);
        let chosen = content
            .iter()
            .find(|(k, _)| body_encoding(std::slice::from_ref(k)).0 == encoding)
            .or_else(|| content.first());
        let content_at = child(&at, "content");
        match chosen {
            Some((media_type, entry)) => {
                let entry_at = child(&content_at, media_type);
                self.body_schema(
                    &mut b,
                    entry.get("schema"),
                    &child(&entry_at, "schema"),
                    std::slice::from_ref(media_type),
                );
                if let Some((value, _)) = self.media_example(entry, &entry_at) {
                    if b.has("schema") {
                        b.set_str("example", example_text(&value));
                    }
                }
                self.r.leftovers(
                    entry,
                    &["schema", "example", "examples"],
                    &entry_at,
                    "a media type's",
                );
                for (other, _) in content.iter().filter(|(k, _)| k != media_type) {
                    self.r.warn(
                        child(&content_at, other),
                        "body",
                        format!(
                            "the body is also documented as {other}; only {media_type} is carried"
                        ),
                    );
                }
            }
            None => {
                self.r
                    .warn(&at, "body", "`requestBody` without content; left out");
                return None;
            }
        }
        self.r.leftovers(
            rb,
            &["description", "required", "content"],
            &at,
            "a request body's",
        );
        Some(b)
    }

    /// An OpenAPI 3 media type's example: `example`, or the first of `examples` (whose values
    /// may be `$ref`s to `components.examples`).
    fn media_example(&mut self, entry: &J, at: &str) -> Option<(J, String)> {
        if let Some(v) = entry.get("example").filter(|v| !v.is_null()) {
            return Some((v.clone(), child(at, "example")));
        }
        let examples = entry.get("examples")?.as_obj()?;
        let examples_at = child(at, "examples");
        let mut first: Option<(J, String)> = None;
        for (name, ex) in examples {
            let ex_at = child(&examples_at, name);
            if first.is_some() {
                self.r.warn(
                    &ex_at,
                    "response-example",
                    format!("another example ({name}); only the first is carried"),
                );
                continue;
            }
            let resolved = match ex.str_of("$ref") {
                Some(reference) => reference
                    .strip_prefix("#/components/examples/")
                    .and_then(|n| self.doc.get("components")?.get("examples")?.get(n)),
                None => Some(ex),
            };
            match resolved.and_then(|r| r.get("value")) {
                Some(value) => first = Some((value.clone(), ex_at)),
                None => self.r.warn(
                    &ex_at,
                    "response-example",
                    format!("example {name} has no value; left out"),
                ),
            }
        }
        first
    }

    /// The responses, by status.
    fn responses(&mut self, op: &'a J, op_at: &str, produces: &[String]) -> Map {
        let at = child(op_at, "responses");
        let mut out = Map::new();
        let Some(members) = op.get("responses").and_then(J::as_obj) else {
            self.r
                .warn(&at, "response", "the operation documents no responses");
            return out;
        };
        for (code, r) in members {
            let r_at = child(&at, code);
            if code.starts_with("x-") {
                self.r.ignore(code);
                continue;
            }
            let is_status = code == "default"
                || (code.len() == 3
                    && code.chars().all(|c| c.is_ascii_digit())
                    && (100..=599).contains(&code.parse::<u16>().unwrap_or(0)));
            let status = if is_status {
                code.clone()
            } else {
                self.r.warn(
                    &r_at,
                    "response",
                    format!("`{code}` is not a status code; left out"),
                );
                continue;
            };
            let response = self.response(&status, r, &r_at, produces);
            out.set(&status, Node::Map(response));
        }
        if !out.0.iter().any(|(k, _)| k.starts_with('2')) {
            self.r
                .warn(&at, "response", "no success (2xx) response is documented");
        }
        out
    }

    fn response(&mut self, status: &str, r: &'a J, at: &str, produces: &[String]) -> Map {
        let mut m = Map::new();
        let (r, at): (&J, String) = match r.str_of("$ref") {
            Some(reference) => {
                let found = if let Some(name) = reference.strip_prefix("#/responses/") {
                    self.doc
                        .get("responses")
                        .and_then(|x| x.get(name))
                        .map(|j| (j, child("$.responses", name)))
                } else if let Some(name) = reference.strip_prefix("#/components/responses/") {
                    self.doc
                        .get("components")
                        .and_then(|c| c.get("responses"))
                        .and_then(|x| x.get(name))
                        .map(|j| (j, child("$.components.responses", name)))
                } else if reference.starts_with("#/definitions/")
                    || reference.starts_with("#/components/schemas/")
                {
                    // A schema where the response should be: read as the response's body.
                    self.r.warn(
                        at,
                        "response",
                        format!("the response is `$ref: {reference}`, a schema; read as its body"),
                    );
                    let schema = self.r.schema(r, at, 0);
                    m.set("schema", Node::Map(schema));
                    if let Some(d) = r.str_of("description") {
                        m.set_str("description", d);
                    }
                    return m;
                } else {
                    None
                };
                match found {
                    Some(found) => found,
                    None => {
                        self.r.warn(
                            child(at, "$ref"),
                            "ref",
                            format!("response {status} is `$ref: {reference}`, which names nothing in the definition; documented without a body"),
                        );
                        return m;
                    }
                }
            }
            None => (r, at.to_string()),
        };
        let Some(_) = r.as_obj() else {
            self.r.warn(
                &at,
                "response",
                format!(
                    "response {status} is {}, not an object; documented without a body",
                    r.type_word()
                ),
            );
            return m;
        };
        if let Some(d) = r
            .str_of("description")
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            m.set_str("description", d);
        }
        let success = status.starts_with('2');
        // The body's schema and media types: Swagger 2's `schema` and the operation's
        // `produces`, or OpenAPI 3's `content`.
        let mut example: Option<(J, String)> = None;
        let (schema, schema_at, types): (Option<&J>, String, Vec<String>) = match r
            .get("content")
            .and_then(J::as_obj)
        {
            Some(content) if !content.is_empty() => {
                let content_at = child(&at, "content");
                let types: Vec<String> = content.iter().map(|(k, _)| k.clone()).collect();
                let chosen = content
                    .iter()
                    .find(|(k, _)| is_json_media(k))
                    .or_else(|| content.first());
                match chosen {
                    Some((media_type, entry)) => {
                        let entry_at = child(&content_at, media_type);
                        example = self.media_example(entry, &entry_at);
                        self.r.leftovers(
                            entry,
                            &["schema", "example", "examples"],
                            &entry_at,
                            "a media type's",
                        );
                        for (other, _) in content.iter().filter(|(k, _)| k != media_type) {
                            self.r.warn(
                                child(&content_at, other),
                                "response",
                                format!("response {status} is also documented as {other}; only {media_type} is carried"),
                            );
                        }
                        (
                            entry.get("schema"),
                            child(&entry_at, "schema"),
                            vec![media_type.clone()],
                        )
                    }
                    None => (None, String::new(), types),
                }
            }
            _ => (r.get("schema"), child(&at, "schema"), produces.to_vec()),
        };
        let schema = schema.filter(|s| !s.is_null());
        let mut encoding = "json";
        if let Some(s) = schema {
            if is_bytes_schema(s) {
                encoding = "binary";
            } else if success && response_encoding(&types) != "json" {
                encoding = response_encoding(&types);
            }
        } else if success && response_encoding(&types) != "json" {
            encoding = response_encoding(&types);
        }
        if encoding != "json" {
            m.set_str("encoding", encoding);
        }
        match schema {
            Some(s) if encoding == "json" => {
                if is_empty_schema(s) {
                    self.r.warn(
                        &schema_at,
                        "untyped",
                        format!(
                            "response {status}'s schema gives no type; documented without a body"
                        ),
                    );
                    self.r.leftovers(
                        s,
                        &["description", "title", "example", "examples"],
                        &schema_at,
                        "a schema's",
                    );
                } else {
                    let converted = self.r.schema(s, &schema_at, 0);
                    m.set("schema", Node::Map(converted));
                }
            }
            Some(s)
                if !is_bytes_schema(s)
                    && !is_empty_schema(s)
                    && s.str_of("type") != Some("string") =>
            {
                self.r.warn(
                    &schema_at,
                    "response-schema-dropped",
                    format!("response {status} is read as {encoding} ({}), so its schema has no place in the spec; left out", types.join(", ")),
                );
            }
            _ => {}
        }
        // Headers.
        if let Some(headers) = r.get("headers") {
            let headers_at = child(&at, "headers");
            match headers.as_obj() {
                Some(list) => {
                    let mut hm = Map::new();
                    for (name, h) in list {
                        let h_at = child(&headers_at, name);
                        if let Some(header) = self.header(h, &h_at) {
                            hm.set(name, Node::Map(header));
                        }
                    }
                    if !hm.0.is_empty() {
                        m.set("headers", Node::Map(hm));
                    }
                }
                None => self.r.warn(
                    &headers_at,
                    "response",
                    "`headers` is not an object; left out",
                ),
            }
        }
        // Examples (Swagger 2).
        if let Some(examples) = r.get("examples").filter(|e| !e.is_null()) {
            if let Some(found) = self.swagger_example(examples, &child(&at, "examples")) {
                example = example.or(Some(found));
            }
        }
        if let Some((value, ex_at)) = example {
            if m.has("schema") {
                m.set_str("example", example_text(&value));
                // Where it came from, for the warning if it contradicts the schema.
                self.example_at.insert(status.to_string(), ex_at);
            } else {
                self.r.warn(
                    ex_at,
                    "response-example",
                    format!("response {status} has an example but no JSON schema to check it against; left out"),
                );
            }
        }
        self.r.leftovers(
            r,
            &["description", "schema", "headers", "examples", "content"],
            &at,
            "a response's",
        );
        m
    }

    /// A response header: `{description, type}` (Swagger 2) or `{description, schema}`.
    fn header(&mut self, h: &'a J, at: &str) -> Option<Map> {
        let (h, at) = match h.str_of("$ref") {
            Some(reference) => {
                match reference
                    .strip_prefix("#/components/headers/")
                    .and_then(|n| {
                        self.doc
                            .get("components")?
                            .get("headers")?
                            .get(n)
                            .map(|j| (j, n))
                    }) {
                    Some((found, n)) => (found, child("$.components.headers", n)),
                    None => {
                        self.r.warn(at, "ref", format!("header `$ref: {reference}` names nothing in the definition; left out"));
                        return None;
                    }
                }
            }
            None => (h, at.to_string()),
        };
        h.as_obj()?;
        let mut m = Map::new();
        if let Some(d) = h
            .str_of("description")
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            m.set_str("description", d);
        }
        let schema = match h.get("schema") {
            Some(s) => self.r.schema(s, &child(&at, "schema"), 0),
            None => {
                let members: Vec<(String, J)> = h
                    .as_obj()
                    .unwrap_or(&[])
                    .iter()
                    .filter(|(k, _)| PARAM_SCHEMA_KEYS.contains(&k.as_str()) || k == "default")
                    .cloned()
                    .collect();
                if members.is_empty() {
                    let mut s = Map::new();
                    s.set_str("type", "string");
                    s
                } else {
                    self.r.schema(&J::Obj(members), &at, 0)
                }
            }
        };
        m.set("schema", Node::Map(schema));
        for key in ["x-example", "example"] {
            if let Some(v) = h.get(key).filter(|v| !v.is_null()) {
                self.r.warn(
                    child(&at, key),
                    "parameter-example",
                    format!(
                        "header example {} has no place in the spec; left out",
                        v.short(60)
                    ),
                );
            }
        }
        let mut known: Vec<&str> = PARAM_SCHEMA_KEYS.to_vec();
        known.extend_from_slice(&[
            "description",
            "schema",
            "default",
            "x-example",
            "example",
            "style",
            "explode",
        ]);
        self.r.leftovers(h, &known, &at, "a header's");
        Some(m)
    }

    /// Swagger 2 `examples`: keyed by media type; the first JSON one is the example.
    fn swagger_example(&mut self, examples: &J, at: &str) -> Option<(J, String)> {
        let Some(members) = examples.as_obj() else {
            return Some((examples.clone(), at.to_string()));
        };
        let keyed = members
            .iter()
            .any(|(k, _)| k.contains('/') || k.starts_with("x-response-examples"));
        if !keyed {
            self.r.warn(
                at,
                "response-example",
                "`examples` is not keyed by media type; read as the example itself",
            );
            return Some((examples.clone(), at.to_string()));
        }
        let rank = |k: &str| -> u8 {
            let l = k.to_ascii_lowercase();
            if l == "application/json" {
                0
            } else if l.contains("json") {
                1
            } else if l.starts_with("x-response-examples") {
                2
            } else {
                3
            }
        };
        let mut ordered: Vec<&(String, J)> = members.iter().collect();
        ordered.sort_by_key(|(k, _)| rank(k));
        let mut chosen: Option<(J, String)> = None;
        for (k, v) in ordered {
            let k_at = child(at, k);
            if k.contains('/') || k.starts_with("x-response-examples") {
                if chosen.is_none() {
                    chosen = Some((v.clone(), k_at));
                } else {
                    self.r.warn(
                        k_at,
                        "response-example",
                        format!("another example ({k}); only the first is carried"),
                    );
                }
            } else {
                self.r.warn(
                    k_at,
                    "response-example",
                    format!("example key `{k}` is not a media type; left out"),
                );
            }
        }
        chosen
    }
}

/// An example as the spec's text: JSON, indented; a string that holds JSON is that JSON.
pub fn example_text(value: &J) -> String {
    match value {
        J::Str(s) => match super::json::decode(s) {
            Ok(decoded) if matches!(decoded.value, J::Obj(_) | J::Arr(_)) => decoded.value.pretty(),
            _ => value.pretty(),
        },
        other => other.pretty(),
    }
}

/// Checks each example against its schema by the generator's rules; a mismatch gets an
/// `example_note` saying what does not match, and a warning.
fn check_examples(
    spec: &mut Map,
    example_at: &BTreeMap<String, String>,
    op_at: &str,
    warnings: &mut Vec<Warning>,
) {
    let noted = example::note_mismatches(spec, |what| {
        format!("{NOTE_PREFIX}: the definition's example does not match its schema: {what}.")
    });
    for mismatch in noted {
        let key = mismatch.place.last().cloned().unwrap_or_default();
        let default_at = match mismatch.place.first().map(String::as_str) {
            Some("body") => child(op_at, "x-request-examples-1"),
            _ => child(&child(op_at, "responses"), &key),
        };
        let at = example_at.get(&key).cloned().unwrap_or(default_at);
        warnings.push(Warning::at_path(
            at,
            "example-mismatch",
            format!(
                "the example of {} contradicts its schema: {}",
                mismatch.where_(),
                mismatch.what
            ),
        ));
    }
}

/// A parameter default must match the parameter's schema (the generator checks it): a
/// default written as a string of the right value (`"10"` for an integer) is typed; one that
/// cannot be is left out, with a warning.
fn check_defaults(spec: &mut Map, op_at: &str, warnings: &mut Vec<Warning>) {
    let local = spec.get_map("schemas").cloned().unwrap_or_default();
    let shared = Map::new();
    let scope = Scope {
        local: &local,
        shared: &shared,
    };
    let Some(Node::Seq(params)) = spec.get_mut("parameters") else {
        return;
    };
    for p in params.iter_mut().filter_map(Node::as_map_mut) {
        let (Some(default), Some(schema)) =
            (p.get("default").cloned(), p.get_map("schema").cloned())
        else {
            continue;
        };
        let fits =
            |d: &Node| example::check_value(&example::node_value(d), &schema, scope).is_empty();
        if fits(&default) {
            continue;
        }
        let ty = scope
            .resolve(&schema)
            .and_then(|s| s.get_str("type"))
            .unwrap_or("")
            .to_string();
        let text = default.scalar_text().unwrap_or_default();
        let coerced = match ty.as_str() {
            "integer" => text.trim().parse::<i64>().ok().map(Node::Int),
            "number" => text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Node::Float),
            "boolean" => match text.trim().to_ascii_lowercase().as_str() {
                "true" => Some(Node::Bool(true)),
                "false" => Some(Node::Bool(false)),
                _ => None,
            },
            "string" if !matches!(default, Node::Seq(_) | Node::Map(_) | Node::Null) => {
                Some(Node::Str(text.clone()))
            }
            _ => None,
        }
        .filter(|c| fits(c));
        let name = p.get_str("name").unwrap_or("?").to_string();
        match coerced {
            Some(c) => p.set("default", c),
            None => {
                p.remove("default");
                warnings.push(Warning::at_path(
                    child(op_at, "parameters"),
                    "default",
                    format!(
                        "the default {text} of parameter {name} does not fit its schema; left out"
                    ),
                ));
            }
        }
    }
}
