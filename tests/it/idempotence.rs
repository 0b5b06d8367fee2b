//! `docs/rules.md` §2.4 and 3.1: a request accepted once is accepted again unchanged. What the crate wrote,
//! validated again, gives the same bytes and no new warning, for every exact value a payload
//! can carry: custom-field numbers (huge exponents, long mantissas, negative zero, integers
//! past 2^64), amounts, the integer fields and dates.

use proptest::prelude::*;
use wegly_attribution::{CreateDealRequest, Validated};

/// JSON number text, valid by the JSON grammar: a sign, an integer part without leading
/// zeros, a fraction, an exponent; each part short or very long.
fn number() -> impl Strategy<Value = String> {
    let digits = |max: usize| prop::collection::vec(0..10u8, 1..max);
    let integer = prop_oneof![
        2 => Just("0".to_owned()),
        6 => (1..10u8, digits(25)).prop_map(|(first, rest)| {
            std::iter::once(first).chain(rest).map(|d| char::from(b'0' + d)).collect()
        }),
        1 => (1..10u8, digits(400)).prop_map(|(first, rest)| {
            std::iter::once(first).chain(rest).map(|d| char::from(b'0' + d)).collect()
        }),
    ];
    let fraction = prop::option::weighted(
        0.4,
        prop_oneof![4 => digits(20), 1 => digits(350)].prop_map(|d| {
            d.into_iter()
                .map(|d| char::from(b'0' + d))
                .collect::<String>()
        }),
    );
    let exponent = prop::option::weighted(
        0.5,
        (
            prop::sample::select(vec!["e", "E"]),
            prop::sample::select(vec!["", "+", "-"]),
            prop_oneof![
                4 => (0..400u32).prop_map(|e| e.to_string()),
                1 => Just("99999999999999999999".to_owned()),
                1 => Just("0000000000000000000400".to_owned()),
            ],
        ),
    );
    let special = prop::sample::select(vec![
        "-0",
        "-0.0",
        "0e0",
        "-0e-0",
        "1e400",
        "-1e400",
        "1E+400",
        "1e-400",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "340282366920938463463374607431768211456",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "4.9e-324",
        "2.4e-324",
        "0.1000",
        "1.500",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        6 => (any::<bool>(), integer, fraction, exponent).prop_map(|(minus, int, frac, exp)| {
            let mut text = String::new();
            if minus {
                text.push('-');
            }
            text.push_str(&int);
            if let Some(frac) = frac {
                text.push('.');
                text.push_str(&frac);
            }
            if let Some((e, sign, digits)) = exp {
                text.push_str(e);
                text.push_str(sign);
                text.push_str(&digits);
            }
            text
        }),
        2 => special,
    ]
}

/// A payload that puts a number (and a few other exact values) where the rules read one.
fn payload() -> impl Strategy<Value = String> {
    // Custom fields pass any number: weighted up so that most payloads are accepted.
    let place = prop::sample::select(vec![
        "custom",
        "custom",
        "custom",
        "custom_array",
        "custom_array",
        "custom_object",
        "custom_object",
        "value",
        "quality_rating",
        "visibility",
        "temperature",
        "contact_type",
        "duplicate_check_types",
    ]);
    let date = prop::sample::select(vec![
        None,
        Some("2026-02-28"),
        Some("9999-12-31"),
        Some("0000-01-01T00:00:00Z"),
        Some("2024-02-29T23:59:60.123456789123-03:00"),
        Some("1999-12-31T21:00:00.5+23:59"),
        Some("2026-01-02t03:04:05z"),
    ]);
    (
        prop::collection::vec((place, number()), 1..4),
        date,
        any::<bool>(),
    )
        .prop_map(|(numbers, date, spaced)| {
            let mut custom = Vec::new();
            let mut top = vec![r#""title": "T""#.to_owned()];
            let mut person = None;
            for (i, (place, n)) in numbers.iter().enumerate() {
                match *place {
                    "custom" => custom.push(format!(r#""n{i}": {n}"#)),
                    "custom_array" => custom.push(format!(r#""n{i}": [ {n} , "x", {{"k": {n}}} ]"#)),
                    "custom_object" => custom.push(format!(r#""n{i}": {{ "k" : {n} }}"#)),
                    "contact_type" => {
                        person = Some(format!(
                            r#""person": {{"name": "A", "contacts": [{{"type": {n}, "value": "x"}}]}}"#
                        ));
                    }
                    "duplicate_check_types" => {
                        person = Some(format!(
                            r#""person": {{"name": "A", "duplicate_check_types": [{n}]}}"#
                        ));
                    }
                    field => top.push(format!(r#""{field}": {n}"#)),
                }
            }
            if !custom.is_empty() {
                top.push(format!(
                    r#""custom_fields": [{{"field_id": "7D8E9F0A-1B2C-4D3E-8F4A-5B6C7D8E9F0A", {}}}]"#,
                    custom.join(", ")
                ));
            }
            top.extend(person);
            if let Some(date) = date {
                top.push(format!(r#""expected_close_date": "{date}""#));
            }
            let separator = if spaced { ",\n  " } else { "," };
            format!("{{{}}}", top.join(separator))
        })
}

/// Validates what was accepted again: the same bytes, and no warning the first pass did not
/// give. `None` when the first pass refused the payload.
fn revalidate(json: &str) -> Option<Result<(), String>> {
    let first = CreateDealRequest::from_json(json.as_bytes()).ok()?;
    Some(check_again(json, &first))
}

fn check_again(json: &str, first: &Validated) -> Result<(), String> {
    let written = serde_json::to_string(&first.request).map_err(|e| e.to_string())?;
    let again = CreateDealRequest::from_json(written.as_bytes())
        .map_err(|e| format!("{json}\nwritten {written}\nrefused: {e:?}"))?;
    let rewritten = serde_json::to_string(&again.request).map_err(|e| e.to_string())?;
    if rewritten != written {
        return Err(format!("{json}\nwritten {written}\nthen {rewritten}"));
    }
    for warning in &again.warnings {
        let seen = first
            .warnings
            .iter()
            .any(|w| w.code() == warning.code() && w.path() == warning.path());
        if !seen {
            return Err(format!(
                "{json}\nwritten {written}\nnew warning {warning:?}"
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn what_was_accepted_validates_again_to_the_same_bytes(json in payload()) {
        if let Some(result) = revalidate(&json) {
            prop_assert!(result.is_ok(), "{}", result.unwrap_err());
        }
    }
}

/// The property above asserts only for accepted payloads: the generator must give it many, and
/// many with each kind of number.
#[test]
fn the_generator_reaches_accepted_payloads() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = payload();
    let (mut accepted, mut huge, mut long, mut past_u64, mut negative_zero) = (0, 0, 0, 0, 0);
    for _ in 0..512 {
        let json = strategy.new_tree(&mut runner).unwrap().current();
        if CreateDealRequest::from_json(json.as_bytes()).is_err() {
            continue;
        }
        accepted += 1;
        let lower = json.to_ascii_lowercase();
        huge += usize::from(lower.contains("e400") || lower.contains("e99999"));
        long += usize::from(
            json.split(|c: char| !c.is_ascii_digit())
                .any(|d| d.len() > 40),
        );
        // 21 digits or more, or 2^64 itself, is past `u64`.
        past_u64 += usize::from(
            json.contains("18446744073709551616")
                || json
                    .split(|c: char| !c.is_ascii_digit())
                    .any(|d| d.len() > 20),
        );
        negative_zero += usize::from(json.contains("-0"));
    }
    for (what, count, least) in [
        ("accepted", accepted, 150),
        ("huge exponent", huge, 10),
        ("long digits", long, 10),
        ("past 2^64", past_u64, 3),
        ("negative zero", negative_zero, 10),
    ] {
        assert!(
            count >= least,
            "only {count} accepted payloads of 512 with {what}"
        );
    }
}

/// Cases worked out by hand, among them the one of issue 19.
#[test]
fn exact_values_validate_again_unchanged() {
    let cases = [
        r#"{"title": "T", "custom_fields": [{"field_id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", "n": 1e400}]}"#,
        r#"{"title": "T", "custom_fields": [{"field_id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", "n": [-0, 1E+400, 18446744073709551616]}]}"#,
        r#"{"title": "T", "value": -0, "visibility": -0.0, "temperature": 3e0, "quality_rating": 40e-1}"#,
        r#"{"title": "T", "value": 1.500e0, "expected_close_date": "2024-02-29T23:59:60.123456789123-03:00"}"#,
        r#"{"title": "T", "person": {"name": "A", "contacts": [{"type": 1e0, "value": "x"}], "duplicate_check_types": [0.0]}}"#,
    ];
    for json in cases {
        assert_eq!(revalidate(json), Some(Ok(())), "{json}");
    }
    // The builder's door: a member given as raw JSON text.
    let raw = |text: &str| serde_json::value::RawValue::from_string(text.to_owned()).unwrap();
    let field = wegly_attribution::CustomField::new(uuid::Uuid::nil())
        .member_raw("huge", raw("1e400"))
        .member_raw("spaced", raw("[ -0 ,\n 18446744073709551616 ]"));
    let built = CreateDealRequest::builder("T")
        .custom_field(field)
        .build()
        .unwrap();
    assert_eq!(check_again("(builder)", &built), Ok(()));
}
