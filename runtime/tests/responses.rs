//! The runtime's response and body handling against a local server: decoding by status,
//! typed error bodies by status and `default`, typed response headers, body encodings and
//! their signatures, and streamed downloads (uncapped, not retried once started, timed out
//! only until the headers arrive).

use std::time::{Duration, Instant};

use hwcloud_runtime as rt;
use hwcloud_runtime::signer::{self, SigningInput};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const AK: &str = "TESTACCESSKEY";
const SK: &str = "TOPSECRETSECRETKEY";
const PID: &str = "0123456789abcdef0123456789abcdef";

static SVC: rt::ServiceSpec = rt::ServiceSpec {
    id: "demo",
    endpoint: "demo.{region}.myhuaweicloud.com",
};

static UPLOAD: rt::OperationSpec = rt::OperationSpec {
    name: "Upload",
    service: &SVC,
    host: Some("upload.{region}.myhuaweicloud.com"),
    method: rt::Method::Put,
    path: "/v1/{project_id}/files",
    retry_safe: false,
    success_status: 200,
    redirect_success: &[],
    error_statuses: &[400, 404],
    default_error: false,
    project_id_length: None,
    example_response: None,
};

static WITH_DEFAULT: rt::OperationSpec = rt::OperationSpec {
    default_error: true,
    ..UPLOAD
};

fn config(server: &MockServer) -> rt::ConfigBuilder {
    rt::Config::builder()
        .region("cn-north-4")
        .project_id(PID)
        .credentials(rt::Credentials::aksk(AK, SK))
        .endpoint_override(server.uri())
        .retry(
            rt::RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_secs(1)),
        )
}

fn client(server: &MockServer) -> rt::Client {
    rt::Client::new(config(server).build().unwrap()).unwrap()
}

fn header<'a>(req: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Recomputes the signature of a received request from its own signed headers and body.
fn assert_signature_valid(req: &wiremock::Request) {
    let auth = header(req, "authorization").unwrap();
    let signed = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap();
    let headers: Vec<(String, String)> = signed
        .split(';')
        .filter(|n| *n != "x-sdk-date")
        .map(|n| (n.to_owned(), header(req, n).unwrap().to_owned()))
        .collect();
    let sig = signer::sign(
        &SigningInput {
            method: req.method.as_str(),
            path: req.url.path(),
            query: &signer::parse_query(req.url.query().unwrap_or("")),
            headers: &headers,
            body: &req.body,
        },
        AK,
        SK,
        header(req, "x-sdk-date").unwrap(),
    );
    assert_eq!(auth, sig.authorization);
}

#[derive(Debug, Deserialize, PartialEq, serde::Serialize)]
struct Plain {
    error_code: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Nested {
    error: Plain,
}

/// A typed error body with a variant per status, as the generator emits one.
#[derive(Debug, PartialEq)]
enum ByStatus {
    Status400(Plain),
    Status404(Nested),
    Default(Plain),
}

impl rt::DecodeErrorBody for ByStatus {
    fn decode(status: u16, body: &[u8]) -> Option<Self> {
        match status {
            400 => rt::decode::json(body).ok().map(Self::Status400),
            404 => rt::decode::json(body).ok().map(Self::Status404),
            _ => rt::decode::json(body).ok().map(Self::Default),
        }
    }
}

/// A success body with a variant per status.
#[derive(Debug, PartialEq)]
enum Created {
    Status200(Plain),
    Status202,
}

impl rt::Decode for Created {
    type Output = Self;
    fn decode(status: u16, body: &[u8]) -> Result<Self, String> {
        match status {
            200 => rt::decode::json(body).map(Self::Status200),
            202 => Ok(Self::Status202),
            other => Err(format!("undocumented success status {other}")),
        }
    }
}

#[derive(Debug, Default, PartialEq)]
struct Headers {
    count: Option<i64>,
    allow: Option<Vec<String>>,
}

impl rt::ResponseHeaders for Headers {
    fn decode(headers: &rt::reqwest::header::HeaderMap) -> Result<Self, String> {
        Ok(Headers {
            count: rt::decode::header(headers, "X-Count")?,
            allow: rt::decode::header_list(headers, "Allow")?,
        })
    }
}

#[tokio::test]
async fn error_bodies_decode_by_status_and_default() {
    let server = MockServer::start().await;
    for (status, body) in [
        (400, r#"{"error_code":"A"}"#),
        (404, r#"{"error":{"error_code":"B"}}"#),
        (418, r#"{"error_code":"C"}"#),
    ] {
        Mock::given(method("PUT"))
            .and(wiremock::matchers::header(
                "x-case",
                status.to_string().as_str(),
            ))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let call = |op: &'static rt::OperationSpec, case: u16| {
        let client = client.clone();
        async move {
            let mut request = rt::Request::new(op);
            request.header("X-Case", case);
            match client.execute_empty::<ByStatus>(request).await {
                Err(rt::Error::Service(err)) => err.typed,
                other => panic!("expected a service error, got {other:?}"),
            }
        }
    };
    let plain = |code: &str| Plain {
        error_code: code.into(),
    };
    assert_eq!(
        call(&UPLOAD, 400).await,
        Some(ByStatus::Status400(plain("A")))
    );
    assert_eq!(
        call(&UPLOAD, 404).await,
        Some(ByStatus::Status404(Nested { error: plain("B") }))
    );
    // Unlisted: decoded only when the operation documents `default`.
    assert_eq!(call(&UPLOAD, 418).await, None);
    assert_eq!(
        call(&WITH_DEFAULT, 418).await,
        Some(ByStatus::Default(plain("C")))
    );

    // A plain deserializable type still works (it ignores the status).
    let mut request = rt::Request::new(&WITH_DEFAULT);
    request.header("X-Case", 418);
    let err = client.execute_empty::<Plain>(request).await.unwrap_err();
    assert_eq!(err.as_service().unwrap().typed, Some(plain("C")));
}

#[tokio::test]
async fn success_bodies_and_headers_decode_by_status() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::header("x-case", "200"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Count", "42")
                .append_header("Allow", "GET, PUT")
                .append_header("Allow", "OPTIONS")
                .insert_header("X-Subject-Token", "SESSION-TOKEN-SECRET")
                .set_body_string(r#"{"error_code":"ok"}"#),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::header("x-case", "202"))
        .respond_with(ResponseTemplate::new(202).set_body_string("ignored"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::header("x-case", "203"))
        .respond_with(ResponseTemplate::new(203))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::header("x-case", "bad-header"))
        .respond_with(ResponseTemplate::new(202).insert_header("X-Count", "many"))
        .mount(&server)
        .await;
    let client = client(&server);
    let call = |case: &'static str| {
        let client = client.clone();
        async move {
            let mut request = rt::Request::new(&UPLOAD);
            request.header("X-Case", case);
            client
                .execute_with::<Created, Headers, rt::NoErrorBody>(request)
                .await
        }
    };
    let out = call("200").await.unwrap();
    assert_eq!(
        out.body,
        Created::Status200(Plain {
            error_code: "ok".into()
        })
    );
    assert_eq!(
        out.headers,
        Headers {
            count: Some(42),
            allow: Some(vec!["GET".into(), "PUT".into(), "OPTIONS".into()]),
        }
    );
    assert_eq!(
        out.raw_headers.get("x-subject-token").unwrap(),
        "SESSION-TOKEN-SECRET"
    );
    let debug = format!("{out:?}");
    assert!(!debug.contains("SESSION-TOKEN-SECRET"), "{debug}");

    let out = call("202").await.unwrap();
    assert_eq!((out.status, out.body), (202, Created::Status202));
    assert_eq!(out.headers, Headers::default());

    match call("203").await {
        Err(rt::Error::Decode(d)) => {
            assert_eq!(d.status, 203);
            assert!(d.message.contains("undocumented success status 203"), "{d}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    match call("bad-header").await {
        Err(rt::Error::Decode(d)) => assert!(d.message.contains("X-Count"), "{d}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    // Text bodies.
    Mock::given(wiremock::matchers::header("x-case", "text"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<ok/>"))
        .mount(&server)
        .await;
    let mut request = rt::Request::new(&UPLOAD);
    request.header("X-Case", "text");
    let out = client
        .execute_with::<rt::decode::Text, (), rt::NoErrorBody>(request)
        .await
        .unwrap();
    assert_eq!(out.body, "<ok/>");
}

#[tokio::test]
async fn non_json_bodies_are_signed_as_unsigned_payload_and_resent_unchanged() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut form = rt::Multipart::new();
    form.value("name", "a b").file(
        "file",
        &rt::FilePart::new("x.png", vec![0u8, 159, 146, 150]).with_content_type("image/png"),
    );
    let mut request = rt::Request::new(&UPLOAD);
    request.multipart_body(form);
    client
        .execute_empty::<rt::NoErrorBody>(request)
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "the 503 is retried");
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same bytes are sent again"
    );
    let content_type = header(&requests[1], "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    assert_eq!(
        header(&requests[0], "content-type").unwrap(),
        content_type,
        "the same boundary"
    );
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\na b\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n"
    );
    assert!(requests[1].body.starts_with(expected.as_bytes()));
    assert!(requests[1]
        .body
        .ends_with(format!("\r\n--{boundary}--\r\n").as_bytes()));
    for req in &requests {
        assert_eq!(
            header(req, "x-sdk-content-sha256"),
            Some("UNSIGNED-PAYLOAD")
        );
        let auth = header(req, "authorization").unwrap();
        assert!(
            auth.contains(
                "SignedHeaders=content-type;host;x-project-id;x-sdk-content-sha256;x-sdk-date,"
            ),
            "{auth}"
        );
        assert_signature_valid(req);
    }

    // Binary, text and form bodies; JSON (also with a charset) is hashed.
    type SetBody = Box<dyn Fn(&mut rt::Request)>;
    let cases: Vec<(SetBody, &str, bool)> = vec![
        (
            Box::new(|r| {
                r.binary_body(vec![1u8, 2, 3]);
            }),
            "application/octet-stream",
            true,
        ),
        (
            Box::new(|r| {
                r.binary_body(vec![1u8]).content_type("image/png");
            }),
            "image/png",
            true,
        ),
        (
            Box::new(|r| {
                r.text_body("<a/>").content_type("application/xml");
            }),
            "application/xml",
            true,
        ),
        (
            Box::new(|r| {
                r.form_body(&serde_json::json!({"a": 1}));
            }),
            "application/x-www-form-urlencoded",
            true,
        ),
        (
            Box::new(|r| {
                r.json_body(&serde_json::json!({"a": 1}))
                    .content_type("application/json;charset=UTF-8");
            }),
            "application/json;charset=UTF-8",
            false,
        ),
    ];
    for (index, (build, content_type, unsigned)) in cases.iter().enumerate() {
        let mut request = rt::Request::new(&UPLOAD);
        build(&mut request);
        client
            .execute_empty::<rt::NoErrorBody>(request)
            .await
            .unwrap();
        let requests = server.received_requests().await.unwrap();
        let req = &requests[2 + index];
        assert_eq!(header(req, "content-type"), Some(*content_type));
        assert_eq!(
            header(req, "x-sdk-content-sha256"),
            unsigned.then_some("UNSIGNED-PAYLOAD"),
            "{content_type}"
        );
        assert_signature_valid(req);
    }

    // A token is not a signature: no payload header.
    let token = rt::Client::new(
        config(&server)
            .credentials(rt::Credentials::token("IAM-TOKEN"))
            .build()
            .unwrap(),
    )
    .unwrap();
    let mut request = rt::Request::new(&UPLOAD);
    request.binary_body(vec![1u8]);
    token
        .execute_empty::<rt::NoErrorBody>(request)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        header(requests.last().unwrap(), "x-sdk-content-sha256"),
        None
    );
}

#[tokio::test]
async fn downloads_stream_uncapped_but_error_bodies_stay_capped() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::header("x-case", "retry"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::header("x-case", "retry"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Count", "7")
                .set_body_bytes(vec![7u8; 4096]),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::header("x-case", "404"))
        .respond_with(ResponseTemplate::new(404).set_body_string("x".repeat(4096)))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::header("x-case", "small-404"))
        .respond_with(
            ResponseTemplate::new(404).set_body_string(r#"{"error":{"error_code":"NF"}}"#),
        )
        .mount(&server)
        .await;
    let client =
        rt::Client::new(config(&server).max_response_bytes(1024).build().unwrap()).unwrap();
    let download = |case: &'static str| {
        let client = client.clone();
        async move {
            let mut request = rt::Request::new(&UPLOAD);
            request.header("X-Case", case);
            client.execute_download::<Headers, ByStatus>(request).await
        }
    };
    let out = download("retry").await.unwrap();
    assert_eq!(out.status, 200);
    assert_eq!(out.headers.count, Some(7));
    assert_eq!(out.body.content_length(), Some(4096));
    assert!(format!("{:?}", out.body).contains("ByteStream"));
    assert_eq!(out.body.collect().await.unwrap(), vec![7u8; 4096]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    let out = download("retry").await.unwrap();
    match out.body.collect_limited(100).await {
        Err(rt::Error::ResponseTooLarge { limit: 100, .. }) => {}
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    let mut out = download("retry").await.unwrap();
    let mut total = 0;
    while let Some(chunk) = out.body.next_chunk().await.unwrap() {
        total += chunk.len();
    }
    assert_eq!(total, 4096);

    match download("404").await {
        Err(rt::Error::ResponseTooLarge { status: 404, .. }) => {}
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    match download("small-404").await {
        Err(rt::Error::Service(err)) => assert_eq!(
            err.typed,
            Some(ByStatus::Status404(Nested {
                error: Plain {
                    error_code: "NF".into()
                }
            }))
        ),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// A one-shot HTTP server: sends the status line and headers at once, then the body after
/// `body_delay`.
async fn slow_body_server(body_delay: Duration, header_delay: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 65536];
                let _ = socket.read(&mut buffer).await;
                tokio::time::sleep(header_delay).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n\r\n";
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.flush().await;
                tokio::time::sleep(body_delay).await;
                let _ = socket.write_all(b"hello").await;
                let _ = socket.flush().await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn the_attempt_timeout_covers_a_downloads_headers_not_its_body() {
    let uri = slow_body_server(Duration::from_millis(600), Duration::ZERO).await;
    let config = rt::Config::builder()
        .region("cn-north-4")
        .project_id(PID)
        .credentials(rt::Credentials::aksk(AK, SK))
        .endpoint_override(&uri)
        .timeout(Duration::from_millis(300))
        .retry(rt::RetryPolicy::none())
        .build()
        .unwrap();
    let client = rt::Client::new(config).unwrap();
    let out = client
        .execute_download::<(), rt::NoErrorBody>(rt::Request::new(&UPLOAD))
        .await
        .unwrap();
    assert_eq!(out.body.collect().await.unwrap(), b"hello");

    // The same body through a buffered call times out.
    let err = client
        .execute_with::<rt::decode::Text, (), rt::NoErrorBody>(rt::Request::new(&UPLOAD))
        .await
        .unwrap_err();
    assert!(matches!(err, rt::Error::Timeout { .. }), "{err:?}");

    // Headers that come too late time a download out.
    let uri = slow_body_server(Duration::ZERO, Duration::from_secs(3)).await;
    let config = rt::Config::builder()
        .region("cn-north-4")
        .project_id(PID)
        .credentials(rt::Credentials::aksk(AK, SK))
        .endpoint_override(&uri)
        .timeout(Duration::from_millis(200))
        .retry(rt::RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = rt::Client::new(config)
        .unwrap()
        .execute_download::<(), rt::NoErrorBody>(rt::Request::new(&UPLOAD))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    match &err {
        rt::Error::Timeout { source, .. } => {
            assert!(source.is::<rt::AttemptTimedOut>(), "{err:?}")
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    // The cause is the error's source, printed once in a chain, not repeated in its message.
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(source.as_deref(), Some("no response within 200 ms"));
    assert!(!err.to_string().contains("no response within"), "{err}");
}
