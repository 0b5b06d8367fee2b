//! The client against the stand-in: each status, the retries and what they must never do.

use std::time::{Duration, Instant};

use wegly_attribution::client::{ClientError, Delivery, HeaderValue, Retries};
use wegly_attribution::response::DealStatus;
use wegly_attribution::{CreateDealRequest, DealRef, ErrorCode};

use super::{DOMAIN, OPEN, client, seed, stand_in};

fn seed_request() -> CreateDealRequest {
    CreateDealRequest::from_json(&seed()).unwrap().request
}

#[tokio::test]
async fn creates_then_reads_back_by_id_and_code() {
    let (base, fake) = stand_in(None).await;
    let client = client(&base, OPEN);
    let created = client.create_deal(&seed_request()).await.unwrap();
    assert_eq!(created.title, "Implementação completa CRM");
    assert_eq!(fake.deals()[0].id, created.id);

    for deal in [DealRef::Id(created.id), DealRef::Code(created.code as u64)] {
        let detail = client.get_deal(&deal).await.unwrap();
        assert_eq!(detail.id, created.id.to_string());
        assert_eq!(detail.code, Some(created.code));
        assert_eq!(detail.status, Some(DealStatus::Open));
        assert_eq!(detail.value, Some(75000.5));
        let marketing = detail.marketing_lead_source.unwrap();
        assert_eq!(marketing.campaign_name.as_deref(), Some("crm-enterprise"));
        assert_eq!(detail.tags.len(), 2);
        assert_eq!(detail.participants.len(), 1);
    }
    assert_eq!(fake.requests(), 3);
}

#[tokio::test]
async fn unknown_token_is_unauthorized() {
    let (base, fake) = stand_in(None).await;
    let err = client(&base, "nope")
        .create_deal(&seed_request())
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), Some(401), "{err:?}");
    let api = err.api().unwrap();
    assert_eq!(api.body(), r#"{"message":"invalid or missing token"}"#);
    assert_eq!(api.content_type(), Some("application/json"));
    assert_eq!(err.delivery(), Delivery::Refused);
    assert_eq!(fake.requests(), 1, "401 is not retried");
}

#[tokio::test]
async fn unknown_deal_is_not_found() {
    let (base, fake) = stand_in(None).await;
    let err = client(&base, OPEN)
        .get_deal(&DealRef::Code(999))
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), Some(404), "{err:?}");
    assert_eq!(fake.requests(), 1, "404 is not retried");
}

#[tokio::test]
async fn a_422_body_reads_back_as_rejected() {
    let (base, fake) = stand_in(None).await;
    // Valid for the crate without a catalog; the stand-in knows its tags, as the API does.
    let request = CreateDealRequest::from_json(br#"{"title": "T", "tags": ["crm", "vip"]}"#)
        .unwrap()
        .request;
    let err = client(&base, OPEN).create_deal(&request).await.unwrap_err();
    assert_eq!(status_of(&err), Some(422), "{err:?}");
    let rejected = err.api().unwrap().rejected().unwrap();
    let body = err.api().unwrap().body();
    assert_eq!(rejected.errors.len(), 1);
    assert_eq!(rejected.errors[0].path(), "/tags/1");
    assert_eq!(rejected.errors[0].code(), ErrorCode::NotFound);
    assert!(body.contains("not_found"), "{body}");
    assert_eq!(fake.requests(), 1);
    assert!(fake.deals().is_empty());
}

#[tokio::test]
async fn a_429_is_retried_after_its_retry_after() {
    let (base, fake) = stand_in(Some("429x1")).await;
    let started = Instant::now();
    let created = client(&base, OPEN)
        .create_deal(&seed_request())
        .await
        .unwrap();
    // A sleep never ends early: a lower bound on the wall clock is exact. The wait itself,
    // to the nanosecond, is `client::schedule`'s test on the paused clock.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1),
        "Retry-After: 1 honored, {elapsed:?}"
    );
    assert_eq!(fake.seen("429x1"), 2);
    assert_eq!(fake.deals().len(), 1);
    assert_eq!(fake.deals()[0].id, created.id);
}

#[tokio::test]
async fn a_retry_after_too_long_gives_up_at_once() {
    let (base, fake) = stand_in(Some("429x1")).await;
    let client = super::client(&base, OPEN);
    let impatient = wegly_attribution::client::Client::builder(
        wegly_attribution::BearerToken::new(OPEN).unwrap(),
    )
    .base_url(&base)
    .retries(Retries::new().max_retry_after(Duration::from_millis(500)))
    .build()
    .unwrap();
    let err = impatient.get_deal(&DealRef::Code(1)).await.unwrap_err();
    assert_eq!(status_of(&err), Some(429), "{err:?}");
    assert_eq!(
        err.api().unwrap().retry_after(),
        Some(Duration::from_secs(1))
    );
    assert_eq!(fake.seen("429x1"), 1);
    // The fault is spent: the next call goes through (and finds no deal).
    let err = client.get_deal(&DealRef::Code(1)).await.unwrap_err();
    assert_eq!(status_of(&err), Some(404), "{err:?}");
}

#[tokio::test]
async fn a_503_is_retried_until_the_attempts_run_out() {
    let (base, fake) = stand_in(Some("503x5")).await;
    let client = client(&base, OPEN);
    let err = client.create_deal(&seed_request()).await.unwrap_err();
    assert_eq!(status_of(&err), Some(503), "{err:?}");
    assert_eq!(err.delivery(), Delivery::NotCreated);
    assert_eq!(fake.seen("503x5"), 3, "3 attempts in all");
    let err = client.get_deal(&DealRef::Code(1)).await.unwrap_err();
    assert_eq!(status_of(&err), Some(404), "{err:?}");
    assert_eq!(fake.seen("503x5"), 6, "the GET passed on its third attempt");
}

#[tokio::test]
async fn a_slow_get_is_retried_a_slow_post_is_not() {
    let (base, fake) = stand_in(Some("slowx1")).await;
    let client = client(&base, OPEN);
    let err = client.create_deal(&seed_request()).await.unwrap_err();
    match &err {
        ClientError::Transport(inner) => assert!(inner.is_timeout(), "{inner:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.delivery(), Delivery::Unknown);
    assert_eq!(
        fake.seen("slowx1"),
        1,
        "a POST that timed out is never sent again"
    );
    // The API may still create the deal: that is why.
    tokio::time::sleep(super::TIMEOUT * 2).await;
    assert_eq!(fake.deals().len(), 1);

    let (base, fake) = stand_in(Some("slowx1")).await;
    let err = super::client(&base, OPEN)
        .get_deal(&DealRef::Code(1))
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), Some(404), "{err:?}");
    assert_eq!(
        fake.seen("slowx1"),
        2,
        "the GET timed out once, then passed"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let err = client(&format!("http://{address}"), OPEN)
        .create_deal(&seed_request())
        .await
        .unwrap_err();
    assert!(matches!(&err, ClientError::Connect(_)), "{err:?}");
    assert_eq!(err.delivery(), Delivery::NotCreated);
    // The message says what failed, not where: no URL.
    let text = err.to_string();
    assert!(!text.contains("127.0.0.1"), "{text}");
    assert!(
        text.starts_with("could not connect to the API: connection failed"),
        "{text}"
    );
}

/// A listener that never accepts, with its backlog full: further connections hang in the
/// handshake, as with an API behind a black hole.
fn black_hole() -> (tokio::net::TcpListener, Vec<std::net::TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let address = listener.local_addr().unwrap();
    // Linux admits backlog + 1 connections; fill it, with room to spare.
    let mut filled = Vec::new();
    for _ in 0..4 {
        if let Ok(stream) =
            std::net::TcpStream::connect_timeout(&address, Duration::from_millis(100))
        {
            filled.push(stream);
        }
    }
    (listener, filled)
}

#[tokio::test]
async fn a_connect_timeout_is_retried_even_for_a_post() {
    let (listener, _filled) = black_hole();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let client = wegly_attribution::client::Client::builder(
        wegly_attribution::BearerToken::new(OPEN).unwrap(),
    )
    .base_url(&base)
    .connect_timeout(Duration::from_millis(100))
    .retries(Retries::new().backoff(Duration::from_millis(1)))
    .build()
    .unwrap();
    let started = Instant::now();
    let err = client.create_deal(&seed_request()).await.unwrap_err();
    let elapsed = started.elapsed();
    match &err {
        ClientError::Connect(inner) => assert!(inner.is_timeout(), "{inner:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.delivery(), Delivery::NotCreated);
    // Three attempts of 100 ms each: the connect limit, retried.
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
}

#[tokio::test]
async fn a_deadline_ends_the_waits_and_the_attempts() {
    // A 429 with `Retry-After: 1` and 300 ms left: the wait does not fit, so the call ends
    // at once with the 429.
    let (base, fake) = stand_in(Some("429x1")).await;
    let err = client(&base, OPEN)
        .with_deadline(Instant::now() + Duration::from_millis(300))
        .create_deal(&seed_request())
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), Some(429), "{err:?}");
    assert_eq!(fake.seen("429x1"), 1);

    // A deadline already passed sends nothing.
    let err = client(&base, OPEN)
        .with_deadline(Instant::now())
        .create_deal(&seed_request())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Deadline), "{err:?}");
    assert_eq!(fake.requests(), 1);

    // A slow API is cut at the deadline, not at the attempt's timeout: the outcome is
    // unknown, and the POST is not sent again. The stand-in answers after 600 ms, the
    // attempt's timeout is 10 s, the deadline 100 ms away: the cut shows whatever the load.
    let (base, fake) = stand_in(Some("slowx1")).await;
    let patient = wegly_attribution::client::Client::builder(
        wegly_attribution::BearerToken::new(OPEN).unwrap(),
    )
    .base_url(&base)
    .timeout(Duration::from_secs(10))
    .build()
    .unwrap();
    let started = Instant::now();
    let err = patient
        .with_deadline(started + Duration::from_millis(100))
        .create_deal(&seed_request())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(100) && elapsed < super::TIMEOUT * 2,
        "{elapsed:?}"
    );
    assert_eq!(err.delivery(), Delivery::Unknown, "{err:?}");
    assert_eq!(fake.seen("slowx1"), 1);
}

/// The API's status, when it answered.
fn status_of(err: &ClientError) -> Option<u16> {
    err.api().map(|api| api.status().as_u16())
}

#[tokio::test]
async fn a_key_with_a_domain_needs_an_origin_on_it() {
    let (base, fake) = stand_in(None).await;
    let client = client(&base, DOMAIN);
    let request = seed_request();
    let err = client.create_deal(&request).await.unwrap_err();
    assert_eq!(status_of(&err), Some(403), "{err:?}");
    let foreign = client.with_origin(HeaderValue::from_static("https://evilwegly.com.br"));
    let err = foreign.create_deal(&request).await.unwrap_err();
    assert_eq!(status_of(&err), Some(403), "{err:?}");
    let landing = client.with_origin(HeaderValue::from_static("https://landing.wegly.com.br"));
    landing.create_deal(&request).await.unwrap();
    assert_eq!(fake.requests(), 3);
    assert_eq!(
        fake.deals()[0].origin.as_deref(),
        Some("https://landing.wegly.com.br")
    );
}

#[test]
fn the_token_stays_out_of_debug_output() {
    let client = client("http://127.0.0.1:1", "s3cr3t-token");
    let debug = format!("{client:?}");
    assert!(!debug.contains("s3cr3t"), "{debug}");
}
