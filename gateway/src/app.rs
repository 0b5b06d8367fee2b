//! The routes: `POST /deals`, `GET /healthz`, `GET /metrics` (`docs/rules.md` §4.9).
//!
//! `POST /deals`, in order:
//!
//! 1. at most `MAX_IN_FLIGHT` requests in progress (counted from complete headers): beyond,
//!    503 `overloaded` with `Retry-After: 1` at once, before the body is read (tower's
//!    `ConcurrencyLimit` behind `LoadShed`);
//! 2. the library's extractor: origin, content type, body limit and body timeout, validation
//!    (403, 415, 413, 408, 422), all within the request's deadline (408 when the body has not
//!    arrived by then);
//! 3. the API, within what is left of the deadline less a margin for the outbox's commit;
//!    its answer decides the outcome:
//!
//! | what happened | answer | outbox |
//! |---|---|---|
//! | created | 201 with the API's body | - |
//! | the API refused the deal or the origin (422, 403, other 4xx) | the API's status and body | - |
//! | the API refused the gateway's token (401) | 502 `upstream_auth_failed` | - |
//! | surely not created (no connection, 408, 429, 503, deadline before writing) | 202 `{"queued": ID, "warnings"}` | `queued` |
//! | the same, outbox off | 503 `upstream_unavailable`, `Retry-After` | - |
//! | may have been created (timeout or drop after writing, other 5xx) | 502 `upstream_outcome_unknown` | `unknown` |
//!
//! Every answer carries `x-request-id`, and one log line per request says the id, the route,
//! the status, the outcome and the latency; never the token or a click id.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{FromRef, FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{BoxError, Json, Router};
use serde_json::json;
use tokio::sync::watch;
use tokio::time::Instant;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use wegly_attribution::client::{Client, Delivery};
use wegly_attribution::gateway::{CreateDeal, GatewayConfig, upstream_reason};
use wegly_attribution::{ErrorCode, Rejected};

use crate::config::Config;
use crate::deliver::Deliverer;
use crate::metrics::Metrics;
use crate::outbox::{Outbox, State as EntryState};

/// Time kept back from the deadline for committing a deal to the outbox and answering.
const OUTBOX_MARGIN: Duration = Duration::from_millis(500);

/// What every request shares: one allocation, cloned by reference count for each request.
#[derive(Clone)]
pub(crate) struct App(Arc<Shared>);

/// The service's state.
pub(crate) struct Shared {
    gateway: GatewayConfig,
    client: Client,
    outbox: Option<Outbox>,
    deliverer: Option<Deliverer>,
    metrics: Arc<Metrics>,
    deadline: Duration,
    max_in_flight: usize,
    /// The last answer of the API on the request path was a refused token.
    auth_failed: AtomicBool,
    /// Set on SIGTERM: when requests in progress must be answered.
    drain: watch::Sender<Option<Instant>>,
}

impl std::ops::Deref for App {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<App> for GatewayConfig {
    fn from_ref(app: &App) -> GatewayConfig {
        app.gateway.clone()
    }
}

/// A response's outcome, for the log line and the metrics.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome(pub(crate) &'static str);

impl App {
    pub(crate) fn new(
        config: &Config,
        outbox: Option<Outbox>,
        deliverer: Option<Deliverer>,
        metrics: Arc<Metrics>,
    ) -> App {
        let args = &config.args;
        let mut gateway = GatewayConfig::new()
            .body_limit(args.body_limit as usize)
            .body_timeout(args.body_timeout);
        if let Some(domain) = &config.allowed_domain {
            gateway = gateway.allowed_domain(domain.clone());
        }
        App(Arc::new(Shared {
            gateway,
            client: config.client.clone(),
            outbox,
            deliverer,
            metrics,
            deadline: args.deadline,
            max_in_flight: args.max_in_flight as usize,
            auth_failed: AtomicBool::new(false),
            drain: watch::Sender::new(None),
        }))
    }

    /// SIGTERM: requests in progress must be answered by `by`.
    pub(crate) fn start_drain(&self, by: Instant) {
        self.drain.send_replace(Some(by));
    }
}

/// The service's routes and layers.
pub(crate) fn router(app: App) -> Router {
    let deals = post(create_deal).layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(overloaded))
            .load_shed()
            .concurrency_limit(app.max_in_flight),
    );
    Router::new()
        .route("/deals", deals)
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .layer(middleware::from_fn_with_state(app.clone(), log_request))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(RequestIds::new()))
        .layer(CatchPanicLayer::custom(|_| {
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::UpstreamOutcomeUnknown,
                "the gateway failed while handling the request; the deal may have been sent",
                "panic",
            )
        }))
        .with_state(app)
}

/// Request ids: this process's start time and a counter (`18e2f3a1c0-42`), unique per
/// instance and cheap: no random number per request. A request that arrives with an
/// `x-request-id` keeps it.
#[derive(Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> RequestIds {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        RequestIds {
            prefix: format!("{:x}-{:x}", started & 0xff_ffff_ffff, std::process::id()).into(),
            next: Arc::new(std::sync::atomic::AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// A JSON refusal with its outcome.
fn refusal(status: StatusCode, code: ErrorCode, message: &str, outcome: &'static str) -> Response {
    let mut response = (status, Json(Rejected::at_root(code, message))).into_response();
    response.extensions_mut().insert(Outcome(outcome));
    response
}

/// Beyond `MAX_IN_FLIGHT`: 503 `overloaded`, `Retry-After: 1`.
async fn overloaded(err: BoxError) -> Response {
    if err.is::<tower::load_shed::error::Overloaded>() {
        let mut response = refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Overloaded,
            "too many requests in progress; try again in a second",
            "overloaded",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::UpstreamOutcomeUnknown,
        "the gateway failed while handling the request",
        "error",
    )
}

/// One log line per request: id, method, path, status, outcome, latency; and the metrics.
async fn log_request(State(app): State<App>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // Header values and URIs clone by reference count: nothing is copied unless logged.
    let id = request.headers().get("x-request-id").cloned();
    let method = request.method().clone();
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let outcome = response
        .extensions()
        .get::<Outcome>()
        .map_or_else(|| status_outcome(response.status()), |o| o.0);
    if uri.path() == "/deals" {
        app.metrics.request(outcome);
    }
    // Every field by `Display` and the latency in whole microseconds: a `&str` field is
    // written through `Debug`, which escapes it a character at a time, and a float is slow
    // to print; the line cost about 5,000 instructions a request that way, a third of it in
    // those two.
    tracing::info!(
        request_id = %id.as_ref().and_then(|v| v.to_str().ok()).unwrap_or("-"),
        %method,
        path = %uri.path(),
        status = response.status().as_u16(),
        outcome = %outcome,
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

/// The outcome of a response that set none.
fn status_outcome(status: StatusCode) -> &'static str {
    match status.as_u16() {
        200..=299 => "ok",
        404 | 405 => "no_route",
        _ => "error",
    }
}

/// `POST /deals`.
async fn create_deal(State(app): State<App>, request: Request<Body>) -> Response {
    // The handler runs once the headers are complete: the deadline starts now.
    let deadline = Instant::now() + app.deadline;
    let extracted =
        tokio::time::timeout_at(deadline, CreateDeal::from_request(request, &app)).await;
    let deal = match extracted {
        Ok(Ok(deal)) => deal,
        Ok(Err(rejection)) => {
            let outcome = match rejection.status().as_u16() {
                403 => "origin_not_allowed",
                408 => "body_timeout",
                413 => "payload_too_large",
                415 => "unsupported_media_type",
                422 => "invalid",
                _ => "body_unreadable",
            };
            let mut response = rejection.into_response();
            response.extensions_mut().insert(Outcome(outcome));
            return response;
        }
        Err(_) => {
            return refusal(
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::RequestTimeout,
                &format!(
                    "the body did not arrive within the request's deadline of {} s",
                    app.deadline.as_secs_f64()
                ),
                "body_timeout",
            );
        }
    };
    forward(&app, deal, deadline).await
}

/// Sends a validated deal to the API and answers with the outcome (the module's table).
async fn forward(app: &App, deal: CreateDeal, deadline: Instant) -> Response {
    let api_deadline = deadline
        .checked_sub(OUTBOX_MARGIN)
        .unwrap_or(deadline)
        .into_std();
    let client = app
        .client
        .with_origin(deal.origin.clone())
        .with_deadline(api_deadline);
    let started = Instant::now();
    // On SIGTERM, a call still in flight at the drain's end is given up: its outcome is
    // unknown, and it is recorded so.
    let mut drain = app.drain.subscribe();
    let result = tokio::select! {
        result = client.create_deal(&deal.request) => Some(result),
        () = drained(&mut drain) => None,
    };
    let took = started.elapsed();
    let err = match result {
        Some(Ok(created)) => {
            app.metrics.api_call("request", "created", took);
            app.auth_failed.store(false, Ordering::SeqCst);
            let mut response = (StatusCode::CREATED, Json(created)).into_response();
            response.extensions_mut().insert(Outcome("created"));
            return response;
        }
        Some(Err(err)) => err,
        None => {
            app.metrics.api_call("request", "unknown", took);
            let reason = "the gateway stopped while the API was answering".to_owned();
            return unknown(app, &deal, reason).await;
        }
    };
    let reason = upstream_reason(&err);
    let status = err.api().map(|api| api.status().as_u16());
    match (err.delivery(), status) {
        (Delivery::Refused, Some(401)) => {
            app.metrics.api_call("request", "auth_failed", took);
            if !app.auth_failed.swap(true, Ordering::SeqCst) {
                tracing::error!("the API refused the gateway's token (401): check WEGLY_TOKEN");
            }
            with_outcome(err.into_response(), "upstream_auth_failed")
        }
        (Delivery::Refused, _) => {
            app.metrics.api_call("request", "refused", took);
            with_outcome(err.into_response(), "refused_by_api")
        }
        (Delivery::Created, _) => {
            app.metrics.api_call("request", "created", took);
            with_outcome(err.into_response(), "created")
        }
        (Delivery::NotCreated, _) => {
            app.metrics.api_call("request", "not_created", took);
            match &app.outbox {
                Some(outbox) => queue(app, outbox, &deal, reason).await.unwrap_or_else(|| {
                    // The outbox failed: the browser must send again.
                    with_outcome(err.into_response(), "upstream_unavailable")
                }),
                None => with_outcome(err.into_response(), "upstream_unavailable"),
            }
        }
        (_, _) => {
            app.metrics.api_call("request", "unknown", took);
            unknown(app, &deal, reason).await
        }
    }
}

fn with_outcome(mut response: Response, outcome: &'static str) -> Response {
    response.extensions_mut().insert(Outcome(outcome));
    response
}

/// Resolves when a drain's end has passed (never without a drain).
async fn drained(drain: &mut watch::Receiver<Option<Instant>>) {
    loop {
        let by = *drain.borrow_and_update();
        match by {
            // A second short of the drain's end, so that the answer still goes out.
            Some(by) => {
                tokio::time::sleep_until(by.checked_sub(Duration::from_secs(1)).unwrap_or(by))
                    .await;
                return;
            }
            None => {
                if drain.changed().await.is_err() {
                    std::future::pending::<()>().await;
                }
            }
        }
    }
}

/// The request's JSON, title and origin, as the outbox keeps them.
fn entry_parts(deal: &CreateDeal) -> (String, Vec<u8>, Option<String>) {
    // OK to default: a request serializes into a `Vec` without failing.
    let json = serde_json::to_vec(&deal.request).unwrap_or_default();
    let origin = deal
        .origin
        .as_ref()
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    (deal.request.title().to_owned(), json, origin)
}

/// Commits the deal to the outbox as `queued` and answers 202; `None` when the outbox failed.
async fn queue(app: &App, outbox: &Outbox, deal: &CreateDeal, reason: String) -> Option<Response> {
    let (title, json, origin) = entry_parts(deal);
    match outbox
        .add(EntryState::Queued, title, json, origin, reason)
        .await
    {
        Ok(id) => {
            if let Some(deliverer) = &app.deliverer {
                deliverer.wake();
            }
            let body = json!({"queued": id.to_string(), "warnings": deal.warnings});
            let mut response = (StatusCode::ACCEPTED, Json(body)).into_response();
            response.extensions_mut().insert(Outcome("queued"));
            Some(response)
        }
        Err(err) => {
            tracing::error!(error = %err, "a deal could not be queued");
            None
        }
    }
}

/// Answers 502 `upstream_outcome_unknown`, and keeps the deal as `unknown` for an operator.
async fn unknown(app: &App, deal: &CreateDeal, reason: String) -> Response {
    if let Some(outbox) = &app.outbox {
        let (title, json, origin) = entry_parts(deal);
        match outbox
            .add(EntryState::Unknown, title, json, origin, reason.clone())
            .await
        {
            Ok(id) => {
                tracing::warn!(entry = id, %reason, "deal outcome unknown, kept in the outbox")
            }
            Err(err) => tracing::error!(error = %err, "an unknown deal could not be recorded"),
        }
    }
    refusal(
        StatusCode::BAD_GATEWAY,
        ErrorCode::UpstreamOutcomeUnknown,
        &format!("the deal may have been created: {reason}; do not send it again"),
        "upstream_outcome_unknown",
    )
}

/// `GET /healthz`: 200 while serving; `degraded` while the API refuses the token.
async fn healthz(State(app): State<App>) -> Response {
    let degraded = app.auth_failed.load(Ordering::SeqCst)
        || app.deliverer.as_ref().is_some_and(Deliverer::auth_failed);
    let mut body = serde_json::Map::new();
    let mut status = if degraded { "degraded" } else { "ok" };
    if let Some(outbox) = &app.outbox {
        match outbox.counts().await {
            Ok(counts) => {
                let states: serde_json::Map<_, _> = EntryState::ALL
                    .into_iter()
                    .zip(counts)
                    .map(|(state, count)| (state.as_str().to_owned(), count.into()))
                    .collect();
                body.insert("outbox".to_owned(), states.into());
            }
            Err(err) => {
                tracing::error!(error = %err, "the outbox could not be counted");
                status = "degraded";
            }
        }
    }
    body.insert("status".to_owned(), status.into());
    (StatusCode::OK, Json(body)).into_response()
}

/// `GET /metrics`: Prometheus text format.
async fn metrics(State(app): State<App>) -> Response {
    let counts = match &app.outbox {
        Some(outbox) => outbox.counts().await.ok(),
        None => None,
    };
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        app.metrics.render(counts),
    )
        .into_response()
}
