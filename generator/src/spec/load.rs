//! Walks a spec directory and deserializes every file, keeping each file's text and node
//! positions for later error messages.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::locate::{Position, SourceMap};
use super::model::{CrateFile, OperationFile, ServiceFile};
use crate::diagnostic::Diagnostics;

/// A spec file that was read and indexed.
#[derive(Debug)]
pub struct SourceFile<T> {
    /// The path to show in errors.
    pub display: String,
    /// The path relative to the spec directory, with `/` separators (stable across machines).
    pub relative: String,
    pub map: SourceMap,
    pub content: T,
}

impl<T> SourceFile<T> {
    pub fn position(&self, path: &[super::locate::Segment]) -> Position {
        self.map.position(path)
    }
}

/// One service folder.
#[derive(Debug)]
pub struct ServiceDir {
    pub folder: String,
    pub service: SourceFile<ServiceFile>,
    pub operations: Vec<SourceFile<OperationFile>>,
}

/// The whole spec directory.
#[derive(Debug)]
pub struct SpecSet {
    pub krate: SourceFile<CrateFile>,
    pub services: Vec<ServiceDir>,
}

/// A parsed file of a service folder.
enum Parsed {
    Service(Box<SourceFile<ServiceFile>>),
    Operation(Box<SourceFile<OperationFile>>),
}

/// Reads every spec under `root`, the files in parallel. All problems are collected, not just
/// the first.
pub fn load(root: &Path) -> Result<SpecSet, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let root_display = root.display().to_string();

    let krate = read_file::<CrateFile>(root, "crate.yaml", &mut diagnostics);

    let mut folders = Vec::new();
    match fs::read_dir(root) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.path().is_dir() {
                    if !name.starts_with('.') {
                        folders.push(name);
                    }
                } else if (name.ends_with(".yaml") || name.ends_with(".yml"))
                    && name != "crate.yaml"
                {
                    diagnostics.push(
                        &display(root, &name),
                        Position::START,
                        "an operation spec belongs in its service's folder (spec/<service>/), not at the spec root",
                    );
                }
            }
        }
        Err(error) => diagnostics.push(
            &root_display,
            Position::START,
            format!("cannot read the spec directory: {error}"),
        ),
    }
    folders.sort();

    // The files are listed first, then read and parsed in parallel.
    let mut listed = Vec::new();
    for folder in folders {
        let service_path = format!("{folder}/service.yaml");
        if !root.join(&service_path).is_file() {
            diagnostics.push(
                &display(root, &folder),
                Position::START,
                "a service folder needs a service.yaml (service id, title, endpoint)",
            );
            continue;
        }
        let operations: Vec<String> = yaml_files(&root.join(&folder), &mut diagnostics)
            .into_iter()
            .filter(|name| name != "service.yaml")
            .map(|name| format!("{folder}/{name}"))
            .collect();
        listed.push((folder, service_path, operations));
    }
    let jobs: Vec<(&str, bool)> = listed
        .iter()
        .flat_map(|(_, service, operations)| {
            std::iter::once((service.as_str(), true))
                .chain(operations.iter().map(|path| (path.as_str(), false)))
        })
        .collect();
    let mut parsed = crate::parallel::map(&jobs, |&(relative, is_service)| {
        let mut found = Diagnostics::default();
        let file = if is_service {
            read_file::<ServiceFile>(root, relative, &mut found)
                .map(|file| Parsed::Service(Box::new(file)))
        } else {
            read_file::<OperationFile>(root, relative, &mut found)
                .map(|file| Parsed::Operation(Box::new(file)))
        };
        (file, found)
    })
    .into_iter();

    let mut services = Vec::new();
    for (folder, _, operation_paths) in listed {
        let mut next = || {
            let (file, found) = parsed.next()?;
            diagnostics.0.extend(found.0);
            Some(file)
        };
        let service = match next().flatten() {
            Some(Parsed::Service(service)) => Some(*service),
            _ => None,
        };
        let mut operations = Vec::new();
        for _ in &operation_paths {
            if let Some(Parsed::Operation(operation)) = next().flatten() {
                operations.push(*operation);
            }
        }
        if let Some(service) = service {
            services.push(ServiceDir {
                folder,
                service,
                operations,
            });
        }
    }

    match krate {
        Some(krate) => diagnostics.into_result(SpecSet { krate, services }),
        None => Err(diagnostics),
    }
}

fn display(root: &Path, relative: &str) -> String {
    let path: PathBuf = root.join(relative);
    path.display().to_string()
}

fn yaml_files(dir: &Path, diagnostics: &mut Diagnostics) -> Vec<String> {
    let mut names = Vec::new();
    match fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".yaml") || name.ends_with(".yml") {
                    names.push(name);
                }
            }
        }
        Err(error) => diagnostics.push(
            &dir.display().to_string(),
            Position::START,
            format!("cannot read the directory: {error}"),
        ),
    }
    names.sort();
    names
}

fn read_file<T: DeserializeOwned>(
    root: &Path,
    relative: &str,
    diagnostics: &mut Diagnostics,
) -> Option<SourceFile<T>> {
    let shown = display(root, relative);
    let text = match fs::read_to_string(root.join(relative)) {
        Ok(text) => text,
        Err(error) => {
            diagnostics.push(
                &shown,
                Position::START,
                format!("cannot read the file: {error}"),
            );
            return None;
        }
    };
    let map = SourceMap::for_file(&text, root.join(relative));
    for (path, position) in &map.duplicate_keys {
        let key = match path.last() {
            Some(super::locate::Segment::Key(key)) => key.as_str(),
            _ => "?",
        };
        diagnostics.push(&shown, *position, format!("duplicate key `{key}`"));
    }
    let content = match serde_yaml::from_str::<T>(&text) {
        Ok(content) => content,
        // serde reports a duplicate field without a position; the source map has it already.
        Err(_) if !map.duplicate_keys.is_empty() => return None,
        Err(error) => {
            let position = error
                .location()
                .map(|location| Position {
                    line: location.line(),
                    column: location.column(),
                })
                .unwrap_or(Position::START);
            diagnostics.push(&shown, position, yaml_message(&error));
            return None;
        }
    };
    Some(SourceFile {
        display: shown,
        relative: relative.to_owned(),
        map,
        content,
    })
}

/// serde_yaml's message without the position it appends (we print the position in front).
fn yaml_message(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    match message.find(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    }
}
