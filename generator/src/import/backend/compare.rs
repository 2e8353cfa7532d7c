//! Where two specs of one operation disagree: the method and path, the host, the parameters
//! (by name and location), the body, the statuses, and each schema's shape (type and format,
//! properties, items, map values, enum values), with `$ref`s followed on both sides.
//! Descriptions, titles, examples, ranges and string formats are not compared: they are
//! wording and documentation, where two sources differ without disagreeing.

use std::collections::BTreeSet;

use super::example::Scope;
use super::node::{Map, Node};

/// One disagreement: where (`parameter limit (query)`, `response 400`, `body`, `method`) and
/// what (`.error is an object in the first spec, an array in the second`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub place: String,
    pub detail: String,
}

/// One side of the comparison: the spec and what its `$ref`s reach.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub spec: &'a Map,
    pub scope: Scope<'a>,
    /// How messages name this side: `the page`, `the definition`.
    pub name: &'a str,
}

/// The disagreements of `a` and `b`, in spec order.
pub fn disagreements(a: Side<'_>, b: Side<'_>) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut push = |place: &str, detail: String| {
        out.push(Disagreement {
            place: place.to_string(),
            detail,
        })
    };
    for key in ["method", "path", "host"] {
        let (va, vb) = (a.spec.get_str(key), b.spec.get_str(key));
        match (va, vb) {
            (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y) => {
                push(key, format!("{} says {x}, {} says {y}", a.name, b.name))
            }
            (None, Some(y)) if key == "host" => push(
                key,
                format!(
                    "{} puts the operation on {y}, {} on the service's endpoint",
                    b.name, a.name
                ),
            ),
            _ => {}
        }
    }

    // Parameters by name and location (header names case-insensitively).
    let params = |s: &Map| -> Vec<Map> {
        s.get("parameters")
            .and_then(Node::as_seq)
            .map(|ps| ps.iter().filter_map(Node::as_map).cloned().collect())
            .unwrap_or_default()
    };
    let key = |p: &Map| -> (String, String) {
        let location = p.get_str("in").unwrap_or("").to_string();
        let name = p.get_str("name").unwrap_or("");
        let name = if location == "header" {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        };
        (name, location)
    };
    let (pa, pb) = (params(a.spec), params(b.spec));
    let mut rows: Vec<Disagreement> = Vec::new();
    for p in &pa {
        let place = format!(
            "parameter {} ({})",
            p.get_str("name").unwrap_or("?"),
            p.get_str("in").unwrap_or("?")
        );
        match pb.iter().find(|q| key(q) == key(p)) {
            None => rows.push(Disagreement {
                place,
                detail: format!("on {} but not in {}", a.name, b.name),
            }),
            Some(q) => {
                if p.get("required") != q.get("required") {
                    let word = |m: &Map| {
                        if m.get("required") == Some(&Node::Bool(true)) {
                            "required"
                        } else {
                            "optional"
                        }
                    };
                    rows.push(Disagreement {
                        place: place.clone(),
                        detail: format!("{} on {}, {} in {}", word(p), a.name, word(q), b.name),
                    });
                }
                if let (Some(sa), Some(sb)) = (p.get_map("schema"), q.get_map("schema")) {
                    schema(sa, sb, a, b, &place, "", &mut rows, 0);
                }
            }
        }
    }
    for q in &pb {
        if !pa.iter().any(|p| key(p) == key(q)) {
            rows.push(Disagreement {
                place: format!(
                    "parameter {} ({})",
                    q.get_str("name").unwrap_or("?"),
                    q.get_str("in").unwrap_or("?")
                ),
                detail: format!("in {} but not on {}", b.name, a.name),
            });
        }
    }
    out.extend(rows);

    // The body.
    let mut rows = Vec::new();
    match (a.spec.get_map("body"), b.spec.get_map("body")) {
        (Some(x), Some(y)) => {
            let enc = |m: &Map| m.get_str("encoding").unwrap_or("json").to_string();
            if enc(x) != enc(y) {
                rows.push(Disagreement {
                    place: "body".into(),
                    detail: format!(
                        "sent as {} on {}, as {} in {}",
                        enc(x),
                        a.name,
                        enc(y),
                        b.name
                    ),
                });
            }
            if let (Some(sa), Some(sb)) = (x.get_map("schema"), y.get_map("schema")) {
                schema(sa, sb, a, b, "body", "", &mut rows, 0);
            }
        }
        (Some(_), None) => rows.push(Disagreement {
            place: "body".into(),
            detail: format!("{} documents a request body, {} none", a.name, b.name),
        }),
        (None, Some(_)) => rows.push(Disagreement {
            place: "body".into(),
            detail: format!("{} documents a request body, {} none", b.name, a.name),
        }),
        (None, None) => {}
    }
    out.extend(rows);

    // Responses by status.
    let empty = Map::new();
    let (ra, rb) = (
        a.spec.get_map("responses").unwrap_or(&empty),
        b.spec.get_map("responses").unwrap_or(&empty),
    );
    let mut rows = Vec::new();
    for (code, r) in &ra.0 {
        let place = format!("response {code}");
        match rb.get_map(code) {
            None => rows.push(Disagreement {
                place,
                detail: format!("on {} but not in {}", a.name, b.name),
            }),
            Some(s) => {
                let x = r.as_map().and_then(|m| m.get_map("schema"));
                let y = s.get_map("schema");
                match (x, y) {
                    (Some(x), Some(y)) => schema(x, y, a, b, &place, "", &mut rows, 0),
                    (Some(_), None) => rows.push(Disagreement {
                        place,
                        detail: format!("{} documents a body, {} none", a.name, b.name),
                    }),
                    (None, Some(_)) => rows.push(Disagreement {
                        place,
                        detail: format!("{} documents a body, {} none", b.name, a.name),
                    }),
                    (None, None) => {}
                }
            }
        }
    }
    for (code, _) in &rb.0 {
        if !ra.has(code) {
            rows.push(Disagreement {
                place: format!("response {code}"),
                detail: format!("in {} but not on {}", b.name, a.name),
            });
        }
    }
    out.extend(rows);
    out
}

/// `integer (int64)`, `array`, `object (KmsErrorDetail)`: a schema's shape in a message.
fn shape(schema: &Map, target: &Map) -> String {
    let ty = target.get_str("type").unwrap_or(if target.has("one_of") {
        "one_of"
    } else {
        "untyped"
    });
    let format = target.get_str("format").or(match ty {
        "integer" => Some("int32"),
        "number" => Some("double"),
        _ => None,
    });
    let mut text = match (ty, format) {
        ("integer" | "number", Some(f)) => format!("{ty} ({f})"),
        _ => ty.to_string(),
    };
    if let Some(name) = schema.get_str("$ref") {
        text.push_str(&format!(" ({name})"));
    }
    text
}

fn enum_set(target: &Map) -> Option<BTreeSet<String>> {
    let values = target.get("enum")?.as_seq()?;
    Some(
        values
            .iter()
            .filter_map(Node::as_map)
            .filter_map(|v| v.get("value"))
            .filter_map(Node::scalar_text)
            .collect(),
    )
}

#[allow(clippy::too_many_arguments)]
fn schema(
    x: &Map,
    y: &Map,
    a: Side<'_>,
    b: Side<'_>,
    place: &str,
    field: &str,
    out: &mut Vec<Disagreement>,
    depth: usize,
) {
    if depth > 24 {
        return;
    }
    let (Some(tx), Some(ty)) = (a.scope.resolve(x), b.scope.resolve(y)) else {
        return;
    };
    let what = if field.is_empty() {
        "the body".to_string()
    } else {
        format!("`{}`", field.trim_start_matches('.'))
    };
    let (shape_a, shape_b) = (shape(x, tx), shape(y, ty));
    let bare = |s: &str| s.split(" (").next().unwrap_or("").to_string();
    let (kind_a, kind_b) = (
        tx.get_str("type").unwrap_or(""),
        ty.get_str("type").unwrap_or(""),
    );
    let format_differs =
        matches!(kind_a, "integer" | "number") && bare(&shape_a) == bare(&shape_b) && {
            let f = |t: &Map, k: &str| {
                t.get_str("format")
                    .unwrap_or(if k == "integer" { "int32" } else { "double" })
                    .to_string()
            };
            f(tx, kind_a) != f(ty, kind_b)
        };
    if bare(&shape_a) != bare(&shape_b) || format_differs {
        out.push(Disagreement {
            place: place.to_string(),
            detail: format!("{what} is {shape_a} on {}, {shape_b} in {}", a.name, b.name),
        });
        return;
    }
    if let (Some(ea), Some(eb)) = (enum_set(tx), enum_set(ty)) {
        if ea != eb {
            let only_a: Vec<&String> = ea.difference(&eb).collect();
            let only_b: Vec<&String> = eb.difference(&ea).collect();
            let mut parts = Vec::new();
            if !only_a.is_empty() {
                parts.push(format!(
                    "{} only on {}",
                    only_a
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    a.name
                ));
            }
            if !only_b.is_empty() {
                parts.push(format!(
                    "{} only in {}",
                    only_b
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    b.name
                ));
            }
            out.push(Disagreement {
                place: place.to_string(),
                detail: format!("the values of {what} differ: {}", parts.join("; ")),
            });
        }
    }
    match kind_a {
        "object" => {
            let empty = Map::new();
            let (pa, pb) = (
                tx.get_map("properties").unwrap_or(&empty),
                ty.get_map("properties").unwrap_or(&empty),
            );
            if pa.0.is_empty() || pb.0.is_empty() {
                return; // a free-form object on either side says nothing to compare
            }
            for (name, s) in &pa.0 {
                let sub = format!("{field}.{name}");
                match (s.as_map(), pb.get_map(name)) {
                    (Some(s), Some(t)) => schema(s, t, a, b, place, &sub, out, depth + 1),
                    _ if !pb.has(name) => out.push(Disagreement {
                        place: place.to_string(),
                        detail: format!(
                            "`{}` is on {} but not in {}",
                            sub.trim_start_matches('.'),
                            a.name,
                            b.name
                        ),
                    }),
                    _ => {}
                }
            }
            for (name, _) in &pb.0 {
                if !pa.has(name) {
                    out.push(Disagreement {
                        place: place.to_string(),
                        detail: format!(
                            "`{}` is in {} but not on {}",
                            format!("{field}.{name}").trim_start_matches('.'),
                            b.name,
                            a.name
                        ),
                    });
                }
            }
        }
        "array" => {
            if let (Some(ia), Some(ib)) = (tx.get_map("items"), ty.get_map("items")) {
                schema(ia, ib, a, b, place, &format!("{field}[]"), out, depth + 1);
            }
        }
        "map" => {
            if let (Some(va), Some(vb)) = (tx.get_map("values"), ty.get_map("values")) {
                schema(va, vb, a, b, place, &format!("{field}{{}}"), out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Disagreements with the same detail at several places, said once: `responses 400, 401:
/// ...`.
pub fn grouped(list: &[Disagreement]) -> Vec<String> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for d in list {
        match groups.iter_mut().find(|(detail, _)| *detail == d.detail) {
            Some((_, places)) => {
                if !places.contains(&d.place) {
                    places.push(d.place.clone());
                }
            }
            None => groups.push((d.detail.clone(), vec![d.place.clone()])),
        }
    }
    groups
        .into_iter()
        .map(|(detail, places)| {
            let place = if places.len() > 1 && places.iter().all(|p| p.starts_with("response ")) {
                format!(
                    "responses {}",
                    places
                        .iter()
                        .map(|p| p.trim_start_matches("response "))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                places.join(", ")
            };
            format!("{place}: {detail}")
        })
        .collect()
}
