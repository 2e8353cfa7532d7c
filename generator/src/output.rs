//! Putting generated files on disk without ever leaving a half-written `generated/`, and
//! comparing them with what is there.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::emit::Files;

/// The marker every generated file carries near its top.
const MARKER: &[u8] = b"@generated";

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

/// Writes `files` into a temporary directory beside `out`, then swaps it in. If anything fails
/// before the swap, `out` is untouched. An `out` holding a file without the `@generated`
/// marker is refused: the whole directory is replaced, and that file would be lost.
pub fn write_atomically(out: &Path, files: &Files) -> io::Result<()> {
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
    let staging = tempfile::Builder::new()
        .prefix(".generated-staging-")
        .tempdir_in(&parent)?;
    for (relative, content) in files {
        let path = staging.path().join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, content)?;
    }
    // The old tree moves into a temporary directory (removed when it drops), the new one takes
    // its place. Between the two renames `out` is briefly absent, never partial.
    let retired = tempfile::Builder::new()
        .prefix(".generated-old-")
        .tempdir_in(&parent)?;
    let had_previous = out.exists();
    if had_previous {
        fs::rename(out, retired.path().join("tree"))?;
    }
    let staged = staging.keep();
    if let Err(error) = fs::rename(&staged, out) {
        if had_previous {
            let _ = fs::rename(retired.path().join("tree"), out);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(error);
    }
    Ok(())
}

/// Files under `dir`, relative with `/` separators.
fn files_on_disk(dir: &Path) -> io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    if !dir.exists() {
        return Ok(found);
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current)? {
            let path = entry?.path();
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
