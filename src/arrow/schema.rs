//! The result types of the kernels, one definition each.

use std::fmt;
use std::sync::Arc;

use arrow_schema::{DataType, Field, FieldRef, Fields};

/// The fields of [`normalize_urls`](super::normalize_urls)'s result.
///
/// `marketing: map<utf8, utf8>`, `click_ids: list<struct<param, platform, value>>`,
/// `channel: struct<channel, source, medium>`, `warnings: list<struct<path, code, message>>`;
/// every string is `utf8`, every field nullable (a null input row gives nulls; `source` and
/// `medium` are null when there is none) except the map's keys.
///
/// ```
/// use wegly_attribution::arrow::normalized_fields;
/// let fields = normalized_fields();
/// let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
/// assert_eq!(names, ["marketing", "click_ids", "channel", "warnings"]);
/// ```
#[must_use]
pub fn normalized_fields() -> Fields {
    chosen_fields(&NormalizedField::ALL)
}

/// The fields of [`normalize_urls_fields`](super::normalize_urls_fields)'s result: those of
/// [`normalized_fields`] that `fields` names, in its order.
pub(super) fn chosen_fields(fields: &[NormalizedField]) -> Fields {
    fields.iter().map(|field| field.field()).collect()
}

/// A field of [`normalize_urls`](super::normalize_urls)'s result, to choose with
/// [`normalize_urls_fields`](super::normalize_urls_fields).
///
/// ```
/// use wegly_attribution::arrow::{normalized_fields, NormalizedField};
/// let names: Vec<&str> = NormalizedField::ALL.iter().map(|f| f.name()).collect();
/// let fields = normalized_fields();
/// assert!(fields.iter().map(|f| f.name().as_str()).eq(names.iter().copied()));
/// assert_eq!(NormalizedField::from_name("click_ids"), Some(NormalizedField::ClickIds));
/// assert_eq!(NormalizedField::from_name("clicks"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NormalizedField {
    /// `marketing: map<utf8, utf8>`: the normalized object.
    Marketing,
    /// `click_ids: list<struct<param, platform, value>>`.
    ClickIds,
    /// `channel: struct<channel, source, medium>`.
    Channel,
    /// `warnings: list<struct<path, code, message>>`.
    Warnings,
}

impl NormalizedField {
    /// Every field, in the order of [`normalized_fields`].
    pub const ALL: [Self; 4] = [
        Self::Marketing,
        Self::ClickIds,
        Self::Channel,
        Self::Warnings,
    ];

    /// The field's name in the result: `marketing`, `click_ids`, `channel` or `warnings`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Marketing => "marketing",
            Self::ClickIds => "click_ids",
            Self::Channel => "channel",
            Self::Warnings => "warnings",
        }
    }

    /// The field called `name`, if there is one (names are exact: lowercase).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.name() == name)
    }

    /// The bit of this field in a set of fields.
    pub(super) const fn bit(self) -> u8 {
        1 << self as u8
    }

    fn field(self) -> Field {
        let data_type = match self {
            Self::Marketing => DataType::Map(entries_field(), false),
            Self::ClickIds => list_of(click_id_fields()),
            Self::Channel => DataType::Struct(channel_fields()),
            Self::Warnings => list_of(problem_fields()),
        };
        Field::new(self.name(), data_type, true)
    }
}

/// The type of [`normalize_urls`](super::normalize_urls)'s result: a struct of
/// [`normalized_fields`].
///
/// ```
/// use wegly_attribution::arrow::{arrow_array::StringArray, normalize_urls, normalized_type};
/// use wegly_attribution::arrow::arrow_array::Array;
/// assert_eq!(normalize_urls(&StringArray::from(vec!["?gclid=1"]))?.data_type(), &normalized_type());
/// # Ok::<(), wegly_attribution::arrow::KernelError>(())
/// ```
#[must_use]
pub fn normalized_type() -> DataType {
    DataType::Struct(normalized_fields())
}

/// The fields of [`validate_deals`](super::validate_deals)'s result.
///
/// `ok: bool`, `request: utf8` (null when rejected), `channel: struct<channel, source,
/// medium>` (the same struct as [`normalize_urls`](super::normalize_urls)'; null when
/// rejected), `errors` and `warnings`: `list<struct<path, code, message>>`; every field
/// nullable (a null input row gives nulls).
///
/// ```
/// use wegly_attribution::arrow::validated_fields;
/// let fields = validated_fields();
/// let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
/// assert_eq!(names, ["ok", "request", "channel", "errors", "warnings"]);
/// ```
#[must_use]
pub fn validated_fields() -> Fields {
    Fields::from(vec![
        Field::new("ok", DataType::Boolean, true),
        Field::new("request", DataType::Utf8, true),
        NormalizedField::Channel.field(),
        Field::new("errors", list_of(problem_fields()), true),
        Field::new("warnings", list_of(problem_fields()), true),
    ])
}

/// The type of [`validate_deals`](super::validate_deals)'s result: a struct of
/// [`validated_fields`].
///
/// ```
/// use wegly_attribution::arrow::{arrow_array::StringArray, validate_deals, validated_type};
/// use wegly_attribution::arrow::arrow_array::Array;
/// assert_eq!(validate_deals(&StringArray::from(vec!["{}"]))?.data_type(), &validated_type());
/// # Ok::<(), wegly_attribution::arrow::KernelError>(())
/// ```
#[must_use]
pub fn validated_type() -> DataType {
    DataType::Struct(validated_fields())
}

/// The field's name, as [`NormalizedField::name`] gives it.
///
/// ```
/// use wegly_attribution::arrow::NormalizedField;
/// assert_eq!(NormalizedField::ClickIds.to_string(), "click_ids");
/// ```
impl fmt::Display for NormalizedField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn strings(names: &[&str]) -> Fields {
    names
        .iter()
        .map(|name| Field::new(*name, DataType::Utf8, true))
        .collect()
}

fn list_of(fields: Fields) -> DataType {
    DataType::List(Arc::new(Field::new_list_field(
        DataType::Struct(fields),
        true,
    )))
}

/// `param`, `platform`, `value`: a [`ClickId`](crate::ClickId).
pub(super) fn click_id_fields() -> Fields {
    strings(&["param", "platform", "value"])
}

/// `channel`, `source`, `medium`: a [`ChannelAttribution`](crate::ChannelAttribution).
pub(super) fn channel_fields() -> Fields {
    strings(&["channel", "source", "medium"])
}

/// `path`, `code`, `message`: a [`Warning`](crate::Warning) or
/// [`ValidationError`](crate::ValidationError).
pub(super) fn problem_fields() -> Fields {
    strings(&["path", "code", "message"])
}

/// `key` (never null) and `value`: one entry of the `marketing` map, named as Arrow's
/// specification and pyarrow name them.
pub(super) fn entry_fields() -> Fields {
    Fields::from(vec![
        Field::new("key", DataType::Utf8, false),
        Field::new("value", DataType::Utf8, true),
    ])
}

/// The `entries` field of the `marketing` map.
pub(super) fn entries_field() -> FieldRef {
    Arc::new(Field::new(
        "entries",
        DataType::Struct(entry_fields()),
        false,
    ))
}
