//! Marketing normalization (`docs/rules.md` §2): tracking keys, the five rules, real-world URL
//! repairs and the attribution and channel views.

mod attribution;
mod channel;
mod extract;
mod keys;
mod model;
mod normalize;
mod normalized;
#[cfg(test)]
mod tests;

pub use attribution::{ClickId, REDACTED, redact_click_ids};
pub use channel::{Channel, ChannelAttribution, ChannelRules, Touch};
pub use extract::{Location, Repairs, TrackingParam, TrackingParams, tracking_params};
pub(crate) use extract::{is_trimmed, trim_str};
pub use keys::{Platform, is_tracking_key};
pub use model::Marketing;
pub(crate) use normalize::MemberValue;
pub use normalize::{DEFAULT_MAX_VALUE_CHARS, Normalizer};
pub use normalized::Normalized;
