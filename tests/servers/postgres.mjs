// A throw-away PostgreSQL cluster for the Node suites, started exactly as
// crates/liftoff-cli/tests/db.rs's `Cluster::start` does: Debian's binaries
// (/usr/lib/postgresql/{15,16,17}/bin, or the folder LIFTOFF_PG_BIN names), `initdb` as the
// `postgres` user when we are root (initdb refuses root), trust authentication, no locale,
// UTF8, `pg_ctl start` on a free port listening on 127.0.0.1 only with its socket in the
// cluster's own temporary folder, fsync and full-page writes off. A detached watchdog shell
// stops the server and removes the folder once this process is gone (or once close() removed
// the folder), so a crashed suite leaves nothing running.
//
// With supabase: true the cluster is prepared like a Supabase project, as db.rs does it: the
// roles anon, authenticated and service_role (cluster-wide), and in every database made by
// database(name) the `auth` schema with auth.jwt() and auth.uid() reading the claims PostgREST
// sets for each request.
//
// Every statement goes through Debian's `psql` client, run asynchronously (never blocking a
// process that also serves HTTP). runQuery() is the one place that does it; supabase.mjs uses
// it for the Management API's query endpoint.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import { freePort, run } from './process.mjs';

/** Supabase's roles (cluster-wide), as db.rs's SUPABASE_ROLES. */
export const SUPABASE_ROLES = `
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
`;

/** Supabase's `auth` functions, as db.rs's SUPABASE_AUTH. */
export const SUPABASE_AUTH = `
create schema auth;
create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;
create function auth.uid() returns uuid language sql stable as $$
  select nullif(auth.jwt() ->> 'sub', '')::uuid
$$;
grant usage on schema auth to anon, authenticated, service_role;
grant execute on all functions in schema auth to anon, authenticated, service_role;
`;

/** The folder holding initdb, pg_ctl and psql, or null. */
export function pgBinDir() {
  if (process.env.LIFTOFF_PG_BIN) {
    const dir = process.env.LIFTOFF_PG_BIN;
    return existsSync(join(dir, 'initdb')) ? dir : null;
  }
  for (const version of ['15', '16', '17']) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

/**
 * The options of a suite that needs PostgreSQL: {} when its binaries are here; {skip: reason}
 * when they are missing and LIFTOFF_SKIP_PG=1 allows skipping, with the suite recorded in the
 * file LIFTOFF_SKIP_LOG names (tests/run-all.sh counts the skips in its summary). Missing
 * without LIFTOFF_SKIP_PG=1: {} too, and the suite fails at startPostgres, as it must.
 */
export function needsPostgres(suite) {
  if (pgBinDir() || process.env.LIFTOFF_SKIP_PG !== '1') return {};
  const reason = 'PostgreSQL missing (LIFTOFF_SKIP_PG=1)';
  if (process.env.LIFTOFF_SKIP_LOG) appendFileSync(process.env.LIFTOFF_SKIP_LOG, `${suite}: ${reason}\n`);
  return { skip: reason };
}

/** The psql client: the one next to the server binaries, else the one on PATH. */
export function psqlPath(bin = pgBinDir()) {
  return bin && existsSync(join(bin, 'psql')) ? join(bin, 'psql') : 'psql';
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** `program args…` as the `postgres` user when we are root. */
function asServerUser(program, args) {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
}

async function quietly(program, args, what) {
  // stdio ignored, as db.rs's run_quietly: pg_ctl's server must never inherit our pipes.
  const [cmd, argv] = asServerUser(program, args);
  const { code } = await run(cmd, argv, { stdio: ['ignore', 'ignore', 'ignore'] });
  return code === 0 || Promise.reject(new Error(`${what} failed (exit ${code})`));
}

// ---------------------------------------------------------------------------------------------
// Queries through psql

/** A value psql prints for NULL: random per process, so no real text can be mistaken for it. */
const NULL_MARK = `<liftoff-null-${randomBytes(12).toString('hex')}>`;

/** The environment for psql: ours without any PG* setting (the URL says everything). */
function psqlEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  return { ...env, PGCLIENTENCODING: 'UTF8', PGCONNECT_TIMEOUT: '10', PGAPPNAME: 'liftoff-test' };
}

/**
 * Parses psql's --csv output (RFC 4180: fields quoted when they hold a comma, a quote, a line
 * break; quotes doubled) into rows of fields.
 */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false; // inside quotes
  let wasQuoted = false; // this field had quotes (so it is never the NULL mark)
  let i = 0;
  const endField = () => {
    row.push(!wasQuoted && field === NULL_MARK ? null : field);
    field = '';
    wasQuoted = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i += 1;
      endField();
      rows.push(row);
      row = [];
    } else {
      field += c;
    }
    i += 1;
  }
  if (quoted) throw new Error('psql printed an unterminated quoted CSV field');
  if (field !== '' || wasQuoted || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

/**
 * The error psql printed with VERBOSITY verbose (`[psql:<stdin>:N: ]ERROR:  <SQLSTATE>: <message>`,
 * then LINE/DETAIL/HINT/QUERY/CONTEXT/LOCATION lines), or null.
 */
export function parseError(stderr) {
  const lines = stderr.split('\n');
  const start = lines.findLastIndex((line) => /^(?:psql:[^\n]*?:\d+: )?(?:ERROR|FATAL|PANIC):  [0-9A-Z]{5}: /.test(line));
  if (start < 0) return null;
  const first = /^(?:psql:[^\n]*?:\d+: )?(ERROR|FATAL|PANIC):  ([0-9A-Z]{5}): (.*)$/.exec(lines[start]);
  const message = [first[3]];
  const extra = {};
  let key = null;
  for (const line of lines.slice(start + 1)) {
    const field = /^(LINE \d+|DETAIL|HINT|QUERY|CONTEXT|LOCATION|STATEMENT):  ?(.*)$/.exec(line);
    if (field) {
      key = field[1].startsWith('LINE') ? 'line' : field[1].toLowerCase();
      extra[key] = field[1].startsWith('LINE') ? `${field[1]}: ${field[2]}` : field[2];
    } else if (key === null) {
      message.push(line); // a message with line breaks of its own
    } else if (key !== 'line' && line !== '') {
      extra[key] += `\n${line}`;
    }
  }
  while (message.length > 1 && message.at(-1) === '') message.pop();
  return { severity: first[1], sqlstate: first[2], message: message.join('\n'), ...extra };
}

/**
 * Runs sql (any number of statements) on the database at url as ONE simple query, which is
 * what the Management API does: one implicit transaction, so a failing statement undoes the
 * ones before it. psql cannot take a large query as an argument (Linux caps one argument at
 * 128 KiB) and splits a script into statements itself, so the text goes through a file into a
 * psql variable and \gexec sends it whole: one Query message. SHOW_ALL_RESULTS off prints only
 * the last statement's result.
 *
 * Resolves {ok: true, rows: [{column: text | null}], columns} for the last statement's result
 * (no rows for a statement without one), or {ok: false, sqlstate, message, detail?, hint?, …}
 * for an error the server reported, or {ok: false, sqlstate: null, message} when psql could
 * not run the query at all (connection refused, unknown database, timeout).
 */
export async function runQuery(url, sql, { psql = psqlPath(), timeoutMs = 120_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'liftoff-psql-'));
  try {
    const file = join(dir, 'query.sql');
    writeFileSync(file, sql, { mode: 0o600 });
    // The backquoted command is run by psql through sh: the path is ours, quoted for sh.
    const script = `\\set q \`cat '${file.replaceAll("'", "'\\''")}'\`\nselect :'q' \\gexec\n`;
    const args = [
      '-X', '-q', '--csv',
      '-v', 'ON_ERROR_STOP=1',
      '-v', 'VERBOSITY=verbose',
      '-v', 'SHOW_ALL_RESULTS=off',
      '-P', `null=${NULL_MARK}`,
      '-d', url,
      '-f', '-',
    ];
    const result = await run(psql, args, { input: script, env: psqlEnv(), timeoutMs });
    if (result.timedOut) return { ok: false, sqlstate: null, message: `the query ran longer than ${timeoutMs} ms` };
    const error = parseError(result.stderr);
    if (error) return { ok: false, ...error };
    if (result.code !== 0) {
      return { ok: false, sqlstate: null, message: result.stderr.trim() || `psql exited with ${result.code}` };
    }
    const [columns = [], ...records] = parseCsv(result.stdout);
    const rows = records.map((record) => {
      const row = {};
      columns.forEach((name, i) => {
        row[name] = record[i] ?? null;
      });
      return row;
    });
    return { ok: true, columns, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The cluster

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Starts a throw-away cluster. Resolves {port, host, url, database(name), psql(db, sql),
 * close()}: url is the `postgres` database's; database(name) drops and creates `name`
 * (prepared like Supabase when supabase is true) and resolves its URL; psql(db, sql) runs sql
 * on db (a database name or a URL) as one simple query and resolves the last statement's rows
 * (objects of text or null), rejecting with an Error carrying sqlstate on failure.
 */
export async function startPostgres({ supabase = false } = {}) {
  const bin = pgBinDir();
  if (!bin) {
    throw new Error(
      'PostgreSQL binaries not found (/usr/lib/postgresql/15/bin). Install them with ' +
        '`apt-get install -y postgresql`, or point LIFTOFF_PG_BIN at a bin folder.',
    );
  }
  const psql = psqlPath(bin);
  const root = mkdtempSync(join(tmpdir(), `liftoff-pg-${supabase ? 'supabase' : 'plain'}-`));
  const data = join(root, 'data');
  const sh = (text) => `'${text.replaceAll("'", "'\\''")}'`;
  const user = isRoot() ? 'runuser -u postgres -- ' : '';
  try {
    if (isRoot()) {
      const { code } = await run('chown', ['postgres:', root], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (code !== 0) throw new Error(`chown ${root} to the postgres user failed`);
    }
    await quietly(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-locale', '-E', 'UTF8', '--no-sync'], 'initdb');
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  // The watchdog: stops the server and removes the folder once this process is gone, or once
  // close() removed the folder. Detached (its own session), so Ctrl-C on the suite reaches it
  // not, and it outlives us on purpose.
  const watch =
    `while kill -0 ${process.pid} 2>/dev/null && [ -d ${sh(data)} ]; do sleep 0.5; done; ` +
    `if [ -d ${sh(data)} ]; then ${user}${sh(join(bin, 'pg_ctl'))} -D ${sh(data)} -m immediate stop; fi; ` +
    `rm -rf ${sh(root)}`;
  const watchdog = spawn('sh', ['-c', watch], { detached: true, stdio: 'ignore' });
  watchdog.unref();

  let port = null;
  for (let attempt = 0; attempt < 5 && port === null; attempt++) {
    const candidate = await freePort();
    const options = `-p ${candidate} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
    const [cmd, argv] = asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-l', join(root, 'log'), '-w', '-t', '60', '-o', options, 'start']);
    const { code } = await run(cmd, argv, { stdio: ['ignore', 'ignore', 'ignore'] });
    if (code === 0) port = candidate;
  }
  if (port === null) throw new Error(`PostgreSQL did not start; see ${join(root, 'log')}`);

  const host = '127.0.0.1';
  const urlOf = (db) => `postgres://postgres@${host}:${port}/${db}`;
  const query = async (db, sql) => {
    const result = await runQuery(db.includes('://') ? db : urlOf(db), sql, { psql });
    if (result.ok) return result.rows;
    const error = new Error(result.sqlstate ? `${result.sqlstate}: ${result.message}` : result.message);
    Object.assign(error, result);
    throw error;
  };
  if (supabase) await query('postgres', SUPABASE_ROLES);

  let closed = null;
  return {
    port,
    host,
    url: urlOf('postgres'),
    supabase,
    root,
    async database(name) {
      if (!NAME.test(name)) throw new Error(`not a plain database name: ${name}`);
      // One statement per query: neither may run inside a transaction block.
      await query('postgres', `drop database if exists ${name} with (force)`);
      await query('postgres', `create database ${name}`);
      if (supabase) await query(name, SUPABASE_AUTH);
      return urlOf(name);
    },
    psql: query,
    close() {
      closed ??= (async () => {
        const [cmd, argv] = asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
        await run(cmd, argv, { stdio: ['ignore', 'ignore', 'ignore'] }).catch(() => {});
        rmSync(root, { recursive: true, force: true }); // the watchdog sees it gone and ends
      })();
      return closed;
    },
  };
}
