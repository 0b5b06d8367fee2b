//! `extract URL...`: the attribution of conversion URLs.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;
use wegly_attribution::{ClickId, Marketing, Normalizer, Warning};

#[derive(Serialize)]
struct Line<'a> {
    marketing: &'a Marketing,
    click_ids: &'a [ClickId<'a>],
    warnings: &'a [Warning],
}

pub(crate) fn run(urls: &[String], max_value_chars: usize) -> io::Result<ExitCode> {
    let normalizer = Normalizer::new().max_value_chars(max_value_chars);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for url in urls {
        if url == "-" {
            // Lines are read as bytes: a URL copied from a log may hold invalid UTF-8, which
            // becomes U+FFFD rather than stopping the run.
            let mut stdin = io::stdin().lock();
            let mut line = Vec::new();
            while stdin.read_until(b'\n', &mut line)? > 0 {
                let text = String::from_utf8_lossy(&line);
                let text = text.trim_end_matches(['\n', '\r']);
                if !text.trim().is_empty() {
                    write_line(&mut out, &normalizer, text)?;
                }
                line.clear();
            }
        } else {
            write_line(&mut out, &normalizer, url)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_line(out: &mut impl Write, normalizer: &Normalizer, url: &str) -> io::Result<()> {
    let normalized = normalizer.normalize_url(url);
    let click_ids = normalized.marketing.click_ids();
    let line = Line {
        marketing: &normalized.marketing,
        click_ids: &click_ids,
        warnings: &normalized.warnings,
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}
