//! The spec files as written: serde types that mirror `spec/README.md` one to one.
//!
//! Every struct denies unknown fields so that a misspelt key is an error, not lost data.
//! Ordered maps keep the page's order, which is also the generated code's order.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// `spec/crate.yaml`: the generated crate's identity.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateFile {
    pub name: String,
    pub version: String,
    pub description: String,
}

/// `spec/<service>/service.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    pub service: String,
    pub title: String,
    pub endpoint: String,
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
}

/// `spec/<service>/<operation>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationFile {
    pub operation: String,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub constraints: Option<String>,
    pub source: Source,
    #[serde(default)]
    pub authorization: Vec<IamAction>,
    pub method: Method,
    pub path: String,
    /// A host pattern for this operation only (some operations live on another host than
    /// their service); like the service's `endpoint`, `{region}` is optional.
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub retry_safe: bool,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub body: Option<Body>,
    pub responses: IndexMap<String, Response>,
    #[serde(default)]
    pub request_example: Option<String>,
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
    #[serde(default)]
    pub notes: Vec<String>,
    /// How a listing operation pages through its results. Absent: detected from the query
    /// parameters and the success body (see spec/README.md); `style: none` turns it off.
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// How to ask for the next page of a listing operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    pub style: PaginationStyle,
    /// The query parameter that says where a page starts (`offset`, `marker`, `page`).
    #[serde(default)]
    pub cursor: Option<String>,
    /// The query parameter that sets the page size (`limit`, `page_size`).
    #[serde(default)]
    pub size: Option<String>,
    /// The member of the success body that holds the page's items (an array).
    #[serde(default)]
    pub items: Option<String>,
    /// `marker` style: the member of the success body holding the next page's marker, dotted
    /// when nested (`page_info.next_marker`).
    #[serde(default)]
    pub next_marker: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaginationStyle {
    /// `offset` counts items: the next page starts after the items received so far.
    Offset,
    /// `page` counts pages: the next page is the current one plus one.
    Page,
    /// The response names where the next page starts (`next_marker`).
    Marker,
    /// Not paginated, whatever the parameters look like.
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The reference page (file name in ../shared/docs) the spec transcribes: the ground truth.
    #[serde(default)]
    pub document: Option<String>,
    /// The API Explorer definition the spec was imported from, as
    /// `<Service>/src/<Operation>.json` under the catalogue's `schemas/`.
    #[serde(default)]
    pub definition: Option<String>,
    #[serde(default)]
    pub breadcrumb: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamAction {
    pub action: String,
    #[serde(default)]
    pub access_level: Option<String>,
    #[serde(default)]
    pub resource_types: Vec<String>,
    #[serde(default)]
    pub condition_keys: Vec<String>,
    #[serde(default)]
    pub alias: Option<String>,
    #[serde(default)]
    pub dependencies: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }
}

/// Headers the client sets itself (signing, credentials, project, framing, user agent) or cannot
/// sign (connection-level headers, which HTTP/2 drops after they were signed): a spec cannot make
/// them per-call parameters, except `X-Auth-Token` documented with `source: auth`. Importers
/// leave the others out, with a warning. The runtime refuses the same names at call time.
pub const CLIENT_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "x-sdk-date",
    "x-auth-token",
    "x-security-token",
    "x-project-id",
    "x-sdk-content-sha256",
    "content-length",
    "transfer-encoding",
    "content-type",
    "user-agent",
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
];

/// Whether a header parameter named `name` is one the client sets itself and a spec leaves
/// out (`X-Auth-Token` is not: it is documented, with `source: auth`).
pub fn is_client_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower != "x-auth-token" && CLIENT_HEADERS.contains(&lower.as_str())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    /// The spelling in a spec's `in:` key.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// Where a parameter's value comes from when it is not a per-call argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterSource {
    /// The client's configuration (only `project_id`).
    Config,
    /// The client's credentials (`X-Auth-Token`).
    Auth,
}

impl ParameterSource {
    /// The only source a parameter at `location` (`path`, `query`, `header`) named `name` can
    /// have: what every importer writes, and what validation accepts.
    pub fn implied_by(location: &str, name: &str) -> Option<Self> {
        match location {
            "path" if name == "project_id" => Some(Self::Config),
            "header" if name.eq_ignore_ascii_case("x-auth-token") => Some(Self::Auth),
            _ => None,
        }
    }

    /// The spelling in a spec's `source:` key.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::Auth => "auth",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: Location,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub source: Option<ParameterSource>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub default: Option<Value>,
    pub schema: Schema,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    /// How the body is sent; `json` unless said otherwise.
    #[serde(default)]
    pub encoding: BodyEncoding,
    /// The `Content-Type` to send when it is not the encoding's usual one
    /// (`application/xml` for a text body, say).
    #[serde(default)]
    pub content_type: Option<String>,
    /// Required for `json`, `multipart` and `form`; absent for `binary` and `text`.
    #[serde(default)]
    pub schema: Option<Schema>,
    #[serde(default)]
    pub example: Option<String>,
    /// Present when the example contradicts the schema: what is wrong with it. The example is
    /// kept (it is the source's) but not used as a test.
    #[serde(default)]
    pub example_note: Option<String>,
}

/// How a request body goes on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyEncoding {
    /// `application/json`: the schema, serialized.
    #[default]
    Json,
    /// `multipart/form-data`: an object schema whose properties are the parts; a
    /// `type: string, format: binary` property is a file part.
    Multipart,
    /// `application/x-www-form-urlencoded`: an object schema of scalar properties.
    Form,
    /// Raw bytes (`application/octet-stream` unless `content_type` says otherwise).
    Binary,
    /// Text (`text/plain` unless `content_type` says otherwise).
    Text,
}

/// How a response body is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseEncoding {
    /// JSON decoded into the schema.
    #[default]
    Json,
    /// Raw bytes; a success response of this kind is a streamed download.
    Binary,
    /// Text, returned as a `String`.
    Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub encoding: ResponseEncoding,
    #[serde(default)]
    pub schema: Option<Schema>,
    /// Response headers the page or definition documents, in their order.
    #[serde(default)]
    pub headers: IndexMap<String, ResponseHeader>,
    #[serde(default)]
    pub example: Option<String>,
    /// Present when the example contradicts the schema: what is wrong with it.
    #[serde(default)]
    pub example_note: Option<String>,
}

/// One documented response header: a scalar (or an array of scalars, comma-separated).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseHeader {
    #[serde(default)]
    pub description: Option<String>,
    pub schema: Schema,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SchemaType {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
    Map,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    #[serde(rename = "type", default)]
    pub ty: Option<SchemaType>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub nullable: bool,
    #[serde(rename = "enum", default)]
    pub enum_values: Option<Vec<EnumValue>>,
    #[serde(default)]
    pub properties: IndexMap<String, Schema>,
    #[serde(default)]
    pub required: Vec<String>,
    /// The value is exactly one of these schemas (no `type` then).
    #[serde(default)]
    pub one_of: Option<Vec<Schema>>,
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    #[serde(default)]
    pub values: Option<Box<Schema>>,
    #[serde(default)]
    pub min_length: Option<u64>,
    #[serde(default)]
    pub max_length: Option<u64>,
    #[serde(default)]
    pub minimum: Option<i64>,
    #[serde(default)]
    pub maximum: Option<i64>,
    /// A documented regular expression for strings (documentation; not checked).
    #[serde(default)]
    pub pattern: Option<String>,
    /// Documented bounds on the number of items of an array.
    #[serde(default)]
    pub min_items: Option<u64>,
    #[serde(default)]
    pub max_items: Option<u64>,
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub value: Value,
    /// Rust variant name, when the value itself does not make a readable one (integers).
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}
