//! The one place where a path from outside (an archive entry, a Bolt action, a folder walk)
//! becomes a [`ProjectPath`]. Every reader goes through [`ProjectPath::parse`].

use std::fmt;

use thiserror::Error;

/// A validated, normalized path relative to the project root: `/`-separated, no empty, `.` or
/// `..` segments, no `.git` segment, no control characters, not absolute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProjectPath(String);

/// Why a path was refused. The message is what the report shows.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PathRejection {
    #[error("empty path")]
    Empty,
    #[error("absolute path")]
    Absolute,
    #[error("'..' segment escapes the project")]
    ParentSegment,
    #[error("path inside a .git folder")]
    GitFolder,
    #[error("NUL or control character in path")]
    ControlCharacter,
    #[error(
        "bidirectional, zero-width or other invisible character in path (it would show one name \
         and be another)"
    )]
    InvisibleCharacter,
    #[error("path longer than {max} bytes")]
    TooLong { max: usize },
    #[error("a file or folder name longer than {max} bytes (no common file system stores it)")]
    NameTooLong { max: usize },
}

/// Longest path accepted, in bytes; longer ones are hostile or broken.
pub const MAX_PATH_BYTES: usize = 1024;

/// Longest file or folder name accepted, in bytes: what ext4, APFS and NTFS store (a longer one
/// would export to a zip and fail in a folder).
pub const MAX_NAME_BYTES: usize = 255;

impl ProjectPath {
    /// Normalizes and validates `raw`: `\` becomes `/`, empty and `.` segments drop; absolute
    /// paths, `..`, `.git` (any case), NUL, control, bidirectional and invisible characters, and
    /// names over 255 bytes are refused.
    pub fn parse(raw: &str) -> Result<Self, PathRejection> {
        if raw.chars().any(char::is_control) {
            return Err(PathRejection::ControlCharacter);
        }
        if raw.chars().any(crate::text::is_hidden) {
            return Err(PathRejection::InvisibleCharacter);
        }
        let unified = raw.replace('\\', "/");
        if unified.starts_with('/') || has_drive_prefix(&unified) {
            return Err(PathRejection::Absolute);
        }
        let mut segments = Vec::new();
        for segment in unified.split('/') {
            match segment {
                "" | "." => continue,
                ".." => return Err(PathRejection::ParentSegment),
                s if is_git_alias(s) => return Err(PathRejection::GitFolder),
                s if s.len() > MAX_NAME_BYTES => {
                    return Err(PathRejection::NameTooLong {
                        max: MAX_NAME_BYTES,
                    })
                }
                s => segments.push(s),
            }
        }
        if segments.is_empty() {
            return Err(PathRejection::Empty);
        }
        // `./C:/x` is `C:/x` once `.` drops: still a drive on Windows.
        if has_drive_prefix(segments[0]) {
            return Err(PathRejection::Absolute);
        }
        let joined = segments.join("/");
        if joined.len() > MAX_PATH_BYTES {
            return Err(PathRejection::TooLong {
                max: MAX_PATH_BYTES,
            });
        }
        Ok(Self(joined))
    }

    /// The path as a `/`-separated string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last segment.
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// The lower-cased extension of the file name, if any (`"png"` for `a/B.PNG`).
    pub fn extension(&self) -> Option<String> {
        let name = self.file_name();
        let dot = name.rfind('.')?;
        (dot > 0).then(|| name[dot + 1..].to_ascii_lowercase())
    }

    /// The first segment and the rest, if the path has more than one segment.
    pub fn split_first(&self) -> Option<(&str, &str)> {
        self.0.split_once('/')
    }
}

/// Whether a segment names `.git` on some file system git runs on: any case, with trailing
/// dots or spaces (Windows), as the NTFS short name `git~1`, or with characters HFS+ ignores
/// (zero-width joiners and the like). git's own fsck refuses all of these, and a checkout on
/// such a system would write into the repository's metadata.
fn is_git_alias(segment: &str) -> bool {
    const HFS_IGNORED: &[char] = &[
        '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}',
        '\u{202C}', '\u{202D}', '\u{202E}', '\u{206A}', '\u{206B}', '\u{206C}', '\u{206D}',
        '\u{206E}', '\u{206F}', '\u{FEFF}',
    ];
    let visible: String = segment
        .chars()
        .filter(|c| !HFS_IGNORED.contains(c))
        .collect();
    let trimmed = visible.trim_end_matches(['.', ' ']);
    trimmed.eq_ignore_ascii_case(".git") || trimmed.eq_ignore_ascii_case("git~1")
}

/// `C:` or `c:/…`: a Windows absolute path.
fn has_drive_prefix(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

impl fmt::Display for ProjectPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ProjectPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        let cases = [
            ("src/App.tsx", "src/App.tsx"),
            (
                "src\\components\\ui\\button.tsx",
                "src/components/ui/button.tsx",
            ),
            ("./src//main.ts", "src/main.ts"),
            ("a/./b/", "a/b"),
            (".gitignore", ".gitignore"),
            (".github/workflows/ci.yml", ".github/workflows/ci.yml"),
            ("src/.gitkeep", "src/.gitkeep"),
            ("dir.git/file", "dir.git/file"),
            (".gitmodules.bak", ".gitmodules.bak"),
            ("git~2/x", "git~2/x"),
        ];
        for (raw, want) in cases {
            assert_eq!(ProjectPath::parse(raw).unwrap().as_str(), want, "{raw}");
        }
    }

    #[test]
    fn refuses() {
        let cases = [
            ("", PathRejection::Empty),
            ("./", PathRejection::Empty),
            ("/etc/passwd", PathRejection::Absolute),
            ("\\windows\\system32", PathRejection::Absolute),
            ("C:/Users/x", PathRejection::Absolute),
            ("c:evil", PathRejection::Absolute),
            ("./C:/Windows/evil.txt", PathRejection::Absolute),
            (".//d:\\x", PathRejection::Absolute),
            ("../outside", PathRejection::ParentSegment),
            ("src/../../x", PathRejection::ParentSegment),
            ("src\\..\\..\\x", PathRejection::ParentSegment),
            (".git/config", PathRejection::GitFolder),
            ("sub/.GIT/hooks/pre-commit", PathRejection::GitFolder),
            ("GIT~1/config", PathRejection::GitFolder),
            (".git./config", PathRejection::GitFolder),
            (".git /config", PathRejection::GitFolder),
            (".g\u{200c}it/config", PathRejection::InvisibleCharacter),
            ("\u{feff}.git/hooks/x", PathRejection::InvisibleCharacter),
            ("src/evil\u{202e}gpj.js", PathRejection::InvisibleCharacter),
            ("a\u{2066}b/c", PathRejection::InvisibleCharacter),
            ("zero\u{200b}width.ts", PathRejection::InvisibleCharacter),
            ("a\0b", PathRejection::ControlCharacter),
            ("a\nb", PathRejection::ControlCharacter),
            ("a\u{7f}b", PathRejection::ControlCharacter),
        ];
        for (raw, want) in cases {
            assert_eq!(ProjectPath::parse(raw), Err(want), "{raw:?}");
        }
        let long = "a/".repeat(600);
        assert!(matches!(
            ProjectPath::parse(&long),
            Err(PathRejection::TooLong { .. })
        ));
        let name = format!("src/{}.ts", "n".repeat(253));
        assert_eq!(
            ProjectPath::parse(&name),
            Err(PathRejection::NameTooLong { max: 255 })
        );
        assert!(ProjectPath::parse(&format!("src/{}.ts", "n".repeat(252))).is_ok());
        assert!(ProjectPath::parse("src/café/日本.ts").is_ok());
    }

    #[test]
    fn extension_and_name() {
        let p = ProjectPath::parse("public/Logo.PNG").unwrap();
        assert_eq!(p.file_name(), "Logo.PNG");
        assert_eq!(p.extension().as_deref(), Some("png"));
        assert_eq!(ProjectPath::parse(".env").unwrap().extension(), None);
        assert_eq!(ProjectPath::parse("Makefile").unwrap().extension(), None);
    }
}
