//! The rules of SPEC 2.2, applied in order, with the repairs of SPEC 2.3.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::extract::{is_trimmed, tracking_params};
use super::keys::is_tracking_key;
use super::model::Marketing;
use crate::error::{Diagnostics, Rejected, Warning, WarningCode, excerpt, json_type};
use crate::{Catalog, LeadSource, Lookup, NoCatalog};

/// The default limit on a tracking value, in characters (SPEC 2.3).
///
/// ```
/// use wegly_attribution::{DEFAULT_MAX_VALUE_CHARS, Marketing, WarningCode};
/// let at_limit = "a".repeat(DEFAULT_MAX_VALUE_CHARS);
/// assert!(Marketing::from_url(&format!("/lp?utm_content={at_limit}")).warnings.is_empty());
/// let over = Marketing::from_url(&format!("/lp?utm_content={at_limit}a"));
/// assert_eq!(over.warnings[0].code, WarningCode::ValueTooLong);
/// ```
pub const DEFAULT_MAX_VALUE_CHARS: usize = 1000;

/// Normalizes marketing data and validates create-deal payloads, with options and a catalog.
///
/// `Normalizer::new()` uses the defaults: values up to 1000 characters and no catalog. The
/// convenience functions ([`Marketing::from_url`], [`CreateDealRequest::from_json`], …) use a
/// default `Normalizer`.
///
/// [`CreateDealRequest::from_json`]: crate::CreateDealRequest::from_json
///
/// ```
/// use wegly_attribution::{Normalizer, WarningCode};
///
/// let normalizer = Normalizer::new().max_value_chars(5);
/// let n = normalizer.normalize_url("/?utm_source=newsletter&utm_medium=email");
/// assert_eq!(n.marketing.get("utm_source"), None);
/// assert_eq!(n.marketing.get("utm_medium"), Some("email"));
/// assert_eq!(n.warnings[0].code, WarningCode::ValueTooLong);
/// ```
#[derive(Clone, Copy)]
pub struct Normalizer<'c> {
    max_value_chars: usize,
    catalog: &'c (dyn Catalog + Sync),
}

impl std::fmt::Debug for Normalizer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normalizer")
            .field("max_value_chars", &self.max_value_chars)
            .finish_non_exhaustive()
    }
}

impl Default for Normalizer<'static> {
    fn default() -> Self {
        Self::new()
    }
}

impl Normalizer<'static> {
    /// A normalizer with the default limit and no catalog.
    ///
    /// ```
    /// use wegly_attribution::{Marketing, Normalizer};
    /// let url = "https://x.com.br/lp?utm_source=google";
    /// let n = Normalizer::new().normalize_url(url);
    /// assert_eq!(n.marketing.get("wegly_source"), Some("google"));
    /// assert_eq!(n, Marketing::from_url(url));
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Normalizer {
            max_value_chars: DEFAULT_MAX_VALUE_CHARS,
            catalog: &NoCatalog,
        }
    }
}

impl<'c> Normalizer<'c> {
    /// Sets the longest tracking value used, in characters (Unicode scalar values). Longer
    /// values are dropped with warning `value_too_long`. `url_conversion` has no limit.
    ///
    /// ```
    /// use wegly_attribution::Normalizer;
    /// let n = Normalizer::new().max_value_chars(8).normalize_url("/lp?utm_campaign=promoção&utm_term=black+friday");
    /// assert_eq!(n.marketing.get("utm_campaign"), Some("promoção")); // 8 characters, 10 bytes
    /// assert_eq!(n.marketing.get("utm_term"), None); // 12 characters
    /// ```
    #[must_use]
    pub const fn max_value_chars(mut self, max: usize) -> Self {
        self.max_value_chars = max;
        self
    }

    /// Plugs in the gateway's lookups (tags, pipelines, trackers). The catalog is `Sync` so
    /// that a `Normalizer` can be shared across threads, like every type of the crate.
    ///
    /// ```
    /// use wegly_attribution::{Catalog, LeadSource, Lookup, Normalizer};
    ///
    /// struct Trackers;
    ///
    /// impl Catalog for Trackers {
    ///     fn tracker_lead_source(&self, wegly_code: &str) -> Lookup<LeadSource> {
    ///         match wegly_code {
    ///             "OPP123" => Lookup::Found(LeadSource::Named("Evento".into())),
    ///             _ => Lookup::NotFound,
    ///         }
    ///     }
    /// }
    ///
    /// let n = Normalizer::new().catalog(&Trackers).normalize_url("/lp?wegly_code=OPP123");
    /// assert_eq!(n.lead_source, Some(LeadSource::Named("Evento".into())));
    /// ```
    #[must_use]
    pub fn catalog<'d>(self, catalog: &'d (dyn Catalog + Sync)) -> Normalizer<'d> {
        Normalizer {
            max_value_chars: self.max_value_chars,
            catalog,
        }
    }

    /// The catalog in use.
    pub(crate) fn catalog_ref(&self) -> &'c (dyn Catalog + Sync) {
        self.catalog
    }

    /// Normalizes a `marketing` object (SPEC 2). Paths in warnings and errors are relative to
    /// the object.
    ///
    /// # Errors
    ///
    /// [`Rejected`] when `marketing` is not an object or a tracking key holds something other
    /// than a string (or `null`, which counts as not sent). All other anomalies are repaired
    /// and reported as warnings.
    ///
    /// ```
    /// use wegly_attribution::Normalizer;
    ///
    /// let marketing = serde_json::json!({
    ///     "utm_source": "  Google ",
    ///     "url_conversion": "https://x.com.br/?utm_source=bing&gclid=AbC",
    /// });
    /// let n = Normalizer::new().normalize(&marketing)?;
    /// assert_eq!(n.marketing.get("utm_source"), Some("Google")); // explicit wins
    /// assert_eq!(n.marketing.get("gclid"), Some("AbC"));
    /// assert!(n.warnings.is_empty());
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn normalize(&self, marketing: &Value) -> Result<Normalized, Rejected> {
        self.normalize_with_lead_source(marketing, None)
    }

    /// Like [`normalize`](Self::normalize), for a payload that sent `lead_source`: rule 5 then
    /// compares it with the tracker's instead of filling it.
    ///
    /// # Errors
    ///
    /// As [`normalize`](Self::normalize).
    ///
    /// ```
    /// use wegly_attribution::{Catalog, LeadSource, Lookup, Normalizer, WarningCode};
    ///
    /// struct Trackers;
    ///
    /// impl Catalog for Trackers {
    ///     fn tracker_lead_source(&self, wegly_code: &str) -> Lookup<LeadSource> {
    ///         match wegly_code {
    ///             "OPP123" => Lookup::Found(LeadSource::Named("Evento".into())),
    ///             _ => Lookup::NotFound,
    ///         }
    ///     }
    /// }
    ///
    /// let sent = LeadSource::Named("Indicação".into());
    /// let marketing = serde_json::json!({"wegly_code": "OPP123"});
    /// let n = Normalizer::new().catalog(&Trackers).normalize_with_lead_source(&marketing, Some(&sent))?;
    /// assert_eq!(n.lead_source, None); // the sent one is kept
    /// assert_eq!((n.warnings[0].code, n.warnings[0].path.as_str()), (WarningCode::LeadSourceConflict, "/lead_source/name"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn normalize_with_lead_source(
        &self,
        marketing: &Value,
        sent: Option<&LeadSource>,
    ) -> Result<Normalized, Rejected> {
        let mut diagnostics = Diagnostics::new();
        let normalized = self.normalize_value(marketing, sent, &mut diagnostics);
        match normalized {
            Some((marketing, lead_source)) if !diagnostics.has_errors() => Ok(Normalized {
                marketing,
                warnings: diagnostics.warnings,
                lead_source,
            }),
            _ => Err(Rejected {
                errors: diagnostics.errors,
                warnings: diagnostics.warnings,
            }),
        }
    }

    /// Normalizes `{"url_conversion": url}`: what the `extract` command prints.
    ///
    /// ```
    /// use wegly_attribution::Normalizer;
    /// let n = Normalizer::new().normalize_url("landing.x.com.br/obrigado?UTM_Source=Google&gclid=AbC");
    /// assert_eq!(n.marketing.get("wegly_source"), Some("Google"));
    /// assert_eq!(n.marketing.get("gclid"), Some("AbC"));
    /// ```
    #[must_use]
    pub fn normalize_url(&self, url: &str) -> Normalized {
        let mut diagnostics = Diagnostics::new();
        let mut fields = BTreeMap::new();
        let url = url.trim_matches(is_trimmed);
        if !url.is_empty() {
            fields.insert("url_conversion".to_owned(), url.to_owned());
        }
        let lead_source = self.apply_rules(&mut fields, None, &mut diagnostics);
        Normalized {
            marketing: Marketing { fields },
            warnings: diagnostics.warnings,
            lead_source,
        }
    }

    /// The engine, run at the current path of `diagnostics`; `None` when `value` is not an
    /// object.
    pub(crate) fn normalize_value<'v>(
        &self,
        value: &'v Value,
        sent: Option<&LeadSource>,
        diagnostics: &mut Diagnostics<'v>,
    ) -> Option<(Marketing, Option<LeadSource>)> {
        let Value::Object(map) = value else {
            diagnostics.invalid_type("an object", json_type(value));
            return None;
        };
        let entries = map.iter().map(|(key, value)| {
            let value = match value {
                Value::String(text) => Explicit::Str(text),
                Value::Null => Explicit::Null,
                other => Explicit::Other(json_type(other)),
            };
            (key.as_str(), value)
        });
        Some(self.normalize_entries(entries, sent, diagnostics))
    }

    /// The engine on the members of an explicit object, at the current path of `diagnostics`.
    pub(crate) fn normalize_entries<'v>(
        &self,
        entries: impl Iterator<Item = (&'v str, Explicit<'v>)>,
        sent: Option<&LeadSource>,
        diagnostics: &mut Diagnostics<'v>,
    ) -> (Marketing, Option<LeadSource>) {
        let mut fields = BTreeMap::new();
        self.read_explicit(entries, &mut fields, diagnostics);
        let lead_source = self.apply_rules(&mut fields, sent, diagnostics);
        (Marketing { fields }, lead_source)
    }

    /// Rule 1 on the explicit object: keep tracking keys, trimmed, non-empty, within the limit.
    fn read_explicit<'v>(
        &self,
        entries: impl Iterator<Item = (&'v str, Explicit<'v>)>,
        fields: &mut BTreeMap<String, String>,
        diagnostics: &mut Diagnostics<'v>,
    ) {
        for (key, value) in entries {
            diagnostics.at(key, |d| {
                if !is_tracking_key(key) {
                    d.warn(
                        WarningCode::IgnoredField,
                        format!("`{}` is not a tracking key; dropped", excerpt(key)),
                    );
                    return;
                }
                let text = match value {
                    Explicit::Str(text) => text.trim_matches(is_trimmed),
                    // `null` is how many form builders say "not filled in".
                    Explicit::Null => return,
                    Explicit::Other(found) => return d.invalid_type("a string", found),
                };
                if text.is_empty() {
                    return;
                }
                if key != "url_conversion" && self.too_long(text) {
                    d.warn(
                        WarningCode::ValueTooLong,
                        self.too_long_message(key, text, "sent"),
                    );
                    return;
                }
                fields.insert(key.to_owned(), text.to_owned());
            });
        }
    }

    /// Rules 2 to 5 on the explicit fields.
    fn apply_rules(
        &self,
        fields: &mut BTreeMap<String, String>,
        sent: Option<&LeadSource>,
        diagnostics: &mut Diagnostics,
    ) -> Option<LeadSource> {
        // The URL is taken out while its values go in, and put back: no copy of it is made.
        if let Some((key, url)) = fields.remove_entry("url_conversion") {
            diagnostics.at("url_conversion", |d| self.extract(&url, fields, d));
            fields.insert(key, url);
        }
        map_utm_to_wegly(fields);
        if let Some(term) = fields.get("utm_term")
            && !fields.contains_key("utm_search_term")
        {
            let term = term.clone();
            fields.insert("utm_search_term".to_owned(), term);
        }
        self.tracker(fields, sent, diagnostics)
    }

    /// Rule 2 with the repairs of SPEC 2.3: fills `fields` (the explicit values) from `url`,
    /// first occurrence first.
    fn extract(&self, url: &str, fields: &mut BTreeMap<String, String>, d: &mut Diagnostics) {
        // The keys this URL filled: any other key in `fields` was sent explicitly.
        let mut filled: BTreeSet<Cow<'_, str>> = BTreeSet::new();
        let params = tracking_params(url);
        let double_encoded = params.double_encoded();
        let mut touched = false;
        for param in params {
            let key = param.key();
            if !param.is_tracking_key() || key == "url_conversion" {
                continue;
            }
            if let Some(first) = fields.get(key) {
                if filled.contains(key) && first != param.value() {
                    touched = true;
                    d.warn(
                        WarningCode::DuplicateParam,
                        format!(
                            "`{key}` appears again with `{}`; the first value `{}` is kept",
                            excerpt(param.value()),
                            excerpt(first),
                        ),
                    );
                }
                continue;
            }
            touched = true;
            if self.too_long(param.value()) {
                d.warn(
                    WarningCode::ValueTooLong,
                    self.too_long_message(key, param.value(), "in the URL"),
                );
                continue;
            }
            warn_repairs(&param, d);
            let (key, value) = param.into_key_value();
            fields.insert(key.as_ref().to_owned(), value.into_owned());
            filled.insert(key);
        }
        if double_encoded && touched {
            d.warn(
                WarningCode::DoubleEncodedUrl,
                "the URL was percent-encoded twice; parameters were read after decoding it once",
            );
        }
    }

    /// Rule 5: the tracker's lead source.
    fn tracker(
        &self,
        fields: &BTreeMap<String, String>,
        sent: Option<&LeadSource>,
        diagnostics: &mut Diagnostics,
    ) -> Option<LeadSource> {
        let code = fields.get("wegly_code")?;
        match self.catalog.tracker_lead_source(code) {
            Lookup::Unchecked => None,
            Lookup::NotFound => {
                diagnostics.at("wegly_code", |d| {
                    d.warn(
                        WarningCode::UnknownTracker,
                        format!("no tracker has the code `{}`", excerpt(code)),
                    );
                });
                None
            }
            Lookup::Found(tracked) => match sent {
                None => Some(tracked),
                Some(sent) if *sent == tracked => None,
                Some(sent) => {
                    diagnostics.warnings.push(Warning {
                        code: WarningCode::LeadSourceConflict,
                        message: format!(
                            "the tracker `{}` carries {tracked}; the sent {sent} is kept",
                            excerpt(code)
                        ),
                        path: sent.pointer().to_owned(),
                    });
                    None
                }
            },
        }
    }

    fn too_long(&self, value: &str) -> bool {
        // Counting characters is only needed when the byte length could exceed the limit.
        value.len() > self.max_value_chars && value.chars().count() > self.max_value_chars
    }

    #[cold]
    fn too_long_message(&self, key: &str, value: &str, whence: &str) -> String {
        format!(
            "the value of `{key}` {whence} has {} characters, over the limit of {}; not used",
            value.chars().count(),
            self.max_value_chars
        )
    }
}

/// One warning for each repair a used value needed (SPEC 2.3).
fn warn_repairs(param: &super::TrackingParam<'_>, d: &mut Diagnostics) {
    let repairs = param.repairs();
    if repairs.is_empty() && param.location() == super::Location::Query {
        return;
    }
    let key = param.key();
    if param.location() == super::Location::Fragment {
        d.warn(
            WarningCode::ParamInFragment,
            format!("`{key}` was taken from the URL fragment"),
        );
    }
    if repairs.html_escaped_separator() {
        d.warn(
            WarningCode::HtmlEscapedSeparator,
            format!("`{key}` followed an HTML-escaped separator `&amp;`"),
        );
    }
    if repairs.invalid_percent_encoding() {
        d.warn(
            WarningCode::InvalidPercentEncoding,
            format!("the value of `{key}` has a `%` that starts no escape; kept literally"),
        );
    }
    if repairs.invalid_utf8() {
        d.warn(
            WarningCode::InvalidUtf8,
            format!("the value of `{key}` decodes to invalid UTF-8; replaced with U+FFFD"),
        );
    }
}

/// Rule 3: `utm_X` fills an absent `wegly_X`, except `utm_term` and `utm_search_term`.
fn map_utm_to_wegly(fields: &mut BTreeMap<String, String>) {
    let twins: Vec<(String, String)> = fields
        .range::<str, _>((
            std::ops::Bound::Included("utm_"),
            std::ops::Bound::Unbounded,
        ))
        .take_while(|(key, _)| key.starts_with("utm_"))
        .filter_map(|(key, value)| {
            let suffix = key.strip_prefix("utm_")?;
            if matches!(suffix, "term" | "search_term") {
                return None;
            }
            let mut twin = String::with_capacity("wegly_".len() + suffix.len());
            twin.push_str("wegly_");
            twin.push_str(suffix);
            (!fields.contains_key(&twin)).then(|| (twin, value.clone()))
        })
        .collect();
    fields.extend(twins);
}

/// A member of an explicit `marketing` object, as the engine reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Explicit<'v> {
    Str(&'v str),
    Null,
    /// Another JSON type, named as messages name it.
    Other(&'static str),
}

/// The result of normalizing marketing data.
///
/// ```
/// use wegly_attribution::{Marketing, WarningCode};
/// let n = Marketing::from_url("https://x.com.br/lp#utm_source=instagram");
/// assert_eq!(n.marketing.get("utm_source"), Some("instagram"));
/// assert_eq!(n.warnings[0].code, WarningCode::ParamInFragment);
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

impl Marketing {
    /// Normalizes `{"url_conversion": url}` with the default [`Normalizer`].
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    ///
    /// let url = "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ";
    /// let n = Marketing::from_url(url);
    /// let keys: Vec<&str> = n.marketing.iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["gclid", "url_conversion", "utm_campaign", "wegly_campaign", "wegly_code"]);
    /// ```
    #[must_use]
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
    /// use wegly_attribution::{ErrorCode, Marketing};
    /// let rejected = Marketing::normalize(&serde_json::json!({"utm_source": 42})).unwrap_err();
    /// assert_eq!(rejected.errors[0].code, ErrorCode::InvalidType);
    /// assert_eq!(rejected.errors[0].path, "/utm_source");
    /// ```
    pub fn normalize(marketing: &Value) -> Result<Normalized, Rejected> {
        Normalizer::new().normalize(marketing)
    }
}
