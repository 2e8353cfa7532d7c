//! `generator diff`'s verdicts checked against the compiler. Each mutation of a small spec
//! (`fixtures/semver/`) is regenerated, and a user's program written against the unmutated
//! crate (`fixtures/semver/consumer.rs`) is compiled against the mutated one: the diff must call
//! a mutation breaking exactly when that program no longer compiles.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::{run, workspace};

fn fixture(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/semver")
            .join(name),
    )
    .expect("reads the fixture")
}

/// The spec tree: `crate.yaml`, `semver/service.yaml`, `semver/update_thing.yaml`, and
/// `semver/<extra>.yaml` files a mutation adds.
#[derive(Clone)]
struct Spec {
    service: String,
    operation: String,
    extra: Vec<(String, String)>,
}

impl Spec {
    fn write(&self, dir: &Path) {
        let _ = fs::remove_dir_all(dir);
        fs::create_dir_all(dir.join("semver")).expect("creates the spec tree");
        fs::write(dir.join("crate.yaml"), fixture("crate.yaml")).expect("writes");
        fs::write(dir.join("semver/service.yaml"), &self.service).expect("writes");
        fs::write(dir.join("semver/update_thing.yaml"), &self.operation).expect("writes");
        for (name, text) in &self.extra {
            fs::write(dir.join("semver").join(name), text).expect("writes");
        }
    }
}

/// Replaces `from` (which must be there) by `to` in `text`.
fn edit(text: &mut String, from: &str, to: &str) {
    assert!(text.contains(from), "the fixture has no `{from}`");
    *text = text.replacen(from, to, 1);
}

type Apply = fn(&mut Spec);

/// Each kind of spec change, what it touches.
const MUTATIONS: &[(&str, Apply)] = &[
    ("optional query parameter added", |s| {
        edit(
            &mut s.operation,
            "  - name: X-Trace\n",
            "  - name: offset\n    in: query\n    schema: { type: integer }\n  - name: X-Trace\n",
        )
    }),
    ("required query parameter added", |s| {
        edit(&mut s.operation, "  - name: X-Trace\n", "  - name: offset\n    in: query\n    required: true\n    schema: { type: integer }\n  - name: X-Trace\n")
    }),
    ("optional parameter removed", |s| {
        edit(&mut s.operation, "  - name: limit\n    in: query\n    description: At most this many.\n    schema: { type: integer, maximum: 100 }\n", "")
    }),
    ("optional parameter made required", |s| {
        edit(
            &mut s.operation,
            "  - name: limit\n    in: query\n",
            "  - name: limit\n    in: query\n    required: true\n",
        )
    }),
    ("header parameter made required", |s| {
        edit(
            &mut s.operation,
            "  - name: X-Trace\n    in: header\n",
            "  - name: X-Trace\n    in: header\n    required: true\n",
        )
    }),
    ("parameter type integer to string", |s| {
        edit(
            &mut s.operation,
            "schema: { type: integer, maximum: 100 }",
            "schema: { type: string }",
        )
    }),
    ("parameter int32 to int64", |s| {
        edit(
            &mut s.operation,
            "schema: { type: integer, maximum: 100 }",
            "schema: { type: integer, format: int64, maximum: 100 }",
        )
    }),
    ("parameter renamed on the wire", |s| {
        edit(
            &mut s.operation,
            "  - name: X-Trace\n",
            "  - name: X-Trace-Id\n",
        )
    }),
    ("path changed", |s| {
        edit(
            &mut s.operation,
            "path: /v1/{project_id}/things/{thing_id}",
            "path: /v2/{project_id}/items/{thing_id}",
        )
    }),
    ("method changed", |s| {
        edit(&mut s.operation, "method: PUT", "method: POST")
    }),
    ("parameter range changed", |s| {
        edit(&mut s.operation, "maximum: 100", "maximum: 50")
    }),
    ("parameter description changed", |s| {
        edit(
            &mut s.operation,
            "At most this many.",
            "No more than this many.",
        )
    }),
    ("operation description changed", |s| {
        edit(
            &mut s.operation,
            "description: Updates a thing.",
            "description: Updates one thing.",
        )
    }),
    ("optional body field added", |s| {
        edit(&mut s.operation, "      size: { type: integer, description: The size. }\n", "      size: { type: integer, description: The size. }\n      color: { type: string, description: The color. }\n")
    }),
    ("required body field added", |s| {
        edit(&mut s.operation, "      size: { type: integer, description: The size. }\n", "      size: { type: integer, description: The size. }\n      color: { type: string, description: The color. }\n");
        edit(
            &mut s.operation,
            "    required: [name]\n",
            "    required: [name, color]\n",
        );
    }),
    ("body field removed", |s| {
        edit(
            &mut s.operation,
            "      size: { type: integer, description: The size. }\n",
            "",
        )
    }),
    ("body field made required", |s| {
        edit(
            &mut s.operation,
            "    required: [name]\n",
            "    required: [name, size]\n",
        )
    }),
    ("body field type changed", |s| {
        edit(
            &mut s.operation,
            "size: { type: integer, description: The size. }",
            "size: { type: number, description: The size. }",
        )
    }),
    ("request enum value added", |s| {
        edit(&mut s.operation, "          - { value: slow, description: Careful. }\n", "          - { value: slow, description: Careful. }\n          - { value: eager, description: Eager. }\n")
    }),
    ("request enum value removed", |s| {
        edit(
            &mut s.operation,
            "          - { value: slow, description: Careful. }\n",
            "",
        )
    }),
    ("request body removed", |s| {
        let start = s.operation.find("body:\n").expect("a body");
        let end = s.operation.find("responses:\n").expect("responses");
        s.operation.replace_range(start..end, "");
    }),
    ("response field added", |s| {
        edit(&mut s.operation, "        count: { type: integer, description: How many. }\n", "        count: { type: integer, description: How many. }\n        owner: { type: string, description: The owner. }\n")
    }),
    ("response field removed", |s| {
        edit(
            &mut s.operation,
            "        count: { type: integer, description: How many. }\n",
            "",
        )
    }),
    ("response field type changed", |s| {
        edit(
            &mut s.operation,
            "count: { type: integer, description: How many. }",
            "count: { type: string, description: How many. }",
        )
    }),
    ("response field made required", |s| {
        edit(
            &mut s.operation,
            "      required: [id]\n",
            "      required: [id, count]\n",
        )
    }),
    ("response enum value added", |s| {
        edit(&mut s.operation, "            - { value: busy, description: Busy. }\n", "            - { value: busy, description: Busy. }\n            - { value: gone, description: Gone. }\n")
    }),
    ("response enum value removed", |s| {
        edit(
            &mut s.operation,
            "            - { value: busy, description: Busy. }\n",
            "",
        )
    }),
    ("response header added", |s| {
        edit(&mut s.operation, "    headers:\n", "    headers:\n      X-Next:\n        description: The next page.\n        schema: { type: string }\n")
    }),
    ("response header removed", |s| {
        edit(&mut s.operation, "    headers:\n      X-Request-Id:\n        description: The request.\n        schema: { type: string }\n", "")
    }),
    ("response header type changed", |s| {
        edit(
            &mut s.operation,
            "        description: The request.\n        schema: { type: string }\n",
            "        description: The request.\n        schema: { type: integer }\n",
        )
    }),
    ("error body field added", |s| {
        edit(&mut s.operation, "        error_msg: { type: string, description: Error message. }\n", "        error_msg: { type: string, description: Error message. }\n        request_id: { type: string, description: The request. }\n")
    }),
    ("error body field removed", |s| {
        edit(
            &mut s.operation,
            "        error_msg: { type: string, description: Error message. }\n",
            "",
        )
    }),
    ("shared type optional field added", |s| {
        edit(&mut s.service, "      value: { type: string, description: Value. }\n", "      value: { type: string, description: Value. }\n      note: { type: string, description: Note. }\n")
    }),
    ("shared type required field added", |s| {
        edit(&mut s.service, "      value: { type: string, description: Value. }\n", "      value: { type: string, description: Value. }\n      note: { type: string, description: Note. }\n");
        edit(
            &mut s.service,
            "    required: [key]\n",
            "    required: [key, note]\n",
        );
    }),
    ("shared type field removed", |s| {
        edit(
            &mut s.service,
            "      value: { type: string, description: Value. }\n",
            "",
        )
    }),
    ("endpoint changed", |s| {
        edit(
            &mut s.service,
            "endpoint: semver.{region}.myhuaweicloud.com",
            "endpoint: semver-api.{region}.myhuaweicloud.com",
        )
    }),
    (
        "a second operation defines the same enum (it moves to models)",
        |s| {
            s.extra.push(("set_mode.yaml".into(), "operation: SetMode\ntitle: Setting a Mode\ndescription: Sets a mode.\nsource:\n  document: mode.txt\nmethod: PUT\npath: /v1/{project_id}/mode\nparameters:\n  - name: project_id\n    in: path\n    required: true\n    source: config\n    schema: { type: string }\nbody:\n  required: true\n  schema:\n    type: object\n    properties:\n      mode:\n        type: string\n        description: The mode.\n        enum:\n          - { value: fast, description: Quick. }\n          - { value: slow, description: Careful. }\nresponses:\n  \"204\":\n    description: Set.\n".into()))
        },
    ),
    ("operation added", |s| {
        s.extra.push(("show_thing.yaml".into(), "operation: ShowThing\ntitle: Showing a Thing\ndescription: Shows a thing.\nsource:\n  document: show.txt\nmethod: GET\npath: /v1/{project_id}/things/{thing_id}\nparameters:\n  - name: project_id\n    in: path\n    required: true\n    source: config\n    schema: { type: string }\n  - name: thing_id\n    in: path\n    required: true\n    schema: { type: string }\nresponses:\n  \"204\":\n    description: Shown.\n".into()))
    }),
];

#[test]
fn every_verdict_agrees_with_the_compiler() {
    assert!(MUTATIONS.len() >= 25, "at least 25 kinds of change");
    let root = workspace();
    let work = root.join("target/diff-semver");
    let target = root.join("target/diff-semver-target");
    let generator = env!("CARGO_BIN_EXE_generator");
    let base = Spec {
        service: fixture("service.yaml"),
        operation: fixture("update_thing.yaml"),
        extra: Vec::new(),
    };
    let base_dir = work.join("base");
    base.write(&base_dir);
    let base_model = generator::model(&base_dir).unwrap_or_else(|e| panic!("the base: {e}"));

    // The consumer, in a workspace of its own, over `out/`: compiled against the base first.
    let out = work.join("out");
    let consumer = work.join("consumer");
    fs::create_dir_all(consumer.join("src")).expect("creates");
    fs::write(
        consumer.join("Cargo.toml"),
        "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nsemvertest = { path = \"../out\" }\n\n[workspace]\n",
    )
    .expect("writes");
    fs::write(consumer.join("src/main.rs"), fixture("consumer.rs")).expect("writes");
    fs::copy(root.join("Cargo.lock"), consumer.join("Cargo.lock")).expect("copies the lock");
    let compiles = |spec: &Path| -> (bool, String) {
        let (ok, text) = run(Command::new(generator)
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(&out)
            .arg("--runtime")
            .arg(root.join("runtime")));
        // No --standalone: under target/ the output sits in this repository's workspace, which
        // does not list it, so the generator gives it a workspace of its own.
        assert!(ok, "generates:\n{text}");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        run(Command::new(cargo)
            .args(["check", "--offline", "--quiet"])
            .arg("--manifest-path")
            .arg(consumer.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target))
    };
    let (ok, text) = compiles(&base_dir);
    assert!(ok, "the consumer compiles against the base crate:\n{text}");

    let mut disagreements = Vec::new();
    let mut table = Vec::new();
    for (index, (name, apply)) in MUTATIONS.iter().enumerate() {
        let mut spec = base.clone();
        apply(&mut spec);
        let dir: PathBuf = work.join(format!("m{index:02}"));
        spec.write(&dir);
        let model = generator::model(&dir).unwrap_or_else(|e| panic!("{name}: {e}"));
        let changes = generator::diff::compare(&base_model, &model);
        let breaking = changes
            .iter()
            .any(|c| c.impact == generator::diff::Impact::Breaking);
        let (compiled, text) = compiles(&dir);
        let verdict = changes
            .iter()
            .map(|c| format!("{}: {}", c.impact.label(), c.what))
            .collect::<Vec<_>>()
            .join("; ");
        table.push(format!(
            "{name}: diff says {}, the compiler {} ({verdict})",
            if breaking { "breaking" } else { "not breaking" },
            if compiled { "compiles" } else { "fails" }
        ));
        if breaking == compiled {
            disagreements.push(format!(
                "{name}: diff says {}, but the consumer {}:\n  {verdict}\n{}",
                if breaking { "breaking" } else { "not breaking" },
                if compiled {
                    "compiles"
                } else {
                    "does not compile"
                },
                text.lines().take(12).collect::<Vec<_>>().join("\n")
            ));
        }
        // Every mutation changes something the diff reports (documentation included), except
        // what the generated code cannot see.
        if changes.is_empty() && *name != "response field made required" {
            disagreements.push(format!("{name}: the diff reports nothing"));
        }
    }
    println!("{}", table.join("\n"));
    assert!(
        disagreements.is_empty(),
        "{} of {} verdicts disagree with the compiler:\n{}",
        disagreements.len(),
        MUTATIONS.len(),
        disagreements.join("\n\n")
    );
}

fn git(dir: &Path, args: &[&str]) {
    let (ok, text) = run(Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args));
    assert!(ok, "git {args:?}:\n{text}");
}

#[test]
fn fail_on_breaking_wants_the_version_bump_in_a_pull_request() {
    // A repository as a user's would be: main with the specs, a branch that changes them.
    let repo = tempfile::tempdir().expect("a temporary directory");
    let root = repo.path();
    let base = Spec {
        service: fixture("service.yaml"),
        operation: fixture("update_thing.yaml"),
        extra: Vec::new(),
    };
    base.write(&root.join("spec"));
    fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").expect("writes");
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "specs"]);
    git(root, &["checkout", "-q", "-b", "change"]);
    let mut changed = base.clone();
    edit(
        &mut changed.operation,
        "        count: { type: integer, description: How many. }\n",
        "",
    );
    changed.write(&root.join("spec"));
    git(root, &["commit", "-q", "-am", "drop count"]);

    let diff = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_generator"))
            .arg("diff")
            .args(args)
            .current_dir(root.join("spec/semver"))
            .output()
            .expect("runs the generator")
    };
    // Against the merge base with main (the default), committed or in the working tree.
    let output = diff(&["--fail-on", "breaking", "--format", "markdown"]);
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{report}");
    assert!(
        report.contains("- **breaking**: `UpdateThingResponse.count` removed"),
        "{report}"
    );
    assert!(report.contains("NOT carried"), "{report}");

    // With the bump (0.1.0 -> 0.2.0: breaking below 1.0), it passes.
    let crate_yaml = root.join("spec/crate.yaml");
    let text = fs::read_to_string(&crate_yaml).expect("reads");
    fs::write(
        &crate_yaml,
        text.replace("version: 0.1.0", "version: 0.2.0"),
    )
    .expect("writes");
    let output = diff(&["--fail-on", "breaking"]);
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("0.1.0 -> 0.2.0: carried"), "{report}");

    // A patch bump does not carry a breaking change; an explicit --base revision works too.
    fs::write(
        &crate_yaml,
        text.replace("version: 0.1.0", "version: 0.1.1"),
    )
    .expect("writes");
    let output = diff(&["--fail-on", "breaking", "--base", "main"]);
    assert!(!output.status.success());
    // Without --fail-on the report is all: exit 0.
    assert!(diff(&[]).status.success());
}
