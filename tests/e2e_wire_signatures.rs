//! What is signed is what goes on the wire: each case of the hostile signing corpus
//! (`runtime/tests/signer_corpus/hostile_cases.json`: escapes, reserved characters, repeated
//! query keys, odd header names and values, every kind of `Content-Type`) is sent through the
//! client to a local server, and the signature is recomputed there, independently, from the
//! request as it was received. Headers the runtime sets itself are left to it.

use std::panic::{catch_unwind, AssertUnwindSafe};

use hwcloud::runtime as rt;
use hwcloud_tests::{authorization_independent, config_builder, start_server, Auth, AK, SK};
use serde_json::Value;
use wiremock::{Mock, ResponseTemplate};

static SERVICE: rt::ServiceSpec = rt::ServiceSpec {
    id: "hostile",
    endpoint: "hostile.{region}.myhuaweicloud.com",
};

const RUNTIME_HEADERS: &[&str] = &["host", "x-sdk-date", "user-agent", "x-project-id"];

fn method(name: &str) -> Option<rt::Method> {
    Some(match name.to_ascii_uppercase().as_str() {
        "GET" => rt::Method::Get,
        "POST" => rt::Method::Post,
        "PUT" => rt::Method::Put,
        "DELETE" => rt::Method::Delete,
        "PATCH" => rt::Method::Patch,
        "HEAD" => rt::Method::Head,
        "OPTIONS" => rt::Method::Options,
        _ => return None,
    })
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p[0].as_str().unwrap_or_default().to_owned(),
                p[1].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_hostile_case_that_is_sent_verifies_as_received() {
    let data: Value = serde_json::from_str(include_str!(
        "../runtime/tests/signer_corpus/hostile_cases.json"
    ))
    .expect("JSON");
    let cases = data["cases"].as_array().expect("cases");
    let server = start_server().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    // No retries: one case, at most one request.
    let config = config_builder(&server, Auth::AkSk)
        .retry(rt::RetryPolicy::default().with_max_attempts(1))
        .build()
        .expect("config");
    let client = rt::Client::new(config).expect("client");

    let (mut sent, mut refused) = (0usize, Vec::new());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or_default().to_owned();
        let Some(method) = method(case["method"].as_str().unwrap_or_default()) else {
            continue;
        };
        // The case's path is the operation's path template: sent as the runtime sends it.
        let path: &'static str = Box::leak(
            case["path"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
                .into_boxed_str(),
        );
        let operation: &'static rt::OperationSpec = Box::leak(Box::new(rt::OperationSpec {
            name: "Hostile",
            service: &SERVICE,
            host: None,
            method,
            path,
            retry_safe: false,
            success_status: 200,
            redirect_success: &[],
            error_statuses: &[],
            default_error: false,
            project_id_length: None,
            example_response: None,
        }));
        let mut request = rt::Request::new(operation);
        for (key, value) in pairs(&case["query"]) {
            request.query(key, value);
        }
        // Headers the runtime sets itself (a caller's are refused, tested elsewhere) are left
        // to it; everything else is the caller's.
        for (name, value) in pairs(&case["headers"]) {
            if !RUNTIME_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
                request.header(name, value);
            }
        }
        let body = case["body"].as_str().unwrap_or_default();
        if !body.is_empty() {
            request.binary_body(body.as_bytes().to_vec());
        }
        let before = server.received_requests().await.unwrap_or_default().len();
        let result = client
            .execute::<serde_json::Value, serde_json::Value>(request)
            .await;
        let received = server.received_requests().await.unwrap_or_default();
        match (&result, received.len() - before) {
            (Err(rt::Error::InvalidInput(message)), 0) => {
                refused.push(format!("{name}: {message}"))
            }
            (_, 1) => {
                sent += 1;
                let wire = &received[before];
                let recomputed =
                    catch_unwind(AssertUnwindSafe(|| authorization_independent(wire, AK, SK)));
                let header = wire
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                match recomputed {
                    Ok(expected) if expected == header => {}
                    Ok(_) => failures.push(format!("{name}: the signature does not verify")),
                    Err(_) => failures.push(format!("{name}: a signed header is not on the wire")),
                }
            }
            (other, count) => failures.push(format!(
                "{name}: {count} requests received, result {other:?}"
            )),
        }
    }
    println!(
        "{sent} sent and verified as received, {} refused before sending, {} failed, of {}",
        refused.len(),
        failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Once the runtime's own headers are left to it, nothing in the corpus is refused.
    assert!(refused.is_empty(), "{}", refused.join("\n"));
    assert_eq!(sent, cases.len(), "every case reaches the server");
}
