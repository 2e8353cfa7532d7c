//! Serialization, decoding and `Debug` for generated model structs, written once here.
//!
//! A struct implements [`Model`]: two short methods that show each member to a visitor
//! (`visitor.opt("wireName", "field", &self.field)`), one call per member. Everything else is
//! generic code in this module. serde's derives instead expand each struct into a field enum,
//! visitors, and a `match` with a `?` per member, and derived `Debug` builds an array of
//! `&dyn Debug`; over thousands of models those expansions were most of the time a service
//! crate takes to `cargo check` (measured with `cargo bench -p generator --bench catalogue --
//! --check`, see the README).
//!
//! The JSON is the derives': members the model does not know are skipped, `null` and absent
//! optional members are `None`, `None` members are not written, a missing or `null` required
//! member is an error naming it. Two differences: when a member repeats, its last value wins
//! (the derive refuses a struct with a required member that repeats), and a model decodes only
//! from a JSON object (the derive also takes an array of the fields in order). `Debug` prints
//! what `#[derive(Debug)]` prints.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use super::{skip, Key};

/// A generated model struct, member by member in declaration order.
pub trait Model: Placeholder {
    /// The type's name, for `Debug` and error messages.
    const NAME: &'static str;

    /// Shows each member to `visitor`.
    fn members<V: Members>(&self, visitor: &mut V);

    /// Shows each member's slot to `visitor`, for decoding.
    fn members_mut<'de, V: MembersMut<'de>>(&mut self, visitor: &mut V);
}

/// What [`Model::members`] shows its members to.
pub trait Members {
    /// An optional member: `wire` is its JSON name, `field` its Rust field's name.
    fn opt<T: Serialize + fmt::Debug>(
        &mut self,
        wire: &'static str,
        field: &'static str,
        value: &Option<T>,
    );

    /// A required member.
    fn req<T: Serialize + fmt::Debug>(
        &mut self,
        wire: &'static str,
        field: &'static str,
        value: &T,
    );
}

/// What [`Model::members_mut`] shows its members' slots to.
pub trait MembersMut<'de> {
    /// An optional member's slot.
    fn opt<T: Deserialize<'de>>(&mut self, wire: &'static str, slot: &mut Option<T>);

    /// A required member's slot.
    fn req<T: Deserialize<'de>>(&mut self, wire: &'static str, slot: &mut T);
}

/// The value a required member holds while its struct is decoded, until the member arrives.
/// A struct whose required member never arrives fails to decode, so no placeholder reaches a
/// caller.
pub trait Placeholder {
    /// The placeholder value.
    fn placeholder() -> Self;
}

macro_rules! placeholder_by_default {
    ($($ty:ty),*) => {
        $(impl Placeholder for $ty {
            fn placeholder() -> Self {
                Self::default()
            }
        })*
    };
}

placeholder_by_default!(String, bool, i32, i64, f32, f64, serde_json::Value);

impl<T> Placeholder for Option<T> {
    fn placeholder() -> Self {
        None
    }
}

impl<T> Placeholder for Vec<T> {
    fn placeholder() -> Self {
        Vec::new()
    }
}

impl<K: Ord, V> Placeholder for std::collections::BTreeMap<K, V> {
    fn placeholder() -> Self {
        Self::new()
    }
}

impl<T: Placeholder> Placeholder for Box<T> {
    fn placeholder() -> Self {
        Box::new(T::placeholder())
    }
}

/// Serializes a model as a struct of its set members.
pub fn serialize<T: Model, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut count = Count(0);
    value.members(&mut count);
    let mut write = Write {
        state: serializer.serialize_struct(T::NAME, count.0)?,
        error: None,
    };
    value.members(&mut write);
    match write.error {
        Some(error) => Err(error),
        None => write.state.end(),
    }
}

/// How many members will be written (what `serialize_struct` is told).
struct Count(usize);

impl Members for Count {
    fn opt<T>(&mut self, _: &'static str, _: &'static str, value: &Option<T>) {
        self.0 += usize::from(value.is_some());
    }

    fn req<T>(&mut self, _: &'static str, _: &'static str, _: &T) {
        self.0 += 1;
    }
}

/// Writes the members; after an error, nothing more.
struct Write<S: SerializeStruct> {
    state: S,
    error: Option<S::Error>,
}

impl<S: SerializeStruct> Write<S> {
    fn record(&mut self, result: Result<(), S::Error>) {
        if let Err(error) = result {
            self.error = Some(error);
        }
    }
}

impl<S: SerializeStruct> Members for Write<S> {
    fn opt<T: Serialize>(&mut self, wire: &'static str, _: &'static str, value: &Option<T>) {
        if self.error.is_none() {
            let result = match value {
                Some(value) => self.state.serialize_field(wire, value),
                None => self.state.skip_field(wire),
            };
            self.record(result);
        }
    }

    fn req<T: Serialize>(&mut self, wire: &'static str, _: &'static str, value: &T) {
        if self.error.is_none() {
            let result = self.state.serialize_field(wire, value);
            self.record(result);
        }
    }
}

/// `Debug` as `#[derive(Debug)]` writes it: `Name { field: value, .. }`, every field.
pub fn debug<T: Model>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut fields = DebugFields(f.debug_struct(T::NAME));
    value.members(&mut fields);
    fields.0.finish()
}

struct DebugFields<'a, 'b>(fmt::DebugStruct<'a, 'b>);

/// A raw identifier's name as `#[derive(Debug)]` prints it (`r#type` is `type`).
fn field_name(field: &'static str) -> &'static str {
    field.strip_prefix("r#").unwrap_or(field)
}

impl Members for DebugFields<'_, '_> {
    fn opt<T: fmt::Debug>(&mut self, _: &'static str, field: &'static str, value: &Option<T>) {
        self.0.field(field_name(field), value);
    }

    fn req<T: fmt::Debug>(&mut self, _: &'static str, field: &'static str, value: &T) {
        self.0.field(field_name(field), value);
    }
}

/// Decodes a model from a map (a JSON object).
pub fn deserialize<'de, T: Model, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor(PhantomData))
}

struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: Model> Visitor<'de> for ModelVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::placeholder();
        // The required members that arrived, to name the first one that did not.
        let mut arrived: Vec<&'static str> = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let mut fill = Fill {
                key: key.as_str(),
                map: &mut map,
                found: None,
                result: Ok(()),
            };
            value.members_mut(&mut fill);
            let (found, result) = (fill.found, fill.result);
            result?;
            match found {
                None => skip(&mut map)?,
                Some(Found::Required(wire)) if !arrived.contains(&wire) => arrived.push(wire),
                Some(_) => {}
            }
        }
        let mut missing = Missing {
            arrived: &arrived,
            first: None,
        };
        value.members_mut(&mut missing);
        match missing.first {
            Some(wire) => Err(de::Error::missing_field(wire)),
            None => Ok(value),
        }
    }
}

enum Found {
    Optional,
    Required(&'static str),
}

/// Decodes the value of member `key` into its slot, if the model has one.
struct Fill<'a, 'de, A: MapAccess<'de>> {
    key: &'a str,
    map: &'a mut A,
    found: Option<Found>,
    result: Result<(), A::Error>,
}

impl<'de, A: MapAccess<'de>> MembersMut<'de> for Fill<'_, 'de, A> {
    fn opt<T: Deserialize<'de>>(&mut self, wire: &'static str, slot: &mut Option<T>) {
        if self.found.is_none() && wire == self.key {
            self.found = Some(Found::Optional);
            self.result = self.map.next_value().map(|value| *slot = value);
        }
    }

    fn req<T: Deserialize<'de>>(&mut self, wire: &'static str, slot: &mut T) {
        if self.found.is_none() && wire == self.key {
            self.found = Some(Found::Required(wire));
            self.result = self.map.next_value().map(|value| *slot = value);
        }
    }
}

/// Finds the first required member that did not arrive.
struct Missing<'a> {
    arrived: &'a [&'static str],
    first: Option<&'static str>,
}

impl<'de> MembersMut<'de> for Missing<'_> {
    fn opt<T>(&mut self, _: &'static str, _: &mut Option<T>) {}

    fn req<T>(&mut self, wire: &'static str, _: &mut T) {
        if self.first.is_none() && !self.arrived.contains(&wire) {
            self.first = Some(wire);
        }
    }
}

/// [`Model`], `Serialize`, `Deserialize`, `Debug` and [`Placeholder`] for a model struct whose
/// members are all optional (so it is `Default`): `object!(Widget { "wireName" => field, ... })`,
/// in declaration order.
#[macro_export]
macro_rules! object {
    ($name:ident { $($wire:literal => $field:ident),* $(,)? }) => {
        impl $crate::codegen::Placeholder for $name {
            fn placeholder() -> Self {
                ::core::default::Default::default()
            }
        }

        $crate::model!(@impls $name { $(opt $wire => $field),* });
    };
}

/// [`Model`], `Serialize`, `Deserialize`, `Debug` and [`Placeholder`] for a model struct with
/// required members: `model!(Widget { req "name" => name, opt "size" => size })`, in
/// declaration order.
#[macro_export]
macro_rules! model {
    ($name:ident { $($kind:ident $wire:literal => $field:ident),* $(,)? }) => {
        impl $crate::codegen::Placeholder for $name {
            fn placeholder() -> Self {
                Self { $($field: $crate::codegen::Placeholder::placeholder()),* }
            }
        }

        $crate::model!(@impls $name { $($kind $wire => $field),* });
    };
    (@impls $name:ident { $($kind:ident $wire:literal => $field:ident),* }) => {
        impl $crate::codegen::Model for $name {
            const NAME: &'static str = ::core::stringify!($name);

            fn members<V: $crate::codegen::Members>(&self, _visitor: &mut V) {
                $(_visitor.$kind($wire, ::core::stringify!($field), &self.$field);)*
            }

            fn members_mut<'de, V: $crate::codegen::MembersMut<'de>>(&mut self, _visitor: &mut V) {
                $(_visitor.$kind($wire, &mut self.$field);)*
            }
        }

        impl $crate::codegen::serde::Serialize for $name {
            fn serialize<S: $crate::codegen::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::codegen::serialize(self, serializer)
            }
        }

        impl<'de> $crate::codegen::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::codegen::deserialize(deserializer)
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::codegen::debug(self, f)
            }
        }
    };
}
