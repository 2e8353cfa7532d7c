//! Credentials: AK/SK (optionally with a temporary security token) or an IAM token.

use std::fmt;

use crate::secret::Secret;

/// How requests are authenticated.
///
/// * [`Credentials::aksk`]: every request is signed with SDK-HMAC-SHA256
///   (see [`crate::signer`]); [`Credentials::with_security_token`] adds the
///   `X-Security-Token` header (temporary AK/SK), which is signed too.
/// * [`Credentials::token`]: an IAM token sent as `X-Auth-Token`; no signing.
///
/// `Debug` shows the access key ID but never the secret key or tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    kind: Kind,
}

#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    AkSk {
        ak: String,
        sk: Secret,
        security_token: Option<Secret>,
    },
    Token(Secret),
}

impl Credentials {
    /// Permanent (or temporary, see [`Credentials::with_security_token`]) access key ID and secret access key.
    pub fn aksk(ak: impl Into<String>, sk: impl Into<Secret>) -> Self {
        Credentials {
            kind: Kind::AkSk {
                ak: ak.into(),
                sk: sk.into(),
                security_token: None,
            },
        }
    }

    /// An IAM token, sent as `X-Auth-Token`; requests are not signed.
    pub fn token(iam_token: impl Into<Secret>) -> Self {
        Credentials {
            kind: Kind::Token(iam_token.into()),
        }
    }

    /// Adds the security token of temporary AK/SK credentials (sent, and signed, as
    /// `X-Security-Token`). Has no effect on [`Credentials::token`] credentials.
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        if let Kind::AkSk { security_token, .. } = &mut self.kind {
            *security_token = Some(token.into());
        }
        self
    }

    /// The access key ID, for AK/SK credentials.
    pub fn access_key(&self) -> Option<&str> {
        match &self.kind {
            Kind::AkSk { ak, .. } => Some(ak),
            Kind::Token(_) => None,
        }
    }

    /// True for AK/SK credentials (requests are signed).
    pub fn is_aksk(&self) -> bool {
        matches!(self.kind, Kind::AkSk { .. })
    }

    pub(crate) fn kind(&self) -> &Kind {
        &self.kind
    }

    pub(crate) fn validate(&self) -> Result<(), String> {
        match &self.kind {
            Kind::AkSk {
                ak,
                sk,
                security_token,
            } => {
                if ak.trim().is_empty() {
                    return Err("access key (AK) is empty".into());
                }
                if sk.expose().is_empty() {
                    return Err("secret key (SK) is empty".into());
                }
                if !crate::operation::valid_header_value(ak) {
                    return Err("access key (AK) contains invalid characters".into());
                }
                if let Some(t) = security_token {
                    if t.is_empty() || !crate::operation::valid_header_value(t.expose()) {
                        return Err("security token is empty or contains invalid characters".into());
                    }
                }
                Ok(())
            }
            Kind::Token(t) => {
                if t.is_empty() || !crate::operation::valid_header_value(t.expose()) {
                    Err("IAM token is empty or contains invalid characters".into())
                } else {
                    Ok(())
                }
            }
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::AkSk {
                ak, security_token, ..
            } => f
                .debug_struct("Credentials::AkSk")
                .field("ak", ak)
                .field("sk", &"***")
                .field("security_token", &security_token.as_ref().map(|_| "***"))
                .finish(),
            Kind::Token(_) => f
                .debug_struct("Credentials::Token")
                .field("token", &"***")
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let c = Credentials::aksk("MYAK", "MYSECRETKEY").with_security_token("MYSTSTOKEN");
        let d = format!("{c:?} {c:#?}");
        assert!(d.contains("MYAK"));
        assert!(!d.contains("MYSECRETKEY"));
        assert!(!d.contains("MYSTSTOKEN"));
        let t = Credentials::token("MYIAMTOKEN");
        assert!(!format!("{t:?}").contains("MYIAMTOKEN"));
        assert_eq!(t.access_key(), None);
        assert_eq!(c.access_key(), Some("MYAK"));
    }

    #[test]
    fn validation() {
        assert!(Credentials::aksk("", "x").validate().is_err());
        assert!(Credentials::aksk("a", "").validate().is_err());
        assert!(Credentials::aksk("a", "b")
            .with_security_token("t\r\nx")
            .validate()
            .is_err());
        assert!(Credentials::token("").validate().is_err());
        assert!(Credentials::aksk("a", "b").validate().is_ok());
    }
}
