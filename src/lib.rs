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
//! let marketing = Marketing::from_url("https://landing.wegly.com.br/obrigado?UTM_Source=Google&gclid=AbC");
//! assert_eq!(marketing.get("wegly_source"), Some("Google"));
//! assert_eq!(marketing.click_ids().next().map(|id| id.platform.as_str()), Some("google"));
//!
//! // A whole payload: validated, normalized, ready to send.
//! let valid = CreateDealRequest::from_json(r#"{"title": "Implantação CRM", "value": 1500.5,
//!     "marketing": {"url_conversion": "https://x.com.br/lp?utm_campaign=bf"}}"#.as_bytes())?;
//! let body = serde_json::to_string(&valid.request)?;
//! assert!(body.contains(r#""wegly_campaign":"bf""#));
//!
//! // Every problem at once, with a JSON Pointer and a stable code.
//! let Err(rejected) = CreateDealRequest::from_json(br#"{"title": "", "visibility": 9}"#) else {
//!     return Err("the payload should be rejected".into());
//! };
//! let found: Vec<String> = rejected.errors.iter().map(|e| format!("{} {}", e.path(), e.code())).collect();
//! assert_eq!(found, ["/title required", "/visibility invalid_enum"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The normalization rules
//!
//! In short here; in full, numbered as the docs cite them, in `docs/rules.md` in the
//! repository (§2 marketing, §3 the request, §4 around it, §5 the command-line tool).
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
//! A URL needs no scheme, nor to be valid: extraction reads what follows its first `?`, and
//! that is no warning. Real-world URLs are repaired and reported, each with its own
//! [`WarningCode`] (`docs/rules.md` §2.3): parameters in the fragment (`param_in_fragment`),
//! `&amp;` separators (`html_escaped_separator`), a URL percent-encoded once more
//! (`double_encoded_url`), bad escapes (`invalid_percent_encoding`, `invalid_utf8`), values over
//! the limit (`value_too_long`, 1000 characters by default, see [`Normalizer::max_value_chars`]). A
//! repair that fills nothing warns nothing, so normalizing a normalized object is silent. Only a
//! wrong JSON type is an error: a lead is never rejected for a tracking anomaly.
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
//!   the query filled is a `duplicate_param`. A fragment is a hash route, its parameters what
//!   follows its first `?`, only when no `=` comes before that `?` (`#/ok?utm_source=x`);
//!   otherwise the whole fragment is read as pairs (`#utm_source=a?b` gives `a?b`;
//!   `docs/rules.md` §2.3).
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
//!   it is written back as UTC (`2024-03-15T00:00:00Z`, a fraction only when there is one) and
//!   read as a UTC `jiff::civil::DateTime`, which reaches the end of year 9999. A leap second
//!   `60` is read as `59` (seconds `61` and above are `invalid_date_time`, as RFC 3339's
//!   grammar says); fractional digits past nanoseconds are cut, not rounded.
//! - UUIDs are accepted in any form [`uuid::Uuid::parse_str`] reads and written hyphenated.
//! - Contact types are integers `>= 0`: a negative one is `out_of_range`, a fraction is
//!   `invalid_type`.
//! - `conflict` is reported at the object member (`/organization`, `/lead_source`).
//! - Errors come in the order of the API page's fields (nested members too), unknown members
//!   last, and the items of a list in index order.
//! - A repeated JSON member gives one `duplicate_member` warning, at its path, however often it
//!   is repeated. An earlier occurrence's reports are withdrawn; if it held more than the
//!   error limit, the errors it pushed past the limit stay counted in `too_many_errors`.
//! - `custom_fields` members are written in ascending name order, without insignificant white
//!   space; `CustomField::member("field_id", …)` is ignored (the id is the one given to
//!   `new`). An answer nested deeper than 127 levels is `invalid_json`: the crate would pass on
//!   JSON that `serde_json`'s readers refuse.
//! - A catalog's tracker lead source is trimmed; a blank one is ignored with warning
//!   `invalid_catalog_answer` at `/marketing/wegly_code`.
//! - `primary_person_id` is checked against `persons_id` only when every entry of that is valid.
//! - The tracker's lead source is compared with the sent one by [`LeadSource`] equality: a
//!   catalog should answer in the form the gateway sends (id or name).
//!
//! # The channel view
//!
//! [`Marketing::channel`] answers "which channel brought this lead" with Google Analytics 4's
//! default channel group, as of its May 2026 AI-assistant channel (`docs/rules.md` §2.6),
//! without changing the payload. Its inputs, trimmed and ASCII-lowercased: `wegly_source`
//! (else `utm_source`), `wegly_medium` (else `utm_medium`), `wegly_campaign` (else
//! `utm_campaign`) and the click ids. When neither a source nor a medium was sent, the first
//! click id of this order supplies them: `gclid`, `gbraid`, `wbraid`, `gad_source` (google /
//! cpc), `dclid` (google / display), `msclkid` (bing / cpc), `yclid` (yandex / cpc), `ttclid`,
//! `li_fat_id`, `twclid`, `rdt_cid`, `epik`, `sccid`, `qclid` (tiktok, linkedin, twitter,
//! reddit, pinterest, snapchat, quora / paid), `irclid` (impact / affiliate), `_kx` (klaviyo /
//! email), `mc_cid` (mailchimp / email), `fbclid`, `igshid` (facebook, instagram / referral);
//! `gclsrc` and `ko_click_id` supply nothing. The first rule that holds gives the [`Channel`]:
//!
//! | # | channel | rule |
//! |---|---|---|
//! | 1 | `cross_network` | campaign contains `cross-network` |
//! | 2 | `paid_shopping` | (shopping source or shop campaign) and paid medium |
//! | 3 | `paid_search` | search source and paid medium |
//! | 4 | `paid_social` | social source and paid medium |
//! | 5 | `paid_video` | video source and paid medium |
//! | 6 | `display` | medium `display`, `banner`, `expandable`, `interstitial` or `cpm` |
//! | 7 | `paid_other` | paid medium |
//! | 8 | `ai_assistant` | AI-assistant source (`chatgpt.com`, `perplexity`, ...), or medium `ai-assistant` |
//! | 9 | `organic_shopping` | shopping source or shop campaign |
//! | 10 | `organic_social` | social source, or medium `social`, `social-network`, `social-media`, `sm`, `social network`, `social media` |
//! | 11 | `organic_video` | video source, or medium contains `video` |
//! | 12 | `organic_search` | search source, or medium `organic` |
//! | 13 | `email` | source or medium `email`, `e-mail`, `e_mail`, `e mail` |
//! | 14 | `affiliates` | medium `affiliate` |
//! | 15 | `referral` | medium `referral`, `app` or `link` |
//! | 16 | `audio` | medium `audio` |
//! | 17 | `sms` | source or medium `sms` |
//! | 18 | `mobile_push` | medium ends with `push` or contains `mobile` or `notification`, or source `firebase` |
//! | 19 | `direct` | no source, medium or click id |
//! | 20 | `unassigned` | anything else |
//!
//! A *paid medium* matches `^(.*cp.*|ppc|retargeting|paid.*)$`; a *shop campaign* matches
//! `^(.*(([^a-df-z]|^)shop|shopping).*)$` (`eshop`, `e-shop` and `shopping` do, `myshop` does
//! not).
//!
//! ## Where the source lists come from
//!
//! Three lists, all inside the crate (the files of `data/`, embedded at build time and indexed
//! once in a hash map, so a source costs one lookup per dotted suffix however long the lists):
//!
//! - GA4's source categories, `data/ga4_source_categories.csv`: 819 sources in *search*,
//!   *social*, *video* and *shopping*, the list GA4's default channel group matches `source`
//!   against (Google's channel definitions, support.google.com/analytics/answer/9756891; this
//!   copy from the dbt-ga4 package, MIT, `data/ga4_source_categories.LICENSE`).
//! - The AI assistants' sources, `data/ai_assistants.csv`: their hosts (`chatgpt.com`,
//!   `perplexity.ai`, `gemini.google.com`, ...) and the bare names they put in `utm_source`.
//! - The project's list, the Brazilian market's sources GA4 lacks and the one-label names the
//!   label step uses: *search* google, bing, yahoo, duckduckgo, baidu, yandex, ecosia, naver,
//!   search.brave.com; *social* facebook, fb, instagram, ig, linkedin, lnkd.in, twitter, t.co,
//!   x, tiktok, pinterest, reddit, whatsapp, telegram, threads, snapchat, kwai, quora; *video*
//!   youtube, vimeo, twitch, dailymotion; *shopping* mercadolivre, mercadolibre, shopee,
//!   amazon, magalu, americanas, aliexpress, google shopping.
//!
//! A source has at most one category, found in four steps: 1. an AI assistant's entry, or a
//! subdomain of a dotted one (`www.perplexity.ai`); 2. an entry of GA4's list or the project's
//! (GA4's wins where both hold one: `line.me`, `ebay.de`, `yahoo.co.jp`); 3. for a host name,
//! the longest dotted entry it ends with (`pt-br.facebook.com` is `facebook.com`;
//! `br.answers.yahoo.com` is `answers.yahoo.com`, social, not `yahoo.com`, search); 4. for a
//! host name, the leftmost of its labels but the last that equals a one-label entry of the
//! project's list (`google.com.br`, `lista.mercadolivre.com.br`; `googleads` is not `google`).
//! GA4's one-label entries (`line`, `cnn`, `ask`) match exactly only.
//!
//! To refresh a list, copy its new file over the one in `data/`: a test holds the crate's
//! index to the files row by row (and to `../shared/data/` when the checkout has it). To add
//! entries, [`ChannelRules`] has a setter for every list, the AI assistants' included; an
//! added entry counts as the project's (so a one-label one matches labels too):
//!
//! ```
//! use wegly_attribution::{Channel, ChannelRules, Marketing};
//!
//! let marketing = Marketing::from_url("https://x.com.br/lp?utm_source=Kagi.com&utm_medium=referral");
//! assert_eq!(marketing.channel().channel, Channel::Referral);
//! let rules = ChannelRules::new().search_source("kagi").social_source("bsky.app");
//! let found = marketing.channel_with(&rules);
//! assert_eq!((found.channel, found.source.as_deref()), (Channel::OrganicSearch, Some("kagi.com")));
//! assert_eq!(serde_json::to_string(&found)?, r#"{"channel":"organic_search","source":"kagi.com","medium":"referral"}"#);
//!
//! // A click id stands in for a missing source and medium.
//! let marketing = Marketing::from_url("https://x.com.br/lp?utm_campaign=bf&fbclid=F&msclkid=M");
//! assert_eq!(serde_json::to_string(&marketing.channel())?, r#"{"channel":"paid_search","source":"bing","medium":"cpc"}"#);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! ## Choices where the specification is open
//!
//! - Trimming is rule 1's (Unicode `White_Space` and U+FEFF); only ASCII letters are
//!   lowercased; white space inside a value is kept, so `google shopping` matches the
//!   shopping entry as a plain string and `google  shopping` does not.
//! - A source is a host name when it is two or more non-empty labels of ASCII letters, digits,
//!   `-` and `_`, as the rules define it: nothing is dropped first, so `google.com:443`,
//!   `google.com.` and `https://google.com` are only compared whole (GA4 would not read them
//!   as `google.com` either).
//! - A caller's entry added to several lists takes the category whose paid rule comes first:
//!   shopping, search, social, video.
//! - `gad_source` is a Google Ads click (Google adds it to ad clicks, with or without a
//!   `gclid`): it infers google / cpc, after the three Google click ids.
//! - As in GA4's regular expressions, `.` matches no line break: a medium with one is never
//!   paid, and a campaign matches the shop pattern across at most the one break right before
//!   `shop`.
//! - An added entry is trimmed and ASCII-lowercased; an empty one is ignored.
//! - Only the source and the medium, which the result returns, are lowercased, and only when
//!   they hold upper case: that copy is the one allocation the channel makes. The campaign is
//!   compared as its ASCII-lowercase form without being copied.
//! - Click ids count as [`Marketing::click_ids`] finds them (`gclid` and `fbclid` from the
//!   normalized fields, the others from `url_conversion`); their names match
//!   ASCII-case-insensitively in [`ChannelRules::attribute`].
//!
//! # The models
//!
//! - [`CreateDealRequest`]: the validated payload, from JSON ([`CreateDealRequest::from_json`])
//!   or Rust ([`CreateDealRequest::builder`]); its errors are [`ValidationError`]s with an
//!   [`ErrorCode`], gathered in [`Rejected`].
//! - [`response::CreateDealResponse`] and [`response::DealDetail`]: the API's answers, read leniently (unknown
//!   members ignored, unknown enum values kept in [`response::Reported`] or [`response::DealStatus::Other`]).
//! - [`DealRef`]: a deal's UUID or numeric code, and its request path.
//! - [`BearerToken`]: the integration key, never printed; [`AllowedDomain`]: the key's
//!   `allowed_domain` check on `Origin` / `Referer`.
//! - [`Catalog`]: the gateway's lookups (tags, pipelines, trackers), all optional;
//!   [`MemoryCatalog`] holds them in memory, read from JSON (the CLI's `--catalog` file).
//!
//! # Feature flags
//!
//! - `cli` (off by default): the `wegly-attribution` command-line tool (`normalize`,
//!   `extract`), and its `clap` dependency. The library itself never depends on it.
//! - `axum` (off by default): [`gateway`], an axum 0.8 extractor for create-deal POSTs
//!   (content type, body limit, `Origin`/`Referer`, validation) whose refusals are JSON
//!   responses, configured once in the application state.
//! - `client` (off by default): [`client`], an async client for the two API pages on
//!   `reqwest` 0.12 with rustls (`ring`, no OpenSSL), with timeouts and retries that never
//!   create a deal twice. It needs a tokio runtime.
//! - `arrow` (off by default): [`arrow`], kernels over Arrow string columns
//!   (`normalize_urls`, `validate_deals`) for warehouse engines, on `arrow-array`,
//!   `arrow-buffer` and `arrow-schema` (not the whole `arrow` crate). The Python package
//!   `wegly_attribution` (`python/`, pyo3 and maturin) wraps them for Spark, Ray, Dask, DuckDB
//!   and Polars.
//!
//! Without features the crate does no I/O: `tokio`, `hyper` and `reqwest` are not in its
//! dependency tree (CI checks it). On docs.rs every feature is on, and each item that needs
//! one says which.
//!
// Without its feature a module is not there to link to: the links go to docs.rs, where every
// feature is on (`[package.metadata.docs.rs]`).
#![cfg_attr(
    not(feature = "axum"),
    doc = "[`gateway`]: https://docs.rs/wegly-attribution/latest/wegly_attribution/gateway/index.html"
)]
#![cfg_attr(
    not(feature = "client"),
    doc = "[`client`]: https://docs.rs/wegly-attribution/latest/wegly_attribution/client/index.html"
)]
#![cfg_attr(
    not(feature = "arrow"),
    doc = "[`arrow`]: https://docs.rs/wegly-attribution/latest/wegly_attribution/arrow/index.html"
)]
// docs.rs builds with `--cfg docsrs` on nightly: show the feature each item needs. Stable never
// sees the unstable feature.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

#[cfg(feature = "arrow")]
#[cfg_attr(docsrs, doc(cfg(feature = "arrow")))]
pub mod arrow;
mod auth;
mod catalog;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
mod deal;
mod error;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod gateway;
mod lead_source;
mod marketing;
mod origin;
mod query;
pub mod response;

pub use auth::{BearerToken, InvalidToken};
pub use catalog::{Catalog, CatalogError, Lookup, MemoryCatalog, NoCatalog, Pipeline};
pub use deal::*;
pub use error::{
    DEFAULT_MAX_REPORTS, ErrorCode, Message, Pointer, Rejected, ValidationError, Warning,
    WarningCode,
};
/// The `jiff` crate, whose `Timestamp` the request's `expected_close_date` and the responses'
/// dates are: use it without adding it, at the same version.
pub use jiff;
pub use lead_source::LeadSource;
pub use marketing::{
    Channel, ChannelAttribution, ChannelRules, ClickId, DEFAULT_MAX_VALUE_CHARS, Location,
    Marketing, Normalized, Normalizer, Platform, REDACTED, Repairs, Touch, TrackingParam,
    TrackingParams, is_tracking_key, redact_click_ids, tracking_params,
};
pub use origin::{AllowedDomain, InvalidDomain};
pub use query::{QueryPairs, query_pairs};
/// The `uuid` crate, whose `Uuid` the request's and responses' ids are: use it without adding
/// it, at the same version.
pub use uuid;

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
