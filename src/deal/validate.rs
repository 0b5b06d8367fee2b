//! Validation of create-deal payloads (`docs/rules.md` §3, §3.1): the entry points. Bytes are read
//! in one pass by [`read`](super::read) into a draft; [`Draft::finish`] applies the value rules
//! shared with the builder.

use super::draft::Draft;
use super::json;
use super::member::Member;
use super::read::Request;
use super::request::{CreateDealRequest, Validated};
use crate::error::Diagnostics;
use crate::{Catalog, ErrorCode, Normalizer, Rejected};

impl Normalizer {
    /// Validates create-deal JSON bytes with this normalizer's options and catalog.
    ///
    /// # Errors
    ///
    /// [`Rejected`] with every problem found; see [`CreateDealRequest::from_json`].
    ///
    /// ```
    /// use wegly_attribution::Normalizer;
    /// let valid = Normalizer::new().max_value_chars(100).create_deal(br#"{"title": "T"}"#)?;
    /// assert_eq!(valid.request.title(), "T");
    /// # Ok::<(), wegly_attribution::Rejected>(())
    /// ```
    pub fn create_deal(&self, bytes: &[u8]) -> Result<Validated, Rejected> {
        validate(self, self.catalog_ref(), bytes)
    }
}

/// Reads and validates `bytes`.
fn validate(
    normalizer: &Normalizer,
    catalog: &dyn Catalog,
    bytes: &[u8],
) -> Result<Validated, Rejected> {
    let mut d = normalizer.diagnostics();
    let draft: Box<Draft<'_>> = match json::document(bytes, &mut d, Request::default) {
        Ok(Ok(draft)) => draft,
        Ok(Err(found)) => {
            return Err(Rejected::at_root(
                ErrorCode::InvalidType,
                format!("expected an object, found {}", found.kind()),
            ));
        }
        Err(err) => {
            return Err(Rejected::at_root(
                ErrorCode::InvalidJson,
                format!("not JSON: {err}"),
            ));
        }
    };
    let request = draft.finish(normalizer, catalog, &mut d);
    conclude(request, d)
}

/// The result of a validation: the request when nothing was wrong, else every error, in the
/// order of the API page's members (unknown members last).
pub(crate) fn conclude(
    request: Option<CreateDealRequest>,
    d: Diagnostics,
) -> Result<Validated, Rejected> {
    match request {
        Some(request) if !d.has_errors() => Ok(Validated {
            request,
            warnings: d.into_warnings(),
        }),
        _ => {
            let (errors, warnings) = d.finish(Member::rank);
            Err(Rejected { errors, warnings })
        }
    }
}

impl CreateDealRequest {
    /// Validates create-deal JSON bytes (`docs/rules.md` §3), normalizing `marketing`
    /// (`docs/rules.md` §2).
    ///
    /// One pass over the bytes, with no tree in between. `null` counts as "not sent" for every
    /// optional member; a required one that is `null` is `required`. Strings are trimmed; an
    /// empty `quality_reason` counts as not sent. A member repeated in an object counts once:
    /// the last occurrence wins, with warning `duplicate_member` (`docs/rules.md` §3.1).
    ///
    /// # Errors
    ///
    /// [`Rejected`] with **every** problem found (up to 100, then `too_many_errors`), each with
    /// a JSON Pointer `path`, a stable [`ErrorCode`] and a message, in the order of the API
    /// page's fields (unknown members last). Bytes that are not JSON give one `invalid_json`
    /// error at path `""`.
    ///
    /// ```
    /// use wegly_attribution::CreateDealRequest;
    ///
    /// let json = r#"{"title": "Implementação completa CRM", "value": 75000.5,
    ///     "marketing": {"url_conversion": "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ"}}"#.as_bytes();
    /// let valid = CreateDealRequest::from_json(json)?;
    /// let marketing = valid.request.marketing().ok_or("no marketing")?;
    /// assert_eq!(marketing.get("wegly_campaign"), Some("crm-enterprise"));
    /// assert_eq!(valid.request.value().map(|v| v.cents()), Some(7_500_050));
    ///
    /// let Err(rejected) = CreateDealRequest::from_json(br#"{"title": "", "value": 10.555}"#) else {
    ///     return Err("accepted".into());
    /// };
    /// let codes: Vec<&str> = rejected.errors.iter().map(|e| e.code().as_str()).collect();
    /// assert_eq!(codes, ["required", "too_many_decimals"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Validated, Rejected> {
        const DEFAULT: Normalizer = Normalizer::new();
        DEFAULT.create_deal(bytes)
    }
}
