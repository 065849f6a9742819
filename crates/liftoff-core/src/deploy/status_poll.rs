//! Following a build until it is over, the same way for both providers: a status request every
//! second while a quick build may finish any moment (as `@vercel/client` does), then backing off,
//! and giving up after the build timeout.

/// How often and how long to follow a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollTiming {
    /// The wait between status requests at first.
    pub first_ms: u64,
    /// The longest wait, once backing off.
    pub max_ms: u64,
    /// How long a build may take before we stop following it.
    pub timeout_ms: u64,
}

impl Default for PollTiming {
    /// Every second, up to every 10 s; at most 30 minutes.
    fn default() -> Self {
        Self {
            first_ms: 1_000,
            max_ms: 10_000,
            timeout_ms: 30 * 60 * 1000,
        }
    }
}

/// How long after the build starts the first wait holds before the waits double.
const STEADY_MS: u64 = 15_000;

/// The build was not over after the timeout: this many minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimedOut {
    pub minutes: u64,
}

/// When the next status request is due.
#[derive(Debug, Clone)]
pub(crate) struct StatusPoll {
    timing: PollTiming,
    wait_ms: u64,
    due: Option<u64>,
    started: Option<u64>,
}

impl StatusPoll {
    pub fn new(timing: PollTiming) -> Self {
        Self {
            timing,
            wait_ms: timing.first_ms,
            due: None,
            started: None,
        }
    }

    /// The build started now (its deployment was accepted).
    pub fn start(&mut self, now_ms: u64) {
        self.started = Some(now_ms);
    }

    /// The build is not over: schedules the next request, or says the time is up.
    pub fn schedule(&mut self, now_ms: u64) -> Result<(), TimedOut> {
        let elapsed = now_ms.saturating_sub(self.started.unwrap_or(now_ms));
        if elapsed >= self.timing.timeout_ms {
            return Err(TimedOut {
                minutes: self.timing.timeout_ms / 60_000,
            });
        }
        self.due = Some(now_ms + self.wait_ms);
        if elapsed >= STEADY_MS {
            self.wait_ms = (self.wait_ms * 2).min(self.timing.max_ms);
        }
        Ok(())
    }

    /// True once, when the scheduled request has come due.
    pub fn take_due(&mut self, now_ms: u64) -> bool {
        let due = self.due.is_some_and(|due| due <= now_ms);
        if due {
            self.due = None;
        }
        due
    }

    /// Nothing more to ask (the conversation failed).
    pub fn cancel(&mut self) {
        self.due = None;
    }

    /// The earlier of the scheduled request and `other` (the pool's next retry).
    pub fn next_wakeup(&self, other: Option<u64>) -> Option<u64> {
        match (other, self.due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_second_for_fifteen_seconds_then_backing_off_then_giving_up() {
        let mut poll = StatusPoll::new(PollTiming {
            timeout_ms: 60_000,
            ..PollTiming::default()
        });
        poll.start(0);
        let mut now = 0;
        let mut waits = Vec::new();
        let minutes = loop {
            match poll.schedule(now) {
                Ok(()) => {
                    let due = poll.next_wakeup(None).unwrap();
                    assert!(!poll.take_due(due - 1));
                    assert!(poll.take_due(due) && !poll.take_due(due));
                    waits.push(due - now);
                    now = due;
                }
                Err(TimedOut { minutes }) => break minutes,
            }
        };
        assert_eq!(minutes, 1);
        let error = |minutes| super::super::DeployError::TimedOut {
            service: "Vercel",
            id: "dpl_1".into(),
            state: "BUILDING".into(),
            minutes,
        };
        assert_eq!(
            error(minutes).to_string(),
            "Vercel: deployment dpl_1 was not ready after 1 minute (last state BUILDING)"
        );
        assert!(error(30).to_string().contains("after 30 minutes ("));
        assert!(waits[..15].iter().all(|w| *w == 1_000), "{waits:?}");
        assert_eq!(&waits[15..19], &[1_000, 2_000, 4_000, 8_000]);
        assert!(waits[19..].iter().all(|w| *w == 10_000), "{waits:?}");
        assert!(now >= 60_000);
        assert_eq!(poll.next_wakeup(Some(5)), Some(5));
    }
}
