//! End-to-end: the SK, security token and IAM token never appear in the `Debug` or
//! `Display` of the client, its config, request builders, or any error, for every kind of
//! credentials. (Every error the other e2e tests produce goes through `summarize`, which
//! performs the same check.)

use std::time::Duration;

use hwcloud::runtime as rt;
use hwcloud_tests::*;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn client_config_and_builders_hide_secrets() {
    let server = start_server().await;
    for auth in Auth::ALL {
        let builder = config_builder(&server, auth);
        checked_debug("ConfigBuilder", &builder);
        let config = builder.build().unwrap();
        let text = checked_debug("Config", &config);
        assert!(text.contains("***"), "secrets are shown redacted: {text}");
        checked_debug("Credentials", config.credentials());
        let client = hwcloud::Client::new(config.clone()).unwrap();
        checked_debug("hwcloud::Client", &client);
        checked_debug("runtime::Client", client.runtime());
        checked_debug("Config via client", client.runtime().config());
        checked_debug("kms builder", &client.kms().list_support_regions().limit(1));
        checked_debug("rds builder", &client.rds().list_dr_relations());
        checked_debug(
            "gaussdb builder",
            &client
                .gaussdb_nosql()
                .show_instance_biactive_regions(INSTANCE_ID),
        );
        checked_debug(
            "gaussdb delete builder",
            &client
                .gaussdb_nosql()
                .delete_gemini_db_dual_active(INSTANCE_ID),
        );
        checked_debug("dbss builder", &client.dbss().list_instances());
        // The access key ID is not secret and helps debugging.
        if auth != Auth::Token {
            assert!(text.contains(AK), "{text}");
        }
    }
}

/// Config errors (including invalid credentials) never echo the secret values.
#[test]
fn config_errors_hide_secrets() {
    let bad = [
        rt::Credentials::aksk("", SK),
        rt::Credentials::aksk(AK, SK).with_security_token(format!("{SECURITY_TOKEN}\r\nX: y")),
        rt::Credentials::token(format!("{IAM_TOKEN}\n")),
    ];
    for credentials in bad {
        let err = hwcloud::Config::builder()
            .region("cn-north-4")
            .credentials(credentials)
            .build()
            .unwrap_err();
        let text = checked_text(&err);
        assert!(text.starts_with("invalid input"), "{text}");
    }
    for auth in Auth::ALL {
        let err = hwcloud::Config::builder()
            .region("Not A Region")
            .credentials(auth.credentials())
            .build()
            .unwrap_err();
        checked_text(&err);
    }
}

/// Every kind of call error, with every kind of credentials, hides the secrets.
#[tokio::test]
async fn errors_of_every_kind_hide_secrets() {
    for auth in Auth::ALL {
        let server = start_server().await;
        let op = Op::KmsListSupportRegions;
        let mut kinds = Vec::new();

        // Service error (documented, typed) and an undocumented one.
        for status in [401, 403, 409] {
            server.reset().await;
            let (body, _, _) = op.error_body(status);
            op.matcher()
                .respond_with(json_response(status, body.to_string()))
                .mount(&server)
                .await;
            kinds.push(op.call(&client(&server, auth)).await.err().kind);
        }

        // Decode error.
        server.reset().await;
        op.matcher()
            .respond_with(json_response(200, "<html>not json</html>"))
            .mount(&server)
            .await;
        kinds.push(op.call(&client(&server, auth)).await.err().kind);

        // Response too large.
        server.reset().await;
        op.matcher()
            .respond_with(example_response(op))
            .mount(&server)
            .await;
        let small = client_from(config_builder(&server, auth).max_response_bytes(8));
        kinds.push(op.call(&small).await.err().kind);

        // Timeout.
        server.reset().await;
        op.matcher()
            .respond_with(example_response(op).set_delay(Duration::from_secs(1)))
            .mount(&server)
            .await;
        let slow = client_from(
            config_builder(&server, auth)
                .timeout(Duration::from_millis(100))
                .retry(rt::RetryPolicy::none()),
        );
        kinds.push(op.call(&slow).await.err().kind);

        // Invalid input (caught before sending).
        let c = client(&server, auth);
        kinds.push(
            Op::GeminiDeleteDualActive
                .call_on(&c, "..")
                .await
                .err()
                .kind,
        );

        // Connect failure.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let refused = client_from(
            config_builder(&server, auth)
                .endpoint_override(format!("http://127.0.0.1:{port}"))
                .retry(rt::RetryPolicy::none()),
        );
        kinds.push(op.call(&refused).await.err().kind);

        assert_eq!(
            kinds,
            [
                Kind::Service,
                Kind::Service,
                Kind::Service,
                Kind::Decode,
                Kind::ResponseTooLarge,
                Kind::Timeout,
                Kind::InvalidInput,
                Kind::Connect
            ],
            "{auth:?}"
        );
    }
}

/// Errors and outputs never carry the signature or the request's auth headers, even
/// when the server answers with an HTML page.
#[tokio::test]
async fn errors_do_not_carry_request_auth_headers() {
    let server = start_server().await;
    let op = Op::DbssListInstances;
    op.matcher()
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("X-Request-Id", REQUEST_ID)
                .set_body_string("<html>bad gateway</html>"),
        )
        .mount(&server)
        .await;
    let client = client(&server, Auth::AkSkTemporary);
    let failure = op.call(&client).await.err();
    let requests = received(&server).await;
    let signature = parse_authorization(required_header(&requests[0], "authorization")).signature;
    let all = format!("{failure:?}");
    assert!(!all.contains(&signature), "{all}");
    assert!(!all.contains("Signature="), "{all}");
}

/// The secret check itself is not vacuous.
#[test]
#[should_panic(expected = "leaks a secret")]
fn secret_check_detects_a_leak() {
    assert_no_secrets("sample", &format!("Credentials {{ sk: {SK:?} }}"));
}
