//! The types generated code builds and passes to [`Client::execute`](crate::Client::execute).

use std::borrow::Cow;
use std::fmt;

use reqwest::header::HeaderMap;
use serde::Serialize;

use crate::body::Multipart;

/// Static description of a cloud service (one per generated service module).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceSpec {
    /// Service identifier, e.g. `kms`; the key for
    /// [`ConfigBuilder::service_endpoint`](crate::ConfigBuilder::service_endpoint).
    pub id: &'static str,
    /// Endpoint host template, e.g. `kms.{region}.myhuaweicloud.com`; a global service's has
    /// no `{region}` (`iam.myhuaweicloud.com`).
    pub endpoint: &'static str,
}

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
}

impl Method {
    /// The upper-case method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// True for methods that are idempotent by HTTP semantics (GET, HEAD, PUT, DELETE,
    /// OPTIONS), which the runtime retries.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
            Method::Head => reqwest::Method::HEAD,
            Method::Options => reqwest::Method::OPTIONS,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static description of one API operation (one per generated operation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// Operation name, e.g. `ListSupportRegions` (used in tracing).
    pub name: &'static str,
    /// The service the operation belongs to.
    pub service: &'static ServiceSpec,
    /// A host template for this operation only, used instead of the service's `endpoint`
    /// (same syntax); the client's endpoint overrides still apply.
    pub host: Option<&'static str>,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/v2/{project_id}/kms/regions`. `{project_id}` is filled from
    /// the config; every other `{name}` from [`Request::path_param`].
    pub path: &'static str,
    /// Whether the operation may be retried even though its method is not idempotent.
    pub retry_safe: bool,
    /// The (first) documented success status (informational: any 2xx is treated as
    /// success).
    pub success_status: u16,
    /// Documented 3xx statuses that are this operation's result (a version list at 300, a
    /// download link in `Location` at 307): returned as a success. Redirects are never
    /// followed, so any other 3xx is an [`Error::Service`](crate::Error::Service).
    pub redirect_success: &'static [u16],
    /// Statuses for which the documented error body type is decoded into
    /// [`ServiceError::typed`](crate::ServiceError::typed).
    pub error_statuses: &'static [u16],
    /// Whether the operation documents a `default` response: the body of every non-2xx
    /// status, listed or not, is then decoded into the typed error body.
    pub default_error: bool,
    /// Inclusive `(min, max)` length of the project ID, when the spec documents one.
    pub project_id_length: Option<(usize, usize)>,
    /// The spec's example body of the success response: what a [`mock`](crate::mock)
    /// client answers by default. Generated code fills it only with the `test-util` feature.
    pub example_response: Option<&'static str>,
}

/// A request being built by generated code; consumed by
/// [`Client::execute`](crate::Client::execute).
///
/// Setters never fail: problems (invalid header values, serialization failures,
/// validation failures recorded with [`Request::invalid_input`]) are reported as
/// [`Error::InvalidInput`](crate::Error::InvalidInput) by `execute`, before anything is sent.
#[derive(Clone)]
pub struct Request {
    pub(crate) operation: &'static OperationSpec,
    // Names are the generated code's literals: borrowed, not allocated per call.
    pub(crate) path_params: Vec<(Cow<'static, str>, String)>,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
    /// The `Content-Type` of `body`.
    pub(crate) content_type: Option<String>,
    pub(crate) problems: Vec<String>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values and the body may carry sensitive data: only show names/sizes.
        f.debug_struct("Request")
            .field("operation", &self.operation.name)
            .field("path_params", &self.path_params)
            .field("query", &self.query)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("content_type", &self.content_type)
            .field("problems", &self.problems)
            .finish()
    }
}

impl OperationSpec {
    /// Whether a response with `status` is this operation's success: any 2xx, or one of its
    /// documented 3xx statuses.
    pub fn is_success(&self, status: u16) -> bool {
        (200..300).contains(&status) || self.redirect_success.contains(&status)
    }
}

impl Request {
    /// Starts a request for `operation`.
    pub fn new(operation: &'static OperationSpec) -> Self {
        Request {
            operation,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            content_type: None,
            problems: Vec::new(),
        }
    }

    /// The operation this request is for.
    pub fn operation(&self) -> &'static OperationSpec {
        self.operation
    }

    /// Sets the value of the `{name}` placeholder in the path. The value is
    /// percent-encoded as exactly one path segment (`/`, `?`, `#`, `%` ... are escaped).
    pub fn path_param(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl fmt::Display,
    ) -> &mut Self {
        let name = name.into();
        let value = value.to_string();
        if let Some(p) = self.path_params.iter_mut().find(|(n, _)| *n == name) {
            p.1 = value;
        } else {
            self.path_params.push((name, value));
        }
        self
    }

    /// Adds a query parameter (raw value; encoded by the runtime). Call again with the
    /// same key for repeated parameters.
    pub fn query(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl fmt::Display,
    ) -> &mut Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Sets a request header. Values containing CR, LF or NUL (or invalid names) make
    /// `execute` fail with `InvalidInput`.
    pub fn header(&mut self, name: impl Into<String>, value: impl fmt::Display) -> &mut Self {
        let name = name.into();
        let value = value.to_string();
        if !valid_header_name(&name) {
            self.problems.push(format!("invalid header name {name:?}"));
        } else if !valid_header_value(&value) {
            self.problems.push(format!(
                "header {name} contains CR, LF or other invalid characters"
            ));
        } else {
            self.headers.push((name, value));
        }
        self
    }

    /// Serializes `body` as the JSON request body (`Content-Type: application/json`).
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_body(bytes, "application/json"),
            Err(e) => self
                .problems
                .push(format!("could not serialize request body: {e}")),
        }
        self
    }

    /// Encodes `body`, an object, as an `application/x-www-form-urlencoded` request body
    /// (see [`form_urlencoded`](crate::body::form_urlencoded)).
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        match crate::body::form_urlencoded(body) {
            Ok(text) => self.set_body(text.into_bytes(), "application/x-www-form-urlencoded"),
            Err(e) => self.problems.push(e),
        }
        self
    }

    /// Encodes `body` as a `multipart/form-data` request body (with a random boundary,
    /// fixed for every retry of this request).
    pub fn multipart_body(&mut self, mut body: Multipart) -> &mut Self {
        self.problems.extend(body.take_problems());
        let (bytes, content_type) = body.encode();
        self.set_body(bytes, &content_type);
        self
    }

    /// Sets raw bytes as the request body (`Content-Type: application/octet-stream` unless
    /// [`Request::content_type`] says otherwise).
    pub fn binary_body(&mut self, body: impl Into<Vec<u8>>) -> &mut Self {
        self.set_body(body.into(), "application/octet-stream");
        self
    }

    /// Sets text as the request body (`Content-Type: text/plain` unless
    /// [`Request::content_type`] says otherwise).
    pub fn text_body(&mut self, body: impl Into<String>) -> &mut Self {
        self.set_body(body.into().into_bytes(), "text/plain");
        self
    }

    /// Replaces the `Content-Type` of the body set before (e.g. `application/xml` for a
    /// text body). With AK/SK credentials, a body whose content type does not start with
    /// `application/json` is signed as `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`, as the
    /// official SDKs do.
    pub fn content_type(&mut self, content_type: &str) -> &mut Self {
        if !valid_header_value(content_type) || content_type.trim().is_empty() {
            self.problems.push(
                "the content type is empty or contains CR, LF or other invalid characters"
                    .to_owned(),
            );
        } else if self.body.is_some() {
            self.content_type = Some(content_type.to_owned());
        }
        self
    }

    fn set_body(&mut self, bytes: Vec<u8>, content_type: &str) {
        self.body = Some(bytes);
        self.content_type = Some(content_type.to_owned());
    }

    /// Records a validation failure; `execute` then returns `InvalidInput` without sending.
    pub fn invalid_input(&mut self, message: impl Into<String>) -> &mut Self {
        self.problems.push(message.into());
        self
    }

    /// Expands the path template: `{project_id}` from `project_id`, others from the path
    /// params, each value encoded as one segment.
    #[cfg(test)]
    pub(crate) fn expand_path(&self, project_id: Option<&str>) -> Result<String, String> {
        let mut out = String::with_capacity(self.operation.path.len() + 32);
        self.expand_path_into(project_id, &mut out)?;
        Ok(out)
    }

    /// [`Request::expand_path`] appended to `out`.
    pub(crate) fn expand_path_into(
        &self,
        project_id: Option<&str>,
        out: &mut String,
    ) -> Result<(), String> {
        let template = self.operation.path;
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let end = after
                .find('}')
                .ok_or_else(|| format!("malformed path template {template:?}"))?;
            let name = &after[..end];
            let value = if name == "project_id" {
                let pid = project_id.ok_or_else(|| {
                    format!(
                        "operation {} needs a project ID but none is configured",
                        self.operation.name
                    )
                })?;
                if let Some((min, max)) = self.operation.project_id_length {
                    let len = pid.chars().count();
                    if len < min || len > max {
                        return Err(format!(
                            "project ID length {len} is outside the documented range {min}..={max}"
                        ));
                    }
                }
                pid
            } else {
                self.path_params
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
                    .ok_or_else(|| format!("missing path parameter {name}"))?
            };
            if value.is_empty() || value == "." || value == ".." {
                return Err(format!(
                    "path parameter {name} must not be empty, \".\" or \"..\""
                ));
            }
            crate::signer::encode_into(value, out);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(())
    }
}

/// True when `name` is a valid HTTP header name (RFC 7230 token).
pub(crate) fn valid_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// True when `value` can be sent as a header value (no CR, LF, NUL or other controls
/// except tab).
pub(crate) fn valid_header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// A successful response: the decoded body `T` and the decoded documented headers `H`
/// (`()` for operations that document none).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Output<T, H = ()> {
    /// The decoded body.
    pub body: T,
    /// HTTP status code (2xx).
    pub status: u16,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
    /// The documented response headers, decoded (see
    /// [`ResponseHeaders`](crate::ResponseHeaders)).
    pub headers: H,
    /// All response headers as received. The values of credential and session headers
    /// (`X-Subject-Token`, `Set-Cookie`, ...) are marked sensitive, so `Debug` hides them.
    pub raw_headers: HeaderMap,
}

#[cfg(test)]
mod tests {
    use super::*;

    static SVC: ServiceSpec = ServiceSpec {
        id: "kms",
        endpoint: "kms.{region}.myhuaweicloud.com",
    };
    static OP: OperationSpec = OperationSpec {
        name: "Op",
        service: &SVC,
        host: None,
        method: Method::Get,
        path: "/v2/{project_id}/kms/{instance_id}/x",
        retry_safe: false,
        success_status: 200,
        redirect_success: &[],
        error_statuses: &[400],
        default_error: false,
        project_id_length: Some((3, 5)),
        example_response: None,
    };

    #[test]
    fn expands_and_encodes() {
        let mut r = Request::new(&OP);
        r.path_param("instance_id", "../x?y#z/é%");
        assert_eq!(
            r.expand_path(Some("abcd")).unwrap(),
            "/v2/abcd/kms/..%2Fx%3Fy%23z%2F%C3%A9%25/x"
        );
    }

    #[test]
    fn path_errors() {
        let mut r = Request::new(&OP);
        assert!(r
            .expand_path(Some("abcd"))
            .unwrap_err()
            .contains("instance_id"));
        r.path_param("instance_id", "i");
        assert!(r.expand_path(None).unwrap_err().contains("project ID"));
        assert!(r.expand_path(Some("ab")).unwrap_err().contains("length"));
        assert!(r.expand_path(Some("abcdef")).is_err());
        for bad in ["", ".", ".."] {
            r.path_param("instance_id", bad);
            assert!(r.expand_path(Some("abcd")).is_err(), "{bad:?}");
        }
        r.path_param("instance_id", "...");
        assert_eq!(r.expand_path(Some("abc")).unwrap(), "/v2/abc/kms/.../x");
    }

    #[test]
    fn header_validation_and_problems() {
        let mut r = Request::new(&OP);
        r.header("X-Language", "en-us");
        assert!(r.problems.is_empty());
        r.header("X-Evil", "a\r\nInjected: 1");
        r.header("Bad Name", "v");
        r.invalid_input("limit must be between 1 and 100");
        assert_eq!(r.problems.len(), 3);
        assert_eq!(r.headers.len(), 1);
        assert!(Method::Put.is_idempotent() && !Method::Post.is_idempotent());
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("en-us"));
    }

    #[test]
    fn bodies_and_content_types() {
        let mut r = Request::new(&OP);
        r.content_type("text/xml");
        assert_eq!(r.content_type, None, "no body, no content type");
        r.text_body("<a/>").content_type("application/xml");
        assert_eq!(r.body.as_deref(), Some(&b"<a/>"[..]));
        assert_eq!(r.content_type.as_deref(), Some("application/xml"));
        r.binary_body(vec![1u8, 2]);
        assert_eq!(r.content_type.as_deref(), Some("application/octet-stream"));
        r.form_body(&serde_json::json!({"a": "b c"}));
        assert_eq!(r.body.as_deref(), Some(&b"a=b+c"[..]));
        assert_eq!(
            r.content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        assert!(r.problems.is_empty());
        r.content_type("a\r\nb").form_body(&[1]);
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
        let mut form = Multipart::new();
        form.value("x", &1);
        r.multipart_body(form);
        assert!(r
            .content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("multipart/form-data; boundary=")));
    }
}
