//! Differential test: [`query_pairs`] yields exactly what `form_urlencoded::parse` yields, on
//! arbitrary input biased towards the characters the urlencoded parser treats specially.

use std::borrow::Cow;

use proptest::prelude::*;
use wegly_attribution::query_pairs;

/// A small piece of input: a separator, an escape (valid, partial or invalid), a letter or a
/// character that is not ASCII.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec!["&", "=", "+", "%"]).prop_map(str::to_owned),
        3 => "%[0-9a-fA-F]{2}",
        2 => "%[0-9a-fA-F]?",
        1 => "%[0-9a-fA-F][g-zG-Z&=+%]",
        // Percent-encoded UTF-8, valid or not: a lead byte, continuation bytes, strays.
        2 => "(%[cC][23]|%[eE][0-9]|%[fF][0-9a-fA-F]|%[89aAbB][0-9a-fA-F]){1,3}",
        4 => "[a-zA-Z0-9_]{1,4}",
        2 => prop::sample::select(vec!["é", "\u{feff}", "\u{fffd}", "€", "𝄞", " ", "\t", "#", "?", ";"])
            .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Arbitrary strings: mostly built from [`token`]s, sometimes anything at all.
fn input() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(token(), 0..24).prop_map(|parts| parts.concat()),
        1 => any::<String>(),
    ]
}

fn ours(s: &str) -> Vec<(String, String)> {
    query_pairs(s)
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

fn theirs(s: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(s.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn agrees_with_form_urlencoded(s in input()) {
        prop_assert_eq!(ours(&s), theirs(&s), "input {:?}", s);
    }

    #[test]
    fn borrows_what_needs_no_decoding(s in input()) {
        // The raw segments, split as WHATWG does: by `&`, empty ones skipped, first `=`.
        let raw: Vec<(&str, &str)> = s
            .split('&')
            .filter(|segment| !segment.is_empty())
            .map(|segment| segment.split_once('=').unwrap_or((segment, "")))
            .collect();
        let pairs: Vec<_> = query_pairs(&s).collect();
        prop_assert_eq!(pairs.len(), raw.len(), "input {:?}", s);
        for ((name, value), (raw_name, raw_value)) in pairs.iter().zip(&raw) {
            for (decoded, raw) in [(name, raw_name), (value, raw_value)] {
                if !raw.contains(['+', '%']) {
                    prop_assert!(
                        matches!(decoded, Cow::Borrowed(_)),
                        "input {:?}: {:?} was copied though it needs no decoding", s, raw
                    );
                    prop_assert_eq!(decoded.as_ref(), *raw, "input {:?}", s);
                }
            }
        }
    }
}

/// A few inputs the generators might miss, checked every run.
#[test]
fn agrees_on_known_edge_cases() {
    let cases = [
        "",
        "&",
        "=",
        "==",
        "%",
        "%%",
        "%%41",
        "%4",
        "%4g",
        "%FF",
        "%C3",
        "%C3%A9",
        "%ED%A0%80",
        "%F0%9F%98",
        "+%2B+",
        "a=b=c&&d",
        "\u{feff}a=\u{feff}",
        "é=é&%E9=%E9",
    ];
    for case in cases {
        assert_eq!(ours(case), theirs(case), "input {case:?}");
    }
}

/// The word-at-a-time skip over plain runs (`query::decode_from`) must see a special byte at
/// every offset modulo 8 and 16, after runs of ASCII and of characters >= 0x80 alike.
#[test]
fn agrees_with_a_special_byte_at_every_offset() {
    let fillers = ["a", "é", "€", "𝄞", "\u{7f}", "\u{80}", ",", "*"];
    let specials = [
        "+", "%41", "%", "%4", "%zz", "%C3%A7", "%FF", "%e2%82", "&", "=", "+%",
    ];
    let mut checked = 0;
    for filler in fillers {
        for special in specials {
            for len in 0..34 {
                for at in 0..=len {
                    let run = format!("{}{special}{}", filler.repeat(at), filler.repeat(len - at));
                    // First escape at once (a `+` before the run), or found by the scan.
                    for input in [
                        format!("k=+{run}"),
                        format!("k={run}"),
                        format!("{run}=v&x"),
                    ] {
                        assert_eq!(ours(&input), theirs(&input), "input {input:?}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 10_000);
}

/// The same runs as values of `tracking_params`, whose scan finds the first escape and hands
/// the rest to the word-at-a-time decoder: each value is what `form_urlencoded` decodes, trimmed.
#[test]
fn tracking_params_decode_a_special_byte_at_every_offset() {
    let fillers = ["a", "é", "€", "𝄞", ",", " "];
    let specials = [
        "+", "%41", "%", "%4", "%zz", "%C3%A7", "%FF", "%e2%82", "&", "+%",
    ];
    for filler in fillers {
        for special in specials {
            for len in 0..34 {
                for at in 0..=len {
                    let run = format!("{}{special}{}", filler.repeat(at), filler.repeat(len - at));
                    let query = format!("utm_term={run}&gclid=G");
                    let expected: Vec<String> = form_urlencoded::parse(query.as_bytes())
                        .filter(|(name, _)| name == "utm_term")
                        .map(|(_, v)| {
                            v.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                                .to_owned()
                        })
                        .filter(|v| !v.is_empty())
                        .collect();
                    let url = format!("https://x.com/p?{query}");
                    let ours: Vec<String> = wegly_attribution::tracking_params(&url)
                        .filter(|p| p.key() == "utm_term")
                        .map(|p| p.value().to_owned())
                        .collect();
                    assert_eq!(ours, expected, "url {url:?}");
                }
            }
        }
    }
}
