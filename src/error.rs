//! Errors and warnings: what validation and normalization report, with a JSON Pointer path and
//! a stable code.
//!
//! The code strings are part of the public contract (`docs/rules.md` §2 and §3): they are never
//! renamed once released, and new codes may be added (the enums are `#[non_exhaustive]`).

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Serialize};

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
        write!(
            f,
            "{} at {}: {}",
            self.code,
            display_path(&self.path),
            self.message
        )
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
        write!(
            f,
            "{} at {}: {}",
            self.code,
            display_path(&self.path),
            self.message
        )
    }
}

/// A JSON Pointer for a message: the whole document (`""`) reads as `/`.
fn display_path(path: &str) -> &str {
    if path.is_empty() { "/" } else { path }
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
    /// One error about the whole request (path `""`), no warnings: the body of a gateway's
    /// own refusals.
    ///
    /// ```
    /// use wegly_attribution::{ErrorCode, Rejected};
    ///
    /// let body = Rejected::at_root(ErrorCode::Overloaded, "too many requests in progress");
    /// assert_eq!(
    ///     serde_json::to_string(&body)?,
    ///     r#"{"errors":[{"path":"","code":"overloaded","message":"too many requests in progress"}],"warnings":[]}"#
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[cold]
    #[must_use]
    pub fn at_root(code: ErrorCode, message: impl Into<String>) -> Rejected {
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

/// The default limit on errors (and, separately, warnings) reported for one payload
/// (`docs/rules.md` §3.1).
///
/// ```
/// use wegly_attribution::{CreateDealRequest, DEFAULT_MAX_REPORTS};
/// let tags = vec!["[]"; 150].join(",");
/// let json = format!(r#"{{"title": "T", "tags": [{tags}]}}"#);
/// let rejected = CreateDealRequest::from_json(json.as_bytes()).unwrap_err();
/// assert_eq!(rejected.errors.len(), DEFAULT_MAX_REPORTS + 1);
/// assert_eq!(rejected.errors[DEFAULT_MAX_REPORTS].code.as_str(), "too_many_errors");
/// ```
pub const DEFAULT_MAX_REPORTS: usize = 100;

/// The longest message, in bytes (`docs/rules.md` §3.1).
pub(crate) const MAX_MESSAGE_BYTES: usize = 512;

/// Collects errors and warnings while a validator walks a document, tracking the JSON Pointer
/// of the member under inspection.
///
/// - The path is a stack of steps: a member name the reader knows is a `'static` string, an
///   index is a number, and only other keys are copied (into one buffer, cut back in place).
///   It is written as a JSON Pointer only when something is reported.
/// - Messages are `Display` values rendered only when kept: past the limit (`docs/rules.md`
///   §3.1, 100 by default) a report is only counted, so a hostile payload of a million bad items
///   costs no string per item, and a final `too_many_errors` / `too_many_warnings` gives the
///   count.
/// - Every report carries the tick of the clock when it was made. A reader that learns that a
///   JSON member it already read is repeated (the last occurrence wins, `docs/rules.md` §3.1)
///   retracts every report made while it read the earlier one ([`Diagnostics::retract`]).
#[derive(Debug)]
pub(crate) struct Diagnostics {
    errors: Reports<ValidationError>,
    warnings: Reports<Warning>,
    /// The current path, step by step.
    path: Vec<Step>,
    /// The text of the `Step::Copied` keys.
    copied: String,
    /// A last token not written into `path`: [`at_leaf`](Self::at_leaf) costs nothing until
    /// something is reported.
    leaf: Option<&'static str>,
    clock: u32,
}

/// Reports of one kind, bounded.
#[derive(Debug)]
struct Reports<T> {
    kept: Vec<(u32, T)>,
    max: usize,
    /// Reports past `max`, as runs of (tick, count).
    dropped: Vec<(u32, usize)>,
}

impl<T> Reports<T> {
    fn new(max: usize) -> Self {
        Reports {
            kept: Vec::new(),
            max,
            dropped: Vec::new(),
        }
    }

    fn is_full(&self) -> bool {
        self.kept.len() >= self.max
    }

    fn count_dropped(&mut self, tick: u32) {
        match self.dropped.last_mut() {
            Some((last, count)) if *last == tick => *count += 1,
            _ => self.dropped.push((tick, 1)),
        }
    }

    fn retract(&mut self, ticks: &std::ops::Range<u32>) {
        self.kept.retain(|(tick, _)| !ticks.contains(tick));
        self.dropped.retain(|(tick, _)| !ticks.contains(tick));
    }

    fn dropped(&self) -> usize {
        self.dropped.iter().map(|(_, count)| count).sum()
    }

    fn len(&self) -> usize {
        self.kept.len()
    }
}

/// A JSON Pointer reference token: an object member name or an array index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token<'a> {
    /// A key of any lifetime: copied onto the path.
    Key(&'a str),
    /// A member name the reader knows: kept as a reference.
    Name(&'static str),
    Index(usize),
}

/// One step of the path.
#[derive(Debug, Clone, Copy)]
enum Step {
    Name(&'static str),
    Index(usize),
    /// A key copied into `Diagnostics::copied`, at this byte range.
    Copied(usize, usize),
}

/// Where the path was before [`Diagnostics::enter`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    steps: usize,
    copied: usize,
}

impl<'a> From<&'a str> for Token<'a> {
    fn from(key: &'a str) -> Self {
        Token::Key(key)
    }
}

impl From<usize> for Token<'_> {
    fn from(index: usize) -> Self {
        Token::Index(index)
    }
}

impl Diagnostics {
    #[cfg(test)]
    pub(crate) fn new() -> Self {
        Self::with_limits(DEFAULT_MAX_REPORTS, DEFAULT_MAX_REPORTS)
    }

    pub(crate) fn with_limits(max_errors: usize, max_warnings: usize) -> Self {
        Diagnostics {
            errors: Reports::new(max_errors),
            warnings: Reports::new(max_warnings),
            path: Vec::new(),
            copied: String::new(),
            leaf: None,
            clock: 0,
        }
    }

    /// Runs `f` with the path extended by one object member or array index.
    #[inline]
    pub(crate) fn at<'t, R>(
        &mut self,
        token: impl Into<Token<'t>>,
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        let mark = self.enter(token);
        let result = f(self);
        self.leave(mark);
        result
    }

    /// Runs `f` with the path extended by a member name the code knows: referred to, not
    /// copied, unlike a key read from the input ([`at`](Self::at)).
    #[inline]
    pub(crate) fn at_name<R>(&mut self, name: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.at(Token::Name(name), f)
    }

    /// Runs `f` with the path extended by a fixed member name, written only if `f` reports
    /// something. `f` must not extend the path further.
    #[inline]
    pub(crate) fn at_leaf<R>(&mut self, name: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        debug_assert!(!name.contains(['~', '/']), "{name}");
        let outer = self.leaf.replace(name);
        let result = f(self);
        self.leaf = outer;
        result
    }

    /// Extends the path by one token; [`leave`](Self::leave) with the mark cuts it back.
    #[inline]
    pub(crate) fn enter<'t>(&mut self, token: impl Into<Token<'t>>) -> Mark {
        debug_assert!(self.leaf.is_none(), "no path below a leaf");
        let mark = Mark {
            steps: self.path.len(),
            copied: self.copied.len(),
        };
        let step = match token.into() {
            Token::Name(name) => {
                debug_assert!(!name.contains(['~', '/']), "{name}");
                Step::Name(name)
            }
            Token::Index(index) => Step::Index(index),
            Token::Key(key) => {
                self.copied.push_str(key);
                Step::Copied(mark.copied, self.copied.len())
            }
        };
        self.path.push(step);
        mark
    }

    /// Cuts the path back to a mark of [`enter`](Self::enter).
    #[inline]
    pub(crate) fn leave(&mut self, mark: Mark) {
        self.path.truncate(mark.steps);
        self.copied.truncate(mark.copied);
    }

    /// An empty sink with the same limits.
    pub(crate) fn fresh(&self) -> Self {
        Self::with_limits(self.errors.max, self.warnings.max)
    }

    /// Advances the clock: reports made from now on can be told from earlier ones.
    #[inline]
    pub(crate) fn tick(&mut self) -> u32 {
        self.clock = self.clock.wrapping_add(1);
        self.clock
    }

    /// Forgets every report made during `ticks` (an earlier occurrence of a repeated member).
    #[cold]
    pub(crate) fn retract(&mut self, ticks: std::ops::Range<u32>) {
        self.errors.retract(&ticks);
        self.warnings.retract(&ticks);
    }

    /// The current path as a JSON Pointer, `~` and `/` escaped (RFC 6901 section 3).
    #[cold]
    fn pointer(&self) -> String {
        let mut pointer = String::with_capacity(32);
        let key = |pointer: &mut String, key: &str| {
            pointer.push('/');
            if !key.bytes().any(|b| b == b'~' || b == b'/') {
                return pointer.push_str(key);
            }
            for c in key.chars() {
                match c {
                    '~' => pointer.push_str("~0"),
                    '/' => pointer.push_str("~1"),
                    c => pointer.push(c),
                }
            }
        };
        // A fixed name holds no `~` nor `/` (checked where it enters the path): no escaping.
        let name = |pointer: &mut String, name: &str| {
            pointer.push('/');
            pointer.push_str(name);
        };
        for step in &self.path {
            match *step {
                Step::Name(fixed) => name(&mut pointer, fixed),
                Step::Copied(start, end) => {
                    key(
                        &mut pointer,
                        self.copied.get(start..end).unwrap_or_default(),
                    );
                }
                Step::Index(index) => {
                    pointer.push('/');
                    push_decimal(&mut pointer, index);
                }
            }
        }
        if let Some(leaf) = self.leaf {
            name(&mut pointer, leaf);
        }
        pointer
    }

    /// Reports an error at the current path; `message` is rendered only if it is kept.
    #[cold]
    pub(crate) fn error(&mut self, code: ErrorCode, message: impl fmt::Display) {
        if self.errors.is_full() {
            return self.errors.count_dropped(self.clock);
        }
        let error = ValidationError {
            path: self.pointer(),
            code,
            message: render(message),
        };
        self.errors.kept.push((self.clock, error));
    }

    /// Reports a warning at the current path; `message` is rendered only if it is kept.
    #[cold]
    pub(crate) fn warn(&mut self, code: WarningCode, message: impl fmt::Display) {
        self.warn_at_path(code, message, None);
    }

    /// Reports a warning at another path than the current one.
    #[cold]
    pub(crate) fn warn_at(&mut self, path: &str, code: WarningCode, message: impl fmt::Display) {
        self.warn_at_path(code, message, Some(path));
    }

    fn warn_at_path(&mut self, code: WarningCode, message: impl fmt::Display, path: Option<&str>) {
        if self.warnings.is_full() {
            return self.warnings.count_dropped(self.clock);
        }
        let warning = Warning {
            code,
            message: render(message),
            path: path.map_or_else(|| self.pointer(), str::to_owned),
        };
        self.warnings.kept.push((self.clock, warning));
    }

    /// Reports a warning at the current path whose message is `parts` joined: no formatting
    /// machinery, for the warnings a URL may repeat on every parameter (a hash router's
    /// `param_in_fragment`).
    pub(crate) fn warn_parts(&mut self, code: WarningCode, parts: &[&str]) {
        if self.warnings.is_full() {
            return self.warnings.count_dropped(self.clock);
        }
        // What `cut` keeps of a longer message lies in its first `MAX_MESSAGE_BYTES`: copy no
        // more than that and one character (a 10 MiB key is not copied whole). The copy of a
        // longer message is then longer than the limit too, and is cut the same way.
        let keep = parts
            .iter()
            .map(|part| part.len())
            .sum::<usize>()
            .min(MAX_MESSAGE_BYTES + 4);
        let mut message = String::with_capacity(keep);
        for part in parts {
            let room = keep - message.len();
            if part.len() <= room {
                message.push_str(part);
                continue;
            }
            let mut end = room;
            while !part.is_char_boundary(end) {
                end -= 1;
            }
            message.push_str(part.get(..end).unwrap_or_default());
            break;
        }
        cut(&mut message);
        let warning = Warning {
            code,
            message,
            path: self.pointer(),
        };
        self.warnings.kept.push((self.clock, warning));
    }

    /// Reports a wrong JSON type at the current path.
    #[cold]
    pub(crate) fn invalid_type(&mut self, expected: &str, found: &str) {
        self.error(
            ErrorCode::InvalidType,
            format_args!("expected {expected}, found {found}"),
        );
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors.len() > 0 || !self.errors.dropped.is_empty()
    }

    /// The warnings, with `too_many_warnings` last when some were dropped.
    pub(crate) fn into_warnings(self) -> Vec<Warning> {
        if self.warnings.dropped.is_empty() {
            // The usual case, without the sorting and counting of `finish`; most often empty.
            if self.warnings.kept.is_empty() {
                return Vec::new();
            }
            return self.warnings.kept.into_iter().map(|(_, w)| w).collect();
        }
        self.finish(|_| 0).1
    }

    /// The errors and warnings, each list with its `too_many_*` report last when some were
    /// dropped. Errors are put in a stable order by `rank` (of the path), then as reported.
    pub(crate) fn finish<K: Ord>(
        self,
        rank: impl Fn(&str) -> K,
    ) -> (Vec<ValidationError>, Vec<Warning>) {
        let dropped = self.errors.dropped();
        let mut errors: Vec<ValidationError> =
            self.errors.kept.into_iter().map(|(_, e)| e).collect();
        errors.sort_by_cached_key(|e| rank(&e.path));
        if dropped > 0 {
            errors.push(ValidationError {
                path: String::new(),
                code: ErrorCode::TooManyErrors,
                message: format!("{dropped} more errors were found and not reported"),
            });
        }
        let dropped = self.warnings.dropped();
        let mut warnings: Vec<Warning> = self.warnings.kept.into_iter().map(|(_, w)| w).collect();
        if dropped > 0 {
            warnings.push(Warning {
                code: WarningCode::TooManyWarnings,
                message: format!("{dropped} more warnings were found and not reported"),
                path: String::new(),
            });
        }
        (errors, warnings)
    }
}

/// Writes `n` in decimal: every array item is on the path while it is read, and `fmt` is slow
/// for that.
fn push_decimal(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(digit) = digits.get_mut(start) {
            // `n % 10` is a digit: the cast cannot truncate.
            #[allow(clippy::cast_possible_truncation)]
            {
                *digit = b'0' + (n % 10) as u8;
            }
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    // ASCII digits are UTF-8.
    out.push_str(std::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or_default());
}

/// Renders a message, cut to [`MAX_MESSAGE_BYTES`] at a character boundary.
#[cold]
fn render(message: impl fmt::Display) -> String {
    let mut text = message.to_string();
    cut(&mut text);
    text
}

/// Cuts `text` to [`MAX_MESSAGE_BYTES`] at a character boundary, ending it with `…`.
fn cut(text: &mut String) {
    if text.len() > MAX_MESSAGE_BYTES {
        let mut end = MAX_MESSAGE_BYTES - '…'.len_utf8();
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
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

/// A key or value quoted in a message (`docs/rules.md` §3.1): at most 64 characters and 192 bytes,
/// control characters escaped, `…` when cut. Two of them and the fixed text stay under 512 bytes.
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
            let width = if c.is_control() {
                c.escape_default().count()
            } else {
                c.len_utf8()
            };
            if count == MAX_CHARS || bytes + width > MAX_BYTES {
                return f.write_str("…");
            }
            bytes += width;
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
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
        let (errors, _) = d.finish(|_| 0);
        assert_eq!(errors[0].path, "/a~1b~0c/3");
        assert_eq!(errors[1].path, "");
        assert_eq!(errors[1].to_string(), "invalid_json at /: y");
    }

    #[test]
    fn excerpt_is_bounded() {
        let cases: &[(&str, &str)] = &[("short", "short"), ("a\nb\u{1}", "a\\nb\\u{1}"), ("", "")];
        for (input, expected) in cases {
            assert_eq!(excerpt(input).to_string(), *expected, "{input:?}");
        }
        let long = "é".repeat(100);
        assert_eq!(excerpt(&long).to_string().chars().count(), 65);
        let wide = "\u{10ffff}".repeat(100);
        assert!(excerpt(&wide).to_string().len() <= 192 + 3);
        let controls = "\u{1}".repeat(100);
        assert!(excerpt(&controls).to_string().len() <= 192 + 3);
    }

    #[test]
    fn reports_are_bounded_and_retractable() {
        let mut d = Diagnostics::with_limits(2, 1);
        let first = d.tick();
        d.error(ErrorCode::Empty, "a");
        d.error(ErrorCode::Empty, "b");
        d.error(ErrorCode::Empty, "c");
        d.warn(WarningCode::DuplicateTag, "w1");
        d.warn(WarningCode::DuplicateTag, "w2");
        let (errors, warnings) = Diagnostics {
            errors: Reports {
                kept: d.errors.kept.clone(),
                max: 2,
                dropped: d.errors.dropped.clone(),
            },
            warnings: Reports {
                kept: d.warnings.kept.clone(),
                max: 1,
                dropped: d.warnings.dropped.clone(),
            },
            path: Vec::new(),
            copied: String::new(),
            leaf: None,
            clock: 0,
        }
        .finish(|_| 0);
        assert_eq!(errors.len(), 3);
        assert_eq!(errors[2].code, ErrorCode::TooManyErrors);
        assert_eq!(
            errors[2].message,
            "1 more errors were found and not reported"
        );
        assert_eq!(warnings[1].code, WarningCode::TooManyWarnings);
        // Retracting forgets the earlier reports, kept or counted. A report counted while the
        // list was full stays counted: its text was never made.
        let second = d.tick();
        d.error(ErrorCode::Required, "late");
        let third = d.tick();
        d.retract(first..second);
        d.error(ErrorCode::Required, "kept");
        let _ = third;
        let (errors, warnings) = d.finish(|_| 0);
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.code.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("required", "kept"),
                (
                    "too_many_errors",
                    "1 more errors were found and not reported"
                )
            ]
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn messages_are_cut_at_512_bytes() {
        let long = "ã".repeat(400);
        let text = render(&long);
        assert!(text.len() <= MAX_MESSAGE_BYTES);
        assert!(text.ends_with('…'));
        assert_eq!(render("short"), "short");
    }

    /// A message joined from parts is the message `format!` would give, cut the same way, and
    /// at the same path.
    #[test]
    fn joined_messages_equal_rendered_ones() {
        let keys = [
            String::from("utm_source"),
            String::new(),
            "ã".repeat(300),
            "k".repeat(10_000),
            format!("{}ã", "k".repeat(497)),
            format!("{}€€", "k".repeat(509)),
            "€".repeat(4_000),
        ];
        for key in &keys {
            let mut joined = Diagnostics::new();
            let mut rendered = Diagnostics::new();
            for d in [&mut joined, &mut rendered] {
                d.enter("a~/b");
                d.enter(Token::Name("marketing"));
            }
            joined.at_leaf("url_conversion", |d| {
                d.warn_parts(
                    WarningCode::ParamInFragment,
                    &["`", key, "` was taken from the URL fragment"],
                );
            });
            rendered.at_leaf("url_conversion", |d| {
                d.warn(
                    WarningCode::ParamInFragment,
                    format_args!("`{key}` was taken from the URL fragment"),
                );
            });
            let (joined, rendered) = (joined.into_warnings(), rendered.into_warnings());
            assert_eq!(joined, rendered, "key of {} bytes", key.len());
            assert_eq!(joined[0].path, "/a~0~1b/marketing/url_conversion");
            assert!(joined[0].message.len() <= MAX_MESSAGE_BYTES);
        }
    }
}
