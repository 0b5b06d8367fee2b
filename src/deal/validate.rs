//! Validation of create-deal payloads (SPEC 3): every problem in one pass, each with a JSON
//! Pointer path and a stable code.

use std::collections::HashSet;

use jiff::Timestamp;
use uuid::Uuid;

use super::document::{Document, Input, Node, Object};
use super::enums::{QualityRating, Temperature, Visibility};
use super::money::Money;
use super::request::{
    Contact, CreateDealRequest, CustomField, Follower, NewPerson, Note, Organization, Validated,
};
use crate::error::{Diagnostics, excerpt};
use crate::marketing::{Explicit, is_trimmed};
use crate::{ErrorCode, LeadSource, Normalizer, Rejected, WarningCode};

/// Whether the create-deal page defines a member of that name. A `match`: the top level is
/// checked once per member of every payload.
fn is_request_member(key: &str) -> bool {
    matches!(
        key,
        "title"
            | "stage_id"
            | "responsible_id"
            | "quality_rating"
            | "quality_reason"
            | "value"
            | "expected_close_date"
            | "visibility"
            | "temperature"
            | "tags"
            | "persons_id"
            | "person"
            | "primary_person_id"
            | "organization_id"
            | "organization"
            | "custom_fields"
            | "marketing"
            | "crm_lead_source_id"
            | "lead_source"
            | "followers"
            | "note"
    )
}

/// The title's limit, in characters (the API page's `maxLength`).
const TITLE_MAX_CHARS: usize = 150;

impl Normalizer<'_> {
    /// Validates create-deal JSON bytes with this normalizer's options and catalog.
    ///
    /// # Errors
    ///
    /// [`Rejected`] with every problem found; see [`CreateDealRequest::from_json`].
    ///
    /// ```
    /// use wegly_attribution::Normalizer;
    /// let valid = Normalizer::new().max_value_chars(100).create_deal(br#"{"title": "T"}"#)?;
    /// assert_eq!(valid.request.title, "T");
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn create_deal(&self, bytes: &[u8]) -> Result<Validated, Rejected> {
        match Document::parse(bytes) {
            Ok(Document::Object(input)) => self.validate(input),
            Ok(Document::NotObject(found)) => Err(reject(
                ErrorCode::InvalidType,
                format!("expected an object, found {found}"),
            )),
            Err(err) => Err(reject(ErrorCode::InvalidJson, format!("not JSON: {err}"))),
        }
    }

    /// Validates a payload, collecting every problem.
    pub(crate) fn validate(&self, input: Input<'_>) -> Result<Validated, Rejected> {
        let mut d = Diagnostics::new();
        let request = Walk {
            n: self,
            m: &input.members,
        }
        .request(&mut d, input.value);
        match request {
            Some(request) if !d.has_errors() => Ok(Validated {
                request,
                warnings: d.warnings,
            }),
            _ => Err(Rejected {
                errors: d.errors,
                warnings: d.warnings,
            }),
        }
    }
}

#[cold]
fn reject(code: ErrorCode, message: String) -> Rejected {
    Rejected::at_root(code, message)
}

impl CreateDealRequest {
    /// Validates create-deal JSON bytes (SPEC 3), normalizing `marketing` (SPEC 2).
    ///
    /// `null` counts as "not sent" for every optional member; a required one that is `null`
    /// is `required`. Strings are trimmed; an empty `quality_reason` counts as not sent.
    ///
    /// # Errors
    ///
    /// [`Rejected`] with **every** problem found, each with a JSON Pointer `path`, a stable
    /// [`ErrorCode`] and a message, in the order of the API page's fields (unknown members
    /// last). Bytes that are not JSON give one `invalid_json` error at path `""`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    ///
    /// let json = r#"{"title": "Implementação completa CRM", "value": 75000.5,
    ///     "marketing": {"url_conversion": "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ"}}"#.as_bytes();
    /// let valid = CreateDealRequest::from_json(json)?;
    /// let marketing = valid.request.marketing.as_ref().unwrap();
    /// assert_eq!(marketing.get("wegly_campaign"), Some("crm-enterprise"));
    /// assert_eq!(valid.request.value.map(|v| v.cents()), Some(7_500_050));
    ///
    /// let errors = CreateDealRequest::from_json(br#"{"title": "", "value": 10.555}"#).unwrap_err().errors;
    /// let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    /// assert_eq!(codes, ["required", "too_many_decimals"]);
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Validated, Rejected> {
        Normalizer::new().create_deal(bytes)
    }

    /// [`from_json`](Self::from_json) with a [`Catalog`](crate::Catalog) for the checks only
    /// the API's data can decide (tags, `quality_reason`, trackers).
    ///
    /// # Errors
    ///
    /// As [`from_json`](Self::from_json), plus `not_found` for unknown tags and `required` for a
    /// `quality_reason` the pipeline requires.
    ///
    /// ```
    /// use wegly_attribution::{Catalog, CreateDealRequest, ErrorCode};
    ///
    /// struct Tags;
    ///
    /// impl Catalog for Tags {
    ///     fn tag_exists(&self, tag_id: &str) -> Option<bool> {
    ///         Some(tag_id == "enterprise")
    ///     }
    /// }
    ///
    /// let rejected = CreateDealRequest::from_json_with(br#"{"title": "T", "tags": ["vip"]}"#, &Tags).unwrap_err();
    /// assert_eq!((rejected.errors[0].path.as_str(), rejected.errors[0].code), ("/tags/0", ErrorCode::NotFound));
    /// assert!(CreateDealRequest::from_json_with(br#"{"title": "T", "tags": ["enterprise"]}"#, &Tags).is_ok());
    /// ```
    pub fn from_json_with(
        bytes: &[u8],
        catalog: &(dyn crate::Catalog + Sync),
    ) -> Result<Validated, Rejected> {
        Normalizer::new().catalog(catalog).create_deal(bytes)
    }
}

/// One validation pass over a payload's members.
struct Walk<'n, 'm, 'de> {
    n: &'n Normalizer<'n>,
    m: &'m Object<'de>,
}

impl<'m> Walk<'_, 'm, '_> {
    fn request(&self, d: &mut Diagnostics<'m>, value: Option<&str>) -> Option<CreateDealRequest> {
        let m = self.m;
        let title = d.at("title", |d| title(d, m.get("title")));
        let has_title = title.is_some();
        let mut request = CreateDealRequest::with_title(title.unwrap_or_default());
        request.stage_id = uuid_member(d, m, "stage_id");
        let stage_ok = optional(m, "stage_id").is_none() || request.stage_id.is_some();
        request.responsible_id = uuid_member(d, m, "responsible_id");
        request.quality_rating = enum_member(
            d,
            m,
            "quality_rating",
            QualityRating::from_code,
            "1, 2, 3, 4 or 5",
        );
        request.quality_reason = optional_string(d, m, "quality_reason");
        request.value = value.and_then(|text| d.at("value", |d| money(d, text)));
        request.expected_close_date = optional(m, "expected_close_date")
            .and_then(|v| d.at("expected_close_date", |d| date_time(d, v)));
        request.visibility = enum_member(d, m, "visibility", Visibility::from_code, "0, 1 or 2");
        request.temperature = enum_member(d, m, "temperature", Temperature::from_code, "1, 2 or 3");
        request.tags = self.tags(d);
        let persons = self.persons(d);
        request.person = optional(m, "person").and_then(|v| d.at("person", |d| person(d, v)));
        request.primary_person_id = uuid_member(d, m, "primary_person_id");
        if let (Some(primary), Some(ids)) = (request.primary_person_id, &persons)
            && !ids.contains(&primary)
        {
            d.at("primary_person_id", |d| {
                d.error(
                    ErrorCode::NotAssociated,
                    format!("{primary} is not one of `persons_id`"),
                );
            });
        }
        request.persons_id = persons.unwrap_or_default();
        request.organization =
            either(d, m, "organization_id", "organization").map(|source| match source {
                Either::Id(id) => Organization::Existing(id),
                Either::Name(name) => Organization::Named(name),
            });
        request.custom_fields = list_member(d, m, "custom_fields", custom_field);
        let sent = either(d, m, "crm_lead_source_id", "lead_source").map(|source| match source {
            Either::Id(id) => LeadSource::Existing(id),
            Either::Name(name) => LeadSource::Named(name),
        });
        let marketing = optional(m, "marketing").and_then(|v| {
            d.at("marketing", |d| {
                let members = object(d, v)?;
                let entries = members.iter().map(|(key, value)| (key, explicit(value)));
                Some(self.n.normalize_entries(entries, sent.as_ref(), d))
            })
        });
        let (marketing, tracked) = marketing.unzip();
        request.marketing = marketing.filter(|marketing| !marketing.is_empty());
        request.lead_source = sent.or(tracked.flatten());
        request.followers = self.followers(d);
        request.note = optional(m, "note").and_then(|v| d.at("note", |d| note(d, v)));
        if request.quality_reason.is_none()
            && stage_ok
            && self
                .n
                .catalog_ref()
                .quality_reason_required(request.stage_id)
                == Some(true)
        {
            d.at("quality_reason", |d| {
                d.error(
                    ErrorCode::Required,
                    "the deal's pipeline requires `quality_reason`",
                );
            });
        }
        unknown_members(d, m, is_request_member);
        has_title.then_some(request)
    }

    fn tags(&self, d: &mut Diagnostics<'m>) -> Vec<String> {
        let Some(items) = optional(self.m, "tags").and_then(|v| d.at("tags", |d| array(d, v)))
        else {
            return Vec::new();
        };
        let catalog = self.n.catalog_ref();
        let mut tags: Vec<String> = Vec::with_capacity(items.len());
        let mut seen = Seen::new(items.len());
        d.at("tags", |d| {
            for (i, item) in items.iter().enumerate() {
                d.at(i, |d| {
                    let Node::Str(tag) = item else {
                        return d.invalid_type("a string", item.kind());
                    };
                    let tag = tag.trim_matches(is_trimmed);
                    if tag.is_empty() {
                        return d.error(ErrorCode::Empty, "a tag ID must not be empty");
                    }
                    if !seen.first_time(tag, |tag| tags.iter().any(|kept| kept == tag)) {
                        return d.warn(
                            WarningCode::DuplicateTag,
                            format!("tag `{}` is repeated; dropped", excerpt(tag)),
                        );
                    }
                    if catalog.tag_exists(tag) == Some(false) {
                        d.error(
                            ErrorCode::NotFound,
                            format!("no tag has the ID `{}`", excerpt(tag)),
                        );
                    }
                    tags.push(tag.to_owned());
                });
            }
        });
        tags
    }

    /// `persons_id`, or `None` when it was not sent or one of its entries is invalid (then
    /// `primary_person_id` cannot be checked against it).
    fn persons(&self, d: &mut Diagnostics<'m>) -> Option<Vec<Uuid>> {
        let items =
            optional(self.m, "persons_id").and_then(|v| d.at("persons_id", |d| array(d, v)))?;
        let mut ids = Vec::with_capacity(items.len());
        let mut all = true;
        d.at("persons_id", |d| {
            for (i, item) in items.iter().enumerate() {
                let id = d.at(i, |d| {
                    let object = object(d, item)?;
                    unknown_members(d, object, |key| key == "id");
                    required(d, object, "id", uuid)
                });
                match id {
                    Some(id) => ids.push(id),
                    None => all = false,
                }
            }
        });
        all.then_some(ids)
    }

    fn followers(&self, d: &mut Diagnostics<'m>) -> Vec<Follower> {
        let Some(items) =
            optional(self.m, "followers").and_then(|v| d.at("followers", |d| array(d, v)))
        else {
            return Vec::new();
        };
        let mut kept: Vec<Follower> = Vec::with_capacity(items.len());
        let mut seen = Seen::new(items.len());
        d.at("followers", |d| {
            for (i, item) in items.iter().enumerate() {
                d.at(i, |d| {
                    let Some(follower) = follower(d, item) else {
                        return;
                    };
                    let id = follower.user_id;
                    if seen.first_time(id, |id| kept.iter().any(|f| f.user_id == *id)) {
                        kept.push(follower);
                    } else {
                        d.warn(
                            WarningCode::DuplicateFollower,
                            format!("user {} is already a follower; dropped", follower.user_id),
                        );
                    }
                });
            }
        });
        kept
    }
}

/// Drops repeats from a list in linear time: the few items of a usual list are compared with
/// those kept so far, and a list longer than that goes through a hash set (a hostile payload
/// may send 100 000 tags).
enum Seen<T> {
    Few,
    Many(HashSet<T>),
}

impl<T: Eq + std::hash::Hash + Copy> Seen<T> {
    const FEW: usize = 16;

    fn new(len: usize) -> Self {
        if len <= Self::FEW {
            Seen::Few
        } else {
            Seen::Many(HashSet::with_capacity(len))
        }
    }

    /// Whether `item` is new; `kept` says whether the few items kept so far hold it.
    fn first_time(&mut self, item: T, kept: impl FnOnce(&T) -> bool) -> bool {
        match self {
            Seen::Few => !kept(&item),
            Seen::Many(set) => set.insert(item),
        }
    }
}

fn title(d: &mut Diagnostics<'_>, value: Option<&Node<'_>>) -> Option<String> {
    match value {
        None | Some(Node::Null) => {
            d.error(ErrorCode::Required, "missing required member `title`");
            None
        }
        Some(Node::Str(text)) => {
            let text = text.trim_matches(is_trimmed);
            let chars = text.chars().count();
            if text.is_empty() {
                d.error(ErrorCode::Required, "title must not be empty");
                None
            } else if chars > TITLE_MAX_CHARS {
                d.error(
                    ErrorCode::TooLong,
                    format!("title has {chars} characters, over the limit of {TITLE_MAX_CHARS}"),
                );
                None
            } else {
                Some(text.to_owned())
            }
        }
        Some(other) => {
            d.invalid_type("a string", other.kind());
            None
        }
    }
}

fn money(d: &mut Diagnostics<'_>, text: &str) -> Option<Money> {
    let found = match text.as_bytes().first() {
        Some(b'n') => return None,
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'[') => "an array",
        Some(b'{') => "an object",
        _ => "",
    };
    if !found.is_empty() {
        d.error(
            ErrorCode::InvalidType,
            format!("expected a number, found {found}"),
        );
        return None;
    }
    match Money::parse(text) {
        Ok(money) => Some(money),
        Err(err) => {
            d.error(err.code(), format!("{err}: `{}`", excerpt(text)));
            None
        }
    }
}

/// RFC 3339 date-time; a bare `YYYY-MM-DD` is midnight UTC with warning `date_only`.
fn date_time<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<Timestamp> {
    let Node::Str(text) = value else {
        d.invalid_type("a date-time string", value.kind());
        return None;
    };
    let text = text.trim_matches(is_trimmed);
    let parsed = if is_bare_date(text) {
        let midnight = text
            .parse::<jiff::civil::Date>()
            .ok()
            .and_then(|date| date.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|zoned| zoned.timestamp());
        if midnight.is_some() {
            d.warn(
                WarningCode::DateOnly,
                format!("`{text}` has no time; read as {text}T00:00:00Z"),
            );
        }
        midnight
    } else if is_rfc3339(text) {
        text.parse::<Timestamp>().ok()
    } else {
        None
    };
    if parsed.is_none() {
        d.error(
            ErrorCode::InvalidDateTime,
            format!(
                "expected an RFC 3339 date-time such as 2024-03-15T00:00:00Z, found `{}`",
                excerpt(text)
            ),
        );
    }
    parsed
}

/// `YYYY-MM-DD`.
fn is_bare_date(text: &str) -> bool {
    shape(text.as_bytes(), b"dddd-dd-dd")
}

/// RFC 3339 section 5.6: `YYYY-MM-DD(T|t| )HH:MM:SS(.fraction)?(Z|z|+HH:MM|-HH:MM)`.
fn is_rfc3339(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(date), Some(sep), Some(time)) = (bytes.get(..10), bytes.get(10), bytes.get(11..19))
    else {
        return false;
    };
    if !shape(date, b"dddd-dd-dd")
        || !matches!(sep, b'T' | b't' | b' ')
        || !shape(time, b"dd:dd:dd")
    {
        return false;
    }
    let mut rest = bytes.get(19..).unwrap_or_default();
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = fraction.get(digits..).unwrap_or_default();
    }
    matches!(rest, [b'Z' | b'z']) || shape(rest, b"+dd:dd")
}

/// Whether `bytes` match `pattern`, where `d` is an ASCII digit and `+` is `+` or `-`.
fn shape(bytes: &[u8], pattern: &[u8]) -> bool {
    bytes.len() == pattern.len()
        && bytes.iter().zip(pattern).all(|(b, p)| match p {
            b'd' => b.is_ascii_digit(),
            b'+' => matches!(b, b'+' | b'-'),
            p => b == p,
        })
}

fn person<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<NewPerson> {
    let object = object(d, value)?;
    unknown_members(d, object, |key| {
        matches!(
            key,
            "name" | "contacts" | "avoid_duplicate" | "duplicate_check_types"
        )
    });
    let name = required(d, object, "name", required_text);
    let contacts = list_member(d, object, "contacts", contact);
    let avoid_duplicate = optional(object, "avoid_duplicate")
        .and_then(|v| d.at("avoid_duplicate", |d| boolean(d, v)));
    let duplicate_check_types = list_member(d, object, "duplicate_check_types", contact_type);
    Some(NewPerson {
        name: name?,
        contacts,
        avoid_duplicate,
        duplicate_check_types,
    })
}

fn contact<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<Contact> {
    let object = object(d, value)?;
    unknown_members(d, object, |key| matches!(key, "type" | "value"));
    let kind = required(d, object, "type", contact_type);
    let text = required(d, object, "value", |d, v| {
        let text = string(d, v)?;
        if text.is_empty() {
            d.error(ErrorCode::Empty, "a contact value must not be empty");
            return None;
        }
        Some(text.to_owned())
    });
    Some(Contact::new(kind?, text?))
}

/// A contact type: an integer `>= 0` (`out_of_range` when negative or too large).
fn contact_type<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<u32> {
    let Node::Number(number) = value else {
        d.invalid_type("an integer", value.kind());
        return None;
    };
    if let Some(kind) = number.as_u64().and_then(|n| u32::try_from(n).ok()) {
        return Some(kind);
    }
    if number.is_f64() {
        d.invalid_type("an integer", value.kind());
    } else {
        d.error(
            ErrorCode::OutOfRange,
            format!("expected an integer from 0 to {}, found {number}", u32::MAX),
        );
    }
    None
}

fn custom_field<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<CustomField> {
    let object = object(d, value)?;
    let field_id = required(d, object, "field_id", uuid)?;
    Some(CustomField::new(
        field_id,
        object.to_map_without("field_id"),
    ))
}

fn follower<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<Follower> {
    let object = object(d, value)?;
    unknown_members(d, object, |key| matches!(key, "user_id" | "role_id"));
    let user_id = required(d, object, "user_id", uuid);
    let role_id = required(d, object, "role_id", uuid);
    Some(Follower {
        user_id: user_id?,
        role_id: role_id?,
    })
}

fn note<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<Note> {
    let object = object(d, value)?;
    unknown_members(d, object, |key| matches!(key, "content" | "is_pinned"));
    let content = required(d, object, "content", required_text);
    let is_pinned = optional(object, "is_pinned")
        .and_then(|v| d.at("is_pinned", |d| boolean(d, v)))
        .unwrap_or(false);
    Some(Note {
        content: content?,
        is_pinned,
    })
}

/// The two ways of naming a related record: `x_id` or `x: {"name": …}`.
enum Either {
    Id(Uuid),
    Name(String),
}

/// `organization_id` / `organization`, `crm_lead_source_id` / `lead_source`: at most one.
fn either<'k>(
    d: &mut Diagnostics<'k>,
    m: &'k Object<'_>,
    id: &'k str,
    named: &'k str,
) -> Option<Either> {
    let by_id = uuid_member(d, m, id);
    let by_name = optional(m, named).and_then(|v| {
        d.at(named, |d| {
            let object = object(d, v)?;
            unknown_members(d, object, |key| key == "name");
            required(d, object, "name", required_text)
        })
    });
    if optional(m, id).is_some() && optional(m, named).is_some() {
        d.at(named, |d| {
            d.error(
                ErrorCode::Conflict,
                format!("`{named}` and `{id}` exclude each other; send one of the two"),
            );
        });
        return None;
    }
    by_id.map(Either::Id).or(by_name.map(Either::Name))
}

// Small readers. Each reports at the current path and returns `None` on a problem.

/// A member that was sent: absent and `null` both count as not sent.
fn optional<'m, 'de>(m: &'m Object<'de>, key: &str) -> Option<&'m Node<'de>> {
    m.get(key).filter(|v| !v.is_null())
}

/// A required member, read at its path; `required` when absent or `null`.
fn required<'k, T>(
    d: &mut Diagnostics<'k>,
    m: &'k Object<'_>,
    key: &'k str,
    read: impl FnOnce(&mut Diagnostics<'k>, &'k Node<'_>) -> Option<T>,
) -> Option<T> {
    d.at(key, |d| match optional(m, key) {
        Some(value) => read(d, value),
        None => {
            d.error(
                ErrorCode::Required,
                format!("missing required member `{key}`"),
            );
            None
        }
    })
}

fn uuid_member<'k>(d: &mut Diagnostics<'k>, m: &'k Object<'_>, key: &'k str) -> Option<Uuid> {
    optional(m, key).and_then(|v| d.at(key, |d| uuid(d, v)))
}

fn uuid<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<Uuid> {
    let text = string(d, value)?;
    match Uuid::parse_str(text) {
        Ok(id) => Some(id),
        Err(_) => {
            d.error(
                ErrorCode::InvalidUuid,
                format!("expected a UUID, found `{}`", excerpt(text)),
            );
            None
        }
    }
}

fn enum_member<'k, T>(
    d: &mut Diagnostics<'k>,
    m: &'k Object<'_>,
    key: &'k str,
    from_code: fn(i64) -> Option<T>,
    options: &str,
) -> Option<T> {
    let value = optional(m, key)?;
    d.at(key, |d| {
        let Node::Number(number) = value else {
            d.invalid_type("an integer", value.kind());
            return None;
        };
        let known = number.as_i64().and_then(from_code);
        if known.is_none() {
            d.error(
                ErrorCode::InvalidEnum,
                format!("expected {options}, found {number}"),
            );
        }
        known
    })
}

fn optional_string<'k>(d: &mut Diagnostics<'k>, m: &'k Object<'_>, key: &'k str) -> Option<String> {
    let value = optional(m, key)?;
    d.at(key, |d| string(d, value))
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// A trimmed string.
fn string<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<&'k str> {
    match value {
        Node::Str(text) => Some(text.trim_matches(is_trimmed)),
        other => {
            d.invalid_type("a string", other.kind());
            None
        }
    }
}

/// A trimmed string that must not be empty (`required` when it is).
fn required_text<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<String> {
    let text = string(d, value)?;
    if text.is_empty() {
        d.error(ErrorCode::Required, "must not be empty");
        return None;
    }
    Some(text.to_owned())
}

fn boolean<'k>(d: &mut Diagnostics<'k>, value: &'k Node<'_>) -> Option<bool> {
    match value {
        Node::Bool(flag) => Some(*flag),
        other => {
            d.invalid_type("a boolean", other.kind());
            None
        }
    }
}

fn object<'k, 'de>(d: &mut Diagnostics<'k>, value: &'k Node<'de>) -> Option<&'k Object<'de>> {
    match value {
        Node::Object(object) => Some(object),
        other => {
            d.invalid_type("an object", other.kind());
            None
        }
    }
}

fn array<'k, 'de>(d: &mut Diagnostics<'k>, value: &'k Node<'de>) -> Option<&'k [Node<'de>]> {
    match value {
        Node::Array(items) => Some(items),
        other => {
            d.invalid_type("an array", other.kind());
            None
        }
    }
}

/// An optional array member whose items are read one by one; bad items are reported and
/// skipped.
fn list_member<'k, T>(
    d: &mut Diagnostics<'k>,
    m: &'k Object<'_>,
    key: &'k str,
    mut read: impl FnMut(&mut Diagnostics<'k>, &'k Node<'_>) -> Option<T>,
) -> Vec<T> {
    let Some(value) = optional(m, key) else {
        return Vec::new();
    };
    d.at(key, |d| {
        let Some(items) = array(d, value) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| d.at(i, |d| read(d, item)))
            .collect()
    })
}

fn unknown_members<'k>(d: &mut Diagnostics<'k>, m: &'k Object<'_>, known: fn(&str) -> bool) {
    for (key, _) in m.iter() {
        if !known(key) {
            d.at(key, |d| {
                d.error(
                    ErrorCode::UnknownField,
                    format!("`{}` is not a member the API defines", excerpt(key)),
                );
            });
        }
    }
}

/// A marketing member as the engine reads it.
fn explicit<'v>(value: &'v Node<'_>) -> Explicit<'v> {
    match value {
        Node::Str(text) => Explicit::Str(text),
        Node::Null => Explicit::Null,
        other => Explicit::Other(other.kind()),
    }
}
