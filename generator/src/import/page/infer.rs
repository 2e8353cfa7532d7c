//! Members of a type the page names but never describes ("Array of ResourceTagInfo objects" with
//! no ResourceTagInfo table), or of a request body it shows only in its example, read from the
//! page's own examples, so that the fields an example
//! shows are not lost: typing the field as any JSON would drop them from the generated crate.
//! Every inferred member is optional (an example cannot say what is mandatory) and typed from its
//! JSON value; the caller reports each inferred type as a warning for the spec's reviewer.

use indexmap::IndexMap;
use serde_json::Value;

use super::build::UNDESCRIBED;
use super::node::{Map, Node};

/// Deeper than any real page nests; hostile input stops here.
const MAX_DEPTH: usize = 24;

/// Looks for the values of each undescribed type in the examples (`(schema, example)` pairs, the
/// root schemas of responses and request body), adds a named schema for each type an example shows
/// as an object, and points every use of such a type at it. The undescribed types no example shows
/// stay any JSON object. Returns the names of the inferred types.
pub fn infer_undescribed(
    roots: &mut [&mut Map],
    examples: &[Option<&Value>],
    named: &mut IndexMap<String, Map>,
) -> Vec<String> {
    let mut inferred: IndexMap<String, Map> = IndexMap::new();
    for (root, example) in roots.iter().zip(examples) {
        if let Some(json) = example {
            collect(root, json, named, &mut inferred, 0);
        }
    }
    let names: Vec<String> = inferred.keys().cloned().collect();
    for root in roots.iter_mut() {
        point_at(root, &names);
    }
    for schema in named.values_mut() {
        point_at(schema, &names);
    }
    for (name, schema) in inferred {
        named.entry(name).or_insert(schema);
    }
    names
}

/// Walks `schema` and `json` together, merging into `inferred` the members that `json` shows for
/// each undescribed type.
fn collect(
    schema: &Map,
    json: &Value,
    named: &IndexMap<String, Map>,
    inferred: &mut IndexMap<String, Map>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(target) = schema.get_str("$ref").and_then(|r| named.get(r)) {
        collect(target, json, named, inferred, depth + 1);
        return;
    }
    if let (Some(name), Value::Object(_)) = (schema.get_str(UNDESCRIBED), json) {
        let members = inferred.entry(name.to_string()).or_insert_with(|| {
            let mut m = Map::new();
            m.set_str("type", "object");
            m
        });
        merge_value(members, json, depth);
        return;
    }
    match json {
        Value::Object(members) => {
            if let Some(values) = schema.get_map("values") {
                for v in members.values() {
                    collect(values, v, named, inferred, depth + 1);
                }
            } else if let Some(props) = schema.get_map("properties") {
                for (k, v) in members {
                    if let Some(prop) = props.get_map(k) {
                        collect(prop, v, named, inferred, depth + 1);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get_map("items") {
                for v in items {
                    collect(item_schema, v, named, inferred, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Widens `schema` (inferred so far) so that it also describes `json`. A member's first non-null
/// value decides its type; later values only add members to objects.
fn merge_value(schema: &mut Map, json: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match json {
        Value::Object(members) if schema.get_str("type") == Some("object") => {
            if !schema.has("properties") {
                schema.set("properties", Node::Map(Map::new()));
            }
            let Some(Node::Map(props)) = schema.get_mut("properties") else {
                return;
            };
            for (k, v) in members {
                match props.get_mut(k) {
                    Some(Node::Map(prop)) => {
                        if prop.get_str("type") == Some("object")
                            && !prop.has("properties")
                            && !v.is_null()
                        {
                            // Only a null was seen so far: the first real value decides.
                            let nullable = prop.has("nullable");
                            *prop = fresh(v, depth + 1);
                            if nullable {
                                prop.set("nullable", Node::Bool(true));
                            }
                        } else {
                            merge_value(prop, v, depth + 1);
                        }
                    }
                    _ => props.set(k, Node::Map(fresh(v, depth + 1))),
                }
            }
        }
        Value::Array(items) if schema.get_str("type") == Some("array") => {
            let Some(Node::Map(item_schema)) = schema.get_mut("items") else {
                return;
            };
            for v in items {
                if item_schema.get_str("type") == Some("object")
                    && !item_schema.has("properties")
                    && !v.is_object()
                    && !v.is_null()
                {
                    *item_schema = fresh(v, depth + 1);
                } else {
                    merge_value(item_schema, v, depth + 1);
                }
            }
        }
        Value::Null => schema.set("nullable", Node::Bool(true)),
        _ => {}
    }
}

/// The schema an example shows: every member optional, typed from its value (see
/// [`infer_undescribed`]).
pub fn schema_of_example(json: &Value) -> Map {
    fresh(json, 0)
}

/// The schema of one JSON value: its kind, and for objects and arrays what they hold.
fn fresh(json: &Value, depth: usize) -> Map {
    let mut m = Map::new();
    match json {
        Value::String(_) => m.set_str("type", "string"),
        Value::Bool(_) => m.set_str("type", "boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            // An example cannot tell Integer from Long: the wider type decodes both.
            m.set_str("type", "integer");
            m.set_str("format", "int64");
        }
        Value::Number(_) => m.set_str("type", "number"),
        // Any JSON until a real value says more.
        Value::Null => {
            m.set_str("type", "object");
            m.set("nullable", Node::Bool(true));
        }
        Value::Array(items) => {
            m.set_str("type", "array");
            let mut item_schema = Map::new();
            item_schema.set_str("type", "object");
            m.set("items", Node::Map(item_schema));
            if let Some(first) = items.iter().find(|v| !v.is_null()) {
                m.set("items", Node::Map(fresh(first, depth + 1)));
            }
            merge_value(&mut m, json, depth);
        }
        Value::Object(_) => {
            m.set_str("type", "object");
            if depth <= MAX_DEPTH {
                merge_value(&mut m, json, depth);
            }
        }
    }
    m
}

/// Replaces the marker of each inferred type by a `$ref` to it, and drops the marker elsewhere.
/// Not depth-limited: no marker may survive, and the built tree's depth is bounded already.
fn point_at(schema: &mut Map, inferred: &[String]) {
    if let Some(Node::Str(name)) = schema.remove(UNDESCRIBED) {
        if inferred.contains(&name) {
            schema.remove("type");
            schema.set_str("$ref", name);
            schema.sort_by_order(&["$ref"]);
        }
    }
    if let Some(Node::Map(props)) = schema.get_mut("properties") {
        for (_, prop) in props.0.iter_mut() {
            if let Some(prop) = prop.as_map_mut() {
                point_at(prop, inferred);
            }
        }
    }
    for key in ["items", "values"] {
        if let Some(Node::Map(inner)) = schema.get_mut(key) {
            point_at(inner, inferred);
        }
    }
}
