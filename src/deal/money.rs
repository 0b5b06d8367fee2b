//! Exact money: the deal's `value`, held in integer cents.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::ErrorCode;

/// A non-negative amount with at most two decimal places, held exactly in cents.
///
/// The API takes `value` as a JSON number "with up to 2 decimal places". Reading it through
/// `f64` would accept `10.555` or turn `0.1 + 0.2` drift into cents, so the crate reads the
/// number's text instead: trailing zeros are fine (`1.500` is `1.50`), exponents are applied
/// exactly (`1.5e3` is `1500.00`). The largest amount is `9_999_999_999_999.99`: fifteen
/// significant digits, which every `f64`-based JSON reader on the API side reads back exactly.
///
/// ```
/// use wegly_attribution::Money;
///
/// let value: Money = "75000.5".parse()?;
/// assert_eq!(value.cents(), 7_500_050);
/// assert_eq!(value.to_string(), "75000.50");
/// assert_eq!(serde_json::to_string(&value)?, "75000.5");
/// assert!("10.555".parse::<Money>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Money {
    cents: u64,
}

impl Money {
    /// The largest amount, in cents.
    ///
    /// ```
    /// use wegly_attribution::Money;
    /// assert_eq!(Money::parse("9999999999999.99")?.cents(), Money::MAX_CENTS);
    /// assert_eq!(Money::from_cents(Money::MAX_CENTS + 1), None);
    /// # Ok::<(), wegly_attribution::InvalidMoney>(())
    /// ```
    pub const MAX_CENTS: u64 = 999_999_999_999_999;

    /// Zero.
    ///
    /// ```
    /// use wegly_attribution::Money;
    /// assert_eq!("0.00".parse::<Money>()?, Money::ZERO);
    /// assert_eq!(Money::ZERO.to_string(), "0.00");
    /// # Ok::<(), wegly_attribution::InvalidMoney>(())
    /// ```
    pub const ZERO: Money = Money { cents: 0 };

    /// An amount in cents, or `None` above [`Money::MAX_CENTS`].
    ///
    /// ```
    /// use wegly_attribution::Money;
    /// assert_eq!(Money::from_cents(150).map(|m| m.to_string()), Some("1.50".to_owned()));
    /// assert_eq!(Money::from_cents(u64::MAX), None);
    /// ```
    #[must_use]
    pub const fn from_cents(cents: u64) -> Option<Money> {
        if cents <= Self::MAX_CENTS {
            Some(Money { cents })
        } else {
            None
        }
    }

    /// The amount in cents.
    ///
    /// ```
    /// use wegly_attribution::Money;
    /// assert_eq!("1299.99".parse::<Money>()?.cents(), 129_999);
    /// # Ok::<(), wegly_attribution::InvalidMoney>(())
    /// ```
    #[must_use]
    pub const fn cents(self) -> u64 {
        self.cents
    }

    /// Parses a decimal number in JSON number syntax (`12`, `12.5`, `1.25e2`).
    ///
    /// # Errors
    ///
    /// [`InvalidMoney`] naming the [`ErrorCode`]: `negative`, `too_many_decimals`,
    /// `out_of_range`, or `invalid_type` when the text is not a JSON number.
    ///
    /// ```
    /// use wegly_attribution::{ErrorCode, Money};
    /// assert_eq!(Money::parse("1e400").unwrap_err().code(), ErrorCode::OutOfRange);
    /// assert_eq!(Money::parse("-0.01").unwrap_err().code(), ErrorCode::Negative);
    /// assert_eq!(Money::parse("1.2300")?.cents(), 123);
    /// # Ok::<(), wegly_attribution::InvalidMoney>(())
    /// ```
    pub fn parse(text: &str) -> Result<Money, InvalidMoney> {
        parse_cents(text)
            .map(|cents| Money { cents })
            .map_err(|code| InvalidMoney { code })
    }
}

/// Why a text is not a [`Money`] amount.
///
/// ```
/// use wegly_attribution::Money;
/// let err = "10.555".parse::<Money>().unwrap_err();
/// assert_eq!(err.to_string(), "the amount has more than 2 decimal places");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", message(self.code))]
pub struct InvalidMoney {
    code: ErrorCode,
}

impl InvalidMoney {
    /// The validation code this failure reports.
    ///
    /// ```
    /// use wegly_attribution::Money;
    /// let err = Money::parse("10.555").unwrap_err();
    /// assert_eq!(err.code().as_str(), "too_many_decimals");
    /// ```
    #[must_use]
    pub const fn code(self) -> ErrorCode {
        self.code
    }
}

#[cold]
fn message(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Negative => "the amount is negative",
        ErrorCode::TooManyDecimals => "the amount has more than 2 decimal places",
        ErrorCode::OutOfRange => "the amount is above 9999999999999.99",
        _ => "not a decimal number",
    }
}

impl FromStr for Money {
    type Err = InvalidMoney;

    fn from_str(text: &str) -> Result<Money, InvalidMoney> {
        Money::parse(text)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.cents / 100, self.cents % 100)
    }
}

impl Serialize for Money {
    /// A JSON number: an integer when there are no cents, else the shortest decimal. Both are
    /// exact: at most fifteen significant digits survive the trip through `f64`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.cents.is_multiple_of(100) {
            serializer.serialize_u64(self.cents / 100)
        } else {
            // OK as a float: `cents <= MAX_CENTS < 2^53`, so the division is correctly rounded
            // and its shortest representation is the decimal itself.
            #[allow(clippy::cast_precision_loss)]
            serializer.serialize_f64(self.cents as f64 / 100.0)
        }
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Reads the JSON number or its string form (`"75000.50"`, as [`Display`](fmt::Display)
    /// writes it), with the rules of [`Money::parse`]: an amount that `parse` refuses is an
    /// error, never rounded.
    ///
    /// Integers are exact. A fractional number reaches a generic `Deserialize` as an `f64`; it
    /// is read through its shortest decimal form, which gives back every valid amount exactly
    /// (at most fifteen significant digits). Only a number written with more than seventeen
    /// significant digits can differ from its text: it is judged as the nearest `f64`. With
    /// `serde_json`'s `arbitrary_precision` feature the number's text itself is read.
    ///
    /// ```
    /// use wegly_attribution::Money;
    ///
    /// let amounts: Vec<Money> = serde_json::from_str(r#"[75000.5, "75000.50", 1500, 1.5e3]"#)?;
    /// let cents: Vec<u64> = amounts.iter().map(|m| m.cents()).collect();
    /// assert_eq!(cents, [7_500_050, 7_500_050, 150_000, 150_000]);
    /// assert!(serde_json::from_str::<Money>("10.555").is_err());
    /// assert!(serde_json::from_str::<Money>("-1").is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

/// The key under which `serde_json` with `arbitrary_precision` hands a number's text to
/// `deserialize_any` (a one-entry map).
const SERDE_JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Reads a [`Money`] from a JSON number or string.
struct MoneyVisitor;

impl MoneyVisitor {
    fn parse<E: de::Error>(text: &str) -> Result<Money, E> {
        Money::parse(text).map_err(E::custom)
    }
}

impl<'de> Visitor<'de> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative amount with at most 2 decimal places")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
        Self::parse(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
        v.checked_mul(100)
            .and_then(Money::from_cents)
            .ok_or_else(|| E::custom(message(ErrorCode::OutOfRange)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(message(ErrorCode::Negative))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
        // `{}` writes the shortest decimal that reads back as `v` (and no exponent), so an
        // amount of at most fifteen significant digits comes back digit for digit.
        if v.is_finite() {
            Self::parse(&v.to_string())
        } else {
            Err(E::custom(message(ErrorCode::OutOfRange)))
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Money, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == SERDE_JSON_NUMBER_TOKEN => {
                let text: String = map.next_value()?;
                Self::parse(&text)
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// Reads the JSON number grammar exactly: `-? int (. frac)? ([eE] [+-]? exp)?`.
fn parse_cents(text: &str) -> Result<u64, ErrorCode> {
    plain_cents(text).map_or_else(|| any_cents(text), Ok)
}

/// Any amount: a JSON number's text, exponent and all.
fn any_cents(text: &str) -> Result<u64, ErrorCode> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            unsigned.get(..at).unwrap_or_default(),
            Some(unsigned.get(at + 1..).unwrap_or_default()),
        ),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (mantissa.contains('.') && !digits(frac)) {
        return Err(ErrorCode::InvalidType);
    }
    let exponent = match exponent {
        None => 0,
        Some(exp) => parse_exponent(exp).ok_or(ErrorCode::InvalidType)?,
    };
    // value = significant × 10^(−scale): the digits of `int` and `frac` without their
    // leading and trailing zeros, read in place.
    let digits = int.bytes().chain(frac.bytes());
    let total = int.len() + frac.len();
    let leading = digits.clone().take_while(|&b| b == b'0').count();
    if leading == total {
        return Ok(0);
    }
    if negative {
        return Err(ErrorCode::Negative);
    }
    let trailing = digits.clone().rev().take_while(|&b| b == b'0').count();
    let significant = total - leading - trailing;
    let scale = i64::try_from(frac.len()).unwrap_or(i64::MAX)
        - i64::try_from(trailing).unwrap_or(0)
        - exponent;
    if scale > 2 {
        return Err(ErrorCode::TooManyDecimals);
    }
    // cents = significant × 10^(2 − scale); fifteen digits at most.
    let shift = usize::try_from(2 - scale).unwrap_or(usize::MAX);
    if significant.saturating_add(shift) > 15 {
        return Err(ErrorCode::OutOfRange);
    }
    let cents = digits
        .skip(leading)
        .take(significant)
        .fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'))
        * 10u64.pow(u32::try_from(shift).unwrap_or(0));
    if cents > Money::MAX_CENTS {
        return Err(ErrorCode::OutOfRange);
    }
    Ok(cents)
}

/// The usual amount (`1500`, `75000.5`): at most 13 digits, a point and at most two
/// decimals, read without the general path's counting; `None` for any other text, which the
/// general path then judges (what it makes of a plain amount is the same).
fn plain_cents(text: &str) -> Option<u64> {
    let (int, frac) = match text.split_once('.') {
        Some((_, "")) => return None,
        Some(parts) => parts,
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 13 || frac.len() > 2 || !digits(int) || !digits(frac) {
        return None;
    }
    let whole = int.parse::<u64>().ok()?;
    let cents = match frac.len() {
        0 => 0,
        len => frac.parse::<u64>().ok()? * if len == 1 { 10 } else { 1 },
    };
    Some(whole * 100 + cents).filter(|&cents| cents <= Money::MAX_CENTS)
}

/// A decimal exponent, saturated far beyond any amount's range so arithmetic cannot overflow.
fn parse_exponent(text: &str) -> Option<i64> {
    const CAP: i64 = 1 << 40;
    let (sign, digits) = match text.as_bytes().first()? {
        b'-' => (-1, text.get(1..)?),
        b'+' => (1, text.get(1..)?),
        _ => (1, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits
        .bytes()
        .fold(0i64, |acc, b| (acc * 10 + i64::from(b - b'0')).min(CAP));
    Some(sign * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        let cases: &[(&str, Result<u64, ErrorCode>)] = &[
            ("0", Ok(0)),
            ("-0", Ok(0)),
            ("-0.00", Ok(0)),
            ("0e5", Ok(0)),
            ("1500", Ok(150_000)),
            ("75000.5", Ok(7_500_050)),
            ("1299.99", Ok(129_999)),
            ("0.01", Ok(1)),
            ("1.500", Ok(150)),
            ("1.5e3", Ok(150_000)),
            ("1.5E+3", Ok(150_000)),
            ("12345e-2", Ok(12_345)),
            ("9999999999999.99", Ok(999_999_999_999_999)),
            ("10000000000000", Err(ErrorCode::OutOfRange)),
            ("1e400", Err(ErrorCode::OutOfRange)),
            ("123456789012345678901234567890", Err(ErrorCode::OutOfRange)),
            ("10.555", Err(ErrorCode::TooManyDecimals)),
            ("0.001", Err(ErrorCode::TooManyDecimals)),
            ("1e-400", Err(ErrorCode::TooManyDecimals)),
            (
                "1e-99999999999999999999999",
                Err(ErrorCode::TooManyDecimals),
            ),
            ("1e99999999999999999999999", Err(ErrorCode::OutOfRange)),
            ("-5", Err(ErrorCode::Negative)),
            ("-0.001", Err(ErrorCode::Negative)),
            ("", Err(ErrorCode::InvalidType)),
            ("1.", Err(ErrorCode::InvalidType)),
            (".5", Err(ErrorCode::InvalidType)),
            ("1e", Err(ErrorCode::InvalidType)),
            ("abc", Err(ErrorCode::InvalidType)),
            ("\"1\"", Err(ErrorCode::InvalidType)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_cents(text), *expected, "row {text:?}");
        }
    }

    /// The plain path reads what it reads as the general one does.
    #[test]
    fn plain_amounts_read_as_any() {
        let mut read = 0;
        for int in [
            "0",
            "1",
            "7",
            "10",
            "75000",
            "1299",
            "007",
            "9999999999999",
            "1000000000000",
        ] {
            for frac in ["", ".0", ".5", ".50", ".05", ".99", ".00", ".", ".123"] {
                let text = format!("{int}{frac}");
                if let Some(cents) = plain_cents(&text) {
                    assert_eq!(Ok(cents), any_cents(&text), "{text}");
                    read += 1;
                }
            }
        }
        assert_eq!(read, 9 * 7);
        assert_eq!(plain_cents("10000000000000"), None);
        assert_eq!(plain_cents("1e3"), None);
        assert_eq!(plain_cents("-1"), None);
    }

    #[test]
    fn serializes_exactly_and_round_trips() {
        for cents in [
            0,
            1,
            10,
            99,
            100,
            7_500_050,
            129_999,
            Money::MAX_CENTS,
            123_456_789_012_345,
        ] {
            let money = Money::from_cents(cents).unwrap();
            let json = serde_json::to_string(&money).unwrap();
            assert_eq!(Money::parse(&json), Ok(money), "{cents} as {json}");
            assert_eq!(Money::parse(&money.to_string()), Ok(money));
        }
        assert_eq!(
            serde_json::to_string(&Money::from_cents(150_000).unwrap()).unwrap(),
            "1500"
        );
    }

    #[test]
    fn deserializes_exactly() {
        let cases: &[(&str, Option<u64>)] = &[
            ("0", Some(0)),
            ("-0", Some(0)),
            ("0.1", Some(10)),
            ("75000.5", Some(7_500_050)),
            ("\"75000.50\"", Some(7_500_050)),
            ("1.5e3", Some(150_000)),
            ("9999999999999.99", Some(Money::MAX_CENTS)),
            ("\"9999999999999.99\"", Some(Money::MAX_CENTS)),
            ("0.07", Some(7)),
            ("1234567890123.45", Some(123_456_789_012_345)),
            ("10000000000000", None),
            ("18446744073709551615", None),
            ("1e400", None),
            ("10.555", None),
            ("0.30000000000000004", None),
            ("-1", None),
            ("-0.5", None),
            ("\"abc\"", None),
            ("\"\"", None),
            ("true", None),
            ("null", None),
            ("{}", None),
            ("[1]", None),
        ];
        for (json, expected) in cases {
            let got = serde_json::from_str::<Money>(json).ok().map(Money::cents);
            assert_eq!(got, *expected, "row {json}");
        }
        // Every amount of two decimals survives a trip through `f64` and back.
        for cents in (0..100_000).chain(999_999_999_900_000..=Money::MAX_CENTS) {
            let money = Money::from_cents(cents).unwrap();
            let json = serde_json::to_string(&money).unwrap();
            assert_eq!(
                serde_json::from_str::<Money>(&json).unwrap(),
                money,
                "{json}"
            );
        }
    }
}
