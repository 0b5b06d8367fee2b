//! `expected_close_date`: RFC 3339 exactly, held as a UTC date-time in `0000..=9999`
//! (`docs/rules.md` §3.1).
//!
//! `jiff::Timestamp` stops at `9999-12-30T22:00:00Z` (so that any offset can be applied to it),
//! while the API takes every instant of the year 9999. The date is therefore parsed here, by
//! RFC 3339 section 5.6's grammar, and held as a civil date-time in UTC, whose range covers
//! `0000-01-01T00:00:00` to `9999-12-31T23:59:59.999999999`.

use jiff::SignedDuration;
use jiff::civil::DateTime;

/// Why a text is not a close date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateError {
    /// Not RFC 3339 (nor a bare date), or not a real date or time.
    Invalid,
    /// A real instant outside `0000..=9999` in UTC.
    OutOfRange,
}

/// A parsed close date: the instant in UTC, and whether the text was a bare date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) utc: DateTime,
    pub(crate) date_only: bool,
}

/// Parses `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DD(T|t| )HH:MM:SS(.fraction)?(Z|z|±HH:MM)`.
///
/// Offsets are `00:00` to `23:59`; a fraction may have any number of digits (past
/// nanoseconds they are cut); a leap second `60` is read as `59`, as most systems do.
pub(crate) fn parse(text: &str) -> Result<Parsed, DateError> {
    let bytes = text.as_bytes();
    let date = bytes.get(..10).ok_or(DateError::Invalid)?;
    let year = digits(date, 0, 4)?;
    let month = digits(date, 5, 2)?;
    let day = digits(date, 8, 2)?;
    if date.get(4) != Some(&b'-') || date.get(7) != Some(&b'-') {
        return Err(DateError::Invalid);
    }
    let Some(rest) = bytes.get(10..) else {
        return Err(DateError::Invalid);
    };
    if rest.is_empty() {
        let utc = civil(year, month, day, 0, 0, 0, 0)?;
        return Ok(Parsed {
            utc,
            date_only: true,
        });
    }
    let (Some(separator), Some(time)) = (rest.first(), rest.get(1..9)) else {
        return Err(DateError::Invalid);
    };
    if !matches!(separator, b'T' | b't' | b' ')
        || time.get(2) != Some(&b':')
        || time.get(5) != Some(&b':')
    {
        return Err(DateError::Invalid);
    }
    let hour = digits(time, 0, 2)?;
    let minute = digits(time, 3, 2)?;
    // RFC 3339 `time-second` is `00`-`60`; a leap second is read as `59` (`docs/rules.md` §3.1). `61` and
    // above are no second at all (the differential test against `jiff` found them read as
    // `59`).
    let second = match digits(time, 6, 2)? {
        second @ 0..=59 => second,
        60 => 59,
        _ => return Err(DateError::Invalid),
    };
    let mut rest = rest.get(9..).unwrap_or_default();
    let mut nanos = 0;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return Err(DateError::Invalid);
        }
        let mut scale = 100_000_000;
        for digit in fraction.iter().take(count.min(9)) {
            nanos += u32::from(digit - b'0') * scale;
            scale /= 10;
        }
        rest = fraction.get(count..).unwrap_or_default();
    }
    let offset_seconds = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let hours = digits(rest, 1, 2)?;
            let minutes = digits(rest, 4, 2)?;
            if hours > 23 || minutes > 59 {
                return Err(DateError::Invalid);
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return Err(DateError::Invalid),
    };
    let local = civil(year, month, day, hour, minute, second, nanos)?;
    // UTC = local time - offset; past the civil range is out of range too. At offset zero
    // (`Z`, the usual) the local time is UTC, without the arithmetic.
    let utc = if offset_seconds == 0 {
        local
    } else {
        local
            .checked_sub(SignedDuration::from_secs(offset_seconds))
            .map_err(|_| DateError::OutOfRange)?
    };
    check_range(utc)?;
    Ok(Parsed {
        utc,
        date_only: false,
    })
}

/// `0000-01-01T00:00:00` ..= `9999-12-31T23:59:59.999999999` (the civil type ends there).
pub(crate) fn check_range(utc: DateTime) -> Result<DateTime, DateError> {
    if utc.year() >= 0 {
        Ok(utc)
    } else {
        Err(DateError::OutOfRange)
    }
}

/// Writes the RFC 3339 form in UTC (`2024-03-15T00:00:00Z`, a fraction only when there is
/// one).
pub(crate) fn format(utc: DateTime) -> String {
    format!("{utc}Z")
}

fn civil(
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
) -> Result<DateTime, DateError> {
    let narrow = |n: u32| i8::try_from(n).map_err(|_| DateError::Invalid);
    let year = i16::try_from(year).map_err(|_| DateError::Invalid)?;
    let nanos = i32::try_from(nanos).map_err(|_| DateError::Invalid)?;
    DateTime::new(
        year,
        narrow(month)?,
        narrow(day)?,
        narrow(hour)?,
        narrow(minute)?,
        narrow(second)?,
        nanos,
    )
    .map_err(|_| DateError::Invalid)
}

/// The decimal number of `count` ASCII digits at `at`.
fn digits(bytes: &[u8], at: usize, count: usize) -> Result<u32, DateError> {
    let field = bytes.get(at..at + count).ok_or(DateError::Invalid)?;
    field.iter().try_fold(0, |n, b| {
        if b.is_ascii_digit() {
            Ok(n * 10 + u32::from(b - b'0'))
        } else {
            Err(DateError::Invalid)
        }
    })
}

#[cfg(test)]
mod differential;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3339_exactly() {
        let ok: &[(&str, &str)] = &[
            ("2024-03-15T10:30:00Z", "2024-03-15T10:30:00Z"),
            ("2024-03-15t10:30:00z", "2024-03-15T10:30:00Z"),
            ("2024-03-15 10:30:00-03:00", "2024-03-15T13:30:00Z"),
            ("2024-03-15T10:30:00+23:59", "2024-03-14T10:31:00Z"),
            ("2024-03-15T10:30:00.5Z", "2024-03-15T10:30:00.5Z"),
            (
                "2024-03-15T10:30:00.1234567891234Z",
                "2024-03-15T10:30:00.123456789Z",
            ),
            ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"),
            ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
            ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
            (
                "9999-12-31T23:59:59.999999999Z",
                "9999-12-31T23:59:59.999999999Z",
            ),
            ("9999-12-31", "9999-12-31T00:00:00Z"),
            ("0000-01-01T00:59:00+00:59", "0000-01-01T00:00:00Z"),
        ];
        for (text, expected) in ok {
            let parsed = parse(text).map(|p| format(p.utc));
            assert_eq!(parsed.as_deref(), Ok(*expected), "{text}");
        }
        let bad: &[(&str, DateError)] = &[
            ("2024-03-15T10:30:00+24:00", DateError::Invalid),
            ("2024-03-15T10:30:00+01:60", DateError::Invalid),
            ("2024-02-30T10:30:00Z", DateError::Invalid),
            ("2024-03-15T10:30Z", DateError::Invalid),
            ("2024-03-15T10:30:00", DateError::Invalid),
            ("2024-03-15T10:30:00.Z", DateError::Invalid),
            ("2024-03-15T25:00:00Z", DateError::Invalid),
            ("2024-03-15T10:30:61Z", DateError::Invalid),
            ("2024-03-15T10:30:99Z", DateError::Invalid),
            ("24-03-15", DateError::Invalid),
            ("2024-03-15T", DateError::Invalid),
            ("", DateError::Invalid),
            ("0000-01-01T00:00:00+01:00", DateError::OutOfRange),
            ("9999-12-31T23:59:59-00:01", DateError::OutOfRange),
        ];
        for (text, expected) in bad {
            assert_eq!(parse(text), Err(*expected), "{text}");
        }
    }

    #[test]
    fn the_range_is_the_apis() {
        let utc = |at: jiff::Timestamp| at.to_zoned(jiff::tz::TimeZone::UTC).datetime();
        assert_eq!(
            check_range(utc(jiff::Timestamp::MIN)),
            Err(DateError::OutOfRange)
        );
        assert!(check_range(utc(jiff::Timestamp::MAX)).is_ok());
        assert!(check_range(DateTime::MAX).is_ok());
        assert_eq!(check_range(DateTime::MIN), Err(DateError::OutOfRange));
    }
}
