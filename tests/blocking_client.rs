//! The `blocking` facade: the same calls without async, from plain (non-async) test
//! functions, against a local HTTP server; and refused inside an async runtime.

use hwcloud::{Client, Config, Credentials};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A local server on a runtime of its own (the test thread stays outside any runtime).
fn server() -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
    let server = runtime.block_on(MockServer::start());
    (runtime, server)
}

fn client(server: &MockServer) -> Client {
    let config = Config::builder()
        .region("cn-north-4")
        .project_id("0123456789abcdef0123456789abcdef")
        .credentials(Credentials::aksk("AK", "SK"))
        .service_endpoint("kms", server.uri())
        .build()
        .expect("a valid config");
    Client::new(config).expect("a client")
}

#[test]
fn a_call_without_async_sends_the_request_and_decodes_the_response() {
    let (runtime, server) = server();
    runtime.block_on(
        Mock::given(method("GET"))
            .and(path("/v2/0123456789abcdef0123456789abcdef/kms/regions"))
            .and(query_param("limit", "2"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("X-Request-Id", "req-1")
                    .set_body_string(r#"{"regions": ["cn-north-4", "cn-east-3"]}"#),
            )
            .mount(&server),
    );
    let client = client(&server);
    // Twice: the second call reuses the internal runtime (and its connection pool).
    for _ in 0..2 {
        let output = client
            .kms()
            .list_support_regions()
            .limit(2)
            .send_blocking()
            .expect("the call succeeds");
        assert_eq!(output.body.regions.unwrap(), ["cn-north-4", "cn-east-3"]);
        assert_eq!(output.request_id.as_deref(), Some("req-1"));
    }
    // From other threads at once as well.
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || client.kms().list_support_regions().limit(2).send_blocking())
        })
        .collect();
    for thread in threads {
        let result = thread.join().expect("no panic");
        assert!(result.is_ok(), "{result:?}");
    }
    let received = runtime
        .block_on(server.received_requests())
        .unwrap_or_default();
    assert_eq!(received.len(), 6);
    // Signed as any other call.
    assert!(received[0]
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("SDK-HMAC-SHA256 Access=AK")));
}

#[test]
fn a_service_error_is_returned_typed_as_with_async() {
    let (runtime, server) = server();
    runtime.block_on(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(403).set_body_string(
                r#"{"error": {"error_code": "KMS.0303", "error_msg": "Forbidden."}}"#,
            ))
            .mount(&server),
    );
    let error = client(&server)
        .kms()
        .list_support_regions()
        .send_blocking()
        .expect_err("403");
    let service = error.as_service().expect("a service error");
    assert_eq!(service.status, 403);
    let detail = service
        .typed
        .as_ref()
        .and_then(|t| t.error.as_ref())
        .unwrap();
    assert_eq!(detail.error_code.as_deref(), Some("KMS.0303"));
}

#[tokio::test]
async fn inside_an_async_runtime_it_refuses_instead_of_blocking() {
    let mock = hwcloud::mock::Mock::new();
    let client = Client::from_runtime(mock.client());
    let error = client
        .kms()
        .list_support_regions()
        .send_blocking()
        .expect_err("refused");
    match error {
        hwcloud::Error::InvalidInput(message) => assert!(message.contains(".await"), "{message}"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(mock.requests().is_empty(), "nothing was sent");
}
