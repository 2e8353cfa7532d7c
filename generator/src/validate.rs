//! Checks that serde cannot make: references resolve, path and parameters agree, names are
//! unique, and every example matches its schema. Reports every problem with its position.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::Value;

use crate::diagnostic::{Diagnostics, Warning, WarningKind};
use crate::names;
use crate::spec::load::{SourceFile, SpecSet};
use crate::spec::locate::Segment;
use crate::spec::model::{
    Body, BodyEncoding, Location, OperationFile, ParameterSource, ResponseEncoding, Schema,
    SchemaType,
};
use crate::spec::scope::Scope;
use crate::template::PathTemplate;

/// Validates the whole spec set.
pub fn validate(specs: &SpecSet) -> Result<(), Diagnostics> {
    check(specs).map(|_| ())
}

/// Validates the whole spec set; what it accepts with a remark (noted example defects, stale
/// notes) comes back as warnings.
pub fn check(specs: &SpecSet) -> Result<Vec<Warning>, Diagnostics> {
    let mut report = Findings::default();
    check_crate(specs, &mut report);
    let mut operations = Vec::new();
    for service_dir in &specs.services {
        // Each service is its own crate, so a name need only be unique within its service
        // (`DeleteManualBackup` is an RDS and a DDS operation).
        let mut operation_names = BTreeMap::new();
        let service = &service_dir.service;
        let mut at = Reporter::new(service, &mut report);
        check_service(service_dir.folder.as_str(), service, &mut at);
        for operation in &service_dir.operations {
            let content = &operation.content;
            // Positions are looked up only for an error (finding them indexes the file).
            if let Some(first) = operation_names.insert(content.operation.as_str(), operation) {
                let place = format!(
                    "{}:{}",
                    first.display,
                    first.position(&["operation".into()]).line
                );
                Reporter::new(operation, &mut report).error(
                    &["operation".into()],
                    format!(
                        "duplicate operation name `{}`: already defined at {place}",
                        content.operation
                    ),
                );
            }
            operations.push((operation, &service.content.schemas));
        }
    }
    // Operations are checked independently of each other, on all cores; the findings are
    // sorted below, so their order does not depend on the scheduling.
    let found = crate::parallel::map(&operations, |(operation, shared)| {
        let mut findings = Findings::default();
        check_operation(
            operation,
            shared,
            &mut Reporter::new(operation, &mut findings),
        );
        findings
    });
    for findings in found {
        report.errors.0.extend(findings.errors.0);
        report.warnings.extend(findings.warnings);
    }
    let mut warnings = report.warnings;
    warnings.sort();
    report.errors.into_result(warnings)
}

/// Everything a run found.
#[derive(Default)]
struct Findings {
    errors: Diagnostics,
    warnings: Vec<Warning>,
}

/// Reports against one file, at the position of a YAML path.
struct Reporter<'a, T> {
    file: &'a SourceFile<T>,
    report: &'a mut Findings,
}

impl<'a, T> Reporter<'a, T> {
    fn new(file: &'a SourceFile<T>, report: &'a mut Findings) -> Self {
        Reporter { file, report }
    }

    fn error(&mut self, path: &[Segment], message: impl Into<String>) {
        let position = self.file.position(path);
        self.report
            .errors
            .push(&self.file.display, position, message);
    }

    fn warn(&mut self, path: &[Segment], kind: WarningKind, message: impl Into<String>) {
        let position = self.file.position(path);
        self.report.warnings.push(Warning {
            file: self.file.display.clone(),
            position,
            kind,
            message: message.into(),
        });
    }
}

/// A documented status that is the operation's result: any 2xx, and a documented 3xx (a
/// version list at 300, a download link in `Location` at 307), which the client returns
/// instead of following.
pub fn is_success_status(code: u16) -> bool {
    (200..400).contains(&code)
}

fn join(path: &[Segment], more: &[Segment]) -> Vec<Segment> {
    path.iter().chain(more).cloned().collect()
}

fn check_crate(specs: &SpecSet, report: &mut Findings) {
    let krate = &specs.krate;
    let mut at = Reporter::new(krate, report);
    let name = &krate.content.name;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        at.error(
            &["name".into()],
            format!("crate name `{name}` must be lower case letters, digits, `-` or `_`"),
        );
    }
    let version = &krate.content.version;
    let (core, pre) = version.split_once('-').unwrap_or((version.as_str(), ""));
    let numbers: Vec<&str> = core.split('.').collect();
    let version_ok = numbers.len() == 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        && pre
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !(version.contains('-') && pre.is_empty());
    if !version_ok {
        at.error(
            &["version".into()],
            format!("version `{version}` must be a semantic version such as 0.1.0"),
        );
    }
}

fn check_service(
    folder: &str,
    service: &SourceFile<crate::spec::model::ServiceFile>,
    at: &mut Reporter<'_, crate::spec::model::ServiceFile>,
) {
    let content = &service.content;
    let id = &content.service;
    let id_ok = id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        at.error(
            &["service".into()],
            format!("service id `{id}` must be lower case letters, digits and `-`"),
        );
    } else if id != folder {
        at.error(
            &["service".into()],
            format!("service id `{id}` must equal its folder name `{folder}`"),
        );
    }
    if let Err(problem) = check_host(&content.endpoint) {
        at.error(
            &["endpoint".into()],
            format!("endpoint `{}` {problem}", content.endpoint),
        );
    }
    let scope = Scope {
        local: &IndexMap::new(),
        shared: &content.schemas,
    };
    // Schemas with one Rust name are numbered by `ir` (`Metadata`, `Metadata2`).
    for (name, schema) in &content.schemas {
        let path = vec![Segment::from("schemas"), Segment::from(name.as_str())];
        check_schema(schema, &path, &scope, at);
        check_alias_cycle(name, &path, &scope, at);
    }
}

/// A named schema that contains itself only through `$ref`s, arrays and maps (`Tree: array of
/// $ref Tree`) would be a Rust type alias of itself, which Rust cannot express: an object (a
/// struct), an enum or a `one_of` in between is needed.
fn check_alias_cycle<T>(name: &str, path: &[Segment], scope: &Scope<'_>, at: &mut Reporter<'_, T>) {
    fn nominal(schema: &Schema) -> bool {
        schema.one_of.is_some()
            || schema.enum_values.is_some()
            || (schema.ty == Some(SchemaType::Object) && !schema.properties.is_empty())
    }
    let Some(start) = scope.get(name) else { return };
    if nominal(start) || scope.resolve(start).is_none() {
        // A struct or enum breaks any cycle; a pure `$ref` loop is reported by `check_schema`.
        return;
    }
    let mut pending = vec![start];
    let mut seen = BTreeSet::new();
    while let Some(schema) = pending.pop() {
        if let Some(reference) = &schema.reference {
            if reference == name {
                at.error(
                    path,
                    format!(
                        "schema `{name}` contains itself only through `$ref`s, arrays and maps; \
                         Rust cannot name that type (put an object in between)"
                    ),
                );
                return;
            }
            if let Some(next) = scope.get(reference) {
                if seen.insert(reference.as_str()) && !nominal(next) {
                    pending.push(next);
                }
            }
            continue;
        }
        if nominal(schema) {
            continue;
        }
        pending.extend(schema.items.as_deref());
        pending.extend(schema.values.as_deref());
    }
}

fn check_operation(
    file: &SourceFile<OperationFile>,
    shared: &IndexMap<String, Schema>,
    at: &mut Reporter<'_, OperationFile>,
) {
    let op = &file.content;
    if op.source.document.is_none() && op.source.definition.is_none() {
        at.error(
            &["source".into()],
            "`source` needs a `document` (a reference page) or a `definition` (an API Explorer definition)",
        );
    }
    let scope = Scope {
        local: &op.schemas,
        shared,
    };

    let name_ok = op.operation.starts_with(|c: char| c.is_ascii_uppercase())
        && op.operation.chars().all(|c| c.is_ascii_alphanumeric());
    if !name_ok {
        at.error(
            &["operation".into()],
            format!(
                "operation `{}` must be PascalCase letters and digits",
                op.operation
            ),
        );
    } else {
        let expected = format!("{}.yaml", names::bare(&names::snake(&op.operation)));
        let actual = file.relative.rsplit('/').next().unwrap_or_default();
        if actual != expected {
            at.error(
                &["operation".into()],
                format!(
                    "the file of operation `{}` must be named `{expected}`, not `{actual}`",
                    op.operation
                ),
            );
        }
    }

    // Path template against declared path parameters.
    let declared: Vec<(usize, &str)> = op
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == Location::Path)
        .map(|(i, p)| (i, p.name.as_str()))
        .collect();
    match PathTemplate::parse(&op.path) {
        Err(error) => at.error(&["path".into()], error.to_string()),
        Ok(template) => {
            for name in template.parameters() {
                if !declared.iter().any(|(_, declared)| *declared == name) {
                    at.error(
                        &["path".into()],
                        format!("path parameter `{{{name}}}` is not declared in `parameters` (add one with `in: path`)"),
                    );
                }
            }
            for (index, name) in &declared {
                if !template.parameters().any(|used| used == *name) {
                    at.error(
                        &["parameters".into(), (*index).into(), "name".into()],
                        format!(
                            "path parameter `{name}` is declared but the path `{}` does not use it",
                            op.path
                        ),
                    );
                }
            }
        }
    }

    let mut seen = BTreeSet::new();
    for (index, parameter) in op.parameters.iter().enumerate() {
        let path = vec![Segment::from("parameters"), Segment::from(index)];
        let wire_key = match parameter.location {
            Location::Header => parameter.name.to_ascii_lowercase(),
            _ => parameter.name.clone(),
        };
        if !seen.insert((parameter.location as u8, wire_key)) {
            at.error(
                &join(&path, &["name".into()]),
                format!("parameter `{}` is declared twice", parameter.name),
            );
        }
        if parameter.name.is_empty() {
            at.error(&join(&path, &["name".into()]), "parameter name is empty");
        }
        if parameter.location == Location::Path && !parameter.required {
            at.error(
                &join(&path, &["required".into()]),
                format!(
                    "path parameter `{}` must be `required: true`",
                    parameter.name
                ),
            );
        }
        let lower = parameter.name.to_ascii_lowercase();
        let auth_header =
            parameter.source == Some(ParameterSource::Auth) && lower == "x-auth-token";
        if parameter.location == Location::Header
            && crate::spec::model::CLIENT_HEADERS.contains(&lower.as_str())
            && !auth_header
        {
            at.error(
                &join(&path, &["name".into()]),
                format!(
                    "header `{}` is set by the client itself (signing, credentials, project ID, \
                     user agent) or is connection-level; document X-Auth-Token with \
                     `source: auth` and leave the others out",
                    parameter.name
                ),
            );
        }
        if let Some(source) = parameter.source {
            let implied = ParameterSource::implied_by(parameter.location.as_str(), &parameter.name);
            if implied != Some(source) {
                at.error(
                    &join(&path, &["source".into()]),
                    match source {
                        ParameterSource::Config => {
                            "`source: config` is only for the `project_id` path parameter"
                        }
                        ParameterSource::Auth => {
                            "`source: auth` is only for the `X-Auth-Token` header parameter"
                        }
                    },
                )
            }
        }
        // Parameters with one Rust name are numbered by `ir` (`tenant_id`, `tenant_id_2`).
        let schema_path = join(&path, &["schema".into()]);
        check_schema(&parameter.schema, &schema_path, &scope, at);
        check_parameter_schema(
            &parameter.schema,
            parameter.location,
            &schema_path,
            &scope,
            at,
        );
        if let Some(default) = &parameter.default {
            check_value(
                default,
                &parameter.schema,
                &join(&path, &["default".into()]),
                "default",
                &scope,
                at,
            );
        }
    }

    if let Some(host) = &op.host {
        if let Err(problem) = check_host(host) {
            at.error(&["host".into()], format!("host `{host}` {problem}"));
        }
    }
    if let Some(body) = &op.body {
        check_body(body, &scope, at);
    }
    check_responses(op, &scope, at);
    if let Some(pagination) = &op.pagination {
        check_pagination(op, pagination, &scope, at);
    }

    for (name, schema) in &op.schemas {
        let path = vec![Segment::from("schemas"), Segment::from(name.as_str())];
        check_schema(schema, &path, &scope, at);
        check_alias_cycle(name, &path, &scope, at);
    }
}

fn check_body(body: &Body, scope: &Scope<'_>, at: &mut Reporter<'_, OperationFile>) {
    let path = vec![Segment::from("body")];
    let encoding = body.encoding;
    match (&body.schema, encoding) {
        (Some(schema), BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart) => {
            let schema_path = join(&path, &["schema".into()]);
            check_schema(schema, &schema_path, scope, at);
            match encoding {
                BodyEncoding::Form => check_object_parts(schema, false, &schema_path, scope, at),
                BodyEncoding::Multipart => {
                    check_object_parts(schema, true, &schema_path, scope, at)
                }
                _ => {}
            }
            // A multipart example is no JSON document of its schema.
            if let (Some(example), false) = (&body.example, encoding == BodyEncoding::Multipart) {
                check_example(
                    example,
                    schema,
                    true,
                    body.example_note.as_deref(),
                    &join(&path, &["example".into()]),
                    scope,
                    at,
                );
            }
        }
        (None, BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart) => at.error(
            &path,
            format!("a {} body needs a `schema`", body_encoding_word(encoding)),
        ),
        (Some(_), BodyEncoding::Binary | BodyEncoding::Text) => at.error(
            &join(&path, &["schema".into()]),
            format!(
                "a {} body has no `schema` (it is sent as is)",
                body_encoding_word(encoding)
            ),
        ),
        (None, BodyEncoding::Binary | BodyEncoding::Text) => {}
    }
    if let Some(content_type) = &body.content_type {
        let path = join(&path, &["content_type".into()]);
        if encoding == BodyEncoding::Multipart {
            at.error(
                &path,
                "a multipart body's `Content-Type` is `multipart/form-data` with the client's boundary; leave `content_type` out",
            );
        } else if let Err(problem) = check_content_type(content_type) {
            at.error(&path, format!("content type `{content_type}` {problem}"));
        }
    }
}

fn body_encoding_word(encoding: BodyEncoding) -> &'static str {
    match encoding {
        BodyEncoding::Json => "JSON",
        BodyEncoding::Form => "form",
        BodyEncoding::Multipart => "multipart",
        BodyEncoding::Binary => "binary",
        BodyEncoding::Text => "text",
    }
}

/// A `Content-Type` value: `type/subtype`, optionally followed by `;` parameters, without
/// control characters.
fn check_content_type(value: &str) -> Result<(), String> {
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    let media = value.split(';').next().unwrap_or_default().trim();
    let ok = media
        .split_once('/')
        .is_some_and(|(kind, subtype)| token(kind) && token(subtype))
        && value
            .bytes()
            .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f));
    if ok {
        Ok(())
    } else {
        Err("must be a media type such as `application/xml` (`type/subtype`, then optional `;` parameters)".to_owned())
    }
}

fn is_binary_string(schema: &Schema) -> bool {
    schema.ty == Some(SchemaType::String) && schema.format.as_deref() == Some("binary")
}

/// The parts of a form (`multipart: false`) or multipart body: an object with properties;
/// a form's are scalars or arrays of scalars, a multipart's may also be files
/// (`type: string, format: binary`, or an array of those).
fn check_object_parts(
    schema: &Schema,
    multipart: bool,
    path: &[Segment],
    scope: &Scope<'_>,
    at: &mut Reporter<'_, OperationFile>,
) {
    let Some(object) = scope.resolve(schema) else {
        return;
    };
    if object.ty != Some(SchemaType::Object) || object.properties.is_empty() {
        at.error(
            path,
            format!(
                "a {} body's schema must be an object with `properties` (its {})",
                if multipart { "multipart" } else { "form" },
                if multipart { "parts" } else { "fields" }
            ),
        );
        return;
    }
    if multipart {
        return;
    }
    for (name, property) in &object.properties {
        let Some(target) = scope.resolve(property) else {
            continue;
        };
        let scalar = |s: &Schema| {
            matches!(
                s.ty,
                Some(
                    SchemaType::String
                        | SchemaType::Integer
                        | SchemaType::Number
                        | SchemaType::Boolean
                )
            )
        };
        let ok = scalar(target)
            || (target.ty == Some(SchemaType::Array)
                && target
                    .items
                    .as_deref()
                    .and_then(|items| scope.resolve(items))
                    .is_some_and(scalar));
        if !ok || is_binary_string(target) {
            at.error(
                &join(path, &["properties".into(), name.as_str().into()]),
                format!("form field `{name}` must be a scalar or an array of scalars (a file needs `encoding: multipart`)"),
            );
        }
    }
}

/// A stated pagination names optional query parameters and members the success body has.
fn check_pagination(
    op: &OperationFile,
    pagination: &crate::spec::model::Pagination,
    scope: &Scope<'_>,
    at: &mut Reporter<'_, OperationFile>,
) {
    use crate::spec::model::PaginationStyle;
    if pagination.style == PaginationStyle::None {
        return;
    }
    for (key, name) in [("cursor", &pagination.cursor), ("size", &pagination.size)] {
        let Some(name) = name else {
            if key == "cursor" {
                at.error(
                    &["pagination".into(), key.into()],
                    "`cursor` names the query parameter that says where a page starts",
                );
            }
            continue;
        };
        let found = op
            .parameters
            .iter()
            .find(|p| p.name == *name && p.location == Location::Query);
        if found.is_none() {
            at.error(
                &["pagination".into(), key.into()],
                format!("`{name}` is not a query parameter of the operation"),
            );
        }
    }
    let success = op
        .responses
        .iter()
        .find(|(status, _)| status.parse::<u16>().is_ok_and(is_success_status))
        .and_then(|(_, response)| response.schema.as_ref())
        .and_then(|schema| scope.resolve(schema));
    let member = |path: &str| -> bool {
        let mut schema = success;
        for key in path.split('.') {
            schema = schema
                .and_then(|s| s.properties.get(key))
                .and_then(|s| scope.resolve(s));
        }
        schema.is_some()
    };
    match &pagination.items {
        None => at.error(
            &["pagination".into(), "items".into()],
            "`items` names the member of the success body that holds the page's items",
        ),
        Some(items) if !member(items) => at.error(
            &["pagination".into(), "items".into()],
            format!("the success body has no member `{items}`"),
        ),
        Some(_) => {}
    }
    match (&pagination.next_marker, pagination.style) {
        (None, PaginationStyle::Marker) => at.error(
            &["pagination".into(), "next_marker".into()],
            "a `marker` pagination names the member with the next marker (`next_marker`)",
        ),
        (Some(path), PaginationStyle::Marker) if !member(path) => at.error(
            &["pagination".into(), "next_marker".into()],
            format!("the success body has no member `{path}`"),
        ),
        (Some(_), PaginationStyle::Offset | PaginationStyle::Page) => at.error(
            &["pagination".into(), "next_marker".into()],
            "only a `marker` pagination has a `next_marker`",
        ),
        _ => {}
    }
}

fn check_responses(op: &OperationFile, scope: &Scope<'_>, at: &mut Reporter<'_, OperationFile>) {
    let mut successes: Vec<(String, ResponseEncoding, bool)> = Vec::new();
    // Header name (lower case) -> (status, shape) of the 2xx response that documents it first.
    let mut success_headers: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (status, response) in &op.responses {
        let path = vec![Segment::from("responses"), Segment::from(status.as_str())];
        let code = if status == "default" {
            None
        } else {
            let code = status
                .parse::<u16>()
                .ok()
                .filter(|c| (100..=599).contains(c));
            let Some(code) = code else {
                at.error(
                    &path,
                    format!("status `{status}` must be a number from 100 to 599, or `default`"),
                );
                continue;
            };
            Some(code)
        };
        let success = code.is_some_and(is_success_status);
        if success {
            successes.push((status.clone(), response.encoding, response.schema.is_some()));
        }
        match response.encoding {
            ResponseEncoding::Json => {
                if let Some(schema) = &response.schema {
                    check_schema(schema, &join(&path, &["schema".into()]), scope, at);
                }
                if let Some(example) = &response.example {
                    match &response.schema {
                        Some(schema) => check_example(
                            example,
                            schema,
                            false,
                            response.example_note.as_deref(),
                            &join(&path, &["example".into()]),
                            scope,
                            at,
                        ),
                        None => at.error(
                            &join(&path, &["example".into()]),
                            "an example needs a `schema` to check it against",
                        ),
                    }
                }
            }
            ResponseEncoding::Binary | ResponseEncoding::Text => {
                if response.schema.is_some() {
                    at.error(
                        &join(&path, &["schema".into()]),
                        format!(
                            "a {} response has no `schema` (its body is {})",
                            if response.encoding == ResponseEncoding::Binary {
                                "binary"
                            } else {
                                "text"
                            },
                            if response.encoding == ResponseEncoding::Binary {
                                "raw bytes"
                            } else {
                                "a string"
                            }
                        ),
                    );
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (name, header) in &response.headers {
            let header_path = join(&path, &["headers".into(), name.as_str().into()]);
            let lower = name.to_ascii_lowercase();
            if !is_header_name(name) {
                at.error(&header_path, format!("`{name}` is not a valid header name"));
            }
            if !seen.insert(lower.clone()) {
                at.error(
                    &header_path,
                    format!("header `{name}` is documented twice (header names ignore case)"),
                );
            }
            let schema_path = join(&header_path, &["schema".into()]);
            check_schema(&header.schema, &schema_path, scope, at);
            check_header_schema(&header.schema, &schema_path, scope, at);
            if success {
                let shape = header_shape(&header.schema, scope);
                match success_headers.get(&lower) {
                    Some((first, first_shape)) if *first_shape != shape => at.error(
                        &schema_path,
                        format!(
                            "header `{name}` has another type than in the `{first}` response; one header has one type"
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        success_headers.insert(lower, (status.clone(), shape));
                    }
                }
            }
        }
    }
    if successes.is_empty() {
        // Some definitions document only errors (KMS DeleteKeyStore): generated all the same,
        // any 2xx being the success without a body, and reported so the gap is seen.
        at.warn(
            &["responses".into()],
            WarningKind::NoSuccessDocumented,
            "no success (2xx or 3xx) response is documented: any 2xx is taken as success, without a body",
        );
    }
    let binary: Vec<&str> = successes
        .iter()
        .filter(|(_, encoding, _)| *encoding == ResponseEncoding::Binary)
        .map(|(status, _, _)| status.as_str())
        .collect();
    let other_bodies: Vec<&str> = successes
        .iter()
        .filter(|(_, encoding, has_schema)| {
            *encoding == ResponseEncoding::Text
                || (*encoding == ResponseEncoding::Json && *has_schema)
        })
        .map(|(status, _, _)| status.as_str())
        .collect();
    if !binary.is_empty() && !other_bodies.is_empty() {
        at.error(
            &["responses".into()],
            format!(
                "a binary success response is a streamed download: the other 2xx responses ({}) must be binary or have no body",
                other_bodies.join(", ")
            ),
        );
    }
}

/// A response header is a scalar or an array of scalars (a comma-separated list).
fn check_header_schema(
    schema: &Schema,
    path: &[Segment],
    scope: &Scope<'_>,
    at: &mut Reporter<'_, OperationFile>,
) {
    let Some(target) = scope.resolve(schema) else {
        return;
    };
    let scalar = |s: &Schema| {
        matches!(
            s.ty,
            Some(
                SchemaType::String | SchemaType::Integer | SchemaType::Number | SchemaType::Boolean
            )
        )
    };
    let ok = scalar(target)
        || (target.ty == Some(SchemaType::Array)
            && target
                .items
                .as_deref()
                .and_then(|items| scope.resolve(items))
                .is_some_and(scalar));
    if !ok {
        at.error(
            path,
            "a response header must be a string, integer, number or boolean, or an array of those (a comma-separated list)",
        );
    }
}

/// An HTTP header name (an RFC 7230 token).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// What a header's schema decodes as, to compare two documentations of one header.
fn header_shape(schema: &Schema, scope: &Scope<'_>) -> String {
    let Some(target) = scope.resolve(schema) else {
        return String::new();
    };
    let items = target
        .items
        .as_deref()
        .and_then(|items| scope.resolve(items))
        .map(|items| format!("{:?} {:?}", items.ty, items.format))
        .unwrap_or_default();
    format!(
        "{:?} {:?} {:?} {items}",
        schema.reference, target.ty, target.format
    )
}

/// Checks a host pattern (a service's `endpoint`, an operation's `host`): a host name of
/// lower-case letters, digits, `-` and `.`, with at most one `{region}` placeholder, and no
/// scheme, port, path or other placeholder. Returns what is wrong.
pub fn check_host(pattern: &str) -> Result<(), String> {
    const RULE: &str = "must be a host name (lower-case letters, digits, `-` and `.`, at most one `{region}`), without a scheme, port or path";
    if pattern.contains("://") {
        return Err(format!("has a scheme: {RULE}"));
    }
    if pattern.matches("{region}").count() > 1 {
        return Err(format!("has `{{region}}` more than once: {RULE}"));
    }
    let host = pattern.replace("{region}", "region");
    if host.contains(['{', '}']) {
        return Err(format!("has a placeholder other than `{{region}}`: {RULE}"));
    }
    if host.contains(['/', ':', '?', '#', '@']) {
        return Err(format!("has a port, path or other URL part: {RULE}"));
    }
    let labels_ok = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if !labels_ok {
        return Err(RULE.to_owned());
    }
    Ok(())
}

fn check_parameter_schema<T>(
    schema: &Schema,
    location: Location,
    path: &[Segment],
    scope: &Scope<'_>,
    at: &mut Reporter<'_, T>,
) {
    let resolved = scope.resolve(schema);
    let Some(resolved) = resolved else { return };
    match resolved.ty {
        Some(SchemaType::String | SchemaType::Integer | SchemaType::Number | SchemaType::Boolean) => {}
        Some(SchemaType::Array) if location == Location::Query => {
            let item = resolved.items.as_deref().and_then(|items| scope.resolve(items));
            if !matches!(
                item.and_then(|item| item.ty),
                Some(SchemaType::String | SchemaType::Integer | SchemaType::Number | SchemaType::Boolean)
            ) {
                at.error(path, "a query array parameter must have scalar `items`");
            }
        }
        _ => at.error(
            path,
            "a parameter must be a string, integer, number or boolean (or, in the query, an array of those)",
        ),
    }
}

fn check_schema<T>(schema: &Schema, path: &[Segment], scope: &Scope<'_>, at: &mut Reporter<'_, T>) {
    if let Some(name) = &schema.reference {
        if scope.get(name).is_none() {
            at.error(
                &join(path, &["$ref".into()]),
                format!("`$ref: {name}` names no schema of this operation or its service"),
            );
        } else if scope.resolve(schema).is_none() {
            at.error(
                &join(path, &["$ref".into()]),
                format!("`$ref: {name}` refers to itself"),
            );
        }
        if schema.ty.is_some() || schema.one_of.is_some() || has_type_keys(schema) {
            at.error(
                path,
                "a `$ref` schema may only add `description`, `nullable` and `note`",
            );
        }
        return;
    }
    if let Some(alternatives) = &schema.one_of {
        if schema.ty.is_some() || has_type_keys(schema) {
            at.error(
                path,
                "`one_of` takes no `type` (nor `format`, `enum`, `properties`, `items`, ranges...) \
                 beside it: each alternative has its own",
            );
        }
        if alternatives.is_empty() {
            at.error(
                &join(path, &["one_of".into()]),
                "`one_of` needs at least one alternative",
            );
        }
        for (index, alternative) in alternatives.iter().enumerate() {
            check_schema(
                alternative,
                &join(path, &["one_of".into(), index.into()]),
                scope,
                at,
            );
        }
        return;
    }
    let Some(ty) = schema.ty else {
        at.error(path, "a schema needs `type`, `$ref` or `one_of`");
        return;
    };
    if let Some(format) = &schema.format {
        let ok = match ty {
            SchemaType::Integer => matches!(format.as_str(), "int32" | "int64"),
            SchemaType::Number => matches!(format.as_str(), "float" | "double"),
            // Any documented format (date-time, uuid, byte, binary, ...): documentation.
            SchemaType::String => !format.trim().is_empty(),
            _ => false,
        };
        if !ok {
            at.error(
                &join(path, &["format".into()]),
                format!(
                    "format `{format}` does not fit type `{}` (integer: int32 or int64; number: \
                     float or double; string: any documented format)",
                    type_word(ty)
                ),
            );
        }
    }
    if schema.pattern.is_some() && ty != SchemaType::String {
        at.error(
            &join(path, &["pattern".into()]),
            "`pattern` belongs to `type: string`",
        );
    }
    if (schema.min_items.is_some() || schema.max_items.is_some()) && ty != SchemaType::Array {
        at.error(path, "`min_items`/`max_items` belong to `type: array`");
    }
    if let (Some(min), Some(max)) = (schema.min_items, schema.max_items) {
        if min > max {
            at.error(
                path,
                format!("`min_items` {min} is greater than `max_items` {max}"),
            );
        }
    }
    if !schema.properties.is_empty() && ty != SchemaType::Object {
        at.error(
            &join(path, &["properties".into()]),
            "`properties` belongs to `type: object`",
        );
    }
    if !schema.required.is_empty() {
        for (index, name) in schema.required.iter().enumerate() {
            if !schema.properties.contains_key(name) {
                at.error(
                    &join(path, &["required".into(), index.into()]),
                    format!("required property `{name}` is not in `properties`"),
                );
            }
        }
    }
    match (ty, &schema.items) {
        (SchemaType::Array, None) => at.error(path, "`type: array` needs `items`"),
        (SchemaType::Array, Some(items)) => {
            check_schema(items, &join(path, &["items".into()]), scope, at)
        }
        (_, Some(_)) => at.error(
            &join(path, &["items".into()]),
            "`items` belongs to `type: array`",
        ),
        _ => {}
    }
    match (ty, &schema.values) {
        (SchemaType::Map, None) => at.error(path, "`type: map` needs `values`"),
        (SchemaType::Map, Some(values)) => {
            check_schema(values, &join(path, &["values".into()]), scope, at)
        }
        (_, Some(_)) => at.error(
            &join(path, &["values".into()]),
            "`values` belongs to `type: map`",
        ),
        _ => {}
    }
    if (schema.min_length.is_some() || schema.max_length.is_some()) && ty != SchemaType::String {
        at.error(path, "`min_length`/`max_length` belong to `type: string`");
    }
    if (schema.minimum.is_some() || schema.maximum.is_some())
        && !matches!(ty, SchemaType::Integer | SchemaType::Number)
    {
        at.error(
            path,
            "`minimum`/`maximum` belong to `type: integer` or `number`",
        );
    }
    if let (Some(min), Some(max)) = (schema.min_length, schema.max_length) {
        if min > max {
            at.error(
                path,
                format!("`min_length` {min} is greater than `max_length` {max}"),
            );
        }
    }
    if let (Some(min), Some(max)) = (schema.minimum, schema.maximum) {
        if min > max {
            at.error(
                path,
                format!("`minimum` {min} is greater than `maximum` {max}"),
            );
        }
    }
    if let Some(values) = &schema.enum_values {
        check_enum(
            values,
            ty,
            schema.format.as_deref(),
            &join(path, &["enum".into()]),
            at,
        );
    }
    // Field names that collide in Rust are numbered by `ir`, so only the schemas are checked.
    for (name, property) in &schema.properties {
        let property_path = join(path, &["properties".into(), name.as_str().into()]);
        check_schema(property, &property_path, scope, at);
    }
}

/// Keys that describe a value of a `type`: not allowed beside `$ref` or `one_of`.
fn has_type_keys(schema: &Schema) -> bool {
    schema.format.is_some()
        || schema.enum_values.is_some()
        || !schema.properties.is_empty()
        || !schema.required.is_empty()
        || schema.items.is_some()
        || schema.values.is_some()
        || schema.min_length.is_some()
        || schema.max_length.is_some()
        || schema.minimum.is_some()
        || schema.maximum.is_some()
        || schema.pattern.is_some()
        || schema.min_items.is_some()
        || schema.max_items.is_some()
}

fn check_enum<T>(
    values: &[crate::spec::model::EnumValue],
    ty: SchemaType,
    format: Option<&str>,
    path: &[Segment],
    at: &mut Reporter<'_, T>,
) {
    if values.is_empty() {
        at.error(path, "`enum` needs at least one value");
    }
    let mut seen = BTreeSet::new();
    let mut variant_names = BTreeSet::new();
    for (index, value) in values.iter().enumerate() {
        let value_path = join(path, &[index.into(), "value".into()]);
        let ok = match ty {
            SchemaType::String => value.value.is_string(),
            SchemaType::Integer if format == Some("int64") => value.value.is_i64(),
            SchemaType::Integer => value
                .value
                .as_i64()
                .is_some_and(|n| i32::try_from(n).is_ok()),
            SchemaType::Number => value.value.is_number(),
            SchemaType::Boolean => value.value.is_boolean(),
            SchemaType::Object | SchemaType::Array | SchemaType::Map => false,
        };
        if ty == SchemaType::Integer && value.value.is_i64() && !ok {
            at.error(
                &value_path,
                format!(
                    "enum value {} does not fit int32; use `format: int64`",
                    value.value
                ),
            );
        } else if !ok {
            at.error(
                &value_path,
                format!(
                    "enum value {} does not fit `type: {}` (enums are over strings, integers, numbers or booleans)",
                    value.value,
                    type_word(ty)
                ),
            );
        }
        if !seen.insert(value.value.to_string()) {
            at.error(
                &value_path,
                format!("enum value {} is listed twice", value.value),
            );
        }
        if let Some(name) = &value.name {
            if names::camel(name) != *name {
                at.error(
                    &join(path, &[index.into(), "name".into()]),
                    format!(
                        "enum variant name `{name}` must be PascalCase (e.g. `{}`)",
                        names::camel(name)
                    ),
                );
            }
            if !variant_names.insert(name.clone()) {
                at.error(
                    &join(path, &[index.into(), "name".into()]),
                    format!("enum variant name `{name}` is used twice"),
                );
            }
        }
    }
}

fn type_word(ty: SchemaType) -> &'static str {
    match ty {
        SchemaType::String => "string",
        SchemaType::Integer => "integer",
        SchemaType::Number => "number",
        SchemaType::Boolean => "boolean",
        SchemaType::Object => "object",
        SchemaType::Array => "array",
        SchemaType::Map => "map",
    }
}

/// Checks an example against its schema. A mismatch is an error, unless the example carries an
/// `example_note` (the source's own defect, said in words): then it is a warning, and an
/// `example_note` on an example that matches is a stale note.
fn check_example<T>(
    example: &str,
    schema: &Schema,
    request: bool,
    note: Option<&str>,
    path: &[Segment],
    scope: &Scope<'_>,
    at: &mut Reporter<'_, T>,
) {
    let problems = match serde_json::from_str::<Value>(example) {
        Err(error) => vec![format!(
            "the example is not valid JSON: {error} (line {} column {} of the example)",
            error.line(),
            error.column()
        )],
        Ok(value) => {
            let mut problems = Vec::new();
            match_value(&value, schema, "$", scope, &mut problems, 0, request);
            problems
                .into_iter()
                .map(|problem| format!("the example does not match its schema: {problem}"))
                .collect()
        }
    };
    match (note, problems.first()) {
        (None, _) => {
            for problem in problems {
                at.error(path, problem);
            }
        }
        (Some(_), Some(first)) => {
            let more = match problems.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            at.warn(path, WarningKind::NotedExample, format!("{first}{more}"));
        }
        (Some(_), None) => at.warn(
            path,
            WarningKind::StaleExampleNote,
            "the example matches its schema, but an `example_note` says it does not: drop the \
             note (a noted example is not tested)",
        ),
    }
}

/// Checks a JSON value (an example or a default) against its schema; reports each mismatch
/// with the JSON path inside the value.
fn check_value<T>(
    value: &Value,
    schema: &Schema,
    path: &[Segment],
    what: &str,
    scope: &Scope<'_>,
    at: &mut Reporter<'_, T>,
) {
    let mut problems = Vec::new();
    match_value(value, schema, "$", scope, &mut problems, 0, false);
    for problem in problems {
        at.error(
            path,
            format!("the {what} does not match its schema: {problem}"),
        );
    }
}

/// A value for a message: short ones whole, long ones cut.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// Checks `value` against `schema`, adding each mismatch to `problems`. In a request
/// (`request`), an object lacking a `required` property is a mismatch too: the generated
/// request model cannot hold it (response models have every field optional).
fn match_value(
    value: &Value,
    schema: &Schema,
    at: &str,
    scope: &Scope<'_>,
    problems: &mut Vec<String>,
    depth: usize,
    request: bool,
) {
    if depth > 64 {
        return;
    }
    let nullable = schema.nullable;
    let Some(target) = scope.resolve(schema) else {
        return;
    };
    if value.is_null() {
        if !(nullable || target.nullable) {
            problems.push(format!(
                "{at} is null, but the schema is not `nullable: true`"
            ));
        }
        return;
    }
    if let Some(alternatives) = &target.one_of {
        let fits = alternatives.iter().any(|alternative| {
            let mut inner = Vec::new();
            match_value(
                value,
                alternative,
                at,
                scope,
                &mut inner,
                depth + 1,
                request,
            );
            inner.is_empty()
        });
        if !fits {
            problems.push(format!(
                "{at} is {}, which fits none of the `one_of` alternatives",
                short(value)
            ));
        }
        return;
    }
    let Some(ty) = target.ty else { return };
    let fits = match ty {
        SchemaType::String => value.is_string(),
        SchemaType::Integer => match (value.as_i64(), target.format.as_deref()) {
            (Some(_), Some("int64")) => true,
            (Some(number), _) => i32::try_from(number).is_ok(),
            (None, _) => false,
        },
        SchemaType::Number => value.is_number(),
        SchemaType::Boolean => value.is_boolean(),
        SchemaType::Object | SchemaType::Map => value.is_object(),
        SchemaType::Array => value.is_array(),
    };
    if !fits {
        let expected = match (ty, target.format.as_deref()) {
            (SchemaType::Integer, Some("int64")) => "an int64 integer".to_owned(),
            (SchemaType::Integer, _) => "an int32 integer".to_owned(),
            (other, _) => format!("a {}", type_word(other)),
        };
        problems.push(format!("{at} is {value}, expected {expected}"));
        return;
    }
    if let Some(values) = &target.enum_values {
        // Numbers by value: `1` and `1.0` are one number (the generated enums match so).
        let same = |allowed: &Value| match (allowed.as_f64(), value.as_f64()) {
            (Some(a), Some(b)) if allowed.is_f64() || value.is_f64() => a == b,
            _ => allowed == value,
        };
        if !values.iter().any(|allowed| same(&allowed.value)) {
            let allowed: Vec<String> = values.iter().map(|v| v.value.to_string()).collect();
            problems.push(format!(
                "{at} is {value}, not one of the enum values {}",
                allowed.join(", ")
            ));
        }
    }
    match (ty, value) {
        (SchemaType::Object, Value::Object(members)) => {
            if request {
                for name in &target.required {
                    match members.get(name) {
                        None => {
                            problems.push(format!("{at} lacks `{name}`, which the schema requires"))
                        }
                        // A required request field is a plain value in Rust, never `None`.
                        Some(Value::Null) => problems.push(format!(
                            "{at}.{name} is null, but a required request field needs a value"
                        )),
                        Some(_) => {}
                    }
                }
            }
            for (key, member) in members {
                match target.properties.get(key) {
                    Some(property) => match_value(
                        member,
                        property,
                        &format!("{at}.{key}"),
                        scope,
                        problems,
                        depth + 1,
                        request,
                    ),
                    None if target.properties.is_empty() => {}
                    None => problems.push(format!(
                        "{at} has `{key}`, which the schema does not define"
                    )),
                }
            }
        }
        (SchemaType::Map, Value::Object(members)) => {
            if let Some(values) = &target.values {
                for (key, member) in members {
                    match_value(
                        member,
                        values,
                        &format!("{at}.{key}"),
                        scope,
                        problems,
                        depth + 1,
                        request,
                    );
                }
            }
        }
        (SchemaType::Array, Value::Array(items)) => {
            if let Some(item_schema) = &target.items {
                for (index, item) in items.iter().enumerate() {
                    match_value(
                        item,
                        item_schema,
                        &format!("{at}[{index}]"),
                        scope,
                        problems,
                        depth + 1,
                        request,
                    );
                }
            }
        }
        _ => {}
    }
}
