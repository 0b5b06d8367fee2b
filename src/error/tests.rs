use super::diagnostics::Diagnostics;
use super::report::{Key, MAX_MESSAGE_BYTES, Message, Repair};
use super::*;

#[test]
fn codes_are_snake_case_and_unique() {
    let mut seen = std::collections::HashSet::new();
    let errors = ErrorCode::ALL.iter().map(|c| c.as_str());
    let warnings = WarningCode::ALL.iter().map(|c| c.as_str());
    for code in errors.chain(warnings) {
        assert!(
            code.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{code}"
        );
        assert!(seen.insert(code), "{code} twice");
    }
}

#[test]
fn paths_escape_and_nest() {
    let mut d = Diagnostics::new();
    d.at("a/b~c", |d| {
        d.at(3usize, |d| d.error(ErrorCode::Empty, "x"))
    });
    d.at_name("title", |d| d.error(ErrorCode::Empty, "z"));
    d.at_leaf("url_conversion", |d| d.error(ErrorCode::Empty, "w"));
    d.error(ErrorCode::InvalidJson, "y");
    let (errors, _) = d.finish(|_| 0);
    let cases = [
        ("/a~1b~0c/3", "empty at /a~1b~0c/3: x"),
        ("/title", "empty at /title: z"),
        ("/url_conversion", "empty at /url_conversion: w"),
        ("", "invalid_json at /: y"),
    ];
    assert_eq!(errors.len(), cases.len());
    for (error, (path, shown)) in errors.iter().zip(cases) {
        assert_eq!(error.path(), path, "{shown}");
        assert_eq!(error.path().to_string(), path, "{shown}");
        assert_eq!(error.to_string(), shown);
    }
}

#[test]
fn excerpt_is_bounded() {
    let cases: &[(&str, &str)] = &[("short", "short"), ("a\nb\u{1}", "a\\nb\\u{1}"), ("", "")];
    for (input, expected) in cases {
        assert_eq!(excerpt(input).to_string(), *expected, "{input:?}");
    }
    let long = "é".repeat(100);
    assert_eq!(excerpt(&long).to_string().chars().count(), 65);
    let wide = "\u{10ffff}".repeat(100);
    assert!(excerpt(&wide).to_string().len() <= 192 + 3);
    let controls = "\u{1}".repeat(100);
    assert!(excerpt(&controls).to_string().len() <= 192 + 3);
    let invisible = "\u{a0}".repeat(100);
    assert!(excerpt(&invisible).to_string().len() <= 192 + 3);
}

#[test]
fn excerpt_shows_what_a_log_would_hide() {
    let cases: &[(&str, &str)] = &[
        // Quotes and backslashes read as themselves between backticks.
        ("say \"hi\" it's a\\b", "say \"hi\" it's a\\b"),
        // No-break, zero-width and bidi characters, invisible in a log, are escaped.
        (
            "a\u{a0}b\u{200b}c\u{202e}d",
            "a\\u{a0}b\\u{200b}c\\u{202e}d",
        ),
        // Text in any script reads as itself; so does a combining accent after its letter,
        // which is escaped only where it has nothing to combine with.
        ("São Paulo 東京 e\u{301}", "São Paulo 東京 e\u{301}"),
        ("\u{301}x", "\\u{301}x"),
        ("tab\there\r\n", "tab\\there\\r\\n"),
    ];
    for (input, expected) in cases {
        assert_eq!(excerpt(input).to_string(), *expected, "{input:?}");
    }
}

#[test]
fn reports_are_bounded_and_retractable() {
    let mut d = Diagnostics::with_limits(2, 1);
    let first = d.tick();
    d.error(ErrorCode::Empty, "a");
    d.error(ErrorCode::Empty, "b");
    d.error(ErrorCode::Empty, "c");
    d.warn(WarningCode::DuplicateTag, "w1");
    d.warn(WarningCode::DuplicateTag, "w2");
    // Retracting forgets the earlier reports, kept or counted. A report counted while the
    // list was full stays counted: its text was never made.
    let second = d.tick();
    d.error(ErrorCode::Required, "late");
    let third = d.tick();
    d.retract(first..second);
    d.error(ErrorCode::Required, "kept");
    let _ = third;
    let (errors, warnings) = d.finish(|_| 0);
    let found: Vec<(&str, String)> = errors
        .iter()
        .map(|e| (e.code().as_str(), e.message().to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("required", "kept".to_owned()),
            (
                "too_many_errors",
                "1 more errors were found and not reported".to_owned()
            )
        ]
    );
    assert!(warnings.is_empty());
}

#[test]
fn reports_past_the_limit_are_counted() {
    let mut d = Diagnostics::with_limits(2, 1);
    for message in ["a", "b", "c"] {
        d.error(ErrorCode::Empty, message);
    }
    d.warn(WarningCode::DuplicateTag, "w1");
    d.warn(WarningCode::DuplicateTag, "w2");
    let (errors, warnings) = d.finish(|_| 0);
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[2].code(), ErrorCode::TooManyErrors);
    assert_eq!(
        errors[2].message(),
        "1 more errors were found and not reported"
    );
    assert_eq!(warnings[1].code(), WarningCode::TooManyWarnings);
}

/// Retraction keeps the reports of the ticks around the range, in order.
#[test]
fn retraction_keeps_the_other_ticks() {
    let mut d = Diagnostics::new();
    d.error(ErrorCode::Empty, "0");
    let one = d.tick();
    d.error(ErrorCode::Empty, "1");
    let two = d.tick();
    d.error(ErrorCode::Empty, "2");
    let three = d.tick();
    d.error(ErrorCode::Empty, "3");
    d.retract(one..two);
    d.retract(three..three + 1);
    let (errors, _) = d.finish(|_| 0);
    let found: Vec<String> = errors.iter().map(|e| e.message().to_string()).collect();
    assert_eq!(found, ["0", "2"]);
}

#[test]
fn messages_are_cut_at_512_bytes() {
    let long = "ã".repeat(400);
    let text = Message::render(&long).to_string();
    assert!(text.len() <= MAX_MESSAGE_BYTES);
    assert!(text.ends_with('…'));
    assert_eq!(Message::render("short"), "short");
    let exact = "k".repeat(MAX_MESSAGE_BYTES);
    assert_eq!(Message::render(&exact), exact.as_str());
}

/// The old eager rendering: `format!`, then cut at a character boundary.
fn cut(mut text: String) -> String {
    if text.len() > MAX_MESSAGE_BYTES {
        let mut end = MAX_MESSAGE_BYTES - '…'.len_utf8();
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// A repair's message, written when read, is the message `format!` gives, cut the same way,
/// whatever the length of the key and wherever a character crosses the limit; and a message
/// rendered from parts cuts the same way.
#[test]
fn lazy_messages_equal_rendered_ones() {
    let keys = [
        String::from("utm_source"),
        String::new(),
        "ã".repeat(300),
        "k".repeat(10_000),
        format!("{}ã", "k".repeat(497)),
        format!("{}€€", "k".repeat(509)),
        "k".repeat(512 - 35),
        "k".repeat(512 - 34),
        "€".repeat(4_000),
    ];
    for key in &keys {
        let eager = cut(format!("`{key}` was taken from the URL fragment"));
        let lazy = Message::repair(Repair::InFragment, Key::new(key, None));
        assert_eq!(lazy.to_string(), eager, "key of {} bytes", key.len());
        assert_eq!(lazy, eager.as_str());
        let parts = Message::render(format_args!("`{key}` was taken from the URL fragment"));
        assert_eq!(parts.to_string(), eager, "key of {} bytes", key.len());
        assert_eq!(serde_json::to_value(&lazy).ok(), Some(eager.clone().into()));
    }
}

/// A report reads back from its JSON equal to itself.
#[test]
fn reports_read_back() {
    let mut d = Diagnostics::new();
    d.at_leaf("url_conversion", |d| {
        d.warn_repair(
            WarningCode::ParamInFragment,
            Repair::InFragment,
            Key::new("utm_source", Some("utm_source")),
        );
    });
    d.at("a/b", |d| d.error(ErrorCode::Empty, "e"));
    let (errors, warnings) = d.finish(|_| 0);
    let rejected = Rejected { errors, warnings };
    let json = serde_json::to_string(&rejected).ok();
    assert_eq!(
        json.as_deref(),
        Some(
            r#"{"errors":[{"path":"/a~1b","code":"empty","message":"e"}],"warnings":[{"code":"param_in_fragment","message":"`utm_source` was taken from the URL fragment","path":"/url_conversion"}]}"#
        )
    );
    let back: Option<Rejected> = json.and_then(|json| serde_json::from_str(&json).ok());
    assert_eq!(back, Some(rejected));
}
