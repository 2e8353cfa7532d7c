//! Endpoint resolution: per-service override, global override, or the regional default.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::operation::{OperationSpec, ServiceSpec};

/// What resolution reads of the configuration ([`crate::Config::endpoints`]): this module
/// knows nothing of `Config`, which depends on it for validation.
#[derive(Debug, Clone, Copy)]
pub struct Endpoints<'a> {
    /// The configured region.
    pub region: Option<&'a str>,
    /// The override for every service.
    pub all: Option<&'a str>,
    /// Overrides by service id.
    pub per_service: &'a BTreeMap<String, String>,
}

/// Regions whose endpoints live under `myhuaweicloud.eu` instead of `myhuaweicloud.com`.
const EU_REGIONS: &[&str] = &["eu-west-101"];

/// True when `region` is a syntactically valid region name: non-empty, at most 64
/// characters of lower-case ASCII letters, digits and `-`, not starting or ending with `-`.
/// (This keeps a region from injecting anything into the endpoint host.)
pub fn is_valid_region(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 64
        && !region.starts_with('-')
        && !region.ends_with('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The default endpoint of `service` in `region`: `https://` + the service's endpoint
/// template with `{region}` replaced (e.g. `https://kms.cn-north-4.myhuaweicloud.com`);
/// for `eu-west-101` the `myhuaweicloud.com` domain becomes `myhuaweicloud.eu`. A global
/// service's template has no `{region}` and is used as is.
pub fn default_endpoint(service: &ServiceSpec, region: &str) -> Result<String, String> {
    host_endpoint(service.endpoint, Some(region), service.id)
}

/// The default endpoint for a host template: `https://` + `pattern` with `{region}`
/// replaced by `region` (see [`default_endpoint`]). A template without `{region}` (a
/// global service, such as IAM's `iam.myhuaweicloud.com`) needs no region; one with it
/// fails when `region` is `None` (`service` names the service in that message).
pub fn host_endpoint(pattern: &str, region: Option<&str>, service: &str) -> Result<String, String> {
    if !pattern.contains("{region}") {
        return Ok(format!("https://{pattern}"));
    }
    let Some(region) = region else {
        return Err(format!(
            "no region configured and no endpoint override for service {service}"
        ));
    };
    if !is_valid_region(region) {
        return Err(format!("invalid region name {region:?}"));
    }
    let mut host = pattern.replace("{region}", region);
    if EU_REGIONS.contains(&region) {
        if let Some(prefix) = host.strip_suffix(".myhuaweicloud.com") {
            host = format!("{prefix}.myhuaweicloud.eu");
        }
    }
    Ok(format!("https://{host}"))
}

/// The endpoint (scheme, host, optional port and path prefix) used for `service`:
/// the per-service override if configured, else the global override, else
/// [`default_endpoint`] for the configured region.
pub fn resolve(service: &ServiceSpec, config: &Endpoints<'_>) -> Result<String, String> {
    resolve_host(service, service.endpoint, config).map(Cow::into_owned)
}

/// The endpoint used for `operation`: as [`resolve`] for its service, except that an
/// operation with its own `host` template uses it instead of the service's `endpoint`
/// (the per-service and global overrides still win).
pub fn resolve_operation(
    operation: &OperationSpec,
    config: &Endpoints<'_>,
) -> Result<String, String> {
    operation_endpoint(operation, config).map(Cow::into_owned)
}

/// [`resolve_operation`], borrowing an override rather than copying it (the client's path).
pub(crate) fn operation_endpoint<'a>(
    operation: &OperationSpec,
    config: &Endpoints<'a>,
) -> Result<Cow<'a, str>, String> {
    let pattern = operation.host.unwrap_or(operation.service.endpoint);
    resolve_host(operation.service, pattern, config)
}

fn resolve_host<'a>(
    service: &ServiceSpec,
    pattern: &str,
    config: &Endpoints<'a>,
) -> Result<Cow<'a, str>, String> {
    if let Some(url) = config.per_service.get(service.id) {
        return Ok(Cow::Borrowed(url));
    }
    if let Some(url) = config.all {
        return Ok(Cow::Borrowed(url));
    }
    host_endpoint(pattern, config.region, service.id).map(Cow::Owned)
}

/// Validates an endpoint override: an absolute `http`/`https` URL with a host and no
/// credentials, query or fragment. Returns it without a trailing `/`.
///
/// Messages never quote `url` as given: it may carry a password. Credentials are
/// checked first, and later messages show the URL without its user name and password.
pub(crate) fn validate_override(url: &str) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| {
        format!(
            "invalid endpoint URL {:?}: {e}; expected an absolute URL such as \
             https://kms.cn-north-4.myhuaweicloud.com or http://127.0.0.1:8080",
            redact_url(url)
        )
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("endpoint URL must not contain credentials (a user name or password)".into());
    }
    // Quoted without the parts that can carry a secret (see `redact_url`).
    let shown = format!(" {:?}", redact_url(url));
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "endpoint URL{shown} must use http or https, such as \
             https://kms.cn-north-4.myhuaweicloud.com or http://127.0.0.1:8080"
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("endpoint URL{shown} has no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "endpoint URL{shown} must not have a query or fragment"
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// An endpoint URL as given (possibly invalid) without the parts that can carry a secret: the
/// user name and password, the query and the fragment are replaced by `***`. For messages and
/// `Debug` output.
pub(crate) fn redact_url(url: &str) -> String {
    let url = redact_userinfo(url);
    match url.find(['?', '#']) {
        Some(at) => format!("{}{}***", &url[..at], &url[at..at + 1]),
        None => url,
    }
}

/// An endpoint URL as given (possibly invalid) with any user name and password replaced
/// by `***`.
///
/// A URL that parses with an authority is redacted exactly; anything else that contains
/// an `@` loses everything before its last `@` (after any `scheme://`), which may hide
/// more than the credentials but never less.
pub(crate) fn redact_userinfo(url: &str) -> String {
    if let Ok(mut parsed) = reqwest::Url::parse(url) {
        if parsed.has_host() {
            if parsed.username().is_empty() && parsed.password().is_none() {
                return url.to_owned();
            }
            if parsed.set_password(None).is_ok() && parsed.set_username("***").is_ok() {
                return parsed.into();
            }
        }
    }
    let authority = url.find("://").map_or(0, |i| i + 3);
    match url.rfind('@') {
        Some(at) if at >= authority => format!("{}***{}", &url[..authority], &url[at..]),
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Credentials};

    static KMS: ServiceSpec = ServiceSpec {
        id: "kms",
        endpoint: "kms.{region}.myhuaweicloud.com",
    };
    static ECS: ServiceSpec = ServiceSpec {
        id: "ecs",
        endpoint: "ecs.{region}.myhuaweicloud.com",
    };

    fn builder() -> crate::ConfigBuilder {
        Config::builder().credentials(Credentials::aksk("ak", "sk"))
    }

    #[test]
    fn regional_default() {
        let c = builder().region("cn-north-4").build().unwrap();
        assert_eq!(
            resolve(&KMS, &c.endpoints()).unwrap(),
            "https://kms.cn-north-4.myhuaweicloud.com"
        );
    }

    #[test]
    fn eu_region() {
        let c = builder().region("eu-west-101").build().unwrap();
        assert_eq!(
            resolve(&KMS, &c.endpoints()).unwrap(),
            "https://kms.eu-west-101.myhuaweicloud.eu"
        );
        assert_eq!(
            default_endpoint(&ECS, "eu-west-0").unwrap(),
            "https://ecs.eu-west-0.myhuaweicloud.com"
        );
    }

    #[test]
    fn overrides() {
        let c = builder()
            .region("cn-north-4")
            .endpoint_override("http://127.0.0.1:8080/")
            .service_endpoint("kms", "http://127.0.0.1:9090/prefix")
            .build()
            .unwrap();
        assert_eq!(
            resolve(&KMS, &c.endpoints()).unwrap(),
            "http://127.0.0.1:9090/prefix"
        );
        assert_eq!(
            resolve(&ECS, &c.endpoints()).unwrap(),
            "http://127.0.0.1:8080"
        );
        // An override alone is enough, even without a region.
        let c = builder()
            .endpoint_override("http://localhost:1")
            .build()
            .unwrap();
        assert_eq!(resolve(&ECS, &c.endpoints()).unwrap(), "http://localhost:1");
        let c = builder()
            .service_endpoint("kms", "http://localhost:1")
            .build()
            .unwrap();
        assert!(resolve(&ECS, &c.endpoints()).is_err());
    }

    static IAM: ServiceSpec = ServiceSpec {
        id: "iam",
        endpoint: "iam.myhuaweicloud.com",
    };

    fn operation(service: &'static ServiceSpec, host: Option<&'static str>) -> OperationSpec {
        OperationSpec {
            name: "Op",
            service,
            host,
            method: crate::Method::Get,
            path: "/",
            retry_safe: false,
            success_status: 200,
            redirect_success: &[],
            error_statuses: &[],
            default_error: false,
            project_id_length: None,
            example_response: None,
        }
    }

    #[test]
    fn global_services_and_operation_hosts() {
        // A global service needs no region, and ignores the EU rule. (A config without a
        // region needs some override to build; this one is for another service.)
        let no_region = builder()
            .service_endpoint("other", "http://127.0.0.1:1")
            .build()
            .unwrap();
        assert_eq!(
            resolve(&IAM, &no_region.endpoints()).unwrap(),
            "https://iam.myhuaweicloud.com"
        );
        let eu = builder().region("eu-west-101").build().unwrap();
        assert_eq!(
            resolve(&IAM, &eu.endpoints()).unwrap(),
            "https://iam.myhuaweicloud.com"
        );
        assert!(resolve(&KMS, &no_region.endpoints()).is_err());

        // An operation's own host replaces its service's, with or without a region.
        let c = builder().region("cn-north-4").build().unwrap();
        let upload = operation(&KMS, Some("kms-upload.{region}.myhuaweicloud.com"));
        assert_eq!(
            resolve_operation(&upload, &c.endpoints()).unwrap(),
            "https://kms-upload.cn-north-4.myhuaweicloud.com"
        );
        assert_eq!(
            resolve_operation(&upload, &eu.endpoints()).unwrap(),
            "https://kms-upload.eu-west-101.myhuaweicloud.eu"
        );
        let global = operation(&KMS, Some("kms-global.myhuaweicloud.com"));
        assert_eq!(
            resolve_operation(&global, &no_region.endpoints()).unwrap(),
            "https://kms-global.myhuaweicloud.com"
        );
        assert_eq!(
            resolve_operation(&operation(&KMS, None), &c.endpoints()).unwrap(),
            "https://kms.cn-north-4.myhuaweicloud.com"
        );
        assert!(resolve_operation(&upload, &no_region.endpoints())
            .unwrap_err()
            .contains("service kms"));

        // Both overrides still win over an operation's host.
        let per_service = builder()
            .service_endpoint("kms", "http://127.0.0.1:9")
            .build()
            .unwrap();
        assert_eq!(
            resolve_operation(&global, &per_service.endpoints()).unwrap(),
            "http://127.0.0.1:9"
        );
        let everything = builder()
            .endpoint_override("http://127.0.0.1:8")
            .build()
            .unwrap();
        assert_eq!(
            resolve_operation(&upload, &everything.endpoints()).unwrap(),
            "http://127.0.0.1:8"
        );
        assert_eq!(
            resolve(&IAM, &everything.endpoints()).unwrap(),
            "http://127.0.0.1:8"
        );
    }

    #[test]
    fn region_validation() {
        for bad in [
            "",
            "CN-north-4",
            "cn-north-4.evil.com",
            "a/b",
            "x@y",
            "-a",
            "a b",
            "cn-north-4#",
        ] {
            assert!(!is_valid_region(bad), "{bad}");
            assert!(default_endpoint(&KMS, bad).is_err());
            assert!(builder().region(bad).build().is_err(), "{bad}");
        }
        assert!(is_valid_region("ap-southeast-1"));
    }

    #[test]
    fn override_validation() {
        for bad in [
            "ftp://x",
            "not a url",
            "http://x/?q=1",
            "http://u:p@x",
            "http://x/#f",
        ] {
            assert!(validate_override(bad).is_err(), "{bad}");
        }
        assert_eq!(
            validate_override("https://example.com/").unwrap(),
            "https://example.com"
        );
        // Credentials are reported first, and no message quotes the URL as given.
        let err = validate_override("https://admin:S3cretPw@host/?x=1").unwrap_err();
        assert!(
            err.contains("credentials") && !err.contains("S3cretPw"),
            "{err}"
        );
        let err = validate_override("http://host/?x=1").unwrap_err();
        assert_eq!(
            err,
            r#"endpoint URL "http://host/?***" must not have a query or fragment"#
        );
        let err = validate_override("http://admin:S3cretPw@host:port/").unwrap_err();
        assert!(!err.contains("S3cretPw"), "{err}");
        // A token in the query or fragment is never echoed, in messages or Debug.
        for url in [
            "https://host/?token=T0kenValue",
            "https://host/#T0kenValue",
            "host/path?token=T0kenValue",
        ] {
            let err = validate_override(url).unwrap_err();
            assert!(!err.contains("T0kenValue"), "{err}");
            let debug = format!("{:?}", builder().endpoint_override(url));
            assert!(!debug.contains("T0kenValue"), "{debug}");
        }
        // No scheme: the value (redacted) is echoed with the expected form.
        let err = validate_override("kms.example.com:8080").unwrap_err();
        assert!(
            err.contains("\"kms.example.com:8080\"") && err.contains("such as https://"),
            "{err}"
        );
    }

    #[test]
    fn userinfo_redaction() {
        for (raw, shown) in [
            ("https://host/p?x=1", "https://host/p?x=1"),
            ("not a url", "not a url"),
            ("https://admin:pw@host/?x=1", "https://***@host/?x=1"),
            ("https://admin@host", "https://***@host/"),
            ("https://:pw@host", "https://***@host/"),
            ("http://admin:pw@host:port/", "http://***@host:port/"),
            ("http://admin:p/w@host/", "http://***@host/"),
            ("admin:pw@host", "***@host"),
            ("http://host/a@b", "http://host/a@b"),
        ] {
            assert_eq!(redact_userinfo(raw), shown, "{raw}");
        }
    }
}
