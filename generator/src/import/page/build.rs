//! Response and request-body tables to schemas: links nested tables to the field that refers to
//! them ("Array of Cluster objects" -> table `Cluster`, "For details, see Table 5" -> table 5,
//! "Data structure description of master_instance", or an untitled table right after its
//! parent) and assembles the schema tree.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::describe::{describe, Described};
use super::enums;
use super::node::{Map, Node};
use super::tables::{yes_no, Table};
use super::types::{parse_type, Ty};
use super::Warning;

/// What a group of tables describes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Response(String),
    Body,
}

impl Target {
    /// Where the target sits in warnings and in [`Built::lines`]: `response 400`, `body`.
    pub fn at(&self) -> String {
        match self {
            Target::Response(code) => format!("response {code}"),
            Target::Body => "body".into(),
        }
    }
}

/// The tables of one response (or of the request body), in page order; the first is the body.
#[derive(Debug, Clone)]
pub struct Group {
    pub target: Target,
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    line: usize,
    mandatory: Option<bool>,
    ty: Ty,
    described: Described,
    link: Option<usize>,
}

#[derive(Debug, Clone)]
struct TDef {
    table: Table,
    fields: Vec<Field>,
}

pub struct Built {
    /// The body schema of each group that has one.
    pub roots: Vec<(Target, Map)>,
    /// Named schemas described on the page, in page order.
    pub named: IndexMap<String, Map>,
    /// The page line of each place of the built schemas: `response 400` (a body table),
    /// `Cluster` (a named table), `response 400.error.error_code` (a field's row),
    /// `response 200.clusters.items` (an array's items), as [`super::merge`] names them.
    pub lines: HashMap<String, usize>,
    /// Fields whose type no table describes; their schemas carry [`UNDESCRIBED`] until
    /// [`super::infer`] has looked for the type's members in the examples.
    pub undescribed: Vec<Undescribed>,
}

/// A field whose named type no table on the page describes.
pub struct Undescribed {
    pub field: String,
    pub type_name: String,
    pub line: usize,
}

/// Marks the `type: object` schema of a type no table describes, with the type's name as value;
/// removed before the spec is written.
pub const UNDESCRIBED: &str = "x-undescribed";

pub fn build(groups: Vec<Group>, warnings: &mut Vec<Warning>) -> Built {
    let mut defs: Vec<TDef> = Vec::new();
    let mut group_tables: Vec<(Target, Vec<usize>)> = Vec::new();
    for group in groups {
        let mut idx = Vec::new();
        for table in group.tables {
            let fields = fields_of(&table, warnings);
            idx.push(defs.len());
            defs.push(TDef { table, fields });
        }
        group_tables.push((group.target, idx));
    }
    let referenced: Vec<String> = defs
        .iter()
        .flat_map(|d| {
            d.fields
                .iter()
                .filter_map(|f| f.ty.named().map(str::to_string))
        })
        .collect();

    // Named tables, first occurrence wins; a differing repeat is reported.
    let mut named: IndexMap<String, usize> = IndexMap::new();
    for (_, idx) in &group_tables {
        for (pos, &t) in idx.iter().enumerate() {
            let Some(def) = defs.get(t) else { continue };
            let Some(title) = def.table.title.as_deref() else {
                continue;
            };
            // The title names the type a field refers to, maybe in other words ("VPC objects"
            // for `vpc object`): the table takes the type's name.
            let Some(title) = referenced
                .iter()
                .find(|r| *r == title)
                .or_else(|| referenced.iter().find(|r| table_key(r) == table_key(title)))
                .cloned()
            else {
                continue;
            };
            if pos == 0 {
                continue;
            }
            match named.get(&title) {
                None => {
                    named.insert(title, t);
                }
                Some(&first) => {
                    if !same_fields(defs.get(first), Some(def)) {
                        warnings.push(Warning {
                            path: String::new(),
                            kind: String::new(),
                            line: def.table.line,
                            message: format!(
                                "table \"{title}\" differs from the earlier table of the same name (line {}); the earlier one is used",
                                defs.get(first).map(|d| d.table.line).unwrap_or(0)
                            ),
                        });
                    }
                }
            }
        }
    }

    // Link the other tables of each group to the field they describe.
    for (_, idx) in &group_tables {
        for (pos, &t) in idx.iter().enumerate() {
            if pos == 0 {
                continue;
            }
            let (title, number, line) = match defs.get(t) {
                Some(d) => (d.table.title.clone(), d.table.number, d.table.line),
                None => continue,
            };
            if title
                .as_deref()
                .is_some_and(|n| named.keys().any(|k| table_key(k) == table_key(n)))
            {
                continue;
            }
            let earlier: Vec<usize> = idx.iter().take(pos).copied().collect();
            let target = find_parent(&defs, &earlier, title.as_deref(), number, &named);
            match target {
                Some((d, f)) => {
                    if let Some(field) = defs.get_mut(d).and_then(|d| d.fields.get_mut(f)) {
                        field.link = Some(t);
                    }
                }
                None => {
                    let def = defs.get(t);
                    let rows = def.map(row_list).unwrap_or_default();
                    warnings.push(Warning {
                        path: String::new(),
                        kind: String::new(),
                        line,
                        message: format!(
                            "table {} is not referred to by any field and is left out; its rows: {rows}",
                            title.as_deref().unwrap_or("(untitled)")
                        ),
                    });
                }
            }
        }
    }

    // An untitled table linked by position to a field of a named type ("Array of Cluster
    // objects") describes that type, as a titled one would.
    for d in &defs {
        for f in &d.fields {
            let (Some(n), Some(t)) = (f.ty.named(), f.link) else {
                continue;
            };
            let untitled = defs.get(t).is_some_and(|d| d.table.title.is_none());
            if untitled && !named.contains_key(n) {
                named.insert(n.to_string(), t);
            }
        }
    }

    let mut b = Builder {
        defs: &defs,
        lines: HashMap::new(),
        named: named.keys().cloned().collect(),
    };
    let mut roots = Vec::new();
    for (target, idx) in &group_tables {
        if let Some(&first) = idx.first() {
            let mut seen = Vec::new();
            roots.push((
                target.clone(),
                b.table_schema(first, &mut seen, None, warnings, &target.at()),
            ));
        }
    }
    let mut named_out = IndexMap::new();
    for (name, &t) in &named {
        let description = defs
            .iter()
            .flat_map(|d| d.fields.iter())
            .find(|f| f.ty.named() == Some(name.as_str()))
            .and_then(|f| f.described.description.clone());
        let mut seen = Vec::new();
        named_out.insert(
            name.clone(),
            b.table_schema(t, &mut seen, description, warnings, name),
        );
    }
    let mut undescribed = Vec::new();
    for d in &defs {
        for f in &d.fields {
            if let Some(n) = f.ty.named() {
                if !named.contains_key(n) && f.link.is_none() {
                    undescribed.push(Undescribed {
                        field: f.name.clone(),
                        type_name: n.to_string(),
                        line: f.line,
                    });
                }
            }
        }
    }
    Built {
        roots,
        named: named_out,
        lines: b.lines,
        undescribed,
    }
}

fn same_fields(a: Option<&TDef>, b: Option<&TDef>) -> bool {
    let key = |d: Option<&TDef>| {
        d.map(|d| {
            d.fields
                .iter()
                .map(|f| {
                    (
                        f.name.clone(),
                        format!("{:?}", f.ty),
                        f.described.description.clone(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    key(a) == key(b)
}

fn row_list(d: &TDef) -> String {
    d.table
        .rows
        .iter()
        .map(|r| d.table.row_label(r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The field an unnamed nested table describes: a "Table N" reference, a title naming the
/// field, or else the first field still waiting for a table.
fn find_parent(
    defs: &[TDef],
    earlier: &[usize],
    title: Option<&str>,
    number: Option<u32>,
    named: &IndexMap<String, usize>,
) -> Option<(usize, usize)> {
    let candidates: Vec<(usize, usize, &Field)> = earlier
        .iter()
        .filter_map(|&d| defs.get(d).map(|def| (d, def)))
        .flat_map(|(d, def)| def.fields.iter().enumerate().map(move |(i, f)| (d, i, f)))
        // An object, or a named type that no named table describes.
        .filter(|(_, _, f)| {
            (f.ty.wants_table() || f.ty.named().is_some_and(|n| !named.contains_key(n)))
                && f.link.is_none()
        })
        .collect();
    if let Some(n) = number {
        let reference = format!("Table {n}");
        if let Some((d, i, _)) = candidates.iter().find(|(_, _, f)| {
            f.described.description.as_deref().is_some_and(|t| {
                t.match_indices(&reference).any(|(at, _)| {
                    !t.get(at + reference.len()..)
                        .and_then(|r| r.chars().next())
                        .is_some_and(|c| c.is_ascii_digit())
                })
            })
        }) {
            return Some((*d, *i));
        }
    }
    if let Some(title) = title {
        if let Some((d, i, _)) = candidates
            .iter()
            .find(|(_, _, f)| title.ends_with(&format!(" {}", f.name)) || title == f.name)
        {
            return Some((*d, *i));
        }
        return None;
    }
    candidates.first().map(|(d, i, _)| (*d, *i))
}

/// A table title or a type name as the two are compared: case and a trailing "object(s)" do
/// not count (`VPC objects` describes the type `vpc`).
fn table_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let stem = [" objects", " object"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix))
        .map(str::trim_end)
        .filter(|stem| !stem.is_empty())
        .unwrap_or(&lower);
    stem.to_owned()
}

fn fields_of(table: &Table, warnings: &mut Vec<Warning>) -> Vec<Field> {
    let name_col = table.column(&["parameter", "name", "field", "parameter name", "attribute"]);
    let type_col = table.column(&["type"]);
    let mand_col = table.column(&["mandatory", "required"]);
    let desc_col = table.column(&["description"]);
    let mut out: Vec<Field> = Vec::new();
    for row in &table.rows {
        let name = row.cell(name_col).map(|c| c.text()).unwrap_or_default();
        if name.is_empty() {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: row.line,
                message: format!(
                    "table row without a field name is left out: {}",
                    table.row_label(row)
                ),
            });
            continue;
        }
        let type_text = row.cell(type_col).map(|c| c.text()).unwrap_or_default();
        let ty = match parse_type(&type_text) {
            Some(t) => t,
            None => {
                warnings.push(Warning {
                    path: String::new(),
                    kind: String::new(),
                    line: row.line,
                    message: format!("field {name}: unknown type \"{type_text}\"; typed string"),
                });
                Ty::Scalar("string", None)
            }
        };
        if out.iter().any(|f| f.name == name) {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: row.line,
                message: format!(
                    "field {name} appears twice in the table; the second row is left out"
                ),
            });
            continue;
        }
        let mandatory = row.cell(mand_col).and_then(|c| yes_no(&c.text()));
        let described = describe(row.cell(desc_col), &ty);
        out.push(Field {
            name,
            line: row.line,
            mandatory,
            ty,
            described,
            link: None,
        });
    }
    out
}

struct Builder<'a> {
    defs: &'a [TDef],
    lines: HashMap<String, usize>,
    /// The types a named table describes (a `$ref` to any other would dangle).
    named: std::collections::BTreeSet<String>,
}

impl Builder<'_> {
    /// `{type: object, description, properties, required}` of table `t`.
    fn table_schema(
        &mut self,
        t: usize,
        seen: &mut Vec<usize>,
        description: Option<String>,
        warnings: &mut Vec<Warning>,
        at: &str,
    ) -> Map {
        let mut m = Map::new();
        m.set_str("type", "object");
        if let Some(d) = description {
            m.set_str("description", d);
        }
        let defs = self.defs;
        let Some(def) = defs.get(t) else {
            return m;
        };
        self.lines.entry(at.to_string()).or_insert(def.table.line);
        if seen.contains(&t) || seen.len() > 32 {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: def.table.line,
                message: "table nested in itself; the nesting stops here".into(),
            });
            return m;
        }
        seen.push(t);
        let mut props = Map::new();
        let mut required = Vec::new();
        for f in &def.fields {
            let field_at = format!("{at}.{}", f.name);
            props.set(
                &f.name,
                Node::Map(self.field_schema(f, seen, warnings, &field_at)),
            );
            if f.mandatory == Some(true) {
                required.push(Node::str(f.name.clone()));
            }
        }
        seen.pop();
        m.set("properties", Node::Map(props));
        if !required.is_empty() {
            m.set("required", Node::Seq(required));
        }
        m
    }

    fn field_schema(
        &mut self,
        f: &Field,
        seen: &mut Vec<usize>,
        warnings: &mut Vec<Warning>,
        at: &str,
    ) -> Map {
        let d = &f.described;
        self.lines.entry(at.to_string()).or_insert(f.line);
        let mut m = self.ty_schema(&f.ty, f.link, None, seen, warnings, at);
        if f.ty.wants_table() && f.link.is_none() {
            warnings.push(Warning {
                path: String::new(),
                kind: String::new(),
                line: f.line,
                message: format!("field {} is an object but no table describes it", f.name),
            });
        }
        if let Some(desc) = &d.description {
            m.set_str("description", desc.clone());
        }
        if !d.enum_values.is_empty() {
            m.set("enum", enums::to_node(&d.enum_values));
        }
        put_ranges(&mut m, d);
        m
    }

    fn ty_schema(
        &mut self,
        ty: &Ty,
        link: Option<usize>,
        description: Option<String>,
        seen: &mut Vec<usize>,
        warnings: &mut Vec<Warning>,
        at: &str,
    ) -> Map {
        let mut m = Map::new();
        match ty {
            Ty::Scalar(t, format) => {
                m.set_str("type", *t);
                if let Some(fmt) = format {
                    m.set_str("format", *fmt);
                }
                if let Some(d) = description {
                    m.set_str("description", d);
                }
            }
            Ty::Object => match link {
                Some(t) => m = self.table_schema(t, seen, description, warnings, at),
                None => {
                    m.set_str("type", "object");
                    if let Some(d) = description {
                        m.set_str("description", d);
                    }
                }
            },
            // A type no named table describes: the table linked to the field by position or
            // by reference, or else any JSON object (the warning is the caller's).
            Ty::Named(n) if self.named.contains(n) => {
                m.set_str("$ref", n.clone());
            }
            Ty::Named(n) => match link {
                Some(t) => m = self.table_schema(t, seen, description, warnings, at),
                None => {
                    m.set_str("type", "object");
                    m.set_str(UNDESCRIBED, n.clone());
                    if let Some(d) = description {
                        m.set_str("description", d);
                    }
                }
            },
            Ty::Array(inner) => {
                m.set_str("type", "array");
                let items_desc = link
                    .and_then(|t| self.defs.get(t))
                    .and_then(|d| d.table.title.clone())
                    .filter(|_| matches!(**inner, Ty::Object));
                let items_at = format!("{at}.items");
                if let Some(&line) = self.lines.get(at) {
                    self.lines.entry(items_at.clone()).or_insert(line);
                }
                let items = self.ty_schema(inner, link, items_desc, seen, warnings, &items_at);
                m.set("items", Node::Map(items));
            }
            Ty::Map(inner) => {
                m.set_str("type", "map");
                let values_at = format!("{at}.values");
                if let Some(&line) = self.lines.get(at) {
                    self.lines.entry(values_at.clone()).or_insert(line);
                }
                let values = self.ty_schema(inner, link, None, seen, warnings, &values_at);
                m.set("values", Node::Map(values));
            }
        }
        m
    }
}

/// Writes the documented default and ranges.
pub fn put_ranges(m: &mut Map, d: &Described) {
    if let Some(v) = d.min_length {
        m.set("min_length", Node::Int(v as i64));
    }
    if let Some(v) = d.max_length {
        m.set("max_length", Node::Int(v as i64));
    }
    if let Some(v) = d.minimum {
        m.set("minimum", Node::Int(v));
    }
    if let Some(v) = d.maximum {
        m.set("maximum", Node::Int(v));
    }
    if let Some(v) = &d.default {
        m.set("default", v.clone());
    }
}
