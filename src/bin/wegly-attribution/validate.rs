//! A batch of records validated into its output lines and its tally.

use serde::Serialize;
use wegly_attribution::{
    ChannelAttribution, CreateDealRequest, ErrorCode, Marketing, Rejected, ValidationError, Warning,
};

use crate::Engine;
use crate::batch::{Batch, Record};
use crate::summary::Tally;

/// The output of a batch: its result lines, and what they hold.
#[derive(Debug)]
pub(crate) struct Done {
    pub(crate) lines: Vec<u8>,
    pub(crate) tally: Tally,
}

#[derive(Serialize)]
struct Accepted<'a> {
    record: u64,
    line: u64,
    ok: bool,
    request: &'a CreateDealRequest,
    /// Which channel brought the lead (`docs/rules.md` §2.6); never part of the request.
    channel: ChannelAttribution<'a>,
    warnings: &'a [Warning],
}

#[derive(Serialize)]
struct Refused<'a> {
    record: u64,
    line: u64,
    ok: bool,
    errors: &'a [ValidationError],
    warnings: &'a [Warning],
}

/// Validates every record of `batch`, in order: one JSON line each, written in `lines`, an
/// empty buffer.
///
/// # Errors
///
/// Only if a result cannot be serialized, which the crate's types never cause.
pub(crate) fn batch(
    batch: &Batch,
    normalizer: &Engine,
    mut lines: Vec<u8>,
) -> serde_json::Result<Done> {
    // Output is about the size of the input, a little more with the normalized marketing.
    lines.reserve(batch.byte_len() * 3 / 2);
    let mut tally = Tally::new(batch.input_bytes);
    for (record, bytes) in batch.records() {
        match normalizer.create_deal(bytes) {
            Ok(valid) => {
                tally.accepted(&valid.warnings);
                let line = Accepted {
                    record: record.number,
                    line: record.line,
                    ok: true,
                    request: &valid.request,
                    channel: channel(&valid.request),
                    warnings: &valid.warnings,
                };
                serde_json::to_writer(&mut lines, &line)?;
            }
            Err(mut rejected) => {
                name_the_line(&mut rejected, record);
                tally.rejected(&rejected.errors, &rejected.warnings);
                let line = Refused {
                    record: record.number,
                    line: record.line,
                    ok: false,
                    errors: &rejected.errors,
                    warnings: &rejected.warnings,
                };
                serde_json::to_writer(&mut lines, &line)?;
            }
        }
        lines.push(b'\n');
    }
    Ok(Done { lines, tally })
}

/// The channel of a request; one without marketing data is `direct`.
fn channel(request: &CreateDealRequest) -> ChannelAttribution<'_> {
    static NONE: Marketing = Marketing::EMPTY;
    request.marketing().unwrap_or(&NONE).channel()
}

/// The library parses each record alone, so an `invalid_json` message reads "line 1 column
/// C": it is rewritten to name the input line, and the column in that line (in bytes).
fn name_the_line(rejected: &mut Rejected, record: &Record) {
    for error in &mut rejected.errors {
        if error.code() != ErrorCode::InvalidJson {
            continue;
        }
        let message = error.message().to_string();
        let at = message
            .rsplit_once(" at line 1 column ")
            .and_then(|(text, column)| Some((text, column.parse::<usize>().ok()?)));
        let message = match at {
            Some((text, column)) => format!(
                "{text} at line {} column {}",
                record.line,
                column + record.skipped
            ),
            None => format!("{message} (line {})", record.line),
        };
        *error = ValidationError::at_root(ErrorCode::InvalidJson, message);
    }
}
