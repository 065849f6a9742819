#!/usr/bin/env node
// A local stand-in for Supabase's Management API query endpoint, running every query on a
// real PostgreSQL (a throw-away cluster from postgres.mjs, or any URL). Sources:
//   - ../shared/brief/targets.md (Supabase): `POST /v1/projects/{ref}/database/query` with
//     `{query}` and `Authorization: Bearer <personal access token>`; 60 requests a minute.
//   - crates/liftoff-cli/tests/db.rs's `supabase_api` stub, which Liftoff's Rust tests (and
//     liftoff-core's SupabasePush) hold to: 201 and the rows as a JSON array of objects whose
//     values are text (null stays null); 400 `{"message": "Failed to run sql query: ERROR:
//     <SQLSTATE>: <message>\n"}` (two spaces after `ERROR:`, as PostgreSQL's own messages);
//     401 `{"message": "Unauthorized"}` for a missing or wrong token (checked first, whatever
//     the path); 404 `{"message": "Not found"}` for any other path or an unknown project ref.
//   - The real endpoint sends the whole text as one query, so every statement runs in one
//     implicit transaction (a failing statement undoes the ones before it), and answers the
//     rows of the LAST statement's result ([] when it has none). postgres.mjs's runQuery does
//     that with psql (the text whole through \gexec; SHOW_ALL_RESULTS off; --csv parsed;
//     VERBOSITY verbose for the SQLSTATE). Where the stub (simple_query) and this differ, only
//     for several statements each returning rows, this follows the real endpoint.
// Choices of the stand-in: OPTIONS answers 405 and is counted (the extension must never need
// a CORS preflight; the real API's CORS is not modelled); another method on the query path
// answers 405; a body that is not JSON `{"query": "<text>"}` answers 400 `{"message": …}`; psql
// failing without a server error (connection, timeout) answers 500 `{"message": …}`.
// Injected failures (Failures/applyFailure from http.mjs, target 'query', each used once, after
// the token and the project were checked) stand in for the rate limit: `{kind: 429,
// retryAfter: 1}`, any status, 'drop', 'cut', 'redirect'. Latency per request. Every request
// is logged and counted: method, host, path, target, project, status, auth ('ok', 'missing',
// 'wrong'; never the token), the query's first 200 characters, its length, and the SQLSTATE of
// a refused one. `GET /__stats` answers the counts (not counted, no token); `POST /__reset`
// forgets them.
//
// As a module:
//   const sb = await startSupabase({ token, projects: { <ref>: <postgres URL> }, tls, names });
//   sb.origin; sb.api.inject({target: 'query', kind: 429, retryAfter: 0}); sb.api.stats();
// Standalone (starts its own Supabase-like cluster unless --project REF=URL is given):
//   node tests/servers/supabase.mjs --port 8792 [--token T] [--https] [--project REF=URL]...
//     [--latency MS] [--fail-429 query]...
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

import { Failures, applyFailure, bearerOf, listen, parseArgs, sendJson, sleep } from './http.mjs';
import { runQuery, startPostgres } from './postgres.mjs';

/** The Rust tests' token and project ref (crates/liftoff-cli/tests/db.rs). */
export const DEFAULT_TOKEN = 'sbp_test_token_0123456789';
export const DEFAULT_PROJECT = 'abcdefghijklmnopqrst';
export const DEFAULT_NAMES = ['api.supabase.com', 'localhost'];

const QUERY_PATH = /^\/v1\/projects\/([^/]+)\/database\/query$/;

/** Reads a request body (up to limit bytes; null past it). */
function readBody(req, limit) {
  return new Promise((resolvePromise, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The handler and its controls. projects: {<ref>: <postgres URL>}; token: the personal access
 * token every request must bear; latencyMs per request; bodyLimit in bytes (default 32 MiB).
 */
export function createSupabaseApi({
  token = DEFAULT_TOKEN,
  projects = {},
  latencyMs = 0,
  bodyLimit = 32 << 20,
  timeoutMs = 120_000,
} = {}) {
  const urls = new Map(Object.entries(projects));
  const failures = new Failures();
  const state = { latencyMs };
  let log = [];

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    if (url.pathname === '/__stats' && req.method === 'GET') return sendJson(res, 200, stats());
    if (url.pathname === '/__reset' && req.method === 'POST') {
      log = [];
      failures.clear();
      return sendJson(res, 200, { ok: true });
    }
    const entry = { method: req.method, host: req.headers.host, path: url.pathname, status: null };
    log.push(entry);
    const started = Date.now();
    const finish = (status, value) => {
      entry.status = status;
      entry.ms = Date.now() - started;
      sendJson(res, status, value);
    };
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    if (req.method === 'OPTIONS') return finish(405, { message: 'Method not allowed' });
    const given = bearerOf(req);
    entry.auth = given === null ? 'missing' : given === token ? 'ok' : 'wrong';
    if (entry.auth !== 'ok') return finish(401, { message: 'Unauthorized' });
    const match = QUERY_PATH.exec(url.pathname);
    if (!match) return finish(404, { message: 'Not found' });
    entry.project = decodeURIComponent(match[1]);
    if (req.method !== 'POST') return finish(405, { message: 'Method not allowed' });
    const database = urls.get(entry.project);
    if (!database) return finish(404, { message: 'Not found' });
    entry.target = 'query';

    const body = await readBody(req, bodyLimit);
    if (body === null) return finish(413, { message: 'Request body too large' });
    entry.bytes = body.length;
    let query;
    try {
      query = JSON.parse(body.toString('utf8')).query;
    } catch {
      query = undefined;
    }
    if (typeof query !== 'string') return finish(400, { message: 'The body must be JSON {"query": "<SQL>"}' });
    entry.query = query.slice(0, 200);
    entry.queryLength = query.length;

    const failure = failures.take('query');
    if (failure) {
      entry.status = { drop: 'dropped', cut: 'cut', redirect: 302 }[failure.kind] ?? Number(failure.kind ?? 429);
      entry.injected = true;
      entry.ms = Date.now() - started;
      return applyFailure(failure, res);
    }

    const result = await runQuery(database, query, { timeoutMs });
    if (result.ok) return finish(201, result.rows);
    if (result.sqlstate) {
      entry.sqlstate = result.sqlstate;
      return finish(400, { message: `Failed to run sql query: ${result.severity}:  ${result.sqlstate}: ${result.message}\n` });
    }
    entry.error = result.message;
    return finish(500, { message: `Failed to run sql query: ${result.message}` });
  }

  function stats() {
    const byMethod = {};
    const byStatus = {};
    for (const { method, status } of log) {
      byMethod[method] = (byMethod[method] ?? 0) + 1;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
    const queries = log.filter((e) => e.target === 'query').length;
    return {
      total: log.length,
      options: byMethod.OPTIONS ?? 0,
      queries,
      byMethod,
      byStatus,
      injected: log.filter((e) => e.injected).length,
      requests: log.map((e) => ({ ...e })),
    };
  }

  return {
    handle: (req, res) => {
      handle(req, res).catch((error) => {
        if (!res.headersSent) sendJson(res, 500, { message: String(error?.message ?? error) });
      });
    },
    token,
    /** Adds (or points elsewhere) a project ref. */
    setProject(ref, databaseUrl) {
      urls.set(ref, databaseUrl);
    },
    removeProject(ref) {
      urls.delete(ref);
    },
    projects: () => Object.fromEntries(urls),
    setLatency(ms) {
      state.latencyMs = ms;
    },
    /** Failure rules for target 'query', each used once (see http.mjs's Failures). */
    inject(...rules) {
      failures.add(...rules);
    },
    pendingFailures: () => failures.pending,
    stats,
    reset() {
      log = [];
      failures.clear();
    },
  };
}

/**
 * Listens on HTTP, or HTTPS with tls: true (a throw-away certificate for names, default
 * api.supabase.com and localhost) or {key, cert}. Resolves {server, port, origin, close(), api}.
 */
export async function startSupabase({ port = 0, host, tls = false, names = DEFAULT_NAMES, ...options } = {}) {
  const api = createSupabaseApi(options);
  const server = await listen(api.handle, { port, host, tls, names });
  return { ...server, api };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), { flags: ['https'], repeatable: ['project', 'fail-429'] });
  const projects = {};
  let cluster = null;
  for (const pair of args.project ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) {
      console.error('--project takes REF=postgres://…');
      process.exit(2);
    }
    projects[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (Object.keys(projects).length === 0) {
    cluster = await startPostgres({ supabase: true });
    projects[DEFAULT_PROJECT] = await cluster.database('liftoff');
  }
  const sb = await startSupabase({
    port: Number(args.port ?? 0),
    host: args.host ?? '127.0.0.1',
    tls: Boolean(args.https),
    token: args.token ?? DEFAULT_TOKEN,
    projects,
    latencyMs: Number(args.latency ?? 0),
  });
  for (const target of args['fail-429'] ?? []) sb.api.inject({ target, kind: 429, retryAfter: 1 });
  console.log(JSON.stringify({ origin: sb.origin, projects }));
  const stop = async () => {
    console.error(JSON.stringify({ ...sb.api.stats(), requests: undefined }));
    await sb.close();
    await cluster?.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
