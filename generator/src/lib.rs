//! The `generator` library: spec files in, the `hwcloud` crates' files out.
//!
//! The pipeline, one module per step:
//! [`spec::load`] reads and deserializes `spec/`, [`validate`] checks what serde cannot,
//! [`ir`] resolves specs into Rust names and types, [`emit`] turns that into formatted files,
//! and [`output`] writes them atomically or diffs them against what is on disk.
//! [`import`] goes the other way round, from reference pages to specs.

pub mod diagnostic;
pub mod emit;
pub mod import;
pub mod ir;
pub mod names;
pub mod output;
pub mod parallel;
pub mod spec;
pub mod template;
pub mod validate;

use std::path::Path;

/// Why a generation run produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{0}")]
    InvalidSpecs(#[from] diagnostic::Diagnostics),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
}

pub use emit::Layout;

/// Loads, validates, resolves and emits: the generated crates' files for the specs in
/// `spec_dir`, laid out as `layout` says ([`output::layout`] computes it for a directory).
pub fn generate(spec_dir: &Path, layout: &Layout) -> Result<emit::Files, GenerateError> {
    let mut specs = spec::load::load(spec_dir)?;
    validate::validate(&specs)?;
    specs.forget_sources();
    let model = ir::resolve(&specs);
    // The specs (their text, values and source maps) are not needed to emit.
    drop(specs);
    Ok(emit::emit(&model, layout)?)
}
