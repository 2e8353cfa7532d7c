//! Finding the spec that a page updates: the one whose `source.document` names the page.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Why the spec of a page could not be found.
#[derive(Debug)]
pub enum FindSpecError {
    /// The directory could not be read.
    Io(io::Error),
    /// More than one spec names the page; an update would have to guess.
    Ambiguous {
        document: String,
        paths: Vec<PathBuf>,
    },
}

impl fmt::Display for FindSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FindSpecError::Io(e) => write!(f, "{e}"),
            FindSpecError::Ambiguous { document, paths } => write!(
                f,
                "{} specs have `source.document: {document}`, so the one to update is ambiguous: {}",
                paths.len(),
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl std::error::Error for FindSpecError {}

impl From<io::Error> for FindSpecError {
    fn from(e: io::Error) -> Self {
        FindSpecError::Io(e)
    }
}

/// The spec under `dir` (searched recursively) whose `source.document` is `document`; an
/// error naming them all when more than one spec has it. Files that do not parse are skipped:
/// the generator reports those.
pub fn find_spec_for_document(
    dir: &Path,
    document: &str,
) -> Result<Option<PathBuf>, FindSpecError> {
    let mut found = Vec::new();
    collect(dir, document, &mut found)?;
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(FindSpecError::Ambiguous {
            document: document.to_string(),
            paths: found,
        }),
    }
}

/// Every spec under `dir` naming `document`, in sorted path order.
fn collect(dir: &Path, document: &str, found: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, document, found)?;
        } else if path.extension().is_some_and(|ext| ext == "yaml") {
            let Ok(text) = fs::read_to_string(&path) else {
                continue;
            };
            let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
                continue;
            };
            if value["source"]["document"].as_str() == Some(document) {
                found.push(path);
            }
        }
    }
    Ok(())
}
