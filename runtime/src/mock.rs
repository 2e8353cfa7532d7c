//! A test double for code that calls Huawei Cloud: a [`Client`](crate::Client) that never opens a
//! connection, answers each operation with a canned response and records what it was asked.
//!
//! Everything up to the wire is real (path and query building, input checks) and so is
//! everything after it (status handling, body and error decoding), so a unit test sees the
//! same values and errors a real call would give.
//!
//! ```
//! use hwcloud_runtime::mock::{Mock, MockResponse};
//!
//! let mock = Mock::new();
//! mock.on("ListSupportRegions", MockResponse::json(200, r#"{"regions": ["cn-north-4"]}"#));
//! mock.on("ShowKey", MockResponse::error(404, "KMS.0404", "The key does not exist."));
//! let client = mock.client(); // hand it to `hwcloud::Client::from_runtime`
//! # let _ = client;
//! assert!(mock.requests().is_empty());
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::operation::OperationSpec;

/// A canned HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockResponse {
    /// The status code.
    pub status: u16,
    /// Response headers (`X-Request-Id` becomes the output's or the error's request ID).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl MockResponse {
    /// A response with `status` and a JSON `body` (`Content-Type: application/json`).
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        MockResponse {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into().into_bytes(),
        }
    }

    /// A response with `status` and no body.
    pub fn status(status: u16) -> Self {
        MockResponse {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A response with `status` and raw `body` bytes (a download, a text body).
    pub fn bytes(status: u16, body: impl Into<Vec<u8>>) -> Self {
        MockResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// An error response in Huawei Cloud's common shape
    /// (`{"error_code": ..., "error_msg": ...}`): the call returns
    /// [`Error::Service`](crate::Error::Service) with these fields, and the operation's typed
    /// error body when its status is documented.
    pub fn error(status: u16, error_code: &str, error_msg: &str) -> Self {
        let body = serde_json::json!({ "error_code": error_code, "error_msg": error_msg });
        MockResponse::json(status, body.to_string())
    }

    /// Adds a response header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A request the mock received, as it would have been sent (credentials aside).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MockRequest {
    /// The operation's name (`ListSupportRegions`).
    pub operation: &'static str,
    /// The service's identifier (`kms`).
    pub service: &'static str,
    /// The HTTP method (`GET`).
    pub method: &'static str,
    /// The path, parameters filled in (`/v2/<project id>/kms/regions`).
    pub path: String,
    /// The query parameters, in the order the operation added them.
    pub query: Vec<(String, String)>,
    /// The operation's headers (`Content-Type`, documented headers, `X-Project-Id`); not
    /// the credentials.
    pub headers: Vec<(String, String)>,
    /// The body, if the request has one.
    pub body: Option<Vec<u8>>,
}

impl MockRequest {
    /// The value of query parameter `name`, if given.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(self.body.as_deref()?).ok()
    }
}

/// The mock's answers and its record of requests; shared by the [`Mock`] handle and the
/// clients it made.
#[derive(Default)]
pub(crate) struct State {
    /// Queued answers by operation key (`ListSupportRegions` or `kms.ListSupportRegions`).
    answers: Mutex<BTreeMap<String, Queue>>,
    requests: Mutex<Vec<MockRequest>>,
}

/// One operation's answers: each call takes the first; the last one stays for every later
/// call, until another is queued.
#[derive(Default)]
struct Queue {
    answers: VecDeque<MockResponse>,
    /// The one answer left has answered a call already: a newly queued one replaces it.
    last_used: bool,
}

/// The mock: set answers with [`Mock::on`], get a client with [`Mock::client`], read what it
/// was asked with [`Mock::requests`]. Cheap to clone (clones share everything).
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<State>,
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mock")
            .field("requests", &lock(&self.state.requests).len())
            .finish_non_exhaustive()
    }
}

/// The mock's state stays usable even if a test thread panicked while holding a lock.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Mock {
    /// A mock with no answers: each operation answers with its spec's example response
    /// until told otherwise.
    pub fn new() -> Self {
        Mock::default()
    }

    /// Queues `response` for `operation`: its official name (`ListSupportRegions`), or
    /// `service.Operation` (`kms.ListSupportRegions`) when two services share a name. Calls
    /// take queued answers in order; the last one answers every call after it, until another
    /// is queued.
    pub fn on(&self, operation: &str, response: MockResponse) -> &Self {
        let mut answers = lock(&self.state.answers);
        let queue = answers.entry(operation.to_owned()).or_default();
        if queue.last_used {
            queue.answers.clear();
            queue.last_used = false;
        }
        queue.answers.push_back(response);
        self
    }

    /// A client that sends nothing over the network: region `mock-region-1`, project ID
    /// `0123456789abcdef0123456789abcdef`, an IAM token as credentials.
    pub fn client(&self) -> crate::Client {
        let config = crate::Config::builder()
            .region("mock-region-1")
            .project_id("0123456789abcdef0123456789abcdef")
            .credentials(crate::Credentials::token("mock-token"))
            .build();
        // The configuration above is always valid: build cannot fail on it.
        match config {
            Ok(config) => crate::Client::with_mock(config, self.state.clone()),
            Err(error) => unreachable!("the mock's configuration is valid: {error}"),
        }
    }

    /// A client with `config` (endpoints, project ID, retry policy of your own) that sends
    /// nothing over the network.
    pub fn client_with_config(&self, config: crate::Config) -> crate::Client {
        crate::Client::with_mock(config, self.state.clone())
    }

    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<MockRequest> {
        lock(&self.state.requests).clone()
    }
}

impl State {
    /// Records `request` and picks its answer: queued for the operation, else its spec's
    /// example of the success status, else `None`.
    pub(crate) fn answer(
        &self,
        op: &'static OperationSpec,
        request: MockRequest,
    ) -> Option<MockResponse> {
        lock(&self.requests).push(request);
        let mut answers = lock(&self.answers);
        let qualified = format!("{}.{}", op.service.id, op.name);
        let queue = match answers.get_mut(&qualified) {
            Some(queue) => Some(queue),
            None => answers.get_mut(op.name),
        };
        if let Some(queue) = queue {
            let response = if queue.answers.len() > 1 {
                queue.answers.pop_front()
            } else {
                queue.last_used = true;
                queue.answers.front().cloned()
            };
            if response.is_some() {
                return response;
            }
        }
        op.example_response
            .map(|example| MockResponse::json(op.success_status, example))
    }
}
