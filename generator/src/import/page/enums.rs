//! Enum values written in prose: bullets (`• Period: yearly/monthly`, `• 1: frozen ...`) and
//! inline lists (`Frozen scenario - POLICE: ... - ILLEGAL: ...`, `... -0: primary; -1: standby`).

use super::node::{Map, Node};

/// One value and its meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub value: Node,
    pub description: String,
}

/// The spec's `enum` list: `{value, description}` per value, in page order.
pub fn to_node(values: &[EnumValue]) -> Node {
    Node::Seq(
        values
            .iter()
            .map(|v| {
                let mut e = Map::new();
                e.set("value", v.value.clone());
                e.set_str("description", v.description.clone());
                Node::Map(e)
            })
            .collect(),
    )
}

/// `TOKEN: meaning` -> the value (typed for `integer`) and the meaning.
pub fn value_line(text: &str, integer: bool) -> Option<EnumValue> {
    let (token, meaning) = text.split_once(':')?;
    let token = token.trim();
    let meaning = meaning.trim();
    if token.is_empty() || meaning.is_empty() || token.len() > 64 {
        return None;
    }
    let value = if integer {
        Node::Int(token.parse::<i64>().ok()?)
    } else {
        if !token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return None;
        }
        Node::Str(token.to_string())
    };
    Some(EnumValue {
        value,
        description: meaning.to_string(),
    })
}

/// All bullets are `TOKEN: meaning`.
pub fn from_bullets(bullets: &[String], integer: bool) -> Option<Vec<EnumValue>> {
    if bullets.is_empty() {
        return None;
    }
    bullets.iter().map(|b| value_line(b, integer)).collect()
}

/// An inline list: the text before the first `- TOKEN:` and at least two values.
pub fn inline(text: &str, integer: bool) -> Option<(String, Vec<EnumValue>)> {
    let starts = marker_starts(text, integer);
    if starts.len() < 2 {
        return None;
    }
    let prefix = text.get(..*starts.first()?)?.trim().to_string();
    let mut values = Vec::new();
    for (k, start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(text.len());
        let segment = text.get(*start..end)?;
        let segment = segment.trim_start().strip_prefix('-')?.trim();
        let segment = segment.trim_end_matches(';').trim();
        values.push(value_line(segment, integer)?);
    }
    Some((prefix, values))
}

/// Byte offsets of `-` markers that start `- TOKEN: ` (preceded by the start or a blank).
fn marker_starts(text: &str, integer: bool) -> Vec<usize> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if c != '-' {
            continue;
        }
        let before_ok = i == 0 || bytes.get(i - 1).is_some_and(|b| *b == b' ');
        if !before_ok {
            continue;
        }
        let rest = text.get(i + 1..).unwrap_or("").trim_start();
        let token: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if token.is_empty() {
            continue;
        }
        let after = rest.get(token.len()..).unwrap_or("");
        if !after.starts_with(": ") {
            continue;
        }
        let ok = if integer {
            token.parse::<i64>().is_ok()
        } else {
            token.chars().any(|c| c.is_ascii_alphabetic())
        };
        if ok {
            out.push(i);
        }
    }
    out
}
