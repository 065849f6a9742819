//! The shape every network conversation shares, so one driver per platform runs them all.

use super::http::{Outcome, RequestId};
use super::pool::Outgoing;

/// How far a conversation has come: `done` of `total` steps (`total` may grow as it learns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// A conversation with a remote service, driven from outside: the driver sends what
/// [`poll_transmit`](Conversation::poll_transmit) hands out, feeds every outcome back to
/// [`handle`](Conversation::handle), sleeps until [`next_wakeup`](Conversation::next_wakeup)
/// when nothing is in flight, and calls [`finish`](Conversation::finish) once
/// [`is_finished`](Conversation::is_finished).
pub trait Conversation {
    /// What the conversation produces.
    type Output;

    /// Requests to send now. `now_ms` is the driver's clock (epoch milliseconds).
    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing>;
    /// The outcome of a request handed out earlier.
    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64);
    /// When a delayed retry becomes due, if one waits.
    fn next_wakeup(&self) -> Option<u64>;
    /// Steps done so far.
    fn progress(&self) -> Progress;
    /// True once [`finish`](Conversation::finish) may be called.
    fn is_finished(&self) -> bool;
    /// The result; call once finished.
    fn finish(self) -> Self::Output;
}

/// Runs a conversation against a synchronous `send` (tests, and any driver without
/// concurrency), with a virtual clock that jumps to each wakeup. Returns the output and the
/// number of requests sent.
pub fn run_blocking<C: Conversation>(
    mut conversation: C,
    mut send: impl FnMut(&super::Request) -> Outcome,
) -> (C::Output, u64) {
    let mut now = 0;
    let mut sent = 0;
    while !conversation.is_finished() {
        let batch = conversation.poll_transmit(now);
        if batch.is_empty() {
            match conversation.next_wakeup() {
                Some(due) => now = now.max(due),
                None => panic!("conversation stalled: nothing to send, nothing to wait for"),
            }
            continue;
        }
        for out in batch {
            sent += 1;
            let outcome = send(&out.request);
            conversation.handle(out.id, outcome, now);
        }
    }
    (conversation.finish(), sent)
}

/// One of two conversations with the same output, driven as one: how a caller picks a
/// provider at run time without boxing (`finish(self)` keeps [`Conversation`] from being a
/// trait object).
pub enum Either<A, B> {
    Left(A),
    Right(B),
}

impl<A, B> Conversation for Either<A, B>
where
    A: Conversation,
    B: Conversation<Output = A::Output>,
{
    type Output = A::Output;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        match self {
            Self::Left(a) => a.poll_transmit(now_ms),
            Self::Right(b) => b.poll_transmit(now_ms),
        }
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        match self {
            Self::Left(a) => a.handle(id, outcome, now_ms),
            Self::Right(b) => b.handle(id, outcome, now_ms),
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        match self {
            Self::Left(a) => a.next_wakeup(),
            Self::Right(b) => b.next_wakeup(),
        }
    }

    fn progress(&self) -> Progress {
        match self {
            Self::Left(a) => a.progress(),
            Self::Right(b) => b.progress(),
        }
    }

    fn is_finished(&self) -> bool {
        match self {
            Self::Left(a) => a.is_finished(),
            Self::Right(b) => b.is_finished(),
        }
    }

    fn finish(self) -> Self::Output {
        match self {
            Self::Left(a) => a.finish(),
            Self::Right(b) => b.finish(),
        }
    }
}
