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
    pub fn stage_id(self, id: Uuid) -> Self {
        self.set("stage_id", id)
    }

    /// Sets `responsible_id`.
    pub fn responsible_id(self, id: Uuid) -> Self {
        self.set("responsible_id", id)
    }

    /// Sets `quality_rating`.
    pub fn quality_rating(self, rating: QualityRating) -> Self {
        self.set("quality_rating", rating)
    }

    /// Sets `quality_reason`.
    pub fn quality_reason(self, reason: impl Into<String>) -> Self {
        self.set("quality_reason", reason.into())
    }

    /// Sets `value`.
    pub fn value(mut self, value: Money) -> Self {
        self.value = Some(value);
        self
    }

    /// Sets `expected_close_date`.
    pub fn expected_close_date(self, at: Timestamp) -> Self {
        self.set("expected_close_date", at.to_string())
    }

    /// Sets `visibility`.
    pub fn visibility(self, visibility: Visibility) -> Self {
        self.set("visibility", visibility)
    }

    /// Sets `temperature`.
    pub fn temperature(self, temperature: Temperature) -> Self {
        self.set("temperature", temperature)
    }

    /// Adds a tag ID.
    pub fn tag(self, tag: impl Into<String>) -> Self {
        self.push("tags", tag.into())
    }

    /// Associates an existing person (`persons_id`).
    pub fn person_id(self, id: Uuid) -> Self {
        self.push("persons_id", serde_json::json!({ "id": id }))
    }

    /// Sets the person to create.
    pub fn person(self, person: NewPerson) -> Self {
        self.set("person", person)
    }

    /// Sets `primary_person_id`.
    pub fn primary_person_id(self, id: Uuid) -> Self {
        self.set("primary_person_id", id)
    }

    /// Sets the organization (`organization_id` or `organization`), replacing any other.
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
    pub fn custom_field(self, field: CustomField) -> Self {
        self.push("custom_fields", field)
    }

    /// Sets one marketing member (any key: non-tracking keys are dropped with a warning, as in
    /// JSON).
    pub fn marketing_field(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.marketing
            .insert(key.into(), Value::String(value.into()));
        self
    }

    /// Sets the lead source (`crm_lead_source_id` or `lead_source`), replacing any other.
    pub fn lead_source(mut self, source: LeadSource) -> Self {
        self.members.remove("crm_lead_source_id");
        self.members.remove("lead_source");
        match source {
            LeadSource::Existing(id) => self.set("crm_lead_source_id", id),
            LeadSource::Named(name) => self.set("lead_source", serde_json::json!({ "name": name })),
        }
    }

    /// Adds a follower.
    pub fn follower(self, follower: Follower) -> Self {
        self.push("followers", follower)
    }

    /// Sets the note.
    pub fn note(self, note: Note) -> Self {
        self.set("note", note)
    }

    /// Validates with the default [`Normalizer`].
    ///
    /// # Errors
    ///
    /// [`Rejected`] with every problem, as [`CreateDealRequest::from_json`] reports them.
    pub fn build(self) -> Result<Validated, Rejected> {
        self.build_with(&Normalizer::new())
    }

    /// Validates with a configured [`Normalizer`] (limit, catalog).
    ///
    /// # Errors
    ///
    /// As [`build`](Self::build).
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
