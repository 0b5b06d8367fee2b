//! Building a create-deal request in Rust.

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::civil::DateTime;
use uuid::Uuid;

use super::draft::{Draft, Field, NoteDraft, PersonDraft};
use super::enums::{QualityRating, Temperature, Visibility};
use super::json::Scalar;
use super::money::Money;
use super::request::{
    CreateDealRequest, CustomField, Follower, NewPerson, Note, Organization, Validated,
};
use crate::{LeadSource, Marketing, Normalizer, Rejected};

/// Builds a [`CreateDealRequest`] from typed Rust values, then validates it with the rules
/// [`CreateDealRequest::from_json`] applies (same errors and paths, marketing normalized), with
/// no JSON in between.
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
/// let marketing = valid.request.marketing().ok_or("no marketing")?;
/// assert_eq!(marketing.get("wegly_source"), Some("linkedin"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CreateDealBuilder {
    draft: Draft<'static>,
}

impl CreateDealRequest {
    /// Starts a request with its title.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::builder(" Implantação CRM ").build()?;
    /// assert_eq!(valid.request.title(), "Implantação CRM");
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn builder(title: impl Into<String>) -> CreateDealBuilder {
        CreateDealBuilder {
            draft: Draft {
                title: Field::Value(Cow::Owned(title.into())),
                ..Draft::default()
            },
        }
    }

    /// A builder holding this request, to change it: the way to edit a request, which is only
    /// ever valid (`docs/rules.md` §3.1).
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Temperature};
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T", "tags": ["crm"]}"#)?;
    /// let warmer = valid.request.to_builder().temperature(Temperature::Hot).build()?;
    /// assert_eq!(warmer.request.tags(), ["crm"]);
    /// assert_eq!(warmer.request.temperature(), Some(Temperature::Hot));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn to_builder(&self) -> CreateDealBuilder {
        let mut builder = CreateDealRequest::builder(self.title.clone());
        let draft = &mut builder.draft;
        draft.stage_id = Field::from_option(self.stage_id);
        draft.responsible_id = Field::from_option(self.responsible_id);
        draft.quality_rating = Field::from_option(self.quality_rating);
        draft.quality_reason = Field::from_option(self.quality_reason.clone().map(Cow::Owned));
        draft.value = Field::from_option(self.value);
        draft.expected_close_date = Field::from_option(self.expected_close_date);
        draft.visibility = Field::from_option(self.visibility);
        draft.temperature = Field::from_option(self.temperature);
        draft.primary_person_id = Field::from_option(self.primary_person_id);
        for tag in &self.tags {
            builder = builder.tag(tag.clone());
        }
        for id in &self.persons_id {
            builder = builder.person_id(*id);
        }
        if let Some(person) = &self.person {
            builder = builder.person(person.clone());
        }
        if let Some(organization) = &self.organization {
            builder = builder.organization(organization.clone());
        }
        for field in &self.custom_fields {
            builder = builder.custom_field(field.clone());
        }
        if let Some(marketing) = &self.marketing {
            builder = builder.marketing(marketing);
        }
        if let Some(source) = &self.lead_source {
            builder = builder.lead_source(source.clone());
        }
        for follower in &self.followers {
            builder = builder.follower(*follower);
        }
        if let Some(note) = &self.note {
            builder = builder.note(note.clone());
        }
        builder
    }
}

impl CreateDealBuilder {
    #[inline]
    fn set(mut self, change: impl FnOnce(&mut Draft<'static>)) -> Self {
        change(&mut self.draft);
        self
    }

    /// Sets the title.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, ErrorCode};
    /// let rejected = CreateDealRequest::builder("T").title("x".repeat(151)).build().unwrap_err();
    /// assert_eq!(rejected.errors[0].path(), "/title");
    /// assert_eq!(rejected.errors[0].code(), ErrorCode::TooLong);
    /// ```
    #[inline]
    pub fn title(self, title: impl Into<String>) -> Self {
        self.set(|d| d.title = Field::Value(Cow::Owned(title.into())))
    }

    /// Sets `stage_id`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let stage: uuid::Uuid = "5f0c6c2e-8a1d-4b7e-9c3a-2d4e6f8a0b1c".parse()?;
    /// let valid = CreateDealRequest::builder("Implantação CRM").stage_id(stage).build()?;
    /// assert_eq!(valid.request.stage_id(), Some(stage));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn stage_id(self, id: Uuid) -> Self {
        self.set(|d| d.stage_id = Field::Value(id))
    }

    /// Sets `responsible_id`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let owner: uuid::Uuid = "9b2e4d6f-1a3c-4e5f-8a7b-0c1d2e3f4a5b".parse()?;
    /// let valid = CreateDealRequest::builder("Implantação CRM").responsible_id(owner).build()?;
    /// assert_eq!(valid.request.responsible_id(), Some(owner));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn responsible_id(self, id: Uuid) -> Self {
        self.set(|d| d.responsible_id = Field::Value(id))
    }

    /// Sets `quality_rating`.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, QualityRating};
    /// let valid = CreateDealRequest::builder("Implantação CRM").quality_rating(QualityRating::Four).build()?;
    /// assert_eq!(valid.request.quality_rating(), Some(QualityRating::Four));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn quality_rating(self, rating: QualityRating) -> Self {
        self.set(|d| d.quality_rating = Field::Value(rating))
    }

    /// Sets `quality_reason`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let valid = CreateDealRequest::builder("Implantação CRM").quality_reason(" Orçamento aprovado ").build()?;
    /// assert_eq!(valid.request.quality_reason(), Some("Orçamento aprovado"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn quality_reason(self, reason: impl Into<String>) -> Self {
        self.set(|d| d.quality_reason = Field::Value(Cow::Owned(reason.into())))
    }

    /// Sets `value`.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Money};
    /// let valid = CreateDealRequest::builder("Implantação CRM").value("1500.50".parse::<Money>()?).build()?;
    /// assert_eq!(valid.request.value().map(Money::cents), Some(150_050));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn value(mut self, value: Money) -> Self {
        self.draft.value = Field::Value(value);
        self
    }

    /// Sets `expected_close_date`, a civil date-time in UTC: the type
    /// [`CreateDealRequest::expected_close_date`] returns (a `jiff::Timestamp` ends before the
    /// API's range does; `ts.to_zoned(TimeZone::UTC).datetime()` converts one).
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// use wegly_attribution::jiff::civil::date;
    /// let close = date(2024, 3, 15).at(18, 0, 0, 0);
    /// let valid = CreateDealRequest::builder("Implantação CRM").expected_close_date(close).build()?;
    /// assert_eq!(valid.request.expected_close_date(), Some(close));
    ///
    /// // A typed value out of the API's range is reported as in JSON.
    /// let Err(rejected) = CreateDealRequest::builder("T").expected_close_date(date(-1, 1, 1).at(0, 0, 0, 0)).build() else {
    ///     return Err("accepted".into());
    /// };
    /// assert_eq!(rejected.errors[0].code().as_str(), "out_of_range");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn expected_close_date(self, utc: DateTime) -> Self {
        self.set(|d| d.expected_close_date = Field::Value(utc))
    }

    /// Sets `visibility`.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Visibility};
    /// let valid = CreateDealRequest::builder("Implantação CRM").visibility(Visibility::Team).build()?;
    /// assert_eq!(valid.request.visibility(), Some(Visibility::Team));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn visibility(self, visibility: Visibility) -> Self {
        self.set(|d| d.visibility = Field::Value(visibility))
    }

    /// Sets `temperature`.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Temperature};
    /// let valid = CreateDealRequest::builder("Implantação CRM").temperature(Temperature::Hot).build()?;
    /// assert_eq!(valid.request.temperature(), Some(Temperature::Hot));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn temperature(self, temperature: Temperature) -> Self {
        self.set(|d| d.temperature = Field::Value(temperature))
    }

    /// Adds a tag ID.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, WarningCode};
    /// let valid = CreateDealRequest::builder("Implantação CRM").tag("enterprise").tag("crm").tag("enterprise").build()?;
    /// assert_eq!(valid.request.tags(), ["enterprise", "crm"]);
    /// assert_eq!(valid.warnings[0].code(), WarningCode::DuplicateTag);
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn tag(self, tag: impl Into<String>) -> Self {
        self.set(|d| d.tags.push_with(|i| (i, Cow::Owned(tag.into()))))
    }

    /// Associates an existing person (`persons_id`).
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let person: uuid::Uuid = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f".parse()?;
    /// let valid = CreateDealRequest::builder("Implantação CRM").person_id(person).build()?;
    /// assert_eq!(valid.request.persons_id(), [person]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn person_id(self, id: Uuid) -> Self {
        self.set(|d| d.persons_id.push_with(|_| id))
    }

    /// Sets the person to create.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, NewPerson};
    /// let valid = CreateDealRequest::builder("Implantação CRM").person(NewPerson::new("Roberto Martins")).build()?;
    /// assert_eq!(valid.request.person().map(|p| p.name.as_str()), Some("Roberto Martins"));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn person(self, person: NewPerson) -> Self {
        let contacts = person
            .contacts
            .into_iter()
            .enumerate()
            .map(|(i, c)| (i, Field::Value(c.kind), Field::Value(Cow::Owned(c.value))))
            .collect();
        let person = PersonDraft {
            name: Field::Value(Cow::Owned(person.name)),
            contacts,
            avoid_duplicate: person.avoid_duplicate,
            duplicate_check_types: person.duplicate_check_types,
        };
        self.set(|d| d.person = Field::Value(person))
    }

    /// Sets `primary_person_id`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    /// let person: uuid::Uuid = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f".parse()?;
    /// let valid = CreateDealRequest::builder("Implantação CRM").person_id(person).primary_person_id(person).build()?;
    /// assert_eq!(valid.request.primary_person_id(), Some(person));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn primary_person_id(self, id: Uuid) -> Self {
        self.set(|d| d.primary_person_id = Field::Value(id))
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
    /// assert_eq!(valid.request.organization(), Some(&named));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn organization(mut self, organization: Organization) -> Self {
        let (id, named) = match organization {
            Organization::Existing(id) => (Field::Value(id), Field::Absent),
            Organization::Named(name) => {
                (Field::Absent, Field::Value(Field::Value(Cow::Owned(name))))
            }
        };
        self.draft.organization_id = id;
        self.draft.organization = named;
        self
    }

    /// Adds a custom field answer.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, CustomField};
    /// let field = CustomField::new("7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a".parse()?).member("value", "Sim");
    /// let valid = CreateDealRequest::builder("Implantação CRM").custom_field(field.clone()).build()?;
    /// assert_eq!(valid.request.custom_fields(), [field]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn custom_field(self, field: CustomField) -> Self {
        self.set(|d| d.custom_fields.push_with(|_| field))
    }

    /// Sets one marketing member (any key: non-tracking keys are dropped with a warning, as in
    /// JSON).
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, WarningCode};
    /// let valid = CreateDealRequest::builder("Implantação CRM").marketing_field("utm_source", "google").marketing_field("referrer", "home").build()?;
    /// let marketing = valid.request.marketing().ok_or("no marketing")?;
    /// assert_eq!(marketing.get("wegly_source"), Some("google"));
    /// assert_eq!(valid.warnings[0].code(), WarningCode::IgnoredField);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn marketing_field(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        // Appended: a key set again is resolved once, when the request is built (the last
        // value wins), so that n members cost O(n) and `to_builder` stays linear.
        let mut members = std::mem::take(&mut self.draft.marketing)
            .value()
            .unwrap_or_default();
        members.push((
            Cow::Owned(key.into()),
            Scalar::Str(Cow::Owned(value.into())),
        ));
        self.draft.marketing = Field::Value(members);
        self
    }

    /// Sets every member of a normalized `marketing` object (as [`marketing_field`] each).
    ///
    /// [`marketing_field`]: Self::marketing_field
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Marketing};
    /// let marketing = Marketing::from_url("https://x.com.br/lp?utm_source=google");
    /// let valid = CreateDealRequest::builder("T").marketing(&marketing).build()?;
    /// assert_eq!(valid.request.marketing(), Some(&marketing));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn marketing(mut self, marketing: &Marketing) -> Self {
        for (key, value) in marketing.iter() {
            self = self.marketing_field(key, value);
        }
        self
    }

    /// Sets the lead source (`crm_lead_source_id` or `lead_source`), replacing any other.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, LeadSource};
    /// let valid = CreateDealRequest::builder("Implantação CRM").lead_source(LeadSource::Named("Indicação".into())).build()?;
    /// assert_eq!(valid.request.lead_source(), Some(&LeadSource::Named("Indicação".into())));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn lead_source(mut self, source: LeadSource) -> Self {
        let (id, named) = match source {
            LeadSource::Existing(id) => (Field::Value(id), Field::Absent),
            LeadSource::Named(name) => {
                (Field::Absent, Field::Value(Field::Value(Cow::Owned(name))))
            }
        };
        self.draft.crm_lead_source_id = id;
        self.draft.lead_source = named;
        self
    }

    /// Adds a follower.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Follower, WarningCode};
    /// let follower = Follower { user_id: "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d".parse()?, role_id: uuid::Uuid::nil() };
    /// let valid = CreateDealRequest::builder("Implantação CRM").follower(follower).follower(follower).build()?;
    /// assert_eq!(valid.request.followers(), [follower]);
    /// assert_eq!(valid.warnings[0].code(), WarningCode::DuplicateFollower);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn follower(self, follower: Follower) -> Self {
        self.set(|d| d.followers.push_with(|i| (i, follower)))
    }

    /// Sets the note.
    ///
    /// ```
    /// use wegly_attribution::{CreateDealRequest, Note};
    /// let note = Note { content: "Cliente pediu proposta até sexta".into(), is_pinned: true };
    /// let valid = CreateDealRequest::builder("Implantação CRM").note(note.clone()).build()?;
    /// assert_eq!(valid.request.note(), Some(&note));
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    #[inline]
    pub fn note(self, note: Note) -> Self {
        let note = NoteDraft {
            content: Field::Value(Cow::Owned(note.content)),
            is_pinned: note.is_pinned,
        };
        self.set(|d| d.note = Field::Value(note))
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
    /// assert_eq!(valid.request.title(), "Implantação CRM");
    /// let rejected = CreateDealRequest::builder("  ").build().unwrap_err();
    /// assert_eq!(rejected.errors[0].path(), "/title");
    /// assert_eq!(rejected.errors[0].code(), ErrorCode::Required);
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
    /// let marketing = valid.request.marketing().ok_or("no marketing")?;
    /// assert_eq!((marketing.get("utm_source"), marketing.get("utm_medium")), (None, Some("email")));
    /// assert_eq!(valid.warnings[0].code(), WarningCode::ValueTooLong);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build_with(self, normalizer: &Normalizer) -> Result<Validated, Rejected> {
        let mut d = normalizer.diagnostics();
        let mut draft = self.draft;
        if let Field::Value(members) = &mut draft.marketing {
            last_wins(members);
        }
        let request = draft.finish(normalizer, normalizer.catalog_ref(), &mut d);
        super::validate::conclude(request, d)
    }
}

/// Keeps one member per key: the value set last, at the place of the first (the builder
/// appends every `marketing_field`). Linear: a few members are compared one by one, more
/// through a hash map.
fn last_wins(members: &mut Vec<(Cow<'static, str>, Scalar<'static>)>) {
    const FEW: usize = 16;
    let mut kept: Vec<(Cow<'static, str>, Scalar<'static>)> = Vec::with_capacity(members.len());
    let mut at: HashMap<Cow<'static, str>, usize> = HashMap::new();
    let many = members.len() > FEW;
    for (key, value) in members.drain(..) {
        let first = if many {
            at.get(&key).copied()
        } else {
            kept.iter().position(|(k, _)| *k == key)
        };
        match first.and_then(|i| kept.get_mut(i)) {
            Some(member) => member.1 = value,
            None => {
                if many {
                    at.insert(key.clone(), kept.len());
                }
                kept.push((key, value));
            }
        }
    }
    *members = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key set again keeps its first place and its last value, below and above the count
    /// where a hash map takes over.
    #[test]
    fn the_last_value_set_wins() {
        for count in [2, 3, 16, 17, 100] {
            let mut members: Vec<(Cow<'static, str>, Scalar<'static>)> = (0..count)
                .map(|i| {
                    (
                        Cow::Owned(format!("k{}", i % 2)),
                        Scalar::Str(Cow::Owned(i.to_string())),
                    )
                })
                .collect();
            last_wins(&mut members);
            let found: Vec<(&str, &str)> = members
                .iter()
                .filter_map(|(k, v)| match v {
                    Scalar::Str(v) => Some((k.as_ref(), v.as_ref())),
                    _ => None,
                })
                .collect();
            let last_even = ((count - 1) / 2 * 2).to_string();
            let last_odd = ((count - 2) / 2 * 2 + 1).to_string();
            assert_eq!(
                found,
                [("k0", last_even.as_str()), ("k1", last_odd.as_str())],
                "{count}"
            );
        }
    }
}
