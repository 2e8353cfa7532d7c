//! The page's sections: title, breadcrumb, date, Function, Constraints, authorization, method
//! and path, parameter tables, response tables, examples and the status code table.

use indexmap::IndexMap;

use super::build::{put_ranges, Group, Target};
use super::describe::describe;
use super::enums;
use super::lines::{self, para_line, para_text, Item, Line, Para};
use super::node::{Map, Node};
use super::tables::{yes_no, Table};
use super::types::{parse_type, Ty};
use super::Warning;
use crate::spec::model::ParameterSource;

pub const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

#[derive(Debug, Default)]
pub struct Response {
    pub description: Option<String>,
    pub example: Option<String>,
    pub example_line: usize,
}

#[derive(Debug, Default)]
pub struct Page {
    pub title: Option<String>,
    pub breadcrumb: Option<String>,
    pub updated: Option<String>,
    pub description: Option<String>,
    pub constraints: Option<String>,
    /// The first table row that does not fit its header: the page cannot be imported.
    pub broken: Option<super::tables::Broken>,
    pub authorization: Option<Vec<Node>>,
    pub method: Option<String>,
    pub path: Option<String>,
    /// Line of the URI heading, for the error when there is no method and path.
    pub uri_line: Option<usize>,
    pub params: Vec<Map>,
    /// The example request's first line(s): `GET https://...` (without a JSON body).
    pub request_example: Option<String>,
    /// The page says there is no example request ("None").
    pub request_example_none: bool,
    /// The line of the example request's section heading.
    pub request_example_line: Option<usize>,
    /// The JSON body of the example request, de-indented.
    pub request_body_example: Option<String>,
    pub responses: IndexMap<String, Response>,
    /// Status codes in page order as first seen.
    pub groups: Vec<Group>,
    /// Number of API page sections seen (Function, URI, Request..., Response...).
    pub api_sections: usize,
}

struct Section {
    name: String,
    line: usize,
    items: Vec<Item>,
}

pub fn read(text: &str, warnings: &mut Vec<Warning>) -> Page {
    let lines = lines::page_lines(text);
    let mut page = Page::default();
    read_head(&lines, &mut page);
    let items = lines::items(&lines);
    let items = super::tables::assemble(items, warnings);
    page.broken = items.iter().find_map(|item| match item {
        Item::Table(t) => t.broken.clone(),
        _ => None,
    });
    let mut sections: Vec<Section> = Vec::new();
    let mut head: Vec<Item> = Vec::new();
    for item in items {
        match item {
            Item::Heading { line, name } => sections.push(Section {
                name,
                line,
                items: Vec::new(),
            }),
            other => match sections.last_mut() {
                Some(s) => s.items.push(other),
                None => head.push(other),
            },
        }
    }
    report_tables(&head, "before the first section", warnings);
    for s in &sections {
        if matches!(
            s.name.as_str(),
            "function"
                | "uri"
                | "request parameters"
                | "request"
                | "response parameters"
                | "response"
        ) {
            page.api_sections += 1;
        }
    }
    for s in &sections {
        read_section(s, &mut page, warnings);
    }
    let texts: Vec<(&str, &[Item])> = std::iter::once(("", head.as_slice()))
        .chain(
            sections
                .iter()
                .map(|s| (s.name.as_str(), s.items.as_slice())),
        )
        .collect();
    super::prose_headers::add(&texts, &mut page.params, warnings);
    // Statuses in code order, whatever order the page's sections gave them in.
    page.responses.sort_keys();
    if page.method.is_none() {
        // Not under URI: any `METHOD /path` line outside the examples.
        for s in sections.iter().filter(|s| !s.name.starts_with("example")) {
            if let Some((m, p)) = s.items.iter().find_map(|i| match i {
                Item::Para(p) => p.iter().find_map(|(_, t)| method_path(t)),
                _ => None,
            }) {
                page.method = Some(m);
                page.path = Some(p);
                break;
            }
        }
    }
    page
}

fn read_head(lines: &[Line], page: &mut Page) {
    for line in lines {
        if lines::heading(line).is_some() {
            break;
        }
        let t = line.text.as_str();
        if t.is_empty() {
            continue;
        }
        if t.starts_with("Help Center/") || t.starts_with("Help Center /") {
            if page.breadcrumb.is_none() {
                page.breadcrumb = Some(t.to_string());
            }
        } else if let Some(rest) = t.strip_prefix("Updated on") {
            if page.updated.is_none() {
                page.updated = Some(rest.trim().to_string());
            }
        } else if page.title.is_none() {
            page.title = Some(t.to_string());
        }
    }
    if page.title.is_none() {
        page.title = page
            .breadcrumb
            .as_deref()
            .and_then(|b| b.rsplit('/').next())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
    }
}

/// `GET /v3/{project_id}/x` -> ("GET", "/v3/{project_id}/x"); the scheme and host of
/// `GET https://{endpoint}/v3/x` are dropped.
pub fn method_path(text: &str) -> Option<(String, String)> {
    let mut words = text.split_whitespace();
    let method = words.next()?;
    let path = uri_path(words.next()?)?;
    if words.next().is_some() || !METHODS.contains(&method) {
        return None;
    }
    Some((method.to_string(), path.to_string()))
}

/// The path of a URI: `/v3/x`, or `https://{endpoint}/v3/x` without its scheme and host.
fn uri_path(text: &str) -> Option<&str> {
    let path = match text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    {
        Some(rest) => rest.get(rest.find('/')?..)?,
        None => text,
    };
    path.starts_with('/').then_some(path)
}

fn section_text(items: &[Item]) -> Option<String> {
    let paras: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Para(p) => Some(para_text(p)),
            _ => None,
        })
        .filter(|t| t.chars().any(|c| c.is_alphanumeric()))
        .collect();
    (!paras.is_empty()).then(|| paras.join("\n\n"))
}

fn read_section(s: &Section, page: &mut Page, warnings: &mut Vec<Warning>) {
    match s.name.as_str() {
        "function" => {
            if page.description.is_none() {
                page.description = section_text(&s.items);
            }
            report_tables(&s.items, "in Function", warnings);
        }
        "constraints" => {
            if page.constraints.is_none() {
                page.constraints = section_text(&s.items);
            }
            report_tables(&s.items, "in Constraints", warnings);
        }
        "authorization information" => read_authorization(s, page, warnings),
        "uri" => {
            page.uri_line.get_or_insert(s.line);
            // A "Request Method | URI" table: the method and the path in cells of their own.
            let mut method_cell: Option<&str> = None;
            for item in &s.items {
                match item {
                    Item::Para(p) if page.method.is_none() => {
                        if let Some((m, path)) = p.iter().find_map(|(_, t)| method_path(t)) {
                            page.method = Some(m);
                            page.path = Some(path);
                        } else if let (Some(m), [(_, cell)]) = (method_cell, p.as_slice()) {
                            if let Some(path) = uri_path(cell) {
                                page.method = Some(m.to_string());
                                page.path = Some(path.to_string());
                            }
                        }
                        method_cell = match p.as_slice() {
                            [(_, t)] => METHODS.iter().copied().find(|m| m == t),
                            _ => None,
                        };
                    }
                    Item::Table(t) => read_param_table(t, Place::Uri, page, warnings),
                    _ => {}
                }
            }
        }
        "request parameters" | "request" => {
            // The caption the next paragraphs belong to ("URI example", "Request example").
            let mut caption: Option<&str> = None;
            for item in &s.items {
                match item {
                    Item::Table(t) => {
                        caption = None;
                        read_param_table(t, Place::Request, page, warnings);
                    }
                    Item::Caption { name, .. } => caption = Some(name.as_str()),
                    Item::Para(p)
                        if caption == Some("uri example")
                            && page.request_example.is_none()
                            && request_line(p) =>
                    {
                        page.request_example = Some(para_lines(p));
                    }
                    Item::Para(p)
                        if matches!(caption, Some("request example" | "example request")) =>
                    {
                        if page.request_example.is_none() && request_line(p) {
                            page.request_example = Some(para_lines(p));
                        } else if says_none(p) {
                            page.request_example_none = true;
                        }
                    }
                    Item::Json { text, .. }
                        if matches!(caption, Some("request example" | "example request")) =>
                    {
                        page.request_body_example
                            .get_or_insert_with(|| text.clone());
                    }
                    _ => {}
                }
            }
        }
        "response parameters" | "response" => read_responses(s, page, warnings),
        "example request" | "example requests" => read_example_request(s, page),
        "example response" | "example responses" => read_example_responses(s, page),
        "status code" | "status codes" => {
            let mut tables = 0;
            for item in &s.items {
                if let Item::Table(t) = item {
                    read_status_table(t, page, warnings);
                    tables += 1;
                }
            }
            // What is left of a table whose header lost a line: a header word ("Description")
            // right before the first code, with no table read.
            let header_word = |t: &str| {
                matches!(
                    t.to_lowercase().as_str(),
                    "status code" | "status codes" | "description"
                )
            };
            let mut before: Option<&str> = None;
            let mut stray_code = None;
            for (line, text) in s
                .items
                .iter()
                .filter(|_| tables == 0)
                .filter_map(|item| match item {
                    Item::Para(p) => Some(p),
                    _ => None,
                })
                .flatten()
            {
                if lines::status_code(text).is_some() {
                    if before.is_some_and(header_word) {
                        stray_code = Some(*line);
                    }
                    break;
                }
                before = Some(text);
            }
            // "• Normal" over the success code(s), in paragraphs of their own.
            let mut normal = false;
            for item in &s.items {
                let Item::Para(p) = item else { continue };
                for (_, text) in p {
                    let word = lines::bullet(text).unwrap_or(text).to_lowercase();
                    if word == "normal" || word == "abnormal" || word == "error" {
                        normal = word == "normal";
                    } else if let (true, Some(code)) = (normal, lines::status_code(text)) {
                        response(page, code);
                    } else {
                        normal = false;
                    }
                }
            }
            if let Some(line) = stray_code {
                page.broken.get_or_insert(super::tables::Broken {
                    line: s.line,
                    end_line: line,
                    message: "status codes without a table header (\"Status Code\", \"Description\": a line lost)".into(),
                });
            }
        }
        _ => report_tables(&s.items, &format!("in {}", s.name), warnings),
    }
}

fn report_tables(items: &[Item], place: &str, warnings: &mut Vec<Warning>) {
    for item in items {
        if let Item::Table(t) = item {
            for row in &t.rows {
                warnings.push(Warning {
                    path: String::new(),
                    kind: String::new(),
                    line: row.line,
                    message: format!(
                        "table row {place} is not part of the spec: {}",
                        t.row_label(row)
                    ),
                });
            }
        }
    }
}

fn para_lines(p: &Para) -> String {
    p.iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A paragraph that only says there is nothing: "None", "N/A".
fn says_none(p: &Para) -> bool {
    matches!(
        para_text(p).trim().to_lowercase().as_str(),
        "none" | "n/a" | "na"
    )
}

fn request_line(p: &Para) -> bool {
    p.first().is_some_and(|(_, t)| {
        t.split_whitespace()
            .next()
            .is_some_and(|m| METHODS.contains(&m))
    })
}

fn read_authorization(s: &Section, page: &mut Page, warnings: &mut Vec<Warning>) {
    let mut out = Vec::new();
    for item in &s.items {
        let Item::Table(t) = item else { continue };
        let action = t.column(&["action"]);
        if action.is_none() {
            report_tables(
                std::slice::from_ref(item),
                "in Authorization Information",
                warnings,
            );
            continue;
        }
        // Each item once: an action with several resource types repeats their condition keys.
        let list = |row: &super::tables::Row, col: Option<usize>| -> Node {
            let mut items: Vec<String> = Vec::new();
            if let Some(cell) = row.cell(col) {
                for (_, l) in cell.paras.iter().flatten() {
                    let item = lines::bullet(l).unwrap_or(l).trim().to_string();
                    if !item.is_empty() && item != "-" && !items.contains(&item) {
                        items.push(item);
                    }
                }
            }
            Node::Seq(items.into_iter().map(Node::Str).collect())
        };
        let single = |row: &super::tables::Row, col: Option<usize>| -> Node {
            match row.cell(col).map(|c| c.text()) {
                Some(t) if !t.is_empty() && t != "-" => Node::Str(t),
                _ => Node::Null,
            }
        };
        for row in &t.rows {
            let mut m = Map::new();
            m.set("action", single(row, action));
            m.set("access_level", single(row, t.column(&["access level"])));
            m.set("resource_types", list(row, t.column(&["resource type*"])));
            m.set("condition_keys", list(row, t.column(&["condition key*"])));
            m.set("alias", single(row, t.column(&["alias"])));
            m.set(
                "dependencies",
                list(row, t.column(&["dependencies", "dependency"])),
            );
            if matches!(m.get("action"), Some(Node::Null)) {
                warnings.push(Warning {
                    path: String::new(),
                    kind: String::new(),
                    line: row.line,
                    message: format!(
                        "authorization row without an action is left out: {}",
                        t.row_label(row)
                    ),
                });
                continue;
            }
            out.push(Node::Map(m));
        }
    }
    page.authorization.get_or_insert_with(Vec::new).extend(out);
}

#[derive(Clone, Copy, PartialEq)]
enum Place {
    Uri,
    Request,
}

fn read_param_table(t: &Table, place: Place, page: &mut Page, warnings: &mut Vec<Warning>) {
    let title = t.title.clone().unwrap_or_default().to_lowercase();
    let name_col = t.column(&["parameter", "name", "field", "parameter name", "attribute"]);
    if name_col.is_none() || t.column(&["description"]).is_none() {
        report_tables(
            std::slice::from_ref(&Item::Table(t.clone())),
            "with unknown columns",
            warnings,
        );
        return;
    }
    // In the request section, a table is a header (or query, or path) parameter table only
    // when its title says so or its rows are all header names; any other table is the body's
    // ("Request parameter", "Table 3 tag objects": a body table or one nested in it).
    let names_headers = t
        .rows
        .iter()
        .filter_map(|r| r.cell(name_col))
        .all(|c| header_like(&c.text()));
    let title_says = |word: &str| {
        title
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == word)
    };
    let is_body = place == Place::Request
        && (title_says("body")
            || !(title_says("header")
                || title_says("query")
                || title_says("path")
                || names_headers));
    if is_body {
        match page.groups.iter_mut().find(|g| g.target == Target::Body) {
            Some(g) => g.tables.push(t.clone()),
            None => page.groups.push(Group {
                target: Target::Body,
                tables: vec![t.clone()],
            }),
        }
        return;
    }
    let type_col = t.column(&["type"]);
    let mand_col = t.column(&["mandatory", "required"]);
    let desc_col = t.column(&["description"]);
    let path = page.path.clone().unwrap_or_default();
    for row in &t.rows {
        let name = row.cell(name_col).map(|c| c.text()).unwrap_or_default();
        if name.is_empty() {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: row.line,
                message: format!(
                    "parameter row without a name is left out: {}",
                    t.row_label(row)
                ),
            });
            continue;
        }
        let location = match place {
            Place::Uri => {
                if title.contains("query") {
                    "query"
                } else if path.contains(&format!("{{{name}}}")) || title.contains("path") {
                    "path"
                } else {
                    "query"
                }
            }
            Place::Request => {
                if title.contains("query") {
                    "query"
                } else if title.contains("path") {
                    "path"
                } else {
                    "header"
                }
            }
        };
        if location == "header" && crate::spec::model::is_client_header(&name) {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: row.line,
                message: format!("header {name} is set by the client itself; left out"),
            });
            continue;
        }
        let mut note = None;
        let ty = match type_col {
            None => {
                note = Some(format!(
                    "The {} parameter table has no Type column; string is assumed.",
                    if location == "path" { "URI" } else { location }
                ));
                Ty::Scalar("string", None)
            }
            Some(_) => {
                let text = row.cell(type_col).map(|c| c.text()).unwrap_or_default();
                match parse_type(&text) {
                    Some(ty @ Ty::Scalar(..)) => ty,
                    Some(Ty::Array(inner)) if inner.is_scalar() => Ty::Array(inner),
                    _ => {
                        warnings.push(Warning {
                            path: String::new(),
                            kind: String::new(),
                            line: row.line,
                            message: format!(
                                "parameter {name}: type \"{text}\" is not a scalar; typed string"
                            ),
                        });
                        Ty::Scalar("string", None)
                    }
                }
            }
        };
        let described = describe(row.cell(desc_col), &ty);
        let required = row
            .cell(mand_col)
            .and_then(|c| yes_no(&c.text()))
            .unwrap_or(location == "path");
        let mut m = Map::new();
        m.set_str("name", name.clone());
        m.set_str("in", location);
        m.set("required", Node::Bool(required));
        if let Some(source) = ParameterSource::implied_by(location, &name) {
            m.set_str("source", source.as_str());
        }
        if let Some(d) = &described.description {
            m.set_str("description", d.clone());
        }
        if let Some(d) = &described.default {
            m.set("default", d.clone());
        }
        let mut schema = Map::new();
        match &ty {
            Ty::Scalar(t, f) => {
                schema.set_str("type", *t);
                if let Some(f) = f {
                    schema.set_str("format", *f);
                }
            }
            Ty::Array(inner) => {
                schema.set_str("type", "array");
                if let Ty::Scalar(t, f) = &**inner {
                    let mut items = Map::new();
                    items.set_str("type", *t);
                    if let Some(f) = f {
                        items.set_str("format", *f);
                    }
                    schema.set("items", Node::Map(items));
                }
            }
            _ => {}
        }
        if !described.enum_values.is_empty() {
            schema.set("enum", enums::to_node(&described.enum_values));
        }
        let mut ranges = described.clone();
        ranges.default = None;
        put_ranges(&mut schema, &ranges);
        m.set("schema", Node::Map(schema));
        if let Some(n) = note {
            m.set_str("note", n);
        }
        if page
            .params
            .iter()
            .any(|p| p.get_str("name") == Some(name.as_str()) && p.get_str("in") == Some(location))
        {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: row.line,
                message: format!(
                    "parameter {name} ({location}) is listed twice; the second row is left out"
                ),
            });
            continue;
        }
        page.params.push(m);
    }
}

fn header_like(name: &str) -> bool {
    name.contains('-') && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

fn response<'a>(page: &'a mut Page, code: &str) -> &'a mut Response {
    page.responses.entry(code.to_string()).or_default()
}

fn add_table(page: &mut Page, code: &str, t: &Table) {
    let target = Target::Response(code.to_string());
    match page.groups.iter_mut().find(|g| g.target == target) {
        Some(g) => g.tables.push(t.clone()),
        None => page.groups.push(Group {
            target,
            tables: vec![t.clone()],
        }),
    }
}

fn read_responses(s: &Section, page: &mut Page, warnings: &mut Vec<Warning>) {
    let mut current: Option<String> = None;
    let mut abnormal = false;
    let mut example_next = false;
    for item in &s.items {
        match item {
            Item::Status { code, .. } => {
                current = Some(code.clone());
                abnormal = false;
                response(page, code);
            }
            Item::Caption { name, text, .. } => {
                example_next = name.contains("example");
                abnormal = name.contains("abnormal");
                if name == "normal response" {
                    let code = current.clone().unwrap_or_else(|| "200".into());
                    let r = response(page, &code);
                    if r.description.is_none() {
                        r.description = Some(text.clone());
                    }
                    current = Some(code);
                }
            }
            Item::Table(t) => {
                if abnormal {
                    report_tables(
                        std::slice::from_ref(item),
                        "under an abnormal response without a status code",
                        warnings,
                    );
                    continue;
                }
                let code = current.clone().unwrap_or_else(|| "200".into());
                response(page, &code);
                add_table(page, &code, t);
                current = Some(code);
            }
            Item::Json { line, text } => {
                if abnormal {
                    continue;
                }
                let code = if example_next {
                    success_code(page, current.as_deref())
                } else {
                    current.clone().unwrap_or_else(|| "200".into())
                };
                let r = response(page, &code);
                if r.example.is_none() {
                    r.example = Some(text.clone());
                    r.example_line = *line;
                }
            }
            Item::Title { line, text, .. } => warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: *line,
                message: format!("table title \"{text}\" without a table"),
            }),
            _ => {}
        }
    }
}

fn success_code(page: &Page, current: Option<&str>) -> String {
    if let Some(c) = current.filter(|c| c.starts_with('2')) {
        return c.to_string();
    }
    page.responses
        .keys()
        .find(|c| c.starts_with('2'))
        .cloned()
        .unwrap_or_else(|| "200".into())
}

/// The example request: its request line(s) go to `request_example`, a JSON body after them
/// (or on its own) to `request_body_example`; a lone "None" says there is no example.
fn read_example_request(s: &Section, page: &mut Page) {
    if page.request_example.is_some() || page.request_body_example.is_some() {
        return;
    }
    page.request_example_line = Some(s.line);
    let mut first_para: Option<&Para> = None;
    for (k, item) in s.items.iter().enumerate() {
        match item {
            Item::Para(p) => {
                if let Some(pos) = p.iter().position(|(_, t)| {
                    t.split_whitespace()
                        .next()
                        .is_some_and(|m| METHODS.contains(&m))
                }) {
                    page.request_example = p.get(pos..).map(|rest| para_lines(&rest.to_vec()));
                    if let Some(Item::Json { text: body, .. }) = s.items.get(k + 1) {
                        page.request_body_example = Some(body.clone());
                    }
                    return;
                }
                if first_para.is_none() {
                    first_para = Some(p);
                }
            }
            Item::Json { text, .. } if page.request_body_example.is_none() => {
                page.request_body_example = Some(text.clone());
            }
            _ => {}
        }
    }
    match first_para {
        Some(p) if says_none(p) => page.request_example_none = true,
        Some(p) => page.request_example = Some(para_lines(p)),
        None => {}
    }
}

fn read_example_responses(s: &Section, page: &mut Page) {
    let mut current: Option<String> = None;
    let mut caption_next = false;
    for item in &s.items {
        match item {
            Item::Status { code, .. } => {
                current = Some(code.clone());
                caption_next = true;
                response(page, code);
            }
            Item::Para(p) if caption_next => {
                caption_next = false;
                if let Some(code) = current.clone() {
                    let r = response(page, &code);
                    r.description.get_or_insert_with(|| para_text(p));
                }
            }
            Item::Json { line, text } => {
                caption_next = false;
                let code = current.clone().unwrap_or_else(|| success_code(page, None));
                let r = response(page, &code);
                if r.example.is_none() {
                    r.example = Some(text.clone());
                    r.example_line = *line;
                }
            }
            _ => {}
        }
    }
}

fn read_status_table(t: &Table, page: &mut Page, warnings: &mut Vec<Warning>) {
    let code_col = t.column(&[
        "status code",
        "status codes",
        "http status code",
        "returned value",
        "returned values",
        "status",
        "code",
    ]);
    let desc_col = t.column(&["description"]);
    // A status the response sections document but the table lacks, while a description in the
    // table runs over several paragraphs: the status's line was lost and its description
    // joined the row before.
    let in_table: Vec<String> = t
        .rows
        .iter()
        .map(|r| {
            let text = r.cell(code_col).map(|c| c.text()).unwrap_or_default();
            lines::status_code(&text).unwrap_or(&text).to_owned()
        })
        .collect();
    if let Some(lost) = page.responses.keys().find(|c| !in_table.contains(c)) {
        let joined = t.rows.iter().find_map(|r| {
            let paras = &r.cell(desc_col)?.paras;
            paras
                .get(1)
                .map(|p| (para_line(p), paras.last().map_or(0, para_line)))
        });
        if let Some((line, end_line)) = joined {
            page.broken.get_or_insert(super::tables::Broken {
                line,
                end_line,
                message: format!(
                    "the status code table lacks {lost}, which the page documents, and a description runs on over several paragraphs (a status code line lost)"
                ),
            });
        }
    }
    for row in &t.rows {
        let text = row.cell(code_col).map(|c| c.text()).unwrap_or_default();
        let Some(code) = lines::status_code(&text).map(str::to_owned) else {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: row.line,
                message: format!(
                    "status code table row without a status code is left out: {}",
                    t.row_label(row)
                ),
            });
            continue;
        };
        let desc = row.cell(desc_col).map(|c| {
            c.paras
                .iter()
                .map(para_text)
                .collect::<Vec<_>>()
                .join("\n\n")
        });
        let r = response(page, &code);
        // The status code table is the authority for the description.
        if let Some(d) = desc.filter(|d| !d.is_empty()) {
            r.description = Some(d);
        }
    }
}
