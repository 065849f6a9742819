use super::*;
use crate::tree::{FileEntry, OnDuplicate};

/// A stand-in database: a statement containing `FAIL` fails; the recording insert adds to
/// the ledger; a query that fails changes nothing (like a real transaction).
#[derive(Default)]
struct FakeDb {
    ledger: Vec<(String, String)>,
    /// Every statement that ran and was kept.
    kept: Vec<String>,
    queries: usize,
}

impl FakeDb {
    fn run(&mut self, query: &Query) -> QueryResult {
        self.queries += 1;
        let mut ledger = self.ledger.clone();
        let mut kept = Vec::new();
        for statement in split(query.sql()) {
            let text = statement.text;
            if text.contains("FAIL") {
                return Err(format!("ERROR: boom in {text}"));
            }
            if text.contains(PROBE_PASSED) {
                return Err(format!("ERROR: P0001: {PROBE_PASSED}"));
            }
            if let Some(values) =
                text.strip_prefix("insert into public.liftoff_migrations (name, checksum) values (")
            {
                let parts: Vec<String> = values
                    .trim_end_matches(')')
                    .split(", ")
                    .map(|v| v.trim_matches('\'').to_string())
                    .collect();
                if ledger.iter().any(|(n, _)| *n == parts[0]) {
                    return Err("duplicate key".into());
                }
                ledger.push((parts[0].clone(), parts[1].clone()));
            } else if !text.contains("liftoff_migrations") {
                kept.push(text.to_string());
            }
        }
        self.ledger = ledger;
        self.kept.extend(kept);
        match query {
            Query::Fetch(_) => Ok(Some(serde_json::to_string(&self.ledger).unwrap())),
            Query::Execute(_) => Ok(None),
        }
    }

    fn push(&mut self, files: &[SqlFile]) -> Result<MigrationSummary, MigrationFailure> {
        let mut m = Migrator::new(files).unwrap();
        while !m.is_finished() {
            let q = m.next_query().expect("a query while not finished");
            assert!(m.next_query().is_none(), "one query at a time");
            let r = self.run(&q);
            m.handle(r);
        }
        m.finish()
    }
}

fn file(name: &str, sql: &str) -> SqlFile {
    SqlFile {
        name: name.into(),
        sql: sql.into(),
    }
}

#[test]
fn applies_each_file_once_in_order() {
    let mut db = FakeDb::default();
    let files = [
        file("supabase/migrations/1_a.sql", "create a;\ncreate b;"),
        file("supabase/seed.sql", "insert x;"),
    ];
    let first = db.push(&files).unwrap();
    assert_eq!(
        first.applied,
        ["supabase/migrations/1_a.sql", "supabase/seed.sql"]
    );
    assert_eq!(db.kept, ["create a", "create b", "insert x"]);
    assert_eq!(db.queries, 4, "ledger, read, two files");

    let second = db.push(&files).unwrap();
    assert!(second.applied.is_empty());
    assert_eq!(second.already_applied.len(), 2);
    assert_eq!(db.kept.len(), 3, "nothing ran twice");

    let edited = [files[0].clone(), file("supabase/seed.sql", "insert y;")];
    let third = db.push(&edited).unwrap();
    assert_eq!(third.changed, ["supabase/seed.sql"]);
    assert_eq!(
        db.kept.len(),
        3,
        "a changed file is reported, never re-applied"
    );
}

#[test]
fn a_failure_names_the_statement_and_keeps_nothing_of_its_file() {
    let mut db = FakeDb::default();
    let mut seed = String::from("-- rows\n");
    for n in 1..=40 {
        if n == 27 {
            seed.push_str("insert FAIL here;\n");
        } else {
            seed.push_str(&format!("insert {n};\n"));
        }
    }
    let files = [
        file("supabase/migrations/1_a.sql", "create a;"),
        file("supabase/seed.sql", &seed),
        file("supabase/zz.sql", "create z;"),
    ];
    let failure = db.push(&files).unwrap_err();
    assert_eq!(failure.applied, ["supabase/migrations/1_a.sql"]);
    match &failure.error {
        MigrationError::Statement {
            file,
            number,
            line,
            statement,
            message,
        } => {
            assert_eq!(file, "supabase/seed.sql");
            assert_eq!((*number, *line), (27, 28));
            assert_eq!(statement, "insert FAIL here");
            assert!(message.contains("boom"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let text = failure.to_string();
    assert!(
        text.starts_with("supabase/seed.sql, statement 27 (line 28) failed: ERROR: boom"),
        "{text}"
    );
    assert_eq!(db.kept, ["create a"], "the failed file left no trace");
    assert_eq!(db.ledger.len(), 1);
    // 2 ledger queries, 1 file, 1 failed file, at most ceil(log2(41)) = 6 probes.
    assert!(db.queries <= 10, "{} queries", db.queries);
}

#[test]
fn a_failing_record_is_told_apart_from_a_failing_statement() {
    let mut db = FakeDb::default();
    db.ledger.push(("elsewhere".into(), "x".into()));
    let mut m = Migrator::new(&[file("a.sql", "create a;")]).unwrap();
    let mut n = 0;
    while !m.is_finished() {
        let q = m.next_query().unwrap();
        n += 1;
        // The first apply fails as a duplicate record would; probes pass.
        let r = if n == 3 {
            Err("duplicate key value".to_string())
        } else {
            db.run(&q)
        };
        m.handle(r);
    }
    let failure = m.finish().unwrap_err();
    assert!(
        matches!(&failure.error, MigrationError::Record { file, message } if file == "a.sql" && message == "duplicate key value"),
        "{failure:?}"
    );
}

#[test]
fn wrapping_begin_commit_is_dropped_and_inner_control_refused() {
    let mut db = FakeDb::default();
    let wrapped = file("w.sql", "BEGIN;\ncreate a;\nCOMMIT;\n");
    assert_eq!(db.push(&[wrapped]).unwrap().applied, ["w.sql"]);
    assert_eq!(db.kept, ["create a"]);

    let inner = file("i.sql", "create a;\ncommit;\ncreate b;");
    let error = Migrator::new(&[inner]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "i.sql, statement 2 (line 2): `commit` manages the transaction itself; Liftoff runs \
         every file as one transaction, so remove BEGIN/COMMIT from the file"
    );
}

#[test]
fn ledger_errors_stop_before_any_file() {
    let mut m = Migrator::new(&[file("a.sql", "create a;")]).unwrap();
    assert!(matches!(m.next_query(), Some(Query::Execute(_))));
    m.handle(Err("permission denied for schema public".into()));
    assert!(m.is_finished());
    let failure = m.finish().unwrap_err();
    assert!(failure.applied.is_empty());
    assert_eq!(
        failure.to_string(),
        "preparing or reading the liftoff_migrations table failed: permission denied for schema public"
    );
}

#[test]
fn files_come_from_the_tree_in_timestamp_order_then_the_seed() {
    let mut tree = SourceTree::new();
    for (path, text) in [
        ("supabase/seed.sql", "insert s;"),
        ("supabase/migrations/20240201000000_b.sql", "create b;"),
        ("supabase/migrations/20240101000000_a.sql", "create a;"),
        ("supabase/migrations/old/1_x.sql", "ignored;"),
        ("supabase/migrations/notes.md", "ignored"),
        ("supabase/config.toml", "ignored"),
    ] {
        tree.insert(path, FileEntry::new(text), OnDuplicate::Refuse)
            .unwrap();
    }
    let names: Vec<_> = files_from_tree(&tree)
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(
        names,
        [
            "supabase/migrations/20240101000000_a.sql",
            "supabase/migrations/20240201000000_b.sql",
            "supabase/seed.sql"
        ]
    );
    tree.insert(
        "supabase/migrations/3_bin.sql",
        FileEntry::new(vec![0xff, 0xfe]),
        OnDuplicate::Refuse,
    )
    .unwrap();
    assert_eq!(
        files_from_tree(&tree).unwrap_err().to_string(),
        "supabase/migrations/3_bin.sql is not UTF-8 text"
    );
}

#[test]
fn checksums_are_sha1_of_the_text() {
    assert_eq!(
        file("x", "").checksum(),
        "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709"
    );
}
