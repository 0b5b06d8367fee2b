//! The request path (`docs/rules.md` §3.1): one rule per test, each able to fail without its rule,
//! and the properties every entry point shares.

use proptest::prelude::*;
use serde_json::{Value, json};
use wegly_attribution::{
    CreateDealRequest, CustomField, ErrorCode, MemoryCatalog, Normalized, Normalizer, Rejected,
    Validated, WarningCode,
};

fn valid(json: &str) -> Validated {
    CreateDealRequest::from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{json}: {e:?}"))
}

fn rejected(json: &str) -> Rejected {
    match CreateDealRequest::from_json(json.as_bytes()) {
        Ok(valid) => panic!("{json} was accepted: {:?}", valid.request),
        Err(rejected) => rejected,
    }
}

fn errors(rejected: &Rejected) -> Vec<(&str, &str)> {
    rejected
        .errors
        .iter()
        .map(|e| (crate::text(e.path()), e.code().as_str()))
        .collect()
}

fn warnings(warnings: &[wegly_attribution::Warning]) -> Vec<(&str, &str)> {
    warnings
        .iter()
        .map(|w| (crate::text(w.path()), w.code().as_str()))
        .collect()
}

#[test]
fn repeated_members_the_last_wins_everywhere() {
    let cases: &[(&str, &str, &str, &[(&str, &str)])] = &[
        (
            "top level: the earlier invalid one is as if never sent",
            r#"{"title": 5, "title": "B"}"#,
            r#"{"title":"B"}"#,
            &[("/title", "duplicate_member")],
        ),
        (
            "marketing: an empty last value means not sent",
            r#"{"title": "T", "marketing": {"utm_source": "a", "utm_source": ""}}"#,
            r#"{"title":"T"}"#,
            &[("/marketing/utm_source", "duplicate_member")],
        ),
        (
            "marketing: the last value is used",
            r#"{"title": "T", "marketing": {"utm_source": "", "utm_source": "b"}}"#,
            r#"{"title":"T","marketing":{"utm_source":"b","wegly_source":"b"}}"#,
            &[("/marketing/utm_source", "duplicate_member")],
        ),
        (
            "nested object",
            r#"{"title": "T", "note": {"content": "", "content": "c"}}"#,
            r#"{"title":"T","note":{"content":"c","is_pinned":false}}"#,
            &[("/note/content", "duplicate_member")],
        ),
        (
            "custom field object",
            r#"{"title": "T", "custom_fields": [{"field_id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", "value": 1, "value": [2, 3]}]}"#,
            r#"{"title":"T","custom_fields":[{"field_id":"7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a","value":[2,3]}]}"#,
            &[("/custom_fields/0/value", "duplicate_member")],
        ),
        (
            "a whole list repeated: the earlier one's problems are not reported",
            r#"{"title": "T", "tags": [1, 2], "tags": ["a"]}"#,
            r#"{"title":"T","tags":["a"]}"#,
            &[("/tags", "duplicate_member")],
        ),
        (
            "three times: one warning",
            r#"{"title": "A", "title": "B", "title": "C"}"#,
            r#"{"title":"C"}"#,
            &[("/title", "duplicate_member")],
        ),
    ];
    for (name, json, expected, expected_warnings) in cases {
        let valid = valid(json);
        assert_eq!(
            serde_json::to_string(&valid.request).unwrap(),
            *expected,
            "{name}"
        );
        assert_eq!(warnings(&valid.warnings), *expected_warnings, "{name}");
        // A `Value` has merged them already: the same request, without the warning.
        let value: Value = serde_json::from_str(json).unwrap();
        let merged = CreateDealRequest::from_json(&serde_json::to_vec(&value).unwrap()).unwrap();
        assert_eq!(merged.request, valid.request, "{name}");
        assert!(merged.warnings.is_empty(), "{name}");
    }
    // Repeated URL parameters still keep the first (`docs/rules.md` §2.2).
    let n = Normalized::from_url("/lp?utm_source=a&utm_source=b");
    assert_eq!(n.marketing.get("utm_source"), Some("a"));
    // An unknown member repeated is one unknown member.
    let rejected = rejected(r#"{"title": "T", "x": 1, "x": 2}"#);
    assert_eq!(errors(&rejected), [("/x", "unknown_field")]);
    assert_eq!(warnings(&rejected.warnings), [("/x", "duplicate_member")]);
}

#[test]
fn integers_written_as_whole_numbers() {
    for (json, rating) in [("4", 4), ("4.0", 4), ("4e0", 4), ("40e-1", 4), ("1.0", 1)] {
        let valid = valid(&format!(r#"{{"title": "T", "quality_rating": {json}}}"#));
        let rating_out = valid.request.quality_rating().map(|r| r.code());
        assert_eq!(rating_out, Some(rating), "{json}");
    }
    let valid = valid(
        r#"{"title": "T", "visibility": -0, "person": {"name": "A", "contacts": [{"type": 2.0, "value": "x"}], "duplicate_check_types": [1e0, -0.0]}}"#,
    );
    assert_eq!(valid.request.visibility().map(|v| v.code()), Some(0));
    let person = valid.request.person().unwrap();
    assert_eq!(person.contacts[0].kind, 2);
    assert_eq!(person.duplicate_check_types, [1, 0]);

    let cases: &[(&str, &str, &str)] = &[
        (
            r#""quality_rating": 4.5"#,
            "/quality_rating",
            "invalid_enum",
        ),
        (r#""quality_rating": 7"#, "/quality_rating", "invalid_enum"),
        (r#""temperature": 1e400"#, "/temperature", "invalid_enum"),
        (r#""visibility": -1e400"#, "/visibility", "invalid_enum"),
        (
            r#""person": {"name": "A", "contacts": [{"type": 1.5, "value": "x"}]}"#,
            "/person/contacts/0/type",
            "invalid_type",
        ),
        (
            r#""person": {"name": "A", "contacts": [{"type": -1, "value": "x"}]}"#,
            "/person/contacts/0/type",
            "out_of_range",
        ),
        (
            r#""person": {"name": "A", "duplicate_check_types": [4294967296]}"#,
            "/person/duplicate_check_types/0",
            "out_of_range",
        ),
        (
            r#""person": {"name": "A", "duplicate_check_types": [1e400]}"#,
            "/person/duplicate_check_types/0",
            "out_of_range",
        ),
    ];
    for (member, path, code) in cases {
        let rejected = rejected(&format!(r#"{{"title": "T", {member}}}"#));
        assert_eq!(errors(&rejected), [(*path, *code)], "{member}");
    }
}

#[test]
fn a_huge_number_is_judged_at_its_member() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            r#"{"title": "T", "value": 1e400}"#,
            &[("/value", "out_of_range")],
        ),
        (r#"{"title": 1e400}"#, &[("/title", "invalid_type")]),
        (
            r#"{"title": "T", "marketing": {"utm_source": -1e400}}"#,
            &[("/marketing/utm_source", "invalid_type")],
        ),
        (
            r#"{"title": "T", "tags": [1e400]}"#,
            &[("/tags/0", "invalid_type")],
        ),
        (
            r#"{"title": "T", "tags": 1e400}"#,
            &[("/tags", "invalid_type")],
        ),
        (r#"{"title": "T", "x": 1e400}"#, &[("/x", "unknown_field")]),
    ];
    for (json, expected) in cases {
        assert_eq!(errors(&rejected(json)), *expected, "{json}");
    }
    assert_eq!(errors(&rejected("1e400")), [("", "invalid_type")]);
    // Still not JSON when it is not.
    assert_eq!(
        errors(&rejected(r#"{"title": 1e400"#)),
        [("", "invalid_json")]
    );
}

#[test]
fn value_tops_out_at_9999999999999_99() {
    let valid = valid(r#"{"title": "T", "value": 9999999999999.99}"#);
    assert_eq!(
        valid.request.value().map(|v| v.cents()),
        Some(999_999_999_999_999)
    );
    let valid_too = valid_exp();
    assert_eq!(valid_too.request.value().map(|v| v.cents()), Some(150));
    for json in ["10000000000000", "9999999999999.991", "1e13"] {
        let rejected = rejected(&format!(r#"{{"title": "T", "value": {json}}}"#));
        let code = if json == "9999999999999.991" {
            "too_many_decimals"
        } else {
            "out_of_range"
        };
        assert_eq!(errors(&rejected), [("/value", code)], "{json}");
    }
}

fn valid_exp() -> Validated {
    valid(r#"{"title": "T", "value": 1.500e0}"#)
}

#[test]
fn close_dates_are_rfc_3339_over_the_whole_range() {
    let ok: &[(&str, &str)] = &[
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("9999-12-31", "9999-12-31T00:00:00Z"),
        ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
        (
            "2024-03-15T10:30:00.123456789999Z",
            "2024-03-15T10:30:00.123456789Z",
        ),
        ("2024-03-15T10:30:00+23:59", "2024-03-14T10:31:00Z"),
        ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"),
    ];
    for (text, expected) in ok {
        let valid = valid(&format!(
            r#"{{"title": "T", "expected_close_date": "{text}"}}"#
        ));
        let written = serde_json::to_value(&valid.request).unwrap();
        assert_eq!(written["expected_close_date"], *expected, "{text}");
        // What is written reads back to itself.
        let again = CreateDealRequest::from_json(&serde_json::to_vec(&written).unwrap()).unwrap();
        assert_eq!(again.request, valid.request, "{text}");
    }
    let bad: &[(&str, &str)] = &[
        ("2024-03-15T10:30:00+24:00", "invalid_date_time"),
        ("2024-03-15T10:30:00-00:60", "invalid_date_time"),
        ("0000-01-01T00:00:00+01:00", "out_of_range"),
        ("9999-12-31T23:59:59-01:00", "out_of_range"),
    ];
    for (text, code) in bad {
        let json = format!(r#"{{"title": "T", "expected_close_date": "{text}"}}"#);
        assert_eq!(
            errors(&rejected(&json)),
            [("/expected_close_date", *code)],
            "{text}"
        );
    }
    // A typed value out of range is reported as the JSON one is.
    let rejected = CreateDealRequest::builder("T")
        .expected_close_date(jiff::civil::DateTime::MIN)
        .build()
        .unwrap_err();
    assert_eq!(
        errors(&rejected),
        [("/expected_close_date", "out_of_range")]
    );
}

#[test]
fn custom_field_numbers_keep_their_text() {
    let json = r#"{"title": "T", "custom_fields": [{"field_id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
        "big": 123456789012345678901, "huge": 1e400, "exact": 0.1000, "list": [ 1 , {"a" : "b c"} ]}]}"#;
    let valid = valid(json);
    let written = serde_json::to_string(&valid.request).unwrap();
    assert!(
        written.contains(
            r#""big":123456789012345678901,"exact":0.1000,"huge":1e400,"list":[1,{"a":"b c"}]"#
        ),
        "{written}"
    );
    let again = CreateDealRequest::from_json(written.as_bytes()).unwrap();
    assert_eq!(again.request, valid.request);
    // The builder cannot make a second `field_id`.
    let field = CustomField::new(uuid::Uuid::nil())
        .member("field_id", "other")
        .member("value", "x");
    let built = CreateDealRequest::builder("T")
        .custom_field(field)
        .build()
        .unwrap();
    let written = serde_json::to_string(&built.request).unwrap();
    assert_eq!(written.matches("field_id").count(), 1, "{written}");
}

#[test]
fn catalog_answers_are_checked_like_input() {
    let catalog = MemoryCatalog::from_json(
        br#"{"trackers": {"BLANK": {"name": " \t "}, "PAD": {"name": " Evento "}}}"#,
    )
    .unwrap();
    let normalizer = Normalizer::new().catalog(catalog);
    let blank = normalizer
        .create_deal(br#"{"title": "T", "marketing": {"wegly_code": "BLANK"}}"#)
        .unwrap();
    assert_eq!(blank.request.lead_source(), None);
    assert_eq!(
        warnings(&blank.warnings),
        [("/marketing/wegly_code", "invalid_catalog_answer")]
    );
    // Re-validating what was accepted changes nothing (it was never a blank name).
    let again = normalizer
        .create_deal(&serde_json::to_vec(&blank.request).unwrap())
        .unwrap();
    assert_eq!(again.request, blank.request);
    let padded = normalizer
        .create_deal(br#"{"title": "T", "marketing": {"wegly_code": "PAD"}}"#)
        .unwrap();
    let written = serde_json::to_value(&padded.request).unwrap();
    assert_eq!(written["lead_source"], json!({"name": "Evento"}));
    let again = normalizer
        .create_deal(&serde_json::to_vec(&written).unwrap())
        .unwrap();
    assert_eq!(again.request, padded.request);
}

#[test]
fn reports_are_bounded() {
    let items = vec![r#""""#; 250].join(",");
    let rejected = rejected(&format!(r#"{{"title": "T", "tags": [{items}]}}"#));
    assert_eq!(rejected.errors.len(), 101);
    assert!(
        rejected.errors[..100]
            .iter()
            .all(|e| e.code() == ErrorCode::Empty)
    );
    assert_eq!(
        (
            crate::text(rejected.errors[100].path()),
            rejected.errors[100].code()
        ),
        ("", ErrorCode::TooManyErrors)
    );
    assert_eq!(
        rejected.errors[100].message(),
        "150 more errors were found and not reported"
    );
    // The limit is an option.
    let rejected = Normalizer::new()
        .max_errors(3)
        .create_deal(format!(r#"{{"title": "T", "tags": [{items}]}}"#).as_bytes())
        .unwrap_err();
    assert_eq!(rejected.errors.len(), 4);

    let tags = vec![r#""a""#; 250].join(",");
    let valid = valid(&format!(r#"{{"title": "T", "tags": [{tags}]}}"#));
    assert_eq!(valid.warnings.len(), 101);
    assert_eq!(valid.warnings[100].code(), WarningCode::TooManyWarnings);
    assert_eq!(valid.warnings[100].path(), "");
}

#[test]
fn messages_quote_little_and_stay_short() {
    let key = format!("k\n{}", "é".repeat(1000));
    let value = "\u{1}".repeat(1000);
    let json =
        serde_json::to_string(&json!({"title": "T", key.clone(): 1, "stage_id": value})).unwrap();
    let found = rejected(&json);
    for error in &found.errors {
        assert!(
            error.message().to_string().len() <= 512,
            "{}",
            error.message().to_string().len()
        );
        assert!(
            !error.message().to_string().contains('\n'),
            "{:?}",
            error.message()
        );
        assert!(
            !error.message().to_string().contains('\u{1}'),
            "{:?}",
            error.message()
        );
    }
    let unknown = found
        .errors
        .iter()
        .find(|e| e.code() == ErrorCode::UnknownField)
        .unwrap();
    // `k`, the escaped line feed, 62 more characters, then the cut.
    assert_eq!(
        unknown.message().to_string(),
        format!("`k\\n{}…` is not a member the API defines", "é".repeat(62))
    );
    // A 1 MiB tracking name in a fragment gives no 1 MiB message.
    let url = format!(
        "/lp#utm_{}=a&utm_{}=b",
        "x".repeat(1 << 20),
        "x".repeat(1 << 20)
    );
    let n = Normalized::from_url(&url);
    assert!(!n.warnings.is_empty());
    assert!(
        n.warnings
            .iter()
            .all(|w| w.message().to_string().len() <= 512)
    );
    // Every message of the warning and error types, whole document included, reads `at /`.
    assert_eq!(
        rejected("[]").errors[0].to_string(),
        "invalid_type at /: expected an object, found an array"
    );
}

/// JSON text shaped like a payload: request members (repeated, of any type), unknown members,
/// nested objects and arrays, numbers of every size. Unlike random bytes, it reaches every
/// reader.
fn payload_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("\"\"".to_owned()),
        Just("\"  x \"".to_owned()),
        Just("\"7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a\"".to_owned()),
        Just("\"2024-03-15\"".to_owned()),
        Just("\"/lp?utm_source=a&gclid=G#utm_medium=b\"".to_owned()),
        Just("4.0".to_owned()),
        Just("-0".to_owned()),
        Just("1e400".to_owned()),
        Just("123456789012345678901".to_owned()),
        Just("12.345".to_owned()),
        (0..10i32).prop_map(|n| n.to_string()),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        let key = prop_oneof![
            Just("name"),
            Just("id"),
            Just("type"),
            Just("value"),
            Just("content"),
            Just("field_id"),
            Just("user_id"),
            Just("role_id"),
            Just("utm_source"),
            Just("url_conversion"),
            Just("x"),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((key, inner), 0..4).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    let member = prop_oneof![
        Just("title"),
        Just("stage_id"),
        Just("quality_rating"),
        Just("value"),
        Just("expected_close_date"),
        Just("visibility"),
        Just("tags"),
        Just("persons_id"),
        Just("person"),
        Just("primary_person_id"),
        Just("organization"),
        Just("organization_id"),
        Just("custom_fields"),
        Just("marketing"),
        Just("lead_source"),
        Just("followers"),
        Just("note"),
        Just("unknown"),
    ];
    prop::collection::vec((member, value), 0..8).prop_map(|members| {
        let mut text = String::from("{\"title\":\"T\"");
        for (key, value) in members {
            text.push_str(&format!(",\"{key}\":{value}"));
        }
        text.push('}');
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every entry point gives the same request: bytes with repeated members, the same JSON
    /// merged by `serde_json::Value` (which keeps the last), `Marketing::normalize` on its
    /// `marketing`, and the builder from the request. They differ at most by
    /// `duplicate_member`.
    #[test]
    fn entry_points_agree(text in payload_text()) {
        let from_bytes = CreateDealRequest::from_json(text.as_bytes());
        if let Err(rejected) = &from_bytes {
            prop_assert!(rejected.errors.len() <= 101);
        }
        // A `Value` cannot hold `1e400`: only the bytes reader can judge those payloads.
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            prop_assert!(text.contains("1e400"));
            return Ok(());
        };
        let merged = CreateDealRequest::from_json(&serde_json::to_vec(&value).unwrap());
        match (&from_bytes, &merged) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(&a.request, &b.request);
                // A `Value` sorts its keys: compare the reports as sets.
                let mut without: Vec<_> = a.warnings.iter().filter(|w| w.code() != WarningCode::DuplicateMember).map(|w| (w.path().to_string(), w.code())).collect();
                let mut merged: Vec<_> = b.warnings.iter().map(|w| (w.path().to_string(), w.code())).collect();
                without.sort();
                merged.sort();
                prop_assert_eq!(without, merged);
                if let Some(marketing) = value.get("marketing").filter(|m| !m.is_null()) {
                    let n = Normalized::normalize(marketing).unwrap();
                    prop_assert_eq!(a.request.marketing(), Some(&n.marketing).filter(|m| !m.is_empty()));
                }
                let rebuilt = a.request.to_builder().build().unwrap();
                prop_assert_eq!(&rebuilt.request, &a.request);
            }
            (Err(a), Err(b)) => {
                let (mut a_errors, mut b_errors) = (errors(a), errors(b));
                a_errors.sort();
                b_errors.sort();
                prop_assert_eq!(a_errors, b_errors);
                prop_assert!(a.errors.len() <= 101);
            }
            _ => prop_assert!(false, "{text}: {from_bytes:?} vs {merged:?}"),
        }
    }

    /// Valid by construction: the builder accepts every generated request (so every case
    /// reaches the assertions, none is discarded), and what it accepts, written and read
    /// again, is the same request with no new warning. Blank marketing values, repeated tags
    /// and odd URLs are generated: repairs, not refusals.
    #[test]
    fn what_the_builder_accepts_reads_back_to_itself(
        title in "[a-zé][ a-zé]{0,149}",
        tags in prop::collection::vec("[a-z]{1,3}", 0..4),
        // Every instant from 1970 to the end of 9999, the API's last year.
        seconds in 0i64..253_402_300_800,
        reason in "[a-z][ a-z]{0,4}",
        source in "[ a-z]{0,5}",
        url in "[a-z/?&=#%+]{0,30}",
        person in prop::option::of(("[a-z][ a-z]{0,3}", "[0-9]{1,4}")),
    ) {
        let mut builder = CreateDealRequest::builder(title).quality_reason(reason);
        for tag in tags {
            builder = builder.tag(tag);
        }
        let at = jiff::Timestamp::from_second(seconds).unwrap();
        builder = builder.expected_close_date(at.to_zoned(jiff::tz::TimeZone::UTC).datetime());
        if let Some((name, phone)) = person {
            let mut new = wegly_attribution::NewPerson::new(name);
            new.contacts.push(wegly_attribution::Contact::new(0, phone));
            builder = builder.person(new);
        }
        builder = builder.marketing_field("utm_source", source).marketing_field("url_conversion", url);
        let built = builder.build();
        prop_assert!(built.is_ok(), "refused: {built:?}");
        let built = built.unwrap();
        let bytes = serde_json::to_vec(&built.request).unwrap();
        let again = CreateDealRequest::from_json(&bytes);
        prop_assert!(again.is_ok(), "{}: {again:?}", String::from_utf8_lossy(&bytes));
        let again = again.unwrap();
        prop_assert_eq!(&again.request, &built.request);
        for warning in &again.warnings {
            prop_assert!(built.warnings.contains(warning), "new warning {warning:?}");
        }
    }
}
