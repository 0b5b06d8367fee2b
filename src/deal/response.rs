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

use super::enums::{QualityRating, Temperature, Visibility};

/// The answer to `POST /integrations/external/deals` ("Retorno da criação de oportunidade").
///
/// ```
/// use wegly_attribution::CreateDealResponse;
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
/// use wegly_attribution::DealStatus;
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
    /// use wegly_attribution::DealStatus;
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
    /// use wegly_attribution::DealStatus;
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
/// use wegly_attribution::{Reported, Visibility};
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
    /// use wegly_attribution::{Reported, Temperature};
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
    /// use wegly_attribution::{Reported, Temperature};
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
    /// use wegly_attribution::{Reported, Visibility};
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
    /// use wegly_attribution::{Reported, Visibility};
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
fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
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
/// use wegly_attribution::{DealDetail, DealStatus, Reported, Temperature};
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

/// A user as the detail names one: `created_by`, `responsible`, a follower, a proposal's author
/// or approver.
///
/// ```
/// use wegly_attribution::UserRef;
///
/// let user: UserRef = serde_json::from_str(r#"{"id": "u-1", "name": "Ana", "avatar": null}"#)?;
/// assert_eq!(user.name.as_deref(), Some("Ana"));
/// assert_eq!(user.avatar, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserRef {
    /// The user's id.
    pub id: String,
    /// The user's name.
    pub name: Option<String>,
    /// The user's avatar (a URL). Not sent for a proposal's approver.
    pub avatar: Option<String>,
}

/// The pipeline stage a deal is in (`stage`).
///
/// ```
/// use wegly_attribution::StageRef;
///
/// let json = r#"{"id": "s-1", "name": "Proposta", "pipeline": {"id": "p-1", "name": "Vendas"}}"#;
/// let stage: StageRef = serde_json::from_str(json)?;
/// assert_eq!(stage.pipeline.and_then(|p| p.name).as_deref(), Some("Vendas"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StageRef {
    /// The stage's id.
    pub id: String,
    /// The stage's name.
    pub name: Option<String>,
    /// The pipeline the stage belongs to.
    pub pipeline: Option<PipelineRef>,
}

/// A pipeline ("funil") as the detail names one (`stage.pipeline`).
///
/// ```
/// use wegly_attribution::PipelineRef;
///
/// let pipeline: PipelineRef = serde_json::from_str(r#"{"id": "p-1", "name": "Vendas"}"#)?;
/// assert_eq!(pipeline.id, "p-1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PipelineRef {
    /// The pipeline's id.
    pub id: String,
    /// The pipeline's name.
    pub name: Option<String>,
}

/// One stage of the deal's pipeline (`pipeline_stages[]`).
///
/// ```
/// use wegly_attribution::PipelineStage;
///
/// let stage: PipelineStage = serde_json::from_str(r#"{"id": "s-2", "name": "Fechamento", "position": 4}"#)?;
/// assert_eq!(stage.position, Some(4));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PipelineStage {
    /// The stage's id.
    pub id: String,
    /// The stage's name.
    pub name: Option<String>,
    /// The stage's place in the pipeline.
    pub position: Option<i64>,
}

/// A lead source ("origem do lead", `crm_lead_source`): the detail's `deal_source` and
/// `marketing_lead_source.lead_source`.
///
/// ```
/// use wegly_attribution::LeadSourceRef;
///
/// let source: LeadSourceRef = serde_json::from_str(r#"{"id": "o-1", "name": "LinkedIn Ads"}"#)?;
/// assert_eq!(source.name.as_deref(), Some("LinkedIn Ads"));
/// assert_eq!(source.logo, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LeadSourceRef {
    /// The lead source's id.
    pub id: String,
    /// The lead source's name.
    pub name: Option<String>,
    /// The lead source's logo (a URL).
    pub logo: Option<String>,
}

/// The latest marketing tracking record of a deal (`marketing_lead_source`,
/// `crm_marketing_lead_source`): the attribution the API recorded.
///
/// ```
/// use wegly_attribution::MarketingLeadSource;
///
/// let json = r#"{"id": "m-1", "campaing_name": "crm-enterprise", "creative": {"id": "c-1"}}"#;
/// let marketing: MarketingLeadSource = serde_json::from_str(json)?;
/// assert_eq!(marketing.campaign_name.as_deref(), Some("crm-enterprise"));
/// assert_eq!(marketing.creative.map(|c| c.id).as_deref(), Some("c-1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MarketingLeadSource {
    /// The tracking record's id.
    pub id: String,
    /// The search term (`utm_term` is recorded here).
    pub utm_search_term: Option<String>,
    /// The lead source attributed by this record.
    pub lead_source: Option<LeadSourceRef>,
    /// The conversion URL the parameters were taken from.
    pub url_conversion: Option<String>,
    /// The campaign name.
    ///
    /// The API spells this member `campaing_name` (sic); the Rust field fixes the spelling and
    /// serde reads and writes the API's key.
    #[serde(rename = "campaing_name")]
    pub campaign_name: Option<String>,
    /// The ad set name.
    pub ad_set_name: Option<String>,
    /// The ad content name.
    pub content_name: Option<String>,
    /// Where the ad was displayed.
    pub displayed_on_name: Option<String>,
    /// The tool that recorded the conversion.
    pub conversion_tool_name: Option<String>,
    /// The ad creative.
    pub creative: Option<CreativeRef>,
}

/// An ad creative in a tracking record (`marketing_lead_source.creative`).
///
/// ```
/// use wegly_attribution::CreativeRef;
///
/// let json = r#"{"id": "c-1", "value": "banner-a", "creative_uri": "https://cdn.example/a.png"}"#;
/// let creative: CreativeRef = serde_json::from_str(json)?;
/// assert_eq!(creative.value.as_deref(), Some("banner-a"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreativeRef {
    /// The creative's id.
    pub id: String,
    /// The creative's value (its name or identifier in the ad platform).
    pub value: Option<String>,
    /// Where the creative is stored.
    pub creative_uri: Option<String>,
}

/// Why a deal was lost (`crm_loss_reason`).
///
/// ```
/// use wegly_attribution::LossReasonRef;
///
/// let reason: LossReasonRef = serde_json::from_str(r#"{"id": "l-1", "name": "Preço"}"#)?;
/// assert_eq!(reason.name.as_deref(), Some("Preço"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LossReasonRef {
    /// The loss reason's id.
    pub id: String,
    /// The loss reason's name.
    pub name: Option<String>,
}

/// A person on the deal (`participants[]`).
///
/// ```
/// use wegly_attribution::DealParticipant;
///
/// let json = r#"{"id": "pa-1", "role": {"id": "r-1", "name": "Decisor"},
///                "person": {"id": "pe-1", "name": "Roberto", "contacts": null}}"#;
/// let participant: DealParticipant = serde_json::from_str(json)?;
/// assert_eq!(participant.person.map(|p| p.contacts.len()), Some(0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DealParticipant {
    /// The participation's id.
    pub id: String,
    /// The participant's role on the deal.
    pub role: Option<RoleRef>,
    /// Notes about the participant.
    pub notes: Option<String>,
    /// The person.
    pub person: Option<ParticipantPerson>,
}

/// A role on the deal, for a participant or a follower.
///
/// ```
/// use wegly_attribution::RoleRef;
///
/// let role: RoleRef = serde_json::from_str(r#"{"id": "r-1", "name": "Decisor"}"#)?;
/// assert_eq!(role.id, "r-1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleRef {
    /// The role's id.
    pub id: String,
    /// The role's name.
    pub name: Option<String>,
}

/// The person behind a participant (`participants[].person`).
///
/// ```
/// use wegly_attribution::ParticipantPerson;
///
/// let json = r#"{"id": "pe-1", "name": "Roberto",
///                "contacts": [{"id": "ct-1", "type": 0, "value": "+55 11 99988-7766", "primary": true}]}"#;
/// let person: ParticipantPerson = serde_json::from_str(json)?;
/// assert_eq!(person.contacts.first().and_then(|c| c.primary), Some(true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ParticipantPerson {
    /// The person's id.
    pub id: String,
    /// The person's name.
    pub name: Option<String>,
    /// The person's contacts.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub contacts: Vec<PersonContact>,
}

/// One contact of a participant (`participants[].person.contacts[]`).
///
/// ```
/// use wegly_attribution::PersonContact;
///
/// let json = r#"{"id": "ct-1", "type": 0, "value": "+55 11 99988-7766", "primary": true}"#;
/// let contact: PersonContact = serde_json::from_str(json)?;
/// assert_eq!(contact.kind, Some(0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PersonContact {
    /// The contact's id.
    pub id: String,
    /// The contact's type code (the API member `type`), as the API sent it.
    #[serde(rename = "type")]
    pub kind: Option<i64>,
    /// The contact itself: a phone number, an e-mail address, ….
    pub value: Option<String>,
    /// Whether this is the person's primary contact.
    pub primary: Option<bool>,
}

/// The organization a deal belongs to (`organization`).
///
/// ```
/// use wegly_attribution::OrganizationRef;
///
/// let org: OrganizationRef = serde_json::from_str(r#"{"id": "or-1", "name": "Tech Innovators S.A."}"#)?;
/// assert_eq!(org.name.as_deref(), Some("Tech Innovators S.A."));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationRef {
    /// The organization's id.
    pub id: String,
    /// The organization's name.
    pub name: Option<String>,
    /// The organization's logo (a URL).
    pub logo: Option<String>,
}

/// The lead a deal came from (`lead`).
///
/// ```
/// use wegly_attribution::LeadRef;
///
/// let lead: LeadRef = serde_json::from_str(r#"{"id": "le-1", "title": "Contato do site"}"#)?;
/// assert_eq!(lead.title.as_deref(), Some("Contato do site"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LeadRef {
    /// The lead's id.
    pub id: String,
    /// The lead's title.
    pub title: Option<String>,
}

/// The answers to one custom field (`custom_fields[]`, grouped by field).
///
/// ```
/// use wegly_attribution::CustomFieldAnswers;
///
/// let json = r#"{"field_id": "f-1", "field_name": "Segmento", "field_type": 3,
///                "answers": [{"id": "a-1", "option_id": "op-2", "option_value": "Varejo"}]}"#;
/// let field: CustomFieldAnswers = serde_json::from_str(json)?;
/// assert_eq!(field.answers.first().and_then(|a| a.option_value.as_deref()), Some("Varejo"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomFieldAnswers {
    /// The custom field's id.
    pub field_id: Option<String>,
    /// The custom field's name.
    pub field_name: Option<String>,
    /// The custom field's type code, as the API sent it.
    pub field_type: Option<i64>,
    /// The answers given for the field.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub answers: Vec<CustomFieldAnswer>,
}

/// One answer to a custom field (`custom_fields[].answers[]`): a chosen option or a free value.
///
/// ```
/// use wegly_attribution::CustomFieldAnswer;
///
/// let answer: CustomFieldAnswer = serde_json::from_str(r#"{"id": "a-1", "value": "42 lojas"}"#)?;
/// assert_eq!(answer.value.as_deref(), Some("42 lojas"));
/// assert_eq!(answer.option_id, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomFieldAnswer {
    /// The answer's id.
    pub id: String,
    /// The chosen option's id, for fields with options.
    pub option_id: Option<String>,
    /// The chosen option's text, for fields with options.
    pub option_value: Option<String>,
    /// The free value, for fields without options.
    pub value: Option<String>,
}

/// A tag on the deal (`tags[]`).
///
/// ```
/// use wegly_attribution::TagRef;
///
/// let tag: TagRef = serde_json::from_str(r##"{"id": "t-1", "name": "enterprise", "color": "#ff0000"}"##)?;
/// assert_eq!(tag.color.as_deref(), Some("#ff0000"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TagRef {
    /// The tag's id.
    pub id: String,
    /// The tag's name.
    pub name: Option<String>,
    /// The tag's colour, as the API sent it.
    pub color: Option<String>,
}

/// The time a deal spent in one stage (`stage_durations[]`).
///
/// ```
/// use wegly_attribution::StageDuration;
///
/// let json = r#"{"stage_id": "s-1", "stage_name": "Proposta", "total_seconds": 90000,
///                "human_readable": "1 dia, 1 hora"}"#;
/// let spent: StageDuration = serde_json::from_str(json)?;
/// assert_eq!(spent.total_seconds, Some(90_000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StageDuration {
    /// The stage's id.
    pub stage_id: Option<String>,
    /// The stage's name.
    pub stage_name: Option<String>,
    /// The accumulated time in the stage, in seconds.
    pub total_seconds: Option<i64>,
    /// The accumulated time as text, as the API words it (Portuguese).
    pub human_readable: Option<String>,
}

/// How many items of each kind are attached to a deal (`associations_count`).
///
/// ```
/// use wegly_attribution::AssociationsCount;
///
/// let counts: AssociationsCount = serde_json::from_str(r#"{"tasks": 3, "notes": 1}"#)?;
/// assert_eq!(counts.tasks, Some(3));
/// assert_eq!(counts.files, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AssociationsCount {
    /// Number of product items.
    pub items: Option<i64>,
    /// Number of tasks.
    pub tasks: Option<i64>,
    /// Number of qualifications.
    pub qualifications: Option<i64>,
    /// Number of notes.
    pub notes: Option<i64>,
    /// Number of files.
    pub files: Option<i64>,
    /// Number of activities.
    pub activities: Option<i64>,
    /// Number of proposals.
    pub proposals: Option<i64>,
}

/// A proposal on the deal, as summarized in the detail (`proposals[]`).
///
/// ```
/// use wegly_attribution::ProposalSummary;
///
/// let json = r#"{"id": "pr-1", "code": 7, "version": 2, "is_primary": true, "total": 1500.5,
///                "approved_at": null, "approved_by": {"id": "u-2", "name": "Bia"}}"#;
/// let proposal: ProposalSummary = serde_json::from_str(json)?;
/// assert_eq!(proposal.total, Some(1500.5));
/// assert_eq!(proposal.approved_by.and_then(|u| u.name).as_deref(), Some("Bia"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProposalSummary {
    /// The proposal's id.
    pub id: String,
    /// The proposal's sequential code.
    pub code: Option<i64>,
    /// The proposal's version.
    pub version: Option<i64>,
    /// The proposal's title.
    pub title: Option<String>,
    /// The proposal's status code, as the API sent it (the page lists no options).
    pub status: Option<i64>,
    /// Whether this is the deal's primary proposal.
    pub is_primary: Option<bool>,
    /// The discount type code, as the API sent it (the page lists no options).
    pub discount_type: Option<i64>,
    /// The discount, as the API's JSON number.
    pub discount_value: Option<f64>,
    /// The total before discount, as the API's JSON number.
    pub subtotal: Option<f64>,
    /// The total after discount, as the API's JSON number.
    pub total: Option<f64>,
    /// Until when the proposal is valid.
    pub valid_until: Option<Timestamp>,
    /// When the proposal was created.
    pub created_at: Option<Timestamp>,
    /// When the proposal was last changed.
    pub updated_at: Option<Timestamp>,
    /// When the proposal was approved.
    pub approved_at: Option<Timestamp>,
    /// When the proposal was archived.
    pub archived_at: Option<Timestamp>,
    /// When the proposal was rejected.
    pub rejected_at: Option<Timestamp>,
    /// The user who created the proposal.
    pub created_by: Option<UserRef>,
    /// The user who approved the proposal (the API sends no avatar here).
    pub approved_by: Option<UserRef>,
}

/// A user following the deal (`followers[]`).
///
/// ```
/// use wegly_attribution::DealFollower;
///
/// let json = r#"{"user": {"id": "u-1", "name": "Ana"}, "role": {"id": "r-1"}, "notes": null}"#;
/// let follower: DealFollower = serde_json::from_str(json)?;
/// assert_eq!(follower.user.map(|u| u.id).as_deref(), Some("u-1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DealFollower {
    /// The follower's role on the deal.
    pub role: Option<RoleRef>,
    /// The following user.
    pub user: Option<UserRef>,
    /// Notes about the follower.
    pub notes: Option<String>,
}

#[cfg(test)]
mod tests;
