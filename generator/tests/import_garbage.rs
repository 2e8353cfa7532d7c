//! Mutated and garbage pages: the importer returns a spec or an error, never panics, and every
//! spec it returns is a valid operation file.

use std::path::PathBuf;

use generator::import::{import_page, ImportOptions};
use generator::spec::model::OperationFile;

mod support;
use support::{docs, Rng, PAGES};

const JUNK: &[&str] = &[
    "|",
    "| ",
    "|---|---|",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "•",
    "  • ",
    "Table 3",
    "Table 99 Cluster",
    "Status code: 200",
    "Status code: 9999",
    "Parameter",
    "Type",
    "Description",
    "Mandatory",
    "Yes",
    "Array of Cluster objects",
    "Object",
    "Cluster object",
    "Array of objects",
    "URI",
    "Function",
    "Response Parameters",
    "Example Responses",
    "Status Codes",
    "GET /x/{y}",
    "POST /",
    "-0: a; -1: b",
    " - A: b - C: d",
    "Definition",
    "N/A",
    "** Value range**:",
    "\u{0}",
    "\t",
    "é中🦀",
    "\u{202e}",
    "\u{feff}",
    "\r",
    ": #",
    "The default value is ",
    "contains 64 to 32 characters",
    "For details, see Table 1.",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        let n = lines.len();
        match rng.below(10) {
            0 if n > 0 => {
                lines.remove(rng.below(n));
            }
            1 if n > 0 => {
                let i = rng.below(n);
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 if n > 1 => {
                let (a, b) = (rng.below(n), rng.below(n));
                lines.swap(a, b);
            }
            3 if n > 0 => {
                lines.truncate(rng.below(n));
            }
            4 => {
                let j = JUNK[rng.below(JUNK.len())].to_string();
                lines.insert(rng.below(n + 1), j);
            }
            5 if n > 0 => {
                // Junk inside a line, at a char boundary.
                let i = rng.below(n);
                let chars: Vec<char> = lines[i].chars().collect();
                let at = rng.below(chars.len() + 1);
                let junk = JUNK[rng.below(JUNK.len())];
                let mut s: String = chars[..at].iter().collect();
                s.push_str(junk);
                s.extend(&chars[at..]);
                lines[i] = s;
            }
            6 if n > 1 => {
                // Shuffle a window.
                let start = rng.below(n);
                let len = (1 + rng.below(20)).min(n - start);
                for k in (1..len).rev() {
                    let j = rng.below(k + 1);
                    lines.swap(start + k, start + j);
                }
            }
            7 if n > 0 => {
                // Random bytes (made valid UTF-8 lossily).
                let bytes: Vec<u8> = (0..rng.below(16)).map(|_| rng.next() as u8).collect();
                let i = rng.below(n);
                lines[i] = String::from_utf8_lossy(&bytes).into_owned();
            }
            8 if n > 0 => {
                let i = rng.below(n);
                lines[i] = lines[i].to_uppercase();
            }
            _ if n > 0 => {
                let i = rng.below(n);
                let count = rng.below(6);
                let block: Vec<String> = lines[i..(i + count).min(n)].to_vec();
                let at = rng.below(n + 1);
                for (k, l) in block.into_iter().enumerate() {
                    lines.insert((at + k).min(lines.len()), l);
                }
            }
            _ => {}
        }
    }
    lines.join(if rng.below(5) == 0 { "\r\n" } else { "\n" })
}

fn check(text: &str, existing: Option<&str>) -> bool {
    let options = ImportOptions {
        operation: Some("Mutated".into()),
        ..ImportOptions::default()
    };
    match import_page(text, "mutated.txt", existing, &options) {
        Ok(imported) => {
            // `import_page` reads its output back as an `OperationFile` before returning it;
            // checking again here for a sample keeps the test honest without doubling its time.
            if imported.yaml.len() % 3 == 0 {
                if let Err(e) = serde_yaml::from_str::<OperationFile>(&imported.yaml) {
                    panic!("invalid spec ({e}) from:\n{text}\n---\n{}", imported.yaml);
                }
            }
            true
        }
        Err(_) => false,
    }
}

/// 2000 mutations in four tests of 500, so that the test harness runs them in parallel.
fn mutated_pages(seed: u64) {
    let dir = docs();
    let pages: Vec<String> = PAGES
        .iter()
        .map(|p| std::fs::read_to_string(dir.join(p)).expect("page"))
        .collect();
    let existing = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/dbss/list_instances.yaml"),
    )
    .expect("spec");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
    let mut ok = 0;
    for i in 0..500 {
        let page = &pages[i % pages.len()];
        let text = mutate(&mut rng, page);
        let with_existing = i % 7 == 0;
        if check(&text, with_existing.then_some(existing.as_str())) {
            ok += 1;
        }
    }
    // Some mutations leave an importable page (so the specs are checked, not only the
    // errors); most break a table and are refused (about 80% of them since the importer
    // checks the cells of one-cell-per-line tables for lost lines).
    assert!(ok > 50, "only {ok} of 500 mutated pages imported");
}

#[test]
fn mutated_pages_never_panic_1() {
    mutated_pages(1);
}

#[test]
fn mutated_pages_never_panic_2() {
    mutated_pages(2);
}

#[test]
fn mutated_pages_never_panic_3() {
    mutated_pages(3);
}

#[test]
fn mutated_pages_never_panic_4() {
    mutated_pages(4);
}

#[test]
fn garbage_never_panics() {
    let mut rng = Rng(42);
    for _ in 0..500 {
        let len = rng.below(400);
        let text: String = (0..len)
            .map(|_| {
                if rng.below(4) == 0 {
                    JUNK[rng.below(JUNK.len())].to_string()
                } else {
                    char::from_u32((rng.next() % 0x11_0000) as u32)
                        .map(String::from)
                        .unwrap_or_else(|| "\n".into())
                }
            })
            .collect();
        check(&text, None);
        let joined: String = text
            .chars()
            .map(|c| if rng.below(3) == 0 { '\n' } else { c })
            .collect();
        check(&joined, None);
    }
    check("", None);
    check("\n\n\n", None);
    check("URI\nGET /a/{b}\n", None);
    check("URI\nGET /a/{b}\n", Some("not: [valid"));
    check("URI\nGET /a/{b}\n", Some("- a list"));
}
