//! A small ordered YAML tree: what the importer builds, merges and writes.
//!
//! `serde_yaml::Value` would do, but the importer needs to control key order exactly (the
//! committed specs' order) and to merge by key, which is simpler on a plain vector of pairs.

use serde_yaml::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Map),
}

/// An ordered mapping with string keys.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map(pub Vec<(String, Node)>);

impl Map {
    pub fn new() -> Map {
        Map(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_map(&self, key: &str) -> Option<&Map> {
        match self.get(key) {
            Some(Node::Map(m)) => Some(m),
            _ => None,
        }
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Node::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Replaces the value of `key` in place, or appends it.
    pub fn set(&mut self, key: &str, value: Node) {
        match self.get_mut(key) {
            Some(v) => *v = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    pub fn set_str(&mut self, key: &str, value: impl Into<String>) {
        self.set(key, Node::Str(value.into()))
    }

    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    /// Sorts the keys by their position in `order`; unknown keys keep their relative order at
    /// the end.
    pub fn sort_by_order(&mut self, order: &[&str]) {
        let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
        self.0.sort_by_key(|(k, _)| rank(k));
    }
}

impl Node {
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&Vec<Node>> {
        match self {
            Node::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The node as `serde_yaml` sees it, for comparing the written text with what was meant.
    pub fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::Number((*i).into()),
            Node::Float(f) => Value::Number((*f).into()),
            Node::Str(s) => Value::String(s.clone()),
            Node::Seq(items) => Value::Sequence(items.iter().map(Node::to_value).collect()),
            Node::Map(m) => Value::Mapping(
                m.0.iter()
                    .map(|(k, v)| (Value::String(k.clone()), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// Reads a parsed YAML value (an existing spec). Non-string keys become their text.
    pub fn from_value(value: &Value) -> Node {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Node::Int(i)
                } else if let Some(f) = n.as_f64() {
                    Node::Float(f)
                } else {
                    Node::Str(n.to_string())
                }
            }
            Value::String(s) => Node::Str(s.clone()),
            Value::Sequence(items) => Node::Seq(items.iter().map(Node::from_value).collect()),
            Value::Mapping(m) => Node::Map(Map(m
                .iter()
                .map(|(k, v)| (key_text(k), Node::from_value(v)))
                .collect())),
            Value::Tagged(t) => Node::from_value(&t.value),
        }
    }

    /// The node's text when it is a scalar (used to compare enum values `1` and `"1"`).
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Node::Null => Some("null".into()),
            Node::Bool(b) => Some(b.to_string()),
            Node::Int(i) => Some(i.to_string()),
            Node::Float(f) => Some(f.to_string()),
            Node::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}
