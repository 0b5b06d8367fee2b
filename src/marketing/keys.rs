//! Which names are tracking keys (`docs/rules.md` §2.1) and which are ad-platform click ids
//! (`docs/rules.md` §2.5).

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

/// An ad platform, identified by the click id it appends to landing-page URLs.
///
/// Displays and serializes as its lowercase name (`google`, `meta`, …).
///
/// ```
/// use wegly_attribution::Platform;
/// assert_eq!(Platform::LinkedIn.as_str(), "linkedin");
/// assert_eq!(Platform::for_click_id("msclkid"), Some(Platform::Microsoft));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Platform {
    /// Google Ads: `gclid`, `gbraid`, `wbraid`, `dclid`, `gclsrc`, `gad_source`.
    Google,
    /// Meta (Facebook) ads: `fbclid`.
    Meta,
    /// Microsoft Advertising: `msclkid`.
    Microsoft,
    /// TikTok: `ttclid`.
    TikTok,
    /// LinkedIn: `li_fat_id`.
    LinkedIn,
    /// X (Twitter): `twclid`.
    X,
    /// Reddit: `rdt_cid`.
    Reddit,
    /// Pinterest: `epik`.
    Pinterest,
    /// Snapchat: `sccid`.
    Snapchat,
    /// Instagram: `igshid`.
    Instagram,
    /// Quora: `qclid`.
    Quora,
    /// Yandex: `yclid`.
    Yandex,
    /// Impact (affiliate): `irclid`.
    Impact,
    /// Klaviyo (e-mail): `_kx`, which identifies the recipient.
    Klaviyo,
    /// Mailchimp (e-mail): `mc_cid`, which identifies the mailing.
    Mailchimp,
    /// Kochava: `ko_click_id`.
    Kochava,
}

impl Platform {
    /// Every click-id parameter and its platform, in the order of `docs/rules.md` §2.5.
    ///
    /// ```
    /// use wegly_attribution::Platform;
    /// for (param, platform) in Platform::CLICK_PARAMS {
    ///     assert_eq!(Platform::for_click_id(param), Some(*platform));
    /// }
    /// ```
    pub const CLICK_PARAMS: &'static [(&'static str, Platform)] = &[
        ("gclid", Platform::Google),
        ("gbraid", Platform::Google),
        ("wbraid", Platform::Google),
        ("dclid", Platform::Google),
        ("gclsrc", Platform::Google),
        ("gad_source", Platform::Google),
        ("fbclid", Platform::Meta),
        ("msclkid", Platform::Microsoft),
        ("ttclid", Platform::TikTok),
        ("li_fat_id", Platform::LinkedIn),
        ("twclid", Platform::X),
        ("rdt_cid", Platform::Reddit),
        ("epik", Platform::Pinterest),
        ("sccid", Platform::Snapchat),
        ("igshid", Platform::Instagram),
        ("qclid", Platform::Quora),
        ("yclid", Platform::Yandex),
        ("irclid", Platform::Impact),
        ("_kx", Platform::Klaviyo),
        ("mc_cid", Platform::Mailchimp),
        ("ko_click_id", Platform::Kochava),
    ];

    /// The lowercase name used in output.
    ///
    /// ```
    /// use wegly_attribution::Platform;
    /// assert_eq!(Platform::TikTok.as_str(), "tiktok");
    /// assert_eq!(serde_json::to_string(&Platform::TikTok)?, r#""tiktok""#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Platform::Google => "google",
            Platform::Meta => "meta",
            Platform::Microsoft => "microsoft",
            Platform::TikTok => "tiktok",
            Platform::LinkedIn => "linkedin",
            Platform::X => "x",
            Platform::Reddit => "reddit",
            Platform::Pinterest => "pinterest",
            Platform::Snapchat => "snapchat",
            Platform::Instagram => "instagram",
            Platform::Quora => "quora",
            Platform::Yandex => "yandex",
            Platform::Impact => "impact",
            Platform::Klaviyo => "klaviyo",
            Platform::Mailchimp => "mailchimp",
            Platform::Kochava => "kochava",
        }
    }

    /// The platform of a click-id parameter name, matched ASCII-case-insensitively.
    ///
    /// ```
    /// use wegly_attribution::Platform;
    /// assert_eq!(Platform::for_click_id("GCLID"), Some(Platform::Google));
    /// assert_eq!(Platform::for_click_id("li_fat_id"), Some(Platform::LinkedIn));
    /// assert_eq!(Platform::for_click_id("utm_source"), None);
    /// ```
    #[must_use]
    pub fn for_click_id(param: &str) -> Option<Platform> {
        url_key(param).and_then(|key| key.platform)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Platform {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Whether `key` is a tracking key of an explicit `marketing` object (`docs/rules.md` §2.1).
///
/// JSON is case-sensitive, so this matches exactly: `url_conversion`, `gclid`, `fbclid`,
/// `conversion_tool_name`, or `utm_` / `wegly_` followed by one or more of `[a-z0-9_]`.
///
/// ```
/// use wegly_attribution::is_tracking_key;
/// assert!(is_tracking_key("utm_marketing_tactic"));
/// assert!(is_tracking_key("wegly_code"));
/// assert!(!is_tracking_key("UTM_SOURCE"));
/// assert!(!is_tracking_key("utm_"));
/// assert!(!is_tracking_key("referrer"));
/// ```
#[must_use]
pub fn is_tracking_key(key: &str) -> bool {
    match key {
        "url_conversion" | "gclid" | "fbclid" | "conversion_tool_name" => true,
        _ => key
            .strip_prefix("utm_")
            .or_else(|| key.strip_prefix("wegly_"))
            .is_some_and(|rest| {
                !rest.is_empty()
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            }),
    }
}

/// A URL parameter name recognised as a tracking key, a click id, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlKey<'a> {
    /// The canonical (lowercase) name.
    pub(crate) key: Cow<'a, str>,
    /// The name is a tracking key, so it may fill the `marketing` object.
    pub(crate) tracking: bool,
    /// The name is a click id of this platform.
    pub(crate) platform: Option<Platform>,
}

impl UrlKey<'_> {
    pub(crate) fn into_owned(self) -> UrlKey<'static> {
        UrlKey {
            key: Cow::Owned(self.key.into_owned()),
            tracking: self.tracking,
            platform: self.platform,
        }
    }
}

/// Recognises a decoded URL parameter name, ASCII-case-insensitively (`docs/rules.md` §2.1: in URLs
/// `UTM_Source` is `utm_source`). Borrows unless the name has upper-case letters.
#[inline]
pub(crate) fn url_key(name: &str) -> Option<UrlKey<'_>> {
    let mut upper = false;
    for b in name.bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'_' => {}
            b'A'..=b'Z' => upper = true,
            _ => return None,
        }
    }
    url_key_of_plain(name, upper)
}

/// [`url_key`] for a name already known to hold only `[A-Za-z0-9_]`, and whether it holds an
/// upper-case letter: the extraction hot path scans names once and calls this.
///
/// The open `utm_` / `wegly_` keys, the most common, are told apart by their prefix; the fixed
/// names are compared only with those of the same length.
#[inline]
pub(crate) fn url_key_of_plain(name: &str, upper: bool) -> Option<UrlKey<'_>> {
    debug_assert!(
        name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
        "{name:?}"
    );
    // `| 0x20` lower-cases an ASCII letter; `_` is compared exactly.
    let fold = |b: u8| b | 0x20;
    let open = match name.as_bytes() {
        [u, t, m, b'_', _, ..] => (fold(*u), fold(*t), fold(*m)) == (b'u', b't', b'm'),
        [w, e, g, l, y, b'_', _, ..] => {
            (fold(*w), fold(*e), fold(*g), fold(*l), fold(*y)) == (b'w', b'e', b'g', b'l', b'y')
        }
        _ => false,
    };
    if !open {
        return fixed_key(name);
    }
    let key = if upper {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    };
    Some(UrlKey {
        key,
        tracking: true,
        platform: None,
    })
}

/// The fixed names (click ids, `gclid`, `fbclid`, `url_conversion`, `conversion_tool_name`).
#[inline]
fn fixed_key(name: &str) -> Option<UrlKey<'static>> {
    let candidates = match name.len() {
        3 => FIXED_3,
        4 => FIXED_4,
        5 => FIXED_5,
        6 => FIXED_6,
        7 => FIXED_7,
        9 => FIXED_9,
        10 => FIXED_10,
        11 => FIXED_11,
        14 => FIXED_14,
        20 => FIXED_20,
        _ => return None,
    };
    let mut buffer = [0u8; LONGEST_FIXED];
    let folded = buffer.get_mut(..name.len())?;
    for (folded, b) in folded.iter_mut().zip(name.bytes()) {
        *folded = b.to_ascii_lowercase();
    }
    let &(fixed, tracking, platform) = candidates
        .iter()
        .find(|(fixed, ..)| fixed.as_bytes() == &*folded)?;
    Some(UrlKey {
        key: Cow::Borrowed(fixed),
        tracking,
        platform,
    })
}

type Fixed = &'static [(&'static str, bool, Option<Platform>)];

/// The longest fixed name, `conversion_tool_name`.
const LONGEST_FIXED: usize = 20;

const FIXED_3: Fixed = &[("_kx", false, Some(Platform::Klaviyo))];
const FIXED_4: Fixed = &[("epik", false, Some(Platform::Pinterest))];
const FIXED_5: Fixed = &[
    ("gclid", true, Some(Platform::Google)),
    ("dclid", false, Some(Platform::Google)),
    ("sccid", false, Some(Platform::Snapchat)),
    ("qclid", false, Some(Platform::Quora)),
    ("yclid", false, Some(Platform::Yandex)),
];
const FIXED_6: Fixed = &[
    ("fbclid", true, Some(Platform::Meta)),
    ("gbraid", false, Some(Platform::Google)),
    ("wbraid", false, Some(Platform::Google)),
    ("gclsrc", false, Some(Platform::Google)),
    ("ttclid", false, Some(Platform::TikTok)),
    ("twclid", false, Some(Platform::X)),
    ("igshid", false, Some(Platform::Instagram)),
    ("irclid", false, Some(Platform::Impact)),
    ("mc_cid", false, Some(Platform::Mailchimp)),
];
const FIXED_7: Fixed = &[
    ("msclkid", false, Some(Platform::Microsoft)),
    ("rdt_cid", false, Some(Platform::Reddit)),
];
const FIXED_9: Fixed = &[("li_fat_id", false, Some(Platform::LinkedIn))];
const FIXED_10: Fixed = &[("gad_source", false, Some(Platform::Google))];
const FIXED_11: Fixed = &[("ko_click_id", false, Some(Platform::Kochava))];
const FIXED_14: Fixed = &[("url_conversion", true, None)];
const FIXED_20: Fixed = &[("conversion_tool_name", true, None)];

/// Every fixed name, tracking key or click id.
#[cfg(test)]
pub(crate) const FIXED: [Fixed; 10] = [
    FIXED_3, FIXED_4, FIXED_5, FIXED_6, FIXED_7, FIXED_9, FIXED_10, FIXED_11, FIXED_14, FIXED_20,
];

#[cfg(test)]
#[allow(clippy::type_complexity)] // The test tables are tuples, read row by row.
mod tests {
    use super::*;

    #[test]
    fn explicit_keys_match_exactly() {
        let cases: &[(&str, bool)] = &[
            ("url_conversion", true),
            ("gclid", true),
            ("fbclid", true),
            ("conversion_tool_name", true),
            ("utm_source", true),
            ("utm_x", true),
            ("utm_2024_q1", true),
            ("wegly_code", true),
            ("wegly_", false),
            ("utm_", false),
            ("utm_Source", false),
            ("Utm_source", false),
            ("utm-source", false),
            ("utm_sou rce", false),
            ("utm_é", false),
            ("msclkid", false),
            ("gbraid", false),
            ("", false),
        ];
        for (key, expected) in cases {
            assert_eq!(is_tracking_key(key), *expected, "row {key:?}");
        }
    }

    #[test]
    fn url_keys_match_case_insensitively() {
        let cases: &[(&str, Option<(&str, bool, Option<Platform>)>)] = &[
            ("UTM_Source", Some(("utm_source", true, None))),
            ("utm_source", Some(("utm_source", true, None))),
            ("WEGLY_Code", Some(("wegly_code", true, None))),
            ("GCLID", Some(("gclid", true, Some(Platform::Google)))),
            ("FbClId", Some(("fbclid", true, Some(Platform::Meta)))),
            ("gbraid", Some(("gbraid", false, Some(Platform::Google)))),
            (
                "Li_Fat_Id",
                Some(("li_fat_id", false, Some(Platform::LinkedIn))),
            ),
            ("epik", Some(("epik", false, Some(Platform::Pinterest)))),
            ("_KX", Some(("_kx", false, Some(Platform::Klaviyo)))),
            ("Mc_Cid", Some(("mc_cid", false, Some(Platform::Mailchimp)))),
            (
                "GAD_SOURCE",
                Some(("gad_source", false, Some(Platform::Google))),
            ),
            (
                "ko_click_id",
                Some(("ko_click_id", false, Some(Platform::Kochava))),
            ),
            ("kx", None),
            ("gad_sources", None),
            ("url_conversion", Some(("url_conversion", true, None))),
            ("utm_", None),
            ("utm_a-b", None),
            ("utm", None),
            ("campaign_id", None),
            ("utmsource", None),
            ("wegly-code", None),
            ("utm_\u{212a}", None),
        ];
        for (name, expected) in cases {
            let got = url_key(name).map(|k| (k.key.into_owned(), k.tracking, k.platform));
            let expected = expected.map(|(k, t, p)| (k.to_owned(), t, p));
            assert_eq!(got, expected, "row {name:?}");
        }
    }

    #[test]
    fn every_fixed_name_is_recognised_in_any_case() {
        let longest = FIXED
            .iter()
            .flat_map(|table| table.iter())
            .map(|(n, ..)| n.len());
        assert_eq!(longest.max(), Some(LONGEST_FIXED));
        for &(name, tracking, platform) in FIXED.iter().flat_map(|table| table.iter()) {
            for variant in [name.to_owned(), name.to_ascii_uppercase()] {
                let key = url_key(&variant).unwrap_or_else(|| panic!("{variant}"));
                assert_eq!(
                    (&*key.key, key.tracking, key.platform),
                    (name, tracking, platform)
                );
            }
        }
    }

    #[test]
    fn click_params_and_fixed_names_agree() {
        let fixed: Vec<(&str, Platform)> = FIXED
            .iter()
            .flat_map(|t| t.iter())
            .filter_map(|&(name, _, platform)| Some((name, platform?)))
            .collect();
        for pair in Platform::CLICK_PARAMS {
            assert!(fixed.contains(pair), "{pair:?} has no fixed name");
        }
        for pair in &fixed {
            assert!(
                Platform::CLICK_PARAMS.contains(pair),
                "{pair:?} missing from CLICK_PARAMS"
            );
        }
    }

    /// The number of arms of [`a_click_param_of`]: a new platform must be added to both.
    const PLATFORMS: usize = 16;

    /// One click id per platform. The `match` is exhaustive, so a new platform does not compile
    /// until it is named here, and then must be in `CLICK_PARAMS`.
    fn a_click_param_of(platform: Platform) -> &'static str {
        match platform {
            Platform::Google => "gclid",
            Platform::Meta => "fbclid",
            Platform::Microsoft => "msclkid",
            Platform::TikTok => "ttclid",
            Platform::LinkedIn => "li_fat_id",
            Platform::X => "twclid",
            Platform::Reddit => "rdt_cid",
            Platform::Pinterest => "epik",
            Platform::Snapchat => "sccid",
            Platform::Instagram => "igshid",
            Platform::Quora => "qclid",
            Platform::Yandex => "yclid",
            Platform::Impact => "irclid",
            Platform::Klaviyo => "_kx",
            Platform::Mailchimp => "mc_cid",
            Platform::Kochava => "ko_click_id",
        }
    }

    #[test]
    fn every_platform_has_a_click_id() {
        let mut platforms: Vec<Platform> = Platform::CLICK_PARAMS.iter().map(|(_, p)| *p).collect();
        platforms.dedup();
        assert_eq!(platforms.len(), PLATFORMS);
        for &(_, platform) in Platform::CLICK_PARAMS {
            let param = a_click_param_of(platform);
            assert!(
                Platform::CLICK_PARAMS.contains(&(param, platform)),
                "{platform}: {param}"
            );
            assert_eq!(platform.as_str(), platform.as_str().to_lowercase());
        }
    }
}
