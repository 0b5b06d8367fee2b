//! §2.6's table (`docs/rules.md` §2.6) on what was read of each input: a source's marks,
//! a medium's named set and whether it is paid, a campaign's two patterns.

use std::borrow::Cow;

use super::super::extract::trim_str;
#[cfg(test)]
use super::patterns::Scan;
use super::patterns::{
    contains, find_cross_network_and_shop, is_paid_medium, matches_shop_pattern,
};
use super::{Channel, lowercase_scanned};

/// `docs/rules.md` §2.6's table: the first rule that holds, on what was read of each input.
///
/// Each input was read once, into what the rules ask of it: the campaign in one pass (rule 1
/// and the shop pattern), the source into the lists it is in, the medium into the one named
/// set it equals and whether it is paid. The rules then test bits; only rules 11 and 18 look
/// at the medium's text again, and only when reached.
#[inline]
pub(super) fn classify(
    campaign: CampaignMarks,
    source: Option<SourceMarks>,
    medium: Option<&Medium<'_>>,
) -> Channel {
    if campaign.cross_network {
        return Channel::CrossNetwork;
    }
    let source_marks = source.unwrap_or(SourceMarks::NONE);
    let kind = medium.map_or(MediumKind::Other, |medium| medium.kind);
    let shopping = campaign.shop || source_marks.has(SourceMarks::SHOPPING);
    if medium.is_some_and(|medium| medium.paid) {
        return if shopping {
            Channel::PaidShopping
        } else if source_marks.has(SourceMarks::SEARCH) {
            Channel::PaidSearch
        } else if source_marks.has(SourceMarks::SOCIAL) {
            Channel::PaidSocial
        } else if source_marks.has(SourceMarks::VIDEO) {
            Channel::PaidVideo
        } else if kind == MediumKind::Display {
            Channel::Display
        } else {
            Channel::PaidOther
        };
    }
    let medium_text = medium.map(|medium| &*medium.text);
    if kind == MediumKind::Display {
        Channel::Display
    } else if source_marks.has(SourceMarks::AI) || kind == MediumKind::AiAssistant {
        Channel::AiAssistant
    } else if shopping {
        Channel::OrganicShopping
    } else if source_marks.has(SourceMarks::SOCIAL) || kind == MediumKind::Social {
        Channel::OrganicSocial
    } else if source_marks.has(SourceMarks::VIDEO)
        || medium_text.is_some_and(|m| contains(m, "video"))
    {
        Channel::OrganicVideo
    } else if source_marks.has(SourceMarks::SEARCH) || kind == MediumKind::Organic {
        Channel::OrganicSearch
    } else if kind == MediumKind::Email || source_marks.has(SourceMarks::EMAIL) {
        Channel::Email
    } else if kind == MediumKind::Affiliate {
        Channel::Affiliates
    } else if kind == MediumKind::Referral {
        Channel::Referral
    } else if kind == MediumKind::Audio {
        Channel::Audio
    } else if kind == MediumKind::Sms || source_marks.has(SourceMarks::SMS) {
        Channel::Sms
    } else if medium_text.is_some_and(|m| {
        m.ends_with("push") || contains(m, "mobile") || contains(m, "notification")
    }) || source_marks.has(SourceMarks::FIREBASE)
    {
        Channel::MobilePush
    } else if source.is_none() && medium.is_none() {
        // A click id with an inference would have supplied both.
        Channel::Direct
    } else {
        Channel::Unassigned
    }
}

/// What the rules ask of a source, as bits: its category (one at most: the first step of
/// `docs/rules.md` §2.6's lookup that finds one decides), or that it is an AI assistant's, and whether it
/// equals one of the names rules 13, 17 and 18 test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct SourceMarks(u8);

impl SourceMarks {
    pub(super) const NONE: SourceMarks = SourceMarks(0);
    pub(super) const SEARCH: SourceMarks = SourceMarks(1);
    pub(super) const SOCIAL: SourceMarks = SourceMarks(2);
    pub(super) const VIDEO: SourceMarks = SourceMarks(4);
    pub(super) const SHOPPING: SourceMarks = SourceMarks(8);
    /// Rule 13: `email`, `e-mail`, `e_mail` or `e mail`.
    pub(super) const EMAIL: SourceMarks = SourceMarks(16);
    /// Rule 17: `sms`.
    pub(super) const SMS: SourceMarks = SourceMarks(32);
    /// Rule 18: `firebase`.
    pub(super) const FIREBASE: SourceMarks = SourceMarks(64);
    /// Rule 8: an AI assistant's source.
    pub(super) const AI: SourceMarks = SourceMarks(128);
    const LISTS: u8 = 15;

    /// The category marks alone.
    pub(super) fn lists(self) -> SourceMarks {
        SourceMarks(self.0 & Self::LISTS)
    }

    /// One category of several, when a caller added an entry to several lists: the one whose
    /// paid rule comes first (shopping, search, social, video).
    pub(super) fn first_list(self) -> SourceMarks {
        [Self::SHOPPING, Self::SEARCH, Self::SOCIAL, Self::VIDEO]
            .into_iter()
            .find(|&list| self.has(list))
            .unwrap_or(Self::NONE)
    }

    pub(super) fn has(self, mark: SourceMarks) -> bool {
        self.0 & mark.0 != 0
    }

    pub(super) fn with(self, mark: SourceMarks) -> SourceMarks {
        SourceMarks(self.0 | mark.0)
    }

    pub(super) fn without_lists(self) -> SourceMarks {
        SourceMarks(self.0 & !Self::LISTS)
    }
}

/// A medium as the rules read it: lowercased and trimmed, the named set it equals, and
/// whether it is paid.
#[derive(Debug)]
pub(super) struct Medium<'a> {
    pub(super) text: Cow<'a, str>,
    pub(super) kind: MediumKind,
    pub(super) paid: bool,
}

impl<'a> Medium<'a> {
    /// A medium as sent; `None` when empty.
    #[inline]
    pub(super) fn read(medium: &'a str) -> Option<Self> {
        // A named medium, or a common one, as sent is lowercase, trimmed and on one line:
        // one `match` reads it.
        let kind = match Known::of(medium) {
            Known::Named(kind) => kind,
            Known::CommonPaid => {
                return Some(Medium {
                    text: Cow::Borrowed(medium),
                    kind: MediumKind::Other,
                    paid: true,
                });
            }
            Known::Unknown => return Self::read_unknown(medium),
        };
        Some(Medium {
            text: Cow::Borrowed(medium),
            kind,
            paid: is_paid_medium(medium, false),
        })
    }

    /// A medium no `match` knows as sent: trimmed, lowercased and scanned.
    fn read_unknown(medium: &'a str) -> Option<Self> {
        let (text, scan) = lowercase_scanned(medium)?;
        Some(Medium {
            // Trimming or lowercasing may have made it a named one.
            kind: if text.len() != medium.len() || scan.upper {
                MediumKind::of(&text)
            } else {
                MediumKind::Other
            },
            paid: is_paid_medium(&text, scan.newline),
            text,
        })
    }

    /// A trimmed, lowercased medium.
    #[cfg(test)]
    pub(super) fn of(text: Cow<'a, str>) -> Self {
        Medium {
            kind: MediumKind::of(&text),
            paid: is_paid_medium(&text, Scan::of(&text).newline),
            text,
        }
    }
}

/// Whether `medium` is one of the common paid mediums outside [`MediumKind`]'s sets: known to
/// be lowercase, trimmed and on one line, so that [`Medium::read`] need not scan it. Only a
/// short cut: any other medium gives the same answer through the scan.
#[cfg(test)]
pub(super) fn is_common_medium(medium: &str) -> bool {
    Known::of(medium) == Known::CommonPaid
}

/// What one `match` knows of a medium as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// It equals a name of one of [`MediumKind`]'s sets.
    Named(MediumKind),
    /// One of the common paid mediums outside those sets (`cpc`, `paid_social`, ...).
    CommonPaid,
    /// Neither.
    Unknown,
}

impl Known {
    /// `docs/rules.md` §2.6's named sets of mediums (they share no name), and the common paid
    /// mediums, in one `match`.
    fn of(medium: &str) -> Known {
        use MediumKind as K;
        let kind = match medium {
            "display" | "banner" | "expandable" | "interstitial" | "cpm" => K::Display,
            "ai-assistant" => K::AiAssistant,
            "social" | "social-network" | "social-media" | "sm" | "social network"
            | "social media" => K::Social,
            "organic" => K::Organic,
            "email" | "e-mail" | "e_mail" | "e mail" => K::Email,
            "affiliate" => K::Affiliate,
            "referral" | "app" | "link" => K::Referral,
            "audio" => K::Audio,
            "sms" => K::Sms,
            "cpc" | "ppc" | "cpa" | "cpv" | "paid" | "paid_social" | "paid-social"
            | "paidsocial" | "paid_search" | "paid-search" | "retargeting" => {
                return Known::CommonPaid;
            }
            _ => return Known::Unknown,
        };
        Known::Named(kind)
    }
}

/// The named set of `docs/rules.md` §2.6's table a medium equals, if any: the sets share no name, so one
/// `match` answers every "medium is ..." of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediumKind {
    /// Rule 6.
    Display,
    /// Rule 8.
    AiAssistant,
    /// Rule 10.
    Social,
    /// Rule 12.
    Organic,
    /// Rule 13.
    Email,
    /// Rule 14.
    Affiliate,
    /// Rule 15.
    Referral,
    /// Rule 16.
    Audio,
    /// Rule 17.
    Sms,
    /// None of them.
    Other,
}

impl MediumKind {
    /// The named set a trimmed, lowercased medium equals, if any.
    pub(super) fn of(medium: &str) -> MediumKind {
        match Known::of(medium) {
            Known::Named(kind) => kind,
            Known::CommonPaid | Known::Unknown => MediumKind::Other,
        }
    }
}

/// What the rules ask of the campaign: rule 1's `cross-network` and the shop pattern.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct CampaignMarks {
    cross_network: bool,
    shop: bool,
}

impl CampaignMarks {
    /// The marks of a campaign as sent, trimmed first (an empty one has none).
    ///
    /// Not inlined: its word-at-a-time pass wants its constants in registers, which the
    /// caller's values would otherwise take (spilling either costs more than the call).
    #[inline(never)]
    pub(super) fn of_sent(campaign: Option<&str>) -> CampaignMarks {
        match campaign {
            Some(campaign) => CampaignMarks::of(trim_str(campaign)),
            None => CampaignMarks::default(),
        }
    }

    /// One pass over the campaign as sent (matching ASCII-case-insensitively, so nothing is
    /// lowercased) finds both literals; the full shop pattern (its character-class and
    /// line-break cases) only runs when `shop` is there at all.
    #[inline]
    pub(super) fn of(campaign: &str) -> CampaignMarks {
        let (cross_network, holds_shop) = find_cross_network_and_shop(campaign);
        CampaignMarks {
            cross_network,
            shop: holds_shop && matches_shop_pattern(campaign),
        }
    }
}
