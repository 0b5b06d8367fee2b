//! [`Normalized`], what normalization gives, and the entry points that use the default
//! [`Normalizer`].

use serde_json::Value;

use super::model::Marketing;
use super::normalize::Normalizer;
use crate::{LeadSource, Rejected, Warning};

/// The result of normalizing marketing data.
///
/// ```
/// use wegly_attribution::{Normalized, WarningCode};
/// let n = Normalized::from_url("https://x.com.br/lp#utm_source=instagram");
/// assert_eq!(n.marketing.get("utm_source"), Some("instagram"));
/// assert_eq!(n.warnings[0].code(), WarningCode::ParamInFragment);
/// assert_eq!(n.lead_source, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized object.
    pub marketing: Marketing,
    /// What was repaired or dropped.
    pub warnings: Vec<Warning>,
    /// The tracker's lead source, when rule 5 fills it (the payload sent none).
    pub lead_source: Option<LeadSource>,
}

impl Normalized {
    /// Normalizes `{"url_conversion": url}` with the default [`Normalizer`]: the object, its
    /// warnings and the tracker's lead source.
    ///
    /// ```
    /// use wegly_attribution::{Normalized, WarningCode};
    ///
    /// let n = Normalized::from_url("/lp#utm_source=fb");
    /// assert_eq!(n.marketing.get("wegly_source"), Some("fb"));
    /// assert_eq!(n.warnings[0].code(), WarningCode::ParamInFragment);
    /// ```
    #[must_use]
    #[inline]
    pub fn from_url(url: &str) -> Normalized {
        Normalizer::new().normalize_url(url)
    }

    /// Normalizes a `marketing` object with the default [`Normalizer`].
    ///
    /// # Errors
    ///
    /// [`Rejected`] on a wrong JSON type; see [`Normalizer::normalize`].
    ///
    /// ```
    /// use wegly_attribution::{ErrorCode, Normalized};
    /// let Err(rejected) = Normalized::normalize(&serde_json::json!({"utm_source": 42})) else {
    ///     return Err("accepted".into());
    /// };
    /// assert_eq!(rejected.errors[0].code(), ErrorCode::InvalidType);
    /// assert_eq!(rejected.errors[0].path(), "/utm_source");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn normalize(marketing: &Value) -> Result<Normalized, Rejected> {
        Normalizer::new().normalize(marketing)
    }
}

impl Marketing {
    /// Normalizes `{"url_conversion": url}` with the default [`Normalizer`], and keeps the
    /// object alone: no warning is made ([`Normalized::from_url`] keeps them).
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    ///
    /// let url = "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ";
    /// let marketing = Marketing::from_url(url);
    /// let keys: Vec<&str> = marketing.iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["gclid", "url_conversion", "utm_campaign", "wegly_campaign", "wegly_code"]);
    /// ```
    #[must_use]
    pub fn from_url(url: &str) -> Marketing {
        Normalizer::new().url_marketing(url)
    }

    /// Normalizes a `marketing` object with the default [`Normalizer`], and keeps the object
    /// alone ([`Normalized::normalize`] keeps the warnings too).
    ///
    /// # Errors
    ///
    /// [`Rejected`] on a wrong JSON type; see [`Normalizer::normalize`].
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// let marketing = Marketing::normalize(&serde_json::json!({"utm_source": " fb "}))?;
    /// assert_eq!(marketing.get("utm_source"), Some("fb"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn normalize(marketing: &Value) -> Result<Marketing, Rejected> {
        Normalized::normalize(marketing).map(|normalized| normalized.marketing)
    }
}
