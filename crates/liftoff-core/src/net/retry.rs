//! When to try a request again, and how long to wait first.

use super::http::{header, Outcome};

/// Retries network errors, 5xx and 429 with exponential backoff, honouring `Retry-After`
/// (seconds) and `x-ratelimit-reset` (epoch seconds, with `now_ms` as epoch milliseconds);
/// never retries other 4xx.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    /// 5 attempts; 500 ms, 1 s, 2 s, 4 s between them; a server may ask for up to 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay_ms: 500,
            max_delay_ms: 60_000,
        }
    }
}

/// What to do after an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// The outcome is final (success or an error not worth repeating).
    Accept,
    /// Send again once `delay_ms` have passed.
    RetryAfter { delay_ms: u64 },
    /// It would be worth retrying, but the attempts are used up.
    GiveUp,
}

impl RetryPolicy {
    /// Decides after attempt number `attempt` (1-based) ended in `outcome`.
    pub fn decide(&self, outcome: &Outcome, attempt: u32, now_ms: u64) -> RetryDecision {
        let server_delay = match outcome {
            Outcome::NetworkError(_) => None,
            Outcome::Response(r) if r.status == 429 || r.status >= 500 => {
                retry_after_ms(r.header(header::RETRY_AFTER))
            }
            Outcome::Response(r)
                if r.status == 403 && r.header("x-ratelimit-remaining") == Some("0") =>
            {
                reset_delay_ms(r.header("x-ratelimit-reset"), now_ms).or(Some(self.max_delay_ms))
            }
            Outcome::Response(_) => return RetryDecision::Accept,
        };
        if attempt >= self.max_attempts {
            return RetryDecision::GiveUp;
        }
        // A server that asks for a longer wait than we would sit through (a rate limit that
        // resets in an hour) gets an answer now, not after minutes of silent retries.
        if server_delay.is_some_and(|d| d > self.max_delay_ms) {
            return RetryDecision::GiveUp;
        }
        let backoff = self
            .base_delay_ms
            .saturating_mul(1u64 << (attempt - 1).min(20));
        let delay = server_delay.unwrap_or(backoff).min(self.max_delay_ms);
        RetryDecision::RetryAfter { delay_ms: delay }
    }
}

/// `Retry-After: <seconds>`; HTTP dates are left to the backoff (the core keeps no clock).
fn retry_after_ms(value: Option<&str>) -> Option<u64> {
    let seconds: f64 = value?.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then_some((seconds * 1000.0) as u64)
}

fn reset_delay_ms(value: Option<&str>, now_ms: u64) -> Option<u64> {
    let reset_s: u64 = value?.trim().parse().ok()?;
    Some(reset_s.saturating_mul(1000).saturating_sub(now_ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::Response;

    fn status(code: u16) -> Outcome {
        Outcome::Response(Response::new(code, Vec::new()))
    }

    #[test]
    fn decisions() {
        let p = RetryPolicy::default();
        assert_eq!(p.decide(&status(200), 1, 0), RetryDecision::Accept);
        assert_eq!(p.decide(&status(404), 1, 0), RetryDecision::Accept);
        assert_eq!(p.decide(&status(401), 1, 0), RetryDecision::Accept);
        assert_eq!(
            p.decide(&status(503), 1, 0),
            RetryDecision::RetryAfter { delay_ms: 500 }
        );
        assert_eq!(
            p.decide(&status(500), 3, 0),
            RetryDecision::RetryAfter { delay_ms: 2000 }
        );
        let net = Outcome::NetworkError("reset".into());
        assert_eq!(
            p.decide(&net, 2, 0),
            RetryDecision::RetryAfter { delay_ms: 1000 }
        );
        assert_eq!(p.decide(&net, 5, 0), RetryDecision::GiveUp);
    }

    #[test]
    fn honours_server_delays() {
        let p = RetryPolicy::default();
        let r = Outcome::Response(Response::new(429, Vec::new()).with_header("Retry-After", "3"));
        assert_eq!(
            p.decide(&r, 1, 0),
            RetryDecision::RetryAfter { delay_ms: 3000 }
        );
        let r =
            Outcome::Response(Response::new(429, Vec::new()).with_header("retry-after", "9999"));
        assert_eq!(
            p.decide(&r, 1, 0),
            RetryDecision::GiveUp,
            "no silent hour-long wait"
        );
        let r = Outcome::Response(Response::new(429, Vec::new()).with_header("retry-after", "60"));
        assert_eq!(
            p.decide(&r, 1, 0),
            RetryDecision::RetryAfter { delay_ms: 60_000 }
        );
        let limited = Response::new(403, Vec::new())
            .with_header("x-ratelimit-remaining", "0")
            .with_header("x-ratelimit-reset", "1000");
        let r = Outcome::Response(limited);
        assert_eq!(
            p.decide(&r, 1, 995_500),
            RetryDecision::RetryAfter { delay_ms: 4500 }
        );
    }
}
