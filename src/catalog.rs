//! Hooks for what only the API knows: tags, pipelines and trackers (`docs/rules.md` §4.3).
//!
//! A gateway usually caches these lookups; plugging them in lets validation report, before
//! sending, what the API would refuse. Every method defaults to "unknown", which skips the
//! check, so validation without a catalog runs every other rule.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;
use serde_json::error::Category;
use uuid::Uuid;

use crate::LeadSource;

/// The answer of every catalog lookup: unknown (the check is skipped), not found, or found
/// with what the catalog knows of the item.
///
/// ```
/// use wegly_attribution::Lookup;
/// let found: Lookup<u8> = Lookup::Found(1);
/// assert_eq!(found.found(), Some(&1));
/// assert_eq!(Lookup::<u8>::Unchecked.found(), None);
/// assert_eq!(Lookup::exists(Some(false)), Lookup::NotFound);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Lookup<T> {
    /// The catalog cannot tell: the check is skipped.
    #[default]
    Unchecked,
    /// The catalog knows the item does not exist.
    NotFound,
    /// The catalog found the item.
    Found(T),
}

impl Lookup<()> {
    /// The answer of a set that may be unknown (`None`): found when `exists`, else not found.
    ///
    /// ```
    /// use wegly_attribution::Lookup;
    /// assert_eq!(Lookup::exists(None), Lookup::Unchecked);
    /// assert_eq!(Lookup::exists(Some(true)), Lookup::Found(()));
    /// ```
    #[must_use]
    pub const fn exists(exists: Option<bool>) -> Lookup<()> {
        match exists {
            None => Lookup::Unchecked,
            Some(false) => Lookup::NotFound,
            Some(true) => Lookup::Found(()),
        }
    }
}

impl<T> Lookup<T> {
    /// The found item, if any.
    ///
    /// ```
    /// use wegly_attribution::Lookup;
    /// assert_eq!(Lookup::Found("x").found(), Some(&"x"));
    /// ```
    #[must_use]
    pub const fn found(&self) -> Option<&T> {
        match self {
            Lookup::Found(item) => Some(item),
            Lookup::Unchecked | Lookup::NotFound => None,
        }
    }
}

/// The lookups validation asks of a gateway; every method answers a [`Lookup`] and defaults
/// to "unknown, skip". A catalog is handed to a [`Normalizer`](crate::Normalizer), which
/// may share it between threads: `Send + Sync` is part of the trait (as rustls makes it of
/// its pluggable traits).
///
/// ```
/// use wegly_attribution::{Catalog, LeadSource, Lookup, Normalizer};
///
/// struct Cache;
///
/// impl Catalog for Cache {
///     fn tag(&self, tag_id: &str) -> Lookup<()> {
///         Lookup::exists(Some(matches!(tag_id, "enterprise" | "crm")))
///     }
///     fn tracker(&self, wegly_code: &str) -> Lookup<LeadSource> {
///         match wegly_code {
///             "OPP123" => Lookup::Found(LeadSource::Named("Evento".into())),
///             _ => Lookup::NotFound,
///         }
///     }
/// }
///
/// let normalizer = Normalizer::new().catalog(Cache);
/// let json = br#"{"title": "T", "tags": ["crm", "vip"],
///                 "marketing": {"wegly_code": "OPP123"}}"#;
/// let Err(rejected) = normalizer.create_deal(json) else {
///     return Err("accepted".into());
/// };
/// assert_eq!(rejected.errors[0].path(), "/tags/1");
///
/// let json = br#"{"title": "T", "marketing": {"wegly_code": "OPP123"}}"#;
/// let valid = normalizer.create_deal(json)?;
/// assert_eq!(valid.request.lead_source(), Some(&LeadSource::Named("Evento".into())));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Catalog: Send + Sync {
    /// Whether a tag ID exists.
    fn tag(&self, tag_id: &str) -> Lookup<()> {
        let _ = tag_id;
        Lookup::Unchecked
    }

    /// The pipeline of `stage_id`; `None` as the stage means the account's primary pipeline
    /// (the API's default). Only a pipeline found is checked.
    fn pipeline(&self, stage_id: Option<Uuid>) -> Lookup<Pipeline> {
        let _ = stage_id;
        Lookup::Unchecked
    }

    /// The lead source a `wegly_code` tracker carries (`docs/rules.md` §2.2 rule 5).
    fn tracker(&self, wegly_code: &str) -> Lookup<LeadSource> {
        let _ = wegly_code;
        Lookup::Unchecked
    }
}

/// What validation needs to know of a deal's pipeline.
///
/// ```
/// use wegly_attribution::{Catalog, Lookup, Pipeline};
/// use wegly_attribution::uuid::Uuid;
///
/// struct Strict;
///
/// impl Catalog for Strict {
///     fn pipeline(&self, _stage_id: Option<Uuid>) -> Lookup<Pipeline> {
///         Lookup::Found(Pipeline::new(true))
///     }
/// }
///
/// assert_eq!(Strict.pipeline(None).found().map(|p| p.requires_quality_reason), Some(true));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Pipeline {
    /// Whether a deal in it must carry `quality_reason`.
    pub requires_quality_reason: bool,
}

impl Pipeline {
    /// A pipeline, by whether it requires `quality_reason`.
    ///
    /// ```
    /// use wegly_attribution::Pipeline;
    /// assert!(!Pipeline::new(false).requires_quality_reason);
    /// ```
    #[must_use]
    pub const fn new(requires_quality_reason: bool) -> Pipeline {
        Pipeline {
            requires_quality_reason,
        }
    }
}

/// The catalog that knows nothing: every check that needs one is skipped.
///
/// ```
/// use wegly_attribution::{Catalog, Lookup, NoCatalog};
/// assert_eq!(NoCatalog.tag("anything"), Lookup::Unchecked);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoCatalog;

impl Catalog for NoCatalog {}

/// Shares one catalog between a gateway's configuration and, say, the task that refreshes it.
///
/// ```
/// use std::sync::Arc;
/// use wegly_attribution::{Catalog, Lookup, NoCatalog, Normalizer};
///
/// let shared: Arc<dyn Catalog> = Arc::new(NoCatalog);
/// assert_eq!(shared.tag("crm"), Lookup::Unchecked);
/// let normalizer = Normalizer::new().catalog(Arc::clone(&shared));
/// # let _ = normalizer;
/// ```
impl<C: Catalog + ?Sized> Catalog for std::sync::Arc<C> {
    fn tag(&self, tag_id: &str) -> Lookup<()> {
        (**self).tag(tag_id)
    }

    fn pipeline(&self, stage_id: Option<Uuid>) -> Lookup<Pipeline> {
        (**self).pipeline(stage_id)
    }

    fn tracker(&self, wegly_code: &str) -> Lookup<LeadSource> {
        (**self).tracker(wegly_code)
    }
}

/// A catalog held in memory, as a gateway caches it or the CLI's `--catalog` file holds it.
///
/// It has three parts, each optional; a part that is absent means "unknown, skip the check",
/// a part that is present is the whole truth about its items:
///
/// - `trackers`: the lead source of each `wegly_code` (`docs/rules.md` §2.2 rule 5); a code not
///   in a present map is [`Lookup::NotFound`] (warning `unknown_tracker`).
/// - `tags`: the tag IDs that exist; a tag not in a present list is `not_found`.
/// - `stages_requiring_quality_reason`: the stages whose pipeline requires `quality_reason`;
///   a stage not in a present list does not require it. A deal with no `stage_id` goes to
///   the account's primary pipeline, which the list cannot name: the check is skipped.
///
/// Its JSON form, read by [`MemoryCatalog::from_json`] and by serde:
///
/// ```json
/// {
///   "trackers": {"OPP123": {"name": "Evento"}, "TRK-01": {"id": "0b5e9c52-1c1f-4a5e-9d6f-2d6b9e0a1c3d"}},
///   "tags": ["crm", "enterprise"],
///   "stages_requiring_quality_reason": ["21bade02-6a6a-4768-b2ed-66ffdcc99396"]
/// }
/// ```
///
/// The shape is exact: an unknown member, a tracker with both or neither of `id` and `name`,
/// or an `id` or stage that is not a UUID is an error. `null` for a part is the same as
/// leaving it out. A well-formed entry with an unusable value (a tracker `name` of blanks)
/// loads: validation judges catalog answers like sent input.
///
/// ```
/// use wegly_attribution::{CreateDealRequest, LeadSource, MemoryCatalog, Normalizer};
///
/// let catalog = MemoryCatalog::from_json(br#"{
///     "trackers": {"OPP123": {"name": " Evento "}, "BLANK": {"name": "   "}},
///     "tags": ["crm"]
/// }"#)?;
/// let normalizer = Normalizer::new().catalog(catalog);
/// let n = normalizer.normalize_url("/lp?wegly_code=OPP123");
/// assert_eq!(n.lead_source, Some(LeadSource::Named("Evento".into()))); // trimmed
///
/// // An answer that cannot be used is ignored, with a warning (`docs/rules.md` §3.1).
/// let n = normalizer.normalize_url("/lp?wegly_code=BLANK");
/// assert_eq!(n.lead_source, None);
/// assert_eq!(n.warnings[0].code().as_str(), "invalid_catalog_answer");
///
/// let rejected = normalizer.create_deal(br#"{"title": "T", "tags": ["crm", "vip"]}"#).unwrap_err();
/// assert_eq!(rejected.errors[0].path(), "/tags/1");
/// assert_eq!(rejected.errors[0].code().as_str(), "not_found");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemoryCatalog {
    trackers: Option<BTreeMap<String, TrackerEntry>>,
    tags: Option<BTreeSet<String>>,
    stages_requiring_quality_reason: Option<BTreeSet<Uuid>>,
}

impl MemoryCatalog {
    /// A catalog that knows nothing yet: every part absent, every check skipped.
    ///
    /// ```
    /// use wegly_attribution::{Catalog, Lookup, MemoryCatalog};
    /// let catalog = MemoryCatalog::new();
    /// assert_eq!(catalog.tag("crm"), Lookup::Unchecked);
    /// assert_eq!(catalog.tracker("OPP123"), Lookup::Unchecked);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        MemoryCatalog {
            trackers: None,
            tags: None,
            stages_requiring_quality_reason: None,
        }
    }

    /// Reads a catalog from its JSON form (see the type's documentation).
    ///
    /// # Errors
    ///
    /// [`CatalogError`] when the bytes are not JSON or do not have the catalog's shape; its
    /// message names the problem, the line and the column.
    ///
    /// ```
    /// use wegly_attribution::{Catalog, Lookup, MemoryCatalog};
    ///
    /// let catalog = MemoryCatalog::from_json(br#"{"trackers": {"OPP123": {"name": "Evento"}}}"#)?;
    /// assert_eq!(catalog.tracker("OPP999"), Lookup::NotFound);
    /// assert_eq!(catalog.tag("crm"), Lookup::Unchecked); // no `tags`: unknown
    ///
    /// let wrong = MemoryCatalog::from_json(br#"{"trackers": {"OPP123": {"id": "abc"}}}"#).unwrap_err();
    /// assert_eq!((wrong.line(), wrong.column()), (1, 36));
    /// # Ok::<(), wegly_attribution::CatalogError>(())
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Self, CatalogError> {
        serde_json::from_slice(bytes).map_err(CatalogError::new)
    }

    /// Sets the `trackers` part: the lead source of each `wegly_code`; any other code is
    /// [`Lookup::NotFound`].
    ///
    /// ```
    /// use wegly_attribution::{Catalog, LeadSource, Lookup, MemoryCatalog};
    /// let evento = LeadSource::Named("Evento".into());
    /// let catalog = MemoryCatalog::new().trackers([("OPP123".to_owned(), evento.clone())]);
    /// assert_eq!(catalog.tracker("OPP123"), Lookup::Found(evento));
    /// assert_eq!(catalog.tracker("OPP999"), Lookup::NotFound);
    /// ```
    #[must_use]
    pub fn trackers(mut self, trackers: impl IntoIterator<Item = (String, LeadSource)>) -> Self {
        let trackers = trackers
            .into_iter()
            .map(|(code, source)| (code, TrackerEntry(source)));
        self.trackers = Some(trackers.collect());
        self
    }

    /// Sets the `tags` part: the tag IDs that exist; any other tag is not found.
    ///
    /// ```
    /// use wegly_attribution::{Catalog, Lookup, MemoryCatalog, Pipeline};
    /// let catalog = MemoryCatalog::new().tags(["crm", "enterprise"]);
    /// assert_eq!(catalog.tag("crm"), Lookup::Found(()));
    /// assert_eq!(catalog.tag("vip"), Lookup::NotFound);
    /// ```
    #[must_use]
    pub fn tags<T: Into<String>>(mut self, tags: impl IntoIterator<Item = T>) -> Self {
        self.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the `stages_requiring_quality_reason` part: the stages whose pipeline requires
    /// `quality_reason`; any other stage does not.
    ///
    /// ```
    /// use uuid::Uuid;
    /// use wegly_attribution::{Catalog, Lookup, MemoryCatalog, Pipeline};
    /// let stage = Uuid::from_u128(7);
    /// let catalog = MemoryCatalog::new().stages_requiring_quality_reason([stage]);
    /// assert_eq!(catalog.pipeline(Some(stage)), Lookup::Found(Pipeline::new(true)));
    /// assert_eq!(catalog.pipeline(Some(Uuid::nil())), Lookup::Found(Pipeline::new(false)));
    /// assert_eq!(catalog.pipeline(None), Lookup::Unchecked); // the primary pipeline: unknown
    /// ```
    #[must_use]
    pub fn stages_requiring_quality_reason(
        mut self,
        stages: impl IntoIterator<Item = Uuid>,
    ) -> Self {
        self.stages_requiring_quality_reason = Some(stages.into_iter().collect());
        self
    }
}

impl Catalog for MemoryCatalog {
    fn tag(&self, tag_id: &str) -> Lookup<()> {
        Lookup::exists(self.tags.as_ref().map(|tags| tags.contains(tag_id)))
    }

    fn pipeline(&self, stage_id: Option<Uuid>) -> Lookup<Pipeline> {
        // No stage is the primary pipeline, which a list of stages cannot name: unknown.
        let (Some(stage_id), Some(stages)) = (stage_id, &self.stages_requiring_quality_reason)
        else {
            return Lookup::Unchecked;
        };
        Lookup::Found(Pipeline::new(stages.contains(&stage_id)))
    }

    fn tracker(&self, wegly_code: &str) -> Lookup<LeadSource> {
        match self
            .trackers
            .as_ref()
            .map(|trackers| trackers.get(wegly_code))
        {
            None => Lookup::Unchecked,
            Some(None) => Lookup::NotFound,
            Some(Some(TrackerEntry(source))) => Lookup::Found(source.clone()),
        }
    }
}

/// A tracker's lead source in the catalog's JSON: `{"id": uuid}` or `{"name": string}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "TrackerJson")]
struct TrackerEntry(LeadSource);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackerJson {
    id: Option<Uuid>,
    name: Option<String>,
}

impl TryFrom<TrackerJson> for TrackerEntry {
    type Error = &'static str;

    fn try_from(json: TrackerJson) -> Result<Self, Self::Error> {
        match (json.id, json.name) {
            (Some(id), None) => Ok(TrackerEntry(LeadSource::Existing(id))),
            (None, Some(name)) => Ok(TrackerEntry(LeadSource::Named(name))),
            _ => Err("a tracker has exactly one of `id` and `name`"),
        }
    }
}

/// Why [`MemoryCatalog::from_json`] refused its input: not JSON, or not the catalog's shape.
///
/// ```
/// use wegly_attribution::MemoryCatalog;
///
/// let err = MemoryCatalog::from_json(b"{\"tags\": [\"crm\"],\n \"tracker\": {}}").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "catalog has the wrong shape at line 2 column 10: unknown field `tracker`, \
///      expected one of `trackers`, `tags`, `stages_requiring_quality_reason`"
/// );
/// let err = MemoryCatalog::from_json(b"{\"tags\": [").unwrap_err();
/// assert_eq!(err.to_string(), "catalog is not JSON at line 1 column 10: EOF while parsing a list");
/// ```
#[derive(Debug)]
pub struct CatalogError {
    inner: serde_json::Error,
}

impl CatalogError {
    #[cold]
    fn new(inner: serde_json::Error) -> Self {
        CatalogError { inner }
    }

    /// The 1-based line where the problem was found.
    ///
    /// ```
    /// use wegly_attribution::MemoryCatalog;
    /// assert_eq!(MemoryCatalog::from_json(b"\n\n[]").unwrap_err().line(), 3);
    /// ```
    #[must_use]
    pub fn line(&self) -> usize {
        self.inner.line()
    }

    /// The 1-based column (in bytes) where the problem was found.
    ///
    /// ```
    /// use wegly_attribution::MemoryCatalog;
    /// assert_eq!(MemoryCatalog::from_json(b"  x").unwrap_err().column(), 3);
    /// ```
    #[must_use]
    pub fn column(&self) -> usize {
        self.inner.column()
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.inner.classify() {
            Category::Data => "has the wrong shape",
            Category::Syntax | Category::Eof | Category::Io => "is not JSON",
        };
        // serde_json's own text ends with " at line L column C", said first here instead.
        let text = self.inner.to_string();
        let suffix = format!(" at line {} column {}", self.line(), self.column());
        let text = text.strip_suffix(&suffix).unwrap_or(&text);
        write!(f, "catalog {what}{suffix}: {text}")
    }
}

impl std::error::Error for CatalogError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner)
    }
}
