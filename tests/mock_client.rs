//! The `test-util` mock client through the generated crate: default answers from the specs'
//! examples, queued answers, typed service errors, the record of requests, no network.

use hwcloud::mock::{Mock, MockResponse};
use hwcloud::Client;

#[tokio::test]
async fn answers_with_the_spec_example_by_default_and_records_the_request() {
    let mock = Mock::new();
    let client = Client::from_runtime(mock.client());
    let output = client
        .kms()
        .list_support_regions()
        .limit(10)
        .send()
        .await
        .expect("the example answers");
    // The example of kms/list_support_regions.yaml, decoded by the real decoder.
    assert_eq!(
        output.body.regions.as_deref(),
        Some(
            &[
                "cn-north-2".to_owned(),
                "cn-north-4".to_owned(),
                "cn-north-1".to_owned()
            ][..]
        )
    );
    assert_eq!(output.status, 200);
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.service, request.operation, request.method),
        ("kms", "ListSupportRegions", "GET")
    );
    assert_eq!(
        request.path,
        "/v2/0123456789abcdef0123456789abcdef/kms/regions"
    );
    assert_eq!(request.query_value("limit"), Some("10"));
    assert_eq!(request.body, None);
    // Credentials are never part of the record.
    assert!(request
        .headers
        .iter()
        .all(|(name, _)| !name.eq_ignore_ascii_case("x-auth-token")));
}

#[tokio::test]
async fn records_the_json_body_it_would_have_sent() {
    let mock = Mock::new();
    let client = Client::from_runtime(mock.client());
    let body = hwcloud::kms::create_key::CreateKeyRequestBody::new("my-key");
    let output = client
        .kms()
        .create_key(body)
        .send()
        .await
        .expect("the example answers");
    let key_info = output.body.key_info.expect("the example has key_info");
    assert_eq!(
        key_info.key_id.as_deref(),
        Some("bb6a3d22-dc93-47ac-b5bd-88df7ad35f1e")
    );
    let request = &mock.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.json_body().expect("a JSON body")["key_alias"],
        "my-key"
    );
    assert!(request
        .headers
        .iter()
        .any(|(name, value)| name == "Content-Type" && value == "application/json"));
}

#[tokio::test]
async fn queued_answers_come_in_order_and_the_last_one_stays() {
    let mock = Mock::new();
    mock.on(
        "ListSupportRegions",
        MockResponse::json(200, r#"{"regions": ["first"]}"#),
    )
    .on(
        "kms.ListSupportRegions",
        MockResponse::json(200, r#"{"regions": ["qualified"]}"#),
    );
    let client = Client::from_runtime(mock.client());
    // A `service.Operation` key wins over the bare name.
    for _ in 0..2 {
        let output = client.kms().list_support_regions().send().await.unwrap();
        assert_eq!(output.body.regions.unwrap(), ["qualified"]);
    }

    let mock = Mock::new();
    mock.on(
        "ListSupportRegions",
        MockResponse::json(200, r#"{"regions": ["a"]}"#),
    )
    .on(
        "ListSupportRegions",
        MockResponse::json(200, r#"{"regions": ["b"]}"#),
    );
    let client = Client::from_runtime(mock.client());
    let mut seen = Vec::new();
    for _ in 0..3 {
        let output = client.kms().list_support_regions().send().await.unwrap();
        seen.extend(output.body.regions.unwrap());
    }
    assert_eq!(seen, ["a", "b", "b"]);
    assert_eq!(mock.requests().len(), 3);
    // A new answer replaces the one that stayed.
    mock.on(
        "ListSupportRegions",
        MockResponse::json(200, r#"{"regions": ["c"]}"#),
    );
    let output = client.kms().list_support_regions().send().await.unwrap();
    assert_eq!(output.body.regions.unwrap(), ["c"]);
}

#[tokio::test]
async fn a_documented_error_status_is_a_typed_service_error() {
    let mock = Mock::new();
    mock.on(
        "ListSupportRegions",
        MockResponse::json(
            404,
            r#"{"error": {"error_code": "KMS.0207", "error_msg": "Key not found."}}"#,
        )
        .header("X-Request-Id", "req-42"),
    );
    let client = Client::from_runtime(mock.client());
    let error = client
        .kms()
        .list_support_regions()
        .send()
        .await
        .expect_err("404 is an error");
    let service = error.as_service().expect("a service error");
    assert_eq!(service.status, 404);
    assert_eq!(service.request_id.as_deref(), Some("req-42"));
    let typed = service
        .typed
        .as_ref()
        .expect("404 is documented: typed body");
    let detail = typed.error.as_ref().expect("the body's error object");
    assert_eq!(detail.error_code.as_deref(), Some("KMS.0207"));
    assert_eq!(detail.error_msg.as_deref(), Some("Key not found."));

    // The common shape, for services whose errors are flat.
    let mock = Mock::new();
    mock.on(
        "ListSupportRegions",
        MockResponse::error(500, "KMS.0500", "Internal error."),
    );
    let client = Client::from_runtime(mock.client());
    let error = client
        .kms()
        .list_support_regions()
        .send()
        .await
        .unwrap_err();
    let service = error.as_service().expect("a service error");
    assert_eq!(service.error_code.as_deref(), Some("KMS.0500"));
    assert_eq!(service.error_msg.as_deref(), Some("Internal error."));
}

#[tokio::test]
async fn a_client_with_its_own_config_fills_the_path_from_it() {
    let mock = Mock::new();
    let config = hwcloud::Config::builder()
        .region("cn-north-4")
        .project_id("fedcba9876543210fedcba9876543210")
        .credentials(hwcloud::Credentials::aksk("AK", "SK"))
        .build()
        .unwrap();
    let client = Client::from_runtime(mock.client_with_config(config));
    client.kms().list_support_regions().send().await.unwrap();
    assert_eq!(
        mock.requests()[0].path,
        "/v2/fedcba9876543210fedcba9876543210/kms/regions"
    );
}

#[tokio::test]
async fn an_operation_without_a_success_body_answers_with_none() {
    let mock = Mock::new();
    let client = Client::from_runtime(mock.client());
    let body = hwcloud::kms::cancel_self_grant::RevokeGrantRequestBody::new("key", "grant");
    let output = client.kms().cancel_self_grant(body).send().await.unwrap();
    // CancelSelfGrant documents 200 with no body: the mock answers exactly that.
    assert_eq!(output.status, 200);
}

#[tokio::test]
async fn an_operation_without_example_or_answer_says_how_to_add_one() {
    let mock = Mock::new();
    let client = Client::from_runtime(mock.client());
    // ListKeyStores documents a JSON success body but gives no example of it.
    let error = client
        .kms()
        .list_key_stores()
        .limit(5)
        .send()
        .await
        .expect_err("nothing to answer with");
    match error {
        hwcloud::Error::InvalidInput(message) => {
            assert!(message.contains("ListKeyStores"), "{message}");
            assert!(message.contains("Mock::on"), "{message}");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    // The request was still recorded: the test can check what would have been sent.
    assert_eq!(mock.requests()[0].query_value("limit"), Some("5"));
}

#[tokio::test]
async fn a_download_is_streamed_from_the_canned_bytes() {
    let mock = Mock::new();
    mock.on(
        "DownloadWidgetBlob",
        MockResponse::bytes(200, b"0123456789".to_vec())
            .header("X-Blob-Size", "10")
            .header("X-Request-Id", "req-9"),
    );
    let client = hwcloud_fixture::Client::from_runtime(mock.client());
    let output = client
        .demo()
        .download_widget_blob("w-1")
        .send()
        .await
        .expect("the canned bytes");
    assert_eq!(output.headers.x_blob_size, Some(10));
    assert_eq!(output.request_id.as_deref(), Some("req-9"));
    assert_eq!(output.body.collect().await.unwrap(), b"0123456789");
    assert_eq!(
        mock.requests()[0].path,
        "/v1/0123456789abcdef0123456789abcdef/widgets/w-1/blob"
    );
}
