//! Caps that hold against hostile archives and pages.

/// Upper bounds on what one capture may unpack. Exceeding one is an error naming the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Total bytes of all files after unpacking.
    pub max_total_bytes: u64,
    /// Number of entries (files, folders, links) in one archive.
    pub max_entries: usize,
    /// Unpacked bytes per packed byte, checked once more than `ratio_floor_bytes` are unpacked.
    pub max_ratio: u64,
    /// Below this many unpacked bytes the ratio is not checked (tiny archives compress well).
    pub ratio_floor_bytes: u64,
}

impl Default for Limits {
    /// Generous for any real builder project (they are tens of MB), small enough that a
    /// bomb is stopped long before it hurts a browser tab: 256 MiB, 50,000 entries, 100:1.
    fn default() -> Self {
        Self {
            max_total_bytes: 256 * 1024 * 1024,
            max_entries: 50_000,
            max_ratio: 100,
            ratio_floor_bytes: 16 * 1024 * 1024,
        }
    }
}
