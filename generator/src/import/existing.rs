//! Finding the spec that a page updates: the one whose `source.document` names the page.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The spec under `dir` (searched recursively, in sorted order) whose `source.document` is
/// `document`. Files that do not parse are skipped: the generator reports those.
pub fn find_spec_for_document(dir: &Path, document: &str) -> io::Result<Option<PathBuf>> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if let Some(found) = find_spec_for_document(&path, document)? {
                return Ok(Some(found));
            }
        } else if path.extension().is_some_and(|ext| ext == "yaml") {
            let Ok(text) = fs::read_to_string(&path) else {
                continue;
            };
            let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
                continue;
            };
            if value["source"]["document"].as_str() == Some(document) {
                return Ok(Some(path));
            }
        }
    }
    Ok(None)
}
