//! A consumer's unit test with the mock client (`test-util` feature): the code under test
//! takes a `hwcloud::Client`; the test hands it one that answers from canned responses and
//! checks what it was asked. No network, no server.
//!
//! ```text
//! cargo test -p hwcloud-tests --example unit_test_with_mock
//! ```

/// The code under test: the regions a cross-region key can be replicated to, except `home`.
pub async fn replica_regions(
    client: &hwcloud::Client,
    home: &str,
) -> Result<Vec<String>, hwcloud::Error<hwcloud::kms::models::KmsErrorResponse>> {
    let output = client
        .kms()
        .list_support_regions()
        .limit(100)
        .send()
        .await?;
    Ok(output
        .body
        .regions
        .unwrap_or_default()
        .into_iter()
        .filter(|region| region != home)
        .collect())
}

fn main() {
    println!("run the unit tests: cargo test -p hwcloud-tests --example unit_test_with_mock");
}

#[cfg(test)]
mod tests {
    use super::replica_regions;
    use hwcloud::mock::{Mock, MockResponse};

    #[tokio::test]
    async fn leaves_out_the_home_region() {
        let mock = Mock::new();
        mock.on(
            "ListSupportRegions",
            MockResponse::json(
                200,
                r#"{"regions": ["cn-north-4", "cn-east-3", "ap-southeast-1"]}"#,
            ),
        );
        let client = hwcloud::Client::from_runtime(mock.client());

        let regions = replica_regions(&client, "cn-north-4").await.unwrap();

        assert_eq!(regions, ["cn-east-3", "ap-southeast-1"]);
        let requests = mock.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].query_value("limit"), Some("100"));
    }

    #[tokio::test]
    async fn passes_a_service_error_on() {
        let mock = Mock::new();
        mock.on(
            "ListSupportRegions",
            MockResponse::error(403, "KMS.0303", "Forbidden.").header("X-Request-Id", "r-1"),
        );
        let client = hwcloud::Client::from_runtime(mock.client());

        let error = replica_regions(&client, "cn-north-4").await.unwrap_err();

        let service = error.as_service().expect("a service error");
        assert_eq!(service.status, 403);
        assert_eq!(service.request_id.as_deref(), Some("r-1"));
    }
}
