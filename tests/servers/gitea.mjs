#!/usr/bin/env node
// A local Gitea (and Forgejo, which keeps the same API) for the push tests: the REST subset a
// push uses, in front of git's own `git http-backend`. It follows Gitea's public API
// documentation (https://gitea.com/api/swagger, the v1 OpenAPI description, and
// https://docs.gitea.com: "API Usage", "Authentication") and, where those are silent, what
// Gitea's own handlers answer (routers/api/v1/repo/{repo,pull,blob}.go, the git smart-HTTP
// handler routers/web/repo/githttp.go), quirks included:
//
// REST under /api/v1 (Authorization: `token <t>`, or `Bearer <t>`; a token that does not exist
// answers 401 {"message": "access token does not exist [sha: <the token>]", "url"} — the
// message of Gitea's ErrAccessTokenNotExist, which some versions pass on as is, echoing the
// token, so a client must never print it verbatim; no token where one is required: 401
// {"message": "token is required"}):
//   GET   /api/v1/version                      → {version} (no token needed)
//   GET   /api/v1/user                         → {id, login, login_name, username (= login),
//                                                 full_name, email (the account's: the caller
//                                                 sees its own), avatar_url, html_url, ...}
//   GET   /api/v1/repos/{owner}/{repo}         → {id, name, full_name, owner: {id, login,
//                                                 username}, private, empty (true until the
//                                                 first push), default_branch ("main" even when
//                                                 empty), clone_url "{origin}/{o}/{r}.git",
//                                                 html_url, ssh_url, permissions, ...} | 404
//                                                 {"errors": null, "message": "not found", url}.
//                                                 Names are matched case-insensitively. A public
//                                                 repository answers without a token too.
//   POST  /api/v1/user/repos                   {name, private, auto_init, ...} → 201 the same |
//   POST  /api/v1/orgs/{org}/repos               409 {"message": "The repository with the same
//                                                 name already exists."} | 422 a bad or reserved
//                                                 name | 404 {"errors": [...], "message":
//                                                 "GetOrgByName"} no such organization | 403
//                                                 {"message": "Given user is not allowed to
//                                                 create repository in organization."}
//   GET   /api/v1/repos/{o}/{r}/pulls?state=open|closed|all&sort=&page=&limit=
//                                              → [pull] (no `head` filter; no state given: all
//                                                 of them; newest first unless `sort` says
//                                                 otherwise: oldest, recentupdate, leastupdate;
//                                                 `limit` at most 50, default 30; X-Total-Count)
//   GET   /api/v1/repos/{o}/{r}/pulls/{n}      → pull | 404
//   POST  /api/v1/repos/{o}/{r}/pulls          {title, head ("branch" or "owner:branch"), base,
//                                                 body} → 201 pull | 409 {"message": "pull
//                                                 request already exists for these targets [id:
//                                                 <pull id>, issue_id: <number>, head_repo_id, base_repo_id,
//                                                 head_branch, base_branch]"} (an open one for
//                                                 the same head and base) | 404 a branch missing
//                                                 | 422 head = base
//   PATCH /api/v1/repos/{o}/{r}/pulls/{n}      {title?, body?, state?} → 201 pull (Gitea answers
//                                                 201 to an edit)
//   GET   /api/v1/repos/{o}/{r}/git/blobs/{sha} → {content (base64, one line), encoding:
//                                                 "base64", url, sha, size} | 400 {"message":
//                                                 "object does not exist [id: <sha>, rel_path: ]"}
//   A pull is {id (global), number (the repository's), state: open|closed, title, body,
//   html_url "{origin}/{o}/{r}/pulls/{n}", user, head: {label (the branch), ref, sha, repo_id,
//   repo}, base: {label, ref, sha, repo_id, repo}, merged, mergeable, created_at, updated_at}.
// Smart HTTP, served by git's own `git http-backend` over bare repositories in `root`, with
// http.receivepack, receive.fsckObjects and uploadpack.allowFilter on (Gitea allows filters by
// default) and the `Git-Protocol` header passed on as GIT_PROTOCOL (protocol v2):
//   GET  /{owner}/{repo}[.git]/info/refs?service=git-upload-pack|git-receive-pack
//   POST /{owner}/{repo}[.git]/git-upload-pack | git-receive-pack
//   Basic auth: the token as the password with any user name (Gitea ignores the user name when
//   the password is a token; the user names sent are logged), or the token as the user name
//   with an empty password or `x-oauth-basic`; `Authorization: token <t>` works too. A public
//   repository's upload-pack needs no credentials. Missing or bad credentials: 401 "Unauthorized"
//   with `WWW-Authenticate: Basic realm="Gitea"`; a receive-pack to a repository that does not
//   exist: 403 "Push to create is not enabled for users." (organizations: "... for
//   organizations."); upload-pack: 404 "Repository not found"; a token without push: 403.
//   After the first push into an empty repository whose default branch was not pushed, the
//   default branch becomes the pushed one (as Gitea does).
//
// Test hooks: createRepo(path, {defaultBranch, private}), head(path, branch), commit(path,
// files, {branch, message, replace}) (someone else's push), openPull(path, {head, base, title,
// body}) (someone else's pull request), pullsOf(path), beforeReceivePack(fn), protocolV2(on),
// allowFilters(on), cloneOrigin(url) (clone_url and html_url then point at another origin: a
// client must not send its token there), resetStats(), close(); inject failures ({kind:
// 'rest'|'user'|'repo'|'create'|'pulls'|'blob'|'info-refs'|'upload-pack'|'receive-pack',
// method? (only requests with that method), then status (with headers, body) | drop: true (the
// connection closes before any answer) | dropAfter: true (the request is carried out, then the
// connection closes without the answer) | only before: fn (runs fn, then the request is served
// as usual), times = 1}). Every request is logged ({method, path (with the query), kind,
// status, user (the Basic user name), auth (the scheme), protocol (Git-Protocol), json (a JSON
// body)}) and counted.
//
// As a module: `const gt = await startGitea({token, user, orgs, readOnlyOrgs})`. Standalone:
//   node tests/servers/gitea.mjs [--port 8790] [--host 127.0.0.1] [--root DIR] [--token T]
//     [--login gitty]
// GET /__stats answers the counts and the log (no token needed, not counted); POST /__reset
// clears them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bareRepositories, basicCredentials, GitSide, Injections, jsonBody, serveLogged, standInControls } from './forge-kit.mjs';
import { listen, parseArgs, sendJson } from './http.mjs';

/** Gitea's tokens are 40 hex digits. */
export const DEFAULT_TOKEN = '6c0ffee5a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const DEFAULT_USER = { id: 1, login: 'gitty', full_name: 'Gitty Tea', email: 'gitty@example.com' };

function kindOf(method, path) {
  if (path === '/api/v1/user') return 'user';
  if (/^\/api\/v1\/(user|orgs\/[^/]+)\/repos$/.test(path) && method === 'POST') return 'create';
  if (/^\/api\/v1\/repos\/[^/]+\/[^/]+\/pulls(\/|$)/.test(path)) return 'pulls';
  if (/^\/api\/v1\/repos\/[^/]+\/[^/]+\/git\/blobs\//.test(path)) return 'blob';
  if (/^\/api\/v1\/repos\/[^/]+\/[^/]+$/.test(path)) return 'repo';
  if (path.startsWith('/api/')) return 'rest';
  if (/\/info\/refs$/.test(path)) return 'info-refs';
  if (/\/git-receive-pack$/.test(path)) return 'receive-pack';
  if (/\/git-upload-pack$/.test(path)) return 'upload-pack';
  return 'other';
}

const GIT_PATH = /^\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/(info\/refs|git-receive-pack|git-upload-pack)$/;
const RESERVED_NAMES = new Set(['.', '..', '-']);
const RESERVED_PATTERNS = ['.git', '.wiki', '.rss', '.atom'];

/**
 * Creates the stand-in (not listening). options: root (a folder for the bare repositories; a
 * temporary one by default), token (or tokens: {token: {id, login, full_name, email, push}}),
 * user, orgs (organizations the user may create repositories in; ['acme']), readOnlyOrgs
 * (organizations the user sees but may not create in), origin (set by startGitea).
 */
export function createGitea(options = {}) {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'liftoff-gitea-'));
  const ownsRoot = !options.root;
  mkdirSync(root, { recursive: true });
  const disk = bareRepositories(root);
  const tokens = options.tokens ?? {
    [options.token ?? DEFAULT_TOKEN]: { ...DEFAULT_USER, ...(options.user ?? {}), push: true },
  };
  const accounts = new Map(); // lower login → {id, login, full_name, email}
  for (const user of Object.values(tokens)) accounts.set(user.login.toLowerCase(), user);
  const orgs = new Map(); // lower name → {id, name, canCreate}
  let nextOrgId = 100;
  for (const name of options.orgs ?? ['acme']) orgs.set(name.toLowerCase(), { id: nextOrgId++, name, canCreate: true });
  for (const name of options.readOnlyOrgs ?? []) orgs.set(name.toLowerCase(), { id: nextOrgId++, name, canCreate: false });
  const repos = new Map(); // lower full name → {id, owner, name, fullName, private, defaultBranch, created}
  const pulls = new Map(); // lower full name → [pull]
  let nextRepoId = 1000;
  let nextPullId = 5000;
  const side = new GitSide(root);
  const injections = new Injections();

  const gt = {
    root,
    origin: options.origin ?? 'http://127.0.0.1',
    log: [],
    stats: { requests: 0, byKind: {}, bodyBytesIn: 0 },
    injections,

    dirOf: (path) => disk.dirOf(record(path)?.fullName ?? path),

    /** Creates an empty repository (default branch `main` unless told). */
    createRepo(path, { defaultBranch = 'main', private: isPrivate = false } = {}) {
      const [owner, name] = path.split('/');
      const fullName = `${owner}/${name}`;
      disk.init(fullName, defaultBranch);
      const now = new Date().toISOString();
      repos.set(fullName.toLowerCase(), { id: nextRepoId++, owner, name, fullName, private: isPrivate, defaultBranch, created: now, updated: now });
      return disk.dirOf(fullName);
    },

    exists: (path) => repos.has(path.toLowerCase()),

    /** The commit `branch` points at (the default branch when not given), or null. */
    head(path, branch) {
      const repo = record(path);
      return repo ? disk.head(repo.fullName, branch ?? repo.defaultBranch) : null;
    },

    /** Someone else's commit onto branch (the default branch when not given). */
    commit(path, files, { branch, ...rest } = {}) {
      const repo = record(path);
      const commit = disk.commit(repo.fullName, files, { branch: branch ?? repo.defaultBranch, ...rest });
      repo.pushed = true;
      return commit;
    },

    /** Someone else's pull request (head and base must exist). Returns its number. */
    openPull(path, { head, base, title = 'Someone else\'s pull request', body = '' }) {
      const repo = record(path);
      return addPull(repo, { head, base, title, body, poster: { id: 99, login: 'someone' } }).number;
    },

    /** The pull requests of a repository, as stored. */
    pullsOf: (path) => pulls.get(path.toLowerCase()) ?? [],

    /** The default branch Gitea reports for the repository. */
    defaultBranchOf: (path) => record(path)?.defaultBranch ?? null,
  };
  // inject, clearInjections, beforeReceivePack(fn) (fn gets {owner, name, dir}), protocolV2,
  // allowFilters, cloneOrigin, resetStats, handle, close.
  Object.assign(gt, standInControls(gt, { injections, side, handle, root, ownsRoot }));

  const swagger = () => `${gt.origin}/api/swagger`;
  const notFound = () => ({ errors: null, message: 'not found', url: swagger() });
  const record = (path) => repos.get(path.toLowerCase()) ?? null;

  function ownerJson(login) {
    const org = orgs.get(login.toLowerCase());
    if (org) {
      return { id: org.id, login: org.name, login_name: '', full_name: '', email: '', avatar_url: `${gt.origin}/avatars/${org.id}`, html_url: `${gt.origin}/${org.name}`, username: org.name };
    }
    const user = accounts.get(login.toLowerCase()) ?? { id: 0, login, full_name: '', email: '' };
    return {
      id: user.id,
      login: user.login,
      login_name: '',
      full_name: user.full_name ?? '',
      email: user.email ?? '',
      avatar_url: `${gt.origin}/avatars/${user.id}`,
      html_url: `${gt.origin}/${user.login}`,
      username: user.login,
    };
  }

  function repoJson(repo, user) {
    const base = side.cloneOrigin ?? gt.origin;
    const empty = !repo.pushed;
    const host = new URL(gt.origin).hostname;
    return {
      id: repo.id,
      owner: ownerJson(repo.owner),
      name: repo.name,
      full_name: repo.fullName,
      description: '',
      empty,
      private: repo.private,
      fork: false,
      template: false,
      parent: null,
      mirror: false,
      size: 0,
      html_url: `${base}/${repo.fullName}`,
      url: `${gt.origin}/api/v1/repos/${repo.fullName}`,
      ssh_url: `git@${host}:${repo.fullName}.git`,
      clone_url: `${base}/${repo.fullName}.git`,
      original_url: '',
      website: '',
      stars_count: 0,
      forks_count: 0,
      watchers_count: 1,
      open_issues_count: 0,
      open_pr_counter: (pulls.get(repo.fullName.toLowerCase()) ?? []).filter((p) => p.state === 'open').length,
      release_counter: 0,
      default_branch: repo.defaultBranch,
      archived: false,
      created_at: repo.created,
      updated_at: repo.updated,
      permissions: { admin: Boolean(user), push: Boolean(user?.push), pull: true },
      has_issues: true,
      has_wiki: true,
      has_pull_requests: true,
      object_format_name: 'sha1',
    };
  }

  function addPull(repo, { head, base, title, body, poster }) {
    const key = repo.fullName.toLowerCase();
    const list = pulls.get(key) ?? [];
    pulls.set(key, list);
    const now = new Date().toISOString();
    const pull = { id: nextPullId++, number: list.length + 1, head, base, title, body, state: 'open', poster, created: now, updated: now };
    list.push(pull);
    return pull;
  }

  function pullJson(repo, pull, user) {
    const branch = (name) => ({
      label: name,
      ref: name,
      sha: disk.head(repo.fullName, name) ?? '',
      repo_id: repo.id,
      repo: repoJson(repo, user),
    });
    const html = `${gt.origin}/${repo.fullName}/pulls/${pull.number}`;
    return {
      id: pull.id,
      url: html,
      number: pull.number,
      user: ownerJson(pull.poster.login),
      title: pull.title,
      body: pull.body,
      labels: [],
      milestone: null,
      assignee: null,
      assignees: null,
      state: pull.state,
      is_locked: false,
      comments: 0,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      mergeable: true,
      merged: false,
      merged_at: null,
      merge_commit_sha: null,
      merged_by: null,
      base: branch(pull.base),
      head: branch(pull.head),
      due_date: null,
      created_at: pull.created,
      updated_at: pull.updated,
      closed_at: pull.state === 'closed' ? pull.updated : null,
    };
  }

  /** {user, presented}: the token's user (null when none or wrong) and whether one was sent. */
  function credentials(req) {
    const header = req.headers.authorization ?? '';
    const scheme = /^(?:token|bearer)\s+(.+)$/i.exec(header);
    if (scheme) return { token: scheme[1], user: tokens[scheme[1]] ?? null, presented: true };
    const basic = basicCredentials(req);
    if (basic) {
      // The password is the token; or, with no password (or x-oauth-basic), the user name is.
      const token = basic.password === '' || basic.password === 'x-oauth-basic' ? basic.user : basic.password;
      return { token, user: tokens[token] ?? null, presented: true };
    }
    return { token: null, user: null, presented: false };
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    const path = url.pathname;
    if (path === '/__stats') return sendJson(res, 200, { ...gt.stats, log: gt.log });
    if (path === '/__reset' && req.method === 'POST') {
      gt.resetStats();
      return sendJson(res, 200, { ok: true });
    }
    const kind = kindOf(req.method, path);
    return serveLogged(gt, req, res, {
      kind,
      logPath: path + url.search,
      route: (reply, body, entry) => {
        const match = GIT_PATH.exec(path);
        if (match) return serveGit(req, res, reply, match, url, body, entry);
        if (path.startsWith('/api/')) return serveRest(req, res, reply, path, url, body);
        return reply(res, 404, Buffer.from('Not Found\n'), { 'content-type': 'text/plain;charset=utf-8' });
      },
    });
  }

  async function serveRest(req, res, reply, path, url, body) {
    if (req.method === 'OPTIONS') return reply(res, 405, Buffer.alloc(0), { 'content-type': 'text/plain' }); // CORS is off by default
    if (path === '/api/v1/version' && req.method === 'GET') return reply(res, 200, { version: '1.21.11' });
    const { token, user, presented } = credentials(req);
    if (presented && !user) {
      // Some Gitea versions say which token they did not find: the token itself.
      return reply(res, 401, { message: `access token does not exist [sha: ${token}]`, url: swagger() });
    }
    const needToken = () => reply(res, 401, { message: 'token is required', url: swagger() });
    let match;
    if (path === '/api/v1/user' && req.method === 'GET') {
      if (!user) return needToken();
      return reply(res, 200, {
        ...ownerJson(user.login),
        email: user.email ?? '',
        is_admin: false,
        last_login: new Date().toISOString(),
        created: '2024-01-01T00:00:00Z',
        restricted: false,
        active: true,
        prohibit_login: false,
        location: '',
        website: '',
        description: '',
        visibility: 'public',
        followers_count: 0,
        following_count: 0,
        starred_repos_count: 0,
        language: '',
      });
    }
    if ((match = /^\/api\/v1\/(?:user|orgs\/([^/]+))\/repos$/.exec(path)) && req.method === 'POST') {
      if (!user) return needToken();
      return createRepo(res, reply, user, match[1] ? decodeURIComponent(match[1]) : null, body);
    }
    if ((match = /^\/api\/v1\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path))) {
      const repo = record(`${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`);
      if (!repo || (repo.private && !user)) return reply(res, 404, notFound());
      const rest = match[3] ?? '';
      if (!rest && req.method === 'GET') return reply(res, 200, repoJson(repo, user));
      let sub;
      if ((sub = /^\/git\/blobs\/([^/]+)$/.exec(rest)) && req.method === 'GET') {
        const sha = sub[1];
        if (!/^[0-9a-f]{40}$/.test(sha) || (await disk.objectType(repo.fullName, sha)) !== 'blob') {
          return reply(res, 400, { message: `object does not exist [id: ${sha}, rel_path: ]`, url: swagger() });
        }
        const bytes = await disk.blob(repo.fullName, sha);
        return reply(res, 200, {
          content: bytes.toString('base64'),
          encoding: 'base64',
          url: `${gt.origin}/api/v1/repos/${repo.fullName}/git/blobs/${sha}`,
          sha,
          size: bytes.length,
        });
      }
      if ((sub = /^\/pulls(?:\/(\d+))?$/.exec(rest))) {
        if (!user && req.method !== 'GET') return needToken();
        return servePulls(req, res, reply, repo, sub[1], url, body, user);
      }
    }
    return reply(res, 404, notFound());
  }

  function createRepo(res, reply, user, orgName, body) {
    let owner = user.login;
    if (orgName !== null) {
      const org = orgs.get(orgName.toLowerCase());
      if (!org) {
        // routers/api/v1/api.go orgAssignment: the handler's name as the message.
        return reply(res, 404, { errors: [`user redirect does not exist [name: ${orgName.toLowerCase()}]`], message: 'GetOrgByName', url: swagger() });
      }
      if (!org.canCreate) return reply(res, 403, { message: 'Given user is not allowed to create repository in organization.', url: swagger() });
      owner = org.name;
    }
    const input = jsonBody(body);
    if (input === undefined || typeof input !== 'object' || input === null) {
      return reply(res, 422, { message: 'invalid JSON body', url: swagger() });
    }
    const name = input.name;
    if (typeof name !== 'string' || name === '') return reply(res, 422, { message: '[Name]: Required', url: swagger() });
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) return reply(res, 422, { message: '[Name]: Invalid AlphaDashDot characters', url: swagger() });
    if (name.length > 100) return reply(res, 422, { message: '[Name]: MaxSize', url: swagger() });
    if (RESERVED_NAMES.has(name)) return reply(res, 422, { message: `name is reserved [name: ${name}]`, url: swagger() });
    const pattern = RESERVED_PATTERNS.find((end) => name.toLowerCase().endsWith(end));
    if (pattern) return reply(res, 422, { message: `name pattern is not allowed [pattern: *${pattern}]`, url: swagger() });
    const fullName = `${owner}/${name}`;
    if (record(fullName)) return reply(res, 409, { message: 'The repository with the same name already exists.', url: swagger() });
    gt.createRepo(fullName, { private: Boolean(input.private), defaultBranch: input.default_branch || 'main' });
    return reply(res, 201, repoJson(record(fullName), user));
  }

  async function servePulls(req, res, reply, repo, number, url, body, user) {
    const list = pulls.get(repo.fullName.toLowerCase()) ?? [];
    if (!number && req.method === 'GET') {
      const state = url.searchParams.get('state') ?? '';
      const limit = Math.min(Math.max(Number(url.searchParams.get('limit')) || 30, 1), 50);
      const page = Math.max(Number(url.searchParams.get('page')) || 1, 1);
      const baseBranch = url.searchParams.get('base_branch');
      const sort = url.searchParams.get('sort') ?? '';
      const found = list.filter((p) => (state === 'open' || state === 'closed' ? p.state === state : true) && (!baseBranch || p.base === baseBranch));
      const byCreated = (a, b) => a.created.localeCompare(b.created) || a.id - b.id;
      const byUpdated = (a, b) => a.updated.localeCompare(b.updated) || a.id - b.id;
      const order = { oldest: byCreated, recentupdate: (a, b) => byUpdated(b, a), leastupdate: byUpdated }[sort] ?? ((a, b) => byCreated(b, a));
      found.sort(order);
      const slice = found.slice((page - 1) * limit, page * limit);
      return reply(res, 200, slice.map((p) => pullJson(repo, p, user)), { 'x-total-count': String(found.length) });
    }
    const input = req.method === 'GET' ? {} : jsonBody(body);
    if (input === undefined) return reply(res, 422, { message: 'invalid JSON body', url: swagger() });
    if (!number && req.method === 'POST') {
      const head = String(input.head ?? '');
      const base = String(input.base ?? '');
      if (head === base) return reply(res, 422, { message: 'Invalid PullRequest: There are no changes between the head and the base', url: swagger() });
      let headBranch = head;
      if (head.includes(':')) {
        const [headOwner, branch] = head.split(':');
        // Another owner's branch needs a fork of this repository (none here).
        if (headOwner.toLowerCase() !== repo.owner.toLowerCase()) return reply(res, 404, notFound());
        headBranch = branch;
      }
      if (!disk.head(repo.fullName, headBranch) || !disk.head(repo.fullName, base)) return reply(res, 404, notFound());
      const existing = list.find((p) => p.state === 'open' && p.head === headBranch && p.base === base);
      if (existing) {
        return reply(res, 409, {
          message: `pull request already exists for these targets [id: ${existing.id}, issue_id: ${existing.number}, head_repo_id: ${repo.id}, base_repo_id: ${repo.id}, head_branch: ${existing.head}, base_branch: ${existing.base}]`,
          url: swagger(),
        });
      }
      const pull = addPull(repo, { head: headBranch, base, title: String(input.title ?? ''), body: String(input.body ?? ''), poster: user });
      return reply(res, 201, pullJson(repo, pull, user));
    }
    const pull = list.find((p) => p.number === Number(number));
    if (!pull) return reply(res, 404, notFound());
    if (req.method === 'GET') return reply(res, 200, pullJson(repo, pull, user));
    if (req.method === 'PATCH') {
      if (typeof input.title === 'string' && input.title.length > 0) pull.title = input.title;
      if (typeof input.body === 'string') pull.body = input.body;
      if (input.state === 'closed' || input.state === 'open') pull.state = input.state;
      pull.updated = new Date().toISOString();
      // routers/api/v1/repo/pull.go EditPullRequest: "TODO this should be 200, not 201".
      return reply(res, 201, pullJson(repo, pull, user));
    }
    return reply(res, 405, Buffer.alloc(0));
  }

  async function serveGit(req, res, reply, match, url, body, entry) {
    const [, owner, name, rest] = match;
    const service = rest === 'info/refs' ? url.searchParams.get('service') : rest;
    const pushing = service === 'git-receive-pack';
    const plain = (status, text, headers = {}) => reply(res, status, Buffer.from(text), { 'content-type': 'text/plain;charset=utf-8', ...headers });
    const ownerKnown = accounts.has(owner.toLowerCase()) || orgs.has(owner.toLowerCase());
    if (!ownerKnown) return plain(404, 'Repository not found\n');
    const repo = record(`${owner}/${name}`);
    const { user, presented } = credentials(req);
    // Only a public repository's fetch goes without credentials.
    const askAuth = !(repo && !repo.private && !pushing);
    if ((askAuth && !user) || (presented && !user)) {
      return plain(401, 'Unauthorized\n', { 'www-authenticate': 'Basic realm="Gitea"' });
    }
    if (!repo) {
      if (!pushing) return plain(404, 'Repository not found\n');
      return plain(403, orgs.has(owner.toLowerCase()) ? 'Push to create is not enabled for organizations.\n' : 'Push to create is not enabled for users.\n');
    }
    if (pushing && !user.push) return plain(403, 'User permission denied\n');
    const { answer, pushed } = await side.serve(req, url, body, {
      repoPath: repo.fullName,
      rest,
      user: user?.login ?? '',
      hookArg: { owner: repo.owner, name: repo.name, dir: disk.dirOf(repo.fullName) },
    });
    if (pushed) await afterPush(repo, pushed);
    return reply(res, answer.status, answer.body, { ...answer.headers, 'cache-control': 'no-cache, max-age=0, must-revalidate' });
  }

  /** The first push into an empty repository: the default branch becomes a pushed one when the
   * configured one was not pushed (Gitea's push service does this). */
  async function afterPush(repo, commands) {
    const branches = await disk.branches(repo.fullName);
    if (branches.length === 0) return;
    repo.updated = new Date().toISOString();
    if (!repo.pushed && !branches.includes(repo.defaultBranch)) {
      const pushed = commands.map((c) => c.ref.replace(/^refs\/heads\//, '')).find((b) => branches.includes(b)) ?? branches[0];
      repo.defaultBranch = pushed;
      await disk.setHead(repo.fullName, pushed);
    }
    repo.pushed = true;
  }

  return gt;
}

/**
 * Creates the stand-in and listens on 127.0.0.1 (an ephemeral port unless told). Resolves the
 * stand-in with origin, port and an async close().
 */
export async function startGitea(options = {}) {
  const gt = createGitea(options);
  const listening = await listen(gt.handle, { port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  gt.origin = options.origin ?? listening.origin;
  gt.port = listening.port;
  const closeRoot = gt.close;
  gt.close = async () => {
    await listening.close();
    closeRoot();
  };
  return gt;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const token = args.token ?? DEFAULT_TOKEN;
  const gt = await startGitea({
    port: Number(args.port ?? 8790),
    host: args.host ?? '127.0.0.1',
    root: args.root,
    token,
    user: args.login ? { login: args.login } : undefined,
  });
  writeFileSync(1, `${JSON.stringify({ origin: gt.origin, root: gt.root, token })}\n`);
  const stop = async () => {
    await gt.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
