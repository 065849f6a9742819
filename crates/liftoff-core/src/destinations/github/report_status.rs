//! The answer to `POST {clone_url}/git-receive-pack`: did the pack unpack, and was each ref
//! updated (`ok <ref>`) or refused (`ng <ref> <why>`). With `side-band-64k` the report comes
//! wrapped in band 1, progress in band 2 and a fatal error in band 3.

use super::advertisement::{lossy, ProtocolError};
use super::pktline::{trim_newline, Pkt, PktReader};

/// One ref's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefStatus {
    /// The full ref name.
    pub name: String,
    /// `None` when updated; the server's reason otherwise.
    pub refused: Option<String>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportStatus {
    /// `None` when the pack unpacked; the server's reason otherwise.
    pub unpack_error: Option<String>,
    pub refs: Vec<RefStatus>,
    /// Band-2 messages (what `git push` prints as `remote: …`), newest last.
    pub messages: Vec<String>,
}

impl ReportStatus {
    /// The outcome of `name`, if the report mentions it.
    pub fn get(&self, name: &str) -> Option<&RefStatus> {
        self.refs.iter().find(|r| r.name == name)
    }
}

/// Parses the receive-pack answer; `side_band` says whether `side-band-64k` was requested.
pub fn parse_report_status(body: &[u8], side_band: bool) -> Result<ReportStatus, ProtocolError> {
    let mut messages = Vec::new();
    let demuxed;
    let report = if side_band {
        demuxed = demux(body, &mut messages)?;
        &demuxed[..]
    } else {
        body
    };
    let mut status = parse_report(report)?;
    status.messages = messages;
    Ok(status)
}

/// Band 1 concatenated; band 2 lines into `messages`; band 3 is a fatal error.
fn demux(body: &[u8], messages: &mut Vec<String>) -> Result<Vec<u8>, ProtocolError> {
    let mut data = Vec::new();
    for pkt in PktReader::new(body) {
        match pkt? {
            Pkt::Flush => return Ok(data),
            Pkt::Data([]) => {}
            Pkt::Data([1, rest @ ..]) => data.extend_from_slice(rest),
            Pkt::Data([2, rest @ ..]) => {
                let text = String::from_utf8_lossy(rest);
                for line in text.split(['\n', '\r']) {
                    let line = line.trim();
                    if !line.is_empty() {
                        messages.push(line.chars().take(300).collect());
                    }
                }
            }
            Pkt::Data([3, rest @ ..]) => {
                return Err(ProtocolError::Fatal(lossy(trim_newline(rest))));
            }
            Pkt::Data([band, ..]) => return Err(ProtocolError::BadBand(*band)),
            Pkt::Delim | Pkt::ResponseEnd => {}
        }
    }
    // Some servers close without the final flush; what band 1 carried is still the report.
    Ok(data)
}

fn parse_report(report: &[u8]) -> Result<ReportStatus, ProtocolError> {
    let mut status = ReportStatus::default();
    let mut saw_unpack = false;
    for pkt in PktReader::new(report) {
        let line = match pkt? {
            Pkt::Flush => {
                return if saw_unpack {
                    Ok(status)
                } else {
                    Err(ProtocolError::UnfinishedReport)
                };
            }
            Pkt::Data(line) => trim_newline(line),
            Pkt::Delim | Pkt::ResponseEnd => continue,
        };
        let text =
            std::str::from_utf8(line).map_err(|_| ProtocolError::BadStatusLine(lossy(line)))?;
        let bad = || ProtocolError::BadStatusLine(text.chars().take(200).collect());
        if let Some(result) = text.strip_prefix("unpack ") {
            saw_unpack = true;
            if result != "ok" {
                status.unpack_error = Some(result.to_string());
            }
        } else if let Some(name) = text.strip_prefix("ok ") {
            status.refs.push(RefStatus {
                name: name.to_string(),
                refused: None,
            });
        } else if let Some(rest) = text.strip_prefix("ng ") {
            let (name, why) = rest.split_once(' ').unwrap_or((rest, "no reason given"));
            status.refs.push(RefStatus {
                name: name.to_string(),
                refused: Some(why.to_string()),
            });
        } else if text.starts_with("option ") {
            // report-status-v2 detail about the ref just listed: nothing we need.
        } else {
            return Err(bad());
        }
    }
    Err(ProtocolError::UnfinishedReport)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::destinations::github::pktline::{write_pkt, FLUSH};

    fn report(lines: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for line in lines {
            write_pkt(&mut out, line.as_bytes()).unwrap();
        }
        out.extend_from_slice(FLUSH);
        out
    }

    fn banded(chunks: &[(u8, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (band, data) in chunks {
            let mut payload = vec![*band];
            payload.extend_from_slice(data);
            write_pkt(&mut out, &payload).unwrap();
        }
        out.extend_from_slice(FLUSH);
        out
    }

    #[test]
    fn ok_and_ng() {
        let ok =
            parse_report_status(&report(&["unpack ok\n", "ok refs/heads/main\n"]), false).unwrap();
        assert_eq!(ok.unpack_error, None);
        assert_eq!(ok.get("refs/heads/main").unwrap().refused, None);

        let ng = parse_report_status(
            &report(&["unpack ok\n", "ng refs/heads/main failed to update ref\n"]),
            false,
        )
        .unwrap();
        assert_eq!(
            ng.get("refs/heads/main").unwrap().refused.as_deref(),
            Some("failed to update ref")
        );

        let unpack = parse_report_status(
            &report(&[
                "unpack index-pack abnormal exit\n",
                "ng refs/heads/main unpacker error\n",
            ]),
            false,
        )
        .unwrap();
        assert_eq!(
            unpack.unpack_error.as_deref(),
            Some("index-pack abnormal exit")
        );
    }

    #[test]
    fn side_band_split_anywhere() {
        let inner = report(&["unpack ok\n", "ng refs/heads/main fetch first\n"]);
        let (a, b) = inner.split_at(7);
        let body = banded(&[
            (2, b"Resolving deltas: 100% (1/1)\r"),
            (1, a),
            (2, b"error: GH006: Protected branch update failed\n"),
            (1, b),
        ]);
        let status = parse_report_status(&body, true).unwrap();
        assert_eq!(
            status.get("refs/heads/main").unwrap().refused.as_deref(),
            Some("fetch first")
        );
        assert_eq!(
            status.messages,
            [
                "Resolving deltas: 100% (1/1)",
                "error: GH006: Protected branch update failed"
            ]
        );
    }

    #[test]
    fn fatal_band_and_garbage() {
        let body = banded(&[(3, b"fatal: the remote end hung up\n")]);
        assert_eq!(
            parse_report_status(&body, true),
            Err(ProtocolError::Fatal("fatal: the remote end hung up".into()))
        );
        assert_eq!(
            parse_report_status(&banded(&[(7, b"x")]), true),
            Err(ProtocolError::BadBand(7))
        );
        assert!(matches!(
            parse_report_status(&report(&["hello\n"]), false),
            Err(ProtocolError::BadStatusLine(_))
        ));
        assert_eq!(
            parse_report_status(b"", false),
            Err(ProtocolError::UnfinishedReport)
        );
        assert_eq!(
            parse_report_status(&report(&["ok refs/heads/main\n"]), false),
            Err(ProtocolError::UnfinishedReport)
        );
    }
}
