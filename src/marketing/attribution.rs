//! The attribution view (`docs/rules.md` §2.5): which click ids a conversion carries, and a URL safe to log.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use super::extract::{TrackingParam, tracking_params};
use super::keys::Platform;
use super::model::{Click, Marketing, Redact, Span};

/// A click id found in the marketing data, with its ad platform.
///
/// Serializes as `{"param": "gclid", "platform": "google", "value": "…"}`.
///
/// ```
/// use wegly_attribution::Marketing;
/// let marketing = Marketing::from_url("https://x.com.br/lp?gclid=AbC");
/// let ids: Vec<_> = marketing.click_ids().collect();
/// assert_eq!(serde_json::to_string(&ids)?, r#"[{"param":"gclid","platform":"google","value":"AbC"}]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ClickId<'a> {
    /// The parameter name (`gclid`, `msclkid`, …), lowercase.
    pub param: &'static str,
    /// The ad platform the parameter belongs to.
    pub platform: Platform,
    /// The click id itself, case kept.
    pub value: &'a str,
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
    /// the other click ids are not sent to the API and are those of `url_conversion`, first
    /// occurrence winning. They were noted while the URL was read: this reads it no more.
    ///
    /// ```
    /// use wegly_attribution::{Marketing, Platform};
    /// let marketing = Marketing::from_url("https://x.com.br/?msclkid=M1&gclid=G1&msclkid=M2");
    /// let ids: Vec<_> = marketing.click_ids().collect();
    /// assert_eq!(ids.len(), 2);
    /// assert_eq!((ids[0].param, ids[0].platform), ("msclkid", Platform::Microsoft));
    /// assert_eq!(ids[1].value, "G1");
    /// ```
    pub fn click_ids(&self) -> impl Iterator<Item = ClickId<'_>> + '_ {
        let noted = self.clicks.iter().filter_map(|click| {
            let value = match click.value {
                Some(span) => self.value_text(span),
                // `gclid` / `fbclid`: the normalized field, absent when the value was dropped.
                None => self.get(click.param)?,
            };
            Some(ClickId {
                param: click.param,
                platform: click.platform,
                value,
            })
        });
        // `gclid` and `fbclid` sent as fields, not in the URL.
        let fields = [("gclid", Platform::Google), ("fbclid", Platform::Meta)]
            .into_iter()
            .filter_map(|(param, platform)| {
                let value = self.get(param)?;
                let in_url = self.clicks.iter().any(|click| click.param == param);
                (!in_url).then_some(ClickId {
                    param,
                    platform,
                    value,
                })
            });
        noted.chain(fields)
    }

    /// `url_conversion` with its click-id values replaced by [`REDACTED`], for logs.
    /// Borrows when there is nothing to redact.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// let marketing = Marketing::from_url("https://x.com.br/?utm_source=g&gclid=SECRET");
    /// assert_eq!(marketing.redacted_url().as_deref(), Some("https://x.com.br/?utm_source=g&gclid=REDACTED"));
    /// ```
    #[must_use]
    pub fn redacted_url(&self) -> Option<Cow<'_, str>> {
        let url = self.url_conversion()?;
        Some(match &self.redact {
            Redact::Nothing => Cow::Borrowed(url),
            &Redact::One(start, end) => Cow::Owned(replace_ranges(
                url,
                std::iter::once(start as usize..end as usize),
            )),
            Redact::Ranges(ranges) => Cow::Owned(replace_ranges(
                url,
                ranges
                    .iter()
                    .map(|&(start, end)| start as usize..end as usize),
            )),
            Redact::Rescan => redact_click_ids(url),
        })
    }

    /// Notes a click id of `url_conversion` (copied into the arena at `at`): the first
    /// occurrence of each parameter for [`Marketing::click_ids`], every one for redaction.
    pub(super) fn note_click(&mut self, param: &TrackingParam<'_>, at: Span, url: &str) {
        let Some(platform) = param.platform() else {
            return;
        };
        self.note_range(param);
        let Some(name) = known_click_param(param.key(), platform) else {
            return;
        };
        if self.clicks.contains(name) {
            return;
        }
        let value = if param.is_tracking_key() {
            None
        } else {
            let value = param.value();
            match Marketing::span_within(at, url, value) {
                Some(span) => Some(span),
                None => self.push_text(value),
            }
        };
        self.clicks.push(Click {
            param: name,
            platform,
            value,
        });
    }

    /// Notes where a click id's raw value is, for redaction. The first one is kept inline: a
    /// usual URL has one click id, and its redaction then allocates nothing.
    fn note_range(&mut self, param: &TrackingParam<'_>) {
        let range = param.raw_value();
        let (Ok(start), Ok(end)) = (u32::try_from(range.start), u32::try_from(range.end)) else {
            // Past 4 GiB: redaction reads the URL again rather than miss a value.
            self.redact = Redact::Rescan;
            return;
        };
        match &mut self.redact {
            Redact::Rescan => {}
            Redact::Nothing => self.redact = Redact::One(start, end),
            &mut Redact::One(first_start, first_end) => {
                // Room for four, as a first push would make: a URL rarely has more.
                let mut ranges = Vec::with_capacity(4);
                ranges.extend([(first_start, first_end), (start, end)]);
                self.redact = Redact::Ranges(ranges);
            }
            Redact::Ranges(ranges) => ranges.push((start, end)),
        }
    }

    /// A URL percent-encoded twice keeps its parameters in text that is not kept.
    pub(super) fn note_double_encoded(&mut self) {
        self.redact = Redact::Rescan;
    }

    /// Notes the click ids of `url_conversion`, at `at` in the arena: for an object read as it
    /// is (`Deserialize`), which no normalizer scanned.
    pub(super) fn record_clicks(&mut self, at: Span) {
        let url = self.value_text(at).to_owned();
        let params = tracking_params(&url);
        if params.double_encoded() {
            self.note_double_encoded();
        }
        for param in params {
            self.note_click(&param, at, &url);
        }
    }
}

/// The `'static` name of a click-id parameter of `platform`. The platform is compared first:
/// it rules out the other names without comparing their text.
fn known_click_param(key: &str, platform: Platform) -> Option<&'static str> {
    Platform::CLICK_PARAMS
        .iter()
        .find(|&&(param, of)| of == platform && param == key)
        .map(|(param, _)| *param)
}

/// `text` with each range (in order, not overlapping) replaced by [`REDACTED`].
fn replace_ranges(text: &str, ranges: impl Iterator<Item = Range<usize>>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    // OK to slice with `get`: the ranges come from the scanner, in order, next to ASCII
    // separators; a range that did not fit would be skipped, not panic.
    for range in ranges {
        out.push_str(text.get(copied..range.start).unwrap_or_default());
        out.push_str(REDACTED);
        copied = range.end;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
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
    Cow::Owned(replace_ranges(params.source(), ranges.into_iter()))
}
