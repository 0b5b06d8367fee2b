//! The input of a command, a file or stdin, read line by line; read errors name it.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use crate::failure::Failure;

/// The size of the read buffer.
const BUFFER: usize = 1 << 16;

/// A file or stdin, buffered, with the name its errors carry.
pub(crate) struct Input {
    name: String,
    reader: BufReader<Box<dyn Read + Send>>,
}

impl Input {
    /// Opens `path`, or stdin when it is absent or `-`.
    pub(crate) fn open(path: Option<&str>) -> Result<Self, Failure> {
        let (name, source): (String, Box<dyn Read + Send>) = match path {
            None | Some("-") => ("<stdin>".to_owned(), Box::new(io::stdin())),
            Some(path) => {
                let file = File::open(path).map_err(|error| Failure::Read {
                    name: path.to_owned(),
                    error,
                })?;
                (path.to_owned(), Box::new(file))
            }
        };
        Ok(Input {
            name,
            reader: BufReader::with_capacity(BUFFER, source),
        })
    }

    /// Appends the next line, its `\n` included, to `buf`; 0 at the end of the input.
    pub(crate) fn read_line(&mut self, buf: &mut Vec<u8>) -> Result<usize, Failure> {
        self.reader
            .read_until(b'\n', buf)
            .map_err(|error| Failure::Read {
                name: self.name.clone(),
                error,
            })
    }

    /// Whether everything read from the source so far has been handed out: the next line may
    /// have to wait for a slow writer, so what is ready should go out first.
    pub(crate) fn is_drained(&self) -> bool {
        self.reader.buffer().is_empty()
    }
}
