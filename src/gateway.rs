//! Gateway integration (cargo feature `axum`, `docs/rules.md` §4.5): an extractor that turns a create-deal
//! POST into a validated request, or into the response that refuses it.
//!
//! [`CreateDeal`] checks, in this order:
//!
//! 1. the `Origin` (or, without one, the `Referer`) against the configured [`AllowedDomain`],
//!    if any: 403 `origin_not_allowed`. It comes first because it needs no body: a page on
//!    another site is refused before anything is read, and is told the real reason even when
//!    it sent `text/plain` (the content type a cross-site form may send without a CORS
//!    preflight);
//! 2. `Content-Type`: `application/json`, in any case, with an optional `charset=utf-8`
//!    (other parameters are ignored; another charset, or no content type, is refused): 415
//!    `unsupported_media_type`;
//! 3. the body's size, at most [`GatewayConfig::DEFAULT_BODY_LIMIT`] (256 KiB) unless
//!    configured: 413 `payload_too_large`, from `Content-Length` before reading when it is
//!    sent, else while reading. Before answering, up to 1 MiB more of the body is read and
//!    discarded, so that a client still sending reads its 413 rather than a connection reset;
//! 4. the body's pace: a body that sends nothing for [`GatewayConfig::DEFAULT_BODY_TIMEOUT`]
//!    (10 s) unless configured is cut: 408 `request_timeout`;
//! 5. validation (`docs/rules.md` §3) with the configured [`Catalog`](crate::Catalog), if any: 422 with every
//!    error.
//!
//! Every refusal answers `{"errors": [{"path", "code", "message"}], "warnings": [...]}`
//! ([`Rejected`]'s JSON), with `Content-Type: application/json`; the gateway's own codes are at
//! path `""`. A body that cannot be read at all (the client went away) is 400 `invalid_json`.
//!
//! With the `client` feature too, a `client::ClientError` is a response that tells the browser
//! what to do (`docs/rules.md` §4.9), so a handler forwards with `?` (see that type's
//! `IntoResponse` impl).
//!
//! The configuration lives in the application state: the state is a [`GatewayConfig`], or
//! holds one and implements [`FromRef`] for it. Catalog lookups run on the request's task, so
//! a catalog should answer from memory (a cache refreshed elsewhere), not over the network.
//!
//! ```
//! use axum::{Router, extract::FromRef, routing::post};
//! use wegly_attribution::AllowedDomain;
//! use wegly_attribution::gateway::{CreateDeal, GatewayConfig};
//!
//! #[derive(Clone)]
//! struct AppState {
//!     gateway: GatewayConfig,
//! }
//!
//! impl FromRef<AppState> for GatewayConfig {
//!     fn from_ref(state: &AppState) -> Self {
//!         state.gateway.clone()
//!     }
//! }
//!
//! async fn create_deal(deal: CreateDeal) -> String {
//!     format!("{} warnings", deal.warnings.len())
//! }
//!
//! let gateway = GatewayConfig::new().allowed_domain(AllowedDomain::new("wegly.com.br")?);
//! let app: Router = Router::new()
//!     .route("/deals", post(create_deal))
//!     .with_state(AppState { gateway });
//! # Ok::<(), wegly_attribution::InvalidDomain>(())
//! ```

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use crate::error::excerpt;
use crate::{
    AllowedDomain, CreateDealRequest, ErrorCode, Normalizer, Rejected, Validated, Warning,
};

/// How the [`CreateDeal`] extractor checks requests: allowed domain, body limit, and the
/// [`Normalizer`] that validates (its catalog and limits).
///
/// Built once, kept in the application state (it is `Clone`, and cheap to clone: the catalog
/// is shared behind an [`Arc`]). Options are by-value setters.
///
/// ```
/// use wegly_attribution::gateway::GatewayConfig;
/// use wegly_attribution::{AllowedDomain, NoCatalog, Normalizer};
///
/// let config = GatewayConfig::new()
///     .allowed_domain(AllowedDomain::new("wegly.com.br")?)
///     .normalizer(Normalizer::new().catalog(NoCatalog))
///     .body_limit(64 * 1024);
/// assert_eq!(config.get_body_limit(), 64 * 1024);
/// # Ok::<(), wegly_attribution::InvalidDomain>(())
/// ```
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    /// Shared: the state is cloned for every request.
    allowed_domain: Option<Arc<AllowedDomain>>,
    normalizer: Normalizer,
    body_limit: usize,
    body_timeout: Option<Duration>,
}

impl GatewayConfig {
    /// The default body limit: 256 KiB.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayConfig;
    /// assert_eq!(GatewayConfig::new().get_body_limit(), GatewayConfig::DEFAULT_BODY_LIMIT);
    /// ```
    pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

    /// The default body timeout: a body that sends nothing for 10 seconds is cut (nginx's
    /// `client_body_timeout` is 60 s; a form post is a few kilobytes).
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayConfig;
    /// assert_eq!(GatewayConfig::new().get_body_timeout(), Some(GatewayConfig::DEFAULT_BODY_TIMEOUT));
    /// ```
    pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);

    /// How much of a body over the limit is read and discarded before the 413 is answered.
    const DISCARD_LIMIT: usize = 1024 * 1024;

    /// No allowed domain (every origin passes), no catalog, the default body limit.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayConfig;
    /// assert!(GatewayConfig::new().get_allowed_domain().is_none());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        GatewayConfig {
            allowed_domain: None,
            normalizer: Normalizer::new(),
            body_limit: Self::DEFAULT_BODY_LIMIT,
            body_timeout: Some(Self::DEFAULT_BODY_TIMEOUT),
        }
    }

    /// Admits only requests whose `Origin` (or, without one, `Referer`) is this domain or one
    /// of its subdomains ([`AllowedDomain::permits_request`]); a request with neither header
    /// is refused.
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    /// use wegly_attribution::gateway::GatewayConfig;
    ///
    /// let config = GatewayConfig::new().allowed_domain(AllowedDomain::new("wegly.com.br")?);
    /// assert_eq!(config.get_allowed_domain().map(|d| d.as_str()), Some("wegly.com.br"));
    /// # Ok::<(), wegly_attribution::InvalidDomain>(())
    /// ```
    #[must_use]
    pub fn allowed_domain(mut self, domain: AllowedDomain) -> Self {
        self.allowed_domain = Some(Arc::new(domain));
        self
    }

    /// Validates with this normalizer: its catalog ([`Normalizer::catalog`]), its value limit
    /// and its report limits.
    ///
    /// ```
    /// use wegly_attribution::Normalizer;
    /// use wegly_attribution::gateway::GatewayConfig;
    ///
    /// let config = GatewayConfig::new().normalizer(Normalizer::new().max_value_chars(500).max_errors(20));
    /// # let _ = config;
    /// ```
    #[must_use]
    pub fn normalizer(mut self, normalizer: Normalizer) -> Self {
        self.normalizer = normalizer;
        self
    }

    /// Sets the largest body read, in bytes.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayConfig;
    /// assert_eq!(GatewayConfig::new().body_limit(1024).get_body_limit(), 1024);
    /// ```
    #[must_use]
    pub const fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets how long the body may send nothing before it is cut with 408 (`None`: wait for
    /// ever, for a server that bounds it some other way).
    ///
    /// ```
    /// use std::time::Duration;
    /// use wegly_attribution::gateway::GatewayConfig;
    ///
    /// let config = GatewayConfig::new().body_timeout(Duration::from_secs(5));
    /// assert_eq!(config.get_body_timeout(), Some(Duration::from_secs(5)));
    /// ```
    #[must_use]
    pub fn body_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.body_timeout = timeout.into();
        self
    }

    /// The body timeout, if any.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayConfig;
    /// assert_eq!(GatewayConfig::new().body_timeout(None).get_body_timeout(), None);
    /// ```
    #[must_use]
    pub const fn get_body_timeout(&self) -> Option<Duration> {
        self.body_timeout
    }

    /// The allowed domain, if one is set.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayConfig;
    /// assert_eq!(GatewayConfig::new().get_allowed_domain(), None);
    /// ```
    #[must_use]
    pub fn get_allowed_domain(&self) -> Option<&AllowedDomain> {
        self.allowed_domain.as_deref()
    }

    /// The body limit, in bytes.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayConfig;
    /// assert_eq!(GatewayConfig::new().get_body_limit(), 256 * 1024);
    /// ```
    #[must_use]
    pub const fn get_body_limit(&self) -> usize {
        self.body_limit
    }

    /// Validates a body with this configuration's normalizer.
    fn validate(&self, body: &[u8]) -> Result<Validated, Rejected> {
        self.normalizer.create_deal(body)
    }

    /// The origin check (step 1).
    fn check_origin(&self, headers: &HeaderMap) -> Result<(), GatewayRejection> {
        let Some(allowed) = &self.allowed_domain else {
            return Ok(());
        };
        // A header that is not visible ASCII cannot be a URL a browser sent: it reads as
        // present and unparsable, so it is refused rather than skipped.
        let origin = headers
            .get(header::ORIGIN)
            .map(|v| v.to_str().unwrap_or(""));
        let referer = headers
            .get(header::REFERER)
            .map(|v| v.to_str().unwrap_or(""));
        if allowed.permits_request(origin, referer) {
            return Ok(());
        }
        let message = match (origin, referer) {
            (Some(origin), _) => format!(
                "origin `{}` is not {} or one of its subdomains",
                excerpt(origin),
                allowed
            ),
            (None, Some(referer)) => format!(
                "referer `{}` is not on {} or one of its subdomains",
                excerpt(referer),
                allowed
            ),
            (None, None) => format!("neither Origin nor Referer was sent; {allowed} is required"),
        };
        Err(GatewayRejection::OriginNotAllowed(Rejected::at_root(
            ErrorCode::OriginNotAllowed,
            message,
        )))
    }

    /// The body-size check on `Content-Length` (step 3, before reading).
    fn check_declared_length(&self, headers: &HeaderMap) -> Result<(), GatewayRejection> {
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        match declared {
            Some(length) if length > self.body_limit as u64 => Err(self.too_large()),
            _ => Ok(()),
        }
    }

    #[cold]
    fn too_large(&self) -> GatewayRejection {
        GatewayRejection::PayloadTooLarge(Rejected::at_root(
            ErrorCode::PayloadTooLarge,
            format!("the body is larger than {} bytes", self.body_limit),
        ))
    }

    /// The next frame of the body, within the body timeout.
    async fn next_frame(
        &self,
        body: &mut Body,
    ) -> Result<Option<axum::body::Bytes>, GatewayRejection> {
        let frame = match self.body_timeout {
            None => body.frame().await,
            Some(timeout) => tokio::time::timeout(timeout, body.frame())
                .await
                .map_err(|_| {
                    GatewayRejection::BodyTimeout(Rejected::at_root(
                        ErrorCode::RequestTimeout,
                        format!("the body sent nothing for {} s", timeout.as_secs_f64()),
                    ))
                })?,
        };
        match frame {
            None => Ok(None),
            // Trailers carry no body bytes.
            Some(Ok(frame)) => Ok(Some(frame.into_data().unwrap_or_default())),
            Some(Err(err)) => Err(GatewayRejection::BodyUnreadable(Rejected::at_root(
                ErrorCode::InvalidJson,
                format!("the body could not be read: {err}"),
            ))),
        }
    }

    /// Reads the body up to the limit (steps 3 and 4). Past the limit, reads and discards up
    /// to [`Self::DISCARD_LIMIT`] more before refusing, so that a client that is still sending
    /// is not reset before it reads the 413.
    async fn read_body(&self, mut body: Body) -> Result<Vec<u8>, GatewayRejection> {
        let mut read = Vec::new();
        while let Some(data) = self.next_frame(&mut body).await? {
            if read.len() + data.len() > self.body_limit {
                self.discard(body, read.len() + data.len()).await;
                return Err(self.too_large());
            }
            read.extend_from_slice(&data);
        }
        Ok(read)
    }

    /// Reads and drops the rest of a body refused for its size, up to the discard limit, the
    /// body timeout and the first error.
    #[cold]
    async fn discard(&self, mut body: Body, mut seen: usize) {
        while seen <= self.body_limit.saturating_add(Self::DISCARD_LIMIT) {
            match self.next_frame(&mut body).await {
                Ok(Some(data)) => seen = seen.saturating_add(data.len()),
                Ok(None) | Err(_) => return,
            }
        }
    }

    /// Reads the body of a request refused before reading (a declared length over the limit),
    /// when it is small enough to discard.
    #[cold]
    async fn discard_declared(&self, headers: &HeaderMap, body: Body) {
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let limit = self.body_limit.saturating_add(Self::DISCARD_LIMIT) as u64;
        if declared.is_some_and(|length| length <= limit) {
            self.discard(body, 0).await;
        }
    }
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether a `Content-Type` is `application/json` with, at most, `charset=utf-8` (RFC 8259
/// section 8.1: JSON exchanged between systems is UTF-8; the media type defines no charset
/// parameter, but browsers and libraries often add it).
fn is_json(content_type: Option<&HeaderValue>) -> bool {
    let Some(value) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return false;
    }
    parts.all(|param| match param.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            value.eq_ignore_ascii_case("utf-8")
        }
        // Other parameters, and empty ones (`application/json;`), do not change the body.
        _ => true,
    })
}

/// The origin to forward to the API: the `Origin` header as sent or, without one, the origin
/// (scheme, host, port) of the `Referer`, so that a page's path and query are not passed on.
fn forwarded_origin(headers: &HeaderMap) -> Option<HeaderValue> {
    if let Some(origin) = headers.get(header::ORIGIN) {
        return Some(origin.clone());
    }
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let origin = url::Url::parse(referer).ok()?.origin();
    if !origin.is_tuple() {
        return None;
    }
    HeaderValue::from_str(&origin.ascii_serialization()).ok()
}

/// Extracts a validated create-deal request from a POST, or refuses it with a response.
///
/// Needs a [`GatewayConfig`] from the state (see the [module docs](self) for the checks and
/// their order). The handler gets the request, ready to send, its warnings, and the origin to
/// forward to the API (the API checks the key's `allowed_domain` on it too).
///
/// ```
/// use axum::{Router, routing::post};
/// use wegly_attribution::gateway::{CreateDeal, GatewayConfig};
///
/// async fn create_deal(deal: CreateDeal) -> String {
///     serde_json::to_string(&deal.request).unwrap_or_default()
/// }
///
/// let app: Router = Router::new()
///     .route("/deals", post(create_deal))
///     .with_state(GatewayConfig::new());
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CreateDeal {
    /// The validated request, marketing normalized.
    pub request: CreateDealRequest,
    /// What validation repaired or dropped.
    pub warnings: Vec<Warning>,
    /// The browser's origin, to forward to the API: the `Origin` header as sent, or the origin
    /// of the `Referer` when there was no `Origin`; `None` without either.
    pub origin: Option<HeaderValue>,
}

impl<S> FromRequest<S> for CreateDeal
where
    GatewayConfig: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = GatewayRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let config = GatewayConfig::from_ref(state);
        let (parts, body) = req.into_parts();
        config.check_origin(&parts.headers)?;
        let content_type = parts.headers.get(header::CONTENT_TYPE);
        if !is_json(content_type) {
            let found = match content_type {
                Some(v) => format!("`{}`", excerpt(&String::from_utf8_lossy(v.as_bytes()))),
                None => "none".to_owned(),
            };
            return Err(GatewayRejection::UnsupportedMediaType(Rejected::at_root(
                ErrorCode::UnsupportedMediaType,
                format!("expected Content-Type `application/json`, found {found}"),
            )));
        }
        if let Err(too_large) = config.check_declared_length(&parts.headers) {
            config.discard_declared(&parts.headers, body).await;
            return Err(too_large);
        }
        let body = config.read_body(body).await?;
        let valid = config.validate(&body).map_err(GatewayRejection::Invalid)?;
        Ok(CreateDeal {
            request: valid.request,
            warnings: valid.warnings,
            origin: forwarded_origin(&parts.headers),
        })
    }
}

/// Why [`CreateDeal`] refused a request; each is a response with its status and the body
/// `{"errors": [...], "warnings": [...]}`.
///
/// As axum's own `JsonRejection`, a typed rejection a handler can match on, and a response
/// as it is.
///
/// ```
/// use axum::http::StatusCode;
/// use axum::response::IntoResponse;
/// use wegly_attribution::CreateDealRequest;
/// use wegly_attribution::gateway::GatewayRejection;
///
/// let rejected = CreateDealRequest::from_json(b"{}").unwrap_err();
/// let rejection = GatewayRejection::Invalid(rejected);
/// assert_eq!(rejection.status(), StatusCode::UNPROCESSABLE_ENTITY);
/// assert_eq!(rejection.body().errors[0].path(), "/title");
/// assert_eq!(rejection.into_response().status(), StatusCode::UNPROCESSABLE_ENTITY);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayRejection {
    /// 403 `origin_not_allowed`: the `Origin` (or `Referer`) is not the allowed domain.
    OriginNotAllowed(Rejected),
    /// 415 `unsupported_media_type`: the body is not declared `application/json`.
    UnsupportedMediaType(Rejected),
    /// 413 `payload_too_large`: the body is over the limit.
    PayloadTooLarge(Rejected),
    /// 408 `request_timeout`: the body sent nothing for the body timeout.
    BodyTimeout(Rejected),
    /// 400 `invalid_json`: the body could not be read (the client went away).
    BodyUnreadable(Rejected),
    /// 422: the payload is not a valid create-deal request; every error.
    Invalid(Rejected),
}

impl GatewayRejection {
    /// The response's status.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayRejection;
    /// use wegly_attribution::{ErrorCode, Rejected};
    ///
    /// let rejection = GatewayRejection::PayloadTooLarge(Rejected::at_root(ErrorCode::PayloadTooLarge, "big"));
    /// assert_eq!(rejection.status().as_u16(), 413);
    /// ```
    #[must_use]
    pub const fn status(&self) -> StatusCode {
        match self {
            GatewayRejection::OriginNotAllowed(_) => StatusCode::FORBIDDEN,
            GatewayRejection::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            GatewayRejection::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            GatewayRejection::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            GatewayRejection::BodyUnreadable(_) => StatusCode::BAD_REQUEST,
            GatewayRejection::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The response's body.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayRejection;
    /// use wegly_attribution::{ErrorCode, Rejected};
    ///
    /// let rejection = GatewayRejection::BodyTimeout(Rejected::at_root(ErrorCode::RequestTimeout, "slow"));
    /// assert_eq!(rejection.body().errors[0].code(), ErrorCode::RequestTimeout);
    /// ```
    #[must_use]
    pub const fn body(&self) -> &Rejected {
        match self {
            GatewayRejection::OriginNotAllowed(body)
            | GatewayRejection::UnsupportedMediaType(body)
            | GatewayRejection::PayloadTooLarge(body)
            | GatewayRejection::BodyTimeout(body)
            | GatewayRejection::BodyUnreadable(body)
            | GatewayRejection::Invalid(body) => body,
        }
    }

    /// The body, for a caller that answers in some other way.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayRejection;
    /// use wegly_attribution::{ErrorCode, Rejected};
    ///
    /// let rejection = GatewayRejection::OriginNotAllowed(Rejected::at_root(ErrorCode::OriginNotAllowed, "no"));
    /// assert_eq!(rejection.into_body().errors.len(), 1);
    /// ```
    #[must_use]
    pub fn into_body(self) -> Rejected {
        match self {
            GatewayRejection::OriginNotAllowed(body)
            | GatewayRejection::UnsupportedMediaType(body)
            | GatewayRejection::PayloadTooLarge(body)
            | GatewayRejection::BodyTimeout(body)
            | GatewayRejection::BodyUnreadable(body)
            | GatewayRejection::Invalid(body) => body,
        }
    }
}

/// A JSON response: this status, `Content-Type: application/json`, and the body's JSON.
fn json_response(status: StatusCode, body: &Rejected) -> Response {
    // OK to default: serializing strings and codes into a `Vec` cannot fail.
    let json = serde_json::to_vec(body).unwrap_or_default();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response()
}

impl IntoResponse for GatewayRejection {
    /// The status, `Content-Type: application/json` and the body's JSON.
    fn into_response(self) -> Response {
        json_response(self.status(), self.body())
    }
}

#[cfg(feature = "client")]
mod upstream;
#[cfg(feature = "client")]
pub use upstream::{DEFAULT_RETRY_AFTER, upstream_reason};

#[cfg(test)]
mod tests;
