//! One operation's module: its description, request, builder, response and local types.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::types::{argument, ident, type_def, type_tokens};
use crate::ir::{
    BodyKind, ErrorBodies, MultipartBody, Operation, Param, PartKind, RequestBody, Service,
    Success, TypeRef, ValueKind, VariantBody,
};
use crate::ir::{Paging, PagingParam};
use crate::spec::model::{Location, Method, PaginationStyle, ParameterSource, ResponseEncoding};

/// The module's inner docs (Markdown paragraphs) and items.
pub fn operation_module(service: &Service, op: &Operation, krate: &str) -> super::RustFile {
    let example = super::example::call_example(service, op, krate);
    let module_doc = module_doc(service, op, &example);
    let operation_static = operation_static(op);
    let request = request_struct(op);
    let builder = builder(service, op, &example);
    let aliases = aliases(op);
    let response_types = response_types(op);
    let multipart = match op.body.as_ref().map(|b| &b.kind) {
        Some(BodyKind::Multipart(body)) => multipart_struct(body),
        _ => quote!(),
    };
    let types = op.local_types.iter().map(type_def);
    let imported = op.imported_types.iter().map(|name| ident(name));
    let imports = if op.imported_types.is_empty() {
        quote!()
    } else {
        quote!(pub use crate::models::{#(#imported),*};)
    };
    let tests = example_tests(op);
    let items = quote! {
        use hwcloud_runtime as rt;
        #imports

        #operation_static
        #request
        #builder
        #aliases
        #response_types
        #multipart
        #(#types)*
        #tests
    };
    (module_doc, &[], items)
}

fn module_doc(service: &Service, op: &Operation, example: &[String]) -> Vec<String> {
    let mut doc = vec![format!("# {}", docs::escape(&op.title))];
    doc.extend(
        crate::ir::paragraphs(Some(&op.description))
            .iter()
            .map(|p| docs::escape(p)),
    );
    doc.push(match &op.host {
        Some(host) => format!(
            "`{} {}` on its own host (`{host}`), not the {} endpoint.",
            op.http_method.as_str(),
            op.path,
            docs::escape(&service.title),
        ),
        None => format!(
            "`{} {}` on the {} endpoint (`{}`).",
            op.http_method.as_str(),
            op.path,
            docs::escape(&service.title),
            service.endpoint
        ),
    });
    doc.push(format!(
        "Call it with [`{}::{}`](crate::{}::{}).",
        service.client_type,
        crate::names::bare(&op.method_fn),
        service.client_type,
        crate::names::bare(&op.method_fn)
    ));
    doc.push("## Example".to_owned());
    doc.extend(example.iter().cloned());
    if let Some(paging) = &op.pagination {
        doc.push("## Pagination".to_owned());
        let how = paging_text(paging);
        doc.push(format!(
            "[`{}::into_paginator`] streams the pages ({how}); `.items()` streams the items.",
            op.builder_type
        ));
    }
    if let Some(constraints) = &op.constraints {
        doc.push("## Constraints".to_owned());
        doc.extend(
            crate::ir::paragraphs(Some(constraints))
                .iter()
                .map(|p| docs::escape(p)),
        );
    }
    if !op.authorization.is_empty() {
        doc.push("## IAM actions".to_owned());
        doc.push("| Action | Access level | Resource types | Condition keys | Alias | Dependencies |\n|---|---|---|---|---|---|".to_owned());
        let rows: Vec<String> = op
            .authorization
            .iter()
            .map(|action| {
                let cell = |items: &[String]| {
                    if items.is_empty() {
                        "-".to_owned()
                    } else {
                        items
                            .iter()
                            .map(|i| docs::escape(i))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                };
                format!(
                    "| `{}` | {} | {} | {} | {} | {} |",
                    action.action,
                    docs::escape(action.access_level.as_deref().unwrap_or("-")),
                    cell(&action.resource_types).replace('*', "\\*"),
                    cell(&action.condition_keys),
                    action
                        .alias
                        .as_deref()
                        .map(|a| format!("`{a}`"))
                        .unwrap_or_else(|| "-".to_owned()),
                    cell(&action.dependencies),
                )
            })
            .collect();
        if let Some(last) = doc.last_mut() {
            for row in rows {
                last.push('\n');
                last.push_str(&row);
            }
        }
    }
    if !op.implicit_params.is_empty() {
        doc.push("## Supplied by the client".to_owned());
        for param in &op.implicit_params {
            let how = match param.source {
                ParameterSource::Config => "the configured project ID",
                ParameterSource::Auth => {
                    "the client's credentials (an IAM token, or an AK/SK signature instead)"
                }
            };
            doc.push(format!(
                "- `{}` ({}): {}",
                param.wire_name,
                location_word(param.location),
                how
            ));
        }
    }
    if let Some(body) = &op.body {
        let encoding = match &body.kind {
            BodyKind::Json(_) => None,
            BodyKind::Form(_) => Some("a form (`application/x-www-form-urlencoded`)"),
            BodyKind::Multipart(_) => Some("`multipart/form-data`"),
            BodyKind::Binary => Some("raw bytes"),
            BodyKind::Text => Some("text"),
        };
        if let Some(encoding) = encoding {
            let content_type = match &body.content_type {
                Some(content_type) => format!(" (`Content-Type: {content_type}`)"),
                None => String::new(),
            };
            doc.push(format!("The request body is {encoding}{content_type}."));
        }
    }
    doc.push("## Responses".to_owned());
    for response in &op.responses {
        let mut body = match (response.encoding, &response.ty) {
            (ResponseEncoding::Binary, _) => " (binary body)".to_owned(),
            (ResponseEncoding::Text, _) => " (text body)".to_owned(),
            (ResponseEncoding::Json, Some(ty)) => format!(" (body: {})", type_link(ty)),
            (ResponseEncoding::Json, None) => String::new(),
        };
        if !response.headers.is_empty() {
            let names: Vec<String> = response.headers.iter().map(|h| format!("`{h}`")).collect();
            body.push_str(&format!(" (headers: {})", names.join(", ")));
        }
        let description = match response.description.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => format!(": {}", docs::escape(text)),
            _ => String::new(),
        };
        let status = if response.status == "default" {
            "`default` (any other status)".to_owned()
        } else {
            format!("`{}`", response.status)
        };
        doc.push(format!("- {status}{description}{body}"));
    }
    doc.push(errors_doc(op));
    for response in &op.responses {
        if let Some(example) = &response.example {
            doc.push(format!("## Example response ({})", response.status));
            doc.push(format!("```text\n{}\n```", example.trim_end()));
            if let Some(note) = &response.example_note {
                doc.push(format!(
                    "Note: this example contradicts its schema: {}",
                    docs::escape(note)
                ));
            }
        }
    }
    // A body example is a test; one that contradicts its schema is not, so it is shown here.
    if let Some(body) = &op.body {
        if let (Some(example), Some(note)) = (&body.example, &body.example_note) {
            doc.push("## Example request body".to_owned());
            doc.push(format!("```text\n{}\n```", example.trim_end()));
            doc.push(format!(
                "Note: this example contradicts its schema: {}",
                docs::escape(note)
            ));
        }
    }
    if let Some(example) = &op.request_example {
        doc.push("## Example request".to_owned());
        doc.push(format!("```text\n{}\n```", example.trim_end()));
    }
    // Notes are for the spec's reviewers (how the page was transcribed): folded away.
    if !op.notes.is_empty() {
        doc.push("<details><summary>Transcription notes</summary>".to_owned());
        doc.push(
            op.notes
                .iter()
                .map(|note| format!("- {}", docs::escape(note)))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        doc.push("</details>".to_owned());
    }
    let source = &op.source;
    let mut origin = match (&source.document, &source.definition) {
        (Some(document), _) => format!("Transcribed from `{document}`"),
        (None, Some(definition)) => {
            format!("Imported from the API Explorer definition `{definition}`")
        }
        (None, None) => "Written by hand".to_owned(),
    };
    if let Some(updated) = &source.updated {
        origin.push_str(&format!(", updated on {}", docs::escape(updated)));
    }
    origin.push_str(&format!("; spec `{}`.", op.spec_file));
    doc.push(origin);
    doc
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    }
}

fn type_text(ty: &TypeRef) -> String {
    ty.text("models::")
}

/// A type for docs, linked to its page when it has one of its own.
fn type_link(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Local(name) => format!("[`{name}`]"),
        TypeRef::Shared(name) => format!("[`models::{name}`](crate::models::{name})"),
        TypeRef::Boxed(inner) => type_link(inner),
        TypeRef::Vec(inner) if matches!(**inner, TypeRef::Local(_) | TypeRef::Shared(_)) => {
            format!("array of {}", type_link(inner))
        }
        other => format!("`{}`", type_text(other)),
    }
}

/// What the call fails with, linked: the error type and the typed bodies of error statuses.
fn errors_doc(op: &Operation) -> String {
    let body = match &op.errors {
        ErrorBodies::Single(ty) => format!(
            " A documented error status carries its body, {}, in [`ServiceError::typed`](hwcloud_runtime::ServiceError::typed).",
            type_link(ty)
        ),
        ErrorBodies::ByStatus(_) => format!(
            " A documented error status carries its body, [`{}`] (by status), in [`ServiceError::typed`](hwcloud_runtime::ServiceError::typed).",
            op.error_body_type
        ),
        ErrorBodies::None => String::new(),
    };
    format!(
        "## Errors\n\nFails with [`{}`], a [`hwcloud_runtime::Error`]: a [`ServiceError`](hwcloud_runtime::ServiceError) \
         for an error status (with `status`, `error_code`, `error_msg` and `request_id`), or a transport, \
         timeout, decoding or input error.{body}",
        op.error_type
    )
}

fn operation_static(op: &Operation) -> TokenStream {
    let name = &op.name;
    let method = match op.http_method {
        Method::Get => quote!(Get),
        Method::Post => quote!(Post),
        Method::Put => quote!(Put),
        Method::Patch => quote!(Patch),
        Method::Delete => quote!(Delete),
        Method::Head => quote!(Head),
        Method::Options => quote!(Options),
    };
    let path = &op.path;
    let retry_safe = op.retry_safe;
    let success = Literal::u16_unsuffixed(op.success_status);
    let errors = op
        .error_statuses
        .iter()
        .map(|s| Literal::u16_unsuffixed(*s));
    let project_id_length = match op.project_id_length {
        Some((min, max)) => {
            let (min, max) = (
                Literal::usize_unsuffixed(min as usize),
                Literal::usize_unsuffixed(max as usize),
            );
            quote!(Some((#min, #max)))
        }
        None => quote!(None),
    };
    let host = match &op.host {
        Some(host) => quote!(Some(#host)),
        None => quote!(None),
    };
    let default_error = op.default_error;
    // The mock client's default answer: the success example, unless it contradicts its schema
    // (it would not decode). Only with `test-util`, so that no one else compiles the text.
    let example = op
        .responses
        .iter()
        .find(|r| r.status == op.success_status.to_string() && r.example_note.is_none())
        .and_then(|r| r.example.as_deref())
        .filter(|_| matches!(op.success, Success::Json(_) | Success::ByStatus(_)));
    // An operation without a success body answers with none.
    let example = match op.success {
        Success::Empty => Some(""),
        _ => example,
    };
    let example_response = match example {
        Some(example) => {
            let example = super::literals::raw_string(example);
            quote! {
                #[cfg(feature = "test-util")]
                example_response: Some(#example),
                #[cfg(not(feature = "test-util"))]
                example_response: None,
            }
        }
        None => quote!(example_response: None,),
    };
    let redirects = op
        .success_statuses
        .iter()
        .filter(|s| (300..400).contains(*s))
        .map(|s| Literal::u16_unsuffixed(*s));
    quote! {
        static OPERATION: rt::OperationSpec = rt::OperationSpec {
            name: #name,
            service: &crate::SERVICE,
            host: #host,
            method: rt::Method::#method,
            path: #path,
            retry_safe: #retry_safe,
            success_status: #success,
            redirect_success: &[#(#redirects),*],
            error_statuses: &[#(#errors),*],
            default_error: #default_error,
            project_id_length: #project_id_length,
            #example_response
        };
    }
}

/// The stored type of a parameter: optional ones are `Option`, arrays are a (possibly empty) `Vec`.
fn param_storage(param: &Param) -> TokenStream {
    let ty = type_tokens(&param.ty);
    if param.required || matches!(param.ty, TypeRef::Vec(_)) {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn is_array(param: &Param) -> bool {
    matches!(param.ty, TypeRef::Vec(_))
}

fn request_struct(op: &Operation) -> TokenStream {
    let name = ident(&op.request_type);
    let doc = format!(
        " The parameters of {}: required ones are arguments of `new`, optional ones setters.",
        op.name
    );
    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    let any_required = op.params.iter().any(|p| p.required) || body_required;
    let default = if any_required {
        quote!()
    } else {
        quote!(Default,)
    };

    let mut fields = Vec::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for param in &op.params {
        let field = ident(&param.rust_name);
        let doc = docs::outer(&param_doc(param));
        let storage = param_storage(param);
        fields.push(quote!(#doc pub #field: #storage,));
        if param.required {
            let (ty, value) = argument(&param.ty, &field);
            params.push(quote!(#field: #ty));
            inits.push(if field == value.to_string() {
                quote!(#field)
            } else {
                quote!(#field: #value)
            });
        } else {
            let (ty, value) = argument(&param.ty, &field);
            if is_array(param) {
                inits.push(quote!(#field: Vec::new()));
                setters.push(setter(&field, &param.wire_name, ty, quote!(#value)));
            } else {
                inits.push(quote!(#field: None));
                setters.push(setter(&field, &param.wire_name, ty, quote!(Some(#value))));
            }
        }
    }
    if let Some(body) = &op.body {
        let (storage, arg, value) = body_types(body);
        let doc = docs::outer(&body.doc);
        if body.required {
            fields.push(quote!(#doc pub body: #storage,));
            params.push(quote!(body: #arg));
            inits.push(if value.to_string() == "body" {
                quote!(body)
            } else {
                quote!(body: #value)
            });
        } else {
            fields.push(quote!(#doc pub body: Option<#storage>,));
            inits.push(quote!(body: None));
            setters.push(setter(
                &format_ident!("body"),
                "the request body",
                arg,
                quote!(Some(#value)),
            ));
        }
    }
    let allow_many = if params.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let into_request = into_request(op);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// A request with its required parameters.
            #allow_many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*

            #into_request
        }
    }
}

/// The stored type of a request body, the argument type its constructor or setter takes,
/// and the expression that turns the argument `body` into the stored value.
fn body_types(body: &RequestBody) -> (TokenStream, TokenStream, TokenStream) {
    match &body.kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => {
            let ty = type_tokens(ty);
            (ty.clone(), ty, quote!(body))
        }
        BodyKind::Multipart(multipart) => {
            let ty = ident(&multipart.type_name);
            (quote!(#ty), quote!(#ty), quote!(body))
        }
        BodyKind::Binary => (
            quote!(Vec<u8>),
            quote!(impl Into<Vec<u8>>),
            quote!(body.into()),
        ),
        BodyKind::Text => (
            quote!(String),
            quote!(impl Into<String>),
            quote!(body.into()),
        ),
    }
}

fn setter(
    field: &proc_macro2::Ident,
    wire: &str,
    ty: TokenStream,
    value: TokenStream,
) -> TokenStream {
    let doc = format!(" Sets `{wire}`.");
    quote! {
        #[doc = #doc]
        pub fn #field(mut self, #field: #ty) -> Self {
            self.#field = #value;
            self
        }
    }
}

fn param_doc(param: &Param) -> Vec<String> {
    let mut doc = param.doc.clone();
    doc.insert(
        0,
        format!(
            "`{}` ({}{}).",
            param.wire_name,
            location_word(param.location),
            if param.required { ", required" } else { "" }
        ),
    );
    doc
}

fn into_request(op: &Operation) -> TokenStream {
    let mut steps = Vec::new();
    for param in &op.params {
        let field = ident(&param.rust_name);
        let wire = &param.wire_name;
        let checks = range_checks(param);
        let add = match param.location {
            Location::Path => quote!(request.path_param(#wire, value);),
            Location::Query => quote!(request.query(#wire, value);),
            Location::Header => quote!(request.header(#wire, value);),
        };
        let step = if is_array(param) {
            let items = items_check(param);
            quote! {
                #items
                for value in &self.#field {
                    #checks
                    #add
                }
            }
        } else if param.required {
            quote! {
                let value = &self.#field;
                #checks
                #add
            }
        } else {
            quote! {
                if let Some(value) = &self.#field {
                    #checks
                    #add
                }
            }
        };
        steps.push(step);
    }
    if let Some(body) = &op.body {
        // The body goes last: binary and text bodies are moved out of `self`.
        let (required, optional) = match &body.kind {
            BodyKind::Json(_) => (
                quote!(request.json_body(&self.body);),
                quote!(if let Some(body) = &self.body {
                    request.json_body(body);
                }),
            ),
            BodyKind::Form(_) => (
                quote!(request.form_body(&self.body);),
                quote!(if let Some(body) = &self.body {
                    request.form_body(body);
                }),
            ),
            BodyKind::Multipart(_) => (
                quote!(request.multipart_body(self.body.to_multipart());),
                quote!(if let Some(body) = &self.body {
                    request.multipart_body(body.to_multipart());
                }),
            ),
            BodyKind::Binary => (
                quote!(request.binary_body(self.body);),
                quote!(if let Some(body) = self.body {
                    request.binary_body(body);
                }),
            ),
            BodyKind::Text => (
                quote!(request.text_body(self.body);),
                quote!(if let Some(body) = self.body {
                    request.text_body(body);
                }),
            ),
        };
        steps.push(if body.required { required } else { optional });
        if let Some(content_type) = &body.content_type {
            steps.push(quote!(request.content_type(#content_type);));
        }
    }
    let body = if steps.is_empty() {
        quote!(rt::Request::new(&OPERATION))
    } else {
        quote! {
            let mut request = rt::Request::new(&OPERATION);
            #(#steps)*
            request
        }
    };
    quote! {
        /// The runtime request: parameters placed, documented ranges checked.
        fn into_request(self) -> rt::Request {
            #body
        }
    }
}

/// Code that records an invalid-input error when an array parameter has fewer or more items
/// than documented. An optional array left empty is not sent, so it is not checked.
fn items_check(param: &Param) -> TokenStream {
    if param.min_items.is_none() && param.max_items.is_none() {
        return TokenStream::new();
    }
    let field = ident(&param.rust_name);
    let wire = &param.wire_name;
    let min = Literal::usize_unsuffixed(param.min_items.unwrap_or(0) as usize);
    let max = match param.max_items {
        Some(max) => {
            let max = Literal::usize_unsuffixed(max as usize);
            quote!(#max)
        }
        None => quote!(usize::MAX),
    };
    let message = format!(
        "`{wire}` must have {} items, got {{}}",
        length_words(param.min_items, param.max_items)
    );
    let outside = quote!(!(#min..=#max).contains(&count));
    let condition = if param.required {
        outside
    } else {
        quote!(count > 0 && #outside)
    };
    quote! {
        let count = self.#field.len();
        if #condition {
            request.invalid_input(format!(#message, count));
        }
    }
}

/// Code that records an invalid-input error when `value` is outside the documented range.
/// `ir` sets lengths only on strings and string enums and ranges only on numbers and number
/// enums, so each check applies to a value that has the property.
fn range_checks(param: &Param) -> TokenStream {
    let wire = &param.wire_name;
    let mut checks = TokenStream::new();
    let value_type = match &param.ty {
        TypeRef::Vec(item) => item.as_ref(),
        other => other,
    };
    let string = matches!(param.value_kind, ValueKind::String | ValueKind::StringEnum);
    if string && (param.min_length.is_some() || param.max_length.is_some()) {
        let text = if param.value_kind == ValueKind::StringEnum {
            quote!(value.as_str())
        } else {
            quote!(value)
        };
        let min = Literal::usize_unsuffixed(param.min_length.unwrap_or(0) as usize);
        let max = match param.max_length {
            Some(max) => {
                let max = Literal::usize_unsuffixed(max as usize);
                quote!(#max)
            }
            None => quote!(usize::MAX),
        };
        let message = format!(
            "`{wire}` must be {} characters long, got {{}}",
            length_words(param.min_length, param.max_length)
        );
        checks.extend(quote! {
            let length = #text.chars().count();
            if !(#min..=#max).contains(&length) {
                request.invalid_input(format!(#message, length));
            }
        });
    }
    let numeric = match param.value_kind {
        ValueKind::Integer => matches!(value_type, TypeRef::I32 | TypeRef::I64),
        ValueKind::Number => matches!(value_type, TypeRef::F32 | TypeRef::F64),
        ValueKind::IntegerEnum { .. } | ValueKind::NumberEnum => true,
        _ => false,
    };
    if numeric && (param.minimum.is_some() || param.maximum.is_some()) {
        let float = matches!(param.value_kind, ValueKind::Number | ValueKind::NumberEnum);
        let (as_i64, min, max) = if float {
            let widened = match (param.value_kind, value_type) {
                (ValueKind::NumberEnum, _) => quote!(value.value()),
                (_, TypeRef::F32) => quote!(f64::from(*value)),
                _ => quote!(*value),
            };
            (
                widened,
                param.minimum.map(|m| Literal::f64_suffixed(m as f64)),
                param.maximum.map(|m| Literal::f64_suffixed(m as f64)),
            )
        } else {
            let widened = match (param.value_kind, value_type) {
                (ValueKind::IntegerEnum { wide: true }, _) => quote!(value.value()),
                (ValueKind::IntegerEnum { wide: false }, _) => quote!(i64::from(value.value())),
                (_, TypeRef::I32) => quote!(i64::from(*value)),
                _ => quote!(*value),
            };
            (
                widened,
                param.minimum.map(Literal::i64_suffixed),
                param.maximum.map(Literal::i64_suffixed),
            )
        };
        let condition = match (min, max) {
            (Some(min), Some(max)) => quote!(!(#min..=#max).contains(&number)),
            (Some(min), None) => quote!(number < #min),
            (None, Some(max)) => quote!(number > #max),
            (None, None) => quote!(false),
        };
        let message = format!(
            "`{wire}` must be {}, got {{}}",
            range_words(param.minimum, param.maximum)
        );
        checks.extend(quote! {
            let number = #as_i64;
            if #condition {
                request.invalid_input(format!(#message, value));
            }
        });
    }
    checks
}

fn length_words(min: Option<u64>, max: Option<u64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "any number of".into(),
    }
}

fn range_words(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "any value".into(),
    }
}

/// The type of `Output::body`.
fn success_type(op: &Operation) -> TokenStream {
    match (&op.success, &op.success_body) {
        (Success::Stream, _) => quote!(rt::ByteStream),
        (_, Some(_)) => {
            let name = ident(&op.response_type);
            quote!(#name)
        }
        (_, None) => quote!(()),
    }
}

fn error_body_type(op: &Operation) -> TokenStream {
    match &op.errors {
        ErrorBodies::Single(ty) => type_tokens(ty),
        ErrorBodies::ByStatus(_) => {
            let name = ident(&op.error_body_type);
            quote!(#name)
        }
        ErrorBodies::None => quote!(rt::NoErrorBody),
    }
}

/// The type of `Output::headers`: `()` unless headers are documented.
fn headers_type(op: &Operation) -> TokenStream {
    if op.response_headers.is_empty() {
        quote!(())
    } else {
        let name = ident(&op.headers_type);
        quote!(#name)
    }
}

/// The `Output` a call returns.
fn output_type(op: &Operation) -> TokenStream {
    let success = success_type(op);
    if op.response_headers.is_empty() {
        quote!(rt::Output<#success>)
    } else {
        let headers = headers_type(op);
        quote!(rt::Output<#success, #headers>)
    }
}

/// The runtime function (with its type arguments) that sends the request and decodes the
/// response: one generic function per kind of success, so an operation adds no future type of
/// its own for the compiler to check.
fn send_call(op: &Operation) -> TokenStream {
    let error_body = error_body_type(op);
    let headers = headers_type(op);
    let response = ident(&op.response_type);
    let decode = match &op.success {
        Success::Empty => quote!(rt::decode::Empty),
        Success::Json(_) => quote!(rt::decode::Json<#response>),
        Success::Text => quote!(rt::decode::Text),
        Success::ByStatus(_) => quote!(#response),
        Success::Stream => return quote!(rt::codegen::download::<#headers, #error_body>),
    };
    quote!(rt::codegen::send::<#decode, #headers, #error_body>)
}

/// How the paging of `paging` reads, for docs.
fn paging_text(paging: &Paging) -> String {
    let size = match &paging.size {
        Some(size) => format!(", `{}` items a page", size.wire_name),
        None => String::new(),
    };
    let how = match paging.style {
        PaginationStyle::Offset => format!("`{}` counting items{size}", paging.cursor.wire_name),
        PaginationStyle::Page => format!(
            "`{}` counting pages from {}{size}",
            paging.cursor.wire_name, paging.first_page
        ),
        _ => format!(
            "`{}`, the next one read from `{}`{size}",
            paging.cursor.wire_name,
            paging.next_marker.join(".")
        ),
    };
    format!("the items in `{}`, paged by {how}", paging.items.1)
}

/// `into_paginator` on the builder, and the builder's `Paginated` impl.
fn paginator(op: &Operation, paging: &Paging) -> (TokenStream, TokenStream) {
    let builder = ident(&op.builder_type);
    let error = ident(&op.error_type);
    let output = output_type(op);
    let items = ident(&paging.items.0);
    let item = type_tokens(&paging.items.2);
    let cursor = ident(&paging.cursor.rust_name);
    // What the request holds now (as `Option<i64>` or `Option<&str>`), and how to store a value.
    let read = |param: &PagingParam, text: bool| {
        let name = ident(&param.rust_name);
        let wide = param.ty == TypeRef::I64;
        match (param.required, text) {
            (true, false) if wide => quote!(Some(self.request.#name)),
            (false, false) if wide => quote!(self.request.#name),
            (true, false) => quote!(Some(i64::from(self.request.#name))),
            (false, false) => quote!(self.request.#name.map(i64::from)),
            (true, true) => quote!(Some(self.request.#name.as_str())),
            (false, true) => quote!(self.request.#name.as_deref()),
        }
    };
    let store = |value: TokenStream| {
        if paging.cursor.required {
            quote!(next.request.#cursor = #value;)
        } else {
            quote!(next.request.#cursor = Some(#value);)
        }
    };
    let size = match &paging.size {
        Some(size) => read(size, false),
        None => quote!(None),
    };
    let next = match paging.style {
        PaginationStyle::Offset | PaginationStyle::Page => {
            let current = read(&paging.cursor, false);
            let compute = if paging.style == PaginationStyle::Offset {
                quote!(rt::paginate::next_offset(#current, #size, count)?)
            } else {
                let first = Literal::i64_unsuffixed(paging.first_page);
                quote!(rt::paginate::next_page(#current, #first, #size, count)?)
            };
            let set = if paging.cursor.ty == TypeRef::I64 {
                store(quote!(value))
            } else {
                store(quote!(::std::convert::TryFrom::try_from(value).ok()?))
            };
            quote! {
                let value = #compute;
                let mut next = self.clone();
                #set
                Some(next)
            }
        }
        _ => {
            let current = read(&paging.cursor, true);
            let mut path = paging.next_marker.iter().map(|name| ident(name));
            let first = path.next();
            let mut marker = quote!(page.body.#first.as_ref());
            for name in path {
                marker = quote!(#marker.and_then(|value| value.#name.as_ref()));
            }
            let set = store(quote!(value));
            quote! {
                let value = rt::paginate::next_marker(
                    #current,
                    #marker.map(|marker| marker.as_str()),
                    count,
                )?;
                let mut next = self.clone();
                #set
                Some(next)
            }
        }
    };
    let doc = format!(
        " The pages of this call, as a `Stream` of results ([`Paginator`](rt::paginate::Paginator)); \
         [`items`](rt::paginate::Paginator::items) streams the items one by one. Follows {}; \
         stops at an empty or short page, and after an error.",
        paging_text(paging)
    );
    let method = quote! {
        #[doc = #doc]
        pub fn into_paginator(self) -> rt::paginate::Paginator<Self> {
            rt::paginate::Paginator::new(self)
        }
    };
    let paginated = quote! {
        impl rt::paginate::Paginated for #builder {
            type Output = #output;
            type Item = #item;
            type Error = #error;
            fn fetch(self) -> rt::paginate::PageFuture<Self::Output, Self::Error> {
                ::std::boxed::Box::pin(self.send())
            }
            fn next_page(&self, page: &Self::Output) -> Option<Self> {
                let count = page.body.#items.as_ref().map_or(0, ::std::vec::Vec::len);
                #next
            }
            fn items(page: Self::Output) -> ::std::vec::Vec<Self::Item> {
                page.body.#items.unwrap_or_default()
            }
        }
    };
    (method, paginated)
}

/// The documented success statuses, for docs: `200`, or `200`/`202`.
fn success_statuses_text(op: &Operation) -> String {
    let statuses: Vec<String> = op
        .success_statuses
        .iter()
        .map(|s| format!("`{s}`"))
        .collect();
    statuses.join("/")
}

fn builder(service: &Service, op: &Operation, example: &[String]) -> TokenStream {
    let builder = ident(&op.builder_type);
    let request = ident(&op.request_type);
    let error = ident(&op.error_type);
    let method_fn = ident(&op.method_fn);
    let client_type = ident(&service.client_type);
    let output = output_type(op);
    let send = send_call(op);

    let mut required_params = Vec::new();
    let mut required_args = Vec::new();
    for param in op.params.iter().filter(|p| p.required) {
        let field = ident(&param.rust_name);
        let (ty, _) = argument(&param.ty, &field);
        required_params.push(quote!(#field: #ty));
        required_args.push(quote!(#field));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let (_, arg, _) = body_types(body);
        required_params.push(quote!(body: #arg));
        required_args.push(quote!(body));
    }
    let allow_many = if required_params.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };

    let mut setters = Vec::new();
    for param in op.params.iter().filter(|p| !p.required) {
        let field = ident(&param.rust_name);
        let (ty, _) = argument(&param.ty, &field);
        let doc = docs::outer(&param_doc(param));
        setters.push(quote! {
            #doc
            pub fn #field(mut self, #field: #ty) -> Self {
                self.request = self.request.#field(#field);
                self
            }
        });
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let (_, ty, _) = body_types(body);
        setters.push(quote! {
            /// Sets the request body.
            pub fn body(mut self, body: #ty) -> Self {
                self.request = self.request.body(body);
                self
            }
        });
    }

    let builder_doc = format!(
        " A ready-to-send {} call; optional parameters are setters, [`Self::send`] sends it. \
         It owns a handle to the client, so the future of `send` can be spawned.",
        op.name
    );
    let method_doc = docs::outer(&{
        let mut doc = vec![op.title.clone()];
        doc.extend(crate::ir::paragraphs(Some(&op.description)));
        doc.push(format!("`{} {}`", op.http_method.as_str(), op.path));
        doc
    });
    // Only what the module's page has: not every operation documents IAM actions.
    let method_doc_tail = format!(
        " See [`{}`](crate::{}) for parameters{}.",
        op.module,
        op.module,
        if op.authorization.is_empty() {
            ", responses and errors"
        } else {
            ", responses, errors and IAM actions"
        }
    );
    let method_example = docs::lines(
        std::iter::once("# Example".to_owned())
            .chain(example.iter().cloned())
            .collect(),
        false,
    );
    let send_doc = match op.success {
        Success::Stream => format!(
            " Sends the request (signed, retried per the client's policy) and returns the {} response as soon as its headers are in; its body is a stream. The future owns everything it uses: it is `Send` and `'static`.",
            success_statuses_text(op)
        ),
        _ => format!(
            " Sends the request (signed, retried per the client's policy) and decodes the {} response. The future owns everything it uses: it is `Send` and `'static`.",
            success_statuses_text(op)
        ),
    };
    let request_send_doc = format!(
        " Sends this request with `client` (the facade's `Client`, a service client, or \
         anything else that holds a runtime client), like [`{}::send`]. The future holds a \
         clone of the client handle: it is `Send` and `'static`.",
        op.builder_type
    );
    let (into_paginator, paginated) = match &op.pagination {
        Some(paging) => paginator(op, paging),
        None => (quote!(), quote!()),
    };
    quote! {
        #paginated

        impl crate::#client_type {
            #method_doc
            #[doc = ""]
            #[doc = #method_doc_tail]
            #[doc = ""]
            #method_example
            #allow_many
            pub fn #method_fn(&self, #(#required_params),*) -> #builder {
                #builder {
                    client: self.client.clone(),
                    request: #request::new(#(#required_args),*),
                }
            }
        }

        impl #request {
            #[doc = #request_send_doc]
            pub fn send(self, client: &impl AsRef<rt::Client>) -> impl ::std::future::Future<Output = Result<#output, #error>> {
                #send(client.as_ref().clone(), self.into_request())
            }
        }

        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            client: rt::Client,
            request: #request,
        }

        impl #builder {
            #(#setters)*

            /// The request as built so far.
            pub fn request(&self) -> &#request {
                &self.request
            }

            #[doc = #send_doc]
            pub fn send(self) -> impl ::std::future::Future<Output = Result<#output, #error>> {
                #send(self.client, self.request.into_request())
            }
            #into_paginator

            /// Sends the request like [`Self::send`] and waits for the result, without async: for
            /// scripts and synchronous programs. Inside an async runtime it returns
            /// [`Error::InvalidInput`](hwcloud_runtime::Error::InvalidInput) rather than block it.
            #[cfg(feature = "blocking")]
            #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
            pub fn send_blocking(self) -> Result<#output, #error> {
                rt::blocking::block_on(self.send())
            }
        }
    }
}

fn aliases(op: &Operation) -> TokenStream {
    let error = ident(&op.error_type);
    let error_body = error_body_type(op);
    let error_doc = format!(
        " What {} can fail with; documented error statuses carry their decoded body.",
        op.name
    );
    let mut tokens = quote! {
        #[doc = #error_doc]
        pub type #error = rt::Error<#error_body>;
    };
    // A success body that is not an inline object gets the conventional `<Op>Response` name too.
    if let Some(ty) = &op.success_body {
        let is_own_struct = matches!(ty, TypeRef::Local(name) if *name == op.response_type);
        if !is_own_struct {
            let name = ident(&op.response_type);
            let target = type_tokens(ty);
            let doc = format!(
                " The body of a successful ({}) {} response{}.",
                op.success_statuses
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                op.name,
                if matches!(op.success, Success::Text) {
                    " (text)"
                } else {
                    ""
                }
            );
            tokens.extend(quote! {
                #[doc = #doc]
                pub type #name = #target;
            });
        }
    }
    tokens
}

/// A doc comment for a variant: its status and the response's description.
fn status_doc(status: &str, description: Option<&str>, tail: &str) -> TokenStream {
    let text = match description.map(str::trim).filter(|d| !d.is_empty()) {
        Some(description) => format!("{status}: {}{tail}", docs::escape(description)),
        None => format!("{status}{tail}"),
    };
    docs::outer(&[text])
}

/// The enums over statuses (success bodies, error bodies) and the response headers struct.
fn response_types(op: &Operation) -> TokenStream {
    let mut tokens = TokenStream::new();
    let name = &op.name;
    if let Success::ByStatus(variants) = &op.success {
        let enum_name = ident(&op.response_type);
        let doc = format!(
            " The body of a successful {name} response: one variant per documented status \
             ({}), decoded by the status the service answers with.",
            success_statuses_text(op)
        );
        let mut items = Vec::new();
        let mut arms = Vec::new();
        for variant in variants {
            let variant_name = format_ident!("Status{}", variant.status);
            let status = Literal::u16_unsuffixed(variant.status);
            let label = format!("`{}`", variant.status);
            let description = variant.description.as_deref();
            match &variant.body {
                Some(VariantBody::Json(ty)) => {
                    let doc = status_doc(&label, description, "");
                    let ty = type_tokens(ty);
                    items.push(quote!(#doc #variant_name(#ty),));
                    arms.push(quote!(#status => rt::decode::json(body).map(Self::#variant_name),));
                }
                Some(VariantBody::Text) => {
                    let doc = status_doc(&label, description, " (text)");
                    items.push(quote!(#doc #variant_name(String),));
                    arms.push(quote!(#status => rt::decode::text(body).map(Self::#variant_name),));
                }
                None => {
                    let doc = status_doc(&label, description, " (no body)");
                    items.push(quote!(#doc #variant_name,));
                    arms.push(quote!(#status => Ok(Self::#variant_name),));
                }
            }
        }
        let message = format!("status {{status}} is not a documented success status of {name}");
        tokens.extend(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            pub enum #enum_name {
                #(#items)*
            }

            impl rt::Decode for #enum_name {
                type Output = Self;

                fn decode(status: u16, body: &[u8]) -> Result<Self, String> {
                    match status {
                        #(#arms)*
                        status => Err(format!(#message)),
                    }
                }
            }
        });
    }
    if let ErrorBodies::ByStatus(variants) = &op.errors {
        let enum_name = ident(&op.error_body_type);
        let doc = format!(
            " The body of a {name} error response: one variant per documented error status, \
             decoded by the status the service answers with (the `typed` body of its service \
             error)."
        );
        let mut items = Vec::new();
        let mut arms = Vec::new();
        let mut has_default = false;
        for variant in variants {
            let ty = type_tokens(&variant.ty);
            let description = variant.description.as_deref();
            match variant.status {
                Some(code) => {
                    let variant_name = format_ident!("Status{}", code);
                    let status = Literal::u16_unsuffixed(code);
                    let doc = status_doc(&format!("`{code}`"), description, "");
                    items.push(quote!(#doc #variant_name(#ty),));
                    arms.push(
                        quote!(#status => rt::decode::json(body).ok().map(Self::#variant_name),),
                    );
                }
                None => {
                    has_default = true;
                    let doc = status_doc("Any other status (`default`)", description, "");
                    items.push(quote!(#doc Default(#ty),));
                }
            }
        }
        let fallback = if has_default {
            quote!(_ => rt::decode::json(body).ok().map(Self::Default),)
        } else {
            quote!(_ => None,)
        };
        tokens.extend(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            pub enum #enum_name {
                #(#items)*
            }

            impl rt::DecodeErrorBody for #enum_name {
                fn decode(status: u16, body: &[u8]) -> Option<Self> {
                    match status {
                        #(#arms)*
                        #fallback
                    }
                }
            }
        });
    }
    if !op.response_headers.is_empty() {
        let struct_name = ident(&op.headers_type);
        let struct_text = &op.headers_type;
        let doc = format!(
            " The documented headers of a successful {name} response, decoded (see \
             [`rt::ResponseHeaders`]): absent ones are `None`, lists are comma-separated on the \
             wire, and a value that does not parse as its type fails the call with \
             [`rt::Error::Decode`]."
        );
        let mut fields = Vec::new();
        let mut debug = Vec::new();
        let mut decode = Vec::new();
        for header in &op.response_headers {
            let field = ident(&header.rust_name);
            let bare = crate::names::bare(&header.rust_name);
            let wire = &header.wire_name;
            let mut lines = vec![format!("`{wire}`.")];
            lines.extend(header.doc.iter().map(|d| docs::escape(d)));
            if header.sensitive {
                lines.push("A credential: `Debug` shows `***` instead.".to_owned());
            }
            let field_doc = docs::lines(lines, false);
            let ty = type_tokens(&header.ty);
            fields.push(quote!(#field_doc pub #field: Option<#ty>,));
            debug.push(if header.sensitive {
                quote!(.field(#bare, &self.#field.as_ref().map(|_| "***")))
            } else {
                quote!(.field(#bare, &self.#field))
            });
            decode.push(match &header.ty {
                TypeRef::Vec(_) => quote!(#field: rt::decode::header_list(headers, #wire)?,),
                _ => quote!(#field: rt::decode::header(headers, #wire)?,),
            });
        }
        tokens.extend(quote! {
            #[doc = #doc]
            #[derive(Clone, Default, PartialEq)]
            #[non_exhaustive]
            pub struct #struct_name {
                #(#fields)*
            }

            impl std::fmt::Debug for #struct_name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#struct_text)
                        #(#debug)*
                        .finish()
                }
            }

            impl rt::ResponseHeaders for #struct_name {
                fn decode(headers: &rt::reqwest::header::HeaderMap) -> Result<Self, String> {
                    Ok(Self {
                        #(#decode)*
                    })
                }
            }
        });
    }
    tokens
}

/// The struct of a `multipart/form-data` body: a field per part.
fn multipart_struct(body: &MultipartBody) -> TokenStream {
    let name = ident(&body.type_name);
    let doc = docs::outer(&body.doc);
    let mut fields = Vec::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    let mut parts = Vec::new();
    for part in &body.parts {
        let field = ident(&part.rust_name);
        let wire = &part.wire_name;
        let mut lines = vec![format!(
            "`{wire}` ({}{}).",
            match part.kind {
                PartKind::File => "a file part",
                PartKind::Files => "file parts",
                PartKind::Value(_) => "a text part",
            },
            if part.required { ", required" } else { "" }
        )];
        lines.extend(part.doc.iter().map(|d| docs::escape(d)));
        let field_doc = docs::lines(lines, false);
        let (storage, arg, value) = match &part.kind {
            PartKind::File => (quote!(rt::FilePart), quote!(rt::FilePart), quote!(#field)),
            PartKind::Files => (
                quote!(Vec<rt::FilePart>),
                quote!(Vec<rt::FilePart>),
                quote!(#field),
            ),
            PartKind::Value(ty) => {
                let (arg, value) = argument(ty, &field);
                (type_tokens(ty), arg, value)
            }
        };
        let add = |value: TokenStream| match &part.kind {
            PartKind::File => quote!(form.file(#wire, #value);),
            PartKind::Files => quote! {
                for file in #value {
                    form.file(#wire, file);
                }
            },
            PartKind::Value(_) => quote!(form.value(#wire, #value);),
        };
        if part.required {
            fields.push(quote!(#field_doc pub #field: #storage,));
            params.push(quote!(#field: #arg));
            inits.push(if field == value.to_string() {
                quote!(#field)
            } else {
                quote!(#field: #value)
            });
            parts.push(add(quote!(&self.#field)));
        } else {
            fields.push(quote!(#field_doc pub #field: Option<#storage>,));
            inits.push(quote!(#field: None));
            let setter = format_ident!(
                "with_{}",
                crate::names::bare(&part.rust_name).trim_matches('_')
            );
            let setter_doc = format!(" Sets `{wire}`.");
            setters.push(quote! {
                #[doc = #setter_doc]
                pub fn #setter(mut self, #field: #arg) -> Self {
                    self.#field = Some(#value);
                    self
                }
            });
            let add = add(quote!(value));
            parts.push(quote! {
                if let Some(value) = &self.#field {
                    #add
                }
            });
        }
    }
    let default = if body.parts.iter().any(|p| p.required) {
        quote!()
    } else {
        quote!(Default,)
    };
    let allow_many = if params.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let new_doc = format!(" A `{}` with its required parts.", body.type_name);
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #new_doc]
            #allow_many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*

            /// The parts, in the documented order.
            fn to_multipart(&self) -> rt::Multipart {
                let mut form = rt::Multipart::new();
                #(#parts)*
                form
            }
        }
    }
}

/// Tests, compiled into the generated crate, that each of the page's examples decodes into its
/// model and encodes back to the same JSON.
/// The examples that are tested: (label, type, example). A noted example contradicts its
/// schema (the note says how): it is documented, not tested.
fn tested_examples(op: &Operation) -> Vec<(String, &TypeRef, &str)> {
    let mut examples = Vec::new();
    if let Some(body) = op.body.as_ref().filter(|b| b.example_note.is_none()) {
        if let (BodyKind::Json(ty) | BodyKind::Form(ty), Some(example)) =
            (&body.kind, &body.example)
        {
            examples.push(("request".to_owned(), ty, example.as_str()));
        }
    }
    for response in op.responses.iter().filter(|r| r.example_note.is_none()) {
        if response.encoding != ResponseEncoding::Json {
            continue;
        }
        if let (Some(ty), Some(example)) = (&response.ty, &response.example) {
            examples.push((format!("status_{}", response.status), ty, example.as_str()));
        }
    }
    examples
}

/// Whether the operation's module has example tests.
pub fn has_example_tests(op: &Operation) -> bool {
    !tested_examples(op).is_empty()
}

pub fn example_tests(op: &Operation) -> TokenStream {
    let mut tests = Vec::new();
    for (label, ty, example) in tested_examples(op) {
        let test = format_ident!("example_{}_round_trips", label);
        let ty = type_tokens_in_tests(ty);
        let example = super::literals::raw_string(example);
        let doc = format!(" The page's {label} example decodes and encodes back to the same JSON.");
        tests.push(quote! {
            #[doc = #doc]
            #[test]
            fn #test() {
                crate::example_tests::assert_round_trip::<#ty>(#example);
            }
        });
    }
    if tests.is_empty() {
        return quote!();
    }
    quote! {
        #[cfg(test)]
        mod tests {
            #(#tests)*
        }
    }
}

/// A type as seen from the operation's `tests` submodule.
fn type_tokens_in_tests(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Local(name) => {
            let name = ident(name);
            quote!(super::#name)
        }
        TypeRef::Shared(name) => {
            let name = ident(name);
            quote!(crate::models::#name)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens_in_tests(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens_in_tests(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens_in_tests(inner);
            quote!(Box<#inner>)
        }
        other => type_tokens(other),
    }
}
