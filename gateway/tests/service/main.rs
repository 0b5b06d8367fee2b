//! `wegly-gateway` as a real process, against the stand-in (`examples/fake_wegly/fake.rs`)
//! started in the test on loopback: real sockets, a real SQLite outbox, real signals and a
//! real `kill -9`. Timeouts are shortened by the service's own settings so the whole binary
//! runs in well under a minute.

// The no-panic lints guard `src/`; a test that unwraps is a test that fails loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../../examples/fake_wegly/fake.rs"]
mod fake;
mod hostile;
mod operate;
mod outbox;
mod outcomes;
#[path = "../support/spawn.rs"]
mod spawn;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fake::{Fake, FakeConfig};
use serde_json::Value;

/// A key without `allowed_domain`.
const OPEN: &str = "tok-open";
/// A key whose `allowed_domain` is `wegly.com.br`.
const DOMAIN: &str = "tok-domain";
/// The tags the stand-in knows.
const TAGS: &[&str] = &["enterprise", "crm", "pme"];
/// A browser page on the allowed domain.
const LANDING: &str = "https://landing.wegly.com.br";

/// Starts the stand-in on a random loopback port: its base URL and its handle.
async fn stand_in() -> (String, Fake) {
    let config = FakeConfig::from_tokens(&format!("{DOMAIN}=wegly.com.br,{OPEN}="))
        .unwrap()
        .retry_after_secs(1)
        .slow(Duration::from_millis(1500))
        .tags(TAGS);
    let (address, fake) = Fake::spawn(config).await.unwrap();
    (format!("http://{address}"), fake)
}

/// A directory of its own for one test's outbox.
fn scratch(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wegly-gateway-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A running `wegly-gateway`, killed when dropped.
struct Gateway {
    child: Child,
    address: SocketAddr,
    /// What it printed on stderr so far (read by a thread).
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Gateway {
    /// Starts the service with these settings (on port 0) and waits for it to listen.
    fn start(api: &str, settings: &[(&str, &str)]) -> Gateway {
        let mut command = Command::new(env!("CARGO_BIN_EXE_wegly-gateway"));
        command
            .env_clear()
            .env("PORT", "0")
            .env("WEGLY_BASE_URL", api)
            .env("WEGLY_TOKEN", OPEN)
            .env("RUST_LOG", "info");
        for (name, value) in settings {
            command.env(name, value);
        }
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = std::sync::Arc::clone(&log);
        let (mut child, address) = spawn::spawn(command, move |line| {
            let mut log = sink.lock().unwrap();
            log.push_str(line);
            log.push('\n');
        });
        let Some(address) = address else {
            let _ = child.kill();
            panic!("the gateway did not start:\n{}", log.lock().unwrap());
        };
        Gateway {
            child,
            address,
            log,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// `kill -9`.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, then its exit status and how long it took.
    fn terminate(mut self) -> (Option<i32>, Duration) {
        let started = Instant::now();
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let status = self.child.wait().unwrap();
        (status.code(), started.elapsed())
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser's POST of `body` from `origin`: the status, the headers, the JSON answer (or
/// `Value::Null` when the body is not JSON).
async fn post(url: &str, origin: &str, body: &[u8]) -> (u16, HashMap<String, String>, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header("origin", origin)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("").to_owned()))
        .collect();
    let bytes = response.bytes().await.unwrap();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A deal with this title.
fn deal(title: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "title": title,
        "marketing": {"url_conversion": "https://landing.wegly.com.br/lp?utm_source=google&gclid=SECRETCLICK"}
    }))
    .unwrap()
}

/// The gateway's `/healthz`.
async fn healthz(gateway: &Gateway) -> Value {
    reqwest::get(gateway.url("/healthz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Waits until `check` holds, for at most `limit`.
async fn eventually<F: AsyncFnMut() -> bool>(limit: Duration, mut check: F) -> bool {
    let until = Instant::now() + limit;
    while Instant::now() < until {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    check().await
}

/// `wegly-gateway outbox ARGS` on `file`: exit code, stdout lines as JSON, stderr.
fn outbox_command(file: &Path, args: &[&str]) -> (i32, Vec<Value>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_wegly-gateway"))
        .env_clear()
        .env("OUTBOX", file)
        .arg("outbox")
        .args(args)
        .output()
        .unwrap();
    let lines = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (
        output.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// How many deals the stand-in holds with this title.
fn created(fake: &Fake, title: &str) -> usize {
    fake.deals()
        .iter()
        .filter(|deal| deal.request["title"] == title)
        .count()
}
