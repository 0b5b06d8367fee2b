//! What a [`Client`](super::Client) call can fail with (`docs/rules.md` §4.6), and what that says
//! about the deal.

use std::time::Duration;

use reqwest::StatusCode;

use crate::Rejected;
use crate::error::excerpt;

/// Why a [`Client`](super::Client) call failed.
///
/// The variants follow what a caller must decide: did the API answer ([`Api`](Self::Api)), did
/// the request never leave ([`Connect`](Self::Connect), [`Deadline`](Self::Deadline)), or may it
/// have been processed with no answer read ([`Transport`](Self::Transport),
/// [`Decode`](Self::Decode))? [`ClientError::delivery`] says it in one word for a
/// `create_deal`. The `Display` text quotes at most 64 characters of the API's body and never
/// the token or the API's URL.
///
/// With the `axum` feature too, it is an axum response (see
/// [its `IntoResponse` impl](#impl-IntoResponse-for-ClientError)).
///
/// ```
/// use wegly_attribution::client::{ClientError, Delivery};
///
/// fn send_again_later(err: &ClientError) -> bool {
///     err.delivery() == Delivery::NotCreated
/// }
/// # let _ = send_again_later;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The API answered with a status that is not a success, after the retries.
    #[error(transparent)]
    Api(ApiError),
    /// No connection to the API could be made (refused, unreachable, or not within the
    /// connect limit): no byte of the request was written, so the API cannot have processed
    /// it.
    #[error("could not connect to the API: {}", transport_text(.0))]
    Connect(#[source] reqwest::Error),
    /// The call's deadline ([`Client::with_deadline`](super::Client::with_deadline)) had
    /// passed before the first attempt: nothing was sent. (When it passes later, the call
    /// ends with the last attempt's own failure: a wait for a retry that does not fit before
    /// the deadline is not made, and an attempt cut by it is a [`Connect`](Self::Connect) or
    /// [`Transport`](Self::Transport) timeout.)
    #[error("the deadline passed before the API was tried")]
    Deadline,
    /// The request was, or may have been, written, and no whole answer came: a timeout after
    /// the connection was made, a connection dropped, a body cut.
    #[error("no answer from the API: {}", transport_text(.0))]
    Transport(#[source] reqwest::Error),
    /// A success status whose body is not the expected JSON.
    #[error("could not read the API's answer ({status}): {source}")]
    Decode {
        /// The API's status, a success.
        status: StatusCode,
        /// What `serde_json` found.
        #[source]
        source: serde_json::Error,
        /// The API's body.
        body: String,
    },
}

/// What a failed `create_deal` says about the deal (`docs/rules.md` §4.9).
///
/// ```
/// use wegly_attribution::client::{ApiError, ClientError, Delivery};
///
/// let rate_limited = ClientError::Api(ApiError::new(429, None, "", None));
/// assert_eq!(rate_limited.delivery(), Delivery::NotCreated);
/// let failed = ClientError::Api(ApiError::new(500, None, "", None));
/// assert_eq!(failed.delivery(), Delivery::Unknown);
/// let refused = ClientError::Api(ApiError::new(422, None, "{}", None));
/// assert_eq!(refused.delivery(), Delivery::Refused);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Delivery {
    /// The deal was surely not created, and the same request may be sent again: no connection,
    /// 429, 503, 408, or a deadline that passed before the request was written.
    NotCreated,
    /// The API answered with a refusal (a 4xx other than 408 and 429): the deal was not
    /// created, and sending the same request again gets the same answer.
    Refused,
    /// The API answered with a success that could not be read: the deal was created.
    Created,
    /// The request was written and no definite answer came (a timeout or a dropped connection
    /// after writing, a 5xx other than 503): the deal may or may not exist. Sending it again
    /// could create it twice.
    Unknown,
}

impl ClientError {
    /// What this failure says about a `create_deal`'s deal (see [`Delivery`]).
    ///
    /// ```
    /// use wegly_attribution::client::{ClientError, Delivery};
    /// assert_eq!(ClientError::Deadline.delivery(), Delivery::NotCreated);
    /// ```
    #[must_use]
    pub fn delivery(&self) -> Delivery {
        match self {
            ClientError::Api(api) => match api.status.as_u16() {
                // 408: the server timed out waiting for the request; 429 and 503: it did not
                // process it (RFC 9110 sections 15.5.9, 15.6.4; RFC 6585 section 4).
                408 | 429 | 503 => Delivery::NotCreated,
                400..=499 => Delivery::Refused,
                _ => Delivery::Unknown,
            },
            ClientError::Connect(_) | ClientError::Deadline => Delivery::NotCreated,
            ClientError::Transport(_) => Delivery::Unknown,
            ClientError::Decode { .. } => Delivery::Created,
        }
    }

    /// The API's answer, when it answered with a status that is not a success.
    ///
    /// ```
    /// use wegly_attribution::client::{ApiError, ClientError};
    ///
    /// let err = ClientError::Api(ApiError::new(404, None, "", None));
    /// assert_eq!(err.api().map(|api| api.status().as_u16()), Some(404));
    /// ```
    #[must_use]
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            ClientError::Api(api) => Some(api),
            _ => None,
        }
    }
}

/// The text of a transport error without its URL (reqwest's `Display` names it, and the API's
/// address is no business of a gateway's browser clients).
fn transport_text(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "connection failed"
    } else if err.is_body() || err.is_decode() {
        "the body could not be read"
    } else {
        "the request failed"
    };
    // The innermost cause says what the OS or the TLS layer saw (`Connection refused`).
    let mut cause: &dyn std::error::Error = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if std::ptr::addr_eq(cause, err as &dyn std::error::Error) {
        kind.to_owned()
    } else {
        format!("{kind} ({cause})")
    }
}

/// The API's answer with a status that is not a success: status, content type, body and
/// `Retry-After`, as received.
///
/// ```
/// use std::time::Duration;
/// use wegly_attribution::client::ApiError;
///
/// let api = ApiError::new(429, Some("application/json"), r#"{"message":"slow down"}"#, Some(Duration::from_secs(3)));
/// assert_eq!(api.status().as_u16(), 429);
/// assert_eq!(api.retry_after(), Some(Duration::from_secs(3)));
/// assert_eq!(api.to_string(), r#"the API answered 429 Too Many Requests: {"message":"slow down"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the API answered {status}: {}", excerpt(body))]
pub struct ApiError {
    status: StatusCode,
    content_type: Option<String>,
    body: String,
    retry_after: Option<Duration>,
}

impl ApiError {
    /// An answer with this status (a status code that is not valid reads as 500), content
    /// type, body and `Retry-After`: for tests and for callers that wrap the client.
    ///
    /// ```
    /// use wegly_attribution::client::ApiError;
    /// assert_eq!(ApiError::new(1000, None, "", None).status().as_u16(), 500);
    /// ```
    #[must_use]
    pub fn new(
        status: u16,
        content_type: Option<&str>,
        body: impl Into<String>,
        retry_after: Option<Duration>,
    ) -> ApiError {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            content_type: content_type.map(str::to_owned),
            body: body.into(),
            retry_after,
        }
    }

    /// Built by the client from a response.
    pub(crate) fn from_parts(
        status: StatusCode,
        content_type: Option<String>,
        body: String,
        retry_after: Option<Duration>,
    ) -> ApiError {
        ApiError {
            status,
            content_type,
            body,
            retry_after,
        }
    }

    /// The status.
    ///
    /// ```
    /// use wegly_attribution::client::ApiError;
    /// assert_eq!(ApiError::new(503, None, "", None).status().as_u16(), 503);
    /// ```
    #[must_use]
    pub const fn status(&self) -> StatusCode {
        self.status
    }

    /// The `Content-Type` the API sent, if it was text.
    ///
    /// ```
    /// use wegly_attribution::client::ApiError;
    /// let api = ApiError::new(403, Some("application/json"), "{}", None);
    /// assert_eq!(api.content_type(), Some("application/json"));
    /// ```
    #[must_use]
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The body, as text (invalid UTF-8 replaced).
    ///
    /// ```
    /// use wegly_attribution::client::ApiError;
    /// assert_eq!(ApiError::new(401, None, "no", None).body(), "no");
    /// ```
    #[must_use]
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The `Retry-After` the API sent, when it could be read (delay seconds or an HTTP date).
    ///
    /// ```
    /// use wegly_attribution::client::ApiError;
    /// assert_eq!(ApiError::new(503, None, "", None).retry_after(), None);
    /// ```
    #[must_use]
    pub const fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The API's errors, when the body has [`Rejected`]'s shape (`{"errors": [{"path",
    /// "code", "message"}], ...}`), as the API's 422 does.
    ///
    /// ```
    /// use wegly_attribution::client::ApiError;
    ///
    /// let body = r#"{"errors":[{"path":"/tags/1","code":"not_found","message":"no tag `x`"}]}"#;
    /// let rejected = ApiError::new(422, Some("application/json"), body, None).rejected();
    /// assert_eq!(rejected.map(|r| r.errors[0].path().to_string()), Some("/tags/1".to_owned()));
    /// assert!(ApiError::new(422, None, "no", None).rejected().is_none());
    /// ```
    #[must_use]
    pub fn rejected(&self) -> Option<Rejected> {
        serde_json::from_str(&self.body).ok()
    }

    /// Whether the body is JSON (by its content, whatever the content type says): how the
    /// gateway passes an answer on.
    #[cfg(feature = "axum")]
    pub(crate) fn body_is_json(&self) -> bool {
        serde_json::from_str::<serde::de::IgnoredAny>(&self.body).is_ok()
    }
}

/// Why [`ClientBuilder::build`](super::ClientBuilder::build) refused to build a client.
///
/// ```
/// use wegly_attribution::BearerToken;
/// use wegly_attribution::client::Client;
///
/// let err = Client::builder(BearerToken::new("t")?).base_url("ftp://x").build().unwrap_err();
/// assert_eq!(err.to_string(), "invalid client configuration: base URL `ftp://x`: the scheme must be http or https");
/// # Ok::<(), wegly_attribution::InvalidToken>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientBuildError {
    /// The base URL is not an `http` or `https` URL, or has a query or fragment.
    #[error("invalid client configuration: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },
    /// The HTTP client could not be set up (its TLS configuration).
    #[error("the HTTP client could not be built: {0}")]
    Http(#[source] reqwest::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliveries() {
        let cases: &[(u16, Delivery)] = &[
            (400, Delivery::Refused),
            (401, Delivery::Refused),
            (403, Delivery::Refused),
            (404, Delivery::Refused),
            (408, Delivery::NotCreated),
            (409, Delivery::Refused),
            (422, Delivery::Refused),
            (429, Delivery::NotCreated),
            (500, Delivery::Unknown),
            (502, Delivery::Unknown),
            (503, Delivery::NotCreated),
            (504, Delivery::Unknown),
            (302, Delivery::Unknown),
        ];
        for (status, expected) in cases {
            let err = ClientError::Api(ApiError::new(*status, None, "", None));
            assert_eq!(err.delivery(), *expected, "row {status}");
        }
        assert_eq!(ClientError::Deadline.delivery(), Delivery::NotCreated);
    }

    #[test]
    fn api_error_text_quotes_a_short_excerpt() {
        let long = "x".repeat(100);
        let api = ApiError::new(500, None, long, None);
        assert_eq!(
            api.to_string(),
            format!(
                "the API answered 500 Internal Server Error: {}…",
                "x".repeat(64)
            )
        );
    }
}
