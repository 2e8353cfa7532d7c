//! Retry policy: bounded exponential backoff with full jitter.
//!
//! Timing of one call (a first attempt plus any retries), with `timeout` the config's
//! overall per-attempt timeout ([`Config::timeout`](crate::Config::timeout)) and the
//! clock starting when the first attempt starts:
//!
//! * the first attempt is bounded by `timeout` alone;
//! * a retry starts only strictly before [`RetryPolicy::max_elapsed`] (when the backoff
//!   or `Retry-After` wait would end at or after it, the last failure is returned at
//!   once instead of waiting);
//! * each retry's overall timeout is `timeout` cut to the time left before
//!   `max_elapsed`, so a retry still running at `max_elapsed` fails with
//!   [`Error::Timeout`](crate::Error::Timeout).
//!
//! Hence a call returns within `max(timeout, max_elapsed)` of its start, plus local
//! processing time (signing, decoding).

use std::time::{Duration, SystemTime};

/// When and how often failed attempts are retried.
///
/// Retried: connection errors, timeouts and statuses 429, 502, 503 and 504, only for
/// idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) unless the operation is marked
/// `retry_safe`. The delay before retry *n* (1-based) is uniformly random in
/// `[0, min(max_backoff, initial_backoff * 2^(n-1))]` ("full jitter"). A `Retry-After`
/// response header (seconds or HTTP-date) replaces it: the client waits exactly that
/// long, or, when the server asks for longer than `max_backoff` or for a wait that would
/// end at or after `max_elapsed`, does not retry at all and returns that response's
/// error at once.
///
/// `max_elapsed` bounds when a retry may *start* (strictly before `max_elapsed` has
/// passed since the first attempt started) and, through the timeout of each retry, when
/// it must end: a retry's overall timeout is the config's per-attempt
/// [`timeout`](crate::Config::timeout) cut to the time left before `max_elapsed`. The
/// first attempt is bounded by `timeout` only. **A call therefore returns within
/// `max(timeout, max_elapsed)` of its start (plus local processing time such as signing
/// and decoding).**
///
/// Every duration may be [`Duration::MAX`]; a `max_elapsed` too large to add to the
/// current time means "no time budget" (retries are then bounded by `max_attempts` and
/// each by `timeout`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Total attempts including the first (1 = no retries). Default 3.
    pub max_attempts: u32,
    /// Backoff cap of the first retry. Default 100 ms.
    pub initial_backoff: Duration,
    /// Maximum delay between attempts. A longer `Retry-After` ends the retries (the
    /// response's error is returned rather than retrying early). Default 5 s.
    pub max_backoff: Duration,
    /// Time budget for retries, counted from the start of the first attempt: a retry
    /// starts only strictly before it has passed, and its overall timeout is cut to the
    /// time left (the first attempt is bounded by the per-attempt timeout only). A call
    /// returns within `max(timeout, max_elapsed)`. Default 30 s.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets `max_attempts` (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets `initial_backoff`.
    pub fn with_initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Sets `max_backoff`.
    pub fn with_max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Sets `max_elapsed`.
    pub fn with_max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }

    /// The delay before retry number `retry` (1 = first retry): the server's
    /// `Retry-After` hint when there is one, else the jittered exponential backoff.
    ///
    /// `None` when the hint exceeds `max_backoff`: the server asks for a longer wait
    /// than the policy allows, so the caller should not retry (rather than retry early).
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if let Some(hint) = retry_after {
            return (hint <= self.max_backoff).then_some(hint);
        }
        let exp = retry.saturating_sub(1).min(30);
        let cap = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Some(Duration::from_nanos(fastrand::u64(0..=nanos)))
    }
}

/// True for response statuses that are retried (429, 502, 503, 504).
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Parses a `Retry-After` value: delta-seconds (ASCII digits only; values beyond
/// `u64` seconds saturate), or an IMF-fixdate HTTP-date (`Sun, 06 Nov 1994 08:49:37
/// GMT`, years 1970 to 9999) relative to `now`. Past dates give zero. Anything else
/// (negative or signed numbers, other date formats, out-of-range fields) gives `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let target = parse_http_date(value)?;
    Some(target.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A fixed-width unsigned decimal field (`width` ASCII digits).
fn digits(s: &str, width: usize) -> Option<u32> {
    if s.len() != width || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_http_date(s: &str) -> Option<SystemTime> {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    let rest = s.split_once(", ")?.1;
    let parts: Vec<&str> = rest.split(' ').collect();
    if parts.len() != 5 || parts[4] != "GMT" {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == parts[1])? as u32 + 1;
    // Four digits, and not before the epoch: every value below fits an i64 easily.
    let year = digits(parts[2], 4).filter(|y| *y >= 1970)?;
    let day = digits(parts[0], 2).filter(|d| (1..=days_in_month(year, month)).contains(d))?;
    let mut hms = parts[3].split(':');
    let (h, m, sec) = (hms.next()?, hms.next()?, hms.next()?);
    if hms.next().is_some() {
        return None;
    }
    let (h, m, sec) = (digits(h, 2)?, digits(m, 2)?, digits(sec, 2)?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(i64::from(year), i64::from(month), i64::from(day));
    let secs = days
        .checked_mul(86_400)?
        .checked_add(i64::from(h * 3600 + m * 60 + sec))?;
    let secs = u64::try_from(secs).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        // 28 or 29 by the Gregorian rule, as `days_from_civil` applies it (this also
        // keeps clear of `u32::is_multiple_of`, which needs Rust 1.87).
        2 => {
            let y = i64::from(year);
            (days_from_civil(y, 3, 1) - days_from_civil(y, 2, 1)) as u32
        }
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
/// Callers keep `y` within a few thousand years, so nothing overflows.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_none() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_attempts, 3);
        assert_eq!(p.initial_backoff, Duration::from_millis(100));
        assert_eq!(p.max_backoff, Duration::from_secs(5));
        assert_eq!(p.max_elapsed, Duration::from_secs(30));
        assert_eq!(RetryPolicy::none().max_attempts, 1);
        assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts, 1);
    }

    #[test]
    fn backoff_is_bounded() {
        let p = RetryPolicy::default();
        for retry in 1..50 {
            let d = p.delay(retry, None).unwrap();
            assert!(d <= p.max_backoff);
            let cap = Duration::from_millis(100).saturating_mul(1 << (retry - 1).min(30));
            assert!(d <= cap);
        }
        // A hint is honoured exactly, up to and including `max_backoff`...
        for secs in [0, 1, 5] {
            let hint = Duration::from_secs(secs);
            assert_eq!(p.delay(1, Some(hint)), Some(hint));
        }
        // ...and a longer one means "do not retry", not "retry after max_backoff".
        assert_eq!(p.delay(1, Some(Duration::from_millis(5001))), None);
        assert_eq!(p.delay(1, Some(Duration::from_secs(100))), None);
        assert_eq!(p.delay(1, Some(Duration::MAX)), None);
    }

    #[test]
    fn duration_max_policy_does_not_panic() {
        let p = RetryPolicy::default()
            .with_initial_backoff(Duration::MAX)
            .with_max_backoff(Duration::MAX)
            .with_max_elapsed(Duration::MAX);
        for retry in [0, 1, 2, 31, 32, u32::MAX] {
            assert!(p.delay(retry, None).is_some());
        }
        assert_eq!(p.delay(1, Some(Duration::MAX)), Some(Duration::MAX));
    }

    #[test]
    fn retry_after_parsing() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after(" 2 ", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        for (year, feb) in [(1900, 28), (1970, 28), (2000, 29), (2023, 28), (2024, 29)] {
            assert_eq!(days_in_month(year, 2), feb, "{year}");
        }
        assert_eq!(
            crate::signer::civil_from_days(days_from_civil(2024, 2, 29)),
            (2024, 2, 29)
        );
    }

    #[test]
    fn hostile_retry_after_values_never_panic() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        // Ignored: out-of-range years, negative or signed numbers, garbage, non-ASCII.
        for value in [
            "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
            "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
            "Sun, 06 Nov 99999 08:49:37 GMT",
            "Sun, 06 Nov 10000 08:49:37 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov +1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 -1:49:37 GMT",
            "Sun, 06 Nov 1994 +8:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 06 Növ 1994 08:49:37 GMT",
            "Sun, ０6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "-1",
            "-9223372036854775808",
            "+5",
            "1.5",
            "1e3",
            "５",
            "",
            " ",
            "soon",
            "\u{0}",
            ", , , , ,",
        ] {
            assert_eq!(parse_retry_after(value, now), None, "{value:?}");
        }
        // Delta-seconds too large for u64 saturate (the server asks for "very long").
        for value in [
            "18446744073709551615",
            "18446744073709551616",
            &"9".repeat(400),
        ] {
            assert_eq!(
                parse_retry_after(value, now),
                Some(Duration::from_secs(u64::MAX)),
                "{value:?}"
            );
        }
        // The latest accepted date, and one far in the past.
        let latest = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now).unwrap();
        assert_eq!(
            latest.as_secs(),
            253_402_300_799 - 784_111_777,
            "9999-12-31T23:59:59Z"
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        // A `now` before the epoch or far in the future does not panic either.
        let _ = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", SystemTime::UNIX_EPOCH);
    }

    #[test]
    fn retryable_statuses() {
        for s in [429, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [200, 400, 500, 501] {
            assert!(!is_retryable_status(s));
        }
    }
}
