//! When to try again: the retry loop of [`Client`](super::Client), apart from the HTTP
//! attempt it repeats.
//!
//! The loop only decides: which failure is worth another attempt, how long to wait first,
//! how long an attempt may take, and when the deadline ends it all. Keeping the attempt out
//! (a closure) lets the tests run the loop on tokio's paused clock with scripted answers, so
//! they assert the waits to the nanosecond instead of against the wall clock.

use std::future::Future;
use std::time::Duration;

use reqwest::Method;
use tokio::time::Instant;

use super::error::ClientError;
use super::retry::{self, Retries};

/// What decides the attempts of one call.
pub(super) struct Schedule {
    pub(super) retries: Retries,
    /// An attempt's own timeout.
    pub(super) timeout: Duration,
    /// The deadline of the whole call, waits included.
    pub(super) deadline: Option<Instant>,
    /// Whether the request may be sent twice (a GET): see [`Schedule::after`].
    pub(super) idempotent: bool,
}

impl Schedule {
    /// The schedule of a call with `method`.
    pub(super) fn new(
        retries: Retries,
        timeout: Duration,
        deadline: Option<std::time::Instant>,
        method: &Method,
    ) -> Schedule {
        Schedule {
            retries,
            timeout,
            deadline: deadline.map(Instant::from_std),
            idempotent: *method == Method::GET,
        }
    }

    /// Runs `attempt` (given the time it may take) until it succeeds, fails for good, the
    /// attempts run out, or the next wait would end past the deadline.
    pub(super) async fn run<T, F, A>(&self, mut attempt: F) -> Result<T, ClientError>
    where
        F: FnMut(Duration) -> A,
        A: Future<Output = Result<T, ClientError>>,
    {
        let mut number = 1;
        loop {
            let timeout = match self.deadline {
                None => self.timeout,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(ClientError::Deadline);
                    }
                    left.min(self.timeout)
                }
            };
            let err = match attempt(timeout).await {
                Ok(success) => return Ok(success),
                Err(err) => err,
            };
            let last = number >= self.retries.get_attempts();
            let (err, wait) = self.after(err, number);
            let Some(wait) = wait.filter(|_| !last) else {
                return Err(err);
            };
            // A wait that does not end before the deadline ends the attempts.
            if let Some(deadline) = self.deadline
                && Instant::now() + wait >= deadline
            {
                return Err(err);
            }
            tokio::time::sleep(wait).await;
            number += 1;
        }
    }

    /// The wait before another attempt after attempt `number` failed with `err`, or `None`
    /// when it is not to be tried again.
    fn after(&self, err: ClientError, number: u32) -> (ClientError, Option<Duration>) {
        match err {
            ClientError::Api(api) => {
                let retried = if self.idempotent {
                    retry::retry_get_status(api.status())
                } else {
                    retry::retry_post_status(api.status())
                };
                let wait = match api.retry_after() {
                    // Asked to wait longer than we do: give up now.
                    Some(wait) => (wait <= self.retries.get_max_retry_after()).then_some(wait),
                    None => Some(self.retries.backoff_before(number)),
                };
                (ClientError::Api(api), wait.filter(|_| retried))
            }
            // A connection that was never made sent nothing: safe for any method.
            err @ ClientError::Connect(_) => (err, Some(self.retries.backoff_before(number))),
            // A GET may be sent twice; a POST that may have been written may not: a timeout
            // or a dropped connection after writing may follow a created deal.
            ClientError::Transport(err) => {
                let retried = self.idempotent && !err.is_builder() && !err.is_redirect();
                let wait = self.retries.backoff_before(number);
                (ClientError::Transport(err), Some(wait).filter(|_| retried))
            }
            other => (other, None),
        }
    }
}

#[cfg(test)]
mod tests;
