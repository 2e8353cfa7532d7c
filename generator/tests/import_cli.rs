//! `generator import` end to end: the update workflow on a copy of the real specs.

use std::fs;
use std::process::{Command, Output};

mod support;
use support::{copy_tree, docs, workspace, PAGES};

fn generator(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("runs the generator")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn reimporting_unchanged_pages_leaves_the_committed_specs_byte_identical() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = temp.path().join("spec");
    copy_tree(&workspace().join("spec"), &spec);
    for page in PAGES {
        let path = docs().join(page);
        let output = generator(&[
            "import".as_ref(),
            "--update".as_ref(),
            "--into".as_ref(),
            spec.as_os_str(),
            path.as_os_str(),
        ]);
        assert!(output.status.success(), "{page}: {}", text(&output));
        assert!(
            !text(&output).contains("warning"),
            "{page}: {}",
            text(&output)
        );
        assert!(
            text(&output).contains("no API change"),
            "{page}: {}",
            text(&output)
        );
    }
    for service in ["dbss", "gaussdb-nosql", "kms", "rds"] {
        for entry in fs::read_dir(workspace().join("spec").join(service)).expect("reads") {
            let committed = entry.expect("an entry").path();
            let name = committed.file_name().expect("named");
            let reimported = spec.join(service).join(name);
            assert_eq!(
                fs::read_to_string(&committed).expect("reads"),
                fs::read_to_string(&reimported).expect("reads"),
                "{} changed on re-import",
                committed.display()
            );
        }
    }
}

#[test]
fn a_field_added_to_a_page_is_one_field_in_the_spec_and_in_the_code() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = temp.path().join("spec");
    let out = temp.path().join("generated");
    copy_tree(&workspace().join("spec"), &spec);
    let before = generator::generate(&spec, &support::layout()).expect("specs are valid");

    let page_text = fs::read_to_string(docs().join(PAGES[4])).expect("reads the DBSS page");
    let anchor = "server_id\n\nString\n\nServer ID\n";
    assert!(page_text.contains(anchor));
    let page = temp.path().join(PAGES[4]);
    fs::write(
        &page,
        page_text.replacen(
            anchor,
            &format!("{anchor}\nhost_name\n\nString\n\nHost name of the server.\n"),
            1,
        ),
    )
    .expect("writes the changed page");

    let spec_file = spec.join("dbss/list_instances.yaml");
    let old_spec = fs::read_to_string(&spec_file).expect("reads");
    let output = generator(&[
        "import".as_ref(),
        "--update".as_ref(),
        "--into".as_ref(),
        spec.as_os_str(),
        page.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    // The change summary: the new field, and nothing else but the example's docs.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("compatible dbss ListInstances: optional `ResponseServer.host_name` added"),
        "{stdout}"
    );
    assert!(!stdout.contains("breaking"), "{stdout}");
    let new_spec = fs::read_to_string(&spec_file).expect("reads");

    // The spec diff: only added lines, and they are the new field.
    let diff = similar::TextDiff::from_lines(&old_spec, &new_spec);
    let changes: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value().trim_end()))
        .collect();
    assert_eq!(
        changes,
        [
            "+      host_name:",
            "+        type: string",
            "+        description: Host name of the server."
        ],
        "{changes:?}"
    );

    // The code diff: only the operation's file, with the new field.
    let after = generator::generate(&spec, &support::layout()).expect("the updated spec is valid");
    let changed: std::collections::BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert_eq!(
        changed.into_iter().collect::<Vec<_>>(),
        ["services/dbss/src/list_instances.rs"]
    );
    assert!(after["services/dbss/src/list_instances.rs"]
        .contains("pub host_name: ::std::option::Option<::std::string::String>"));
    assert!(!out.exists());
}

#[test]
fn a_new_page_needs_an_operation_name_and_lands_in_its_service_folder() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = temp.path().join("spec");
    copy_tree(&workspace().join("spec"), &spec);
    fs::remove_file(spec.join("kms/list_support_regions.yaml")).expect("removes the spec");
    let page = docs().join(PAGES[3]);

    let nameless = generator(&[
        "import".as_ref(),
        "--into".as_ref(),
        spec.as_os_str(),
        page.as_os_str(),
    ]);
    assert!(!nameless.status.success());
    assert!(
        text(&nameless).contains("--operation"),
        "{}",
        text(&nameless)
    );

    let output = generator(&[
        "import".as_ref(),
        "--into".as_ref(),
        spec.as_os_str(),
        "--service".as_ref(),
        "kms".as_ref(),
        "--operation".as_ref(),
        "ListSupportRegions".as_ref(),
        "--error-schema".as_ref(),
        "KmsErrorResponse".as_ref(),
        page.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let written = spec.join("kms/list_support_regions.yaml");
    assert!(written.exists());
    generator::generate(&spec, &support::layout()).expect("the imported spec generates");

    let again = generator(&[
        "import".as_ref(),
        "--into".as_ref(),
        spec.as_os_str(),
        "--service".as_ref(),
        "kms".as_ref(),
        "--operation".as_ref(),
        "ListSupportRegions".as_ref(),
        page.as_os_str(),
    ]);
    assert!(
        !again.status.success(),
        "an existing spec is not overwritten without --update"
    );
}

#[test]
fn a_page_that_is_not_an_api_reference_is_a_clear_error() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let page = temp.path().join("notes.txt");
    fs::write(&page, "Shopping list\n\nmilk\neggs\n").expect("writes");
    let output = generator(&[
        "import".as_ref(),
        "--into".as_ref(),
        temp.path().as_os_str(),
        "--operation".as_ref(),
        "Nothing".as_ref(),
        page.as_os_str(),
    ]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("notes.txt: error:"),
        "{}",
        text(&output)
    );
}

#[test]
fn two_specs_of_one_page_are_an_error_naming_both() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = temp.path().join("spec");
    copy_tree(&workspace().join("spec"), &spec);
    let copy = spec.join("kms/list_support_regions_copy.yaml");
    fs::copy(spec.join("kms/list_support_regions.yaml"), &copy).expect("copies the spec");
    let before = fs::read_to_string(&copy).expect("reads");
    let page = docs().join(PAGES[3]);
    let output = generator(&[
        "import".as_ref(),
        "--update".as_ref(),
        "--into".as_ref(),
        spec.as_os_str(),
        page.as_os_str(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    let message = text(&output);
    assert!(message.contains("list_support_regions.yaml"), "{message}");
    assert!(
        message.contains("list_support_regions_copy.yaml"),
        "{message}"
    );
    assert!(message.contains("ambiguous"), "{message}");
    assert_eq!(fs::read_to_string(&copy).expect("reads"), before);
}

#[test]
fn a_new_spec_is_not_written_to_the_spec_root() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = temp.path().join("spec");
    copy_tree(&workspace().join("spec"), &spec);
    fs::remove_file(spec.join("kms/list_support_regions.yaml")).expect("removes the spec");
    let page = docs().join(PAGES[3]);
    let output = generator(&[
        "import".as_ref(),
        "--into".as_ref(),
        spec.as_os_str(),
        "--operation".as_ref(),
        "ListSupportRegions".as_ref(),
        page.as_os_str(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("name the service folder with --service"),
        "{}",
        text(&output)
    );
    assert!(!spec.join("list_support_regions.yaml").exists());
}

#[test]
fn a_row_added_to_an_error_table_is_a_warning_with_its_line() {
    // The spec refers to KmsErrorResponse for the error tables; `import --update` checks the
    // page's tables against the service.yaml next to the spec.
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = temp.path().join("spec");
    copy_tree(&workspace().join("spec"), &spec);
    let page_text = fs::read_to_string(docs().join(PAGES[3])).expect("reads the KMS page");
    let anchor = "         error_msg  | \n       \n         String  | \n       \n         Error information returned by the error request  | \n      \n";
    assert!(page_text.contains(anchor));
    let changed = page_text.replacen(
        anchor,
        &format!("{anchor}| \n         request_id  | \n       \n         String  | \n       \n         Request ID  | \n      \n"),
        1,
    );
    let line = changed
        .lines()
        .position(|l| l.trim() == "request_id  |")
        .expect("the new row")
        + 1;
    let page = temp.path().join(PAGES[3]);
    fs::write(&page, changed).expect("writes the changed page");
    let output = generator(&[
        "import".as_ref(),
        "--update".as_ref(),
        "--into".as_ref(),
        spec.as_os_str(),
        page.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains(&format!(":{line}: warning: response 400.error.request_id")),
        "{}",
        text(&output)
    );
}

#[test]
fn vendored_pages_equal_the_shared_originals() {
    let shared = workspace().join("../shared/docs");
    if !shared.is_dir() {
        // A checkout without the shared folder beside it has only the vendored copies.
        return;
    }
    for page in PAGES {
        let original = fs::read(shared.join(page)).expect("reads the shared page");
        let vendored = fs::read(docs().join(page)).expect("reads the vendored page");
        assert!(
            original == vendored,
            "tests/fixtures/pages/{page} differs from ../shared/docs/{page}: copy it and re-import"
        );
    }
}
