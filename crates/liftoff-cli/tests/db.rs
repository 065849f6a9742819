//! The database side of issue 7 against a real PostgreSQL 15 (Debian's `postgresql`): the
//! generated migration on a plain database and on one prepared like Supabase (the `auth`
//! schema, `auth.jwt()`, `auth.uid()`, the `anon`, `authenticated` and `service_role` roles),
//! constraints and row-level security checked by inserting as different users, the seed
//! compared with the fixture's rows, and `liftoff db push` over a PostgreSQL connection and
//! over a local stand-in of Supabase's Management API that runs the queries on the real server.
//!
//! Each test binary starts two throw-away clusters (plain and Supabase-like) on free ports in
//! a temporary folder, as the `postgres` user when run as root; a watchdog stops them when the
//! tests end. When the PostgreSQL binaries are absent the tests say so and pass without running.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use liftoff_core::builders::base44::schema::{migration_sql, schema_of_tree, Schema};
use liftoff_core::builders::base44::seed::{seed_sql, EntityRows};
use liftoff_core::sql::quote::{literal_jsonb, literal_timestamptz, quote_ident, quote_literal};
use liftoff_core::tree::{FileEntry, OnDuplicate, SourceTree};
use postgres::{Client, NoTls, SimpleQueryMessage};
use serde_json::{json, Value};

use common::stub::{json_handler, Stub};

const ENTITIES: [&str; 4] = ["Event", "RSVP", "UserProfile", "CheckIn"];

// ---------------------------------------------------------------------------------------------
// Throw-away clusters

struct Cluster {
    port: u16,
}

fn bin_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("LIFTOFF_PG_BIN") {
        let dir = PathBuf::from(dir);
        return dir.join("initdb").exists().then_some(dir);
    }
    for version in ["15", "16", "17"] {
        let dir = PathBuf::from(format!("/usr/lib/postgresql/{version}/bin"));
        if dir.join("initdb").exists() && dir.join("pg_ctl").exists() {
            return Some(dir);
        }
    }
    None
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `program args…`, as the `postgres` user when we are root (initdb refuses root).
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run_quietly(mut command: Command, what: &str) {
    // Never capture through pipes: the server would inherit them and hold the test open.
    let status = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(status.success(), "{what} failed ({status})");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Cluster {
    /// A throw-away cluster; `None` only when PostgreSQL is missing and `LIFTOFF_SKIP_PG=1`
    /// allows skipping (see [`pg_or_skip`]). Missing PostgreSQL otherwise fails the test.
    fn start(kind: &str) -> Option<Cluster> {
        let Some(bin) = bin_dir() else {
            assert!(
                skipping_allowed(),
                "PostgreSQL binaries not found (/usr/lib/postgresql/15/bin): install them with \
                 `apt-get install -y postgresql`, point LIFTOFF_PG_BIN at a bin folder, or set \
                 LIFTOFF_SKIP_PG=1 to skip the database tests (each skip is counted)"
            );
            return None;
        };
        let root = std::env::temp_dir().join(format!("liftoff-pg-{}-{kind}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        if is_root() {
            let status = Command::new("chown")
                .args(["postgres:", root.to_str().unwrap()])
                .status()
                .unwrap();
            assert!(status.success(), "chown {root:?} to the postgres user");
        }
        let data = root.join("data");
        let mut initdb = as_server_user(&bin.join("initdb"));
        initdb.arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "--no-locale",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        run_quietly(initdb, "initdb");
        // The watchdog stops the server and removes the folder once this process is gone.
        let stop =
            format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {user}'{pg_ctl}' -D '{data}' -m \
             immediate stop; rm -rf '{root}'",
            pid = std::process::id(),
            user = if is_root() { "runuser -u postgres -- " } else { "" },
            pg_ctl = bin.join("pg_ctl").display(),
            data = data.display(),
            root = root.display(),
        );
        // Never waited for: it outlives this process on purpose.
        #[allow(clippy::zombie_processes)]
        let _watchdog = Command::new("sh")
            .args(["-c", &stop])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..5 {
            let port = free_port();
            let mut pg_ctl = as_server_user(&bin.join("pg_ctl"));
            pg_ctl
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(root.join("log"))
                .args(["-w", "-t", "60", "-o"])
                .arg(format!(
                    "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
                     -c full_page_writes=off -c max_connections=200",
                    root.display()
                ))
                .arg("start");
            let started = pg_ctl
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            if started.success() {
                let cluster = Cluster { port };
                if kind == "supabase" {
                    cluster.admin().batch_execute(SUPABASE_ROLES).unwrap();
                }
                return Some(cluster);
            }
        }
        panic!(
            "PostgreSQL did not start; see {}",
            root.join("log").display()
        );
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    fn admin(&self) -> Client {
        Client::connect(&self.url("postgres"), NoTls).unwrap()
    }

    /// A fresh database; Supabase-like clusters get the `auth` schema in it.
    fn database(&self, name: &str) -> (String, Client) {
        let mut admin = self.admin();
        // One statement per query: neither may run inside a (implicit) transaction.
        admin
            .batch_execute(&format!("drop database if exists {name}"))
            .unwrap();
        admin
            .batch_execute(&format!("create database {name}"))
            .unwrap();
        let mut client = Client::connect(&self.url(name), NoTls).unwrap();
        if self.is_supabase() {
            client.batch_execute(SUPABASE_AUTH).unwrap();
        }
        (self.url(name), client)
    }

    fn is_supabase(&self) -> bool {
        let mut admin = self.admin();
        let rows = admin
            .query(
                "select 1 from pg_roles where rolname = 'authenticated'",
                &[],
            )
            .unwrap();
        !rows.is_empty()
    }
}

/// Supabase's roles (cluster-wide).
const SUPABASE_ROLES: &str = "
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
";

/// Supabase's `auth` functions, reading the claims PostgREST sets for each request.
const SUPABASE_AUTH: &str = "
create schema auth;
create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;
create function auth.uid() returns uuid language sql stable as $$
  select nullif(auth.jwt() ->> 'sub', '')::uuid
$$;
grant usage on schema auth to anon, authenticated, service_role;
grant execute on all functions in schema auth to anon, authenticated, service_role;
";

/// Whether the person running the tests said to skip those that need PostgreSQL.
fn skipping_allowed() -> bool {
    std::env::var("LIFTOFF_SKIP_PG").as_deref() == Ok("1")
}

/// `cluster`, or, when it is missing (which only `LIFTOFF_SKIP_PG=1` allows), `None` with the
/// skip of `test` counted: one line in the file `LIFTOFF_SKIP_LOG` names (tests/run-all.sh
/// sums them up at the end), so a skip is never only a line on stderr.
fn pg_or_skip(cluster: Option<&'static Cluster>, test: &str) -> Option<&'static Cluster> {
    if cluster.is_none() {
        let line =
            format!("liftoff-cli tests/db.rs {test}: PostgreSQL missing (LIFTOFF_SKIP_PG=1)\n");
        if let Ok(log) = std::env::var("LIFTOFF_SKIP_LOG") {
            let mut file = fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log)
                .unwrap_or_else(|e| panic!("LIFTOFF_SKIP_LOG {log}: {e}"));
            std::io::Write::write_all(&mut file, line.as_bytes()).unwrap();
        }
        eprint!("SKIPPED {line}");
    }
    cluster
}

fn plain(test: &str) -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
    pg_or_skip(
        CLUSTER.get_or_init(|| Cluster::start("plain")).as_ref(),
        test,
    )
}

fn supabase(test: &str) -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
    pg_or_skip(
        CLUSTER.get_or_init(|| Cluster::start("supabase")).as_ref(),
        test,
    )
}

// ---------------------------------------------------------------------------------------------
// Fixtures

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/base44-data")
}

fn read_tree(dir: &Path) -> SourceTree {
    fn walk(dir: &Path, base: &Path, tree: &mut SourceTree) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, tree);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                tree.insert(
                    &rel,
                    FileEntry::new(fs::read(&path).unwrap()),
                    OnDuplicate::Refuse,
                )
                .unwrap();
            }
        }
    }
    let mut tree = SourceTree::new();
    walk(dir, dir, &mut tree);
    tree
}

fn fixture_schema() -> Schema {
    let (schema, warnings) = schema_of_tree(&read_tree(&fixture().join("app")));
    assert!(warnings.is_empty(), "{warnings:?}");
    schema
}

fn fixture_rows() -> Vec<EntityRows> {
    ENTITIES
        .iter()
        .map(|entity| EntityRows {
            entity: entity.to_string(),
            rows: serde_json::from_slice(
                &fs::read(fixture().join(format!("rows/{entity}.json"))).unwrap(),
            )
            .unwrap(),
        })
        .collect()
}

fn expected() -> Value {
    serde_json::from_slice(&fs::read(fixture().join("expected.json")).unwrap()).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// The fixture app as an export would leave it: the migration and the seed in `supabase/`.
fn exported_app(dir: &Path) -> PathBuf {
    let app = dir.join("app");
    copy_dir(&fixture().join("app"), &app);
    let schema = fixture_schema();
    let migrations = app.join("supabase/migrations");
    fs::create_dir_all(&migrations).unwrap();
    fs::write(
        migrations.join("20250101000000_liftoff_base44_entities.sql"),
        migration_sql(&schema),
    )
    .unwrap();
    fs::write(
        app.join("supabase/seed.sql"),
        seed_sql(&schema, &fixture_rows()).sql,
    )
    .unwrap();
    app
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn liftoff(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_liftoff"));
    command.args(args);
    for var in ["SUPABASE_ACCESS_TOKEN", "BASE44_TOKEN", "PGPASSWORD"] {
        command.env_remove(var);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn json_out(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "liftoff failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn scalar(client: &mut Client, sql: &str) -> Option<String> {
    client
        .simple_query(sql)
        .unwrap()
        .into_iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(row.get(0).map(str::to_string)),
            _ => None,
        })
        .flatten()
}

fn count(client: &mut Client, sql: &str) -> i64 {
    scalar(client, sql).unwrap().parse().unwrap()
}

/// The SQLSTATE of a failed statement.
fn sqlstate(client: &mut Client, sql: &str) -> String {
    let error = client.batch_execute(sql).expect_err(sql);
    error.code().expect("a database error").code().to_string()
}

/// Tables, columns, policies, the ledger and row counts: what "unchanged" means.
fn snapshot(client: &mut Client) -> String {
    let mut out = scalar(
        client,
        "select string_agg(table_name || '.' || column_name || ':' || data_type, ',' order by \
         table_name, ordinal_position) from information_schema.columns where table_schema = 'public'",
    )
    .unwrap_or_default();
    out.push_str(&scalar(client, "select string_agg(tablename || policyname, ',' order by tablename, policyname) from pg_policies").unwrap_or_default());
    let tables: Vec<String> = client
        .query(
            "select tablename::text from pg_tables where schemaname = 'public' order by 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for table in tables {
        let n = count(
            client,
            &format!(
                "select count(*) from public.{}",
                quote_ident(&table).unwrap()
            ),
        );
        out.push_str(&format!(";{table}={n}"));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Quoting and splitting against the server

#[test]
fn the_keyword_list_covers_every_keyword_the_server_reserves() {
    let Some(cluster) = plain("the_keyword_list_covers_every_keyword_the_server_reserves") else {
        return;
    };
    let mut client = cluster.admin();
    let rows = client
        .query(
            "select word::text from pg_get_keywords() where catcode <> 'U'",
            &[],
        )
        .unwrap();
    assert!(rows.len() > 100);
    for row in rows {
        let word: String = row.get(0);
        assert!(
            liftoff_core::sql::keywords::is_keyword(&word),
            "'{word}' must be quoted as a name"
        );
        let quoted = quote_ident(&word).unwrap();
        client
            .batch_execute(&format!(
                "create temp table kw_{word} ({quoted} text); insert into kw_{word} ({quoted}) values ('x')"
            ))
            .unwrap_or_else(|e| panic!("{word}: {e}"));
    }
}

#[test]
fn literals_read_back_as_they_were_with_either_string_setting() {
    let Some(cluster) = plain("literals_read_back_as_they_were_with_either_string_setting") else {
        return;
    };
    let mut client = cluster.admin();
    let texts = [
        "plain",
        "it's",
        "''",
        r"back\slash",
        r"\'; drop table x; --",
        "$$ $tag$ -- /* */ ;",
        "line\nbreak\ttab\r",
        "Zoë 🎉 日本",
        r"E'\x41'",
        "\\",
    ];
    for setting in ["on", "off"] {
        client
            .batch_execute(&format!(
                "set standard_conforming_strings = {setting}; set escape_string_warning = off"
            ))
            .unwrap();
        for text in texts {
            let sql = format!("select {}", quote_literal(text).unwrap());
            assert_eq!(
                scalar(&mut client, &sql).as_deref(),
                Some(text),
                "{setting}: {sql}"
            );
            let ident = quote_ident(text).unwrap();
            let sql = format!("select 1 as {ident}");
            let rows = client.simple_query(&sql).unwrap();
            let name = rows.iter().find_map(|m| match m {
                SimpleQueryMessage::Row(r) => Some(r.columns()[0].name().to_string()),
                _ => None,
            });
            assert_eq!(name.as_deref(), Some(text), "{sql}");
        }
        let value = json!({"b": [1, 2.5, "it's \\ \"q\""], "a": {"n": null, "t": true}});
        let sql = format!("select {}::text", literal_jsonb(&value).unwrap());
        let back: Value = serde_json::from_str(&scalar(&mut client, &sql).unwrap()).unwrap();
        assert_eq!(back, value);
    }
    client
        .batch_execute("set timezone = 'America/New_York'")
        .unwrap();
    let sql = format!(
        "select extract(epoch from {}::timestamptz)::text",
        literal_timestamptz("2024-05-01T10:00:00.5").unwrap()
    );
    assert_eq!(
        scalar(&mut client, &sql).as_deref(),
        Some("1714557600.500000"),
        "naive means UTC"
    );
    for value in [0.1, -2.5e-7, 1e300, 123456789.125] {
        let sql = format!(
            "select ({}::double precision)::text",
            liftoff_core::sql::quote::literal_f64(value).unwrap()
        );
        let back: f64 = scalar(&mut client, &sql).unwrap().parse().unwrap();
        assert_eq!(back, value);
    }
}

#[test]
fn the_splitter_cuts_where_the_server_does() {
    let Some(cluster) = plain("the_splitter_cuts_where_the_server_does") else {
        return;
    };
    let (_, mut client) = cluster.database("split_check");
    let sql = r#"
-- a comment; with a semicolon
create table t ("we;ird" text, b text);
insert into t values ('a;b', E'c\';d'), ($$e;f$$, $x$g;$$;h$x$);
/* block; /* nested; */ still; */ insert into t values ('i', 'j');
create function f() returns int language plpgsql as $body$
begin
  -- ; inside
  return 1;
end
$body$;
select f(); select count(*) from t
"#;
    let statements = liftoff_core::sql::split(sql);
    assert_eq!(statements.len(), 6);
    for statement in &statements {
        client
            .batch_execute(statement.text)
            .unwrap_or_else(|e| panic!("statement {}: {e}", statement.number));
    }
    assert_eq!(count(&mut client, "select count(*) from t"), 3);
    assert_eq!(
        scalar(
            &mut client,
            "select string_agg(\"we;ird\" || '|' || b, ',' order by 1) from t"
        )
        .as_deref(),
        Some("a;b|c';d,e;f|g;$$;h,i|j")
    );
}

// ---------------------------------------------------------------------------------------------
// The migration

#[test]
fn the_migration_applies_twice_to_plain_postgres_and_enforces_the_schema() {
    let Some(cluster) =
        plain("the_migration_applies_twice_to_plain_postgres_and_enforces_the_schema")
    else {
        return;
    };
    let (_, mut client) = cluster.database("plain_schema");
    let sql = migration_sql(&fixture_schema());
    client.batch_execute(&sql).unwrap();
    client
        .batch_execute(&sql)
        .expect("applying it twice is harmless");

    let columns = scalar(
        &mut client,
        "select string_agg(column_name || ' ' || data_type || ' ' || is_nullable, ', ' order by \
         ordinal_position) from information_schema.columns where table_name = 'user_profile'",
    )
    .unwrap();
    assert_eq!(
        columns,
        "id text NO, created_date timestamp with time zone NO, updated_date timestamp with time \
         zone NO, created_by text YES, displayName text NO, bio text YES, birthday date YES, \
         preferences jsonb YES, score bigint YES, rating double precision YES, social jsonb YES"
    );
    let tables = scalar(
        &mut client,
        "select string_agg(relname || ':' || relrowsecurity, ',' order by relname) from pg_class \
         where relnamespace = 'public'::regnamespace and relkind = 'r'",
    )
    .unwrap();
    assert_eq!(
        tables,
        "check_in:true,event:true,liftoff_unmapped_rows:true,rsvp:true,user_profile:true"
    );
    assert_eq!(
        count(&mut client, "select count(*) from pg_policies"),
        0,
        "no auth, no policies"
    );

    // Defaults, generated id, timestamps.
    client
        .batch_execute(
            "insert into event (title, starts_at) values ('Launch', '2025-01-01T10:00:00Z')",
        )
        .unwrap();
    let row = scalar(
        &mut client,
        "select concat_ws('|', length(id), status, is_public, tags, price, created_date > now() - \
         interval '1 minute', created_by is null) from event",
    )
    .unwrap();
    assert_eq!(row, "36|draft|t|[]|0|t|t");
    // NOT NULL, CHECK, types.
    assert_eq!(
        sqlstate(&mut client, "insert into event (starts_at) values (now())"),
        "23502"
    );
    assert_eq!(
        sqlstate(
            &mut client,
            "insert into event (title, starts_at, status) values ('x', now(), 'archived')"
        ),
        "23514"
    );
    assert_eq!(
        sqlstate(
            &mut client,
            "insert into rsvp (event_id, guest_email, response) values ('e', 'g', 'perhaps')"
        ),
        "23514"
    );
    assert_eq!(
        sqlstate(
            &mut client,
            "insert into check_in (event_id, checked_in_at, method) values ('e', now(), 'fax')"
        ),
        "23514"
    );
    client
        .batch_execute("insert into check_in (event_id, checked_in_at, \"Zone Name\") values ('e', now(), 'A')")
        .unwrap();
    assert_eq!(
        scalar(&mut client, "select method from check_in").as_deref(),
        Some("qr")
    );
    client
        .batch_execute(
            "insert into rsvp (event_id, guest_email, response) values ('e', 'g', 'maybe')",
        )
        .unwrap();
    assert_eq!(
        scalar(&mut client, "select plus_ones from rsvp").as_deref(),
        Some("0")
    );
    // updated_date follows updates; created_date stays.
    client
        .batch_execute(
            "update event set created_date = '2020-01-01Z', updated_date = '2020-01-01Z'; \
             update event set \"order\" = 2",
        )
        .unwrap();
    let dates = scalar(
        &mut client,
        "select concat_ws('|', created_date = '2020-01-01Z', updated_date > now() - interval '1 minute') from event",
    )
    .unwrap();
    assert_eq!(dates, "t|t");
}

#[test]
fn on_a_supabase_database_users_see_and_change_only_their_own_rows() {
    let Some(cluster) = supabase("on_a_supabase_database_users_see_and_change_only_their_own_rows")
    else {
        return;
    };
    let (_, mut client) = cluster.database("supabase_rls");
    let sql = migration_sql(&fixture_schema());
    client.batch_execute(&sql).unwrap();
    client
        .batch_execute(&sql)
        .expect("applying it twice is harmless");
    assert_eq!(
        count(&mut client, "select count(*) from pg_policies"),
        16,
        "4 tables x 4 commands"
    );
    assert_eq!(
        count(
            &mut client,
            "select count(*) from pg_policies where tablename = 'liftoff_unmapped_rows'"
        ),
        0
    );
    client
        .batch_execute(
            "insert into event (title, starts_at, created_by) values ('A1', now(), 'alice@example.com'), \
             ('A2', now(), 'alice@example.com'), ('B1', now(), 'bob@example.com'), ('nobody', now(), null)",
        )
        .unwrap();

    let as_user = |client: &mut Client, email: &str| {
        client
            .batch_execute(&format!(
                "reset role; set role authenticated; select set_config('request.jwt.claims', {}, false)",
                quote_literal(&json!({"email": email, "role": "authenticated"}).to_string()).unwrap()
            ))
            .unwrap();
    };
    as_user(&mut client, "alice@example.com");
    assert_eq!(
        scalar(
            &mut client,
            "select string_agg(title, ',' order by title) from event"
        )
        .as_deref(),
        Some("A1,A2")
    );
    // Inserting in someone else's name is refused; without a name, the row is hers.
    assert_eq!(
        sqlstate(&mut client, "insert into event (title, starts_at, created_by) values ('x', now(), 'bob@example.com')"),
        "42501"
    );
    client
        .batch_execute("insert into event (title, starts_at) values ('A3', now())")
        .unwrap();
    assert_eq!(
        scalar(
            &mut client,
            "select created_by from event where title = 'A3'"
        )
        .as_deref(),
        Some("alice@example.com")
    );
    // Bob's rows can be neither changed nor deleted by her, nor handed to him.
    client.batch_execute("update event set title = 'hacked' where title = 'B1'; delete from event where title = 'B1'").unwrap();
    assert_eq!(
        sqlstate(
            &mut client,
            "update event set created_by = 'bob@example.com' where title = 'A1'"
        ),
        "42501"
    );
    as_user(&mut client, "bob@example.com");
    assert_eq!(
        scalar(
            &mut client,
            "select string_agg(title, ',' order by title) from event"
        )
        .as_deref(),
        Some("B1")
    );
    // Signed out: no access at all.
    client.batch_execute("reset role; set role anon").unwrap();
    assert_eq!(sqlstate(&mut client, "select * from event"), "42501");
    client.batch_execute("reset role").unwrap();
    assert_eq!(count(&mut client, "select count(*) from event"), 5);
}

#[test]
fn the_seed_holds_every_fixture_row_and_the_misfits_whole() {
    let Some(cluster) = plain("the_seed_holds_every_fixture_row_and_the_misfits_whole") else {
        return;
    };
    let (_, mut client) = cluster.database("seed_values");
    let schema = fixture_schema();
    let rows = fixture_rows();
    let seed = seed_sql(&schema, &rows);
    client.batch_execute(&migration_sql(&schema)).unwrap();
    client.batch_execute(&seed.sql).unwrap();
    client.batch_execute("set timezone = 'UTC'").unwrap();

    let expected = expected();
    let unmapped_ids: Vec<&str> = expected["unmapped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    for entity in &rows {
        let table = schema.table(&entity.entity).unwrap();
        assert_eq!(table.name, expected["tables"][&entity.entity]);
        let t = quote_ident(&table.name).unwrap();
        assert_eq!(
            count(&mut client, &format!("select count(*) from public.{t}")),
            expected["inserted"][&entity.entity].as_i64().unwrap(),
            "{}",
            entity.entity
        );
        let types: BTreeMap<String, String> = client
            .query(
                "select column_name::text, data_type::text from information_schema.columns where table_name = $1",
                &[&table.name],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        for row in &entity.rows {
            let id = row["id"].as_str().unwrap();
            if unmapped_ids.contains(&id) {
                continue;
            }
            let stored: Value = serde_json::from_str(
                &scalar(
                    &mut client,
                    &format!(
                        "select to_jsonb(t)::text from public.{t} t where id = {}",
                        quote_literal(id).unwrap()
                    ),
                )
                .unwrap_or_else(|| panic!("{} {id} is missing", entity.entity)),
            )
            .unwrap();
            for (property, value) in row.as_object().unwrap() {
                if value.is_null() {
                    continue;
                }
                let got = &stored[property];
                match types[property].as_str() {
                    "timestamp with time zone" => {
                        let want = scalar(
                            &mut client,
                            &format!(
                                "select to_jsonb({}::timestamptz) #>> '{{}}'",
                                literal_timestamptz(value.as_str().unwrap()).unwrap()
                            ),
                        );
                        assert_eq!(got.as_str(), want.as_deref(), "{id}.{property}");
                    }
                    "double precision" => {
                        assert_eq!(got.as_f64(), value.as_f64(), "{id}.{property}")
                    }
                    _ => assert_eq!(got, value, "{id}.{property}"),
                }
            }
        }
    }
    let kept: Vec<Value> = client
        .query("select entity, \"row\"::text, reason from liftoff_unmapped_rows", &[])
        .unwrap()
        .iter()
        .map(|r| {
            let row: Value = serde_json::from_str(r.get::<_, &str>(1)).unwrap();
            json!({"entity": r.get::<_, &str>(0), "id": row["id"], "reason": r.get::<_, &str>(2), "row": row})
        })
        .collect();
    assert_eq!(kept.len(), unmapped_ids.len());
    for (kept, want) in kept.iter().zip(expected["unmapped"].as_array().unwrap()) {
        assert_eq!(kept["entity"], want["entity"]);
        assert_eq!(kept["id"], want["id"]);
        assert_eq!(kept["reason"], want["reason"]);
        let entity = rows.iter().find(|e| e.entity == want["entity"]).unwrap();
        let original = entity.rows.iter().find(|r| r["id"] == want["id"]).unwrap();
        assert_eq!(&kept["row"], original, "the misfit is kept whole");
    }
}

// ---------------------------------------------------------------------------------------------
// `liftoff db push --postgres`

#[test]
fn db_push_applies_everything_once_and_a_second_run_nothing() {
    let Some(cluster) = plain("db_push_applies_everything_once_and_a_second_run_nothing") else {
        return;
    };
    let (url, mut client) = cluster.database("push_twice");
    let dir = tempfile::tempdir().unwrap();
    let app = exported_app(dir.path());
    let app = app.to_str().unwrap();

    let first = json_out(&liftoff(
        &["db", "push", app, "--postgres", &url, "--json"],
        &[],
    ));
    assert_eq!(
        first["applied"],
        json!([
            "supabase/migrations/20250101000000_liftoff_base44_entities.sql",
            "supabase/seed.sql"
        ])
    );
    let before = snapshot(&mut client);
    assert!(before.contains(";rsvp=198;"), "{before}");
    assert_eq!(
        count(&mut client, "select count(*) from liftoff_migrations"),
        2
    );

    let second = json_out(&liftoff(
        &["db", "push", app, "--postgres", &url, "--json"],
        &[],
    ));
    assert_eq!(second["applied"], json!([]));
    assert_eq!(second["already_applied"].as_array().unwrap().len(), 2);
    assert_eq!(snapshot(&mut client), before, "nothing applied twice");

    // A raw Base44 folder gets the same migration made on the way; the human output.
    let (url, mut raw_db) = cluster.database("push_raw");
    let raw = fixture().join("app");
    let out = liftoff(
        &["db", "push", raw.to_str().unwrap(), "--postgres", &url],
        &[],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "liftoff: applied supabase/migrations/20000101000000_liftoff_base44_entities.sql"
        ),
        "{err}"
    );
    assert!(
        err.contains("is up to date: 1 file applied now, 0 applied before"),
        "{err}"
    );
    assert_eq!(count(&mut raw_db, "select count(*) from event"), 0);
}

#[test]
fn a_broken_statement_is_named_and_its_file_leaves_no_trace() {
    let Some(cluster) = plain("a_broken_statement_is_named_and_its_file_leaves_no_trace") else {
        return;
    };
    let (url, mut client) = cluster.database("push_broken");
    let dir = tempfile::tempdir().unwrap();
    let app = exported_app(dir.path());
    let app_arg = app.to_str().unwrap().to_string();
    json_out(&liftoff(
        &["db", "push", &app_arg, "--postgres", &url, "--json"],
        &[],
    ));
    let before = snapshot(&mut client);

    fs::write(
        app.join("supabase/migrations/20990101000000_more.sql"),
        "-- A later migration with a mistake in its third statement.\n\
         create table public.venue (id text primary key, name text not null);\n\
         insert into public.venue values ('v1', 'Main hall');\n\
         insert into public.event (title, starts_at, status)\n  values ('Gala', now(), 'postponed');\n\
         alter table public.event add column venue_id text;\n",
    )
    .unwrap();
    let out = liftoff(&["db", "push", &app_arg, "--postgres", &url], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "liftoff: error: supabase/migrations/20990101000000_more.sql, statement 3 (line 4) \
             failed: ERROR: new row for relation \"event\" violates check constraint \"event_status_check\" (SQLSTATE 23514)"
        ),
        "{err}"
    );
    assert!(
        err.contains("the statement: insert into public.event (title, starts_at, status) values ('Gala', now(), 'postponed')"),
        "{err}"
    );
    assert!(
        err.contains("nothing from supabase/migrations/20990101000000_more.sql was applied"),
        "{err}"
    );
    assert_eq!(
        snapshot(&mut client),
        before,
        "the database is as it was before the file"
    );

    // Fixed, it applies, alone.
    let text = fs::read_to_string(app.join("supabase/migrations/20990101000000_more.sql")).unwrap();
    fs::write(
        app.join("supabase/migrations/20990101000000_more.sql"),
        text.replace("'postponed'", "'published'"),
    )
    .unwrap();
    let out = json_out(&liftoff(
        &["db", "push", &app_arg, "--postgres", &url, "--json"],
        &[],
    ));
    assert_eq!(
        out["applied"],
        json!(["supabase/migrations/20990101000000_more.sql"])
    );
    assert_eq!(count(&mut client, "select count(*) from venue"), 1);
}

#[test]
fn a_bad_url_or_unreachable_server_is_a_clear_error() {
    let out = liftoff(
        &[
            "db",
            "push",
            fixture().join("app").to_str().unwrap(),
            "--postgres",
            "postgres://nobody:sekrit@127.0.0.1:1/x",
        ],
        &[],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("could not connect to PostgreSQL at nobody@127.0.0.1:1/x"),
        "{err}"
    );
    assert!(!err.contains("sekrit"), "{err}");
    let out = liftoff(&["db", "push", ".", "--supabase", "abc"], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("holds no SQL to push") || err.contains("SUPABASE_ACCESS_TOKEN"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Local stand-ins over real sockets: Supabase's Management API (running each query on the real
// server) and Base44's eject and list calls (serving the fixture)

const SUPABASE_TOKEN: &str = "sbp_test_token_0123456789";
const PROJECT: &str = "abcdefghijklmnopqrst";

/// `POST /v1/projects/<ref>/database/query` with `{query}`: 201 and the rows of the result as
/// JSON objects of text, or 400 `{message}` with the server's error, as the real API answers.
fn supabase_api(url: String) -> Stub {
    Stub::start(json_handler(move |method, path, auth, body| {
        if auth != Some(&format!("Bearer {SUPABASE_TOKEN}")) {
            return (401, br#"{"message":"Unauthorized"}"#.to_vec());
        }
        if method != "POST" || path != format!("/v1/projects/{PROJECT}/database/query") {
            return (404, br#"{"message":"Not found"}"#.to_vec());
        }
        let query: Value = serde_json::from_slice(body).unwrap();
        let mut client = Client::connect(&url, NoTls).unwrap();
        match client.simple_query(query["query"].as_str().unwrap()) {
            Ok(messages) => {
                let rows: Vec<Value> = messages
                    .iter()
                    .filter_map(|m| match m {
                        SimpleQueryMessage::Row(row) => Some(Value::Object(
                            row.columns()
                                .iter()
                                .enumerate()
                                .map(|(i, c)| {
                                    (
                                        c.name().to_string(),
                                        row.get(i).map_or(Value::Null, |v| v.into()),
                                    )
                                })
                                .collect(),
                        )),
                        _ => None,
                    })
                    .collect();
                (201, serde_json::to_vec(&rows).unwrap())
            }
            Err(e) => {
                let db = e.as_db_error().unwrap();
                let message = format!(
                    "Failed to run sql query: ERROR:  {}: {}\n",
                    db.code().code(),
                    db.message()
                );
                (
                    400,
                    serde_json::to_vec(&json!({ "message": message })).unwrap(),
                )
            }
        }
    }))
}

#[test]
fn db_push_over_the_supabase_management_api() {
    let Some(cluster) = supabase("db_push_over_the_supabase_management_api") else {
        return;
    };
    let (url, mut client) = cluster.database("push_supabase");
    let api = supabase_api(url);
    let dir = tempfile::tempdir().unwrap();
    let app = exported_app(dir.path());
    let app_arg = app.to_str().unwrap().to_string();
    let args = [
        "db",
        "push",
        &app_arg,
        "--supabase",
        PROJECT,
        "--api",
        &api.origin(),
        "--json",
    ];
    let env = [("SUPABASE_ACCESS_TOKEN", SUPABASE_TOKEN)];

    let first = json_out(&liftoff(&args, &env));
    assert_eq!(first["applied"].as_array().unwrap().len(), 2);
    assert_eq!(first["target"], format!("Supabase project {PROJECT}"));
    assert_eq!(count(&mut client, "select count(*) from pg_policies"), 16);
    assert_eq!(count(&mut client, "select count(*) from check_in"), 119);
    assert_eq!(api.requests().len(), 4, "ledger, read, two files");

    let second = json_out(&liftoff(&args, &env));
    assert_eq!(second["applied"], json!([]));
    let before = snapshot(&mut client);

    fs::write(
        app.join("supabase/migrations/20990101000000_more.sql"),
        "create table public.venue (id text primary key);\nselect 1;\nselect 1;\nselect 1;\n\
         insert into public.nowhere values (1);\nselect 2;\n",
    )
    .unwrap();
    let out = liftoff(&args, &env);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "liftoff: error: supabase/migrations/20990101000000_more.sql, statement 5 (line 5) \
             failed: Failed to run sql query: ERROR:  42P01: relation \"public.nowhere\" does not exist"
        ),
        "{err}"
    );
    assert_eq!(snapshot(&mut client), before);

    let out = liftoff(&args, &[("SUPABASE_ACCESS_TOKEN", "wrong")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Supabase refused the token (401)"), "{err}");
    assert!(!err.contains("wrong"), "{err}");
    let out = liftoff(&args, &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("set SUPABASE_ACCESS_TOKEN"));
}

const BASE44_TOKEN: &str = "base44-session-token";

/// Base44's eject (a tar.gz of the fixture app) and list calls (pages of the fixture rows).
fn base44_api(app_id: String) -> Stub {
    let app = read_tree(&fixture().join("app"));
    let mut tar = tar::Builder::new(Vec::new());
    for (path, entry) in app.iter() {
        let mut header = tar::Header::new_gnu();
        header.set_size(entry.bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, path.as_str(), entry.bytes.as_slice())
            .unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar.into_inner().unwrap()).unwrap();
    let eject = gz.finish().unwrap();
    let rows: BTreeMap<String, Vec<Value>> = fixture_rows()
        .into_iter()
        .map(|e| (e.entity, e.rows))
        .collect();
    Stub::start(json_handler(move |_, path, auth, _| {
        if auth != Some(&format!("Bearer {BASE44_TOKEN}")) {
            return (401, br#"{"message":"Unauthorized"}"#.to_vec());
        }
        let prefix = format!("/api/apps/{app_id}/");
        let Some(rest) = path.strip_prefix(&prefix) else {
            return (404, b"{}".to_vec());
        };
        if rest == "eject" {
            return (200, eject.clone());
        }
        let Some((entity, query)) = rest
            .strip_prefix("entities/")
            .and_then(|r| r.split_once('?'))
        else {
            return (404, b"{}".to_vec());
        };
        let params: BTreeMap<&str, usize> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
            .collect();
        let Some(all) = rows.get(entity) else {
            return (404, b"{}".to_vec());
        };
        let from = params["skip"].min(all.len());
        let to = (from + params["limit"].min(50)).min(all.len());
        (200, serde_json::to_vec(&all[from..to]).unwrap())
    }))
}

#[test]
fn db_push_of_a_base44_app_reads_its_schema_and_rows_from_the_api() {
    let Some(cluster) = plain("db_push_of_a_base44_app_reads_its_schema_and_rows_from_the_api")
    else {
        return;
    };
    let (url, mut client) = cluster.database("push_remote");
    let expected = expected();
    let app_id = expected["app_id"].as_str().unwrap().to_string();
    let base44 = base44_api(app_id.clone());
    let input = format!("base44:{app_id}");
    let args = [
        "db",
        "push",
        &input,
        "--postgres",
        &url,
        "--builder-api",
        &base44.origin(),
        "--json",
    ];
    let env = [("BASE44_TOKEN", BASE44_TOKEN)];

    let out = liftoff(&args, &env);
    let first = json_out(&out);
    assert_eq!(
        first["applied"],
        json!([
            "supabase/migrations/20000101000000_liftoff_base44_entities.sql",
            "supabase/seed.sql"
        ])
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("read 420 rows of 4 entities from Base44; 6 did not fit their table"),
        "{err}"
    );
    for entity in ENTITIES {
        let table = expected["tables"][entity].as_str().unwrap();
        assert_eq!(
            count(&mut client, &format!("select count(*) from {table}")),
            expected["inserted"][entity].as_i64().unwrap()
        );
    }
    assert_eq!(
        count(&mut client, "select count(*) from liftoff_unmapped_rows"),
        6
    );
    // Pages of 50 at most (the stand-in caps them below the asked 500), until an empty one.
    let rsvp_pages = base44
        .requests()
        .iter()
        .filter(|r| r.contains("/entities/RSVP?"))
        .count();
    assert_eq!(rsvp_pages, 5);

    let second = json_out(&liftoff(&args, &env));
    assert_eq!(
        second["applied"],
        json!([]),
        "the same rows make the same seed"
    );
    assert_eq!(count(&mut client, "select count(*) from rsvp"), 198);
}
