//! Hostile input (`docs/rules.md` §2.3 "no input may panic", cost linear in the input): huge URLs,
//! huge values, many parameters, NUL bytes, encoded surrogates, deep JSON and absurd numbers.
//!
//! Each test must end in a result or a clear error, fast. Nothing here measures time: the sizes
//! (10 MiB, 100 000 parameters) are chosen so that a quadratic implementation would visibly
//! hang the suite, and the work done is checked by counting what came out.

use std::collections::HashMap;

use serde_json::{Value, json};
use wegly_attribution::{
    CreateDealRequest, ErrorCode, Normalized, Rejected, Validated, WarningCode, query_pairs,
    tracking_params,
};

const MIB: usize = 1024 * 1024;

fn codes(n: &Normalized) -> Vec<(&'static str, &str)> {
    n.warnings
        .iter()
        .map(|w| (w.code().as_str(), crate::text(w.path())))
        .collect()
}

#[test]
fn a_10_mib_url_of_repeated_params() {
    let unit = "utm_source=x&";
    let repeats = 10 * MIB / unit.len();
    let url = format!("https://x.com/?{}", unit.repeat(repeats));

    assert_eq!(tracking_params(&url).count(), repeats);
    let query = url.split_once('?').unwrap().1;
    assert_eq!(query_pairs(query).count(), repeats);

    let n = Normalized::from_url(&url);
    assert_eq!(n.marketing.get("utm_source"), Some("x"));
    assert_eq!(n.marketing.get("wegly_source"), Some("x"));
    assert_eq!(n.marketing.url_conversion().map(str::len), Some(url.len()));
    // Every repetition has the same value: no duplicate_param.
    assert!(n.warnings.is_empty(), "{:?}", codes(&n));
}

#[test]
fn a_single_10_mib_value_is_dropped() {
    let url = format!(
        "https://x.com/?utm_source={}&utm_medium=email",
        "a".repeat(10 * MIB)
    );
    let params: Vec<_> = tracking_params(&url).collect();
    assert_eq!(params.len(), 2);
    assert_eq!(params[0].value().len(), 10 * MIB);

    let n = Normalized::from_url(&url);
    assert_eq!(n.marketing.get("utm_source"), None);
    assert_eq!(n.marketing.get("wegly_source"), None);
    assert_eq!(n.marketing.get("utm_medium"), Some("email"));
    assert_eq!(codes(&n), [("value_too_long", "/url_conversion")]);
    // The message says what was dropped without copying 10 MiB into it.
    assert!(
        n.warnings[0].message().to_string().len() < 200,
        "{}",
        n.warnings[0].message()
    );

    // The same value sent explicitly.
    let explicit = json!({"utm_source": "é".repeat(5 * MIB), "utm_medium": "email"});
    let n = Normalized::normalize(&explicit).unwrap();
    assert_eq!(n.marketing.get("utm_source"), None);
    assert_eq!(n.marketing.get("utm_medium"), Some("email"));
    assert_eq!(codes(&n), [("value_too_long", "/utm_source")]);
}

/// One 10 MiB shape and what must come out of it: the number of tracking parameters found,
/// the number of keys in the output, `utm_source` and the warning codes.
type Shape = (
    &'static str,
    String,
    usize,
    usize,
    Option<&'static str>,
    &'static [&'static str],
);

fn check_shapes(cases: &[Shape]) {
    for (name, url, params, keys, utm_source, warnings) in cases {
        assert_eq!(tracking_params(url).count(), *params, "case {name}");
        let n = Normalized::from_url(url);
        assert_eq!(n.marketing.len(), *keys, "case {name}");
        assert_eq!(n.marketing.get("utm_source"), *utm_source, "case {name}");
        let found: Vec<_> = n.warnings.iter().map(|w| w.code().as_str()).collect();
        assert_eq!(found, *warnings, "case {name}");
        // The parser under extraction gets through it too, and agrees with the reference.
        assert_eq!(
            query_pairs(url).count(),
            form_urlencoded::parse(url.as_bytes()).count(),
            "case {name}"
        );
    }
}

/// 10 MiB of separators: nothing is quadratic in the number of segments.
#[test]
fn ten_mib_of_separators() {
    check_shapes(&[
        (
            "ampersands",
            format!("?{}", "&".repeat(10 * MIB)),
            0,
            1,
            None,
            &[],
        ),
        (
            "equals signs",
            format!("?utm_source{}", "=".repeat(10 * MIB)),
            1,
            1,
            None,
            &["value_too_long"],
        ),
        ("question marks", "?".repeat(10 * MIB), 0, 1, None, &[]),
        (
            "hashes",
            format!("?utm_source=a{}", "#".repeat(10 * MIB)),
            1,
            3,
            Some("a"),
            &[],
        ),
        // No raw `?`: decoded once as a double-encoded URL, into 3 Mi `?`.
        (
            "encoded question marks",
            "%3F".repeat(3 * MIB),
            0,
            1,
            None,
            &[],
        ),
        (
            "amp; prefixes",
            format!("?{}utm_source=a", "amp;".repeat(2 * MIB)),
            1,
            3,
            Some("a"),
            &["html_escaped_separator"],
        ),
        (
            "names without values",
            format!("?{}", "gclid&".repeat(2 * MIB)),
            0,
            1,
            None,
            &[],
        ),
    ]);
}

/// 10 MiB of escapes and white space in one value or name.
#[test]
fn ten_mib_of_escapes_and_white_space() {
    check_shapes(&[
        (
            "bare percents",
            format!("?utm_source={}", "%".repeat(10 * MIB)),
            1,
            1,
            None,
            &["value_too_long"],
        ),
        (
            "partial escapes",
            format!("?utm_source={}", "%4".repeat(5 * MIB)),
            1,
            1,
            None,
            &["value_too_long"],
        ),
        (
            "invalid utf-8",
            format!("?utm_source={}", "%FF".repeat(3 * MIB)),
            1,
            1,
            None,
            &["value_too_long"],
        ),
        // `+` is a space inside the value: kept, so the value is too long.
        (
            "plus signs",
            format!("?utm_source=a{}b", "+".repeat(10 * MIB)),
            1,
            1,
            None,
            &["value_too_long"],
        ),
        // White space only: empty after trimming, so not sent at all.
        (
            "encoded spaces",
            format!("?utm_source={}&", "%20".repeat(3 * MIB)),
            0,
            1,
            None,
            &[],
        ),
        (
            "raw tabs",
            format!("?utm_source={}", "\t".repeat(10 * MIB)),
            0,
            1,
            None,
            &[],
        ),
        // Keys have no length limit: `utm_` and 10 MiB of `x` is a tracking key (and its twin).
        (
            "one huge name",
            format!("?utm_{}=a", "x".repeat(10 * MIB)),
            1,
            3,
            None,
            &[],
        ),
    ]);
}

#[test]
fn one_hundred_thousand_params() {
    const PARAMS: usize = 100_000;
    // 100 keys; each key's values cycle through three, so most repetitions differ.
    let tracked: Vec<(String, String)> = (0..PARAMS)
        .map(|i| (format!("utm_k{}", i % 100), format!("v{}", (i / 100) % 3)))
        .collect();
    let mut url = String::from("https://x.com/lp?");
    for (i, (key, value)) in tracked.iter().enumerate() {
        // Interleave as many pairs that are no tracking key.
        url.push_str(&format!("{key}={value}&noise{i}=y&"));
    }

    assert_eq!(tracking_params(&url).count(), PARAMS);
    assert_eq!(
        query_pairs(url.split_once('?').unwrap().1).count(),
        2 * PARAMS
    );

    // What `docs/rules.md` §2.2 rule 2 says: first occurrence kept, one warning per later differing
    // one.
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut differing = 0;
    for (key, value) in &tracked {
        match first.get(key.as_str()) {
            None => {
                first.insert(key, value);
            }
            Some(kept) if kept != value => differing += 1,
            Some(_) => {}
        }
    }
    assert_eq!(differing, 66_600); // 100 keys × (1000 occurrences − 334 equal to the first)

    let n = Normalized::from_url(&url);
    let duplicates = n
        .warnings
        .iter()
        .filter(|w| w.code() == WarningCode::DuplicateParam)
        .count();
    // `docs/rules.md` §3.1: 100 warnings, then one `too_many_warnings` counting the others.
    assert_eq!(duplicates, 100);
    assert_eq!(n.warnings.len(), 101, "only duplicate_param expected");
    let last = &n.warnings[100];
    assert_eq!(last.code(), WarningCode::TooManyWarnings);
    assert_eq!(
        last.message().to_string(),
        format!(
            "{} more warnings were found and not reported",
            differing - 100
        )
    );
    for (key, value) in &first {
        assert_eq!(n.marketing.get(key), Some(*value), "key {key}");
        let twin = key.replacen("utm_", "wegly_", 1);
        assert_eq!(n.marketing.get(&twin), Some(*value), "key {twin}");
    }
    // 100 keys, their 100 twins and url_conversion.
    assert_eq!(n.marketing.len(), 201);
}

/// Common keys repeated after many keys of the arena: a repeated common key is found by its
/// index, not by a walk over what the URL filled before it.
#[test]
fn common_keys_repeated_after_many_other_keys() {
    const DISTINCT: usize = 50_000;
    let mut url = String::from("https://x.com/lp?");
    for i in 0..DISTINCT {
        url.push_str(&format!("utm_k{i}=v&"));
    }
    // Each common key's first value is kept; a later one that differs is a warning.
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut differing = 0;
    for i in 0..DISTINCT {
        let key = ["utm_source", "gclid", "wegly_code"][i % 3];
        url.push_str(&format!("{key}={}&", i % 2));
        differing += usize::from(*first.entry(key).or_insert(i % 2) != i % 2);
    }
    assert_eq!(differing, 24_999);

    let n = Normalized::from_url(&url);
    // The distinct keys, their twins, the three common keys, wegly_source and url_conversion.
    assert_eq!(n.marketing.len(), 2 * DISTINCT + 5);
    assert_eq!(n.marketing.get("utm_source"), Some("0"));
    assert_eq!(n.marketing.get("wegly_source"), Some("0"));
    assert_eq!(n.marketing.get("gclid"), Some("1"));
    assert_eq!(n.marketing.get("wegly_code"), Some("0"));
    assert_eq!(n.marketing.get("wegly_k49999"), Some("v"));
    // 100 warnings, then the count of the others.
    assert_eq!(n.warnings.len(), 101);
    assert!(
        n.warnings[..100]
            .iter()
            .all(|w| w.code() == WarningCode::DuplicateParam)
    );
    assert_eq!(
        n.warnings[100].message().to_string(),
        format!(
            "{} more warnings were found and not reported",
            differing - 100
        )
    );
}

#[test]
fn nul_bytes_are_kept() {
    let cases: &[(&str, &str, &str)] = &[
        ("https://x.com/?utm_source=a\0b", "utm_source", "a\0b"),
        ("https://x.com/?gclid=\0", "gclid", "\0"),
        ("https://x.com/?utm_term=%00x%00", "utm_term", "\0x\0"),
        ("https://x.com/?utm_id=%20%00%20", "utm_id", "\0"),
        ("https://x.com/\0/p?utm_medium=m\0", "utm_medium", "m\0"),
        ("\0?fbclid=F", "fbclid", "F"),
        (
            "https://x.com/?utm%00_x=1&utm_content=c",
            "utm_content",
            "c",
        ),
    ];
    for (url, key, expected) in cases {
        let n = Normalized::from_url(url);
        assert_eq!(n.marketing.get(key), Some(*expected), "url {url:?}");
        assert_eq!(n.marketing.url_conversion(), Some(*url), "url {url:?}");
        assert!(n.warnings.is_empty(), "url {url:?}: {:?}", codes(&n));
    }

    // Explicit values: NUL is no white space, so it is not trimmed.
    let n = Normalized::normalize(&json!({"utm_source": " \u{0} ", "gclid": "\u{0}G"})).unwrap();
    assert_eq!(n.marketing.get("utm_source"), Some("\0"));
    assert_eq!(n.marketing.get("gclid"), Some("\0G"));
    // A key with a NUL is no tracking key.
    let n = Normalized::normalize(&json!({"utm_source\u{0}": "x"})).unwrap();
    assert!(n.marketing.is_empty());
    assert_eq!(codes(&n), [("ignored_field", "/utm_source\0")]);
}

#[test]
fn encoded_surrogates_and_other_invalid_utf8_become_replacement_characters() {
    // WHATWG's UTF-8 decoder (and Rust's lossy one) replace each maximal invalid subpart: an
    // encoded surrogate `ED A0 80` is three of them.
    let cases: &[(&str, &str)] = &[
        ("%ED%A0%80", "\u{fffd}\u{fffd}\u{fffd}"),
        ("a%ED%BF%BFb", "a\u{fffd}\u{fffd}\u{fffd}b"),
        ("%C0%AF", "\u{fffd}\u{fffd}"),
        ("%F4%90%80%80", "\u{fffd}\u{fffd}\u{fffd}\u{fffd}"),
        ("%E2%82", "\u{fffd}"),
        ("%FF", "\u{fffd}"),
    ];
    for (raw, expected) in cases {
        let query = format!("v={raw}");
        let reference = form_urlencoded::parse(query.as_bytes()).next().unwrap().1;
        assert_eq!(reference, *expected, "reference decoding of {raw}");
        let url = format!("https://x.com/?utm_source={raw}");
        let n = Normalized::from_url(&url);
        assert_eq!(
            n.marketing.get("utm_source"),
            Some(*expected),
            "value {raw}"
        );
        assert_eq!(
            codes(&n),
            [("invalid_utf8", "/url_conversion")],
            "value {raw}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The create-deal request (`docs/rules.md` §3): hostile JSON.

fn rejected(bytes: &[u8]) -> Rejected {
    match CreateDealRequest::from_json(bytes) {
        Ok(valid) => panic!(
            "accepted {:?}: {:?}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(200)]),
            valid.request.title()
        ),
        Err(rejected) => rejected,
    }
}

fn accepted(bytes: &[u8]) -> Validated {
    CreateDealRequest::from_json(bytes).unwrap_or_else(|rejected| {
        panic!(
            "rejected {:?}: {rejected:?}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
        )
    })
}

fn nested(depth: usize, open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [10_000, 1_000_000] {
        let arrays = nested(depth, "[", "", "]");
        let objects = nested(depth, "{\"a\":", "1", "}");
        let cases: Vec<(&str, String, &str)> = vec![
            ("whole document", arrays.clone(), ""),
            // An unknown member is skipped whatever it holds: title is missing, `a` unknown.
            ("whole document, objects", objects.clone(), "/a"),
            ("title", format!(r#"{{"title": {arrays}}}"#), "/title"),
            (
                "marketing",
                format!(r#"{{"title": "T", "marketing": {{"utm_source": {arrays}}}}}"#),
                "/marketing/utm_source",
            ),
            (
                "custom field",
                format!(
                    r#"{{"title": "T", "custom_fields": [{{"field_id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "x": {objects}}}]}}"#
                ),
                "/custom_fields/0/x",
            ),
            (
                "value",
                format!(r#"{{"title": "T", "value": {arrays}}}"#),
                "/value",
            ),
        ];
        for (name, json, path) in &cases {
            let mut rejected = rejected(json.as_bytes());
            if *path == "/a" && rejected.errors.len() == 2 {
                assert_eq!(rejected.errors[0].path(), "/title");
                assert_eq!(rejected.errors[1].code(), ErrorCode::UnknownField);
                continue;
            }
            assert_eq!(rejected.errors.len(), 1, "case {name} at depth {depth}");
            let first = &rejected.errors.remove(0);
            // serde_json's recursion limit trips (not JSON), or the depth was skipped over and
            // the member has the wrong type.
            let ok = match first.code() {
                ErrorCode::InvalidJson => crate::text(first.path()).is_empty(),
                ErrorCode::InvalidType => first.path() == *path,
                _ => false,
            };
            assert!(ok, "case {name} at depth {depth}: {:?}", rejected.errors);
        }
    }
}

#[test]
fn absurd_numbers_are_rejected_at_value() {
    let huge_exponent = "1e1099511627776".to_owned();
    let cases: Vec<(&str, String, &[ErrorCode])> = vec![
        ("1e400", "1e400".into(), &[ErrorCode::OutOfRange]),
        (
            "30 digits",
            "123456789012345678901234567890".into(),
            &[ErrorCode::OutOfRange],
        ),
        (
            "-1e-400",
            "-1e-400".into(),
            &[
                ErrorCode::Negative,
                ErrorCode::TooManyDecimals,
                ErrorCode::OutOfRange,
            ],
        ),
        ("huge exponent", huge_exponent, &[ErrorCode::OutOfRange]),
        (
            "tiny exponent",
            "1e-1099511627776".into(),
            &[ErrorCode::TooManyDecimals],
        ),
        (
            "10 MiB of digits",
            format!("1{}", "0".repeat(10 * MIB)),
            &[ErrorCode::OutOfRange],
        ),
        (
            "10 MiB of decimals",
            format!("0.{}1", "0".repeat(10 * MIB)),
            &[ErrorCode::TooManyDecimals],
        ),
    ];
    for (name, number, allowed) in &cases {
        let json = format!(r#"{{"title": "T", "value": {number}}}"#);
        let rejected = rejected(json.as_bytes());
        let found: Vec<_> = rejected
            .errors
            .iter()
            .map(|e| (crate::text(e.path()), e.code()))
            .collect();
        assert_eq!(found.len(), 1, "case {name}: {found:?}");
        assert_eq!(found[0].0, "/value", "case {name}: {found:?}");
        assert!(allowed.contains(&found[0].1), "case {name}: {found:?}");
        assert!(
            rejected.errors[0].message().to_string().len() < 200,
            "case {name}: the message copies the number"
        );
    }

    // A 10 MiB number that is exactly one: read exactly, not through a float.
    let one = format!("0.{}1e{}", "0".repeat(10 * MIB - 1), 10 * MIB);
    let valid = accepted(format!(r#"{{"title": "T", "value": {one}}}"#).as_bytes());
    assert_eq!(valid.request.value().map(|v| v.cents()), Some(100));
}

#[test]
fn titles_with_nul_and_lone_surrogates() {
    // An escaped NUL is a character like any other: kept, not trimmed.
    let valid = accepted(br#"{"title": " a\u0000b "}"#);
    assert_eq!(valid.request.title(), "a\0b");
    let valid = accepted(br#"{"title": "\u0000"}"#);
    assert_eq!(valid.request.title(), "\0");

    // Not JSON: one `invalid_json` at the document.
    let cases: &[(&str, &[u8])] = &[
        ("lone high surrogate", br#"{"title": "a\ud800b"}"#),
        ("lone low surrogate", br#"{"title": "\udc00"}"#),
        ("raw NUL in a string", b"{\"title\": \"a\0b\"}"),
        ("raw NUL outside strings", b"{\"title\": \"T\"}\0"),
        ("invalid UTF-8", b"{\"title\": \"\xff\"}"),
        ("encoded surrogate", b"{\"title\": \"\xed\xa0\x80\"}"),
    ];
    for (name, bytes) in cases {
        let rejected = rejected(bytes);
        let found: Vec<_> = rejected
            .errors
            .iter()
            .map(|e| (crate::text(e.path()), e.code()))
            .collect();
        assert_eq!(found, [("", ErrorCode::InvalidJson)], "case {name}");
    }
}

#[test]
fn a_10_mib_url_conversion_in_a_valid_payload() {
    let unit = "utm_source=x&";
    let url = format!(
        "https://x.com/?{}gclid=G",
        unit.repeat(10 * MIB / unit.len())
    );
    let payload = serde_json::to_vec(&json!({
        "title": "T",
        "marketing": {"url_conversion": url},
    }))
    .unwrap();
    let valid = accepted(&payload);
    assert!(valid.warnings.is_empty(), "{:?}", valid.warnings);
    let marketing = valid.request.marketing().unwrap();
    assert_eq!(marketing.get("utm_source"), Some("x"));
    assert_eq!(marketing.get("gclid"), Some("G"));
    assert_eq!(marketing.url_conversion(), Some(url.as_str()));

    // One 10 MiB value in it: dropped, the rest kept, the deal accepted.
    let url = format!(
        "https://x.com/?utm_campaign={}&utm_source=x",
        "c".repeat(10 * MIB)
    );
    let payload = serde_json::to_vec(&json!({
        "title": "T",
        "marketing": {"url_conversion": url},
    }))
    .unwrap();
    let valid = accepted(&payload);
    let found: Vec<_> = valid
        .warnings
        .iter()
        .map(|w| (w.code(), crate::text(w.path())))
        .collect();
    assert_eq!(
        found,
        [(WarningCode::ValueTooLong, "/marketing/url_conversion")]
    );
    let marketing = valid.request.marketing().unwrap();
    assert_eq!(marketing.get("utm_campaign"), None);
    assert_eq!(marketing.get("utm_source"), Some("x"));
}

#[test]
fn a_hundred_thousand_tags_and_a_10_mib_title() {
    // 50 000 distinct tags, each twice: de-duplication must be linear.
    let tags: Vec<Value> = (0..100_000)
        .map(|i| Value::String(format!("tag{}", i % 50_000)))
        .collect();
    let payload = serde_json::to_vec(&json!({"title": "T", "tags": tags})).unwrap();
    let valid = accepted(&payload);
    assert_eq!(valid.request.tags().len(), 50_000);
    assert_eq!(valid.request.tags()[49_999], "tag49999");
    let duplicates = valid
        .warnings
        .iter()
        .filter(|w| w.code() == WarningCode::DuplicateTag)
        .count();
    assert_eq!(duplicates, 100);
    assert_eq!(valid.warnings[0].path(), "/tags/50000");
    assert_eq!(valid.warnings[100].code(), WarningCode::TooManyWarnings);
    assert_eq!(
        valid.warnings[100].message(),
        "49900 more warnings were found and not reported"
    );

    let payload = serde_json::to_vec(&json!({"title": "é".repeat(5 * MIB)})).unwrap();
    let rejected = rejected(&payload);
    assert_eq!(rejected.errors.len(), 1);
    assert_eq!(
        (
            crate::text(rejected.errors[0].path()),
            rejected.errors[0].code()
        ),
        ("/title", ErrorCode::TooLong)
    );
    assert!(rejected.errors[0].message().to_string().len() < 300);
}
