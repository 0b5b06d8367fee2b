//! Reading the payload's bytes: JSON into members, keeping the exact text of `value`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A payload ready for validation: its members, with `value` kept as JSON text so that money
/// is read exactly (see [`Money`](crate::Money)).
#[derive(Debug, Default)]
pub(crate) struct Input<'a> {
    pub(crate) members: Map<String, Value>,
    /// The JSON text of the `value` member, when present.
    pub(crate) value: Option<Cow<'a, str>>,
}

/// What the bytes held.
pub(crate) enum Document<'a> {
    /// A JSON object.
    Object(Input<'a>),
    /// Valid JSON of another type, named as messages name it.
    NotObject(&'static str),
}

impl<'a> Document<'a> {
    /// Parses `bytes` in one pass. Duplicate members keep the last value, as `serde_json` does.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Document<'a>, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

impl<'de> Deserialize<'de> for Document<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document<'de>, A::Error> {
        let mut input = Input::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "value" {
                let raw: &'de RawValue = map.next_value()?;
                input.value = Some(Cow::Borrowed(raw.get()));
            } else {
                let value: Value = map.next_value()?;
                input.members.insert(key, value);
            }
        }
        Ok(Document::Object(input))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Document::NotObject("an array"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Document<'de>, E> {
        Ok(Document::NotObject("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Document<'de>, E> {
        Ok(Document::NotObject("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Document<'de>, E> {
        Ok(Document::NotObject("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Document<'de>, E> {
        Ok(Document::NotObject("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Document<'de>, E> {
        Ok(Document::NotObject("a string"))
    }

    fn visit_unit<E>(self) -> Result<Document<'de>, E> {
        Ok(Document::NotObject("null"))
    }
}
