//! The Arrow kernels (`docs/rules.md` §4.8): no input panics or errors, every row is the library call on
//! that row, and a choice of fields gives the full result's columns.
//!
//! Input layout: the first byte picks the string type (`% 3`: `Utf8`, `LargeUtf8`,
//! `Utf8View`) and, in its high bits, the fields kept; the rest is split on `\n` into rows
//! (lossy UTF-8), a row that starts with NUL being a null. The same rows go through
//! `normalize_urls` (as URLs) and `validate_deals` (as payloads).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wegly_attribution::arrow::arrow_array::cast::AsArray;
use wegly_attribution::arrow::arrow_array::{
    Array, LargeStringArray, StringArray, StringViewArray, StructArray,
};
use wegly_attribution::arrow::{
    NormalizedField, normalize_urls, normalize_urls_fields, validate_deals,
};
use wegly_attribution::{CreateDealRequest, Marketing, Normalized, Warning};

/// How the tests read rows back; the same code checks the unit and property tests.
#[path = "../../tests/it/arrow_rows.rs"]
mod rows;

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let values: Vec<Option<&str>> = text
        .split('\n')
        .map(|line| (!line.starts_with('\0')).then_some(line))
        .collect();
    let array: Box<dyn Array> = match head % 3 {
        0 => Box::new(StringArray::from(values.clone())),
        1 => Box::new(LargeStringArray::from(values.clone())),
        _ => Box::new(StringViewArray::from(values.clone())),
    };

    let full = normalize_urls(array.as_ref()).expect("a string array normalizes");
    let deals = validate_deals(array.as_ref()).expect("a string array validates");
    assert_eq!((full.len(), deals.len()), (values.len(), values.len()));
    for (row, value) in values.iter().enumerate() {
        match value {
            None => assert!(full.is_null(row) && deals.is_null(row), "row {row}"),
            Some(value) => {
                assert_eq!(rows::url_row(&full, row), rows::expected_url_row(value));
                assert_eq!(rows::deal_row(&deals, row), rows::expected_deal_row(value));
            }
        }
    }

    // Fields: the high bits pick which, rotated by the type byte so that the order varies.
    let rotate = usize::from(head % 4);
    let fields: Vec<NormalizedField> = (0..4)
        .filter(|bit| head & (0x10 << bit) != 0)
        .map(|bit| NormalizedField::ALL[(bit + rotate) % 4])
        .collect();
    if fields.is_empty() {
        return;
    }
    let chosen = normalize_urls_fields(array.as_ref(), &fields).expect("fields each once");
    assert_eq!(chosen.nulls(), full.nulls());
    for (column, field) in chosen.columns().iter().zip(&fields) {
        let expected = full.column_by_name(field.name()).map(|c| c.to_data());
        assert_eq!(Some(column.to_data()), expected, "{}", field.name());
    }
});
