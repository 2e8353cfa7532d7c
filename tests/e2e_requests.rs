//! End-to-end: the exact request each of the five operations sends, with AK/SK, temporary
//! AK/SK and an IAM token, against a wiremock server on 127.0.0.1; signatures are verified
//! by recomputing them independently.

use hwcloud_tests::*;

/// Calls every operation with credentials `auth` and checks the single request it sends.
async fn check_exact_requests(auth: Auth) {
    for op in Op::ALL {
        let server = start_server().await;
        op.matcher()
            .respond_with(example_response(op))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(&server, auth);
        let ok = op.call(&client).await.ok();
        assert_eq!(ok.status, op.success_status(), "{op:?}");
        assert_eq!(ok.request_id.as_deref(), Some(REQUEST_ID), "{op:?}");
        let requests = received(&server).await;
        assert_eq!(requests.len(), 1, "{op:?}: one request");
        assert_exact_request(op, auth, &server, &requests[0]);
        server.verify().await;
    }
}

#[tokio::test]
async fn aksk_requests_are_exact_and_signed() {
    check_exact_requests(Auth::AkSk).await;
}

#[tokio::test]
async fn temporary_aksk_requests_sign_the_security_token() {
    check_exact_requests(Auth::AkSkTemporary).await;
}

#[tokio::test]
async fn token_requests_send_x_auth_token_and_no_signature() {
    check_exact_requests(Auth::Token).await;
}

/// The method and path template each test expects are the ones the spec documents.
#[test]
fn expected_requests_follow_the_specs() {
    for op in Op::ALL {
        let spec = op.spec();
        assert_eq!(spec["operation"].as_str(), Some(op.name()));
        assert_eq!(spec["method"].as_str(), Some(op.method()), "{op:?}");
        assert_eq!(spec["path"].as_str(), Some(op.path_template()), "{op:?}");
    }
    // KMS documents limit and offset as query parameters.
    let kms = Op::KmsListSupportRegions.spec();
    let query: Vec<&str> = kms["parameters"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|p| p["in"].as_str() == Some("query"))
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(query, ["limit", "offset"]);
}

/// Without paging parameters, KMS sends no query string at all.
#[tokio::test]
async fn kms_without_paging_sends_no_query() {
    let server = start_server().await;
    let op = Op::KmsListSupportRegions;
    op.matcher()
        .respond_with(example_response(op))
        .mount(&server)
        .await;
    let client = client(&server, Auth::AkSk);
    let out = client.kms().list_support_regions().send().await;
    summarize(out).ok();
    let req = &received(&server).await[0];
    assert_eq!(req.url.query(), None);
    assert_signature_valid(req, AK, SK);

    // Only limit: exactly one pair.
    server.reset().await;
    op.matcher()
        .respond_with(example_response(op))
        .mount(&server)
        .await;
    summarize(client.kms().list_support_regions().limit(1).send().await).ok();
    let req = &received(&server).await[0];
    assert_eq!(req.url.query(), Some("limit=1"));
    assert_signature_valid(req, AK, SK);
}

/// A path argument is one percent-encoded segment: `../x?y#z` cannot change the path,
/// and the signature covers the encoded path.
#[tokio::test]
async fn path_argument_is_one_encoded_segment() {
    let hostile = "../x?y#z é";
    let encoded = "..%2Fx%3Fy%23z%20%C3%A9";
    for op in [Op::GeminiShowBiactiveRegions, Op::GeminiDeleteDualActive] {
        let server = start_server().await;
        let expected_path = op
            .path_template()
            .replace("{project_id}", PROJECT_ID)
            .replace("{instance_id}", encoded);
        wiremock::Mock::given(wiremock::matchers::method(op.method()))
            .and(wiremock::matchers::path(expected_path.as_str()))
            .respond_with(example_response(op))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(&server, Auth::AkSk);
        op.call_on(&client, hostile).await.ok();
        let req = &received(&server).await[0];
        assert_eq!(req.url.path(), expected_path, "{op:?}");
        assert_eq!(req.url.query(), None, "{op:?}: '?' did not start a query");
        assert_signature_valid(req, AK, SK);
    }
}

/// Path arguments that would change the path structure are rejected before sending.
#[tokio::test]
async fn dot_segments_are_rejected_before_sending() {
    let server = start_server().await;
    let client = client(&server, Auth::AkSk);
    for op in [Op::GeminiShowBiactiveRegions, Op::GeminiDeleteDualActive] {
        for bad in ["", ".", ".."] {
            let failure = op.call_on(&client, bad).await.err();
            assert_eq!(failure.kind, Kind::InvalidInput, "{op:?} {bad:?}");
            assert!(
                failure.display.contains("instance_id"),
                "{}",
                failure.display
            );
        }
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

/// The verifier is not vacuous: a wrong key, a changed path or a changed date each
/// give a different signature.
#[tokio::test]
async fn signature_verifier_detects_wrong_key_and_tampering() {
    let server = start_server().await;
    let op = Op::KmsListSupportRegions;
    op.matcher()
        .respond_with(example_response(op))
        .mount(&server)
        .await;
    let client = client(&server, Auth::AkSk);
    op.call(&client).await.ok();
    let req = received(&server).await.remove(0);
    let sent = required_header(&req, "authorization").to_owned();
    assert_eq!(sent, authorization_independent(&req, AK, SK));
    assert_ne!(
        sent,
        authorization_independent(&req, AK, "not-the-secret-key")
    );
    assert_ne!(
        sent,
        authorization_via_runtime_signer(&req, AK, "not-the-secret-key")
    );

    let mut tampered = req.clone();
    tampered.url.set_path("/v2/other-project/kms/regions");
    assert_ne!(sent, authorization_independent(&tampered, AK, SK));

    let mut tampered = req.clone();
    tampered.url.set_query(Some("limit=11&offset=2"));
    assert_ne!(sent, authorization_independent(&tampered, AK, SK));

    let mut tampered = req.clone();
    tampered.headers.insert(
        "x-sdk-date",
        wiremock::http::HeaderValue::from_static("20060102T150405Z"),
    );
    assert_ne!(sent, authorization_independent(&tampered, AK, SK));

    // The canonical request computed here has the documented layout.
    let canonical = independent_canonical_request(
        &req,
        &["host".into(), "x-project-id".into(), "x-sdk-date".into()],
    );
    let lines: Vec<&str> = canonical.split('\n').collect();
    assert_eq!(lines[0], "GET");
    assert_eq!(lines[1], format!("/v2/{PROJECT_ID}/kms/regions/"));
    assert_eq!(lines[2], "limit=10&offset=2");
    assert_eq!(
        lines[3],
        format!("host:127.0.0.1:{}", server.address().port())
    );
    assert_eq!(lines[4], format!("x-project-id:{PROJECT_ID}"));
    assert!(lines[5].starts_with("x-sdk-date:"));
    assert_eq!(lines[6], "");
    assert_eq!(lines[7], "host;x-project-id;x-sdk-date");
    assert_eq!(
        lines[8],
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

/// The independent signer reproduces the known vector, so it is a real check.
#[test]
fn independent_signer_matches_the_known_vector() {
    let server_less = wiremock_request(
        "GET",
        "https://example.huaweicloud.com/path?limit=1",
        &[("x-sdk-date", "20060102T150405Z")],
    );
    let mut req = server_less;
    req.headers.insert(
        "authorization",
        wiremock::http::HeaderValue::from_static(
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
        ),
    );
    assert_signature_valid(&req, "AccessKey", "SecretKey");
}

/// Builds a `wiremock::Request` by hand (for the known-vector check).
fn wiremock_request(
    method: &str,
    url: &str,
    headers: &[(&'static str, &'static str)],
) -> wiremock::Request {
    let mut map = wiremock::http::HeaderMap::new();
    for (n, v) in headers {
        map.insert(*n, wiremock::http::HeaderValue::from_static(v));
    }
    wiremock::Request {
        url: url.parse().unwrap(),
        method: method.parse().unwrap(),
        headers: map,
        body: Vec::new(),
    }
}
