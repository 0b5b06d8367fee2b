//! The parts of a deal's detail: the people, pipelines, sources and records it names.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::null_as_empty;

/// A user as the detail names one: `created_by`, `responsible`, a follower, a proposal's author
/// or approver.
///
/// ```
/// use wegly_attribution::response::UserRef;
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
/// use wegly_attribution::response::StageRef;
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
/// use wegly_attribution::response::PipelineRef;
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
/// use wegly_attribution::response::PipelineStage;
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
/// use wegly_attribution::response::LeadSourceRef;
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
/// use wegly_attribution::response::MarketingLeadSource;
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
/// use wegly_attribution::response::CreativeRef;
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
/// use wegly_attribution::response::LossReasonRef;
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
/// use wegly_attribution::response::DealParticipant;
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
/// use wegly_attribution::response::RoleRef;
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
/// use wegly_attribution::response::ParticipantPerson;
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
/// use wegly_attribution::response::PersonContact;
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
/// use wegly_attribution::response::OrganizationRef;
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
/// use wegly_attribution::response::LeadRef;
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
/// use wegly_attribution::response::CustomFieldAnswers;
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
/// use wegly_attribution::response::CustomFieldAnswer;
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
/// use wegly_attribution::response::TagRef;
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
/// use wegly_attribution::response::StageDuration;
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
/// use wegly_attribution::response::AssociationsCount;
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
/// use wegly_attribution::response::ProposalSummary;
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
/// use wegly_attribution::response::DealFollower;
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
