//! Operating the service: `/metrics`, and a SIGTERM that drains.

use std::time::Duration;

use super::{Gateway, LANDING, deal, post, stand_in};

#[tokio::test]
async fn metrics_count_requests_calls_and_connections() {
    let (api, _fake) = stand_in().await;
    let dir = super::scratch("metrics");
    let outbox = dir.join("outbox.sqlite");
    let gateway = Gateway::start(&api, &[("OUTBOX", outbox.to_str().unwrap())]);
    let (status, _, _) = post(&gateway.url("/deals"), LANDING, &deal("counted")).await;
    assert_eq!(status, 201);
    let (status, _, _) = post(&gateway.url("/deals"), LANDING, b"{}").await;
    assert_eq!(status, 422);
    let response = reqwest::get(gateway.url("/metrics")).await.unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();
    for line in [
        "wegly_gateway_requests_total{outcome=\"created\"} 1",
        "wegly_gateway_requests_total{outcome=\"invalid\"} 1",
        "wegly_gateway_api_calls_total{path=\"request\",result=\"created\"} 1",
        "wegly_gateway_api_call_seconds_bucket{le=\"+Inf\",path=\"request\",result=\"created\"} 1",
        "wegly_gateway_outbox_entries{state=\"queued\"} 0",
        "wegly_gateway_connections_open ",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    // One log line per request, with its id and outcome (lines are written in batches, every
    // 100 ms).
    let logged = super::eventually(Duration::from_secs(2), async || {
        gateway.log().lines().any(|l| {
            l.contains("path=/deals status=201 outcome=created") && l.contains("request_id=")
        })
    })
    .await;
    assert!(logged, "{}", gateway.log());
}

#[tokio::test]
async fn sigterm_finishes_the_requests_in_progress_and_exits_0() {
    let (api, fake) = stand_in().await;
    let dir = super::scratch("sigterm");
    let outbox = dir.join("outbox.sqlite");
    let gateway = Gateway::start(&api, &[("OUTBOX", outbox.to_str().unwrap())]);
    let url = gateway.url("/deals");
    // The API holds its answer for 1.5 s: the request is in progress when SIGTERM comes.
    fake.set_default_fault(Some("slowx1"));
    let in_progress = tokio::spawn(async move { post(&url, LANDING, &deal("in progress")).await });
    assert!(super::eventually(Duration::from_secs(5), async || fake.seen("slowx1") == 1).await);
    let (code, took) = tokio::task::spawn_blocking(move || gateway.terminate())
        .await
        .unwrap();
    assert_eq!(code, Some(0));
    assert!(took < Duration::from_secs(10), "{took:?}");
    let (status, _, body) = in_progress.await.unwrap();
    assert_eq!(status, 201, "{body}");
    assert_eq!(super::created(&fake, "in progress"), 1);
}
