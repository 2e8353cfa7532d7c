//! The importer on each table layout, on first imports (no existing spec), on errors, and the
//! YAML writer on strings that need care.

use std::path::PathBuf;

use generator::import::node::{Map, Node};
use generator::import::{import_page, spec_file_name, yaml, ImportError, ImportOptions};
use generator::spec::model::OperationFile;
use serde_yaml::Value;

fn page(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/pages")
        .join(name);
    std::fs::read_to_string(p).expect("page")
}

fn service_yaml(service: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(service)
        .join("service.yaml");
    std::fs::read_to_string(p).expect("service.yaml")
}

fn opts(op: &str) -> ImportOptions {
    ImportOptions {
        operation: Some(op.into()),
        ..ImportOptions::default()
    }
}

fn first_import(doc: &str, op: &str) -> (OperationFile, Value) {
    let imported = import_page(&page(doc), doc, None, &opts(op)).unwrap_or_else(|e| panic!("{e}"));
    let file: OperationFile = serde_yaml::from_str(&imported.yaml).expect("an operation file");
    let value: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    (file, value)
}

#[test]
fn one_cell_per_line_layout() {
    // 000: plain cells, a two-paragraph description.
    let (f, v) = first_import("000_62329b2c1b43a404.txt", "ShowInstanceBiactiveRegions");
    assert_eq!(f.method.as_str(), "GET");
    assert_eq!(
        f.path,
        "/v3/{project_id}/instances/{instance_id}/disaster-recovery/regions"
    );
    assert_eq!(f.source.updated.as_deref(), Some("2025-11-27 GMT+08:00"));
    assert_eq!(f.parameters.len(), 3);
    assert_eq!(v["parameters"][0]["source"], "config");
    assert_eq!(v["parameters"][2]["source"], "auth");
    assert_eq!(v["authorization"][0]["alias"], "nosql:backup:list");
    let d = v["responses"]["200"]["schema"]["properties"]["region_codes"]["description"]
        .as_str()
        .unwrap();
    assert!(d.contains("instances.\n\nThe creation"));
    assert_eq!(v["responses"]["200"]["description"], "Successful request");
    assert!(v["responses"]["200"]["example"]
        .as_str()
        .unwrap()
        .starts_with("{ \n"));

    // 001: Explanation/Constraints/Values blocks, bullets in an authorization cell.
    let (f, v) = first_import("001_4621e54482026f18.txt", "DeleteGeminiDbDualActive");
    assert_eq!(f.method.as_str(), "DELETE");
    assert_eq!(v["parameters"][1]["description"], "Instance ID");
    assert_eq!(
        v["authorization"][0]["condition_keys"],
        serde_yaml::from_str::<Value>("[g:ResourceTag/<tag-key>, g:EnterpriseProjectId]").unwrap()
    );
    // Without an existing spec the 400 body is the page's inline table.
    assert_eq!(
        v["responses"]["400"]["schema"]["properties"]["error_msg"]["type"],
        "string"
    );

    // 004: named sub-tables, enums in bullets and inline, Long vs Integer, nulls in the example.
    let (f, v) = first_import("004_2352aa31689b6419.txt", "ListInstances");
    assert_eq!(f.responses.len(), 5);
    let cluster = &v["schemas"]["Cluster"]["properties"];
    assert_eq!(cluster["created"]["format"], "int64");
    assert_eq!(cluster["charge_model"]["enum"][1]["value"], "Demand");
    assert_eq!(cluster["activate_info"]["$ref"], "InstanceActivateInfo");
    assert_eq!(cluster["activate_info"]["nullable"], true);
    let server = &v["schemas"]["ResponseServer"]["properties"];
    assert_eq!(server["scene"]["description"], "Frozen scenario");
    assert_eq!(server["scene"]["enum"][4]["value"], "ARREAR");
    assert_eq!(server["is_active"]["enum"][1]["value"], 1);
    assert_eq!(
        server["effect"]["enum"][0]["description"],
        "frozen and can be released (default)"
    );
    assert_eq!(v["parameters"][0]["schema"]["max_length"], 64);
    // The error tables' DbssErrorDetail is a local schema on a first import.
    assert!(v["schemas"]["DbssErrorDetail"].is_mapping());
    assert_eq!(
        v["responses"]["401"]["description"],
        "Authorization failed."
    );
}

#[test]
fn labelled_blocks_layout() {
    let (f, v) = first_import("002_c1ae079d317fc42b.txt", "ListDrRelations");
    assert_eq!(f.parameters.len(), 1);
    assert_eq!(
        v["parameters"][0]["description"],
        "Project ID of a tenant in a region. To obtain the value, see Obtaining a Project ID."
    );
    assert!(v["parameters"][0]["note"]
        .as_str()
        .unwrap()
        .contains("no Type column"));
    let rel = &v["responses"]["200"]["schema"]["properties"]["instance_dr_relations"];
    assert_eq!(
        rel["items"]["description"],
        "Data structure description of instance_dr_relations"
    );
    assert_eq!(
        rel["items"]["properties"]["master_instance"]["properties"]["region"]["type"],
        "string"
    );
    assert_eq!(
        rel["items"]["properties"]["slave_instances"]["items"]["properties"]["project_name"]
            ["description"],
        "Project name."
    );
    // The layout indentation of the example is removed, the JSON's own is kept.
    assert!(v["responses"]["200"]["example"]
        .as_str()
        .unwrap()
        .starts_with("{\n   \"instance_dr_relations\""));
}

#[test]
fn pipe_table_layout() {
    let imported = import_page(
        &page("003_932dc06b7ac26d05.txt"),
        "003_932dc06b7ac26d05.txt",
        None,
        &ImportOptions {
            operation: Some("ListSupportRegions".into()),
            error_schema: Some("KmsErrorResponse".into()),
            service_schemas: Some(service_yaml("kms")),
            ..ImportOptions::default()
        },
    )
    .unwrap();
    // The page's error tables match KmsErrorResponse field for field.
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(v["parameters"][1]["in"], "query");
    assert_eq!(v["parameters"][1]["default"], 10);
    assert_eq!(v["parameters"][3]["in"], "header");
    assert_eq!(v["responses"]["504"]["description"], "Gateway timed out.");
    assert_eq!(v["responses"]["400"]["schema"]["$ref"], "KmsErrorResponse");
    // "Example Requests: None" is no example, not the example "None".
    assert!(v.as_mapping().unwrap().contains_key("request_example"));
    assert_eq!(v["request_example"], Value::Null);
    // Without the option the nested untitled table becomes the `error` object.
    let (_, v) = first_import("003_932dc06b7ac26d05.txt", "ListSupportRegions");
    let error = &v["responses"]["400"]["schema"]["properties"]["error"];
    assert_eq!(error["properties"]["error_code"]["type"], "string");
}

/// Pipe rows without their leading `|` all through (DDM's pages): a row ends with `|` once it
/// has its header's cells, so a cell can run over lines; an example's closing brace can share
/// its line with the next status.
#[test]
fn pipe_rows_without_leading_pipe_layout() {
    let page = "Deleting an Instance\nFunction\nThis API is used to delete an instance.\nURI\n\
        DELETE /v1/{project_id}/instances/{instance_id}\n\
        Parameter | Mandatory | Type | Description |\n|---|---|---|---|\n\
        project_id | Yes | String | Project ID |\ninstance_id | Yes | String | Instance ID |\n\
        Parameter | Mandatory | Type | Description |\n|---|---|---|---|\n\
        delete_data | No | String | Whether data is deleted. The value can be:\ntrue or false\n|\n\
        Request Parameters\nParameter | Mandatory | Type | Description |\n|---|---|---|---|\n\
        X-Auth-Token | Yes | String | User token. |\n\
        Response Parameters\nStatus code: 200\nParameter | Type | Description |\n|---|---|---|\n\
        id | String | Instance ID |\nStatus code: 400\nParameter | Type | Description |\n\
        |---|---|---|\nerrCode | String | Error code |\n\
        Example Response\nStatus code: 200\nOK\n{\n\"id\" : \"9608ce63\"\n} Status code: 400\n\
        bad request\n{\n\"errCode\" : \"DBS.280001\"\n} Status Codes\n\
        Status Code | Description |\n|---|---|\n200 | OK |\n400 | bad request |\n";
    let imported = import_page(page, "ddm.txt", None, &opts("DeleteInstance"))
        .unwrap_or_else(|e| panic!("{e}"));
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    let names: Vec<&str> = v["parameters"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["project_id", "instance_id", "delete_data", "X-Auth-Token"]
    );
    assert_eq!(
        v["parameters"][2]["description"],
        "Whether data is deleted. The value can be: true or false"
    );
    assert_eq!(v["parameters"][2]["in"], "query");
    assert_eq!(v["responses"]["200"]["description"], "OK");
    assert_eq!(
        v["responses"]["200"]["example"],
        "{\n\"id\" : \"9608ce63\"\n}\n"
    );
    assert_eq!(v["responses"]["400"]["description"], "bad request");
    assert_eq!(
        v["responses"]["400"]["schema"]["properties"]["errCode"]["type"],
        "string"
    );
}

#[test]
fn not_an_api_page() {
    let readme = page("README.md");
    let err = import_page(&readme, "README.md", None, &opts("X")).unwrap_err();
    assert!(matches!(err, ImportError::NotApiPage { .. }), "{err}");
    let err = import_page("", "empty.txt", None, &opts("X")).unwrap_err();
    assert!(matches!(err, ImportError::NotApiPage { .. }), "{err}");
}

#[test]
fn missing_method_and_path() {
    let text = page("000_62329b2c1b43a404.txt").replace(
        "GET /v3/{project_id}/instances/{instance_id}/disaster-recovery/regions",
        "(see below)",
    );
    let err = import_page(&text, "000.txt", None, &opts("X")).unwrap_err();
    match err {
        ImportError::NoMethodPath { line, .. } => assert_eq!(line, Some(45)),
        other => panic!("{other}"),
    }
}

#[test]
fn operation_name_is_required_without_an_existing_spec() {
    let err = import_page(
        &page("000_62329b2c1b43a404.txt"),
        "000.txt",
        None,
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ImportError::MissingOperation { .. }), "{err}");
    assert!(err.to_string().contains("--operation"));
}

#[test]
fn an_unknown_table_row_is_a_warning_with_its_line() {
    let text = page("000_62329b2c1b43a404.txt").replace(
        "Example Request",
        "Table 9 Leftovers\n\nParameter\n\nType\n\nDescription\n\nstray\n\nString\n\nNot referred to\n\nExample Request",
    );
    let imported = import_page(&text, "000.txt", None, &opts("X")).unwrap();
    let w = imported
        .warnings
        .iter()
        .find(|w| w.message.contains("stray"))
        .expect("a warning naming the row");
    assert!(w.line > 100, "{w}");
    assert!(w.message.contains("line 123 (stray)"), "{w}");
}

#[test]
fn file_names() {
    assert_eq!(
        spec_file_name("ListSupportRegions"),
        "list_support_regions.yaml"
    );
    assert_eq!(
        spec_file_name("DeleteGeminiDbDualActive"),
        "delete_gemini_db_dual_active.yaml"
    );
}

#[test]
fn every_string_reads_back() {
    let tricky = [
        "",
        " leading",
        "trailing ",
        "a: b",
        "a #b",
        "#x",
        "- x",
        "\"quoted\"",
        "'single'",
        "true",
        "null",
        "~",
        "10",
        "1e3",
        "0x1F",
        "2025-11-27",
        "yes",
        "é ü 中文 🦀",
        "tab\there",
        "line\nbreak",
        "ends with newline\n",
        "two\n\n",
        "\n leading newline",
        "  indented\nmore",
        "x\r\ny",
        "nul\0",
        "\u{85}next",
        "[a]",
        "{a}",
        "key:",
        "a\\b",
        "%percent",
        "@at",
        "*star",
        "multi\n  indented\n\ttab\n",
        "trailing space \nline ",
        "...",
        "---",
        "? q",
        "| pipe",
        "\u{feff}bom",
        "a\u{2028}b",
    ];
    let mut m = Map::new();
    for (i, s) in tricky.iter().enumerate() {
        m.set(&format!("k{i}"), Node::str(*s));
        m.set(s, Node::Int(i as i64));
    }
    m.set(
        "seq",
        Node::Seq(tricky.iter().map(|s| Node::str(*s)).collect()),
    );
    let mut inner = Map::new();
    inner.set("lit", Node::str("a\nb\n"));
    m.set("nested", Node::Seq(vec![Node::Map(inner)]));
    let text = yaml::to_yaml(&m, false);
    let back: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back, Node::Map(m).to_value(), "{text}");
}

/// A page with a request body table and a JSON example request (one cell per line), its JSON
/// indented as in a bulleted list.
const BODY_PAGE: &str = "Creating a Key

Updated on 2025-01-01 GMT+08:00

Function

This API is used to create a key.

URI

POST /v1.0/{project_id}/kms/create-key

Table 1 Path Parameters

Parameter

Mandatory

Type

Description

project_id

Yes

String

Project ID

Request Parameters

Table 2 Request header parameters

Parameter

Mandatory

Type

Description

X-Auth-Token

Yes

String

User token.

Table 3 Request body parameters

Parameter

Mandatory

Type

Description

key_alias

Yes

String

Alias of the key.

key_spec

No

String

Key algorithm.

Response Parameters

Status code: 200

Table 4 Response body parameters

Parameter

Type

Description

key_id

String

Key ID

Example Requests

Creating a key named test

POST https://{endpoint}/v1.0/{project_id}/kms/create-key

    {
      \"key_alias\" : \"test\",
      \"key_spec\" : \"AES_256\"
    }

Example Responses

Status code: 200

OK

{
  \"key_id\" : \"0d0466b0\"
}

Status Codes

Status Code

Description

200

OK
";

#[test]
fn a_json_example_request_is_the_body_example() {
    let imported = import_page(BODY_PAGE, "create_key.txt", None, &opts("CreateKey"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let file: OperationFile = serde_yaml::from_str(&imported.yaml).expect("an operation file");
    let body = file.body.expect("a request body");
    // The JSON, verbatim but for the layout indentation, is the body's (checked) example...
    assert_eq!(
        body.example.as_deref(),
        Some("{\n  \"key_alias\" : \"test\",\n  \"key_spec\" : \"AES_256\"\n}\n")
    );
    assert!(body.required);
    // ... and the request example is only the request line.
    assert_eq!(
        file.request_example.as_deref(),
        Some("POST https://{endpoint}/v1.0/{project_id}/kms/create-key")
    );
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(v["body"]["schema"]["required"][0], "key_alias");

    // A re-import keeps it, and a changed example on the page wins over the spec's.
    let changed = BODY_PAGE.replace("\"test\"", "\"renamed\"");
    let again = import_page(
        &changed,
        "create_key.txt",
        Some(&imported.yaml),
        &opts("CreateKey"),
    )
    .unwrap();
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    let file: OperationFile = serde_yaml::from_str(&again.yaml).unwrap();
    assert!(file.body.unwrap().example.unwrap().contains("\"renamed\""));

    // Without a request body table the body's fields are inferred from the example (all
    // optional), with a warning, and the request example is the request line.
    let no_table = BODY_PAGE.replace(
        "Table 3 Request body parameters\n\nParameter\n\nMandatory\n\nType\n\nDescription\n\nkey_alias\n\nYes\n\nString\n\nAlias of the key.\n\nkey_spec\n\nNo\n\nString\n\nKey algorithm.\n\n",
        "",
    );
    assert_ne!(no_table, BODY_PAGE);
    let imported = import_page(&no_table, "create_key.txt", None, &opts("CreateKey")).unwrap();
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("inferred from the example")),
        "{:?}",
        imported.warnings
    );
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(v["body"]["required"], true);
    assert_eq!(
        v["body"]["schema"]["properties"]["key_alias"]["type"],
        "string"
    );
    assert!(v["body"]["schema"].get("required").is_none());
    assert!(v["body"]["example"]
        .as_str()
        .is_some_and(|e| e.contains("\"key_alias\" : \"test\"")));
    let file: OperationFile = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(
        file.request_example.as_deref(),
        Some("POST https://{endpoint}/v1.0/{project_id}/kms/create-key")
    );
}

#[test]
fn an_example_request_of_none_is_no_example() {
    // "Example Requests: None" on a page without a URI example.
    let text = BODY_PAGE.replace(
        "Creating a key named test\n\nPOST https://{endpoint}/v1.0/{project_id}/kms/create-key\n\n    {\n      \"key_alias\" : \"test\",\n      \"key_spec\" : \"AES_256\"\n    }\n",
        "None\n",
    );
    assert_ne!(text, BODY_PAGE);
    let imported = import_page(&text, "create_key.txt", None, &opts("CreateKey")).unwrap();
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert!(v.as_mapping().unwrap().contains_key("request_example"));
    assert_eq!(v["request_example"], Value::Null);
    assert!(v["body"].get("example").is_none());
    // ... also over an existing spec that has one: the page says there is none.
    let with_example = import_page(BODY_PAGE, "create_key.txt", None, &opts("CreateKey")).unwrap();
    let again = import_page(
        &text,
        "create_key.txt",
        Some(&with_example.yaml),
        &opts("CreateKey"),
    )
    .unwrap();
    let v: Value = serde_yaml::from_str(&again.yaml).unwrap();
    assert_eq!(v["request_example"], Value::Null);
    // The body example the page no longer shows is kept, with a warning.
    assert!(v["body"]["example"].is_string());
    assert!(
        again
            .warnings
            .iter()
            .any(|w| w.message.contains("no request body example")),
        "{:?}",
        again.warnings
    );
}

#[test]
fn a_type_no_table_describes_takes_its_members_from_the_example() {
    // The page names `KeyTag` but has no table for it; its example shows two tags.
    let page = BODY_PAGE
        .replace(
            "key_spec\n\nNo\n\nString\n\nKey algorithm.\n\n",
            "key_spec\n\nNo\n\nString\n\nKey algorithm.\n\ntags\n\nNo\n\nArray of KeyTag objects\n\nTags.\n\n",
        )
        .replace(
            "\"key_spec\" : \"AES_256\"\n",
            "\"key_spec\" : \"AES_256\",\n  \"tags\" : [ { \"key\" : \"a\", \"count\" : 2 }, { \"key\" : \"b\", \"note\" : null } ]\n",
        );
    assert_ne!(page, BODY_PAGE);
    let imported = import_page(&page, "create_key.txt", None, &opts("CreateKey"))
        .unwrap_or_else(|e| panic!("{e}"));
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(
        v["body"]["schema"]["properties"]["tags"]["items"]["$ref"],
        "KeyTag"
    );
    let tag = &v["schemas"]["KeyTag"];
    assert_eq!(tag["properties"]["key"]["type"], "string");
    assert_eq!(tag["properties"]["count"]["type"], "integer");
    assert_eq!(tag["properties"]["count"]["format"], "int64");
    // Seen only as null: any JSON, nullable.
    assert_eq!(tag["properties"]["note"]["nullable"], true);
    // Nothing is mandatory: an example cannot say.
    assert!(tag.get("required").is_none(), "{tag:?}");
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("KeyTag")
                && w.message.contains("inferred from the page's example")),
        "{:?}",
        imported.warnings
    );
    assert!(!imported.yaml.contains("x-undescribed"));

    // Without an example it stays any JSON object, with the warning that says so.
    let no_example = page.replace("\"tags\" : [", "\"other\" : [");
    let imported = import_page(&no_example, "create_key.txt", None, &opts("CreateKey")).unwrap();
    let v: Value = serde_yaml::from_str(&imported.yaml).unwrap();
    assert_eq!(
        v["body"]["schema"]["properties"]["tags"]["items"]["type"],
        "object"
    );
    assert!(v["schemas"]["KeyTag"].is_null());
    assert!(!imported.yaml.contains("x-undescribed"));
    assert!(imported
        .warnings
        .iter()
        .any(|w| w.message.contains("typed as any JSON object")));
}
