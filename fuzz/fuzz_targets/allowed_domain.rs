//! `AllowedDomain` (`docs/rules.md` §4.4): no input panics, and an admitted `Origin` / `Referer`
//! really is an http(s) URL on the domain or a subdomain, as the `url` crate parses it.
//!
//! Input layout: the first line is the allowed domain, the rest the header value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wegly_attribution::AllowedDomain;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (domain, origin) = text.split_once('\n').unwrap_or((&text, ""));
    let Ok(allowed) = AllowedDomain::new(domain) else {
        return;
    };
    let name = allowed.as_str();

    // The normalized form is a fixed point, and the domain itself is admitted.
    assert_eq!(
        AllowedDomain::new(name).as_ref(),
        Ok(&allowed),
        "`{name}` does not parse back to itself"
    );
    assert!(
        allowed.permits(&format!("https://{name}")),
        "`{name}` refuses itself"
    );

    let permitted = allowed.permits(origin);
    if permitted {
        let trimmed = origin.trim_matches(|c: char| c.is_ascii_whitespace());
        let url = url::Url::parse(trimmed)
            .unwrap_or_else(|err| panic!("admitted {origin:?} does not parse: {err}"));
        assert!(
            matches!(url.scheme(), "http" | "https"),
            "admitted {origin:?} has scheme {}",
            url.scheme()
        );
        let Some(url::Host::Domain(host)) = url.host() else {
            panic!("admitted {origin:?} has no domain host: {:?}", url.host());
        };
        let host = host.strip_suffix('.').unwrap_or(host);
        assert!(
            host == name || host.ends_with(&format!(".{name}")),
            "admitted {origin:?} has host `{host}`, outside `{name}`"
        );
    }

    // `Origin` decides alone when present; `Referer` only when it is absent.
    assert_eq!(allowed.permits_request(Some(origin), None), permitted);
    assert_eq!(allowed.permits_request(None, Some(origin)), permitted);
    assert_eq!(
        allowed.permits_request(Some(origin), Some(&format!("https://{name}/"))),
        permitted
    );
    assert!(!allowed.permits_request(None, None));
});
