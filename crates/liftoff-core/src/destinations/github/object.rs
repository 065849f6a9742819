//! Git object ids: the SHA-1 of `"<kind> <size>\0"` followed by the object's bytes.

use std::fmt;
use std::str::FromStr;

use sha1::{Digest, Sha1};

/// The three kinds of object a push writes (tags are never written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    Commit,
    Tree,
    Blob,
}

impl ObjectKind {
    /// The name git hashes into the object header.
    pub fn name(self) -> &'static str {
        match self {
            ObjectKind::Commit => "commit",
            ObjectKind::Tree => "tree",
            ObjectKind::Blob => "blob",
        }
    }

    /// The type number in a packfile entry header.
    pub fn pack_type(self) -> u8 {
        match self {
            ObjectKind::Commit => 1,
            ObjectKind::Tree => 2,
            ObjectKind::Blob => 3,
        }
    }
}

/// A SHA-1 object id.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ObjectId([u8; 20]);

impl ObjectId {
    /// The all-zero id git uses for "no object" (a ref that does not exist yet).
    pub const ZERO: ObjectId = ObjectId([0; 20]);

    /// The id made of these 20 bytes.
    pub fn from_bytes(bytes: [u8; 20]) -> Self {
        Self(bytes)
    }

    /// The raw 20 bytes, as tree entries store them.
    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// Parses 40 hex digits (either case).
    pub fn from_hex(hex: &str) -> Option<Self> {
        let hex = hex.as_bytes();
        if hex.len() != 40 {
            return None;
        }
        let mut out = [0u8; 20];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Some(Self(out))
    }

    /// 40 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        self.to_string()
    }

    /// Whether this is [`ObjectId::ZERO`].
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 20]
    }
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({self})")
    }
}

/// The text was not 40 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an object id (40 hex digits)")]
pub struct BadObjectId;

impl FromStr for ObjectId {
    type Err = BadObjectId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s).ok_or(BadObjectId)
    }
}

impl serde::Serialize for ObjectId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The id git gives an object of `kind` holding `data` (`git hash-object -t <kind>`).
pub fn object_id(kind: ObjectKind, data: &[u8]) -> ObjectId {
    object_id_named(kind.name(), data)
}

/// [`object_id`] by the kind's name, for kinds a push never writes (a fetched `tag`).
pub fn object_id_named(kind: &str, data: &[u8]) -> ObjectId {
    let mut hasher = Sha1::new();
    hasher.update(kind.as_bytes());
    hasher.update(b" ");
    hasher.update(data.len().to_string().as_bytes());
    hasher.update([0]);
    hasher.update(data);
    ObjectId(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let hex = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
        let id: ObjectId = hex.parse().unwrap();
        assert_eq!(id.to_hex(), hex);
        assert_eq!(ObjectId::from_hex(&hex.to_uppercase()), Some(id));
        assert_eq!(format!("{id:?}"), format!("ObjectId({hex})"));
        assert!(ObjectId::from_hex("e69d").is_none());
        assert!(ObjectId::from_hex(&"g".repeat(40)).is_none());
        assert!(ObjectId::ZERO.is_zero() && !id.is_zero());
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{hex}\""));
    }

    /// Well-known ids, as `git hash-object` prints them (`tests.rs` checks more against git).
    #[test]
    fn well_known_ids() {
        assert_eq!(
            object_id(ObjectKind::Blob, b"").to_hex(),
            "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
        );
        assert_eq!(
            object_id(ObjectKind::Tree, b"").to_hex(),
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        );
        assert_eq!(
            object_id(ObjectKind::Blob, b"hello world\n").to_hex(),
            "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"
        );
    }
}
