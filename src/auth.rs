//! [`BearerToken`]: the integration key sent as `Authorization: Bearer {token}` (`docs/rules.md`
//! §4.4; the API pages: "Utilize o token de integração no header Authorization: Bearer {token}").

use std::fmt;
use std::str::FromStr;

/// What [`BearerToken`]'s `Debug` and `Display` print in place of the secret.
const MASK: &str = "***";

/// An API integration token, checked once and kept out of logs.
///
/// - `Debug` prints `BearerToken("***")` and `Display` prints `Bearer ***`: formatting a
///   request, a config or an error that holds a token never shows the secret.
/// - The secret comes out only through [`BearerToken::header_value`] (the `Authorization`
///   header value) and [`BearerToken::expose_secret`].
/// - It implements neither `Serialize` nor `Deserialize`, so it cannot land in a JSON log or
///   a serialized config by accident: a struct that holds one and derives `Serialize` does not
///   compile. Read the secret as a `String` and call [`BearerToken::new`].
/// - It implements no `PartialEq` either: `==` on secrets is not constant time, and a gateway
///   must not check incoming credentials with it. Compare [`BearerToken::expose_secret`] in
///   tests.
///
/// Wiping the secret from memory on drop is out of scope: the token is a plain `String`, and
/// copies made by `header_value` or by an HTTP client are not tracked.
///
/// ```
/// use wegly_attribution::BearerToken;
///
/// let token = BearerToken::new("s3cr3t.T0ken_v1")?;
/// assert_eq!(token.header_value(), "Bearer s3cr3t.T0ken_v1");
/// assert_eq!(format!("{token}"), "Bearer ***");
/// assert_eq!(format!("{token:?}"), r#"BearerToken("***")"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct BearerToken {
    /// The checked token, without the scheme or surrounding white space.
    secret: String,
}

impl BearerToken {
    /// Checks a token and wraps it.
    ///
    /// ASCII white space around the token is dropped (a token read from a file or an
    /// environment variable often ends with a newline). What is left must match `b64token`,
    /// the token syntax of RFC 6750 §2.1:
    ///
    /// ```text
    /// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    /// ```
    ///
    /// That also keeps the header value free of anything HTTP forbids there (control
    /// characters, line breaks, non-ASCII).
    ///
    /// # Errors
    ///
    /// [`InvalidToken`] when the token is empty, still starts with the `Bearer` scheme, holds a
    /// character outside the `b64token` alphabet, or has `=` anywhere but at its end. The error
    /// never contains the token.
    ///
    /// ```
    /// use wegly_attribution::{BearerToken, InvalidToken};
    ///
    /// let token = BearerToken::new("  abc+/~-._123==\n")?;
    /// assert_eq!(token.expose_secret(), "abc+/~-._123==");
    ///
    /// assert_eq!(BearerToken::new(" ").err(), Some(InvalidToken::Empty));
    /// assert_eq!(BearerToken::new("Bearer abc").err(), Some(InvalidToken::IncludesScheme));
    /// assert_eq!(
    ///     BearerToken::new("ab cd").err(),
    ///     Some(InvalidToken::InvalidCharacter { position: 2 })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(token: impl Into<String>) -> Result<Self, InvalidToken> {
        let token = token.into();
        let trimmed = token.trim_ascii();
        // Offsets in errors count from the start of the given string, not the trimmed one.
        let start = token.len() - token.trim_ascii_start().len();
        check_b64token(trimmed, start)?;
        let secret = if trimmed.len() == token.len() {
            token
        } else {
            trimmed.to_owned()
        };
        Ok(Self { secret })
    }

    /// The `Authorization` header value: `Bearer {token}`.
    ///
    /// ```
    /// use wegly_attribution::BearerToken;
    ///
    /// let token = BearerToken::new("abc123")?;
    /// assert_eq!(token.header_value(), "Bearer abc123");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn header_value(&self) -> String {
        format!("Bearer {}", self.secret)
    }

    /// The token itself, for the rare caller that needs it outside the header (a test, another
    /// HTTP client API). Keep it out of logs.
    ///
    /// ```
    /// use wegly_attribution::BearerToken;
    ///
    /// let token = BearerToken::new("abc123")?;
    /// assert_eq!(token.expose_secret(), "abc123");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for BearerToken {
    /// Prints `BearerToken("***")`, never the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BearerToken").field(&MASK).finish()
    }
}

impl fmt::Display for BearerToken {
    /// Prints `Bearer ***`, never the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bearer {MASK}")
    }
}

impl FromStr for BearerToken {
    type Err = InvalidToken;

    /// Same as [`BearerToken::new`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for BearerToken {
    type Error = InvalidToken;

    /// Same as [`BearerToken::new`].
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl TryFrom<&str> for BearerToken {
    type Error = InvalidToken;

    /// Same as [`BearerToken::new`].
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

/// Checks `token` (already trimmed) against RFC 6750 §2.1 `b64token`; `start` is where it
/// begins in the caller's string, for the error positions.
fn check_b64token(token: &str, start: usize) -> Result<(), InvalidToken> {
    if token.is_empty() {
        return Err(InvalidToken::Empty);
    }
    if includes_scheme(token) {
        return Err(InvalidToken::IncludesScheme);
    }
    let mut padding_at = None;
    // Every allowed character is ASCII, so walking bytes is enough: the first byte of a
    // non-ASCII character is refused at that character's offset.
    for (i, byte) in token.bytes().enumerate() {
        let position = start + i;
        match byte {
            // `1*(...)`: at least one token character comes before any padding.
            b'=' if i == 0 => return Err(InvalidToken::MisplacedPadding { position }),
            b'=' => {
                padding_at.get_or_insert(position);
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'+' | b'/' => {
                // `*"="`: once padding starts, only padding may follow.
                if let Some(position) = padding_at {
                    return Err(InvalidToken::MisplacedPadding { position });
                }
            }
            _ => return Err(InvalidToken::InvalidCharacter { position }),
        }
    }
    Ok(())
}

/// Whether the caller passed the whole credentials (`Bearer 1*SP b64token`, RFC 6750 §2.1)
/// instead of the token. The scheme is case-insensitive (RFC 9110 §11.1).
fn includes_scheme(token: &str) -> bool {
    let bytes = token.as_bytes();
    let scheme = bytes
        .get(..6)
        .is_some_and(|s| s.eq_ignore_ascii_case(b"bearer"));
    scheme && matches!(bytes.get(6), Some(b' ' | b'\t'))
}

/// Why [`BearerToken::new`] refused a token. The messages never contain the token.
///
/// ```
/// use wegly_attribution::{BearerToken, InvalidToken};
///
/// let err = BearerToken::new("tok\ren").err().ok_or("a CR should be refused")?;
/// assert_eq!(err, InvalidToken::InvalidCharacter { position: 3 });
/// assert_eq!(
///     err.to_string(),
///     "invalid bearer token: character at byte 3 is not allowed (RFC 6750 b64token)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidToken {
    /// Nothing is left once surrounding white space is dropped.
    #[error("invalid bearer token: empty")]
    Empty,
    /// The token starts with `Bearer` and a space: the whole header value was passed.
    #[error("invalid bearer token: starts with the `Bearer` scheme, pass the token alone")]
    IncludesScheme,
    /// A character outside the `b64token` alphabet (letters, digits, `-._~+/`, `=` padding).
    #[error(
        "invalid bearer token: character at byte {position} is not allowed (RFC 6750 b64token)"
    )]
    InvalidCharacter {
        /// Byte offset of the character in the string given to [`BearerToken::new`].
        position: usize,
    },
    /// An `=` at the start of the token or followed by something other than `=`.
    #[error(
        "invalid bearer token: `=` at byte {position} is misplaced, padding may only end the token"
    )]
    MisplacedPadding {
        /// Byte offset of the first misplaced `=` in the string given to [`BearerToken::new`].
        position: usize,
    },
}

#[cfg(test)]
mod tests;
