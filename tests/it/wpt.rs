//! Conformance with the WHATWG urlencoded parser: every case of the web-platform-tests file
//! `urlencoded-parser.any.js`, compared pair by pair and by count (`docs/rules.md` §2.2 rule 2).

use serde::Deserialize;
use wegly_attribution::query_pairs;

#[derive(Debug, Deserialize)]
struct Case {
    input: String,
    output: Vec<(String, String)>,
}

fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("../data/wpt-urlencoded.json")).unwrap()
}

#[test]
fn the_file_holds_every_case() {
    // An emptied or truncated file must not pass silently.
    assert_eq!(cases().len(), 35);
}

#[test]
fn query_pairs_passes_every_case() {
    for (i, case) in cases().iter().enumerate() {
        let got: Vec<(String, String)> = query_pairs(&case.input)
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        for (j, (got, expected)) in got.iter().zip(&case.output).enumerate() {
            assert_eq!(
                got, expected,
                "case {i} (input {:?}): pair {j} differs",
                case.input
            );
        }
        assert_eq!(
            got.len(),
            case.output.len(),
            "case {i} (input {:?}): got {got:?}, expected {:?}",
            case.input,
            case.output
        );
    }
}
