//! `normalize [FILE]`: validate NDJSON create-deal payloads on N threads, written in input
//! order, in flat memory.
//!
//! The main thread writes; a reader thread cuts the input into batches; N workers validate
//! them. At most `4 * N` batches are between the reader and the output at any time (read,
//! queued, validated or waiting for an earlier one): the reader takes a slot before it reads a
//! batch, the writer gives it back once the batch is written.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, StdoutLock, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::Engine;
use crate::batch::{Batch, Records, recycle};
use crate::failure::Failure;
use crate::input::Input;
use crate::summary::{Format, Tally};
use crate::validate::{self, Done};

/// What `normalize` needs besides its normalizer.
#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) file: Option<String>,
    pub(crate) jobs: usize,
    pub(crate) summary: Format,
}

pub(crate) fn run(options: &Options, normalizer: Engine) -> Result<ExitCode, Failure> {
    let records = Records::new(Input::open(options.file.as_deref())?);
    let started = Instant::now();
    let mut output = Output::new(started);
    if options.jobs <= 1 {
        sequential(records, &normalizer, &mut output)?;
    } else {
        parallel(records, Arc::new(normalizer), options.jobs, &mut output)?;
    }
    let tally = output.finish()?;
    tally.report(options.summary, started.elapsed());
    Ok(if tally.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One thread reads, validates and writes, batch after batch.
fn sequential(
    mut records: Records,
    normalizer: &Engine,
    output: &mut Output,
) -> Result<(), Failure> {
    let (mut input, mut lines) = (Vec::new(), Vec::new());
    while let Some(batch) = records.next_batch(input)? {
        let done = validated(&batch, normalizer, lines)?;
        input = batch.into_bytes();
        lines = output.write(done)?;
    }
    Ok(())
}

/// A reader thread, `jobs` workers, and this thread writing the batches in input order.
fn parallel(
    records: Records,
    normalizer: Arc<Engine>,
    jobs: usize,
    output: &mut Output,
) -> Result<(), Failure> {
    let slots = jobs.saturating_mul(4);
    // A slot is a buffer: the writer gives back the one it wrote, the reader reads into it.
    let (slot_back, slot) = sync_channel::<Vec<u8>>(slots);
    for _ in 0..slots {
        // The channel holds `slots` items: none of these sends waits.
        let _ = slot_back.try_send(Vec::new());
    }
    let (work_tx, work_rx) = sync_channel::<(u64, Batch)>(slots);
    let (done_tx, done_rx) = sync_channel::<(u64, Result<Done, Failure>)>(slots);
    let reader = spawn("read", move || read(records, &slot, &work_tx))?;
    let work = Arc::new(Mutex::new(work_rx));
    for _ in 0..jobs {
        let (work, done, normalizer) =
            (Arc::clone(&work), done_tx.clone(), Arc::clone(&normalizer));
        spawn("validate", move || validate(&work, &done, &normalizer))?;
    }
    // The results end when every worker has gone, which they do once the reader has.
    drop(done_tx);
    write_in_order(&done_rx, &slot_back, output)?;
    reader
        .join()
        .map_err(|_| Failure::Internal("the reader thread stopped".to_owned()))?
}

/// Writes the results as they come back, each after the one before it, and frees their slots.
fn write_in_order(
    done: &Receiver<(u64, Result<Done, Failure>)>,
    slot_back: &SyncSender<Vec<u8>>,
    output: &mut Output,
) -> Result<(), Failure> {
    let mut waiting = InOrder::new();
    for (sequence, result) in done {
        waiting.insert(sequence, result);
        while let Some(result) = waiting.next() {
            let buffer = output.write(result?)?;
            // A slot is only ever given back after it was taken: this send does not wait.
            let _ = slot_back.try_send(buffer);
        }
    }
    if waiting.is_empty() {
        Ok(())
    } else {
        Err(Failure::Internal("a worker thread stopped".to_owned()))
    }
}

/// The reader thread: a batch per free slot, numbered, until the input ends or the writer
/// has gone.
fn read(
    mut records: Records,
    slot: &Receiver<Vec<u8>>,
    work: &SyncSender<(u64, Batch)>,
) -> Result<(), Failure> {
    for sequence in 0.. {
        let Ok(buffer) = slot.recv() else {
            break;
        };
        let Some(batch) = records.next_batch(buffer)? else {
            break;
        };
        if work.send((sequence, batch)).is_err() {
            break;
        }
    }
    Ok(())
}

/// A worker thread: validates batches until there are no more. A batch's buffer holds the
/// next batch's output.
fn validate(
    work: &Mutex<Receiver<(u64, Batch)>>,
    done: &SyncSender<(u64, Result<Done, Failure>)>,
    normalizer: &Engine,
) {
    let mut lines = Vec::new();
    loop {
        // The lock is held while waiting: one worker waits on the channel, the others on it.
        let next = match work.lock() {
            Ok(work) => work.recv(),
            Err(_) => return,
        };
        let Ok((sequence, batch)) = next else {
            return;
        };
        // A panic would lose the batch and leave the writer waiting for it: it becomes a
        // failure instead (the crate promises none, but a hung process is worse than a report).
        let result = panic::catch_unwind(AssertUnwindSafe(|| validated(&batch, normalizer, lines)))
            .unwrap_or_else(|_| Err(Failure::Internal("a worker thread panicked".to_owned())));
        lines = batch.into_bytes();
        if done.send((sequence, result)).is_err() {
            return;
        }
    }
}

fn validated(batch: &Batch, normalizer: &Engine, lines: Vec<u8>) -> Result<Done, Failure> {
    validate::batch(batch, normalizer, lines)
        .map_err(|error| Failure::Internal(format!("cannot write a result: {error}")))
}

fn spawn<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<thread::JoinHandle<T>, Failure> {
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(work)
        .map_err(|error| Failure::Internal(format!("cannot start a thread: {error}")))
}

/// Results that came back before an earlier one, held until it comes.
struct InOrder<T> {
    next: u64,
    waiting: BTreeMap<u64, T>,
}

impl<T> InOrder<T> {
    const fn new() -> Self {
        InOrder {
            next: 0,
            waiting: BTreeMap::new(),
        }
    }

    fn insert(&mut self, sequence: u64, item: T) {
        self.waiting.insert(sequence, item);
    }

    fn next(&mut self) -> Option<T> {
        let item = self.waiting.remove(&self.next)?;
        self.next += 1;
        Some(item)
    }

    fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }
}

/// Stdout, the running tally and the progress line.
struct Output {
    out: StdoutLock<'static>,
    tally: Tally,
    progress: Option<Progress>,
}

/// A progress line on stderr, for people watching a large input go by.
struct Progress {
    started: Instant,
    last: Instant,
}

impl Output {
    fn new(started: Instant) -> Self {
        let progress = io::stderr().is_terminal().then_some(Progress {
            started,
            last: started,
        });
        Output {
            out: io::stdout().lock(),
            tally: Tally::default(),
            progress,
        }
    }

    /// Writes a batch's lines and gives their buffer back. Stdout is line-buffered and a batch
    /// ends with a line end, so each batch goes out whole, in one write, as soon as it is
    /// ready.
    fn write(&mut self, done: Done) -> Result<Vec<u8>, Failure> {
        self.out.write_all(&done.lines).map_err(Failure::Write)?;
        self.tally.add(done.tally);
        if let Some(progress) = &mut self.progress
            && progress.last.elapsed() >= Duration::from_secs(1)
        {
            progress.last = Instant::now();
            let (records, mib) = (self.tally.records(), self.tally.input_bytes() >> 20);
            eprint!("\r{records} records, {mib} MiB…");
        }
        Ok(recycle(done.lines))
    }

    fn finish(mut self) -> Result<Tally, Failure> {
        self.out.flush().map_err(Failure::Write)?;
        if let Some(progress) = self.progress
            && progress.last != progress.started
        {
            eprint!("\r\x1b[K");
        }
        Ok(self.tally)
    }
}
