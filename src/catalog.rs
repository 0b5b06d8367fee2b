//! Hooks for what only the API knows: tags, pipelines and trackers (SPEC 4.3).
//!
//! A gateway usually caches these lookups; plugging them in lets validation report, before
//! sending, what the API would refuse. Every method defaults to "unknown", which skips the
//! check, so validation without a catalog runs every other rule.

use uuid::Uuid;

use crate::LeadSource;

/// The answer of a catalog lookup that may carry data.
///
/// ```
/// use wegly_attribution::Lookup;
/// let found: Lookup<u8> = Lookup::Found(1);
/// assert_eq!(found.found(), Some(&1));
/// assert_eq!(Lookup::<u8>::Unchecked.found(), None);
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

impl<T> Lookup<T> {
    /// The found item, if any.
    #[must_use]
    pub const fn found(&self) -> Option<&T> {
        match self {
            Lookup::Found(item) => Some(item),
            Lookup::Unchecked | Lookup::NotFound => None,
        }
    }
}

/// The lookups validation asks of a gateway; every method defaults to "unknown, skip".
///
/// ```
/// use wegly_attribution::{Catalog, CreateDealRequest, LeadSource, Lookup};
///
/// struct Cache;
///
/// impl Catalog for Cache {
///     fn tag_exists(&self, tag_id: &str) -> Option<bool> {
///         Some(matches!(tag_id, "enterprise" | "crm"))
///     }
///     fn tracker_lead_source(&self, wegly_code: &str) -> Lookup<LeadSource> {
///         match wegly_code {
///             "OPP123" => Lookup::Found(LeadSource::Named("Evento".into())),
///             _ => Lookup::NotFound,
///         }
///     }
/// }
///
/// let json = br#"{"title": "T", "tags": ["crm", "vip"],
///                 "marketing": {"wegly_code": "OPP123"}}"#;
/// let rejected = CreateDealRequest::from_json_with(json, &Cache).unwrap_err();
/// assert_eq!(rejected.errors[0].path, "/tags/1");
///
/// let json = br#"{"title": "T", "marketing": {"wegly_code": "OPP123"}}"#;
/// let valid = CreateDealRequest::from_json_with(json, &Cache)?;
/// assert_eq!(valid.request.lead_source(), Some(&LeadSource::Named("Evento".into())));
/// # Ok::<(), wegly_attribution::Rejected>(())
/// ```
pub trait Catalog {
    /// Whether a tag ID exists; `None` skips the check.
    fn tag_exists(&self, tag_id: &str) -> Option<bool> {
        let _ = tag_id;
        None
    }

    /// Whether the pipeline of `stage_id` requires `quality_reason`; `None` as the stage means
    /// the account's primary pipeline (the API's default). `None` as the answer skips the
    /// check.
    fn quality_reason_required(&self, stage_id: Option<Uuid>) -> Option<bool> {
        let _ = stage_id;
        None
    }

    /// The lead source a `wegly_code` tracker carries (SPEC 2.2 rule 5).
    fn tracker_lead_source(&self, wegly_code: &str) -> Lookup<LeadSource> {
        let _ = wegly_code;
        Lookup::Unchecked
    }
}

/// The catalog that knows nothing: every check that needs one is skipped.
///
/// ```
/// use wegly_attribution::{Catalog, NoCatalog};
/// assert_eq!(NoCatalog.tag_exists("anything"), None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoCatalog;

impl Catalog for NoCatalog {}

impl<C: Catalog + ?Sized> Catalog for &C {
    fn tag_exists(&self, tag_id: &str) -> Option<bool> {
        (**self).tag_exists(tag_id)
    }

    fn quality_reason_required(&self, stage_id: Option<Uuid>) -> Option<bool> {
        (**self).quality_reason_required(stage_id)
    }

    fn tracker_lead_source(&self, wegly_code: &str) -> Lookup<LeadSource> {
        (**self).tracker_lead_source(wegly_code)
    }
}
