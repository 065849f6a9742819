#!/usr/bin/env node
// A local stand-in for Base44's eject and entity list calls, following
// ../shared/brief/builders.md exactly:
//   GET /api/apps/<appId>/eject   with `Authorization: Bearer <token>`
//   → a tar archive of the app's source, gzipped (default) or plain (switchable).
//   GET /api/apps/<appId>/entities/<Name>?limit=<n>&skip=<k>&sort=<[-]field>   (same token)
//   → a JSON array: the entity's rows sorted by field (descending with '-'; unsorted when
//     absent), from skip (default 0), at most min(limit, pageCap) of them (limit defaults to
//     pageCap); [] past the end. The rows come
//     from the app's rows folder, one <Name>.json (a JSON array) per entity; an entity without
//     one, or an app without a rows folder, is a 404.
// 401 without the token, 404 for an unknown app, 400 for a limit or skip that is not a
// non-negative integer, 405 for OPTIONS (a CORS preflight would fail) and other methods.
// Failures can be injected (target 'eject', or 'entities/<Name>' for any page of an entity),
// latency added, requests counted.
//
// As a module: createBase44Api({apps: {<id>: <fixture dir>}, rows: {<id>: <rows dir>}, ...})
// .handle is a (req, res) handler; startBase44Server({...}) listens on HTTP or HTTPS.
// Standalone:
//   node tests/servers/base44.mjs --port 8788 --fixture tests/fixtures/base44/older \
//     [--app <24 hex>] [--token <t>] [--format tar.gz|tar] [--latency 50] [--https] \
//     [--rows tests/fixtures/base44-data/rows] [--page-cap 50]
// GET /__stats answers the counts as JSON (not counted, no token needed).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

import { tar, tarGz } from './archive.mjs';
import { Failures, announceStandalone, applyFailure, bearerOf, listen, parseArgs, sendBytes, sendJson, sleep } from './http.mjs';
import { readTree } from './tree.mjs';

export const DEFAULT_APP = '68a3f1c29b7e4d0012ab34cd';
export const DEFAULT_TOKEN = 'base44-test-access-token';
/** Rows per page at most, whatever limit asks for (Base44 caps its pages too). */
export const DEFAULT_PAGE_CAP = 5000;

/** {<Name>: [row, …]} from every <Name>.json in dir. */
export function readRows(dir) {
  const out = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const rows = JSON.parse(readFileSync(join(dir, entry.name), 'utf8'));
    if (!Array.isArray(rows)) throw new Error(`${join(dir, entry.name)}: not a JSON array`);
    out[entry.name.slice(0, -'.json'.length)] = rows;
  }
  return out;
}

/** rows sorted by sort ('field' ascending, '-field' descending; stable; missing values last). */
function sortRows(rows, sort) {
  if (!sort) return rows;
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const rank = (v) => (v === undefined || v === null ? 1 : 0);
  return [...rows].sort((a, b) => {
    const [x, y] = [a?.[field], b?.[field]];
    if (rank(x) || rank(y)) return rank(x) - rank(y);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return desc ? -order : order;
  });
}

const COUNT = /^(0|[1-9][0-9]{0,8})$/;

export function createBase44Api({
  apps,
  rows = {},
  token = DEFAULT_TOKEN,
  format = 'tar.gz',
  latencyMs = 0,
  pageCap = DEFAULT_PAGE_CAP,
} = {}) {
  const trees = new Map(Object.entries(apps).map(([id, dir]) => [id, readTree(dir)]));
  const tables = new Map(Object.entries(rows).map(([id, dir]) => [id, readRows(dir)]));
  const failures = new Failures();
  const state = { format, latencyMs, pageCap };
  let log = [];

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    if (url.pathname === '/__stats') return sendJson(res, 200, stats());
    const entry = { method: req.method, host: req.headers.host, path: url.pathname, status: null };
    log.push(entry);
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    const finish = (status, send) => {
      send(res);
      entry.status = status;
    };
    if (req.method !== 'GET') return finish(405, (r) => sendJson(r, 405, { error: 'Method not allowed' }));
    const given = bearerOf(req);
    entry.auth = given === null ? 'missing' : given === token ? 'ok' : 'wrong';
    if (entry.auth !== 'ok') return finish(401, (r) => sendJson(r, 401, { message: 'Unauthorized' }));
    const list = /^\/api\/apps\/([^/]+)\/entities\/([^/]+)$/.exec(url.pathname);
    if (list) return listRows(list[1], decodeURIComponent(list[2]), url.searchParams, entry, finish, res);
    const match = /^\/api\/apps\/([^/]+)\/eject$/.exec(url.pathname);
    const files = match ? trees.get(match[1]) : undefined;
    if (!files) return finish(404, (r) => sendJson(r, 404, { message: 'App not found' }));
    const failure = failures.take('eject');
    if (failure) {
      entry.status = { drop: 'dropped', cut: 'cut', redirect: 302 }[failure.kind] ?? Number(failure.kind ?? 429);
      entry.injected = true;
      return applyFailure(failure, res);
    }
    const gz = state.format !== 'tar';
    const body = gz ? tarGz(files) : tar(files);
    return finish(200, (r) =>
      sendBytes(r, 200, body, gz ? 'application/gzip' : 'application/x-tar', {
        'content-disposition': `attachment; filename="${match[1]}.${gz ? 'tar.gz' : 'tar'}"`,
      }),
    );
  }

  function listRows(app, name, params, entry, finish, res) {
    if (!trees.has(app)) return finish(404, (r) => sendJson(r, 404, { message: 'App not found' }));
    const all = tables.get(app)?.[name];
    if (!all) return finish(404, (r) => sendJson(r, 404, { message: `Entity ${name} not found` }));
    const limit = params.get('limit') ?? String(state.pageCap);
    const skip = params.get('skip') ?? '0';
    if (!COUNT.test(limit) || !COUNT.test(skip)) {
      return finish(400, (r) => sendJson(r, 400, { message: 'limit and skip must be non-negative integers' }));
    }
    entry.target = `entities/${name}`;
    Object.assign(entry, { limit: Number(limit), skip: Number(skip) });
    const failure = failures.take(entry.target);
    if (failure) {
      entry.status = { drop: 'dropped', cut: 'cut', redirect: 302 }[failure.kind] ?? Number(failure.kind ?? 429);
      entry.injected = true;
      return applyFailure(failure, res);
    }
    const from = Number(skip);
    const page = sortRows(all, params.get('sort')).slice(from, from + Math.min(Number(limit), state.pageCap));
    return finish(200, (r) => sendJson(r, 200, page));
  }

  function stats() {
    const byMethod = {};
    for (const { method } of log) byMethod[method] = (byMethod[method] ?? 0) + 1;
    return { total: log.length, options: byMethod.OPTIONS ?? 0, byMethod, requests: log.map((e) => ({ ...e })) };
  }

  return {
    handle: (req, res) => {
      handle(req, res).catch((error) => {
        if (!res.headersSent) sendJson(res, 500, { message: String(error?.message ?? error) });
      });
    },
    token,
    apps: [...trees.keys()],
    /** Rows per page at most. */
    setPageCap(value) {
      state.pageCap = value;
    },
    /** 'tar.gz' or 'tar'. */
    setFormat(value) {
      state.format = value;
    },
    setLatency(ms) {
      state.latencyMs = ms;
    },
    inject(...rules) {
      failures.add(...rules);
    },
    stats,
    reset() {
      log = [];
      failures.clear();
    },
  };
}

export async function startBase44Server({ port = 0, host, tls = false, ...options } = {}) {
  const api = createBase44Api(options);
  const server = await listen(api.handle, { port, host, tls, names: ['app.base44.com', 'localhost'] });
  return { ...server, api };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), { flags: ['https'] });
  if (!args.fixture) {
    console.error('usage: node tests/servers/base44.mjs --port N --fixture DIR [--app ID] [--token T] [--format tar.gz|tar] [--latency MS] [--https] [--rows DIR] [--page-cap N]');
    process.exit(2);
  }
  const app = args.app ?? DEFAULT_APP;
  const { origin, api } = await startBase44Server({
    port: Number(args.port ?? 0),
    host: args.host ?? '127.0.0.1',
    tls: Boolean(args.https),
    apps: { [app]: resolve(args.fixture) },
    rows: args.rows ? { [app]: resolve(args.rows) } : {},
    pageCap: Number(args['page-cap'] ?? DEFAULT_PAGE_CAP),
    token: args.token ?? DEFAULT_TOKEN,
    format: args.format ?? 'tar.gz',
    latencyMs: Number(args.latency ?? 0),
  });
  announceStandalone({ origin, app }, api);
}
