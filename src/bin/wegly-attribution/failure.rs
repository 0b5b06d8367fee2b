//! Why a run stopped: every such failure exits with status 2.

use std::fmt;
use std::io;
use std::process::ExitCode;

/// A failure that stops the run (exit status 2); rejected records are not failures.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A bad argument or `--catalog` file, already worded for the user.
    Usage(String),
    /// Reading the input failed; `name` is its path, or `<stdin>`.
    Read { name: String, error: io::Error },
    /// Writing stdout failed, a closed pipe included.
    Write(io::Error),
    /// A thread could not start or stopped without an answer, or a result could not be written.
    Internal(String),
}

impl Failure {
    /// Says what went wrong on stderr, except for a closed pipe (the reader of stdout has
    /// gone, as with `| head`: nobody needs telling), and gives status 2.
    pub(crate) fn exit(&self) -> ExitCode {
        if !matches!(self, Failure::Write(error) if error.kind() == io::ErrorKind::BrokenPipe) {
            eprintln!("wegly-attribution: {self}");
        }
        ExitCode::from(2)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Internal(message) => f.write_str(message),
            Failure::Read { name, error } => write!(f, "{name}: {error}"),
            Failure::Write(error) => write!(f, "stdout: {error}"),
        }
    }
}
