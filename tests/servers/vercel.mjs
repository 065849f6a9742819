#!/usr/bin/env node
// A local Vercel (REST API at api.vercel.com) that really builds what it is sent and serves the
// result. Where each behaviour comes from:
//   [T] ../shared/brief/targets.md (the contract the Rust client is written against);
//   [C] what @vercel/client 18.4.2 sends and expects (read in its dist/: upload.js, deploy.js,
//       check-deployment-status.js, utils/index.js, utils/ready-state.js);
//   [D] Vercel's REST API reference (vercel.com/docs/rest-api), and its CLI's error handling;
//   [B] the lead's brief for this stand-in, where neither says more.
//
// Every /v… call needs `Authorization: Bearer <token>`; a missing or wrong token gets
// 403 {"error": {"code": "forbidden", "message": "Not authorized", "invalidToken": true}} (or
// "missingToken": true) (Vercel answers invalid tokens with 403, not 401 [D]). `?teamId=` (or `?slug=`) is accepted on every
// call and recorded; projects, deployments and uploaded contents live per team (no teamId: the
// token's personal account). With `teams: [...]`, any other teamId gets 403 [D].
//   GET  /v2/user                                → {user: {id, username, email, name}}
//   GET  /v9/projects/{idOrName}                 → project {id, name, framework, accountId,
//        createdAt, updatedAt, targets: {production: {...}} (only with a production
//        deployment), latestDeployments: [...]} | 404 {error: {code: 'not_found'}} [T][B]
//   POST /v10/projects {name, framework?, buildCommand?, installCommand?, outputDirectory?,
//        environmentVariables?}                  → 200 project | 409 {error: {code: 'conflict'}}
//        | 400 {error: {code: 'bad_request'}} for a name Vercel refuses [B][D]
//   POST /v10/projects/{idOrName}/env[?upsert=true] body [{key, value, type, target: [...]}] or
//        one object                              → 201 {created: [...], failed: []}; without
//        upsert an existing key with a shared target is 400 {error: {code: 'ENV_ALREADY_EXISTS'}}
//        [B][D]. Values stay server-side for the builds (never in a log, never answered back
//        except for type 'plain').
//   GET  /v10/projects/{idOrName}/env            → {envs: [{id, key, type, target, ...}]}
//   POST /v2/files (raw bytes; x-vercel-digest or x-now-digest = SHA-1 hex; Content-Length,
//        x-now-size) → 200 {} ("200 with an empty body/object" [D]; @vercel/client reads only
//        the status [C]); a body whose SHA-1 differs: 400 {error: {code: 'invalid_sha'}}
//        (name unverified: @vercel/client does not mention it); no digest: 400 'missing_digest'.
//   POST /v13/deployments[?teamId&forceNew&skipAutoDetectionConfirmation&withCache]
//        body {name, project?, target?, files: [{file, sha, size, mode?} | {file, data,
//        encoding?: 'base64'|'utf-8', mode?}], projectSettings?, meta?, gitMetadata?, version?,
//        ...} (inline `data` files are what @vercel/client sends when every file is .html/.md
//        [C]) → 400 {error: {code: 'missing_files', message: 'Missing files', missing: [sha…]}}
//        when a sha is unknown [T][C]; otherwise 200 the deployment (readyState QUEUED), the
//        project created on the fly from `name` when absent (as Vercel does) [T][B].
//        Then the build: QUEUED → BUILDING → READY | ERROR, with projectSettings over the
//        project's settings: installCommand (else `npm ci` with a package-lock.json, `npm
//        install` otherwise), buildCommand (else `npm run vercel-build` or `npm run build` when
//        package.json has that script, else none: Vercel's "Other" preset), outputDirectory
//        (else dist/build/public by framework — vite, astro: dist; create-react-app: build —
//        else `public` when the build left one, else the root). A READY production deployment
//        becomes the project's production (targets.production) with alias
//        ['<project>.vercel.app']; every READY deployment gets `aliasAssigned` (a timestamp) at
//        the same moment, which is what ends @vercel/client's wait ('ready' then
//        'alias-assigned' events) [C]. A failed build: readyState 'ERROR', errorCode
//        'BUILD_FAILED' (@vercel/client and the CLI turn exactly that into the build's error
//        event [C][D]), errorStep 'build'|'install'|'output', errorMessage
//        'Command "npm run build" exited with 1: <last stderr line>' (Vercel's own message stops
//        after "exited with 1"; the last line is added here at the lead's request [B]).
//        Production is untouched.
//   GET  /v13/deployments/{idOrUrl}              → the deployment, current readyState [T][C]
//   GET  /v3/deployments/{idOrUrl}/events        → the build log, [{type: 'command'|'stdout'|
//        'stderr', created, text, payload: {text, date, deploymentId}}] (shape approximate) [D]
//   GET  /v6/deployments?projectId=…|app=…&target=production&limit=N&until=&since=&state=
//        → {deployments: [{uid, name, url, created, createdAt, state, readyState, target, …}],
//        pagination: {count, next, prev}} newest first (`next`: pass as `until`) [T][D]
//   POST /v9/projects/{idOrName}/rollback/{deploymentId} (also /v1/…) → 201 {} (READY, of this
//        project, production target; 404/400 otherwise); production switches at once [T]
//   POST /v10/projects/{idOrName}/promote/{deploymentId} → 202 with no body (the docs list 201
//        and 202 "No description"; `vercel promote` sends `json: false`) [D]. Only a READY
//        deployment of this project with target 'production' (a preview "cannot be directly
//        promoted": `vercel promote` rebuilds it instead [D]; the status for that is not
//        documented, 400 here [B]). The switch is not immediate: the project's
//        `lastAliasRequest {type: 'promote', jobStatus: 'pending' → 'in-progress' → 'succeeded'
//        | 'failed', toDeploymentId, requestedAt}` moves over `aliasDelayMs` (default 300), and
//        only then `targets.production` (what `vercel promote status` follows [D]).
//        `failNextAlias()` makes the next job fail with production unchanged.
//   A production deployment created with `autoAssignCustomDomains: false` (`vercel --prod
//        --skip-domain` [D]) is a staged one: READY with readySubstate 'STAGED', never made
//        production by itself; once promoted its substate is 'PROMOTED' for good [D].
// After a rollback, Vercel stops assigning production to new production deployments until one
// is promoted (vercel.com/docs/instant-rollback: "auto-assignment of production domains is
// turned off"); the stand-in models that: `autoAssign` goes false on rollback, true on promote,
// and a READY production deployment becomes production only while it is true (else STAGED).
//
// OPTIONS on any URL answers 405 and is counted (`options` in the stats): the extension's
// requests must never need a CORS preflight.
// Serving what was built (no token): GET|HEAD /__site/{deploymentId}/<path> (that deployment),
// /__production/{projectName}/<path>[?teamId=] (production now; 404 when none), and, by Host,
// `<deployment url>` or `<project>.vercel.app` (for Chromium with --host-resolver-rules).
// Injected failures (Failures from http.mjs, each used once) match a target: 'user', 'project'
// (GET/POST project), 'env', 'files' (or 'files:<sha>' for one content), 'deployments' (POST
// /v13/deployments), 'status' (GET /v13/deployments/{id}), 'events', 'list' (v6), 'rollback',
// 'promote'. kind 429 (with retryAfter), any status, 'drop', 'cut', 'redirect', or 'lost' (the
// request is carried out, then the connection drops before the answer: a lost answer).
//
// As a module: `const vc = await startVercel({token, tls, names, port, host, buildDelayMs,
// buildTimeoutMs, teams, latencyMs})` → {origin, port, api, handle, close}; createVercel(...)
// .handle is the bare (req, res) handler. Standalone (prints {"origin": …}):
//   node tests/servers/vercel.mjs [--port 8790] [--host 127.0.0.1] [--token T] [--https]
//     [--build-delay MS] [--fail-429 TARGET]... [--drop TARGET]...
// GET /__stats: the counts and every request (method, host, path, target, teamId, status, auth
// ok/missing/wrong, request body bytes); POST /__reset clears them and pending failures.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildEnv, buildSource, removeBuild, safePath, serveBuilt, sharedQueue } from './build.mjs';
import { Failures, applyFailure, bearerOf, lostAnswer, runStandalone, sendJson, serveStandIn, sleep } from './http.mjs';

export const DEFAULT_TOKEN = 'vercel-test-token-0123456789';
export const DEFAULT_USER = { id: 'usr_liftoffLocal0001', username: 'founder', email: 'founder@example.com', name: 'Founder' };
const MAX_BODY = 256 * 1024 * 1024;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
function randomId(length, alphabet = ALPHABET) {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Vercel's project names: lower-case letters, digits, '.', '_', '-'; 1 to 100; no '---'. */
function nameProblem(name) {
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) return 'Project names must have 1 to 100 characters.';
  if (!/^[a-z0-9._-]+$/.test(name)) return 'Project names can only contain lowercase letters, digits, and the characters ".", "_" and "-".';
  if (name.includes('---')) return 'Project names cannot contain the sequence "---".';
  return null;
}

function readBody(req, limit = MAX_BODY) {
  return new Promise((resolveBody, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error('body too large'), { tooLarge: true }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sha1 = (bytes) => createHash('sha1').update(bytes).digest('hex');
const DEFAULT_OUTPUT = { vite: 'dist', astro: 'dist', 'create-react-app': 'build', 'vue': 'dist', svelte: 'public', gatsby: 'public', hugo: 'public' };

/**
 * Creates the stand-in (not listening). options: token, user, teams (allowed teamIds; any when
 * absent), buildDelayMs (before a build is queued), buildTimeoutMs, latencyMs, queue (a
 * BuildQueue; build.mjs's sharedQueue by default), root (a folder for builds; temporary).
 */
export function createVercel(options = {}) {
  const token = options.token ?? DEFAULT_TOKEN;
  const user = { ...DEFAULT_USER, ...(options.user ?? {}) };
  const teams = options.teams ? new Set(options.teams) : null;
  const queue = options.queue ?? sharedQueue;
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'liftoff-vercel-'));
  mkdirSync(root, { recursive: true });
  const state = { buildDelayMs: options.buildDelayMs ?? 0, buildTimeoutMs: options.buildTimeoutMs ?? 180_000, latencyMs: options.latencyMs ?? 0, aliasDelayMs: options.aliasDelayMs ?? 300, failNextAlias: false, closed: false };
  const failures = new Failures();
  const scopes = new Map(); // team key ('' = personal) → {projects: Map<id, project>, blobs: Map<sha, Buffer>}
  const deployments = new Map(); // id → deployment (all scopes)
  const pending = new Set(); // this stand-in's build promises
  let log = [];
  let uploads = [];
  let lastTime = 0;

  /** Strictly increasing epoch milliseconds, so "newest first" never ties. */
  const now = () => {
    lastTime = Math.max(Date.now(), lastTime + 1);
    return lastTime;
  };

  const scopeOf = (team) => {
    const key = team ?? '';
    if (!scopes.has(key)) scopes.set(key, { projects: new Map(), blobs: new Map() });
    return scopes.get(key);
  };

  function findProject(team, idOrName) {
    const { projects } = scopeOf(team);
    if (projects.has(idOrName)) return projects.get(idOrName);
    for (const project of projects.values()) if (project.name === idOrName) return project;
    return null;
  }

  function createProject(team, fields) {
    const at = now();
    const project = {
      id: `prj_${randomId(28, BASE62)}`,
      name: fields.name,
      team: team ?? '',
      accountId: team || user.id,
      framework: fields.framework ?? null,
      buildCommand: fields.buildCommand ?? null,
      installCommand: fields.installCommand ?? null,
      outputDirectory: fields.outputDirectory ?? null,
      createdAt: at,
      updatedAt: at,
      env: [],
      productionId: null,
      autoAssign: true,
    };
    scopeOf(team).projects.set(project.id, project);
    if (Array.isArray(fields.environmentVariables)) setEnv(project, fields.environmentVariables, true);
    return project;
  }

  /** Sets variables (upsert replaces same key + overlapping target). Returns {created, error}. */
  function setEnv(project, list, upsert) {
    const created = [];
    for (const item of list) {
      if (!item || typeof item.key !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(item.key) || typeof item.value !== 'string') {
        return { error: { code: 'bad_request', message: 'Invalid request: each variable needs a `key` (letters, digits, _) and a string `value`.' } };
      }
      const target = Array.isArray(item.target) ? item.target : typeof item.target === 'string' ? [item.target] : ['production', 'preview', 'development'];
      const clash = project.env.filter((e) => e.key === item.key && e.target.some((t) => target.includes(t)));
      if (clash.length && !upsert) {
        return {
          error: {
            code: 'ENV_ALREADY_EXISTS',
            message: 'Another Environment Variable with the same Name and Environment exists in your project. Remove it or choose a different Name or Environment.',
            key: item.key,
          },
        };
      }
      project.env = project.env.filter((e) => !clash.includes(e));
      const at = now();
      const entry = { id: randomId(16, BASE62), key: item.key, value: item.value, type: item.type ?? 'encrypted', target, createdAt: clash[0]?.createdAt ?? at, updatedAt: at };
      project.env.push(entry);
      created.push(entry);
    }
    project.updatedAt = now();
    return { created };
  }

  const envJson = (entry) => ({
    id: entry.id,
    key: entry.key,
    type: entry.type,
    target: entry.target,
    ...(entry.type === 'plain' ? { value: entry.value } : {}),
    configurationId: null,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  });

  function aliasesOf(d) {
    const project = findProject(d.team, d.projectId);
    return d.target === 'production' && project ? [`${project.name}.vercel.app`] : [];
  }

  function deploymentJson(d) {
    const project = findProject(d.team, d.projectId);
    const ready = d.readyState === 'READY';
    return {
      id: d.id,
      url: d.url,
      name: d.name,
      project: project ? { id: project.id, name: project.name, framework: project.framework } : undefined,
      projectId: d.projectId,
      ownerId: d.team || user.id,
      team: d.team ? { id: d.team } : undefined,
      version: 2,
      type: 'LAMBDAS',
      source: d.source,
      target: d.target,
      readyState: d.readyState,
      status: d.readyState,
      readySubstate: ready && d.target === 'production' ? (d.promoted || project?.productionId === d.id ? 'PROMOTED' : 'STAGED') : undefined,
      autoAssignCustomDomains: d.autoAssignCustomDomains !== false,
      createdAt: d.createdAt,
      buildingAt: d.buildingAt ?? undefined,
      ready: d.ready ?? undefined,
      createdIn: 'iad1',
      regions: ['iad1'],
      plan: 'hobby',
      public: false,
      creator: { uid: user.id, username: user.username },
      inspectorUrl: `https://vercel.com/${d.team || user.username}/${d.name}/${d.id.slice(4)}`,
      meta: d.meta,
      gitSource: null,
      projectSettings: d.projectSettings,
      alias: d.aliasAssigned ? aliasesOf(d) : [],
      aliasAssigned: d.aliasAssigned ?? null,
      aliasError: null,
      isInConcurrentBuildsQueue: d.readyState === 'QUEUED',
      ...(d.readyState === 'ERROR'
        ? { errorCode: d.errorCode, errorMessage: d.errorMessage, errorStep: d.errorStep, errorLink: 'https://vercel.com/docs/deployments/troubleshoot-a-build' }
        : {}),
    };
  }

  function listItem(d) {
    const full = deploymentJson(d);
    return {
      uid: d.id,
      name: d.name,
      url: d.url,
      created: d.createdAt,
      createdAt: d.createdAt,
      buildingAt: full.buildingAt,
      ready: full.ready,
      state: d.readyState,
      readyState: d.readyState,
      readySubstate: full.readySubstate,
      type: 'LAMBDAS',
      target: d.target,
      projectId: d.projectId,
      creator: full.creator,
      inspectorUrl: full.inspectorUrl,
      meta: d.meta,
      source: d.source,
      aliasAssigned: full.aliasAssigned,
      aliasError: null,
      isRollbackCandidate: d.readyState === 'READY' && d.target === 'production',
      ...(d.readyState === 'ERROR' ? { errorCode: d.errorCode, errorMessage: d.errorMessage } : {}),
    };
  }

  function projectJson(project) {
    const mine = [...deployments.values()].filter((d) => d.team === project.team && d.projectId === project.id);
    mine.sort((a, b) => b.createdAt - a.createdAt);
    const production = project.productionId ? deployments.get(project.productionId) : null;
    const summary = (d) => ({
      id: d.id,
      url: d.url,
      name: d.name,
      createdAt: d.createdAt,
      readyState: d.readyState,
      target: d.target,
      alias: d.aliasAssigned ? aliasesOf(d) : [],
      aliasAssigned: d.aliasAssigned ?? null,
      aliasError: null,
      buildingAt: d.buildingAt ?? undefined,
      readyAt: d.ready ?? undefined,
      creator: { uid: user.id, username: user.username },
      type: 'LAMBDAS',
      plan: 'hobby',
      ...(d.readyState === 'ERROR' ? { errorCode: d.errorCode, errorMessage: d.errorMessage } : {}),
    });
    return {
      id: project.id,
      name: project.name,
      accountId: project.accountId,
      framework: project.framework,
      buildCommand: project.buildCommand,
      installCommand: project.installCommand,
      outputDirectory: project.outputDirectory,
      devCommand: null,
      rootDirectory: null,
      nodeVersion: '20.x',
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
      live: false,
      ...(production ? { targets: { production: summary(production) } } : {}),
      ...(project.lastAliasRequest ? { lastAliasRequest: { ...project.lastAliasRequest } } : {}),
      latestDeployments: mine.slice(0, 5).map(summary),
    };
  }

  /** Queues the build of d; its promise is kept so close() can wait for it. */
  function scheduleBuild(d) {
    const job = (async () => {
      if (state.buildDelayMs > 0) await sleep(state.buildDelayMs);
      await queue.run(() => runBuild(d));
    })().catch((error) => {
      d.readyState = 'ERROR';
      d.errorCode = 'UNEXPECTED_ERROR';
      d.errorMessage = `The stand-in failed to build: ${error.message}`;
      d.errorStep = 'build';
    });
    pending.add(job);
    job.finally(() => pending.delete(job));
  }

  async function runBuild(d) {
    if (state.closed) return;
    const project = findProject(d.team, d.projectId);
    const scope = scopeOf(d.team);
    d.readyState = 'BUILDING';
    d.buildingAt = now();
    const files = d.files.map((f) => ({ path: f.file, bytes: f.data ?? scope.blobs.get(f.sha), mode: f.mode }));
    const settings = {
      framework: project?.framework ?? null,
      buildCommand: project?.buildCommand ?? null,
      installCommand: project?.installCommand ?? null,
      outputDirectory: project?.outputDirectory ?? null,
      ...Object.fromEntries(Object.entries(d.projectSettings ?? {}).filter(([, v]) => v !== undefined && v !== null)),
    };
    const packageJson = files.find((f) => f.path === 'package.json');
    let scripts = {};
    try {
      scripts = packageJson ? (JSON.parse(packageJson.bytes.toString('utf8')).scripts ?? {}) : {};
    } catch {
      scripts = {};
    }
    // Vercel's "Other" preset: `npm run vercel-build` or `npm run build` when the script exists.
    const buildCommand = settings.buildCommand || (scripts['vercel-build'] ? 'npm run vercel-build' : scripts.build ? 'npm run build' : null);
    const target = d.target === 'production' ? 'production' : 'preview';
    const vars = {};
    for (const entry of project?.env ?? []) if (entry.target.includes(target)) vars[entry.key] = entry.value;
    const system = { VERCEL: '1', CI: '1', VERCEL_ENV: target, VERCEL_TARGET_ENV: target, VERCEL_URL: d.url, VERCEL_PROJECT_PRODUCTION_URL: `${d.name}.vercel.app` };
    const outputDirectory = settings.outputDirectory || DEFAULT_OUTPUT[settings.framework] || null;
    const result = await buildSource({
      files,
      parent: root,
      env: buildEnv(vars, system),
      installCommand: settings.installCommand || null,
      buildCommand,
      outputDirectory: outputDirectory ?? '.',
      timeoutMs: state.buildTimeoutMs,
    });
    d.build = result;
    if (!outputDirectory && result.ok) {
      // No output directory set: `public` when the build left one, else the folder itself.
      const pub = join(result.dir, 'src', 'public');
      try {
        if (statSync(pub).isDirectory()) result.output = pub;
      } catch {
        // no public folder
      }
    }
    if (state.closed) return;
    if (result.ok) {
      const at = now();
      d.readyState = 'READY';
      d.ready = at;
      d.aliasAssigned = at;
      if (d.target === 'production' && project && project.autoAssign !== false && d.autoAssignCustomDomains !== false) {
        project.productionId = d.id;
        d.promoted = true;
      }
      return;
    }
    const f = result.failure;
    d.readyState = 'ERROR';
    d.errorCode = 'BUILD_FAILED';
    d.errorStep = f.step;
    if (f.missingOutput) {
      d.errorMessage = `No Output Directory named "${outputDirectory ?? 'public'}" found after the Build completed. You can configure the Output Directory in your Project Settings.`;
    } else if (f.timedOut) {
      d.errorMessage = `Command "${f.command}" timed out after ${Math.round(state.buildTimeoutMs / 1000)}s${f.line ? `: ${f.line}` : ''}`;
    } else {
      d.errorMessage = `Command "${f.command.replace(/ --no-audit --no-fund --prefer-offline$/, '')}" exited with ${f.code}${f.line ? `: ${f.line}` : ''}`;
    }
  }

  function findDeployment(team, idOrUrl) {
    const key = idOrUrl.replace(/^https?:\/\//, '').replace(/\/$/, '');
    const d = deployments.get(key) ?? [...deployments.values()].find((x) => x.url === key);
    return d && d.team === (team ?? '') ? d : null;
  }

  /** What a request is (for failures and counting); null for unknown routes. */
  function targetOf(method, path) {
    if (path === '/v2/user') return 'user';
    if (/^\/v\d+\/projects\/[^/]+\/env$/.test(path)) return 'env';
    if (/^\/v\d+\/projects\/[^/]+\/rollback\/[^/]+$/.test(path)) return 'rollback';
    if (/^\/v\d+\/projects\/[^/]+\/promote\/[^/]+$/.test(path)) return 'promote';
    if (/^\/v\d+\/projects(\/[^/]+)?$/.test(path)) return 'project';
    if (path === '/v2/files' || path === '/v2/now/files') return 'files';
    if (/^\/v\d+\/deployments\/[^/]+\/events$/.test(path)) return 'events';
    if (/^\/v\d+\/(now\/)?deployments$/.test(path)) return method === 'POST' ? 'deployments' : 'list';
    if (/^\/v\d+\/(now\/)?deployments\/[^/]+$/.test(path)) return 'status';
    return null;
  }

  const err = (res, status, code, message, extra = {}) => sendJson(res, status, { error: { code, message, ...extra } });

  function sendInjected(rule, res) {
    if (['drop', 'cut', 'redirect'].includes(rule.kind)) return applyFailure(rule, res);
    const status = rule.kind === undefined ? 429 : Number(rule.kind);
    const headers = rule.retryAfter !== undefined ? { 'retry-after': String(rule.retryAfter) } : {};
    if (status === 429) {
      const reset = Math.floor(Date.now() / 1000) + Number(rule.retryAfter ?? 60);
      Object.assign(headers, { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
      return sendJson(res, 429, { error: { code: 'rate_limited', message: 'Rate limit exceeded', limit: { remaining: 0, reset, total: 100 } } }, headers);
    }
    return sendJson(res, status, { error: { code: status >= 500 ? 'internal_server_error' : 'injected', message: 'Injected failure' } }, headers);
  }

  /** Serves a deployment's output, or 404 text. */
  function serveDeployment(req, res, d, path) {
    if (!d || d.readyState !== 'READY' || !d.build?.output) {
      const body = Buffer.from(d ? `404: DEPLOYMENT_NOT_READY (${d.readyState})\n` : '404: DEPLOYMENT_NOT_FOUND\n');
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
      return res.end(body);
    }
    return serveBuilt(req, res, d.build.output, path);
  }

  function productionOf(name, team) {
    const project = findProject(team, name);
    return project?.productionId ? deployments.get(project.productionId) : null;
  }

  /** Answers site requests (no token); true when it did. */
  function serveSite(req, res, url) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let match = /^\/__site\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (match) {
      serveDeployment(req, res, deployments.get(match[1]) ?? [...deployments.values()].find((d) => d.url === match[1]), match[2] ?? '/');
      return true;
    }
    match = /^\/__production\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (match) {
      const team = url.searchParams.get('teamId') ?? '';
      serveDeployment(req, res, productionOf(decodeURIComponent(match[1]), team), match[2] ?? '/');
      return true;
    }
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (host.endsWith('.vercel.app')) {
      const byUrl = [...deployments.values()].find((d) => d.url === host);
      if (byUrl) {
        serveDeployment(req, res, byUrl, url.pathname);
        return true;
      }
      const name = host.slice(0, -'.vercel.app'.length);
      for (const [team] of scopes) {
        if (findProject(team, name)) {
          serveDeployment(req, res, productionOf(name, team), url.pathname);
          return true;
        }
      }
    }
    return false;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    const path = url.pathname;
    if (path === '/__stats') return sendJson(res, 200, stats());
    if (path === '/__reset' && req.method === 'POST') {
      api.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (serveSite(req, res, url)) return;
    const team = url.searchParams.get('teamId') ?? url.searchParams.get('slug') ?? '';
    const entry = { method: req.method, host: req.headers.host, path: path + url.search, target: targetOf(req.method, path), teamId: team || null, status: null, auth: null, bytesIn: 0 };
    log.push(entry);
    res.on('finish', () => {
      if (entry.status === null) entry.status = res.statusCode;
    });
    res.on('close', () => {
      if (entry.status === null) entry.status = res.writableFinished ? res.statusCode : 'dropped';
    });
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    if (req.method === 'OPTIONS') return err(res, 405, 'method_not_allowed', 'Method Not Allowed');
    let body;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error.tooLarge) return err(res, 413, 'payload_too_large', 'Request body too large');
      throw error;
    }
    entry.bytesIn = body.length;
    const given = bearerOf(req);
    entry.auth = given === null ? 'missing' : given === token ? 'ok' : 'wrong';
    if (entry.auth !== 'ok') {
      return err(res, 403, 'forbidden', 'Not authorized', entry.auth === 'missing' ? { missingToken: true } : { invalidToken: true });
    }
    if (team && teams && !teams.has(team)) {
      return err(res, 403, 'forbidden', `Not authorized: Trying to access resource under scope "${team}". You must re-authenticate to this scope or use a token with access to this scope.`, { scope: team });
    }
    if (entry.target) {
      const sha = entry.target === 'files' ? req.headers['x-vercel-digest'] ?? req.headers['x-now-digest'] : null;
      const rule = (sha && failures.take(`files:${sha}`)) || failures.take(entry.target);
      if (rule?.kind === 'lost') {
        // Carried out, answer lost: the request is served, then the connection drops.
        entry.injected = true;
        entry.status = 'lost';
        return route(req, lostAnswer(res), url, team, body, entry);
      }
      if (rule) {
        entry.injected = true;
        entry.status = { drop: 'dropped', cut: 'cut', redirect: 302 }[rule.kind] ?? Number(rule.kind ?? 429);
        return sendInjected(rule, res);
      }
    }
    return route(req, res, url, team, body, entry);
  }

  function parseJson(body) {
    try {
      return { value: JSON.parse(body.toString('utf8') || 'null') };
    } catch {
      return { error: true };
    }
  }

  function route(req, res, url, team, body, entry) {
    const path = url.pathname;
    const method = req.method;
    const scope = scopeOf(team);
    let match;

    if (path === '/v2/user' && method === 'GET') return sendJson(res, 200, { user: { ...user, uid: user.id } });

    if ((match = /^\/v\d+\/projects\/([^/]+)$/.exec(path)) && method === 'GET') {
      const project = findProject(team, decodeURIComponent(match[1]));
      return project ? sendJson(res, 200, projectJson(project)) : err(res, 404, 'not_found', 'Project not found');
    }
    if (/^\/v\d+\/projects$/.test(path) && method === 'POST') {
      const { value, error } = parseJson(body);
      if (error || !value || typeof value !== 'object') return err(res, 400, 'bad_request', 'Invalid JSON body');
      const problem = nameProblem(value.name);
      if (problem) return err(res, 400, 'bad_request', `Invalid request: \`name\` is invalid. ${problem}`);
      if (findProject(team, value.name)) return err(res, 409, 'conflict', 'Project already exists');
      return sendJson(res, 200, projectJson(createProject(team, value)));
    }
    if ((match = /^\/v\d+\/projects\/([^/]+)\/env$/.exec(path))) {
      const project = findProject(team, decodeURIComponent(match[1]));
      if (!project) return err(res, 404, 'not_found', 'Project not found');
      if (method === 'GET') return sendJson(res, 200, { envs: project.env.map(envJson) });
      if (method !== 'POST') return err(res, 405, 'method_not_allowed', 'Method Not Allowed');
      const { value, error } = parseJson(body);
      if (error || !value || typeof value !== 'object') return err(res, 400, 'bad_request', 'Invalid JSON body');
      const upsert = ['true', '1'].includes(url.searchParams.get('upsert') ?? '');
      const result = setEnv(project, Array.isArray(value) ? value : [value], upsert);
      if (result.error) return sendJson(res, 400, { error: result.error });
      return sendJson(res, 201, { created: result.created.length === 1 && !Array.isArray(value) ? envJson(result.created[0]) : result.created.map(envJson), failed: [] });
    }
    if ((path === '/v2/files' || path === '/v2/now/files') && method === 'POST') {
      const digest = String(req.headers['x-vercel-digest'] ?? req.headers['x-now-digest'] ?? '').toLowerCase();
      if (!digest) return err(res, 400, 'missing_digest', 'Missing `x-vercel-digest` header');
      const size = req.headers['x-now-size'];
      if (size !== undefined && Number(size) !== body.length) {
        return err(res, 400, 'invalid_size', `The file size (${body.length}) does not match \`x-now-size\` (${size})`);
      }
      const actual = sha1(body);
      if (actual !== digest) return err(res, 400, 'invalid_sha', `The SHA-1 of the body (${actual}) does not match \`x-vercel-digest\` (${digest})`);
      scope.blobs.set(actual, body);
      uploads.push({ sha: actual, size: body.length, team: team || null });
      return sendJson(res, 200, {});
    }
    if (/^\/v\d+\/(now\/)?deployments$/.test(path) && method === 'POST') return createDeployment(res, url, team, body);
    if ((match = /^\/v\d+\/deployments\/([^/]+)\/events$/.exec(path)) && method === 'GET') {
      const d = findDeployment(team, decodeURIComponent(match[1]));
      if (!d) return err(res, 404, 'not_found', 'Deployment not found');
      const events = (d.build?.log ?? []).map((line, i) => ({
        type: line.stream,
        created: line.at,
        date: line.at,
        serial: String(i),
        text: line.text,
        payload: { text: line.text, date: line.at, deploymentId: d.id, serial: String(i) },
      }));
      return sendJson(res, 200, events);
    }
    if ((match = /^\/v\d+\/(?:now\/)?deployments\/([^/]+)$/.exec(path)) && method === 'GET') {
      const d = findDeployment(team, decodeURIComponent(match[1]));
      return d ? sendJson(res, 200, deploymentJson(d)) : err(res, 404, 'not_found', 'Deployment not found');
    }
    if (/^\/v\d+\/(now\/)?deployments$/.test(path) && method === 'GET') return listDeployments(res, url, team);
    if ((match = /^\/v\d+\/projects\/([^/]+)\/(rollback|promote)\/([^/]+)$/.exec(path)) && method === 'POST') {
      const project = findProject(team, decodeURIComponent(match[1]));
      if (!project) return err(res, 404, 'not_found', 'Project not found');
      const d = findDeployment(team, decodeURIComponent(match[3]));
      if (!d || d.projectId !== project.id) return err(res, 404, 'not_found', 'Deployment not found');
      if (d.readyState !== 'READY') return err(res, 400, 'bad_request', `Deployment ${d.id} is not READY (${d.readyState}).`);
      if (d.target !== 'production') {
        const what = match[2] === 'rollback' ? 'rolled back to' : 'promoted directly';
        return err(res, 400, 'bad_request', `Deployment ${d.id} is not a production deployment and cannot be ${what}.`);
      }
      if (match[2] === 'promote') return promote(res, project, d);
      project.productionId = d.id;
      d.promoted = true;
      project.autoAssign = false;
      project.updatedAt = now();
      return sendJson(res, 201, {});
    }
    entry.target = entry.target ?? 'unknown';
    return err(res, 404, 'not_found', 'The requested path was not found.');
  }

  /** A promotion: an alias job that switches production after aliasDelayMs (or fails). */
  function promote(res, project, d) {
    const job = { type: 'promote', jobStatus: 'pending', toDeploymentId: d.id, requestedAt: now() };
    const fails = state.failNextAlias;
    state.failNextAlias = false;
    project.lastAliasRequest = job;
    const step = setTimeout(() => {
      if (project.lastAliasRequest === job) job.jobStatus = 'in-progress';
    }, state.aliasDelayMs / 2);
    const done = setTimeout(() => {
      if (project.lastAliasRequest !== job) return;
      if (fails) {
        job.jobStatus = 'failed';
        return;
      }
      project.productionId = d.id;
      d.promoted = true;
      project.autoAssign = true;
      project.updatedAt = now();
      job.jobStatus = 'succeeded';
    }, state.aliasDelayMs);
    step.unref?.();
    done.unref?.();
    res.writeHead(202, { 'content-length': '0' });
    res.end();
  }

  function createDeployment(res, url, team, body) {
    const { value, error } = parseJson(body);
    if (error || !value || typeof value !== 'object' || Array.isArray(value)) return err(res, 400, 'bad_request', 'Invalid JSON body');
    const scope = scopeOf(team);
    if (!Array.isArray(value.files)) return err(res, 400, 'bad_request', 'Invalid request: `files` should be an array.');
    const files = [];
    const missing = [];
    const paths = new Set();
    for (const f of value.files) {
      const file = safePath(f?.file);
      if (!file) return err(res, 400, 'bad_request', `Invalid request: file name ${JSON.stringify(f?.file)} is not allowed.`);
      if (paths.has(file)) return err(res, 400, 'bad_request', `Invalid request: file ${file} is listed twice.`);
      paths.add(file);
      if (typeof f.data === 'string') {
        files.push({ file, data: Buffer.from(f.data, f.encoding === 'base64' ? 'base64' : 'utf8'), mode: f.mode });
        continue;
      }
      const sha = String(f.sha ?? '').toLowerCase();
      if (!/^[0-9a-f]{40}$/.test(sha)) return err(res, 400, 'bad_request', `Invalid request: file ${file} has no valid \`sha\`.`);
      if (!scope.blobs.has(sha)) {
        if (!missing.includes(sha)) missing.push(sha);
      }
      files.push({ file, sha, mode: f.mode });
    }
    let project = null;
    if (value.project) {
      project = findProject(team, String(value.project));
      if (!project) return err(res, 404, 'not_found', 'Project not found');
    }
    const name = project?.name ?? value.name;
    if (!project) {
      const problem = nameProblem(name);
      if (problem) return err(res, 400, 'bad_request', `Invalid request: \`name\` is invalid. ${problem}`);
    }
    if (missing.length) return err(res, 400, 'missing_files', 'Missing files', { missing });
    if (!project) project = findProject(team, name) ?? createProject(team, { name, ...(value.projectSettings ?? {}) });
    const target = value.target === 'production' ? 'production' : null;
    const d = {
      id: `dpl_${randomId(28, BASE62)}`,
      team: team ?? '',
      projectId: project.id,
      name: project.name,
      url: `${project.name}-${randomId(9)}.vercel.app`,
      target,
      source: value.source ?? 'cli',
      readyState: 'QUEUED',
      createdAt: now(),
      files,
      projectSettings: value.projectSettings ?? {},
      meta: value.meta ?? {},
      autoAssignCustomDomains: value.autoAssignCustomDomains === false ? false : undefined,
      query: Object.fromEntries(url.searchParams),
    };
    deployments.set(d.id, d);
    scheduleBuild(d);
    return sendJson(res, 200, deploymentJson(d));
  }

  function listDeployments(res, url, team) {
    const q = url.searchParams;
    let list = [...deployments.values()].filter((d) => d.team === (team ?? ''));
    const projectRef = q.get('projectId') ?? q.get('app');
    if (projectRef) {
      const project = findProject(team, projectRef);
      list = project ? list.filter((d) => d.projectId === project.id) : [];
    }
    if (q.get('target')) list = list.filter((d) => (d.target ?? 'preview') === q.get('target'));
    if (q.get('state')) {
      const states = q.get('state').split(',');
      list = list.filter((d) => states.includes(d.readyState));
    }
    if (q.get('until')) list = list.filter((d) => d.createdAt < Number(q.get('until')));
    if (q.get('since')) list = list.filter((d) => d.createdAt > Number(q.get('since')));
    list.sort((a, b) => b.createdAt - a.createdAt);
    const limit = Math.min(100, Math.max(1, Number(q.get('limit') ?? 20) || 20));
    const page = list.slice(0, limit);
    return sendJson(res, 200, {
      deployments: page.map(listItem),
      pagination: {
        count: page.length,
        next: list.length > limit ? page.at(-1).createdAt : null,
        prev: page.length ? page[0].createdAt : null,
      },
    });
  }

  function stats() {
    const byMethod = {};
    const byTarget = {};
    for (const e of log) {
      byMethod[e.method] = (byMethod[e.method] ?? 0) + 1;
      if (e.target) byTarget[e.target] = (byTarget[e.target] ?? 0) + 1;
    }
    return {
      total: log.length,
      options: byMethod.OPTIONS ?? 0,
      byMethod,
      byTarget,
      injected: log.filter((e) => e.injected).length,
      uploads: uploads.length,
      uploadedBytes: uploads.reduce((sum, u) => sum + u.size, 0),
      requests: log.map((e) => ({ ...e })),
    };
  }

  const api = {
    token,
    root,
    handle: (req, res) => {
      handle(req, res).catch((error) => {
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal_server_error', message: `stand-in error: ${error.message}` } });
        else res.destroy();
      });
    },
    /** Adds failures: {target, kind: 429 | <status> | 'drop' | 'cut' | 'redirect' | 'lost', retryAfter?}. */
    inject(...rules) {
      failures.add(...rules);
    },
    pendingFailures: () => failures.pending,
    stats,
    /** Clears the counts, the upload record and pending failures (projects stay). */
    reset() {
      log = [];
      uploads = [];
      failures.clear();
    },
    setBuildDelay(ms) {
      state.buildDelayMs = ms;
    },
    /** How long a promotion's alias job takes. */
    setAliasDelay(ms) {
      state.aliasDelayMs = ms;
    },
    /** The next promotion's alias job fails; production stays. */
    failNextAlias() {
      state.failNextAlias = true;
    },
    /** How many deployments were ever created (a promotion must not add one). */
    deploymentCount: () => deployments.size,
    setLatency(ms) {
      state.latencyMs = ms;
    },
    /** Bytes accepted by POST /v2/files so far. */
    uploadedBytes: () => uploads.reduce((sum, u) => sum + u.size, 0),
    /** Every accepted upload: [{sha, size, team}]. */
    uploads: () => uploads.map((u) => ({ ...u })),
    project(name, { teamId } = {}) {
      const project = findProject(teamId ?? '', name);
      return project ? projectJson(project) : null;
    },
    /** The id of the project's production deployment, or null. */
    production(name, { teamId } = {}) {
      return findProject(teamId ?? '', name)?.productionId ?? null;
    },
    /** The project's deployments (as GET /v13 answers them), newest first. */
    deployments(name, { teamId } = {}) {
      const project = findProject(teamId ?? '', name);
      if (!project) return [];
      return [...deployments.values()]
        .filter((d) => d.team === project.team && d.projectId === project.id)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map(deploymentJson);
    },
    deployment(id) {
      const d = deployments.get(id);
      return d ? deploymentJson(d) : null;
    },
    /** The build log of a deployment: [{stream, text, at}]. */
    buildLog(id) {
      return (deployments.get(id)?.build?.log ?? []).map((line) => ({ ...line }));
    },
    /** The project's variables with their values and when they were set: [{key, value, type, target, setAt}]. */
    env(name, { teamId } = {}) {
      const project = findProject(teamId ?? '', name);
      return (project?.env ?? []).map((e) => ({ key: e.key, value: e.value, type: e.type, target: [...e.target], setAt: e.updatedAt }));
    },
    /** Resolves when every build this stand-in started has finished. */
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async close() {
      state.closed = true;
      await api.idle();
      for (const d of deployments.values()) removeBuild(d.build?.dir);
      if (!options.root) rmSync(root, { recursive: true, force: true });
    },
  };
  return api;
}

/**
 * createVercel(options) listening on port (0: any) over HTTP, or HTTPS with tls (true: a
 * throw-away certificate for names). Resolves {origin, port, server, api, handle, close}.
 */
export async function startVercel({ port = 0, host = '127.0.0.1', tls = false, names, ...options } = {}) {
  return serveStandIn(createVercel(options), { port, host, tls, names: names ?? ['api.vercel.com', 'vercel.app', '*.vercel.app', 'localhost'] });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runStandalone(startVercel, { port: 8790, token: DEFAULT_TOKEN, describe: (vc) => ({ origin: vc.origin, token: vc.api.token }) });
}
