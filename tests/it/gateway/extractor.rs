//! The extractor in a real server: each refusal's status and pinned body, and what the handler
//! receives.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};
use wegly_attribution::AllowedDomain;
use wegly_attribution::gateway::{CreateDeal, GatewayConfig};

use super::{TAGS, serve};

/// Echoes what the handler receives.
async fn echo(deal: CreateDeal) -> Json<Value> {
    Json(json!({
        "request": deal.request,
        "warnings": deal.warnings,
        "origin": deal.origin.map(|o| o.to_str().unwrap().to_owned()),
    }))
}

struct Tags;

impl wegly_attribution::Catalog for Tags {
    fn tag(&self, tag_id: &str) -> wegly_attribution::Lookup<()> {
        wegly_attribution::Lookup::exists(Some(TAGS.contains(&tag_id)))
    }
}

fn config() -> GatewayConfig {
    GatewayConfig::new()
        .allowed_domain(AllowedDomain::new("wegly.com.br").unwrap())
        .normalizer(wegly_attribution::Normalizer::new().catalog(Tags))
        .body_limit(1024)
}

async fn server() -> String {
    let app = Router::new()
        .route("/deals", post(echo))
        .with_state(config());
    format!("http://{}/deals", serve(app).await)
}

/// Posts `body` with these headers; the status and the JSON answer.
async fn post_deal(url: &str, headers: &[(&str, &str)], body: Vec<u8>) -> (u16, Value) {
    let mut request = reqwest::Client::new().post(url).body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/json");
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

const JSON: (&str, &str) = ("content-type", "application/json");
const LANDING: (&str, &str) = ("origin", "https://landing.wegly.com.br");

fn refusal(code: &str, message: &str) -> Value {
    json!({"errors": [{"path": "", "code": code, "message": message}], "warnings": []})
}

#[tokio::test]
async fn the_handler_gets_the_request_its_warnings_and_the_origin() {
    let url = server().await;
    let small = br#"{"title": " T ", "tags": ["crm", "crm"], "marketing": {"url_conversion": "/lp?utm_campaign=bf"}}"#;
    let (status, body) = post_deal(&url, &[JSON, LANDING], small.to_vec()).await;
    assert_eq!(status, 200);
    assert_eq!(body["request"]["title"], "T");
    assert_eq!(body["request"]["marketing"]["wegly_campaign"], "bf");
    assert_eq!(body["warnings"][0]["code"], "duplicate_tag");
    assert_eq!(body["origin"], "https://landing.wegly.com.br");

    // A Referer stands in for a missing Origin; its origin is what gets forwarded.
    let referer = ("referer", "https://www.wegly.com.br/obrigado?utm_source=x");
    let headers = [("content-type", "Application/JSON; charset=UTF-8"), referer];
    let (status, body) = post_deal(&url, &headers, small.to_vec()).await;
    assert_eq!(status, 200);
    assert_eq!(body["origin"], "https://www.wegly.com.br");
}

#[tokio::test]
async fn refusals_are_json_with_the_gateway_codes() {
    let url = server().await;
    let ok = br#"{"title": "T"}"#.to_vec();
    let cases: Vec<(Vec<(&str, &str)>, Vec<u8>, u16, Value)> = vec![
        (
            vec![JSON, ("origin", "https://evilwegly.com.br")],
            ok.clone(),
            403,
            refusal(
                "origin_not_allowed",
                "origin `https://evilwegly.com.br` is not wegly.com.br or one of its subdomains",
            ),
        ),
        (
            vec![
                JSON,
                ("origin", "null"),
                ("referer", "https://wegly.com.br/"),
            ],
            ok.clone(),
            403,
            refusal(
                "origin_not_allowed",
                "origin `null` is not wegly.com.br or one of its subdomains",
            ),
        ),
        (
            vec![JSON, ("referer", "https://wegly.com.br.evil.com/lp")],
            ok.clone(),
            403,
            refusal(
                "origin_not_allowed",
                "referer `https://wegly.com.br.evil.com/lp` is not on wegly.com.br or one of its subdomains",
            ),
        ),
        (
            vec![JSON],
            ok.clone(),
            403,
            refusal(
                "origin_not_allowed",
                "neither Origin nor Referer was sent; wegly.com.br is required",
            ),
        ),
        (
            // The origin comes first: a cross-site form's `text/plain` is told the real reason.
            vec![
                ("content-type", "text/plain"),
                ("origin", "https://evil.com"),
            ],
            ok.clone(),
            403,
            refusal(
                "origin_not_allowed",
                "origin `https://evil.com` is not wegly.com.br or one of its subdomains",
            ),
        ),
        (
            vec![("content-type", "text/plain"), LANDING],
            ok.clone(),
            415,
            refusal(
                "unsupported_media_type",
                "expected Content-Type `application/json`, found `text/plain`",
            ),
        ),
        (
            vec![
                ("content-type", "application/json; charset=latin1"),
                LANDING,
            ],
            ok.clone(),
            415,
            refusal(
                "unsupported_media_type",
                "expected Content-Type `application/json`, found `application/json; charset=latin1`",
            ),
        ),
        (
            vec![LANDING],
            ok.clone(),
            415,
            refusal(
                "unsupported_media_type",
                "expected Content-Type `application/json`, found none",
            ),
        ),
        (
            vec![JSON, LANDING],
            vec![b' '; 1025],
            413,
            refusal("payload_too_large", "the body is larger than 1024 bytes"),
        ),
        (
            vec![JSON, LANDING],
            b"{".to_vec(),
            422,
            refusal(
                "invalid_json",
                "not JSON: EOF while parsing an object at line 1 column 1",
            ),
        ),
    ];
    for (headers, body, status, expected) in cases {
        let (got_status, got) = post_deal(&url, &headers, body).await;
        assert_eq!((got_status, &got), (status, &expected), "row {headers:?}");
    }
}

#[tokio::test]
async fn a_422_has_every_error_and_the_warnings() {
    let url = server().await;
    let payload = br#"{"title": "", "visibility": 9, "tags": ["crm", "vip", "crm"], "extra": 1}"#;
    let (status, body) = post_deal(&url, &[JSON, LANDING], payload.to_vec()).await;
    assert_eq!(status, 422);
    let expected = wegly_attribution::Normalizer::new()
        .catalog(Tags)
        .create_deal(payload)
        .unwrap_err();
    assert_eq!(body, serde_json::to_value(&expected).unwrap());
    let codes: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["required", "invalid_enum", "not_found", "unknown_field"]
    );
    assert_eq!(body["warnings"][0]["code"], "duplicate_tag");
}

#[tokio::test]
async fn a_body_without_a_length_is_cut_at_the_limit() {
    // Built by hand, the request has no `Content-Length`: the limit applies while reading.
    let config = config();
    for (size, status) in [(1024, 422), (1025, 413)] {
        let request = Request::post("/deals")
            .header("content-type", "application/json")
            .header("origin", "https://wegly.com.br")
            .body(Body::from(vec![b'x'; size]))
            .unwrap();
        assert!(request.headers().get("content-length").is_none());
        let rejection = CreateDeal::from_request(request, &config)
            .await
            .unwrap_err();
        assert_eq!(rejection.status().as_u16(), status, "{size} bytes");
        assert_eq!(rejection.into_response().status().as_u16(), status);
    }
}

#[tokio::test]
async fn the_default_limit_is_256_kib() {
    let app = Router::new()
        .route("/deals", post(echo))
        .with_state(GatewayConfig::new());
    let url = format!("http://{}/deals", serve(app).await);
    let frame = r#"{"title": "T", "note": {"content": ""}}"#;
    let content = "a".repeat(256 * 1024 - frame.len());
    let big = format!(r#"{{"title": "T", "note": {{"content": "{content}"}}}}"#).into_bytes();
    assert_eq!(big.len(), 256 * 1024);
    let (status, _) = post_deal(&url, &[JSON], big.clone()).await;
    assert_eq!(status, 200, "{} bytes", big.len());
    let (status, body) = post_deal(&url, &[JSON], vec![b' '; 256 * 1024 + 1]).await;
    assert_eq!(status, 413);
    assert_eq!(body["errors"][0]["code"], "payload_too_large");
}
