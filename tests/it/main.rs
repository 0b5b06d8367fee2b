//! Integration tests: one binary, one module per concern (data in `tests/data/`).

// The no-panic lints guard `src/`; a test that unwraps is a test that fails loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::type_complexity
)]

mod alloc;
#[cfg(feature = "arrow")]
mod arrow;
mod channel;
mod cli;
mod deal;
mod differential;
mod docs;
#[cfg(all(feature = "axum", feature = "client"))]
mod gateway;
mod hostile;
mod idempotence;
mod oracle;
mod properties;
mod request_path;
mod wpt;

/// A report's path or message written out as a `&'static str` (leaked: tests only), so that a
/// table of expected `(&str, …)` rows compares with what a call reported.
pub(crate) fn text(shown: impl std::fmt::Display) -> &'static str {
    Box::leak(shown.to_string().into_boxed_str())
}
