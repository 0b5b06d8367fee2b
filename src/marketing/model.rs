//! The normalized `marketing` object, stored compactly.
//!
//! A `marketing` object is read on every payload and every conversion URL, and a hostile one
//! may carry hundreds of thousands of members. So it is not a map of owned strings: its text
//! lives in one arena (`text`), the common keys are `'static`, and each entry is two small
//! spans (20 bytes), inline while they are few. A URL's values that needed no decoding are
//! spans into the copy of the URL itself, so [`Marketing::from_url`] allocates the URL once,
//! and nothing per value.

use std::fmt;

use super::keys::Platform;

mod bits;
mod entries;
mod json;

pub(super) use bits::Bits;
use entries::Entries;

/// A normalized `marketing` object: tracking keys with trimmed, non-empty values.
///
/// Made by [`Normalizer`](crate::Normalizer) (or [`Marketing::from_url`] and
/// [`Marketing::normalize`]). It serializes to the API's JSON with the keys in ascending byte
/// order, so the output is deterministic. Its `Deserialize` reads back an object the crate
/// wrote, as it is (tracking keys, trimmed non-empty strings, else an error); untrusted input
/// goes through [`Marketing::normalize`].
///
/// ```
/// use wegly_attribution::Marketing;
///
/// let marketing = Marketing::from_url("https://x.com.br/?utm_source=google&utm_term=crm");
/// assert_eq!(marketing.get("wegly_source"), Some("google"));
/// assert_eq!(marketing.get("utm_search_term"), Some("crm"));
/// let json = serde_json::to_string(&marketing)?;
/// assert_eq!(
///     json,
///     r#"{"url_conversion":"https://x.com.br/?utm_source=google&utm_term=crm","utm_search_term":"crm","utm_source":"google","utm_term":"crm","wegly_source":"google"}"#
/// );
/// let back: Marketing = serde_json::from_str(&json)?;
/// assert_eq!(back, marketing);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Marketing {
    /// The text of keys and values that are not `'static`.
    text: String,
    /// Sorted by key, keys unique.
    entries: Entries,
    /// The click ids of `url_conversion`, in URL order, one per parameter (`docs/rules.md` §2.5).
    pub(super) clicks: Clicks,
    /// Where the click-id values are in `url_conversion`, for [`Marketing::redacted_url`].
    pub(super) redact: Redact,
    /// The set of the keys present ([`common_bit`]) when every entry is a common key, as
    /// the rules leave a usual URL's object; `None` when unknown, or when other keys are
    /// mixed in. Then a common key's entry is the one at the count of the set's keys before
    /// it, and [`Marketing::channel`] finds its six keys without a walk. Set only where the
    /// entries are written in index order ([`Marketing::put_common`]); every other change
    /// of the entries makes it `None`.
    common_set: Option<u32>,
}

/// A byte range of [`Marketing::text`]. `u32` keeps an entry at 20 bytes; the text of one
/// object never nears 4 GiB (a JSON reader holds the whole payload in memory first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// An empty span, to fill a table before its slots are set.
    pub(super) const EMPTY: Span = Span { start: 0, end: 0 };
}

/// A key: one of the common ones, or text in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Common(u8),
    Text(Span),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) key: Key,
    pub(super) value: Span,
}

/// A click id found in `url_conversion`: its value is in the arena, or, for the tracking keys
/// `gclid` and `fbclid`, is the normalized field (so that an explicit value wins).
#[derive(Debug, Clone, Copy)]
pub(super) struct Click {
    pub(super) param: &'static str,
    pub(super) platform: Platform,
    pub(super) value: Option<Span>,
}

/// The click ids noted in `url_conversion`, in URL order: the first inline (a usual URL has
/// one, which then costs no allocation), the others in a `Vec`.
#[derive(Debug, Clone, Default)]
pub(super) struct Clicks {
    first: Option<Click>,
    more: Vec<Click>,
}

impl Clicks {
    const EMPTY: Clicks = Clicks {
        first: None,
        more: Vec::new(),
    };

    pub(super) fn iter(&self) -> impl Iterator<Item = &Click> {
        self.first.iter().chain(&self.more)
    }

    /// Whether the click id `param` was noted. Without a first one there is no other: no
    /// chained iterator for the usual URL.
    pub(super) fn contains(&self, param: &str) -> bool {
        match &self.first {
            None => false,
            Some(first) => first.param == param || self.more.iter().any(|c| c.param == param),
        }
    }

    pub(super) fn push(&mut self, click: Click) {
        if self.first.is_none() {
            self.first = Some(click);
        } else {
            self.more.push(click);
        }
    }

    fn clear(&mut self) {
        self.first = None;
        self.more.clear();
    }
}

/// Where the click-id values of `url_conversion` are.
#[derive(Debug, Clone, Default)]
pub(super) enum Redact {
    /// No click id: the URL is its own redacted form.
    #[default]
    Nothing,
    /// The raw value of the only click id, as a byte range of `url_conversion`.
    One(u32, u32),
    /// The raw values (two or more), as byte ranges of `url_conversion`, in order.
    Ranges(Vec<(u32, u32)>),
    /// The URL was percent-encoded twice: its parameters are in the decoded text, which is not
    /// kept, so redaction reads the URL again (a rare case).
    Rescan,
}

/// Declares the common keys once, in ascending order (two common keys compare by index), each
/// with its `wegly_` twin of rule 3 where it has one. From the list: the index constants
/// ([`key`]), the text of each ([`COMMON`]), the lookup by text ([`common`]) and the twins.
macro_rules! common_keys {
    ($($key:ident = $name:literal $(=> $twin:ident)?,)+) => {
        /// The common keys' indices, by name.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy)]
        #[repr(u8)]
        enum Index {
            $($key,)+
        }

        /// The index of each common key, by name.
        #[allow(dead_code)] // Each constant is there for the rule that names its key.
        pub(super) mod key {
            $(pub(crate) const $key: u8 = super::Index::$key as u8;)+
        }

        /// The keys stored without text, in ascending order.
        const COMMON: [&str; [$(Index::$key,)+].len()] = [$($name,)+];

        /// The index of a common key. A `match` (which the compiler turns into a switch on the
        /// length first): this runs for every key of every URL.
        pub(super) fn common(key: &str) -> Option<u8> {
            match key {
                $($name => Some(key::$key),)+
                _ => None,
            }
        }

        /// The `wegly_` twin of each common key (rule 3), by index.
        const TWINS: [Option<u8>; COMMON_KEYS] = {
            let mut twins = [None; COMMON_KEYS];
            // In a constant, an index out of bounds fails the build: no panic at run time.
            #[allow(clippy::indexing_slicing)]
            {
                $($(twins[key::$key as usize] = Some(key::$twin);)?)+
            }
            twins
        };
    };
}

common_keys! {
    CONVERSION_TOOL_NAME = "conversion_tool_name",
    FBCLID = "fbclid",
    GCLID = "gclid",
    URL_CONVERSION = "url_conversion",
    UTM_AD = "utm_ad" => WEGLY_AD,
    UTM_ADGROUP = "utm_adgroup" => WEGLY_ADGROUP,
    UTM_CAMPAIGN = "utm_campaign" => WEGLY_CAMPAIGN,
    UTM_CONTENT = "utm_content" => WEGLY_CONTENT,
    UTM_CREATIVE_FORMAT = "utm_creative_format" => WEGLY_CREATIVE_FORMAT,
    UTM_ID = "utm_id" => WEGLY_ID,
    UTM_MARKETING_TACTIC = "utm_marketing_tactic" => WEGLY_MARKETING_TACTIC,
    UTM_MEDIUM = "utm_medium" => WEGLY_MEDIUM,
    UTM_PLACEMENT = "utm_placement" => WEGLY_PLACEMENT,
    UTM_SEARCH_TERM = "utm_search_term",
    UTM_SOURCE = "utm_source" => WEGLY_SOURCE,
    UTM_SOURCE_PLATFORM = "utm_source_platform" => WEGLY_SOURCE_PLATFORM,
    UTM_TERM = "utm_term",
    WEGLY_AD = "wegly_ad",
    WEGLY_ADGROUP = "wegly_adgroup",
    WEGLY_CAMPAIGN = "wegly_campaign",
    WEGLY_CODE = "wegly_code",
    WEGLY_CONTENT = "wegly_content",
    WEGLY_CREATIVE_FORMAT = "wegly_creative_format",
    WEGLY_ID = "wegly_id",
    WEGLY_MARKETING_TACTIC = "wegly_marketing_tactic",
    WEGLY_MEDIUM = "wegly_medium",
    WEGLY_PLACEMENT = "wegly_placement",
    WEGLY_SEARCH_TERM = "wegly_search_term",
    WEGLY_SOURCE = "wegly_source",
    WEGLY_SOURCE_PLATFORM = "wegly_source_platform",
    WEGLY_TERM = "wegly_term",
}

/// The text of the common key `index`, `'static`.
pub(super) fn common_name(index: u8) -> Option<&'static str> {
    COMMON.get(usize::from(index)).copied()
}

/// How many common keys there are.
pub(super) const COMMON_KEYS: usize = COMMON.len();

/// Indices of the common keys the rules name.
pub(super) use key::{URL_CONVERSION, UTM_SEARCH_TERM, UTM_TERM, WEGLY_CODE};

/// The set of the common keys that have a `wegly_` twin ([`common_bit`]).
pub(super) const WITH_TWIN: u32 = {
    let mut set = 0;
    let mut index = 0;
    while index < COMMON_KEYS {
        // In a constant, an index out of bounds fails the build: no panic at run time.
        #[allow(clippy::indexing_slicing)]
        if TWINS[index].is_some() {
            set |= 1 << index;
        }
        index += 1;
    }
    set
};

/// The `wegly_` twin of the common key `index`, if it has one.
#[inline]
pub(super) fn common_twin(index: u8) -> Option<u8> {
    TWINS.get(usize::from(index)).copied().flatten()
}

/// The bit of the common key `index` in a set of common keys ([`Marketing::common_keys`]).
#[inline]
pub(super) const fn common_bit(index: u8) -> u32 {
    1 << (index % 32)
}

/// Two keys compared byte by byte. Keys are short and differ early (`utm_` against
/// `wegly_`): a loop beats a call to `memcmp`.
fn cmp_bytes(a: &str, b: &str) -> std::cmp::Ordering {
    for (x, y) in a.bytes().zip(b.bytes()) {
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// `text` compared with `prefix` + `suffix`.
fn cmp_concat(text: &str, prefix: &str, suffix: &str) -> std::cmp::Ordering {
    let split = prefix.len().min(text.len());
    let (head, tail) = text.as_bytes().split_at(split);
    head.cmp(prefix.as_bytes().get(..split).unwrap_or_default())
        .then_with(|| {
            if split < prefix.len() {
                std::cmp::Ordering::Less
            } else {
                tail.cmp(suffix.as_bytes())
            }
        })
}

impl Marketing {
    /// The empty object, as a constant (for a `static` default).
    ///
    /// ```
    /// use wegly_attribution::{Channel, Marketing};
    /// static NONE: Marketing = Marketing::EMPTY;
    /// assert!(NONE.is_empty());
    /// assert_eq!(NONE.channel().channel, Channel::Direct);
    /// ```
    pub const EMPTY: Marketing = Marketing {
        text: String::new(),
        entries: Entries::EMPTY,
        clicks: Clicks::EMPTY,
        redact: Redact::Nothing,
        common_set: Some(0),
    };

    /// An empty object whose arena can take `capacity` bytes without growing.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Marketing {
            text: String::with_capacity(capacity),
            ..Marketing::default()
        }
    }

    /// An empty object for [`Marketing::finish_with_common`] to finish: room for a URL of `len`
    /// bytes in its arena, and its entries not inline (a URL of common keys gives none: they
    /// wait in a table, and are written into the result).
    pub(super) fn for_url(len: usize) -> Self {
        Marketing {
            text: String::with_capacity(len),
            entries: Entries::Heap(Vec::new()),
            clicks: Clicks::EMPTY,
            redact: Redact::Nothing,
            common_set: Some(0),
        }
    }

    /// The object this one and the common keys of `set` make: [`Marketing::put_common`], by
    /// value. When it holds no other entry (a usual URL's), the result is assembled where the
    /// caller keeps it, from this object's parts (which it leaves empty) and the entries made
    /// from `set`: the whole 440-byte object is not copied on its way out, as a local filled
    /// through `&mut` and returned would be (neither rustc nor LLVM elides that move).
    pub(super) fn finish_with_common(
        &mut self,
        set: u32,
        values: &[Span; COMMON_KEYS],
    ) -> Marketing {
        if !self.entries.is_empty() {
            self.put_common(set, values);
            return std::mem::take(self);
        }
        Marketing {
            text: std::mem::take(&mut self.text),
            entries: Entries::of_common(set, values),
            clicks: std::mem::take(&mut self.clicks),
            redact: std::mem::take(&mut self.redact),
            common_set: Some(set),
        }
    }

    /// Empties the object, keeping its allocations, and makes room for the normalization of
    /// a URL of `len` bytes: its arena takes the URL without growing.
    pub(super) fn clear_for_url(&mut self, len: usize) {
        self.text.clear();
        self.entries.clear();
        self.common_set = Some(0);
        self.clicks.clear();
        self.redact = Redact::Nothing;
        self.text.reserve(len);
    }

    /// Reserves, exactly, the room the explicit `members` and their `wegly_` twins need, so
    /// that a large object does not grow its arrays by doubling (`docs/rules.md` §3.1 bounds
    /// memory).
    pub(super) fn reserve_for<'m, V: super::normalize::MemberValue + 'm>(
        &mut self,
        members: impl Iterator<Item = (&'m str, &'m V)>,
    ) {
        let (mut entries, mut text) = (0, 0);
        for (key, value) in members {
            let Ok(Some(value)) = value.as_text() else {
                continue;
            };
            entries += 1;
            text += value.len() + if common(key).is_none() { key.len() } else { 0 };
            if key.starts_with("utm_") {
                entries += 1;
                text += key.len() + 2;
            }
        }
        // Room for what the URL adds, which is usually little.
        self.entries.reserve_exact(entries + 8);
        self.text.reserve_exact(text + 64);
    }

    /// The text of a span; empty for a span that does not fit (which the arena never makes).
    fn text(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    pub(super) fn key_text(&self, key: Key) -> &str {
        key_text(&self.text, key)
    }

    pub(super) fn value_text(&self, span: Span) -> &str {
        self.text(span)
    }

    /// Copies `text` into the arena.
    pub(super) fn push_text(&mut self, text: &str) -> Option<Span> {
        let start = u32::try_from(self.text.len()).ok()?;
        let end = u32::try_from(self.text.len() + text.len()).ok()?;
        self.text.push_str(text);
        Some(Span { start, end })
    }

    /// The span of `part` when it lies inside `whole`, which was copied at `at`.
    pub(super) fn span_within(at: Span, whole: &str, part: &str) -> Option<Span> {
        // Comparing addresses is how a borrowed sub-slice finds its offset; no memory is read.
        let offset = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
        if offset + part.len() > whole.len() {
            return None;
        }
        let start = at.start.checked_add(u32::try_from(offset).ok()?)?;
        let end = start.checked_add(u32::try_from(part.len()).ok()?)?;
        Some(Span { start, end })
    }

    /// The key for `name`: its index when it is a common key (always: lookups rely on it),
    /// else its text, copied into the arena.
    pub(super) fn key_for(&mut self, name: &str) -> Option<Key> {
        match common(name) {
            Some(index) => Some(Key::Common(index)),
            None => self.push_text(name).map(Key::Text),
        }
    }

    /// Appends an entry; [`Marketing::sort`] puts the entries back in order.
    pub(super) fn push(&mut self, key: Key, value: Span) {
        self.entries.push(Entry { key, value });
        self.common_set = None;
    }

    /// See [`Marketing::common_set`](Marketing#structfield.common_set).
    pub(super) fn common_set(&self) -> Option<u32> {
        self.common_set
    }

    /// Whether the common key `index` has a value: by the set of keys held when it is known,
    /// else by a pass over the entries.
    pub(super) fn has_common(&self, index: u8) -> bool {
        match self.common_set {
            Some(set) => set & common_bit(index) != 0,
            None => self.common_value(index).is_some(),
        }
    }

    pub(super) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Sorts the entries by key.
    pub(super) fn sort(&mut self) {
        if self.entries.len() <= COMMON_KEYS && self.sort_common() {
            return;
        }
        self.sort_mixed();
    }

    /// Sorts entries by comparing their keys (some of which are not common).
    fn sort_mixed(&mut self) {
        let text = &self.text;
        self.entries.sort_unstable_by(|a, b| match (a.key, b.key) {
            // COMMON is sorted: its indices are in key order.
            (Key::Common(x), Key::Common(y)) => x.cmp(&y),
            (x, y) => cmp_bytes(key_text(text, x), key_text(text, y)),
        });
    }

    /// Moves the entries of common keys into `values`, by index, keeping the others in order
    /// (a sorted list stays sorted), and returns the set of the keys moved ([`common_bit`]).
    /// The rules then find a common key by its index, and [`Marketing::put_common`] puts them
    /// back in order.
    pub(super) fn take_common(&mut self, values: &mut [Span; COMMON_KEYS]) -> u32 {
        let mut set = 0;
        self.common_set = None;
        self.entries.retain(|entry| match entry.key {
            Key::Common(index) => {
                if let Some(value) = values.get_mut(usize::from(index)) {
                    *value = entry.value;
                    set |= common_bit(index);
                }
                false
            }
            Key::Text(_) => true,
        });
        set
    }

    /// Adds the common keys of `set`, valued from `values`, and sorts the entries. A usual
    /// object holds no other key: its entries are then written in index order, which is key
    /// order, without a comparison.
    pub(super) fn put_common(&mut self, set: u32, values: &[Span; COMMON_KEYS]) {
        let others = !self.entries.is_empty();
        self.entries.extend(Entries::common(set, values));
        if others {
            self.sort_mixed();
        }
        self.common_set = (!others).then_some(set);
    }

    /// Sorts entries whose keys are all common and distinct (a usual URL's), by placing
    /// each at its index: no comparison. Leaves any other entries as they are, for the general
    /// sort, and says whether it sorted.
    fn sort_common(&mut self) -> bool {
        let mut values = [Span { start: 0, end: 0 }; COMMON_KEYS];
        let mut set = 0u32;
        for entry in self.entries.iter() {
            match entry.key {
                Key::Common(index) => match values.get_mut(usize::from(index)) {
                    Some(value) => {
                        *value = entry.value;
                        set |= common_bit(index);
                    }
                    None => return false,
                },
                Key::Text(_) => return false,
            }
        }
        if set.count_ones() as usize != self.entries.len() {
            return false; // a repeated key
        }
        // As many set bits as entries: each entry takes the next key in order.
        self.common_set = Some(set);
        for entry in self.entries.iter_mut() {
            let index = set.trailing_zeros();
            set &= set.wrapping_sub(1);
            if let (Ok(index), Some(&value)) = (u8::try_from(index), values.get(index as usize)) {
                *entry = Entry {
                    key: Key::Common(index),
                    value,
                };
            }
        }
        true
    }

    /// Whether `prefix` + `suffix` is a key among the entries `0..end`, of which `0..sorted`
    /// are sorted (the others, few, are compared one by one).
    pub(super) fn contains_concat(
        &self,
        sorted: usize,
        end: usize,
        prefix: &str,
        suffix: &str,
    ) -> bool {
        let cmp = |entry: &Entry| cmp_concat(self.key_text(entry.key), prefix, suffix);
        let equal = |entry: &Entry| {
            let key = self.key_text(entry.key);
            key.len() == prefix.len() + suffix.len()
                && key.strip_prefix(prefix).is_some_and(|rest| rest == suffix)
        };
        let head = self.entries.get(..sorted).unwrap_or_default();
        let tail = self.entries.get(sorted..end).unwrap_or_default();
        let in_head = if head.len() <= super::normalize::FEW {
            head.iter().any(equal)
        } else {
            head.binary_search_by(cmp).is_ok()
        };
        in_head || tail.iter().any(equal)
    }

    /// The key `prefix` + the arena text at `suffix`: a common one, else written into the
    /// arena.
    pub(super) fn key_concat(&mut self, prefix: &str, suffix: Span) -> Option<Key> {
        let suffix_text = self.text(suffix);
        // The whole key in a stack buffer (keys are short); the suffix may be in the arena
        // itself, which the copy leaves free to grow.
        let mut buffer = [0u8; 64];
        let owned: String;
        let whole: &str = match buffer.get_mut(..prefix.len() + suffix_text.len()) {
            Some(small) => {
                let (head, tail) = small.split_at_mut(prefix.len());
                head.copy_from_slice(prefix.as_bytes());
                tail.copy_from_slice(suffix_text.as_bytes());
                std::str::from_utf8(small).ok()?
            }
            None => {
                owned = format!("{prefix}{suffix_text}");
                &owned
            }
        };
        self.key_for(whole)
    }

    /// The index of the common key `prefix` + `suffix`, if it is one.
    pub(super) fn common_concat(prefix: &str, suffix: &str) -> Option<u8> {
        // Common keys are short: a longer concatenation is none of them.
        let mut buffer = [0u8; 32];
        let small = buffer.get_mut(..prefix.len() + suffix.len())?;
        let (head, tail) = small.split_at_mut(prefix.len());
        head.copy_from_slice(prefix.as_bytes());
        tail.copy_from_slice(suffix.as_bytes());
        common(std::str::from_utf8(small).ok()?)
    }

    /// The span of an arena key's text after `skip` bytes.
    pub(super) fn key_suffix(key: Key, skip: usize) -> Option<Span> {
        match key {
            Key::Common(_) => None,
            Key::Text(span) => {
                let start = span.start.checked_add(u32::try_from(skip).ok()?)?;
                (start <= span.end).then_some(Span {
                    start,
                    end: span.end,
                })
            }
        }
    }

    /// Whether two sorted entries share a key (never, for the normalizer's output).
    pub(super) fn has_repeated_key(&self) -> bool {
        self.entries
            .windows(2)
            .any(|w| matches!(w, [a, b] if self.key_text(a.key) == self.key_text(b.key)))
    }

    /// The index of `key` among the sorted entries `0..sorted`: compared one by one while
    /// they are few (an unequal length answers at once), by binary search past that.
    pub(super) fn find_sorted(&self, sorted: usize, key: &str) -> Option<usize> {
        let entries = self.entries.get(..sorted)?;
        if entries.len() <= super::normalize::FEW {
            return entries
                .iter()
                .position(|entry| self.key_text(entry.key) == key);
        }
        entries
            .binary_search_by(|entry| cmp_bytes(self.key_text(entry.key), key))
            .ok()
    }

    /// The value of a tracking key, if present.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// let marketing = Marketing::from_url("https://x.com.br/lp?utm_source=google");
    /// assert_eq!(marketing.get("wegly_source"), Some("google"));
    /// assert_eq!(marketing.get("utm_medium"), None);
    /// ```
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        if self.entries.len() <= super::normalize::FEW
            && let Some(index) = common(key)
        {
            return self.common_value(index);
        }
        let index = self.find_sorted(self.entries.len(), key)?;
        let entry = self.entries.get(index)?;
        Some(self.text(entry.value))
    }

    /// The value of the common key `index`, by comparing indices: a common key is always
    /// stored as its index ([`Marketing::key_for`]), never as text. One pass over the
    /// entries: for the few of a usual object.
    pub(super) fn common_value(&self, index: u8) -> Option<&str> {
        self.entries
            .iter()
            .find(|entry| entry.key == Key::Common(index))
            .map(|entry| self.text(entry.value))
    }

    /// The URL where the lead converted, trimmed.
    ///
    /// ```
    /// use wegly_attribution::Normalized;
    /// let n = Normalized::from_url("  https://x.com.br/obrigado?gclid=AbC\n");
    /// assert_eq!(n.marketing.url_conversion(), Some("https://x.com.br/obrigado?gclid=AbC"));
    /// ```
    #[must_use]
    pub fn url_conversion(&self) -> Option<&str> {
        self.get("url_conversion")
    }

    /// The keys and values, in ascending key order.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// let marketing = Marketing::from_url("?gclid=A");
    /// let keys: Vec<&str> = marketing.iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["gclid", "url_conversion"]);
    /// ```
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &str)> + ExactSizeIterator + '_ {
        self.entries
            .iter()
            .map(|entry| (self.key_text(entry.key), self.text(entry.value)))
    }

    /// The number of keys.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// // `url_conversion`, `utm_source` and its `wegly_source` twin.
    /// assert_eq!(Marketing::from_url("https://x.com.br/lp?utm_source=google").len(), 3);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no tracking value is present.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// assert!(Marketing::from_url("   ").is_empty());
    /// assert!(!Marketing::from_url("https://x.com.br/lp").is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn key_text(text: &str, key: Key) -> &str {
    match key {
        Key::Common(index) => COMMON.get(usize::from(index)).copied().unwrap_or_default(),
        Key::Text(span) => text
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default(),
    }
}

impl PartialEq for Marketing {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Marketing {}

impl fmt::Debug for Marketing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list is sorted (indices compare as the keys do), fits a `u32` set, and each twin
    /// named in it is the `wegly_` form of its key (rule 3).
    #[test]
    fn the_common_keys_are_sorted_and_their_twins_are_rule_3s() {
        assert!(COMMON.is_sorted(), "common keys compare by index");
        assert!(COMMON.len() <= 32, "a set of common keys is a u32");
        let mut twins = 0;
        for (index, key) in (0u8..).zip(COMMON) {
            assert_eq!(common(key), Some(index), "{key}");
            let expected = match key.strip_prefix("utm_") {
                Some("term" | "search_term") | None => None,
                Some(suffix) => {
                    let twin = common(&format!("wegly_{suffix}"));
                    assert!(twin.is_some(), "{key} has a common twin");
                    twin
                }
            };
            assert_eq!(common_twin(index), expected, "{key}");
            twins += usize::from(expected.is_some());
        }
        assert_eq!(twins, 11);
        let with_twin = (0u8..).zip(COMMON).fold(0, |set, (index, _)| {
            set | common_twin(index).map_or(0, |_| common_bit(index))
        });
        assert_eq!(WITH_TWIN, with_twin);
        assert_eq!(Bits(WITH_TWIN).count(), 11);
        let members: Vec<u8> = Bits(common_bit(3) | common_bit(0) | common_bit(30)).collect();
        assert_eq!(members, [0, 3, 30]);
        assert_eq!(common_twin(31), None);
        assert_eq!(common_twin(u8::MAX), None);
    }
}
