// `liftoff db push --supabase` against the Node stand-in of Supabase's Management API
// (tests/servers/supabase.mjs) over a throw-away PostgreSQL prepared like Supabase
// (tests/servers/postgres.mjs). The app is the Base44 data fixture exported by the release
// CLI from the Base44 stand-in (as crates/liftoff-cli/tests/db.rs's `exported_app` leaves it:
// the entities migration and the rows as supabase/seed.sql). What the Rust test asserts against
// its Rust stub holds here too, so the Node stand-in the extension's e2e suite uses says what
// the Rust stub (and Supabase) says. Every count is read from the database, not from the CLI.
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { startBase44Server, DEFAULT_TOKEN as BASE44_TOKEN } from '../servers/base44.mjs';
import { needsPostgres, startPostgres } from '../servers/postgres.mjs';
import { startSupabase, DEFAULT_PROJECT as PROJECT, DEFAULT_TOKEN as TOKEN } from '../servers/supabase.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'tests/fixtures/base44-data');
const EXPECTED = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8'));
const MIGRATION = 'supabase/migrations/20000101000000_liftoff_base44_entities.sql';
const SEED = 'supabase/seed.sql';
const WRONG_TOKEN = 'sbp_wrong_token_never_printed_42';

const PG = needsPostgres('tests/database/db.test.mjs');
const work = mkdtempSync(join(tmpdir(), 'liftoff-database-'));
let bin;
let pg;
let sb;
let dbUrl;
let app;

/** The release CLI, built asynchronously (a no-op when fresh). */
function buildCli() {
  return new Promise((resolve, reject) => {
    const cargo = spawn('cargo', ['build', '--release', '-q', '-p', 'liftoff-cli'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    cargo.once('error', reject);
    cargo.once('close', (code) =>
      code === 0
        ? resolve(join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'release', 'liftoff'))
        : reject(new Error(`cargo build failed (${code})`)),
    );
  });
}

/** Runs the CLI asynchronously (the stand-ins answer from this process), tokens only from env. */
function liftoff(args, env = {}) {
  const base = { ...process.env };
  for (const name of ['SUPABASE_ACCESS_TOKEN', 'BASE44_TOKEN', 'PGPASSWORD']) delete base[name];
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...base, ...env }, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const code = error ? (error.code ?? 1) : 0;
      const json = code === 0 && args.includes('--json') ? JSON.parse(stdout) : null;
      resolve({ code, stdout, stderr, json });
    });
  });
}

const count = async (sql) => Number((await pg.psql(dbUrl, sql))[0].count);

/** What "unchanged" means: columns, policies, the ledger and every table's row count. */
async function snapshot() {
  const [{ columns }] = await pg.psql(
    dbUrl,
    "select string_agg(table_name || '.' || column_name || ':' || data_type, ',' order by table_name, ordinal_position) as columns from information_schema.columns where table_schema = 'public'",
  );
  const [{ policies }] = await pg.psql(dbUrl, "select string_agg(tablename || '.' || policyname, ',' order by tablename, policyname) as policies from pg_policies");
  const tables = await pg.psql(dbUrl, "select tablename from pg_tables where schemaname = 'public' order by 1");
  const counts = [];
  for (const { tablename } of tables) counts.push(`${tablename}=${await count(`select count(*) from public."${tablename}"`)}`);
  return `${columns};${policies};${counts.join(',')}`;
}

const push = (env = { SUPABASE_ACCESS_TOKEN: TOKEN }) =>
  liftoff(['db', 'push', app, '--supabase', PROJECT, '--api', sb.origin, '--json'], env);

const query = (sql, { token = TOKEN, project = PROJECT, method = 'POST' } = {}) =>
  fetch(`${sb.origin}/v1/projects/${project}/database/query`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: method === 'POST' ? JSON.stringify({ query: sql }) : undefined,
  });

before(async () => {
  if (PG.skip) return;
  let started;
  [bin, started] = await Promise.all([buildCli(), startPostgres({ supabase: true })]);
  pg = started;
  dbUrl = await pg.database('liftoff_push');
  sb = await startSupabase({ projects: { [PROJECT]: dbUrl } });

  // The fixture exported from the Base44 stand-in: the entities migration and the rows' seed.
  const appId = EXPECTED.app_id;
  const base44 = await startBase44Server({
    apps: { [appId]: join(FIXTURE, 'app') },
    rows: { [appId]: join(FIXTURE, 'rows') },
    pageCap: 50,
  });
  try {
    app = join(work, 'app');
    const out = await liftoff(['export', `base44:${appId}`, '--api', base44.origin, '-o', app], { BASE44_TOKEN });
    assert.equal(out.code, 0, out.stderr);
  } finally {
    await base44.close();
  }
});

after(async () => {
  await sb?.close();
  await pg?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the stand-in answers as the Rust stub and Supabase do', PG, () => {
  test('201 with the last statement\'s rows as objects of text; null stays null', async () => {
    const response = await query(
      "select 1 as one; select 'a,b \"q\" it''s' as text, E'two\\nlines' as lines, '' as empty, null as nothing, " +
        "true as yes, 1.50::numeric as num, '{\"k\": [1, null]}'::jsonb as doc, 'é 🚀' as utf8",
    );
    assert.equal(response.status, 201);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(await response.json(), [
      { text: 'a,b "q" it\'s', lines: 'two\nlines', empty: '', nothing: null, yes: 't', num: '1.50', doc: '{"k": [1, null]}', utf8: 'é 🚀' },
    ]);
    assert.deepEqual(await (await query('select n::text as n from generate_series(1, 3) n order by n')).json(), [{ n: '1' }, { n: '2' }, { n: '3' }]);
    assert.deepEqual(await (await query('create temp table t (a int); insert into t values (1)')).json(), [], 'no result: []');
    assert.deepEqual(await (await query('select 1 as a where false')).json(), []);
  });

  test('400 with the server\'s SQLSTATE and message; the whole query is one transaction', async () => {
    const response = await query('create table public.half_done (id int); insert into public.nowhere values (1);');
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      message: 'Failed to run sql query: ERROR:  42P01: relation "public.nowhere" does not exist\n',
    });
    assert.equal(await count("select count(*) from pg_tables where tablename = 'half_done'"), 0, 'rolled back');
    const raised = await query("do $$ begin raise exception 'liftoff-probe-passed'; end $$");
    assert.deepEqual(await raised.json(), { message: 'Failed to run sql query: ERROR:  P0001: liftoff-probe-passed\n' });
    const syntax = await query('selec 1');
    assert.deepEqual(await syntax.json(), { message: 'Failed to run sql query: ERROR:  42601: syntax error at or near "selec"\n' });
  });

  test('401 for a missing or wrong token, 404 for an unknown project, OPTIONS 405; the token is never logged', async () => {
    sb.api.reset();
    const wrong = await query('select 1', { token: WRONG_TOKEN });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { message: 'Unauthorized' });
    const missing = await fetch(`${sb.origin}/v1/projects/${PROJECT}/database/query`, { method: 'POST', body: '{"query":"select 1"}' });
    assert.equal(missing.status, 401);
    const unknown = await query('select 1', { project: 'zzzzzzzzzzzzzzzzzzzz' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { message: 'Not found' });
    const options = await query('', { method: 'OPTIONS' });
    assert.equal(options.status, 405);
    const stats = await (await fetch(`${sb.origin}/__stats`)).json();
    assert.equal(stats.total, 4);
    assert.equal(stats.options, 1);
    assert.deepEqual(stats.requests.map((r) => [r.status, r.auth]), [[401, 'wrong'], [401, 'missing'], [404, 'ok'], [405, undefined]]);
    assert.ok(!JSON.stringify(stats).includes(WRONG_TOKEN) && !JSON.stringify(stats).includes(TOKEN));
  });

  test('an injected rate limit answers 429 with Retry-After, once', async () => {
    sb.api.inject({ target: 'query', kind: 429, retryAfter: 3 });
    const limited = await query('select 1 as a');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    const next = await query('select 1 as a');
    assert.deepEqual(await next.json(), [{ a: '1' }]);
  });
});

describe('liftoff db push --supabase over the stand-in', PG, () => {
  test('the export holds the entities migration and the seed', () => {
    assert.ok(existsSync(join(app, MIGRATION)), MIGRATION);
    assert.ok(existsSync(join(app, SEED)), SEED);
  });

  test('first run: both files applied; every table holds the expected rows', async () => {
    sb.api.reset();
    const out = await push();
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(out.json.applied, [MIGRATION, SEED]);
    assert.deepEqual(out.json.already_applied, []);
    assert.equal(out.json.target, `Supabase project ${PROJECT}`);
    for (const [entity, table] of Object.entries(EXPECTED.tables)) {
      assert.equal(await count(`select count(*) from public.${table}`), EXPECTED.inserted[entity], `${entity} → ${table}`);
    }
    assert.equal(await count('select count(*) from liftoff_unmapped_rows'), EXPECTED.unmapped.length);
    assert.equal(await count('select count(*) from pg_policies'), 16);
    assert.equal(await count('select count(*) from liftoff_migrations'), 2);
    const { requests } = sb.api.stats();
    assert.deepEqual(requests.map((r) => [r.method, r.status, r.auth]), [
      ['POST', 201, 'ok'], // the ledger
      ['POST', 201, 'ok'], // read it
      ['POST', 201, 'ok'], // the migration
      ['POST', 201, 'ok'], // the seed
    ]);
    assert.match(requests[0].query, /^create table if not exists public\.liftoff_migrations/);
    assert.ok(requests[3].queryLength > 128 * 1024, 'the seed is larger than one command-line argument may be');
  });

  test('second run: nothing applied, both already applied, nothing changed', async () => {
    const before = await snapshot();
    sb.api.reset();
    const out = await push();
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(out.json.applied, []);
    assert.deepEqual([...out.json.already_applied].sort(), [MIGRATION, SEED].sort());
    assert.equal(sb.api.stats().queries, 2, 'the ledger, then its read');
    assert.equal(await snapshot(), before);
  });

  test('a rate-limited query is sent again after Retry-After', async () => {
    sb.api.reset();
    sb.api.inject({ target: 'query', kind: 429, retryAfter: 1 });
    const out = await push();
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(out.json.applied, []);
    assert.deepEqual(sb.api.stats().requests.map((r) => r.status), [429, 201, 201]);
  });

  test('a failing statement is named with the server\'s words and its file leaves no trace', async () => {
    const before = await snapshot();
    const more = join(app, 'supabase/migrations/20990101000000_more.sql');
    writeFileSync(
      more,
      'create table public.venue (id text primary key);\nselect 1;\nselect 1;\nselect 1;\n' +
        'insert into public.nowhere values (1);\nselect 2;\n',
    );
    try {
      const out = await liftoff(['db', 'push', app, '--supabase', PROJECT, '--api', sb.origin], { SUPABASE_ACCESS_TOKEN: TOKEN });
      assert.notEqual(out.code, 0);
      assert.ok(
        out.stderr.includes(
          'liftoff: error: supabase/migrations/20990101000000_more.sql, statement 5 (line 5) failed: ' +
            'Failed to run sql query: ERROR:  42P01: relation "public.nowhere" does not exist',
        ),
        out.stderr,
      );
      assert.equal(await snapshot(), before, 'the database is as it was before the file');
    } finally {
      unlinkSync(more);
    }
  });

  test('a bad token fails clearly and is never printed; a missing one says which variable', async () => {
    sb.api.reset();
    const out = await push({ SUPABASE_ACCESS_TOKEN: WRONG_TOKEN });
    assert.notEqual(out.code, 0);
    assert.ok(out.stderr.includes('Supabase refused the token (401)'), out.stderr);
    assert.ok(!out.stderr.includes(WRONG_TOKEN) && !out.stdout.includes(WRONG_TOKEN), 'the token never shows');
    assert.deepEqual(sb.api.stats().requests.map((r) => [r.status, r.auth]), [[401, 'wrong']]);
    const none = await push({});
    assert.notEqual(none.code, 0);
    assert.ok(none.stderr.includes('set SUPABASE_ACCESS_TOKEN'), none.stderr);
  });
});
