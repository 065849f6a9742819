#!/usr/bin/env node
// A local Netlify (REST API at api.netlify.com/api/v1) that really builds the zipped source it is
// sent and serves the result. Where each behaviour comes from:
//   [O] Netlify's OpenAPI description, ../shared/specs/netlify-open-api.yml (paths, operation
//       ids, status codes, and the shapes of site, deploy, build, accountMembership, envVar,
//       envVarValue and error = {code, message});
//   [T] ../shared/brief/targets.md;
//   [N] Netlify's observed wording (its build logs and API answers as users quote them);
//   [B] the lead's brief for this stand-in, where the others say nothing.
//
// Every /api/v1 call needs `Authorization: Bearer <token>`; otherwise 401
// {"code": 401, "message": "Access Denied: Origin returned bad status 401"} [N]. One account
// (accountMembership {id: 'acc-0001', slug: 'founder', name: 'Founder', type: 'personal'});
// an account may be named by id or slug.
//   GET  /user                                   → {id, full_name, email, …}
//   GET  /accounts                               → [accountMembership] (listAccountsForUser) [O]
//   GET  /sites?name=&filter=&page=&per_page=    → [site] whose name contains `name` (listSites)
//   GET  /{account_slug}/sites                   → the same for the account (listSitesForAccount)
//   POST /sites, POST /{account_slug}/sites {name?, build_settings?: {cmd, dir}} → 201 site
//        (createSite, createSiteInTeam) [O]; a taken name: 422 {code: 422, message:
//        'Validation failed: subdomain must be unique'}; an invalid one: 422 '… subdomain is
//        invalid' [B][N]
//   GET  /sites/{site_id} (id, name or `<name>.netlify.app`) → site {id, name, url:
//        'http://<name>.netlify.app', ssl_url: 'https://…', admin_url, account_id, account_slug,
//        account_name, published_deploy: deploy | null, created_at, updated_at, …} | 404 [O][B]
//   DELETE /sites/{site_id}                      → 204 [O]
//   GET  /accounts/{account_id}/env[?site_id=&context_name=&scope=] → [envVar {key, scopes,
//        values: [{id, value, context, context_parameter?}], is_secret, updated_at}] (values of
//        is_secret variables are left out except for the dev context [O]); without site_id the
//        account-level variables (which every site's builds also see) [O]
//   GET  /sites/{site_id}/env                    → the site's variables (getSiteEnvVars) [O]
//   POST /accounts/{account_id}/env[?site_id=] body [{key, scopes?, values: [{value, context}],
//        is_secret?}] → 201 [envVar] (createEnvVars) [O]. A key that already exists at that
//        level: 400 {code: 400, message: 'Environment variable(s) already exist: KEY'} — the
//        OpenAPI says only "default: error"; this status and wording are the stand-in's
//        choice [B]: clients should list first, POST the new keys and PUT the existing ones.
//   GET|PUT|PATCH|DELETE /accounts/{account_id}/env/{key}[?site_id=] → 200 envVar | 200
//        envVar (replaces scopes, values, is_secret) | 201 envVar (sets one context's value) |
//        204; 404 {code: 404, message: 'Not Found'} when absent (getEnvVar, updateEnvVar,
//        setEnvVarValue, deleteEnvVar) [O]. DELETE …/env/{key}/value/{id} → 204 [O].
//   POST /sites/{site_id}/builds[?branch=&title=&clear_cache=] with the zip as the raw body
//        (Content-Type application/zip) or as the `zip` field of multipart/form-data (both per
//        createSiteBuild's description) [O][T] → 200 build {id, deploy_id, sha: null, done:
//        false, error: null, created_at}; no zip: 422; a zip that cannot be read or that
//        escapes its folder: 400 {code: 400, message: 'Invalid zip: …'}.
//        The deploy goes 'new' → 'enqueued' → 'building' → 'ready' | 'error'. Build settings
//        from the tree's netlify.toml ([build] command, publish; [build.environment]), else
//        the site's build_settings {cmd, dir}, else 'npm run build' and 'dist' [B]. A ready
//        production deploy (no branch, or the production branch: build_settings.repo_branch, else
//        'main') is published at once: the site's
//        published_deploy, with published_at set. A failed one: state 'error', error_message
//        "Failed during stage 'building site': Build script returned non-zero exit code: 1:
//        <last stderr line>" (Netlify's words [N] + the log's last line [B]; install failures
//        say "Failed during stage 'Install dependencies': …", a missing publish folder "Deploy
//        did not succeed: Deploy directory 'dist' does not exist" [N]); the build gets done:
//        true and error = the same message; production is untouched.
//   GET  /builds/{build_id}                      → build (getSiteBuild) [O]
//   GET  /sites/{site_id}/builds                 → [build] newest first (listSiteBuilds) [O]
//   GET  /sites/{site_id}/deploys/{deploy_id}, GET /deploys/{deploy_id} → deploy {id, site_id,
//        build_id, state, name, url, ssl_url, admin_url, deploy_url, deploy_ssl_url:
//        'https://<id>--<name>.netlify.app', error_message, created_at, updated_at,
//        published_at, context: 'production' | 'branch-deploy', branch, title, …} [O][B]
//   GET  /sites/{site_id}/deploys?page=&per_page=&state=&production=&branch= → [deploy]
//        newest first; per_page defaults to 100; a Link header with rel="next" and rel="last"
//        when there is more (as Netlify's paged lists do) [O][N]
//   POST /sites/{site_id}/deploys/{deploy_id}/restore → 201 deploy; it must be ready (422
//        otherwise) and of this site (404); the site's published deploy switches at once [O][T]
//   PUT  /sites/{site_id}/rollback               → 204: publishes the newest ready production
//        deploy created before the one published now; 422 when there is none [O][T]
// Not here: the prebuilt deploy by digest (POST /sites/{id}/deploys with {files}, PUT
// /deploys/{id}/files/…), forms, functions, DNS.
//
// OPTIONS on any URL answers 405 and is counted (`options` in the stats).
// Serving what was built (no token): GET|HEAD /__site/{deployId}/<path>,
// /__production/{siteName}/<path> (the published deploy; 404 when none), and by Host
// `<name>.netlify.app` (published) or `<deployId>--<name>.netlify.app`.
// Injected failures (Failures from http.mjs, each used once) match a target: 'user', 'accounts',
// 'sites' (list, get, create, delete), 'env', 'builds' (POST a build), 'build' (GET a build),
// 'deploy' (GET a deploy), 'deploys' (the deploy and build listings), 'restore', 'rollback'.
// kind 429 (with retryAfter), any status, 'drop', 'cut', 'redirect', or 'lost' (carried out, then
// the connection drops before the answer).
//
// As a module: `const nf = await startNetlify({token, tls, names, port, host, buildDelayMs,
// buildTimeoutMs, latencyMs})` → {origin, port, api, handle, close}; createNetlify(...).handle is
// the bare handler (it expects the /api/v1 prefix). Standalone (prints {"origin": …}):
//   node tests/servers/netlify.mjs [--port 8791] [--host 127.0.0.1] [--token T] [--https]
//     [--build-delay MS] [--fail-429 TARGET]... [--drop TARGET]...
// GET /__stats: counts and every request (method, host, path, target, status, auth
// ok/missing/wrong, request body bytes); POST /__reset clears them and pending failures.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildEnv, buildSource, parseNetlifyToml, readZip, removeBuild, serveBuilt, sharedQueue } from './build.mjs';
import { Failures, applyFailure, bearerOf, lostAnswer, runStandalone, sendJson, serveStandIn, sleep } from './http.mjs';

export const DEFAULT_TOKEN = 'netlify-test-token-0123456789';
export const DEFAULT_ACCOUNT = { id: 'acc-0001', slug: 'founder', name: 'Founder', type: 'personal' };
export const DEFAULT_USER = { id: '5f1e2d3c4b5a697887960001', full_name: 'Founder', email: 'founder@example.com' };
const PREFIX = '/api/v1';
const MAX_BODY = 256 * 1024 * 1024;
const CONTEXTS = ['all', 'dev', 'dev-server', 'branch-deploy', 'deploy-preview', 'production', 'branch'];
const SCOPES = ['builds', 'functions', 'runtime', 'post-processing'];

const hexId = () => randomBytes(12).toString('hex');
const iso = (ms) => (ms ? new Date(ms).toISOString() : null);

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

/** The bytes of the multipart/form-data field `name`, or null. */
function multipartField(body, contentType, name) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2].trim()}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return null;
    const headersEnd = body.indexOf('\r\n\r\n', start);
    if (headersEnd < 0) return null;
    const headers = body.subarray(start, headersEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4);
    if (next < 0) return null;
    const disposition = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers);
    if (disposition && disposition[1] === name) return body.subarray(headersEnd + 4, next);
    at = next + 2;
  }
  return null;
}

/**
 * Creates the stand-in (not listening). options: token, account, user, buildDelayMs,
 * buildTimeoutMs, latencyMs, queue (a BuildQueue; build.mjs's sharedQueue, shared with the
 * Vercel stand-in, by default), root (a folder for builds; temporary).
 */
export function createNetlify(options = {}) {
  const token = options.token ?? DEFAULT_TOKEN;
  const account = { ...DEFAULT_ACCOUNT, ...(options.account ?? {}) };
  const user = { ...DEFAULT_USER, ...(options.user ?? {}) };
  const queue = options.queue ?? sharedQueue;
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'liftoff-netlify-'));
  mkdirSync(root, { recursive: true });
  const state = { buildDelayMs: options.buildDelayMs ?? 0, buildTimeoutMs: options.buildTimeoutMs ?? 180_000, latencyMs: options.latencyMs ?? 0, closed: false };
  const failures = new Failures();
  const created = iso(Date.UTC(2024, 0, 1));
  const sites = new Map(); // id → site
  const deploys = new Map(); // id → deploy
  const builds = new Map(); // id → build
  const envs = new Map(); // `${account.id}|${siteId ?? ''}` → Map<key, variable>
  const pending = new Set();
  let log = [];
  let lastTime = 0;

  const now = () => {
    lastTime = Math.max(Date.now(), lastTime + 1);
    return lastTime;
  };

  const membership = () => ({
    id: account.id,
    name: account.name,
    slug: account.slug,
    type: account.type,
    type_name: account.type === 'personal' ? 'Starter' : 'Pro',
    type_id: account.type,
    capabilities: { sites: { included: 500, used: sites.size }, collaborators: { included: 1, used: 1 } },
    billing_name: account.name,
    billing_email: user.email,
    billing_details: '',
    billing_period: 'monthly',
    payment_method_id: null,
    owner_ids: [user.id],
    roles_allowed: ['Owner'],
    created_at: created,
    updated_at: created,
  });

  const isAccount = (ref) => ref === account.id || ref === account.slug;

  function findSite(ref) {
    if (!ref) return null;
    const key = decodeURIComponent(ref).toLowerCase();
    if (sites.has(key)) return sites.get(key);
    const name = key.endsWith('.netlify.app') ? key.slice(0, -'.netlify.app'.length) : key;
    for (const site of sites.values()) if (site.name === name) return site;
    return null;
  }

  function deployJson(d) {
    const site = sites.get(d.site_id);
    const name = site?.name ?? d.name;
    return {
      id: d.id,
      site_id: d.site_id,
      user_id: user.id,
      build_id: d.build_id,
      state: d.state,
      name,
      url: `http://${name}.netlify.app`,
      ssl_url: `https://${name}.netlify.app`,
      admin_url: `https://app.netlify.com/sites/${name}/deploys/${d.id}`,
      deploy_url: `http://${d.id}--${name}.netlify.app`,
      deploy_ssl_url: `https://${d.id}--${name}.netlify.app`,
      screenshot_url: null,
      review_id: null,
      draft: false,
      required: [],
      required_functions: [],
      error_message: d.error_message ?? null,
      branch: d.branch,
      commit_ref: null,
      commit_url: null,
      skipped: null,
      created_at: iso(d.created_at),
      updated_at: iso(d.updated_at),
      published_at: iso(d.published_at),
      title: d.title,
      context: d.context,
      locked: null,
      review_url: null,
      framework: null,
      function_schedules: [],
    };
  }

  function siteJson(site) {
    const published = site.publishedId ? deploys.get(site.publishedId) : null;
    const latest = [...deploys.values()].filter((d) => d.site_id === site.id).sort((a, b) => b.created_at - a.created_at)[0];
    return {
      id: site.id,
      site_id: site.id,
      state: 'current',
      plan: 'nf_team_dev',
      name: site.name,
      custom_domain: null,
      domain_aliases: [],
      branch_deploy_custom_domain: null,
      deploy_preview_custom_domain: null,
      password: null,
      notification_email: null,
      url: `http://${site.name}.netlify.app`,
      ssl_url: `https://${site.name}.netlify.app`,
      admin_url: `https://app.netlify.com/sites/${site.name}`,
      screenshot_url: null,
      created_at: iso(site.created_at),
      updated_at: iso(site.updated_at),
      user_id: user.id,
      session_id: null,
      ssl: true,
      force_ssl: null,
      managed_dns: true,
      deploy_url: latest ? `http://${latest.id}--${site.name}.netlify.app` : `http://${site.name}.netlify.app`,
      published_deploy: published ? deployJson(published) : null,
      account_id: account.id,
      account_name: account.name,
      account_slug: account.slug,
      git_provider: null,
      deploy_hook: null,
      capabilities: {},
      processing_settings: { html: { pretty_urls: true } },
      build_settings: { cmd: site.build_settings.cmd ?? '', dir: site.build_settings.dir ?? '', env: {}, stop_builds: false, repo_branch: site.build_settings.repo_branch ?? null },
      id_domain: `${site.id}.netlify.app`,
      default_hooks_data: null,
      build_image: 'noble',
      prerender: null,
      functions_region: 'us-east-2',
      prevent_non_git_prod_deploys: false,
    };
  }

  const buildJson = (b) => ({ id: b.id, deploy_id: b.deploy_id, sha: null, done: b.done, error: b.error ?? null, created_at: iso(b.created_at) });

  const envKey = (siteId) => `${account.id}|${siteId ?? ''}`;
  const envOf = (siteId) => {
    const key = envKey(siteId);
    if (!envs.has(key)) envs.set(key, new Map());
    return envs.get(key);
  };

  function envJson(v, { reveal = false } = {}) {
    return {
      key: v.key,
      scopes: [...v.scopes],
      values: v.values.map((value) => ({
        id: value.id,
        ...(reveal || !v.is_secret || ['dev', 'dev-server'].includes(value.context) ? { value: value.value } : {}),
        context: value.context,
        ...(value.context_parameter ? { context_parameter: value.context_parameter } : {}),
      })),
      is_secret: v.is_secret,
      updated_at: iso(v.updated_at),
      updated_by: { id: user.id, full_name: user.full_name, email: user.email },
    };
  }

  /** A checked variable from a request body, or {error}. */
  function variableFrom(input, { keyFallback } = {}) {
    const key = input?.key ?? keyFallback;
    if (typeof key !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return { error: `Invalid key ${JSON.stringify(key)}` };
    const scopes = input.scopes ?? SCOPES;
    if (!Array.isArray(scopes) || scopes.some((s) => !SCOPES.includes(s))) return { error: `Invalid scopes for ${key}` };
    if (!Array.isArray(input.values ?? [])) return { error: `values of ${key} must be an array` };
    const values = [];
    for (const value of input.values ?? []) {
      if (typeof value?.value !== 'string') return { error: `Every value of ${key} must be a string` };
      const context = value.context ?? 'all';
      if (!CONTEXTS.includes(context)) return { error: `Invalid context ${JSON.stringify(context)} for ${key}` };
      if (context === 'branch' && !value.context_parameter) return { error: `A branch value of ${key} needs context_parameter` };
      values.push({ id: randomUUID(), value: value.value, context, context_parameter: value.context_parameter });
    }
    return { variable: { key, scopes: [...scopes], values, is_secret: Boolean(input.is_secret), updated_at: now() } };
  }

  /** The variables a build of deploy d sees (account level, then site level; builds scope). */
  function buildVars(d) {
    const vars = {};
    for (const level of [envOf(null), envOf(d.site_id)]) {
      for (const v of level.values()) {
        if (!v.scopes.includes('builds')) continue;
        const pick = (context, parameter) => v.values.find((x) => x.context === context && (!parameter || x.context_parameter === parameter));
        const value = d.context === 'production'
          ? pick('production') ?? pick('all')
          : pick('branch', d.branch) ?? pick('branch-deploy') ?? pick('all');
        if (value) vars[v.key] = value.value;
      }
    }
    return vars;
  }

  function createSite(input) {
    let name = input?.name;
    if (name === undefined || name === null || name === '') {
      do name = `site-${randomBytes(4).toString('hex')}`;
      while (findSite(name));
    }
    if (typeof name !== 'string' || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
      return { status: 422, body: { code: 422, message: 'Validation failed: subdomain is invalid' } };
    }
    if (findSite(name)) return { status: 422, body: { code: 422, message: 'Validation failed: subdomain must be unique' } };
    const at = now();
    const settings = input?.build_settings ?? input?.repo ?? {};
    const site = {
      id: randomUUID(),
      name,
      created_at: at,
      updated_at: at,
      publishedId: null,
      build_settings: { cmd: typeof settings.cmd === 'string' ? settings.cmd : null, dir: typeof settings.dir === 'string' ? settings.dir : null },
    };
    sites.set(site.id, site);
    return { status: 201, body: siteJson(site) };
  }

  function publish(site, d) {
    const at = now();
    site.publishedId = d.id;
    site.updated_at = at;
    d.published_at = at;
    d.updated_at = at;
  }

  function scheduleBuild(d, b, files) {
    const job = (async () => {
      if (state.buildDelayMs > 0) await sleep(state.buildDelayMs);
      if (d.state === 'new') {
        d.state = 'enqueued';
        d.updated_at = now();
      }
      await queue.run(() => runBuild(d, b, files));
    })().catch((error) => fail(d, b, `The stand-in failed to build: ${error.message}`));
    pending.add(job);
    job.finally(() => pending.delete(job));
  }

  function fail(d, b, message) {
    d.state = 'error';
    d.error_message = message;
    d.updated_at = now();
    b.done = true;
    b.error = message;
  }

  async function runBuild(d, b, files) {
    if (state.closed) return;
    const site = sites.get(d.site_id);
    d.state = 'building';
    d.updated_at = now();
    const toml = files.find((f) => f.path === 'netlify.toml');
    const config = toml ? parseNetlifyToml(toml.bytes.toString('utf8')) : { environment: {} };
    const command = config.command ?? site?.build_settings.cmd ?? 'npm run build';
    const publishDir = (config.publish ?? site?.build_settings.dir ?? 'dist').replace(/^\.\//, '').replace(/\/+$/, '') || '.';
    const name = site?.name ?? d.name;
    const system = {
      NETLIFY: 'true',
      CI: 'true',
      CONTEXT: d.context,
      BRANCH: d.branch,
      HEAD: d.branch,
      URL: `https://${name}.netlify.app`,
      DEPLOY_URL: `https://${d.id}--${name}.netlify.app`,
      DEPLOY_PRIME_URL: `https://${d.id}--${name}.netlify.app`,
      SITE_NAME: name,
      SITE_ID: d.site_id,
      DEPLOY_ID: d.id,
      BUILD_ID: b.id,
    };
    const result = await buildSource({
      files,
      parent: root,
      env: buildEnv({ ...buildVars(d), ...config.environment }, system),
      buildCommand: command || null,
      outputDirectory: publishDir,
      timeoutMs: state.buildTimeoutMs,
    });
    d.build = result;
    if (state.closed) return;
    if (!result.ok) {
      const f = result.failure;
      let message;
      if (f.missingOutput) message = `Deploy did not succeed: Deploy directory '${publishDir}' does not exist`;
      else if (f.timedOut) message = `Failed during stage '${f.step === 'install' ? 'Install dependencies' : 'building site'}': Build exceeded maximum allowed runtime`;
      else if (f.step === 'install') message = `Failed during stage 'Install dependencies': dependency_installation script returned non-zero exit code: ${f.code}`;
      else message = `Failed during stage 'building site': Build script returned non-zero exit code: ${f.code}`;
      return fail(d, b, f.line ? `${message}: ${f.line}` : message);
    }
    d.state = 'ready';
    d.updated_at = now();
    b.done = true;
    if (d.context === 'production' && site) publish(site, d);
  }

  function startBuild(res, site, url, req, body) {
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    let zipBytes = null;
    if (type.startsWith('multipart/form-data')) zipBytes = multipartField(body, req.headers['content-type'], 'zip');
    else if (/^application\/(zip|x-zip-compressed|octet-stream)/.test(type)) zipBytes = body;
    if (!zipBytes || zipBytes.length === 0) {
      return sendJson(res, 422, { code: 422, message: 'No zip file was uploaded (send it as an application/zip body or the `zip` field of multipart/form-data), and the site has no linked repository' });
    }
    let files;
    try {
      files = readZip(zipBytes);
    } catch (error) {
      return sendJson(res, 400, { code: 400, message: `Invalid zip: ${error.message}` });
    }
    // The spec: no branch, or the main branch, is production; another branch is a branch deploy.
    const main = site.build_settings.repo_branch ?? 'main';
    const branch = url.searchParams.get('branch') || main;
    const at = now();
    const d = {
      id: hexId(),
      site_id: site.id,
      name: site.name,
      build_id: null,
      state: 'new',
      branch,
      context: branch === main ? 'production' : 'branch-deploy',
      title: url.searchParams.get('title'),
      created_at: at,
      updated_at: at,
      published_at: null,
      error_message: null,
    };
    const b = { id: hexId(), deploy_id: d.id, done: false, error: null, created_at: at };
    d.build_id = b.id;
    deploys.set(d.id, d);
    builds.set(b.id, b);
    scheduleBuild(d, b, files);
    return sendJson(res, 200, buildJson(b));
  }

  /** Newest first, one page, with a Link header when there is more. */
  function sendPage(res, url, list) {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 100) || 100));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const headers = {};
    if (page < last) {
      const link = (n) => {
        const next = new URL(url);
        next.searchParams.set('page', String(n));
        next.searchParams.set('per_page', String(perPage));
        return `<https://api.netlify.com${next.pathname}${next.search}>`;
      };
      headers.link = `${link(page + 1)}; rel="next", ${link(last)}; rel="last"`;
    }
    return sendJson(res, 200, list.slice((page - 1) * perPage, page * perPage), headers);
  }

  function targetOf(method, path) {
    if (path === '/user') return 'user';
    if (path === '/accounts') return 'accounts';
    if (/^\/accounts\/[^/]+\/env(\/.*)?$/.test(path) || /^\/sites\/[^/]+\/env$/.test(path)) return 'env';
    if (/^\/sites\/[^/]+\/builds$/.test(path)) return method === 'POST' ? 'builds' : 'deploys';
    if (/^\/builds\/[^/]+$/.test(path)) return 'build';
    if (/^\/sites\/[^/]+\/deploys\/[^/]+\/restore$/.test(path)) return 'restore';
    if (/^\/sites\/[^/]+\/rollback$/.test(path)) return 'rollback';
    if (/^\/sites\/[^/]+\/deploys$/.test(path)) return 'deploys';
    if (/^\/(sites\/[^/]+\/)?deploys\/[^/]+$/.test(path)) return 'deploy';
    if (/^\/sites(\/[^/]+)?$/.test(path) || /^\/[^/]+\/sites$/.test(path)) return 'sites';
    return null;
  }

  const error = (res, status, message) => sendJson(res, status, { code: status, message });

  function sendInjected(rule, res) {
    if (['drop', 'cut', 'redirect'].includes(rule.kind)) return applyFailure(rule, res);
    const status = rule.kind === undefined ? 429 : Number(rule.kind);
    const headers = rule.retryAfter !== undefined ? { 'retry-after': String(rule.retryAfter) } : {};
    if (status === 429) {
      Object.assign(headers, {
        'x-ratelimit-limit': '500',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + Number(rule.retryAfter ?? 60)),
      });
      return sendJson(res, 429, { code: 429, message: 'Rate limit exceeded' }, headers);
    }
    return sendJson(res, status, { code: status, message: 'Injected failure' }, headers);
  }

  function serveDeploy(req, res, d, path) {
    if (!d || d.state !== 'ready' || !d.build?.output) {
      const body = Buffer.from(d ? `Not Found: deploy ${d.id} is ${d.state}\n` : 'Not Found\n');
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
      return res.end(body);
    }
    return serveBuilt(req, res, d.build.output, path);
  }

  function serveSite(req, res, url) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let match = /^\/__site\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (match) {
      serveDeploy(req, res, deploys.get(match[1]), match[2] ?? '/');
      return true;
    }
    match = /^\/__production\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (match) {
      const site = findSite(match[1]);
      serveDeploy(req, res, site?.publishedId ? deploys.get(site.publishedId) : null, match[2] ?? '/');
      return true;
    }
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (host.endsWith('.netlify.app') && !url.pathname.startsWith(PREFIX)) {
      const label = host.slice(0, -'.netlify.app'.length);
      const at = label.indexOf('--');
      if (at > 0) {
        const d = deploys.get(label.slice(0, at));
        serveDeploy(req, res, d && sites.get(d.site_id)?.name === label.slice(at + 2) ? d : null, url.pathname);
        return true;
      }
      const site = findSite(label);
      if (site) {
        serveDeploy(req, res, site.publishedId ? deploys.get(site.publishedId) : null, url.pathname);
        return true;
      }
    }
    return false;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    if (url.pathname === '/__stats') return sendJson(res, 200, stats());
    if (url.pathname === '/__reset' && req.method === 'POST') {
      api.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (serveSite(req, res, url)) return;
    const path = url.pathname.startsWith(`${PREFIX}/`) ? url.pathname.slice(PREFIX.length) : null;
    const entry = { method: req.method, host: req.headers.host, path: url.pathname + url.search, target: path ? targetOf(req.method, path) : null, status: null, auth: null, bytesIn: 0 };
    log.push(entry);
    res.on('finish', () => {
      if (entry.status === null) entry.status = res.statusCode;
    });
    res.on('close', () => {
      if (entry.status === null) entry.status = res.writableFinished ? res.statusCode : 'dropped';
    });
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    if (req.method === 'OPTIONS') return error(res, 405, 'Method Not Allowed');
    let body;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e.tooLarge) return error(res, 413, 'Request Entity Too Large');
      throw e;
    }
    entry.bytesIn = body.length;
    if (path === null) return error(res, 404, 'Not Found');
    const given = bearerOf(req);
    entry.auth = given === null ? 'missing' : given === token ? 'ok' : 'wrong';
    if (entry.auth !== 'ok') return error(res, 401, 'Access Denied: Origin returned bad status 401');
    if (entry.target) {
      const rule = failures.take(entry.target);
      if (rule?.kind === 'lost') {
        // Carried out, answer lost: the request is served, then the connection drops.
        entry.injected = true;
        entry.status = 'lost';
        return route(req, lostAnswer(res), url, path, body, entry);
      }
      if (rule) {
        entry.injected = true;
        entry.status = { drop: 'dropped', cut: 'cut', redirect: 302 }[rule.kind] ?? Number(rule.kind ?? 429);
        return sendInjected(rule, res);
      }
    }
    return route(req, res, url, path, body, entry);
  }

  function json(body) {
    try {
      return { value: JSON.parse(body.toString('utf8') || 'null') };
    } catch {
      return { bad: true };
    }
  }

  function route(req, res, url, path, body, entry) {
    const method = req.method;
    let match;
    if (path === '/user' && method === 'GET') {
      return sendJson(res, 200, { ...user, uid: null, avatar_url: null, affiliate_id: '', site_count: sites.size, created_at: created, last_login: iso(Date.now()), login_providers: ['email'], onboarding_progress: {} });
    }
    if (path === '/accounts' && method === 'GET') return sendJson(res, 200, [membership()]);

    // Sites.
    if (path === '/sites' && method === 'GET') {
      const name = url.searchParams.get('name');
      const list = [...sites.values()].filter((s) => !name || s.name.includes(name)).sort((a, b) => b.created_at - a.created_at).map(siteJson);
      return sendPage(res, url, list);
    }
    if ((match = /^\/([^/]+)\/sites$/.exec(path)) && match[1] !== 'sites') {
      if (!isAccount(decodeURIComponent(match[1]))) return error(res, 404, 'Not Found');
      if (method === 'GET') {
        const name = url.searchParams.get('name');
        return sendPage(res, url, [...sites.values()].filter((s) => !name || s.name.includes(name)).sort((a, b) => b.created_at - a.created_at).map(siteJson));
      }
    }
    if ((path === '/sites' || (match && match[1] !== 'sites')) && method === 'POST') {
      const { value, bad } = json(body);
      if (bad || (value !== null && typeof value !== 'object')) return error(res, 400, 'Invalid JSON body');
      const outcome = createSite(value ?? {});
      return sendJson(res, outcome.status, outcome.body);
    }
    if ((match = /^\/sites\/([^/]+)$/.exec(path))) {
      const site = findSite(match[1]);
      if (!site) return error(res, 404, 'Not Found');
      if (method === 'GET') return sendJson(res, 200, siteJson(site));
      if (method === 'DELETE') {
        sites.delete(site.id);
        return sendBytesEmpty(res, 204);
      }
      return error(res, 405, 'Method Not Allowed');
    }

    // Environment variables.
    if ((match = /^\/sites\/([^/]+)\/env$/.exec(path)) && method === 'GET') {
      const site = findSite(match[1]);
      if (!site) return error(res, 404, 'Not Found');
      return sendJson(res, 200, [...envOf(site.id).values()].map((v) => envJson(v)));
    }
    if ((match = /^\/accounts\/([^/]+)\/env(?:\/([^/]+))?(?:\/value\/([^/]+))?$/.exec(path))) {
      if (!isAccount(decodeURIComponent(match[1]))) return error(res, 404, 'Not Found');
      const siteRef = url.searchParams.get('site_id');
      const site = siteRef ? findSite(siteRef) : null;
      if (siteRef && !site) return error(res, 404, 'Not Found');
      const vars = envOf(site?.id ?? null);
      const key = match[2] ? decodeURIComponent(match[2]) : null;
      if (!key) {
        if (method === 'GET') {
          const context = url.searchParams.get('context_name');
          const scope = url.searchParams.get('scope');
          const list = [...vars.values()]
            .filter((v) => !scope || v.scopes.includes(scope))
            .map((v) => envJson(v))
            .map((v) => (context ? { ...v, values: v.values.filter((x) => x.context === context || x.context === 'all') } : v))
            .filter((v) => !context || v.values.length);
          return sendJson(res, 200, list);
        }
        if (method !== 'POST') return error(res, 405, 'Method Not Allowed');
        const { value, bad } = json(body);
        if (bad || !Array.isArray(value)) return error(res, 400, 'The body must be a JSON array of environment variables');
        const checked = [];
        for (const input of value) {
          const { variable, error: problem } = variableFrom(input);
          if (problem) return error(res, 400, problem);
          checked.push(variable);
        }
        const taken = checked.filter((v) => vars.has(v.key)).map((v) => v.key);
        if (taken.length) return error(res, 400, `Environment variable(s) already exist: ${taken.join(', ')}`);
        for (const v of checked) vars.set(v.key, v);
        return sendJson(res, 201, checked.map((v) => envJson(v)));
      }
      const existing = vars.get(key);
      if (match[3]) {
        if (method !== 'DELETE') return error(res, 405, 'Method Not Allowed');
        const before = existing?.values.length ?? 0;
        if (!existing) return error(res, 404, 'Not Found');
        existing.values = existing.values.filter((x) => x.id !== decodeURIComponent(match[3]));
        if (existing.values.length === before) return error(res, 404, 'Not Found');
        existing.updated_at = now();
        return sendBytesEmpty(res, 204);
      }
      if (method === 'GET') return existing ? sendJson(res, 200, envJson(existing)) : error(res, 404, 'Not Found');
      if (method === 'DELETE') {
        if (!existing) return error(res, 404, 'Not Found');
        vars.delete(key);
        return sendBytesEmpty(res, 204);
      }
      if (!existing) return error(res, 404, 'Not Found');
      const { value, bad } = json(body);
      if (bad || !value || typeof value !== 'object') return error(res, 400, 'Invalid JSON body');
      if (method === 'PUT') {
        const { variable, error: problem } = variableFrom({ ...value, is_secret: value.is_secret ?? existing.is_secret }, { keyFallback: key });
        if (problem) return error(res, 400, problem);
        if (variable.key !== key) {
          if (vars.has(variable.key)) return error(res, 400, `Environment variable(s) already exist: ${variable.key}`);
          vars.delete(key);
        }
        vars.set(variable.key, variable);
        return sendJson(res, 200, envJson(variable));
      }
      if (method === 'PATCH') {
        const context = value.context ?? 'all';
        if (!CONTEXTS.includes(context) || typeof value.value !== 'string') return error(res, 400, 'PATCH needs {context, value}');
        const same = (x) => x.context === context && (x.context_parameter ?? null) === (value.context_parameter ?? null);
        const old = existing.values.find(same);
        existing.values = existing.values.filter((x) => !same(x));
        existing.values.push({ id: old?.id ?? randomUUID(), value: value.value, context, context_parameter: value.context_parameter });
        existing.updated_at = now();
        return sendJson(res, 201, envJson(existing));
      }
      return error(res, 405, 'Method Not Allowed');
    }

    // Builds and deploys.
    if ((match = /^\/sites\/([^/]+)\/builds$/.exec(path))) {
      const site = findSite(match[1]);
      if (!site) return error(res, 404, 'Not Found');
      if (method === 'POST') return startBuild(res, site, url, req, body);
      if (method === 'GET') {
        const list = [...builds.values()]
          .filter((b) => deploys.get(b.deploy_id)?.site_id === site.id)
          .sort((a, b) => b.created_at - a.created_at)
          .map(buildJson);
        return sendPage(res, url, list);
      }
      return error(res, 405, 'Method Not Allowed');
    }
    if ((match = /^\/builds\/([^/]+)$/.exec(path)) && method === 'GET') {
      const b = builds.get(match[1]);
      return b ? sendJson(res, 200, buildJson(b)) : error(res, 404, 'Not Found');
    }
    if ((match = /^\/sites\/([^/]+)\/deploys$/.exec(path)) && method === 'GET') {
      const site = findSite(match[1]);
      if (!site) return error(res, 404, 'Not Found');
      const q = url.searchParams;
      let list = [...deploys.values()].filter((d) => d.site_id === site.id);
      if (q.get('state')) list = list.filter((d) => d.state === q.get('state'));
      if (q.get('production') === 'true') list = list.filter((d) => d.context === 'production');
      if (q.get('branch')) list = list.filter((d) => d.branch === q.get('branch'));
      list.sort((a, b) => b.created_at - a.created_at);
      return sendPage(res, url, list.map(deployJson));
    }
    if ((match = /^\/sites\/([^/]+)\/deploys\/([^/]+)$/.exec(path)) && method === 'GET') {
      const site = findSite(match[1]);
      const d = deploys.get(match[2]);
      return site && d && d.site_id === site.id ? sendJson(res, 200, deployJson(d)) : error(res, 404, 'Not Found');
    }
    if ((match = /^\/deploys\/([^/]+)$/.exec(path)) && method === 'GET') {
      const d = deploys.get(match[1]);
      return d ? sendJson(res, 200, deployJson(d)) : error(res, 404, 'Not Found');
    }
    if ((match = /^\/sites\/([^/]+)\/deploys\/([^/]+)\/restore$/.exec(path)) && method === 'POST') {
      const site = findSite(match[1]);
      const d = deploys.get(match[2]);
      if (!site || !d || d.site_id !== site.id) return error(res, 404, 'Not Found');
      if (d.state !== 'ready') return error(res, 422, `Deploy ${d.id} is not ready (state: ${d.state}) and cannot be published`);
      publish(site, d);
      return sendJson(res, 201, deployJson(d));
    }
    if ((match = /^\/sites\/([^/]+)\/rollback$/.exec(path)) && method === 'PUT') {
      const site = findSite(match[1]);
      if (!site) return error(res, 404, 'Not Found');
      const current = site.publishedId ? deploys.get(site.publishedId) : null;
      const previous = [...deploys.values()]
        .filter((d) => d.site_id === site.id && d.state === 'ready' && d.context === 'production' && d.id !== current?.id && (!current || d.created_at < current.created_at))
        .sort((a, b) => b.created_at - a.created_at)[0];
      if (!previous) return error(res, 422, 'There is no previous deploy to roll back to');
      publish(site, previous);
      return sendBytesEmpty(res, 204);
    }
    entry.target = entry.target ?? 'unknown';
    return error(res, 404, 'Not Found');
  }

  function sendBytesEmpty(res, status) {
    res.writeHead(status, { 'cache-control': 'no-store' });
    res.end();
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
      requests: log.map((e) => ({ ...e })),
    };
  }

  const siteOrThrow = (ref) => {
    const site = findSite(ref);
    if (!site) throw new Error(`no site ${ref}`);
    return site;
  };

  const api = {
    token,
    account,
    root,
    handle: (req, res) => {
      handle(req, res).catch((e) => {
        if (!res.headersSent) sendJson(res, 500, { code: 500, message: `stand-in error: ${e.message}` });
        else res.destroy();
      });
    },
    inject(...rules) {
      failures.add(...rules);
    },
    pendingFailures: () => failures.pending,
    stats,
    reset() {
      log = [];
      failures.clear();
    },
    setBuildDelay(ms) {
      state.buildDelayMs = ms;
    },
    setLatency(ms) {
      state.latencyMs = ms;
    },
    /** Sets the site's production branch (build_settings.repo_branch, as a linked repository's). */
    setProductionBranch(ref, branch) {
      findSite(ref).build_settings.repo_branch = branch;
    },
    site(ref) {
      const site = findSite(ref);
      return site ? siteJson(site) : null;
    },
    /** The id of the site's published deploy, or null. */
    published(ref) {
      return findSite(ref)?.publishedId ?? null;
    },
    /** The site's deploys (as the API answers them), newest first. */
    deploys(ref) {
      const site = siteOrThrow(ref);
      return [...deploys.values()].filter((d) => d.site_id === site.id).sort((a, b) => b.created_at - a.created_at).map(deployJson);
    },
    deploy(id) {
      const d = deploys.get(id);
      return d ? deployJson(d) : null;
    },
    buildLog(deployId) {
      return (deploys.get(deployId)?.build?.log ?? []).map((line) => ({ ...line }));
    },
    /** The site's variables with values and when they were set: [{key, scopes, values, is_secret, setAt}]. */
    env(ref) {
      const site = siteOrThrow(ref);
      return [...envOf(site.id).values()].map((v) => ({ ...envJson(v, { reveal: true }), setAt: v.updated_at }));
    },
    /** The account-level variables, likewise. */
    accountEnv() {
      return [...envOf(null).values()].map((v) => ({ ...envJson(v, { reveal: true }), setAt: v.updated_at }));
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async close() {
      state.closed = true;
      await api.idle();
      for (const d of deploys.values()) removeBuild(d.build?.dir);
      if (!options.root) rmSync(root, { recursive: true, force: true });
    },
  };
  return api;
}

/**
 * createNetlify(options) listening on port (0: any) over HTTP, or HTTPS with tls (true: a
 * throw-away certificate for names). Resolves {origin, port, server, api, handle, close}; the
 * API is at `${origin}/api/v1`.
 */
export async function startNetlify({ port = 0, host = '127.0.0.1', tls = false, names, ...options } = {}) {
  return serveStandIn(createNetlify(options), { port, host, tls, names: names ?? ['api.netlify.com', 'netlify.app', '*.netlify.app', 'localhost'] });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runStandalone(startNetlify, { port: 8791, token: DEFAULT_TOKEN, describe: (nf) => ({ origin: nf.origin, api: `${nf.origin}${PREFIX}`, token: nf.api.token, account: nf.api.account.id }) });
}
