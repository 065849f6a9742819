//! `.env` files, one rule each: which files are `.env` files (they hold secrets: a commit or a
//! deployment never carries them as files), how one is read, and what makes a name or value fit
//! to be written into one. Every module that touches `.env` asks here.

use crate::tree::SourceTree;

/// The file holding the values; the export keeps it, git must not.
pub const ENV: &str = ".env";
/// The file listing the names, for whoever sets the project up.
pub const ENV_EXAMPLE: &str = ".env.example";

/// Templates meant to be shared, never secrets.
const TEMPLATES: &[&str] = &[".example", ".sample", ".template", ".dist"];

/// True for files that hold secrets rather than source, at any depth: `.env`, `.env.local`,
/// `.env.production`…, but not the templates meant to be shared (`.env.example`,
/// `.env.sample`, `.env.template`, `.env.dist`).
pub fn is_env_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ENV || (name.starts_with(".env.") && !TEMPLATES.iter().any(|t| name.ends_with(t)))
}

/// The variables of the tree's top-level `.env`, in file order, a later line of a name
/// replacing an earlier one: what a deployment sets as the project's environment.
pub fn dotenv_vars(tree: &SourceTree) -> Vec<(String, String)> {
    let Some(entry) = tree.get(ENV) else {
        return Vec::new();
    };
    let mut vars: Vec<(String, String)> = Vec::new();
    for line in parse_env(&String::from_utf8_lossy(&entry.bytes)) {
        vars.retain(|(name, _)| *name != line.name);
        vars.push((line.name, line.value));
    }
    vars
}

/// One `NAME=value` of a `.env` file.
pub struct EnvLine {
    pub name: String,
    pub value: String,
}

/// The variables of a `.env` file, in order: `NAME=value`, `export NAME=value`, quoted values
/// (double quotes may span lines), `#` comments. Lines it cannot read are ignored.
pub fn parse_env(text: &str) -> Vec<EnvLine> {
    let mut vars = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, raw)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if !is_var_name(name) {
            continue;
        }
        let raw = raw.trim();
        let value = match raw.strip_prefix('"') {
            Some(open) => double_quoted(open, &mut lines),
            None => unquoted_or_single(raw),
        };
        vars.push(EnvLine {
            name: name.to_string(),
            value,
        });
    }
    vars
}

/// A double-quoted value whose opening quote is gone; takes more lines until the closing one.
fn double_quoted<'a>(first: &'a str, lines: &mut impl Iterator<Item = &'a str>) -> String {
    if let Some(close) = first.find('"') {
        return first[..close].to_string();
    }
    let mut value = first.to_string();
    for line in lines.by_ref() {
        value.push('\n');
        if let Some(close) = line.find('"') {
            value.push_str(&line[..close]);
            break;
        }
        value.push_str(line);
    }
    value
}

/// A single-quoted or bare value (a bare one ends at ` #`).
fn unquoted_or_single(raw: &str) -> String {
    if let Some(inner) = raw.strip_prefix('\'') {
        return inner.split('\'').next().unwrap_or_default().to_string();
    }
    raw.split(" #")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_var_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether `value` can sit between double quotes in `.env` and read back as itself with
/// dotenv and Vite's variable expansion.
pub fn is_safe_value(value: &str) -> bool {
    !value
        .chars()
        .any(|c| c.is_control() || matches!(c, '"' | '\\' | '$'))
}

/// `text` on one line (for comments and reasons).
pub fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{FileEntry, OnDuplicate};

    #[test]
    fn parses_env_files() {
        let vars = parse_env(
            "# comment\n\nexport A=1\nB = \"two words\" \nC='three' # note\nD=four # note\nE=\"multi\nline\"\nnot a var\n9X=bad\n",
        );
        let pairs: Vec<(&str, &str)> = vars
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("A", "1"),
                ("B", "two words"),
                ("C", "three"),
                ("D", "four"),
                ("E", "multi\nline"),
            ]
        );
    }

    #[test]
    fn env_files_and_the_last_value_of_a_name() {
        assert!(is_env_file(".env"));
        assert!(is_env_file("apps/web/.env.local"));
        assert!(is_env_file("config/.env.production"));
        for template in [
            ".env.example",
            ".env.sample",
            "a/.env.template",
            ".env.dist",
        ] {
            assert!(!is_env_file(template), "{template}");
        }
        assert!(!is_env_file("src/env.ts"));
        let mut tree = SourceTree::new();
        let env = "# c\nexport VITE_A=\"x y\"\nB='q'\n1X=no\nB=r\nbad line\nC=\n";
        tree.insert(".env", FileEntry::new(env), OnDuplicate::Refuse)
            .unwrap();
        assert_eq!(
            dotenv_vars(&tree),
            vec![
                ("VITE_A".into(), "x y".into()),
                ("B".into(), "r".into()),
                ("C".into(), String::new()),
            ]
        );
    }
}
