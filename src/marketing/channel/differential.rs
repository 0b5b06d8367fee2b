//! Differential tests: the hand-written matchers of `docs/rules.md` §2.6 against the `regex` crate running
//! the rules' own patterns (`docs/rules.md` §2.6), on generated strings biased towards the
//! literals, the character classes and the line breaks the patterns turn on.

use proptest::prelude::*;
use regex::Regex;

use super::patterns::{
    contains, find_cross_network_and_shop, is_host_name, is_paid_medium, matches_shop_pattern,
};

/// Pieces that meet the patterns' edges: their literals and parts of them, the letters around
/// `[^a-df-z]`, line breaks, separators, upper case and characters outside ASCII.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "cp", "c", "p", "ppc", "pp", "paid", "pai", "retargeting", "retarget", "shop",
            "sho", "shopping", "SHOP", "Shopping", "cross-network", "Cross-Network", "cross",
            "-network", "e", "a", "d", "f", "z", "E", "2", "-", "_", ".", " ", "\n", "\r", "é",
            "\u{17f}", "ß", "x", "w", "h", "..",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z0-9]{1,3}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..8).prop_map(|pieces| pieces.concat())
}

/// Dot-separated labels, mostly of the host-name alphabet, sometimes empty or with a character
/// outside it.
fn source() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        8 => "[a-zA-Z0-9_-]{1,4}",
        1 => Just(String::new()),
        1 => prop::sample::select(vec!["é", " ", ":443", "a/b", "\n", "K"]).prop_map(str::to_owned),
    ];
    prop_oneof![
        4 => prop::collection::vec(label, 1..5).prop_map(|labels| labels.join(".")),
        1 => text(),
    ]
}

/// The patterns of `docs/rules.md` §2.6 as written there, and the host-name grammar of the same section.
struct Reference {
    paid: Regex,
    shop: Regex,
    host: Regex,
}

impl Reference {
    fn new() -> Self {
        Reference {
            paid: Regex::new(r"^(.*cp.*|ppc|retargeting|paid.*)$").unwrap(),
            shop: Regex::new(r"^(.*(([^a-df-z]|^)shop|shopping).*)$").unwrap(),
            host: Regex::new(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$").unwrap(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The paid medium pattern, on a medium as the rules read it (ASCII-lowercased).
    #[test]
    fn paid_medium_is_the_regex(medium in text()) {
        let reference = Reference::new();
        let medium = medium.to_ascii_lowercase();
        prop_assert_eq!(
            is_paid_medium(&medium, medium.contains('\n')),
            reference.paid.is_match(&medium),
            "medium {:?}", medium
        );
    }

    /// The shop pattern, on the campaign as sent: it is matched as its ASCII-lowercase form.
    #[test]
    fn shop_pattern_is_the_regex(campaign in text()) {
        let reference = Reference::new();
        let lower = campaign.to_ascii_lowercase();
        prop_assert_eq!(
            matches_shop_pattern(&campaign),
            reference.shop.is_match(&lower),
            "campaign {:?}", campaign
        );
        // The one-pass scan of rule 1 and of the shop pattern's first test.
        let literal = |needle: &str| Regex::new(&regex::escape(needle)).unwrap().is_match(&lower);
        prop_assert_eq!(
            find_cross_network_and_shop(&campaign),
            (literal("cross-network"), literal("shop")),
            "campaign {:?}", campaign
        );
        for needle in ["video", "mobile", "notification", "cp"] {
            prop_assert_eq!(contains(&lower, needle), literal(needle), "{:?} in {:?}", needle, lower);
        }
    }

    #[test]
    fn host_name_is_the_grammar(source in source()) {
        let reference = Reference::new();
        prop_assert_eq!(is_host_name(&source), reference.host.is_match(&source), "source {:?}", source);
    }
}

/// The generated strings reach both answers of each matcher often enough for the properties
/// above to mean something.
#[test]
fn the_generator_reaches_both_answers() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let reference = Reference::new();
    let mut runner = TestRunner::deterministic();
    let (texts, sources) = (text(), source());
    let mut counts = [[0usize; 2]; 3];
    for _ in 0..2048 {
        let text = texts.new_tree(&mut runner).unwrap().current();
        let source = sources.new_tree(&mut runner).unwrap().current();
        let lower = text.to_ascii_lowercase();
        for (at, matched) in [
            reference.paid.is_match(&lower),
            reference.shop.is_match(&lower),
            reference.host.is_match(&source),
        ]
        .into_iter()
        .enumerate()
        {
            counts[at][usize::from(matched)] += 1;
        }
    }
    for (name, [no, yes]) in ["paid", "shop", "host"].iter().zip(counts) {
        assert!(
            no >= 100 && yes >= 100,
            "{name}: {yes} matches, {no} misses"
        );
    }
}
