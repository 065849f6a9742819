// A local stand-in for one Supabase project, as the app and the Edge Functions Liftoff exports
// from Base44 meet it (no real Supabase runs here: GoTrue, PostgREST and the functions gateway
// are Supabase's own services). It follows their published contracts:
//   - The API gateway (Kong): every /auth/v1 and /rest/v1 request carries `apikey` (the anon or
//     service role key), else 401 `{"message": "No API key found in request"}`.
//   - Supabase Auth (GoTrue, https://github.com/supabase/auth README "Endpoints"):
//     `POST /auth/v1/token?grant_type=password` {email, password} → a session (access_token,
//     token_type bearer, expires_in, expires_at, refresh_token, user), or 400 `{code: 400,
//     error_code: "invalid_credentials", msg}`; `GET /auth/v1/user` with the user's access token
//     → the user, or 401 `{code: 401, error_code: "bad_jwt", msg}` for an unknown token and 403
//     `{error_code: "bad_jwt", msg: "invalid claim: missing sub claim"}` for the anon or service
//     role key (JWTs without a user).
//   - PostgREST (https://postgrest.org/en/stable/references/api/tables_views.html) on in-memory
//     tables, the subset the off-ramp sends: GET with `select` (`*` or a column list),
//     `col=eq.v`, `col=in.(a,b)`, `col=is.null`, `order=col.desc|asc,…`, `limit`, `offset`, the
//     single-object Accept header (406 PGRST116 unless one row); POST of an object or an array,
//     201, the rows back with `Prefer: return=representation`; an unknown operator → 400
//     PGRST100, an unknown table → 404 PGRST205. Row-level security as the migration Liftoff
//     writes for Base44 entities has it: the role `authenticated` reads and writes only rows whose
//     `created_by` is its email (which the column defaults to), `service_role` bypasses it, `anon`
//     reads nothing.
//   - The functions gateway (https://supabase.com/docs/guides/functions/auth): `/functions/v1/
//     <slug>` with `verify_jwt` on (the default) needs a valid JWT in Authorization (the anon
//     key, the service role key or a user's token), else 401 `{code: 401, message: "Invalid
//     JWT"}`; unknown slugs 404 `{code: "NOT_FOUND", message: "Requested function was not
//     found"}`; the request goes to the function as it came (method, headers, body) and its
//     answer back; CORS preflights (OPTIONS) reach the function too.
// Tokens are JWT-shaped (header.payload.signature, base64url) because supabase-js reads their
// claims; the stand-in trusts only tokens it issued or its own keys, so a forged JWT is refused.
//
// Every request is logged: method, path, the caller (`user:<email>`, `service_role`, `anon`,
// `unknown`, `none`; never a token) and, for the gateway, the function's status; `saw(text)`
// answers whether any request's headers carried text.
import { randomUUID } from 'node:crypto';

import { listen, sendJson } from './http.mjs';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT-shaped token with these claims (its signature is not checked: tokens are looked up). */
export const jwt = (claims) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${randomUUID().replaceAll('-', '')}`;

/** Reads a request's body as bytes. */
function bodyOf(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A PostgREST filter value: `eq.x`, `in.(a,b)`, `is.null`; null for another operator. */
function condition(value) {
  const [op, ...rest] = value.split('.');
  const arg = rest.join('.');
  if (op === 'eq') return (v) => v !== null && v !== undefined && String(v) === arg;
  if (op === 'neq') return (v) => v !== null && v !== undefined && String(v) !== arg;
  if (op === 'in' && /^\(.*\)$/.test(arg)) {
    const set = new Set(arg.slice(1, -1).split(',').map((s) => s.replace(/^"(.*)"$/, '$1')));
    return (v) => v !== null && v !== undefined && set.has(String(v));
  }
  if (op === 'is' && arg === 'null') return (v) => v === null || v === undefined;
  return null;
}

/**
 * Starts the project. users: [{id, email, password, user_metadata}]; tables: {name: [rows]}
 * (rows are kept and changed in place). Resolves {origin, anonKey, serviceRoleKey, log,
 * tables, route(slug, origin), close()}.
 */
export async function startSupabaseProject({ users = [], tables = {} } = {}) {
  const anonKey = jwt({ role: 'anon', iss: 'supabase' });
  const serviceRoleKey = jwt({ role: 'service_role', iss: 'supabase' });
  const sessions = new Map(); // access token -> user
  const functions = new Map(); // slug -> origin
  const log = [];
  const heard = []; // every request's raw headers, for saw(); kept out of the log

  const callerOf = (token) => {
    if (!token) return { name: 'none' };
    if (token === anonKey) return { name: 'anon', role: 'anon' };
    if (token === serviceRoleKey) return { name: 'service_role', role: 'service_role' };
    const user = sessions.get(token);
    return user ? { name: `user:${user.email}`, role: 'authenticated', user } : { name: 'unknown' };
  };
  const publicUser = (user) => ({
    id: user.id, aud: 'authenticated', role: 'authenticated', email: user.email,
    email_confirmed_at: '2025-01-01T00:00:00Z', app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: user.user_metadata ?? {}, identities: [], created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z', is_anonymous: false,
  });

  async function auth(req, res, url, caller) {
    if (req.method === 'POST' && url.pathname === '/auth/v1/token' && url.searchParams.get('grant_type') === 'password') {
      const { email, password } = JSON.parse((await bodyOf(req)).toString('utf8') || '{}');
      const user = users.find((u) => u.email === email && u.password === password);
      if (!user) return sendJson(res, 400, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
      const expiresAt = Math.floor(Date.now() / 1000) + 3600;
      const accessToken = jwt({ sub: user.id, email: user.email, role: 'authenticated', aud: 'authenticated', exp: expiresAt });
      sessions.set(accessToken, user);
      return sendJson(res, 200, {
        access_token: accessToken, token_type: 'bearer', expires_in: 3600, expires_at: expiresAt,
        refresh_token: randomUUID(), user: publicUser(user),
      });
    }
    if (req.method === 'GET' && url.pathname === '/auth/v1/user') {
      if (caller.user) return sendJson(res, 200, publicUser(caller.user));
      if (caller.role) return sendJson(res, 403, { code: 403, error_code: 'bad_jwt', msg: 'invalid claim: missing sub claim' });
      return sendJson(res, 401, { code: 401, error_code: 'bad_jwt', msg: 'invalid JWT: unable to parse or verify signature, token is malformed' });
    }
    return sendJson(res, 404, { code: 404, error_code: 'not_found', msg: 'Not found' });
  }

  async function rest(req, res, url, caller) {
    if (!caller.role) return sendJson(res, 401, { code: 'PGRST301', message: 'JWSError JWSInvalidSignature', details: null, hint: null });
    const name = decodeURIComponent(url.pathname.slice('/rest/v1/'.length));
    const table = tables[name];
    if (!table) return sendJson(res, 404, { code: 'PGRST205', message: `Could not find the table 'public.${name}' in the schema cache`, details: null, hint: null });
    const visible = (row) => caller.role === 'service_role' || (caller.role === 'authenticated' && row.created_by === caller.user.email);
    if (req.method === 'GET') {
      let rows = table.filter(visible);
      for (const [key, value] of url.searchParams) {
        if (['select', 'order', 'limit', 'offset'].includes(key)) continue;
        const test = condition(value);
        if (!test) return sendJson(res, 400, { code: 'PGRST100', message: `"failed to parse filter (${value})"`, details: null, hint: null });
        rows = rows.filter((row) => test(row[key]));
      }
      const order = url.searchParams.get('order');
      if (order) {
        const keys = order.split(',').map((part) => part.split('.'));
        rows = [...rows].sort((a, b) => {
          for (const [col, dir] of keys) {
            const cmp = String(a[col] ?? '').localeCompare(String(b[col] ?? ''));
            if (cmp) return dir === 'desc' ? -cmp : cmp;
          }
          return 0;
        });
      }
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : Infinity;
      rows = rows.slice(offset, offset + limit);
      const select = url.searchParams.get('select') ?? '*';
      if (select !== '*') {
        const cols = select.split(',');
        rows = rows.map((row) => Object.fromEntries(cols.map((c) => [c, row[c] ?? null])));
      }
      if ((req.headers.accept ?? '').includes('application/vnd.pgrst.object+json')) {
        if (rows.length !== 1) return sendJson(res, 406, { code: 'PGRST116', message: 'JSON object requested, multiple (or no) rows returned', details: `The result contains ${rows.length} rows`, hint: null });
        return sendJson(res, 200, rows[0]);
      }
      return sendJson(res, 200, rows);
    }
    if (req.method === 'POST') {
      const body = JSON.parse((await bodyOf(req)).toString('utf8'));
      const now = new Date().toISOString();
      const made = [].concat(body).map((row) => ({
        id: randomUUID(), created_date: now, updated_date: now,
        created_by: caller.role === 'authenticated' ? caller.user.email : null, ...row,
      }));
      if (!made.every((row) => caller.role === 'service_role' || (caller.role === 'authenticated' && row.created_by === caller.user.email))) {
        return sendJson(res, 403, { code: '42501', message: `new row violates row-level security policy for table "${name}"`, details: null, hint: null });
      }
      table.push(...made);
      if ((req.headers.prefer ?? '').includes('return=representation')) return sendJson(res, 201, made);
      res.writeHead(201);
      return res.end();
    }
    return sendJson(res, 405, { code: 'PGRST117', message: `Unsupported HTTP method: ${req.method}`, details: null, hint: null });
  }

  async function gateway(req, res, url, caller, entry) {
    const slug = url.pathname.slice('/functions/v1/'.length).split('/')[0];
    const target = functions.get(slug);
    if (!target) return sendJson(res, 404, { code: 'NOT_FOUND', message: 'Requested function was not found' });
    if (req.method !== 'OPTIONS' && !caller.role) return sendJson(res, 401, { code: 401, message: 'Invalid JWT' });
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    delete headers['content-length'];
    const body = ['GET', 'HEAD'].includes(req.method) ? undefined : await bodyOf(req);
    const answer = await fetch(`${target}${url.pathname}${url.search}`, { method: req.method, headers, body });
    const bytes = Buffer.from(await answer.arrayBuffer());
    entry.function = answer.status;
    const out = Object.fromEntries([...answer.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)));
    res.writeHead(answer.status, { ...out, 'content-length': bytes.length });
    return res.end(bytes);
  }

  const handle = async (req, res) => {
    const url = new URL(req.url, 'http://project.local');
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const caller = callerOf(token);
    const entry = { method: req.method, path: url.pathname, query: url.search, caller: caller.name };
    log.push(entry);
    heard.push(JSON.stringify(req.headers));
    try {
      if (url.pathname.startsWith('/functions/v1/')) return await gateway(req, res, url, caller, entry);
      const apikey = req.headers.apikey;
      if (apikey !== anonKey && apikey !== serviceRoleKey) return sendJson(res, 401, { message: 'No API key found in request' });
      if (url.pathname.startsWith('/auth/v1/')) return await auth(req, res, url, caller);
      if (url.pathname.startsWith('/rest/v1/')) return await rest(req, res, url, caller);
      return sendJson(res, 404, { message: 'no Route matched with those values' });
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { message: String(error?.message ?? error) });
      else res.destroy();
    }
  };

  const server = await listen(handle);
  return {
    origin: server.origin,
    anonKey,
    serviceRoleKey,
    log,
    tables,
    /** Sends /functions/v1/<slug> to a function served at origin (tests/servers/deno.mjs). */
    route: (slug, origin) => functions.set(slug, origin),
    /** Whether any request's headers carried text (a key that must never reach the project). */
    saw: (text) => heard.some((headers) => headers.includes(text)),
    close: () => server.close(),
  };
}

/**
 * An OpenAI-compatible provider (https://platform.openai.com/docs/api-reference/chat/create):
 * `POST /v1/chat/completions` with `Authorization: Bearer <key>`, else 401 `{error: {message,
 * type: "invalid_request_error", code: "invalid_api_key"}}`. It answers `{id, object:
 * "chat.completion", model, choices: [{index, message: {role: "assistant", content},
 * finish_reason: "stop"}], usage}` whose content is the next of `answers` (a string, or an
 * object sent as JSON text, as a model answers a json_schema response_format). Every request is
 * kept: {path, authorized (whether the key was the right one), body}.
 */
export async function startLlmProvider({ apiKey }) {
  const requests = [];
  const answers = [];
  const server = await listen(async (req, res) => {
    const body = (await bodyOf(req)).toString('utf8');
    const entry = { method: req.method, path: req.url, authorized: req.headers.authorization === `Bearer ${apiKey}`, headers: req.headers, body: body ? JSON.parse(body) : null };
    requests.push(entry);
    if (!entry.authorized) return sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendJson(res, 404, { error: { message: `Unknown request URL: ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    const next = answers.shift() ?? '';
    return sendJson(res, 200, {
      id: `chatcmpl-${randomUUID()}`, object: 'chat.completion', created: 1764806400, model: entry.body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: typeof next === 'string' ? next : JSON.stringify(next) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  });
  return { origin: server.origin, requests, answers, close: () => server.close() };
}
