//! The extractor's helpers and the gateway answers of client errors.

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

/// Each client error's answer: status, `Content-Type`, `Retry-After` and body.
#[cfg(feature = "client")]
#[tokio::test]
async fn client_errors_answer_as_a_gateway() {
    use crate::client::{ApiError, ClientError};
    use std::time::Duration;

    let json = r#"{"message":"origin not allowed"}"#;
    let rejected =
        r#"{"errors":[{"path":"/title","code":"required","message":"m"}],"warnings":[]}"#;
    let unreadable = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
    let api = |status, body: &str, retry: Option<u64>| {
        ClientError::Api(ApiError::new(
            status,
            None,
            body,
            retry.map(Duration::from_secs),
        ))
    };
    let root =
        |code, message: &str| serde_json::to_string(&Rejected::at_root(code, message)).unwrap();
    let cases: Vec<(ClientError, u16, &str, Option<&str>, String)> = vec![
        (
            api(403, json, None),
            403,
            "application/json",
            None,
            json.into(),
        ),
        (
            api(422, rejected, None),
            422,
            "application/json",
            None,
            rejected.into(),
        ),
        (
            api(404, "no", None),
            404,
            "text/plain; charset=utf-8",
            None,
            "no".into(),
        ),
        (
            api(409, "[1]", None),
            409,
            "application/json",
            None,
            "[1]".into(),
        ),
        (
            api(401, "invalid token tok-secret", None),
            502,
            "application/json",
            None,
            root(
                ErrorCode::UpstreamAuthFailed,
                "the API refused the gateway's credentials",
            ),
        ),
        (
            api(429, "slow down", Some(30)),
            503,
            "application/json",
            Some("30"),
            root(
                ErrorCode::UpstreamUnavailable,
                "the deal was not created: the API answered 429 Too Many Requests",
            ),
        ),
        (
            api(503, "", None),
            503,
            "application/json",
            Some("5"),
            root(
                ErrorCode::UpstreamUnavailable,
                "the deal was not created: the API answered 503 Service Unavailable",
            ),
        ),
        (
            ClientError::Deadline,
            503,
            "application/json",
            Some("5"),
            root(
                ErrorCode::UpstreamUnavailable,
                "the deal was not created: the request's deadline passed",
            ),
        ),
        (
            api(500, "boom", None),
            502,
            "application/json",
            None,
            root(
                ErrorCode::UpstreamOutcomeUnknown,
                "the deal may have been created: the API answered 500 Internal Server Error; do not send it again",
            ),
        ),
        (
            api(302, "", None),
            502,
            "application/json",
            None,
            root(
                ErrorCode::UpstreamOutcomeUnknown,
                "the deal may have been created: the API answered 302 Found; do not send it again",
            ),
        ),
        (
            ClientError::Decode {
                status: StatusCode::CREATED,
                source: unreadable,
                body: "{".into(),
            },
            201,
            "text/plain; charset=utf-8",
            None,
            "{".into(),
        ),
    ];
    for (err, code, content_type, retry_after, body) in cases {
        let row = err.to_string();
        let response = err.into_response();
        assert_eq!(response.status().as_u16(), code, "row {row}");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            content_type,
            "row {row}"
        );
        assert_eq!(
            response
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.to_str().unwrap()),
            retry_after,
            "row {row}"
        );
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&bytes), body, "row {row}");
    }
}
