//! Request headers a page states in a sentence rather than in a parameter table ("The request
//! header parameter X-Repo-Auth needs to be added for this API."): each becomes a required
//! string header parameter, with a note and a warning naming the line it was read from.

use super::lines::Item;
use super::{Map, Node, Warning};
use crate::spec::model::ParameterSource;

/// Words that make a sentence about a header a requirement of its presence (not of its value:
/// "must be set to" describes a value).
const REQUIRED: &[&str] = &[
    "needs to be added",
    "need to be added",
    "must be added",
    "needs to be carried",
    "must be carried",
    "must be included",
    "needs to be included",
    "is required",
    "is mandatory",
];

/// Words that make the sentence something else: a negation, an option, a condition, or a
/// header of a response.
const NOT_A_REQUIREMENT: &[&str] = &[
    " not ",
    "no need",
    "optional",
    "only when",
    "only if",
    "unnecessary",
    "response",
    "returned",
];

/// Sections whose text can state a request header: not responses, examples or error codes.
fn states_requests(section: &str) -> bool {
    ![
        "response",
        "example",
        "status code",
        "error code",
        "returned value",
    ]
    .iter()
    .any(|word| section.starts_with(word))
}

/// A header name as pages write one: hyphenated words, each capitalised (`X-Repo-Auth`,
/// `X-Language`, `Content-MD5`), with the punctuation around it trimmed.
fn header_name(word: &str) -> Option<&str> {
    let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
    let mut parts = word.split('-');
    let valid = word.contains('-')
        && parts.all(|part| {
            part.starts_with(|c: char| c.is_ascii_uppercase())
                && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    valid.then_some(word)
}

/// The headers `sentence` says a request must carry: the name next to the word "header"
/// ("the X-Language header", "header parameter X-Repo-Auth") in a sentence that requires it,
/// unconditionally.
fn required_headers(sentence: &str) -> Vec<&str> {
    let lower = format!(" {} ", sentence.to_ascii_lowercase());
    let conditional = ["if ", "when ", "for "]
        .iter()
        .any(|word| lower.trim_start().starts_with(word));
    if conditional
        || !REQUIRED.iter().any(|phrase| lower.contains(phrase))
        || NOT_A_REQUIREMENT.iter().any(|word| lower.contains(word))
    {
        return Vec::new();
    }
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let is_header_word = |word: &str| {
        let word = word.trim_matches(|c: char| !c.is_ascii_alphabetic());
        word.eq_ignore_ascii_case("header") || word.eq_ignore_ascii_case("headers")
    };
    let mut names = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if !is_header_word(word) {
            continue;
        }
        let before = i.checked_sub(1).map(|j| words[j]);
        let after = match words.get(i + 1) {
            Some(next) if next.to_ascii_lowercase().starts_with("parameter") => words.get(i + 2),
            next => next,
        };
        for candidate in [before, after.copied()].into_iter().flatten() {
            if let Some(name) = header_name(candidate) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// Adds the headers stated in the text of `sections` (name, items) to `params`, unless a
/// table already lists them or the client sets them itself.
pub fn add(sections: &[(&str, &[Item])], params: &mut Vec<Map>, warnings: &mut Vec<Warning>) {
    for (section, items) in sections {
        if !states_requests(section) {
            continue;
        }
        for item in *items {
            let Item::Para(para) = item else { continue };
            for (line, text) in para {
                for sentence in text.split_inclusive(". ") {
                    for name in required_headers(sentence) {
                        let listed = params.iter().any(|p| {
                            p.get_str("in") == Some("header")
                                && p.get_str("name")
                                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                        });
                        if listed || crate::spec::model::is_client_header(name) {
                            continue;
                        }
                        params.push(parameter(name, sentence.trim(), *line));
                        warnings.push(Warning {
                            path: String::new(),
                            kind: String::new(),
                            line: *line,
                            message: format!(
                                "header {name} is stated in the text, not in a parameter table: \
                                 added as a required string"
                            ),
                        });
                    }
                }
            }
        }
    }
}

fn parameter(name: &str, sentence: &str, line: usize) -> Map {
    let mut m = Map::new();
    m.set_str("name", name.to_string());
    m.set_str("in", "header");
    m.set("required", Node::Bool(true));
    if let Some(source) = ParameterSource::implied_by("header", name) {
        m.set_str("source", source.as_str());
    }
    m.set_str("description", sentence.to_string());
    let mut schema = Map::new();
    schema.set_str("type", "string");
    m.set("schema", Node::Map(schema));
    m.set_str(
        "note",
        format!("Stated in the page's text (line {line}), not in a parameter table."),
    );
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_that_requires_a_header_names_it() {
        assert_eq!(
            required_headers(
                "The request header parameter X-Repo-Auth needs to be added for this API."
            ),
            ["X-Repo-Auth"]
        );
        assert_eq!(
            required_headers("The X-Language header is required (en-us or zh-cn)."),
            ["X-Language"]
        );
        assert_eq!(
            required_headers("The Content-MD5 header is required for the upload."),
            ["Content-MD5"]
        );
    }

    #[test]
    fn other_sentences_name_none() {
        for sentence in [
            "The response header X-Request-Id carries the request ID.",
            "This API is used to delete a project tag.",
            "A header is required.",
            "Set Content-Type as needed; the body is optional.",
            "The X-Repo-Auth value is the name of the OAuth authorization.",
            "The token (X-Subject-Token in the response header) is required.",
            // Only the name next to "header" counts.
            "For Pay-per-use instances the X-Order-Id header is required.",
            "The Content-MD5 header must be set to the Base64-encoded MD5 digest.",
            "The value must be set to a UUID-format string in the header.",
            // Negations, conditions, values, responses.
            "The X-Client-Token header does not need to be added.",
            "The X-Client-Token header is optional and is required only when retrying.",
            "If the X-Encrypt-Key header is carried, the key_id field is required.",
            "When X-Language header is required by your gateway, add it.",
            "The value of the X-Language header must be set to zh-CN or en-US.",
            "The X-Subject-Token header returned by the token API is required for later calls.",
        ] {
            assert!(required_headers(sentence).is_empty(), "{sentence}");
        }
    }

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(header_name("\"X-Repo-Auth\","), Some("X-Repo-Auth"));
        assert_eq!(header_name("(X-Language)"), Some("X-Language"));
        assert_eq!(header_name("Content-MD5"), Some("Content-MD5"));
        for word in [
            "x-lower",
            "Well-",
            "A--B",
            "Plain",
            "UTF-8",
            "Base64-encoded",
            "Pay-per-use",
            "UUID-format",
            "X-Repo-Auth-based",
        ] {
            assert_eq!(header_name(word), None, "{word}");
        }
    }
}
