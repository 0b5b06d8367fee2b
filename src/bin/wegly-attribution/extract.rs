//! `extract [URL...]`: the attribution of conversion URLs.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;
use uuid::Uuid;
use wegly_attribution::{ChannelAttribution, ClickId, LeadSource, Marketing, Warning};

use crate::Engine;
use crate::failure::Failure;
use crate::input::Input;

#[derive(Serialize)]
struct Line<'a> {
    /// Where the URL came from, 1-based: its line on stdin, or its position among the
    /// arguments; the key an analyst joins the output back to the input on.
    line: u64,
    marketing: &'a Marketing,
    click_ids: &'a [ClickId<'a>],
    channel: ChannelAttribution<'a>,
    warnings: &'a [Warning],
    /// Rule 5's result, only with a catalog: `Some(None)` is `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    lead_source: Option<Option<Source<'a>>>,
}

/// A lead source as the payload would carry it: `{"id": …}` or `{"name": …}`.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Source<'a> {
    Id(&'a Uuid),
    Name(&'a str),
}

/// Explains `urls` (one URL per line of stdin for `-`, or when there are none).
pub(crate) fn run(
    urls: &[String],
    normalizer: &Engine,
    with_catalog: bool,
) -> Result<ExitCode, Failure> {
    let stdin = [String::from("-")];
    let urls = if urls.is_empty() { &stdin[..] } else { urls };
    let explain = Explain {
        normalizer,
        with_catalog,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for (position, url) in (1..).zip(urls) {
        if url == "-" {
            explain.stdin(&mut out)?;
        } else {
            explain
                .url(&mut out, position, url)
                .map_err(Failure::Write)?;
        }
    }
    out.flush().map_err(Failure::Write)?;
    Ok(ExitCode::SUCCESS)
}

struct Explain<'n> {
    normalizer: &'n Engine,
    with_catalog: bool,
}

impl Explain<'_> {
    /// One URL per line; blank lines are skipped, but counted, so that `"line"` is the input
    /// line. Lines are read as bytes: a URL copied from a log may hold invalid UTF-8, which
    /// becomes U+FFFD rather than stopping the run.
    fn stdin(&self, out: &mut impl Write) -> Result<(), Failure> {
        let mut input = Input::open(None)?;
        let mut line = Vec::new();
        let mut number = 0;
        while input.read_line(&mut line)? > 0 {
            number += 1;
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\n', '\r']);
            if !text.trim().is_empty() {
                self.url(out, number, text).map_err(Failure::Write)?;
            }
            // What is explained goes out before waiting for more input.
            if input.is_drained() {
                out.flush().map_err(Failure::Write)?;
            }
            line.clear();
        }
        Ok(())
    }

    fn url(&self, out: &mut impl Write, line: u64, url: &str) -> io::Result<()> {
        let normalized = self.normalizer.normalize_url(url);
        let click_ids: Vec<_> = normalized.marketing.click_ids().collect();
        let lead_source = self.with_catalog.then(|| {
            normalized.lead_source.as_ref().map(|source| match source {
                LeadSource::Existing(id) => Source::Id(id),
                LeadSource::Named(name) => Source::Name(name),
            })
        });
        let line = Line {
            line,
            marketing: &normalized.marketing,
            click_ids: &click_ids,
            channel: normalized.marketing.channel(),
            warnings: &normalized.warnings,
            lead_source,
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")
    }
}
