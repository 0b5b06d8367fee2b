//! The create-deal reader: JSON bytes into a [`Draft`], one pass, every type problem reported
//! at its JSON Pointer (`docs/rules.md` §3, §3.1). Value rules shared with the builder run later,
//! in [`Draft::finish`].

use std::borrow::Cow;

use serde::de::{IgnoredAny, MapAccess, SeqAccess};
use serde_json::value::RawValue;
use uuid::Uuid;

use super::draft::{Draft, Field, NoteDraft, PersonDraft};
use super::enums::{QualityRating, Temperature, Visibility};
use super::json::{
    Array, Cx, Items, Members, Object, Scalar, nested, nested_item, raw, scalar, scalar_item,
};
use super::member::Member;
use super::request::{CustomField, Follower, minified};
use crate::error::{Diagnostics, excerpt};
use crate::{ErrorCode, WarningCode};

mod scalars;

use scalars::{array, boolean, close_date, code, contact_type, money, object, string, uuid};

/// Reads the top-level object. The draft is boxed: it is large, and is passed up through the
/// reader's layers of results, where a box moves as one pointer.
#[derive(Default)]
pub(crate) struct Request<'de> {
    draft: Box<Draft<'de>>,
}

impl<'de> Members<'de> for Request<'de> {
    const NAMES: &'static [&'static str] = Member::NAMES;
    type Output = Box<Draft<'de>>;

    fn index(key: &str) -> Option<usize> {
        Member::from_name(key).map(|member| member as usize)
    }

    fn known<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        let Some(member) = Member::ALL.get(index) else {
            map.next_value::<IgnoredAny>()?;
            return Ok(());
        };
        let draft = &mut self.draft;
        let exact = cx.exact;
        match member {
            Member::Title => draft.title = string(scalar(map, cx)?, cx.d),
            Member::StageId => draft.stage_id = uuid(scalar(map, cx)?, cx.d),
            Member::ResponsibleId => draft.responsible_id = uuid(scalar(map, cx)?, cx.d),
            Member::QualityRating => {
                draft.quality_rating = code(
                    scalar(map, cx)?,
                    cx.d,
                    QualityRating::from_code,
                    "1, 2, 3, 4 or 5",
                );
            }
            Member::QualityReason => draft.quality_reason = string(scalar(map, cx)?, cx.d),
            Member::Value => draft.value = money(raw(map)?, cx.d),
            Member::ExpectedCloseDate => {
                draft.expected_close_date = close_date(scalar(map, cx)?, cx.d);
            }
            Member::Visibility => {
                draft.visibility = code(scalar(map, cx)?, cx.d, Visibility::from_code, "0, 1 or 2");
            }
            Member::Temperature => {
                draft.temperature =
                    code(scalar(map, cx)?, cx.d, Temperature::from_code, "1, 2 or 3");
            }
            Member::Tags => {
                let items = Tags(Vec::new());
                draft.tags = array(nested(map, exact, Array { items, cx })?, cx.d);
            }
            Member::PersonsId => {
                let items = PersonsId {
                    ids: Vec::new(),
                    all: true,
                };
                draft.persons_id = match nested(map, exact, Array { items, cx })? {
                    Ok(Some(ids)) => Field::Value(ids),
                    Ok(None) => Field::Invalid,
                    Err(found) => match array::<()>(Err(found), cx.d) {
                        Field::Absent => Field::Absent,
                        Field::Invalid | Field::Value(()) => Field::Invalid,
                    },
                };
            }
            Member::Person => {
                let members = Person(PersonDraft::default());
                draft.person = object(nested(map, exact, Object { members, cx })?, cx.d);
            }
            Member::PrimaryPersonId => draft.primary_person_id = uuid(scalar(map, cx)?, cx.d),
            Member::OrganizationId => draft.organization_id = uuid(scalar(map, cx)?, cx.d),
            Member::Organization => {
                let members = Named(Field::Absent);
                draft.organization = object(nested(map, exact, Object { members, cx })?, cx.d);
            }
            Member::CustomFields => {
                let items = CustomFields(Vec::new());
                draft.custom_fields = array(nested(map, exact, Array { items, cx })?, cx.d);
            }
            Member::Marketing => {
                let members = Marketing(Vec::new());
                draft.marketing = object(nested(map, exact, Object { members, cx })?, cx.d);
            }
            Member::CrmLeadSourceId => draft.crm_lead_source_id = uuid(scalar(map, cx)?, cx.d),
            Member::LeadSource => {
                let members = Named(Field::Absent);
                draft.lead_source = object(nested(map, exact, Object { members, cx })?, cx.d);
            }
            Member::Followers => {
                let items = Followers(Vec::new());
                draft.followers = array(nested(map, exact, Array { items, cx })?, cx.d);
            }
            Member::Note => {
                let members = Note(NoteDraft::default());
                draft.note = object(nested(map, exact, Object { members, cx })?, cx.d);
            }
        }
        Ok(())
    }

    fn finish(self, _: &mut Cx<'_>) -> Box<Draft<'de>> {
        self.draft
    }
}

/// Reads the next item of an array of objects with `members`: `None` at the end of the array,
/// `Some(None)` for an item that is not an object (`null` included: an item is never "not
/// sent"), reported.
fn object_item<'de, A: SeqAccess<'de>, M: Members<'de>>(
    seq: &mut A,
    cx: &mut Cx<'_>,
    members: M,
) -> Result<Option<Option<M::Output>>, A::Error> {
    let exact = cx.exact;
    let Some(read) = nested_item(seq, exact, Object { members, cx })? else {
        return Ok(None);
    };
    Ok(Some(match read {
        Ok(made) => Some(made),
        Err(other) => {
            cx.d.invalid_type("an object", other.kind());
            None
        }
    }))
}

/// `tags`: strings; the rules (trim, empty, repeats, catalog) come in `Draft::finish`.
struct Tags<'de>(Vec<(usize, Cow<'de, str>)>);

impl<'de> Items<'de> for Tags<'de> {
    type Output = Vec<(usize, Cow<'de, str>)>;

    fn item<A: SeqAccess<'de>>(
        &mut self,
        index: usize,
        seq: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<bool, A::Error> {
        let Some(found) = scalar_item(seq, cx)? else {
            return Ok(false);
        };
        match found {
            Scalar::Str(tag) => self.0.push((index, tag)),
            other => cx.d.invalid_type("a string", other.kind()),
        }
        Ok(true)
    }

    fn finish(self) -> Self::Output {
        self.0
    }
}

/// `persons_id`: `[{"id": uuid}]`; `None` when one entry is invalid.
struct PersonsId {
    ids: Vec<Uuid>,
    all: bool,
}

impl<'de> Items<'de> for PersonsId {
    type Output = Option<Vec<Uuid>>;

    fn item<A: SeqAccess<'de>>(
        &mut self,
        _: usize,
        seq: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<bool, A::Error> {
        let Some(read) = object_item(seq, cx, Id(Field::Absent))? else {
            return Ok(false);
        };
        match read.flatten() {
            Some(id) => self.ids.push(id),
            None => self.all = false,
        }
        Ok(true)
    }

    fn finish(self) -> Self::Output {
        self.all.then_some(self.ids)
    }
}

/// A `persons_id` entry.
struct Id(Field<Uuid>);

impl<'de> Members<'de> for Id {
    const NAMES: &'static [&'static str] = &["id"];
    type Output = Option<Uuid>;

    fn known<A: MapAccess<'de>>(
        &mut self,
        _: usize,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        self.0 = uuid(scalar(map, cx)?, cx.d);
        Ok(())
    }

    fn finish(self, cx: &mut Cx<'_>) -> Option<Uuid> {
        required(self.0, "id", cx.d)
    }
}

/// A required member of a nested object: `required` when not sent.
fn required<T>(field: Field<T>, key: &str, d: &mut Diagnostics) -> Option<T> {
    if let Field::Absent = field {
        d.at(key, |d| {
            d.error(
                ErrorCode::Required,
                format_args!("missing required member `{key}`"),
            );
        });
    }
    field.value()
}

/// `person`.
struct Person<'de>(PersonDraft<'de>);

impl<'de> Members<'de> for Person<'de> {
    const NAMES: &'static [&'static str] = &[
        "name",
        "contacts",
        "avoid_duplicate",
        "duplicate_check_types",
    ];
    type Output = PersonDraft<'de>;

    fn known<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        let exact = cx.exact;
        let person = &mut self.0;
        match index {
            0 => person.name = string(scalar(map, cx)?, cx.d),
            1 => {
                let items = Contacts(Vec::new());
                person.contacts = array(nested(map, exact, Array { items, cx })?, cx.d)
                    .value()
                    .unwrap_or_default();
            }
            2 => person.avoid_duplicate = boolean(scalar(map, cx)?, cx.d).value(),
            _ => {
                let items = CheckTypes(Vec::new());
                person.duplicate_check_types =
                    array(nested(map, exact, Array { items, cx })?, cx.d)
                        .value()
                        .unwrap_or_default();
            }
        }
        Ok(())
    }

    fn finish(self, _: &mut Cx<'_>) -> PersonDraft<'de> {
        self.0
    }
}

type ContactDraft<'de> = (usize, Field<u32>, Field<Cow<'de, str>>);

/// `person.contacts`.
struct Contacts<'de>(Vec<ContactDraft<'de>>);

impl<'de> Items<'de> for Contacts<'de> {
    type Output = Vec<ContactDraft<'de>>;

    fn item<A: SeqAccess<'de>>(
        &mut self,
        index: usize,
        seq: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<bool, A::Error> {
        let Some(read) = object_item(seq, cx, Contact(Field::Absent, Field::Absent))? else {
            return Ok(false);
        };
        if let Some((kind, value)) = read {
            self.0.push((index, kind, value));
        }
        Ok(true)
    }

    fn finish(self) -> Self::Output {
        self.0
    }
}

/// A contact: `type` and `value`, checked in `Draft::finish`.
struct Contact<'de>(Field<u32>, Field<Cow<'de, str>>);

impl<'de> Members<'de> for Contact<'de> {
    const NAMES: &'static [&'static str] = &["type", "value"];
    type Output = (Field<u32>, Field<Cow<'de, str>>);

    fn known<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        let found = scalar(map, cx)?;
        if index == 0 {
            self.0 = contact_type(found, cx.d);
        } else {
            self.1 = string(found, cx.d);
        }
        Ok(())
    }

    fn finish(self, _: &mut Cx<'_>) -> Self::Output {
        (self.0, self.1)
    }
}

/// `person.duplicate_check_types`: contact types.
struct CheckTypes(Vec<u32>);

impl<'de> Items<'de> for CheckTypes {
    type Output = Vec<u32>;

    fn item<A: SeqAccess<'de>>(
        &mut self,
        _: usize,
        seq: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<bool, A::Error> {
        let Some(found) = scalar_item(seq, cx)? else {
            return Ok(false);
        };
        let found = match found {
            Scalar::Null => {
                cx.d.invalid_type("an integer", "null");
                return Ok(true);
            }
            other => other,
        };
        if let Field::Value(kind) = contact_type(found, cx.d) {
            self.0.push(kind);
        }
        Ok(true)
    }

    fn finish(self) -> Self::Output {
        self.0
    }
}

/// `organization` and `lead_source`: `{"name": …}`.
struct Named<'de>(Field<Cow<'de, str>>);

impl<'de> Members<'de> for Named<'de> {
    const NAMES: &'static [&'static str] = &["name"];
    type Output = Field<Cow<'de, str>>;

    fn known<A: MapAccess<'de>>(
        &mut self,
        _: usize,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        self.0 = string(scalar(map, cx)?, cx.d);
        Ok(())
    }

    fn finish(self, _: &mut Cx<'_>) -> Self::Output {
        self.0
    }
}

/// `custom_fields`.
struct CustomFields(Vec<CustomField>);

impl<'de> Items<'de> for CustomFields {
    type Output = Vec<CustomField>;

    fn item<A: SeqAccess<'de>>(
        &mut self,
        _: usize,
        seq: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<bool, A::Error> {
        let members = Answer {
            field_id: Field::Absent,
            members: Vec::new(),
        };
        let Some(read) = object_item(seq, cx, members)? else {
            return Ok(false);
        };
        if let Some(field) = read.flatten() {
            self.0.push(field);
        }
        Ok(true)
    }

    fn finish(self) -> Self::Output {
        self.0
    }
}

/// One custom field answer: `field_id` and members passed through as their exact text.
struct Answer<'de> {
    field_id: Field<Uuid>,
    members: Vec<(Cow<'de, str>, &'de RawValue)>,
}

impl<'de> Members<'de> for Answer<'de> {
    const NAMES: &'static [&'static str] = &["field_id"];
    const TRACK_UNKNOWN: bool = false;
    type Output = Option<CustomField>;

    fn known<A: MapAccess<'de>>(
        &mut self,
        _: usize,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        self.field_id = uuid(scalar(map, cx)?, cx.d);
        Ok(())
    }

    fn unknown<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
        _: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        let value = raw(map)?;
        // Only an array or an object nests.
        if value.get().starts_with(['[', '{']) && nesting(value.get()) > MAX_DEPTH {
            // What `serde_json` reports when it builds a value this deep: the answer could not
            // be read back by the usual readers.
            return Err(serde::de::Error::custom("recursion limit exceeded"));
        }
        self.members.push((key, value));
        Ok(())
    }

    fn finish(self, cx: &mut Cx<'_>) -> Option<CustomField> {
        let field_id = required(self.field_id, "field_id", cx.d)?;
        let members = last_of_each(self.members, cx.d);
        let mut field = CustomField::new(field_id);
        field.members = members
            .into_iter()
            .map(|(key, value)| (key.into_owned(), minified(value.to_owned())))
            .collect();
        field.members.sort_by(|a, b| a.0.cmp(&b.0));
        Some(field)
    }
}

/// The deepest custom field answer passed through: `serde_json`'s recursion limit, so that
/// what the crate writes, its readers read.
const MAX_DEPTH: usize = 127;

/// How deeply arrays and objects nest in valid JSON text.
fn nesting(json: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in json.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// `marketing`: every member kept for the engine, which judges them.
struct Marketing<'de>(Vec<(Cow<'de, str>, Scalar<'de>)>);

impl<'de> Members<'de> for Marketing<'de> {
    const NAMES: &'static [&'static str] = &[];
    const TRACK_UNKNOWN: bool = false;
    type Output = Vec<(Cow<'de, str>, Scalar<'de>)>;

    fn known<A: MapAccess<'de>>(
        &mut self,
        _: usize,
        map: &mut A,
        _: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>()?;
        Ok(())
    }

    fn unknown<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        let value = scalar(map, cx)?;
        self.0.push((key, value));
        Ok(())
    }

    fn finish(self, cx: &mut Cx<'_>) -> Self::Output {
        let mut members = self.0;
        // A large object grew this list by doubling; give the slack back before the engine
        // builds the normalized object beside it (a few slots are not worth a reallocation).
        if members.capacity() - members.len() > SLACK {
            members.shrink_to_fit();
        }
        last_of_each(members, cx.d)
    }
}

/// The unused slots past which `marketing`'s list is shrunk.
const SLACK: usize = 8;

/// The most members compared pairwise for repeats before sorting.
const FEW_MEMBERS: usize = 8;

/// Keeps the last occurrence of each key, in document order, with one `duplicate_member`
/// warning per repeated key (`docs/rules.md` §3.1). Linear for the usual few members; a sort for
/// many.
fn last_of_each<'de, T>(
    members: Vec<(Cow<'de, str>, T)>,
    d: &mut Diagnostics,
) -> Vec<(Cow<'de, str>, T)> {
    let count = members.len();
    // The usual object has a few members, each once: compared pairwise, without the lists
    // below.
    if count <= FEW_MEMBERS
        && members.iter().enumerate().all(|(i, (key, _))| {
            members
                .get(i + 1..)
                .is_none_or(|rest| rest.iter().all(|(other, _)| other != key))
        })
    {
        return members;
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| members.get(i).map(|(key, _)| key.as_ref());
        key(a).cmp(&key(b)).then(a.cmp(&b))
    });
    let mut keep = vec![true; count];
    let mut warned: Option<usize> = None;
    for pair in order.windows(2) {
        let [a, b] = pair else { continue };
        let (Some((key_a, _)), Some((key_b, _))) = (members.get(*a), members.get(*b)) else {
            continue;
        };
        if key_a != key_b {
            continue;
        }
        if let Some(slot) = keep.get_mut(*a) {
            *slot = false;
        }
        let first_repeat = warned.is_none_or(|w| members.get(w).map(|(k, _)| k) != Some(key_a));
        if first_repeat {
            warned = Some(*a);
            d.at(key_a.as_ref(), |d| {
                d.warn(
                    WarningCode::DuplicateMember,
                    format_args!(
                        "`{}` appears more than once; the last occurrence is used",
                        excerpt(key_a)
                    ),
                );
            });
        }
    }
    if keep.iter().all(|k| *k) {
        return members;
    }
    members
        .into_iter()
        .zip(keep)
        .filter_map(|(member, keep)| keep.then_some(member))
        .collect()
}

/// `followers`.
struct Followers(Vec<(usize, Follower)>);

impl<'de> Items<'de> for Followers {
    type Output = Vec<(usize, Follower)>;

    fn item<A: SeqAccess<'de>>(
        &mut self,
        index: usize,
        seq: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<bool, A::Error> {
        let Some(read) = object_item(seq, cx, FollowerReader(Field::Absent, Field::Absent))? else {
            return Ok(false);
        };
        if let Some(follower) = read.flatten() {
            self.0.push((index, follower));
        }
        Ok(true)
    }

    fn finish(self) -> Self::Output {
        self.0
    }
}

/// A follower: `user_id` and `role_id`, both required.
struct FollowerReader(Field<Uuid>, Field<Uuid>);

impl<'de> Members<'de> for FollowerReader {
    const NAMES: &'static [&'static str] = &["user_id", "role_id"];
    type Output = Option<Follower>;

    fn known<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        let id = uuid(scalar(map, cx)?, cx.d);
        if index == 0 {
            self.0 = id;
        } else {
            self.1 = id;
        }
        Ok(())
    }

    fn finish(self, cx: &mut Cx<'_>) -> Option<Follower> {
        let user_id = required(self.0, "user_id", cx.d);
        let role_id = required(self.1, "role_id", cx.d);
        Some(Follower {
            user_id: user_id?,
            role_id: role_id?,
        })
    }
}

/// `note`.
struct Note<'de>(NoteDraft<'de>);

impl<'de> Members<'de> for Note<'de> {
    const NAMES: &'static [&'static str] = &["content", "is_pinned"];
    type Output = NoteDraft<'de>;

    fn known<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        let found = scalar(map, cx)?;
        if index == 0 {
            self.0.content = string(found, cx.d);
        } else {
            self.0.is_pinned = boolean(found, cx.d).value().unwrap_or(false);
        }
        Ok(())
    }

    fn finish(self, _: &mut Cx<'_>) -> NoteDraft<'de> {
        self.0
    }
}
