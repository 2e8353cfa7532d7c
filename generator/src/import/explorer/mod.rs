//! `generator import --explorer`: API Explorer definitions (the JSON the official SDKs are
//! generated from) to specs, one per operation, one folder per service.
//!
//! [`discover`] finds the definitions (`schemas/<Service>/src/<Operation>.json`,
//! `<Service>/src/<Operation>.json`, or files), [`plan`] reads them all into memory and works out
//! every file to write, and the caller writes them: a hard error (an unreadable file, invalid
//! JSON) stops the import before anything is written.
//!
//! Each definition is decoded ([`json`]: plain or double-encoded JSON, keys in file order),
//! converted ([`operation`], [`schema`]) into a spec tree, its parameters and form body made
//! to fit the spec format where the definition's shape does not ([`fit`]), given its service
//! ([`service`]: the id rule and the endpoint) and, where a spec exists and `--update` is
//! given, merged into it ([`update`]). The shared back end ([`crate::import::backend`]) orders
//! and writes the YAML and checks examples by the generator's rules. Everything a definition
//! says that the spec does not carry is a [`Warning`] naming the file's JSON path; vendor
//! extensions (`x-*`, API Explorer and gateway metadata) are counted instead.

pub mod fit;
pub mod json;
pub mod operation;
pub mod schema;
pub mod service;
pub mod update;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::import::backend::canonical::{
    canonical, canonical_service, write_checked, write_checked_service,
};
use crate::import::backend::node::{Map, Node};
use crate::import::backend::{spec_file_name, Warning};
use operation::{Converted, Skip};

/// A definition file to import.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// The catalogue folder (`KMS`), when the file sits in `<folder>/src/`.
    pub folder: Option<String>,
    /// The file name (`ListSupportRegions.json`).
    pub file: String,
    pub path: PathBuf,
}

/// What stops an import before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for HardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: error: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for HardError {}

fn hard(path: &Path, message: impl Into<String>) -> HardError {
    HardError {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The definitions under `paths`: a `.json` file, a folder holding `schemas/`, a catalogue
/// folder holding `<Service>/src/`, or a service folder holding `src/`. Sorted by folder and
/// file name.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Input>, HardError> {
    let mut found: BTreeSet<Input> = BTreeSet::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|e| hard(path, format!("cannot read: {e}")))?;
        if meta.is_file() {
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| hard(path, "not a file name"))?;
            let parent = path.parent();
            let folder = match parent.and_then(|p| p.file_name()) {
                Some(src) if src == "src" => parent
                    .and_then(Path::parent)
                    .and_then(Path::file_name)
                    .map(|n| n.to_string_lossy().into_owned()),
                _ => None,
            };
            found.insert(Input {
                folder,
                file,
                path: path.clone(),
            });
            continue;
        }
        let before = found.len();
        let root = if path.join("schemas").is_dir() {
            path.join("schemas")
        } else {
            path.clone()
        };
        if root.join("src").is_dir() {
            let folder = root
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
            service_files(&root.join("src"), folder, &mut found)?;
        } else {
            for entry in sorted_entries(&root)? {
                if entry.join("src").is_dir() {
                    let folder = entry.file_name().map(|n| n.to_string_lossy().into_owned());
                    service_files(&entry.join("src"), folder, &mut found)?;
                }
            }
        }
        if found.len() == before {
            return Err(hard(
                path,
                "no definitions here (expected schemas/<Service>/src/<Operation>.json, <Service>/src/<Operation>.json or src/<Operation>.json)",
            ));
        }
    }
    Ok(found.into_iter().collect())
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, HardError> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| hard(dir, format!("cannot read the folder: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

fn service_files(
    src: &Path,
    folder: Option<String>,
    found: &mut BTreeSet<Input>,
) -> Result<(), HardError> {
    for file in sorted_entries(src)? {
        if file.extension().is_some_and(|e| e == "json") && file.is_file() {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.insert(Input {
                folder: folder.clone(),
                file: name,
                path: file,
            });
        }
    }
    Ok(())
}

/// What the import is told.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The service id for every input (instead of the rule in [`service`]).
    pub service: Option<String>,
    /// Merge into existing specs instead of skipping them.
    pub update: bool,
}

/// What became of one definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// A spec was created.
    Created(PathBuf),
    /// An existing spec was updated (its text changed).
    Updated(PathBuf),
    /// An existing spec was merged with and stays as it was.
    Unchanged(PathBuf),
    /// No spec: the reason (counted in the summary) and a detail.
    Skipped { reason: String, detail: String },
}

/// One definition's report.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// `<Service>/src/<Operation>.json`.
    pub definition: String,
    pub outcome: FileOutcome,
    pub warnings: Vec<Warning>,
}

/// Everything an import would write, and what it has to say.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub files: Vec<FileReport>,
    /// Files to write (specs and new `service.yaml`s), in path order.
    pub writes: Vec<(PathBuf, String)>,
    /// New `service.yaml`s among the writes.
    pub new_services: Vec<PathBuf>,
    /// Vendor extension keys left out, counted over all definitions.
    pub ignored: BTreeMap<String, usize>,
}

impl Plan {
    /// Operations with a spec written or kept.
    pub fn imported(&self) -> usize {
        self.files
            .iter()
            .filter(|f| !matches!(f.outcome, FileOutcome::Skipped { .. }))
            .count()
    }

    /// Skipped definitions by reason.
    pub fn skipped(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for f in &self.files {
            if let FileOutcome::Skipped { reason, .. } = &f.outcome {
                *out.entry(reason.clone()).or_insert(0) += 1;
            }
        }
        out
    }

    /// Warnings by kind.
    pub fn warning_kinds(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for f in &self.files {
            for w in &f.warnings {
                *out.entry(w.kind.clone()).or_insert(0) += 1;
            }
        }
        out
    }

    /// The end-of-run summary as JSON (`--summary-json`), keys sorted:
    /// `{"imported": N, "skipped_total": N, "skipped": {reason: N}, "warnings_total": N,
    /// "warnings": {kind: N}, "vendor_extensions": N}`. The catalogue bench reads exactly these.
    pub fn summary_json(&self) -> String {
        let skipped = self.skipped();
        let warnings = self.warning_kinds();
        let value = serde_json::json!({
            "imported": self.imported(),
            "skipped_total": skipped.values().sum::<usize>(),
            "skipped": skipped,
            "warnings_total": warnings.values().sum::<usize>(),
            "warnings": warnings,
            "vendor_extensions": self.ignored.values().sum::<usize>(),
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A converted definition, written as YAML already (without `host`, which depends on the
/// service): the spec trees of a whole catalogue would take several times the memory.
struct Prepared {
    name: String,
    host: Option<String>,
    host_label: Option<String>,
    /// The spec without `host`, or why it could not be written.
    text: Result<String, String>,
    warnings: Vec<Warning>,
    ignored: BTreeMap<String, usize>,
    op_at: String,
}

impl Prepared {
    fn new(c: Converted, definition: &str) -> Prepared {
        let mut spec = c.spec;
        if let Some(Node::Map(source)) = spec.get_mut("source") {
            source.set_str("definition", definition);
        }
        canonical(&mut spec);
        Prepared {
            name: c.name,
            host: c.host,
            host_label: c.host_label,
            text: write_checked(&spec),
            warnings: c.warnings,
            ignored: c.ignored,
            op_at: c.op_at,
        }
    }
}

/// The spec text with `host: <host>` after its `path` line (where the canonical order puts it).
fn with_host(text: &str, host: &str) -> String {
    let mut line = Map::new();
    line.set_str("host", host);
    let host_line = crate::import::backend::yaml::to_yaml(&line, false);
    let mut out = String::with_capacity(text.len() + host_line.len());
    let mut done = false;
    for l in text.split_inclusive('\n') {
        out.push_str(l);
        if !done && l.starts_with("path:") {
            out.push_str(&host_line);
            done = true;
        }
    }
    out
}

/// One definition after reading.
struct Read {
    input: Input,
    /// `<folder>/src/<file>`.
    definition: String,
    folder: String,
    result: Result<Prepared, Skip>,
    /// Warnings about the file itself (double encoding).
    file_warnings: Vec<Warning>,
}

/// Reads and converts one file.
fn read_one(input: &Input, service: Option<&str>) -> Result<Read, HardError> {
    let bytes =
        fs::read(&input.path).map_err(|e| hard(&input.path, format!("cannot read: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|e| hard(&input.path, format!("not UTF-8 text: {e}")))?;
    let decoded = json::decode(&text).map_err(|e| hard(&input.path, e))?;
    let mut file_warnings = Vec::new();
    if decoded.string_levels > 0 {
        file_warnings.push(Warning::at_path(
            "$",
            "double-encoded",
            format!(
                "the file is a JSON string holding the definition ({} level{}); read through",
                decoded.string_levels,
                if decoded.string_levels == 1 { "" } else { "s" }
            ),
        ));
    }
    let result = operation::convert(&decoded.value);
    drop(decoded);
    let folder = match (&input.folder, service, &result) {
        (Some(f), _, _) => f.clone(),
        (None, _, Ok(c)) if c.product.is_some() => c.product.clone().unwrap_or_default(),
        (None, Some(s), _) => s.to_string(),
        (None, None, _) => {
            return Err(hard(
                &input.path,
                "cannot tell the service: the file is not in <Service>/src/ and has no product_short; give --service",
            ))
        }
    };
    let definition = format!("{folder}/src/{}", input.file);
    Ok(Read {
        result: result.map(|c| Prepared::new(c, &definition)),
        definition,
        folder,
        input: input.clone(),
        file_warnings,
    })
}

/// Reads every input, on as many threads as there are cores (the order stays the inputs').
fn read_all(inputs: &[Input], service: Option<&str>) -> Result<Vec<Read>, HardError> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = inputs.len().div_ceil(threads).max(1);
    let results: Vec<Result<Vec<Read>, HardError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|i| read_one(i, service))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(HardError {
                        path: PathBuf::new(),
                        message: "internal error: a reader thread failed".into(),
                    })
                })
            })
            .collect()
    });
    let mut out = Vec::with_capacity(inputs.len());
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

/// The most frequent of `items` (ties: the smallest).
fn majority<'a>(items: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for i in items {
        *counts.entry(i).or_insert(0) += 1;
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(k, _)| k.to_string())
}

/// An existing spec of a service folder.
#[derive(Debug, Clone)]
struct Existing {
    path: PathBuf,
    text: String,
    operation: Option<String>,
    definition: Option<String>,
}

/// The specs in a service folder (files that do not read as YAML are left to the generator).
fn existing_specs(dir: &Path) -> Result<Vec<Existing>, HardError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for path in sorted_entries(dir)? {
        if path.extension().is_none_or(|e| e != "yaml")
            || path.file_name().is_some_and(|n| n == "service.yaml")
        {
            continue;
        }
        let text =
            fs::read_to_string(&path).map_err(|e| hard(&path, format!("cannot read: {e}")))?;
        let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
            continue;
        };
        out.push(Existing {
            operation: value["operation"].as_str().map(str::to_string),
            definition: value["source"]["definition"].as_str().map(str::to_string),
            path,
            text,
        });
    }
    Ok(out)
}

/// A service as the import sees it.
struct ServicePlan {
    id: String,
    folder: String,
    endpoint: String,
    /// The `service.yaml` text when it is new.
    new_file: Option<String>,
    schemas: Map,
    existing: Vec<Existing>,
}

/// Reads every input and works out the files to write (see the module documentation).
pub fn plan(inputs: &[Input], into: &Path, options: &Options) -> Result<Plan, HardError> {
    if let Some(id) = &options.service {
        if !service::valid_id(id) {
            return Err(hard(
                Path::new(id),
                "--service must be lower case letters, digits and `-`",
            ));
        }
    }
    let reads = read_all(inputs, options.service.as_deref())?;
    let folders: BTreeSet<&str> = reads.iter().map(|r| r.folder.as_str()).collect();
    if options.service.is_some() && folders.len() > 1 {
        return Err(hard(
            into,
            format!(
                "--service names one service, but the definitions come from {} catalogue folders ({})",
                folders.len(),
                folders.iter().copied().collect::<Vec<_>>().join(", ")
            ),
        ));
    }

    // Service ids, one per folder.
    let mut id_of: BTreeMap<String, String> = BTreeMap::new();
    for folder in &folders {
        let id = match &options.service {
            Some(s) => s.clone(),
            None => {
                let ids: Vec<String> = reads
                    .iter()
                    .filter(|r| r.folder == *folder)
                    .filter_map(|r| r.result.as_ref().ok())
                    .map(|c| service::service_id(folder, c.host_label.as_deref()))
                    .collect();
                majority(ids.iter().map(String::as_str))
                    .unwrap_or_else(|| service::folder_id(folder))
            }
        };
        id_of.insert(folder.to_string(), id);
    }
    let mut folder_of: BTreeMap<&str, &str> = BTreeMap::new();
    for (folder, id) in &id_of {
        if !service::valid_id(id) {
            return Err(hard(
                Path::new(folder),
                format!("catalogue folder {folder} gives the service id `{id}`, which is not lower case letters, digits and `-`; give --service"),
            ));
        }
        if let Some(other) = folder_of.insert(id.as_str(), folder.as_str()) {
            return Err(hard(
                Path::new(folder),
                format!("catalogue folders {other} and {folder} both give the service id `{id}`; import them separately with --service"),
            ));
        }
    }

    // Services: endpoint, existing files.
    let mut services: BTreeMap<String, ServicePlan> = BTreeMap::new();
    for (folder, id) in &id_of {
        let dir = into.join(id);
        let service_yaml = dir.join("service.yaml");
        let (endpoint, schemas, new_file) = match fs::read_to_string(&service_yaml) {
            Ok(text) => {
                let m = update::read_map(&text)
                    .map_err(|e| hard(&service_yaml, format!("cannot read: {e}")))?;
                let endpoint = m.get_str("endpoint").unwrap_or("").to_string();
                (
                    endpoint,
                    m.get_map("schemas").cloned().unwrap_or_default(),
                    None,
                )
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let hosts: Vec<&str> = reads
                    .iter()
                    .filter(|r| r.folder == *folder)
                    .filter_map(|r| r.result.as_ref().ok())
                    .filter_map(|c| c.host.as_deref())
                    .collect();
                let endpoint = majority(hosts.into_iter())
                    .unwrap_or_else(|| format!("{id}.{{region}}.myhuaweicloud.com"));
                let mut m = Map::new();
                m.set_str("service", id.clone());
                m.set_str("title", folder.clone());
                m.set_str("endpoint", endpoint.clone());
                canonical_service(&mut m);
                let text = write_checked_service(&m)
                    .map_err(|e| hard(&service_yaml, format!("internal error: {e}")))?;
                (endpoint, Map::new(), Some(text))
            }
            Err(e) => return Err(hard(&service_yaml, format!("cannot read: {e}"))),
        };
        services.insert(
            folder.clone(),
            ServicePlan {
                id: id.clone(),
                folder: folder.clone(),
                endpoint,
                new_file,
                schemas,
                existing: existing_specs(&dir)?,
            },
        );
    }

    // One spec file per operation name: a name given twice in a folder keeps the file whose
    // name is the operation's (then the first in file order).
    let mut winner: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, r) in reads.iter().enumerate() {
        let Ok(c) = &r.result else { continue };
        let key = (r.folder.clone(), spec_file_name(&c.name));
        let stem_matches = |k: usize| {
            reads.get(k).is_some_and(|x| {
                x.result
                    .as_ref()
                    .is_ok_and(|c| x.input.file.strip_suffix(".json") == Some(c.name.as_str()))
            })
        };
        match winner.get(&key) {
            Some(&w) if stem_matches(w) || !stem_matches(i) => {}
            _ => {
                winner.insert(key, i);
            }
        }
    }

    let mut out = Plan::default();
    let mut used_services: BTreeSet<String> = BTreeSet::new();
    let mut claimed: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (i, r) in reads.into_iter().enumerate() {
        let mut warnings = r.file_warnings;
        let converted = match r.result {
            Err(skip) => {
                out.files.push(FileReport {
                    definition: r.definition,
                    outcome: FileOutcome::Skipped {
                        reason: skip.reason(),
                        detail: String::new(),
                    },
                    warnings,
                });
                continue;
            }
            Ok(c) => c,
        };
        for (k, n) in &converted.ignored {
            *out.ignored.entry(k.clone()).or_insert(0) += n;
        }
        warnings.extend(converted.warnings);
        let Some(svc) = services.get(&r.folder) else {
            continue;
        };
        let file_name = spec_file_name(&converted.name);
        let key = (r.folder.clone(), file_name.clone());
        if winner.get(&key) != Some(&i) {
            let kept = winner
                .get(&key)
                .map(|_| file_name.clone())
                .unwrap_or_default();
            out.files.push(FileReport {
                definition: r.definition,
                outcome: FileOutcome::Skipped {
                    reason: "duplicate operation name in the service".into(),
                    detail: format!(
                        "another definition of {} gives {}/{kept}",
                        converted.name, svc.id
                    ),
                },
                warnings,
            });
            continue;
        }
        let base_text = match converted.text {
            Ok(t) => t,
            Err(message) => {
                out.files.push(FileReport {
                    definition: r.definition,
                    outcome: FileOutcome::Skipped {
                        reason: "internal error: the spec does not read back".into(),
                        detail: message,
                    },
                    warnings,
                });
                continue;
            }
        };
        let host = converted.host.as_deref().filter(|h| *h != svc.endpoint);
        let dir = into.join(&svc.id);
        let existing = svc
            .existing
            .iter()
            .find(|e| e.definition.as_deref() == Some(r.definition.as_str()))
            .or_else(|| {
                svc.existing
                    .iter()
                    .find(|e| e.operation.as_deref() == Some(converted.name.as_str()))
            });
        let (target, text, existed) = match existing {
            Some(e) if !options.update => {
                out.files.push(FileReport {
                    definition: r.definition,
                    outcome: FileOutcome::Skipped {
                        reason: "a spec exists (--update merges into it)".into(),
                        detail: e.path.display().to_string(),
                    },
                    warnings,
                });
                continue;
            }
            Some(e) => {
                let old = update::read_map(&e.text).map_err(|message| {
                    hard(&e.path, format!("cannot read the existing spec: {message}"))
                })?;
                let mut spec = update::read_map(&base_text)
                    .map_err(|message| hard(&r.input.path, format!("internal error: {message}")))?;
                if let Some(h) = host {
                    spec.set_str("host", h);
                    canonical(&mut spec);
                }
                let (mut merged, more) =
                    update::merge(&old, &spec, &r.definition, &svc.schemas, &converted.op_at);
                warnings.extend(more);
                canonical(&mut merged);
                (e.path.clone(), write_checked(&merged), Some(e.text.clone()))
            }
            None => {
                let target = dir.join(&file_name);
                if target.exists() {
                    out.files.push(FileReport {
                        definition: r.definition,
                        outcome: FileOutcome::Skipped {
                            reason:
                                "a file of that name exists and is not a spec of this operation"
                                    .into(),
                            detail: target.display().to_string(),
                        },
                        warnings,
                    });
                    continue;
                }
                let text = match host {
                    Some(h) => with_host(&base_text, h),
                    None => base_text,
                };
                (target, Ok(text), None)
            }
        };
        let text = match text {
            Ok(t) => t,
            Err(message) => {
                out.files.push(FileReport {
                    definition: r.definition,
                    outcome: FileOutcome::Skipped {
                        reason: "internal error: the spec does not read back".into(),
                        detail: message,
                    },
                    warnings,
                });
                continue;
            }
        };
        if let Some(other) = claimed.insert(target.clone(), r.definition.clone()) {
            out.files.push(FileReport {
                definition: r.definition,
                outcome: FileOutcome::Skipped {
                    reason: "duplicate operation name in the service".into(),
                    detail: format!("{} also gives {}", other, target.display()),
                },
                warnings,
            });
            continue;
        }
        used_services.insert(svc.folder.clone());
        let outcome = match existed {
            Some(old) if old == text => FileOutcome::Unchanged(target.clone()),
            Some(_) => FileOutcome::Updated(target.clone()),
            None => FileOutcome::Created(target.clone()),
        };
        if !matches!(outcome, FileOutcome::Unchanged(_)) {
            out.writes.push((target, text));
        }
        out.files.push(FileReport {
            definition: r.definition,
            outcome,
            warnings,
        });
    }
    for folder in &used_services {
        if let Some(svc) = services.get(folder) {
            if let Some(text) = &svc.new_file {
                let path = into.join(&svc.id).join("service.yaml");
                out.new_services.push(path.clone());
                out.writes.push((path, text.clone()));
            }
        }
    }
    out.writes.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Writes a plan's files (creating folders). Nothing is written when the plan came from a
/// failed import: [`plan`] returns an error instead.
pub fn write(plan: &Plan) -> Result<(), HardError> {
    for (path, text) in &plan.writes {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| hard(dir, format!("cannot create: {e}")))?;
        }
        fs::write(path, text).map_err(|e| hard(path, format!("cannot write: {e}")))?;
    }
    Ok(())
}
