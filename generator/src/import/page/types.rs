//! The page's type column ("String", "Long", "Array of Cluster objects", ...) as a schema shape.

/// A type as the page writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `type` and `format` of a scalar schema.
    Scalar(&'static str, Option<&'static str>),
    /// `Object`: an inline object described by a nested table.
    Object,
    /// `Cluster object`: a named schema described by a table titled `Cluster`.
    Named(String),
    Array(Box<Ty>),
    Map(Box<Ty>),
}

impl Ty {
    /// Whether a nested table describes this type (an object, or an array/map of objects).
    pub fn wants_table(&self) -> bool {
        match self {
            Ty::Object => true,
            Ty::Array(inner) | Ty::Map(inner) => inner.wants_table(),
            _ => false,
        }
    }

    /// The named schema this type refers to.
    pub fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(n) => Some(n),
            Ty::Array(inner) | Ty::Map(inner) => inner.named(),
            _ => None,
        }
    }

    pub fn is_scalar(&self) -> bool {
        matches!(self, Ty::Scalar(..))
    }
}

fn scalar(word: &str) -> Option<Ty> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('s');
    Some(match w {
        "string" | "str" | "char" => Ty::Scalar("string", None),
        "integer" | "int" | "int32" | "short" => Ty::Scalar("integer", Some("int32")),
        "long" | "int64" => Ty::Scalar("integer", Some("int64")),
        "boolean" | "bool" => Ty::Scalar("boolean", None),
        "number" | "bigdecimal" | "decimal" => Ty::Scalar("number", None),
        "float" => Ty::Scalar("number", Some("float")),
        "double" => Ty::Scalar("number", Some("double")),
        "object" => Ty::Object,
        // A bare `Array`: its items are what a nested table describes, or any JSON.
        "array" | "list" => Ty::Array(Box::new(Ty::Object)),
        _ => return None,
    })
}

/// Parses the page's type text.
pub fn parse_type(text: &str) -> Option<Ty> {
    let t = text.trim();
    if t.is_empty() || t.len() > 100 {
        return None;
    }
    if let Some(s) = scalar(t) {
        return Some(s);
    }
    let lower = t.to_lowercase();
    if let Some(rest) = lower.strip_prefix("array of ") {
        let orig = t.get("array of ".len()..)?.trim();
        if rest.trim() == "objects" || rest.trim() == "object" {
            return Some(Ty::Array(Box::new(Ty::Object)));
        }
        return parse_type(orig)
            .or_else(|| named(orig))
            .map(|inner| Ty::Array(Box::new(inner)));
    }
    if lower.starts_with("list<") || lower.starts_with("array<") {
        let inner = t.get(t.find('<')? + 1..t.rfind('>')?)?;
        return parse_type(inner)
            .or_else(|| identifier(inner).then(|| Ty::Named(inner.trim().to_string())))
            .map(|i| Ty::Array(Box::new(i)));
    }
    if lower.starts_with("map<") {
        let inner = t.get(t.find('<')? + 1..t.rfind('>')?)?;
        let value = inner.rsplit(',').next()?.trim();
        return parse_type(value)
            .or_else(|| identifier(value).then(|| Ty::Named(value.to_string())))
            .map(|v| Ty::Map(Box::new(v)));
    }
    named(t)
}

/// `Cluster object` / `Cluster objects` -> Named(Cluster).
fn named(t: &str) -> Option<Ty> {
    let name = t
        .strip_suffix(" objects")
        .or_else(|| t.strip_suffix(" object"))?
        .trim();
    identifier(name).then(|| Ty::Named(name.to_string()))
}

fn identifier(s: &str) -> bool {
    let s = s.trim();
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= 80
}

/// Whether the text can be a field or parameter name (`project_id`, `X-Auth-Token`).
pub fn is_field_name(t: &str) -> bool {
    let mut chars = t.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$' || c == '@')
        && chars.all(|c| c.is_ascii_alphanumeric() || "_-.$@[]".contains(c))
        && t.len() <= 100
}
