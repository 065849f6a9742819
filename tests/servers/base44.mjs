#!/usr/bin/env node
// A local stand-in for Base44's eject call, following ../shared/brief/builders.md exactly:
//   GET /api/apps/<appId>/eject   with `Authorization: Bearer <token>`
//   → a tar archive of the app's source, gzipped (default) or plain (switchable).
// 401 without the token, 404 for an unknown app, 405 for OPTIONS (a CORS preflight would fail)
// and other methods. Failures can be injected (target 'eject'), latency added, requests counted.
//
// As a module: createBase44Api({apps: {<id>: <fixture dir>}, ...}).handle is a (req, res)
// handler; startBase44Server({...}) listens on HTTP or HTTPS. Standalone:
//   node tests/servers/base44.mjs --port 8788 --fixture tests/fixtures/base44/older \
//     [--app <24 hex>] [--token <t>] [--format tar.gz|tar] [--latency 50] [--https]
// GET /__stats answers the counts as JSON (not counted, no token needed).
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

import { tar, tarGz } from './archive.mjs';
import { Failures, applyFailure, bearerOf, listen, parseArgs, sendBytes, sendJson, sleep } from './http.mjs';
import { readTree } from './tree.mjs';

export const DEFAULT_APP = '68a3f1c29b7e4d0012ab34cd';
export const DEFAULT_TOKEN = 'base44-test-access-token';

export function createBase44Api({ apps, token = DEFAULT_TOKEN, format = 'tar.gz', latencyMs = 0 } = {}) {
  const trees = new Map(Object.entries(apps).map(([id, dir]) => [id, readTree(dir)]));
  const failures = new Failures();
  const state = { format, latencyMs };
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
    console.error('usage: node tests/servers/base44.mjs --port N --fixture DIR [--app ID] [--token T] [--format tar.gz|tar] [--latency MS] [--https]');
    process.exit(2);
  }
  const app = args.app ?? DEFAULT_APP;
  const { origin, api } = await startBase44Server({
    port: Number(args.port ?? 0),
    host: args.host ?? '127.0.0.1',
    tls: Boolean(args.https),
    apps: { [app]: resolve(args.fixture) },
    token: args.token ?? DEFAULT_TOKEN,
    format: args.format ?? 'tar.gz',
    latencyMs: Number(args.latency ?? 0),
  });
  console.log(JSON.stringify({ origin, app }));
  const stop = () => {
    console.error(JSON.stringify({ ...api.stats(), requests: undefined }));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
