//! What stays out of a commit: `.env` files (secrets) and whatever the project's own
//! `.gitignore` files exclude.
//!
//! Supported, as git does it: `.gitignore` files in any folder (each applies below its folder,
//! deeper files and later lines win); blank lines and `#` comments; trailing spaces trimmed
//! unless escaped with `\`; `!` to re-include; a trailing `/` for folders only; a `/` at the
//! start or in the middle anchors the pattern to its `.gitignore`'s folder, otherwise it
//! matches a name at any depth; `*`, `?`, `[abc]`, `[a-z]`, `[!a]`/`[^a]`, `\` escapes;
//! `**/` (any folders, or none), `/**` (everything inside) and `/**/`; a file inside an
//! excluded folder cannot be re-included. Not supported: `.git/info/exclude` and
//! `core.excludesFile` (an export has neither), POSIX classes such as `[[:digit:]]`, and
//! case-insensitive matching (git's default on Linux and in GitHub is case-sensitive).

use crate::env_file::is_env_file;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::path::ProjectPath;
use crate::tree::SourceTree;

/// Patterns read from one `.gitignore` at most; the rest of a larger file is ignored.
const MAX_PATTERNS_PER_FILE: usize = 5_000;

/// A file left out of the commit, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub path: String,
    pub reason: String,
}

/// Removes from `tree` the files that must not be committed; returns what is left and what
/// was removed (in path order).
pub fn split_uncommittable(mut tree: SourceTree) -> (SourceTree, Vec<Excluded>) {
    let rules = IgnoreRules::from_tree(&tree);
    let mut excluded = Vec::new();
    let mut remove: Vec<ProjectPath> = Vec::new();
    let mut folder_cache = HashMap::new();
    for (path, _) in tree.iter() {
        let reason = if is_env_file(path.as_str()) {
            Some("a .env file holds secrets: it stays out of the repository".to_string())
        } else {
            rules
                .excluding_rule(path.as_str(), &mut folder_cache)
                .map(|rule| format!("excluded by {rule}"))
        };
        if let Some(reason) = reason {
            excluded.push(Excluded {
                path: path.as_str().to_string(),
                reason,
            });
            remove.push(path.clone());
        }
    }
    for path in &remove {
        tree.remove(path);
    }
    (tree, excluded)
}

/// Every `.gitignore` of a tree, by the folder it applies to (`""` for the root, else
/// `dir/`).
#[derive(Debug, Default)]
pub struct IgnoreRules {
    by_folder: BTreeMap<String, Vec<Pattern>>,
}

impl IgnoreRules {
    /// Reads every `.gitignore` in `tree`.
    pub fn from_tree(tree: &SourceTree) -> Self {
        let mut by_folder = BTreeMap::new();
        for (path, entry) in tree.iter() {
            if path.file_name() != ".gitignore" {
                continue;
            }
            let folder = &path.as_str()[..path.as_str().len() - ".gitignore".len()];
            let text = String::from_utf8_lossy(&entry.bytes);
            let patterns: Vec<Pattern> = text
                .lines()
                .filter_map(Pattern::parse)
                .take(MAX_PATTERNS_PER_FILE)
                .collect();
            if !patterns.is_empty() {
                by_folder.insert(folder.to_string(), patterns);
            }
        }
        Self { by_folder }
    }

    /// Whether the file at `path` is ignored, checking its folders first.
    pub fn is_ignored(&self, path: &str) -> bool {
        self.excluding_rule(path, &mut HashMap::new()).is_some()
    }

    /// The rule (`<gitignore>: <pattern>`) that excludes the file at `path`, if one does.
    /// `folders` caches decisions about folders between calls.
    fn excluding_rule(
        &self,
        path: &str,
        folders: &mut HashMap<String, Option<String>>,
    ) -> Option<String> {
        if self.by_folder.is_empty() {
            return None;
        }
        for (slash, _) in path.match_indices('/') {
            let folder = &path[..slash];
            let decision = match folders.get(folder) {
                Some(decision) => decision.clone(),
                None => {
                    let decision = self.decide(folder, true);
                    folders.insert(folder.to_string(), decision.clone());
                    decision
                }
            };
            if decision.is_some() {
                return decision;
            }
        }
        self.decide(path, false)
    }

    /// The last matching pattern, from the root's `.gitignore` down to the deepest, decides.
    fn decide(&self, path: &str, is_dir: bool) -> Option<String> {
        let mut last: Option<(&str, &Pattern)> = None;
        for (folder, patterns) in &self.by_folder {
            let Some(relative) = path.strip_prefix(folder.as_str()) else {
                continue;
            };
            if relative.is_empty() {
                continue;
            }
            for pattern in patterns {
                if pattern.matches(relative, is_dir) {
                    last = Some((folder, pattern));
                }
            }
        }
        let (folder, pattern) = last?;
        (!pattern.negated).then(|| format!("{folder}.gitignore: {}", pattern.text))
    }
}

/// One `.gitignore` line.
#[derive(Debug, Clone)]
struct Pattern {
    /// The line as written (for the report).
    text: String,
    tokens: Vec<Token>,
    negated: bool,
    dir_only: bool,
    /// Matched against the whole path relative to the `.gitignore`'s folder, not the name.
    anchored: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(u8),
    /// `?`: one byte, not `/`.
    AnyByte,
    /// `*`: any run of bytes without `/`.
    Star,
    /// A trailing `/**`'s stars: anything, `/` included.
    GlobStar,
    /// `**/`: nothing, or any run ending with `/`.
    AnyFolders,
    /// `[...]`: one byte, not `/`, in (or, negated, not in) the ranges.
    Class {
        ranges: Vec<(u8, u8)>,
        negated: bool,
    },
}

impl Pattern {
    fn parse(line: &str) -> Option<Self> {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let line = trim_unescaped_trailing_spaces(line);
        let (negated, body) = match line.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let (dir_only, body) = match body.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        if body.is_empty() {
            return None;
        }
        let anchored = body.contains('/');
        let body = body.strip_prefix('/').unwrap_or(body);
        Some(Self {
            text: line.to_string(),
            tokens: tokenize(body.as_bytes()),
            negated,
            dir_only,
            anchored,
        })
    }

    fn matches(&self, relative: &str, is_dir: bool) -> bool {
        if self.dir_only && !is_dir {
            return false;
        }
        let subject = if self.anchored {
            relative
        } else {
            relative.rsplit('/').next().unwrap_or(relative)
        };
        wildmatch(&self.tokens, subject.as_bytes())
    }
}

fn trim_unescaped_trailing_spaces(line: &str) -> &str {
    let mut end = line.len();
    while end > 0 && line.as_bytes()[end - 1] == b' ' {
        // Count the backslashes before this space: odd means it is escaped.
        let backslashes = line.as_bytes()[..end - 1]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 1 {
            break;
        }
        end -= 1;
    }
    &line[..end]
}

fn tokenize(pattern: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => {
                tokens.push(Token::Literal(pattern[i + 1]));
                i += 2;
            }
            b'*' => {
                let run = pattern[i..].iter().take_while(|&&b| b == b'*').count();
                let starts_segment = i == 0 || pattern[i - 1] == b'/';
                let after = i + run;
                if run >= 2 && starts_segment && after == pattern.len() {
                    tokens.push(Token::GlobStar);
                    i = after;
                } else if run >= 2 && starts_segment && pattern[after] == b'/' {
                    tokens.push(Token::AnyFolders);
                    i = after + 1;
                } else {
                    tokens.push(Token::Star);
                    i = after;
                }
            }
            b'?' => {
                tokens.push(Token::AnyByte);
                i += 1;
            }
            b'[' => match parse_class(&pattern[i + 1..]) {
                Some((class, used)) => {
                    tokens.push(class);
                    i += 1 + used;
                }
                None => {
                    tokens.push(Token::Literal(b'['));
                    i += 1;
                }
            },
            byte => {
                tokens.push(Token::Literal(byte));
                i += 1;
            }
        }
    }
    tokens
}

/// Parses a class after its `[`; returns it and the bytes used (through `]`).
fn parse_class(rest: &[u8]) -> Option<(Token, usize)> {
    let mut i = 0;
    let negated = matches!(rest.first(), Some(b'!' | b'^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let mut byte = *rest.get(i)?;
        if byte == b']' && !first {
            return Some((Token::Class { ranges, negated }, i + 1));
        }
        first = false;
        if byte == b'\\' {
            i += 1;
            byte = *rest.get(i)?;
        }
        if rest.get(i + 1) == Some(&b'-') && rest.get(i + 2).is_some_and(|&b| b != b']') {
            let mut high = rest[i + 2];
            let mut used = 3;
            if high == b'\\' {
                high = *rest.get(i + 3)?;
                used = 4;
            }
            ranges.push((byte, high));
            i += used;
        } else {
            ranges.push((byte, byte));
            i += 1;
        }
    }
}

/// Runs the pattern as a small NFA over `text`: linear in pattern length times text length,
/// whatever the pattern (no backtracking blow-up on hostile `.gitignore` files).
fn wildmatch(tokens: &[Token], text: &[u8]) -> bool {
    let n = tokens.len();
    // States 0..=n: "tokens before this index matched"; n+1+i: inside token i's `**/`.
    let inner = |i: usize| n + 1 + i;
    let mut active = vec![false; 2 * n + 1];
    let mut next = vec![false; 2 * n + 1];
    active[0] = true;
    close(tokens, &mut active);
    for &byte in text {
        next.iter_mut().for_each(|s| *s = false);
        for (i, token) in tokens.iter().enumerate() {
            if active[i] {
                let advance = match token {
                    Token::Literal(b) => *b == byte,
                    Token::AnyByte => byte != b'/',
                    Token::Class { ranges, negated } => {
                        byte != b'/'
                            && ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&byte)) != *negated
                    }
                    Token::Star => {
                        next[i] |= byte != b'/';
                        false
                    }
                    Token::GlobStar => {
                        next[i] = true;
                        false
                    }
                    Token::AnyFolders => false,
                };
                next[i + 1] |= advance;
            }
            if matches!(token, Token::AnyFolders) && active[inner(i)] {
                next[inner(i)] = true;
                next[i + 1] |= byte == b'/';
            }
        }
        close(tokens, &mut next);
        std::mem::swap(&mut active, &mut next);
        if !active.iter().any(|&s| s) {
            return false;
        }
    }
    active[n]
}

/// Adds the states reachable without reading a byte (stars may match nothing).
fn close(tokens: &[Token], states: &mut [bool]) {
    let n = tokens.len();
    for (i, token) in tokens.iter().enumerate() {
        if !states[i] {
            continue;
        }
        match token {
            Token::Star | Token::GlobStar => states[i + 1] = true,
            Token::AnyFolders => {
                states[i + 1] = true;
                states[n + 1 + i] = true;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{FileEntry, OnDuplicate};

    fn matches(pattern: &str, path: &str) -> bool {
        let p = Pattern::parse(pattern).unwrap();
        p.matches(path, false)
    }

    #[test]
    fn wildcards() {
        assert!(matches("*.log", "debug.log"));
        assert!(matches("*.log", "deep/in/debug.log"));
        assert!(!matches("*.log", "debug.log.txt"));
        assert!(matches("debug?.log", "debug1.log"));
        assert!(!matches("debug?.log", "debug10.log"));
        assert!(matches("[Tt]humbs.db", "Thumbs.db"));
        assert!(matches("file[0-9].txt", "file7.txt"));
        assert!(!matches("file[!0-9].txt", "file7.txt"));
        assert!(matches("file[^0-9].txt", "fileX.txt"));
        assert!(matches("\\#notes", "#notes"));
        assert!(matches("\\!bang", "!bang"));
        assert!(matches("trailing\\ ", "trailing "));
        assert!(matches("spaces   ", "spaces"));
        assert!(matches("a[", "a["));
        // Anchored patterns: `*` stays inside one segment.
        assert!(matches("/src/*.ts", "src/a.ts"));
        assert!(!matches("/src/*.ts", "src/deep/a.ts"));
        assert!(!matches("/a.ts", "src/a.ts"));
        assert!(matches("src/*.ts", "src/a.ts"));
        assert!(!matches("src/*.ts", "x/src/a.ts"));
    }

    #[test]
    fn double_stars() {
        assert!(matches("**/temp", "temp"));
        assert!(matches("**/temp", "a/b/temp"));
        assert!(matches("src/**/*.gen.ts", "src/x.gen.ts"));
        assert!(matches("src/**/*.gen.ts", "src/a/b/x.gen.ts"));
        assert!(!matches("src/**/*.gen.ts", "srcx/a.gen.ts"));
        assert!(matches("logs/**", "logs/a/b.txt"));
        assert!(!matches("logs/**", "logsx/a"));
        assert!(matches("a**b", "axxb"));
        assert!(!matches("a**b", "ax/xb"));
        // No exponential blow-up.
        let hostile = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
        assert!(!matches(hostile, &"a".repeat(1000)));
    }

    fn tree(files: &[(&str, &str)]) -> SourceTree {
        let mut t = SourceTree::new();
        for (path, body) in files {
            t.insert(path, FileEntry::new(body.as_bytes()), OnDuplicate::Refuse)
                .unwrap();
        }
        t
    }

    #[test]
    fn excludes_env_and_ignored_files_with_reasons() {
        let t = tree(&[
            (
                ".gitignore",
                "# build output\ndist/\n*.log\n!keep.log\nnode_modules\n/secret.txt\n",
            ),
            ("src/.gitignore", "generated/\n!important.log\n"),
            (".env", "KEY=1"),
            (".env.local", "KEY=2"),
            (".env.example", "KEY="),
            ("config/.env.production", "KEY=3"),
            ("dist/index.js", "x"),
            ("src/dist/x.js", "x"),
            ("debug.log", "x"),
            ("keep.log", "x"),
            ("src/important.log", "x"),
            ("src/other.log", "x"),
            ("src/generated/a.ts", "x"),
            ("src/generated.ts", "x"),
            ("secret.txt", "x"),
            ("src/secret.txt", "x"),
            ("src/main.ts", "x"),
        ]);
        let (kept, excluded) = split_uncommittable(t);
        let kept: Vec<_> = kept.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            kept,
            [
                ".env.example",
                ".gitignore",
                "keep.log",
                "src/.gitignore",
                "src/generated.ts",
                "src/important.log",
                "src/main.ts",
                "src/secret.txt"
            ]
        );
        let reasons: BTreeMap<_, _> = excluded
            .iter()
            .map(|e| (e.path.as_str(), e.reason.as_str()))
            .collect();
        assert!(reasons[".env"].contains("secrets"));
        assert!(reasons["config/.env.production"].contains("secrets"));
        assert_eq!(reasons["dist/index.js"], "excluded by .gitignore: dist/");
        assert_eq!(reasons["src/dist/x.js"], "excluded by .gitignore: dist/");
        assert_eq!(
            reasons["src/generated/a.ts"],
            "excluded by src/.gitignore: generated/"
        );
        assert_eq!(reasons["src/other.log"], "excluded by .gitignore: *.log");
        assert_eq!(reasons["secret.txt"], "excluded by .gitignore: /secret.txt");
        assert_eq!(excluded.len(), 9);
    }

    #[test]
    fn an_excluded_folder_cannot_be_reincluded() {
        let rules = IgnoreRules::from_tree(&tree(&[(".gitignore", "build/\n!build/keep.txt\n")]));
        assert!(rules.is_ignored("build/keep.txt"));
        let rules = IgnoreRules::from_tree(&tree(&[(".gitignore", "build/*\n!build/keep.txt\n")]));
        assert!(!rules.is_ignored("build/keep.txt"));
        assert!(rules.is_ignored("build/other.txt"));
        // A folder-only pattern does not exclude a file of that name.
        let rules = IgnoreRules::from_tree(&tree(&[(".gitignore", "build/\n")]));
        assert!(!rules.is_ignored("build"));
    }
}
