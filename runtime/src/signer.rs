//! SDK-HMAC-SHA256 request signing, byte-for-byte compatible with the official
//! Huawei Cloud SDK signer (`huaweicloudsdkcore/signer/signer.py`, class `Signer`).
//!
//! The algorithm:
//!
//! * **canonical URI**: the request path is percent-*decoded*, split on `/`, each
//!   piece percent-encoded over the RFC 3986 unreserved set (`A-Za-z0-9-_.~`, upper-case
//!   hex) and re-joined with `/`; a trailing `/` is appended when missing. (Because the
//!   path is decoded first, an encoded `%2F` inside a segment shows up as `/`.)
//! * **canonical query**: the raw (decoded) `(key, value)` pairs sorted by key then value
//!   (on the raw strings), each key and value encoded as above, `k=v` joined by `&`. The
//!   runtime sends exactly this string as the request's query, as the official SDK does.
//! * **canonical headers**: lower-cased names, trimmed values, `name:value\n` each, sorted
//!   by name; headers whose name contains `_` are not signed.
//! * **signed headers**: the `;`-joined sorted lower-case names.
//! * **payload hash**: hex SHA-256 of the body (the `X-Sdk-Content-Sha256` header value
//!   instead, when present, e.g. `UNSIGNED-PAYLOAD`); the signer adds that header itself, as
//!   the official one does, when a `Content-Type` header is neither JSON nor BSON.
//!
//! String to sign: `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex sha256(canonical request)>`;
//! signature: hex HMAC-SHA256(SK, string to sign); header
//! `Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<list>, Signature=<sig>`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};
use smallvec::SmallVec;

/// The signing algorithm name.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// Name of the date header.
pub const HEADER_SDK_DATE: &str = "X-Sdk-Date";
/// Name of the optional payload-hash override header.
pub const HEADER_CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";
/// The `X-Sdk-Content-Sha256` value of a body that is not hashed into the signature.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// SHA-256 of the empty string, used as payload hash for empty bodies.
pub const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Everything outside the RFC 3986 unreserved set `A-Za-z0-9-_.~`.
pub(crate) const ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Lower-case names of headers whose values are credentials: `Debug` output shows
/// `***` instead of their values.
const REDACTED_HEADERS: &[&str] = &["authorization", "x-auth-token", "x-security-token"];

fn is_redacted_header(name: &str) -> bool {
    REDACTED_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name.trim()))
}

/// The request parts that are signed.
///
/// `Debug` shows header names but `***` for the values of `Authorization`,
/// `X-Auth-Token` and `X-Security-Token`, and only the body's length.
///
/// Header names and values are `String`s by default; any `S: AsRef<str>` will do (the
/// client signs borrowed `&str` pairs, so that nothing is copied for signing). An empty list
/// says which: `SigningInput::<&str> { headers: &[], .. }`.
pub struct SigningInput<'a, S = String> {
    /// HTTP method, e.g. `GET` (upper-cased by the signer).
    pub method: &'a str,
    /// The path as sent on the wire (percent-encoded), e.g. `/v1/caf%C3%A9`.
    pub path: &'a str,
    /// Raw (not percent-encoded) query pairs, in any order; repeated keys allowed.
    pub query: &'a [(String, String)],
    /// Headers to sign (names in any case). `X-Sdk-Date` is taken from the `date`
    /// argument of [`sign`] and replaces any `X-Sdk-Date` given here. Names containing
    /// `_` are skipped, as the official signer does.
    pub headers: &'a [(S, S)],
    /// The request body (empty for none).
    pub body: &'a [u8],
}

// Not derived: a derive would ask `S: Copy`, and `String` is not.
impl<S> Clone for SigningInput<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for SigningInput<'_, S> {}

impl<S: AsRef<str>> fmt::Debug for SigningInput<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a, S>(&'a [(S, S)]);
        impl<S: AsRef<str>> fmt::Debug for Headers<'_, S> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list()
                    .entries(self.0.iter().map(|(name, value)| {
                        let (name, value) = (name.as_ref(), value.as_ref());
                        let value = if is_redacted_header(name) {
                            "***"
                        } else {
                            value
                        };
                        (name, value)
                    }))
                    .finish()
            }
        }
        f.debug_struct("SigningInput")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &Headers(self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The canonical request with the values of credential headers replaced by `***`.
fn redact_canonical_request(canonical_request: &str) -> String {
    canonical_request
        .split('\n')
        .map(|line| match line.split_once(':') {
            Some((name, _)) if is_redacted_header(name) => format!("{name}:***"),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The result of [`sign`].
///
/// `Debug` shows `***` for the signature and the `Authorization` value, and the
/// canonical request with the values of credential headers (`X-Security-Token`,
/// `X-Auth-Token`) replaced by `***`; it leaves out the string to sign. The fields
/// themselves are not redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    /// The full `Authorization` header value.
    pub authorization: String,
    /// `;`-joined sorted lower-case names of the signed headers.
    pub signed_headers: String,
    /// Hex HMAC-SHA256 signature.
    pub signature: String,
    /// The canonical request that was hashed (useful for debugging mismatches).
    pub canonical_request: String,
    /// The string that was signed.
    pub string_to_sign: String,
    /// Headers the signer added and signed, which the request must carry as they are: the
    /// official signer's `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` for a body that is not JSON
    /// (see [`sign`]).
    pub added_headers: Vec<(&'static str, &'static str)>,
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("authorization", &"***")
            .field("signed_headers", &self.signed_headers)
            .field("signature", &"***")
            .field(
                "canonical_request",
                &redact_canonical_request(&self.canonical_request),
            )
            .finish_non_exhaustive()
    }
}

/// Percent-encodes `s` (as UTF-8) over everything outside `A-Za-z0-9-_.~`, upper-case hex
/// (Python's `quote(s, safe='~')`).
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, ENCODE_SET).to_string()
}

/// Percent-decodes `s` (invalid UTF-8 replaced by U+FFFD, like Python's `unquote`).
pub fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The canonical URI of a wire path: decoded, split on `/`, each piece encoded,
/// re-joined, and always ending in `/`.
pub fn canonical_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    canonical_uri_into(path, &mut out);
    out
}

fn canonical_uri_into(path: &str, out: &mut String) {
    // The usual path (the client's URL path, already encoded, of unreserved segments):
    // decoding, splitting, encoding and re-joining give it back unchanged.
    if path
        .bytes()
        .all(|b| b == b'/' || UNRESERVED[usize::from(b)])
    {
        out.push_str(path);
        if !path.ends_with('/') {
            out.push('/');
        }
        return;
    }
    // Borrowed, not copied, when the path has no `%`.
    let decoded = if path.contains('%') {
        percent_decode_str(path).decode_utf8_lossy()
    } else {
        Cow::Borrowed(path)
    };
    let mut segments = 0;
    let mut last_empty = false;
    for segment in decoded.split('/') {
        if segments > 0 {
            out.push('/');
        }
        encode_into(segment, out);
        segments += 1;
        last_empty = segment.is_empty();
    }
    // Encoded segments hold no `/`: the URI ends with one only after an empty last segment.
    if !(segments > 1 && last_empty) {
        out.push('/');
    }
}

/// The canonical query string of raw pairs: sorted by (key, value) on the raw strings,
/// then each part encoded, `k=v` joined by `&`. Empty for no pairs.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut out = String::new();
    canonical_query_into(query, &mut out);
    out
}

pub(crate) fn canonical_query_into<K: AsRef<str>, V: AsRef<str>>(
    query: &[(K, V)],
    out: &mut String,
) {
    // One pair, the usual case, needs no sorting (nor the list to sort).
    if let [(key, value)] = query {
        encode_into(key.as_ref(), out);
        out.push('=');
        encode_into(value.as_ref(), out);
        return;
    }
    let mut pairs: Vec<(&str, &str)> = query
        .iter()
        .map(|(key, value)| (key.as_ref(), value.as_ref()))
        .collect();
    pairs.sort_unstable();
    for (i, (key, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(key, out);
        out.push('=');
        encode_into(value, out);
    }
}

/// The bytes [`encode`] leaves as they are: `A-Za-z0-9-_.~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        byte += 1;
    }
    table
};

/// [`encode`] into `out`: runs of unreserved characters are copied whole.
pub(crate) fn encode_into(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    // Most values need no encoding at all.
    let Some(first) = bytes.iter().position(|&b| !UNRESERVED[usize::from(b)]) else {
        out.push_str(s);
        return;
    };
    let mut run = 0;
    for (i, &byte) in bytes.iter().enumerate().skip(first) {
        if UNRESERVED[usize::from(byte)] {
            continue;
        }
        // A run holds only ASCII bytes, and a byte after ASCII starts a character: the run's
        // ends are char boundaries. (Bytes of a multi-byte character are encoded one by one.)
        if run < i {
            out.push_str(&s[run..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        run = i + 1;
    }
    if run < bytes.len() {
        out.push_str(&s[run..]);
    }
}

/// Parses a wire query string (`a=1&b=x%20y`) back into raw pairs, for tests that
/// recompute a signature from a received request. `+` is kept literally.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// Hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// A secret key made ready for signing: the HMAC key schedule is done once, when the client
/// is built, instead of for every request. `Debug` shows nothing of it.
#[derive(Clone)]
pub struct SigningKey(Hmac<Sha256>);

impl SigningKey {
    /// Prepares `sk`.
    pub fn new(sk: &str) -> Self {
        SigningKey(
            Hmac::<Sha256>::new_from_slice(sk.as_bytes()).expect("HMAC accepts any key length"),
        )
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

/// Signs a request. `date` is the `X-Sdk-Date` value (`YYYYMMDDTHHMMSSZ`, see
/// [`format_sdk_date`]); the caller must send the same value in `X-Sdk-Date`.
pub fn sign<S: AsRef<str>>(
    input: &SigningInput<'_, S>,
    ak: &str,
    sk: &str,
    date: &str,
) -> Signature {
    sign_with_key(input, ak, &SigningKey::new(sk), date)
}

/// [`sign`] with a prepared key.
pub fn sign_with_key<S: AsRef<str>>(
    input: &SigningInput<'_, S>,
    ak: &str,
    key: &SigningKey,
    date: &str,
) -> Signature {
    let added_headers = added_headers(input);
    let prepared = prepare(input, &added_headers, date);
    let mut canonical_request = String::with_capacity(256 + input.path.len());
    write_canonical_request(input, None, &prepared, &mut canonical_request);
    let mut signed_headers = String::with_capacity(prepared.headers.len() * 16);
    write_signed_headers(&prepared, &mut signed_headers);
    let mut hex_digest = [0u8; 64];
    hex_into(
        &Sha256::digest(canonical_request.as_bytes()),
        &mut hex_digest,
    );
    let string_to_sign = format!("{ALGORITHM}\n{date}\n{}", ascii(&hex_digest));
    let mut mac = key.0.clone();
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let authorization =
        format!("{ALGORITHM} Access={ak}, SignedHeaders={signed_headers}, Signature={signature}");
    drop(prepared);
    Signature {
        authorization,
        signed_headers,
        signature,
        canonical_request,
        string_to_sign,
        added_headers,
    }
}

/// What the client sends for a signed request: the `Authorization` value and the headers the
/// signer added.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The `Authorization` header value.
    pub value: String,
    /// As [`Signature::added_headers`].
    pub added_headers: Vec<(&'static str, &'static str)>,
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("value", &"***")
            .field("added_headers", &self.added_headers)
            .finish()
    }
}

/// The same `Authorization` as [`sign_with_key`], computed without keeping the canonical
/// request or the string to sign: both are hashed as they are written (what the client does
/// for each request).
pub fn authorize<S: AsRef<str>>(
    input: &SigningInput<'_, S>,
    ak: &str,
    key: &SigningKey,
    date: &str,
) -> Authorization {
    authorize_with_query(input, None, ak, key, date)
}

/// [`authorize`] for a request whose canonical query string is already written (the client's
/// URL carries exactly it): `input.query`'s pairs are not encoded a second time.
pub(crate) fn authorize_with_query<S: AsRef<str>>(
    input: &SigningInput<'_, S>,
    canonical_query: Option<&str>,
    ak: &str,
    key: &SigningKey,
    date: &str,
) -> Authorization {
    let added_headers = added_headers(input);
    let prepared = prepare(input, &added_headers, date);
    // Exactly as long as the value: its bytes become the header value without a copy, and a
    // `Bytes` made from a full `Vec` needs no allocation of its own.
    let signed_headers_length = prepared
        .headers
        .iter()
        .map(|(name, _)| name.len() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    let mut value = String::with_capacity(
        ALGORITHM.len()
            + " Access=".len()
            + ak.len()
            + ", SignedHeaders=".len()
            + signed_headers_length
            + ", Signature=".len()
            + 64,
    );
    value.push_str(ALGORITHM);
    value.push_str(" Access=");
    value.push_str(ak);
    value.push_str(", SignedHeaders=");
    // Written into one buffer and hashed at once: cheaper than many small hash updates. The
    // buffer is the thread's, reused from one request to the next. The signed headers' list
    // is taken from it for the `Authorization` value, not written twice.
    let hash = |buffer: &mut String, value: &mut String| {
        buffer.clear();
        let signed_headers = write_canonical_request(input, canonical_query, &prepared, buffer);
        value.push_str(&buffer[signed_headers]);
        Sha256::digest(buffer.as_bytes())
    };
    let from_thread_buffer = CANONICAL_REQUEST.try_with(|buffer| {
        let mut buffer = buffer.try_borrow_mut().ok()?;
        let digest = hash(&mut buffer, &mut value);
        // The canonical request holds `X-Security-Token`'s value: overwritten, not kept
        // until the next request.
        wipe(&mut buffer);
        Some(digest)
    });
    // Without the thread's buffer (torn down, or a re-entrant call), a fresh one.
    let digest = match from_thread_buffer {
        Ok(Some(digest)) => digest,
        _ => hash(&mut String::with_capacity(512), &mut value),
    };
    let mut hex_digest = [0u8; 64];
    hex_into(&digest, &mut hex_digest);
    let mut mac = key.0.clone();
    let mut string_to_sign = [0u8; 160];
    let mut length = 0;
    for part in [ALGORITHM, "\n", date, "\n", ascii(&hex_digest)] {
        match string_to_sign.get_mut(length..length + part.len()) {
            Some(slot) => {
                slot.copy_from_slice(part.as_bytes());
                length += part.len();
            }
            // A date far longer than `X-Sdk-Date`'s 16 characters: hashed piece by piece.
            None => {
                mac.update(&string_to_sign[..length]);
                mac.update(part.as_bytes());
                length = 0;
            }
        }
    }
    mac.update(&string_to_sign[..length]);
    let mut signature = [0u8; 64];
    hex_into(&mac.finalize().into_bytes(), &mut signature);
    value.push_str(", Signature=");
    value.push_str(ascii(&signature));
    debug_assert_eq!(
        value.len(),
        value.capacity(),
        "the Authorization value's length"
    );
    drop(prepared);
    Authorization {
        value,
        added_headers,
    }
}

/// Overwrites and empties a buffer a thread keeps from one request to the next, so that what a
/// request wrote there (a token, a query value) is not kept until the next; an unusually long
/// buffer is not kept at all.
pub(crate) fn wipe(buffer: &mut String) {
    let mut written = buffer.len();
    buffer.clear();
    while written > 0 {
        let chunk = written.min(ZEROS.len());
        buffer.push_str(&ZEROS[..chunk]);
        written -= chunk;
    }
    buffer.clear();
    if buffer.capacity() > 8192 {
        *buffer = String::new();
    }
}

/// What a used buffer is overwritten with, a chunk at a time.
const ZEROS: &str = match std::str::from_utf8(&[0; 256]) {
    Ok(zeros) => zeros,
    Err(_) => panic!("NUL bytes are UTF-8"),
};

thread_local! {
    /// [`authorize`]'s canonical request buffer.
    static CANONICAL_REQUEST: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The official signer's rule: a header named exactly `Content-Type` whose value starts with
/// neither `application/json` nor `application/bson` means the body is not hashed. It adds
/// `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`, signs it, and uses it as the payload hash.
fn added_headers<S: AsRef<str>>(input: &SigningInput<'_, S>) -> Vec<(&'static str, &'static str)> {
    let unsigned_payload = input.headers.iter().any(|(name, value)| {
        let (name, value) = (name.as_ref(), value.as_ref());
        name == "Content-Type"
            && !value.is_empty()
            && !value.starts_with("application/json")
            && !value.starts_with("application/bson")
    });
    if unsigned_payload {
        vec![(HEADER_CONTENT_SHA256, UNSIGNED_PAYLOAD)]
    } else {
        Vec::new()
    }
}

/// The signed headers and the payload hash of a request.
struct Prepared<'a> {
    /// Names as given (written lower-cased), trimmed values; sorted by lower-case name, one
    /// per name (a later duplicate wins, as in the official signer's dict).
    headers: SmallVec<[(&'a str, &'a str); 8]>,
    payload_hash: Cow<'a, str>,
}

fn prepare<'a, S: AsRef<str>>(
    input: &SigningInput<'a, S>,
    added: &'a [(&'static str, &'static str)],
    date: &'a str,
) -> Prepared<'a> {
    let mut headers: SmallVec<[(&'a str, &'a str); 8]> = SmallVec::new();
    let given = input
        .headers
        .iter()
        .map(|(name, value)| (name.as_ref(), value.as_ref()))
        .chain(added.iter().copied());
    for (name, value) in given {
        if name.contains('_')
            || name.eq_ignore_ascii_case("x-sdk-date")
            || name.eq_ignore_ascii_case("authorization")
        {
            continue;
        }
        let value = value.trim();
        match headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(existing) => existing.1 = value,
            None => headers.push((name, value)),
        }
    }
    headers.push(("x-sdk-date", date));
    headers.sort_unstable_by(|a, b| lower_bytes(a.0).cmp(lower_bytes(b.0)));
    let payload_hash = if input.body.is_empty() {
        Cow::Borrowed(EMPTY_HASH)
    } else if let Some((_, value)) = headers
        .iter()
        .find(|(name, value)| name.eq_ignore_ascii_case(HEADER_CONTENT_SHA256) && !value.is_empty())
    {
        Cow::Borrowed(*value)
    } else {
        Cow::Owned(sha256_hex(input.body))
    };
    Prepared {
        headers,
        payload_hash,
    }
}

fn lower_bytes(name: &str) -> impl Iterator<Item = u8> + '_ {
    name.bytes().map(|b| b.to_ascii_lowercase())
}

/// Writes the canonical request; returns where in `out` its signed headers' list is.
fn write_canonical_request<S>(
    input: &SigningInput<'_, S>,
    canonical_query: Option<&str>,
    prepared: &Prepared<'_>,
    out: &mut String,
) -> std::ops::Range<usize> {
    put_upper(input.method, out);
    out.push('\n');
    canonical_uri_into(input.path, out);
    out.push('\n');
    match canonical_query {
        Some(query) => out.push_str(query),
        None => canonical_query_into(input.query, out),
    }
    out.push('\n');
    for (name, value) in &prepared.headers {
        put_lower(name, out);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    let start = out.len();
    write_signed_headers(prepared, out);
    let signed_headers = start..out.len();
    out.push('\n');
    out.push_str(&prepared.payload_hash);
    signed_headers
}

fn write_signed_headers(prepared: &Prepared<'_>, out: &mut String) {
    for (i, (name, _)) in prepared.headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        put_lower(name, out);
    }
}

/// Writes `name` lower-cased, in place in `out`.
fn put_lower(name: &str, out: &mut String) {
    let start = out.len();
    out.push_str(name);
    out[start..].make_ascii_lowercase();
}

fn put_upper(method: &str, out: &mut String) {
    let start = out.len();
    out.push_str(method);
    out[start..].make_ascii_uppercase();
}

/// Lower-case hex of a SHA-256 digest or HMAC.
fn hex_into(bytes: &[u8], out: &mut [u8; 64]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (pair, byte) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0x0f)];
    }
}

/// Hex digits as text.
fn ascii(digits: &[u8; 64]) -> &str {
    std::str::from_utf8(digits).unwrap_or_default()
}

/// Formats a time as `YYYYMMDDTHHMMSSZ` (UTC), the `X-Sdk-Date` format.
pub fn format_sdk_date(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day)
/// (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fast_encoder_encodes_as_the_percent_encoding_crate() {
        let samples = [
            "",
            "a",
            "café",
            "中文/x",
            "a b+c",
            "%",
            "~user",
            "ÿ",
            "é-é",
            "a\u{1F600}b",
            "\u{0}\t",
            "!$'()*,;:@",
            "x%zz",
            "-_.~",
            "é",
            "aé",
            "éa",
            "ééé",
            "a/b?c#d&e=f",
        ];
        let every_ascii: String = (0..128u8).map(char::from).collect();
        for sample in samples.into_iter().chain([every_ascii.as_str()]) {
            let mut fast = String::new();
            encode_into(sample, &mut fast);
            assert_eq!(fast, encode(sample), "{sample:?}");
        }
    }

    use super::*;
    use std::time::Duration;

    #[test]
    fn a_wiped_buffer_is_overwritten_and_a_long_one_is_not_kept() {
        let mut buffer = String::with_capacity(64);
        buffer.push_str("X-Security-Token:CANARYTOKEN");
        let (pointer, written) = (buffer.as_ptr(), buffer.len());
        wipe(&mut buffer);
        assert!(buffer.is_empty());
        assert_eq!(buffer.as_ptr(), pointer, "the same allocation, kept");
        // The bytes past the length are the overwritten ones.
        let mut bytes = buffer.into_bytes();
        // SAFETY: the first `written` bytes of the allocation were initialized (by `wipe`).
        let overwritten: Vec<u8> = bytes.spare_capacity_mut()[..written]
            .iter()
            .map(|b| unsafe { b.assume_init() })
            .collect();
        assert!(overwritten.iter().all(|&b| b == 0), "{overwritten:?}");

        let mut long = "x".repeat(10_000);
        wipe(&mut long);
        assert_eq!(long.capacity(), 0, "an unusually long buffer is dropped");
    }

    #[test]
    fn known_vector() {
        let query = vec![("limit".to_owned(), "1".to_owned())];
        let sig = sign(
            &SigningInput::<&str> {
                method: "GET",
                path: "/path",
                query: &query,
                headers: &[],
                body: b"",
            },
            "AccessKey",
            "SecretKey",
            "20060102T150405Z",
        );
        assert_eq!(
            sig.signature,
            "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
        );
        assert_eq!(sig.signed_headers, "x-sdk-date");
        assert_eq!(
            sig.authorization,
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, \
             Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
        );
        let dbg = format!("{sig:?}");
        assert!(!dbg.contains("5a2ce64c"));
    }

    #[test]
    fn debug_redacts_credentials() {
        const TOKEN: &str = "SECURITYTOKEN-very-secret";
        const IAM: &str = "IAMTOKEN-very-secret";
        const AUTH: &str = "AUTHORIZATION-very-secret";
        let headers = vec![
            ("Host".to_owned(), "kms.example.com".to_owned()),
            ("X-Security-Token".to_owned(), TOKEN.to_owned()),
            ("x-auth-token".to_owned(), IAM.to_owned()),
            ("Authorization".to_owned(), AUTH.to_owned()),
        ];
        let input = SigningInput {
            method: "GET",
            path: "/v1/x",
            query: &[],
            headers: &headers,
            body: b"",
        };
        let sig = sign(&input, "AccessKey", "SecretKey", "20200101T000000Z");
        // The canonical request itself keeps the signed values (needed for debugging
        // signature mismatches programmatically); only `Debug` redacts them.
        assert!(sig.canonical_request.contains(TOKEN));
        for text in [
            format!("{input:?}"),
            format!("{input:#?}"),
            format!("{sig:?}"),
            format!("{sig:#?}"),
        ] {
            for secret in [
                TOKEN,
                IAM,
                AUTH,
                "SecretKey",
                &sig.signature,
                &sig.authorization,
            ] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
            assert!(text.contains("***"), "{text}");
        }
        let input_dbg = format!("{input:?}");
        assert!(input_dbg.contains("X-Security-Token"), "{input_dbg}");
        assert!(input_dbg.contains("x-auth-token"), "{input_dbg}");
        assert!(input_dbg.contains("Authorization"), "{input_dbg}");
        assert!(input_dbg.contains("kms.example.com"), "{input_dbg}");
        let sig_dbg = format!("{sig:?}");
        assert!(sig_dbg.contains("x-security-token:***"), "{sig_dbg}");
        assert!(sig_dbg.contains("host:kms.example.com"), "{sig_dbg}");
        assert!(sig_dbg.contains("host;x-auth-token;x-sdk-date;x-security-token"));
    }

    #[test]
    fn canonical_uri_edge_cases() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/a/b"), "/a/b/");
        assert_eq!(canonical_uri("/a/b/"), "/a/b/");
        assert_eq!(
            canonical_uri("/v1/caf%c3%a9/a b/x:y"),
            "/v1/caf%C3%A9/a%20b/x%3Ay/"
        );
        assert_eq!(canonical_uri("/a%2Fb"), "/a/b/");
        assert_eq!(canonical_uri("/~user/a-b_c.d"), "/~user/a-b_c.d/");
        assert_eq!(canonical_uri("/%2E%2E/x"), "/../x/");
        assert_eq!(canonical_uri("/a+b"), "/a%2Bb/");
    }

    /// The unreserved-path shortcut gives what decoding, splitting, encoding and re-joining do.
    #[test]
    fn canonical_uri_is_its_definition() {
        let definition = |path: &str| {
            let decoded = decode(path);
            let segments: Vec<String> = decoded.split('/').map(encode).collect();
            let mut uri = segments.join("/");
            if !(segments.len() > 1 && segments.last().is_some_and(String::is_empty)) {
                uri.push('/');
            }
            uri
        };
        let paths = [
            "",
            "/",
            "//",
            "a",
            "a/",
            "/a",
            "/a/",
            "/a//b",
            "/.",
            "/..",
            "a.b/c~d",
            "/-_.~/",
            "/v2/0123456789abcdef/kms/regions",
            "/v2/x/kms/regions/",
            "/a%2F",
            "/a b",
            "/é/",
            "/%41/",
            "/a%",
            "/a?b",
            "/A/Z/0/9",
        ];
        for path in paths {
            assert_eq!(canonical_uri(path), definition(path), "{path:?}");
        }
    }

    #[test]
    fn canonical_query_edge_cases() {
        let q = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(canonical_query(&[]), "");
        assert_eq!(
            canonical_query(&q(&[("b", "2"), ("a", "z"), ("a", "y"), ("x", "")])),
            "a=y&a=z&b=2&x="
        );
        // Sorted on raw strings: '~' (0x7E) sorts before 'é', although "%C3" < "~".
        assert_eq!(
            canonical_query(&q(&[("k", "é"), ("k", "~")])),
            "k=~&k=%C3%A9"
        );
        assert_eq!(
            canonical_query(&q(&[("a b", "c&d=e/+%")])),
            "a%20b=c%26d%3De%2F%2B%25"
        );
        let raw = q(&[("k", "%2F"), ("name", "a b"), ("name", "ü"), ("x", "")]);
        let wire = canonical_query(&raw);
        assert_eq!(wire, "k=%252F&name=a%20b&name=%C3%BC&x=");
        assert_eq!(parse_query(&wire), raw);
    }

    #[test]
    fn header_handling() {
        let headers = vec![
            ("Host".to_owned(), " example.com ".to_owned()),
            ("X_Ignored".to_owned(), "v".to_owned()),
            ("X-Sdk-Date".to_owned(), "ignored".to_owned()),
        ];
        let sig = sign(
            &SigningInput {
                method: "get",
                path: "/",
                query: &[],
                headers: &headers,
                body: b"",
            },
            "ak",
            "sk",
            "20200101T000000Z",
        );
        assert_eq!(sig.signed_headers, "host;x-sdk-date");
        assert!(sig
            .canonical_request
            .starts_with("GET\n/\n\nhost:example.com\nx-sdk-date:20200101T000000Z\n\n"));
    }

    #[test]
    fn unsigned_payload_header() {
        let headers = vec![(
            "X-Sdk-Content-Sha256".to_owned(),
            "UNSIGNED-PAYLOAD".to_owned(),
        )];
        let sig = sign(
            &SigningInput {
                method: "PUT",
                path: "/o",
                query: &[],
                headers: &headers,
                body: b"data",
            },
            "ak",
            "sk",
            "20200101T000000Z",
        );
        assert!(sig.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
    }

    #[test]
    fn dates() {
        assert_eq!(format_sdk_date(UNIX_EPOCH), "19700101T000000Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_136_214_245); // 2006-01-02T15:04:05Z
        assert_eq!(format_sdk_date(t), "20060102T150405Z");
        let t = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(format_sdk_date(t), "20000229T000000Z");
        let t = UNIX_EPOCH + Duration::from_secs(4_107_542_399); // 2100-02-28T23:59:59Z
        assert_eq!(format_sdk_date(t), "21000228T235959Z");
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
