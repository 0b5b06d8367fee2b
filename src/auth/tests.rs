//! Tests of `auth`.
use super::*;

const SECRET: &str = "wgly_Live.9f8e7d6c5b4a-3210~xyz+/AB==";

#[test]
fn accepts() {
    let cases = [
        ("a", "a"),
        ("abc123", "abc123"),
        (SECRET, SECRET),
        ("  abc\n", "abc"),
        ("\tabc=\r\n", "abc="),
        ("-._~+/", "-._~+/"),
        ("x===", "x==="),
        ("bearer", "bearer"),
        ("Bearer_abc", "Bearer_abc"),
    ];
    for (row, (input, secret)) in cases.into_iter().enumerate() {
        let token = BearerToken::new(input).unwrap();
        assert_eq!(token.expose_secret(), secret, "row {row}");
        assert_eq!(
            token.header_value(),
            format!("Bearer {secret}"),
            "row {row}"
        );
        let parsed: BearerToken = input.parse().unwrap();
        assert_eq!(parsed.expose_secret(), secret, "row {row}");
        let converted = BearerToken::try_from(input.to_owned()).unwrap();
        assert_eq!(converted.expose_secret(), secret, "row {row}");
        assert_eq!(
            BearerToken::try_from(input).unwrap().expose_secret(),
            secret,
            "row {row}"
        );
    }
}

#[test]
fn refuses() {
    use InvalidToken::*;
    let cases = [
        ("", Empty),
        (" \t\r\n", Empty),
        ("Bearer abc", IncludesScheme),
        ("bearer\tabc", IncludesScheme),
        ("  BEARER  abc", IncludesScheme),
        ("ab cd", InvalidCharacter { position: 2 }),
        (" ab cd", InvalidCharacter { position: 3 }),
        ("abc\r\nX-Evil: 1", InvalidCharacter { position: 3 }),
        ("abc\0", InvalidCharacter { position: 3 }),
        ("abc\u{7f}", InvalidCharacter { position: 3 }),
        ("tok\u{e9}n", InvalidCharacter { position: 3 }),
        ("a,b", InvalidCharacter { position: 1 }),
        ("a:b", InvalidCharacter { position: 1 }),
        ("a\"b", InvalidCharacter { position: 1 }),
        ("a!b", InvalidCharacter { position: 1 }),
        ("=", MisplacedPadding { position: 0 }),
        ("==abc", MisplacedPadding { position: 0 }),
        ("  =abc", MisplacedPadding { position: 2 }),
        ("ab=c", MisplacedPadding { position: 2 }),
        ("ab==c==", MisplacedPadding { position: 2 }),
        ("ab=!", InvalidCharacter { position: 3 }),
    ];
    for (row, (input, expected)) in cases.into_iter().enumerate() {
        let err = BearerToken::new(input).err();
        assert_eq!(err, Some(expected), "row {row}: {input:?}");
        assert_eq!(
            input.parse::<BearerToken>().err(),
            Some(expected),
            "row {row}"
        );
    }
}

#[test]
fn error_messages() {
    let cases = [
        (InvalidToken::Empty, "invalid bearer token: empty"),
        (
            InvalidToken::IncludesScheme,
            "invalid bearer token: starts with the `Bearer` scheme, pass the token alone",
        ),
        (
            InvalidToken::InvalidCharacter { position: 7 },
            "invalid bearer token: character at byte 7 is not allowed (RFC 6750 b64token)",
        ),
        (
            InvalidToken::MisplacedPadding { position: 2 },
            "invalid bearer token: `=` at byte 2 is misplaced, padding may only end the token",
        ),
    ];
    for (row, (err, message)) in cases.into_iter().enumerate() {
        assert_eq!(err.to_string(), message, "row {row}");
    }
}

#[test]
fn errors_never_echo_the_token() {
    let inputs = [
        "Bearer hunter2secret",
        "hunter2secret!",
        "hunter2secret=x",
        "hunter2\nsecret",
    ];
    for (row, input) in inputs.into_iter().enumerate() {
        let err = BearerToken::new(input).err().unwrap();
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains("hunter2"), "row {row}: {text}");
            assert!(!text.contains("secret"), "row {row}: {text}");
        }
    }
}

#[test]
fn formatting_never_shows_the_secret() {
    let token = BearerToken::new(SECRET).unwrap();
    let texts = [
        format!("{token}"),
        format!("{token:?}"),
        format!("{token:#?}"),
        format!("{:?}", Some(token.clone())),
        format!("{:?}", Ok::<_, InvalidToken>(token.clone())),
    ];
    for (row, text) in texts.iter().enumerate() {
        assert!(!text.contains(SECRET), "row {row}: {text}");
        assert!(!text.contains("wgly"), "row {row}: {text}");
        assert!(!text.contains("9f8e"), "row {row}: {text}");
    }
    assert_eq!(format!("{token}"), "Bearer ***");
    assert_eq!(format!("{token:?}"), r#"BearerToken("***")"#);
    assert_eq!(token.header_value(), format!("Bearer {SECRET}"));
    assert_eq!(token.expose_secret(), SECRET);
}
