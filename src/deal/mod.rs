//! The create-deal request, the API's responses and deal references (SPEC 3, 4.1, 4.2).

mod enums;
mod reference;
mod response;

pub use enums::{QualityRating, Temperature, Visibility};
pub use reference::{DealRef, InvalidDealRef};
pub use response::*;
