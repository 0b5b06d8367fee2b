//! The Arrow kernels (`docs/rules.md` §4.8): every row equals the library call on that row.

use proptest::prelude::*;
use wegly_attribution::arrow::arrow_array::cast::AsArray;
use wegly_attribution::arrow::arrow_array::{Array, StringArray, StructArray};
use wegly_attribution::arrow::{
    NormalizedField, normalize_urls, normalize_urls_fields, validate_deals,
};
use wegly_attribution::{CreateDealRequest, Marketing, Normalized, Warning};

#[path = "arrow_rows.rs"]
mod rows;

use rows::{deal_row, expected_deal_row, expected_url_row, url_row};

/// A create-deal payload: valid, nearly valid (one member broken), or not JSON at all.
fn payload() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => crate::deal::valid_payload().prop_map(|p| p.to_string()),
        2 => (crate::deal::valid_payload(), prop::sample::select(vec![
            ("title", serde_json::json!("")),
            ("value", serde_json::json!(10.555)),
            ("visibility", serde_json::json!(9)),
            ("stage_id", serde_json::json!("abc")),
            ("referrer", serde_json::json!("x")),
            ("marketing", serde_json::json!({"utm_source": 1})),
        ])).prop_map(|(mut p, (key, value))| { p[key] = value; p.to_string() }),
        1 => "[ {}\"a-z:,]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn normalize_urls_rows_are_from_url(urls in prop::collection::vec(prop::option::weighted(0.9, crate::properties::messy_url()), 0..8)) {
        let array = StringArray::from(urls.clone());
        let rows = normalize_urls(&array).unwrap();
        prop_assert_eq!(rows.len(), urls.len());
        for (row, url) in urls.iter().enumerate() {
            match url {
                None => prop_assert!(rows.is_null(row)),
                Some(url) => prop_assert_eq!(url_row(&rows, row), expected_url_row(url), "url {:?}", url),
            }
        }
    }

    #[test]
    fn chosen_fields_are_the_full_result_s(
        urls in prop::collection::vec(prop::option::weighted(0.9, crate::properties::messy_url()), 0..8),
        fields in Just(NormalizedField::ALL.to_vec()).prop_shuffle(),
        keep in 1..=4usize,
    ) {
        // Some of the fields, in any order: each column is the full result's.
        let fields = fields.get(..keep).unwrap_or(&fields);
        let array = StringArray::from(urls);
        let full = normalize_urls(&array).unwrap();
        let rows = normalize_urls_fields(&array, fields).unwrap();
        prop_assert_eq!(rows.nulls(), full.nulls());
        prop_assert_eq!(rows.num_columns(), fields.len());
        for (column, field) in rows.columns().iter().zip(fields) {
            let expected = full.column_by_name(field.name()).map(|c| c.to_data());
            prop_assert_eq!(Some(column.to_data()), expected, "{}", field.name());
        }
    }

    #[test]
    fn validate_deals_rows_are_from_json(payloads in prop::collection::vec(prop::option::weighted(0.9, payload()), 0..8)) {
        let array = StringArray::from(payloads.clone());
        let rows = validate_deals(&array).unwrap();
        prop_assert_eq!(rows.len(), payloads.len());
        for (row, payload) in payloads.iter().enumerate() {
            match payload {
                None => prop_assert!(rows.is_null(row)),
                Some(payload) => prop_assert_eq!(deal_row(&rows, row), expected_deal_row(payload), "payload {}", payload),
            }
        }
    }
}

#[test]
fn the_sample_files_match_row_by_row() {
    let urls: Vec<&str> = include_str!("../../examples/urls.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let rows = normalize_urls(&StringArray::from(urls.clone())).unwrap();
    for (row, url) in urls.iter().enumerate() {
        assert_eq!(url_row(&rows, row), expected_url_row(url), "url {url:?}");
    }
    let deals: Vec<&str> = include_str!("../../examples/deals.ndjson")
        .lines()
        .collect();
    let rows = validate_deals(&StringArray::from(deals.clone())).unwrap();
    for (row, payload) in deals.iter().enumerate() {
        assert_eq!(
            deal_row(&rows, row),
            expected_deal_row(payload),
            "payload {payload}"
        );
    }
}
