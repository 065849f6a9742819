//! The report: what was captured, what was changed or left out and why. Its field names are a
//! contract that users' scripts rely on: extend, never rename.

use serde::Serialize;

/// Which builder a project came from: the id of a builder in the registry
/// ([`crate::builders::ALL`]), or [`Builder::PLAIN`] / [`Builder::UNKNOWN`]. Only the registry
/// makes builder ids, so a `Builder` always names one Liftoff knows. Serialized as its id: the
/// report's `builder` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Builder(&'static str);

impl Builder {
    /// Explicitly not a builder project (`--builder plain`).
    pub const PLAIN: Builder = Builder("plain");
    /// No builder's marks were found.
    pub const UNKNOWN: Builder = Builder("unknown");

    /// A registered builder's id; only [`crate::builders`] calls it.
    pub(crate) const fn registered(id: &'static str) -> Self {
        Self(id)
    }

    /// The name used in the report, on the command line and in `<builder>:<id>` inputs.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl Default for Builder {
    fn default() -> Self {
        Self::UNKNOWN
    }
}

impl std::fmt::Display for Builder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// What happened to one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Removed,
    Edited,
    Added,
    Skipped,
}

/// One path that did not come through untouched, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub path: String,
    pub action: Action,
    pub reason: String,
}

/// A secret found in a file; `kind` names it, the value itself is never stored (only masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Secret {
    pub path: String,
    pub line: usize,
    pub kind: String,
    /// The value masked (its first 4 and last 2 characters; a private key's header only).
    #[serde(default)]
    pub masked: String,
}

/// An environment variable the exported project needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub reason: String,
}

/// A place in the code that still depends on the builder's platform: one step of the
/// migration plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tie {
    pub path: String,
    /// 1-based; 0 when the whole file is the tie (an entity schema, a backend function).
    pub line: usize,
    /// `sdk`, `entity`, `integration`, `function`, `auth`, `entity schema`, `backend function`.
    pub kind: String,
    /// What the line does, in a few words.
    pub what: String,
    /// Whether Liftoff's Base44 off-ramp (the SDK client replaced by one on the founder's own
    /// Supabase) now serves this place; `false` when it still needs work or there is no
    /// off-ramp.
    #[serde(default)]
    pub served: bool,
}

/// A command the builder ran in its sandbox (Bolt's shell and start actions): recorded so the
/// user knows what setup the project expected, never executed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedCommand {
    /// `shell` or `start`.
    pub kind: String,
    pub command: String,
}

/// Everything a user needs to know about one export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Report {
    pub builder: Builder,
    pub framework: String,
    /// Number of files in the exported tree.
    pub files: usize,
    pub changes: Vec<Change>,
    pub secrets: Vec<Secret>,
    pub env: Vec<EnvVar>,
    pub warnings: Vec<String>,
    /// Commands the builder ran; empty for builders that do not record them.
    #[serde(default)]
    pub commands: Vec<RecordedCommand>,
    /// What still ties the code to the builder's platform (Base44's SDK calls), by file and
    /// line: the migration plan.
    #[serde(default)]
    pub ties: Vec<Tie>,
    /// The backend the app runs on, when Liftoff can name it (a Lovable app on Lovable Cloud,
    /// or on a Supabase project of the founder's own, as Lovable's API says); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<Backend>,
}

/// The backend an app runs on, named: where its data, sessions and secrets live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Backend {
    /// `lovable-cloud` (a Supabase project that Lovable owns: no dashboard, database URL or
    /// service key for the founder) or `supabase` (a Supabase project of the founder's own).
    pub kind: String,
    /// The Supabase project ref the code points at, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supabase_ref: Option<String>,
    /// Whether the builder's API said so (`true`), or only the project's files suggest it
    /// (`supabase/config.toml`'s `project_id`, `.env`'s `VITE_SUPABASE_PROJECT_ID` or URL).
    pub confirmed: bool,
}

impl Backend {
    /// Lovable Cloud's `kind`.
    pub const LOVABLE_CLOUD: &'static str = "lovable-cloud";
    /// A Supabase project of the founder's own.
    pub const SUPABASE: &'static str = "supabase";
}

impl Report {
    /// Records that `path` was left out of the export.
    pub fn skip(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.changes.push(Change {
            path: path.into(),
            action: Action::Skipped,
            reason: reason.into(),
        });
    }

    /// The changes with the given action.
    pub fn changes_with(&self, action: Action) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.action == action)
    }

    /// What the export did and what is left to do, in a few Markdown lines (a pull request's
    /// summary). `builder`: the builder's name as people write it, when known.
    pub fn summary_markdown(&self, builder: Option<&str>) -> String {
        let from = builder.map_or_else(String::new, |b| format!(" from {b}"));
        let mut out = format!("Exported{from} with Liftoff: it builds with npm alone.\n\n");
        let count = |action| self.changes_with(action).count();
        let (edited, removed, added) = (
            count(Action::Edited),
            count(Action::Removed),
            count(Action::Added),
        );
        if edited + removed + added == 0 {
            out.push_str("- The builder's files, exactly as they were.\n");
        } else {
            out.push_str(&format!(
                "- Cleaned up: {edited} edited, {removed} removed, {added} added (`LIFTOFF.md` \
                 says why for each).\n"
            ));
        }
        if !self.secrets.is_empty() {
            out.push_str(&format!(
                "- Secrets found in the code: {} (masked in `LIFTOFF.md`): rotate them.\n",
                self.secrets.len()
            ));
        }
        if !self.env.is_empty() {
            let names: Vec<&str> = self.env.iter().map(|v| v.name.as_str()).collect();
            out.push_str(&format!(
                "- Environment variables to set: {}.\n",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.ties.is_empty() {
            out.push_str(&format!(
                "- Still tied to the builder: {} (the migration plan in `LIFTOFF.md`).\n",
                crate::text::count(self.ties.len() as u64, "place", "places")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_what_was_done_and_what_is_left() {
        let mut report = Report::default();
        assert_eq!(
            report.summary_markdown(None),
            "Exported with Liftoff: it builds with npm alone.\n\n- The builder's files, exactly \
             as they were.\n"
        );
        report.skip("x", "y");
        report.changes.push(Change {
            path: "vite.config.ts".into(),
            action: Action::Edited,
            reason: "tagger out".into(),
        });
        report.secrets.push(Secret {
            path: "a.ts".into(),
            line: 1,
            kind: "key".into(),
            masked: "sk_l…ab".into(),
        });
        report.env.push(EnvVar {
            name: "VITE_A".into(),
            reason: "r".into(),
        });
        let text = report.summary_markdown(Some("Lovable"));
        assert!(
            text.starts_with("Exported from Lovable with Liftoff"),
            "{text}"
        );
        assert!(
            text.contains("- Cleaned up: 1 edited, 0 removed, 0 added"),
            "{text}"
        );
        assert!(text.contains("- Secrets found in the code: 1"), "{text}");
        assert!(
            text.contains("- Environment variables to set: `VITE_A`.\n"),
            "{text}"
        );
        assert!(!text.contains("sk_l"), "never the secret, not even masked");
        let tie = Tie {
            path: "src/a.js".into(),
            line: 1,
            kind: "sdk".into(),
            what: "w".into(),
            served: false,
        };
        report.ties.push(tie.clone());
        let text = report.summary_markdown(None);
        assert!(
            text.contains("- Still tied to the builder: 1 place (the"),
            "{text}"
        );
        report.ties.push(tie);
        let text = report.summary_markdown(None);
        assert!(
            text.contains("- Still tied to the builder: 2 places (the"),
            "{text}"
        );
    }
}
