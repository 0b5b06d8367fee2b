//! The gateway features on loopback (`docs/rules.md` §4.5-4.7): real sockets, real reqwest, real
//! axum, and the stand-in (`examples/fake_wegly/fake.rs`) started in the test on port 0. The
//! service built on them, `wegly-gateway`, has its own tests in `gateway/tests/`. Backoffs and timeouts are short so
//! the whole module takes about as long as its slowest `Retry-After` (1 s).

mod client;
mod extractor;
#[path = "../../../examples/fake_wegly/fake.rs"]
mod fake;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use fake::{Fake, FakeConfig};
use wegly_attribution::BearerToken;
use wegly_attribution::client::{Client, Retries};

/// A key without `allowed_domain`.
const OPEN: &str = "tok-open";
/// A key whose `allowed_domain` is `wegly.com.br`.
const DOMAIN: &str = "tok-domain";
/// The tags the stand-in knows.
const TAGS: &[&str] = &["enterprise", "crm", "pme"];
/// The per-attempt timeout of the test clients; the stand-in's `slow` is twice as long.
const TIMEOUT: Duration = Duration::from_millis(300);

fn seed() -> Vec<u8> {
    std::fs::read("tests/data/seed_deal.json").unwrap()
}

/// Serves `router` on a random loopback port.
async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// A stand-in whose every request carries `X-Fake-Fail: {fault}` (the tests' clients send no
/// such header: a layer in front of the stand-in adds it, as a test client of the real one
/// would).
async fn stand_in(fault: Option<&'static str>) -> (String, Fake) {
    let config = FakeConfig::from_tokens(&format!("{DOMAIN}=wegly.com.br,{OPEN}="))
        .unwrap()
        .retry_after_secs(1)
        .slow(TIMEOUT * 2)
        .tags(TAGS);
    let fake = Fake::new(config);
    let mut router = fake.router();
    if let Some(fault) = fault {
        router = router.layer(axum::middleware::map_request(
            move |mut request: Request| async move {
                request
                    .headers_mut()
                    .insert("x-fake-fail", HeaderValue::from_static(fault));
                request
            },
        ));
    }
    let address = serve(router).await;
    (format!("http://{address}"), fake)
}

/// A client with the default attempts, a 5 ms backoff and the short timeout.
fn client(base_url: &str, token: &str) -> Client {
    Client::builder(BearerToken::new(token).unwrap())
        .base_url(base_url)
        .timeout(TIMEOUT)
        .retries(Retries::new().backoff(Duration::from_millis(5)))
        .build()
        .unwrap()
}
