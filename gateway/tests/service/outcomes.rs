//! Each outcome of docs/rules.md §4.9, and what it tells the browser to do.

use std::time::{Duration, Instant};

use super::{
    DOMAIN, Gateway, LANDING, OPEN, created, deal, eventually, healthz, post, scratch, stand_in,
};

#[tokio::test]
async fn bad_settings_stop_the_start_with_their_name() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("PORT", "http")], "--port"),
        (&[("WEGLY_TOKEN", "")], "WEGLY_TOKEN: required"),
        (&[("WEGLY_TOKEN", "Bearer x")], "WEGLY_TOKEN:"),
        (&[("ALLOWED_DOMAIN", "http://x/y")], "ALLOWED_DOMAIN:"),
        (&[("WEGLY_BASE_URL", "ftp://x")], "WEGLY_BASE_URL:"),
        (&[("OUTBOX", " ")], "OUTBOX:"),
        (&[("DEADLINE", "0")], "--deadline"),
        (&[("MAX_IN_FLIGHT", "0")], "--max-in-flight"),
        (&[("BIND", "localhost:1")], "--bind"),
    ];
    for (settings, named) in cases {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_wegly-gateway"));
        command
            .env_clear()
            .env("WEGLY_TOKEN", OPEN)
            .env("OUTBOX", "off")
            .env("PORT", "0");
        for (name, value) in *settings {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{settings:?}: {stderr}");
        assert!(
            stderr.contains(named),
            "{settings:?} names {named}: {stderr}"
        );
    }
}

#[tokio::test]
async fn created_refused_and_retried_deals() {
    let (api, fake) = stand_in().await;
    let dir = scratch("outcomes");
    let outbox = dir.join("outbox.sqlite");
    let gateway = Gateway::start(
        &api,
        &[
            ("WEGLY_TOKEN", DOMAIN),
            ("OUTBOX", outbox.to_str().unwrap()),
        ],
    );
    let url = gateway.url("/deals");

    // Created: 201 with the API's body; the browser's origin went along.
    let (status, headers, body) = post(&url, LANDING, &deal("created")).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["title"], "created");
    assert_eq!(body["id"], fake.deals()[0].id.to_string());
    assert_eq!(fake.deals()[0].origin.as_deref(), Some(LANDING));
    assert!(headers.contains_key("x-request-id"));

    // The API refuses the origin: its 403 and body are passed on.
    let (status, _, body) = post(&url, "https://evil.example", &deal("foreign")).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("origin not allowed")
    );

    // The API refuses the deal (a tag it does not know): its 422 and body are passed on.
    let unknown_tag = br#"{"title": "tagged", "tags": ["crm", "vip"]}"#;
    let (status, _, body) = post(&url, LANDING, unknown_tag).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["path"], "/tags/1");

    // A 429 is retried after its Retry-After, within the deadline: one deal.
    fake.set_default_fault(Some("429x1"));
    let started = Instant::now();
    let (status, _, body) = post(&url, LANDING, &deal("rate limited once")).await;
    assert_eq!(status, 201, "{body}");
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(created(&fake, "rate limited once"), 1);

    // The API keeps answering 503: not created, so the deal is queued (202), and the
    // deliverer delivers it once the API is back.
    fake.set_default_fault(Some("503x3"));
    let (status, _, body) = post(&url, LANDING, &deal("queued")).await;
    assert_eq!(status, 202, "{body}");
    let queued = body["queued"].as_str().unwrap().to_owned();
    assert!(body["warnings"].is_array());
    assert!(
        eventually(Duration::from_secs(10), async || created(&fake, "queued")
            == 1)
        .await,
        "the outbox delivered it"
    );
    let health = healthz(&gateway).await;
    assert_eq!(health["outbox"]["delivered"], 1, "{health}");
    assert_eq!(health["outbox"]["queued"], 0, "{health}");
    let (_, entries, _) = super::outbox_command(&outbox, &["list"]);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"].to_string(), queued);
    assert_eq!(entries[0]["state"], "delivered");
    assert_eq!(
        entries[0]["deal_id"],
        fake.deals().last().unwrap().id.to_string()
    );

    // A 500 after the API stored the deal: the outcome is unknown, it is not sent again,
    // and it is kept as `unknown` for an operator.
    fake.set_default_fault(Some("500x1"));
    let (status, _, body) = post(&url, LANDING, &deal("failed after storing")).await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["errors"][0]["code"], "upstream_outcome_unknown");
    assert_eq!(created(&fake, "failed after storing"), 1);

    // A connection dropped after the body was read: unknown too.
    fake.set_default_fault(Some("dropx1"));
    let (status, _, body) = post(&url, LANDING, &deal("dropped")).await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["errors"][0]["code"], "upstream_outcome_unknown");
    fake.set_default_fault(None);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (_, unknown, _) = super::outbox_command(&outbox, &["list", "--state", "unknown"]);
    let titles: Vec<&str> = unknown
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["failed after storing", "dropped"]);

    // No gateway message names the API's address, the token or a click id (lines are written
    // every 100 ms: wait for the last request's).
    let last = super::eventually(Duration::from_secs(2), async || {
        gateway.log().contains("outcome=upstream_outcome_unknown")
    })
    .await;
    assert!(last, "{}", gateway.log());
    let log = gateway.log();
    assert!(!log.contains(DOMAIN), "the token in the log");
    assert!(!log.contains(&api), "the API's address in the log");
    assert!(!log.contains("SECRETCLICK"), "a click id in the log");
}

#[tokio::test]
async fn what_cannot_be_created_says_so_and_when_to_come_back() {
    let (api, fake) = stand_in().await;

    // The API refuses the gateway's token: 502 upstream_auth_failed, and /healthz degraded.
    let gateway = Gateway::start(&api, &[("WEGLY_TOKEN", "tok-revoked"), ("OUTBOX", "off")]);
    let (status, _, body) = post(&gateway.url("/deals"), LANDING, &deal("t")).await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["errors"][0]["code"], "upstream_auth_failed");
    assert!(!body.to_string().contains("tok-revoked"));
    assert_eq!(healthz(&gateway).await["status"], "degraded");
    drop(gateway);

    // The API keeps rate limiting, outbox off: 503 with the API's Retry-After.
    let gateway = Gateway::start(&api, &[("OUTBOX", "off")]);
    fake.set_default_fault(Some("429x10"));
    let (status, headers, body) = post(&gateway.url("/deals"), LANDING, &deal("t")).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["errors"][0]["code"], "upstream_unavailable");
    assert_eq!(headers["retry-after"], "1");
    assert!(healthz(&gateway).await.get("outbox").is_none());
    fake.set_default_fault(None);
    drop(gateway);

    // The API is down (nothing listens): 503 with the default Retry-After of 5 s; the
    // message does not name the API's address.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let gateway = Gateway::start(&down, &[("OUTBOX", "off")]);
    let (status, headers, body) = post(&gateway.url("/deals"), LANDING, &deal("t")).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["retry-after"], "5");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "the deal was not created: the API could not be reached"
    );
    let logged = eventually(Duration::from_secs(2), async || {
        gateway.log().contains("outcome=upstream_unavailable")
    })
    .await;
    assert!(logged, "{}", gateway.log());
    assert!(!gateway.log().contains(&down));
}

#[tokio::test]
async fn every_answer_comes_within_the_deadline() {
    let (api, fake) = stand_in().await;
    let dir = scratch("deadline");
    let outbox = dir.join("outbox.sqlite");
    let gateway = Gateway::start(
        &api,
        &[("DEADLINE", "2"), ("OUTBOX", outbox.to_str().unwrap())],
    );
    let url = gateway.url("/deals");

    // A hanging API: the request was written, so the outcome is unknown; answered by the
    // deadline.
    fake.set_default_fault(Some("hangx1"));
    let started = Instant::now();
    let (status, _, body) = post(&url, LANDING, &deal("hung")).await;
    let took = started.elapsed();
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["errors"][0]["code"], "upstream_outcome_unknown");
    assert!(took < Duration::from_millis(2100), "{took:?}");

    // A 429 whose Retry-After does not fit the deadline ends the attempts: the deal is
    // queued at once rather than after the wait.
    let slow_down = super::fake::FakeConfig::from_tokens("tok-open=")
        .unwrap()
        .retry_after_secs(30);
    let (address, patient) = super::fake::Fake::spawn(slow_down).await.unwrap();
    drop(gateway);
    let gateway = Gateway::start(
        &format!("http://{address}"),
        &[("OUTBOX", outbox.to_str().unwrap())],
    );
    patient.set_default_fault(Some("429x1"));
    let started = Instant::now();
    let (status, _, body) = post(&gateway.url("/deals"), LANDING, &deal("later")).await;
    assert_eq!(status, 202, "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
