//! Splitting a SQL file into statements the way PostgreSQL's lexer sees them: a `;` ends a
//! statement unless it is inside a string (`'…'`, `E'…'` with backslash escapes), a quoted
//! name (`"…"`), a dollar-quoted body (`$$…$$`, `$tag$…$tag$`) or a comment (`-- …`, nested
//! `/* … */`). Used to run a file statement by statement and to name the one that failed.

/// One statement of a SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement<'a> {
    /// The statement from its first token to the end of its last one: no comment before it,
    /// no `;`.
    pub text: &'a str,
    /// 1-based position among the statements of the text.
    pub number: usize,
    /// 1-based line where it starts.
    pub line: usize,
}

impl Statement<'_> {
    /// The statement followed by `;` and a newline, safe to concatenate: when its last line
    /// holds a `--` comment, the `;` goes on a line of its own.
    pub fn terminated(&self) -> String {
        let last_line = self.text.rsplit('\n').next().unwrap_or("");
        if last_line.contains("--") {
            format!("{}\n;\n", self.text)
        } else {
            format!("{};\n", self.text)
        }
    }

    /// The first word, lower case (`create`, `insert`, `begin`…).
    pub fn keyword(&self) -> String {
        self.text
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    }

    /// The statement on one line, cut to about `max` characters, for messages.
    pub fn summary(&self, max: usize) -> String {
        let flat = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() <= max {
            return flat;
        }
        let mut cut: String = flat.chars().take(max).collect();
        cut.push('…');
        cut
    }
}

/// The statements of `sql`, in order. Text after the last `;` is a statement too; empty
/// statements and comments alone are skipped. An unterminated string or comment runs to the
/// end of the text (the server reports it).
pub fn split(sql: &str) -> Vec<Statement<'_>> {
    let b = sql.as_bytes();
    let mut ranges = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == b'-' && next == Some(b'-') {
            i = find_from(b, i, b"\n").map_or(b.len(), |at| at + 1);
            continue;
        }
        if c == b'/' && next == Some(b'*') {
            i = skip_block_comment(b, i);
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b';' {
            if let Some(from) = start.take() {
                ranges.push((from, i));
            }
            i += 1;
            continue;
        }
        let from = *start.get_or_insert(i);
        i = match c {
            b'\'' => skip_string(b, i, is_escape_string(b, i, from)),
            b'"' => skip_quoted(b, i, b'"'),
            b'$' => dollar_tag(b, i).map_or(i + 1, |tag| {
                find_from(b, i + tag.len(), tag).map_or(b.len(), |at| at + tag.len())
            }),
            _ => i + 1,
        };
    }
    if let Some(from) = start {
        ranges.push((from, b.len()));
    }
    let mut out = Vec::new();
    let (mut line, mut counted_to) = (1, 0);
    for (from, to) in ranges {
        let text = sql[from..to].trim_end();
        if text.is_empty() {
            continue;
        }
        line += sql[counted_to..from].matches('\n').count();
        counted_to = from;
        out.push(Statement {
            text,
            number: out.len() + 1,
            line,
        });
    }
    out
}

fn find_from(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| at + from)
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// `E'…'` (or `e'…'`): the `E` stands alone, not at the end of a longer word.
fn is_escape_string(b: &[u8], quote: usize, statement_start: usize) -> bool {
    quote > statement_start
        && matches!(b[quote - 1], b'e' | b'E')
        && (quote - 1 == statement_start || !is_ident_byte(b[quote - 2]))
}

/// Past the closing quote of the string opening at `i`; `''` is a quote inside, and in an
/// escape string so is `\'`.
fn skip_string(b: &[u8], mut i: usize, backslash_escapes: bool) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' if backslash_escapes => i += 2,
            b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Past the closing `quote` of the quoted name opening at `i` (`""` is a quote inside).
fn skip_quoted(b: &[u8], mut i: usize, quote: u8) -> usize {
    i += 1;
    while i < b.len() {
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// Past the end of the (nested) block comment opening at `i`.
fn skip_block_comment(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// The dollar-quote tag (`$$`, `$body$`) opening at `i`, if one does: not inside a word
/// (`a$b`), not a parameter (`$1`).
fn dollar_tag(b: &[u8], i: usize) -> Option<&[u8]> {
    if i > 0 && is_ident_byte(b[i - 1]) {
        return None;
    }
    let mut j = i + 1;
    if b.get(j).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    while j < b.len() && is_ident_byte(b[j]) && b[j] != b'$' {
        j += 1;
    }
    (b.get(j) == Some(&b'$')).then(|| &b[i..=j])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn plain_statements_with_numbers_and_lines() {
        let sql = "create table a (x int);\n\n-- a comment; with a semicolon\ninsert into a values (1);\nselect 1";
        let parts = split(sql);
        assert_eq!(
            parts.iter().map(|s| s.text).collect::<Vec<_>>(),
            [
                "create table a (x int)",
                "insert into a values (1)",
                "select 1"
            ]
        );
        assert_eq!(
            parts.iter().map(|s| (s.number, s.line)).collect::<Vec<_>>(),
            [(1, 1), (2, 4), (3, 5)]
        );
        assert_eq!(parts[1].keyword(), "insert");
    }

    #[test]
    fn semicolons_inside_quotes_comments_and_dollar_bodies_stay() {
        assert_eq!(
            texts("select 'a;b', 'it''s;', \"we;ird\"\"\"; select 2"),
            ["select 'a;b', 'it''s;', \"we;ird\"\"\"", "select 2"]
        );
        assert_eq!(
            texts(r"select E'\';', e'a\\'; select 'b\'; select 3"),
            [r"select E'\';', e'a\\'", r"select 'b\'", "select 3"]
        );
        assert_eq!(
            texts("select 1 /* a; /* nested; */ still; */ + 1; select 2"),
            ["select 1 /* a; /* nested; */ still; */ + 1", "select 2"]
        );
        let body = "create function f() returns int language plpgsql as $fn$\nbegin\n  perform 'x;$$';\n  return 1;\nend\n$fn$";
        assert_eq!(
            texts(&format!("{body};\ndo $$ begin null; end $$; select 4")),
            [body, "do $$ begin null; end $$", "select 4"]
        );
    }

    #[test]
    fn look_alikes_are_not_quotes() {
        // `$1` is a parameter, `a$b$` a name, `some'…` after a word an ordinary string.
        assert_eq!(
            texts("select $1; select a$b$ from t; select type'x;'; select 5"),
            [
                "select $1",
                "select a$b$ from t",
                "select type'x;'",
                "select 5"
            ]
        );
    }

    #[test]
    fn empty_and_unterminated() {
        assert!(texts(" ;; -- only comments\n/* x */ ;").is_empty());
        assert_eq!(
            texts("select 'open; never closed"),
            ["select 'open; never closed"]
        );
        assert_eq!(texts("select 1 /* open"), ["select 1 /* open"]);
        assert_eq!(texts("select $x$ open;"), ["select $x$ open;"]);
    }

    #[test]
    fn terminated_keeps_a_trailing_comment_from_eating_the_semicolon() {
        let parts = split("select 1 -- note\n;select 2");
        assert_eq!(parts[0].terminated(), "select 1 -- note\n;\n");
        assert_eq!(parts[1].terminated(), "select 2;\n");
        let joined: String = parts.iter().map(Statement::terminated).collect();
        assert_eq!(texts(&joined), ["select 1 -- note", "select 2"]);
        assert_eq!(
            split("insert   into t\n values (1, 'long text')")[0].summary(18),
            "insert into t valu…"
        );
    }
}
