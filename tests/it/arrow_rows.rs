//! Reading result rows back, and the rows the library calls give, shared by the unit tests
//! (`src/arrow/tests.rs`, which include this file by path) and `tests/it/arrow.rs`. The
//! including module brings `Array`, `AsArray`, `StructArray`, `Marketing`, `CreateDealRequest`
//! and `Warning` into scope, from wherever it reaches them.

use super::{Array, AsArray, CreateDealRequest, Marketing, Normalized, StructArray, Warning};

/// The strings of a `list<struct<...>>` row, one `Vec` per item, field by field.
pub(super) fn items(rows: &StructArray, column: &str, row: usize) -> Vec<Vec<String>> {
    let list = rows.column_by_name(column).unwrap().as_list::<i32>();
    let items = list.value(row);
    let items = items.as_struct();
    (0..items.len())
        .map(|i| {
            items
                .columns()
                .iter()
                .map(|c| c.as_string::<i32>().value(i).to_owned())
                .collect()
        })
        .collect()
}

/// One row of `normalize_urls` as JSON: the `marketing` entries in order, as pairs.
pub(super) fn url_row(rows: &StructArray, row: usize) -> serde_json::Value {
    let map = rows.column_by_name("marketing").unwrap().as_map();
    let entries = map.value(row);
    let (keys, values) = (
        entries.column(0).as_string::<i32>(),
        entries.column(1).as_string::<i32>(),
    );
    let marketing: Vec<(&str, &str)> = (0..entries.len())
        .map(|i| (keys.value(i), values.value(i)))
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

/// What [`url_row`] must read for `url`: `Marketing::from_url`, its click ids and channel.
pub(super) fn expected_url_row(url: &str) -> serde_json::Value {
    let n = Normalized::from_url(url);
    let marketing: Vec<(&str, &str)> = n.marketing.iter().collect();
    let ids: Vec<Vec<String>> = n
        .marketing
        .click_ids()
        .map(|id| item([id.param, id.platform.as_str(), id.value]))
        .collect();
    serde_json::json!({
        "marketing": marketing,
        "click_ids": ids,
        "channel": serde_json::to_value(n.marketing.channel()).unwrap(),
        "warnings": warnings(&n.warnings),
    })
}

/// One row of `validate_deals` as JSON.
pub(super) fn deal_row(rows: &StructArray, row: usize) -> serde_json::Value {
    let ok = rows.column_by_name("ok").unwrap().as_boolean();
    let request = rows.column_by_name("request").unwrap().as_string::<i32>();
    let channel = rows.column_by_name("channel").unwrap().as_struct();
    let text = |i: usize| {
        let column = channel.column(i).as_string::<i32>();
        column.is_valid(row).then(|| column.value(row))
    };
    let channel = channel
        .is_valid(row)
        .then(|| serde_json::json!({"channel": text(0), "source": text(1), "medium": text(2)}));
    serde_json::json!({
        "ok": ok.value(row),
        "request": request.is_valid(row).then(|| request.value(row)),
        "channel": channel,
        "errors": items(rows, "errors", row),
        "warnings": items(rows, "warnings", row),
    })
}

/// What [`deal_row`] must read for `payload`: `CreateDealRequest::from_json`.
pub(super) fn expected_deal_row(payload: &str) -> serde_json::Value {
    match CreateDealRequest::from_json(payload.as_bytes()) {
        Ok(v) => serde_json::json!({
            "ok": true,
            "request": serde_json::to_string(&v.request).unwrap(),
            // As the CLI's `normalize` writes it beside the request.
            "channel": serde_json::to_value(
                v.request.marketing().map_or_else(
                    || Marketing::from_url("").channel().into_owned(),
                    |m| m.channel().into_owned(),
                ),
            )
            .unwrap(),
            "errors": Vec::<Vec<String>>::new(),
            "warnings": warnings(&v.warnings),
        }),
        Err(r) => {
            let errors: Vec<Vec<String>> = r
                .errors
                .iter()
                .map(|e| {
                    item([
                        &e.path().to_string(),
                        e.code().as_str(),
                        &e.message().to_string(),
                    ])
                })
                .collect();
            serde_json::json!({
                "ok": false,
                "request": null,
                "channel": null,
                "errors": errors,
                "warnings": warnings(&r.warnings),
            })
        }
    }
}

/// Warnings as the `warnings` column holds them: path, code, message.
fn warnings(warnings: &[Warning]) -> Vec<Vec<String>> {
    warnings
        .iter()
        .map(|w| {
            item([
                &w.path().to_string(),
                w.code().as_str(),
                &w.message().to_string(),
            ])
        })
        .collect()
}

/// One item of a `list<struct<...>>` column as [`items`] reads it: its strings, in order.
fn item(fields: [&str; 3]) -> Vec<String> {
    fields.map(str::to_owned).to_vec()
}
