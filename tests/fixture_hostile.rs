//! What the code generated for hostile names and shapes does (`tests/fixtures/spec/hostile`):
//! schemas named like std items are numbered, named non-objects are aliases that encode and print
//! as their target, one_of decodes by shape and never fails, number and boolean enums, clashing
//! parameter names numbered on the wire, checks only where a value has the property, and noted
//! example defects documented but not tested.

use hwcloud_fixture::hostile::get_thing::{GetThingResponseValue, Level, Mode, Weight};
use hwcloud_fixture::hostile::models::{
    Branch, Circle, Default2, Error2, Flag, From2, Metadata, Metadata2, Option2, Ratio, Result2,
    Shape, Some2, Square, String2, ThingId, ThingRef, Tree, Vec2,
};
use hwcloud_fixture::hostile::{GetThingError, ShowShapeResponse};
use hwcloud_fixture::{Client, Error};
use hwcloud_tests::{config_builder, header, received, start_server, workspace, Auth, PROJECT_ID};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

fn fixture_client(server: &wiremock::MockServer) -> Client {
    let config = config_builder(server, Auth::AkSk)
        .build()
        .expect("a valid config");
    Client::new(config).expect("a client")
}

async fn answering(body: Value) -> wiremock::MockServer {
    let server = start_server().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[test]
fn named_schemas_of_every_kind_are_aliases_of_their_target() {
    // Schemas named like std items are numbered; each alias is its target type.
    let option: Option2 = String::from("o");
    let result: Result2 = 9_007_199_254_740_993_i64;
    let string: String2 = vec![option.clone()];
    let error: Error2 = json!({"any": [1]});
    let default: Default2 = [("a".to_owned(), 1.5)].into_iter().collect();
    let vec: Vec2 = result;
    let id: ThingRef = ThingId::from("abc");
    let metadata_text: Metadata2 = "m".to_owned();
    let flag: Flag = true;
    assert_eq!(
        serde_json::to_value((option, string, error, default, vec, id, metadata_text, flag))
            .expect("encodes"),
        json!(["o", ["o"], {"any": [1]}, {"a": 1.5}, 9_007_199_254_740_993_i64, "abc", "m", true])
    );
    // `Metadata` keeps its name (first in spec order), `metadata` became `Metadata2`.
    let metadata = Metadata::new().with_key("k");
    assert_eq!(
        serde_json::to_value(&metadata).expect("encodes"),
        json!({"key": "k"})
    );
    // A string enum named `Some` with variants `None` and `Some`.
    assert_eq!(Some2::from("none"), Some2::None);
    assert_eq!(Some2::Some.to_string(), "some");
}

#[test]
fn hostile_field_names_keep_their_wire_names() {
    let from = From2::new()
        .with_type("t")
        .with_type_2("at")
        .with_self("s")
        .with_self_2("S")
        .with_crate("c")
        .with_super(1)
        .with_2fa(true)
        .with_value("zh")
        .with_a_b("ab")
        .with_ref("r")
        .with_with_space("w")
        .with_items("i")
        .with_option("o".to_owned());
    let encoded = serde_json::to_value(&from).expect("encodes");
    assert_eq!(
        encoded,
        json!({
            "type": "t", "@type": "at", "self": "s", "Self": "S", "crate": "c", "super": 1,
            "2fa": true, "中文": "zh", "a.b": "ab", "$ref": "r", "with space": "w",
            "items[]": "i", "option": "o"
        })
    );
    let decoded: From2 = serde_json::from_value(encoded).expect("decodes");
    assert_eq!(decoded, from);
    assert_eq!(decoded.r#type.as_deref(), Some("t"));
    assert_eq!(decoded.self_2.as_deref(), Some("S"));
}

#[test]
fn one_of_decodes_by_shape_and_keeps_what_fits_no_alternative() {
    let decode = |json: Value| serde_json::from_value::<Shape>(json).expect("never fails");
    assert_eq!(
        decode(json!({"radius": 1.5})),
        Shape::Circle(Circle::new().with_radius(1.5))
    );
    // Not the first object alternative: the one whose properties the object uses.
    assert_eq!(
        decode(json!({"side": 2})),
        Shape::Square(Square::new().with_side(2.0))
    );
    assert_eq!(decode(json!("hexagon")), Shape::String("hexagon".into()));
    assert_eq!(decode(json!(7)), Shape::Integer(7));
    // A known shape with a new member is still that shape.
    assert_eq!(
        decode(json!({"side": 3, "colour": "red"})),
        Shape::Square(Square::new().with_side(3.0))
    );
    // Shapes no alternative has arrive verbatim and are written back unchanged.
    for unknown in [json!({"edges": 5}), json!([1, 2]), json!(2.5), json!(true)] {
        let shape = decode(unknown.clone());
        assert_eq!(shape, Shape::Unknown(unknown.clone()));
        assert_eq!(serde_json::to_value(&shape).expect("encodes"), unknown);
    }
    assert_eq!(
        serde_json::to_value(Shape::Circle(Circle::new().with_radius(1.0))).expect("encodes"),
        json!({"radius": 1.0})
    );

    // Integers before numbers, whatever the spec order.
    let value: GetThingResponseValue = serde_json::from_value(json!(5)).expect("decodes");
    assert_eq!(value, GetThingResponseValue::Integer(5));
    let value: GetThingResponseValue = serde_json::from_value(json!(5.5)).expect("decodes");
    assert_eq!(value, GetThingResponseValue::Number(5.5));

    // A recursive one_of: Branch -> Tree -> Branch is boxed.
    let tree: Tree =
        serde_json::from_value(json!({"left": {"left": "leaf"}, "rest": ["x"]})).expect("decodes");
    let Tree::Branch(branch) = &tree else {
        panic!("a branch: {tree:?}")
    };
    let expected: Branch =
        serde_json::from_value(json!({"left": {"left": "leaf"}, "rest": ["x"]})).expect("decodes");
    assert_eq!(**branch, expected);
}

#[test]
fn number_and_boolean_enums() {
    let ratio: Ratio = serde_json::from_str("0.5").expect("decodes");
    assert_eq!(ratio, Ratio::V0_5);
    assert_eq!(
        serde_json::from_str::<Ratio>("-2.5").expect("decodes"),
        Ratio::Minus2_5
    );
    // `1.0` is the documented `1`, written back as documented.
    let whole: Ratio = serde_json::from_str("1.0").expect("decodes");
    assert_eq!(whole, Ratio::V1);
    assert_eq!(serde_json::to_string(&whole).expect("encodes"), "1");
    // Unknown values are kept; whole ones are written as integers.
    let unknown: Ratio = serde_json::from_str("3").expect("decodes");
    assert_eq!(unknown, Ratio::Unknown(3.0));
    assert_eq!(serde_json::to_string(&unknown).expect("encodes"), "3");
    assert_eq!(
        serde_json::to_string(&Ratio::Unknown(0.25)).expect("encodes"),
        "0.25"
    );
    assert_eq!(Ratio::V0_5.to_string(), "0.5");
    assert_eq!(Weight::from(1.5), Weight::V1_5);
    assert!(serde_json::from_str::<Ratio>("\"0.5\"").is_err());

    // A boolean enum is a plain bool.
    let flag: Flag = serde_json::from_str("false").expect("decodes");
    assert!(!flag);
}

#[tokio::test]
async fn aliases_enums_and_numbered_parameters_go_on_the_wire() {
    let server = answering(json!({"shape": {"radius": 2.0}, "value": {"a": "x"}})).await;
    let client = fixture_client(&server);
    let output = client
        .hostile()
        .get_thing("abc", "tenant-path")
        .tenant_id_2("tenant-query")
        .tenant_id_3("tenant-header")
        .mode(Mode::Fast)
        .level(Level::High)
        .ratio(Ratio::V0_5)
        .flag(false)
        .ids(vec!["a".into(), "b".into()])
        .code(7)
        .r#type("t")
        .new_2("n")
        ._2fa(true)
        .send()
        .await
        .expect("200 decodes");
    assert_eq!(
        output.body.shape,
        Some(Shape::Circle(Circle::new().with_radius(2.0)))
    );
    assert!(matches!(
        output.body.value,
        Some(GetThingResponseValue::Object(_))
    ));

    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(
        request.url.path(),
        format!("/v1/{PROJECT_ID}/things/abc/tenant-path")
    );
    let mut query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    query.sort();
    let expected: Vec<(String, String)> = [
        ("2fa", "true"),
        ("code", "7"),
        ("ids", "a"),
        ("ids", "b"),
        ("level", "3"),
        ("mode", "fast"),
        ("new", "n"),
        ("ratio", "0.5"),
        ("tenant_id", "tenant-query"),
        ("type", "t"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(query, expected);
    assert_eq!(header(request, "Tenant-Id"), Some("tenant-header"));
    assert_eq!(header(request, "flag"), Some("false"));

    // A one_of success body, and a named string as a path parameter.
    let server = answering(json!({"side": 4})).await;
    let client = fixture_client(&server);
    let shape = client
        .hostile()
        .show_shape("square/1")
        .kind(Some2::Some)
        .send()
        .await
        .expect("200 decodes");
    assert_eq!(
        shape.body,
        ShowShapeResponse::Square(Square::new().with_side(4.0))
    );
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.path(),
        format!("/v1/{PROJECT_ID}/shapes/square%2F1")
    );
    assert_eq!(requests[0].url.query(), Some("kind=some"));
}

#[tokio::test]
async fn checks_apply_where_the_value_has_the_property() {
    let server = answering(json!({})).await;
    let client = fixture_client(&server);
    let refused = |result: Result<_, GetThingError>, expected: &str| match result {
        Err(Error::InvalidInput(message)) => {
            assert!(message.contains(expected), "{message}")
        }
        other => panic!("expected InvalidInput with {expected:?}, got {other:?}"),
    };
    // The alias of an alias of a string keeps its length range.
    refused(
        client.hostile().get_thing("ab", "t").send().await,
        "`thing_id` must be 3 to 8 characters long, got 2",
    );
    // A string enum's length is its wire value's.
    refused(
        client
            .hostile()
            .get_thing("abc", "t")
            .mode(Mode::Unknown("sideways".into()))
            .send()
            .await,
        "`mode` must be 2 to 4 characters long, got 8",
    );
    // An integer enum's range applies to its value.
    refused(
        client
            .hostile()
            .get_thing("abc", "t")
            .level(Level::Unknown(9))
            .send()
            .await,
        "`level` must be between 1 and 3, got 9",
    );
    // Item counts and item lengths of an array parameter.
    refused(
        client
            .hostile()
            .get_thing("abc", "t")
            .ids(vec!["a".into(), "b".into(), "c".into(), "d".into()])
            .send()
            .await,
        "`ids` must have 1 to 3 items, got 4",
    );
    refused(
        client
            .hostile()
            .get_thing("abc", "t")
            .ids(vec!["toolong".into()])
            .send()
            .await,
        "`ids` must be at most 5 characters long, got 7",
    );
    assert!(received(&server).await.is_empty(), "nothing may be sent");

    // An optional array left empty is not sent, so its item count is not checked.
    client
        .hostile()
        .get_thing("abc", "t")
        .send()
        .await
        .expect("sent");
    assert_eq!(received(&server).await.len(), 1);
}

#[test]
fn noted_examples_are_documented_warned_about_and_not_tested() {
    let root = workspace();
    let layout = generator::output::layout(
        &root.join("tests/fixtures/generated"),
        &root.join("runtime"),
        false,
    )
    .expect("the runtime's path");
    let generated = generator::generate_with_warnings(&root.join("tests/fixtures/spec"), &layout)
        .expect("the fixture specs generate");
    let noted: Vec<String> = generated
        .warnings
        .iter()
        .filter(|w| w.kind == generator::diagnostic::WarningKind::NotedExample)
        .map(|w| format!("{}:{}", w.file, w.position.line))
        .collect();
    assert_eq!(noted.len(), 2, "{noted:?}");
    assert!(noted
        .iter()
        .all(|place| place.contains("create_thing.yaml")));

    let code = &generated.files["services/hostile/src/create_thing.rs"];
    assert!(
        !code.contains("round_trips"),
        "no round-trip test for a noted example"
    );
    assert!(code.contains(
        "//! Note: this example contradicts its schema: The example shows the ID as a number"
    ));
    assert!(code.contains("## Example request body"));
    // Examples without a note are tested.
    assert!(generated.files["services/hostile/src/get_thing.rs"]
        .contains("fn example_status_200_round_trips"));
    assert!(generated.files["services/hostile/src/show_shape.rs"]
        .contains("fn example_status_200_round_trips"));
}
