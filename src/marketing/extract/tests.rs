//! Tests of `extract`.

#![allow(clippy::type_complexity)] // The test tables are tuples, read row by row.

use super::*;

fn found(url: &str) -> Vec<(String, String, Location)> {
    tracking_params(url)
        .map(|p| (p.key().to_owned(), p.value().to_owned(), p.location()))
        .collect()
}

#[test]
fn locates_query_and_fragment() {
    use Location::{Fragment as F, Query as Q};
    let cases: &[(&str, &[(&str, &str, Location)])] = &[
        ("https://x.com/?utm_source=a", &[("utm_source", "a", Q)]),
        ("x.com/p?utm_source=a&x=1", &[("utm_source", "a", Q)]),
        (
            "?utm_source=a#utm_medium=b",
            &[("utm_source", "a", Q), ("utm_medium", "b", F)],
        ),
        (
            "https://x.com/#/ok?utm_source=fb",
            &[("utm_source", "fb", F)],
        ),
        ("https://x.com/#utm_source=fb", &[("utm_source", "fb", F)]),
        ("https://x.com/#section", &[]),
        ("https://x.com/p", &[]),
        ("utm_source=a", &[]),
        ("", &[]),
        ("?", &[]),
        ("#", &[]),
        ("?#?", &[]),
        ("?a#b?utm_term=x#y", &[("utm_term", "x#y", F)]),
        ("?gclid=A&GCLID=B", &[("gclid", "A", Q), ("gclid", "B", Q)]),
        ("?utm_source=&utm_medium=%20&utm_term=+", &[]),
        ("?utm_source=%20a%20", &[("utm_source", "a", Q)]),
        ("?%75tm_source=a", &[("utm_source", "a", Q)]),
        (
            "?u%74m_source=a&g%63lid=G",
            &[("utm_source", "a", Q), ("gclid", "G", Q)],
        ),
        ("?amp%3Butm_source=a", &[("utm_source", "a", Q)]),
        ("?utm+source=a&utm_source+=b", &[]),
        ("#a?b#utm_source=x", &[]),
        // `docs/rules.md` §2.3: a `=` before the fragment's first `?` makes it pairs, not a route.
        (
            "#utm_source=a?utm_medium=b",
            &[("utm_source", "a?utm_medium=b", F)],
        ),
        ("https://x.com/#utm_source=a?b", &[("utm_source", "a?b", F)]),
        ("#x=1&utm_source=a?b", &[("utm_source", "a?b", F)]),
        ("#/r?x=1?utm_source=a", &[]),
        ("#/r/a?utm_source=a?b", &[("utm_source", "a?b", F)]),
        ("#/r=1/?utm_source=a", &[]),
        (
            "?_kx=K&Mc_Cid=M&gad_source=1&ko_click_id=k",
            &[
                ("_kx", "K", Q),
                ("mc_cid", "M", Q),
                ("gad_source", "1", Q),
                ("ko_click_id", "k", Q),
            ],
        ),
        (
            "#qclid=q&YCLID=y&irclid=i",
            &[("qclid", "q", F), ("yclid", "y", F), ("irclid", "i", F)],
        ),
        ("?amp;amp;utm_source=a", &[("utm_source", "a", Q)]),
        ("?AMP;utm_source=a", &[("utm_source", "a", Q)]),
        ("?amp;=a&amp;x=b", &[]),
        ("?utm_source", &[]),
        (
            "?msclkid=m&epik=e",
            &[("msclkid", "m", Q), ("epik", "e", Q)],
        ),
    ];
    for (url, expected) in cases {
        let expected: Vec<_> = expected
            .iter()
            .map(|(k, v, l)| ((*k).to_owned(), (*v).to_owned(), *l))
            .collect();
        assert_eq!(found(url), expected, "row {url:?}");
    }
}

#[test]
fn the_prefilter_admits_every_name_recognised() {
    let names = super::super::keys::FIXED
        .iter()
        .map(|fixed| fixed.name)
        .chain([
            "utm_x",
            "wegly_x",
            "amp;x",
            "%75tm_source",
            "u%74m_source",
            "g%63lid",
        ]);
    for name in names {
        for variant in [name.to_owned(), name.to_ascii_uppercase()] {
            assert!(might_start_a_key(variant.as_bytes()), "{variant}");
        }
    }
    for rejected in ["ad_id", "campaign_id", "placement", "lang", "x", "", "+utm"] {
        assert!(!might_start_a_key(rejected.as_bytes()), "{rejected}");
    }
    let url_conversion: Vec<_> = tracking_params("?url_conversion=x")
        .map(|p| p.key().to_owned())
        .collect();
    assert_eq!(url_conversion, ["url_conversion"]);
}

#[test]
fn double_encoded_urls_are_decoded_once() {
    let url = "https%3A%2F%2Fx.com%2Fp%3Futm_source%3Dnews%2520letter%26gclid%3DAb";
    let params: Vec<_> = tracking_params(url).collect();
    assert_eq!(params.len(), 2);
    assert_eq!(params[0].value(), "news letter");
    assert!(params[0].repairs().double_encoded_url());
    // A raw `?` means the URL is not double-encoded, whatever it contains.
    assert!(!tracking_params("https://x.com/?to=%3Futm_source%3Da").double_encoded());
    assert!(!tracking_params("https://x.com/p%3").double_encoded());
}

#[test]
fn raw_value_ranges_point_into_the_source() {
    let url = "https://x.com/?a=1&gclid=XYZ#fbclid=F";
    let ranges: Vec<_> = tracking_params(url)
        .map(|p| url.get(p.raw_value()).unwrap().to_owned())
        .collect();
    assert_eq!(ranges, ["XYZ", "F"]);
}

#[test]
fn borrows_when_nothing_is_decoded() {
    for p in tracking_params("https://x.com/?utm_source=a&gclid=B&amp;utm_medium=c") {
        assert!(matches!(p.into_value(), Cow::Borrowed(_)));
    }
}
