//! The catalogue as a standing test: the vendored sample of API Explorer definitions
//! (`tests/fixtures/catalogue`, 594 operations of 18 services chosen for hostile names and
//! shapes) is imported, generated as one crate per service, and `cargo check`ed with every
//! warning denied. A regression anywhere on the way (an importer that drops what it cannot
//! carry, a spec the generator refuses, code that does not compile) fails here.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::run;

const SAMPLE_OPERATIONS: usize = 594;

fn count_files(dir: &Path, suffix: &str) -> usize {
    let mut count = 0;
    for entry in fs::read_dir(dir).expect("reads the directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            count += count_files(&path, suffix);
        } else if path.to_string_lossy().ends_with(suffix) {
            count += 1;
        }
    }
    count
}

#[test]
fn the_catalogue_sample_imports_generates_and_compiles_without_warnings() {
    let root = support::workspace();
    let sample = root.join("tests/fixtures/catalogue");
    assert!(
        count_files(&sample, ".json") >= SAMPLE_OPERATIONS,
        "the vendored sample is complete"
    );
    let (spec, out) = support::scratch_crate("catalogue-sample", "The vendored catalogue sample.");

    let generator = env!("CARGO_BIN_EXE_generator");
    let (ok, text) = run(Command::new(generator)
        .args(["import", "--explorer"])
        .arg(&sample)
        .arg("--into")
        .arg(&spec));
    assert!(ok, "the sample imports:\n{text}");
    let specs = count_files(&spec, ".yaml");
    // Each service adds a service.yaml; every non-empty definition gives one operation spec.
    assert!(
        specs >= 500,
        "at least 500 operation specs were written, found {specs}:\n{text}"
    );

    support::generate_and_check(generator, &spec, &out, "the sample's specs");
}
