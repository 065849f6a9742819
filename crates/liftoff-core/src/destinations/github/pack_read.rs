//! Reading version-2 packfiles, as a server's protocol-v2 `fetch` answers them: whole objects
//! and deltas (`OFS_DELTA`, `REF_DELTA`) resolved against their bases, each object's id
//! computed, the trailing SHA-1 checked.
//!
//! A pack is hostile input: the object count, every declared size and every delta's result
//! count against [`PackLimits`] before anything is allocated, so a pack cannot make the reader
//! hold more than `max_bytes` of inflated data whatever it claims. Written here rather than
//! taken from a crate: the git crates that read packs (gix-pack, git2) bring their own I/O and
//! far more than the wasm budget allows; this is flate2 (already linked) and about 300 lines.

use std::collections::HashMap;

use flate2::{Decompress, FlushDecompress, Status};
use sha1::{Digest, Sha1};
use thiserror::Error;

use super::object::{object_id_named, ObjectId};

/// How much a pack may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackLimits {
    /// Objects in the pack.
    pub max_objects: u32,
    /// Inflated bytes of all objects together (deltas and what they make).
    pub max_bytes: u64,
}

impl Default for PackLimits {
    /// A branch's commits and trees without their blobs: generous for that, small for a bomb.
    fn default() -> Self {
        Self {
            max_objects: 1_000_000,
            max_bytes: 512 * 1024 * 1024,
        }
    }
}

/// The kinds of object a pack holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackedKind {
    Commit,
    Tree,
    Blob,
    Tag,
}

impl PackedKind {
    fn from_type(kind: u8) -> Option<Self> {
        match kind {
            1 => Some(Self::Commit),
            2 => Some(Self::Tree),
            3 => Some(Self::Blob),
            4 => Some(Self::Tag),
            _ => None,
        }
    }

    /// The name git hashes into the object header.
    pub fn name(self) -> &'static str {
        match self {
            Self::Commit => "commit",
            Self::Tree => "tree",
            Self::Blob => "blob",
            Self::Tag => "tag",
        }
    }
}

/// One object read from a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedObject {
    pub kind: PackedKind,
    pub data: Vec<u8>,
}

/// Why a pack could not be read. Offsets are the object's position in the pack.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PackReadError {
    #[error("not a packfile (no PACK signature)")]
    NotAPack,
    #[error("packfile version {0} (only 2 and 3 are read)")]
    Version(u32),
    #[error("the pack holds {count} objects, more than {max}")]
    TooManyObjects { count: u32, max: u32 },
    #[error("the pack inflates to more than {max} bytes")]
    TooLarge { max: u64 },
    #[error("the pack ends inside the object at offset {offset}")]
    Truncated { offset: usize },
    #[error("bad object header at offset {offset}")]
    BadHeader { offset: usize },
    #[error("the object at offset {offset} does not inflate to its declared size")]
    Inflate { offset: usize },
    #[error("the delta at offset {offset} names a base the pack does not hold")]
    MissingBase { offset: usize },
    #[error("the delta at offset {offset} is malformed")]
    BadDelta { offset: usize },
    #[error("the pack's checksum does not match its contents")]
    Checksum,
    #[error("{0} bytes follow the pack's checksum")]
    TrailingBytes(usize),
}

/// Every object of `pack` by id.
pub fn read_pack(
    pack: &[u8],
    limits: PackLimits,
) -> Result<HashMap<ObjectId, PackedObject>, PackReadError> {
    let body_end = pack.len().checked_sub(20).ok_or(PackReadError::NotAPack)?;
    if pack.get(..4) != Some(b"PACK".as_slice()) || body_end < 12 {
        return Err(PackReadError::NotAPack);
    }
    let version = u32::from_be_bytes(pack[4..8].try_into().expect("four bytes"));
    if version != 2 && version != 3 {
        return Err(PackReadError::Version(version));
    }
    let count = u32::from_be_bytes(pack[8..12].try_into().expect("four bytes"));
    if count > limits.max_objects {
        return Err(PackReadError::TooManyObjects {
            count,
            max: limits.max_objects,
        });
    }
    let mut reader = Reader {
        pack: &pack[..body_end],
        budget: limits.max_bytes,
        max: limits.max_bytes,
    };
    let mut objects: HashMap<ObjectId, PackedObject> = HashMap::new();
    // Where each object starts → its id (OFS_DELTA names bases by position).
    let mut at: HashMap<usize, ObjectId> = HashMap::new();
    // REF_DELTAs whose base comes later in the pack: (offset, base id, delta).
    let mut waiting: Vec<(usize, ObjectId, Vec<u8>)> = Vec::new();
    let mut pos = 12;
    for _ in 0..count {
        let offset = pos;
        let entry = reader.entry(&mut pos)?;
        let resolved = match entry {
            Entry::Whole(kind, data) => Some(PackedObject { kind, data }),
            Entry::OfsDelta(base_offset, delta) => {
                let base = at
                    .get(&base_offset)
                    .and_then(|id| objects.get(id))
                    .ok_or(PackReadError::MissingBase { offset })?;
                Some(reader.apply(base, &delta, offset)?)
            }
            Entry::RefDelta(base_id, delta) => match objects.get(&base_id) {
                Some(base) => Some(reader.apply(base, &delta, offset)?),
                None => {
                    waiting.push((offset, base_id, delta));
                    None
                }
            },
        };
        if let Some(object) = resolved {
            let id = id_of(&object);
            at.insert(offset, id);
            objects.insert(id, object);
        }
    }
    // Bases sent after their deltas: resolve until nothing moves.
    while !waiting.is_empty() {
        let before = waiting.len();
        let mut still = Vec::new();
        for (offset, base_id, delta) in waiting {
            match objects.get(&base_id) {
                Some(base) => {
                    let object = reader.apply(base, &delta, offset)?;
                    objects.insert(id_of(&object), object);
                }
                None => still.push((offset, base_id, delta)),
            }
        }
        if still.len() == before {
            return Err(PackReadError::MissingBase { offset: still[0].0 });
        }
        waiting = still;
    }
    if pos != body_end {
        return Err(PackReadError::TrailingBytes(body_end - pos));
    }
    if Sha1::digest(&pack[..body_end]).as_slice() != &pack[body_end..] {
        return Err(PackReadError::Checksum);
    }
    Ok(objects)
}

/// An object's id: the SHA-1 of its header and bytes.
fn id_of(object: &PackedObject) -> ObjectId {
    object_id_named(object.kind.name(), &object.data)
}

/// One entry as stored.
enum Entry {
    Whole(PackedKind, Vec<u8>),
    /// The base's position, the delta.
    OfsDelta(usize, Vec<u8>),
    RefDelta(ObjectId, Vec<u8>),
}

/// The pack's bytes (without the checksum) and what may still be inflated.
struct Reader<'a> {
    pack: &'a [u8],
    budget: u64,
    max: u64,
}

impl Reader<'_> {
    fn byte(&self, pos: &mut usize, offset: usize) -> Result<u8, PackReadError> {
        let byte = *self
            .pack
            .get(*pos)
            .ok_or(PackReadError::Truncated { offset })?;
        *pos += 1;
        Ok(byte)
    }

    /// Takes `size` bytes from the budget, or refuses.
    fn spend(&mut self, size: u64) -> Result<(), PackReadError> {
        self.budget = self
            .budget
            .checked_sub(size)
            .ok_or(PackReadError::TooLarge { max: self.max })?;
        Ok(())
    }

    fn entry(&mut self, pos: &mut usize) -> Result<Entry, PackReadError> {
        let offset = *pos;
        let first = self.byte(pos, offset)?;
        let kind = (first >> 4) & 7;
        let mut size = u64::from(first & 0x0f);
        let mut shift = 4;
        let mut byte = first;
        while byte & 0x80 != 0 {
            byte = self.byte(pos, offset)?;
            let part = u64::from(byte & 0x7f);
            if shift >= 64 || (part << shift) >> shift != part {
                return Err(PackReadError::BadHeader { offset });
            }
            size |= part << shift;
            shift += 7;
        }
        match kind {
            6 => {
                let mut byte = self.byte(pos, offset)?;
                let mut back = u64::from(byte & 0x7f);
                while byte & 0x80 != 0 {
                    byte = self.byte(pos, offset)?;
                    back = back
                        .checked_add(1)
                        .and_then(|b| b.checked_mul(128))
                        .map(|b| b | u64::from(byte & 0x7f))
                        .ok_or(PackReadError::BadHeader { offset })?;
                }
                let base = usize::try_from(back)
                    .ok()
                    .and_then(|back| offset.checked_sub(back))
                    .filter(|_| back > 0)
                    .ok_or(PackReadError::BadHeader { offset })?;
                Ok(Entry::OfsDelta(base, self.inflate(pos, size, offset)?))
            }
            7 => {
                let id = self
                    .pack
                    .get(*pos..*pos + 20)
                    .ok_or(PackReadError::Truncated { offset })?;
                let id = ObjectId::from_bytes(id.try_into().expect("twenty bytes"));
                *pos += 20;
                Ok(Entry::RefDelta(id, self.inflate(pos, size, offset)?))
            }
            kind => {
                let kind =
                    PackedKind::from_type(kind).ok_or(PackReadError::BadHeader { offset })?;
                Ok(Entry::Whole(kind, self.inflate(pos, size, offset)?))
            }
        }
    }

    /// The zlib stream at `pos`, which must inflate to exactly `size` bytes.
    fn inflate(
        &mut self,
        pos: &mut usize,
        size: u64,
        offset: usize,
    ) -> Result<Vec<u8>, PackReadError> {
        self.spend(size)?;
        let size = usize::try_from(size).map_err(|_| PackReadError::TooLarge { max: self.max })?;
        // One byte more than declared: a stream that fills it is longer than it says.
        let mut out = vec![0; size + 1];
        let mut inflater = Decompress::new(true);
        let input = &self.pack[*pos..];
        loop {
            let read = usize::try_from(inflater.total_in()).expect("within the input");
            let written = usize::try_from(inflater.total_out()).expect("within the output");
            let status = inflater
                .decompress(&input[read..], &mut out[written..], FlushDecompress::Finish)
                .map_err(|_| PackReadError::Inflate { offset })?;
            let progressed =
                inflater.total_in() as usize != read || inflater.total_out() as usize != written;
            match status {
                Status::StreamEnd => break,
                _ if inflater.total_out() as usize > size => {
                    return Err(PackReadError::Inflate { offset })
                }
                _ if !progressed => return Err(PackReadError::Truncated { offset }),
                _ => {}
            }
        }
        if inflater.total_out() as usize != size {
            return Err(PackReadError::Inflate { offset });
        }
        out.truncate(size);
        *pos += inflater.total_in() as usize;
        Ok(out)
    }

    /// `delta` applied to `base` (git's copy and insert instructions).
    fn apply(
        &mut self,
        base: &PackedObject,
        delta: &[u8],
        offset: usize,
    ) -> Result<PackedObject, PackReadError> {
        let bad = || PackReadError::BadDelta { offset };
        let mut pos = 0;
        let varint = |pos: &mut usize| -> Result<u64, PackReadError> {
            let mut value = 0u64;
            let mut shift = 0;
            loop {
                let byte = *delta.get(*pos).ok_or_else(bad)?;
                *pos += 1;
                if shift > 63 {
                    return Err(bad());
                }
                value |= u64::from(byte & 0x7f) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    return Ok(value);
                }
            }
        };
        let source_size = varint(&mut pos)?;
        let target_size = varint(&mut pos)?;
        if source_size != base.data.len() as u64 {
            return Err(bad());
        }
        self.spend(target_size)?;
        let target_size = usize::try_from(target_size).map_err(|_| bad())?;
        let mut out = Vec::with_capacity(target_size);
        while pos < delta.len() {
            let op = delta[pos];
            pos += 1;
            if op & 0x80 != 0 {
                let field =
                    |bits: u8, shift_base: u32, pos: &mut usize| -> Result<u64, PackReadError> {
                        let mut value = 0u64;
                        for i in 0..bits {
                            if op & (1 << (shift_base as u8 + i)) != 0 {
                                let byte = *delta.get(*pos).ok_or_else(bad)?;
                                *pos += 1;
                                value |= u64::from(byte) << (8 * u32::from(i));
                            }
                        }
                        Ok(value)
                    };
                let start = field(4, 0, &mut pos)?;
                let mut len = field(3, 4, &mut pos)?;
                if len == 0 {
                    len = 0x10000;
                }
                let end = start.checked_add(len).ok_or_else(bad)?;
                let slice = usize::try_from(start)
                    .ok()
                    .zip(usize::try_from(end).ok())
                    .and_then(|(s, e)| base.data.get(s..e))
                    .ok_or_else(bad)?;
                out.extend_from_slice(slice);
            } else if op != 0 {
                let slice = delta.get(pos..pos + usize::from(op)).ok_or_else(bad)?;
                out.extend_from_slice(slice);
                pos += usize::from(op);
            } else {
                return Err(bad());
            }
            if out.len() > target_size {
                return Err(bad());
            }
        }
        if out.len() != target_size {
            return Err(bad());
        }
        Ok(PackedObject {
            kind: base.kind,
            data: out,
        })
    }
}

#[cfg(test)]
mod tests;
