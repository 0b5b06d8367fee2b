//! What a [`Client`](super::Client) call can fail with (SPEC 4.6).

use std::time::Duration;

use reqwest::StatusCode;

use crate::Rejected;
use crate::error::excerpt;

/// Why a [`Client`](super::Client) call failed.
///
/// Status errors keep the API's body (as text; invalid UTF-8 replaced). The `Display` text
/// quotes at most 64 characters of it and never the token. With the `axum` feature too, it is
/// an axum response, what a gateway answers for it: the API's refusal passed on, or 502
/// `upstream_unavailable` (see [its `IntoResponse` impl](#impl-IntoResponse-for-ClientError)).
///
/// ```
/// use wegly_attribution::client::ClientError;
///
/// fn retry_later(err: &ClientError) -> bool {
///     matches!(err, ClientError::RateLimited { .. } | ClientError::Server { .. } | ClientError::Transport(_))
/// }
/// # let _ = retry_later;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// 401: the token is missing, unknown or revoked.
    #[error("the API refused the token (401 Unauthorized): {}", excerpt(body))]
    Unauthorized {
        /// The API's body.
        body: String,
    },
    /// 403: the key may not be used from here (its `allowed_domain` and the `Origin` sent).
    #[error("the API refused the request (403 Forbidden): {}", excerpt(body))]
    Forbidden {
        /// The API's body.
        body: String,
    },
    /// 404: no such deal (or no such route: check the base URL).
    #[error("not found (404): {}", excerpt(body))]
    NotFound {
        /// The API's body.
        body: String,
    },
    /// 422: the API refused the payload.
    #[error("the API rejected the payload (422): {}", excerpt(body))]
    Rejected {
        /// The API's errors, when the body has [`Rejected`]'s shape
        /// (`{"errors": [{"path", "code", "message"}], ...}`).
        rejected: Option<Rejected>,
        /// The API's body.
        body: String,
    },
    /// 429 after the last attempt, or with a `Retry-After` too long to wait for.
    #[error("rate limited by the API (429){}", retry_after_text(*retry_after))]
    RateLimited {
        /// The API's `Retry-After`, when it sent one that could be read.
        retry_after: Option<Duration>,
        /// The API's body.
        body: String,
    },
    /// A 5xx after the last attempt (or one that is not retried, such as a POST's 500).
    #[error("the API failed ({status}): {}", excerpt(body))]
    Server {
        /// The status.
        status: StatusCode,
        /// The API's body.
        body: String,
    },
    /// Any other status that is not a success.
    #[error("unexpected status {status} from the API: {}", excerpt(body))]
    Status {
        /// The status.
        status: StatusCode,
        /// The API's body.
        body: String,
    },
    /// The request could not be sent or its answer not read: connection, TLS, timeout. Also
    /// the HTTP client's own set-up failing in [`ClientBuilder::build`](super::ClientBuilder::build).
    #[error("could not reach the API: {0}")]
    Transport(#[source] reqwest::Error),
    /// A success status whose body is not the expected JSON.
    #[error("could not read the API's answer: {source}")]
    Decode {
        /// What `serde_json` found.
        #[source]
        source: serde_json::Error,
        /// The API's body.
        body: String,
    },
    /// [`ClientBuilder::build`](super::ClientBuilder::build) refused the configuration: the
    /// base URL is not an `http` or `https` URL.
    #[error("invalid client configuration: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },
}

fn retry_after_text(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(", retry after {} s", wait.as_secs()),
        None => String::new(),
    }
}

impl ClientError {
    /// The API's status, when the API answered.
    ///
    /// ```
    /// use wegly_attribution::client::ClientError;
    ///
    /// let err = ClientError::NotFound { body: String::new() };
    /// assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    /// ```
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ClientError::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            ClientError::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            ClientError::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            ClientError::Rejected { .. } => Some(StatusCode::UNPROCESSABLE_ENTITY),
            ClientError::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            ClientError::Server { status, .. } | ClientError::Status { status, .. } => {
                Some(*status)
            }
            ClientError::Transport(err) => err.status(),
            ClientError::Decode { .. } | ClientError::Config { .. } => None,
        }
    }

    /// The API's body, when the API answered.
    ///
    /// ```
    /// use wegly_attribution::client::ClientError;
    ///
    /// let err = ClientError::Unauthorized { body: r#"{"message":"invalid token"}"#.into() };
    /// assert_eq!(err.body(), Some(r#"{"message":"invalid token"}"#));
    /// ```
    #[must_use]
    pub fn body(&self) -> Option<&str> {
        match self {
            ClientError::Unauthorized { body }
            | ClientError::Forbidden { body }
            | ClientError::NotFound { body }
            | ClientError::Rejected { body, .. }
            | ClientError::RateLimited { body, .. }
            | ClientError::Server { body, .. }
            | ClientError::Status { body, .. }
            | ClientError::Decode { body, .. } => Some(body),
            ClientError::Transport(_) | ClientError::Config { .. } => None,
        }
    }

    /// The error for a status that is not a success, after the retries.
    #[cold]
    pub(crate) fn from_status(
        status: StatusCode,
        body: String,
        retry_after: Option<Duration>,
    ) -> ClientError {
        match status.as_u16() {
            401 => ClientError::Unauthorized { body },
            403 => ClientError::Forbidden { body },
            404 => ClientError::NotFound { body },
            422 => ClientError::Rejected {
                rejected: serde_json::from_str(&body).ok(),
                body,
            },
            429 => ClientError::RateLimited { retry_after, body },
            500..=599 => ClientError::Server { status, body },
            _ => ClientError::Status { status, body },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_variants() {
        let rejected =
            r#"{"errors":[{"path":"/title","code":"required","message":"m"}],"warnings":[]}"#;
        let cases: &[(u16, &str, &str)] = &[
            (401, "x", "the API refused the token (401 Unauthorized): x"),
            (403, "x", "the API refused the request (403 Forbidden): x"),
            (404, "", "not found (404): "),
            (
                422,
                rejected,
                "the API rejected the payload (422): {\"errors\":[{\"path\":\"/title\",\"code\":\"required\",\"message\":\"m\"}],\"w…",
            ),
            (429, "", "rate limited by the API (429), retry after 3 s"),
            (
                500,
                "boom",
                "the API failed (500 Internal Server Error): boom",
            ),
            (503, "", "the API failed (503 Service Unavailable): "),
            (
                409,
                "dup",
                "unexpected status 409 Conflict from the API: dup",
            ),
        ];
        for (code, body, text) in cases {
            let status = StatusCode::from_u16(*code).unwrap();
            let err =
                ClientError::from_status(status, (*body).to_owned(), Some(Duration::from_secs(3)));
            assert_eq!(err.to_string(), *text, "row {code}");
            assert_eq!(err.status(), Some(status), "row {code}");
            assert_eq!(err.body(), Some(*body), "row {code}");
        }
        match ClientError::from_status(StatusCode::UNPROCESSABLE_ENTITY, rejected.into(), None) {
            ClientError::Rejected {
                rejected: Some(r), ..
            } => assert_eq!(r.errors[0].path, "/title"),
            other => panic!("{other:?}"),
        }
        match ClientError::from_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "{\"message\":\"no\"}".into(),
            None,
        ) {
            ClientError::Rejected {
                rejected: None,
                body,
            } => assert_eq!(body, "{\"message\":\"no\"}"),
            other => panic!("{other:?}"),
        }
    }
}
