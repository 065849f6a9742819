//! Commit objects: who, when (an input: the core has no clock), which tree, which parent.

use crate::time::utc_minute;

use super::object::ObjectId;

/// An author or committer line's identity and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    pub email: String,
    /// Seconds since the Unix epoch.
    pub time_s: i64,
    /// Offset from UTC in minutes (east positive).
    pub offset_min: i32,
}

impl Signature {
    /// A signature at `time_s`, UTC. `<`, `>` and control characters are dropped from the
    /// name and email (git cannot store them); an empty name becomes `"Liftoff"`.
    pub fn new(name: &str, email: &str, time_s: i64) -> Self {
        let clean = |text: &str| -> String {
            text.chars()
                .filter(|c| !c.is_control() && *c != '<' && *c != '>')
                .collect::<String>()
                .trim()
                .to_string()
        };
        let mut name = clean(name);
        if name.is_empty() {
            name = "Liftoff".into();
        }
        Self {
            name,
            email: clean(email),
            time_s,
            offset_min: 0,
        }
    }

    fn write(&self, role: &str, out: &mut String) {
        let sign = if self.offset_min < 0 { '-' } else { '+' };
        let offset = self.offset_min.unsigned_abs();
        out.push_str(&format!(
            "{role} {} <{}> {} {sign}{:02}{:02}\n",
            self.name,
            self.email,
            self.time_s,
            offset / 60,
            offset % 60
        ));
    }
}

/// What a commit records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub tree: ObjectId,
    /// None for the first commit of a branch with no history.
    pub parent: Option<ObjectId>,
    pub author: Signature,
    pub committer: Signature,
    pub message: String,
}

/// The commit object's bytes, exactly as git writes them (message ends with one newline).
pub fn serialize_commit(commit: &CommitInfo) -> Vec<u8> {
    let mut text = format!("tree {}\n", commit.tree);
    if let Some(parent) = commit.parent {
        text.push_str(&format!("parent {parent}\n"));
    }
    commit.author.write("author", &mut text);
    commit.committer.write("committer", &mut text);
    text.push('\n');
    text.push_str(commit.message.trim_end());
    text.push('\n');
    text.into_bytes()
}

/// The default message: `Export from Bolt (Liftoff), 2026-11-24 13:05 UTC`. `builder` is the
/// builder's name as people write it (`crate::builders::display_name`), when known: a name, not
/// the registry, so a module that pushes need not carry every builder.
pub fn default_message(builder: Option<&str>, time_s: i64) -> String {
    let from = builder.map_or_else(
        || "Export".to_string(),
        |name| format!("Export from {name}"),
    );
    format!("{from} (Liftoff), {}", utc_minute(time_s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            default_message(Some("Bolt"), 1_795_500_000),
            "Export from Bolt (Liftoff), 2026-11-24 06:00 UTC"
        );
    }

    #[test]
    fn serializes_like_git() {
        let tree = ObjectId::from_hex("4b825dc642cb6eb9a060e54bf8d69288fbee4904").unwrap();
        let who = Signature::new("Ada <L>\novelace", "ada@example.com", 1_700_000_000);
        let commit = CommitInfo {
            tree,
            parent: None,
            author: who.clone(),
            committer: who,
            message: "First\n\n".into(),
        };
        let text = String::from_utf8(serialize_commit(&commit)).unwrap();
        assert_eq!(
            text,
            "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
             author Ada Lovelace <ada@example.com> 1700000000 +0000\n\
             committer Ada Lovelace <ada@example.com> 1700000000 +0000\n\nFirst\n"
        );
        assert_eq!(Signature::new(" ", "x@y", 0).name, "Liftoff");
    }
}
