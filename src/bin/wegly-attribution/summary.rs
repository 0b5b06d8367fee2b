//! What a `normalize` run found, counted as batches are written, and its stderr summary.

use std::collections::BTreeMap;
use std::time::Duration;

use clap::ValueEnum;
use serde::Serialize;
use wegly_attribution::{ValidationError, Warning};

/// The form of the stderr summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A few lines for people.
    Text,
    /// One JSON object, for programs.
    Json,
    /// No summary.
    None,
}

/// Counts of records, errors and warnings; added up batch by batch.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    records: u64,
    ok: u64,
    input_bytes: u64,
    errors_by_code: BTreeMap<&'static str, u64>,
    warnings_by_code: BTreeMap<&'static str, u64>,
}

impl Tally {
    pub(crate) fn new(input_bytes: u64) -> Self {
        Tally {
            input_bytes,
            ..Tally::default()
        }
    }

    pub(crate) fn accepted(&mut self, warnings: &[Warning]) {
        self.records += 1;
        self.ok += 1;
        self.warned(warnings);
    }

    pub(crate) fn rejected(&mut self, errors: &[ValidationError], warnings: &[Warning]) {
        self.records += 1;
        for error in errors {
            *self
                .errors_by_code
                .entry(error.code().as_str())
                .or_default() += 1;
        }
        self.warned(warnings);
    }

    fn warned(&mut self, warnings: &[Warning]) {
        for warning in warnings {
            *self
                .warnings_by_code
                .entry(warning.code().as_str())
                .or_default() += 1;
        }
    }

    pub(crate) fn add(&mut self, other: Tally) {
        self.records += other.records;
        self.ok += other.ok;
        self.input_bytes += other.input_bytes;
        for (code, count) in other.errors_by_code {
            *self.errors_by_code.entry(code).or_default() += count;
        }
        for (code, count) in other.warnings_by_code {
            *self.warnings_by_code.entry(code).or_default() += count;
        }
    }

    pub(crate) const fn records(&self) -> u64 {
        self.records
    }

    pub(crate) const fn input_bytes(&self) -> u64 {
        self.input_bytes
    }

    pub(crate) const fn all_ok(&self) -> bool {
        self.ok == self.records
    }

    /// Writes the summary to stderr in `format`.
    pub(crate) fn report(&self, format: Format, elapsed: Duration) {
        match format {
            Format::Text => self.report_text(elapsed),
            Format::Json => self.report_json(elapsed),
            Format::None => {}
        }
    }

    fn report_text(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64().max(1e-9);
        #[allow(clippy::cast_precision_loss)]
        let (records, mib) = (
            self.records as f64,
            self.input_bytes as f64 / f64::from(1 << 20),
        );
        eprintln!(
            "records: {}, ok: {}, rejected: {}",
            self.records,
            self.ok,
            self.records - self.ok
        );
        eprintln!("errors: {}", by_code(&self.errors_by_code));
        eprintln!("warnings: {}", by_code(&self.warnings_by_code));
        eprintln!(
            "throughput: {:.0} records/s, {:.1} MiB/s ({:.3} s)",
            records / seconds,
            mib / seconds,
            seconds
        );
    }

    fn report_json(&self, elapsed: Duration) {
        #[derive(Serialize)]
        struct Summary<'a> {
            records: u64,
            ok: u64,
            rejected: u64,
            errors_by_code: &'a BTreeMap<&'static str, u64>,
            warnings_by_code: &'a BTreeMap<&'static str, u64>,
            seconds: f64,
        }
        let summary = Summary {
            records: self.records,
            ok: self.ok,
            rejected: self.records - self.ok,
            errors_by_code: &self.errors_by_code,
            warnings_by_code: &self.warnings_by_code,
            seconds: elapsed.as_secs_f64(),
        };
        // Serializing counts and a float into a string cannot fail.
        if let Ok(json) = serde_json::to_string(&summary) {
            eprintln!("{json}");
        }
    }
}

/// `code count, code count`, or `none`.
fn by_code(counts: &BTreeMap<&'static str, u64>) -> String {
    if counts.is_empty() {
        return "none".to_owned();
    }
    let counts: Vec<String> = counts
        .iter()
        .map(|(code, count)| format!("{code} {count}"))
        .collect();
    counts.join(", ")
}
