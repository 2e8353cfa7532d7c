//! Whether an example matches its schema, by the generator's own rules (`validate.rs`'s
//! `match_value`), on the spec tree the importer is about to write: a spec whose example does
//! not match is refused by the generator unless the example carries an `example_note`, so the
//! importer must find exactly the mismatches the generator finds.
//!
//! The rules: `$ref`s resolve through the operation's schemas, then the service's; `null`
//! needs `nullable: true` (on the reference or its target); `integer` is an int32 unless
//! `format: int64`; `number` any number; `object` and `map` a JSON object; an object's members
//! must be properties (unless it has none); enum values compare as JSON values; `one_of`
//! matches when some variant does; in a request body, every `required` property is present
//! and not `null` (the request model holds it as a plain value). A dangling or looping `$ref`
//! matches anything (the generator reports the reference itself).

use serde_json::Value;

use super::node::{Map, Node};

/// The named schemas a `$ref` can reach: the operation's, then the service's.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub local: &'a Map,
    pub shared: &'a Map,
}

impl<'a> Scope<'a> {
    fn get(&self, name: &str) -> Option<&'a Map> {
        self.local
            .get_map(name)
            .or_else(|| self.shared.get_map(name))
    }

    /// Follows `$ref`s to the schema that has no `$ref`; `None` when one dangles or loops.
    pub fn resolve(&self, schema: &'a Map) -> Option<&'a Map> {
        let mut current = schema;
        for _ in 0..64 {
            match current.get_str("$ref") {
                Some(name) => current = self.get(name)?,
                None => return Some(current),
            }
        }
        None
    }
}

/// The mismatches of an example (JSON text) with its schema, each with the JSON path inside
/// the example (`$.regions[0] is 1, expected a string`). `Err` when the text is not JSON.
/// `request` is set for a request body's example.
pub fn check_example(
    example: &str,
    schema: &Map,
    request: bool,
    scope: Scope<'_>,
) -> Result<Vec<String>, String> {
    let value: Value = serde_json::from_str(example).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    match_value(&value, schema, "$", scope, &mut problems, 0, request);
    Ok(problems)
}

/// An example of a spec that contradicts its schema, now carrying an `example_note`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Where the example is: `["body"]` or `["responses", "200"]`.
    pub place: Vec<String>,
    /// What does not match (the first five mismatches, and how many more).
    pub what: String,
}

impl Mismatch {
    /// `the request body` or `response 200`.
    pub fn where_(&self) -> String {
        match self.place.as_slice() {
            [body] if body == "body" => "the request body".to_owned(),
            [_, code] => format!("response {code}"),
            _ => self.place.join("."),
        }
    }
}

/// Checks each example of a spec tree (request body and responses) against its schema by the
/// generator's rules; one that does not match gets an `example_note` written by `note` from the
/// description of the mismatch, so the generator keeps it (documented, but not used as a
/// test) instead of refusing the spec.
pub fn note_mismatches(spec: &mut Map, note: impl Fn(&str) -> String) -> Vec<Mismatch> {
    let local = spec.get_map("schemas").cloned().unwrap_or_default();
    let shared = Map::new();
    let scope = Scope {
        local: &local,
        shared: &shared,
    };
    let mut places: Vec<Vec<String>> = Vec::new();
    if spec.get_map("body").is_some_and(|b| b.has("example")) {
        places.push(vec!["body".into()]);
    }
    if let Some(responses) = spec.get_map("responses") {
        for (code, r) in &responses.0 {
            if r.as_map().is_some_and(|r| r.has("example")) {
                places.push(vec!["responses".into(), code.clone()]);
            }
        }
    }
    let mut noted = Vec::new();
    for place in places {
        let Some(target) = place_mut(spec, &place) else {
            continue;
        };
        let (Some(example), Some(schema)) = (target.get_str("example"), target.get_map("schema"))
        else {
            continue;
        };
        let request = place.first().map(String::as_str) == Some("body");
        let problems = match check_example(example, schema, request, scope) {
            Ok(p) => p,
            Err(e) => vec![format!("the example is not JSON: {e}")],
        };
        if problems.is_empty() {
            continue;
        }
        let shown: Vec<&str> = problems.iter().take(5).map(String::as_str).collect();
        let more = problems.len().saturating_sub(shown.len());
        let what = if more > 0 {
            format!("{}; and {more} more", shown.join("; "))
        } else {
            shown.join("; ")
        };
        target.set_str("example_note", note(&what));
        noted.push(Mismatch { place, what });
    }
    noted
}

fn place_mut<'m>(spec: &'m mut Map, place: &[String]) -> Option<&'m mut Map> {
    let mut current = spec;
    for key in place {
        current = current.get_mut(key)?.as_map_mut()?;
    }
    Some(current)
}

/// The mismatches of a JSON value (a parameter's default) with its schema.
pub fn check_value(value: &Value, schema: &Map, scope: Scope<'_>) -> Vec<String> {
    let mut problems = Vec::new();
    match_value(value, schema, "$", scope, &mut problems, 0, false);
    problems
}

/// The JSON value a YAML scalar of the spec reads as (what the generator compares enum values
/// with).
pub fn node_value(node: &Node) -> Value {
    match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => Value::from(*i),
        Node::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Node::Str(s) => Value::String(s.clone()),
        Node::Seq(items) => Value::Array(items.iter().map(node_value).collect()),
        Node::Map(m) => Value::Object(
            m.0.iter()
                .map(|(k, v)| (k.clone(), node_value(v)))
                .collect(),
        ),
    }
}

/// A value in a message: its JSON, cut after 60 characters.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn type_word(ty: &str) -> &str {
    match ty {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean",
        "object" => "an object",
        "array" => "an array",
        "map" => "a map",
        other => other,
    }
}

fn match_value(
    value: &Value,
    schema: &Map,
    at: &str,
    scope: Scope<'_>,
    problems: &mut Vec<String>,
    depth: usize,
    request: bool,
) {
    if depth > 64 {
        return;
    }
    let nullable = schema.get("nullable") == Some(&Node::Bool(true));
    let Some(target) = scope.resolve(schema) else {
        return;
    };
    let target_nullable = target.get("nullable") == Some(&Node::Bool(true));
    if value.is_null() {
        if !(nullable || target_nullable) {
            problems.push(format!(
                "{at} is null, but the schema is not `nullable: true`"
            ));
        }
        return;
    }
    if let Some(Node::Seq(variants)) = target.get("one_of") {
        let fits = variants.iter().filter_map(Node::as_map).any(|variant| {
            let mut inner = Vec::new();
            match_value(value, variant, at, scope, &mut inner, depth + 1, request);
            inner.is_empty()
        });
        if !fits {
            problems.push(format!(
                "{at} is {}, which matches none of the `one_of` schemas",
                shown(value)
            ));
        }
        return;
    }
    let Some(ty) = target.get_str("type") else {
        return;
    };
    let format = target.get_str("format");
    let fits = match ty {
        "string" => value.is_string(),
        "integer" => match (value.as_i64(), format) {
            (Some(_), Some("int64")) => true,
            (Some(number), _) => i32::try_from(number).is_ok(),
            (None, _) => false,
        },
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" | "map" => value.is_object(),
        "array" => value.is_array(),
        _ => true,
    };
    if !fits {
        let expected = match (ty, format) {
            ("integer", Some("int64")) => "an int64 integer".to_owned(),
            ("integer", _) => "an int32 integer".to_owned(),
            (other, _) => type_word(other).to_owned(),
        };
        problems.push(format!("{at} is {}, expected {expected}", shown(value)));
        return;
    }
    if let Some(Node::Seq(values)) = target.get("enum") {
        let allowed: Vec<Value> = values
            .iter()
            .filter_map(Node::as_map)
            .filter_map(|v| v.get("value"))
            .map(node_value)
            .collect();
        // Numbers by value, as the generator compares them: `1` and `1.0` are one number.
        let same = |a: &Value| match (a.as_f64(), value.as_f64()) {
            (Some(x), Some(y)) if a.is_f64() || value.is_f64() => x == y,
            _ => a == value,
        };
        if !allowed.iter().any(same) {
            let listed: Vec<String> = allowed.iter().map(Value::to_string).collect();
            problems.push(format!(
                "{at} is {}, not one of the enum values {}",
                shown(value),
                listed.join(", ")
            ));
        }
    }
    match (ty, value) {
        ("object", Value::Object(members)) => {
            if request {
                if let Some(Node::Seq(required)) = target.get("required") {
                    for name in required.iter().filter_map(Node::as_str) {
                        match members.get(name) {
                            None => problems
                                .push(format!("{at} lacks `{name}`, which the schema requires")),
                            Some(Value::Null) => problems.push(format!(
                                "{at}.{name} is null, but a required request field needs a value"
                            )),
                            Some(_) => {}
                        }
                    }
                }
            }
            let empty = Map::new();
            let properties = target.get_map("properties").unwrap_or(&empty);
            for (key, member) in members {
                match properties.get_map(key) {
                    Some(property) => match_value(
                        member,
                        property,
                        &format!("{at}.{key}"),
                        scope,
                        problems,
                        depth + 1,
                        request,
                    ),
                    None if properties.0.is_empty() => {}
                    None => problems.push(format!(
                        "{at} has `{key}`, which the schema does not define"
                    )),
                }
            }
        }
        ("map", Value::Object(members)) => {
            if let Some(values) = target.get_map("values") {
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
        ("array", Value::Array(items)) => {
            if let Some(item_schema) = target.get_map("items") {
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
