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
    for pair in matched(&base.services, &head.services, |s| s.id.as_str()) {
        match pair {
            Pair::Removed(id, old) => out.push(
                id,
                "",
                Impact::Breaking,
                format!(
                    "service `{id}` removed (feature `{id}` and `{}`)",
                    old.client_type
                ),
            ),
            Pair::Both(_, old, new) => service(&mut out, old, new),
            Pair::Added(id, new) => out.push(
                id,
                "",
                Impact::Compatible,
                format!(
                    "service `{id}` added (feature `{id}`, `{}`)",
                    new.client_type
                ),
            ),
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
    types(out, old, new);
    for pair in matched(&old.operations, &new.operations, |o| o.name.as_str()) {
        match pair {
            Pair::Removed(name, op) => out.push(
                id,
                name,
                Impact::Breaking,
                format!("operation removed (`{}`)", op.method_fn),
            ),
            Pair::Both(_, op, new_op) => operation(out, id, op, new_op),
            Pair::Added(name, op) => out.push(
                id,
                name,
                Impact::Compatible,
                format!(
                    "operation added: `{}` ({} {})",
                    op.method_fn,
                    op.http_method.as_str(),
                    op.path
                ),
            ),
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
    for pair in matched(&old.params, &new.params, |p| p.rust_name.as_str()) {
        match pair {
            Pair::Removed(name, _) => push(Impact::Breaking, format!("parameter `{name}` removed")),
            Pair::Both(name, p, n) => param(&mut push, &new.method_fn, name, p, n),
            Pair::Added(name, p) if p.required => push(
                Impact::Breaking,
                format!(
                    "required parameter `{name}` added (a new argument of `{}`)",
                    new.method_fn
                ),
            ),
            Pair::Added(name, _) => push(
                Impact::Compatible,
                format!("optional parameter `{name}` added"),
            ),
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
    for pair in matched(&old.response_headers, &new.response_headers, |h| {
        h.rust_name.as_str()
    }) {
        match pair {
            Pair::Removed(name, _) => push(
                Impact::Breaking,
                format!("response header `{name}` removed"),
            ),
            Pair::Both(name, o, n) if o.ty != n.ty => push(
                Impact::Breaking,
                format!(
                    "response header `{name}`: type `{}` -> `{}`",
                    show(&o.ty),
                    show(&n.ty)
                ),
            ),
            Pair::Both(..) => {}
            Pair::Added(name, _) => push(
                Impact::Compatible,
                format!("response header `{name}` added"),
            ),
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
}

/// One parameter in both versions.
fn param(push: &mut dyn FnMut(Impact, String), method_fn: &str, name: &str, p: &Param, n: &Param) {
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
                method_fn,
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

/// Where a type is defined: the service's `models` (scope `types`) or an operation's module.
struct Placed<'a> {
    scope: &'a str,
    module: &'a str,
    def: &'a TypeDef,
}

/// The service's types: its shared ones, and the own types of the operations both versions
/// have (a removed operation's types go with it).
fn placed<'a>(service: &'a Service, other: &Service) -> Vec<Placed<'a>> {
    let shared = service.shared_types.iter().map(|def| Placed {
        scope: "types",
        module: "models",
        def,
    });
    let local = service
        .operations
        .iter()
        .filter(|op| other.operations.iter().any(|o| o.name == op.name))
        .flat_map(|op| {
            op.local_types.iter().map(|def| Placed {
                scope: op.name.as_str(),
                module: op.module.as_str(),
                def,
            })
        });
    shared.chain(local).collect()
}

/// The service's types, by scope and name. A type that leaves one scope for another (the
/// generator moves a type into `models` when a second operation defines it identically, and
/// back when only one does) is one change: compatible into `models` (the operation's module
/// re-exports it), breaking out of it (`models::X` goes).
fn types(out: &mut Changes, old: &Service, new: &Service) {
    let service = new.id.as_str();
    let (old_types, new_types) = (placed(old, new), placed(new, old));
    let same = |a: &Placed, b: &Placed| a.scope == b.scope && a.def.name == b.def.name;
    let mut added: Vec<&Placed> = new_types
        .iter()
        .filter(|n| !old_types.iter().any(|o| same(o, n)))
        .collect();
    for o in &old_types {
        if let Some(n) = new_types.iter().find(|n| same(o, n)) {
            type_def(out, service, n.scope, o.def, n.def);
            continue;
        }
        let name = o.def.name.as_str();
        match added.iter().position(|n| n.def.name == o.def.name) {
            Some(at) => {
                let n = added.remove(at);
                // Into `models`, the operation's module keeps naming it (`pub use`); out of
                // `models`, the service-level path goes.
                let (impact, effect) = if n.module == "models" {
                    (Impact::Compatible, "`{from}::{name}` still names it")
                } else {
                    (
                        Impact::Breaking,
                        "`models::{name}` and the service-level path go",
                    )
                };
                let effect = effect.replace("{from}", o.module).replace("{name}", name);
                out.push(
                    service,
                    n.scope,
                    impact,
                    format!(
                        "type `{name}` moved from `{}` to `{}` ({effect})",
                        o.module, n.module
                    ),
                );
                type_def(out, service, n.scope, o.def, n.def);
            }
            None => out.push(
                service,
                o.scope,
                Impact::Breaking,
                format!("type `{name}` removed"),
            ),
        }
    }
    for n in added {
        out.push(
            service,
            n.scope,
            Impact::Compatible,
            format!("type `{}` added", n.def.name),
        );
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
    for pair in matched(old, new, |f| f.rust_name.as_str()) {
        let (field, f, n) = match pair {
            Pair::Removed(field, _) => {
                push(Impact::Breaking, format!("`{name}.{field}` removed"));
                continue;
            }
            Pair::Added(field, f) if f.required => {
                push(
                    Impact::Breaking,
                    format!("required `{name}.{field}` added (a new argument of `{name}::new`)"),
                );
                continue;
            }
            Pair::Added(field, _) => {
                push(
                    Impact::Compatible,
                    format!("optional `{name}.{field}` added"),
                );
                continue;
            }
            Pair::Both(field, f, n) => (field, f, n),
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
    ty.text("")
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

/// `old` and `new` matched by `key`, in key order: removed, in both, or added.
fn matched<'a, T>(old: &'a [T], new: &'a [T], key: fn(&T) -> &str) -> Vec<Pair<'a, T>> {
    let mut pairs: BTreeMap<&'a str, (Option<&'a T>, Option<&'a T>)> = BTreeMap::new();
    for item in old {
        pairs.entry(key(item)).or_default().0 = Some(item);
    }
    for item in new {
        pairs.entry(key(item)).or_default().1 = Some(item);
    }
    pairs
        .into_iter()
        .filter_map(|(name, pair)| match pair {
            (Some(o), Some(n)) => Some(Pair::Both(name, o, n)),
            (Some(o), None) => Some(Pair::Removed(name, o)),
            (None, Some(n)) => Some(Pair::Added(name, n)),
            (None, None) => None,
        })
        .collect()
}

enum Pair<'a, T> {
    Removed(&'a str, &'a T),
    Both(&'a str, &'a T, &'a T),
    Added(&'a str, &'a T),
}
