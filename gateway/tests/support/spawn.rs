//! Starting `wegly-gateway` as a process and waiting until it listens: shared by the service
//! tests (`tests/service/`) and the load run (`examples/load.rs`), which include this file.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Spawns `command` with stderr piped and each of its lines handed to `on_line` (on a thread of
/// its own, for as long as the process writes), and waits up to 20 s for the line
/// `gateway on http://ADDRESS/deals`. The child, and its address once it listens.
pub(crate) fn spawn(
    mut command: Command,
    mut on_line: impl FnMut(&str) + Send + 'static,
) -> (Child, Option<SocketAddr>) {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the gateway binary runs");
    let stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(address) = line
                .strip_prefix("gateway on http://")
                .and_then(|rest| rest.strip_suffix("/deals"))
            {
                let _ = tx.send(address.to_owned());
            }
            on_line(&line);
        }
    });
    let address = rx
        .recv_timeout(Duration::from_secs(20))
        .ok()
        .and_then(|address| address.parse().ok());
    (child, address)
}
