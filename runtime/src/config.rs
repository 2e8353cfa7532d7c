//! Client configuration: region, project, credentials, endpoints, timeouts, retries.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::credentials::Credentials;
use crate::endpoint;
use crate::error::Error;
use crate::retry::RetryPolicy;

/// Environment variable holding the access key ID.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable holding the secret access key.
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable holding the security token of temporary credentials.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Environment variable holding the project ID.
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// Environment variable holding the region.
pub const ENV_REGION: &str = "HUAWEICLOUD_SDK_REGION";
/// Environment variable holding an endpoint override for every service (a test server, a
/// private endpoint); `HUAWEICLOUD_SDK_ENDPOINT_<SERVICE>` (`..._KMS`, `..._GAUSSDB_NOSQL`)
/// sets one service's, and wins.
pub const ENV_ENDPOINT: &str = "HUAWEICLOUD_SDK_ENDPOINT";

/// Default connect timeout (10 s).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default read timeout (30 s).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default overall per-attempt timeout (60 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default cap on response body size (10 MiB); see
/// [`ConfigBuilder::max_response_bytes`].
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;
/// Default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("hwcloud-rust-sdk/", env!("CARGO_PKG_VERSION"));

/// Validated client configuration; build with [`Config::builder`] or [`Config::from_env`].
///
/// `Debug` never shows the secret key or tokens (and endpoint URLs cannot carry a user
/// name or password: [`ConfigBuilder::build`] refuses them).
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) project_id: Option<String>,
    pub(crate) credentials: Credentials,
    pub(crate) endpoint_override: Option<String>,
    pub(crate) service_endpoints: BTreeMap<String, String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: String,
    pub(crate) max_response_bytes: usize,
}

impl Config {
    /// Starts an empty builder.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder pre-filled from the `HUAWEICLOUD_SDK_*` environment variables
    /// ([`ENV_AK`], [`ENV_SK`], [`ENV_SECURITY_TOKEN`], [`ENV_PROJECT_ID`], [`ENV_REGION`],
    /// [`ENV_ENDPOINT`] and the per-service `HUAWEICLOUD_SDK_ENDPOINT_<SERVICE>`), so that a
    /// program written for the cloud runs unchanged against a test server.
    pub fn builder_from_env() -> ConfigBuilder {
        let mut builder = ConfigBuilder::from_lookup(|name| std::env::var(name).ok());
        let prefix = format!("{ENV_ENDPOINT}_");
        for (name, value) in std::env::vars() {
            if let Some(service) = name.strip_prefix(&prefix) {
                if !value.trim().is_empty() {
                    let id = service.to_ascii_lowercase().replace('_', "-");
                    builder = builder.service_endpoint(id, value.trim());
                }
            }
        }
        builder
    }

    /// `Config::builder_from_env().build()`.
    pub fn from_env() -> Result<Config, Error> {
        Config::builder_from_env().build()
    }

    /// The region, if configured.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The project ID, if configured.
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The endpoint override applying to all services, if any.
    pub fn endpoint_override(&self) -> Option<&str> {
        self.endpoint_override.as_deref()
    }

    /// The endpoint override for service `id`, if any.
    pub fn service_endpoint(&self, id: &str) -> Option<&str> {
        self.service_endpoints.get(id).map(String::as_str)
    }

    /// What endpoint resolution reads ([`endpoint::resolve`]).
    pub fn endpoints(&self) -> endpoint::Endpoints<'_> {
        endpoint::Endpoints {
            region: self.region.as_deref(),
            all: self.endpoint_override.as_deref(),
            per_service: &self.service_endpoints,
        }
    }

    /// Connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Read timeout (maximum idle time between reads).
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// Overall timeout of one attempt (connect, send and read the whole response). A
    /// retry's timeout is cut to what is left of [`RetryPolicy::max_elapsed`], so a call
    /// returns within `max(timeout, max_elapsed)`.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The `User-Agent` header value.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The largest response body that is read (bigger ones fail with
    /// [`Error::ResponseTooLarge`]).
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

/// Builder for [`Config`]. All setters take and return `self`.
///
/// `Debug` never shows the secret key or tokens, nor a user name or password in an
/// endpoint URL.
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    project_id: Option<String>,
    credentials: Option<Credentials>,
    endpoint_override: Option<String>,
    service_endpoints: BTreeMap<String, String>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    user_agent: Option<String>,
    max_response_bytes: Option<usize>,
    /// Which credential variable the environment lacked while it had the other (for `build`'s
    /// message).
    missing_env: Option<&'static str>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Destructured so that a new field cannot be forgotten here.
        let ConfigBuilder {
            region,
            project_id,
            credentials,
            endpoint_override,
            service_endpoints,
            connect_timeout,
            read_timeout,
            timeout,
            retry,
            user_agent,
            max_response_bytes,
            missing_env: _,
        } = self;
        // Endpoint URLs are not validated yet and may carry a password.
        let service_endpoints: BTreeMap<&str, String> = service_endpoints
            .iter()
            .map(|(id, url)| (id.as_str(), endpoint::redact_url(url)))
            .collect();
        f.debug_struct("ConfigBuilder")
            .field("region", region)
            .field("project_id", project_id)
            .field("credentials", credentials)
            .field(
                "endpoint_override",
                &endpoint_override.as_deref().map(endpoint::redact_url),
            )
            .field("service_endpoints", &service_endpoints)
            .field("connect_timeout", connect_timeout)
            .field("read_timeout", read_timeout)
            .field("timeout", timeout)
            .field("retry", retry)
            .field("user_agent", user_agent)
            .field("max_response_bytes", max_response_bytes)
            .finish()
    }
}

impl ConfigBuilder {
    /// A builder pre-filled from `HUAWEICLOUD_SDK_*` variables read through `lookup`
    /// (name -> value). Empty values count as unset. AK and SK are used only when both
    /// are set. [`Config::builder_from_env`] uses the process environment; tests can pass
    /// a closure over a map instead.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> ConfigBuilder {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut b = ConfigBuilder::default();
        match (get(ENV_AK), get(ENV_SK)) {
            (Some(ak), Some(sk)) => {
                let mut creds = Credentials::aksk(ak.trim(), sk);
                if let Some(token) = get(ENV_SECURITY_TOKEN) {
                    creds = creds.with_security_token(token);
                }
                b.credentials = Some(creds);
            }
            (Some(_), None) => b.missing_env = Some(ENV_SK),
            (None, Some(_)) => b.missing_env = Some(ENV_AK),
            (None, None) => {}
        }
        b.project_id = get(ENV_PROJECT_ID).map(|v| v.trim().to_owned());
        b.region = get(ENV_REGION).map(|v| v.trim().to_owned());
        b.endpoint_override = get(ENV_ENDPOINT).map(|v| v.trim().to_owned());
        b
    }

    /// Region, e.g. `cn-north-4` (lower-case letters, digits and `-`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Project ID: fills `{project_id}` in paths and is sent as `X-Project-Id`.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// Credentials (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sends every service's requests to `url` (e.g. `http://127.0.0.1:8080`).
    pub fn endpoint_override(mut self, url: impl Into<String>) -> Self {
        self.endpoint_override = Some(url.into());
        self
    }

    /// Sends service `id`'s requests (e.g. `kms`) to `url`; wins over
    /// [`ConfigBuilder::endpoint_override`].
    pub fn service_endpoint(mut self, id: impl Into<String>, url: impl Into<String>) -> Self {
        self.service_endpoints.insert(id.into(), url.into());
        self
    }

    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }

    /// Read timeout (default 30 s).
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = Some(d);
        self
    }

    /// Overall timeout of one attempt: connect, send and read the whole response
    /// (default 60 s). A retry's timeout is cut to what is left of
    /// [`RetryPolicy::max_elapsed`]; see [`RetryPolicy`] for the resulting bound.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// `User-Agent` header value.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Largest response body read, in bytes (default 10 MiB,
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Validates and builds the config. Fails with `InvalidInput` when credentials are
    /// missing or invalid, no region (and no endpoint override) is given, the region or
    /// project ID is malformed, an override URL is not an `http`/`https` URL with a host
    /// and without user name, password, query or fragment, a timeout is zero, or the user
    /// agent is not a valid header value. No error message quotes a user name or password
    /// given in an override URL.
    pub fn build(self) -> Result<Config, Error> {
        let invalid = |m: String| Error::InvalidInput(m);
        let missing_env = self.missing_env;
        let credentials = self.credentials.ok_or_else(|| {
            invalid(match missing_env {
                Some(missing) => format!(
                    "credentials are required: {missing} is not set (or empty) while {} is",
                    if missing == ENV_SK { ENV_AK } else { ENV_SK }
                ),
                None => format!("credentials are required (or set {ENV_AK} and {ENV_SK})"),
            })
        })?;
        credentials.validate().map_err(invalid)?;
        if let Some(region) = &self.region {
            if !endpoint::is_valid_region(region) {
                return Err(invalid(format!(
                    "invalid region {region:?}: expected lower-case letters, digits and '-'"
                )));
            }
        } else if self.endpoint_override.is_none() && self.service_endpoints.is_empty() {
            return Err(invalid(format!(
                "a region is required (or set {ENV_REGION}, or an endpoint override)"
            )));
        }
        if let Some(pid) = &self.project_id {
            if pid.is_empty()
                || pid.len() > 128
                || !pid
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(invalid(format!(
                    "invalid project ID {pid:?}: expected ASCII letters, digits, '-' or '_'"
                )));
            }
        }
        let endpoint_override = self
            .endpoint_override
            .as_deref()
            .map(endpoint::validate_override)
            .transpose()
            .map_err(invalid)?;
        let mut service_endpoints = BTreeMap::new();
        for (id, url) in self.service_endpoints {
            let url = endpoint::validate_override(&url)
                .map_err(|m| invalid(format!("service {id:?}: {m}")))?;
            service_endpoints.insert(id, url);
        }
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let read_timeout = self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT);
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if connect_timeout.is_zero() || read_timeout.is_zero() || timeout.is_zero() {
            return Err(invalid("timeouts must be greater than zero".into()));
        }
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| DEFAULT_USER_AGENT.to_owned());
        if user_agent.is_empty() || !crate::operation::valid_header_value(&user_agent) {
            return Err(invalid("user agent is not a valid header value".into()));
        }
        let mut retry = self.retry.unwrap_or_default();
        retry.max_attempts = retry.max_attempts.max(1);
        Ok(Config {
            region: self.region,
            project_id: self.project_id,
            credentials,
            endpoint_override,
            service_endpoints,
            connect_timeout,
            read_timeout,
            timeout,
            retry,
            user_agent,
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn from_lookup_full() {
        let c = ConfigBuilder::from_lookup(lookup(&[
            (ENV_AK, "ENVAK"),
            (ENV_SK, "ENVSECRET"),
            (ENV_SECURITY_TOKEN, "ENVTOKEN"),
            (ENV_PROJECT_ID, "0123456789abcdef0123456789abcdef"),
            (ENV_REGION, "cn-north-4"),
        ]))
        .build()
        .unwrap();
        assert_eq!(c.region(), Some("cn-north-4"));
        assert_eq!(c.project_id(), Some("0123456789abcdef0123456789abcdef"));
        assert_eq!(c.credentials().access_key(), Some("ENVAK"));
        assert!(matches!(
            c.credentials().kind(),
            crate::credentials::Kind::AkSk { security_token: Some(t), sk, .. }
                if t.expose() == "ENVTOKEN" && sk.expose() == "ENVSECRET"
        ));
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("ENVSECRET") && !dbg.contains("ENVTOKEN"));
    }

    #[test]
    fn the_endpoint_override_comes_from_the_environment() {
        let b = ConfigBuilder::from_lookup(lookup(&[
            (ENV_AK, "a"),
            (ENV_SK, "s"),
            (ENV_ENDPOINT, " http://127.0.0.1:8080 "),
        ]));
        let config = b.build().expect("no region needed with an override");
        assert_eq!(config.endpoint_override(), Some("http://127.0.0.1:8080"));
    }

    #[test]
    fn a_missing_credential_variable_is_named() {
        let only_ak = ConfigBuilder::from_lookup(lookup(&[(ENV_AK, "a"), (ENV_REGION, "r")]));
        let err = only_ak.build().unwrap_err().to_string();
        assert!(err.contains(&format!("{ENV_SK} is not set")), "{err}");
        let only_sk = ConfigBuilder::from_lookup(lookup(&[(ENV_SK, "s"), (ENV_REGION, "r")]));
        let err = only_sk.build().unwrap_err().to_string();
        assert!(err.contains(&format!("{ENV_AK} is not set")), "{err}");
        let neither = ConfigBuilder::from_lookup(lookup(&[(ENV_REGION, "r")]));
        let err = neither.build().unwrap_err().to_string();
        assert!(err.contains("credentials are required (or set"), "{err}");
    }

    #[test]
    fn from_lookup_partial_and_adjustable() {
        // Missing SK: no credentials, build fails until the caller adds them.
        let b = ConfigBuilder::from_lookup(lookup(&[(ENV_AK, "a"), (ENV_REGION, "cn-north-4")]));
        assert!(b.clone().build().is_err());
        let c = b.credentials(Credentials::token("t")).build().unwrap();
        assert_eq!(c.region(), Some("cn-north-4"));
        // Empty values count as unset.
        let b =
            ConfigBuilder::from_lookup(lookup(&[(ENV_AK, "a"), (ENV_SK, "s"), (ENV_REGION, "")]));
        assert!(b.build().unwrap_err().to_string().contains("region"));
    }

    #[test]
    fn defaults() {
        let c = Config::builder()
            .region("cn-north-4")
            .credentials(Credentials::aksk("a", "s"))
            .build()
            .unwrap();
        assert_eq!(c.connect_timeout(), DEFAULT_CONNECT_TIMEOUT);
        assert_eq!(c.read_timeout(), DEFAULT_READ_TIMEOUT);
        assert_eq!(c.timeout(), DEFAULT_TIMEOUT);
        assert_eq!(c.retry(), &RetryPolicy::default());
        assert_eq!(c.user_agent(), DEFAULT_USER_AGENT);
        assert_eq!(c.project_id(), None);
    }

    #[test]
    fn validation_errors() {
        let ok = || {
            Config::builder()
                .region("cn-north-4")
                .credentials(Credentials::aksk("a", "s"))
        };
        assert!(Config::builder().region("cn-north-4").build().is_err());
        assert!(Config::builder()
            .credentials(Credentials::aksk("a", "s"))
            .build()
            .is_err());
        assert!(ok().project_id("../x").build().is_err());
        assert!(ok().project_id("").build().is_err());
        assert!(ok().timeout(Duration::ZERO).build().is_err());
        assert!(ok().user_agent("x\r\ny").build().is_err());
        assert!(ok().endpoint_override("file:///etc").build().is_err());
        assert!(ok().service_endpoint("kms", "nope").build().is_err());
        assert!(ok().build().is_ok());
    }
}
