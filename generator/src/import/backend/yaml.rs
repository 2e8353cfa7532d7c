//! Writes a [`Node`] tree as block-style YAML: readable, deterministic, and read back exactly.
//!
//! Strings are plain when that is unambiguous, literal block scalars (`|`) when they span lines
//! and can be written so, double-quoted otherwise. `import_page` reads the text back and compares
//! it with the tree; if anything differs it writes again in `safe` mode (every string
//! double-quoted), which is always exact.

use super::node::{Map, Node};
use std::fmt::Write;

/// Writes a document whose root is a mapping.
pub fn to_yaml(root: &Map, safe: bool) -> String {
    let mut out = String::new();
    let w = Writer { safe };
    if root.0.is_empty() {
        out.push_str("{}\n");
    } else {
        w.map(&mut out, root, 0, false);
    }
    out
}

struct Writer {
    safe: bool,
}

impl Writer {
    /// `inline_first`: the first key goes right after a `- ` already written.
    fn map(&self, out: &mut String, map: &Map, indent: usize, inline_first: bool) {
        for (i, (key, value)) in map.0.iter().enumerate() {
            if !(i == 0 && inline_first) {
                pad(out, indent);
            }
            let key = self.scalar_inline(key);
            // YAML limits an implicit key to 1024 characters, which its readers count in
            // bytes or in characters: a long key is written as an explicit `? key` / `: value`
            // pair, well before either count reaches the limit.
            if key.len() > 512 {
                out.push_str("? ");
                out.push_str(&key);
                out.push('\n');
                pad(out, indent);
            } else {
                out.push_str(&key);
            }
            out.push(':');
            self.value_after_key(out, value, indent);
        }
    }

    fn value_after_key(&self, out: &mut String, value: &Node, indent: usize) {
        match value {
            Node::Map(m) if !m.0.is_empty() => {
                out.push('\n');
                self.map(out, m, indent + 2, false);
            }
            Node::Seq(s) if !s.is_empty() => {
                out.push('\n');
                self.seq(out, s, indent + 2);
            }
            Node::Str(s) if !self.safe && s.contains('\n') && literal_ok(s) => {
                literal(out, s, indent + 2);
            }
            other => {
                out.push(' ');
                out.push_str(&self.scalar_node(other));
                out.push('\n');
            }
        }
    }

    fn seq(&self, out: &mut String, items: &[Node], indent: usize) {
        for item in items {
            pad(out, indent);
            out.push('-');
            match item {
                Node::Map(m) if !m.0.is_empty() => {
                    out.push(' ');
                    self.map(out, m, indent + 2, true);
                }
                Node::Seq(s) if !s.is_empty() => {
                    out.push('\n');
                    self.seq(out, s, indent + 2);
                }
                other => {
                    out.push(' ');
                    out.push_str(&self.scalar_node(other));
                    out.push('\n');
                }
            }
        }
    }

    fn scalar_node(&self, node: &Node) -> String {
        match node {
            Node::Null => "null".into(),
            Node::Bool(b) => b.to_string(),
            Node::Int(i) => i.to_string(),
            Node::Float(f) => float_text(*f),
            Node::Str(s) => self.scalar_inline(s),
            Node::Seq(_) => "[]".into(),
            Node::Map(_) => "{}".into(),
        }
    }

    fn scalar_inline(&self, s: &str) -> String {
        if !self.safe && plain_ok(s) {
            s.to_string()
        } else {
            double_quoted(s)
        }
    }
}

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.into()
    } else {
        let s = format!("{f:?}");
        if s.contains('.') || s.contains('e') || s.contains('E') {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// Whether `s` can be written as a plain scalar and read back as the same string.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let last = s.chars().last().unwrap_or(first);
    if first.is_whitespace() || last.is_whitespace() || !s.chars().all(printable_inline) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    const RESERVED: [&str; 11] = [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "=",
    ];
    if RESERVED.contains(&lower.as_str()) {
        return false;
    }
    // Anything that could read as a number (or a YAML 1.1 date/sexagesimal) is quoted.
    let numberish = s
        .chars()
        .all(|c| c.is_ascii_hexdigit() || "xXoO+-._:".contains(c));
    if numberish && (first.is_ascii_digit() || "+-.".contains(first)) {
        return false;
    }
    if lower.starts_with(".inf") || lower.starts_with(".nan") || lower.starts_with("-.inf") {
        return false;
    }
    true
}

fn printable_inline(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{85}'
        ))
}

/// Whether a multi-line string can be a literal block scalar: printable, and its first line
/// starts with a visible character (so the indentation is detected from it).
fn literal_ok(s: &str) -> bool {
    let first = s.chars().next();
    match first {
        None => return false,
        Some(c) if c.is_whitespace() => return false,
        _ => {}
    }
    s.chars()
        .all(|c| c == '\n' || c == '\t' || printable_inline(c))
}

fn literal(out: &mut String, s: &str, indent: usize) {
    let (body, chomp) = match s.strip_suffix('\n') {
        Some(rest) if rest.ends_with('\n') => (rest, "+"),
        Some(rest) => (rest, ""),
        None => (s, "-"),
    };
    out.push_str(" |");
    out.push_str(chomp);
    out.push('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if !printable_inline(c) => {
                let n = c as u32;
                if n <= 0xffff {
                    let _ = write!(out, "\\u{n:04X}");
                } else {
                    let _ = write!(out, "\\U{n:08X}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the page importer's fuzz target: a property named by a whole paragraph.
    #[test]
    fn a_key_longer_than_yaml_allows_an_implicit_key_reads_back() {
        // Under 1024 characters, over 1024 bytes (found by the fuzz target too).
        let long = format!("a \"quoted\": name {}", "é".repeat(600));
        let mut inner = Map::new();
        inner.set_str("type", "object");
        let mut properties = Map::new();
        properties.set(&long, Node::Map(inner));
        properties.set("short", Node::str("value"));
        let mut items = Map::new();
        items.set(&long, Node::str("first key of a sequence item"));
        let mut top = Map::new();
        top.set("properties", Node::Map(properties));
        top.set("items", Node::Seq(vec![Node::Map(items)]));
        for safe in [false, true] {
            let text = to_yaml(&top, safe);
            let read: serde_yaml::Value = serde_yaml::from_str(&text).expect("reads back");
            assert_eq!(read, Node::Map(top.clone()).to_value(), "{text}");
        }
    }
}
