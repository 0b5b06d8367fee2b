//! Differential: our WHATWG urlencoded parser and `form_urlencoded` agree on every string.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let ours: Vec<(String, String)> = wegly_attribution::query_pairs(s)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let theirs: Vec<(String, String)> = form_urlencoded::parse(s.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    assert_eq!(ours, theirs, "input {s:?}");
});
