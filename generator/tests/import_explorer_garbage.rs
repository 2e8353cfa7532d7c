//! The API Explorer reader never panics and always writes a spec that reads back: the vendored
//! definitions with random parts replaced (wrong types, dangling and looping `$ref`s, deep
//! nesting, odd keys), and texts that are not definitions at all.

use generator::import::backend::canonical::{canonical, write_checked};
use generator::import::explorer::json::{decode, J};
use generator::import::explorer::operation::convert;

mod support;
use support::{workspace, Rng};

fn fixtures() -> Vec<(String, J)> {
    let root = workspace().join("generator/tests/fixtures/explorer");
    let inputs = generator::import::explorer::discover(&[root]).expect("the fixtures are found");
    inputs
        .iter()
        .map(|input| {
            let text = std::fs::read_to_string(&input.path).expect("reads");
            (input.file.clone(), decode(&text).expect("decodes").value)
        })
        .collect()
}

/// Every node of a tree, by its index path.
fn paths(j: &J, here: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(here.clone());
    match j {
        J::Arr(items) => {
            for (i, item) in items.iter().enumerate() {
                here.push(i);
                paths(item, here, out);
                here.pop();
            }
        }
        J::Obj(members) => {
            for (i, (_, v)) in members.iter().enumerate() {
                here.push(i);
                paths(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(j: &'a mut J, path: &[usize]) -> Option<&'a mut J> {
    let Some((first, rest)) = path.split_first() else {
        return Some(j);
    };
    match j {
        J::Arr(items) => node_mut(items.get_mut(*first)?, rest),
        J::Obj(members) => node_mut(&mut members.get_mut(*first)?.1, rest),
        _ => None,
    }
}

fn obj(members: &[(&str, J)]) -> J {
    J::Obj(
        members
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn s(text: &str) -> J {
    J::Str(text.into())
}

/// A replacement value: the shapes the catalogue gets wrong, and worse.
fn garbage(rng: &mut Rng, names: &[String]) -> J {
    let name = names
        .get(rng.below(names.len()))
        .cloned()
        .unwrap_or_else(|| "Nope".into());
    match rng.below(22) {
        0 => J::Null,
        1 => J::Bool(rng.below(2) == 0),
        2 => J::Num((-1i64).into()),
        3 => J::Num(serde_json::Number::from_f64(0.5).expect("finite")),
        4 => J::Num(u64::MAX.into()),
        5 => s(""),
        6 => s("#/definitions/Nope"),
        7 => J::Arr(vec![]),
        8 => J::Arr(vec![J::Null, s("x"), J::Num(3i64.into())]),
        9 => obj(&[]),
        10 => obj(&[("$ref", s(&format!("#/definitions/{name}")))]),
        11 => obj(&[(
            "allOf",
            J::Arr(vec![
                obj(&[("$ref", s(&format!("#/definitions/{name}")))]),
                obj(&[("$ref", s(&format!("#/definitions/{name}")))]),
            ]),
        )]),
        12 => obj(&[("type", s("array"))]),
        13 => obj(&[
            ("type", s("object")),
            ("additionalProperties", J::Bool(true)),
        ]),
        14 => obj(&[(
            "oneOf",
            J::Arr(vec![J::Null, obj(&[("type", s("integer"))])]),
        )]),
        15 => obj(&[
            ("type", s("integer")),
            ("minimum", J::Num(10i64.into())),
            ("maximum", J::Num(1i64.into())),
        ]),
        16 => obj(&[("enum", J::Arr(vec![J::Null, J::Bool(true), obj(&[])]))]),
        17 => obj(&[("in", s("formData")), ("name", s("f")), ("type", s("file"))]),
        18 => obj(&[("in", s("header")), ("name", s("Content-Type"))]),
        19 => {
            let mut deep = J::Null;
            for _ in 0..200 {
                deep = obj(&[("type", s("object")), ("properties", obj(&[("a", deep)]))]);
            }
            deep
        }
        20 => obj(&[("$ref", s("#/responses/Missing"))]),
        _ => obj(&[("type", J::Arr(vec![s("string"), s("null")]))]),
    }
}

#[test]
fn mutated_definitions_never_panic_and_always_read_back() {
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    for (file, original) in fixtures() {
        let names: Vec<String> = original
            .get("definitions")
            .and_then(J::as_obj)
            .map(|d| d.iter().map(|(k, _)| k.clone()).collect())
            .unwrap_or_default();
        let mut all = Vec::new();
        paths(&original, &mut Vec::new(), &mut all);
        for round in 0..25 {
            let mut doc = original.clone();
            for _ in 0..(1 + rng.below(4)) {
                let path = all.get(rng.below(all.len())).cloned().unwrap_or_default();
                let replacement = garbage(&mut rng, &names);
                if let Some(node) = node_mut(&mut doc, &path) {
                    *node = replacement;
                }
            }
            if let Ok(converted) = convert(&doc) {
                let mut spec = converted.spec;
                canonical(&mut spec);
                if let Err(e) = write_checked(&spec) {
                    panic!("{file}, round {round}: the spec does not read back: {e}");
                }
            }
        }
    }
}

#[test]
fn texts_that_are_not_definitions_are_errors_or_skips() {
    for text in [
        "",
        "null",
        "[]",
        "42",
        "\"\"",
        "\"{}\"",
        "\"\\\"{}\\\"\"",
        "{\"paths\": []}",
        "{\"paths\": {\"/x\": []}}",
        "{\"paths\": {\"/x\": {\"trace\": {}}}}",
        "{\"paths\": {\"/x\": {\"get\": {\"responses\": \"none\"}}}}",
        "{\"name\": 5, \"paths\": {\"/{a}/{b\": {\"get\": {\"parameters\": [null, 1, {\"in\": \"path\"}]}}}}",
        "\u{feff}{}",
        "{\"a\": 1, \"a\": 2}",
    ] {
        if let Ok(decoded) = decode(text) {
            if let Ok(converted) = convert(&decoded.value) {
                let mut spec = converted.spec;
                canonical(&mut spec);
                write_checked(&spec).unwrap_or_else(|e| panic!("{text}: {e}"));
            }
        }
    }
}

#[test]
fn a_default_nested_too_deep_is_left_out_and_the_spec_reads_back() {
    let mut deep = J::Num(1i64.into());
    for _ in 0..200 {
        deep = obj(&[("a", deep)]);
    }
    let schema = |default: J| {
        obj(&[
            ("type", s("object")),
            (
                "properties",
                obj(&[("x", obj(&[("type", s("object")), ("default", default)]))]),
            ),
        ])
    };
    let doc = obj(&[
        ("name", s("Op")),
        ("method", s("post")),
        (
            "paths",
            obj(&[(
                "/v1/x",
                obj(&[(
                    "post",
                    obj(&[
                        (
                            "parameters",
                            J::Arr(vec![
                                obj(&[
                                    ("name", s("body")),
                                    ("in", s("body")),
                                    ("schema", schema(deep.clone())),
                                ]),
                                obj(&[
                                    ("name", s("q")),
                                    ("in", s("query")),
                                    ("type", s("string")),
                                    ("default", deep),
                                ]),
                            ]),
                        ),
                        (
                            "responses",
                            obj(&[("200", obj(&[("description", s("ok"))]))]),
                        ),
                    ]),
                )]),
            )]),
        ),
    ]);
    let converted = convert(&doc).expect("converts");
    let said: Vec<String> = converted
        .warnings
        .iter()
        .filter(|w| w.kind == "default")
        .map(|w| w.path.clone())
        .collect();
    assert_eq!(
        said,
        [
            "$.paths./v1/x.post.parameters[0].schema.properties.x.default",
            "$.paths./v1/x.post.parameters[1].default"
        ],
        "{:?}",
        converted.warnings
    );
    let mut spec = converted.spec;
    canonical(&mut spec);
    write_checked(&spec).expect("the spec reads back");
}
