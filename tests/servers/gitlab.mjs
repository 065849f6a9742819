#!/usr/bin/env node
// A local GitLab for the push tests: the REST (v4) subset a push uses, in front of git's own
// `git http-backend`, with groups and subgroups (`a/b/c/name`) and an optional URL prefix (a
// self-managed GitLab at a relative URL root, `http://127.0.0.1:PORT/gitlab`). It follows
// GitLab's public API documentation (https://docs.gitlab.com/api/projects/,
// https://docs.gitlab.com/api/namespaces/, https://docs.gitlab.com/api/merge_requests/,
// https://docs.gitlab.com/api/users/, https://docs.gitlab.com/api/repositories/ and "REST API":
// authentication, status codes, pagination, path encoding) and, where those are silent, what
// GitLab's own code answers (lib/api/projects.rb and Projects::CreateService, lib/api/
// merge_requests.rb, the git HTTP routes), quirks included:
//
// REST under {prefix}/api/v4 (`PRIVATE-TOKEN: <t>` or `Authorization: Bearer <t>`; a wrong
// token: 401 {"message": "401 Unauthorized"}; an unknown route: 404 {"error": "404 Not Found"};
// a missing required parameter: 400 {"error": "<name> is missing"}):
//   GET  /api/v4/version                       → {version, revision}
//   GET  /api/v4/user                          → {id, username, name, state, email,
//                                                 public_email, commit_email, web_url, ...}
//   GET  /api/v4/namespaces/{id | url-encoded path}
//                                              → {id, name, path, kind: user|group, full_path,
//                                                 parent_id, avatar_url, web_url} for the
//                                                 user's own namespace and the groups and
//                                                 subgroups the user is a member of | 404
//                                                 {"message": "404 Namespace Not Found"}
//   GET  /api/v4/projects/{id | url-encoded path, e.g. acme%2Fweb%2Fapp}
//                                              → {id, name, path, path_with_namespace,
//                                                 name_with_namespace, default_branch (null for
//                                                 an empty repository by default, as GitLab
//                                                 before 14 answers; `emptyDefaultBranch:
//                                                 'main'` answers as GitLab 14 and later do),
//                                                 http_url_to_repo "{origin}{prefix}/{path}.git",
//                                                 web_url "{origin}{prefix}/{path}",
//                                                 ssh_url_to_repo, visibility, empty_repo,
//                                                 namespace: {id, name, path, kind, full_path,
//                                                 parent_id}, permissions, ...} | 404
//                                                 {"message": "404 Project Not Found"}. Paths are
//                                                 matched case-insensitively; an unencoded path
//                                                 (`projects/acme/web/app`) is no route (404
//                                                 {"error": "404 Not Found"}). A public project
//                                                 answers without a token too.
//   POST /api/v4/projects                      {name?, path?, namespace_id?, visibility?,
//                                                 initialize_with_readme?} (JSON or a form) →
//                                                 201 the project (namespace_id missing: the
//                                                 user's own namespace; visibility missing:
//                                                 private) | 400 {"message": {"name": ["has
//                                                 already been taken"], "path": [...],
//                                                 "project_namespace.name": [...]}} | 400
//                                                 {"message": {"namespace": ["is not valid"]}} (a
//                                                 namespace the user may not create in, or none
//                                                 such) | 400 {"message": {"visibility_level":
//                                                 ["public is not allowed in a private
//                                                 group."]}} | 400 a bad path. A new project has
//                                                 no default branch until its first push, which
//                                                 makes the pushed branch (or `main`, when
//                                                 pushed) the default.
//   GET  /api/v4/projects/{id}/merge_requests?state=opened|closed|merged|all&source_branch=
//        &target_branch=&page=&per_page=       → [mr] (no state: all; newest first; per_page 20
//                                                 by default, at most 100; X-Total, X-Page, ...)
//   GET  /api/v4/projects/{id}/merge_requests/{iid} → mr | 404 {"message": "404 Not found"}
//   POST /api/v4/projects/{id}/merge_requests  {source_branch, target_branch, title,
//                                                 description} → 201 mr | 409 {"message":
//                                                 ["Another open merge request already exists for
//                                                 this source branch: !<iid>"]} (an open one with
//                                                 the same source and target branches) | 422
//                                                 {"message": ["Source branch \"x\" does not
//                                                 exist"]} | 422 same source and target
//   PUT  /api/v4/projects/{id}/merge_requests/{iid} {title?, description?, state_event?} → 200 mr
//   GET  /api/v4/projects/{id}/repository/blobs/{sha} → {size, encoding: "base64", content,
//                                                 sha} | 404 {"message": "404 Blob Not Found"}
//   An mr is {id (global), iid (the project's), project_id, source_project_id,
//   target_project_id, state: opened|closed|merged, title, description, source_branch,
//   target_branch, sha, author, web_url "{origin}{prefix}/{path}/-/merge_requests/{iid}",
//   references, created_at, updated_at, ...}.
// Smart HTTP, served by git's own `git http-backend` over bare repositories in `root`, with
// http.receivepack, receive.fsckObjects and uploadpack.allowFilter on and the `Git-Protocol`
// header passed on as GIT_PROTOCOL (protocol v2):
//   GET  {prefix}/{full/path}.git/info/refs?service=git-upload-pack|git-receive-pack
//   POST {prefix}/{full/path}.git/git-upload-pack | git-receive-pack
//   ({prefix}/{full/path}/info/refs without `.git` answers 301 to the `.git` URL, as GitLab
//   does.) Basic auth, user name `oauth2` (any user name is accepted with a valid token as the
//   password; the user names sent are logged); a public project's fetch needs no credentials.
//   Missing or wrong credentials: 401 "HTTP Basic: Access denied. ..." with
//   `WWW-Authenticate: Basic realm="GitLab"`; an unknown project: 404; a token without push:
//   403 "You are not allowed to push code to this project.". Push-to-create (a push to a
//   project that does not exist creating it) is not served.
//
// Test hooks: createRepo(path, {defaultBranch, visibility}) (missing groups are made),
// head(path, branch), commit(path, files, {branch, message, replace}) (someone else's push),
// openPull(path, {head, base, title, body}) (someone else's merge request), pullsOf(path),
// beforeReceivePack(fn), protocolV2(on), allowFilters(on), cloneOrigin(url) (http_url_to_repo
// and web_url then start with another origin), resetStats(), close(); inject failures ({kind:
// 'rest'|'user'|'namespace'|'repo'|'create'|'pulls'|'blob'|'info-refs'|'upload-pack'|
// 'receive-pack', method?, then status (with headers, body) | drop | dropAfter | before: fn,
// times = 1}, as gitea.mjs). Every request is logged ({method, path (with the prefix and the
// query), kind, status, user (the Basic user name), auth (the scheme), protocol (Git-Protocol),
// json (a JSON body)}) and counted.
//
// As a module: `const gl = await startGitLab({token, user, prefix: '/gitlab', groups})`, with
// `gl.base` = origin + prefix (what --api takes). Standalone:
//   node tests/servers/gitlab.mjs [--port 8791] [--host 127.0.0.1] [--prefix /gitlab]
//     [--root DIR] [--token T] [--username ada]
// GET {prefix}/__stats answers the counts and the log; POST {prefix}/__reset clears them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bareRepositories, basicCredentials, GitSide, Injections, jsonBody, serveLogged, standInControls } from './forge-kit.mjs';
import { listen, parseArgs, sendJson } from './http.mjs';

export const DEFAULT_TOKEN = 'glpat-LocalTestToken_0123';
export const DEFAULT_USER = {
  id: 7,
  username: 'ada',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  public_email: '',
  commit_email: 'ada.commits@example.com',
};
/** Groups the default user belongs to (as a Maintainer): `acme` and its subgroup `acme/web`. */
export const DEFAULT_GROUPS = [
  { path: 'acme', name: 'Acme' },
  { path: 'acme/web', name: 'Web' },
];

const LEVELS = { private: 0, internal: 10, public: 20 };
const CAN_CREATE = new Set(['owner', 'maintainer', 'developer']);
const BASIC_DENIED =
  'HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or ' +
  "you're required to use a token instead of a password. If a token was provided, it was either incorrect, " +
  'expired, or improperly scoped.\n';
const PROJECT_PATH = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/** What a request (past the prefix) is, for injection and counting. */
function kindOf(method, path) {
  if (path === '/api/v4/user') return 'user';
  if (/^\/api\/v4\/namespaces\/[^/]+$/.test(path)) return 'namespace';
  if (path === '/api/v4/projects' && method === 'POST') return 'create';
  if (/^\/api\/v4\/projects\/[^/]+\/merge_requests(\/|$)/.test(path)) return 'pulls';
  if (/^\/api\/v4\/projects\/[^/]+\/repository\/blobs\//.test(path)) return 'blob';
  if (/^\/api\/v4\/projects\/[^/]+$/.test(path)) return 'repo';
  if (path.startsWith('/api/')) return 'rest';
  if (/\/info\/refs$/.test(path)) return 'info-refs';
  if (/\/git-receive-pack$/.test(path)) return 'receive-pack';
  if (/\/git-upload-pack$/.test(path)) return 'upload-pack';
  return 'other';
}

const GIT_PATH = /^\/((?:[A-Za-z0-9_.-]+\/)+[A-Za-z0-9_.-]+?)(\.git)?\/(info\/refs|git-receive-pack|git-upload-pack)$/;

/**
 * Creates the stand-in (not listening). options: root (a folder for the bare repositories; a
 * temporary one by default), token (or tokens: {token: {id, username, name, email,
 * public_email, commit_email, push}}), user, prefix ('' or e.g. '/gitlab'), groups ([path |
 * {path, name?, visibility? ('public'), access? ('maintainer'; 'reporter' may not create
 * projects; null: not a member, so not visible)}], DEFAULT_GROUPS by default),
 * emptyDefaultBranch (what `default_branch` says for an empty repository: null by default,
 * 'main' as GitLab 14+), origin (set by startGitLab).
 */
export function createGitLab(options = {}) {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'liftoff-gitlab-'));
  const ownsRoot = !options.root;
  mkdirSync(root, { recursive: true });
  const disk = bareRepositories(root);
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const emptyDefaultBranch = options.emptyDefaultBranch ?? null;
  const tokens = options.tokens ?? {
    [options.token ?? DEFAULT_TOKEN]: { ...DEFAULT_USER, ...(options.user ?? {}), push: true },
  };
  const namespaces = new Map(); // lower full path → {id, name, path, kind, fullPath, parentId, visibility, access}
  const projects = new Map(); // lower full path → project
  const mergeRequests = new Map(); // project id → [mr]
  let nextNamespaceId = 10;
  let nextProjectId = 100;
  let nextMrId = 9000;
  const side = new GitSide(root);
  const injections = new Injections();

  for (const user of Object.values(tokens)) {
    addNamespace({ name: user.name, path: user.username, kind: 'user', fullPath: user.username, parentId: null, visibility: 'public', access: 'owner', ownerId: user.id });
  }
  for (const group of options.groups ?? DEFAULT_GROUPS) ensureGroup(typeof group === 'string' ? { path: group } : group);

  function addNamespace(ns) {
    const record = { id: nextNamespaceId++, ...ns };
    namespaces.set(ns.fullPath.toLowerCase(), record);
    return record;
  }

  /** A group and its parents (parents made with the same access). */
  function ensureGroup({ path, name, visibility = 'public', access = 'maintainer' }) {
    const existing = namespaces.get(path.toLowerCase());
    if (existing) return existing;
    const parts = path.split('/');
    const parent = parts.length > 1 ? ensureGroup({ path: parts.slice(0, -1).join('/'), visibility, access }) : null;
    const leaf = parts.at(-1);
    return addNamespace({ name: name ?? leaf, path: leaf, kind: 'group', fullPath: path, parentId: parent?.id ?? null, visibility, access });
  }

  const gl = {
    root,
    prefix,
    origin: options.origin ?? 'http://127.0.0.1',
    get base() {
      return `${gl.origin}${prefix}`;
    },
    log: [],
    stats: { requests: 0, byKind: {}, bodyBytesIn: 0 },
    injections,

    dirOf: (path) => disk.dirOf(projects.get(path.toLowerCase())?.fullPath ?? path),

    /** Creates an empty project (its namespace, or the groups, made when missing). */
    createRepo(path, { defaultBranch = 'main', visibility = 'private' } = {}) {
      const parts = path.split('/');
      const nsPath = parts.slice(0, -1).join('/');
      const namespace = namespaces.get(nsPath.toLowerCase()) ?? ensureGroup({ path: nsPath });
      return addProject(namespace, { name: parts.at(-1), path: parts.at(-1), visibility, defaultBranch }).fullPath;
    },

    exists: (path) => projects.has(path.toLowerCase()),

    /** The commit `branch` points at (the default branch when not given), or null. */
    head(path, branch) {
      const project = projects.get(path.toLowerCase());
      return project ? disk.head(project.fullPath, branch ?? project.defaultBranch) : null;
    },

    /** Someone else's commit onto branch (the default branch when not given). */
    commit(path, files, { branch, ...rest } = {}) {
      const project = projects.get(path.toLowerCase());
      const commit = disk.commit(project.fullPath, files, { branch: branch ?? project.defaultBranch, ...rest });
      project.pushed = true;
      return commit;
    },

    /** Someone else's merge request. Returns its iid. */
    openPull(path, { head, base, title = 'Someone else\'s merge request', body = '' }) {
      const project = projects.get(path.toLowerCase());
      return addMergeRequest(project, { source: head, target: base, title, description: body, author: { id: 99, username: 'someone', name: 'Someone Else' } }).iid;
    },

    /** The merge requests of a project as stored, with `head`, `base`, `body` aliases. */
    pullsOf(path) {
      const project = projects.get(path.toLowerCase());
      return (project ? mergeRequests.get(project.id) ?? [] : []).map((mr) => ({ ...mr, head: mr.source, base: mr.target, body: mr.description, number: mr.iid }));
    },

    /** The default branch GitLab reports for the project (what `default_branch` says). */
    defaultBranchOf(path) {
      const project = projects.get(path.toLowerCase());
      return project ? defaultBranch(project) : null;
    },

  };
  // inject, clearInjections, beforeReceivePack(fn) (fn gets {path, dir}), protocolV2,
  // allowFilters, cloneOrigin, resetStats, handle, close.
  Object.assign(gl, standInControls(gl, { injections, side, handle, root, ownsRoot }));

  function addProject(namespace, { name, path, visibility, defaultBranch: branch = 'main' }) {
    const fullPath = `${namespace.fullPath}/${path}`;
    disk.init(fullPath, branch);
    const now = new Date().toISOString();
    const project = { id: nextProjectId++, name, path, namespace, fullPath, visibility, defaultBranch: branch, pushed: false, created: now, activity: now };
    projects.set(fullPath.toLowerCase(), project);
    return project;
  }

  function addMergeRequest(project, { source, target, title, description, author }) {
    const list = mergeRequests.get(project.id) ?? [];
    mergeRequests.set(project.id, list);
    const now = new Date().toISOString();
    const mr = { id: nextMrId++, iid: list.length + 1, source, target, title, description, state: 'opened', author, created: now, updated: now };
    list.push(mr);
    return mr;
  }

  const defaultBranch = (project) => (project.pushed ? project.defaultBranch : emptyDefaultBranch);

  const webBase = () => `${side.cloneOrigin ?? gl.origin}${prefix}`;

  function namespaceJson(ns) {
    return {
      id: ns.id,
      name: ns.name,
      path: ns.path,
      kind: ns.kind,
      full_path: ns.fullPath,
      parent_id: ns.parentId,
      avatar_url: null,
      web_url: ns.kind === 'group' ? `${gl.base}/groups/${ns.fullPath}` : `${gl.base}/${ns.fullPath}`,
      ...(ns.kind === 'group' ? { members_count_with_descendants: 1 } : {}),
    };
  }

  function namesOf(ns) {
    const names = [];
    for (let at = ns; at; at = [...namespaces.values()].find((n) => n.id === at.parentId)) names.unshift(at.name);
    return names;
  }

  function userJson(user) {
    return { id: user.id, username: user.username, name: user.name, state: 'active', locked: false, avatar_url: null, web_url: `${gl.base}/${user.username}` };
  }

  function projectJson(project, user) {
    const web = `${webBase()}/${project.fullPath}`;
    const host = new URL(gl.origin).hostname;
    const access = project.namespace.kind === 'user' ? 50 : { owner: 50, maintainer: 40, developer: 30, reporter: 20 }[project.namespace.access] ?? null;
    return {
      id: project.id,
      description: null,
      name: project.name,
      name_with_namespace: [...namesOf(project.namespace), project.name].join(' / '),
      path: project.path,
      path_with_namespace: project.fullPath,
      created_at: project.created,
      default_branch: defaultBranch(project),
      tag_list: [],
      topics: [],
      ssh_url_to_repo: `git@${host}:${project.fullPath}.git`,
      http_url_to_repo: `${web}.git`,
      web_url: web,
      readme_url: null,
      forks_count: 0,
      avatar_url: null,
      star_count: 0,
      last_activity_at: project.activity,
      namespace: namespaceJson(project.namespace),
      visibility: project.visibility,
      empty_repo: !project.pushed,
      archived: false,
      open_issues_count: 0,
      creator_id: project.namespace.ownerId ?? 1,
      ...(user
        ? {
            permissions: {
              project_access: null,
              group_access: access === null ? null : { access_level: access, notification_level: 3 },
            },
          }
        : {}),
    };
  }

  function mrJson(project, mr) {
    const web = `${webBase()}/${project.fullPath}/-/merge_requests/${mr.iid}`;
    return {
      id: mr.id,
      iid: mr.iid,
      project_id: project.id,
      title: mr.title,
      description: mr.description,
      state: mr.state,
      created_at: mr.created,
      updated_at: mr.updated,
      merged_by: null,
      merge_user: null,
      merged_at: null,
      closed_by: null,
      closed_at: mr.state === 'closed' ? mr.updated : null,
      target_branch: mr.target,
      source_branch: mr.source,
      user_notes_count: 0,
      upvotes: 0,
      downvotes: 0,
      author: userJson(mr.author),
      assignees: [],
      assignee: null,
      reviewers: [],
      source_project_id: project.id,
      target_project_id: project.id,
      labels: [],
      draft: false,
      work_in_progress: false,
      milestone: null,
      merge_when_pipeline_succeeds: false,
      merge_status: 'can_be_merged',
      detailed_merge_status: 'mergeable',
      sha: disk.head(project.fullPath, mr.source),
      merge_commit_sha: null,
      squash_commit_sha: null,
      discussion_locked: null,
      should_remove_source_branch: null,
      force_remove_source_branch: false,
      reference: `!${mr.iid}`,
      references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${project.fullPath}!${mr.iid}` },
      web_url: web,
      squash: false,
      has_conflicts: false,
      blocking_discussions_resolved: true,
    };
  }

  /** {token, user, presented}. */
  function credentials(req, url) {
    const privateToken = req.headers['private-token'] ?? url.searchParams.get('private_token');
    if (privateToken) return { token: privateToken, user: tokens[privateToken] ?? null, presented: true };
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (bearer) return { token: bearer[1], user: tokens[bearer[1]] ?? null, presented: true };
    const basic = basicCredentials(req);
    if (basic) return { token: basic.password, user: tokens[basic.password] ?? null, presented: true };
    return { token: null, user: null, presented: false };
  }

  /** The project a `:id` segment names (a number, or a URL-encoded path), or null. */
  function projectOf(segment, user) {
    let key;
    try {
      key = decodeURIComponent(segment);
    } catch {
      return null;
    }
    const project = /^\d+$/.test(key)
      ? [...projects.values()].find((p) => p.id === Number(key))
      : projects.get(key.toLowerCase());
    if (!project) return null;
    if (project.visibility !== 'public' && !canSee(project.namespace, user)) return null;
    return project;
  }

  function canSee(ns, user) {
    if (!user) return false;
    if (ns.kind === 'user') return ns.ownerId === user.id;
    return ns.access !== null && ns.access !== undefined;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    const full = url.pathname;
    if (full === `${prefix}/__stats`) return sendJson(res, 200, { ...gl.stats, log: gl.log });
    if (full === `${prefix}/__reset` && req.method === 'POST') {
      gl.resetStats();
      return sendJson(res, 200, { ok: true });
    }
    const inside = prefix === '' || full === prefix || full.startsWith(`${prefix}/`);
    const path = inside ? full.slice(prefix.length) || '/' : full;
    const kind = inside ? kindOf(req.method, path) : 'other';
    return serveLogged(gl, req, res, {
      kind,
      logPath: full + url.search,
      route: (reply, body, entry) => {
        const html = (status, text) => reply(res, status, Buffer.from(text), { 'content-type': 'text/html; charset=utf-8' });
        if (!inside) return html(404, '<!DOCTYPE html><title>The page you\'re looking for could not be found (404)</title>\n');
        const match = GIT_PATH.exec(path);
        if (match) return serveGit(req, res, reply, match, url, body, entry);
        if (path.startsWith('/api/v4/') || path === '/api/v4') return serveRest(req, res, reply, path, url, body);
        return html(404, '<!DOCTYPE html><title>The page you\'re looking for could not be found (404)</title>\n');
      },
    });
  }

  async function serveRest(req, res, reply, path, url, body) {
    const json = (status, value, headers) => reply(res, status, value, { 'content-type': 'application/json', ...headers });
    const unauthorized = () => json(401, { message: '401 Unauthorized' });
    const noRoute = () => json(404, { error: '404 Not Found' });
    const { user, presented } = credentials(req, url);
    if (presented && !user) return unauthorized();
    if (path === '/api/v4/version' && req.method === 'GET') {
      return user ? json(200, { version: '17.5.1-ee', revision: '0123456789a' }) : unauthorized();
    }
    let match;
    if (path === '/api/v4/user' && req.method === 'GET') {
      if (!user) return unauthorized();
      return json(200, {
        ...userJson(user),
        created_at: '2024-01-01T00:00:00.000Z',
        bio: '',
        location: '',
        public_email: user.public_email ?? '',
        skype: '',
        linkedin: '',
        twitter: '',
        website_url: '',
        organization: '',
        job_title: '',
        bot: false,
        last_sign_in_at: '2024-01-01T00:00:00.000Z',
        confirmed_at: '2024-01-01T00:00:00.000Z',
        last_activity_on: new Date().toISOString().slice(0, 10),
        email: user.email,
        projects_limit: 100000,
        current_sign_in_at: new Date().toISOString(),
        can_create_group: true,
        can_create_project: true,
        two_factor_enabled: false,
        external: false,
        private_profile: false,
        commit_email: user.commit_email ?? user.email,
      });
    }
    if ((match = /^\/api\/v4\/namespaces\/([^/]+)$/.exec(path)) && req.method === 'GET') {
      if (!user) return unauthorized();
      let key;
      try {
        key = decodeURIComponent(match[1]);
      } catch {
        key = '';
      }
      const ns = /^\d+$/.test(key) ? [...namespaces.values()].find((n) => n.id === Number(key)) : namespaces.get(key.toLowerCase());
      if (!ns || !canSee(ns, user)) return json(404, { message: '404 Namespace Not Found' });
      return json(200, namespaceJson(ns));
    }
    if (path === '/api/v4/projects' && req.method === 'POST') {
      if (!user) return unauthorized();
      return createProject(json, user, req, body);
    }
    if ((match = /^\/api\/v4\/projects\/([^/]+)(\/.*)?$/.exec(path))) {
      const rest = match[2] ?? '';
      const known = rest === '' || /^\/merge_requests(\/\d+)?$/.test(rest) || /^\/repository\/blobs\/[^/]+$/.test(rest);
      if (!known) return noRoute();
      const project = projectOf(match[1], user);
      if (!project) return json(404, { message: '404 Project Not Found' });
      if (rest === '' && req.method === 'GET') return json(200, projectJson(project, user));
      let sub;
      if ((sub = /^\/repository\/blobs\/([^/]+)$/.exec(rest)) && req.method === 'GET') {
        const sha = sub[1];
        if (!/^[0-9a-f]{40}$/.test(sha) || (await disk.objectType(project.fullPath, sha)) !== 'blob') {
          return json(404, { message: '404 Blob Not Found' });
        }
        const bytes = await disk.blob(project.fullPath, sha);
        return json(200, { size: bytes.length, encoding: 'base64', content: bytes.toString('base64'), sha });
      }
      if ((sub = /^\/merge_requests(?:\/(\d+))?$/.exec(rest))) {
        if (!user && req.method !== 'GET') return unauthorized();
        return serveMergeRequests(req, json, project, sub[1], url, body, user);
      }
    }
    return noRoute();
  }

  /** A JSON or form body as an object; undefined when unreadable. */
  function params(req, body) {
    if (/application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
      return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    }
    const value = jsonBody(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  }

  function createProject(json, user, req, body) {
    const input = params(req, body);
    if (input === undefined) return json(400, { error: '400 Bad request - JSON body is invalid' });
    let { name, path } = input;
    if (!name && !path) return json(400, { error: 'name, path are missing, at least one parameter must be provided' });
    const visibility = input.visibility ?? 'private';
    if (!(visibility in LEVELS)) return json(400, { error: 'visibility does not have a valid value' });
    let namespace;
    if (input.namespace_id !== undefined && input.namespace_id !== null && input.namespace_id !== '') {
      if (!/^\d+$/.test(String(input.namespace_id))) return json(400, { error: 'namespace_id is invalid' });
      namespace = [...namespaces.values()].find((n) => n.id === Number(input.namespace_id));
      const allowed = namespace && (namespace.kind === 'user' ? namespace.ownerId === user.id : CAN_CREATE.has(namespace.access));
      // Projects::CreateService: a namespace the user may not create in is "not valid".
      if (!allowed) return json(400, { message: { namespace: ['is not valid'] } });
    } else {
      namespace = [...namespaces.values()].find((n) => n.kind === 'user' && n.ownerId === user.id);
    }
    path = String(path ?? name).trim();
    name = String(name ?? path);
    if (!PROJECT_PATH.test(path) || /\.(git|atom)$/i.test(path)) {
      return json(400, { message: { path: ["can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.git' or end in '.atom'"] } });
    }
    if (LEVELS[visibility] > LEVELS[namespace.visibility] && namespace.kind === 'group') {
      return json(400, { message: { visibility_level: [`${visibility} is not allowed in a ${namespace.visibility} group.`] } });
    }
    const siblings = [...projects.values()].filter((p) => p.namespace.id === namespace.id);
    const errors = {};
    if (siblings.some((p) => p.name.toLowerCase() === name.toLowerCase())) errors.name = ['has already been taken'];
    if (siblings.some((p) => p.path.toLowerCase() === path.toLowerCase())) errors.path = ['has already been taken'];
    if (errors.name || errors.path) {
      errors['project_namespace.name'] = ['has already been taken'];
      return json(400, { message: errors });
    }
    const project = addProject(namespace, { name, path, visibility });
    return json(201, projectJson(project, user));
  }

  async function serveMergeRequests(req, json, project, iid, url, body, user) {
    const list = mergeRequests.get(project.id) ?? [];
    if (!iid && req.method === 'GET') {
      const state = url.searchParams.get('state') ?? 'all';
      const source = url.searchParams.get('source_branch');
      const target = url.searchParams.get('target_branch');
      const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page')) || 20, 1), 100);
      const page = Math.max(Number(url.searchParams.get('page')) || 1, 1);
      const sortAsc = url.searchParams.get('sort') === 'asc';
      const found = list
        .filter((mr) => (state === 'all' || mr.state === state) && (!source || mr.source === source) && (!target || mr.target === target))
        .sort((a, b) => (sortAsc ? 1 : -1) * (a.created.localeCompare(b.created) || a.id - b.id));
      const pages = Math.max(Math.ceil(found.length / perPage), 1);
      const slice = found.slice((page - 1) * perPage, page * perPage);
      return json(200, slice.map((mr) => mrJson(project, mr)), {
        'x-total': String(found.length),
        'x-total-pages': String(pages),
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-next-page': page < pages ? String(page + 1) : '',
        'x-prev-page': page > 1 ? String(page - 1) : '',
      });
    }
    const input = req.method === 'GET' ? {} : params(req, body);
    if (input === undefined) return json(400, { error: '400 Bad request - JSON body is invalid' });
    if (!iid && req.method === 'POST') {
      const missing = ['source_branch', 'target_branch', 'title'].filter((k) => typeof input[k] !== 'string' || input[k] === '');
      if (missing.length) return json(400, { error: missing.map((k) => `${k} is missing`).join(', ') });
      const { source_branch: source, target_branch: target } = input;
      if (source === target) return json(422, { message: ["You can't use same project/branch for source and target"] });
      const problems = [];
      if (!disk.head(project.fullPath, source)) problems.push(`Source branch "${source}" does not exist`);
      if (!disk.head(project.fullPath, target)) problems.push(`Target branch "${target}" does not exist`);
      if (problems.length) return json(422, { message: problems });
      const existing = list.find((mr) => mr.state === 'opened' && mr.source === source && mr.target === target);
      if (existing) return json(409, { message: [`Another open merge request already exists for this source branch: !${existing.iid}`] });
      const mr = addMergeRequest(project, { source, target, title: input.title, description: String(input.description ?? ''), author: user });
      return json(201, mrJson(project, mr));
    }
    const mr = list.find((m) => m.iid === Number(iid));
    if (!mr) return json(404, { message: '404 Not found' });
    if (req.method === 'GET') return json(200, mrJson(project, mr));
    if (req.method === 'PUT') {
      const editable = ['title', 'description', 'state_event', 'target_branch'];
      if (!editable.some((k) => input[k] !== undefined)) {
        return json(400, { error: 'assignee_id, assignee_ids, reviewer_ids, description, labels, milestone_id, remove_source_branch, state_event, target_branch, title, discussion_locked, squash are missing, at least one parameter must be provided' });
      }
      if (typeof input.title === 'string' && input.title !== '') mr.title = input.title;
      if (typeof input.description === 'string') mr.description = input.description;
      if (input.state_event === 'close') mr.state = 'closed';
      if (input.state_event === 'reopen') mr.state = 'opened';
      mr.updated = new Date().toISOString();
      return json(200, mrJson(project, mr));
    }
    return json(405, { message: '405 Method Not Allowed' });
  }

  async function serveGit(req, res, reply, match, url, body, entry) {
    const [, projectPath, dotGit, rest] = match;
    const plain = (status, text, headers = {}) => reply(res, status, Buffer.from(text), { 'content-type': 'text/plain; charset=utf-8', ...headers });
    if (!dotGit) {
      // GitLab redirects /group/project/info/refs to the .git URL; nothing else without .git.
      if (rest !== 'info/refs' || req.method !== 'GET') return plain(404, 'Not Found\n');
      return reply(res, 301, Buffer.alloc(0), { location: `${prefix}/${projectPath}.git/info/refs${url.search}` });
    }
    const service = rest === 'info/refs' ? url.searchParams.get('service') : rest;
    const pushing = service === 'git-receive-pack';
    const { user, presented } = credentials(req, url);
    const denied = () => plain(401, BASIC_DENIED, { 'www-authenticate': 'Basic realm="GitLab"' });
    if (presented && !user) return denied();
    const project = projectOf(encodeURIComponent(projectPath), user);
    if (!user && !(project && project.visibility === 'public' && !pushing)) return denied();
    if (!project) return plain(404, 'The project you were looking for could not be found or you don\'t have permission to view it.\n');
    if (pushing && !user.push) return plain(403, 'You are not allowed to push code to this project.\n');
    const { answer, pushed } = await side.serve(req, url, body, {
      repoPath: project.fullPath,
      rest,
      user: user?.username ?? '',
      hookArg: { path: project.fullPath, dir: disk.dirOf(project.fullPath) },
    });
    if (pushed) await afterPush(project, pushed);
    return reply(res, answer.status, answer.body, { ...answer.headers, 'cache-control': 'no-cache' });
  }

  /** The first push: the default branch becomes `main` when pushed, else the first pushed one. */
  async function afterPush(project, commands) {
    const branches = await disk.branches(project.fullPath);
    if (branches.length === 0) return;
    project.activity = new Date().toISOString();
    if (!project.pushed && !branches.includes(project.defaultBranch)) {
      const pushed = commands.map((c) => c.ref.replace(/^refs\/heads\//, '')).filter((b) => branches.includes(b));
      const chosen = pushed.includes('main') ? 'main' : (pushed[0] ?? branches[0]);
      project.defaultBranch = chosen;
      await disk.setHead(project.fullPath, chosen);
    }
    project.pushed = true;
  }

  return gl;
}

/**
 * Creates the stand-in and listens on 127.0.0.1 (an ephemeral port unless told). options as
 * createGitLab, plus port, host, tls (false, true for a throw-away certificate for `names`, or
 * {key, cert}) and names (['localhost', 'gitlab.com'] by default). For a browser that reaches it
 * as gitlab.com (--host-resolver-rules), pass `tls: true` and `origin: 'https://gitlab.com'` (how
 * http_url_to_repo and web_url start). Resolves the stand-in with origin, base (origin + prefix),
 * port and an async close().
 */
export async function startGitLab(options = {}) {
  const gl = createGitLab(options);
  const listening = await listen(gl.handle, {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    tls: options.tls ?? false,
    names: options.names ?? ['localhost', 'gitlab.com'],
  });
  gl.origin = options.origin ?? listening.origin;
  gl.port = listening.port;
  const closeRoot = gl.close;
  gl.close = async () => {
    await listening.close();
    closeRoot();
  };
  return gl;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const token = args.token ?? DEFAULT_TOKEN;
  const gl = await startGitLab({
    port: Number(args.port ?? 8791),
    host: args.host ?? '127.0.0.1',
    prefix: args.prefix ?? '',
    root: args.root,
    token,
    user: args.username ? { username: args.username } : undefined,
  });
  writeFileSync(1, `${JSON.stringify({ origin: gl.origin, base: gl.base, root: gl.root, token })}\n`);
  const stop = async () => {
    await gl.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
