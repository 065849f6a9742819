//! The targets for the core's parsers (the network conversations are in `remote.rs`).

use std::borrow::Cow;

use serde_json::{Map, Value};

use liftoff_core::archive::{read_archive, ArchiveKind};
use liftoff_core::b64::{self, Alphabet};
use liftoff_core::builders::base44::schema::{
    map_schema, migration_sql, read_entities, strip_jsonc, EntitySchema, MAX_NAME_BYTES,
};
use liftoff_core::builders::base44::seed::{seed_sql, EntityRows};
use liftoff_core::builders::bolt::history::read_history;
use liftoff_core::builders::bolt::parser::{
    parse_message, BoltAction, ParserEvent, StreamingParser,
};
use liftoff_core::builders::lovable::source_code::parse_source_code;
use liftoff_core::destinations::github::advertisement::Advertisement;
use liftoff_core::destinations::github::diff::{Comparison, Limits as DiffLimits};
use liftoff_core::destinations::github::fetch::{
    parse_capabilities, parse_fetch, parse_ls_refs, remote_tree,
};
use liftoff_core::destinations::github::pack_read::{read_pack, PackLimits};
use liftoff_core::destinations::github::pktline::{write_pkt, Pkt, PktReader, MAX_PAYLOAD};
use liftoff_core::destinations::github::remote_tree::{Listing, ListingEntry, RemoteTree};
use liftoff_core::destinations::github::report_status::parse_report_status;
use liftoff_core::destinations::github::{build_tree, object_id, BuiltTree, ObjectId, ObjectKind};
use liftoff_core::edit::json::{edit_json, remove_dependency};
use liftoff_core::edit::npm_lock::{remove_package, LockEdit};
use liftoff_core::edit::{env_vars::add_env_var, Edits};
use liftoff_core::env_file::{dotenv_vars, is_env_file, is_safe_value, is_var_name, one_line};
use liftoff_core::env_file::{parse_env, ENV};
use liftoff_core::error::Coded;
use liftoff_core::pipeline::{export, ExportOptions};
use liftoff_core::sql::quote::{literal_date, literal_timestamptz, quote_ident, quote_literal};
use liftoff_core::sql::split;
use liftoff_core::time::{epoch_ms, parse_date_time};
use liftoff_core::tree::{FileEntry, OnDuplicate};
use liftoff_core::{Input, Report, SourceTree};

use crate::checks::{
    check_error, check_message, check_tree, check_zip_round_trip, fast_limits, text,
    MAX_MESSAGE_CHARS,
};

// ---------------------------------------------------------------------------------------------
// Archives

/// `read_archive` on a zip: the input as is when it starts like one, else behind a local
/// header signature (the reader finds the end record from the back, so the rest still counts).
pub fn zip(data: &[u8]) {
    let bytes: Cow<[u8]> = match ArchiveKind::sniff(data) {
        Some(ArchiveKind::Zip) => Cow::Borrowed(data),
        _ => Cow::Owned([b"PK\x03\x04".as_slice(), data].concat()),
    };
    archive("fuzz.zip", &bytes);
}

/// `read_archive` on a tar: the input with `ustar` written where the first header keeps its
/// magic (padded to one block), so every input reaches the tar reader.
pub fn tar(data: &[u8]) {
    let mut bytes = data.to_vec();
    if bytes.len() < 512 {
        bytes.resize(512, 0);
    }
    bytes[257..262].copy_from_slice(b"ustar");
    if ArchiveKind::sniff(&bytes) != Some(ArchiveKind::Tar) {
        return; // Starts like a zip or a gzip stream: the other targets' business.
    }
    archive("fuzz.tar", &bytes);
}

/// `read_archive` on a tar.gz: the input as is when it starts like gzip, else as the deflate
/// stream behind a gzip header.
pub fn tar_gz(data: &[u8]) {
    const HEADER: &[u8] = &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let bytes: Cow<[u8]> = if data.starts_with(&[0x1f, 0x8b]) {
        Cow::Borrowed(data)
    } else {
        Cow::Owned([HEADER, data].concat())
    };
    archive("fuzz.tar.gz", &bytes);
}

fn archive(name: &str, bytes: &[u8]) {
    let limits = fast_limits();
    let mut report = Report::default();
    match read_archive(name, bytes, &limits, &mut report) {
        Ok(tree) => {
            check_tree(name, &tree);
            assert!(
                tree.len() <= limits.max_entries,
                "invariant: {name}: more files than the entry limit"
            );
            assert!(
                tree.total_bytes() <= limits.max_total_bytes,
                "invariant: {name}: more bytes than the size limit"
            );
            check_zip_round_trip(name, &tree);
        }
        Err(e) => check_error(name, &e, MAX_MESSAGE_CHARS),
    }
    for change in &report.changes {
        check_message(
            "a skipped entry's reason",
            &change.reason,
            MAX_MESSAGE_CHARS,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Bolt

/// The whole message so far, parsed in one call or fed growing prefixes: prose, events (the
/// streaming-only `ActionStream` left out) and the errors met.
struct Run {
    prose: String,
    events: Vec<ParserEvent>,
    errors: usize,
}

fn run_parser(message: &str, ends: &[usize]) -> Run {
    let mut parser = StreamingParser::new().with_thoughts_as_prose(true);
    let mut run = Run {
        prose: String::new(),
        events: Vec::new(),
        errors: 0,
    };
    for &end in ends {
        match parser.parse("message", &message[..end]) {
            Ok(prose) => run.prose.push_str(&prose),
            Err(_) => run.errors += 1,
        }
        run.events.extend(
            parser
                .take_events()
                .into_iter()
                .filter(|e| !matches!(e, ParserEvent::ActionStream(_))),
        );
    }
    run
}

/// The first byte picks a delimiter; the rest is the message. `parse_message` must stay
/// bounded, agree with one `StreamingParser` call, and (bolt.diy's contract, which the core's
/// tests check on every split of their cases) give the same prose and events when the message
/// arrives in pieces cut before each occurrence of the delimiter, except where bolt.diy itself
/// differs: a parse error, or a `<bolt-quick-actions>` block (rendered only when whole).
pub fn bolt_parser(data: &[u8]) {
    let Some((&delimiter, rest)) = data.split_first() else {
        return;
    };
    let message = text(rest);
    let parsed = parse_message(&message);
    let content: usize = parsed
        .actions
        .iter()
        .map(|a| match a {
            BoltAction::File { content, .. }
            | BoltAction::Supabase { content, .. }
            | BoltAction::Other { content, .. } => content.len(),
            BoltAction::Shell { command } | BoltAction::Start { command } => command.len(),
        })
        .sum();
    assert!(
        parsed.actions.len() * "<boltAction></boltAction>".len() <= message.len(),
        "invariant: bolt parser: more actions than the message can hold"
    );
    // Each action's content is its own part of the message, trimmed, plus a newline for files.
    assert!(
        content <= message.len() + parsed.actions.len(),
        "invariant: bolt parser: the actions hold more than the message"
    );

    let whole = run_parser(&message, &[message.len()]);
    assert!(
        whole.prose.len() <= 16 * message.len() + 1024,
        "invariant: bolt parser: {} bytes of prose from {} bytes",
        whole.prose.len(),
        message.len()
    );
    let closed: Vec<_> = whole
        .events
        .iter()
        .cloned()
        .filter_map(ParserEvent::into_closed_action)
        .collect();
    assert_eq!(
        closed, parsed.actions,
        "invariant: parse_message and StreamingParser disagree"
    );
    assert_eq!(
        whole.errors,
        usize::from(parsed.error.is_some()),
        "invariant: parse_message and StreamingParser disagree on the error"
    );
    if let Some(error) = &parsed.error {
        check_error("bolt parse error", error, MAX_MESSAGE_CHARS);
    }

    let mut ends: Vec<usize> = message
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == delimiter)
        .map(|(i, _)| (i..=message.len()).find(|&p| message.is_char_boundary(p)))
        .map(|p| p.unwrap_or(message.len()))
        .filter(|&p| p > 0 && p < message.len())
        .take(64)
        .collect();
    ends.dedup();
    ends.push(message.len());
    let pieces = run_parser(&message, &ends);
    if whole.errors == 0 && pieces.errors == 0 && !message.contains("<bolt-quick-actions>") {
        assert_eq!(
            pieces.prose, whole.prose,
            "invariant: the prose depends on how the message was cut ({ends:?})"
        );
        assert_eq!(
            pieces.events, whole.events,
            "invariant: the events depend on how the message was cut ({ends:?})"
        );
    }
}

/// `read_history` of a `boltHistory` dump: the most recent chat and a chat that is not there.
pub fn bolt_history(data: &[u8]) {
    for chat in [None, Some("no-such-chat")] {
        let mut report = Report::default();
        match read_history("history.json", data, chat, &mut report) {
            Ok(project) => check_tree("bolt history", &project.tree),
            Err(e) => check_error("bolt history error", &e, MAX_MESSAGE_CHARS),
        }
        for change in &report.changes {
            check_message("a skipped file's reason", &change.reason, MAX_MESSAGE_CHARS);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lovable and the pipeline

/// `parse_source_code`, and the whole export of the input as `project.json` (any builder's
/// JSON, or an archive: the pipeline decides by content), and base64 both ways.
pub fn lovable_json(data: &[u8]) {
    match parse_source_code("source-code.json", data) {
        Ok((files, skipped)) => {
            for (_, why) in &skipped {
                check_message("a skipped Lovable file's reason", why, MAX_MESSAGE_CHARS);
            }
            drop(files);
        }
        Err(e) => check_error("source-code error", &e, MAX_MESSAGE_CHARS),
    }

    let input = Input::Bytes {
        name: "project.json",
        bytes: data,
    };
    match export(input, &ExportOptions::default()) {
        Ok(done) => {
            check_tree("export", &done.tree);
            let name_ok = !done.name.is_empty()
                && done.name.len() <= 64
                && done
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            assert!(
                name_ok,
                "invariant: export name {:?} is not file-name safe",
                done.name
            );
            check_zip_round_trip("export", &done.tree);
            assert!(
                serde_json::to_string(&done.report).is_ok(),
                "invariant: the report does not serialize"
            );
        }
        Err(e) => {
            assert!(!e.code().is_empty(), "invariant: an error without a code");
            check_error("export error", &e, MAX_MESSAGE_CHARS);
        }
    }

    let trimmed = text(data);
    for alphabet in [Alphabet::Standard, Alphabet::UrlSafe] {
        if let Ok(bytes) = b64::decode(trimmed.trim(), alphabet) {
            let again = b64::decode(b64::encode(&bytes), Alphabet::Standard);
            assert_eq!(
                again.as_deref(),
                Ok(bytes.as_slice()),
                "invariant: base64 does not round-trip"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Base44

/// The entity schemas and rows in `value`: `{"entities": [...], "rows": {"Name": [...]}}`, a
/// list of schemas, or one schema.
fn entities_and_rows(value: Value) -> (Vec<EntitySchema>, Vec<EntityRows>) {
    let (schemas, rows) = match value {
        Value::Array(items) => (items, Map::new()),
        Value::Object(mut map) if map.contains_key("entities") => {
            let schemas = match map.remove("entities") {
                Some(Value::Array(items)) => items,
                Some(other) => vec![other],
                None => Vec::new(),
            };
            let rows = match map.remove("rows") {
                Some(Value::Object(rows)) => rows,
                _ => Map::new(),
            };
            (schemas, rows)
        }
        other => (vec![other], Map::new()),
    };
    let entities = schemas
        .into_iter()
        .enumerate()
        .filter_map(|(i, schema)| {
            let Value::Object(json) = schema else {
                return None;
            };
            let name = match json.get("name") {
                Some(Value::String(n)) if !n.trim().is_empty() => n.trim().to_string(),
                _ => format!("Entity{i}"),
            };
            Some(EntitySchema {
                path: format!("base44/entities/{i}.jsonc"),
                name,
                json,
            })
        })
        .collect();
    let rows = rows
        .into_iter()
        .map(|(entity, rows)| EntityRows {
            entity,
            rows: match rows {
                Value::Array(rows) => rows,
                other => vec![other],
            },
        })
        .collect();
    (entities, rows)
}

/// Entity schemas (JSON with comments, as the Base44 CLI writes them) mapped to tables: names
/// unique and within PostgreSQL's 63 bytes; the migration splits into exactly the statements
/// it is made of (so no name or value escaped its quotes); the seed of the rows into one INSERT
/// per row written, every row accounted for.
pub fn base44_schema(data: &[u8]) {
    let source = text(data);
    // The reader of the tree, both layouts.
    let mut tree = SourceTree::new();
    for path in ["base44/entities/fuzz.jsonc", "entities/Fuzz"] {
        let _ = tree.insert(path, FileEntry::new(data), OnDuplicate::Refuse);
    }
    let (from_tree, warnings) = read_entities(&tree);
    for warning in &warnings {
        check_message("schema warning", warning, MAX_MESSAGE_CHARS);
    }
    check_schema(&from_tree, &[]);

    let Ok(value) = serde_json::from_str::<Value>(&strip_jsonc(&source)) else {
        return;
    };
    let (entities, rows) = entities_and_rows(value);
    check_schema(&entities, &rows);
}

fn check_schema(entities: &[EntitySchema], rows: &[EntityRows]) {
    let schema = map_schema(entities);
    assert_eq!(
        schema.tables.len(),
        entities.len(),
        "invariant: not one table per entity"
    );
    let mut names = std::collections::BTreeSet::new();
    for table in &schema.tables {
        let ok = !table.name.is_empty()
            && table.name.len() <= MAX_NAME_BYTES
            && quote_ident(&table.name).is_ok();
        assert!(ok, "invariant: table name {:?} is not usable", table.name);
        assert!(
            names.insert(table.name.clone()),
            "invariant: two tables named {:?}",
            table.name
        );
        let mut columns = std::collections::BTreeSet::new();
        for column in &table.columns {
            let ok = !column.name.is_empty()
                && column.name.len() <= MAX_NAME_BYTES
                && quote_ident(&column.name).is_ok();
            assert!(ok, "invariant: column name {:?} is not usable", column.name);
            assert!(
                columns.insert(column.name.clone()),
                "invariant: two columns named {:?} in {}",
                column.name,
                table.name
            );
        }
    }
    let sql = migration_sql(&schema);
    let got: Vec<String> = split(&sql).iter().map(|s| s.keyword()).collect();
    let mut want: Vec<&str> = vec!["create", "create", "alter"];
    for _ in &schema.tables {
        want.extend(["create", "create", "create", "alter"]);
    }
    want.extend(["do", "notify"]);
    assert_eq!(
        got, want,
        "invariant: the migration is not one statement per thing (a name or value escaped its quotes)"
    );

    if rows.is_empty() {
        return;
    }
    let seed = seed_sql(&schema, rows);
    let total: usize = rows.iter().map(|r| r.rows.len()).sum();
    let inserted: usize = seed.inserted.values().sum();
    assert_eq!(
        inserted + seed.unmapped.len() + seed.repeated,
        total,
        "invariant: a row of the seed is not accounted for"
    );
    let statements = split(&seed.sql);
    assert_eq!(
        statements.len(),
        inserted + seed.unmapped.len(),
        "invariant: the seed is not one INSERT per row (a value escaped its quotes)"
    );
    assert!(
        statements.iter().all(|s| s.keyword() == "insert"),
        "invariant: the seed holds a statement that is not an INSERT"
    );
    for row in &seed.unmapped {
        check_message(
            "an unmapped row's reason",
            &row.reason,
            2 * MAX_MESSAGE_CHARS,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// .env

/// The input as a project's `.env` (and `.env.example`): what `parse_env` reads is well formed,
/// a safe value written as `NAME="value"` reads back as itself, and a variable the core adds
/// with `add_env_var` reads back while the file's own variables keep their values.
pub fn env_file(data: &[u8]) {
    let source = text(data);
    for var in parse_env(&source) {
        assert!(
            is_var_name(&var.name),
            "invariant: parse_env read the name {:?}",
            var.name
        );
        if is_safe_value(&var.value) {
            let line = format!("{}=\"{}\"\n", var.name, var.value);
            let back: Vec<(String, String)> = parse_env(&line)
                .into_iter()
                .map(|v| (v.name, v.value))
                .collect();
            assert_eq!(
                back,
                [(var.name.clone(), var.value.clone())],
                "invariant: a safe value does not read back as itself"
            );
        }
    }
    let flat = one_line(&source);
    assert!(
        !flat.contains(['\n', '\r']),
        "invariant: one_line left a line break"
    );
    let _ = is_env_file(&source);

    let mut tree = SourceTree::new();
    let _ = tree.insert(ENV, FileEntry::new(data), OnDuplicate::Refuse);
    let _ = tree.insert(".env.example", FileEntry::new(data), OnDuplicate::Refuse);
    let before = dotenv_vars(&tree);
    let mut report = Report::default();
    let added = {
        let mut edits = Edits::new(&mut tree, &mut report, "fuzz");
        add_env_var(
            &mut edits,
            "LIFTOFF_FUZZ_ADDED",
            "added-value 1",
            "fuzz: a new variable",
        )
    };
    let already = before.iter().any(|(n, _)| n == "LIFTOFF_FUZZ_ADDED");
    let after = dotenv_vars(&tree);
    // A file that ends inside a quote that never closes is left alone, and says so.
    let refused_open_quote = !added
        && report
            .warnings
            .iter()
            .any(|w| w.contains("never closed") && w.contains("LIFTOFF_FUZZ_ADDED"));
    if std::str::from_utf8(data).is_ok() && !already && !refused_open_quote {
        assert!(added, "invariant: add_env_var refused a safe variable");
        assert!(
            after
                .iter()
                .any(|(n, v)| n == "LIFTOFF_FUZZ_ADDED" && v == "added-value 1"),
            "invariant: the variable add_env_var wrote does not read back from .env: {after:?}"
        );
        for (name, value) in &before {
            assert!(
                after.iter().any(|(n, v)| n == name && v == value),
                "invariant: adding a variable changed {name} in .env"
            );
        }
        let example = tree
            .get(".env.example")
            .map(|f| text(&f.bytes))
            .unwrap_or_default();
        let example_refused = report
            .warnings
            .iter()
            .any(|w| w.contains(".env.example ends inside") && w.contains("LIFTOFF_FUZZ_ADDED"));
        assert!(
            example_refused
                || parse_env(&example)
                    .iter()
                    .any(|v| v.name == "LIFTOFF_FUZZ_ADDED"),
            "invariant: the variable is not listed in .env.example"
        );
    }
    for warning in &report.warnings {
        check_message("env warning", warning, MAX_MESSAGE_CHARS);
    }
}

// ---------------------------------------------------------------------------------------------
// package.json and package-lock.json

/// The names removed: Lovable's tagger (what the core removes), and the first dependency the
/// input lists, so removals happen.
fn names_to_remove(value: &Value) -> Vec<String> {
    let mut names = vec!["lovable-tagger".to_string()];
    let roots = [value, value.pointer("/packages/").unwrap_or(&Value::Null)];
    for root in roots {
        for key in ["dependencies", "devDependencies", "peerDependencies"] {
            if let Some(first) = root
                .get(key)
                .and_then(Value::as_object)
                .and_then(|m| m.keys().next())
            {
                names.push(first.clone());
            }
        }
    }
    names.dedup();
    names.truncate(3);
    names
}

/// `edit_json` with `remove_dependency` (package.json) and with `remove_package`
/// (package-lock.json): an edited file is JSON again, holds what was edited, no longer names the
/// dependency, and removing the same package again finds nothing.
pub fn package_edits(data: &[u8]) {
    let source = text(data);
    let Ok(original) = serde_json::from_str::<Value>(&source) else {
        assert!(
            edit_json(&source, |_| true).is_none(),
            "invariant: edit_json printed text that is not JSON"
        );
        return;
    };
    for name in names_to_remove(&original) {
        let mut expected = original.clone();
        let removed = remove_dependency(&mut expected, &name);
        match edit_json(&source, |v| remove_dependency(v, &name)) {
            Some(out) => {
                assert!(
                    removed,
                    "invariant: edit_json edited when nothing was removed"
                );
                let back: Value = serde_json::from_str(&out)
                    .unwrap_or_else(|e| panic!("invariant: edited package.json is not JSON: {e}"));
                assert!(
                    back == expected,
                    "invariant: the edited package.json is not what was edited"
                );
                for key in ["dependencies", "devDependencies", "optionalDependencies"] {
                    assert!(
                        back.get(key).and_then(|m| m.get(&name)).is_none(),
                        "invariant: {name} is still in {key}"
                    );
                }
            }
            None => assert!(!removed, "invariant: edit_json lost an edit"),
        }

        let mut outcome = LockEdit::Absent;
        let edited = edit_json(&source, |v| {
            outcome = remove_package(v, &name);
            matches!(outcome, LockEdit::Removed(_))
        });
        if let Some(out) = edited {
            let mut back: Value = serde_json::from_str(&out)
                .unwrap_or_else(|e| panic!("invariant: edited lockfile is not JSON: {e}"));
            let again = remove_package(&mut back, &name);
            assert_eq!(
                again,
                LockEdit::Absent,
                "invariant: removing {name} from the lockfile twice removed more"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SQL

/// `sql::split`: statements are slices of the input, in order, not overlapping, trimmed, with
/// the right numbers and lines; between them only whitespace, `;` and comments (splitting a gap
/// finds nothing); written back with `terminated()` they split into the same statements. Also:
/// any text quoted by `quote_literal`/`quote_ident` stays one token, and dates that make a
/// literal are well formed.
pub fn sql_split(data: &[u8]) {
    let sql = text(data);
    let statements = split(&sql);
    let base = sql.as_ptr() as usize;
    let mut previous_end = 0;
    for (i, s) in statements.iter().enumerate() {
        let start = s.text.as_ptr() as usize - base;
        let end = start + s.text.len();
        assert!(
            start >= previous_end && end <= sql.len(),
            "invariant: statement {} is not after the one before it",
            i + 1
        );
        assert_eq!(s.number, i + 1, "invariant: statements numbered wrong");
        assert!(!s.text.is_empty(), "invariant: an empty statement");
        assert_eq!(
            s.text.trim_end(),
            s.text,
            "invariant: a statement ends in blanks"
        );
        assert!(
            !s.text.starts_with(|c: char| c.is_ascii_whitespace())
                && !s.text.starts_with("--")
                && !s.text.starts_with("/*")
                && !s.text.starts_with(';'),
            "invariant: statement {} starts with a blank, a comment or ';'",
            i + 1
        );
        assert_eq!(
            s.line,
            1 + sql[..start].matches('\n').count(),
            "invariant: statement {} has the wrong line",
            i + 1
        );
        let gap = &sql[previous_end..start];
        assert!(
            split(gap).is_empty(),
            "invariant: the text between statements {} and {} holds a statement: {gap:?}",
            i,
            i + 1
        );
        let _ = s.summary(80);
        let _ = s.keyword();
        previous_end = end;
    }
    assert!(
        split(&sql[previous_end..]).is_empty(),
        "invariant: the text after the last statement holds a statement"
    );
    if let Some((last, rest)) = statements.split_last() {
        // Only the last statement can hold an unterminated string or comment (it runs to the
        // end); every other one must split back exactly.
        let joined: String = statements.iter().map(|s| s.terminated()).collect();
        let again = split(&joined);
        let texts: Vec<&str> = again.iter().map(|s| s.text).collect();
        let want: Vec<&str> = rest.iter().map(|s| s.text).collect();
        assert!(
            texts.len() == statements.len()
                && texts[..rest.len()] == want[..]
                && texts[rest.len()].starts_with(last.text),
            "invariant: terminated() statements split into {texts:?}, not {:?}",
            statements.iter().map(|s| s.text).collect::<Vec<_>>()
        );
    }

    // Quoting: whatever the text, a quoted literal and a quoted name stay one token each.
    let piece: String = sql.chars().take(200).collect();
    if let (Ok(literal), Ok(ident)) = (quote_literal(&piece), quote_ident(&piece)) {
        let query = format!("select {literal} as {ident} from t; select 2");
        let texts: Vec<&str> = split(&query).iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [&query[..query.len() - "; select 2".len()], "select 2"],
            "invariant: a quoted literal or name broke out of its quotes"
        );
    }
    for line in sql.lines().take(8) {
        if let Ok(literal) = literal_timestamptz(line).or_else(|_| literal_date(line)) {
            assert_eq!(
                split(&format!("select {literal}; select 2")).len(),
                2,
                "invariant: a date literal broke out of its quotes"
            );
        }
        if let Some(ms) = epoch_ms(line) {
            let shape = parse_date_time(line);
            assert!(
                shape.is_some_and(|s| s.has_time && s.has_offset),
                "invariant: epoch_ms read {line:?} ({ms}) that is no full date-time"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// git's wire protocol

/// The pkt-line reader: packets written back with `write_pkt` are the input (hex digits aside,
/// which may be upper case), an error ends the stream, payloads fit the length prefix.
pub fn pktline(data: &[u8]) {
    let mut reader = PktReader::new(data);
    let mut written = Vec::new();
    let mut failed = false;
    let mut count = 0usize;
    while let Some(next) = reader.next() {
        count += 1;
        assert!(
            count <= data.len() / 4 + 1,
            "invariant: more packets than the input can hold"
        );
        match next {
            Ok(Pkt::Flush) => written.extend_from_slice(b"0000"),
            Ok(Pkt::Delim) => written.extend_from_slice(b"0001"),
            Ok(Pkt::ResponseEnd) => written.extend_from_slice(b"0002"),
            Ok(Pkt::Data(payload)) => {
                if payload.len() > MAX_PAYLOAD {
                    // Longer than git writes; the reader takes it, the writer would not.
                    let len = payload.len() + 4;
                    written.extend_from_slice(format!("{len:04x}").as_bytes());
                    written.extend_from_slice(payload);
                } else {
                    write_pkt(&mut written, payload).expect("the payload fits");
                }
            }
            Err(e) => {
                check_error("pkt-line error", &e, MAX_MESSAGE_CHARS);
                failed = true;
                assert!(
                    reader.remaining().is_empty(),
                    "invariant: the reader goes on after an error"
                );
            }
        }
    }
    assert!(
        failed || reader.remaining().is_empty(),
        "invariant: input left after the last packet"
    );
    if !failed {
        assert!(
            written.eq_ignore_ascii_case(data),
            "invariant: packets written back differ from the input"
        );
    }
}

/// The ref advertisement of `info/refs`: refs with a name and a full object id, and messages
/// fit to show.
pub fn advertisement(data: &[u8]) {
    match Advertisement::parse(data) {
        Ok(ad) => {
            for (name, oid) in &ad.refs {
                assert!(
                    !name.is_empty() && !name.contains(' '),
                    "invariant: the advertisement has the ref name {name:?}"
                );
                assert_eq!(
                    ObjectId::from_hex(&oid.to_hex()),
                    Some(*oid),
                    "invariant: object ids do not round-trip"
                );
                assert!(ad.get(name).is_some(), "invariant: get misses {name}");
            }
            for capability in &ad.capabilities {
                assert!(
                    !capability.is_empty()
                        && !capability.contains(|c: char| c.is_ascii_whitespace()),
                    "invariant: capability {capability:?}"
                );
            }
            let _ = ad.has_capability("report-status");
            let _ = ad.is_empty();
        }
        Err(e) => check_error("advertisement error", &e, MAX_MESSAGE_CHARS),
    }
}

/// The answer to `git-receive-pack`, with and without side-band: band-2 messages are single
/// short lines, and errors fit to show.
pub fn report_status(data: &[u8]) {
    for side_band in [false, true] {
        match parse_report_status(data, side_band) {
            Ok(status) => {
                for message in &status.messages {
                    assert!(
                        !message.is_empty()
                            && message.chars().count() <= 300
                            && !message.contains(['\n', '\r']),
                        "invariant: band-2 message {message:?}"
                    );
                }
                for r in &status.refs {
                    let _ = status.get(&r.name);
                }
            }
            Err(e) => check_error("report-status error", &e, MAX_MESSAGE_CHARS),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A branch's listing (`git/trees/{sha}?recursive=1`) and the preview's comparison

/// The folders of a built tree by path, read back from the tree objects `build_tree` wrote
/// (`<mode> <name>\0<20-byte id>` entries, git's format).
fn folder_ids(built: &BuiltTree) -> Vec<(String, ObjectId)> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), built.root)];
    while let Some((prefix, id)) = stack.pop() {
        let Some(mut rest) = built.trees.get(&id).map(Vec::as_slice) else {
            continue;
        };
        while let Some(space) = rest.iter().position(|&b| b == b' ') {
            let Some(nul) = rest.iter().position(|&b| b == 0) else {
                break;
            };
            let (mode, name) = (&rest[..space], &rest[space + 1..nul]);
            let Some(raw) = rest.get(nul + 1..nul + 21) else {
                break;
            };
            let child = ObjectId::from_bytes(raw.try_into().expect("20 bytes"));
            rest = &rest[nul + 21..];
            if mode == b"40000" {
                let path = format!("{prefix}{}", String::from_utf8_lossy(name));
                out.push((path.clone(), child));
                stack.push((format!("{path}/"), child));
            }
        }
    }
    out
}

/// The listing GitHub gives for `files`: every blob, and every folder with its tree's id.
fn listing_like_github(files: &SourceTree, built: &BuiltTree) -> Listing {
    let mut tree: Vec<ListingEntry> = files
        .iter()
        .map(|(path, entry)| ListingEntry {
            path: path.to_string(),
            mode: if entry.executable { "100755" } else { "100644" }.into(),
            kind: "blob".into(),
            sha: object_id(ObjectKind::Blob, &entry.bytes).to_hex(),
            size: Some(entry.bytes.len() as u64),
        })
        .collect();
    for (path, id) in folder_ids(built) {
        tree.push(ListingEntry {
            path,
            mode: "040000".into(),
            kind: "tree".into(),
            sha: id.to_hex(),
            size: None,
        });
    }
    Listing {
        sha: "0".repeat(40),
        tree,
        truncated: false,
    }
}

/// The input as a listing (JSON) read by `RemoteTree::from_listing` and compared with a project
/// as a preview does (the input's bytes as every old text): ids, root and changes consistent,
/// diffs within their bound. And the input's lines as the paths of a tree: the root id the
/// listing of that tree gives is the id `build_tree` gives (else a push would never find the
/// branch up to date, or name a wrong tree).
pub fn github_tree(data: &[u8]) {
    if let Ok(listing) = serde_json::from_slice::<Listing>(data) {
        let remote = RemoteTree::from_listing(&listing);
        let readable = listing
            .tree
            .iter()
            .all(|e| ObjectId::from_hex(&e.sha).is_some());
        assert_eq!(
            remote.root.is_some(),
            readable && !listing.truncated,
            "invariant: the root is known exactly when the listing is whole and readable"
        );
        for entry in &listing.tree {
            if let Some(id) = ObjectId::from_hex(&entry.sha) {
                assert!(
                    remote.objects.contains(&id),
                    "invariant: a listed object is not known"
                );
            }
        }
        let files = crate::remote::project();
        let limits = DiffLimits {
            blobs: 8,
            blob_bytes: 64 * 1024,
            diff_lines: 2_000,
            diff_bytes: 4 * 1024,
        };
        let mut comparison = Comparison::new(&files, Some(&remote), limits, true);
        for id in comparison.wanted() {
            comparison.provide(id, data.to_vec());
        }
        let (changes, diffs) = comparison.finish(&files);
        let mut paths = std::collections::BTreeSet::new();
        for change in &changes {
            assert!(
                paths.insert(change.path.as_str()),
                "invariant: {} changes twice",
                change.path
            );
        }
        for diff in &diffs {
            assert!(
                diff.text.len() <= limits.diff_bytes,
                "invariant: a diff longer than its bound"
            );
            assert!(
                paths.contains(diff.path.as_str()),
                "invariant: a diff of a path that does not change"
            );
        }
    }

    let mut tree = SourceTree::new();
    for (i, line) in text(data).lines().take(64).enumerate() {
        let entry = FileEntry {
            bytes: line.as_bytes().to_vec(),
            executable: i % 3 == 0,
        };
        let _ = tree.insert(line, entry, OnDuplicate::Refuse);
    }
    if tree.is_empty() {
        return;
    }
    let built = build_tree(&tree);
    let remote = RemoteTree::from_listing(&listing_like_github(&tree, &built));
    assert_eq!(
        remote.root,
        Some(built.root),
        "invariant: the listing's root id differs from the built tree's"
    );
    let comparison = Comparison::new(&tree, Some(&remote), DiffLimits::default(), true);
    assert!(
        comparison.is_empty(),
        "invariant: a tree compared with its own listing has changes: {:?}",
        comparison.changes()
    );
}

/// Protocol v2's read side (`git-upload-pack` answers): capabilities, `ls-refs`, `fetch` and the
/// pack inside (read with small limits), and the branch walked from each commit in it. Refs
/// have plain names; a pack inflates to no more than its limit; ids are the objects' own;
/// the walked paths are relative, without empty, `.` or `..` parts.
pub fn git_fetch(data: &[u8]) {
    let _ = parse_capabilities(data);
    if let Ok(refs) = parse_ls_refs(data) {
        for r in refs {
            assert!(
                !r.name.is_empty() && !r.name.contains(' '),
                "invariant: ls-refs gave the ref name {:?}",
                r.name
            );
        }
    }
    let limits = PackLimits {
        max_objects: 1000,
        max_bytes: 1 << 20,
    };
    for pack in [parse_fetch(data).ok(), Some(data.to_vec())]
        .into_iter()
        .flatten()
    {
        let Ok(objects) = read_pack(&pack, limits) else {
            continue;
        };
        let total: u64 = objects.values().map(|o| o.data.len() as u64).sum();
        assert!(
            total <= limits.max_bytes,
            "invariant: the pack inflated to {total} bytes"
        );
        for id in objects.keys() {
            let Ok(tree) = remote_tree(&pack, *id, limits) else {
                continue;
            };
            for path in tree.files.keys() {
                assert!(
                    path.split('/')
                        .all(|part| !part.is_empty() && part != "." && part != ".."),
                    "invariant: the walk gave the path {path:?}"
                );
            }
        }
    }
}
