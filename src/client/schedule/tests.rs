//! The retry loop on tokio's paused clock, against scripted answers: every wait and every
//! attempt's timeout exact, none measured on the wall clock.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use tokio::time::Instant;

use super::Schedule;
use crate::client::{ApiError, ClientError, Retries};

const MS: Duration = Duration::from_millis(1);
const TIMEOUT: Duration = Duration::from_secs(10);

/// The API's answer `status`, with `Retry-After: seconds` when given.
fn api(status: u16, retry_after: Option<u64>) -> ClientError {
    ClientError::Api(ApiError::from_parts(
        StatusCode::from_u16(status).unwrap(),
        None,
        String::new(),
        retry_after.map(Duration::from_secs),
    ))
}

fn schedule(retries: Retries, method: &Method, deadline: Option<Instant>) -> Schedule {
    Schedule {
        retries,
        timeout: TIMEOUT,
        deadline,
        idempotent: *method == Method::GET,
    }
}

/// What a run did: when each attempt started (from the run's start) and the timeout it was
/// given; the API status it ended with (`None` for a success, 0 for a non-API error); and
/// when it ended.
#[derive(Debug, PartialEq)]
struct Run {
    attempts: Vec<(Duration, Duration)>,
    status: Option<u16>,
    ended: Duration,
}

/// Runs `schedule` against `answers`, one an attempt, each taking its duration of the
/// paused clock before it answers.
async fn run(schedule: &Schedule, answers: Vec<(Duration, Result<(), ClientError>)>) -> Run {
    let start = Instant::now();
    let answers = RefCell::new(VecDeque::from(answers));
    let attempts = RefCell::new(Vec::new());
    let result = schedule
        .run(|timeout| {
            attempts.borrow_mut().push((start.elapsed(), timeout));
            let (took, answer) = answers
                .borrow_mut()
                .pop_front()
                .expect("no more attempts than answers");
            assert!(took <= timeout, "an attempt ends by its timeout");
            async move {
                tokio::time::sleep(took).await;
                answer
            }
        })
        .await;
    assert!(
        answers.borrow().is_empty(),
        "every scripted answer was asked for"
    );
    Run {
        attempts: attempts.into_inner(),
        status: match result {
            Ok(()) => None,
            Err(err) => Some(err.api().map_or(0, |api| api.status().as_u16())),
        },
        ended: start.elapsed(),
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_is_waited_exactly() {
    let retries = Retries::new();
    let run = run(
        &schedule(retries, &Method::POST, None),
        vec![(3 * MS, Err(api(429, Some(1)))), (2 * MS, Ok(()))],
    )
    .await;
    let second = 3 * MS + Duration::from_secs(1);
    assert_eq!(
        run,
        Run {
            attempts: vec![(Duration::ZERO, TIMEOUT), (second, TIMEOUT)],
            status: None,
            ended: second + 2 * MS,
        }
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_past_the_cap_ends_the_call_at_once() {
    let retries = Retries::new().max_retry_after(Duration::from_millis(500));
    let run = run(
        &schedule(retries, &Method::GET, None),
        vec![(MS, Err(api(429, Some(1))))],
    )
    .await;
    assert_eq!(
        run,
        Run {
            attempts: vec![(Duration::ZERO, TIMEOUT)],
            status: Some(429),
            ended: MS,
        }
    );
}

#[tokio::test(start_paused = true)]
async fn backoffs_double_within_full_jitter_until_the_attempts_run_out() {
    let retries = Retries::new()
        .attempts(4)
        .backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(300));
    let run = run(
        &schedule(retries, &Method::GET, None),
        (0..4)
            .map(|_| (Duration::ZERO, Err(api(503, None))))
            .collect(),
    )
    .await;
    assert_eq!(run.status, Some(503));
    let starts: Vec<Duration> = run.attempts.iter().map(|(at, _)| *at).collect();
    // Each wait is drawn from zero to its ceiling: 100 ms, then 200, then the 300 ms cap.
    let ceilings = [100 * MS, 200 * MS, 300 * MS];
    for (pair, ceiling) in starts.windows(2).zip(ceilings) {
        let wait = pair[1] - pair[0];
        assert!(wait <= ceiling, "{wait:?} > {ceiling:?}");
        // At millisecond resolution: the paused clock shows the draw as it was made.
        assert_eq!(wait.subsec_nanos() % 1_000_000, 0, "{wait:?}");
    }
    assert_eq!(run.ended, starts[3], "no wait after the last attempt");
}

#[tokio::test(start_paused = true)]
async fn a_post_is_retried_only_on_statuses_that_say_nothing_was_done() {
    let retries = Retries::new().backoff(Duration::ZERO);
    for status in [429, 503] {
        let run = run(
            &schedule(retries, &Method::POST, None),
            vec![(MS, Err(api(status, None))), (MS, Ok(()))],
        )
        .await;
        assert_eq!(run.attempts.len(), 2, "{status}");
        assert_eq!(run.status, None, "{status}");
    }
    // A 500, 502 or 504 may follow a created deal; a 4xx will not change.
    for status in [400, 404, 409, 422, 500, 502, 504] {
        let run = run(
            &schedule(retries, &Method::POST, None),
            vec![(MS, Err(api(status, None)))],
        )
        .await;
        assert_eq!(run.attempts.len(), 1, "{status}");
        assert_eq!(run.status, Some(status));
    }
    // A GET may be sent again on every gateway-side failure.
    for status in [429, 502, 503, 504] {
        let run = run(
            &schedule(retries, &Method::GET, None),
            vec![(MS, Err(api(status, None))), (MS, Ok(()))],
        )
        .await;
        assert_eq!(run.attempts.len(), 2, "{status}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_deadline_cuts_the_timeouts_and_ends_the_waits() {
    let retries = Retries::new().backoff(Duration::ZERO);
    let deadline = Instant::now() + 250 * MS;
    // The first attempt may take what is left, 250 ms; it answers 503 after 100 ms. The
    // second may take the 150 ms left; its 429 asks for a second, which would end past the
    // deadline: the call ends with it, at once.
    let run = run(
        &schedule(retries, &Method::POST, Some(deadline)),
        vec![
            (100 * MS, Err(api(503, None))),
            (MS, Err(api(429, Some(1)))),
        ],
    )
    .await;
    assert_eq!(
        run,
        Run {
            attempts: vec![(Duration::ZERO, 250 * MS), (100 * MS, 150 * MS)],
            status: Some(429),
            ended: 101 * MS,
        }
    );
}

#[tokio::test(start_paused = true)]
async fn a_deadline_already_passed_makes_no_attempt() {
    let retries = Retries::new();
    let result = schedule(retries, &Method::POST, Some(Instant::now()))
        .run(|_| async { panic!("no attempt is made") as Result<(), ClientError> })
        .await;
    assert!(matches!(result, Err(ClientError::Deadline)), "{result:?}");
}

#[test]
fn a_schedule_is_made_from_the_call() {
    let deadline = std::time::Instant::now() + 40 * MS;
    let post = Schedule::new(Retries::new(), TIMEOUT, Some(deadline), &Method::POST);
    assert_eq!(post.deadline, Some(Instant::from_std(deadline)));
    assert!(!post.idempotent);
    let get = Schedule::new(Retries::none(), TIMEOUT, None, &Method::GET);
    assert!(get.idempotent);
    assert_eq!(
        (get.deadline, get.retries, get.timeout),
        (None, Retries::none(), TIMEOUT)
    );
}
