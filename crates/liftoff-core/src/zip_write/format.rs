//! The parts of the zip format (PKWARE's APPNOTE.TXT) that our writer and reader share:
//! record signatures and sizes, flags, and a little-endian field reader that never panics.

/// Local file header, before each entry's data.
pub const LOCAL_SIG: u32 = 0x0403_4b50;
/// Central directory file header, one per entry.
pub const CENTRAL_SIG: u32 = 0x0201_4b50;
/// End of central directory record.
pub const END_SIG: u32 = 0x0605_4b50;
/// ZIP64 end of central directory record.
pub const ZIP64_END_SIG: u32 = 0x0606_4b50;
/// ZIP64 end of central directory locator, just before the end record.
pub const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;

/// Fixed sizes of the records above, without their variable-length fields.
pub const LOCAL_LEN: usize = 30;
pub const CENTRAL_LEN: usize = 46;
pub const END_LEN: usize = 22;
pub const ZIP64_END_LEN: usize = 56;
pub const ZIP64_LOCATOR_LEN: usize = 20;

/// Compression methods: the only two we read or write.
pub const STORED: u16 = 0;
pub const DEFLATED: u16 = 8;

/// General purpose flags: bit 0, encrypted; bit 11, the name is UTF-8.
pub const FLAG_ENCRYPTED: u16 = 1;
pub const FLAG_UTF8: u16 = 1 << 11;

/// Extra field ids: ZIP64 sizes and offset, and Info-ZIP's UTF-8 name for old archives.
pub const EXTRA_ZIP64: u16 = 0x0001;
pub const EXTRA_UNICODE_PATH: u16 = 0x7075;

/// "Version needed to extract": 2.0 for deflate, 4.5 for ZIP64 records.
pub const VERSION_DEFLATE: u16 = 20;
pub const VERSION_ZIP64: u16 = 45;

/// The host system in the upper byte of "version made by"; Unix means the upper 16 bits of
/// the external attributes hold a `st_mode`.
pub const SYSTEM_DOS: u8 = 0;
pub const SYSTEM_UNIX: u8 = 3;

/// `st_mode` file types.
pub const S_IFMT: u32 = 0o170_000;
pub const S_IFREG: u32 = 0o100_000;
pub const S_IFLNK: u32 = 0o120_000;

/// 1980-01-01 00:00:00, the earliest MS-DOS date: the fixed timestamp of every entry we write.
pub const DOS_TIME: u16 = 0;
pub const DOS_DATE: u16 = (1 << 5) | 1;

/// A 32-bit field holding this value means "see the ZIP64 extra field or record"; likewise
/// the 16-bit entry counts.
pub const U32_MARK: u32 = u32::MAX;
pub const U16_MARK: u16 = u16::MAX;

/// Reads little-endian fields from a byte slice in order. Reading past the end gives `None`
/// and never panics, so the reader can parse hostile input with `?`.
pub struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    /// Fields from `offset` in `bytes` (none at all when `offset` is out of range).
    pub fn at(bytes: &'a [u8], offset: usize) -> Self {
        Self {
            rest: bytes.get(offset..).unwrap_or(&[]),
        }
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.array::<1>().map(|[b]| b)
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_le_bytes)
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    pub fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    /// What is left.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }
}

/// Whether `bytes` holds the signature `sig` at `offset`.
pub fn sig_at(bytes: &[u8], offset: u64, sig: u32) -> bool {
    usize::try_from(offset).is_ok_and(|at| Fields::at(bytes, at).u32() == Some(sig))
}
