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
