//! Swagger/OpenAPI schemas to spec schemas.
//!
//! Carried: `type` (with the catalogue's spellings: `long`, `int`, `Integer`, `double`, `file`,
//! ...), `format`, `$ref` (`#/definitions/X`, `#/components/schemas/X`), `description` (or
//! `title` when there is no description), `enum` over any scalar, `properties`, `required`
//! (also the old per-property `required: true`), `items`, `additionalProperties` (a map),
//! `allOf` (flattened into one object), `oneOf`/`anyOf` (`one_of`), `minLength`/`maxLength`,
//! `minimum`/`maximum` (whole numbers), `pattern`, `minItems`/`maxItems`,
//! `nullable`/`x-nullable` and `default`. A schema without `type` gets the one its keys imply
//! (`properties`: object, `items`: array, `enum`: its values' type, ...).
//!
//! Everything else is a [`Warning`] naming its JSON path, except vendor extensions (`x-*`),
//! which are API Explorer and gateway metadata: they are counted, not warned about.

use std::collections::{BTreeMap, BTreeSet};

use super::json::J;
use crate::import::backend::node::{Map, Node};
use crate::import::backend::Warning;

/// Keys of a schema this module reads.
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "$ref",
    "description",
    "title",
    "enum",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "pattern",
    "minItems",
    "maxItems",
    "nullable",
    "x-nullable",
    "default",
];

/// Documented keys a spec schema has no place for: a warning each.
const NOT_CARRIED: &[&str] = &[
    "example",
    "examples",
    "readOnly",
    "writeOnly",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "discriminator",
    "xml",
    "externalDocs",
    "deprecated",
    "minProperties",
    "maxProperties",
    "not",
];

/// Where a named schema lives in the definition.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    pub schema: &'a J,
    /// `$.definitions.X` or `$.components.schemas.X`.
    pub path: String,
    /// Position in the file, for the order of `schemas:`.
    pub order: usize,
}

/// What converting one definition keeps track of: the warnings, the vendor extensions left
/// out, and the named schemas referred to.
pub struct Reader<'a> {
    pub doc: &'a J,
    pub warnings: Vec<Warning>,
    /// Vendor extension keys (`x-*`) that were left out, with their count.
    pub ignored: BTreeMap<String, usize>,
    /// Named schemas by name: `definitions` first, then `components.schemas`.
    named: BTreeMap<String, Named<'a>>,
    /// Names referred to so far, and those not converted yet.
    referenced: BTreeSet<String>,
    queue: Vec<String>,
    /// Names whose properties went into an `allOf` (carried there, not as schemas of their own).
    merged: BTreeSet<String>,
}

/// JSON pointer segment unescaping (`~1` is `/`, `~0` is `~`).
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// `$.a.b` + `c` -> `$.a.b.c`.
pub fn child(at: &str, key: &str) -> String {
    format!("{at}.{key}")
}

/// `$.a` + 3 -> `$.a[3]`.
pub fn index(at: &str, i: usize) -> String {
    format!("{at}[{i}]")
}

/// A JSON number as a spec scalar: an integer when it is one.
pub fn number_node(n: &serde_json::Number) -> Node {
    match n.as_i64() {
        Some(i) => Node::Int(i),
        None => Node::Float(n.as_f64().unwrap_or(0.0)),
    }
}

/// A JSON value as a spec value (defaults, enum values).
pub fn to_node(j: &J) -> Node {
    match j {
        J::Null => Node::Null,
        J::Bool(b) => Node::Bool(*b),
        J::Num(n) => number_node(n),
        J::Str(s) => Node::Str(s.clone()),
        J::Arr(items) => Node::Seq(items.iter().map(to_node).collect()),
        J::Obj(members) => Node::Map(Map(members
            .iter()
            .map(|(k, v)| (k.clone(), to_node(v)))
            .collect())),
    }
}

/// How deep a default value may nest (objects and arrays): a schema is at most 48 levels deep,
/// and the spec's YAML must stay within what a YAML reader takes (128 levels).
pub const MAX_DEFAULT_DEPTH: usize = 8;

/// How many levels of arrays and objects a JSON value has (a scalar: 0).
pub fn nesting(j: &J) -> usize {
    match j {
        J::Arr(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        J::Obj(members) => 1 + members.iter().map(|(_, v)| nesting(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// A whole, non-negative JSON number.
fn whole(j: &J) -> Option<i64> {
    match j {
        J::Num(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
        }),
        _ => None,
    }
}

/// Whether a schema says nothing about its value: no type, no structure, no reference (a
/// response documented as `{}` or with only a description).
pub fn is_empty_schema(j: &J) -> bool {
    match j.as_obj() {
        None => false,
        Some(members) => members.iter().all(|(k, _)| {
            matches!(k.as_str(), "description" | "title" | "example" | "examples")
                || k.starts_with("x-")
        }),
    }
}

impl<'a> Reader<'a> {
    pub fn new(doc: &'a J) -> Reader<'a> {
        let mut named = BTreeMap::new();
        let mut order = 0;
        let mut warnings = Vec::new();
        let sources: [(&str, Option<&J>); 2] = [
            ("$.definitions", doc.get("definitions")),
            (
                "$.components.schemas",
                doc.get("components").and_then(|c| c.get("schemas")),
            ),
        ];
        for (at, source) in sources {
            let Some(members) = source.and_then(J::as_obj) else {
                continue;
            };
            for (name, schema) in members {
                order += 1;
                if named.contains_key(name) {
                    warnings.push(Warning::at_path(
                        child(at, name),
                        "duplicate-definition",
                        format!("schema {name} is defined twice; the first definition is used"),
                    ));
                    continue;
                }
                named.insert(
                    name.clone(),
                    Named {
                        schema,
                        path: child(at, name),
                        order,
                    },
                );
            }
        }
        Reader {
            doc,
            warnings,
            ignored: BTreeMap::new(),
            named,
            referenced: BTreeSet::new(),
            queue: Vec::new(),
            merged: BTreeSet::new(),
        }
    }

    pub fn warn(
        &mut self,
        at: impl Into<String>,
        kind: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.warnings.push(Warning::at_path(at, kind, message));
    }

    /// A documented default as a spec value; `None` for `null`, and for a value nested deeper
    /// than [`MAX_DEFAULT_DEPTH`] (with a warning).
    pub fn default_value(&mut self, value: &J, at: &str) -> Option<Node> {
        if value.is_null() {
            return None;
        }
        let depth = nesting(value);
        if depth > MAX_DEFAULT_DEPTH {
            self.warn(
                at,
                "default",
                format!("the default is nested {depth} levels deep, more than a spec carries ({MAX_DEFAULT_DEPTH}); left out"),
            );
            return None;
        }
        Some(to_node(value))
    }

    /// Counts a vendor extension key that is left out.
    pub fn ignore(&mut self, key: &str) {
        *self.ignored.entry(key.to_string()).or_insert(0) += 1;
    }

    /// Reports the keys of `j` that are not in `known`: vendor extensions are counted, the
    /// documented keys the spec has no place for and unknown keys are warnings.
    pub fn leftovers(&mut self, j: &J, known: &[&str], at: &str, what: &str) {
        let Some(members) = j.as_obj() else { return };
        for (key, value) in members {
            if known.contains(&key.as_str()) {
                continue;
            }
            if key.starts_with("x-") {
                self.ignore(key);
            } else if value.is_null() {
                // `"key": null` says nothing.
            } else {
                self.warn(
                    child(at, key),
                    format!("not-carried:{key}"),
                    format!(
                        "{what} key `{key}` ({}) has no place in the spec; left out",
                        value.short(60)
                    ),
                );
            }
        }
    }

    /// The named schema a `$ref` points at: its name and where it is. Warns about malformed
    /// references; `None` for those that point elsewhere or nowhere.
    pub fn ref_target(&mut self, reference: &str, at: &str) -> Option<String> {
        let name = if let Some(rest) = reference.strip_prefix("#/definitions/") {
            unescape(rest)
        } else if let Some(rest) = reference.strip_prefix("#/components/schemas/") {
            unescape(rest)
        } else if let Some(rest) = reference.strip_prefix("definitions/") {
            self.warn(
                at,
                "ref",
                format!(
                    "`$ref: {reference}` lacks the leading `#/`; read as `#/definitions/{rest}`"
                ),
            );
            unescape(rest)
        } else {
            return None;
        };
        self.named.contains_key(&name).then_some(name)
    }

    /// Records that `name` is referred to: it goes into the operation's `schemas`.
    fn refer(&mut self, name: &str) {
        if self.referenced.insert(name.to_string()) {
            self.queue.push(name.to_string());
        }
    }

    /// The named schemas referred to, converted, in file order; the others are warnings.
    pub fn named_schemas(&mut self) -> Map {
        let mut converted: Vec<(usize, String, Map)> = Vec::new();
        while let Some(name) = self.queue.pop() {
            let Some(named) = self.named.get(&name).cloned() else {
                continue;
            };
            let schema = self.schema(named.schema, &named.path, 0);
            converted.push((named.order, name, schema));
        }
        converted.sort_by_key(|(order, _, _)| *order);
        let unused: Vec<(String, String)> = self
            .named
            .iter()
            .filter(|(name, _)| !self.referenced.contains(*name) && !self.merged.contains(*name))
            .map(|(name, named)| (name.clone(), named.path.clone()))
            .collect();
        for (name, path) in unused {
            self.warn(
                path,
                "unused-definition",
                format!(
                    "schema {name} is defined but nothing of this operation refers to it; left out"
                ),
            );
        }
        Map(converted
            .into_iter()
            .map(|(_, name, schema)| (name, Node::Map(schema)))
            .collect())
    }

    /// A free-form object standing for a schema the spec cannot type, with a note saying why.
    fn untyped(&mut self, at: &str, why: &str, description: Option<&str>) -> Map {
        self.warn(
            at,
            "untyped",
            format!("{why}; written as a free-form object (the spec has no \"any value\" type)"),
        );
        let mut m = Map::new();
        m.set_str("type", "object");
        if let Some(d) = description {
            m.set_str("description", d);
        }
        m.set_str("note", format!("API Explorer: {why}."));
        m
    }

    /// Converts the schema at `at`.
    pub fn schema(&mut self, j: &J, at: &str, depth: usize) -> Map {
        if depth > 48 {
            return self.untyped(at, "the schema is nested more than 48 levels deep", None);
        }
        let Some(_) = j.as_obj() else {
            return self.untyped(
                at,
                &format!("the schema is {}, not an object", j.type_word()),
                None,
            );
        };
        if let Some(reference) = j.get("$ref") {
            return self.reference(j, reference, at);
        }
        if j.get("allOf").is_some() {
            return self.all_of(j, at, depth);
        }
        self.plain(j, at, depth)
    }

    /// `{$ref: X}` with what may stand beside it.
    fn reference(&mut self, j: &J, reference: &J, at: &str) -> Map {
        let description = self.description(j, at);
        let Some(text) = reference.as_str() else {
            return self.untyped(
                &child(at, "$ref"),
                &format!("`$ref` is {}, not a string", reference.type_word()),
                description.as_deref(),
            );
        };
        let Some(name) = self.ref_target(text, &child(at, "$ref")) else {
            return self.untyped(
                &child(at, "$ref"),
                &format!("the definition refers to `{text}`, which it does not contain"),
                description.as_deref(),
            );
        };
        self.refer(&name);
        let mut m = Map::new();
        m.set_str("$ref", name.clone());
        if let Some(d) = description {
            m.set_str("description", d);
        }
        if nullable(j) {
            m.set("nullable", Node::Bool(true));
        }
        // A `type` that says what the target says adds nothing.
        let target_type = self
            .named
            .get(&name)
            .and_then(|n| n.schema.str_of("type"))
            .map(str::to_string);
        let mut known = vec!["$ref", "description", "title", "nullable", "x-nullable"];
        // A property's own `required: true` is read by its parent.
        if matches!(j.get("required"), Some(J::Bool(_))) {
            known.push("required");
        }
        if j.str_of("type").is_some() && j.str_of("type") == target_type.as_deref() {
            known.push("type");
        }
        if j.str_of("type") == Some("object") && target_type.is_none() {
            known.push("type");
        }
        self.leftovers(j, &known, at, "a `$ref` schema's");
        m
    }

    /// `description`, or `title` when there is none.
    fn description(&mut self, j: &J, at: &str) -> Option<String> {
        let description = j
            .str_of("description")
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        let title = j
            .str_of("title")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        match (description, title) {
            (Some(d), Some(t)) if d != t => {
                self.warn(
                    child(at, "title"),
                    "not-carried:title",
                    format!(
                        "title \"{t}\" beside the description has no place in the spec; left out"
                    ),
                );
                Some(d)
            }
            (Some(d), _) => Some(d),
            (None, t) => t,
        }
    }

    /// `allOf`: the members' properties in one object (a single member stays a reference).
    fn all_of(&mut self, j: &J, at: &str, depth: usize) -> Map {
        let members = j.get("allOf").and_then(J::as_arr).unwrap_or(&[]);
        let has_own = j.get("properties").is_some();
        if members.len() == 1 && !has_own {
            let Some(member) = members.first() else {
                return Map::new();
            };
            let mut m = self.schema(member, &index(&child(at, "allOf"), 0), depth + 1);
            if let Some(d) = self.description(j, at) {
                m.set_str("description", d);
            }
            self.leftovers(
                j,
                &["allOf", "description", "title", "type", "required"],
                at,
                "an `allOf` schema's",
            );
            return m;
        }
        let mut properties: Vec<(String, J)> = Vec::new();
        let mut required: Vec<J> = Vec::new();
        let mut parts: Vec<(J, String)> = members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.clone(), index(&child(at, "allOf"), i)))
            .collect();
        if has_own {
            parts.push((j.clone(), at.to_string()));
        }
        for (member, member_at) in parts {
            let (resolved, resolved_at) =
                self.resolve_for_merge(&member, &member_at, depth, &mut Vec::new());
            let Some(resolved) = resolved else { continue };
            let props = resolved.get("properties").and_then(J::as_obj);
            let ty = resolved.str_of("type");
            if props.is_none() && !matches!(ty, None | Some("object")) {
                self.warn(
                    &member_at,
                    "allOf",
                    format!(
                        "`allOf` member is {} (type {}), not an object; left out",
                        resolved_at,
                        ty.unwrap_or("?")
                    ),
                );
                continue;
            }
            for (name, schema) in props.unwrap_or(&[]) {
                if properties.iter().any(|(n, _)| n == name) {
                    self.warn(
                        child(&child(&resolved_at, "properties"), name),
                        "allOf",
                        format!(
                            "property {name} is given by two `allOf` members; the first is kept"
                        ),
                    );
                    continue;
                }
                properties.push((name.clone(), schema.clone()));
            }
            if let Some(list) = resolved.get("required").and_then(J::as_arr) {
                required.extend(list.iter().cloned());
            }
        }
        let mut merged: Vec<(String, J)> = vec![("type".into(), J::Str("object".into()))];
        for key in ["description", "title", "x-nullable", "nullable"] {
            if let Some(v) = j.get(key) {
                merged.push((key.into(), v.clone()));
            }
        }
        merged.push(("properties".into(), J::Obj(properties)));
        if !required.is_empty() {
            merged.push(("required".into(), J::Arr(required)));
        }
        self.leftovers(
            j,
            &[
                "allOf",
                "properties",
                "required",
                "type",
                "description",
                "title",
                "nullable",
                "x-nullable",
            ],
            at,
            "an `allOf` schema's",
        );
        self.plain(&J::Obj(merged), at, depth)
    }

    /// A member of `allOf` with its `$ref`s (and nested `allOf`s) followed, as one object.
    /// `chain` holds the names being expanded: a name that refers back to itself is a cycle.
    fn resolve_for_merge(
        &mut self,
        member: &J,
        at: &str,
        depth: usize,
        chain: &mut Vec<String>,
    ) -> (Option<J>, String) {
        let len = chain.len();
        let out = self.resolve_chain(member, at, depth, chain);
        chain.truncate(len);
        out
    }

    fn resolve_chain(
        &mut self,
        member: &J,
        at: &str,
        depth: usize,
        chain: &mut Vec<String>,
    ) -> (Option<J>, String) {
        let mut current = member.clone();
        let mut current_at = at.to_string();
        for _ in 0..16 {
            let Some(reference) = current.str_of("$ref").map(str::to_string) else {
                break;
            };
            match self.ref_target(&reference, &child(&current_at, "$ref")) {
                Some(name) => {
                    if chain.contains(&name) {
                        self.warn(
                            child(&current_at, "$ref"),
                            "allOf",
                            format!("`allOf` member refers back to {name} (a cycle); left out"),
                        );
                        return (None, current_at);
                    }
                    let Some(named) = self.named.get(&name).cloned() else {
                        break;
                    };
                    chain.push(name.clone());
                    self.merged.insert(name);
                    current = named.schema.clone();
                    current_at = named.path;
                }
                None => {
                    self.warn(
                        child(&current_at, "$ref"),
                        "ref",
                        format!("`allOf` member refers to `{reference}`, which the definition does not contain; left out"),
                    );
                    return (None, current_at);
                }
            }
        }
        if current.get("allOf").is_some() && depth < 32 {
            // Flatten the nested allOf through the converter's own rules.
            let members = current
                .get("allOf")
                .and_then(J::as_arr)
                .unwrap_or(&[])
                .to_vec();
            let mut properties: Vec<(String, J)> = Vec::new();
            let mut required = Vec::new();
            let mut parts: Vec<(J, String)> = members
                .iter()
                .enumerate()
                .map(|(i, m)| (m.clone(), index(&child(&current_at, "allOf"), i)))
                .collect();
            if current.get("properties").is_some() {
                parts.push((
                    J::Obj(
                        current
                            .as_obj()
                            .unwrap_or(&[])
                            .iter()
                            .filter(|(k, _)| k != "allOf")
                            .cloned()
                            .collect(),
                    ),
                    current_at.clone(),
                ));
            }
            for (part, part_at) in parts {
                let (resolved, _) = self.resolve_for_merge(&part, &part_at, depth + 1, chain);
                let Some(resolved) = resolved else { continue };
                for (name, schema) in resolved
                    .get("properties")
                    .and_then(J::as_obj)
                    .unwrap_or(&[])
                {
                    if !properties.iter().any(|(n, _)| n == name) {
                        properties.push((name.clone(), schema.clone()));
                    }
                }
                if let Some(list) = resolved.get("required").and_then(J::as_arr) {
                    required.extend(list.iter().cloned());
                }
            }
            let mut merged = vec![
                ("type".to_string(), J::Str("object".into())),
                ("properties".to_string(), J::Obj(properties)),
            ];
            if !required.is_empty() {
                merged.push(("required".into(), J::Arr(required)));
            }
            return (Some(J::Obj(merged)), current_at);
        }
        (Some(current), current_at)
    }

    /// The type a schema states (normalized) and the format that goes with it.
    fn stated_type(&mut self, j: &J, at: &str) -> (Option<&'static str>, Option<String>, bool) {
        let format = j.str_of("format").map(str::to_string);
        let mut null = false;
        let word: Option<String> = match j.get("type") {
            None | Some(J::Null) => None,
            Some(J::Str(s)) => Some(s.clone()),
            Some(J::Arr(list)) => {
                // OpenAPI 3.1 style `["string", "null"]`.
                let words: Vec<&str> = list.iter().filter_map(J::as_str).collect();
                null = words.contains(&"null");
                let rest: Vec<&str> = words.into_iter().filter(|w| *w != "null").collect();
                if rest.len() > 1 {
                    self.warn(
                        child(at, "type"),
                        "type",
                        format!("several types ({}); the first is used", rest.join(", ")),
                    );
                }
                rest.first().map(|s| s.to_string())
            }
            Some(other) => {
                self.warn(
                    child(at, "type"),
                    "type",
                    format!(
                        "`type` is {}, not a string; the type is inferred",
                        other.type_word()
                    ),
                );
                None
            }
        };
        let Some(word) = word else {
            return (None, format, null);
        };
        let (ty, implied_format): (Option<&'static str>, Option<&str>) =
            match word.to_ascii_lowercase().as_str() {
                "string" | "str" => (Some("string"), None),
                "integer" | "int" | "int32" => (Some("integer"), None),
                "long" | "int64" | "bigint" => (Some("integer"), Some("int64")),
                "number" => (Some("number"), None),
                "double" => (Some("number"), Some("double")),
                "float" => (Some("number"), Some("float")),
                "boolean" | "bool" => (Some("boolean"), None),
                "object" => (Some("object"), None),
                "array" => (Some("array"), None),
                "file" => (Some("string"), Some("binary")),
                _ => (None, None),
            };
        match ty {
            None => {
                self.warn(
                    child(at, "type"),
                    "type",
                    format!("unknown type `{word}`; the type is inferred from the other keys"),
                );
                (None, format, null)
            }
            Some(t) => {
                if word != t && word != "file" {
                    // `long`, `Integer`, ...: read, and said where.
                    self.warn(
                        child(at, "type"),
                        "type-spelling",
                        format!(
                            "type `{word}` read as `{t}`{}",
                            implied_format
                                .map(|f| format!(" ({f})"))
                                .unwrap_or_default()
                        ),
                    );
                }
                let format = match (implied_format, format) {
                    (Some(implied), Some(given)) if given != implied && word != "file" => {
                        self.warn(
                            child(at, "format"),
                            "format",
                            format!("format `{given}` beside type `{word}`; `{implied}` is used"),
                        );
                        Some(implied.to_string())
                    }
                    (Some(implied), _) => Some(implied.to_string()),
                    (None, given) => given,
                };
                (Some(t), format, null)
            }
        }
    }

    /// The type the keys of an untyped schema imply.
    fn implied_type(j: &J) -> Option<&'static str> {
        if j.get("properties").is_some() {
            return Some("object");
        }
        if j.get("items").is_some() || j.get("minItems").is_some() || j.get("maxItems").is_some() {
            return Some("array");
        }
        if j.get("additionalProperties").is_some() {
            return Some("object");
        }
        if let Some(values) = j.get("enum").and_then(J::as_arr) {
            let first = values.iter().find(|v| !v.is_null());
            return match first {
                Some(J::Str(_)) => Some("string"),
                Some(J::Bool(_)) => Some("boolean"),
                Some(J::Num(n)) if n.is_i64() || n.is_u64() => Some("integer"),
                Some(J::Num(_)) => Some("number"),
                _ => None,
            };
        }
        match j.str_of("format") {
            Some("int32" | "int64") => return Some("integer"),
            Some("float" | "double") => return Some("number"),
            Some(_) => return Some("string"),
            None => {}
        }
        if j.get("minLength").is_some()
            || j.get("maxLength").is_some()
            || j.get("pattern").is_some()
        {
            return Some("string");
        }
        if j.get("minimum").is_some() || j.get("maximum").is_some() {
            return Some("number");
        }
        match j.get("example").or_else(|| j.get("default")) {
            Some(J::Str(_)) => Some("string"),
            Some(J::Bool(_)) => Some("boolean"),
            Some(J::Num(n)) if n.is_i64() || n.is_u64() => Some("integer"),
            Some(J::Num(_)) => Some("number"),
            Some(J::Arr(_)) => Some("array"),
            Some(J::Obj(_)) => Some("object"),
            _ => None,
        }
    }

    /// A schema without `$ref` or `allOf`.
    fn plain(&mut self, j: &J, at: &str, depth: usize) -> Map {
        let description = self.description(j, at);
        if let Some(variants) = j.get("oneOf").or_else(|| j.get("anyOf")) {
            return self.one_of(j, variants, description, at, depth);
        }
        let (stated, format, null_in_type) = self.stated_type(j, at);
        let ty = match stated.or_else(|| Self::implied_type(j)) {
            Some(t) => t,
            None => {
                let mut m =
                    self.untyped(at, "the definition gives no type", description.as_deref());
                self.leftovers(j, SCHEMA_KEYS, at, "a schema's");
                if nullable(j) || null_in_type {
                    m.set("nullable", Node::Bool(true));
                }
                return m;
            }
        };
        let mut m = Map::new();
        // `additionalProperties` without `properties`: a map.
        let additional = j.get("additionalProperties");
        let has_props = j
            .get("properties")
            .and_then(J::as_obj)
            .is_some_and(|p| !p.is_empty());
        let map_values = match (ty, additional, has_props) {
            ("object", Some(ap @ J::Obj(_)), false) if !is_empty_schema(ap) => Some(ap),
            _ => None,
        };
        let ty = if map_values.is_some() { "map" } else { ty };
        m.set_str("type", ty);
        if let Some(f) = self.format_for(ty, format, at) {
            m.set_str("format", f);
        }
        if let Some(d) = &description {
            m.set_str("description", d.clone());
        }
        let mut enum_nullable = false;
        if let Some(values) = j.get("enum") {
            if let Some((list, null_listed)) = self.enum_values(values, ty, &child(at, "enum")) {
                enum_nullable = null_listed;
                if ty == "array" {
                    // An array's enum lists its items' values.
                    self.warn(
                        child(at, "enum"),
                        "enum",
                        "the enum of an array type lists its items' values; moved to `items`",
                    );
                } else if !list.is_empty() {
                    m.set("enum", Node::Seq(list));
                }
            }
        }
        if nullable(j) || null_in_type || enum_nullable {
            m.set("nullable", Node::Bool(true));
        }
        match ty {
            "object" => self.object(j, at, depth, has_props, additional, &mut m),
            "map" => {
                if let Some(values) = map_values {
                    let v = self.schema(values, &child(at, "additionalProperties"), depth + 1);
                    m.set("values", Node::Map(v));
                }
            }
            "array" => {
                let items_at = child(at, "items");
                let mut items = match j.get("items") {
                    Some(J::Arr(list)) => {
                        self.warn(
                            &items_at,
                            "items",
                            "`items` is a list (a tuple); the first schema stands for every item",
                        );
                        match list.first() {
                            Some(first) => self.schema(first, &index(&items_at, 0), depth + 1),
                            None => {
                                self.untyped(&items_at, "the array's items have no schema", None)
                            }
                        }
                    }
                    Some(items) => self.schema(items, &items_at, depth + 1),
                    None => self.untyped(at, "the array's items have no schema", None),
                };
                if let (Some(values), true) =
                    (j.get("enum"), !items.has("enum") && !items.has("$ref"))
                {
                    let item_ty = items.get_str("type").unwrap_or("string").to_string();
                    if let Some((list, _)) = self.enum_values(values, &item_ty, &child(at, "enum"))
                    {
                        if !list.is_empty() {
                            items.set("enum", Node::Seq(list));
                            crate::import::backend::canonical::canonical_schema(&mut items, 0);
                        }
                    }
                }
                m.set("items", Node::Map(items));
            }
            _ => {}
        }
        self.ranges(j, ty, at, &mut m);
        if let Some(default) = j.get("default") {
            if let Some(node) = self.default_value(default, &child(at, "default")) {
                m.set("default", node);
            }
        }
        if ty != "object" && ty != "map" {
            for key in ["properties", "additionalProperties", "required"] {
                if let Some(v) = j.get(key) {
                    if key == "required" && matches!(v, J::Bool(_)) {
                        continue; // a property's own `required: true`, read by its parent
                    }
                    if key == "additionalProperties" && ty == "map" {
                        continue;
                    }
                    self.warn(
                        child(at, key),
                        "not-carried:".to_string() + key,
                        format!("`{key}` beside type {ty} has no place in the spec; left out"),
                    );
                }
            }
        }
        if ty != "array" && j.get("items").is_some() {
            self.warn(
                child(at, "items"),
                "not-carried:items",
                format!("`items` beside type {ty} has no place in the spec; left out"),
            );
        }
        for key in NOT_CARRIED {
            if let Some(v) = j.get(key) {
                if v.is_null() || (*key == "deprecated" && *v == J::Bool(false)) {
                    continue;
                }
                self.warn(
                    child(at, key),
                    format!("not-carried:{key}"),
                    format!(
                        "`{key}` ({}) has no place in a spec schema; left out",
                        v.short(60)
                    ),
                );
            }
        }
        let mut known: Vec<&str> = SCHEMA_KEYS.to_vec();
        known.extend_from_slice(NOT_CARRIED);
        self.leftovers(j, &known, at, "a schema's");
        m
    }

    fn object(
        &mut self,
        j: &J,
        at: &str,
        depth: usize,
        has_props: bool,
        additional: Option<&J>,
        m: &mut Map,
    ) {
        let props_at = child(at, "properties");
        let mut props = Map::new();
        let mut required: Vec<Node> = Vec::new();
        match j.get("properties") {
            Some(J::Obj(members)) => {
                for (name, schema) in members {
                    let prop_at = child(&props_at, name);
                    if schema.as_obj().is_none() {
                        self.warn(
                            &prop_at,
                            "property",
                            format!(
                                "property {name} is {}, not a schema; left out",
                                schema.type_word()
                            ),
                        );
                        continue;
                    }
                    if schema.get("required") == Some(&J::Bool(true)) {
                        required.push(Node::str(name.clone()));
                    }
                    let converted = self.schema(schema, &prop_at, depth + 1);
                    props.set(name, Node::Map(converted));
                }
            }
            Some(J::Null) | None => {}
            Some(other) => self.warn(
                &props_at,
                "property",
                format!(
                    "`properties` is {}, not an object; left out",
                    other.type_word()
                ),
            ),
        }
        match j.get("required") {
            Some(J::Arr(names)) => {
                for (i, name) in names.iter().enumerate() {
                    match name.as_str() {
                        Some(n) if props.has(n) => {
                            if !required
                                .iter()
                                .any(|r| r.scalar_text().as_deref() == Some(n))
                            {
                                required.push(Node::str(n));
                            }
                        }
                        Some(n) => self.warn(
                            index(&child(at, "required"), i),
                            "required",
                            format!("required property {n} is not among the properties; left out"),
                        ),
                        None => self.warn(
                            index(&child(at, "required"), i),
                            "required",
                            format!("a required name is {}; left out", name.type_word()),
                        ),
                    }
                }
            }
            Some(J::Bool(_)) | Some(J::Null) | None => {}
            Some(other) => self.warn(
                child(at, "required"),
                "required",
                format!("`required` is {}, not a list; left out", other.type_word()),
            ),
        }
        if !props.0.is_empty() {
            m.set("properties", Node::Map(props));
        }
        if !required.is_empty() {
            m.set("required", Node::Seq(required));
        }
        match (additional, has_props) {
            (Some(J::Obj(_)), true) => self.warn(
                child(at, "additionalProperties"),
                "not-carried:additionalProperties",
                "an object with both properties and additionalProperties: the additional properties' schema has no place in the spec; left out",
            ),
            (Some(J::Bool(false)), true) => self.warn(
                child(at, "additionalProperties"),
                "not-carried:additionalProperties",
                "`additionalProperties: false` (a closed object) has no place in the spec; left out",
            ),
            _ => {}
        }
    }

    /// `oneOf` (or `anyOf`) -> `one_of`.
    fn one_of(
        &mut self,
        j: &J,
        variants: &J,
        description: Option<String>,
        at: &str,
        depth: usize,
    ) -> Map {
        let key = if j.get("oneOf").is_some() {
            "oneOf"
        } else {
            "anyOf"
        };
        let list_at = child(at, key);
        let mut m = Map::new();
        if let Some(d) = description {
            m.set_str("description", d);
        }
        let Some(list) = variants.as_arr().filter(|l| !l.is_empty()) else {
            return self.untyped(
                &list_at,
                &format!("`{key}` is not a list of schemas"),
                m.get_str("description"),
            );
        };
        if key == "anyOf" {
            self.warn(
                &list_at,
                "anyOf",
                "`anyOf` is written as `one_of` (a value matching several variants decodes as the first)",
            );
        }
        let mut out = Vec::new();
        for (i, variant) in list.iter().enumerate() {
            out.push(Node::Map(self.schema(
                variant,
                &index(&list_at, i),
                depth + 1,
            )));
        }
        m.set("one_of", Node::Seq(out));
        if nullable(j) {
            m.set("nullable", Node::Bool(true));
        }
        let mut known = vec![key, "description", "title", "nullable", "x-nullable"];
        // A `type: object` beside oneOf adds nothing the variants do not say.
        if j.str_of("type") == Some("object") {
            known.push("type");
        }
        self.leftovers(j, &known, at, "a `oneOf` schema's");
        m
    }

    /// The format written for a type: what the spec allows, or a warning.
    fn format_for(&mut self, ty: &str, format: Option<String>, at: &str) -> Option<String> {
        let format = format?;
        let at = child(at, "format");
        let lower = format.to_ascii_lowercase();
        match ty {
            "string" => Some(format),
            "integer" => match lower.as_str() {
                "int32" | "int64" => Some(lower),
                "int8" | "int16" | "int" | "integer" | "int32s" => {
                    self.warn(
                        at,
                        "format",
                        format!("integer format `{format}` is written as int32"),
                    );
                    Some("int32".into())
                }
                "uint32" | "uint64" | "long" => {
                    self.warn(
                        at,
                        "format",
                        format!("integer format `{format}` is written as int64"),
                    );
                    Some("int64".into())
                }
                _ => {
                    self.warn(
                        at,
                        "format",
                        format!("format `{format}` does not fit an integer; left out"),
                    );
                    None
                }
            },
            "number" => match lower.as_str() {
                "float" | "double" => Some(lower),
                "float32" => Some("float".into()),
                "float64" => Some("double".into()),
                _ => {
                    self.warn(
                        at,
                        "format",
                        format!("format `{format}` does not fit a number; left out"),
                    );
                    None
                }
            },
            _ => {
                self.warn(
                    at,
                    "format",
                    format!("format `{format}` on type {ty} has no place in the spec; left out"),
                );
                None
            }
        }
    }

    /// Enum values typed after the schema; `None` when there is no usable list. The flag says
    /// whether `null` was listed (the schema is then nullable).
    pub fn enum_values(&mut self, values: &J, ty: &str, at: &str) -> Option<(Vec<Node>, bool)> {
        let Some(list) = values.as_arr() else {
            self.warn(
                at,
                "enum",
                format!("`enum` is {}, not a list; left out", values.type_word()),
            );
            return None;
        };
        if matches!(ty, "object" | "map") {
            self.warn(
                at,
                "enum",
                format!("an enum on type {ty} has no place in the spec; left out"),
            );
            return None;
        }
        let mut out: Vec<Node> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut null = false;
        for (i, value) in list.iter().enumerate() {
            let value_at = index(at, i);
            let typed = match (ty, value) {
                (_, J::Null) => {
                    null = true;
                    continue;
                }
                ("string", J::Str(s)) => Node::Str(s.clone()),
                ("string", J::Num(n)) => {
                    self.warn(
                        &value_at,
                        "enum",
                        format!("enum value {n} of a string is written as \"{n}\""),
                    );
                    Node::Str(n.to_string())
                }
                ("string", J::Bool(b)) => {
                    self.warn(
                        &value_at,
                        "enum",
                        format!("enum value {b} of a string is written as \"{b}\""),
                    );
                    Node::Str(b.to_string())
                }
                ("integer", J::Num(n)) if n.as_i64().is_some() => number_node(n),
                ("integer", J::Str(s)) if s.trim().parse::<i64>().is_ok() => {
                    self.warn(
                        &value_at,
                        "enum",
                        format!(
                            "enum value \"{s}\" of an integer is written as {}",
                            s.trim()
                        ),
                    );
                    Node::Int(s.trim().parse::<i64>().unwrap_or_default())
                }
                ("number", J::Num(n)) => number_node(n),
                ("boolean", J::Bool(b)) => Node::Bool(*b),
                ("array", J::Str(_) | J::Num(_) | J::Bool(_)) => to_node(value),
                (_, other) => {
                    self.warn(
                        &value_at,
                        "enum",
                        format!(
                            "enum value {} does not fit type {ty}; left out",
                            other.short(40)
                        ),
                    );
                    continue;
                }
            };
            let key = typed.scalar_text().unwrap_or_default();
            if !seen.insert(format!("{typed:?}{key}")) {
                self.warn(
                    &value_at,
                    "enum",
                    format!("enum value {key} is listed twice; the repeat is left out"),
                );
                continue;
            }
            let mut entry = Map::new();
            entry.set("value", typed);
            out.push(Node::Map(entry));
        }
        Some((out, null))
    }

    /// Length, number and item ranges, and the pattern.
    fn ranges(&mut self, j: &J, ty: &str, at: &str, m: &mut Map) {
        let pairs: [(&str, &str, &str, &[&str]); 3] = [
            ("minLength", "maxLength", "length", &["string"]),
            ("minimum", "maximum", "number", &["integer", "number"]),
            ("minItems", "maxItems", "items", &["array"]),
        ];
        for (lo_key, hi_key, what, types) in pairs {
            let mut bounds: [Option<i64>; 2] = [None, None];
            for (slot, key) in [lo_key, hi_key].iter().enumerate() {
                let Some(value) = j.get(key) else { continue };
                if value.is_null() {
                    continue;
                }
                let key_at = child(at, key);
                if !types.contains(&ty) {
                    self.warn(
                        key_at,
                        "bound-type",
                        format!(
                            "`{key}: {}` on type {ty} has no place in the spec; left out",
                            value.short(30)
                        ),
                    );
                    continue;
                }
                match whole(value) {
                    Some(n) if what != "number" && n < 0 => self.warn(
                        key_at,
                        "bound",
                        format!("`{key}: {n}` is negative; left out"),
                    ),
                    Some(n) => {
                        if let Some(bound) = bounds.get_mut(slot) {
                            *bound = Some(n);
                        }
                    }
                    None => {
                        let kind = if matches!(value, J::Num(_)) {
                            "fractional-bound"
                        } else {
                            "bound"
                        };
                        self.warn(
                            key_at,
                            kind,
                            format!("`{key}: {}` is not a whole number, which the spec's ranges are; left out", value.short(30)),
                        );
                    }
                }
            }
            if let [Some(lo), Some(hi)] = bounds {
                if lo > hi {
                    self.warn(
                        child(at, lo_key),
                        "reversed-range",
                        format!("`{lo_key}: {lo}` is greater than `{hi_key}: {hi}`; both left out"),
                    );
                    continue;
                }
            }
            let names: [&str; 2] = match what {
                "length" => ["min_length", "max_length"],
                "number" => ["minimum", "maximum"],
                _ => ["min_items", "max_items"],
            };
            for (bound, name) in bounds.iter().zip(names) {
                if let Some(n) = bound {
                    m.set(name, Node::Int(*n));
                }
            }
        }
        if let Some(pattern) = j.get("pattern") {
            match (pattern, ty) {
                (J::Str(p), "string") => m.set_str("pattern", p.clone()),
                (J::Null, _) => {}
                (other, _) => self.warn(
                    child(at, "pattern"),
                    "bound-type",
                    format!(
                        "`pattern: {}` on type {ty} has no place in the spec; left out",
                        other.short(40)
                    ),
                ),
            }
        }
    }
}

/// `nullable: true` or `x-nullable: true`.
fn nullable(j: &J) -> bool {
    j.get("nullable") == Some(&J::Bool(true)) || j.get("x-nullable") == Some(&J::Bool(true))
}
