//! The outbox (`docs/rules.md` §4.9): the deals the API surely did not take, kept in a SQLite
//! file until the deliverer sends them, and the deals whose fate is unknown, kept for an
//! operator.
//!
//! Every change is one committed transaction, so a `kill -9` at any moment leaves each entry
//! in a state it had. The one rule that keeps a deal from being created twice: an entry is
//! marked `sending` (committed) before a byte of it is written to the API, and an entry found
//! `sending` when the gateway starts becomes `unknown`, never sent again without an operator.
//!
//! The file is in WAL mode with `synchronous=FULL`: a commit is on disk before the 202 that
//! promises it, also across a power cut. Writes happen only off the happy path (a deal queued
//! or unknown) and in the deliverer, so their `fsync` costs nothing to the deals that go
//! straight through.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use wegly_attribution::jiff::Timestamp;

/// An entry's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Waiting for the deliverer.
    Queued,
    /// Being sent: committed before the first byte; found at start, it becomes `Unknown`.
    Sending,
    /// Created by the API, whose id is kept.
    Delivered,
    /// Refused by the API (its body is kept); not sent again.
    Rejected,
    /// Sent, and no definite answer came: an operator checks, then retries or drops it.
    Unknown,
}

impl State {
    /// Every state, in the order `/healthz` and the metrics list them.
    pub(crate) const ALL: [State; 5] = [
        State::Queued,
        State::Sending,
        State::Delivered,
        State::Rejected,
        State::Unknown,
    ];

    /// The state's name, as stored and shown.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending => "sending",
            State::Delivered => "delivered",
            State::Rejected => "rejected",
            State::Unknown => "unknown",
        }
    }

    /// The state of a name.
    pub(crate) fn parse(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|state| state.as_str() == name)
    }
}

/// What went wrong with the outbox.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OutboxError {
    /// SQLite failed (the file, the disk, a lock held too long).
    #[error("the outbox failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The blocking task that ran the statement did not finish.
    #[error("the outbox task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// An operator's command that does not apply to the entry.
    #[error("{0}")]
    Refused(String),
}

/// One entry, as listed.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) id: i64,
    pub(crate) state: State,
    pub(crate) created_at: String,
    pub(crate) attempts: i64,
    pub(crate) title: String,
    pub(crate) deal_id: Option<String>,
}

impl Entry {
    /// The entry as one JSON line of `outbox list`.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        json!({
            "id": self.id,
            "state": self.state.as_str(),
            "created_at": self.created_at,
            "attempts": self.attempts,
            "title": self.title,
            "deal_id": self.deal_id,
        })
    }
}

/// An entry the deliverer sends: the request's JSON and the browser's origin.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) id: i64,
    pub(crate) request: Vec<u8>,
    pub(crate) origin: Option<String>,
}

/// How many entries are in each state, in [`State::ALL`]'s order.
pub(crate) type Counts = [u64; 5];

/// The outbox file: cheap to clone, shared by the request path and the deliverer. Each call
/// runs its statement on the blocking pool.
#[derive(Clone)]
pub(crate) struct Outbox {
    connection: Arc<Mutex<Connection>>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'rejected', 'unknown')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    request BLOB NOT NULL,
    origin TEXT,
    deal_id TEXT,
    answer TEXT,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS outbox_by_state ON outbox (state, id);
";

fn now() -> String {
    Timestamp::now().to_string()
}

impl Outbox {
    /// Opens (or creates) the file, in WAL mode. Does not touch the entries: see
    /// [`Outbox::recover`].
    pub(crate) fn open(path: &Path) -> Result<Outbox, OutboxError> {
        let connection = Connection::open(path)?;
        // A second process (`outbox list` beside a running gateway) waits for a lock rather
        // than failing.
        connection.busy_timeout(Duration::from_secs(5))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.execute_batch(SCHEMA)?;
        Ok(Outbox {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` on the connection, on the blocking pool.
    async fn with<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, OutboxError> + Send + 'static,
    ) -> Result<T, OutboxError> {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            let mut connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut connection)
        })
        .await?
    }

    /// Runs `work` on the connection, on this thread (the command-line tool).
    fn with_sync<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, OutboxError>,
    ) -> Result<T, OutboxError> {
        let mut connection = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        work(&mut connection)
    }

    /// At start: every entry found `sending` was being sent when the last process stopped,
    /// and may have been created; it becomes `unknown`. Returns how many.
    pub(crate) fn recover(&self) -> Result<usize, OutboxError> {
        self.with_sync(|c| {
            Ok(c.execute(
                "UPDATE outbox SET state = 'unknown', updated_at = ?1,
                     reason = 'the gateway stopped while sending it'
                 WHERE state = 'sending'",
                params![now()],
            )?)
        })
    }

    /// Adds a deal in `state` (`queued`, or `unknown` with the reason), committed; its id.
    pub(crate) async fn add(
        &self,
        state: State,
        title: String,
        request: Vec<u8>,
        origin: Option<String>,
        reason: String,
    ) -> Result<i64, OutboxError> {
        self.with(move |c| {
            let at = now();
            c.execute(
                "INSERT INTO outbox (state, created_at, updated_at, title, request, origin, reason)
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6)",
                params![state.as_str(), at, title, request, origin, reason],
            )?;
            Ok(c.last_insert_rowid())
        })
        .await
    }

    /// The oldest queued entry, marked `sending` with one more attempt in the same committed
    /// transaction: the caller may write it to the API once this returns.
    pub(crate) async fn take_next(&self) -> Result<Option<Pending>, OutboxError> {
        self.with(|c| {
            // IMMEDIATE: the write lock is taken before the read, so that no other process
            // on the file (a misconfigured second gateway) can take the same entry.
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let next = tx
                .query_row(
                    "SELECT id, request, origin FROM outbox WHERE state = 'queued'
                     ORDER BY id LIMIT 1",
                    [],
                    |row| {
                        Ok(Pending {
                            id: row.get(0)?,
                            request: row.get(1)?,
                            origin: row.get(2)?,
                        })
                    },
                )
                .optional()?;
            if let Some(pending) = &next {
                let taken = tx.execute(
                    "UPDATE outbox SET state = 'sending', attempts = attempts + 1,
                         updated_at = ?2
                     WHERE id = ?1 AND state = 'queued'",
                    params![pending.id, now()],
                )?;
                debug_assert_eq!(taken, 1, "the entry read as queued in this transaction");
            }
            tx.commit()?;
            Ok(next)
        })
        .await
    }

    /// Ends an attempt: the entry leaves `sending` for `state`, with the API's deal id, its
    /// answer, or the reason.
    pub(crate) async fn finish(
        &self,
        id: i64,
        state: State,
        deal_id: Option<String>,
        answer: Option<String>,
        reason: Option<String>,
    ) -> Result<(), OutboxError> {
        self.with(move |c| {
            c.execute(
                "UPDATE outbox SET state = ?2, updated_at = ?3,
                     deal_id = coalesce(?4, deal_id), answer = coalesce(?5, answer),
                     reason = coalesce(?6, reason)
                 WHERE id = ?1 AND state = 'sending'",
                params![id, state.as_str(), now(), deal_id, answer, reason],
            )?;
            Ok(())
        })
        .await
    }

    /// How many entries are in each state.
    pub(crate) async fn counts(&self) -> Result<Counts, OutboxError> {
        self.with(|c| {
            let mut counts = [0u64; 5];
            let mut statement =
                c.prepare_cached("SELECT state, count(*) FROM outbox GROUP BY state")?;
            let rows = statement.query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })?;
            for row in rows {
                let (state, count) = row?;
                let slot = State::ALL
                    .iter()
                    .position(|s| s.as_str() == state)
                    .and_then(|i| counts.get_mut(i));
                if let Some(slot) = slot {
                    *slot = u64::try_from(count).unwrap_or(0);
                }
            }
            Ok(counts)
        })
        .await
    }

    /// Every entry (or those in `state`), oldest first.
    pub(crate) fn list(&self, state: Option<State>) -> Result<Vec<Entry>, OutboxError> {
        self.with_sync(|c| {
            let mut statement = c.prepare(
                "SELECT id, state, created_at, attempts, title, deal_id FROM outbox
                 WHERE ?1 IS NULL OR state = ?1 ORDER BY id",
            )?;
            let rows = statement.query_map(params![state.map(State::as_str)], |row| {
                let state: String = row.get(1)?;
                Ok(Entry {
                    id: row.get(0)?,
                    // The CHECK constraint admits no other name.
                    state: State::parse(&state).unwrap_or(State::Unknown),
                    created_at: row.get(2)?,
                    attempts: row.get(3)?,
                    title: row.get(4)?,
                    deal_id: row.get(5)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// `outbox retry ID`: an `unknown` or `rejected` entry is queued again.
    pub(crate) fn retry(&self, id: i64) -> Result<(), OutboxError> {
        self.with_sync(|c| {
            let changed = c.execute(
                "UPDATE outbox SET state = 'queued', updated_at = ?2,
                     reason = 'queued again by an operator'
                 WHERE id = ?1 AND state IN ('unknown', 'rejected')",
                params![id, now()],
            )?;
            if changed == 1 {
                return Ok(());
            }
            Err(OutboxError::Refused(refusal(c, id, "retried")?))
        })
    }

    /// `outbox drop ID`: an entry that is not being sent is deleted.
    pub(crate) fn drop_entry(&self, id: i64) -> Result<(), OutboxError> {
        self.with_sync(|c| {
            let changed = c.execute(
                "DELETE FROM outbox WHERE id = ?1 AND state != 'sending'",
                params![id],
            )?;
            if changed == 1 {
                return Ok(());
            }
            Err(OutboxError::Refused(refusal(c, id, "dropped")?))
        })
    }
}

/// Why an operator's command did not apply to entry `id`.
fn refusal(c: &Connection, id: i64, verb: &str) -> Result<String, OutboxError> {
    let state: Option<String> = c
        .query_row(
            "SELECT state FROM outbox WHERE id = ?1",
            params![id],
            |row| row.get(0),
        )
        .optional()?;
    Ok(match state {
        None => format!("no outbox entry {id}"),
        Some(state) => format!("entry {id} is {state}: it cannot be {verb}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_outbox(name: &str) -> (Outbox, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("wegly-outbox-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("outbox.sqlite");
        (Outbox::open(&path).unwrap(), path)
    }

    #[tokio::test]
    async fn an_entry_goes_through_its_states_and_sending_becomes_unknown() {
        let (outbox, path) = temp_outbox("states");
        let first = outbox
            .add(
                State::Queued,
                "A".into(),
                b"{}".to_vec(),
                None,
                String::new(),
            )
            .await
            .unwrap();
        let second = outbox
            .add(
                State::Queued,
                "B".into(),
                b"{}".to_vec(),
                Some("https://x".into()),
                String::new(),
            )
            .await
            .unwrap();
        assert!(first < second);

        // Oldest first, marked sending in the same transaction.
        let pending = outbox.take_next().await.unwrap().unwrap();
        assert_eq!(pending.id, first);
        outbox
            .finish(first, State::Delivered, Some("deal-1".into()), None, None)
            .await
            .unwrap();
        let pending = outbox.take_next().await.unwrap().unwrap();
        assert_eq!(
            (pending.id, pending.origin.as_deref()),
            (second, Some("https://x"))
        );
        assert_eq!(outbox.counts().await.unwrap(), [0, 1, 1, 0, 0]);
        assert!(outbox.take_next().await.unwrap().is_none());

        // A restart finds the second entry sending: it becomes unknown, never queued.
        drop(outbox);
        let outbox = Outbox::open(&path).unwrap();
        assert_eq!(outbox.recover().unwrap(), 1);
        let listed: Vec<_> = outbox
            .list(None)
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.state, e.attempts, e.deal_id))
            .collect();
        assert_eq!(
            listed,
            [
                (first, State::Delivered, 1, Some("deal-1".to_owned())),
                (second, State::Unknown, 1, None)
            ]
        );

        // An operator retries the unknown one, and may not retry the delivered one.
        outbox.retry(second).unwrap();
        assert_eq!(outbox.list(Some(State::Queued)).unwrap().len(), 1);
        let refused = outbox.retry(first).unwrap_err().to_string();
        assert_eq!(
            refused,
            format!("entry {first} is delivered: it cannot be retried")
        );
        outbox.drop_entry(second).unwrap();
        let refused = outbox.drop_entry(second).unwrap_err().to_string();
        assert_eq!(refused, format!("no outbox entry {second}"));
        assert_eq!(outbox.counts().await.unwrap(), [0, 0, 1, 0, 0]);
    }

    #[test]
    fn states_read_back() {
        for state in State::ALL {
            assert_eq!(State::parse(state.as_str()), Some(state));
        }
        assert_eq!(State::parse("lost"), None);
    }
}
