//! The outbox deliverer (`docs/rules.md` §4.9): one task that sends queued deals in order of
//! arrival, and keeps trying while the API is down or rate limiting.
//!
//! Each attempt takes the oldest queued entry and marks it `sending` in a committed
//! transaction before writing a byte (`Outbox::take_next`). The API's answer then decides:
//!
//! | answer | the entry | the deliverer |
//! |---|---|---|
//! | created | `delivered`, with the deal's id | next entry at once |
//! | 401 | `queued` again | pauses: `/healthz` says `degraded`; tries again after a backoff, and until the token works |
//! | another refusal (403, 422, other 4xx) | `rejected`, with the API's body | next entry |
//! | not created (no connection, 408, 429, 503) | `queued` again | waits: the API's `Retry-After` (up to `OUTBOX_MAX_RETRY_AFTER`), else a backoff with full jitter doubling up to `OUTBOX_MAX_BACKOFF` |
//! | unknown (a timeout after writing, a dropped connection, another 5xx) | `unknown` | next entry; never sent again without an operator |
//!
//! The entry at the head is tried again before any later one, so deals reach the API in the
//! order they arrived.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, watch};
use wegly_attribution::CreateDealRequest;
use wegly_attribution::client::{Client, ClientError, Delivery, HeaderValue, Retries};

use crate::metrics::Metrics;
use crate::outbox::{Outbox, Pending, State};

/// How often an idle deliverer looks for entries queued by someone else (an operator's
/// `outbox retry` from another process).
const POLL: Duration = Duration::from_secs(2);

/// The deliverer's handle: cheap to clone; the request path wakes it when it queues a deal.
#[derive(Clone)]
pub(crate) struct Deliverer {
    inner: Arc<Inner>,
}

struct Inner {
    outbox: Outbox,
    client: Client,
    metrics: Arc<Metrics>,
    backoff: Retries,
    max_retry_after: Duration,
    wake: Notify,
    /// The API refused the token: delivery waits, `/healthz` says `degraded`.
    auth_failed: AtomicBool,
}

/// What to do after an attempt.
enum Next {
    /// Take the next entry now.
    Go,
    /// Wait this long before trying the head again.
    Wait(Duration),
}

impl Deliverer {
    pub(crate) fn new(
        outbox: Outbox,
        client: Client,
        metrics: Arc<Metrics>,
        max_backoff: Duration,
        max_retry_after: Duration,
    ) -> Deliverer {
        Deliverer {
            inner: Arc::new(Inner {
                outbox,
                client,
                metrics,
                backoff: Retries::new()
                    .backoff(Duration::from_secs(1))
                    .max_backoff(max_backoff),
                max_retry_after,
                wake: Notify::new(),
                auth_failed: AtomicBool::new(false),
            }),
        }
    }

    /// A deal was queued: look now.
    pub(crate) fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// Whether the API refused the token on the last attempt.
    pub(crate) fn auth_failed(&self) -> bool {
        self.inner.auth_failed.load(Ordering::SeqCst)
    }

    /// Delivers until `shutdown` turns true; an attempt in progress is finished first.
    pub(crate) async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut failures: u32 = 0;
        loop {
            if *shutdown.borrow() {
                return;
            }
            let next = match self.inner.outbox.take_next().await {
                Ok(Some(pending)) => self.attempt(pending, &mut failures).await,
                Ok(None) => Next::Wait(POLL),
                Err(err) => {
                    tracing::error!(error = %err, "the outbox could not be read");
                    failures = failures.saturating_add(1);
                    Next::Wait(self.inner.backoff.backoff_before(failures))
                }
            };
            if let Next::Wait(wait) = next {
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    // A deal queued while the head waits does not cut the wait short,
                    // unless the deliverer was idle.
                    () = self.inner.wake.notified(), if failures == 0 => {}
                    _ = shutdown.changed() => return,
                }
            }
        }
    }

    /// Sends one entry already marked `sending`, and records the answer.
    async fn attempt(&self, pending: Pending, failures: &mut u32) -> Next {
        let inner = &*self.inner;
        let Pending {
            id,
            request,
            origin,
        } = pending;
        // What was queued was validated once; validation gives the same request again.
        let request = match CreateDealRequest::from_json(&request) {
            Ok(valid) => valid.request,
            Err(rejected) => {
                let body = serde_json::to_string(&rejected).unwrap_or_default();
                self.finish(
                    id,
                    State::Rejected,
                    None,
                    Some(body),
                    Some("no longer valid"),
                )
                .await;
                return Next::Go;
            }
        };
        let origin = origin.and_then(|o| HeaderValue::from_str(&o).ok());
        let started = Instant::now();
        let result = inner.client.with_origin(origin).create_deal(&request).await;
        let took = started.elapsed();
        match result {
            Ok(created) => {
                inner.metrics.api_call("outbox", "created", took);
                inner.auth_failed.store(false, Ordering::SeqCst);
                *failures = 0;
                self.finish(
                    id,
                    State::Delivered,
                    Some(created.id.to_string()),
                    None,
                    None,
                )
                .await;
                tracing::info!(entry = id, deal = %created.id, "outbox entry delivered");
                Next::Go
            }
            Err(err) => self.failed(id, err, took, failures).await,
        }
    }

    /// Records a failed attempt; says how long to wait.
    async fn failed(&self, id: i64, err: ClientError, took: Duration, failures: &mut u32) -> Next {
        let inner = &*self.inner;
        let reason = wegly_attribution::gateway::upstream_reason(&err);
        let status = err.api().map(|api| api.status().as_u16());
        match (err.delivery(), status) {
            (Delivery::Refused, Some(401)) => {
                inner.metrics.api_call("outbox", "auth_failed", took);
                if !inner.auth_failed.swap(true, Ordering::SeqCst) {
                    tracing::error!(
                        "the API refused the gateway's token: delivery paused until it works"
                    );
                }
                self.finish(id, State::Queued, None, None, Some(&reason))
                    .await;
                *failures = failures.saturating_add(1);
                Next::Wait(
                    inner
                        .backoff
                        .backoff_before(*failures)
                        .max(Duration::from_secs(1)),
                )
            }
            (Delivery::Refused, _) => {
                inner.metrics.api_call("outbox", "refused", took);
                let body = err.api().map(|api| api.body().to_owned());
                self.finish(id, State::Rejected, None, body, Some(&reason))
                    .await;
                tracing::warn!(entry = id, %reason, "outbox entry rejected by the API");
                Next::Go
            }
            (Delivery::Created, _) => {
                inner.metrics.api_call("outbox", "created", took);
                let body = match &err {
                    ClientError::Decode { body, .. } => Some(body.clone()),
                    _ => None,
                };
                self.finish(id, State::Delivered, None, body, Some(&reason))
                    .await;
                Next::Go
            }
            (Delivery::NotCreated, _) => {
                inner.metrics.api_call("outbox", "not_created", took);
                self.finish(id, State::Queued, None, None, Some(&reason))
                    .await;
                *failures = failures.saturating_add(1);
                let wait = match err.api().and_then(|api| api.retry_after()) {
                    Some(wait) => wait.min(inner.max_retry_after),
                    None => inner.backoff.backoff_before(*failures),
                };
                tracing::info!(entry = id, %reason, wait_ms = wait.as_millis() as u64, "outbox entry not delivered yet");
                Next::Wait(wait)
            }
            (_, _) => {
                inner.metrics.api_call("outbox", "unknown", took);
                self.finish(id, State::Unknown, None, None, Some(&reason))
                    .await;
                tracing::warn!(entry = id, %reason, "outbox entry outcome unknown: check it, then `outbox retry` or `outbox drop`");
                Next::Go
            }
        }
    }

    async fn finish(
        &self,
        id: i64,
        state: State,
        deal_id: Option<String>,
        answer: Option<String>,
        reason: Option<&str>,
    ) {
        if let Err(err) = self
            .inner
            .outbox
            .finish(id, state, deal_id, answer, reason.map(str::to_owned))
            .await
        {
            // The entry stays `sending`, which the next start reads as `unknown`: never sent
            // twice.
            tracing::error!(entry = id, error = %err, "the outbox could not record an attempt");
        }
    }
}
