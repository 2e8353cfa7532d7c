//! The definitions' JSON, read with its key order kept (serde_json's own map sorts keys, and the
//! order of properties and parameters is the source's order, which the spec keeps).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

/// A JSON value whose objects keep their keys in file order. A key given twice keeps its
/// first position and its last value, as JSON parsers do.
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    Num(Number),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_obj(&self) -> Option<&[(String, J)]> {
        match self {
            J::Obj(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_arr(&self) -> Option<&[J]> {
        match self {
            J::Arr(items) => Some(items),
            _ => None,
        }
    }

    /// A string member, when it is one.
    pub fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(J::as_str)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, J::Null)
    }

    /// `object`, `array`, `string`, ...: the JSON type, for messages.
    pub fn type_word(&self) -> &'static str {
        match self {
            J::Null => "null",
            J::Bool(_) => "a boolean",
            J::Num(_) => "a number",
            J::Str(_) => "a string",
            J::Arr(_) => "an array",
            J::Obj(_) => "an object",
        }
    }

    /// The value as indented JSON (two spaces, `"key": value`), keys in file order.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        write_pretty(self, &mut out, 0);
        out
    }

    /// The value on one line, cut to about `max` characters, for messages.
    pub fn short(&self, max: usize) -> String {
        let mut out = String::new();
        write_compact(self, &mut out);
        if out.chars().count() > max {
            let cut: String = out.chars().take(max).collect();
            format!("{cut}...")
        } else {
            out
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    match serde_json::to_string(s) {
        Ok(text) => out.push_str(&text),
        Err(_) => out.push_str("\"\""),
    }
}

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn write_pretty(j: &J, out: &mut String, indent: usize) {
    match j {
        J::Arr(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, indent + 2);
                write_pretty(item, out, indent + 2);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, indent);
            out.push(']');
        }
        J::Obj(members) if !members.is_empty() => {
            out.push_str("{\n");
            for (i, (k, v)) in members.iter().enumerate() {
                pad(out, indent + 2);
                write_string(k, out);
                out.push_str(": ");
                write_pretty(v, out, indent + 2);
                if i + 1 < members.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, indent);
            out.push('}');
        }
        other => write_compact(other, out),
    }
}

fn write_compact(j: &J, out: &mut String) {
    match j {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) => out.push_str(&n.to_string()),
        J::Str(s) => write_string(s, out),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_compact(v, out);
            }
            out.push('}');
        }
    }
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<J, D::Error> {
        deserializer.deserialize_any(JVisitor)
    }
}

struct JVisitor;

impl<'de> Visitor<'de> for JVisitor {
    type Value = J;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<J, E> {
        Ok(J::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<J, E> {
        Ok(J::Num(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<J, E> {
        Ok(J::Num(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<J, E> {
        Ok(Number::from_f64(v).map(J::Num).unwrap_or(J::Null))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<J, E> {
        Ok(J::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<J, E> {
        Ok(J::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<J, E> {
        Ok(J::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<J, E> {
        Ok(J::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(J::Arr(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J, A::Error> {
        let mut members: Vec<(String, J)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, J>()? {
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key, value)),
            }
        }
        Ok(J::Obj(members))
    }
}

/// How a file's text decoded.
#[derive(Debug)]
pub struct Decoded {
    pub value: J,
    /// How many times the text was a JSON string holding the JSON (0 for plain JSON).
    pub string_levels: usize,
}

/// Reads a definition: JSON, or a JSON string that holds the JSON (the catalogue has files
/// encoded twice). The error is the JSON parser's, with its line and column.
pub fn decode(text: &str) -> Result<Decoded, String> {
    let mut value: J = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("invalid JSON: {e}"))?;
    let mut string_levels = 0;
    while let J::Str(inner) = &value {
        if string_levels >= 4 {
            return Err("a JSON string nested more than 4 times".into());
        }
        string_levels += 1;
        value = serde_json::from_str(inner)
            .map_err(|e| format!("the file is a JSON string, but the string is not JSON: {e}"))?;
    }
    Ok(Decoded {
        value,
        string_levels,
    })
}
