//! Pagination: detected from the parameters and the success body, stated in the spec,
//! turned off, and refused when the stated parameters or members do not exist.

use std::fs;

use generator::{generate_with_warnings, GenerateError, Generated};

mod support;

const CRATE: &str = "name: paging-test\nversion: 0.1.0\ndescription: Paging tests.\n";
const SERVICE: &str = "service: demo\ntitle: Demo\nendpoint: demo.{region}.myhuaweicloud.com\n";

/// `ListThings` with query parameters `params` (name: type), a 200 body with `members` (YAML
/// properties, indented eight spaces) and `extra` keys.
fn operation(params: &[(&str, &str)], members: &str, extra: &str) -> String {
    let params: String = params
        .iter()
        .map(|(name, ty)| {
            format!("  - name: {name}\n    in: query\n    required: false\n    schema:\n      type: {ty}\n")
        })
        .collect();
    format!(
        "operation: ListThings\ntitle: List\ndescription: Lists.\nsource:\n  document: x.txt\n\
         method: GET\npath: /v1/things\nparameters:\n{params}responses:\n  \"200\":\n    description: OK.\n\
         \x20   schema:\n      type: object\n      properties:\n{members}{extra}"
    )
}

const ITEMS: &str =
    "        things:\n          type: array\n          items:\n            type: string\n";

fn generate(file: &str) -> Result<Generated, GenerateError> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::write(dir.path().join("crate.yaml"), CRATE).expect("writes");
    let service = dir.path().join("demo");
    fs::create_dir_all(&service).expect("creates");
    fs::write(service.join("service.yaml"), SERVICE).expect("writes");
    fs::write(service.join("list_things.yaml"), file).expect("writes");
    generate_with_warnings(dir.path(), &support::layout())
}

fn module(file: &str) -> String {
    let generated = generate(file).unwrap_or_else(|e| panic!("{e}"));
    generated
        .files
        .get("services/demo/src/list_things.rs")
        .expect("the operation's module")
        .clone()
}

#[test]
fn offset_and_limit_with_one_array_are_detected() {
    let code = module(&operation(
        &[("offset", "integer"), ("limit", "integer")],
        ITEMS,
        "",
    ));
    assert!(code.contains("pub fn into_paginator(self)"), "{code}");
    assert!(code.contains("rt::paginate::next_offset("), "{code}");
    assert!(
        code.contains("type Item = ::std::string::String;"),
        "{code}"
    );
    assert!(code.contains("paged by `offset` counting items, `limit` items a page"));
}

#[test]
fn a_page_number_and_size_are_detected() {
    let code = module(&operation(
        &[("page_no", "integer"), ("page_size", "integer")],
        ITEMS,
        "",
    ));
    assert!(code.contains("rt::paginate::next_page("), "{code}");
}

#[test]
fn a_marker_needs_a_next_marker_in_the_body() {
    let without = module(&operation(
        &[("marker", "string"), ("limit", "integer")],
        ITEMS,
        "",
    ));
    assert!(!without.contains("into_paginator"));
    let with = module(&operation(
        &[("marker", "string"), ("limit", "integer")],
        &format!("{ITEMS}        next_marker:\n          type: string\n"),
        "",
    ));
    assert!(with.contains("rt::paginate::next_marker("), "{with}");
}

#[test]
fn two_arrays_are_not_guessed_between_but_can_be_stated() {
    let members = format!(
        "{ITEMS}        others:\n          type: array\n          items:\n            type: integer\n"
    );
    let params = [("offset", "integer"), ("limit", "integer")];
    assert!(!module(&operation(&params, &members, "")).contains("into_paginator"));
    let stated = module(&operation(
        &params,
        &members,
        "pagination:\n  style: offset\n  cursor: offset\n  size: limit\n  items: others\n",
    ));
    assert!(stated.contains("type Item = i32;"), "{stated}");
}

#[test]
fn stated_styles_win_and_none_turns_it_off() {
    let params = [("offset", "integer"), ("limit", "integer")];
    let as_pages = module(&operation(
        &params,
        ITEMS,
        "pagination:\n  style: page\n  cursor: offset\n  size: limit\n  items: things\n",
    ));
    assert!(as_pages.contains("rt::paginate::next_page("), "{as_pages}");
    let off = module(&operation(&params, ITEMS, "pagination:\n  style: none\n"));
    assert!(!off.contains("into_paginator"));
}

#[test]
fn a_stated_pagination_that_does_not_fit_is_refused_at_its_line() {
    let file = operation(
        &[("offset", "integer")],
        ITEMS,
        "pagination:\n  style: offset\n  cursor: start\n  items: stuff\n",
    );
    let report = generate(&file)
        .map(|_| ())
        .expect_err("refused")
        .to_string();
    let line = |key: &str| {
        file.lines()
            .position(|l| l.trim_start().starts_with(key))
            .map(|i| i + 1)
            .unwrap()
    };
    assert!(
        report.contains(&format!("list_things.yaml:{}:", line("cursor: start")))
            && report.contains("`start` is not a query parameter"),
        "{report}"
    );
    assert!(
        report.contains(&format!("list_things.yaml:{}:", line("items: stuff")))
            && report.contains("no member `stuff`"),
        "{report}"
    );
}
