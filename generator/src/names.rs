//! Rust names for spec names: case conversion, keyword escaping and de-duplication.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: they get a trailing underscore.
const UNRAWABLE: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Type names no generated item may take: the prelude's and std's names a reader (or the
/// generated code) expects to mean the standard item, and the names the generated code refers
/// to. A schema named like one of them is numbered (`From` -> `From2`) by the type-name
/// allocator ([`type_names`]), exactly like two schemas with one Rust name.
pub const RESERVED_TYPES: &[&str] = &[
    // The prelude (2015 to 2024 editions).
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Box",
    "Vec",
    "String",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Future",
    "IntoFuture",
    // Derives and std names the generated code or its readers use.
    "Debug",
    "Display",
    "Error",
    "Hash",
    "Hasher",
    "Self",
    "Formatter",
    "Cow",
    "Rc",
    "Arc",
    "BTreeMap",
    "HashMap",
    "BTreeSet",
    "HashSet",
    // serde and serde_json.
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Value",
    "Map",
    "Number",
    // The runtime's and the generated crate's own names.
    "Client",
    "Config",
    "Credentials",
    "Output",
    "Request",
    "Response",
    "RetryPolicy",
];

/// Keeps ASCII letters, digits and `_`; what the page may contain beyond that (accents,
/// punctuation) cannot be part of an identifier.
fn ascii_only(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// `fooBar`, `X-Auth-Token`, `type`, `2fa` -> `foo_bar`, `x_auth_token`, `r#type`, `_2fa`.
pub fn snake(name: &str) -> String {
    let mut snake = ascii_only(&name.to_snake_case()).to_snake_case();
    if snake.is_empty() {
        snake = "value".to_owned();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    escape_keyword(snake)
}

/// `list_support_regions`, `charge model`, `Self` -> `ListSupportRegions`, `ChargeModel`, `Self_`.
pub fn camel(name: &str) -> String {
    let mut camel = ascii_only(&name.to_upper_camel_case()).to_upper_camel_case();
    if camel.is_empty() {
        camel = "Value".to_owned();
    }
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        camel.insert(0, 'V');
    }
    if UNRAWABLE.contains(&camel.as_str()) {
        camel.push('_');
    }
    camel
}

/// The singular of a CamelCase name for the items of an array field: `SlaveInstances` ->
/// `SlaveInstance`, `Policies` -> `Policy`. Words that only look plural (`Status`, `Analysis`,
/// `Address`) are kept.
pub fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        if !stem.is_empty() {
            return format!("{stem}y");
        }
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if name.ends_with(suffix) {
            return name[..name.len() - 2].to_owned();
        }
    }
    let keeps = ["ss", "us", "is"]
        .iter()
        .any(|ending| name.ends_with(ending));
    match name.strip_suffix('s') {
        Some(stem) if !keeps && !stem.is_empty() => stem.to_owned(),
        _ => name.to_owned(),
    }
}

/// The type name a spec name asks for (CamelCase); the allocator from [`type_names`] numbers
/// it when it is reserved or taken.
pub fn type_name(name: &str) -> String {
    camel(name)
}

/// An allocator of type names in one module: [`RESERVED_TYPES`] and `reserved` are taken, so a
/// schema named `From` becomes `From2`.
pub fn type_names(reserved: &[&str]) -> UniqueNames {
    let mut names = UniqueNames::with_reserved(RESERVED_TYPES);
    names
        .taken
        .extend(reserved.iter().map(|name| (*name).to_owned()));
    names
}

fn escape_keyword(name: String) -> String {
    if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else if UNRAWABLE.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Service module names that would clash with the crate root's other items (the `Client`
/// methods, the `runtime` re-export, crates named in generated paths).
pub const RESERVED_SERVICE_MODULES: &[&str] = &[
    "new",
    "from_runtime",
    "runtime",
    "as_ref",
    "clone",
    "fmt",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "hwcloud_runtime",
    "example_tests",
];

/// Operation module names that would clash with a service crate root's other items (the
/// `models` module, the runtime and its re-export, crates named in generated paths).
pub const RESERVED_OPERATION_MODULES: &[&str] = &[
    // The crate root's file (`src/lib.rs`) and the shared types' module.
    "lib",
    "models",
    "rt",
    "runtime",
    "hwcloud_runtime",
    "serde",
    "serde_json",
    "std",
    "core",
    "alloc",
    "example_tests",
];

/// A module (and file) name: snake case; keywords and `reserved` names get a trailing `_`,
/// because a file cannot be named `r#type.rs`.
pub fn module_name(name: &str, reserved: &[&str]) -> String {
    let snake = snake(name);
    let bare = bare(&snake);
    if snake.starts_with("r#") || reserved.contains(&bare) {
        format!("{bare}_")
    } else {
        snake
    }
}

/// The name without a raw-identifier prefix, for building other names from it.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Hands out names unique within one scope, numbering repeats in order of arrival:
/// `foo_bar`, `foo_bar_2`, `foo_bar_3`.
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: BTreeSet<String>,
}

impl UniqueNames {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        UniqueNames {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    pub fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        // `self_` and `Self_` (escaped keywords) number as `self_2` and `Self2`: a doubled
        // underscore would not be snake case.
        let base = bare(&wanted).trim_end_matches('_').to_owned();
        let base = if base.is_empty() {
            "value".to_owned()
        } else {
            base
        };
        // Type and variant names (CamelCase) get `Name2`, snake case names `name_2`.
        let separator = if base.starts_with(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let mut counter = 2;
        loop {
            let candidate = format!("{base}{separator}{counter}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            counter += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_escapes_keywords_and_digits() {
        assert_eq!(snake("fooBar"), "foo_bar");
        assert_eq!(snake("X-Auth-Token"), "x_auth_token");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("café"), "caf");
        assert_eq!(snake("---"), "value");
    }

    #[test]
    fn camel_case_for_types_and_variants() {
        assert_eq!(camel("list_support_regions"), "ListSupportRegions");
        assert_eq!(camel("UPGRADING"), "Upgrading");
        assert_eq!(camel("cn-north-4"), "CnNorth4");
        assert_eq!(camel("1"), "V1");
        assert_eq!(camel("Self"), "Self_");
        let mut types = type_names(&["ListInstancesError"]);
        assert_eq!(types.claim(type_name("Option")), "Option2");
        assert_eq!(types.claim(type_name("From")), "From2");
        assert_eq!(types.claim(type_name("metadata")), "Metadata");
        assert_eq!(types.claim(type_name("Metadata")), "Metadata2");
        assert_eq!(
            types.claim(type_name("ListInstancesError")),
            "ListInstancesError2"
        );
        assert_eq!(types.claim(type_name("Self")), "Self_");
        assert_eq!(types.claim(type_name("Self")), "Self2");
    }

    #[test]
    fn module_names_avoid_keywords_and_reserved_names() {
        assert_eq!(module_name("ListInstances", &[]), "list_instances");
        assert_eq!(module_name("Match", &[]), "match_");
        assert_eq!(module_name("Self", &[]), "self_");
        assert_eq!(module_name("runtime", RESERVED_SERVICE_MODULES), "runtime_");
        assert_eq!(module_name("Models", RESERVED_OPERATION_MODULES), "models_");
        assert_eq!(module_name("Lib", RESERVED_OPERATION_MODULES), "lib_");
    }

    #[test]
    fn array_items_are_named_in_the_singular() {
        assert_eq!(singular("SlaveInstances"), "SlaveInstance");
        assert_eq!(singular("InstanceDrRelations"), "InstanceDrRelation");
        assert_eq!(singular("Policies"), "Policy");
        assert_eq!(singular("Addresses"), "Address");
        assert_eq!(singular("Status"), "Status");
        assert_eq!(singular("Parts"), "Part");
        assert_eq!(singular("Data"), "Data");
    }

    #[test]
    fn unique_names_number_repeats() {
        let mut names = UniqueNames::with_reserved(&["new"]);
        assert_eq!(names.claim("foo_bar".into()), "foo_bar");
        assert_eq!(names.claim("foo_bar".into()), "foo_bar_2");
        assert_eq!(names.claim("new".into()), "new_2");
        assert_eq!(names.claim("Period".into()), "Period");
        assert_eq!(names.claim("Period".into()), "Period2");
        assert_eq!(names.claim("self_".into()), "self_");
        assert_eq!(names.claim("self_".into()), "self_2");
        assert_eq!(names.claim("r#type".into()), "r#type");
        assert_eq!(names.claim("r#type".into()), "type_2");
    }

    #[test]
    fn hostile_spec_names_give_identifiers() {
        for (spec, rust) in [
            ("中文", "value"),
            ("a.b", "a_b"),
            ("$ref", "r#ref"),
            ("@type", "r#type"),
            ("items[]", "items"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("Self", "self_"),
            ("with space", "with_space"),
            ("2fa", "_2fa"),
        ] {
            assert_eq!(snake(spec), rust, "{spec}");
        }
        assert_eq!(camel("中文"), "Value");
        assert_eq!(camel("a.b"), "Ab");
        assert_eq!(camel("2fa"), "V2fa");
    }
}
