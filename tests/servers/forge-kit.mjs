// What the local GitLab and Gitea (gitlab.mjs, gitea.mjs) share: bare repositories on disk, the
// commands of a receive-pack, injected failures, the request log, Basic credentials and JSON
// bodies, and their git side (`GitSide`: git's own `git http-backend` behind each forge's checks,
// with the protocol-v2, partial-clone and receive-pack hooks the tests switch).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

import { git, gitEnv, httpBackend } from './github.mjs';
import { readBody, sendJson } from './http.mjs';

const run = promisify(execFile);

/** Bare repositories under root, addressed by their path ("owner/name", "a/b/c/name"). */
export function bareRepositories(root) {
  const repos = {
    dirOf: (path) => join(root, `${path}.git`),

    /** An empty bare repository whose HEAD names `branch`. */
    init(path, branch) {
      const dir = repos.dirOf(path);
      mkdirSync(dir, { recursive: true });
      git(dir, ['init', '-q', '--bare', '-b', branch]);
      return dir;
    },

    exists: (path) => existsSync(join(repos.dirOf(path), 'HEAD')),

    /** The commit `branch` points at, or null. */
    head(path, branch) {
      try {
        return git(repos.dirOf(path), ['rev-parse', '--verify', '-q', `refs/heads/${branch}`]).toString().trim();
      } catch {
        return null;
      }
    },

    /** The branches, in ref order. */
    async branches(path) {
      const out = (await run('git', ['for-each-ref', '--format=%(refname:short)', 'refs/heads/'], { cwd: repos.dirOf(path), env: gitEnv() })).stdout;
      return out.split('\n').filter(Boolean);
    },

    async setHead(path, branch) {
      await run('git', ['symbolic-ref', 'HEAD', `refs/heads/${branch}`], { cwd: repos.dirOf(path), env: gitEnv() });
    },

    /** git's type of an object (commit, tree, blob), or null. */
    async objectType(path, sha) {
      try {
        return (await run('git', ['cat-file', '-t', sha], { cwd: repos.dirOf(path), env: gitEnv() })).stdout.trim();
      } catch {
        return null;
      }
    },

    async blob(path, sha) {
      return (await run('git', ['cat-file', 'blob', sha], { cwd: repos.dirOf(path), env: gitEnv(), encoding: 'buffer', maxBuffer: 1 << 30 })).stdout;
    },

    /**
     * Commits files ({path: string|Buffer}) onto branch, as someone else's push would: on top
     * of the branch's files (replace: false) or as the whole tree (replace: true). Returns the
     * new commit id.
     */
    commit(path, files, { branch, message = 'Someone else\'s commit', replace = false }) {
      const dir = repos.dirOf(path);
      const index = join(mkdtempSync(join(tmpdir(), 'liftoff-index-')), 'index');
      const env = { GIT_INDEX_FILE: index };
      try {
        const head = repos.head(path, branch);
        git(dir, head && !replace ? ['read-tree', head] : ['read-tree', '--empty'], { env });
        for (const [file, body] of Object.entries(files)) {
          const blob = git(dir, ['hash-object', '-w', '--stdin'], { input: body }).toString().trim();
          git(dir, ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], { env });
        }
        const tree = git(dir, ['write-tree'], { env }).toString().trim();
        const commit = git(dir, ['commit-tree', tree, ...(head ? ['-p', head] : []), '-m', message]).toString().trim();
        git(dir, ['update-ref', `refs/heads/${branch}`, commit, ...(head ? [head] : [])]);
        return commit;
      } finally {
        rmSync(join(index, '..'), { recursive: true, force: true });
      }
    },
  };
  return repos;
}

/** The ref updates of a receive-pack request body: [{old, new, ref}], in the order sent. */
export function receivedCommands(body, contentEncoding) {
  let bytes = body;
  if (/gzip/i.test(contentEncoding ?? '')) {
    try {
      bytes = gunzipSync(body);
    } catch {
      return [];
    }
  }
  const commands = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const length = parseInt(bytes.subarray(at, at + 4).toString('latin1'), 16);
    if (!Number.isFinite(length) || length === 0 || length < 4) break; // flush ends the commands
    const line = bytes.subarray(at + 4, at + length).toString('utf8').replace(/\0.*$/s, '').trim();
    const [old, sha, ref] = line.split(' ');
    if (/^[0-9a-f]{40}$/.test(old ?? '') && ref) commands.push({ old, new: sha, ref });
    at += length;
  }
  return commands;
}

const GIT_KINDS = new Set(['info-refs', 'upload-pack', 'receive-pack']);

/**
 * Injected failures: {kind, method?, status, headers?, body?} | {kind, drop: true} | {kind,
 * dropAfter: true} | {kind, before: fn}, each `times` (1) times. kind 'rest' matches every
 * REST request.
 */
export class Injections {
  #rules = [];

  add(...rules) {
    for (const rule of rules.flat()) this.#rules.push({ times: 1, ...rule });
  }

  clear() {
    this.#rules = [];
  }

  take(kind, method) {
    const at = this.#rules.findIndex(
      (rule) => (rule.kind === kind || (rule.kind === 'rest' && !GIT_KINDS.has(kind))) && (!rule.method || rule.method === method),
    );
    if (at < 0) return null;
    const rule = this.#rules[at];
    if (--rule.times <= 0) this.#rules.splice(at, 1);
    return rule;
  }
}

/**
 * The request plumbing both stand-ins share: reads the body, logs and counts the request,
 * applies an injected failure, and hands `route(reply, body, entry)` a reply function (one that
 * loses the answer for a dropAfter rule). `send(res, status, body, headers)` writes an answer.
 */
export async function serveLogged(forge, req, res, { kind, logPath, route }) {
  const body = await readBody(req);
  const entry = { method: req.method, path: logPath, kind, status: 0, bytesIn: body.length, bytesOut: 0, user: null, auth: authScheme(req) };
  forge.log.push(entry);
  forge.stats.requests += 1;
  forge.stats.byKind[kind] = (forge.stats.byKind[kind] ?? 0) + 1;
  forge.stats.bodyBytesIn += body.length;
  const basic = basicCredentials(req);
  if (basic) entry.user = basic.user;
  if (req.headers['git-protocol']) entry.protocol = req.headers['git-protocol'];
  if (/json/i.test(req.headers['content-type'] ?? '') && body.length > 0 && body.length < 1 << 16) entry.json = jsonBody(body);
  res.on('finish', () => {
    entry.status = res.statusCode;
  });
  const failure = forge.injections.take(kind, req.method);
  if (failure?.before) await failure.before({ method: req.method, path: logPath, kind });
  if (failure && (failure.drop || failure.status === 'drop')) {
    entry.status = 'dropped';
    req.socket.destroy();
    return;
  }
  if (failure && failure.status !== undefined && !failure.dropAfter) {
    return send(res, failure.status, failure.body ?? { message: 'Injected failure' }, failure.headers ?? {}, entry);
  }
  const reply = failure?.dropAfter
    ? (_res, status) => {
        entry.status = `dropped after ${status}`;
        req.socket.destroy();
      }
    : (r, status, payload, headers) => send(r, status, payload, headers, entry);
  return route(reply, body, entry);
}

function send(res, status, body, headers = {}, entry) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  if (entry) entry.bytesOut = bytes.length;
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': bytes.length,
    ...headers,
  });
  res.end(bytes);
}

function authScheme(req) {
  if (req.headers['private-token']) return 'private-token';
  const match = /^(\S+)\s/.exec(req.headers.authorization ?? '');
  return match ? match[1].toLowerCase() : null;
}

/** {user, password} of a Basic Authorization header, or null. */
export function basicCredentials(req) {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { user: decoded, password: '' } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Parses a JSON body; undefined when it is not JSON. */
export function jsonBody(body) {
  try {
    return JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

/** What a request is, for injection and counting. */

/**
 * A forge's git side: the switches the tests turn (protocol v2 passed on, partial-clone filters,
 * where answers say clones live, hooks before a receive-pack) and the call to `git http-backend`.
 */
export class GitSide {
  constructor(root) {
    this.root = root;
    this.receiveHooks = [];
    this.allowFilter = true;
    this.passProtocol = true;
    this.cloneOrigin = null;
  }

  /** The stand-in's methods for them. */
  controls() {
    return {
      /** Runs fn(hookArg) before the next receive-pack (or the next `times`). */
      beforeReceivePack: (fn, { times = 1 } = {}) => {
        this.receiveHooks.push({ fn, times });
      },
      /** Whether `Git-Protocol` reaches git (protocol v2; on by default). */
      protocolV2: (on = true) => {
        this.passProtocol = on;
      },
      /** Whether upload-pack allows partial-clone filters (on by default, as on both forges). */
      allowFilters: (on = true) => {
        this.allowFilter = on;
      },
      /** Clone and web URLs start with url instead of the stand-in's origin (null: its own). */
      cloneOrigin: (url = null) => {
        this.cloneOrigin = url;
      },
    };
  }

  /**
   * Serves one smart-HTTP request for the repository at repoPath ("owner/name", "a/b/name"):
   * the receive-pack hooks first (each given hookArg), then `git http-backend` as user. Resolves
   * {status, headers, body} and the pushed commands (for a successful receive-pack, else null).
   */
  async serve(req, url, body, { repoPath, rest, user, hookArg }) {
    if (rest === 'git-receive-pack') {
      const hooks = this.receiveHooks;
      this.receiveHooks = [];
      for (const hook of hooks) {
        await hook.fn(hookArg);
        if (--hook.times > 0) this.receiveHooks.push(hook);
      }
    }
    const answer = await httpBackend(this.root, {
      method: req.method,
      pathInfo: `/${repoPath}.git/${rest}`,
      query: url.search.slice(1),
      contentType: req.headers['content-type'],
      contentEncoding: req.headers['content-encoding'],
      protocol: this.passProtocol ? req.headers['git-protocol'] : undefined,
      body,
      user,
      allowFilter: this.allowFilter,
    });
    const pushed = rest === 'git-receive-pack' && answer.status === 200 ? receivedCommands(body, req.headers['content-encoding']) : null;
    return { answer, pushed };
  }
}

/**
 * The methods every forge stand-in has besides its own: failures injected, the git side's
 * switches, counts cleared, the request handler guarded (a stand-in's own error answers 500
 * instead of crashing the test process), and the root removed on close when it made it.
 * `forge` must hold `log` and `stats`; `handle(req, res)` is its async router.
 */
export function standInControls(forge, { injections, side, handle, root, ownsRoot }) {
  return {
    inject: (...rules) => injections.add(...rules),
    clearInjections: () => injections.clear(),
    ...side.controls(),
    resetStats() {
      forge.log.length = 0;
      forge.stats.requests = 0;
      forge.stats.byKind = {};
      forge.stats.bodyBytesIn = 0;
    },
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
}
