//! The channel view (`docs/rules.md` §2.6): which channel brought a lead, by Google Analytics 4's default
//! channel group rules, with click ids standing in for missing UTMs.

use std::borrow::Cow;

use serde::Serialize;

use super::extract::trim_str;
use super::model::{Key, Marketing, Span, common_bit, key};
use crate::error::code_enum;
use classify::{CampaignMarks, Medium, MediumKind, SourceMarks, classify};
use lists::{DEFAULT_INDEX, Listed};
use patterns::{Scan, is_host_name};
use std::collections::BTreeMap;

mod classify;
#[cfg(test)]
mod differential;
#[cfg(test)]
mod fast_path_tests;
mod lists;
mod patterns;
#[cfg(test)]
mod tests;
mod words;

code_enum! {
    /// The channel that brought a lead: GA4's default channel group (`docs/rules.md` §2.6), in the order
    /// its rules are tried.
    ///
    /// Displays and serializes as its snake_case code.
    ///
    /// ```
    /// use wegly_attribution::{Channel, Marketing};
    /// let marketing = Marketing::from_url("https://x.com.br/lp?utm_source=google&utm_medium=cpc");
    /// assert_eq!(marketing.channel().channel, Channel::PaidSearch);
    /// assert_eq!(Channel::PaidSearch.as_str(), "paid_search");
    /// assert_eq!(Channel::ALL.len(), 20);
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
        /// Rule 8: an AI assistant's source (`chatgpt.com`, `perplexity`), or medium
        /// `ai-assistant`: GA4's channel since May 2026.
        AiAssistant => "ai_assistant",
        /// Rule 9: a shopping source, or a campaign matching the shop pattern.
        OrganicShopping => "organic_shopping",
        /// Rule 10: a social source, or a social medium (`social`, `sm`, `social-media`, …).
        OrganicSocial => "organic_social",
        /// Rule 11: a video source, or a medium containing `video`.
        OrganicVideo => "organic_video",
        /// Rule 12: a search source, or medium `organic`.
        OrganicSearch => "organic_search",
        /// Rule 13: source or medium `email`, `e-mail`, `e_mail` or `e mail`.
        Email => "email",
        /// Rule 14: medium `affiliate`.
        Affiliates => "affiliates",
        /// Rule 15: medium `referral`, `app` or `link`.
        Referral => "referral",
        /// Rule 16: medium `audio`.
        Audio => "audio",
        /// Rule 17: source or medium `sms`.
        Sms => "sms",
        /// Rule 18: a medium ending with `push` or containing `mobile` or `notification`, or
        /// source `firebase`.
        MobilePush => "mobile_push",
        /// Rule 19: no source, no medium and no click id that implies them.
        Direct => "direct",
        /// Rule 20: anything else.
        Unassigned => "unassigned",
    }
}

/// Which channel brought a lead, and the source and medium that decided it (`docs/rules.md` §2.6).
///
/// `source` and `medium` are trimmed and ASCII-lowercased, as sent or as inferred from a click
/// id; `None` when there is none. They borrow from the marketing values unless lowercasing
/// changed them. Serializes as `{"channel": …, "source": …, "medium": …}`, with `null` for a
/// missing source or medium.
///
/// ```
/// use wegly_attribution::{Channel, Marketing};
/// let marketing = Marketing::from_url("https://x.com.br/lp?gclid=AbC");
/// let attribution = marketing.channel();
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
    /// The channel: the first rule of `docs/rules.md` §2.6's table that holds.
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
    ///     let marketing = Marketing::from_url("https://x.com.br/lp?utm_source=newsletter&utm_medium=email");
    ///     marketing.channel().into_owned()
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

/// The source lists of §2.6 (`docs/rules.md` §2.6), with the caller's additions: the
/// rules [`Marketing::channel`] applies.
///
/// [`ChannelRules::new`] holds the default lists: GA4's source categories (819 sources), the
/// AI assistants, and the project's list (the Brazilian market's sources GA4 lacks). Each
/// setter adds one entry to one list; an added entry counts as the project's. An entry is
/// trimmed and ASCII-lowercased. A source's category is found in four steps: an AI assistant
/// (the entry, or a subdomain of a dotted one), then an exact entry (GA4's winning over the
/// project's), then the longest dotted entry the host name ends with, then a one-label entry of
/// the project's list equal to a label of the host name but the last (`kagi` in
/// `www.kagi.com`); GA4's one-label entries match exactly only.
///
/// ```
/// use wegly_attribution::{Channel, ChannelRules, Marketing};
/// let rules = ChannelRules::new().search_source("kagi").social_source("bsky.app");
/// let marketing = Marketing::from_url("https://x.com.br/lp?utm_source=www.kagi.com&utm_medium=referral");
/// assert_eq!(marketing.channel().channel, Channel::Referral);
/// assert_eq!(marketing.channel_with(&rules).channel, Channel::OrganicSearch);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelRules {
    /// The caller's entries and the lists each was added to (the AI mark and category marks),
    /// ordered so that a lookup is a search, not a scan. Empty for the defaults: then one
    /// `match` answers for the project's list.
    added: BTreeMap<String, SourceMarks>,
    /// The longest added entry: a longer candidate need not be looked up.
    longest_added: usize,
}

/// The rules of [`Marketing::channel`], built once.
static DEFAULT_RULES: ChannelRules = ChannelRules::new();

/// What a click id implies when neither a source nor a medium was sent, with what the rules
/// ask of the implied values under the default lists (a test checks them).
#[derive(Debug)]
struct Inference {
    /// The place in `docs/rules.md` §2.6's order, which decides between several click ids.
    rank: u8,
    /// The parameter's canonical name.
    param: &'static str,
    source: &'static str,
    medium: &'static str,
    source_marks: SourceMarks,
    medium_kind: MediumKind,
    paid: bool,
}

/// `docs/rules.md` §2.6's click-id inferences, in its order (a test checks that `rank` is the index).
/// `gclsrc` and `ko_click_id` imply nothing.
const INFERENCES: &[Inference] = {
    use MediumKind::{Affiliate, Display, Email, Other, Referral};
    use SourceMarks as M;
    &[
        inference(0, "gclid", ("google", M::SEARCH), ("cpc", Other, true)),
        inference(1, "gbraid", ("google", M::SEARCH), ("cpc", Other, true)),
        inference(2, "wbraid", ("google", M::SEARCH), ("cpc", Other, true)),
        // Google Ads' own parameter, on ads clicked without a `gclid` (auto-tagging off, or
        // iOS): still a Google ad.
        inference(3, "gad_source", ("google", M::SEARCH), ("cpc", Other, true)),
        inference(
            4,
            "dclid",
            ("google", M::SEARCH),
            ("display", Display, false),
        ),
        inference(5, "msclkid", ("bing", M::SEARCH), ("cpc", Other, true)),
        inference(6, "yclid", ("yandex", M::SEARCH), ("cpc", Other, true)),
        inference(7, "ttclid", ("tiktok", M::SOCIAL), ("paid", Other, true)),
        inference(
            8,
            "li_fat_id",
            ("linkedin", M::SOCIAL),
            ("paid", Other, true),
        ),
        inference(9, "twclid", ("twitter", M::SOCIAL), ("paid", Other, true)),
        inference(10, "rdt_cid", ("reddit", M::SOCIAL), ("paid", Other, true)),
        inference(11, "epik", ("pinterest", M::SOCIAL), ("paid", Other, true)),
        inference(12, "sccid", ("snapchat", M::SOCIAL), ("paid", Other, true)),
        inference(13, "qclid", ("quora", M::SOCIAL), ("paid", Other, true)),
        inference(
            14,
            "irclid",
            ("impact", M::NONE),
            ("affiliate", Affiliate, false),
        ),
        inference(15, "_kx", ("klaviyo", M::NONE), ("email", Email, false)),
        inference(
            16,
            "mc_cid",
            ("mailchimp", M::NONE),
            ("email", Email, false),
        ),
        // Meta adds these to organic links too, hence `referral`.
        inference(
            17,
            "fbclid",
            ("facebook", M::SOCIAL),
            ("referral", Referral, false),
        ),
        inference(
            18,
            "igshid",
            ("instagram", M::SOCIAL),
            ("referral", Referral, false),
        ),
    ]
};

const fn inference(
    rank: u8,
    param: &'static str,
    (source, source_marks): (&'static str, SourceMarks),
    (medium, medium_kind, paid): (&'static str, MediumKind, bool),
) -> Inference {
    Inference {
        rank,
        param,
        source,
        medium,
        source_marks,
        medium_kind,
        paid,
    }
}

impl ChannelRules {
    /// The default lists of `docs/rules.md` §2.6, with nothing added.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules, Touch};
    /// const RULES: ChannelRules = ChannelRules::new();
    /// let found = RULES.attribute(&Touch { source: Some("l.facebook.com"), medium: Some("referral"), ..Touch::default() });
    /// assert_eq!(found.channel, Channel::OrganicSocial);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        ChannelRules {
            added: BTreeMap::new(),
            longest_added: 0,
        }
    }

    /// Adds a source to the *AI assistant* list: a source equal to it, or (a dotted entry) a
    /// subdomain of it, is an AI assistant's whatever the other lists say (rule 8).
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules, Touch};
    /// let rules = ChannelRules::new().ai_assistant_source("chat.example.ai");
    /// let found = rules.attribute(&Touch { source: Some("eu.chat.example.ai"), medium: Some("referral"), ..Touch::default() });
    /// assert_eq!(found.channel, Channel::AiAssistant);
    /// ```
    #[must_use]
    pub fn ai_assistant_source(self, source: &str) -> Self {
        self.add(SourceMarks::AI, source)
    }

    /// Adds a source to the *search* list.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules, Touch};
    /// let rules = ChannelRules::new().search_source(" Kagi ");
    /// assert_eq!(rules.attribute(&Touch { source: Some("kagi"), medium: Some("cpc"), ..Touch::default() }).channel, Channel::PaidSearch);
    /// ```
    #[must_use]
    pub fn search_source(self, source: &str) -> Self {
        self.add(SourceMarks::SEARCH, source)
    }

    /// Adds a source to the *social* list.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules, Touch};
    /// let rules = ChannelRules::new().social_source("bsky.app");
    /// assert_eq!(rules.attribute(&Touch { source: Some("go.bsky.app"), ..Touch::default() }).channel, Channel::OrganicSocial);
    /// ```
    #[must_use]
    pub fn social_source(self, source: &str) -> Self {
        self.add(SourceMarks::SOCIAL, source)
    }

    /// Adds a source to the *video* list.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules, Touch};
    /// let rules = ChannelRules::new().video_source("kick");
    /// assert_eq!(rules.attribute(&Touch { source: Some("kick"), medium: Some("paid"), ..Touch::default() }).channel, Channel::PaidVideo);
    /// ```
    #[must_use]
    pub fn video_source(self, source: &str) -> Self {
        self.add(SourceMarks::VIDEO, source)
    }

    /// Adds a source to the *shopping* list.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules, Touch};
    /// let rules = ChannelRules::new().shopping_source("netshoes");
    /// assert_eq!(rules.attribute(&Touch { source: Some("netshoes"), medium: Some("cpc"), ..Touch::default() }).channel, Channel::PaidShopping);
    /// ```
    #[must_use]
    pub fn shopping_source(self, source: &str) -> Self {
        self.add(SourceMarks::SHOPPING, source)
    }

    /// The channel of a source, medium, campaign and the click-id parameter names found: the
    /// core of [`Marketing::channel_with`], for callers that hold those values elsewhere (a
    /// warehouse table).
    ///
    /// Values are trimmed and ASCII-lowercased; an empty one counts as absent. Click-id names
    /// match ASCII-case-insensitively and are only read when neither a source nor a medium is
    /// present, up to the first of `docs/rules.md` §2.6's order; names without an inference (`gclsrc`,
    /// `ref`) are ignored.
    ///
    /// ```
    /// use wegly_attribution::{Channel, ChannelRules, Touch};
    /// let rules = ChannelRules::new();
    /// let found = rules.attribute(&Touch { campaign: Some("bf-2025"), click_params: &["gclsrc", "fbclid", "msclkid"], ..Touch::default() });
    /// assert_eq!(found.channel, Channel::PaidSearch);
    /// assert_eq!((found.source.as_deref(), found.medium.as_deref()), (Some("bing"), Some("cpc")));
    /// let found = rules.attribute(&Touch { source: Some(" WhatsApp "), medium: Some("SMS"), ..Touch::default() });
    /// assert_eq!(found.channel, Channel::OrganicSocial);
    /// assert_eq!(found.source.as_deref(), Some("whatsapp"));
    /// ```
    #[must_use]
    pub fn attribute<'a>(&self, touch: &Touch<'a>) -> ChannelAttribution<'a> {
        self.attribute_inferring(touch.source, touch.medium, touch.campaign, || {
            infer(touch.click_params)
        })
    }

    /// [`attribute`](Self::attribute), asking for the click-id inference only when neither a
    /// source nor a medium is present: [`Marketing::channel_with`] answers it from the click
    /// ids stored during normalization, without building an iterator.
    #[inline]
    fn attribute_inferring<'a>(
        &self,
        source: Option<&'a str>,
        medium: Option<&'a str>,
        campaign: Option<&str>,
        inference: impl FnOnce() -> Option<&'static Inference>,
    ) -> ChannelAttribution<'a> {
        let mut source = source.and_then(|source| self.read_source(source));
        let mut medium = medium.and_then(Medium::read);
        if source.is_none()
            && medium.is_none()
            && let Some(inferred) = inference()
        {
            // The inferred values are lowercase already, and their marks known under the
            // default lists.
            let source_marks = if self.nothing_added() {
                inferred.source_marks
            } else {
                self.source_marks(inferred.source)
            };
            source = Some((Cow::Borrowed(inferred.source), source_marks));
            medium = Some(Medium {
                text: Cow::Borrowed(inferred.medium),
                kind: inferred.medium_kind,
                paid: inferred.paid,
            });
        }
        let campaign = CampaignMarks::of_sent(campaign);
        let channel = classify(
            campaign,
            source.as_ref().map(|(_, marks)| *marks),
            medium.as_ref(),
        );
        ChannelAttribution {
            channel,
            source: source.map(|(text, _)| text),
            medium: medium.map(|medium| medium.text),
        }
    }

    /// Adds a trimmed, lowercased entry to a list; an empty one would match nothing.
    fn add(mut self, list: SourceMarks, entry: &str) -> Self {
        if let Some(entry) = lowercase(entry) {
            self.longest_added = self.longest_added.max(entry.len());
            let marks = self
                .added
                .entry(entry.into_owned())
                .or_insert(SourceMarks::NONE);
            *marks = marks.with(list);
        }
        self
    }

    /// Whether every list is the default one: the common case, which [`SourceMarks`] answers
    /// with one `match`.
    fn nothing_added(&self) -> bool {
        self.added.is_empty()
    }

    /// A source as sent: lowercased (borrowed when that changes nothing) and what the rules
    /// ask of it; `None` when empty.
    #[inline]
    fn read_source<'a>(&self, source: &'a str) -> Option<(Cow<'a, str>, SourceMarks)> {
        // A default entry as sent is lowercase, trimmed, and in one list only.
        if self.nothing_added() {
            let marks = SourceMarks::of_default_entry(source);
            if marks != SourceMarks::NONE {
                return Some((Cow::Borrowed(source), marks));
            }
        }
        let source = lowercase(source)?;
        let marks = self.source_marks(&source);
        Some((source, marks))
    }

    /// What the rules ask of a lowercased source: its category (or that it is an AI
    /// assistant's), and whether it is an e-mail, `sms` or `firebase`. A source equal to an
    /// entry of the project's default list (the common case) is one `match`: such an entry is
    /// no AI assistant's and has the same category in GA4's list (a test checks both).
    fn source_marks(&self, source: &str) -> SourceMarks {
        let named = SourceMarks::of_default_entry(source);
        if self.nothing_added() && named.lists() != SourceMarks::NONE {
            return named;
        }
        named.without_lists().with(self.category(source))
    }

    /// §2.6's four steps (`docs/rules.md` §2.6), in one walk over the source and the
    /// suffixes after each of its dots that still hold a dot (the candidates a dotted entry can
    /// equal): 1. an AI assistant's entry, the source or a suffix; 2. an entry equal to the
    /// source; 3. for a host name, the longest suffix that is an entry; 4. for a host name, the
    /// leftmost label but the last that is a one-label entry of the project's list.
    fn category(&self, source: &str) -> SourceMarks {
        let host = is_host_name(source);
        let whole = self.listed(source);
        if whole.ai {
            return SourceMarks::AI;
        }
        let exact = whole.category();
        let mut suffix = SourceMarks::NONE;
        // A dotted entry holds a dot: the last label alone is none. One pass over the dots,
        // and a candidate longer than every entry is not hashed, so a long source costs
        // linear time.
        let last_dot = source.rfind('.').unwrap_or(0);
        let dots = source
            .match_indices('.')
            .take_while(|&(at, _)| at < last_dot);
        for rest in dots.filter_map(|(at, _)| source.get(at + 1..)) {
            let listed = self.listed(rest);
            if listed.ai {
                return SourceMarks::AI;
            }
            // The first suffix found is the longest.
            if host && suffix == SourceMarks::NONE {
                suffix = listed.category();
            }
        }
        if exact != SourceMarks::NONE {
            return exact;
        }
        if suffix != SourceMarks::NONE || !host {
            return suffix;
        }
        self.label_category(source)
    }

    /// Step 4: the category of the leftmost label but the last of a host name that equals a
    /// one-label entry of the project's list, the caller's included.
    fn label_category(&self, host: &str) -> SourceMarks {
        let labels = host.rsplit_once('.').map_or("", |(labels, _)| labels);
        labels
            .split('.')
            .map(|label| {
                let default = SourceMarks::of_default_entry(label).lists();
                if default != SourceMarks::NONE || self.nothing_added() {
                    return default;
                }
                self.added
                    .get(label)
                    .map_or(SourceMarks::NONE, |marks| marks.lists().first_list())
            })
            .find(|&category| category != SourceMarks::NONE)
            .unwrap_or(SourceMarks::NONE)
    }

    /// What the lists, defaults and additions, hold for a candidate.
    #[inline]
    fn listed(&self, candidate: &str) -> Listed {
        let mut listed = DEFAULT_INDEX.get(candidate);
        if candidate.len() <= self.longest_added
            && let Some(&marks) = self.added.get(candidate)
        {
            listed.ai |= marks.has(SourceMarks::AI);
            if listed.project == SourceMarks::NONE {
                listed.project = marks.lists().first_list();
            }
        }
        listed
    }
}

/// A value as `docs/rules.md` §2.6 compares it: trimmed (as rule 1 trims) and ASCII-lowercased, borrowed
/// when that changes nothing; `None` when empty.
fn lowercase(value: &str) -> Option<Cow<'_, str>> {
    lowercase_scanned(value).map(|(value, _)| value)
}

/// [`lowercase`], and what the pass that looked for upper case found.
fn lowercase_scanned(value: &str) -> Option<(Cow<'_, str>, Scan)> {
    let value = trimmed(value)?;
    let scan = Scan::of(value);
    let value = if scan.upper {
        Cow::Owned(value.to_ascii_lowercase())
    } else {
        Cow::Borrowed(value)
    };
    Some((value, scan))
}

/// A value trimmed as rule 1 trims; `None` when empty.
fn trimmed(value: &str) -> Option<&str> {
    let value = trim_str(value);
    (!value.is_empty()).then_some(value)
}

/// The inference of the first click id of `params` in `docs/rules.md` §2.6's order, the names matched
/// ASCII-case-insensitively. Stops reading at `gclid`, which nothing can beat.
fn infer<I, S>(params: I) -> Option<&'static Inference>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut best: Option<&'static Inference> = None;
    for param in params {
        let param = param.as_ref();
        let Some(found) = INFERENCES
            .iter()
            .find(|inference| inference.param.eq_ignore_ascii_case(param))
        else {
            continue;
        };
        if best.is_none_or(|best| found.rank < best.rank) {
            best = Some(found);
        }
        if found.rank == 0 {
            break;
        }
    }
    best
}

impl Marketing {
    /// Which channel brought the lead, by `docs/rules.md` §2.6's default lists.
    ///
    /// The inputs are `wegly_source` (else `utm_source`), `wegly_medium` (else `utm_medium`),
    /// `wegly_campaign` (else `utm_campaign`) and the click ids; a click id supplies the source
    /// and medium only when neither was sent. It never changes the payload.
    ///
    /// ```
    /// use wegly_attribution::{Channel, Marketing};
    /// let marketing = Marketing::from_url("https://x.com.br/lp?UTM_Source=Facebook&utm_medium=Paid_Social");
    /// let found = marketing.channel();
    /// assert_eq!(found.channel, Channel::PaidSocial);
    /// assert_eq!((found.source.as_deref(), found.medium.as_deref()), (Some("facebook"), Some("paid_social")));
    /// assert_eq!(Marketing::from_url("https://x.com.br/lp").channel().channel, Channel::Direct);
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
    /// let marketing = Marketing::from_url("https://x.com.br/lp?utm_source=netshoes&utm_medium=cpc");
    /// assert_eq!(marketing.channel().channel, Channel::PaidOther);
    /// assert_eq!(marketing.channel_with(&rules).channel, Channel::PaidShopping);
    /// ```
    #[must_use]
    pub fn channel_with(&self, rules: &ChannelRules) -> ChannelAttribution<'_> {
        let (source, medium, campaign) = self.channel_fields();
        rules.attribute_inferring(source, medium, campaign, || self.click_inference())
    }

    /// `wegly_source` (else `utm_source`), `wegly_medium` (else `utm_medium`) and
    /// `wegly_campaign` (else `utm_campaign`), in one walk back from the last entry: the
    /// entries are sorted by key, the `wegly_` keys last and the `utm_` keys right before
    /// them. These six keys are common keys, stored as their index: comparing that index is
    /// all a step costs, and the walk stops once nothing it looks for can come.
    fn channel_fields(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        let fields = match self.common_set() {
            Some(set) => self.channel_fields_of(set),
            None => self.channel_fields_walked(),
        };
        debug_assert!(fields == self.channel_fields_walked());
        let text = |span| self.value_text(span);
        (fields.0.map(text), fields.1.map(text), fields.2.map(text))
    }

    /// [`channel_fields`](Self::channel_fields)' spans when every entry is a common key and
    /// `set` says which: a key's entry is the one after the count of the keys before it.
    fn channel_fields_of(&self, set: u32) -> (Option<Span>, Option<Span>, Option<Span>) {
        let entries = self.entries();
        let at = |index: u8| {
            let bit = common_bit(index);
            if set & bit == 0 {
                return None;
            }
            let before = (set & (bit - 1)).count_ones() as usize;
            entries.get(before).map(|entry| entry.value)
        };
        (
            at(key::WEGLY_SOURCE).or_else(|| at(key::UTM_SOURCE)),
            at(key::WEGLY_MEDIUM).or_else(|| at(key::UTM_MEDIUM)),
            at(key::WEGLY_CAMPAIGN).or_else(|| at(key::UTM_CAMPAIGN)),
        )
    }

    /// [`channel_fields`](Self::channel_fields)' spans, by walking the entries.
    fn channel_fields_walked(&self) -> (Option<Span>, Option<Span>, Option<Span>) {
        let [mut source, mut medium, mut campaign] = [None; 3];
        for entry in self.entries().iter().rev() {
            let Key::Common(index) = entry.key else {
                continue;
            };
            // Walking back, a `wegly_` key comes before its `utm_` twin, which only fills in
            // for it.
            match index {
                key::WEGLY_SOURCE => source = Some(entry.value),
                key::WEGLY_MEDIUM => medium = Some(entry.value),
                key::WEGLY_CAMPAIGN => {
                    campaign = Some(entry.value);
                    // The last `wegly_` key of the three: with all found, the `utm_` keys
                    // could change nothing.
                    if source.is_some() && medium.is_some() {
                        break;
                    }
                }
                key::UTM_SOURCE => _ = source.get_or_insert(entry.value),
                key::UTM_MEDIUM => _ = medium.get_or_insert(entry.value),
                key::UTM_CAMPAIGN => {
                    campaign.get_or_insert(entry.value);
                    // The first of the six in key order: nothing before it is looked for.
                    break;
                }
                // Every key sorting before `utm_campaign` is past all six.
                index if index < key::UTM_CAMPAIGN => break,
                _ => {}
            }
        }
        (source, medium, campaign)
    }

    /// The inference of the first of the click ids in `docs/rules.md` §2.6's order: the same ids as
    /// [`click_ids`](Self::click_ids) (`gclid` and `fbclid` from the normalized fields, the
    /// others as noted while `url_conversion` was read), without scanning the URL again.
    fn click_inference(&self) -> Option<&'static Inference> {
        // `gclid` comes first in the order: nothing else need be looked at.
        if self.has_common(key::GCLID) {
            return INFERENCES.first();
        }
        // The noted names are the canonical ones: an exact compare finds them.
        let in_url = self
            .clicks
            .iter()
            .filter(|click| click.value.is_some())
            .filter_map(|click| {
                INFERENCES
                    .iter()
                    .find(|inference| inference.param == click.param)
            })
            .min_by_key(|inference| inference.rank);
        let fbclid = self
            .has_common(key::FBCLID)
            .then(|| {
                INFERENCES
                    .iter()
                    .find(|inference| inference.param == "fbclid")
            })
            .flatten();
        in_url
            .into_iter()
            .chain(fbclid)
            .min_by_key(|inference| inference.rank)
    }
}

/// What [`ChannelRules::attribute`] reads of one touch: its source, medium and campaign, and
/// the names of the click-id parameters it carried. Absent fields are `None` (or no names);
/// name only those you have, the rest from `Default`.
///
/// ```
/// use wegly_attribution::{Channel, ChannelRules, Touch};
/// let touch = Touch { source: Some("google"), medium: Some("cpc"), ..Touch::default() };
/// assert_eq!(ChannelRules::new().attribute(&touch).channel, Channel::PaidSearch);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Touch<'a> {
    /// `utm_source` (or `wegly_source`).
    pub source: Option<&'a str>,
    /// `utm_medium` (or `wegly_medium`).
    pub medium: Option<&'a str>,
    /// `utm_campaign` (or `wegly_campaign`).
    pub campaign: Option<&'a str>,
    /// The click-id parameter names found (`gclid`, `fbclid`, …), in URL order.
    pub click_params: &'a [&'a str],
}
