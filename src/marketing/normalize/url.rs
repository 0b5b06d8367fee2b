//! Rule 2 (`docs/rules.md` §2.2-2.3): the pairs of `url_conversion` fill the keys not sent,
//! with the repairs their reading needed reported.

use std::collections::HashMap;

use super::super::extract::{Location, TrackingParam, tracking_params};
use super::super::model::{
    Key, Marketing, Span, URL_CONVERSION, common as common_index, common_bit, common_name,
};
use super::{Commons, FEW, Normalizer};
use crate::error::{Key as Named, Repair, WarningCode, WarningSink, excerpt};

impl Normalizer {
    /// Rule 2 with the repairs of `docs/rules.md` §2.3: fills the keys not sent explicitly from
    /// `url` (whose copy is at `at`), first occurrence first, and notes the click ids.
    /// `sent` is the set of the common keys sent; the URL's common keys go into `common`, its
    /// others into `marketing`.
    pub(super) fn extract<W: WarningSink>(
        &self,
        marketing: &mut Marketing,
        common: &mut Commons,
        url: &str,
        at: Span,
        sent: u32,
        w: &mut W,
    ) {
        // The entries `0..explicit` were sent; those after it come from this URL.
        let explicit = marketing.entries().len();
        let mut filled = Filled::default();
        let mut params = tracking_params(url);
        let double_encoded = params.double_encoded();
        if double_encoded {
            marketing.note_double_encoded();
        }
        let mut touched = false;
        while let Some(param) = params.next_inlined() {
            if param.platform().is_some() {
                marketing.note_click(&param, at, url);
            }
            if !param.is_tracking_key() {
                continue;
            }
            let key = param.key();
            // Most keys are common ones: their index answers the lookups below.
            let index = common_index(key);
            let first = match index {
                Some(URL_CONVERSION) => continue,
                Some(index) if sent & common_bit(index) != 0 => continue,
                Some(index) => common.get(index),
                None if marketing.find_sorted(explicit, key).is_some() => continue,
                None => filled.find(marketing, explicit, key),
            };
            if let Some(first) = first {
                let first = marketing.value_text(first);
                if first != param.value() {
                    touched = true;
                    w.warn(
                        WarningCode::DuplicateParam,
                        format_args!(
                            "`{key}` appears again with `{}`; the first value `{}` is kept",
                            excerpt(param.value()),
                            excerpt(first),
                        ),
                    );
                }
                continue;
            }
            touched = true;
            if self.too_long(param.value()) {
                w.warn(
                    WarningCode::ValueTooLong,
                    self.too_long_message(key, param.value(), "in the URL"),
                );
                continue;
            }
            warn_repairs(&param, index, w);
            let value = param.value();
            let Some(value) =
                Marketing::span_within(at, url, value).or_else(|| marketing.push_text(value))
            else {
                continue;
            };
            if let Some(index) = index {
                common.put(index, value);
                continue;
            }
            let key = match Marketing::span_within(at, url, key) {
                Some(span) => Some(Key::Text(span)),
                None => marketing.key_for(key),
            };
            if let Some(key) = key {
                marketing.push(key, value);
                filled.added(marketing, explicit);
            }
        }
        if double_encoded && touched {
            w.warn(
                WarningCode::DoubleEncodedUrl,
                "the URL was percent-encoded twice; parameters were read after decoding it once",
            );
        }
    }
}

/// The keys other than common ones that a URL filled: compared one by one while they are
/// few, and through a hash map once there are many (a hostile URL may hold 100 000 pairs).
#[derive(Default)]
struct Filled {
    index: Option<HashMap<String, usize>>,
}

impl Filled {
    /// The value a URL already gave `key`, which is not a common key.
    fn find(&self, marketing: &Marketing, explicit: usize, key: &str) -> Option<Span> {
        let entries = marketing.entries();
        let at = match &self.index {
            Some(index) => index.get(key).copied(),
            None => entries
                .get(explicit..)?
                .iter()
                .position(|entry| marketing.key_text(entry.key) == key)
                .map(|i| explicit + i),
        }?;
        entries.get(at).map(|entry| entry.value)
    }

    /// Notes the entry just pushed.
    fn added(&mut self, marketing: &Marketing, explicit: usize) {
        let entries = marketing.entries();
        let count = entries.len() - explicit;
        let last = entries.len().wrapping_sub(1);
        match (entries.last(), &mut self.index) {
            (Some(entry), Some(index)) => {
                index.insert(marketing.key_text(entry.key).to_owned(), last);
            }
            (_, None) if count > FEW => {
                let index = entries
                    .iter()
                    .enumerate()
                    .skip(explicit)
                    .map(|(i, entry)| (marketing.key_text(entry.key).to_owned(), i))
                    .collect();
                self.index = Some(index);
            }
            _ => {}
        }
    }
}

/// One warning for each repair a used value needed (`docs/rules.md` §2.3). The messages are
/// written only when read: a hash router repeats `param_in_fragment` on every parameter.
/// `index` is the key's common index, if it has one: its text is then `'static`.
#[inline]
fn warn_repairs<W: WarningSink>(param: &TrackingParam<'_>, index: Option<u8>, w: &mut W) {
    let repairs = param.repairs();
    if repairs.is_empty() && param.location() == Location::Query {
        return;
    }
    let key = param.key();
    let key = || Named::new(key, index.and_then(common_name));
    if param.location() == Location::Fragment {
        w.warn_repair(WarningCode::ParamInFragment, Repair::InFragment, key());
    }
    if repairs.html_escaped_separator() {
        w.warn_repair(
            WarningCode::HtmlEscapedSeparator,
            Repair::HtmlEscapedSeparator,
            key(),
        );
    }
    if repairs.invalid_percent_encoding() {
        w.warn_repair(
            WarningCode::InvalidPercentEncoding,
            Repair::InvalidPercentEncoding,
            key(),
        );
    }
    if repairs.invalid_utf8() {
        w.warn_repair(WarningCode::InvalidUtf8, Repair::InvalidUtf8, key());
    }
}
