//! The shape every network conversation shares, so one driver per platform runs them all.

use super::http::{Outcome, RequestId};
use super::pool::Outgoing;

/// How far a conversation has come: `done` of `total` steps (`total` may grow as it learns). A
/// builder's fetch counts files: fetched of known, `0` of `0` while none is known yet (its
/// [`phase`](Conversation::phase) says what it does meanwhile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// What a conversation is busy with that its count of steps does not show, for a front end to
/// name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// One answer brings every file (a whole-project endpoint, an archive).
    Download,
    /// The files are being listed: how many is not known yet.
    Listing,
    /// Every file is in; the project's data is being read (a database's rows).
    Data,
}

impl Phase {
    /// `download`, `listing`, `data`: what front ends are told.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Download => "download",
            Phase::Listing => "listing",
            Phase::Data => "data",
        }
    }
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
    /// What it is busy with that [`progress`](Conversation::progress) does not show; none by
    /// default.
    fn phase(&self) -> Option<Phase> {
        None
    }
    /// True once [`finish`](Conversation::finish) may be called.
    fn is_finished(&self) -> bool;
    /// The result; call once finished.
    fn finish(self) -> Self::Output;
}

/// Runs a conversation against a synchronous `send` (tests, and any driver without
/// concurrency), with a virtual clock that jumps to each wakeup. Returns the output and the
/// number of requests sent.
pub fn run_blocking<C: Conversation>(
    conversation: C,
    send: impl FnMut(&super::Request) -> Outcome,
) -> (C::Output, u64) {
    run_blocking_at(0, conversation, send)
}

/// [`run_blocking`] with the virtual clock starting at `start_ms`: two runs that must not look
/// simultaneous (each creating call is keyed by its time).
pub fn run_blocking_at<C: Conversation>(
    start_ms: u64,
    mut conversation: C,
    mut send: impl FnMut(&super::Request) -> Outcome,
) -> (C::Output, u64) {
    let mut now = start_ms;
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

/// Any conversation with output `O`, behind one pointer: how a caller picks a builder or a
/// destination from a registry at run time and drives it as one type. A registry grows by a row,
/// not by another layer of generic wrappers.
pub struct Boxed<O>(Box<dyn Dyn<Output = O>>);

impl<O> Boxed<O> {
    /// Boxes `conversation`.
    pub fn new(conversation: impl Conversation<Output = O> + 'static) -> Self {
        Self(Box::new(conversation))
    }
}

/// [`Conversation`] with a `finish` that a trait object can call.
trait Dyn {
    type Output;
    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing>;
    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64);
    fn next_wakeup(&self) -> Option<u64>;
    fn progress(&self) -> Progress;
    fn phase(&self) -> Option<Phase>;
    fn is_finished(&self) -> bool;
    fn finish_boxed(self: Box<Self>) -> Self::Output;
}

impl<C: Conversation> Dyn for C {
    type Output = C::Output;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        Conversation::poll_transmit(self, now_ms)
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        Conversation::handle(self, id, outcome, now_ms);
    }

    fn next_wakeup(&self) -> Option<u64> {
        Conversation::next_wakeup(self)
    }

    fn progress(&self) -> Progress {
        Conversation::progress(self)
    }

    fn phase(&self) -> Option<Phase> {
        Conversation::phase(self)
    }

    fn is_finished(&self) -> bool {
        Conversation::is_finished(self)
    }

    fn finish_boxed(self: Box<Self>) -> Self::Output {
        (*self).finish()
    }
}

impl<O> Conversation for Boxed<O> {
    type Output = O;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        self.0.poll_transmit(now_ms)
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        self.0.handle(id, outcome, now_ms);
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.0.next_wakeup()
    }

    fn progress(&self) -> Progress {
        self.0.progress()
    }

    fn phase(&self) -> Option<Phase> {
        self.0.phase()
    }

    fn is_finished(&self) -> bool {
        self.0.is_finished()
    }

    fn finish(self) -> O {
        self.0.finish_boxed()
    }
}
