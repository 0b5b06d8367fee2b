//! Wegly attribution (WIP crate docs)
#![forbid(unsafe_code)]

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
pub use marketing::*;
pub use origin::{AllowedDomain, InvalidDomain};
pub use query::{QueryPairs, query_pairs};
