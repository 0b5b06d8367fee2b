//! The hot path allocates nothing unless a value must be decoded (STYLE "API shape"), nor does
//! the channel view unless a value must be lowercased.
//!
//! A global allocator wrapping [`System`] counts the allocations of the current thread: the
//! tests of this binary run in parallel, so a global counter would count theirs too.

use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::cell::Cell;

use wegly_attribution::{
    CreateDealRequest, Marketing, Normalized, query_pairs, redact_click_ids, tracking_params,
};

struct Counting;

thread_local! {
    // `const` and without `Drop`: reading it never allocates nor registers a destructor.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    // Bytes this thread holds, and the most it held since the last reset.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn bump() {
    // `try_with`: the slot is gone while a thread is torn down; those allocations are not ours.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

fn track(delta: isize) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + delta);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn size(bytes: usize) -> isize {
    isize::try_from(bytes).unwrap_or(isize::MAX)
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; counting
// touches only a thread-local `Cell` and never allocates.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump();
        track(size(layout.size()));
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which `System` shares.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump();
        track(size(layout.size()));
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-size(layout.size()));
        // SAFETY: `ptr` came from `System` through this allocator, with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump();
        track(size(new_size) - size(layout.size()));
        // SAFETY: as for `dealloc`; `new_size` is checked by the caller.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

fn allocations_so_far() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// Runs `f` and returns its result and how many allocations this thread made meanwhile.
fn counting<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = allocations_so_far();
    let out = f();
    (out, allocations_so_far() - before)
}

/// Runs `f` and returns its result and the most heap this thread held meanwhile, above what
/// it held before (its result included, since it is alive at the end).
fn peak_heap<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    let out = f();
    let peak = PEAK.with(Cell::get) - base;
    (out, usize::try_from(peak).unwrap_or(0))
}

const MIB: usize = 1 << 20;

#[test]
fn a_million_bad_tags_cost_no_memory_per_item() {
    // `docs/rules.md` §3.1: 1.6 million `[]` items (about 4.8 MB) peak under 4n + 1 MiB, 101
    // errors.
    let mut payload = String::from(r#"{"title":"T","tags":["#);
    payload.push_str(&vec!["[]"; 1_600_000].join(","));
    payload.push_str("]}");
    let n = payload.len();
    let (rejected, peak) = peak_heap(|| CreateDealRequest::from_json(payload.as_bytes()));
    let rejected = rejected.unwrap_err();
    assert_eq!(rejected.errors.len(), 101);
    assert_eq!(rejected.errors[100].code().as_str(), "too_many_errors");
    assert_eq!(
        rejected.errors[100].message(),
        "1599900 more errors were found and not reported"
    );
    assert!(
        peak < 4 * n + MIB,
        "peak {peak} bytes for {n} bytes of input"
    );
}

#[test]
fn three_hundred_thousand_utm_members_stay_linear() {
    // `docs/rules.md` §3.1: 300,000 tiny `utm_` members (about 4.7 MB), a valid payload whose
    // output is about 2n, peak under 8n + 1 MiB.
    let members: Vec<String> = (0..300_000)
        .map(|i| format!(r#""utm_{i:x}":"v""#))
        .collect();
    let payload = format!(r#"{{"title":"T","marketing":{{{}}}}}"#, members.join(","));
    let n = payload.len();
    let (valid, peak) = peak_heap(|| CreateDealRequest::from_json(payload.as_bytes()));
    let valid = valid.unwrap();
    let marketing = valid.request.marketing().unwrap();
    assert_eq!(marketing.len(), 600_000); // each with its `wegly_` twin
    assert_eq!(marketing.get("wegly_493df"), Some("v"));
    assert!(
        peak < 8 * n + MIB,
        "peak {peak} bytes for {n} bytes of input"
    );
}

/// Consumes every parameter and touches every value: (count, total value bytes).
fn consume(url: &str) -> (usize, usize) {
    tracking_params(url).fold((0, 0), |(count, bytes), p| {
        (count + 1, bytes + p.value().len() + p.key().len())
    })
}

#[test]
fn extraction_allocates_nothing_when_nothing_is_decoded() {
    let cases: &[(&str, &str, usize)] = &[
        ("plain.txt", include_str!("../../benches/data/plain.txt"), 7),
        ("seed.txt", include_str!("../../benches/data/seed.txt"), 3),
        (
            "hash_router.txt",
            include_str!("../../benches/data/hash_router.txt"),
            5,
        ),
        (
            "hash router, query and fragment",
            "https://app.loja.com.br/?utm_source=meta#/checkout/ok?utm_medium=paid&fbclid=IwAR3h",
            3,
        ),
        (
            "&amp; separators",
            "https://x.com.br/lp?utm_source=google&amp;utm_medium=cpc&amp;amp;gclid=AbC&amp;x=1",
            3,
        ),
        (
            "open utm_ and wegly_ keys",
            "https://x.com.br/lp?utm_marketing_tactic=prospecting&utm_creative_format=video\
             &utm_source_platform=meta&wegly_custom_1=abc&utm_x_2=y",
            5,
        ),
        (
            "click ids of every platform",
            "https://x.com.br/?msclkid=m&ttclid=t&li_fat_id=l&twclid=w&rdt_cid=r&epik=e&sccid=s",
            7,
        ),
    ];
    for &(name, url, expected) in cases {
        let url = url.trim();
        let ((count, bytes), allocations) = counting(|| consume(url));
        assert_eq!(count, expected, "row {name}: parameters found");
        assert!(bytes > 0, "row {name}");
        assert_eq!(allocations, 0, "row {name}: allocations");
    }
}

/// `Marketing::from_url` copies the URL into its arena, and keeps up to 16 entries inline:
/// one allocation, whatever the number of values up to there, unless a value must be decoded,
/// a key is not a common one, or there is more than one click id.
#[test]
fn from_url_allocates_its_arena_and_its_entries() {
    let cases: &[(&str, &str, usize)] = &[
        ("no parameter", "https://x.com.br/obrigado", 1),
        (
            "the seed: three values, a twin, one click id",
            "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ",
            1,
        ),
        (
            "six utm_ values, their five twins, utm_search_term: 14 entries",
            "https://x.com.br/?utm_source=google&utm_medium=cpc&utm_campaign=bf&utm_term=crm\
             &utm_content=a&utm_id=7&fbclid=F",
            1,
        ),
        // Past 16 the entries move to the heap, once.
        (
            "nine utm_ values and their twins: 19 entries",
            "https://x.com.br/?utm_source=g&utm_medium=c&utm_campaign=b&utm_content=a&utm_id=7\
             &utm_ad=d&utm_adgroup=e&utm_placement=f&utm_creative_format=v",
            2,
        ),
        // The second click id's value goes to a list of them, and its raw range to another.
        ("two click ids", "https://x.com.br/?gclid=G&msclkid=M", 3),
        // The extraction decodes the value into a `String`, which is then written into the
        // arena, which was made for the URL alone and grows.
        ("a decoded value", "https://x.com.br/?utm_source=a%20b", 3),
    ];
    for &(name, url, expected) in cases {
        let (n, allocations) = counting(|| Normalized::from_url(url));
        assert!(n.warnings.is_empty(), "row {name}");
        assert!(!n.marketing.is_empty(), "row {name}");
        assert_eq!(allocations, expected, "row {name}: allocations");
    }
}

/// `Marketing::from_url` allocates its arena alone for a URL of common keys, however many
/// warnings `Normalized::from_url` would make. Its entries are written once, into the result;
/// a key that is not a common one is noted in a list on the heap first (one allocation more
/// than `Normalized::from_url`, whose entries are inline from the start).
#[test]
fn marketing_from_url_allocates_its_arena() {
    // Each row: `Marketing::from_url`'s allocations, then `Normalized::from_url`'s.
    let cases: &[(&str, &str, usize, usize)] = &[
        ("no parameter", "https://x.com.br/obrigado", 1, 1),
        (
            "the seed: three values, a twin, one click id",
            "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ",
            1,
            1,
        ),
        (
            "a hash router's five parameters: five warnings, made by one of them",
            "https://app.x.com.br/#/checkout?utm_source=fb&utm_medium=paid&utm_campaign=c\
             &utm_content=v3&fbclid=F",
            1,
            2,
        ),
        // The arena grows for `wegly_x`, the twin's text; the other keys' list is one more.
        (
            "a key that is not a common one",
            "https://x.com.br/?utm_x=1",
            3,
            2,
        ),
    ];
    for &(name, url, alone, with_warnings) in cases {
        let (marketing, allocations) = counting(|| Marketing::from_url(url));
        assert!(!marketing.is_empty(), "row {name}");
        assert_eq!(allocations, alone, "row {name}: Marketing::from_url");
        let (normalized, allocations) = counting(|| Normalized::from_url(url));
        assert_eq!(
            allocations, with_warnings,
            "row {name}: Normalized::from_url"
        );
        assert_eq!(marketing, normalized.marketing, "row {name}");
    }
}

#[test]
fn query_pairs_allocates_nothing_for_a_plain_query() {
    let query = "utm_source=google&utm_medium=cpc&ref=home&&flag&gclid=Cj0KCQjw9vqyBh&a=b=c";
    let ((count, bytes), allocations) = counting(|| {
        query_pairs(query).fold((0, 0), |(count, bytes), (name, value)| {
            (count + 1, bytes + name.len() + value.len())
        })
    });
    assert_eq!(count, 6);
    assert!(bytes > 0);
    assert_eq!(allocations, 0);
}

#[test]
fn redacting_a_url_without_click_ids_allocates_nothing() {
    let url = "https://x.com.br/lp?utm_source=google&utm_medium=cpc&ref=home#/ok?utm_term=a";
    let (redacted, allocations) = counting(|| redact_click_ids(url));
    assert!(matches!(redacted, Cow::Borrowed(text) if text == url));
    assert_eq!(allocations, 0);
}

#[test]
fn the_channel_allocates_only_to_lowercase() {
    let cases: &[(&str, &str, usize)] = &[
        (
            "lowercase values",
            "/?utm_source=google&utm_medium=cpc&utm_campaign=bf",
            0,
        ),
        (
            "white space around",
            "/?utm_source=+google+&utm_medium=%20cpc",
            0,
        ),
        ("inferred from gclid", "/?utm_campaign=bf&gclid=G", 0),
        (
            "a click id read from the URL",
            "/?gclsrc=aw&fbclid=F&msclkid=M",
            0,
        ),
        (
            "a host name",
            "/?utm_source=l.facebook.com&utm_medium=referral",
            0,
        ),
        (
            "a source in GA4's list",
            "/?utm_source=br.answers.yahoo.com&utm_medium=referral",
            0,
        ),
        ("an AI assistant", "/?utm_source=chatgpt.com", 0),
        (
            "a label of the project's list",
            "/?utm_source=lista.mercadolivre.com.br&utm_medium=referral",
            0,
        ),
        (
            "the plain sample",
            include_str!("../../benches/data/plain.txt"),
            0,
        ),
        (
            "the seed sample",
            include_str!("../../benches/data/seed.txt"),
            0,
        ),
        (
            "an upper-case source",
            "/?utm_source=Google&utm_medium=cpc",
            1,
        ),
        (
            "upper case everywhere",
            "/?utm_source=Google&utm_medium=CPC&utm_campaign=BF",
            // The campaign is matched ignoring case, never lowercased.
            2,
        ),
    ];
    // The lists' index is built once, on first use: the calls after it are what is pinned.
    let _ = Marketing::from_url("/?utm_source=a").channel();
    for &(name, url, expected) in cases {
        let n = Normalized::from_url(url.trim());
        let (channel, allocations) = counting(|| n.marketing.channel().channel);
        assert_ne!(channel.as_str(), "direct", "row {name}");
        assert_eq!(allocations, expected, "row {name}: allocations");
    }
}

/// The control: the counter does see allocations, here for a value that must be decoded.
#[test]
fn decoding_a_value_allocates() {
    let url = "https://x.com.br/lp?utm_campaign=promo%C3%A7%C3%A3o&utm_source=google";
    let ((count, _), allocations) = counting(|| consume(url));
    assert_eq!(count, 2);
    assert!(allocations > 0, "the counter saw no allocation");

    let (owned, allocations) = counting(|| "x".repeat(10));
    assert_eq!(owned.len(), 10);
    assert_eq!(allocations, 1);
}
