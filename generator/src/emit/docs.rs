//! Rustdoc attributes from spec text.

use proc_macro2::TokenStream;
use quote::quote;

/// Makes page text safe as Markdown: the pages contain `<tag-key>` and `[...]`, which rustdoc
/// would read as HTML tags and links.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `#[doc = ...]` lines for outer docs; paragraphs are escaped and separated by blank lines.
pub fn outer(paragraphs: &[String]) -> TokenStream {
    lines(paragraphs.iter().map(|p| escape(p)).collect(), false)
}

/// Lines that are already Markdown (written by the generator), as outer or inner docs.
pub fn lines(markdown: Vec<String>, inner: bool) -> TokenStream {
    let mut tokens = TokenStream::new();
    for line in doc_values(&markdown) {
        tokens.extend(if inner {
            quote!(#![doc = #line])
        } else {
            quote!(#[doc = #line])
        });
    }
    tokens
}

/// Inner docs (`//!` lines) as text, exactly as prettyplease prints the attributes of
/// [`lines`]: the top of a file is written directly instead of being formatted.
pub fn inner_text(markdown: Vec<String>) -> String {
    let mut text = String::new();
    for line in doc_values(&markdown) {
        text.push_str("//!");
        text.push_str(line.trim_end_matches(' '));
        text.push('\n');
    }
    text
}

/// The values of the doc attributes for `markdown`: one per line, paragraphs separated by
/// an empty one (consecutive list items and table rows are not), each line but empty ones
/// starting with a space.
fn doc_values(markdown: &[String]) -> Vec<String> {
    let mut values = Vec::new();
    for (index, paragraph) in markdown.iter().enumerate() {
        let continues_list =
            index > 0 && is_list_item(paragraph) && is_list_item(&markdown[index - 1]);
        if index > 0 && !continues_list {
            values.push(String::new());
        }
        for line in paragraph.split('\n') {
            values.push(doc_value(line));
        }
    }
    values
}

fn is_list_item(line: &str) -> bool {
    line.starts_with("- ") || line.starts_with("| ")
}

/// Characters that reorder how text is displayed; rustc refuses them in comments because they
/// can make code read differently from what it does.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn doc_value(line: &str) -> String {
    let line: String = line
        .chars()
        .map(|c| if is_direction_control(c) { ' ' } else { c })
        .collect();
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}
