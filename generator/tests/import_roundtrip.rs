//! Importing each of the five reference pages with its committed spec gives that spec again,
//! and a page with one table row added gives the spec with exactly that field added.

use std::path::PathBuf;

use generator::import::{import_page, ImportOptions};
use serde_yaml::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn docs() -> PathBuf {
    repo().join("../shared/docs")
}

const SPECS: &[&str] = &[
    "gaussdb-nosql/show_instance_biactive_regions.yaml",
    "gaussdb-nosql/delete_gemini_db_dual_active.yaml",
    "rds/list_dr_relations.yaml",
    "kms/list_support_regions.yaml",
    "dbss/list_instances.yaml",
];

/// Drops what is equivalent to absent: `null` values and empty lists and maps.
fn normalize(v: Value) -> Value {
    match v {
        Value::Mapping(m) => Value::Mapping(
            m.into_iter()
                .filter(|(_, v)| match v {
                    Value::Null => false,
                    Value::Sequence(s) => !s.is_empty(),
                    Value::Mapping(m) => !m.is_empty(),
                    _ => true,
                })
                .map(|(k, v)| (k, normalize(v)))
                .collect(),
        ),
        Value::Sequence(s) => Value::Sequence(s.into_iter().map(normalize).collect()),
        other => other,
    }
}

fn parse(text: &str) -> Value {
    normalize(serde_yaml::from_str(text).expect("valid YAML"))
}

fn load(spec: &str) -> (String, String, String) {
    let spec_text = std::fs::read_to_string(repo().join("spec").join(spec)).expect("spec");
    let v: Value = serde_yaml::from_str(&spec_text).expect("spec YAML");
    let doc = v["source"]["document"]
        .as_str()
        .expect("source.document")
        .to_string();
    let page = std::fs::read_to_string(docs().join(&doc)).expect("page");
    (spec_text, doc, page)
}

/// A readable account of where two values differ.
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Mapping(x), Value::Mapping(y)) => {
            for (k, va) in x {
                let key = format!("{path}.{}", k.as_str().unwrap_or("?"));
                match y.get(k) {
                    Some(vb) => diff(&key, va, vb, out),
                    None => out.push(format!("{key}: only in import: {va:?}")),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    out.push(format!(
                        "{path}.{}: only in spec: {vb:?}",
                        k.as_str().unwrap_or("?")
                    ));
                }
            }
        }
        (Value::Sequence(x), Value::Sequence(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(format!("{path}: import {a:?} != spec {b:?}")),
        _ => {}
    }
}

#[test]
fn all_five_pages_import_to_the_committed_specs() {
    let mut failures = Vec::new();
    for spec in SPECS {
        let (spec_text, doc, page) = load(spec);
        let imported = import_page(&page, &doc, Some(&spec_text), &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{spec}: {e}"));
        let got = parse(&imported.yaml);
        let want = parse(&spec_text);
        let mut d = Vec::new();
        diff("", &got, &want, &mut d);
        if !d.is_empty() {
            failures.push(format!("{spec}:\n  {}", d.join("\n  ")));
        }
        if !imported.warnings.is_empty() {
            failures.push(format!(
                "{spec}: unexpected warnings:\n  {}",
                imported
                    .warnings
                    .iter()
                    .map(|w| w.to_string())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
        // The page order of properties and parameters is kept.
        let got_raw: Value = serde_yaml::from_str(&imported.yaml).unwrap();
        let want_raw: Value = serde_yaml::from_str(&spec_text).unwrap();
        let names = |v: &Value| -> Vec<String> {
            v["parameters"]
                .as_sequence()
                .map(|s| {
                    s.iter()
                        .map(|p| p["name"].as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(names(&got_raw), names(&want_raw), "{spec}: parameter order");
        let _ = std::fs::write(
            std::env::temp_dir().join(format!("import-{}", spec.replace('/', "-"))),
            &imported.yaml,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn reimport_is_stable() {
    for spec in SPECS {
        let (spec_text, doc, page) = load(spec);
        let once = import_page(&page, &doc, Some(&spec_text), &ImportOptions::default()).unwrap();
        let twice = import_page(&page, &doc, Some(&once.yaml), &ImportOptions::default()).unwrap();
        assert_eq!(
            once.yaml, twice.yaml,
            "{spec}: a second import changes the spec"
        );
    }
}

#[test]
fn a_row_added_to_a_response_table_adds_exactly_that_field() {
    let (spec_text, doc, page) = load("dbss/list_instances.yaml");
    // A new field after server_id, the last row of Table 7 ResponseServer.
    let anchor = "server_id\n\nString\n\nServer ID\n";
    assert!(page.contains(anchor));
    let changed = page.replacen(
        anchor,
        "server_id\n\nString\n\nServer ID\n\nhost_name\n\nString\n\nHost name of the server.\n",
        1,
    );
    let imported =
        import_page(&changed, &doc, Some(&spec_text), &ImportOptions::default()).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let got: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    let mut want: Value = serde_yaml::from_str(&spec_text).unwrap();
    let props = want["schemas"]["ResponseServer"]["properties"]
        .as_mapping_mut()
        .unwrap();
    props.insert(
        "host_name".into(),
        serde_yaml::from_str("{type: string, description: Host name of the server.}").unwrap(),
    );
    assert_eq!(normalize(got.clone()), normalize(want));
    // ... and it comes last, as on the page.
    let keys: Vec<&str> = got["schemas"]["ResponseServer"]["properties"]
        .as_mapping()
        .unwrap()
        .keys()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(keys.last(), Some(&"host_name"));
}
