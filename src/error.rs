//! Errors and warnings: what validation and normalization report, with a JSON Pointer path and
//! a stable code.
//!
//! The code strings are part of the public contract (`docs/rules.md` §2 and §3): they are never
//! renamed once released, and new codes may be added (the enums are `#[non_exhaustive]`).

use std::fmt;

use serde::de::{self, Visitor};

mod diagnostics;
mod report;
#[cfg(test)]
mod tests;

pub(crate) use diagnostics::{Diagnostics, DropWarnings, Token, WarningSink};
pub use report::{DEFAULT_MAX_REPORTS, Message, Pointer, Rejected, ValidationError, Warning};
pub(crate) use report::{Key, Repair};

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

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            /// Reads the code's name, as [`as_str`](Self::as_str) writes it; an unknown name is
            /// an error.
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::error::CodeVisitor {
                    all: $name::ALL,
                    name: $name::as_str,
                    expecting: concat!("a ", stringify!($name), " name"),
                })
            }
        }
    };
}

/// Reads a code enum from its name: the one visitor behind every code enum's `Deserialize`.
pub(crate) struct CodeVisitor<T: 'static> {
    pub(crate) all: &'static [T],
    pub(crate) name: fn(T) -> &'static str,
    pub(crate) expecting: &'static str,
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
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(&excerpt(v).to_string()), &self))
    }
}

// Lets other modules declare their code enums the same way (`Channel`).
pub(crate) use code_enum;

code_enum! {
    /// Why a payload was rejected (`docs/rules.md` §3).
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
        /// More errors were found than the limit (100 by default); the message gives the count
        /// of those not reported (path `""`).
        TooManyErrors => "too_many_errors",
        /// Gateway (`docs/rules.md` §4.5): the request's `Content-Type` is not `application/json`.
        UnsupportedMediaType => "unsupported_media_type",
        /// Gateway (`docs/rules.md` §4.5): the request's body is over the gateway's limit.
        PayloadTooLarge => "payload_too_large",
        /// Gateway (`docs/rules.md` §4.5): the request's `Origin` (or `Referer`) is not the allowed
        /// domain.
        OriginNotAllowed => "origin_not_allowed",
        /// Gateway (`docs/rules.md` §4.9): the API did not create the deal, and the same request
        /// may be sent again (after the answer's `Retry-After`).
        UpstreamUnavailable => "upstream_unavailable",
        /// Gateway (`docs/rules.md` §4.9): the API refused the gateway's own token (401); the
        /// operator must act, sending again does not help.
        UpstreamAuthFailed => "upstream_auth_failed",
        /// Gateway (`docs/rules.md` §4.9): the request reached the API and no definite answer
        /// came back, so the deal may exist; sending it again could create it twice.
        UpstreamOutcomeUnknown => "upstream_outcome_unknown",
        /// Gateway (`docs/rules.md` §4.9): too many requests in progress; try again after the
        /// answer's `Retry-After`.
        Overloaded => "overloaded",
        /// Gateway (`docs/rules.md` §4.9): the body stopped arriving, or did not arrive within
        /// the request's deadline (408).
        RequestTimeout => "request_timeout",
    }
}

code_enum! {
    /// What normalization repaired or dropped without rejecting the payload (`docs/rules.md` §2 and
    /// §3).
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
        /// A JSON object repeats a member; the last occurrence was used (`docs/rules.md` §3.1).
        DuplicateMember => "duplicate_member",
        /// A catalog answer could not be used (a tracker's lead source of blanks); it was
        /// ignored.
        InvalidCatalogAnswer => "invalid_catalog_answer",
        /// More warnings were found than the limit (100 by default); the message gives the
        /// count of those not reported (path `""`).
        TooManyWarnings => "too_many_warnings",
    }
}

/// The six JSON types. Their names in messages are written here only: a `serde_json::Value`
/// and a value the create-deal reader found are named alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonType {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    /// The type as messages name it (`expected a string, found an array`).
    pub(crate) const fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "a boolean",
            JsonType::Number => "a number",
            JsonType::String => "a string",
            JsonType::Array => "an array",
            JsonType::Object => "an object",
        }
    }
}

/// The JSON type of a value, as messages name it.
pub(crate) fn json_type(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => JsonType::Null,
        Value::Bool(_) => JsonType::Boolean,
        Value::Number(_) => JsonType::Number,
        Value::String(_) => JsonType::String,
        Value::Array(_) => JsonType::Array,
        Value::Object(_) => JsonType::Object,
    }
    .name()
}

/// A key or value quoted in a message (`docs/rules.md` §3.1): at most 64 characters and 192 bytes,
/// `…` when cut, and every character a log or a terminal would not show as itself escaped as
/// Rust's `escape_debug` does (`\n`, `\u{a0}`, `\u{200b}`...), quotes and backslashes
/// excepted: they read as themselves between the message's backticks. Two of them and the
/// fixed text stay under 512 bytes. The one way the crate shows untrusted input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Excerpt<'a>(pub(crate) &'a str);

/// Quotes `value` in a message; see [`Excerpt`].
pub(crate) fn excerpt(value: &str) -> Excerpt<'_> {
    Excerpt(value)
}

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX_CHARS: usize = 64;
        const MAX_BYTES: usize = 192;
        let mut bytes = 0;
        for (count, c) in self.0.chars().enumerate() {
            let shown_as_itself = shown_as_itself(c, count == 0);
            let width = if shown_as_itself {
                c.len_utf8()
            } else {
                c.escape_debug().count()
            };
            if count == MAX_CHARS || bytes + width > MAX_BYTES {
                return f.write_str("…");
            }
            bytes += width;
            if shown_as_itself {
                fmt::Write::write_char(f, c)?;
            } else {
                write!(f, "{}", c.escape_debug())?;
            }
        }
        Ok(())
    }
}

/// Whether a log shows `c` as itself: what `escape_debug` leaves alone, and quotes and
/// backslashes. A combining accent is escaped only `first`, where it has nothing to combine
/// with (as `str::escape_debug` does).
fn shown_as_itself(c: char, first: bool) -> bool {
    if c.is_ascii() {
        return c == ' ' || c.is_ascii_graphic();
    }
    if first {
        let mut escaped = c.escape_debug();
        return escaped.next() == Some(c) && escaped.next().is_none();
    }
    let mut pair = [b'a', 0, 0, 0, 0];
    let len = match pair.get_mut(1..) {
        Some(rest) => 1 + c.encode_utf8(rest).len(),
        None => return false,
    };
    pair.get(..len)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .is_some_and(|text| text.escape_debug().count() == 2)
}
