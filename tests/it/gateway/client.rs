//! The client against the stand-in: each status, the retries and what they must never do.

use std::time::{Duration, Instant};

use wegly_attribution::client::{ClientError, HeaderValue, Retries};
use wegly_attribution::{CreateDealRequest, DealRef, DealStatus, ErrorCode};

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
    assert!(matches!(err, ClientError::Unauthorized { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        err.body(),
        Some(r#"{"message":"invalid or missing token"}"#)
    );
    assert_eq!(fake.requests(), 1, "401 is not retried");
}

#[tokio::test]
async fn unknown_deal_is_not_found() {
    let (base, fake) = stand_in(None).await;
    let err = client(&base, OPEN)
        .get_deal(&DealRef::Code(999))
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
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
    let ClientError::Rejected {
        rejected: Some(rejected),
        body,
    } = err
    else {
        panic!("{err:?}");
    };
    assert_eq!(rejected.errors.len(), 1);
    assert_eq!(rejected.errors[0].path, "/tags/1");
    assert_eq!(rejected.errors[0].code, ErrorCode::NotFound);
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
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1),
        "Retry-After: 1 honored, {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
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
    let started = Instant::now();
    let err = impatient.get_deal(&DealRef::Code(1)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(900));
    match err {
        ClientError::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(1)));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.seen("429x1"), 1);
    // The fault is spent: the next call goes through (and finds no deal).
    let err = client.get_deal(&DealRef::Code(1)).await.unwrap_err();
    assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn a_503_is_retried_until_the_attempts_run_out() {
    let (base, fake) = stand_in(Some("503x5")).await;
    let client = client(&base, OPEN);
    let err = client.create_deal(&seed_request()).await.unwrap_err();
    match &err {
        ClientError::Server { status, .. } => assert_eq!(status.as_u16(), 503),
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.seen("503x5"), 3, "3 attempts in all");
    let err = client.get_deal(&DealRef::Code(1)).await.unwrap_err();
    assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
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
    assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
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
    match err {
        ClientError::Transport(inner) => assert!(inner.is_connect(), "{inner:?}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_key_with_a_domain_needs_an_origin_on_it() {
    let (base, fake) = stand_in(None).await;
    let client = client(&base, DOMAIN);
    let request = seed_request();
    let err = client.create_deal(&request).await.unwrap_err();
    assert!(matches!(err, ClientError::Forbidden { .. }), "{err:?}");
    let foreign = client.with_origin(HeaderValue::from_static("https://evilwegly.com.br"));
    let err = foreign.create_deal(&request).await.unwrap_err();
    assert!(matches!(err, ClientError::Forbidden { .. }), "{err:?}");
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
