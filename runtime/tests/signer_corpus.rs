//! The signer against the official Python SDK signer on 320 hostile inputs (see
//! `signer_corpus/generate.py`, which computed them with huaweicloudsdkcore 3.1.219): the
//! canonical request, the signed headers, the signature, and the headers the signer adds.

use hwcloud_runtime::signer::{self, SigningInput};
use serde_json::Value;

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p[0].as_str().unwrap_or_default().to_owned(),
                p[1].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_hostile_case_signs_as_the_official_signer_does() {
    let data: Value =
        serde_json::from_str(include_str!("signer_corpus/hostile_cases.json")).expect("JSON");
    let cases = data["cases"].as_array().expect("cases");
    assert!(cases.len() >= 300, "at least 300 cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or_default();
        let query = pairs(&case["query"]);
        let headers = pairs(&case["headers"]);
        let date = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-sdk-date"))
            .map(|(_, d)| d.clone())
            .expect("each case has its date");
        let input = SigningInput {
            method: case["method"].as_str().unwrap_or_default(),
            path: case["path"].as_str().unwrap_or_default(),
            query: &query,
            headers: &headers,
            body: case["body"].as_str().unwrap_or_default().as_bytes(),
        };
        let (ak, sk) = (
            case["ak"].as_str().unwrap_or_default(),
            case["sk"].as_str().unwrap_or_default(),
        );
        let sig = signer::sign(&input, ak, sk, &date);
        // The client's path: hashed as written, the same `Authorization` and added headers.
        let authorization = signer::authorize(&input, ak, &signer::SigningKey::new(sk), &date);
        if Some(authorization.value.as_str()) != case["authorization"].as_str()
            || authorization.added_headers != sig.added_headers
        {
            failures.push(format!(
                "{name}: authorize differs from the official signer"
            ));
        }
        let added: Vec<(String, String)> = sig
            .added_headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        let checks = [
            (
                "canonical request",
                sig.canonical_request.as_str(),
                case["canonical_request"].as_str(),
            ),
            (
                "signed headers",
                sig.signed_headers.as_str(),
                case["signed_headers"].as_str(),
            ),
            (
                "signature",
                sig.signature.as_str(),
                case["signature"].as_str(),
            ),
            (
                "authorization",
                sig.authorization.as_str(),
                case["authorization"].as_str(),
            ),
        ];
        for (what, ours, theirs) in checks {
            if Some(ours) != theirs {
                failures.push(format!(
                    "{name}: {what}: {ours:?} vs the official {theirs:?}"
                ));
            }
        }
        if added != pairs(&case["added_headers"]) {
            failures.push(format!(
                "{name}: added headers {added:?} vs {}",
                case["added_headers"]
            ));
        }
        // The wire query is the canonical one, as the official SDK sends it.
        let wire = case["wire_uri"].as_str().unwrap_or_default();
        let canonical_query = signer::canonical_query(&query);
        if !canonical_query.is_empty() && !wire.ends_with(&format!("?{canonical_query}")) {
            failures.push(format!(
                "{name}: wire query {canonical_query:?} vs {wire:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree with the official signer:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
