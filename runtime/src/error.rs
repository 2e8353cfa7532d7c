//! Error types returned by the runtime and the generated operations.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

/// Maximum number of body bytes kept in [`DecodeError::body_excerpt`].
pub const BODY_EXCERPT_LIMIT: usize = 512;

/// Maximum number of body characters shown by [`DecodeError`]'s `Display`.
const DISPLAY_EXCERPT_CHARS: usize = 80;

/// An error from building a [`Config`](crate::Config) or client, or from executing an operation.
///
/// `E` is the operation's typed error body (see [`ServiceError::typed`]); it defaults to
/// [`NoErrorBody`] for operations that document none (and for configuration errors).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = NoErrorBody> {
    /// The request or configuration was invalid; nothing was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// Could not connect to the endpoint (after any retries).
    #[error("could not connect to {url}")]
    Connect {
        /// The request URL (no query string).
        url: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The request timed out (after any retries).
    #[error("request to {url} timed out")]
    Timeout {
        /// The request URL (no query string).
        url: String,
        /// The underlying error: `reqwest`'s, or [`AttemptTimedOut`] when a download's
        /// response headers did not arrive within the attempt timeout.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The service answered with a non-2xx status.
    #[error("{0}")]
    Service(Box<ServiceError<E>>),
    /// A 2xx response body could not be decoded into the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The response body was larger than the runtime accepts.
    #[error(
        "response body from {url} exceeds the {limit}-byte limit (status {status}){}",
        fmt_request_id(request_id)
    )]
    ResponseTooLarge {
        /// The request URL (no query string).
        url: String,
        /// The response status.
        status: u16,
        /// The limit in bytes.
        limit: usize,
        /// The `X-Request-Id` response header, if any.
        request_id: Option<String>,
    },
    /// Any other HTTP transport error (including failures to build the HTTP client).
    #[error("HTTP transport error{}", url.as_deref().map(|u| format!(" for {u}")).unwrap_or_default())]
    Transport {
        /// The request URL (no query string), when there was a request.
        url: Option<String>,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
}

fn fmt_request_id(request_id: &Option<String>) -> String {
    match request_id {
        Some(id) => format!(" [request id: {}]", server_text(id, 200)),
        None => String::new(),
    }
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `X-Request-Id` of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The service error, if this is [`Error::Service`].
    pub fn as_service(&self) -> Option<&ServiceError<E>> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl Error<NoErrorBody> {
    /// Converts an error carrying no typed body (e.g. from [`Config`](crate::Config)
    /// building) into one with any typed-body parameter, for use with `?`.
    pub fn cast<F>(self) -> Error<F> {
        match self {
            Error::InvalidInput(m) => Error::InvalidInput(m),
            Error::Connect { url, source } => Error::Connect { url, source },
            Error::Timeout { url, source } => Error::Timeout { url, source },
            Error::Service(e) => Error::Service(Box::new(ServiceError {
                status: e.status,
                request_id: e.request_id,
                error_code: e.error_code,
                error_msg: e.error_msg,
                details: e.details,
                encoded_authorization_message: e.encoded_authorization_message,
                body: e.body,
                typed: e.typed.map(|never| match never {}),
            })),
            Error::Decode(d) => Error::Decode(d),
            Error::ResponseTooLarge {
                url,
                status,
                limit,
                request_id,
            } => Error::ResponseTooLarge {
                url,
                status,
                limit,
                request_id,
            },
            Error::Transport { url, source } => Error::Transport { url, source },
        }
    }
}

/// No response (status and headers) arrived within the attempt timeout: the source of an
/// [`Error::Timeout`] for a download, whose body is not covered by that timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no response within {} ms", .0.as_millis())]
pub struct AttemptTimedOut(pub std::time::Duration);

/// The typed-error parameter for operations that document no error body.
///
/// Uninhabited: its `Deserialize` impl always fails, so [`ServiceError::typed`] is
/// always `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoErrorBody {}

impl<'de> Deserialize<'de> for NoErrorBody {
    fn deserialize<D: Deserializer<'de>>(_deserializer: D) -> Result<Self, D::Error> {
        Err(de::Error::custom("this operation documents no error body"))
    }
}

impl fmt::Display for NoErrorBody {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

/// One entry of a DBSS-style `details` list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The detail's error code.
    pub error_code: Option<String>,
    /// The detail's error message.
    pub error_msg: Option<String>,
}

/// A non-2xx response from the service.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServiceError<E = NoErrorBody> {
    /// HTTP status code.
    pub status: u16,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
    /// The error code (`error_code`, `error.error_code` or `code`), e.g. `KMS.0205`.
    pub error_code: Option<String>,
    /// The error message (`error_msg`, `error.error_msg` or `message`).
    pub error_msg: Option<String>,
    /// DBSS-style `details` entries.
    pub details: Vec<ErrorDetail>,
    /// The `encoded_authorization_message` field (present on some 403s).
    pub encoded_authorization_message: Option<String>,
    /// The raw response body (lossily decoded as UTF-8).
    pub body: String,
    /// The body decoded as the operation's documented error type (see
    /// [`DecodeErrorBody`](crate::DecodeErrorBody)), when the status is one of the
    /// documented error statuses (any non-2xx status, when the operation documents a
    /// `default` response) and decoding succeeded. For an operation whose error statuses
    /// have different schemas this is a generated enum with a variant per status.
    pub typed: Option<E>,
}

impl<E> ServiceError<E> {
    /// Builds a service error from a response, parsing the code and message out of any
    /// known body shape. `typed` is left `None`.
    pub fn from_response(status: u16, request_id: Option<String>, body: &[u8]) -> Self {
        let body_text = String::from_utf8_lossy(body).into_owned();
        let mut err = ServiceError {
            status,
            request_id,
            error_code: None,
            error_msg: None,
            details: Vec::new(),
            encoded_authorization_message: None,
            body: body_text,
            typed: None,
        };
        if let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) {
            let nested = obj.get("error").and_then(Value::as_object);
            let pick = |keys: &[&str]| -> Option<String> {
                for src in nested.into_iter().chain(std::iter::once(&obj)) {
                    for k in keys {
                        if let Some(v) = src.get(*k).and_then(scalar_to_string) {
                            return Some(v);
                        }
                    }
                }
                None
            };
            err.error_code = pick(&["error_code", "code"]);
            err.error_msg = pick(&["error_msg", "message", "error_message"]);
            err.encoded_authorization_message = pick(&["encoded_authorization_message"]);
            if let Some(Value::Array(items)) = obj.get("details") {
                err.details = items
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|d| ErrorDetail {
                        error_code: d.get("error_code").and_then(scalar_to_string),
                        error_msg: d.get("error_msg").and_then(scalar_to_string),
                    })
                    .collect();
            }
        }
        err
    }
}

fn scalar_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Server-supplied text as it may appear in a message: on one line, without terminal escapes,
/// line breaks or bidirectional controls (a server must not clear a screen or forge a log line).
fn server_text(text: &str, max_chars: usize) -> String {
    let (excerpt, cut) = display_excerpt(text, max_chars);
    if cut {
        format!("{excerpt}…")
    } else {
        excerpt
    }
}

impl<E> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error {}", self.status)?;
        let code = self.error_code.as_deref().map(|c| server_text(c, 200));
        let msg = self.error_msg.as_deref().map(|m| server_text(m, 500));
        match (code, msg) {
            (Some(c), Some(m)) => write!(f, " ({c}: {m})")?,
            (Some(c), None) => write!(f, " ({c})")?,
            (None, Some(m)) => write!(f, " ({m})")?,
            (None, None) => {
                let text = server_text(&self.body, 200);
                if !text.is_empty() {
                    write!(f, ": {text}")?;
                }
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id: {}]", server_text(id, 200))?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for ServiceError<E> {}

/// A 2xx response whose body could not be decoded into the expected type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP status code.
    pub status: u16,
    /// The first [`BODY_EXCERPT_LIMIT`] bytes of the body (cut at a char boundary).
    pub body_excerpt: String,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
    /// The deserializer's error message.
    pub message: String,
}

impl DecodeError {
    /// Builds a decode error, keeping only a bounded excerpt of the body.
    pub fn new(status: u16, body: &[u8], request_id: Option<String>, message: String) -> Self {
        let text = String::from_utf8_lossy(body);
        DecodeError {
            status,
            body_excerpt: truncate(&text, BODY_EXCERPT_LIMIT).to_owned(),
            request_id,
            message,
        }
    }
}

/// `Display`: the status, the deserializer's message, the first
/// 80 characters of the body (whitespace runs and control or bidi-override characters
/// shown as one space, `…` when cut), and the request ID, e.g.
/// `could not decode response body (status 200): expected value at line 1 column 1;
/// body starts with: "<!DOCTYPE html> <html> <head><title>Sign in…" [request id: abc]`.
impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode response body (status {}): {}",
            self.status,
            server_text(&self.message, 1000)
        )?;
        let (excerpt, cut) = display_excerpt(&self.body_excerpt, DISPLAY_EXCERPT_CHARS);
        if !excerpt.is_empty() {
            let more = if cut { "…" } else { "" };
            write!(f, "; body starts with: \"{excerpt}{more}\"")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id: {}]", server_text(id, 200))?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// Characters that could garble a terminal or log line: controls (including newlines
/// and escapes) and bidirectional overrides/isolates.
fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// At most `max_chars` characters of `body` on one line: whitespace runs and unsafe
/// characters become one space, leading/trailing ones are dropped. Also returns whether
/// anything was left out.
fn display_excerpt(body: &str, max_chars: usize) -> (String, bool) {
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    for c in body.chars() {
        if c.is_whitespace() || is_unsafe_char(c) {
            pending_space = !out.is_empty();
            continue;
        }
        let needed = 1 + usize::from(pending_space);
        if count + needed > max_chars {
            return (out, true);
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        count += needed;
    }
    (out, false)
}

/// The longest prefix of `s` that is at most `max` bytes and ends on a char boundary.
pub(crate) fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> bool {
        !text.chars().any(|c| c.is_control() || is_unsafe_char(c))
    }

    #[test]
    fn server_text_in_messages_cannot_drive_a_terminal_or_forge_a_line() {
        let hostile = "\u{1b}[2J\r\nINFO forged line\u{202e}txt.exe\u{7}";
        let body = serde_json::json!({ "error_code": hostile, "error_msg": hostile }).to_string();
        let e = ServiceError::<NoErrorBody>::from_response(
            500,
            Some(hostile.to_owned()),
            body.as_bytes(),
        );
        assert_eq!(e.error_code.as_deref(), Some(hostile));
        let shown = e.to_string();
        assert!(clean(&shown), "{shown:?}");
        assert!(shown.contains("INFO forged line"), "{shown:?}");
        // No code or message: the body excerpt, cleaned the same way.
        let e = ServiceError::<NoErrorBody>::from_response(502, None, hostile.as_bytes());
        assert!(clean(&e.to_string()), "{:?}", e.to_string());
        let d = DecodeError::new(
            200,
            hostile.as_bytes(),
            Some(hostile.into()),
            hostile.into(),
        );
        assert!(clean(&d.to_string()), "{:?}", d.to_string());
        let too_large: Error = Error::ResponseTooLarge {
            url: "https://x".into(),
            status: 200,
            limit: 1,
            request_id: Some(hostile.into()),
        };
        assert!(clean(&too_large.to_string()));
    }

    #[test]
    fn each_line_of_a_printed_chain_appears_once() {
        let error: Error = Error::Timeout {
            url: "https://kms.example/v1/keys".into(),
            source: Box::new(AttemptTimedOut(std::time::Duration::from_millis(250))),
        };
        let mut chain = vec![error.to_string()];
        let mut source = std::error::Error::source(&error);
        while let Some(s) = source {
            chain.push(s.to_string());
            source = s.source();
        }
        assert_eq!(
            chain,
            [
                "request to https://kms.example/v1/keys timed out",
                "no response within 250 ms"
            ]
        );
    }

    fn parse(body: &str) -> ServiceError {
        ServiceError::from_response(400, Some("abc".into()), body.as_bytes())
    }

    #[test]
    fn flat_shape() {
        let e = parse(r#"{"error_code":"APIGW.0101","error_msg":"The API does not exist"}"#);
        assert_eq!(e.error_code.as_deref(), Some("APIGW.0101"));
        assert_eq!(e.error_msg.as_deref(), Some("The API does not exist"));
    }

    #[test]
    fn kms_nested_shape() {
        let e = parse(r#"{"error":{"error_code":"KMS.0205","error_msg":"Invalid request"}}"#);
        assert_eq!(e.error_code.as_deref(), Some("KMS.0205"));
        assert_eq!(
            e.to_string(),
            "service error 400 (KMS.0205: Invalid request) [request id: abc]"
        );
    }

    #[test]
    fn code_message_shape() {
        let e = parse(r#"{"code":"IAM.0001","message":"bad"}"#);
        assert_eq!(e.error_code.as_deref(), Some("IAM.0001"));
        assert_eq!(e.error_msg.as_deref(), Some("bad"));
        let e = parse(r#"{"code":401,"message":"unauthorized"}"#);
        assert_eq!(e.error_code.as_deref(), Some("401"));
    }

    #[test]
    fn dbss_shape() {
        let e = parse(
            r#"{"error_code":"DBSS.1","error_msg":"denied","details":[{"error_code":"D1","error_msg":"m1"},{"error_code":"D2"}],"encoded_authorization_message":"enc"}"#,
        );
        assert_eq!(e.error_code.as_deref(), Some("DBSS.1"));
        assert_eq!(e.details.len(), 2);
        assert_eq!(e.details[0].error_msg.as_deref(), Some("m1"));
        assert_eq!(e.details[1].error_msg, None);
        assert_eq!(e.encoded_authorization_message.as_deref(), Some("enc"));
    }

    #[test]
    fn html_and_empty_bodies() {
        let e = parse("<html><body><h1>502 Bad Gateway</h1></body></html>");
        assert_eq!(e.error_code, None);
        assert!(e.body.contains("Bad Gateway"));
        assert!(e.to_string().contains("502 Bad Gateway"));
        assert!(e.to_string().contains("[request id: abc]"));
        let e: ServiceError = ServiceError::from_response(503, None, b"");
        assert_eq!(e.to_string(), "service error 503");
        assert_eq!(e.body, "");
    }

    #[test]
    fn no_error_body_never_decodes() {
        assert!(serde_json::from_str::<NoErrorBody>("{}").is_err());
        assert!(serde_json::from_str::<NoErrorBody>("null").is_err());
    }

    #[test]
    fn excerpt_is_bounded_and_char_safe() {
        let body = "é".repeat(1000); // 2000 bytes
        let d = DecodeError::new(200, body.as_bytes(), None, "x".into());
        assert!(d.body_excerpt.len() <= BODY_EXCERPT_LIMIT);
        assert_eq!(d.body_excerpt.len(), 512);
        let body = format!("a{}", "é".repeat(1000));
        let d = DecodeError::new(200, body.as_bytes(), None, "x".into());
        assert_eq!(d.body_excerpt.len(), 511);
        assert_eq!(truncate("abc", 10), "abc");
    }

    #[test]
    fn decode_error_display_shows_a_short_clean_excerpt() {
        let html = "<!DOCTYPE html>\n<html>\r\n  <head><title>Sign in - Huawei Cloud</title>\t\u{1b}[31m\u{202e}</head>\n<body>...";
        let long = format!("{html}{}", "x".repeat(1000));
        let d = DecodeError::new(
            200,
            long.as_bytes(),
            Some("rid".into()),
            "expected value at line 1 column 1".into(),
        );
        assert!(d.body_excerpt.starts_with("<!DOCTYPE html>\n<html>\r\n"));
        assert_eq!(d.body_excerpt.len(), BODY_EXCERPT_LIMIT);
        let text = d.to_string();
        assert!(
            text.starts_with(
                "could not decode response body (status 200): expected value at line 1 column 1; \
                 body starts with: \"<!DOCTYPE html> <html> <head><title>Sign in - Huawei Cloud</title>"
            ),
            "{text}"
        );
        assert!(text.ends_with("…\" [request id: rid]"), "{text}");
        assert!(!text.chars().any(|c| c.is_control()), "{text:?}");
        assert!(!text.contains('\u{202e}'), "{text:?}");
        let excerpt = text.split('"').nth(1).unwrap();
        assert!(excerpt.chars().count() <= 81, "{excerpt}");

        // Multi-byte characters at the cut: no panic, whole characters only.
        for prefix in ["", "a", "ab"] {
            let body = format!("{prefix}{}", "€😀".repeat(100));
            let d = DecodeError::new(200, body.as_bytes(), None, "m".into());
            let text = d.to_string();
            let excerpt = text.split('"').nth(1).unwrap();
            assert!(excerpt.ends_with('…'), "{excerpt}");
            assert_eq!(excerpt.chars().count(), 81, "{excerpt}");
        }
        // A short body is shown whole, an empty one not at all; invalid UTF-8 is lossy.
        let d = DecodeError::new(200, b"[1,2", None, "EOF".into());
        assert_eq!(
            d.to_string(),
            "could not decode response body (status 200): EOF; body starts with: \"[1,2\""
        );
        let d = DecodeError::new(200, b"", None, "empty".into());
        assert_eq!(
            d.to_string(),
            "could not decode response body (status 200): empty"
        );
        let d = DecodeError::new(200, b"\xff\xfe{", None, "bad".into());
        assert!(d.to_string().contains("\"\u{fffd}\u{fffd}{\""), "{d}");
    }

    #[test]
    fn error_display_and_accessors() {
        let e: Error = Error::Service(Box::new(parse(r#"{"error_code":"X.1","error_msg":"m"}"#)));
        assert_eq!(e.status(), Some(400));
        assert_eq!(e.request_id(), Some("abc"));
        assert!(e.to_string().contains("[request id: abc]"));
        let e: Error<String> = Error::InvalidInput("bad".into()).cast();
        assert_eq!(e.to_string(), "invalid input: bad");
    }
}
