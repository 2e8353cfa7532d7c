//! Runtime for the generated Huawei Cloud Rust SDK.
//!
//! Generated service crates describe each service with a [`ServiceSpec`] and each
//! operation with an [`OperationSpec`], build a [`Request`], and hand it to
//! [`Client::execute`] (or [`Client::execute_empty`], [`Client::execute_with`],
//! [`Client::execute_download`]). This crate does the rest:
//! endpoint resolution ([`endpoint`]), SDK-HMAC-SHA256 signing ([`signer`]) or IAM-token
//! authentication ([`Credentials`]), retries with backoff ([`RetryPolicy`]), bounded
//! response reading, error parsing ([`Error`], [`ServiceError`]) and tracing (one
//! `hwcloud.request` span per call; headers are never logged).
//!
//! ```no_run
//! use hwcloud_runtime as rt;
//!
//! pub static SERVICE: rt::ServiceSpec =
//!     rt::ServiceSpec { id: "kms", endpoint: "kms.{region}.myhuaweicloud.com" };
//! static OPERATION: rt::OperationSpec = rt::OperationSpec {
//!     name: "ListSupportRegions", service: &SERVICE, host: None, method: rt::Method::Get,
//!     path: "/v2/{project_id}/kms/regions", retry_safe: false,
//!     success_status: 200, redirect_success: &[], error_statuses: &[400, 401, 403, 404, 500, 502, 504],
//!     default_error: false, project_id_length: None, example_response: None,
//! };
//!
//! # async fn demo() -> Result<(), rt::Error<serde_json::Value>> {
//! let config = rt::Config::builder()
//!     .region("cn-north-4")
//!     .project_id("0123456789abcdef0123456789abcdef")
//!     .credentials(rt::Credentials::aksk("MY_AK", "MY_SK"))
//!     .build()
//!     .map_err(rt::Error::cast)?;
//! let client = rt::Client::new(config).map_err(rt::Error::cast)?;
//!
//! let mut request = rt::Request::new(&OPERATION);
//! request.query("limit", 10);
//! let output: rt::Output<serde_json::Value> =
//!     client.execute::<serde_json::Value, serde_json::Value>(request).await?;
//! println!("{} (request id {:?})", output.body, output.request_id);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
pub mod body;
pub mod client;
pub mod codegen;
pub mod config;
pub mod credentials;
pub mod decode;
pub mod endpoint;
pub mod error;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod mock;
pub mod operation;
pub mod paginate;
pub mod retry;
pub mod secret;
pub mod signer;
pub mod stream;

pub use body::{FilePart, Multipart};
pub use client::Client;
pub use config::{Config, ConfigBuilder};
pub use credentials::Credentials;
pub use decode::{Decode, DecodeErrorBody, ResponseHeaders};
pub use error::{AttemptTimedOut, DecodeError, Error, ErrorDetail, NoErrorBody, ServiceError};
pub use operation::{Method, OperationSpec, Output, Request, ServiceSpec};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use stream::ByteStream;

/// Re-export of the `bytes` crate (the chunks of a [`ByteStream`]).
pub use bytes;
/// Re-export of the `reqwest` crate (for [`Client::with_http_client_builder`] and
/// [`Output::raw_headers`]).
pub use reqwest;
