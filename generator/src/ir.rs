//! The resolved model: every spec turned into Rust names and types, ready to emit.
//!
//! Resolution assumes [`crate::validate`] passed; where it meets something validation should
//! have refused it falls back to a harmless type instead of panicking.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::Value;

use crate::names::{self, UniqueNames};
use crate::spec::load::{ServiceDir, SpecSet};
use crate::spec::model::{
    IamAction, Location, Method, OperationFile, ParameterSource, Schema, SchemaType, Source,
};
use crate::spec::scope::Scope;

#[derive(Debug, Clone)]
pub struct CrateModel {
    pub name: String,
    pub lib_name: String,
    pub version: String,
    pub description: String,
    pub services: Vec<Service>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub module: String,
    pub client_type: String,
    pub title: String,
    pub endpoint: String,
    pub spec_file: String,
    pub shared_types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub name: String,
    pub module: String,
    pub method_fn: String,
    pub request_type: String,
    pub builder_type: String,
    pub response_type: String,
    pub error_type: String,
    pub title: String,
    pub description: String,
    pub constraints: Option<String>,
    pub source: Source,
    pub authorization: Vec<IamAction>,
    pub http_method: Method,
    pub path: String,
    pub retry_safe: bool,
    pub params: Vec<Param>,
    /// Parameters the client supplies (project ID, token): documented, never arguments.
    pub implicit_params: Vec<ImplicitParam>,
    pub project_id_length: Option<(u64, u64)>,
    pub body: Option<RequestBody>,
    pub success_status: u16,
    pub success_body: Option<TypeRef>,
    pub error_statuses: Vec<u16>,
    pub error_body: Option<TypeRef>,
    pub responses: Vec<ResponseDoc>,
    pub local_types: Vec<TypeDef>,
    pub request_example: Option<String>,
    pub notes: Vec<String>,
    pub spec_file: String,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire_name: String,
    pub location: Location,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Vec<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct ImplicitParam {
    pub wire_name: String,
    pub location: Location,
    pub source: ParameterSource,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Vec<String>,
    pub example: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ResponseDoc {
    pub status: u16,
    pub description: Option<String>,
    pub ty: Option<TypeRef>,
    pub example: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    String,
    I32,
    I64,
    F32,
    F64,
    Bool,
    /// An object the page gives no fields for: any JSON.
    Json,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// A field that leads back to its own struct: boxed so the type has a size.
    Boxed(Box<TypeRef>),
    /// A type defined in the operation's own module.
    Local(String),
    /// A type defined in the service's `models` module.
    Shared(String),
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Vec<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Vec<Field>),
    StringEnum(Vec<Variant>),
    IntEnum { variants: Vec<Variant>, wide: bool },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    /// Only request bodies have required fields; response fields are always optional.
    pub required: bool,
    pub doc: Vec<String>,
    /// Markdown linking an enum-typed field to its type, where the values are documented.
    pub values_link: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub value: Value,
    pub doc: Option<String>,
}

/// Resolves a validated spec set.
pub fn resolve(specs: &SpecSet) -> CrateModel {
    let krate = &specs.krate.content;
    let mut services: Vec<Service> = crate::parallel::map(&specs.services, resolve_service);
    services.sort_by(|a, b| a.module.cmp(&b.module));
    CrateModel {
        name: krate.name.clone(),
        lib_name: krate.name.replace('-', "_"),
        version: krate.version.clone(),
        description: krate.description.clone(),
        services,
    }
}

fn resolve_service(dir: &ServiceDir) -> Service {
    let content = &dir.service.content;
    let module = names::module_name(&content.service, names::RESERVED_SERVICE_MODULES);
    let no_schemas = IndexMap::new();
    let mut shared = TypeScope::new(&content.schemas, &no_schemas, true, &[]);
    shared.declare_named();
    let shared_names = shared.own_names.clone();

    let mut operations: Vec<Operation> = dir
        .operations
        .iter()
        .map(|file| {
            resolve_operation(
                &file.content,
                &file.relative,
                &content.schemas,
                &shared_names,
            )
        })
        .collect();
    operations.sort_by(|a, b| a.module.cmp(&b.module));

    // A shared type that any response reaches keeps all fields optional.
    let mut response_reachable = BTreeSet::new();
    for operation in &operations {
        for ty in operation.response_shared_types() {
            shared.reachable(&TypeRef::Local(ty), &mut response_reachable);
        }
    }
    let shared_types = shared.finish(&response_reachable);

    Service {
        id: content.service.clone(),
        client_type: names::camel(&content.service),
        module,
        title: content.title.clone(),
        endpoint: content.endpoint.clone(),
        spec_file: dir.service.relative.clone(),
        shared_types,
        operations,
    }
}

fn resolve_operation(
    op: &OperationFile,
    spec_file: &str,
    shared_schemas: &IndexMap<String, Schema>,
    shared_names: &BTreeMap<String, String>,
) -> Operation {
    let name = op.operation.clone();
    let module = names::module_name(&name, names::RESERVED_OPERATION_MODULES);
    let request_type = format!("{name}Request");
    let builder_type = format!("{name}Builder");
    let response_type = format!("{name}Response");
    let error_type = format!("{name}Error");
    let reserved = [
        request_type.as_str(),
        builder_type.as_str(),
        error_type.as_str(),
        response_type.as_str(),
        "OPERATION",
    ];
    let mut scope = TypeScope::new(&op.schemas, shared_schemas, false, &reserved);
    scope.shared_names = shared_names.clone();
    scope.declare_named();

    let mut params = Vec::new();
    let mut implicit_params = Vec::new();
    let mut project_id_length = None;
    // Setter names must not collide with the builder's own methods.
    let mut param_names =
        UniqueNames::with_reserved(&["new", "send", "request", "into_request", "body"]);
    for parameter in &op.parameters {
        if let Some(source) = parameter.source {
            if source == ParameterSource::Config {
                if let (Some(min), Some(max)) =
                    (parameter.schema.min_length, parameter.schema.max_length)
                {
                    project_id_length = Some((min, max));
                }
            }
            implicit_params.push(ImplicitParam {
                wire_name: parameter.name.clone(),
                location: parameter.location,
                source,
                description: parameter.description.clone(),
            });
            continue;
        }
        let rust_name = param_names.claim(names::snake(&parameter.name));
        let ty = scope.type_of(
            &parameter.schema,
            &names::camel(&parameter.name),
            &request_type,
        );
        let target = scope.resolve(&parameter.schema);
        let mut doc = paragraphs(parameter.description.as_deref());
        doc.extend(range_doc(target));
        if let Some(default) = &parameter.default {
            doc.push(format!("Default: `{default}`."));
        }
        if let Some(note) = &parameter.note {
            doc.push(format!("Note: {note}"));
        }
        params.push(Param {
            wire_name: parameter.name.clone(),
            location: parameter.location,
            rust_name,
            ty,
            required: parameter.required,
            doc,
            min_length: target.and_then(|s| s.min_length),
            max_length: target.and_then(|s| s.max_length),
            minimum: target.and_then(|s| s.minimum),
            maximum: target.and_then(|s| s.maximum),
        });
    }

    let body = op.body.as_ref().map(|body| {
        let ty = scope.type_of_with_doc(
            &body.schema,
            &format!("{name}RequestBody"),
            &request_type,
            format!("The request body of {name}."),
        );
        RequestBody {
            ty,
            required: body.required,
            doc: {
                let doc = paragraphs(body.description.as_deref());
                if doc.is_empty() {
                    vec!["The request body.".to_owned()]
                } else {
                    doc
                }
            },
            example: body.example.clone(),
        }
    });

    let mut responses = Vec::new();
    let mut success_status = 200;
    let mut success_body = None;
    let mut error_statuses = Vec::new();
    let mut error_body = None;
    for (status, response) in &op.responses {
        let Ok(code) = status.parse::<u16>() else {
            continue;
        };
        let success = (200..300).contains(&code);
        let ty = response.schema.as_ref().map(|schema| {
            let (hint, fallback) = if success {
                (
                    response_type.clone(),
                    format!("The body of a successful ({code}) {name} response."),
                )
            } else {
                (
                    format!("{name}ErrorBody"),
                    format!("The body of a {name} error response."),
                )
            };
            if success {
                scope.type_of_reserved(schema, &hint, fallback)
            } else {
                scope.type_of_with_doc(schema, &hint, &name, fallback)
            }
        });
        if success {
            success_status = code;
            success_body = ty.clone();
        } else if let Some(ty) = &ty {
            error_statuses.push(code);
            error_body.get_or_insert_with(|| ty.clone());
        }
        responses.push(ResponseDoc {
            status: code,
            description: response.description.clone(),
            ty,
            example: response.example.clone(),
        });
    }
    error_statuses.sort_unstable();

    // Types a response reaches keep every field optional, even if a request also uses them.
    let mut response_reachable: BTreeSet<String> = BTreeSet::new();
    for response in &responses {
        if let Some(ty) = &response.ty {
            scope.reachable(ty, &mut response_reachable);
        }
    }
    let local_types = scope.finish(&response_reachable);

    Operation {
        module,
        method_fn: names::snake(&name),
        request_type,
        builder_type,
        response_type,
        error_type,
        name,
        title: op.title.clone(),
        description: op.description.clone(),
        constraints: op.constraints.clone(),
        source: op.source.clone(),
        authorization: op.authorization.clone(),
        http_method: op.method,
        path: op.path.clone(),
        retry_safe: op.retry_safe,
        params,
        implicit_params,
        project_id_length,
        body,
        success_status,
        success_body,
        error_statuses,
        error_body,
        responses,
        local_types,
        request_example: op.request_example.clone(),
        notes: op.notes.clone(),
        spec_file: spec_file.to_owned(),
    }
}

impl Operation {
    /// Shared (service-level) types that this operation's responses reach.
    fn response_shared_types(&self) -> BTreeSet<String> {
        fn walk(
            ty: &TypeRef,
            locals: &[TypeDef],
            seen: &mut BTreeSet<String>,
            out: &mut BTreeSet<String>,
        ) {
            match ty {
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                    walk(inner, locals, seen, out)
                }
                TypeRef::Shared(name) => {
                    out.insert(name.clone());
                }
                TypeRef::Local(name) => {
                    if !seen.insert(name.clone()) {
                        return;
                    }
                    if let Some(TypeDef {
                        kind: TypeKind::Struct(fields),
                        ..
                    }) = locals.iter().find(|t| &t.name == name)
                    {
                        for field in fields {
                            walk(&field.ty, locals, seen, out);
                        }
                    }
                }
                _ => {}
            }
        }
        let mut seen = BTreeSet::new();
        let mut out = BTreeSet::new();
        for response in &self.responses {
            if let Some(ty) = &response.ty {
                walk(ty, &self.local_types, &mut seen, &mut out);
            }
        }
        out
    }
}

/// An intra-doc link to the named type inside `ty`, as seen from an operation module.
fn type_link(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Local(name) => Some(format!("[`{name}`]")),
        TypeRef::Shared(name) => Some(format!("[`{name}`](super::models::{name})")),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => type_link(inner),
        _ => None,
    }
}

/// Splits a description into paragraphs (blank-line separated), each on one line.
pub fn paragraphs(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else { return Vec::new() };
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

fn range_doc(schema: Option<&Schema>) -> Vec<String> {
    let Some(schema) = schema else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match (schema.min_length, schema.max_length) {
        (Some(min), Some(max)) => out.push(format!("Length: {min} to {max} characters.")),
        (Some(min), None) => out.push(format!("Length: at least {min} characters.")),
        (None, Some(max)) => out.push(format!("Length: at most {max} characters.")),
        (None, None) => {}
    }
    match (schema.minimum, schema.maximum) {
        (Some(min), Some(max)) => out.push(format!("Range: {min} to {max}.")),
        (Some(min), None) => out.push(format!("Minimum: {min}.")),
        (None, Some(max)) => out.push(format!("Maximum: {max}.")),
        (None, None) => {}
    }
    out
}

/// Names and collects the types of one module (an operation's, or a service's `models`).
struct TypeScope<'a> {
    /// Named schemas defined in this module.
    own: &'a IndexMap<String, Schema>,
    /// The Rust name each of `own` got (numbered when it collided with a generated name).
    own_names: BTreeMap<String, String>,
    /// The Rust names of the service's shared schemas.
    shared_names: BTreeMap<String, String>,
    /// Named schemas of the service (for an operation; empty for the service itself).
    shared: &'a IndexMap<String, Schema>,
    is_shared_module: bool,
    names: UniqueNames,
    types: Vec<TypeDef>,
}

impl<'a> TypeScope<'a> {
    fn new(
        own: &'a IndexMap<String, Schema>,
        shared: &'a IndexMap<String, Schema>,
        is_shared_module: bool,
        reserved: &[&str],
    ) -> Self {
        TypeScope {
            own,
            own_names: BTreeMap::new(),
            shared_names: BTreeMap::new(),
            shared,
            is_shared_module,
            names: UniqueNames::with_reserved(reserved),
            types: Vec::new(),
        }
    }

    /// Claims the named schemas' names first, so inline types never take them.
    fn declare_named(&mut self) {
        let mut declared = Vec::new();
        for name in self.own.keys() {
            let rust = self.names.claim(names::type_name(name));
            self.own_names.insert(name.clone(), rust.clone());
            declared.push((name.clone(), rust));
        }
        for (name, rust) in declared {
            if let Some(schema) = self.own.get(&name) {
                self.define(&rust, schema, format!("The `{name}` schema."));
            }
        }
    }

    fn resolve(&self, schema: &'a Schema) -> Option<&'a Schema> {
        Scope {
            local: self.own,
            shared: self.shared,
        }
        .resolve(schema)
    }

    fn reference(&self, name: &str) -> TypeRef {
        if let Some(rust) = self.own_names.get(name) {
            return TypeRef::Local(rust.clone());
        }
        let rust = self
            .shared_names
            .get(name)
            .cloned()
            .unwrap_or_else(|| names::type_name(name));
        if self.is_shared_module {
            TypeRef::Local(rust)
        } else {
            TypeRef::Shared(rust)
        }
    }

    /// The Rust type of `schema`, defining inline objects and enums as new types named after
    /// `hint` (or `parent` + `hint` when `hint` is taken).
    fn type_of(&mut self, schema: &Schema, hint: &str, parent: &str) -> TypeRef {
        let fallback = format!("A value of `{parent}`.");
        self.type_of_with_doc(schema, hint, parent, fallback)
    }

    /// Like [`Self::type_of_with_doc`], but a new type takes `reserved_name` itself, which was
    /// kept free for it (the `<Operation>Response` of an inline success body).
    fn type_of_reserved(
        &mut self,
        schema: &Schema,
        reserved_name: &str,
        fallback: String,
    ) -> TypeRef {
        let defines_type = schema.reference.is_none()
            && (schema.enum_values.is_some()
                || (schema.ty == Some(SchemaType::Object) && !schema.properties.is_empty()));
        if !defines_type {
            return self.type_of_with_doc(schema, reserved_name, reserved_name, fallback);
        }
        self.define(reserved_name, schema, fallback);
        TypeRef::Local(reserved_name.to_owned())
    }

    /// [`Self::type_of`] with the doc to use for a new type when the spec has no description.
    fn type_of_with_doc(
        &mut self,
        schema: &Schema,
        hint: &str,
        parent: &str,
        fallback: String,
    ) -> TypeRef {
        if let Some(name) = &schema.reference {
            return self.reference(name);
        }
        let Some(ty) = schema.ty else {
            return TypeRef::Json;
        };
        if schema.enum_values.is_some() && matches!(ty, SchemaType::String | SchemaType::Integer) {
            let name = self.claim_inline(hint, parent);
            self.define(&name, schema, fallback);
            return TypeRef::Local(name);
        }
        match ty {
            SchemaType::String => TypeRef::String,
            SchemaType::Integer => match schema.format.as_deref() {
                Some("int64") => TypeRef::I64,
                _ => TypeRef::I32,
            },
            SchemaType::Number => match schema.format.as_deref() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaType::Boolean => TypeRef::Bool,
            SchemaType::Object if schema.properties.is_empty() => TypeRef::Json,
            SchemaType::Object => {
                let name = self.claim_inline(hint, parent);
                self.define(&name, schema, fallback);
                TypeRef::Local(name)
            }
            SchemaType::Array => {
                let item = match &schema.items {
                    Some(items) => self.type_of_with_doc(
                        items,
                        &names::singular(&names::camel(hint)),
                        parent,
                        fallback,
                    ),
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            SchemaType::Map => {
                let value = match &schema.values {
                    Some(values) => self.type_of_with_doc(values, hint, parent, fallback),
                    None => TypeRef::Json,
                };
                TypeRef::Map(Box::new(value))
            }
        }
    }

    fn claim_inline(&mut self, hint: &str, parent: &str) -> String {
        let preferred = names::type_name(hint);
        if self.names.is_free(&preferred) {
            return self.names.claim(preferred);
        }
        let qualified = names::type_name(&format!("{parent}{preferred}"));
        self.names.claim(qualified)
    }

    /// Defines a type for an object or enum schema under an already claimed name.
    fn define(&mut self, name: &str, schema: &Schema, fallback: String) {
        let mut doc = paragraphs(schema.description.as_deref());
        if doc.is_empty() {
            doc.push(fallback);
        }
        if let Some(note) = &schema.note {
            doc.push(format!("Note: {note}"));
        }
        let kind = if let Some(values) = &schema.enum_values {
            let mut variant_names = UniqueNames::with_reserved(&["Unknown"]);
            let variants = values
                .iter()
                .map(|value| {
                    let wanted = match (&value.name, &value.value) {
                        (Some(name), _) => name.clone(),
                        (None, Value::String(text)) => names::camel(text),
                        (None, other) => match other.as_i64() {
                            Some(number) if number < 0 => format!("Minus{}", number.unsigned_abs()),
                            _ => names::camel(&other.to_string()),
                        },
                    };
                    Variant {
                        name: variant_names.claim(wanted),
                        value: value.value.clone(),
                        doc: value.description.clone(),
                    }
                })
                .collect();
            if schema.ty == Some(SchemaType::Integer) {
                TypeKind::IntEnum {
                    variants,
                    wide: schema.format.as_deref() == Some("int64"),
                }
            } else {
                TypeKind::StringEnum(variants)
            }
        } else {
            let mut field_names = UniqueNames::default();
            let required: BTreeSet<&String> = schema.required.iter().collect();
            let mut fields = Vec::new();
            for (wire_name, property) in &schema.properties {
                let rust_name = field_names.claim(names::snake(wire_name));
                let fallback = format!("The `{wire_name}` of [`{name}`].");
                let ty = self.type_of_with_doc(property, &names::camel(wire_name), name, fallback);
                let mut doc = paragraphs(property.description.as_deref());
                if doc.is_empty() {
                    doc.push(format!("`{wire_name}`."));
                }
                let target = self.resolve(property);
                let values_link = target
                    .filter(|t| t.enum_values.is_some())
                    .and_then(|_| type_link(&ty))
                    .map(|link| format!("The values and their meanings: {link}."));
                doc.extend(range_doc(target));
                if let Some(default) = &property.default {
                    doc.push(format!("Default: `{default}`."));
                }
                if let Some(note) = &property.note {
                    doc.push(format!("Note: {note}"));
                }
                fields.push(Field {
                    wire_name: wire_name.clone(),
                    rust_name,
                    ty,
                    required: required.contains(wire_name),
                    doc,
                    values_link,
                });
            }
            TypeKind::Struct(fields)
        };
        self.types.push(TypeDef {
            name: name.to_owned(),
            doc,
            kind,
        });
    }

    /// Adds every local type `ty` reaches to `out`.
    fn reachable(&self, ty: &TypeRef, out: &mut BTreeSet<String>) {
        match ty {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                self.reachable(inner, out)
            }
            TypeRef::Local(name) => {
                if !out.insert(name.clone()) {
                    return;
                }
                if let Some(TypeDef {
                    kind: TypeKind::Struct(fields),
                    ..
                }) = self.types.iter().find(|t| &t.name == name)
                {
                    for field in fields {
                        self.reachable(&field.ty, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// The module's types in definition order, response-reachable ones with all fields optional.
    fn finish(mut self, response_reachable: &BTreeSet<String>) -> Vec<TypeDef> {
        box_recursive_fields(&mut self.types);
        for def in &mut self.types {
            if let TypeKind::Struct(fields) = &mut def.kind {
                if response_reachable.contains(&def.name) {
                    for field in fields {
                        field.required = false;
                    }
                }
            }
        }
        self.types
    }
}

/// Boxes every struct field that leads back to its own struct without passing through a
/// `Vec` or map (which already give the type a size): `struct Node { parent: Option<Node> }`
/// would otherwise be infinitely large.
fn box_recursive_fields(types: &mut [TypeDef]) {
    fn direct_edges(def: &TypeDef) -> Vec<&str> {
        match &def.kind {
            TypeKind::Struct(fields) => fields
                .iter()
                .filter_map(|f| match &f.ty {
                    TypeRef::Local(name) => Some(name.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
    fn reaches(types: &[TypeDef], from: &str, target: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut pending = vec![from.to_owned()];
        while let Some(current) = pending.pop() {
            if current == target {
                return true;
            }
            if !seen.insert(current.clone()) {
                continue;
            }
            if let Some(def) = types.iter().find(|t| t.name == current) {
                pending.extend(direct_edges(def).into_iter().map(str::to_owned));
            }
        }
        false
    }
    let mut to_box: Vec<(usize, usize)> = Vec::new();
    for (type_index, def) in types.iter().enumerate() {
        if let TypeKind::Struct(fields) = &def.kind {
            for (field_index, field) in fields.iter().enumerate() {
                if let TypeRef::Local(target) = &field.ty {
                    if reaches(types, target, &def.name) {
                        to_box.push((type_index, field_index));
                    }
                }
            }
        }
    }
    for (type_index, field_index) in to_box {
        if let Some(TypeDef {
            kind: TypeKind::Struct(fields),
            ..
        }) = types.get_mut(type_index)
        {
            if let Some(field) = fields.get_mut(field_index) {
                field.ty = TypeRef::Boxed(Box::new(field.ty.clone()));
            }
        }
    }
}
