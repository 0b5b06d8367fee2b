//! The service's configuration: every setting from the environment or a flag, with the
//! defaults of `docs/rules.md` §4.9, checked before anything starts.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use wegly_attribution::client::{Client, DEFAULT_BASE_URL, Retries};
use wegly_attribution::{AllowedDomain, BearerToken};

/// `wegly-gateway`: receives create-deal POSTs from landing pages, validates and normalizes
/// them, forwards them to the Wegly API, and keeps the deals the API could not take in a
/// durable outbox.
///
/// Every setting is an environment variable and a flag (the flag wins). A bad value stops the
/// start with a message that names it, exit status 2.
#[derive(Debug, Parser)]
#[command(name = "wegly-gateway", version, about, long_about = None)]
pub(crate) struct Cli {
    /// The outbox: a SQLite file, one per gateway instance; `off` turns it off.
    #[arg(
        long,
        env = "OUTBOX",
        default_value = "wegly-outbox.sqlite",
        global = true
    )]
    pub(crate) outbox: String,
    #[command(flatten)]
    pub(crate) serve: ServeArgs,
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// What to do instead of serving.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Manage the outbox file (`--outbox`/`OUTBOX`), also while a gateway runs on it.
    #[command(subcommand)]
    Outbox(OutboxCommand),
}

/// The outbox commands.
#[derive(Debug, Subcommand)]
pub(crate) enum OutboxCommand {
    /// One JSON line per entry, oldest first: id, state, created_at, attempts, title, deal_id.
    List {
        /// Only the entries in this state (queued, sending, delivered, rejected, unknown).
        #[arg(long)]
        state: Option<String>,
    },
    /// Queue an `unknown` (or `rejected`) entry again: for an operator who checked that the
    /// deal was not created.
    Retry {
        /// The entry's id.
        id: i64,
    },
    /// Delete an entry that is not being sent.
    Drop {
        /// The entry's id.
        id: i64,
    },
}

/// The server's settings.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The port to listen on.
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub(crate) port: u16,
    /// The address to listen on (`0.0.0.0` in a container).
    #[arg(long, env = "BIND", default_value = "127.0.0.1")]
    pub(crate) bind: IpAddr,
    /// Admit only browsers whose Origin (or Referer) is this domain or a subdomain of it;
    /// unset or empty admits every origin.
    #[arg(long, env = "ALLOWED_DOMAIN")]
    pub(crate) allowed_domain: Option<String>,
    /// The Wegly API's address.
    #[arg(long, env = "WEGLY_BASE_URL", default_value = DEFAULT_BASE_URL)]
    pub(crate) wegly_base_url: String,
    /// The integration token (required; prefer the environment to the flag, which `ps` shows).
    #[arg(long, env = "WEGLY_TOKEN", hide_env_values = true)]
    pub(crate) wegly_token: Option<String>,
    /// Seconds a connection may take to send complete headers (also a keep-alive connection
    /// that has started its next request).
    #[arg(long, env = "HEADER_TIMEOUT", default_value = "10", value_parser = seconds)]
    pub(crate) header_timeout: Duration,
    /// Seconds a request body may send nothing before it is cut with 408.
    #[arg(long, env = "BODY_TIMEOUT", default_value = "10", value_parser = seconds)]
    pub(crate) body_timeout: Duration,
    /// Seconds an idle keep-alive connection is kept.
    #[arg(long, env = "KEEPALIVE_TIMEOUT", default_value = "60", value_parser = seconds)]
    pub(crate) keepalive_timeout: Duration,
    /// Seconds from complete headers to the answer, retries and waits included.
    #[arg(long, env = "DEADLINE", default_value = "15", value_parser = seconds)]
    pub(crate) deadline: Duration,
    /// Seconds to connect to the API (a connection not made in time sent nothing, and is
    /// retried).
    #[arg(long, env = "CONNECT_TIMEOUT", default_value = "2", value_parser = seconds)]
    pub(crate) connect_timeout: Duration,
    /// Seconds a SIGTERM leaves requests in progress to finish.
    #[arg(long, env = "DRAIN_TIMEOUT", default_value = "10", value_parser = seconds)]
    pub(crate) drain_timeout: Duration,
    /// Open connections at most (lowered to fit the file-descriptor limit).
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_connections: u32,
    /// Connections waiting to be accepted beyond that (the listen backlog).
    #[arg(long, env = "BACKLOG", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) backlog: u32,
    /// `/deals` requests in progress at most; beyond, 503 `overloaded` at once.
    #[arg(long, env = "MAX_IN_FLIGHT", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_in_flight: u32,
    /// The largest request body, in bytes.
    #[arg(long, env = "BODY_LIMIT", default_value_t = 256 * 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) body_limit: u32,
    /// The outbox deliverer's longest backoff between attempts, in seconds.
    #[arg(long, env = "OUTBOX_MAX_BACKOFF", default_value = "60", value_parser = seconds)]
    pub(crate) outbox_max_backoff: Duration,
    /// The longest `Retry-After` the outbox deliverer honors, in seconds.
    #[arg(long, env = "OUTBOX_MAX_RETRY_AFTER", default_value = "300", value_parser = seconds)]
    pub(crate) outbox_max_retry_after: Duration,
}

/// A number of seconds, decimals allowed (`0.5`), positive and at most a day.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(value > 0.0 && value <= 86_400.0) {
        return Err(format!("`{text}` seconds is not between 0 and 86400"));
    }
    Ok(Duration::from_secs_f64(value))
}

/// A setting refused at start: its name and why.
#[derive(Debug)]
pub(crate) struct BadSetting {
    pub(crate) name: &'static str,
    pub(crate) reason: String,
}

impl std::fmt::Display for BadSetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.reason)
    }
}

/// The settings, checked and turned into the parts the service runs with.
pub(crate) struct Config {
    pub(crate) args: ServeArgs,
    pub(crate) outbox: Option<PathBuf>,
    pub(crate) allowed_domain: Option<AllowedDomain>,
    /// The client of the request path: the library's retries, within each request's deadline.
    pub(crate) client: Client,
    /// The outbox deliverer's client: one attempt per call; the deliverer waits itself.
    pub(crate) deliverer_client: Client,
}

/// The outbox file named by `--outbox`, or `None` for `off`.
pub(crate) fn outbox_path(setting: &str) -> Result<Option<PathBuf>, BadSetting> {
    match setting.trim() {
        "" => Err(BadSetting {
            name: "OUTBOX",
            reason: "empty; name a file, or `off`".to_owned(),
        }),
        "off" => Ok(None),
        path => Ok(Some(PathBuf::from(path))),
    }
}

impl Config {
    /// Checks what clap could not: the token, the domain, the API's address.
    pub(crate) fn check(args: ServeArgs, outbox: &str) -> Result<Config, BadSetting> {
        let outbox = outbox_path(outbox)?;
        let token = args
            .wegly_token
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .ok_or(BadSetting {
                name: "WEGLY_TOKEN",
                reason: "required: the integration token the gateway sends to the API".to_owned(),
            })?;
        let token = BearerToken::new(token).map_err(|err| BadSetting {
            name: "WEGLY_TOKEN",
            reason: err.to_string(),
        })?;
        let allowed_domain = match args.allowed_domain.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(domain) => Some(AllowedDomain::new(domain).map_err(|err| BadSetting {
                name: "ALLOWED_DOMAIN",
                reason: err.to_string(),
            })?),
        };
        let builder = |retries: Retries, timeout: Duration| {
            Client::builder(token.clone())
                .base_url(args.wegly_base_url.clone())
                .connect_timeout(args.connect_timeout)
                .timeout(timeout)
                .retries(retries)
                .build()
                .map_err(|err| BadSetting {
                    name: "WEGLY_BASE_URL",
                    reason: err.to_string(),
                })
        };
        // Each attempt of the request path is bounded by the request's deadline anyway.
        let client = builder(Retries::new(), args.deadline)?;
        let deliverer_client = builder(Retries::none(), args.deadline)?;
        if args.drain_timeout > Duration::from_secs(600) {
            return Err(BadSetting {
                name: "DRAIN_TIMEOUT",
                reason: "at most 600 seconds".to_owned(),
            });
        }
        Ok(Config {
            args,
            outbox,
            allowed_domain,
            client,
            deliverer_client,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_positive_numbers() {
        let cases: &[(&str, Option<Duration>)] = &[
            ("10", Some(Duration::from_secs(10))),
            ("0.5", Some(Duration::from_millis(500))),
            (" 2 ", Some(Duration::from_secs(2))),
            ("0", None),
            ("-1", None),
            ("NaN", None),
            ("inf", None),
            ("1e9", None),
            ("ten", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(seconds(text).ok(), *expected, "row {text:?}");
        }
    }

    #[test]
    fn outbox_paths() {
        assert_eq!(outbox_path("off").unwrap(), None);
        assert_eq!(
            outbox_path("a.sqlite").unwrap(),
            Some(PathBuf::from("a.sqlite"))
        );
        assert_eq!(outbox_path(" ").unwrap_err().name, "OUTBOX");
    }
}
