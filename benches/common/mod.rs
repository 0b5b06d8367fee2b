//! What the benches share: the corpus of `benches/data/`, this crate's extraction, the peers'
//! (`url`, `form_urlencoded`, a `memchr` floor) with the same semantics, the create-deal
//! payload as plain serde structs, and the seed payload built in Rust (the builder, and the
//! same values moved into the plain structs).
//!
//! `extract.rs` times them with criterion; `counts.rs` runs one of them a given number of times
//! so that `report.sh` can count its instructions with callgrind.

// Benches assert their results, loudly; not every bench uses every item.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

use std::borrow::Cow;
use std::collections::HashMap;

use memchr::{memchr, memchr_iter};
use serde::Deserialize;
use url::Url;
use wegly_attribution::jiff::Timestamp;
use wegly_attribution::{
    Contact, CreateDealRequest, Follower, LeadSource, Money, NewPerson, Note, Organization,
    Platform, QualityRating, Rejected, Temperature, Validated, Visibility, is_tracking_key,
    tracking_params,
};

/// The URLs of `benches/data/`, by group name.
pub(crate) const URLS: &[(&str, &str)] = &[
    ("seed", include_str!("../data/seed.txt")),
    ("meta_ad", include_str!("../data/meta_ad.txt")),
    ("google_ads", include_str!("../data/google_ads.txt")),
    ("encoded", include_str!("../data/encoded.txt")),
    ("hash_router", include_str!("../data/hash_router.txt")),
    ("plain", include_str!("../data/plain.txt")),
];

/// The create-deal payloads of `benches/data/`, by group name.
pub(crate) const DEALS: &[(&str, &[u8])] = &[
    ("seed", include_bytes!("../data/seed_deal.json")),
    ("large", include_bytes!("../data/large_deal.json")),
    // The seed payload with a 160-byte `url_conversion` and three explicit marketing fields.
    ("long_url", include_bytes!("../data/long_url_deal.json")),
];

/// What an extraction found: how many parameters and the total length of their values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) count: usize,
    pub(crate) value_bytes: usize,
}

impl Found {
    fn add(&mut self, value: &str) {
        self.count += 1;
        self.value_bytes += value.len();
    }
}

/// Ours: every parameter consumed, every value touched.
pub(crate) fn wegly(url: &str) -> Found {
    let mut found = Found::default();
    for param in tracking_params(url) {
        found.add(param.value());
    }
    found
}

/// The peers' filter, the same semantics as ours: `amp;` prefixes stripped, the name matched
/// ASCII-case-insensitively against the tracking keys and click ids, the value trimmed and
/// not empty.
fn keep_pairs<'a>(pairs: impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>)>, found: &mut Found) {
    for (name, value) in pairs {
        if !wanted(&name) {
            continue;
        }
        let value = value.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if !value.is_empty() {
            found.add(value);
        }
    }
}

fn wanted(mut name: &str) -> bool {
    while name.len() >= 4 && name.is_char_boundary(4) && name[..4].eq_ignore_ascii_case("amp;") {
        name = &name[4..];
    }
    // The click ids of `docs/rules.md` §2.5, which `tracking_params` yields besides the tracking
    // keys.
    let known = |name: &str| {
        is_tracking_key(name)
            || Platform::CLICK_PARAMS
                .iter()
                .any(|(param, _)| *param == name)
    };
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        known(&name.to_ascii_lowercase())
    } else {
        known(name)
    }
}

/// The parameters of a fragment: after its `?` for a hash route (no `=` before that `?`), else
/// the whole fragment (`docs/rules.md` §2.3's ruling: `#utm_source=a?b` gives `a?b`).
fn fragment_params(fragment: &str) -> &str {
    match fragment.split_once('?') {
        Some((route, query)) if !route.contains('=') => query,
        _ => fragment,
    }
}

/// `url`: a full WHATWG parse, then its `query_pairs`, then the fragment's pairs.
pub(crate) fn with_url(input: &str, base: &Url) -> Found {
    let parsed = match Url::parse(input) {
        Ok(parsed) => parsed,
        // A URL without a scheme is read relative to a placeholder base.
        Err(url::ParseError::RelativeUrlWithoutBase) => base.join(input).unwrap(),
        Err(err) => panic!("{input}: {err}"),
    };
    let mut found = Found::default();
    keep_pairs(parsed.query_pairs(), &mut found);
    if let Some(fragment) = parsed.fragment() {
        keep_pairs(
            url::form_urlencoded::parse(fragment_params(fragment).as_bytes()),
            &mut found,
        );
    }
    found
}

/// `form_urlencoded`: the query and fragment found by hand, then `form_urlencoded::parse`.
pub(crate) fn with_form_urlencoded(input: &str) -> Found {
    let bytes = input.as_bytes();
    let hash = memchr(b'#', bytes);
    let head = &input[..hash.unwrap_or(input.len())];
    let mut found = Found::default();
    if let Some(q) = memchr(b'?', head.as_bytes()) {
        keep_pairs(
            form_urlencoded::parse(&head.as_bytes()[q + 1..]),
            &mut found,
        );
    }
    if let Some(h) = hash {
        let fragment = fragment_params(&input[h + 1..]);
        keep_pairs(form_urlencoded::parse(fragment.as_bytes()), &mut found);
    }
    found
}

/// The floor: every byte touched once (the `&` count) plus the `?` and `#` search.
pub(crate) fn memchr_floor(input: &str) -> (usize, Option<usize>, Option<usize>) {
    let bytes = input.as_bytes();
    let amps = memchr_iter(b'&', bytes).count();
    (amps, memchr(b'?', bytes), memchr(b'#', bytes))
}

/// The create-deal payload as plain serde structs: no validation, no normalization.
#[derive(Deserialize)]
#[allow(dead_code)] // Parsed to be measured, not read.
pub(crate) struct PlainDeal {
    pub(crate) title: String,
    stage_id: Option<String>,
    responsible_id: Option<String>,
    quality_rating: Option<u8>,
    quality_reason: Option<String>,
    value: Option<f64>,
    expected_close_date: Option<String>,
    visibility: Option<u8>,
    temperature: Option<u8>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    persons_id: Vec<PlainId>,
    person: Option<PlainPerson>,
    primary_person_id: Option<String>,
    organization_id: Option<String>,
    organization: Option<PlainNamed>,
    #[serde(default)]
    custom_fields: Vec<PlainCustomField>,
    marketing: Option<HashMap<String, String>>,
    crm_lead_source_id: Option<String>,
    lead_source: Option<PlainNamed>,
    #[serde(default)]
    followers: Vec<PlainFollower>,
    note: Option<PlainNote>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainId {
    id: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainNamed {
    name: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainPerson {
    name: String,
    #[serde(default)]
    contacts: Vec<PlainContact>,
    avoid_duplicate: Option<bool>,
    #[serde(default)]
    duplicate_check_types: Vec<u32>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainContact {
    #[serde(rename = "type")]
    kind: u32,
    value: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainCustomField {
    field_id: String,
    value: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainFollower {
    user_id: String,
    role_id: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainNote {
    content: String,
    is_pinned: Option<bool>,
}

/// A base for URLs without a scheme, which `Url::parse` refuses.
pub(crate) fn base() -> Url {
    Url::parse("https://x.invalid/").unwrap()
}

/// The typed values of `benches/data/seed_deal.json`, parsed once, as a gateway holds them
/// before it builds a request: what [`seed_builder`] and [`seed_plain`] are given.
#[derive(Clone, Copy)]
pub(crate) struct SeedValues {
    pub(crate) value: Money,
    pub(crate) close: Timestamp,
    pub(crate) follower: Follower,
}

impl SeedValues {
    pub(crate) fn new() -> SeedValues {
        SeedValues {
            value: "75000.5".parse().unwrap(),
            close: "2024-03-15T00:00:00Z".parse().unwrap(),
            follower: Follower {
                user_id: "a1b2c3d4-e5f6-7890-abcd-ef1234567890".parse().unwrap(),
                role_id: "b2c3d4e5-f6a7-8901-bcde-f23456789012".parse().unwrap(),
            },
        }
    }
}

const SEED_URL: &str =
    "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ";

/// The seed payload built with [`CreateDealRequest::builder`]: the request
/// `CreateDealRequest::from_json` makes of `seed_deal.json` (the benches assert it).
pub(crate) fn seed_builder(v: SeedValues) -> Result<Validated, Rejected> {
    let mut person = NewPerson::new("Roberto Martins");
    person.contacts.push(Contact::new(0, "+55 11 99988-7766"));
    person.avoid_duplicate = Some(true);
    person.duplicate_check_types.push(0);
    CreateDealRequest::builder("Implementação completa CRM")
        .value(v.value)
        .expected_close_date(v.close.to_zoned(jiff::tz::TimeZone::UTC).datetime())
        .quality_rating(QualityRating::Four)
        .quality_reason("Cliente com budget aprovado")
        .visibility(Visibility::Private)
        .temperature(Temperature::Hot)
        .marketing_field("url_conversion", SEED_URL)
        .lead_source(LeadSource::Named("LinkedIn Ads".to_owned()))
        .tag("enterprise")
        .tag("crm")
        .person(person)
        .organization(Organization::Named("Tech Innovators S.A.".to_owned()))
        .follower(v.follower)
        .note(Note {
            content: "Oportunidade originada da campanha enterprise.".to_owned(),
            is_pinned: true,
        })
        .build()
}

/// The same values moved into the plain structs, as plain serde would hold them: the floor of
/// a builder (owned strings, no validation, no normalization).
pub(crate) fn seed_plain(v: SeedValues) -> PlainDeal {
    PlainDeal {
        title: "Implementação completa CRM".to_owned(),
        stage_id: None,
        responsible_id: None,
        quality_rating: Some(4),
        quality_reason: Some("Cliente com budget aprovado".to_owned()),
        value: Some(v.value.cents() as f64 / 100.0),
        expected_close_date: Some(v.close.to_string()),
        visibility: Some(0),
        temperature: Some(3),
        tags: vec!["enterprise".to_owned(), "crm".to_owned()],
        persons_id: Vec::new(),
        person: Some(PlainPerson {
            name: "Roberto Martins".to_owned(),
            contacts: vec![PlainContact {
                kind: 0,
                value: "+55 11 99988-7766".to_owned(),
            }],
            avoid_duplicate: Some(true),
            duplicate_check_types: vec![0],
        }),
        primary_person_id: None,
        organization_id: None,
        organization: Some(PlainNamed {
            name: "Tech Innovators S.A.".to_owned(),
        }),
        custom_fields: Vec::new(),
        marketing: Some(HashMap::from([(
            "url_conversion".to_owned(),
            SEED_URL.to_owned(),
        )])),
        crm_lead_source_id: None,
        lead_source: Some(PlainNamed {
            name: "LinkedIn Ads".to_owned(),
        }),
        followers: vec![PlainFollower {
            user_id: v.follower.user_id.to_string(),
            role_id: v.follower.role_id.to_string(),
        }],
        note: Some(PlainNote {
            content: "Oportunidade originada da campanha enterprise.".to_owned(),
            is_pinned: Some(true),
        }),
    }
}
