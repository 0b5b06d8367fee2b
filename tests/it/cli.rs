//! The command-line contract of SPEC 5, run as a user would (needs the `cli` feature).
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
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
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
            "marketing": {
                "gclid": "XYZ",
                "url_conversion": seed,
                "utm_campaign": "crm-enterprise",
                "wegly_campaign": "crm-enterprise",
                "wegly_code": "OPP123",
            },
            "click_ids": [{"param": "gclid", "platform": "google", "value": "XYZ"}],
            "warnings": [],
        })
    );
    assert_eq!(lines[1]["marketing"]["utm_source"], "fb");
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
fn extract_needs_a_url() {
    let output = run(&["extract"], "");
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["frobnicate"], "");
    assert_eq!(output.status.code(), Some(2));
    let help = run(&["extract", "--help"], "");
    assert_eq!(help.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("utm_term into an absent utm_search_term")
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
