//! Integration tests: one binary, one module per concern (data in `tests/data/`).

mod alloc;
mod cli;
mod deal;
mod differential;
mod hostile;
mod properties;
mod wpt;
