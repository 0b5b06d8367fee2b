//! The validated create-deal payload (`POST /integrations/external/deals`).

use jiff::civil::DateTime;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use uuid::Uuid;

use super::enums::{QualityRating, Temperature, Visibility};
use super::member::Member;
use super::money::Money;
use crate::{LeadSource, Marketing, Warning};

/// A create-deal payload that passed validation, with normalized marketing data.
///
/// Made by [`CreateDealRequest::from_json`] or [`CreateDealRequest::builder`], which run the
/// same validation, and read through its methods: no public API can make one that validation
/// would reject (`docs/rules.md` §3.1). Change one with [`to_builder`](Self::to_builder). It
/// serializes to exactly the JSON the API expects: absent members are omitted, keys follow the API
/// page's order and names (`lead_source` is written as `crm_lead_source_id` or `lead_source`,
/// `organization` as `organization_id` or `organization`).
///
/// ```
/// use wegly_attribution::CreateDealRequest;
///
/// let json = r#"{"title": " Implantação CRM ", "value": 1500.5,
///                 "marketing": {"url_conversion": "https://x.com.br/?utm_source=google"}}"#.as_bytes();
/// let valid = CreateDealRequest::from_json(json)?;
/// assert_eq!(valid.request.title(), "Implantação CRM");
/// assert_eq!(
///     serde_json::to_string(&valid.request)?,
///     r#"{"title":"Implantação CRM","value":1500.5,"marketing":{"url_conversion":"https://x.com.br/?utm_source=google","utm_source":"google","wegly_source":"google"}}"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateDealRequest {
    pub(crate) title: String,
    pub(crate) stage_id: Option<Uuid>,
    pub(crate) responsible_id: Option<Uuid>,
    pub(crate) quality_rating: Option<QualityRating>,
    pub(crate) quality_reason: Option<String>,
    pub(crate) value: Option<Money>,
    pub(crate) expected_close_date: Option<DateTime>,
    pub(crate) visibility: Option<Visibility>,
    pub(crate) temperature: Option<Temperature>,
    pub(crate) tags: Vec<String>,
    pub(crate) persons_id: Vec<Uuid>,
    pub(crate) person: Option<NewPerson>,
    pub(crate) primary_person_id: Option<Uuid>,
    pub(crate) organization: Option<Organization>,
    pub(crate) custom_fields: Vec<CustomField>,
    pub(crate) marketing: Option<Marketing>,
    pub(crate) lead_source: Option<LeadSource>,
    pub(crate) followers: Vec<Follower>,
    pub(crate) note: Option<Note>,
}

/// The accessors. Each example reads what `from_json` made of a member.
impl CreateDealRequest {
    /// The deal's title, trimmed, 1 to 150 characters.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// assert_eq!(CreateDealRequest::from_json(br#"{"title": " T "}"#)?.request.title(), "T");
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The pipeline stage; the API defaults to the primary pipeline's first stage.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "stage_id": "5f0c6c2e-8a1d-4b7e-9c3a-2d4e6f8a0b1c"}"#)?;
    /// assert_eq!(valid.request.stage_id().map(|id| id.to_string()).as_deref(), Some("5f0c6c2e-8a1d-4b7e-9c3a-2d4e6f8a0b1c"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn stage_id(&self) -> Option<Uuid> {
        self.stage_id
    }

    /// The owner; the API defaults to the key's creator.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// assert_eq!(CreateDealRequest::from_json(br#"{"title": "T"}"#)?.request.responsible_id(), None);
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn responsible_id(&self) -> Option<Uuid> {
        self.responsible_id
    }

    /// One to five stars.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, QualityRating};
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "quality_rating": 4.0}"#)?;
    /// assert_eq!(valid.request.quality_rating(), Some(QualityRating::Four));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn quality_rating(&self) -> Option<QualityRating> {
        self.quality_rating
    }

    /// Why the rating, trimmed; some pipelines require it (see [`Catalog`](crate::Catalog)).
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "quality_reason": "  "}"#)?;
    /// assert_eq!(valid.request.quality_reason(), None); // empty means not sent
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn quality_reason(&self) -> Option<&str> {
        self.quality_reason.as_deref()
    }

    /// The amount, exact to the cent.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "value": 1.5e3}"#)?;
    /// assert_eq!(valid.request.value().map(|v| v.cents()), Some(150_000));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn value(&self) -> Option<Money> {
        self.value
    }

    /// The expected close date, in UTC (a civil date-time: the API's range reaches
    /// `9999-12-31T23:59:59.999999999Z`, past what `jiff::Timestamp` holds).
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "expected_close_date": "2024-03-15T10:00:00-03:00"}"#)?;
    /// assert_eq!(valid.request.expected_close_date().map(|d| d.to_string()).as_deref(), Some("2024-03-15T13:00:00"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn expected_close_date(&self) -> Option<DateTime> {
        self.expected_close_date
    }

    /// Who sees the deal.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Visibility};
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "visibility": 2}"#)?;
    /// assert_eq!(valid.request.visibility(), Some(Visibility::Public));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn visibility(&self) -> Option<Visibility> {
        self.visibility
    }

    /// How hot the deal is.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Temperature};
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "temperature": 3}"#)?;
    /// assert_eq!(valid.request.temperature(), Some(Temperature::Hot));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn temperature(&self) -> Option<Temperature> {
        self.temperature
    }

    /// Existing tag IDs, trimmed, without duplicates.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "tags": ["crm", " crm ", "vip"]}"#)?;
    /// assert_eq!(valid.request.tags(), ["crm", "vip"]);
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// Existing people to associate (`persons_id: [{"id": …}]`).
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "persons_id": [{"id": "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"}]}"#)?;
    /// assert_eq!(valid.request.persons_id().len(), 1);
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn persons_id(&self) -> &[Uuid] {
        &self.persons_id
    }

    /// A person to create (or match, with `avoid_duplicate`).
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "person": {"name": " Ana "}}"#)?;
    /// assert_eq!(valid.request.person().map(|p| p.name.as_str()), Some("Ana"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn person(&self) -> Option<&NewPerson> {
        self.person.as_ref()
    }

    /// The main participant; one of `persons_id` when that is sent.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// assert_eq!(CreateDealRequest::from_json(br#"{"title": "T"}"#)?.request.primary_person_id(), None);
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn primary_person_id(&self) -> Option<Uuid> {
        self.primary_person_id
    }

    /// The organization: an existing one, or one to create.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Organization};
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "organization": {"name": "ACME"}}"#)?;
    /// assert_eq!(valid.request.organization(), Some(&Organization::Named("ACME".into())));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn organization(&self) -> Option<&Organization> {
        self.organization.as_ref()
    }

    /// Custom field answers.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "custom_fields": [{"field_id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", "value": 123456789012345678901}]}"#)?;
    /// assert_eq!(valid.request.custom_fields()[0].get("value").map(|v| v.get()), Some("123456789012345678901"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn custom_fields(&self) -> &[CustomField] {
        &self.custom_fields
    }

    /// Normalized tracking data (`docs/rules.md` §2); `None` when nothing was tracked.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "marketing": {"utm_source": "google"}}"#)?;
    /// assert_eq!(valid.request.marketing().and_then(|m| m.get("wegly_source")), Some("google"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn marketing(&self) -> Option<&Marketing> {
        self.marketing.as_ref()
    }

    /// The lead source, sent or filled from the `wegly_code` tracker.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, LeadSource};
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "lead_source": {"name": "Site"}}"#)?;
    /// assert_eq!(valid.request.lead_source(), Some(&LeadSource::Named("Site".into())));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn lead_source(&self) -> Option<&LeadSource> {
        self.lead_source.as_ref()
    }

    /// Followers, without repeated users.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// assert!(CreateDealRequest::from_json(br#"{"title": "T"}"#)?.request.followers().is_empty());
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn followers(&self) -> &[Follower] {
        &self.followers
    }

    /// A note to add to the deal.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "note": {"content": "Ligar"}}"#)?;
    /// assert_eq!(valid.request.note().map(|n| n.content.as_str()), Some("Ligar"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[must_use]
    pub fn note(&self) -> Option<&Note> {
        self.note.as_ref()
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
/// assert_eq!(valid.request.tags(), ["crm"]);
/// assert_eq!(valid.warnings[0].code(), WarningCode::DuplicateTag);
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
/// assert_eq!(valid.request.organization(), Some(&Organization::Named("Construtora Horizonte".into())));
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
/// passed through with their exact JSON text (a number keeps its digits: `1e400` and
/// `123456789012345678901` are not rounded through `f64`, `docs/rules.md` §3.1). Members are kept
/// in ascending name order, written without insignificant white space.
///
/// ```
/// use wegly_attribution::{CreateDealRequest, CustomField};
/// let json = r#"{"title": "Implantação CRM",
///     "custom_fields": [{"field_id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", "value": "Sim"}]}"#;
/// let valid = CreateDealRequest::from_json(json.as_bytes())?;
/// assert_eq!(valid.request.custom_fields()[0].get("value").map(|v| v.get()), Some(r#""Sim""#));
///
/// let field = CustomField::new(uuid::Uuid::nil()).member("value", serde_json::json!([1, 2]));
/// assert_eq!(serde_json::to_string(&field)?, r#"{"field_id":"00000000-0000-0000-0000-000000000000","value":[1,2]}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CustomField {
    pub(crate) field_id: Uuid,
    /// Sorted by name, names unique, never `field_id`.
    pub(crate) members: Vec<(String, Box<RawValue>)>,
}

impl CustomField {
    /// A custom field answer with no member yet.
    ///
    /// ```
    /// use wegly_attribution::CustomField;
    /// assert_eq!(CustomField::new(uuid::Uuid::nil()).field_id(), uuid::Uuid::nil());
    /// ```
    #[must_use]
    pub fn new(field_id: Uuid) -> Self {
        CustomField {
            field_id,
            members: Vec::new(),
        }
    }

    /// Adds (or replaces) a member of the answer. A member named `field_id` is ignored: the
    /// field's ID is the one given to [`new`](Self::new).
    ///
    /// ```
    /// use wegly_attribution::CustomField;
    /// let field = CustomField::new(uuid::Uuid::nil()).member("value", "Sim").member("field_id", "x");
    /// assert_eq!(field.members().map(|(name, _)| name).collect::<Vec<_>>(), ["value"]);
    /// ```
    #[must_use]
    pub fn member(self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        // Writing a `Value` cannot fail: its keys are strings and its numbers finite.
        match serde_json::value::to_raw_value(&value.into()) {
            Ok(raw) => self.member_raw(name, raw),
            Err(_) => self,
        }
    }

    /// Adds (or replaces) a member with its exact JSON text, as [`member`](Self::member).
    ///
    /// ```
    /// use wegly_attribution::CustomField;
    /// let raw = serde_json::value::RawValue::from_string("1e400".to_owned())?;
    /// let field = CustomField::new(uuid::Uuid::nil()).member_raw("value", raw);
    /// assert_eq!(field.get("value").map(|v| v.get()), Some("1e400"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn member_raw(mut self, name: impl Into<String>, value: Box<RawValue>) -> Self {
        let name = name.into();
        if name == "field_id" {
            return self;
        }
        let value = minified(value);
        match self
            .members
            .binary_search_by(|(n, _)| n.as_str().cmp(&name))
        {
            Ok(i) => {
                if let Some(slot) = self.members.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.members.insert(i, (name, value)),
        }
        self
    }

    /// The custom field.
    ///
    /// ```
    /// use wegly_attribution::CustomField;
    /// assert!(CustomField::new(uuid::Uuid::nil()).field_id().is_nil());
    /// ```
    #[must_use]
    pub fn field_id(&self) -> Uuid {
        self.field_id
    }

    /// A member's exact JSON text.
    ///
    /// ```
    /// use wegly_attribution::CustomField;
    /// let field = CustomField::new(uuid::Uuid::nil()).member("value", 10);
    /// assert_eq!(field.get("value").map(|v| v.get()), Some("10"));
    /// assert!(field.get("other").is_none());
    /// ```
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        let i = self
            .members
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()?;
        self.members.get(i).map(|(_, value)| &**value)
    }

    /// The members other than `field_id`, in ascending name order.
    ///
    /// ```
    /// use wegly_attribution::CustomField;
    /// let field = CustomField::new(uuid::Uuid::nil()).member("b", 1).member("a", 2);
    /// assert_eq!(field.members().map(|(name, _)| name).collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn members(&self) -> impl ExactSizeIterator<Item = (&str, &RawValue)> {
        self.members
            .iter()
            .map(|(name, value)| (name.as_str(), &**value))
    }
}

impl PartialEq for CustomField {
    fn eq(&self, other: &Self) -> bool {
        self.field_id == other.field_id
            && self.members.len() == other.members.len()
            && self
                .members()
                .zip(other.members())
                .all(|((a, x), (b, y))| a == b && x.get() == y.get())
    }
}

impl Eq for CustomField {}

/// JSON text without insignificant white space, so that an answer is written on one line and
/// a request read back gives the same text.
pub(crate) fn minified(raw: Box<RawValue>) -> Box<RawValue> {
    let text = raw.get();
    // A string, number or literal has no white space outside a string, and a `RawValue` none
    // around it: only an array or an object can need the rewrite below.
    if !text.starts_with(['[', '{'])
        || !text
            .bytes()
            .any(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        return raw;
    }
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    // White space removed outside strings leaves valid JSON.
    RawValue::from_string(out).unwrap_or(raw)
}

impl Serialize for CustomField {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.members.len() + 1))?;
        map.serialize_entry("field_id", &self.field_id)?;
        for (key, value) in &self.members {
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
/// assert_eq!(valid.request.followers()[0].user_id.to_string(), "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d");
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
/// assert_eq!(valid.request.note(), Some(&expected));
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
        for member in Member::ALL {
            let key = member.name();
            match member {
                Member::Title => map.serialize_entry(key, &self.title)?,
                Member::StageId => entry(&mut map, key, self.stage_id.as_ref())?,
                Member::ResponsibleId => entry(&mut map, key, self.responsible_id.as_ref())?,
                Member::QualityRating => entry(&mut map, key, self.quality_rating.as_ref())?,
                Member::QualityReason => entry(&mut map, key, self.quality_reason.as_ref())?,
                Member::Value => entry(&mut map, key, self.value.as_ref())?,
                Member::ExpectedCloseDate => {
                    let close = self.expected_close_date.map(super::date::format);
                    entry(&mut map, key, close.as_ref())?;
                }
                Member::Visibility => entry(&mut map, key, self.visibility.as_ref())?,
                Member::Temperature => entry(&mut map, key, self.temperature.as_ref())?,
                Member::Tags => list(&mut map, key, &self.tags)?,
                Member::PersonsId => {
                    if !self.persons_id.is_empty() {
                        let ids: Vec<Id<'_>> = self.persons_id.iter().map(|id| Id { id }).collect();
                        map.serialize_entry(key, &ids)?;
                    }
                }
                Member::Person => entry(&mut map, key, self.person.as_ref())?,
                Member::PrimaryPersonId => {
                    entry(&mut map, key, self.primary_person_id.as_ref())?;
                }
                Member::OrganizationId => {
                    if let Some(Organization::Existing(id)) = &self.organization {
                        map.serialize_entry(key, id)?;
                    }
                }
                Member::Organization => {
                    if let Some(Organization::Named(name)) = &self.organization {
                        map.serialize_entry(key, &Name { name })?;
                    }
                }
                Member::CustomFields => list(&mut map, key, &self.custom_fields)?,
                Member::Marketing => entry(&mut map, key, self.marketing.as_ref())?,
                Member::CrmLeadSourceId => {
                    if let Some(LeadSource::Existing(id)) = &self.lead_source {
                        map.serialize_entry(key, id)?;
                    }
                }
                Member::LeadSource => {
                    if let Some(LeadSource::Named(name)) = &self.lead_source {
                        map.serialize_entry(key, &Name { name })?;
                    }
                }
                Member::Followers => list(&mut map, key, &self.followers)?,
                Member::Note => entry(&mut map, key, self.note.as_ref())?,
            }
        }
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
