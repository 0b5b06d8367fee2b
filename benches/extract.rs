//! The hot path against its peers, and whole create-deal payloads against plain serde.
//!
//! Groups (each peer in the same group, so one run gives the ratio):
//!
//! - `extract/<url>`: [`tracking_params`] over each URL of `benches/data/*.txt`, against `url`
//!   (full parse + `query_pairs`), `form_urlencoded` (query found by hand) and `memchr_floor`
//!   (one pass over the bytes: the least any extractor can do).
//!   `from_url` is [`Marketing::from_url`] on the same URL, the call users make, and
//!   `normalized` is [`Normalized::from_url`], the same with its warnings.
//! - `create_deal/<payload>`: [`CreateDealRequest::from_json`] against `serde_json` into plain
//!   structs (no validation, no normalization).
//! - `builder/seed`: the seed payload built with [`CreateDealRequest::builder`] from typed
//!   values, against the same values moved into the plain structs, and against `from_json`.
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

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use wegly_attribution::{CreateDealRequest, Marketing, Normalized};

mod common;

use common::{
    DEALS, PlainDeal, SeedValues, URLS, base, memchr_floor, seed_builder, seed_plain, wegly,
    with_form_urlencoded, with_url,
};

fn extract(c: &mut Criterion) {
    let base = base();
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
        // The calls users make, beside the iterator they are built on: the object alone, and
        // the object with its warnings.
        let marketing = Marketing::from_url(url);
        group.bench_function("from_url", |b| {
            b.iter(|| assert_eq!(Marketing::from_url(black_box(url)), marketing));
        });
        let normalized = Normalized::from_url(url);
        group.bench_function("normalized", |b| {
            b.iter(|| assert_eq!(Normalized::from_url(black_box(url)), normalized));
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

fn create_deal(c: &mut Criterion) {
    for &(name, bytes) in DEALS {
        let valid = CreateDealRequest::from_json(bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let title = valid.request.title().to_owned();
        let plain: PlainDeal = serde_json::from_slice(bytes).unwrap();
        assert_eq!(plain.title.trim(), title);

        let mut group = c.benchmark_group(format!("create_deal/{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("wegly", |b| {
            b.iter(|| {
                let valid = CreateDealRequest::from_json(black_box(bytes));
                assert!(valid.is_ok_and(|v| v.request.title().len() == title.len()));
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

/// The seed payload built in Rust: the builder against the same values moved into plain
/// structs, and against `from_json` of the same request's JSON.
fn builder(c: &mut Criterion) {
    let values = SeedValues::new();
    let seed = DEALS.iter().find(|(name, _)| *name == "seed").unwrap().1;
    let from_json = CreateDealRequest::from_json(seed).unwrap();
    let built = seed_builder(values).unwrap();
    assert_eq!(built.request, from_json.request);
    assert_eq!(built.warnings, from_json.warnings);

    let mut group = c.benchmark_group("builder/seed");
    group.bench_function("wegly", |b| {
        b.iter(|| {
            let valid = seed_builder(black_box(values));
            assert!(valid.is_ok_and(|v| v.request.tags().len() == 2));
        });
    });
    group.bench_function("plain_struct", |b| {
        b.iter(|| {
            let plain = seed_plain(black_box(values));
            assert!(!plain.title.is_empty());
        });
    });
    group.bench_function("from_json", |b| {
        b.iter(|| {
            let valid = CreateDealRequest::from_json(black_box(seed));
            assert!(valid.is_ok_and(|v| v.request.tags().len() == 2));
        });
    });
    group.finish();
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
        .measurement_time(Duration::from_secs(4))
        .sample_size(60)
}

criterion_group! {
    name = benches;
    config = config();
    targets = extract, create_deal, builder, scaling
}
criterion_main!(benches);
