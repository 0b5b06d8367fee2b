//! The quick reader against `serde_json`'s passes: on generated documents, `from_json` with
//! the quick reader and without it give the same request, warnings and errors, to the byte.
//!
//! The documents are the payload's own members (and some others) with values of every JSON
//! type, numbers in every form the grammar allows (and some it does not), strings with every
//! kind of escape (surrogate pairs, lone surrogates, raw control characters), repeated members,
//! deep nesting and white space anywhere: what the quick reader reads, and what it must decline.

use proptest::prelude::*;
use proptest::strategy::ValueTree;

use super::without_quick_reader;
use crate::CreateDealRequest;

/// A JSON value as written: numbers and strings keep their text.
#[derive(Debug, Clone)]
enum J {
    Null,
    Bool(bool),
    Num(&'static str),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// Numbers as the grammar allows them, in every form.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "7",
    "-12",
    "4",
    "75000.5",
    "1e400",
    "1E+2",
    "-0.0",
    "0.1e-5",
    "2e-400",
    "123456789012345678901234567890",
    "18446744073709551616",
    "1.5e308",
    "3.0",
];

/// Not numbers: both readers must refuse them alike.
const NOT_NUMBERS: &[&str] = &["01", "1.", "+1", ".5", "-", "1e"];

/// Pieces of a string's JSON text, as written in the document.
const PIECES: &[&str] = &[
    "a",
    "Ana",
    "crm",
    " ",
    "-",
    "https://x.com.br/lp?utm_source=google&gclid=AbC#f",
    "é",
    "東京",
    "\\n",
    "\\\"",
    "\\\\",
    "\\/",
    "\\u00e9",
    "\\u0000",
    "\\ud83d\\ude00",
    "\\t",
    "2024-03-15T00:00:00.000Z",
    "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
    "utm_",
    "%20",
    "+",
];

/// Pieces that are not JSON, or not text: a lone surrogate, a bad escape, a raw control.
const BAD_PIECES: &[&str] = &["\\ud83d", "\\ude00x", "\\x", "\u{1}", "\\u12"];

const KEYS: &[&str] = &[
    "title",
    "value",
    "expected_close_date",
    "quality_rating",
    "visibility",
    "temperature",
    "marketing",
    "lead_source",
    "crm_lead_source_id",
    "tags",
    "person",
    "organization",
    "organization_id",
    "followers",
    "note",
    "custom_fields",
    "name",
    "content",
    "url_conversion",
    "utm_source",
    "utm_medium",
    "utm_term",
    "wegly_code",
    "gclid",
    "field_id",
    "user_id",
    "x",
    "titl\\u0065",
    "",
];

const MARKETING_KEYS: &[&str] = &[
    "url_conversion",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "wegly_code",
    "gclid",
    "fbclid",
    "wegly_source",
    "x",
];

const SPACES: &[&str] = &["", " ", "\n", "\t", "\r\n  "];

fn string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        30 => prop::sample::select(PIECES),
        1 => prop::sample::select(BAD_PIECES),
    ];
    prop::collection::vec(piece, 0..5).prop_map(|pieces| pieces.concat())
}

fn number() -> impl Strategy<Value = J> {
    prop_oneof![
        20 => prop::sample::select(NUMBERS).prop_map(J::Num),
        1 => prop::sample::select(NOT_NUMBERS).prop_map(J::Num),
    ]
}

fn value() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        number(),
        string().prop_map(J::Str),
    ];
    leaf.prop_recursive(6, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(J::Arr),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(object),
        ]
    })
}

fn object(members: Vec<(&'static str, J)>) -> J {
    J::Obj(
        members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// A payload the API could take: a title, a value, marketing keys with text (or not), tags;
/// and now and then a member of any kind.
fn plausible() -> impl Strategy<Value = J> {
    (
        string(),
        number(),
        prop::collection::vec(
            (
                prop::sample::select(MARKETING_KEYS),
                prop_oneof![8 => string().prop_map(J::Str), 1 => value()],
            ),
            0..6,
        ),
        prop::collection::vec(string().prop_map(J::Str), 0..4),
        prop::collection::vec((prop::sample::select(KEYS), value()), 0..2),
    )
        .prop_map(|(title, amount, marketing, tags, others)| {
            let mut members = vec![
                ("title", J::Str(format!("t{title}"))),
                ("value", amount),
                ("marketing", object(marketing)),
                ("tags", J::Arr(tags)),
            ];
            members.extend(others);
            object(members)
        })
}

/// A payload: a plausible one, or members of `KEYS` with values of any kind, once or twice.
fn document() -> impl Strategy<Value = J> {
    prop_oneof![
        plausible(),
        prop::collection::vec((prop::sample::select(KEYS), value()), 0..10).prop_map(object),
        value(),
    ]
}

/// Writes `j` with the white space `spaces` picks at each place a token may be followed by
/// some.
fn write(j: &J, spaces: &mut impl Iterator<Item = &'static str>, out: &mut String) {
    out.push_str(spaces.next().unwrap_or(""));
    match j {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) => out.push_str(n),
        J::Str(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, spaces, out);
            }
            out.push_str(spaces.next().unwrap_or(""));
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(spaces.next().unwrap_or(""));
                out.push('"');
                out.push_str(key);
                out.push('"');
                out.push_str(spaces.next().unwrap_or(""));
                out.push(':');
                write(value, spaces, out);
            }
            out.push_str(spaces.next().unwrap_or(""));
            out.push('}');
        }
    }
    out.push_str(spaces.next().unwrap_or(""));
}

/// What `from_json` said, to compare: the request and warnings, or the errors.
fn outcome(bytes: &[u8]) -> String {
    format!("{:?}", CreateDealRequest::from_json(bytes))
}

fn outcome_without_quick_reader(bytes: &[u8]) -> String {
    without_quick_reader(|| outcome(bytes))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(768))]

    #[test]
    fn the_quick_reader_reads_as_serde_json_does(
        doc in document(),
        spaces in prop::collection::vec(prop::sample::select(SPACES), 64),
    ) {
        let mut text = String::new();
        write(&doc, &mut spaces.iter().copied().cycle(), &mut text);
        prop_assert_eq!(outcome(text.as_bytes()), outcome_without_quick_reader(text.as_bytes()), "{}", text);
    }
}

/// The generator reaches the documents that matter: accepted ones, refused ones, and ones
/// that are not JSON; a test of agreement on documents of one kind only would say little.
#[test]
fn the_generator_reaches_every_kind_of_document() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut accepted, mut refused, mut not_json) = (0, 0, 0);
    for _ in 0..768 {
        let doc = document().new_tree(&mut runner).unwrap().current();
        let mut text = String::new();
        write(&doc, &mut SPACES.iter().copied().cycle(), &mut text);
        match CreateDealRequest::from_json(text.as_bytes()) {
            Ok(_) => accepted += 1,
            Err(rejected) if serde_json::from_str::<serde_json::Value>(&text).is_err() => {
                not_json += 1;
                assert!(!rejected.errors.is_empty());
            }
            Err(_) => refused += 1,
        }
    }
    assert!(
        accepted >= 20 && refused >= 200 && not_json >= 100,
        "{accepted} {refused} {not_json}"
    );
}

#[test]
fn known_documents_read_the_same_both_ways() {
    for text in [
        include_str!("../../../benches/data/seed_deal.json"),
        include_str!("../../../benches/data/large_deal.json"),
        include_str!("../../../benches/data/long_url_deal.json"),
        r#"{"title": "a", "title": "b"}"#,
        r#"{"title": "x", "marketing": {"utm_source": " google ", "utm_source": 3}}"#,
        "{\"title\": \"\\ud83d\\ude00 ok\", \"value\": -0}",
        "{\"title\": \"\\ud83d\"}",
        "[1, 2]",
        "",
    ] {
        assert_eq!(
            outcome(text.as_bytes()),
            outcome_without_quick_reader(text.as_bytes()),
            "{text}"
        );
    }
}
