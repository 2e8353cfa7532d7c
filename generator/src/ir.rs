//! The resolved model: every spec turned into Rust names and types, ready to emit.
//!
//! Resolution assumes [`crate::validate`] passed; where it meets something validation should
//! have refused it falls back to a harmless type instead of panicking.

mod hoist;
mod paging;

pub use paging::{Paging, PagingParam};

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::Value;

use crate::names::{self, UniqueNames};
use crate::spec::load::{ServiceDir, SpecSet};
use crate::spec::model::{
    BodyEncoding, IamAction, Location, Method, OperationFile, ParameterSource, ResponseEncoding,
    Schema, SchemaType, Source,
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
    /// The operation's own host pattern, when it is not on its service's endpoint.
    pub host: Option<String>,
    pub retry_safe: bool,
    pub params: Vec<Param>,
    /// Parameters the client supplies (project ID, token): documented, never arguments.
    pub implicit_params: Vec<ImplicitParam>,
    pub project_id_length: Option<(u64, u64)>,
    pub body: Option<RequestBody>,
    /// The first documented 2xx status.
    pub success_status: u16,
    /// Every documented 2xx status, in order.
    pub success_statuses: Vec<u16>,
    /// How a 2xx response body is decoded.
    pub success: Success,
    /// The type named `<Operation>Response` (a struct, an enum over statuses, or what an
    /// alias of that name points to), when there is one.
    pub success_body: Option<TypeRef>,
    /// The documented headers of the 2xx responses, decoded into `<Operation>ResponseHeaders`.
    pub response_headers: Vec<HeaderField>,
    pub headers_type: String,
    /// Statuses whose (JSON) error body is decoded into the typed error body.
    pub error_statuses: Vec<u16>,
    /// A `default` response with a body is documented: every non-2xx status decodes it.
    pub default_error: bool,
    pub errors: ErrorBodies,
    /// The name of the enum of error bodies by status, when `errors` is `ByStatus`.
    pub error_body_type: String,
    pub responses: Vec<ResponseDoc>,
    pub local_types: Vec<TypeDef>,
    /// Types this operation defines exactly as other operations of its service do: they are
    /// defined once in `models` (see `ir/hoist.rs`) and imported by name.
    pub imported_types: Vec<String>,
    pub request_example: Option<String>,
    pub notes: Vec<String>,
    pub spec_file: String,
    /// The spec's own `pagination`, if it states one.
    pub pagination_spec: Option<crate::spec::model::Pagination>,
    /// How the operation pages, stated or detected (set once the service's types are known).
    pub pagination: Option<Paging>,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire_name: String,
    pub location: Location,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Vec<String>,
    /// What the value is (an array parameter's: what each item is), for the checks before
    /// sending. The ranges below are only set where they can be checked on such a value:
    /// lengths on strings and string enums, `minimum`/`maximum` on numbers.
    pub value_kind: ValueKind,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    /// Documented bounds on the number of items of an array parameter.
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

/// What a parameter value is, as far as the checks before sending care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A `String`: a length is its number of characters.
    String,
    /// A string enum: a length is that of its wire value (`as_str()`).
    StringEnum,
    /// `i32` or `i64`.
    Integer,
    /// An integer enum (of `i64` when `wide`): a range applies to its wire value (`value()`).
    IntegerEnum { wide: bool },
    /// `f32` or `f64`.
    Number,
    /// A number enum: a range applies to its wire value (`value()`).
    NumberEnum,
    /// A boolean or anything else nothing is checked on.
    Other,
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
    pub kind: BodyKind,
    pub required: bool,
    pub doc: Vec<String>,
    pub example: Option<String>,
    /// The spec's `Content-Type` when it is not the encoding's usual one.
    pub content_type: Option<String>,
    /// Why the example contradicts the schema; a noted example is not tested.
    pub example_note: Option<String>,
}

/// How a request body is typed and sent.
#[derive(Debug, Clone)]
pub enum BodyKind {
    /// JSON: the schema's type, serialized.
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`: an object of scalars.
    Form(TypeRef),
    /// `multipart/form-data`: a generated struct whose fields are the parts.
    Multipart(MultipartBody),
    /// Raw bytes.
    Binary,
    /// A string.
    Text,
}

#[derive(Debug, Clone)]
pub struct MultipartBody {
    pub type_name: String,
    pub doc: Vec<String>,
    pub parts: Vec<MultipartPart>,
}

#[derive(Debug, Clone)]
pub struct MultipartPart {
    pub wire_name: String,
    pub rust_name: String,
    pub kind: PartKind,
    pub required: bool,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A value sent as text (arrays as one part per item).
    Value(TypeRef),
    /// A file (`type: string, format: binary`).
    File,
    /// Several files under one name (an array of binary strings).
    Files,
}

/// How the body of a 2xx response is decoded.
#[derive(Debug, Clone)]
pub enum Success {
    /// No documented body.
    Empty,
    /// One JSON body for every 2xx status (`<Operation>Response`).
    Json(TypeRef),
    /// A text body for every 2xx status.
    Text,
    /// A binary body: a streamed download.
    Stream,
    /// Bodies that differ by status: `<Operation>Response` is an enum over them.
    ByStatus(Vec<SuccessVariant>),
}

#[derive(Debug, Clone)]
pub struct SuccessVariant {
    pub status: u16,
    pub body: Option<VariantBody>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum VariantBody {
    Json(TypeRef),
    Text,
}

/// The typed error body.
#[derive(Debug, Clone)]
pub enum ErrorBodies {
    /// No documented (JSON) error body.
    None,
    /// Every documented error status (and `default`) has this body.
    Single(TypeRef),
    /// Bodies that differ by status: an enum `<Operation>ErrorBody`.
    ByStatus(Vec<ErrorVariant>),
}

#[derive(Debug, Clone)]
pub struct ErrorVariant {
    /// `None` for the `default` response.
    pub status: Option<u16>,
    pub ty: TypeRef,
    pub description: Option<String>,
}

/// A documented response header, a field of `<Operation>ResponseHeaders`.
#[derive(Debug, Clone)]
pub struct HeaderField {
    pub wire_name: String,
    pub rust_name: String,
    /// A scalar, or a `Vec` of scalars (a comma-separated list).
    pub ty: TypeRef,
    pub doc: Vec<String>,
    /// A credential or session header (`X-Subject-Token`, ...): hidden in `Debug`.
    pub sensitive: bool,
}

#[derive(Debug, Clone)]
pub struct ResponseDoc {
    /// The status as written in the spec: `200`, `default`.
    pub status: String,
    pub description: Option<String>,
    pub encoding: ResponseEncoding,
    pub ty: Option<TypeRef>,
    /// Names of the documented headers.
    pub headers: Vec<String>,
    pub example: Option<String>,
    /// Why the example contradicts the schema; a noted example is not tested.
    pub example_note: Option<String>,
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

impl TypeRef {
    /// The type as Rust spells it, without paths but `shared_prefix` before a shared
    /// (service-level) type's name: `Vec<models::Tag>` with `"models::"`.
    pub fn text(&self, shared_prefix: &str) -> String {
        match self {
            TypeRef::String => "String".into(),
            TypeRef::I32 => "i32".into(),
            TypeRef::I64 => "i64".into(),
            TypeRef::F32 => "f32".into(),
            TypeRef::F64 => "f64".into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::Json => "serde_json::Value".into(),
            TypeRef::Vec(inner) => format!("Vec<{}>", inner.text(shared_prefix)),
            TypeRef::Boxed(inner) => format!("Box<{}>", inner.text(shared_prefix)),
            TypeRef::Map(inner) => format!("BTreeMap<String, {}>", inner.text(shared_prefix)),
            TypeRef::Local(name) => name.clone(),
            TypeRef::Shared(name) => format!("{shared_prefix}{name}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Vec<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Vec<Field>),
    StringEnum(Vec<Variant>),
    IntEnum {
        variants: Vec<Variant>,
        wide: bool,
    },
    /// An enum over `type: number` values (`f64`).
    NumberEnum(Vec<Variant>),
    /// A named schema that is not an object with properties, an enum or a `one_of` (a named
    /// string, number, boolean, array, map, property-less object or `$ref`): `pub type Name =
    /// Target;`, so it encodes, decodes and prints exactly as its target.
    Alias(TypeRef),
    /// A `one_of`: one variant per alternative, most specific first, then `Unknown`.
    OneOf(Vec<Alternative>),
}

impl TypeKind {
    /// The types this one is made of (fields, alias target, alternatives).
    pub fn parts(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::OneOf(alternatives) => alternatives.iter().map(|a| &a.ty).collect(),
            TypeKind::StringEnum(_) | TypeKind::IntEnum { .. } | TypeKind::NumberEnum(_) => {
                Vec::new()
            }
        }
    }

    fn parts_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(fields) => fields.iter_mut().map(|f| &mut f.ty).collect(),
            TypeKind::OneOf(alternatives) => alternatives.iter_mut().map(|a| &mut a.ty).collect(),
            // An alias cannot be boxed (it is not a new type); what leads back through it is.
            TypeKind::Alias(_)
            | TypeKind::StringEnum(_)
            | TypeKind::IntEnum { .. }
            | TypeKind::NumberEnum(_) => Vec::new(),
        }
    }
}

/// One alternative of a `one_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The variant: the `$ref`'d schema's Rust name or the type's (`String`, `Integer`,
    /// `Object`, ...), numbered when two clash.
    pub name: String,
    pub ty: TypeRef,
    pub doc: Vec<String>,
    /// Markdown (not escaped) naming the alternative's type, with a link where it has one.
    pub summary: String,
    /// For an object alternative, its property names: a JSON object is first decoded as the
    /// alternative whose properties it uses, not merely the first that accepts it.
    pub keys: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub value: Value,
    pub doc: Option<String>,
}

/// Resolves a validated spec set, dropping each service's specs as soon as it is resolved, so
/// that the specs and the model are never both whole in memory.
pub fn resolve(specs: SpecSet) -> CrateModel {
    let SpecSet { krate, services } = specs;
    let slots: Vec<std::sync::Mutex<Option<ServiceDir>>> = services
        .into_iter()
        .map(|dir| std::sync::Mutex::new(Some(dir)))
        .collect();
    let services: Vec<Service> = crate::parallel::map(&slots, |slot| {
        let dir = slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        // Each slot is handed to exactly one call.
        dir.map(|dir| resolve_service(&dir))
    })
    .into_iter()
    .flatten()
    .collect();
    crate_model(&krate.content, services)
}

fn crate_model(krate: &crate::spec::model::CrateFile, mut services: Vec<Service>) -> CrateModel {
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
    let shared_names = SharedNames {
        types: shared.own_names.clone(),
        aliases: shared
            .types
            .iter()
            .filter_map(|def| match &def.kind {
                TypeKind::Alias(target) => Some((def.name.clone(), seen_from_operation(target))),
                _ => None,
            })
            .collect(),
    };

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
    let mut shared_types = shared.finish(&response_reachable);
    hoist::hoist_repeated_types(&mut shared_types, &mut operations);
    paging::resolve(&mut operations, &shared_types);

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

/// What an operation needs to know of its service's shared types.
struct SharedNames {
    /// Spec name to Rust name.
    types: BTreeMap<String, String>,
    /// The shared aliases (Rust name) and their targets, as seen from an operation module.
    aliases: BTreeMap<String, TypeRef>,
}

/// A type of the service's `models` module as an operation module sees it.
fn seen_from_operation(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Local(name) => TypeRef::Shared(name.clone()),
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(seen_from_operation(inner))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(seen_from_operation(inner))),
        TypeRef::Boxed(inner) => TypeRef::Boxed(Box::new(seen_from_operation(inner))),
        other => other.clone(),
    }
}

fn resolve_operation(
    op: &OperationFile,
    spec_file: &str,
    shared_schemas: &IndexMap<String, Schema>,
    shared_names: &SharedNames,
) -> Operation {
    let name = op.operation.clone();
    let module = names::module_name(&name, names::RESERVED_OPERATION_MODULES);
    let request_type = format!("{name}Request");
    let builder_type = format!("{name}Builder");
    let response_type = format!("{name}Response");
    let error_type = format!("{name}Error");
    let error_body_type = format!("{name}ErrorBody");
    let headers_type = format!("{name}ResponseHeaders");
    let reserved = [
        request_type.as_str(),
        builder_type.as_str(),
        error_type.as_str(),
        response_type.as_str(),
        error_body_type.as_str(),
        headers_type.as_str(),
        "OPERATION",
    ];
    let mut scope = TypeScope::new(&op.schemas, shared_schemas, false, &reserved);
    scope.shared_names = shared_names.types.clone();
    scope.shared_aliases = shared_names.aliases.clone();
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
        let named = scope.type_of(
            &parameter.schema,
            &names::camel(&parameter.name),
            &request_type,
        );
        // A parameter is passed as what its aliases name (a `WidgetId` alias of `String` is an
        // `impl Into<String>` argument), so that it prints and is checked like that type.
        let ty = scope.dealias(&named);
        let target = scope.resolve(&parameter.schema);
        let is_array = target.is_some_and(|t| t.ty == Some(SchemaType::Array));
        let value = if is_array {
            target
                .and_then(|t| t.items.as_deref())
                .and_then(|items| scope.resolve(items))
        } else {
            target
        };
        let value_kind = value_kind(value);
        let lengths = matches!(value_kind, ValueKind::String | ValueKind::StringEnum);
        let ranges = matches!(
            value_kind,
            ValueKind::Integer
                | ValueKind::IntegerEnum { .. }
                | ValueKind::Number
                | ValueKind::NumberEnum
        );
        let mut doc = paragraphs(parameter.description.as_deref());
        if named != ty {
            if let TypeRef::Local(alias) | TypeRef::Shared(alias) = &named {
                doc.push(format!("A `{alias}`."));
            }
        }
        doc.extend(scope.constraint_doc(target));
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
            value_kind,
            min_length: value.filter(|_| lengths).and_then(|s| s.min_length),
            max_length: value.filter(|_| lengths).and_then(|s| s.max_length),
            minimum: value.filter(|_| ranges).and_then(|s| s.minimum),
            maximum: value.filter(|_| ranges).and_then(|s| s.maximum),
            min_items: target.filter(|_| is_array).and_then(|s| s.min_items),
            max_items: target.filter(|_| is_array).and_then(|s| s.max_items),
        });
    }

    let body = op
        .body
        .as_ref()
        .map(|body| resolve_body(body, &name, &request_type, &mut scope));

    let resolved = resolve_responses(op, &name, &response_type, &headers_type, &mut scope);
    let Responses {
        responses,
        success_statuses,
        success,
        success_body,
        response_headers,
        error_statuses,
        default_error,
        errors,
    } = resolved;
    let success_status = success_statuses.first().copied().unwrap_or(200);

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
        host: op.host.clone(),
        retry_safe: op.retry_safe,
        params,
        implicit_params,
        project_id_length,
        body,
        success_status,
        success_statuses,
        success,
        success_body,
        response_headers,
        headers_type,
        error_statuses,
        default_error,
        errors,
        error_body_type,
        responses,
        local_types,
        imported_types: Vec::new(),
        request_example: op.request_example.clone(),
        notes: op.notes.clone(),
        spec_file: spec_file.to_owned(),
        pagination_spec: op.pagination.clone(),
        pagination: None,
    }
}

/// The resolved responses of one operation.
struct Responses {
    responses: Vec<ResponseDoc>,
    success_statuses: Vec<u16>,
    success: Success,
    success_body: Option<TypeRef>,
    response_headers: Vec<HeaderField>,
    error_statuses: Vec<u16>,
    default_error: bool,
    errors: ErrorBodies,
}

/// What a response body is, for deciding whether several statuses share one.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    None,
    Text,
    Binary,
    /// A `$ref` to this schema name.
    Named(String),
    /// An inline schema (of this status): never shared.
    Inline(String),
}

fn shape_of(status: &str, response: &crate::spec::model::Response) -> Shape {
    match (response.encoding, &response.schema) {
        (ResponseEncoding::Binary, _) => Shape::Binary,
        (ResponseEncoding::Text, _) => Shape::Text,
        (ResponseEncoding::Json, None) => Shape::None,
        (ResponseEncoding::Json, Some(schema)) => match &schema.reference {
            Some(name) => Shape::Named(name.clone()),
            None => Shape::Inline(status.to_owned()),
        },
    }
}

fn resolve_responses(
    op: &OperationFile,
    name: &str,
    response_type: &str,
    headers_type: &str,
    scope: &mut TypeScope<'_>,
) -> Responses {
    // Statuses in order: numbers ascending, `default` last.
    let mut ordered: Vec<(Option<u16>, &String, &crate::spec::model::Response)> = op
        .responses
        .iter()
        .filter_map(|(status, response)| match status.as_str() {
            "default" => Some((None, status, response)),
            other => other
                .parse::<u16>()
                .ok()
                .map(|code| (Some(code), status, response)),
        })
        .collect();
    ordered.sort_by_key(|(code, _, _)| code.unwrap_or(u16::MAX));
    let is_success = |code: Option<u16>| code.is_some_and(crate::validate::is_success_status);

    // Success bodies: one type for all 2xx statuses, or an enum over them.
    let successes: Vec<_> = ordered
        .iter()
        .filter(|(code, _, _)| is_success(*code))
        .collect();
    let success_statuses: Vec<u16> = successes.iter().filter_map(|(code, _, _)| *code).collect();
    let shapes: Vec<Shape> = successes.iter().map(|(_, s, r)| shape_of(s, r)).collect();
    let mut types: BTreeMap<String, TypeRef> = BTreeMap::new();
    let shared_shape = shapes
        .first()
        .filter(|first| shapes.iter().all(|s| s == *first));
    let (success, success_body) = if shapes.is_empty() {
        // Nothing documented: any 2xx is the success, without a body.
        (Success::Empty, None)
    } else if shapes.contains(&Shape::Binary) {
        (Success::Stream, None)
    } else if let Some(shape) = shared_shape {
        match shape {
            Shape::None => (Success::Empty, None),
            Shape::Text => (Success::Text, Some(TypeRef::String)),
            Shape::Binary => (Success::Stream, None),
            Shape::Named(_) | Shape::Inline(_) => {
                let (_, status, response) = successes[0];
                let schema = response.schema.clone().unwrap_or_default();
                let ty = scope.type_of_reserved(
                    &schema,
                    response_type,
                    format!("The body of a successful ({status}) {name} response."),
                );
                for (_, status, _) in &successes {
                    types.insert((*status).clone(), ty.clone());
                }
                (Success::Json(ty.clone()), Some(ty))
            }
        }
    } else {
        let mut variants = Vec::new();
        for (code, status, response) in &successes {
            let Some(code) = *code else { continue };
            let body = match (response.encoding, &response.schema) {
                (ResponseEncoding::Text, _) => Some(VariantBody::Text),
                (ResponseEncoding::Json, Some(schema)) => {
                    let ty = scope.type_of_with_doc(
                        schema,
                        &format!("{name}Response{code}"),
                        name,
                        format!("The body of a successful ({code}) {name} response."),
                    );
                    types.insert((*status).clone(), ty.clone());
                    Some(VariantBody::Json(ty))
                }
                _ => None,
            };
            variants.push(SuccessVariant {
                status: code,
                body,
                description: response.description.clone(),
            });
        }
        (
            Success::ByStatus(variants),
            Some(TypeRef::Local(response_type.to_owned())),
        )
    };

    // Error bodies: JSON bodies of the non-2xx statuses (and `default`).
    let failures: Vec<_> = ordered
        .iter()
        .filter(|(code, _, response)| {
            !is_success(*code)
                && response.encoding == ResponseEncoding::Json
                && response.schema.is_some()
        })
        .collect();
    let error_shapes: Vec<Shape> = failures.iter().map(|(_, s, r)| shape_of(s, r)).collect();
    let shared_error = error_shapes
        .first()
        .is_some_and(|first| error_shapes.iter().all(|s| s == first));
    let errors = if failures.is_empty() {
        ErrorBodies::None
    } else if shared_error {
        let (_, _, response) = failures[0];
        let schema = response.schema.clone().unwrap_or_default();
        let ty = scope.type_of_reserved(
            &schema,
            &format!("{name}ErrorBody"),
            format!("The body of a {name} error response."),
        );
        for (_, status, _) in &failures {
            types.insert((*status).clone(), ty.clone());
        }
        ErrorBodies::Single(ty)
    } else {
        let mut variants = Vec::new();
        for (code, status, response) in &failures {
            let Some(schema) = &response.schema else {
                continue;
            };
            let label = code.map_or_else(|| "Default".to_owned(), |c| c.to_string());
            let ty = scope.type_of_with_doc(
                schema,
                &format!("{name}Error{label}"),
                name,
                match code {
                    Some(code) => {
                        format!("The body of a {name} error response with status {code}.")
                    }
                    None => {
                        format!("The body of a {name} error response with an undocumented status.")
                    }
                },
            );
            types.insert((*status).clone(), ty.clone());
            variants.push(ErrorVariant {
                status: *code,
                ty,
                description: response.description.clone(),
            });
        }
        ErrorBodies::ByStatus(variants)
    };
    let error_statuses: Vec<u16> = failures.iter().filter_map(|(code, _, _)| *code).collect();
    let default_error = failures.iter().any(|(code, _, _)| code.is_none());

    // Response headers of the 2xx statuses, each once (the first documentation wins).
    let mut response_headers: Vec<HeaderField> = Vec::new();
    let mut field_names = UniqueNames::default();
    for (_, _, response) in &successes {
        for (wire_name, header) in &response.headers {
            if response_headers
                .iter()
                .any(|h| h.wire_name.eq_ignore_ascii_case(wire_name))
            {
                continue;
            }
            let ty = scope.type_of(&header.schema, &names::camel(wire_name), headers_type);
            let mut doc = paragraphs(header.description.as_deref());
            if doc.is_empty() {
                doc.push(format!("`{wire_name}`."));
            }
            if let Some(note) = &header.note {
                doc.push(format!("Note: {note}"));
            }
            response_headers.push(HeaderField {
                wire_name: wire_name.clone(),
                rust_name: field_names.claim(names::snake(wire_name)),
                ty,
                doc,
                sensitive: is_sensitive_header(wire_name),
            });
        }
    }

    let responses = ordered
        .iter()
        .map(|(_, status, response)| ResponseDoc {
            status: (*status).clone(),
            description: response.description.clone(),
            encoding: response.encoding,
            ty: types.get(*status).cloned(),
            headers: response.headers.keys().cloned().collect(),
            example: response.example.clone(),
            example_note: response.example_note.clone(),
        })
        .collect();
    Responses {
        responses,
        success_statuses,
        success,
        success_body,
        response_headers,
        error_statuses,
        default_error,
        errors,
    }
}

/// True for header names whose values are credentials or session secrets; the same rule as
/// the runtime's `decode::is_sensitive_header`.
pub fn is_sensitive_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "token",
        "authorization",
        "cookie",
        "secret",
        "password",
        "credential",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

fn resolve_body(
    body: &crate::spec::model::Body,
    name: &str,
    request_type: &str,
    scope: &mut TypeScope<'_>,
) -> RequestBody {
    let no_schema = Schema::default();
    let schema = body.schema.as_ref().unwrap_or(&no_schema);
    let body_name = format!("{name}RequestBody");
    let fallback = format!("The request body of {name}.");
    let kind = match body.encoding {
        BodyEncoding::Json => {
            BodyKind::Json(scope.type_of_with_doc(schema, &body_name, request_type, fallback))
        }
        BodyEncoding::Form => {
            BodyKind::Form(scope.type_of_with_doc(schema, &body_name, request_type, fallback))
        }
        BodyEncoding::Binary => BodyKind::Binary,
        BodyEncoding::Text => BodyKind::Text,
        BodyEncoding::Multipart => {
            let object = scope.resolve(schema).unwrap_or(schema);
            // A `$ref` body's named schema keeps its (serde) struct; the parts get their own.
            let type_name = if scope.names.is_free(&body_name) {
                scope.names.claim(body_name.clone())
            } else {
                scope.claim_inline(&format!("{name}MultipartBody"), request_type)
            };
            let mut doc = paragraphs(object.description.as_deref());
            if doc.is_empty() {
                doc.push(fallback);
            }
            let required: BTreeSet<&String> = object.required.iter().collect();
            let mut field_names = UniqueNames::default();
            let mut parts = Vec::new();
            for (wire_name, property) in &object.properties {
                let target = scope.resolve(property).unwrap_or(property);
                let is_file = |s: &Schema| {
                    s.ty == Some(SchemaType::String) && s.format.as_deref() == Some("binary")
                };
                let kind = if is_file(target) {
                    PartKind::File
                } else if target.ty == Some(SchemaType::Array)
                    && target
                        .items
                        .as_deref()
                        .map(|items| scope.resolve(items).unwrap_or(items))
                        .is_some_and(is_file)
                {
                    PartKind::Files
                } else {
                    let fallback = format!("The `{wire_name}` of [`{type_name}`].");
                    PartKind::Value(scope.type_of_with_doc(
                        property,
                        &names::camel(wire_name),
                        &type_name,
                        fallback,
                    ))
                };
                let mut doc = paragraphs(property.description.as_deref());
                if doc.is_empty() {
                    doc.push(format!("`{wire_name}`."));
                }
                doc.extend(value_doc(target));
                if let Some(note) = &property.note {
                    doc.push(format!("Note: {note}"));
                }
                parts.push(MultipartPart {
                    wire_name: wire_name.clone(),
                    rust_name: field_names.claim(names::snake(wire_name)),
                    kind,
                    required: required.contains(wire_name),
                    doc,
                });
            }
            BodyKind::Multipart(MultipartBody {
                type_name,
                doc,
                parts,
            })
        }
    };
    let mut doc = paragraphs(body.description.as_deref());
    if doc.is_empty() {
        doc.push("The request body.".to_owned());
    }
    if let Some(note) = &body.example_note {
        doc.push(format!(
            "The source's example of this body contradicts its schema: {note}"
        ));
    }
    RequestBody {
        kind,
        required: body.required,
        doc,
        example: body.example.clone(),
        content_type: body.content_type.clone(),
        example_note: body.example_note.clone(),
    }
}

impl Operation {
    /// The definition of a named type as this operation sees it: its own, or one of the
    /// service's `shared` types (where types hoisted out of the operation now live).
    pub fn type_def<'a>(&'a self, ty: &TypeRef, shared: &'a [TypeDef]) -> Option<&'a TypeDef> {
        match ty {
            TypeRef::Local(name) => self
                .local_types
                .iter()
                .chain(shared)
                .find(|def| def.name == *name),
            TypeRef::Shared(name) => shared.iter().find(|def| def.name == *name),
            TypeRef::Boxed(inner) => self.type_def(inner, shared),
            _ => None,
        }
    }

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
                    if let Some(def) = locals.iter().find(|t| &t.name == name) {
                        for part in def.kind.parts() {
                            walk(part, locals, seen, out);
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
    out.iter()
        .map(|p| without_table_references(p))
        .filter(|p| !p.is_empty())
        .collect()
}

/// `text` without the sentences that send the reader to a table of the page ("For details,
/// see Table 4."): the generated docs have no such tables, and the type is linked anyway.
fn without_table_references(text: &str) -> String {
    let mut out = text.to_owned();
    while let Some(at) = find_table_reference(&out) {
        // The sentence around it: from after the previous ". " to its own full stop.
        let start = out[..at].rfind(". ").map_or(0, |i| i + 2);
        let end = out[at..].find('.').map_or(out.len(), |i| at + i + 1);
        out.replace_range(start..end, "");
        out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

/// Where "see Table <number>" (any case of "see") starts in `text`.
fn find_table_reference(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("see table ") {
        let at = from + i;
        let after = &lower[at + "see table ".len()..];
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// What a parameter value (an array parameter's items) is, from its resolved schema.
fn value_kind(schema: Option<&Schema>) -> ValueKind {
    let Some(schema) = schema else {
        return ValueKind::Other;
    };
    let enumerated = schema.enum_values.is_some();
    match schema.ty {
        Some(SchemaType::String) if enumerated => ValueKind::StringEnum,
        Some(SchemaType::String) => ValueKind::String,
        Some(SchemaType::Integer) if enumerated => ValueKind::IntegerEnum {
            wide: schema.format.as_deref() == Some("int64"),
        },
        Some(SchemaType::Integer) => ValueKind::Integer,
        Some(SchemaType::Number) if enumerated => ValueKind::NumberEnum,
        Some(SchemaType::Number) => ValueKind::Number,
        _ => ValueKind::Other,
    }
}

/// The documented facts about one value beyond its type: format, pattern, ranges, item
/// counts, and the meanings of a boolean enum's values (which is a plain `bool` in Rust).
fn value_doc(schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    if schema.ty == Some(SchemaType::String) {
        if let Some(format) = &schema.format {
            out.push(format!("Format: `{}`.", format.replace('`', "'")));
        }
    }
    if let Some(pattern) = &schema.pattern {
        out.push(format!("Pattern: `{}`.", pattern.replace('`', "'")));
    }
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
    match (schema.min_items, schema.max_items) {
        (Some(min), Some(max)) => out.push(format!("Items: {min} to {max}.")),
        (Some(min), None) => out.push(format!("Items: at least {min}.")),
        (None, Some(max)) => out.push(format!("Items: at most {max}.")),
        (None, None) => {}
    }
    if schema.ty == Some(SchemaType::Boolean) {
        if let Some(values) = &schema.enum_values {
            let listed: Vec<String> = values
                .iter()
                .map(|value| match &value.description {
                    Some(meaning) => format!("`{}`: {}", value.value, meaning.trim()),
                    None => format!("`{}`", value.value),
                })
                .collect();
            out.push(format!("Values: {}.", listed.join("; ")));
        }
    }
    out
}

/// Names and collects the types of one module (an operation's, or a service's `models`).
struct TypeScope<'a> {
    /// Named schemas defined in this module.
    own: &'a IndexMap<String, Schema>,
    /// The Rust name each of `own` got (numbered when it collided with a generated, reserved or
    /// other schema's name).
    own_names: BTreeMap<String, String>,
    /// The Rust names of the service's shared schemas.
    shared_names: BTreeMap<String, String>,
    /// The service's shared aliases and their targets (for an operation).
    shared_aliases: BTreeMap<String, TypeRef>,
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
            shared_aliases: BTreeMap::new(),
            shared,
            is_shared_module,
            names: names::type_names(reserved),
            types: Vec::new(),
        }
    }

    /// Claims the named schemas' names first, so inline types never take them; schemas whose
    /// Rust names clash are numbered in spec order (`Metadata`, `Metadata2`).
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

    /// `ty` with every alias replaced by what it names.
    fn dealias(&self, ty: &TypeRef) -> TypeRef {
        let mut current = ty.clone();
        // Validation refuses alias cycles; the bound only keeps a bad model from looping.
        for _ in 0..64 {
            let next = match &current {
                TypeRef::Local(name) => {
                    self.types
                        .iter()
                        .find(|t| &t.name == name)
                        .and_then(|def| match &def.kind {
                            TypeKind::Alias(target) => Some(target.clone()),
                            _ => None,
                        })
                }
                TypeRef::Shared(name) => self.shared_aliases.get(name).cloned(),
                TypeRef::Vec(inner) => return TypeRef::Vec(Box::new(self.dealias(inner))),
                TypeRef::Map(inner) => return TypeRef::Map(Box::new(self.dealias(inner))),
                _ => None,
            };
            match next {
                Some(next) => current = next,
                None => return current,
            }
        }
        TypeRef::Json
    }

    /// The documented facts about a value (see [`value_doc`]); an array's items' facts follow
    /// as "Each item: ...".
    fn constraint_doc(&self, schema: Option<&'a Schema>) -> Vec<String> {
        let Some(schema) = schema else {
            return Vec::new();
        };
        let mut out = value_doc(schema);
        if let Some(items) = schema.items.as_deref().and_then(|i| self.resolve(i)) {
            let facts = value_doc(items);
            if !facts.is_empty() {
                out.push(format!("Each item: {}", facts.join(" ")));
            }
        }
        out
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
        if !defines_type(schema) {
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
        if defines_type(schema) {
            let name = self.claim_inline(hint, parent);
            self.define(&name, schema, fallback);
            return TypeRef::Local(name);
        }
        let Some(ty) = schema.ty else {
            return TypeRef::Json;
        };
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
            // A boolean enum too: see `define`.
            SchemaType::Boolean => TypeRef::Bool,
            SchemaType::Object => TypeRef::Json,
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

    /// Defines a type under an already claimed name: a struct, an enum, a `one_of`, or (for a
    /// named schema of any other kind) an alias.
    fn define(&mut self, name: &str, schema: &Schema, fallback: String) {
        let mut doc = paragraphs(schema.description.as_deref());
        if doc.is_empty() {
            doc.push(fallback);
        }
        if let Some(note) = &schema.note {
            doc.push(format!("Note: {note}"));
        }
        let enum_type = schema
            .ty
            .filter(|ty| schema.enum_values.is_some() && *ty != SchemaType::Boolean);
        let kind = if schema.reference.is_some() {
            TypeKind::Alias(self.type_of_with_doc(schema, name, name, String::new()))
        } else if let Some(alternatives) = &schema.one_of {
            self.one_of(name, alternatives)
        } else if let (Some(ty), Some(values)) = (enum_type, &schema.enum_values) {
            let mut variant_names = UniqueNames::with_reserved(&["Unknown"]);
            let variants = values
                .iter()
                .map(|value| {
                    let wanted = match (&value.name, &value.value) {
                        (Some(name), _) => name.clone(),
                        (None, Value::String(text)) => names::camel(text),
                        (None, Value::Number(number)) => number_variant(number),
                        (None, other) => names::camel(&other.to_string()),
                    };
                    Variant {
                        name: variant_names.claim(wanted),
                        value: value.value.clone(),
                        doc: value.description.clone(),
                    }
                })
                .collect();
            match ty {
                SchemaType::Integer => TypeKind::IntEnum {
                    variants,
                    wide: schema.format.as_deref() == Some("int64"),
                },
                SchemaType::Number => TypeKind::NumberEnum(variants),
                _ => TypeKind::StringEnum(variants),
            }
        } else if schema.ty == Some(SchemaType::Object) && !schema.properties.is_empty() {
            TypeKind::Struct(self.fields(name, schema))
        } else {
            // A named string, number, boolean (enum), array, map or property-less object.
            doc.extend(self.constraint_doc(Some(schema)));
            let inner = format!("A value in `{name}`.");
            // The items of a named array are named in the singular (`Things` -> `Thing`), or
            // `<Name>Item` when the name has no plural (`Data` -> `DataItem`); a named map's
            // values `<Name>Value`.
            let hint = match schema.ty {
                Some(SchemaType::Map) => format!("{name}Value"),
                Some(SchemaType::Array) if names::singular(name) == name => {
                    format!("{name}Items")
                }
                _ => name.to_owned(),
            };
            TypeKind::Alias(self.type_of_with_doc(schema, &hint, name, inner))
        };
        self.types.push(TypeDef {
            name: name.to_owned(),
            doc,
            kind,
        });
    }

    fn fields(&mut self, name: &str, schema: &Schema) -> Vec<Field> {
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
                .filter(|t| t.enum_values.is_some() && t.ty != Some(SchemaType::Boolean))
                .and_then(|_| type_link(&ty))
                .map(|link| format!("The values and their meanings: {link}."));
            doc.extend(self.constraint_doc(target));
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
        fields
    }

    /// The variants of a `one_of`: named after the `$ref`'d schema's Rust name or the type
    /// (`String`, `Integer`, `Object`...), numbered when they clash; an inline object or enum
    /// alternative is a new type `<Name><Variant>`. Sorted most specific first (booleans,
    /// integers, numbers, strings, arrays, objects, maps, any JSON), spec order within a kind,
    /// so that `5` decodes as an integer rather than a number.
    fn one_of(&mut self, name: &str, alternatives: &[Schema]) -> TypeKind {
        let mut variant_names = UniqueNames::with_reserved(&["Unknown"]);
        let mut ranked = Vec::new();
        for alternative in alternatives {
            let target = self.resolve(alternative);
            let wanted = match &alternative.reference {
                Some(reference) => match self.reference(reference) {
                    TypeRef::Local(rust) | TypeRef::Shared(rust) => rust,
                    _ => "Value".to_owned(),
                },
                None => kind_word(alternative).to_owned(),
            };
            let variant = variant_names.claim(wanted);
            let ty = self.type_of_with_doc(
                alternative,
                &format!("{name}{variant}"),
                name,
                format!("The `{variant}` alternative of [`{name}`]."),
            );
            let keys = target
                .filter(|t| t.ty == Some(SchemaType::Object) && !t.properties.is_empty())
                .map(|t| t.properties.keys().cloned().collect());
            let mut doc = paragraphs(alternative.description.as_deref());
            doc.extend(self.constraint_doc(target));
            let summary = match type_link(&ty) {
                Some(link) => format!("A {link}."),
                None => format!(
                    "A value of type `{}`.",
                    kind_word(alternative).to_lowercase()
                ),
            };
            ranked.push((
                specificity(target),
                Alternative {
                    name: variant,
                    ty,
                    doc,
                    summary,
                    keys,
                },
            ));
        }
        ranked.sort_by_key(|(rank, _)| *rank);
        TypeKind::OneOf(ranked.into_iter().map(|(_, a)| a).collect())
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
                if let Some(def) = self.types.iter().find(|t| &t.name == name) {
                    for part in def.kind.parts() {
                        self.reachable(part, out);
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

/// Whether an inline schema is a new Rust type (rather than a standard one).
fn defines_type(schema: &Schema) -> bool {
    if schema.reference.is_some() {
        return false;
    }
    let enumerated = schema.enum_values.is_some()
        && matches!(
            schema.ty,
            Some(SchemaType::String | SchemaType::Integer | SchemaType::Number)
        );
    schema.one_of.is_some()
        || enumerated
        || (schema.ty == Some(SchemaType::Object) && !schema.properties.is_empty())
}

/// The variant name of an enum value that is a number: `5` -> `V5`, `-1` -> `Minus1`, `1.5`
/// -> `V1_5` (an underscore between digits is still CamelCase).
fn number_variant(number: &serde_json::Number) -> String {
    let text = number.to_string();
    let (prefix, digits) = match text.strip_prefix('-') {
        Some(rest) => ("Minus", rest),
        None => ("V", text.as_str()),
    };
    let digits: String = digits
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '.' => Some('_'),
            _ => None,
        })
        .collect();
    format!("{prefix}{}", digits.trim_matches('_'))
}

/// The variant name of a `one_of` alternative that is not a `$ref`.
fn kind_word(schema: &Schema) -> &'static str {
    if schema.one_of.is_some() {
        return "OneOf";
    }
    match schema.ty {
        Some(SchemaType::String) => "String",
        Some(SchemaType::Integer) => "Integer",
        Some(SchemaType::Number) => "Number",
        Some(SchemaType::Boolean) => "Boolean",
        Some(SchemaType::Array) => "Array",
        Some(SchemaType::Map) => "Map",
        Some(SchemaType::Object) => "Object",
        None => "Value",
    }
}

/// How specific a `one_of` alternative is: the decoder tries lower ranks first.
fn specificity(schema: Option<&Schema>) -> u8 {
    let Some(schema) = schema else { return 9 };
    if schema.one_of.is_some() {
        return 7;
    }
    match schema.ty {
        Some(SchemaType::Boolean) => 0,
        Some(SchemaType::Integer) if schema.format.as_deref() == Some("int64") => 2,
        Some(SchemaType::Integer) => 1,
        Some(SchemaType::Number) => 3,
        Some(SchemaType::String) => 4,
        Some(SchemaType::Array) => 5,
        Some(SchemaType::Object) if !schema.properties.is_empty() => 6,
        Some(SchemaType::Map) => 8,
        Some(SchemaType::Object) | None => 9,
    }
}

/// Boxes every struct field and `one_of` variant that leads back to its own type without
/// passing through a `Vec` or map (which already give the type a size): `struct Node {
/// parent: Option<Node> }` would otherwise be infinitely large. Aliases pass the way through.
fn box_recursive_fields(types: &mut [TypeDef]) {
    fn direct(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Local(name) => Some(name.as_str()),
            _ => None,
        }
    }
    /// Whether `target` is reached from `from` through the links `next` gives of each type.
    fn reaches(
        types: &[TypeDef],
        from: &str,
        target: &str,
        next: impl Fn(&TypeDef) -> Vec<String>,
    ) -> bool {
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
                pending.extend(next(def));
            }
        }
        false
    }
    // Every direct part, and (for the loop check below) only the required fields.
    let parts = |def: &TypeDef| -> Vec<String> {
        def.kind
            .parts()
            .into_iter()
            .filter_map(direct)
            .map(str::to_owned)
            .collect()
    };
    let required_fields = |def: &TypeDef| -> Vec<String> {
        match &def.kind {
            TypeKind::Struct(fields) => fields
                .iter()
                .filter(|f| f.required)
                .filter_map(|f| match &f.ty {
                    TypeRef::Boxed(inner) => direct(inner),
                    other => direct(other),
                })
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut to_box: Vec<(usize, usize)> = Vec::new();
    for (type_index, def) in types.iter().enumerate() {
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        for (part_index, part) in def.kind.parts().into_iter().enumerate() {
            if let Some(target) = direct(part) {
                if reaches(types, target, &def.name, parts) {
                    to_box.push((type_index, part_index));
                }
            }
        }
    }
    for (type_index, part_index) in to_box {
        if let Some(def) = types.get_mut(type_index) {
            if let Some(part) = def.kind.parts_mut().into_iter().nth(part_index) {
                *part = TypeRef::Boxed(Box::new(part.clone()));
            }
        }
    }
    // A required field on a loop of required fields can never be given a value (no finite JSON
    // holds one), and decoding could not even start one: such a field is optional.
    let mut loosen: Vec<(usize, usize)> = Vec::new();
    for (type_index, def) in types.iter().enumerate() {
        if let TypeKind::Struct(fields) = &def.kind {
            for (field_index, field) in fields.iter().enumerate() {
                if let (true, TypeRef::Boxed(inner)) = (field.required, &field.ty) {
                    if direct(inner).is_some_and(|t| reaches(types, t, &def.name, required_fields))
                    {
                        loosen.push((type_index, field_index));
                    }
                }
            }
        }
    }
    for (type_index, field_index) in loosen {
        if let Some(TypeKind::Struct(fields)) = types.get_mut(type_index).map(|t| &mut t.kind) {
            if let Some(field) = fields.get_mut(field_index) {
                field.required = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    #[test]
    fn references_to_the_pages_tables_are_left_out() {
        assert_eq!(
            paragraphs(Some("DR instance list. For details, see Table 3.\n\nMore.")),
            ["DR instance list.", "More."]
        );
        assert_eq!(
            paragraphs(Some("See Table 5 for the fields. The id is kept.")),
            ["The id is kept."]
        );
        assert!(paragraphs(Some("For details, see Table 12.")).is_empty());
        // Not a table reference: kept.
        assert_eq!(
            paragraphs(Some("See the table below. Tables 1 and 2.")),
            ["See the table below. Tables 1 and 2."]
        );
    }
}
