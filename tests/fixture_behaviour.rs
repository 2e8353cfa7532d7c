//! What the fixture crate's generated code does: every parameter location placed on the wire,
//! documented ranges refused before sending, bodies encoded, a body-less success, and
//! forward-compatible enums. The fixture specs are in `tests/fixtures/spec/demo`.

use hwcloud_fixture::demo::create_widget::{Mode, WidgetSpec};
use hwcloud_fixture::demo::show_widget::{BigLevel, Level, State};
use hwcloud_fixture::demo::update_widget::UpdateWidgetRequestBody;
use hwcloud_fixture::{Client, Error};
use hwcloud_tests::{config_builder, header, received, start_server, Auth, PROJECT_ID};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

fn fixture_client(server: &wiremock::MockServer) -> Client {
    let config = config_builder(server, Auth::AkSk)
        .build()
        .expect("a valid config");
    Client::new(config).expect("a client")
}

fn spec() -> WidgetSpec {
    WidgetSpec::new("w", "round")
        .with_self("x")
        .with_foo_bar(1)
        .with_foo_bar_2(2)
        .with_2fa(true)
        .with_x_odd_name("o")
        .with_size(3)
}

#[tokio::test]
async fn create_widget_places_every_parameter_and_the_body() {
    let server = start_server().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"widget_id": "w1", "job_id": "j"})),
        )
        .mount(&server)
        .await;
    let client = fixture_client(&server);
    let output = client
        .demo()
        .create_widget("widget-1", "token-1", spec())
        .count(5)
        .ratio(0.5)
        .verbose(true)
        .tag(vec!["a".into(), "b b".into()])
        .mode(Mode::Fast)
        .x_language("en-us")
        .send()
        .await
        .expect("201 decodes");
    assert_eq!(output.status, 201);
    assert_eq!(output.body.widget_id.as_deref(), Some("w1"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.url.path(),
        format!("/v1/{PROJECT_ID}/widgets/widget-1")
    );
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let expected: Vec<(String, String)> = [
        ("count", "5"),
        ("mode", "fast"),
        ("ratio", "0.5"),
        ("tag", "a"),
        ("tag", "b b"),
        ("verbose", "true"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let mut sorted = query.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    assert_eq!(header(request, "X-Client-Token"), Some("token-1"));
    assert_eq!(header(request, "X-Language"), Some("en-us"));
    let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(
        body,
        json!({"name": "w", "type": "round", "self": "x", "fooBar": 1, "foo_bar": 2, "2fa": true, "X-Odd-Name": "o", "size": 3})
    );
}

#[tokio::test]
async fn documented_ranges_are_refused_before_sending() {
    let server = start_server().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = fixture_client(&server);

    let too_many = client
        .demo()
        .create_widget("w", "t", spec())
        .count(1001)
        .send()
        .await;
    match too_many {
        Err(Error::InvalidInput(message)) => {
            assert!(
                message.contains("`count` must be between 1 and 1000, got 1001"),
                "{message}"
            )
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    let long_id = "x".repeat(37);
    let too_long = client
        .demo()
        .create_widget(long_id, "t", spec())
        .send()
        .await;
    match too_long {
        Err(Error::InvalidInput(message)) => {
            assert!(
                message.contains("`widget_id` must be 1 to 36 characters long, got 37"),
                "{message}"
            )
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(received(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn a_short_project_id_is_refused_where_the_page_documents_its_length() {
    let server = start_server().await;
    let config = config_builder(&server, Auth::AkSk)
        .project_id("tooshort")
        .build()
        .expect("a valid config");
    let client = Client::new(config).expect("a client");
    let result = client.demo().create_widget("w", "t", spec()).send().await;
    assert!(matches!(result, Err(Error::InvalidInput(_))), "{result:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_success_without_a_body_and_an_optional_body() {
    let server = start_server().await;
    Mock::given(wiremock::matchers::method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["a"])))
        .mount(&server)
        .await;
    let client = fixture_client(&server);

    let deleted = client.demo().delete_widget("w").send().await.expect("204");
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.body, ());

    let without = client.demo().update_widget("w").send().await.expect("200");
    assert_eq!(without.body, ["a"]);
    let with = client
        .demo()
        .update_widget("w")
        .body(UpdateWidgetRequestBody::new().with_name("n"))
        .send()
        .await
        .expect("200");
    assert_eq!(with.body, ["a"]);

    let requests = received(&server).await;
    assert!(requests[1].body.is_empty(), "no body unless one is set");
    let sent: Value = serde_json::from_slice(&requests[2].body).expect("JSON");
    assert_eq!(sent, json!({"name": "n"}));
}

#[test]
fn unknown_enum_values_are_kept_and_written_back() {
    let state: State = serde_json::from_str("\"DIMMED\"").expect("decodes");
    assert_eq!(state, State::Unknown("DIMMED".into()));
    assert_eq!(
        serde_json::to_string(&state).expect("encodes"),
        "\"DIMMED\""
    );
    // A value named like the catch-all still maps to its own variant.
    let named: State = serde_json::from_str("\"Unknown\"").expect("decodes");
    assert_eq!(named, State::Unknown2);
    assert_eq!(
        serde_json::from_str::<State>("\"ON\"").expect("decodes"),
        State::On
    );

    let level: Level = serde_json::from_str("7").expect("decodes");
    assert_eq!(level, Level::Unknown(7));
    assert_eq!(serde_json::to_string(&level).expect("encodes"), "7");
    assert_eq!(
        serde_json::from_str::<Level>("2").expect("decodes"),
        Level::High
    );
    assert_eq!(
        serde_json::from_str::<BigLevel>("5000000000").expect("decodes"),
        BigLevel::V5000000000
    );
    assert!(
        serde_json::from_str::<Level>("\"2\"").is_err(),
        "a string is not an integer enum"
    );

    let charge: hwcloud::dbss::list_instances::ChargeModel =
        serde_json::from_str("\"Weekly\"").expect("decodes");
    assert_eq!(charge.as_str(), "Weekly");
    assert_eq!(
        serde_json::to_string(&charge).expect("encodes"),
        "\"Weekly\""
    );
}

#[tokio::test]
async fn send_futures_can_be_spawned_and_requests_sent_as_values() {
    let server = start_server().await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"widget": {"id": "w"}})))
        .mount(&server)
        .await;
    let client = fixture_client(&server);

    // The builder owns a client handle, so its future is 'static and Send.
    let spawned = tokio::spawn(client.demo().show_widget("spawned").send());
    let output = spawned.await.expect("the task runs").expect("200 decodes");
    assert_eq!(output.body.widget.and_then(|w| w.id).as_deref(), Some("w"));

    // So does a request value's: it clones the client handle.
    let request = hwcloud_fixture::demo::ShowWidgetRequest::new("by-value");
    let spawned = tokio::spawn(request.send(&client));
    drop(client);
    spawned.await.expect("the task runs").expect("200 decodes");

    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            format!("/v1/{PROJECT_ID}/widgets/spawned"),
            format!("/v1/{PROJECT_ID}/widgets/by-value")
        ]
    );
}

#[test]
fn a_type_several_operations_define_identically_is_one_type() {
    use hwcloud_fixture::repeated::{label_thing, list_things, models, show_thing};
    // ListThings and ShowThing define `Tag` alike: both modules name the one in `models`.
    let tag: models::Tag = list_things::Tag::new().with_key("k");
    let same: show_thing::Tag = tag.clone();
    assert_eq!(same.key.as_deref(), Some("k"));
    assert_eq!(show_thing::Color::from("red"), list_things::Color::Red);
    // LabelThing's `Tag` is a request's (its key required): a type of its own.
    let own = label_thing::Tag::new("k");
    assert_eq!(own.key, "k");
    // `Thing` refers to an `Inner` that differs: each operation keeps its own.
    let listed = list_things::Thing::new().with_inner(list_things::Inner::new().with_a("x"));
    let shown = show_thing::Thing::new().with_inner(show_thing::Inner::new().with_b(2));
    assert_eq!(listed.inner.and_then(|inner| inner.a).as_deref(), Some("x"));
    assert_eq!(shown.inner.and_then(|inner| inner.b), Some(2));
}
