//! `cargo bench -p hwcloud-runtime --bench overhead`: the client's cost side by side with its
//! floor, in one run. A bench binary (no harness).
//!
//! * Requests per second against an in-process loopback HTTP/1.1 server (keep-alive, a small
//!   JSON body), at 1, 64 and 256 calls in flight: the runtime client (what every generated
//!   operation calls: a signed GET with a query parameter, the body decoded into JSON) against
//!   a raw `reqwest` call with the same settings (rustls client, same timeouts, no redirects;
//!   same request, body decoded the same way, but not signed).
//! * Signing a GET against its floor: one SHA-256 of a canonical request of the same size plus
//!   one HMAC-SHA256 of a string to sign.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use hwcloud_runtime as rt;
use hwcloud_runtime::signer::{self, SigningInput};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

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

/// Rounds per concurrency, and each side's measured time in a round.
const ROUNDS: usize = 7;
const PERIOD: Duration = Duration::from_secs(1);
const WARM_UP: Duration = Duration::from_millis(300);

const PID: &str = "0123456789abcdef0123456789abcdef";
const BODY: &str = r#"{"regions":["cn-north-4","cn-north-1","cn-east-3","ap-southeast-1"]}"#;

/// A keep-alive HTTP/1.1 server answering every request with `BODY`.
async fn serve(listener: TcpListener) {
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: bench\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let response: Arc<[u8]> = response.into_bytes().into();
    while let Ok((mut stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        let response = response.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 8192];
            let mut filled = 0;
            loop {
                // Requests are GETs without a body: each ends with an empty line. Only new
                // bytes are searched, so that the server's cost stays small and the same
                // whatever the request's size.
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

/// The headers a signed call carries, as constants: the raw call sends the same request as
/// the client (same size, same header count) without computing them.
const SIGNED_HEADERS: [(&str, &str); 3] = [
    ("x-project-id", PID),
    ("x-sdk-date", "20261122T120000Z"),
    (
        "authorization",
        "SDK-HMAC-SHA256 Access=BENCHACCESSKEY, SignedHeaders=host;x-project-id;x-sdk-date, \
         Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ),
];

/// One raw reqwest call, its body decoded as the client decodes it; `signed`: with the
/// headers of a signed call.
async fn raw_call(client: &reqwest::Client, url: &str, signed: bool) -> bool {
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

/// Calls per second with `in_flight` loops running `call`, counted over `duration` after a
/// warm-up of its own (the pool fills with `in_flight` connections first).
async fn rate<F, Fut>(in_flight: usize, duration: Duration, call: F) -> f64
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let call = Arc::new(call);
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..in_flight {
        let (call, done, stop) = (call.clone(), done.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                assert!(call().await, "the call succeeds");
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(WARM_UP).await;
    let (before, start) = (done.load(Ordering::Relaxed), Instant::now());
    tokio::time::sleep(duration).await;
    let (after, elapsed) = (done.load(Ordering::Relaxed), start.elapsed());
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("the calls succeed");
    }
    (after - before) as f64 / elapsed.as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn time_per_call(iterations: u32, mut work: impl FnMut()) -> Duration {
    let runs: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                work();
            }
            start.elapsed().as_secs_f64() / f64::from(iterations)
        })
        .collect();
    Duration::from_secs_f64(median(runs))
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
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
        // The same settings as `rt::Client::new` gives its reqwest client.
        let raw = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout())
            .read_timeout(config.read_timeout())
            .timeout(config.timeout())
            .user_agent(config.user_agent())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        let url = format!("{base}/v2/{PID}/kms/regions?limit=10");

        println!(
            "requests per second (median of {ROUNDS} rounds of {} s per side, the sides \
             in turn; ratio: median of the rounds' ratios; loopback server in-process)",
            PERIOD.as_secs_f64()
        );
        println!(
            "{:>9} {:>12} {:>12} {:>7} {:>14}",
            "in flight", "client", "raw reqwest", "ratio", "raw, unsigned"
        );
        // `OVERHEAD_PROFILE=client|raw|unsigned`: only that side, at 64 in flight (or
        // `OVERHEAD_IN_FLIGHT`), for 10 s (for `perf record`).
        let profile = std::env::var("OVERHEAD_PROFILE").ok();
        let profiled = [std::env::var("OVERHEAD_IN_FLIGHT")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(64)];
        let (levels, rounds, period): (&[usize], usize, Duration) = match profile {
            Some(_) => (&profiled, 1, Duration::from_secs(10)),
            None => (&[1, 64, 256], ROUNDS, PERIOD),
        };
        for &in_flight in levels {
            let mut sides = [Vec::new(), Vec::new(), Vec::new()];
            let mut ratios = Vec::new();
            for round in 0..rounds {
                let mut order = [0, 1, 2];
                // Alternate the order, so that a drift of the machine's speed does not
                // favour one side.
                if round % 2 == 1 {
                    order.reverse();
                }
                let mut this_round = [0.0; 3];
                for index in order {
                    let side = ["client", "raw", "unsigned"][index];
                    if profile.as_deref().is_some_and(|p| p != side) {
                        continue;
                    }
                    let (c, r, u) = (client.clone(), raw.clone(), url.clone());
                    this_round[index] = match side {
                        "client" => {
                            rate(in_flight, period, move || {
                                let c = c.clone();
                                async move {
                                    let mut request = rt::Request::new(&LIST);
                                    request.query("limit", 10);
                                    c.execute::<serde_json::Value, rt::NoErrorBody>(request)
                                        .await
                                        .is_ok()
                                }
                            })
                            .await
                        }
                        _ => {
                            let signed = side == "raw";
                            rate(in_flight, period, move || {
                                let (r, u) = (r.clone(), u.clone());
                                async move { raw_call(&r, &u, signed).await }
                            })
                            .await
                        }
                    };
                }
                ratios.push(this_round[0] / this_round[1]);
                for (results, value) in sides.iter_mut().zip(this_round) {
                    results.push(value);
                }
            }
            let [ours, floor, unsigned] = sides.map(median);
            println!(
                "{in_flight:>9} {ours:>12.0} {floor:>12.0} {:>6.2}x {unsigned:>14.0}",
                median(ratios)
            );
        }
    });
    if std::env::var_os("OVERHEAD_PROFILE").is_some() {
        return;
    }

    // Signing a GET as the client does, against hashing plus one HMAC of the same sizes.
    let query = vec![("limit".to_owned(), "10".to_owned())];
    let headers = vec![
        (
            "Host".to_owned(),
            "kms.cn-north-4.myhuaweicloud.com".to_owned(),
        ),
        ("X-Project-Id".to_owned(), PID.to_owned()),
    ];
    let input = SigningInput {
        method: "GET",
        path: "/v2/0123456789abcdef0123456789abcdef/kms/regions",
        query: &query,
        headers: &headers,
        body: b"",
    };
    let sample = signer::sign(&input, "AK", "SK", "20261122T120000Z");
    let canonical = sample.canonical_request.clone();
    let to_sign = sample.string_to_sign.clone();
    // As the client signs: with the key prepared once, when the client was built.
    let key = signer::SigningKey::new("BENCHSECRETKEY");
    let sign = time_per_call(200_000, || {
        black_box(signer::authorize(
            black_box(&input),
            "BENCHACCESSKEY",
            &key,
            "20261122T120000Z",
        ));
    });
    let floor = time_per_call(200_000, || {
        let digest = Sha256::digest(black_box(canonical.as_bytes()));
        let mut mac = Hmac::<Sha256>::new_from_slice(b"BENCHSECRETKEY").expect("any key");
        mac.update(black_box(to_sign.as_bytes()));
        black_box((digest, mac.finalize()));
    });
    println!();
    println!(
        "signing a GET: {:.2} us; floor (SHA-256 of the canonical request + one HMAC): {:.2} us; {:.2}x",
        sign.as_secs_f64() * 1e6,
        floor.as_secs_f64() * 1e6,
        sign.as_secs_f64() / floor.as_secs_f64()
    );
}
