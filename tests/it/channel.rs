//! The channel view (SPEC 2.6): the sample URLs against a golden file checked by hand, and the
//! property that the channel depends on source, medium, campaign and click ids alone, not on
//! where in the payload or URL they were found.

use proptest::prelude::*;
use serde_json::{Map, Value};
use wegly_attribution::{Channel, ChannelRules, Marketing, Normalizer, Platform};

use crate::properties::percent_encode_all;

/// `tests/data/urls.channels` holds the expected channel code of each line of
/// `examples/urls.txt`, worked out by hand from SPEC 2.6's table. A blank line of `urls.txt`,
/// if one is ever added, is a conversion with no URL: its expected code is `direct`.
#[test]
fn sample_urls_match_the_golden_file() {
    let urls = include_str!("../../examples/urls.txt");
    let expected = include_str!("../data/urls.channels");
    let urls: Vec<&str> = urls.lines().collect();
    let expected: Vec<&str> = expected.lines().collect();
    assert_eq!(
        urls.len(),
        expected.len(),
        "urls.channels needs one line per line of urls.txt"
    );
    let mut wrong = Vec::new();
    for (i, (url, expected)) in urls.iter().zip(&expected).enumerate() {
        let n = Marketing::from_url(url);
        let found = n.marketing.channel();
        if found.channel.as_str() != *expected {
            wrong.push(format!(
                "line {}: expected {expected}, found {} (source {:?}, medium {:?}): {url}",
                i + 1,
                found.channel,
                found.source,
                found.medium
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every code in the file is a real one.
    for (i, code) in expected.iter().enumerate() {
        assert!(
            Channel::ALL.iter().any(|c| c.as_str() == *code),
            "line {}: no channel {code:?}",
            i + 1
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The channel is a function of source, medium, campaign and click ids.

/// Values that reach many rules: listed sources in several spellings, paid and unpaid media,
/// campaigns for rules 1, 2 and 8, white space and case.
fn value() -> impl Strategy<Value = Option<String>> {
    let text = prop::sample::select(vec![
        "google",
        " Google ",
        "google.com.br",
        "googleads",
        "l.facebook.com",
        "facebook",
        "x.lnkd.in",
        "YouTube",
        "mercadolivre",
        "google shopping",
        "whatsapp",
        "firebase",
        "newsletter",
        "cpc",
        "CPC",
        "paid_social",
        "display",
        "social",
        "organic",
        "email",
        "e mail",
        "sms",
        "referral",
        "affiliate",
        "audio",
        "web-push",
        "video",
        "cross-network-br",
        "eshop",
        "myshop",
        "Shopping-Natal",
        "bf 2025",
        "ação",
        "a&b=c",
    ]);
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(String::new())),
        6 => text.prop_map(|t| Some(t.to_owned())),
    ]
}

/// The same tracking data: source, medium, campaign and a set of click ids (with values).
#[derive(Debug, Clone)]
struct Tracking {
    source: Option<String>,
    medium: Option<String>,
    campaign: Option<String>,
    clicks: Vec<(&'static str, String)>,
}

fn tracking() -> impl Strategy<Value = Tracking> {
    let clicks = prop::sample::subsequence(
        Platform::CLICK_PARAMS
            .iter()
            .map(|(param, _)| *param)
            .collect::<Vec<_>>(),
        0..4,
    )
    .prop_flat_map(|names| {
        let n = names.len();
        (Just(names), prop::collection::vec("[A-Za-z0-9_-]{1,6}", n))
    })
    .prop_map(|(names, values)| names.into_iter().zip(values).collect());
    (value(), value(), value(), clicks).prop_map(|(source, medium, campaign, clicks)| Tracking {
        source,
        medium,
        campaign,
        clicks,
    })
}

/// Where and how the pairs are written.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// `?k=v&…`, in order.
    Query,
    /// `#k=v&…`.
    Fragment,
    /// `#/route?k=v&…`, a hash router.
    HashRoute,
    /// The pairs reversed, with upper-case names and non-tracking pairs between them.
    Shuffled,
    /// `wegly_` names instead of `utm_` ones.
    Wegly,
    /// Source, medium, campaign, `gclid` and `fbclid` as explicit JSON members, the other
    /// click ids in the URL.
    Explicit,
}

const SHAPES: &[Shape] = &[
    Shape::Query,
    Shape::Fragment,
    Shape::HashRoute,
    Shape::Shuffled,
    Shape::Wegly,
    Shape::Explicit,
];

fn pairs(t: &Tracking, prefix: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (name, value) in [
        ("source", &t.source),
        ("medium", &t.medium),
        ("campaign", &t.campaign),
    ] {
        if let Some(value) = value {
            pairs.push((format!("{prefix}{name}"), value.clone()));
        }
    }
    for (name, value) in &t.clicks {
        pairs.push(((*name).to_owned(), value.clone()));
    }
    pairs
}

fn join(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode_all(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn marketing(t: &Tracking, shape: Shape) -> Marketing {
    let base = "https://lp.example.com.br/obrigado";
    let url = match shape {
        Shape::Query => format!("{base}?{}", join(&pairs(t, "utm_"))),
        Shape::Fragment => format!("{base}#{}", join(&pairs(t, "utm_"))),
        Shape::HashRoute => format!("{base}#/ok?{}", join(&pairs(t, "utm_"))),
        Shape::Wegly => format!("{base}?{}", join(&pairs(t, "wegly_"))),
        Shape::Shuffled => {
            let mut mixed = Vec::new();
            for (k, v) in pairs(t, "utm_").into_iter().rev() {
                mixed.push(("ref".to_owned(), "home".to_owned()));
                mixed.push((k.to_ascii_uppercase(), v));
            }
            mixed.push(("utm_content".to_owned(), "ad-1".to_owned()));
            format!("{base}?lang=pt&{}", join(&mixed))
        }
        Shape::Explicit => {
            let mut object = Map::new();
            let mut in_url = Vec::new();
            for (k, v) in pairs(t, "utm_") {
                if k.starts_with("utm_") || k == "gclid" || k == "fbclid" {
                    object.insert(k, Value::String(v));
                } else {
                    in_url.push((k, v));
                }
            }
            object.insert(
                "url_conversion".to_owned(),
                Value::String(format!("{base}?{}", join(&in_url))),
            );
            return Normalizer::new()
                .normalize(&Value::Object(object))
                .unwrap()
                .marketing;
        }
    };
    Marketing::from_url(&url).marketing
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_channel_depends_on_the_tracking_data_alone(t in tracking()) {
        let rules = ChannelRules::new();
        let expected = rules.attribute(
            t.source.as_deref(),
            t.medium.as_deref(),
            t.campaign.as_deref(),
            t.clicks.iter().map(|(name, _)| *name),
        );
        for &shape in SHAPES {
            let m = marketing(&t, shape);
            let found = m.channel();
            prop_assert_eq!(&found, &expected, "shape {:?}", shape);
            // Normalizing again changes nothing.
            let again = Marketing::normalize(&serde_json::to_value(&m).unwrap()).unwrap().marketing;
            prop_assert_eq!(&again.channel(), &expected, "shape {:?}, twice", shape);
        }
    }
}

/// The generator reaches every channel, so the property above is about more than `direct`.
#[test]
fn the_generator_reaches_every_channel() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeSet;

    let mut runner = TestRunner::deterministic();
    let strategy = tracking();
    let rules = ChannelRules::new();
    let mut seen = BTreeSet::new();
    for _ in 0..2000 {
        let t = strategy.new_tree(&mut runner).unwrap().current();
        let found = rules.attribute(
            t.source.as_deref(),
            t.medium.as_deref(),
            t.campaign.as_deref(),
            t.clicks.iter().map(|(name, _)| *name),
        );
        seen.insert(found.channel);
    }
    let missing: Vec<&str> = Channel::ALL
        .iter()
        .filter(|c| !seen.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.len() <= 2,
        "the generator never reaches {missing:?}"
    );
}
