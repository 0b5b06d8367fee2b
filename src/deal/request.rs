//! The validated create-deal payload (`POST /integrations/external/deals`).

use jiff::Timestamp;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::enums::{QualityRating, Temperature, Visibility};
use super::money::Money;
use crate::{LeadSource, Marketing, Warning};

/// A create-deal payload that passed validation, with normalized marketing data.
///
/// Made by [`CreateDealRequest::from_json`] or [`CreateDealRequest::builder`], which run the
/// same validation. It serializes to exactly the JSON the API expects: absent members are
/// omitted, keys follow the API page's order and names (`lead_source` is written as
/// `crm_lead_source_id` or `lead_source`, `organization` as `organization_id` or
/// `organization`).
///
/// ```
/// use wegly_attribution::CreateDealRequest;
///
/// let json = r#"{"title": " Implantação CRM ", "value": 1500.5,
///                 "marketing": {"url_conversion": "https://x.com.br/?utm_source=google"}}"#.as_bytes();
/// let valid = CreateDealRequest::from_json(json)?;
/// assert_eq!(valid.request.title, "Implantação CRM");
/// assert_eq!(
///     serde_json::to_string(&valid.request).unwrap(),
///     r#"{"title":"Implantação CRM","value":1500.5,"marketing":{"url_conversion":"https://x.com.br/?utm_source=google","utm_source":"google","wegly_source":"google"}}"#,
/// );
/// # Ok::<(), wegly_attribution::Rejected>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateDealRequest {
    /// The deal's title, trimmed, 1 to 150 characters.
    pub title: String,
    /// The pipeline stage; the API defaults to the primary pipeline's first stage.
    pub stage_id: Option<Uuid>,
    /// The owner; the API defaults to the key's creator.
    pub responsible_id: Option<Uuid>,
    /// One to five stars.
    pub quality_rating: Option<QualityRating>,
    /// Why the rating; some pipelines require it (see [`Catalog`](crate::Catalog)).
    pub quality_reason: Option<String>,
    /// The amount, exact to the cent.
    pub value: Option<Money>,
    /// The expected close date.
    pub expected_close_date: Option<Timestamp>,
    /// Who sees the deal.
    pub visibility: Option<Visibility>,
    /// How hot the deal is.
    pub temperature: Option<Temperature>,
    /// Existing tag IDs, trimmed, without duplicates.
    pub tags: Vec<String>,
    /// Existing people to associate (`persons_id: [{"id": …}]`).
    pub persons_id: Vec<Uuid>,
    /// A person to create (or match, with `avoid_duplicate`).
    pub person: Option<NewPerson>,
    /// The main participant; one of `persons_id` when that is sent.
    pub primary_person_id: Option<Uuid>,
    /// The organization: an existing one, or one to create.
    pub organization: Option<Organization>,
    /// Custom field answers.
    pub custom_fields: Vec<CustomField>,
    /// Normalized tracking data (SPEC 2); `None` when nothing was tracked.
    pub marketing: Option<Marketing>,
    /// The lead source, sent or filled from the `wegly_code` tracker.
    pub lead_source: Option<LeadSource>,
    /// Followers, without repeated users.
    pub followers: Vec<Follower>,
    /// A note to add to the deal.
    pub note: Option<Note>,
}

impl CreateDealRequest {
    /// An empty request with only a title, for struct-update syntax in tests and tools.
    /// It is not validated: prefer [`CreateDealRequest::builder`].
    pub(crate) fn with_title(title: String) -> Self {
        CreateDealRequest {
            title,
            stage_id: None,
            responsible_id: None,
            quality_rating: None,
            quality_reason: None,
            value: None,
            expected_close_date: None,
            visibility: None,
            temperature: None,
            tags: Vec::new(),
            persons_id: Vec::new(),
            person: None,
            primary_person_id: None,
            organization: None,
            custom_fields: Vec::new(),
            marketing: None,
            lead_source: None,
            followers: Vec::new(),
            note: None,
        }
    }
}

/// A validated request and the warnings of its validation.
///
/// Serializes as `{"request": {...}, "warnings": [...]}`, the request as the API expects it.
///
/// ```
/// use wegly_attribution::{CreateDealRequest, WarningCode};
/// let json = r#"{"title": "Implantação CRM", "tags": ["crm", " crm "]}"#;
/// let valid = CreateDealRequest::from_json(json.as_bytes())?;
/// assert_eq!(valid.request.tags, ["crm"]);
/// assert_eq!(valid.warnings[0].code, WarningCode::DuplicateTag);
///
/// let envelope = serde_json::to_value(&valid)?;
/// assert_eq!(envelope["request"]["tags"], serde_json::json!(["crm"]));
/// assert_eq!(envelope["warnings"][0]["code"], "duplicate_tag");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Validated {
    /// The request, ready to send.
    pub request: CreateDealRequest,
    /// What was repaired or dropped.
    pub warnings: Vec<Warning>,
}

/// The `person` member: someone to create along with the deal.
///
/// ```
/// use wegly_attribution::NewPerson;
/// let mut person = NewPerson::new("Roberto Martins");
/// person.avoid_duplicate = Some(true);
/// let json = serde_json::to_string(&person)?;
/// assert_eq!(json, r#"{"name":"Roberto Martins","avoid_duplicate":true}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct NewPerson {
    /// The person's name, trimmed.
    pub name: String,
    /// Phones, e-mails and other contacts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    /// Match an existing person instead of creating a duplicate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avoid_duplicate: Option<bool>,
    /// Which contact types the duplicate check compares.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duplicate_check_types: Vec<u32>,
}

impl NewPerson {
    /// A person with a name and nothing else.
    ///
    /// ```
    /// use wegly_attribution::{Contact, NewPerson};
    /// let mut person = NewPerson::new("Roberto Martins");
    /// person.contacts.push(Contact::new(0, "+55 11 99988-7766"));
    /// assert_eq!(person.contacts[0].kind, 0);
    /// ```
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        NewPerson {
            name: name.into(),
            contacts: Vec::new(),
            avoid_duplicate: None,
            duplicate_check_types: Vec::new(),
        }
    }
}

/// One contact of a [`NewPerson`]; type `0` is a phone in the API's example.
///
/// ```
/// use wegly_attribution::Contact;
/// let phone = Contact::new(0, "+55 11 99988-7766");
/// assert_eq!(serde_json::to_string(&phone)?, r#"{"type":0,"value":"+55 11 99988-7766"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Contact {
    /// The contact type (`type` in JSON).
    #[serde(rename = "type")]
    pub kind: u32,
    /// The phone number, e-mail address, …; not empty.
    pub value: String,
}

impl Contact {
    /// A contact of the given type.
    ///
    /// ```
    /// use wegly_attribution::Contact;
    /// assert_eq!(Contact::new(1, "ana@example.com").value, "ana@example.com");
    /// ```
    #[must_use]
    pub fn new(kind: u32, value: impl Into<String>) -> Self {
        Contact {
            kind,
            value: value.into(),
        }
    }
}

/// The deal's organization: `organization_id` or `organization: {"name": …}`, never both.
///
/// ```
/// use wegly_attribution::{CreateDealRequest, Organization};
/// let json = r#"{"title": "Implantação CRM", "organization": {"name": "Construtora Horizonte"}}"#;
/// let valid = CreateDealRequest::from_json(json.as_bytes())?;
/// assert_eq!(valid.request.organization, Some(Organization::Named("Construtora Horizonte".into())));
/// # Ok::<(), wegly_attribution::Rejected>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Organization {
    /// `organization_id`: an existing organization.
    Existing(Uuid),
    /// `organization.name`: an organization to create.
    Named(String),
}

/// One `custom_fields` entry: a field ID and the members the API defines for its answer,
/// passed through untouched.
///
/// ```
/// use wegly_attribution::CreateDealRequest;
/// let json = r#"{"title": "Implantação CRM",
///     "custom_fields": [{"field_id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", "value": "Sim"}]}"#;
/// let valid = CreateDealRequest::from_json(json.as_bytes())?;
/// assert_eq!(valid.request.custom_fields[0].answer["value"], "Sim");
/// # Ok::<(), wegly_attribution::Rejected>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CustomField {
    /// The custom field.
    pub field_id: Uuid,
    /// Every other member, as sent.
    pub answer: Map<String, Value>,
}

impl CustomField {
    /// A custom field answer.
    ///
    /// ```
    /// use wegly_attribution::CustomField;
    /// let mut answer = serde_json::Map::new();
    /// answer.insert("value".into(), "Sim".into());
    /// let field = CustomField::new(uuid::Uuid::nil(), answer);
    /// assert_eq!(field.answer["value"], "Sim");
    /// ```
    #[must_use]
    pub fn new(field_id: Uuid, answer: Map<String, Value>) -> Self {
        CustomField { field_id, answer }
    }
}

impl Serialize for CustomField {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.answer.len() + 1))?;
        map.serialize_entry("field_id", &self.field_id)?;
        for (key, value) in &self.answer {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A follower added after the deal is created.
///
/// ```
/// use wegly_attribution::CreateDealRequest;
/// let json = r#"{"title": "Implantação CRM", "followers": [{"user_id": "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
///     "role_id": "8f9e0d1c-2b3a-4c5d-9e6f-7a8b9c0d1e2f"}]}"#;
/// let valid = CreateDealRequest::from_json(json.as_bytes())?;
/// assert_eq!(valid.request.followers[0].user_id.to_string(), "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d");
/// # Ok::<(), wegly_attribution::Rejected>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Follower {
    /// The user.
    pub user_id: Uuid,
    /// The user's role on the deal.
    pub role_id: Uuid,
}

/// A note added to the deal.
///
/// ```
/// use wegly_attribution::{CreateDealRequest, Note};
/// let json = r#"{"title": "Implantação CRM", "note": {"content": " Cliente pediu proposta até sexta "}}"#;
/// let valid = CreateDealRequest::from_json(json.as_bytes())?;
/// let expected = Note { content: "Cliente pediu proposta até sexta".into(), is_pinned: false };
/// assert_eq!(valid.request.note, Some(expected));
/// # Ok::<(), wegly_attribution::Rejected>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// The text, not empty.
    pub content: String,
    /// Pin the note to the top (default `false`).
    pub is_pinned: bool,
}

#[derive(serde::Serialize)]
struct Id<'a> {
    id: &'a Uuid,
}

#[derive(serde::Serialize)]
struct Name<'a> {
    name: &'a str,
}

impl Serialize for CreateDealRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("title", &self.title)?;
        entry(&mut map, "stage_id", self.stage_id.as_ref())?;
        entry(&mut map, "responsible_id", self.responsible_id.as_ref())?;
        entry(&mut map, "quality_rating", self.quality_rating.as_ref())?;
        entry(&mut map, "quality_reason", self.quality_reason.as_ref())?;
        entry(&mut map, "value", self.value.as_ref())?;
        let close = self.expected_close_date.map(|t| t.to_string());
        entry(&mut map, "expected_close_date", close.as_ref())?;
        entry(&mut map, "visibility", self.visibility.as_ref())?;
        entry(&mut map, "temperature", self.temperature.as_ref())?;
        list(&mut map, "tags", &self.tags)?;
        if !self.persons_id.is_empty() {
            let ids: Vec<Id<'_>> = self.persons_id.iter().map(|id| Id { id }).collect();
            map.serialize_entry("persons_id", &ids)?;
        }
        entry(&mut map, "person", self.person.as_ref())?;
        entry(
            &mut map,
            "primary_person_id",
            self.primary_person_id.as_ref(),
        )?;
        match &self.organization {
            Some(Organization::Existing(id)) => map.serialize_entry("organization_id", id)?,
            Some(Organization::Named(name)) => {
                map.serialize_entry("organization", &Name { name })?
            }
            None => {}
        }
        list(&mut map, "custom_fields", &self.custom_fields)?;
        entry(&mut map, "marketing", self.marketing.as_ref())?;
        match &self.lead_source {
            Some(LeadSource::Existing(id)) => map.serialize_entry("crm_lead_source_id", id)?,
            Some(LeadSource::Named(name)) => map.serialize_entry("lead_source", &Name { name })?,
            None => {}
        }
        list(&mut map, "followers", &self.followers)?;
        entry(&mut map, "note", self.note.as_ref())?;
        map.end()
    }
}

fn entry<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: Option<&T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(key, value),
        None => Ok(()),
    }
}

fn list<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    items: &[T],
) -> Result<(), M::Error> {
    if items.is_empty() {
        Ok(())
    } else {
        map.serialize_entry(key, items)
    }
}
