//! Tests of `origin`.
use super::*;

fn wegly() -> AllowedDomain {
    AllowedDomain::new("wegly.com.br").unwrap()
}

// Checked when this file compiles.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<AllowedDomain>();
    assert_send_sync::<InvalidDomain>();
};

#[test]
fn new_normalizes_valid_domains() {
    let cases = [
        ("wegly.com.br", "wegly.com.br"),
        ("Wegly.COM.br.", "wegly.com.br"),
        ("  wegly.com.br\t\n", "wegly.com.br"),
        ("www.wegly.com.br", "www.wegly.com.br"),
        ("localhost", "localhost"),
        ("exemplo.çom.br", "exemplo.xn--om-3ia.br"),
        ("Açaí.com.br", "xn--aa-4iaz.com.br"),
        ("xn--aa-4iaz.com.br", "xn--aa-4iaz.com.br"),
        ("XN--AA-4IAZ.com.br", "xn--aa-4iaz.com.br"),
        // U+FF0E FULLWIDTH FULL STOP is mapped to `.` by UTS #46.
        ("wegly．com．br", "wegly.com.br"),
        ("my_site.example.com", "my_site.example.com"),
        ("a-b.c0.com", "a-b.c0.com"),
    ];
    for (input, expected) in cases {
        let got = AllowedDomain::new(input);
        assert_eq!(
            got.as_ref().map(AllowedDomain::as_str),
            Ok(expected),
            "row {input:?}"
        );
    }
}

#[test]
fn new_refuses_with_a_precise_message() {
    let long_label = format!("{}.com", "a".repeat(64));
    let long_domain = format!("{}.com", vec!["a".repeat(60); 5].join("."));
    let cases: [(&str, &str); 28] = [
        ("", "the domain is empty"),
        (" \t\r\n", "the domain is empty"),
        (
            "https://wegly.com.br",
            "a scheme is not allowed, write the bare domain",
        ),
        (
            "https:wegly.com.br",
            "a scheme is not allowed, write the bare domain",
        ),
        ("user@wegly.com.br", "userinfo (`user@`) is not allowed"),
        ("wegly.com.br/", "a path, query or fragment is not allowed"),
        (
            "wegly.com.br\\x",
            "a path, query or fragment is not allowed",
        ),
        ("wegly.com.br?x", "a path, query or fragment is not allowed"),
        ("wegly.com.br#x", "a path, query or fragment is not allowed"),
        (
            "wegly.com.br:8080",
            "a port is not allowed, every port is admitted",
        ),
        (
            "wegly.com.br:",
            "a port is not allowed, every port is admitted",
        ),
        (
            "*.wegly.com.br",
            "`*` is not allowed, subdomains are always admitted",
        ),
        (
            "wegly.*",
            "`*` is not allowed, subdomains are always admitted",
        ),
        ("wegly%2Ecom%2Ebr", "percent-escapes are not allowed"),
        (
            "127.0.0.1",
            "an IP address is not allowed, an allowed domain is a DNS name",
        ),
        (
            "0x7f.1",
            "an IP address is not allowed, an allowed domain is a DNS name",
        ),
        (
            "[::1]",
            "an IP address is not allowed, an allowed domain is a DNS name",
        ),
        (
            "::1",
            "an IP address is not allowed, an allowed domain is a DNS name",
        ),
        ("wegly.123", "not a valid host name (invalid IPv4 address)"),
        (
            "xn--zz.com",
            "not a valid host name (invalid international domain name)",
        ),
        (
            "weg ly.com.br",
            "not a valid host name (invalid international domain name)",
        ),
        (
            "[wegly.com.br]",
            "not a valid host name (invalid IPv6 address)",
        ),
        (".wegly.com.br", "a label is empty"),
        ("wegly..com.br", "a label is empty"),
        ("wegly.com.br..", "a label is empty"),
        (&long_label, "a label is longer than 63 bytes"),
        (&long_domain, "the domain is longer than 253 bytes"),
        (
            "a!b.com",
            "only letters, digits, `-` and `_` are allowed (after IDNA conversion)",
        ),
    ];
    for (input, reason) in cases {
        let err = AllowedDomain::new(input).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("invalid allowed domain `{input}`: {reason}"),
            "row {input:?}"
        );
        assert_eq!(err.input(), input, "row {input:?}");
    }
}

#[test]
fn invalid_domain_display_is_pinned() {
    let err = AllowedDomain::new(" https://wegly.com.br ").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid allowed domain ` https://wegly.com.br `: \
         a scheme is not allowed, write the bare domain"
    );
}

#[test]
fn display_from_str_and_equality() {
    let parsed: AllowedDomain = "Açaí.com.br.".parse().unwrap();
    assert_eq!(parsed.to_string(), "xn--aa-4iaz.com.br");
    assert_eq!(parsed, AllowedDomain::new("xn--aa-4iaz.com.br").unwrap());
    assert_ne!(parsed, wegly());
    assert!("wegly.com.br:443".parse::<AllowedDomain>().is_err());
    let mut set = std::collections::HashSet::new();
    set.insert(wegly());
    assert!(set.contains(&"WEGLY.com.br.".parse().unwrap()));
}

#[test]
fn permits_origin_and_referer_values() {
    let allowed = wegly();
    let cases = [
        // Exact domain, subdomains.
        ("https://wegly.com.br", true),
        ("http://wegly.com.br", true),
        ("https://www.wegly.com.br", true),
        ("https://a.b.c.wegly.com.br", true),
        // Look-alikes on raw text.
        ("https://evilwegly.com.br", false),
        ("https://wegly.com.br.evil.com", false),
        ("https://wegly.com", false),
        ("https://com.br", false),
        ("https://.wegly.com.br", false),
        ("https://..wegly.com.br", false),
        ("https://a..wegly.com.br", false),
        ("https://a..b.wegly.com.br", false),
        ("https://wegly.com.br..", false),
        // Userinfo is not the host.
        ("https://wegly.com.br@evil.com", false),
        ("https://wegly.com.br:443@evil.com", false),
        ("https://evil.com@wegly.com.br", true),
        ("https://user:pw@www.wegly.com.br:8080/x?y#z", true),
        // `\` is `/` for special schemes: host `evil.com`, path `/@wegly.com.br`.
        ("https://evil.com\\@wegly.com.br", false),
        // ... and here host `wegly.com.br`, path `/@evil.com`.
        ("https://wegly.com.br\\@evil.com", true),
        ("https://wegly.com.br\\.evil.com", true),
        ("https:\\\\wegly.com.br", true),
        // Percent-escapes in the host are decoded by the host parser.
        ("https://wegly%2Ecom%2Ebr", true),
        ("https://%77egly.com.br", true),
        ("https://wegly.com.br%2F.evil.com", false),
        ("https://wegly.com.br%252Eevil.com", false),
        // Case, trailing dot, white space.
        ("HTTPS://WEGLY.COM.BR", true),
        ("https://WWW.Wegly.Com.Br", true),
        ("https://wegly.com.br.", true),
        ("https://www.wegly.com.br.:8443", true),
        (" https://wegly.com.br\t", true),
        // Full-width dots are mapped by IDNA.
        ("https://wegly．com．br", true),
        ("https://www．wegly．com．br", true),
        ("https://evilwegly．com．br", false),
        // Cyrillic `е` in place of `e`: another name.
        ("https://wеgly.com.br", false),
        // Ports.
        ("https://wegly.com.br:8443", true),
        ("http://wegly.com.br:80", true),
        ("https://wegly.com.br:", true),
        ("https://wegly.com.br:99999", false),
        // Schemes other than http(s).
        ("ftp://wegly.com.br", false),
        ("javascript:alert(1)//wegly.com.br", false),
        ("file://wegly.com.br/etc/passwd", false),
        ("ws://wegly.com.br", false),
        ("wss://wegly.com.br", false),
        ("data:text/html,wegly.com.br", false),
        ("blob:https://wegly.com.br/0b6c3d4e", false),
        // Scheme without slashes, as the WHATWG parser reads special schemes.
        ("https:wegly.com.br", true),
        ("https:///wegly.com.br", true),
        // Opaque origin, empty, garbage.
        ("null", false),
        ("NULL", false),
        (" Null ", false),
        ("", false),
        ("   \t\n", false),
        ("wegly.com.br", false),
        ("//wegly.com.br", false),
        ("https://", false),
        ("not a url", false),
        ("https://wegly.com.br https://evil.com", false),
        ("https://[wegly.com.br]", false),
        // IP hosts.
        ("http://127.0.0.1", false),
        ("http://0x7f.1", false),
        ("http://[::1]:8080", false),
        // A Referer with path, query and fragment.
        ("https://www.wegly.com.br/obrigado?x=1", true),
        ("https://wegly.com.br?.evil.com", true),
        ("https://wegly.com.br#.evil.com", true),
        ("https://evil.com/https://wegly.com.br", false),
        ("https://evil.com/?r=https://wegly.com.br", false),
    ];
    for (input, expected) in cases {
        assert_eq!(allowed.permits(input), expected, "row {input:?}");
    }
}

#[test]
fn permits_idna_in_either_form() {
    let cases = [
        ("açaí.com.br", "https://xn--aa-4iaz.com.br", true),
        ("açaí.com.br", "https://loja.açaí.com.br", true),
        ("açaí.com.br", "https://AÇAÍ.com.br", true),
        ("açaí.com.br", "https://açaí．com．br", true),
        ("xn--aa-4iaz.com.br", "https://açaí.com.br:8443", true),
        (
            "xn--aa-4iaz.com.br",
            "https://www.açaí.com.br/obrigado",
            true,
        ),
        ("açaí.com.br", "https://acai.com.br", false),
        ("açaí.com.br", "https://xn--aa-4iaz.com.br.evil.com", false),
        ("exemplo.çom.br", "https://exemplo.xn--om-3ia.br", true),
        ("exemplo.xn--om-3ia.br", "https://exemplo.çom.br", true),
        ("exemplo.çom.br", "https://exemplo.com.br", false),
    ];
    for (domain, origin, expected) in cases {
        let allowed = AllowedDomain::new(domain).unwrap();
        assert_eq!(
            allowed.permits(origin),
            expected,
            "row ({domain:?}, {origin:?})"
        );
    }
}

#[test]
fn permits_single_label_domain() {
    let allowed = AllowedDomain::new("localhost").unwrap();
    let cases = [
        ("http://localhost:3000", true),
        ("http://app.localhost", true),
        ("http://notlocalhost", false),
        ("http://127.0.0.1:3000", false),
    ];
    for (input, expected) in cases {
        assert_eq!(allowed.permits(input), expected, "row {input:?}");
    }
}

#[test]
fn permits_request_prefers_origin() {
    let allowed = wegly();
    let good = "https://www.wegly.com.br";
    let referer = "https://www.wegly.com.br/obrigado?x=1";
    let evil = "https://evil.com";
    let cases = [
        ((Some(good), None), true),
        ((Some(good), Some(referer)), true),
        // The Origin decides even when the Referer is foreign.
        ((Some(good), Some(evil)), true),
        ((None, Some(referer)), true),
        ((None, Some(evil)), false),
        ((None, Some("null")), false),
        // A present but refused Origin is final: no rescue by the Referer.
        ((Some("null"), Some(referer)), false),
        ((Some("NULL"), Some(referer)), false),
        ((Some(evil), Some(referer)), false),
        ((Some(""), Some(referer)), false),
        ((Some("garbage"), Some(referer)), false),
        ((Some(evil), None), false),
        ((None, None), false),
    ];
    for ((origin, referer), expected) in cases {
        assert_eq!(
            allowed.permits_request(origin, referer),
            expected,
            "row ({origin:?}, {referer:?})"
        );
    }
}
