//! Text from outside, made safe to show: every message that quotes a file name, a JSON value or
//! a header shows control, bidirectional and invisible characters escaped (`\u{202e}`), so a
//! hostile input can neither retitle or clear a terminal nor reorder what a person reads, and
//! quotes only a short excerpt.

/// The longest excerpt a message quotes, in characters.
pub const EXCERPT_CHARS: usize = 80;

/// Whether `c` must not reach a screen as itself: C0 and C1 controls (ESC starts terminal
/// sequences), bidirectional controls (they reorder a line), zero-width and other invisible
/// format characters, and the characters Unicode reserves for internal use.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00ad}'                       // soft hyphen
            | '\u{061c}'                     // Arabic letter mark
            | '\u{115f}' | '\u{1160}'        // Hangul fillers
            | '\u{180e}'                     // Mongolian vowel separator
            | '\u{200b}'..='\u{200f}'        // zero-width space, joiners, LRM, RLM
            | '\u{202a}'..='\u{202e}'        // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}'        // word joiner, invisible operators
            | '\u{2066}'..='\u{206f}'        // bidi isolates, deprecated format characters
            | '\u{3164}'                     // Hangul filler
            | '\u{fe00}'..='\u{fe0f}'        // variation selectors
            | '\u{feff}'                     // byte-order mark, zero-width no-break space
            | '\u{ffa0}'                     // halfwidth Hangul filler
            | '\u{fff0}'..='\u{fffb}'        // specials, interlinear annotation
            | '\u{e0000}'..='\u{e007f}'      // tags
        )
}

/// `text` with every hidden character written as an escape (`\n`, `\t`, `\u{1b}`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if is_hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

/// At most [`EXCERPT_CHARS`] characters of `text`, escaped, with `…` when cut: how a message
/// quotes a name, an id or a line from input.
pub fn excerpt(text: &str) -> String {
    quote(text, EXCERPT_CHARS)
}

/// The longest quote of a service's own message (a database error, a refusal's reason).
pub const MESSAGE_QUOTE_CHARS: usize = 200;

/// `text` escaped and cut to at most `max` characters of output (escapes count), with `…`
/// when cut.
pub fn quote(text: &str, max: usize) -> String {
    cut_escaped(text, max, false)
}

/// `text` escaped (line breaks kept when `keep_lines`), at most `max` characters of output.
fn cut_escaped(text: &str, max: usize, keep_lines: bool) -> String {
    let mut out = String::new();
    let mut shown = 0;
    let mut one = String::new();
    for c in text.chars() {
        one.clear();
        if keep_lines && c == '\n' {
            one.push(c);
        } else {
            push_escaped(&mut one, c);
        }
        let width = one.chars().count();
        if shown + width > max {
            out.push('…');
            break;
        }
        out.push_str(&one);
        shown += width;
    }
    out
}

/// A service's message as a message quotes it: escaped, at most [`MESSAGE_QUOTE_CHARS`].
pub fn quote_message(text: &str) -> String {
    quote(text, MESSAGE_QUOTE_CHARS)
}

/// A message for a terminal: hidden characters escaped except line breaks (messages may have
/// several lines), at most `max` characters.
pub fn for_terminal(message: &str, max: usize) -> String {
    cut_escaped(message, max, true)
}

/// `n` and its noun, for one or for many: `count(1, "file", "files")` is `1 file`. Every message
/// that counts says it this way.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_characters_are_escaped_and_excerpts_are_short() {
        assert_eq!(escape("a\u{1b}]0;pwned\u{7}b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(escape("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(
            escape("zero\u{200b}width\u{feff}"),
            "zero\\u{200b}width\\u{feff}"
        );
        assert_eq!(escape("tab\tand\nline"), "tab\\tand\\nline");
        assert_eq!(escape("café ✓ 日本"), "café ✓ 日本");
        let long = "x".repeat(500);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        // Escapes count: a run of NULs quotes as at most as many characters.
        let nuls = excerpt(&"\0".repeat(100));
        assert!(nuls.chars().count() <= EXCERPT_CHARS + 1, "{nuls}");
        assert!(nuls.starts_with("\\u{0}\\u{0}") && nuls.ends_with('…'));
        assert_eq!(
            for_terminal("line one\nline\u{1b}[2J two", 300),
            "line one\nline\\u{1b}[2J two"
        );
        assert_eq!(for_terminal(&long, 10).chars().count(), 11);
    }

    #[test]
    fn a_count_says_one_or_many() {
        assert_eq!(count(0, "file", "files"), "0 files");
        assert_eq!(count(1, "entry", "entries"), "1 entry");
        assert_eq!(count(2, "entry", "entries"), "2 entries");
    }
}
