//! Rust items for model types: structs (serde and `Debug` through the runtime's `object!`/`model!`
//! macros), forward-compatible enums, aliases
//! and `one_of` enums.
//!
//! Standard items are written as absolute paths (`::std::string::String`,
//! `::std::option::Option::is_none` in serde attributes): a model type can never shadow them,
//! even where a spec names a schema `String` or `Option` (the allocator numbers those too).

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use crate::ir::{Alternative, Field, TypeDef, TypeKind, TypeRef, Variant};

/// An identifier, raw (`r#type`) when the name says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for a reference, as seen from an operation module or from `models` (where
/// `shared` types live) of a service crate.
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::boxed::Box<#inner>)
        }
        TypeRef::Local(name) => {
            let name = ident(name);
            quote!(#name)
        }
        TypeRef::Shared(name) => {
            let name = ident(name);
            quote!(crate::models::#name)
        }
    }
}

pub fn type_def(def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(fields) => struct_def(def, fields),
        TypeKind::StringEnum(variants) => string_enum(def, variants),
        TypeKind::IntEnum { variants, wide } => {
            let mut tokens = int_enum(def, variants, *wide);
            tokens.extend(placeholder_unknown(def));
            tokens
        }
        TypeKind::NumberEnum(variants) => {
            let mut tokens = number_enum(def, variants);
            tokens.extend(placeholder_unknown(def));
            tokens
        }
        TypeKind::Alias(target) => alias(def, target),
        TypeKind::OneOf(alternatives) => {
            let mut tokens = one_of(def, alternatives);
            tokens.extend(placeholder_unknown(def));
            tokens
        }
    }
}

/// What a required field of this enum holds while its struct is decoded (see the runtime's
/// `codegen::Placeholder`).
fn placeholder_unknown(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    quote! {
        impl ::hwcloud_runtime::codegen::Placeholder for #name {
            fn placeholder() -> Self {
                Self::Unknown(::std::default::Default::default())
            }
        }
    }
}

/// The parameter type a setter or constructor takes for a value of `ty`, and the expression
/// that turns the argument into the stored value.
pub fn argument(ty: &TypeRef, name: &Ident) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(#name.into()),
        ),
        TypeRef::Boxed(inner) => (type_tokens(inner), quote!(::std::boxed::Box::new(#name))),
        other => (type_tokens(other), quote!(#name)),
    }
}

fn struct_def(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::outer(&def.doc);
    let any_required = fields.iter().any(|f| f.required);

    let field_items = fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let mut doc_lines: Vec<String> = field.doc.iter().map(|p| docs::escape(p)).collect();
        doc_lines.extend(field.values_link.clone());
        let doc = docs::lines(doc_lines, false);
        let ty = type_tokens(&field.ty);
        if field.required {
            quote! { #doc pub #field_name: #ty, }
        } else {
            quote! {
                #doc
                pub #field_name: ::std::option::Option<#ty>,
            }
        }
    });

    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let (ty, _) = argument(&field.ty, &field_name);
        quote!(#field_name: #ty)
    });
    let inits = fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        if field.required {
            let (_, value) = argument(&field.ty, &field_name);
            // `name: name` is the field init shorthand's job.
            if field_name == value.to_string() {
                quote!(#field_name)
            } else {
                quote!(#field_name: #value)
            }
        } else {
            quote!(#field_name: ::std::option::Option::None)
        }
    });
    let setters: Vec<TokenStream> = fields
        .iter()
        .filter(|f| !f.required)
        .map(|field| {
            let field_name = ident(&field.rust_name);
            let setter = format_ident!(
                "with_{}",
                crate::names::bare(&field.rust_name).trim_matches('_')
            );
            let doc = format!(" Sets `{}`.", field.wire_name.replace('`', "'"));
            let (kind, ty) = match &field.ty {
                TypeRef::String => (quote!(into), type_tokens(&field.ty)),
                TypeRef::Boxed(inner) => (quote!(boxed), type_tokens(inner)),
                other => (quote!(plain), type_tokens(other)),
            };
            quote!(#kind #setter(#field_name: #ty) #doc)
        })
        .collect();
    let setters = if setters.is_empty() {
        quote!()
    } else {
        quote!(::hwcloud_runtime::setters!(#name { #(#setters),* });)
    };
    let new_doc = if required.is_empty() {
        format!(
            " An empty `{}`; fill it with the `with_` setters.",
            def.name
        )
    } else {
        format!(" A `{}` with its required fields.", def.name)
    };
    let allow_many = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };

    // A struct of optional fields derives `Default`: every field `None`.
    let construct = if any_required {
        quote!(Self { #(#inits),* })
    } else {
        quote!(::std::default::Default::default())
    };
    let serde_impls = serde_impls(def, fields);
    // `Debug` comes with the serde impls, from the runtime's generic code.
    let derive = if any_required {
        quote!(#[derive(Clone, PartialEq)])
    } else {
        quote!(#[derive(Clone, Default, PartialEq)])
    };
    quote! {
        #doc
        #derive
        #[non_exhaustive]
        pub struct #name {
            #(#field_items)*
        }

        impl #name {
            #[doc = #new_doc]
            #allow_many
            pub fn new(#(#params),*) -> Self {
                #construct
            }
        }

        #setters
        #serde_impls
    }
}

/// `Serialize`, `Deserialize` and `Debug` through the runtime's `object!` (every field
/// optional) or `model!` macro: one call per field, to generic code compiled once, where
/// serde's derives expand to far more code to compile (see the runtime's `codegen::model`).
fn serde_impls(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    if fields.iter().any(|f| f.required) {
        let entries = fields.iter().map(|field| {
            let field_name = ident(&field.rust_name);
            let wire = &field.wire_name;
            let kind = if field.required {
                quote!(req)
            } else {
                quote!(opt)
            };
            quote!(#kind #wire => #field_name)
        });
        quote! {
            ::hwcloud_runtime::model!(#name { #(#entries),* });
        }
    } else {
        let entries = fields.iter().map(|field| {
            let field_name = ident(&field.rust_name);
            let wire = &field.wire_name;
            quote!(#wire => #field_name)
        });
        quote! {
            ::hwcloud_runtime::object!(#name { #(#entries),* });
        }
    }
}

fn variant_docs(variant: &Variant) -> TokenStream {
    let wire = match &variant.value {
        serde_json::Value::String(text) => format!("`{}`", text.replace('`', "'")),
        other => format!("`{other}`"),
    };
    let mut lines = vec![match &variant.doc {
        Some(doc) => format!("{wire}: {}", docs::escape(doc)),
        None => wire,
    }];
    lines.retain(|l| !l.is_empty());
    docs::lines(lines, false)
}

fn enum_header(def: &TypeDef, unknown_doc: &str) -> (TokenStream, String) {
    let mut doc = def.doc.iter().map(|p| docs::escape(p)).collect::<Vec<_>>();
    doc.push(unknown_doc.to_owned());
    (docs::lines(doc, false), def.name.clone())
}

const UNKNOWN_DOC: &str = "Values a newer service sends that this crate does not know yet arrive \
     as `Unknown`, keeping the raw value, and serialize back unchanged.";

fn string_enum(def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let (doc, name) = enum_header(def, UNKNOWN_DOC);
    let name = ident(&name);
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<String> = variants
        .iter()
        .map(|v| v.value.as_str().unwrap_or_default().to_owned())
        .collect();
    let variant_docs = variants.iter().map(variant_docs);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the crate does not know, kept verbatim.
            Unknown(::std::string::String),
        }

        ::hwcloud_runtime::string_enum!(#name { #( #idents => #wires ),* });
    }
}

fn int_enum(def: &TypeDef, variants: &[Variant], wide: bool) -> TokenStream {
    let (doc, name) = enum_header(def, UNKNOWN_DOC);
    let name = ident(&name);
    let int = if wide { quote!(i64) } else { quote!(i32) };
    let serialize = if wide {
        quote!(serialize_i64)
    } else {
        quote!(serialize_i32)
    };
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<Literal> = variants
        .iter()
        .map(|v| {
            let number = v.value.as_i64().unwrap_or_default();
            if wide {
                Literal::i64_unsuffixed(number)
            } else {
                Literal::i32_unsuffixed(i32::try_from(number).unwrap_or_default())
            }
        })
        .collect();
    let variant_docs = variants.iter().map(variant_docs);
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the crate does not know, kept verbatim.
            Unknown(#int),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> #int {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<#int> for #name {
            fn from(value: #int) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.#serialize(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <#int as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(<Self as ::std::convert::From<#int>>::from(value))
            }
        }
    }
}

/// An enum over `type: number` values. Numbers have no `Eq` or `Hash` (`f64`), and are matched
/// by value (`1` and `1.0` are one number); a documented value is written back in its
/// documented form (`1` stays `1`, `1.5` stays `1.5`), an unknown whole number as an integer.
fn number_enum(def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let (doc, name) = enum_header(def, UNKNOWN_DOC);
    let name = ident(&name);
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<Literal> = variants
        .iter()
        .map(|v| Literal::f64_suffixed(v.value.as_f64().unwrap_or_default()))
        .collect();
    let writes: Vec<TokenStream> = variants
        .iter()
        .zip(&values)
        .map(|(variant, float)| match variant.value.as_i64() {
            Some(whole) => {
                let whole = Literal::i64_suffixed(whole);
                quote!(serializer.serialize_i64(#whole))
            }
            None => quote!(serializer.serialize_f64(#float)),
        })
        .collect();
    let variant_docs = variants.iter().map(variant_docs);
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the crate does not know, kept verbatim.
            Unknown(f64),
        }

        impl #name {
            /// The value as a number.
            pub fn value(self) -> f64 {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<f64> for #name {
            fn from(value: f64) -> Self {
                #( if value == #values { return Self::#idents; } )*
                Self::Unknown(value)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match *self {
                    #( Self::#idents => #writes, )*
                    // A whole number within f64's exact integers is written as an integer.
                    Self::Unknown(value) if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 => {
                        serializer.serialize_i64(value as i64)
                    }
                    Self::Unknown(value) => serializer.serialize_f64(value),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <f64 as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(<Self as ::std::convert::From<f64>>::from(value))
            }
        }
    }
}

/// A named schema that is not an object, enum or `one_of`: an alias of what it names, so it
/// encodes, decodes and prints (in a path or query) exactly as that type.
fn alias(def: &TypeDef, target: &TypeRef) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::outer(&def.doc);
    let target = type_tokens(target);
    quote! {
        #doc
        pub type #name = #target;
    }
}

/// A `one_of`: an enum with a variant per alternative and `Unknown` for any other JSON, so
/// decoding never fails on a shape this crate does not know. Encoding is serde's `untagged`
/// (each variant as its content). Decoding tries the alternatives in order (the most specific
/// first); an object goes to an object alternative that defines every member it has (serde's
/// `untagged` alone would take any object as the first object alternative, since models
/// ignore unknown members), failing that to one that defines some of them (a known shape with
/// a new member), and otherwise to `Unknown`, like anything else no alternative accepts.
fn one_of(def: &TypeDef, alternatives: &[Alternative]) -> TokenStream {
    let name = ident(&def.name);
    let mut doc: Vec<String> = def.doc.iter().map(|p| docs::escape(p)).collect();
    doc.push(
        "Exactly one of the variants; JSON that fits none (a shape a newer service sends) \
         arrives as `Unknown`, kept verbatim, and serializes back unchanged."
            .to_owned(),
    );
    let doc = docs::lines(doc, false);
    let variants = alternatives.iter().map(|alternative| {
        let variant = ident(&alternative.name);
        let ty = type_tokens(&alternative.ty);
        let mut lines: Vec<String> = alternative.doc.iter().map(|p| docs::escape(p)).collect();
        lines.push(alternative.summary.clone());
        let doc = docs::lines(lines, false);
        quote! { #doc #variant(#ty), }
    });
    let attempt = |alternative: &Alternative, by_keys: bool| {
        let variant = ident(&alternative.name);
        let ty = type_tokens(&alternative.ty);
        let decode = quote! {
            if let ::std::result::Result::Ok(decoded) = <#ty as ::serde::Deserialize>::deserialize(&value) {
                return Self::#variant(decoded);
            }
        };
        match (&alternative.keys, by_keys) {
            (Some(keys), true) => quote! {
                let uses_only = value
                    .as_object()
                    .is_some_and(|members| members.keys().all(|key| matches!(key.as_str(), #(#keys)|*)));
                if uses_only {
                    #decode
                }
            },
            (Some(keys), false) => quote! {
                let uses_some = value
                    .as_object()
                    .is_some_and(|members| members.keys().any(|key| matches!(key.as_str(), #(#keys)|*)));
                if uses_some {
                    #decode
                }
            },
            (None, _) => decode,
        }
    };
    let first_pass = alternatives.iter().map(|a| attempt(a, true));
    let second_pass = alternatives
        .iter()
        .filter(|a| a.keys.is_some())
        .map(|a| attempt(a, false));
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// JSON that fits none of the documented alternatives, kept verbatim.
            Unknown(::serde_json::Value),
        }

        impl #name {
            /// Decodes any JSON: the first alternative it fits, otherwise `Unknown`.
            pub fn from_json(value: ::serde_json::Value) -> Self {
                #(#first_pass)*
                #(#second_pass)*
                Self::Unknown(value)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from_json(value))
            }
        }
    }
}
