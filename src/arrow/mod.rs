//! Arrow kernels: the library over whole columns of URLs or payloads (`docs/rules.md` §4.8, feature `arrow`).
//!
//! Warehouse engines (Spark, Ray, Dask, DuckDB, Polars) hand user functions Arrow arrays. The
//! two kernels here take a string array (`Utf8`, `LargeUtf8` or `Utf8View`) and return a
//! [`StructArray`] with one row per input row, equal to the library call on that row; a null
//! row gives a null row. The Python package `wegly_attribution` (in `python/`) wraps them.
//!
//! - [`normalize_urls`]: [`Marketing::from_url`], its [`click_ids`](Marketing::click_ids),
//!   [`channel`](Marketing::channel) and warnings, as the fields of [`normalized_fields`];
//!   [`normalize_urls_fields`] builds only the [`NormalizedField`]s asked for.
//! - [`validate_deals`]: [`CreateDealRequest::from_json`], the request as the JSON the
//!   command-line tool writes, its channel (as `normalize_urls` gives it), errors and warnings,
//!   as the fields of [`validated_fields`].
//!
//! ```
//! use wegly_attribution::arrow::{arrow_array::{Array, StringArray, cast::AsArray}, normalize_urls};
//!
//! let urls = StringArray::from(vec![Some("https://x.com.br/lp?utm_source=google&gclid=AbC"), None]);
//! let rows = normalize_urls(&urls)?;
//! let marketing = rows.column_by_name("marketing").map(|c| c.as_map());
//! assert_eq!(marketing.map(|m| m.value_length(0)), Some(4)); // gclid, url, utm and wegly source
//! assert!(rows.is_null(1));
//! # Ok::<(), wegly_attribution::arrow::KernelError>(())
//! ```

mod columns;
mod schema;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;

use arrow_array::builder::BooleanBuilder;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, MapArray, StructArray};
use arrow_buffer::{NullBuffer, NullBufferBuilder};
use arrow_schema::{ArrowError, DataType};

pub use arrow_array;
pub use arrow_schema;
pub use schema::{
    NormalizedField, normalized_fields, normalized_type, validated_fields, validated_type,
};

use crate::{CreateDealRequest, Marketing, Normalizer, ValidationError, Warning};
use columns::{Offsets, Text, TextStructs};

/// Why a kernel could not produce its result.
///
/// ```
/// use wegly_attribution::arrow::{arrow_array::Int64Array, normalize_urls};
/// let err = normalize_urls(&Int64Array::from(vec![1])).unwrap_err();
/// assert_eq!(err.to_string(), "expected a Utf8, LargeUtf8 or Utf8View array, found Int64");
/// ```
#[derive(Debug)]
pub struct KernelError {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    UnsupportedType(DataType),
    Overflow(&'static str),
    /// The fields chosen: none, or one of them twice.
    Fields(Vec<NormalizedField>),
    Arrow(ArrowError),
    Json(serde_json::Error),
}

impl KernelError {
    /// The input's type, when the kernel was given an array that is not a string array.
    ///
    /// ```
    /// use wegly_attribution::arrow::{arrow_array::Int64Array, arrow_schema::DataType, validate_deals};
    /// let err = validate_deals(&Int64Array::from(vec![1])).unwrap_err();
    /// assert_eq!(err.unsupported_type(), Some(&DataType::Int64));
    /// ```
    #[must_use]
    pub fn unsupported_type(&self) -> Option<&DataType> {
        match &self.kind {
            Kind::UnsupportedType(data_type) => Some(data_type),
            _ => None,
        }
    }

    /// The fields given to [`normalize_urls_fields`], when they were none, or named one twice.
    ///
    /// ```
    /// use wegly_attribution::arrow::{arrow_array::StringArray, normalize_urls_fields, NormalizedField};
    /// let twice = [NormalizedField::Channel, NormalizedField::Channel];
    /// let err = normalize_urls_fields(&StringArray::from(vec!["?gclid=1"]), &twice).unwrap_err();
    /// assert_eq!(err.invalid_fields(), Some(&twice[..]));
    /// ```
    #[must_use]
    pub fn invalid_fields(&self) -> Option<&[NormalizedField]> {
        match &self.kind {
            Kind::Fields(fields) => Some(fields),
            _ => None,
        }
    }

    #[cold]
    fn overflow(column: &'static str) -> Self {
        Self {
            kind: Kind::Overflow(column),
        }
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::UnsupportedType(found) => {
                write!(
                    f,
                    "expected a Utf8, LargeUtf8 or Utf8View array, found {found}"
                )
            }
            Kind::Overflow(column) => write!(
                f,
                "column `{column}` would exceed 2 GiB (32-bit offsets) in one batch: split the batch"
            ),
            Kind::Fields(fields) => {
                f.write_str("choose at least one field of the result, each once; found [")?;
                for (i, field) in fields.iter().enumerate() {
                    let comma = if i == 0 { "" } else { ", " };
                    write!(f, "{comma}{field}")?;
                }
                f.write_str("]")
            }
            Kind::Arrow(err) => write!(f, "building the result: {err}"),
            Kind::Json(err) => write!(f, "writing the request as JSON: {err}"),
        }
    }
}

impl std::error::Error for KernelError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Kind::Arrow(err) => Some(err),
            Kind::Json(err) => Some(err),
            Kind::UnsupportedType(_) | Kind::Overflow(_) | Kind::Fields(_) => None,
        }
    }
}

impl From<ArrowError> for KernelError {
    #[cold]
    fn from(err: ArrowError) -> Self {
        Self {
            kind: Kind::Arrow(err),
        }
    }
}

/// The attribution of each URL of a string array: [`Marketing::from_url`] row by row.
///
/// The result has the fields of [`normalized_fields`]: `marketing` (the normalized object, keys
/// in ascending byte order), `click_ids` (as [`Marketing::click_ids`]), `channel` (as
/// [`Marketing::channel`]: `channel`, `source`, `medium`) and `warnings` (`path`, `code`,
/// `message`). A null URL gives a null row; an empty one an empty `marketing`.
///
/// # Errors
///
/// When `urls` is not a `Utf8`, `LargeUtf8` or `Utf8View` array, or when a result column
/// would outgrow 32-bit offsets (more than 2 GiB of text in one batch).
///
/// ```
/// use wegly_attribution::arrow::{arrow_array::{cast::AsArray, LargeStringArray}, normalize_urls};
///
/// let urls = LargeStringArray::from(vec!["?fbclid=F1&utm_medium=cpc"]);
/// let rows = normalize_urls(&urls)?;
/// let click_ids = rows.column_by_name("click_ids").map(|c| c.as_list::<i32>().value(0));
/// let platform = click_ids.as_ref().and_then(|ids| ids.as_struct().column_by_name("platform"));
/// assert_eq!(platform.map(|p| p.as_string::<i32>().value(0)), Some("meta"));
/// # Ok::<(), wegly_attribution::arrow::KernelError>(())
/// ```
pub fn normalize_urls(urls: &dyn Array) -> Result<StructArray, KernelError> {
    normalize_urls_fields(urls, &NormalizedField::ALL)
}

/// [`normalize_urls`] with only some of its fields, in the order given: the same values, and
/// no work spent on the others.
///
/// An engine that converts every field a function returns (Spark does) converts less, and
/// the kernel itself skips the columns left out. Without `click_ids`, `channel` and
/// `warnings`, it ran about 1.5 times as fast in the project's benchmark.
///
/// # Errors
///
/// As [`normalize_urls`], and when `fields` is empty or names a field twice
/// ([`KernelError::invalid_fields`]).
///
/// ```
/// use wegly_attribution::arrow::{arrow_array::{cast::AsArray, StringArray}, normalize_urls_fields, NormalizedField};
///
/// let urls = StringArray::from(vec!["/lp?utm_source=newsletter&utm_medium=email"]);
/// let rows = normalize_urls_fields(&urls, &[NormalizedField::Channel, NormalizedField::Marketing])?;
/// let names: Vec<&str> = rows.fields().iter().map(|f| f.name().as_str()).collect();
/// assert_eq!(names, ["channel", "marketing"]);
/// let channel = rows.column(0).as_struct().column_by_name("channel").map(|c| c.as_string::<i32>().value(0));
/// assert_eq!(channel, Some("email"));
/// # Ok::<(), wegly_attribution::arrow::KernelError>(())
/// ```
pub fn normalize_urls_fields(
    urls: &dyn Array,
    fields: &[NormalizedField],
) -> Result<StructArray, KernelError> {
    // The fields as a set of bits: `None` when one comes twice, or none at all.
    let chosen = fields
        .iter()
        .try_fold(0u8, |set, field| {
            (set & field.bit() == 0).then_some(set | field.bit())
        })
        .filter(|&set| set != 0);
    let Some(chosen) = chosen else {
        return Err(KernelError {
            kind: Kind::Fields(fields.to_vec()),
        });
    };
    let mut columns = NormalizedColumns::new(urls.len(), text_bytes(urls), chosen);
    // `Normalized::from_url` row by row, in one object whose allocations each row reuses.
    // Warnings are made only for the `warnings` column, and their text written only there.
    let normalizer = Normalizer::new();
    let keep_warnings = columns.warnings.is_some();
    let mut marketing = Marketing::default();
    for_each_row(urls, |url| match url {
        Some(url) if keep_warnings => {
            let mut d = normalizer.diagnostics();
            normalizer.normalize_url_into(url, &mut marketing, &mut d);
            columns.push(&marketing, &d.take_warnings())
        }
        Some(url) => {
            normalizer.url_marketing_into(url, &mut marketing);
            columns.push(&marketing, &[])
        }
        None => columns.push_null(),
    })?;
    columns.finish(fields, urls.nulls().cloned())
}

/// The validation of each create-deal payload of a string array:
/// [`CreateDealRequest::from_json`] row by row.
///
/// The result has the fields of [`validated_fields`]: `ok`, `request` (the normalized request
/// as JSON, exactly what `wegly-attribution normalize` writes; null when rejected), `channel`
/// (the request's [`Marketing::channel`], the struct `normalize_urls` gives and the `channel`
/// the command-line tool writes beside the request; null when rejected), `errors` and
/// `warnings` (`path`, `code`, `message`; `errors` is empty when `ok`). A null payload
/// gives a null row; a blank one is a payload like any other (`invalid_json`).
///
/// # Errors
///
/// When `payloads` is not a `Utf8`, `LargeUtf8` or `Utf8View` array, or when a result column
/// would outgrow 32-bit offsets (more than 2 GiB of text in one batch).
///
/// ```
/// use wegly_attribution::arrow::{arrow_array::{cast::AsArray, Array, StringViewArray}, validate_deals};
///
/// let payloads = StringViewArray::from(vec![r#"{"title": " Deal "}"#, ""]);
/// let rows = validate_deals(&payloads)?;
/// let ok = rows.column_by_name("ok").map(|c| c.as_boolean().values().iter().collect::<Vec<_>>());
/// assert_eq!(ok, Some(vec![true, false]));
/// let request = rows.column_by_name("request").map(|c| c.as_string::<i32>().value(0));
/// assert_eq!(request, Some(r#"{"title":"Deal"}"#));
/// let channel = rows.column_by_name("channel").map(|c| c.as_struct().clone());
/// let name = channel.as_ref().map(|c| c.column(0).as_string::<i32>().value(0));
/// assert_eq!(name, Some("direct"));
/// assert!(channel.is_some_and(|c| c.is_null(1)));
/// # Ok::<(), wegly_attribution::arrow::KernelError>(())
/// ```
pub fn validate_deals(payloads: &dyn Array) -> Result<StructArray, KernelError> {
    let mut columns = ValidatedColumns::new(payloads.len(), text_bytes(payloads));
    for_each_row(payloads, |payload| match payload {
        Some(payload) => columns.push(payload.as_bytes()),
        None => columns.push_null(),
    })?;
    columns.finish(payloads.nulls().cloned())
}

/// The bytes of text in a string array (0 for any other array).
fn text_bytes(array: &dyn Array) -> usize {
    fn span<O: arrow_array::OffsetSizeTrait>(offsets: &[O]) -> usize {
        match (offsets.first(), offsets.last()) {
            (Some(first), Some(last)) => (*last - *first).as_usize(),
            _ => 0,
        }
    }
    if let Some(strings) = array.as_string_opt::<i32>() {
        span(strings.value_offsets())
    } else if let Some(strings) = array.as_string_opt::<i64>() {
        span(strings.value_offsets())
    } else if let Some(strings) = array.as_string_view_opt() {
        // The low 32 bits of a view are its length.
        strings
            .views()
            .iter()
            .map(|&view| view as u32 as usize)
            .sum()
    } else {
        0
    }
}

/// Calls `row` with each value of a string array, `None` for a null.
fn for_each_row(
    array: &dyn Array,
    row: impl FnMut(Option<&str>) -> Result<(), KernelError>,
) -> Result<(), KernelError> {
    if let Some(strings) = array.as_string_opt::<i32>() {
        strings.iter().try_for_each(row)
    } else if let Some(strings) = array.as_string_opt::<i64>() {
        strings.iter().try_for_each(row)
    } else if let Some(strings) = array.as_string_view_opt() {
        strings.iter().try_for_each(row)
    } else {
        Err(KernelError {
            kind: Kind::UnsupportedType(array.data_type().clone()),
        })
    }
}

/// A `list<struct<path, code, message>>` column.
type Problems = TextStructs<3>;

/// A problems column for `rows` rows of about `items` problems, whose messages average some
/// 60 bytes.
fn problems(column: &'static str, rows: usize, items: usize) -> Problems {
    TextStructs::with_capacity(
        column,
        schema::problem_fields(),
        ["path", "code", "message"],
        (rows, items),
        [16, 24, 64].map(|bytes| items.saturating_mul(bytes)),
    )
}

fn push_warnings(column: &mut Problems, warnings: &[Warning]) -> Result<(), KernelError> {
    let mut text = Written::default();
    for warning in warnings {
        let (path, message) = text.write(warning.path(), warning.message());
        column.push([path, warning.code().as_str(), message])?;
    }
    column.close()
}

fn push_errors(column: &mut Problems, errors: &[ValidationError]) -> Result<(), KernelError> {
    let mut text = Written::default();
    for error in errors {
        let (path, message) = text.write(error.path(), error.message());
        column.push([path, error.code().as_str(), message])?;
    }
    column.close()
}

/// A report's path and message written out, in two buffers the reports of a row reuse.
#[derive(Default)]
struct Written {
    path: String,
    message: String,
}

impl Written {
    fn write(&mut self, path: &crate::Pointer, message: &crate::Message) -> (&str, &str) {
        use std::fmt::Write;
        self.path.clear();
        self.message.clear();
        // Writing into a `String` cannot fail.
        let _ = write!(self.path, "{path}");
        let _ = write!(self.message, "{message}");
        (&self.path, &self.message)
    }
}

/// The `marketing` map column.
struct MapColumn {
    keys: Text,
    values: Text,
    entries: usize,
    offsets: Offsets,
}

impl MapColumn {
    fn push(&mut self, marketing: &Marketing) -> Result<(), KernelError> {
        for (key, value) in marketing.iter() {
            self.keys.push(key)?;
            self.values.push(value)?;
        }
        self.entries = self.entries.saturating_add(marketing.len());
        self.offsets.close(self.entries)
    }

    fn finish(self, nulls: Option<NullBuffer>) -> Result<ArrayRef, KernelError> {
        let entries = StructArray::try_new(
            schema::entry_fields(),
            vec![self.keys.finish(), self.values.finish()],
            None,
        )?;
        let map = MapArray::try_new(
            schema::entries_field(),
            self.offsets.finish(),
            entries,
            nulls,
            false,
        )?;
        Ok(Arc::new(map))
    }
}

/// The columns of [`normalize_urls_fields`], filled row by row: those chosen, `None` the others.
struct NormalizedColumns {
    marketing: Option<MapColumn>,
    click_ids: Option<TextStructs<3>>,
    channel: Option<[Text; 3]>,
    warnings: Option<Problems>,
}

impl NormalizedColumns {
    /// Columns for `rows` URLs of `bytes` bytes in all, those of the fields in `chosen` (a set
    /// of [`NormalizedField::bit`]s). A normalized URL holds its own text (`url_conversion`)
    /// and its parameters, decoded (no longer than they were), and each of its `utm_` values
    /// is copied under a `wegly_` key: its values take at most about twice the URL's bytes,
    /// its keys about as many.
    fn new(rows: usize, bytes: usize, chosen: u8) -> Self {
        let wanted = |field: NormalizedField| chosen & field.bit() != 0;
        // About one entry for every 16 bytes of URL.
        let entries = bytes / 16;
        Self {
            marketing: wanted(NormalizedField::Marketing).then(|| MapColumn {
                keys: Text::with_capacity("marketing", entries, bytes),
                values: Text::with_capacity("marketing", entries, bytes.saturating_mul(2)),
                entries: 0,
                offsets: Offsets::new("marketing", rows),
            }),
            // About one click id a row, of some 40 bytes.
            click_ids: wanted(NormalizedField::ClickIds).then(|| {
                TextStructs::with_capacity(
                    "click_ids",
                    schema::click_id_fields(),
                    ["param", "platform", "value"],
                    (rows, rows),
                    [8, 8, 48].map(|per_item| rows.saturating_mul(per_item)),
                )
            }),
            channel: wanted(NormalizedField::Channel)
                .then(|| ["channel", "source", "medium"].map(|name| Text::new(name, rows))),
            warnings: wanted(NormalizedField::Warnings).then(|| problems("warnings", rows, rows)),
        }
    }

    fn push(&mut self, marketing: &Marketing, warnings: &[Warning]) -> Result<(), KernelError> {
        if let Some(column) = &mut self.marketing {
            column.push(marketing)?;
        }
        if let Some(column) = &mut self.click_ids {
            for id in marketing.click_ids() {
                column.push([id.param, id.platform.as_str(), id.value])?;
            }
            column.close()?;
        }
        if let Some([name, source, medium]) = &mut self.channel {
            let channel = marketing.channel();
            name.push(channel.channel.as_str())?;
            source.push_option(channel.source.as_deref())?;
            medium.push_option(channel.medium.as_deref())?;
        }
        if let Some(column) = &mut self.warnings {
            push_warnings(column, warnings)?;
        }
        Ok(())
    }

    fn push_null(&mut self) -> Result<(), KernelError> {
        if let Some(column) = &mut self.marketing {
            column.offsets.close(column.entries)?;
        }
        if let Some(column) = &mut self.click_ids {
            column.close()?;
        }
        for column in self.channel.iter_mut().flatten() {
            column.push_option(None)?;
        }
        if let Some(column) = &mut self.warnings {
            column.close()?;
        }
        Ok(())
    }

    /// The result: the columns of `fields`, in that order (each named once, as
    /// [`normalize_urls_fields`] checked).
    fn finish(
        mut self,
        fields: &[NormalizedField],
        nulls: Option<NullBuffer>,
    ) -> Result<StructArray, KernelError> {
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(fields.len());
        for field in fields {
            let column = match field {
                NormalizedField::Marketing => {
                    self.marketing.take().map(|c| c.finish(nulls.clone()))
                }
                NormalizedField::ClickIds => self.click_ids.take().map(|c| c.finish(nulls.clone())),
                NormalizedField::Channel => self.channel.take().map(|channel| {
                    let columns = channel.into_iter().map(Text::finish).collect();
                    let channel =
                        StructArray::try_new(schema::channel_fields(), columns, nulls.clone())?;
                    Ok(Arc::new(channel) as ArrayRef)
                }),
                NormalizedField::Warnings => self.warnings.take().map(|c| c.finish(nulls.clone())),
            };
            // `None` only if `fields` named this field twice, which the caller rejected.
            columns.push(column.ok_or_else(|| KernelError {
                kind: Kind::Fields(fields.to_vec()),
            })??);
        }
        Ok(StructArray::try_new(
            schema::chosen_fields(fields),
            columns,
            nulls,
        )?)
    }
}

/// The columns of [`validate_deals`], filled row by row.
struct ValidatedColumns {
    ok: BooleanBuilder,
    request: Text,
    /// `channel`, `source` and `medium` of an accepted request; the struct is null for a
    /// rejected payload, as `request` is, and as the CLI writes no `channel` for it.
    channel: [Text; 3],
    channel_valid: NullBufferBuilder,
    json: Vec<u8>,
    errors: Problems,
    warnings: Problems,
}

impl ValidatedColumns {
    /// Columns for `rows` payloads of `bytes` bytes in all: a normalized request, minified,
    /// is rarely longer than its payload.
    fn new(rows: usize, bytes: usize) -> Self {
        Self {
            ok: BooleanBuilder::with_capacity(rows),
            request: Text::with_capacity("request", rows, bytes),
            channel: ["channel", "source", "medium"].map(|name| Text::new(name, rows)),
            channel_valid: NullBufferBuilder::new(rows),
            json: Vec::new(),
            errors: problems("errors", rows, rows),
            warnings: problems("warnings", rows, rows),
        }
    }

    fn push(&mut self, payload: &[u8]) -> Result<(), KernelError> {
        match CreateDealRequest::from_json(payload) {
            Ok(valid) => {
                self.ok.append_value(true);
                self.json.clear();
                serde_json::to_writer(&mut self.json, &valid.request).map_err(|err| {
                    KernelError {
                        kind: Kind::Json(err),
                    }
                })?;
                // serde_json writes UTF-8 only; a failure here would be a serde_json bug, and
                // is reported like the error above rather than hidden.
                let json = std::str::from_utf8(&self.json).map_err(|err| KernelError {
                    kind: Kind::Arrow(ArrowError::ExternalError(Box::new(err))),
                })?;
                self.request.push(json)?;
                self.push_channel(valid.request.marketing())?;
                self.errors.close()?;
                push_warnings(&mut self.warnings, &valid.warnings)
            }
            Err(rejected) => {
                self.ok.append_value(false);
                self.request.push_option(None)?;
                self.push_no_channel()?;
                push_errors(&mut self.errors, &rejected.errors)?;
                push_warnings(&mut self.warnings, &rejected.warnings)
            }
        }
    }

    fn push_null(&mut self) -> Result<(), KernelError> {
        self.ok.append_null();
        self.request.push_option(None)?;
        self.push_no_channel()?;
        self.errors.close()?;
        self.warnings.close()
    }

    /// The channel of an accepted request, as `normalize_urls` and the CLI's `normalize` give
    /// it: `direct` when the request has no `marketing`.
    fn push_channel(&mut self, marketing: Option<&Marketing>) -> Result<(), KernelError> {
        static NONE: Marketing = Marketing::EMPTY;
        let channel = marketing.unwrap_or(&NONE).channel();
        let [name, source, medium] = &mut self.channel;
        name.push(channel.channel.as_str())?;
        source.push_option(channel.source.as_deref())?;
        medium.push_option(channel.medium.as_deref())?;
        self.channel_valid.append_non_null();
        Ok(())
    }

    fn push_no_channel(&mut self) -> Result<(), KernelError> {
        for column in &mut self.channel {
            column.push_option(None)?;
        }
        self.channel_valid.append_null();
        Ok(())
    }

    fn finish(mut self, nulls: Option<NullBuffer>) -> Result<StructArray, KernelError> {
        let channel = StructArray::try_new(
            schema::channel_fields(),
            self.channel.into_iter().map(Text::finish).collect(),
            self.channel_valid.finish(),
        )?;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.ok.finish()),
            self.request.finish(),
            Arc::new(channel),
            self.errors.finish(nulls.clone())?,
            self.warnings.finish(nulls.clone())?,
        ];
        Ok(StructArray::try_new(validated_fields(), columns, nulls)?)
    }
}
