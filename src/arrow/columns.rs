//! Column builders that report, rather than panic on, a batch too large for 32-bit offsets.

use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, ListArray, StructArray};
use arrow_buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Fields};

use super::KernelError;

/// The most bytes a `Utf8` column, or items a `List`, can hold: its offsets are `i32`.
const MAX_OFFSET: usize = i32::MAX as usize;

/// A `Utf8` column, checked against offset overflow before every append.
pub(super) struct Text {
    builder: StringBuilder,
    column: &'static str,
    limit: usize,
}

impl Text {
    pub(super) fn new(column: &'static str, rows: usize) -> Self {
        Self::with_capacity(column, rows, rows.saturating_mul(16))
    }

    /// A column sized for `values` values of `bytes` bytes in all. Growing a column copies
    /// all it holds, so a kernel that can foresee its text (the URLs it copies) says so; room
    /// reserved and never written costs no more than address space.
    pub(super) fn with_capacity(column: &'static str, values: usize, bytes: usize) -> Self {
        Self {
            builder: StringBuilder::with_capacity(values, bytes.min(MAX_OFFSET)),
            column,
            limit: MAX_OFFSET,
        }
    }

    /// A column that holds at most `limit` bytes, to test the overflow path cheaply.
    #[cfg(test)]
    pub(super) fn with_limit(column: &'static str, limit: usize) -> Self {
        Self {
            limit,
            ..Self::new(column, 1)
        }
    }

    // Always: 30 appends a row, and a call's prologue costs as much as the check.
    #[inline(always)]
    pub(super) fn push(&mut self, value: &str) -> Result<(), KernelError> {
        if self
            .builder
            .values_slice()
            .len()
            .saturating_add(value.len())
            > self.limit
        {
            return Err(KernelError::overflow(self.column));
        }
        self.builder.append_value(value);
        Ok(())
    }

    #[inline]
    pub(super) fn push_option(&mut self, value: Option<&str>) -> Result<(), KernelError> {
        match value {
            Some(value) => self.push(value),
            None => {
                self.builder.append_null();
                Ok(())
            }
        }
    }

    pub(super) fn finish(mut self) -> ArrayRef {
        Arc::new(self.builder.finish())
    }
}

/// The offsets of a `List` or `Map` column: one entry per row, the end of its items.
pub(super) struct Offsets {
    ends: Vec<i32>,
    column: &'static str,
}

impl Offsets {
    pub(super) fn new(column: &'static str, rows: usize) -> Self {
        let mut ends = Vec::with_capacity(rows.saturating_add(1));
        ends.push(0);
        Self { ends, column }
    }

    /// Ends the current row at `items`, the number of child items so far.
    pub(super) fn close(&mut self, items: usize) -> Result<(), KernelError> {
        let end = i32::try_from(items).map_err(|_| KernelError::overflow(self.column))?;
        self.ends.push(end);
        Ok(())
    }

    pub(super) fn finish(self) -> OffsetBuffer<i32> {
        // OK because `ends` starts at 0 and every `close` passes the count of child items
        // appended so far, which never decreases: the offsets are non-negative and monotonic,
        // which is all `OffsetBuffer::new` asserts.
        OffsetBuffer::new(ScalarBuffer::from(self.ends))
    }
}

/// A `list<struct<...>>` column of items with string fields, filled row by row.
pub(super) struct TextStructs<const N: usize> {
    fields: Fields,
    columns: [Text; N],
    items: usize,
    offsets: Offsets,
}

impl<const N: usize> TextStructs<N> {
    /// Columns for `rows` rows of `items` items in all, each field's text taking the bytes
    /// of `bytes` (a foresight, as in [`Text::with_capacity`]).
    pub(super) fn with_capacity(
        column: &'static str,
        fields: Fields,
        names: [&'static str; N],
        (rows, items): (usize, usize),
        bytes: [usize; N],
    ) -> Self {
        let mut bytes = bytes.into_iter();
        Self {
            fields,
            columns: names.map(|name| Text::with_capacity(name, items, bytes.next().unwrap_or(0))),
            items: 0,
            offsets: Offsets::new(column, rows),
        }
    }

    pub(super) fn push(&mut self, item: [&str; N]) -> Result<(), KernelError> {
        for (column, value) in self.columns.iter_mut().zip(item) {
            column.push(value)?;
        }
        self.items = self.items.saturating_add(1);
        Ok(())
    }

    /// Ends the current row (an empty list when nothing was pushed; null if the row is).
    pub(super) fn close(&mut self) -> Result<(), KernelError> {
        self.offsets.close(self.items)
    }

    pub(super) fn finish(self, nulls: Option<NullBuffer>) -> Result<ArrayRef, KernelError> {
        let items = StructArray::try_new(
            self.fields.clone(),
            self.columns.into_iter().map(Text::finish).collect(),
            None,
        )?;
        let item = Arc::new(Field::new_list_field(DataType::Struct(self.fields), true));
        let list = ListArray::try_new(item, self.offsets.finish(), Arc::new(items), nulls)?;
        Ok(Arc::new(list))
    }
}
