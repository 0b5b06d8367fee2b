//! NDJSON records cut into batches: each record knows its number and its input line.

use crate::failure::Failure;
use crate::input::Input;

/// U+FEFF in UTF-8, as Windows tools write it at the start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// A batch ends after this many records...
const BATCH_RECORDS: usize = 1024;

/// ...or this many bytes of records (a longer line is still one record).
const BATCH_BYTES: usize = 1 << 16;

/// Records read one after the other into one buffer, with where each one came from.
#[derive(Debug)]
pub(crate) struct Batch {
    bytes: Vec<u8>,
    records: Vec<Record>,
    /// Input bytes consumed, blank lines and line ends included.
    pub(crate) input_bytes: u64,
}

/// One record of a batch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record {
    /// The record's number, from 1.
    pub(crate) number: u64,
    /// The input line it came from, from 1.
    pub(crate) line: u64,
    /// Bytes of the line not in the record (a byte order mark), for error columns.
    pub(crate) skipped: usize,
    start: usize,
    end: usize,
}

impl Batch {
    /// An empty batch in `bytes`, a buffer given back by an earlier batch (see [`recycle`]).
    fn new(mut bytes: Vec<u8>) -> Self {
        bytes.clear();
        bytes.reserve(BATCH_BYTES + BATCH_BYTES / 4);
        Batch {
            bytes,
            records: Vec::new(),
            input_bytes: 0,
        }
    }

    /// The batch's buffer, for another batch or a batch's output.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        recycle(self.bytes)
    }

    fn is_full(&self) -> bool {
        self.records.len() >= BATCH_RECORDS || self.bytes.len() >= BATCH_BYTES
    }

    /// The records, each with its bytes (line end excluded).
    pub(crate) fn records(&self) -> impl Iterator<Item = (&Record, &[u8])> {
        self.records.iter().map(|record| {
            let bytes = self.bytes.get(record.start..record.end).unwrap_or_default();
            (record, bytes)
        })
    }

    /// The bytes of its records.
    pub(crate) fn byte_len(&self) -> usize {
        self.bytes.len()
    }
}

/// Reads an input as NDJSON records, numbered, batch by batch.
pub(crate) struct Records {
    input: Input,
    lines: u64,
    records: u64,
}

impl Records {
    pub(crate) fn new(input: Input) -> Self {
        Records {
            input,
            lines: 0,
            records: 0,
        }
    }

    /// The next batch; `None` at the end of the input. A batch ends when it is full, or when
    /// the input has nothing more at hand (a slow writer's records go out as they come).
    pub(crate) fn next_batch(&mut self, buffer: Vec<u8>) -> Result<Option<Batch>, Failure> {
        let mut batch = Batch::new(buffer);
        loop {
            let start = batch.bytes.len();
            let read = self.input.read_line(&mut batch.bytes)?;
            if read == 0 {
                break;
            }
            batch.input_bytes += read as u64;
            self.lines += 1;
            self.keep_record(&mut batch, start);
            if batch.is_full() || (!batch.records.is_empty() && self.input.is_drained()) {
                break;
            }
        }
        Ok((batch.input_bytes > 0).then_some(batch))
    }

    /// Keeps the line just read at `start` as a record, or drops it when blank.
    fn keep_record(&mut self, batch: &mut Batch, start: usize) {
        let mut skipped = 0;
        // A byte order mark is not part of the first record.
        if self.lines == 1 && batch.bytes.get(start..).is_some_and(|l| l.starts_with(BOM)) {
            // OK because the line starts with those bytes.
            batch.bytes.drain(start..start + BOM.len());
            skipped = BOM.len();
        }
        let line = batch.bytes.get(start..).unwrap_or_default();
        if is_blank(line) {
            batch.bytes.truncate(start);
            return;
        }
        // The line end is not part of the record.
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        self.records += 1;
        batch.records.push(Record {
            number: self.records,
            line: self.lines,
            skipped,
            start,
            end: start + line.len(),
        });
    }
}

/// A buffer emptied for reuse. Buffers go round between the reader, the workers and the
/// writer instead of being freed and allocated again for every batch; one that a huge record
/// made large is dropped, not kept for the rest of the run.
pub(crate) fn recycle(mut buffer: Vec<u8>) -> Vec<u8> {
    if buffer.capacity() > 4 * BATCH_BYTES {
        return Vec::new();
    }
    buffer.clear();
    buffer
}

/// Blank is JSON white space alone (RFC 8259: space, tab, CR, LF): a form feed or a
/// non-breaking space makes a record, rejected as `invalid_json`, rather than vanish.
fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|byte| matches!(byte, b' ' | b'\t' | b'\r' | b'\n'))
}

#[cfg(test)]
mod tests {
    use super::is_blank;

    #[test]
    fn blank_lines() {
        let cases: &[(&[u8], bool)] = &[
            (b"", true),
            (b"\n", true),
            (b" \t\r\n", true),
            (b"\x0c\n", false),
            (b"\x0b", false),
            ("\u{a0}".as_bytes(), false),
            (b"{}", false),
        ];
        for (line, blank) in cases {
            assert_eq!(is_blank(line), *blank, "{line:?}");
        }
    }
}
