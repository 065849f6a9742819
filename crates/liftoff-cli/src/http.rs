//! The blocking HTTP driver: runs any core [`Conversation`] with real sockets, a few requests
//! at a time on worker threads, and the wall clock.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use liftoff_core::net::{Conversation, Method, Outcome, Outgoing, Request, RequestId, Response};
use ureq::Agent;

/// Largest response body accepted (the core applies its own, smaller caps on top).
const MAX_BODY: u64 = 512 * 1024 * 1024;

/// Worker threads, so at most this many requests are in flight whatever a conversation asks.
const WORKERS: usize = 8;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn agent() -> Agent {
    Agent::config_builder()
        // Every status is an answer for the conversation to judge.
        .http_status_as_error(false)
        // Never follow a redirect: a token must not travel to another host.
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(120)))
        .user_agent(concat!("liftoff/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Sends one request and reads the whole answer. Errors carry no header values.
fn send(agent: &Agent, request: &Request) -> Outcome {
    let mut builder = ureq::http::Request::builder()
        .method(request.method.as_str())
        .uri(&request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let http_request = match builder.body(request.body.clone()) {
        Ok(r) => r,
        Err(e) => return Outcome::NetworkError(format!("bad request: {e}")),
    };
    let result = if request.method == Method::Get {
        let (parts, _) = http_request.into_parts();
        agent.run(ureq::http::Request::from_parts(parts, ()))
    } else {
        agent.run(http_request)
    };
    let mut response = match result {
        Ok(r) => r,
        Err(e) => return Outcome::NetworkError(e.to_string()),
    };
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    match response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
    {
        Ok(body) => Outcome::Response(Response {
            status,
            headers,
            body,
        }),
        Err(e) => Outcome::NetworkError(format!("reading the answer: {e}")),
    }
}

/// Runs `conversation` to its end behind a progress bar labelled `phase` (on a terminal only).
pub fn drive_with_bar<C: Conversation>(phase: &'static str, conversation: C) -> C::Output {
    let pb = crate::progress::bar(phase, 1);
    let output = drive(conversation, |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    });
    pb.finish_and_clear();
    output
}

/// Runs `conversation` to its end, calling `progress(done, total)` as it goes.
pub fn drive<C: Conversation>(
    mut conversation: C,
    mut progress: impl FnMut(u64, u64),
) -> C::Output {
    let (job_tx, job_rx) = mpsc::channel::<Outgoing>();
    let (done_tx, done_rx) = mpsc::channel::<(RequestId, Outcome)>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    for _ in 0..WORKERS {
        let job_rx = Arc::clone(&job_rx);
        let done_tx = done_tx.clone();
        thread::spawn(move || {
            let agent = agent();
            loop {
                let job = job_rx.lock().map(|rx| rx.recv());
                let Ok(Ok(job)) = job else { break };
                let outcome = send(&agent, &job.request);
                if done_tx.send((job.id, outcome)).is_err() {
                    break;
                }
            }
        });
    }
    let mut in_flight = 0usize;
    while !conversation.is_finished() {
        for out in conversation.poll_transmit(now_ms()) {
            in_flight += 1;
            job_tx.send(out).expect("workers outlive the loop");
        }
        let wait = conversation
            .next_wakeup()
            .map(|due| Duration::from_millis(due.saturating_sub(now_ms())));
        if in_flight == 0 {
            // Nothing in flight: the conversation waits for a retry to come due.
            thread::sleep(wait.expect("a conversation with nothing in flight waits for a retry"));
            continue;
        }
        let received = match wait {
            Some(wait) => done_rx.recv_timeout(wait).ok(),
            None => done_rx.recv().ok(),
        };
        if let Some((id, outcome)) = received {
            in_flight -= 1;
            conversation.handle(id, outcome, now_ms());
            let p = conversation.progress();
            progress(p.done, p.total);
        }
    }
    // Dropping the sender ends idle workers; any still busy finish and exit with the process.
    drop(job_tx);
    conversation.finish()
}
