//! The hot path: finding the tracking parameters and click ids of a conversion URL.
//!
//! Extraction never parses the whole URL (SPEC 2.3): it looks for the query after the first `?`
//! (before the first `#`) and for parameters in the fragment, splits them with the WHATWG
//! urlencoded rules of [`crate::query`], and only decodes the values of the pairs it keeps.
//! For a URL with nothing to decode it allocates nothing.

use std::borrow::Cow;
use std::ops::Range;

use memchr::{memchr, memchr_iter, memchr2};
use percent_encoding::percent_decode_str;

use super::keys::{Platform, UrlKey, url_key};
use crate::query::{decode, has_invalid_escape};

/// Iterates over the tracking parameters and click ids of a URL (SPEC 2.2 rule 2, 2.3, 2.5).
///
/// Yields, in order, the query's pairs and then the fragment's, whose name (decoded, then
/// stripped of `amp;` prefixes) is a tracking key or a click id, ASCII-case-insensitively, and
/// whose decoded value is not empty after trimming. Duplicates are all yielded; deciding which
/// one wins is [`Normalizer`](crate::Normalizer)'s job.
///
/// ```
/// use wegly_attribution::{tracking_params, Location, Platform};
///
/// let url = "https://x.com.br/lp?UTM_Source=Google&ref=home&gclid=AbC#/ok?utm_medium=cpc";
/// let params: Vec<_> = tracking_params(url).collect();
/// assert_eq!(params.len(), 3);
/// assert_eq!((params[0].key(), params[0].value()), ("utm_source", "Google"));
/// assert_eq!(params[1].platform(), Some(Platform::Google));
/// assert_eq!(params[1].value(), "AbC");
/// assert_eq!(params[2].location(), Location::Fragment);
/// ```
#[must_use]
pub fn tracking_params(url: &str) -> TrackingParams<'_> {
    // SPEC 2.3: "no raw `?` but an encoded one" is a URL percent-encoded once more.
    let double_encoded = memchr(b'?', url.as_bytes()).is_none() && has_encoded_question_mark(url);
    let state = if double_encoded {
        // Rare: decode once, then scan the decoded text eagerly so the items can own their data.
        let decoded = percent_decode_str(url).decode_utf8_lossy().into_owned();
        let params: Vec<TrackingParam<'static>> = Scanner::new(&decoded, true)
            .map(TrackingParam::into_owned)
            .collect();
        State::Decoded {
            source: decoded,
            params: params.into_iter(),
        }
    } else {
        State::Scan(Scanner::new(url, false))
    };
    TrackingParams {
        state,
        double_encoded,
    }
}

/// The iterator returned by [`tracking_params`].
#[derive(Debug, Clone)]
pub struct TrackingParams<'a> {
    state: State<'a>,
    double_encoded: bool,
}

#[derive(Debug, Clone)]
enum State<'a> {
    /// The URL itself, scanned lazily.
    Scan(Scanner<'a>),
    /// A double-encoded URL, decoded once and scanned up front.
    Decoded {
        source: String,
        params: std::vec::IntoIter<TrackingParam<'static>>,
    },
}

impl TrackingParams<'_> {
    /// Whether the URL was percent-encoded once more and was decoded before extraction.
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// let params = tracking_params("https%3A%2F%2Fx.com%2Fp%3Futm_source%3Da");
    /// assert!(params.double_encoded());
    /// assert_eq!(params.map(|p| p.value().to_owned()).collect::<Vec<_>>(), ["a"]);
    /// ```
    #[must_use]
    pub fn double_encoded(&self) -> bool {
        self.double_encoded
    }

    /// The text the parameters are read from: the URL, or the URL decoded once when it was
    /// double-encoded.
    pub(crate) fn source(&self) -> &str {
        match &self.state {
            State::Scan(scanner) => scanner.source,
            State::Decoded { source, .. } => source,
        }
    }
}

impl<'a> Iterator for TrackingParams<'a> {
    type Item = TrackingParam<'a>;

    #[inline]
    fn next(&mut self) -> Option<TrackingParam<'a>> {
        match &mut self.state {
            State::Scan(scanner) => scanner.next(),
            State::Decoded { params, .. } => params.next(),
        }
    }
}

impl std::iter::FusedIterator for TrackingParams<'_> {}

/// Where in the URL a parameter was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// The query, between the first `?` and the first `#`.
    Query,
    /// The fragment: `#utm_source=x`, or after the `?` of a hash route `#/route?utm_source=x`.
    Fragment,
}

/// One parameter found by [`tracking_params`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingParam<'a> {
    key: UrlKey<'a>,
    value: Cow<'a, str>,
    location: Location,
    repairs: Repairs,
    raw_value: Range<usize>,
}

impl<'a> TrackingParam<'a> {
    /// The canonical, lowercase name (`utm_source` for `UTM_Source`).
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key.key
    }

    /// The decoded, trimmed, non-empty value; its case is kept.
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Takes the decoded value, borrowed from the URL when nothing needed decoding.
    #[must_use]
    pub fn into_value(self) -> Cow<'a, str> {
        self.value
    }

    /// Whether the name is a tracking key, so that it may fill the `marketing` object.
    /// Click ids other than `gclid` and `fbclid` are reported but not sent (SPEC 2.5).
    #[must_use]
    pub fn is_tracking_key(&self) -> bool {
        self.key.tracking
    }

    /// The ad platform when the name is a click id.
    #[must_use]
    pub fn platform(&self) -> Option<Platform> {
        self.key.platform
    }

    /// Where the parameter was found.
    #[must_use]
    pub fn location(&self) -> Location {
        self.location
    }

    /// The real-world repairs that reading this parameter needed (SPEC 2.3).
    #[must_use]
    pub fn repairs(&self) -> Repairs {
        self.repairs
    }

    /// The byte range of the raw (undecoded) value in the text it was read from.
    pub(crate) fn raw_value(&self) -> Range<usize> {
        self.raw_value.clone()
    }

    /// Owns the key and value, detaching the parameter from the URL.
    #[must_use]
    pub fn into_owned(self) -> TrackingParam<'static> {
        TrackingParam {
            key: self.key.into_owned(),
            value: Cow::Owned(self.value.into_owned()),
            location: self.location,
            repairs: self.repairs,
            raw_value: self.raw_value,
        }
    }
}

/// The repairs of SPEC 2.3 that one parameter needed.
///
/// ```
/// use wegly_attribution::tracking_params;
/// let p = tracking_params("/lp?x=1&amp;utm_term=50%off").next().unwrap();
/// assert!(p.repairs().html_escaped_separator());
/// assert!(p.repairs().invalid_percent_encoding());
/// assert!(!p.repairs().invalid_utf8());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Repairs(u8);

impl Repairs {
    const HTML_ESCAPED: u8 = 1;
    const INVALID_ESCAPE: u8 = 2;
    const INVALID_UTF8: u8 = 4;
    const DOUBLE_ENCODED: u8 = 8;

    /// The name started with `amp;`, from an HTML-escaped `&amp;` separator.
    #[must_use]
    pub const fn html_escaped_separator(self) -> bool {
        self.0 & Self::HTML_ESCAPED != 0
    }

    /// The value held a `%` that starts no valid escape, kept literally.
    #[must_use]
    pub const fn invalid_percent_encoding(self) -> bool {
        self.0 & Self::INVALID_ESCAPE != 0
    }

    /// The value decoded to bytes that are not UTF-8; U+FFFD replaced them.
    #[must_use]
    pub const fn invalid_utf8(self) -> bool {
        self.0 & Self::INVALID_UTF8 != 0
    }

    /// The whole URL was percent-encoded once more and was decoded first.
    #[must_use]
    pub const fn double_encoded_url(self) -> bool {
        self.0 & Self::DOUBLE_ENCODED != 0
    }

    /// Whether no repair was needed.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    const fn with(self, flag: u8, on: bool) -> Self {
        if on { Self(self.0 | flag) } else { self }
    }
}

/// Scans the query, then the fragment. A segment whose first two bytes cannot start a key is
/// skipped with one `memchr` to the next `&`: a pair that is not kept costs next to nothing.
#[derive(Debug, Clone)]
struct Scanner<'a> {
    source: &'a str,
    /// The next segment starts here; the region being scanned ends at `end`.
    pos: usize,
    end: usize,
    location: Location,
    fragment: Option<Range<usize>>,
    double_encoded: bool,
}

impl<'a> Scanner<'a> {
    fn new(source: &'a str, double_encoded: bool) -> Self {
        let (query, fragment) = locate(source);
        Scanner {
            source,
            pos: query.start,
            end: query.end,
            location: Location::Query,
            fragment,
            double_encoded,
        }
    }
}

impl<'a> Iterator for Scanner<'a> {
    type Item = TrackingParam<'a>;

    fn next(&mut self) -> Option<TrackingParam<'a>> {
        let bytes = self.source.as_bytes();
        loop {
            if self.pos >= self.end {
                let fragment = self.fragment.take()?;
                self.pos = fragment.start;
                self.end = fragment.end;
                self.location = Location::Fragment;
                continue;
            }
            let start = self.pos;
            let rest = bytes.get(start..self.end).unwrap_or_default();
            let end = memchr(b'&', rest).map_or(self.end, |i| start + i);
            self.pos = end + 1;
            if !might_start_a_key(rest) {
                continue;
            }
            let segment = bytes.get(start..end).unwrap_or_default();
            // No `=` or nothing after it: the value is empty and never used.
            let Some(name_end) = memchr(b'=', segment)
                .map(|i| start + i)
                .filter(|&eq| eq + 1 < end)
            else {
                continue;
            };
            // OK because every offset sits next to an ASCII separator or at an end.
            let (Some(raw_name), Some(raw_value)) = (
                self.source.get(start..name_end),
                self.source.get(name_end + 1..end),
            ) else {
                continue;
            };
            let Some((key, html_escaped)) = match_name(raw_name) else {
                continue;
            };
            let (value, invalid_escape, invalid_utf8) = decode_value(raw_value);
            if value.is_empty() {
                continue;
            }
            let repairs = Repairs::default()
                .with(Repairs::HTML_ESCAPED, html_escaped)
                .with(Repairs::INVALID_ESCAPE, invalid_escape)
                .with(Repairs::INVALID_UTF8, invalid_utf8)
                .with(Repairs::DOUBLE_ENCODED, self.double_encoded);
            return Some(TrackingParam {
                key,
                value,
                location: self.location,
                repairs,
                raw_value: name_end + 1..end,
            });
        }
    }
}

/// Whether a segment starting with these bytes may hold a tracking key, a click id or an
/// `amp;` prefix: every such name starts with one of these pairs, any case, or with a `%`
/// escape. False positives only cost the full check.
#[inline]
fn might_start_a_key(segment: &[u8]) -> bool {
    match segment {
        [b'%', ..] => true,
        // `| 0x20` lower-cases ASCII letters.
        [a, b, ..] => matches!(
            (a | 0x20, b | 0x20),
            (b'u', b't' | b'r')
                | (b'w', b'e')
                | (b'g', b'c' | b'b')
                | (b'f', b'b')
                | (b'c', b'o')
                | (b'w', b'b')
                | (b'd', b'c')
                | (b'm', b's')
                | (b't', b't' | b'w')
                | (b'l', b'i')
                | (b'r', b'd')
                | (b'e', b'p')
                | (b's', b'c')
                | (b'i', b'g')
                | (b'a', b'm')
        ),
        _ => false,
    }
}

/// The byte ranges of the query and of the fragment's parameters.
fn locate(source: &str) -> (Range<usize>, Option<Range<usize>>) {
    let bytes = source.as_bytes();
    let hash = memchr(b'#', bytes);
    let query_end = hash.unwrap_or(bytes.len());
    let query = match bytes.get(..query_end).and_then(|head| memchr(b'?', head)) {
        Some(q) => q + 1..query_end,
        None => query_end..query_end,
    };
    let fragment = hash.map(|h| {
        let start = h + 1;
        // A hash router puts its own query after a `?` in the fragment: `#/route?utm_source=x`.
        match bytes.get(start..).and_then(|frag| memchr(b'?', frag)) {
            Some(q) => start + q + 1..bytes.len(),
            None => start..bytes.len(),
        }
    });
    (query, fragment)
}

fn has_encoded_question_mark(url: &str) -> bool {
    let bytes = url.as_bytes();
    memchr_iter(b'%', bytes)
        .any(|i| bytes.get(i + 1) == Some(&b'3') && matches!(bytes.get(i + 2), Some(b'f' | b'F')))
}

/// Recognises a raw name: strips `amp;` prefixes (SPEC 2.3) and matches it, decoding it only
/// when it holds a `%`. A name with `+` decodes to one with a space, which no key has.
#[inline]
fn match_name(raw: &str) -> Option<(UrlKey<'_>, bool)> {
    if !raw.as_bytes().contains(&b'%') {
        return recognise(raw);
    }
    match decode(raw).text {
        Cow::Borrowed(name) => recognise(name),
        Cow::Owned(name) => recognise(&name).map(|(key, html)| (key.into_owned(), html)),
    }
}

fn recognise(mut name: &str) -> Option<(UrlKey<'_>, bool)> {
    let mut html_escaped = false;
    while let Some(rest) = strip_amp(name) {
        name = rest;
        html_escaped = true;
    }
    url_key(name).map(|key| (key, html_escaped))
}

fn strip_amp(name: &str) -> Option<&str> {
    let head = name.get(..4)?;
    head.eq_ignore_ascii_case("amp;")
        .then(|| name.get(4..))
        .flatten()
}

/// Decodes and trims a value: the text, whether it had an invalid `%`, whether it was not
/// UTF-8. A value without `+` or `%` is only trimmed, and stays borrowed.
#[inline]
fn decode_value(raw: &str) -> (Cow<'_, str>, bool, bool) {
    if memchr2(b'+', b'%', raw.as_bytes()).is_none() {
        return (Cow::Borrowed(trim_str(raw)), false, false);
    }
    let decoded = decode(raw);
    let invalid_escape = raw.contains('%') && has_invalid_escape(raw);
    (trim(decoded.text), invalid_escape, decoded.invalid_utf8)
}

/// Trims with a fast path for the common case: printable ASCII at both ends.
#[inline]
fn trim_str(text: &str) -> &str {
    let bytes = text.as_bytes();
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    if printable(bytes.first()) && printable(bytes.last()) {
        text
    } else {
        text.trim_matches(is_trimmed)
    }
}

/// Whether SPEC 2.2 rule 1 trims `c`: Unicode `White_Space` plus U+FEFF.
pub(crate) fn is_trimmed(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Trims a value, keeping it borrowed when it was.
pub(crate) fn trim(value: Cow<'_, str>) -> Cow<'_, str> {
    match value {
        Cow::Borrowed(text) => Cow::Borrowed(trim_str(text)),
        Cow::Owned(text) => {
            let trimmed = text.trim_matches(is_trimmed);
            if trimmed.len() == text.len() {
                Cow::Owned(text)
            } else {
                Cow::Owned(trimmed.to_owned())
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // The test tables are tuples, read row by row.
mod tests {
    use super::*;

    fn found(url: &str) -> Vec<(String, String, Location)> {
        tracking_params(url)
            .map(|p| (p.key().to_owned(), p.value().to_owned(), p.location()))
            .collect()
    }

    #[test]
    fn locates_query_and_fragment() {
        use Location::{Fragment as F, Query as Q};
        let cases: &[(&str, &[(&str, &str, Location)])] = &[
            ("https://x.com/?utm_source=a", &[("utm_source", "a", Q)]),
            ("x.com/p?utm_source=a&x=1", &[("utm_source", "a", Q)]),
            (
                "?utm_source=a#utm_medium=b",
                &[("utm_source", "a", Q), ("utm_medium", "b", F)],
            ),
            (
                "https://x.com/#/ok?utm_source=fb",
                &[("utm_source", "fb", F)],
            ),
            ("https://x.com/#utm_source=fb", &[("utm_source", "fb", F)]),
            ("https://x.com/#section", &[]),
            ("https://x.com/p", &[]),
            ("utm_source=a", &[]),
            ("", &[]),
            ("?", &[]),
            ("#", &[]),
            ("?#?", &[]),
            ("?a#b?utm_term=x#y", &[("utm_term", "x#y", F)]),
            ("?gclid=A&GCLID=B", &[("gclid", "A", Q), ("gclid", "B", Q)]),
            ("?utm_source=&utm_medium=%20&utm_term=+", &[]),
            ("?utm_source=%20a%20", &[("utm_source", "a", Q)]),
            ("?%75tm_source=a", &[("utm_source", "a", Q)]),
            ("?amp;amp;utm_source=a", &[("utm_source", "a", Q)]),
            ("?AMP;utm_source=a", &[("utm_source", "a", Q)]),
            ("?amp;=a&amp;x=b", &[]),
            ("?utm_source", &[]),
            (
                "?msclkid=m&epik=e",
                &[("msclkid", "m", Q), ("epik", "e", Q)],
            ),
        ];
        for (url, expected) in cases {
            let expected: Vec<_> = expected
                .iter()
                .map(|(k, v, l)| ((*k).to_owned(), (*v).to_owned(), *l))
                .collect();
            assert_eq!(found(url), expected, "row {url:?}");
        }
    }

    #[test]
    fn the_prefilter_admits_every_name_recognised() {
        let names = super::super::keys::FIXED
            .iter()
            .flat_map(|table| table.iter().map(|(name, _, _)| *name))
            .chain(["utm_x", "wegly_x", "amp;x", "%75tm_source"]);
        for name in names {
            for variant in [name.to_owned(), name.to_ascii_uppercase()] {
                assert!(might_start_a_key(variant.as_bytes()), "{variant}");
            }
        }
        for rejected in ["ad_id", "campaign_id", "placement", "lang", "x", "", "+utm"] {
            assert!(!might_start_a_key(rejected.as_bytes()), "{rejected}");
        }
        let url_conversion: Vec<_> = tracking_params("?url_conversion=x")
            .map(|p| p.key().to_owned())
            .collect();
        assert_eq!(url_conversion, ["url_conversion"]);
    }

    #[test]
    fn double_encoded_urls_are_decoded_once() {
        let url = "https%3A%2F%2Fx.com%2Fp%3Futm_source%3Dnews%2520letter%26gclid%3DAb";
        let params: Vec<_> = tracking_params(url).collect();
        assert_eq!(params.len(), 2);
        assert_eq!(params[0].value(), "news letter");
        assert!(params[0].repairs().double_encoded_url());
        // A raw `?` means the URL is not double-encoded, whatever it contains.
        assert!(!tracking_params("https://x.com/?to=%3Futm_source%3Da").double_encoded());
        assert!(!tracking_params("https://x.com/p%3").double_encoded());
    }

    #[test]
    fn raw_value_ranges_point_into_the_source() {
        let url = "https://x.com/?a=1&gclid=XYZ#fbclid=F";
        let ranges: Vec<_> = tracking_params(url)
            .map(|p| url.get(p.raw_value()).unwrap().to_owned())
            .collect();
        assert_eq!(ranges, ["XYZ", "F"]);
    }

    #[test]
    fn borrows_when_nothing_is_decoded() {
        for p in tracking_params("https://x.com/?utm_source=a&gclid=B&amp;utm_medium=c") {
            assert!(matches!(p.into_value(), Cow::Borrowed(_)));
        }
    }
}
