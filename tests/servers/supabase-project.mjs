// A local stand-in for one Supabase project, as the app and the Edge Functions Liftoff exports
// from Base44 meet it (no real Supabase runs here: GoTrue, PostgREST and the functions gateway
// are Supabase's own services). It follows their published contracts:
//   - The API gateway (Kong): every /auth/v1 and /rest/v1 request carries `apikey` (the anon or
//     service role key), else 401 `{"message": "No API key found in request"}`.
//   - Supabase Auth (GoTrue, https://github.com/supabase/auth README "Endpoints"), with email
//     confirmation on (a hosted project's default): `POST /auth/v1/token?grant_type=password`
//     {email, password} → a session (access_token, token_type bearer, expires_in, expires_at,
//     refresh_token, user), 400 `{code, error_code: "invalid_credentials" | "email_not_confirmed",
//     msg}`; `POST /signup` {email, password, data} → the user without a session, the code
//     emailed (an address already confirmed answers a made-up user with `identities: []`);
//     `POST /verify` {email, token, type: email | signup} or {token_hash, type: recovery} → a
//     session, else 403 `otp_expired`; `POST /resend`, `POST /recover` (?redirect_to=) → 200 `{}`
//     whether or not the address exists; `GET`/`PUT /user` ({password}, {data}; 422
//     `weak_password`, `same_password`); `POST /logout` → 204. The user's token gets 401
//     `bad_jwt` when unknown; the anon or service role key 403 `bad_jwt` "missing sub claim".
//     What it emails is kept in `mailbox` (Supabase's local development shows it in Mailpit).
//   - PostgREST (https://postgrest.org/en/stable/references/api/tables_views.html) on a real
//     PostgreSQL (tests/servers/postgres.mjs) holding the app's own migrations: each request runs
//     as the caller's role (`anon`, `authenticated` with the user's claims in
//     `request.jwt.claims`, `service_role`), so the migrations' grants and row-level security
//     policies decide, as on Supabase. The subset the off-ramp sends: GET with `select` (`*` or a
//     column list), `col=eq.v`, `neq`, `in.(a,b)`, `is.null`, `order=col.desc|asc,…`, `limit`,
//     `offset`, the single-object Accept header (406 PGRST116 unless one row); POST of an object
//     or an array (the payload's keys inserted, the rest left to their defaults), 201, the rows
//     back with `Prefer: return=representation`; another operator → 400 PGRST100; PostgreSQL's
//     errors as PostgREST answers them (42501 → 403, 23505 → 409, …, `{code, message}`).
//   - Supabase Storage (storage-api): `POST /storage/v1/object/<bucket>/<path>` (multipart as
//     storage-js sends a Blob, or raw bytes), the object's row inserted into storage.objects as
//     the caller (the migration's policies decide), the bucket's file_size_limit; `GET
//     /storage/v1/object/public/<bucket>/<path>` for public buckets; `POST /object/sign/...`
//     {expiresIn} → {signedURL} when the caller may read the row, and the signed GET. Refusals
//     are HTTP 400 with the status as a string in `statusCode`, as storage-api answers (seen
//     in 2026: supabase/supabase#47137, `{"statusCode":"403",…}` with HTTP 400). The object
//     row is inserted `returning` it, the stricter of storage-api's behaviours (see storage()).
//   - The functions gateway (https://supabase.com/docs/guides/functions/auth): `/functions/v1/
//     <slug>` with `verify_jwt` on (the default) needs a valid JWT in Authorization (the anon
//     key, the service role key or a user's token): none answers 401 `{code: 401, message:
//     "Missing authorization header"}` (supabase/supabase#38314), a bad one 401 `{code: 401,
//     message: "Invalid JWT"}`; unknown slugs 404 `{code: "NOT_FOUND", message: "Requested function was not
//     found"}`; the request goes to the function as it came (method, headers, body) and its
//     answer back; CORS preflights (OPTIONS) reach the function too.
// Tokens are JWT-shaped (header.payload.signature, base64url) because supabase-js reads their
// claims; the stand-in trusts only tokens it issued or its own keys, so a forged JWT is refused.
//
// Every request is logged: method, path, the caller (`user:<email>`, `service_role`, `anon`,
// `unknown`, `none`; never a token) and, for the gateway, the function's status; `saw(text)`
// answers whether any request's headers carried text.
import { randomUUID } from 'node:crypto';

import { listen, readBody, sendJson } from './http.mjs';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT-shaped token with these claims (its signature is not checked: tokens are looked up). */
export const jwt = (claims) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${randomUUID().replaceAll('-', '')}`;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ident = (name) => {
  if (!IDENT.test(name)) throw Object.assign(new Error(`"${name}" is not a column this stand-in reads`), { status: 400, code: 'PGRST100' });
  return `"${name}"`;
};
const literal = (text) => `'${String(text).replaceAll("'", "''")}'`;

/** A PostgREST filter (`eq.x`, `neq.x`, `in.(a,b)`, `is.null`) on column as SQL; null for another. */
function condition(column, value) {
  const [op, ...rest] = value.split('.');
  const arg = rest.join('.');
  const col = ident(column);
  if (op === 'eq') return `${col} = ${literal(arg)}`;
  if (op === 'neq') return `${col} <> ${literal(arg)}`;
  if (op === 'in' && /^\(.*\)$/.test(arg)) {
    const items = arg.slice(1, -1).split(',').map((v) => literal(v.replace(/^"(.*)"$/, '$1')));
    return items.length ? `${col} in (${items.join(', ')})` : 'false';
  }
  if (op === 'is' && arg === 'null') return `${col} is null`;
  return null;
}

// PostgREST's statuses for PostgreSQL's errors (postgrest.org, "Errors": SQLSTATE to HTTP).
const STATUS = { 42501: 403, 23505: 409, 23503: 409, 23502: 400, 23514: 400, '22P02': 400, '42P01': 404, 42703: 400 };

/** Supabase's own setup of a project's database that migrations rely on (supabase/postgres's
 * init scripts): the API roles may use the public schema and get every privilege on what is
 * created there by default (row-level security then decides), and Storage's two tables, with
 * row-level security on `storage.objects` (the columns storage-api reads and writes). */
export const SUPABASE_PROJECT = `
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
create schema storage;
grant usage on schema storage to anon, authenticated, service_role;
create table storage.buckets (
  id text primary key, name text not null unique, owner uuid, public boolean default false,
  file_size_limit bigint, allowed_mime_types text[],
  created_at timestamptz default now(), updated_at timestamptz default now());
create table storage.objects (
  id uuid primary key default gen_random_uuid(), bucket_id text references storage.buckets (id),
  name text, owner uuid, owner_id text, metadata jsonb, version text,
  created_at timestamptz default now(), updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(), unique (bucket_id, name));
alter table storage.objects enable row level security;
alter table storage.buckets enable row level security;
grant all on storage.objects, storage.buckets to anon, authenticated, service_role;
`;

/** A fresh database `name` on pg (tests/servers/postgres.mjs, started with supabase: true),
 * set up as a Supabase project's: resolves its URL. */
export async function projectDatabase(pg, name) {
  const url = await pg.database(name);
  await pg.psql(url, SUPABASE_PROJECT);
  return url;
}

/**
 * Starts the project on `database` (a URL from projectDatabase) of `pg` (startPostgres's
 * handle). users: [{id, email, password, user_metadata}]. Resolves {origin, anonKey,
 * serviceRoleKey, log, route(slug, origin), saw(text), close()}.
 */
export async function startSupabaseProject({ pg, database, users: given = [] }) {
  const users = given.map((user) => ({ ...user })); // its own copies: sign-ups and resets change them
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
    email_confirmed_at: user.confirmed === false ? null : '2025-01-01T00:00:00Z',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: user.user_metadata ?? {},
    identities: [{ identity_id: user.id, id: user.id, user_id: user.id, provider: 'email', email: user.email }],
    created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z', is_anonymous: false,
  });
  // What Supabase Auth emails (Supabase's local development catches it in Mailpit): the
  // signup code ({{ .Token }}) and the recovery link's {{ .TokenHash }}; the newest is valid.
  const mailbox = [];
  const mail = (user, kind, redirectTo) => {
    for (const old of mailbox) if (old.to === user.email && old.kind === kind) old.used = true;
    const letter = {
      to: user.email, kind, token: String(Math.floor(100000 + Math.random() * 900000)),
      token_hash: randomUUID().replaceAll('-', ''), redirect_to: redirectTo ?? null, used: false,
    };
    mailbox.push(letter);
  };
  const issue = (user) => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const accessToken = jwt({ sub: user.id, email: user.email, role: 'authenticated', aud: 'authenticated', exp: expiresAt });
    sessions.set(accessToken, user);
    return { access_token: accessToken, token_type: 'bearer', expires_in: 3600, expires_at: expiresAt, refresh_token: randomUUID(), user: publicUser(user) };
  };
  const gotrueError = (res, status, errorCode, msg) => sendJson(res, status, { code: status, error_code: errorCode, msg });
  const expired = (res) => gotrueError(res, 403, 'otp_expired', 'Token has expired or is invalid');

  // Supabase Auth with email confirmation on (Supabase's default for a hosted project).
  async function auth(req, res, url, caller) {
    const route = `${req.method} ${url.pathname}`;
    const body = req.method === 'GET' ? {} : JSON.parse((await readBody(req)).toString('utf8') || '{}');
    if (route === 'POST /auth/v1/token' && url.searchParams.get('grant_type') === 'password') {
      const user = users.find((u) => u.email === body.email && u.password === body.password);
      if (!user) return gotrueError(res, 400, 'invalid_credentials', 'Invalid login credentials');
      if (user.confirmed === false) return gotrueError(res, 400, 'email_not_confirmed', 'Email not confirmed');
      return sendJson(res, 200, issue(user));
    }
    if (route === 'POST /auth/v1/signup') {
      if (String(body.password ?? '').length < 6) return gotrueError(res, 422, 'weak_password', 'Password should be at least 6 characters.');
      const known = users.find((u) => u.email === body.email);
      // An address already confirmed: a made-up user with no identities (no enumeration).
      if (known && known.confirmed !== false) return sendJson(res, 200, { ...publicUser({ ...known, id: randomUUID() }), identities: [] });
      const user = known ?? { id: randomUUID(), email: body.email, confirmed: false };
      Object.assign(user, { password: body.password, user_metadata: body.data ?? {} });
      if (!known) users.push(user);
      mail(user, 'signup');
      return sendJson(res, 200, { ...publicUser(user), confirmation_sent_at: new Date().toISOString() });
    }
    if (route === 'POST /auth/v1/verify') {
      const kind = body.type === 'recovery' ? 'recovery' : ['email', 'signup'].includes(body.type) ? 'signup' : null;
      const letter = mailbox.find((l) => !l.used && l.kind === kind
        && (body.token_hash ? l.token_hash === body.token_hash : l.to === body.email && l.token === body.token));
      if (!letter) return expired(res);
      letter.used = true;
      const user = users.find((u) => u.email === letter.to);
      user.confirmed = true;
      return sendJson(res, 200, issue(user));
    }
    if (route === 'POST /auth/v1/resend') {
      const user = users.find((u) => u.email === body.email && u.confirmed === false);
      if (user && body.type === 'signup') mail(user, 'signup');
      return sendJson(res, 200, {});
    }
    if (route === 'POST /auth/v1/recover') {
      const user = users.find((u) => u.email === body.email);
      if (user) mail(user, 'recovery', url.searchParams.get('redirect_to'));
      return sendJson(res, 200, {});
    }
    if (route === 'POST /auth/v1/logout') {
      if (!caller.user) return gotrueError(res, 401, 'no_authorization', 'This endpoint requires a valid Bearer token');
      for (const [token, user] of sessions) if (user === caller.user) sessions.delete(token);
      res.writeHead(204);
      return res.end();
    }
    if (url.pathname === '/auth/v1/user' && ['GET', 'PUT'].includes(req.method)) {
      if (!caller.user) {
        if (caller.role) return gotrueError(res, 403, 'bad_jwt', 'invalid claim: missing sub claim');
        return gotrueError(res, 401, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token is malformed');
      }
      if (req.method === 'PUT') {
        if (body.password !== undefined) {
          if (String(body.password).length < 6) return gotrueError(res, 422, 'weak_password', 'Password should be at least 6 characters.');
          if (body.password === caller.user.password) return gotrueError(res, 422, 'same_password', 'New password should be different from the old password.');
          caller.user.password = body.password;
        }
        if (body.data) caller.user.user_metadata = { ...caller.user.user_metadata, ...body.data };
      }
      return sendJson(res, 200, publicUser(caller.user));
    }
    return gotrueError(res, 404, 'not_found', 'Not found');
  }

  /** Runs sql as the caller's role with its claims, as PostgREST does for each request (one
   * transaction: `set local role`, `request.jwt.claims`). Resolves the rows or throws with the
   * SQLSTATE as `code` and PostgREST's status. */
  async function asCaller(caller, sql) {
    const claims = caller.user
      ? { sub: caller.user.id, email: caller.user.email, role: 'authenticated', aud: 'authenticated' }
      : { role: caller.role };
    const text = `set local role ${caller.role};\nselect set_config('request.jwt.claims', ${literal(JSON.stringify(claims))}, true);\n${sql}`;
    try {
      return await pg.psql(database, text);
    } catch (error) {
      throw Object.assign(new Error(error.message.replace(/^\w+: /, '')), {
        // PostgREST answers a refused privilege 401 to anon and 403 to a signed-in role.
        status: error.sqlstate === '42501' && caller.role === 'anon' ? 401 : STATUS[error.sqlstate] ?? 400,
        code: error.sqlstate ?? 'PGRST000', sqlMessage: error.message,
      });
    }
  }
  const postgrestError = (res, error) => sendJson(res, error.status ?? 400, { code: error.code, message: error.message, details: null, hint: null });

  async function rest(req, res, url, caller) {
    if (!caller.role) return sendJson(res, 401, { code: 'PGRST301', message: 'JWSError JWSInvalidSignature', details: null, hint: null });
    const name = decodeURIComponent(url.pathname.slice('/rest/v1/'.length));
    if (!IDENT.test(name)) return sendJson(res, 404, { code: 'PGRST205', message: `Could not find the table 'public.${name}' in the schema cache`, details: null, hint: null });
    const table = `public.${ident(name)}`;
    try {
      if (req.method === 'GET') {
        const where = [];
        for (const [key, value] of url.searchParams) {
          if (['select', 'order', 'limit', 'offset'].includes(key)) continue;
          const sql = condition(key, value);
          if (!sql) return sendJson(res, 400, { code: 'PGRST100', message: `"failed to parse filter (${value})"`, details: null, hint: null });
          where.push(sql);
        }
        const select = url.searchParams.get('select') ?? '*';
        const columns = select === '*' ? '*' : select.split(',').map(ident).join(', ');
        const order = url.searchParams.get('order');
        const orderBy = order
          ? ` order by ${order.split(',').map((part) => {
            const [col, dir = 'asc'] = part.split('.');
            if (!['asc', 'desc'].includes(dir)) throw Object.assign(new Error(`"failed to parse order (${order})"`), { status: 400, code: 'PGRST100' });
            return `${ident(col)} ${dir}`;
          }).join(', ')}`
          : '';
        const limit = url.searchParams.has('limit') ? ` limit ${Number.parseInt(url.searchParams.get('limit'), 10)}` : '';
        const offset = url.searchParams.has('offset') ? ` offset ${Number.parseInt(url.searchParams.get('offset'), 10)}` : '';
        const [{ body }] = await asCaller(caller, `select coalesce(json_agg(t), '[]')::text as body from (select ${columns} from ${table}${where.length ? ` where ${where.join(' and ')}` : ''}${orderBy}${limit}${offset}) t;`);
        const rows = JSON.parse(body);
        if ((req.headers.accept ?? '').includes('application/vnd.pgrst.object+json')) {
          if (rows.length !== 1) return sendJson(res, 406, { code: 'PGRST116', message: 'JSON object requested, multiple (or no) rows returned', details: `The result contains ${rows.length} rows`, hint: null });
          return sendJson(res, 200, rows[0]);
        }
        return sendJson(res, 200, rows);
      }
      if (req.method === 'POST') {
        // PostgREST inserts the payload's keys only, so the others keep their defaults.
        const rows = [].concat(JSON.parse((await readBody(req)).toString('utf8')));
        const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))].map(ident).join(', ');
        const [{ body }] = await asCaller(caller, `with made as (insert into ${table} (${keys}) select ${keys} from json_populate_recordset(null::${table}, ${literal(JSON.stringify(rows))}) returning *) select coalesce(json_agg(made), '[]')::text as body from made;`);
        if ((req.headers.prefer ?? '').includes('return=representation')) {
          const made = JSON.parse(body);
          if (!(req.headers.accept ?? '').includes('application/vnd.pgrst.object+json')) return sendJson(res, 201, made);
          if (made.length !== 1) return sendJson(res, 406, { code: 'PGRST116', message: 'JSON object requested, multiple (or no) rows returned', details: `The result contains ${made.length} rows`, hint: null });
          return sendJson(res, 201, made[0]);
        }
        res.writeHead(201);
        return res.end();
      }
    } catch (error) {
      return postgrestError(res, error);
    }
    return sendJson(res, 405, { code: 'PGRST117', message: `Unsupported HTTP method: ${req.method}`, details: null, hint: null });
  }

  // Supabase Storage (storage-api, https://supabase.github.io/storage/ and its source): object
  // rows live in storage.objects, written as the caller so the project's policies decide; the
  // bytes are kept here. Its quirk: refusals answer HTTP 400 with the real status as the string
  // `statusCode` in the body ({statusCode: "403", error: "Unauthorized", message}).
  const bytesOf = new Map(); // "bucket/name" -> {type, bytes}
  const storageError = (res, statusCode, error, message) => sendJson(res, 400, { statusCode: String(statusCode), error, message });
  async function storage(req, res, url, caller) {
    const rest = decodeURIComponent(url.pathname.slice('/storage/v1/object/'.length));
    const [first, ...parts] = rest.split('/');
    if (req.method === 'GET' && first === 'public') {
      const [bucket, ...path] = parts;
      const [row] = await pg.psql(database, `select public::text from storage.buckets where id = ${literal(bucket)}`);
      const stored = bytesOf.get(`${bucket}/${path.join('/')}`);
      if (row?.public !== 'true' || !stored) return storageError(res, 404, 'not_found', 'Object not found');
      res.writeHead(200, { 'content-type': stored.type, 'content-length': stored.bytes.length });
      return res.end(stored.bytes);
    }
    if (req.method === 'GET' && first === 'sign') {
      const key = signed.get(url.searchParams.get('token'));
      const stored = key === parts.join('/') ? bytesOf.get(key) : undefined;
      if (!stored) return storageError(res, 400, 'InvalidSignature', 'Invalid signature');
      res.writeHead(200, { 'content-type': stored.type, 'content-length': stored.bytes.length });
      return res.end(stored.bytes);
    }
    if (!caller.role) return storageError(res, 403, 'Unauthorized', 'Invalid JWT');
    if (req.method === 'POST' && first === 'sign') {
      const [bucket, ...path] = parts;
      const name = path.join('/');
      const { expiresIn } = JSON.parse((await readBody(req)).toString('utf8') || '{}');
      if (!(expiresIn >= 1)) return storageError(res, 400, 'InvalidRequest', 'expiresIn is required');
      const found = await asCaller(caller, `select id from storage.objects where bucket_id = ${literal(bucket)} and name = ${literal(name)};`);
      if (!found.length) return storageError(res, 404, 'not_found', 'Object not found');
      const token = jwt({ url: `${bucket}/${name}`, exp: Math.floor(Date.now() / 1000) + expiresIn });
      signed.set(token, `${bucket}/${name}`);
      return sendJson(res, 200, { signedURL: `/object/sign/${bucket}/${encodeURI(name)}?token=${token}` });
    }
    if (req.method === 'POST') {
      const bucket = first;
      const name = parts.join('/');
      // storage-js sends a Blob as multipart form data (the file in the field named ''), other
      // bodies as they are.
      const raw = await readBody(req);
      let bytes = raw;
      let type = req.headers['content-type'] ?? 'application/octet-stream';
      if (type.startsWith('multipart/form-data')) {
        const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
        const file = [...form.values()].find((v) => typeof v !== 'string');
        bytes = Buffer.from(await file.arrayBuffer());
        type = file.type || 'application/octet-stream';
      }
      const [limit] = await pg.psql(database, `select file_size_limit::text as max from storage.buckets where id = ${literal(bucket)}`);
      if (!limit) return storageError(res, 404, 'Bucket not found', 'Bucket not found');
      if (limit.max && bytes.length > Number(limit.max)) return storageError(res, 413, 'Payload too large', 'The object exceeded the maximum allowed size');
      try {
        // `returning`: the row is read back as the caller, so a bucket whose policies let users
        // insert but not select their own objects fails here, as older storage-api versions
        // did (supabase/supabase-dart#26); the docs' "insert only" for uploads may not hold for
        // every version, so the export's policies are held to the stricter behaviour.
        await asCaller(caller, `insert into storage.objects (bucket_id, name, owner, owner_id, metadata) values (${literal(bucket)}, ${literal(name)}, ${caller.user ? literal(caller.user.id) : 'null'}, ${caller.user ? literal(caller.user.id) : 'null'}, ${literal(JSON.stringify({ mimetype: type, size: bytes.length }))}) returning id;`);
      } catch (error) {
        if (error.code === '42501') return storageError(res, 403, 'Unauthorized', 'new row violates row-level security policy');
        if (error.code === '23505') return storageError(res, 409, 'Duplicate', 'The resource already exists');
        throw error;
      }
      bytesOf.set(`${bucket}/${name}`, { type, bytes });
      return sendJson(res, 200, { Key: `${bucket}/${name}`, Id: randomUUID() });
    }
    return storageError(res, 404, 'not_found', 'Not found');
  }
  const signed = new Map(); // token -> "bucket/name"

  async function gateway(req, res, url, caller, entry) {
    const slug = url.pathname.slice('/functions/v1/'.length).split('/')[0];
    const target = functions.get(slug);
    if (!target) return sendJson(res, 404, { code: 'NOT_FOUND', message: 'Requested function was not found' });
    if (req.method !== 'OPTIONS' && caller.name === 'none') return sendJson(res, 401, { code: 401, message: 'Missing authorization header' });
    if (req.method !== 'OPTIONS' && !caller.role) return sendJson(res, 401, { code: 401, message: 'Invalid JWT' });
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    delete headers['content-length'];
    const body = ['GET', 'HEAD'].includes(req.method) ? undefined : await readBody(req);
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
      // Public and signed object URLs are links: browsers fetch them without a key.
      if (req.method === 'GET' && /^\/storage\/v1\/object\/(public|sign)\//.test(url.pathname)) return await storage(req, res, url, caller);
      const apikey = req.headers.apikey;
      if (apikey !== anonKey && apikey !== serviceRoleKey) return sendJson(res, 401, { message: 'No API key found in request' });
      if (url.pathname.startsWith('/auth/v1/')) return await auth(req, res, url, caller);
      if (url.pathname.startsWith('/rest/v1/')) return await rest(req, res, url, caller);
      if (url.pathname.startsWith('/storage/v1/object/')) return await storage(req, res, url, caller);
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
    /** Sends /functions/v1/<slug> to a function served at origin (tests/servers/deno.mjs). */
    route: (slug, origin) => functions.set(slug, origin),
    /** What Supabase Auth emailed: [{to, kind: 'signup' | 'recovery', token, token_hash,
     * redirect_to, used}]. */
    mailbox,
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
 * object sent as JSON text, as a model answers a json_schema response_format); and `POST
 * /v1/images/generations` (response_format b64_json) → `{created, data: [{b64_json}]}` of the
 * next of `images` (bytes). Every request is
 * kept: {path, authorized (whether the key was the right one), body}.
 */
export async function startLlmProvider({ apiKey }) {
  const requests = [];
  const answers = [];
  const images = [];
  const server = await listen(async (req, res) => {
    const body = (await readBody(req)).toString('utf8');
    const entry = { method: req.method, path: req.url, authorized: req.headers.authorization === `Bearer ${apiKey}`, headers: req.headers, body: body ? JSON.parse(body) : null };
    requests.push(entry);
    if (!entry.authorized) return sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    if (req.method === 'POST' && req.url === '/v1/images/generations') {
      const image = images.shift();
      if (!image) return sendJson(res, 500, { error: { message: 'no image queued in the stand-in', type: 'server_error' } });
      return sendJson(res, 200, { created: 1764806400, data: [{ b64_json: Buffer.from(image).toString('base64') }] });
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendJson(res, 404, { error: { message: `Unknown request URL: ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    const next = answers.shift() ?? '';
    return sendJson(res, 200, {
      id: `chatcmpl-${randomUUID()}`, object: 'chat.completion', created: 1764806400, model: entry.body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: typeof next === 'string' ? next : JSON.stringify(next) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  });
  return { origin: server.origin, requests, answers, images, close: () => server.close() };
}
