//! Retries under real faults, against a raw TCP server on 127.0.0.1 that answers each attempt
//! of each call with a fault chosen from a fixed mix: 5% connection resets after reading the
//! request, 5% bodies cut short, 10% 503s, 3% stalls past the read timeout, 2% resets before
//! reading the request; the rest succeed. The choice is a hash of the call's id and the
//! attempt's number, so the test is the same on every run whatever the scheduling.
//!
//! With the default retry policy (3 attempts), idempotent calls must succeed at least 98% of
//! the time, and a non-idempotent request must never reach the server twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hwcloud_runtime as rt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

static SERVICE: rt::ServiceSpec = rt::ServiceSpec {
    id: "demo",
    endpoint: "demo.{region}.myhuaweicloud.com",
};

static GET: rt::OperationSpec = rt::OperationSpec {
    name: "ShowThing",
    service: &SERVICE,
    host: None,
    method: rt::Method::Get,
    path: "/v1/things",
    retry_safe: false,
    success_status: 200,
    redirect_success: &[],
    error_statuses: &[],
    default_error: false,
    project_id_length: None,
    example_response: None,
};

static POST: rt::OperationSpec = rt::OperationSpec {
    name: "CreateThing",
    service: &SERVICE,
    host: None,
    method: rt::Method::Post,
    path: "/v1/things",
    retry_safe: false,
    success_status: 200,
    redirect_success: &[],
    error_statuses: &[],
    default_error: false,
    project_id_length: None,
    example_response: None,
};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    ResetAfterReading,
    CutBody,
    Busy,
    Stall,
    Ok,
}

/// The fault for attempt `attempt` of call `call` (splitmix64 of both).
fn fault(call: u64, attempt: u64) -> Fault {
    let mut x =
        call.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ attempt.wrapping_add(0xD1B5_4A32_D192_ED03);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    match x % 100 {
        0..=4 => Fault::ResetAfterReading,
        5..=9 => Fault::CutBody,
        10..=19 => Fault::Busy,
        20..=21 => Fault::Stall,
        _ => Fault::Ok,
    }
}

/// Per call id: how many of its requests the server read in full.
type Seen = Arc<Mutex<HashMap<u64, u64>>>;

/// Reads one request (headers, then a `Content-Length` body); its `X-Call-Id`.
async fn read_request(stream: &mut TcpStream) -> Option<u64> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..header_end]).to_lowercase();
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_owned())
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while data.len() < header_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    header("x-call-id").and_then(|v| v.parse().ok())
}

/// Attempts seen so far per call, to number them.
type Attempts = Arc<Mutex<HashMap<u64, u64>>>;

async fn serve(listener: TcpListener, seen: Seen) {
    let attempts: Attempts = Arc::default();
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        let seen = seen.clone();
        let attempts = attempts.clone();
        tokio::spawn(async move {
            loop {
                let Some(call) = read_request(&mut stream).await else {
                    return;
                };
                let attempt = {
                    let mut a = attempts.lock().unwrap();
                    let n = a.entry(call).or_default();
                    *n += 1;
                    *n
                };
                *seen.lock().unwrap().entry(call).or_default() += 1;
                let body = br#"{"ok":true}"#;
                match fault(call, attempt) {
                    Fault::ResetAfterReading => {
                        let _ = stream.set_zero_linger();
                        return;
                    }
                    Fault::CutBody => {
                        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
                        let _ = stream.write_all(head.as_bytes()).await;
                        let _ = stream.write_all(&body[..5]).await;
                        let _ = stream.set_zero_linger();
                        return;
                    }
                    Fault::Stall => {
                        tokio::time::sleep(Duration::from_secs(2)).await;
                        return;
                    }
                    Fault::Busy => {
                        let text = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
                        if stream.write_all(text.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    Fault::Ok => {
                        let head = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                            body.len()
                        );
                        if stream.write_all(head.as_bytes()).await.is_err()
                            || stream.write_all(body).await.is_err()
                        {
                            return;
                        }
                    }
                }
            }
        });
    }
}

async fn run(op: &'static rt::OperationSpec, calls: u64) -> (u64, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let seen: Seen = Arc::default();
    tokio::spawn(serve(listener, seen.clone()));
    let config = rt::Config::builder()
        .credentials(rt::Credentials::aksk("AK", "SK"))
        .endpoint_override(url)
        // The default retry policy; only the timeouts are short, for the stalls.
        .read_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(1))
        .build()
        .expect("a config");
    let client = rt::Client::new(config).expect("a client");
    // 32 calls in flight, as a busy program might have.
    let in_flight = Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = Vec::new();
    for call in 0..calls {
        let client = client.clone();
        let in_flight = in_flight.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = in_flight
                .acquire_owned()
                .await
                .expect("the semaphore is open");
            let mut request = rt::Request::new(op);
            request.header("X-Call-Id", call);
            if op.method == rt::Method::Post {
                request.json_body(&serde_json::json!({ "call": call }));
            }
            match client
                .execute::<serde_json::Value, rt::NoErrorBody>(request)
                .await
            {
                Ok(_) => true,
                Err(e) => {
                    if std::env::var("FAULTS_DEBUG").is_ok() {
                        eprintln!(
                            "call {call}: {e} / {:?}",
                            std::error::Error::source(&e).map(|s| s.to_string())
                        );
                    }
                    false
                }
            }
        }));
    }
    let mut ok = 0;
    for task in tasks {
        if task.await.expect("the task runs") {
            ok += 1;
        }
    }
    (ok, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotent_calls_get_through_faults_and_others_are_never_sent_twice() {
    let calls = 600;
    let (ok, seen) = run(&GET, calls).await;
    let share = ok as f64 / calls as f64;
    println!("GET: {ok} of {calls} succeeded ({:.1}%)", share * 100.0);
    assert!(
        share >= 0.98,
        "only {ok} of {calls} idempotent calls succeeded"
    );
    // Some calls did take more than one attempt: the faults were real.
    assert!(seen.lock().unwrap().values().any(|&n| n > 1));

    let (ok, seen) = run(&POST, calls).await;
    let seen = seen.lock().unwrap();
    let twice: Vec<_> = seen.iter().filter(|(_, &n)| n > 1).collect();
    println!(
        "POST: {ok} of {calls} succeeded; {} received twice",
        twice.len()
    );
    assert!(
        twice.is_empty(),
        "non-idempotent requests received twice: {twice:?}"
    );
    assert!(ok > 0 && ok < calls, "the faults hit the POSTs too ({ok})");
}

#[tokio::test]
async fn a_request_that_never_left_is_retried_whatever_the_operation() {
    // Nothing listens on the port at first: connecting is refused, nothing is sent, so even a
    // POST that is not retry_safe is tried again, and succeeds once the server is up.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        probe.local_addr().expect("an address").port()
    };
    let config = rt::Config::builder()
        .credentials(rt::Credentials::aksk("AK", "SK"))
        .endpoint_override(format!("http://127.0.0.1:{port}"))
        .retry(
            rt::RetryPolicy::default()
                .with_max_attempts(20)
                .with_initial_backoff(Duration::from_millis(50))
                .with_max_backoff(Duration::from_millis(200)),
        )
        .build()
        .expect("a config");
    let client = rt::Client::new(config).expect("a client");
    let call = tokio::spawn(async move {
        let mut request = rt::Request::new(&POST);
        request.header("X-Call-Id", 7);
        request.json_body(&serde_json::json!({ "call": 7 }));
        client
            .execute::<serde_json::Value, rt::NoErrorBody>(request)
            .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("rebinds");
    let seen: Seen = Arc::default();
    tokio::spawn(serve_ok(listener, seen.clone()));
    let result = call.await.expect("the task runs");
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(seen.lock().unwrap().get(&7), Some(&1), "received once");
}

/// Answers every request 200, counting them by call id.
async fn serve_ok(listener: TcpListener, seen: Seen) {
    while let Ok((mut stream, _)) = listener.accept().await {
        let seen = seen.clone();
        tokio::spawn(async move {
            while let Some(call) = read_request(&mut stream).await {
                *seen.lock().unwrap().entry(call).or_default() += 1;
                let text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
                if stream.write_all(text.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}
