//! Clients that misbehave: stalled headers and bodies, idle connections, huge uploads, too
//! many requests at once. Real sockets against the real process.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::{Gateway, LANDING, deal, post, stand_in};

/// How long until the server closes `stream` (reads until EOF), at most `limit`.
fn closed_after(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut sink = [0u8; 4096];
    loop {
        match stream.read(&mut sink) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(started.elapsed());
            }
            Err(_) => return None,
        }
    }
}

/// What a raw request on `stream` gets: the whole answer as text.
fn answer(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut text = Vec::new();
    let mut buf = [0u8; 4096];
    // Read until the headers and the body of one small answer are in.
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        text.extend_from_slice(&buf[..n]);
        let so_far = String::from_utf8_lossy(&text);
        if let Some((head, body)) = so_far.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|l| l.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if body.len() >= length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&text).into_owned()
}

#[tokio::test]
async fn stalled_headers_bodies_and_idle_connections_are_closed() {
    let (api, _fake) = stand_in().await;
    let gateway = Gateway::start(
        &api,
        &[
            ("OUTBOX", "off"),
            ("HEADER_TIMEOUT", "1"),
            ("BODY_TIMEOUT", "1"),
            ("KEEPALIVE_TIMEOUT", "3"),
        ],
    );
    let address = gateway.address;
    let result = tokio::task::spawn_blocking(move || {
        // Half a request line, then nothing: closed after the header timeout.
        let mut stalled = TcpStream::connect(address).unwrap();
        stalled.write_all(b"POST /deals HTTP/1.1\r\nHost: x\r\n").unwrap();
        let closed = closed_after(&mut stalled, Duration::from_secs(5));
        assert!(
            closed.is_some_and(|t| t >= Duration::from_millis(900) && t < Duration::from_secs(3)),
            "stalled headers closed after {closed:?}"
        );

        // A connection that sends nothing at all: the same.
        let mut silent = TcpStream::connect(address).unwrap();
        let closed = closed_after(&mut silent, Duration::from_secs(5));
        assert!(closed.is_some_and(|t| t < Duration::from_secs(3)), "{closed:?}");

        // A body that stops: 408 request_timeout after the body timeout.
        let mut slow_body = TcpStream::connect(address).unwrap();
        slow_body
            .write_all(
                b"POST /deals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"title\":",
            )
            .unwrap();
        let started = Instant::now();
        let text = answer(&mut slow_body);
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        assert!(text.contains("\"code\":\"request_timeout\""), "{text}");
        assert!(started.elapsed() < Duration::from_secs(3));

        // A keep-alive connection: kept while idle past the header timeout, closed after the
        // keep-alive timeout.
        let mut idle = TcpStream::connect(address).unwrap();
        idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let text = answer(&mut idle);
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        let closed = closed_after(&mut idle, Duration::from_secs(6));
        assert!(
            closed.is_some_and(|t| t >= Duration::from_millis(2500) && t < Duration::from_secs(5)),
            "idle keep-alive closed after {closed:?}"
        );
    })
    .await;
    result.unwrap();
}

#[tokio::test]
async fn uploads_over_the_limit_read_their_413() {
    let (api, _fake) = stand_in().await;
    let gateway = Gateway::start(&api, &[("OUTBOX", "off")]);
    let url = gateway.url("/deals");
    let client = reqwest::Client::new();
    let big = vec![b' '; 20 * 1024 * 1024];
    for round in 0..16 {
        let mut request = client
            .post(&url)
            .header("content-type", "application/json")
            .timeout(Duration::from_secs(20));
        // Half with a declared length, half chunked (no length to refuse on).
        request = if round % 2 == 0 {
            request.body(big.clone())
        } else {
            let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
                big.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
            request.body(reqwest::Body::wrap_stream(futures_util::stream::iter(
                chunks,
            )))
        };
        let response = request.send().await;
        let response = response.unwrap_or_else(|err| panic!("round {round}: {err:?}"));
        assert_eq!(response.status().as_u16(), 413, "round {round}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], "payload_too_large");
    }
}

#[tokio::test]
async fn beyond_the_requests_in_flight_the_answer_is_overloaded_at_once() {
    let (api, fake) = stand_in().await;
    let gateway = Gateway::start(
        &api,
        &[("OUTBOX", "off"), ("MAX_IN_FLIGHT", "2"), ("DEADLINE", "3")],
    );
    let url = gateway.url("/deals");
    fake.set_default_fault(Some("hangx2"));
    let hung: Vec<_> = (0..2)
        .map(|i| {
            let url = url.clone();
            tokio::spawn(async move { post(&url, LANDING, &deal(&format!("hung {i}"))).await })
        })
        .collect();
    assert!(
        super::eventually(Duration::from_secs(5), async || fake.seen("hangx2") == 2).await,
        "both reached the API"
    );
    let started = Instant::now();
    let (status, headers, body) = post(&url, LANDING, &deal("one too many")).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["errors"][0]["code"], "overloaded");
    assert_eq!(headers["retry-after"], "1");
    assert!(started.elapsed() < Duration::from_millis(500));
    // /healthz is not counted.
    assert_eq!(super::healthz(&gateway).await["status"], "ok");
    for answer in hung {
        let (status, _, _) = answer.await.unwrap();
        assert_eq!(status, 502);
    }
}

#[tokio::test]
async fn a_normal_client_is_answered_while_hundreds_of_connections_stall() {
    let (api, _fake) = stand_in().await;
    let gateway = Gateway::start(&api, &[("OUTBOX", "off")]);
    let address = gateway.address;
    let stalled: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut stream = TcpStream::connect(address).unwrap();
            stream
                .write_all(b"POST /deals HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            stream
        })
        .collect();
    let url = gateway.url("/deals");
    for i in 0..20 {
        let started = Instant::now();
        let (status, _, body) = post(&url, LANDING, &deal(&format!("normal {i}"))).await;
        assert_eq!(status, 201, "{body}");
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
    }
    drop(stalled);
}

#[tokio::test]
async fn beyond_the_connection_cap_connections_wait_in_the_backlog() {
    let (api, _fake) = stand_in().await;
    let gateway = Gateway::start(
        &api,
        &[
            ("OUTBOX", "off"),
            ("MAX_CONNECTIONS", "2"),
            ("HEADER_TIMEOUT", "1"),
        ],
    );
    let address = gateway.address;
    // Two stalled connections take both places.
    let stalled: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut stream = TcpStream::connect(address).unwrap();
            stream
                .write_all(b"POST /deals HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    // A third connects (the kernel's backlog takes it) but is served only once a place frees:
    // when the header timeout closes a stalled one, not before.
    let started = Instant::now();
    let (status, _, body) = post(&gateway.url("/deals"), LANDING, &deal("waited")).await;
    let waited = started.elapsed();
    assert_eq!(status, 201, "{body}");
    assert!(
        waited >= Duration::from_millis(600) && waited < Duration::from_secs(4),
        "served after {waited:?}"
    );
    drop(stalled);
}
