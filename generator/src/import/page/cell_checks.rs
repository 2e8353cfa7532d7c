//! Checks on the description cells of a one-cell-per-line parameter table that catch a lost
//! line. In that layout a row ends only where the next row's name and cells begin, so a row that
//! lost its name or type, or a blank line, is read into the previous row's description: these
//! checks find what a description cannot hold.
//!
//! * a paragraph of several lines that are not a bullet list: two cells or paragraphs run together;
//! * a type (`String`, `Array of X objects`) or a field name alone in a paragraph after the
//!   description's first one: the start of a row that lost a cell; a row without description;
//! * in a labelled description (`Explanation:` / text / `Values:` / text ...): a label without
//!   text, a label that comes twice, text before the first label, `N/A` and text in one block.

use super::describe::label_word;
use super::lines::{bullet, para_text, Para};
use super::tables::{yes_no, Table};
use super::types;

/// Where a lost line shows (`line..=end_line`) and what is wrong.
pub type Problem = (usize, usize, String);

/// The first problem (by page line) in the description cells of `table`'s rows.
pub fn first_problem(table: &Table, desc: usize, typed: bool) -> Option<Problem> {
    let mut problems: Vec<Problem> = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        for cell in row.cells.iter() {
            for para in &cell.paras {
                run_together(para, &mut problems);
            }
        }
        let Some(cell) = row.cells.get(desc) else {
            // Every row of the pages has a description: one without lost it, or its next line
            // became a row of its own.
            // The problem runs to the start of the next row, which may be that line.
            let next_start = table.rows.get(r + 1).map(|next| {
                next.cells
                    .iter()
                    .take(desc)
                    .flat_map(|c| c.paras.iter().flatten())
                    .map(|(l, _)| *l)
                    .max()
                    .unwrap_or(next.line)
            });
            let end = row
                .cells
                .iter()
                .flat_map(|c| c.paras.iter().flatten())
                .map(|(l, _)| *l)
                .chain(next_start)
                .max()
                .unwrap_or(row.line);
            let name = row.cells.first().map(|c| c.text()).unwrap_or_default();
            problems.push((
                row.line,
                end,
                format!("row {name} has no description (a line lost)"),
            ));
            continue;
        };
        let paras = &cell.paras;
        if typed {
            row_starts_inside(paras, &mut problems);
        }
        labels(paras, &mut problems);
    }
    problems.into_iter().min_by_key(|(line, _, _)| *line)
}

/// The first paragraph of `table` whose lines run together.
pub fn run_together_in(table: &Table) -> Option<Problem> {
    let mut problems = Vec::new();
    for para in table
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .flat_map(|c| &c.paras)
    {
        run_together(para, &mut problems);
    }
    problems.into_iter().min_by_key(|(line, _, _)| *line)
}

/// An admonition's label, which the pages put on the line above its text ("NOTE:").
fn admonition(text: &str) -> bool {
    matches!(
        text.trim_end_matches(':').to_uppercase().as_str(),
        "NOTE" | "NOTICE" | "CAUTION" | "WARNING" | "DANGER"
    )
}

/// A paragraph of several lines whose later lines are not bullets (nor the text under an
/// admonition's label).
fn run_together(para: &Para, problems: &mut Vec<Problem>) {
    if para.first().is_some_and(|(_, t)| admonition(t)) {
        return;
    }
    for (line, text) in para.iter().skip(1) {
        if bullet(text).is_none() && !text.starts_with("- ") {
            problems.push((
                *line,
                *line,
                format!("\"{text}\" runs on from the line before (a blank line lost)"),
            ));
            return;
        }
    }
}

/// The pages' own spellings of a type (`String`, `Array of X objects`): upper case first, so
/// that a word of prose ("string") is not one.
pub fn is_type(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase)
        && types::parse_type(t).is_some()
        && yes_no(t).is_none()
}

/// A field name as the tables write them, which prose never is alone in a paragraph: lower case
/// first and no sentence punctuation.
fn is_name(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && types::is_field_name(t)
        && yes_no(t).is_none()
        && !matches!(t, "n/a" | "na" | "none" | "null")
}

/// After the description's first paragraph, a type or a field name alone in a paragraph. A
/// name's problem runs to the paragraph after it, where its type should have been.
fn row_starts_inside(paras: &[Para], problems: &mut Vec<Problem>) {
    for (k, para) in paras.iter().enumerate().skip(1) {
        let [(line, text)] = para.as_slice() else {
            continue;
        };
        if is_type(text) {
            problems.push((
                *line,
                *line,
                format!("the type \"{text}\" inside a description (a row lost its name)"),
            ));
        } else if is_name(text) {
            let end = paras
                .get(k + 1)
                .and_then(|p| p.last())
                .map_or(*line, |(l, _)| *l);
            problems.push((
                *line,
                end,
                format!("the field name \"{text}\" inside a description (a row lost its type)"),
            ));
        }
    }
}

fn is_na(text: &str) -> bool {
    matches!(text.to_lowercase().as_str(), "n/a" | "na" | "-" | "none")
}

/// The structure of a labelled description: label, text, label, text ...
fn labels(paras: &[Para], problems: &mut Vec<Problem>) {
    // Labels are written capitalised ("Description", "**Value range**:"); a lower-case
    // `description` is a field's name.
    let label_of = |p: &Para| match p.as_slice() {
        [(_, text)] if !text.starts_with(|c: char| c.is_lowercase()) => label_word(text),
        _ => None,
    };
    // A description that is only a label word ("Description") is text.
    if paras.len() < 2 {
        return;
    }
    let Some(first_label) = paras.iter().position(|p| label_of(p).is_some()) else {
        return;
    };
    if first_label > 0 {
        if let Some(first) = paras.first() {
            let line = first.first().map(|(l, _)| *l).unwrap_or(0);
            let label_line = paras
                .get(first_label)
                .and_then(|p| p.first())
                .map_or(line, |(l, _)| *l);
            problems.push((
                line,
                label_line,
                format!(
                    "a labelled description that does not start with a label (\"{}\": a label line lost)",
                    para_text(first)
                ),
            ));
        }
        return;
    }
    let mut seen: Vec<String> = Vec::new();
    let mut body: Vec<&str> = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for para in paras {
        let line = para.first().map(|(l, _)| *l).unwrap_or(0);
        if let Some(label) = label_of(para) {
            if let Some((at, name)) = &current {
                if body.is_empty() {
                    problems.push((
                        *at,
                        *at,
                        format!("the label \"{name}\" has no text (a line lost)"),
                    ));
                    return;
                }
            }
            if seen.contains(&label) {
                problems.push((
                    line,
                    line,
                    format!(
                        "the label \"{label}\" comes twice in one description (a row lost a cell)"
                    ),
                ));
                return;
            }
            seen.push(label.clone());
            current = Some((line, label));
            body.clear();
            continue;
        }
        let text = para_text(para);
        if !body.is_empty() && is_na(&text) != body.iter().all(|b| is_na(b)) {
            problems.push((
                line,
                line,
                format!("\"{text}\" and N/A in one block (a label line lost)"),
            ));
            return;
        }
        body.push(para.first().map(|(_, t)| t.as_str()).unwrap_or(""));
    }
    if let Some((at, name)) = current {
        if body.is_empty() {
            problems.push((
                at,
                at,
                format!("the label \"{name}\" has no text (a line lost)"),
            ));
        }
    }
}

/// The columns of an authorization table, as every page has them.
const AUTHORIZATION_COLUMNS: [&[&str]; 6] = [
    &["action"],
    &["access level"],
    &["resource type (*: required)", "resource type"],
    &["condition key"],
    &["alias"],
    &["dependencies", "dependency"],
];

/// An authorization table's header that lost a column. In this fixed-width layout a lost line
/// shifts every cell after it, so the header and each cell are checked against what their
/// column holds (an action is `service:resource:verb`, an access level one of a few words...).
pub fn authorization_header_problem(table: &Table, header_end: usize) -> Option<Problem> {
    let header_fits = table.columns.len() == AUTHORIZATION_COLUMNS.len()
        && table
            .columns
            .iter()
            .zip(AUTHORIZATION_COLUMNS)
            .all(|(c, names)| names.contains(&c.as_str()));
    if !header_fits {
        return Some((
            table.line,
            header_end,
            format!(
                "an authorization table's header is not Action, Access Level, Resource Type, Condition Key, Alias, Dependencies ({}): a line lost",
                table.columns.join(", ")
            ),
        ));
    }
    None
}

/// See [`authorization_header_problem`]; this checks the rows.
pub fn authorization_problem(table: &Table) -> Option<Problem> {
    let mut problems = Vec::new();
    for row in &table.rows {
        for (cell, column) in row.cells.iter().zip(AUTHORIZATION_COLUMNS) {
            for para in &cell.paras {
                run_together(para, &mut problems);
            }
            let lines: Vec<(usize, &str)> = cell
                .paras
                .iter()
                .flatten()
                .map(|(l, t)| (*l, bullet(t).unwrap_or(t).trim()))
                .collect();
            let fits = |ok: &dyn Fn(&str) -> bool| lines.iter().all(|(_, t)| ok(t));
            let none = lines.len() == 1 && lines.iter().all(|(_, t)| *t == "-");
            let column = column.first().copied().unwrap_or_default();
            let valid = match column {
                "action" => lines.len() == 1 && fits(&is_action),
                "access level" => lines.len() == 1 && fits(&is_access_level),
                "resource type (*: required)" => none || fits(&is_resource_type),
                "condition key" => none || fits(&is_condition_key),
                "alias" => none || (lines.len() == 1 && fits(&is_action)),
                _ => none || fits(&is_action),
            };
            if !valid {
                let line = lines.first().map_or(row.line, |(l, _)| *l);
                let text: Vec<&str> = lines.iter().map(|(_, t)| *t).collect();
                problems.push((
                    line,
                    line,
                    format!(
                        "\"{}\" is not a {column} (a line of the authorization table lost)",
                        text.join(" ")
                    ),
                ));
            }
        }
    }
    problems.into_iter().min_by_key(|(line, _, _)| *line)
}

/// `service:resource:verb`, as IAM writes actions.
pub fn is_action(t: &str) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-*".contains(c))
        })
}

fn is_access_level(t: &str) -> bool {
    matches!(
        t.to_lowercase().as_str(),
        "read" | "write" | "list" | "tagging" | "permission_management" | "permission management"
    )
}

/// `instance`, or `instance *` when required.
pub fn is_resource_type(t: &str) -> bool {
    let name = t.strip_suffix('*').map_or(t, str::trim_end);
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

/// `g:EnterpriseProjectId`, `rds:instance:tag/<key>`: a prefix and a key, no spaces.
fn is_condition_key(t: &str) -> bool {
    t.contains(':') && !t.contains(char::is_whitespace)
}
