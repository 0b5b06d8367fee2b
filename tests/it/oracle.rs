//! The rules' reading of a conversion URL (`docs/rules.md` §2), written out independently of the
//! crate: the oracle of the property tests here and of the `marketing` fuzz target (which includes
//! this file).
//!
//! It uses `form_urlencoded` as the reference urlencoded parser and nothing from the crate, so
//! that a pair the crate's extraction misses is caught rather than predicted.

/// `docs/rules.md` §2.2 rule 1: Unicode `White_Space` plus U+FEFF.
pub(crate) fn is_trimmed(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Trims as `docs/rules.md` §2.2 rule 1 does.
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(is_trimmed)
}

/// `docs/rules.md` §2.1, written out again so that the oracle does not lean on the crate.
pub(crate) fn spec_tracking_key(key: &str) -> bool {
    matches!(
        key,
        "url_conversion" | "gclid" | "fbclid" | "conversion_tool_name"
    ) || ["utm_", "wegly_"].iter().any(|prefix| {
        key.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
    })
}

/// Percent-decodes once (`%XX` only; `+` stays), invalid UTF-8 replaced: the `docs/rules.md` §2.3
/// repair of a URL encoded twice.
pub(crate) fn percent_decode_once(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push(u8::try_from(hi * 16 + lo).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The tracking pairs of a conversion URL, in order (query, then fragment), as `docs/rules.md` §2.2
/// rule 2 and 2.3 describe them: names lowercased and stripped of `amp;`, values decoded and
/// trimmed, empty values and `url_conversion` left out.
pub(crate) fn url_pairs(url: &str) -> Vec<(String, String)> {
    all_pairs(url)
        .into_iter()
        .filter(|(name, _)| name != "url_conversion" && spec_tracking_key(name))
        .collect()
}

/// Every pair of a conversion URL with a non-empty value, tracking key or not, in order (query,
/// then fragment): names lowercased and stripped of `amp;`, values decoded and trimmed.
pub(crate) fn all_pairs(url: &str) -> Vec<(String, String)> {
    let url = trim(url);
    let decoded;
    // `docs/rules.md` §2.3: double-encoded by the `?` test alone (a raw `#` does not matter).
    let url = if !url.contains('?') && url.to_ascii_lowercase().contains("%3f") {
        decoded = percent_decode_once(url);
        decoded.as_str()
    } else {
        url
    };
    // `docs/rules.md` §2.3: the query ends at the first `#`.
    let (head, fragment) = match url.split_once('#') {
        Some((head, fragment)) => (head, fragment),
        None => (url, ""),
    };
    let query = head.split_once('?').map_or("", |(_, query)| query);
    // `docs/rules.md` §2.3's ruling: a fragment is a hash route (`#/route?utm_source=x`, its pairs after
    // the `?`) only when the text before its first `?` holds no `=`; otherwise the whole
    // fragment is read as pairs (`#utm_source=a?b` gives `a?b`).
    let fragment = match fragment.split_once('?') {
        Some((route, params)) if !route.contains('=') => params,
        _ => fragment,
    };
    [query, fragment]
        .into_iter()
        .flat_map(|region| form_urlencoded::parse(region.as_bytes()))
        .filter_map(|(name, value)| {
            let mut name = name.to_ascii_lowercase();
            // `docs/rules.md` §2.3: `amp;` is stripped repeatedly, in any case (lowercased above).
            while let Some(rest) = name.strip_prefix("amp;") {
                name = rest.to_owned();
            }
            let value = trim(&value);
            (!value.is_empty()).then(|| (name, value.to_owned()))
        })
        .collect()
}
