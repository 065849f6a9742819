use super::*;
use crate::net::run_blocking;

const TOKEN: &str = "sbp_secret_token";
const REF: &str = "abcdefghijklmnopqrst";

fn files() -> Vec<SqlFile> {
    vec![
        SqlFile {
            name: "supabase/migrations/1_a.sql".into(),
            sql: "create table a (x int);".into(),
        },
        SqlFile {
            name: "supabase/seed.sql".into(),
            sql: "insert into a values (1);\ninsert into a values ('x');".into(),
        },
    ]
}

fn json(status: u16, body: &str) -> Outcome {
    Outcome::Response(Response::new(status, body.as_bytes().to_vec()))
}

#[test]
fn posts_queries_with_the_token_and_retries() {
    let mut calls = 0;
    let push =
        SupabasePush::new(SupabaseConfig::new("abcdefghijklmnopqrst", TOKEN), &files()).unwrap();
    let (result, sent) = run_blocking(push, |r| {
        calls += 1;
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.url,
            "https://api.supabase.com/v1/projects/abcdefghijklmnopqrst/database/query"
        );
        assert_eq!(r.header("authorization"), Some("Bearer sbp_secret_token"));
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        let query = body["query"].as_str().unwrap();
        match calls {
            1 => json(429, "{}"),
            _ if query.contains("json_agg") => json(201, r#"[{"ledger":"[]"}]"#),
            _ => json(201, "[]"),
        }
    });
    let summary = result.unwrap();
    assert_eq!(summary.applied.len(), 2);
    assert_eq!(sent, 5, "ledger (after one 429), read, two files");
}

#[test]
fn sql_errors_are_diagnosed_and_others_are_remote_errors() {
    let push = SupabasePush::new(SupabaseConfig::new(REF, TOKEN), &files()).unwrap();
    let (result, _) = run_blocking(push, |r| {
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        let query = body["query"].as_str().unwrap();
        if query.contains("json_agg") {
            json(
                201,
                r#"[{"ledger":"[[\"supabase/migrations/1_a.sql\",\"sha1:x\"]]"}]"#,
            )
        } else if query.contains("'x'") {
            json(
                400,
                r#"{"message":"Failed to run sql query: ERROR:  22P02: invalid input syntax for type integer: \"x\"\n"}"#,
            )
        } else if query.contains("liftoff-probe-passed") {
            json(400, r#"{"message":"ERROR: P0001: liftoff-probe-passed"}"#)
        } else {
            json(201, "[]")
        }
    });
    let failure = result.unwrap_err();
    assert!(failure.applied.is_empty());
    let text = failure.to_string();
    assert!(
        text.starts_with(
            "supabase/seed.sql, statement 2 (line 2) failed: Failed to run sql query: \
             ERROR:  22P02: invalid input syntax for type integer: \"x\""
        ),
        "{text}"
    );

    for (status, needle) in [
        (401, "refused the token"),
        (404, "project abcdefghijklmnopqrst not found"),
    ] {
        let push = SupabasePush::new(SupabaseConfig::new(REF, TOKEN), &files()).unwrap();
        let (result, _) = run_blocking(push, |_| json(status, "{}"));
        let text = result.unwrap_err().to_string();
        assert!(text.contains(needle), "{text}");
        assert!(!text.contains(TOKEN));
    }
    let push = SupabasePush::new(SupabaseConfig::new(REF, TOKEN), &files()).unwrap();
    let (result, _) = run_blocking(push, |_| json(201, "<html>"));
    assert!(result.unwrap_err().to_string().contains("not a JSON array"));
}

/// A database that keeps the ledger and runs each file's apply in one transaction: a second
/// apply of a recorded file fails on the ledger's key and rolls back.
#[derive(Default)]
struct LedgerDb {
    ledger: Vec<(String, String)>,
    /// Files whose apply ran, in order.
    runs: Vec<String>,
}

impl LedgerDb {
    /// The file an apply query records, if it is one.
    fn applied_file(r: &Request) -> Option<(String, String)> {
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        let query = body["query"].as_str().unwrap();
        let (_, values) = query.split_once("liftoff_migrations (name, checksum) values (")?;
        let parts: Vec<String> = values
            .trim_end_matches(");\n")
            .split(", ")
            .map(|v| v.trim_matches('\'').to_string())
            .collect();
        Some((parts[0].clone(), parts[1].clone()))
    }

    fn serve(&mut self, r: &Request) -> Outcome {
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        if body["query"].as_str().unwrap().contains("json_agg") {
            let rows = serde_json::to_string(&self.ledger).unwrap();
            return Outcome::Response(Response::new(
                201,
                serde_json::to_vec(&serde_json::json!([{ "ledger": rows }])).unwrap(),
            ));
        }
        let Some((name, sum)) = Self::applied_file(r) else {
            return json(201, "[]");
        };
        if self.ledger.iter().any(|(n, _)| *n == name) {
            return json(400, r#"{"message":"ERROR: 23505: duplicate key value"}"#);
        }
        self.ledger.push((name.clone(), sum));
        self.runs.push(name);
        json(201, "[]")
    }
}

/// A [`LedgerDb`] that answers the apply of file `lose` with `lost` `times` times: carried out
/// first when `carried`, not at all otherwise.
fn lossy_database(
    lose: &str,
    times: u32,
    carried: bool,
    lost: Outcome,
) -> (Result<MigrationSummary, MigrationFailure>, Vec<String>) {
    let mut db = LedgerDb::default();
    let mut left = times;
    let push = SupabasePush::new(SupabaseConfig::new(REF, TOKEN), &files()).unwrap();
    let (result, _) = run_blocking(push, |r| {
        let losing = left > 0 && LedgerDb::applied_file(r).is_some_and(|(n, _)| n.ends_with(lose));
        if !losing {
            return db.serve(r);
        }
        left -= 1;
        if carried {
            let _ = db.serve(r);
        }
        lost.clone()
    });
    (result, db.runs)
}

#[test]
fn a_lost_answer_to_an_apply_reads_the_ledger_and_never_applies_twice() {
    for lost in [
        Outcome::NetworkError("connection reset".into()),
        json(502, "bad gateway"),
    ] {
        // Carried out, answer lost: the ledger has it; counted applied, not sent again.
        let (result, applies) = lossy_database("seed.sql", 1, true, lost.clone());
        let summary = result.unwrap();
        assert_eq!(
            summary.applied,
            ["supabase/migrations/1_a.sql", "supabase/seed.sql"]
        );
        assert_eq!(applies, summary.applied, "each file ran once");

        // Not carried out: the ledger lacks it, so it is sent again and runs once.
        let (result, applies) = lossy_database("1_a.sql", 2, false, lost.clone());
        assert_eq!(result.unwrap().applied.len(), 2);
        assert_eq!(applies.len(), 2);

        // Lost again and again: the run stops, naming what did run.
        let (result, applies) = lossy_database("seed.sql", 9, false, lost);
        let failure = result.unwrap_err();
        assert_eq!(failure.applied, ["supabase/migrations/1_a.sql"]);
        assert_eq!(applies, failure.applied);
        assert!(!failure.to_string().contains(TOKEN));
    }
}

#[test]
fn refuses_a_bad_reference_before_sending() {
    let error = SupabasePush::new(SupabaseConfig::new("../x", TOKEN), &files())
        .err()
        .unwrap();
    assert_eq!(
        error.to_string(),
        "'../x' is not a Supabase project reference (the 20 lower-case letters and digits of \
         <ref>.supabase.co)"
    );
}

/// A seeded schedule of lost answers, 5xx, 429, resets and cut bodies over a migration: each
/// file runs at most once (a second run would fail on the ledger's key and roll back), a
/// success applied every file, a failure names the files that did run.
#[test]
fn under_seeded_network_faults_each_file_runs_at_most_once() {
    use crate::net::faults::Faults;
    use std::collections::BTreeMap;
    let mut outcomes = BTreeMap::<&str, u32>::new();
    for seed in 0..40 {
        let mut db = LedgerDb::default();
        let mut faults = Faults::new(seed, 35);
        let push = SupabasePush::new(SupabaseConfig::new(REF, TOKEN), &files()).unwrap();
        let (result, _) = run_blocking(push, |r| faults.serve(r, &mut |r| db.serve(r)));
        let runs = db.runs;
        let story = faults.story();
        let mut distinct = runs.clone();
        distinct.dedup();
        assert_eq!(distinct, runs, "seed {seed}\n{story}");
        match result {
            Ok(summary) => {
                assert_eq!(summary.applied, runs, "seed {seed}\n{story}");
                assert_eq!(runs.len(), 2, "seed {seed}\n{story}");
                *outcomes.entry("applied").or_default() += 1;
            }
            Err(failure) => {
                assert!(!failure.to_string().contains(TOKEN));
                // What it says ran did run; at most the file in flight ran unbeknownst.
                assert!(runs.starts_with(&failure.applied), "seed {seed}\n{story}");
                assert!(
                    runs.len() <= failure.applied.len() + 1,
                    "seed {seed}\n{story}"
                );
                *outcomes.entry("failed").or_default() += 1;
            }
        }
    }
    eprintln!("a Supabase migration under faults: {outcomes:?}");
    assert!(
        outcomes.get("applied").copied().unwrap_or(0) >= 10,
        "{outcomes:?}"
    );
}
