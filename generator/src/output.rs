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

/// Writes `files` into `out`, touching only what changed (see [`Staging`]).
pub fn write_atomically(out: &Path, files: &Files) -> io::Result<Changes> {
    let staging = Staging::new(out)?;
    for (relative, content) in files {
        staging.write(relative, content)?;
    }
    staging.commit()
}

/// What a generation changed in `out`: files rewritten, added and removed (relative paths),
/// and how many were already as generated and were left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

impl std::fmt::Display for Changes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} changed, {} added, {} removed, {} unchanged",
            self.changed.len(),
            self.added.len(),
            self.removed.len(),
            self.unchanged
        )
    }
}

/// The next state of `out`, prepared beside it and applied by [`Staging::commit`].
///
/// Each file handed to [`Staging::write`] is compared with the one on disk: an identical file is
/// not touched (same inode, same mtime: cargo recompiles nothing, a shell inside `out` stays
/// where it is); a new or different one is written to a staging directory beside `out`.
/// `commit` then moves the old versions of changed and removed files into a backup directory
/// and the staged files into place, all renames within one file system; if any step fails,
/// everything done so far is undone, so `out` is as it was. Dropped without a commit, nothing in
/// `out` changes. An `out` holding a file without the `@generated` marker is refused: a file the
/// specs do not produce is removed, and that one would be lost. `Cargo.lock` and `target/` are
/// never looked at.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    dir: tempfile::TempDir,
    seen: std::sync::Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    written: BTreeSet<String>,
    staged: BTreeSet<String>,
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
            seen: std::sync::Mutex::new(Seen::default()),
        })
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Hands over one file of the new tree (`relative` with `/` separators): staged if it
    /// differs from the one in `out`. Callable from several threads at once.
    pub fn write(&self, relative: &str, content: &str) -> io::Result<()> {
        // Two files for one path would be a generator bug; never let one overwrite the other.
        if !self.seen().written.insert(relative.to_owned()) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{relative} was generated twice"),
            ));
        }
        match fs::read(self.out.join(relative)) {
            Ok(existing) if existing == content.as_bytes() => return Ok(()),
            Ok(_) => {}
            // Missing, or a directory where the file goes: staged (commit makes the room).
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::IsADirectory
                ) => {}
            Err(error) => return Err(error),
        }
        let path = self.dir.path().join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        io::Write::write_all(&mut file, content.as_bytes())?;
        self.seen().staged.insert(relative.to_owned());
        Ok(())
    }

    /// Applies the staged files and removes the files of `out` that were not handed over.
    pub fn commit(self) -> io::Result<Changes> {
        let Staging {
            out,
            parent,
            dir,
            seen,
        } = self;
        let Seen { written, staged } = seen
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let on_disk = files_on_disk(&out)?;
        let mut changes = Changes::default();
        for relative in &written {
            match (staged.contains(relative), on_disk.contains(relative)) {
                (false, _) => changes.unchanged += 1,
                (true, true) => changes.changed.push(relative.clone()),
                (true, false) => changes.added.push(relative.clone()),
            }
        }
        changes.removed = on_disk.difference(&written).cloned().collect();
        if changes.is_empty() {
            return Ok(changes);
        }
        let backup = tempfile::Builder::new()
            .prefix(".generated-old-")
            .tempdir_in(&parent)?;
        let mut moves = Moves::default();
        let applied = (|| -> io::Result<()> {
            for relative in changes.changed.iter().chain(&changes.removed) {
                moves.rename(&out.join(relative), &backup.path().join(relative))?;
            }
            for relative in changes.changed.iter().chain(&changes.added) {
                moves.rename(&dir.path().join(relative), &out.join(relative))?;
            }
            Ok(())
        })();
        if let Err(error) = applied {
            if let Err(undo) = moves.undo() {
                // The old files must not go with the backup directory: keep it, and say where.
                let kept = backup.keep();
                return Err(io::Error::new(
                    error.kind(),
                    format!(
                        "{error}; undoing it failed too ({undo}): the previous files are kept in {}",
                        kept.display()
                    ),
                ));
            }
            return Err(error);
        }
        // Directories the removed files leave empty go too.
        for relative in &changes.removed {
            let mut dir = out.join(relative);
            while dir.pop() && dir != out && fs::remove_dir(&dir).is_ok() {}
        }
        Ok(changes)
    }
}

/// Renames done so far, and the directories created for them, to undo in reverse order.
#[derive(Default)]
struct Moves {
    done: Vec<(PathBuf, PathBuf)>,
    created: Vec<PathBuf>,
}

impl Moves {
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        if let Some(dir) = to.parent() {
            let mut missing = Vec::new();
            let mut ancestor = dir.to_path_buf();
            while !ancestor.exists() {
                missing.push(ancestor.clone());
                if !ancestor.pop() {
                    break;
                }
            }
            fs::create_dir_all(dir)?;
            self.created.extend(missing.into_iter().rev());
        }
        fs::rename(from, to)?;
        self.done.push((from.to_path_buf(), to.to_path_buf()));
        Ok(())
    }

    fn undo(self) -> io::Result<()> {
        let mut result = Ok(());
        for (from, to) in self.done.iter().rev() {
            if let Err(error) = fs::rename(to, from) {
                result = result.and(Err(error));
            }
        }
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        result
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

/// A unified diff from what is in `out` to `files`; empty when they are identical. Paths in
/// its headers are `prefix/<file>` (the output's path from the repository root, so that the
/// diff reads like `git diff`'s).
pub fn diff(out: &Path, files: &Files, prefix: &str) -> io::Result<String> {
    let prefix = prefix.trim_end_matches('/');
    let shown = |relative: &str| {
        if prefix.is_empty() || prefix == "." {
            relative.to_owned()
        } else {
            format!("{prefix}/{relative}")
        }
    };
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
            format!("a/{}", shown(relative))
        } else {
            "/dev/null".to_owned()
        };
        let new_name = if files.contains_key(relative) {
            format!("b/{}", shown(relative))
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

    #[cfg(unix)]
    fn identity(path: &Path) -> (u64, std::time::SystemTime) {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(path).expect("metadata");
        (meta.ino(), meta.modified().expect("mtime"))
    }

    #[cfg(unix)]
    #[test]
    fn only_what_changed_is_touched_and_nothing_without_a_commit() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let out = temp.path().join("generated");
        fs::create_dir_all(out.join("src/old")).expect("creates");
        fs::write(out.join("src/lib.rs"), "// @generated same\n").expect("writes");
        fs::write(out.join("src/changed.rs"), "// @generated old\n").expect("writes");
        fs::write(out.join("src/old/gone.rs"), "// @generated gone\n").expect("writes");
        fs::write(out.join("Cargo.lock"), "kept").expect("writes");
        let same = identity(&out.join("src/lib.rs"));
        let out_dir = identity(&out);

        let files: Vec<(&str, &str)> = vec![
            ("src/lib.rs", "// @generated same\n"),
            ("src/changed.rs", "// @generated new\n"),
            ("src/new/added.rs", "// @generated added\n"),
        ];
        // Filled from several threads, then dropped: nothing changes, nothing is left behind.
        let staging = Staging::new(&out).expect("stages");
        std::thread::scope(|scope| {
            for (path, content) in &files {
                let staging = &staging;
                scope.spawn(move || staging.write(path, content).expect("writes"));
            }
        });
        assert!(staging.write("src/lib.rs", "twice").is_err());
        drop(staging);
        assert_eq!(
            entries(temp.path()),
            BTreeSet::from(["generated".to_owned()])
        );
        assert_eq!(
            fs::read_to_string(out.join("src/changed.rs")).expect("reads"),
            "// @generated old\n"
        );
        assert!(out.join("src/old/gone.rs").exists());

        // Committed: the changed file rewritten, the new one added, the old one removed with
        // its directory; the unchanged file and `out` itself are the same inodes as before.
        let staging = Staging::new(&out).expect("stages");
        for (path, content) in &files {
            staging.write(path, content).expect("writes");
        }
        let changes = staging.commit().expect("commits");
        assert_eq!(
            changes.to_string(),
            "1 changed, 1 added, 1 removed, 1 unchanged"
        );
        assert_eq!(changes.removed, vec!["src/old/gone.rs".to_owned()]);
        assert_eq!(identity(&out.join("src/lib.rs")), same);
        assert_eq!(identity(&out).0, out_dir.0);
        assert_eq!(
            fs::read_to_string(out.join("src/changed.rs")).expect("reads"),
            "// @generated new\n"
        );
        assert_eq!(
            fs::read_to_string(out.join("src/new/added.rs")).expect("reads"),
            "// @generated added\n"
        );
        assert!(!out.join("src/old").exists());
        assert_eq!(
            fs::read_to_string(out.join("Cargo.lock")).expect("reads"),
            "kept"
        );
        assert_eq!(
            entries(temp.path()),
            BTreeSet::from(["generated".to_owned()])
        );

        // Again: nothing to do, nothing touched.
        let changed = identity(&out.join("src/changed.rs"));
        let changes = write_atomically(
            &out,
            &files
                .iter()
                .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
                .collect(),
        )
        .expect("writes");
        assert!(changes.is_empty());
        assert_eq!(changes.unchanged, 3);
        assert_eq!(identity(&out.join("src/changed.rs")), changed);
    }

    #[test]
    fn a_failed_commit_puts_every_file_back() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let out = temp.path().join("generated");
        fs::create_dir_all(out.join("a")).expect("creates");
        fs::create_dir_all(out.join("z/next.rs")).expect("creates");
        fs::write(out.join("a/first.rs"), "// @generated 1\n").expect("writes");
        fs::write(out.join("z/next.rs/inner.rs"), "// @generated 2\n").expect("writes");
        let staging = Staging::new(&out).expect("stages");
        staging
            .write("a/first.rs", "// @generated 1 new\n")
            .expect("writes");
        staging
            .write("z/new.rs", "// @generated 3\n")
            .expect("writes");
        // A file where a directory is: after `a/first.rs` and `z/next.rs/inner.rs` were moved
        // out and `z/new.rs` in, moving the file onto the (now empty) directory fails, even
        // for root.
        staging
            .write("z/next.rs", "// @generated 4\n")
            .expect("writes");
        let error = staging.commit().expect_err("the commit fails");
        assert!(!error.to_string().is_empty());
        assert_eq!(
            fs::read_to_string(out.join("a/first.rs")).expect("reads"),
            "// @generated 1\n"
        );
        assert_eq!(
            fs::read_to_string(out.join("z/next.rs/inner.rs")).expect("reads"),
            "// @generated 2\n"
        );
        assert!(!out.join("z/new.rs").exists());
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
