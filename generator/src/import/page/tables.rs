//! The three table layouts, read into one shape: a header and rows of cells, each cell a list
//! of paragraphs with their page lines.
//!
//! * pipe tables (`| a | b |` rows, cells spread over lines, `|---|` under the header);
//! * one cell per line with blank lines between cells: parameter tables (a row starts with a
//!   field name followed by the cells its columns expect: `Yes`/`No`, a type), status code
//!   tables (a row starts with a 3-digit code), and fixed-width tables (authorization).

use super::cell_checks;
use super::lines::{self, para_line, para_text, Item, Line, Para};
use super::types;
use super::Warning;

#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Line of the title, or of the header when untitled.
    pub line: usize,
    pub title: Option<String>,
    pub number: Option<u32>,
    /// Lower-case column names.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// The first row whose cells do not fit the header: the import stops there rather than
    /// lose or misplace a field.
    pub broken: Option<Broken>,
}

/// Where a table is broken (the lines of the row, which can run over several) and how.
#[derive(Debug, Clone)]
pub struct Broken {
    pub line: usize,
    pub end_line: usize,
    pub message: String,
}

impl Table {
    /// Records that the row on lines `line..=end_line` does not fit the header (the first
    /// such row counts).
    fn break_at(&mut self, line: usize, end_line: usize, message: String) {
        self.broken.get_or_insert(Broken {
            line,
            end_line,
            message,
        });
    }
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub paras: Vec<Para>,
}

impl Cell {
    pub fn text(&self) -> String {
        self.paras
            .iter()
            .map(para_text)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Table {
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.columns.iter().position(|c| {
            names
                .iter()
                .any(|n| c == n || (n.ends_with('*') && c.starts_with(n.trim_end_matches('*'))))
        })
    }

    /// Where the row's data is written, for warnings: `line N (name)`.
    pub fn row_label(&self, row: &Row) -> String {
        let first = row.cells.first().map(Cell::text).unwrap_or_default();
        format!("line {} ({})", row.line, first)
    }
}

impl Row {
    pub fn cell(&self, i: Option<usize>) -> Option<&Cell> {
        self.cells.get(i?)
    }
}

/// Reads the pipe tables starting at line `start`; returns them and the next unread line.
pub fn pipe_tables(lines: &[Line], start: usize) -> (Vec<Table>, usize) {
    // (first line of the row, its last line, row text); `None` marks a `|---|` separator.
    let mut rows: Vec<Option<(usize, usize, String)>> = Vec::new();
    // Rows that follow a separator without their leading `|` (a line of the page lost).
    let mut without_pipe: Vec<usize> = Vec::new();
    // How many cells each separator (by its index in `rows`) has.
    let mut separators: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    // Rows written without their leading `|` all through, header included: a row ends with
    // `|` once it has its header's cells, and a cell may run over lines that have no `|`.
    let pipeless = is_pipeless_header(lines, start);
    let mut width = 0;
    let mut i = start;
    let mut last_used = start;
    while let Some(line) = lines.get(i) {
        let t = line.text.as_str();
        if t.is_empty() {
            i += 1;
            continue;
        }
        if is_separator(t) {
            width = split_cells(t).len();
            separators.insert(rows.len(), width);
            rows.push(None);
        } else if pipeless {
            let last_complete = match rows.last() {
                Some(Some((_, _, text))) => {
                    text.trim_end().ends_with('|') && split_cells(text).len() >= width
                }
                _ => true,
            };
            match rows.last_mut() {
                Some(Some((_, end, text))) if !last_complete => {
                    *end = line.no;
                    text.push(' ');
                    text.push_str(t);
                }
                _ if t.starts_with('|') => rows.push(Some((line.no, line.no, t.to_string()))),
                _ if t.contains('|') => rows.push(Some((line.no, line.no, format!("| {t}")))),
                _ => break,
            }
        } else if t.starts_with('|') {
            rows.push(Some((line.no, line.no, t.to_string())));
        } else if t.ends_with('|') {
            match rows.last_mut() {
                Some(Some((no, end, text))) => {
                    if text.trim() == "|" {
                        *no = line.no;
                    }
                    *end = line.no;
                    text.push(' ');
                    text.push_str(t);
                }
                Some(None) => {
                    without_pipe.push(rows.len());
                    rows.push(Some((line.no, line.no, format!("| {t}"))));
                }
                None => break,
            }
        } else {
            break;
        }
        last_used = i;
        i += 1;
    }
    let mut tables: Vec<Table> = Vec::new();
    let mut k = 0;
    while k < rows.len() {
        // A header is a row directly followed by a separator.
        if let (Some(Some((no, header_end, header))), Some(None)) = (rows.get(k), rows.get(k + 1)) {
            let columns: Vec<String> = split_cells(header)
                .into_iter()
                .map(|c| c.to_lowercase())
                .collect();
            let mut table = Table {
                line: *no,
                ..Table::default()
            };
            if let Some(separator) = separators.get(&(k + 1)) {
                if *separator != columns.len() {
                    table.break_at(
                        *no,
                        *header_end,
                        format!(
                            "a header of {} cells over a separator of {separator}",
                            columns.len()
                        ),
                    );
                }
            }
            table.columns = columns;
            tables.push(table);
            k += 2;
            continue;
        }
        match (rows.get(k), tables.last_mut()) {
            (Some(Some((no, end, text))), Some(table)) => {
                if is_header_row(text) {
                    table.break_at(
                        *no,
                        *end,
                        "a header row without the `|---|` line under it".into(),
                    );
                }
                if without_pipe.contains(&k) {
                    table.break_at(*no, *end, "a row without its leading `|`".into());
                }
                let mut cells: Vec<Cell> = split_cells(text)
                    .into_iter()
                    .map(|c| Cell {
                        paras: if c.is_empty() {
                            vec![]
                        } else {
                            vec![vec![(*no, c)]]
                        },
                    })
                    .collect();
                // A `|` inside the last cell (a description listing characters) splits it:
                // the extra cells are the last one's text. Too few cells is a lost cell.
                let width = table.columns.len();
                let rows_run_together = width > 1
                    && cells.len().is_multiple_of(width)
                    && cells.get(width).is_some_and(|c| {
                        let first = c.text();
                        types::is_field_name(&first)
                            || (first.len() == 3 && first.chars().all(|c| c.is_ascii_digit()))
                    });
                if rows_run_together {
                    table.break_at(
                        *no,
                        *end,
                        format!(
                            "{} rows run together (a row's leading `|` lost)",
                            cells.len() / width
                        ),
                    );
                } else if width > 0 && cells.len() > width {
                    let tail: Vec<String> = cells.drain(width - 1..).map(|c| c.text()).collect();
                    let text = tail.join(" | ");
                    cells.push(Cell {
                        paras: vec![vec![(*no, text)]],
                    });
                }
                if cells.len() < width {
                    table.break_at(
                        *no,
                        *end,
                        format!(
                            "a row of {} cells under a header of {}",
                            cells.len(),
                            table.columns.len()
                        ),
                    );
                }
                table.rows.push(Row { line: *no, cells });
            }
            (Some(Some((no, end, text))), None) => {
                // Rows before any header: a header row that lost the `|---|` line under it is
                // a broken table; anything else is not a table.
                if !is_header_row(text) {
                    return (Vec::new(), start);
                }
                let mut table = Table {
                    line: *no,
                    columns: split_cells(text)
                        .into_iter()
                        .map(|c| c.to_lowercase())
                        .collect(),
                    ..Table::default()
                };
                table.break_at(
                    *no,
                    *end,
                    "a header row without the `|---|` line under it".into(),
                );
                tables.push(table);
            }
            _ => {}
        }
        k += 1;
    }
    (tables, last_used + 1)
}

/// Reads a table written one cell per line, each cell ending with `|` (`Parameter |`, then
/// `Mandatory |`, ...; a cell may run over several lines, its last one ending with `|`), with a
/// `---|---|` line under the header. Returns the table and the next unread line, or `None` when
/// the lines from `start` are not such a table.
pub fn trailing_pipe_table(lines: &[Line], start: usize) -> Option<(Table, usize)> {
    // The header: cells up to the separator line.
    let mut header = Vec::new();
    let mut i = start;
    loop {
        let t = lines.get(i)?.text.as_str();
        if is_bare_separator(t) {
            break;
        }
        let cell = t.strip_suffix('|')?.trim();
        let first = header.is_empty();
        if cell.is_empty()
            || header.len() > 12
            || (first && !FIRST_COLUMNS.contains(&cell.to_lowercase().as_str()))
        {
            return None;
        }
        header.push(cell.to_lowercase());
        i += 1;
    }
    let columns = header.len();
    if columns < 2 {
        return None;
    }
    // The separator is the last line used so far.
    let mut last_used = i;
    i += 1;
    let mut table = Table {
        line: lines.get(start)?.no,
        columns: header,
        ..Table::default()
    };
    let mut row = Row::default();
    let mut cell: Para = Vec::new();
    let mut paras: Vec<Para> = Vec::new();
    while let Some(line) = lines.get(i) {
        let t = line.text.as_str();
        // A row starts with its name cell, one line ending with `|`: anything else ends the
        // table.
        if row.cells.is_empty() && cell.is_empty() && paras.is_empty() {
            // Blank lines between rows: the table goes on if a row follows.
            if t.is_empty() {
                let next = lines.iter().skip(i).find(|l| !l.text.is_empty());
                if next.is_some_and(|l| l.text.ends_with('|') && l.text != "|") {
                    i += 1;
                    continue;
                }
                break;
            }
            if !t.ends_with('|') || t == "|" {
                break;
            }
            // The header of the next table: a first column's name, more cells, a separator.
            let first_column = t.trim_end_matches('|').trim().to_lowercase();
            let next_header = FIRST_COLUMNS.contains(&first_column.as_str())
                && lines
                    .iter()
                    .skip(i)
                    .take(14)
                    .take_while(|l| l.text.ends_with('|') || is_bare_separator(&l.text))
                    .any(|l| is_bare_separator(&l.text));
            if next_header {
                break;
            }
        }
        if t.is_empty() {
            if !cell.is_empty() {
                paras.push(std::mem::take(&mut cell));
            }
            i += 1;
            continue;
        }
        let (text, ends) = match t.strip_suffix('|') {
            Some(rest) => (rest.trim(), true),
            None => (t, false),
        };
        if !text.is_empty() {
            if row.cells.is_empty() && cell.is_empty() && paras.is_empty() {
                row.line = line.no;
            }
            cell.push((line.no, text.to_string()));
        }
        if ends {
            if !cell.is_empty() {
                paras.push(std::mem::take(&mut cell));
            }
            if row.cells.is_empty() && row.line == 0 {
                row.line = line.no;
            }
            row.cells.push(Cell {
                paras: std::mem::take(&mut paras),
            });
            if row.cells.len() == columns {
                let words = row.cells.iter().map(|c| c.text()).collect::<Vec<_>>();
                if is_header_row(&format!("| {} |", words.join(" | "))) {
                    let (line, end) = (row.line, line.no);
                    table.break_at(
                        line,
                        end,
                        "a header row without the `---|` line under it".into(),
                    );
                }
                table.rows.push(std::mem::take(&mut row));
            }
            last_used = i;
        }
        i += 1;
    }
    if !row.cells.is_empty() {
        let line = row.line;
        let cells = row.cells.len();
        let end = lines.get(last_used).map_or(line, |l| l.no);
        table.rows.push(row);
        table.break_at(
            line,
            end,
            format!("a row of {cells} cells under a header of {columns}"),
        );
    }
    Some((table, last_used + 1))
}

/// `---|---|---|` (no leading pipe).
fn is_bare_separator(t: &str) -> bool {
    t.starts_with('-') && t.contains('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Whether a pipe row is a table header: a first column's name, then other columns' names.
fn is_header_row(text: &str) -> bool {
    let cells = split_cells(text);
    let mut words = cells.iter().map(|c| c.to_lowercase());
    words
        .next()
        .is_some_and(|first| FIRST_COLUMNS.contains(&first.as_str()))
        && cells.len() >= 2
        && words.all(|w| OTHER_COLUMNS.contains(&w.as_str()))
}

/// Whether line `start` is a header row written without its leading `|` (`Name | Type |`)
/// with a `|---|` separator of as many cells right under it.
pub fn is_pipeless_header(lines: &[Line], start: usize) -> bool {
    let Some(header) = lines.get(start).map(|l| l.text.as_str()) else {
        return false;
    };
    let cells = split_cells(&format!("| {header}"));
    !header.starts_with('|')
        && header.ends_with('|')
        && cells.len() >= 2
        && lines
            .iter()
            .skip(start + 1)
            .find(|l| !l.text.is_empty())
            .is_some_and(|l| is_separator(&l.text) && split_cells(&l.text).len() == cells.len())
}

fn is_separator(t: &str) -> bool {
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn split_cells(row: &str) -> Vec<String> {
    let mut parts: Vec<&str> = row.split('|').collect();
    if parts.len() >= 2 {
        parts.remove(0);
        if row.trim_end().ends_with('|') {
            parts.pop();
        }
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// Header words of one-cell-per-line tables.
const FIRST_COLUMNS: &[&str] = &[
    "parameter",
    "name",
    "field",
    "attribute",
    "status code",
    "status codes",
    "http status code",
    "returned value",
    "returned values",
    "action",
];
const OTHER_COLUMNS: &[&str] = &[
    "mandatory",
    "required",
    "type",
    "description",
    "access level",
    "resource type (*: required)",
    "resource type",
    "condition key",
    "alias",
    "dependencies",
    "dependency",
];

/// A header whose cells ran together into one paragraph (the blank lines between them lost):
/// a broken table at that paragraph.
fn header_run_together(para: &Para) -> Option<Table> {
    let words: Vec<String> = para.iter().map(|(_, t)| t.trim().to_lowercase()).collect();
    let (first, rest) = words.split_first()?;
    let header = para.len() >= 2
        && FIRST_COLUMNS.contains(&first.as_str())
        && rest.iter().all(|w| OTHER_COLUMNS.contains(&w.as_str()));
    if !header {
        return None;
    }
    let (line, end) = (para_line(para), para.last().map_or(0, |(l, _)| *l));
    Some(broken_header(
        words,
        line,
        end,
        "header cells run together (a blank line between them lost)",
    ))
}

/// A table of header `columns` (lines `line..=end`) that is broken as `message` says.
fn broken_header(columns: Vec<String>, line: usize, end: usize, message: &str) -> Table {
    let mut table = Table {
        line,
        columns,
        ..Table::default()
    };
    table.break_at(line, end, message.to_owned());
    table
}

/// The header words of a paragraph of several lines that are all header words of a column
/// other than the first.
fn other_header_words(para: &Para) -> Option<Vec<String>> {
    let words: Vec<String> = para.iter().map(|(_, t)| t.trim().to_lowercase()).collect();
    (words.len() >= 2 && words.iter().all(|w| OTHER_COLUMNS.contains(&w.as_str()))).then_some(words)
}

/// A header that lost its first column ("Parameter"): two or more header words of the other
/// columns (`Mandatory`, `Type`, `Description`) in a row, which prose never is.
fn headless(items: &[Item], start: usize) -> Option<(Table, usize)> {
    let mut words: Vec<String> = Vec::new();
    let mut k = start;
    let mut end = 0;
    while let Some(Item::Para(p)) = items.get(k) {
        let found = match header_word(p, false) {
            Some(w) => vec![w],
            None => match other_header_words(p) {
                Some(w) => w,
                None => break,
            },
        };
        if found.iter().any(|w| words.contains(w)) {
            break;
        }
        end = p.last().map_or(end, |(l, _)| *l);
        words.extend(found);
        k += 1;
    }
    if words.len() < 2 {
        return None;
    }
    let Some(Item::Para(first)) = items.get(start) else {
        return None;
    };
    let table = broken_header(
        words,
        para_line(first),
        end,
        "a table header without its first column (\"Parameter\" or \"Name\": a line lost)",
    );
    Some((table, k))
}

fn header_word(para: &Para, first: bool) -> Option<String> {
    if para.len() != 1 {
        return None;
    }
    let t = para_text(para).to_lowercase();
    let set = if first { FIRST_COLUMNS } else { OTHER_COLUMNS };
    set.contains(&t.as_str()).then_some(t)
}

/// Assembles one-cell-per-line tables out of paragraphs and attaches `Table N` titles to the
/// table that follows them.
pub fn assemble(items: Vec<Item>, warnings: &mut Vec<Warning>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let Some(item) = items.get(i) else { break };
        if let Item::Para(p) = item {
            if let Some((table, next)) = cell_table(&items, i, warnings) {
                push_table(&mut out, table);
                i = next;
                continue;
            }
            out.push(Item::Para(p.clone()));
        } else if let Item::Table(t) = item {
            push_table(&mut out, t.clone());
        } else {
            out.push(item.clone());
        }
        i += 1;
    }
    out
}

/// A table directly after a title takes that title.
fn push_table(out: &mut Vec<Item>, mut table: Table) {
    if let Some(Item::Title { line, number, text }) = out.last() {
        table.title = Some(text.clone());
        table.number = *number;
        table.line = *line;
        out.pop();
    }
    out.push(Item::Table(table));
}

/// A one-cell-per-line table starting at item `start`, if its header is there.
fn cell_table(items: &[Item], start: usize, warnings: &mut Vec<Warning>) -> Option<(Table, usize)> {
    let Some(Item::Para(first)) = items.get(start) else {
        return None;
    };
    if let Some(table) = header_run_together(first) {
        return Some((table, start + 1));
    }
    if let Some((table, next)) = headless(items, start) {
        return Some((table, next));
    }
    let first_word = header_word(first, true)?;
    let mut columns = vec![first_word];
    let mut run_together: Option<(usize, usize)> = None;
    let mut k = start + 1;
    while let Some(Item::Para(p)) = items.get(k) {
        match header_word(p, false) {
            // A header names each column once: a second "Type" is a field named `type`.
            Some(w) if !columns.contains(&w) => columns.push(w),
            Some(_) => break,
            None => match other_header_words(p) {
                Some(words) => {
                    run_together.get_or_insert((para_line(p), p.last().map_or(0, |(l, _)| *l)));
                    columns.extend(words);
                }
                None => break,
            },
        }
        k += 1;
    }
    if columns.len() < 2 {
        return None;
    }
    let mut table = Table {
        line: para_line(first),
        columns,
        ..Table::default()
    };
    if let Some((line, end)) = run_together {
        table.break_at(
            line,
            end,
            "header cells run together (a blank line between them lost)".into(),
        );
    }
    // The data paragraphs: up to the next non-paragraph item or the next table header.
    let mut data: Vec<Para> = Vec::new();
    while let Some(Item::Para(p)) = items.get(k) {
        if header_word(p, true).is_some() {
            if let Some(Item::Para(next)) = items.get(k + 1) {
                if header_word(next, false).is_some() {
                    break;
                }
            }
        }
        data.push(p.clone());
        k += 1;
    }
    let header_end = k
        .checked_sub(1)
        .and_then(|h| match items.get(h) {
            Some(Item::Para(p)) => p.last().map(|(line, _)| *line),
            _ => None,
        })
        .unwrap_or(table.line);
    let kind = table.columns.first().cloned().unwrap_or_default();
    // A parameter table's header that lost its description column.
    let parameter_like = kind == "parameter" || kind == "name" || kind == "field";
    let described = table.columns.iter().any(|c| c == "description");
    let checked = table
        .columns
        .iter()
        .any(|c| matches!(c.as_str(), "mandatory" | "required" | "type"));
    if parameter_like && checked && !described {
        table.break_at(
            table.line,
            header_end,
            "a parameter table's header without its Description column (a line lost)".into(),
        );
    }
    // The first row's lines (its name and the cells its columns expect), for errors about it.
    let first_data = data
        .iter()
        .take(table.columns.len())
        .filter_map(|p| p.last().map(|(line, _)| *line))
        .max()
        .unwrap_or(header_end);
    if matches!(
        kind.as_str(),
        "status code" | "status codes" | "http status code" | "returned value" | "returned values"
    ) {
        rows_by_start(
            &mut table,
            data,
            |d, j| {
                d.get(j)
                    .is_some_and(|p| p.len() == 1 && lines::status_code(&para_text(p)).is_some())
            },
            warnings,
        );
        merge_tail(&mut table, 1);
        if let Some((line, end, message)) = cell_checks::run_together_in(&table) {
            table.break_at(line, end, message);
        }
    } else if table.columns.iter().any(|c| c == "description") && kind != "action" {
        let checks: Vec<String> = table.columns.clone();
        let desc = checks
            .iter()
            .position(|c| c == "description")
            .unwrap_or(checks.len());
        let starts = |d: &[Para], j: usize| {
            let Some(name) = d.get(j) else { return false };
            // A sentence's full stop ("Remarks.") is no part of a name.
            let name = para_text(name);
            if d.get(j).map_or(0, Vec::len) != 1
                || !types::is_field_name(&name)
                || name.ends_with('.')
            {
                return false;
            }
            (1..desc).all(|c| {
                let Some(p) = d.get(j + c) else { return false };
                let t = para_text(p);
                match checks.get(c).map(String::as_str) {
                    Some("mandatory") | Some("required") => yes_no(&t).is_some(),
                    Some("type") => types::parse_type(&t).is_some(),
                    _ => true,
                }
            })
        };
        if let Some((line, end, message)) = broken_row(&data, &checks, desc, &starts) {
            table.break_at(line, end.max(line), message);
        }
        // Text before the first row: the header and the first row no longer fit each other
        // (a header cell, or a first row's cell, lost).
        if !data.is_empty() && !starts(&data, 0) {
            table.break_at(
                table.line,
                first_data,
                "the first row does not fit the header (a line lost)".into(),
            );
        }
        rows_by_start(&mut table, data, starts, warnings);
        merge_tail(&mut table, desc);
        // A description that starts with a type: the header lost its Type column.
        let typed = checks.iter().any(|c| c == "type");
        let first_description = table
            .rows
            .first()
            .and_then(|r| r.cells.get(desc))
            .and_then(|c| c.paras.first())
            .filter(|p| p.len() == 1)
            .map(para_text);
        if let (false, Some(text)) = (typed, first_description) {
            if text.chars().next().is_some_and(char::is_uppercase)
                && types::parse_type(&text).is_some()
            {
                table.break_at(
                    table.line,
                    first_data,
                    format!("the first row's description starts with the type \"{text}\": the header lost its Type column"),
                );
            }
        }
        // A row named `Yes` or `String`: the header lost the column that cell belongs to.
        let mandatory = checks.iter().any(|c| c == "mandatory" || c == "required");
        for row in &table.rows {
            let name = row.cells.first().map(Cell::text).unwrap_or_default();
            let lost = if !mandatory && yes_no(&name).is_some() {
                Some("Mandatory")
            } else if !typed && cell_checks::is_type(&name) {
                Some("Type")
            } else {
                None
            };
            if let Some(lost) = lost {
                table.break_at(
                    table.line,
                    first_data,
                    format!("a row named \"{name}\": the header lost its {lost} column"),
                );
                break;
            }
        }
        if let Some((line, end, message)) = cell_checks::first_problem(&table, desc, typed) {
            table.break_at(line, end, message);
        }
    } else {
        if kind == "action" {
            if let Some((line, end, message)) =
                cell_checks::authorization_header_problem(&table, header_end)
            {
                table.break_at(line, end, message);
            }
        }
        // A list cell's bullets may be paragraphs of their own: they are one cell.
        let mut cells: Vec<Para> = Vec::new();
        for p in data {
            let bullets = |p: &Para| p.iter().all(|(_, t)| lines::bullet(t).is_some());
            match cells.last_mut() {
                Some(last) if bullets(last) && bullets(&p) => last.extend(p),
                _ => cells.push(p),
            }
        }
        let width = table.columns.len().max(1);
        let mut incomplete = None;
        for row in fixed_width_rows(&cells, width, kind == "action") {
            let first_line = |c: &Cell| c.paras.first().map(para_line);
            let line = row.first().and_then(first_line).unwrap_or(table.line);
            if row.len() < width {
                let end = row
                    .iter()
                    .flat_map(|c| c.paras.iter().flatten())
                    .map(|(l, _)| *l)
                    .max()
                    .unwrap_or(line);
                incomplete = Some((
                    line,
                    end,
                    format!(
                        "a row of {} cells under a header of {} ({}): a line lost",
                        row.len(),
                        width,
                        row.iter().map(Cell::text).collect::<Vec<_>>().join(" | ")
                    ),
                ));
            }
            table.rows.push(Row { line, cells: row });
        }
        // A cell that does not fit its column is nearer the lost line than the short row at
        // the end that the loss leaves.
        if kind == "action" {
            if let Some((line, end, message)) = cell_checks::authorization_problem(&table) {
                table.break_at(line, end, message);
            }
        }
        if let Some((line, end, message)) = incomplete {
            table.break_at(line, end, message);
        }
    }
    Some((table, k))
}

/// The rows of a fixed-width table: `width` cells each. In an authorization table an action
/// with several resource types or condition keys has a row per extra one after its first, in
/// which the spanned cells (action, access level, alias, dependencies) are absent: the cells up
/// to the next action belong to the action's row, a resource type to its resource types, a
/// condition key to its condition keys, and `-` to neither.
fn fixed_width_rows(cells: &[Para], width: usize, authorization: bool) -> Vec<Vec<Cell>> {
    fn single(p: &Para) -> Option<&str> {
        match p.as_slice() {
            [(_, t)] => Some(t.as_str()),
            _ => None,
        }
    }
    let cell = |p: &Para| Cell {
        paras: vec![p.clone()],
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let Some(p) = cells.get(i) else { break };
        let starts_row = single(p).is_some_and(cell_checks::is_action);
        if let (true, false, Some(row)) = (authorization, starts_row, rows.last_mut()) {
            if row.len() == width {
                let column = match single(p) {
                    Some("-") => None,
                    Some(t) if cell_checks::is_resource_type(t) => Some(2),
                    _ => Some(3),
                };
                if let Some(target) = column.and_then(|c| row.get_mut(c)) {
                    target.paras.push(p.clone());
                }
                i += 1;
                continue;
            }
        }
        let end = (i + width).min(cells.len());
        rows.push(
            cells
                .get(i..end)
                .unwrap_or_default()
                .iter()
                .map(cell)
                .collect(),
        );
        i = end;
    }
    rows
}

/// Splits `data` into rows at the paragraphs where `starts` holds. Paragraphs before the first
/// row are reported.
/// The first paragraph of a parameter table's data where a row lost a cell or a line: a
/// field name followed by a mandatory cell but no type, or by a type but no mandatory cell
/// (when the table has those columns); a mandatory cell followed by a type with no name before
/// it; a name, mandatory cell or type run together with the next cell (the blank line between
/// them lost). Such a row would be read into the previous row's description.
fn broken_row(
    data: &[Para],
    columns: &[String],
    desc: usize,
    starts: &dyn Fn(&[Para], usize) -> bool,
) -> Option<(usize, usize, String)> {
    let column = |name: &str| columns.iter().take(desc).position(|c| c == name);
    // The lines of paragraphs `j..=j + n` (a row's cells), for the error.
    let end_of = |j: usize, n: usize| {
        (j..=j + n)
            .filter_map(|k| data.get(k))
            .filter_map(|p| p.last().map(|(line, _)| *line))
            .max()
            .unwrap_or(0)
    };
    let mandatory = column("mandatory").or_else(|| column("required"));
    let typed = column("type");
    let one_line = |p: &Para| (p.len() == 1).then(|| para_text(p));
    let is_name = |t: &str| types::is_field_name(t) && yes_no(t).is_none();
    let is_yes_no = |t: &str| yes_no(t).is_some();
    // The pages' own spellings (`String`, `Array of X objects`): a lower-case word in a
    // description ("string") is prose.
    let is_type = |t: &str| {
        t.chars().next().is_some_and(char::is_uppercase)
            && types::parse_type(t).is_some()
            && yes_no(t).is_none()
    };
    // The cells of a row's start (name, mandatory, type) are not looked at again.
    let mut in_start_until = 0;
    for j in 0..data.len() {
        let Some(p) = data.get(j) else { break };
        if starts(data, j) {
            in_start_until = j + desc;
            continue;
        }
        if j < in_start_until {
            continue;
        }
        let line = para_line(p);
        // Two cells run together.
        if let [(_, first), (_, second), ..] = p.as_slice() {
            let (first, second) = (first.trim(), second.trim());
            let joined = (is_name(first) && (is_yes_no(second) || is_type(second)))
                || (is_yes_no(first) && is_type(second));
            if joined && (mandatory.is_some() || typed.is_some()) {
                return Some((
                    line,
                    end_of(j, 0),
                    format!(
                        "the cells \"{first}\" and \"{second}\" run together (a blank line lost)"
                    ),
                ));
            }
            continue;
        }
        let Some(text) = one_line(p) else { continue };
        let next = data.get(j + 1).and_then(one_line);
        let next = next.as_deref().unwrap_or("");
        if let (Some(_), Some(_)) = (mandatory, typed) {
            if is_yes_no(&text) && is_type(next) {
                return Some((
                    line,
                    end_of(j, 1),
                    format!("a row without its name (\"{text}\", then the type \"{next}\")"),
                ));
            }
            if is_name(&text) && is_yes_no(next) && j > 0 {
                let after = data.get(j + 2).and_then(one_line).unwrap_or_default();
                if !is_type(&after) {
                    return Some((
                        line,
                        end_of(j, 2),
                        format!(
                            "row {text}: no type after its mandatory cell (\"{after}\": a cell lost, or a type this importer does not know)"
                        ),
                    ));
                }
            }
            if is_name(&text) && is_type(next) && !is_yes_no(next) {
                let after = data.get(j + 2).and_then(one_line).unwrap_or_default();
                if !is_yes_no(&after) && data.get(j + 2).is_some() && j > 0 {
                    // A name and a type with no mandatory cell: only when the paragraph
                    // before ends a description (so this is not prose that mentions a name).
                    return Some((
                        line,
                        end_of(j, 2),
                        format!("row {text}: no mandatory cell (a cell lost)"),
                    ));
                }
            }
        }
    }
    None
}

fn rows_by_start(
    table: &mut Table,
    data: Vec<Para>,
    starts: impl Fn(&[Para], usize) -> bool,
    warnings: &mut Vec<Warning>,
) {
    let mut current: Option<Row> = None;
    for j in 0..data.len() {
        let Some(p) = data.get(j) else { break };
        if starts(&data, j) {
            if let Some(row) = current.take() {
                table.rows.push(row);
            }
            current = Some(Row {
                line: para_line(p),
                cells: vec![Cell {
                    paras: vec![p.clone()],
                }],
            });
        } else if let Some(row) = current.as_mut() {
            row.cells.push(Cell {
                paras: vec![p.clone()],
            });
        } else {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: para_line(p),
                message: format!(
                    "text in a table that is not part of any row: \"{}\"",
                    para_text(p)
                ),
            });
        }
    }
    if let Some(row) = current {
        table.rows.push(row);
    }
}

/// Keeps the first `keep` cells of each row and merges the rest into one last cell.
fn merge_tail(table: &mut Table, keep: usize) {
    for row in &mut table.rows {
        if row.cells.len() > keep {
            let tail: Vec<Para> = row.cells.drain(keep..).flat_map(|c| c.paras).collect();
            row.cells.push(Cell { paras: tail });
        }
    }
}

pub fn yes_no(t: &str) -> Option<bool> {
    match t.to_lowercase().as_str() {
        "yes" | "true" | "mandatory" | "required" => Some(true),
        "no" | "false" | "optional" => Some(false),
        _ => None,
    }
}
