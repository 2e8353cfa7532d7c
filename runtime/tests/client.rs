//! End-to-end tests of the client against a wiremock server on 127.0.0.1.

use std::time::{Duration, Instant};

use hwcloud_runtime as rt;
use hwcloud_runtime::signer::{self, SigningInput};
use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const AK: &str = "TESTACCESSKEY";
const SK: &str = "TOPSECRETSECRETKEY";
const TOKEN: &str = "TOPSECRETSTSTOKEN";
const PID: &str = "0123456789abcdef0123456789abcdef";

static KMS: rt::ServiceSpec = rt::ServiceSpec {
    id: "kms",
    endpoint: "kms.{region}.myhuaweicloud.com",
};

static LIST: rt::OperationSpec = rt::OperationSpec {
    name: "ListSupportRegions",
    service: &KMS,
    host: None,
    method: rt::Method::Get,
    path: "/v2/{project_id}/kms/regions",
    retry_safe: false,
    success_status: 200,
    redirect_success: &[],
    error_statuses: &[400, 401, 403, 404, 500, 502, 504],
    default_error: false,
    project_id_length: Some((32, 64)),
    example_response: None,
};

static CREATE: rt::OperationSpec = rt::OperationSpec {
    name: "CreateKey",
    service: &KMS,
    host: None,
    method: rt::Method::Post,
    path: "/v1.0/{project_id}/kms/create-key",
    retry_safe: false,
    success_status: 200,
    redirect_success: &[],
    error_statuses: &[400],
    default_error: false,
    project_id_length: None,
    example_response: None,
};

static CREATE_SAFE: rt::OperationSpec = rt::OperationSpec {
    retry_safe: true,
    ..CREATE
};

static SHOW: rt::OperationSpec = rt::OperationSpec {
    name: "ShowItem",
    service: &KMS,
    host: None,
    method: rt::Method::Get,
    path: "/v1/items/{item_id}",
    retry_safe: false,
    success_status: 200,
    redirect_success: &[],
    error_statuses: &[400],
    default_error: false,
    project_id_length: None,
    example_response: None,
};

static DELETE: rt::OperationSpec = rt::OperationSpec {
    name: "DeleteItem",
    service: &KMS,
    host: None,
    method: rt::Method::Delete,
    path: "/v1/items/{item_id}",
    retry_safe: false,
    success_status: 204,
    redirect_success: &[],
    error_statuses: &[],
    default_error: false,
    project_id_length: None,
    example_response: None,
};

#[derive(Debug, Deserialize, PartialEq)]
struct Regions {
    regions: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Optional {
    #[allow(dead_code)]
    regions: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct KmsError {
    error: KmsErrorInner,
}

#[derive(Debug, Deserialize)]
struct KmsErrorInner {
    error_code: String,
}

fn fast_retry() -> rt::RetryPolicy {
    rt::RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_secs(2))
}

fn builder(server: &MockServer) -> rt::ConfigBuilder {
    rt::Config::builder()
        .region("cn-north-4")
        .project_id(PID)
        .credentials(rt::Credentials::aksk(AK, SK))
        .endpoint_override(server.uri())
        .retry(fast_retry())
}

fn client(server: &MockServer) -> rt::Client {
    rt::Client::new(builder(server).build().unwrap()).unwrap()
}

/// Recomputes the signature of a received request from its own headers.
fn assert_signature_valid(req: &wiremock::Request, ak: &str, sk: &str) {
    let auth = req.headers.get("authorization").unwrap().to_str().unwrap();
    let signed_list = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let headers: Vec<(String, String)> = signed_list
        .split(';')
        .filter(|n| *n != "x-sdk-date")
        .map(|n| {
            let v = req
                .headers
                .get(n)
                .unwrap_or_else(|| panic!("signed header {n} not sent"));
            (n.to_owned(), v.to_str().unwrap().to_owned())
        })
        .collect();
    let date = req.headers.get("x-sdk-date").unwrap().to_str().unwrap();
    assert_eq!(date.len(), 16);
    let query = signer::parse_query(req.url.query().unwrap_or(""));
    let sig = signer::sign(
        &SigningInput {
            method: req.method.as_str(),
            path: req.url.path(),
            query: &query,
            headers: &headers,
            body: &req.body,
        },
        ak,
        sk,
        date,
    );
    assert_eq!(auth, sig.authorization);
}

#[tokio::test]
async fn get_is_signed_and_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PID}/kms/regions")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-1")
                .set_body_string(r#"{"regions":["cn-north-4"]}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut request = rt::Request::new(&LIST);
    request.query("limit", 10.to_string());
    request.query("name", "a b/ü");
    request.query("limit", "2");
    request.header("X-Language", "en-us");
    let out: rt::Output<Regions> = client.execute::<Regions, KmsError>(request).await.unwrap();
    assert_eq!(out.body.regions, vec!["cn-north-4"]);
    assert_eq!(out.status, 200);
    assert_eq!(out.request_id.as_deref(), Some("req-1"));
    let reqs = server.received_requests().await.unwrap();
    let req = &reqs[0];
    assert_eq!(
        req.url.query(),
        Some("limit=10&limit=2&name=a%20b%2F%C3%BC")
    );
    assert_eq!(req.headers.get("x-project-id").unwrap(), PID);
    let auth = req.headers.get("authorization").unwrap().to_str().unwrap();
    assert!(auth.starts_with(&format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host;x-language;x-project-id;x-sdk-date, Signature=")), "{auth}");
    assert!(req.headers.get("content-type").is_none());
    assert!(req.headers.get("user-agent").is_some());
    assert_signature_valid(req, AK, SK);
}

#[tokio::test]
async fn post_json_with_security_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":[]}"#))
        .mount(&server)
        .await;
    let config = builder(&server)
        .credentials(rt::Credentials::aksk(AK, SK).with_security_token(TOKEN))
        .build()
        .unwrap();
    let client = rt::Client::new(config).unwrap();
    let mut request = rt::Request::new(&CREATE);
    request.json_body(&serde_json::json!({"key_alias": "k1", "désc": "ü"}));
    let out = client
        .execute::<Regions, rt::NoErrorBody>(request)
        .await
        .unwrap();
    assert!(out.body.regions.is_empty());
    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.url.path(), format!("/v1.0/{PID}/kms/create-key"));
    assert_eq!(req.headers.get("content-type").unwrap(), "application/json");
    assert_eq!(req.headers.get("x-security-token").unwrap(), TOKEN);
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body["key_alias"], "k1");
    let auth = req.headers.get("authorization").unwrap().to_str().unwrap();
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,")
    );
    assert_signature_valid(req, AK, SK);
}

#[tokio::test]
async fn iam_token_is_sent_unsigned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":[]}"#))
        .mount(&server)
        .await;
    let config = builder(&server)
        .credentials(rt::Credentials::token(TOKEN))
        .build()
        .unwrap();
    let client = rt::Client::new(config).unwrap();
    client
        .execute::<Regions, rt::NoErrorBody>(rt::Request::new(&LIST))
        .await
        .unwrap();
    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.headers.get("x-auth-token").unwrap(), TOKEN);
    assert!(req.headers.get("authorization").is_none());
    assert_eq!(req.headers.get("x-project-id").unwrap(), PID);
}

#[tokio::test]
async fn retries_503_then_succeeds_with_fresh_signature() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":["x"]}"#))
        .mount(&server)
        .await;
    let out = client(&server)
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap();
    assert_eq!(out.body.regions, vec!["x"]);
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_signature_valid(r, AK, SK);
    }
}

#[tokio::test]
async fn retries_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("X-Request-Id", "busy")
                .set_body_string(r#"{"error_code":"APIGW.0308","error_msg":"throttled"}"#),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        err.to_string(),
        "service error 503 (APIGW.0308: throttled) [request id: busy]"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":[]}"#))
        .mount(&server)
        .await;
    let started = Instant::now();
    client(&server)
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn retry_after_beyond_max_backoff_returns_the_error_at_once() {
    // The server asks for longer than `max_backoff` allows: no early retry; the 429/503
    // is the caller's error, with its status and request ID.
    for (status, retry_after) in [
        (503, "120".to_owned()),
        (429, "Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        (503, "99999999999999999999999999".to_owned()),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("Retry-After", retry_after.as_str())
                    .insert_header("X-Request-Id", "slow-down")
                    .set_body_string(r#"{"error_code":"APIGW.0308","error_msg":"throttled"}"#),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":[]}"#))
            .mount(&server)
            .await;
        let config = builder(&server)
            .retry(fast_retry().with_max_backoff(Duration::from_millis(50)))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = rt::Client::new(config)
            .unwrap()
            .execute::<Regions, KmsError>(rt::Request::new(&LIST))
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2), "{retry_after}");
        assert_eq!(err.status(), Some(status), "{retry_after}");
        assert_eq!(err.request_id(), Some("slow-down"));
        assert_eq!(
            err.as_service().unwrap().error_code.as_deref(),
            Some("APIGW.0308")
        );
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{retry_after}: not retried early"
        );
    }
}

#[tokio::test]
async fn hostile_retry_after_is_ignored_without_panicking() {
    // Unparseable or out-of-range values fall back to the normal (1 ms) backoff.
    for retry_after in [
        "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
        "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
        "Sun, 06 Nov 1969 08:49:37 GMT",
        "-1",
        "-9223372036854775808",
        "soon",
        "Sun, 06 Növ 1994 08:49:37 GMT",
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", retry_after))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":["ok"]}"#))
            .mount(&server)
            .await;
        let started = Instant::now();
        let out = client(&server)
            .execute::<Regions, KmsError>(rt::Request::new(&LIST))
            .await
            .unwrap_or_else(|e| panic!("{retry_after:?}: {e}"));
        assert_eq!(out.body.regions, vec!["ok"]);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{retry_after:?}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn duration_max_settings_do_not_panic() {
    // Every duration setting at `Duration::MAX`: no deadline, no overflow.
    let unbounded = rt::RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::MAX)
        .with_max_elapsed(Duration::MAX);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":[]}"#))
        .mount(&server)
        .await;
    let config = builder(&server)
        .timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .read_timeout(Duration::MAX)
        .retry(unbounded.clone())
        .build()
        .unwrap();
    rt::Client::new(config)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // A huge Retry-After with an unbounded `max_backoff` but a finite time budget: the
    // wait cannot be represented as an `Instant`, so it is past the deadline.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503).insert_header("Retry-After", "18446744073709551615"),
        )
        .mount(&server)
        .await;
    let config = builder(&server)
        .retry(unbounded.with_max_elapsed(Duration::from_secs(30)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = rt::Client::new(config)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn max_elapsed_stops_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    let config = builder(&server)
        .retry(fast_retry().with_max_elapsed(Duration::from_millis(500)))
        .build()
        .unwrap();
    let err = rt::Client::new(config)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn post_not_retried_unless_retry_safe() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut request = rt::Request::new(&CREATE);
    request.json_body(&serde_json::json!({}));
    let err = client
        .execute::<Regions, KmsError>(request)
        .await
        .unwrap_err();
    assert!(matches!(err, rt::Error::Service(ref e) if e.status == 503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let mut request = rt::Request::new(&CREATE_SAFE);
    request.json_body(&serde_json::json!({}));
    let _ = client.execute::<Regions, KmsError>(request).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 1 + 3);
}

#[tokio::test]
async fn timeout_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let config = builder(&server)
        .timeout(Duration::from_millis(200))
        .retry(rt::RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = rt::Client::new(config)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap_err();
    assert!(matches!(err, rt::Error::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    let debug = format!("{err:?} {err}");
    assert!(!debug.contains(SK));
}

#[tokio::test]
async fn connect_error_is_reported() {
    // Bind then drop a listener so the port is (almost certainly) closed.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = rt::Config::builder()
        .credentials(rt::Credentials::aksk(AK, SK))
        .project_id(PID)
        .endpoint_override(format!("http://127.0.0.1:{port}"))
        .retry(rt::RetryPolicy::none())
        .build()
        .unwrap();
    let err = rt::Client::new(config)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap_err();
    assert!(matches!(err, rt::Error::Connect { .. }), "{err:?}");
}

#[tokio::test]
async fn crlf_header_rejected_without_sending() {
    let server = MockServer::start().await;
    let mut request = rt::Request::new(&LIST);
    request.header("X-Language", "en\r\nX-Injected: 1");
    let err = client(&server)
        .execute::<Regions, KmsError>(request)
        .await
        .unwrap_err();
    assert!(matches!(err, rt::Error::InvalidInput(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());

    let mut request = rt::Request::new(&LIST);
    request.header("Authorization", "mine");
    let err = client(&server)
        .execute::<Regions, KmsError>(request)
        .await
        .unwrap_err();
    assert!(matches!(err, rt::Error::InvalidInput(_)));
    assert!(server.received_requests().await.unwrap().is_empty());

    // Headers that would be signed with one value and sent with another (User-Agent, set
    // from the config) or not sent at all (connection-level ones, dropped by HTTP/2).
    for name in ["User-Agent", "connection", "Keep-Alive", "TE", "Upgrade"] {
        let mut request = rt::Request::new(&LIST);
        request.header(name, "x");
        let err = client(&server)
            .execute::<Regions, KmsError>(request)
            .await
            .unwrap_err();
        assert!(matches!(err, rt::Error::InvalidInput(_)), "{name}: {err:?}");
        assert!(err.to_string().contains(name), "{err}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn recorded_invalid_input_and_missing_params() {
    let server = MockServer::start().await;
    let client = client(&server);
    let mut request = rt::Request::new(&LIST);
    request.invalid_input("limit must be between 1 and 100");
    let err = client
        .execute::<Regions, KmsError>(request)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("limit must be between 1 and 100"));
    // Missing path param.
    let err = client
        .execute::<Regions, KmsError>(rt::Request::new(&SHOW))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("item_id"), "{err}");
    // Project ID missing, or outside the documented length.
    let no_pid = rt::Config::builder()
        .credentials(rt::Credentials::aksk(AK, SK))
        .endpoint_override(server.uri())
        .build()
        .unwrap();
    let err = rt::Client::new(no_pid)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap_err();
    assert!(matches!(err, rt::Error::InvalidInput(_)));
    let short_pid = builder(&server).project_id("abc").build().unwrap();
    let err = rt::Client::new(short_pid)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("length"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn path_traversal_stays_in_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":[]}"#))
        .mount(&server)
        .await;
    let mut request = rt::Request::new(&SHOW);
    request.path_param("item_id", "../x?y#z");
    client(&server)
        .execute::<Regions, KmsError>(request)
        .await
        .unwrap();
    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.url.path(), "/v1/items/..%2Fx%3Fy%23z");
    assert_eq!(req.url.query(), None);
    assert_signature_valid(req, AK, SK);

    let mut request = rt::Request::new(&SHOW);
    request.path_param("item_id", "..");
    assert!(matches!(
        client(&server).execute::<Regions, KmsError>(request).await,
        Err(rt::Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn decode_errors_on_bad_2xx_bodies() {
    let server = MockServer::start().await;
    let long_html = format!("<html>{}</html>", "é".repeat(2000));
    for (i, body) in [
        r#"{"regions":["a""#.to_owned(),
        r#"{"regions": 5}"#.to_owned(),
        long_html.clone(),
    ]
    .iter()
    .enumerate()
    {
        Mock::given(method("GET"))
            .and(path(format!("/v1/items/{i}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("X-Request-Id", "dec")
                    .set_body_string(body.clone()),
            )
            .mount(&server)
            .await;
        let mut request = rt::Request::new(&SHOW);
        request.path_param("item_id", i);
        let err = client(&server)
            .execute::<Regions, KmsError>(request)
            .await
            .unwrap_err();
        match &err {
            rt::Error::Decode(d) => {
                assert_eq!(d.status, 200);
                assert_eq!(d.request_id.as_deref(), Some("dec"));
                assert!(d.body_excerpt.len() <= 512);
                assert!(body.starts_with(&d.body_excerpt));
                assert!(!d.message.is_empty());
            }
            other => panic!("expected decode error, got {other:?}"),
        }
        assert!(err.to_string().contains("[request id: dec]"));
    }
    // The Display shows the start of the body, so an HTML page is recognisable.
    let mut request = rt::Request::new(&SHOW);
    request.path_param("item_id", 2);
    let err = client(&server)
        .execute::<Regions, KmsError>(request)
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("<html>éééé"), "{text}");
    assert!(text.len() < 400, "the Display excerpt is short: {text}");
}

#[tokio::test]
async fn empty_2xx_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PID}/kms/regions")))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Request-Id", "empty"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/items/blank"))
        .respond_with(ResponseTemplate::new(200).set_body_string(" \r\n\t "))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/items/abc"))
        .respond_with(ResponseTemplate::new(204).insert_header("X-Request-Id", "del"))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/items/body"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>not json</html>"))
        .mount(&server)
        .await;
    let client = client(&server);
    // An operation that expects a body gets a decode error for an empty one, even when
    // every field of its type is optional (it is not silently an all-`None` success).
    let err = client
        .execute::<Optional, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap_err();
    match &err {
        rt::Error::Decode(d) => {
            assert_eq!(d.status, 200);
            assert_eq!(d.request_id.as_deref(), Some("empty"));
            assert_eq!(d.message, "empty body where a JSON body was expected");
            assert_eq!(d.body_excerpt, "");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("empty body where a JSON body was expected"),
        "{err}"
    );
    assert!(matches!(
        client
            .execute::<Regions, KmsError>(rt::Request::new(&LIST))
            .await,
        Err(rt::Error::Decode(_))
    ));
    let mut request = rt::Request::new(&SHOW);
    request.path_param("item_id", "blank");
    let err = client
        .execute::<serde_json::Value, KmsError>(request)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, rt::Error::Decode(d) if d.message == "empty body where a JSON body was expected"),
        "{err:?}"
    );
    // `execute_empty` accepts an empty body, and ignores any body.
    let mut request = rt::Request::new(&DELETE);
    request.path_param("item_id", "abc");
    let out = client
        .execute_empty::<rt::NoErrorBody>(request)
        .await
        .unwrap();
    assert_eq!(out.status, 204);
    assert_eq!(out.request_id.as_deref(), Some("del"));
    let mut request = rt::Request::new(&DELETE);
    request.path_param("item_id", "body");
    let out = client
        .execute_empty::<rt::NoErrorBody>(request)
        .await
        .unwrap();
    assert_eq!(out.status, 200);
}

#[tokio::test]
async fn service_errors_typed_and_untyped() {
    let server = MockServer::start().await;
    let kms_body = r#"{"error":{"error_code":"KMS.0205","error_msg":"Invalid request"}}"#;
    Mock::given(path("/v1/items/a"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("X-Request-Id", "abc")
                .set_body_string(kms_body),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1/items/b"))
        .respond_with(ResponseTemplate::new(418).set_body_string(kms_body))
        .mount(&server)
        .await;
    Mock::given(path("/v1/items/c"))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("X-Request-Id", "html")
                .set_body_string("<html><body>Internal error</body></html>"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let run = |id: &'static str| {
        let client = client.clone();
        async move {
            let mut request = rt::Request::new(&SHOW);
            request.path_param("item_id", id);
            client
                .execute::<Regions, KmsError>(request)
                .await
                .unwrap_err()
        }
    };
    let err = run("a").await;
    assert_eq!(
        err.to_string(),
        "service error 400 (KMS.0205: Invalid request) [request id: abc]"
    );
    let se = err.as_service().unwrap();
    assert_eq!(se.typed.as_ref().unwrap().error.error_code, "KMS.0205");
    assert_eq!(se.body, kms_body);
    // 418 is not a documented error status: parsed, but not typed.
    let err = run("b").await;
    let se = err.as_service().unwrap();
    assert!(se.typed.is_none());
    assert_eq!(se.error_code.as_deref(), Some("KMS.0205"));
    // HTML error page.
    let err = run("c").await;
    let se = err.as_service().unwrap();
    assert_eq!(se.status, 500);
    assert!(se.error_code.is_none());
    assert!(se.body.contains("Internal error"));
    assert!(err.to_string().contains("[request id: html]"));
    // NoErrorBody never decodes.
    let mut request = rt::Request::new(&SHOW);
    request.path_param("item_id", "a");
    let err = client
        .execute::<Regions, rt::NoErrorBody>(request)
        .await
        .unwrap_err();
    assert!(err.as_service().unwrap().typed.is_none());
}

#[tokio::test]
async fn response_body_is_capped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(4096)))
        .mount(&server)
        .await;
    let config = builder(&server).max_response_bytes(1024).build().unwrap();
    let err = rt::Client::new(config)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            rt::Error::ResponseTooLarge {
                limit: 1024,
                status: 200,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn service_endpoint_override_wins() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":[]}"#))
        .mount(&server)
        .await;
    let config = builder(&server)
        .endpoint_override("http://127.0.0.1:9")
        .service_endpoint("kms", format!("{}/prefix/", server.uri()))
        .build()
        .unwrap();
    rt::Client::new(config)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await
        .unwrap();
    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.url.path(), format!("/prefix/v2/{PID}/kms/regions"));
    assert_signature_valid(req, AK, SK);
}

#[tokio::test]
async fn debug_output_has_no_secrets() {
    let server = MockServer::start().await;
    let config = builder(&server)
        .credentials(rt::Credentials::aksk(AK, SK).with_security_token(TOKEN))
        .build()
        .unwrap();
    let client = rt::Client::new(config.clone()).unwrap();
    let token_client = rt::Client::with_http_client_builder(
        builder(&server)
            .credentials(rt::Credentials::token(TOKEN))
            .build()
            .unwrap(),
        rt::reqwest::Client::builder(),
    )
    .unwrap();
    let mut request = rt::Request::new(&LIST);
    request.header("X-Secret-Header", TOKEN);
    for text in [
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{client:?}"),
        format!("{token_client:?}"),
        format!("{:?}", config.credentials()),
        format!("{request:?}"),
    ] {
        assert!(!text.contains(SK), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }
    assert!(format!("{client:?}").contains(AK));
    assert_eq!(client.config().project_id(), Some(PID));
}

#[tokio::test]
async fn futures_are_send_and_spawnable() {
    fn assert_send<T: Send + 'static>(_: &T) {}
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":["s"]}"#))
        .mount(&server)
        .await;
    let client = client(&server);
    let fut = async move {
        client
            .execute::<Regions, KmsError>(rt::Request::new(&LIST))
            .await
    };
    assert_send(&fut);
    let out = tokio::spawn(fut).await.unwrap().unwrap();
    assert_eq!(out.body.regions, vec!["s"]);
    fn assert_sync<T: Send + Sync>() {}
    assert_sync::<rt::Client>();
    assert_sync::<rt::Error<KmsError>>();
}

#[tokio::test]
async fn redirects_are_never_followed_even_with_a_caller_builder() {
    // The second server stands for any other host a 3xx could point at: reqwest strips
    // only `Authorization` and `Cookie` on cross-host redirects, so following one would
    // send `X-Auth-Token` / `X-Security-Token` there.
    let target = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":["stolen"]}"#))
        .mount(&target)
        .await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("Location", format!("{}/steal", target.uri())),
        )
        .mount(&server)
        .await;
    for credentials in [
        rt::Credentials::token(TOKEN),
        rt::Credentials::aksk(AK, SK).with_security_token(TOKEN),
    ] {
        let config = builder(&server).credentials(credentials).build().unwrap();
        // The caller explicitly asks for redirects to be followed; the runtime overrides it.
        let http =
            rt::reqwest::Client::builder().redirect(rt::reqwest::redirect::Policy::limited(10));
        let client = rt::Client::with_http_client_builder(config, http).unwrap();
        let err = client
            .execute::<Regions, KmsError>(rt::Request::new(&LIST))
            .await
            .unwrap_err();
        assert!(
            matches!(err, rt::Error::Service(ref e) if e.status == 302),
            "{err:?}"
        );
        assert_eq!(err.status(), Some(302));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(target.received_requests().await.unwrap().is_empty());
}

#[test]
fn endpoint_passwords_never_appear_in_errors_or_debug() {
    const PW: &str = "S3cretPw";
    for url in [
        "https://admin:S3cretPw@host/?x=1",
        "https://admin:S3cretPw@host/#frag",
        "https://admin:S3cretPw@host",
        "https://:S3cretPw@host/",
        "ftp://admin:S3cretPw@host/",
        "http://admin:S3cretPw@host:notaport/",
        "http://admin:S3cret/Pw@host/",
        "http://admin:S3cretPw@/",
        "admin:S3cretPw@host",
        "//admin:S3cretPw@host",
    ] {
        let base = || rt::Config::builder().credentials(rt::Credentials::aksk(AK, SK));
        for b in [
            base().endpoint_override(url),
            base().region("cn-north-4").service_endpoint("kms", url),
        ] {
            for text in [format!("{b:?}"), format!("{b:#?}")] {
                assert!(!text.contains(PW) && !text.contains("Pw@"), "{url}: {text}");
            }
            let err = b.build().unwrap_err();
            for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
                assert!(!text.contains(PW) && !text.contains("Pw@"), "{url}: {text}");
            }
        }
    }
    // URLs that parse as URLs with a user name or password are refused for that reason
    // first (not for their query, fragment or scheme).
    for url in [
        "https://admin:S3cretPw@host/?x=1",
        "https://admin:S3cretPw@host/#frag",
        "ftp://admin:S3cretPw@host/",
        "https://admin@host",
    ] {
        let err = rt::Config::builder()
            .credentials(rt::Credentials::aksk(AK, SK))
            .endpoint_override(url)
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("must not contain credentials"), "{url}: {err}");
    }
}

#[tokio::test]
async fn cloned_client_futures_are_static_and_spawnable() {
    fn assert_send_static<T: Send + 'static>(_: &T) {}
    fn assert_owned<T: Send + Sync + Clone + 'static>() {}
    assert_owned::<rt::Client>();
    assert_owned::<rt::Request>();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"regions":["s"]}"#))
        .expect(4)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut handles = Vec::new();
    for _ in 0..4 {
        // Only an owned clone and an owned request go into the task.
        let client = client.clone();
        let request = rt::Request::new(&LIST);
        let fut = async move { client.clone().execute::<Regions, KmsError>(request).await };
        assert_send_static(&fut);
        handles.push(tokio::spawn(fut));
    }
    drop(client);
    for handle in handles {
        assert_eq!(handle.await.unwrap().unwrap().body.regions, vec!["s"]);
    }
}

#[tokio::test]
async fn retry_attempts_are_cut_to_the_max_elapsed_budget() {
    let server = MockServer::start().await;
    // First attempt: a quick 503 (retried); the retry would then take 3 s to answer.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"regions":["late"]}"#)
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let max_elapsed = Duration::from_millis(600);
    let config = builder(&server)
        .timeout(Duration::from_secs(30))
        .retry(fast_retry().with_max_elapsed(max_elapsed))
        .build()
        .unwrap();
    let started = Instant::now();
    let result = rt::Client::new(config)
        .unwrap()
        .execute::<Regions, KmsError>(rt::Request::new(&LIST))
        .await;
    let elapsed = started.elapsed();
    // Bound: max(timeout of the first attempt (which answered at once), max_elapsed).
    assert!(
        elapsed < max_elapsed + Duration::from_millis(900),
        "{elapsed:?}"
    );
    let err = result.unwrap_err();
    assert!(matches!(err, rt::Error::Timeout { .. }), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
