//! Helpers shared by the end-to-end tests.
//!
//! The end-to-end tests (`tests/e2e_*.rs`) drive the generated `hwcloud` client against a
//! wiremock server on 127.0.0.1. This module holds what they share:
//!
//! * fixed test credentials and IDs ([`AK`], [`SK`], [`PROJECT_ID`], ...), and clients built
//!   from them for each kind of credentials ([`Auth`], [`client`]);
//! * the five operations as a table ([`Op`]): the request each one must send, its spec file
//!   (examples and documented statuses are read from `spec/` at test time), a typed call,
//!   and a body in its documented error shape;
//! * [`Outcome`] / [`Failure`]: a uniform view of a call's result that checks, for every
//!   error it sees, that no secret appears in its `Display`, `Debug` or source chain;
//! * signature checks that recompute the SDK-HMAC-SHA256 signature of a received request
//!   twice: with the runtime's signer API, and with an implementation written here from
//!   the algorithm's description (canonical request, string to sign, HMAC).

/// The repository README, so that `cargo test` compiles its example program.
#[doc = include_str!("../../README.md")]
pub mod readme {}

/// Required parameters cannot be forgotten: leaving out the instance ID does not compile,
///
/// ```compile_fail,E0061
/// # async fn run(client: hwcloud::Client) {
/// let _ = client.gaussdb_nosql().show_instance_biactive_regions().send().await;
/// # }
/// ```
///
/// while passing it does.
///
/// ```no_run
/// # async fn run(client: hwcloud::Client) {
/// let _ = client.gaussdb_nosql().show_instance_biactive_regions("id").send().await;
/// # }
/// ```
pub mod required_parameters {}

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use hmac::{Hmac, Mac};
use hwcloud::runtime as rt;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// Access key ID used by the tests (not a secret: it is sent in `Authorization`).
pub const AK: &str = "E2EACCESSKEYID000001";
/// Secret access key used by the tests; must never appear in any output.
pub const SK: &str = "E2E-SECRET-ACCESS-KEY-9f8e7d6c5b4a";
/// Security token of temporary AK/SK credentials; must never appear in any output.
pub const SECURITY_TOKEN: &str = "E2E-SECURITY-TOKEN-0a1b2c3d4e5f";
/// IAM user token; must never appear in any output.
pub const IAM_TOKEN: &str = "E2E-IAM-USER-TOKEN-MIIZ-abcdef123456";
/// Every secret the tests use.
pub const SECRETS: &[&str] = &[SK, SECURITY_TOKEN, IAM_TOKEN];
/// Project ID (32 characters: DBSS documents 32 to 64).
pub const PROJECT_ID: &str = "0483b6b16e954cb88930a360d2c4e663";
/// GeminiDB instance ID (the format of the page's example).
pub const INSTANCE_ID: &str = "3149aee486d748f68db1ee81e95b9f56in06";
/// The `X-Request-Id` every mocked response carries.
pub const REQUEST_ID: &str = "e2e-request-id-5f3c2a";

/// The workspace root (the parent of `tests/`).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// Copies a directory tree (the specs are small).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creates the directory");
    for entry in std::fs::read_dir(from).expect("reads the directory") {
        let entry = entry.expect("reads an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copies a file");
        }
    }
}

/// Reads and parses `spec/<relative>`.
pub fn load_spec(relative: &str) -> serde_yaml::Value {
    let file = workspace().join("spec").join(relative);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", file.display()))
}

/// A JSON value with every `null` object member removed (the models read `null` as
/// "not set" and do not write unset fields).
pub fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(members) => members
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, without_nulls(v)))
            .collect(),
        Value::Array(items) => items.into_iter().map(without_nulls).collect(),
        other => other,
    }
}

// ---------------------------------------------------------------------------------------
// Credentials and clients
// ---------------------------------------------------------------------------------------

/// The kinds of credentials the client supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Permanent AK/SK: requests are signed.
    AkSk,
    /// Temporary AK/SK: signed, plus a signed `X-Security-Token`.
    AkSkTemporary,
    /// IAM user token in `X-Auth-Token`; not signed.
    Token,
}

impl Auth {
    /// Every kind.
    pub const ALL: [Auth; 3] = [Auth::AkSk, Auth::AkSkTemporary, Auth::Token];

    /// The credentials of this kind, built from the test constants.
    pub fn credentials(self) -> rt::Credentials {
        match self {
            Auth::AkSk => rt::Credentials::aksk(AK, SK),
            Auth::AkSkTemporary => {
                rt::Credentials::aksk(AK, SK).with_security_token(SECURITY_TOKEN)
            }
            Auth::Token => rt::Credentials::token(IAM_TOKEN),
        }
    }
}

/// Starts a wiremock server and checks that it listens on loopback.
pub async fn start_server() -> MockServer {
    let server = MockServer::start().await;
    assert!(
        server.address().ip().is_loopback(),
        "mock server must listen on loopback, not {}",
        server.address()
    );
    server
}

/// Fast retries: 3 attempts, the first backoff capped at 1 ms (`Retry-After` still
/// honoured up to 2 s; a longer one ends the retries).
pub fn fast_retry() -> rt::RetryPolicy {
    rt::RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_secs(2))
        .with_max_elapsed(Duration::from_secs(10))
}

/// A config builder for `server` with credentials of kind `auth`, the test project and
/// [`fast_retry`].
pub fn config_builder(server: &MockServer, auth: Auth) -> hwcloud::ConfigBuilder {
    hwcloud::Config::builder()
        .region("cn-north-4")
        .project_id(PROJECT_ID)
        .credentials(auth.credentials())
        .endpoint_override(server.uri())
        .retry(fast_retry())
}

/// A client for `server` with credentials of kind `auth` (see [`config_builder`]).
pub fn client(server: &MockServer, auth: Auth) -> hwcloud::Client {
    client_from(config_builder(server, auth))
}

/// Builds the config and client, checking the config build error does not leak secrets.
pub fn client_from(builder: hwcloud::ConfigBuilder) -> hwcloud::Client {
    let config = builder
        .build()
        .unwrap_or_else(|e| panic!("config: {}", checked_text(&e)));
    hwcloud::Client::new(config).unwrap_or_else(|e| panic!("client: {}", checked_text(&e)))
}

// ---------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------

/// Panics when `text` contains any of [`SECRETS`].
pub fn assert_no_secrets(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "{what} leaks a secret ({secret}): {text}"
        );
    }
}

/// `Display`, `Debug`, `{:#?}` and the source chain of `error`, checked for secrets;
/// returns the `Display` text.
pub fn checked_text<E: std::error::Error>(error: &E) -> String {
    let display = error.to_string();
    assert_no_secrets("error Display", &display);
    assert_no_secrets("error Debug", &format!("{error:?}"));
    assert_no_secrets("error {:#?}", &format!("{error:#?}"));
    let mut source = error.source();
    while let Some(s) = source {
        assert_no_secrets("error source Display", &s.to_string());
        assert_no_secrets("error source Debug", &format!("{s:?}"));
        source = s.source();
    }
    display
}

/// `Debug` (plain and `{:#?}`) of `value`, checked for secrets.
pub fn checked_debug<T: fmt::Debug>(what: &str, value: &T) -> String {
    let plain = format!("{value:?}");
    assert_no_secrets(what, &plain);
    assert_no_secrets(what, &format!("{value:#?}"));
    plain
}

// ---------------------------------------------------------------------------------------
// Uniform view of a call's result
// ---------------------------------------------------------------------------------------

/// Which [`rt::Error`] variant a failure was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `Error::InvalidInput`
    InvalidInput,
    /// `Error::Connect`
    Connect,
    /// `Error::Timeout`
    Timeout,
    /// `Error::Service`
    Service,
    /// `Error::Decode`
    Decode,
    /// `Error::ResponseTooLarge`
    ResponseTooLarge,
    /// `Error::Transport`
    Transport,
    /// A variant added later.
    Other,
}

/// The parts of a [`rt::ServiceError`], with the typed body as JSON.
#[derive(Clone, Debug)]
pub struct ServiceSummary {
    /// HTTP status.
    pub status: u16,
    /// `X-Request-Id`.
    pub request_id: Option<String>,
    /// Parsed error code.
    pub error_code: Option<String>,
    /// Parsed error message.
    pub error_msg: Option<String>,
    /// DBSS-style details as (code, message).
    pub details: Vec<(Option<String>, Option<String>)>,
    /// `encoded_authorization_message`.
    pub encoded_authorization_message: Option<String>,
    /// The raw body.
    pub body: String,
    /// The typed body (encoded back to JSON), if it decoded.
    pub typed: Option<Value>,
}

/// A failed call, summarized. Building one checks it for secrets.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The variant.
    pub kind: Kind,
    /// `Error::status()`.
    pub status: Option<u16>,
    /// `Error::request_id()`.
    pub request_id: Option<String>,
    /// The `Display` text.
    pub display: String,
    /// For `Error::Service`.
    pub service: Option<Box<ServiceSummary>>,
    /// For `Error::Decode`.
    pub decode: Option<Box<rt::DecodeError>>,
}

/// A successful call, summarized.
#[derive(Clone, Debug)]
pub struct Success {
    /// HTTP status.
    pub status: u16,
    /// `X-Request-Id`.
    pub request_id: Option<String>,
    /// The typed body encoded back to JSON.
    pub body: Value,
}

/// The result of [`Op::call`].
#[derive(Clone, Debug)]
pub enum Outcome {
    /// 2xx, decoded.
    Ok(Success),
    /// Any error.
    Err(Failure),
}

impl Outcome {
    /// The success, or a panic showing the failure.
    pub fn ok(self) -> Success {
        match self {
            Outcome::Ok(s) => s,
            Outcome::Err(f) => panic!("expected success, got {:?}: {}", f.kind, f.display),
        }
    }

    /// The failure, or a panic showing the success.
    pub fn err(self) -> Failure {
        match self {
            Outcome::Err(f) => f,
            Outcome::Ok(s) => panic!("expected an error, got {} {}", s.status, s.body),
        }
    }
}

impl Failure {
    /// The service error, or a panic.
    pub fn service(&self) -> &ServiceSummary {
        self.service.as_ref().unwrap_or_else(|| {
            panic!(
                "expected a service error, got {:?}: {}",
                self.kind, self.display
            )
        })
    }

    /// The decode error, or a panic.
    pub fn decode(&self) -> &rt::DecodeError {
        self.decode.as_ref().unwrap_or_else(|| {
            panic!(
                "expected a decode error, got {:?}: {}",
                self.kind, self.display
            )
        })
    }
}

/// A documented error body type, encodable back to JSON for comparison.
pub trait TypedErrorBody: fmt::Debug + 'static {
    /// The body as JSON.
    fn to_json(&self) -> Value;
}

impl TypedErrorBody for rt::NoErrorBody {
    fn to_json(&self) -> Value {
        match *self {}
    }
}

macro_rules! typed_error_body {
    ($($t:ty),*) => {$(
        impl TypedErrorBody for $t {
            fn to_json(&self) -> Value {
                serde_json::to_value(self).expect("error models encode")
            }
        }
    )*};
}

typed_error_body!(
    hwcloud::kms::KmsErrorResponse,
    hwcloud::gaussdb_nosql::GeminiDbErrorResponse,
    hwcloud::dbss::DbssErrorResponse
);

/// Summarizes a call's result; every error is checked for secrets (see [`checked_text`]).
pub fn summarize<T, E>(result: Result<rt::Output<T>, rt::Error<E>>) -> Outcome
where
    T: Serialize + fmt::Debug,
    E: TypedErrorBody,
{
    match result {
        Ok(output) => {
            checked_debug("output", &output);
            Outcome::Ok(Success {
                status: output.status,
                request_id: output.request_id.clone(),
                body: serde_json::to_value(&output.body).expect("models encode"),
            })
        }
        Err(error) => {
            let display = checked_text(&error);
            let mut failure = Failure {
                kind: Kind::Other,
                status: error.status(),
                request_id: error.request_id().map(str::to_owned),
                display,
                service: None,
                decode: None,
            };
            failure.kind = match &error {
                rt::Error::InvalidInput(_) => Kind::InvalidInput,
                rt::Error::Connect { .. } => Kind::Connect,
                rt::Error::Timeout { .. } => Kind::Timeout,
                rt::Error::Service(s) => {
                    assert_no_secrets("service error Display", &s.to_string());
                    failure.service = Some(Box::new(ServiceSummary {
                        status: s.status,
                        request_id: s.request_id.clone(),
                        error_code: s.error_code.clone(),
                        error_msg: s.error_msg.clone(),
                        details: s
                            .details
                            .iter()
                            .map(|d| (d.error_code.clone(), d.error_msg.clone()))
                            .collect(),
                        encoded_authorization_message: s.encoded_authorization_message.clone(),
                        body: s.body.clone(),
                        typed: s.typed.as_ref().map(TypedErrorBody::to_json),
                    }));
                    Kind::Service
                }
                rt::Error::Decode(d) => {
                    failure.decode = Some(d.clone());
                    Kind::Decode
                }
                rt::Error::ResponseTooLarge { .. } => Kind::ResponseTooLarge,
                rt::Error::Transport { .. } => Kind::Transport,
                _ => Kind::Other,
            };
            Outcome::Err(failure)
        }
    }
}

// ---------------------------------------------------------------------------------------
// The five operations
// ---------------------------------------------------------------------------------------

/// The five generated operations under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `client.kms().list_support_regions().limit(10).offset(2)`
    KmsListSupportRegions,
    /// `client.rds().list_dr_relations()`
    RdsListDrRelations,
    /// `client.gaussdb_nosql().show_instance_biactive_regions(INSTANCE_ID)`
    GeminiShowBiactiveRegions,
    /// `client.gaussdb_nosql().delete_gemini_db_dual_active(INSTANCE_ID)`
    GeminiDeleteDualActive,
    /// `client.dbss().list_instances()`
    DbssListInstances,
}

impl Op {
    /// Every operation.
    pub const ALL: [Op; 5] = [
        Op::KmsListSupportRegions,
        Op::RdsListDrRelations,
        Op::GeminiShowBiactiveRegions,
        Op::GeminiDeleteDualActive,
        Op::DbssListInstances,
    ];

    /// The operation name as in the spec.
    pub fn name(self) -> &'static str {
        match self {
            Op::KmsListSupportRegions => "ListSupportRegions",
            Op::RdsListDrRelations => "ListDrRelations",
            Op::GeminiShowBiactiveRegions => "ShowInstanceBiactiveRegions",
            Op::GeminiDeleteDualActive => "DeleteGeminiDbDualActive",
            Op::DbssListInstances => "ListInstances",
        }
    }

    /// The spec file, relative to `spec/`.
    pub fn spec_file(self) -> &'static str {
        match self {
            Op::KmsListSupportRegions => "kms/list_support_regions.yaml",
            Op::RdsListDrRelations => "rds/list_dr_relations.yaml",
            Op::GeminiShowBiactiveRegions => "gaussdb-nosql/show_instance_biactive_regions.yaml",
            Op::GeminiDeleteDualActive => "gaussdb-nosql/delete_gemini_db_dual_active.yaml",
            Op::DbssListInstances => "dbss/list_instances.yaml",
        }
    }

    /// The parsed spec.
    pub fn spec(self) -> serde_yaml::Value {
        load_spec(self.spec_file())
    }

    /// The HTTP method the request must use.
    pub fn method(self) -> &'static str {
        match self {
            Op::GeminiDeleteDualActive => "DELETE",
            Op::DbssListInstances => "POST",
            _ => "GET",
        }
    }

    /// The path template the request must use (as in the spec).
    pub fn path_template(self) -> &'static str {
        match self {
            Op::KmsListSupportRegions => "/v2/{project_id}/kms/regions",
            Op::RdsListDrRelations => "/v3/{project_id}/instances/disaster-recovery-relation",
            Op::GeminiShowBiactiveRegions => {
                "/v3/{project_id}/instances/{instance_id}/disaster-recovery/regions"
            }
            Op::GeminiDeleteDualActive => {
                "/v3/{project_id}/instances/{instance_id}/dual-active-relationship"
            }
            Op::DbssListInstances => "/v2/{project_id}/db-om/instances",
        }
    }

    /// The exact wire path for [`PROJECT_ID`] and [`INSTANCE_ID`].
    pub fn path(self) -> String {
        self.path_template()
            .replace("{project_id}", PROJECT_ID)
            .replace("{instance_id}", INSTANCE_ID)
    }

    /// The exact wire query [`Op::call`] sends.
    pub fn query(self) -> Option<&'static str> {
        match self {
            Op::KmsListSupportRegions => Some("limit=10&offset=2"),
            _ => None,
        }
    }

    /// The documented success status (the spec's 2xx response).
    pub fn success_status(self) -> u16 {
        let statuses = documented_statuses(&self.spec());
        let ok: Vec<u16> = statuses
            .into_iter()
            .filter(|s| (200..300).contains(s))
            .collect();
        assert_eq!(ok.len(), 1, "{}: one 2xx response", self.name());
        ok[0]
    }

    /// The documented error statuses (the spec's non-2xx responses).
    pub fn error_statuses(self) -> Vec<u16> {
        documented_statuses(&self.spec())
            .into_iter()
            .filter(|s| !(200..300).contains(s))
            .collect()
    }

    /// The description the spec gives response `status` (a page may give none).
    pub fn status_description(self, status: u16) -> String {
        self.spec()["responses"][status.to_string()]["description"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("documented failure {status}"))
    }

    /// The page's example body of the success response, read from the spec.
    pub fn example(self) -> String {
        let status = self.success_status().to_string();
        self.spec()["responses"][status.as_str()]["example"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no example for {status}", self.name()))
            .to_owned()
    }

    /// Whether the runtime may retry this operation: an idempotent method, or a spec that
    /// marks the operation `retry_safe` (the DBSS listing, a POST that only reads).
    pub fn retryable(self) -> bool {
        let idempotent = matches!(self.method(), "GET" | "HEAD" | "PUT" | "DELETE");
        idempotent || self.spec()["retry_safe"].as_bool() == Some(true)
    }

    /// An error body in the operation's documented shape (or the common flat shape for
    /// operations that document none), with the code and message it carries.
    pub fn error_body(self, status: u16) -> (Value, String, String) {
        let message = if self.error_statuses().contains(&status) {
            self.status_description(status)
        } else {
            format!("undocumented failure {status}")
        };
        match self {
            Op::KmsListSupportRegions => {
                let code = format!("KMS.{status:04}");
                let body = serde_json::json!({"error": {"error_code": code, "error_msg": message}});
                (body, code, message)
            }
            Op::DbssListInstances => {
                let code = format!("DBSS.{status}001");
                let body = serde_json::json!({
                    "error_code": code,
                    "error_msg": message,
                    "details": [
                        {"error_code": "PDP5.0001", "error_msg": "policy denies db-om:listInstances"},
                        {"error_code": "PDP5.0002", "error_msg": "no matching allow statement"}
                    ],
                    "encoded_authorization_message": "ENCODED-AUTHZ-MESSAGE-XYZ"
                });
                (body, code, message)
            }
            Op::GeminiDeleteDualActive | Op::GeminiShowBiactiveRegions => {
                let code = format!("DBS.{status}019");
                let body = serde_json::json!({"error_code": code, "error_msg": message});
                (body, code, message)
            }
            Op::RdsListDrRelations => {
                let code = format!("DBS.{status}280");
                let body = serde_json::json!({"error_code": code, "error_msg": message});
                (body, code, message)
            }
        }
    }

    /// A wiremock matcher for exactly this operation's method and path.
    pub fn matcher(self) -> MockBuilder {
        Mock::given(method(self.method())).and(path(self.path()))
    }

    /// Calls the operation through the generated client.
    pub async fn call(self, client: &hwcloud::Client) -> Outcome {
        self.call_on(client, INSTANCE_ID).await
    }

    /// Calls the operation with `instance_id` as the path argument (where it has one).
    pub async fn call_on(self, client: &hwcloud::Client, instance_id: &str) -> Outcome {
        match self {
            Op::KmsListSupportRegions => summarize(
                client
                    .kms()
                    .list_support_regions()
                    .offset(2)
                    .limit(10)
                    .send()
                    .await,
            ),
            Op::RdsListDrRelations => summarize(client.rds().list_dr_relations().send().await),
            Op::GeminiShowBiactiveRegions => summarize(
                client
                    .gaussdb_nosql()
                    .show_instance_biactive_regions(instance_id)
                    .send()
                    .await,
            ),
            Op::GeminiDeleteDualActive => summarize(
                client
                    .gaussdb_nosql()
                    .delete_gemini_db_dual_active(instance_id)
                    .send()
                    .await,
            ),
            Op::DbssListInstances => summarize(client.dbss().list_instances().send().await),
        }
    }
}

/// The numeric keys of a spec's `responses`, in spec order.
pub fn documented_statuses(spec: &serde_yaml::Value) -> Vec<u16> {
    spec["responses"]
        .as_mapping()
        .expect("responses is a mapping")
        .keys()
        .map(|k| match k {
            serde_yaml::Value::String(s) => s.parse().expect("status key is a number"),
            serde_yaml::Value::Number(n) => n.as_u64().expect("status key") as u16,
            other => panic!("unexpected status key {other:?}"),
        })
        .collect()
}

/// A JSON response with the test request ID.
pub fn json_response(status: u16, body: impl AsRef<str>) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("X-Request-Id", REQUEST_ID)
        .set_body_raw(body.as_ref().as_bytes().to_vec(), "application/json")
}

/// The success response of `op`: its status and the page's example body.
pub fn example_response(op: Op) -> ResponseTemplate {
    json_response(op.success_status(), op.example())
}

/// The requests `server` received.
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

// ---------------------------------------------------------------------------------------
// Request checks
// ---------------------------------------------------------------------------------------

/// The single value of header `name`, asserting it was sent at most once.
pub fn header<'a>(req: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    let values: Vec<_> = req.headers.get_all(name).iter().collect();
    assert!(
        values.len() <= 1,
        "header {name} sent {} times",
        values.len()
    );
    values.first().map(|v| {
        v.to_str()
            .unwrap_or_else(|_| panic!("header {name} is not ASCII"))
    })
}

/// The value of header `name`, which must be present.
pub fn required_header<'a>(req: &'a wiremock::Request, name: &str) -> &'a str {
    header(req, name).unwrap_or_else(|| panic!("header {name} missing"))
}

/// Asserts `X-Sdk-Date` is `YYYYMMDDTHHMMSSZ` and within five minutes of now.
pub fn assert_fresh_sdk_date(date: &str) {
    let b = date.as_bytes();
    assert_eq!(b.len(), 16, "X-Sdk-Date {date:?}");
    assert!(
        b[..8].iter().all(u8::is_ascii_digit)
            && b[8] == b'T'
            && b[9..15].iter().all(u8::is_ascii_digit)
            && b[15] == b'Z',
        "X-Sdk-Date {date:?} is not YYYYMMDDTHHMMSSZ"
    );
    let now = SystemTime::now();
    let margin = Duration::from_secs(300);
    let earliest = rt::signer::format_sdk_date(now - margin);
    let latest = rt::signer::format_sdk_date(now + margin);
    assert!(
        earliest.as_str() <= date && date <= latest.as_str(),
        "X-Sdk-Date {date} is not within 5 minutes of now ({earliest}..{latest})"
    );
}

/// The parts of an `Authorization: SDK-HMAC-SHA256 ...` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// `Access=`
    pub access: String,
    /// `SignedHeaders=` split on `;`.
    pub signed_headers: Vec<String>,
    /// `Signature=`
    pub signature: String,
}

/// Parses an `Authorization` header, asserting its exact format:
/// `SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<a;b;c>, Signature=<64 lower-case hex>`.
pub fn parse_authorization(value: &str) -> Authorization {
    let rest = value
        .strip_prefix("SDK-HMAC-SHA256 Access=")
        .unwrap_or_else(|| panic!("Authorization {value:?} does not start with the algorithm"));
    let (access, rest) = rest
        .split_once(", SignedHeaders=")
        .unwrap_or_else(|| panic!("Authorization {value:?} lacks SignedHeaders"));
    let (signed, signature) = rest
        .split_once(", Signature=")
        .unwrap_or_else(|| panic!("Authorization {value:?} lacks Signature"));
    assert_eq!(signature.len(), 64, "signature length in {value:?}");
    assert!(
        signature
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)),
        "signature is not lower-case hex: {value:?}"
    );
    let signed_headers: Vec<String> = signed.split(';').map(str::to_owned).collect();
    let mut sorted = signed_headers.clone();
    sorted.sort();
    assert_eq!(signed_headers, sorted, "signed headers are sorted");
    Authorization {
        access: access.to_owned(),
        signed_headers,
        signature: signature.to_owned(),
    }
}

/// The `Authorization` value the runtime's signer API computes for the received request
/// (signed header names taken from the request's own `Authorization`).
pub fn authorization_via_runtime_signer(req: &wiremock::Request, ak: &str, sk: &str) -> String {
    let auth = parse_authorization(required_header(req, "authorization"));
    let headers: Vec<(String, String)> = auth
        .signed_headers
        .iter()
        .filter(|n| *n != "x-sdk-date")
        .map(|n| (n.clone(), required_header(req, n).to_owned()))
        .collect();
    let query = rt::signer::parse_query(req.url.query().unwrap_or(""));
    let date = required_header(req, "x-sdk-date");
    rt::signer::sign(
        &rt::signer::SigningInput {
            method: req.method.as_str(),
            path: req.url.path(),
            query: &query,
            headers: &headers,
            body: &req.body,
        },
        ak,
        sk,
        date,
    )
    .authorization
}

/// Percent-encodes over everything but the RFC 3986 unreserved set, upper-case hex.
fn rfc3986(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decodes (`%XY` with two hex digits; anything else kept; invalid UTF-8 replaced).
fn percent_decode(s: &str) -> String {
    fn hex_digit(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The canonical request, computed here from the algorithm's description, independently
/// of the runtime: method, canonical URI (decoded path, each segment re-encoded, ending in
/// `/`), canonical query (pairs sorted on raw values, encoded), canonical headers (the
/// signed ones, `name:trimmed value\n`), signed header list, hex SHA-256 of the body (or
/// the signed `X-Sdk-Content-Sha256` value, `UNSIGNED-PAYLOAD` for a body that is not JSON).
pub fn independent_canonical_request(req: &wiremock::Request, signed_headers: &[String]) -> String {
    let decoded_path = percent_decode(req.url.path());
    let mut uri = decoded_path
        .split('/')
        .map(rfc3986)
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    let mut pairs: Vec<(String, String)> = req
        .url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect();
    pairs.sort();
    let query = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", rfc3986(k), rfc3986(v)))
        .collect::<Vec<_>>()
        .join("&");
    let headers: String = signed_headers
        .iter()
        .map(|n| format!("{n}:{}\n", required_header(req, n).trim()))
        .collect();
    // As the official signer (and so the gateway): an empty body hashes as empty even when
    // `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` is signed.
    let payload =
        if !req.body.is_empty() && signed_headers.iter().any(|n| n == "x-sdk-content-sha256") {
            required_header(req, "x-sdk-content-sha256").to_owned()
        } else {
            hex::encode(Sha256::digest(&req.body))
        };
    format!(
        "{}\n{uri}\n{query}\n{headers}\n{}\n{payload}",
        req.method.as_str(),
        signed_headers.join(";"),
    )
}

/// The `Authorization` value computed independently of the runtime (see
/// [`independent_canonical_request`]): `HMAC-SHA256(sk, "SDK-HMAC-SHA256\n<date>\n<hex
/// sha256(canonical request)>")`.
pub fn authorization_independent(req: &wiremock::Request, ak: &str, sk: &str) -> String {
    let auth = parse_authorization(required_header(req, "authorization"));
    let canonical = independent_canonical_request(req, &auth.signed_headers);
    let date = required_header(req, "x-sdk-date");
    let string_to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(sk.as_bytes()).expect("any key length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    format!(
        "SDK-HMAC-SHA256 Access={ak}, SignedHeaders={}, Signature={signature}",
        auth.signed_headers.join(";")
    )
}

/// Asserts the request's `Authorization` equals the signature recomputed both with the
/// runtime's signer API and independently, for `ak`/`sk`.
pub fn assert_signature_valid(req: &wiremock::Request, ak: &str, sk: &str) {
    let sent = required_header(req, "authorization");
    assert_eq!(
        sent,
        authorization_independent(req, ak, sk),
        "signature differs from the independent recomputation"
    );
    assert_eq!(
        sent,
        authorization_via_runtime_signer(req, ak, sk),
        "signature differs from the runtime signer's recomputation"
    );
}

/// Asserts everything about a received request of `op` made with credentials `auth`
/// through a client of `server`: method, path, query, body, `Host`, `X-Project-Id`,
/// `User-Agent`, and the authentication headers (signature verified for AK/SK).
pub fn assert_exact_request(op: Op, auth: Auth, server: &MockServer, req: &wiremock::Request) {
    let ctx = format!("{} with {auth:?}", op.name());
    assert_eq!(req.method.as_str(), op.method(), "{ctx}: method");
    assert_eq!(req.url.path(), op.path(), "{ctx}: path");
    assert_eq!(req.url.query(), op.query(), "{ctx}: query");
    assert!(req.body.is_empty(), "{ctx}: no body is documented");
    let host = format!("127.0.0.1:{}", server.address().port());
    assert_eq!(required_header(req, "host"), host, "{ctx}: Host");
    assert_eq!(
        required_header(req, "x-project-id"),
        PROJECT_ID,
        "{ctx}: X-Project-Id"
    );
    assert!(
        required_header(req, "user-agent").starts_with("hwcloud-rust-sdk/"),
        "{ctx}: User-Agent"
    );
    match auth {
        Auth::AkSk | Auth::AkSkTemporary => {
            assert_eq!(header(req, "x-auth-token"), None, "{ctx}: no X-Auth-Token");
            assert_fresh_sdk_date(required_header(req, "x-sdk-date"));
            let parsed = parse_authorization(required_header(req, "authorization"));
            assert_eq!(parsed.access, AK, "{ctx}: Access");
            let expected: &[&str] = if auth == Auth::AkSkTemporary {
                assert_eq!(
                    required_header(req, "x-security-token"),
                    SECURITY_TOKEN,
                    "{ctx}: X-Security-Token"
                );
                &["host", "x-project-id", "x-sdk-date", "x-security-token"]
            } else {
                assert_eq!(
                    header(req, "x-security-token"),
                    None,
                    "{ctx}: no X-Security-Token"
                );
                &["host", "x-project-id", "x-sdk-date"]
            };
            assert_eq!(parsed.signed_headers, expected, "{ctx}: SignedHeaders");
            assert_signature_valid(req, AK, SK);
        }
        Auth::Token => {
            assert_eq!(
                required_header(req, "x-auth-token"),
                IAM_TOKEN,
                "{ctx}: X-Auth-Token"
            );
            assert_eq!(
                header(req, "authorization"),
                None,
                "{ctx}: no Authorization"
            );
            assert_eq!(header(req, "x-sdk-date"), None, "{ctx}: no X-Sdk-Date");
            assert_eq!(
                header(req, "x-security-token"),
                None,
                "{ctx}: no X-Security-Token"
            );
        }
    }
}
