//! What the generator's integration tests share: paths, scratch copies of the specs, and a
//! reproducible random number generator for the mutation tests.
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator/ sits in the workspace")
        .to_path_buf()
}

/// The layout of output in a directory beside the workspace's `runtime/` (as `generated/`).
pub fn layout() -> generator::Layout {
    generator::Layout {
        runtime: "../runtime".to_owned(),
        standalone: false,
    }
}

/// The reference pages, vendored from `../shared/docs` (see `tests/fixtures/pages/README.md`).
pub fn docs() -> PathBuf {
    workspace().join("tests/fixtures/pages")
}

/// Copies a directory tree (the specs are small).
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("creates the directory");
    for entry in fs::read_dir(from).expect("reads the directory") {
        let entry = entry.expect("reads an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copies a file");
        }
    }
}

/// xorshift64: reproducible without a dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The five reference pages.
pub const PAGES: [&str; 5] = [
    "000_62329b2c1b43a404.txt",
    "001_4621e54482026f18.txt",
    "002_c1ae079d317fc42b.txt",
    "003_932dc06b7ac26d05.txt",
    "004_2352aa31689b6419.txt",
];

/// Runs a command; whether it succeeded, and its stdout and stderr.
pub fn run(command: &mut std::process::Command) -> (bool, String) {
    let output = command.output().expect("the command starts");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Generates `spec` as standalone crates into `out` with the generator binary `generator`,
/// and `cargo check`s them with every warning denied. `what` names the specs in failures.
/// The checks share one target directory (the same dependencies, built once) and use the
/// project's lock file (the same versions as every other test, no network).
pub fn generate_and_check(generator: &str, spec: &Path, out: &Path, what: &str) {
    let root = workspace();
    let (ok, text) = run(std::process::Command::new(generator)
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .arg("--standalone"));
    assert!(ok, "{what} generate:\n{text}");
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("copies the lock file");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let (ok, text) = run(std::process::Command::new(cargo)
        .args(["check", "--offline", "--workspace", "--all-targets"])
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/catalogue-sample-target"),
        )
        .env("RUSTFLAGS", "-D warnings"));
    assert!(
        ok,
        "{what} compile without warnings:\n{}\n--- the whole output ---\n{text}",
        diagnostics_first(&text)
    );
}

/// The compiler's diagnostics in `output`, without the progress lines around them, so that
/// a failure shows its cause first even when only the start of the message is kept (CI logs).
fn diagnostics_first(output: &str) -> String {
    let mut kept = Vec::new();
    let mut in_diagnostic = false;
    for line in output.lines() {
        let starts = line.starts_with("error") || line.starts_with("warning");
        let progress = ["Checking ", "Compiling ", "Finished ", "Blocking "]
            .iter()
            .any(|word| line.trim_start().starts_with(word));
        in_diagnostic = starts || (in_diagnostic && !progress);
        if in_diagnostic && kept.len() < 200 {
            kept.push(line);
        }
    }
    if kept.is_empty() {
        "(no error or warning line; the whole output follows)".to_owned()
    } else {
        kept.join("\n")
    }
}

/// An empty spec tree (with its `crate.yaml`) and output directory under `target/<name>/`,
/// so that repeated runs reuse the dependencies' build: `(spec, out)`.
pub fn scratch_crate(name: &str, description: &str) -> (PathBuf, PathBuf) {
    let work = workspace().join("target").join(name);
    let (spec, out) = (work.join("spec"), work.join("out"));
    for dir in [&spec, &out] {
        let _ = fs::remove_dir_all(dir);
    }
    fs::create_dir_all(&spec).expect("creates the spec directory");
    fs::write(
        spec.join("crate.yaml"),
        format!("name: {name}\nversion: 0.0.0\ndescription: {description}\n"),
    )
    .expect("writes crate.yaml");
    (spec, out)
}
