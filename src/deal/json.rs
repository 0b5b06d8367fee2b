//! Reading JSON in one pass while validating: the pieces every member reader uses.
//!
//! The payload is never turned into a tree. Each object is read by a [`Members`] value that
//! knows its member names and reads each value straight into typed data, reporting problems
//! as it goes; each array by an [`Items`] value, item by item (a million bad items cost no
//! memory, see [`Diagnostics`]). A repeated member is read again and the reports of its earlier
//! occurrence are retracted: the last occurrence wins (`docs/rules.md` §3.1).
//!
//! Two modes. The fast one reads values with `serde_json`'s own number parsing, which fails the
//! whole document on a number too large for `f64` (`1e400`). When the fast pass fails, the
//! document is read again in the *exact* mode, where every member and item is first taken as
//! raw JSON text and numbers are only classified from their text: a huge number then reaches
//! its member's rule (`docs/rules.md` §3.1) and the document is `invalid_json` only when it really
//! is not JSON.
//!
//! The fast mode has two readers under the same member readers: the [`quick`] one first, over
//! the document's text, which serves them what `serde_json` would and declines anything
//! unusual; then, only if it declined, `serde_json` itself. So the usual payload is read once,
//! by the quick reader, and `serde_json` alone says what is not JSON.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::value::RawValue;

use crate::error::{Diagnostics, JsonType, Token, excerpt};
use crate::marketing::MemberValue;
use crate::{ErrorCode, WarningCode};

#[cfg(test)]
mod differential;
mod quick;

use quick::{Declined, Quick};

/// What a reader carries down: the report sink and the mode.
pub(crate) struct Cx<'a> {
    pub(crate) d: &'a mut Diagnostics,
    /// Read every value as raw text first (see the module docs).
    pub(crate) exact: bool,
}

/// A JSON number as read: parsed by `serde_json`, or classified from its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num<'de> {
    U(u64),
    I(i64),
    F(f64),
    /// Text that fits no `f64` (`1e400`), from the exact mode.
    Huge(&'de str),
}

impl Num<'_> {
    /// The integer when the number has no fractional part (`4`, `4.0`, `4e0`, `-0`).
    pub(crate) fn whole(self) -> Option<i128> {
        match self {
            Num::U(n) => Some(i128::from(n)),
            Num::I(n) => Some(i128::from(n)),
            // `as` is exact here: the value is whole and within `i64`'s range.
            #[allow(clippy::cast_possible_truncation)]
            Num::F(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Some(f as i64 as i128),
            Num::F(_) | Num::Huge(_) => None,
        }
    }

    /// Whether the number is whole, however large.
    pub(crate) fn is_whole(self) -> bool {
        match self {
            Num::U(_) | Num::I(_) => true,
            Num::F(f) => f.is_finite() && f.fract() == 0.0,
            Num::Huge(text) => !text.contains(['.', 'e', 'E']) || text.parse::<f64>().is_ok(),
        }
    }

    fn parse(text: &str) -> Num<'_> {
        if let Ok(n) = text.parse::<u64>() {
            return Num::U(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            return Num::I(n);
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Num::F(f),
            _ => Num::Huge(text),
        }
    }
}

impl fmt::Display for Num<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::U(n) => write!(f, "{n}"),
            Num::I(n) => write!(f, "{n}"),
            Num::F(n) => write!(f, "{n}"),
            Num::Huge(text) => write!(f, "{}", excerpt(text)),
        }
    }
}

/// A JSON value read where a scalar belongs, or the type of what was there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'de> {
    Null,
    Bool(bool),
    Num(Num<'de>),
    Str(Cow<'de, str>),
    /// An array, skipped.
    Array,
    /// An object, skipped.
    Object,
}

/// What the marketing engine reads of a member: a string's text, `None` for `null`, else the
/// JSON type's name.
impl MemberValue for Scalar<'_> {
    fn as_text(&self) -> Result<Option<&str>, &'static str> {
        match self {
            Scalar::Str(text) => Ok(Some(text)),
            Scalar::Null => Ok(None),
            other => Err(other.kind()),
        }
    }
}

impl Scalar<'_> {
    /// The JSON type, as messages name it (the same names as for a `serde_json::Value`).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Scalar::Null => JsonType::Null,
            Scalar::Bool(_) => JsonType::Boolean,
            Scalar::Num(_) => JsonType::Number,
            Scalar::Str(_) => JsonType::String,
            Scalar::Array => JsonType::Array,
            Scalar::Object => JsonType::Object,
        }
        .name()
    }

    /// Reads raw JSON text without parsing its numbers.
    fn classify(raw: &RawValue) -> Result<Scalar<'_>, serde_json::Error> {
        let text = raw.get();
        Ok(match text.as_bytes().first() {
            Some(b'"') => match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                // No escape: the raw text is the string (`serde_json` checked it already).
                Some(inner) if !inner.contains('\\') => Scalar::Str(Cow::Borrowed(inner)),
                _ => Scalar::Str(Cow::Owned(serde_json::from_str::<String>(text)?)),
            },
            Some(b'n') => Scalar::Null,
            Some(b't') => Scalar::Bool(true),
            Some(b'f') => Scalar::Bool(false),
            Some(b'[') => Scalar::Array,
            Some(b'{') => Scalar::Object,
            _ => Scalar::Num(Num::parse(text)),
        })
    }
}

/// Implements the scalar `visit_*` methods of a visitor, each giving `$wrap(Scalar::…)`.
macro_rules! scalar_visits {
    ($wrap:path) => {
        fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
            Ok($wrap(Scalar::Bool(b)))
        }

        fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
            Ok($wrap(Scalar::Num(Num::I(n))))
        }

        fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
            Ok($wrap(Scalar::Num(Num::U(n))))
        }

        fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
            Ok($wrap(Scalar::Num(Num::F(n))))
        }

        fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
            Ok($wrap(Scalar::Str(Cow::Borrowed(s))))
        }

        fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
            Ok($wrap(Scalar::Str(Cow::Owned(s.to_owned()))))
        }

        fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
            Ok($wrap(Scalar::Str(Cow::Owned(s))))
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($wrap(Scalar::Null))
        }

        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($wrap(Scalar::Null))
        }
    };
}

/// Reads a scalar, skipping a container (fast mode).
struct ScalarSeed;

impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = Scalar<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar<'de>, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    scalar_visits!(std::convert::identity);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Object)
    }
}

/// A seed for a container: `Ok` with what the reader made of it, or `Err` with the scalar (or
/// other container type) found instead.
pub(crate) trait Container<'de>:
    DeserializeSeed<'de, Value = Result<Self::Made, Scalar<'de>>>
{
    type Made;
}

impl<'de, S, T> Container<'de> for S
where
    S: DeserializeSeed<'de, Value = Result<T, Scalar<'de>>>,
{
    type Made = T;
}

/// Reads a member's value as a scalar.
pub(crate) fn scalar<'de, A: MapAccess<'de>>(
    map: &mut A,
    cx: &Cx<'_>,
) -> Result<Scalar<'de>, A::Error> {
    if cx.exact {
        let raw: &'de RawValue = map.next_value()?;
        Scalar::classify(raw).map_err(A::Error::custom)
    } else {
        map.next_value_seed(ScalarSeed)
    }
}

/// Reads a member's value as raw JSON text (exact in both modes).
pub(crate) fn raw<'de, A: MapAccess<'de>>(map: &mut A) -> Result<&'de RawValue, A::Error> {
    map.next_value()
}

/// Reads a member's value with a container seed.
pub(crate) fn nested<'de, A: MapAccess<'de>, S: Container<'de>>(
    map: &mut A,
    exact: bool,
    seed: S,
) -> Result<Result<S::Made, Scalar<'de>>, A::Error> {
    if exact {
        let raw: &'de RawValue = map.next_value()?;
        from_raw(raw, seed).map_err(A::Error::custom)
    } else {
        map.next_value_seed(seed)
    }
}

/// Reads the next item as a scalar; `None` at the end of the array.
pub(crate) fn scalar_item<'de, A: SeqAccess<'de>>(
    seq: &mut A,
    cx: &Cx<'_>,
) -> Result<Option<Scalar<'de>>, A::Error> {
    if cx.exact {
        match seq.next_element::<&'de RawValue>()? {
            Some(raw) => Scalar::classify(raw).map(Some).map_err(A::Error::custom),
            None => Ok(None),
        }
    } else {
        seq.next_element_seed(ScalarSeed)
    }
}

/// Reads the next item with a container seed; `None` at the end of the array.
pub(crate) fn nested_item<'de, A: SeqAccess<'de>, S: Container<'de>>(
    seq: &mut A,
    exact: bool,
    seed: S,
) -> Result<Option<Result<S::Made, Scalar<'de>>>, A::Error> {
    if exact {
        match seq.next_element::<&'de RawValue>()? {
            Some(raw) => from_raw(raw, seed).map(Some).map_err(A::Error::custom),
            None => Ok(None),
        }
    } else {
        seq.next_element_seed(seed)
    }
}

/// Runs a container seed on raw text, which `serde_json` has already checked.
fn from_raw<'de, S: Container<'de>>(
    raw: &'de RawValue,
    seed: S,
) -> Result<Result<S::Made, Scalar<'de>>, serde_json::Error> {
    match raw.get().as_bytes().first() {
        Some(b'[' | b'{') => {
            let mut de = serde_json::Deserializer::from_str(raw.get());
            seed.deserialize(&mut de)
        }
        _ => Scalar::classify(raw).map(Err),
    }
}

/// An object key, borrowed unless it holds escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
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

/// Reads the members of one kind of object.
pub(crate) trait Members<'de> {
    /// The member names this object defines.
    const NAMES: &'static [&'static str];
    /// What the object becomes.
    type Output;

    /// The index of a member name in `NAMES`.
    fn index(key: &str) -> Option<usize> {
        Self::NAMES.iter().position(|name| *name == key)
    }

    /// Reads the value of `NAMES[index]`; the path is at the member.
    fn known<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error>;

    /// Reads a member the object does not define; the path is at the member. By default:
    /// `unknown_field`.
    fn unknown<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>()?;
        cx.d.error(
            ErrorCode::UnknownField,
            format_args!("`{}` is not a member the API defines", excerpt(&key)),
        );
        Ok(())
    }

    /// Whether an unknown member repeated must retract its earlier reports (false for
    /// members collected elsewhere, which de-duplicate themselves).
    const TRACK_UNKNOWN: bool = true;

    /// The object, once every member was read.
    fn finish(self, cx: &mut Cx<'_>) -> Self::Output;
}

/// The most members an object defines (the request's 21): one bit each in a `u32`.
const MAX_NAMES: usize = 32;

/// Reads an object with `M`.
pub(crate) struct Object<'c, 'a, M> {
    pub(crate) members: M,
    pub(crate) cx: &'c mut Cx<'a>,
}

impl<'de, M: Members<'de>> DeserializeSeed<'de> for Object<'_, '_, M> {
    type Value = Result<M::Output, Scalar<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, M: Members<'de>> Visitor<'de> for Object<'_, '_, M> {
    type Value = Result<M::Output, Scalar<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    scalar_visits!(Err);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(Scalar::Array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Object { mut members, cx } = self;
        debug_assert!(M::NAMES.len() <= MAX_NAMES);
        // The known members read so far, one bit each, and the ticks of those occurrences that
        // reported something: only those have reports to retract when the member comes again,
        // so a valid object keeps no list at all.
        let mut seen: u32 = 0;
        let mut reported: Vec<(usize, Range<u32>)> = Vec::new();
        let mut unknown: Option<std::collections::HashMap<Cow<'de, str>, Range<u32>>> = None;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let start = cx.d.tick();
            let index = M::index(&key);
            // A known member's name is `'static`: the path refers to it, nothing is copied.
            let name = index.and_then(|i| M::NAMES.get(i));
            let mark = match name {
                Some(name) => cx.d.enter(Token::Name(name)),
                None => cx.d.enter(&*key),
            };
            match index {
                Some(index) => members.known(index, &mut map, cx)?,
                None => members.unknown(key.clone(), &mut map, cx)?,
            }
            let (repeated, previous) = match index {
                Some(index) => {
                    let bit = 1u32 << index;
                    let repeated = seen & bit != 0;
                    seen |= bit;
                    let previous = reported
                        .iter()
                        .find(|(i, _)| *i == index)
                        .map(|(_, ticks)| ticks.clone());
                    (repeated, previous)
                }
                None if M::TRACK_UNKNOWN => {
                    let previous = unknown
                        .get_or_insert_with(Default::default)
                        .insert(key.clone(), start..u32::MAX);
                    (previous.is_some(), previous)
                }
                None => (false, None),
            };
            if repeated {
                if let Some(previous) = previous {
                    cx.d.retract(previous);
                }
                cx.d.warn(
                    WarningCode::DuplicateMember,
                    format_args!(
                        "`{}` appears more than once; the last occurrence is used",
                        excerpt(&key)
                    ),
                );
            }
            cx.d.leave(mark);
            // Close this occurrence's range of ticks.
            let end = cx.d.tick();
            match index {
                Some(index) => {
                    if cx.d.reported_since(start) {
                        match reported.iter_mut().find(|(i, _)| *i == index) {
                            Some((_, ticks)) => *ticks = start..end,
                            None => reported.push((index, start..end)),
                        }
                    } else {
                        reported.retain(|(i, _)| *i != index);
                    }
                }
                None => {
                    if let Some(range) = unknown.as_mut().and_then(|u| u.get_mut(&key)) {
                        range.end = end;
                    }
                }
            }
        }
        Ok(Ok(members.finish(cx)))
    }
}

/// Reads the items of one kind of array.
pub(crate) trait Items<'de> {
    /// What the array becomes.
    type Output;

    /// Reads the next item, whose index is on the path; `false` at the end of the array.
    fn item<A: SeqAccess<'de>>(
        &mut self,
        index: usize,
        seq: &mut A,
        cx: &mut Cx<'_>,
    ) -> Result<bool, A::Error>;

    /// The array, once every item was read.
    fn finish(self) -> Self::Output;
}

/// Reads an array with `I`.
pub(crate) struct Array<'c, 'a, I> {
    pub(crate) items: I,
    pub(crate) cx: &'c mut Cx<'a>,
}

impl<'de, I: Items<'de>> DeserializeSeed<'de> for Array<'_, '_, I> {
    type Value = Result<I::Output, Scalar<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, I: Items<'de>> Visitor<'de> for Array<'_, '_, I> {
    type Value = Result<I::Output, Scalar<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    scalar_visits!(Err);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err(Scalar::Object))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let Array { mut items, cx } = self;
        let mut index = 0;
        loop {
            let mark = cx.d.enter(index);
            let more = items.item(index, &mut seq, cx)?;
            cx.d.leave(mark);
            if !more {
                break;
            }
            index += 1;
        }
        Ok(Ok(items.finish()))
    }
}

/// Reads a whole document with `M` (an object expected): the fast pass (the quick reader, then
/// `serde_json` if it declined), then, if it failed, the exact one. `Err` carries the `serde_json` error when the bytes are not JSON.
///
/// UTF-8 is checked once for the whole document, so that neither the quick reader nor
/// `serde_json` checks each string again. Bytes that are not UTF-8 are read as bytes by the fast pass (an unknown
/// member's string is skipped unchecked, as before) and are never JSON for the exact one, which
/// takes the document as text.
pub(crate) fn document<'de, M: Members<'de>>(
    bytes: &'de [u8],
    d: &mut Diagnostics,
    make: impl Fn() -> M,
) -> Result<Result<M::Output, Scalar<'de>>, serde_json::Error> {
    let fresh = d.fresh();
    let text = std::str::from_utf8(bytes).ok();
    if let Some(text) = text.filter(|_| quick_reader_on()) {
        let mut quick = Quick::new(text);
        let cx = Cx { d, exact: false };
        if let Ok(read) = read_quick(&mut quick, cx, make()) {
            return Ok(read);
        }
        // Declined: what it reported does not count, `serde_json` reads the document anew.
        *d = d.fresh();
    }
    let fast = {
        let cx = Cx { d, exact: false };
        match text {
            Some(text) => read(serde_json::Deserializer::from_str(text), cx, make()),
            None => read(serde_json::Deserializer::from_slice(bytes), cx, make()),
        }
    };
    let fast = match (fast, text) {
        (Ok(read), _) => return Ok(read),
        (Err(fast), None) => return Err(fast),
        (Err(fast), Some(text)) => (fast, text),
    };
    *d = fresh;
    let cx = Cx { d, exact: true };
    // Not JSON either way: the fast pass's message is the one `serde_json` users know.
    read(serde_json::Deserializer::from_str(fast.1), cx, make()).map_err(|_| fast.0)
}

/// Whether [`document`] tries the quick reader first: always, but where a test or a fuzz target
/// holds it to `serde_json`'s passes ([`without_quick_reader`]).
#[cfg(not(any(test, fuzzing)))]
const fn quick_reader_on() -> bool {
    true
}

#[cfg(any(test, fuzzing))]
thread_local! {
    static QUICK_READER_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(any(test, fuzzing))]
fn quick_reader_on() -> bool {
    !QUICK_READER_OFF.with(std::cell::Cell::get)
}

/// Runs `f` with the quick reader off on this thread: every document read by `serde_json`'s
/// passes alone.
#[cfg(any(test, fuzzing))]
pub(crate) fn without_quick_reader<T>(f: impl FnOnce() -> T) -> T {
    QUICK_READER_OFF.with(|off| off.set(true));
    let out = f();
    QUICK_READER_OFF.with(|off| off.set(false));
    out
}

/// [`CreateDealRequest::from_json`](crate::CreateDealRequest::from_json) as if the quick reader
/// did not exist, for the fuzz target that holds the two to each other. Not part of the API:
/// it exists only in fuzzing builds.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn from_json_without_quick_reader(bytes: &[u8]) -> Result<crate::Validated, crate::Rejected> {
    without_quick_reader(|| crate::CreateDealRequest::from_json(bytes))
}

/// The quick reader's pass (see [`quick`]).
fn read_quick<'de, M: Members<'de>>(
    quick: &mut Quick<'de>,
    mut cx: Cx<'_>,
    members: M,
) -> Result<Result<M::Output, Scalar<'de>>, Declined> {
    let made = Object {
        members,
        cx: &mut cx,
    }
    .deserialize(&mut *quick)?;
    quick.end()?;
    Ok(made)
}

fn read<'de, R: serde_json::de::Read<'de>, M: Members<'de>>(
    mut de: serde_json::Deserializer<R>,
    mut cx: Cx<'_>,
    members: M,
) -> Result<Result<M::Output, Scalar<'de>>, serde_json::Error> {
    let cx = &mut cx;
    let made = if cx.exact {
        let raw: &'de RawValue = serde::Deserialize::deserialize(&mut de)?;
        de.end()?;
        return from_raw(raw, Object { members, cx });
    } else {
        Object { members, cx }.deserialize(&mut de)?
    };
    de.end()?;
    Ok(made)
}
