//! What the API answers: [`CreateDealResponse`] for `POST /integrations/external/deals` and
//! [`DealDetail`] (with its nested types) for `GET /integrations/external/deals/{id}`.
//!
//! Parsing is lenient, as `docs/rules.md` §4.1 asks, so that a new API release does not break a
//! gateway that only reads a few fields:
//!
//! - unknown members are ignored;
//! - an enum value the library does not know is kept: [`DealStatus::Other`] and
//!   [`Reported::Unknown`] hold the integer the API sent;
//! - in [`DealDetail`] and its nested types, only members named `id` are required. Every other
//!   member may be missing or `null`: scalars and objects are `Option`, arrays are `Vec` and
//!   read as empty when missing or `null`. The field docs say which members the API page marks
//!   as nullable (`| null`); the others are `None` only if the API leaves them out.
//!
//! Serializing a parsed value and parsing the result gives an equal value. Missing and `null`
//! members come back as `null` and missing or `null` arrays as `[]`, and unknown members are
//! dropped, so the text may differ from what the API sent.
//!
//! The detail's structs are `#[non_exhaustive]`: the API adds members over time and the library
//! adds fields for them without a breaking release. Build them by parsing JSON.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{QualityRating, Temperature, Visibility};

mod parts;

pub use parts::{
    AssociationsCount, CreativeRef, CustomFieldAnswer, CustomFieldAnswers, DealFollower,
    DealParticipant, LeadRef, LeadSourceRef, LossReasonRef, MarketingLeadSource, OrganizationRef,
    ParticipantPerson, PersonContact, PipelineRef, PipelineStage, ProposalSummary, RoleRef,
    StageDuration, StageRef, TagRef, UserRef,
};

/// The answer to `POST /integrations/external/deals` ("Retorno da criação de oportunidade").
///
/// ```
/// use wegly_attribution::response::CreateDealResponse;
///
/// let json = r#"{"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "code": 123, "title": "CRM"}"#;
/// let created: CreateDealResponse = serde_json::from_str(json)?;
/// assert_eq!(created.code, 123);
/// assert_eq!(created.id.to_string(), "3c90c3cc-0d44-4b50-8888-8dd25736052a");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateDealResponse {
    /// The new deal's UUID.
    pub id: uuid::Uuid,
    /// The deal's internal sequential code ("código sequencial interno"); `GET /deals/{id}`
    /// accepts it as well as the UUID.
    pub code: i64,
    /// The deal's title, as stored.
    pub title: String,
}

/// The state of a deal (`status` on the GET page: 1 = aberta, 2 = ganha, 3 = perdida).
///
/// Serialized as the API's integer. A code the library does not know is kept in
/// [`DealStatus::Other`] rather than failing the parse.
///
/// ```
/// use wegly_attribution::response::DealStatus;
///
/// assert_eq!(serde_json::from_str::<DealStatus>("2")?, DealStatus::Won);
/// assert_eq!(serde_json::from_str::<DealStatus>("7")?, DealStatus::Other(7));
/// assert_eq!(serde_json::to_string(&DealStatus::Other(7))?, "7");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DealStatus {
    /// `1`: the deal is open ("aberta").
    Open,
    /// `2`: the deal was won ("ganha").
    Won,
    /// `3`: the deal was lost ("perdida").
    Lost,
    /// A code the library does not know, as the API sent it.
    ///
    /// Parsing never puts a known code here; build values with [`DealStatus::from_code`] so
    /// that equal codes compare equal.
    Other(i64),
}

impl DealStatus {
    /// The status for an API code; codes the library does not know become
    /// [`DealStatus::Other`].
    ///
    /// ```
    /// use wegly_attribution::response::DealStatus;
    ///
    /// assert_eq!(DealStatus::from_code(3), DealStatus::Lost);
    /// assert_eq!(DealStatus::from_code(0), DealStatus::Other(0));
    /// ```
    #[must_use]
    pub const fn from_code(code: i64) -> Self {
        match code {
            1 => Self::Open,
            2 => Self::Won,
            3 => Self::Lost,
            other => Self::Other(other),
        }
    }

    /// The integer the API uses for this status.
    ///
    /// ```
    /// use wegly_attribution::response::DealStatus;
    ///
    /// assert_eq!(DealStatus::Open.code(), 1);
    /// assert_eq!(DealStatus::Other(9).code(), 9);
    /// ```
    #[must_use]
    pub const fn code(self) -> i64 {
        match self {
            Self::Open => 1,
            Self::Won => 2,
            Self::Lost => 3,
            Self::Other(code) => code,
        }
    }
}

impl Serialize for DealStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for DealStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Self::from_code)
    }
}

/// An integer enum as the API reported it: a value the library knows, or the raw code of one
/// it does not (a newer API may add options).
///
/// Deserialized from an integer through `T: TryFrom<i64>` and serialized back as the same
/// integer, so nothing is lost. Used for `visibility`, `temperature` and `quality_rating` in
/// [`DealDetail`].
///
/// ```
/// use wegly_attribution::Visibility;
/// use wegly_attribution::response::Reported;
///
/// let public: Reported<Visibility> = serde_json::from_str("2")?;
/// assert_eq!(public.known(), Some(&Visibility::Public));
///
/// let newer: Reported<Visibility> = serde_json::from_str("9")?;
/// assert_eq!(newer, Reported::Unknown(9));
/// assert_eq!(serde_json::to_string(&newer)?, "9");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reported<T> {
    /// A value the library knows.
    Known(T),
    /// A code the library does not know, as the API sent it.
    Unknown(i64),
}

impl<T> Reported<T> {
    /// The known value, or `None` for an unknown code.
    ///
    /// ```
    /// use wegly_attribution::Temperature;
    /// use wegly_attribution::response::Reported;
    ///
    /// assert_eq!(Reported::Known(Temperature::Hot).known(), Some(&Temperature::Hot));
    /// assert_eq!(Reported::<Temperature>::Unknown(4).known(), None);
    /// ```
    #[must_use]
    pub const fn known(&self) -> Option<&T> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }

    /// The known value by value, or `None` for an unknown code.
    ///
    /// ```
    /// use wegly_attribution::Temperature;
    /// use wegly_attribution::response::Reported;
    ///
    /// assert_eq!(Reported::Known(Temperature::Cold).into_known(), Some(Temperature::Cold));
    /// ```
    #[must_use]
    pub fn into_known(self) -> Option<T> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }

    /// The raw code when the library does not know it, else `None`.
    ///
    /// ```
    /// use wegly_attribution::Visibility;
    /// use wegly_attribution::response::Reported;
    ///
    /// assert_eq!(Reported::<Visibility>::Unknown(9).unknown_code(), Some(9));
    /// assert_eq!(Reported::Known(Visibility::Team).unknown_code(), None);
    /// ```
    #[must_use]
    pub const fn unknown_code(&self) -> Option<i64> {
        match self {
            Self::Known(_) => None,
            Self::Unknown(code) => Some(*code),
        }
    }
}

impl<T: TryFrom<i64>> Reported<T> {
    /// Classifies an API code: [`Reported::Known`] when `T` accepts it, else
    /// [`Reported::Unknown`].
    ///
    /// ```
    /// use wegly_attribution::Visibility;
    /// use wegly_attribution::response::Reported;
    ///
    /// assert_eq!(Reported::<Visibility>::from_code(0), Reported::Known(Visibility::Private));
    /// assert_eq!(Reported::<Visibility>::from_code(3), Reported::Unknown(3));
    /// ```
    #[must_use]
    pub fn from_code(code: i64) -> Self {
        T::try_from(code).map_or(Self::Unknown(code), Self::Known)
    }
}

impl<T> From<T> for Reported<T> {
    fn from(value: T) -> Self {
        Self::Known(value)
    }
}

impl<T: Serialize> Serialize for Reported<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // The known enums serialize as their API integer (see `enums.rs`).
            Self::Known(value) => value.serialize(serializer),
            Self::Unknown(code) => serializer.serialize_i64(*code),
        }
    }
}

impl<'de, T: TryFrom<i64>> Deserialize<'de> for Reported<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Self::from_code)
    }
}

/// Reads a missing (with `#[serde(default)]`) or `null` array as empty.
pub(crate) fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// The full deal returned by `GET /integrations/external/deals/{id}` ("Detalhamento completo").
///
/// Every member of the API page is here, under its API name (except the misspelt
/// `campaing_name`, see [`MarketingLeadSource::campaign_name`]).
///
/// Parsing is lenient (`docs/rules.md` §4.1), so that a new API release does not break a gateway
/// that reads a few fields: unknown members are ignored; an enum value the library does not know is
/// kept ([`DealStatus::Other`], [`Reported::Unknown`]); only members named `id` are required, here
/// and in the nested types. Every other member may be missing or `null`: scalars and objects
/// are `Option`, arrays are `Vec` and read as empty. Serializing a parsed value and parsing the
/// result gives an equal value (missing members come back as `null`, unknown ones are dropped).
///
/// ```
/// use wegly_attribution::Temperature;
/// use wegly_attribution::response::{DealDetail, DealStatus, Reported};
///
/// let json = r#"{
///     "id": "d-1", "code": 42, "title": "CRM", "status": 2, "temperature": 3,
///     "value": 75000.5, "won_date": "2024-03-15T12:00:00Z", "a_new_member": true
/// }"#;
/// let deal: DealDetail = serde_json::from_str(json)?;
/// assert_eq!(deal.status, Some(DealStatus::Won));
/// assert_eq!(deal.temperature, Some(Reported::Known(Temperature::Hot)));
/// assert_eq!(deal.won_date.map(|t| t.as_second()), Some(1_710_504_000));
/// assert!(deal.participants.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DealDetail {
    /// The deal's id. The only required member.
    pub id: String,
    /// The deal's internal sequential code.
    pub code: Option<i64>,
    /// The deal's title.
    pub title: Option<String>,
    /// Open, won or lost (or a status the library does not know).
    pub status: Option<DealStatus>,
    /// The user who created the deal.
    pub created_by: Option<UserRef>,
    /// The pipeline stage the deal is in.
    pub stage: Option<StageRef>,
    /// Every stage of the deal's pipeline.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub pipeline_stages: Vec<PipelineStage>,
    /// The user responsible for the deal.
    pub responsible: Option<UserRef>,
    /// The deal's direct lead source ("origem direta", `crm_lead_source`).
    pub deal_source: Option<LeadSourceRef>,
    /// The latest marketing tracking record (`crm_marketing_lead_source`).
    pub marketing_lead_source: Option<MarketingLeadSource>,
    /// The qualification score. Nullable on the API page; a score outside one to five is kept
    /// as [`Reported::Unknown`].
    pub quality_rating: Option<Reported<QualityRating>>,
    /// Why the deal got its score. Nullable on the API page.
    pub quality_reason: Option<String>,
    /// When the deal was won. Nullable on the API page.
    pub won_date: Option<Timestamp>,
    /// When the deal was lost. Nullable on the API page.
    pub lost_date: Option<Timestamp>,
    /// Why the deal was lost.
    pub crm_loss_reason: Option<LossReasonRef>,
    /// Free-text explanation of the loss. Nullable on the API page.
    pub lost_reason_description: Option<String>,
    /// Who sees the deal.
    pub visibility: Option<Reported<Visibility>>,
    /// When the deal was created.
    pub created_at: Option<Timestamp>,
    /// When the deal was last changed.
    pub updated_at: Option<Timestamp>,
    /// When the deal was archived. Nullable on the API page.
    pub archived_at: Option<Timestamp>,
    /// When the last activity on the deal happened. Nullable on the API page.
    pub last_activity_at: Option<Timestamp>,
    /// When the deal is expected to close. Nullable on the API page.
    pub expected_close_date: Option<Timestamp>,
    /// How likely the deal is to close.
    pub temperature: Option<Reported<Temperature>>,
    /// The people on the deal, with their contacts.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub participants: Vec<DealParticipant>,
    /// The organization the deal belongs to.
    pub organization: Option<OrganizationRef>,
    /// The lead the deal came from.
    pub lead: Option<LeadRef>,
    /// Custom field answers, grouped by field.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: Vec<CustomFieldAnswers>,
    /// The deal's tags.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tags: Vec<TagRef>,
    /// Time spent in each stage.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub stage_durations: Vec<StageDuration>,
    /// The deal's monetary value, as the API's JSON number. Nullable on the API page.
    ///
    /// The create-deal request keeps money exact (two decimal places); this read model reports
    /// the number as the API sent it, so compare with a tolerance or round to cents.
    pub value: Option<f64>,
    /// How many times the deal was viewed.
    pub views_count: Option<i64>,
    /// How many items of each kind are attached to the deal.
    pub associations_count: Option<AssociationsCount>,
    /// The deal's proposals.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub proposals: Vec<ProposalSummary>,
    /// The users following the deal.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub followers: Vec<DealFollower>,
}

#[cfg(test)]
mod tests;
