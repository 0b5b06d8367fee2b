//! `docs/rules.md` §2.6 rule by rule: each row shows its rule holding, and where an earlier rule could
//! also hold, which one wins.

use super::patterns::{
    contains, find_cross_network_and_shop, is_host_name, is_paid_medium, matches_shop_pattern,
};
use super::{Channel, ChannelRules, SourceMarks, Touch};
use crate::Normalized;

/// (source, medium, campaign, click ids, expected channel).
type Row = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static [&'static str],
    Channel,
);

fn check(rules: &ChannelRules, cases: &[Row]) {
    for (i, &(source, medium, campaign, clicks, expected)) in cases.iter().enumerate() {
        let found = rules.attribute(&Touch {
            source,
            medium,
            campaign,
            click_params: clicks,
        });
        assert_eq!(
            found.channel, expected,
            "row {i}: source {source:?}, medium {medium:?}, campaign {campaign:?}, clicks {clicks:?}"
        );
    }
}

#[test]
fn every_rule_in_order() {
    use Channel::*;
    let cases: &[Row] = &[
        // 1. cross_network: before everything, even a paid shopping source.
        (None, None, Some("pmax-cross-network-br"), &[], CrossNetwork),
        (
            Some("amazon"),
            Some("cpc"),
            Some("Cross-Network"),
            &[],
            CrossNetwork,
        ),
        (
            Some("google"),
            Some("cpc"),
            Some("cross network"),
            &[],
            PaidSearch,
        ),
        // 2. paid_shopping: a shopping source or a shop campaign, before paid_search.
        (Some("mercadolivre"), Some("cpc"), None, &[], PaidShopping),
        (
            Some("google"),
            Some("cpc"),
            Some("shopping-natal"),
            &[],
            PaidShopping,
        ),
        (
            Some("google shopping"),
            Some("paid"),
            None,
            &[],
            PaidShopping,
        ),
        (
            Some("facebook"),
            Some("paid"),
            Some("loja-eshop"),
            &[],
            PaidShopping,
        ),
        // 3. paid_search, before paid_social (a search source with a social-looking medium).
        (Some("google"), Some("cpc"), None, &[], PaidSearch),
        (Some("bing"), Some("ppc"), None, &[], PaidSearch),
        (Some("yahoo"), Some("paid_social"), None, &[], PaidSearch),
        (
            Some("search.brave.com"),
            Some("retargeting"),
            None,
            &[],
            PaidSearch,
        ),
        // 4. paid_social, before paid_video and display.
        (Some("facebook"), Some("paid"), None, &[], PaidSocial),
        (Some("instagram"), Some("cpm"), None, &[], PaidSocial),
        (Some("l.facebook.com"), Some("cpc"), None, &[], PaidSocial),
        // 5. paid_video, before display.
        (Some("youtube"), Some("cpm"), None, &[], PaidVideo),
        (
            Some("m.youtube.com"),
            Some("paid-video"),
            None,
            &[],
            PaidVideo,
        ),
        // 6. display: a paid `cpm` with no listed source, and unpaid display media.
        (Some("dv360"), Some("cpm"), None, &[], Display),
        (Some("dv360"), Some("display"), None, &[], Display),
        (None, Some("banner"), None, &[], Display),
        (Some("x"), Some("interstitial"), None, &[], Display),
        (Some("amazon"), Some("expandable"), None, &[], Display),
        // 7. paid_other.
        (Some("newsletter"), Some("cpc"), None, &[], PaidOther),
        (None, Some("paid"), None, &[], PaidOther),
        (Some("googleads"), Some("cpc"), None, &[], PaidOther),
        // 8. ai_assistant: by source or by medium, after every paid rule, before the organic
        // ones.
        (Some("chatgpt.com"), None, None, &[], AiAssistant),
        (Some("ChatGPT"), Some("referral"), None, &[], AiAssistant),
        (
            Some("www.perplexity.ai"),
            Some("social"),
            None,
            &[],
            AiAssistant,
        ),
        (
            Some("gemini.google.com"),
            Some("organic"),
            None,
            &[],
            AiAssistant,
        ),
        (
            Some("newsletter"),
            Some("ai-assistant"),
            None,
            &[],
            AiAssistant,
        ),
        (None, Some("ai-assistant"), Some("shop"), &[], AiAssistant),
        (Some("chatgpt.com"), Some("cpc"), None, &[], PaidOther),
        (Some("copilot"), Some("display"), None, &[], Display),
        (Some("amazon"), Some("ai-assistant"), None, &[], AiAssistant),
        // 9. organic_shopping, before organic_social.
        (Some("shopee"), Some("referral"), None, &[], OrganicShopping),
        (
            Some("instagram"),
            Some("social"),
            Some("shop-verao"),
            &[],
            OrganicShopping,
        ),
        (None, None, Some("shopping"), &[], OrganicShopping),
        // 10. organic_social, before organic_video, email and sms.
        (Some("whatsapp"), Some("sms"), None, &[], OrganicSocial),
        (Some("youtube"), Some("social"), None, &[], OrganicSocial),
        (Some("facebook"), Some("email"), None, &[], OrganicSocial),
        (
            Some("rdstation"),
            Some("social network"),
            None,
            &[],
            OrganicSocial,
        ),
        (Some("blog"), Some("sm"), None, &[], OrganicSocial),
        (Some("blog"), Some("social-media"), None, &[], OrganicSocial),
        // 11. organic_video, before organic_search.
        (Some("google"), Some("video"), None, &[], OrganicVideo),
        (Some("vimeo"), Some("organic"), None, &[], OrganicVideo),
        (
            Some("blog"),
            Some("youtube-video-embed"),
            None,
            &[],
            OrganicVideo,
        ),
        // 12. organic_search, before email.
        (Some("yahoo"), Some("email"), None, &[], OrganicSearch),
        (
            Some("google.com.br"),
            Some("referral"),
            None,
            &[],
            OrganicSearch,
        ),
        (Some("wiki"), Some("organic"), None, &[], OrganicSearch),
        // 13. email, by source or medium, before sms and referral.
        (Some("newsletter"), Some("email"), None, &[], Email),
        (Some("e-mail"), Some("sms"), None, &[], Email),
        (Some("crm"), Some("e mail"), None, &[], Email),
        (Some("e_mail"), None, None, &[], Email),
        // 14. affiliates.
        (Some("parceiro"), Some("affiliate"), None, &[], Affiliates),
        (Some("parceiro"), Some("affiliates"), None, &[], Unassigned),
        // 15. referral.
        (
            Some("blog.example.com"),
            Some("referral"),
            None,
            &[],
            Referral,
        ),
        (Some("app-store"), Some("app"), None, &[], Referral),
        (Some("qr"), Some("link"), None, &[], Referral),
        // 16. audio.
        (Some("spotify"), Some("audio"), None, &[], Audio),
        // 17. sms, by source or medium, before mobile_push.
        (Some("zenvia"), Some("sms"), None, &[], Sms),
        (Some("sms"), Some("push"), None, &[], Sms),
        // 18. mobile_push.
        (Some("onesignal"), Some("web-push"), None, &[], MobilePush),
        (Some("app"), Some("mobile-banner"), None, &[], MobilePush),
        (Some("app"), Some("notification"), None, &[], MobilePush),
        (Some("firebase"), None, None, &[], MobilePush),
        (Some("app"), Some("pushed"), None, &[], Unassigned),
        // 19. direct: nothing at all, or a campaign alone, or a click id without inference.
        (None, None, None, &[], Direct),
        (None, None, Some("dia-das-maes"), &[], Direct),
        (None, None, None, &["gclsrc"], Direct),
        (None, None, None, &["ko_click_id", "gclsrc"], Direct),
        // 20. unassigned.
        (Some("mix"), None, None, &[], Unassigned),
        (None, Some("indicacao"), None, &[], Unassigned),
    ];
    check(&ChannelRules::new(), cases);
}

#[test]
fn click_ids_infer_only_when_source_and_medium_are_both_absent() {
    use Channel::*;
    let cases: &[Row] = &[
        (None, None, None, &["gclid"], PaidSearch),
        (None, None, None, &["gbraid"], PaidSearch),
        (None, None, None, &["WBRAID"], PaidSearch),
        (None, None, None, &["dclid"], Display),
        (None, None, None, &["msclkid"], PaidSearch),
        (None, None, None, &["ttclid"], PaidSocial),
        (None, None, None, &["li_fat_id"], PaidSocial),
        (None, None, None, &["twclid"], PaidSocial),
        (None, None, None, &["rdt_cid"], PaidSocial),
        (None, None, None, &["epik"], PaidSocial),
        (None, None, None, &["sccid"], PaidSocial),
        (None, None, None, &["fbclid"], OrganicSocial),
        (None, None, None, &["igshid"], OrganicSocial),
        (None, None, None, &["gad_source"], PaidSearch),
        (None, None, None, &["YCLID"], PaidSearch),
        (None, None, None, &["qclid"], PaidSocial),
        (None, None, None, &["irclid"], Affiliates),
        (None, None, None, &["_kx"], Email),
        (None, None, None, &["mc_cid"], Email),
        (None, None, None, &["ko_click_id"], Direct),
        // A source or a medium alone blocks the inference.
        (Some("mix"), None, None, &["gclid"], Unassigned),
        (None, Some("indicacao"), None, &["gclid"], Unassigned),
        (Some("  "), Some(""), None, &["gclid"], PaidSearch),
        // The campaign does not block it, and still decides rule 1.
        (None, None, Some("crm-enterprise"), &["gclid"], PaidSearch),
        (
            None,
            None,
            Some("x-cross-network"),
            &["gclid"],
            CrossNetwork,
        ),
        (None, None, Some("shopping"), &["msclkid"], PaidShopping),
        // the rules' order decides, not the order found; gclsrc and other names are skipped.
        (None, None, None, &["fbclid", "ttclid"], PaidSocial),
        (None, None, None, &["igshid", "fbclid"], OrganicSocial),
        (
            None,
            None,
            None,
            &["gclsrc", "ref", "dclid", "gbraid"],
            PaidSearch,
        ),
        (None, None, None, &["sccid", "msclkid"], PaidSearch),
        (None, None, None, &["mc_cid", "_kx", "irclid"], Affiliates),
        (None, None, None, &["fbclid", "mc_cid"], Email),
        (None, None, None, &["yclid", "gad_source"], PaidSearch),
        (None, None, None, &["ko_click_id", "qclid"], PaidSocial),
    ];
    check(&ChannelRules::new(), cases);

    let rules = ChannelRules::new();
    let found = rules.attribute(&clicks(&["igshid", "twclid", "fbclid"]));
    assert_eq!(
        (found.source.as_deref(), found.medium.as_deref()),
        (Some("twitter"), Some("paid"))
    );
    let found = rules.attribute(&clicks(&["dclid"]));
    assert_eq!(
        (found.source.as_deref(), found.medium.as_deref()),
        (Some("google"), Some("display"))
    );
    let found = rules.attribute(&Touch {
        source: Some("Mix"),
        click_params: &["gclid"],
        ..Touch::default()
    });
    assert_eq!(
        (found.source.as_deref(), found.medium.as_deref()),
        (Some("mix"), None)
    );
    for (params, source, medium) in [
        (&["gad_source"][..], "google", "cpc"),
        (&["yclid"], "yandex", "cpc"),
        (&["qclid"], "quora", "paid"),
        (&["irclid"], "impact", "affiliate"),
        (&["_KX"], "klaviyo", "email"),
        (&["mc_cid", "ko_click_id"], "mailchimp", "email"),
    ] {
        let found = rules.attribute(&clicks(params));
        assert_eq!(
            (found.source.as_deref(), found.medium.as_deref()),
            (Some(source), Some(medium)),
            "{params:?}"
        );
    }
    let found = rules.attribute(&clicks(&["gclsrc"]));
    assert_eq!((found.source, found.medium), (None, None));
}

#[test]
fn the_click_ids_are_not_read_past_gclid_nor_when_a_source_was_sent() {
    let rules = ChannelRules::new();
    let mut read = 0;
    let params = ["msclkid", "gclid", "ttclid", "fbclid"]
        .into_iter()
        .inspect(|_| read += 1);
    assert_eq!(
        super::infer(params).map(|found| found.source),
        Some("google")
    );
    assert_eq!(read, 2);

    let mut asked = 0;
    let found = rules.attribute_inferring(Some("x"), None, None, || {
        asked += 1;
        super::infer(["gclid"])
    });
    assert_eq!(found.channel, Channel::OrganicSocial);
    assert_eq!(asked, 0);
}

#[test]
fn case_and_white_space() {
    use Channel::*;
    let cases: &[Row] = &[
        (
            Some("  Google\t"),
            Some("\u{a0}CPC\n"),
            None,
            &[],
            PaidSearch,
        ),
        (
            Some("\u{feff}FACEBOOK"),
            Some("Paid_Social"),
            None,
            &[],
            PaidSocial,
        ),
        (
            Some("L.Facebook.COM"),
            Some("Referral"),
            None,
            &[],
            OrganicSocial,
        ),
        (Some("newsletter"), Some("E-Mail"), None, &[], Email),
        // Trimming alone can make a medium a named one.
        (Some("newsletter"), Some(" email\t"), None, &[], Email),
        (Some("y"), Some("\u{a0}referral"), None, &[], Referral),
        (Some("y"), Some(" paid-x\n"), None, &[], PaidOther),
        (Some("y"), Some("paid\nx"), None, &[], Unassigned),
        (
            None,
            None,
            Some("  BLACK-FRIDAY-SHOP "),
            &[],
            OrganicShopping,
        ),
        (None, None, Some("Cross-Network"), &[], CrossNetwork),
        // Only ASCII is lowercased, and white space inside stays.
        (
            Some("GOOGLE SHOPPING"),
            Some("cpc"),
            None,
            &[],
            PaidShopping,
        ),
        (Some("google  shopping"), Some("cpc"), None, &[], PaidOther),
        (Some("\u{3000}"), Some(" "), Some(""), &[], Direct),
    ];
    check(&ChannelRules::new(), cases);

    let rules = ChannelRules::new();
    let found = rules.attribute(&Touch {
        source: Some(" Google "),
        medium: Some("cpc"),
        ..Touch::default()
    });
    assert_eq!(found.source.as_deref(), Some("google"));
    assert!(matches!(found.source, Some(std::borrow::Cow::Owned(_))));
    assert!(matches!(
        found.medium,
        Some(std::borrow::Cow::Borrowed("cpc"))
    ));
    let found = rules.attribute(&Touch {
        source: Some("  google  "),
        ..clicks(&[])
    });
    assert!(matches!(
        found.source,
        Some(std::borrow::Cow::Borrowed("google"))
    ));
}

#[test]
fn paid_medium_pattern() {
    let cases = [
        ("cpc", true),
        ("cpm", true),
        ("cpa", true),
        ("ppc", true),
        ("retargeting", true),
        ("paid", true),
        ("paid_social", true),
        ("paidsearch", true),
        ("social_cpc", true),
        ("xcpx", true),
        ("ppcx", false),
        ("xppc", false),
        ("remarketing", false),
        ("retargeting-fb", false),
        ("unpaid", false),
        ("pago", false),
        ("c-p", false),
        ("", false),
        // `.` matches no line break.
        ("paid\nsocial", false),
        ("cp\nx", false),
    ];
    for (medium, expected) in cases {
        assert_eq!(
            is_paid_medium(medium, medium.contains('\n')),
            expected,
            "medium {medium:?}"
        );
    }
}

#[test]
fn shop_pattern() {
    let cases = [
        ("shop", true),
        ("shopping", true),
        ("shop-verao", true),
        ("verao-shop", true),
        ("verao_shop", true),
        ("verao shop", true),
        ("2shop", true),
        ("eshop", true),
        ("loja-eshop", true),
        ("e-shop", true),
        ("éshop", true),
        ("myshop", false),
        ("ashop", false),
        ("dshop", false),
        ("fshop", false),
        ("zshop", false),
        ("myshopping", true),
        ("workshop", false),
        ("workshopping", true),
        ("myshop-eshop", true),
        ("myshop-zshop", false),
        ("shoe", false),
        ("sho", false),
        ("", false),
        // A line break can be the character before `shop`, but the `.*` cross none.
        ("a\nshop", true),
        ("my\nshop-x", true),
        ("shop\nx", false),
        ("a\nb shop", false),
        ("a\nshop\n", false),
        ("shopping\n", false),
    ];
    for (campaign, expected) in cases {
        assert_eq!(
            matches_shop_pattern(campaign),
            expected,
            "campaign {campaign:?}"
        );
        // The campaign is matched as its ASCII-lowercase form, without being lowercased.
        let upper = campaign.to_ascii_uppercase();
        assert_eq!(matches_shop_pattern(&upper), expected, "campaign {upper:?}");
        assert_eq!(
            find_cross_network_and_shop(&upper).1,
            campaign.contains("shop"),
            "campaign {upper:?}"
        );
    }
}

/// The word-at-a-time scan finds the literals at every place, across word boundaries and in
/// the last short word, as a plain search of the lowercase form does.
#[test]
fn campaign_literals_at_every_place() {
    let fillers = [
        "", "r", "x", "sr", "cr", "é", "\n", "ss", "hi", "wv", "H", "w",
    ];
    for literal in [
        "shop",
        "SHOP",
        "Cross-Network",
        "cross-network",
        "sho",
        "cross-networ",
    ] {
        for before in 0..20 {
            for after in 0..10 {
                for filler in fillers {
                    let campaign =
                        format!("{}{literal}{}", filler.repeat(before), filler.repeat(after));
                    let lower = campaign.to_ascii_lowercase();
                    assert_eq!(
                        find_cross_network_and_shop(&campaign),
                        (lower.contains("cross-network"), lower.contains("shop")),
                        "campaign {campaign:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn campaign_literals_ignore_ascii_case_only() {
    let cases = [
        ("cross-network", (true, false)),
        ("PMax-Cross-Network-BR", (true, false)),
        ("CROSS-NETWORK", (true, false)),
        // `\r | 0x20` is `-`: folding must not make it one.
        ("cross\rnetwork", (false, false)),
        ("cro\u{17f}s-network", (false, false)),
        ("ShOp", (false, true)),
        ("\u{17f}hop", (false, false)),
        ("Cross-Network-Shopping", (true, true)),
        ("", (false, false)),
    ];
    for (campaign, expected) in cases {
        assert_eq!(
            find_cross_network_and_shop(campaign),
            expected,
            "campaign {campaign:?}"
        );
    }
}

#[test]
fn substrings() {
    let cases = [
        ("cross-network", "cross-network", true),
        ("x-cross-network-y", "cross-network", true),
        ("cross-networ", "cross-network", false),
        ("ccross-network", "cross-network", true),
        ("ccp", "cp", true),
        ("c", "cp", false),
        ("", "cp", false),
        ("mobilé", "mobile", false),
    ];
    for (haystack, needle, expected) in cases {
        assert_eq!(
            contains(haystack, needle),
            expected,
            "{needle:?} in {haystack:?}"
        );
    }
}

/// `docs/rules.md` §2.6's four steps, each holding, and where an earlier step could also hold, which one
/// wins.
#[test]
fn source_categories() {
    const AI: SourceMarks = SourceMarks::AI;
    const SEARCH: SourceMarks = SourceMarks::SEARCH;
    const SOCIAL: SourceMarks = SourceMarks::SOCIAL;
    const VIDEO: SourceMarks = SourceMarks::VIDEO;
    const SHOPPING: SourceMarks = SourceMarks::SHOPPING;
    const NONE: SourceMarks = SourceMarks::NONE;
    let cases = [
        // 1. AI assistant: an entry, or a subdomain of a dotted one.
        ("chatgpt.com", AI),
        ("chatgpt", AI),
        ("www.perplexity.ai", AI),
        ("perplexity", AI),
        ("gemini.google.com", AI),
        ("x.gemini.google.com", AI),
        ("copilot.cloud.microsoft", AI),
        ("xchatgpt.com", NONE),
        ("chatgpt.com.br", NONE),
        // Even a source that is no host name: "ends with `.` and a dotted entry".
        ("a b.chatgpt.com", AI),
        // 2. Exact: GA4's list (any case in the file) and the project's.
        ("quora", SOCIAL),
        ("line.me", SOCIAL),
        ("blog.naver.com", SOCIAL),
        ("ebay.de", SHOPPING),
        ("yahoo.co.jp", SEARCH),
        ("igshopping", SHOPPING),
        ("google shopping", SHOPPING),
        ("hatena", SOCIAL),
        ("line", SOCIAL),
        ("google", SEARCH),
        ("mercadolivre", SHOPPING),
        ("shopee", SHOPPING),
        ("kwai", SOCIAL),
        ("youtube", VIDEO),
        // 3. Suffix: the longest dotted entry wins.
        ("pt-br.facebook.com", SOCIAL),
        ("br.answers.yahoo.com", SOCIAL),
        ("search.yahoo.com", SEARCH),
        ("www.search.brave.com", SEARCH),
        ("x.lnkd.in", SOCIAL),
        ("www.t.co", SOCIAL),
        ("xlnkd.in", NONE),
        ("lnkd.in.evil.com", NONE),
        // 4. Label: a one-label entry of the project's list, leftmost label first.
        ("google.com.br", SEARCH),
        ("youtube.com.br", VIDEO),
        ("lista.mercadolivre.com.br", SHOPPING),
        ("www.google.com.br", SEARCH),
        ("shopee.google.com", SHOPPING),
        ("google.shopee.com.br", SEARCH),
        // The last label is the top-level domain, not a label the rule reads.
        ("com.google", NONE),
        // GA4's one-label entries match exactly only.
        ("line.example.com", NONE),
        ("cnn.example.com", NONE),
        ("ask.example.com", NONE),
        ("globo.example.com", NONE),
        // No host name: no suffix, no label.
        ("google.com.br.", NONE),
        ("google.com:443", NONE),
        ("https://google.com", NONE),
        ("google..com", NONE),
        ("googleads", NONE),
        ("googleads.g.doubleclick.net", NONE),
        ("google-ads.com", NONE),
        ("instagram ads", NONE),
        ("brave.com", NONE),
        ("", NONE),
    ];
    let rules = ChannelRules::new();
    for (source, expected) in cases {
        assert_eq!(rules.source_marks(source), expected, "{source:?}");
    }
}

#[test]
fn host_names() {
    let cases = [
        ("google.com", true),
        ("a.b", true),
        ("pt-br.face_book.com", true),
        ("google", false),
        ("google.com.", false),
        (".google.com", false),
        ("google..com", false),
        ("google.com:443", false),
        ("bücher.de", false),
        ("a b.com", false),
        ("", false),
    ];
    for (source, expected) in cases {
        assert_eq!(is_host_name(source), expected, "{source:?}");
    }
}

#[test]
fn caller_entries_extend_each_list() {
    use Channel::*;
    let rules = ChannelRules::new()
        .search_source("Kagi")
        .search_source("  ")
        .social_source("bsky.app")
        .video_source("kick")
        .shopping_source("netshoes");
    let cases: &[Row] = &[
        (Some("kagi"), Some("cpc"), None, &[], PaidSearch),
        (Some("kagi.com"), Some("organic"), None, &[], OrganicSearch),
        (
            Some("www.kagi.com"),
            Some("referral"),
            None,
            &[],
            OrganicSearch,
        ),
        (Some("bsky.app"), None, None, &[], OrganicSocial),
        (Some("go.bsky.app"), Some("paid"), None, &[], PaidSocial),
        (Some("bsky"), Some("referral"), None, &[], Referral),
        (Some("kick"), Some("referral"), None, &[], OrganicVideo),
        (
            Some("netshoes.com.br"),
            Some("cpc"),
            None,
            &[],
            PaidShopping,
        ),
        // The defaults stay.
        (Some("google"), Some("cpc"), None, &[], PaidSearch),
        // An empty entry was not added: an empty source is still no source.
        (Some(""), None, None, &[], Direct),
    ];
    check(&rules, cases);
    assert_eq!(rules.added.len(), 4);
    check(
        &ChannelRules::default(),
        &[(Some("kagi"), Some("cpc"), None, &[], PaidOther)],
    );
}

#[test]
fn from_marketing() {
    let cases = [
        (
            "https://x.com.br/?utm_source=google&utm_medium=cpc",
            "paid_search",
            Some("google"),
            Some("cpc"),
        ),
        // wegly_ wins over utm_.
        (
            "/?wegly_source=bing&utm_source=google&utm_medium=cpc",
            "paid_search",
            Some("bing"),
            Some("cpc"),
        ),
        (
            "/?utm_campaign=x-cross-network&wegly_campaign=plain&utm_source=y",
            "unassigned",
            Some("y"),
            None,
        ),
        // Click ids from the fields and from the URL, the rules' order.
        (
            "/?fbclid=F&msclkid=M",
            "paid_search",
            Some("bing"),
            Some("cpc"),
        ),
        (
            "/?fbclid=F&igshid=I",
            "organic_social",
            Some("facebook"),
            Some("referral"),
        ),
        ("/?gclsrc=aw.ds", "direct", None, None),
        (
            "/#/ok?ttclid=T",
            "paid_social",
            Some("tiktok"),
            Some("paid"),
        ),
        ("/?gclid=", "direct", None, None),
        ("", "direct", None, None),
    ];
    for (url, channel, source, medium) in cases {
        let n = Normalized::from_url(url);
        let found = n.marketing.channel();
        assert_eq!(
            (
                found.channel.as_str(),
                found.source.as_deref(),
                found.medium.as_deref()
            ),
            (channel, source, medium),
            "url {url:?}"
        );
    }
}

#[test]
fn serializes_with_nulls() {
    let n = Normalized::from_url("https://x.com.br/?utm_source=Mix");
    assert_eq!(
        serde_json::to_string(&n.marketing.channel()).unwrap(),
        r#"{"channel":"unassigned","source":"mix","medium":null}"#
    );
    let n = Normalized::from_url("https://x.com.br/");
    assert_eq!(
        serde_json::to_string(&n.marketing.channel()).unwrap(),
        r#"{"channel":"direct","source":null,"medium":null}"#
    );
}

/// A touch of click-id names alone.
fn clicks<'a>(names: &'a [&'a str]) -> Touch<'a> {
    Touch {
        click_params: names,
        ..Touch::default()
    }
}
