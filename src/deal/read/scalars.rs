//! Converters: a scalar read where a member's type belongs. Each reports a wrong type at the
//! current path; `null` is "not sent".

use std::borrow::Cow;

use serde_json::value::RawValue;
use uuid::Uuid;

use super::super::date;
use super::super::draft::{Field, report_date};
use super::super::json::Scalar;
use super::super::money::Money;
use crate::error::{Diagnostics, JsonType, excerpt};
use crate::marketing::trim_str;
use crate::{ErrorCode, WarningCode};

pub(super) fn string<'de>(found: Scalar<'de>, d: &mut Diagnostics) -> Field<Cow<'de, str>> {
    match found {
        Scalar::Null => Field::Absent,
        Scalar::Str(text) => Field::Value(text),
        other => {
            d.invalid_type("a string", other.kind());
            Field::Invalid
        }
    }
}

pub(super) fn boolean(found: Scalar<'_>, d: &mut Diagnostics) -> Field<bool> {
    match found {
        Scalar::Null => Field::Absent,
        Scalar::Bool(flag) => Field::Value(flag),
        other => {
            d.invalid_type("a boolean", other.kind());
            Field::Invalid
        }
    }
}

pub(super) fn uuid(found: Scalar<'_>, d: &mut Diagnostics) -> Field<Uuid> {
    let text = match string(found, d) {
        Field::Value(text) => text,
        Field::Absent => return Field::Absent,
        Field::Invalid => return Field::Invalid,
    };
    let text = trim_str(&text);
    match Uuid::parse_str(text) {
        Ok(id) => Field::Value(id),
        Err(_) => {
            d.error(
                ErrorCode::InvalidUuid,
                format_args!("expected a UUID, found `{}`", excerpt(text)),
            );
            Field::Invalid
        }
    }
}

/// One of the small integer enums: a whole number that is one of the codes (`docs/rules.md` §3.1:
/// `4.0` is 4; `4.5`, `7` and `1e400` are `invalid_enum`).
pub(super) fn code<T>(
    found: Scalar<'_>,
    d: &mut Diagnostics,
    from_code: fn(i64) -> Option<T>,
    options: &str,
) -> Field<T> {
    match found {
        Scalar::Null => Field::Absent,
        Scalar::Num(number) => {
            let known = number
                .whole()
                .and_then(|n| i64::try_from(n).ok())
                .and_then(from_code);
            match known {
                Some(value) => Field::Value(value),
                None => {
                    d.error(
                        ErrorCode::InvalidEnum,
                        format_args!("expected {options}, found {number}"),
                    );
                    Field::Invalid
                }
            }
        }
        other => {
            d.invalid_type("an integer", other.kind());
            Field::Invalid
        }
    }
}

/// A contact type: a whole number from 0 to `u32::MAX` (a fraction is `invalid_type`, a
/// negative or too large number `out_of_range`).
pub(super) fn contact_type(found: Scalar<'_>, d: &mut Diagnostics) -> Field<u32> {
    let number = match found {
        Scalar::Null => return Field::Absent,
        Scalar::Num(number) => number,
        other => {
            d.invalid_type("an integer", other.kind());
            return Field::Invalid;
        }
    };
    if !number.is_whole() {
        d.invalid_type("an integer", "a number with a fraction");
        return Field::Invalid;
    }
    match number.whole().and_then(|n| u32::try_from(n).ok()) {
        Some(kind) => Field::Value(kind),
        None => {
            d.error(
                ErrorCode::OutOfRange,
                format_args!("expected an integer from 0 to {}, found {number}", u32::MAX),
            );
            Field::Invalid
        }
    }
}

/// `value`: read from its JSON text, exactly (see [`Money`]).
pub(super) fn money(raw: &RawValue, d: &mut Diagnostics) -> Field<Money> {
    let text = raw.get();
    let found = match text.as_bytes().first() {
        Some(b'n') => return Field::Absent,
        Some(b'"') => Some(JsonType::String),
        Some(b't' | b'f') => Some(JsonType::Boolean),
        Some(b'[') => Some(JsonType::Array),
        Some(b'{') => Some(JsonType::Object),
        _ => None,
    };
    if let Some(found) = found {
        d.invalid_type("a number", found.name());
        return Field::Invalid;
    }
    match Money::parse(text) {
        Ok(money) => Field::Value(money),
        Err(err) => {
            d.error(err.code(), format_args!("{err}: `{}`", excerpt(text)));
            Field::Invalid
        }
    }
}

/// `expected_close_date`: RFC 3339, or a bare date read as midnight UTC with `date_only`.
pub(super) fn close_date(found: Scalar<'_>, d: &mut Diagnostics) -> Field<jiff::civil::DateTime> {
    let found = match found {
        Scalar::Str(text) => text,
        Scalar::Null => return Field::Absent,
        other => {
            d.invalid_type("a date-time string", other.kind());
            return Field::Invalid;
        }
    };
    let text = trim_str(&found);
    match date::parse(text) {
        Ok(parsed) => {
            if parsed.date_only {
                d.warn(
                    WarningCode::DateOnly,
                    format_args!("`{text}` has no time; read as {text}T00:00:00Z"),
                );
            }
            Field::Value(parsed.utc)
        }
        Err(err) => {
            report_date(d, err, text);
            Field::Invalid
        }
    }
}

/// An object member: `null` is not sent, another type is `invalid_type`.
pub(super) fn object<T>(read: Result<T, Scalar<'_>>, d: &mut Diagnostics) -> Field<T> {
    container(read, d, "an object")
}

/// An array member: `null` is not sent, another type is `invalid_type`.
pub(super) fn array<T>(read: Result<T, Scalar<'_>>, d: &mut Diagnostics) -> Field<T> {
    container(read, d, "an array")
}

pub(super) fn container<T>(
    read: Result<T, Scalar<'_>>,
    d: &mut Diagnostics,
    expected: &str,
) -> Field<T> {
    match read {
        Ok(made) => Field::Value(made),
        Err(Scalar::Null) => Field::Absent,
        Err(other) => {
            d.invalid_type(expected, other.kind());
            Field::Invalid
        }
    }
}
