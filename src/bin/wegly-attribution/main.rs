//! `wegly-attribution`: validate create-deal payloads and explain conversion URLs.

mod batch;
mod extract;
mod failure;
mod input;
mod normalize;
mod summary;
mod validate;

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::thread;

use clap::{Args, Parser, Subcommand};
use wegly_attribution::{MemoryCatalog, Normalizer};

use crate::failure::Failure;

/// The marketing rules, the one place the CLI states them.
const RULES: &str = "\
Marketing rules, in order:
  1. trim every value (Unicode white space and U+FEFF); empty means not sent
  2. extract utm_*, wegly_*, gclid, fbclid and conversion_tool_name from url_conversion
     (query, then fragment; names in any case, values keep theirs); a value sent
     explicitly wins, and the first URL occurrence wins
  3. copy each utm_X into an absent wegly_X (not utm_term, utm_search_term)
  4. copy utm_term into an absent utm_search_term
  5. with --catalog, a known wegly_code gives the lead source when none was sent
A URL needs no scheme, nor to be valid: extraction reads what follows its first ? (no
warning). Messy URLs (fragments and hash routes, &amp;, double encoding, bad escapes, values
too long) are repaired or dropped with a warning: a lead is never rejected for its tracking
data.";

/// The normalizer both commands share, across threads: the one place its type is named.
type Engine = Normalizer;

#[derive(Debug, Parser)]
#[command(
    name = "wegly-attribution",
    version,
    about = "Wegly CRM attribution: validate create-deal payloads, explain conversion URLs",
    after_help = "`wegly-attribution help COMMAND` tells a command's input, output and options."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate create-deal payloads (NDJSON), one JSON result line per record
    ///
    /// Reads FILE (stdin when absent or `-`), one JSON payload per line, and writes one line
    /// per record, in input order:
    ///
    ///   {"record": N, "line": L, "ok": true, "request": {...}, "channel": {...}, "warnings": [...]}
    ///   {"record": N, "line": L, "ok": false, "errors": [...], "warnings": [...]}
    ///
    /// N counts records from 1; L is the input line (`sed -n Lp FILE` shows it). request is
    /// the payload to send; channel, {"channel", "source", "medium"}, is which channel brought
    /// the lead (GA4's default channel group; never sent). Errors and warnings are
    /// {"code", "message", "path"}, the path a JSON Pointer. A line of spaces,
    /// tabs and CRs alone is skipped; any other line is a record, and one that is not JSON
    /// is rejected with code invalid_json (its message gives line and byte column). A byte
    /// order mark at the start of the input is skipped.
    ///
    /// A summary goes to stderr. Exit status: 0 when every record is ok, 1 when some were
    /// rejected, 2 on a usage, read or write error. A write error, a closed pipe included
    /// (`| head`), stops the run with status 2 and no summary.
    #[command(after_long_help = RULES, verbatim_doc_comment)]
    Normalize {
        /// The NDJSON file; stdin when absent or `-`.
        #[arg(value_name = "FILE")]
        file: Option<String>,
        /// Validate on N threads [default: the number of cores]; output is the same for
        /// every N, in input order.
        #[arg(short, long, value_name = "N")]
        jobs: Option<NonZeroUsize>,
        /// The stderr summary: counts by code and throughput.
        #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
        summary: summary::Format,
        #[command(flatten)]
        common: Common,
    },
    /// Explain conversion URLs: their attribution, one JSON line per URL
    ///
    /// Writes one line per URL, in input order:
    ///
    ///   {"line": L, "marketing": {...}, "click_ids": [...], "channel": {...}, "warnings": [...]}
    ///
    /// marketing is the rules below applied to {"url_conversion": URL}; click_ids are
    /// {"param", "platform", "value"}; channel is {"channel", "source", "medium"} (GA4's
    /// default channel group); warnings are {"code", "message", "path"}. With --catalog, also
    /// "lead_source": {"id": ...} | {"name": ...} | null (rule 5). With no URL, or `-`, reads
    /// one URL per line from stdin (blank lines skipped, invalid UTF-8 read as U+FFFD).
    ///
    /// L is the URL's line on stdin (blank lines count, so `sed -n Lp` finds it), or for a URL
    /// given as an argument, its position among the arguments (1 for the first).
    #[command(after_long_help = RULES, verbatim_doc_comment)]
    Extract {
        /// The URLs; `-` or none reads stdin.
        #[arg(value_name = "URL")]
        urls: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
}

/// The options both commands take.
#[derive(Debug, Args)]
struct Common {
    /// Trackers, tags and stages, as the API knows them: a JSON file
    ///
    ///   {"trackers": {"CODE": {"id": UUID} | {"name": NAME}, ...},
    ///    "tags": [TAG_ID, ...],
    ///    "stages_requiring_quality_reason": [STAGE_UUID, ...]}
    ///
    /// Each part is optional; an absent part skips its checks. With "trackers", a wegly_code
    /// not listed warns unknown_tracker; with "tags", a tag not listed is rejected
    /// (not_found); with "stages_requiring_quality_reason", a deal in a listed stage needs
    /// quality_reason (a deal with no stage_id is not checked). A file that cannot be read,
    /// is not JSON, or has another shape (an unknown member, an id that is not a UUID) is a
    /// usage error.
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    catalog: Option<String>,
    /// Longest tracking value used, in characters.
    #[arg(long, value_name = "N", default_value_t = wegly_attribution::DEFAULT_MAX_VALUE_CHARS)]
    max_value_chars: usize,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version are not errors; everything else is a usage error (status 2).
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    run(cli).unwrap_or_else(|failure| failure.exit())
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Normalize {
            file,
            jobs,
            summary,
            common,
        } => {
            let options = normalize::Options {
                file,
                jobs: jobs.map_or_else(cores, NonZeroUsize::get),
                summary,
            };
            normalize::run(&options, normalizer(&common)?)
        }
        Command::Extract { urls, common } => {
            extract::run(&urls, &normalizer(&common)?, common.catalog.is_some())
        }
    }
}

/// The normalizer of both commands, with the `--catalog` file: the one place the catalog is
/// plugged in.
fn normalizer(common: &Common) -> Result<Engine, Failure> {
    let normalizer = Normalizer::new().max_value_chars(common.max_value_chars);
    let Some(path) = &common.catalog else {
        return Ok(normalizer);
    };
    let catalog = load_catalog(path)?;
    Ok(normalizer.catalog(catalog))
}

fn load_catalog(path: &str) -> Result<MemoryCatalog, Failure> {
    let bytes = std::fs::read(path).map_err(|err| Failure::Usage(format!("{path}: {err}")))?;
    MemoryCatalog::from_json(&bytes).map_err(|err| Failure::Usage(format!("{path}: {err}")))
}

/// The number of cores, the default of `--jobs`.
fn cores() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}
