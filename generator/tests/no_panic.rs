//! No spec text makes the generator panic: deterministic pseudo-random mutations of the real
//! specs must each give files or diagnostics.

use std::fs;
use std::path::{Path, PathBuf};

mod support;
use support::{workspace, Rng};

const JUNK: &[&str] = &[
    "",
    ":",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "&a",
    "*a",
    "!!binary",
    "$ref: Nowhere",
    "type: map",
    "type: object",
    "enum: []",
    "\"",
    "'",
    "\t",
    "é",
    "\u{0}",
    "{x}",
    "null",
    "~",
    "-1",
    "99999999999999999999",
    "properties: {}",
    "items: {type: array}",
    "<<: *a",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(lines.len());
        match rng.below(7) {
            0 if !lines.is_empty() => {
                lines.remove(at);
            }
            1 if !lines.is_empty() => {
                let copy = lines[at].clone();
                lines.insert(at, copy);
            }
            2 if lines.len() > 1 => {
                let other = rng.below(lines.len());
                lines.swap(at, other);
            }
            3 => lines.insert(at, JUNK[rng.below(JUNK.len())].to_owned()),
            4 if !lines.is_empty() => {
                let junk = JUNK[rng.below(JUNK.len())];
                let line = &mut lines[at];
                let cut = line
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(rng.below(line.len() + 1))
                    .unwrap_or(line.len());
                line.insert_str(cut, junk);
            }
            5 => lines.truncate(at),
            _ if !lines.is_empty() => {
                let line = &mut lines[at];
                *line = line.replace(|c: char| c.is_ascii_digit(), &rng.below(10).to_string());
            }
            _ => {}
        }
    }
    lines.join("\n")
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("reads the directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            spec_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

#[test]
fn mutated_specs_never_panic() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let mut sources = Vec::new();
    for root in ["spec", "tests/fixtures/spec"] {
        spec_files(&workspace().join(root), &mut sources);
    }
    sources.sort();
    let spec = temp.path().join("spec");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut rejected = 0;
    for round in 0..400 {
        // A fresh one-service tree: the mutated file, its service.yaml, and crate.yaml.
        let source = &sources[rng.below(sources.len())];
        let service_dir = source.parent().expect("in a folder");
        let _ = fs::remove_dir_all(&spec);
        let target_dir = spec.join(service_dir.file_name().expect("named"));
        fs::create_dir_all(&target_dir).expect("creates the tree");
        fs::copy(workspace().join("spec/crate.yaml"), spec.join("crate.yaml")).expect("copies");
        let service = service_dir.join("service.yaml");
        if service.exists() {
            fs::copy(&service, target_dir.join("service.yaml")).expect("copies");
        }
        let text = fs::read_to_string(source).expect("reads the spec");
        let name = source.file_name().expect("named");
        let target = if source.file_name().is_some_and(|n| n == "crate.yaml") {
            spec.join(name)
        } else {
            target_dir.join(name)
        };
        fs::write(&target, mutate(&text, &mut rng)).expect("writes the mutant");
        if generator::generate(&spec, &support::layout()).is_err() {
            rejected += 1;
        }
        let _ = round;
    }
    assert!(
        rejected > 50,
        "mutations should mostly be rejected, only {rejected} were"
    );
}
