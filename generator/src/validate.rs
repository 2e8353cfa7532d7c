//! Checks that serde cannot make: references resolve, path and parameters agree, names are
//! unique, and every example matches its schema. Reports every problem with its position.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::Value;

use crate::diagnostic::Diagnostics;
use crate::names;
use crate::spec::load::{SourceFile, SpecSet};
use crate::spec::locate::Segment;
use crate::spec::model::{Location, OperationFile, ParameterSource, Schema, SchemaType};
use crate::spec::scope::Scope;
use crate::template::PathTemplate;

/// Headers the client sets itself; a spec cannot make them per-call arguments.
const RUNTIME_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "x-sdk-date",
    "x-auth-token",
    "x-security-token",
    "x-project-id",
    "content-length",
    "transfer-encoding",
    "content-type",
];

/// Validates the whole spec set.
pub fn validate(specs: &SpecSet) -> Result<(), Diagnostics> {
    let mut report = Diagnostics::default();
    check_crate(specs, &mut report);
    let mut operation_names = BTreeMap::new();
    for service_dir in &specs.services {
        let service = &service_dir.service;
        let mut at = Reporter::new(service, &mut report);
        check_service(service_dir.folder.as_str(), service, &mut at);
        for operation in &service_dir.operations {
            let mut at = Reporter::new(operation, &mut report);
            let content = &operation.content;
            // Positions are looked up only for an error (finding them indexes the file).
            if let Some(first) = operation_names.insert(content.operation.as_str(), operation) {
                let place = format!(
                    "{}:{}",
                    first.display,
                    first.position(&["operation".into()]).line
                );
                at.error(
                    &["operation".into()],
                    format!(
                        "duplicate operation name `{}`: already defined at {place}",
                        content.operation
                    ),
                );
            }
            check_operation(operation, &service.content.schemas, &mut at);
        }
    }
    report.into_result(())
}

/// Reports against one file, at the position of a YAML path.
struct Reporter<'a, T> {
    file: &'a SourceFile<T>,
    report: &'a mut Diagnostics,
}

impl<'a, T> Reporter<'a, T> {
    fn new(file: &'a SourceFile<T>, report: &'a mut Diagnostics) -> Self {
        Reporter { file, report }
    }

    fn error(&mut self, path: &[Segment], message: impl Into<String>) {
        let position = self.file.position(path);
        self.report.push(&self.file.display, position, message);
    }
}

fn join(path: &[Segment], more: &[Segment]) -> Vec<Segment> {
    path.iter().chain(more).cloned().collect()
}

fn check_crate(specs: &SpecSet, report: &mut Diagnostics) {
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
    if !content.endpoint.contains("{region}") || content.endpoint.contains("://") {
        at.error(
            &["endpoint".into()],
            format!(
                "endpoint `{}` must be a host pattern containing `{{region}}`, without a scheme",
                content.endpoint
            ),
        );
    }
    let scope = Scope {
        local: &IndexMap::new(),
        shared: &content.schemas,
    };
    let mut type_names: BTreeMap<String, String> = BTreeMap::new();
    for (name, schema) in &content.schemas {
        let path = vec![Segment::from("schemas"), Segment::from(name.as_str())];
        check_schema_name(name, &path, &mut type_names, at);
        check_schema(schema, &path, &scope, at);
    }
}

fn check_schema_name<T>(
    name: &str,
    path: &[Segment],
    seen: &mut BTreeMap<String, String>,
    at: &mut Reporter<'_, T>,
) {
    let rust = names::type_name(name);
    if let Some(other) = seen.insert(rust.clone(), name.to_owned()) {
        at.error(
            path,
            format!("schemas `{other}` and `{name}` both become the Rust type `{rust}`"),
        );
    }
}

fn check_operation(
    file: &SourceFile<OperationFile>,
    shared: &IndexMap<String, Schema>,
    at: &mut Reporter<'_, OperationFile>,
) {
    let op = &file.content;
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
    let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
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
            && RUNTIME_HEADERS.contains(&lower.as_str())
            && !auth_header
        {
            at.error(
                &join(&path, &["name".into()]),
                format!(
                    "header `{}` is set by the client itself (signing, credentials, project ID); \
                     document X-Auth-Token with `source: auth` and leave the others out",
                    parameter.name
                ),
            );
        }
        match parameter.source {
            Some(ParameterSource::Config)
                if !(parameter.name == "project_id" && parameter.location == Location::Path) =>
            {
                at.error(
                    &join(&path, &["source".into()]),
                    "`source: config` is only for the `project_id` path parameter",
                )
            }
            Some(ParameterSource::Auth) if parameter.location != Location::Header => at.error(
                &join(&path, &["source".into()]),
                "`source: auth` is only for header parameters (X-Auth-Token)",
            ),
            None => {
                let rust = names::snake(&parameter.name);
                if let Some(other) = rust_names.insert(rust.clone(), parameter.name.clone()) {
                    at.error(
                        &join(&path, &["name".into()]),
                        format!(
                            "parameters `{other}` and `{}` both become the Rust argument `{rust}`",
                            parameter.name
                        ),
                    );
                }
            }
            _ => {}
        }
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

    if let Some(body) = &op.body {
        let path = vec![Segment::from("body")];
        check_schema(&body.schema, &join(&path, &["schema".into()]), &scope, at);
        if let Some(example) = &body.example {
            check_example(
                example,
                &body.schema,
                &join(&path, &["example".into()]),
                &scope,
                at,
            );
        }
    }

    let mut successes = Vec::new();
    let mut error_bodies: Vec<(String, String)> = Vec::new();
    for (status, response) in &op.responses {
        let path = vec![Segment::from("responses"), Segment::from(status.as_str())];
        let code = status
            .parse::<u16>()
            .ok()
            .filter(|c| (100..=599).contains(c));
        let Some(code) = code else {
            at.error(
                &path,
                format!("status `{status}` must be a number from 100 to 599"),
            );
            continue;
        };
        if (200..300).contains(&code) {
            successes.push(status.clone());
        }
        if let Some(schema) = &response.schema {
            check_schema(schema, &join(&path, &["schema".into()]), &scope, at);
            if !(200..300).contains(&code) {
                let shape = match &schema.reference {
                    Some(name) => format!("$ref {name}"),
                    None => "an inline schema".to_owned(),
                };
                error_bodies.push((status.clone(), shape));
            }
        }
        if let Some(example) = &response.example {
            match &response.schema {
                Some(schema) => check_example(
                    example,
                    schema,
                    &join(&path, &["example".into()]),
                    &scope,
                    at,
                ),
                None => at.error(
                    &join(&path, &["example".into()]),
                    "an example needs a `schema` to check it against",
                ),
            }
        }
    }
    match successes.len() {
        1 => {}
        0 => at.error(
            &["responses".into()],
            "no success (2xx) response is documented",
        ),
        _ => at.error(
            &["responses".into()],
            format!(
                "more than one success response ({}): document exactly one 2xx status",
                successes.join(", ")
            ),
        ),
    }
    let shapes: BTreeSet<&str> = error_bodies
        .iter()
        .map(|(_, shape)| shape.as_str())
        .collect();
    if shapes.len() > 1 || (error_bodies.len() > 1 && shapes.contains("an inline schema")) {
        let listed: Vec<String> = error_bodies
            .iter()
            .map(|(s, shape)| format!("{s}: {shape}"))
            .collect();
        at.error(
            &["responses".into()],
            format!(
                "error responses of one operation must share one named schema ($ref), found {}",
                listed.join(", ")
            ),
        );
    }

    let mut type_names: BTreeMap<String, String> = BTreeMap::new();
    for (name, schema) in &op.schemas {
        let path = vec![Segment::from("schemas"), Segment::from(name.as_str())];
        check_schema_name(name, &path, &mut type_names, at);
        check_schema(schema, &path, &scope, at);
    }
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
        let structural = schema.ty.is_some()
            || schema.format.is_some()
            || schema.enum_values.is_some()
            || !schema.properties.is_empty()
            || schema.items.is_some()
            || schema.values.is_some();
        if structural {
            at.error(
                path,
                "a `$ref` schema may only add `description`, `nullable` and `note`",
            );
        }
        return;
    }
    let Some(ty) = schema.ty else {
        at.error(path, "a schema needs `type` or `$ref`");
        return;
    };
    if let Some(format) = &schema.format {
        let ok = matches!(
            (ty, format.as_str()),
            (SchemaType::Integer, "int32" | "int64") | (SchemaType::Number, "float" | "double")
        );
        if !ok {
            at.error(
                &join(path, &["format".into()]),
                format!("format `{format}` does not fit type `{}` (integer: int32 or int64; number: float or double)", type_word(ty)),
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
            _ => false,
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
                    "enum value {} does not fit `type: {}` (enums are over strings or integers)",
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

fn check_example<T>(
    example: &str,
    schema: &Schema,
    path: &[Segment],
    scope: &Scope<'_>,
    at: &mut Reporter<'_, T>,
) {
    match serde_json::from_str::<Value>(example) {
        Err(error) => at.error(
            path,
            format!(
                "the example is not valid JSON: {error} (line {} column {} of the example)",
                error.line(),
                error.column()
            ),
        ),
        Ok(value) => check_value(&value, schema, path, "example", scope, at),
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
    match_value(value, schema, "$", scope, &mut problems, 0);
    for problem in problems {
        at.error(
            path,
            format!("the {what} does not match its schema: {problem}"),
        );
    }
}

fn match_value(
    value: &Value,
    schema: &Schema,
    at: &str,
    scope: &Scope<'_>,
    problems: &mut Vec<String>,
    depth: usize,
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
        if !values.iter().any(|allowed| &allowed.value == value) {
            let allowed: Vec<String> = values.iter().map(|v| v.value.to_string()).collect();
            problems.push(format!(
                "{at} is {value}, not one of the enum values {}",
                allowed.join(", ")
            ));
        }
    }
    match (ty, value) {
        (SchemaType::Object, Value::Object(members)) => {
            for (key, member) in members {
                match target.properties.get(key) {
                    Some(property) => match_value(
                        member,
                        property,
                        &format!("{at}.{key}"),
                        scope,
                        problems,
                        depth + 1,
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
                    );
                }
            }
        }
        _ => {}
    }
}
