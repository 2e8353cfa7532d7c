//! Checks the signer against vectors computed with the official Python SDK signer
//! (see the `_comment` in `signer_vectors.json`).

use hwcloud_runtime::signer::{self, SigningInput};
use serde_json::Value;

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn official_signer_vectors() {
    let data: Value = serde_json::from_str(include_str!("signer_vectors.json")).unwrap();
    let vectors = data["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 8);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let query = pairs(&v["query"]);
        let headers = pairs(&v["headers"]);
        let date = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-sdk-date"))
            .map(|(_, d)| d.clone())
            .unwrap();
        let sig = signer::sign(
            &SigningInput {
                method: v["method"].as_str().unwrap(),
                path: v["path"].as_str().unwrap(),
                query: &query,
                headers: &headers,
                body: v["body"].as_str().unwrap().as_bytes(),
            },
            v["ak"].as_str().unwrap(),
            v["sk"].as_str().unwrap(),
            &date,
        );
        assert_eq!(
            sig.canonical_request,
            v["canonical_request"].as_str().unwrap(),
            "{name}: canonical request"
        );
        assert_eq!(
            sig.string_to_sign,
            v["string_to_sign"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            sig.signed_headers,
            v["signed_headers"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(sig.signature, v["signature"].as_str().unwrap(), "{name}");
        assert_eq!(
            sig.authorization,
            v["authorization"].as_str().unwrap(),
            "{name}"
        );
        // The wire query the runtime sends is the canonical query, as the official SDK's.
        let wire = v["wire_uri"].as_str().unwrap();
        let wire_query = wire.split_once('?').map(|(_, q)| q).unwrap_or("");
        assert_eq!(
            signer::canonical_query(&query),
            wire_query,
            "{name}: wire query"
        );
    }
}
