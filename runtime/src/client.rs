//! The HTTP transport: builds, signs, sends and retries requests, and decodes responses.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER,
};
use reqwest::Url;
use serde::de::DeserializeOwned;
use smallvec::SmallVec;
use tracing::Instrument;

use crate::config::Config;
use crate::credentials::Kind;
use crate::decode::{self, Decode, DecodeErrorBody, ResponseHeaders};
use crate::endpoint;
use crate::error::{AttemptTimedOut, DecodeError, Error, ServiceError};
use crate::operation::{OperationSpec, Output, Request};
use crate::retry::{is_retryable_status, parse_retry_after};
use crate::signer::{self, SigningInput};
use crate::stream::ByteStream;

pub use crate::config::DEFAULT_MAX_RESPONSE_BYTES;

/// Header carrying the service's request ID.
pub const HEADER_REQUEST_ID: &str = "X-Request-Id";

const JSON: &str = "application/json";

const X_SDK_DATE: HeaderName = HeaderName::from_static("x-sdk-date");
const X_PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
/// [`HEADER_REQUEST_ID`] as a name: looked up without parsing the name each time.
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Headers that only the runtime may set.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "x-sdk-content-sha256",
    "authorization",
    "x-sdk-date",
    "x-auth-token",
    "x-security-token",
    "x-project-id",
    "content-length",
    "transfer-encoding",
    // Set from the config after signing: a caller's value would be signed, then replaced.
    "user-agent",
];

/// Connection-level headers: HTTP/2 drops them after they were signed, so the server would
/// see a signature over a header it never got.
const HOP_BY_HOP_HEADERS: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
];

/// A Huawei Cloud API client: configuration plus a pooled HTTP client.
///
/// Cheap to clone: clones share one configuration and connection pool (behind an
/// `Arc`), so a task, service handle or request builder can own a clone, and a future
/// built from an owned clone and an owned [`Request`] is `Send + 'static` (spawnable).
/// `Debug` never shows secrets.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// This client's number (its clones share it), for `endpoint_url`'s cache.
    id: u64,
    config: Config,
    http: reqwest::Client,
    /// The SK made ready for signing once, when the credentials are AK/SK.
    signing_key: Option<signer::SigningKey>,
    fixed: FixedHeaders,
    /// A mock client's answers and record (`test-util`): nothing is sent.
    #[cfg(feature = "test-util")]
    mock: Option<Arc<crate::mock::State>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// A number no other client of this process has.
fn next_client_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The prepared signing key of AK/SK credentials.
fn signing_key(config: &Config) -> Option<signer::SigningKey> {
    match config.credentials.kind() {
        Kind::AkSk { sk, .. } => Some(signer::SigningKey::new(sk.expose())),
        Kind::Token(_) => None,
    }
}

/// A response read off the wire (body capped).
struct RawResponse {
    status: u16,
    headers: HeaderMap,
    request_id: Option<String>,
    body: bytes::Bytes,
}

/// A retryable failure: a transport error or a response with a retryable status.
/// (Not generic over the typed error body: transport errors carry none, so a failure can
/// be held across the backoff sleep without requiring that type to be `Send`.)
enum Failure {
    /// Nothing reached the server (the connection was never made): safe to retry whatever
    /// the operation.
    Unsent(Error),
    /// The server may have received the request (a reset after it was written, a cut or
    /// stalled response): retried only when the operation is idempotent or `retry_safe`.
    Error(Error),
    /// A retryable status (429, 502, 503, 504): the server saw the request.
    Status(RawResponse),
}

/// A 2xx response of a download, its body not read yet.
struct StreamedResponse {
    status: u16,
    headers: HeaderMap,
    request_id: Option<String>,
    body: ByteStream,
}

/// What a call received: a response read whole, or (downloads only) a 2xx being streamed.
enum Received {
    Read(RawResponse),
    /// Boxed: a stream is rare, and this value is moved through every layer of a call.
    Stream(Box<StreamedResponse>),
}

/// What one attempt produced.
enum Attempt {
    Done(Received),
    /// A retryable failure (returned as is if no retry happens) and a server delay hint.
    Retryable(Failure, Option<Duration>),
    Fatal(Error),
}

impl Client {
    /// Builds a client with its own `reqwest` client (rustls, the configured connect,
    /// read and overall timeouts and user agent, redirects not followed).
    ///
    /// Same as `Client::with_http_client_builder(config, reqwest::Client::builder())`.
    pub fn new(config: Config) -> Result<Client, Error> {
        Client::with_http_client_builder(config, reqwest::Client::builder())
    }

    /// Builds a client from a caller-supplied `reqwest` client builder, for settings
    /// the config does not cover (proxies, TLS roots, connection pool, DNS, local
    /// address...).
    ///
    /// Before building, the config's connect, read and overall timeouts and its user
    /// agent are applied (replacing any set on `http`), exactly as [`Client::new`] does,
    /// and redirect following is switched off with
    /// [`Policy::none`](reqwest::redirect::Policy::none), whatever policy `http` had: a
    /// 3xx response is returned as [`Error::Service`] with that status. This is not
    /// configurable because the credentials travel in headers that `reqwest` does not
    /// strip on a redirect to another host (it strips only `Authorization` and
    /// `Cookie`), so following a redirect would send the IAM token (`X-Auth-Token`) or
    /// the temporary credentials' security token (`X-Security-Token`) to wherever the
    /// `Location` header points.
    ///
    /// Verbose connection logging (`connection_verbose`) is switched off too: it would write
    /// the credential headers in clear to the TRACE log.
    ///
    /// Fails with [`Error::Transport`] when `reqwest` cannot build the client.
    pub fn with_http_client_builder(
        config: Config,
        http: reqwest::ClientBuilder,
    ) -> Result<Client, Error> {
        let http = http
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .timeout(config.timeout)
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            // Verbose connection logging writes every header in clear at TRACE level,
            // `Authorization`, `X-Auth-Token` and `X-Security-Token` included.
            .connection_verbose(false)
            .build()
            .map_err(|source| Error::Transport { url: None, source })?;
        Ok(Client {
            inner: Arc::new(Inner {
                id: next_client_id(),
                signing_key: signing_key(&config),
                fixed: FixedHeaders::new(&config),
                config,
                http,
                #[cfg(feature = "test-util")]
                mock: None,
            }),
        })
    }

    /// A client answered by `mock` (see [`crate::mock`]).
    #[cfg(feature = "test-util")]
    pub(crate) fn with_mock(config: Config, mock: Arc<crate::mock::State>) -> Client {
        Client {
            inner: Arc::new(Inner {
                id: next_client_id(),
                signing_key: signing_key(&config),
                fixed: FixedHeaders::new(&config),
                config,
                http: reqwest::Client::new(),
                mock: Some(mock),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Sends `request` and decodes a 2xx JSON body into `T`.
    ///
    /// A non-2xx response becomes [`Error::Service`], its body decoded into `E` (see
    /// [`ServiceError::typed`]) when the status is one of the operation's
    /// `error_statuses` (or any status, when the operation has `default_error`). A 2xx
    /// body that is not valid JSON for `T` becomes [`Error::Decode`], and so does an empty
    /// (or all-whitespace) 2xx body: this is for operations that document a success body;
    /// use [`Client::execute_empty`] for those that do not.
    ///
    /// Same as [`Client::execute_with`] with [`Json<T>`](decode::Json) and no documented
    /// headers.
    pub fn execute<T, E>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Output<T>, Error<E>>> + use<'_, T, E>
    where
        T: DeserializeOwned,
        E: DecodeErrorBody,
    {
        self.execute_with::<decode::Json<T>, (), E>(request)
    }

    /// Sends `request` for an operation whose success response has no body; any 2xx
    /// body (empty or not) is ignored. Errors as for [`Client::execute`].
    pub fn execute_empty<E>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Output<()>, Error<E>>> + use<'_, E>
    where
        E: DecodeErrorBody,
    {
        self.execute_with::<decode::Empty, (), E>(request)
    }

    /// Sends `request` and decodes a 2xx response: its body with `D` (by status: JSON,
    /// text, none, or a generated enum over several documented 2xx statuses) and its
    /// documented headers with `H`. Errors as for [`Client::execute`]; a body or a
    /// documented header that does not decode is an [`Error::Decode`].
    pub fn execute_with<D, H, E>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Output<D::Output, H>, Error<E>>> + use<'_, D, H, E>
    where
        D: Decode,
        H: ResponseHeaders,
        E: DecodeErrorBody,
    {
        // Decoded by `send` itself: one future, not a second one wrapping it.
        self.send::<E, _>(request, false, Client::decoded::<D, H, E>)
    }

    /// A response of [`Client::execute_with`], decoded.
    fn decoded<D, H, E>(
        op: &OperationSpec,
        received: Received,
    ) -> Result<Output<D::Output, H>, Error<E>>
    where
        D: Decode,
        H: ResponseHeaders,
        E: DecodeErrorBody,
    {
        let raw = match received {
            Received::Read(raw) => raw,
            // Not asked for: a stream is only returned in streaming mode.
            Received::Stream(stream) => {
                return Err(Error::InvalidInput(format!(
                    "{}: unexpected streamed response (status {})",
                    op.name, stream.status
                )))
            }
        };
        if !op.is_success(raw.status) {
            return Err(service_error(raw, op));
        }
        let decoded = H::decode(&raw.headers)
            .and_then(|headers| D::decode(raw.status, &raw.body).map(|body| (body, headers)));
        match decoded {
            Ok((body, headers)) => Ok(Output {
                body,
                status: raw.status,
                request_id: raw.request_id,
                headers,
                raw_headers: raw.headers,
            }),
            Err(message) => Err(Error::Decode(Box::new(DecodeError::new(
                raw.status,
                &raw.body,
                raw.request_id,
                message,
            )))),
        }
    }

    /// Sends `request` for a download: a 2xx response is returned as soon as its status and
    /// headers are in, its body a [`ByteStream`] to read at the caller's pace (not capped
    /// by `max_response_bytes`, not covered by the attempt timeout once it has started,
    /// never retried once returned). Until then the call is retried and timed out like any
    /// other, and a non-2xx response is read (capped) into an [`Error::Service`] as for
    /// [`Client::execute`]. A documented header that does not decode is an
    /// [`Error::Decode`].
    pub fn execute_download<H, E>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Output<ByteStream, H>, Error<E>>> + use<'_, H, E>
    where
        H: ResponseHeaders,
        E: DecodeErrorBody,
    {
        self.send::<E, _>(request, true, Client::streamed::<H, E>)
    }

    /// A response of [`Client::execute_download`], its headers decoded.
    fn streamed<H, E>(
        op: &OperationSpec,
        received: Received,
    ) -> Result<Output<ByteStream, H>, Error<E>>
    where
        H: ResponseHeaders,
        E: DecodeErrorBody,
    {
        match received {
            Received::Read(raw) if !op.is_success(raw.status) => Err(service_error(raw, op)),
            // A 2xx is always streamed; an empty body all the same.
            Received::Read(raw) => Err(Error::InvalidInput(format!(
                "{}: unexpected buffered response (status {})",
                op.name, raw.status
            ))),
            Received::Stream(stream) => match H::decode(&stream.headers) {
                Ok(headers) => Ok(Output {
                    body: stream.body,
                    status: stream.status,
                    request_id: stream.request_id,
                    headers,
                    raw_headers: stream.headers,
                }),
                Err(message) => Err(Error::Decode(Box::new(DecodeError::new(
                    stream.status,
                    b"",
                    stream.request_id,
                    message,
                )))),
            },
        }
    }

    /// Sends `request` with retries and returns what `finish` makes of the response. With
    /// `stream`, a 2xx response is returned unread (see [`Client::execute_download`]);
    /// everything else is read whole, capped.
    ///
    /// Not an `async fn`: its parameters would be held twice by the future (as captured and
    /// as bound), and every call's future is polled cold when many are in flight.
    #[allow(clippy::manual_async_fn)] // On purpose: see above.
    fn send<'a, E, T>(
        &'a self,
        mut request: Request,
        stream: bool,
        finish: fn(&OperationSpec, Received) -> Result<T, Error<E>>,
    ) -> impl Future<Output = Result<T, Error<E>>> + use<'a, E, T> {
        async move {
            let op = request.operation;
            let inner = &*self.inner;
            let config = &inner.config;
            if !request.problems.is_empty() {
                return Err(Error::InvalidInput(format!(
                    "{}: {}",
                    op.name,
                    request.problems.join("; ")
                )));
            }
            let url = request_url(&request, config, inner.id).map_err(Error::InvalidInput)?;
            #[cfg(feature = "test-util")]
            if let Some(mock) = &inner.mock {
                let headers = CallHeaders::new(&request, request.body.is_some(), inner)
                    .map_err(Error::cast)?
                    .signed
                    .iter()
                    .map(|&(n, v)| (n.to_owned(), v.to_owned()))
                    .collect();
                return mock_answer(
                    mock,
                    op,
                    &url,
                    &request.query,
                    headers,
                    request.body,
                    stream,
                )
                .and_then(|received| finish(op, received));
            }
            // The URL carries the path and query now: freed here, while in cache, rather than
            // after the response (at many calls in flight, a call's memory is cold by then).
            drop(std::mem::take(&mut request.query));
            drop(std::mem::take(&mut request.path_params));

            let method = op.method;
            // Shared, not copied, by each attempt.
            let body = request.body.take().map(bytes::Bytes::from);
            let policy = &config.retry;
            // A request the server may have received is sent again only when that is harmless;
            // one that never left (connection refused) always may be.
            let retry_allowed = method.is_idempotent() || op.retry_safe;
            let max_attempts = policy.max_attempts.max(1);
            // `None`: no time budget (`max_elapsed` too large to add to the current time).
            // No retry starts at or after the deadline, and a retry's timeout is cut to the
            // time left before it (see `RetryPolicy::max_elapsed`).
            let deadline = Instant::now().checked_add(policy.max_elapsed);

            let span = tracing::info_span!(
                "hwcloud.request",
                operation = op.name,
                method = method.as_str(),
                url = %ShownUrl(&url),
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let http = &self.inner.http;
            let max_body = config.max_response_bytes;
            // The retry loop is not run inside the span (`Instrumented`, entered and left at
            // each poll, would be one more layer of every call's future): its events name the
            // span as their parent, and each attempt, reqwest's work included, runs inside it.
            // Fields are recorded on the span itself rather than on `Span::current()`, which
            // only works with subscribers that track the current span.
            let mut attempt: u32 = 0;
            // The overall timeout of the next attempt.
            let mut attempt_timeout = config.timeout;
            loop {
                attempt += 1;
                span.record("attempt", attempt);
                // Built apart, so that only reqwest's (boxed) future is held while waiting.
                let request =
                    match self.attempt(&request, &url, body.as_ref(), attempt_timeout, stream) {
                        Ok(request) => request,
                        // Refused before anything is sent (a header the runtime sets, a value a
                        // header cannot carry): the span says why, as for any failed call.
                        Err(e) => {
                            tracing::debug!(parent: &span, attempt, error = %e, "request not sent");
                            return Err(e.cast());
                        }
                    };
                let sent = http.execute(request);
                tracing::debug!(parent: &span, attempt, "sending request");
                // Matched as it comes, not bound: a binding would be kept in the call's future
                // (it would live across the backoff below), and written there on every call.
                let (failure, hint) = match if stream {
                    // The attempt timeout covers the response's headers (and an error
                    // body), not a download's body: reqwest's own timeout would.
                    // Boxed: the largest thing a call waits on, and only downloads need it.
                    match Box::pin(tokio::time::timeout(
                        attempt_timeout,
                        run_attempt(sent, &url, max_body, true).instrument(span.clone()),
                    ))
                    .await
                    {
                        Ok(outcome) => outcome,
                        Err(_) => Attempt::Retryable(
                            Failure::Error(Error::Timeout {
                                url: shown_url(&url),
                                source: Box::new(AttemptTimedOut(attempt_timeout)),
                            }),
                            None,
                        ),
                    }
                } else {
                    let attempted = run_attempt(sent, &url, max_body, false);
                    // Not wrapped when no subscriber wants the span: one layer less in every
                    // call's future.
                    // With one, boxed: the call's future keeps room for the larger of the two.
                    if span.is_disabled() {
                        attempted.await
                    } else {
                        Box::pin(attempted.instrument(span.clone())).await
                    }
                } {
                    Attempt::Done(received) => {
                        let (status, request_id) = match &received {
                            Received::Read(raw) => (raw.status, &raw.request_id),
                            Received::Stream(s) => (s.status, &s.request_id),
                        };
                        record_status(&span, status, request_id.as_deref());
                        tracing::debug!(parent: &span, attempt, status, "response received");
                        return finish(op, received);
                    }
                    Attempt::Fatal(e) => {
                        tracing::debug!(parent: &span, attempt, error = %e, "request failed");
                        return Err(e.cast());
                    }
                    // Boxed: only a retry keeps it across its wait (see the backoff below).
                    Attempt::Retryable(f, hint) => (Box::new(f), hint),
                };
                let reason = match &*failure {
                    Failure::Status(raw) => {
                        record_status(&span, raw.status, raw.request_id.as_deref());
                        format!("status {}", raw.status)
                    }
                    Failure::Error(e) | Failure::Unsent(e) => e.to_string(),
                };
                let give_up = |failure: Failure| match failure {
                    Failure::Status(raw) => finish(op, Received::Read(raw)),
                    Failure::Error(e) | Failure::Unsent(e) => Err(e.cast()),
                };
                if !retry_allowed && !matches!(*failure, Failure::Unsent(_)) {
                    tracing::debug!(
                        parent: &span,
                        attempt,
                        %reason,
                        "not retrying: the server may have received it and the operation is not idempotent"
                    );
                    return give_up(*failure);
                }
                if attempt >= max_attempts {
                    tracing::debug!(parent: &span, attempt, %reason, "not retrying: attempts exhausted");
                    return give_up(*failure);
                }
                let Some(delay) = policy.delay(attempt, hint) else {
                    tracing::debug!(
                        parent: &span,
                        attempt,
                        %reason,
                        retry_after_ms = millis(hint.unwrap_or_default()),
                        "not retrying: Retry-After exceeds max_backoff"
                    );
                    return give_up(*failure);
                };
                // A wait that cannot even be represented as an `Instant` ends any budget.
                let past_deadline = match (deadline, Instant::now().checked_add(delay)) {
                    (None, _) => false,
                    (Some(_), None) => true,
                    (Some(deadline), Some(resume)) => resume >= deadline,
                };
                if past_deadline {
                    tracing::debug!(parent: &span, attempt, %reason, "not retrying: time budget exhausted");
                    return give_up(*failure);
                }
                tracing::debug!(parent: &span, attempt, delay_ms = millis(delay), %reason, "retrying");
                // Boxed, as the failure is: what only a retry keeps across its wait stays out
                // of the call's future, where every call would carry (and touch) room for it.
                Box::pin(tokio::time::sleep(delay)).await;
                // The retry may take only what is left of the budget (the sleep may have
                // overrun it slightly, in which case it does not start at all).
                if let Some(deadline) = deadline {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        tracing::debug!(parent: &span, attempt, %reason, "not retrying: time budget exhausted");
                        return give_up(*failure);
                    }
                    attempt_timeout = config.timeout.min(left);
                }
                drop(failure);
            }
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A call's own headers, checked: as signed (borrowed from the request and the config) and as
/// sent. Built on the stack for each attempt rather than kept in the call's future: at many
/// calls in flight, whatever a call keeps across its wait is cold when the response comes.
struct CallHeaders<'r> {
    /// The headers signed: the request's own, the content type, the project ID (the
    /// credential and `Host` are added by `Client::attempt`).
    signed: SmallVec<[(&'r str, &'r str); 6]>,
    /// The request's own headers and the content type, as they are sent.
    wire: SmallVec<[(HeaderName, HeaderValue); 2]>,
}

impl<'r> CallHeaders<'r> {
    /// Refuses the headers the runtime sets or the HTTP stack would drop after signing, and
    /// values a header cannot carry.
    fn new(request: &'r Request, has_body: bool, inner: &'r Inner) -> Result<Self, Error> {
        let config = &inner.config;
        let mut signed: SmallVec<[(&str, &str); 6]> = SmallVec::new();
        let mut wire: SmallVec<[(HeaderName, HeaderValue); 2]> = SmallVec::new();
        for (name, value) in &request.headers {
            let is = |list: &[&str]| list.iter().any(|h| h.eq_ignore_ascii_case(name));
            if is(RESERVED_HEADERS) {
                return Err(Error::InvalidInput(format!(
                    "header {name} is set by the runtime and cannot be overridden"
                )));
            }
            if is(HOP_BY_HOP_HEADERS) {
                return Err(Error::InvalidInput(format!(
                    "header {name} is connection-level: HTTP/2 does not send it, so it cannot be signed"
                )));
            }
            // A later value for the same name replaces the earlier one, on the wire as in
            // the signature.
            match signed
                .iter()
                .position(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                Some(at) => {
                    signed[at].1 = value;
                    wire[at].1 = header_value(name, value)?;
                }
                None => {
                    signed.push((name, value));
                    let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                        Error::InvalidInput(format!("invalid header name {name:?}"))
                    })?;
                    wire.push((n, header_value(name, value)?));
                }
            }
        }
        let has_content_type = signed
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
        if has_body && !has_content_type {
            let value = request.content_type.as_deref().unwrap_or(JSON);
            signed.push(("Content-Type", value));
            let value = match value {
                JSON => HeaderValue::from_static(JSON),
                other => header_value("Content-Type", other)?,
            };
            wire.push((CONTENT_TYPE, value));
        }
        if let Some(pid) = &config.project_id {
            if inner.fixed.project_id.is_none() {
                return Err(Error::InvalidInput(
                    "invalid value for header X-Project-Id".into(),
                ));
            }
            signed.push(("X-Project-Id", pid));
        }
        Ok(CallHeaders { signed, wire })
    }
}

impl Client {
    /// One attempt's request: the call's headers, the client's fixed ones, a fresh date and
    /// signature, the timeout (a download's is applied around the call instead, see
    /// `Client::send`).
    fn attempt(
        &self,
        request: &Request,
        url: &Url,
        body: Option<&bytes::Bytes>,
        timeout: Duration,
        stream: bool,
    ) -> Result<reqwest::Request, Error> {
        let inner = &*self.inner;
        let config = &inner.config;
        let CallHeaders { mut signed, wire } = CallHeaders::new(request, body.is_some(), inner)?;
        let aksk = match config.credentials.kind() {
            Kind::AkSk {
                ak, security_token, ..
            } => {
                if let Some(token) = security_token {
                    signed.push(("X-Security-Token", token.expose()));
                }
                inner.signing_key.as_ref().map(|key| (ak.as_str(), key))
            }
            Kind::Token(_) => None,
        };
        if let Some((_, None)) = &inner.fixed.credential {
            return Err(Error::InvalidInput(
                "credential contains invalid header characters".into(),
            ));
        }
        // Signed: everything above plus Host (X-Sdk-Date is added by the signer).
        signed.push((
            "Host",
            &url[url::Position::BeforeHost..url::Position::AfterPort],
        ));

        let mut headers = HeaderMap::with_capacity(wire.len() + 5);
        for (name, value) in wire {
            headers.insert(name, value);
        }
        // Copies, not clones: see `sdk_date_now`.
        if let Some(pid) = &inner.fixed.project_id {
            headers.insert(X_PROJECT_ID, copied(pid));
        }
        if let Some((name, Some(value))) = &inner.fixed.credential {
            headers.insert(name.clone(), copied(value));
        }
        let method = request.operation.method;
        if let Some((ak, key)) = aksk {
            let date = sdk_date_now()?;
            let date_text = date.to_str().map_err(|_| {
                Error::InvalidInput("the clock gave a date that is not a header value".into())
            })?;
            let sig = signer::authorize_with_query(
                &SigningInput {
                    method: method.as_str(),
                    path: url.path(),
                    // Not read: the URL's query is the canonical query, given below.
                    query: &[],
                    headers: &signed,
                    body: body.map_or(&[][..], |body| &body[..]),
                },
                // The URL's query is the canonical query (see `request_url`).
                Some(url.query().unwrap_or_default()),
                ak,
                key,
                date_text,
            );
            // What the signer added and signed (a body that is not JSON is not hashed:
            // `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`) goes on the wire.
            for (name, value) in &sig.added_headers {
                headers.insert(*name, HeaderValue::from_static(value));
            }
            // The signature's string becomes the header value as it is, without a copy.
            // An access key with characters a header cannot carry.
            let authorization = owned_header_value(sig.value, true).ok_or_else(|| {
                Error::InvalidInput("credential contains invalid header characters".into())
            })?;
            headers.insert(X_SDK_DATE, date);
            headers.insert(AUTHORIZATION, authorization);
        }
        let mut attempt = reqwest::Request::new(method.to_reqwest(), url.clone());
        *attempt.headers_mut() = headers;
        // The HTTP client already has the configured timeout (`Client::new`); a per-request
        // one costs `reqwest` three allocations, so it is set only when it differs: a
        // download (timed around the call instead) or a retry cut to the time left.
        if stream {
            *attempt.timeout_mut() = Some(Duration::MAX);
        } else if timeout != config.timeout {
            *attempt.timeout_mut() = Some(timeout);
        }
        if let Some(body) = body {
            *attempt.body_mut() = Some(body.clone().into());
        }
        Ok(attempt)
    }
}

/// The request's URL: the endpoint, the expanded path and the canonical query (the wire
/// query is exactly the canonical query, as in the official SDKs).
fn request_url(request: &Request, config: &Config, client: u64) -> Result<Url, String> {
    thread_local! {
        // The path and query texts, one buffer reused by every call on the thread.
        static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
    }
    let Endpoint {
        with_room: mut url,
        base_path,
    } = endpoint_url(request.operation, config, client)?;
    // Without the thread's buffer (torn down, or a re-entrant call), a fresh one.
    match TEXT.try_with(|text| {
        text.try_borrow_mut().ok().map(|mut text| {
            let done = set_path_and_query(&mut url, base_path, request, config, &mut text);
            // Query values are the caller's: not kept on the thread until the next call.
            signer::wipe(&mut text);
            done
        })
    }) {
        Ok(Some(done)) => done?,
        _ => set_path_and_query(&mut url, base_path, request, config, &mut String::new())?,
    }
    Ok(url)
}

/// Sets `url`'s path (the endpoint's, its first `base_path` bytes, then the operation's
/// expanded template) and query (the canonical query), with `text` as the buffer.
fn set_path_and_query(
    url: &mut Url,
    base_path: usize,
    request: &Request,
    config: &Config,
    text: &mut String,
) -> Result<(), String> {
    text.clear();
    text.push_str(&url.path()[..base_path]);
    if !request.operation.path.starts_with('/') {
        text.push('/');
    }
    request.expand_path_into(config.project_id.as_deref(), text)?;
    // Set, not parsed as a reference relative to the endpoint: a path that begins with `//`
    // would name another host.
    url.set_path(text);
    if !request.query.is_empty() {
        text.clear();
        signer::canonical_query_into(&request.query, text);
        url.set_query(Some(text));
    }
    Ok(())
}

/// The room a call's URL has for its path and query without growing (see [`Endpoint`]).
const URL_ROOM: usize = 256;

/// An endpoint as a call's URL starts from: parsed, its path followed by [`URL_ROOM`]
/// placeholder bytes. A `Url` cannot be given spare capacity, and a clone of the bare
/// endpoint grew twice per call (setting the path, then the query); a clone of this one has
/// the room, and `Url::set_path` replaces the placeholder entirely. (An endpoint whose path
/// would not be set again unchanged is kept as parsed, without the room; see `endpoint_url`.)
#[derive(Clone)]
struct Endpoint {
    with_room: Url,
    /// The length of the endpoint's own path (without a trailing `/`), which every
    /// operation's path follows.
    base_path: usize,
}

/// The parsed endpoint of `operation` for the client numbered `client`.
///
/// Kept per thread for each client (its configuration never changes) and endpoint pattern:
/// parsing the scheme and host (IDNA included) was most of the cost of a call's URL, and
/// an operation's endpoint is the same on every call. Bounded: the oldest entry goes first.
fn endpoint_url(
    operation: &OperationSpec,
    config: &Config,
    client: u64,
) -> Result<Endpoint, String> {
    type Entry = (u64, &'static str, &'static str, Endpoint);
    thread_local! {
        static PARSED: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    }
    const KEPT: usize = 32;
    let pattern = operation.host.unwrap_or(operation.service.endpoint);
    let service = operation.service.id;
    let cached = PARSED.try_with(|parsed| {
        let parsed = parsed.try_borrow().ok()?;
        parsed
            .iter()
            .find(|(c, p, s, _)| *c == client && *p == pattern && *s == service)
            .map(|(.., endpoint)| endpoint.clone())
    });
    if let Ok(Some(endpoint)) = cached {
        return Ok(endpoint);
    }
    let text = endpoint::operation_endpoint(operation, &config.endpoints())?;
    let text = text.trim_end_matches('/');
    let url = Url::parse(text)
        .map_err(|e| format!("invalid endpoint {:?}: {e}", endpoint::redact_url(text)))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "endpoint {:?} has no host",
            endpoint::redact_url(text)
        ));
    }
    let base_path = url.path().trim_end_matches('/').len();
    let mut placeholder = String::with_capacity(base_path + 1 + URL_ROOM);
    placeholder.push_str(&url.path()[..base_path]);
    placeholder.push('/');
    placeholder.extend(std::iter::repeat_n('x', URL_ROOM));
    let mut with_room = url.clone();
    with_room.set_path(&placeholder);
    // A parsed path is set again unchanged; were it not, the endpoint is kept without room.
    let endpoint = Endpoint {
        with_room: if with_room.path().starts_with(&placeholder[..base_path]) {
            with_room
        } else {
            url
        },
        base_path,
    };
    // Without the cache (a thread being torn down, or a re-entrant call), parsed each time.
    let _ = PARSED.try_with(|parsed| {
        if let Ok(mut parsed) = parsed.try_borrow_mut() {
            if parsed.len() >= KEPT {
                parsed.remove(0);
            }
            parsed.push((client, pattern, service, endpoint.clone()));
        }
    });
    Ok(endpoint)
}

/// The URL as errors and logs show it: scheme, host, port and path; no query (parameters
/// can be sensitive) and no user info.
fn shown_url(url: &Url) -> String {
    ShownUrl(url).to_string()
}

/// [`shown_url`], written only when it is displayed (a span field is, only if a subscriber
/// records it).
struct ShownUrl<'a>(&'a Url);

impl fmt::Display for ShownUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.0;
        write!(
            f,
            "{}://{}",
            url.scheme(),
            &url[url::Position::BeforeHost..url::Position::AfterPath]
        )
    }
}

/// A caller's header value, checked.
fn header_value<E>(name: &str, value: &str) -> Result<HeaderValue, Error<E>> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidInput(format!("invalid value for header {name}")))
}

/// `X-Sdk-Date` for the current second: formatted once a second on each thread, not for
/// every request.
///
/// Each request gets its own copy of the value. A shared one would be a reference count that
/// every request increments and, when the connection task drops the request on the other
/// worker thread, decrements there: one cache line bouncing between the cores on every call.
fn sdk_date_now() -> Result<HeaderValue, Error> {
    thread_local! {
        static CURRENT: RefCell<Option<(u64, String)>> = const { RefCell::new(None) };
    }
    let now = SystemTime::now();
    let second = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let value = |text: &str| {
        HeaderValue::from_str(text).map_err(|_| {
            Error::InvalidInput("the clock gave a date that is not a header value".into())
        })
    };
    // Without the cache (a thread being torn down, or a re-entrant call), formatted anew.
    let cached = CURRENT.try_with(|current| {
        let mut current = current.try_borrow_mut().ok()?;
        match &*current {
            Some((cached, text)) if *cached == second => Some(value(text)),
            _ => {
                let text = signer::format_sdk_date(now);
                let made = value(&text);
                *current = Some((second, text));
                Some(made)
            }
        }
    });
    cached
        .ok()
        .flatten()
        .unwrap_or_else(|| value(&signer::format_sdk_date(now)))
}

/// A header value with its own copy of `value`'s bytes (and its sensitivity).
fn copied(value: &HeaderValue) -> HeaderValue {
    let mut copy = HeaderValue::from_maybe_shared(bytes::Bytes::copy_from_slice(value.as_bytes()))
        .unwrap_or_else(|_| value.clone());
    copy.set_sensitive(value.is_sensitive());
    copy
}

/// A header value made from a string the runtime built (a date, a signature), taking it
/// over without a copy.
fn owned_header_value(value: String, sensitive: bool) -> Option<HeaderValue> {
    let mut v = HeaderValue::from_maybe_shared(bytes::Bytes::from(value)).ok()?;
    v.set_sensitive(sensitive);
    Some(v)
}

/// Header values that are the same for every call of a client, made once when it is
/// built. `None` marks a configured value that cannot be a header value: each call fails
/// with `InvalidInput`, as it would have if the value were checked there.
struct FixedHeaders {
    project_id: Option<HeaderValue>,
    /// `X-Security-Token` (temporary AK/SK) or `X-Auth-Token` (IAM token), marked sensitive.
    credential: Option<(HeaderName, Option<HeaderValue>)>,
}

impl FixedHeaders {
    fn new(config: &Config) -> FixedHeaders {
        let sensitive = |value: &str| {
            HeaderValue::from_str(value).ok().map(|mut v| {
                v.set_sensitive(true);
                v
            })
        };
        let credential = match config.credentials.kind() {
            Kind::AkSk {
                security_token: Some(token),
                ..
            } => Some((
                HeaderName::from_static("x-security-token"),
                sensitive(token.expose()),
            )),
            Kind::AkSk { .. } => None,
            Kind::Token(token) => Some((
                HeaderName::from_static("x-auth-token"),
                sensitive(token.expose()),
            )),
        };
        FixedHeaders {
            project_id: config
                .project_id
                .as_deref()
                .and_then(|pid| HeaderValue::from_str(pid).ok()),
            credential,
        }
    }
}

fn record_status(span: &tracing::Span, status: u16, request_id: Option<&str>) {
    span.record("status", status);
    if let Some(id) = request_id {
        span.record("request_id", id);
    }
}

/// What a transport failure means for a retry.
pub(crate) enum Fault {
    /// The connection was never made: nothing was sent.
    Unsent,
    /// The request may have reached the server: a reset after it was written, a response
    /// cut short or stalled, a timeout.
    Sent,
    /// Retrying cannot help (the request could not even be built).
    Fatal,
}

pub(crate) fn classify(e: reqwest::Error, url: &str) -> (Error, Fault) {
    let url = url.to_owned();
    // The error's own URL would repeat the query string in Display; `url` has none.
    let e = e.without_url();
    let fault = if e.is_connect() {
        Fault::Unsent
    } else if e.is_builder() || e.is_redirect() {
        Fault::Fatal
    } else {
        Fault::Sent
    };
    let error = if e.is_timeout() {
        Error::Timeout {
            url,
            source: Box::new(e),
        }
    } else if e.is_connect() {
        Error::Connect { url, source: e }
    } else {
        Error::Transport {
            url: Some(url),
            source: e,
        }
    };
    (error, fault)
}

impl From<(Error, Fault)> for Attempt {
    fn from((error, fault): (Error, Fault)) -> Attempt {
        match fault {
            Fault::Unsent => Attempt::Retryable(Failure::Unsent(error), None),
            Fault::Sent => Attempt::Retryable(Failure::Error(error), None),
            Fault::Fatal => Attempt::Fatal(error),
        }
    }
}

/// Marks the values of credential and session headers sensitive, so that `Debug` of the
/// header map hides them.
fn mark_sensitive(headers: &mut HeaderMap) {
    for (name, value) in headers.iter_mut() {
        if decode::is_sensitive_header(name.as_str()) {
            value.set_sensitive(true);
        }
    }
}

async fn run_attempt(
    sent: impl std::future::Future<Output = Result<reqwest::Response, reqwest::Error>>,
    url: &Url,
    max_body: usize,
    stream: bool,
) -> Attempt {
    let mut resp = match sent.await {
        Ok(r) => r,
        Err(e) => return classify(e, &shown_url(url)).into(),
    };
    let status = resp.status().as_u16();
    // Taken, not cloned: the body is read from `resp` without its header map.
    let mut headers = std::mem::take(resp.headers_mut());
    mark_sensitive(&mut headers);
    let request_id = headers
        .get(X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if stream && (200..300).contains(&status) {
        let body = ByteStream::new(resp, shown_url(url), request_id.clone());
        return Attempt::Done(Received::Stream(Box::new(StreamedResponse {
            status,
            headers,
            request_id,
            body,
        })));
    }
    let too_large = |request_id: Option<String>| Error::ResponseTooLarge {
        url: shown_url(url),
        status,
        limit: max_body,
        request_id,
    };
    if resp.content_length().is_some_and(|n| n > max_body as u64) {
        return Attempt::Fatal(too_large(request_id));
    }
    // A body that arrives in one chunk (most do) is kept as it is, not copied.
    let mut first: Option<bytes::Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    let mut length = 0;
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                length += chunk.len();
                if length > max_body {
                    return Attempt::Fatal(too_large(request_id));
                }
                if joined.is_empty() && first.is_none() {
                    first = Some(chunk);
                    continue;
                }
                if let Some(first) = first.take() {
                    let expected = resp.content_length().map_or(0, |n| n as usize);
                    joined.reserve(expected.clamp(length, max_body));
                    joined.extend_from_slice(&first);
                }
                joined.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            // The response had begun: the server saw the request, whatever the error.
            Err(e) => {
                return match classify(e, &shown_url(url)) {
                    (error, Fault::Fatal) => Attempt::Fatal(error),
                    (error, _) => Attempt::Retryable(Failure::Error(error), None),
                }
            }
        }
    }
    let body = first.unwrap_or_else(|| joined.into());
    let raw = RawResponse {
        status,
        headers,
        request_id,
        body,
    };
    if is_retryable_status(status) {
        let hint = raw
            .headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        return Attempt::Retryable(Failure::Status(raw), hint);
    }
    Attempt::Done(Received::Read(raw))
}

fn service_error<E: DecodeErrorBody>(raw: RawResponse, op: &OperationSpec) -> Error<E> {
    let mut err = ServiceError::from_response(raw.status, raw.request_id, &raw.body);
    if op.default_error || op.error_statuses.contains(&raw.status) {
        err.typed = E::decode(raw.status, &raw.body);
    }
    Error::Service(Box::new(err))
}

/// What a mock client answers in place of the network (see [`crate::mock`]).
#[cfg(feature = "test-util")]
fn mock_answer<E>(
    mock: &crate::mock::State,
    op: &'static crate::OperationSpec,
    url: &reqwest::Url,
    query: &[(std::borrow::Cow<'static, str>, String)],
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    stream: bool,
) -> Result<Received, Error<E>> {
    let request = crate::mock::MockRequest {
        operation: op.name,
        service: op.service.id,
        method: op.method.as_str(),
        path: url.path().to_owned(),
        query: query
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect(),
        headers,
        body,
    };
    let Some(answer) = mock.answer(op, request) else {
        return Err(Error::InvalidInput(format!(
            "{}: the mock has no answer (the spec has no example response): add one with Mock::on",
            op.name
        )));
    };
    let mut response_headers = HeaderMap::new();
    for (name, value) in &answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response_headers.append(name, value);
        }
    }
    let request_id = response_headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if stream && (200..300).contains(&answer.status) {
        let mut response = http::Response::new(answer.body);
        *response.status_mut() =
            http::StatusCode::from_u16(answer.status).unwrap_or(http::StatusCode::OK);
        *response.headers_mut() = response_headers.clone();
        let body = ByteStream::new(
            reqwest::Response::from(response),
            url.path().to_owned(),
            request_id.clone(),
        );
        return Ok(Received::Stream(Box::new(StreamedResponse {
            status: answer.status,
            headers: response_headers,
            request_id,
            body,
        })));
    }
    Ok(Received::Read(RawResponse {
        status: answer.status,
        headers: response_headers,
        request_id,
        body: answer.body.into(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Method, ServiceSpec};

    static SERVICE: ServiceSpec = ServiceSpec {
        id: "kms",
        endpoint: "kms.{region}.myhuaweicloud.com",
    };

    fn operation(path: &'static str) -> &'static OperationSpec {
        Box::leak(Box::new(OperationSpec {
            name: "Op",
            service: &SERVICE,
            host: None,
            method: Method::Get,
            path,
            retry_safe: false,
            success_status: 200,
            redirect_success: &[],
            error_statuses: &[],
            default_error: false,
            project_id_length: None,
            example_response: None,
        }))
    }

    /// The URL as it was built before `request_url` assembled one string: the endpoint parsed,
    /// then `set_path` and `set_query`.
    fn reference_url(request: &Request, config: &Config) -> Url {
        let base = endpoint::resolve_operation(request.operation, &config.endpoints()).unwrap();
        let mut url = Url::parse(&base).unwrap();
        let path = request.expand_path(config.project_id.as_deref()).unwrap();
        let slash = if path.starts_with('/') { "" } else { "/" };
        let full = format!("{}{slash}{path}", url.path().trim_end_matches('/'));
        url.set_path(&full);
        let mut query = String::new();
        signer::canonical_query_into(&request.query, &mut query);
        url.set_query(if query.is_empty() { None } else { Some(&query) });
        url
    }

    #[test]
    fn request_url_is_the_url_set_path_and_set_query_build() {
        let values = [
            "plain",
            "a b",
            "a/b",
            "a?b",
            "a#b",
            "%2e%2e",
            "%",
            "caf\u{e9}",
            "x\\y",
            "..a",
            "a;b",
            "a=b&c",
            "~-._",
            "\u{202e}rtl",
            "a\tb",
            "[::1]",
            "@host",
            "",
        ];
        let templates = [
            "/v1/{project_id}/things/{id}",
            "/v1/{id}",
            "/v1/{id}/",
            "v1/{id}",
            "/v1/literal?x/{id}",
            "/v1/a#b/{id}",
            "/v1/./{id}/../x",
            // Read as a reference, `//host/...` would replace the endpoint's host.
            "//evil.example/{id}",
            "{id}",
        ];
        let endpoints = [
            None,
            Some("http://127.0.0.1:8080"),
            Some("https://example.com/prefix"),
            Some("http://[::1]:9000/a/b"),
        ];
        let mut compared = 0;
        for endpoint in endpoints {
            let mut builder = Config::builder()
                .credentials(crate::Credentials::aksk("AK", "SK"))
                .region("cn-north-4")
                .project_id("0123456789abcdef0123456789abcdef");
            if let Some(endpoint) = endpoint {
                builder = builder.endpoint_override(endpoint);
            }
            let config = builder.build().unwrap();
            let client = next_client_id();
            for template in templates {
                // Longer than the room a kept endpoint leaves for the path and query.
                let long = "v".repeat(URL_ROOM + 1);
                for (index, value) in values.iter().chain([&long.as_str()]).enumerate() {
                    let mut request = Request::new(operation(template));
                    request.path_param("id", value);
                    // Every other request without a query: none is kept from the one before.
                    if index % 2 == 0 {
                        request.query("q", value).query("a", "1");
                    }
                    if request.expand_path(config.project_id.as_deref()).is_err() {
                        assert!(request_url(&request, &config, client).is_err());
                        continue;
                    }
                    // Twice: the endpoint parsed, then the one kept for this client.
                    for _ in 0..2 {
                        assert_eq!(
                            request_url(&request, &config, client).unwrap(),
                            reference_url(&request, &config),
                            "{endpoint:?} {template:?} {value:?}"
                        );
                    }
                    compared += 1;
                }
            }
        }
        assert!(compared > 400, "{compared}");
    }
}
