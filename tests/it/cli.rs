//! The command-line contract of `docs/rules.md` §5, run as a user would (needs the `cli` feature).
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wegly-attribution"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that stops before reading its input (a usage error) closes the pipe early.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn extract_prints_one_object_per_url() {
    let seed = "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ";
    let output = run(&["extract", seed, "#/obrigado?utm_source=fb&msclkid=M"], "");
    assert_eq!(output.status.code(), Some(0));
    let lines = lines(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        json!({
            "line": 1,
            "marketing": {
                "gclid": "XYZ",
                "url_conversion": seed,
                "utm_campaign": "crm-enterprise",
                "wegly_campaign": "crm-enterprise",
                "wegly_code": "OPP123",
            },
            "click_ids": [{"param": "gclid", "platform": "google", "value": "XYZ"}],
            // No source or medium: the gclid says google / cpc (`docs/rules.md` §2.6).
            "channel": {"channel": "paid_search", "source": "google", "medium": "cpc"},
            "warnings": [],
        })
    );
    // An argument's line is its position among the arguments.
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["marketing"]["utm_source"], "fb");
    assert_eq!(
        lines[1]["channel"],
        json!({"channel": "organic_social", "source": "fb", "medium": null})
    );
    assert_eq!(lines[1]["click_ids"][0]["platform"], "microsoft");
    assert_eq!(
        lines[1]["warnings"][0],
        json!({"code": "param_in_fragment", "message": "`utm_source` was taken from the URL fragment", "path": "/url_conversion"})
    );
}

#[test]
fn extract_reads_stdin_with_a_dash() {
    let output = run(
        &["extract", "-"],
        "?utm_source=a\n\n?UTM_Source=Google&gclid=AbC\r\n",
    );
    let lines = lines(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["marketing"]["wegly_source"], "Google");
    assert_eq!(lines[1]["marketing"]["gclid"], "AbC");
    // The blank line is skipped but counted: each output names its input line.
    let numbers: Vec<_> = lines.iter().map(|l| l["line"].clone()).collect();
    assert_eq!(numbers, [json!(1), json!(3)]);
}

#[test]
fn extract_writes_the_shape_the_help_shows() {
    // The exact bytes of one line: member order, every member, and no other.
    let output = run(
        &["extract", "-"],
        "\n\n/lp?utm_source=Google&utm_medium=cpc\n",
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        concat!(
            r#"{"line":3,"marketing":{"url_conversion":"/lp?utm_source=Google&utm_medium=cpc","#,
            r#""utm_medium":"cpc","utm_source":"Google","wegly_medium":"cpc","wegly_source":"Google"},"#,
            r#""click_ids":[],"channel":{"channel":"paid_search","source":"google","medium":"cpc"},"#,
            r#""warnings":[]}"#,
            "\n"
        )
    );
    let help = run(&["help", "extract"], "");
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        help.contains(r#"{"line": L, "marketing": {...}, "click_ids": [...], "channel": {...}, "warnings": [...]}"#),
        "{help}"
    );
}

#[test]
fn extract_reads_a_url_without_a_scheme_silently() {
    // What the README and the help say: extraction reads what follows the first `?`, and a
    // missing scheme is no warning.
    let output = run(
        &["extract", "landing.example.com/obrigado?utm_source=x"],
        "",
    );
    assert_eq!(output.status.code(), Some(0));
    let lines = lines(&output);
    assert_eq!(lines[0]["marketing"]["wegly_source"], "x");
    assert_eq!(lines[0]["warnings"], json!([]));
}

#[test]
fn extract_reads_invalid_utf8_on_stdin_lossily() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wegly-attribution"))
        .args(["extract", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input: &[u8] = b"/p?utm_source=caf\xe9&gclid=G\n/p?utm_medium=cpc";
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let lines = lines(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["marketing"]["utm_source"], "caf\u{fffd}");
    assert_eq!(lines[0]["marketing"]["gclid"], "G");
    assert_eq!(lines[1]["marketing"]["utm_medium"], "cpc");
}

#[test]
fn extract_with_no_url_reads_stdin() {
    let output = run(&["extract"], "?utm_source=a\n\n?gclid=G\n");
    assert_eq!(output.status.code(), Some(0));
    let lines = lines(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["marketing"]["wegly_source"], "a");
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[1]["click_ids"][0]["platform"], "google");
    // No catalog, no `lead_source` member.
    assert!(lines[0].get("lead_source").is_none());
}

#[test]
fn usage_errors_and_help() {
    let output = run(&["frobnicate"], "");
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["normalize", "-j", "0"], "");
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["normalize", "--summary", "xml"], "");
    assert_eq!(output.status.code(), Some(2));

    // One screen: a line per command, details under `help COMMAND`.
    let help = run(&["--help"], "");
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.lines().count() <= 24, "{help}");
    assert!(help.contains("help COMMAND"), "{help}");
    for command in ["normalize", "extract"] {
        let detail = run(&["help", command], "");
        assert_eq!(detail.status.code(), Some(0));
        let detail = String::from_utf8(detail.stdout).unwrap();
        assert!(detail.contains("--catalog"), "{detail}");
        assert!(
            detail.contains("copy utm_term into an absent utm_search_term"),
            "{detail}"
        );
        // The crate does not ship the specification: the help cannot send anyone to it.
        assert!(!detail.contains("SPEC"), "{detail}");
    }
    // The output shapes the help shows are the ones written (pinned byte for byte in
    // `extract_writes_the_shape_the_help_shows` and `normalize_writes_the_shapes_the_help_shows`).
    let detail = String::from_utf8(run(&["help", "normalize"], "").stdout).unwrap();
    assert!(
        detail.contains(r#"{"record": N, "line": L, "ok": true, "request": {...}, "channel": {...}, "warnings": [...]}"#),
        "{detail}"
    );
}

#[test]
fn normalize_writes_the_shapes_the_help_shows() {
    let input = "{\"title\": \"A\", \"marketing\": {\"utm_source\": \"news\", \"utm_medium\": \"email\"}}\n\n{\"title\": \"\"}\n";
    let output = run(&["normalize", "--summary", "none"], input);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        concat!(
            r#"{"record":1,"line":1,"ok":true,"request":{"title":"A","marketing":{"utm_medium":"email","#,
            r#""utm_source":"news","wegly_medium":"email","wegly_source":"news"}},"#,
            r#""channel":{"channel":"email","source":"news","medium":"email"},"warnings":[]}"#,
            "\n",
            r#"{"record":2,"line":3,"ok":false,"errors":[{"path":"/title","code":"required","#,
            r#""message":"title must not be empty"}],"warnings":[]}"#,
            "\n"
        )
    );
}

#[test]
fn normalize_streams_records_and_sets_the_exit_status() {
    let input = concat!(
        "{\"title\": \"A\", \"marketing\": {\"url_conversion\": \"/?utm_source=x#utm_medium=y\"}}\n",
        "\n",
        "   \n",
        "{\"title\": \"\", \"value\": 1.234}\n",
        "{\"title\": \"broken\",\n",
        "{\"title\": \"B\", \"expected_close_date\": \"2026-01-02\"}",
    );
    let output = run(&["normalize"], input);
    assert_eq!(output.status.code(), Some(1));
    let lines = lines(&output);
    let summary: Vec<_> = lines
        .iter()
        .map(|l| (l["record"].as_u64().unwrap(), l["ok"].as_bool().unwrap()))
        .collect();
    assert_eq!(summary, [(1, true), (2, false), (3, false), (4, true)]);
    assert_eq!(lines[0]["request"]["marketing"]["wegly_medium"], "y");
    // The channel goes beside the request, never in it.
    assert_eq!(
        lines[0]["channel"],
        // `x` is in the social list (X, formerly Twitter).
        json!({"channel": "organic_social", "source": "x", "medium": "y"})
    );
    assert!(lines[0]["request"].get("channel").is_none());
    assert_eq!(lines[3]["channel"]["channel"], "direct");
    assert!(lines[1].get("channel").is_none());
    assert_eq!(lines[0]["warnings"][0]["code"], "param_in_fragment");
    assert_eq!(
        lines[1]["errors"][0],
        json!({"path": "/title", "code": "required", "message": "title must not be empty"})
    );
    assert_eq!(lines[1]["errors"][1]["code"], "too_many_decimals");
    assert_eq!(lines[2]["errors"][0]["code"], "invalid_json");
    assert_eq!(lines[2]["errors"][0]["path"], "");
    assert_eq!(lines[3]["warnings"][0]["code"], "date_only");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("records: 4, ok: 2, rejected: 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("errors: invalid_json 1, required 1, too_many_decimals 1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warnings: date_only 1, param_in_fragment 1"),
        "{stderr}"
    );
    assert!(stderr.contains("records/s"), "{stderr}");
}

#[test]
fn normalize_skips_a_byte_order_mark() {
    let output = run(
        &["normalize"],
        "\u{feff}{\"title\": \"A\"}\n\u{feff}{\"title\": \"B\"}\n",
    );
    let lines = lines(&output);
    // Only the file's first bytes may be a byte order mark; elsewhere it is not JSON.
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[1]["errors"][0]["code"], "invalid_json");
}

#[test]
fn normalize_exit_statuses() {
    let ok = run(&["normalize", "-"], "{\"title\": \"A\"}\n");
    assert_eq!(ok.status.code(), Some(0));
    let empty = run(&["normalize"], "");
    assert_eq!(empty.status.code(), Some(0));
    let missing = run(&["normalize", "/nonexistent/deals.ndjson"], "");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/deals.ndjson"));
}

#[test]
fn the_sample_files_run() {
    let root = env!("CARGO_MANIFEST_DIR");
    let deals = run(&["normalize", &format!("{root}/examples/deals.ndjson")], "");
    assert_eq!(
        deals.status.code(),
        Some(1),
        "the sample holds invalid records on purpose"
    );
    let records = lines(&deals);
    assert!(records.len() >= 50);
    assert!(records.iter().filter(|r| r["ok"] == true).count() >= 40);
    let urls = std::fs::read_to_string(format!("{root}/examples/urls.txt")).unwrap();
    let extracted = run(&["extract", "-"], &urls);
    assert_eq!(extracted.status.code(), Some(0));
    assert_eq!(
        lines(&extracted).len(),
        urls.lines().filter(|l| !l.trim().is_empty()).count()
    );
}

/// A file in cargo's scratch directory for integration tests.
fn scratch(name: &str, contents: &[u8]) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_str().unwrap().to_owned()
}

/// `n` records of varied sizes and outcomes, a blank line now and then.
fn many_records(n: usize) -> String {
    let mut input = String::new();
    for i in 0..n {
        match i % 7 {
            0 => input.push_str(&format!("{{\"title\": \"deal {i}\", \"value\": {i}.5}}\n")),
            1 => input.push_str("{\"title\": \"\"}\n"),
            2 => input.push('\n'),
            3 => input.push_str("{\"title\": \"broken\",\n"),
            4 => input.push_str(&format!(
                "{{\"title\": \"T{i}\", \"marketing\": {{\"url_conversion\": \"/lp?utm_source={}#utm_medium=m\"}}}}\n",
                "s".repeat(i % 300)
            )),
            5 => input.push_str(&format!(
                "{{\"title\": \"{}\", \"expected_close_date\": \"2026-01-02\"}}\n",
                "x".repeat(i % 2000)
            )),
            _ => input.push_str("{\"title\": \"A\", \"tags\": [\"a\", \"a\"]}\r\n"),
        }
    }
    input
}

fn run_file(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wegly-attribution"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn normalize_names_input_lines() {
    let input = "\n{\"title\": \"A\"}\n \t\r\n\n{\"title\": \"broken\",\r\n{\"title\": \"B\"}\n";
    let output = run(&["normalize"], input);
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    // `line` comes right after `record`.
    assert!(
        stdout.starts_with("{\"record\":1,\"line\":2,\"ok\":true,"),
        "{stdout}"
    );
    let found: Vec<_> = lines(&output)
        .iter()
        .map(|l| (l["record"].as_u64().unwrap(), l["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(found, [(1, 2), (2, 5), (3, 6)]);
    // The position names the input line, and the column in it.
    assert_eq!(
        lines(&output)[1]["errors"][0],
        json!({"path": "", "code": "invalid_json", "message": "not JSON: EOF while parsing a value at line 5 column 19"})
    );
}

#[test]
fn normalize_columns_count_a_byte_order_mark() {
    let output = run(&["normalize"], "\u{feff}{\"title\" 1}\n");
    assert_eq!(
        lines(&output)[0]["errors"][0]["message"],
        "not JSON: expected `:` at line 1 column 13"
    );
}

#[test]
fn normalize_reads_a_form_feed_line_as_a_record() {
    // Blank is JSON white space alone: a form feed, a vertical tab or a no-break space are
    // records, not JSON, rather than lines silently skipped.
    let output = run(&["normalize"], "\u{c}\n\u{b}\n\u{a0}\n \t\r\n");
    assert_eq!(output.status.code(), Some(1));
    let lines = lines(&output);
    let found: Vec<_> = lines
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap(),
                l["errors"][0]["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (1, "invalid_json"),
            (2, "invalid_json"),
            (3, "invalid_json")
        ]
    );
    assert_eq!(
        lines[0]["errors"][0]["message"],
        "not JSON: expected value at line 1 column 1"
    );
}

#[test]
fn normalize_writes_input_order_whatever_the_jobs() {
    // Enough records for many batches (of at most 1024 records or 64 KiB each).
    let input = many_records(20_000);
    let path = scratch("order.ndjson", input.as_bytes());
    let one = run_file(&["normalize", "-j", "1", "--summary", "none", &path]);
    assert_eq!(one.status.code(), Some(1));
    assert!(one.stderr.is_empty());
    let numbers: Vec<u64> = lines(&one)
        .iter()
        .map(|l| l["record"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=numbers.len() as u64).collect::<Vec<_>>());
    assert_eq!(numbers.len(), 20_000 - 20_000 / 7);
    for jobs in ["2", "4", "7"] {
        let many = run_file(&["normalize", "--jobs", jobs, "--summary", "none", &path]);
        assert_eq!(many.status.code(), Some(1));
        assert!(many.stdout == one.stdout, "-j {jobs} differs from -j 1");
    }
    // The default (the number of cores) and stdin give the same bytes too.
    let default = run_file(&["normalize", "--summary", "none", &path]);
    assert!(default.stdout == one.stdout);
}

#[test]
fn normalize_summary_as_json() {
    let input = "{\"title\": \"A\", \"expected_close_date\": \"2026-01-02\"}\n{\"title\": \"\", \"value\": -1}\nnope\n";
    let output = run(&["normalize", "--summary", "json"], input);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // The members in a fixed order, so a log line reads the same every run.
    assert!(
        stderr.starts_with("{\"records\":3,\"ok\":1,\"rejected\":2,\"errors_by_code\":"),
        "{stderr}"
    );
    let mut summary: Value = serde_json::from_str(&stderr).unwrap();
    assert!(summary["seconds"].as_f64().unwrap() >= 0.0);
    summary.as_object_mut().unwrap().remove("seconds");
    assert_eq!(
        summary,
        json!({
            "records": 3, "ok": 1, "rejected": 2,
            "errors_by_code": {"invalid_json": 1, "negative": 1, "required": 1},
            "warnings_by_code": {"date_only": 1},
        })
    );
    let none = run(&["normalize", "--summary", "none"], input);
    assert_eq!(none.status.code(), Some(1));
    assert!(none.stderr.is_empty());
}

#[test]
fn normalize_stops_on_a_closed_pipe() {
    let path = scratch("pipe.ndjson", many_records(50_000).as_bytes());
    for jobs in ["1", "2"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wegly-attribution"))
            .args(["normalize", "-j", jobs, &path])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
        assert!(first.starts_with("{\"record\":1,"), "{first}");
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        // Like `| head -1`: status 2 (the run did not finish), no summary, no message.
        assert_eq!(output.status.code(), Some(2), "-j {jobs}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "-j {jobs}");
    }
}

#[test]
fn read_errors_name_the_path() {
    let dir = env!("CARGO_TARGET_TMPDIR");
    for jobs in ["1", "2"] {
        let output = run(&["normalize", "-j", jobs, dir], "");
        assert_eq!(output.status.code(), Some(2));
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("wegly-attribution: {dir}: ")),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "no summary: {stderr}");
    }
}

const CATALOG: &str = r#"{
    "trackers": {"OPP123": {"name": "Evento"}, "TRK-1": {"id": "3f2b8a71-5c4e-4d19-9a6b-0e7c1d2f8a90"},
                 "BLANK": {"name": "  "}},
    "tags": ["crm", "enterprise"],
    "stages_requiring_quality_reason": ["21bade02-6a6a-4768-b2ed-66ffdcc99396"]
}"#;

#[test]
fn normalize_with_a_catalog() {
    let catalog = scratch("catalog.json", CATALOG.as_bytes());
    let input = concat!(
        "{\"title\": \"A\", \"marketing\": {\"wegly_code\": \"OPP123\"}, \"tags\": [\"crm\"]}\n",
        "{\"title\": \"B\", \"marketing\": {\"url_conversion\": \"/?wegly_code=TRK-1\"}}\n",
        "{\"title\": \"C\", \"marketing\": {\"wegly_code\": \"NOPE\"}}\n",
        "{\"title\": \"D\", \"tags\": [\"crm\", \"vip\"]}\n",
        "{\"title\": \"E\", \"stage_id\": \"21bade02-6a6a-4768-b2ed-66ffdcc99396\"}\n",
        "{\"title\": \"F\", \"stage_id\": \"6102dd70-63e8-440e-9dd8-904f07489671\"}\n",
        "{\"title\": \"G\"}\n",
    );
    let output = run(&["normalize", "--catalog", &catalog], input);
    assert_eq!(output.status.code(), Some(1));
    let lines = lines(&output);
    assert_eq!(
        lines[0]["request"]["lead_source"],
        json!({"name": "Evento"})
    );
    assert_eq!(
        lines[1]["request"]["crm_lead_source_id"],
        "3f2b8a71-5c4e-4d19-9a6b-0e7c1d2f8a90"
    );
    assert_eq!(lines[2]["ok"], true);
    assert_eq!(lines[2]["warnings"][0]["code"], "unknown_tracker");
    assert_eq!(lines[2]["warnings"][0]["path"], "/marketing/wegly_code");
    assert_eq!(
        (
            &lines[3]["errors"][0]["path"],
            &lines[3]["errors"][0]["code"]
        ),
        (&json!("/tags/1"), &json!("not_found"))
    );
    assert_eq!(
        (
            &lines[4]["errors"][0]["path"],
            &lines[4]["errors"][0]["code"]
        ),
        (&json!("/quality_reason"), &json!("required"))
    );
    // A stage not listed needs no reason; no stage (the primary pipeline) is not checked.
    assert_eq!(
        (&lines[5]["ok"], &lines[6]["ok"]),
        (&json!(true), &json!(true))
    );

    // Without the catalog, none of these checks run.
    let output = run(&["normalize"], input);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn normalize_with_a_partial_catalog_skips_the_absent_parts() {
    let catalog = scratch("tags-only.json", br#"{"tags": ["crm"]}"#);
    let output = run(
        &["normalize", "--catalog", &catalog],
        "{\"title\": \"A\", \"marketing\": {\"wegly_code\": \"NOPE\"}, \"stage_id\": \"21bade02-6a6a-4768-b2ed-66ffdcc99396\"}\n",
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(lines(&output)[0]["warnings"], json!([]));
}

#[test]
fn extract_with_a_catalog() {
    let catalog = scratch("extract-catalog.json", CATALOG.as_bytes());
    let output = run(
        &[
            "extract",
            "--catalog",
            &catalog,
            "/lp?wegly_code=OPP123",
            "/lp?wegly_code=TRK-1",
            "/lp?wegly_code=NOPE",
            "/lp?utm_source=x",
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(0));
    let lines = lines(&output);
    let found: Vec<_> = lines.iter().map(|l| l["lead_source"].clone()).collect();
    assert_eq!(
        found,
        [
            json!({"name": "Evento"}),
            json!({"id": "3f2b8a71-5c4e-4d19-9a6b-0e7c1d2f8a90"}),
            Value::Null,
            Value::Null,
        ]
    );
    assert_eq!(lines[2]["warnings"][0]["code"], "unknown_tracker");
}

#[test]
fn a_bad_catalog_is_a_usage_error() {
    let dir = env!("CARGO_TARGET_TMPDIR");
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "not-json.json",
            b"{\"tags\": [\"crm\"",
            "catalog is not JSON at line 1 column 15: EOF while parsing a list",
        ),
        (
            "unknown-member.json",
            b"{\"tag\": []}",
            "catalog has the wrong shape at line 1 column 6: unknown field `tag`",
        ),
        (
            "bad-uuid.json",
            br#"{"trackers": {"X": {"id": "abc"}}}"#,
            "catalog has the wrong shape at line 1 column 31: UUID parsing failed",
        ),
        (
            "bad-stage.json",
            br#"{"stages_requiring_quality_reason": ["abc"]}"#,
            "catalog has the wrong shape at line 1 column 42: UUID parsing failed",
        ),
        (
            "id-and-name.json",
            br#"{"trackers": {"X": {"id": "3f2b8a71-5c4e-4d19-9a6b-0e7c1d2f8a90", "name": "N"}}}"#,
            "catalog has the wrong shape at line 1 column 79: a tracker has exactly one of `id` and `name`",
        ),
        (
            "extra-member.json",
            br#"{"trackers": {"X": {"name": "N", "kind": 1}}}"#,
            "catalog has the wrong shape at line 1 column 39: unknown field `kind`",
        ),
        (
            "tags-object.json",
            br#"{"tags": {"crm": true}}"#,
            "catalog has the wrong shape at line 1 column 9: invalid type: map, expected",
        ),
    ];
    for (name, contents, message) in cases {
        let path = scratch(name, contents);
        for command in ["normalize", "extract"] {
            let output = run(&[command, "--catalog", &path], "{\"title\": \"A\"}\n");
            assert_eq!(output.status.code(), Some(2), "{name}");
            assert!(output.stdout.is_empty(), "{name}");
            let stderr = String::from_utf8(output.stderr).unwrap();
            let expected = format!("wegly-attribution: {path}: {message}");
            assert!(
                stderr.starts_with(&expected),
                "{name}: {stderr}\nexpected: {expected}"
            );
        }
    }
    for unreadable in ["/nonexistent/catalog.json", dir] {
        let output = run(&["normalize", "--catalog", unreadable], "");
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("wegly-attribution: {unreadable}: ")),
            "{stderr}"
        );
    }
}

#[test]
fn the_sample_catalog_runs() {
    let root = env!("CARGO_MANIFEST_DIR");
    let catalog = format!("{root}/examples/catalog.json");
    let urls = std::fs::read_to_string(format!("{root}/examples/urls.txt")).unwrap();
    let extracted = run(&["extract", "--catalog", &catalog], &urls);
    assert_eq!(extracted.status.code(), Some(0));
    let sources = lines(&extracted)
        .iter()
        .filter(|l| !l["lead_source"].is_null())
        .count();
    assert!(
        sources >= 3,
        "the sample catalog knows some of the sample's trackers"
    );
    let deals = run(
        &[
            "normalize",
            "--catalog",
            &catalog,
            &format!("{root}/examples/deals.ndjson"),
        ],
        "",
    );
    assert_eq!(deals.status.code(), Some(1));
}
