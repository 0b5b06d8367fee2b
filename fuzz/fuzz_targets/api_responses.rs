//! What the client reads from the API (`docs/rules.md` §4.1, §4.6): a create answer
//! (`CreateDealResponse`), a deal (`DealDetail`) and an error body (`Rejected`, as
//! `client::ApiError::rejected` reads a 422) from arbitrary bytes, as the client reads them
//! (`serde_json::from_slice`). No input panics, and whatever is
//! read serializes and reads back to itself (reading is lenient, never lossy on what it keeps).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wegly_attribution::Rejected;
use wegly_attribution::response::{CreateDealResponse, DealDetail};

/// Reads `data` as `T`; when it reads, its JSON reads back to the same value.
fn round_trip<T>(data: &[u8])
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let json = serde_json::to_vec(&value).expect("a value read serializes");
    let again: T = serde_json::from_slice(&json).expect("what was written reads back");
    assert_eq!(again, value, "round trip of {}", String::from_utf8_lossy(&json));
}

fuzz_target!(|data: &[u8]| {
    round_trip::<CreateDealResponse>(data);
    round_trip::<DealDetail>(data);
    round_trip::<Rejected>(data);
    // The client keeps an error body as text, invalid UTF-8 replaced, and reads it from there
    // (`ApiError::rejected`).
    round_trip::<Rejected>(String::from_utf8_lossy(data).as_bytes());
});
