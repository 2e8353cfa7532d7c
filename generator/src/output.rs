//! Putting generated files on disk without ever leaving a half-written `generated/`, and
//! comparing them with what is there.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use similar::TextDiff;

use crate::emit::{Files, Layout};

/// The marker every generated file carries near its top.
const MARKER: &[u8] = b"@generated";

/// Top-level entries of the output that are not generated but belong there when the output is
/// built as its own workspace (`--standalone`): its lock file and target directory. They are
/// carried over to the new tree, and neither checked nor compared.
const KEPT: &[&str] = &["Cargo.lock", "target"];

/// The layout for output written to `out` over the runtime crate in `runtime`: the runtime's
/// path relative to `out`, so generated manifests hold no machine path.
pub fn layout(out: &Path, runtime: &Path, standalone: bool) -> io::Result<Layout> {
    Ok(Layout {
        runtime: relative_path(out, runtime)?,
        standalone,
    })
}

/// The path from directory `from` to `to`, with `/` separators (`../runtime`). Both are made
/// absolute, with symbolic links resolved as far as the paths exist.
pub fn relative_path(from: &Path, to: &Path) -> io::Result<String> {
    let from = resolved(from)?;
    let to = resolved(to)?;
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output and the runtime share no root; they must be on one volume",
        ));
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    for component in &to[common..] {
        let part = component.as_os_str().to_str().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the runtime's path is not valid UTF-8",
            )
        })?;
        parts.push(part.to_owned());
    }
    if parts.is_empty() {
        return Ok(".".to_owned());
    }
    Ok(parts.join("/"))
}

/// `path` made absolute: its longest existing ancestor canonicalized (symbolic links
/// resolved), the rest appended with `.` and `..` applied.
fn resolved(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let mut base = loop {
        match existing.canonicalize() {
            Ok(base) => break base,
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = parent;
                }
                // `..` or the root that cannot be canonicalized: take it as it is.
                _ => break existing.to_path_buf(),
            },
        }
    };
    for name in rest.iter().rev() {
        match Path::new(name).components().next() {
            Some(Component::ParentDir) => {
                base.pop();
            }
            Some(Component::CurDir) | None => {}
            Some(_) => base.push(name),
        }
    }
    Ok(base)
}

/// A file in `out` that the generator did not write: replacing `out` would lose it.
fn foreign_file(out: &Path) -> io::Result<Option<String>> {
    for relative in files_on_disk(out)? {
        let mut head = Vec::new();
        fs::File::open(out.join(&relative))?
            .take(512)
            .read_to_end(&mut head)?;
        if !head.windows(MARKER.len()).any(|w| w == MARKER) {
            return Ok(Some(relative));
        }
    }
    Ok(None)
}

/// Writes `files` into a temporary directory beside `out`, then swaps it in (see [`Staging`]).
pub fn write_atomically(out: &Path, files: &Files) -> io::Result<()> {
    let staging = Staging::new(out)?;
    for (relative, content) in files {
        staging.write(relative, content)?;
    }
    staging.commit()
}

/// A new tree for `out`, filled in a temporary directory beside it and swapped in by
/// [`Staging::commit`]. Dropped without a commit, it is removed and `out` is untouched. An
/// `out` holding a file without the `@generated` marker is refused: the whole directory is
/// replaced, and that file would be lost. Only the kept entries, `Cargo.lock` and `target/`,
/// move over to the new tree.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    dir: tempfile::TempDir,
}

impl Staging {
    pub fn new(out: &Path) -> io::Result<Staging> {
        if let Some(foreign) = foreign_file(out)? {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} holds {foreign}, which the generator did not write (no @generated marker); \
                     move it out or choose another --out",
                    out.display()
                ),
            ));
        }
        let parent = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let dir = tempfile::Builder::new()
            .prefix(".generated-staging-")
            .tempdir_in(&parent)?;
        Ok(Staging {
            out: out.to_path_buf(),
            parent,
            dir,
        })
    }

    /// Writes one file of the new tree (`relative` with `/` separators). Callable from
    /// several threads at once.
    pub fn write(&self, relative: &str, content: &str) -> io::Result<()> {
        let path = self.dir.path().join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        // Two files for one path would be a generator bug; never let one overwrite the other.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        io::Write::write_all(&mut file, content.as_bytes())
    }

    /// Swaps the new tree in. The old tree moves into a temporary directory (removed when it
    /// drops), the new one takes its place: between the two renames `out` is briefly absent,
    /// never partial. If a rename fails, the old tree is put back.
    pub fn commit(self) -> io::Result<()> {
        let Staging { out, parent, dir } = self;
        let retired = tempfile::Builder::new()
            .prefix(".generated-old-")
            .tempdir_in(&parent)?;
        let old = retired.path().join("tree");
        let had_previous = out.exists();
        if had_previous {
            fs::rename(&out, &old)?;
        }
        let staged = dir.keep();
        let mut carried = Vec::new();
        let mut result = Ok(());
        for name in KEPT {
            if had_previous && fs::symlink_metadata(old.join(name)).is_ok() {
                result = fs::rename(old.join(name), staged.join(name));
                if result.is_err() {
                    break;
                }
                carried.push(name);
            }
        }
        if result.is_ok() {
            result = fs::rename(&staged, &out);
        }
        if let Err(error) = result {
            for name in carried {
                let _ = fs::rename(staged.join(name), old.join(name));
            }
            let _ = fs::remove_dir_all(&staged);
            if had_previous {
                if let Err(restore) = fs::rename(&old, &out) {
                    // The old tree must not go with the temporary directory: keep it, and say
                    // where it is.
                    let kept = retired.keep().join("tree");
                    return Err(io::Error::new(
                        error.kind(),
                        format!(
                            "{error}; the previous output could not be put back ({restore}) and \
                             is kept at {}",
                            kept.display()
                        ),
                    ));
                }
            }
            return Err(error);
        }
        Ok(())
    }
}

/// Files under `dir`, relative with `/` separators, without the `KEPT` entries.
fn files_on_disk(dir: &Path) -> io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    if !dir.exists() {
        return Ok(found);
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current)? {
            let path = entry?.path();
            if current == dir
                && KEPT
                    .iter()
                    .any(|kept| path.file_name() == Some(kept.as_ref()))
            {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.insert(parts.join("/"));
            }
        }
    }
    Ok(found)
}

/// A unified diff from what is in `out` to `files`; empty when they are identical.
pub fn diff(out: &Path, files: &Files) -> io::Result<String> {
    let on_disk = files_on_disk(out)?;
    let mut all: BTreeSet<&String> = files.keys().collect();
    all.extend(on_disk.iter());
    let mut report = String::new();
    for relative in all {
        let old = if on_disk.contains(relative) {
            fs::read_to_string(out.join(relative))
                .unwrap_or_else(|e| format!("<unreadable: {e}>\n"))
        } else {
            String::new()
        };
        let new = files.get(relative).cloned().unwrap_or_default();
        if old == new {
            continue;
        }
        let old_name = if on_disk.contains(relative) {
            format!("a/{relative}")
        } else {
            "/dev/null".to_owned()
        };
        let new_name = if files.contains_key(relative) {
            format!("b/{relative}")
        } else {
            "/dev/null".to_owned()
        };
        report.push_str(
            &TextDiff::from_lines(&old, &new)
                .unified_diff()
                .context_radius(3)
                .header(&old_name, &new_name)
                .to_string(),
        );
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> BTreeSet<String> {
        fs::read_dir(dir)
            .expect("lists")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    #[test]
    fn a_staging_tree_replaces_out_only_on_commit() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let out = temp.path().join("generated");
        fs::create_dir_all(out.join("src")).expect("creates");
        fs::write(out.join("src/lib.rs"), "// @generated old\n").expect("writes");
        fs::write(out.join("Cargo.lock"), "kept").expect("writes");

        // Filled from several threads, then dropped: nothing changes, nothing is left behind.
        let staging = Staging::new(&out).expect("stages");
        std::thread::scope(|scope| {
            for n in 0..4 {
                let staging = &staging;
                scope.spawn(move || {
                    staging
                        .write(&format!("src/m{n}.rs"), "// @generated new\n")
                        .expect("writes")
                });
            }
        });
        drop(staging);
        assert_eq!(
            entries(temp.path()),
            BTreeSet::from(["generated".to_owned()])
        );
        assert_eq!(
            entries(&out.join("src")),
            BTreeSet::from(["lib.rs".to_owned()])
        );

        // Committed: the new tree, with the kept lock file carried over.
        let staging = Staging::new(&out).expect("stages");
        staging
            .write("src/new.rs", "// @generated new\n")
            .expect("writes");
        staging.commit().expect("commits");
        assert_eq!(
            entries(&out.join("src")),
            BTreeSet::from(["new.rs".to_owned()])
        );
        assert_eq!(
            fs::read_to_string(out.join("Cargo.lock")).expect("reads"),
            "kept"
        );
        assert_eq!(
            entries(temp.path()),
            BTreeSet::from(["generated".to_owned()])
        );
    }

    #[test]
    fn a_foreign_file_in_out_is_never_replaced() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let out = temp.path().join("generated");
        fs::create_dir_all(&out).expect("creates");
        fs::write(out.join("notes.txt"), "mine").expect("writes");
        let error = Staging::new(&out).err().expect("refused");
        assert!(error.to_string().contains("notes.txt"), "{error}");
        assert_eq!(
            entries(temp.path()),
            BTreeSet::from(["generated".to_owned()])
        );
    }

    #[test]
    fn relative_paths_go_up_to_the_common_ancestor() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let root = temp.path();
        fs::create_dir_all(root.join("runtime")).expect("creates");
        fs::create_dir_all(root.join("tests/fixtures")).expect("creates");
        let rel = |from: &str, to: &str| relative_path(&root.join(from), &root.join(to)).ok();
        assert_eq!(rel("generated", "runtime").as_deref(), Some("../runtime"));
        // The output need not exist yet; `.` and `..` are applied.
        assert_eq!(
            rel("tests/fixtures/generated", "runtime").as_deref(),
            Some("../../../runtime")
        );
        assert_eq!(
            rel("tests/./fixtures/../fixtures/generated", "runtime").as_deref(),
            Some("../../../runtime")
        );
        assert_eq!(rel("runtime/out", "runtime").as_deref(), Some(".."));
        assert_eq!(rel("runtime", "runtime").as_deref(), Some("."));
        assert_eq!(rel("a/b", "runtime/x").as_deref(), Some("../../runtime/x"));
    }

    #[cfg(unix)]
    #[test]
    fn relative_paths_see_through_symbolic_links() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let root = temp.path();
        fs::create_dir_all(root.join("real/runtime")).expect("creates");
        std::os::unix::fs::symlink(root.join("real"), root.join("link")).expect("links");
        assert_eq!(
            relative_path(&root.join("link/generated"), &root.join("real/runtime"))
                .expect("relative")
                .as_str(),
            "../runtime"
        );
    }
}
