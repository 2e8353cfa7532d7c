//! Calls each of the five generated operations against Huawei Cloud, authenticating with
//! AK/SK from the environment, and prints each result or error (with its request ID).
//!
//! ```text
//! export HUAWEICLOUD_SDK_AK=...            # access key ID
//! export HUAWEICLOUD_SDK_SK=...            # secret access key
//! export HUAWEICLOUD_SDK_PROJECT_ID=...    # project ID of the region
//! export HUAWEICLOUD_SDK_REGION=cn-north-4 # optional, default cn-north-4
//! export GEMINIDB_INSTANCE_ID=...          # optional, for the two GeminiDB operations
//! cargo run -p hwcloud-tests --example call_each_service
//! ```
//!
//! `DeleteGeminiDbDualActive` removes a dual-active relationship, so it is only sent when
//! `GEMINIDB_DELETE_DUAL_ACTIVE=yes` is also set; otherwise the example says it skipped it.
//! Temporary credentials work too: also set `HUAWEICLOUD_SDK_SECURITY_TOKEN`.
//!
//! This example is built by CI (`cargo build -p hwcloud-tests --examples`) so it keeps
//! compiling; it is never run by the tests.

use std::fmt::Debug;

use hwcloud::runtime::config::ENV_REGION;
use hwcloud::{Client, Config, Error, Output};

/// Prints the outcome of one call: status, request ID and body, or the error with its
/// request ID, error code and message.
fn report<T: Debug, E: Debug>(operation: &str, result: Result<Output<T>, Error<E>>) {
    match result {
        Ok(output) => println!(
            "{operation}: HTTP {} [request id: {}]\n{:#?}",
            output.status,
            output.request_id.as_deref().unwrap_or("-"),
            output.body
        ),
        Err(error) => {
            // The Display text alone says what happened, including the request ID.
            eprintln!("{operation} failed: {error}");
            if let Some(service) = error.as_service() {
                eprintln!(
                    "  status {}, request id {}, code {}, message {}",
                    service.status,
                    service.request_id.as_deref().unwrap_or("-"),
                    service.error_code.as_deref().unwrap_or("-"),
                    service.error_msg.as_deref().unwrap_or("-"),
                );
                if let Some(typed) = &service.typed {
                    eprintln!("  documented error body: {typed:?}");
                }
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // AK, SK, project ID (and security token) come from the HUAWEICLOUD_SDK_* variables.
    let mut builder = Config::builder_from_env();
    if std::env::var(ENV_REGION).map_or(true, |r| r.trim().is_empty()) {
        builder = builder.region("cn-north-4");
    }
    let config = builder.build()?;
    println!(
        "region {}, project {}",
        config.region().unwrap_or("-"),
        config.project_id().unwrap_or("-")
    );
    let client = Client::new(config)?;

    report(
        "kms ListSupportRegions",
        client.kms().list_support_regions().limit(10).send().await,
    );
    report(
        "rds ListDrRelations",
        client.rds().list_dr_relations().send().await,
    );
    report(
        "dbss ListInstances",
        client.dbss().list_instances().send().await,
    );

    match std::env::var("GEMINIDB_INSTANCE_ID") {
        Ok(instance_id) if !instance_id.trim().is_empty() => {
            let instance_id = instance_id.trim();
            report(
                "gaussdb-nosql ShowInstanceBiactiveRegions",
                client
                    .gaussdb_nosql()
                    .show_instance_biactive_regions(instance_id)
                    .send()
                    .await,
            );
            if std::env::var("GEMINIDB_DELETE_DUAL_ACTIVE").as_deref() == Ok("yes") {
                report(
                    "gaussdb-nosql DeleteGeminiDbDualActive",
                    client
                        .gaussdb_nosql()
                        .delete_gemini_db_dual_active(instance_id)
                        .send()
                        .await,
                );
            } else {
                println!(
                    "gaussdb-nosql DeleteGeminiDbDualActive: skipped (it changes the instance; \
                     set GEMINIDB_DELETE_DUAL_ACTIVE=yes to send it)"
                );
            }
        }
        _ => println!(
            "gaussdb-nosql ShowInstanceBiactiveRegions, DeleteGeminiDbDualActive: skipped \
             (set GEMINIDB_INSTANCE_ID)"
        ),
    }
    Ok(())
}
