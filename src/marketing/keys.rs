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
    pub const CLICK_PARAMS: &'static [(&'static str, Platform)] = &CLICK_PARAMS;

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
    is_fixed_tracking_key(key)
        || key
            .strip_prefix("utm_")
            .or_else(|| key.strip_prefix("wegly_"))
            .is_some_and(|rest| {
                !rest.is_empty()
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            })
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
    let candidates = of_length(name.len());
    if candidates.is_empty() {
        return None;
    }
    let mut buffer = [0u8; LONGEST_FIXED];
    let folded = buffer.get_mut(..name.len())?;
    for (folded, b) in folded.iter_mut().zip(name.bytes()) {
        *folded = b.to_ascii_lowercase();
    }
    let fixed = candidates
        .iter()
        .find(|fixed| fixed.name.as_bytes() == &*folded)?;
    Some(UrlKey {
        key: Cow::Borrowed(fixed.name),
        tracking: fixed.tracking,
        platform: fixed.platform,
    })
}

/// A name matched whole (ASCII case aside), not by its prefix.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fixed {
    pub(crate) name: &'static str,
    /// A tracking key: it may fill the `marketing` object.
    pub(crate) tracking: bool,
    /// A click id of this platform.
    pub(crate) platform: Option<Platform>,
}

impl Fixed {
    const NONE: Fixed = Fixed {
        name: "",
        tracking: false,
        platform: None,
    };
}

/// Declares the fixed names once: the click ids in the order of `docs/rules.md` §2.5, then the
/// fixed tracking keys that are no click id. [`Platform::CLICK_PARAMS`], the lookup by length
/// and [`is_tracking_key`]'s exact names are made from this list when the crate is built.
///
/// The list is read one entry at a time, gathering every entry and, apart, the names marked
/// `tracking`, so that the `match` of [`is_tracking_key`] holds those alone.
macro_rules! fixed_names {
    (@read [$($all:tt)*] [$($tracking:literal)*]
        $name:literal => $platform:ident, tracking; $($rest:tt)*) => {
        fixed_names!(@read [$($all)* ($name, true, Some(Platform::$platform))]
            [$($tracking)* $name] $($rest)*);
    };
    (@read [$($all:tt)*] [$($tracking:literal)*]
        $name:literal => $platform:ident; $($rest:tt)*) => {
        fixed_names!(@read [$($all)* ($name, false, Some(Platform::$platform))]
            [$($tracking)*] $($rest)*);
    };
    (@read [$($all:tt)*] [$($tracking:literal)*] $name:literal, tracking; $($rest:tt)*) => {
        fixed_names!(@read [$($all)* ($name, true, None)] [$($tracking)* $name] $($rest)*);
    };
    (@read [$(($name:literal, $is_tracking:expr, $platform:expr))*] [$($tracking:literal)*]) => {
        /// Every fixed name, in the order declared.
        pub(crate) const FIXED: &[Fixed] = &[$(Fixed {
            name: $name,
            tracking: $is_tracking,
            platform: $platform,
        },)*];

        /// Whether `key` is, exactly, a fixed name that is a tracking key.
        #[inline]
        fn is_fixed_tracking_key(key: &str) -> bool {
            matches!(key, $($tracking)|*)
        }
    };
    ($($entries:tt)*) => { fixed_names!(@read [] [] $($entries)*); };
}

fixed_names! {
    "gclid" => Google, tracking;
    "gbraid" => Google;
    "wbraid" => Google;
    "dclid" => Google;
    "gclsrc" => Google;
    "gad_source" => Google;
    "fbclid" => Meta, tracking;
    "msclkid" => Microsoft;
    "ttclid" => TikTok;
    "li_fat_id" => LinkedIn;
    "twclid" => X;
    "rdt_cid" => Reddit;
    "epik" => Pinterest;
    "sccid" => Snapchat;
    "igshid" => Instagram;
    "qclid" => Quora;
    "yclid" => Yandex;
    "irclid" => Impact;
    "_kx" => Klaviyo;
    "mc_cid" => Mailchimp;
    "ko_click_id" => Kochava;
    "url_conversion", tracking;
    "conversion_tool_name", tracking;
}

// The tables below are computed from `FIXED` when the crate is built. In a constant, an index
// out of bounds fails the build: no panic at run time.

/// The longest fixed name, `conversion_tool_name`.
const LONGEST_FIXED: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < FIXED.len() {
        #[allow(clippy::indexing_slicing)]
        let len = FIXED[i].name.len();
        if len > longest {
            longest = len;
        }
        i += 1;
    }
    longest
};

/// How many fixed names are `len` bytes long.
const fn count_of_length(len: usize) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < FIXED.len() {
        #[allow(clippy::indexing_slicing)]
        if FIXED[i].name.len() == len {
            count += 1;
        }
        i += 1;
    }
    count
}

/// The fixed names of `len` bytes (`N` is their count): the tracking keys first (`gclid`,
/// `fbclid`: the click ids most URLs carry are compared first), then in the order declared.
#[allow(clippy::indexing_slicing)]
const fn names_of_length<const N: usize>(len: usize) -> [Fixed; N] {
    let mut names = [Fixed::NONE; N];
    let mut at = 0;
    let mut tracking_pass = 0;
    while tracking_pass < 2 {
        let tracking = tracking_pass == 0;
        let mut i = 0;
        while i < FIXED.len() {
            if FIXED[i].name.len() == len && FIXED[i].tracking == tracking {
                names[at] = FIXED[i];
                at += 1;
            }
            i += 1;
        }
        tracking_pass += 1;
    }
    names
}

/// Makes `of_length`, a `match` with one arm per length, each a constant slice: the compiler
/// then compares a name only with the constants of its length (a table indexed by length
/// measured 2-11% slower on `tracking_params`). The lengths listed must reach the longest name.
macro_rules! by_length {
    ($($len:literal)+) => {
        /// The fixed names of `len` bytes.
        #[inline]
        fn of_length(len: usize) -> &'static [Fixed] {
            match len {
                $($len => {
                    const NAMES: [Fixed; count_of_length($len)] = names_of_length($len);
                    &NAMES
                })+
                _ => &[],
            }
        }

        const _: () = {
            let lengths = [$($len),+];
            assert!(
                lengths.len() >= LONGEST_FIXED && lengths[LONGEST_FIXED - 1] == LONGEST_FIXED,
                "by_length! must list every length up to the longest fixed name"
            );
        };
    };
}

by_length!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20);

/// How many fixed names are click ids.
const CLICK_IDS: usize = {
    let mut count = 0;
    let mut i = 0;
    while i < FIXED.len() {
        #[allow(clippy::indexing_slicing)]
        if FIXED[i].platform.is_some() {
            count += 1;
        }
        i += 1;
    }
    count
};

/// [`Platform::CLICK_PARAMS`]: the click ids of `FIXED`, in its order.
#[allow(clippy::indexing_slicing)]
const CLICK_PARAMS: [(&str, Platform); CLICK_IDS] = {
    let mut params = [("", Platform::Google); CLICK_IDS];
    let (mut i, mut at) = (0, 0);
    while i < FIXED.len() {
        if let Some(platform) = FIXED[i].platform {
            params[at] = (FIXED[i].name, platform);
            at += 1;
        }
        i += 1;
    }
    params
};

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
        let longest = FIXED.iter().map(|fixed| fixed.name.len());
        assert_eq!(longest.max(), Some(LONGEST_FIXED));
        for fixed in FIXED {
            for variant in [fixed.name.to_owned(), fixed.name.to_ascii_uppercase()] {
                let key = url_key(&variant).unwrap_or_else(|| panic!("{variant}"));
                assert_eq!(
                    (&*key.key, key.tracking, key.platform),
                    (fixed.name, fixed.tracking, fixed.platform)
                );
            }
        }
    }

    #[test]
    fn each_length_holds_its_names_and_no_other() {
        for len in 0..=LONGEST_FIXED + 1 {
            let of_len = |tracking: bool| {
                FIXED
                    .iter()
                    .filter(move |fixed| fixed.name.len() == len && fixed.tracking == tracking)
                    .map(|fixed| fixed.name)
            };
            let expected: Vec<&str> = of_len(true).chain(of_len(false)).collect();
            let got: Vec<&str> = of_length(len).iter().map(|fixed| fixed.name).collect();
            assert_eq!(got, expected, "length {len}");
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
