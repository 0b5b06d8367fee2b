//! The gateway's load run (benches/REPORT.md, "The gateway service"): the release binary as a
//! process, the API stand-in in this process, every client on loopback. Not a test: it prints
//! figures, and exits non-zero only when a deal was lost or created twice.
//!
//! ```sh
//! cargo build --release -p wegly-gateway --example load
//! target/release/examples/load all          # or: throughput | faults | stall | deadline
//! ```
//!
//! - `throughput`: 100,000 deals over 64 keep-alive connections, the API answering at once: the
//!   gateway's CPU per request and its peak RSS.
//! - `faults`: 20,000 deals through a fault mix at the API (429, 503, 500 after storing, a
//!   dropped connection, slow answers, hangs), the gateway killed with `kill -9` twice along
//!   the way and started again on its outbox; then the outbox drains, and every answer is held
//!   against the deals the API stored: no deal twice, no 201 or 202 without a deal.
//! - `stall`: 1,100 connections that send half a request line and stop, with the soft
//!   descriptor limit at 1,024 (the hard one higher, as systemd sets them), while a normal
//!   client posts: its latency percentiles; then the same with the hard limit at 1,024: the
//!   gateway's open descriptors and the normal client's slowest answer. Also the memory of an
//!   idle connection.
//! - `deadline`: the API hanging, then rate limiting with `Retry-After: 30`: the slowest answer.
//! - `instructions` (not part of `all`; needs `valgrind`): the gateway under callgrind, once with
//!   1,000 deals and once with 3,000, the API answering at once: the instructions one request
//!   costs the whole process (all threads, the kernel's share excluded), the difference of the
//!   two totals over 2,000. Unlike CPU time, which drifts on a shared virtual machine, this
//!   count moves only when the code does.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "../../examples/fake_wegly/fake.rs"]
mod fake;
#[path = "../tests/support/spawn.rs"]
mod spawn;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::HeaderValue;
use fake::{Fake, FakeConfig};
use tokio::io::AsyncWriteExt;

const TOKEN: &str = "tok-load";

#[tokio::main]
async fn main() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let which = std::env::args().nth(1).unwrap_or_else(|| "all".to_owned());
    let binary = gateway_binary();
    println!("gateway binary: {}", binary.display());
    let mut failed = false;
    if matches!(which.as_str(), "all" | "throughput") {
        throughput(&binary).await;
    }
    if matches!(which.as_str(), "all" | "faults") {
        failed |= !faults(&binary).await;
    }
    if matches!(which.as_str(), "all" | "stall") {
        stall(&binary).await;
    }
    if matches!(which.as_str(), "all" | "deadline") {
        deadline(&binary).await;
    }
    if which == "instructions" {
        instructions(&binary).await;
    }
    if failed {
        std::process::exit(1);
    }
}

/// The release `wegly-gateway` beside this example, or `LOAD_GATEWAY` (to compare two builds).
fn gateway_binary() -> PathBuf {
    if let Some(binary) = std::env::var_os("LOAD_GATEWAY") {
        return PathBuf::from(binary);
    }
    let me = std::env::current_exe().unwrap();
    let dir = me.parent().and_then(Path::parent).unwrap();
    let binary = dir.join("wegly-gateway");
    assert!(
        binary.exists(),
        "build it first: cargo build --release -p wegly-gateway"
    );
    binary
}

/// The stand-in, with a fault chosen per request by `pick` (a header value, or none).
async fn stand_in(pick: Option<fn(u64) -> Option<&'static str>>) -> (String, Fake) {
    let config = FakeConfig::from_tokens(&format!("{TOKEN}="))
        .unwrap()
        .retry_after_secs(1)
        .slow(Duration::from_millis(1500));
    let fake = Fake::new(config);
    let mut router = fake.router();
    if let Some(pick) = pick {
        let counter = Arc::new(AtomicU64::new(0));
        router = router.layer(axum::middleware::map_request(
            move |mut request: Request| {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                async move {
                    if let Some(fault) = pick(n) {
                        request
                            .headers_mut()
                            .insert("x-fake-fail", HeaderValue::from_static(fault));
                    }
                    request
                }
            },
        ));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), fake)
}

/// A running gateway process.
struct Gateway {
    child: Child,
    address: SocketAddr,
}

impl Gateway {
    /// Starts it; `limits` is `(soft, hard)` for its descriptor limit, set with `prlimit`.
    fn start(
        binary: &Path,
        api: &str,
        settings: &[(&str, &str)],
        limits: Option<(u64, u64)>,
    ) -> Gateway {
        let command = match limits {
            Some((soft, hard)) => {
                let mut command = Command::new("prlimit");
                command.arg(format!("--nofile={soft}:{hard}")).arg(binary);
                command
            }
            None => Command::new(binary),
        };
        Gateway::start_command(command, api, settings)
    }

    /// Starts `command` (the binary, or a wrapper that runs it) with the run's settings.
    fn start_command(mut command: Command, api: &str, settings: &[(&str, &str)]) -> Gateway {
        command
            .env("PORT", "0")
            .env("WEGLY_BASE_URL", api)
            .env("WEGLY_TOKEN", TOKEN)
            .env(
                "RUST_LOG",
                std::env::var("LOAD_LOG").unwrap_or_else(|_| "info".to_owned()),
            );
        for (name, value) in settings {
            command.env(name, value);
        }
        let (child, address) = spawn::spawn(command, |line| {
            if line.contains("ERROR") || line.contains("lowered") {
                eprintln!("  gateway: {line}");
            }
        });
        let address = address.expect("the gateway did not start");
        Gateway { child, address }
    }

    fn url(&self) -> String {
        format!("http://{}/deals", self.address)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU seconds used so far: user and system.
    fn cpu(&self) -> (f64, f64) {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap();
        let after = stat.rsplit_once(')').unwrap().1;
        let fields: Vec<&str> = after.split_whitespace().collect();
        // utime and stime, in clock ticks of 1/100 s (`getconf CLK_TCK`).
        let user = fields[11].parse::<u64>().unwrap() as f64 / 100.0;
        let system = fields[12].parse::<u64>().unwrap() as f64 / 100.0;
        (user, system)
    }

    /// A `/proc/PID/status` field, in KiB (`VmRSS`, `VmHWM`).
    fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|rest| rest.trim_start_matches(':').split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0)
    }

    /// Open descriptors.
    fn fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid()))
            .map(|dir| dir.count())
            .unwrap_or(0)
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, as an orchestrator stops it, and waits for the drain to end.
    fn terminate(mut self) {
        let sent = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        self.child.wait().unwrap();
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn body(title: &str) -> Vec<u8> {
    format!(
        r#"{{"title":"{title}","value":1500.5,"marketing":{{"url_conversion":"https://landing.wegly.com.br/obrigado?utm_source=google&utm_medium=cpc&utm_campaign=crm&gclid=Cj0KCQjw"}}}}"#
    )
    .into_bytes()
}

/// Posts `titles` over `connections` keep-alive connections; each title's status (0: no
/// answer) and latency.
async fn post_all(
    url: &str,
    titles: Vec<String>,
    connections: usize,
) -> Vec<(String, u16, Duration)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let queue = Arc::new(Mutex::new(titles.into_iter()));
    let results = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let client = client.clone();
            let url = url.to_owned();
            let queue = Arc::clone(&queue);
            let results = Arc::clone(&results);
            tokio::spawn(async move {
                loop {
                    let Some(title) = queue.lock().unwrap().next() else {
                        return;
                    };
                    let started = Instant::now();
                    let status = match client
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("origin", "https://landing.wegly.com.br")
                        .body(body(&title))
                        .send()
                        .await
                    {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            match response.bytes().await {
                                Ok(_) => status,
                                Err(_) => 0,
                            }
                        }
                        Err(_) => 0,
                    };
                    results
                        .lock()
                        .unwrap()
                        .push((title, status, started.elapsed()));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    Arc::try_unwrap(results).unwrap().into_inner().unwrap()
}

fn percentile(latencies: &mut [Duration], p: f64) -> Duration {
    latencies.sort();
    let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
    latencies[i.min(latencies.len() - 1)]
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wegly-load-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn throughput(binary: &Path) {
    println!("\n== throughput: 100,000 deals, 64 connections, the API answering at once");
    let (api, fake) = stand_in(None).await;
    let dir = scratch("throughput");
    let outbox = dir.join("outbox.sqlite");
    let gateway = Gateway::start(binary, &api, &[("OUTBOX", outbox.to_str().unwrap())], None);
    // Warm up, then measure.
    post_all(
        &gateway.url(),
        (0..2_000).map(|i| format!("warm {i}")).collect(),
        64,
    )
    .await;
    let rss_before = gateway.status_kib("VmRSS");
    let cpu_before = gateway.cpu();
    let started = Instant::now();
    let n = 100_000;
    let results = post_all(
        &gateway.url(),
        (0..n).map(|i| format!("deal {i}")).collect(),
        64,
    )
    .await;
    let wall = started.elapsed();
    let (user, system) = gateway.cpu();
    let (user, system) = (user - cpu_before.0, system - cpu_before.1);
    let created = results.iter().filter(|r| r.1 == 201).count();
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.2).collect();
    let per = |seconds: f64| seconds * 1e6 / n as f64;
    println!(
        "  {created} of {n} created; {:.0} requests/s; gateway CPU {:.1} µs a request: {:.1} user, {:.1} system ({:.2} s)",
        n as f64 / wall.as_secs_f64(),
        per(user + system),
        per(user),
        per(system),
        user + system
    );
    println!(
        "  RSS {} KiB before, {} KiB after, peak {} KiB; latency p50 {:?} p99 {:?}",
        rss_before,
        gateway.status_kib("VmRSS"),
        gateway.status_kib("VmHWM"),
        percentile(&mut latencies, 0.5),
        percentile(&mut latencies, 0.99)
    );
    assert_eq!(fake.deals().len(), created + 2_000);
}

/// The instructions of one request through the gateway process, by callgrind.
async fn instructions(binary: &Path) {
    println!("\n== instructions: one request through the gateway process, by callgrind");
    let (api, fake) = stand_in(None).await;
    let mut totals = Vec::new();
    let mut stored = 0;
    for n in [1_000, 3_000] {
        let dir = scratch(&format!("instructions-{n}"));
        let profile = dir.join("callgrind.out");
        let outbox = dir.join("outbox.sqlite");
        let mut command = Command::new("valgrind");
        command
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", profile.display()))
            .arg(binary);
        let gateway =
            Gateway::start_command(command, &api, &[("OUTBOX", outbox.to_str().unwrap())]);
        let results = post_all(
            &gateway.url(),
            (0..n).map(|i| format!("counted {n} {i}")).collect(),
            16,
        )
        .await;
        let created = results.iter().filter(|r| r.1 == 201).count();
        assert_eq!(created, n, "every deal is created");
        stored += n;
        gateway.terminate();
        let text = std::fs::read_to_string(&profile).unwrap();
        // callgrind's last line: `totals: N` (or `summary: N`), the whole run's instructions.
        let total: u64 = text
            .lines()
            .rev()
            .find_map(|line| {
                line.strip_prefix("totals:")
                    .or_else(|| line.strip_prefix("summary:"))
            })
            .and_then(|n| n.trim().parse().ok())
            .expect("callgrind wrote its totals");
        println!(
            "  {n} deals: {total} instructions (profile: {})",
            profile.display()
        );
        totals.push(total);
    }
    assert_eq!(fake.deals().len(), stored);
    if let [one, three] = totals[..] {
        println!(
            "  one request: {} instructions (the difference over 2,000 requests)",
            three.saturating_sub(one) / 2_000
        );
    }
}

/// The fault mix, per API request: 10% 429, 10% 503, 4% 500 after storing, 4% dropped after
/// the body, 2% slow (stored, answered after 1.5 s), 0.5% hanging.
fn fault_mix(n: u64) -> Option<&'static str> {
    // A fixed scramble of the request number: the same mix every run.
    let r = n.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17) % 1000;
    match r {
        0..100 => Some("429x1000000000"),
        100..200 => Some("503x1000000000"),
        200..240 => Some("500x1000000000"),
        240..280 => Some("dropx1000000000"),
        280..300 => Some("slowx1000000000"),
        300..305 => Some("hangx1000000000"),
        _ => None,
    }
}

async fn faults(binary: &Path) -> bool {
    println!(
        "\n== faults: 20,000 deals through the fault mix, kill -9 twice while posting, then the outbox drains"
    );
    let (api, fake) = stand_in(Some(fault_mix)).await;
    let dir = scratch("faults");
    let outbox = dir.join("outbox.sqlite");
    // One port for every restart, so that the clients keep posting to the same address.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let settings = [
        ("OUTBOX", outbox.to_str().unwrap()),
        ("PORT", port.as_str()),
        ("OUTBOX_MAX_BACKOFF", "0.5"),
        ("OUTBOX_MAX_RETRY_AFTER", "1"),
    ];
    let mut gateway = Gateway::start(binary, &api, &settings, None);
    let url = gateway.url();
    let titles: Vec<String> = (0..20_000).map(|i| format!("deal {i}")).collect();
    let posting = tokio::spawn(async move { post_all(&url, titles, 64).await });
    let mut kills = 0;
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_secs(2)).await;
        gateway.kill();
        kills += 1;
        gateway = Gateway::start(binary, &api, &settings, None);
    }
    let mut answers: HashMap<String, u16> = HashMap::new();
    let mut slowest = Duration::ZERO;
    for (title, status, latency) in posting.await.unwrap() {
        slowest = slowest.max(latency);
        answers.insert(title, status);
    }
    // Let the outbox drain through the same faults.
    let until = Instant::now() + Duration::from_secs(120);
    loop {
        let health: serde_json::Value = reqwest::get(format!("http://{}/healthz", gateway.address))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let pending = health["outbox"]["queued"].as_u64().unwrap_or(1)
            + health["outbox"]["sending"].as_u64().unwrap_or(1);
        if pending == 0 || Instant::now() > until {
            println!("  outbox after the drain: {}", health["outbox"]);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(gateway);
    // The stand-in may still be holding slow answers: give them time to land.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut created: HashMap<String, usize> = HashMap::new();
    for deal in fake.deals() {
        *created
            .entry(deal.request["title"].as_str().unwrap_or("").to_owned())
            .or_default() += 1;
    }
    let entries = outbox_states(binary, &outbox);
    let mut by_status: HashMap<u16, usize> = HashMap::new();
    for status in answers.values() {
        *by_status.entry(*status).or_default() += 1;
    }
    let duplicates = created.values().filter(|&&n| n > 1).count();
    let created_without_deal = answers
        .iter()
        .filter(|(t, s)| **s == 201 && !created.contains_key(*t))
        .count();
    let queued: Vec<&String> = answers
        .iter()
        .filter(|(_, s)| **s == 202)
        .map(|(t, _)| t)
        .collect();
    let queued_delivered_without_deal = queued
        .iter()
        .filter(|t| {
            entries.get(**t).map(String::as_str) == Some("delivered") && !created.contains_key(**t)
        })
        .count();
    let queued_lost = queued.iter().filter(|t| !entries.contains_key(**t)).count();
    let queued_unknown = queued
        .iter()
        .filter(|t| entries.get(**t).map(String::as_str) == Some("unknown"))
        .count();
    let queued_pending = queued
        .iter()
        .filter(|t| {
            matches!(
                entries.get(**t).map(String::as_str),
                Some("queued" | "sending")
            )
        })
        .count();
    let unknown_answers = answers.iter().filter(|(_, s)| **s == 502).count();
    let mut statuses: Vec<_> = by_status.into_iter().collect();
    statuses.sort();
    println!(
        "  answers by status (0: none, the gateway was killed): {statuses:?}; slowest {slowest:?}; kills {kills}"
    );
    println!(
        "  deals stored {}; duplicates {duplicates}; 201 without a deal {created_without_deal}",
        created.len()
    );
    println!(
        "  202 queued {}: delivered without a deal {queued_delivered_without_deal}, lost {queued_lost}, still pending {queued_pending}, left unknown by a deliverer fault {queued_unknown}",
        queued.len()
    );
    println!("  502 upstream_outcome_unknown/auth answers: {unknown_answers}");
    duplicates == 0
        && created_without_deal == 0
        && queued_delivered_without_deal == 0
        && queued_lost == 0
}

/// Each outbox entry's state, by title, read with `wegly-gateway outbox list`.
fn outbox_states(binary: &Path, outbox: &Path) -> HashMap<String, String> {
    let output = Command::new(binary)
        .env("OUTBOX", outbox)
        .args(["outbox", "list"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|e| {
            (
                e["title"].as_str().unwrap_or("").to_owned(),
                e["state"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Opens `n` connections that send half a request line and stop.
async fn stalled(address: SocketAddr, n: usize) -> Vec<tokio::net::TcpStream> {
    let mut streams = Vec::with_capacity(n);
    for _ in 0..n {
        let connect = tokio::net::TcpStream::connect(address);
        match tokio::time::timeout(Duration::from_secs(2), connect).await {
            Ok(Ok(mut stream)) => {
                let _ = stream
                    .write_all(b"POST /deals HTTP/1.1\r\nHost: x\r\n")
                    .await;
                streams.push(stream);
            }
            _ => break,
        }
    }
    streams
}

/// A normal client's sequential posts on fresh connections while `during` runs: latencies.
async fn normal_client(url: &str, n: usize) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::with_capacity(n);
    let mut failed = 0;
    for i in 0..n {
        // A new connection each time, as a browser from another page would.
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        let started = Instant::now();
        let ok = match client
            .post(url)
            .header("content-type", "application/json")
            .body(body(&format!("normal {i}")))
            .send()
            .await
        {
            Ok(response) => response.status().as_u16() == 201 && response.bytes().await.is_ok(),
            Err(_) => false,
        };
        if ok {
            latencies.push(started.elapsed());
        } else {
            failed += 1;
        }
    }
    (latencies, failed)
}

async fn stall(binary: &Path) {
    println!("\n== stall: 1,100 connections stalled mid-request-line, a normal client posting");
    let (api, _fake) = stand_in(None).await;

    // Soft 1,024, hard higher (this machine's hard limit): the gateway raises its soft limit
    // at start.
    let hard = rlimit::Resource::NOFILE.get_hard().unwrap_or(65536);
    let gateway = Gateway::start(binary, &api, &[("OUTBOX", "off")], Some((1024, hard)));
    let idle_before = gateway.status_kib("VmRSS");
    let streams = stalled(gateway.address, 1_100).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_after = gateway.status_kib("VmRSS");
    println!(
        "  soft 1,024 / hard {hard}: {} stalled connections open; gateway fds {}; RSS {} -> {} KiB ({:.1} KiB a connection)",
        streams.len(),
        gateway.fds(),
        idle_before,
        idle_after,
        (idle_after.saturating_sub(idle_before)) as f64 / streams.len().max(1) as f64
    );
    let (mut latencies, failed) = normal_client(&gateway.url(), 500).await;
    println!(
        "  normal client: {} answered, {failed} failed; p50 {:?} p99 {:?} max {:?}",
        latencies.len(),
        percentile(&mut latencies, 0.5),
        percentile(&mut latencies, 0.99),
        latencies.last().copied().unwrap_or_default()
    );
    drop(streams);
    drop(gateway);

    // Hard limit 1,024 too: the connection cap keeps the gateway's descriptors below it.
    let gateway = Gateway::start(binary, &api, &[("OUTBOX", "off")], Some((1024, 1024)));
    let streams = stalled(gateway.address, 1_100).await;
    let max_fds = Arc::new(AtomicU64::new(0));
    let watcher = {
        let max_fds = Arc::clone(&max_fds);
        let pid = gateway.pid();
        tokio::spawn(async move {
            loop {
                let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
                    .map(|d| d.count())
                    .unwrap_or(0);
                max_fds.fetch_max(fds as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let (mut latencies, failed) = normal_client(&gateway.url(), 20).await;
    watcher.abort();
    println!(
        "  soft = hard = 1,024: {} stalled connections made; gateway fds at most {}; normal client {} answered, {failed} failed, slowest {:?}",
        streams.len(),
        max_fds.load(Ordering::Relaxed),
        latencies.len(),
        percentile(&mut latencies, 1.0)
    );
}

async fn deadline(binary: &Path) {
    println!("\n== deadline: every answer within 15 s while the API hangs, then rate limits");
    for (name, fault) in [
        ("hanging", "hangx1000000000"),
        ("429 Retry-After: 30", "429x1000000000"),
    ] {
        let config = FakeConfig::from_tokens(&format!("{TOKEN}="))
            .unwrap()
            .retry_after_secs(30);
        let fake = Fake::new(config);
        fake.set_default_fault(Some(fault));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, fake.router()).await });
        let dir = scratch("deadline");
        let outbox = dir.join("outbox.sqlite");
        let gateway = Gateway::start(binary, &api, &[("OUTBOX", outbox.to_str().unwrap())], None);
        let results = post_all(
            &gateway.url(),
            (0..400).map(|i| format!("d {i}")).collect(),
            100,
        )
        .await;
        let mut statuses: HashMap<u16, usize> = HashMap::new();
        for r in &results {
            *statuses.entry(r.1).or_default() += 1;
        }
        let mut latencies: Vec<Duration> = results.iter().map(|r| r.2).collect();
        println!(
            "  API {name}: answers {:?}; slowest {:?}",
            {
                let mut s: Vec<_> = statuses.into_iter().collect();
                s.sort();
                s
            },
            percentile(&mut latencies, 1.0)
        );
    }
}
