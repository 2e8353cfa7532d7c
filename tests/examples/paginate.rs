//! Paginators: every region a cross-region KMS key supports, page by page and then item by
//! item, without writing the offset loop.
//!
//! ```text
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
//! cargo run -p hwcloud-tests --example paginate
//! ```
//!
//! Built by CI; never run by the tests (`tests/paginators.rs` runs paginators against a
//! local server).

use futures_util::{StreamExt, TryStreamExt};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = hwcloud::Config::builder_from_env()
        .region("cn-north-4")
        .build()?;
    let client = hwcloud::Client::new(config)?;

    // Page by page: each item of the stream is one call's `Output` (or its error).
    let mut pages = client
        .kms()
        .list_support_regions()
        .limit(2)
        .into_paginator();
    while let Some(page) = pages.next().await {
        let page = page?;
        println!(
            "page of {} (request id {})",
            page.body.regions.as_ref().map_or(0, Vec::len),
            page.request_id.as_deref().unwrap_or("-")
        );
    }

    // Item by item, collected: stops at the first error and returns it.
    let regions: Vec<String> = client
        .kms()
        .list_support_regions()
        .limit(2)
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    println!("regions: {regions:?}");
    Ok(())
}
