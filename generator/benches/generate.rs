//! `cargo bench -p generator`: how long generating the crates and importing a page take.
//! A bench binary (no harness) so it needs no extra dependency; it prints the median of
//! repeated runs, then times each step of generating a synthetic catalogue: copies of the
//! real and fixture operations under new names, `BENCH_SERVICES` services (default 20) of
//! `BENCH_OPERATIONS` operations (default 64). `BENCH_SERVICES=200` is the size of the whole
//! Huawei Cloud catalogue. With `BENCH_KEEP=DIR` the synthetic specs are written to DIR and
//! kept (to run the generator or `cargo check` on them).

use std::hint::black_box;
use std::path::{Path, PathBuf};
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

/// As in the generator binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The seed services: (spec root, service folder).
const SEEDS: [(&str, &str); 5] = [
    ("spec", "kms"),
    ("spec", "dbss"),
    ("spec", "gaussdb-nosql"),
    ("spec", "rds"),
    ("tests/fixtures/spec", "demo"),
];

/// A name part from a number, in letters (`Qa`, `Qb`, ...), so that names stay PascalCase
/// words and their snake case is predictable.
fn word(mut n: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    letters.reverse();
    format!("Q{}", letters.into_iter().collect::<String>())
}

/// Writes a synthetic spec set to `out`: service `i` copies seed `i % 5`, its operations
/// cycle through the seed's, renamed `<Operation><Service><Copy>`.
fn synthetic_specs(root: &Path, out: &Path, services: usize, operations: usize) {
    std::fs::create_dir_all(out).expect("creates the spec directory");
    std::fs::write(
        out.join("crate.yaml"),
        "name: hwcloud\nversion: 0.1.0\ndescription: Synthetic catalogue.\n",
    )
    .expect("writes crate.yaml");
    for i in 0..services {
        let (seed_root, folder) = SEEDS[i % SEEDS.len()];
        let seed = root.join(seed_root).join(folder);
        let id = format!("svc-{}", word(i).to_lowercase());
        let dir = out.join(&id);
        std::fs::create_dir_all(&dir).expect("creates a service folder");
        let service = std::fs::read_to_string(seed.join("service.yaml")).expect("reads");
        let service = service.replacen(
            &format!("service: {folder}\n"),
            &format!("service: {id}\n"),
            1,
        );
        std::fs::write(dir.join("service.yaml"), service).expect("writes service.yaml");
        let mut seeds: Vec<PathBuf> = std::fs::read_dir(&seed)
            .expect("lists the seed")
            .map(|entry| entry.expect("an entry").path())
            .filter(|path| !path.ends_with("service.yaml"))
            .collect();
        seeds.sort();
        for k in 0..operations {
            let text = std::fs::read_to_string(&seeds[k % seeds.len()]).expect("reads");
            let line = text.lines().next().expect("a first line");
            let name = line
                .strip_prefix("operation: ")
                .expect("starts with the operation");
            let renamed = format!("{name}{}{}", word(i), word(k));
            let text = text
                .replacen(line, &format!("operation: {renamed}"), 1)
                .replacen("  document: ", &format!("  document: {renamed}-"), 1);
            let file = format!(
                "{}.yaml",
                generator::names::bare(&generator::names::snake(&renamed))
            );
            std::fs::write(dir.join(file), text).expect("writes an operation");
        }
    }
}

/// The CPU time (user and system, all threads) this process used so far, from
/// `/proc/self/stat` (Linux; zero elsewhere). On a busy machine it says more than wall time.
fn cpu_time() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // After the command name (in parentheses), utime and stime are the 12th and 13th
            // fields, in clock ticks (100 per second on Linux).
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let utime: u64 = fields.get(11)?.parse().ok()?;
            let stime: u64 = fields.get(12)?.parse().ok()?;
            Some(utime + stime)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// The peak resident memory so far (Linux), for the report.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .map(|line| line.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

fn synthetic_catalogue(root: &Path) {
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(default)
    };
    let (services, operations) = (number("BENCH_SERVICES", 20), number("BENCH_OPERATIONS", 64));
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = match std::env::var_os("BENCH_KEEP") {
        Some(dir) => PathBuf::from(dir),
        None => temp.path().join("spec"),
    };
    synthetic_specs(root, &spec, services, operations);
    println!(
        "synthetic catalogue: {services} services x {operations} operations = {}",
        services * operations
    );
    let now = || (Instant::now(), cpu_time());
    let total = now();
    let step = |name: &str, (start, cpu): (Instant, Duration)| {
        println!(
            "  {name:<9} {:>8.2?} wall {:>8.2?} cpu  (peak RSS so far {})",
            start.elapsed(),
            cpu_time().saturating_sub(cpu),
            peak_memory()
        );
    };
    let start = now();
    let specs = generator::spec::load::load(&spec).expect("the synthetic specs load");
    step("load", start);
    let start = now();
    generator::validate::validate(&specs).expect("the synthetic specs are valid");
    step("validate", start);
    let start = now();
    let model = generator::ir::resolve(specs);
    step("resolve", start);
    let out = temp.path().join("out");
    let layout = generator::output::layout(&out, &root.join("runtime"), true).expect("a layout");
    let start = now();
    let files = generator::emit::emit(&model, &layout).expect("emits");
    step("emit", start);
    let start = now();
    generator::output::write_atomically(&out, &files).expect("writes");
    step("write", start);
    println!(
        "  total     {:>8.2?} wall {:>8.2?} cpu  ({} files, {} MB)",
        total.0.elapsed(),
        cpu_time().saturating_sub(total.1),
        files.len(),
        files.values().map(String::len).sum::<usize>() >> 20
    );
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
    synthetic_catalogue(&root);

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
