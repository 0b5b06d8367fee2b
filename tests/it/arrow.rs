//! The Arrow kernels (SPEC 4.8): every row equals the library call on that row.

use proptest::prelude::*;
use wegly_attribution::arrow::arrow_array::cast::AsArray;
use wegly_attribution::arrow::arrow_array::{Array, StringArray, StructArray};
use wegly_attribution::arrow::{normalize_urls, validate_deals};
use wegly_attribution::{CreateDealRequest, Marketing};

#[path = "arrow_rows.rs"]
mod rows;

use rows::items;

fn url_row(rows: &StructArray, row: usize) -> serde_json::Value {
    let map = rows.column_by_name("marketing").unwrap().as_map();
    let entries = map.value(row);
    let (keys, values) = (
        entries.column(0).as_string::<i32>(),
        entries.column(1).as_string::<i32>(),
    );
    let marketing: serde_json::Map<String, serde_json::Value> = (0..entries.len())
        .map(|i| (keys.value(i).to_owned(), values.value(i).into()))
        .collect();
    let channel = rows.column_by_name("channel").unwrap().as_struct();
    let text = |i: usize| {
        let column = channel.column(i).as_string::<i32>();
        column.is_valid(row).then(|| column.value(row))
    };
    serde_json::json!({
        "marketing": marketing,
        "click_ids": items(rows, "click_ids", row),
        "channel": {"channel": text(0), "source": text(1), "medium": text(2)},
        "warnings": items(rows, "warnings", row),
    })
}

fn expected_url_row(url: &str) -> serde_json::Value {
    let n = Marketing::from_url(url);
    let ids: Vec<Vec<String>> = n
        .marketing
        .click_ids()
        .iter()
        .map(|id| {
            vec![
                id.param.to_string(),
                id.platform.as_str().to_owned(),
                id.value.to_string(),
            ]
        })
        .collect();
    let warnings: Vec<Vec<String>> = n
        .warnings
        .iter()
        .map(|w| {
            vec![
                w.path.to_string(),
                w.code.as_str().to_owned(),
                w.message.to_string(),
            ]
        })
        .collect();
    serde_json::json!({
        "marketing": serde_json::to_value(&n.marketing).unwrap(),
        "click_ids": ids,
        "channel": serde_json::to_value(n.marketing.channel()).unwrap(),
        "warnings": warnings,
    })
}

fn deal_row(rows: &StructArray, row: usize) -> serde_json::Value {
    let ok = rows.column_by_name("ok").unwrap().as_boolean();
    let request = rows.column_by_name("request").unwrap().as_string::<i32>();
    serde_json::json!({
        "ok": ok.value(row),
        "request": request.is_valid(row).then(|| request.value(row)),
        "errors": items(rows, "errors", row),
        "warnings": items(rows, "warnings", row),
    })
}

fn expected_deal_row(payload: &str) -> serde_json::Value {
    let problems = |list: Vec<(String, &str, String)>| -> Vec<Vec<String>> {
        list.into_iter()
            .map(|(p, c, m)| vec![p, c.to_owned(), m])
            .collect()
    };
    let warnings = |w: &[wegly_attribution::Warning]| {
        problems(
            w.iter()
                .map(|w| (w.path.to_string(), w.code.as_str(), w.message.to_string()))
                .collect(),
        )
    };
    match CreateDealRequest::from_json(payload.as_bytes()) {
        Ok(v) => serde_json::json!({
            "ok": true,
            "request": serde_json::to_string(&v.request).unwrap(),
            "errors": Vec::<Vec<String>>::new(),
            "warnings": warnings(&v.warnings),
        }),
        Err(r) => serde_json::json!({
            "ok": false,
            "request": null,
            "errors": problems(r.errors.iter().map(|e| (e.path.to_string(), e.code.as_str(), e.message.to_string())).collect()),
            "warnings": warnings(&r.warnings),
        }),
    }
}

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
