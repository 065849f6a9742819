//! The `source-code` response, `{"files": [{"name", "contents", "binary"}]}` with binary
//! contents in base64: from the API, or saved as a `.json` file by the user.

use serde::Deserialize;
use thiserror::Error;

use crate::tree::FileEntry;

#[derive(Deserialize)]
struct SourceCode {
    files: Vec<SourceFile>,
}

#[derive(Deserialize)]
struct SourceFile {
    name: String,
    #[serde(default)]
    contents: Option<String>,
    #[serde(default)]
    binary: bool,
}

/// The JSON is not a `source-code` response.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{name}: not a Lovable source-code response ({detail})")]
pub struct SourceCodeError {
    pub name: String,
    pub detail: String,
}

/// Files (unvalidated path, contents) and what was skipped with why.
pub type Files = (Vec<(String, FileEntry)>, Vec<(String, String)>);

/// Whether `json` has the shape of a `source-code` response.
pub fn is_source_code(json: &serde_json::Value) -> bool {
    json.get("files")
        .and_then(|f| f.as_array())
        .is_some_and(|files| {
            files
                .iter()
                .all(|f| f.get("name").is_some_and(|n| n.is_string()))
        })
}

/// Reads a `source-code` response named `name` (for messages).
pub fn parse_source_code(name: &str, bytes: &[u8]) -> Result<Files, SourceCodeError> {
    let parsed: SourceCode = serde_json::from_slice(bytes).map_err(|e| SourceCodeError {
        name: crate::text::excerpt(name),
        detail: crate::text::excerpt(&e.to_string()),
    })?;
    let mut files = Vec::with_capacity(parsed.files.len());
    let mut skipped = Vec::new();
    for file in parsed.files {
        let Some(contents) = file.contents else {
            skipped.push((file.name, "Lovable sent no contents for this file".into()));
            continue;
        };
        if !file.binary {
            files.push((file.name, FileEntry::new(contents.into_bytes())));
            continue;
        }
        match crate::b64::decode(contents.trim(), crate::b64::Alphabet::Standard) {
            Ok(bytes) => files.push((file.name, FileEntry::new(bytes))),
            Err(e) => skipped.push((
                file.name,
                format!("binary contents are not valid base64: {e}"),
            )),
        }
    }
    Ok((files, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_base64() {
        let json = br#"{"files": [
            {"name": "src/App.tsx", "contents": "export {}\n", "binary": false},
            {"name": "public/a.png", "contents": "iVBORw0KGgo=", "binary": true},
            {"name": "bad.png", "contents": "%%%", "binary": true},
            {"name": "gone.txt"}
        ]}"#;
        let (files, skipped) = parse_source_code("s.json", json).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].1.bytes, b"\x89PNG\r\n\x1a\n");
        let names: Vec<_> = skipped.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["bad.png", "gone.txt"]);
        assert!(is_source_code(&serde_json::from_slice(json).unwrap()));
        assert!(!is_source_code(
            &serde_json::json!({"files": [{"path": "x"}]})
        ));
        assert!(parse_source_code("s.json", b"{\"files\": 3}").is_err());
    }
}
