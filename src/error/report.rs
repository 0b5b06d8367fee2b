//! The reports themselves: [`ValidationError`], [`Warning`], [`Rejected`], and the
//! [`Pointer`] and [`Message`] they carry.
//!
//! A report keeps what it is about and renders its text only when asked (`Display`,
//! serialization), as `serde_json::Error` and `uuid::Error` do: a URL that repeats a repair on
//! every parameter makes no string per warning.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{ErrorCode, WarningCode};

/// One problem that rejects a payload: where (JSON Pointer), what (stable code) and a message.
///
/// Serializes as `{"path": …, "code": …, "message": …}` and deserializes from it.
///
/// ```
/// use wegly_attribution::{CreateDealRequest, ErrorCode};
///
/// let Err(rejected) = CreateDealRequest::from_json(br#"{"title": "", "stage_id": "abc"}"#) else {
///     return Err("accepted".into());
/// };
/// let first = &rejected.errors[0];
/// assert_eq!((first.path().to_string(), first.code()), ("/title".to_owned(), ErrorCode::Required));
/// assert_eq!(first.message(), "title must not be empty");
/// assert_eq!(first.to_string(), "required at /title: title must not be empty");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    path: Pointer,
    code: ErrorCode,
    message: Message,
}

impl ValidationError {
    pub(crate) fn new(path: Pointer, code: ErrorCode, message: Message) -> Self {
        ValidationError {
            path,
            code,
            message,
        }
    }

    /// An error about the whole document (path `""`): a gateway's own refusals, or a caller's
    /// rewording of one.
    ///
    /// ```
    /// use wegly_attribution::{ErrorCode, ValidationError};
    /// let error = ValidationError::at_root(ErrorCode::InvalidJson, "expected value at line 3");
    /// assert_eq!(error.to_string(), "invalid_json at /: expected value at line 3");
    /// ```
    #[cold]
    #[must_use]
    pub fn at_root(code: ErrorCode, message: impl Into<String>) -> ValidationError {
        ValidationError::new(Pointer::ROOT, code, Message::text(message.into()))
    }

    /// JSON Pointer to the offending member (`""` for the whole document).
    ///
    /// ```
    /// use wegly_attribution::{ErrorCode, Rejected};
    /// let rejected = Rejected::at_root(ErrorCode::Overloaded, "busy");
    /// assert_eq!(rejected.errors[0].path(), "");
    /// ```
    #[must_use]
    pub fn path(&self) -> &Pointer {
        &self.path
    }

    /// The stable code.
    ///
    /// ```
    /// use wegly_attribution::{ErrorCode, Rejected};
    /// let rejected = Rejected::at_root(ErrorCode::Overloaded, "busy");
    /// assert_eq!(rejected.errors[0].code(), ErrorCode::Overloaded);
    /// ```
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// A human message; its wording may change between releases, the code does not.
    ///
    /// ```
    /// use wegly_attribution::{ErrorCode, Rejected};
    /// let rejected = Rejected::at_root(ErrorCode::Overloaded, "busy");
    /// assert_eq!(rejected.errors[0].message().to_string(), "busy");
    /// ```
    #[must_use]
    pub fn message(&self) -> &Message {
        &self.message
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}: {}",
            self.code,
            self.path.for_message(),
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
/// use wegly_attribution::{Normalized, WarningCode};
///
/// let normalized = Normalized::from_url("https://x.com.br/#utm_source=fb");
/// let warning = &normalized.warnings[0];
/// assert_eq!(warning.code(), WarningCode::ParamInFragment);
/// assert_eq!(warning.path(), "/url_conversion");
/// assert_eq!(warning.message(), "`utm_source` was taken from the URL fragment");
/// assert_eq!(
///     serde_json::to_string(warning)?,
///     r#"{"code":"param_in_fragment","message":"`utm_source` was taken from the URL fragment","path":"/url_conversion"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    code: WarningCode,
    message: Message,
    path: Pointer,
}

impl Warning {
    pub(crate) fn new(path: Pointer, code: WarningCode, message: Message) -> Self {
        Warning {
            code,
            message,
            path,
        }
    }

    /// The stable code.
    ///
    /// ```
    /// use wegly_attribution::{Normalized, WarningCode};
    /// let n = Normalized::from_url("/lp#utm_source=fb");
    /// assert_eq!(n.warnings[0].code(), WarningCode::ParamInFragment);
    /// ```
    #[must_use]
    pub fn code(&self) -> WarningCode {
        self.code
    }

    /// JSON Pointer to the member the warning is about.
    ///
    /// ```
    /// use wegly_attribution::Normalized;
    /// let n = Normalized::from_url("/lp#utm_source=fb");
    /// assert_eq!(n.warnings[0].path().to_string(), "/url_conversion");
    /// ```
    #[must_use]
    pub fn path(&self) -> &Pointer {
        &self.path
    }

    /// A human message naming the key and the value concerned.
    ///
    /// ```
    /// use wegly_attribution::Normalized;
    /// let n = Normalized::from_url("/lp#utm_source=fb");
    /// assert_eq!(n.warnings[0].message(), "`utm_source` was taken from the URL fragment");
    /// ```
    #[must_use]
    pub fn message(&self) -> &Message {
        &self.message
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}: {}",
            self.code,
            self.path.for_message(),
            self.message
        )
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
/// let Err(rejected) = CreateDealRequest::from_json(br#"{"visibility": 7}"#) else {
///     return Err("accepted".into());
/// };
/// assert_eq!(rejected.errors.len(), 2); // title is required, 7 is no visibility
/// assert_eq!(rejected.to_string(), "2 validation errors, the first: required at /title: missing required member `title`");
///
/// let body = serde_json::to_string(&rejected)?;
/// assert_eq!(serde_json::from_str::<Rejected>(&body)?, rejected);
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
            errors: vec![ValidationError::at_root(code, message)],
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
/// use wegly_attribution::{CreateDealRequest, DEFAULT_MAX_REPORTS, ErrorCode};
/// let tags = vec!["[]"; 150].join(",");
/// let json = format!(r#"{{"title": "T", "tags": [{tags}]}}"#);
/// let Err(rejected) = CreateDealRequest::from_json(json.as_bytes()) else {
///     return Err("accepted".into());
/// };
/// assert_eq!(rejected.errors.len(), DEFAULT_MAX_REPORTS + 1);
/// assert_eq!(rejected.errors[DEFAULT_MAX_REPORTS].code(), ErrorCode::TooManyErrors);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const DEFAULT_MAX_REPORTS: usize = 100;

/// The longest message, in bytes (`docs/rules.md` §3.1).
pub(crate) const MAX_MESSAGE_BYTES: usize = 512;

/// Where a report points: a JSON Pointer (RFC 6901), `""` for the whole document.
///
/// It is written out only when displayed or serialized; compare it with a string directly.
///
/// ```
/// use wegly_attribution::Normalized;
/// let n = Normalized::from_url("/lp#utm_source=fb");
/// let path = n.warnings[0].path();
/// assert_eq!(path, "/url_conversion");
/// assert_eq!(path.to_string(), "/url_conversion");
/// ```
#[derive(Clone)]
pub struct Pointer(PointerRepr);

#[derive(Clone)]
enum PointerRepr {
    /// The whole document: `""`.
    Root,
    /// One member name the code knows: `/name`. Most warnings of a URL are about
    /// `/url_conversion`, and this one costs no allocation.
    Name(&'static str),
    /// Any other pointer, written out.
    Text(Box<str>),
}

impl Pointer {
    pub(crate) const ROOT: Pointer = Pointer(PointerRepr::Root);

    /// `/name`, for a name holding no `~` nor `/`.
    pub(crate) fn name(name: &'static str) -> Pointer {
        debug_assert!(!name.contains(['~', '/']), "{name}");
        Pointer(PointerRepr::Name(name))
    }

    /// A pointer already written out.
    pub(crate) fn text(text: String) -> Pointer {
        if text.is_empty() {
            return Pointer::ROOT;
        }
        Pointer(PointerRepr::Text(text.into_boxed_str()))
    }

    /// Whether this pointer is written `text`, without writing it.
    fn is(&self, text: &str) -> bool {
        match &self.0 {
            PointerRepr::Root => text.is_empty(),
            PointerRepr::Name(name) => text.strip_prefix('/') == Some(name),
            PointerRepr::Text(own) => **own == *text,
        }
    }

    /// The pointer as a message shows it: the whole document (`""`) reads as `/`.
    fn for_message(&self) -> impl fmt::Display + '_ {
        struct Shown<'a>(&'a Pointer);
        impl fmt::Display for Shown<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match &self.0.0 {
                    PointerRepr::Root => f.write_str("/"),
                    _ => fmt::Display::fmt(self.0, f),
                }
            }
        }
        Shown(self)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            PointerRepr::Root => Ok(()),
            PointerRepr::Name(name) => {
                f.write_str("/")?;
                f.write_str(name)
            }
            PointerRepr::Text(text) => f.write_str(text),
        }
    }
}

impl PartialEq for Pointer {
    fn eq(&self, other: &Pointer) -> bool {
        match (&self.0, &other.0) {
            (_, PointerRepr::Text(text)) => self.is(text),
            (PointerRepr::Text(text), _) => other.is(text),
            (PointerRepr::Root, PointerRepr::Root) => true,
            (PointerRepr::Name(a), PointerRepr::Name(b)) => a == b,
            _ => false,
        }
    }
}

/// What [`Pointer`] and [`Message`] share: debugged, compared with text and serialized as they
/// render (`collect_str`, straight into the output), read back from a string.
macro_rules! text_like {
    ($name:ident) => {
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.to_string(), f)
            }
        }

        impl Eq for $name {}

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.is(other)
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.is(other)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($name::text)
            }
        }
    };
}

text_like!(Pointer);

/// The human message of a report: its wording may change between releases, the code does not.
///
/// It is written out, cut to 512 bytes (`docs/rules.md` §3.1), only when displayed or
/// serialized; compare it with a string directly.
///
/// ```
/// use wegly_attribution::Normalized;
/// let n = Normalized::from_url("/lp#utm_source=fb");
/// let message = n.warnings[0].message();
/// assert_eq!(message, "`utm_source` was taken from the URL fragment");
/// assert_eq!(message.to_string(), "`utm_source` was taken from the URL fragment");
/// ```
#[derive(Clone)]
pub struct Message(MessageRepr);

#[derive(Clone)]
enum MessageRepr {
    /// Written out already (cut to the limit when the crate wrote it).
    Text(Box<str>),
    /// A repair of a URL parameter: a fixed sentence about one key.
    Repair(Repair, Key),
}

/// A repair of a URL parameter that a warning reports (`docs/rules.md` §2.3).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Repair {
    /// The parameter was in the fragment.
    InFragment,
    /// Its name followed `&amp;`.
    HtmlEscapedSeparator,
    /// Its value held a `%` that starts no escape.
    InvalidPercentEncoding,
    /// Its value decoded to bytes that are not UTF-8.
    InvalidUtf8,
}

impl Repair {
    /// The text around the key.
    fn parts(self) -> (&'static str, &'static str) {
        match self {
            Repair::InFragment => ("`", "` was taken from the URL fragment"),
            Repair::HtmlEscapedSeparator => ("`", "` followed an HTML-escaped separator `&amp;`"),
            Repair::InvalidPercentEncoding => (
                "the value of `",
                "` has a `%` that starts no escape; kept literally",
            ),
            Repair::InvalidUtf8 => (
                "the value of `",
                "` decodes to invalid UTF-8; replaced with U+FFFD",
            ),
        }
    }
}

/// A key a message names: a common key is `'static` and costs nothing to keep.
#[derive(Debug, Clone)]
pub(crate) enum Key {
    Static(&'static str),
    Owned(Box<str>),
}

impl Key {
    /// `key`, or `known` (the same text, `'static`) when there is one. Of a long key only what
    /// a message can show is copied (a 10 MiB key is not copied whole).
    pub(crate) fn new(key: &str, known: Option<&'static str>) -> Key {
        if let Some(known) = known {
            debug_assert_eq!(known, key);
            return Key::Static(known);
        }
        // A message that holds the key is cut within its first `MAX_MESSAGE_BYTES`: a copy of
        // that many bytes and one character renders the same.
        let mut end = key.len().min(MAX_MESSAGE_BYTES + 4);
        while !key.is_char_boundary(end) {
            end -= 1;
        }
        Key::Owned(key.get(..end).unwrap_or_default().into())
    }

    fn as_str(&self) -> &str {
        match self {
            Key::Static(key) => key,
            Key::Owned(key) => key,
        }
    }
}

impl Message {
    /// A message written out already, kept as it is.
    pub(crate) fn text(text: String) -> Message {
        Message(MessageRepr::Text(text.into_boxed_str()))
    }

    /// A message written from `message`, cut to [`MAX_MESSAGE_BYTES`].
    #[cold]
    pub(crate) fn render(message: impl fmt::Display) -> Message {
        let mut text = String::new();
        let mut out = Cut::new(&mut text);
        // Writing into a `String` cannot fail; only a `Display` that errs would, and then
        // what it wrote before is kept.
        let _ = fmt::write(&mut out, format_args!("{message}")).and_then(|()| out.finish());
        Message::text(text)
    }

    /// The message of a repair of the URL parameter `key`.
    pub(crate) fn repair(repair: Repair, key: Key) -> Message {
        Message(MessageRepr::Repair(repair, key))
    }

    /// Whether this message is written `text`.
    fn is(&self, text: &str) -> bool {
        match &self.0 {
            MessageRepr::Text(own) => **own == *text,
            MessageRepr::Repair(..) => {
                // Compared as it is written, without writing it into a string.
                let mut rest = Rest(text);
                fmt::write(&mut rest, format_args!("{self}")).is_ok() && rest.0.is_empty()
            }
        }
    }
}

/// What is left of a text that a message is compared with: writing what does not come next
/// fails.
struct Rest<'a>(&'a str);

impl fmt::Write for Rest<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.strip_prefix(s).ok_or(fmt::Error)?;
        Ok(())
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            MessageRepr::Text(text) => f.write_str(text),
            MessageRepr::Repair(repair, key) => {
                let (before, after) = repair.parts();
                let key = key.as_str();
                if before.len() + key.len() + after.len() <= MAX_MESSAGE_BYTES {
                    return [before, key, after].iter().try_for_each(|s| f.write_str(s));
                }
                let mut out = Cut::new(f);
                [before, key, after]
                    .iter()
                    .try_for_each(|s| fmt::Write::write_str(&mut out, s))?;
                out.finish()
            }
        }
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        match (&self.0, &other.0) {
            (_, MessageRepr::Text(text)) => self.is(text),
            (MessageRepr::Text(text), _) => other.is(text),
            _ => self.to_string() == other.to_string(),
        }
    }
}

text_like!(Message);

/// Writes at most [`MAX_MESSAGE_BYTES`], cut at a character boundary and ended with `…` when
/// the text is longer.
struct Cut<W> {
    out: W,
    /// What was offered so far, in bytes.
    seen: usize,
    /// The last character boundary within the first `MAX_MESSAGE_BYTES - 3` bytes, and the
    /// text after it that is held back until it is known whether the whole fits.
    held: String,
}

impl<W: fmt::Write> Cut<W> {
    fn new(out: W) -> Self {
        Cut {
            out,
            seen: 0,
            held: String::new(),
        }
    }

    /// Writes what was held back: all of it when the text fits, else `…` in its place.
    fn finish(mut self) -> fmt::Result {
        if self.seen <= MAX_MESSAGE_BYTES {
            self.out.write_str(&self.held)
        } else {
            self.out.write_str("…")
        }
    }
}

impl<W: fmt::Write> fmt::Write for Cut<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // The bytes before `KEEP` are written whatever follows; those from `KEEP` to the limit
        // are held until the end tells whether the text fits (they are written) or not (`…`
        // replaces them).
        const KEEP: usize = MAX_MESSAGE_BYTES - '…'.len_utf8();
        let start = self.seen;
        self.seen += s.len();
        if start >= KEEP {
            if start < MAX_MESSAGE_BYTES + 1 {
                let room = MAX_MESSAGE_BYTES + 1 - start;
                self.held.push_str(prefix(s, room));
            }
            return Ok(());
        }
        let now = KEEP - start;
        if s.len() <= now {
            return self.out.write_str(s);
        }
        // The character across `KEEP` is not written now: it goes with the held text.
        let written = prefix(s, now);
        self.out.write_str(written)?;
        let rest = s.get(written.len()..).unwrap_or_default();
        self.held
            .push_str(prefix(rest, MAX_MESSAGE_BYTES + 1 - KEEP));
        Ok(())
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends at a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}
