#!/usr/bin/env node
// A local stand-in for Lovable's official API (preview), `/v1`, as far as its documentation
// says, and the same shapes the core's `builders/lovable/official.rs` reads where it is silent:
//   docs.lovable.dev/api-reference/introduction: base `https://api.lovable.dev`, endpoints under
//     `/v1`; `Lovable-API-Key: lov_…` (401 without or with another key), `Lovable-Version`
//     (`2026-09-11`); JSON answers; cursor pagination (`pagination.next_cursor`, `has_more`);
//     errors `{status, title, type, detail, errors, props, request_id}`; 429 with `Retry-After`.
//   docs.lovable.dev/api-reference/projects/get-project: `GET /v1/projects/{id}` →
//     `{id, name, latest_commit_sha, preview_url, workspace_id, …}`.
//   Not in the pages read (the SDK `@lovable.dev/sdk` names them `listFiles(projectId, ref)`,
//   `readFile(projectId, path, ref)`, `getDatabaseStatus(projectId)`):
//     GET /v1/projects/{id}/files?ref=<sha>[&cursor=<c>] → {files: [{path, type, size, binary}],
//       pagination: {next_cursor, has_more}}
//     GET /v1/projects/{id}/files/<path>?ref=<sha> → {path, encoding: 'utf-8' | 'base64', content}
//     GET /v1/projects/{id}/database → {enabled, provider: 'lovable_cloud' | 'supabase',
//       project_ref}, or 404 when the project has no database.
//
// Two commits: the fixture folder is the one the project reports (`latest_commit_sha`); a newer
// one (`newerSha`, `src/App.tsx` changed and one file added) is what `main` (or no ref) serves,
// as when someone edits the project in Lovable during an export: reading anything but the
// reported commit is caught. Any other ref is 404.
//
// As a module: startLovableV1Server({fixture, projectId?, key?, database?, pageSize?}) →
// {origin, api, close}; api.inject({target, kind, retryAfter?}) with targets 'project',
// 'listing', 'database' or a file path; api.stats(). Standalone:
//   node tests/servers/lovable-v1.mjs --fixture tests/fixtures/lovable/expected [--port N]
//     [--project ID] [--key K] [--database lovable-cloud|supabase|none] [--page-size N]
//     [--fail-429 TARGET]... [--https]
// prints {"origin", "project", "files", "sha"} on start.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

import { Failures, announceStandalone, applyFailure, listen, parseArgs, sendJson } from './http.mjs';
import { readTree } from './tree.mjs';

export const DEFAULT_PROJECT = '3f0e9c2a-7b4d-4e1a-9c6f-2d8b5a1e7c40';
export const DEFAULT_KEY = 'lov_test-api-key';
export const REPORTED_SHA = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0';
export const NEWER_SHA = 'ffffeeee0000111122223333444455556666aaaa';
export const CLOUD_REF = 'qpzkvmtdlrwhenbxyjas';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(bytes) {
  if (bytes.includes(0)) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The documented error shape. */
function problem(status, title, type, detail = null) {
  return { detail, errors: null, props: null, request_id: 'stand-in-request', status, title, type };
}

export function createLovableV1Api({
  fixture,
  projectId = DEFAULT_PROJECT,
  key = DEFAULT_KEY,
  database = 'lovable-cloud',
  pageSize = 10,
} = {}) {
  const files = readTree(fixture);
  const reported = new Map(files.map((f) => [f.path, f.bytes]));
  const newer = new Map(reported);
  newer.set('src/App.tsx', Buffer.from('// edited in Lovable after the export started\nexport default () => null;\n'));
  newer.set('src/Newer.tsx', Buffer.from('export const newer = true;\n'));
  const commits = new Map([[REPORTED_SHA, reported], [NEWER_SHA, newer], ['main', newer]]);
  const failures = new Failures();
  let log = [];

  function route(url) {
    const base = `/v1/projects/${projectId}`;
    const notFound = (target) => ({ target, status: 404, body: problem(404, 'Not Found', 'not_found') });
    const path = url.pathname;
    if (path === base) {
      return {
        target: 'project',
        status: 200,
        body: {
          created_at: '2026-01-15T09:30:00Z', id: projectId, is_published: false,
          last_edited_at: '2026-01-15T09:30:00Z', latest_commit_sha: REPORTED_SHA,
          name: 'Task Garden', preview_url: `https://id-preview--${projectId}.lovable.app`,
          visibility: 'workspace_edit', workspace_id: 'workspace_stand_in',
        },
      };
    }
    if (path === `${base}/database`) {
      if (database === 'none') return notFound('database');
      const provider = database === 'lovable-cloud' ? 'lovable_cloud' : 'supabase';
      return { target: 'database', status: 200, body: { enabled: true, provider, project_ref: CLOUD_REF } };
    }
    const tree = commits.get(url.searchParams.get('ref') ?? 'main');
    if (path === `${base}/files`) {
      if (!tree) return notFound('listing');
      const all = [...tree.keys()].sort();
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const page = all.slice(start, start + pageSize);
      const more = start + pageSize < all.length;
      return {
        target: 'listing',
        status: 200,
        body: {
          files: page.map((p) => ({ path: p, type: 'file', size: tree.get(p).length, binary: asText(tree.get(p)) === null })),
          pagination: { has_more: more, next_cursor: more ? String(start + pageSize) : null },
        },
      };
    }
    if (path.startsWith(`${base}/files/`)) {
      const file = path.slice(`${base}/files/`.length).split('/').map(decodeURIComponent).join('/');
      const bytes = tree?.get(file);
      if (!bytes) return notFound(file);
      const text = asText(bytes);
      const body = text === null
        ? { path: file, encoding: 'base64', content: bytes.toString('base64') }
        : { path: file, encoding: 'utf-8', content: text };
      return { target: file, status: 200, body };
    }
    return notFound('unknown');
  }

  function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    if (url.pathname === '/__stats') return sendJson(res, 200, stats());
    const entry = { method: req.method, path: url.pathname + url.search, target: null, status: null, version: req.headers['lovable-version'] ?? null };
    log.push(entry);
    if (req.method !== 'GET') {
      entry.status = 405;
      return sendJson(res, 405, problem(405, 'Method Not Allowed', 'method_not_allowed'));
    }
    const given = req.headers['lovable-api-key'];
    entry.auth = given === undefined ? 'missing' : given === key ? 'ok' : 'wrong';
    if (entry.auth !== 'ok') {
      entry.status = 401;
      return sendJson(res, 401, problem(401, 'Authorization header required', 'unauthorized'));
    }
    const routed = route(url);
    entry.target = routed.target;
    const failure = failures.take(routed.target);
    if (failure) {
      entry.status = Number(failure.kind ?? 429) || failure.kind;
      entry.injected = true;
      if ((failure.kind ?? 429) === 429) {
        entry.status = 429;
        return sendJson(res, 429, problem(429, 'Too Many Requests', 'rate_limited'), { 'retry-after': String(failure.retryAfter ?? 1) });
      }
      return applyFailure(failure, res);
    }
    entry.status = routed.status;
    sendJson(res, routed.status, routed.body);
  }

  function stats() {
    return { total: log.length, injected: log.filter((e) => e.injected).length, requests: log.map((e) => ({ ...e })) };
  }

  return {
    handle,
    files,
    projectId,
    key,
    inject: (...rules) => failures.add(...rules),
    stats,
    reset() {
      log = [];
      failures.clear();
    },
  };
}

export async function startLovableV1Server({ port = 0, host, tls = false, ...options } = {}) {
  const api = createLovableV1Api(options);
  const server = await listen(api.handle, { port, host, tls, names: ['api.lovable.dev', 'localhost'] });
  return { ...server, api };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), { flags: ['https'], repeatable: ['fail-429'] });
  if (!args.fixture) {
    console.error('usage: node tests/servers/lovable-v1.mjs --fixture DIR [--port N] [--project ID] [--key K] [--database lovable-cloud|supabase|none] [--page-size N] [--fail-429 TARGET]... [--https]');
    process.exit(2);
  }
  const { origin, api } = await startLovableV1Server({
    port: Number(args.port ?? 0),
    host: args.host ?? '127.0.0.1',
    tls: Boolean(args.https),
    fixture: resolve(args.fixture),
    projectId: args.project ?? DEFAULT_PROJECT,
    key: args.key ?? DEFAULT_KEY,
    database: args.database ?? 'lovable-cloud',
    pageSize: Number(args['page-size'] ?? 10),
  });
  api.inject(...(args['fail-429'] ?? []).map((target) => ({ target, kind: 429, retryAfter: 1 })));
  announceStandalone({ origin, project: api.projectId, files: api.files.length, sha: REPORTED_SHA }, api);
}
