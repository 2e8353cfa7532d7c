//! `cargo bench -p hwcloud-runtime --bench allocations`: heap allocations per call, the
//! runtime client against a raw reqwest call sending the same request with the same settings
//! (as in the `overhead` bench, one call at a time against an in-process loopback server).
//! Allocations are what separated the two under load: every extra one is allocator work and,
//! freed on another thread, lock contention (seen with `perf`: glibc's arena lock).
//!
//! `ALLOCATIONS_SIDE=client` (or `raw`) runs that side's calls alone and prints nothing: run
//! under `valgrind --tool=callgrind`, the difference of the two totals over the calls made
//! is the client's extra instructions per call (a machine without hardware counters, or a
//! busy one, still gives an exact figure).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

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

const CALLS: u64 = 2_000;

/// Allocations and bytes per call of `call`, counted for the whole process (the server's
/// share is the same for both sides).
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
        let common::Setup { client, raw, url } = common::setup().await;
        // One side alone, for an instruction count of each (see the module's doc).
        match std::env::var("ALLOCATIONS_SIDE").as_deref() {
            Ok("client") => {
                per_call(|| common::client_call(&client)).await;
                return;
            }
            Ok("raw") => {
                per_call(|| common::raw_call(&raw, &url, true)).await;
                return;
            }
            _ => {}
        }
        let ours = per_call(|| common::client_call(&client)).await;
        let floor = per_call(|| common::raw_call(&raw, &url, true)).await;
        println!("heap allocations per call (whole process, server included; {CALLS} calls)");
        println!("{:>12} {:>12} {:>12}", "", "allocations", "bytes");
        println!("{:>12} {:>12.1} {:>12.0}", "client", ours.0, ours.1);
        println!("{:>12} {:>12.1} {:>12.0}", "raw reqwest", floor.0, floor.1);
    });
}
