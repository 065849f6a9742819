//! IBM code page 437, the encoding of zip entry names that are not UTF-8.
//!
//! The zip format says a name without the UTF-8 flag is CP437. Modern tools write UTF-8 (and
//! we decode any valid UTF-8 as such), so this only matters for old archives, from Windows'
//! own "send to compressed folder" for instance. A 128-entry table is all it takes, which is
//! why we do not pull in an encoding crate for it.

/// Bytes 0x80 to 0xFF; below 0x80, CP437 names are ASCII (as every zip tool reads them).
const HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', //
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', //
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', //
    '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', //
    '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', //
    '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐', '▀', //
    'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ', '∞', 'φ', 'ε', '∩', //
    '≡', '±', '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²', '■', '\u{a0}',
];

/// Decodes a CP437 name.
pub fn decode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0..=0x7f => char::from(b),
            _ => HIGH[usize::from(b - 0x80)],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_characters() {
        assert_eq!(decode(b"plain/ascii.txt"), "plain/ascii.txt");
        assert_eq!(decode(b"caf\x82.txt"), "café.txt");
        assert_eq!(decode(b"\x80\x9b\xe1\xfe\xff"), "Ç¢ß■\u{a0}");
        assert_eq!(decode(b"\x8e\x99\x9a"), "ÄÖÜ");
    }
}
