//! The ref advertisement `GET {clone_url}/info/refs?service=git-receive-pack` answers: which
//! refs the remote has, at which commit, and what the receiving side can do.

use thiserror::Error;

use super::object::ObjectId;
use super::pktline::{trim_newline, Pkt, PktError, PktReader};

/// The git server spoke something we cannot read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtocolError {
    #[error(transparent)]
    Pkt(#[from] PktError),
    #[error("not a receive-pack ref advertisement: {}", crate::text::quote_message(.0))]
    NotAnAdvertisement(String),
    #[error("bad ref line \"{}\"", crate::text::excerpt(.0))]
    BadRefLine(String),
    #[error("bad report-status line \"{}\"", crate::text::excerpt(.0))]
    BadStatusLine(String),
    #[error("the answer ended before the report-status did")]
    UnfinishedReport,
    #[error("the server stopped with an error: {}", crate::text::quote_message(.0))]
    Fatal(String),
    #[error("unknown side-band channel {0}")]
    BadBand(u8),
}

/// What the receiving side announced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Advertisement {
    /// Refs and their values, as listed (`.have` lines and the empty repository's
    /// `capabilities^{}` placeholder left out).
    pub refs: Vec<(String, ObjectId)>,
    pub capabilities: Vec<String>,
}

impl Advertisement {
    /// Parses the body of the info/refs answer. The `# service=` header (smart HTTP) is
    /// optional, so a bare advertisement parses too.
    pub fn parse(body: &[u8]) -> Result<Self, ProtocolError> {
        let mut reader = PktReader::new(body);
        let mut first = reader.next().transpose()?;
        if let Some(Pkt::Data(line)) = first {
            if line.starts_with(b"# service=") {
                if trim_newline(line) != b"# service=git-receive-pack" {
                    return Err(ProtocolError::NotAnAdvertisement(lossy(line)));
                }
                // The header is followed by a flush, then the refs.
                match reader.next().transpose()? {
                    Some(Pkt::Flush) => {}
                    other => return Err(ProtocolError::NotAnAdvertisement(format!("{other:?}"))),
                }
                first = reader.next().transpose()?;
            }
        }
        let mut advertisement = Self::default();
        let mut pkt = first;
        let mut is_first = true;
        loop {
            match pkt {
                None => {
                    return Err(ProtocolError::NotAnAdvertisement(
                        "no flush at the end".into(),
                    ))
                }
                Some(Pkt::Flush) => break,
                Some(Pkt::Data(line)) => {
                    let line = trim_newline(line);
                    let refs_part = if is_first {
                        match line.iter().position(|&b| b == 0) {
                            Some(nul) => {
                                let caps = String::from_utf8_lossy(&line[nul + 1..]);
                                advertisement.capabilities =
                                    caps.split_ascii_whitespace().map(str::to_string).collect();
                                &line[..nul]
                            }
                            None => line,
                        }
                    } else {
                        line
                    };
                    is_first = false;
                    advertisement.add_ref(refs_part)?;
                }
                Some(other) => return Err(ProtocolError::NotAnAdvertisement(format!("{other:?}"))),
            }
            pkt = reader.next().transpose()?;
        }
        Ok(advertisement)
    }

    fn add_ref(&mut self, line: &[u8]) -> Result<(), ProtocolError> {
        let text = std::str::from_utf8(line).map_err(|_| ProtocolError::BadRefLine(lossy(line)))?;
        if text.starts_with("shallow ") {
            return Ok(());
        }
        let (oid, name) = text
            .split_once(' ')
            .ok_or_else(|| ProtocolError::BadRefLine(text.into()))?;
        let oid = ObjectId::from_hex(oid).ok_or_else(|| ProtocolError::BadRefLine(text.into()))?;
        if name == "capabilities^{}" || name == ".have" {
            return Ok(());
        }
        if name.is_empty() || name.contains(' ') {
            return Err(ProtocolError::BadRefLine(text.into()));
        }
        self.refs.push((name.to_string(), oid));
        Ok(())
    }

    /// The value of `name` (a full ref name such as `refs/heads/main`).
    pub fn get(&self, name: &str) -> Option<ObjectId> {
        self.refs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, oid)| *oid)
    }

    /// Whether the server offered capability `name` (alone or as `name=value`).
    pub fn has_capability(&self, name: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c == name || c.split_once('=').is_some_and(|(k, _)| k == name))
    }

    /// True for a repository without any ref (a new, empty repository).
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }
}

pub(super) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::destinations::github::pktline::{write_pkt, FLUSH};

    fn body(lines: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        write_pkt(&mut out, b"# service=git-receive-pack\n").unwrap();
        out.extend_from_slice(FLUSH);
        for line in lines {
            write_pkt(&mut out, line).unwrap();
        }
        out.extend_from_slice(FLUSH);
        out
    }

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";

    #[test]
    fn refs_and_capabilities() {
        let first = format!("{A} refs/heads/main\0report-status delete-refs side-band-64k quiet atomic ofs-delta agent=git/2.47.3\n");
        let second = format!("{B} refs/heads/feature\n");
        let have = format!("{B} .have\n");
        let ad = Advertisement::parse(&body(&[
            first.as_bytes(),
            second.as_bytes(),
            have.as_bytes(),
        ]))
        .unwrap();
        assert_eq!(ad.refs.len(), 2);
        assert_eq!(ad.get("refs/heads/main").unwrap().to_hex(), A);
        assert_eq!(ad.get("refs/heads/feature").unwrap().to_hex(), B);
        assert_eq!(ad.get("refs/heads/x"), None);
        assert!(ad.has_capability("report-status"));
        assert!(ad.has_capability("side-band-64k"));
        assert!(ad.has_capability("agent"));
        assert!(!ad.has_capability("report-status-v2"));
        assert!(!ad.is_empty());
    }

    #[test]
    fn empty_repository() {
        let line = format!(
            "{} capabilities^{{}}\0report-status side-band-64k object-format=sha1\n",
            ObjectId::ZERO
        );
        let ad = Advertisement::parse(&body(&[line.as_bytes()])).unwrap();
        assert!(ad.is_empty());
        assert!(ad.has_capability("object-format"));
        assert!(ad.has_capability("report-status"));
    }

    #[test]
    fn refuses_what_is_not_an_advertisement() {
        assert!(Advertisement::parse(b"<html>sign in</html>").is_err());
        let mut wrong = Vec::new();
        write_pkt(&mut wrong, b"# service=git-upload-pack\n").unwrap();
        wrong.extend_from_slice(FLUSH);
        wrong.extend_from_slice(FLUSH);
        assert!(matches!(
            Advertisement::parse(&wrong),
            Err(ProtocolError::NotAnAdvertisement(_))
        ));
        let cut = body(&[b"1234 refs/heads/main\0x\n"]);
        assert!(matches!(
            Advertisement::parse(&cut),
            Err(ProtocolError::BadRefLine(_))
        ));
        let unfinished = &body(&[format!("{A} refs/heads/main\0x\n").as_bytes()]);
        assert!(Advertisement::parse(&unfinished[..unfinished.len() - 4]).is_err());
    }
}
