//! A create-deal request before its value rules: what the JSON reader or the builder gave,
//! already typed. [`Draft::finish`] applies the rules both share (`docs/rules.md` §3 and §3.1), so
//! a typed builder value is reported exactly as the same value in JSON.

use std::borrow::Cow;
use std::collections::HashSet;

use jiff::civil::DateTime;
use uuid::Uuid;

use super::date::{self, DateError};
use super::enums::{QualityRating, Temperature, Visibility};
use super::json::Scalar;
use super::money::Money;
use super::request::{
    Contact, CreateDealRequest, CustomField, Follower, NewPerson, Note, Organization,
};
use crate::error::{Diagnostics, excerpt};
use crate::marketing::trim_str;
use crate::{Catalog, ErrorCode, LeadSource, Lookup, Normalizer, WarningCode};

/// The title's limit, in characters (the API page's `maxLength`).
pub(crate) const TITLE_MAX_CHARS: usize = 150;

/// A member as read: not sent (absent or `null`), sent but invalid (already reported), or a
/// value.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Field<T> {
    #[default]
    Absent,
    Invalid,
    Value(T),
}

impl<T> Field<T> {
    pub(crate) fn sent(&self) -> bool {
        !matches!(self, Field::Absent)
    }

    pub(crate) fn value(self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Invalid => None,
        }
    }

    pub(crate) fn from_option(value: Option<T>) -> Self {
        value.map_or(Field::Absent, Field::Value)
    }
}

impl<T> Field<Vec<T>> {
    /// Appends an item made from its index, making the list sent.
    pub(crate) fn push_with(&mut self, item: impl FnOnce(usize) -> T) {
        let mut items = std::mem::take(self).value().unwrap_or_default();
        items.push(item(items.len()));
        *self = Field::Value(items);
    }
}

/// `person`, before its rules.
#[derive(Debug, Clone, Default)]
pub(crate) struct PersonDraft<'de> {
    pub(crate) name: Field<Cow<'de, str>>,
    /// (index as sent, `type`, `value`).
    pub(crate) contacts: Vec<(usize, Field<u32>, Field<Cow<'de, str>>)>,
    pub(crate) avoid_duplicate: Option<bool>,
    pub(crate) duplicate_check_types: Vec<u32>,
}

/// `note`, before its rules.
#[derive(Debug, Clone, Default)]
pub(crate) struct NoteDraft<'de> {
    pub(crate) content: Field<Cow<'de, str>>,
    pub(crate) is_pinned: bool,
}

/// The payload, typed, before the value rules.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft<'de> {
    pub(crate) title: Field<Cow<'de, str>>,
    pub(crate) stage_id: Field<Uuid>,
    pub(crate) responsible_id: Field<Uuid>,
    pub(crate) quality_rating: Field<QualityRating>,
    pub(crate) quality_reason: Field<Cow<'de, str>>,
    pub(crate) value: Field<Money>,
    pub(crate) expected_close_date: Field<DateTime>,
    pub(crate) visibility: Field<Visibility>,
    pub(crate) temperature: Field<Temperature>,
    /// (index as sent, tag).
    pub(crate) tags: Field<Vec<(usize, Cow<'de, str>)>>,
    /// `Invalid` when one entry is: `primary_person_id` is then not checked against it.
    pub(crate) persons_id: Field<Vec<Uuid>>,
    pub(crate) person: Field<PersonDraft<'de>>,
    pub(crate) primary_person_id: Field<Uuid>,
    pub(crate) organization_id: Field<Uuid>,
    /// `organization.name`.
    pub(crate) organization: Field<Field<Cow<'de, str>>>,
    pub(crate) custom_fields: Field<Vec<CustomField>>,
    /// The members, each key once (the last occurrence), in document order; the engine judges
    /// their values (a string, `null`, or another type it names).
    pub(crate) marketing: Field<Vec<(Cow<'de, str>, Scalar<'de>)>>,
    pub(crate) crm_lead_source_id: Field<Uuid>,
    /// `lead_source.name`.
    pub(crate) lead_source: Field<Field<Cow<'de, str>>>,
    /// (index as sent, follower).
    pub(crate) followers: Field<Vec<(usize, Follower)>>,
    pub(crate) note: Field<NoteDraft<'de>>,
}

impl Draft<'_> {
    /// Applies the value rules; the request when the title is usable. The caller rejects the
    /// payload when `d` holds an error.
    pub(crate) fn finish(
        self,
        normalizer: &Normalizer,
        catalog: &dyn Catalog,
        d: &mut Diagnostics,
    ) -> Option<CreateDealRequest> {
        let title = d.at_name("title", |d| title(d, self.title));
        let stage_ok = !matches!(self.stage_id, Field::Invalid);
        let stage_id = self.stage_id.value();
        let expected_close_date = self
            .expected_close_date
            .value()
            .and_then(|at| d.at_name("expected_close_date", |d| close_date(d, at)));
        let quality_reason = self.quality_reason.value().and_then(trimmed_owned);
        let tags = d.at_name("tags", |d| {
            tags(d, catalog, self.tags.value().unwrap_or_default())
        });
        let person = self
            .person
            .value()
            .and_then(|p| d.at_name("person", |d| person(d, p)));
        let primary_person_id = self.primary_person_id.value();
        let persons_id = match self.persons_id {
            Field::Value(ids) => {
                if let Some(primary) = primary_person_id
                    && !ids.contains(&primary)
                {
                    d.at_name("primary_person_id", |d| {
                        d.error(
                            ErrorCode::NotAssociated,
                            format_args!("{primary} is not one of `persons_id`"),
                        );
                    });
                }
                ids
            }
            Field::Absent | Field::Invalid => Vec::new(),
        };
        let organization = either(
            d,
            ("organization_id", self.organization_id),
            ("organization", self.organization),
            Organization::Existing,
            Organization::Named,
        );
        let sent = either(
            d,
            ("crm_lead_source_id", self.crm_lead_source_id),
            ("lead_source", self.lead_source),
            LeadSource::Existing,
            LeadSource::Named,
        );
        let (marketing, tracked) = match self.marketing.value() {
            Some(members) => d.at_name("marketing", |d| {
                let members = members.iter().map(|(key, value)| (key.as_ref(), value));
                let (marketing, tracked) = normalizer.marketing(catalog, members, sent.as_ref(), d);
                (Some(marketing).filter(|m| !m.is_empty()), tracked)
            }),
            None => (None, None),
        };
        let followers = d.at_name("followers", |d| {
            followers(d, self.followers.value().unwrap_or_default())
        });
        let note = self
            .note
            .value()
            .and_then(|n| d.at_name("note", |d| note(d, n)));
        if quality_reason.is_none()
            && stage_ok
            && matches!(catalog.pipeline(stage_id), Lookup::Found(p) if p.requires_quality_reason)
        {
            d.at_name("quality_reason", |d| {
                d.error(
                    ErrorCode::Required,
                    "the deal's pipeline requires `quality_reason`",
                );
            });
        }
        Some(CreateDealRequest {
            title: title?,
            stage_id,
            responsible_id: self.responsible_id.value(),
            quality_rating: self.quality_rating.value(),
            quality_reason,
            value: self.value.value(),
            expected_close_date,
            visibility: self.visibility.value(),
            temperature: self.temperature.value(),
            tags,
            persons_id,
            person,
            primary_person_id,
            organization,
            custom_fields: self.custom_fields.value().unwrap_or_default(),
            marketing,
            lead_source: sent.or(tracked),
            followers,
            note,
        })
    }
}

/// A string trimmed (`docs/rules.md` §2.2 rule 1's white space), kept without a copy when nothing
/// was trimmed; `None` when empty.
fn trimmed_owned(text: Cow<'_, str>) -> Option<String> {
    let trimmed = trim_str(&text);
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == text.len() {
        Some(text.into_owned())
    } else {
        Some(trimmed.to_owned())
    }
}

fn title(d: &mut Diagnostics, title: Field<Cow<'_, str>>) -> Option<String> {
    let text = match title {
        Field::Absent => {
            d.error(ErrorCode::Required, "missing required member `title`");
            return None;
        }
        Field::Invalid => return None,
        Field::Value(text) => text,
    };
    let Some(text) = trimmed_owned(text) else {
        d.error(ErrorCode::Required, "title must not be empty");
        return None;
    };
    let chars = text.chars().count();
    if chars > TITLE_MAX_CHARS {
        d.error(
            ErrorCode::TooLong,
            format_args!("title has {chars} characters, over the limit of {TITLE_MAX_CHARS}"),
        );
        return None;
    }
    Some(text)
}

fn close_date(d: &mut Diagnostics, at: DateTime) -> Option<DateTime> {
    match date::check_range(at) {
        Ok(at) => Some(at),
        Err(err) => {
            report_date(d, err, &date::format(at));
            None
        }
    }
}

/// Reports a close date that cannot be used.
#[cold]
pub(crate) fn report_date(d: &mut Diagnostics, err: DateError, text: &str) {
    match err {
        DateError::Invalid => d.error(
            ErrorCode::InvalidDateTime,
            format_args!(
                "expected an RFC 3339 date-time such as 2024-03-15T00:00:00Z, found `{}`",
                excerpt(text)
            ),
        ),
        DateError::OutOfRange => d.error(
            ErrorCode::OutOfRange,
            format_args!(
                "`{}` is outside 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
                excerpt(text)
            ),
        ),
    }
}

fn tags(
    d: &mut Diagnostics,
    catalog: &dyn Catalog,
    items: Vec<(usize, Cow<'_, str>)>,
) -> Vec<String> {
    let mut tags: Vec<String> = Vec::with_capacity(items.len());
    if items.len() > Seen::<&str>::FEW {
        // A long list goes through a set of the tags as read, trimmed and borrowed: no copy.
        let mut seen = HashSet::with_capacity(items.len());
        for (i, tag) in &items {
            let tag = trim_str(tag);
            if tag_kept(d, catalog, *i, tag, |tag| seen.insert(tag)) {
                tags.push(tag.to_owned());
            }
        }
        return tags;
    }
    for (i, tag) in items {
        let trimmed = trim_str(&tag);
        let kept = tag_kept(d, catalog, i, trimmed, |tag| !tags.iter().any(|k| k == tag));
        if kept && let Some(tag) = trimmed_owned(tag) {
            // An owned tag that needed no trimming is kept without a copy.
            tags.push(tag);
        }
    }
    tags
}

/// Judges one tag (trimmed): `false` when it is empty or repeated (`first_time` says), with
/// the report; a tag the catalog does not know is reported and kept.
fn tag_kept<'t>(
    d: &mut Diagnostics,
    catalog: &dyn Catalog,
    i: usize,
    tag: &'t str,
    first_time: impl FnOnce(&'t str) -> bool,
) -> bool {
    d.at(i, |d| {
        if tag.is_empty() {
            d.error(ErrorCode::Empty, "a tag ID must not be empty");
            return false;
        }
        if !first_time(tag) {
            d.warn(
                WarningCode::DuplicateTag,
                format_args!("tag `{}` is repeated; dropped", excerpt(tag)),
            );
            return false;
        }
        if catalog.tag(tag) == Lookup::NotFound {
            d.error(
                ErrorCode::NotFound,
                format_args!("no tag has the ID `{}`", excerpt(tag)),
            );
        }
        true
    })
}

fn followers(d: &mut Diagnostics, mut items: Vec<(usize, Follower)>) -> Vec<Follower> {
    let mut seen = Seen::new(items.len());
    for at in 0..items.len() {
        let (earlier, rest) = items.split_at_mut(at);
        let Some((i, follower)) = rest.first_mut() else {
            break;
        };
        let id = follower.user_id;
        // The first of each user is kept: a user is kept already when an earlier item has it.
        if !seen.first_time(&id, |id| earlier.iter().any(|(_, f)| f.user_id == *id)) {
            d.at(*i, |d| {
                d.warn(
                    WarningCode::DuplicateFollower,
                    format_args!("user {id} is already a follower; dropped"),
                );
            });
            *i = DROPPED;
        }
    }
    // Collected in place: the list read is the list kept.
    items
        .into_iter()
        .filter_map(|(i, follower)| (i != DROPPED).then_some(follower))
        .collect()
}

/// The index that marks a repeated follower, dropped.
const DROPPED: usize = usize::MAX;

/// Drops repeats from a list in linear time: the few items of a usual list are compared with
/// those kept so far, and a list longer than that goes through a hash set (a hostile payload
/// may send 100 000 tags).
enum Seen<T> {
    Few,
    Many(HashSet<T>),
}

impl<T: Eq + std::hash::Hash + Clone> Seen<T> {
    const FEW: usize = 16;

    fn new(len: usize) -> Self {
        if len <= Self::FEW {
            Seen::Few
        } else {
            Seen::Many(HashSet::with_capacity(len))
        }
    }

    /// Whether `item` is new; `kept` says whether the few items kept so far hold it.
    fn first_time(&mut self, item: &T, kept: impl FnOnce(&T) -> bool) -> bool {
        match self {
            Seen::Few => !kept(item),
            Seen::Many(set) => set.insert(item.clone()),
        }
    }
}

/// A required, trimmed, non-empty string member of a nested object.
fn required_text(
    d: &mut Diagnostics,
    key: &'static str,
    field: Field<Cow<'_, str>>,
    empty: (ErrorCode, &str),
) -> Option<String> {
    d.at_name(key, |d| match field {
        Field::Absent => {
            d.error(
                ErrorCode::Required,
                format_args!("missing required member `{key}`"),
            );
            None
        }
        Field::Invalid => None,
        Field::Value(text) => {
            let text = trimmed_owned(text);
            if text.is_none() {
                d.error(empty.0, empty.1);
            }
            text
        }
    })
}

fn person(d: &mut Diagnostics, person: PersonDraft<'_>) -> Option<NewPerson> {
    let name = required_text(
        d,
        "name",
        person.name,
        (ErrorCode::Required, "must not be empty"),
    );
    let contacts = d.at_name("contacts", |d| {
        person
            .contacts
            .into_iter()
            .filter_map(|(i, kind, value)| {
                d.at(i, |d| {
                    let kind = d.at_name("type", |d| match kind {
                        Field::Absent => {
                            d.error(ErrorCode::Required, "missing required member `type`");
                            None
                        }
                        field => field.value(),
                    });
                    let value = required_text(
                        d,
                        "value",
                        value,
                        (ErrorCode::Empty, "a contact value must not be empty"),
                    );
                    Some(Contact::new(kind?, value?))
                })
            })
            .collect()
    });
    Some(NewPerson {
        name: name?,
        contacts,
        avoid_duplicate: person.avoid_duplicate,
        duplicate_check_types: person.duplicate_check_types,
    })
}

fn note(d: &mut Diagnostics, note: NoteDraft<'_>) -> Option<Note> {
    let content = required_text(
        d,
        "content",
        note.content,
        (ErrorCode::Required, "must not be empty"),
    );
    Some(Note {
        content: content?,
        is_pinned: note.is_pinned,
    })
}

/// `organization_id` / `organization`, `crm_lead_source_id` / `lead_source`: the two ways of
/// naming a related record, `x_id` or `x: {"name": …}`, at most one; made into `T` by
/// `existing` or `named`.
fn either<T>(
    d: &mut Diagnostics,
    (id_key, id): (&'static str, Field<Uuid>),
    (named_key, named): (&'static str, Field<Field<Cow<'_, str>>>),
    existing: fn(Uuid) -> T,
    named_as: fn(String) -> T,
) -> Option<T> {
    let both = id.sent() && named.sent();
    let name = named.value().and_then(|name| {
        d.at_name(named_key, |d| {
            required_text(d, "name", name, (ErrorCode::Required, "must not be empty"))
        })
    });
    if both {
        d.at_name(named_key, |d| {
            d.error(
                ErrorCode::Conflict,
                format_args!(
                    "`{named_key}` and `{id_key}` exclude each other; send one of the two"
                ),
            );
        });
        return None;
    }
    id.value().map(existing).or(name.map(named_as))
}
