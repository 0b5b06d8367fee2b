//! The listener and the connections: what keeps the service answering while clients misbehave
//! (`docs/rules.md` §4.9).
//!
//! - **A cap on open connections.** A connection is accepted only with a permit of a semaphore
//!   sized to `MAX_CONNECTIONS`, lowered to fit the file-descriptor limit (raised to its hard
//!   limit at start) less what the service needs for itself: the API connections of the
//!   requests in flight, the outbox and the standard streams. Beyond the cap, connections wait
//!   in the kernel's listen backlog (`BACKLOG`), costing no descriptor.
//! - **Timeouts by phase**, kept by each connection's driver: from the accept, or from the end
//!   of the last answer once the client sends the first byte of its next request, complete
//!   headers must come within `HEADER_TIMEOUT`; an idle keep-alive connection is closed after
//!   `KEEPALIVE_TIMEOUT`. (hyper's own header timer also runs while a connection is idle, so
//!   it could not tell the two apart.) Once the headers are complete, the request's body
//!   timeout and deadline take over (`app`).
//! - **A lingering close.** A connection is closed by shutting down its write side, then
//!   reading and discarding what the client still sends for up to two seconds: a client that
//!   was cut off mid-upload (a 413) reads its answer instead of a connection reset (nginx's
//!   `lingering_close`). The lingering socket keeps its permit.
//! - **A drain on SIGTERM**: no new connection; idle ones close, busy ones finish their
//!   request (each within `DRAIN_TIMEOUT`), then the deliverer stops and the outbox is left
//!   consistent.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;
use tower::Service;

use crate::app::{self, App};
use crate::config::{BadSetting, Config};
use crate::deliver::Deliverer;
use crate::metrics::Metrics;
use crate::outbox::Outbox;

/// Descriptors kept for the service itself beyond one per request in flight: the listener,
/// the outbox's files, the standard streams, the runtime's own.
const RESERVED_FDS: u64 = 64;

/// How long a closing connection reads what its client still sends.
const LINGER: Duration = Duration::from_secs(2);

/// Why the service did not start, or stopped with an error.
#[derive(Debug)]
pub(crate) enum StartError {
    Setting(BadSetting),
    Io(io::Error),
}

impl From<io::Error> for StartError {
    fn from(err: io::Error) -> Self {
        StartError::Io(err)
    }
}

/// The timeouts a connection's driver keeps.
#[derive(Debug, Clone, Copy)]
struct Timeouts {
    header: Duration,
    keepalive: Duration,
}

/// Runs the service until SIGTERM (or Ctrl-C), then drains.
pub(crate) async fn run(config: Config) -> Result<(), StartError> {
    let args = &config.args;
    let max_connections = connection_cap(args.max_connections, args.max_in_flight)?;
    let outbox = match &config.outbox {
        None => None,
        Some(path) => {
            let outbox = Outbox::open(path).map_err(|err| {
                StartError::Setting(BadSetting {
                    name: "OUTBOX",
                    reason: format!("{}: {err}", path.display()),
                })
            })?;
            let recovered = outbox
                .recover()
                .map_err(|err| io::Error::other(err.to_string()))?;
            if recovered > 0 {
                tracing::warn!(
                    entries = recovered,
                    "outbox entries found sending after a stop are now unknown: check them with `wegly-gateway outbox list --state unknown`"
                );
            }
            Some(outbox)
        }
    };
    let metrics = Arc::new(Metrics::new());
    let (shutdown_tx, shutdown) = watch::channel(false);
    let deliverer = outbox.as_ref().map(|outbox| {
        Deliverer::new(
            outbox.clone(),
            config.deliverer_client.clone(),
            Arc::clone(&metrics),
            args.outbox_max_backoff,
            args.outbox_max_retry_after,
        )
    });
    let app = App::new(
        &config,
        outbox.clone(),
        deliverer.clone(),
        Arc::clone(&metrics),
    );
    let router = app::router(app.clone());

    let address = SocketAddr::new(args.bind, args.port);
    let socket = if address.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket
        .bind(address)
        .map_err(|err| io::Error::new(err.kind(), format!("cannot listen on {address}: {err}")))?;
    let listener = socket.listen(args.backlog)?;
    tracing::info!(
        address = %listener.local_addr()?,
        max_connections,
        outbox = config.outbox.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "off".to_owned()),
        "wegly-gateway listening"
    );
    // Tests and scripts wait for this line on stderr.
    eprintln!("gateway on http://{}/deals", listener.local_addr()?);

    let delivering = deliverer
        .clone()
        .map(|deliverer| tokio::spawn(deliverer.run(shutdown.clone())));
    let permits = Arc::new(Semaphore::new(max_connections as usize));
    let timeouts = Timeouts {
        header: args.header_timeout,
        keepalive: args.keepalive_timeout,
    };
    let drain = args.drain_timeout;

    let accepting = accept_loop(
        listener,
        Arc::clone(&permits),
        router,
        timeouts,
        Arc::clone(&metrics),
        shutdown.clone(),
    );
    tokio::select! {
        result = accepting => result?,
        () = terminated() => {}
    }
    tracing::info!("stopping: no new connection; draining requests in progress");
    let drained_by = Instant::now() + drain;
    app.start_drain(drained_by);
    let _ = shutdown_tx.send(true);
    // Every connection holds a permit until it is closed: having them all back means every
    // connection is done.
    let all = u32::try_from(max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout_at(drained_by, permits.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!("connections still open at the drain's end are closed");
    }
    if let Some(delivering) = delivering {
        // The deliverer finishes its attempt in progress, or the attempt stays `sending` and
        // is found `unknown` at the next start: either way nothing is sent twice.
        if tokio::time::timeout_at(drained_by + Duration::from_secs(1), delivering)
            .await
            .is_err()
        {
            tracing::warn!(
                "the outbox deliverer was stopped mid-attempt; its entry will read unknown"
            );
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// The cap on open connections: the configured one, lowered to fit the descriptor limit.
fn connection_cap(configured: u32, in_flight: u32) -> Result<u64, StartError> {
    // Raise the soft limit to the hard one, as servers do (systemd sets soft 1024, hard
    // 524288).
    let soft = rlimit::increase_nofile_limit(u64::MAX)
        .or_else(|_| rlimit::Resource::NOFILE.get_soft())
        .unwrap_or(1024);
    let usable = soft.saturating_sub(RESERVED_FDS + u64::from(in_flight));
    if usable < 16 {
        return Err(StartError::Setting(BadSetting {
            name: "MAX_IN_FLIGHT",
            reason: format!(
                "the file-descriptor limit ({soft}) leaves too few connections after {in_flight} requests in flight"
            ),
        }));
    }
    let cap = u64::from(configured).min(usable);
    if cap < u64::from(configured) {
        tracing::warn!(
            configured,
            cap,
            fd_limit = soft,
            "MAX_CONNECTIONS lowered to fit the file-descriptor limit"
        );
    }
    Ok(cap)
}

/// Resolves on SIGTERM or Ctrl-C.
async fn terminated() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                () = ctrl_c => {}
            }
        }
        Err(_) => ctrl_c.await,
    }
}

/// Accepts connections while permits last, until shutdown.
async fn accept_loop(
    listener: TcpListener,
    permits: Arc<Semaphore>,
    router: Router,
    timeouts: Timeouts,
    metrics: Arc<Metrics>,
    mut shutdown: watch::Receiver<bool>,
) -> io::Result<()> {
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => permit.map_err(io::Error::other)?,
            _ = shutdown.changed() => return Ok(()),
        };
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of descriptors (the cap should prevent it) or a connection reset
                    // before it was accepted: wait a little rather than spin.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = shutdown.changed() => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(
            stream,
            permit,
            router.clone(),
            timeouts,
            Arc::clone(&metrics),
            shutdown.clone(),
        ));
    }
}

/// What a connection's driver and its requests share.
#[derive(Debug)]
struct Activity {
    /// Bytes read from the client so far.
    read: AtomicU64,
    /// Requests whose headers are complete and whose answer is not yet produced.
    busy: AtomicU32,
    /// Milliseconds from `opened` to the start of the current wait for headers.
    phase_start_ms: AtomicU64,
    /// `read` when that wait started.
    phase_read: AtomicU64,
    /// Requests answered on this connection.
    answered: AtomicU64,
    opened: Instant,
    /// Wakes the driver when a request starts or ends.
    changed: Notify,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            read: AtomicU64::new(0),
            busy: AtomicU32::new(0),
            phase_start_ms: AtomicU64::new(0),
            phase_read: AtomicU64::new(0),
            answered: AtomicU64::new(0),
            opened: Instant::now(),
            changed: Notify::new(),
        }
    }

    fn request_started(&self) {
        self.busy.fetch_add(1, Ordering::SeqCst);
        self.changed.notify_one();
    }

    fn request_ended(&self) {
        let since = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.phase_start_ms.store(since, Ordering::SeqCst);
        self.phase_read
            .store(self.read.load(Ordering::SeqCst), Ordering::SeqCst);
        self.answered.fetch_add(1, Ordering::SeqCst);
        self.busy.fetch_sub(1, Ordering::SeqCst);
        self.changed.notify_one();
    }

    /// When the connection must be closed if nothing changes, or `None` while a request is
    /// being answered.
    fn deadline(&self, timeouts: Timeouts) -> Option<Instant> {
        if self.busy.load(Ordering::SeqCst) > 0 {
            return None;
        }
        let start = self.opened + Duration::from_millis(self.phase_start_ms.load(Ordering::SeqCst));
        let first = self.answered.load(Ordering::SeqCst) == 0;
        let started_next =
            self.read.load(Ordering::SeqCst) > self.phase_read.load(Ordering::SeqCst);
        Some(if first || started_next {
            start + timeouts.header
        } else {
            start + timeouts.keepalive
        })
    }
}

/// A request being answered on a connection: counted from its start to its drop.
struct Busy(Arc<Activity>);

impl Busy {
    fn start(activity: Arc<Activity>) -> Busy {
        activity.request_started();
        Busy(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.request_ended();
    }
}

/// Serves one connection with its phase timeouts; closes it with a linger.
async fn serve_connection(
    stream: TcpStream,
    permit: OwnedSemaphorePermit,
    router: Router,
    timeouts: Timeouts,
    metrics: Arc<Metrics>,
    mut shutdown: watch::Receiver<bool>,
) {
    metrics.connections().inc();
    let activity = Arc::new(Activity::new());
    let io = Watched {
        stream: Some(stream),
        activity: Arc::clone(&activity),
        permit: Some(permit),
    };
    let service_activity = Arc::clone(&activity);
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut router = router.clone();
        let activity = Arc::clone(&service_activity);
        async move {
            // Ends the request when the answer is produced, or when hyper drops it (the
            // client went away).
            let _busy = Busy::start(activity);
            router.call(request.map(axum::body::Body::new)).await
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        // The driver below keeps the header and keep-alive timeouts apart.
        .header_read_timeout(None)
        .keep_alive(true)
        .max_buf_size(64 * 1024);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    let mut draining = *shutdown.borrow();
    if draining {
        connection.as_mut().graceful_shutdown();
    }
    loop {
        let deadline = activity.deadline(timeouts);
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(error = %err, "connection ended with an error");
                }
                break;
            }
            () = sleep_until(deadline) => {
                if activity.deadline(timeouts).is_some_and(|d| d <= Instant::now()) {
                    tracing::debug!("connection closed: no complete headers in time, or idle");
                    break;
                }
            }
            () = activity.changed.notified() => {}
            changed = shutdown.changed(), if !draining => {
                draining = true;
                if changed.is_ok() {
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
    metrics.connections().dec();
}

/// Sleeps until `deadline`, or for ever without one.
async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// A client's socket that counts what it reads and, when dropped, lingers before closing.
struct Watched {
    stream: Option<TcpStream>,
    activity: Arc<Activity>,
    /// The connection's permit, released when the socket is finally closed.
    permit: Option<OwnedSemaphorePermit>,
}

impl Watched {
    fn stream(&mut self) -> io::Result<Pin<&mut TcpStream>> {
        self.stream
            .as_mut()
            .map(Pin::new)
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotConnected))
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let stream = match this.stream() {
            Ok(stream) => stream,
            Err(err) => return Poll::Ready(Err(err)),
        };
        let polled = stream.poll_read(cx, buf);
        let read = buf.filled().len().saturating_sub(before);
        if read > 0 {
            this.activity.read.fetch_add(read as u64, Ordering::SeqCst);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut().stream() {
            Ok(stream) => stream.poll_write(cx, buf),
            Err(err) => Poll::Ready(Err(err)),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut().stream() {
            Ok(stream) => stream.poll_flush(cx),
            Err(err) => Poll::Ready(Err(err)),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut().stream() {
            Ok(stream) => stream.poll_shutdown(cx),
            Err(err) => Poll::Ready(Err(err)),
        }
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        let (Some(stream), permit) = (self.stream.take(), self.permit.take()) else {
            return;
        };
        // A client that sent nothing has nothing in flight to be reset.
        if self.activity.read.load(Ordering::SeqCst) == 0 {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(linger(stream, permit));
        }
    }
}

/// Shuts the write side, then reads and drops what the client still sends, for at most
/// [`LINGER`]: the client reads the answer already sent before it sees the close.
async fn linger(mut stream: TcpStream, permit: Option<OwnedSemaphorePermit>) {
    let _ = stream.shutdown().await;
    let mut sink = [0u8; 16 * 1024];
    let until = Instant::now() + LINGER;
    loop {
        match tokio::time::timeout_at(until, stream.read(&mut sink)).await {
            Ok(Ok(n)) if n > 0 => {}
            _ => break,
        }
    }
    drop(permit);
}
