//! A queue of jobs, each one request, sent with bounded concurrency and retried by a
//! [`RetryPolicy`]. Conversations that fetch many things (files, pages of rows, uploads) keep
//! one and ask it what to send next.

use std::collections::{BTreeMap, VecDeque};

use super::http::{Outcome, Request, RequestId, Response};
use super::retry::{RetryDecision, RetryPolicy};

/// A request to send now, tagged so its outcome can be matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub id: RequestId,
    pub request: Request,
}

impl Outgoing {
    /// Tags `request` with `id`.
    pub fn new(id: RequestId, request: Request) -> Self {
        Self { id, request }
    }
}

/// How many times a lost answer to a creating call is looked into and the call made again
/// before the conversation gives up.
pub const MAX_LOST_ANSWERS: u32 = 3;

/// What an outcome meant for its job.
#[derive(Debug)]
pub enum PoolEvent<J> {
    /// The job got a final response (any status that is not retried).
    Done(J, Response),
    /// Retries are used up; the last outcome is kept for the error message.
    Failed(J, Outcome),
    /// The job will be sent again later; nothing to do.
    Retrying,
    /// The id was not ours (already handled, or unknown): ignored.
    Unknown,
}

#[derive(Debug)]
struct Queued<J> {
    job: J,
    attempts: u32,
    /// A creating call: a lost answer is reported, never blindly sent again.
    once: bool,
}

/// Jobs waiting, delayed, or in flight.
#[derive(Debug)]
pub struct Pool<J> {
    policy: RetryPolicy,
    max_in_flight: usize,
    ready: VecDeque<Queued<J>>,
    /// Due time (ms) and a sequence number, so equal times keep their order.
    delayed: BTreeMap<(u64, u64), Queued<J>>,
    in_flight: BTreeMap<RequestId, Queued<J>>,
    next_id: u64,
    sent: u64,
}

impl<J> Pool<J> {
    /// An empty pool sending at most `max_in_flight` requests at once.
    pub fn new(max_in_flight: usize, policy: RetryPolicy) -> Self {
        Self {
            policy,
            max_in_flight: max_in_flight.max(1),
            ready: VecDeque::new(),
            delayed: BTreeMap::new(),
            in_flight: BTreeMap::new(),
            next_id: 0,
            sent: 0,
        }
    }

    /// Queues a job.
    pub fn push(&mut self, job: J) {
        self.ready.push_back(Queued {
            job,
            attempts: 0,
            once: false,
        });
    }

    /// Queues a creating call (a deployment, a build): when its answer is lost (a network error,
    /// a 5xx: the call may have been carried out) it is reported as [`PoolEvent::Failed`]
    /// instead of being sent again, so the conversation can look for what it created before it
    /// creates again. A 429 (not carried out) is still retried.
    pub fn push_once(&mut self, job: J) {
        self.ready.push_back(Queued {
            job,
            attempts: 0,
            once: true,
        });
    }

    /// Jobs to send now, each with the id its outcome must carry: delayed jobs that are due,
    /// then queued ones, up to the limit.
    pub fn poll_transmit(&mut self, now_ms: u64) -> Vec<(RequestId, J)>
    where
        J: Clone,
    {
        while let Some(entry) = self.delayed.first_entry() {
            if entry.key().0 > now_ms {
                break;
            }
            self.ready.push_front(entry.remove());
        }
        let mut out = Vec::new();
        while self.in_flight.len() < self.max_in_flight {
            let Some(mut queued) = self.ready.pop_front() else {
                break;
            };
            queued.attempts += 1;
            let id = RequestId(self.next_id);
            self.next_id += 1;
            self.sent += 1;
            out.push((id, queued.job.clone()));
            self.in_flight.insert(id, queued);
        }
        out
    }

    /// Takes the outcome of request `id`.
    pub fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) -> PoolEvent<J> {
        let Some(queued) = self.in_flight.remove(&id) else {
            return PoolEvent::Unknown;
        };
        let lost = match &outcome {
            Outcome::NetworkError(_) => true,
            Outcome::Response(r) => r.status >= 500,
        };
        if queued.once && lost {
            return PoolEvent::Failed(queued.job, outcome);
        }
        match self.policy.decide(&outcome, queued.attempts, now_ms) {
            RetryDecision::Accept => match outcome {
                Outcome::Response(response) => PoolEvent::Done(queued.job, response),
                // `decide` never accepts a network error; keep the type honest anyway.
                failed @ Outcome::NetworkError(_) => PoolEvent::Failed(queued.job, failed),
            },
            RetryDecision::GiveUp => PoolEvent::Failed(queued.job, outcome),
            RetryDecision::RetryAfter { delay_ms } => {
                let seq = self.next_id;
                self.next_id += 1;
                self.delayed.insert((now_ms + delay_ms, seq), queued);
                PoolEvent::Retrying
            }
        }
    }

    /// When the next delayed job becomes due, if any job is delayed.
    pub fn next_wakeup(&self) -> Option<u64> {
        self.delayed.keys().next().map(|(due, _)| *due)
    }

    /// No job left anywhere.
    pub fn is_idle(&self) -> bool {
        self.ready.is_empty() && self.delayed.is_empty() && self.in_flight.is_empty()
    }

    /// Drops every job not yet finished (after a fatal error).
    pub fn clear(&mut self) {
        self.ready.clear();
        self.delayed.clear();
        self.in_flight.clear();
    }

    /// Requests handed out so far, retries included.
    pub fn requests_sent(&self) -> u64 {
        self.sent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> Outcome {
        Outcome::Response(Response::new(200, b"ok".to_vec()))
    }

    #[test]
    fn bounded_concurrency_and_retries_in_order() {
        let mut pool = Pool::new(2, RetryPolicy::default());
        for n in 0..3 {
            pool.push(n);
        }
        let first = pool.poll_transmit(0);
        assert_eq!(first.len(), 2, "never more than the limit in flight");
        assert!(pool.poll_transmit(0).is_empty());

        let busy = Outcome::Response(Response::new(503, Vec::new()));
        assert!(matches!(
            pool.handle(first[0].0, busy, 0),
            PoolEvent::Retrying
        ));
        assert!(matches!(
            pool.handle(first[1].0, ok(), 0),
            PoolEvent::Done(1, _)
        ));
        // Job 2 goes now; job 0 waits for its backoff.
        let next = pool.poll_transmit(10);
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].1, 2);
        assert_eq!(pool.next_wakeup(), Some(500));
        assert!(matches!(
            pool.handle(next[0].0, ok(), 20),
            PoolEvent::Done(2, _)
        ));
        assert!(pool.poll_transmit(499).is_empty());
        let retry = pool.poll_transmit(500);
        assert_eq!(retry[0].1, 0);
        assert!(matches!(
            pool.handle(retry[0].0, ok(), 600),
            PoolEvent::Done(0, _)
        ));
        assert!(pool.is_idle());
        assert_eq!(pool.requests_sent(), 4);
        assert!(matches!(
            pool.handle(retry[0].0, ok(), 600),
            PoolEvent::Unknown
        ));
    }

    #[test]
    fn a_creating_call_reports_a_lost_answer_instead_of_sending_again() {
        let mut pool = Pool::new(1, RetryPolicy::default());
        pool.push_once("create");
        let (id, _) = pool.poll_transmit(0)[0];
        let limited = Outcome::Response(Response::new(429, Vec::new()));
        assert!(matches!(pool.handle(id, limited, 0), PoolEvent::Retrying));
        let (id, _) = pool.poll_transmit(1_000)[0];
        let lost = Outcome::NetworkError("reset".into());
        assert!(matches!(
            pool.handle(id, lost, 1_000),
            PoolEvent::Failed("create", Outcome::NetworkError(_))
        ));
        pool.push_once("again");
        let (id, _) = pool.poll_transmit(2_000)[0];
        let gateway = Outcome::Response(Response::new(502, Vec::new()));
        assert!(matches!(
            pool.handle(id, gateway, 2_000),
            PoolEvent::Failed("again", _)
        ));
        assert!(pool.is_idle());
    }

    #[test]
    fn gives_up_after_max_attempts() {
        let policy = RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        };
        let mut pool = Pool::new(1, policy);
        pool.push("x");
        let mut now = 0;
        let mut events = Vec::new();
        while !pool.is_idle() {
            for (id, _) in pool.poll_transmit(now) {
                events.push(pool.handle(id, Outcome::NetworkError("reset".into()), now));
            }
            now = pool.next_wakeup().unwrap_or(now);
        }
        assert!(matches!(events[0], PoolEvent::Retrying));
        assert!(matches!(
            events[1],
            PoolEvent::Failed("x", Outcome::NetworkError(_))
        ));
    }
}
