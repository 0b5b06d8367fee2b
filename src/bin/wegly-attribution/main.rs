//! `wegly-attribution`: normalize create-deal payloads and explain conversion URLs (SPEC 5).

mod extract;
mod normalize;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

const RULES: &str = "\
Marketing rules (SPEC 2), in order:
  1. trim every value (Unicode white space and U+FEFF); empty means not sent
  2. extract tracking parameters (utm_*, wegly_*, gclid, fbclid, conversion_tool_name) from
     url_conversion: query first, then the fragment; names match case-insensitively, values
     keep their case; an explicit field always wins, the first URL occurrence wins
  3. copy each utm_X into an absent wegly_X (not utm_term, utm_search_term)
  4. copy utm_term into an absent utm_search_term
  5. with a tracker catalog, wegly_code gives the lead source
Messy URLs (no scheme, hash routes, &amp;, double encoding, bad escapes, values over 1000
characters) are repaired or dropped and reported as warnings; a lead is never rejected for
a tracking anomaly.";

#[derive(Debug, Parser)]
#[command(name = "wegly-attribution", version, about = "Wegly CRM attribution: normalize create-deal payloads, explain conversion URLs", after_help = RULES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the attribution of conversion URLs, one JSON object per URL:
    /// {"marketing": {...}, "click_ids": [...], "warnings": [...]}
    #[command(after_help = RULES)]
    Extract {
        /// URLs to explain; `-` reads one URL per line from stdin (blank lines skipped).
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
        /// Longest tracking value used, in characters.
        #[arg(long, default_value_t = wegly_attribution::DEFAULT_MAX_VALUE_CHARS)]
        max_value_chars: usize,
    },
    /// Validate create-deal payloads, one JSON object per line (NDJSON), and write one result
    /// line per record: {"record": N, "ok": true, "request": {...}, "warnings": [...]} or
    /// {"record": N, "ok": false, "errors": [...], "warnings": [...]}. A summary goes to
    /// stderr. Exit status: 0 all records ok, 1 some rejected, 2 usage or I/O error.
    #[command(after_help = RULES)]
    Normalize {
        /// The NDJSON file; stdin when absent or `-`.
        #[arg(value_name = "FILE")]
        file: Option<String>,
        /// Longest tracking value used, in characters.
        #[arg(long, default_value_t = wegly_attribution::DEFAULT_MAX_VALUE_CHARS)]
        max_value_chars: usize,
    },
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
    let result = match cli.command {
        Command::Extract {
            urls,
            max_value_chars,
        } => extract::run(&urls, max_value_chars),
        Command::Normalize {
            file,
            max_value_chars,
        } => normalize::run(file.as_deref(), max_value_chars),
    };
    match result {
        Ok(code) => code,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("wegly-attribution: {err}");
            ExitCode::from(2)
        }
    }
}
