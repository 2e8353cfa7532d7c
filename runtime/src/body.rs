//! Request body encodings other than JSON: `multipart/form-data` ([`Multipart`],
//! [`FilePart`]) and `application/x-www-form-urlencoded` ([`form_urlencoded`]).
//!
//! Bodies are encoded to bytes once, when the request is built, so every retry sends the
//! same bytes (and the same multipart boundary).

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

/// A file part of a `multipart/form-data` body: a file name, the bytes, and a content type
/// (`application/octet-stream` unless set).
///
/// `Debug` shows the file name, the content type and the size, never the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    file_name: String,
    content_type: Option<String>,
    data: Vec<u8>,
}

impl FilePart {
    /// A file part named `file_name` (the `filename` of the part) holding `data`.
    pub fn new(file_name: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            data: data.into(),
        }
    }

    /// Sets the part's `Content-Type` (e.g. `image/png`).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The bytes.
    pub fn data(&self) -> &[u8] {
        &self.data
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

#[derive(Clone)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

/// A `multipart/form-data` body being built: text parts and file parts, in order.
///
/// Problems (a value that does not serialize, a content type with control characters) are
/// kept and reported by [`Request::multipart_body`](crate::Request::multipart_body) as
/// invalid input. `Debug` shows part names and sizes only.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    problems: Vec<String>,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.parts.iter().map(|p| (&p.name, p.data.len())))
            .finish()
    }
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text part.
    pub fn text(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type: None,
            data: value.into().into_bytes(),
        });
        self
    }

    /// Adds a value as text parts: a string as is, a number or boolean as written in JSON,
    /// an array as one part per item, an object as its JSON text; `null` adds nothing.
    pub fn value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        match serde_json::to_value(value) {
            Ok(value) => {
                for text in texts(&value) {
                    self.text(name, text);
                }
            }
            Err(e) => self.problems.push(format!(
                "could not serialize the multipart part {name}: {e}"
            )),
        }
        self
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, file: &FilePart) -> &mut Self {
        if let Some(content_type) = &file.content_type {
            if !crate::operation::valid_header_value(content_type) {
                self.problems.push(format!(
                    "the content type of the multipart part {name} contains CR, LF or other invalid characters"
                ));
            }
        }
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.file_name.clone()),
            content_type: Some(
                file.content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
            ),
            data: file.data.clone(),
        });
        self
    }

    pub(crate) fn take_problems(&mut self) -> Vec<String> {
        std::mem::take(&mut self.problems)
    }

    /// The encoded body and its `Content-Type` (with the boundary), using a random boundary
    /// that occurs in no part.
    pub(crate) fn encode(&self) -> (Vec<u8>, String) {
        let mut boundary = random_boundary();
        while self
            .parts
            .iter()
            .any(|p| contains(&p.data, boundary.as_bytes()))
        {
            boundary = random_boundary();
        }
        (
            self.encode_with(&boundary),
            format!("multipart/form-data; boundary={boundary}"),
        )
    }

    fn encode_with(&self, boundary: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                escape_quoted(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", escape_quoted(file_name)));
            }
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }
}

fn random_boundary() -> String {
    let mut boundary = String::from("hwcloud-");
    for _ in 0..24 {
        boundary.push(fastrand::alphanumeric());
    }
    boundary
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A name or file name inside a quoted `Content-Disposition` parameter: `"`, CR and LF
/// percent-encoded, as browsers do.
fn escape_quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The text forms of a value in a form or multipart body (see [`Multipart::value`]).
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::String(text) => vec![text.clone()],
        Value::Number(_) | Value::Bool(_) | Value::Object(_) => vec![value.to_string()],
        Value::Array(items) => items
            .iter()
            .flat_map(|item| match item {
                Value::Array(_) => vec![item.to_string()],
                other => texts(other),
            })
            .collect(),
    }
}

/// `application/x-www-form-urlencoded`: everything but `A-Za-z0-9*-._` is percent-encoded,
/// and a space is `+`.
const FORM_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

fn form_encode(text: &str) -> String {
    utf8_percent_encode(text, FORM_SET)
        .to_string()
        .replace("%20", "+")
}

/// Encodes an object as `application/x-www-form-urlencoded`: each member as `key=value`
/// (texts as for [`Multipart::value`]: an array repeats the key, `null` members are left
/// out), in key order.
pub fn form_urlencoded<T: Serialize + ?Sized>(body: &T) -> Result<String, String> {
    let value = serde_json::to_value(body)
        .map_err(|e| format!("could not serialize the form body: {e}"))?;
    let Value::Object(members) = value else {
        return Err("a form body must be an object".to_owned());
    };
    let mut pairs = Vec::new();
    for (key, member) in &members {
        for text in texts(member) {
            pairs.push(format!("{}={}", form_encode(key), form_encode(&text)));
        }
    }
    Ok(pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_layout() {
        let mut form = Multipart::new();
        form.text("a", "1")
            .value("n", &7)
            .value("list", &["x", "y"])
            .value("skip", &Option::<i32>::None)
            .file(
                "f\"q",
                &FilePart::new("a\r\nb.png", vec![0u8, 1]).with_content_type("image/png"),
            )
            .file("g", &FilePart::new("g.bin", b"zz".to_vec()));
        let body = form.encode_with("B");
        let expected = b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
--B\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n7\r\n\
--B\r\nContent-Disposition: form-data; name=\"list\"\r\n\r\nx\r\n\
--B\r\nContent-Disposition: form-data; name=\"list\"\r\n\r\ny\r\n\
--B\r\nContent-Disposition: form-data; name=\"f%22q\"; filename=\"a%0D%0Ab.png\"\r\nContent-Type: image/png\r\n\r\n\x00\x01\r\n\
--B\r\nContent-Disposition: form-data; name=\"g\"; filename=\"g.bin\"\r\nContent-Type: application/octet-stream\r\n\r\nzz\r\n\
--B--\r\n";
        assert_eq!(
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(expected)
        );
        assert!(form.problems.is_empty());
        let (_, content_type) = form.encode();
        assert!(content_type.starts_with("multipart/form-data; boundary=hwcloud-"));
        let debug = format!("{form:?} {:?}", FilePart::new("x", b"secret".to_vec()));
        assert!(
            !debug.contains("secret\"") && !debug.contains("115"),
            "{debug}"
        );
    }

    #[test]
    fn boundary_never_occurs_in_a_part() {
        let mut form = Multipart::new();
        form.text("a", "hwcloud-");
        let (body, content_type) = form.encode();
        let boundary = content_type.rsplit('=').next().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&body).matches(boundary).count(),
            2,
            "{content_type}"
        );
    }

    #[test]
    fn bad_file_content_type_is_a_problem() {
        let mut form = Multipart::new();
        form.file(
            "f",
            &FilePart::new("x", vec![]).with_content_type("a\r\nX: y"),
        );
        assert_eq!(form.take_problems().len(), 1);
    }

    #[test]
    fn form_encoding() {
        let body = serde_json::json!({
            "name": "a b&c=d", "n": 1, "flag": true, "tags": ["x", "é"], "none": null,
            "obj": {"k": 1}, "safe": "*-._~"
        });
        assert_eq!(
            form_urlencoded(&body).unwrap(),
            "flag=true&n=1&name=a+b%26c%3Dd&obj=%7B%22k%22%3A1%7D&safe=*-._%7E&tags=x&tags=%C3%A9"
        );
        assert!(form_urlencoded(&[1, 2]).is_err());
    }
}
