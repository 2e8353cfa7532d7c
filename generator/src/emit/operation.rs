//! One operation's module: its description, request, builder, response and local types.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::types::{argument, ident, type_def, type_tokens};
use crate::ir::{Operation, Param, Service, TypeRef};
use crate::spec::model::{Location, Method, ParameterSource};

/// The module's inner docs (Markdown paragraphs) and items.
pub fn operation_module(service: &Service, op: &Operation) -> super::RustFile {
    let module_doc = module_doc(service, op);
    let operation_static = operation_static(op);
    let request = request_struct(op);
    let builder = builder(service, op);
    let aliases = aliases(op);
    let types = op.local_types.iter().map(type_def);
    let tests = example_tests(op);
    let items = quote! {
        use hwcloud_runtime as rt;

        #operation_static
        #request
        #builder
        #aliases
        #(#types)*
        #tests
    };
    (module_doc, &[], items)
}

fn module_doc(service: &Service, op: &Operation) -> Vec<String> {
    let mut doc = vec![format!("# {}", docs::escape(&op.title))];
    doc.extend(
        crate::ir::paragraphs(Some(&op.description))
            .iter()
            .map(|p| docs::escape(p)),
    );
    doc.push(format!(
        "`{} {}` on the {} endpoint (`{}`).",
        op.http_method.as_str(),
        op.path,
        docs::escape(&service.title),
        service.endpoint
    ));
    doc.push(format!(
        "Call it with [`{}::{}`](crate::{}::{}).",
        service.client_type,
        crate::names::bare(&op.method_fn),
        service.client_type,
        crate::names::bare(&op.method_fn)
    ));
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
    doc.push("## Responses".to_owned());
    for response in &op.responses {
        let body = match &response.ty {
            Some(ty) => format!(" (body: `{}`)", type_text(ty)),
            None => String::new(),
        };
        let description = match response.description.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => format!(": {}", docs::escape(text)),
            _ => String::new(),
        };
        doc.push(format!("- `{}`{description}{body}", response.status));
    }
    for response in &op.responses {
        if let Some(example) = &response.example {
            doc.push(format!("## Example response ({})", response.status));
            doc.push(format!("```text\n{}\n```", example.trim_end()));
        }
    }
    if let Some(example) = &op.request_example {
        doc.push("## Example request".to_owned());
        doc.push(format!("```text\n{}\n```", example.trim_end()));
    }
    if !op.notes.is_empty() {
        doc.push("## Notes".to_owned());
        for note in &op.notes {
            doc.push(format!("- {}", docs::escape(note)));
        }
    }
    let source = &op.source;
    let mut origin = format!("Transcribed from `{}`", source.document);
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
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_text(inner)),
        TypeRef::Local(name) => name.clone(),
        TypeRef::Shared(name) => format!("models::{name}"),
    }
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
    quote! {
        static OPERATION: rt::OperationSpec = rt::OperationSpec {
            name: #name,
            service: &crate::SERVICE,
            method: rt::Method::#method,
            path: #path,
            retry_safe: #retry_safe,
            success_status: #success,
            error_statuses: &[#(#errors),*],
            project_id_length: #project_id_length,
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
            inits.push(quote!(#field: #value));
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
        let ty = type_tokens(&body.ty);
        let doc = docs::outer(&body.doc);
        if body.required {
            fields.push(quote!(#doc pub body: #ty,));
            params.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            fields.push(quote!(#doc pub body: Option<#ty>,));
            inits.push(quote!(body: None));
            setters.push(setter(
                &format_ident!("body"),
                "the request body",
                ty,
                quote!(Some(body)),
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
            quote! {
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
        steps.push(if body.required {
            quote!(request.json_body(&self.body);)
        } else {
            quote! {
                if let Some(body) = &self.body {
                    request.json_body(body);
                }
            }
        });
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

/// Code that records an invalid-input error when `value` is outside the documented range.
fn range_checks(param: &Param) -> TokenStream {
    let wire = &param.wire_name;
    let mut checks = TokenStream::new();
    if param.min_length.is_some() || param.max_length.is_some() {
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
            let length = value.chars().count();
            if !(#min..=#max).contains(&length) {
                request.invalid_input(format!(#message, length));
            }
        });
    }
    let numeric = matches!(
        param.ty,
        TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    );
    if numeric && (param.minimum.is_some() || param.maximum.is_some()) {
        let float = matches!(param.ty, TypeRef::F32 | TypeRef::F64);
        let (as_i64, min, max) = if float {
            let widened = if param.ty == TypeRef::F32 {
                quote!(f64::from(*value))
            } else {
                quote!(*value)
            };
            (
                widened,
                param.minimum.map(|m| Literal::f64_suffixed(m as f64)),
                param.maximum.map(|m| Literal::f64_suffixed(m as f64)),
            )
        } else {
            let widened = if param.ty == TypeRef::I32 {
                quote!(i64::from(*value))
            } else {
                quote!(*value)
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

fn success_type(op: &Operation) -> TokenStream {
    match &op.success_body {
        Some(_) => {
            let name = ident(&op.response_type);
            quote!(#name)
        }
        None => quote!(()),
    }
}

fn error_body_type(op: &Operation) -> TokenStream {
    match &op.error_body {
        Some(ty) => type_tokens(ty),
        None => quote!(rt::NoErrorBody),
    }
}

fn builder(service: &Service, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_type);
    let request = ident(&op.request_type);
    let error = ident(&op.error_type);
    let method_fn = ident(&op.method_fn);
    let client_type = ident(&service.client_type);
    let success = success_type(op);
    let error_body = error_body_type(op);
    let send = if op.success_body.is_some() {
        quote!(rt::codegen::send::<#success, #error_body>)
    } else {
        quote!(rt::codegen::send_empty::<#error_body>)
    };

    let mut required_params = Vec::new();
    let mut required_args = Vec::new();
    for param in op.params.iter().filter(|p| p.required) {
        let field = ident(&param.rust_name);
        let (ty, _) = argument(&param.ty, &field);
        required_params.push(quote!(#field: #ty));
        required_args.push(quote!(#field));
    }
    if op.body.as_ref().is_some_and(|b| b.required) {
        let ty = type_tokens(
            &op.body
                .as_ref()
                .map(|b| b.ty.clone())
                .unwrap_or(TypeRef::Json),
        );
        required_params.push(quote!(body: #ty));
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
        let ty = type_tokens(&body.ty);
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
    let method_doc_tail = format!(
        " See [`{}`](crate::{}) for parameters, responses and IAM actions.",
        op.module, op.module
    );
    let send_doc = format!(
        " Sends the request (signed, retried per the client's policy) and decodes the `{}` \
         response. The future owns everything it uses: it is `Send` and `'static`.",
        op.success_status
    );
    let request_send_doc = format!(
        " Sends this request with `client` (the facade's `Client`, a service client, or \
         anything else that holds a runtime client), like [`{}::send`]. The future holds a \
         clone of the client handle: it is `Send` and `'static`.",
        op.builder_type
    );
    quote! {
        impl crate::#client_type {
            #method_doc
            #[doc = ""]
            #[doc = #method_doc_tail]
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
            pub fn send(self, client: &impl AsRef<rt::Client>) -> impl std::future::Future<Output = Result<rt::Output<#success>, #error>> {
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
            pub fn send(self) -> impl std::future::Future<Output = Result<rt::Output<#success>, #error>> {
                #send(self.client, self.request.into_request())
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
                " The body of a successful ({}) {} response.",
                op.success_status, op.name
            );
            tokens.extend(quote! {
                #[doc = #doc]
                pub type #name = #target;
            });
        }
    }
    tokens
}

/// Tests, compiled into the generated crate, that each of the page's examples decodes into its
/// model and encodes back to the same JSON.
pub fn example_tests(op: &Operation) -> TokenStream {
    let mut tests = Vec::new();
    let mut add = |label: String, ty: TokenStream, example: &str| {
        let test = format_ident!("example_{}_round_trips", label);
        let doc = format!(" The page's {label} example decodes and encodes back to the same JSON.");
        tests.push(quote! {
            #[doc = #doc]
            #[test]
            fn #test() {
                crate::example_tests::assert_round_trip::<#ty>(#example);
            }
        });
    };
    if let Some(body) = &op.body {
        if let Some(example) = &body.example {
            add(
                "request".to_owned(),
                type_tokens_in_tests(&body.ty),
                example,
            );
        }
    }
    for response in &op.responses {
        if let (Some(ty), Some(example)) = (&response.ty, &response.example) {
            add(
                format!("status_{}", response.status),
                type_tokens_in_tests(ty),
                example,
            );
        }
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
