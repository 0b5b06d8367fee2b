//! The create-deal request and deal references (`docs/rules.md` §3, §4.2); the API's responses
//! are in [`response`](crate::response) (§4.1).

mod builder;
mod date;
mod draft;
mod enums;
mod json;
mod member;
mod money;
mod read;
mod reference;
mod request;

mod validate;

pub use builder::CreateDealBuilder;
pub use enums::{QualityRating, Temperature, Visibility};
#[cfg(fuzzing)]
#[doc(hidden)]
pub use json::from_json_without_quick_reader;
pub use money::{InvalidMoney, Money};
#[cfg(feature = "client")]
pub(crate) use reference::DEALS_PATH;
pub use reference::{DealRef, InvalidDealRef};
pub use request::{
    Contact, CreateDealRequest, CustomField, Follower, NewPerson, Note, Organization, Validated,
};
