//! How two names compare where a file system folds them: case (Windows, macOS) and Unicode
//! form (macOS stores `é` and `e` + U+0301 as one name). A project that holds both of two such
//! names cannot be checked out there, so the tree refuses the second like a case collision.
//!
//! The canonical decompositions are written out here for the Latin letters with diacritics
//! (U+00C0–U+017F, U+1E00–U+1EFF: every precomposed letter of the Latin alphabets) and computed
//! for Hangul syllables (an algorithm, no table); other scripts compare as written. A full
//! Unicode normalization table costs the extension's WebAssembly more than its budget allows,
//! and web projects name files in Latin letters.
//!
//! Case is mapped here too ([`lower`], [`upper`]), by rule, for the alphabets that have case and
//! that file and entity names are written in: Latin (ASCII, Latin-1, Extended-A, Extended
//! Additional), Greek and Cyrillic; other letters stay as written. `char::to_lowercase` would
//! link the standard library's full Unicode case tables: about 14 KB of the extension's
//! gzipped WebAssembly, more than the budget has (measured with `./build.sh`).

/// The combining marks the tables use, numbered from 1.
const MARKS: [char; MARK_COUNT] = [
    '\u{0300}', '\u{0301}', '\u{0302}', '\u{0303}', '\u{0304}', '\u{0306}', '\u{0307}', '\u{0308}',
    '\u{0309}', '\u{030a}', '\u{030b}', '\u{030c}', '\u{031b}', '\u{0323}', '\u{0324}', '\u{0325}',
    '\u{0327}', '\u{0328}', '\u{032d}', '\u{032e}', '\u{0330}', '\u{0331}',
];
const MARK_COUNT: usize = 22;

/// U+00C0–U+017F: per letter, its ASCII base letter and up to two marks (0: none), or zeros.
const LATIN_1: [u8; 576] = [
    65, 1, 0, 65, 2, 0, 65, 3, 0, 65, 4, 0, 65, 8, 0, 65, 10, 0, 0, 0, 0, 67, 17, 0, 69, 1, 0, 69,
    2, 0, 69, 3, 0, 69, 8, 0, 73, 1, 0, 73, 2, 0, 73, 3, 0, 73, 8, 0, 0, 0, 0, 78, 4, 0, 79, 1, 0,
    79, 2, 0, 79, 3, 0, 79, 4, 0, 79, 8, 0, 0, 0, 0, 0, 0, 0, 85, 1, 0, 85, 2, 0, 85, 3, 0, 85, 8,
    0, 89, 2, 0, 0, 0, 0, 0, 0, 0, 97, 1, 0, 97, 2, 0, 97, 3, 0, 97, 4, 0, 97, 8, 0, 97, 10, 0, 0,
    0, 0, 99, 17, 0, 101, 1, 0, 101, 2, 0, 101, 3, 0, 101, 8, 0, 105, 1, 0, 105, 2, 0, 105, 3, 0,
    105, 8, 0, 0, 0, 0, 110, 4, 0, 111, 1, 0, 111, 2, 0, 111, 3, 0, 111, 4, 0, 111, 8, 0, 0, 0, 0,
    0, 0, 0, 117, 1, 0, 117, 2, 0, 117, 3, 0, 117, 8, 0, 121, 2, 0, 0, 0, 0, 121, 8, 0, 65, 5, 0,
    97, 5, 0, 65, 6, 0, 97, 6, 0, 65, 18, 0, 97, 18, 0, 67, 2, 0, 99, 2, 0, 67, 3, 0, 99, 3, 0, 67,
    7, 0, 99, 7, 0, 67, 12, 0, 99, 12, 0, 68, 12, 0, 100, 12, 0, 0, 0, 0, 0, 0, 0, 69, 5, 0, 101,
    5, 0, 69, 6, 0, 101, 6, 0, 69, 7, 0, 101, 7, 0, 69, 18, 0, 101, 18, 0, 69, 12, 0, 101, 12, 0,
    71, 3, 0, 103, 3, 0, 71, 6, 0, 103, 6, 0, 71, 7, 0, 103, 7, 0, 71, 17, 0, 103, 17, 0, 72, 3, 0,
    104, 3, 0, 0, 0, 0, 0, 0, 0, 73, 4, 0, 105, 4, 0, 73, 5, 0, 105, 5, 0, 73, 6, 0, 105, 6, 0, 73,
    18, 0, 105, 18, 0, 73, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 74, 3, 0, 106, 3, 0, 75, 17, 0, 107,
    17, 0, 0, 0, 0, 76, 2, 0, 108, 2, 0, 76, 17, 0, 108, 17, 0, 76, 12, 0, 108, 12, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 78, 2, 0, 110, 2, 0, 78, 17, 0, 110, 17, 0, 78, 12, 0, 110, 12, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 79, 5, 0, 111, 5, 0, 79, 6, 0, 111, 6, 0, 79, 11, 0, 111, 11, 0, 0, 0,
    0, 0, 0, 0, 82, 2, 0, 114, 2, 0, 82, 17, 0, 114, 17, 0, 82, 12, 0, 114, 12, 0, 83, 2, 0, 115,
    2, 0, 83, 3, 0, 115, 3, 0, 83, 17, 0, 115, 17, 0, 83, 12, 0, 115, 12, 0, 84, 17, 0, 116, 17, 0,
    84, 12, 0, 116, 12, 0, 0, 0, 0, 0, 0, 0, 85, 4, 0, 117, 4, 0, 85, 5, 0, 117, 5, 0, 85, 6, 0,
    117, 6, 0, 85, 10, 0, 117, 10, 0, 85, 11, 0, 117, 11, 0, 85, 18, 0, 117, 18, 0, 87, 3, 0, 119,
    3, 0, 89, 3, 0, 121, 3, 0, 89, 8, 0, 90, 2, 0, 122, 2, 0, 90, 7, 0, 122, 7, 0, 90, 12, 0, 122,
    12, 0, 0, 0, 0,
];

/// U+1E00–U+1EFF, as [`LATIN_1`].
const LATIN_ADDITIONAL: [u8; 768] = [
    65, 16, 0, 97, 16, 0, 66, 7, 0, 98, 7, 0, 66, 14, 0, 98, 14, 0, 66, 22, 0, 98, 22, 0, 67, 17,
    2, 99, 17, 2, 68, 7, 0, 100, 7, 0, 68, 14, 0, 100, 14, 0, 68, 22, 0, 100, 22, 0, 68, 17, 0,
    100, 17, 0, 68, 19, 0, 100, 19, 0, 69, 5, 1, 101, 5, 1, 69, 5, 2, 101, 5, 2, 69, 19, 0, 101,
    19, 0, 69, 21, 0, 101, 21, 0, 69, 17, 6, 101, 17, 6, 70, 7, 0, 102, 7, 0, 71, 5, 0, 103, 5, 0,
    72, 7, 0, 104, 7, 0, 72, 14, 0, 104, 14, 0, 72, 8, 0, 104, 8, 0, 72, 17, 0, 104, 17, 0, 72, 20,
    0, 104, 20, 0, 73, 21, 0, 105, 21, 0, 73, 8, 2, 105, 8, 2, 75, 2, 0, 107, 2, 0, 75, 14, 0, 107,
    14, 0, 75, 22, 0, 107, 22, 0, 76, 14, 0, 108, 14, 0, 76, 14, 5, 108, 14, 5, 76, 22, 0, 108, 22,
    0, 76, 19, 0, 108, 19, 0, 77, 2, 0, 109, 2, 0, 77, 7, 0, 109, 7, 0, 77, 14, 0, 109, 14, 0, 78,
    7, 0, 110, 7, 0, 78, 14, 0, 110, 14, 0, 78, 22, 0, 110, 22, 0, 78, 19, 0, 110, 19, 0, 79, 4, 2,
    111, 4, 2, 79, 4, 8, 111, 4, 8, 79, 5, 1, 111, 5, 1, 79, 5, 2, 111, 5, 2, 80, 2, 0, 112, 2, 0,
    80, 7, 0, 112, 7, 0, 82, 7, 0, 114, 7, 0, 82, 14, 0, 114, 14, 0, 82, 14, 5, 114, 14, 5, 82, 22,
    0, 114, 22, 0, 83, 7, 0, 115, 7, 0, 83, 14, 0, 115, 14, 0, 83, 2, 7, 115, 2, 7, 83, 12, 7, 115,
    12, 7, 83, 14, 7, 115, 14, 7, 84, 7, 0, 116, 7, 0, 84, 14, 0, 116, 14, 0, 84, 22, 0, 116, 22,
    0, 84, 19, 0, 116, 19, 0, 85, 15, 0, 117, 15, 0, 85, 21, 0, 117, 21, 0, 85, 19, 0, 117, 19, 0,
    85, 4, 2, 117, 4, 2, 85, 5, 8, 117, 5, 8, 86, 4, 0, 118, 4, 0, 86, 14, 0, 118, 14, 0, 87, 1, 0,
    119, 1, 0, 87, 2, 0, 119, 2, 0, 87, 8, 0, 119, 8, 0, 87, 7, 0, 119, 7, 0, 87, 14, 0, 119, 14,
    0, 88, 7, 0, 120, 7, 0, 88, 8, 0, 120, 8, 0, 89, 7, 0, 121, 7, 0, 90, 3, 0, 122, 3, 0, 90, 14,
    0, 122, 14, 0, 90, 22, 0, 122, 22, 0, 104, 22, 0, 116, 8, 0, 119, 10, 0, 121, 10, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 65, 14, 0, 97, 14, 0, 65, 9, 0, 97, 9, 0, 65, 3,
    2, 97, 3, 2, 65, 3, 1, 97, 3, 1, 65, 3, 9, 97, 3, 9, 65, 3, 4, 97, 3, 4, 65, 14, 3, 97, 14, 3,
    65, 6, 2, 97, 6, 2, 65, 6, 1, 97, 6, 1, 65, 6, 9, 97, 6, 9, 65, 6, 4, 97, 6, 4, 65, 14, 6, 97,
    14, 6, 69, 14, 0, 101, 14, 0, 69, 9, 0, 101, 9, 0, 69, 4, 0, 101, 4, 0, 69, 3, 2, 101, 3, 2,
    69, 3, 1, 101, 3, 1, 69, 3, 9, 101, 3, 9, 69, 3, 4, 101, 3, 4, 69, 14, 3, 101, 14, 3, 73, 9, 0,
    105, 9, 0, 73, 14, 0, 105, 14, 0, 79, 14, 0, 111, 14, 0, 79, 9, 0, 111, 9, 0, 79, 3, 2, 111, 3,
    2, 79, 3, 1, 111, 3, 1, 79, 3, 9, 111, 3, 9, 79, 3, 4, 111, 3, 4, 79, 14, 3, 111, 14, 3, 79,
    13, 2, 111, 13, 2, 79, 13, 1, 111, 13, 1, 79, 13, 9, 111, 13, 9, 79, 13, 4, 111, 13, 4, 79, 13,
    14, 111, 13, 14, 85, 14, 0, 117, 14, 0, 85, 9, 0, 117, 9, 0, 85, 13, 2, 117, 13, 2, 85, 13, 1,
    117, 13, 1, 85, 13, 9, 117, 13, 9, 85, 13, 4, 117, 13, 4, 85, 13, 14, 117, 13, 14, 89, 1, 0,
    121, 1, 0, 89, 14, 0, 121, 14, 0, 89, 9, 0, 121, 9, 0, 89, 4, 0, 121, 4, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// The key two names share when a folding file system stores them as one: lower case, Latin
/// letters and Hangul syllables decomposed.
pub fn collision_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().map(lower) {
        push_decomposed(&mut out, c);
    }
    out
}

/// `c` in lower case, for Latin, Greek and Cyrillic (see the module's comment); any other
/// character as it is. Where Unicode maps one letter to two (`İ`), the first is kept.
pub fn lower(c: char) -> char {
    let cp = c as u32;
    let pair = |upper_is_even: bool| (cp % 2 == 0) == upper_is_even;
    let to = match cp {
        0x41..=0x5a | 0xc0..=0xd6 | 0xd8..=0xde | 0x391..=0x3a1 | 0x3a3..=0x3ab | 0x410..=0x42f => {
            cp + 32
        }
        0x130 => 0x69, // İ → i (then a combining dot, dropped)
        0x100..=0x137 | 0x14a..=0x177 if pair(true) => cp + 1,
        0x139..=0x148 | 0x179..=0x17e if pair(false) => cp + 1,
        0x178 => 0xff,
        0x386 => 0x3ac,
        0x388..=0x38a => cp + 37,
        0x38c => 0x3cc,
        0x38e..=0x38f => cp + 63,
        0x3cf => 0x3d7,
        0x3d8..=0x3ef if pair(true) => cp + 1,
        0x400..=0x40f => cp + 80,
        0x460..=0x481 | 0x48a..=0x4bf | 0x4d0..=0x52f if pair(true) => cp + 1,
        0x4c0 => 0x4cf,
        0x4c1..=0x4ce if pair(false) => cp + 1,
        0x1e00..=0x1e95 | 0x1ea0..=0x1eff if pair(true) => cp + 1,
        0x1e9e => 0xdf, // ẞ → ß
        _ => cp,
    };
    char::from_u32(to).unwrap_or(c)
}

/// `c` in upper case where [`lower`] maps a letter to it; any other character as it is.
pub fn upper(c: char) -> char {
    if lower(c) != c {
        return c; // already upper case
    }
    let cp = c as u32;
    // Where `lower` adds an offset, the letter that offset back; the irregular ones as they are.
    let offsets = [
        32,
        1,
        80,
        37,
        63,
        0x3cc - 0x38c,
        0x3ac - 0x386,
        0x4cf - 0x4c0,
    ];
    let irregular = [0x178, 0x3cf];
    offsets
        .into_iter()
        .filter_map(|back| cp.checked_sub(back))
        .chain(irregular)
        .filter_map(char::from_u32)
        .find(|&u| u != c && lower(u) == c)
        .unwrap_or(c)
}

fn push_decomposed(out: &mut String, c: char) {
    let cp = c as u32;
    let (table, start): (&[u8], u32) = match cp {
        0x00c0..=0x017f => (&LATIN_1, 0x00c0),
        0x1e00..=0x1eff => (&LATIN_ADDITIONAL, 0x1e00),
        0xac00..=0xd7a3 => return push_hangul(out, cp),
        _ => return out.push(c),
    };
    let at = ((cp - start) * 3) as usize;
    let (base, first, second) = (table[at], table[at + 1], table[at + 2]);
    if base == 0 {
        return out.push(c);
    }
    out.push(char::from(base));
    for mark in [first, second] {
        if mark != 0 {
            out.push(MARKS[usize::from(mark) - 1]);
        }
    }
}

/// A Hangul syllable as its leading consonant, vowel and (optional) trailing consonant jamo
/// (Unicode's algorithm, chapter 3.12).
fn push_hangul(out: &mut String, cp: u32) {
    let index = cp - 0xac00;
    let (lead, vowel, trail) = (index / 588, (index % 588) / 28, index % 28);
    let jamo = [0x1100 + lead, 0x1161 + vowel];
    out.extend(jamo.iter().filter_map(|&j| char::from_u32(j)));
    if trail != 0 {
        out.extend(char::from_u32(0x11a7 + trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks `lower` covers.
    const COVERED: &[(u32, u32)] = &[
        (0x41, 0x5a),
        (0xc0, 0xde),
        (0x100, 0x17f),
        (0x386, 0x3ef),
        (0x400, 0x52f),
        (0x1e00, 0x1eff),
    ];

    #[test]
    fn lower_agrees_with_unicode_wherever_it_maps_and_changes_nothing_else() {
        let mut mapped = 0;
        for cp in 0..=0x2fff_u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let unicode: Vec<char> = c.to_lowercase().collect();
            let ours = lower(c);
            if COVERED.iter().any(|&(a, b)| (a..=b).contains(&cp)) {
                assert_eq!(ours, unicode[0], "U+{cp:04X} {c}");
                mapped += usize::from(ours != c);
            } else {
                assert_eq!(ours, c, "U+{cp:04X} {c}: outside the covered blocks");
            }
        }
        assert!(mapped > 400, "{mapped}");
    }

    #[test]
    fn upper_undoes_lower() {
        for &(a, b) in COVERED {
            for cp in a..=b {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                let small = lower(c);
                if small != c && cp != 0x130 && cp != 0x1e9e && cp != 0x3f4 {
                    assert_eq!(upper(small), c, "U+{cp:04X} {c}");
                }
            }
        }
        assert_eq!(upper('é'), 'É');
        assert_eq!(upper('ÿ'), 'Ÿ');
        assert_eq!(upper('я'), 'Я');
        assert_eq!(upper('1'), '1');
        assert_eq!(upper('字'), '字');
    }

    #[test]
    fn precomposed_and_decomposed_names_share_a_key_and_different_ones_do_not() {
        assert_eq!(
            collision_key("caf\u{e9}.ts"),
            collision_key("cafe\u{301}.ts")
        );
        assert_eq!(
            collision_key("R\u{c9}SUM\u{c9}.md"),
            collision_key("re\u{301}sume\u{301}.md")
        );
        assert_eq!(collision_key("\u{1ea4}"), collision_key("A\u{302}\u{301}"));
        assert_eq!(
            collision_key("\u{d55c}"),
            collision_key("\u{1112}\u{1161}\u{11ab}")
        );
        assert_ne!(
            collision_key("resume.md"),
            collision_key("r\u{e9}sum\u{e9}.md")
        );
        assert_eq!(collision_key("README.md"), "readme.md");
        assert_eq!(collision_key("日本.ts"), "日本.ts");
    }
}
