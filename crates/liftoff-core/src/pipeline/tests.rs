//! The pipeline: the builder rule, JSON formats from the registry, and fetched exports ending
//! the same as local ones.

use super::*;
use crate::net::{run_blocking, Request, Response};

fn files(list: &[(&str, &str)]) -> Input<'static> {
    Input::Files {
        name: "my-folder",
        files: list
            .iter()
            .map(|(p, c)| (p.to_string(), crate::tree::FileEntry::new(c.as_bytes())))
            .collect(),
        skipped: Vec::new(),
    }
}

#[test]
fn a_folder_is_detected_named_normalized_and_packaged() {
    let input = files(&[
        (
            "package.json",
            r#"{"name":"sb1-abc","dependencies":{"react":"18"}}"#,
        ),
        (".bolt/prompt", "x"),
        ("src/main.js", "console.log(1)\n"),
    ]);
    let export = export(input, &ExportOptions::default()).unwrap();
    assert_eq!(export.report.builder.as_str(), "bolt");
    assert_eq!(export.name, "sb1-abc");
    assert_eq!(export.file_name(), "sb1-abc-export.zip");
    assert!(export.tree.get(".bolt/prompt").is_none(), "cleaned up");
    assert!(export.tree.get("LIFTOFF.md").is_some());
    assert_eq!(export.zip(), export.zip(), "deterministic");
    assert!(export.sql_paths().is_empty());
}

#[test]
fn raw_keeps_the_files_and_the_person_may_name_the_builder() {
    let input = files(&[(".bolt/prompt", "x"), ("index.html", "<p>")]);
    let options = ExportOptions {
        raw: true,
        builder: Some(Builder::PLAIN),
        ..ExportOptions::default()
    };
    let export = export(input, &options).unwrap();
    assert_eq!(export.report.builder, Builder::PLAIN);
    assert!(export.tree.get(".bolt/prompt").is_some());
    assert_eq!(export.tree.len(), 2);
}

#[test]
fn json_goes_to_the_builder_whose_format_it_is_and_keeps_that_builder_without_marks() {
    let lovable = br#"{"files": [{"name": "src/app.js", "contents": "1", "binary": false}]}"#;
    let input = Input::Bytes {
        name: "saved.json",
        bytes: lovable,
    };
    let captured = capture(input, &ExportOptions::default()).unwrap();
    assert_eq!(captured.report.builder.as_str(), "lovable");
    let unknown = Input::Bytes {
        name: "x.json",
        bytes: b"{\"other\": 1}",
    };
    let error = capture(unknown, &ExportOptions::default()).unwrap_err();
    assert_eq!(crate::Coded::code(&error), "unknown-input");
    let message = error.to_string();
    assert!(message.contains("Bolt history dump") && message.contains("Lovable source-code"));
}

#[test]
fn a_fetch_ends_as_an_export_and_needs_a_builder_with_an_api() {
    let bolt = builders::by_id("bolt").unwrap();
    assert!(fetch(bolt, "x", "t", None, &ExportOptions::default()).is_err());
    let lovable = builders::by_id("lovable").unwrap();
    let session = fetch(
        lovable,
        "0123abcd-0000-4000-8000-000000000000",
        "token",
        Some("https://lovable.test".into()),
        &ExportOptions::default(),
    )
    .unwrap();
    // The builder's phase shows through the session (a front end names it).
    assert_eq!(session.phase(), Some(crate::net::Phase::Download));
    let body = br#"{"files": [{"name": "index.html", "contents": "<p>", "binary": false}]}"#;
    let (export, sent) = run_blocking(session, |request: &Request| {
        assert!(request.url.starts_with("https://lovable.test/"));
        crate::net::Outcome::Response(Response::new(200, body.to_vec()))
    });
    let export = export.unwrap();
    assert_eq!(sent, 1);
    assert_eq!(
        export.report.builder.as_str(),
        "lovable",
        "no marks: still Lovable's"
    );
    assert!(export.tree.get("LIFTOFF.md").is_some());
}

fn json_error(bytes: &[u8]) -> String {
    let input = Input::Bytes {
        name: "saved.json",
        bytes,
    };
    capture(input, &ExportOptions::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn json_with_a_byte_order_mark_is_read_and_broken_json_says_what_and_where() {
    let lovable =
        "\u{feff}{\"files\": [{\"name\": \"a.js\", \"contents\": \"1\", \"binary\": false}]}";
    let input = Input::Bytes {
        name: "bom.json",
        bytes: lovable.as_bytes(),
    };
    assert_eq!(
        capture(input, &ExportOptions::default())
            .unwrap()
            .tree
            .len(),
        1
    );
    let syntax = json_error(b"{\"files\": [\n  {\"name\": }\n]}");
    assert!(
        syntax.starts_with("saved.json: not valid JSON: "),
        "{syntax}"
    );
    assert!(syntax.contains("line 2 column"), "{syntax}");
    let surrogate = json_error(br#"{"chats": ["\ud800"]}"#);
    assert!(
        surrogate.ends_with("surrogate escape (half of a character) at line 1 column 13"),
        "{surrogate}"
    );
    let paired = json_error(br#"{"chats": ["\ud83d\ude00", "\\ud800"], "x"}"#);
    assert!(!paired.contains("surrogate"), "{paired}");
    let invalid = json_error(b"{\"files\": [\"\xff\xfe\"]}");
    assert!(invalid.contains("line 1 column"), "{invalid}");
    let escape = json_error(b"{\"\x1b]0;pwned\x07\": ");
    assert!(!escape.contains('\u{1b}'), "{escape:?}");
}

#[test]
fn the_archive_caps_hold_for_json_inputs() {
    let files: Vec<String> = (0..5)
        .map(|i| format!(r#"{{"name": "f{i}.js", "contents": "x", "binary": false}}"#))
        .collect();
    let json = format!(r#"{{"files": [{}]}}"#, files.join(","));
    let options = |max_entries, max_total_bytes| ExportOptions {
        limits: Limits {
            max_entries,
            max_total_bytes,
            ..Limits::default()
        },
        ..ExportOptions::default()
    };
    let read = |options: &ExportOptions| {
        capture(
            Input::Bytes {
                name: "big.json",
                bytes: json.as_bytes(),
            },
            options,
        )
    };
    assert!(read(&options(5, 1 << 20)).is_ok());
    let entries = read(&options(4, 1 << 20)).unwrap_err();
    assert_eq!(
        entries.to_string(),
        "big.json: has more than 4 entries; refusing to read further"
    );
    assert_eq!(crate::Coded::code(&entries), "too-large");
    let size = read(&options(5, 100)).unwrap_err();
    assert!(size.to_string().contains("unpacks to more than"), "{size}");
}
