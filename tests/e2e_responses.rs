//! End-to-end: responses of the five operations, from a wiremock server on 127.0.0.1.
//! The page examples and documented error statuses are read from `spec/` at test time.
//! Every error produced here is checked for leaked secrets (see `summarize`).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use hwcloud::dbss::list_instances::{ChargeModel, DeployMode, IsActive};
use hwcloud_tests::*;
use serde_json::Value;
use wiremock::ResponseTemplate;

/// Mounts `response` for `op` on a fresh server and calls `op` with AK/SK.
async fn call_with(op: Op, response: ResponseTemplate) -> (Outcome, usize) {
    let server = start_server().await;
    op.matcher().respond_with(response).mount(&server).await;
    let client = client(&server, Auth::AkSk);
    let outcome = op.call(&client).await;
    let count = received(&server).await.len();
    (outcome, count)
}

// ---------------------------------------------------------------------------------------
// The page's example responses
// ---------------------------------------------------------------------------------------

/// Every operation's example decodes, and the decoded model encodes back to the example
/// (nulls aside): no field is lost or renamed.
#[tokio::test]
async fn every_example_decodes_completely() {
    for op in Op::ALL {
        let (outcome, _) = call_with(op, example_response(op)).await;
        let ok = outcome.ok();
        assert_eq!(ok.status, op.success_status(), "{op:?}");
        assert_eq!(ok.request_id.as_deref(), Some(REQUEST_ID), "{op:?}");
        let example: Value = serde_json::from_str(&op.example()).unwrap();
        assert_eq!(ok.body, without_nulls(example), "{op:?}");
    }
}

#[tokio::test]
async fn kms_example_decodes() {
    let server = start_server().await;
    let op = Op::KmsListSupportRegions;
    op.matcher()
        .respond_with(example_response(op))
        .mount(&server)
        .await;
    let client = client(&server, Auth::AkSk);
    let out = client
        .kms()
        .list_support_regions()
        .limit(10)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status, 200);
    assert_eq!(out.request_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(
        out.body.regions.as_deref(),
        Some(
            &[
                "cn-north-2".to_owned(),
                "cn-north-4".into(),
                "cn-north-1".into()
            ][..]
        )
    );
}

#[tokio::test]
async fn rds_example_decodes() {
    let server = start_server().await;
    let op = Op::RdsListDrRelations;
    op.matcher()
        .respond_with(example_response(op))
        .mount(&server)
        .await;
    let client = client(&server, Auth::AkSk);
    let out = client.rds().list_dr_relations().send().await.unwrap();
    assert_eq!(out.status, 200);
    let relations = out.body.instance_dr_relations.unwrap();
    assert_eq!(relations.len(), 2);
    let master = relations[0].master_instance.as_ref().unwrap();
    assert_eq!(
        relations[0].instance_id.as_deref(),
        Some("b5e2c7fcef8b4c2f8fd8d80d73344756in03")
    );
    assert_eq!(master.region.as_deref(), Some("aRegion"));
    assert_eq!(master.project_name.as_deref(), Some("masterProjectName"));
    assert!(relations[0].slave_instances.is_none());
    assert!(relations[1].master_instance.is_none());
    let slaves = relations[1].slave_instances.as_ref().unwrap();
    assert_eq!(slaves.len(), 1);
    assert_eq!(slaves[0].region.as_deref(), Some("bRegion"));
    assert_eq!(
        slaves[0].project_id.as_deref(),
        Some("054b61972980d4552f0bc00ac8d3f5cd")
    );
    assert_eq!(slaves[0].project_name.as_deref(), Some("slaveProjectName"));
}

#[tokio::test]
async fn gemini_show_example_decodes() {
    let server = start_server().await;
    let op = Op::GeminiShowBiactiveRegions;
    op.matcher()
        .respond_with(example_response(op))
        .mount(&server)
        .await;
    let client = client(&server, Auth::Token);
    let out = client
        .gaussdb_nosql()
        .show_instance_biactive_regions(INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status, 200);
    assert_eq!(
        out.body.region_codes.as_deref(),
        Some(&["cn-north-4".to_owned()][..])
    );
}

#[tokio::test]
async fn gemini_delete_example_decodes_with_202() {
    let server = start_server().await;
    let op = Op::GeminiDeleteDualActive;
    assert_eq!(op.success_status(), 202);
    op.matcher()
        .respond_with(example_response(op))
        .mount(&server)
        .await;
    let client = client(&server, Auth::AkSk);
    let out = client
        .gaussdb_nosql()
        .delete_gemini_db_dual_active(INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status, 202);
    assert_eq!(out.request_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(
        out.body.job_id.as_deref(),
        Some("f85104b5-4a9c-4e0f-9505-fc5409d8f7ae")
    );
}

#[tokio::test]
async fn dbss_example_decodes() {
    let server = start_server().await;
    let op = Op::DbssListInstances;
    op.matcher()
        .respond_with(example_response(op))
        .mount(&server)
        .await;
    let client = client(&server, Auth::AkSk);
    let out = client.dbss().list_instances().send().await.unwrap();
    assert_eq!(out.status, 200);
    let clusters = out.body.clusters.unwrap();
    assert_eq!(clusters.len(), 1);
    let c = &clusters[0];
    assert_eq!(c.name.as_deref(), Some("DBSS-OM0819"));
    assert_eq!(c.created, Some(1_755_594_767_000));
    assert_eq!(c.expired, Some(1_758_268_799_000));
    assert_eq!(c.comment, None);
    assert_eq!(c.charge_model, Some(ChargeModel::Period));
    assert_eq!(c.deploy_mode, Some(DeployMode::Cloud));
    assert_eq!(c.is_active_standby, Some(true));
    assert_eq!(c.remain_days.as_deref(), Some("31"));
    assert_eq!(c.activate_info, None);
    let detail = c.detail.as_ref().unwrap();
    assert_eq!(detail.total, Some(2));
    let servers = detail.server.as_ref().unwrap();
    assert_eq!(servers.len(), 2);
    assert_eq!(servers[0].name.as_deref(), Some("DBSS-OM0819-HA-1"));
    assert_eq!(servers[0].is_active, Some(IsActive::Standby));
    assert_eq!(servers[1].is_active, Some(IsActive::Primary));
    assert_eq!(servers[0].effect, None);
    assert_eq!(servers[0].scene, None);
    assert_eq!(servers[0].update_status, None);
    assert_eq!(servers[0].created.as_deref(), Some("2025-08-19 17:04:00"));
    assert_eq!(servers[1].connect_ip.as_deref(), Some("10.0.9.187"));
}

// ---------------------------------------------------------------------------------------
// Documented error statuses
// ---------------------------------------------------------------------------------------

/// Every documented error status of every operation decodes into its typed body, with
/// code, message and request ID parsed, and a Display that names the request ID.
#[tokio::test]
async fn every_documented_error_status_decodes_into_its_shape() {
    let mut checked = 0;
    for op in Op::ALL {
        for status in op.error_statuses() {
            let (body, code, message) = op.error_body(status);
            let (outcome, count) = call_with(op, json_response(status, body.to_string())).await;
            let failure = outcome.err();
            let ctx = format!("{op:?} {status}");
            assert_eq!(failure.kind, Kind::Service, "{ctx}");
            assert_eq!(failure.status, Some(status), "{ctx}");
            assert_eq!(failure.request_id.as_deref(), Some(REQUEST_ID), "{ctx}");
            let s = failure.service();
            assert_eq!(s.status, status, "{ctx}");
            assert_eq!(s.typed.as_ref(), Some(&body), "{ctx}: typed body");
            assert_eq!(s.error_code.as_deref(), Some(code.as_str()), "{ctx}");
            assert_eq!(s.error_msg.as_deref(), Some(message.as_str()), "{ctx}");
            assert_eq!(s.request_id.as_deref(), Some(REQUEST_ID), "{ctx}");
            assert_eq!(s.body, body.to_string(), "{ctx}: raw body kept");
            assert!(
                failure.display.contains(REQUEST_ID),
                "{ctx}: {}",
                failure.display
            );
            assert!(
                failure.display.contains(&code),
                "{ctx}: {}",
                failure.display
            );
            assert!(
                failure.display.contains(&status.to_string()),
                "{ctx}: {}",
                failure.display
            );
            // 502 and 504 are retried (the operation is retryable) before being reported.
            let expected_attempts = if matches!(status, 429 | 502 | 503 | 504) {
                3
            } else {
                1
            };
            assert_eq!(count, expected_attempts, "{ctx}: attempts");
            if op == Op::DbssListInstances {
                assert_eq!(s.details.len(), 2, "{ctx}");
                assert_eq!(s.details[0].0.as_deref(), Some("PDP5.0001"), "{ctx}");
                assert_eq!(
                    s.encoded_authorization_message.as_deref(),
                    Some("ENCODED-AUTHZ-MESSAGE-XYZ"),
                    "{ctx}"
                );
            }
            checked += 1;
        }
    }
    // KMS 7 + GeminiDB delete 1 + DBSS 4; RDS and the GeminiDB query document none.
    assert_eq!(checked, 12);
    assert!(Op::RdsListDrRelations.error_statuses().is_empty());
    assert!(Op::GeminiShowBiactiveRegions.error_statuses().is_empty());
}

/// The typed KMS error body, read through its generated fields.
#[tokio::test]
async fn kms_typed_error_fields() {
    let server = start_server().await;
    let op = Op::KmsListSupportRegions;
    let (body, _, _) = op.error_body(403);
    op.matcher()
        .respond_with(json_response(403, body.to_string()))
        .mount(&server)
        .await;
    let client = client(&server, Auth::AkSk);
    let err = client
        .kms()
        .list_support_regions()
        .send()
        .await
        .unwrap_err();
    checked_text(&err);
    let service = err.as_service().expect("a service error");
    let detail = service.typed.as_ref().unwrap().error.as_ref().unwrap();
    assert_eq!(detail.error_code.as_deref(), Some("KMS.0403"));
    assert_eq!(detail.error_msg.as_deref(), Some("Authentication failed."));
    assert_eq!(
        err.to_string(),
        format!("service error 403 (KMS.0403: Authentication failed.) [request id: {REQUEST_ID}]")
    );
}

/// The typed GeminiDB 400 body of the DELETE operation.
#[tokio::test]
async fn gemini_delete_typed_error_fields() {
    let server = start_server().await;
    let op = Op::GeminiDeleteDualActive;
    op.matcher()
        .respond_with(json_response(
            400,
            r#"{"error_code":"DBS.200019","error_msg":"The instance is not in a dual-active relationship."}"#,
        ))
        .mount(&server)
        .await;
    let client = client(&server, Auth::Token);
    let err = client
        .gaussdb_nosql()
        .delete_gemini_db_dual_active(INSTANCE_ID)
        .send()
        .await
        .unwrap_err();
    checked_text(&err);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.request_id(), Some(REQUEST_ID));
    let typed = err.as_service().unwrap().typed.as_ref().unwrap();
    assert_eq!(typed.error_code.as_deref(), Some("DBS.200019"));
    assert_eq!(
        typed.error_msg.as_deref(),
        Some("The instance is not in a dual-active relationship.")
    );
    assert_eq!(received(&server).await.len(), 1, "a 400 is not retried");
}

/// The typed DBSS body with `details` and `encoded_authorization_message`.
#[tokio::test]
async fn dbss_typed_error_fields() {
    let server = start_server().await;
    let op = Op::DbssListInstances;
    let (body, _, _) = op.error_body(401);
    op.matcher()
        .respond_with(json_response(401, body.to_string()))
        .mount(&server)
        .await;
    let client = client(&server, Auth::AkSk);
    let err = client.dbss().list_instances().send().await.unwrap_err();
    checked_text(&err);
    let service = err.as_service().unwrap();
    assert_eq!(service.error_code.as_deref(), Some("DBSS.401001"));
    assert_eq!(service.details.len(), 2);
    assert_eq!(
        service.details[1].error_msg.as_deref(),
        Some("no matching allow statement")
    );
    let typed = service.typed.as_ref().unwrap();
    assert_eq!(typed.error_code.as_deref(), Some("DBSS.401001"));
    assert_eq!(typed.error_msg.as_deref(), Some("Authorization failed."));
    assert_eq!(
        typed.encoded_authorization_message.as_deref(),
        Some("ENCODED-AUTHZ-MESSAGE-XYZ")
    );
    let details = typed.details.as_ref().unwrap();
    assert_eq!(details[0].error_code.as_deref(), Some("PDP5.0001"));
    assert!(err.to_string().contains(REQUEST_ID));
}

// ---------------------------------------------------------------------------------------
// Undocumented statuses
// ---------------------------------------------------------------------------------------

/// An undocumented status (418, 409, and for the operations that document none, 400)
/// gives a service error with the body kept and no typed body; code and message are
/// still parsed from the common shapes.
#[tokio::test]
async fn undocumented_statuses_give_service_errors_with_the_body() {
    for op in Op::ALL {
        let mut statuses = vec![418, 409];
        if op.error_statuses().is_empty() {
            statuses.push(400);
            statuses.push(500);
        }
        for status in statuses {
            assert!(!op.error_statuses().contains(&status));
            let (body, code, message) = op.error_body(status);
            let (outcome, count) = call_with(op, json_response(status, body.to_string())).await;
            let failure = outcome.err();
            let ctx = format!("{op:?} {status}");
            assert_eq!(failure.kind, Kind::Service, "{ctx}");
            let s = failure.service();
            assert_eq!(s.status, status, "{ctx}");
            assert_eq!(
                s.typed, None,
                "{ctx}: undocumented status has no typed body"
            );
            assert_eq!(s.body, body.to_string(), "{ctx}");
            assert_eq!(s.error_code.as_deref(), Some(code.as_str()), "{ctx}");
            assert_eq!(s.error_msg.as_deref(), Some(message.as_str()), "{ctx}");
            assert_eq!(s.request_id.as_deref(), Some(REQUEST_ID), "{ctx}");
            assert!(failure.display.contains(REQUEST_ID), "{ctx}");
            assert_eq!(count, 1, "{ctx}: not retried");
        }
        // A plain-text body on an undocumented status is kept verbatim and shown.
        let (outcome, _) = call_with(
            op,
            ResponseTemplate::new(418)
                .insert_header("X-Request-Id", REQUEST_ID)
                .set_body_string("I'm a teapot"),
        )
        .await;
        let failure = outcome.err();
        let s = failure.service();
        assert_eq!((s.status, s.typed.as_ref()), (418, None), "{op:?}");
        assert_eq!(s.body, "I'm a teapot");
        assert_eq!(s.error_code, None);
        assert!(
            failure.display.contains("I'm a teapot"),
            "{}",
            failure.display
        );
        assert!(failure.display.contains(REQUEST_ID));
    }
}

// ---------------------------------------------------------------------------------------
// Bodies that do not decode
// ---------------------------------------------------------------------------------------

/// Asserts `outcome` is a decode error of `op`'s success status whose excerpt starts
/// with the start of `body`.
fn assert_decode_error(op: Op, what: &str, outcome: Outcome, body: &str) {
    let failure = outcome.err();
    let ctx = format!("{op:?} {what}");
    assert_eq!(failure.kind, Kind::Decode, "{ctx}: {}", failure.display);
    assert_eq!(failure.status, Some(op.success_status()), "{ctx}");
    assert_eq!(failure.request_id.as_deref(), Some(REQUEST_ID), "{ctx}");
    let d = failure.decode();
    assert_eq!(d.status, op.success_status(), "{ctx}");
    assert!(!d.message.is_empty(), "{ctx}");
    let prefix: String = body.chars().take(40).collect();
    assert!(
        d.body_excerpt.starts_with(&prefix),
        "{ctx}: {:?}",
        d.body_excerpt
    );
    assert!(d.body_excerpt.len() <= 512, "{ctx}: excerpt bounded");
    assert!(
        failure.display.contains("could not decode"),
        "{ctx}: {}",
        failure.display
    );
    assert!(
        failure.display.contains(REQUEST_ID),
        "{ctx}: {}",
        failure.display
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    for op in Op::ALL {
        let body = r#"{"regions": [cn-north-4], "clusters": ,}"#;
        let (outcome, count) = call_with(op, json_response(op.success_status(), body)).await;
        assert_decode_error(op, "malformed JSON", outcome, body);
        assert_eq!(count, 1, "{op:?}: a decode error is not retried");
    }
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    for op in Op::ALL {
        let example = op.example();
        let body = &example[..example.len() / 2];
        let (outcome, _) = call_with(op, json_response(op.success_status(), body)).await;
        assert_decode_error(op, "truncated JSON", outcome, body);
    }
}

#[tokio::test]
async fn html_page_on_success_status_is_a_decode_error() {
    let html = format!(
        "<!DOCTYPE html><html><head><title>Login</title></head><body>{}</body></html>",
        "<p>Please sign in to continue.</p>".repeat(40)
    );
    for op in Op::ALL {
        let response = ResponseTemplate::new(op.success_status())
            .insert_header("X-Request-Id", REQUEST_ID)
            .set_body_raw(html.clone().into_bytes(), "text/html");
        let (outcome, _) = call_with(op, response).await;
        assert_decode_error(op, "HTML page", outcome, &html);
    }
}

/// Valid JSON of the wrong type (a string where an array is documented).
#[tokio::test]
async fn json_of_the_wrong_type_is_a_decode_error() {
    let cases = [
        (Op::KmsListSupportRegions, r#"{"regions":"cn-north-4"}"#),
        (Op::RdsListDrRelations, r#"{"instance_dr_relations":{}}"#),
        (Op::GeminiShowBiactiveRegions, r#"{"region_codes":[1,2]}"#),
        (Op::GeminiDeleteDualActive, r#"{"job_id":42}"#),
        (Op::DbssListInstances, r#"[{"clusters":[]}]"#),
    ];
    for (op, body) in cases {
        let (outcome, _) = call_with(op, json_response(op.success_status(), body)).await;
        assert_decode_error(op, "wrong type", outcome, body);
    }
}

/// An HTML error page on 502 is a service error with the page kept (after retries).
#[tokio::test]
async fn html_page_on_502_is_a_service_error_with_the_body() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    for op in Op::ALL {
        let response = ResponseTemplate::new(502)
            .insert_header("X-Request-Id", REQUEST_ID)
            .set_body_raw(html.as_bytes().to_vec(), "text/html");
        let (outcome, count) = call_with(op, response).await;
        let failure = outcome.err();
        assert_eq!(failure.kind, Kind::Service, "{op:?}");
        let s = failure.service();
        assert_eq!(s.status, 502);
        assert_eq!(s.body, html, "{op:?}: body kept");
        assert_eq!(s.typed, None, "{op:?}: HTML is not the typed body");
        assert_eq!(s.error_code, None);
        assert_eq!(s.request_id.as_deref(), Some(REQUEST_ID));
        assert!(
            failure.display.contains("502 Bad Gateway"),
            "{}",
            failure.display
        );
        assert!(failure.display.contains(REQUEST_ID), "{}", failure.display);
        assert_eq!(count, 3, "{op:?}: 502 is retried up to max_attempts");
    }
}

/// A response whose connection closes before `Content-Length` bytes arrived: an error,
/// never a panic, never a success. The runtime reports it as a transport error (the body
/// never fully arrived), keeping the URL, and does not leak secrets.
#[tokio::test]
async fn truncated_transfer_is_an_error_not_a_panic() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let serve = std::thread::spawn(move || {
        let mut served = 0;
        listener.set_nonblocking(false).unwrap();
        // Serve a single truncated response (the runtime does not retry this failure;
        // a second connection, if any, times out below).
        if let Ok((mut stream, _)) = listener.accept() {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let partial = r#"{"regions" : [ "cn-north-2", "cn-"#;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\nX-Request-Id: {REQUEST_ID}\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(partial.as_bytes()).unwrap();
            stream.flush().unwrap();
            served += 1;
        }
        served
    });
    let config = hwcloud::Config::builder()
        .region("cn-north-4")
        .project_id(PROJECT_ID)
        .credentials(Auth::AkSk.credentials())
        .endpoint_override(format!("http://{addr}"))
        .retry(fast_retry().with_max_attempts(1))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let client = hwcloud::Client::new(config).unwrap();
    let outcome = Op::KmsListSupportRegions.call(&client).await;
    assert_eq!(serve.join().unwrap(), 1);
    let failure = outcome.err();
    assert_eq!(failure.kind, Kind::Transport, "{}", failure.display);
    assert!(
        failure.display.contains(&addr.to_string()),
        "{}",
        failure.display
    );
}
