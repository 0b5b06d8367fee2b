//! The rules of `docs/rules.md` §2.2, applied in order, with the repairs of `docs/rules.md` §2.3.

use std::sync::Arc;

use serde_json::Value;

use super::extract::trim_str;
use super::keys::is_tracking_key;
use super::model::{
    Bits, COMMON_KEYS, Marketing, Span, URL_CONVERSION, UTM_SEARCH_TERM, UTM_TERM, WEGLY_CODE,
    WITH_TWIN, common_bit, common_twin,
};
use super::normalized::Normalized;
use crate::error::{
    DEFAULT_MAX_REPORTS, Diagnostics, DropWarnings, Rejected, WarningCode, WarningSink, excerpt,
    json_type,
};
use crate::{Catalog, LeadSource, Lookup, NoCatalog};

mod url;

/// The default limit on a tracking value, in characters (`docs/rules.md` §2.3).
///
/// ```
/// use wegly_attribution::{DEFAULT_MAX_VALUE_CHARS, Normalized, WarningCode};
/// let at_limit = "a".repeat(DEFAULT_MAX_VALUE_CHARS);
/// assert!(Normalized::from_url(&format!("/lp?utm_content={at_limit}")).warnings.is_empty());
/// let over = Normalized::from_url(&format!("/lp?utm_content={at_limit}a"));
/// assert_eq!(over.warnings[0].code(), WarningCode::ValueTooLong);
/// ```
pub const DEFAULT_MAX_VALUE_CHARS: usize = 1000;

/// Normalizes marketing data and validates create-deal payloads, with options and a catalog.
///
/// `Normalizer::new()` uses the defaults: values up to 1000 characters, at most 100 errors and
/// 100 warnings per payload, and no catalog. The convenience functions
/// ([`Marketing::from_url`], [`CreateDealRequest::from_json`], …) use a default `Normalizer`.
/// It owns its catalog (behind an [`Arc`]), so it is cheap to clone, `Send + Sync + 'static`,
/// and can live in a server's state.
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
/// assert_eq!(n.warnings[0].code(), WarningCode::ValueTooLong);
/// ```
#[derive(Clone)]
pub struct Normalizer {
    max_value_chars: usize,
    max_errors: usize,
    max_warnings: usize,
    catalog: Option<Arc<dyn Catalog>>,
}

impl std::fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normalizer")
            .field("max_value_chars", &self.max_value_chars)
            .field("max_errors", &self.max_errors)
            .field("max_warnings", &self.max_warnings)
            .field("catalog", &self.catalog.is_some())
            .finish()
    }
}

impl Default for Normalizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Normalizer {
    /// A normalizer with the default limits and no catalog.
    ///
    /// ```
    /// use wegly_attribution::{Normalized, Normalizer};
    /// let url = "https://x.com.br/lp?utm_source=google";
    /// let n = Normalizer::new().normalize_url(url);
    /// assert_eq!(n.marketing.get("wegly_source"), Some("google"));
    /// assert_eq!(n, Normalized::from_url(url));
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Normalizer {
            max_value_chars: DEFAULT_MAX_VALUE_CHARS,
            max_errors: DEFAULT_MAX_REPORTS,
            max_warnings: DEFAULT_MAX_REPORTS,
            catalog: None,
        }
    }

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

    /// Sets how many errors one payload reports (default 100, `docs/rules.md` §3.1); past it, a
    /// single `too_many_errors` error at path `""` gives the count of the others.
    ///
    /// ```
    /// use wegly_attribution::{ErrorCode, Normalizer};
    /// let json = br#"{"title": "", "visibility": 9, "temperature": 9}"#;
    /// let rejected = Normalizer::new().max_errors(1).create_deal(json).unwrap_err();
    /// assert_eq!(rejected.errors.len(), 2);
    /// assert_eq!(rejected.errors[1].code(), ErrorCode::TooManyErrors);
    /// assert_eq!(rejected.errors[1].message(), "2 more errors were found and not reported");
    /// ```
    #[must_use]
    pub const fn max_errors(mut self, max: usize) -> Self {
        self.max_errors = max;
        self
    }

    /// Sets how many warnings one payload or URL reports (default 100, `docs/rules.md` §3.1); past
    /// it, a single `too_many_warnings` warning gives the count of the others.
    ///
    /// ```
    /// use wegly_attribution::{Normalizer, WarningCode};
    /// let n = Normalizer::new().max_warnings(1).normalize_url("/lp#utm_source=a&utm_medium=b");
    /// assert_eq!(n.warnings.len(), 2);
    /// assert_eq!(n.warnings[1].code(), WarningCode::TooManyWarnings);
    /// ```
    #[must_use]
    pub const fn max_warnings(mut self, max: usize) -> Self {
        self.max_warnings = max;
        self
    }

    /// Plugs in the gateway's lookups (tags, pipelines, trackers). The normalizer owns the
    /// catalog, so it can be stored in a server's state and shared across threads; an
    /// `Arc<dyn Catalog>` already shared (a cache the gateway also refreshes) is a catalog too.
    /// This is the one way to validate with a catalog.
    ///
    /// ```
    /// use wegly_attribution::{Catalog, LeadSource, Lookup, Normalizer};
    ///
    /// struct Trackers;
    ///
    /// impl Catalog for Trackers {
    ///     fn tracker(&self, wegly_code: &str) -> Lookup<LeadSource> {
    ///         match wegly_code {
    ///             "OPP123" => Lookup::Found(LeadSource::Named("Evento".into())),
    ///             _ => Lookup::NotFound,
    ///         }
    ///     }
    /// }
    ///
    /// let n = Normalizer::new().catalog(Trackers).normalize_url("/lp?wegly_code=OPP123");
    /// assert_eq!(n.lead_source, Some(LeadSource::Named("Evento".into())));
    /// ```
    #[must_use]
    pub fn catalog(mut self, catalog: impl Catalog + 'static) -> Self {
        self.catalog = Some(Arc::new(catalog));
        self
    }

    /// The catalog in use.
    pub(crate) fn catalog_ref(&self) -> &dyn Catalog {
        match &self.catalog {
            Some(catalog) => &**catalog,
            None => &NoCatalog,
        }
    }

    /// A fresh report sink with this normalizer's limits.
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        Diagnostics::with_limits(self.max_errors, self.max_warnings)
    }

    /// Normalizes a `marketing` object (`docs/rules.md` §2). Paths in warnings and errors are
    /// relative to the object. A `Value` has already merged repeated members (the last wins), so
    /// this gives the request [`CreateDealRequest::from_json`](crate::CreateDealRequest::from_json)
    /// gives, without its `duplicate_member` warnings.
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
    ///     fn tracker(&self, wegly_code: &str) -> Lookup<LeadSource> {
    ///         match wegly_code {
    ///             "OPP123" => Lookup::Found(LeadSource::Named("Evento".into())),
    ///             _ => Lookup::NotFound,
    ///         }
    ///     }
    /// }
    ///
    /// let sent = LeadSource::Named("Indicação".into());
    /// let marketing = serde_json::json!({"wegly_code": "OPP123"});
    /// let n = Normalizer::new().catalog(Trackers).normalize_with_lead_source(&marketing, Some(&sent))?;
    /// assert_eq!(n.lead_source, None); // the sent one is kept
    /// assert_eq!(n.warnings[0].code(), WarningCode::LeadSourceConflict);
    /// assert_eq!(n.warnings[0].path(), "/lead_source/name");
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn normalize_with_lead_source(
        &self,
        marketing: &Value,
        sent: Option<&LeadSource>,
    ) -> Result<Normalized, Rejected> {
        let mut d = self.diagnostics();
        let normalized = match marketing {
            Value::Object(map) => {
                let members = map.iter().map(|(key, value)| (key.as_str(), value));
                Some(self.marketing(self.catalog_ref(), members, sent, &mut d))
            }
            other => {
                d.invalid_type("an object", json_type(other));
                None
            }
        };
        match normalized {
            Some((marketing, lead_source)) if !d.has_errors() => Ok(Normalized {
                marketing,
                warnings: d.into_warnings(),
                lead_source,
            }),
            _ => {
                let (errors, warnings) = d.finish(|_| 0);
                Err(Rejected { errors, warnings })
            }
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
    #[inline]
    pub fn normalize_url(&self, url: &str) -> Normalized {
        // Room for the URL at once: `normalize_url_into` then finds it.
        // Made in place, then filled: the object is not moved (it holds its entries inline).
        let mut normalized = Normalized {
            marketing: Marketing::with_capacity(url.len()),
            warnings: Vec::new(),
            lead_source: None,
        };
        let mut d = self.diagnostics();
        normalized.lead_source = self.normalize_url_into(url, &mut normalized.marketing, &mut d);
        normalized.warnings = d.take_warnings();
        normalized
    }

    /// [`normalize_url`](Self::normalize_url)'s object alone: no warning is made, nor the
    /// tracker's lead source looked up, and the object is written where the caller keeps it.
    #[inline]
    pub(crate) fn url_marketing(&self, url: &str) -> Marketing {
        let mut work = Marketing::for_url(url.len());
        let mut common = Commons::new();
        let found = url_found(url, &mut work, &mut common);
        self.url_and_twins(&mut work, &mut common, found, &mut DropWarnings);
        work.finish_with_common(common.set, &common.values)
    }

    /// [`url_marketing`](Self::url_marketing) into `marketing`, which it empties first and
    /// whose allocations it reuses: for the Arrow kernel without its `warnings` column.
    #[cfg(feature = "arrow")]
    pub(crate) fn url_marketing_into(&self, url: &str, marketing: &mut Marketing) {
        marketing.clear_for_url(url.len());
        let mut common = Commons::new();
        let found = url_found(url, marketing, &mut common);
        self.url_and_twins(marketing, &mut common, found, &mut DropWarnings);
        marketing.put_common(common.set, &common.values);
    }

    /// [`normalize_url`](Self::normalize_url) into `marketing`, which it empties first and
    /// whose allocations it reuses, reporting into `d`: for a loop over many URLs (the Arrow
    /// kernel), which then allocates per URL only what it keeps (warnings, decoded values).
    pub(crate) fn normalize_url_into(
        &self,
        url: &str,
        marketing: &mut Marketing,
        d: &mut Diagnostics,
    ) -> Option<LeadSource> {
        marketing.clear_for_url(url.len());
        let mut common = Commons::new();
        let found = url_found(url, marketing, &mut common);
        self.apply_rules(self.catalog_ref(), marketing, &mut common, found, None, d)
    }

    /// The engine, on the members of an explicit object (each key once), at the current path
    /// of `d`. Every entry point comes here: bytes, a `Value`, the builder.
    pub(crate) fn marketing<'m, V: MemberValue + 'm>(
        &self,
        catalog: &dyn Catalog,
        members: impl Iterator<Item = (&'m str, &'m V)> + Clone,
        sent: Option<&LeadSource>,
        d: &mut Diagnostics,
    ) -> (Marketing, Option<LeadSource>) {
        let mut marketing = Marketing::default();
        marketing.reserve_for(members.clone());
        let url = self.read_explicit(members, &mut marketing, d);
        // The common keys into their table first: only the others (usually none) are sorted.
        let mut common = Commons::new();
        common.set = marketing.take_common(&mut common.values);
        marketing.sort();
        let lead_source = self.apply_rules(catalog, &mut marketing, &mut common, url, sent, d);
        (marketing, lead_source)
    }

    /// Rule 1 on the explicit object: keep tracking keys, trimmed, non-empty, within the limit.
    /// Returns `url_conversion` and where its copy is.
    fn read_explicit<'m, V: MemberValue + 'm>(
        &self,
        members: impl Iterator<Item = (&'m str, &'m V)>,
        marketing: &mut Marketing,
        d: &mut Diagnostics,
    ) -> Option<(&'m str, Span)> {
        let mut url = None;
        for (key, value) in members {
            d.at(key, |d| {
                if !is_tracking_key(key) {
                    return d.warn(
                        WarningCode::IgnoredField,
                        format_args!("`{}` is not a tracking key; dropped", excerpt(key)),
                    );
                }
                let text = match value.as_text() {
                    Ok(Some(text)) => trim_str(text),
                    Ok(None) => return,
                    Err(found) => return d.invalid_type("a string", found),
                };
                if text.is_empty() {
                    return;
                }
                let is_url = key == "url_conversion";
                if !is_url && self.too_long(text) {
                    return d.warn(
                        WarningCode::ValueTooLong,
                        self.too_long_message(key, text, "sent"),
                    );
                }
                if let (Some(key), Some(at)) = (marketing.key_for(key), marketing.push_text(text)) {
                    marketing.push(key, at);
                    if is_url {
                        url = Some((text, at));
                    }
                }
            });
        }
        url
    }

    /// Rules 2 to 5 on the explicit fields: their common keys in `common`, the others in
    /// `marketing`, sorted.
    fn apply_rules(
        &self,
        catalog: &dyn Catalog,
        marketing: &mut Marketing,
        common: &mut Commons,
        url: Option<(&str, Span)>,
        sent: Option<&LeadSource>,
        d: &mut Diagnostics,
    ) -> Option<LeadSource> {
        self.url_and_twins(marketing, common, url, d);
        marketing.put_common(common.set, &common.values);
        let code = common.get(WEGLY_CODE)?;
        tracker(catalog, marketing.value_text(code), sent, d)
    }

    /// Rules 2 to 4: the URL's pairs, `utm_term`, the twins. The common keys stay in `common`
    /// (rule 5 and the caller read them there); the others are in `marketing`.
    fn url_and_twins<W: WarningSink>(
        &self,
        marketing: &mut Marketing,
        common: &mut Commons,
        url: Option<(&str, Span)>,
        w: &mut W,
    ) {
        // The common keys wait in a table, by index, while the rules run: each lookup is an
        // index, and they go back in order at the end without a sort. The other entries
        // (sorted, those sent) stay; those a URL adds come after them, and are sorted with
        // them once, at the end, unless they are many.
        let mut sorted = marketing.len();
        if let Some((url, at)) = url {
            let sent = common.set;
            w.at_leaf("url_conversion", |w| {
                self.extract(marketing, common, url, at, sent, w);
            });
            if marketing.len() - sorted > FEW {
                marketing.sort();
                sorted = marketing.len();
            }
        }
        common.map_term_to_search_term();
        map_utm_to_wegly(marketing, common, sorted);
    }

    fn too_long(&self, value: &str) -> bool {
        // Counting characters is only needed when the byte length could exceed the limit.
        value.len() > self.max_value_chars && value.chars().count() > self.max_value_chars
    }

    /// The message of a value over the limit; its characters are counted again only here,
    /// for a report that is kept.
    #[cold]
    fn too_long_message<'a>(
        &self,
        key: &'a str,
        value: &'a str,
        whence: &'a str,
    ) -> impl std::fmt::Display + 'a {
        let max = self.max_value_chars;
        TooLong {
            key,
            value,
            whence,
            max,
        }
    }
}

/// A value over the limit, in a message.
struct TooLong<'a> {
    key: &'a str,
    value: &'a str,
    whence: &'a str,
    max: usize,
}

impl std::fmt::Display for TooLong<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the value of `{}` {} has {} characters, over the limit of {}; not used",
            excerpt(self.key),
            self.whence,
            self.value.chars().count(),
            self.max,
        )
    }
}

/// The common keys present while the rules run, by index (`docs/rules.md` §2.2).
struct Commons {
    /// The keys present ([`common_bit`]).
    set: u32,
    /// The value of each key present.
    values: [Span; COMMON_KEYS],
}

impl Commons {
    fn new() -> Self {
        Commons {
            set: 0,
            values: [Span::EMPTY; COMMON_KEYS],
        }
    }

    fn get(&self, index: u8) -> Option<Span> {
        if self.set & common_bit(index) == 0 {
            return None;
        }
        self.values.get(usize::from(index)).copied()
    }

    fn put(&mut self, index: u8, value: Span) {
        if let Some(slot) = self.values.get_mut(usize::from(index)) {
            *slot = value;
            self.set |= common_bit(index);
        }
    }

    /// Rule 4: `utm_term` fills an absent `utm_search_term`.
    fn map_term_to_search_term(&mut self) {
        if self.set & common_bit(UTM_SEARCH_TERM) == 0
            && let Some(term) = self.get(UTM_TERM)
        {
            self.put(UTM_SEARCH_TERM, term);
        }
    }
}

/// `url_conversion` alone, trimmed, copied into the arena of an empty `marketing` and noted in
/// `common`: the URL and where its copy is, for rule 2; `None` when it is blank.
fn url_found<'u>(
    url: &'u str,
    marketing: &mut Marketing,
    common: &mut Commons,
) -> Option<(&'u str, Span)> {
    let url = trim_str(url);
    if url.is_empty() {
        return None;
    }
    let at = marketing.push_text(url)?;
    common.put(URL_CONVERSION, at);
    Some((url, at))
}

/// Rule 5: the lead source of the tracker `code`. A catalog answer is checked like sent
/// input (`docs/rules.md` §3.1).
fn tracker(
    catalog: &dyn Catalog,
    code: &str,
    sent: Option<&LeadSource>,
    d: &mut Diagnostics,
) -> Option<LeadSource> {
    let tracked = match catalog.tracker(code) {
        Lookup::Unchecked => return None,
        Lookup::NotFound => {
            d.at_name("wegly_code", |d| {
                d.warn(
                    WarningCode::UnknownTracker,
                    format_args!("no tracker has the code `{}`", excerpt(code)),
                );
            });
            return None;
        }
        Lookup::Found(LeadSource::Named(name)) => {
            let trimmed = trim_str(&name);
            if trimmed.is_empty() {
                d.at_name("wegly_code", |d| {
                    d.warn(
                        WarningCode::InvalidCatalogAnswer,
                        format_args!(
                            "the catalog gives the tracker `{}` a blank lead source; ignored",
                            excerpt(code)
                        ),
                    );
                });
                return None;
            }
            if trimmed.len() == name.len() {
                LeadSource::Named(name)
            } else {
                LeadSource::Named(trimmed.to_owned())
            }
        }
        Lookup::Found(tracked) => tracked,
    };
    match sent {
        None => Some(tracked),
        Some(sent) if *sent == tracked => None,
        Some(sent) => {
            d.warn_at(
                sent.pointer(),
                WarningCode::LeadSourceConflict,
                format_args!(
                    "the tracker `{}` carries {tracked}; the sent {sent} is kept",
                    excerpt(code)
                ),
            );
            None
        }
    }
}

/// Up to this many entries are searched one by one; past it, through a hash map or a sort.
pub(super) const FEW: usize = 16;

/// Rule 3: `utm_X` fills an absent `wegly_X`, except `utm_term` and `utm_search_term`. The
/// common keys are in `common`; the other entries `0..sorted` are sorted, the few after them
/// are not. Twins are added at the end, and only the entries before them are searched: a twin
/// never has a twin.
fn map_utm_to_wegly(marketing: &mut Marketing, common: &mut Commons, sorted: usize) {
    // A common key's twin is common too, and found by index.
    for index in Bits(common.set & WITH_TWIN) {
        if let Some(twin) = common_twin(index)
            && let Some(value) = common.get(index)
            && common.set & common_bit(twin) == 0
        {
            common.put(twin, value);
        }
    }
    let end = marketing.len();
    for i in 0..end {
        let Some(&entry) = marketing.entries().get(i) else {
            break;
        };
        // A key of the arena is not a common one, so it is neither `utm_term` nor
        // `utm_search_term`; its twin may be common (`utm_code` fills `wegly_code`).
        let Some(suffix) = marketing.key_text(entry.key).strip_prefix("utm_") else {
            continue;
        };
        if let Some(twin) = Marketing::common_concat("wegly_", suffix) {
            if common.get(twin).is_none() {
                common.put(twin, entry.value);
            }
            continue;
        }
        if marketing.contains_concat(sorted, end, "wegly_", suffix) {
            continue;
        }
        if let Some(suffix) = Marketing::key_suffix(entry.key, "utm_".len())
            && let Some(twin) = marketing.key_concat("wegly_", suffix)
        {
            marketing.push(twin, entry.value);
        }
    }
}

/// The value of a member of an explicit `marketing` object, as the engine reads it: whatever
/// read the document (a `serde_json::Value`, the crate's reader's `Scalar`) answers for its own.
pub(crate) trait MemberValue {
    /// `Ok(Some(text))` for a string, `Ok(None)` for `null` (how many form builders say "not
    /// filled in"), else `Err` with the JSON type's name, as messages write it.
    fn as_text(&self) -> Result<Option<&str>, &'static str>;
}

impl MemberValue for Value {
    fn as_text(&self) -> Result<Option<&str>, &'static str> {
        match self {
            Value::String(text) => Ok(Some(text)),
            Value::Null => Ok(None),
            other => Err(json_type(other)),
        }
    }
}
