//! Golden tests: the committed generated code is exactly what the specs produce, generation is
//! deterministic, and a change to one operation's spec touches only that operation's files.
//!
//! To update the fixture golden output after changing the generator:
//! `cargo run -p generator -- --spec tests/fixtures/spec --out tests/fixtures/generated`.

use std::fs;

use hwcloud_tests::{copy_tree, workspace};

fn assert_up_to_date(spec: &str, out: &str, command: &str) {
    let root = workspace();
    let files = generator::generate(&root.join(spec)).unwrap_or_else(|e| panic!("{spec}: {e}"));
    let diff = generator::output::diff(&root.join(out), &files).expect("reads the output");
    assert!(
        diff.is_empty(),
        "{out} is stale; regenerate with `{command}`:\n{diff}"
    );
}

#[test]
fn committed_crate_equals_a_fresh_generation() {
    assert_up_to_date("spec", "generated", "cargo run -p generator");
}

#[test]
fn fixture_golden_output_equals_a_fresh_generation() {
    assert_up_to_date(
        "tests/fixtures/spec",
        "tests/fixtures/generated",
        "cargo run -p generator -- --spec tests/fixtures/spec --out tests/fixtures/generated",
    );
}

#[test]
fn generation_is_deterministic() {
    let spec = workspace().join("spec");
    let first = generator::generate(&spec).expect("specs are valid");
    let second = generator::generate(&spec).expect("specs are valid");
    assert_eq!(first, second);
    let root = workspace();
    let machine_path = root.to_string_lossy();
    for (path, content) in &first {
        assert!(
            !content.contains(machine_path.as_ref()),
            "{path} contains a machine path"
        );
        if path.ends_with(".rs") {
            assert!(
                content.starts_with("// @generated"),
                "{path} lacks the @generated marker"
            );
        }
    }
}

#[test]
fn removing_one_field_changes_only_that_operations_file() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = temp.path().join("spec");
    copy_tree(&workspace().join("spec"), &spec);
    let before = generator::generate(&spec).expect("specs are valid");

    let file = spec.join("dbss/list_instances.yaml");
    let text = fs::read_to_string(&file).expect("reads the spec");
    // activate_info is null in the page's example, so its fields can go without touching it.
    let field = "      dsc_proxy_port:\n        type: integer\n        format: int32\n        description: Proxy Port\n";
    assert!(
        text.contains(field),
        "the DBSS spec has the dsc_proxy_port field"
    );
    fs::write(&file, text.replacen(field, "", 1)).expect("writes the spec");
    let after = generator::generate(&spec).expect("specs are still valid");

    let changed: std::collections::BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert_eq!(
        changed.into_iter().collect::<Vec<_>>(),
        ["src/dbss/list_instances.rs"]
    );
    assert!(!after["src/dbss/list_instances.rs"].contains("pub dsc_proxy_port"));
}
