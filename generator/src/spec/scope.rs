//! What a `$ref` can reach: the operation's own named schemas, then the service's.

use indexmap::IndexMap;

use super::model::Schema;

/// The named schemas visible from one operation (or, with an empty `local`, from the
/// service file itself).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub local: &'a IndexMap<String, Schema>,
    pub shared: &'a IndexMap<String, Schema>,
}

impl<'a> Scope<'a> {
    pub fn get(&self, name: &str) -> Option<&'a Schema> {
        self.local.get(name).or_else(|| self.shared.get(name))
    }

    /// Follows `$ref`s to the schema that has a `type`. `None` when a reference dangles or
    /// loops (validation reports both).
    pub fn resolve(&self, schema: &'a Schema) -> Option<&'a Schema> {
        let mut current = schema;
        for _ in 0..64 {
            match &current.reference {
                Some(name) => current = self.get(name)?,
                None => return Some(current),
            }
        }
        None
    }
}
