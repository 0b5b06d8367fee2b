//! The attribution view (SPEC 2.5): which click ids a conversion carries, and a URL safe to log.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use super::extract::tracking_params;
use super::keys::Platform;
use super::model::Marketing;

/// A click id found in the marketing data, with its ad platform.
///
/// Serializes as `{"param": "gclid", "platform": "google", "value": "…"}`.
///
/// ```
/// use wegly_attribution::Marketing;
/// let ids = Marketing::from_url("https://x.com.br/lp?gclid=AbC").marketing.click_ids();
/// assert_eq!(serde_json::to_string(&ids)?, r#"[{"param":"gclid","platform":"google","value":"AbC"}]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClickId {
    /// The parameter name (`gclid`, `msclkid`, …), lowercase.
    pub param: String,
    /// The ad platform the parameter belongs to.
    pub platform: Platform,
    /// The click id itself, case kept.
    pub value: String,
}

/// What replaces a click id's value in [`redact_click_ids`].
///
/// ```
/// use wegly_attribution::{REDACTED, redact_click_ids};
/// assert_eq!(redact_click_ids("/lp?ttclid=T1"), format!("/lp?ttclid={REDACTED}"));
/// ```
pub const REDACTED: &str = "REDACTED";

impl Marketing {
    /// The click ids of the conversion, in URL order, one per parameter.
    ///
    /// `gclid` and `fbclid` are read from the normalized fields (so an explicit value wins);
    /// the other click ids are not sent to the API and are read from `url_conversion`, first
    /// occurrence winning.
    ///
    /// ```
    /// use wegly_attribution::{Marketing, Platform};
    /// let n = Marketing::from_url("https://x.com.br/?msclkid=M1&gclid=G1&msclkid=M2");
    /// let ids = n.marketing.click_ids();
    /// assert_eq!(ids.len(), 2);
    /// assert_eq!((ids[0].param.as_str(), ids[0].platform), ("msclkid", Platform::Microsoft));
    /// assert_eq!(ids[1].value, "G1");
    /// ```
    #[must_use]
    pub fn click_ids(&self) -> Vec<ClickId> {
        let mut ids: Vec<ClickId> = Vec::new();
        if let Some(url) = self.url_conversion() {
            for param in tracking_params(url) {
                let Some(platform) = param.platform() else {
                    continue;
                };
                if ids.iter().any(|id| id.param == param.key()) {
                    continue;
                }
                let value = match self.get(param.key()) {
                    Some(normalized) => normalized.to_owned(),
                    None if param.is_tracking_key() => continue,
                    None => param.value().to_owned(),
                };
                ids.push(ClickId {
                    param: param.key().to_owned(),
                    platform,
                    value,
                });
            }
        }
        for (param, platform) in [("gclid", Platform::Google), ("fbclid", Platform::Meta)] {
            if let Some(value) = self.get(param)
                && !ids.iter().any(|id| id.param == param)
            {
                ids.push(ClickId {
                    param: param.to_owned(),
                    platform,
                    value: value.to_owned(),
                });
            }
        }
        ids
    }

    /// `url_conversion` with its click-id values replaced by [`REDACTED`], for logs.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// let n = Marketing::from_url("https://x.com.br/?utm_source=g&gclid=SECRET");
    /// assert_eq!(n.marketing.redacted_url().as_deref(), Some("https://x.com.br/?utm_source=g&gclid=REDACTED"));
    /// ```
    #[must_use]
    pub fn redacted_url(&self) -> Option<Cow<'_, str>> {
        self.url_conversion().map(redact_click_ids)
    }
}

/// Replaces the value of every click-id parameter of `url` (query and fragment) with
/// [`REDACTED`]. Borrows when there is nothing to redact. A double-encoded URL is returned
/// decoded once, since that is where its parameters are.
///
/// ```
/// use wegly_attribution::redact_click_ids;
/// assert_eq!(redact_click_ids("/p?FBCLID=abc&x=1#ttclid=t"), "/p?FBCLID=REDACTED&x=1#ttclid=REDACTED");
/// assert_eq!(redact_click_ids("/p?utm_source=a"), "/p?utm_source=a");
/// ```
#[must_use]
pub fn redact_click_ids(url: &str) -> Cow<'_, str> {
    let mut params = tracking_params(url);
    let ranges: Vec<Range<usize>> = params
        .by_ref()
        .filter(|param| param.platform().is_some())
        .map(|param| param.raw_value())
        .collect();
    if ranges.is_empty() {
        return Cow::Borrowed(url);
    }
    let source = params.source();
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    // OK to slice: the ranges come from the iterator, in order, next to ASCII separators.
    for range in ranges {
        out.push_str(source.get(copied..range.start).unwrap_or_default());
        out.push_str(REDACTED);
        copied = range.end;
    }
    out.push_str(source.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}
