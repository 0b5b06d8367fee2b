//! The channel view (SPEC 2.6): which channel brought a lead, by Google Analytics 4's default
//! channel group rules, with click ids standing in for missing UTMs.

use std::borrow::Cow;
use std::iter;

use serde::Serialize;

use super::extract::is_trimmed;
use super::model::{Key, Marketing};
use crate::error::code_enum;
use patterns::{
    Source, contains, find_cross_network_and_shop, is_paid_medium, matches_shop_pattern,
};

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

/// The indices of the common keys the channel reads (`model::COMMON`); a test checks them.
mod key {
    pub(super) const FBCLID: u8 = 1;
    pub(super) const GCLID: u8 = 2;
    pub(super) const UTM_CAMPAIGN: u8 = 6;
    pub(super) const UTM_MEDIUM: u8 = 11;
    pub(super) const UTM_SOURCE: u8 = 14;
    pub(super) const WEGLY_CAMPAIGN: u8 = 19;
    pub(super) const WEGLY_MEDIUM: u8 = 25;
    pub(super) const WEGLY_SOURCE: u8 = 28;
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

    /// SPEC 2.6's table, on lowercased values: the first rule that holds.
    ///
    /// Each input is read once up front, into what the rules ask of it: the campaign in one
    /// pass (rule 1 and the shop pattern), the source into the lists it is in, the medium
    /// into the one named set it equals. The rules then test bits.
    fn classify(
        &self,
        source: Option<&str>,
        medium: Option<&str>,
        campaign: Option<&str>,
    ) -> Channel {
        let campaign = campaign.map(CampaignMarks::of).unwrap_or_default();
        if campaign.cross_network {
            return Channel::CrossNetwork;
        }
        let lists = source.map_or(Lists::NONE, |source| self.lists(source));
        let kind = medium.map_or(MediumKind::Other, MediumKind::of);
        let shopping = campaign.shop || lists.has(Lists::SHOPPING);
        if medium.is_some_and(is_paid_medium) {
            return if shopping {
                Channel::PaidShopping
            } else if lists.has(Lists::SEARCH) {
                Channel::PaidSearch
            } else if lists.has(Lists::SOCIAL) {
                Channel::PaidSocial
            } else if lists.has(Lists::VIDEO) {
                Channel::PaidVideo
            } else if kind == MediumKind::Display {
                Channel::Display
            } else {
                Channel::PaidOther
            };
        }
        let source_is_email = matches!(source, Some("email" | "e-mail" | "e_mail" | "e mail"));
        if kind == MediumKind::Display {
            Channel::Display
        } else if shopping {
            Channel::OrganicShopping
        } else if lists.has(Lists::SOCIAL) || kind == MediumKind::Social {
            Channel::OrganicSocial
        } else if lists.has(Lists::VIDEO) || medium.is_some_and(|m| contains(m, "video")) {
            Channel::OrganicVideo
        } else if lists.has(Lists::SEARCH) || kind == MediumKind::Organic {
            Channel::OrganicSearch
        } else if kind == MediumKind::Email || source_is_email {
            Channel::Email
        } else if kind == MediumKind::Affiliate {
            Channel::Affiliates
        } else if kind == MediumKind::Referral {
            Channel::Referral
        } else if kind == MediumKind::Audio {
            Channel::Audio
        } else if kind == MediumKind::Sms || source == Some("sms") {
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

    /// The source lists `source` is in. A one-word source against the default lists (the
    /// common case) is one `match`; a host name, or any source once entries were added, goes
    /// through the general label matching of [`Source::in_list`].
    fn lists(&self, source: &str) -> Lists {
        let listed = Source::new(source);
        let nothing_added = self.search.is_empty()
            && self.social.is_empty()
            && self.video.is_empty()
            && self.shopping.is_empty();
        if nothing_added && !listed.is_host_name() {
            return Lists::of_default_entry(source);
        }
        let mut lists = Lists::NONE;
        for (list, defaults, added) in [
            (Lists::SEARCH, SEARCH, &self.search),
            (Lists::SOCIAL, SOCIAL, &self.social),
            (Lists::VIDEO, VIDEO, &self.video),
            (Lists::SHOPPING, SHOPPING, &self.shopping),
        ] {
            if listed.in_list(defaults, added) {
                lists = lists.with(list);
            }
        }
        lists
    }
}

/// The source lists a source is in, as bits: a source may be in several (`shopee.google.com`
/// is in *search* and *shopping*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Lists(u8);

impl Lists {
    const NONE: Lists = Lists(0);
    const SEARCH: Lists = Lists(1);
    const SOCIAL: Lists = Lists(2);
    const VIDEO: Lists = Lists(4);
    const SHOPPING: Lists = Lists(8);

    fn has(self, list: Lists) -> bool {
        self.0 & list.0 != 0
    }

    fn with(self, list: Lists) -> Lists {
        Lists(self.0 | list.0)
    }

    /// The default list whose entry equals `source` exactly: [`SEARCH`], [`SOCIAL`],
    /// [`VIDEO`] and [`SHOPPING`] as one `match` (a switch on the length, then a compare).
    /// The lists share no entry; a test checks this `match` against them.
    fn of_default_entry(source: &str) -> Lists {
        match source {
            "google" | "bing" | "yahoo" | "duckduckgo" | "baidu" | "yandex" | "ecosia"
            | "naver" | "ask" | "search.brave.com" => Lists::SEARCH,
            "facebook" | "fb" | "instagram" | "ig" | "linkedin" | "lnkd.in" | "twitter"
            | "t.co" | "x" | "tiktok" | "pinterest" | "reddit" | "whatsapp" | "telegram"
            | "threads" | "snapchat" | "kwai" => Lists::SOCIAL,
            "youtube" | "vimeo" | "twitch" | "dailymotion" => Lists::VIDEO,
            "mercadolivre" | "mercadolibre" | "shopee" | "amazon" | "magalu" | "americanas"
            | "aliexpress" | "google shopping" => Lists::SHOPPING,
            _ => Lists::NONE,
        }
    }
}

/// The named set of SPEC 2.6's table a medium equals, if any: the sets share no name, so one
/// `match` answers every "medium is ..." of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediumKind {
    /// Rule 6.
    Display,
    /// Rule 9.
    Social,
    /// Rule 11.
    Organic,
    /// Rule 12.
    Email,
    /// Rule 13.
    Affiliate,
    /// Rule 14.
    Referral,
    /// Rule 15.
    Audio,
    /// Rule 16.
    Sms,
    /// None of them.
    Other,
}

impl MediumKind {
    fn of(medium: &str) -> MediumKind {
        match medium {
            "display" | "banner" | "expandable" | "interstitial" | "cpm" => MediumKind::Display,
            "social" | "social-network" | "social-media" | "sm" | "social network"
            | "social media" => MediumKind::Social,
            "organic" => MediumKind::Organic,
            "email" | "e-mail" | "e_mail" | "e mail" => MediumKind::Email,
            "affiliate" => MediumKind::Affiliate,
            "referral" | "app" | "link" => MediumKind::Referral,
            "audio" => MediumKind::Audio,
            "sms" => MediumKind::Sms,
            _ => MediumKind::Other,
        }
    }
}

/// What the rules ask of the campaign: rule 1's `cross-network` and the shop pattern.
#[derive(Debug, Clone, Copy, Default)]
struct CampaignMarks {
    cross_network: bool,
    shop: bool,
}

impl CampaignMarks {
    /// One pass over the campaign finds both literals; the full shop pattern (its
    /// character-class and line-break cases) only runs when `shop` is there at all.
    fn of(campaign: &str) -> CampaignMarks {
        let (cross_network, holds_shop) = find_cross_network_and_shop(campaign);
        CampaignMarks {
            cross_network,
            shop: holds_shop && matches_shop_pattern(campaign),
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
    /// `wegly_campaign` (else `utm_campaign`), in one walk back from the last entry: the
    /// entries are sorted by key, the `wegly_` keys last and the `utm_` keys right before
    /// them. These six keys are common keys, stored as their index: comparing that index is
    /// all a step costs, and the walk stops once nothing it looks for can come.
    fn channel_fields(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        let [mut source, mut medium, mut campaign] = [None::<&str>; 3];
        for entry in self.entries().iter().rev() {
            let Key::Common(index) = entry.key else {
                continue;
            };
            let slot = match index {
                key::WEGLY_SOURCE | key::UTM_SOURCE => &mut source,
                key::WEGLY_MEDIUM | key::UTM_MEDIUM => &mut medium,
                key::WEGLY_CAMPAIGN | key::UTM_CAMPAIGN => &mut campaign,
                // Every key sorting before `utm_campaign` is past all six.
                index if index < key::UTM_CAMPAIGN => break,
                _ => continue,
            };
            // Walking back, a `wegly_` key comes before its `utm_` twin: keep the first seen.
            slot.get_or_insert_with(|| self.value_text(entry.value));
            // `wegly_campaign` is the last `wegly_` key of the three: with all found, the
            // `utm_` keys could change nothing.
            if index == key::WEGLY_CAMPAIGN
                && source.is_some()
                && medium.is_some()
                && campaign.is_some()
            {
                break;
            }
        }
        (source, medium, campaign)
    }

    /// Whether the common key `index` is present. The few common keys that are click ids
    /// (`fbclid`, `gclid`) sort near the start: an equal index answers early.
    fn has_common_key(&self, index: u8) -> bool {
        self.entries()
            .iter()
            .any(|entry| entry.key == Key::Common(index))
    }

    /// The click-id parameter names, for [`ChannelRules::attribute`]: the same ids as
    /// [`click_ids`](Self::click_ids) (`gclid` and `fbclid` from the normalized fields, the
    /// others from `url_conversion`), lazily and without allocating. Nothing is looked up
    /// before the first item is asked for, and `gclid` comes first, so the URL is only
    /// scanned when neither a source nor a medium was sent and `gclid` is absent.
    fn channel_click_params(&self) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        let field = |name: &'static str, index: u8| {
            iter::once_with(move || self.has_common_key(index).then_some(Cow::Borrowed(name)))
                .flatten()
        };
        // The click ids other than `gclid` and `fbclid` were noted while the URL was read.
        let in_url = self
            .clicks
            .iter()
            .filter(|click| click.value.is_some())
            .map(|click| Cow::Borrowed(click.param));
        field("gclid", key::GCLID)
            .chain(in_url)
            .chain(field("fbclid", key::FBCLID))
    }
}

/// Checks of the fast paths' tables against what they stand for.
#[cfg(test)]
mod fast_path_tests {
    use super::super::model::common;
    use super::{Lists, SEARCH, SHOPPING, SOCIAL, VIDEO, key};

    #[test]
    fn key_indices_are_the_common_keys() {
        for (name, index) in [
            ("fbclid", key::FBCLID),
            ("gclid", key::GCLID),
            ("utm_campaign", key::UTM_CAMPAIGN),
            ("utm_medium", key::UTM_MEDIUM),
            ("utm_source", key::UTM_SOURCE),
            ("wegly_campaign", key::WEGLY_CAMPAIGN),
            ("wegly_medium", key::WEGLY_MEDIUM),
            ("wegly_source", key::WEGLY_SOURCE),
        ] {
            assert_eq!(common(name), Some(index), "{name}");
        }
        // Everything sorting before `utm_campaign` is a common key below its index.
        for name in [
            "conversion_tool_name",
            "fbclid",
            "gclid",
            "url_conversion",
            "utm_ad",
        ] {
            assert!(
                common(name).is_some_and(|i| i < key::UTM_CAMPAIGN),
                "{name}"
            );
        }
    }

    #[test]
    fn the_default_entry_match_is_the_default_lists() {
        let lists = [
            (Lists::SEARCH, SEARCH),
            (Lists::SOCIAL, SOCIAL),
            (Lists::VIDEO, VIDEO),
            (Lists::SHOPPING, SHOPPING),
        ];
        for (list, entries) in lists {
            for entry in entries {
                assert_eq!(Lists::of_default_entry(entry), list, "{entry}");
            }
        }
        let count: usize = lists.iter().map(|(_, entries)| entries.len()).sum();
        assert_eq!(
            count, 39,
            "a new default entry needs its arm in `of_default_entry`"
        );
        for other in [
            "",
            "googl",
            "google ",
            "shopping",
            "youtube.com",
            "x.com",
            "email",
        ] {
            assert_eq!(Lists::of_default_entry(other), Lists::NONE, "{other}");
        }
    }
}
