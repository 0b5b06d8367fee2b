//! `wegly-gateway`: the gateway service of `docs/rules.md` §4.9.
//!
//! It receives create-deal POSTs from landing pages, validates and normalizes them with
//! `wegly-attribution`, and forwards them to the Wegly API within a deadline. What the API
//! surely did not take is kept in a SQLite outbox and delivered later; what it may have taken
//! is never sent twice. `gateway/README.md` is the operator's guide.
//!
//! - `config`: settings from the environment and flags, checked at start (exit 2).
//! - `server`: the listener, the connection cap and each connection's timeouts.
//! - `app`: the routes: `POST /deals`, `GET /healthz`, `GET /metrics`.
//! - `outbox` and `deliver`: the durable queue and the task that empties it.
//! - `metrics`: the Prometheus registry; `logs`: stderr, written in batches.

mod app;
mod config;
mod deliver;
mod logs;
mod metrics;
mod outbox;
mod server;

use std::process::ExitCode;

use clap::Parser;

use config::{BadSetting, Cli, Command, Config, OutboxCommand};

/// A request allocates a few hundred small blocks (headers, the deal, its JSON both ways, the
/// client's futures) and frees them on another worker thread as often as not; glibc's `malloc`
/// spent about 15% of a request's instructions on that (`benches/REPORT.md`, "The gateway
/// service"), mimalloc's thread-local free lists half of it. Built with `no_thp`: mimalloc
/// otherwise asks for transparent huge pages, and each thread's first touch of its arena
/// then costs 2 MiB of RSS (a peak of 32-48 MiB over the load run, against 21 MiB without).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Outbox(command)) => outbox_command(&cli.outbox, command),
        None => match Config::check(cli.serve, &cli.outbox) {
            Ok(config) => serve(config),
            Err(bad) => usage(&bad),
        },
    }
}

/// A bad setting: its name and why, exit status 2.
fn usage(bad: &BadSetting) -> ExitCode {
    eprintln!("wegly-gateway: {bad}");
    ExitCode::from(2)
}

/// Runs the service until SIGTERM or Ctrl-C.
fn serve(config: Config) -> ExitCode {
    // Log lines go to stderr in batches (see `logs`); `_flush` writes the last ones.
    let (writer, _flush) = logs::Batched::to_stderr();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(writer)
        .event_format(logs::Format)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("wegly-gateway: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(server::StartError::Setting(bad)) => usage(&bad),
        Err(server::StartError::Io(err)) => {
            eprintln!("wegly-gateway: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `wegly-gateway outbox list|retry|drop`.
fn outbox_command(setting: &str, command: OutboxCommand) -> ExitCode {
    let path = match config::outbox_path(setting) {
        Ok(Some(path)) => path,
        Ok(None) => {
            return usage(&BadSetting {
                name: "OUTBOX",
                reason: "`off`: there is no outbox to manage".to_owned(),
            });
        }
        Err(bad) => return usage(&bad),
    };
    if !path.exists() {
        return usage(&BadSetting {
            name: "OUTBOX",
            reason: format!("no outbox at {}", path.display()),
        });
    }
    let outbox = match outbox::Outbox::open(&path) {
        Ok(outbox) => outbox,
        Err(err) => {
            eprintln!("wegly-gateway: {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let done = match command {
        OutboxCommand::List { state } => {
            let state = match state.as_deref().map(outbox::State::parse) {
                None => None,
                Some(Some(state)) => Some(state),
                Some(None) => {
                    return usage(&BadSetting {
                        name: "--state",
                        reason: "one of queued, sending, delivered, rejected, unknown".to_owned(),
                    });
                }
            };
            outbox.list(state).map(|entries| {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                for entry in entries {
                    // A closed pipe ends the listing quietly.
                    if writeln!(out, "{}", entry.to_json()).is_err() {
                        break;
                    }
                }
            })
        }
        OutboxCommand::Retry { id } => outbox.retry(id),
        OutboxCommand::Drop { id } => outbox.drop_entry(id),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(outbox::OutboxError::Refused(reason)) => {
            eprintln!("wegly-gateway: {reason}");
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("wegly-gateway: {}: {err}", path.display());
            ExitCode::FAILURE
        }
    }
}
