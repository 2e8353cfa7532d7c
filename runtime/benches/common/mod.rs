//! What the runtime benches share: one operation, a loopback server in-process, the runtime
//! client and a raw reqwest client with the same settings, and one call of each.

#![allow(dead_code)] // Each bench uses part of it.

use hwcloud_runtime as rt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub static SERVICE: rt::ServiceSpec = rt::ServiceSpec {
    id: "kms",
    endpoint: "kms.{region}.myhuaweicloud.com",
};

pub static LIST: rt::OperationSpec = rt::OperationSpec {
    name: "ListSupportRegions",
    service: &SERVICE,
    host: None,
    method: rt::Method::Get,
    path: "/v2/{project_id}/kms/regions",
    retry_safe: false,
    success_status: 200,
    redirect_success: &[],
    error_statuses: &[],
    default_error: false,
    project_id_length: None,
    example_response: None,
};

pub const PID: &str = "0123456789abcdef0123456789abcdef";
pub const BODY: &str = r#"{"regions":["cn-north-4","cn-north-1","cn-east-3","ap-southeast-1"]}"#;

/// The headers a signed call carries, as constants: the raw call sends the same request as
/// the client (the same header count and size, 397 bytes) without computing them.
pub const SIGNED_HEADERS: [(&str, &str); 3] = [
    ("x-project-id", PID),
    ("x-sdk-date", "20261122T120000Z"),
    (
        "authorization",
        "SDK-HMAC-SHA256 Access=BENCHACCESSKEY, SignedHeaders=host;x-project-id;x-sdk-date, \
         Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ),
];

/// Both clients, pointed at a loopback server running on the current runtime.
pub struct Setup {
    pub client: rt::Client,
    pub raw: reqwest::Client,
    /// The raw call's URL: the one the client builds.
    pub url: String,
}

pub async fn setup() -> Setup {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(serve(listener));
    let config = rt::Config::builder()
        .credentials(rt::Credentials::aksk("BENCHACCESSKEY", "BENCHSECRETKEY"))
        .project_id(PID)
        .endpoint_override(base.clone())
        .build()
        .expect("a config");
    let client = rt::Client::new(config.clone()).expect("a client");
    // The settings `rt::Client::new` gives its own reqwest client.
    let raw = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout())
        .read_timeout(config.read_timeout())
        .timeout(config.timeout())
        .user_agent(config.user_agent())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client");
    Setup {
        client,
        raw,
        url: format!("{base}/v2/{PID}/kms/regions?limit=10"),
    }
}

/// One call through the runtime, as generated code makes it.
pub async fn client_call(client: &rt::Client) -> bool {
    let mut request = rt::Request::new(&LIST);
    request.query("limit", 10);
    client
        .execute::<serde_json::Value, rt::NoErrorBody>(request)
        .await
        .is_ok()
}

/// One raw reqwest call, its body decoded as the client decodes it; `signed`: with the
/// headers of a signed call.
pub async fn raw_call(client: &reqwest::Client, url: &str, signed: bool) -> bool {
    let mut request = client.get(url);
    if signed {
        for (name, value) in SIGNED_HEADERS {
            request = request.header(name, reqwest::header::HeaderValue::from_static(value));
        }
    }
    match request.send().await {
        Ok(resp) => match resp.bytes().await {
            Ok(body) => serde_json::from_slice::<serde_json::Value>(&body).is_ok(),
            Err(_) => false,
        },
        Err(_) => false,
    }
}

/// A keep-alive HTTP/1.1 server answering every request with `BODY`.
async fn serve(listener: TcpListener) {
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: bench\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let response: std::sync::Arc<[u8]> = response.into_bytes().into();
    while let Ok((mut stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        let response = response.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 8192];
            let mut filled = 0;
            loop {
                // Requests are GETs without a body: each ends with an empty line. Only new
                // bytes are searched.
                let mut searched: usize = 0;
                let end = loop {
                    let from = searched.saturating_sub(3);
                    if let Some(at) = buf[from..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                        break from + at + 4;
                    }
                    searched = filled;
                    if filled == buf.len() {
                        return;
                    }
                    match stream.read(&mut buf[filled..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => filled += n,
                    }
                };
                buf.copy_within(end..filled, 0);
                filled -= end;
                if stream.write_all(&response).await.is_err() {
                    return;
                }
            }
        });
    }
}
