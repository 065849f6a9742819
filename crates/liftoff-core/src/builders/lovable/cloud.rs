//! Lovable Cloud, named. A Lovable app's backend is a Supabase project: either one the founder
//! connected (their own), or Lovable Cloud, a Supabase project that Lovable created and owns
//! (no dashboard, no database URL, no service key for the founder). The files alone look the
//! same either way (`supabase/config.toml`'s `project_id`, `VITE_SUPABASE_PROJECT_ID` and
//! `VITE_SUPABASE_URL` in `.env`, the generated `src/integrations/supabase/client.ts`); Lovable's
//! API says which (its database status, read by `official` with an API key).
//!
//! This pass names the backend in the report (`backend`) and, for Lovable Cloud, in LIFTOFF.md:
//! confirmed when the API said so (then also as a warning), otherwise as what the files suggest.

use crate::edit::Edits;
use crate::env_file::dotenv_vars;
use crate::report::Backend;

use super::SPEC;

const CONFIG: &str = "supabase/config.toml";

/// A Supabase project ref: 20 lower-case letters today; letters and digits, 1 to 40, accepted.
pub fn is_project_ref(text: &str) -> bool {
    (1..=40).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The ref in `https://<ref>.supabase.co…`.
fn ref_in_url(text: &str) -> Option<String> {
    let at = text.find(".supabase.co")?;
    let start = text[..at]
        .rfind(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .map_or(0, |i| i + 1);
    let candidate = &text[start..at];
    is_project_ref(candidate).then(|| candidate.to_string())
}

/// `project_id = "<ref>"` in `supabase/config.toml`.
fn ref_in_config(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        if key.trim() != "project_id" {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        is_project_ref(value).then(|| value.to_string())
    })
}

/// The Supabase project the files point at: `supabase/config.toml`, else `.env`.
fn ref_in_tree(edits: &Edits<'_>) -> Option<String> {
    if let Some(r) = edits.text(CONFIG).and_then(|t| ref_in_config(&t)) {
        return Some(r);
    }
    let env = dotenv_vars(edits.tree);
    let var = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    var("VITE_SUPABASE_PROJECT_ID")
        .filter(|v| is_project_ref(v))
        .map(str::to_string)
        .or_else(|| var("VITE_SUPABASE_URL").and_then(ref_in_url))
}

/// Names the backend of a Lovable app (see the module's comment).
pub fn name_backend(edits: &mut Edits<'_>) {
    if edits.report.builder != SPEC.builder {
        return;
    }
    let found = ref_in_tree(edits);
    let backend = match edits.report.backend.take() {
        Some(mut known) if known.confirmed => {
            if known.supabase_ref.is_none() {
                known.supabase_ref = found;
            }
            known
        }
        _ if found.is_some() => Backend {
            kind: Backend::LOVABLE_CLOUD.into(),
            supabase_ref: found,
            confirmed: false,
        },
        _ => return,
    };
    if backend.kind == Backend::LOVABLE_CLOUD && backend.confirmed {
        let which = backend
            .supabase_ref
            .as_deref()
            .map_or_else(String::new, |r| format!(" (Supabase project {r})"));
        edits.warn(format!(
            "the backend is Lovable Cloud{which}, owned by Lovable: see LIFTOFF.md"
        ));
    }
    edits.report.backend = Some(backend);
}

/// LIFTOFF.md's section when the backend is, or may be, Lovable Cloud.
pub const LOVABLE_CLOUD_MD: &str = "## Lovable Cloud

The backend is, or may be (see the report's `backend`), Lovable Cloud: a Supabase project that \
Lovable owns, with no dashboard, database URL or service key for you. The code still talks to \
it, so the app works only while Lovable keeps it. Ways out today: Lovable's own database export \
(the project's Cloud view); the API's database queries (`queryDatabase`, with a Lovable API \
key); re-pointing the project at your own Supabase (apply `supabase/migrations/` with `liftoff \
db push`, set the `VITE_SUPABASE_*` values in `.env` and `project_id` in \
`supabase/config.toml`, deploy `supabase/functions/`, load the data). What cannot come along: \
sessions (everyone signs in again), secrets (set each edge-function secret again) and OAuth \
settings (register the sign-in providers again with your callback URL).
";

/// Lovable's LIFTOFF.md notes: the Lovable Cloud section when the backend is, or may be, it.
pub fn notes(edits: &Edits<'_>) -> super::super::Notes {
    let cloud = edits
        .report
        .backend
        .as_ref()
        .is_some_and(|b| b.kind == Backend::LOVABLE_CLOUD);
    super::super::Notes {
        section: cloud.then_some(LOVABLE_CLOUD_MD),
        offramp: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{FileEntry, OnDuplicate, SourceTree};
    use crate::Report;

    fn run(files: &[(&str, &str)], backend: Option<Backend>) -> Report {
        let mut tree = SourceTree::new();
        for (path, text) in files {
            tree.insert(
                path,
                FileEntry::new(text.as_bytes().to_vec()),
                OnDuplicate::Refuse,
            )
            .unwrap();
        }
        let mut report = Report {
            builder: SPEC.builder,
            backend,
            ..Report::default()
        };
        name_backend(&mut Edits::new(&mut tree, &mut report, "x"));
        report
    }

    #[test]
    fn a_supabase_reference_names_a_possible_lovable_cloud_backend() {
        let report = run(
            &[
                (CONFIG, "project_id = \"abcdefghijklmnopqrst\"\n"),
                (
                    ".env",
                    "VITE_SUPABASE_URL=\"https://abcdefghijklmnopqrst.supabase.co\"\n",
                ),
            ],
            None,
        );
        let backend = report.backend.unwrap();
        assert_eq!(backend.kind, "lovable-cloud");
        assert_eq!(
            backend.supabase_ref.as_deref(),
            Some("abcdefghijklmnopqrst")
        );
        assert!(!backend.confirmed);
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    }

    #[test]
    fn the_apis_word_is_kept_and_warned_about() {
        let api = Backend {
            kind: Backend::LOVABLE_CLOUD.into(),
            supabase_ref: None,
            confirmed: true,
        };
        let report = run(
            &[
                ("VITE_IGNORED", ""),
                (CONFIG, "project_id = 'zyxwvutsrqponmlkjihg'"),
            ],
            Some(api),
        );
        let backend = report.backend.unwrap();
        assert!(backend.confirmed);
        assert_eq!(
            backend.supabase_ref.as_deref(),
            Some("zyxwvutsrqponmlkjihg")
        );
        assert_eq!(report.warnings.len(), 1);
        assert!(
            report.warnings[0].contains("Lovable Cloud (Supabase project zyxwvutsrqponmlkjihg)")
        );
    }

    #[test]
    fn the_founders_own_supabase_is_not_called_lovable_cloud() {
        let api = Backend {
            kind: Backend::SUPABASE.into(),
            supabase_ref: None,
            confirmed: true,
        };
        let report = run(
            &[(CONFIG, "project_id = \"abcdefghijklmnopqrst\"")],
            Some(api),
        );
        assert_eq!(report.backend.unwrap().kind, "supabase");
        assert!(report.warnings.is_empty());
    }

    #[test]
    fn no_reference_no_entry_and_other_builders_untouched() {
        assert!(run(&[("src/App.tsx", "x")], None).backend.is_none());
        let mut tree = SourceTree::new();
        tree.insert(
            CONFIG,
            FileEntry::new(b"project_id = \"abc\"".to_vec()),
            OnDuplicate::Refuse,
        )
        .unwrap();
        let mut report = Report::default();
        name_backend(&mut Edits::new(&mut tree, &mut report, "x"));
        assert!(report.backend.is_none());
    }

    #[test]
    fn refs_are_read_from_urls_and_checked() {
        assert_eq!(
            ref_in_url("const URL = \"https://qpzkvmtdlrwhenbxyjas.supabase.co\";").as_deref(),
            Some("qpzkvmtdlrwhenbxyjas")
        );
        assert_eq!(ref_in_url("https://evil.example/.supabase.co"), None);
        assert_eq!(ref_in_config("project_id = \"../x\""), None);
    }
}
