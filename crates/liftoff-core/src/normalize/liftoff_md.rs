//! `LIFTOFF.md`: the export's own account of itself, in the tree, for whoever opens the
//! project next: where it came from, what changed and why, secrets found (masked), the
//! environment to set, and what still ties it to the builder.

use crate::builders::{self, Notes};
use crate::edit::Edits;
use crate::report::{Action, Builder};

/// The file's path. Its name is a contract: users' scripts look for it.
pub const PATH: &str = "LIFTOFF.md";

/// Writes LIFTOFF.md from the report. A run that changed nothing leaves an existing one as
/// it is, so normalizing a normalized tree changes nothing.
pub fn write_liftoff_md(edits: &mut Edits<'_>) {
    if edits.report.changes.is_empty() && edits.has(PATH) {
        return;
    }
    let text = render(edits);
    edits.write(
        PATH,
        text.into_bytes(),
        "what Liftoff changed and what is left to do",
    );
}

fn builder_name(builder: Builder) -> &'static str {
    builders::display_name(builder).unwrap_or("an unknown builder")
}

fn render(edits: &Edits<'_>) -> String {
    let r = &edits.report;
    let mut out = format!(
        "# {name}: exported with Liftoff\n\n\
         This project came from {builder} ({framework}). Liftoff made it portable: it builds with \
         `npm ci && npm run build` and no longer depends on the builder's tooling. Everything \
         Liftoff changed is listed below with the reason.\n",
        name = edits.name,
        builder = builder_name(r.builder),
        framework = if r.framework.is_empty() {
            "no framework detected"
        } else {
            &r.framework
        },
    );

    out.push_str("\n## What changed\n\n");
    let changes: Vec<_> = r.changes.iter().filter(|c| c.path != PATH).collect();
    if changes.is_empty() {
        out.push_str("Nothing: the project needed no change.\n");
    }
    for action in [
        Action::Removed,
        Action::Edited,
        Action::Added,
        Action::Skipped,
    ] {
        let of_kind: Vec<_> = changes.iter().filter(|c| c.action == action).collect();
        if of_kind.is_empty() {
            continue;
        }
        let heading = match action {
            Action::Removed => "Removed",
            Action::Edited => "Edited",
            Action::Added => "Added",
            Action::Skipped => "Left out of the export",
        };
        out.push_str(&format!("\n### {heading}\n\n"));
        for c in of_kind {
            out.push_str(&format!("- `{}`: {}\n", c.path, c.reason));
        }
    }

    out.push_str("\n## Environment variables\n\n");
    if r.env.is_empty() {
        out.push_str("None needed.\n");
    } else {
        out.push_str(
            "Set these where the app is built (locally in `.env`, which stays out of git; on \
             Vercel or Netlify in the project's environment settings). `.env.example` lists them.\n\n",
        );
        for var in &r.env {
            out.push_str(&format!("- `{}`: {}\n", var.name, var.reason));
        }
    }

    out.push_str("\n## Secrets found\n\n");
    if r.secrets.is_empty() {
        out.push_str("None: no private key or secret token was found in the files.\n");
    } else {
        out.push_str(
            "These look like secrets that must never ship in front-end code. Revoke them, \
             issue new ones, and keep the new ones on a server (an edge function, a backend), \
             never in the browser bundle.\n\n",
        );
        for s in &r.secrets {
            let masked = if s.masked.is_empty() {
                String::new()
            } else {
                format!(" (`{}`)", s.masked)
            };
            out.push_str(&format!(
                "- `{}` line {}: {}{masked}\n",
                s.path, s.line, s.kind
            ));
        }
    }

    let notes: Vec<Notes> = builders::ALL.iter().map(|s| (s.notes)(edits)).collect();
    for section in notes.iter().filter_map(|n| n.section) {
        out.push('\n');
        out.push_str(section);
    }

    out.push_str("\n## What still ties it to the builder\n\n");
    if r.warnings.is_empty() && r.ties.is_empty() {
        out.push_str("Nothing that Liftoff found.\n");
    }
    for w in &r.warnings {
        out.push_str(&format!("- {w}\n"));
    }
    let offramp = notes.iter().find_map(|n| n.offramp);
    if let Some(offramp) = offramp {
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(offramp);
    }
    if !r.ties.is_empty() {
        if offramp.is_some() {
            out.push_str(
                "\n### Migration plan\n\nThe code calls Base44's SDK in these places. Those \
                 marked *served* now reach your own Supabase through the off-ramp; those marked \
                 *needs work* throw an error that names what to replace (or, for `subscribe`, \
                 do nothing) until you replace them.\n\n",
            );
        } else {
            out.push_str(&format!(
                "\n### Migration plan\n\nThe code still calls {builder} in these places. Each \
                 one needs a replacement (your own database, auth and functions) before the app \
                 can leave {builder} for good.\n\n",
                builder = builder_name(r.builder)
            ));
        }
        for tie in &r.ties {
            let place = if tie.line == 0 {
                format!("`{}`", tie.path)
            } else {
                format!("`{}:{}`", tie.path, tie.line)
            };
            let status = match (offramp.is_some(), tie.served) {
                (false, _) => "",
                (true, true) => ", served",
                (true, false) => ", needs work",
            };
            out.push_str(&format!("- {place} ({}{status}): {}\n", tie.kind, tie.what));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Change, EnvVar, Report, Secret};
    use crate::tree::SourceTree;

    #[test]
    fn renders_every_section_and_stays_put_when_nothing_changed() {
        let mut tree = SourceTree::new();
        let mut report = Report {
            builder: crate::builders::lovable::SPEC.builder,
            framework: "vite-react".into(),
            changes: vec![Change {
                path: "bun.lockb".into(),
                action: Action::Removed,
                reason: "binary lockfile".into(),
            }],
            env: vec![EnvVar {
                name: "VITE_SUPABASE_URL".into(),
                reason: "Supabase project URL".into(),
            }],
            secrets: vec![Secret {
                path: "src/a.ts".into(),
                line: 3,
                kind: "Stripe secret key".into(),
                masked: "sk_l…9Z".into(),
            }],
            warnings: vec!["src/b.ts calls Base44".into()],
            ..Report::default()
        };
        write_liftoff_md(&mut Edits::new(&mut tree, &mut report, "acme"));
        let text = String::from_utf8(tree.get(PATH).unwrap().bytes.clone()).unwrap();
        for needle in [
            "# acme: exported with Liftoff",
            "came from Lovable (vite-react)",
            "### Removed\n\n- `bun.lockb`: binary lockfile",
            "- `VITE_SUPABASE_URL`: Supabase project URL",
            "- `src/a.ts` line 3: Stripe secret key (`sk_l…9Z`)",
            "- src/b.ts calls Base44",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in\n{text}");
        }
        let mut again = Report::default();
        let before = tree.clone();
        write_liftoff_md(&mut Edits::new(&mut tree, &mut again, "acme"));
        assert_eq!(tree, before);
    }
}
