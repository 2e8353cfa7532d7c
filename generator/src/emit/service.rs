//! The facade crate's root (`lib.rs`), each service crate's root and its shared `models.rs`.

use quote::quote;

use super::docs;
use super::types::{ident, type_def};
use crate::ir::{CrateModel, Service};

/// The inner attributes of the facade crate's root.
const FACADE_ATTRIBUTES: &[&str] = &[
    "#![forbid(unsafe_code)]",
    "#![deny(missing_docs)]",
    "#![cfg_attr(docsrs, feature(doc_cfg))]",
];

/// The inner attributes of a service crate's root.
const SERVICE_ATTRIBUTES: &[&str] = &[
    "#![forbid(unsafe_code)]",
    "#![deny(missing_docs)]",
    "#![cfg_attr(docsrs, feature(doc_cfg))]",
];

/// The facade's inner docs (Markdown paragraphs) and items.
pub fn lib_rs(model: &CrateModel) -> super::RustFile {
    let mut doc = vec![
        format!("# {}", model.name),
        docs::escape(&model.description),
        "```no_run\n# async fn run() -> Result<(), Box<dyn std::error::Error>> {\nlet config = hwcloud::Config::builder_from_env().region(\"cn-north-4\").build()?;\nlet client = hwcloud::Client::new(config)?;\n# Ok(())\n# }\n```".replace("hwcloud::", &format!("{}::", model.lib_name)),
        "## Services".to_owned(),
    ];
    for service in &model.services {
        doc.push(format!(
            "- [`{}`] — {} (cargo feature `{}`, crate `{}`, {} operation{})",
            service.module,
            docs::escape(&service.title),
            service.id,
            super::service_crate_name(model, service),
            service.operations.len(),
            if service.operations.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    let reexports = model.services.iter().map(|service| {
        let feature = &service.id;
        let module = ident(&service.module);
        let krate = ident(&super::service_crate_name(model, service).replace('-', "_"));
        let doc = format!(
            " {} (`{}`): the service's crate.",
            service.title,
            super::service_crate_name(model, service)
        );
        quote! {
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            #[doc = #doc]
            pub use #krate as #module;
        }
    });
    let accessors = model.services.iter().map(|service| {
        let feature = &service.id;
        let module = ident(&service.module);
        let client_type = ident(&service.client_type);
        let method_doc = format!(" {} operations.", service.title);
        quote! {
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            #[doc = #method_doc]
            pub fn #module(&self) -> #module::#client_type {
                #module::#client_type::new(self.inner.clone())
            }
        }
    });
    let items = quote! {

        pub use hwcloud_runtime as runtime;
        pub use hwcloud_runtime::{
            ByteStream, Config, ConfigBuilder, Credentials, DecodeError, Error, ErrorDetail, Output,
            RetryPolicy, ServiceError,
        };

        /// A mock client for unit tests of code that calls Huawei Cloud: canned responses
        /// (by default each operation's example), a record of the requests, no network.
        #[cfg(feature = "test-util")]
        #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
        pub use hwcloud_runtime::mock;

        #(#reexports)*

        /// A Huawei Cloud client: configuration, credentials and a connection pool, shared by
        /// every service. Cheap to clone.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: runtime::Client,
        }

        impl Client {
            /// A client for `config`.
            pub fn new(config: Config) -> Result<Self, Error> {
                Ok(Self { inner: runtime::Client::new(config)? })
            }

            /// Wraps an already built runtime client (for a custom `reqwest::Client`).
            pub fn from_runtime(inner: runtime::Client) -> Self {
                Self { inner }
            }

            /// The runtime client underneath.
            pub fn runtime(&self) -> &runtime::Client {
                &self.inner
            }

            #(#accessors)*
        }

        /// A request value's `send` takes anything that holds a runtime client.
        impl AsRef<runtime::Client> for Client {
            fn as_ref(&self) -> &runtime::Client {
                &self.inner
            }
        }
    };
    (doc, FACADE_ATTRIBUTES, items)
}

/// A service crate's root: the service client, the operation modules and their re-exports
/// (inner docs as Markdown paragraphs, and items).
pub fn service_lib_rs(service: &Service) -> super::RustFile {
    let mut doc = vec![
        format!("# {}", docs::escape(&service.title)),
        format!(
            "Endpoint: `https://{}`. Spec: `{}`.",
            service.endpoint, service.spec_file
        ),
        "| Operation | Method | Path | Title |\n|---|---|---|---|".to_owned(),
    ];
    if let Some(table) = doc.last_mut() {
        for op in &service.operations {
            table.push_str(&format!(
                "\n| [`{}`] | `{}` | `{}` | {} |",
                op.module,
                op.http_method.as_str(),
                op.path,
                docs::escape(&op.title).replace('|', "\\|")
            ));
        }
    }
    let models = if service.shared_types.is_empty() {
        quote!()
    } else {
        quote! {
            pub mod models;
            pub use models::*;
        }
    };
    let modules = service.operations.iter().map(|op| {
        let module = ident(&op.module);
        let mut exported = vec![
            ident(&op.builder_type),
            ident(&op.error_type),
            ident(&op.request_type),
        ];
        if op.success_body.is_some() {
            exported.push(ident(&op.response_type));
        }
        exported.sort_by_key(|i| i.to_string());
        quote! {
            pub mod #module;
            pub use #module::{#(#exported),*};
        }
    });
    let id = &service.id;
    let endpoint = &service.endpoint;
    let client_type = ident(&service.client_type);
    let client_doc = format!(
        " The {} operations; holds a cheap clone of a runtime client. From `Client::{}()` of \
         the facade crate, or [`{}::new`] with a runtime client.",
        service.title, service.module, service.client_type
    );
    // Only a crate with example tests gets their helper; otherwise it would be dead code.
    let tested = service
        .operations
        .iter()
        .any(super::operation::has_example_tests);
    let example_tests = if tested {
        quote! {
        /// Support for the example tests in each operation module.
        #[cfg(test)]
        mod example_tests {
            /// Decodes `example` as `T`, encodes it again, and compares with the example.
            /// Members that are `null` in the example compare equal to absent ones: the models
            /// read `null` as "not set" and do not write unset fields. Numbers compare by value
            /// where JSON has two spellings of one number (`2` in the example of a `number`
            /// field is written back as `2.0`); the model is encoded as text, as on the wire, so
            /// an `f32` is written as its shortest form (`1.1`, not `1.100000023841858`).
            pub(crate) fn assert_round_trip<T>(example: &str)
            where
                T: serde::de::DeserializeOwned + serde::Serialize,
            {
                let decoded: T = serde_json::from_str(example).expect("the example decodes into its model");
                let text = serde_json::to_string(&decoded).expect("the model encodes");
                let encoded: serde_json::Value = serde_json::from_str(&text).expect("the encoding is JSON");
                let original: serde_json::Value = serde_json::from_str(example).expect("the example is JSON");
                // Free-form JSON (`serde_json::Value`) keeps its nulls, so both sides drop them.
                assert_eq!(
                    normalized_numbers(without_nulls(encoded)),
                    normalized_numbers(without_nulls(original))
                );
            }

            /// Whole numbers written as floats (`2.0`) as integers (`2`), and other floats to
            /// an `f32`'s precision: a `format: float` field holds `0.44977834820747375` as
            /// `0.44977835`.
            fn normalized_numbers(value: serde_json::Value) -> serde_json::Value {
                match value {
                    serde_json::Value::Number(number) => match number.as_f64() {
                        Some(float) if number.is_f64() && float.fract() == 0.0 && float.abs() < 9_007_199_254_740_992.0 => {
                            serde_json::Value::from(float as i64)
                        }
                        Some(float) if number.is_f64() => serde_json::Value::from(float as f32 as f64),
                        _ => serde_json::Value::Number(number),
                    },
                    serde_json::Value::Object(members) => members
                        .into_iter()
                        .map(|(key, member)| (key, normalized_numbers(member)))
                        .collect(),
                    serde_json::Value::Array(items) => items.into_iter().map(normalized_numbers).collect(),
                    other => other,
                }
            }

            fn without_nulls(value: serde_json::Value) -> serde_json::Value {
                match value {
                    serde_json::Value::Object(members) => members
                        .into_iter()
                        .filter(|(_, member)| !member.is_null())
                        .map(|(key, member)| (key, without_nulls(member)))
                        .collect(),
                    serde_json::Value::Array(items) => items.into_iter().map(without_nulls).collect(),
                    other => other,
                }
            }
        }
        }
    } else {
        quote!()
    };
    let items = quote! {

        use hwcloud_runtime as rt;
        pub use hwcloud_runtime as runtime;

        #models
        #(#modules)*

        pub(crate) static SERVICE: rt::ServiceSpec = rt::ServiceSpec {
            id: #id,
            endpoint: #endpoint,
        };

        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        pub struct #client_type {
            client: rt::Client,
        }

        impl #client_type {
            /// The operations of this service through `client`.
            pub fn new(client: rt::Client) -> Self {
                Self { client }
            }

            /// The runtime client underneath.
            pub fn runtime(&self) -> &rt::Client {
                &self.client
            }
        }

        /// A request value's `send` takes anything that holds a runtime client.
        impl AsRef<rt::Client> for #client_type {
            fn as_ref(&self) -> &rt::Client {
                &self.client
            }
        }

        #example_tests
    };
    (doc, SERVICE_ATTRIBUTES, items)
}

/// The shared models' inner docs (Markdown paragraphs) and items.
pub fn models_rs(service: &Service) -> super::RustFile {
    let doc = vec![format!(
        "Types shared by the {} operations: the `schemas` of `{}`, and the types that several \
         operations define identically (each of those operation modules imports them).",
        docs::escape(&service.title),
        service.spec_file
    )];
    let types = service.shared_types.iter().map(type_def);
    (doc, &[], quote!(#(#types)*))
}
