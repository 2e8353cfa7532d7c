//! Which listing operations page, and how: the spec's `pagination`, or else detected from the
//! query parameters (`offset`/`limit`, `page`/`page_size`, `marker`/`limit`) and the success
//! body (one array of items; for markers, a `next_marker` member).

use super::{Operation, Param, Success, TypeDef, TypeKind, TypeRef};
use crate::spec::model::{Location, Pagination, PaginationStyle};

/// How an operation asks for its next page, in Rust names.
#[derive(Debug, Clone)]
pub struct Paging {
    pub style: PaginationStyle,
    /// The cursor parameter (`offset`, `page`, `marker`).
    pub cursor: PagingParam,
    /// The page size parameter, if the operation has one.
    pub size: Option<PagingParam>,
    /// The success body's member with the items: its Rust name, wire name and item type.
    pub items: (String, String, TypeRef),
    /// `Marker`: the Rust names leading to the next marker (`page_info`, `next_marker`).
    pub next_marker: Vec<String>,
    /// `Page`: the number of the first page (the cursor's minimum, else 1).
    pub first_page: i64,
}

/// A query parameter that paging reads or sets.
#[derive(Debug, Clone)]
pub struct PagingParam {
    pub rust_name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    /// A required parameter is an argument of the call, stored without `Option`.
    pub required: bool,
}

const PAGE_CURSORS: &[&str] = &[
    "page",
    "page_no",
    "page_num",
    "page_number",
    "page_index",
    "pageno",
    "pagenum",
    "current_page",
];
const PAGE_SIZES: &[&str] = &["page_size", "pagesize", "size", "per_page", "limit"];

/// Sets `pagination` on each operation that pages. `shared` are the service's `models`.
pub fn resolve(operations: &mut [Operation], shared: &[TypeDef]) {
    for op in operations.iter_mut() {
        op.pagination = paging(op, shared);
    }
}

fn paging(op: &Operation, shared: &[TypeDef]) -> Option<Paging> {
    let body = success_struct(op, shared)?;
    let query = |name: &str| {
        op.params
            .iter()
            .find(|p| p.location == Location::Query && p.wire_name.eq_ignore_ascii_case(name))
    };
    let stated: Option<&Pagination> = op.pagination_spec.as_ref();
    let (style, cursor, size) = match stated {
        Some(spec) => {
            if spec.style == PaginationStyle::None {
                return None;
            }
            let cursor = query(spec.cursor.as_deref()?)?;
            let size = match &spec.size {
                Some(name) => Some(query(name)?),
                None => None,
            };
            (spec.style, cursor, size)
        }
        None => detect(&query)?,
    };
    let cursor_ok = match style {
        PaginationStyle::Marker => cursor.ty == TypeRef::String,
        _ => is_integer(&cursor.ty),
    };
    if !cursor_ok || size.is_some_and(|s| !is_integer(&s.ty)) {
        return None;
    }
    let items = match stated.and_then(|s| s.items.as_deref()) {
        Some(wire) => body.iter().find(|(w, _, _)| w == wire).cloned()?,
        None => {
            let mut arrays = body
                .iter()
                .filter(|(_, _, ty)| matches!(ty, TypeRef::Vec(_)));
            let only = arrays.next()?;
            if arrays.next().is_some() {
                return None;
            }
            only.clone()
        }
    };
    let TypeRef::Vec(item) = &items.2 else {
        return None;
    };
    let next_marker = match style {
        PaginationStyle::Marker => {
            let path = match stated.and_then(|s| s.next_marker.as_deref()) {
                Some(path) => path.split('.').map(str::to_owned).collect(),
                None => marker_path(&body, op, shared)?,
            };
            rust_path(op, shared, &path)?
        }
        _ => Vec::new(),
    };
    let first_page = cursor.minimum.unwrap_or(1);
    Some(Paging {
        style,
        cursor: param_names(cursor),
        size: size.map(param_names),
        items: (items.1, items.0, (**item).clone()),
        next_marker,
        first_page,
    })
}

fn detect<'a>(
    query: &dyn Fn(&str) -> Option<&'a Param>,
) -> Option<(PaginationStyle, &'a Param, Option<&'a Param>)> {
    if let (Some(offset), Some(limit)) = (query("offset"), query("limit")) {
        return Some((PaginationStyle::Offset, offset, Some(limit)));
    }
    if let Some(marker) = query("marker") {
        return Some((PaginationStyle::Marker, marker, query("limit")));
    }
    let page = PAGE_CURSORS.iter().find_map(|name| query(name))?;
    let size = PAGE_SIZES.iter().find_map(|name| query(name))?;
    Some((PaginationStyle::Page, page, Some(size)))
}

fn param_names(param: &Param) -> PagingParam {
    PagingParam {
        rust_name: param.rust_name.clone(),
        wire_name: param.wire_name.clone(),
        ty: param.ty.clone(),
        required: param.required,
    }
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::I32 | TypeRef::I64)
}

/// The fields (wire name, Rust name, type) of the struct a JSON success body decodes into.
fn success_struct(op: &Operation, shared: &[TypeDef]) -> Option<Vec<(String, String, TypeRef)>> {
    let Success::Json(ty) = &op.success else {
        return None;
    };
    struct_fields(ty, op, shared)
}

fn struct_fields(
    ty: &TypeRef,
    op: &Operation,
    shared: &[TypeDef],
) -> Option<Vec<(String, String, TypeRef)>> {
    let def = op.type_def(ty, shared)?;
    match &def.kind {
        TypeKind::Struct(fields) => Some(
            fields
                .iter()
                .map(|f| (f.wire_name.clone(), f.rust_name.clone(), f.ty.clone()))
                .collect(),
        ),
        TypeKind::Alias(target) => struct_fields(target, op, shared),
        _ => None,
    }
}

/// Where a body keeps its next marker: `next_marker`, or `page_info.next_marker`.
fn marker_path(
    body: &[(String, String, TypeRef)],
    op: &Operation,
    shared: &[TypeDef],
) -> Option<Vec<String>> {
    if body.iter().any(|(wire, _, _)| wire == "next_marker") {
        return Some(vec!["next_marker".to_owned()]);
    }
    let (wire, _, ty) = body.iter().find(|(wire, _, _)| wire == "page_info")?;
    let inner = struct_fields(ty, op, shared)?;
    inner
        .iter()
        .any(|(w, _, _)| w == "next_marker")
        .then(|| vec![wire.clone(), "next_marker".to_owned()])
}

/// The Rust names along a wire path from the success body, ending at a string.
fn rust_path(op: &Operation, shared: &[TypeDef], path: &[String]) -> Option<Vec<String>> {
    let Success::Json(ty) = &op.success else {
        return None;
    };
    let mut ty = ty.clone();
    let mut names = Vec::new();
    for wire in path {
        let fields = struct_fields(&ty, op, shared)?;
        let (_, rust, next) = fields.into_iter().find(|(w, _, _)| w == wire)?;
        names.push(rust);
        ty = next;
    }
    (ty == TypeRef::String).then_some(names)
}
