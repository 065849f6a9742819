//! The export module's bindings: the core's export pipeline on what the page or the drop page
//! hands over, the zip workers' two steps, and (feature `bench`, never shipped: they cost the
//! module 1.8 KB gzipped) the benchmarks' entry points.

use js_sys::{Array, Uint8Array};
use liftoff_core::builders;
use liftoff_core::capture::Input;
use liftoff_core::path::ProjectPath;
use liftoff_core::pipeline::{self, Export, ExportOptions};
#[cfg(feature = "bench")]
use liftoff_core::tree::{FileEntry, OnDuplicate, SourceTree};
use liftoff_core::zip_write::{self, Directory, Level, Packed, Packer};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{flag, js_error, to_js};

/// The name a history dump is read under (in messages).
const BOLT_HISTORY: &str = "boltHistory";

fn options(chat_hint: Option<String>, raw: Option<bool>) -> ExportOptions {
    ExportOptions {
        chat: chat_hint.filter(|c| !c.is_empty()),
        raw: raw.unwrap_or(false),
        ..ExportOptions::default()
    }
}

/// What the popup shows before an export: `{builder, name, files, skipped: [{path, reason}]}`.
#[wasm_bindgen(js_name = inspectBoltHistory)]
pub fn inspect_bolt_history(
    dump_json: &str,
    chat_hint: Option<String>,
) -> Result<JsValue, JsValue> {
    let input = Input::Bytes {
        name: BOLT_HISTORY,
        bytes: dump_json.as_bytes(),
    };
    let captured = pipeline::capture(input, &options(chat_hint, None)).map_err(|e| js_error(&e))?;
    to_js(&captured.summary()).map_err(JsValue::from)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportMeta<'a> {
    name: &'a str,
    file_name: String,
    report: &'a liftoff_core::Report,
    /// The SQL files a database push would apply, in its order (the popup's Database step).
    sql: Vec<&'a str>,
    /// What the export did and what is left to do, in Markdown (a pull request's summary).
    pr_summary: String,
}

/// Captures the chat, normalizes it (unless `raw`) and zips it as `zip` asks ([`ZipChoice`]):
/// `{name, fileName, report, sql, zip: Uint8Array}` (or the files). Throws an `Error` with a
/// `code`.
#[wasm_bindgen(js_name = exportBoltHistory)]
pub fn export_bolt_history(
    dump_json: &str,
    chat_hint: Option<String>,
    raw: Option<bool>,
    zip: JsValue,
) -> Result<JsValue, JsValue> {
    let input = Input::Bytes {
        name: BOLT_HISTORY,
        bytes: dump_json.as_bytes(),
    };
    let export = pipeline::export(input, &options(chat_hint, raw)).map_err(|e| js_error(&e))?;
    export_result(&export, ZipChoice::from_js(&zip)).map_err(JsValue::from)
}

/// Reads an archive (a builder's download: zip, tar, tar.gz, dropped by the person or taken
/// from the builder's page), normalizes it (unless `raw`) and zips it as `zip` asks:
/// `{name, fileName, report, sql, zip: Uint8Array}`. `builder`: the builder's id when the page
/// it came from says (bolt.new's download carries no marks of its own); `name_hint`: the
/// project's name as the page shows it.
#[wasm_bindgen(js_name = exportArchive)]
pub fn export_archive(
    file_name: &str,
    bytes: &[u8],
    raw: Option<bool>,
    builder: Option<String>,
    name_hint: Option<String>,
    zip: JsValue,
) -> Result<JsValue, JsValue> {
    let input = Input::Bytes {
        name: file_name,
        bytes,
    };
    let options = ExportOptions {
        builder: builder
            .as_deref()
            .and_then(builders::by_id)
            .map(|spec| spec.builder),
        name_hint,
        ..options(None, raw)
    };
    let export = pipeline::export(input, &options).map_err(|e| js_error(&e))?;
    export_result(&export, ZipChoice::from_js(&zip)).map_err(JsValue::from)
}

/// How the worker wants an export's zip: `{fast, workers}`, each optional. `fast`: deflate at
/// level 1. `workers`: it can spread the deflating over workers, so an export with at least
/// [`SPREAD_FROM`] bytes to deflate comes back as its files instead of a zip.
#[derive(Clone, Copy, Default)]
pub(crate) struct ZipChoice {
    fast: bool,
    workers: bool,
}

impl ZipChoice {
    pub(crate) fn from_js(options: &JsValue) -> Self {
        Self {
            fast: flag(options, "fast"),
            workers: flag(options, "workers"),
        }
    }
}

/// Below this many bytes to deflate, starting workers costs more than it saves: the export
/// zips on the worker's own thread.
pub const SPREAD_FROM: u64 = 1_000_000;

/// The result every export hands to JavaScript: `{name, fileName, report, sql, prSummary}`
/// and either `zip` (its bytes) or, when `choice` says workers will zip it and it is worth
/// it, its files in the tree's (the zip's) order: `paths`, `contents` (`Uint8Array`s) and
/// `executable` (a `Uint8Array`, 1 for an executable file).
pub(crate) fn export_result(export: &Export, choice: ZipChoice) -> Result<JsValue, JsError> {
    let meta = ExportMeta {
        name: &export.name,
        file_name: export.file_name(),
        report: &export.report,
        sql: export.sql_paths(),
        pr_summary: export
            .report
            .summary_markdown(builders::display_name(export.report.builder)),
    };
    let result = to_js(&meta)?;
    let set = |key: &str, value: &JsValue| {
        js_sys::Reflect::set(&result, &key.into(), value)
            .map_err(|_| JsError::new("could not attach the zip to the result"))
    };
    if choice.workers && zip_write::deflated_bytes(&export.tree) >= SPREAD_FROM {
        let paths = Array::new();
        let contents = Array::new();
        let mut executable = Vec::with_capacity(export.tree.len());
        for (path, entry) in export.tree.iter() {
            paths.push(&path.as_str().into());
            contents.push(&Uint8Array::from(&entry.bytes[..]));
            executable.push(u8::from(entry.executable));
        }
        set("paths", &paths)?;
        set("contents", &contents)?;
        set("executable", &Uint8Array::from(&executable[..]))?;
    } else {
        let zip = zip_write::write_zip_with(&export.tree, level(choice.fast), |_, _| {});
        set("zip", &Uint8Array::from(&zip[..]))?;
    }
    Ok(result)
}

fn level(fast: bool) -> Level {
    if fast {
        Level::Fast
    } else {
        Level::Normal
    }
}

thread_local! {
    /// A worker's packers, one per level, kept between files: building a deflate state costs
    /// more than deflating a small file.
    static PACKERS: std::cell::RefCell<[Option<Packer>; 2]> = const { std::cell::RefCell::new([None, None]) };
}

/// One file's record of the zip (its local header and data), deflated at level 1 when `fast`:
/// what each zip worker does. Records are the same whichever worker makes them.
#[wasm_bindgen(js_name = packEntry)]
pub fn pack_entry(path: &str, bytes: &[u8], fast: bool) -> Result<Vec<u8>, JsError> {
    let path = ProjectPath::parse(path).map_err(|e| JsError::new(&format!("{path}: {e}")))?;
    Ok(PACKERS.with_borrow_mut(|packers| {
        packers[usize::from(fast)]
            .get_or_insert_with(|| Packer::new(level(fast)))
            .pack(&path, bytes)
            .0
    }))
}

/// The end of the zip whose records (from [`pack_entry`]) are laid down in the tree's order:
/// the central directory and end records. `heads`: the start of each record, at least its
/// header, name and extra field (the first `50 + 3 × path.length` bytes hold them);
/// `executable`: 1 for an executable file.
#[wasm_bindgen(js_name = zipDirectory)]
pub fn zip_directory(heads: Array, executable: &[u8]) -> Result<Vec<u8>, JsError> {
    let mut directory = Directory::new();
    for (i, head) in heads.iter().enumerate() {
        let head = head
            .dyn_into::<Uint8Array>()
            .map_err(|_| JsError::new("a record is not a Uint8Array"))?
            .to_vec();
        let (name, packed) =
            Packed::read(&head).ok_or_else(|| JsError::new("not a record of this zip writer"))?;
        directory.add(name, executable.get(i) == Some(&1), &packed);
    }
    let mut end = Vec::new();
    directory.finish(&mut end);
    Ok(end)
}

/// Reads parallel arrays of paths and contents into files for the core.
#[cfg(feature = "bench")]
fn files_from_js(paths: &Array, contents: &Array) -> Result<Vec<(String, FileEntry)>, JsError> {
    if paths.length() != contents.length() {
        return Err(JsError::new("paths and contents differ in length"));
    }
    paths
        .iter()
        .zip(contents.iter())
        .map(|(path, data)| {
            let path = path
                .as_string()
                .ok_or_else(|| JsError::new("a path is not a string"))?;
            let bytes = data
                .dyn_into::<Uint8Array>()
                .map_err(|_| JsError::new(&format!("{path}: contents are not a Uint8Array")))?
                .to_vec();
            Ok((path, FileEntry::new(bytes)))
        })
        .collect()
}

/// Zips files given as parallel arrays of paths and contents, as they are (the benchmark's
/// entry point for the zip alone).
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = zipFiles)]
pub fn zip_files(paths: Array, contents: Array) -> Result<Uint8Array, JsError> {
    let mut tree = SourceTree::new();
    for (path, entry) in files_from_js(&paths, &contents)? {
        tree.insert(&path, entry, OnDuplicate::Refuse)
            .map_err(|e| JsError::new(&format!("{path}: {e}")))?;
    }
    Ok(Uint8Array::from(&zip_write::write_zip(&tree)[..]))
}

/// Exports files given as parallel arrays, without zipping: the number of changes made (the
/// benchmark's entry point for normalization alone).
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = normalizeFiles)]
pub fn normalize_files(paths: Array, contents: Array) -> Result<u32, JsError> {
    let export = export_files(&paths, &contents)?;
    Ok(export.report.changes.len() as u32)
}

/// Exports and zips files given as parallel arrays: what an export does after the capture.
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = normalizeAndZip)]
pub fn normalize_and_zip(paths: Array, contents: Array) -> Result<Uint8Array, JsError> {
    let export = export_files(&paths, &contents)?;
    Ok(Uint8Array::from(&export.zip()[..]))
}

#[cfg(feature = "bench")]
fn export_files(paths: &Array, contents: &Array) -> Result<Export, JsError> {
    let input = Input::Files {
        name: "project",
        files: files_from_js(paths, contents)?,
        skipped: Vec::new(),
    };
    pipeline::export(input, &ExportOptions::default()).map_err(|e| JsError::new(&e.to_string()))
}

/// Hands the Base44 off-ramp's texts to the core (`extension/wasm/offramp-texts.js`, written by
/// `build.sh`, as JSON): they stay out of this module to keep it within its size budget.
#[wasm_bindgen(js_name = provideOfframpTexts)]
pub fn provide_offramp_texts(json: &str) -> Result<(), JsValue> {
    let texts = builders::base44::offramp::texts::Texts::from_json(json)
        .ok_or_else(|| JsValue::from_str("the off-ramp's texts are incomplete"))?;
    builders::base44::offramp::texts::provide(texts);
    Ok(())
}
