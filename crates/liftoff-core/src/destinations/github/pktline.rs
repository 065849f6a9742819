//! pkt-lines, the framing of git's wire protocol: four hex digits of length (counting
//! themselves), then the payload; `0000` is a flush.

use thiserror::Error;

/// Largest pkt-line, length prefix included.
pub const MAX_PKT_LEN: usize = 65520;
/// Largest payload of one pkt-line.
pub const MAX_PAYLOAD: usize = MAX_PKT_LEN - 4;
/// The flush packet.
pub const FLUSH: &[u8; 4] = b"0000";

/// A malformed pkt-line stream.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PktError {
    #[error("pkt-line payload of {0} bytes exceeds {MAX_PAYLOAD}")]
    TooLong(usize),
    #[error("bad pkt-line length prefix \"{}\"", crate::text::excerpt(.0))]
    BadLength(String),
    #[error("pkt-line cut short: {want} bytes announced, {have} left")]
    Truncated { want: usize, have: usize },
}

/// Appends one pkt-line holding `payload`.
pub fn write_pkt(out: &mut Vec<u8>, payload: &[u8]) -> Result<(), PktError> {
    if payload.len() > MAX_PAYLOAD {
        return Err(PktError::TooLong(payload.len()));
    }
    out.extend_from_slice(format!("{:04x}", payload.len() + 4).as_bytes());
    out.extend_from_slice(payload);
    Ok(())
}

/// One packet of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pkt<'a> {
    /// `0000`.
    Flush,
    /// `0001` (protocol v2 delimiter).
    Delim,
    /// `0002` (protocol v2 response end).
    ResponseEnd,
    Data(&'a [u8]),
}

/// Reads packets from a buffer.
#[derive(Debug, Clone)]
pub struct PktReader<'a> {
    rest: &'a [u8],
}

impl<'a> PktReader<'a> {
    /// A reader over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> &'a [u8] {
        self.rest
    }
}

impl<'a> Iterator for PktReader<'a> {
    type Item = Result<Pkt<'a>, PktError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let Some(prefix) = self.rest.get(..4) else {
            let bad = String::from_utf8_lossy(self.rest).into_owned();
            self.rest = &[];
            return Some(Err(PktError::BadLength(bad)));
        };
        let len = std::str::from_utf8(prefix)
            .ok()
            .filter(|text| text.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|text| usize::from_str_radix(text, 16).ok());
        let Some(len) = len else {
            let bad = String::from_utf8_lossy(prefix).into_owned();
            self.rest = &[];
            return Some(Err(PktError::BadLength(bad)));
        };
        let pkt = match len {
            0 => Pkt::Flush,
            1 => Pkt::Delim,
            2 => Pkt::ResponseEnd,
            3 => {
                self.rest = &[];
                return Some(Err(PktError::BadLength("0003".into())));
            }
            len if len > self.rest.len() => {
                let have = self.rest.len();
                self.rest = &[];
                return Some(Err(PktError::Truncated { want: len, have }));
            }
            len => {
                let data = &self.rest[4..len];
                self.rest = &self.rest[len..];
                return Some(Ok(Pkt::Data(data)));
            }
        };
        self.rest = &self.rest[4..];
        Some(Ok(pkt))
    }
}

/// A payload without its trailing newline, if it has one.
pub fn trim_newline(payload: &[u8]) -> &[u8] {
    payload.strip_suffix(b"\n").unwrap_or(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut out = Vec::new();
        write_pkt(&mut out, b"# service=git-receive-pack\n").unwrap();
        out.extend_from_slice(FLUSH);
        write_pkt(&mut out, b"").unwrap();
        write_pkt(&mut out, &vec![7; MAX_PAYLOAD]).unwrap();
        assert!(out.starts_with(b"001f# service=git-receive-pack\n0000"));
        let pkts: Vec<_> = PktReader::new(&out).collect::<Result<_, _>>().unwrap();
        assert_eq!(pkts.len(), 4);
        assert_eq!(pkts[0], Pkt::Data(b"# service=git-receive-pack\n"));
        assert_eq!(pkts[1], Pkt::Flush);
        assert_eq!(pkts[2], Pkt::Data(b""));
        assert!(matches!(pkts[3], Pkt::Data(d) if d.len() == MAX_PAYLOAD));
        assert_eq!(
            write_pkt(&mut out, &vec![0; MAX_PAYLOAD + 1]),
            Err(PktError::TooLong(MAX_PAYLOAD + 1))
        );
        assert_eq!(trim_newline(b"ok\n"), b"ok");
    }

    #[test]
    fn malformed() {
        let errs: Vec<_> = PktReader::new(b"00zzabc").collect();
        assert!(matches!(errs[..], [Err(PktError::BadLength(_))]));
        let errs: Vec<_> = PktReader::new(b"0010abc").collect();
        assert_eq!(errs, [Err(PktError::Truncated { want: 16, have: 7 })]);
        let errs: Vec<_> = PktReader::new(b"00").collect();
        assert!(matches!(errs[..], [Err(PktError::BadLength(_))]));
        let pkts: Vec<_> = PktReader::new(b"00010002").collect();
        assert_eq!(pkts, [Ok(Pkt::Delim), Ok(Pkt::ResponseEnd)]);
    }
}
