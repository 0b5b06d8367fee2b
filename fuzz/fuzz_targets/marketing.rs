//! Marketing normalization (`docs/rules.md` §2): no input panics, the properties of `docs/rules.md`
//! §2.4 hold, and the channel (`docs/rules.md` §2.6) is the public rules' answer on the normalized
//! values.
//!
//! Input layout: the first byte picks a mode (`% 3`), so seeds can start with `0`, `1` or `2`.
//!
//! - `0` + URL: [`Normalized::from_url`] on the rest (lossy UTF-8), and [`Marketing::from_url`],
//!   which makes no warning, must give the same object.
//! - `1` + limit + JSON: the rest parsed as JSON and, whatever its type, normalized with
//!   `max_value_chars(limit)`.
//! - `2` + limit + mask + text: the text's first line is `url_conversion`; each bit of `mask`
//!   picks a key of [`EXPLICIT_KEYS`], which takes the next line as its explicit value.
//!
//! The limit byte is `DEFAULT_MAX_VALUE_CHARS` when its high bit is set, otherwise its value
//! (0..=127, so `value_too_long` is reachable with small inputs).
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use oracle::{is_trimmed, url_pairs};
use serde_json::{Map, Value};
use wegly_attribution::{
    ChannelRules, DEFAULT_MAX_VALUE_CHARS, Marketing, Normalized, Normalizer, Touch,
    is_tracking_key, redact_click_ids, tracking_params,
};

/// The rules' reading of a URL (`docs/rules.md` §2), shared with the property tests.
#[path = "../../tests/it/oracle.rs"]
#[allow(dead_code)] // The property tests use more of it.
mod oracle;

/// Explicit keys for mode 2: common, open-set, mapped (`utm_term`), and non-tracking ones.
const EXPLICIT_KEYS: [&str; 8] = [
    "utm_source",
    "wegly_source",
    "utm_term",
    "utm_search_term",
    "gclid",
    "wegly_code",
    "utm_x_1",
    "UTM_Medium",
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            let url = String::from_utf8_lossy(rest);
            let n = Normalized::from_url(&url);
            let alone = Marketing::from_url(&url);
            assert_eq!(alone, n.marketing, "Marketing::from_url differs: {url:?}");
            assert!(alone.click_ids().eq(n.marketing.click_ids()), "click ids: {url:?}");
            assert_eq!(alone.redacted_url(), n.marketing.redacted_url(), "redacted: {url:?}");
            let explicit = Value::Object(Map::from_iter([(
                "url_conversion".to_owned(),
                Value::String(url.into_owned()),
            )]));
            check(&explicit, &n, DEFAULT_MAX_VALUE_CHARS);
        }
        1 => {
            let Some((&limit, json)) = rest.split_first() else {
                return;
            };
            let Ok(value) = serde_json::from_slice::<Value>(json) else {
                return;
            };
            let limit = max_value_chars(limit);
            // A non-object or a wrongly typed member is an error, never a panic.
            if let Ok(n) = Normalizer::new().max_value_chars(limit).normalize(&value) {
                check(&value, &n, limit);
            }
        }
        _ => {
            let [limit, mask, text @ ..] = rest else {
                return;
            };
            let text = String::from_utf8_lossy(text);
            let mut lines = text.split('\n');
            let mut object = Map::new();
            if let Some(url) = lines.next() {
                object.insert("url_conversion".to_owned(), Value::String(url.to_owned()));
            }
            for (bit, key) in EXPLICIT_KEYS.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    let value = lines.next().unwrap_or_default();
                    object.insert((*key).to_owned(), Value::String(value.to_owned()));
                }
            }
            let value = Value::Object(object);
            let limit = max_value_chars(*limit);
            let n = Normalizer::new()
                .max_value_chars(limit)
                .normalize(&value)
                .expect("an object of strings always normalizes");
            check(&value, &n, limit);
        }
    }
});

fn max_value_chars(byte: u8) -> usize {
    if byte & 0x80 != 0 {
        DEFAULT_MAX_VALUE_CHARS
    } else {
        usize::from(byte)
    }
}

/// The properties of `docs/rules.md` §2.4 of `n`, the normalization of `explicit` with a value
/// limit of `limit`.
fn check(explicit: &Value, n: &Normalized, limit: usize) {
    let out: BTreeMap<&str, &str> = n.marketing.iter().collect();

    // The channel (`docs/rules.md` §2.6): its fast path over the stored entries and click ids
    // agrees with the public rules given the same values through `get` and `click_ids`.
    let m = &n.marketing;
    let field = |wegly: &str, utm: &str| m.get(wegly).or_else(|| m.get(utm));
    let ids: Vec<_> = m.click_ids().collect();
    let params: Vec<&str> = ids.iter().map(|id| id.param).collect();
    let expected = ChannelRules::new().attribute(&Touch {
        source: field("wegly_source", "utm_source"),
        medium: field("wegly_medium", "utm_medium"),
        campaign: field("wegly_campaign", "utm_campaign"),
        click_params: &params,
    });
    assert_eq!(m.channel(), expected, "channel of {out:?}");

    // Output hygiene: tracking keys only, values trimmed and non-empty.
    for (key, value) in &out {
        assert!(is_tracking_key(key), "non-tracking key {key:?} in {out:?}");
        assert!(!value.is_empty(), "empty value for {key:?}");
        assert_eq!(
            *value,
            value.trim_matches(is_trimmed),
            "untrimmed value for {key:?}"
        );
    }

    // Explicit wins: every explicit tracking string, trimmed, non-empty and within the limit
    // (`url_conversion` has none), is in the output unchanged.
    if let Value::Object(map) = explicit {
        for (key, value) in map {
            let Value::String(text) = value else {
                continue;
            };
            let text = text.trim_matches(is_trimmed);
            if !is_tracking_key(key) || text.is_empty() {
                continue;
            }
            if key != "url_conversion" && text.chars().count() > limit {
                continue;
            }
            assert_eq!(
                out.get(key.as_str()).copied(),
                Some(text),
                "explicit `{key}` lost or changed"
            );
        }
    }

    // Nothing lost: every tracking pair of `url_conversion` with a usable value fills its key
    // (with its own value, or an explicit or earlier one). The pairs are read by the oracle of
    // the property tests, with `form_urlencoded`, not with the crate's own extraction, so that
    // a pair the extraction misses is caught.
    if let Some(url) = n.marketing.url_conversion() {
        for (key, value) in url_pairs(url) {
            if value.chars().count() > limit {
                continue;
            }
            assert!(
                out.contains_key(key.as_str()),
                "URL pair `{key}` = {value:?} lost from {url:?}"
            );
        }
        // The crate's extraction yields the same tracking pairs, in the same order.
        let ours: Vec<(String, String)> = tracking_params(url)
            .filter(|p| p.is_tracking_key() && p.key() != "url_conversion")
            .map(|p| (p.key().to_owned(), p.value().to_owned()))
            .collect();
        assert_eq!(ours, url_pairs(url), "extraction of {url:?}");
    }

    // The attribution view never panics, and the redaction from the ranges noted while the
    // URL was read (none, one inline, or a list) is the one that reads the URL again.
    let _ = n.marketing.click_ids().count();
    let redacted = n.marketing.redacted_url();
    if let Some(url) = n.marketing.url_conversion() {
        let _ = tracking_params(url).count();
        assert_eq!(
            redacted.as_deref(),
            Some(&*redact_click_ids(url)),
            "redaction of {url:?}"
        );
    }

    // Idempotence: normalizing the output again changes nothing, and warns no more.
    let again = serde_json::to_value(&n.marketing).expect("a marketing object serializes");
    let second = Normalizer::new()
        .max_value_chars(limit)
        .normalize(&again)
        .expect("a normalized object normalizes again");
    assert_eq!(
        second.marketing, n.marketing,
        "second pass changed the output"
    );
    for warning in &second.warnings {
        assert!(
            n.warnings
                .iter()
                .any(|w| w.code() == warning.code() && w.path() == warning.path()),
            "second pass warned {warning:?}, first pass only {:?}",
            n.warnings
        );
    }
}
