//! Checks of the fast paths' tables against what they stand for.

use super::super::model::common;
use super::classify::is_common_medium;
use super::lists::PROJECT;
use super::{DEFAULT_RULES, INFERENCES, Medium, key};

/// The channel stops its walk of the sorted entries at `utm_campaign`: everything sorting
/// before it is a common key below its index.
#[test]
fn the_keys_before_utm_campaign_are_common() {
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

/// The short cut of `Medium::read` gives what the scan would.
#[test]
fn common_mediums_read_as_scanned() {
    let common = [
        "cpc",
        "ppc",
        "cpa",
        "cpv",
        "paid",
        "paid_social",
        "paid-social",
        "paidsocial",
        "paid_search",
        "paid-search",
        "retargeting",
    ];
    for medium in common {
        assert!(is_common_medium(medium), "{medium}");
        let read = Medium::read(medium).map(|m| (m.text, m.kind, m.paid));
        let scanned = Medium::of(medium.into());
        assert_eq!(
            read,
            Some((scanned.text, scanned.kind, scanned.paid)),
            "{medium}"
        );
    }
    for other in ["CPC", " cpc", "cpc\n", "social", "paid social"] {
        assert!(!is_common_medium(other), "{other:?}");
    }
}

#[test]
fn inferences_are_what_the_rules_compute() {
    for (at, inference) in INFERENCES.iter().enumerate() {
        assert_eq!(usize::from(inference.rank), at, "{}", inference.param);
        assert_eq!(
            inference.source_marks,
            DEFAULT_RULES.source_marks(inference.source),
            "{}",
            inference.param
        );
        let medium = Medium::of(inference.medium.into());
        assert_eq!(
            (inference.medium_kind, inference.paid),
            (medium.kind, medium.paid),
            "{}",
            inference.param
        );
    }
}

/// The short cut of `source_marks`: a default entry of the project's list is no AI
/// assistant's, and GA4's list gives it the same category, so the general lookup agrees.
#[test]
fn default_entries_match_as_the_general_lookup_does() {
    let everything_added = super::ChannelRules::new().search_source("-");
    for (_, entries) in PROJECT {
        for entry in entries {
            assert_eq!(
                everything_added.source_marks(entry),
                DEFAULT_RULES.source_marks(entry),
                "{entry}"
            );
        }
    }
}
