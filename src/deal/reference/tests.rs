//! Tests of `reference`.
use super::*;

const UUID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

fn id() -> DealRef {
    DealRef::Id(Uuid::parse_str(UUID).unwrap())
}

#[test]
fn parses() {
    let cases = [
        ("0", DealRef::Code(0)),
        ("123", DealRef::Code(123)),
        ("007", DealRef::Code(7)),
        (" 42\t\r\n", DealRef::Code(42)),
        ("18446744073709551615", DealRef::Code(u64::MAX)),
        (UUID, id()),
        ("3C90C3CC-0D44-4B50-8888-8DD25736052A", id()),
        ("3c90c3cc0d444b5088888dd25736052a", id()),
        ("{3c90c3cc-0d44-4b50-8888-8dd25736052a}", id()),
        ("urn:uuid:3c90c3cc-0d44-4b50-8888-8dd25736052a", id()),
        ("  3c90c3cc-0d44-4b50-8888-8dd25736052a\n", id()),
        (
            "12345678901234567890123456789012",
            DealRef::Id(Uuid::parse_str("12345678-9012-3456-7890-123456789012").unwrap()),
        ),
    ];
    for (row, (input, expected)) in cases.into_iter().enumerate() {
        assert_eq!(DealRef::parse(input), Ok(expected), "row {row}: {input:?}");
        assert_eq!(
            input.parse::<DealRef>(),
            Ok(expected),
            "row {row}: {input:?}"
        );
        assert_eq!(
            DealRef::try_from(input),
            Ok(expected),
            "row {row}: {input:?}"
        );
    }
}

#[test]
fn refuses() {
    let cases = [
        (
            "",
            "invalid deal reference: empty, expected a UUID or a numeric code",
        ),
        (
            " \t\n",
            "invalid deal reference: empty, expected a UUID or a numeric code",
        ),
        (
            "18446744073709551616",
            "invalid deal reference `18446744073709551616`: numeric code out of range \
             (at most 18446744073709551615)",
        ),
        (
            "1234567890123456789012345678901",
            "invalid deal reference `1234567890123456789012345678901`: numeric code out of \
             range (at most 18446744073709551615)",
        ),
        (
            "abc",
            "invalid deal reference `abc`: expected a UUID or a numeric code",
        ),
        (
            "+1",
            "invalid deal reference `+1`: expected a UUID or a numeric code",
        ),
        (
            "-1",
            "invalid deal reference `-1`: expected a UUID or a numeric code",
        ),
        (
            "1 2",
            "invalid deal reference `1 2`: expected a UUID or a numeric code",
        ),
        (
            "12a",
            "invalid deal reference `12a`: expected a UUID or a numeric code",
        ),
        (
            "1.0",
            "invalid deal reference `1.0`: expected a UUID or a numeric code",
        ),
        (
            "١٢٣",
            "invalid deal reference `١٢٣`: expected a UUID or a numeric code",
        ),
        (
            "\u{a0}12",
            "invalid deal reference `\\u{a0}12`: expected a UUID or a numeric code",
        ),
        (
            "3c90c3cc-0d44-4b50-8888-8dd25736052",
            "invalid deal reference `3c90c3cc-0d44-4b50-8888-8dd25736052`: expected a UUID \
             or a numeric code",
        ),
        (
            "3c90c3cc-0d44-4b50-8888-8dd25736052a/x",
            "invalid deal reference `3c90c3cc-0d44-4b50-8888-8dd25736052a/x`: expected a \
             UUID or a numeric code",
        ),
        (
            "12\n`x",
            "invalid deal reference `12\\n`x`: expected a UUID or a numeric code",
        ),
    ];
    for (row, (input, message)) in cases.into_iter().enumerate() {
        let err = DealRef::parse(input).unwrap_err();
        assert_eq!(err.to_string(), message, "row {row}: {input:?}");
        assert_eq!(err.input(), input, "row {row}");
        assert!(input.parse::<DealRef>().is_err(), "row {row}");
    }
}

#[test]
fn long_input_is_shortened_in_the_message() {
    let input = "x".repeat(100);
    let err = DealRef::parse(&input).unwrap_err();
    let expected = format!(
        "invalid deal reference `{}…`: expected a UUID or a numeric code",
        "x".repeat(64)
    );
    assert_eq!(err.to_string(), expected);
    assert_eq!(err.input(), input);
}

#[test]
fn displays_and_builds_paths() {
    let cases = [
        (DealRef::Code(0), "0"),
        (DealRef::Code(123), "123"),
        (DealRef::Code(u64::MAX), "18446744073709551615"),
        (id(), UUID),
        (
            DealRef::Id(Uuid::nil()),
            "00000000-0000-0000-0000-000000000000",
        ),
    ];
    for (row, (deal, segment)) in cases.into_iter().enumerate() {
        assert_eq!(deal.to_string(), segment, "row {row}");
        assert_eq!(
            deal.path(),
            format!("/integrations/external/deals/{segment}"),
            "row {row}"
        );
        assert_eq!(DealRef::parse(segment), Ok(deal), "row {row}");
    }
}

#[test]
fn conversions() {
    let uuid = Uuid::parse_str(UUID).unwrap();
    assert_eq!(DealRef::from(uuid), DealRef::Id(uuid));
    assert_eq!(DealRef::from(9_u64), DealRef::Code(9));
    assert_eq!(DealRef::from(uuid).as_id(), Some(uuid));
    assert_eq!(DealRef::from(uuid).as_code(), None);
    assert_eq!(DealRef::Code(9).as_code(), Some(9));
}

#[test]
fn serde() {
    let cases = [
        (r#""123""#, DealRef::Code(123), r#""123""#),
        ("123", DealRef::Code(123), r#""123""#),
        (
            r#""3C90C3CC0D444B5088888DD25736052A""#,
            id(),
            r#""3c90c3cc-0d44-4b50-8888-8dd25736052a""#,
        ),
    ];
    for (row, (input, expected, written)) in cases.into_iter().enumerate() {
        let parsed: DealRef = serde_json::from_str(input).unwrap();
        assert_eq!(parsed, expected, "row {row}");
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            written,
            "row {row}"
        );
    }
    let refused = [r#""abc""#, "-1", "1.5", "null", "true", "[]"];
    for (row, input) in refused.into_iter().enumerate() {
        assert!(
            serde_json::from_str::<DealRef>(input).is_err(),
            "row {row}: {input}"
        );
    }
    let err = serde_json::from_str::<DealRef>(r#""abc""#).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid deal reference `abc`: expected a UUID or a numeric code"),
        "{err}"
    );
}
