//! `cargo bench -p generator`: how long generating the crate and importing a page take.
//! A bench binary (no harness) so it needs no extra dependency; it prints the median of
//! repeated runs.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn median_of(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("spec");
    let layout = generator::Layout {
        runtime: "../runtime".to_owned(),
        standalone: false,
    };
    let time = median_of(50, || {
        black_box(generator::generate(&spec, &layout).expect("the specs are valid"));
    });
    println!("generate spec/ (5 operations, load+validate+emit): median {time:?} over 50 runs");

    let page_path = root.join("tests/fixtures/pages/004_2352aa31689b6419.txt");
    let Ok(page) = std::fs::read_to_string(&page_path) else {
        println!("import: skipped, {} not found", page_path.display());
        return;
    };
    let existing = std::fs::read_to_string(spec.join("dbss/list_instances.yaml"))
        .expect("the DBSS spec exists");
    let options = generator::import::ImportOptions::default();
    let time = median_of(50, || {
        black_box(
            generator::import::import_page(
                &page,
                "004_2352aa31689b6419.txt",
                Some(&existing),
                &options,
            )
            .expect("the page imports"),
        );
    });
    println!("import --update of the DBSS page (8 KB): median {time:?} over 50 runs");
}
