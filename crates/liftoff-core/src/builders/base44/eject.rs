//! `GET /api/apps/<appId>/eject` answers with a tar (gzipped or plain) of the app's source;
//! it is read with the same limits as any archive the user hands us.

use crate::capture::{capture, Capture, CaptureError, Input, Options};
use crate::net::{
    join_url, Conversation, Outcome, Outgoing, Phase, Pool, PoolEvent, Progress, RemoteError,
    Request, RequestId, Response, RetryPolicy,
};

const SERVICE: &str = "Base44";

/// Where and how to fetch one app.
#[derive(Clone)]
pub struct Base44Config {
    /// The app's id (24 hex digits in the editor's URL).
    pub app_id: String,
    /// The session's bearer token. Only ever sent to `api`.
    pub token: String,
    /// Origin of Base44's API.
    pub api: String,
    pub retry: RetryPolicy,
    pub options: Options,
}

impl Base44Config {
    /// Base44's public origin and default retries.
    pub fn new(app_id: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            app_id: app_id.into(),
            token: token.into(),
            api: "https://app.base44.com".into(),
            retry: RetryPolicy::default(),
            options: Options::default(),
        }
    }
}

/// The conversation that ejects one Base44 app.
pub struct Base44Eject {
    config: Base44Config,
    pool: Pool<()>,
    result: Option<Result<Response, CaptureError>>,
}

impl Base44Eject {
    /// Starts with the eject request.
    pub fn new(config: Base44Config) -> Result<Self, CaptureError> {
        let id = &config.app_id;
        if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(CaptureError::BadId {
                builder: SERVICE,
                id: id.clone(),
            });
        }
        let mut pool = Pool::new(1, config.retry);
        pool.push(());
        Ok(Self {
            config,
            pool,
            result: None,
        })
    }

    fn what(&self) -> String {
        format!("app {}", self.config.app_id)
    }
}

impl Conversation for Base44Eject {
    type Output = Result<Capture, CaptureError>;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        let url = join_url(
            &self.config.api,
            &format!("api/apps/{}/eject", self.config.app_id),
        );
        self.pool
            .poll_transmit(now_ms)
            .into_iter()
            .map(|(id, ())| Outgoing::new(id, Request::get(&url).bearer(&self.config.token)))
            .collect()
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        let result = match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done((), response) if response.is_success() => Ok(response),
            PoolEvent::Done((), response) => {
                Err(
                    RemoteError::from_outcome(SERVICE, &self.what(), &Outcome::Response(response))
                        .into(),
                )
            }
            PoolEvent::Failed((), outcome) => {
                Err(RemoteError::from_outcome(SERVICE, &self.what(), &outcome).into())
            }
            PoolEvent::Retrying | PoolEvent::Unknown => return,
        };
        self.result = Some(result);
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.pool.next_wakeup()
    }

    /// No file is known before the one answer that brings them all is read, in `finish`.
    fn progress(&self) -> Progress {
        Progress::default()
    }

    fn phase(&self) -> Option<Phase> {
        Some(Phase::Download)
    }

    fn is_finished(&self) -> bool {
        self.result.is_some()
    }

    fn finish(self) -> Result<Capture, CaptureError> {
        let response = self.result.expect("finish after is_finished")?;
        let label = format!("Base44 eject of app {}", self.config.app_id);
        let short = &self.config.app_id[..self.config.app_id.len().min(8)];
        let options = Options {
            fallback_name: Some(format!("base44-{short}")),
            ..self.config.options.clone()
        };
        capture(
            Input::Bytes {
                name: &label,
                bytes: &response.body,
            },
            &options,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::run_blocking;

    const TOKEN: &str = "b44-secret-token";
    const APP: &str = "66a1b2c3d4e5f60718293a4b";

    fn tgz(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, *data).unwrap();
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &b.into_inner().unwrap()).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn ejects_through_retries() {
        let archive = tgz(&[
            ("src/api/base44Client.js", b"createClient({})"),
            ("logo.png", b"\x89PNG\xff"),
        ]);
        let mut calls = 0;
        let (captured, sent) = run_blocking(
            Base44Eject::new(Base44Config::new(APP, TOKEN)).unwrap(),
            |r| {
                calls += 1;
                assert_eq!(
                    r.url,
                    format!("https://app.base44.com/api/apps/{APP}/eject")
                );
                assert_eq!(r.header("authorization"), Some("Bearer b44-secret-token"));
                if calls == 1 {
                    Outcome::Response(Response::new(502, Vec::new()))
                } else {
                    Outcome::Response(Response::new(200, archive.clone()))
                }
            },
        );
        let captured = captured.unwrap();
        assert_eq!(sent, 2);
        assert_eq!(captured.tree.get("logo.png").unwrap().bytes, b"\x89PNG\xff");
        assert_eq!(captured.name, "base44-66a1b2c3");
    }

    #[test]
    fn errors_name_the_app_and_never_the_token() {
        for (status, needle) in [
            (401, "refused the token"),
            (404, "not found"),
            (403, "may not read"),
        ] {
            let (result, _) = run_blocking(
                Base44Eject::new(Base44Config::new(APP, TOKEN)).unwrap(),
                |_| Outcome::Response(Response::new(status, Vec::new())),
            );
            let text = result.unwrap_err().to_string();
            assert!(text.contains(needle), "{text}");
            assert!(!text.contains(TOKEN));
        }
        let (result, _) = run_blocking(
            Base44Eject::new(Base44Config::new(APP, TOKEN)).unwrap(),
            |_| Outcome::Response(Response::new(200, b"<html>login</html>".to_vec())),
        );
        assert_eq!(
            result.unwrap_err().to_string(),
            format!(
                "Base44 eject of app {APP}: not a folder, zip, tar, tar.gz or a builder's JSON"
            )
        );
    }
}
