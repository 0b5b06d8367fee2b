//! Differential test: the RFC 3339 reader against `jiff`'s `Timestamp` parser, on the range
//! both accept: date-times with a time and an offset, a fraction of at most nine digits, offset
//! hours `00`-`23`, years `0001`-`9998` (`jiff` refuses a bare date, longer fractions and an
//! offset past the instants it holds; the reader refuses offset hours `24` and `25`, which
//! `jiff` takes). Within that grammar, invalid fields included (month 13, February 30, hour
//! 24, minute 60), the two accept the same texts and read the same instant.

use jiff::Timestamp;
use proptest::prelude::*;

use super::parse;

/// A two-digit field, mostly in `0..=valid`, sometimes just past it.
fn field(valid: u32, past: u32) -> impl Strategy<Value = String> {
    prop_oneof![8 => 0..=valid, 1 => valid + 1..=past].prop_map(|n| format!("{n:02}"))
}

fn date_time() -> impl Strategy<Value = String> {
    let date = (
        prop_oneof![4 => 1..=9998u32, 1 => prop::sample::select(vec![1u32, 1600, 1900, 2000, 2024, 9998])],
        prop_oneof![8 => 1..=12u32, 1 => Just(0u32), 1 => Just(13u32)],
        prop_oneof![6 => 1..=28u32, 4 => 29..=31u32, 1 => Just(0u32), 1 => Just(32u32)],
    )
        .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
    let time = (
        prop::sample::select(vec!["T", "t", " "]),
        field(23, 24),
        field(59, 60),
        prop_oneof![8 => field(59, 60), 1 => Just("61".to_owned())],
        prop::option::weighted(0.4, "[0-9]{1,9}"),
    )
        .prop_map(|(sep, h, m, s, fraction)| {
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{sep}{h}:{m}:{s}{fraction}")
        });
    let offset = prop_oneof![
        2 => prop::sample::select(vec!["Z", "z"]).prop_map(str::to_owned),
        3 => (prop::sample::select(vec!["+", "-"]), 0..=23u32, field(59, 60))
            .prop_map(|(sign, h, m)| format!("{sign}{h:02}:{m}")),
    ];
    (date, time, offset).prop_map(|(d, t, o)| format!("{d}{t}{o}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn the_reader_agrees_with_jiff(text in date_time()) {
        let ours = parse(&text);
        let theirs = text.parse::<Timestamp>();
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => {
                prop_assert!(!ours.date_only);
                prop_assert_eq!(ours.utc, theirs.to_zoned(jiff::tz::TimeZone::UTC).datetime(), "{}", text);
            }
            (Err(_), Err(_)) => {}
            (ours, theirs) => prop_assert!(false, "{}: ours {:?}, jiff {:?}", text, ours, theirs),
        }
    }
}

/// The generator gives both accepted and refused texts, and leap seconds.
#[test]
fn the_generator_reaches_both_answers() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = date_time();
    let (mut accepted, mut refused, mut leap) = (0, 0, 0);
    for _ in 0..4096 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        match text.parse::<Timestamp>() {
            Ok(_) => accepted += 1,
            Err(_) => refused += 1,
        }
        leap += usize::from(text.get(17..19) == Some("60") && parse(&text).is_ok());
    }
    assert!(
        accepted >= 1000 && refused >= 500,
        "{accepted} accepted, {refused} refused"
    );
    assert!(leap >= 50, "{leap} leap seconds accepted");
}
