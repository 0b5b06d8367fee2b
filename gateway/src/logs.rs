//! Where the log lines go: stderr, in batches.
//!
//! A line per request, written to stderr as it is made, cost a write system call per request
//! (or, through a writer thread, a wake-up of that thread per request): a quarter of a
//! request's CPU under load. Here a request's line is appended to a shared buffer under a
//! short lock, and a thread of its own writes the buffer out every 100 ms. A line waits at
//! most that long; a stopped service writes what is left ([`Flush`]). While stderr does not
//! drain (the reader stalled), at most 8 MiB wait; lines beyond are dropped and counted, and
//! the count is written when stderr drains, so a flood of lines never slows the answers nor
//! grows without bound.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

mod format;

pub(crate) use format::Format;

/// How often the buffer is written out.
const PERIOD: Duration = Duration::from_millis(100);

/// The most that waits; beyond, lines are dropped.
const MAX_WAITING: usize = 8 * 1024 * 1024;

/// The buffer the log lines go to; cheap to clone.
#[derive(Clone)]
pub(crate) struct Batched {
    shared: Arc<Shared>,
}

struct Shared {
    waiting: Mutex<Vec<u8>>,
    dropped: AtomicU64,
    stopped: AtomicBool,
    /// Where the batches go: stderr, or a test's sink.
    out: Mutex<Box<dyn Write + Send>>,
}

/// Writes what is left when dropped, and stops the writer thread.
pub(crate) struct Flush {
    shared: Arc<Shared>,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl Batched {
    /// The buffer writing to stderr, and its writer thread (stopped by dropping the
    /// [`Flush`]).
    pub(crate) fn to_stderr() -> (Batched, Flush) {
        Batched::to(Box::new(std::io::stderr()))
    }

    /// The buffer writing to `out`.
    fn to(out: Box<dyn Write + Send>) -> (Batched, Flush) {
        let shared = Arc::new(Shared {
            waiting: Mutex::new(Vec::with_capacity(64 * 1024)),
            dropped: AtomicU64::new(0),
            stopped: AtomicBool::new(false),
            out: Mutex::new(out),
        });
        let writer = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("log-writer".to_owned())
                .spawn(move || {
                    while !shared.stopped.load(Ordering::Acquire) {
                        std::thread::park_timeout(PERIOD);
                        shared.write_out();
                    }
                })
                .ok()
        };
        (
            Batched {
                shared: Arc::clone(&shared),
            },
            Flush { shared, writer },
        )
    }
}

impl Shared {
    /// Writes the waiting lines out (outside the buffer's lock).
    fn write_out(&self) {
        let mut lines = {
            let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
            if waiting.is_empty() {
                return;
            }
            std::mem::replace(&mut *waiting, Vec::with_capacity(64 * 1024))
        };
        let dropped = self.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            // OK to ignore: a log line about log lines is best effort too.
            let _ = writeln!(
                lines,
                "wegly-gateway: {dropped} log lines dropped while stderr did not drain"
            );
        }
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        // OK to ignore: nowhere is left to report a failing stderr.
        let _ = out.write_all(&lines);
        let _ = out.flush();
    }
}

impl Drop for Flush {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::Release);
        if let Some(writer) = self.writer.take() {
            writer.thread().unpark();
            let _ = writer.join();
        }
        self.shared.write_out();
    }
}

/// One log line being written.
pub(crate) struct Line<'a> {
    shared: &'a Shared,
}

impl Write for Line<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut waiting = self
            .shared
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if waiting.len() + bytes.len() > MAX_WAITING {
            // Count whole lines, not the pieces a formatter may write them in.
            if bytes.ends_with(b"\n") {
                self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            }
        } else {
            waiting.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Batched {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Line<'a> {
        Line {
            shared: &self.shared,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink the test reads.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_wait_for_their_batch_and_a_flood_is_bounded() {
        let sink = Sink::default();
        let (batched, flush) = Batched::to(Box::new(sink.clone()));
        let mut line = batched.make_writer();
        line.write_all(b"one\n").unwrap();
        // Full: the next line is dropped and counted.
        line.write_all(&vec![b'x'; MAX_WAITING - 4]).unwrap();
        line.write_all(b"two\n").unwrap();
        assert_eq!(batched.shared.dropped.load(Ordering::Relaxed), 1);
        drop(flush);
        let written = sink.0.lock().unwrap().clone();
        assert!(written.starts_with(b"one\nxxx"));
        assert!(
            written
                .ends_with(b"x\nwegly-gateway: 1 log lines dropped while stderr did not drain\n")
                || written
                    .ends_with(b"xwegly-gateway: 1 log lines dropped while stderr did not drain\n")
        );
        assert!(!written.windows(4).any(|w| w == b"two\n"));
        assert!(batched.shared.waiting.lock().unwrap().is_empty());
    }

    #[test]
    fn the_writer_thread_writes_within_its_period() {
        let sink = Sink::default();
        let (batched, _flush) = Batched::to(Box::new(sink.clone()));
        batched.make_writer().write_all(b"soon\n").unwrap();
        std::thread::sleep(PERIOD * 3);
        assert_eq!(sink.0.lock().unwrap().as_slice(), b"soon\n");
    }
}
