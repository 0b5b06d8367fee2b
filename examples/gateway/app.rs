//! The gateway's router: `POST /deals` checks the origin, validates with a catalog and forwards
//! to the API (SPEC 4.7).
//!
//! `main.rs` serves it; the integration tests include this file with `#[path]` and run it
//! in-process against the stand-in.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use wegly_attribution::client::{Client, ClientError};
use wegly_attribution::gateway::{CreateDeal, GatewayConfig};
use wegly_attribution::{Catalog, CreateDealResponse, LeadSource, Lookup};

/// What the handler needs: the extractor's configuration and the API client.
#[derive(Clone)]
pub(crate) struct App {
    pub(crate) gateway: GatewayConfig,
    pub(crate) client: Client,
}

impl FromRef<App> for GatewayConfig {
    fn from_ref(app: &App) -> GatewayConfig {
        app.gateway.clone()
    }
}

/// What a gateway would keep in memory, refreshed from the API now and then.
pub(crate) struct Cached;

impl Catalog for Cached {
    fn tag_exists(&self, tag_id: &str) -> Option<bool> {
        Some(matches!(tag_id, "enterprise" | "crm" | "pme"))
    }

    fn tracker_lead_source(&self, wegly_code: &str) -> Lookup<LeadSource> {
        match wegly_code {
            "OPP123" => Lookup::Found(LeadSource::Named("LinkedIn Ads".to_owned())),
            _ => Lookup::NotFound,
        }
    }
}

pub(crate) fn router(app: App) -> Router {
    Router::new()
        .route("/deals", post(create_deal))
        .with_state(app)
}

/// The extractor has refused what it must (403, 415, 413, 422); what is left is forwarded with
/// the browser's origin. The API's answer is passed on: on success, 201 and the created deal;
/// otherwise `ClientError`'s response, which is the API's status and body when it refused the
/// request, and 502 `upstream_unavailable` when it could not be reached or kept failing (429 or
/// 5xx after the retries).
async fn create_deal(
    State(app): State<App>,
    deal: CreateDeal,
) -> Result<(StatusCode, Json<CreateDealResponse>), ClientError> {
    let client = app.client.with_origin(deal.origin);
    let created = client.create_deal(&deal.request).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
