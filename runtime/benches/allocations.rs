//! `cargo bench -p hwcloud-runtime --bench allocations`: heap allocations per call, the
//! runtime client against a raw reqwest call with the same settings (the same request and
//! response as the `overhead` bench, one call at a time against an in-process loopback
//! server). Allocations are what separates the two under load: on a busy machine every
//! extra one is allocator work and, across threads, lock contention.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use hwcloud_runtime as rt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

static SERVICE: rt::ServiceSpec = rt::ServiceSpec {
    id: "kms",
    endpoint: "kms.{region}.myhuaweicloud.com",
};

static LIST: rt::OperationSpec = rt::OperationSpec {
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

const PID: &str = "0123456789abcdef0123456789abcdef";
const BODY: &str = r#"{"regions":["cn-north-4","cn-north-1","cn-east-3","ap-southeast-1"]}"#;
const CALLS: u64 = 2_000;

async fn serve(listener: TcpListener) {
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: bench\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    while let Ok((mut stream, _)) = listener.accept().await {
        let response = response.clone().into_bytes();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 8192];
            let mut filled = 0;
            loop {
                let end = loop {
                    if let Some(at) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
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

/// Allocations and bytes per call of `call`, on a runtime whose server side is on another
/// thread... no: counted for the whole process, server included, the same for both sides.
async fn per_call<F, Fut>(call: F) -> (f64, f64)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        assert!(call().await, "the call succeeds");
    }
    let (a0, b0) = (
        ALLOCATIONS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    for _ in 0..CALLS {
        assert!(call().await, "the call succeeds");
    }
    let (a1, b1) = (
        ALLOCATIONS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    (
        (a1 - a0) as f64 / CALLS as f64,
        (b1 - b0) as f64 / CALLS as f64,
    )
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
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
        let raw = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout())
            .read_timeout(config.read_timeout())
            .timeout(config.timeout())
            .user_agent(config.user_agent())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        let url = format!("{base}/v2/{PID}/kms/regions?limit=10");

        let ours = per_call(|| async {
            let mut request = rt::Request::new(&LIST);
            request.query("limit", 10);
            client
                .execute::<serde_json::Value, rt::NoErrorBody>(request)
                .await
                .is_ok()
        })
        .await;
        let floor = per_call(|| async {
            match raw.get(&url).send().await {
                Ok(resp) => match resp.bytes().await {
                    Ok(body) => serde_json::from_slice::<serde_json::Value>(&body).is_ok(),
                    Err(_) => false,
                },
                Err(_) => false,
            }
        })
        .await;
        println!("heap allocations per call (whole process, server included; {CALLS} calls)");
        println!("{:>12} {:>12} {:>12}", "", "allocations", "bytes");
        println!("{:>12} {:>12.1} {:>12.0}", "client", ours.0, ours.1);
        println!("{:>12} {:>12.1} {:>12.0}", "raw reqwest", floor.0, floor.1);
    });
}
