//! Bolt's marks: the `.bolt/` folder (template, prompt, ignore list, discarded migrations)
//! and social images served from bolt.new.

use crate::edit::html::{edit_lines, meta};
use crate::edit::Edits;

/// Removes every Bolt mark the tree carries.
pub fn remove_bolt(edits: &mut Edits<'_>) {
    edits.remove_folder(
        ".bolt",
        "Bolt's own settings (template, prompt, ignore list)",
    );
    let Some(html) = edits.text("index.html") else {
        return;
    };
    let edited = edit_lines(&html, |line| {
        let (key, content) = meta(line)?;
        let bolt_image =
            matches!(key, "og:image" | "twitter:image") && content.contains("bolt.new/");
        bolt_image.then_some(None)
    });
    edits.set_text(
        "index.html",
        edited,
        "removed social images served from bolt.new",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;
    use crate::tree::{FileEntry, OnDuplicate, SourceTree};

    #[test]
    fn drops_bolt_folder_and_images_only() {
        let mut tree = SourceTree::new();
        let html = "<head>\n<meta property=\"og:image\" content=\"https://bolt.new/static/og_default.png\" />\n<meta property=\"og:image:alt\" content=\"x\" />\n</head>\n";
        for (p, c) in [
            (".bolt/config.json", "{}"),
            (".bolt/prompt", "p"),
            ("index.html", html),
            ("src/a.ts", "a"),
        ] {
            tree.insert(p, FileEntry::new(c.as_bytes()), OnDuplicate::Refuse)
                .unwrap();
        }
        let mut report = Report::default();
        remove_bolt(&mut Edits::new(&mut tree, &mut report, "app"));
        let paths: Vec<_> = tree.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(paths, ["index.html", "src/a.ts"]);
        assert_eq!(
            tree.get("index.html").unwrap().bytes,
            b"<head>\n<meta property=\"og:image:alt\" content=\"x\" />\n</head>\n"
        );
        assert_eq!(report.changes.len(), 2);
    }
}
