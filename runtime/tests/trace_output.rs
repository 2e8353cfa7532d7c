//! Captures everything logged at TRACE while the client makes requests (the runtime's own
//! `tracing` span and events, hyper-util's `tracing` events and reqwest's `log` records)
//! and checks the `hwcloud.request` span's fields, and that no credential shows up.
//!
//! The capture is process-wide (a global `tracing` subscriber and a global `log` logger),
//! so this file holds a single test.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hwcloud_runtime as rt;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const AK: &str = "TRACEACCESSKEY";
const SK: &str = "TRACE-SECRET-KEY-must-not-be-logged";
const STS_TOKEN: &str = "TRACE-SECURITY-TOKEN-must-not-be-logged";
const IAM_TOKEN: &str = "TRACE-IAM-TOKEN-must-not-be-logged";
const QUERY_SECRET: &str = "TRACE-QUERY-VALUE";
const PID: &str = "0123456789abcdef0123456789abcdef";

static KMS: rt::ServiceSpec = rt::ServiceSpec {
    id: "kms",
    endpoint: "kms.{region}.myhuaweicloud.com",
};

static LIST: rt::OperationSpec = rt::OperationSpec {
    name: "ListSupportRegions",
    service: &KMS,
    host: None,
    method: rt::Method::Get,
    path: "/v2/{project_id}/kms/regions",
    retry_safe: false,
    success_status: 200,
    redirect_success: &[],
    error_statuses: &[400],
    default_error: false,
    project_id_length: None,
    example_response: None,
};

/// One span as last seen: its name and current field values.
#[derive(Clone, Debug, Default)]
struct SpanData {
    name: String,
    fields: BTreeMap<String, String>,
}

/// What was captured: every line of output, events by target, and the spans.
#[derive(Default)]
struct Captured {
    lines: Vec<String>,
    targets: Vec<String>,
    spans: HashMap<u64, SpanData>,
}

/// Writes fields as `name=value` and collects them.
struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

fn render(fields: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (name, value) in fields {
        let _ = write!(out, " {name}={value}");
    }
    out
}

/// A `tracing` subscriber that enables everything (TRACE) and records it in `Captured`.
struct Capture {
    captured: Arc<Mutex<Captured>>,
    next_id: AtomicU64,
}

impl Subscriber for Capture {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::always()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut data = SpanData {
            name: attrs.metadata().name().to_owned(),
            ..SpanData::default()
        };
        attrs.record(&mut Fields(&mut data.fields));
        let mut c = self.captured.lock().unwrap();
        c.lines.push(format!(
            "span#{id} new {} {}{}",
            attrs.metadata().target(),
            data.name,
            render(&data.fields)
        ));
        c.spans.insert(id, data);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = BTreeMap::new();
        values.record(&mut Fields(&mut fields));
        let mut c = self.captured.lock().unwrap();
        c.lines.push(format!(
            "span#{} record{}",
            span.into_u64(),
            render(&fields)
        ));
        if let Some(data) = c.spans.get_mut(&span.into_u64()) {
            data.fields.extend(fields);
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let meta = event.metadata();
        let mut c = self.captured.lock().unwrap();
        c.lines.push(format!(
            "{} {}{}",
            meta.level(),
            meta.target(),
            render(&fields)
        ));
        c.targets.push(meta.target().to_owned());
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// A `log` logger (reqwest logs through `log`) writing into the same `Captured`.
struct LogCapture(Arc<Mutex<Captured>>);

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let mut c = self.0.lock().unwrap();
        c.lines.push(format!(
            "{} {} {}",
            record.level(),
            record.target(),
            record.args()
        ));
        c.targets.push(record.target().to_owned());
    }

    fn flush(&self) {}
}

fn install() -> Arc<Mutex<Captured>> {
    let captured = Arc::new(Mutex::new(Captured::default()));
    tracing::subscriber::set_global_default(Capture {
        captured: captured.clone(),
        next_id: AtomicU64::new(0),
    })
    .expect("no other subscriber");
    log::set_boxed_logger(Box::new(LogCapture(captured.clone()))).expect("no other logger");
    log::set_max_level(log::LevelFilter::Trace);
    captured
}

/// The single `hwcloud.request` span captured since the last `take`.
fn request_span(c: &Captured) -> SpanData {
    let spans: Vec<&SpanData> = c
        .spans
        .values()
        .filter(|s| s.name == "hwcloud.request")
        .collect();
    assert_eq!(spans.len(), 1, "{:#?}", c.lines);
    spans[0].clone()
}

fn assert_absent(output: &str, what: &str, secret: &str) {
    assert!(
        !output.contains(secret),
        "the {what} ({secret}) appears in the trace output:\n{output}"
    );
}

fn take(captured: &Arc<Mutex<Captured>>) -> Captured {
    std::mem::take(&mut *captured.lock().unwrap())
}

#[tokio::test]
async fn request_span_fields_and_no_credentials_in_trace_output() {
    let captured = install();
    let server = MockServer::start().await;
    let config = |credentials| {
        rt::Config::builder()
            .region("cn-north-4")
            .project_id(PID)
            .credentials(credentials)
            .endpoint_override(server.uri())
            .retry(
                rt::RetryPolicy::default()
                    .with_initial_backoff(std::time::Duration::from_millis(1)),
            )
            .build()
            .unwrap()
    };
    let url = format!("{}/v2/{PID}/kms/regions", server.uri());

    // 1. AK/SK with a security token: a 503, then a signed retry that succeeds.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("X-Request-Id", "trace-busy"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "trace-ok")
                .set_body_string(r#"{"regions":["cn-north-4"]}"#),
        )
        .mount(&server)
        .await;
    let client = rt::Client::new(config(
        rt::Credentials::aksk(AK, SK).with_security_token(STS_TOKEN),
    ))
    .unwrap();
    let _ = take(&captured);
    let mut request = rt::Request::new(&LIST);
    request.query("marker", QUERY_SECRET);
    client
        .execute::<serde_json::Value, rt::NoErrorBody>(request)
        .await
        .unwrap();
    let signed = take(&captured);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.headers.get("x-security-token").unwrap(), STS_TOKEN);
    }
    let authorizations: Vec<String> = requests
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();

    let span = request_span(&signed);
    let field = |name: &str| span.fields.get(name).map(String::as_str);
    assert_eq!(field("operation"), Some("ListSupportRegions"), "{span:?}");
    assert_eq!(field("method"), Some("GET"), "{span:?}");
    assert_eq!(field("url"), Some(url.as_str()), "{span:?}");
    assert_eq!(field("attempt"), Some("2"), "{span:?}");
    assert_eq!(field("status"), Some("200"), "{span:?}");
    assert_eq!(field("request_id"), Some("trace-ok"), "{span:?}");
    let output = signed.lines.join("\n");
    // Every attempt is recorded on the span: the 503 first, then the 200.
    assert!(output.contains("record status=503"), "{output}");
    assert!(output.contains("record request_id=trace-busy"), "{output}");
    assert!(output.contains("retrying"), "{output}");
    // The query is in neither the span's URL nor the runtime's events.
    for line in signed
        .lines
        .iter()
        .filter(|l| l.contains("hwcloud_runtime") || l.starts_with("span#"))
    {
        assert_absent(line, "query value", QUERY_SECRET);
        assert!(!line.contains("/kms/regions?"), "{line}");
    }
    // The capture saw the HTTP stack's own TRACE output, so the checks below are real.
    assert!(
        signed
            .targets
            .iter()
            .any(|t| t.starts_with("hyper_util") || t.starts_with("reqwest")),
        "no reqwest/hyper-util output captured: {output}"
    );
    assert_absent(&output, "secret key", SK);
    assert_absent(&output, "security token", STS_TOKEN);
    for auth in &authorizations {
        assert_absent(&output, "Authorization header", auth);
        let signature = auth.rsplit("Signature=").next().unwrap();
        assert_eq!(signature.len(), 64);
        assert_absent(&output, "signature", signature);
    }

    // 2. An IAM token: one unsigned request.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "trace-token")
                .set_body_string(r#"{"regions":[]}"#),
        )
        .mount(&server)
        .await;
    let client = rt::Client::new(config(rt::Credentials::token(IAM_TOKEN))).unwrap();
    let _ = take(&captured);
    client
        .execute::<serde_json::Value, rt::NoErrorBody>(rt::Request::new(&LIST))
        .await
        .unwrap();
    let token = take(&captured);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers.get("x-auth-token").unwrap(), IAM_TOKEN);

    let span = request_span(&token);
    let field = |name: &str| span.fields.get(name).map(String::as_str);
    assert_eq!(field("operation"), Some("ListSupportRegions"), "{span:?}");
    assert_eq!(field("method"), Some("GET"), "{span:?}");
    assert_eq!(field("url"), Some(url.as_str()), "{span:?}");
    assert_eq!(field("attempt"), Some("1"), "{span:?}");
    assert_eq!(field("status"), Some("200"), "{span:?}");
    assert_eq!(field("request_id"), Some("trace-token"), "{span:?}");
    let output = token.lines.join("\n");
    assert!(output.contains("response received"), "{output}");
    assert_absent(&output, "IAM token", IAM_TOKEN);
    assert_absent(&output, "secret key", SK);
    assert_absent(&output, "security token", STS_TOKEN);

    // 3. A caller's reqwest builder asking for verbose connection logging (which writes
    // every header in clear): the runtime switches it off.
    let client = rt::Client::with_http_client_builder(
        config(rt::Credentials::token(IAM_TOKEN)),
        reqwest::Client::builder().connection_verbose(true),
    )
    .unwrap();
    let _ = take(&captured);
    client
        .execute::<serde_json::Value, rt::NoErrorBody>(rt::Request::new(&LIST))
        .await
        .unwrap();
    let verbose = take(&captured);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    let output = verbose.lines.join("\n");
    assert!(output.contains("response received"), "{output}");
    assert_absent(&output, "IAM token", IAM_TOKEN);
}
