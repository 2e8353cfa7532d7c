//! The `generator` binary on bad specs: a located error, a non-zero exit, and the output
//! directory left exactly as it was. Also `generator check`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support;
use support::{copy_tree, workspace};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).expect("reads the directory") {
            let path = entry.expect("reads an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = fs::read(&path).expect("reads a file");
                files.insert(
                    path.strip_prefix(dir).expect("below dir").to_path_buf(),
                    bytes,
                );
            }
        }
    }
    files
}

/// A scratch copy of the real specs and a generated crate made from them.
struct Scratch {
    _dir: tempfile::TempDir,
    spec: PathBuf,
    out: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let spec = dir.path().join("spec");
        let out = dir.path().join("generated");
        copy_tree(&workspace().join("spec"), &spec);
        let scratch = Scratch {
            _dir: dir,
            spec,
            out,
        };
        let output = scratch.run(&[]);
        assert!(
            output.status.success(),
            "the real specs generate: {}",
            stderr(&output)
        );
        scratch
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_generator"))
            .args(args)
            .arg("--spec")
            .arg(&self.spec)
            .arg("--out")
            .arg(&self.out)
            .output()
            .expect("runs the generator")
    }

    fn edit(&self, file: &str, edit: impl FnOnce(String) -> String) {
        let path = self.spec.join(file);
        let text = fs::read_to_string(&path).expect("reads the spec");
        let edited = edit(text.clone());
        assert_ne!(text, edited, "the edit of {file} changed nothing");
        fs::write(&path, edited).expect("writes the spec");
    }

    /// Runs the generator on the edited specs and checks the failure is reported at
    /// `file:line:column` with `message`, leaving the output untouched.
    fn assert_rejected(&self, file: &str, line: usize, message: &str) {
        let before = snapshot(&self.out);
        let output = self.run(&[]);
        let err = stderr(&output);
        assert!(
            !output.status.success(),
            "the generator accepted a bad spec:\n{err}"
        );
        let location = format!("{}:{line}:", self.spec.join(file).display());
        assert!(
            err.lines()
                .any(|l| l.starts_with(&location) && l.contains(message)),
            "expected `{location}<column>: ... {message}` in:\n{err}"
        );
        assert_eq!(
            before,
            snapshot(&self.out),
            "generated/ changed after an error"
        );
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn line_of(scratch: &Scratch, file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(scratch.spec.join(file)).expect("reads the spec");
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("`{needle}` not in {file}"))
}

const KMS: &str = "kms/list_support_regions.yaml";

#[test]
fn yaml_syntax_error_is_located() {
    let s = Scratch::new();
    s.edit(KMS, |t| t.replacen("method: GET", "method: GET: [", 1));
    let line = line_of(&s, KMS, "method: GET: [");
    s.assert_rejected(KMS, line, "mapping values are not allowed");
}

#[test]
fn unknown_type_is_located() {
    let s = Scratch::new();
    s.edit(KMS, |t| t.replacen("type: integer", "type: integr", 1));
    let line = line_of(&s, KMS, "type: integr");
    s.assert_rejected(KMS, line, "unknown variant `integr`");
}

#[test]
fn unknown_key_is_located() {
    let s = Scratch::new();
    s.edit(KMS, |t| {
        t.replacen("    required: false\n", "    requird: false\n", 1)
    });
    let line = line_of(&s, KMS, "requird");
    s.assert_rejected(KMS, line, "unknown field `requird`");
}

#[test]
fn dangling_reference_is_located() {
    let s = Scratch::new();
    s.edit(KMS, |t| {
        t.replacen("$ref: KmsErrorResponse", "$ref: KmsErrorRespons", 1)
    });
    let line = line_of(&s, KMS, "$ref: KmsErrorRespons");
    s.assert_rejected(KMS, line, "`$ref: KmsErrorRespons` names no schema");
}

#[test]
fn an_operation_name_may_repeat_in_another_service() {
    // Each service is its own crate: `DeleteManualBackup` is an RDS and a DDS operation.
    let s = Scratch::new();
    let twin = s.spec.join("kms-twin");
    copy_tree(&s.spec.join("kms"), &twin);
    let service = fs::read_to_string(twin.join("service.yaml")).expect("reads service.yaml");
    fs::write(
        twin.join("service.yaml"),
        service.replacen("service: kms", "service: kms-twin", 1),
    )
    .expect("writes service.yaml");
    let output = s.run(&[]);
    assert!(
        output.status.success(),
        "a name repeated across services is accepted: {}",
        stderr(&output)
    );
}

#[test]
fn undeclared_path_parameter_is_located() {
    let s = Scratch::new();
    s.edit(KMS, |t| {
        t.replacen(
            "path: /v2/{project_id}/kms/regions",
            "path: /v2/{project_id}/kms/{region}",
            1,
        )
    });
    let line = line_of(&s, KMS, "path: /v2/");
    s.assert_rejected(KMS, line, "path parameter `{region}` is not declared");
}

#[test]
fn path_parameter_missing_from_path_is_located() {
    let s = Scratch::new();
    let file = "gaussdb-nosql/delete_gemini_db_dual_active.yaml";
    s.edit(file, |t| {
        t.replacen("instances/{instance_id}/dual", "instances/dual", 1)
    });
    let line = line_of(&s, file, "name: instance_id");
    s.assert_rejected(
        file,
        line,
        "path parameter `instance_id` is declared but the path",
    );
}

#[test]
fn example_that_does_not_match_its_schema_is_located() {
    let s = Scratch::new();
    let file = "dbss/list_instances.yaml";
    s.edit(file, |t| {
        t.replacen("\"is_active\" : 1", "\"is_active\" : \"yes\"", 1)
    });
    let line = line_of(&s, file, "    example: |");
    s.assert_rejected(
        file,
        line,
        "$.clusters[0].detail.server[0].is_active is \"yes\", expected an int32 integer",
    );
}

#[test]
fn example_with_null_for_a_non_nullable_field_is_located() {
    let s = Scratch::new();
    let file = "dbss/list_instances.yaml";
    s.edit(file, |t| t.replacen("\"cpu\" : \"8\"", "\"cpu\" : null", 1));
    let line = line_of(&s, file, "    example: |");
    s.assert_rejected(
        file,
        line,
        "is null, but the schema is not `nullable: true`",
    );
}

#[test]
fn duplicate_key_is_located() {
    let s = Scratch::new();
    s.edit(KMS, |t| {
        t.replacen("title: Querying", "title: Twice\ntitle: Querying", 1)
    });
    let line = line_of(&s, KMS, "title: Querying");
    s.assert_rejected(KMS, line, "duplicate key `title`");
}

#[test]
fn check_passes_when_up_to_date_and_prints_a_diff_when_not() {
    let s = Scratch::new();
    let clean = s.run(&["check"]);
    assert!(clean.status.success(), "{}", stderr(&clean));

    let file = s.out.join("services/kms/src/list_support_regions.rs");
    let text = fs::read_to_string(&file).expect("reads generated code");
    fs::write(&file, text.replacen("Region information", "Hand edit", 1)).expect("writes");
    fs::write(s.out.join("src/stray.rs"), "// not generated\n").expect("writes");
    fs::write(
        s.out.join("services/rds/src/stray.rs"),
        "// @generated long ago\n",
    )
    .expect("writes");
    let stale = s.run(&["check"]);
    let diff = String::from_utf8_lossy(&stale.stdout);
    assert!(!stale.status.success());
    assert!(
        diff.contains("--- a/services/kms/src/list_support_regions.rs"),
        "{diff}"
    );
    assert!(
        diff.contains("-    /// Hand edit") && diff.contains("+    /// Region information"),
        "{diff}"
    );
    assert!(
        diff.contains("--- a/src/stray.rs") && diff.contains("+++ /dev/null"),
        "{diff}"
    );
    assert!(diff.contains("--- a/services/rds/src/stray.rs"), "{diff}");
}

#[test]
fn a_changed_example_is_a_small_diff_with_the_repositorys_paths() {
    // The real checkout, read only: `check` on an edited copy of its specs, run from inside it
    // with the output named as the checkout's own.
    let s = Scratch::new();
    s.edit(KMS, |t| t.replacen("\"cn-north-2\", ", "", 1));
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(["check", "--spec"])
        .arg(&s.spec)
        .arg("--out")
        .arg(&s.out)
        .output()
        .expect("runs the generator");
    assert!(!output.status.success());
    let diff = String::from_utf8_lossy(&output.stdout);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    // The example's line in the docs, in the mock's default answer and in the round-trip
    // test; nothing else.
    assert!(
        changed.len() <= 6 && changed.iter().all(|l| l.contains("cn-north")),
        "{diff}"
    );

    // Inside a checkout, paths start at the checkout's root as in `git diff`.
    let checkout = workspace();
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args([
            "check",
            "--spec",
            "tests/fixtures/spec",
            "--out",
            "tests/fixtures/generated",
        ])
        .current_dir(&checkout)
        .output()
        .expect("runs the generator");
    assert!(output.status.success(), "{}", stderr(&output));
    let before = snapshot(&s.out);
    fs::write(s.out.join("src/stray.rs"), "// @generated stray\n").expect("writes");
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(["check", "--spec"])
        .arg(&s.spec)
        .arg("--out")
        .arg(&s.out)
        .current_dir(&checkout)
        .output()
        .expect("runs the generator");
    let diff = String::from_utf8_lossy(&output.stdout);
    // The scratch output is outside the checkout: shown from its own root.
    assert!(diff.contains("--- a/src/stray.rs"), "{diff}");
    fs::remove_file(s.out.join("src/stray.rs")).expect("removes");
    assert_eq!(before.len(), snapshot(&s.out).len());
}

#[test]
fn regenerating_restores_a_hand_edited_tree() {
    let s = Scratch::new();
    let before = snapshot(&s.out);
    // A file of a removed operation goes; a hand edit of a generated file is undone.
    fs::write(
        s.out.join("src/stray.rs"),
        "// @generated by an older spec\n",
    )
    .expect("writes");
    // So does the crate of a removed service.
    fs::create_dir_all(s.out.join("services/gone/src")).expect("creates");
    fs::write(
        s.out.join("services/gone/Cargo.toml"),
        "# @generated by an older spec\n",
    )
    .expect("writes");
    let file = s.out.join("services/kms/src/list_support_regions.rs");
    let text = fs::read_to_string(&file).expect("reads generated code");
    fs::write(&file, text.replacen("Region information", "Hand edit", 1)).expect("writes");
    assert!(s.run(&[]).status.success());
    assert_eq!(before, snapshot(&s.out));
}

/// Inode and modification time of every file under `dir`.
#[cfg(unix)]
fn identities(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    snapshot(dir)
        .into_keys()
        .map(|path| {
            let meta = fs::metadata(dir.join(&path)).expect("metadata");
            (path, (meta.ino(), meta.modified().expect("mtime")))
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn regenerating_touches_only_the_files_that_change() {
    let s = Scratch::new();
    let before = identities(&s.out);
    let files = before.len();

    // Nothing changed: no file is rewritten, and the report says so.
    let output = s.run(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("0 changed, 0 added, 0 removed, {files} unchanged")),
        "{stdout}"
    );
    assert_eq!(before, identities(&s.out));

    // One description edited: only that operation's file is rewritten.
    s.edit(KMS, |t| t.replacen("Region information", "Regions", 1));
    let output = s.run(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "1 changed, 0 added, 0 removed, {} unchanged",
            files - 1
        )),
        "{stdout}"
    );
    let after = identities(&s.out);
    let rewritten: Vec<&PathBuf> = before
        .iter()
        .filter(|(path, id)| after.get(*path) != Some(id))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        rewritten,
        vec![&PathBuf::from("services/kms/src/list_support_regions.rs")]
    );
}

#[test]
fn the_binary_works_on_the_checkout_it_is_run_in() {
    // Another checkout: its own Cargo.toml, spec/ and runtime/ path; the binary was built in
    // this one.
    let other = tempfile::tempdir().expect("a temporary directory");
    let root = other.path();
    copy_tree(&workspace().join("spec"), &root.join("spec"));
    fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"generated\", \"generated/services/*\"]\n",
    )
    .expect("writes");
    let real = snapshot(&workspace().join("generated"));
    let run = |dir: &Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_generator"))
            .args(args)
            .current_dir(dir)
            .output()
            .expect("runs the generator")
    };
    let output = run(&root.join("spec/kms"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(root.join("generated/services/kms/Cargo.toml").is_file());
    let manifest = fs::read_to_string(root.join("generated/Cargo.toml")).expect("reads");
    assert!(manifest.contains("path = \"../runtime\""), "{manifest}");
    assert_eq!(
        real,
        snapshot(&workspace().join("generated")),
        "the real crate was touched"
    );

    // `check` names files from the checkout's root, as `git diff` does.
    let file = root.join("generated/services/kms/src/list_support_regions.rs");
    let text = fs::read_to_string(&file).expect("reads generated code");
    fs::write(&file, text.replacen("Region information", "Hand edit", 1)).expect("writes");
    let output = run(&root.join("spec"), &["check"]);
    assert!(!output.status.success());
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(
        diff.contains("--- a/generated/services/kms/src/list_support_regions.rs"),
        "{diff}"
    );
    assert!(run(root, &[]).status.success());

    // --spec alone, not the checkout's own: refused, nothing written.
    let before = snapshot(&root.join("generated"));
    let output = run(root, &["--spec", "spec/kms"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("give --out too"),
        "{}",
        stderr(&output)
    );
    assert_eq!(before, snapshot(&root.join("generated")));

    // Outside any checkout, without --spec and --out: refused.
    let nowhere = tempfile::tempdir().expect("a temporary directory");
    let output = run(nowhere.path(), &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not inside a checkout"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn schemas_that_collide_in_rust_are_numbered() {
    let s = Scratch::new();
    let file = "kms/service.yaml";
    s.edit(file, |t| {
        t.replacen(
            "  KmsErrorDetail:\n",
            "  kms_error_detail:\n    type: string\n  KmsErrorDetail:\n",
            1,
        )
    });
    let output = s.run(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let models = fs::read_to_string(s.out.join("services/kms/src/models.rs")).expect("reads");
    assert!(
        models.contains("pub type KmsErrorDetail = ::std::string::String;"),
        "the first in spec order keeps the name (a named string is an alias):\n{models}"
    );
    assert!(
        models.contains("pub struct KmsErrorDetail2 {"),
        "the second is numbered"
    );
    assert!(
        models.contains("pub error: ::std::option::Option<KmsErrorDetail2>,"),
        "and referred to by that name"
    );
}

#[test]
fn int32_enum_value_out_of_range_is_located() {
    let s = Scratch::new();
    let file = "dbss/list_instances.yaml";
    s.edit(file, |t| {
        t.replacen("- value: 3\n", "- value: 3000000000\n", 1)
    });
    let line = line_of(&s, file, "- value: 3000000000");
    s.assert_rejected(file, line, "enum value 3000000000 does not fit int32");
}

#[test]
fn a_spec_at_the_spec_root_is_reported() {
    let s = Scratch::new();
    fs::copy(s.spec.join(KMS), s.spec.join("list_support_regions.yaml")).expect("copies");
    s.assert_rejected(
        "list_support_regions.yaml",
        1,
        "belongs in its service's folder",
    );
}

#[test]
fn a_crate_version_that_is_not_semver_is_located() {
    let s = Scratch::new();
    s.edit("crate.yaml", |t| {
        t.replacen("version: 0.1.0", "version: 0.1 beta", 1)
    });
    s.assert_rejected("crate.yaml", 3, "must be a semantic version");
}

#[test]
fn a_schema_named_like_a_generated_type_is_renamed_consistently() {
    let s = Scratch::new();
    let file = "dbss/list_instances.yaml";
    s.edit(file, |t| t.replace("ServerList", "ListInstancesError"));
    let output = s.run(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let code =
        fs::read_to_string(s.out.join("services/dbss/src/list_instances.rs")).expect("reads");
    assert!(
        code.contains("pub struct ListInstancesError2 {"),
        "the schema is numbered"
    );
    assert!(
        code.contains("pub detail: ::std::option::Option<ListInstancesError2>,"),
        "and referred to by that name"
    );
    assert!(
        code.contains("pub type ListInstancesError = rt::Error<"),
        "the alias keeps its name"
    );
}

#[test]
fn an_output_directory_with_foreign_files_is_refused() {
    let s = Scratch::new();
    fs::write(s.out.join("notes.txt"), "mine\n").expect("writes");
    let before = snapshot(&s.out);
    let output = s.run(&[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("notes.txt, which the generator did not write"),
        "{}",
        stderr(&output)
    );
    assert_eq!(before, snapshot(&s.out));
}

#[test]
fn a_foreign_file_in_a_service_crate_is_refused() {
    let s = Scratch::new();
    fs::write(s.out.join("services/kms/notes.txt"), "mine\n").expect("writes");
    let before = snapshot(&s.out);
    let output = s.run(&[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("services/kms/notes.txt, which the generator did not write"),
        "{}",
        stderr(&output)
    );
    assert_eq!(before, snapshot(&s.out));
}

#[test]
fn the_runtime_is_a_path_relative_to_the_output() {
    let s = Scratch::new();
    let runtime = s.out.parent().expect("in the scratch directory").join("rt");
    let output = s.run(&["--runtime", runtime.to_str().expect("UTF-8")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let facade = fs::read_to_string(s.out.join("Cargo.toml")).expect("reads");
    assert!(
        facade.contains("hwcloud-runtime = { path = \"../rt\" }"),
        "{facade}"
    );
    assert!(!facade.contains("[workspace]"), "{facade}");
    let service = fs::read_to_string(s.out.join("services/kms/Cargo.toml")).expect("reads");
    assert!(
        service.contains("hwcloud-runtime = { path = \"../../../rt\" }"),
        "{service}"
    );
    // The same layout checks clean; another runtime does not.
    let runtime_arg = ["check", "--runtime", runtime.to_str().expect("UTF-8")];
    assert!(s.run(&runtime_arg).status.success());
    assert!(!s.run(&["check"]).status.success());
}

#[test]
fn standalone_output_is_a_workspace_and_keeps_its_lock_file_and_target() {
    let s = Scratch::new();
    let runtime = workspace().join("runtime");
    let args = [
        "--standalone",
        "--runtime",
        runtime.to_str().expect("UTF-8"),
    ];
    let output = s.run(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let facade = fs::read_to_string(s.out.join("Cargo.toml")).expect("reads");
    assert!(
        facade.contains("[workspace]\nmembers = [\"services/*\"]\nresolver = \"2\"\n"),
        "{facade}"
    );

    // Cargo reads it as one workspace: the facade and a crate per service.
    let metadata = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(&s.out)
        .output()
        .expect("runs cargo metadata");
    assert!(metadata.status.success(), "{}", stderr(&metadata));
    let metadata = String::from_utf8_lossy(&metadata.stdout);
    for package in [
        "\"name\":\"hwcloud\"",
        "\"name\":\"hwcloud-kms\"",
        "\"name\":\"hwcloud-gaussdb-nosql\"",
    ] {
        assert!(metadata.contains(package), "{package} in {metadata}");
    }

    // A build leaves a lock file and a target directory: regenerating keeps them, and
    // neither `check` nor the foreign-file guard minds them.
    fs::write(s.out.join("Cargo.lock"), "# lock\n").expect("writes");
    fs::create_dir_all(s.out.join("target/debug")).expect("creates");
    fs::write(s.out.join("target/debug/build.bin"), "bits").expect("writes");
    assert!(s
        .run(&["check", "--standalone", "--runtime", args[2]])
        .status
        .success());
    let kms = s.out.join("services/kms/src/list_support_regions.rs");
    fs::write(&kms, "// @generated hand edit\n").expect("writes");
    let output = s.run(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(s.out.join("Cargo.lock")).expect("kept"),
        "# lock\n"
    );
    assert_eq!(
        fs::read_to_string(s.out.join("target/debug/build.bin")).expect("kept"),
        "bits"
    );
    assert!(fs::read_to_string(&kms)
        .expect("regenerated")
        .contains("ListSupportRegions"));
}
