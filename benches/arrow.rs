//! Rows per second of the Arrow kernel `normalize_urls` against a plain Rust loop doing the same
//! work (`Normalized::from_url`, its click ids and channel), for `benches/python_bench.py`, which adds
//! the Python package and Spark to the comparison. Prints one JSON object.
//!
//! ```sh
//! cargo bench --features arrow --bench arrow -- 1000000
//! ```
//!
//! The URLs are `benches/data/*.txt` and `examples/urls.txt`, repeated to the row count. The
//! kernel runs over batches of 10,000 rows (Spark's `maxRecordsPerBatch`) and over one batch,
//! and with the `marketing` field only over the batches; the loop reads the URLs of the same
//! batches.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use wegly_attribution::Normalized;
use wegly_attribution::arrow::arrow_array::{Array, StringArray};
use wegly_attribution::arrow::{NormalizedField, normalize_urls, normalize_urls_fields};

/// The corpus, one URL per entry.
fn corpus() -> Vec<String> {
    let mut urls = Vec::new();
    for name in [
        "seed",
        "meta_ad",
        "google_ads",
        "encoded",
        "hash_router",
        "plain",
    ] {
        let path = format!("{}/benches/data/{name}.txt", env!("CARGO_MANIFEST_DIR"));
        urls.push(std::fs::read_to_string(path).unwrap().trim().to_owned());
    }
    let sample = include_str!("../examples/urls.txt");
    urls.extend(
        sample
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned),
    );
    urls
}

/// How long `f` takes, and what it returns.
fn time(f: impl FnOnce() -> usize) -> (Duration, usize) {
    let started = Instant::now();
    let check = black_box(f());
    (started.elapsed(), check)
}

/// Rounds of the four timings. They interleave, so that a slow spell of a shared machine
/// slows all four alike instead of one; each figure is the fastest of its rounds.
const ROUNDS: usize = 5;

fn main() {
    // `cargo bench` appends `--bench`.
    let rows: usize = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .map_or(1_000_000, |n| n.parse().expect("a row count"));
    let corpus = corpus();
    let urls: Vec<&str> = corpus
        .iter()
        .map(String::as_str)
        .cycle()
        .take(rows)
        .collect();
    let array = StringArray::from(urls.clone());
    let batches: Vec<StringArray> = (0..rows)
        .step_by(10_000)
        .map(|start| {
            let len = 10_000.min(rows - start);
            StringArray::from(urls[start..start + len].to_vec())
        })
        .collect();

    // The same work as one row of the kernel, its results kept alive as long, on the same
    // URLs in the same memory: the batches' buffers. (Reading the 20 distinct strings of the
    // corpus instead would keep the loop's input in the cache, and the kernel's not.)
    let rust_loop = || {
        let mut items = 0;
        for url in batches.iter().flat_map(|batch| batch.iter().flatten()) {
            let n = Normalized::from_url(black_box(url));
            let ids = n.marketing.click_ids().count();
            let channel = n.marketing.channel();
            items += n.marketing.len() + ids + n.warnings.len();
            black_box((&n, &ids, &channel));
        }
        items
    };
    let kernel_batches = || {
        batches
            .iter()
            .map(|batch| normalize_urls(batch).unwrap().len())
            .sum()
    };
    let kernel_one = || normalize_urls(&array).unwrap().len();
    // What a Spark job that reads only the map asks for (`fields=["marketing"]`).
    let kernel_marketing = || {
        batches
            .iter()
            .map(|batch| {
                normalize_urls_fields(batch, &[NormalizedField::Marketing])
                    .unwrap()
                    .len()
            })
            .sum()
    };
    let mut best = [Duration::MAX; 4];
    for _ in 0..ROUNDS {
        let (took, items) = time(rust_loop);
        assert!(items > rows);
        best[0] = best[0].min(took);
        let (took, batch_rows) = time(kernel_batches);
        best[1] = best[1].min(took);
        let (took, one_rows) = time(kernel_one);
        best[2] = best[2].min(took);
        let (took, marketing_rows) = time(kernel_marketing);
        best[3] = best[3].min(took);
        assert_eq!((batch_rows, one_rows, marketing_rows), (rows, rows, rows));
    }
    let [rust_loop, kernel_batches, kernel_one, kernel_marketing] = best;

    let per_second = |d: Duration| (rows as f64 / d.as_secs_f64()).round();
    println!(
        "{{\"rows\": {rows}, \"bytes\": {}, \"rust_loop_rows_per_s\": {}, \"kernel_10k_batches_rows_per_s\": {}, \"kernel_one_batch_rows_per_s\": {}, \"kernel_marketing_10k_batches_rows_per_s\": {}}}",
        urls.iter().map(|u| u.len()).sum::<usize>(),
        per_second(rust_loop),
        per_second(kernel_batches),
        per_second(kernel_one),
        per_second(kernel_marketing),
    );
}
