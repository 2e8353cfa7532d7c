//! Golden tests: the committed generated code is exactly what the specs produce, generation is
//! deterministic, and a change to one operation's spec touches only that operation's files.
//!
//! To update the fixture golden output after changing the generator:
//! `cargo run -p generator -- --spec tests/fixtures/spec --out tests/fixtures/generated`.

use std::fs;

use hwcloud_tests::{copy_tree, workspace};

/// The layout of output in `out` (relative to the workspace) over the workspace's runtime.
fn layout(out: &str) -> generator::Layout {
    let root = workspace();
    generator::output::layout(&root.join(out), &root.join("runtime"), false)
        .expect("the runtime's path")
}

fn assert_up_to_date(spec: &str, out: &str, command: &str) {
    let root = workspace();
    let files = generator::generate(&root.join(spec), &layout(out))
        .unwrap_or_else(|e| panic!("{spec}: {e}"));
    let diff = generator::output::diff(&root.join(out), &files, out).expect("reads the output");
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
fn generation_is_deterministic_and_free_of_machine_paths() {
    let root = workspace();
    let machine_path = root.to_string_lossy();
    for (spec, out) in [
        ("spec", "generated"),
        ("tests/fixtures/spec", "tests/fixtures/generated"),
    ] {
        let spec = root.join(spec);
        let first = generator::generate(&spec, &layout(out)).expect("specs are valid");
        let second = generator::generate(&spec, &layout(out)).expect("specs are valid");
        assert_eq!(first, second);
        for (path, content) in &first {
            assert!(
                !content.contains(machine_path.as_ref()),
                "{out}/{path} contains a machine path"
            );
            assert!(
                !content.contains("path = \"/"),
                "{out}/{path} has an absolute dependency path"
            );
            let marker = if path.ends_with(".rs") {
                "// @generated"
            } else if path.ends_with(".toml") {
                "# @generated"
            } else {
                "<!-- @generated"
            };
            assert!(
                content.starts_with(marker),
                "{out}/{path} lacks the @generated marker"
            );
        }
        // The runtime is reached by a relative path from each manifest.
        let up = out.split('/').count();
        let runtime = format!(
            "hwcloud-runtime = {{ path = \"{}runtime\" }}",
            "../".repeat(up)
        );
        assert!(first["Cargo.toml"].contains(&runtime), "{out}/Cargo.toml");
        let service_runtime = format!(
            "hwcloud-runtime = {{ path = \"{}runtime\" }}",
            "../".repeat(up + 2)
        );
        for (path, content) in first
            .iter()
            .filter(|(p, _)| p.starts_with("services/") && p.ends_with("/Cargo.toml"))
        {
            assert!(content.contains(&service_runtime), "{out}/{path}");
        }
    }
}

#[test]
fn removing_one_field_changes_only_that_operations_file() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = temp.path().join("spec");
    copy_tree(&workspace().join("spec"), &spec);
    let before = generator::generate(&spec, &layout("generated")).expect("specs are valid");

    let file = spec.join("dbss/list_instances.yaml");
    let text = fs::read_to_string(&file).expect("reads the spec");
    // activate_info is null in the page's example, so its fields can go without touching it.
    let field = "      dsc_proxy_port:\n        type: integer\n        format: int32\n        description: Proxy Port\n";
    assert!(
        text.contains(field),
        "the DBSS spec has the dsc_proxy_port field"
    );
    fs::write(&file, text.replacen(field, "", 1)).expect("writes the spec");
    let after = generator::generate(&spec, &layout("generated")).expect("specs are still valid");

    let changed: std::collections::BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert_eq!(
        changed.into_iter().collect::<Vec<_>>(),
        ["services/dbss/src/list_instances.rs"]
    );
    assert!(!after["services/dbss/src/list_instances.rs"].contains("pub dsc_proxy_port"));
}
