//! The source lists of §2.6 (`docs/rules.md` §2.6): Google Analytics 4's source
//! categories and the AI assistants, embedded from `data/` at build time, and the project's own
//! list; all in one hash index, so that a source costs one lookup per candidate suffix however
//! long the lists are.
//!
//! The two CSV files are copies of `shared/data/` (GA4's list from the dbt-ga4 package, MIT;
//! see `data/README.md`). Refreshing a list is copying its file: the crate reads the rows from
//! the text it embeds, and a test holds the index to the files row by row.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::SourceMarks;

/// GA4's source categories, `source,source_category`.
pub(super) const GA4_CSV: &str = include_str!("../../../data/ga4_source_categories.csv");

/// The AI assistants' sources, `source,assistant`.
pub(super) const AI_CSV: &str = include_str!("../../../data/ai_assistants.csv");

/// Declares the default sources once: the project's four lists (`docs/rules.md` §2.6) and the
/// names rules 13, 17 and 18 test of a source. From the one declaration: [`PROJECT`], the
/// lists the index is built from, and [`SourceMarks::of_default_entry`], the `match` that
/// answers for a source as sent (a switch on the length, then a compare).
macro_rules! default_sources {
    (
        lists { $($list:ident => [$($entry:literal),+ $(,)?],)+ }
        names { $($mark:ident => [$($name:literal),+ $(,)?],)+ }
    ) => {
        /// The project's lists, with the category each gives: the Brazilian market's sources
        /// GA4 lacks, and the one-label names the label rule uses.
        pub(super) const PROJECT: [(SourceMarks, &[&str]); [$(SourceMarks::$list,)+].len()] =
            [$((SourceMarks::$list, &[$($entry,)+]),)+];

        impl SourceMarks {
            /// The marks of a source that equals a default entry or a named source exactly.
            /// An entry in two lists, or a name also in a list, would be an unreachable arm:
            /// denied, so the build fails rather than the lists disagreeing.
            #[deny(unreachable_patterns)]
            pub(super) fn of_default_entry(source: &str) -> SourceMarks {
                match source {
                    $($($entry)|+ => SourceMarks::$list,)+
                    $($($name)|+ => SourceMarks::$mark,)+
                    _ => SourceMarks::NONE,
                }
            }
        }
    };
}

default_sources! {
    lists {
        SEARCH => [
            "google", "bing", "yahoo", "duckduckgo", "baidu", "yandex", "ecosia", "naver",
            "search.brave.com",
        ],
        SOCIAL => [
            "facebook", "fb", "instagram", "ig", "linkedin", "lnkd.in", "twitter", "t.co", "x",
            "tiktok", "pinterest", "reddit", "whatsapp", "telegram", "threads", "snapchat",
            "kwai", "quora",
        ],
        VIDEO => ["youtube", "vimeo", "twitch", "dailymotion"],
        SHOPPING => [
            "mercadolivre", "mercadolibre", "shopee", "amazon", "magalu", "americanas",
            "aliexpress", "google shopping",
        ],
    }
    names {
        // Rule 13.
        EMAIL => ["email", "e-mail", "e_mail", "e mail"],
        // Rule 17.
        SMS => ["sms"],
        // Rule 18.
        FIREBASE => ["firebase"],
    }
}

/// What the lists hold for one entry. An entry may be in GA4's list and in the project's (with
/// the same category for every default entry: a test checks it), and in none but the AI list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Listed {
    /// The entry is an AI assistant's (step 1).
    pub(super) ai: bool,
    /// Its category in GA4's list.
    pub(super) ga4: SourceMarks,
    /// Its category in the project's list (the caller's additions included).
    pub(super) project: SourceMarks,
}

impl Listed {
    /// The entry's category, GA4's winning where both lists hold the entry (step 2).
    pub(super) fn category(self) -> SourceMarks {
        if self.ga4 == SourceMarks::NONE {
            self.project
        } else {
            self.ga4
        }
    }
}

/// The default lists, indexed by their lowercased entries, and the longest entry: a candidate
/// longer than it cannot be in the index, so looking up a long source's suffixes stays linear.
#[derive(Debug)]
pub(super) struct Index {
    pub(super) entries: HashMap<Cow<'static, str>, Listed, BuildHasherDefault<Fnv>>,
    pub(super) longest: usize,
}

/// The index of the default lists, built on first use from the embedded files.
pub(super) static DEFAULT_INDEX: LazyLock<Index> = LazyLock::new(Index::build);

impl Index {
    fn build() -> Index {
        let mut entries: HashMap<Cow<'static, str>, Listed, BuildHasherDefault<Fnv>> =
            HashMap::default();
        for (source, category) in ga4_rows() {
            entries.entry(ascii_lowercase(source)).or_default().ga4 = category;
        }
        for (source, _) in ai_rows() {
            entries.entry(ascii_lowercase(source)).or_default().ai = true;
        }
        for (category, list) in PROJECT {
            for entry in list {
                entries.entry(Cow::Borrowed(*entry)).or_default().project = category;
            }
        }
        let longest = entries.keys().map(|entry| entry.len()).max().unwrap_or(0);
        Index { entries, longest }
    }

    /// What the default lists hold for `entry`, an ASCII-lowercased candidate.
    #[inline]
    pub(super) fn get(&self, entry: &str) -> Listed {
        if entry.len() > self.longest {
            return Listed::default();
        }
        self.entries.get(entry).copied().unwrap_or_default()
    }
}

/// An entry as the lists compare it: ASCII-lowercased, borrowed when it is already.
fn ascii_lowercase(entry: &'static str) -> Cow<'static, str> {
    if entry.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(entry.to_ascii_lowercase())
    } else {
        Cow::Borrowed(entry)
    }
}

/// The rows of a two-column CSV file with a header line, as (first, second). The files hold no
/// quoted fields (a test checks it); a line without a comma is skipped.
fn rows(csv: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    csv.lines()
        .skip(1)
        .filter_map(|line| line.trim_end_matches('\r').split_once(','))
}

/// GA4's rows: each source, as written, and its category. A category the crate does not know
/// (GA4 has none other today) gives no mark.
pub(super) fn ga4_rows() -> impl Iterator<Item = (&'static str, SourceMarks)> {
    rows(GA4_CSV).map(|(source, category)| {
        let marks = match category {
            "SOURCE_CATEGORY_SEARCH" => SourceMarks::SEARCH,
            "SOURCE_CATEGORY_SOCIAL" => SourceMarks::SOCIAL,
            "SOURCE_CATEGORY_VIDEO" => SourceMarks::VIDEO,
            "SOURCE_CATEGORY_SHOPPING" => SourceMarks::SHOPPING,
            _ => SourceMarks::NONE,
        };
        (source, marks)
    })
}

/// The AI assistants' rows: each source, as written, and the assistant's name.
pub(super) fn ai_rows() -> impl Iterator<Item = (&'static str, &'static str)> {
    rows(AI_CSV)
}

/// FNV-1a: the keys are short, fixed and not chosen by whoever sends a source (a lookup only
/// probes them), so a keyed hash buys nothing here and costs several times more per byte.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The crate's tables against the files, row by row.
#[cfg(test)]
mod tests {
    use super::{AI_CSV, DEFAULT_INDEX, GA4_CSV, Listed, PROJECT, ai_rows, ga4_rows};
    use crate::marketing::channel::SourceMarks;
    use std::collections::BTreeMap;

    /// The shared copies the crate's were taken from, when the checkout has them: a refresh
    /// copies them into `data/`, and this says when one was forgotten.
    #[test]
    fn the_embedded_files_are_the_shared_ones() {
        let root = env!("CARGO_MANIFEST_DIR");
        for (name, embedded) in [
            ("ga4_source_categories.csv", GA4_CSV),
            ("ai_assistants.csv", AI_CSV),
        ] {
            let ours = std::fs::read_to_string(format!("{root}/data/{name}")).unwrap();
            assert_eq!(ours, embedded, "data/{name}");
            if let Ok(shared) = std::fs::read_to_string(format!("{root}/../shared/data/{name}")) {
                assert_eq!(
                    shared, embedded,
                    "../shared/data/{name} differs from data/{name}"
                );
            }
        }
    }

    /// Each file read here on its own (a plain split of each line), and the index built from
    /// them: the same entries, no more, no fewer.
    #[test]
    fn the_index_holds_exactly_the_files_rows() {
        let mut expected: BTreeMap<String, Listed> = BTreeMap::new();
        let mut lines = GA4_CSV.lines();
        assert_eq!(lines.next(), Some("source,source_category"));
        let mut ga4 = 0;
        for line in lines {
            assert!(!line.contains('"'), "{line}");
            let fields: Vec<&str> = line.split(',').collect();
            let [source, category] = fields[..] else {
                panic!("{line}")
            };
            let category = match category {
                "SOURCE_CATEGORY_SEARCH" => SourceMarks::SEARCH,
                "SOURCE_CATEGORY_SOCIAL" => SourceMarks::SOCIAL,
                "SOURCE_CATEGORY_VIDEO" => SourceMarks::VIDEO,
                "SOURCE_CATEGORY_SHOPPING" => SourceMarks::SHOPPING,
                other => panic!("unknown category {other}"),
            };
            let entry = expected.entry(source.to_ascii_lowercase()).or_default();
            assert_eq!(entry.ga4, SourceMarks::NONE, "{source} twice");
            entry.ga4 = category;
            ga4 += 1;
        }
        assert_eq!(ga4, 819);
        assert_eq!(ga4_rows().count(), ga4);
        let mut lines = AI_CSV.lines();
        assert_eq!(lines.next(), Some("source,assistant"));
        let mut ai = 0;
        for line in lines {
            assert!(!line.contains('"'), "{line}");
            let fields: Vec<&str> = line.split(',').collect();
            let [source, assistant] = fields[..] else {
                panic!("{line}")
            };
            assert!(!assistant.is_empty(), "{line}");
            expected.entry(source.to_ascii_lowercase()).or_default().ai = true;
            ai += 1;
        }
        assert_eq!(ai, 30);
        assert_eq!(ai_rows().count(), ai);
        for (category, list) in PROJECT {
            for entry in list {
                expected.entry((*entry).to_owned()).or_default().project = category;
            }
        }
        let built: BTreeMap<String, Listed> = DEFAULT_INDEX
            .entries
            .iter()
            .map(|(entry, listed)| (entry.to_string(), *listed))
            .collect();
        assert_eq!(built, expected);
        let longest = expected.keys().map(String::len).max();
        assert_eq!(Some(DEFAULT_INDEX.longest), longest);
    }

    /// The project's entries that GA4's list holds too have GA4's category, and none is an AI
    /// assistant's: the short cut of `source_marks` relies on both.
    #[test]
    fn the_project_agrees_with_ga4() {
        for (category, list) in PROJECT {
            for entry in list {
                let listed = DEFAULT_INDEX.get(entry);
                assert!(!listed.ai, "{entry}");
                assert!(
                    listed.ga4 == SourceMarks::NONE || listed.ga4 == category,
                    "{entry}: GA4 says {:?}",
                    listed.ga4
                );
            }
        }
    }
}
