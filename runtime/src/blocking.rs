//! Calls without `async`: the `send_blocking` of every generated request waits here, on a
//! runtime of the crate's own, for scripts and synchronous programs.
//!
//! One multi-threaded runtime serves the whole process (started by the first call): the
//! connection pool lives on it, so it is reused from call to call and from thread to thread.

use std::future::Future;
use std::sync::OnceLock;

use crate::error::Error;

static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();

/// Runs `call` to completion on the crate's runtime and returns its result.
///
/// Inside an async runtime (a `#[tokio::main]` function, a task) blocking would stall it, and
/// tokio forbids it: the call is not made and the result is [`Error::InvalidInput`], which
/// says to `.await` the call instead.
pub fn block_on<T, E>(call: impl Future<Output = Result<T, Error<E>>>) -> Result<T, Error<E>> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::InvalidInput(
            "send_blocking was called inside an async runtime, where it would block a worker: \
             use `.send().await` there"
                .to_owned(),
        ));
    }
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("hwcloud-blocking")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    });
    match runtime {
        Ok(runtime) => runtime.block_on(call),
        Err(message) => Err(Error::InvalidInput(format!(
            "the blocking runtime could not start: {message}"
        ))),
    }
}
