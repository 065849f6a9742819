//! Base64, the two alphabets we meet (standard for builders' binary contents and HTTP Basic
//! credentials, URL-safe for JWTs). Written here rather than taken from the `base64` crate
//! because the extension's wasm has a 300 KB budget and the crate's engine costs several KB of
//! it for four call sites; the crate stays as the independent check in the tests.

use thiserror::Error;

/// Which 64 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `A–Z a–z 0–9 + /`.
    Standard,
    /// `A–Z a–z 0–9 - _`.
    UrlSafe,
}

/// Why a text is not base64.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("invalid character at offset {0}")]
    InvalidCharacter(usize),
    #[error("invalid length")]
    InvalidLength,
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn value(byte: u8, alphabet: Alphabet) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' if alphabet == Alphabet::Standard => Some(62),
        b'/' if alphabet == Alphabet::Standard => Some(63),
        b'-' if alphabet == Alphabet::UrlSafe => Some(62),
        b'_' if alphabet == Alphabet::UrlSafe => Some(63),
        _ => None,
    }
}

/// Decodes `text`; `=` padding is optional, nothing else outside the alphabet is accepted.
pub fn decode(text: impl AsRef<[u8]>, alphabet: Alphabet) -> Result<Vec<u8>, DecodeError> {
    let bytes = text.as_ref();
    let unpadded = bytes.len()
        - bytes
            .iter()
            .rev()
            .take(2)
            .take_while(|&&b| b == b'=')
            .count();
    let data = &bytes[..unpadded];
    if data.len() % 4 == 1 || (unpadded != bytes.len() && bytes.len() % 4 != 0) {
        return Err(DecodeError::InvalidLength);
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for (chunk_index, chunk) in data.chunks(4).enumerate() {
        let mut acc = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            let v = value(b, alphabet).ok_or(DecodeError::InvalidCharacter(chunk_index * 4 + i))?;
            acc |= u32::from(v) << (18 - 6 * i);
        }
        let produced = chunk.len() * 6 / 8;
        out.extend_from_slice(&acc.to_be_bytes()[1..1 + produced]);
    }
    Ok(out)
}

/// Encodes `bytes` in the standard alphabet with padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut acc = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            acc |= u32::from(b) << (16 - 8 * i);
        }
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(STANDARD[(acc >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn agrees_with_the_base64_crate() {
        let std = base64::engine::general_purpose::STANDARD;
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut seed = 7u32;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (seed >> 16) as u8
                })
                .collect();
            let text = std.encode(&bytes);
            assert_eq!(encode(&bytes), text);
            assert_eq!(decode(&text, Alphabet::Standard).unwrap(), bytes);
            let unpadded = text.trim_end_matches('=');
            assert_eq!(decode(unpadded, Alphabet::Standard).unwrap(), bytes);
            assert_eq!(
                decode(url.encode(&bytes), Alphabet::UrlSafe).unwrap(),
                bytes
            );
        }
    }

    #[test]
    fn refuses_what_is_not_base64() {
        assert_eq!(
            decode("%%%", Alphabet::Standard),
            Err(DecodeError::InvalidCharacter(0))
        );
        assert_eq!(
            decode("abcde", Alphabet::Standard),
            Err(DecodeError::InvalidLength)
        );
        assert_eq!(
            decode("ab-_", Alphabet::Standard),
            Err(DecodeError::InvalidCharacter(2))
        );
        assert_eq!(
            decode("ab+/", Alphabet::UrlSafe),
            Err(DecodeError::InvalidCharacter(2))
        );
        assert_eq!(
            decode("ab=d", Alphabet::Standard),
            Err(DecodeError::InvalidCharacter(2))
        );
        assert_eq!(decode("", Alphabet::Standard), Ok(Vec::new()));
    }
}
