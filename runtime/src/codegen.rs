//! Support for generated service crates: compact serde implementations for their models, and
//! sending a request with an owned client handle. Not meant to be called by hand.
//!
//! `#[derive(Serialize, Deserialize)]` expands to a lot of code per struct (a field enum, two
//! visitors, sequence and map access, duplicate and missing field checks), and with thousands
//! of models that expansion is most of the time it takes to compile a service crate. A
//! generated model instead implements [`Object`] (one `match` over member names) for decoding
//! and writes its members with [`field`]; the generic parts live here, once. Likewise each
//! operation's `send` returns the future of [`send`] instead of being an `async fn` of its own.
//!
//! The JSON is the same as the derived implementations': members the model does not know are
//! skipped, `null` and absent members are `None`, `None` fields are not written.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};

use crate::decode::{Decode, DecodeErrorBody, ResponseHeaders};
use crate::{ByteStream, Client, Error, Output, Request};

/// The `serde` the macros below expand to (so they do not depend on the caller's imports).
#[doc(hidden)]
pub use serde;

/// `Serialize` and `Deserialize` (through [`Object`](crate::codegen::Object)) for a model struct whose fields are all
/// optional: `object!(Widget { "wire_name" => field, ... })`, fields in declaration order.
#[macro_export]
macro_rules! object {
    ($name:ident {}) => {
        impl $crate::codegen::serde::Serialize for $name {
            fn serialize<S: $crate::codegen::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let state = serializer.serialize_struct(stringify!($name), 0)?;
                $crate::codegen::serde::ser::SerializeStruct::end(state)
            }
        }

        impl<'de> $crate::codegen::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::codegen::deserialize(deserializer)
            }
        }

        impl $crate::codegen::Object for $name {
            const NAME: &'static str = stringify!($name);

            fn member<'de, A: $crate::codegen::serde::de::MapAccess<'de>>(
                &mut self,
                _key: &str,
                map: &mut A,
            ) -> ::core::result::Result<(), A::Error> {
                $crate::codegen::skip(map)
            }
        }
    };
    ($name:ident { $($wire:literal => $field:ident),+ $(,)? }) => {
        $crate::serialize!($name { $(opt $wire => $field),+ });

        impl<'de> $crate::codegen::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::codegen::deserialize(deserializer)
            }
        }

        impl $crate::codegen::Object for $name {
            const NAME: &'static str = stringify!($name);

            fn member<'de, A: $crate::codegen::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::core::result::Result<(), A::Error> {
                match key {
                    $($wire => self.$field = map.next_value()?,)+
                    _ => $crate::codegen::skip(map)?,
                }
                Ok(())
            }
        }
    };
}

/// `Serialize` for a model struct: `serialize!(Widget { req "name" => name, opt "size" => size })`,
/// fields in declaration order; `opt` fields (`Option`s) are written only when set.
#[macro_export]
macro_rules! serialize {
    ($name:ident { $($kind:ident $wire:literal => $field:ident),+ $(,)? }) => {
        impl $crate::codegen::serde::Serialize for $name {
            fn serialize<S: $crate::codegen::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                use $crate::codegen::serde::ser::SerializeStruct;
                let present = [$($crate::serialize!(@present $kind self.$field)),+];
                let mut state =
                    serializer.serialize_struct(stringify!($name), $crate::codegen::count(&present))?;
                $($crate::serialize!(@write $kind state $wire self.$field);)+
                state.end()
            }
        }
    };
    (@present opt $value:expr) => { $value.is_some() };
    (@present req $value:expr) => { true };
    (@write opt $state:ident $wire:literal $value:expr) => {
        $crate::codegen::field(&mut $state, $wire, &$value)?
    };
    (@write req $state:ident $wire:literal $value:expr) => {
        $state.serialize_field($wire, &$value)?
    };
}

/// The `with_` setters of a model struct's optional fields:
/// `setters!(Widget { into with_name(name: String) "Sets `name`.", plain with_size(size: i32) "..." })`.
/// `into` takes anything that converts into the field's type, `boxed` boxes the value (a
/// recursive field), `plain` takes the value as it is.
#[macro_export]
macro_rules! setters {
    ($name:ident { $($kind:ident $setter:ident($field:ident: $ty:ty) $doc:literal),+ $(,)? }) => {
        impl $name {
            $($crate::setters!(@one $kind $doc $setter $field $ty);)+
        }
    };
    (@one into $doc:literal $setter:ident $field:ident $ty:ty) => {
        #[doc = $doc]
        pub fn $setter(mut self, $field: impl ::core::convert::Into<$ty>) -> Self {
            self.$field = ::core::option::Option::Some($field.into());
            self
        }
    };
    (@one boxed $doc:literal $setter:ident $field:ident $ty:ty) => {
        #[doc = $doc]
        pub fn $setter(mut self, $field: $ty) -> Self {
            self.$field = ::core::option::Option::Some($crate::codegen::Box::new($field));
            self
        }
    };
    (@one plain $doc:literal $setter:ident $field:ident $ty:ty) => {
        #[doc = $doc]
        pub fn $setter(mut self, $field: $ty) -> Self {
            self.$field = ::core::option::Option::Some($field);
            self
        }
    };
}

/// A string enum's conversions: `as_str`, `From<&str>` (an unknown value is `Unknown`),
/// `Display`, and serde as a JSON string: `string_enum!(Color { Red => "red", ... })`. The
/// enum itself (with its `Unknown(String)` variant) is written out by the generator.
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.into()),
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::codegen::serde::Serialize for $name {
            fn serialize<S: $crate::codegen::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::codegen::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::codegen::deserialize_str(deserializer)
            }
        }
    };
}

/// Decodes a string enum from a JSON string, borrowed when it can be.
pub fn deserialize_str<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str>,
    D: Deserializer<'de>,
{
    let key = Key::deserialize(deserializer)?;
    Ok(T::from(key.as_str()))
}

/// `Box`, for [`setters!`] (the caller may have an item of that name).
#[doc(hidden)]
pub use std::boxed::Box;

/// A model whose fields are all optional, decoded member by member from a JSON object.
pub trait Object: Default {
    /// The type's name, for error messages.
    const NAME: &'static str;

    /// Decodes the value of member `key` into its field; the value of a member the type does
    /// not know is skipped with [`skip`].
    fn member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// Deserializes an [`Object`] from a map (a JSON object). When a member repeats, its last value
/// wins, as in `serde_json::Value`.
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Skips the value of the current member.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            value.member(key.as_str(), &mut map)?;
        }
        Ok(value)
    }
}

/// A member name, borrowed from the input when it can be.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key.to_owned()))
    }

    fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key))
    }
}

/// How many of a model's fields will be written (the length `serialize_struct` is told).
pub fn count(present: &[bool]) -> usize {
    present.iter().filter(|present| **present).count()
}

/// Writes an optional field when it is set.
pub fn field<S: SerializeStruct, T: Serialize>(
    serializer: &mut S,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => serializer.serialize_field(key, value),
        None => serializer.skip_field(key),
    }
}

/// Sends `request` with `client` and decodes a 2xx response's body with `D` and its documented
/// headers with `H` (see [`Client::execute_with`]); the future owns the client handle, so it is
/// `'static` (and `Send`), ready to be spawned.
pub async fn send<D, H, E>(
    client: Client,
    request: Request,
) -> Result<Output<D::Output, H>, Error<E>>
where
    D: Decode,
    H: ResponseHeaders,
    E: DecodeErrorBody,
{
    client.execute_with::<D, H, E>(request).await
}

/// [`send`] for an operation whose success body is a download (see
/// [`Client::execute_download`]).
pub async fn download<H, E>(
    client: Client,
    request: Request,
) -> Result<Output<ByteStream, H>, Error<E>>
where
    H: ResponseHeaders,
    E: DecodeErrorBody,
{
    client.execute_download::<H, E>(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Widget {
        name: Option<String>,
        size: Option<i32>,
        inner: Option<Box<Widget>>,
    }

    crate::object!(Widget {
        "name" => name,
        "size" => size,
        "inner" => inner,
    });

    /// An object the page gives no members for.
    #[derive(Debug, Default, PartialEq)]
    struct Empty {}

    crate::object!(Empty {});

    /// A request body with a required member (its `Deserialize` is derived).
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Body {
        #[serde(rename = "type")]
        r#type: String,
        #[serde(default)]
        note: Option<String>,
    }

    crate::serialize!(Body {
        req "type" => r#type,
        opt "note" => note,
    });

    #[test]
    fn decodes_known_members_skips_unknown_ones_and_reads_null_as_unset() {
        let text = r#"{"name":"a\"b","x":[1,{"y":null}],"size":null,"inner":{"size":3}}"#;
        let widget: Widget = serde_json::from_str(text).expect("decodes");
        assert_eq!(
            widget,
            Widget {
                name: Some("a\"b".into()),
                size: None,
                inner: Some(Box::new(Widget {
                    size: Some(3),
                    ..Widget::default()
                })),
            }
        );
        // Escaped member names (not borrowable) still match.
        let escaped: Widget = serde_json::from_str(r#"{"n\u0061me":"x"}"#).expect("decodes");
        assert_eq!(escaped.name.as_deref(), Some("x"));
        // From a `Value` too (owned strings).
        let value = serde_json::json!({"size": 1, "other": true});
        let from_value: Widget = serde_json::from_value(value).expect("decodes");
        assert_eq!(from_value.size, Some(1));
    }

    #[test]
    fn errors_name_the_type_and_keep_the_position() {
        let error = serde_json::from_str::<Widget>("[1]").expect_err("not an object");
        assert!(
            error.to_string().contains("a JSON object (Widget)"),
            "{error}"
        );
        let error = serde_json::from_str::<Widget>("{\n\"size\": \"big\"}").expect_err("a string");
        assert_eq!(error.line(), 2, "{error}");
        assert!(error.to_string().contains("expected i32"), "{error}");
    }

    #[test]
    fn empty_objects_and_required_members() {
        let empty: Empty = serde_json::from_str(r#"{"x": 1}"#).expect("decodes");
        assert_eq!(serde_json::to_string(&empty).expect("encodes"), "{}");
        let body = Body {
            r#type: "t".into(),
            note: None,
        };
        assert_eq!(
            serde_json::to_string(&body).expect("encodes"),
            r#"{"type":"t"}"#
        );
        let body = Body {
            note: Some("n".into()),
            ..body
        };
        assert_eq!(
            serde_json::to_string(&body).expect("encodes"),
            r#"{"type":"t","note":"n"}"#
        );
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Color {
        Red,
        DarkBlue,
        Unknown(String),
    }

    crate::string_enum!(Color {
        Red => "red",
        DarkBlue => "dark-blue",
    });

    crate::setters!(Widget {
        into with_name(name: String) " Sets `name`.",
        plain with_size(size: i32) " Sets `size`.",
        boxed with_inner(inner: Widget) " Sets `inner`.",
    });

    #[test]
    fn string_enums_keep_unknown_values_and_encode_as_strings() {
        assert_eq!(Color::from("dark-blue"), Color::DarkBlue);
        assert_eq!(Color::from("green"), Color::Unknown("green".into()));
        assert_eq!(Color::Red.to_string(), "red");
        let decoded: Vec<Color> = serde_json::from_str(r#"["red","gr\u0065en"]"#).expect("decodes");
        assert_eq!(decoded, [Color::Red, Color::Unknown("green".into())]);
        assert_eq!(
            serde_json::to_string(&decoded).expect("encodes"),
            r#"["red","green"]"#
        );
        let from_value: Color =
            serde_json::from_value(serde_json::json!("dark-blue")).expect("decodes");
        assert_eq!(from_value, Color::DarkBlue);
        assert!(serde_json::from_str::<Color>("1").is_err());
    }

    #[test]
    fn setters_convert_box_or_take_their_value() {
        let widget = Widget::default()
            .with_name("w")
            .with_size(2)
            .with_inner(Widget::default().with_size(3));
        assert_eq!(widget.name.as_deref(), Some("w"));
        assert_eq!(widget.size, Some(2));
        assert_eq!(widget.inner.and_then(|inner| inner.size), Some(3));
    }

    #[test]
    fn encodes_set_fields_only() {
        let widget = Widget {
            name: Some("w".into()),
            size: None,
            inner: Some(Box::default()),
        };
        assert_eq!(
            serde_json::to_string(&widget).expect("encodes"),
            r#"{"name":"w","inner":{}}"#
        );
    }
}
