//! Runs one benched function a given number of times, for `report.sh` to count its
//! instructions with callgrind: a ratio of instruction counts does not move with the noise of a
//! shared machine, as a ratio of times does.
//!
//! ```sh
//! cargo bench --bench counts -- extract seed wegly 1000
//! cargo bench --bench counts -- extract seed from_url 1000
//! cargo bench --bench counts -- extract seed normalized 1000
//! cargo bench --bench counts -- create_deal large serde_typed 1000
//! cargo bench --bench counts -- channel meta_ad wegly 1000
//! cargo bench --bench counts --features arrow -- kernel corpus marketing 10
//! ```
//!
//! The `channel` group measures `Marketing::channel` on a URL already normalized outside the
//! loop, so its count compares with `extract`'s (`tracking_params`) on the same URL.
//!
//! The `kernel` group (feature `arrow`) runs the Arrow kernel over one batch of 1,000 URLs of the
//! corpus (`benches/arrow.rs`'s): `marketing` with `fields=["marketing"]`, `all` with every
//! field, and `from_url` the loop of [`Marketing::from_url`] over the same URLs, the kernel's
//! work without the copy into Arrow. Its counts are per batch: divide by 1,000 for a URL.
//!
//! `report.sh` runs each case twice, with 1 and with 1001 iterations, and divides the
//! difference by 1000, which leaves out the program's start and the corpus set-up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use wegly_attribution::{CreateDealRequest, Marketing, Normalized};

mod common;

use common::{
    DEALS, PlainDeal, SeedValues, URLS, base, memchr_floor, seed_builder, seed_plain, wegly,
    with_form_urlencoded, with_url,
};

fn main() {
    // `cargo bench` appends `--bench`; only the first four words are ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let [group, input, function, iterations] = args.as_slice() else {
        eprintln!("usage: counts (extract|create_deal|channel) INPUT FUNCTION ITERATIONS");
        std::process::exit(2);
    };
    let iterations: usize = iterations.parse().expect("ITERATIONS is a number");
    match group.as_str() {
        "extract" => {
            let url = URLS
                .iter()
                .find(|(name, _)| name == input)
                .map(|(_, url)| url.trim())
                .unwrap_or_else(|| panic!("no URL {input}"));
            let base = base();
            let run: Box<dyn Fn(&str) -> usize> = match function.as_str() {
                "wegly" => Box::new(|url| wegly(url).count),
                // The call users make: the normalized object.
                "from_url" => Box::new(|url| Marketing::from_url(url).len()),
                // The same with its warnings and the tracker's lead source.
                "normalized" => Box::new(|url| {
                    let n = Normalized::from_url(url);
                    n.marketing.len() + n.warnings.len()
                }),
                "url" => Box::new(|url| with_url(url, &base).count),
                "form_urlencoded" => Box::new(|url| with_form_urlencoded(url).count),
                "memchr_floor" => Box::new(|url| memchr_floor(url).0),
                other => panic!("no function {other}"),
            };
            let total: usize = (0..iterations).map(|_| run(black_box(url))).sum();
            black_box(total);
        }
        "channel" => {
            let url = URLS
                .iter()
                .find(|(name, _)| name == input)
                .map(|(_, url)| url.trim())
                .unwrap_or_else(|| panic!("no URL {input}"));
            assert_eq!(function, "wegly", "no function {function}");
            let normalized = Marketing::from_url(url);
            let expected = normalized.channel().channel;
            for _ in 0..iterations {
                let channel = black_box(&normalized).channel().channel;
                assert_eq!(channel, expected);
                black_box(channel);
            }
        }
        "create_deal" => {
            let bytes = DEALS
                .iter()
                .find(|(name, _)| name == input)
                .map(|(_, bytes)| *bytes)
                .unwrap_or_else(|| panic!("no payload {input}"));
            let values = SeedValues::new();
            assert!(
                !matches!(function.as_str(), "builder" | "plain_struct") || input == "seed",
                "{function} builds the seed payload"
            );
            for _ in 0..iterations {
                let title_len = match function.as_str() {
                    "wegly" => CreateDealRequest::from_json(black_box(bytes))
                        .map(|valid| valid.request.title().len())
                        .unwrap(),
                    "serde_typed" => serde_json::from_slice::<PlainDeal>(black_box(bytes))
                        .map(|plain| plain.title.len())
                        .unwrap(),
                    // The seed request built in Rust (`input` must be `seed`).
                    "builder" => seed_builder(black_box(values))
                        .map(|valid| valid.request.title().len())
                        .unwrap(),
                    "plain_struct" => seed_plain(black_box(values)).title.len(),
                    other => panic!("no function {other}"),
                };
                black_box(title_len);
            }
        }
        #[cfg(feature = "arrow")]
        "kernel" => kernel(input, function, iterations),
        other => panic!("no group {other}"),
    }
}

/// The `kernel` group: one batch of [`KERNEL_ROWS`] URLs of the corpus, `iterations` times.
#[cfg(feature = "arrow")]
fn kernel(input: &str, function: &str, iterations: usize) {
    use wegly_attribution::arrow::arrow_array::{Array, StringArray};
    use wegly_attribution::arrow::{NormalizedField, normalize_urls, normalize_urls_fields};

    assert_eq!(input, "corpus", "the kernel group reads the corpus");
    let sample = include_str!("../examples/urls.txt");
    let corpus: Vec<&str> = URLS
        .iter()
        .map(|(_, url)| url.trim())
        .chain(sample.lines().filter(|l| !l.trim().is_empty()))
        .collect();
    let urls: Vec<&str> = corpus.iter().copied().cycle().take(KERNEL_ROWS).collect();
    let batch = StringArray::from(urls);
    for _ in 0..iterations {
        let n = match function {
            "marketing" => normalize_urls_fields(black_box(&batch), &[NormalizedField::Marketing])
                .unwrap()
                .len(),
            "all" => normalize_urls(black_box(&batch)).unwrap().len(),
            "from_url" => {
                let mut rows = 0;
                for url in batch.iter().flatten() {
                    black_box(Marketing::from_url(black_box(url)));
                    rows += 1;
                }
                rows
            }
            other => panic!("no function {other}"),
        };
        assert_eq!(n, KERNEL_ROWS);
    }
}

/// The rows of the `kernel` group's batch.
#[cfg(feature = "arrow")]
const KERNEL_ROWS: usize = 1000;
