//! The matching behind SPEC 2.6's table: its two regular expressions, written out by hand, and
//! "a source is in a list".
//!
//! Every input here is already trimmed and ASCII-lowercased.

/// The *paid medium* pattern of SPEC 2.6, `^(.*cp.*|ppc|retargeting|paid.*)$`.
///
/// As in RE2 (GA4's engine) and the `regex` crate, `.` matches any character but `\n`, so a
/// medium with a line break inside never matches (none of the literals holds one either).
pub(super) fn is_paid_medium(medium: &str) -> bool {
    !has_byte(medium, b'\n')
        && (contains(medium, "cp")
            || medium == "ppc"
            || medium == "retargeting"
            || medium.starts_with("paid"))
}

/// The *shop pattern* of SPEC 2.6, on the campaign: `^(.*(([^a-df-z]|^)shop|shopping).*)$`.
///
/// `shop` preceded by the start or by any character but `a`-`d` and `f`-`z` (so `eshop`,
/// `e-shop`, `2shop` and `shop` match, `myshop` does not), or `shopping` anywhere
/// (`myshopping`). The `.*` around it cannot cross a `\n`, but `[^a-df-z]` can match one: a
/// campaign with one line break matches only where that break is right before `shop`, and one
/// with two or more never does. One pass over the bytes.
pub(super) fn matches_shop_pattern(campaign: &str) -> bool {
    // Most campaigns hold no `shop` at all: a cheaper scan says so.
    if !contains(campaign, "shop") {
        return false;
    }
    let bytes = campaign.as_bytes();
    let (mut newlines, mut found, mut after_newline) = (0, false, false);
    let mut before = None;
    for (at, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            newlines += 1;
        } else if b == b's'
            && bytes
                .get(at..)
                .is_some_and(|rest| rest.starts_with(b"shop"))
        {
            // A byte of a multi-byte character is >= 0x80: outside `a-d` and `f-z`, as the
            // character itself is.
            let open = before.is_none_or(|b| !matches!(b, b'a'..=b'd' | b'f'..=b'z'));
            found |= open
                || bytes
                    .get(at..)
                    .is_some_and(|rest| rest.starts_with(b"shopping"));
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

/// Whether `haystack` contains `needle` (not empty). The values here are short: a plain loop
/// over candidate first bytes is cheaper than a substring searcher's set-up or `memchr`'s.
pub(super) fn contains(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return true;
    };
    haystack.iter().enumerate().any(|(at, &b)| {
        b == first
            && haystack
                .get(at..)
                .is_some_and(|rest| rest.starts_with(needle))
    })
}

/// Whether `campaign` contains `cross-network`, and whether it contains `shop`, in one pass:
/// rule 1 and the cheap first test of [`matches_shop_pattern`].
pub(super) fn find_cross_network_and_shop(campaign: &str) -> (bool, bool) {
    let bytes = campaign.as_bytes();
    let (mut cross_network, mut shop) = (false, false);
    for (at, &b) in bytes.iter().enumerate() {
        if b == b'c' || b == b's' {
            let rest = bytes.get(at..).unwrap_or_default();
            cross_network |= rest.starts_with(b"cross-network");
            shop |= rest.starts_with(b"shop");
        }
    }
    (cross_network, shop)
}

/// Whether `text` holds the byte `byte`, by a plain loop (see [`contains`]).
fn has_byte(text: &str, byte: u8) -> bool {
    // No early exit: the compiler vectorizes the whole pass, cheaper for short values.
    text.bytes().fold(false, |found, b| found | (b == byte))
}

/// A source as the lists match it: the text, and the text as a host name when it is one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Source<'a> {
    text: &'a str,
    host: Option<&'a str>,
}

impl<'a> Source<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Source {
            text,
            host: host_name(text),
        }
    }

    /// Whether the source reads as a host name, so that label matching applies to it.
    pub(super) fn is_host_name(self) -> bool {
        self.host.is_some()
    }

    /// Whether the source is in the list made of `defaults` and `added` (SPEC 2.6): it equals
    /// an entry; or, being a host name, one of its labels but the last equals a one-label
    /// entry (`l.facebook.com`, `google.com.br`), or it ends with `.` and a dotted entry
    /// (`x.lnkd.in`).
    pub(super) fn in_list(self, defaults: &[&str], added: &[String]) -> bool {
        let mut entries = defaults
            .iter()
            .copied()
            .chain(added.iter().map(String::as_str));
        match self.host {
            None => entries.any(|entry| self.text == entry),
            Some(host) => entries.any(|entry| self.text == entry || host_matches(host, entry)),
        }
    }
}

/// Whether the host name `host` matches `entry` by SPEC 2.6's label rules.
fn host_matches(host: &str, entry: &str) -> bool {
    if has_byte(entry, b'.') {
        host == entry
            || host
                .strip_suffix(entry)
                .is_some_and(|start| start.ends_with('.'))
    } else {
        // Every label but the last (the top-level domain): `google.com.br` holds `google`.
        host.rsplit_once('.')
            .is_some_and(|(labels, _)| labels.split('.').any(|label| label == entry))
    }
}

/// `source` as a host name, when it is one: at least two non-empty dot-separated labels of
/// letters, digits, `-` and `_`, after dropping a `:port` and the trailing dot of a fully
/// qualified name (`google.com.:443` is `google.com`). `None` for anything else (`google`,
/// `rd station`, `https://google.com`).
pub(super) fn host_name(source: &str) -> Option<&str> {
    // Most sources are one word: no dot, no host.
    if !has_byte(source, b'.') {
        return None;
    }
    let host = match source.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => source,
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    let valid = host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        });
    valid.then_some(host)
}
