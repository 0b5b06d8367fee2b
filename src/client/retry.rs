//! When and how long to wait before trying a request again (`docs/rules.md` §4.6).

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The retry policy of a [`Client`](super::Client).
///
/// The defaults (`docs/rules.md` §4.6): 3 attempts in all; before retry `n` (from 1) a wait drawn uniformly
/// from zero to `200 ms × 2^(n-1)`, at most 10 s ("full jitter", so that clients refused
/// together do not come back together); a `Retry-After` from the API replaces that wait when it
/// is at most 30 s, and a longer one ends the retries at once.
///
/// Which failures are retried depends on the method, so that a retry never creates a second
/// deal: see [`Client`](super::Client).
///
/// ```
/// use std::time::Duration;
/// use wegly_attribution::client::Retries;
///
/// let patient = Retries::new().attempts(5).backoff(Duration::from_millis(500));
/// assert_eq!(patient.get_attempts(), 5);
/// assert_eq!(Retries::none().get_attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retries {
    attempts: u32,
    backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Retries {
    /// The defaults: 3 attempts, 200 ms doubling up to 10 s, `Retry-After` up to 30 s.
    ///
    /// ```
    /// use wegly_attribution::client::Retries;
    /// assert_eq!(Retries::new(), Retries::default());
    /// assert_eq!(Retries::new().get_attempts(), 3);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Retries {
            attempts: 3,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(30),
        }
    }

    /// One attempt, no retry.
    ///
    /// ```
    /// use wegly_attribution::client::Retries;
    /// assert_eq!(Retries::none(), Retries::new().attempts(1));
    /// ```
    #[must_use]
    pub const fn none() -> Self {
        Self::new().attempts(1)
    }

    /// Attempts in all, the first included; `0` counts as `1`.
    ///
    /// ```
    /// use wegly_attribution::client::Retries;
    /// assert_eq!(Retries::new().attempts(0).get_attempts(), 1);
    /// ```
    #[must_use]
    pub const fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// The longest wait before the first retry; it doubles for each next one.
    ///
    /// ```
    /// use std::time::Duration;
    /// use wegly_attribution::client::Retries;
    /// let quick = Retries::new().backoff(Duration::from_millis(1));
    /// # let _ = quick;
    /// ```
    #[must_use]
    pub const fn backoff(mut self, first: Duration) -> Self {
        self.backoff = first;
        self
    }

    /// The cap on a computed wait (not on a `Retry-After`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use wegly_attribution::client::Retries;
    /// let capped = Retries::new().max_backoff(Duration::from_secs(1));
    /// # let _ = capped;
    /// ```
    #[must_use]
    pub const fn max_backoff(mut self, max: Duration) -> Self {
        self.max_backoff = max;
        self
    }

    /// The longest `Retry-After` honored; a longer one gives up at once, returning the error.
    ///
    /// ```
    /// use std::time::Duration;
    /// use wegly_attribution::client::Retries;
    /// let impatient = Retries::new().max_retry_after(Duration::from_secs(2));
    /// # let _ = impatient;
    /// ```
    #[must_use]
    pub const fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Attempts in all.
    ///
    /// ```
    /// use wegly_attribution::client::Retries;
    /// assert_eq!(Retries::new().attempts(2).get_attempts(), 2);
    /// ```
    #[must_use]
    pub const fn get_attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait before retry `retry` (1 for the first retry): drawn uniformly from zero to
    /// the backoff doubled `retry - 1` times, at most the cap. For callers that keep their
    /// own retry loop (a queue's deliverer) with the same policy.
    ///
    /// ```
    /// use std::time::Duration;
    /// use wegly_attribution::client::Retries;
    ///
    /// let retries = Retries::new().backoff(Duration::from_secs(1)).max_backoff(Duration::from_secs(60));
    /// assert!(retries.backoff_before(3) <= Duration::from_secs(4));
    /// assert!(retries.backoff_before(30) <= Duration::from_secs(60));
    /// ```
    #[must_use]
    pub fn backoff_before(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let ceiling = self
            .backoff
            .checked_mul(1 << doublings)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        jitter(ceiling)
    }

    /// The longest `Retry-After` honored.
    ///
    /// ```
    /// use std::time::Duration;
    /// use wegly_attribution::client::Retries;
    /// assert_eq!(Retries::new().get_max_retry_after(), Duration::from_secs(30));
    /// ```
    #[must_use]
    pub const fn get_max_retry_after(&self) -> Duration {
        self.max_retry_after
    }
}

impl Default for Retries {
    fn default() -> Self {
        Self::new()
    }
}

/// The statuses a GET is retried on: 429 and the gateway-side 5xx (RFC 9110 section 15.6).
pub(crate) fn retry_get_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// The statuses a POST is retried on: those that say the request was not processed. A 502 or
/// 504 may come after the API created the deal, so they are not.
pub(crate) fn retry_post_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 503)
}

/// `Retry-After` (RFC 9110 section 10.2.3): delay seconds, or an HTTP date.
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) is RFC 2822's syntax with `GMT`.
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let now = jiff::Timestamp::try_from(SystemTime::now()).ok()?;
    // A date in the past means "now".
    Some(Duration::try_from(at.duration_since(now)).unwrap_or(Duration::ZERO))
}

/// A wait drawn uniformly from `0..=ceiling`, at millisecond resolution when the ceiling is
/// one millisecond or more.
///
/// The randomness needs no quality beyond "clients do not agree": each draw hashes a counter
/// with a fresh [`RandomState`], whose keys the standard library seeds from the OS once per
/// thread and then steps for every new state. That avoids a dependency on `rand` for one
/// number per retry.
fn jitter(ceiling: Duration) -> Duration {
    static DRAWS: AtomicU64 = AtomicU64::new(0);
    let draw = RandomState::new().hash_one(DRAWS.fetch_add(1, Ordering::Relaxed));
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    if nanos < 1_000_000 {
        return Duration::from_nanos(draw % nanos.saturating_add(1));
    }
    let millis = nanos / 1_000_000;
    Duration::from_millis(draw % (millis + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_doubles_with_full_jitter_and_a_cap() {
        let retries = Retries::new();
        for (retry, ceiling_ms) in [(1, 200), (2, 400), (3, 800), (7, 10_000), (40, 10_000)] {
            let draws: Vec<Duration> = (0..200).map(|_| retries.backoff_before(retry)).collect();
            let max = draws.iter().max().unwrap();
            let min = draws.iter().min().unwrap();
            assert!(
                *max <= Duration::from_millis(ceiling_ms),
                "retry {retry}: {max:?}"
            );
            // 200 uniform draws: the spread covers most of the range.
            assert!(
                *max >= Duration::from_millis(ceiling_ms / 2),
                "retry {retry}: {max:?}"
            );
            assert!(
                *min <= Duration::from_millis(ceiling_ms / 2),
                "retry {retry}: {min:?}"
            );
        }
        let none = Retries::new().backoff(Duration::ZERO);
        assert_eq!(none.backoff_before(1), Duration::ZERO);
        let tiny = Retries::new().backoff(Duration::from_micros(10));
        assert!(tiny.backoff_before(1) <= Duration::from_micros(10));
    }

    #[test]
    fn retry_after_is_read() {
        let far = Duration::from_secs(3_000_000_000);
        let cases: &[(&str, Option<(Duration, Duration)>)] = &[
            ("0", Some((Duration::ZERO, Duration::ZERO))),
            ("3", Some((Duration::from_secs(3), Duration::from_secs(3)))),
            (
                " 30 ",
                Some((Duration::from_secs(30), Duration::from_secs(30))),
            ),
            (
                "86400",
                Some((Duration::from_secs(86400), Duration::from_secs(86400))),
            ),
            (
                "Sun, 06 Nov 1994 08:49:37 GMT",
                Some((Duration::ZERO, Duration::ZERO)),
            ),
            (
                "Fri, 01 Jan 2100 00:00:00 GMT",
                Some((Duration::from_secs(2_000_000_000), far)),
            ),
            ("soon", None),
            ("-1", None),
            ("1.5", None),
            ("", None),
        ];
        for (value, expected) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
            let got = parse_retry_after(&headers);
            match (got, expected) {
                (None, None) => {}
                (Some(got), Some((low, high))) => {
                    assert!(*low <= got && got <= *high, "row {value:?}: {got:?}");
                }
                _ => panic!("row {value:?}: {got:?}"),
            }
        }
        assert_eq!(parse_retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn which_statuses_are_retried() {
        let cases: &[(u16, bool, bool)] = &[
            (200, false, false),
            (400, false, false),
            (401, false, false),
            (408, false, false),
            (422, false, false),
            (429, true, true),
            (500, false, false),
            (502, true, false),
            (503, true, true),
            (504, true, false),
        ];
        for (code, get, post) in cases {
            let status = StatusCode::from_u16(*code).unwrap();
            assert_eq!(retry_get_status(status), *get, "GET {code}");
            assert_eq!(retry_post_status(status), *post, "POST {code}");
        }
    }
}
