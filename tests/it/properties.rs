//! The properties of `docs/rules.md` §2.4 on [`Normalizer`] and [`Marketing`], over explicit
//! `marketing` objects and messy conversion URLs.
//!
//! The expectations are computed from `docs/rules.md` by [`crate::oracle`], with `form_urlencoded`
//! as the reference urlencoded parser: nothing here calls the crate's extraction to predict its
//! own output.

use std::collections::BTreeMap;

use crate::oracle::{all_pairs, spec_tracking_key, trim, url_pairs};
use proptest::prelude::*;
use serde_json::{Map, Value};
use wegly_attribution::{
    DEFAULT_MAX_VALUE_CHARS, Marketing, Normalized, Normalizer, Warning, WarningCode,
    is_tracking_key,
};

/// One character over the default limit.
const LONG: usize = DEFAULT_MAX_VALUE_CHARS + 1;

fn within(limit: usize, value: &str) -> bool {
    value.chars().count() <= limit
}

/// Percent-encodes every byte but the unreserved ones: the URL "encoded once more".
pub(crate) fn percent_encode_all(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Generators.

fn white() -> impl Strategy<Value = String> {
    let blank = prop::sample::select(vec![
        " ", "\t", "\n", "\r", "\u{a0}", "\u{feff}", "\u{3000}", "\u{2003}",
    ]);
    prop::collection::vec(blank, 0..3).prop_map(|parts| parts.concat())
}

/// The core of an explicit value: short text (over a limit of 8 often enough), empty, or over
/// the default limit. U+200B is not white space and must survive trimming.
fn core() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[A-Za-z0-9é_. \u{200b}\u{0}-]{0,12}",
        1 => Just(String::new()),
        1 => "[a-zA-Z]".prop_map(|c| c.repeat(LONG)),
    ]
}

fn explicit_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        10 => (white(), core(), white()).prop_map(|(a, b, c)| Value::String(format!("{a}{b}{c}"))),
        1 => Just(Value::Null),
    ]
}

fn explicit_key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "utm_id",
            "utm_search_term", "wegly_source", "wegly_code", "gclid", "fbclid",
            "conversion_tool_name",
        ])
        .prop_map(str::to_owned),
        2 => "(utm|wegly)_[a-z0-9_]{1,4}",
        2 => prop::sample::select(vec![
            "referrer", "UTM_SOURCE", "utm_", "Gclid", "utm-source", "wegly_Code",
        ])
        .prop_map(str::to_owned),
    ]
}

/// A URL parameter name: a tracking key (or not), in random case, sometimes behind `amp;` or
/// with its first byte percent-encoded.
fn url_name() -> impl Strategy<Value = String> {
    let base = prop_oneof![
        3 => prop::sample::select(vec!["utm_source", "gclid", "wegly_code"]),
        2 => prop::sample::select(vec![
            "utm_medium", "utm_campaign", "utm_term", "utm_search_term", "utm_xyz",
            "wegly_source", "wegly_abc", "fbclid", "conversion_tool_name", "url_conversion",
            "msclkid", "ref", "q",
        ]),
    ];
    (
        base,
        prop::collection::vec(prop::bool::weighted(0.2), 8),
        0..11u8,
    )
        .prop_map(|(base, upper, style)| {
            let name: String = base
                .chars()
                .zip(upper.iter().cycle())
                .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
                .collect();
            // Percent-encodes the byte at `at` (the names are ASCII).
            let escape = |at: usize| {
                let at = at.min(name.len() - 1);
                format!(
                    "{}%{:02X}{}",
                    &name[..at],
                    name.as_bytes()[at],
                    &name[at + 1..]
                )
            };
            match style {
                0 => format!("amp;{name}"),
                1 => format!("AmP;{name}"),
                2 => escape(0),
                3 => escape(1),
                4 => escape(name.len() - 1),
                5 => format!("amp%3B{name}"),
                _ => name,
            }
        })
}

/// A raw URL value: text, `+`, valid and invalid escapes, invalid UTF-8, encoded white space.
fn url_value() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        6 => "[A-Za-z0-9]{1,4}",
        4 => prop::sample::select(vec![
            "+", "%20", "%41", "%c3%a9", "%C2%A0", "%EF%BB%BF", "%", "%4", "%zz", "%FF",
            "%ED%A0%80", "=", "é", "%2B", "%26", "%23", "%3F", " ", "\u{a0}", "%E2%80%8B", "-",
            "?", "%00",
        ])
        .prop_map(str::to_owned),
    ];
    prop_oneof![
        12 => prop::collection::vec(token, 0..5).prop_map(|tokens| tokens.concat()),
        1 => "[a-z]".prop_map(|c| c.repeat(LONG)),
    ]
}

fn pair() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (url_name(), url_value()).prop_map(|(n, v)| format!("{n}={v}")),
        1 => url_name(),
        1 => url_value().prop_map(|v| format!("={v}")),
        1 => Just(String::new()),
    ]
}

/// Pairs joined by `&`, sometimes by an HTML-escaped `&amp;` (once or twice).
fn pairs() -> impl Strategy<Value = String> {
    let separator = prop::sample::select(vec!["&", "&", "&", "&amp;", "&amp;amp;"]);
    prop::collection::vec((pair(), separator), 0..7).prop_map(|items| {
        let mut joined = String::new();
        for (i, (pair, separator)) in items.iter().enumerate() {
            if i > 0 {
                joined.push_str(separator);
            }
            joined.push_str(pair);
        }
        joined
    })
}

/// A conversion URL as landing pages send them.
pub(crate) fn messy_url() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        3 => Just(None),
        1 => pairs().prop_map(|p| Some(format!("#{p}"))),
        1 => pairs().prop_map(|p| Some(format!("#/route?{p}"))),
        // `docs/rules.md` §2.3's ruling: pairs, then a `?` that is part of a value, not a route's.
        1 => (pairs(), pairs()).prop_map(|(a, b)| Some(format!("#{a}?{b}"))),
        1 => Just(Some("#section".to_owned())),
    ];
    (
        prop::sample::select(vec!["", "https://", "http://", "//"]),
        prop::sample::select(vec![
            "",
            "landing.example.com",
            "x.com.br",
            "LP.Example.COM:8080",
        ]),
        prop::sample::select(vec!["", "/", "/lp", "/obrigado/", "/a%20b"]),
        prop::option::weighted(0.85, pairs()),
        fragment,
        prop::bool::weighted(0.15),
        (white(), white()),
    )
        .prop_map(
            |(scheme, host, path, query, fragment, encode_again, (lead, trail))| {
                let mut url = format!("{scheme}{host}{path}");
                if let Some(query) = query {
                    url.push('?');
                    url.push_str(&query);
                }
                if let Some(fragment) = fragment {
                    url.push_str(&fragment);
                }
                if encode_again {
                    url = percent_encode_all(&url);
                }
                format!("{lead}{url}{trail}")
            },
        )
}

/// An explicit `marketing` object, usually with a `url_conversion`.
fn explicit() -> impl Strategy<Value = Map<String, Value>> {
    (
        prop::collection::vec((explicit_key(), explicit_value()), 0..6),
        prop::option::weighted(0.8, messy_url()),
    )
        .prop_map(|(members, url)| {
            let mut map: Map<String, Value> = members.into_iter().collect();
            if let Some(url) = url {
                map.insert("url_conversion".to_owned(), Value::String(url));
            }
            map
        })
}

/// The limit: small enough in half the cases that over-long values are frequent.
fn limit() -> impl Strategy<Value = usize> {
    prop_oneof![Just(8), Just(DEFAULT_MAX_VALUE_CHARS)]
}

fn normalize(limit: usize, marketing: &Value) -> Normalized {
    Normalizer::new()
        .max_value_chars(limit)
        .normalize(marketing)
        .unwrap_or_else(|rejected| panic!("{marketing} rejected: {rejected:?}"))
}

/// The explicit value of `key` that `docs/rules.md` §2.4 says survives: a string, non-empty after
/// trimming, within the limit (`url_conversion` has none).
fn explicit_kept<'m>(map: &'m Map<String, Value>, key: &str, limit: usize) -> Option<&'m str> {
    let value = trim(map.get(key)?.as_str()?);
    (!value.is_empty() && (key == "url_conversion" || within(limit, value))).then_some(value)
}

fn warning_key(w: &Warning) -> (WarningCode, String, String) {
    (w.code(), w.path().to_string(), w.message().to_string())
}

fn check_hygiene(marketing: &Marketing) -> Result<(), TestCaseError> {
    for (key, value) in marketing.iter() {
        prop_assert!(is_tracking_key(key), "{key:?} is no tracking key");
        prop_assert!(
            spec_tracking_key(key),
            "{key:?} is no tracking key (`docs/rules.md` §2.1)"
        );
        prop_assert!(!value.is_empty(), "{key:?} is empty");
        prop_assert_eq!(trim(value), value, "{:?} is not trimmed", key);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn normalizing_twice_changes_nothing(map in explicit(), limit in limit()) {
        let input = Value::Object(map);
        let first = normalize(limit, &input);
        let again = serde_json::to_value(&first.marketing).unwrap();
        let second = normalize(limit, &again);
        prop_assert_eq!(&second.marketing, &first.marketing, "input {}", input);
        let seen: Vec<_> = first.warnings.iter().map(warning_key).collect();
        for warning in &second.warnings {
            prop_assert!(
                seen.contains(&warning_key(warning)),
                "input {}: the second pass warns {:?}, the first did not (first: {:?})",
                input, warning, first.warnings
            );
        }
    }

    #[test]
    fn explicit_values_win(map in explicit(), limit in limit()) {
        let input = Value::Object(map.clone());
        let n = normalize(limit, &input);
        for key in map.keys().filter(|key| spec_tracking_key(key)) {
            if let Some(expected) = explicit_kept(&map, key, limit) {
                prop_assert_eq!(n.marketing.get(key), Some(expected), "input {}: key {}", input, key);
            }
        }
    }

    #[test]
    fn nothing_in_the_url_is_lost(map in explicit(), limit in limit()) {
        let input = Value::Object(map.clone());
        let n = normalize(limit, &input);
        let Some(url) = map.get("url_conversion").and_then(Value::as_str) else {
            return Ok(());
        };
        // The first occurrence within the limit wins among URL pairs.
        let mut from_url: BTreeMap<String, String> = BTreeMap::new();
        for (key, value) in url_pairs(url) {
            if within(limit, &value) {
                from_url.entry(key).or_insert(value);
            }
        }
        for (key, url_value) in &from_url {
            let expected = explicit_kept(&map, key, limit).unwrap_or(url_value);
            prop_assert_eq!(
                n.marketing.get(key), Some(expected),
                "input {}: key {} (URL pairs {:?})", input, key, url_pairs(url)
            );
        }
    }

    /// The converse of the property above: every value the library reports from a URL is a
    /// pair of that URL as the rules read it (rules 3 and 4 copy a pair under its twin's key),
    /// and so is every click id. `nothing_is_invented_checks_values` counts what it reaches.
    #[test]
    fn nothing_is_invented(url in messy_url(), limit in limit()) {
        let mut map = Map::new();
        map.insert("url_conversion".to_owned(), Value::String(url.clone()));
        let n = normalize(limit, &Value::Object(map));
        let pairs = all_pairs(&url);
        let in_url = |key: &str, value: &str| pairs.iter().any(|(k, v)| k == key && v == value);
        let Value::Object(out) = serde_json::to_value(&n.marketing).unwrap() else {
            unreachable!()
        };
        for (key, value) in &out {
            if key == "url_conversion" {
                continue;
            }
            let value = value.as_str().unwrap();
            let twin = key
                .strip_prefix("wegly_")
                .map(|rest| format!("utm_{rest}"))
                .filter(|utm| utm != "utm_term" && utm != "utm_search_term");
            let source = in_url(key, value)
                || twin.is_some_and(|utm| in_url(&utm, value))
                || (key == "utm_search_term" && in_url("utm_term", value));
            prop_assert!(source, "url {:?}: {} = {:?} is no pair of it ({:?})", url, key, value, pairs);
        }
        for click in n.marketing.click_ids() {
            prop_assert!(
                in_url(click.param, click.value),
                "url {:?}: click id {} = {:?} is no pair of it ({:?})", url, click.param, click.value, pairs
            );
        }
    }

    #[test]
    fn output_holds_only_trimmed_tracking_values(map in explicit(), limit in limit()) {
        let n = normalize(limit, &Value::Object(map));
        check_hygiene(&n.marketing)?;
    }

    #[test]
    fn from_url_never_panics_on_anything(url in any::<String>()) {
        let n = Normalized::from_url(&url);
        check_hygiene(&n.marketing)?;
    }

    #[test]
    fn from_url_never_panics_on_messy_urls(url in messy_url()) {
        let n = Normalized::from_url(&url);
        check_hygiene(&n.marketing)?;
        prop_assert_eq!(n.marketing.url_conversion(), Some(trim(&url)).filter(|u| !u.is_empty()));
    }

    /// `Marketing::from_url` makes no warning: the object, its click ids and its redacted URL
    /// must be those `Normalized::from_url` gives beside its warnings.
    #[test]
    fn the_object_alone_is_the_object_with_its_warnings(url in messy_url()) {
        let alone = Marketing::from_url(&url);
        let n = Normalized::from_url(&url);
        prop_assert_eq!(&alone, &n.marketing, "url {:?}", url);
        prop_assert_eq!(
            alone.click_ids().collect::<Vec<_>>(),
            n.marketing.click_ids().collect::<Vec<_>>()
        );
        prop_assert_eq!(alone.redacted_url(), n.marketing.redacted_url());
    }
}

/// `nothing_is_invented` asserts once per value and click id found: its generator must give
/// it enough of them, or the property would pass for want of cases.
#[test]
fn nothing_is_invented_checks_values() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = messy_url();
    let (mut values, mut clicks) = (0, 0);
    for _ in 0..256 {
        let url = strategy.new_tree(&mut runner).unwrap().current();
        let n = Normalized::from_url(&url);
        values += serde_json::to_value(&n.marketing)
            .unwrap()
            .as_object()
            .map_or(0, |o| o.len().saturating_sub(1));
        clicks += n.marketing.click_ids().count();
    }
    assert!(values >= 256, "only {values} values in 256 URLs");
    assert!(clicks >= 50, "only {clicks} click ids in 256 URLs");
}

/// The oracle itself, on cases worked out by hand: a wrong oracle would make the properties
/// above vacuous or wrong.
#[test]
fn the_oracle_reads_urls_as_the_spec_says() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "https://x.com/?UTM_Source=A&ref=1#utm_source=B",
            &[("utm_source", "A"), ("utm_source", "B")],
        ),
        ("x.com/p?a=1&amp;gclid=G+1", &[("gclid", "G 1")]),
        ("#/route?utm_x=%41%FF", &[("utm_x", "A\u{fffd}")]),
        ("?utm_term=50%off&utm_id=%20", &[("utm_term", "50%off")]),
        (
            "https%3A%2F%2Fx.com%2Fp%3Futm_source%3Da%2Bb",
            &[("utm_source", "a b")],
        ),
        (
            "?url_conversion=x&msclkid=m&WEGLY_Code=c",
            &[("wegly_code", "c")],
        ),
        ("utm_source=no_question_mark", &[]),
        // `docs/rules.md` §2.3's fragment ruling: a `=` before the first `?` makes it pairs.
        ("https://x.com/#utm_source=a?b", &[("utm_source", "a?b")]),
        (
            "#utm_source=a?utm_medium=b",
            &[("utm_source", "a?utm_medium=b")],
        ),
        ("#/r?utm_source=a?b", &[("utm_source", "a?b")]),
        ("#/r?x=1?utm_source=a", &[]),
        ("?utm_source=q#/r=1?utm_medium=m", &[("utm_source", "q")]),
        ("?AMP;amp;utm_source=a", &[("utm_source", "a")]),
    ];
    for (url, expected) in cases {
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(url_pairs(url), expected, "url {url:?}");
    }
}

/// The generators reach the cases the properties are about; otherwise a property could pass
/// for want of examples.
#[test]
fn the_generators_reach_the_interesting_cases() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = explicit();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..512 {
        let map = strategy.new_tree(&mut runner).unwrap().current();
        let url = map
            .get("url_conversion")
            .and_then(Value::as_str)
            .unwrap_or("");
        let pairs = url_pairs(url);
        let mut count =
            |what, happened: bool| *seen.entry(what).or_default() += usize::from(happened);
        count("url with tracking pairs", !pairs.is_empty());
        count(
            "differing duplicates",
            pairs
                .iter()
                .enumerate()
                .any(|(i, (k, v))| pairs[..i].iter().any(|(k2, v2)| k == k2 && v != v2)),
        );
        count(
            "explicit key also in the url",
            pairs
                .iter()
                .any(|(k, _)| explicit_kept(&map, k, 8).is_some()),
        );
        count("double-encoded", !url.contains('?') && url.contains("%3F"));
        count("fragment", url.contains('#'));
        count(
            "fragment pairs then a `?`",
            url.split_once('#').is_some_and(|(_, fragment)| {
                fragment
                    .split_once('?')
                    .is_some_and(|(before, _)| before.contains('='))
            }),
        );
        count("amp;", url.to_ascii_lowercase().contains("amp;"));
        count(
            "escaped name",
            ["%55", "%75", "%54", "%74", "%47", "%67", "%43", "%63"]
                .iter()
                .any(|escape| url.contains(escape)),
        );
        count("invalid utf-8", url.contains("%FF"));
        count(
            "over 8 characters",
            map.values()
                .filter_map(Value::as_str)
                .any(|v| !within(8, trim(v))),
        );
        count(
            "over the default limit",
            pairs
                .iter()
                .any(|(_, v)| !within(DEFAULT_MAX_VALUE_CHARS, v)),
        );
        count("ignored key", map.keys().any(|k| !spec_tracking_key(k)));
        count(
            "blank value",
            map.values()
                .filter_map(Value::as_str)
                .any(|v| trim(v).is_empty()),
        );
    }
    for (what, count) in &seen {
        assert!(*count >= 5, "only {count} of 512 samples have: {what}");
    }
}
