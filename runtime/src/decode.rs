//! Decoding responses: success bodies (by status), typed error bodies (by status) and typed
//! response headers.
//!
//! Generated code picks a success decoder ([`Json`], [`Text`], [`Empty`], or a generated
//! enum over the documented 2xx statuses that implements [`Decode`] itself), a typed error
//! body ([`DecodeErrorBody`]: any deserializable type, or a generated enum over the
//! documented error statuses) and a headers type ([`ResponseHeaders`]: `()` or a generated
//! struct), and hands them to [`Client::execute_with`](crate::Client::execute_with).

use std::marker::PhantomData;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Turns the body of a 2xx response into [`Output::body`](crate::Output::body).
///
/// Implemented by the marker types of this module and by generated enums over several
/// documented success statuses (`Status200(Body)`, `Status202`), which decode by status.
pub trait Decode {
    /// The decoded body.
    type Output;

    /// Decodes `body`, the complete body of a response with the 2xx `status`. An `Err` is
    /// the reason it does not decode; the runtime reports it as
    /// [`Error::Decode`](crate::Error::Decode) with the status and an excerpt of the body.
    fn decode(status: u16, body: &[u8]) -> Result<Self::Output, String>;
}

/// A JSON body decoded into `T`, whatever the 2xx status; an empty body is an error.
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Decode for Json<T> {
    type Output = T;

    fn decode(_status: u16, body: &[u8]) -> Result<T, String> {
        json(body)
    }
}

/// No documented body: whatever the response carries is ignored and the body is `()`.
pub enum Empty {}

impl Decode for Empty {
    type Output = ();

    fn decode(_status: u16, _body: &[u8]) -> Result<(), String> {
        Ok(())
    }
}

/// A text body (plain text, XML, ...) as a `String`; a body that is not UTF-8 is an error.
pub enum Text {}

impl Decode for Text {
    type Output = String;

    fn decode(_status: u16, body: &[u8]) -> Result<String, String> {
        text(body)
    }
}

/// The message of an empty (or all-whitespace) body where a JSON body was expected.
pub(crate) const EMPTY_BODY: &str = "empty body where a JSON body was expected";

/// Decodes a JSON body; an empty (or all-whitespace) one is an error rather than `null`.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(EMPTY_BODY.to_owned());
    }
    serde_json::from_slice::<T>(body).map_err(|e| e.to_string())
}

/// Decodes a text body: it must be UTF-8.
pub fn text(body: &[u8]) -> Result<String, String> {
    String::from_utf8(body.to_vec())
        .map_err(|e| format!("the text body is not valid UTF-8: {}", e.utf8_error()))
}

/// The typed body of an error response, decoded by status into
/// [`ServiceError::typed`](crate::ServiceError::typed).
///
/// Every deserializable type implements it (the body is JSON, the status is not looked at),
/// so an operation whose error statuses share one schema uses that schema's type. An
/// operation whose error statuses (or its `default` response) have different schemas uses a
/// generated enum with a variant per status (`Status400(A)`, `Status404(B)`, `Default(C)`)
/// that implements this trait itself and does not implement `Deserialize`.
///
/// The runtime calls it only for the operation's documented error statuses (and for every
/// non-2xx status when the operation documents a `default` response).
pub trait DecodeErrorBody: Sized {
    /// The typed body of an error response with `status`, or `None` when the body does not
    /// decode (or the status has no documented body).
    fn decode(status: u16, body: &[u8]) -> Option<Self>;
}

impl<T: DeserializeOwned> DecodeErrorBody for T {
    fn decode(_status: u16, body: &[u8]) -> Option<Self> {
        serde_json::from_slice(body).ok()
    }
}

/// The documented headers of a success response, decoded into
/// [`Output::headers`](crate::Output::headers).
///
/// `()` for operations that document none; a generated `<Operation>ResponseHeaders` struct
/// (every field an `Option`, built with [`header`] and [`header_list`]) otherwise.
pub trait ResponseHeaders: Sized {
    /// Decodes the headers of a success response. An `Err` (a documented header whose value
    /// does not parse as its documented type) is reported as
    /// [`Error::Decode`](crate::Error::Decode).
    fn decode(headers: &HeaderMap) -> Result<Self, String>;
}

impl ResponseHeaders for () {
    fn decode(_headers: &HeaderMap) -> Result<(), String> {
        Ok(())
    }
}

/// True for header names whose values are credentials or session secrets (`X-Subject-Token`,
/// `X-Auth-Token`, `Authorization`, `Set-Cookie`, ...): their values are never shown in
/// `Debug` output or error messages.
pub fn is_sensitive_header(name: &str) -> bool {
    // Checked for every header of every response: the usual names first, as `HeaderName`
    // spells them, then one pass over the others without a lower-cased copy.
    !COMMON_HEADERS.contains(&name) && has_sensitive_word(name)
}

/// Names (lower-case, as `HeaderName` holds them) that most responses carry, none of them
/// sensitive.
const COMMON_HEADERS: [&str; 8] = [
    "content-type",
    "content-length",
    "date",
    "server",
    "connection",
    "x-request-id",
    "transfer-encoding",
    "strict-transport-security",
];

/// Whether `name` contains one of the words that mark a credential, in any case.
fn has_sensitive_word(name: &str) -> bool {
    let name = name.as_bytes();
    let at = |rest: &[u8], word: &str| {
        rest.get(..word.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(word.as_bytes()))
    };
    (0..name.len()).any(|i| {
        let rest = &name[i..];
        match rest[0].to_ascii_lowercase() {
            b't' => at(rest, "token"),
            b'a' => at(rest, "authorization"),
            b'c' => at(rest, "cookie") || at(rest, "credential"),
            b's' => at(rest, "secret"),
            b'p' => at(rest, "password"),
            _ => false,
        }
    })
}

/// The value of the documented scalar header `name`, decoded into `T`: `None` when the
/// response does not carry it, an error when its value does not parse as `T`.
///
/// The value (the first one, when the header is repeated) is trimmed and decoded as a JSON
/// string first (strings and string enums), then as a JSON number or boolean (integers,
/// numbers, booleans, integer enums).
pub fn header<T: DeserializeOwned>(headers: &HeaderMap, name: &str) -> Result<Option<T>, String> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let text = header_text(name, value.as_bytes())?;
    scalar(name, text.trim()).map(Some)
}

/// The values of the documented array header `name`: every occurrence of the header, split
/// on commas, each item trimmed and decoded as by [`header`] (empty items are skipped).
/// `None` when the response does not carry the header.
pub fn header_list<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<Vec<T>>, String> {
    let mut values = headers.get_all(name).iter().peekable();
    if values.peek().is_none() {
        return Ok(None);
    }
    let mut items = Vec::new();
    for value in values {
        let text = header_text(name, value.as_bytes())?;
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            items.push(scalar(name, item)?);
        }
    }
    Ok(Some(items))
}

fn header_text<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, String> {
    std::str::from_utf8(bytes).map_err(|_| format!("response header {name} is not valid UTF-8"))
}

fn scalar<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, String> {
    if let Ok(value) = serde_json::from_value::<T>(Value::String(text.to_owned())) {
        return Ok(value);
    }
    let parsed = match serde_json::from_str::<Value>(text) {
        Ok(value @ (Value::Number(_) | Value::Bool(_))) => serde_json::from_value::<T>(value).ok(),
        _ => None,
    };
    parsed.ok_or_else(|| {
        if is_sensitive_header(name) {
            format!("response header {name} has a value of the wrong type")
        } else {
            let shown: String = text.chars().take(64).collect();
            format!("response header {name} has a value of the wrong type: {shown:?}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn map(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn scalars_by_type() {
        let h = map(&[
            ("x-count", " 42 "),
            ("x-name", "007"),
            ("x-flag", "true"),
            ("x-ratio", "0.5"),
            ("x-bad", "many"),
        ]);
        assert_eq!(header::<i64>(&h, "X-Count"), Ok(Some(42)));
        assert_eq!(header::<String>(&h, "x-name"), Ok(Some("007".into())));
        assert_eq!(header::<bool>(&h, "x-flag"), Ok(Some(true)));
        assert_eq!(header::<f64>(&h, "x-ratio"), Ok(Some(0.5)));
        assert_eq!(header::<i32>(&h, "x-missing"), Ok(None));
        let err = header::<i32>(&h, "x-bad").unwrap_err();
        assert!(err.contains("x-bad") && err.contains("many"), "{err}");
        assert!(header::<i32>(&h, "x-ratio").is_err());
    }

    #[test]
    fn lists_split_on_commas_across_occurrences() {
        let h = map(&[
            ("allow", "GET, HEAD"),
            ("allow", "OPTIONS,,"),
            ("x-n", "1, 2"),
        ]);
        assert_eq!(
            header_list::<String>(&h, "Allow"),
            Ok(Some(vec!["GET".into(), "HEAD".into(), "OPTIONS".into()]))
        );
        assert_eq!(header_list::<i32>(&h, "x-n"), Ok(Some(vec![1, 2])));
        assert_eq!(header_list::<i32>(&h, "x-none"), Ok(None));
        assert!(header_list::<i32>(&h, "allow").is_err());
    }

    #[test]
    fn sensitive_header_names_match_the_word_list() {
        let reference = |name: &str| {
            let lower = name.to_ascii_lowercase();
            [
                "token",
                "authorization",
                "cookie",
                "secret",
                "password",
                "credential",
            ]
            .iter()
            .any(|word| lower.contains(word))
        };
        let names = [
            "X-Subject-Token",
            "x-auth-token",
            "AUTHORIZATION",
            "Proxy-Authorization",
            "Set-Cookie",
            "cookie",
            "X-Client-Secret",
            "x-password",
            "X-Credential-Id",
            "X-Request-Id",
            "Content-Type",
            "tok",
            "toke",
            "tokens",
            "xtoken",
            "autho",
            "coo",
            "credentia",
            "secre",
            "passwor",
            "Retry-After",
            "",
            "t",
            "ÄToken",
            "x-to-ken",
            "CREDENTIALS",
            "x-sec-ret",
        ];
        for name in names.into_iter().chain(COMMON_HEADERS) {
            assert_eq!(is_sensitive_header(name), reference(name), "{name:?}");
        }
    }

    /// The shortcut changes no answer: the usual names have no sensitive word either.
    #[test]
    fn common_headers_have_no_sensitive_word() {
        for name in COMMON_HEADERS {
            assert!(!has_sensitive_word(name), "{name}");
            assert_eq!(name, name.to_ascii_lowercase());
        }
    }

    #[test]
    fn sensitive_values_stay_out_of_messages() {
        let h = map(&[("x-subject-token", "not-a-number")]);
        let err = header::<i32>(&h, "X-Subject-Token").unwrap_err();
        assert!(!err.contains("not-a-number"), "{err}");
        assert!(is_sensitive_header("X-Subject-Token") && is_sensitive_header("Set-Cookie"));
        assert!(!is_sensitive_header("X-Request-Id"));
    }

    #[test]
    fn bodies() {
        assert_eq!(json::<Vec<i32>>(b"[1]"), Ok(vec![1]));
        assert_eq!(json::<Value>(b" \n"), Err(EMPTY_BODY.to_owned()));
        assert_eq!(text(b"<a/>"), Ok("<a/>".to_owned()));
        assert!(text(b"\xff").is_err());
        assert_eq!(<Empty as Decode>::decode(200, b"anything"), Ok(()));
        assert_eq!(
            <Option<i32> as DecodeErrorBody>::decode(400, b"7"),
            Some(Some(7))
        );
        assert_eq!(<i32 as DecodeErrorBody>::decode(400, b"x"), None);
    }
}
