//! The one export both front ends run: **capture** (a folder, an archive, a builder's JSON, or a
//! builder's API) → **data** (a Base44 app's rows, fetched with the source) → **normalize** →
//! **package** ([`Export`]: the tree, the report, the zip, the SQL list, the file name). The
//! popup and the CLI call it with the same [`ExportOptions`] and get the same `Export` back, so
//! no front end assembles an export itself.

use serde_json::Value;

use crate::archive::LimitKind;
use crate::builders::{self, detect_builder, BuilderSpec, Credential, Fetch, FetchConversation};
use crate::capture::{self, looks_like_json, Capture, CaptureError, Input, Options};
use crate::limits::Limits;
use crate::net::{Conversation, Outcome, Outgoing, Phase, Progress, RequestId};
use crate::normalize::prepare;
use crate::report::{Builder, Report};
use crate::sql::sql_paths;
use crate::text;
use crate::tree::SourceTree;
use crate::zip_write::write_zip_with_progress;

/// What every export is asked, the same from the popup and the CLI.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Keep the builder's files exactly as they are: no cleanup, and no data fetched beside the
    /// source.
    pub raw: bool,
    /// The builder, when the person says (`--builder`); found from the tree otherwise.
    pub builder: Option<Builder>,
    /// The Bolt chat to export (id or urlId); default the most recent.
    pub chat: Option<String>,
    /// The project's name as the person knows it (a builder page's title): named first.
    pub name_hint: Option<String>,
    /// The git ref a builder's session endpoints read (Lovable's `git/files?ref=`): the one the
    /// builder's own page reads, when the front end saw it; the builder's default otherwise.
    pub git_ref: Option<String>,
    pub limits: Limits,
}

impl ExportOptions {
    fn capture_options(&self) -> Options {
        Options {
            builder: self.builder,
            chat: self.chat.clone(),
            limits: self.limits,
            name_hint: self.name_hint.clone().filter(|n| !n.trim().is_empty()),
            fallback_name: None,
        }
    }
}

/// One export, as both front ends get it.
#[derive(Debug)]
pub struct Export {
    /// A file-name-safe project name.
    pub name: String,
    /// The project as it is delivered (normalized unless the export was raw).
    pub tree: SourceTree,
    pub report: Report,
    /// What to tell the person as the export finishes, beside the report.
    pub notes: Vec<String>,
}

impl Export {
    /// The zip's file name: `<name>-export.zip`.
    pub fn file_name(&self) -> String {
        format!("{}-export.zip", self.name)
    }

    /// The SQL files a database push applies, in its order.
    pub fn sql_paths(&self) -> Vec<&str> {
        sql_paths(&self.tree)
            .into_iter()
            .map(|p| p.as_str())
            .collect()
    }

    /// The zip's bytes (deterministic: the same tree gives the same bytes).
    pub fn zip(&self) -> Vec<u8> {
        self.zip_with_progress(|_, _| {})
    }

    /// The zip's bytes, calling `progress(files done, files)` as it goes.
    pub fn zip_with_progress(&self, progress: impl FnMut(usize, usize)) -> Vec<u8> {
        write_zip_with_progress(&self.tree, progress)
    }
}

/// Exports a folder's files, an archive or a builder's JSON (the shape decided by content).
pub fn export(input: Input<'_>, options: &ExportOptions) -> Result<Export, CaptureError> {
    let captured = capture(input, options)?;
    Ok(package(captured, options.raw))
}

/// Reads an input into a capture, not yet cleaned up: what the popup shows before an export.
pub fn capture(input: Input<'_>, options: &ExportOptions) -> Result<Capture, CaptureError> {
    let capture_options = options.capture_options();
    let (captured, owner) = match input {
        Input::Bytes { name, bytes } if looks_like_json(bytes) => {
            read_json(name, bytes, &capture_options)?
        }
        input => (capture::capture(input, &capture_options)?, None),
    };
    Ok(with_builder(captured, options, owner))
}

/// A builder's own JSON format, read by the builder whose format it is. The archives' caps hold
/// for JSON too: the input's size before it is parsed, the files it holds after.
fn read_json(
    name: &str,
    bytes: &[u8],
    options: &Options,
) -> Result<(Capture, Option<Builder>), CaptureError> {
    let shown = text::excerpt(name);
    let limits = options.limits;
    let too_large = |limit| CaptureError::InputLimit {
        name: shown.clone(),
        limit,
    };
    // A byte-order mark is not JSON, but editors write one: it is accepted.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.len() as u64 > limits.max_total_bytes {
        return Err(too_large(LimitKind::TotalSize {
            max: limits.max_total_bytes,
        }));
    }
    let unknown = || CaptureError::UnknownJson {
        name: shown.clone(),
        accepted: builders::ALL
            .iter()
            .filter_map(|s| s.json.as_ref().map(|f| f.shape))
            .collect::<Vec<_>>()
            .join(" or "),
    };
    let json: Value = serde_json::from_slice(bytes).map_err(|e| CaptureError::BadJson {
        name: shown.clone(),
        detail: match lone_surrogate(bytes) {
            Some((line, column)) => format!(
                "a lone UTF-16 surrogate escape (half of a character) at line {line} column {column}"
            ),
            None => text::excerpt(&e.to_string()),
        },
    })?;
    let (spec, format) = builders::ALL
        .iter()
        .find_map(|s| {
            s.json
                .as_ref()
                .filter(|f| (f.accepts)(&json))
                .map(|f| (s, f))
        })
        .ok_or_else(unknown)?;
    drop(json);
    let mut report = Report::default();
    let read = (format.read)(name, bytes, options, &mut report)?;
    if read.tree.len() > limits.max_entries {
        return Err(too_large(LimitKind::Entries {
            max: limits.max_entries,
        }));
    }
    let total: u64 = read.tree.iter().map(|(_, f)| f.bytes.len() as u64).sum();
    if total > limits.max_total_bytes {
        return Err(too_large(LimitKind::TotalSize {
            max: limits.max_total_bytes,
        }));
    }
    Ok((capture::finish(read, options, report)?, Some(spec.builder)))
}

/// Where JSON text holds a `\uD800`–`\uDFFF` escape that is not one half of a pair (line and
/// column, 1-based), which serde reports only as a broken escape.
fn lone_surrogate(bytes: &[u8]) -> Option<(usize, usize)> {
    let unit = |at: usize| -> Option<u16> {
        let hex = bytes.get(at + 2..at + 6)?;
        (bytes.get(at..at + 2)? == b"\\u")
            .then(|| u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok())
            .flatten()
    };
    let (mut line, mut line_start, mut i) = (1, 0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\\' => {
                if let Some(u) = unit(i) {
                    let paired = (0xd800..=0xdbff).contains(&u)
                        && unit(i + 6).is_some_and(|low| (0xdc00..=0xdfff).contains(&low));
                    if paired {
                        i += 12;
                        continue;
                    }
                    if (0xd800..=0xdfff).contains(&u) {
                        return Some((line, i - line_start + 1));
                    }
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The builder of a capture: the one the person named; else the one whose marks the tree
/// carries most; else the builder the project came from (its format or its API), since a
/// project with no marks left is still that builder's.
fn with_builder(mut captured: Capture, options: &ExportOptions, owner: Option<Builder>) -> Capture {
    captured.report.builder = options.builder.unwrap_or_else(|| {
        let detected = detect_builder(&captured.tree);
        match owner {
            Some(owner) if detected == Builder::UNKNOWN => owner,
            _ => detected,
        }
    });
    captured
}

/// Cleans the capture up (unless raw) and packages it.
fn package(mut captured: Capture, raw: bool) -> Export {
    prepare(&mut captured, raw);
    Export {
        name: captured.name,
        tree: captured.tree,
        report: captured.report,
        notes: captured.notes,
    }
}

/// Starts fetching project `id` from `builder`'s API with the person's session `token` (`api`
/// replaces the builder's origins, for tests), as [`ExportSession`].
pub fn fetch(
    builder: &'static BuilderSpec,
    id: &str,
    token: &str,
    api: Option<String>,
    options: &ExportOptions,
) -> Result<ExportSession, CaptureError> {
    fetch_as(builder, id, Credential::Session, token, api, options)
}

/// [`fetch`] with a `token` that is `credential`: a key for the builder's official API
/// ([`crate::builders::RemoteSpec::key_var`]) takes the documented endpoints.
pub fn fetch_as(
    builder: &'static BuilderSpec,
    id: &str,
    credential: Credential,
    token: &str,
    api: Option<String>,
    options: &ExportOptions,
) -> Result<ExportSession, CaptureError> {
    let Some(remote) = &builder.remote else {
        return Err(CaptureError::UnknownInput {
            name: format!("{}:{id}", builder.builder),
        });
    };
    let fetch = Fetch {
        id: id.to_string(),
        token: token.to_string(),
        credential,
        api,
        options: options.capture_options(),
        data: !options.raw,
        git_ref: options.git_ref.clone().filter(|r| !r.is_empty()),
    };
    Ok(ExportSession {
        fetch: (remote.start)(fetch)?,
        options: options.clone(),
        owner: builder.builder,
    })
}

/// An export whose capture comes from a builder's API: driven like any conversation, it
/// finishes with the [`Export`].
pub struct ExportSession {
    fetch: FetchConversation,
    options: ExportOptions,
    owner: Builder,
}

impl Conversation for ExportSession {
    type Output = Result<Export, CaptureError>;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        self.fetch.poll_transmit(now_ms)
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        self.fetch.handle(id, outcome, now_ms);
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.fetch.next_wakeup()
    }

    fn progress(&self) -> Progress {
        self.fetch.progress()
    }

    fn phase(&self) -> Option<Phase> {
        self.fetch.phase()
    }

    fn is_finished(&self) -> bool {
        self.fetch.is_finished()
    }

    fn finish(self) -> Self::Output {
        let captured = self.fetch.finish()?;
        let captured = with_builder(captured, &self.options, Some(self.owner));
        Ok(package(captured, self.options.raw))
    }
}

#[cfg(test)]
mod tests;
