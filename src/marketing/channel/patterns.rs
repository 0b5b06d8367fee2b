//! The matching behind SPEC 2.6's table: its two regular expressions, written out by hand, and
//! "a source is in a list".
//!
//! Every input here is already trimmed and ASCII-lowercased.

/// The *paid medium* pattern of SPEC 2.6, `^(.*cp.*|ppc|retargeting|paid.*)$`.
///
/// As in RE2 (GA4's engine) and the `regex` crate, `.` matches any character but `\n`, so a
/// medium with a line break inside never matches (none of the literals holds one either).
pub(super) fn is_paid_medium(medium: &str) -> bool {
    !medium.contains('\n')
        && (medium.contains("cp")
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
/// with two or more never does.
pub(super) fn matches_shop_pattern(campaign: &str) -> bool {
    match campaign.bytes().filter(|&b| b == b'\n').count() {
        0 => campaign.match_indices("shop").any(|(at, _)| {
            let before = at.checked_sub(1).and_then(|i| campaign.as_bytes().get(i));
            // A byte of a multi-byte character is >= 0x80: outside `a-d` and `f-z`, as the
            // character itself is.
            let open = before.is_none_or(|&b| !matches!(b, b'a'..=b'd' | b'f'..=b'z'));
            open || campaign
                .get(at..)
                .is_some_and(|rest| rest.starts_with("shopping"))
        }),
        1 => campaign.contains("\nshop"),
        _ => false,
    }
}

/// Whether `source` is in the list made of `defaults` and `added` (SPEC 2.6): it equals an
/// entry; or, being a host name, one of its labels but the last equals a one-label entry
/// (`l.facebook.com`, `google.com.br`), or it ends with `.` and a dotted entry (`x.lnkd.in`).
pub(super) fn in_list(source: &str, defaults: &[&str], added: &[String]) -> bool {
    let host = host_name(source);
    let entries = defaults
        .iter()
        .copied()
        .chain(added.iter().map(String::as_str));
    for entry in entries {
        if source == entry {
            return true;
        }
        if let Some(host) = host
            && host_matches(host, entry)
        {
            return true;
        }
    }
    false
}

/// Whether the host name `host` matches `entry` by SPEC 2.6's label rules.
fn host_matches(host: &str, entry: &str) -> bool {
    if entry.contains('.') {
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
