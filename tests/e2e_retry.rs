//! End-to-end: retries, `Retry-After` and timeouts of the five operations, against a
//! wiremock server on 127.0.0.1. Backoff is 1 ms so the suite stays quick; every error is
//! checked for leaked secrets (see `summarize`).

use std::time::{Duration, Instant};

use hwcloud::runtime as rt;
use hwcloud_tests::*;

/// A 503 (with a JSON body and request ID) that matches once, then the example.
async fn mount_503_then_example(server: &wiremock::MockServer, op: Op, retry_after: Option<&str>) {
    let mut busy = json_response(
        503,
        r#"{"error_code":"APIGW.0308","error_msg":"The request is throttled."}"#,
    );
    if let Some(value) = retry_after {
        busy = busy.insert_header("Retry-After", value);
    }
    op.matcher()
        .respond_with(busy)
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
    op.matcher()
        .respond_with(example_response(op))
        .expect(1)
        .mount(server)
        .await;
}

/// A 503 then a success: two requests, each freshly and validly signed, and the example
/// decoded. Covers the DELETE (idempotent) and the DBSS POST (marked retry_safe).
#[tokio::test]
async fn retries_a_503_then_succeeds() {
    for op in Op::ALL {
        assert!(op.retryable());
        for auth in [Auth::AkSk, Auth::Token] {
            let server = start_server().await;
            mount_503_then_example(&server, op, None).await;
            let client = client(&server, auth);
            let ok = op.call(&client).await.ok();
            assert_eq!(ok.status, op.success_status(), "{op:?}");
            let example: serde_json::Value = serde_json::from_str(&op.example()).unwrap();
            assert_eq!(ok.body, without_nulls(example), "{op:?}");
            let requests = received(&server).await;
            assert_eq!(requests.len(), 2, "{op:?} {auth:?}: 503 then success");
            for req in &requests {
                assert_exact_request(op, auth, &server, req);
            }
            server.verify().await;
        }
    }
}

/// 429 and 504 are retried too (checked on one GET and on the DBSS POST).
#[tokio::test]
async fn retries_429_and_504() {
    for op in [Op::KmsListSupportRegions, Op::DbssListInstances] {
        for status in [429, 504] {
            let server = start_server().await;
            op.matcher()
                .respond_with(json_response(status, "{}"))
                .up_to_n_times(1)
                .mount(&server)
                .await;
            op.matcher()
                .respond_with(example_response(op))
                .mount(&server)
                .await;
            let client = client(&server, Auth::AkSk);
            op.call(&client).await.ok();
            assert_eq!(received(&server).await.len(), 2, "{op:?} {status}");
        }
    }
}

/// When every attempt gets a 503, the client stops after `max_attempts` and reports the
/// last response as a service error with its request ID.
#[tokio::test]
async fn retries_are_bounded_by_max_attempts() {
    for op in Op::ALL {
        let server = start_server().await;
        op.matcher()
            .respond_with(json_response(
                503,
                r#"{"error_code":"APIGW.0308","error_msg":"The request is throttled."}"#,
            ))
            .mount(&server)
            .await;
        let client = client(&server, Auth::AkSk);
        let failure = op.call(&client).await.err();
        assert_eq!(received(&server).await.len(), 3, "{op:?}");
        assert_eq!(failure.kind, Kind::Service, "{op:?}");
        let s = failure.service();
        assert_eq!(s.status, 503);
        assert_eq!(s.typed, None, "{op:?}: 503 is not documented");
        assert_eq!(s.error_code.as_deref(), Some("APIGW.0308"));
        assert_eq!(
            failure.display,
            format!("service error 503 (APIGW.0308: The request is throttled.) [request id: {REQUEST_ID}]")
        );
    }
}

/// `Retry-After: 1` on a 503 makes the client wait about a second (the backoff alone
/// would be at most 1 ms). The five operations run concurrently to keep the suite quick.
#[tokio::test]
async fn retry_after_is_honoured() {
    let mut tasks = Vec::new();
    for op in Op::ALL {
        tasks.push(tokio::spawn(async move {
            let server = start_server().await;
            mount_503_then_example(&server, op, Some("1")).await;
            let client = client(&server, Auth::AkSk);
            let started = Instant::now();
            let ok = op.call(&client).await.ok();
            let elapsed = started.elapsed();
            assert_eq!(ok.status, op.success_status(), "{op:?}");
            assert_eq!(received(&server).await.len(), 2, "{op:?}");
            assert!(
                elapsed >= Duration::from_millis(990),
                "{op:?}: Retry-After 1 s not honoured (retried after {elapsed:?})"
            );
            assert!(elapsed < Duration::from_secs(4), "{op:?}: took {elapsed:?}");
            server.verify().await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// A `Retry-After` longer than the policy's `max_backoff` is not cut short: the client
/// does not retry early but reports the 503 at once, with its status, error code and
/// request ID (seconds and HTTP-date forms; the five operations concurrently).
#[tokio::test]
async fn retry_after_beyond_max_backoff_is_not_waited_for() {
    let mut tasks = Vec::new();
    for (op, retry_after) in Op::ALL.into_iter().zip([
        "3600",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "3600",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "99999999999999999999999",
    ]) {
        tasks.push(tokio::spawn(async move {
            let server = start_server().await;
            op.matcher()
                .respond_with(
                    json_response(
                        503,
                        r#"{"error_code":"APIGW.0308","error_msg":"The request is throttled."}"#,
                    )
                    .insert_header("Retry-After", retry_after),
                )
                .mount(&server)
                .await;
            let client = client_from(
                config_builder(&server, Auth::AkSk)
                    .retry(fast_retry().with_max_backoff(Duration::from_millis(50))),
            );
            let started = Instant::now();
            let failure = op.call(&client).await.err();
            let elapsed = started.elapsed();
            assert!(elapsed < Duration::from_secs(2), "{op:?}: took {elapsed:?}");
            assert_eq!(failure.kind, Kind::Service, "{op:?}: {}", failure.display);
            assert_eq!(failure.status, Some(503), "{op:?}");
            assert_eq!(failure.request_id.as_deref(), Some(REQUEST_ID), "{op:?}");
            assert_eq!(
                failure.service().error_code.as_deref(),
                Some("APIGW.0308"),
                "{op:?}"
            );
            assert_eq!(
                received(&server).await.len(),
                1,
                "{op:?} ({retry_after}): not retried early"
            );
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// A server slower than the configured timeout gives `Error::Timeout` (no retries here),
/// quickly; the five operations run concurrently.
#[tokio::test]
async fn slow_server_gives_timeout() {
    let mut tasks = Vec::new();
    for op in Op::ALL {
        tasks.push(tokio::spawn(async move {
            let server = start_server().await;
            op.matcher()
                .respond_with(example_response(op).set_delay(Duration::from_secs(2)))
                .mount(&server)
                .await;
            let client = client_from(
                config_builder(&server, Auth::AkSk)
                    .timeout(Duration::from_millis(200))
                    .retry(rt::RetryPolicy::none()),
            );
            let started = Instant::now();
            let failure = op.call(&client).await.err();
            let elapsed = started.elapsed();
            assert_eq!(failure.kind, Kind::Timeout, "{op:?}: {}", failure.display);
            assert_eq!(failure.status, None);
            assert!(failure.display.contains("timed out"), "{}", failure.display);
            assert!(
                failure.display.contains(&op.path()),
                "{op:?}: the URL is named: {}",
                failure.display
            );
            assert!(
                elapsed >= Duration::from_millis(190) && elapsed < Duration::from_millis(1500),
                "{op:?}: timed out after {elapsed:?}"
            );
            assert_eq!(received(&server).await.len(), 1, "{op:?}");
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// A timeout is retried (up to `max_attempts`) for retryable operations, then reported
/// as `Error::Timeout`.
#[tokio::test]
async fn timeouts_are_retried_within_bounds() {
    let mut tasks = Vec::new();
    for op in [Op::GeminiDeleteDualActive, Op::DbssListInstances] {
        tasks.push(tokio::spawn(async move {
            let server = start_server().await;
            op.matcher()
                .respond_with(example_response(op).set_delay(Duration::from_secs(2)))
                .mount(&server)
                .await;
            let client = client_from(
                config_builder(&server, Auth::AkSk)
                    .timeout(Duration::from_millis(150))
                    .retry(fast_retry().with_max_attempts(2)),
            );
            let started = Instant::now();
            let failure = op.call(&client).await.err();
            assert_eq!(failure.kind, Kind::Timeout, "{op:?}: {}", failure.display);
            assert!(started.elapsed() < Duration::from_millis(1500));
            assert_eq!(received(&server).await.len(), 2, "{op:?}: one retry");
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// Only idempotent methods and `retry_safe` operations are retried. None of the five
/// generated operations is a POST without `retry_safe`, so this builds one with the
/// runtime API on the same client (same path as the DBSS listing, `retry_safe: false`):
/// a 503 is returned at once, and so is a timeout. The generated DBSS listing (the same
/// POST, `retry_safe: true`) is retried, as [`retries_a_503_then_succeeds`] shows.
#[tokio::test]
async fn post_without_retry_safe_is_not_retried() {
    static DBSS: rt::ServiceSpec = rt::ServiceSpec {
        id: "dbss",
        endpoint: "dbss.{region}.myhuaweicloud.com",
    };
    static UNSAFE_POST: rt::OperationSpec = rt::OperationSpec {
        name: "ListInstancesNotRetrySafe",
        service: &DBSS,
        host: None,
        method: rt::Method::Post,
        path: "/v2/{project_id}/db-om/instances",
        retry_safe: false,
        success_status: 200,
        redirect_success: &[],
        error_statuses: &[400, 401, 403, 500],
        default_error: false,
        project_id_length: Some((32, 64)),
        example_response: None,
    };
    let op = Op::DbssListInstances;

    // 503: not retried.
    let server = start_server().await;
    mount_503_then_example(&server, op, None).await;
    let client = client(&server, Auth::AkSk);
    let result = client
        .runtime()
        .execute::<serde_json::Value, hwcloud::dbss::DbssErrorResponse>(rt::Request::new(
            &UNSAFE_POST,
        ))
        .await;
    let failure = summarize(result).err();
    assert_eq!(failure.kind, Kind::Service);
    assert_eq!(failure.status, Some(503));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "a POST without retry_safe is sent once");
    assert_exact_request(op, Auth::AkSk, &server, &requests[0]);

    // The generated (retry_safe) operation, same method and path, is retried.
    server.reset().await;
    mount_503_then_example(&server, op, None).await;
    op.call(&client).await.ok();
    assert_eq!(
        received(&server).await.len(),
        2,
        "retry_safe POST is retried"
    );

    // Timeout: not retried either.
    let server = start_server().await;
    op.matcher()
        .respond_with(example_response(op).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = client_from(
        config_builder(&server, Auth::AkSk)
            .timeout(Duration::from_millis(150))
            .retry(fast_retry()),
    );
    let result = client
        .runtime()
        .execute::<serde_json::Value, hwcloud::dbss::DbssErrorResponse>(rt::Request::new(
            &UNSAFE_POST,
        ))
        .await;
    assert_eq!(summarize(result).err().kind, Kind::Timeout);
    assert_eq!(
        received(&server).await.len(),
        1,
        "timed-out POST is sent once"
    );
}

/// A non-retryable status (500) is reported at once, with its typed body.
#[tokio::test]
async fn server_error_500_is_not_retried() {
    for op in [Op::KmsListSupportRegions, Op::DbssListInstances] {
        let server = start_server().await;
        let (body, code, _) = op.error_body(500);
        op.matcher()
            .respond_with(json_response(500, body.to_string()))
            .mount(&server)
            .await;
        let client = client(&server, Auth::AkSk);
        let failure = op.call(&client).await.err();
        assert_eq!(failure.service().error_code.as_deref(), Some(code.as_str()));
        assert!(failure.service().typed.is_some());
        assert_eq!(received(&server).await.len(), 1, "{op:?}");
    }
}

/// Connection refused on 127.0.0.1 gives `Error::Connect` after the bounded retries.
#[tokio::test]
async fn connection_refused_gives_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = hwcloud::Config::builder()
        .region("cn-north-4")
        .project_id(PROJECT_ID)
        .credentials(Auth::AkSk.credentials())
        .endpoint_override(format!("http://127.0.0.1:{port}"))
        .retry(fast_retry())
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let client = hwcloud::Client::new(config).unwrap();
    for op in Op::ALL {
        let failure = op.call(&client).await.err();
        assert_eq!(failure.kind, Kind::Connect, "{op:?}: {}", failure.display);
        assert!(failure.display.contains(&format!("127.0.0.1:{port}")));
    }
}

/// Retries are bounded in total time: a `Retry-After` that would end past `max_elapsed`
/// is not waited for; the 503 is reported at once.
#[tokio::test]
async fn retry_after_beyond_max_elapsed_is_not_waited_for() {
    let server = start_server().await;
    let op = Op::RdsListDrRelations;
    op.matcher()
        .respond_with(json_response(503, "{}").insert_header("Retry-After", "2"))
        .mount(&server)
        .await;
    let client = client_from(
        config_builder(&server, Auth::AkSk)
            .retry(fast_retry().with_max_elapsed(Duration::from_millis(500))),
    );
    let started = Instant::now();
    let failure = op.call(&client).await.err();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(failure.status, Some(503));
    assert_eq!(failure.request_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(received(&server).await.len(), 1);
}
