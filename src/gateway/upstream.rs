//! What a gateway answers when the API did not create the deal (`docs/rules.md` §4.9; cargo
//! features `axum` and `client`): a `ClientError` as a response.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::json_response;
use crate::{ErrorCode, Rejected};

/// What a gateway answers when the API did not create the deal, so that the browser knows
/// what to do (`docs/rules.md` §4.9; cargo features `axum` and `client`). This is the answer of
/// a gateway without an outbox: the `wegly-gateway` service queues what is safe to send again.
///
/// | [`ClientError`](crate::client::ClientError) | answer |
/// |---|---|
/// | the API's 401 (the gateway's own token) | 502 `upstream_auth_failed` |
/// | the API's other refusals (403, 422, and any 4xx but 408 and 429) | the API's status and body, passed on |
/// | not created, safe to send again ([`Delivery::NotCreated`](crate::client::Delivery::NotCreated): no connection, 408, 429, 503, a deadline before sending) | 503 `upstream_unavailable` with `Retry-After` (the API's, else 5 s) |
/// | created, answer unreadable ([`Delivery::Created`](crate::client::Delivery::Created)) | the API's status and body, passed on |
/// | outcome unknown ([`Delivery::Unknown`](crate::client::Delivery::Unknown): a timeout or a dropped connection after writing, a 5xx but 503) | 502 `upstream_outcome_unknown` |
///
/// Passed-on bodies keep `Content-Type: application/json` when they are JSON (`text/plain;
/// charset=utf-8` otherwise). The gateway's own messages never carry the API's URL or the
/// token.
///
/// ```
/// use axum::Json;
/// use axum::http::StatusCode;
/// use wegly_attribution::response::CreateDealResponse;
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
/// use wegly_attribution::client::{ApiError, ClientError};
///
/// let token_refused = ClientError::Api(ApiError::new(401, None, "invalid token", None));
/// assert_eq!(token_refused.into_response().status().as_u16(), 502);
/// let rate_limited = ClientError::Api(ApiError::new(429, None, "", None));
/// let response = rate_limited.into_response();
/// assert_eq!(response.status().as_u16(), 503);
/// assert_eq!(response.headers()["retry-after"], "5");
/// ```
impl IntoResponse for crate::client::ClientError {
    fn into_response(self) -> Response {
        use crate::client::{ClientError, Delivery};
        if self
            .api()
            .is_some_and(|api| api.status() == StatusCode::UNAUTHORIZED)
        {
            return json_response(
                StatusCode::BAD_GATEWAY,
                &Rejected::at_root(
                    ErrorCode::UpstreamAuthFailed,
                    "the API refused the gateway's credentials",
                ),
            );
        }
        match (self.delivery(), self) {
            (Delivery::Refused, ClientError::Api(api)) => {
                let content_type = if api.body_is_json() {
                    "application/json"
                } else {
                    "text/plain; charset=utf-8"
                };
                (
                    api.status(),
                    [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
                    api.body().to_owned(),
                )
                    .into_response()
            }
            (Delivery::Created, ClientError::Decode { status, body, .. }) => {
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
            (Delivery::NotCreated, err) => {
                let retry_after = err
                    .api()
                    .and_then(crate::client::ApiError::retry_after)
                    .unwrap_or(DEFAULT_RETRY_AFTER);
                let mut response = json_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &Rejected::at_root(
                        ErrorCode::UpstreamUnavailable,
                        format!("the deal was not created: {}", upstream_reason(&err)),
                    ),
                );
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after.as_secs()),
                );
                response
            }
            (_, err) => json_response(
                StatusCode::BAD_GATEWAY,
                &Rejected::at_root(
                    ErrorCode::UpstreamOutcomeUnknown,
                    format!(
                        "the deal may have been created: {}; do not send it again",
                        upstream_reason(&err)
                    ),
                ),
            ),
        }
    }
}

/// The `Retry-After` of a 503 `upstream_unavailable` when the API sent none.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(5);

/// What went wrong upstream, in words a browser may read: no URL, no token, no body (the
/// client error's own `Display` may quote the API's body, which can echo what it was sent).
///
/// ```
/// use wegly_attribution::client::{ApiError, ClientError};
/// use wegly_attribution::gateway::upstream_reason;
///
/// let err = ClientError::Api(ApiError::new(503, None, "maintenance at 10.0.0.7", None));
/// assert_eq!(upstream_reason(&err), "the API answered 503 Service Unavailable");
/// ```
pub fn upstream_reason(err: &crate::client::ClientError) -> String {
    use crate::client::ClientError;
    match err {
        ClientError::Api(api) => format!("the API answered {}", api.status()),
        ClientError::Connect(inner) if inner.is_timeout() => {
            "the API could not be reached in time".to_owned()
        }
        ClientError::Connect(_) => "the API could not be reached".to_owned(),
        ClientError::Deadline => "the request's deadline passed".to_owned(),
        ClientError::Transport(inner) if inner.is_timeout() => {
            "the API did not answer in time".to_owned()
        }
        ClientError::Transport(_) => "the connection to the API was lost".to_owned(),
        ClientError::Decode { status, .. } => {
            format!("the API answered {status} with a body that could not be read")
        }
    }
}
