//! Page cleanup: the page's lines, with their numbers, turned into a stream of items
//! (headings, table titles, status markers, captions, JSON examples, pipe tables, paragraphs).

use super::tables::{self, Table};

/// One line of the page.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the page.
    pub no: usize,
    /// The line without its line break.
    pub raw: String,
    /// The line trimmed.
    pub text: String,
    /// Leading blanks.
    pub indent: usize,
}

/// A run of non-blank lines: `(line number, trimmed text)`.
pub type Para = Vec<(usize, String)>;

#[derive(Debug, Clone)]
pub enum Item {
    /// A section heading such as `URI` or `Response Parameters`; `name` is lower case.
    Heading {
        line: usize,
        name: String,
    },
    /// `Table 3 Cluster`.
    Title {
        line: usize,
        number: Option<u32>,
        text: String,
    },
    /// `Status code: 200`.
    Status {
        line: usize,
        code: String,
    },
    /// A bullet that captions what follows (`• URI example`); `name` is lower case.
    Caption {
        line: usize,
        name: String,
        text: String,
    },
    /// A JSON example, de-indented, ending with a newline.
    Json {
        line: usize,
        text: String,
    },
    /// A table: pipe tables come ready from the line scan, one-cell-per-line tables are
    /// assembled from paragraphs afterwards.
    Table(Table),
    Para(Para),
}

/// Section headings, written as the pages write them (a description cell "Error code" is not
/// the heading "Error Codes").
pub const HEADINGS: &[&str] = &[
    "Function",
    "Constraints",
    "Calling Method",
    "Authorization Information",
    "URI",
    "Request Parameters",
    "Request",
    "Response Parameters",
    "Response",
    "Example Request",
    "Example Requests",
    "Example Response",
    "Example Responses",
    "Status Code",
    "Status Codes",
    "Error Code",
    "Error Codes",
];

pub const CAPTIONS: &[&str] = &[
    "uri format",
    "parameter description",
    "request parameter",
    "request parameters",
    "response parameter",
    "response parameters",
    "uri example",
    "request example",
    "example request",
    "normal response",
    "example normal response",
    "abnormal response",
    "example abnormal response",
    "response example",
    "example response",
];

/// Splits the page into lines and drops the trailing page furniture.
pub fn page_lines(text: &str) -> Vec<Line> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let t = raw.trim();
        if t == "Feedback" || t.starts_with("Was this page helpful") {
            break;
        }
        let indent = raw.chars().take_while(|c| *c == ' ' || *c == '\t').count();
        // Some pages run the text after an example onto the line of its closing brace
        // (`} Status code: 400`): no JSON goes on that way, so the text is a line of its own.
        let (json_end, after) = split_after_json_end(t);
        lines.push(Line {
            no: i + 1,
            raw: if after.is_empty() {
                raw.to_string()
            } else {
                json_end.to_string()
            },
            text: json_end.to_string(),
            indent,
        });
        if !after.is_empty() {
            lines.push(Line {
                no: i + 1,
                raw: after.to_string(),
                text: after.to_string(),
                indent: 0,
            });
        }
    }
    lines
}

/// `} Status code: 400` -> (`}`, `Status code: 400`); any other line -> (line, ``).
fn split_after_json_end(t: &str) -> (&str, &str) {
    let brackets = t
        .find(|c: char| !matches!(c, '}' | ']' | ' '))
        .unwrap_or(t.len());
    let (end, after) = t.split_at(brackets);
    if brackets > 0 && after.starts_with(|c: char| c.is_alphabetic()) {
        (end.trim_end(), after)
    } else {
        (t, "")
    }
}

/// Other words some pages use for a section heading, and the heading they stand for.
const HEADING_VARIANTS: &[(&str, &str)] = &[
    ("Request Message", "Request"),
    ("Response Message", "Response"),
    ("Returned Values", "Status Codes"),
    ("Returned Value", "Status Codes"),
    ("Return Values", "Status Codes"),
];

/// The lower-case heading name if `line` is a section heading.
pub fn heading(line: &Line) -> Option<String> {
    if line.indent > 2 || line.text.starts_with('•') {
        return None;
    }
    let text = HEADING_VARIANTS
        .iter()
        .find(|(variant, _)| *variant == line.text)
        .map_or(line.text.as_str(), |(_, heading)| heading);
    HEADINGS.contains(&text).then(|| text.to_lowercase())
}

/// `Table 3 Cluster` -> (Some(3), "Cluster").
pub fn table_title(text: &str) -> Option<(Option<u32>, String)> {
    let rest = text.strip_prefix("Table ")?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    let after = &rest[digits.len()..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let title = after.trim();
    // "Table 2 describes the response parameters." is a sentence about a table, not its title.
    if title.ends_with('.') && title.chars().next().is_some_and(char::is_lowercase) {
        return None;
    }
    Some((digits.parse().ok(), title.to_string()))
}

/// `Status code: 200` -> "200".
pub fn status_marker(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let rest = lower.strip_prefix("status code")?;
    let rest = rest.trim_start().strip_prefix(':')?.trim();
    (rest.len() == 3 && rest.chars().all(|c| c.is_ascii_digit())).then(|| rest.to_string())
}

/// A line that is a status code (`404`), maybe with its reason phrase (`404 Not Found`).
pub fn status_code(text: &str) -> Option<&str> {
    let t = text.trim();
    let code = t
        .get(..3)
        .filter(|c| c.chars().all(|c| c.is_ascii_digit()))?;
    let reason = t.get(3..)?;
    let phrase = reason.is_empty()
        || (reason.starts_with(' ')
            && reason.split_whitespace().count() <= 4
            && reason
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-'));
    phrase.then_some(code)
}

/// The text of a bullet line without its bullet, if it is one.
pub fn bullet(text: &str) -> Option<&str> {
    text.strip_prefix('•').map(str::trim)
}

pub fn caption(text: &str) -> Option<String> {
    let rest = bullet(text)?.to_lowercase();
    CAPTIONS.contains(&rest.as_str()).then_some(rest)
}

/// A label that opens a block of a description cell and is never a section heading
/// (`Definition`, `Range`, `Default Value`, ...; "Constraints" is both, so it is not here).
fn is_block_label(text: &str) -> bool {
    let t = text.strip_suffix(':').unwrap_or(text).trim();
    [
        "Definition",
        "Explanation",
        "Range",
        "Value range",
        "Values",
        "Default Value",
    ]
    .iter()
    .any(|label| label.eq_ignore_ascii_case(t))
}

/// Turns the lines into items.
pub fn items(lines: &[Line]) -> Vec<Item> {
    let mut out = Vec::new();
    let mut para: Para = Vec::new();
    let mut i = 0;
    let mut prev = String::new();
    let mut prev_heading = false;
    // The current section's heading and the index of its line.
    let mut section: Option<(String, usize)> = None;
    let mut in_labelled_cell = false;
    while i < lines.len() {
        let Some(line) = lines.get(i) else { break };
        let t = line.text.as_str();
        if t.is_empty() {
            flush(&mut out, &mut para);
            i += 1;
            continue;
        }
        // In a one-cell-per-line table, the cell after a type (or after Yes/No) is a
        // description, even when it reads "Error Codes" (when that section comes later).
        // Nor is a heading word right under a heading or a table title ("Status Codes" /
        // "Status Code" is the table's first header cell).
        // And inside a description cell's labelled blocks ("Definition", "Constraints",
        // "Range", ...), "Constraints" is a block label, not the page's section.
        // A page has each section once: a heading word after a type is a description only
        // if its heading is still to come (else the row lost its description).
        let heading_later = || {
            heading(line).is_some_and(|name| {
                lines
                    .iter()
                    .skip(i + 1)
                    .any(|l| heading(l).as_deref() == Some(name.as_str()))
            })
        };
        // The section's own heading again, soon after it ("Returned Values" over "Normal
        // values", then "Returned Values" as a table's first header cell).
        let repeats_section = heading(line).is_some_and(|name| {
            section
                .as_ref()
                .is_some_and(|(current, at)| *current == name && i < at + 8)
        });
        let in_cell = ((super::types::parse_type(&prev).is_some()
            || super::tables::yes_no(&prev).is_some())
            && heading_later())
            || prev_heading
            || repeats_section
            || table_title(&prev).is_some()
            || (in_labelled_cell && t == "Constraints");
        prev = t.to_string();
        prev_heading = false;
        if is_block_label(t) {
            in_labelled_cell = true;
        }
        if let Some(name) = heading(line).filter(|_| !in_cell) {
            section = Some((name.clone(), i));
            prev_heading = true;
            in_labelled_cell = false;
            flush(&mut out, &mut para);
            out.push(Item::Heading {
                line: line.no,
                name,
            });
        } else if let Some((number, text)) = table_title(t) {
            flush(&mut out, &mut para);
            out.push(Item::Title {
                line: line.no,
                number,
                text,
            });
        } else if let Some(code) = status_marker(t) {
            flush(&mut out, &mut para);
            out.push(Item::Status {
                line: line.no,
                code,
            });
        } else if let Some(name) = caption(t) {
            flush(&mut out, &mut para);
            let text = bullet(t).unwrap_or(t).to_string();
            out.push(Item::Caption {
                line: line.no,
                name,
                text,
            });
        } else if let Some((table, next)) = t
            .ends_with('|')
            .then(|| tables::trailing_pipe_table(lines, i))
            .flatten()
        {
            flush(&mut out, &mut para);
            out.push(Item::Table(table));
            i = next.max(i + 1);
            continue;
        } else if t.starts_with('|') || tables::is_pipeless_header(lines, i) {
            let (found, next) = tables::pipe_tables(lines, i);
            if found.is_empty() {
                para.push((line.no, t.to_string()));
            } else {
                flush(&mut out, &mut para);
                out.extend(found.into_iter().map(Item::Table));
                i = next.max(i + 1);
                continue;
            }
        } else if t.starts_with('{') || t.starts_with('[') {
            if let Some((text, next)) = json_block(lines, i) {
                flush(&mut out, &mut para);
                out.push(Item::Json {
                    line: line.no,
                    text,
                });
                i = next.max(i + 1);
                continue;
            }
            para.push((line.no, t.to_string()));
        } else {
            para.push((line.no, t.to_string()));
        }
        i += 1;
    }
    flush(&mut out, &mut para);
    out
}

fn flush(out: &mut Vec<Item>, para: &mut Para) {
    if !para.is_empty() {
        out.push(Item::Para(std::mem::take(para)));
    }
}

/// A balanced JSON value starting at line `start`: its de-indented text and the next line.
fn json_block(lines: &[Line], start: usize) -> Option<(String, usize)> {
    let mut depth: i64 = 0;
    let mut in_str = false;
    let mut escaped = false;
    let mut end = None;
    'outer: for (k, line) in lines.iter().enumerate().skip(start) {
        if k > start + 5000 {
            break;
        }
        for c in line.raw.chars() {
            if in_str {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_str = false;
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '{' | '[' => depth += 1,
                '}' | ']' => {
                    depth -= 1;
                    if depth <= 0 {
                        end = Some(k);
                        break 'outer;
                    }
                }
                _ => {}
            }
        }
    }
    let end = end?;
    let block = lines.get(start..=end)?;
    let indent = block
        .iter()
        .filter(|l| !l.text.is_empty())
        .map(|l| l.indent)
        .min()
        .unwrap_or(0);
    let mut text = String::new();
    for l in block {
        let skip: usize = l.raw.chars().take(indent).map(char::len_utf8).sum();
        text.push_str(l.raw.get(skip..).unwrap_or(""));
        text.push('\n');
    }
    serde_json::from_str::<serde_json::Value>(&text).ok()?;
    Some((text, end + 1))
}

/// The paragraph's lines joined with spaces.
pub fn para_text(para: &Para) -> String {
    para.iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn para_line(para: &Para) -> usize {
    para.first().map(|(n, _)| *n).unwrap_or(0)
}
