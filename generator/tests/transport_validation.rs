//! Validation of the transport keys of the format (hosts, body encodings, response
//! encodings, headers, `default` and several 2xx statuses): each mistake is reported at its
//! place, and the fixture specs, which use every key, are accepted.

mod support;

use std::fs;
use std::path::Path;

use support::{copy_tree, workspace};

/// Generates from a copy of the fixture specs with `file` edited; returns the report.
fn rejected(file: &str, edit: impl FnOnce(String) -> String) -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let spec = dir.path().join("spec");
    copy_tree(&workspace().join("tests/fixtures/spec"), &spec);
    let path = spec.join(file);
    let text = fs::read_to_string(&path).expect("reads the spec");
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit of {file} changed nothing");
    fs::write(&path, edited).expect("writes the spec");
    match generator::generate(&spec, &support::layout()) {
        Ok(_) => panic!("the edited {file} was accepted"),
        Err(error) => error.to_string(),
    }
}

/// Asserts the report has a line at `file:line:` that says `message`.
fn assert_reported(report: &str, file: &str, line: usize, message: &str) {
    let located = report.lines().any(|l| {
        l.contains(&format!("{}:{line}:", Path::new(file).display())) && l.contains(message)
    });
    assert!(
        located,
        "expected `{file}:{line}:<column>: ... {message}` in:\n{report}"
    );
}

#[test]
fn the_fixture_specs_use_every_key_and_are_valid() {
    generator::generate(&workspace().join("tests/fixtures/spec"), &support::layout())
        .expect("valid");
}

#[test]
fn host_patterns() {
    for (bad, message) in [
        ("https://global-demo.myhuaweicloud.com", "has a scheme"),
        ("global-demo.myhuaweicloud.com:8443", "has a port, path"),
        ("global-demo.myhuaweicloud.com/v3", "has a port, path"),
        (
            "global-demo.{zone}.myhuaweicloud.com",
            "placeholder other than `{region}`",
        ),
        ("{region}.{region}.myhuaweicloud.com", "more than once"),
        ("Global-Demo.myhuaweicloud.com", "must be a host name"),
        ("global-demo..myhuaweicloud.com", "must be a host name"),
        ("-global.myhuaweicloud.com", "must be a host name"),
    ] {
        let report = rejected("global-demo/service.yaml", |t| {
            t.replace(
                "endpoint: global-demo.myhuaweicloud.com",
                &format!("endpoint: \"{bad}\""),
            )
        });
        assert_reported(&report, "global-demo/service.yaml", 3, message);
    }
    let report = rejected("demo/upload_widget_image.yaml", |t| {
        t.replace(
            "host: upload-demo.{region}.myhuaweicloud.com",
            "host: upload-demo.{region}.myhuaweicloud.com/upload",
        )
    });
    assert_reported(
        &report,
        "demo/upload_widget_image.yaml",
        8,
        "host `upload-demo.{region}.myhuaweicloud.com/upload` has a port, path",
    );
}

#[test]
fn body_encodings() {
    let report = rejected("demo/upload_widget_image.yaml", |t| {
        t.replace(
            "  encoding: multipart\n",
            "  encoding: multipart\n  content_type: multipart/mixed\n",
        )
    });
    assert_reported(
        &report,
        "demo/upload_widget_image.yaml",
        23,
        "leave `content_type` out",
    );

    let report = rejected("demo/put_widget_blob.yaml", |t| {
        t.replace(
            "  encoding: binary\n",
            "  encoding: binary\n  schema: { type: string }\n",
        )
    });
    assert_reported(
        &report,
        "demo/put_widget_blob.yaml",
        22,
        "a binary body has no `schema`",
    );

    let report = rejected("demo/set_widget_config.yaml", |t| {
        t.replace("content_type: application/xml", "content_type: xml")
    });
    assert_reported(
        &report,
        "demo/set_widget_config.yaml",
        22,
        "content type `xml` must be a media type",
    );

    let report = rejected("demo/import_widgets.yaml", |t| {
        t.replace(
            "      overwrite: { type: boolean, description: Replace existing widgets. }",
            "      overwrite: { type: object, properties: { a: { type: string } } }",
        )
    });
    assert_reported(
        &report,
        "demo/import_widgets.yaml",
        23,
        "form field `overwrite` must be a scalar or an array of scalars",
    );

    let report = rejected("demo/import_widgets.yaml", |t| {
        t.replace("  encoding: form\n", "  encoding: multipart\n")
            .replace(
                "  schema:\n    type: object\n    required: [source]",
                "  schema:\n    type: array\n    items: { type: string }\n    required: [source]",
            )
    });
    assert!(
        report.contains("a multipart body's schema must be an object with `properties`"),
        "{report}"
    );
}

#[test]
fn responses() {
    let report = rejected("demo/download_widget_blob.yaml", |t| {
        t.replace(
            "  \"206\":\n    description: A range of the blob.\n    encoding: binary\n",
            "  \"206\":\n    description: A range of the blob.\n    schema: { type: object }\n",
        )
    });
    assert!(
        report.contains("a binary success response is a streamed download: the other 2xx responses (206) must be binary or have no body"),
        "{report}"
    );

    let report = rejected("demo/set_widget_config.yaml", |t| {
        t.replace(
            "    description: The stored configuration.\n    encoding: text\n",
            "    description: The stored configuration.\n    encoding: text\n    schema: { type: string }\n",
        )
    });
    assert_reported(
        &report,
        "demo/set_widget_config.yaml",
        29,
        "a text response has no `schema`",
    );

    let report = rejected("demo/download_widget_blob.yaml", |t| {
        t.replacen(
            "        description: The whole blob's size in bytes.\n        schema: { type: integer, format: int64 }",
            "        description: The whole blob's size in bytes.\n        schema: { type: string }",
            1,
        )
    });
    assert!(
        report.contains("header `X-Blob-Size` has another type than in the `200` response"),
        "{report}"
    );

    let report = rejected("demo/widget_options.yaml", |t| {
        t.replace(
            "        schema: { type: integer }",
            "        schema: { type: object, properties: { a: { type: string } } }",
        )
    });
    assert!(
        report.contains("a response header must be a string, integer, number or boolean"),
        "{report}"
    );

    let report = rejected("demo/widget_options.yaml", |t| {
        t.replace("      Access-Control-Max-Age:", "      allow:")
    });
    assert!(
        report.contains("header `allow` is documented twice"),
        "{report}"
    );

    let report = rejected("demo/widget_options.yaml", |t| {
        t.replace("      Access-Control-Max-Age:", "      \"Max Age\":")
    });
    assert!(
        report.contains("`Max Age` is not a valid header name"),
        "{report}"
    );

    let report = rejected("demo/put_widget_blob.yaml", |t| {
        t.replace("  default:", "  otherwise:")
    });
    assert!(
        report.contains("status `otherwise` must be a number from 100 to 599, or `default`"),
        "{report}"
    );
}

/// A documented 3xx is a success; a spec that documents no success at all is generated (any
/// 2xx succeeds without a body) and reported, not refused: definitions like KMS
/// DeleteKeyStore list only errors.
#[test]
fn a_3xx_is_a_success_and_no_success_is_a_warning() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let spec = dir.path().join("spec");
    copy_tree(&workspace().join("tests/fixtures/spec"), &spec);
    let file = spec.join("demo/widget_options.yaml");
    let text = fs::read_to_string(&file).expect("reads the spec");
    fs::write(&file, text.replace("\"200\":", "\"300\":")).expect("writes");
    let generated =
        generator::generate_with_warnings(&spec, &support::layout()).expect("a 300 is a success");
    assert!(
        generated.files["services/demo/src/widget_options.rs"].contains("redirect_success: &[300]")
    );

    fs::write(&file, text.replace("\"200\":", "\"404\":")).expect("writes");
    let generated = generator::generate_with_warnings(&spec, &support::layout())
        .expect("no documented success is not an error");
    assert!(
        generated.warnings.iter().any(|w| w.kind
            == generator::diagnostic::WarningKind::NoSuccessDocumented
            && w.file.ends_with("widget_options.yaml")),
        "{:?}",
        generated.warnings
    );
}

#[test]
fn a_multipart_body_by_ref_keeps_the_named_struct_and_gets_its_own() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let spec = dir.path().join("spec");
    copy_tree(&workspace().join("tests/fixtures/spec"), &spec);
    let path = spec.join("demo/upload_widget_image.yaml");
    let text = fs::read_to_string(&path).expect("reads the spec");
    let schema_start = text
        .find("  schema:\n    type: object\n    required: [image, caption]")
        .expect("the body schema");
    let schema_end = text.find("responses:").expect("the responses");
    let schema = text[schema_start..schema_end].replacen("  schema:\n", "", 1);
    let named: String = schema.lines().map(|l| format!("  {l}\n")).collect();
    let edited = format!(
        "{}  schema: {{ $ref: UploadWidgetImageRequestBody }}\n{}schemas:\n  UploadWidgetImageRequestBody:\n{named}",
        &text[..schema_start],
        &text[schema_end..],
    );
    fs::write(&path, edited).expect("writes the spec");
    let files = generator::generate(&spec, &support::layout()).expect("valid");
    let module = &files["services/demo/src/upload_widget_image.rs"];
    assert!(
        module.contains("pub struct UploadWidgetImageMultipartBody {"),
        "{module}"
    );
    assert!(module.contains("pub image: rt::FilePart,"), "{module}");
    assert!(
        module.contains("pub body: UploadWidgetImageMultipartBody,"),
        "{module}"
    );
    assert!(
        module.contains("pub struct UploadWidgetImageRequestBody {"),
        "{module}"
    );
}

#[test]
fn headers_the_client_sets_or_cannot_sign_are_refused() {
    for name in [
        "User-Agent",
        "Connection",
        "Keep-Alive",
        "TE",
        "Upgrade",
        "X-Sdk-Date",
    ] {
        let report = rejected("demo/create_widget.yaml", |text| {
            text.replacen("  - name: X-Language\n", &format!("  - name: {name}\n"), 1)
        });
        assert_reported(
            &report,
            "demo/create_widget.yaml",
            68,
            &format!("header `{name}` is set by the client itself"),
        );
    }
}

#[test]
fn a_source_is_only_where_it_is_implied() {
    for (file, from, to, line, message) in [
        // The credentials fill only X-Auth-Token.
        (
            "demo/create_widget.yaml",
            "X-Auth-Token",
            "X-Client-Token-2",
            75,
            "`source: auth` is only for the `X-Auth-Token` header parameter",
        ),
        (
            "demo/show_widget.yaml",
            "project_id",
            "tenant_id",
            12,
            "`source: config` is only for the `project_id` path parameter",
        ),
    ] {
        let report = rejected(file, |text| text.replace(from, to));
        assert_reported(&report, file, line, message);
    }
}
