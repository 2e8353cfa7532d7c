//! The blocking facade from a plain `fn main`: no async runtime of your own.
//!
//! ```text
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
//! cargo run -p hwcloud-tests --example blocking
//! ```
//!
//! Needs the `blocking` feature of `hwcloud`. Built by CI; never run by the tests.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = hwcloud::Config::builder_from_env()
        .region("cn-north-4")
        .build()?;
    let client = hwcloud::Client::new(config)?;
    let output = client
        .kms()
        .list_support_regions()
        .limit(10)
        .send_blocking()?;
    println!(
        "regions: {:?} (request id {})",
        output.body.regions.unwrap_or_default(),
        output.request_id.as_deref().unwrap_or("-")
    );
    Ok(())
}
