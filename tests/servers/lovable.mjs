#!/usr/bin/env node
// A local stand-in for Lovable's API, following the contract in ../shared/brief/builders.md
// exactly (the endpoints existing tools use; the same ones the core's conversation calls):
//   GET /projects/<id>/source-code           → {"files": [{"name", "contents", "binary"}]},
//                                              binary contents in base64 (can be switched off: 404)
//   GET /projects/<id>/git/files?ref=<ref>   → {"files": [{"path", "type": "file", "size"}]}
//   GET /projects/<id>/git/file?path=<path>&ref=<ref> → the file's raw bytes
// Every request needs `Authorization: Bearer <token>` (401 otherwise). OPTIONS is answered 405,
// so a CORS preflight would fail (the extension's service worker must never need one). Failures
// can be injected (429 with Retry-After, any status, a dropped connection), latency added per
// request, and every request is counted. One fixture folder is the project.
//
// As a module: createLovableApi({...}).handle is a (req, res) handler; startLovableServer({...})
// listens on HTTP or HTTPS. Standalone:
//   node tests/servers/lovable.mjs --port 8787 --fixture tests/fixtures/lovable/expected \
//     [--project <uuid>] [--token <t>] [--ref main] [--latency 50] [--no-source-code] [--https] \
//     [--fail-429 <path|listing|source-code>]... [--drop <target>]... [--cut <target>]...
// GET /__stats answers the counts as JSON (not counted, no token needed); POST /__reset clears them.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

import { Failures, announceStandalone, applyFailure, bearerOf, listen, parseArgs, sendBytes, sendJson, sleep } from './http.mjs';
import { readTree } from './tree.mjs';

export const DEFAULT_PROJECT = '3f0e9c2a-7b4d-4e1a-9c6f-2d8b5a1e7c40';
export const DEFAULT_TOKEN = 'lovable-test-session-token';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the bytes are UTF-8 without NUL, else null (sent as base64 with binary: true). */
function asText(bytes) {
  if (bytes.includes(0)) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

export function createLovableApi({
  fixture,
  projectId = DEFAULT_PROJECT,
  token = DEFAULT_TOKEN,
  ref = 'main',
  sourceCode = true,
  latencyMs = 0,
} = {}) {
  const files = readTree(fixture);
  const byPath = new Map(files.map((file) => [file.path, file.bytes]));
  const failures = new Failures();
  const state = { sourceCode, latencyMs };
  let log = [];

  function sourceCodeBody() {
    return {
      files: files.map(({ path, bytes }) => {
        const text = asText(bytes);
        return text === null
          ? { name: path, contents: bytes.toString('base64'), binary: true }
          : { name: path, contents: text, binary: false };
      }),
    };
  }

  /** What a request asks for: {target, answer(res)} or {status, body}. */
  function route(url) {
    const match = /^\/projects\/([^/]+)\/(source-code|git\/files|git\/file)$/.exec(url.pathname);
    if (!match) return { target: 'unknown', answer: (res) => sendJson(res, 404, { error: 'Not found' }) };
    const [, id, endpoint] = match;
    const notFound = (target) => ({ target, answer: (res) => sendJson(res, 404, { error: 'Not found' }) });
    if (id !== projectId) return notFound(endpoint === 'git/file' ? url.searchParams.get('path') ?? 'file' : endpoint === 'git/files' ? 'listing' : 'source-code');
    if (endpoint === 'source-code') {
      if (!state.sourceCode) return notFound('source-code');
      return { target: 'source-code', answer: (res) => sendJson(res, 200, sourceCodeBody()) };
    }
    if (url.searchParams.get('ref') !== ref) return notFound(endpoint === 'git/files' ? 'listing' : url.searchParams.get('path') ?? 'file');
    if (endpoint === 'git/files') {
      const listing = { files: files.map(({ path, bytes }) => ({ path, type: 'file', size: bytes.length })) };
      return { target: 'listing', answer: (res) => sendJson(res, 200, listing) };
    }
    const path = url.searchParams.get('path') ?? '';
    const bytes = byPath.get(path);
    if (!bytes) return notFound(path);
    return { target: path, answer: (res) => sendBytes(res, 200, bytes, 'application/octet-stream') };
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    if (url.pathname === '/__stats') return sendJson(res, 200, stats());
    if (url.pathname === '/__reset' && req.method === 'POST') {
      log = [];
      return sendJson(res, 200, { ok: true });
    }
    const entry = { method: req.method, host: req.headers.host, path: url.pathname + url.search, target: null, status: null };
    log.push(entry);
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    if (req.method === 'OPTIONS') return answer(405, (r) => sendJson(r, 405, { error: 'Method not allowed' }));
    if (req.method !== 'GET') return answer(405, (r) => sendJson(r, 405, { error: 'Method not allowed' }));
    const given = bearerOf(req);
    entry.auth = given === null ? 'missing' : given === token ? 'ok' : 'wrong';
    if (entry.auth !== 'ok') return answer(401, (r) => sendJson(r, 401, { error: 'Unauthorized' }));
    const routed = route(url);
    entry.target = routed.target;
    const failure = failures.take(routed.target);
    if (failure) {
      entry.status = { drop: 'dropped', cut: 'cut', redirect: 302 }[failure.kind] ?? Number(failure.kind ?? 429);
      entry.injected = true;
      return applyFailure(failure, res);
    }
    return answer(null, routed.answer);

    function answer(status, send) {
      send(res);
      entry.status = status ?? res.statusCode;
    }
  }

  function stats() {
    const byMethod = {};
    for (const { method } of log) byMethod[method] = (byMethod[method] ?? 0) + 1;
    return {
      total: log.length,
      options: byMethod.OPTIONS ?? 0,
      byMethod,
      injected: log.filter((e) => e.injected).length,
      requests: log.map((e) => ({ ...e })),
    };
  }

  return {
    handle: (req, res) => {
      handle(req, res).catch((error) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error?.message ?? error) });
      });
    },
    files,
    projectId,
    token,
    /** Turns the one-request source-code endpoint on or off (404). */
    setSourceCode(on) {
      state.sourceCode = Boolean(on);
    },
    setLatency(ms) {
      state.latencyMs = ms;
    },
    /** Adds failures: {target, kind: 429 | <status> | 'drop', retryAfter?}, each used once. */
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

/** createLovableApi(options) listening on port (0: any) over HTTP, or HTTPS with tls. */
export async function startLovableServer({ port = 0, host, tls = false, ...options } = {}) {
  const api = createLovableApi(options);
  const server = await listen(api.handle, { port, host, tls, names: ['api.lovable.dev', 'lovable-api.com', 'localhost'] });
  return { ...server, api };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), {
    flags: ['https', 'no-source-code'],
    repeatable: ['fail-429', 'drop', 'cut'],
  });
  if (!args.fixture) {
    console.error('usage: node tests/servers/lovable.mjs --port N --fixture DIR [--token T] [--project ID] [--latency MS] [--no-source-code] [--https] [--fail-429 TARGET]... [--drop TARGET]... [--cut TARGET]...');
    process.exit(2);
  }
  const { origin, api } = await startLovableServer({
    port: Number(args.port ?? 0),
    host: args.host ?? '127.0.0.1',
    tls: Boolean(args.https),
    fixture: resolve(args.fixture),
    projectId: args.project ?? DEFAULT_PROJECT,
    token: args.token ?? DEFAULT_TOKEN,
    ref: args.ref ?? 'main',
    sourceCode: !args['no-source-code'],
    latencyMs: Number(args.latency ?? 0),
  });
  api.inject(
    ...(args['fail-429'] ?? []).map((target) => ({ target, kind: 429, retryAfter: 1 })),
    ...(args.drop ?? []).map((target) => ({ target, kind: 'drop' })),
    ...(args.cut ?? []).map((target) => ({ target, kind: 'cut' })),
  );
  announceStandalone({ origin, project: api.projectId, files: api.files.length }, api);
}
