//! Building a create-deal request in Rust.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::enums::{QualityRating, Temperature, Visibility};
use super::money::Money;
use super::request::{
    CreateDealRequest, CustomField, Follower, NewPerson, Note, Organization, Validated,
};
use crate::{LeadSource, Normalizer, Rejected};

/// Builds a [`CreateDealRequest`] from Rust values, then validates it exactly as
/// [`CreateDealRequest::from_json`] does (same rules, same errors and paths, marketing
/// normalized).
///
/// ```
/// use wegly_attribution::{CreateDealRequest, Money, NewPerson, Temperature};
///
/// let valid = CreateDealRequest::builder("Implementação completa CRM")
///     .value("75000.50".parse::<Money>()?)
///     .temperature(Temperature::Hot)
///     .tag("enterprise")
///     .person(NewPerson::new("Roberto Martins"))
///     .marketing_field("url_conversion", "https://x.com.br/?utm_source=linkedin")
///     .build()?;
/// let marketing = valid.request.marketing.as_ref().unwrap();
/// assert_eq!(marketing.get("wegly_source"), Some("linkedin"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CreateDealBuilder {
    members: Map<String, Value>,
    value: Option<Money>,
    marketing: Map<String, Value>,
}

impl CreateDealRequest {
    /// Starts a request with its title.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::builder(" Implantação CRM ").build()?;
    /// assert_eq!(valid.request.title, "Implantação CRM");
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn builder(title: impl Into<String>) -> CreateDealBuilder {
        let mut members = Map::new();
        members.insert("title".to_owned(), Value::String(title.into()));
        CreateDealBuilder {
            members,
            value: None,
            marketing: Map::new(),
        }
    }
}

impl CreateDealBuilder {
    fn set(mut self, key: &str, value: impl Serialize) -> Self {
        // Serializing these plain types to a `Value` cannot fail: they have string keys and
        // no custom serialization that errors.
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.members.insert(key.to_owned(), value);
        self
    }

    fn push(mut self, key: &str, item: impl Serialize) -> Self {
        let item = serde_json::to_value(item).unwrap_or(Value::Null);
        match self.members.get_mut(key) {
            Some(Value::Array(items)) => items.push(item),
            _ => {
                self.members
                    .insert(key.to_owned(), Value::Array(vec![item]));
            }
        }
        self
    }

    /// Sets `stage_id`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let stage: uuid::Uuid = "5f0c6c2e-8a1d-4b7e-9c3a-2d4e6f8a0b1c".parse()?;
    /// let valid = CreateDealRequest::builder("Implantação CRM").stage_id(stage).build()?;
    /// assert_eq!(valid.request.stage_id, Some(stage));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stage_id(self, id: Uuid) -> Self {
        self.set("stage_id", id)
    }

    /// Sets `responsible_id`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let owner: uuid::Uuid = "9b2e4d6f-1a3c-4e5f-8a7b-0c1d2e3f4a5b".parse()?;
    /// let valid = CreateDealRequest::builder("Implantação CRM").responsible_id(owner).build()?;
    /// assert_eq!(valid.request.responsible_id, Some(owner));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn responsible_id(self, id: Uuid) -> Self {
        self.set("responsible_id", id)
    }

    /// Sets `quality_rating`.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, QualityRating};
    /// let valid = CreateDealRequest::builder("Implantação CRM").quality_rating(QualityRating::Four).build()?;
    /// assert_eq!(valid.request.quality_rating, Some(QualityRating::Four));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn quality_rating(self, rating: QualityRating) -> Self {
        self.set("quality_rating", rating)
    }

    /// Sets `quality_reason`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::builder("Implantação CRM").quality_reason(" Orçamento aprovado ").build()?;
    /// assert_eq!(valid.request.quality_reason.as_deref(), Some("Orçamento aprovado"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn quality_reason(self, reason: impl Into<String>) -> Self {
        self.set("quality_reason", reason.into())
    }

    /// Sets `value`.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Money};
    /// let valid = CreateDealRequest::builder("Implantação CRM").value("1500.50".parse::<Money>()?).build()?;
    /// assert_eq!(valid.request.value.map(Money::cents), Some(150_050));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn value(mut self, value: Money) -> Self {
        self.value = Some(value);
        self
    }

    /// Sets `expected_close_date`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let close: jiff::Timestamp = "2024-03-15T18:00:00Z".parse()?;
    /// let valid = CreateDealRequest::builder("Implantação CRM").expected_close_date(close).build()?;
    /// assert_eq!(valid.request.expected_close_date, Some(close));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expected_close_date(self, at: Timestamp) -> Self {
        self.set("expected_close_date", at.to_string())
    }

    /// Sets `visibility`.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Visibility};
    /// let valid = CreateDealRequest::builder("Implantação CRM").visibility(Visibility::Team).build()?;
    /// assert_eq!(valid.request.visibility, Some(Visibility::Team));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn visibility(self, visibility: Visibility) -> Self {
        self.set("visibility", visibility)
    }

    /// Sets `temperature`.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Temperature};
    /// let valid = CreateDealRequest::builder("Implantação CRM").temperature(Temperature::Hot).build()?;
    /// assert_eq!(valid.request.temperature, Some(Temperature::Hot));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn temperature(self, temperature: Temperature) -> Self {
        self.set("temperature", temperature)
    }

    /// Adds a tag ID.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, WarningCode};
    /// let valid = CreateDealRequest::builder("Implantação CRM").tag("enterprise").tag("crm").tag("enterprise").build()?;
    /// assert_eq!(valid.request.tags, ["enterprise", "crm"]);
    /// assert_eq!(valid.warnings[0].code, WarningCode::DuplicateTag);
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn tag(self, tag: impl Into<String>) -> Self {
        self.push("tags", tag.into())
    }

    /// Associates an existing person (`persons_id`).
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let person: uuid::Uuid = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f".parse()?;
    /// let valid = CreateDealRequest::builder("Implantação CRM").person_id(person).build()?;
    /// assert_eq!(valid.request.persons_id, [person]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn person_id(self, id: Uuid) -> Self {
        self.push("persons_id", serde_json::json!({ "id": id }))
    }

    /// Sets the person to create.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, NewPerson};
    /// let valid = CreateDealRequest::builder("Implantação CRM").person(NewPerson::new("Roberto Martins")).build()?;
    /// assert_eq!(valid.request.person.map(|p| p.name).as_deref(), Some("Roberto Martins"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn person(self, person: NewPerson) -> Self {
        self.set("person", person)
    }

    /// Sets `primary_person_id`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let person: uuid::Uuid = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f".parse()?;
    /// let valid = CreateDealRequest::builder("Implantação CRM").person_id(person).primary_person_id(person).build()?;
    /// assert_eq!(valid.request.primary_person_id, Some(person));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn primary_person_id(self, id: Uuid) -> Self {
        self.set("primary_person_id", id)
    }

    /// Sets the organization (`organization_id` or `organization`), replacing any other.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Organization};
    /// let named = Organization::Named("Construtora Horizonte".into());
    /// let valid = CreateDealRequest::builder("Implantação CRM")
    ///     .organization(Organization::Existing(uuid::Uuid::nil()))
    ///     .organization(named.clone())
    ///     .build()?;
    /// assert_eq!(valid.request.organization, Some(named));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn organization(mut self, organization: Organization) -> Self {
        self.members.remove("organization_id");
        self.members.remove("organization");
        match organization {
            Organization::Existing(id) => self.set("organization_id", id),
            Organization::Named(name) => {
                self.set("organization", serde_json::json!({ "name": name }))
            }
        }
    }

    /// Adds a custom field answer.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, CustomField};
    /// let mut answer = serde_json::Map::new();
    /// answer.insert("value".into(), "Sim".into());
    /// let field = CustomField::new("7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a".parse()?, answer);
    /// let valid = CreateDealRequest::builder("Implantação CRM").custom_field(field.clone()).build()?;
    /// assert_eq!(valid.request.custom_fields, [field]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn custom_field(self, field: CustomField) -> Self {
        self.push("custom_fields", field)
    }

    /// Sets one marketing member (any key: non-tracking keys are dropped with a warning, as in
    /// JSON).
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, WarningCode};
    /// let valid = CreateDealRequest::builder("Implantação CRM").marketing_field("utm_source", "google").marketing_field("referrer", "home").build()?;
    /// let marketing = valid.request.marketing.as_ref().ok_or("no marketing")?;
    /// assert_eq!(marketing.get("wegly_source"), Some("google"));
    /// assert_eq!(valid.warnings[0].code, WarningCode::IgnoredField);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn marketing_field(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.marketing
            .insert(key.into(), Value::String(value.into()));
        self
    }

    /// Sets the lead source (`crm_lead_source_id` or `lead_source`), replacing any other.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, LeadSource};
    /// let valid = CreateDealRequest::builder("Implantação CRM").lead_source(LeadSource::Named("Indicação".into())).build()?;
    /// assert_eq!(valid.request.lead_source, Some(LeadSource::Named("Indicação".into())));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn lead_source(mut self, source: LeadSource) -> Self {
        self.members.remove("crm_lead_source_id");
        self.members.remove("lead_source");
        match source {
            LeadSource::Existing(id) => self.set("crm_lead_source_id", id),
            LeadSource::Named(name) => self.set("lead_source", serde_json::json!({ "name": name })),
        }
    }

    /// Adds a follower.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Follower, WarningCode};
    /// let follower = Follower { user_id: "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d".parse()?, role_id: uuid::Uuid::nil() };
    /// let valid = CreateDealRequest::builder("Implantação CRM").follower(follower).follower(follower).build()?;
    /// assert_eq!(valid.request.followers, [follower]);
    /// assert_eq!(valid.warnings[0].code, WarningCode::DuplicateFollower);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn follower(self, follower: Follower) -> Self {
        self.push("followers", follower)
    }

    /// Sets the note.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Note};
    /// let note = Note { content: "Cliente pediu proposta até sexta".into(), is_pinned: true };
    /// let valid = CreateDealRequest::builder("Implantação CRM").note(note.clone()).build()?;
    /// assert_eq!(valid.request.note, Some(note));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn note(self, note: Note) -> Self {
        self.set("note", note)
    }

    /// Validates with the default [`Normalizer`].
    ///
    /// # Errors
    ///
    /// [`Rejected`] with every problem, as [`CreateDealRequest::from_json`] reports them.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, ErrorCode};
    /// let valid = CreateDealRequest::builder("Implantação CRM").build()?;
    /// assert_eq!(valid.request.title, "Implantação CRM");
    /// let rejected = CreateDealRequest::builder("  ").build().unwrap_err();
    /// assert_eq!((rejected.errors[0].path.as_str(), rejected.errors[0].code), ("/title", ErrorCode::Required));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn build(self) -> Result<Validated, Rejected> {
        self.build_with(&Normalizer::new())
    }

    /// Validates with a configured [`Normalizer`] (limit, catalog).
    ///
    /// # Errors
    ///
    /// As [`build`](Self::build).
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Normalizer, WarningCode};
    /// let valid = CreateDealRequest::builder("Implantação CRM")
    ///     .marketing_field("utm_source", "newsletter")
    ///     .marketing_field("utm_medium", "email")
    ///     .build_with(&Normalizer::new().max_value_chars(5))?;
    /// let marketing = valid.request.marketing.as_ref().ok_or("no marketing")?;
    /// assert_eq!((marketing.get("utm_source"), marketing.get("utm_medium")), (None, Some("email")));
    /// assert_eq!(valid.warnings[0].code, WarningCode::ValueTooLong);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build_with(mut self, normalizer: &Normalizer<'_>) -> Result<Validated, Rejected> {
        if let Some(value) = self.value {
            // Exact: `Money` serializes to a number that reads back to the same cents.
            self = self.set("value", value);
        }
        if !self.marketing.is_empty() {
            let marketing = std::mem::take(&mut self.marketing);
            self.members
                .insert("marketing".to_owned(), Value::Object(marketing));
        }
        // The same bytes-to-request path as JSON input, so the rules cannot drift apart.
        let bytes = serde_json::to_vec(&self.members).unwrap_or_default();
        normalizer.create_deal(&bytes)
    }
}
