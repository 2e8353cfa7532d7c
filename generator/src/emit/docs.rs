//! Rustdoc attributes from spec text.

use proc_macro2::TokenStream;
use quote::quote;

/// Makes page text safe as Markdown: the pages contain `<tag-key>` and `[...]`, which rustdoc
/// would read as HTML tags and links. A code span (text between matching backticks, such as a
/// documented pattern) is kept as it is: Markdown reads nothing inside it, so an escape there
/// would show.
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while let Some(&c) = chars.get(index) {
        if c == '`' {
            if let Some(end) = code_span_end(&chars, index) {
                for &inner in &chars[index..end] {
                    out.push(if inner.is_control() { ' ' } else { inner });
                }
                index = end;
                continue;
            }
        }
        if let Some(end) = bare_url_end(&chars, index) {
            // rustdoc warns about (and does not link) a bare URL: make it an autolink.
            out.push('<');
            out.extend(&chars[index..end]);
            out.push('>');
            index = end;
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
        index += 1;
    }
    out
}

/// Where the `http://` or `https://` URL starting at `start` ends, if one starts there: at the
/// first character that cannot be part of it (space, non-ASCII, quotes, brackets), without
/// trailing sentence punctuation.
fn bare_url_end(chars: &[char], start: usize) -> Option<usize> {
    let rest = &chars[start..];
    let scheme = ["https://", "http://"]
        .iter()
        .find(|scheme| rest.iter().take(scheme.len()).copied().eq(scheme.chars()))?;
    let mut end = start + scheme.len();
    while let Some(&c) = chars.get(end) {
        let stops = !c.is_ascii_graphic()
            || matches!(c, '<' | '>' | '"' | '\'' | '`' | ')' | ']' | '[' | '(');
        if stops {
            break;
        }
        end += 1;
    }
    while end > start + scheme.len() && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?')
    {
        end -= 1;
    }
    (end > start + scheme.len()).then_some(end)
}

/// Where the code span opening at `start` (a run of backticks) ends: just past the closing run
/// of as many backticks. `None` when it is not closed (then the backticks are text).
fn code_span_end(chars: &[char], start: usize) -> Option<usize> {
    let run = chars[start..].iter().take_while(|&&c| c == '`').count();
    let mut index = start + run;
    while index < chars.len() {
        if chars[index] == '`' {
            let closing = chars[index..].iter().take_while(|&&c| c == '`').count();
            if closing == run {
                return Some(index + closing);
            }
            index += closing;
        } else {
            index += 1;
        }
    }
    None
}

/// `#[doc = ...]` lines for outer docs; paragraphs are escaped and separated by blank lines.
pub fn outer(paragraphs: &[String]) -> TokenStream {
    lines(paragraphs.iter().map(|p| escape(p)).collect(), false)
}

/// Lines that are already Markdown (written by the generator), as outer or inner docs.
///
/// Outer docs are not put in the token stream: they are most of a generated file's text
/// (spec descriptions, often in Chinese), and escaping them into string literals, parsing
/// those with syn and printing them with prettyplease was most of the time it took to emit
/// a file. Each block becomes one placeholder attribute, and [`fill`] writes the lines in its
/// place after formatting, exactly as prettyplease would have printed them.
pub fn lines(markdown: Vec<String>, inner: bool) -> TokenStream {
    let values = doc_values(&markdown);
    if inner {
        let mut tokens = TokenStream::new();
        for line in values {
            tokens.extend(quote!(#![doc = #line]));
        }
        return tokens;
    }
    if values.is_empty() {
        return TokenStream::new();
    }
    let index = DEFERRED.with(|deferred| {
        let mut deferred = deferred.borrow_mut();
        deferred.push(values);
        deferred.len() - 1
    });
    let placeholder = format!("{PLACEHOLDER}{index}");
    quote!(#[doc = #placeholder])
}

/// What a deferred doc block's attribute holds: no real doc value starts without a space.
const PLACEHOLDER: &str = "@@doc:";

thread_local! {
    /// The doc blocks of the file being emitted on this thread, by placeholder number.
    static DEFERRED: std::cell::RefCell<Vec<Vec<String>>> = const { std::cell::RefCell::new(Vec::new()) };
    /// How many placeholders [`fill`] has replaced since [`start_file`].
    static FILLED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Starts a file on this thread: forgets the doc blocks of the previous one.
pub fn start_file() {
    DEFERRED.with(|deferred| deferred.borrow_mut().clear());
    FILLED.with(|filled| filled.set(0));
}

/// Whether every doc block of the file was written in place of its placeholder: a placeholder
/// that prettyplease did not print as a `///` line of its own (inside a macro call, say) would
/// otherwise stay in the output as text.
pub fn all_filled() -> bool {
    let blocks = DEFERRED.with(|deferred| deferred.borrow().len());
    FILLED.with(|filled| filled.get()) == blocks
}

/// `printed` (prettyplease's output for items built on this thread since [`start_file`]) with
/// each placeholder line replaced by its doc block, at the placeholder's indentation.
pub fn fill(printed: &str) -> String {
    DEFERRED.with(|deferred| {
        let deferred = deferred.borrow();
        let mut text = String::with_capacity(printed.len() * 2);
        for line in printed.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let block = trimmed
                .strip_prefix("///")
                .and_then(|rest| rest.trim_end().strip_prefix(PLACEHOLDER))
                .and_then(|number| number.parse::<usize>().ok())
                .and_then(|index| deferred.get(index));
            let Some(block) = block else {
                text.push_str(line);
                continue;
            };
            FILLED.with(|filled| filled.set(filled.get() + 1));
            let indent = &line[..line.len() - trimmed.len()];
            for value in block {
                text.push_str(indent);
                text.push_str("///");
                text.push_str(value.trim_end_matches(' '));
                text.push('\n');
            }
        }
        text
    })
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
    mark_code_blocks_as_text(&mut values);
    values
}

/// Gives every fenced code block that rustdoc would take for Rust (no info string, or `rust`)
/// the `text` tag: spec descriptions
/// hold JSON, shell and XML in bare fences, and rustdoc would compile each as a doctest.
/// Fences are CommonMark's: three or more backticks or tildes, closed by a bare fence of the
/// same character at least as long; a backtick fence's info string has no backtick (a line
/// like ```` ```{"a":1}``` ```` is a code span, not a fence).
fn mark_code_blocks_as_text(values: &mut [String]) {
    let mut open: Option<(char, usize)> = None;
    for value in values.iter_mut() {
        let trimmed = value.trim_start();
        let Some(marker) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let run = trimmed.chars().take_while(|c| *c == marker).count();
        if run < 3 {
            continue;
        }
        let info = &trimmed[run..];
        match open {
            Some((kind, length)) => {
                if kind == marker && run >= length && info.trim().is_empty() {
                    open = None;
                }
            }
            None => {
                if marker == '`' && info.contains('`') {
                    continue;
                }
                open = Some((marker, run));
                if is_rust_info(info) {
                    let indent = value.len() - trimmed.len();
                    *value = format!("{}{}text", &value[..indent], &trimmed[..run]);
                }
            }
        }
    }
}

/// Whether a fence's info string leaves the block to rustdoc as Rust: none, or `rust`. (The
/// generator's own examples say `no_run` on purpose; spec text never does.)
fn is_rust_info(info: &str) -> bool {
    matches!(info.trim(), "" | "rust")
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
    // Tabs (in verbatim examples) render unevenly in rustdoc; four spaces is what clippy asks.
    let line: String = line
        .replace('\t', "    ")
        .chars()
        .map(|c| if is_direction_control(c) { ' ' } else { c })
        .collect();
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped_and_code_spans_kept() {
        assert_eq!(escape("a <b> [c]"), "a &lt;b&gt; \\[c\\]");
        assert_eq!(escape("Pattern: `^[a-z]<1>$`."), "Pattern: `^[a-z]<1>$`.");
        assert_eq!(escape("``a`[b]``"), "``a`[b]``");
        assert_eq!(escape("an odd ` [x]"), "an odd ` \\[x\\]");
    }

    #[test]
    fn deferred_doc_blocks_are_written_at_their_placeholder_indentation() {
        super::start_file();
        // A description that looks like a placeholder is text: real values start with a space.
        let tokens = super::lines(vec!["@@doc:0".into(), "two\nlines  ".into()], false);
        let item: syn::ItemStruct =
            syn::parse2(quote::quote!(#tokens pub struct S;)).expect("parses");
        let printed = prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![syn::Item::Struct(item)],
        });
        assert_eq!(
            super::fill(&printed),
            "/// @@doc:0\n///\n/// two\n/// lines\npub struct S;\n"
        );
        assert_eq!(super::fill("    ///@@doc:7\n"), "    ///@@doc:7\n");
    }

    #[test]
    fn bare_code_fences_are_text_not_doctests() {
        let values = super::doc_values(&[
            "a:\n```\n\"labels\": {}\n```".into(),
            "```json\n{}\n```\n``` rust\nfn main() {}\n```".into(),
            "~~~\nx\n~~~\n````\n```\n````".into(),
            "```{\"k\":1}``` is the format.\n```\ny\n```".into(),
        ]);
        assert_eq!(
            values,
            [
                " a:",
                " ```text",
                " \"labels\": {}",
                " ```",
                "",
                " ```json",
                " {}",
                " ```",
                " ```text",
                " fn main() {}",
                " ```",
                "",
                " ~~~text",
                " x",
                " ~~~",
                " ````text",
                " ```",
                " ````",
                "",
                " ```{\"k\":1}``` is the format.",
                " ```text",
                " y",
                " ```",
            ]
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            escape("见规格(https://example.com/a#/b?api=X)响应体。"),
            "见规格(<https://example.com/a#/b?api=X>)响应体。"
        );
        assert_eq!(
            escape("See http://h.example/x. Then"),
            "See <http://h.example/x>. Then"
        );
        assert_eq!(escape("http:// alone"), "http:// alone");
        assert_eq!(escape("`https://in.code`"), "`https://in.code`");
    }
}
