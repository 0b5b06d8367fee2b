//! Explain the attribution of a conversion URL: what the API will record, the click ids, the
//! repairs, and a URL safe to log.
//!
//! ```sh
//! cargo run --example explain_url -- 'https://x.com.br/#/obrigado?UTM_Source=Google&gclid=AbC'
//! ```

use wegly_attribution::Normalized;

fn main() {
    let url = std::env::args().nth(1).unwrap_or_else(|| {
        "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ"
            .to_owned()
    });
    let normalized = Normalized::from_url(&url);
    println!(
        "url: {}",
        normalized.marketing.redacted_url().unwrap_or_default()
    );
    for (key, value) in normalized.marketing.iter() {
        if key != "url_conversion" {
            println!("  {key} = {value}");
        }
    }
    for click in normalized.marketing.click_ids() {
        println!(
            "  click id {} ({}), {} characters",
            click.param,
            click.platform,
            click.value.len()
        );
    }
    for warning in &normalized.warnings {
        println!("  warning: {warning}");
    }
}
