//! Rule-by-rule and warning-by-warning tests of the marketing engine.
#![allow(clippy::type_complexity)] // The test tables are tuples, read row by row.

use serde_json::{Value, json};

use super::*;
use crate::{Catalog, ErrorCode, LeadSource, Lookup, WarningCode};

fn fields(normalized: &Normalized) -> Vec<(String, String)> {
    normalized
        .marketing
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn codes(normalized: &Normalized) -> Vec<(&'static str, String)> {
    normalized
        .warnings
        .iter()
        .map(|w| (w.code().as_str(), w.path().to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn the_five_rules() {
    let cases: &[(&str, Value, &[(&str, &str)])] = &[
        (
            "rule 1: trims and drops empties",
            json!({"utm_source": " \u{feff}google\u{a0}\n", "utm_medium": "   ", "gclid": null}),
            &[("utm_source", "google"), ("wegly_source", "google")],
        ),
        (
            "rule 2: extraction fills absent keys only",
            json!({"utm_source": "explicit", "url_conversion": " /p?utm_source=url&utm_medium=cpc "}),
            &[
                ("url_conversion", "/p?utm_source=url&utm_medium=cpc"),
                ("utm_medium", "cpc"),
                ("utm_source", "explicit"),
                ("wegly_medium", "cpc"),
                ("wegly_source", "explicit"),
            ],
        ),
        (
            "rule 2: url_conversion in the URL is not a tracking value",
            json!({"url_conversion": "/p?url_conversion=other"}),
            &[("url_conversion", "/p?url_conversion=other")],
        ),
        (
            "rule 2: only gclid and fbclid among click ids",
            json!({"url_conversion": "/p?gclid=G&fbclid=F&msclkid=M&ttclid=T"}),
            &[
                ("fbclid", "F"),
                ("gclid", "G"),
                ("url_conversion", "/p?gclid=G&fbclid=F&msclkid=M&ttclid=T"),
            ],
        ),
        (
            "rule 3: utm to wegly, open key set, explicit twin wins",
            json!({"utm_creative_format": "video", "utm_campaign": "a", "wegly_campaign": "b"}),
            &[
                ("utm_campaign", "a"),
                ("utm_creative_format", "video"),
                ("wegly_campaign", "b"),
                ("wegly_creative_format", "video"),
            ],
        ),
        (
            "rule 3 skips utm_term and utm_search_term; rule 4 maps the term",
            json!({"utm_term": "crm"}),
            &[("utm_search_term", "crm"), ("utm_term", "crm")],
        ),
        (
            "rule 4 keeps an explicit utm_search_term",
            json!({"utm_term": "crm", "utm_search_term": "crm grátis"}),
            &[("utm_search_term", "crm grátis"), ("utm_term", "crm")],
        ),
        (
            "rules 3 and 4 see extracted values",
            json!({"url_conversion": "/p?UTM_TERM=x&Utm_Id=7"}),
            &[
                ("url_conversion", "/p?UTM_TERM=x&Utm_Id=7"),
                ("utm_id", "7"),
                ("utm_search_term", "x"),
                ("utm_term", "x"),
                ("wegly_id", "7"),
            ],
        ),
        (
            "values keep their case",
            json!({"url_conversion": "?UTM_Source=Google&gclid=AbC"}),
            &[
                ("gclid", "AbC"),
                ("url_conversion", "?UTM_Source=Google&gclid=AbC"),
                ("utm_source", "Google"),
                ("wegly_source", "Google"),
            ],
        ),
    ];
    for (name, input, expected) in cases {
        let normalized = Normalized::normalize(input).unwrap();
        assert_eq!(fields(&normalized), pairs(expected), "row {name}");
        assert!(normalized.warnings.is_empty(), "row {name}: {normalized:?}");
    }
}

#[test]
fn each_warning_code() {
    let long = "x".repeat(1001);
    let url_long = format!("/p?utm_content={long}");
    let cases: Vec<(&str, Value, Vec<(&str, &str)>)> = vec![
        (
            "ignored_field",
            json!({"referrer": "x", "UTM_SOURCE": "y"}),
            vec![
                ("ignored_field", "/UTM_SOURCE"),
                ("ignored_field", "/referrer"),
            ],
        ),
        (
            "duplicate_param",
            json!({"url_conversion": "/p?utm_source=a&utm_source=a&UTM_SOURCE=b"}),
            vec![("duplicate_param", "/url_conversion")],
        ),
        (
            "param_in_fragment",
            json!({"url_conversion": "/p?utm_source=q#/ok?utm_source=f&utm_medium=m"}),
            vec![
                ("duplicate_param", "/url_conversion"),
                ("param_in_fragment", "/url_conversion"),
            ],
        ),
        (
            "html_escaped_separator",
            json!({"url_conversion": "/p?utm_source=g&amp;utm_medium=cpc"}),
            vec![("html_escaped_separator", "/url_conversion")],
        ),
        (
            "double_encoded_url",
            json!({"url_conversion": "https%3A%2F%2Fx.com%2Fp%3Futm_source%3Da"}),
            vec![("double_encoded_url", "/url_conversion")],
        ),
        (
            "invalid_percent_encoding",
            json!({"url_conversion": "/p?utm_campaign=50%off"}),
            vec![("invalid_percent_encoding", "/url_conversion")],
        ),
        (
            "invalid_utf8",
            json!({"url_conversion": "/p?utm_content=%FF%FEx"}),
            vec![("invalid_utf8", "/url_conversion")],
        ),
        (
            "value_too_long, explicit",
            json!({"utm_content": long}),
            vec![("value_too_long", "/utm_content")],
        ),
        (
            "value_too_long, from the URL",
            json!({"url_conversion": url_long}),
            vec![("value_too_long", "/url_conversion")],
        ),
    ];
    for (name, input, expected) in cases {
        let normalized = Normalized::normalize(&input).unwrap();
        let expected: Vec<_> = expected
            .into_iter()
            .map(|(c, p)| (c, p.to_owned()))
            .collect();
        assert_eq!(codes(&normalized), expected, "row {name}");
    }
}

#[test]
fn repaired_values() {
    let cases: &[(&str, &str, &str)] = &[
        ("/p?utm_campaign=50%off", "utm_campaign", "50%off"),
        ("/p?utm_content=%FF%FEx", "utm_content", "\u{fffd}\u{fffd}x"),
        ("/p?x=1&amp;utm_medium=cpc", "utm_medium", "cpc"),
        (
            "https%3A%2F%2Fx.com%2Fp%3Futm_source%3Dnews%2Bletter",
            "utm_source",
            "news letter",
        ),
        ("/#utm_source=fb", "utm_source", "fb"),
        (
            "/p?utm_campaign=promo%C3%A7%C3%A3o+de+natal",
            "utm_campaign",
            "promoção de natal",
        ),
        ("/p?utm_source=&utm_source=second", "utm_source", "second"),
    ];
    for (url, key, value) in cases {
        let normalized = Normalized::from_url(url);
        assert_eq!(normalized.marketing.get(key), Some(*value), "row {url}");
    }
}

#[test]
fn a_repair_that_fills_nothing_warns_nothing() {
    let urls = [
        "/p?utm_source=a&utm_source=b",
        "/p#utm_source=a",
        "/p?amp;utm_source=a",
        "/p?utm_source=50%off",
        "/p?utm_source=%FF",
        "https%3A%2F%2Fx.com%2Fp%3Futm_source%3Da",
    ];
    for url in urls {
        let input = json!({"url_conversion": url, "utm_source": "explicit"});
        let normalized = Normalized::normalize(&input).unwrap();
        assert_eq!(normalized.warnings, [], "row {url}");
        assert_eq!(normalized.marketing.get("utm_source"), Some("explicit"));
    }
}

#[test]
fn wrong_types_are_errors_and_every_one_is_reported() {
    let input = json!({"utm_source": 42, "gclid": ["a"], "utm_medium": "ok", "x": 1});
    let rejected = Normalized::normalize(&input).unwrap_err();
    let errors: Vec<_> = rejected
        .errors
        .iter()
        .map(|e| (e.code(), e.path().to_string()))
        .collect();
    assert_eq!(
        errors,
        [
            (ErrorCode::InvalidType, "/gclid".to_owned()),
            (ErrorCode::InvalidType, "/utm_source".to_owned())
        ]
    );
    assert_eq!(rejected.warnings.len(), 1);
    assert_eq!(
        rejected.errors[1].to_string(),
        "invalid_type at /utm_source: expected a string, found a number"
    );
    let not_object = Normalized::normalize(&json!("utm_source=x")).unwrap_err();
    assert_eq!(not_object.errors[0].path(), "");
    assert_eq!(not_object.errors[0].code(), ErrorCode::InvalidType);
}

#[test]
fn the_limit_is_configurable_and_counts_characters() {
    let value = "ç".repeat(10); // 20 bytes, 10 characters
    let input = json!({ "utm_source": value, "url_conversion": format!("/p?{}", "a".repeat(50)) });
    let at_limit = Normalizer::new()
        .max_value_chars(10)
        .normalize(&input)
        .unwrap();
    assert_eq!(at_limit.marketing.get("utm_source"), Some(value.as_str()));
    let over = Normalizer::new()
        .max_value_chars(9)
        .normalize(&input)
        .unwrap();
    assert_eq!(over.marketing.get("utm_source"), None);
    assert_eq!(over.warnings[0].code(), WarningCode::ValueTooLong);
    // url_conversion has no limit.
    assert!(over.marketing.url_conversion().is_some());
}

struct Trackers;

impl Catalog for Trackers {
    fn tracker(&self, code: &str) -> Lookup<LeadSource> {
        match code {
            "OPP123" => Lookup::Found(LeadSource::Named("Evento".into())),
            _ => Lookup::NotFound,
        }
    }
}

#[test]
fn rule_5_tracker() {
    let known = json!({"url_conversion": "/p?wegly_code=OPP123"});
    let unknown = json!({"wegly_code": "NOPE"});
    let evento = LeadSource::Named("Evento".into());
    let other = LeadSource::Named("Google Ads".into());
    let with = Normalizer::new().catalog(Trackers);

    let filled = with.normalize(&known).unwrap();
    assert_eq!(filled.lead_source, Some(evento.clone()));
    assert!(filled.warnings.is_empty());

    let same = with
        .normalize_with_lead_source(&known, Some(&evento))
        .unwrap();
    assert_eq!((same.lead_source, same.warnings.len()), (None, 0));

    let conflict = with
        .normalize_with_lead_source(&known, Some(&other))
        .unwrap();
    assert_eq!(conflict.lead_source, None);
    assert_eq!(conflict.warnings[0].code(), WarningCode::LeadSourceConflict);
    assert_eq!(conflict.warnings[0].path(), "/lead_source/name");

    let missing = with.normalize(&unknown).unwrap();
    assert_eq!(missing.warnings[0].code(), WarningCode::UnknownTracker);
    assert_eq!(missing.warnings[0].path(), "/wegly_code");

    // Without a catalog rule 5 is skipped, silently.
    let skipped = Normalized::normalize(&unknown).unwrap();
    assert_eq!((skipped.lead_source, skipped.warnings.len()), (None, 0));
}

#[test]
fn spec_urls() {
    let seed = Normalized::from_url(
        "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ",
    );
    assert_eq!(seed.marketing.get("wegly_code"), Some("OPP123"));
    assert_eq!(seed.marketing.get("utm_campaign"), Some("crm-enterprise"));
    assert_eq!(seed.marketing.get("wegly_campaign"), Some("crm-enterprise"));
    assert_eq!(seed.marketing.get("gclid"), Some("XYZ"));
    assert_eq!(seed.marketing.len(), 5);
    assert!(seed.warnings.is_empty());

    let mixed = Normalized::from_url("?UTM_Source=Google&gclid=AbC");
    assert_eq!(mixed.marketing.get("gclid"), Some("AbC"));
    assert_eq!(mixed.marketing.get("wegly_source"), Some("Google"));

    let router = Normalized::from_url("#/obrigado?utm_source=fb");
    assert_eq!(router.marketing.get("utm_source"), Some("fb"));
    assert_eq!(router.warnings[0].code(), WarningCode::ParamInFragment);

    let no_scheme = Normalized::from_url("landing.example.com/obrigado?utm_source=x");
    assert_eq!(no_scheme.marketing.get("utm_source"), Some("x"));
}

#[test]
fn click_ids_and_redaction() {
    let n = Normalizer::new()
        .normalize(&json!({
            "gclid": "Explicit",
            "url_conversion": "/p?gclid=FromUrl&li_fat_id=L&TTCLID=T#rdt_cid=R"
        }))
        .unwrap();
    let ids: Vec<_> = n
        .marketing
        .click_ids()
        .map(|c| (c.param, c.platform.as_str(), c.value))
        .collect();
    let expected = [
        ("gclid", "google", "Explicit"),
        ("li_fat_id", "linkedin", "L"),
        ("ttclid", "tiktok", "T"),
        ("rdt_cid", "reddit", "R"),
    ];
    assert_eq!(ids, expected);
    // The same, for a marketing object read back as it is (its click ids found again).
    let back: Marketing =
        serde_json::from_value(serde_json::to_value(&n.marketing).unwrap()).unwrap();
    assert!(back.click_ids().eq(n.marketing.click_ids()));
    assert_eq!(back.redacted_url(), n.marketing.redacted_url());
    assert_eq!(
        n.marketing.redacted_url().unwrap(),
        "/p?gclid=REDACTED&li_fat_id=REDACTED&TTCLID=REDACTED#rdt_cid=REDACTED"
    );
    assert_eq!(
        redact_click_ids("https%3A%2F%2Fx.com%2Fp%3Fgclid%3DSECRET"),
        "https://x.com/p?gclid=REDACTED"
    );
    // The click ids of `docs/rules.md` §2.5's second column; `_kx` and `mc_cid` name a person or a
    // mailing, and are masked like the ad clicks.
    let url = "/p?_kx=Person.Id&MC_CID=abc123&mc_eid=e&gad_source=1&qclid=Q&yclid=Y&irclid=I\
               &ko_click_id=K&ref=x";
    let n = Normalized::from_url(url);
    let ids: Vec<_> = n
        .marketing
        .click_ids()
        .map(|c| (c.param, c.platform.as_str(), c.value))
        .collect();
    let expected = [
        ("_kx", "klaviyo", "Person.Id"),
        ("mc_cid", "mailchimp", "abc123"),
        ("gad_source", "google", "1"),
        ("qclid", "quora", "Q"),
        ("yclid", "yandex", "Y"),
        ("irclid", "impact", "I"),
        ("ko_click_id", "kochava", "K"),
    ];
    assert_eq!(ids, expected);
    let redacted = "/p?_kx=REDACTED&MC_CID=REDACTED&mc_eid=e&gad_source=REDACTED&qclid=REDACTED\
                    &yclid=REDACTED&irclid=REDACTED&ko_click_id=REDACTED&ref=x";
    assert_eq!(n.marketing.redacted_url().as_deref(), Some(redacted));
    assert_eq!(redact_click_ids(url), redacted);
}

#[test]
fn reading_back_refuses_what_normalization_never_writes() {
    let cases: &[(&str, &str)] = &[
        (r#"{"referrer": "x"}"#, "not a tracking key"),
        (r#"{"utm_source": " x"}"#, "not trimmed or is empty"),
        (r#"{"utm_source": ""}"#, "not trimmed or is empty"),
        (r#"{"utm_source": "a", "utm_source": "b"}"#, "repeated"),
        (r#"{"utm_source": 1}"#, "invalid type"),
    ];
    for (json, expected) in cases {
        let err = serde_json::from_str::<Marketing>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{json}: {err}");
    }
    let back: Marketing =
        serde_json::from_str(r#"{"wegly_source": "a", "utm_source": "a"}"#).unwrap();
    let keys: Vec<&str> = back.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["utm_source", "wegly_source"], "sorted as written");
}
