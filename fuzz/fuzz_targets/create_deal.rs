//! Create-deal validation (`docs/rules.md` §3): no input panics, and a validated request
//! round-trips.
//!
//! Serializing `Validated::request` and validating it again must succeed with an equal request.
//! Every entry point gives the same request (`docs/rules.md` §3.1): the payload's `marketing`, read
//! as a `serde_json::Value` (which keeps the last of repeated members, as the bytes reader does),
//! normalizes through `Normalized::normalize` to the request's own marketing.
//! The second pass may only repeat warnings of the first about `marketing.url_conversion`:
//! `docs/rules.md` §2.4 allows a URL value that is over the length limit to be dropped again on
//! every pass.
//!
//! The quick reader (`src/deal/json/quick.rs`) and `serde_json`'s passes say the same of every
//! input: the same request and warnings, or the same errors, to the byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wegly_attribution::{CreateDealRequest, Normalized, WarningCode};

fuzz_target!(|data: &[u8]| {
    let read = CreateDealRequest::from_json(data);
    assert_eq!(
        format!("{read:?}"),
        format!("{:?}", wegly_attribution::from_json_without_quick_reader(data)),
        "the quick reader and serde_json's passes disagree"
    );
    let Ok(first) = read else {
        return;
    };
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data)
        && let Some(marketing) = value.get("marketing").filter(|m| !m.is_null())
    {
        let normalized = Normalized::normalize(marketing).expect("the bytes reader accepted it");
        let expected = Some(&normalized.marketing).filter(|m| !m.is_empty());
        assert_eq!(first.request.marketing(), expected, "the two JSON models disagree");
    }
    let json = serde_json::to_vec(&first.request).expect("a validated request serializes");
    let second = match CreateDealRequest::from_json(&json) {
        Ok(second) => second,
        Err(rejected) => panic!(
            "the serialized request is rejected: {:?}\njson: {}",
            rejected.errors,
            String::from_utf8_lossy(&json)
        ),
    };
    assert_eq!(
        second.request,
        first.request,
        "the round trip changed the request\njson: {}",
        String::from_utf8_lossy(&json)
    );
    for warning in &second.warnings {
        let repeated = matches!(
            warning.code(),
            WarningCode::ValueTooLong | WarningCode::DoubleEncodedUrl
        ) && warning.path() == "/marketing/url_conversion"
            && first
                .warnings
                .iter()
                .any(|w| w.code() == warning.code() && w.path() == warning.path());
        assert!(
            repeated,
            "the round trip warned {warning:?}\njson: {}",
            String::from_utf8_lossy(&json)
        );
    }
});
