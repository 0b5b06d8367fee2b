//! The deal's lead source ("origem do lead"): an existing one by id, or one named in the
//! payload.

use std::fmt;

use uuid::Uuid;

/// Where a deal came from, as the create-deal payload states it.
///
/// The API takes either `crm_lead_source_id` (an existing lead source) or
/// `lead_source: {"name": …}`, never both; this type holds exactly one of the two.
///
/// ```
/// use wegly_attribution::LeadSource;
///
/// let named = LeadSource::Named("LinkedIn Ads".into());
/// assert_eq!(named.to_string(), "lead source `LinkedIn Ads`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LeadSource {
    /// `crm_lead_source_id`: an existing lead source.
    Existing(Uuid),
    /// `lead_source.name`: a lead source by name.
    Named(String),
}

impl LeadSource {
    /// The JSON Pointer of the member that carries this lead source in a payload.
    ///
    /// ```
    /// use wegly_attribution::LeadSource;
    /// assert_eq!(LeadSource::Named("x".into()).pointer(), "/lead_source/name");
    /// ```
    #[must_use]
    pub const fn pointer(&self) -> &'static str {
        match self {
            LeadSource::Existing(_) => "/crm_lead_source_id",
            LeadSource::Named(_) => "/lead_source/name",
        }
    }
}

impl fmt::Display for LeadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LeadSource::Existing(id) => write!(f, "lead source {id}"),
            LeadSource::Named(name) => write!(f, "lead source `{name}`"),
        }
    }
}
