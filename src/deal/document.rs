//! Reading the payload's bytes: one pass into a borrowed JSON tree, keeping the exact text of
//! `value`.
//!
//! `serde_json::Value` would allocate a `String` for every key and string and a B-tree for
//! every object, then free them all after validation. [`Node`] borrows strings from the input
//! (unless they hold escapes) and keeps objects as small vectors, so validation costs little
//! more than typed deserialization.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

/// A JSON value whose strings borrow from the input.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'de> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'de, str>),
    Array(Vec<Node<'de>>),
    Object(Object<'de>),
}

/// A JSON object: its members in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Object<'de>(Vec<(Cow<'de, str>, Node<'de>)>);

impl<'de> Object<'de> {
    /// The member `key`; with a repeated member the last one counts, as in `serde_json`.
    pub(crate) fn get(&self, key: &str) -> Option<&Node<'de>> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Node<'de>)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The members other than `skip`, as a `serde_json` map (for pass-through data).
    pub(crate) fn to_map_without(&self, skip: &str) -> Map<String, Value> {
        self.iter()
            .filter(|(k, _)| *k != skip)
            .map(|(k, v)| (k.to_owned(), v.to_value()))
            .collect()
    }
}

impl Node<'_> {
    /// The JSON type, as messages name it.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::Str(_) => "a string",
            Node::Array(_) => "an array",
            Node::Object(_) => "an object",
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    pub(crate) fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::Str(s) => Value::String(s.clone().into_owned()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(object) => Value::Object(object.to_map_without("")),
        }
    }
}

/// A payload ready for validation: its members, with `value` kept as JSON text so that money
/// is read exactly (see [`Money`](crate::Money)).
#[derive(Debug, Default)]
pub(crate) struct Input<'de> {
    pub(crate) members: Object<'de>,
    /// The JSON text of the `value` member, when present.
    pub(crate) value: Option<&'de str>,
}

/// What the bytes held.
pub(crate) enum Document<'de> {
    /// A JSON object.
    Object(Input<'de>),
    /// Valid JSON of another type, named as messages name it.
    NotObject(&'static str),
}

impl<'de> Document<'de> {
    /// Parses `bytes` in one pass; `serde_json`'s recursion limit bounds the depth.
    pub(crate) fn parse(bytes: &'de [u8]) -> Result<Document<'de>, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

impl<'de> Deserialize<'de> for Document<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(NodeVisitor { top: true })? {
            Top::Document(input) => Ok(Document::Object(input)),
            Top::Node(node) => Ok(Document::NotObject(node.kind())),
        }
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(NodeVisitor { top: false })? {
            Top::Node(node) => Ok(node),
            Top::Document(input) => Ok(Node::Object(input.members)),
        }
    }
}

/// What [`NodeVisitor`] made: the top-level object keeps `value` as raw text.
enum Top<'de> {
    Document(Input<'de>),
    Node(Node<'de>),
}

struct NodeVisitor {
    top: bool,
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Top<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<'de>, A::Error> {
        let mut input = Input::default();
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(4));
        while let Some(Key(key)) = map.next_key()? {
            if self.top && key == "value" {
                let raw: &'de RawValue = map.next_value()?;
                input.value = Some(raw.get());
            } else {
                members.push((key, map.next_value()?));
            }
        }
        input.members = Object(members);
        Ok(Top::Document(input))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top<'de>, A::Error> {
        if self.top {
            // The document is not an object: only its type matters.
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Top::Node(Node::Array(Vec::new())));
        }
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Top::Node(Node::Array(items)))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Top<'de>, E> {
        Ok(Top::Node(Node::Bool(b)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Top<'de>, E> {
        Ok(Top::Node(Node::Number(n.into())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Top<'de>, E> {
        Ok(Top::Node(Node::Number(n.into())))
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Top<'de>, E> {
        // JSON has no NaN or infinity, and serde_json rejects overflowing literals itself.
        Number::from_f64(n)
            .map(|n| Top::Node(Node::Number(n)))
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Top<'de>, E> {
        Ok(Top::Node(Node::Str(Cow::Borrowed(s))))
    }

    fn visit_str<E>(self, s: &str) -> Result<Top<'de>, E> {
        Ok(Top::Node(Node::Str(Cow::Owned(s.to_owned()))))
    }

    fn visit_string<E>(self, s: String) -> Result<Top<'de>, E> {
        Ok(Top::Node(Node::Str(Cow::Owned(s))))
    }

    fn visit_unit<E>(self) -> Result<Top<'de>, E> {
        Ok(Top::Node(Node::Null))
    }
}

/// An object key, borrowed unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s)))
    }
}
