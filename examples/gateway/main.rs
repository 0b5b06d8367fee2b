//! A runnable gateway (SPEC 4.7): `POST /deals` checks the browser's origin, validates and
//! normalizes the payload with a catalog, and forwards it to the Wegly API with the token and
//! the browser's `Origin`.
//!
//! ```sh
//! WEGLY_TOKENS='tok1=wegly.com.br' cargo run --example fake_wegly --features axum &
//! WEGLY_TOKEN=tok1 WEGLY_BASE_URL=http://127.0.0.1:8787 ALLOWED_DOMAIN=wegly.com.br \
//!     cargo run --example gateway --features axum,client &
//! curl -si localhost:8080/deals -H 'Origin: https://landing.wegly.com.br' \
//!     -H 'Content-Type: application/json' -d @tests/data/seed_deal.json
//! ```
//!
//! Environment: `PORT` (default 8080), `ALLOWED_DOMAIN` (optional; unset or empty admits every
//! origin), `WEGLY_BASE_URL` (default `https://api.wegly.com.br`), `WEGLY_TOKEN` (required).

mod app;

use wegly_attribution::client::{Client, DEFAULT_BASE_URL};
use wegly_attribution::gateway::GatewayConfig;
use wegly_attribution::{AllowedDomain, BearerToken};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let port: u16 = env("PORT").map_or(Ok(8080), |p| p.parse())?;
    let token = BearerToken::new(env("WEGLY_TOKEN").ok_or("WEGLY_TOKEN is required")?)?;
    let client = Client::builder(token)
        .base_url(env("WEGLY_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()))
        .build()?;
    let mut gateway = GatewayConfig::new().catalog(app::Cached);
    if let Some(domain) = env("ALLOWED_DOMAIN") {
        gateway = gateway.allowed_domain(AllowedDomain::new(&domain)?);
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!(
        "gateway on http://{}/deals -> {}",
        listener.local_addr()?,
        client.base_url()
    );
    axum::serve(listener, app::router(app::App { gateway, client })).await?;
    Ok(())
}
