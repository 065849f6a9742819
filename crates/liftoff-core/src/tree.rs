//! [`SourceTree`]: the project as an ordered map from validated path to bytes. Every reader
//! builds one, every writer consumes one.

use std::collections::BTreeMap;

use thiserror::Error;

use crate::fold::collision_key;
use crate::path::{PathRejection, ProjectPath};
use crate::report::Report;

/// One file's contents and whether it is executable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileEntry {
    pub bytes: Vec<u8>,
    pub executable: bool,
}

impl FileEntry {
    /// A non-executable file.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            executable: false,
        }
    }
}

/// Why a file could not enter the tree.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InsertRejection {
    #[error(transparent)]
    Path(#[from] PathRejection),
    #[error("duplicate entry: already in the project")]
    Duplicate,
    #[error("name differs only in case from {existing}")]
    CaseCollision { existing: String },
    #[error(
        "name is {existing} written another way (Unicode composed or decomposed): macOS stores \
         the two as one file"
    )]
    FormCollision { existing: String },
    #[error("{existing} is a file, so it cannot also be a folder")]
    FileFolderClash { existing: String },
}

/// How an insert treats a path that is already present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDuplicate {
    /// Keep the first (archives: a second entry with the same name is hostile or broken).
    Refuse,
    /// Replace it (Bolt: a later file action rewrites the file).
    Replace,
}

/// An ordered map from validated path to file, free of case collisions and file/folder clashes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceTree {
    files: BTreeMap<ProjectPath, FileEntry>,
    /// The path's collision key (`fold::collision_key`: case and Unicode form folded) to the
    /// path as stored, to catch names a folding file system would store as one.
    folded: BTreeMap<String, ProjectPath>,
}

impl SourceTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Validates `raw` and inserts the file.
    pub fn insert(
        &mut self,
        raw: &str,
        entry: FileEntry,
        on_duplicate: OnDuplicate,
    ) -> Result<ProjectPath, InsertRejection> {
        let path = ProjectPath::parse(raw)?;
        self.insert_path(path, entry, on_duplicate)
    }

    /// Inserts an already-validated path.
    pub fn insert_path(
        &mut self,
        path: ProjectPath,
        entry: FileEntry,
        on_duplicate: OnDuplicate,
    ) -> Result<ProjectPath, InsertRejection> {
        let folded = collision_key(path.as_str());
        if let Some(existing) = self.folded.get(&folded) {
            if existing != &path {
                let existing = existing.to_string();
                let lowered = |s: &str| s.chars().map(crate::fold::lower).collect::<String>();
                return Err(if lowered(&existing) == lowered(path.as_str()) {
                    InsertRejection::CaseCollision { existing }
                } else {
                    InsertRejection::FormCollision { existing }
                });
            }
            if on_duplicate == OnDuplicate::Refuse {
                return Err(InsertRejection::Duplicate);
            }
            self.files.insert(path.clone(), entry);
            return Ok(path);
        }
        self.check_clash(&path)?;
        self.folded.insert(folded, path.clone());
        self.files.insert(path.clone(), entry);
        Ok(path)
    }

    /// Inserts, or records in `report` why the file was skipped. Returns whether it went in.
    pub fn insert_or_report(
        &mut self,
        raw: &str,
        entry: FileEntry,
        on_duplicate: OnDuplicate,
        report: &mut Report,
    ) -> bool {
        match self.insert(raw, entry, on_duplicate) {
            Ok(_) => true,
            Err(why) => {
                report.skip(raw, why.to_string());
                false
            }
        }
    }

    /// A file may not sit where a folder is, nor under a path that is a file.
    fn check_clash(&self, path: &ProjectPath) -> Result<(), InsertRejection> {
        let text = path.as_str();
        // An ancestor that is a file.
        for (i, _) in text.match_indices('/') {
            let ancestor = &text[..i];
            if let Some(existing) = self.folded.get(&collision_key(ancestor)) {
                return Err(InsertRejection::FileFolderClash {
                    existing: existing.to_string(),
                });
            }
        }
        // A descendant: some stored path starts with `text/`.
        let prefix = format!("{}/", collision_key(text));
        let descendant = self.folded.range(prefix.clone()..).next();
        if descendant.is_some_and(|(k, _)| k.starts_with(&prefix)) {
            return Err(InsertRejection::FileFolderClash {
                existing: text.to_string(),
            });
        }
        Ok(())
    }

    /// Removes a file, returning it.
    pub fn remove(&mut self, path: &ProjectPath) -> Option<FileEntry> {
        let entry = self.files.remove(path)?;
        self.folded.remove(&collision_key(path.as_str()));
        Some(entry)
    }

    /// The file at `path`, if any.
    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        let path = ProjectPath::parse(path).ok()?;
        self.files.get(&path)
    }

    /// Files in path order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&ProjectPath, &FileEntry)> {
        self.files.iter()
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the tree holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Consumes the tree, yielding its files in path order.
    pub fn into_files(self) -> impl Iterator<Item = (ProjectPath, FileEntry)> {
        self.files.into_iter()
    }

    /// Sum of all file sizes in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files.values().map(|f| f.bytes.len() as u64).sum()
    }

    /// When every file sits under one common top-level folder (`project/…` in Bolt's download),
    /// returns that folder's name.
    pub fn single_root_folder(&self) -> Option<String> {
        let mut root: Option<&str> = None;
        for path in self.files.keys() {
            let (first, _) = path.split_first()?;
            match root {
                None => root = Some(first),
                Some(r) if r == first => {}
                Some(_) => return None,
            }
        }
        root.map(str::to_string)
    }

    /// Moves every file up out of the top-level folder `folder`.
    pub fn strip_root_folder(self, folder: &str) -> SourceTree {
        let mut out = SourceTree::new();
        for (path, entry) in self.files {
            let rest = match path.split_first() {
                Some((first, rest)) if first == folder => rest.to_string(),
                _ => path.as_str().to_string(),
            };
            // Stripping a prefix from validated, collision-free paths keeps them so.
            out.insert(&rest, entry, OnDuplicate::Replace)
                .expect("stripping a common root keeps paths valid");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(s: &str) -> FileEntry {
        FileEntry::new(s.as_bytes())
    }

    #[test]
    fn duplicate_refused_or_replaced() {
        let mut t = SourceTree::new();
        t.insert("a.txt", file("1"), OnDuplicate::Refuse).unwrap();
        assert_eq!(
            t.insert("a.txt", file("2"), OnDuplicate::Refuse),
            Err(InsertRejection::Duplicate)
        );
        assert_eq!(t.get("a.txt").unwrap().bytes, b"1");
        t.insert("./a.txt", file("3"), OnDuplicate::Replace)
            .unwrap();
        assert_eq!(t.get("a.txt").unwrap().bytes, b"3");
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn case_collisions_are_refused_either_way() {
        let mut t = SourceTree::new();
        t.insert("src/App.tsx", file("1"), OnDuplicate::Refuse)
            .unwrap();
        for mode in [OnDuplicate::Refuse, OnDuplicate::Replace] {
            assert_eq!(
                t.insert("src/app.tsx", file("2"), mode),
                Err(InsertRejection::CaseCollision {
                    existing: "src/App.tsx".into()
                })
            );
        }
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn names_equal_once_unicode_normalized_are_refused_like_case_collisions() {
        let mut t = SourceTree::new();
        t.insert("src/caf\u{e9}.ts", file("1"), OnDuplicate::Refuse)
            .unwrap();
        let again = t.insert("src/cafe\u{301}.ts", file("2"), OnDuplicate::Replace);
        assert_eq!(
            again,
            Err(InsertRejection::FormCollision {
                existing: "src/caf\u{e9}.ts".into()
            })
        );
        // A folder in one form, a file under it in the other.
        t.insert("R\u{e9}sum\u{e9}/a.md", file("1"), OnDuplicate::Refuse)
            .unwrap();
        assert!(t
            .insert("re\u{301}sume\u{301}/a.md", file("2"), OnDuplicate::Refuse)
            .is_err());
        assert!(t
            .insert("resume/a.md", file("3"), OnDuplicate::Refuse)
            .is_ok());
    }

    #[test]
    fn file_folder_clash() {
        let mut t = SourceTree::new();
        t.insert("a/b", file("1"), OnDuplicate::Refuse).unwrap();
        assert!(matches!(
            t.insert("a", file("2"), OnDuplicate::Refuse),
            Err(InsertRejection::FileFolderClash { .. })
        ));
        assert!(matches!(
            t.insert("a/b/c", file("2"), OnDuplicate::Refuse),
            Err(InsertRejection::FileFolderClash { .. })
        ));
        t.insert("ab", file("3"), OnDuplicate::Refuse).unwrap();
    }

    #[test]
    fn rejections_reach_the_report() {
        let mut t = SourceTree::new();
        let mut r = Report::default();
        assert!(!t.insert_or_report("../x", file("1"), OnDuplicate::Refuse, &mut r));
        assert_eq!(r.changes.len(), 1);
        assert_eq!(r.changes[0].path, "../x");
        assert!(r.changes[0].reason.contains(".."));
    }

    #[test]
    fn strips_single_root() {
        let mut t = SourceTree::new();
        t.insert("project/a", file("1"), OnDuplicate::Refuse)
            .unwrap();
        t.insert("project/src/b", file("2"), OnDuplicate::Refuse)
            .unwrap();
        assert_eq!(t.single_root_folder().as_deref(), Some("project"));
        let t = t.strip_root_folder("project");
        let names: Vec<_> = t.iter().map(|(p, _)| p.as_str().to_string()).collect();
        assert_eq!(names, ["a", "src/b"]);
        assert_eq!(t.single_root_folder(), None);
    }
}
