//! The back end the readers share: the spec tree ([`node`]), its canonical key order and
//! checked YAML text ([`canonical`], [`yaml`]), warnings ([`Warning`]), merging a new import into
//! an existing spec ([`merge`]), and finding the spec an import updates ([`existing`]).
//!
//! A reader (the reference page reader in [`super::page`]) turns its source into a
//! [`node::Map`] in the shape of `spec/README.md` and hands it to this module to be merged,
//! ordered and written.

pub mod canonical;
pub mod compare;
pub mod example;
pub mod existing;
pub mod merge;
pub mod node;
pub mod yaml;

pub use existing::{find_spec_for_document, FindSpecError};

use std::fmt;

/// A remark about the source: something it says that the spec does not carry (or carries
/// differently). A page's warning names its 1-based `line` (0 when it is not about one line);
/// a definition's names the JSON `path` inside the file (`$.paths./v1/x.get.parameters[3]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON path inside a definition; empty for a page.
    pub path: String,
    /// What kind of element it is about (`header-dropped`, `example-mismatch`, ...): counted by
    /// the CLI's summary. Empty for a page.
    pub kind: String,
    /// The page's 1-based line; 0 when not about one line (and for a definition).
    pub line: usize,
    pub message: String,
}

impl Warning {
    /// A warning about the element at `path` of a definition.
    pub fn at_path(
        path: impl Into<String>,
        kind: impl Into<String>,
        message: impl Into<String>,
    ) -> Warning {
        Warning {
            path: path.into(),
            kind: kind.into(),
            line: 0,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: {}", self.path, self.message)
        } else if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

/// `ListSupportRegions` -> `list_support_regions.yaml`: the file name the generator expects
/// for an operation (see `validate.rs`).
pub fn spec_file_name(operation: &str) -> String {
    format!(
        "{}.yaml",
        crate::names::bare(&crate::names::snake(operation))
    )
}
