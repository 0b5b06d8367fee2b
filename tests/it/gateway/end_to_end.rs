//! The gateway example (`examples/gateway/app.rs`) in front of the stand-in: a browser's POST
//! goes through the extractor, the client and the retries, or stops at the gateway.

use serde_json::Value;
use wegly_attribution::gateway::GatewayConfig;
use wegly_attribution::{AllowedDomain, CreateDealRequest};

use super::app::{App, Cached, router};
use super::fake::Fake;
use super::{DOMAIN, client, seed, serve, stand_in};

/// A gateway for `wegly.com.br` forwarding to `api` with the domain key.
async fn gateway(api: &str) -> String {
    let app = App {
        gateway: GatewayConfig::new()
            .allowed_domain(AllowedDomain::new("wegly.com.br").unwrap())
            .catalog(Cached),
        client: client(api, DOMAIN),
    };
    format!("http://{}/deals", serve(router(app)).await)
}

/// What a browser on `origin` posting `body` as `content_type` gets back.
async fn browser_post(url: &str, origin: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header("origin", origin)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

const LANDING: &str = "https://landing.wegly.com.br";
const JSON: &str = "application/json";

#[tokio::test]
async fn a_valid_deal_is_normalized_forwarded_and_retried_once() {
    let (api, fake) = stand_in(Some("429x1")).await;
    let url = gateway(&api).await;
    let (status, body) = browser_post(&url, LANDING, JSON, seed()).await;
    assert_eq!(status, 201, "{body}");

    // The API was asked twice (429 with Retry-After: 1, then 201) and created one deal, whose
    // id and code the gateway answered with.
    assert_eq!(fake.seen("429x1"), 2);
    let deals = fake.deals();
    assert_eq!(deals.len(), 1);
    assert_eq!(body["id"], deals[0].id.to_string());
    assert_eq!(body["code"], deals[0].code);
    assert_eq!(body["title"], "Implementação completa CRM");

    // It received the normalized payload (the crate's own output for the seed), with the
    // browser's Origin; the domain key was accepted, so the bearer token was sent.
    let marketing = &deals[0].request["marketing"];
    assert_eq!(marketing["wegly_campaign"], "crm-enterprise");
    assert_eq!(marketing["gclid"], "XYZ");
    assert_eq!(marketing["wegly_code"], "OPP123");
    let expected = CreateDealRequest::from_json_with(&seed(), &Cached)
        .unwrap()
        .request;
    assert_eq!(deals[0].request, serde_json::to_value(&expected).unwrap());
    assert_eq!(deals[0].origin.as_deref(), Some(LANDING));
}

/// Requests the gateway refuses itself; none reaches the API.
#[tokio::test]
async fn refusals_stop_at_the_gateway() {
    let (api, fake) = stand_in(None).await;
    let url = gateway(&api).await;

    let invalid = br#"{"title": "", "value": 10.555, "tags": ["vip"], "visibility": 7}"#;
    let (status, body) = browser_post(&url, LANDING, JSON, invalid.to_vec()).await;
    assert_eq!(status, 422);
    let expected = CreateDealRequest::from_json_with(invalid, &Cached).unwrap_err();
    assert_eq!(body, serde_json::to_value(&expected).unwrap());
    assert_eq!(body["errors"].as_array().unwrap().len(), 4, "{body}");

    let (status, body) = browser_post(&url, "https://evil.com", JSON, seed()).await;
    assert_eq!(
        (status, &body["errors"][0]["code"]),
        (403, &Value::from("origin_not_allowed"))
    );

    let (status, body) = browser_post(&url, LANDING, "text/plain", seed()).await;
    assert_eq!(
        (status, &body["errors"][0]["code"]),
        (415, &Value::from("unsupported_media_type"))
    );

    let mut big = seed();
    big.resize(300_000, b' ');
    let (status, body) = browser_post(&url, LANDING, JSON, big).await;
    assert_eq!(
        (status, &body["errors"][0]["code"]),
        (413, &Value::from("payload_too_large"))
    );

    assert_eq!(fake.requests(), 0, "nothing reached the API");
}

#[tokio::test]
async fn an_api_that_keeps_failing_is_a_502() {
    let (api, fake) = stand_in(Some("503x9")).await;
    let url = gateway(&api).await;
    let (status, body) = browser_post(&url, LANDING, JSON, seed()).await;
    assert_eq!(status, 502);
    assert_eq!(body["errors"][0]["code"], "upstream_unavailable");
    assert_eq!(body["errors"][0]["path"], "");
    assert_eq!(fake.seen("503x9"), 3);
    assert!(fake.deals().is_empty());

    // Nothing listening at all.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let api = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let url = gateway(&api).await;
    let (status, body) = browser_post(&url, LANDING, JSON, seed()).await;
    assert_eq!(status, 502);
    assert_eq!(body["errors"][0]["code"], "upstream_unavailable");
}

#[tokio::test]
async fn the_api_refusals_are_passed_on() {
    // The stand-in knows only the domain key, but the gateway's client uses another one.
    let fake = Fake::new(super::fake::FakeConfig::from_tokens("other=").unwrap());
    let api = format!("http://{}", serve(fake.router()).await);
    let url = gateway(&api).await;
    let (status, body) = browser_post(&url, LANDING, JSON, seed()).await;
    assert_eq!(status, 401);
    assert_eq!(body["message"], "invalid or missing token");
    assert_eq!(fake.requests(), 1);
}
