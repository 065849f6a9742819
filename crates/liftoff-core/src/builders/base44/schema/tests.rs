use serde_json::json;

use super::*;
use crate::report::Builder;
use crate::report::{Action, Report};
use crate::sql::split::split;
use crate::tree::{FileEntry, OnDuplicate};

fn tree(files: &[(&str, &str)]) -> SourceTree {
    let mut tree = SourceTree::new();
    for (path, text) in files {
        tree.insert(path, FileEntry::new(*text), OnDuplicate::Refuse)
            .unwrap();
    }
    tree
}

fn entity(name: &str, json: Value) -> EntitySchema {
    EntitySchema {
        name: name.into(),
        path: format!("entities/{name}"),
        json: json.as_object().unwrap().clone(),
    }
}

fn one_table(json: Value) -> (Table, Vec<Note>) {
    let schema = map_schema(&[entity("Thing", json)]);
    (schema.tables[0].clone(), schema.notes)
}

#[test]
fn table_names_are_snake_case_and_never_pluralized() {
    for (entity, table) in [
        ("RSVP", "rsvp"),
        ("UserProfile", "user_profile"),
        ("CheckIn", "check_in"),
        ("HTTPRequest", "http_request"),
        ("Task", "task"),
        ("task2Item", "task2_item"),
        ("check-in", "check_in"),
        ("Order Line", "order_line"),
        ("already_snake", "already_snake"),
        ("Café", "café"),
        ("---", "entity"),
    ] {
        assert_eq!(table_name(entity), table, "{entity}");
    }
}

#[test]
fn reads_both_layouts_with_comments_and_names_from_files() {
    let t = tree(&[
        (
            "entities/Task",
            r#"{"name": "Task", "type": "object", "properties": {"title": {"type": "string"}}}"#,
        ),
        (
            "base44/entities/check-in.jsonc",
            "// The check-in entity\n{\n  /* block */ \"name\": \"CheckIn\",\n  \"properties\": {\n    \"url\": {\"type\": \"string\", \"default\": \"http://x//y\"}, // trailing\n  },\n}\n",
        ),
        (
            "base44/entities/user-profile.jsonc",
            r#"{"properties": {}}"#,
        ),
        ("entities/Broken", "{not json"),
        ("entities/Task.json", r#"{"name": "Task", "properties": {"other": {}}}"#),
        ("entities/sub/Nested", r#"{"name": "Nested"}"#),
        ("base44/entities/notes.md", "not a schema"),
    ]);
    let (entities, warnings) = read_entities(&t);
    let names: Vec<_> = entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["CheckIn", "UserProfile", "Task"]);
    assert_eq!(
        entities[0].json["properties"]["url"]["default"], "http://x//y",
        "a // inside a string is not a comment"
    );
    assert_eq!(
        warnings,
        [
            "entities/Broken is not a readable entity schema (JSON object): no table was made from it",
            "entities/Task.json describes entity Task again, differently from entities/Task: the table follows entities/Task",
        ]
    );
}

#[test]
fn types_formats_required_enums_and_defaults() {
    let (table, notes) = one_table(json!({
        "name": "Thing",
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "email": {"type": "string", "format": "email"},
            "due": {"type": "string", "format": "date", "default": "2024-01-31"},
            "at": {"type": "string", "format": "date-time"},
            "score": {"type": "number", "default": 1.5},
            "count": {"type": "integer", "default": 0},
            "done": {"type": "boolean", "default": false},
            "meta": {"type": "object", "properties": {"a": {"type": "string", "default": "x"}}},
            "tags": {"type": "array", "items": {"type": "string"}, "default": []},
            "status": {"type": "string", "enum": ["todo", "it's done"], "default": "todo"},
            "level": {"enum": [1, 2, 3]},
            "maybe": {"type": ["string", "null"]}
        },
        "required": ["title", "status", "nope"]
    }));
    assert!(notes.is_empty(), "{notes:?}");
    let sql: Vec<String> = table.columns.iter().map(render_column).collect();
    assert_eq!(
        sql,
        [
            "id text primary key default gen_random_uuid()::text",
            "created_date timestamptz not null default now()",
            "updated_date timestamptz not null default now()",
            "created_by text",
            "title text not null",
            "email text",
            "due date default '2024-01-31'",
            "at timestamptz",
            "score double precision default 1.5",
            "count bigint default 0",
            "done boolean default false",
            "meta jsonb",
            "tags jsonb default '[]'::jsonb",
            "status text not null default 'todo' check (status in ('todo', 'it''s done'))",
            "level bigint check (level in (1, 2, 3))",
            "maybe text",
        ]
    );
}

fn render_column(c: &Column) -> String {
    // The same text the migration writes for the column.
    let sql = migration_sql(&Schema {
        tables: vec![Table {
            entity: "X".into(),
            name: "x".into(),
            source: "s".into(),
            columns: vec![c.clone()],
        }],
        notes: vec![],
    });
    let open = "create table if not exists public.x (\n  ";
    let start = sql.find(open).unwrap() + open.len();
    sql[start..].split("\n);").next().unwrap().to_string()
}

#[test]
fn what_does_not_map_is_kept_and_noted() {
    let long = "a".repeat(70);
    let long_twin = format!("{}b", "a".repeat(69));
    let (table, notes) = one_table(json!({
        "properties": {
            "file": {"type": "file"},
            "mixed": {"type": ["string", "number"]},
            "untyped": {},
            "bad_default": {"type": "integer", "default": "ten"},
            "bad_date": {"type": "string", "format": "date", "default": "today"},
            "odd_enum": {"type": "string", "enum": ["a", 1]},
            "json_enum": {"type": "object", "enum": [{}]},
            "not_in_enum": {"type": "string", "enum": ["a"], "default": "b"},
            (long.clone()): {"type": "string"},
            (long_twin): {"type": "string"},
            "": {"type": "string"},
            "created_date": {"type": "string", "format": "date"},
            "id": {"type": "integer"}
        }
    }));
    let kinds: Vec<(&str, ColumnKind)> = table
        .columns
        .iter()
        .map(|c| (c.property.as_str(), c.kind))
        .collect();
    assert_eq!(kinds[0..4].len(), 4);
    assert_eq!(
        table
            .columns
            .iter()
            .filter(|c| c.name == "created_date")
            .count(),
        1,
        "a declared built-in column is not emitted twice"
    );
    assert_eq!(table.column("id").unwrap().kind, ColumnKind::Text);
    assert_eq!(table.column("file").unwrap().kind, ColumnKind::Json);
    assert_eq!(table.column("mixed").unwrap().kind, ColumnKind::Json);
    assert_eq!(table.column("untyped").unwrap().kind, ColumnKind::Json);
    assert_eq!(table.column("bad_default").unwrap().default, None);
    assert_eq!(table.column("odd_enum").unwrap().allowed, None);
    assert_eq!(table.column(&long).unwrap().name, "a".repeat(63));
    let texts: Vec<String> = notes.iter().map(Note::to_string).collect();
    assert_eq!(
        texts,
        [
            "Base44 entity Thing, property 'file': type 'file' has no PostgreSQL column type: kept as jsonb",
            "Base44 entity Thing, property 'mixed': several types (string, number): kept as jsonb",
            "Base44 entity Thing, property 'untyped': no type given: kept as jsonb",
            "Base44 entity Thing, property 'bad_default': default \"ten\" is not an integer: no DEFAULT",
            "Base44 entity Thing, property 'bad_date': default 'today' is not a date (YYYY-MM-DD): no DEFAULT",
            "Base44 entity Thing, property 'odd_enum': its enum lists no value, or values of another type: no CHECK constraint",
            "Base44 entity Thing, property 'json_enum': an enum on a jsonb column is not checked",
            "Base44 entity Thing, property 'not_in_enum': default \"b\" is not one of the allowed values: no DEFAULT",
            &format!("Base44 entity Thing, property '{long}': the column name is cut to PostgreSQL's 63 bytes: {}", "a".repeat(63)),
            &format!("Base44 entity Thing, property '{}b': its name cut to 63 bytes is the column of '{long}'; rows with a value for it are kept whole in liftoff_unmapped_rows", "a".repeat(69)),
            "Base44 entity Thing, property '': cannot be a column name; rows with a value for it are kept whole in liftoff_unmapped_rows",
        ]
    );
}

#[test]
fn table_names_stay_unique_and_clear_of_liftoffs_own() {
    let schema = map_schema(&[
        entity("UserProfile", json!({})),
        entity("user_profile", json!({})),
        entity("LiftoffMigrations", json!({})),
        entity(&"VeryLong".repeat(10), json!({})),
        entity(&"VeryLong".repeat(10), json!({"other": 1})),
    ]);
    let names: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
    let long = "very_long_".repeat(7);
    assert_eq!(
        names,
        [
            "user_profile",
            "user_profile_2",
            "liftoff_migrations_2",
            &long[..63],
            &format!("{}_2", &long[..61]),
        ]
    );
}

#[test]
fn the_migration_is_one_statement_per_thing_and_quotes_hostile_names() {
    let schema = map_schema(&[
        entity(
            "Order",
            json!({
                "properties": {
                    "order": {"type": "integer"},
                    "displayName": {"type": "string"},
                    "x\n); drop table t; --": {"type": "string", "default": "'; drop table t; --"}
                }
            }),
        ),
        entity(
            "RSVP",
            json!({"properties": {"answer": {"type": "string", "enum": ["yes", "no"]}}}),
        ),
    ]);
    let sql = migration_sql(&schema);
    assert!(
        sql.contains("create table if not exists public.\"order\" (\n"),
        "{sql}"
    );
    assert!(sql.contains("  \"order\" bigint,\n  \"displayName\" text,\n"));
    assert!(sql.contains("  \"x\n); drop table t; --\" text default '''; drop table t; --'\n);"));
    assert!(sql.contains("create table if not exists public.rsvp (\n"));
    assert!(sql.contains("answer text check (answer in ('yes', 'no'))"));
    assert!(
        sql.contains("create or replace trigger liftoff_updated_date before update on public.rsvp")
    );
    assert!(sql.contains("alter table public.rsvp enable row level security;"));
    assert!(sql.contains("create policy \"Users read their own rows\" on public.rsvp for select to authenticated\n      using (created_by = (select auth.jwt() ->> 'email'));"));
    assert!(sql.contains("to_regnamespace('auth') is null"));
    assert!(sql.ends_with("notify pgrst, 'reload schema';\n"));
    let statements: Vec<String> = split(&sql).iter().map(|s| s.keyword()).collect();
    assert_eq!(
        statements,
        [
            "create", "create", "alter", // function, side table, its RLS
            "create", "create", "create", "alter", // order
            "create", "create", "create", "alter", // rsvp
            "do", "notify",
        ]
    );
}

fn edits_run(tree: &mut SourceTree, builder: Builder, timestamp: Option<&str>) -> Report {
    let mut report = Report {
        builder,
        ..Report::default()
    };
    let mut edits = Edits::new(tree, &mut report, "app");
    match timestamp {
        Some(ts) => add_entities_migration_at(&mut edits, ts).unwrap(),
        None => add_entities_migration(&mut edits),
    }
    report
}

#[test]
fn the_pass_adds_the_migration_once_and_keeps_its_timestamp() {
    let mut t = tree(&[(
        "entities/Task",
        r#"{"name": "Task", "properties": {"title": {"type": "string"}, "f": {"type": "file"}}}"#,
    )]);
    let report = edits_run(
        &mut t,
        crate::builders::base44::SPEC.builder,
        Some("20250102030405"),
    );
    let path = "supabase/migrations/20250102030405_liftoff_base44_entities.sql";
    assert!(t.get(path).is_some());
    assert_eq!(report.changes.len(), 1);
    assert_eq!(report.changes[0].action, Action::Added);
    assert_eq!(
        report.warnings,
        ["Base44 entity Task, property 'f': type 'file' has no PostgreSQL column type: kept as jsonb"]
    );

    let again = edits_run(&mut t, crate::builders::base44::SPEC.builder, None);
    assert!(
        again.changes.is_empty(),
        "normalizing twice changes nothing"
    );
    assert_eq!(existing_migration(&t).as_deref(), Some(path));

    let mut fresh = tree(&[("entities/Task", r#"{"name": "Task"}"#)]);
    edits_run(&mut fresh, crate::builders::base44::SPEC.builder, None);
    assert!(fresh
        .get("supabase/migrations/20000101000000_liftoff_base44_entities.sql")
        .is_some());

    let mut lovable = tree(&[("entities/Task", r#"{"name": "Task"}"#)]);
    let report = edits_run(&mut lovable, crate::builders::lovable::SPEC.builder, None);
    assert!(report.changes.is_empty() && lovable.len() == 1);

    assert_eq!(
        migration_path("2025").unwrap_err().to_string(),
        "'2025' is not a migration timestamp (14 digits, YYYYMMDDHHMMSS)"
    );
}

#[test]
fn jsonc_strips_comments_and_trailing_commas_only() {
    assert_eq!(
        strip_jsonc("{\"a\": \"/*x*/ // y\", // c\n \"b\": [1, 2,], /* z */ }"),
        "{\"a\": \"/*x*/ // y\", \n \"b\": [1, 2]   }"
    );
    assert_eq!(strip_jsonc(r#"{"a": "q\"//"}"#), r#"{"a": "q\"//"}"#);
}
