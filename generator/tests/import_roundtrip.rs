//! Importing each of the five reference pages with its committed spec gives that spec again;
//! importing it fresh (no spec) gives the spec up to what a page cannot say; a page with one
//! table row added gives the spec with exactly that field added, or a warning where the spec
//! refers to a shared schema instead of the table.

use std::path::PathBuf;

use generator::import::{import_page, ImportOptions};
use serde_yaml::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn docs() -> PathBuf {
    repo().join("tests/fixtures/pages")
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

/// The `service.yaml` text of the service a spec belongs to.
fn service_yaml(spec: &str) -> String {
    let service = spec.split('/').next().expect("service folder");
    std::fs::read_to_string(repo().join("spec").join(service).join("service.yaml"))
        .expect("service.yaml")
}

/// Options for a re-import: the service's schemas, as `generator import` passes them.
fn update_options(spec: &str) -> ImportOptions {
    ImportOptions {
        service_schemas: Some(service_yaml(spec)),
        ..ImportOptions::default()
    }
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
        let imported = import_page(&page, &doc, Some(&spec_text), &update_options(spec))
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
        let once = import_page(&page, &doc, Some(&spec_text), &update_options(spec)).unwrap();
        let twice = import_page(&page, &doc, Some(&once.yaml), &update_options(spec)).unwrap();
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
    let imported = import_page(
        &changed,
        &doc,
        Some(&spec_text),
        &update_options("dbss/list_instances.yaml"),
    )
    .unwrap();
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

/// Each page with what the page cannot say given as options: (spec, operation, error schema).
const FRESH: &[(&str, &str, Option<&str>)] = &[
    (
        "gaussdb-nosql/show_instance_biactive_regions.yaml",
        "ShowInstanceBiactiveRegions",
        None,
    ),
    (
        "gaussdb-nosql/delete_gemini_db_dual_active.yaml",
        "DeleteGeminiDbDualActive",
        Some("GeminiDbErrorResponse"),
    ),
    ("rds/list_dr_relations.yaml", "ListDrRelations", None),
    (
        "kms/list_support_regions.yaml",
        "ListSupportRegions",
        Some("KmsErrorResponse"),
    ),
    (
        "dbss/list_instances.yaml",
        "ListInstances",
        Some("DbssErrorResponse"),
    ),
];

/// One difference between a fresh import and the committed spec.
#[derive(Debug)]
enum Diff {
    OnlyInSpec(String),
    OnlyInImport(String),
    Differs(String),
    /// The spec refers to a service schema where the import has something else.
    ServiceRef(String),
}

impl std::fmt::Display for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Diff::OnlyInSpec(p) => write!(f, "{p}: only in the spec"),
            Diff::OnlyInImport(p) => write!(f, "{p}: only in the import"),
            Diff::Differs(p) => write!(f, "{p}"),
            Diff::ServiceRef(p) => write!(f, "{p}: the spec refers to a service schema"),
        }
    }
}

/// Where two values differ, structurally; `service` holds the service's schema names.
fn diffs(path: &str, got: &Value, want: &Value, service: &[String], out: &mut Vec<Diff>) {
    if got == want {
        return;
    }
    if let Some(r) = want.get("$ref").and_then(Value::as_str) {
        if service.iter().any(|s| s == r) {
            out.push(Diff::ServiceRef(path.to_string()));
            return;
        }
    }
    match (got, want) {
        (Value::Mapping(x), Value::Mapping(y)) => {
            for (k, vx) in x {
                let key = format!("{path}.{}", k.as_str().unwrap_or("?"));
                match y.get(k) {
                    Some(vy) => diffs(&key, vx, vy, service, out),
                    None => out.push(Diff::OnlyInImport(key)),
                }
            }
            for (k, _) in y {
                if !x.contains_key(k) {
                    out.push(Diff::OnlyInSpec(format!(
                        "{path}.{}",
                        k.as_str().unwrap_or("?")
                    )));
                }
            }
        }
        (Value::Sequence(x), Value::Sequence(y)) if x.len() == y.len() => {
            for (i, (vx, vy)) in x.iter().zip(y).enumerate() {
                diffs(&format!("{path}[{i}]"), vx, vy, service, out);
            }
        }
        _ => out.push(Diff::Differs(format!(
            "{path}: import {got:?} != spec {want:?}"
        ))),
    }
}

/// Whether `path` ends with `.key` or `.key[N]`.
fn last_key(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or("");
    last.split('[').next().unwrap_or("")
}

/// The only differences a fresh import may have: what a page cannot say, which a spec's author
/// adds. Each is something the spec has and the import lacks, except a service schema standing
/// for the page's inline table (and that table's named parts, which only the import has).
fn allowed(d: &Diff, service: &[String]) -> Option<&'static str> {
    match d {
        Diff::OnlyInSpec(p) if p == ".notes" => Some("operation notes"),
        Diff::OnlyInSpec(p) if last_key(p) == "note" => Some("a field's or parameter's note"),
        Diff::OnlyInSpec(p) if last_key(p) == "name" && p.contains(".enum[") => {
            Some("an enum value's Rust name")
        }
        Diff::OnlyInSpec(p) if p == ".retry_safe" => Some("retry_safe"),
        Diff::OnlyInSpec(p) if p == ".source.definition" => {
            Some("the API Explorer definition the spec was also checked against")
        }
        Diff::OnlyInSpec(p) if p.starts_with(".parameters[") && last_key(p) == "source" => {
            Some("source: config/auth of a parameter the importer cannot classify")
        }
        Diff::OnlyInSpec(p)
            if ["min_length", "max_length", "minimum", "maximum"].contains(&last_key(p)) =>
        {
            Some("a range the page does not state in a readable form")
        }
        Diff::ServiceRef(_) => Some("a $ref to a service schema standing for an inline table"),
        Diff::OnlyInImport(p)
            if p.strip_prefix(".schemas.")
                .is_some_and(|n| service.iter().any(|s| s == n)) =>
        {
            Some("a page table that a service schema stands for")
        }
        _ => None,
    }
}

#[test]
fn a_fresh_import_of_each_page_gives_the_committed_spec_but_for_what_a_page_cannot_say() {
    let mut failures = Vec::new();
    for (spec, operation, error_schema) in FRESH {
        let (spec_text, doc, page) = load(spec);
        let service_text = service_yaml(spec);
        let service_value: Value = serde_yaml::from_str(&service_text).unwrap();
        let service: Vec<String> = service_value["schemas"]
            .as_mapping()
            .map(|m| {
                m.keys()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let options = ImportOptions {
            operation: Some((*operation).into()),
            error_schema: error_schema.map(String::from),
            service_schemas: Some(service_text),
            ..ImportOptions::default()
        };
        let imported =
            import_page(&page, &doc, None, &options).unwrap_or_else(|e| panic!("{spec}: {e}"));
        // A fresh import loses nothing silently: the page's error tables match the service's
        // schemas, and every row is in the spec.
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
        let mut found = Vec::new();
        diffs(
            "",
            &parse(&imported.yaml),
            &parse(&spec_text),
            &service,
            &mut found,
        );
        for d in &found {
            if allowed(d, &service).is_none() {
                failures.push(format!("{spec}: {d}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_description_that_is_just_a_label_word_is_kept() {
    // ResponseServer.description is described as "Description" on page 004: a field's text,
    // not a block label (those have a body after them).
    let (_, doc, page) = load("dbss/list_instances.yaml");
    let options = ImportOptions {
        operation: Some("ListInstances".into()),
        ..ImportOptions::default()
    };
    let imported = import_page(&page, &doc, None, &options).unwrap();
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(
        v["schemas"]["ResponseServer"]["properties"]["description"]["description"],
        "Description"
    );
}

/// The page with the first occurrence of `anchor` replaced.
fn changed(page: &str, anchor: &str, replacement: &str) -> String {
    assert!(page.contains(anchor), "{anchor:?} is on the page");
    page.replacen(anchor, replacement, 1)
}

fn line_of(page: &str, text: &str) -> usize {
    page.lines()
        .position(|l| l.trim() == text)
        .map(|i| i + 1)
        .expect("the line is on the page")
}

#[test]
fn a_row_added_to_an_error_table_that_the_spec_refers_to_a_shared_schema_for_is_a_warning() {
    // KMS: every error table is KmsErrorResponse in the spec. A row added to the 400 table's
    // nested error object must not disappear silently.
    let spec = "kms/list_support_regions.yaml";
    let (spec_text, doc, page) = load(spec);
    let anchor = "         error_msg  | \n       \n         String  | \n       \n         Error information returned by the error request  | \n      \n";
    let page = changed(
        &page,
        anchor,
        &format!("{anchor}| \n         request_id  | \n       \n         String  | \n       \n         Request ID  | \n      \n"),
    );
    let line = line_of(&page, "request_id  |");
    for existing in [Some(spec_text.as_str()), None] {
        let options = ImportOptions {
            operation: Some("ListSupportRegions".into()),
            error_schema: Some("KmsErrorResponse".into()),
            service_schemas: Some(service_yaml(spec)),
            ..ImportOptions::default()
        };
        let imported = import_page(&page, &doc, existing, &options).unwrap();
        let added: Vec<_> = imported
            .warnings
            .iter()
            .filter(|w| w.message.contains("request_id"))
            .collect();
        assert_eq!(added.len(), 1, "{:?}", imported.warnings);
        assert_eq!(added[0].line, line, "{}", added[0]);
        assert!(added[0].message.contains("KmsErrorDetail"), "{}", added[0]);
        assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    }

    // DBSS: a field of the shared schema that the page's table no longer has, and a field typed
    // differently, are warnings too.
    let spec = "dbss/list_instances.yaml";
    let (spec_text, doc, page) = load(spec);
    let original = page.clone();
    let anchor =
        "encoded_authorization_message\n\nString\n\nPDP5 authentication exception information\n\n";
    let page = changed(&page, anchor, "");
    let page = changed(
        &page,
        "error_code\n\nString\n\nError Codes\n",
        "error_code\n\nInteger\n\nError Codes\n",
    );
    let imported = import_page(&page, &doc, Some(&spec_text), &update_options(spec)).unwrap();
    let messages: Vec<String> = imported.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        messages.iter().any(
            |m| m.contains("DbssErrorResponse.encoded_authorization_message")
                && m.contains("not on the page")
        ),
        "{messages:?}"
    );
    let typed = imported
        .warnings
        .iter()
        .find(|w| w.message.contains("error_code is integer"))
        .unwrap_or_else(|| panic!("{messages:?}"));
    assert!(typed.line > 0 && typed.line < original.lines().count());
    // The spec still refers to the shared schema.
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(v["responses"]["400"]["schema"]["$ref"], "DbssErrorResponse");

    // Without the service's schemas the table cannot be checked: that is said, not skipped.
    let (spec_text, doc, page) = load("kms/list_support_regions.yaml");
    let imported = import_page(&page, &doc, Some(&spec_text), &ImportOptions::default()).unwrap();
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("service's schemas were not given")),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn a_response_description_or_example_the_page_no_longer_has_is_kept_with_a_warning() {
    let spec = "gaussdb-nosql/delete_gemini_db_dual_active.yaml";
    let (spec_text, doc, page) = load(spec);
    // The page loses its example response (and with it the 202 caption "Success").
    let start = page.find("Example Response").expect("example section");
    let end = start + page[start..].find("Status Codes").expect("status codes");
    let page = format!("{}{}", &page[..start], &page[end..]);
    let imported = import_page(&page, &doc, Some(&spec_text), &update_options(spec)).unwrap();
    let messages: Vec<String> = imported.warnings.iter().map(|w| w.to_string()).collect();
    for key in ["description", "example"] {
        assert!(
            messages
                .iter()
                .any(|m| m.contains("response 202") && m.contains(&format!("no {key}"))),
            "{key}: {messages:?}"
        );
    }
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(v["responses"]["202"]["description"], "Success");
}

#[test]
fn a_changed_type_drops_the_old_format() {
    // Cluster.created is Long (int64); the page now types it String.
    let spec = "dbss/list_instances.yaml";
    let (spec_text, doc, page) = load(spec);
    let page = changed(&page, "created\n\nLong\n", "created\n\nString\n");
    let imported = import_page(&page, &doc, Some(&spec_text), &update_options(spec)).unwrap();
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    let created = &v["schemas"]["Cluster"]["properties"]["created"];
    assert_eq!(created["type"], "string");
    assert!(created.get("format").is_none(), "{created:?}");
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("Cluster.created") && w.message.contains("int64")),
        "{:?}",
        imported.warnings
    );
    // An unchanged type keeps it.
    let (spec_text, doc, page) = load(spec);
    let imported = import_page(&page, &doc, Some(&spec_text), &update_options(spec)).unwrap();
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(
        v["schemas"]["Cluster"]["properties"]["created"]["format"],
        "int64"
    );
}
