//! A [`Marketing`] object as JSON: written as a map of its keys in order, and read back only
//! as the crate writes it (tracking keys, trimmed non-empty values, no repeats).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Marketing;
use crate::marketing::keys::is_tracking_key;

impl Serialize for Marketing {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Marketing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(NormalizedVisitor)
    }
}

/// Reads an object the crate wrote: tracking keys, trimmed non-empty values, no repeats.
struct NormalizedVisitor;

impl<'de> Visitor<'de> for NormalizedVisitor {
    type Value = Marketing;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a normalized marketing object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Marketing, A::Error> {
        use serde::de::Error;
        let mut marketing = Marketing::default();
        let mut url = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let value = map.next_value::<std::borrow::Cow<'de, str>>()?;
            if !is_tracking_key(&key) {
                return Err(A::Error::custom(format_args!(
                    "`{}` is not a tracking key",
                    crate::error::excerpt(&key)
                )));
            }
            if value.is_empty()
                || value.trim_matches(crate::marketing::is_trimmed).len() != value.len()
            {
                return Err(A::Error::custom(format_args!(
                    "the value of `{}` is not trimmed or is empty",
                    crate::error::excerpt(&key)
                )));
            }
            let key_span = marketing.key_for(&key);
            let value_span = marketing.push_text(&value);
            let (Some(key_span), Some(value_span)) = (key_span, value_span) else {
                return Err(A::Error::custom("marketing object over 4 GiB"));
            };
            if key == "url_conversion" {
                url = Some(value_span);
            }
            marketing.push(key_span, value_span);
        }
        marketing.sort();
        if marketing.has_repeated_key() {
            return Err(A::Error::custom("a marketing key is repeated"));
        }
        if let Some(span) = url {
            marketing.record_clicks(span);
        }
        Ok(marketing)
    }
}
