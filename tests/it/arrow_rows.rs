//! Reading result rows back into strings, shared by the unit tests (`src/arrow/tests.rs`, which
//! include this file by path) and `tests/it/arrow.rs`. The including module brings `Array`,
//! `AsArray` and `StructArray` into scope, from wherever it reaches `arrow_array`.

use super::{Array, AsArray, StructArray};

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
