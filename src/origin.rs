//! The API key's `allowed_domain` check: may this browser request use the key?
//!
//! An integration key ships inside public web pages, so it is not a secret; what limits its use
//! is the `Origin` (or, failing that, `Referer`) header that browsers attach and that page
//! scripts cannot forge. The threat is a page on another site reusing the key, and the classic
//! way to get this check wrong is to compare raw text: `evilwegly.com.br` ends with
//! `wegly.com.br`, `https://wegly.com.br.evil.com` starts with `https://wegly.com.br`, and
//! `https://wegly.com.br@evil.com` contains it. So the header is parsed the way a browser parses a
//! URL (the WHATWG URL Standard, through the `url` crate) and only the resulting host is compared,
//! label by label, with the allowed domain. A client that is not a browser can send any header it
//! likes; this check does not (and cannot) stop that.
//!
//! ```
//! use wegly_attribution::AllowedDomain;
//!
//! let allowed = AllowedDomain::new("wegly.com.br")?;
//! assert!(allowed.permits("https://www.wegly.com.br"));
//! assert!(!allowed.permits("https://evilwegly.com.br"));
//! assert!(!allowed.permits("https://wegly.com.br.evil.com"));
//! # Ok::<(), wegly_attribution::InvalidDomain>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use url::{Host, Url};

/// The longest DNS name, in bytes, without the trailing dot (RFC 1035 §2.3.4, as counted by
/// UTS #46 `VerifyDnsLength`).
const MAX_DOMAIN_LEN: usize = 253;

/// The longest DNS label, in bytes (RFC 1035 §2.3.4).
const MAX_LABEL_LEN: usize = 63;

/// A domain whose pages, and whose subdomains' pages, may use an API key.
///
/// It holds the normalized ASCII form of the domain: IDNA-mapped and punycode-encoded (as the
/// WHATWG "domain to ASCII" algorithm does), lower case, without a trailing dot. An allowed
/// domain is a DNS name: IP addresses are refused, because "this host and its subdomains" means
/// nothing for them. Single-label names such as `localhost` are accepted.
///
/// Nothing stops an allowed domain from being a public suffix (`com.br`), which would admit
/// every site under it; choosing the domain is the key owner's responsibility.
///
/// ```
/// use wegly_attribution::AllowedDomain;
///
/// let allowed = AllowedDomain::new("Açaí.com.br.")?;
/// assert_eq!(allowed.as_str(), "xn--aa-4iaz.com.br");
/// assert!(allowed.permits("https://loja.açaí.com.br:8443"));
/// # Ok::<(), wegly_attribution::InvalidDomain>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AllowedDomain(String);

impl AllowedDomain {
    /// Validates and normalizes a bare domain such as `wegly.com.br`.
    ///
    /// ASCII white space around the domain is ignored, case and one trailing dot do not matter,
    /// and an internationalized domain may be given in Unicode or in punycode: both give the
    /// same `AllowedDomain`.
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    ///
    /// let allowed = AllowedDomain::new(" Wegly.COM.br. ")?;
    /// assert_eq!(allowed.as_str(), "wegly.com.br");
    /// assert!(AllowedDomain::new("https://wegly.com.br").is_err());
    /// # Ok::<(), wegly_attribution::InvalidDomain>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`InvalidDomain`] when the input is empty; has a scheme, userinfo, a port, a path, query
    /// or fragment; contains a `*` wildcard or a percent-escape; is an IP address; is not a
    /// valid host for the WHATWG host parser (for example an invalid IDNA label); or, once
    /// converted to ASCII, has an empty label, a label over 63 bytes, more than 253 bytes, or a
    /// character other than a letter, digit, `-` or `_`.
    pub fn new(domain: &str) -> Result<AllowedDomain, InvalidDomain> {
        match normalize(domain.trim_ascii()) {
            Ok(normalized) => Ok(AllowedDomain(normalized)),
            Err(reason) => Err(InvalidDomain::new(domain, reason)),
        }
    }

    /// The normalized domain: ASCII, lower case, punycode, no trailing dot.
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    ///
    /// assert_eq!(AllowedDomain::new("pão.com.br")?.as_str(), "xn--po-sia.com.br");
    /// # Ok::<(), wegly_attribution::InvalidDomain>(())
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether an `Origin` or `Referer` header value comes from this domain or a subdomain.
    ///
    /// The value is parsed as a URL, as a browser would; it is admitted only when its scheme is
    /// `http` or `https` and its host is a domain equal to the allowed domain or ending with
    /// `.` followed by it. Any port is admitted, and a `Referer`'s path, query and fragment are
    /// ignored. `null` (the serialization of an opaque origin), unparsable values, other schemes
    /// and IP-address hosts are refused.
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    ///
    /// let allowed = AllowedDomain::new("wegly.com.br")?;
    /// assert!(allowed.permits("https://wegly.com.br"));
    /// assert!(allowed.permits("https://www.wegly.com.br/obrigado?x=1"));
    /// assert!(!allowed.permits("https://wegly.com.br@evil.com"));
    /// assert!(!allowed.permits("null"));
    /// # Ok::<(), wegly_attribution::InvalidDomain>(())
    /// ```
    #[must_use]
    pub fn permits(&self, origin_or_referer: &str) -> bool {
        let value = origin_or_referer.trim_ascii();
        // An opaque origin (sandboxed iframe, `data:` URL, some redirects) is serialized as
        // `null` (HTML Standard, "serialization of an origin"); it names no site at all. The URL
        // parser would refuse it as a relative URL anyway; saying it here keeps the rule visible.
        if value.eq_ignore_ascii_case("null") {
            return false;
        }
        let Ok(url) = Url::parse(value) else {
            return false;
        };
        // Only web origins count. `http` and `https` are two of the WHATWG "special schemes",
        // whose host goes through the host parser (percent-decoding, IDNA, lower-casing) and
        // where `\` is read as `/`; the `url` crate has done all of that, so `host()` is the host
        // a browser would connect to, and userinfo is already set aside.
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        // IPv4 and IPv6 hosts (WHATWG "host parsing": a domain ending in a number is an IPv4
        // address) never belong to a domain.
        let Some(Host::Domain(host)) = url.host() else {
            return false;
        };
        // `wegly.com.br.` is the fully qualified spelling of `wegly.com.br`: the same DNS name.
        let host = host.strip_suffix('.').unwrap_or(host);
        self.covers(host)
    }

    /// Whether a request may use the key, given its `Origin` and `Referer` headers.
    ///
    /// A present `Origin` decides alone; only when it is absent does the `Referer` decide.
    /// Both absent: refused. A header that is present but empty counts as present.
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    ///
    /// let allowed = AllowedDomain::new("wegly.com.br")?;
    /// assert!(allowed.permits_request(Some("https://wegly.com.br"), None));
    /// assert!(allowed.permits_request(None, Some("https://wegly.com.br/obrigado")));
    /// assert!(!allowed.permits_request(Some("null"), Some("https://wegly.com.br/")));
    /// assert!(!allowed.permits_request(None, None));
    /// # Ok::<(), wegly_attribution::InvalidDomain>(())
    /// ```
    #[must_use]
    pub fn permits_request(&self, origin: Option<&str>, referer: Option<&str>) -> bool {
        match (origin, referer) {
            // The browser sets `Origin` itself and it is the more precise of the two. When it is
            // present but refused, falling back to the `Referer` would let a request whose real
            // origin is foreign or opaque (`null`: sandboxed frames, `data:` documents) borrow a
            // `Referer` that is easier to shape (it carries a page URL, it may have been copied
            // from elsewhere, and policies strip or rewrite it independently). A refused Origin
            // is therefore final.
            (Some(origin), _) => self.permits(origin),
            // Older browsers and some same-origin GET navigations send no `Origin`.
            (None, Some(referer)) => self.permits(referer),
            (None, None) => false,
        }
    }

    /// Whether `host` (normalized, no trailing dot) is the domain or one of its subdomains.
    ///
    /// The comparison is on whole labels: the byte before the domain must be a `.` that ends a
    /// non-empty label, so `evilwegly.com.br` and `.wegly.com.br` are refused; so is any host
    /// with an empty label (`a..wegly.com.br`), which no DNS name has.
    fn covers(&self, host: &str) -> bool {
        match host.strip_suffix(self.0.as_str()) {
            Some("") => true,
            Some(prefix) => prefix
                .strip_suffix('.')
                .is_some_and(|labels| labels.split('.').all(|label| !label.is_empty())),
            None => false,
        }
    }
}

impl fmt::Display for AllowedDomain {
    /// Writes the normalized domain, as [`AllowedDomain::as_str`].
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    ///
    /// assert_eq!(AllowedDomain::new("WEGLY.com.br")?.to_string(), "wegly.com.br");
    /// # Ok::<(), wegly_attribution::InvalidDomain>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for AllowedDomain {
    type Err = InvalidDomain;

    /// Parses a bare domain, as [`AllowedDomain::new`].
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    ///
    /// let allowed: AllowedDomain = "wegly.com.br".parse()?;
    /// assert!(allowed.permits("https://app.wegly.com.br"));
    /// # Ok::<(), wegly_attribution::InvalidDomain>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`InvalidDomain`], in the cases listed on [`AllowedDomain::new`].
    fn from_str(domain: &str) -> Result<Self, Self::Err> {
        AllowedDomain::new(domain)
    }
}

impl Serialize for AllowedDomain {
    /// Writes the normalized domain as a string.
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    ///
    /// let allowed = AllowedDomain::new("WEGLY.com.br.")?;
    /// assert_eq!(serde_json::to_string(&allowed)?, r#""wegly.com.br""#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AllowedDomain {
    /// Reads a string through [`AllowedDomain::new`], so a configuration file gets the same
    /// checks and the same messages.
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    ///
    /// let allowed: AllowedDomain = serde_json::from_str(r#""Wegly.com.br""#)?;
    /// assert_eq!(allowed.as_str(), "wegly.com.br");
    /// assert!(serde_json::from_str::<AllowedDomain>(r#""https://wegly.com.br""#).is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DomainVisitor)
    }
}

/// Reads an [`AllowedDomain`] from a string.
struct DomainVisitor;

impl Visitor<'_> for DomainVisitor {
    type Value = AllowedDomain;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a bare domain such as `wegly.com.br`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<AllowedDomain, E> {
        AllowedDomain::new(v).map_err(E::custom)
    }
}

/// Why a string is not a valid allowed domain.
///
/// Its `Display` quotes the input as given and says what is wrong with it.
///
/// ```
/// use wegly_attribution::AllowedDomain;
///
/// let allowed = AllowedDomain::new("wegly.com.br")?;
/// assert!(allowed.permits("https://www.wegly.com.br"));
///
/// let err = AllowedDomain::new("*.wegly.com.br").err().map(|err| err.to_string());
/// assert_eq!(
///     err.as_deref(),
///     Some("invalid allowed domain `*.wegly.com.br`: `*` is not allowed, subdomains are always admitted"),
/// );
/// # Ok::<(), wegly_attribution::InvalidDomain>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid allowed domain `{input}`: {reason}")]
pub struct InvalidDomain {
    input: String,
    reason: Reason,
}

impl InvalidDomain {
    #[cold]
    fn new(input: &str, reason: Reason) -> InvalidDomain {
        InvalidDomain {
            input: input.to_owned(),
            reason,
        }
    }

    /// The refused input, exactly as it was given (white space included).
    ///
    /// ```
    /// use wegly_attribution::AllowedDomain;
    ///
    /// let allowed = AllowedDomain::new("wegly.com.br")?;
    /// assert_eq!(allowed.as_str(), "wegly.com.br");
    ///
    /// let err = AllowedDomain::new(" wegly.com.br:443 ").err();
    /// assert_eq!(err.as_ref().map(|err| err.input()), Some(" wegly.com.br:443 "));
    /// # Ok::<(), wegly_attribution::InvalidDomain>(())
    /// ```
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }
}

/// What is wrong with an allowed domain; private so the wording can improve freely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    Empty,
    Scheme,
    Userinfo,
    Path,
    Port,
    Wildcard,
    PercentEscape,
    IpAddress,
    Host(url::ParseError),
    EmptyLabel,
    LabelTooLong,
    TooLong,
    Character,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Empty => f.write_str("the domain is empty"),
            Reason::Scheme => f.write_str("a scheme is not allowed, write the bare domain"),
            Reason::Userinfo => f.write_str("userinfo (`user@`) is not allowed"),
            Reason::Path => f.write_str("a path, query or fragment is not allowed"),
            Reason::Port => f.write_str("a port is not allowed, every port is admitted"),
            Reason::Wildcard => f.write_str("`*` is not allowed, subdomains are always admitted"),
            Reason::PercentEscape => f.write_str("percent-escapes are not allowed"),
            Reason::IpAddress => {
                f.write_str("an IP address is not allowed, an allowed domain is a DNS name")
            }
            Reason::Host(err) => write!(f, "not a valid host name ({err})"),
            Reason::EmptyLabel => f.write_str("a label is empty"),
            Reason::LabelTooLong => {
                write!(f, "a label is longer than {MAX_LABEL_LEN} bytes")
            }
            Reason::TooLong => write!(f, "the domain is longer than {MAX_DOMAIN_LEN} bytes"),
            Reason::Character => {
                f.write_str("only letters, digits, `-` and `_` are allowed (after IDNA conversion)")
            }
        }
    }
}

/// Normalizes a trimmed bare domain, or says why it is not one.
fn normalize(domain: &str) -> Result<String, Reason> {
    if domain.is_empty() {
        return Err(Reason::Empty);
    }
    // The specific, readable refusals come first, on the raw text: they name the mistake an
    // operator actually made (pasting a URL, an origin, a `*.` pattern). The WHATWG host parser
    // would refuse most of these too, but only as "invalid host".
    let bracketed = domain
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(domain);
    if bracketed.parse::<std::net::Ipv6Addr>().is_ok() {
        return Err(Reason::IpAddress);
    }
    if domain.contains("://") {
        return Err(Reason::Scheme);
    }
    if domain.contains('@') {
        return Err(Reason::Userinfo);
    }
    // `\` counts: for special schemes the WHATWG parser reads it as `/`.
    if domain.contains(['/', '\\', '?', '#']) {
        return Err(Reason::Path);
    }
    if let Some((_, after)) = domain.split_once(':') {
        // `wegly.com.br:8080` is a port; `https:wegly.com.br` is a scheme without slashes,
        // which the WHATWG parser accepts for special schemes.
        return Err(if after.bytes().all(|b| b.is_ascii_digit()) {
            Reason::Port
        } else {
            Reason::Scheme
        });
    }
    if domain.contains('*') {
        return Err(Reason::Wildcard);
    }
    // The host parser would percent-decode (`wegly%2Ecom%2Ebr` is `wegly.com.br` to a browser),
    // but a configured domain is read by people, who should see the name that is matched.
    if domain.contains('%') {
        return Err(Reason::PercentEscape);
    }
    // WHATWG "host parsing" (https://url.spec.whatwg.org/#host-parsing): "domain to ASCII"
    // (UTS #46 mapping, lower-casing, punycode), forbidden domain code points, and the IPv4
    // parser for names ending in a number.
    let ascii = match Host::parse(domain) {
        Ok(Host::Domain(ascii)) => ascii,
        Ok(Host::Ipv4(_) | Host::Ipv6(_)) => return Err(Reason::IpAddress),
        Err(err) => return Err(Reason::Host(err)),
    };
    // One trailing dot is the fully qualified spelling of the same name, as in `permits`.
    let ascii = ascii.strip_suffix('.').map(str::to_owned).unwrap_or(ascii);
    check_dns_name(&ascii)?;
    Ok(ascii)
}

/// Checks the shape of a DNS name that the host parser has already converted to ASCII.
///
/// The host parser does not verify DNS lengths and lets through characters such as `!` or `$`
/// that no registrable name contains; an allowed domain must be something DNS can answer for.
/// `_` is kept: browsers load pages from such hosts.
fn check_dns_name(ascii: &str) -> Result<(), Reason> {
    if ascii.len() > MAX_DOMAIN_LEN {
        return Err(Reason::TooLong);
    }
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err(Reason::EmptyLabel);
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(Reason::LabelTooLong);
        }
        // The host parser has lower-cased ASCII letters already.
        if !label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(Reason::Character);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
