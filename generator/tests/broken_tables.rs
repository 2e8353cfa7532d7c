//! Broken tables are never silently wrong. Every broken-table mutation of the five seed pages
//! (one line inside a table dropped, or one cell of a pipe row dropped) either fails with an
//! error naming the mutated line (give or take two lines; or the lines of the broken row), or
//! gives a spec that differs from the original only by the text the dropped line or cell
//! carried.
//!
//! All 1,497 mutations hold: none is accepted with a wrong spec, none refused at another line.

use std::collections::BTreeMap;

use generator::import::page::table_spans;
use generator::import::{import_page, ImportError, ImportOptions};

mod support;
use support::{docs, PAGES};

/// How many mutations the seed pages give (their tables' lines and pipe cells).
const MUTATIONS: usize = 1497;

/// How far from the mutated line an error may point.
const SLACK: usize = 2;

struct Mutation {
    /// What was dropped (whitespace collapsed).
    dropped: String,
    /// The first line of what was dropped, 1-based.
    line: usize,
    text: String,
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each line inside a table dropped, and each cell of a pipe row (the text from one `|` to
/// the next) dropped.
fn mutations(text: &str) -> Vec<Mutation> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::new();
    for (start, end) in table_spans(text) {
        for line in start..=end {
            let kept: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| i + 1 != line)
                .map(|(_, l)| *l)
                .collect();
            out.push(Mutation {
                dropped: collapse(lines.get(line - 1).copied().unwrap_or_default()),
                line,
                text: kept.join("\n"),
            });
        }
        // Byte range of the span.
        let from: usize = lines.iter().take(start - 1).map(|l| l.len() + 1).sum();
        let to: usize = lines.iter().take(end).map(|l| l.len() + 1).sum();
        let span = text.get(from..to.min(text.len())).unwrap_or_default();
        let pipes: Vec<usize> = span.match_indices('|').map(|(i, _)| from + i).collect();
        for pair in pipes.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            // A `|` that starts its line opens the next row: what lies before it is the gap
            // between two rows, not a cell.
            let line_start = text[..b].rfind('\n').map_or(0, |n| n + 1);
            if text[line_start..b].trim().is_empty() {
                continue;
            }
            let cell = &text[a + 1..=b];
            let line = text[..a].matches('\n').count() + 1;
            let mut mutated = String::with_capacity(text.len());
            mutated.push_str(&text[..a + 1]);
            mutated.push_str(&text[b + 1..]);
            out.push(Mutation {
                dropped: collapse(cell.trim_end_matches('|')),
                line,
                text: mutated,
            });
        }
    }
    out
}

fn scalars(value: &serde_yaml::Value, path: String, out: &mut BTreeMap<String, String>) {
    match value {
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                let key = match k {
                    serde_yaml::Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other).unwrap_or_default(),
                };
                scalars(v, format!("{path}/{key}"), out);
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                // Items are known by what they are, not by position (parameters by name, enum
                // values by value, strings by themselves): a dropped one must not shift the
                // others.
                let key = v
                    .get("name")
                    .or_else(|| v.get("value"))
                    .or(Some(v))
                    .and_then(|n| match n {
                        serde_yaml::Value::String(s) => Some(s.clone()),
                        serde_yaml::Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .unwrap_or_else(|| i.to_string());
                scalars(v, format!("{path}/{key}"), out);
            }
        }
        serde_yaml::Value::String(s) => {
            out.insert(path, collapse(s));
        }
        serde_yaml::Value::Null => {}
        other => {
            out.insert(
                path,
                collapse(&serde_yaml::to_string(other).unwrap_or_default()),
            );
        }
    }
}

/// Whether `mutated` differs from `original` only by `dropped`: each value the same, or the
/// same once the dropped text is taken out of it, or gone when it was only that text.
fn differs_only_by(original: &str, mutated: &str, dropped: &str) -> Result<(), String> {
    let parse = |text: &str| -> BTreeMap<String, String> {
        let value: serde_yaml::Value = serde_yaml::from_str(text).unwrap_or_default();
        let mut out = BTreeMap::new();
        scalars(&value, String::new(), &mut out);
        out
    };
    let (before, after) = (parse(original), parse(mutated));
    for (path, value) in &before {
        let explained = match after.get(path) {
            Some(now) => {
                now == value
                    || (!dropped.is_empty() && collapse(&value.replacen(dropped, "", 1)) == *now)
            }
            // Gone: the value was (part of) the dropped line's text.
            None => value.is_empty() || (!dropped.is_empty() && dropped.contains(value.as_str())),
        };
        if !explained {
            return Err(format!(
                "{path}: {value:?} became {:?}",
                after.get(path).map(String::as_str).unwrap_or("(gone)")
            ));
        }
    }
    // A dropped enum value or field can make the page's example contradict its own table: the
    // importer records that in an `example_note`, as it does for real pages.
    if let Some((path, value)) = after
        .iter()
        .find(|(p, _)| !before.contains_key(*p) && !p.ends_with("/example_note"))
    {
        return Err(format!("{path}: {value:?} appeared"));
    }
    Ok(())
}

/// The lines an error names: one, or the lines of a broken row.
fn error_lines(error: &ImportError) -> Option<(usize, usize)> {
    match error {
        ImportError::NoMethodPath { line, .. } => line.map(|l| (l, l)),
        ImportError::BrokenTable { line, end_line, .. } => Some((*line, *end_line)),
        _ => None,
    }
}

#[test]
fn every_broken_table_mutation_of_the_seed_pages_is_an_error_at_its_line_or_loses_only_its_text() {
    let options = ImportOptions {
        operation: Some("Seed".into()),
        ..ImportOptions::default()
    };
    let mut failures = Vec::new();
    let mut total = 0;
    for page in PAGES {
        let text = std::fs::read_to_string(docs().join(page)).expect("reads the page");
        let original = import_page(&text, page, None, &options)
            .expect("the seed page imports")
            .yaml;
        for mutation in mutations(&text) {
            total += 1;
            match import_page(&mutation.text, page, None, &options) {
                Err(error) => {
                    let near = error_lines(&error).is_some_and(|(first, last)| {
                        first.saturating_sub(SLACK) <= mutation.line
                            && mutation.line <= last + SLACK
                    });
                    if !near {
                        failures.push(format!(
                            "{page}:{} (dropped {:?}): error not at the line: {error}",
                            mutation.line, mutation.dropped
                        ));
                    }
                }
                Ok(imported) => {
                    if let Err(why) = differs_only_by(&original, &imported.yaml, &mutation.dropped)
                    {
                        failures.push(format!(
                            "{page}:{} (dropped {:?}): accepted, but {why}",
                            mutation.line, mutation.dropped
                        ));
                    }
                }
            }
        }
    }
    println!("{total} mutations, {} not handled", failures.len());
    assert_eq!(
        total, MUTATIONS,
        "every broken-table mutation of the seed pages is tried"
    );
    assert!(
        failures.is_empty(),
        "{} of {total} broken-table mutations are silently wrong or refused at another line:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
