//! The `application/x-www-form-urlencoded` parser of the WHATWG URL standard, borrowing.
//!
//! [`query_pairs`] splits a string into name/value pairs exactly as browsers do
//! (<https://url.spec.whatwg.org/#urlencoded-parsing>): `&` separates pairs, empty pairs are
//! skipped, the first `=` splits name from value, `+` is a space, `%XX` is decoded, an invalid
//! `%` sequence stays literal and decoded bytes that are not UTF-8 become U+FFFD. It yields
//! exactly what `form_urlencoded::parse` yields, which a differential test checks on arbitrary
//! input, but it only allocates for a pair that needs decoding.

use std::borrow::Cow;

use memchr::{memchr, memchr2};

/// Iterates over the `application/x-www-form-urlencoded` pairs of `input`.
///
/// The input is the query (or body) itself, without a leading `?`. Names and values are
/// borrowed from `input` unless they contain `+` or a valid `%XX` escape; call
/// [`Cow::into_owned`] on them to keep them.
///
/// ```
/// use wegly_attribution::query_pairs;
///
/// let pairs: Vec<_> = query_pairs("utm_source=google&q=a+b%21&&flag").collect();
/// assert_eq!(pairs, [
///     ("utm_source".into(), "google".into()),
///     ("q".into(), "a b!".into()),
///     ("flag".into(), "".into()),
/// ]);
/// ```
#[must_use]
pub fn query_pairs(input: &str) -> QueryPairs<'_> {
    QueryPairs { rest: input }
}

/// The iterator returned by [`query_pairs`]: `(name, value)` pairs, decoded.
///
/// ```
/// use wegly_attribution::query_pairs;
/// let mut pairs = query_pairs("utm_source=google&utm_term=crm+enterprise");
/// assert_eq!(pairs.next(), Some(("utm_source".into(), "google".into())));
/// assert_eq!(pairs.next(), Some(("utm_term".into(), "crm enterprise".into())));
/// assert_eq!(pairs.next(), None);
/// ```
#[derive(Debug, Clone)]
pub struct QueryPairs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for QueryPairs<'a> {
    type Item = (Cow<'a, str>, Cow<'a, str>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let (segment, rest) = split_segment(self.rest);
            self.rest = rest;
            if segment.is_empty() {
                continue;
            }
            let (name, value) = split_name_value(segment);
            return Some((decode(name).text, decode(value).text));
        }
    }
}

impl std::iter::FusedIterator for QueryPairs<'_> {}

/// Splits off the first `&`-separated segment; the rest starts after the `&`.
#[inline]
pub(crate) fn split_segment(input: &str) -> (&str, &str) {
    match memchr(b'&', input.as_bytes()) {
        // OK because `&` is ASCII, so `i` and `i + 1` are character boundaries.
        Some(i) => (
            input.get(..i).unwrap_or_default(),
            input.get(i + 1..).unwrap_or_default(),
        ),
        None => (input, ""),
    }
}

/// Splits a segment at its first `=`; a segment without `=` has an empty value.
#[inline]
pub(crate) fn split_name_value(segment: &str) -> (&str, &str) {
    match memchr(b'=', segment.as_bytes()) {
        // OK because `=` is ASCII (see `split_segment`).
        Some(i) => (
            segment.get(..i).unwrap_or_default(),
            segment.get(i + 1..).unwrap_or_default(),
        ),
        None => (segment, ""),
    }
}

/// A name or value after WHATWG decoding, and what the decoding had to repair.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub(crate) text: Cow<'a, str>,
    /// A `%` started no `%XX` escape and was kept literally.
    pub(crate) invalid_escape: bool,
    /// The percent-decoded bytes were not UTF-8 and U+FFFD replaced some of them.
    pub(crate) invalid_utf8: bool,
}

/// Decodes one name or value: `+` to space, `%XX` to a byte, then UTF-8 with replacement
/// (WHATWG URL, "urlencoded parsing", steps 3.4 to 3.6, and "percent-decode").
///
/// One pass and at most one allocation. `percent_encoding::percent_decode` would need a copy
/// with `+` replaced first and a second pass to notice invalid escapes; on the extraction hot
/// path both matter. The differential tests against `form_urlencoded` pin the result.
pub(crate) fn decode(raw: &str) -> Decoded<'_> {
    match memchr2(b'+', b'%', raw.as_bytes()) {
        Some(first) => decode_from(raw, first),
        None => Decoded {
            text: Cow::Borrowed(raw),
            invalid_escape: false,
            invalid_utf8: false,
        },
    }
}

/// [`decode`] for a caller that already knows where the first `+` or `%` of `raw` is (the
/// extraction finds it while looking for the value's end): the bytes before it are copied as
/// they are.
///
/// The rest is decoded a byte at a time. Skipping the plain runs between escapes a word at a
/// time and copying each with `extend_from_slice` was tried and cost more (10,205 -> 10,966
/// instructions on `benches/data/encoded.txt`): in real values those runs are 0 to 5 bytes
/// long, shorter than the set-up of a word loop and a `memcpy` call.
pub(crate) fn decode_from(raw: &str, first: usize) -> Decoded<'_> {
    let bytes = raw.as_bytes();
    debug_assert!(
        !bytes.iter().take(first).any(|&b| b == b'+' || b == b'%'),
        "{raw:?} at {first}"
    );
    let (plain, rest) = bytes.split_at_checked(first).unwrap_or_default();
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(plain);
    let mut changed = false;
    let mut invalid_escape = false;
    let mut rest = rest.iter();
    while let Some(&b) = rest.next() {
        match b {
            b'+' => {
                out.push(b' ');
                changed = true;
            }
            b'%' => match rest.as_slice() {
                [high, low, ..] if is_hex_pair(*high, *low) => {
                    out.push(hex_value(*high) << 4 | hex_value(*low));
                    rest.nth(1);
                    changed = true;
                }
                _ => {
                    out.push(b'%');
                    invalid_escape = true;
                }
            },
            b => out.push(b),
        }
    }
    if !changed {
        // Only invalid escapes: nothing changed, the text stays borrowed.
        return Decoded {
            text: Cow::Borrowed(raw),
            invalid_escape,
            invalid_utf8: false,
        };
    }
    let (text, invalid_utf8) = match String::from_utf8(out) {
        Ok(text) => (text, false),
        Err(err) => (String::from_utf8_lossy(err.as_bytes()).into_owned(), true),
    };
    Decoded {
        text: Cow::Owned(text),
        invalid_escape,
        invalid_utf8,
    }
}

/// Whether both bytes are hex digits.
#[inline]
fn is_hex_pair(high: u8, low: u8) -> bool {
    (hex_value(high) | hex_value(low)) & NOT_HEX_BIT == 0
}

/// The value of a hex digit, or [`NOT_HEX`].
#[inline]
fn hex_value(b: u8) -> u8 {
    // OK: a `u8` index into 256 entries is always in bounds; the compiler drops the check.
    HEX_VALUES.get(usize::from(b)).copied().unwrap_or(NOT_HEX)
}

/// A byte that is no hex digit has this bit set in [`HEX_VALUES`].
const NOT_HEX_BIT: u8 = 0x80;
const NOT_HEX: u8 = 0xff;

/// The value of each ASCII hex digit, [`NOT_HEX`] for every other byte: one lookup per digit
/// instead of three range tests.
static HEX_VALUES: [u8; 256] = {
    let mut table = [NOT_HEX; 256];
    let mut b = 0;
    while b < table.len() {
        // OK because `b < table.len()`; `as u8` is exact below 256.
        #[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
        {
            table[b] = match b as u8 {
                d @ b'0'..=b'9' => d - b'0',
                d @ b'a'..=b'f' => d - b'a' + 10,
                d @ b'A'..=b'F' => d - b'A' + 10,
                _ => NOT_HEX,
            };
        }
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_unless_decoding_is_needed() {
        let cases: &[(&str, &str, bool)] = &[
            ("a=b", "b", true),
            ("a=50%off", "50%off", true),
            ("a=%", "%", true),
            ("a=x+y", "x y", false),
            ("a=%41", "A", false),
        ];
        for (input, value, borrowed) in cases {
            let (_, v) = query_pairs(input).next().unwrap();
            assert_eq!(v, *value, "row {input}");
            assert_eq!(matches!(v, Cow::Borrowed(_)), *borrowed, "row {input}");
        }
    }

    #[test]
    fn flags() {
        let cases: &[(&str, bool, bool)] = &[
            ("plain", false, false),
            ("50%off", true, false),
            ("%", true, false),
            ("%4", true, false),
            ("%41%42", false, false),
            ("%zz%41", true, false),
            ("%FF", false, true),
            ("%C3%A7", false, false),
            ("%E0%A4%A", true, true),
        ];
        for (raw, invalid_escape, invalid_utf8) in cases {
            let decoded = decode(raw);
            assert_eq!(decoded.invalid_escape, *invalid_escape, "row {raw}");
            assert_eq!(decoded.invalid_utf8, *invalid_utf8, "row {raw}");
        }
    }
}
