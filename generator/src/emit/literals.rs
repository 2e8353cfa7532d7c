//! Raw string literals (embedded examples) written after formatting: prettyplease lays out a
//! call around a literal by its length, so a one-line change to an example could re-wrap the
//! code around it. Each literal is emitted as a short placeholder of fixed length and put back
//! in the formatted text, so a change to an example shows in a diff as its own lines only.

use proc_macro2::TokenStream;
use quote::ToTokens;

/// What a placeholder literal holds: a NUL (printed `\0`) that no raw literal of ours has.
const MARK: &str = "\0raw:";

thread_local! {
    /// The raw literals of the file being emitted on this thread, by placeholder number.
    static DEFERRED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    /// How many placeholders [`fill`] has replaced since [`start_file`].
    static FILLED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Starts a file on this thread: forgets the literals of the previous one.
pub fn start_file() {
    DEFERRED.with(|deferred| deferred.borrow_mut().clear());
    FILLED.with(|filled| filled.set(0));
}

/// `text` as a raw string literal, its lines as they are, deferred: the token is a
/// placeholder that [`fill`] replaces after formatting.
pub fn raw_string(text: &str) -> TokenStream {
    // A raw string cannot hold a bare carriage return.
    if text.contains('\r') {
        return proc_macro2::Literal::string(text).into_token_stream();
    }
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal = format!("r{hashes}\"{text}\"{hashes}");
    let index = DEFERRED.with(|deferred| {
        let mut deferred = deferred.borrow_mut();
        deferred.push(literal);
        deferred.len() - 1
    });
    proc_macro2::Literal::string(&format!("{MARK}{index}")).into_token_stream()
}

/// `printed` with each placeholder replaced by its raw literal.
pub fn fill(printed: &str) -> String {
    DEFERRED.with(|deferred| {
        let deferred = deferred.borrow();
        let mut text = String::with_capacity(printed.len());
        let mut rest = printed;
        while let Some(start) = rest.find("\"\\0raw:") {
            let digits_from = start + "\"\\0raw:".len();
            let digits = rest[digits_from..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let end = digits_from + digits;
            let literal = rest[digits_from..end]
                .parse::<usize>()
                .ok()
                .and_then(|index| deferred.get(index))
                .filter(|_| rest[end..].starts_with('"'));
            match literal {
                Some(literal) => {
                    text.push_str(&rest[..start]);
                    text.push_str(literal);
                    rest = &rest[end + 1..];
                    FILLED.with(|filled| filled.set(filled.get() + 1));
                }
                None => {
                    text.push_str(&rest[..digits_from]);
                    rest = &rest[digits_from..];
                }
            }
        }
        text.push_str(rest);
        text
    })
}

/// Whether every literal was put back exactly once (a spec string that happened to print
/// like a placeholder would make the count differ).
pub fn all_filled() -> bool {
    let literals = DEFERRED.with(|deferred| deferred.borrow().len());
    FILLED.with(|filled| filled.get()) == literals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_put_back_whatever_the_layout() {
        start_file();
        let short = raw_string("{\n  \"a\": 1\n}").to_string();
        let long = raw_string(&"x".repeat(500)).to_string();
        // Fixed-length placeholders: the layout around them cannot depend on the examples.
        assert_eq!(short.len(), long.len());
        let printed = format!("let a = f({short});\nlet b = g({long});\n");
        let filled = fill(&printed);
        assert!(filled.contains("f(r#\"{\n  \"a\": 1\n}\"#);"), "{filled}");
        assert!(filled.contains(&format!("g(r#\"{}\"#);", "x".repeat(500))));
        assert!(all_filled());
    }

    #[test]
    fn a_string_that_prints_like_a_placeholder_is_counted() {
        start_file();
        let ours = raw_string("a").to_string();
        // The same text twice: once ours, once a look-alike from elsewhere.
        let filled = fill(&format!("{ours} {ours}"));
        assert_eq!(filled, "r#\"a\"# r#\"a\"#");
        assert!(!all_filled(), "two replacements for one literal");
    }
}
