//! The `generator` library: spec files in, the `hwcloud` crates' files out.
//!
//! The pipeline, one module per step:
//! [`spec::load`] reads and deserializes `spec/`, [`validate`] checks what serde cannot,
//! [`ir`] resolves specs into Rust names and types, [`emit`] turns that into formatted files,
//! and [`output`] writes them atomically or diffs them against what is on disk.
//! [`import`] goes the other way round, from reference pages to specs.

pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod import;
pub mod ir;
pub mod names;
pub mod output;
pub mod parallel;
pub mod spec;
pub mod template;
pub mod validate;
pub mod workspace;

use std::path::Path;

/// Why a generation run produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{0}")]
    InvalidSpecs(#[from] diagnostic::Diagnostics),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    #[error("cannot write {}: {error}", path.display())]
    Write {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
}

pub use emit::Layout;

/// Loads, validates, resolves and emits: the generated crates' files for the specs in
/// `spec_dir`, laid out as `layout` says ([`output::layout`] computes it for a directory).
/// [`generate_with_warnings`] also returns what was accepted with a remark.
pub fn generate(spec_dir: &Path, layout: &Layout) -> Result<emit::Files, GenerateError> {
    generate_with_warnings(spec_dir, layout).map(|generated| generated.files)
}

/// A successful generation: the files, and the warnings to show (see
/// [`diagnostic::warning_summary`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub files: emit::Files,
    /// Accepted with a remark: examples that contradict their schema but carry an
    /// `example_note`, stale notes, operations without a documented success. Sorted by file
    /// and position.
    pub warnings: Vec<diagnostic::Warning>,
}

/// [`generate`], with the warnings.
pub fn generate_with_warnings(
    spec_dir: &Path,
    layout: &Layout,
) -> Result<Generated, GenerateError> {
    let (model, warnings) = resolved(spec_dir)?;
    Ok(Generated {
        files: emit::emit(&model, layout)?,
        warnings,
    })
}

/// What [`generate_into`] did: the files it changed, added and removed, and the warnings to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub changes: output::Changes,
    pub warnings: Vec<diagnostic::Warning>,
}

/// [`generate_with_warnings`] straight to disk: each file is compared with the one in `out` as
/// soon as it is emitted (so the whole output is never held in memory), a different one is
/// staged, and the staged files go into `out` only when every file is emitted
/// ([`output::Staging`]); files that did not change are not touched. On any error `out` is left
/// as it was.
pub fn generate_into(
    spec_dir: &Path,
    out: &Path,
    layout: &Layout,
) -> Result<Written, GenerateError> {
    let (model, warnings) = resolved(spec_dir)?;
    let failed = |error| GenerateError::Write {
        path: out.to_path_buf(),
        error,
    };
    let staging = output::Staging::new(out).map_err(failed)?;
    emit::emit_each(&model, layout, |path, content| {
        staging.write(path, &content)
    })?;
    drop(model);
    let changes = staging.commit().map_err(failed)?;
    Ok(Written { changes, warnings })
}

/// The resolved model of the specs in `spec_dir` (what [`diff`] compares).
pub fn model(spec_dir: &Path) -> Result<ir::CrateModel, GenerateError> {
    resolved(spec_dir).map(|(model, _)| model)
}

/// The specs in `spec_dir` loaded, validated and resolved.
fn resolved(spec_dir: &Path) -> Result<(ir::CrateModel, Vec<diagnostic::Warning>), GenerateError> {
    let specs = spec::load::load(spec_dir)?;
    let warnings = validate::check(&specs)?;
    let model = ir::resolve(specs);
    Ok((model, warnings))
}
