//! A description cell as spec text: labelled blocks (`Definition`, `Explanation:`,
//! `** Value range**:` ...) with their N/A blocks dropped, bullets, enum values, the documented
//! default and length/number ranges.

use super::enums::{self, EnumValue};
use super::lines::{bullet, Para};
use super::node::Node;
use super::tables::Cell;
use super::types::Ty;

#[derive(Debug, Clone, Default)]
pub struct Described {
    pub description: Option<String>,
    pub enum_values: Vec<EnumValue>,
    pub default: Option<Node>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
enum Block {
    Text(String),
    Bullet(String),
}

const KEEP: &[&str] = &[
    "definition",
    "explanation",
    "parameter description",
    "description",
    "constraints",
    "restrictions",
    "range",
    "values",
    "value range",
];
const DEFAULT: &[&str] = &["default value", "default"];

/// The label of paragraph `k` of a cell (`Definition`, `Explanation:`, `Default Value` ...): a
/// one-line paragraph naming a block, followed by the block's body. A cell whose whole text is
/// such a word (a field described as just "Description") has no body and is text, not a label.
fn label(paras: &[Para], k: usize) -> Option<String> {
    let para = paras.get(k)?;
    if para.len() != 1 || k + 1 >= paras.len() {
        return None;
    }
    label_word(&para.first()?.1)
}

/// The block name a line names (`Explanation:` -> `explanation`), if it is a label word.
pub fn label_word(line: &str) -> Option<String> {
    let t: String = line.chars().filter(|c| *c != '*').collect();
    let t = t.trim();
    let t = t.strip_suffix(':').unwrap_or(t).trim().to_lowercase();
    (KEEP.contains(&t.as_str()) || DEFAULT.contains(&t.as_str())).then_some(t)
}

fn is_na(paras: &[Para]) -> bool {
    paras.iter().all(|p| {
        p.iter()
            .all(|(_, t)| matches!(t.to_lowercase().as_str(), "n/a" | "na" | "-" | "none" | ""))
    })
}

/// The blocks of one paragraph list; `join` merges consecutive text paragraphs with a space.
fn blocks(paras: &[Para], join: bool, out: &mut Vec<Block>) {
    let mut merged_text = false;
    for para in paras {
        let mut para_blocks: Vec<Block> = Vec::new();
        for (_, line) in para {
            if line == "-" {
                continue;
            }
            if let Some(b) = bullet(line) {
                para_blocks.push(Block::Bullet(b.to_string()));
            } else {
                match para_blocks.last_mut() {
                    Some(Block::Text(t)) | Some(Block::Bullet(t)) => {
                        t.push(' ');
                        t.push_str(line);
                    }
                    None => para_blocks.push(Block::Text(line.clone())),
                }
            }
        }
        for b in para_blocks {
            match (b, out.last_mut()) {
                (Block::Text(t), Some(Block::Text(prev))) if join && merged_text => {
                    prev.push(' ');
                    prev.push_str(&t);
                }
                (b, _) => {
                    merged_text = matches!(b, Block::Text(_));
                    out.push(b);
                }
            }
        }
    }
}

/// Describes a field or parameter of type `ty` from its description cell.
pub fn describe(cell: Option<&Cell>, ty: &Ty) -> Described {
    let mut out = Described::default();
    let paras: &[Para] = cell.map(|c| c.paras.as_slice()).unwrap_or(&[]);
    let mut all: Vec<Block> = Vec::new();
    let labelled = label(paras, 0).is_some();
    if labelled {
        let mut k = 0;
        while k < paras.len() {
            let name = label(paras, k).unwrap_or_default();
            let mut end = k + 1;
            while end < paras.len() && label(paras, end).is_none() {
                end += 1;
            }
            let body = paras.get(k + 1..end).unwrap_or(&[]);
            if !is_na(body) {
                if DEFAULT.contains(&name.as_str()) {
                    let text: Vec<&str> = body.iter().flatten().map(|(_, t)| t.as_str()).collect();
                    out.default = Some(typed_value(&text.join(" "), ty));
                } else {
                    let mut block = Vec::new();
                    blocks(body, true, &mut block);
                    all.extend(block);
                }
            }
            k = end;
        }
    } else {
        blocks(paras, false, &mut all);
    }

    let integer = matches!(ty, Ty::Scalar("integer", _));
    let enumerable = matches!(ty, Ty::Scalar("string", _) | Ty::Scalar("integer", _));
    let bullets: Vec<String> = all
        .iter()
        .filter_map(|b| match b {
            Block::Bullet(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let mut texts: Vec<String> = Vec::new();
    if enumerable {
        if let Some(values) = enums::from_bullets(&bullets, integer) {
            out.enum_values = values;
            all.retain(|b| matches!(b, Block::Text(_)));
        } else if bullets.is_empty() {
            if let Some(Block::Text(last)) = all.last() {
                if let Some((prefix, values)) = enums::inline(last, integer) {
                    out.enum_values = values;
                    all.pop();
                    if !prefix.is_empty() {
                        all.push(Block::Text(prefix));
                    }
                }
            }
        }
    }
    // Text paragraphs are separated by a blank line, bullet runs by a line break.
    let mut prev_bullet = false;
    for b in &all {
        match b {
            Block::Text(t) => {
                texts.push(t.clone());
                prev_bullet = false;
            }
            Block::Bullet(t) => {
                let item = format!("- {t}");
                match texts.last_mut() {
                    Some(last) if prev_bullet => {
                        last.push('\n');
                        last.push_str(&item);
                    }
                    _ => texts.push(item),
                }
                prev_bullet = true;
            }
        }
    }
    let text = texts.join("\n\n");
    if !text.is_empty() {
        if ty.is_scalar() && out.default.is_none() {
            out.default = default_in(&text).map(|d| typed_value(&d, ty));
        }
        if matches!(ty, Ty::Scalar("string", _)) {
            if let Some((a, b)) = range_in(&text, "characters") {
                out.min_length = u64::try_from(a).ok();
                out.max_length = u64::try_from(b).ok();
            }
        }
        if matches!(ty, Ty::Scalar("integer", _) | Ty::Scalar("number", _)) {
            if let Some((a, b)) = range_after(&text, "ranges from ") {
                out.minimum = Some(a);
                out.maximum = Some(b);
            }
        }
        out.description = Some(text);
    }
    out
}

/// A documented value typed after the field: `10` for an integer, `true` for a boolean.
pub fn typed_value(text: &str, ty: &Ty) -> Node {
    let t = text.trim();
    match ty {
        Ty::Scalar("integer", _) => t.parse().map(Node::Int).unwrap_or(Node::str(t)),
        Ty::Scalar("number", _) => t
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Node::Float)
            .unwrap_or(Node::str(t)),
        Ty::Scalar("boolean", _) => match t.to_lowercase().as_str() {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => Node::str(t),
        },
        _ => Node::str(t),
    }
}

/// "The default value is 10." -> "10".
fn default_in(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let at = lower.find("default value is ")? + "default value is ".len();
    let rest = text.get(at..)?;
    let word: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    let word = word.trim_end_matches(['.', ',', ';']);
    (!word.is_empty()).then(|| word.to_string())
}

/// "contains 32 to 64 characters" -> (32, 64).
fn range_in(text: &str, unit: &str) -> Option<(i64, i64)> {
    let at = text.find(&format!(" {unit}"))?;
    let before = text.get(..at)?;
    let words: Vec<&str> = before.split_whitespace().collect();
    let n = words.len();
    if n < 3 || words.get(n - 2) != Some(&"to") {
        return None;
    }
    let a = words.get(n - 3)?.parse().ok()?;
    let b = words.get(n - 1)?.parse().ok()?;
    (a <= b).then_some((a, b))
}

/// "ranges from 1 to 100" -> (1, 100).
fn range_after(text: &str, marker: &str) -> Option<(i64, i64)> {
    let at = text.find(marker)? + marker.len();
    let words: Vec<&str> = text.get(at..)?.split_whitespace().take(3).collect();
    if words.get(1) != Some(&"to") {
        return None;
    }
    let a = words.first()?.parse().ok()?;
    let b = words
        .get(2)?
        .trim_end_matches(['.', ',', ';'])
        .parse()
        .ok()?;
    (a <= b).then_some((a, b))
}
