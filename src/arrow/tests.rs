#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use arrow_array::cast::AsArray;
use arrow_array::{
    Array, BinaryArray, Int32Array, LargeStringArray, StringArray, StringViewArray, StructArray,
};
use arrow_schema::DataType;

use super::*;
use crate::Normalized;

#[path = "../../tests/it/arrow_rows.rs"]
mod rows;

use rows::{deal_row, expected_deal_row, expected_url_row, items, url_row};

#[test]
fn every_string_type_gives_the_same_rows() {
    let urls = [
        Some("https://x.com.br/lp?UTM_Source=Google&gclid=AbC#utm_medium=cpc"),
        None,
        Some(""),
    ];
    let utf8 = normalize_urls(&StringArray::from(urls.to_vec())).unwrap();
    let large = normalize_urls(&LargeStringArray::from(urls.to_vec())).unwrap();
    let view = normalize_urls(&StringViewArray::from(urls.to_vec())).unwrap();
    assert_eq!(utf8, large);
    assert_eq!(utf8, view);
    assert_eq!(utf8.data_type(), &normalized_type());
    assert_eq!((utf8.len(), utf8.null_count()), (3, 1));
}

#[test]
fn rows_are_the_library_call() {
    let cases = [
        "https://x.com.br/lp?UTM_Source=Google&gclid=AbC#utm_medium=cpc",
        "x.com.br/?msclkid=M1&fbclid=F1&amp;utm_campaign=bf",
        "",
        "no query at all",
    ];
    let rows = normalize_urls(&StringArray::from(cases.to_vec())).unwrap();
    for (row, url) in cases.iter().enumerate() {
        assert_eq!(
            url_row(&rows, row),
            expected_url_row(url),
            "row {row}: {url}"
        );
    }
}

#[test]
fn a_null_row_is_null_in_every_column() {
    let rows = normalize_urls(&StringArray::from(vec![None, Some("?gclid=1")])).unwrap();
    assert!(rows.is_null(0));
    for column in rows.columns() {
        assert!(column.is_null(0), "{:?}", column.data_type());
        assert!(column.is_valid(1), "{:?}", column.data_type());
    }
    let rows = validate_deals(&StringArray::from(vec![None, Some("{}")])).unwrap();
    for column in rows.columns() {
        assert!(column.is_null(0), "{:?}", column.data_type());
    }
}

#[test]
fn a_sliced_input_keeps_its_rows() {
    let urls = StringArray::from(vec![Some("?gclid=A"), None, Some("?gclid=C")]);
    let sliced = urls.slice(1, 2);
    let rows = normalize_urls(&sliced).unwrap();
    assert!(rows.is_null(0));
    assert_eq!(items(&rows, "click_ids", 1)[0][2], "C");
}

#[test]
fn deals_are_the_library_call() {
    let cases = [
        (
            r#"{"title": " Deal ", "marketing": {"url_conversion": "?utm_source=fb"}}"#,
            true,
        ),
        (r#"{"title": "", "visibility": 9}"#, false),
        ("", false),
        ("   ", false),
        ("not json", false),
    ];
    let payloads: Vec<&str> = cases.iter().map(|(p, _)| *p).collect();
    let rows = validate_deals(&StringArray::from(payloads)).unwrap();
    for (row, (payload, valid)) in cases.iter().enumerate() {
        let got = deal_row(&rows, row);
        assert_eq!(got["ok"], *valid, "row {row}");
        assert_eq!(got, expected_deal_row(payload), "row {row}");
    }
    assert_eq!(
        items(&rows, "errors", 2)[0][..2],
        ["".to_owned(), "invalid_json".to_owned()]
    );
}

#[test]
fn other_types_are_refused() {
    let cases: [(Box<dyn Array>, DataType); 2] = [
        (Box::new(Int32Array::from(vec![1])), DataType::Int32),
        (
            Box::new(BinaryArray::from(vec![&b"?gclid=1"[..]])),
            DataType::Binary,
        ),
    ];
    for (array, data_type) in cases {
        let err = normalize_urls(array.as_ref()).unwrap_err();
        assert_eq!(err.unsupported_type(), Some(&data_type));
        let err = validate_deals(array.as_ref()).unwrap_err();
        assert_eq!(err.unsupported_type(), Some(&data_type));
    }
}

#[test]
fn an_empty_array_gives_an_empty_result() {
    let rows = normalize_urls(&StringArray::from(Vec::<&str>::new())).unwrap();
    assert_eq!((rows.len(), rows.data_type()), (0, &normalized_type()));
    let rows = validate_deals(&StringViewArray::from(Vec::<&str>::new())).unwrap();
    assert_eq!((rows.len(), rows.data_type()), (0, &validated_type()));
}

#[test]
fn overflow_is_an_error() {
    let mut text = columns::Text::with_limit("marketing", 10);
    assert!(text.push("0123456789").is_ok());
    let err = text.push("x").unwrap_err();
    assert_eq!(
        err.to_string(),
        "column `marketing` would exceed 2 GiB (32-bit offsets) in one batch: split the batch"
    );
    let mut offsets = columns::Offsets::new("click_ids", 1);
    assert!(offsets.close(i32::MAX as usize).is_ok());
    let err = offsets.close(i32::MAX as usize + 1).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("column `click_ids` would exceed"),
        "{err}"
    );
}

#[test]
fn chosen_fields_are_the_full_result_s_columns() {
    use NormalizedField::{Channel, ClickIds, Marketing, Warnings};
    let urls = StringArray::from(vec![
        Some("https://x.com.br/lp?UTM_Source=Google&gclid=AbC#utm_medium=cpc"),
        None,
        Some(""),
        Some("/app#/lp?utm_source=fb&fbclid=F1&utm_source=tw"),
    ]);
    let full = normalize_urls(&urls).unwrap();
    let choices: [&[NormalizedField]; 6] = [
        &[Marketing],
        &[ClickIds],
        &[Channel],
        &[Warnings],
        &[Warnings, Marketing],
        &[Channel, Warnings, ClickIds, Marketing],
    ];
    for fields in choices {
        let rows = normalize_urls_fields(&urls, fields).unwrap();
        let names: Vec<&str> = rows.fields().iter().map(|f| f.name().as_str()).collect();
        let wanted: Vec<&str> = fields.iter().map(|f| f.name()).collect();
        assert_eq!(names, wanted);
        assert_eq!(rows.nulls(), full.nulls(), "{fields:?}");
        for field in fields {
            assert_eq!(
                rows.column_by_name(field.name()).map(|c| c.to_data()),
                full.column_by_name(field.name()).map(|c| c.to_data()),
                "{fields:?}: {}",
                field.name()
            );
        }
    }
    assert_eq!(
        normalize_urls_fields(&urls, &NormalizedField::ALL).unwrap(),
        full
    );
}

#[test]
fn no_field_or_a_field_twice_is_an_error() {
    use NormalizedField::{Channel, Marketing};
    let urls = StringArray::from(vec!["?gclid=1"]);
    for fields in [
        &[][..],
        &[Channel, Channel],
        &[Marketing, Channel, Marketing],
    ] {
        let err = normalize_urls_fields(&urls, fields).unwrap_err();
        assert_eq!(err.invalid_fields(), Some(fields));
        assert!(
            err.to_string().starts_with("choose at least one field"),
            "{err}"
        );
    }
    let err = normalize_urls_fields(&urls, &[Channel, Marketing, Channel]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "choose at least one field of the result, each once; found [channel, marketing, channel]"
    );
    // With the fields right, an input of the wrong type is reported as such.
    let err = normalize_urls_fields(&Int32Array::from(vec![1]), &[Channel]).unwrap_err();
    assert_eq!(err.unsupported_type(), Some(&DataType::Int32));
}
