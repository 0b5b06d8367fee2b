//! The hot path against its peers, and whole create-deal payloads against plain serde.
//!
//! Groups (each peer in the same group, so one run gives the ratio):
//!
//! - `extract/<url>`: [`tracking_params`] over each URL of `benches/data/*.txt`, against `url`
//!   (full parse + `query_pairs`), `form_urlencoded` (query found by hand) and `memchr_floor`
//!   (one pass over the bytes: the least any extractor can do).
//! - `create_deal/<payload>`: [`CreateDealRequest::from_json`] against `serde_json` into plain
//!   structs (no validation, no normalization).
//! - `scaling`: [`tracking_params`] over synthetic URLs of 1 KiB, 64 KiB and 1 MiB.
//!
//! `benches/report.sh` turns criterion's estimates into the table of `benches/REPORT.md`.

// Benches assert their results, loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use memchr::{memchr, memchr_iter};
use serde::Deserialize;
use url::Url;
use wegly_attribution::{CreateDealRequest, is_tracking_key, tracking_params};

/// The URLs of `benches/data/`, by group name.
const URLS: &[(&str, &str)] = &[
    ("seed", include_str!("data/seed.txt")),
    ("meta_ad", include_str!("data/meta_ad.txt")),
    ("google_ads", include_str!("data/google_ads.txt")),
    ("encoded", include_str!("data/encoded.txt")),
    ("hash_router", include_str!("data/hash_router.txt")),
    ("plain", include_str!("data/plain.txt")),
];

/// The create-deal payloads of `benches/data/`, by group name.
const DEALS: &[(&str, &[u8])] = &[
    ("seed", include_bytes!("data/seed_deal.json")),
    ("large", include_bytes!("data/large_deal.json")),
];

/// The click ids of SPEC 2.5, which `tracking_params` yields besides the tracking keys.
const CLICK_IDS: &[&str] = &[
    "gclid",
    "gbraid",
    "wbraid",
    "dclid",
    "gclsrc",
    "fbclid",
    "msclkid",
    "ttclid",
    "li_fat_id",
    "twclid",
    "rdt_cid",
    "epik",
    "sccid",
    "igshid",
];

/// What an extraction found: how many parameters and the total length of their values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Found {
    count: usize,
    value_bytes: usize,
}

impl Found {
    fn add(&mut self, value: &str) {
        self.count += 1;
        self.value_bytes += value.len();
    }
}

/// Ours: every parameter consumed, every value touched.
fn wegly(url: &str) -> Found {
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
    let known = |name: &str| is_tracking_key(name) || CLICK_IDS.contains(&name);
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        known(&name.to_ascii_lowercase())
    } else {
        known(name)
    }
}

/// The parameters of a fragment: after its `?` for a hash route, else the whole fragment.
fn fragment_params(fragment: &str) -> &str {
    fragment
        .split_once('?')
        .map_or(fragment, |(_, query)| query)
}

/// `url`: a full WHATWG parse, then its `query_pairs`, then the fragment's pairs.
fn with_url(input: &str, base: &Url) -> Found {
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
fn with_form_urlencoded(input: &str) -> Found {
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
fn memchr_floor(input: &str) -> (usize, Option<usize>, Option<usize>) {
    let bytes = input.as_bytes();
    let amps = memchr_iter(b'&', bytes).count();
    (amps, memchr(b'?', bytes), memchr(b'#', bytes))
}

fn extract(c: &mut Criterion) {
    let base = Url::parse("https://x.invalid/").unwrap();
    for &(name, url) in URLS {
        let url = url.trim();
        let expected = wegly(url);
        assert!(expected.count > 0, "{name}: no tracking parameter found");
        // The peers must find the same parameters, or the comparison means nothing.
        let by_url = with_url(url, &base);
        let by_form = with_form_urlencoded(url);
        assert_eq!(by_url.count, expected.count, "{name}: url disagrees");
        assert_eq!(by_form, expected, "{name}: form_urlencoded disagrees");
        let floor = memchr_floor(url);

        let mut group = c.benchmark_group(format!("extract/{name}"));
        group.throughput(Throughput::Bytes(url.len() as u64));
        group.bench_function("wegly", |b| {
            b.iter(|| assert_eq!(wegly(black_box(url)), expected));
        });
        group.bench_function("url", |b| {
            b.iter(|| assert_eq!(with_url(black_box(url), &base), by_url));
        });
        group.bench_function("form_urlencoded", |b| {
            b.iter(|| assert_eq!(with_form_urlencoded(black_box(url)), by_form));
        });
        group.bench_function("memchr_floor", |b| {
            b.iter(|| assert_eq!(memchr_floor(black_box(url)), floor));
        });
        group.finish();
    }
}

/// The create-deal payload as plain serde structs: no validation, no normalization.
#[derive(Deserialize)]
#[allow(dead_code)] // Parsed to be measured, not read.
struct PlainDeal {
    title: String,
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

fn create_deal(c: &mut Criterion) {
    for &(name, bytes) in DEALS {
        let valid = CreateDealRequest::from_json(bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let title = valid.request.title.clone();
        let plain: PlainDeal = serde_json::from_slice(bytes).unwrap();
        assert_eq!(plain.title.trim(), title);

        let mut group = c.benchmark_group(format!("create_deal/{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("wegly", |b| {
            b.iter(|| {
                let valid = CreateDealRequest::from_json(black_box(bytes));
                assert!(valid.is_ok_and(|v| v.request.title.len() == title.len()));
            });
        });
        group.bench_function("serde_typed", |b| {
            b.iter(|| {
                let plain = serde_json::from_slice::<PlainDeal>(black_box(bytes));
                assert!(plain.is_ok_and(|p| !p.title.is_empty()));
            });
        });
        group.finish();
    }
}

/// A synthetic conversion URL of about `size` bytes: mostly ordinary `k=v` pairs, every
/// eighth one a tracking parameter, as a long landing-page URL carries them.
fn synthetic_url(size: usize) -> String {
    let mut url = String::from("https://landing.example.com.br/lp/oferta?");
    let mut i = 0usize;
    while url.len() < size {
        if i > 0 {
            url.push('&');
        }
        let pair = match i % 8 {
            3 => format!("utm_content=variante-{i}"),
            7 if i % 16 == 7 => format!("gclid=Cj0KCQjw{i:08}AbCdEf_wcB"),
            7 => format!("utm_campaign=campanha-{i}"),
            1 => format!("produto={i}"),
            2 => format!("ref=pagina-{i}"),
            4 => format!("sessao=s{i:06}x"),
            5 => format!("lista=a%2Cb%2C{i}"),
            6 => format!("origem=home+topo+{i}"),
            _ => format!("pos={i}"),
        };
        url.push_str(&pair);
        i += 1;
    }
    // ASCII, so any length is a character boundary; the last pair may be cut short.
    url.truncate(size);
    url
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling");
    group.sampling_mode(SamplingMode::Flat);
    for (label, size) in [("1KiB", 1 << 10), ("64KiB", 64 << 10), ("1MiB", 1 << 20)] {
        let url = synthetic_url(size);
        let expected = wegly(&url);
        assert!(
            expected.count > size / 200,
            "{label}: too few tracking parameters"
        );
        group.throughput(Throughput::Bytes(url.len() as u64));
        group.bench_with_input(BenchmarkId::new("wegly", label), url.as_str(), |b, url| {
            b.iter(|| assert_eq!(wegly(black_box(url)), expected));
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(40)
}

criterion_group! {
    name = benches;
    config = config();
    targets = extract, create_deal, scaling
}
criterion_main!(benches);
