//! Where the user stands: the checkout found by walking up from the current directory, and the
//! spec, output and runtime paths that follow from it and from the flags. Nothing here depends
//! on where the generator binary was built, so a binary built in one checkout (a shared
//! `CARGO_TARGET_DIR`, a copied or installed binary) works on the checkout it is run in.

use std::fmt;
use std::path::{Path, PathBuf};

/// The paths a generation reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub runtime: PathBuf,
    /// Whether the output must be a workspace of its own to build where it is (see
    /// [`needs_own_workspace`]).
    pub standalone: bool,
}

/// The flags as given (`None` when absent).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub spec: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub runtime: Option<PathBuf>,
    pub standalone: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// No flag names the paths and no checkout is around the current directory.
    NoCheckout { cwd: PathBuf, missing: &'static str },
    /// One of `--spec`/`--out` given with the other left to default to a checkout's own, which
    /// belongs to that checkout's own other half.
    HalfPair {
        given: &'static str,
        given_path: PathBuf,
        missing: &'static str,
        default: PathBuf,
    },
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::NoCheckout { cwd, missing } => write!(
                f,
                "{} is not inside a checkout (no spec/crate.yaml beside a Cargo.toml in it or \
                 above it): run the generator from the checkout, or give {missing}",
                cwd.display()
            ),
            PathError::HalfPair {
                given,
                given_path,
                missing,
                default,
            } => write!(
                f,
                "{given} {} is given without {missing}, whose default {} belongs to this \
                 checkout's own {}: give {missing} too",
                given_path.display(),
                default.display(),
                if *given == "--spec" {
                    "spec/"
                } else {
                    "generated/"
                }
            ),
        }
    }
}

impl std::error::Error for PathError {}

/// The checkout around `start`: the nearest directory at or above it with `spec/crate.yaml` and
/// a `Cargo.toml`.
pub fn find_checkout(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("spec/crate.yaml").is_file() && dir.join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
}

/// The paths for a run from `cwd` with `flags`. `--spec` and `--out` go together: one alone is
/// accepted only when it is the checkout's own (so `--spec tests/fixtures/spec` cannot
/// overwrite the real `generated/`).
pub fn resolve(cwd: &Path, flags: &Flags) -> Result<Paths, PathError> {
    let checkout = find_checkout(cwd);
    let absolute = |p: &PathBuf| cwd.join(p);
    let own = |name: &str, missing: &'static str| {
        checkout
            .as_ref()
            .map(|root| root.join(name))
            .ok_or_else(|| PathError::NoCheckout {
                cwd: cwd.to_path_buf(),
                missing,
            })
    };
    let (spec, out) = match (&flags.spec, &flags.out) {
        (Some(spec), Some(out)) => (absolute(spec), absolute(out)),
        (None, None) => (
            own("spec", "--spec and --out")?,
            own("generated", "--spec and --out")?,
        ),
        (Some(spec), None) => {
            let spec = absolute(spec);
            let own_spec = own("spec", "--out")?;
            let out = own("generated", "--out")?;
            if !same_path(&spec, &own_spec) {
                return Err(PathError::HalfPair {
                    given: "--spec",
                    given_path: spec,
                    missing: "--out",
                    default: out,
                });
            }
            (spec, out)
        }
        (None, Some(out)) => {
            let out = absolute(out);
            let own_out = own("generated", "--spec")?;
            let spec = own("spec", "--spec")?;
            if !same_path(&out, &own_out) {
                return Err(PathError::HalfPair {
                    given: "--out",
                    given_path: out,
                    missing: "--spec",
                    default: spec,
                });
            }
            (spec, out)
        }
    };
    let runtime = match &flags.runtime {
        Some(runtime) => absolute(runtime),
        None => own("runtime", "--runtime")?,
    };
    let standalone = flags.standalone || needs_own_workspace(&out);
    Ok(Paths {
        spec,
        out,
        runtime,
        standalone,
    })
}

fn same_path(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Whether the crate written to `out` must declare a workspace of its own to build: cargo
/// refuses a package inside a workspace that does not list it as a member. Outside any
/// workspace, or as a listed member (this repository's `generated/`), it needs none.
pub fn needs_own_workspace(out: &Path) -> bool {
    let Ok(out) = std::path::absolute(out) else {
        return true;
    };
    let Some((root, workspace)) = enclosing_workspace(&out) else {
        return false;
    };
    let Ok(relative) = out.strip_prefix(&root) else {
        return true;
    };
    let relative: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let listed = |key: &str| {
        workspace
            .get(key)
            .and_then(toml::Value::as_array)
            .is_some_and(|patterns| {
                patterns
                    .iter()
                    .filter_map(toml::Value::as_str)
                    .any(|pattern| glob_matches(pattern, &relative))
            })
    };
    !listed("members") || listed("exclude")
}

/// The nearest `Cargo.toml` above `out` with a `[workspace]` table: its directory and the table.
fn enclosing_workspace(out: &Path) -> Option<(PathBuf, toml::Table)> {
    out.ancestors().skip(1).find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let manifest: toml::Table = toml::from_str(&text).ok()?;
        let workspace = manifest.get("workspace")?.as_table()?.clone();
        Some((dir.to_path_buf(), workspace))
    })
}

/// Cargo's member patterns as this needs them: `/`-separated segments, `*` for any one segment.
fn glob_matches(pattern: &str, path: &[String]) -> bool {
    let segments: Vec<&str> = pattern
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    segments.len() == path.len()
        && segments
            .iter()
            .zip(path)
            .all(|(segment, part)| *segment == "*" || segment == part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A checkout: `Cargo.toml` listing `generated` as a member, `spec/crate.yaml`.
    fn checkout() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary directory");
        fs::create_dir_all(dir.path().join("spec/kms")).expect("creates");
        fs::create_dir_all(dir.path().join("generated")).expect("creates");
        fs::write(dir.path().join("spec/crate.yaml"), "name: hwcloud\n").expect("writes");
        fs::write(
            dir.path().join("Cargo.toml"),
            "[workspace]\nmembers = [\"generated\", \"generated/services/*\"]\n",
        )
        .expect("writes");
        dir
    }

    #[test]
    fn the_checkout_is_found_from_any_folder_inside_it() {
        let dir = checkout();
        let root = dir.path();
        let paths = resolve(&root.join("spec/kms"), &Flags::default()).expect("resolves");
        assert_eq!(paths.spec, root.join("spec"));
        assert_eq!(paths.out, root.join("generated"));
        assert_eq!(paths.runtime, root.join("runtime"));
        assert!(!paths.standalone, "generated/ is a member of the workspace");

        let outside = tempfile::tempdir().expect("a temporary directory");
        let error = resolve(outside.path(), &Flags::default()).expect_err("no checkout");
        assert!(
            error.to_string().contains("not inside a checkout"),
            "{error}"
        );
        // Given both, no checkout is needed but the runtime's.
        let flags = Flags {
            spec: Some(root.join("spec")),
            out: Some(outside.path().join("out")),
            runtime: Some(root.join("runtime")),
            standalone: false,
        };
        let paths = resolve(outside.path(), &flags).expect("resolves");
        assert_eq!(paths.out, outside.path().join("out"));
    }

    #[test]
    fn spec_and_out_go_together_unless_they_are_the_checkouts_own() {
        let dir = checkout();
        let root = dir.path();
        let other = Flags {
            spec: Some(PathBuf::from("tests/fixtures/spec")),
            ..Flags::default()
        };
        let error = resolve(root, &other).expect_err("refused");
        assert!(matches!(error, PathError::HalfPair { .. }), "{error}");
        assert!(error.to_string().contains("give --out too"), "{error}");
        let other_out = Flags {
            out: Some(PathBuf::from("elsewhere")),
            ..Flags::default()
        };
        assert!(resolve(root, &other_out).is_err());
        // The checkout's own, named explicitly (relative to the current directory): fine.
        let own = Flags {
            spec: Some(PathBuf::from("../spec")),
            ..Flags::default()
        };
        let paths = resolve(&root.join("generated"), &own).expect("resolves");
        assert_eq!(paths.out, root.join("generated"));
    }

    #[test]
    fn output_that_is_no_workspace_member_gets_a_workspace_of_its_own() {
        let dir = checkout();
        let root = dir.path();
        assert!(!needs_own_workspace(&root.join("generated")));
        assert!(needs_own_workspace(&root.join("target/out")));
        let outside = tempfile::tempdir().expect("a temporary directory");
        assert!(!needs_own_workspace(&outside.path().join("out")));
        assert!(glob_matches(
            "generated/services/*",
            &["generated".into(), "services".into(), "kms".into()]
        ));
        assert!(!glob_matches("generated/services/*", &["generated".into()]));
    }
}
