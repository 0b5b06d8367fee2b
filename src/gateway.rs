//! Gateway integration (cargo feature `axum`, SPEC 4.5): an extractor that turns a create-deal
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
//!    sent, else while reading;
//! 4. validation (SPEC 3) with the configured [`Catalog`], if any: 422 with every error.
//!
//! Every refusal answers `{"errors": [{"path", "code", "message"}], "warnings": [...]}`
//! ([`Rejected`]'s JSON), with `Content-Type: application/json`; the gateway's own codes are at
//! path `""`. A body that cannot be read at all (the client went away) is 400 `invalid_json`.
//!
//! With the `client` feature too, a `client::ClientError` is a response: the API's own
//! refusal passed on with its status and body, or 502 `upstream_unavailable` when the API
//! could not be reached or kept failing (SPEC 4.7), so a handler forwards with `?` (see that
//! type's `IntoResponse` impl).
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

use axum::body::Body;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::error::excerpt;
use crate::{
    AllowedDomain, Catalog, CreateDealRequest, ErrorCode, Normalizer, Rejected, Validated, Warning,
};

/// How the [`CreateDeal`] extractor checks requests: allowed domain, body limit, and the
/// [`Normalizer`] that validates (its catalog and limits).
///
/// Built once, kept in the application state (it is `Clone`, and cheap to clone: the catalog
/// is shared behind an [`Arc`](std::sync::Arc)). Options are by-value setters.
///
/// ```
/// use wegly_attribution::gateway::GatewayConfig;
/// use wegly_attribution::{AllowedDomain, NoCatalog};
///
/// let config = GatewayConfig::new()
///     .allowed_domain(AllowedDomain::new("wegly.com.br")?)
///     .catalog(NoCatalog)
///     .body_limit(64 * 1024);
/// assert_eq!(config.get_body_limit(), 64 * 1024);
/// # Ok::<(), wegly_attribution::InvalidDomain>(())
/// ```
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    allowed_domain: Option<AllowedDomain>,
    normalizer: Normalizer,
    body_limit: usize,
}

impl GatewayConfig {
    /// The default body limit: 256 KiB.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayConfig;
    /// assert_eq!(GatewayConfig::new().get_body_limit(), GatewayConfig::DEFAULT_BODY_LIMIT);
    /// ```
    pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

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
        self.allowed_domain = Some(domain);
        self
    }

    /// Validates with this catalog (tags, pipelines, trackers), as [`Normalizer::catalog`].
    ///
    /// ```
    /// use wegly_attribution::MemoryCatalog;
    /// use wegly_attribution::gateway::GatewayConfig;
    ///
    /// let catalog = MemoryCatalog::from_json(br#"{"tags": ["crm"]}"#)?;
    /// let config = GatewayConfig::new().catalog(catalog);
    /// # let _ = config;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn catalog(mut self, catalog: impl Catalog + Send + Sync + 'static) -> Self {
        self.normalizer = self.normalizer.catalog(catalog);
        self
    }

    /// Validates with this normalizer: its catalog (a shared one with
    /// [`Normalizer::catalog_arc`]), its value limit and its report limits.
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

    /// The allowed domain, if one is set.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayConfig;
    /// assert_eq!(GatewayConfig::new().get_allowed_domain(), None);
    /// ```
    #[must_use]
    pub const fn get_allowed_domain(&self) -> Option<&AllowedDomain> {
        self.allowed_domain.as_ref()
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
        Err(GatewayRejection::new(
            StatusCode::FORBIDDEN,
            Rejected::at_root(ErrorCode::OriginNotAllowed, message),
        ))
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
        GatewayRejection::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Rejected::at_root(
                ErrorCode::PayloadTooLarge,
                format!("the body is larger than {} bytes", self.body_limit),
            ),
        )
    }

    /// Reads the body up to the limit (step 3).
    async fn read_body(&self, body: Body) -> Result<Vec<u8>, GatewayRejection> {
        match Limited::new(body, self.body_limit).collect().await {
            Ok(collected) => Ok(collected.to_bytes().to_vec()),
            Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => Err(self.too_large()),
            Err(err) => Err(GatewayRejection::new(
                StatusCode::BAD_REQUEST,
                Rejected::at_root(
                    ErrorCode::InvalidJson,
                    format!("the body could not be read: {err}"),
                ),
            )),
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
            return Err(GatewayRejection::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Rejected::at_root(
                    ErrorCode::UnsupportedMediaType,
                    format!("expected Content-Type `application/json`, found {found}"),
                ),
            ));
        }
        config.check_declared_length(&parts.headers)?;
        let body = config.read_body(body).await?;
        let valid = config.validate(&body).map_err(|rejected| {
            GatewayRejection::new(StatusCode::UNPROCESSABLE_ENTITY, rejected)
        })?;
        Ok(CreateDeal {
            request: valid.request,
            warnings: valid.warnings,
            origin: forwarded_origin(&parts.headers),
        })
    }
}

/// A refused request: a status and the `{"errors": [...], "warnings": [...]}` body.
///
/// [`CreateDeal`]'s rejection; a gateway can build its own for the other refusals it makes
/// (such as [`GatewayRejection::upstream_unavailable`]) so that every error body has the same
/// shape.
///
/// ```
/// use axum::http::StatusCode;
/// use axum::response::IntoResponse;
/// use wegly_attribution::gateway::GatewayRejection;
///
/// let rejection = GatewayRejection::upstream_unavailable("the API did not answer");
/// assert_eq!(rejection.status(), StatusCode::BAD_GATEWAY);
/// assert_eq!(rejection.body().errors[0].code.as_str(), "upstream_unavailable");
/// assert_eq!(rejection.into_response().status(), StatusCode::BAD_GATEWAY);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayRejection {
    status: StatusCode,
    body: Rejected,
}

impl GatewayRejection {
    /// A rejection with this status and body.
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use wegly_attribution::CreateDealRequest;
    /// use wegly_attribution::gateway::GatewayRejection;
    ///
    /// let rejected = CreateDealRequest::from_json(b"{}").unwrap_err();
    /// let rejection = GatewayRejection::new(StatusCode::UNPROCESSABLE_ENTITY, rejected);
    /// assert_eq!(rejection.body().errors[0].path, "/title");
    /// ```
    #[must_use]
    pub const fn new(status: StatusCode, body: Rejected) -> Self {
        GatewayRejection { status, body }
    }

    /// 502 with code `upstream_unavailable` at path `""`: the API could not be reached or kept
    /// failing after the retries (SPEC 4.7).
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayRejection;
    ///
    /// let rejection = GatewayRejection::upstream_unavailable("timed out");
    /// assert_eq!(rejection.body().errors[0].message, "timed out");
    /// assert_eq!(rejection.body().errors[0].path, "");
    /// ```
    #[must_use]
    pub fn upstream_unavailable(message: impl Into<String>) -> Self {
        GatewayRejection::new(
            StatusCode::BAD_GATEWAY,
            Rejected::at_root(ErrorCode::UpstreamUnavailable, message),
        )
    }

    /// The response's status.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayRejection;
    /// assert_eq!(GatewayRejection::upstream_unavailable("down").status().as_u16(), 502);
    /// ```
    #[must_use]
    pub const fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's body.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayRejection;
    /// assert!(GatewayRejection::upstream_unavailable("down").body().warnings.is_empty());
    /// ```
    #[must_use]
    pub const fn body(&self) -> &Rejected {
        &self.body
    }

    /// The body, for a caller that answers in some other way.
    ///
    /// ```
    /// use wegly_attribution::gateway::GatewayRejection;
    /// let rejected = GatewayRejection::upstream_unavailable("down").into_body();
    /// assert_eq!(rejected.errors.len(), 1);
    /// ```
    #[must_use]
    pub fn into_body(self) -> Rejected {
        self.body
    }
}

impl IntoResponse for GatewayRejection {
    /// The status, `Content-Type: application/json` and the body's JSON.
    fn into_response(self) -> Response {
        // OK to default: serializing strings and codes into a `Vec` cannot fail.
        let json = serde_json::to_vec(&self.body).unwrap_or_default();
        (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            json,
        )
            .into_response()
    }
}

/// What a gateway answers when the API did not create the deal (SPEC 4.7; cargo features
/// `axum` and `client`).
///
/// - The API's own refusals of the request (401, 403, 404, 422, and any other 4xx but 429)
///   are passed on as they are: the API's status and body, with `Content-Type:
///   application/json` when the body is JSON (`text/plain; charset=utf-8` otherwise).
/// - Everything else means that the API could not be reached or kept failing: a 429 or a 5xx
///   after the retries, a transport error, a success whose body could not be read, any other
///   status, or a client misconfigured. It is 502 with code `upstream_unavailable` at path
///   `""`, as [`GatewayRejection::upstream_unavailable`] answers, with the error's text (which
///   never holds the token) as its message.
///
/// So a handler can use `?` on the client's calls:
///
/// ```
/// use axum::Json;
/// use axum::http::StatusCode;
/// use wegly_attribution::CreateDealResponse;
/// use wegly_attribution::client::{Client, ClientError};
/// use wegly_attribution::gateway::CreateDeal;
///
/// async fn create_deal(
///     client: Client,
///     deal: CreateDeal,
/// ) -> Result<(StatusCode, Json<CreateDealResponse>), ClientError> {
///     let created = client.with_origin(deal.origin).create_deal(&deal.request).await?;
///     Ok((StatusCode::CREATED, Json(created)))
/// }
/// # let _ = create_deal;
/// ```
///
/// ```
/// use axum::response::IntoResponse;
/// use wegly_attribution::client::ClientError;
///
/// let refused = ClientError::Unauthorized { body: r#"{"message":"invalid token"}"#.into() };
/// assert_eq!(refused.into_response().status().as_u16(), 401);
/// let failing = ClientError::RateLimited { retry_after: None, body: String::new() };
/// assert_eq!(failing.into_response().status().as_u16(), 502);
/// ```
#[cfg(feature = "client")]
impl IntoResponse for crate::client::ClientError {
    fn into_response(self) -> Response {
        use crate::client::ClientError;
        let (status, body) = match self {
            ClientError::Unauthorized { body } => (StatusCode::UNAUTHORIZED, body),
            ClientError::Forbidden { body } => (StatusCode::FORBIDDEN, body),
            ClientError::NotFound { body } => (StatusCode::NOT_FOUND, body),
            ClientError::Rejected { body, .. } => (StatusCode::UNPROCESSABLE_ENTITY, body),
            // A 429 is `RateLimited`, never `Status`.
            ClientError::Status { status, body } if status.is_client_error() => (status, body),
            failed => {
                return GatewayRejection::upstream_unavailable(failed.to_string()).into_response();
            }
        };
        let content_type = if serde_json::from_str::<serde::de::IgnoredAny>(&body).is_ok() {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        };
        (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            body,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        let cases: &[(Option<&str>, bool)] = &[
            (Some("application/json"), true),
            (Some("Application/JSON"), true),
            (Some("application/json; charset=utf-8"), true),
            (Some("application/json;charset=UTF-8"), true),
            (Some("application/json; charset=\"utf-8\""), true),
            (Some("application/json;"), true),
            (Some("application/json; boundary=x"), true),
            (Some(" application/json "), true),
            (Some("application/json; charset=latin1"), false),
            (Some("application/json; charset=utf-16"), false),
            (Some("text/plain"), false),
            (Some("text/plain; charset=utf-8"), false),
            (Some("application/jsonx"), false),
            (Some("application/ld+json"), false),
            (Some("application/x-www-form-urlencoded"), false),
            (Some("multipart/form-data; boundary=x"), false),
            (Some(""), false),
            (None, false),
        ];
        for (value, expected) in cases {
            let header = value.map(|v| HeaderValue::from_str(v).unwrap());
            assert_eq!(is_json(header.as_ref()), *expected, "row {value:?}");
        }
    }

    #[test]
    fn forwarded_origins() {
        let cases: &[(Option<&str>, Option<&str>, Option<&str>)] = &[
            (
                Some("https://a.wegly.com.br"),
                None,
                Some("https://a.wegly.com.br"),
            ),
            (Some("null"), Some("https://x.com/p"), Some("null")),
            (
                None,
                Some("https://a.wegly.com.br:8443/lp?utm_source=x"),
                Some("https://a.wegly.com.br:8443"),
            ),
            (None, Some("not a url"), None),
            (None, Some("data:text/html,x"), None),
            (None, None, None),
        ];
        for (origin, referer, expected) in cases {
            let mut headers = HeaderMap::new();
            if let Some(origin) = origin {
                headers.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
            }
            if let Some(referer) = referer {
                headers.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
            }
            let got = forwarded_origin(&headers);
            assert_eq!(
                got.as_ref().map(|v| v.to_str().unwrap()),
                *expected,
                "row {origin:?} {referer:?}"
            );
        }
    }

    /// Each client error's answer: status, `Content-Type` and body.
    #[cfg(feature = "client")]
    #[tokio::test]
    async fn client_errors_answer_as_a_gateway() {
        use crate::client::ClientError;
        use std::time::Duration;

        let json = r#"{"message":"invalid token"}"#;
        let rejected =
            r#"{"errors":[{"path":"/title","code":"required","message":"m"}],"warnings":[]}"#;
        let unreadable = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let status = |code: u16| StatusCode::from_u16(code).unwrap();
        let passed_on: Vec<(ClientError, u16, &str, &str)> = vec![
            (
                ClientError::Unauthorized { body: json.into() },
                401,
                "application/json",
                json,
            ),
            (
                ClientError::Forbidden { body: "no".into() },
                403,
                "text/plain; charset=utf-8",
                "no",
            ),
            (
                ClientError::NotFound {
                    body: String::new(),
                },
                404,
                "text/plain; charset=utf-8",
                "",
            ),
            (
                ClientError::Rejected {
                    rejected: serde_json::from_str(rejected).ok(),
                    body: rejected.into(),
                },
                422,
                "application/json",
                rejected,
            ),
            (
                ClientError::Status {
                    status: status(409),
                    body: "[1]".into(),
                },
                409,
                "application/json",
                "[1]",
            ),
        ];
        for (err, code, content_type, body) in passed_on {
            let response = err.into_response();
            assert_eq!(response.status().as_u16(), code);
            assert_eq!(
                response.headers()[header::CONTENT_TYPE],
                content_type,
                "row {code}"
            );
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            assert_eq!(bytes, body.as_bytes(), "row {code}");
        }

        let failed = [
            (
                ClientError::RateLimited {
                    retry_after: Some(Duration::from_secs(60)),
                    body: "slow down".into(),
                },
                "rate limited by the API (429), retry after 60 s",
            ),
            (
                ClientError::Server {
                    status: status(503),
                    body: "down".into(),
                },
                "the API failed (503 Service Unavailable): down",
            ),
            (
                ClientError::Status {
                    status: status(302),
                    body: String::new(),
                },
                "unexpected status 302 Found from the API: ",
            ),
            (
                ClientError::Decode {
                    source: unreadable,
                    body: "{".into(),
                },
                "could not read the API's answer: EOF while parsing an object at line 1 column 1",
            ),
            (
                ClientError::Config {
                    reason: "no scheme".into(),
                },
                "invalid client configuration: no scheme",
            ),
        ];
        for (err, message) in failed {
            let response = err.into_response();
            assert_eq!(response.status(), StatusCode::BAD_GATEWAY, "{message}");
            assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            let body: Rejected = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(
                body,
                Rejected::at_root(ErrorCode::UpstreamUnavailable, message)
            );
        }
    }
}
