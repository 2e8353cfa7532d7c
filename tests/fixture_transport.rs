//! What the fixture crate's generated code sends and decodes for the transport features of
//! the format: multipart, form, binary and text request bodies (and their signatures),
//! several 2xx statuses, error bodies by status and `default`, typed response headers, text
//! and streamed binary responses, OPTIONS, and hosts (an operation's own, a global service's).
//! The fixture specs are in `tests/fixtures/spec/demo` and `tests/fixtures/spec/global-demo`.

use hwcloud_fixture::demo::download_widget_blob::XBlobKind;
use hwcloud_fixture::demo::import_widgets::{
    ImportWidgetsError409, ImportWidgetsErrorBody, ImportWidgetsRequestBody, ImportWidgetsResponse,
};
use hwcloud_fixture::demo::upload_widget_image::{Quality, UploadWidgetImageRequestBody};
use hwcloud_fixture::global_demo::create_session::{
    CreateSessionError401, CreateSessionErrorBody, CreateSessionRequestBody,
};
use hwcloud_fixture::runtime as rt;
use hwcloud_fixture::{Client, Error};
use hwcloud_tests::{
    assert_signature_valid, config_builder, header, received, start_server, Auth, AK, PROJECT_ID,
    SK,
};
use serde_json::json;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture_client(server: &MockServer) -> Client {
    Client::new(
        config_builder(server, Auth::AkSk)
            .build()
            .expect("a valid config"),
    )
    .expect("a client")
}

/// The service error of a failed call.
fn service_error<E: std::fmt::Debug>(
    result: Result<impl std::fmt::Debug, Error<E>>,
) -> Box<rt::ServiceError<E>> {
    match result {
        Err(Error::Service(err)) => err,
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn plain(code: &str) -> hwcloud_fixture::demo::PlainError {
    hwcloud_fixture::demo::PlainError::new()
        .with_error_code(code)
        .with_error_msg("m")
}

/// Checks the signature of a request whose body is not hashed (`UNSIGNED-PAYLOAD`).
fn assert_unsigned_payload(req: &wiremock::Request) {
    assert_eq!(
        header(req, "x-sdk-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    let auth = header(req, "authorization").expect("signed");
    assert!(auth.contains("x-sdk-content-sha256"), "{auth}");
    assert_signature_valid(req, AK, SK);
}

#[tokio::test]
async fn multipart_upload_sends_every_part_and_decodes_the_location_header() {
    let server = start_server().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("Location", "/v1/images/i1")
                .set_body_json(json!({"image_id": "i1"})),
        )
        .mount(&server)
        .await;
    let client = fixture_client(&server);
    let body = UploadWidgetImageRequestBody::new(
        rt::FilePart::new("w.png", vec![0x89u8, b'P', b'N', b'G']).with_content_type("image/png"),
        "front \"view\"",
    )
    .with_thumbnails(vec![
        rt::FilePart::new("t1.png", b"t1".to_vec()),
        rt::FilePart::new("t2.png", b"t2".to_vec()),
    ])
    .with_tags(vec!["a".into(), "b".into()])
    .with_quality(Quality::Final)
    .with_meta(json!({"k": 1}));
    let output = client
        .demo()
        .upload_widget_image("w1", body)
        .send()
        .await
        .expect("201 decodes");
    assert_eq!(output.status, 201);
    assert_eq!(output.body.image_id.as_deref(), Some("i1"));
    assert_eq!(output.headers.location.as_deref(), Some("/v1/images/i1"));

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.url.path(), format!("/v1/{PROJECT_ID}/widgets/w1/image"));
    let content_type = header(req, "content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart with a boundary");
    let part = |name: &str, value: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
    };
    let file = |name: &str, file_name: &str, content_type: &str, data: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n{data}\r\n"
        )
    };
    let mut expected = Vec::new();
    expected.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"w.png\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    expected.extend_from_slice(&[0x89, b'P', b'N', b'G']);
    expected.extend_from_slice(b"\r\n");
    for text in [
        part("caption", "front \"view\""),
        file("thumbnails", "t1.png", "application/octet-stream", "t1"),
        file("thumbnails", "t2.png", "application/octet-stream", "t2"),
        part("tags", "a"),
        part("tags", "b"),
        part("quality", "2"),
        part("meta", "{\"k\":1}"),
        format!("--{boundary}--\r\n"),
    ] {
        expected.extend_from_slice(text.as_bytes());
    }
    assert_eq!(
        String::from_utf8_lossy(&req.body),
        String::from_utf8_lossy(&expected)
    );
    assert_unsigned_payload(req);
}

#[tokio::test]
async fn an_operation_host_and_a_global_service_endpoint_are_used_without_overrides() {
    // No endpoint override: the request goes to the real host names, resolved here to a
    // closed local port, so the call fails with the URL it tried.
    let hosts = [
        "upload-demo.cn-north-4.myhuaweicloud.com",
        "global-demo.myhuaweicloud.com",
    ];
    let mut http = rt::reqwest::Client::builder();
    for host in hosts {
        http = http.resolve(host, "127.0.0.1:0".parse().expect("an address"));
    }
    let config = hwcloud_fixture::Config::builder()
        .region("cn-north-4")
        .project_id(PROJECT_ID)
        .credentials(Auth::AkSk.credentials())
        .connect_timeout(std::time::Duration::from_secs(2))
        .retry(rt::RetryPolicy::none())
        .build()
        .expect("a valid config");
    let client =
        Client::from_runtime(rt::Client::with_http_client_builder(config, http).expect("a client"));
    let upload = client
        .demo()
        .upload_widget_image(
            "w1",
            UploadWidgetImageRequestBody::new(rt::FilePart::new("x", vec![1u8]), "c"),
        )
        .send()
        .await
        .expect_err("nothing listens");
    assert!(
        upload.to_string().contains(&format!(
            "https://upload-demo.cn-north-4.myhuaweicloud.com/v1/{PROJECT_ID}/widgets/w1/image"
        )),
        "{upload}"
    );
    let session = client
        .global_demo()
        .create_session(CreateSessionRequestBody::new("alice"))
        .send()
        .await
        .expect_err("nothing listens");
    assert!(
        session
            .to_string()
            .contains("https://global-demo.myhuaweicloud.com/v3/auth/sessions"),
        "{session}"
    );
}

#[tokio::test]
async fn form_body_several_success_statuses_and_error_bodies_by_status() {
    let server = start_server().await;
    let respond = |case: &str, template: ResponseTemplate| {
        Mock::given(wiremock::matchers::body_string_contains(format!(
            "source={case}"
        )))
        .respond_with(template)
    };
    for (case, template) in [
        (
            "ok",
            ResponseTemplate::new(200).set_body_json(json!({"imported": 3})),
        ),
        ("later", ResponseTemplate::new(202)),
        (
            "bad",
            ResponseTemplate::new(400)
                .set_body_json(json!({"error_code": "E400", "error_msg": "m"})),
        ),
        (
            "missing",
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"error_code": "E404", "error_msg": "m"}})),
        ),
        (
            "busy",
            ResponseTemplate::new(409).set_body_json(json!({"running_job": "job-7"})),
        ),
        (
            "teapot",
            ResponseTemplate::new(418).set_body_json(json!({"code": "E418", "message": "m"})),
        ),
        ("odd", ResponseTemplate::new(203).set_body_json(json!({}))),
    ] {
        respond(case, template).mount(&server).await;
    }
    let client = fixture_client(&server);
    let import = |source: &str| {
        client
            .demo()
            .import_widgets(ImportWidgetsRequestBody::new(source))
            .send()
    };

    let body = ImportWidgetsRequestBody::new("ok")
        .with_overwrite(true)
        .with_labels(vec!["a b".into(), "ü".into()]);
    let output = client
        .demo()
        .import_widgets(body)
        .send()
        .await
        .expect("200 decodes");
    match output.body {
        ImportWidgetsResponse::Status200(body) => assert_eq!(body.imported, Some(3)),
        other => panic!("expected the 200 body, got {other:?}"),
    }
    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(
        String::from_utf8_lossy(&req.body),
        "labels=a+b&labels=%C3%BC&overwrite=true&source=ok"
    );
    assert_eq!(
        header(req, "content-type"),
        Some("application/x-www-form-urlencoded; charset=UTF-8")
    );
    assert_unsigned_payload(req);

    let later = import("later").await.expect("202 decodes");
    assert_eq!(
        (later.status, later.body),
        (202, ImportWidgetsResponse::Status202)
    );

    let odd = import("odd").await;
    match odd {
        Err(Error::Decode(decode)) => {
            assert_eq!(decode.status, 203);
            assert!(
                decode.message.contains("not a documented success status"),
                "{decode}"
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    assert_eq!(
        service_error(import("bad").await).typed,
        Some(ImportWidgetsErrorBody::Status400(plain("E400")))
    );
    let missing = service_error(import("missing").await);
    assert_eq!(missing.error_code.as_deref(), Some("E404"));
    assert!(matches!(
        missing.typed,
        Some(ImportWidgetsErrorBody::Status404(_))
    ));
    assert_eq!(
        service_error(import("busy").await).typed,
        Some(ImportWidgetsErrorBody::Status409(
            ImportWidgetsError409::new().with_running_job("job-7")
        ))
    );
    let teapot = service_error(import("teapot").await);
    assert_eq!(teapot.status, 418);
    match teapot.typed {
        Some(ImportWidgetsErrorBody::Default(body)) => {
            assert_eq!(body.code.as_deref(), Some("E418"))
        }
        other => panic!("expected the default body, got {other:?}"),
    }
    // The typed body encodes back to the wire shape.
    assert_eq!(
        serde_json::to_value(ImportWidgetsErrorBody::Status400(plain("E400"))).expect("encodes"),
        json!({"error_code": "E400", "error_msg": "m"})
    );
}

#[tokio::test]
async fn binary_upload_and_streamed_download() {
    let server = start_server().await;
    Mock::given(method("PUT"))
        .and(wiremock::matchers::path_regex("/w-ok/blob$"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(wiremock::matchers::path_regex("/w-err/blob$"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"error_code": "E500", "error_msg": "m"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex("/w-ok/blob$"))
        .respond_with(
            ResponseTemplate::new(206)
                .insert_header("X-Blob-Size", "9000000000")
                .insert_header("X-Blob-Tags", "red, blue")
                .insert_header("X-Blob-Kind", "image")
                .set_body_bytes(vec![7u8; 100_000]),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex("/w-bad-header/blob$"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Blob-Size", "big")
                .set_body_bytes(vec![1u8]),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex("/w-none/blob$"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"error_code": "E404", "error_msg": "m"}})),
        )
        .mount(&server)
        .await;
    // A small response cap: downloads are not capped by it.
    let config = config_builder(&server, Auth::AkSk)
        .max_response_bytes(1024)
        .build()
        .expect("a valid config");
    let client = Client::new(config).expect("a client");

    let data: Vec<u8> = (0..=255u8).collect();
    client
        .demo()
        .put_widget_blob("w-ok", data.clone())
        .send()
        .await
        .expect("204");
    let err = service_error(
        client
            .demo()
            .put_widget_blob("w-err", vec![1u8])
            .send()
            .await,
    );
    assert_eq!(err.typed, Some(plain("E500")), "the default body");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "PUT");
    assert_eq!(req.body, data);
    assert_eq!(header(req, "content-type"), Some("image/png"));
    assert_unsigned_payload(req);

    let output = client
        .demo()
        .download_widget_blob("w-ok")
        .range("bytes=0-99999")
        .send()
        .await
        .expect("206 streams");
    assert_eq!(output.status, 206);
    assert_eq!(output.headers.x_blob_size, Some(9_000_000_000));
    assert_eq!(
        output.headers.x_blob_tags,
        Some(vec!["red".to_owned(), "blue".to_owned()])
    );
    assert_eq!(output.headers.x_blob_kind, Some(XBlobKind::Image));
    assert_eq!(
        output.body.collect().await.expect("the body"),
        vec![7u8; 100_000]
    );
    let requests = received(&server).await;
    let req = requests.last().expect("the download");
    // A download's future (and the stream it returns) can be spawned.
    let spawned = tokio::spawn(client.demo().download_widget_blob("w-ok").send());
    let output = spawned.await.expect("the task runs").expect("206 streams");
    let length = tokio::spawn(async move { output.body.collect().await.map(|b| b.len()) });
    assert_eq!(
        length.await.expect("the task runs").expect("the body"),
        100_000
    );
    assert_eq!(header(req, "range"), Some("bytes=0-99999"));
    assert!(req.body.is_empty());
    assert_eq!(header(req, "x-sdk-content-sha256"), None);
    assert_signature_valid(req, AK, SK);

    match client
        .demo()
        .download_widget_blob("w-bad-header")
        .send()
        .await
    {
        Err(Error::Decode(decode)) => {
            assert!(decode.message.contains("X-Blob-Size"), "{decode}")
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let err = service_error(client.demo().download_widget_blob("w-none").send().await);
    assert_eq!(err.status, 404);
    assert!(err.typed.is_some());
}

#[tokio::test]
async fn text_bodies_go_out_and_come_back_as_strings() {
    let server = start_server().await;
    Mock::given(wiremock::matchers::path_regex("/w-ok/config$"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<config><size>4</size></config>"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path_regex("/w-bad/config$"))
        .respond_with(ResponseTemplate::new(400).set_body_string("not XML"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path_regex("/w-conflict/config$"))
        .respond_with(
            ResponseTemplate::new(409).set_body_json(json!({"code": "E409", "message": "m"})),
        )
        .mount(&server)
        .await;
    let client = fixture_client(&server);
    let xml = "<config><size>3</size></config>";
    let output = client
        .demo()
        .set_widget_config("w-ok", xml)
        .send()
        .await
        .expect("200 text");
    assert_eq!(output.body, "<config><size>4</size></config>");
    let requests = received(&server).await;
    assert_eq!(requests[0].method.as_str(), "PUT");
    assert_eq!(requests[0].body, xml.as_bytes());
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("application/xml")
    );
    assert_unsigned_payload(&requests[0]);

    // A text error body is kept raw; a JSON one is typed.
    let bad = service_error(client.demo().set_widget_config("w-bad", xml).send().await);
    assert_eq!((bad.status, bad.body.as_str()), (400, "not XML"));
    assert!(bad.typed.is_none());
    let conflict = service_error(
        client
            .demo()
            .set_widget_config("w-conflict", xml)
            .send()
            .await,
    );
    assert_eq!(conflict.typed.and_then(|t| t.code).as_deref(), Some("E409"));
}

#[tokio::test]
async fn options_request_decodes_its_headers() {
    let server = start_server().await;
    Mock::given(method("OPTIONS"))
        .respond_with(
            ResponseTemplate::new(200)
                .append_header("Allow", "GET, POST")
                .append_header("Allow", "OPTIONS")
                .insert_header("Access-Control-Max-Age", "600"),
        )
        .mount(&server)
        .await;
    let client = fixture_client(&server);
    let output = client.demo().widget_options().send().await.expect("200");
    assert_eq!(
        output.headers.allow,
        Some(vec![
            "GET".to_owned(),
            "POST".to_owned(),
            "OPTIONS".to_owned()
        ])
    );
    assert_eq!(output.headers.access_control_max_age, Some(600));
    assert_eq!(output.body, ());
    let requests = received(&server).await;
    assert_eq!(requests[0].method.as_str(), "OPTIONS");
    assert_eq!(requests[0].url.path(), format!("/v1/{PROJECT_ID}/widgets"));
    assert_signature_valid(&requests[0], AK, SK);
}

#[tokio::test]
async fn a_session_token_header_is_decoded_but_never_shown() {
    const SESSION_TOKEN: &str = "SESSION-TOKEN-MIIZ-9f8e7d";
    let server = start_server().await;
    Mock::given(wiremock::matchers::body_string_contains("alice"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-Subject-Token", SESSION_TOKEN)
                .insert_header("X-Session-Ttl", "60")
                .set_body_json(json!({"expires_at": "2026-01-01T00:00:00Z"})),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::body_string_contains("mallory"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "wrong password"})),
        )
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error_code": "E400", "error_msg": "m"})),
        )
        .mount(&server)
        .await;
    let client = fixture_client(&server);
    let output = client
        .global_demo()
        .create_session(CreateSessionRequestBody::new("alice").with_ttl(60))
        .send()
        .await
        .expect("201");
    assert_eq!(
        output.headers.x_subject_token.as_deref(),
        Some(SESSION_TOKEN)
    );
    assert_eq!(output.headers.x_session_ttl, Some(60));
    assert_eq!(
        output.body.expires_at.as_deref(),
        Some("2026-01-01T00:00:00Z")
    );
    let debug = format!("{output:?} {:#?}", output.headers);
    assert!(!debug.contains(SESSION_TOKEN), "{debug}");
    assert!(debug.contains("x_subject_token: Some(\"***\")"), "{debug}");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.url.path(), "/v3/auth/sessions");
    assert_eq!(header(req, "content-type"), Some("application/json"));
    assert_eq!(header(req, "x-sdk-content-sha256"), None, "JSON is hashed");
    assert_signature_valid(req, AK, SK);

    let denied = service_error(
        client
            .global_demo()
            .create_session(CreateSessionRequestBody::new("mallory"))
            .send()
            .await,
    );
    assert_eq!(
        denied.typed,
        Some(CreateSessionErrorBody::Status401(
            CreateSessionError401::new().with_message("wrong password")
        ))
    );
    let bad = service_error(
        client
            .global_demo()
            .create_session(CreateSessionRequestBody::new("bob"))
            .send()
            .await,
    );
    assert!(matches!(
        bad.typed,
        Some(CreateSessionErrorBody::Status400(_))
    ));
}

/// A documented 3xx is the operation's result (a version list at 300, a link in `Location`
/// at 307): returned, never followed; an undocumented 3xx is still an error.
#[tokio::test]
async fn documented_redirect_statuses_are_results_and_others_are_errors() {
    let server = start_server().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/"))
        .respond_with(ResponseTemplate::new(300).set_body_json(json!({"versions": ["v3"]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/v1/templates/t1"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("Location", "https://obs.example/t1?sig=x"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/v1/templates/t2"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "https://elsewhere/"))
        .mount(&server)
        .await;
    let client = fixture_client(&server);

    let versions = client
        .global_demo()
        .list_api_versions()
        .send()
        .await
        .expect("a 300 is this operation's result");
    assert_eq!(versions.status, 300);
    assert_eq!(versions.body.versions, Some(vec!["v3".to_owned()]));

    let link = client
        .global_demo()
        .get_template_link("t1")
        .send()
        .await
        .expect("a 307 is this operation's result");
    assert_eq!(
        link.headers.location.as_deref(),
        Some("https://obs.example/t1?sig=x")
    );

    let other = service_error(client.global_demo().get_template_link("t2").send().await);
    assert_eq!(other.status, 302);
    let hits = received(&server).await;
    assert_eq!(hits.len(), 3, "no redirect was followed");
}

/// An operation whose source documents no success status: any 2xx succeeds without a body,
/// and its documented errors are still typed.
#[tokio::test]
async fn an_operation_without_a_documented_success_takes_any_2xx() {
    let server = start_server().await;
    Mock::given(method("DELETE"))
        .and(wiremock::matchers::path("/v1/key-stores/k1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(wiremock::matchers::path("/v1/key-stores/k2"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error_code": "KMS.0001", "error_msg": "busy"})),
        )
        .mount(&server)
        .await;
    let client = fixture_client(&server);
    let deleted = client
        .global_demo()
        .delete_key_store("k1")
        .send()
        .await
        .expect("a 204 succeeds");
    assert_eq!(deleted.status, 204);
    let refused = service_error(client.global_demo().delete_key_store("k2").send().await);
    assert_eq!(
        refused.typed.as_ref().and_then(|t| t.error_code.as_deref()),
        Some("KMS.0001")
    );
}
