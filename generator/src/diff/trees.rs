//! The two spec trees `generator diff` compares: a directory as it is, or the spec folder of a
//! git revision, unpacked into a temporary directory.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A spec tree on disk; a revision's is removed when this drops.
pub struct Tree {
    pub spec: PathBuf,
    /// What the tree is, for the report: the directory, or `rev (commit)`.
    pub label: String,
    _temp: Option<tempfile::TempDir>,
}

/// `what` as a spec tree: a directory if one exists there, else a git revision of `checkout`
/// whose `spec_in_repo` folder (relative to the repository root) is unpacked.
pub fn open(what: &str, checkout: &Path, spec_in_repo: &Path) -> Result<Tree, String> {
    let dir = Path::new(what);
    if dir.is_dir() {
        return Ok(Tree {
            spec: dir.to_path_buf(),
            label: what.to_owned(),
            _temp: None,
        });
    }
    let commit = git(
        checkout,
        &["rev-parse", "--verify", &format!("{what}^{{commit}}")],
    )
    .map_err(|e| format!("`{what}` is neither a directory nor a git revision: {e}"))?;
    let temp = tempfile::tempdir().map_err(|e| format!("a temporary directory: {e}"))?;
    let archive = temp.path().join("spec.tar");
    let spec_arg = spec_in_repo.to_string_lossy().replace('\\', "/");
    git(
        checkout,
        &[
            "archive",
            "--format=tar",
            "-o",
            &archive.to_string_lossy(),
            &commit,
            "--",
            &spec_arg,
        ],
    )
    .map_err(|e| format!("{spec_arg} at {what}: {e}"))?;
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(temp.path())
        .status()
        .map_err(|e| format!("running tar: {e}"))?;
    if !status.success() {
        return Err(format!("unpacking {spec_arg} at {what} failed"));
    }
    Ok(Tree {
        spec: temp.path().join(spec_in_repo),
        label: format!("{what} ({})", commit.get(..12).unwrap_or(&commit)),
        _temp: Some(temp),
    })
}

/// The default base: where the current branch left `main` (`git merge-base HEAD main`).
pub fn merge_base(checkout: &Path) -> Result<String, String> {
    git(checkout, &["merge-base", "HEAD", "main"])
        .map_err(|e| format!("no merge base with main ({e}); give --base DIR|REV"))
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
