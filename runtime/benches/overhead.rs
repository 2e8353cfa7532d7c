//! `cargo bench -p hwcloud-runtime --bench overhead`: the client's cost side by side with its
//! floor, in one run. A bench binary (no harness).
//!
//! * Requests per second against a loopback HTTP/1.1 server (keep-alive, a small JSON body),
//!   at 1, 64 and 256 calls in flight: the runtime client (what every generated operation
//!   calls: a signed GET with a query parameter, the body decoded into JSON) against a raw
//!   `reqwest` call with the same settings (rustls client, same timeouts and user agent, no
//!   redirects) sending the same request (the same headers, their values fixed instead of
//!   computed), its body decoded the same way. A third column, for reference: the raw call
//!   without the signed headers.
//! * CPU time per call (all threads, client and server), the steadier figure of the two on a
//!   shared machine.
//! * Signing a GET against its floor: one SHA-256 of a canonical request of the same size plus
//!   one HMAC-SHA256 of a string to sign; the two timed in turn, in each of several processes
//!   (`OVERHEAD_SIDE=signing`), the median of their ratios.
//!
//! Each measurement runs in a fresh process of this binary (`OVERHEAD_SIDE`, see `measure`),
//! the sides in turn, several rounds: within one process a run is slowed by the one before it
//! when that used another connection pool, and a machine's speed drifts over seconds (seen
//! here: the same side's rate varied 2x from one second to the next). The ratio is the median
//! of the rounds' ratios.
//!
//! To profile one side: `OVERHEAD_SIDE=client OVERHEAD_IN_FLIGHT=64 OVERHEAD_SECONDS=10
//! perf record -g target/release/deps/overhead-<hash>` (`raw`, `unsigned` for the others).

mod common;

use std::hint::black_box;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use hwcloud_runtime::signer::{self, SigningInput};
use sha2::{Digest, Sha256};

const LEVELS: [usize; 3] = [1, 64, 256];
const SIDES: [&str; 3] = ["client", "raw", "unsigned"];
/// Rounds per concurrency, and each side's measured time in a round.
const ROUNDS: usize = 21;
const PERIOD: Duration = Duration::from_secs(1);
const WARM_UP: Duration = Duration::from_millis(300);

fn main() {
    if let Ok(side) = std::env::var("OVERHEAD_SIDE") {
        if side == "signing" {
            let (sign, floor) = signing();
            return println!("{} {}", sign.as_secs_f64(), floor.as_secs_f64());
        }
        return measure(&side);
    }
    println!(
        "requests per second and CPU time per call (median of {ROUNDS} rounds of {} s per \
         side, the sides in turn, each in a fresh process; ratios: medians of the rounds' \
         ratios)",
        PERIOD.as_secs_f64()
    );
    println!(
        "{:>9} {:>10} {:>12} {:>7} {:>11} {:>14} | {:>12} {:>12} {:>7}",
        "in flight",
        "client",
        "raw reqwest",
        "ratio",
        "quartiles",
        "raw, unsigned",
        "client CPU",
        "raw CPU",
        "ratio"
    );
    for in_flight in LEVELS {
        let mut rates = [const { Vec::new() }; 3];
        let mut cpu = [const { Vec::new() }; 3];
        let (mut rate_ratios, mut cpu_ratios) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let mut order = [0, 1, 2];
            if round % 2 == 1 {
                order.reverse();
            }
            let mut this_round = [(0.0, 0.0); 3];
            for index in order {
                this_round[index] = run_side(SIDES[index], in_flight);
                rates[index].push(this_round[index].0);
                cpu[index].push(this_round[index].1);
            }
            rate_ratios.push(this_round[0].0 / this_round[1].0);
            // Less CPU per call is more calls per second: the raw call's over the client's.
            cpu_ratios.push(this_round[1].1 / this_round[0].1);
        }
        let [ours, floor, unsigned] = rates.map(median);
        let [ours_cpu, floor_cpu, _] = cpu.map(median);
        let (low, high) = quartiles(&rate_ratios);
        println!(
            "{in_flight:>9} {ours:>10.0} {floor:>12.0} {:>6.3}x {low:>5.3}-{high:<5.3} {unsigned:>14.0} | {:>9.2} us {:>9.2} us {:>6.3}x",
            median(rate_ratios.clone()),
            ours_cpu,
            floor_cpu,
            median(cpu_ratios)
        );
    }
    signing_in_processes();
}

/// Processes the signing measurement runs in: the ratio is their median. On this machine one
/// process in ten or so measured signing about 30% slower than the others throughout (0.72
/// against 0.55 us) while its floor did not move; the same process environment run again was
/// not slow. The lowest and highest ratios are printed with the median.
const SIGNING_PROCESSES: usize = 7;

/// Signing against its floor, each measured in a fresh process (`OVERHEAD_SIDE=signing`).
fn signing_in_processes() {
    let (mut signs, mut floors, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..SIGNING_PROCESSES {
        let (sign, floor) = run_child(&[("OVERHEAD_SIDE", "signing".to_owned())]);
        signs.push(sign);
        floors.push(floor);
        ratios.push(sign / floor);
    }
    let (low, high) = (
        ratios.iter().copied().fold(f64::INFINITY, f64::min),
        ratios.iter().copied().fold(0.0, f64::max),
    );
    println!();
    println!(
        "signing a GET: {:.2} us; floor (SHA-256 of the canonical request + one HMAC): {:.2} us; \
         {:.3}x (median of {SIGNING_PROCESSES} processes; lowest {low:.3}x, highest {high:.3}x)",
        median(signs) * 1e6,
        median(floors) * 1e6,
        median(ratios),
    );
}

/// Runs one measurement in a fresh process: (calls per second, CPU microseconds per call).
fn run_side(side: &str, in_flight: usize) -> (f64, f64) {
    run_child(&[
        ("OVERHEAD_SIDE", side.to_owned()),
        ("OVERHEAD_IN_FLIGHT", in_flight.to_string()),
        ("OVERHEAD_SECONDS", PERIOD.as_secs_f64().to_string()),
    ])
}

/// Runs this binary with `env` and reads the two numbers it prints.
fn run_child(env: &[(&str, String)]) -> (f64, f64) {
    let exe = std::env::current_exe().expect("the bench binary");
    let output = Command::new(exe)
        .envs(env.iter().map(|(name, value)| (name, value)))
        .output()
        .expect("the bench runs itself");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{env:?} failed: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut numbers = text.split_whitespace().map(|n| n.parse::<f64>());
    match (numbers.next(), numbers.next()) {
        (Some(Ok(first)), Some(Ok(second))) => (first, second),
        _ => panic!("{env:?}: unexpected output {text:?}"),
    }
}

/// One side's measurement (in the child process): prints calls per second and CPU
/// microseconds per call.
fn measure(side: &str) {
    let in_flight: usize = env_number("OVERHEAD_IN_FLIGHT", 64.0) as usize;
    let period = Duration::from_secs_f64(env_number("OVERHEAD_SECONDS", 10.0));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let (rate, cpu) = runtime.block_on(async {
        let setup = common::setup().await;
        let common::Setup { client, raw, url } = setup;
        match side {
            "client" => {
                measure_rate(in_flight, period, move || {
                    let client = client.clone();
                    async move { common::client_call(&client).await }
                })
                .await
            }
            "raw" | "unsigned" => {
                let signed = side == "raw";
                measure_rate(in_flight, period, move || {
                    let (raw, url) = (raw.clone(), url.clone());
                    async move { common::raw_call(&raw, &url, signed).await }
                })
                .await
            }
            other => panic!("unknown side {other:?}: client, raw or unsigned"),
        }
    });
    println!("{rate} {cpu}");
}

fn env_number(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// Calls per second with `in_flight` loops running `call`, and CPU microseconds per call,
/// counted over `duration` after a warm-up (the pool fills with `in_flight` connections).
async fn measure_rate<F, Fut>(in_flight: usize, duration: Duration, call: F) -> (f64, f64)
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
    let (before, cpu_before, start) = (done.load(Ordering::Relaxed), cpu_time(), Instant::now());
    tokio::time::sleep(duration).await;
    let (after, cpu_after, elapsed) = (done.load(Ordering::Relaxed), cpu_time(), start.elapsed());
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("the calls succeed");
    }
    let calls = (after - before) as f64;
    let cpu = match (cpu_before, cpu_after) {
        (Some(b), Some(a)) => a.saturating_sub(b).as_secs_f64() * 1e6 / calls,
        _ => f64::NAN,
    };
    (calls / elapsed.as_secs_f64(), cpu)
}

/// The CPU time of all this process's threads (Linux: the first field of each thread's
/// `schedstat`, nanoseconds on a CPU); `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let path = task.ok()?.path().join("schedstat");
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // A thread that just ended.
        };
        total += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

/// The first and third quartiles (nearest rank).
fn quartiles(values: &[f64]) -> (f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.75))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Time per call of `a` and of `b`, measured in turn (fifteen runs each, the median of each):
/// a machine that slows down for a while slows both.
fn time_per_call_side_by_side(
    iterations: u32,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (Duration, Duration) {
    fn run(iterations: u32, work: &mut impl FnMut()) -> f64 {
        let start = Instant::now();
        for _ in 0..iterations {
            work();
        }
        start.elapsed().as_secs_f64() / f64::from(iterations)
    }
    let (mut times_a, mut times_b) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        times_a.push(run(iterations, &mut a));
        times_b.push(run(iterations, &mut b));
    }
    (
        Duration::from_secs_f64(median(times_a)),
        Duration::from_secs_f64(median(times_b)),
    )
}

/// Signing a GET as the client does (its headers borrowed, the key prepared once), against
/// hashing plus one HMAC of the same sizes.
fn signing() -> (Duration, Duration) {
    let query = vec![("limit".to_owned(), "10".to_owned())];
    let headers = [
        ("Host", "kms.cn-north-4.myhuaweicloud.com"),
        ("X-Project-Id", common::PID),
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
    let key = signer::SigningKey::new("BENCHSECRETKEY");
    let (sign, floor) = time_per_call_side_by_side(
        100_000,
        || {
            black_box(signer::authorize(
                black_box(&input),
                "BENCHACCESSKEY",
                &key,
                "20261122T120000Z",
            ));
        },
        || {
            let digest = Sha256::digest(black_box(canonical.as_bytes()));
            let mut mac = Hmac::<Sha256>::new_from_slice(b"BENCHSECRETKEY").expect("any key");
            mac.update(black_box(to_sign.as_bytes()));
            black_box((digest, mac.finalize()));
        },
    );
    (sign, floor)
}
