//! The API change between two spec trees, as a reviewer of a pull request wants it: per service
//! and operation, what was added, removed or changed, each classified by what it does to a user
//! of the generated Rust crate.
//!
//! The comparison runs on the resolved model ([`crate::ir`]), the same the emitter reads, so a
//! verdict follows the generated code: required parameters and required fields are arguments of
//! `new` (adding one breaks callers), structs and enums are `#[non_exhaustive]` (a new optional
//! field or a new enum value breaks no one, thanks to `Unknown`), a field's Rust type is `T` when
//! required and `Option<T>` when not (a required-ness change breaks). What does not reach a type
//! (method, path, wire names, ranges) is a change of behaviour; what reaches only the docs is
//! listed apart.

pub mod report;
pub mod trees;

use std::collections::BTreeMap;

use crate::ir::{
    BodyKind, CrateModel, ErrorBodies, Field, Operation, Param, Service, Success, TypeDef,
    TypeKind, TypeRef, Variant,
};

/// What a change does to a user of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Only documentation changed.
    Docs,
    /// Code written against the old crate still compiles and means the same: a new operation,
    /// an optional parameter, a new enum value.
    Compatible,
    /// Still compiles, but requests or responses differ on the wire (method, path, a wire name,
    /// a range the client checks).
    Behaviour,
    /// Code written against the old crate may no longer compile.
    Breaking,
}

impl Impact {
    pub fn label(self) -> &'static str {
        match self {
            Impact::Docs => "docs",
            Impact::Compatible => "compatible",
            Impact::Behaviour => "behaviour",
            Impact::Breaking => "breaking",
        }
    }
}

/// One change: where (`service`, `operation` or a type, and the item in it) and what.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub service: String,
    /// The operation, or `types` for the service's shared types, or empty for the service itself.
    pub scope: String,
    pub impact: Impact,
    pub what: String,
}

/// Every change from `base` to `head`, sorted by service, scope and impact (most severe first
/// within a scope).
pub fn compare(base: &CrateModel, head: &CrateModel) -> Vec<Change> {
    let mut out = Changes::default();
    let base_services: BTreeMap<&str, &Service> =
        base.services.iter().map(|s| (s.id.as_str(), s)).collect();
    let head_services: BTreeMap<&str, &Service> =
        head.services.iter().map(|s| (s.id.as_str(), s)).collect();
    for (id, old) in &base_services {
        match head_services.get(id) {
            None => out.push(
                id,
                "",
                Impact::Breaking,
                format!(
                    "service `{id}` removed (feature `{id}` and `{}`)",
                    old.client_type
                ),
            ),
            Some(new) => service(&mut out, old, new),
        }
    }
    for (id, new) in &head_services {
        if !base_services.contains_key(id) {
            out.push(
                id,
                "",
                Impact::Compatible,
                format!(
                    "service `{id}` added (feature `{id}`, `{}`)",
                    new.client_type
                ),
            );
        }
    }
    let mut changes = out.0;
    changes.sort_by(|a, b| {
        (&a.service, &a.scope, std::cmp::Reverse(a.impact), &a.what).cmp(&(
            &b.service,
            &b.scope,
            std::cmp::Reverse(b.impact),
            &b.what,
        ))
    });
    changes.dedup();
    changes
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, service: &str, scope: &str, impact: Impact, what: String) {
        self.0.push(Change {
            service: service.to_owned(),
            scope: scope.to_owned(),
            impact,
            what,
        });
    }
}

fn service(out: &mut Changes, old: &Service, new: &Service) {
    let id = new.id.as_str();
    if old.endpoint != new.endpoint {
        out.push(
            id,
            "",
            Impact::Behaviour,
            format!("endpoint `{}` -> `{}`", old.endpoint, new.endpoint),
        );
    }
    if old.title != new.title {
        out.push(id, "", Impact::Docs, "title".into());
    }
    types(out, id, "types", &old.shared_types, &new.shared_types);
    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    let new_ops: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    for (name, op) in &old_ops {
        match new_ops.get(name) {
            None => out.push(
                id,
                name,
                Impact::Breaking,
                format!("operation removed (`{}`)", op.method_fn),
            ),
            Some(new_op) => operation(out, id, op, new_op),
        }
    }
    for (name, op) in &new_ops {
        if !old_ops.contains_key(name) {
            out.push(
                id,
                name,
                Impact::Compatible,
                format!(
                    "operation added: `{}` ({} {})",
                    op.method_fn,
                    op.http_method.as_str(),
                    op.path
                ),
            );
        }
    }
}

fn operation(out: &mut Changes, service: &str, old: &Operation, new: &Operation) {
    let scope = new.name.as_str();
    let mut push = |impact: Impact, what: String| out.push(service, scope, impact, what);
    if old.http_method != new.http_method || old.path != new.path {
        push(
            Impact::Behaviour,
            format!(
                "request line `{} {}` -> `{} {}`",
                old.http_method.as_str(),
                old.path,
                new.http_method.as_str(),
                new.path
            ),
        );
    }
    if old.host != new.host {
        push(Impact::Behaviour, "host".into());
    }
    if old.retry_safe != new.retry_safe {
        push(
            Impact::Behaviour,
            format!("retry_safe {} -> {}", old.retry_safe, new.retry_safe),
        );
    }
    // Parameters: by Rust name.
    let old_params: BTreeMap<&str, &Param> = old
        .params
        .iter()
        .map(|p| (p.rust_name.as_str(), p))
        .collect();
    let new_params: BTreeMap<&str, &Param> = new
        .params
        .iter()
        .map(|p| (p.rust_name.as_str(), p))
        .collect();
    for (name, p) in &old_params {
        let Some(n) = new_params.get(name) else {
            push(Impact::Breaking, format!("parameter `{name}` removed"));
            continue;
        };
        if p.ty != n.ty {
            push(
                Impact::Breaking,
                format!(
                    "parameter `{name}`: type `{}` -> `{}`",
                    show(&p.ty),
                    show(&n.ty)
                ),
            );
        }
        if p.required != n.required {
            push(
                Impact::Breaking,
                format!(
                    "parameter `{name}` now {} (an argument of `{}` {})",
                    if n.required { "required" } else { "optional" },
                    new.method_fn,
                    if n.required { "added" } else { "removed" }
                ),
            );
        }
        if p.wire_name != n.wire_name || p.location != n.location {
            push(
                Impact::Behaviour,
                format!(
                    "parameter `{name}`: sent as {:?} `{}` -> {:?} `{}`",
                    p.location, p.wire_name, n.location, n.wire_name
                ),
            );
        }
        let ranges = |p: &Param| {
            (
                p.min_length,
                p.max_length,
                p.minimum,
                p.maximum,
                p.min_items,
                p.max_items,
            )
        };
        if ranges(p) != ranges(n) {
            push(
                Impact::Behaviour,
                format!("parameter `{name}`: the range the client checks changed"),
            );
        }
        if p.doc != n.doc {
            push(Impact::Docs, format!("parameter `{name}`"));
        }
    }
    for (name, p) in &new_params {
        if !old_params.contains_key(name) {
            if p.required {
                push(
                    Impact::Breaking,
                    format!(
                        "required parameter `{name}` added (a new argument of `{}`)",
                        new.method_fn
                    ),
                );
            } else {
                push(
                    Impact::Compatible,
                    format!("optional parameter `{name}` added"),
                );
            }
        }
    }
    // Body.
    match (&old.body, &new.body) {
        (None, Some(b)) => push(
            if b.required {
                Impact::Breaking
            } else {
                Impact::Compatible
            },
            format!("request body added ({})", body_kind(&b.kind)),
        ),
        (Some(_), None) => push(Impact::Breaking, "request body removed".into()),
        (Some(a), Some(b)) => {
            if body_kind(&a.kind) != body_kind(&b.kind) {
                push(
                    Impact::Breaking,
                    format!(
                        "request body: `{}` -> `{}`",
                        body_kind(&a.kind),
                        body_kind(&b.kind)
                    ),
                );
            }
            if a.required != b.required {
                push(
                    Impact::Breaking,
                    format!(
                        "request body now {}",
                        if b.required { "required" } else { "optional" }
                    ),
                );
            }
            if a.doc != b.doc || a.example != b.example {
                push(Impact::Docs, "request body".into());
            }
        }
        (None, None) => {}
    }
    // Responses.
    if success_shape(old) != success_shape(new) {
        push(
            Impact::Breaking,
            format!(
                "success response: {} -> {}",
                success_shape(old),
                success_shape(new)
            ),
        );
    } else if old.success_statuses != new.success_statuses {
        push(
            Impact::Behaviour,
            format!(
                "success status {:?} -> {:?}",
                old.success_statuses, new.success_statuses
            ),
        );
    }
    let old_headers: BTreeMap<&str, &TypeRef> = old
        .response_headers
        .iter()
        .map(|h| (h.rust_name.as_str(), &h.ty))
        .collect();
    let new_headers: BTreeMap<&str, &TypeRef> = new
        .response_headers
        .iter()
        .map(|h| (h.rust_name.as_str(), &h.ty))
        .collect();
    for (name, ty) in &old_headers {
        match new_headers.get(name) {
            None => push(
                Impact::Breaking,
                format!("response header `{name}` removed"),
            ),
            Some(n) if n != ty => push(
                Impact::Breaking,
                format!(
                    "response header `{name}`: type `{}` -> `{}`",
                    show(ty),
                    show(n)
                ),
            ),
            Some(_) => {}
        }
    }
    for name in new_headers.keys() {
        if !old_headers.contains_key(name) {
            push(
                Impact::Compatible,
                format!("response header `{name}` added"),
            );
        }
    }
    if error_shape(&old.errors) != error_shape(&new.errors) {
        push(
            Impact::Breaking,
            format!(
                "error body: {} -> {}",
                error_shape(&old.errors),
                error_shape(&new.errors)
            ),
        );
    }
    if old.error_statuses != new.error_statuses {
        push(
            Impact::Behaviour,
            format!(
                "documented error statuses {:?} -> {:?}",
                old.error_statuses, new.error_statuses
            ),
        );
    }
    if old.title != new.title
        || old.description != new.description
        || old.constraints != new.constraints
        || format!("{:?}", old.authorization) != format!("{:?}", new.authorization)
        || old.request_example != new.request_example
        || old.notes != new.notes
        || old
            .responses
            .iter()
            .map(|r| (&r.description, &r.example))
            .ne(new.responses.iter().map(|r| (&r.description, &r.example)))
    {
        push(Impact::Docs, "operation docs".into());
    }
    types(out, service, scope, &old.local_types, &new.local_types);
}

/// The types of a scope (an operation's own, or the service's shared ones), by name.
fn types(out: &mut Changes, service: &str, scope: &str, old: &[TypeDef], new: &[TypeDef]) {
    let old_types: BTreeMap<&str, &TypeDef> = old.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> = new.iter().map(|t| (t.name.as_str(), t)).collect();
    for (name, t) in &old_types {
        match new_types.get(name) {
            None => out.push(
                service,
                scope,
                Impact::Breaking,
                format!("type `{name}` removed"),
            ),
            Some(n) => type_def(out, service, scope, t, n),
        }
    }
    for name in new_types.keys() {
        if !old_types.contains_key(name) {
            out.push(
                service,
                scope,
                Impact::Compatible,
                format!("type `{name}` added"),
            );
        }
    }
}

fn type_def(out: &mut Changes, service: &str, scope: &str, old: &TypeDef, new: &TypeDef) {
    let name = new.name.as_str();
    let mut push = |impact: Impact, what: String| out.push(service, scope, impact, what);
    if old.doc != new.doc {
        push(Impact::Docs, format!("type `{name}`"));
    }
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => fields(&mut push, name, a, b),
        (TypeKind::StringEnum(a), TypeKind::StringEnum(b))
        | (TypeKind::NumberEnum(a), TypeKind::NumberEnum(b))
        | (TypeKind::IntEnum { variants: a, .. }, TypeKind::IntEnum { variants: b, .. }) => {
            if let (TypeKind::IntEnum { wide: x, .. }, TypeKind::IntEnum { wide: y, .. }) =
                (&old.kind, &new.kind)
            {
                if x != y {
                    push(
                        Impact::Breaking,
                        format!("enum `{name}`: integer width changed"),
                    );
                }
            }
            variants(&mut push, name, a, b);
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) if a == b => {}
        (TypeKind::OneOf(a), TypeKind::OneOf(b)) => {
            let names = |alts: &[crate::ir::Alternative]| {
                alts.iter()
                    .map(|x| (x.name.clone(), show(&x.ty)))
                    .collect::<Vec<_>>()
            };
            let (a, b) = (names(a), names(b));
            for alt in &a {
                if !b.contains(alt) {
                    push(
                        Impact::Breaking,
                        format!("`{name}::{}` removed or changed", alt.0),
                    );
                }
            }
            for alt in &b {
                if !a.contains(alt) {
                    push(
                        Impact::Breaking,
                        format!(
                            "`{name}::{}` added (a match on `{name}` must handle it)",
                            alt.0
                        ),
                    );
                }
            }
        }
        (a, b) => push(
            Impact::Breaking,
            format!("type `{name}`: {} -> {}", kind_name(a), kind_name(b)),
        ),
    }
}

fn fields(push: &mut dyn FnMut(Impact, String), name: &str, old: &[Field], new: &[Field]) {
    let old_fields: BTreeMap<&str, &Field> =
        old.iter().map(|f| (f.rust_name.as_str(), f)).collect();
    let new_fields: BTreeMap<&str, &Field> =
        new.iter().map(|f| (f.rust_name.as_str(), f)).collect();
    for (field, f) in &old_fields {
        let Some(n) = new_fields.get(field) else {
            push(Impact::Breaking, format!("`{name}.{field}` removed"));
            continue;
        };
        if f.ty != n.ty {
            push(
                Impact::Breaking,
                format!(
                    "`{name}.{field}`: type `{}` -> `{}`",
                    show(&f.ty),
                    show(&n.ty)
                ),
            );
        }
        if f.required != n.required {
            push(
                Impact::Breaking,
                format!(
                    "`{name}.{field}` now {} (`{}` -> `{}`)",
                    if n.required { "required" } else { "optional" },
                    field_type(f),
                    field_type(n)
                ),
            );
        }
        if f.wire_name != n.wire_name {
            push(
                Impact::Behaviour,
                format!(
                    "`{name}.{field}`: JSON member `{}` -> `{}`",
                    f.wire_name, n.wire_name
                ),
            );
        }
        if f.doc != n.doc {
            push(Impact::Docs, format!("`{name}.{field}`"));
        }
    }
    for (field, f) in &new_fields {
        if !old_fields.contains_key(field) {
            if f.required {
                push(
                    Impact::Breaking,
                    format!("required `{name}.{field}` added (a new argument of `{name}::new`)"),
                );
            } else {
                push(
                    Impact::Compatible,
                    format!("optional `{name}.{field}` added"),
                );
            }
        }
    }
}

fn variants(push: &mut dyn FnMut(Impact, String), name: &str, old: &[Variant], new: &[Variant]) {
    for v in old {
        match new.iter().find(|n| n.name == v.name) {
            None => push(
                Impact::Breaking,
                format!("`{name}::{}` removed ({})", v.name, v.value),
            ),
            Some(n) if n.value != v.value => push(
                Impact::Behaviour,
                format!("`{name}::{}`: value {} -> {}", v.name, v.value, n.value),
            ),
            Some(n) if n.doc != v.doc => push(Impact::Docs, format!("`{name}::{}`", v.name)),
            Some(_) => {}
        }
    }
    for v in new {
        if !old.iter().any(|o| o.name == v.name) {
            push(
                Impact::Compatible,
                format!(
                    "`{name}::{}` added ({}; older crates read it as `Unknown`)",
                    v.name, v.value
                ),
            );
        }
    }
}

/// A type as the generated code spells it (without paths).
pub fn show(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", show(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", show(inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", show(inner)),
        TypeRef::Local(name) | TypeRef::Shared(name) => name.clone(),
    }
}

fn field_type(f: &Field) -> String {
    if f.required {
        show(&f.ty)
    } else {
        format!("Option<{}>", show(&f.ty))
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::IntEnum { .. } => "integer enum",
        TypeKind::NumberEnum(_) => "number enum",
        TypeKind::Alias(_) => "alias",
        TypeKind::OneOf(_) => "one-of enum",
    }
}

fn body_kind(kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(ty) => format!("JSON {}", show(ty)),
        BodyKind::Form(ty) => format!("form {}", show(ty)),
        BodyKind::Multipart(m) => format!("multipart {}", m.type_name),
        BodyKind::Binary => "bytes".into(),
        BodyKind::Text => "text".into(),
    }
}

fn success_shape(op: &Operation) -> String {
    match &op.success {
        Success::Empty => "no body".into(),
        Success::Json(ty) => format!("`{}`", show(ty)),
        Success::Text => "text".into(),
        Success::Stream => "a byte stream".into(),
        Success::ByStatus(variants) => variants
            .iter()
            .map(|v| format!("{}: {:?}", v.status, v.body))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn error_shape(errors: &ErrorBodies) -> String {
    match errors {
        ErrorBodies::None => "none".into(),
        ErrorBodies::Single(ty) => format!("`{}`", show(ty)),
        ErrorBodies::ByStatus(variants) => variants
            .iter()
            .map(|v| {
                format!(
                    "{}: `{}`",
                    v.status.map_or("default".into(), |s| s.to_string()),
                    show(&v.ty)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}
