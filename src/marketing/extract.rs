//! The hot path: finding the tracking parameters and click ids of a conversion URL.
//!
//! Extraction never parses the whole URL (`docs/rules.md` §2.3): it looks for the query after the first `?`
//! (before the first `#`) and for parameters in the fragment, splits them with the WHATWG
//! urlencoded rules of [`crate::query`], and only decodes the values of the pairs it keeps.
//! For a URL with nothing to decode it allocates nothing.

use std::borrow::Cow;
use std::ops::Range;

use memchr::{memchr, memchr_iter, memchr2, memchr3};
use percent_encoding::percent_decode_str;

use super::keys::{Platform, UrlKey, url_key, url_key_of_plain};
use crate::query::{decode, decode_from};

/// Iterates over the tracking parameters and click ids of a URL (`docs/rules.md` §2.2 rule 2, 2.3, 2.5).
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
#[inline]
pub fn tracking_params(url: &str) -> TrackingParams<'_> {
    let layout = Layout::of(url);
    // `docs/rules.md` §2.3: "no raw `?` but an encoded one" is a URL percent-encoded once more.
    let double_encoded = !layout.question_mark && has_encoded_question_mark(url);
    let state = if double_encoded {
        // Rare: decode once, then scan the decoded text eagerly so the items can own their data.
        let decoded = percent_decode_str(url).decode_utf8_lossy().into_owned();
        let params: Vec<TrackingParam<'static>> =
            Scanner::new(&decoded, Layout::of(&decoded), true)
                .map(TrackingParam::into_owned)
                .collect();
        State::Decoded {
            source: decoded,
            params: params.into_iter(),
        }
    } else {
        State::Scan(Scanner::new(url, layout, false))
    };
    TrackingParams {
        state,
        double_encoded,
    }
}

/// The iterator returned by [`tracking_params`].
///
/// ```
/// use wegly_attribution::tracking_params;
/// let params = tracking_params("https://x.com.br/lp?utm_source=google&ref=home&gclid=AbC");
/// let keys: Vec<String> = params.map(|p| p.key().to_owned()).collect();
/// assert_eq!(keys, ["utm_source", "gclid"]);
/// ```
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

impl<'a> TrackingParams<'a> {
    /// [`Iterator::next`] with the scan inlined into the caller.
    #[inline(always)]
    pub(crate) fn next_inlined(&mut self) -> Option<TrackingParam<'a>> {
        match &mut self.state {
            State::Scan(scanner) => scanner.next_inlined(),
            State::Decoded { params, .. } => params.next(),
        }
    }
}

/// Where in the URL a parameter was found.
///
/// ```
/// use wegly_attribution::{Location, tracking_params};
/// let params = tracking_params("/lp?utm_source=google#/obrigado?utm_medium=cpc");
/// let locations: Vec<Location> = params.map(|p| p.location()).collect();
/// assert_eq!(locations, [Location::Query, Location::Fragment]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// The query, between the first `?` and the first `#`.
    Query,
    /// The fragment: `#utm_source=x`, or after the `?` of a hash route `#/route?utm_source=x`.
    Fragment,
}

/// One parameter found by [`tracking_params`].
///
/// ```
/// use wegly_attribution::tracking_params;
/// let param = tracking_params("/lp?UTM_Campaign=Black+Friday").next().ok_or("no parameter")?;
/// assert_eq!((param.key(), param.value()), ("utm_campaign", "Black Friday"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// let param = tracking_params("/lp?WEGLY_Code=OPP123").next().ok_or("no parameter")?;
    /// assert_eq!(param.key(), "wegly_code");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key.key
    }

    /// The decoded, trimmed, non-empty value; its case is kept.
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// let param = tracking_params("/lp?utm_term=+CRM%20Enterprise+").next().ok_or("no parameter")?;
    /// assert_eq!(param.value(), "CRM Enterprise");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Takes the decoded value, borrowed from the URL when nothing needed decoding.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use wegly_attribution::tracking_params;
    /// let mut params = tracking_params("/lp?utm_source=google&utm_term=crm+enterprise");
    /// assert!(matches!(params.next().ok_or("no parameter")?.into_value(), Cow::Borrowed("google")));
    /// assert!(matches!(params.next().ok_or("no parameter")?.into_value(), Cow::Owned(term) if term == "crm enterprise"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn into_value(self) -> Cow<'a, str> {
        self.value
    }

    /// Whether the name is a tracking key, so that it may fill the `marketing` object.
    /// Click ids other than `gclid` and `fbclid` are reported but not sent (`docs/rules.md` §2.5).
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// let sent: Vec<bool> = tracking_params("/lp?gclid=G1&msclkid=M1").map(|p| p.is_tracking_key()).collect();
    /// assert_eq!(sent, [true, false]);
    /// ```
    #[must_use]
    pub fn is_tracking_key(&self) -> bool {
        self.key.tracking
    }

    /// The ad platform when the name is a click id.
    ///
    /// ```
    /// use wegly_attribution::{Platform, tracking_params};
    /// let params = tracking_params("/lp?utm_source=tiktok&ttclid=T1");
    /// let platforms: Vec<Option<Platform>> = params.map(|p| p.platform()).collect();
    /// assert_eq!(platforms, [None, Some(Platform::TikTok)]);
    /// ```
    #[must_use]
    pub fn platform(&self) -> Option<Platform> {
        self.key.platform
    }

    /// Where the parameter was found.
    ///
    /// ```
    /// use wegly_attribution::{Location, tracking_params};
    /// let param = tracking_params("https://x.com.br/#utm_source=instagram").next().ok_or("no parameter")?;
    /// assert_eq!(param.location(), Location::Fragment);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn location(&self) -> Location {
        self.location
    }

    /// The real-world repairs that reading this parameter needed (`docs/rules.md` §2.3).
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// let mut params = tracking_params("/lp?utm_source=google&amp;utm_medium=cpc");
    /// assert!(params.next().ok_or("no parameter")?.repairs().is_empty());
    /// assert!(params.next().ok_or("no parameter")?.repairs().html_escaped_separator());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn repairs(&self) -> Repairs {
        self.repairs
    }

    /// The byte range of the raw (undecoded) value in the text it was read from.
    pub(crate) fn raw_value(&self) -> Range<usize> {
        self.raw_value.clone()
    }

    /// Owns the key and value, detaching the parameter from the URL.
    ///
    /// ```
    /// use wegly_attribution::{TrackingParam, tracking_params};
    /// let owned: TrackingParam<'static> = {
    ///     let url = String::from("/lp?utm_source=google");
    ///     tracking_params(&url).next().ok_or("no parameter")?.into_owned()
    /// };
    /// assert_eq!(owned.value(), "google");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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

/// The repairs of `docs/rules.md` §2.3 that one parameter needed.
///
/// ```
/// use wegly_attribution::tracking_params;
/// let p = tracking_params("/lp?x=1&amp;utm_term=50%off").next().ok_or("no parameter")?;
/// assert!(p.repairs().html_escaped_separator());
/// assert!(p.repairs().invalid_percent_encoding());
/// assert!(!p.repairs().invalid_utf8());
/// # Ok::<(), &str>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Repairs(u8);

impl Repairs {
    const HTML_ESCAPED: u8 = 1;
    const INVALID_ESCAPE: u8 = 2;
    const INVALID_UTF8: u8 = 4;
    const DOUBLE_ENCODED: u8 = 8;

    /// The name started with `amp;`, from an HTML-escaped `&amp;` separator.
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// let param = tracking_params("/lp?x=1&amp;utm_source=google").next().ok_or("no parameter")?;
    /// assert!(param.repairs().html_escaped_separator());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn html_escaped_separator(self) -> bool {
        self.0 & Self::HTML_ESCAPED != 0
    }

    /// The value held a `%` that starts no valid escape, kept literally.
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// let param = tracking_params("/lp?utm_term=50%off").next().ok_or("no parameter")?;
    /// assert_eq!(param.value(), "50%off");
    /// assert!(param.repairs().invalid_percent_encoding());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn invalid_percent_encoding(self) -> bool {
        self.0 & Self::INVALID_ESCAPE != 0
    }

    /// The value decoded to bytes that are not UTF-8; U+FFFD replaced them.
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// // `promo%E7%E3o` is "promoção" in Latin-1, not UTF-8.
    /// let param = tracking_params("/lp?utm_campaign=promo%E7%E3o").next().ok_or("no parameter")?;
    /// assert_eq!(param.value(), "promo\u{FFFD}\u{FFFD}o");
    /// assert!(param.repairs().invalid_utf8());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn invalid_utf8(self) -> bool {
        self.0 & Self::INVALID_UTF8 != 0
    }

    /// The whole URL was percent-encoded once more and was decoded first.
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// let param = tracking_params("https%3A%2F%2Fx.com.br%2Flp%3Futm_source%3Dgoogle").next().ok_or("no parameter")?;
    /// assert!(param.repairs().double_encoded_url());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn double_encoded_url(self) -> bool {
        self.0 & Self::DOUBLE_ENCODED != 0
    }

    /// Whether no repair was needed.
    ///
    /// ```
    /// use wegly_attribution::tracking_params;
    /// let param = tracking_params("https://x.com.br/lp?utm_source=google").next().ok_or("no parameter")?;
    /// assert!(param.repairs().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    fn new(source: &'a str, layout: Layout, double_encoded: bool) -> Self {
        Scanner {
            source,
            pos: layout.query.start,
            end: layout.query.end,
            location: Location::Query,
            fragment: layout.fragment,
            double_encoded,
        }
    }
}

/// The scan to the next parameter: the body of [`Scanner`]'s [`Iterator::next`], and of
/// [`Scanner::next_inlined`], a second copy of it that the normalizer's loop inlines. (Written
/// once here: marking the one function `#[inline(always)]` made the public iterator's own
/// loop slower by 2-3% of its instructions.)
macro_rules! scan_next {
    ($scanner:ident) => {{
        loop {
            if $scanner.pos >= $scanner.end {
                let fragment = $scanner.fragment.take()?;
                $scanner.pos = fragment.start;
                $scanner.end = fragment.end;
                $scanner.location = Location::Fragment;
                continue;
            }
            let start = $scanner.pos;
            let region = $scanner
                .source
                .as_bytes()
                .get(start..$scanner.end)
                .unwrap_or_default();
            if !might_start_a_key(region) {
                $scanner.pos = memchr(b'&', region).map_or($scanner.end, |i| start + i) + 1;
                continue;
            }
            let name = RawName::scan(region);
            if !name.then_value {
                // No `=`: a segment without a value, or a name no key can decode from.
                let after = region.get(name.len..).unwrap_or_default();
                $scanner.pos =
                    memchr(b'&', after).map_or($scanner.end, |i| start + name.len + i) + 1;
                continue;
            }
            let name_len = name.len;
            // One scan finds where the value ends and whether it needs decoding at all.
            let value_start = start + name_len + 1;
            let value_region = region.get(name_len + 1..).unwrap_or_default();
            // `escape` is where the first `+` or `%` of the value is, when it has one.
            let (value_len, escape) = match memchr3(b'&', b'+', b'%', value_region) {
                None => (value_region.len(), None),
                Some(i) if value_region.get(i) == Some(&b'&') => (i, None),
                Some(i) => {
                    let after = value_region.get(i..).unwrap_or_default();
                    (
                        memchr(b'&', after).map_or(value_region.len(), |j| i + j),
                        Some(i),
                    )
                }
            };
            let value_end = value_start + value_len;
            $scanner.pos = value_end + 1;
            if value_len == 0 {
                continue;
            }
            // OK because every offset sits next to an ASCII separator or at an end.
            let (Some(raw_name), Some(raw_value)) = (
                $scanner.source.get(start..value_start - 1),
                $scanner.source.get(value_start..value_end),
            ) else {
                continue;
            };
            let recognised = if name.plain {
                url_key_of_plain(raw_name, name.upper).map(|key| (key, false))
            } else {
                match_name(raw_name)
            };
            let Some((key, html_escaped)) = recognised else {
                continue;
            };
            let (value, invalid_escape, invalid_utf8) = if let Some(first) = escape {
                let decoded = decode_from(raw_value, first);
                (
                    trim(decoded.text),
                    decoded.invalid_escape,
                    decoded.invalid_utf8,
                )
            } else {
                (Cow::Borrowed(trim_str(raw_value)), false, false)
            };
            if value.is_empty() {
                continue;
            }
            let repairs = Repairs::default()
                .with(Repairs::HTML_ESCAPED, html_escaped)
                .with(Repairs::INVALID_ESCAPE, invalid_escape)
                .with(Repairs::INVALID_UTF8, invalid_utf8)
                .with(Repairs::DOUBLE_ENCODED, $scanner.double_encoded);
            return Some(TrackingParam {
                key,
                value,
                location: $scanner.location,
                repairs,
                raw_value: value_start..value_end,
            });
        }
    }};
}

impl<'a> Iterator for Scanner<'a> {
    type Item = TrackingParam<'a>;

    #[inline]
    fn next(&mut self) -> Option<TrackingParam<'a>> {
        scan_next!(self)
    }
}

impl<'a> Scanner<'a> {
    /// [`Iterator::next`], always inlined: for the normalizer's loop, where the compiler
    /// would otherwise keep a call.
    #[inline(always)]
    fn next_inlined(&mut self) -> Option<TrackingParam<'a>> {
        scan_next!(self)
    }
}

/// Whether a segment starting with these bytes may hold a tracking key, a click id or an
/// `amp;` prefix: every such name starts with one of these pairs, any case, unless one of its
/// first two bytes starts a `%` escape. False positives only cost the full check.
#[inline]
fn might_start_a_key(segment: &[u8]) -> bool {
    match segment {
        [b'%', ..] | [_, b'%', ..] => true,
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
                // `gad_source`, `qclid`, `yclid`, `irclid`, `mc_cid`, `ko_click_id`.
                | (b'g', b'a')
                | (b'q', b'c')
                | (b'y', b'c')
                | (b'i', b'r')
                | (b'm', b'c')
                | (b'k', b'o')
                // `_kx`: `_` is 0x5f, which `| 0x20` makes 0x7f.
                | (0x7f, b'k')
        ),
        _ => false,
    }
}

/// The name at the start of a segment, scanned once: where it ends and what it holds.
struct RawName {
    /// Where the scan stopped: the name's length when `then_value` is set.
    len: usize,
    /// The scan stopped at `=`: the name is followed by a value and may decode to a key.
    then_value: bool,
    /// The name holds only `[A-Za-z0-9_]`: it is matched as it is, without decoding.
    plain: bool,
    /// The name holds an ASCII upper-case letter.
    upper: bool,
}

impl RawName {
    const KEY: u8 = 1;
    const UPPER: u8 = 2;
    /// `%` (an escape) or `;` (from an `amp;` prefix): the name needs the general path.
    const SPECIAL: u8 = 4;

    /// Scans the bytes a tracking key, a click id or their escaped forms may hold, and stops
    /// at the first other one. Only a stop at `=` can give a key: every key decodes from
    /// `[A-Za-z0-9_;%]` bytes.
    #[inline]
    fn scan(segment: &[u8]) -> RawName {
        let mut flags = 0;
        let mut len = segment.len();
        for (i, &b) in segment.iter().enumerate() {
            // A table lookup: a `match` on the byte costs several compares per byte here.
            let class = NAME_BYTES.get(usize::from(b)).copied().unwrap_or(0);
            if class == 0 {
                len = i;
                break;
            }
            flags |= class;
        }
        RawName {
            len,
            then_value: segment.get(len) == Some(&b'='),
            plain: flags & Self::SPECIAL == 0,
            upper: flags & Self::UPPER != 0,
        }
    }
}

/// [`RawName`]'s byte classes: 0 for a byte no key name holds.
static NAME_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < table.len() {
        // OK because `b < table.len()`; `as u8` is exact below 256.
        #[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
        {
            table[b] = match b as u8 {
                b'a'..=b'z' | b'0'..=b'9' | b'_' => RawName::KEY,
                b'A'..=b'Z' => RawName::KEY | RawName::UPPER,
                b'%' | b';' => RawName::SPECIAL,
                _ => 0,
            };
        }
        b += 1;
    }
    table
};

/// Where a URL's parameters are: the query and the fragment's parameters, as byte ranges.
#[derive(Debug, Clone)]
struct Layout {
    /// Between the first `?` and the first `#` (empty when there is no `?` before any `#`).
    query: Range<usize>,
    /// After the `#`, or after the `?` of a hash route (`#/route?utm_source=x`).
    fragment: Option<Range<usize>>,
    /// Whether the URL holds a raw `?` anywhere.
    question_mark: bool,
}

impl Layout {
    /// Finds the parts in one pass: whichever of `?` and `#` comes first decides.
    #[inline]
    fn of(source: &str) -> Layout {
        let bytes = source.as_bytes();
        let len = bytes.len();
        let after = |at: usize| bytes.get(at..).unwrap_or_default();
        match memchr2(b'?', b'#', bytes) {
            None => Layout {
                query: len..len,
                fragment: None,
                question_mark: false,
            },
            Some(q) if bytes.get(q) == Some(&b'?') => {
                let start = q + 1;
                match memchr(b'#', after(start)) {
                    Some(h) => Layout {
                        query: start..start + h,
                        fragment: Some(fragment_params(bytes, start + h + 1)),
                        question_mark: true,
                    },
                    None => Layout {
                        query: start..len,
                        fragment: None,
                        question_mark: true,
                    },
                }
            }
            Some(h) => Layout {
                query: h..h,
                question_mark: memchr(b'?', after(h + 1)).is_some(),
                fragment: Some(fragment_params(bytes, h + 1)),
            },
        }
    }
}

/// The parameters of the fragment starting at `start`: after its first `?` when the text
/// before that `?` holds no `=` (a hash router's path and its own query, `#/route?utm_source=x`),
/// else the whole fragment, read as pairs (`#utm_source=a?b` gives `a?b`): `docs/rules.md` §2.3's ruling
/// (`docs/rules.md` §2.3). A `=` before the `?` means the fragment already started with pairs,
/// and the `?` is part of a value.
fn fragment_params(bytes: &[u8], start: usize) -> Range<usize> {
    let fragment = bytes.get(start..).unwrap_or_default();
    match memchr(b'?', fragment) {
        Some(q) if memchr(b'=', fragment.get(..q).unwrap_or_default()).is_none() => {
            start + q + 1..bytes.len()
        }
        _ => start..bytes.len(),
    }
}

fn has_encoded_question_mark(url: &str) -> bool {
    let bytes = url.as_bytes();
    memchr_iter(b'%', bytes)
        .any(|i| bytes.get(i + 1) == Some(&b'3') && matches!(bytes.get(i + 2), Some(b'f' | b'F')))
}

/// Recognises a raw name: strips `amp;` prefixes (`docs/rules.md` §2.3) and matches it.
///
/// A key never holds `%` or `+`, so a raw name that is recognised decodes to itself; one that
/// is not is decoded (and tried again) only when it holds a `%`. A name with `+` decodes to
/// one with a space, which no key has.
#[inline]
fn match_name(raw: &str) -> Option<(UrlKey<'_>, bool)> {
    if let Some(found) = recognise(raw) {
        return Some(found);
    }
    // Only a name with a `%` can decode to a key when its raw form is none.
    memchr(b'%', raw.as_bytes())?;
    match decode(raw).text {
        Cow::Borrowed(_) => None,
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
    if name.as_bytes().first()? | 0x20 != b'a' {
        return None;
    }
    let head = name.get(..4)?;
    head.eq_ignore_ascii_case("amp;")
        .then(|| name.get(4..))
        .flatten()
}

/// Trims with a fast path for the common case: printable ASCII at both ends.
#[inline]
pub(crate) fn trim_str(text: &str) -> &str {
    let bytes = text.as_bytes();
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    if printable(bytes.first()) && printable(bytes.last()) {
        text
    } else {
        text.trim_matches(is_trimmed)
    }
}

/// Whether `docs/rules.md` §2.2 rule 1 trims `c`: Unicode `White_Space` plus U+FEFF.
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
mod tests;
