//! A seeded schedule of network faults for tests: each request meets a lost answer, a 5xx, a
//! 429, a reset or a cut body, or goes through, as a flaky network and a busy service would do
//! it. The same seed gives the same schedule, so a failing case is replayed by its seed.
//! Tests wrap their stand-in's `serve` with [`Faults::serve`] and drive the conversation with
//! [`super::run_blocking`] (its virtual clock makes retries and polls instant).

use super::http::{header, Outcome, Request, Response};

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Served and answered.
    None,
    /// Not carried out: the connection was reset before the service saw it.
    Reset,
    /// Carried out by the service, then the answer was lost (the connection dropped).
    LostAnswer,
    /// A gateway's 502/503 before the service saw it.
    ServerError,
    /// 429 with `Retry-After`, not carried out.
    RateLimited,
    /// Carried out; the answer arrives with its body cut in half.
    CutBody,
}

/// A deterministic schedule of faults.
pub struct Faults {
    state: u64,
    /// Out of 100: how often a request meets a fault at all.
    rate: u64,
    /// Every fault dealt, in order (for a failing test's message).
    pub dealt: Vec<(String, Fault)>,
}

impl Faults {
    /// A schedule from `seed` where about `rate` requests in 100 meet a fault.
    pub fn new(seed: u64, rate: u64) -> Self {
        Self {
            state: seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1,
            rate,
            dealt: Vec::new(),
        }
    }

    /// xorshift64*: small, seedable, and enough to spread faults (no crate needed for a
    /// test schedule).
    fn next(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32
    }

    /// The fault for the next request.
    pub fn deal(&mut self) -> Fault {
        if self.next() % 100 >= self.rate {
            return Fault::None;
        }
        match self.next() % 5 {
            0 => Fault::Reset,
            1 => Fault::LostAnswer,
            2 => Fault::ServerError,
            3 => Fault::RateLimited,
            _ => Fault::CutBody,
        }
    }

    /// Answers `request` through `serve` (the stand-in), with the next fault applied.
    pub fn serve(
        &mut self,
        request: &Request,
        serve: &mut impl FnMut(&Request) -> Outcome,
    ) -> Outcome {
        let fault = self.deal();
        self.dealt.push((
            format!("{} {}", request.method.as_str(), request.url),
            fault,
        ));
        match fault {
            Fault::None => serve(request),
            Fault::Reset => Outcome::NetworkError("connection reset by peer".into()),
            Fault::LostAnswer => {
                let _ = serve(request);
                Outcome::NetworkError("connection closed before the answer".into())
            }
            Fault::ServerError => Outcome::Response(Response::new(502, b"Bad Gateway".to_vec())),
            Fault::RateLimited => Outcome::Response(
                Response::new(429, b"{\"message\":\"slow down\"}".to_vec())
                    .with_header(header::RETRY_AFTER, "2"),
            ),
            Fault::CutBody => match serve(request) {
                Outcome::Response(mut response) if response.body.len() > 1 => {
                    response.body.truncate(response.body.len() / 2);
                    Outcome::Response(response)
                }
                other => other,
            },
        }
    }

    /// The schedule so far, one line per request, for an assertion's message.
    pub fn story(&self) -> String {
        self.dealt
            .iter()
            .filter(|(_, f)| *f != Fault::None)
            .map(|(r, f)| format!("{f:?}: {r}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_deals_the_same_faults_and_every_kind_appears() {
        let deal = |seed| {
            let mut f = Faults::new(seed, 50);
            (0..200).map(|_| f.deal()).collect::<Vec<_>>()
        };
        assert_eq!(deal(7), deal(7));
        assert_ne!(deal(7), deal(8));
        let dealt = deal(7);
        for kind in [
            Fault::None,
            Fault::Reset,
            Fault::LostAnswer,
            Fault::ServerError,
            Fault::RateLimited,
            Fault::CutBody,
        ] {
            assert!(dealt.contains(&kind), "{kind:?}");
        }
        let faults = dealt.iter().filter(|f| **f != Fault::None).count();
        assert!((70..130).contains(&faults), "{faults} of 200 at 50%");
    }
}
