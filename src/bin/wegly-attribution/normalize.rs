//! `normalize [FILE]`: validate NDJSON create-deal payloads, streaming, in flat memory.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::Serialize;
use wegly_attribution::{CreateDealRequest, Normalizer, ValidationError, Warning};

#[derive(Serialize)]
struct Accepted<'a> {
    record: u64,
    ok: bool,
    request: &'a CreateDealRequest,
    warnings: &'a [Warning],
}

#[derive(Serialize)]
struct Refused<'a> {
    record: u64,
    ok: bool,
    errors: &'a [ValidationError],
    warnings: &'a [Warning],
}

#[derive(Default)]
struct Summary {
    records: u64,
    ok: u64,
    bytes: u64,
    warnings: BTreeMap<&'static str, u64>,
}

pub(crate) fn run(file: Option<&str>, max_value_chars: usize) -> io::Result<ExitCode> {
    let input: Box<dyn Read> = match file {
        None | Some("-") => Box::new(io::stdin().lock()),
        Some(path) => Box::new(
            File::open(path).map_err(|err| io::Error::new(err.kind(), format!("{path}: {err}")))?,
        ),
    };
    let normalizer = Normalizer::new().max_value_chars(max_value_chars);
    let started = Instant::now();
    let summary = stream(
        BufReader::with_capacity(BUFFER, input),
        &normalizer,
        started,
    )?;
    report(&summary, started.elapsed());
    Ok(if summary.ok == summary.records {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// U+FEFF in UTF-8.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// The size of the input, output and line buffers.
const BUFFER: usize = 1 << 16;

/// One record at a time through one reused buffer: memory stays flat however long the input.
fn stream(
    mut input: impl BufRead,
    normalizer: &Normalizer,
    started: Instant,
) -> io::Result<Summary> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(BUFFER, stdout.lock());
    let progress = io::stderr().is_terminal();
    let mut last_progress = started;
    let mut summary = Summary::default();
    let mut line = Vec::with_capacity(BUFFER);
    loop {
        line.clear();
        let read = input.read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        // A byte order mark, as Windows tools write at the start of a file, is not part of the
        // first record.
        if summary.bytes == 0 && line.starts_with(BOM) {
            line.drain(..BOM.len());
        }
        summary.bytes += read as u64;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        summary.records += 1;
        let record = summary.records;
        // The terminator is not part of the record: error positions then read "line 1".
        let record_bytes = line.strip_suffix(b"\n").unwrap_or(&line);
        let record_bytes = record_bytes.strip_suffix(b"\r").unwrap_or(record_bytes);
        let warnings = match normalizer.create_deal(record_bytes) {
            Ok(valid) => {
                summary.ok += 1;
                let accepted = Accepted {
                    record,
                    ok: true,
                    request: &valid.request,
                    warnings: &valid.warnings,
                };
                serde_json::to_writer(&mut out, &accepted)?;
                valid.warnings
            }
            Err(rejected) => {
                let refused = Refused {
                    record,
                    ok: false,
                    errors: &rejected.errors,
                    warnings: &rejected.warnings,
                };
                serde_json::to_writer(&mut out, &refused)?;
                rejected.warnings
            }
        };
        out.write_all(b"\n")?;
        // One huge record must not keep its buffer for the rest of the run.
        if line.capacity() > BUFFER {
            line = Vec::with_capacity(BUFFER);
        }
        for warning in &warnings {
            *summary.warnings.entry(warning.code.as_str()).or_default() += 1;
        }
        // A progress line for people watching a large input go by.
        if progress && record % 4096 == 0 && last_progress.elapsed() >= Duration::from_secs(1) {
            last_progress = Instant::now();
            eprint!("\r{record} records, {} MiB…", summary.bytes >> 20);
        }
    }
    if progress && last_progress != started {
        eprint!("\r\x1b[K");
    }
    out.flush()?;
    Ok(summary)
}

fn report(summary: &Summary, elapsed: Duration) {
    let seconds = elapsed.as_secs_f64().max(1e-9);
    #[allow(clippy::cast_precision_loss)]
    let (records, mib) = (
        summary.records as f64,
        summary.bytes as f64 / f64::from(1 << 20),
    );
    eprintln!(
        "records: {}, ok: {}, rejected: {}",
        summary.records,
        summary.ok,
        summary.records - summary.ok
    );
    if summary.warnings.is_empty() {
        eprintln!("warnings: none");
    } else {
        let by_code: Vec<String> = summary
            .warnings
            .iter()
            .map(|(code, count)| format!("{code} {count}"))
            .collect();
        eprintln!("warnings: {}", by_code.join(", "));
    }
    eprintln!(
        "throughput: {:.0} records/s, {:.1} MiB/s ({:.3} s)",
        records / seconds,
        mib / seconds,
        seconds
    );
}
