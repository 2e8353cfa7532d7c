//! Support for generated service crates, not meant to be called by hand: models' serde and
//! `Debug` ([`Model`]), setters and string enums (macros), and sending a request with an owned
//! client handle.
//!
//! The point of all of it is compile time: what a generated crate would otherwise expand per
//! type or per operation (serde's derives, an `async fn` per operation) is generic code here,
//! compiled once. Each operation's `send` returns the future of [`send`].

use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::decode::{Decode, DecodeErrorBody, ResponseHeaders};
use crate::{ByteStream, Client, Error, Output, Request};

mod model;

pub use model::{debug, deserialize, serialize, Members, MembersMut, Model, Placeholder};

/// The `serde` the macros below expand to (so they do not depend on the caller's imports).
#[doc(hidden)]
pub use serde;

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

        impl $crate::codegen::Placeholder for $name {
            fn placeholder() -> Self {
                Self::Unknown(::core::default::Default::default())
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

/// Skips the value of the current member.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
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

    #[derive(Default, PartialEq)]
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
    #[derive(Default, PartialEq)]
    struct Empty {}

    crate::object!(Empty {});

    /// A request body with required members.
    #[derive(PartialEq)]
    struct Body {
        r#type: String,
        note: Option<String>,
        widget: Widget,
    }

    crate::model!(Body {
        req "type" => r#type,
        opt "note" => note,
        req "widget" => widget,
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
            widget: Widget::default(),
        };
        assert_eq!(
            serde_json::to_string(&body).expect("encodes"),
            r#"{"type":"t","widget":{}}"#
        );
        let body = Body {
            note: Some("n".into()),
            ..body
        };
        let text = serde_json::to_string(&body).expect("encodes");
        assert_eq!(text, r#"{"type":"t","note":"n","widget":{}}"#);
        let decoded: Body = serde_json::from_str(&text).expect("decodes");
        assert!(decoded == body);
    }

    #[test]
    fn a_missing_or_null_required_member_is_an_error_naming_it() {
        let error = serde_json::from_str::<Body>(r#"{"type":"t","note":"n"}"#)
            .expect_err("widget is missing");
        assert!(
            error.to_string().contains("missing field `widget`"),
            "{error}"
        );
        let error =
            serde_json::from_str::<Body>(r#"{"widget":{},"type":null}"#).expect_err("type is null");
        assert!(error.to_string().contains("invalid type: null"), "{error}");
        // A repeated required member counts once; the last value wins.
        let body: Body = serde_json::from_str(r#"{"type":"a","type":"b","widget":{"size":1}}"#)
            .expect("decodes");
        assert_eq!(body.r#type, "b");
        assert_eq!(body.widget.size, Some(1));
    }

    #[test]
    fn debug_prints_what_derive_debug_prints() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct DerivedWidget {
            name: Option<String>,
            size: Option<i32>,
            inner: Option<Box<Widget>>,
        }
        let widget = Widget {
            name: Some("w\n".into()),
            size: None,
            inner: Some(Box::new(Widget::default().with_size(3))),
        };
        let derived = DerivedWidget {
            name: widget.name.clone(),
            size: None,
            inner: Some(Box::new(Widget::default().with_size(3))),
        };
        for (ours, theirs) in [
            (format!("{widget:?}"), format!("{derived:?}")),
            (format!("{widget:#?}"), format!("{derived:#?}")),
        ] {
            assert_eq!(ours, theirs.replacen("DerivedWidget", "Widget", 1));
        }
        assert_eq!(
            format!(
                "{:?}",
                Body {
                    r#type: "t".into(),
                    note: None,
                    widget: Widget::default()
                }
            ),
            r#"Body { type: "t", note: None, widget: Widget { name: None, size: None, inner: None } }"#
        );
        assert_eq!(format!("{:?}", Empty {}), "Empty");
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
