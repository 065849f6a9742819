use serde_json::json;

use super::*;
use crate::builders::base44::schema::{map_schema, EntitySchema};
use crate::report::Report;
use crate::sql::split::split;
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

fn schema() -> Schema {
    let task = json!({
        "name": "Task",
        "properties": {
            "title": {"type": "string"},
            "status": {"type": "string", "enum": ["todo", "done"], "default": "todo"},
            "due": {"type": "string", "format": "date"},
            "points": {"type": "integer"},
            "weight": {"type": "number"},
            "done": {"type": "boolean"},
            "meta": {"type": "object"},
            "tags": {"type": "array"},
            "order": {"type": "integer"}
        },
        "required": ["title"]
    });
    map_schema(&[EntitySchema {
        name: "Task".into(),
        path: "entities/Task".into(),
        json: task.as_object().unwrap().clone(),
    }])
}

fn rows(entity: &str, rows: Vec<Value>) -> EntityRows {
    EntityRows {
        entity: entity.into(),
        rows,
    }
}

#[test]
fn rows_become_inserts_with_explicit_columns_and_quoted_values() {
    let seed = seed_sql(
        &schema(),
        &[rows(
            "Task",
            vec![
                json!({
                    "id": "64f1a2b3c4d5e6f708192a3b",
                    "created_date": "2024-05-01T10:00:00.123000",
                    "updated_date": "2024-05-02T11:00:00+02:00",
                    "created_by": "ann@example.com",
                    "title": "it's a \\ test; $$ -- /*",
                    "status": "done",
                    "due": "2024-06-30",
                    "points": 3,
                    "weight": 0.25,
                    "done": true,
                    "meta": {"b": [1, {"c": null}], "a": "x"},
                    "tags": ["a", "b"],
                    "order": 2.0
                }),
                json!({"id": "2", "title": "defaults apply", "status": null}),
            ],
        )],
    );
    let inserts: Vec<&str> = seed
        .sql
        .lines()
        .filter(|l| l.starts_with("insert"))
        .collect();
    assert_eq!(
        inserts,
        [
            "insert into public.task (id, created_date, updated_date, created_by, title, status, due, points, weight, done, meta, tags, \"order\") values ('64f1a2b3c4d5e6f708192a3b', '2024-05-01T10:00:00.123000Z', '2024-05-02T11:00:00+02:00', 'ann@example.com', E'it''s a \\\\ test; $$ -- /*', 'done', '2024-06-30', 3, 0.25, true, '{\"b\":[1,{\"c\":null}],\"a\":\"x\"}'::jsonb, '[\"a\",\"b\"]'::jsonb, 2) on conflict (id) do nothing;",
            "insert into public.task (id, title) values ('2', 'defaults apply') on conflict (id) do nothing;",
        ]
    );
    assert_eq!(seed.inserted["Task"], 2);
    assert!(seed.unmapped.is_empty());
    assert_eq!(
        split(&seed.sql).len(),
        2,
        "the hostile title stays inside its literal"
    );
}

#[test]
fn rows_that_do_not_fit_are_kept_whole_with_the_reason() {
    let data = [
        rows(
            "Task",
            vec![
                json!({"id": "a", "title": "ok"}),
                json!({"id": "b", "title": "x", "surprise": 1}),
                json!({"id": "c", "title": "x", "points": "three"}),
                json!({"id": "d", "title": "x", "status": "later"}),
                json!({"id": "e"}),
                json!({"id": "f", "title": "x", "due": "31/12/2024"}),
                json!({"id": "g", "title": "nul \u{0} inside"}),
                json!({"id": "a", "title": "ok"}),
                json!({"id": "a", "title": "changed"}),
                json!(["not", "an", "object"]),
                json!({"id": "h", "title": "x", "meta": [1]}),
            ],
        ),
        rows("Ghost", vec![json!({"id": "z"})]),
    ];
    let seed = seed_sql(&schema(), &data);
    assert_eq!(seed.inserted["Task"], 1);
    assert_eq!(seed.repeated, 1);
    let reasons: Vec<(Option<&str>, &str)> = seed
        .unmapped
        .iter()
        .map(|u| (u.id.as_deref(), u.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (Some("b"), "property 'surprise' is not a column of task"),
            (Some("c"), "'points': \"three\" is not an integer"),
            (
                Some("d"),
                "'status': \"later\" is not one of the allowed values"
            ),
            (Some("e"), "required 'title' has no value"),
            (Some("f"), "'due': '31/12/2024' is not a date (YYYY-MM-DD)"),
            (
                Some("g"),
                "'title': contains the NUL character, which PostgreSQL cannot store"
            ),
            (
                Some("a"),
                "another row has the same id and different values"
            ),
            (None, "the row is not a JSON object"),
            (Some("h"), "'meta': [1] is not an object"),
            (Some("z"), "there is no schema for entity Ghost"),
        ]
    );
    let side: Vec<&str> = seed
        .sql
        .lines()
        .filter(|l| l.starts_with("insert into public.liftoff_unmapped_rows"))
        .collect();
    assert_eq!(side.len(), 10);
    assert_eq!(
        side[0],
        "insert into public.liftoff_unmapped_rows (entity, \"row\", reason) values ('Task', '{\"id\":\"b\",\"title\":\"x\",\"surprise\":1}'::jsonb, 'property ''surprise'' is not a column of task');"
    );
    assert!(
        side[5].contains("nul \u{fffd} inside")
            && side[5].ends_with("(NUL characters replaced by U+FFFD)');")
    );
    assert!(!seed.sql.contains('\0'));
}

#[test]
fn add_seed_writes_the_file_and_names_misfits_in_the_report() {
    let mut tree = SourceTree::new();
    tree.insert(
        "entities/Task",
        FileEntry::new(r#"{"name": "Task", "properties": {"title": {"type": "string"}}}"#),
        OnDuplicate::Refuse,
    )
    .unwrap();
    let mut report = Report {
        builder: crate::builders::base44::SPEC.builder,
        ..Report::default()
    };
    let mut edits = Edits::new(&mut tree, &mut report, "app");
    let data = [rows(
        "Task",
        vec![
            json!({"id": "1", "title": "a"}),
            json!({"id": "2", "x": 1}),
            json!({"id": "3", "y": 1}),
        ],
    )];
    let seed = add_seed(&mut edits, &data);
    assert_eq!(seed.unmapped.len(), 2);
    assert_eq!(
        report.warnings,
        ["Base44 entity Task: 2 rows did not fit the table and are kept whole in liftoff_unmapped_rows (first: id 2: property 'x' is not a column of task)"]
    );
    let text = String::from_utf8(tree.get(SEED).unwrap().bytes.clone()).unwrap();
    assert!(text
        .starts_with("-- The app's rows as Base44 returned them, written by Liftoff: 1 of 3 rows"));
    assert!(text.contains("\n-- Task (1 row) into task\n"), "{text}");

    // One misfit, one row: said for one.
    let mut report = Report::default();
    let mut edits = Edits::new(&mut tree, &mut report, "app");
    add_seed(
        &mut edits,
        &[rows("Task", vec![json!({"id": "2", "x": 1})])],
    );
    assert_eq!(
        report.warnings,
        ["Base44 entity Task: 1 row did not fit the table and is kept whole in liftoff_unmapped_rows (first: id 2: property 'x' is not a column of task)"]
    );
    let text = String::from_utf8(tree.get(SEED).unwrap().bytes.clone()).unwrap();
    assert!(text.starts_with(
        "-- The app's rows as Base44 returned them, written by Liftoff: 0 of 1 row in"
    ));
}
