//! `cargo bench -p generator --bench catalogue [-- --check] [-- --test] [-- --only KMS,RDS]`:
//! the whole Huawei Cloud API Explorer catalogue through the generator, as a user would run it.
//!
//! 1. unpacks `../shared/catalogue/api-explorer.tar.gz` (or `$HWCLOUD_CATALOGUE`),
//! 2. `generator import --explorer` of every definition into a fresh spec tree,
//! 3. `generator --standalone` of the whole tree into one crate per service,
//! 4. with `--check`: `cargo check` of every service crate, one at a time, counting errors
//!    and warnings and the milliseconds per operation; with `--test`, also each service's
//!    example round-trip tests.
//!
//! Each step runs as a child process so that its wall time and peak memory (`wait4`'s maxrss,
//! which covers the child's own children such as rustc) are its own. The results are written
//! to `target/catalogue-bench/results.json` and printed beside the previous run's.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{json, Value};

/// What one child process cost.
struct Cost {
    seconds: f64,
    max_rss_mb: f64,
    success: bool,
    stdout: String,
}

/// Runs `command` to completion and measures it with `wait4`.
fn measure(command: &mut Command) -> Cost {
    let start = Instant::now();
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) => {
            eprintln!("cannot start {command:?}: {error}");
            return Cost {
                seconds: 0.0,
                max_rss_mb: 0.0,
                success: false,
                stdout: String::new(),
            };
        }
    };
    // Drain the pipes on threads so that a chatty child never blocks on a full pipe.
    let stdout = child.stdout.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
            text
        })
    });
    let stderr = child.stderr.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
            text
        })
    });
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data that wait4 fills in; `pid` is our own child, which
    // std has not reaped (we never call `child.wait()`).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = start.elapsed().as_secs_f64();
    let stdout = stdout
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default();
    let stderr = stderr
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default();
    let success = waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    if !success {
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        eprintln!("{command:?} failed; its last lines:");
        for line in tail.into_iter().rev() {
            eprintln!("  {line}");
        }
    }
    Cost {
        seconds,
        // Linux reports kilobytes.
        max_rss_mb: usage.ru_maxrss as f64 / 1024.0,
        success,
        stdout,
    }
}

fn phase(cost: &Cost) -> Value {
    json!({
        "seconds": (cost.seconds * 100.0).round() / 100.0,
        "max_rss_mb": cost.max_rss_mb.round(),
        "success": cost.success,
    })
}

struct Options {
    check: bool,
    test: bool,
    only: Option<Vec<String>>,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|list| list.split(',').map(str::to_owned).collect());
    Options {
        check: args.iter().any(|a| a == "--check" || a == "--test"),
        test: args.iter().any(|a| a == "--test"),
        only,
    }
}

fn main() {
    let options = options();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let tarball = std::env::var_os("HWCLOUD_CATALOGUE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/catalogue/api-explorer.tar.gz"));
    if !tarball.exists() {
        println!(
            "catalogue bench: skipped, {} not found (set HWCLOUD_CATALOGUE)",
            tarball.display()
        );
        return;
    }
    let work = root.join("target/catalogue-bench");
    let definitions = work.join("definitions");
    let spec = work.join("spec");
    let out = work.join("out");
    // The previous run's trees are moved aside and deleted at the end: deleting tens of
    // thousands of files just before writing as many makes ext4 slow to allocate inodes,
    // which would be counted against the steps measured here.
    let trash = work.join("trash");
    let _ = fs::remove_dir_all(&trash);
    let _ = fs::create_dir_all(&trash);
    for (index, dir) in [&definitions, &spec, &out].into_iter().enumerate() {
        if fs::rename(dir, trash.join(index.to_string())).is_err() {
            let _ = fs::remove_dir_all(dir);
        }
    }
    if let Err(error) = fs::create_dir_all(&definitions).and_then(|()| fs::create_dir_all(&spec)) {
        eprintln!("cannot create {}: {error}", work.display());
        std::process::exit(1);
    }
    let generator = env!("CARGO_BIN_EXE_generator");
    let mut results = serde_json::Map::new();

    println!("unpacking {} ...", tarball.display());
    let unpack = measure(
        Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&definitions),
    );
    results.insert("unpack".into(), phase(&unpack));
    let mut sources: Vec<PathBuf> = Vec::new();
    let schemas = definitions.join("schemas");
    match &options.only {
        Some(services) => sources.extend(services.iter().map(|s| schemas.join(s))),
        None => sources.push(schemas.clone()),
    }

    // The spec root needs its crate.yaml; the catalogue's crate is not the repository's.
    let crate_yaml = "name: hwcloud-catalogue\nversion: 0.0.0\ndescription: The whole Huawei Cloud API Explorer catalogue, generated by the catalogue bench.\n";
    if let Err(error) = fs::write(spec.join("crate.yaml"), crate_yaml) {
        eprintln!("cannot write crate.yaml: {error}");
        std::process::exit(1);
    }
    let summary_file = work.join("import-summary.json");
    println!("importing ...");
    let import = measure(
        Command::new(generator)
            .arg("import")
            .arg("--explorer")
            .args(&sources)
            .arg("--into")
            .arg(&spec)
            .arg("--summary-json")
            .arg(&summary_file),
    );
    results.insert("import".into(), phase(&import));
    let summary: Value = fs::read_to_string(&summary_file)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    results.insert("import_summary".into(), summary);

    println!("generating ...");
    let generate = measure(
        Command::new(generator)
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .arg("--standalone"),
    );
    results.insert("generate".into(), phase(&generate));

    if options.check && generate.success {
        results.insert("check".into(), check_services(&root, &out, options.test));
    }

    let results = Value::Object(results);
    // results.json survives a run (only the definitions, specs and output are cleared), so it
    // holds the previous run's numbers until it is overwritten here.
    let file = work.join("results.json");
    let previous: Value = fs::read_to_string(&file)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    let text = serde_json::to_string_pretty(&results).unwrap_or_default();
    if let Err(error) = fs::write(&file, &text) {
        eprintln!("cannot write {}: {error}", file.display());
    }
    print_side_by_side(&previous, &results);
    println!("results: {}", file.display());
    let _ = fs::remove_dir_all(&trash);
}

/// `cargo check` (and with `test`, `cargo test`) of each service crate in turn, after the
/// shared dependencies are built once.
fn check_services(root: &Path, out: &Path, test: bool) -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = root.join("target/catalogue-bench-target");
    // The repository's lock file pins the same dependency versions the project is tested with.
    let _ = fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"));
    let manifest = out.join("Cargo.toml");
    println!("building the shared dependencies ...");
    let deps = measure(
        Command::new(&cargo)
            .args(["check", "--quiet", "--offline", "-p", "hwcloud-runtime"])
            .arg("--manifest-path")
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target)
            // Cold checks: an incremental cache from an earlier run of the same crate would
            // make a service look cheaper than it is to a user checking it the first time.
            .env("CARGO_INCREMENTAL", "0"),
    );
    let mut services = BTreeMap::new();
    let mut totals = (0usize, 0usize, 0usize, 0.0f64, 0.0f64);
    let mut worst_ms_per_op: (f64, String) = (0.0, String::new());
    let service_dirs = fs::read_dir(out.join("services"))
        .map(|entries| {
            let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            dirs.sort();
            dirs
        })
        .unwrap_or_default();
    for dir in service_dirs {
        let Some(package) = package_name(&dir) else {
            continue;
        };
        let operations = count_operations(&dir);
        let mut command = Command::new(&cargo);
        command
            .args([
                "check",
                "--offline",
                "--message-format=json",
                "-p",
                &package,
            ])
            .arg("--manifest-path")
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0");
        let cost = measure(&mut command);
        let (errors, warnings) = diagnostics(&cost.stdout, &package);
        let ms_per_op = cost.seconds * 1000.0 / operations.max(1) as f64;
        if ms_per_op > worst_ms_per_op.0 && operations >= 10 {
            worst_ms_per_op = (ms_per_op, package.clone());
        }
        let mut entry = json!({
            "operations": operations,
            "check_seconds": (cost.seconds * 100.0).round() / 100.0,
            "ms_per_operation": ms_per_op.round(),
            "max_rss_mb": cost.max_rss_mb.round(),
            "errors": errors,
            "warnings": warnings,
        });
        if test {
            let tested = measure(
                Command::new(&cargo)
                    .args(["test", "--offline", "--quiet", "-p", &package])
                    .arg("--manifest-path")
                    .arg(&manifest)
                    .env("CARGO_TARGET_DIR", &target)
                    .env("CARGO_INCREMENTAL", "0"),
            );
            entry["tests_pass"] = json!(tested.success);
            entry["test_seconds"] = json!((tested.seconds * 100.0).round() / 100.0);
        }
        println!(
            "  {package}: {operations} ops, {:.1} s, {ms_per_op:.0} ms/op, {:.0} MB, {errors} errors, {warnings} warnings",
            cost.seconds, cost.max_rss_mb
        );
        totals.0 += operations;
        totals.1 += errors;
        totals.2 += warnings;
        totals.3 += cost.seconds;
        totals.4 = totals.4.max(cost.max_rss_mb);
        services.insert(package, entry);
    }
    json!({
        "dependencies_seconds": (deps.seconds * 100.0).round() / 100.0,
        "operations": totals.0,
        "errors": totals.1,
        "warnings": totals.2,
        "seconds": (totals.3 * 100.0).round() / 100.0,
        "ms_per_operation": (totals.3 * 1000.0 / totals.0.max(1) as f64).round(),
        "worst_ms_per_operation": { "service": worst_ms_per_op.1, "ms": worst_ms_per_op.0.round() },
        "max_rss_mb": totals.4.round(),
        "services": services,
    })
}

/// The `name` of a generated service crate's Cargo.toml.
fn package_name(dir: &Path) -> Option<String> {
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    manifest.lines().find_map(|line| {
        let value = line.strip_prefix("name = ")?;
        Some(value.trim_matches('"').to_owned())
    })
}

/// Operation modules of a service crate: every `src/*.rs` but `lib.rs` and `models.rs`.
fn count_operations(dir: &Path) -> usize {
    fs::read_dir(dir.join("src"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.ends_with(".rs") && name != "lib.rs" && name != "models.rs"
                })
                .count()
        })
        .unwrap_or(0)
}

/// Errors and warnings cargo reported for `package` (its JSON messages).
fn diagnostics(stdout: &str, package: &str) -> (usize, usize) {
    let mut errors = 0;
    let mut warnings = 0;
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        // `path+file:///.../services/kms#hwcloud-kms@0.1.0`, or `.../hwcloud-kms#0.1.0` when
        // the folder has the package's name: only this package's own messages, not a
        // package whose name merely contains it.
        let ours = message["package_id"].as_str().is_some_and(|id| {
            id.contains(&format!("#{package}@")) || id.contains(&format!("/{package}#"))
        });
        if !ours {
            continue;
        }
        match message["message"]["level"].as_str() {
            Some("error") => errors += 1,
            Some("warning") => warnings += 1,
            _ => {}
        }
    }
    (errors, warnings)
}

/// Prints the headline numbers of two runs side by side.
fn print_side_by_side(previous: &Value, current: &Value) {
    let rows: [(&str, &[&str]); 12] = [
        ("unpack s", &["unpack", "seconds"]),
        ("import s", &["import", "seconds"]),
        ("import peak MB", &["import", "max_rss_mb"]),
        ("operations imported", &["import_summary", "imported"]),
        ("definitions skipped", &["import_summary", "skipped_total"]),
        ("import warnings", &["import_summary", "warnings_total"]),
        ("generate s", &["generate", "seconds"]),
        ("generate peak MB", &["generate", "max_rss_mb"]),
        ("check ms/op", &["check", "ms_per_operation"]),
        ("check errors", &["check", "errors"]),
        ("check warnings", &["check", "warnings"]),
        ("check peak MB", &["check", "max_rss_mb"]),
    ];
    println!("{:<24} {:>14} {:>14}", "", "previous run", "this run");
    for (label, path) in rows {
        let get = |value: &Value| {
            let found = path.iter().fold(value, |v, key| &v[*key]);
            if found.is_null() {
                "-".to_owned()
            } else {
                found.to_string()
            }
        };
        println!("{label:<24} {:>14} {:>14}", get(previous), get(current));
    }
    for (key, value) in [
        ("skipped by reason", &current["import_summary"]["skipped"]),
        ("warnings by kind", &current["import_summary"]["warnings"]),
    ] {
        if let Some(map) = value.as_object() {
            println!("{key}:");
            for (reason, count) in map {
                println!("  {count:>6}  {reason}");
            }
        }
    }
}
