//! The channel view (SPEC 2.6): which channel brought a lead, by Google Analytics 4's default
//! channel group rules, with click ids standing in for missing UTMs.

use std::borrow::Cow;
use std::iter;

use serde::Serialize;

use super::extract::is_trimmed;
use super::model::Marketing;
use crate::error::code_enum;
use patterns::{Source, contains, is_paid_medium, matches_shop_pattern};

mod patterns;
#[cfg(test)]
mod tests;

code_enum! {
    /// The channel that brought a lead: GA4's default channel group (SPEC 2.6), in the order
    /// its rules are tried.
    ///
    /// Displays and serializes as its snake_case code.
    ///
    /// ```
    /// use wegly_attribution::{Channel, Marketing};
    /// let n = Marketing::from_url("https://x.com.br/lp?utm_source=google&utm_medium=cpc");
    /// assert_eq!(n.marketing.channel().channel, Channel::PaidSearch);
    /// assert_eq!(Channel::PaidSearch.as_str(), "paid_search");
    /// assert_eq!(Channel::ALL.len(), 19);
    /// ```
    Channel {
        /// Rule 1: the campaign contains `cross-network` (Performance Max and the like).
        CrossNetwork => "cross_network",
        /// Rule 2: a shopping source, or a campaign matching the shop pattern, and a paid medium.
        PaidShopping => "paid_shopping",
        /// Rule 3: a search source and a paid medium.
        PaidSearch => "paid_search",
        /// Rule 4: a social source and a paid medium.
        PaidSocial => "paid_social",
        /// Rule 5: a video source and a paid medium.
        PaidVideo => "paid_video",
        /// Rule 6: medium `display`, `banner`, `expandable`, `interstitial` or `cpm`.
        Display => "display",
        /// Rule 7: any other paid medium.
        PaidOther => "paid_other",
        /// Rule 8: a shopping source, or a campaign matching the shop pattern.
        OrganicShopping => "organic_shopping",
        /// Rule 9: a social source, or a social medium (`social`, `sm`, `social-media`, …).
        OrganicSocial => "organic_social",
        /// Rule 10: a video source, or a medium containing `video`.
        OrganicVideo => "organic_video",
        /// Rule 11: a search source, or medium `organic`.
        OrganicSearch => "organic_search",
        /// Rule 12: source or medium `email`, `e-mail`, `e_mail` or `e mail`.
        Email => "email",
        /// Rule 13: medium `affiliate`.
        Affiliates => "affiliates",
        /// Rule 14: medium `referral`, `app` or `link`.
        Referral => "referral",
        /// Rule 15: medium `audio`.
        Audio => "audio",
        /// Rule 16: source or medium `sms`.
        Sms => "sms",
        /// Rule 17: a medium ending with `push` or containing `mobile` or `notification`, or
        /// source `firebase`.
        MobilePush => "mobile_push",
        /// Rule 18: no source, no medium and no click id that implies them.
        Direct => "direct",
        /// Rule 19: anything else.
        Unassigned => "unassigned",
    }
}

/// Which channel brought a lead, and the source and medium that decided it (SPEC 2.6).
///
/// `source` and `medium` are trimmed and ASCII-lowercased, as sent or as inferred from a click
/// id; `None` when there is none. They borrow from the marketing values unless lowercasing
/// changed them. Serializes as `{"channel": …, "source": …, "medium": …}`, with `null` for a
/// missing source or medium.
///
/// ```
/// use wegly_attribution::{Channel, Marketing};
/// let n = Marketing::from_url("https://x.com.br/lp?gclid=AbC");
/// let attribution = n.marketing.channel();
/// assert_eq!(attribution.channel, Channel::PaidSearch);
/// assert_eq!(attribution.source.as_deref(), Some("google")); // inferred from `gclid`
/// assert_eq!(
///     serde_json::to_string(&attribution)?,
///     r#"{"channel":"paid_search","source":"google","medium":"cpc"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelAttribution<'a> {
    /// The channel: the first rule of SPEC 2.6's table that holds.
    pub channel: Channel,
    /// The source used, lowercased and trimmed; inferred from a click id when neither a
    /// source nor a medium was sent.
    pub source: Option<Cow<'a, str>>,
    /// The medium used, lowercased and trimmed; inferred like `source`.
    pub medium: Option<Cow<'a, str>>,
}

impl ChannelAttribution<'_> {
    /// The same attribution, owning its strings, for callers that keep it.
    ///
    /// ```
    /// use wegly_attribution::{ChannelAttribution, Marketing};
    /// let kept: ChannelAttribution<'static> = {
    ///     let n = Marketing::from_url("https://x.com.br/lp?utm_source=newsletter&utm_medium=email");
    ///     n.marketing.channel().into_owned()
    /// };
    /// assert_eq!(kept.channel.as_str(), "email");
    /// ```
    #[must_use]
    pub fn into_owned(self) -> ChannelAttribution<'static> {
        ChannelAttribution {
            channel: self.channel,
            source: self.source.map(|s| Cow::Owned(s.into_owned())),
            medium: self.medium.map(|m| Cow::Owned(m.into_owned())),
        }
    }
}

/// The source lists of SPEC 2.6, with the caller's additions: the rules [`Marketing::channel`]
/// applies.
///
/// [`ChannelRules::new`] holds the default lists; each setter adds one entry to one list. An
/// entry is trimmed and ASCII-lowercased; a one-label entry (`kagi`) also matches the labels of
/// a host name (`www.kagi.com`), a dotted one (`kagi.com`) the host name itself and its
/// subdomains.
///
/// ```
/// use wegly_attribution::{Channel, ChannelRules, Marketing};
/// let rules = ChannelRules::new().search_source("kagi").social_source("bsky.app");
/// let n = Marketing::from_url("https://x.com.br/lp?utm_source=www.kagi.com&utm_medium=referral");
/// assert_eq!(n.marketing.channel().channel, Channel::Referral);
/// assert_eq!(n.marketing.channel_with(&rules).channel, Channel::OrganicSearch);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelRules {
    search: Vec<String>,
    social: Vec<String>,
    video: Vec<String>,
    shopping: Vec<String>,
}

/// The rules of [`Marketing::channel`], built once.
static DEFAULT_RULES: ChannelRules = ChannelRules::new();

/// SPEC 2.6's default *search* sources.
const SEARCH: &[&str] = &[
    "google",
    "bing",
    "yahoo",
    "duckduckgo",
    "baidu",
    "yandex",
    "ecosia",
    "naver",
    "ask",
    "search.brave.com",
];

/// SPEC 2.6's default *social* sources.
const SOCIAL: &[&str] = &[
    "facebook",
    "fb",
    "instagram",
    "ig",
    "linkedin",
    "lnkd.in",
    "twitter",
    "t.co",
    "x",
    "tiktok",
    "pinterest",
    "reddit",
    "whatsapp",
    "telegram",
    "threads",
    "snapchat",
    "kwai",
];

/// SPEC 2.6's default *video* sources.
const VIDEO: &[&str] = &["youtube", "vimeo", "twitch", "dailymotion"];

/// SPEC 2.6's default *shopping* sources.
const SHOPPING: &[&str] = &[
    "mercadolivre",
    "mercadolibre",
    "shopee",
    "amazon",
    "magalu",
    "americanas",
    "aliexpress",
    "google shopping",
];

/// What a click id implies when neither a source nor a medium was sent (SPEC 2.6), in the
/// order that decides between several: (parameter, source, medium). `gclsrc` implies nothing.
const INFERENCES: &[(&str, &str, &str)] = &[
    ("gclid", "google", "cpc"),
    ("gbraid", "google", "cpc"),
    ("wbraid", "google", "cpc"),
    ("dclid", "google", "display"),
    ("msclkid", "bing", "cpc"),
    ("ttclid", "tiktok", "paid"),
    ("li_fat_id", "linkedin", "paid"),
    ("twclid", "twitter", "paid"),
    ("rdt_cid", "reddit", "paid"),
    ("epik", "pinterest", "paid"),
    ("sccid", "snapchat", "paid"),
    // Meta adds these to organic links too, hence `referral`.
    ("fbclid", "facebook", "referral"),
    ("igshid", "instagram", "referral"),
];

impl ChannelRules {
    /// The default lists of SPEC 2.6, with nothing added.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules};
    /// const RULES: ChannelRules = ChannelRules::new();
    /// let found = RULES.attribute(Some("l.facebook.com"), Some("referral"), None, [""; 0]);
    /// assert_eq!(found.channel, Channel::OrganicSocial);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        ChannelRules {
            search: Vec::new(),
            social: Vec::new(),
            video: Vec::new(),
            shopping: Vec::new(),
        }
    }

    /// Adds a source to the *search* list.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules};
    /// let rules = ChannelRules::new().search_source(" Kagi ");
    /// assert_eq!(rules.attribute(Some("kagi"), Some("cpc"), None, [""; 0]).channel, Channel::PaidSearch);
    /// ```
    #[must_use]
    pub fn search_source(mut self, source: &str) -> Self {
        add(&mut self.search, source);
        self
    }

    /// Adds a source to the *social* list.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules};
    /// let rules = ChannelRules::new().social_source("bsky.app");
    /// assert_eq!(rules.attribute(Some("go.bsky.app"), None, None, [""; 0]).channel, Channel::OrganicSocial);
    /// ```
    #[must_use]
    pub fn social_source(mut self, source: &str) -> Self {
        add(&mut self.social, source);
        self
    }

    /// Adds a source to the *video* list.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules};
    /// let rules = ChannelRules::new().video_source("kick");
    /// assert_eq!(rules.attribute(Some("kick"), Some("paid"), None, [""; 0]).channel, Channel::PaidVideo);
    /// ```
    #[must_use]
    pub fn video_source(mut self, source: &str) -> Self {
        add(&mut self.video, source);
        self
    }

    /// Adds a source to the *shopping* list.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules};
    /// let rules = ChannelRules::new().shopping_source("netshoes");
    /// assert_eq!(rules.attribute(Some("netshoes"), Some("cpc"), None, [""; 0]).channel, Channel::PaidShopping);
    /// ```
    #[must_use]
    pub fn shopping_source(mut self, source: &str) -> Self {
        add(&mut self.shopping, source);
        self
    }

    /// The channel of a source, medium, campaign and the click-id parameter names found: the
    /// core of [`Marketing::channel_with`], for callers that hold those values elsewhere (a
    /// warehouse table).
    ///
    /// Values are trimmed and ASCII-lowercased; an empty one counts as absent. Click-id names
    /// match ASCII-case-insensitively and are only read when neither a source nor a medium is
    /// present, up to the first of SPEC 2.6's order; names without an inference (`gclsrc`,
    /// `ref`) are ignored.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules};
    /// let rules = ChannelRules::new();
    /// let found = rules.attribute(None, None, Some("bf-2025"), ["gclsrc", "fbclid", "msclkid"]);
    /// assert_eq!(found.channel, Channel::PaidSearch);
    /// assert_eq!((found.source.as_deref(), found.medium.as_deref()), (Some("bing"), Some("cpc")));
    /// let found = rules.attribute(Some(" WhatsApp "), Some("SMS"), None, [""; 0]);
    /// assert_eq!(found.channel, Channel::OrganicSocial);
    /// assert_eq!(found.source.as_deref(), Some("whatsapp"));
    /// ```
    #[must_use]
    pub fn attribute<'a, I, S>(
        &self,
        source: Option<&'a str>,
        medium: Option<&'a str>,
        campaign: Option<&str>,
        click_params: I,
    ) -> ChannelAttribution<'a>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.attribute_lazily(source, medium, campaign, || click_params)
    }

    /// [`attribute`](Self::attribute), asking for the click ids only when it needs them: the
    /// glue to [`Marketing`] then builds no iterator in the common case.
    fn attribute_lazily<'a, I, S>(
        &self,
        source: Option<&'a str>,
        medium: Option<&'a str>,
        campaign: Option<&str>,
        click_params: impl FnOnce() -> I,
    ) -> ChannelAttribution<'a>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut source = source.and_then(lowercase);
        let mut medium = medium.and_then(lowercase);
        if source.is_none()
            && medium.is_none()
            && let Some((_, inferred_source, inferred_medium)) = infer(click_params())
        {
            source = Some(Cow::Borrowed(inferred_source));
            medium = Some(Cow::Borrowed(inferred_medium));
        }
        let campaign = campaign.and_then(lowercase);
        let channel = self.classify(source.as_deref(), medium.as_deref(), campaign.as_deref());
        ChannelAttribution {
            channel,
            source,
            medium,
        }
    }

    /// SPEC 2.6's table, on lowercased values: the first rule that holds. Each source list is
    /// searched at most once: a paid medium always ends at rule 7, so rules 2-5 and 8-11
    /// never both run.
    fn classify(
        &self,
        source: Option<&str>,
        medium: Option<&str>,
        campaign: Option<&str>,
    ) -> Channel {
        let medium_is = |names: &[&str]| medium.is_some_and(|m| names.contains(&m));
        let listed = source.map(Source::new);
        let source_in = |defaults: &[&str], added: &[String]| {
            listed.is_some_and(|s| s.in_list(defaults, added))
        };
        let shopping =
            || campaign.is_some_and(matches_shop_pattern) || source_in(SHOPPING, &self.shopping);
        if campaign.is_some_and(|c| contains(c, "cross-network")) {
            return Channel::CrossNetwork;
        }
        let display = || medium_is(&["display", "banner", "expandable", "interstitial", "cpm"]);
        if medium.is_some_and(is_paid_medium) {
            return if shopping() {
                Channel::PaidShopping
            } else if source_in(SEARCH, &self.search) {
                Channel::PaidSearch
            } else if source_in(SOCIAL, &self.social) {
                Channel::PaidSocial
            } else if source_in(VIDEO, &self.video) {
                Channel::PaidVideo
            } else if display() {
                Channel::Display
            } else {
                Channel::PaidOther
            };
        }
        const SOCIAL_MEDIA: &[&str] = &[
            "social",
            "social-network",
            "social-media",
            "sm",
            "social network",
            "social media",
        ];
        const EMAIL: &[&str] = &["email", "e-mail", "e_mail", "e mail"];
        let either_is =
            |names: &[&str]| medium_is(names) || source.is_some_and(|s| names.contains(&s));
        if display() {
            Channel::Display
        } else if shopping() {
            Channel::OrganicShopping
        } else if source_in(SOCIAL, &self.social) || medium_is(SOCIAL_MEDIA) {
            Channel::OrganicSocial
        } else if source_in(VIDEO, &self.video) || medium.is_some_and(|m| contains(m, "video")) {
            Channel::OrganicVideo
        } else if source_in(SEARCH, &self.search) || medium_is(&["organic"]) {
            Channel::OrganicSearch
        } else if either_is(EMAIL) {
            Channel::Email
        } else if medium_is(&["affiliate"]) {
            Channel::Affiliates
        } else if medium_is(&["referral", "app", "link"]) {
            Channel::Referral
        } else if medium_is(&["audio"]) {
            Channel::Audio
        } else if either_is(&["sms"]) {
            Channel::Sms
        } else if medium.is_some_and(|m| {
            m.ends_with("push") || contains(m, "mobile") || contains(m, "notification")
        }) || source == Some("firebase")
        {
            Channel::MobilePush
        } else if source.is_none() && medium.is_none() {
            // A click id with an inference would have supplied both.
            Channel::Direct
        } else {
            Channel::Unassigned
        }
    }
}

/// Adds a trimmed, lowercased entry to a list; an empty one would match nothing.
fn add(list: &mut Vec<String>, entry: &str) {
    if let Some(entry) = lowercase(entry) {
        list.push(entry.into_owned());
    }
}

/// A value as SPEC 2.6 compares it: trimmed (as rule 1 trims) and ASCII-lowercased, borrowed
/// when that changes nothing; `None` when empty.
fn lowercase(value: &str) -> Option<Cow<'_, str>> {
    // Values from a `Marketing` are trimmed already: skip the trim when both ends are ASCII
    // and visible.
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    let bytes = value.as_bytes();
    let value = if visible(bytes.first()) && visible(bytes.last()) {
        value
    } else {
        value.trim_matches(is_trimmed)
    };
    if value.is_empty() {
        None
    } else if value
        .bytes()
        // No early exit: the compiler vectorizes the whole pass, cheaper for short values.
        .fold(false, |upper, b| upper | b.is_ascii_uppercase())
    {
        Some(Cow::Owned(value.to_ascii_lowercase()))
    } else {
        Some(Cow::Borrowed(value))
    }
}

/// The inference of the first click id of `params` in SPEC 2.6's order. Stops reading at
/// `gclid`, which nothing can beat.
fn infer<I, S>(params: I) -> Option<(&'static str, &'static str, &'static str)>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut best: Option<usize> = None;
    for param in params {
        let param = param.as_ref();
        let Some(rank) = INFERENCES
            .iter()
            .position(|(name, _, _)| name.eq_ignore_ascii_case(param))
        else {
            continue;
        };
        if best.is_none_or(|best| rank < best) {
            best = Some(rank);
        }
        if rank == 0 {
            break;
        }
    }
    best.and_then(|rank| INFERENCES.get(rank).copied())
}

impl Marketing {
    /// Which channel brought the lead, by SPEC 2.6's default lists.
    ///
    /// The inputs are `wegly_source` (else `utm_source`), `wegly_medium` (else `utm_medium`),
    /// `wegly_campaign` (else `utm_campaign`) and the click ids; a click id supplies the source
    /// and medium only when neither was sent. It never changes the payload.
    ///
    /// ```
    /// use wegly_attribution::{Channel, Marketing};
    /// let n = Marketing::from_url("https://x.com.br/lp?UTM_Source=Facebook&utm_medium=Paid_Social");
    /// let found = n.marketing.channel();
    /// assert_eq!(found.channel, Channel::PaidSocial);
    /// assert_eq!((found.source.as_deref(), found.medium.as_deref()), (Some("facebook"), Some("paid_social")));
    /// assert_eq!(Marketing::from_url("https://x.com.br/lp").marketing.channel().channel, Channel::Direct);
    /// ```
    #[must_use]
    pub fn channel(&self) -> ChannelAttribution<'_> {
        self.channel_with(&DEFAULT_RULES)
    }

    /// Like [`channel`](Self::channel), with the caller's source lists.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules, Marketing};
    /// let rules = ChannelRules::new().shopping_source("netshoes");
    /// let n = Marketing::from_url("https://x.com.br/lp?utm_source=netshoes&utm_medium=cpc");
    /// assert_eq!(n.marketing.channel().channel, Channel::PaidOther);
    /// assert_eq!(n.marketing.channel_with(&rules).channel, Channel::PaidShopping);
    /// ```
    #[must_use]
    pub fn channel_with(&self, rules: &ChannelRules) -> ChannelAttribution<'_> {
        let (source, medium, campaign) = self.channel_fields();
        rules.attribute_lazily(source, medium, campaign, || self.channel_click_params())
    }

    /// `wegly_source` (else `utm_source`), `wegly_medium` (else `utm_medium`) and
    /// `wegly_campaign` (else `utm_campaign`), in one walk back from the last key: the `wegly_`
    /// keys sort last and the `utm_` keys right before them, so no key is searched for. After
    /// rule 3 a `utm_X` is only read when its `wegly_X` is absent, which normalization makes
    /// rare; the walk stops at the first key that is neither.
    fn channel_fields(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        let [mut source, mut medium, mut campaign] = [None::<&str>; 3];
        for (key, value) in self.iter().rev() {
            let name = if let Some(name) = key.strip_prefix("wegly_") {
                name
            } else if let Some(name) = key.strip_prefix("utm_") {
                if source.is_some() && medium.is_some() && campaign.is_some() {
                    break;
                }
                name
            } else {
                break;
            };
            let slot = match name {
                "source" => &mut source,
                "medium" => &mut medium,
                "campaign" => &mut campaign,
                _ => continue,
            };
            // Walking back, a `wegly_` key comes before its `utm_` twin: keep the first seen.
            slot.get_or_insert(value);
        }
        (source, medium, campaign)
    }

    /// The click-id parameter names, for [`ChannelRules::attribute`]: the same ids as
    /// [`click_ids`](Self::click_ids) (`gclid` and `fbclid` from the normalized fields, the
    /// others from `url_conversion`), lazily and without allocating. Nothing is looked up
    /// before the first item is asked for, and `gclid` comes first, so the URL is only
    /// scanned when neither a source nor a medium was sent and `gclid` is absent.
    fn channel_click_params(&self) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        let field = |name: &'static str| {
            iter::once_with(move || self.get(name).map(|_| Cow::Borrowed(name))).flatten()
        };
        // The click ids other than `gclid` and `fbclid` were noted while the URL was read.
        let in_url = self
            .clicks
            .iter()
            .filter(|click| click.value.is_some())
            .map(|click| Cow::Borrowed(click.param));
        field("gclid").chain(in_url).chain(field("fbclid"))
    }
}
