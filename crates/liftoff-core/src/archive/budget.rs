//! Counting what an archive unpacks, so a bomb is stopped early and memory stays bounded.

use std::fmt;
use std::io::{self, Read};

use crate::limits::Limits;

/// Which limit an archive hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    TotalSize { max: u64 },
    Entries { max: usize },
    Ratio { max: u64 },
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitKind::TotalSize { max } => {
                write!(f, "unpacks to more than {} MiB", max / (1024 * 1024))
            }
            LimitKind::Entries { max } => write!(f, "has more than {max} entries"),
            LimitKind::Ratio { max } => {
                write!(f, "compression ratio above {max}:1 (a zip bomb?)")
            }
        }
    }
}

/// Tracks unpacked bytes and entries against [`Limits`] for one archive.
#[derive(Debug)]
pub struct Budget {
    limits: Limits,
    packed_len: u64,
    unpacked: u64,
    entries: usize,
}

/// Size of each read while unpacking one entry.
const CHUNK: usize = 64 * 1024;

impl Budget {
    pub fn new(limits: Limits, packed_len: usize) -> Self {
        Self {
            limits,
            packed_len: packed_len as u64,
            unpacked: 0,
            entries: 0,
        }
    }

    /// Counts one more entry.
    pub fn count_entry(&mut self) -> Result<(), LimitKind> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(LimitKind::Entries {
                max: self.limits.max_entries,
            });
        }
        Ok(())
    }

    /// Checks the ratio of `unpacked` to `packed` once past the floor.
    fn check_ratio(&self, unpacked: u64, packed: u64) -> Result<(), LimitKind> {
        let max = self.limits.max_ratio;
        if unpacked > self.limits.ratio_floor_bytes && unpacked > packed.max(1).saturating_mul(max)
        {
            return Err(LimitKind::Ratio { max });
        }
        Ok(())
    }

    /// Reads one entry's contents, charging them to the budget as they arrive. `packed` is
    /// the entry's compressed size when known (zip), so one bomb entry in a large archive is
    /// caught too.
    pub fn read_entry(
        &mut self,
        mut reader: impl Read,
        size_hint: u64,
        packed: Option<u64>,
    ) -> Result<Vec<u8>, ReadFailure> {
        let room = self.limits.max_total_bytes.saturating_sub(self.unpacked);
        let mut out = Vec::with_capacity(size_hint.min(room).min(64 * 1024 * 1024) as usize);
        let mut chunk = vec![0u8; CHUNK];
        let mut entry_bytes = 0u64;
        loop {
            let n = match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ReadFailure::Io(e)),
            };
            entry_bytes += n as u64;
            self.unpacked += n as u64;
            if self.unpacked > self.limits.max_total_bytes {
                return Err(ReadFailure::Limit(LimitKind::TotalSize {
                    max: self.limits.max_total_bytes,
                }));
            }
            self.check_ratio(self.unpacked, self.packed_len)
                .map_err(ReadFailure::Limit)?;
            if let Some(packed) = packed {
                self.check_ratio(entry_bytes, packed)
                    .map_err(ReadFailure::Limit)?;
            }
            out.extend_from_slice(&chunk[..n]);
        }
        Ok(out)
    }
}

/// Reading one entry failed: a limit, or the bytes themselves.
#[derive(Debug)]
pub enum ReadFailure {
    Limit(LimitKind),
    Io(io::Error),
}

/// Counts every byte a decompressor yields, so skipped entries (which the tar reader reads
/// through without keeping) still count against the total and ratio limits.
pub struct CountingReader<R> {
    inner: R,
    limits: Limits,
    packed_len: u64,
    read: u64,
    /// Set when a limit is hit; readers wrap our error in theirs, so the caller checks this.
    pub tripped: Option<LimitKind>,
}

impl<R: Read> CountingReader<R> {
    pub fn new(inner: R, limits: Limits, packed_len: usize) -> Self {
        Self {
            inner,
            limits,
            packed_len: packed_len as u64,
            read: 0,
            tripped: None,
        }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(limit) = self.tripped {
            return Err(io::Error::other(limit.to_string()));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        // Headers and padding add a little over the file contents: allow 1/8 slack.
        let max_total = self.limits.max_total_bytes + self.limits.max_total_bytes / 8;
        let max_ratio = self.limits.max_ratio;
        let limit = if self.read > max_total {
            Some(LimitKind::TotalSize {
                max: self.limits.max_total_bytes,
            })
        } else if self.read > self.limits.ratio_floor_bytes
            && self.read > self.packed_len.max(1).saturating_mul(max_ratio)
        {
            Some(LimitKind::Ratio { max: max_ratio })
        } else {
            None
        };
        if let Some(limit) = limit {
            self.tripped = Some(limit);
            return Err(io::Error::other(limit.to_string()));
        }
        Ok(n)
    }
}
