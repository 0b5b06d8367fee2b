//! A local stand-in for the Wegly API (`docs/rules.md` §4.7): both deal pages on loopback, validated with
//! this crate, stored in memory, with bearer tokens, `allowed_domain` and fault injection.
//!
//! ```sh
//! WEGLY_TOKENS='tok1=wegly.com.br,tok2=' cargo run --example fake_wegly --features axum
//! curl -si localhost:8787/integrations/external/deals -H 'Authorization: Bearer tok2' \
//!     -H 'Content-Type: application/json' -d @tests/data/seed_deal.json
//! ```
//!
//! - `PORT` (default 8787); `WEGLY_TOKENS` (default `tok1=wegly.com.br,tok2=`): tokens and
//!   their `allowed_domain`, empty for none. A token with a domain refuses a request with
//!   neither `Origin` nor `Referer`. `WEGLY_TAGS` (optional): the tags that exist,
//!   comma-separated; unset accepts any tag.
//! - `X-Fake-Fail: 429x2` (or `503xN`, `500xN`, `dropxN`, `hangxN`, `slowxN`) fails the first N
//!   requests that carry that exact value, then lets them through (see `fake.rs`).
//!   `curl -X PUT localhost:8787/_fake/fault -d 503x3` sets the fault of requests that carry
//!   no such header (a gateway's); `GET /_fake/deals` lists the deals created.
//! - `FAKE_RETRY_AFTER` (default 1): the `Retry-After` seconds of an injected 429.

mod fake;

use fake::{Fake, FakeConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 8787,
    };
    let tokens =
        std::env::var("WEGLY_TOKENS").unwrap_or_else(|_| "tok1=wegly.com.br,tok2=".to_owned());
    let mut config = FakeConfig::from_tokens(&tokens)?;
    if let Ok(secs) = std::env::var("FAKE_RETRY_AFTER") {
        config = config.retry_after_secs(secs.parse()?);
    }
    if let Ok(tags) = std::env::var("WEGLY_TAGS") {
        let tags: Vec<&str> = tags.split(',').map(str::trim).collect();
        config = config.tags(&tags);
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!("fake Wegly API on http://{}", listener.local_addr()?);
    Fake::new(config).serve(listener).await?;
    Ok(())
}
