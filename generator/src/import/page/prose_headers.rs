//! Request headers a page states in a sentence rather than in a parameter table ("The request
//! header parameter X-Repo-Auth needs to be added for this API."): each becomes a required
//! string header parameter, with a note and a warning naming the line it was read from.

use super::lines::Item;
use super::{Map, Node, Warning};

/// Words that make a sentence about a header a requirement.
const REQUIRED: &[&str] = &[
    "needs to be added",
    "need to be added",
    "must be added",
    "needs to be carried",
    "must be carried",
    "must be included",
    "needs to be included",
    "must be set",
    "needs to be set",
    "is required",
    "is mandatory",
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

/// A header name as pages write one: `X-Repo-Auth`, `X-Language` (hyphenated words, the first
/// capitalised), with the punctuation around it trimmed.
fn header_name(word: &str) -> Option<&str> {
    let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
    let valid = word.contains('-')
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && !word.starts_with('-')
        && !word.ends_with('-')
        && !word.contains("--")
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then_some(word)
}

/// The headers `sentence` says a request must carry.
fn required_headers(sentence: &str) -> Vec<&str> {
    let lower = sentence.to_ascii_lowercase();
    // A sentence that speaks of a response header is about where a value comes from.
    if !lower.contains("header")
        || lower.contains("response header")
        || !REQUIRED.iter().any(|phrase| lower.contains(phrase))
    {
        return Vec::new();
    }
    let mut names: Vec<&str> = sentence
        .split_whitespace()
        .filter_map(header_name)
        .collect();
    names.dedup();
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
    if name.eq_ignore_ascii_case("x-auth-token") {
        m.set_str("source", "auth");
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
        ] {
            assert!(required_headers(sentence).is_empty(), "{sentence}");
        }
    }

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(header_name("\"X-Repo-Auth\","), Some("X-Repo-Auth"));
        assert_eq!(header_name("(X-Language)"), Some("X-Language"));
        assert_eq!(header_name("x-lower"), None);
        assert_eq!(header_name("Well-"), None);
        assert_eq!(header_name("A--B"), None);
        assert_eq!(header_name("Plain"), None);
    }
}
