//! [`DealRef`]: which deal `GET /integrations/external/deals/{id}` reads, by UUID or by numeric
//! code (`docs/rules.md` §4.2; the GET page: "UUID ou código numérico da oportunidade").

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::error::excerpt;

/// The path of the deals collection; a deal's path appends its [`DealRef`] segment.
pub(crate) const DEALS_PATH: &str = "/integrations/external/deals";

/// A reference to one deal: its UUID or its numeric code.
///
/// [`DealRef::parse`] reads either; [`Display`](fmt::Display) writes the path segment (the
/// hyphenated lower-case UUID, or the code in decimal) and [`DealRef::path`] the request path.
/// Serialized as the segment string; deserialized from a string or a JSON integer.
///
/// ```
/// use wegly_attribution::DealRef;
///
/// let by_code = DealRef::parse("123")?;
/// assert_eq!(by_code, DealRef::Code(123));
/// assert_eq!(by_code.path(), "/integrations/external/deals/123");
///
/// let by_id: DealRef = "3C90C3CC0D444B5088888DD25736052A".parse()?;
/// assert_eq!(by_id.to_string(), "3c90c3cc-0d44-4b50-8888-8dd25736052a");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DealRef {
    /// The deal's UUID (`id` in the create response).
    Id(Uuid),
    /// The deal's internal sequential code (`code` in the create response).
    Code(u64),
}

impl DealRef {
    /// Parses a deal reference: a numeric code or a UUID.
    ///
    /// ASCII white space around the input is ignored. Then:
    ///
    /// - only ASCII digits: a numeric code. No sign is accepted, and leading zeros are dropped
    ///   (`"007"` is code 7). The one exception is 32 digits, too many for any code: that is a
    ///   UUID in its simple form, so it is read as one.
    /// - anything else must be a UUID in a form [`Uuid::parse_str`] accepts: hyphenated,
    ///   simple (32 hex digits), braced (`{…}`) or URN (`urn:uuid:…`), in any case.
    ///
    /// # Errors
    ///
    /// [`InvalidDealRef`] when the input is empty, is a code larger than [`u64::MAX`], or is
    /// neither a code nor a UUID.
    ///
    /// ```
    /// use uuid::Uuid;
    /// use wegly_attribution::DealRef;
    ///
    /// assert_eq!(DealRef::parse(" 42\n")?, DealRef::Code(42));
    /// let id = Uuid::parse_str("3c90c3cc-0d44-4b50-8888-8dd25736052a")?;
    /// assert_eq!(DealRef::parse("{3c90c3cc-0d44-4b50-8888-8dd25736052a}")?, DealRef::Id(id));
    ///
    /// let err = DealRef::parse("abc").map_err(|e| e.to_string());
    /// assert_eq!(err, Err("invalid deal reference `abc`: expected a UUID or a numeric code".to_owned()));
    /// assert!(DealRef::parse("-1").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(input: &str) -> Result<Self, InvalidDealRef> {
        let text = input.trim_ascii();
        if text.is_empty() {
            return Err(InvalidDealRef::empty(input));
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            // `u64::from_str` would also take a leading `+`; the digit check above rules it out.
            if let Ok(code) = text.parse::<u64>() {
                return Ok(Self::Code(code));
            }
            // Too large for a code. 32 digits are also a UUID in its simple form (hex digits
            // that happen to be decimal), the only reading left.
            if text.len() != 32 {
                return Err(InvalidDealRef::out_of_range(input));
            }
        }
        Uuid::parse_str(text)
            .map(Self::Id)
            .map_err(|_| InvalidDealRef::malformed(input))
    }

    /// The request path of this deal: `/integrations/external/deals/{segment}`.
    ///
    /// ```
    /// use wegly_attribution::DealRef;
    ///
    /// let deal = DealRef::parse("3c90c3cc-0d44-4b50-8888-8dd25736052a")?;
    /// assert_eq!(deal.path(), "/integrations/external/deals/3c90c3cc-0d44-4b50-8888-8dd25736052a");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn path(&self) -> String {
        format!("{DEALS_PATH}/{self}")
    }

    /// The UUID, when the reference is one.
    ///
    /// ```
    /// use wegly_attribution::DealRef;
    ///
    /// assert_eq!(DealRef::Code(7).as_id(), None);
    /// ```
    #[must_use]
    pub const fn as_id(&self) -> Option<Uuid> {
        match self {
            Self::Id(id) => Some(*id),
            Self::Code(_) => None,
        }
    }

    /// The numeric code, when the reference is one.
    ///
    /// ```
    /// use wegly_attribution::DealRef;
    ///
    /// assert_eq!(DealRef::Code(7).as_code(), Some(7));
    /// ```
    #[must_use]
    pub const fn as_code(&self) -> Option<u64> {
        match self {
            Self::Id(_) => None,
            Self::Code(code) => Some(*code),
        }
    }
}

impl fmt::Display for DealRef {
    /// Writes the path segment: the hyphenated lower-case UUID or the decimal code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => fmt::Display::fmt(&id.hyphenated(), f),
            Self::Code(code) => fmt::Display::fmt(code, f),
        }
    }
}

impl FromStr for DealRef {
    type Err = InvalidDealRef;

    /// Same as [`DealRef::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for DealRef {
    type Error = InvalidDealRef;

    /// Same as [`DealRef::parse`].
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

impl From<Uuid> for DealRef {
    fn from(id: Uuid) -> Self {
        Self::Id(id)
    }
}

impl From<u64> for DealRef {
    fn from(code: u64) -> Self {
        Self::Code(code)
    }
}

impl Serialize for DealRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DealRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DealRefVisitor)
    }
}

/// Reads a [`DealRef`] from a string or a non-negative integer.
struct DealRefVisitor;

impl Visitor<'_> for DealRefVisitor {
    type Value = DealRef;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a deal UUID or numeric code")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DealRef, E> {
        DealRef::parse(v).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DealRef, E> {
        Ok(DealRef::Code(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DealRef, E> {
        u64::try_from(v)
            .map(DealRef::Code)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
}

/// The error of [`DealRef::parse`]: the input is neither a UUID nor a numeric code.
///
/// It keeps the input ([`InvalidDealRef::input`]). The message quotes it with control
/// characters escaped, shortened to its first 64 characters.
///
/// ```
/// use wegly_attribution::DealRef;
///
/// let err = DealRef::parse("deal-9").err().ok_or("`deal-9` should be refused")?;
/// assert_eq!(err.input(), "deal-9");
/// assert_eq!(err.to_string(), "invalid deal reference `deal-9`: expected a UUID or a numeric code");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct InvalidDealRef(Reason);

/// What was wrong, with the input as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum Reason {
    #[error("invalid deal reference: empty, expected a UUID or a numeric code")]
    Empty(String),
    #[error(
        "invalid deal reference `{}`: numeric code out of range (at most {})",
        excerpt(.0),
        u64::MAX
    )]
    OutOfRange(String),
    #[error(
        "invalid deal reference `{}`: expected a UUID or a numeric code",
        excerpt(.0)
    )]
    Malformed(String),
}

impl InvalidDealRef {
    #[cold]
    fn empty(input: &str) -> Self {
        Self(Reason::Empty(input.to_owned()))
    }

    #[cold]
    fn out_of_range(input: &str) -> Self {
        Self(Reason::OutOfRange(input.to_owned()))
    }

    #[cold]
    fn malformed(input: &str) -> Self {
        Self(Reason::Malformed(input.to_owned()))
    }

    /// The input that was refused, exactly as given (white space included).
    ///
    /// ```
    /// use wegly_attribution::DealRef;
    ///
    /// let err = DealRef::parse(" x ").err().ok_or("` x ` should be refused")?;
    /// assert_eq!(err.input(), " x ");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn input(&self) -> &str {
        match &self.0 {
            Reason::Empty(input) | Reason::OutOfRange(input) | Reason::Malformed(input) => input,
        }
    }
}

#[cfg(test)]
mod tests;
