//! Marketing attribution rules and validated create-deal payloads for the Wegly CRM API.
//!
//! Landing pages and ad webhooks send Wegly "create deal" payloads whose `marketing` object
//! carries tracking data (`utm_*`, `wegly_*`, `gclid`, `fbclid`, `conversion_tool_name`) and
//! `url_conversion`, the URL where the lead converted. The API normalizes that data; this crate
//! holds the same rules, so a gateway knows the exact attribution before it sends anything, and
//! turns raw JSON (or a Rust builder) into a validated [`CreateDealRequest`] that reports every
//! problem at once. No I/O, no global state; every type is `Send + Sync`.
//!
//! # Quick start
//!
//! ```
//! use wegly_attribution::{CreateDealRequest, Marketing};
//!
//! // What the API will record for a conversion URL.
//! let n = Marketing::from_url("https://landing.wegly.com.br/obrigado?UTM_Source=Google&gclid=AbC");
//! assert_eq!(n.marketing.get("wegly_source"), Some("Google"));
//! assert_eq!(n.marketing.click_ids()[0].platform.as_str(), "google");
//!
//! // A whole payload: validated, normalized, ready to send.
//! let valid = CreateDealRequest::from_json(r#"{"title": "Implantação CRM", "value": 1500.5,
//!     "marketing": {"url_conversion": "https://x.com.br/lp?utm_campaign=bf"}}"#.as_bytes())?;
//! let body = serde_json::to_string(&valid.request).unwrap();
//! assert!(body.contains(r#""wegly_campaign":"bf""#));
//!
//! // Every problem at once, with a JSON Pointer and a stable code.
//! let rejected = CreateDealRequest::from_json(br#"{"title": "", "visibility": 9}"#).unwrap_err();
//! let found: Vec<(&str, &str)> = rejected.errors.iter().map(|e| (e.path.as_str(), e.code.as_str())).collect();
//! assert_eq!(found, [("/title", "required"), ("/visibility", "invalid_enum")]);
//! # Ok::<(), wegly_attribution::Rejected>(())
//! ```
//!
//! # The normalization rules
//!
//! A *tracking key* is `url_conversion`, `gclid`, `fbclid`, `conversion_tool_name`, or `utm_` /
//! `wegly_` followed by one or more of `[a-z0-9_]` (an open set: every such key is kept). In the
//! explicit JSON object keys match exactly and other keys are dropped with `ignored_field`; in
//! URLs names match ASCII-case-insensitively and values keep their case. The rules, in order:
//!
//! 1. **Trim** every value (Unicode `White_Space` and U+FEFF); empty means not sent.
//! 2. **Extract** from `url_conversion` with the WHATWG urlencoded parser ([`query_pairs`]):
//!    each tracking pair fills its key only if it was not sent explicitly; among URL pairs the
//!    first occurrence wins and later different values warn `duplicate_param`.
//! 3. **Map** each `utm_X` (except `utm_term`, `utm_search_term`) into an absent `wegly_X`.
//! 4. **Map** `utm_term` into an absent `utm_search_term`.
//! 5. **Tracker**: with a [`Catalog`] that knows the `wegly_code`, its lead source fills an
//!    absent one (`unknown_tracker`, `lead_source_conflict` otherwise).
//!
//! Real-world URLs are repaired and reported, each with its own [`WarningCode`]: no scheme or no
//! valid URL at all (extraction reads what follows the first `?`), parameters in the fragment
//! (`param_in_fragment`), `&amp;` separators (`html_escaped_separator`), a URL percent-encoded
//! once more (`double_encoded_url`), bad escapes (`invalid_percent_encoding`, `invalid_utf8`),
//! values over the limit (`value_too_long`, 1000 characters by default, see
//! [`Normalizer::max_value_chars`]). A repair that fills nothing warns nothing, so normalizing a
//! normalized object is silent. Only a wrong JSON type is an error: a lead is never rejected
//! for a tracking anomaly.
//!
//! The hot path, [`tracking_params`], never parses the whole URL and allocates nothing when no
//! value needs decoding.
//!
//! ## Choices where the specification is open
//!
//! - `null` counts as "not sent" for every optional member, in `marketing` too; a required
//!   member that is `null` is `required`.
//! - A value dropped as too long counts as not sent: a later URL occurrence, or the URL for an
//!   explicit one, may still fill the key.
//! - The fragment's parameters come after the query's, so a differing fragment value for a key
//!   the query filled is a `duplicate_param`. In a fragment with a `?` (a hash route), the
//!   parameters are what follows that `?`; otherwise the whole fragment is read as pairs.
//! - `amp;` prefixes are stripped repeatedly (`&amp;amp;`), ASCII-case-insensitively.
//! - A URL is double-encoded when it has no raw `?` but an encoded one (`%3F`); it is
//!   percent-decoded once (`+` is left for the pair decoding) and `double_encoded_url` is
//!   reported once per URL when something in it was used or dropped.
//! - Warnings about URL parameters point at `url_conversion`; paths are relative to the
//!   document normalized (the `marketing` object, or the whole request).
//! - [`Marketing`] serializes its keys in ascending byte order; an empty one is omitted from a
//!   request.
//! - [`Money`] accepts trailing zeros (`1.500`) and exponents (`1.5e3`), and tops out at
//!   `9999999999999.99` (`out_of_range` above), fifteen significant digits that survive any
//!   `f64`-based reader exactly.
//! - `expected_close_date` must have RFC 3339's shape (`T`, `t` or space; `Z` or `±HH:MM`);
//!   it is written back as UTC (`2024-03-15T00:00:00Z`).
//! - UUIDs are accepted in any form [`uuid::Uuid::parse_str`] reads and written hyphenated.
//! - Contact types are integers `>= 0`: a negative one is `out_of_range`, a fraction is
//!   `invalid_type`.
//! - `conflict` is reported at the object member (`/organization`, `/lead_source`).
//! - Errors come in the order of the API page's fields, unknown members last. A JSON object
//!   with a repeated member keeps the last one, as `serde_json` does.
//! - `primary_person_id` is checked against `persons_id` only when every entry of that is valid.
//! - The tracker's lead source is compared with the sent one by [`LeadSource`] equality: a
//!   catalog should answer in the form the gateway sends (id or name).
//!
//! # The models
//!
//! - [`CreateDealRequest`]: the validated payload, from JSON ([`CreateDealRequest::from_json`])
//!   or Rust ([`CreateDealRequest::builder`]); its errors are [`ValidationError`]s with an
//!   [`ErrorCode`], gathered in [`Rejected`].
//! - [`CreateDealResponse`] and [`DealDetail`]: the API's answers, read leniently (unknown
//!   members ignored, unknown enum values kept in [`Reported`] or [`DealStatus::Other`]).
//! - [`DealRef`]: a deal's UUID or numeric code, and its request path.
//! - [`BearerToken`]: the integration key, never printed; [`AllowedDomain`]: the key's
//!   `allowed_domain` check on `Origin` / `Referer`.
//! - [`Catalog`]: the gateway's lookups (tags, pipelines, trackers), all optional.
//!
//! # Feature flags
//!
//! - `cli` (off by default): the `wegly-attribution` command-line tool (`extract`,
//!   `normalize`), and its `clap` dependency. The library itself never depends on it.
#![forbid(unsafe_code)]

#[cfg(feature = "arrow")]
pub mod arrow;
mod auth;
mod catalog;
mod deal;
mod error;
mod lead_source;
mod marketing;
mod origin;
mod query;

pub use auth::{BearerToken, InvalidToken};
pub use catalog::{Catalog, Lookup, NoCatalog};
pub use deal::*;
pub use error::{ErrorCode, Rejected, ValidationError, Warning, WarningCode};
pub use lead_source::LeadSource;
pub use marketing::{
    ClickId, DEFAULT_MAX_VALUE_CHARS, Location, Marketing, Normalized, Normalizer, Platform,
    REDACTED, Repairs, TrackingParam, TrackingParams, is_tracking_key, redact_click_ids,
    tracking_params,
};
pub use origin::{AllowedDomain, InvalidDomain};
pub use query::{QueryPairs, query_pairs};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
