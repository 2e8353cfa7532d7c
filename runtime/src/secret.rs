//! A redacting wrapper for secret strings (secret keys, security tokens, IAM tokens).

use std::fmt;

/// A secret string whose `Debug` and `Display` output is always `***`.
///
/// Use [`Secret::expose`] to read the value where it is really needed (signing,
/// building the authentication header). The value is never logged by this crate.
///
/// ```
/// use hwcloud_runtime::Secret;
/// let sk = Secret::new("my-secret-key");
/// assert_eq!(format!("{sk:?} {sk}"), "*** ***");
/// assert_eq!(sk.expose(), "my-secret-key");
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Returns the secret value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Returns true when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{:#?}", Some(&s)), "Some(\n    ***,\n)");
        assert_eq!(s.expose(), "hunter2");
        assert!(!s.is_empty());
    }
}
