//! The stand-in's server: both API pages, tokens, `allowed_domain`, an in-memory store and
//! fault injection (`docs/rules.md` §4.7).
//!
//! Faults, chosen per request by `X-Fake-Fail` (or, for requests without it, by the last value
//! `PUT` to `/_fake/fault`, so that a caller who cannot set the API's headers, such as a
//! browser behind a gateway, can still choose one):
//!
//! | value | what the first N requests with it get |
//! |---|---|
//! | `429xN` | 429 with `Retry-After` (1 s by default), nothing stored |
//! | `503xN` | 503, nothing stored |
//! | `500xN` | the deal stored, then 500: a failure after the work was done |
//! | `dropxN` | the body read, nothing stored, the connection dropped without an answer |
//! | `hangxN` | the body read, nothing stored, no answer for an hour |
//! | `slowxN` | the deal stored, the answer held back (2 s by default) |
//!
//! `main.rs` serves it on `PORT`; the integration tests (`tests/it/gateway/`) include this file
//! with `#[path]` and start it in-process on a random port, reading its counters.

// - dead_code: shared by the example and the tests, which each use a part of it;
// - indexing_slicing: indexing a `serde_json::Value` by key never panics (a missing member
//   reads as `null`), and the detail is built from many such reads;
// - result_large_err: a refusal is the `Response` itself, as axum handlers return it.
#![allow(dead_code, clippy::indexing_slicing, clippy::result_large_err)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use wegly_attribution::jiff::Timestamp;
use wegly_attribution::uuid::{Builder, Uuid};
use wegly_attribution::{AllowedDomain, Catalog, DealRef, Lookup, Normalizer};

/// The path of the create page; a deal's page appends `/{id}`.
const DEALS: &str = "/integrations/external/deals";

/// What the stand-in accepts and how it misbehaves when asked.
#[derive(Debug, Clone)]
pub(crate) struct FakeConfig {
    /// Token → the key's `allowed_domain` (`None`: any origin, or none).
    tokens: HashMap<String, Option<AllowedDomain>>,
    /// The `Retry-After` of an injected 429, in seconds.
    retry_after_secs: u64,
    /// How long an injected `slow` request waits before it is answered.
    slow: Duration,
    /// The account's tags; `None` accepts any (the API refuses unknown tag IDs).
    tags: Option<Vec<String>>,
}

impl FakeConfig {
    /// Reads `WEGLY_TOKENS`: `tok1=wegly.com.br,tok2=` (an empty domain: no origin check).
    pub(crate) fn from_tokens(spec: &str) -> Result<FakeConfig, String> {
        let mut tokens = HashMap::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (token, domain) = entry.split_once('=').unwrap_or((entry, ""));
            let domain = match domain.trim() {
                "" => None,
                domain => Some(AllowedDomain::new(domain).map_err(|e| e.to_string())?),
            };
            tokens.insert(token.trim().to_owned(), domain);
        }
        if tokens.is_empty() {
            return Err("no token in WEGLY_TOKENS (e.g. `tok1=wegly.com.br,tok2=`)".to_owned());
        }
        Ok(FakeConfig {
            tokens,
            retry_after_secs: 1,
            slow: Duration::from_secs(2),
            tags: None,
        })
    }

    /// The tags that exist: a deal with another tag is refused with 422 `not_found`, as the API
    /// does ("IDs inexistentes resultam em erro").
    pub(crate) fn tags(mut self, tags: &[&str]) -> Self {
        self.tags = Some(tags.iter().map(|&t| t.to_owned()).collect());
        self
    }

    /// The `Retry-After` of an injected 429 (default 1 s).
    pub(crate) fn retry_after_secs(mut self, secs: u64) -> Self {
        self.retry_after_secs = secs;
        self
    }

    /// The wait of an injected `slow` request (default 2 s).
    pub(crate) fn slow(mut self, wait: Duration) -> Self {
        self.slow = wait;
        self
    }
}

/// The running stand-in's state: cheap to clone, readable by tests.
#[derive(Clone)]
pub(crate) struct Fake {
    inner: Arc<Inner>,
}

struct Inner {
    config: FakeConfig,
    /// Validates with the configuration as its catalog (the tags it knows).
    normalizer: Normalizer,
    /// Every request received, on either page.
    requests: AtomicUsize,
    /// How many requests carried each `X-Fake-Fail` value.
    faults: Mutex<HashMap<String, usize>>,
    /// The fault of requests that carry no `X-Fake-Fail` (set with `PUT /_fake/fault`).
    default_fault: Mutex<Option<String>>,
    deals: Mutex<Vec<Deal>>,
    next_code: AtomicI64,
}

/// A created deal: the request as received (JSON) and what the API adds.
#[derive(Debug, Clone)]
pub(crate) struct Deal {
    pub(crate) id: Uuid,
    pub(crate) code: i64,
    pub(crate) request: Value,
    pub(crate) created_at: Timestamp,
    /// The `Origin` the request carried.
    pub(crate) origin: Option<String>,
}

impl Fake {
    pub(crate) fn new(config: FakeConfig) -> Fake {
        Fake {
            inner: Arc::new(Inner {
                normalizer: Normalizer::new().catalog(config.clone()),
                config,
                requests: AtomicUsize::new(0),
                faults: Mutex::new(HashMap::new()),
                default_fault: Mutex::new(None),
                deals: Mutex::new(Vec::new()),
                next_code: AtomicI64::new(1),
            }),
        }
    }

    /// Both pages, and the fault and count pages of the stand-in itself.
    pub(crate) fn router(&self) -> Router {
        Router::new()
            .route(DEALS, post(create_deal))
            .route(&format!("{DEALS}/{{id}}"), get(get_deal))
            .route("/_fake/fault", axum::routing::put(set_fault))
            .route("/_fake/deals", get(list_deals))
            .with_state(self.clone())
    }

    /// Sets the fault of the requests that carry no `X-Fake-Fail` (`None` or empty: none).
    pub(crate) fn set_default_fault(&self, fault: Option<&str>) {
        *self
            .inner
            .default_fault
            .lock()
            .unwrap_or_else(PoisonError::into_inner) =
            fault.filter(|f| !f.is_empty()).map(str::to_owned);
    }

    /// Serves on a listener until the process ends.
    pub(crate) async fn serve(self, listener: TcpListener) -> std::io::Result<()> {
        axum::serve(listener, self.router()).await
    }

    /// Starts a stand-in on a random loopback port, in this runtime: for tests.
    pub(crate) async fn spawn(config: FakeConfig) -> std::io::Result<(SocketAddr, Fake)> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let fake = Fake::new(config);
        tokio::spawn(fake.clone().serve(listener));
        Ok((address, fake))
    }

    /// Requests received so far, on either page.
    pub(crate) fn requests(&self) -> usize {
        self.inner.requests.load(Ordering::SeqCst)
    }

    /// Requests that carried `X-Fake-Fail: {value}`.
    pub(crate) fn seen(&self, value: &str) -> usize {
        let faults = self
            .inner
            .faults
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        faults.get(value).copied().unwrap_or(0)
    }

    /// The deals created so far, oldest first.
    pub(crate) fn deals(&self) -> Vec<Deal> {
        let deals = self
            .inner
            .deals
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        deals.clone()
    }

    /// The key's check: a known bearer token and, when the key has an `allowed_domain`, an
    /// `Origin` or `Referer` on it (neither is a refusal).
    fn authorize(&self, headers: &HeaderMap) -> Result<(), Response> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(domain) = token.and_then(|t| self.inner.config.tokens.get(t)) else {
            return Err(message(
                StatusCode::UNAUTHORIZED,
                "invalid or missing token",
            ));
        };
        let Some(domain) = domain else {
            return Ok(());
        };
        let text = |name| {
            headers
                .get(name)
                .map(|v: &HeaderValue| v.to_str().unwrap_or(""))
        };
        if domain.permits_request(text(header::ORIGIN), text(header::REFERER)) {
            Ok(())
        } else {
            Err(message(
                StatusCode::FORBIDDEN,
                &format!("origin not allowed for this key (allowed_domain {domain})"),
            ))
        }
    }

    /// The fault of this request (see the module docs), counted: `None` once its N requests
    /// have had it.
    fn fault(&self, headers: &HeaderMap) -> Result<Option<Fault>, Response> {
        let value = match headers.get("x-fake-fail").and_then(|v| v.to_str().ok()) {
            Some(value) => value.to_owned(),
            None => {
                let default = self
                    .inner
                    .default_fault
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone();
                match default {
                    Some(value) => value,
                    None => return Ok(None),
                }
            }
        };
        let Some((fault, times)) = value
            .split_once('x')
            .and_then(|(fault, n)| Some((Fault::parse(fault)?, n.parse::<usize>().ok()?)))
        else {
            return Err(message(
                StatusCode::BAD_REQUEST,
                "X-Fake-Fail is `FAULTxN`, FAULT one of 429, 503, 500, drop, hang, slow",
            ));
        };
        let seen = {
            let mut faults = self
                .inner
                .faults
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let seen = faults.entry(value).or_insert(0);
            *seen += 1;
            *seen
        };
        Ok((seen <= times).then_some(fault))
    }

    /// Counts, authorizes and finds the fault: what both pages do first.
    fn admit(&self, headers: &HeaderMap) -> Result<Option<Fault>, Response> {
        self.inner.requests.fetch_add(1, Ordering::SeqCst);
        self.authorize(headers)?;
        self.fault(headers)
    }

    /// The answer to a request with this fault, before any work; `Ok` is how long to hold
    /// the answer once the work is done, and whether to answer 500 instead.
    async fn before_work(&self, fault: Option<Fault>) -> Result<(Duration, bool), Response> {
        match fault {
            None => Ok((Duration::ZERO, false)),
            Some(Fault::TooMany) => {
                let mut response = message(StatusCode::TOO_MANY_REQUESTS, "injected 429");
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(self.inner.config.retry_after_secs),
                );
                Err(response)
            }
            Some(Fault::Unavailable) => {
                Err(message(StatusCode::SERVICE_UNAVAILABLE, "injected 503"))
            }
            Some(Fault::Drop) => Err(dropped()),
            Some(Fault::Hang) => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Err(message(StatusCode::GATEWAY_TIMEOUT, "injected hang"))
            }
            Some(Fault::Slow) => Ok((self.inner.config.slow, false)),
            Some(Fault::Failed) => Ok((Duration::ZERO, true)),
        }
    }

    /// Validates, stores and answers 201 `{id, code, title}`, or 422 with the crate's
    /// `{"errors", "warnings"}`.
    fn create(&self, headers: &HeaderMap, body: &[u8]) -> Response {
        let valid = match self.inner.normalizer.create_deal(body) {
            Ok(valid) => valid,
            Err(rejected) => {
                return (StatusCode::UNPROCESSABLE_ENTITY, Json(rejected)).into_response();
            }
        };
        let request = serde_json::to_value(&valid.request).unwrap_or_default();
        let deal = Deal {
            id: new_id(),
            code: self.inner.next_code.fetch_add(1, Ordering::SeqCst),
            created_at: Timestamp::now(),
            origin: headers
                .get(header::ORIGIN)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            request,
        };
        let created = json!({
            "id": deal.id,
            "code": deal.code,
            "title": deal.request["title"],
        });
        self.inner
            .deals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(deal);
        (StatusCode::CREATED, Json(created)).into_response()
    }
}

impl Catalog for FakeConfig {
    fn tag(&self, tag_id: &str) -> Lookup<()> {
        Lookup::exists(
            self.tags
                .as_ref()
                .map(|tags| tags.iter().any(|t| t == tag_id)),
        )
    }
}

/// An injected fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    TooMany,
    Unavailable,
    Failed,
    Drop,
    Hang,
    Slow,
}

impl Fault {
    fn parse(text: &str) -> Option<Fault> {
        Some(match text {
            "429" => Fault::TooMany,
            "503" => Fault::Unavailable,
            "500" => Fault::Failed,
            "drop" => Fault::Drop,
            "hang" => Fault::Hang,
            "slow" => Fault::Slow,
            _ => return None,
        })
    }
}

/// A response whose body fails at once: hyper drops the connection after the status line,
/// so the client never reads a whole answer.
fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("injected drop"))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_LENGTH, "100")
        .body(axum::body::Body::from_stream(failing))
        .unwrap_or_else(|_| message(StatusCode::INTERNAL_SERVER_ERROR, "drop"))
}

/// `PUT /_fake/fault` with a body such as `503x3`: the fault of the requests without
/// `X-Fake-Fail`; an empty body clears it.
async fn set_fault(State(fake): State<Fake>, body: String) -> StatusCode {
    fake.set_default_fault(Some(body.trim()));
    StatusCode::NO_CONTENT
}

/// `GET /_fake/deals`: the titles of the deals created, oldest first, for scripts.
async fn list_deals(State(fake): State<Fake>) -> Json<Value> {
    let titles: Vec<Value> = fake
        .deals()
        .iter()
        .map(|deal| json!({"id": deal.id, "code": deal.code, "title": deal.request["title"]}))
        .collect();
    Json(Value::Array(titles))
}

/// `{"message": …}` with a status: the stand-in's error body outside validation.
fn message(status: StatusCode, text: &str) -> Response {
    (status, Json(json!({ "message": text }))).into_response()
}

/// A version 4 UUID from the standard library's per-process random hasher keys.
fn new_id() -> Uuid {
    use std::hash::BuildHasher;
    let state = std::collections::hash_map::RandomState::new();
    let high = state.hash_one(1u8);
    let low = state.hash_one(2u8);
    let bytes = (u128::from(high) << 64 | u128::from(low)).to_be_bytes();
    Builder::from_random_bytes(bytes).into_uuid()
}

/// `POST /integrations/external/deals`: validates with the crate (and the stand-in's tags),
/// stores, answers 201 `{id, code, title}`.
async fn create_deal(State(fake): State<Fake>, headers: HeaderMap, body: Bytes) -> Response {
    let fault = match fake.admit(&headers) {
        Ok(fault) => fault,
        Err(refused) => return refused,
    };
    let (hold, failed) = match fake.before_work(fault).await {
        Ok(after) => after,
        Err(answer) => return answer,
    };
    let response = fake.create(&headers, &body);
    tokio::time::sleep(hold).await;
    if failed {
        return message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "injected 500 after storing",
        );
    }
    response
}

/// `GET /integrations/external/deals/{id}`: a stored deal by UUID or code, shaped as the GET
/// page's example.
async fn get_deal(
    State(fake): State<Fake>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let fault = match fake.admit(&headers) {
        Ok(fault) => fault,
        Err(refused) => return refused,
    };
    let hold = match fake.before_work(fault).await {
        Ok((_, true)) => return message(StatusCode::INTERNAL_SERVER_ERROR, "injected 500"),
        Ok((hold, false)) => hold,
        Err(answer) => return answer,
    };
    tokio::time::sleep(hold).await;
    let found = DealRef::parse(&id).ok().and_then(|wanted| {
        fake.deals().into_iter().find(|deal| match wanted {
            DealRef::Id(id) => deal.id == id,
            DealRef::Code(code) => i64::try_from(code).is_ok_and(|code| deal.code == code),
        })
    });
    match found {
        Some(deal) => (StatusCode::OK, Json(detail(&deal))).into_response(),
        None => message(StatusCode::NOT_FOUND, "deal not found"),
    }
}

/// The GET page's example, filled from what was sent.
fn detail(deal: &Deal) -> Value {
    let r = &deal.request;
    let m = &r["marketing"];
    let user =
        json!({"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "name": "Integração", "avatar": null});
    let stage_id = r
        .get("stage_id")
        .cloned()
        .unwrap_or(json!("7d1c1f52-0f4e-4a53-9a0b-5b4a8f0e6c11"));
    let lead_source = match (r.get("crm_lead_source_id"), r.get("lead_source")) {
        (Some(id), _) => json!({"id": id, "name": null, "logo": null}),
        (None, Some(source)) => json!({"id": new_id(), "name": source["name"], "logo": null}),
        (None, None) => Value::Null,
    };
    let participants: Vec<Value> = r
        .get("person")
        .map(|person| {
            let contacts: Vec<Value> = person["contacts"]
                .as_array()
                .map(|contacts| {
                    contacts
                        .iter()
                        .enumerate()
                        .map(|(i, c)| json!({"id": new_id(), "type": c["type"], "value": c["value"], "primary": i == 0}))
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "id": new_id(),
                "role": null,
                "notes": null,
                "person": {"id": new_id(), "name": person["name"], "contacts": contacts},
            })
        })
        .into_iter()
        .collect();
    let tags: Vec<Value> = r["tags"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .map(|t| json!({"id": t, "name": t, "color": null}))
                .collect()
        })
        .unwrap_or_default();
    let followers: Vec<Value> = r["followers"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|f| json!({"role": {"id": f["role_id"], "name": null}, "user": {"id": f["user_id"], "name": null, "avatar": null}, "notes": null}))
                .collect()
        })
        .unwrap_or_default();
    let marketing = if m.is_object() {
        json!({
            "id": new_id(),
            "utm_search_term": m["utm_search_term"],
            "lead_source": lead_source,
            "url_conversion": m["url_conversion"],
            "campaing_name": m["wegly_campaign"],
            "ad_set_name": m["wegly_ad_set"],
            "content_name": m["wegly_content"],
            "displayed_on_name": m["wegly_source"],
            "conversion_tool_name": m["conversion_tool_name"],
            "creative": null,
        })
    } else {
        Value::Null
    };
    let organization = match (r.get("organization_id"), r.get("organization")) {
        (Some(id), _) => json!({"id": id, "name": null, "logo": null}),
        (None, Some(org)) => json!({"id": new_id(), "name": org["name"], "logo": null}),
        (None, None) => Value::Null,
    };
    json!({
        "id": deal.id,
        "code": deal.code,
        "title": r["title"],
        "status": 1,
        "created_by": user,
        "stage": {"id": stage_id, "name": "Prospecção", "pipeline": {"id": "0b7f3c1e-9d7a-4a61-8f0e-2c6d5e4b3a21", "name": "Funil principal"}},
        "pipeline_stages": [{"id": stage_id, "name": "Prospecção", "position": 1}],
        "responsible": r.get("responsible_id").map_or(user.clone(), |id| json!({"id": id, "name": null, "avatar": null})),
        "deal_source": lead_source,
        "marketing_lead_source": marketing,
        "quality_rating": r["quality_rating"],
        "quality_reason": r["quality_reason"],
        "won_date": null,
        "lost_date": null,
        "crm_loss_reason": null,
        "lost_reason_description": null,
        "visibility": r.get("visibility").cloned().unwrap_or(json!(0)),
        "created_at": deal.created_at,
        "updated_at": deal.created_at,
        "archived_at": null,
        "last_activity_at": null,
        "expected_close_date": r["expected_close_date"],
        "temperature": r["temperature"],
        "participants": participants,
        "organization": organization,
        "lead": null,
        "custom_fields": [],
        "tags": tags,
        "stage_durations": [],
        "value": r["value"],
        "views_count": 0,
        "associations_count": {"items": 0, "tasks": 0, "qualifications": 0, "notes": r.get("note").map_or(0, |_| 1), "files": 0, "activities": 0, "proposals": 0},
        "proposals": [],
        "followers": followers,
    })
}
