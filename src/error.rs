//! Errors and warnings: what validation and normalization report, with a JSON Pointer path and
//! a stable code.
//!
//! The code strings are part of the public contract (SPEC 2 and 3): they are never renamed once
//! released, and new codes may be added (the enums are `#[non_exhaustive]`).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every code, in declaration order.
            ///
            /// ```
            #[doc = concat!("use wegly_attribution::", stringify!($name), ";")]
            /// use std::collections::HashSet;
            #[doc = concat!("let names: HashSet<&str> = ", stringify!($name), "::ALL.iter().map(|code| code.as_str()).collect();")]
            #[doc = concat!("assert_eq!(names.len(), ", stringify!($name), "::ALL.len(), \"every code has its own name\");")]
            /// ```
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable snake_case name of the code, as it appears in JSON.
            ///
            /// ```
            #[doc = concat!("use wegly_attribution::", stringify!($name), ";")]
            #[doc = concat!("for code in ", stringify!($name), "::ALL {")]
            ///     assert_eq!(serde_json::to_value(code)?, code.as_str());
            #[doc = concat!("    assert_eq!(serde_json::from_value::<", stringify!($name), ">(code.as_str().into())?, *code);")]
            ///     assert_eq!(code.to_string(), code.as_str());
            /// }
            /// # Ok::<(), serde_json::Error>(())
            /// ```
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            /// Reads the code's name, as [`as_str`](Self::as_str) writes it; an unknown name is
            /// an error.
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(CodeVisitor {
                    all: $name::ALL,
                    name: $name::as_str,
                    expecting: concat!("a ", stringify!($name), " name"),
                })
            }
        }
    };
}

/// Reads a code enum from its name: the one visitor behind every code enum's `Deserialize`.
struct CodeVisitor<T: 'static> {
    all: &'static [T],
    name: fn(T) -> &'static str,
    expecting: &'static str,
}

impl<T: Copy> Visitor<'_> for CodeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let name = self.name;
        self.all
            .iter()
            .copied()
            .find(|&code| name(code) == v)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(&excerpt(v)), &self))
    }
}

code_enum! {
    /// Why a payload was rejected (SPEC 3).
    ///
    /// ```
    /// use wegly_attribution::ErrorCode;
    /// assert_eq!(ErrorCode::InvalidUuid.as_str(), "invalid_uuid");
    /// ```
    ErrorCode {
        /// The bytes are not JSON (path `""`).
        InvalidJson => "invalid_json",
        /// A member has the wrong JSON type.
        InvalidType => "invalid_type",
        /// A required member is missing or empty.
        Required => "required",
        /// A string is longer than its limit.
        TooLong => "too_long",
        /// A string is not a UUID.
        InvalidUuid => "invalid_uuid",
        /// An integer is not one of the documented options.
        InvalidEnum => "invalid_enum",
        /// A money value has more than two decimal places.
        TooManyDecimals => "too_many_decimals",
        /// A money value is negative.
        Negative => "negative",
        /// A number is outside the range the API accepts.
        OutOfRange => "out_of_range",
        /// A date-time is not RFC 3339 (nor a bare date).
        InvalidDateTime => "invalid_date_time",
        /// A string that must not be empty is empty after trimming.
        Empty => "empty",
        /// The catalog does not know the referenced item (a tag).
        NotFound => "not_found",
        /// `primary_person_id` is not one of `persons_id`.
        NotAssociated => "not_associated",
        /// Two members that exclude each other were both sent.
        Conflict => "conflict",
        /// A member the API does not define.
        UnknownField => "unknown_field",
        /// Gateway (SPEC 4.5): the request's `Content-Type` is not `application/json`.
        UnsupportedMediaType => "unsupported_media_type",
        /// Gateway (SPEC 4.5): the request's body is over the gateway's limit.
        PayloadTooLarge => "payload_too_large",
        /// Gateway (SPEC 4.5): the request's `Origin` (or `Referer`) is not the allowed domain.
        OriginNotAllowed => "origin_not_allowed",
        /// Gateway (SPEC 4.7): the API could not be reached, or kept failing after the retries.
        UpstreamUnavailable => "upstream_unavailable",
    }
}

code_enum! {
    /// What normalization repaired or dropped without rejecting the payload (SPEC 2 and 3).
    ///
    /// ```
    /// use wegly_attribution::WarningCode;
    /// assert_eq!(WarningCode::ParamInFragment.as_str(), "param_in_fragment");
    /// ```
    WarningCode {
        /// A marketing member that is not a tracking key was dropped.
        IgnoredField => "ignored_field",
        /// A URL parameter appeared again with another value; the first one was kept.
        DuplicateParam => "duplicate_param",
        /// A parameter was taken from the URL fragment.
        ParamInFragment => "param_in_fragment",
        /// A parameter name started with `amp;` (from an HTML-escaped `&amp;`).
        HtmlEscapedSeparator => "html_escaped_separator",
        /// The whole URL was percent-encoded once more and was decoded first.
        DoubleEncodedUrl => "double_encoded_url",
        /// A value held a `%` that starts no valid escape; it was kept literally.
        InvalidPercentEncoding => "invalid_percent_encoding",
        /// A value decoded to bytes that are not UTF-8; U+FFFD replaced them.
        InvalidUtf8 => "invalid_utf8",
        /// A tracking value over the length limit was not used.
        ValueTooLong => "value_too_long",
        /// The catalog does not know the `wegly_code` tracker.
        UnknownTracker => "unknown_tracker",
        /// The sent lead source differs from the tracker's; the sent one was kept.
        LeadSourceConflict => "lead_source_conflict",
        /// `expected_close_date` was a bare date, read as midnight UTC.
        DateOnly => "date_only",
        /// A repeated tag was dropped.
        DuplicateTag => "duplicate_tag",
        /// A repeated follower `user_id` was dropped (the first is kept).
        DuplicateFollower => "duplicate_follower",
    }
}

/// One problem that rejects a payload: where (JSON Pointer), what (stable code) and a message.
///
/// Serializes as `{"path": …, "code": …, "message": …}` and deserializes from it.
///
/// ```
/// use wegly_attribution::{CreateDealRequest, ErrorCode};
///
/// let rejected = CreateDealRequest::from_json(br#"{"title": "", "stage_id": "abc"}"#).unwrap_err();
/// let first = &rejected.errors[0];
/// assert_eq!((first.path.as_str(), first.code), ("/title", ErrorCode::Required));
/// assert_eq!(first.to_string(), "required at /title: title must not be empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// JSON Pointer to the offending member (`""` for the whole document).
    pub path: String,
    /// The stable code.
    pub code: ErrorCode,
    /// A human message; its wording may change between releases, the code does not.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{} at {}: {}", self.code, path, self.message)
    }
}

impl std::error::Error for ValidationError {}

/// A repair or drop that normalization made without rejecting the payload.
///
/// Serializes as `{"code": …, "message": …, "path": …}` and deserializes from it.
///
/// ```
/// use wegly_attribution::{Marketing, WarningCode};
///
/// let normalized = Marketing::from_url("https://x.com.br/#utm_source=fb");
/// assert_eq!(normalized.warnings[0].code, WarningCode::ParamInFragment);
/// assert_eq!(normalized.warnings[0].path, "/url_conversion");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The stable code.
    pub code: WarningCode,
    /// A human message naming the key and the value concerned.
    pub message: String,
    /// JSON Pointer to the member the warning is about.
    pub path: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.code, self.path, self.message)
    }
}

/// A rejected payload: every error found in one pass, and the warnings of the same pass.
///
/// Serializes as `{"errors": [...], "warnings": [...]}`, the body a gateway answers with, and
/// reads that body back (`warnings` may be left out).
///
/// ```
/// use wegly_attribution::{CreateDealRequest, Rejected};
///
/// let rejected = CreateDealRequest::from_json(br#"{"visibility": 7}"#).unwrap_err();
/// assert_eq!(rejected.errors.len(), 2); // title is required, 7 is no visibility
/// assert_eq!(rejected.to_string(), "2 validation errors, the first: required at /title: missing required member `title`");
///
/// let body = serde_json::to_string(&rejected)?;
/// assert_eq!(serde_json::from_str::<Rejected>(&body)?, rejected);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{} validation error{}, the first: {}", errors.len(), if errors.len() == 1 { "" } else { "s" }, first_error(errors))]
pub struct Rejected {
    /// Every error, in document order.
    pub errors: Vec<ValidationError>,
    /// The warnings found while validating; read as empty when a body leaves them out.
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

impl Rejected {
    /// One error about the whole document (path `""`), no warnings.
    #[cold]
    pub(crate) fn at_root(code: ErrorCode, message: impl Into<String>) -> Rejected {
        Rejected {
            errors: vec![ValidationError {
                path: String::new(),
                code,
                message: message.into(),
            }],
            warnings: Vec::new(),
        }
    }
}

fn first_error(errors: &[ValidationError]) -> String {
    errors.first().map(ToString::to_string).unwrap_or_default()
}

/// Collects errors and warnings while a validator walks a document, tracking the JSON Pointer
/// of the member under inspection.
///
/// The path is a stack of borrowed tokens, rendered into a string only when something is
/// reported: walking a valid payload builds no path at all.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics<'k> {
    pub(crate) errors: Vec<ValidationError>,
    pub(crate) warnings: Vec<Warning>,
    path: Vec<Token<'k>>,
}

/// A JSON Pointer reference token: an object member name or an array index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token<'k> {
    Key(&'k str),
    Index(usize),
}

impl<'k> From<&'k str> for Token<'k> {
    fn from(key: &'k str) -> Self {
        Token::Key(key)
    }
}

impl From<usize> for Token<'_> {
    fn from(index: usize) -> Self {
        Token::Index(index)
    }
}

impl<'k> Diagnostics<'k> {
    pub(crate) fn new() -> Self {
        Diagnostics {
            errors: Vec::new(),
            warnings: Vec::new(),
            path: Vec::with_capacity(8),
        }
    }

    /// Runs `f` with the path extended by one object member or array index.
    #[inline]
    pub(crate) fn at<R>(
        &mut self,
        token: impl Into<Token<'k>>,
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        self.path.push(token.into());
        let result = f(self);
        self.path.pop();
        result
    }

    /// The current path as a JSON Pointer, `~` and `/` escaped (RFC 6901 section 3).
    #[cold]
    fn pointer(&self) -> String {
        use fmt::Write;
        let mut pointer = String::new();
        for token in &self.path {
            pointer.push('/');
            match token {
                Token::Key(key) => {
                    for c in key.chars() {
                        match c {
                            '~' => pointer.push_str("~0"),
                            '/' => pointer.push_str("~1"),
                            c => pointer.push(c),
                        }
                    }
                }
                // Writing to a String cannot fail.
                Token::Index(index) => {
                    let _ = write!(pointer, "{index}");
                }
            }
        }
        pointer
    }

    #[cold]
    pub(crate) fn error(&mut self, code: ErrorCode, message: impl Into<String>) {
        self.errors.push(ValidationError {
            path: self.pointer(),
            code,
            message: message.into(),
        });
    }

    #[cold]
    pub(crate) fn warn(&mut self, code: WarningCode, message: impl Into<String>) {
        self.warnings.push(Warning {
            code,
            message: message.into(),
            path: self.pointer(),
        });
    }

    /// Reports a wrong JSON type at the current path.
    #[cold]
    pub(crate) fn invalid_type(&mut self, expected: &str, found: &str) {
        self.error(
            ErrorCode::InvalidType,
            format!("expected {expected}, found {found}"),
        );
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// The JSON type of a value, as messages name it.
pub(crate) fn json_type(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Shortens a value for a message, so that a 10 MiB input never makes a 10 MiB message.
pub(crate) fn excerpt(value: &str) -> Cow<'_, str> {
    const MAX: usize = 64;
    match value.char_indices().nth(MAX) {
        None => Cow::Borrowed(value),
        Some((end, _)) => Cow::Owned(format!("{}…", value.get(..end).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        let errors = ErrorCode::ALL.iter().map(|c| c.as_str());
        let warnings = WarningCode::ALL.iter().map(|c| c.as_str());
        for code in errors.chain(warnings) {
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{code}"
            );
            assert!(seen.insert(code), "{code} twice");
        }
    }

    #[test]
    fn paths_escape_and_nest() {
        let mut d = Diagnostics::new();
        d.at("a/b~c", |d| {
            d.at(3usize, |d| d.error(ErrorCode::Empty, "x"))
        });
        d.error(ErrorCode::InvalidJson, "y");
        assert_eq!(d.errors[0].path, "/a~1b~0c/3");
        assert_eq!(d.errors[1].path, "");
        assert_eq!(d.errors[1].to_string(), "invalid_json at /: y");
    }

    #[test]
    fn excerpt_is_bounded() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(100);
        assert_eq!(excerpt(&long).chars().count(), 65);
    }
}
