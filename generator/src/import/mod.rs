//! `generator import`: specs from what Huawei Cloud publishes, read by readers over one back
//! end.
//!
//! * [`page`] reads an API reference page (plain text) into one operation spec;
//! * [`backend`] is what readers share: the spec tree, canonical key order and checked YAML,
//!   warnings, merging into an existing spec, finding the spec an import updates.

pub mod backend;
pub mod explorer;
pub mod page;

pub use backend::{
    find_spec_for_document, merge, node, spec_file_name, yaml, FindSpecError, Warning,
};
pub use page::{import_page, ImportError, ImportOptions, Imported};
