//! The schema side of validation and generation on small hand-written specs: what is refused
//! (with its position), what is accepted, and what is accepted with a warning.

use std::fs;
use std::path::Path;
use std::process::Command;

use generator::diagnostic::WarningKind;
use generator::{generate_with_warnings, GenerateError, Generated};

mod support;
use support::workspace;

const CRATE: &str = "name: schema-test\nversion: 0.1.0\ndescription: Schema tests.\n";

const SERVICE: &str = "service: demo\ntitle: Demo\nendpoint: demo.{region}.myhuaweicloud.com\n";

/// An operation `ShowThing` whose 200 body is `body` (YAML, indented for the `schema:` key),
/// with `extra` appended to the operation file (more keys: `schemas:`, `parameters:` ...).
fn operation(response: &str, extra: &str) -> String {
    format!(
        "operation: ShowThing\ntitle: Show\ndescription: Shows.\nsource:\n  document: x.txt\n\
         method: GET\npath: /v1/things\nresponses:\n  \"200\":\n    description: OK.\n{response}{extra}"
    )
}

/// Generates a one-operation spec tree; `service_schemas` goes under the service's `schemas:`.
fn generate(service_schemas: &str, operation_file: &str) -> Result<Generated, GenerateError> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    write_tree(dir.path(), service_schemas, operation_file);
    generate_with_warnings(dir.path(), &support::layout())
}

fn write_tree(root: &Path, service_schemas: &str, operation_file: &str) {
    fs::write(root.join("crate.yaml"), CRATE).expect("writes");
    let service = root.join("demo");
    fs::create_dir_all(&service).expect("creates");
    let schemas = if service_schemas.is_empty() {
        String::new()
    } else {
        format!("schemas:\n{service_schemas}")
    };
    fs::write(service.join("service.yaml"), format!("{SERVICE}{schemas}")).expect("writes");
    fs::write(service.join("show_thing.yaml"), operation_file).expect("writes");
}

/// The diagnostics of a refused spec, one per line.
fn refused(result: Result<Generated, GenerateError>) -> String {
    match result {
        Ok(_) => panic!("the spec was accepted"),
        Err(error) => error.to_string(),
    }
}

fn assert_refused(
    result: Result<Generated, GenerateError>,
    file: &str,
    line: usize,
    message: &str,
) {
    let report = refused(result);
    assert!(
        report
            .lines()
            .any(|l| l.contains(&format!("{file}:{line}:")) && l.contains(message)),
        "expected `{file}:{line}:...{message}` in:\n{report}"
    );
}

#[test]
fn a_named_schema_that_contains_itself_only_through_arrays_is_refused() {
    let schemas = "  Tree:\n    type: array\n    items: { $ref: Tree }\n";
    let op = operation("    schema: { $ref: Tree }\n", "");
    assert_refused(
        generate(schemas, &op),
        "service.yaml",
        5,
        "schema `Tree` contains itself only through `$ref`s, arrays and maps",
    );
    // Through a map and another alias too.
    let schemas = "  A:\n    type: map\n    values: { $ref: B }\n  B: { $ref: A }\n";
    let report = refused(generate(schemas, &op.replace("Tree", "A")));
    assert!(report.contains("schema `A` contains itself"), "{report}");
    // An object in between is a struct: fine, and the field that leads back is boxed.
    let schemas = "  Node:\n    type: array\n    items:\n      type: object\n      properties:\n        children: { $ref: Node }\n        parent: { $ref: Wrapper }\n  Wrapper:\n    type: object\n    properties:\n      node: { $ref: Node }\n      up: { $ref: Wrapper }\n";
    let generated = generate(schemas, &op.replace("Tree", "Node")).expect("accepted");
    let models = &generated.files["services/demo/src/models.rs"];
    assert!(
        models.contains("pub type Node = ::std::vec::Vec<NodeItem>;"),
        "{models}"
    );
    assert!(
        models.contains("pub up: ::std::option::Option<::std::boxed::Box<Wrapper>>,"),
        "{models}"
    );
}

#[test]
fn one_of_takes_no_type_and_checks_its_alternatives() {
    let op = operation(
        "    schema:\n      type: object\n      one_of:\n        - { type: string }\n        - { type: strin }\n",
        "",
    );
    let report = refused(generate("", &op));
    assert!(report.contains("unknown variant `strin`"), "{report}");

    let op = operation(
        "    schema:\n      type: object\n      one_of:\n        - { type: string }\n        - { $ref: Nowhere }\n",
        "",
    );
    let report = refused(generate("", &op));
    assert!(
        report.contains("show_thing.yaml:11:") && report.contains("`one_of` takes no `type`"),
        "{report}"
    );
    assert!(
        report.contains("show_thing.yaml:15:")
            && report.contains("`$ref: Nowhere` names no schema"),
        "{report}"
    );
    let op = operation("    schema:\n      one_of: []\n", "");
    assert!(refused(generate("", &op)).contains("`one_of` needs at least one alternative"));
}

#[test]
fn keys_on_the_wrong_type_are_refused() {
    for (schema, message) in [
        (
            "{ type: integer, pattern: \"^a$\" }",
            "`pattern` belongs to `type: string`",
        ),
        (
            "{ type: string, min_items: 1 }",
            "`min_items`/`max_items` belong to `type: array`",
        ),
        (
            "{ type: array, items: { type: string }, min_items: 3, max_items: 2 }",
            "`min_items` 3 is greater than `max_items` 2",
        ),
        (
            "{ type: integer, min_length: 1 }",
            "`min_length`/`max_length` belong to `type: string`",
        ),
        (
            "{ type: boolean, minimum: 1 }",
            "`minimum`/`maximum` belong to `type: integer` or `number`",
        ),
        (
            "{ type: boolean, format: date-time }",
            "format `date-time` does not fit type `boolean`",
        ),
        (
            "{ type: integer, format: uint32 }",
            "format `uint32` does not fit type `integer`",
        ),
        (
            "{ $ref: Thing, min_length: 1 }",
            "a `$ref` schema may only add",
        ),
        (
            "{ type: number, enum: [ { value: \"1\" } ] }",
            "enum value \"1\" does not fit `type: number`",
        ),
        (
            "{ type: boolean, enum: [ { value: 1 } ] }",
            "enum value 1 does not fit `type: boolean`",
        ),
        (
            "{ type: object, enum: [ { value: 1 } ] }",
            "does not fit `type: object`",
        ),
    ] {
        let op = operation(
            &format!("    schema:\n      type: object\n      properties:\n        x: {schema}\n"),
            "",
        );
        let report = refused(generate("  Thing: { type: string }\n", &op));
        assert!(
            report.contains(message),
            "{schema}: expected {message:?} in:\n{report}"
        );
    }
}

#[test]
fn formats_patterns_and_enums_over_every_scalar_are_accepted() {
    let op = operation(
        "    schema:\n      type: object\n      properties:\n\
         \x20       when: { type: string, format: date-time, pattern: \"^[0-9]{4}-.*$\" }\n\
         \x20       file: { type: string, format: binary }\n\
         \x20       odd: { type: string, format: \"yyyy-MM-dd'T'HH:mm:ss\" }\n\
         \x20       tags: { type: array, items: { type: string }, min_items: 1, max_items: 5 }\n\
         \x20       ratio: { type: number, enum: [ { value: 0.5 }, { value: 1 } ] }\n\
         \x20       enabled: { type: boolean, enum: [ { value: true, description: yes } ] }\n\
         \x20       mode: { type: string, min_length: 2, enum: [ { value: ab } ] }\n\
         \x20   example: |\n\
         \x20     { \"when\": \"2026\", \"ratio\": 1.0, \"enabled\": true, \"tags\": [\"a\"], \"mode\": \"ab\" }\n",
        "",
    );
    let generated = generate("", &op).expect("accepted");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let code = &generated.files["services/demo/src/show_thing.rs"];
    for doc in [
        "/// Format: `date-time`.",
        "/// Pattern: `^[0-9]{4}-.*$`.",
        "/// Format: `yyyy-MM-dd'T'HH:mm:ss`.",
        "/// Items: 1 to 5.",
        "/// Values: `true`: yes.",
        "pub enum Ratio {",
        "pub enabled: ::std::option::Option<bool>,",
        "fn example_status_200_round_trips",
    ] {
        assert!(code.contains(doc), "{doc} in:\n{code}");
    }
}

#[test]
fn a_contradicting_example_is_an_error_unless_noted() {
    let response = "    schema:\n      type: object\n      properties:\n        id: { type: string }\n    example: |\n      { \"id\": 1 }\n";
    let report = refused(generate("", &operation(response, "")));
    assert!(
        report.contains("show_thing.yaml:15:")
            && report
                .contains("the example does not match its schema: $.id is 1, expected a string"),
        "{report}"
    );

    let noted = format!("{response}    example_note: The page shows the ID as a number.\n");
    let generated = generate("", &operation(&noted, "")).expect("a noted example is accepted");
    assert_eq!(generated.warnings.len(), 1);
    assert_eq!(generated.warnings[0].kind, WarningKind::NotedExample);
    let code = &generated.files["services/demo/src/show_thing.rs"];
    assert!(!code.contains("round_trips"), "not tested:\n{code}");
    assert!(code.contains(
        "//! Note: this example contradicts its schema: The page shows the ID as a number."
    ));

    // A note on an example that matches is stale: a warning, and still no test.
    let stale = noted.replace("{ \"id\": 1 }", "{ \"id\": \"1\" }");
    let generated = generate("", &operation(&stale, "")).expect("accepted");
    assert_eq!(generated.warnings.len(), 1);
    assert_eq!(generated.warnings[0].kind, WarningKind::StaleExampleNote);
    assert!(!generated.files["services/demo/src/show_thing.rs"].contains("round_trips"));

    // Invalid JSON with a note is kept too.
    let broken = noted.replace("{ \"id\": 1 }", "{ id: 1 ");
    let generated = generate("", &operation(&broken, "")).expect("accepted");
    assert!(generated.warnings[0].message.contains("not valid JSON"));
}

#[test]
fn clashing_names_are_numbered() {
    let schemas = "  Metadata: { type: object, properties: { key: { type: string } } }\n  metadata: { type: string }\n  From: { type: integer }\n  Self: { type: string }\n";
    let op = operation(
        "    schema: { $ref: Metadata }\n",
        "parameters:\n  - { name: tenant_id, in: query, schema: { $ref: metadata } }\n  - { name: Tenant-Id, in: header, schema: { $ref: From } }\n  - { name: tenant.id, in: query, schema: { $ref: Self } }\n",
    );
    let generated = generate(schemas, &op).expect("accepted");
    let models = &generated.files["services/demo/src/models.rs"];
    for item in [
        "pub struct Metadata {",
        "pub type Metadata2 = ::std::string::String;",
        "pub type From2 = i32;",
        "pub type Self_ = ::std::string::String;",
    ] {
        assert!(models.contains(item), "{item} in:\n{models}");
    }
    let code = &generated.files["services/demo/src/show_thing.rs"];
    for item in [
        "pub tenant_id: Option<::std::string::String>,",
        "pub tenant_id_2: Option<i32>,",
        "pub tenant_id_3: Option<::std::string::String>,",
        "request.query(\"tenant_id\", value);",
        "request.header(\"Tenant-Id\", value);",
        "request.query(\"tenant.id\", value);",
    ] {
        assert!(code.contains(item), "{item} in:\n{code}");
    }
}

#[test]
fn the_generator_reports_noted_examples_as_a_count_and_exits_zero() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--spec")
        .arg(workspace().join("tests/fixtures/spec"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs the generator");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("note: 2 examples contradict their schema and carry an `example_note`"),
        "{stderr}"
    );
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn a_request_example_lacking_a_required_field_contradicts_its_schema() {
    let body = "body:\n  required: true\n  schema:\n    type: object\n    required: [name]\n    properties:\n      name: { type: string }\n      size: { type: integer }\n  example: |\n    { \"size\": 1 }\n";
    let op = operation("", body).replace("method: GET", "method: POST");
    let report = refused(generate("", &op));
    assert!(
        report.contains(
            "the example does not match its schema: $ lacks `name`, which the schema requires"
        ),
        "{report}"
    );
    let null = op.replace("{ \"size\": 1 }", "{ \"name\": null }");
    assert!(refused(generate("", &null))
        .contains("$.name is null, but a required request field needs a value"));
    // A response field is never required in Rust: the same example is fine there.
    let response = "    schema:\n      type: object\n      required: [name]\n      properties:\n        name: { type: string }\n        size: { type: integer }\n    example: |\n      { \"size\": 1 }\n";
    generate("", &operation(response, "")).expect("accepted");
}

#[test]
fn a_required_field_on_a_loop_of_required_fields_is_optional() {
    // `Node.next` is required and leads back to `Node` through required fields only: no
    // finite JSON has a value for it, so the model holds it as an `Option`.
    let body = "body:\n  required: true\n  schema:\n    $ref: Node\nschemas:\n  Node:\n    type: object\n    required: [name, next]\n    properties:\n      name: { type: string }\n      next: { $ref: Node }\n";
    let op = operation("", body).replace("method: GET", "method: POST");
    let generated = generate("", &op).expect("accepted");
    let code = generated
        .files
        .iter()
        .find(|(path, _)| path.ends_with("show_thing.rs"))
        .map(|(_, text)| text.clone())
        .expect("the operation's file");
    assert!(
        code.contains("pub next: ::std::option::Option<::std::boxed::Box<Node>>"),
        "{code}"
    );
    assert!(
        code.contains("req \"name\" => name, opt \"next\" => next"),
        "{code}"
    );
}
