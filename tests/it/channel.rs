//! The channel view (`docs/rules.md` §2.6): the sample URLs against a golden file checked by hand, and the
//! property that the channel depends on source, medium, campaign and click ids alone, not on
//! where in the payload or URL they were found.

use proptest::prelude::*;
use serde_json::{Map, Value};
use wegly_attribution::{
    Channel, ChannelRules, Marketing, Normalized, Normalizer, Platform, Touch,
};

use crate::properties::percent_encode_all;

/// `tests/data/urls.channels` holds the expected channel code of each line of
/// `examples/urls.txt`, worked out by hand from `docs/rules.md` §2.6's table. A blank line of `urls.txt`,
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
        let n = Normalized::from_url(url);
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
        "chatgpt.com",
        "www.perplexity.ai",
        "ai-assistant",
        "line.me",
        "pt-br.facebook.com",
        "lista.mercadolivre.com.br",
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
    Marketing::from_url(&url)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_channel_depends_on_the_tracking_data_alone(t in tracking()) {
        let rules = ChannelRules::new();
        let clicks: Vec<&str> = t.clicks.iter().map(|(name, _)| *name).collect();
        let expected = rules.attribute(&Touch { source: t.source.as_deref(), medium: t.medium.as_deref(), campaign: t.campaign.as_deref(), click_params: &clicks });
        for &shape in SHAPES {
            let m = marketing(&t, shape);
            let found = m.channel();
            prop_assert_eq!(&found, &expected, "shape {:?}", shape);
            // Normalizing again changes nothing.
            let again = Normalized::normalize(&serde_json::to_value(&m).unwrap()).unwrap().marketing;
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
        let clicks: Vec<&str> = t.clicks.iter().map(|(name, _)| *name).collect();
        let found = rules.attribute(&Touch {
            source: t.source.as_deref(),
            medium: t.medium.as_deref(),
            campaign: t.campaign.as_deref(),
            click_params: &clicks,
        });
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

// ---------------------------------------------------------------------------------------------
// The lists, row by row.

/// The rows of one of the lists' CSV files, the crate's copy, after checking that it is the
/// shared one when the checkout has `../shared/data/`.
fn list_rows(name: &str) -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let ours = std::fs::read_to_string(format!("{root}/data/{name}")).unwrap();
    if let Ok(shared) = std::fs::read_to_string(format!("{root}/../shared/data/{name}")) {
        assert_eq!(
            ours, shared,
            "data/{name} is not ../shared/data/{name}: copy it again"
        );
    }
    ours.lines()
        .skip(1)
        .map(|line| {
            let (a, b) = line.split_once(',').unwrap();
            (a.to_owned(), b.to_owned())
        })
        .collect()
}

/// Every source of GA4's list gives its category's channels, paid and organic, in the case of
/// the file and in upper case; every AI assistant's source gives `ai_assistant`, and so does
/// a subdomain of a dotted one.
#[test]
fn every_listed_source_gives_its_channel() {
    let rules = ChannelRules::new();
    let ga4 = list_rows("ga4_source_categories.csv");
    assert_eq!(ga4.len(), 819);
    for (source, category) in &ga4 {
        let (paid, organic) = match category.as_str() {
            "SOURCE_CATEGORY_SEARCH" => (Channel::PaidSearch, Channel::OrganicSearch),
            "SOURCE_CATEGORY_SOCIAL" => (Channel::PaidSocial, Channel::OrganicSocial),
            "SOURCE_CATEGORY_VIDEO" => (Channel::PaidVideo, Channel::OrganicVideo),
            "SOURCE_CATEGORY_SHOPPING" => (Channel::PaidShopping, Channel::OrganicShopping),
            other => panic!("{source}: unknown category {other}"),
        };
        for source in [source.clone(), source.to_ascii_uppercase()] {
            let found = |medium| {
                rules.attribute(&Touch {
                    source: Some(&source),
                    medium: Some(medium),
                    ..Touch::default()
                })
            };
            assert_eq!(found("cpc").channel, paid, "{source} cpc");
            assert_eq!(found("referral").channel, organic, "{source} referral");
        }
    }
    let ai = list_rows("ai_assistants.csv");
    assert_eq!(ai.len(), 30);
    for (source, _) in &ai {
        let found = rules.attribute(&Touch {
            source: Some(source),
            medium: Some("referral"),
            ..Touch::default()
        });
        assert_eq!(found.channel, Channel::AiAssistant, "{source}");
        if source.contains('.') {
            let sub = format!("www.{source}");
            let found = rules.attribute(&Touch {
                source: Some(&sub),
                medium: Some("referral"),
                ..Touch::default()
            });
            assert_eq!(found.channel, Channel::AiAssistant, "{sub}");
        }
    }
}

/// A caller's entry, in every list: it counts as the project's (so a one-label entry matches a
/// label), GA4's entry wins where both hold one, and the AI assistants' list wins over all.
#[test]
fn a_callers_entries_count_as_the_projects() {
    let rules = ChannelRules::new()
        .ai_assistant_source("assistente.example.com.br")
        .search_source("kagi")
        .social_source("bsky.app")
        .video_source("kick")
        .shopping_source("netshoes")
        // GA4 says social: GA4 wins.
        .shopping_source("quora")
        // The AI list wins over GA4's *search*.
        .ai_assistant_source("yahoo.co.jp");
    let cases = [
        ("assistente.example.com.br", Channel::AiAssistant),
        ("app.assistente.example.com.br", Channel::AiAssistant),
        ("www.kagi.com", Channel::OrganicSearch),
        ("go.bsky.app", Channel::OrganicSocial),
        ("kick.com", Channel::OrganicVideo),
        ("netshoes.com.br", Channel::OrganicShopping),
        ("quora", Channel::OrganicSocial),
        ("yahoo.co.jp", Channel::AiAssistant),
        ("chatgpt.com", Channel::AiAssistant),
        ("line.me", Channel::OrganicSocial),
    ];
    for (source, expected) in cases {
        let found = rules.attribute(&Touch {
            source: Some(source),
            medium: Some("referral"),
            ..Touch::default()
        });
        assert_eq!(found.channel, expected, "{source}");
    }
}
