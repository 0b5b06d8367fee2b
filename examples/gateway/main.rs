//! A gateway's use: validate an incoming create-deal payload with the gateway's cached lookups,
//! then forward the normalized JSON or answer with every error at once.
//!
//! ```sh
//! cargo run --example gateway < tests/data/seed_deal.json
//! ```

use std::io::Read;

use wegly_attribution::{AllowedDomain, Catalog, LeadSource, Lookup, Normalizer};

/// What a gateway would keep in memory, refreshed from the API now and then.
struct Cached;

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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let allowed = AllowedDomain::new("wegly.com.br")?;
    if !allowed.permits_request(Some("https://landing.wegly.com.br"), None) {
        return Err("origin refused".into());
    }
    let mut body = Vec::new();
    std::io::stdin().read_to_end(&mut body)?;
    match Normalizer::new().catalog(&Cached).create_deal(&body) {
        Ok(valid) => {
            for warning in &valid.warnings {
                eprintln!("warning: {warning}");
            }
            println!("{}", serde_json::to_string_pretty(&valid.request)?);
        }
        Err(rejected) => {
            // The 422 body a gateway would answer with.
            println!("{}", serde_json::to_string_pretty(&rejected)?);
            std::process::exit(1);
        }
    }
    Ok(())
}
