//! The page importer on real pages it was not built on: the corpus in `tests/fixtures/page-corpus`
//! (complete Huawei Cloud API reference pages of services other than the five seeds, listed in
//! its `MANIFEST.tsv` with their source address) is imported page by page, generated as one
//! crate per service and `cargo check`ed with every warning denied. When `../shared/catalogue`
//! is present, the field names each spec captured are compared with the API Explorer definition
//! of the same operation, and the share is printed and held to a floor. Not counted: headers
//! the client sets itself (`X-Auth-Token`, `Content-Type`), and the members of the common
//! error body that the runtime reads for every operation (`error_code`, `error_msg`, ...).

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::run;

use generator::spec::model::CLIENT_HEADERS;

/// The share of the field names the pages state that the specs must capture: a name the page
/// states and the spec lacks is the importer's to blame.
const CAPTURED_SHARE_FLOOR: f64 = 0.98;

/// The share of all the definitions' field names the specs must capture. Lower: five of the
/// 190 are in no table of their page (four not on the page at all, one only in its prose).
const DEFINITION_SHARE_FLOOR: f64 = 0.97;

struct Page {
    file: String,
    service: String,
    operation: String,
    endpoint: String,
    /// `Service/src/Operation.json` in the catalogue, when it has the operation.
    definition: Option<String>,
}

fn manifest(corpus: &Path) -> Vec<Page> {
    let text = fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("reads the manifest");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 6, "a manifest row has six cells: {line}");
            Page {
                file: cells[0].to_owned(),
                service: cells[1].to_owned(),
                operation: cells[2].to_owned(),
                endpoint: cells[3].to_owned(),
                definition: (cells[4] != "-").then(|| cells[4].to_owned()),
            }
        })
        .collect()
}

/// Every name under a `properties` map, and every non-body parameter's name, anywhere in `value`.
fn field_names(value: &serde_json::Value, names: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(members) => {
            if let Some(serde_json::Value::Object(properties)) = members.get("properties") {
                names.extend(properties.keys().cloned());
            }
            if let Some(serde_json::Value::Array(parameters)) = members.get("parameters") {
                for parameter in parameters {
                    let is_body = parameter.get("in").and_then(|v| v.as_str()) == Some("body");
                    if let (false, Some(name)) =
                        (is_body, parameter.get("name").and_then(|v| v.as_str()))
                    {
                        names.insert(name.to_owned());
                    }
                }
            }
            for member in members.values() {
                field_names(member, names);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                field_names(item, names);
            }
        }
        _ => {}
    }
}

/// The members of Huawei Cloud's common error body, which the runtime's `ServiceError` reads
/// for every operation (`error_code`/`code`, `error_msg`/`message`, nested under `error` or
/// not, `details`...), so a page that documents no error body loses none of them.
const ERROR_ENVELOPE: &[&str] = &[
    "error",
    "error_code",
    "code",
    "error_msg",
    "message",
    "error_message",
    "details",
    "encoded_authorization_message",
];

/// The field names of a definition: its parameters, request body and success responses, and
/// its error responses' members beyond the common error body.
fn official_names(definition: &serde_json::Value) -> BTreeSet<String> {
    let empty = serde_json::Map::new();
    let schemas = definition
        .get("definitions")
        .and_then(|d| d.as_object())
        .unwrap_or(&empty);
    let mut names = BTreeSet::new();
    let mut error_names = BTreeSet::new();
    let operations = definition
        .get("paths")
        .and_then(|p| p.as_object())
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(|methods| methods.as_object())
        .flat_map(|methods| methods.values());
    for operation in operations {
        if let Some(parameters) = operation.get("parameters") {
            let parameters = serde_json::json!({ "parameters": parameters });
            referenced_names(&parameters, schemas, &mut names, &mut BTreeSet::new());
        }
        let responses = operation.get("responses").and_then(|r| r.as_object());
        for (status, response) in responses.into_iter().flatten() {
            let into = if status.starts_with('2') {
                &mut names
            } else {
                &mut error_names
            };
            referenced_names(response, schemas, into, &mut BTreeSet::new());
        }
    }
    for name in error_names {
        if !ERROR_ENVELOPE.contains(&name.as_str()) {
            names.insert(name);
        }
    }
    // Headers the client sets itself (credentials, framing) are never a spec's fields.
    names.retain(|name| !CLIENT_HEADERS.contains(&name.to_ascii_lowercase().as_str()));
    names
}

/// [`field_names`] of `value`, following `$ref`s into the definition's named schemas.
fn referenced_names(
    value: &serde_json::Value,
    schemas: &serde_json::Map<String, serde_json::Value>,
    names: &mut BTreeSet<String>,
    seen: &mut BTreeSet<String>,
) {
    field_names(value, names);
    let mut refs = Vec::new();
    collect_refs(value, &mut refs);
    for reference in refs {
        let name = reference.trim_start_matches("#/definitions/").to_owned();
        if let (true, Some(schema)) = (seen.insert(name.clone()), schemas.get(&name)) {
            referenced_names(schema, schemas, names, seen);
        }
    }
}

fn collect_refs(value: &serde_json::Value, refs: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(members) => {
            if let Some(reference) = members.get("$ref").and_then(|r| r.as_str()) {
                refs.push(reference.to_owned());
            }
            members
                .values()
                .for_each(|member| collect_refs(member, refs));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_refs(item, refs)),
        _ => {}
    }
}

fn read_json(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).expect("reads the file");
    let value: serde_json::Value = serde_json::from_str(&text).expect("parses the JSON");
    // The catalogue stores some definitions as a JSON string holding the document.
    match value {
        serde_json::Value::String(inner) => serde_json::from_str(&inner).unwrap_or_default(),
        other => other,
    }
}

fn spec_json(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).expect("reads the spec");
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

/// Unpacks the definitions the corpus names, if the catalogue is beside the checkout.
fn definitions(root: &Path, pages: &[Page]) -> Option<PathBuf> {
    let archive = root.join("../shared/catalogue/api-explorer.tar.gz");
    if !archive.is_file() {
        eprintln!("{} is absent: field names not compared", archive.display());
        return None;
    }
    let dir = root.join("target/page-corpus/definitions");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("creates the definitions directory");
    let members: Vec<String> = pages
        .iter()
        .filter_map(|page| page.definition.as_ref())
        .map(|definition| format!("schemas/{definition}"))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let (ok, text) = run(Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&dir)
        .args(&members));
    assert!(ok, "the corpus' definitions unpack:\n{text}");
    Some(dir.join("schemas"))
}

#[test]
fn every_corpus_page_imports_generates_and_compiles_and_captures_the_official_fields() {
    let root = support::workspace();
    // PAGE_CORPUS measures another folder of pages laid out the same way (a held-out set).
    let held_out = std::env::var_os("PAGE_CORPUS").map(PathBuf::from);
    let corpus = held_out
        .clone()
        .unwrap_or_else(|| root.join("tests/fixtures/page-corpus"));
    let pages = manifest(&corpus);
    let services: BTreeSet<&str> = pages.iter().map(|p| p.service.as_str()).collect();
    assert!(
        held_out.is_some() || (pages.len() >= 25 && services.len() >= 15),
        "the corpus holds at least 25 pages of 15 services"
    );

    let (spec, out) = support::scratch_crate("page-corpus", "The page corpus.");
    for page in &pages {
        let dir = spec.join(&page.service);
        if !dir.exists() {
            fs::create_dir_all(&dir).expect("creates the service folder");
            fs::write(
                dir.join("service.yaml"),
                format!(
                    "service: {}\ntitle: {}\nendpoint: {}\n",
                    page.service,
                    page.service.to_uppercase(),
                    page.endpoint
                ),
            )
            .expect("writes service.yaml");
        }
    }

    let generator = env!("CARGO_BIN_EXE_generator");
    let mut failures = Vec::new();
    for page in &pages {
        let (ok, text) = run(Command::new(generator)
            .arg("import")
            .arg(corpus.join(&page.file))
            .arg("--into")
            .arg(&spec)
            .args(["--service", &page.service, "--operation", &page.operation]));
        if !ok {
            failures.push(format!("{}:\n{text}", page.file));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pages fail to import:\n{}",
        failures.len(),
        pages.len(),
        failures.join("\n")
    );

    support::generate_and_check(generator, &spec, &out, "the corpus' specs");

    let Some(definitions) = definitions(&root, &pages) else {
        return;
    };
    // Over all the definitions' names, and over those the page itself states (a stored page
    // can lack a nested table: its names are not the importer's to capture).
    let (mut official_total, mut captured_total) = (0usize, 0usize);
    let (mut stated_total, mut stated_captured) = (0usize, 0usize);
    let mut missed = Vec::new();
    for page in &pages {
        let Some(definition) = &page.definition else {
            continue;
        };
        let official = official_names(&read_json(&definitions.join(definition)));
        let page_text = fs::read_to_string(corpus.join(&page.file)).expect("reads the page");
        let file = generator::names::snake(&page.operation);
        let mut captured = BTreeSet::new();
        field_names(
            &spec_json(&spec.join(&page.service).join(format!("{file}.yaml"))),
            &mut captured,
        );
        field_names(
            &spec_json(&spec.join(&page.service).join("service.yaml")),
            &mut captured,
        );
        official_total += official.len();
        captured_total += official.intersection(&captured).count();
        for name in &official {
            let stated = states(&page_text, name);
            stated_total += usize::from(stated);
            match (captured.contains(name), stated) {
                (true, true) => stated_captured += 1,
                (true, false) => {}
                (false, stated) => missed.push(format!(
                    "{} {}: {name}{}",
                    page.service,
                    page.operation,
                    if stated { "" } else { " (not on the page)" }
                )),
            }
        }
    }
    let share = captured_total as f64 / official_total.max(1) as f64;
    let stated_share = stated_captured as f64 / stated_total.max(1) as f64;
    println!(
        "field names captured: {captured_total} of {official_total} ({:.1}%) over the pages with a definition; \
         {stated_captured} of the {stated_total} the pages state ({:.1}%); missed:\n{}",
        share * 100.0,
        stated_share * 100.0,
        missed.join("\n")
    );
    assert!(
        share >= DEFINITION_SHARE_FLOOR,
        "{:.1}% of the definitions' field names captured, below {:.0}%; missed:\n{}",
        share * 100.0,
        DEFINITION_SHARE_FLOOR * 100.0,
        missed.join("\n")
    );
    assert!(
        stated_share >= CAPTURED_SHARE_FLOOR,
        "{:.1}% of the field names the pages state captured, below {:.0}%; missed:\n{}",
        stated_share * 100.0,
        CAPTURED_SHARE_FLOOR * 100.0,
        missed.join("\n")
    );
}

/// Whether the page's text has `name` as a word of its own, outside the examples' JSON (where
/// it is quoted): a name only an example shows is one the page's tables do not state.
fn states(text: &str, name: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '"';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}
