#!/usr/bin/env node
// A local GitHub for the push tests and benchmarks, keeping to ../shared/brief/targets.md:
//
// REST (Authorization: Bearer <token>, or `token <token>`; 401 {message, documentation_url}):
//   GET  /user                                    → {login, id, name, email}
//   GET  /repos/{owner}/{repo}                    → {full_name, default_branch, clone_url,
//                                                    html_url, owner: {login}, private} | 404
//   POST /user/repos, POST /orgs/{org}/repos      → 201 the same | 422 name taken | 404 no org
//   GET  /repos/{owner}/{repo}/git/trees/{sha}?recursive=1
//                                                 → {sha, url, tree: [{path, mode, type, sha,
//                                                    size?, url}], truncated} (git ls-tree -r -t);
//                                                    `sha` echoes what was asked for (a commit id
//                                                    asked, the commit id answered), as GitHub
//                                                    does (targets.md); 409 "Git Repository is
//                                                    empty."; 404
//   GET  /repos/{owner}/{repo}/git/commits/{sha}  → {sha, tree: {sha, url}, parents, message}
//   GET  /repos/{owner}/{repo}/git/blobs/{sha}    → {sha, size, content (base64, wrapped at 60),
//                                                    encoding: "base64"}
//   GET  /repos/{owner}/{repo}/pulls?head=o:b&state=open → [{number, state, html_url, head: {ref},
//                                                    base: {ref}, title, body}]
//   POST /repos/{owner}/{repo}/pulls {title, head, base, body} → 201 | 422 "A pull request
//                                                    already exists for o:b." | 422 "No commits
//                                                    between base and head"
//   PATCH /repos/{owner}/{repo}/pulls/{n} {title?, body?} → 200
//   GET  /repos/{owner}/{repo}/commits/{sha}/check-runs → {total_count, check_runs: [{name,
//                                                    status, conclusion, html_url}]}
//   GET  /repos/{owner}/{repo}/commits/{sha}/status → {state, total_count, statuses: [...]}
//                                                    (pending, 0 when nothing reports)
// Smart HTTP, served by git's own `git http-backend` (CGI, spawned per request) over bare
// repositories in `root` (GIT_PROJECT_ROOT), with http.receivepack, receive.fsckObjects and
// uploadpack.allowFilter on, the `Git-Protocol` header passed on as GIT_PROTOCOL (protocol v2):
//   GET  /{owner}/{repo}.git/info/refs?service=git-receive-pack|git-upload-pack
//   POST /{owner}/{repo}.git/git-receive-pack | git-upload-pack
//   (Authorization: Basic base64("x-access-token:" + token); any user name is accepted with a
//   valid token as the password, as GitHub does; 401 with WWW-Authenticate otherwise; a token
//   without `push` gets 403 on receive-pack.)
// OPTIONS on any URL answers 405 (github.com refuses CORS preflights the same way).
//
// Test hooks: setChecks(sha | '*', [{name, status, conclusion}] | fn(reads) → list) sets what a
// commit's check-runs answer (a function sees how many times they were read: queued → done);
// treesRefuseCommits(true) makes the trees endpoint answer 422 when asked by a commit id;
// allowFilters(false) turns partial-clone filters off (they are on, as on GitHub);
// protocolV2(false) keeps the Git-Protocol header from git (a server that speaks version 0);
// inject failures ({kind: 'rest'|'user'|'repo'|'create'|'tree'|'info-refs'|
// 'receive-pack'|'upload-pack'|'pulls'|'checks', then status (with headers, body) | drop: true (the connection
// closes before any answer) | dropAfter: true (the request is fully served, e.g. the push
// lands, then the connection closes without the answer), times = 1});
// beforeReceivePack(fn) runs fn({owner, name, dir}) after the pack arrived and before
// http-backend sees it (move the branch there to simulate a concurrent push); every request is
// logged and counted, with request/response body bytes and raw bytes on the wire.
//
// As a module: `const gh = await startGitHub({token, ...})`; for a browser that reaches it as
// api.github.com and github.com (--host-resolver-rules), pass `tls: true` (a throw-away
// certificate for `names`) and `origin: 'https://github.com'` (how clone_url and html_url
// start). createGitHub(...).handle is the bare (req, res) handler. Standalone:
//   node tests/servers/github.mjs [--port 8788] [--host 127.0.0.1] [--root DIR] [--token T]
//     [--login octo] [--https] [--cert cert.pem --key key.pem]
// GET /__stats answers the counts, with raw bytes on the wire ({read, written}: request and
// answer bytes, headers included) (no token needed, not counted); POST /__reset clears them.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { listen, parseArgs, readBody, sendJson } from './http.mjs';

export const DEFAULT_TOKEN = 'ghp_localTestToken0123456789abcdefABCDEF';
export const DEFAULT_USER = { login: 'octo', id: 583231, name: 'Octo Cat', email: null };
const DOCS = 'https://docs.github.com/rest';
const run = promisify(execFile);

/** A git environment free of the machine's configuration, with a fixed identity. */
export function gitEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('GIT_')) delete env[name];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Someone Else',
    GIT_AUTHOR_EMAIL: 'someone@example.com',
    GIT_COMMITTER_NAME: 'Someone Else',
    GIT_COMMITTER_EMAIL: 'someone@example.com',
    ...extra,
  };
}

export function git(dir, args, { input, env } = {}) {
  return execFileSync('git', args, { cwd: dir, input, env: gitEnv(env), maxBuffer: 1 << 30 });
}

/** Runs `git http-backend` once; resolves {status, headers, body}. */
export function httpBackend(root, { method, pathInfo, query, contentType, contentEncoding, protocol, body, user, allowFilter = true }) {
  return new Promise((resolveCgi, reject) => {
    const child = spawn('git', ['http-backend'], {
      env: gitEnv({
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_COUNT: '3',
        GIT_CONFIG_KEY_0: 'http.receivepack',
        GIT_CONFIG_VALUE_0: 'true',
        GIT_CONFIG_KEY_1: 'receive.fsckObjects',
        GIT_CONFIG_VALUE_1: 'true',
        // Partial clone (`filter blob:none`), as GitHub, GitLab and Gitea allow it.
        GIT_CONFIG_KEY_2: 'uploadpack.allowFilter',
        GIT_CONFIG_VALUE_2: allowFilter ? 'true' : 'false',
        REQUEST_METHOD: method,
        PATH_INFO: pathInfo,
        QUERY_STRING: query,
        CONTENT_TYPE: contentType ?? '',
        CONTENT_LENGTH: String(body.length),
        REMOTE_USER: user,
        REMOTE_ADDR: '127.0.0.1',
        ...(contentEncoding ? { HTTP_CONTENT_ENCODING: contentEncoding } : {}),
        ...(protocol ? { GIT_PROTOCOL: protocol } : {}),
      }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // the backend may stop reading early on errors
    child.stdin.end(body);
    child.on('close', () => {
      const raw = Buffer.concat(out);
      let at = raw.indexOf('\r\n\r\n');
      let gap = 4;
      if (at < 0) {
        at = raw.indexOf('\n\n');
        gap = 2;
      }
      if (at < 0) {
        resolveCgi({ status: 500, headers: { 'content-type': 'text/plain' }, body: Buffer.concat(err) });
        return;
      }
      const headers = {};
      let status = 200;
      for (const line of raw.subarray(0, at).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'status') status = Number(value.slice(0, 3));
        else headers[name] = value;
      }
      resolveCgi({ status, headers, body: raw.subarray(at + gap) });
    });
  });
}

/** What a request is, for injection and counting. */
function kindOf(method, path) {
  if (path === '/user') return 'user';
  if (/^\/(user|orgs\/[^/]+)\/repos$/.test(path) && method === 'POST') return 'create';
  if (/^\/repos\/[^/]+\/[^/]+\/git\/trees\//.test(path)) return 'tree';
  if (/^\/repos\/[^/]+\/[^/]+\/git\/commits\//.test(path)) return 'commit';
  if (/^\/repos\/[^/]+\/[^/]+\/git\/blobs\//.test(path)) return 'blob';
  if (/^\/repos\/[^/]+\/[^/]+\/pulls/.test(path)) return 'pulls';
  if (/^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/(check-runs|status)$/.test(path)) return 'checks';
  if (/^\/repos\/[^/]+\/[^/]+$/.test(path)) return 'repo';
  if (/\/info\/refs$/.test(path)) return 'info-refs';
  if (/\/git-receive-pack$/.test(path)) return 'receive-pack';
  if (/\/git-upload-pack$/.test(path)) return 'upload-pack';
  return 'other';
}

const GIT_PATH = /^\/([A-Za-z0-9_-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/(info\/refs|git-receive-pack|git-upload-pack|HEAD)$/;

/**
 * Creates the stand-in (not listening). options: root (a folder for the bare repositories; a
 * temporary one by default), token (or tokens: {token: {login, id, name, email, push}}), user,
 * orgs (names the user may create repositories in), origin (how URLs in answers start; set by
 * startGitHub).
 */
export function createGitHub(options = {}) {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'liftoff-github-'));
  const ownsRoot = !options.root;
  mkdirSync(root, { recursive: true });
  const tokens = options.tokens ?? {
    [options.token ?? DEFAULT_TOKEN]: { ...DEFAULT_USER, ...(options.user ?? {}), push: true },
  };
  const orgs = new Set(options.orgs ?? ['acme']);
  const meta = new Map(); // full name → {private, defaultBranch}
  let failures = [];
  let receiveHooks = [];
  let refuseCommitTrees = false;
  let allowFilter = true;
  let passProtocol = true;
  const pulls = new Map(); // full name → [{number, head, base, title, body, state}]
  const checks = new Map(); // commit sha → {runs: list | fn(reads), reads}
  const log = [];
  const stats = { requests: 0, byKind: {}, bodyBytesIn: 0, bodyBytesOut: 0 };

  const gh = {
    root,
    origin: options.origin ?? 'http://127.0.0.1',
    log,
    stats,

    dirOf(fullName) {
      return join(root, `${fullName}.git`);
    },

    /** Creates a bare repository (empty, default branch `main`). */
    createRepo(fullName, { private: isPrivate = false, defaultBranch = 'main' } = {}) {
      const dir = gh.dirOf(fullName);
      mkdirSync(dir, { recursive: true });
      git(dir, ['init', '-q', '--bare', '-b', defaultBranch]);
      meta.set(fullName, { private: isPrivate, defaultBranch });
      return dir;
    },

    exists(fullName) {
      return existsSync(join(gh.dirOf(fullName), 'HEAD'));
    },

    /** The commit `branch` points at, or null. */
    head(fullName, branch = 'main') {
      try {
        return git(gh.dirOf(fullName), ['rev-parse', '--verify', '-q', `refs/heads/${branch}`]).toString().trim();
      } catch {
        return null;
      }
    },

    /**
     * Commits files ({path: string|Buffer}) onto branch, as someone else's push would: on top
     * of the branch's files (replace: false) or as the whole tree (replace: true). Returns the
     * new commit id.
     */
    commit(fullName, files, { branch = 'main', message = 'Someone else\'s commit', replace = false } = {}) {
      const dir = gh.dirOf(fullName);
      const index = join(mkdtempSync(join(tmpdir(), 'liftoff-index-')), 'index');
      const env = { GIT_INDEX_FILE: index };
      try {
        const head = gh.head(fullName, branch);
        git(dir, head && !replace ? ['read-tree', head] : ['read-tree', '--empty'], { env });
        for (const [path, body] of Object.entries(files)) {
          const blob = git(dir, ['hash-object', '-w', '--stdin'], { input: body }).toString().trim();
          git(dir, ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { env });
        }
        const tree = git(dir, ['write-tree'], { env }).toString().trim();
        const commit = git(dir, ['commit-tree', tree, ...(head ? ['-p', head] : []), '-m', message])
          .toString()
          .trim();
        git(dir, ['update-ref', `refs/heads/${branch}`, commit, ...(head ? [head] : [])]);
        return commit;
      } finally {
        rmSync(join(index, '..'), { recursive: true, force: true });
      }
    },

    /** Adds failures: {kind, status?, drop?: true, dropAfter?: true, times = 1, headers, body}. */
    inject(...rules) {
      for (const rule of rules.flat()) failures.push({ times: 1, ...rule });
    },

    clearInjections() {
      failures = [];
    },

    /** What `sha`'s check-runs answer (`'*'`: every other commit's): a list of {name, status,
     * conclusion?}, or fn(reads) giving the list for the reads-th read. */
    setChecks(sha, runs) {
      checks.set(sha, { runs, reads: 0 });
    },

    /** The trees endpoint answers 422 for a commit id (some GitHub Enterprise versions). */
    /** Whether `Git-Protocol` reaches git (protocol v2; on by default, as web servers do). */
    protocolV2(on = true) {
      passProtocol = on;
    },
    /** Whether upload-pack allows partial-clone filters (on by default). */
    allowFilters(on = true) {
      allowFilter = on;
    },
    treesRefuseCommits(on = true) {
      refuseCommitTrees = on;
    },

    /** The pull requests of a repository, as stored. */
    pullsOf(fullName) {
      return pulls.get(fullName) ?? [];
    },

    /** Runs fn({owner, name, dir}) before the next receive-pack (or the next `times`). */
    beforeReceivePack(fn, { times = 1 } = {}) {
      receiveHooks.push({ fn, times });
    },

    resetStats() {
      log.length = 0;
      stats.requests = 0;
      stats.byKind = {};
      stats.bodyBytesIn = 0;
      stats.bodyBytesOut = 0;
    },

    /** The request handler. */
    handle: (req, res) => {
      handle(req, res).catch((error) => {
        if (!res.headersSent) sendJson(res, 500, { message: `stand-in error: ${error.message}` });
        else res.destroy();
      });
    },

    close() {
      if (ownsRoot) rmSync(root, { recursive: true, force: true });
    },
  };

  function repoJson(fullName) {
    const [owner, name] = fullName.split('/');
    const info = meta.get(fullName) ?? { private: false, defaultBranch: 'main' };
    return {
      id: 1000 + [...meta.keys()].indexOf(fullName),
      name,
      full_name: fullName,
      private: info.private,
      owner: { login: owner },
      default_branch: info.defaultBranch,
      clone_url: `${gh.origin}/${fullName}.git`,
      html_url: `${gh.origin}/${fullName}`,
    };
  }

  function takeFailure(kind) {
    const at = failures.findIndex((rule) => rule.kind === kind || (rule.kind === 'rest' && !kind.includes('pack') && kind !== 'info-refs'));
    if (at < 0) return null;
    const rule = failures[at];
    if (--rule.times <= 0) failures.splice(at, 1);
    return rule;
  }

  function send(res, status, body, headers = {}) {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    stats.bodyBytesOut += bytes.length;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': bytes.length,
      ...headers,
    });
    res.end(bytes);
  }

  function rateHeaders() {
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(5000 - stats.requests),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    };
  }

  function userOf(req) {
    const auth = req.headers.authorization ?? '';
    const bearer = /^(?:Bearer|token) (.+)$/i.exec(auth);
    if (bearer) return tokens[bearer[1]] ?? null;
    const basic = /^Basic (.+)$/i.exec(auth);
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon < 0 ? null : (tokens[decoded.slice(colon + 1)] ?? null);
    }
    return null;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    const path = url.pathname;
    // Control requests (and their connections) stay out of every count.
    if (path.startsWith('/__')) req.socket.controlOnly = true;
    if (path === '/__stats') return sendJson(res, 200, { ...stats, wire: gh.wire?.() ?? null, log });
    if (path === '/__reset' && req.method === 'POST') {
      gh.resetStats();
      return sendJson(res, 200, { ok: true });
    }
    const kind = kindOf(req.method, path);
    const body = await readBody(req);
    const entry = { method: req.method, path: path + url.search, kind, status: 0, bytesIn: body.length, bytesOut: 0 };
    log.push(entry);
    stats.requests += 1;
    stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    stats.bodyBytesIn += body.length;
    const before = stats.bodyBytesOut;
    res.on('finish', () => {
      entry.status = res.statusCode;
      entry.bytesOut = stats.bodyBytesOut - before;
    });

    if (req.method === 'OPTIONS') return send(res, 405, { message: 'Method Not Allowed', documentation_url: DOCS });

    const failure = takeFailure(kind);
    if (failure && (failure.drop || failure.status === 'drop')) {
      entry.status = 'dropped';
      return req.socket.destroy();
    }
    if (failure && !failure.dropAfter) {
      return send(res, failure.status, failure.body ?? { message: 'Injected failure', documentation_url: DOCS }, failure.headers ?? {});
    }
    const reply = failure?.dropAfter
      ? (status, payload, headers) => {
          entry.status = `dropped after ${status}`;
          req.socket.destroy();
        }
      : send;

    const git = GIT_PATH.exec(path);
    if (git) return serveGit(req, res, reply, git, url, body);
    return serveRest(req, res, reply, path, url, body);
  }

  async function serveRest(req, res, reply, path, url, body) {
    const user = userOf(req);
    if (!user) return reply(res, 401, { message: 'Bad credentials', documentation_url: DOCS }, rateHeaders());
    const headers = rateHeaders();
    let match;
    if (req.method === 'GET' && path === '/user') {
      const { push, ...profile } = user;
      return reply(res, 200, profile, headers);
    }
    if ((match = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path)) && req.method === 'GET') {
      const fullName = `${match[1]}/${match[2]}`;
      if (!gh.exists(fullName)) return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
      return reply(res, 200, repoJson(fullName), headers);
    }
    if ((match = /^\/(?:user|orgs\/([^/]+))\/repos$/.exec(path)) && req.method === 'POST') {
      const owner = match[1] ?? user.login;
      if (match[1] && !orgs.has(match[1])) return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
      let input;
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return reply(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS }, headers);
      }
      if (typeof input.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(input.name)) {
        return reply(res, 422, { message: 'Repository creation failed.', errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name is invalid' }], documentation_url: DOCS }, headers);
      }
      const fullName = `${owner}/${input.name}`;
      if (gh.exists(fullName)) {
        return reply(res, 422, {
          message: 'Repository creation failed.',
          errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
          documentation_url: DOCS,
        }, headers);
      }
      gh.createRepo(fullName, { private: Boolean(input.private) });
      return reply(res, 201, repoJson(fullName), headers);
    }
    if ((match = /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/([^/]+)$/.exec(path)) && req.method === 'GET') {
      const fullName = `${match[1]}/${match[2]}`;
      if (!gh.exists(fullName)) return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
      const dir = gh.dirOf(fullName);
      const refs = (await run('git', ['for-each-ref', '--count=1'], { cwd: dir, env: gitEnv() })).stdout;
      if (!refs.trim()) return reply(res, 409, { message: 'Git Repository is empty.', documentation_url: DOCS }, headers);
      const sha = match[3];
      let rootTree;
      try {
        rootTree = (await run('git', ['rev-parse', '--verify', '-q', `${sha}^{tree}`], { cwd: dir, env: gitEnv() })).stdout.trim();
      } catch {
        return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
      }
      if (refuseCommitTrees && (await objectType(dir, sha)) === 'commit') {
        return reply(res, 422, { message: 'Invalid tree info', documentation_url: DOCS }, headers);
      }
      const recursive = ['1', 'true'].includes(url.searchParams.get('recursive') ?? '');
      const args = ['ls-tree', '-l', '-z', ...(recursive ? ['-r', '-t'] : []), rootTree];
      const listing = (await run('git', args, { cwd: dir, env: gitEnv(), maxBuffer: 1 << 30, encoding: 'buffer' })).stdout;
      const api = `${gh.origin}/repos/${fullName}/git`;
      const tree = listing
        .toString('utf8')
        .split('\0')
        .filter(Boolean)
        .map((line) => {
          const [meta, entryPath] = line.split('\t');
          const [mode, type, objectId, size] = meta.split(/ +/);
          return {
            path: entryPath,
            mode,
            type,
            sha: objectId,
            ...(type === 'blob' ? { size: Number(size) } : {}),
            url: `${api}/${type === 'tree' ? 'trees' : 'blobs'}/${objectId}`,
          };
        });
      // GitHub answers `sha` with what it was asked for (targets.md), not the root tree's id.
      return reply(res, 200, { sha, url: `${api}/trees/${sha}`, tree, truncated: false }, headers);
    }
    if ((match = /^\/repos\/([^/]+)\/([^/]+)\/git\/commits\/([0-9a-f]{40})$/.exec(path)) && req.method === 'GET') {
      const fullName = `${match[1]}/${match[2]}`;
      const dir = gh.exists(fullName) ? gh.dirOf(fullName) : null;
      if (!dir || (await objectType(dir, match[3])) !== 'commit') {
        return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
      }
      const text = (await run('git', ['cat-file', 'commit', match[3]], { cwd: dir, env: gitEnv() })).stdout;
      const tree = /^tree ([0-9a-f]{40})$/m.exec(text)[1];
      const parents = [...text.matchAll(/^parent ([0-9a-f]{40})$/gm)].map((m) => ({ sha: m[1] }));
      const message = text.slice(text.indexOf('\n\n') + 2);
      const api = `${gh.origin}/repos/${fullName}/git`;
      return reply(res, 200, { sha: match[3], tree: { sha: tree, url: `${api}/trees/${tree}` }, parents, message }, headers);
    }
    if ((match = /^\/repos\/([^/]+)\/([^/]+)\/git\/blobs\/([0-9a-f]{40})$/.exec(path)) && req.method === 'GET') {
      const fullName = `${match[1]}/${match[2]}`;
      const dir = gh.exists(fullName) ? gh.dirOf(fullName) : null;
      if (!dir || (await objectType(dir, match[3])) !== 'blob') {
        return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
      }
      const bytes = (await run('git', ['cat-file', 'blob', match[3]], { cwd: dir, env: gitEnv(), encoding: 'buffer', maxBuffer: 1 << 30 })).stdout;
      const content = bytes.toString('base64').replace(/.{60}/g, '$&\n');
      return reply(res, 200, { sha: match[3], size: bytes.length, content, encoding: 'base64' }, headers);
    }
    if ((match = /^\/repos\/([^/]+)\/([^/]+)\/pulls(?:\/(\d+))?$/.exec(path))) {
      return servePulls(req, res, reply, `${match[1]}/${match[2]}`, match[3], url, body, headers);
    }
    if ((match = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/(check-runs|status)$/.exec(path)) && req.method === 'GET') {
      let entry = checks.get(match[3]);
      if (!entry && checks.has('*')) {
        // Every commit without its own checks gets a fresh copy of the default ones.
        entry = { runs: checks.get('*').runs, reads: 0 };
        checks.set(match[3], entry);
      }
      let runs = [];
      if (entry) {
        if (match[4] === 'check-runs') entry.reads += 1;
        runs = typeof entry.runs === 'function' ? entry.runs(entry.reads) : entry.runs;
      }
      const base = `${gh.origin}/${match[1]}/${match[2]}/runs`;
      if (match[4] === 'check-runs') {
        const list = runs.map((r, i) => ({ id: i + 1, name: r.name, status: r.status, conclusion: r.conclusion ?? null, html_url: `${base}/${i + 1}` }));
        return reply(res, 200, { total_count: list.length, check_runs: list }, headers);
      }
      // Actions reports as check runs only: the legacy combined status stays empty.
      return reply(res, 200, { state: 'pending', total_count: 0, statuses: [], sha: match[3] }, headers);
    }
    return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
  }

  /** git's type of an object (commit, tree, blob), or null. */
  async function objectType(dir, sha) {
    try {
      return (await run('git', ['cat-file', '-t', sha], { cwd: dir, env: gitEnv() })).stdout.trim();
    } catch {
      return null;
    }
  }

  /** Pull requests: list open ones of a head, open one (at most one open per head), update one. */
  async function servePulls(req, res, reply, fullName, number, url, body, headers) {
    if (!gh.exists(fullName)) return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
    const list = pulls.get(fullName) ?? [];
    pulls.set(fullName, list);
    const [owner] = fullName.split('/');
    const json = (pull) => ({
      number: pull.number,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      html_url: `${gh.origin}/${fullName}/pull/${pull.number}`,
      head: { ref: pull.head, label: `${owner}:${pull.head}` },
      base: { ref: pull.base },
    });
    if (!number && req.method === 'GET') {
      const head = url.searchParams.get('head');
      const state = url.searchParams.get('state') ?? 'open';
      const found = list.filter((p) => (!head || `${owner}:${p.head}` === head) && (state === 'all' || p.state === state));
      return reply(res, 200, found.map(json), headers);
    }
    let input;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return reply(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS }, headers);
    }
    if (!number && req.method === 'POST') {
      const head = String(input.head ?? '').replace(`${owner}:`, '');
      if (list.some((p) => p.head === head && p.state === 'open')) {
        return reply(res, 422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${head}.` }], documentation_url: DOCS }, headers);
      }
      const dir = gh.dirOf(fullName);
      const heads = [gh.head(fullName, head), gh.head(fullName, input.base)];
      if (!heads[0] || !heads[1]) return reply(res, 422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: heads[0] ? 'base' : 'head', code: 'invalid' }], documentation_url: DOCS }, headers);
      const ahead = (await run('git', ['rev-list', '--count', `${heads[1]}..${heads[0]}`], { cwd: dir, env: gitEnv() })).stdout.trim();
      if (ahead === '0') {
        return reply(res, 422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${input.base} and ${head}` }], documentation_url: DOCS }, headers);
      }
      const pull = { number: list.length + 1, head, base: input.base, title: input.title, body: input.body ?? '', state: 'open' };
      list.push(pull);
      return reply(res, 201, json(pull), headers);
    }
    const pull = list.find((p) => p.number === Number(number));
    if (!pull) return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
    if (req.method === 'PATCH') {
      if (typeof input.title === 'string') pull.title = input.title;
      if (typeof input.body === 'string') pull.body = input.body;
      return reply(res, 200, json(pull), headers);
    }
    return reply(res, 404, { message: 'Not Found', documentation_url: DOCS }, headers);
  }

  async function serveGit(req, res, reply, match, url, body) {
    const [, owner, name, rest] = match;
    const fullName = `${owner}/${name}`;
    const user = userOf(req);
    if (!user) {
      return reply(res, 401, Buffer.from('Invalid username or token.\n'), {
        'content-type': 'text/plain',
        'www-authenticate': 'Basic realm="GitHub"',
      });
    }
    if (!gh.exists(fullName)) {
      return reply(res, 404, Buffer.from('Repository not found.\n'), { 'content-type': 'text/plain' });
    }
    const service = rest === 'info/refs' ? url.searchParams.get('service') : rest;
    if (service === 'git-receive-pack' && !user.push) {
      return reply(res, 403, Buffer.from(`Permission to ${fullName}.git denied to ${user.login}.\n`), {
        'content-type': 'text/plain',
      });
    }
    if (rest === 'git-receive-pack') {
      const hooks = receiveHooks;
      receiveHooks = [];
      for (const hook of hooks) {
        await hook.fn({ owner, name, dir: gh.dirOf(fullName) });
        if (--hook.times > 0) receiveHooks.push(hook);
      }
    }
    const answer = await httpBackend(root, {
      method: req.method,
      pathInfo: `/${fullName}.git/${rest}`,
      query: url.search.slice(1),
      contentType: req.headers['content-type'],
      contentEncoding: req.headers['content-encoding'],
      protocol: passProtocol ? req.headers['git-protocol'] : undefined,
      body,
      user: user.login,
      allowFilter,
    });
    return reply(res, answer.status, answer.body, { ...answer.headers, 'cache-control': 'no-cache' });
  }

  return gh;
}

/**
 * Creates the stand-in and listens. options as createGitHub, plus port, host, and tls (false,
 * true for a throw-away certificate, or {key, cert}). Resolves the stand-in with origin, port,
 * wire() (raw bytes read and written on every connection so far) and close().
 */
export async function startGitHub(options = {}) {
  const gh = createGitHub(options);
  const listening = await listen(gh.handle, {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    tls: options.tls ?? false,
    names: options.names ?? ['localhost', 'github.com', 'api.github.com'],
  });
  gh.origin = options.origin ?? listening.origin;
  gh.port = listening.port;
  const sockets = new Set();
  const closed = { read: 0, written: 0 };
  listening.server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      if (!socket.controlOnly) {
        closed.read += socket.bytesRead;
        closed.written += socket.bytesWritten;
      }
      sockets.delete(socket);
    });
  });
  gh.wire = () => {
    let read = closed.read;
    let written = closed.written;
    for (const socket of sockets) {
      if (socket.controlOnly) continue;
      read += socket.bytesRead;
      written += socket.bytesWritten;
    }
    return { read, written };
  };
  const resetStats = gh.resetStats;
  gh.resetStats = () => {
    resetStats();
    closed.read = 0;
    closed.written = 0;
    for (const socket of sockets) {
      if (socket.controlOnly) continue;
      closed.read -= socket.bytesRead;
      closed.written -= socket.bytesWritten;
    }
  };
  const closeRoot = gh.close;
  gh.close = async () => {
    await listening.close();
    closeRoot();
  };
  return gh;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), { flags: ['https'] });
  const tls = args.cert ? { cert: readFileSync(args.cert), key: readFileSync(args.key) } : Boolean(args.https);
  const gh = await startGitHub({
    port: Number(args.port ?? 8788),
    host: args.host ?? '127.0.0.1',
    root: args.root,
    token: args.token ?? DEFAULT_TOKEN,
    user: args.login ? { login: args.login } : undefined,
    tls,
  });
  writeFileSync(1, `${JSON.stringify({ origin: gh.origin, root: gh.root, token: args.token ?? DEFAULT_TOKEN })}\n`);
  const stop = async () => {
    await gh.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
