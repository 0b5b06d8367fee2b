//! The matching behind `docs/rules.md` §2.6's table: its two regular expressions, written out by hand, and
//! what a host name is.
//!
//! Every input here is already trimmed and ASCII-lowercased, but the campaign: it is only
//! matched, never returned, so its two functions fold the case as they read.

use super::words::{bytes_equal, marked, splat, upper_bytes, words};

/// The *paid medium* pattern of `docs/rules.md` §2.6, `^(.*cp.*|ppc|retargeting|paid.*)$`.
///
/// As in RE2 (GA4's engine) and the `regex` crate, `.` matches any character but `\n`, so a
/// medium with a line break inside never matches (none of the literals holds one either).
/// `has_newline` says whether `medium` holds one, as [`Scan`] finds.
pub(super) fn is_paid_medium(medium: &str, has_newline: bool) -> bool {
    medium == "ppc"
        || medium == "retargeting"
        || (!has_newline && (medium.starts_with("paid") || contains(medium, "cp")))
}

/// The *shop pattern* of `docs/rules.md` §2.6, on the campaign: `^(.*(([^a-df-z]|^)shop|shopping).*)$`,
/// on the campaign's ASCII-lowercase form.
///
/// `shop` preceded by the start or by any character but `a`-`d` and `f`-`z` (so `eshop`,
/// `e-shop`, `2shop` and `shop` match, `myshop` does not), or `shopping` anywhere
/// (`myshopping`). The `.*` around it cannot cross a `\n`, but `[^a-df-z]` can match one: a
/// campaign with one line break matches only where that break is right before `shop`, and one
/// with two or more never does. One pass over the bytes.
pub(super) fn matches_shop_pattern(campaign: &str) -> bool {
    let bytes = campaign.as_bytes();
    let (mut newlines, mut found, mut after_newline) = (0, false, false);
    let mut before = None;
    for (at, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            newlines += 1;
        } else if b | 0x20 == b's' && starts_with_folded(bytes.get(at..), b"shop") {
            // A byte of a multi-byte character is >= 0x80: outside `a-d` and `f-z`, as the
            // character itself is.
            let open = before
                .is_none_or(|b: u8| !matches!(b.to_ascii_lowercase(), b'a'..=b'd' | b'f'..=b'z'));
            found |= open || starts_with_folded(bytes.get(at..), b"shopping");
            after_newline |= before == Some(b'\n');
        }
        before = Some(b);
    }
    match newlines {
        0 => found,
        1 => after_newline,
        _ => false,
    }
}

/// Whether `text` starts with `lowercase`, a lowercase literal, ignoring ASCII case.
fn starts_with_folded(text: Option<&[u8]>, lowercase: &[u8]) -> bool {
    text.and_then(|text| text.get(..lowercase.len()))
        .is_some_and(|start| start.eq_ignore_ascii_case(lowercase))
}

/// Whether `haystack` contains `needle`. The values here are short: a word-at-a-time search
/// for the needle's first byte is cheaper than a substring searcher's set-up.
pub(super) fn contains(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return true;
    };
    words(haystack).any(|(start, word)| {
        marked(start, bytes_equal(word, first)).any(|at| {
            haystack
                .get(at..)
                .is_some_and(|rest| rest.starts_with(needle))
        })
    })
}

/// Whether `campaign` contains `cross-network`, and whether it contains `shop`, ignoring
/// ASCII case, in one pass: rule 1 and the cheap first test of [`matches_shop_pattern`].
///
/// The pass reads eight bytes at a time and finds the `h`s and `w`s of each word at once (see
/// [`h_or_w`]): `shop` holds the one, `cross-network` the other, and both letters are rare in
/// campaign names. Only around those places are the literals compared.
#[inline]
pub(super) fn find_cross_network_and_shop(campaign: &str) -> (bool, bool) {
    let bytes = campaign.as_bytes();
    // Most campaigns hold neither letter: then no call is made, and the loop keeps its
    // values in scratch registers. At the first word with a mark, `literals_from` takes over.
    // Eight to sixteen bytes (most campaigns): the first and the last eight, overlapping,
    // with no loop.
    if bytes.len() <= 16
        && let (Some(first), Some(last)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>())
    {
        let (first, last) = (
            h_or_w(u64::from_le_bytes(*first)),
            h_or_w(u64::from_le_bytes(*last)),
        );
        if first | last == 0 {
            return (false, false);
        }
        return match (first & NOT_FIRST, last & NOT_LAST_TWO) {
            (0, 0) => (false, false),
            (0, marks) => literals_from(bytes, bytes.len() - 8, marks),
            (marks, _) => literals_from(bytes, 0, marks),
        };
    }
    // Seventeen to twenty-four bytes: three words, the last one overlapping.
    if bytes.len() <= 24
        && let (Some(first), Some(second), Some(last)) = (
            bytes.first_chunk::<8>(),
            bytes.get(8..).and_then(<[u8]>::first_chunk::<8>),
            bytes.last_chunk::<8>(),
        )
    {
        let (first, second, last) = (
            h_or_w(u64::from_le_bytes(*first)),
            h_or_w(u64::from_le_bytes(*second)),
            h_or_w(u64::from_le_bytes(*last)),
        );
        if first | second | last == 0 {
            return (false, false);
        }
        return match (first & NOT_FIRST, second, last & NOT_LAST_TWO) {
            (0, 0, 0) => (false, false),
            (0, 0, marks) => literals_from(bytes, bytes.len() - 8, marks),
            (0, marks, _) => literals_from(bytes, 8, marks),
            (marks, _, _) => literals_from(bytes, 0, marks),
        };
    }
    let mut rest = bytes;
    while let Some((word, after)) = rest.split_first_chunk::<8>() {
        let marks = h_or_w(u64::from_le_bytes(*word));
        if marks != 0 {
            return literals_from(bytes, bytes.len() - rest.len(), marks);
        }
        rest = after;
    }
    if rest.is_empty() {
        return (false, false);
    }
    match (
        bytes.last_chunk::<8>(),
        bytes.first_chunk::<4>(),
        bytes.last_chunk::<4>(),
    ) {
        // The last eight bytes, overlapping the words read, which held no mark.
        (Some(last), _, _) => {
            let marks = h_or_w(u64::from_le_bytes(*last)) & NOT_LAST_TWO;
            if marks == 0 {
                return (false, false);
            }
            literals_from(bytes, bytes.len() - 8, marks)
        }
        // Four to seven bytes: the first four and the last four, overlapping, tell whether
        // to look.
        (None, Some(first), Some(last)) => {
            let word =
                u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32;
            if h_or_w(word) == 0 {
                return (false, false);
            }
            literals_from(bytes, 0, h_or_w(first_word(bytes)))
        }
        // Neither literal fits in fewer than four bytes.
        _ => (false, false),
    }
}

/// The marks a literal can hold in the first word: not the first byte's, since `shop` has an
/// `s` before its `h` and `cross-network` nine bytes before its `w`.
const NOT_FIRST: u64 = !0xff;

/// The marks a literal can hold in the last word (the one ending the campaign): not the last
/// two bytes', since `shop` has two bytes after its `h` and `cross-network` three after its
/// `w`. Campaigns ending in `-nho` or `-lho` need no compare.
const NOT_LAST_TWO: u64 = u64::MAX >> 16;

/// The bytes of a value shorter than eight bytes as one word, padded with zero bytes.
fn first_word(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0, |word, &b| word << 8 | u64::from(b))
}

/// [`find_cross_network_and_shop`] from the word at `start` on, whose marks are `marks`: the
/// literals are compared around each mark, that word's and the following words'.
#[cold]
#[inline(never)]
fn literals_from(bytes: &[u8], start: usize, marks: u64) -> (bool, bool) {
    let mut found = literals_at(bytes, start, marks);
    // The words after it, the last one overlapping (a mark found twice is compared twice).
    let mut at = start + 8;
    while at < bytes.len() {
        let start = at.min(bytes.len().saturating_sub(8));
        if let Some(word) = bytes.get(start..).and_then(<[u8]>::first_chunk::<8>) {
            found |= literals_at(bytes, start, h_or_w(u64::from_le_bytes(*word)));
        }
        at += 8;
    }
    (found & CROSS_NETWORK != 0, found & SHOP_FOUND != 0)
}

/// [`literals_at`]'s answer for `cross-network`.
const CROSS_NETWORK: u8 = 1;
/// [`literals_at`]'s answer for `shop`.
const SHOP_FOUND: u8 = 2;

/// Which literals lie around the places `marks` marks in the word at `start` (false marks
/// included: the compare rejects them): [`CROSS_NETWORK`] and [`SHOP_FOUND`] as bits.
#[inline]
fn literals_at(bytes: &[u8], start: usize, mut marks: u64) -> u8 {
    let mut found = 0;
    while marks != 0 {
        let at = start + (marks.trailing_zeros() / 8) as usize;
        marks &= marks - 1;
        let Some(before) = at.checked_sub(1) else {
            continue;
        };
        // `| 0x20` folds `H` and `W` to `h` and `w`, and no other byte to them.
        if bytes.get(at).is_some_and(|&b| b | 0x20 == b'w') {
            let start = at.checked_sub(9).and_then(|start| bytes.get(start..));
            if starts_with_folded(start, b"cross-network") {
                found |= CROSS_NETWORK;
            }
        } else if let Some(four) = bytes.get(before..).and_then(<[u8]>::first_chunk::<4>)
            // `shop` is four letters, and `| 0x20` folds each to its lower case only.
            && u32::from_le_bytes(*four) | 0x2020_2020 == SHOP
        {
            found |= SHOP_FOUND;
        }
    }
    found
}

/// `shop`, as a little-endian word.
const SHOP: u32 = u32::from_le_bytes(*b"shop");

/// The bytes of `word` that are `h`, `H`, `w` or `W`, as their high bits (see
/// [`zero_bytes`](super::words::zero_bytes) for the few false marks).
fn h_or_w(word: u64) -> u64 {
    // `| 0x20` folds `H` and `W` to `h` and `w`, and no other byte to them.
    let folded = word | splat(0x20);
    bytes_equal(folded, b'h') | bytes_equal(folded, b'w')
}

/// Whether `text` holds the byte `byte`.
pub(super) fn has_byte(text: &str, byte: u8) -> bool {
    words(text.as_bytes()).any(|(_, word)| bytes_equal(word, byte) != 0)
}

/// What the rules ask of a value's bytes before lowercasing it: whether it holds ASCII upper
/// case, and whether it holds a line break (see [`is_paid_medium`]). One word-at-a-time pass.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Scan {
    pub(super) upper: bool,
    pub(super) newline: bool,
}

impl Scan {
    pub(super) fn of(text: &str) -> Scan {
        let (mut upper, mut newline) = (0, 0);
        for (_, word) in words(text.as_bytes()) {
            upper |= upper_bytes(word);
            newline |= bytes_equal(word, b'\n');
        }
        Scan {
            upper: upper != 0,
            newline: newline != 0,
        }
    }
}

/// Whether `source` is a host name as §2.6 reads one (`docs/rules.md` §2.6): two or more
/// non-empty dot-separated labels of ASCII letters, digits, `-` and `_`. Nothing is dropped
/// first: `google.com:443`, `google.com.` and `https://google.com` are not host names, as GA4,
/// which compares sources whole, would not read them as `google.com` either.
pub(super) fn is_host_name(source: &str) -> bool {
    // Most sources are one word: no dot, no host.
    has_byte(source, b'.')
        && source.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}
