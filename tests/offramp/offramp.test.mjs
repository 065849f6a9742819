// The Base44 off-ramp: the module `liftoff export` writes in place of the Base44 SDK client
// (src/api/base44Client.js), loaded with the real @supabase/supabase-js and a recording
// `fetch` (createClient's `global.fetch`). Every request is checked against PostgREST's
// documented query syntax (https://postgrest.org/en/stable/references/api/tables_views.html:
// `select`, `order=col.desc`, `limit`, `offset`, `col=eq.v`, `col=in.(a,b)`, `col=is.null`,
// the single-object Accept header, `Prefer: return=representation`) and Supabase Auth's
// endpoints (GET/PUT /auth/v1/user, POST /auth/v1/logout, /token?grant_type=password, /signup,
// /verify, /resend, /recover, /auth/v1/authorize), and so is what the module hands back to the
// app and what it throws (the Base44 SDK's shapes).
//
// The module is the real thing: `target/release/liftoff export` runs on the Base44 fixtures
// (build it with `cargo build --release -p liftoff-cli`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const liftoff = join(root, 'target/release/liftoff');
const SUPABASE = 'https://abcdefghijklmnop.supabase.co';
const ANON = 'anon-key-for-tests';

/** Exports a fixture with the real CLI; returns the exported tree's folder. */
function exportFixture(work, name) {
  const out = join(work, name);
  execFileSync(liftoff, ['export', join(root, 'tests/fixtures/base44', name), '-o', out], { stdio: 'pipe' });
  return out;
}

/** Loads an exported client from a folder inside this package, so `@supabase/supabase-js`
 * resolves from this package's node_modules (the exported app has none installed). */
async function load(exported, as) {
  const target = join(modules, `${as}.js`);
  copyFileSync(join(exported, 'src/api/base44Client.js'), target);
  return import(pathToFileURL(target).href);
}

let work;
let modules;
let older;
let newer;
let olderText;

before(async () => {
  assert.ok(existsSync(liftoff), 'target/release/liftoff is missing: cargo build --release -p liftoff-cli');
  work = mkdtempSync(join(tmpdir(), 'liftoff-offramp-'));
  modules = mkdtempSync(join(here, '.modules-'));
  const olderDir = exportFixture(work, 'older');
  olderText = readFileSync(join(olderDir, 'src/api/base44Client.js'), 'utf8');
  older = await load(olderDir, 'older');
  newer = await load(exportFixture(work, 'newer'), 'newer');
});

after(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(modules, { recursive: true, force: true });
});

/**
 * A `fetch` that records every request and answers with `answer(request)`:
 * `{status, json, headers}` (200 and a JSON body by default).
 */
function recorder(answer = () => ({ json: [] })) {
  const calls = [];
  const fetch = async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input.url);
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' && init.body ? JSON.parse(init.body) : undefined;
    const call = { method: init.method ?? 'GET', url, path: url.pathname, params: url.searchParams, headers, body, raw: init.body };
    calls.push(call);
    const { status = 200, json, headers: extra = {} } = answer(call) ?? {};
    const empty = status === 204 || call.method === 'HEAD' || json === undefined;
    return new Response(empty ? null : JSON.stringify(json), {
      status,
      headers: { 'content-type': 'application/json', ...extra },
    });
  };
  return { calls, fetch };
}

/** Search params as a plain object: asserting on them, never on their order. */
const params = (call) => Object.fromEntries(call.params);
/** `Prefer` as a set of its comma-separated preferences. */
const prefer = (call) => new Set((call.headers.get('prefer') ?? '').split(',').map((p) => p.trim()).filter(Boolean));

/** A session as GoTrue answers it (and supabase-js keeps it): a JWT access token that expires in
 * an hour, its refresh token, the user. `n` tells sessions apart. */
function sessionOf(user = USER, n = 1) {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const accessToken = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: user.id, email: user.email, role: 'authenticated', exp, n })}.c2ln`;
  return {
    access_token: accessToken, refresh_token: `refresh-${n}`, token_type: 'bearer',
    expires_in: 3600, expires_at: exp, user,
  };
}

/** A storage holding one signed-in session, as supabase-js keeps it. */
function signedIn(storageKey, user = USER) {
  const session = sessionOf(user);
  const accessToken = session.access_token;
  const data = new Map([[storageKey, JSON.stringify(session)]]);
  const storage = {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => { data.set(k, v); },
    removeItem: (k) => { data.delete(k); },
  };
  return { storage, accessToken, data };
}

const USER = {
  id: '7f6c2f9e-1b2a-4c3d-9e8f-0a1b2c3d4e5f',
  aud: 'authenticated',
  role: 'authenticated',
  email: 'ada@example.com',
  app_metadata: { provider: 'google', role: 'admin' },
  user_metadata: { full_name: 'Ada Lovelace', theme: 'dark', id: 'spoofed', role: 'owner', email: 'x@evil.test' },
  created_at: '2025-01-02T03:04:05.000000Z',
  updated_at: '2025-02-03T04:05:06.000000Z',
};

/** A client on the recording fetch; `session` puts a signed-in user in its storage. */
function client(mod, answer, { session = false } = {}) {
  const rec = recorder(answer);
  const storageKey = 'liftoff-test-auth';
  const auth = { persistSession: true, autoRefreshToken: false, detectSessionInUrl: false, storageKey };
  // Without a session the storage starts empty (its one entry is under another key).
  const store = signedIn(session ? storageKey : 'unused');
  auth.storage = store.storage;
  const signed = session ? store : undefined;
  // Node 20 has no WebSocket, which realtime-js asks for when the client is made (browsers
  // have one); the module never opens a socket, so a class that is never constructed does.
  const realtime = { transport: class NoWebSocket {} };
  const base44 = mod.createBase44Client({ url: SUPABASE, key: ANON, options: { global: { fetch: rec.fetch }, auth, realtime } });
  // The session supabase-js keeps now, if any.
  const stored = () => JSON.parse(store.data.get(storageKey) ?? 'null');
  return { base44, calls: rec.calls, signed, stored };
}

const TASKS = [
  { id: 't2', title: 'Ship it', status: 'todo', priority: 'high', created_date: '2025-03-02T10:00:00+00:00', updated_date: '2025-03-02T10:00:00+00:00', created_by: 'ada@example.com', tags: ['launch'] },
  { id: 't1', title: 'Write tests', status: 'done', priority: 'medium', created_date: '2025-03-01T10:00:00+00:00', updated_date: '2025-03-01T12:00:00+00:00', created_by: 'ada@example.com', tags: [] },
];

describe('the generated module', () => {
  test('is the off-ramp, with the fixture entities\' tables written in', () => {
    assert.ok(olderText.startsWith('// liftoff: base44 off-ramp.'));
    assert.match(olderText, /const TABLES = \{\n {2}"Project": "project",\n {2}"Task": "task",\n\};/);
    assert.match(olderText, /const REQUIRES_AUTH = true;/);
    assert.equal(typeof older.base44, 'object', 'exports `base44` as the SDK client did');
    assert.equal(older.base44.then, undefined, 'not a thenable');
    assert.equal(older.base44.entities.then, undefined);
    assert.equal(older.tableName('Task'), 'task');
    assert.equal(newer.tableName('CheckIn'), 'check_in');
  });

  test('tables of entities outside the map follow the migration\'s snake_case rule', () => {
    // The cases of crates/liftoff-core/src/base44/schema/names.rs.
    for (const [entity, table] of [
      ['RSVP', 'rsvp'], ['UserProfile', 'user_profile'], ['CheckIn', 'check_in'],
      ['HTTPRequest', 'http_request'], ['Task2Go', 'task2_go'], ['my-thing', 'my_thing'],
      ['__', 'entity'], ['Événement', 'événement'],
    ]) {
      assert.equal(older.tableName(entity), table, entity);
    }
  });

  test('without VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY, calls say what to set', async () => {
    await assert.rejects(older.base44.entities.Task.list(), (e) => {
      assert.equal(e.code, 'liftoff_not_configured');
      assert.match(e.message, /VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY are not set/);
      return true;
    });
  });
});

describe('entities, as PostgREST requests', () => {
  test("list('-created_date', 10, 20): order desc, offset, limit; answers the rows", async () => {
    const { base44, calls } = client(older, () => ({ json: TASKS }));
    const rows = await base44.entities.Task.list('-created_date', 10, 20);
    assert.deepEqual(rows, TASKS);
    assert.equal(calls.length, 1);
    const [call] = calls;
    assert.equal(call.method, 'GET');
    assert.equal(`${call.url.origin}${call.path}`, `${SUPABASE}/rest/v1/task`);
    assert.deepEqual(params(call), { select: '*', order: 'created_date.desc', offset: '20', limit: '10' });
    assert.equal(call.headers.get('apikey'), ANON);
    assert.equal(call.headers.get('authorization'), `Bearer ${ANON}`, 'no session: the anon key');
  });

  test('list with a limit only, a skip only, ascending sort, fields, nothing', async () => {
    const { base44, calls } = client(older, () => ({ json: TASKS }));
    await base44.entities.Task.list('-created_date', 50);
    await base44.entities.Task.list('title', 0, 5);
    await base44.entities.Task.list('+priority,-created_date', undefined, undefined, ['title', 'status']);
    await base44.entities.Task.list();
    assert.deepEqual(calls.map(params), [
      { select: '*', order: 'created_date.desc', limit: '50' },
      { select: '*', order: 'title.asc', offset: '5' },
      { select: 'title,status', order: 'priority.asc,created_date.desc' },
      { select: '*' },
    ]);
  });

  test('filter: values with eq, arrays with in, null with is, operators, jsonb paths', async () => {
    const { base44, calls } = client(older, () => ({ json: [TASKS[0]] }));
    const rows = await base44.entities.Task.filter({ status: 'open', id: ['a', 'b'] }, '-created_date', 5, 10);
    assert.deepEqual(rows, [TASKS[0]]);
    await base44.entities.Task.filter({
      priority: { $in: ['high', 'medium'] },
      due_date: { $gte: '2025-01-01', $lt: '2025-02-01' },
      project_id: null,
      status: { $ne: 'done' },
      'reminder.enabled': true,
      title: ['hi,there', 'yes'],
      done: false,
      created_date: new Date('2025-03-01T00:00:00Z'),
    });
    assert.deepEqual(params(calls[0]), {
      select: '*', status: 'eq.open', id: 'in.(a,b)', order: 'created_date.desc', offset: '10', limit: '5',
    });
    assert.deepEqual(params(calls[1]), {
      select: '*',
      priority: 'in.(high,medium)',
      due_date: 'lt.2025-02-01',
      project_id: 'is.null',
      status: 'neq.done',
      'reminder->>enabled': 'eq.true',
      title: 'in.("hi,there",yes)',
      done: 'eq.false',
      created_date: 'eq.2025-03-01T00:00:00.000Z',
    });
    // Two conditions on one column are two parameters: PostgREST ANDs them.
    assert.deepEqual(calls[1].params.getAll('due_date'), ['gte.2025-01-01', 'lt.2025-02-01']);
  });

  test('get(id): id=eq.<id> with the single-object Accept header; one object back', async () => {
    const { base44, calls } = client(older, () => ({ json: TASKS[1] }));
    const task = await base44.entities.Task.get('t1');
    assert.deepEqual(task, TASKS[1]);
    assert.equal(calls[0].method, 'GET');
    assert.deepEqual(params(calls[0]), { select: '*', id: 'eq.t1' });
    assert.equal(calls[0].headers.get('accept'), 'application/vnd.pgrst.object+json');
  });

  test('get of a missing id rejects with status 404, as Base44 does', async () => {
    const { base44 } = client(older, () => ({
      status: 406,
      json: { code: 'PGRST116', details: 'The result contains 0 rows', hint: null, message: 'Cannot coerce the result to a single JSON object' },
    }));
    await assert.rejects(base44.entities.Task.get('nope'), (e) => {
      assert.equal(e.name, 'Base44Error');
      assert.equal(e.status, 404);
      assert.equal(e.code, 'PGRST116');
      return true;
    });
  });

  test('create(data): POST with a JSON body and Prefer: return=representation; the record back', async () => {
    const created = { ...TASKS[0], id: 't3', title: 'New' };
    const { base44, calls } = client(older, () => ({ status: 201, json: created }));
    const task = await base44.entities.Task.create({ title: 'New', status: 'todo' });
    assert.deepEqual(task, created);
    const [call] = calls;
    assert.equal(call.method, 'POST');
    assert.equal(call.path, '/rest/v1/task');
    assert.deepEqual(call.body, { title: 'New', status: 'todo' });
    assert.ok(prefer(call).has('return=representation'), [...prefer(call)].join());
    assert.ok(prefer(call).has('missing=default'), 'columns left out take their defaults');
    assert.equal(call.headers.get('accept'), 'application/vnd.pgrst.object+json');
    assert.equal(call.headers.get('content-type'), 'application/json');
  });

  test('bulkCreate(rows): one POST of the array (columns named, defaults kept); the records back', async () => {
    const { base44, calls } = client(older, (call) => ({ status: 201, json: call.body.map((r, i) => ({ id: `n${i}`, ...r })) }));
    const rows = await base44.entities.Task.bulkCreate([{ title: 'a' }, { title: 'b', status: 'done' }]);
    assert.deepEqual(rows, [{ id: 'n0', title: 'a' }, { id: 'n1', title: 'b', status: 'done' }]);
    const [call] = calls;
    assert.equal(call.method, 'POST');
    assert.deepEqual(call.body, [{ title: 'a' }, { title: 'b', status: 'done' }]);
    assert.equal(call.params.get('columns'), '"title","status"');
    assert.ok(prefer(call).has('return=representation') && prefer(call).has('missing=default'));
  });

  test('update(id, data): PATCH with id=eq.<id>; the updated record back', async () => {
    const updated = { ...TASKS[0], status: 'done' };
    const { base44, calls } = client(older, () => ({ json: updated }));
    assert.deepEqual(await base44.entities.Task.update('t2', { status: 'done' }), updated);
    const [call] = calls;
    assert.equal(call.method, 'PATCH');
    assert.deepEqual(params(call), { id: 'eq.t2', select: '*' });
    assert.deepEqual(call.body, { status: 'done' });
    assert.ok(prefer(call).has('return=representation'));
  });

  test('delete(id) and deleteMany(query): DELETE with filters; never an unfiltered delete', async () => {
    const { base44, calls } = client(older, () => ({ status: 204 }));
    assert.equal(await base44.entities.Task.delete('t1'), undefined);
    await base44.entities.Task.deleteMany({ status: 'done', id: ['t1', 't2'] });
    assert.deepEqual(calls.map((c) => [c.method, c.path, params(c)]), [
      ['DELETE', '/rest/v1/task', { id: 'eq.t1' }],
      ['DELETE', '/rest/v1/task', { status: 'eq.done', id: 'in.(t1,t2)' }],
    ]);
    await assert.rejects(base44.entities.Task.deleteMany({}), /never deletes every row/);
    await assert.rejects(base44.entities.Task.deleteMany(), /never deletes every row/);
    assert.equal(calls.length, 2);
  });

  test('count(query): HEAD with Prefer: count=exact, the number from Content-Range', async () => {
    const { base44, calls } = client(older, () => ({ headers: { 'content-range': '*/42' } }));
    assert.equal(await base44.entities.Task.count({ status: 'open' }), 42);
    assert.equal(calls[0].method, 'HEAD');
    assert.ok(prefer(calls[0]).has('count=exact'));
    assert.deepEqual(params(calls[0]), { select: '*', status: 'eq.open' });
  });

  test('any entity name reaches its snake_case table; errors carry status and code', async () => {
    const { base44, calls } = client(older, (call) => call.path.endsWith('/user_profile')
      ? { status: 404, json: { code: 'PGRST205', message: "Could not find the table 'public.user_profile' in the schema cache" } }
      : { json: [] });
    await base44.entities.RSVP.list();
    await assert.rejects(base44.entities.UserProfile.get('u1'), (e) => e.status === 404 && e.code === 'PGRST205');
    const habits = client(newer);
    await habits.base44.entities.CheckIn.filter({ habit_id: 'h1' });
    assert.deepEqual([...calls, ...habits.calls].map((c) => c.path), ['/rest/v1/rsvp', '/rest/v1/user_profile', '/rest/v1/check_in']);
    assert.deepEqual(params(habits.calls[0]), { select: '*', habit_id: 'eq.h1' });
  });

  test('what it does not serve says so and sends nothing', async () => {
    const { base44, calls } = client(older);
    await assert.rejects(base44.entities.Task.updateMany({ status: 'todo' }, { $set: { status: 'done' } }),
      /^Base44Error: Base44 Task\.updateMany has no equivalent here: write it with base44\.supabase \(see LIFTOFF\.md\)$/);
    await assert.rejects(base44.entities.Task.list({ sort: '-created_date', limit: 10 }), /paged Task\.list\/filter/);
    await assert.rejects(base44.entities.Task.filter({ title: { $regex: '^a' } }), /query operator \$regex \(Task\.title\)/);
    await assert.rejects(base44.entities.Task.filter({ $or: [{ a: 1 }] }), /query operator \$or/);
    const warnings = [];
    const warn = console.warn;
    console.warn = (m) => warnings.push(m);
    try {
      const unsubscribe = base44.entities.Task.subscribe(() => assert.fail('never calls back'));
      assert.equal(typeof unsubscribe, 'function');
      unsubscribe();
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warnings, ['Task.subscribe: live updates have no equivalent here; see LIFTOFF.md']);
    assert.equal(calls.length, 0);
  });
});

describe('auth, on Supabase Auth', () => {
  test('me() with a session: GET /auth/v1/user with the user\'s token; the Base44-shaped user', async () => {
    const { base44, calls, signed } = client(older, () => ({ json: USER }), { session: true });
    const me = await base44.auth.me();
    assert.deepEqual(me, {
      full_name: 'Ada Lovelace',
      theme: 'dark',
      id: USER.id,
      email: 'ada@example.com',
      role: 'admin',
      created_date: USER.created_at,
      updated_date: USER.updated_at,
    }, 'metadata never overrides id, email or role');
    assert.equal(calls.length, 1);
    assert.equal(calls[0].method, 'GET');
    assert.equal(`${calls[0].url.origin}${calls[0].path}`, `${SUPABASE}/auth/v1/user`);
    assert.equal(calls[0].headers.get('authorization'), `Bearer ${signed.accessToken}`);
    assert.equal(calls[0].headers.get('apikey'), ANON);
    assert.equal(await base44.auth.isAuthenticated(), true);
  });

  test('entity requests carry the signed-in user\'s token (row-level security sees them)', async () => {
    const { base44, calls, signed } = client(older, () => ({ json: [] }), { session: true });
    await base44.entities.Task.list();
    assert.equal(calls[0].headers.get('authorization'), `Bearer ${signed.accessToken}`);
  });

  test('me() without a session rejects with 401 and asks nothing; isAuthenticated is false', async () => {
    const { base44, calls } = client(older, () => ({ json: USER }));
    await assert.rejects(base44.auth.me(), (e) => e.name === 'Base44Error' && e.status === 401);
    assert.equal(await base44.auth.isAuthenticated(), false);
    assert.equal(calls.length, 0);
  });

  test('updateMe(data): PUT /auth/v1/user {data}; the updated user back', async () => {
    const updated = { ...USER, user_metadata: { ...USER.user_metadata, theme: 'light' } };
    const { base44, calls } = client(older, () => ({ json: updated }), { session: true });
    const me = await base44.auth.updateMe({ theme: 'light' });
    assert.equal(me.theme, 'light');
    assert.equal(me.email, 'ada@example.com');
    assert.equal(calls[0].method, 'PUT');
    assert.equal(calls[0].path, '/auth/v1/user');
    assert.deepEqual(calls[0].body.data, { theme: 'light' });
  });

  test('logout(): POST /auth/v1/logout, and the session is gone', async () => {
    const { base44, calls, signed } = client(older, () => ({ status: 204 }), { session: true });
    await base44.auth.logout();
    assert.deepEqual(calls.map((c) => [c.method, c.path]), [['POST', '/auth/v1/logout']]);
    assert.equal(signed.data.has('liftoff-test-auth'), false);
    assert.equal(await base44.auth.isAuthenticated(), false);
  });

  test('redirectToLogin(url): Supabase OAuth with Google, back to the url', async () => {
    const { base44, calls } = client(older);
    const { url, provider } = await base44.auth.redirectToLogin('https://tasks.example.com/tasks?tab=mine');
    assert.equal(provider, 'google');
    const authorize = new URL(url);
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${SUPABASE}/auth/v1/authorize`);
    assert.equal(authorize.searchParams.get('provider'), 'google');
    assert.equal(authorize.searchParams.get('redirect_to'), 'https://tasks.example.com/tasks?tab=mine');
    assert.equal(calls.length, 0, 'a redirect, not a request');
  });

  test('other auth calls (through `User = base44.auth` too) name what to use instead', async () => {
    const { base44, calls } = client(older);
    await assert.rejects(base44.auth.changePassword({ userId: USER.id, currentPassword: 'a', newPassword: 'b' }),
      /^Base44Error: Base44 auth\.changePassword has no equivalent here: use Supabase Auth through base44\.supabase\.auth \(see LIFTOFF\.md\)$/);
    await assert.rejects(base44.auth.inviteUser('bob@example.com', 'user'), /^Base44Error: Base44 auth\.inviteUser has no equivalent here/);
    assert.equal(calls.length, 0);
  });
});

// Sign-in, sign-up, one-time codes and password reset: each Base44 call through supabase-js to
// GoTrue's documented endpoints (https://github.com/supabase/auth#endpoints: POST /token?
// grant_type=password, /signup, /verify, /resend, /recover, PUT /user, GET /authorize), and
// answered in the shapes the Base44 SDK's callers read.

/** What me() and the sign-in answers give for USER. */
const BASE44_USER = {
  full_name: 'Ada Lovelace', theme: 'dark', id: USER.id, email: 'ada@example.com', role: 'admin',
  created_date: USER.created_at, updated_date: USER.updated_at,
};

/** GoTrue's error body (API version 2024-01-01: `code` is the error code). */
const gotrueError = (status, code, message) => ({
  status, json: { code, message }, headers: { 'x-supabase-api-version': '2024-01-01' },
});

/** Runs `fn` with a browser's `window.location` at `href` (no `document`: supabase-js does not
 * redirect, it answers the URL). */
async function inBrowserAt(href, fn) {
  const url = new URL(href);
  const assigned = [];
  globalThis.window = { location: { href: url.href, origin: url.origin, assign: (u) => assigned.push(u), reload() {} } };
  try {
    return await fn(assigned);
  } finally {
    delete globalThis.window;
  }
}

/** Asserts a rejection is a Base44Error as the SDK throws it: message, status, code, `data`
 * with `message`/`detail`, and `response.data` for code written against axios errors. */
function base44Error(status, code, message) {
  return (e) => {
    assert.equal(e.name, 'Base44Error');
    assert.ok(e instanceof Error);
    assert.equal(e.message, message);
    assert.equal(e.status, status);
    assert.equal(e.code, code);
    const reason = { email_not_confirmed: 'email_not_verified' }[code];
    assert.deepEqual(e.data, { message, detail: message, code, ...(reason && { extra_data: { reason } }) });
    assert.equal(e.response.status, status);
    assert.equal(e.response.data.detail, message);
    assert.ok(e.originalError, 'the Supabase Auth error underneath');
    return true;
  };
}

describe('sign-in, sign-up, codes and password reset, on Supabase Auth', () => {
  test('loginViaEmailPassword(email, password, turnstileToken): POST /token?grant_type=password; { access_token, user } back, the session kept', async () => {
    const session = sessionOf();
    const { base44, calls, stored } = client(older, (c) => ({ json: c.path === '/auth/v1/user' ? USER : session }));
    const answer = await base44.auth.loginViaEmailPassword('ada@example.com', 's3cret!', 'turnstile-1');
    assert.deepEqual(answer, { access_token: session.access_token, user: BASE44_USER });
    const [call] = calls;
    assert.equal(call.method, 'POST');
    assert.equal(`${call.url.origin}${call.path}`, `${SUPABASE}/auth/v1/token`);
    assert.deepEqual(params(call), { grant_type: 'password' });
    assert.deepEqual(call.body, {
      email: 'ada@example.com', password: 's3cret!', gotrue_meta_security: { captcha_token: 'turnstile-1' },
    });
    assert.equal(call.headers.get('apikey'), ANON);
    assert.equal(stored().access_token, session.access_token, 'supabase-js keeps the session');
    await base44.entities.Task.list();
    assert.equal(calls.at(-1).headers.get('authorization'), `Bearer ${session.access_token}`, 'and sends it');
    assert.equal(await base44.auth.isAuthenticated(), true);
  });

  test('loginViaEmailPassword: wrong credentials reject with 401, an unconfirmed email with 403, as Base44 answers', async () => {
    const { base44, stored } = client(older, () => gotrueError(400, 'invalid_credentials', 'Invalid login credentials'));
    await assert.rejects(base44.auth.loginViaEmailPassword('ada@example.com', 'wrong'),
      base44Error(401, 'invalid_credentials', 'Invalid login credentials'));
    assert.equal(stored(), null);
    const unconfirmed = client(older, () => gotrueError(400, 'email_not_confirmed', 'Email not confirmed'));
    await assert.rejects(unconfirmed.base44.auth.loginViaEmailPassword('ada@example.com', 's3cret!'),
      base44Error(403, 'email_not_confirmed', 'Email not confirmed'));
  });

  test('register({email, password, turnstile_token, ...}): POST /signup, other fields into user_metadata; no session until the code', async () => {
    const pending = { ...USER, email_confirmed_at: null, identities: [{ provider: 'email', identity_id: 'i1' }], user_metadata: { full_name: 'Ada Lovelace' } };
    const { base44, calls, stored } = client(older, () => ({ json: pending }));
    const answer = await base44.auth.register({
      email: 'ada@example.com', password: 's3cret!', turnstile_token: 'turnstile-2', referral_code: 'FRIEND', full_name: 'Ada Lovelace',
    });
    assert.equal(answer.access_token, null, 'confirm the email first, as on Base44');
    assert.equal(answer.user.email, 'ada@example.com');
    assert.equal(answer.user.full_name, 'Ada Lovelace');
    const [call] = calls;
    assert.equal(call.method, 'POST');
    assert.equal(`${call.url.origin}${call.path}`, `${SUPABASE}/auth/v1/signup`);
    assert.equal(call.body.email, 'ada@example.com');
    assert.equal(call.body.password, 's3cret!');
    assert.deepEqual(call.body.data, { referral_code: 'FRIEND', full_name: 'Ada Lovelace' });
    assert.deepEqual(call.body.gotrue_meta_security, { captcha_token: 'turnstile-2' });
    assert.equal(stored(), null);
  });

  test('register of an address already signed up rejects, as Base44 does (GoTrue answers a user with no identities)', async () => {
    const { base44 } = client(older, () => ({ json: { ...USER, identities: [] } }));
    await assert.rejects(base44.auth.register({ email: 'ada@example.com', password: 's3cret!' }),
      base44Error(422, 'user_already_exists', 'User already registered'));
    const weak = client(older, () => gotrueError(422, 'weak_password', 'Password should be at least 6 characters.'));
    await assert.rejects(weak.base44.auth.register({ email: 'bob@example.com', password: '123' }),
      base44Error(422, 'weak_password', 'Password should be at least 6 characters.'));
  });

  test("verifyOtp({email, otpCode}): POST /verify {email, token, type: 'email'}; access_token back, and setToken of it sends nothing", async () => {
    const session = sessionOf();
    const { base44, calls, stored } = client(older, (c) => ({ json: c.path === '/auth/v1/user' ? USER : session }));
    const result = await base44.auth.verifyOtp({ email: 'ada@example.com', otpCode: '123456' });
    assert.equal(result.access_token, session.access_token);
    assert.deepEqual(result.user, BASE44_USER);
    const [call] = calls;
    assert.equal(call.method, 'POST');
    assert.equal(`${call.url.origin}${call.path}`, `${SUPABASE}/auth/v1/verify`);
    assert.deepEqual(call.body, { email: 'ada@example.com', token: '123456', type: 'email', gotrue_meta_security: {} });
    assert.equal(stored().access_token, session.access_token);
    // The Base44 register page's next line.
    await base44.auth.setToken(result.access_token);
    assert.equal(calls.length, 1, 'already the session: nothing to send');
    assert.equal((await base44.auth.me()).id, USER.id);
  });

  test('verifyOtp with a wrong or expired code rejects with GoTrue\'s status and code', async () => {
    const { base44, stored } = client(older, () => gotrueError(403, 'otp_expired', 'Token has expired or is invalid'));
    await assert.rejects(base44.auth.verifyOtp({ email: 'ada@example.com', otpCode: '000000' }),
      base44Error(403, 'otp_expired', 'Token has expired or is invalid'));
    assert.equal(stored(), null);
  });

  test("resendOtp(email): POST /resend {email, type: 'signup'}; rate limits reject with 429", async () => {
    const { base44, calls } = client(older, () => ({ json: {} }));
    assert.deepEqual(await base44.auth.resendOtp('ada@example.com'), {});
    assert.equal(calls[0].method, 'POST');
    assert.equal(`${calls[0].url.origin}${calls[0].path}`, `${SUPABASE}/auth/v1/resend`);
    assert.equal(calls[0].body.email, 'ada@example.com');
    assert.equal(calls[0].body.type, 'signup');
    const limited = client(older, () => gotrueError(429, 'over_email_send_rate_limit', 'email rate limit exceeded'));
    await assert.rejects(limited.base44.auth.resendOtp('ada@example.com'),
      base44Error(429, 'over_email_send_rate_limit', 'email rate limit exceeded'));
  });

  test('loginWithProvider(provider, fromUrl): Supabase OAuth, Microsoft as azure, back to fromUrl on this origin', async () => {
    const { base44, calls } = client(older);
    await inBrowserAt('https://tasks.example.com/login?x=1', async () => {
      const ms = await base44.auth.loginWithProvider('microsoft', '/dashboard');
      assert.equal(ms.provider, 'azure');
      const authorize = new URL(ms.url);
      assert.equal(`${authorize.origin}${authorize.pathname}`, `${SUPABASE}/auth/v1/authorize`);
      assert.equal(authorize.searchParams.get('provider'), 'azure');
      assert.equal(authorize.searchParams.get('redirect_to'), 'https://tasks.example.com/dashboard');
      const google = new URL((await base44.auth.loginWithProvider('google')).url);
      assert.equal(google.searchParams.get('provider'), 'google');
      assert.equal(google.searchParams.get('redirect_to'), 'https://tasks.example.com/', "Base44's default: '/'");
      const facebook = new URL((await base44.auth.loginWithProvider('facebook', 'https://tasks.example.com/a?b=c')).url);
      assert.equal(facebook.searchParams.get('redirect_to'), 'https://tasks.example.com/a?b=c');
    });
    await assert.rejects(base44.auth.loginWithProvider('sso', '/'), (e) => {
      assert.equal(e.status, 501);
      assert.match(e.message, /^Base44 auth\.loginWithProvider\("sso"\) has no equivalent here: use signInWithSSO/);
      return true;
    });
    assert.equal(calls.length, 0, 'redirects, not requests');
  });

  test('resetPasswordRequest(email): POST /recover, the link back to this origin\'s /reset-password (no ResetPassword page in the app)', async () => {
    const { base44, calls } = client(older, () => ({ json: {} }));
    await inBrowserAt('https://tasks.example.com/forgot-password', async () => {
      assert.deepEqual(await base44.auth.resetPasswordRequest('ada@example.com'), {});
    });
    const [call] = calls;
    assert.equal(call.method, 'POST');
    assert.equal(`${call.url.origin}${call.path}`, `${SUPABASE}/auth/v1/recover`);
    assert.deepEqual(params(call), { redirect_to: 'https://tasks.example.com/reset-password' });
    assert.equal(call.body.email, 'ada@example.com');
    const limited = client(older, () => gotrueError(429, 'over_email_send_rate_limit', 'email rate limit exceeded'));
    await assert.rejects(limited.base44.auth.resetPasswordRequest('ada@example.com'), base44Error(429, 'over_email_send_rate_limit', 'email rate limit exceeded'));
  });

  test("resetPassword({resetToken, newPassword}): POST /verify {token_hash, type: 'recovery'}, then PUT /user {password} as that user", async () => {
    const recovery = sessionOf(USER, 7);
    const { base44, calls } = client(older, (c) => ({ json: c.path === '/auth/v1/verify' ? recovery : USER }));
    const answer = await base44.auth.resetPassword({ resetToken: 'pkce_0123abcd', newPassword: 'n3w-s3cret!' });
    assert.deepEqual(answer, BASE44_USER);
    assert.deepEqual(calls.map((c) => [c.method, c.path]), [['POST', '/auth/v1/verify'], ['PUT', '/auth/v1/user']]);
    assert.deepEqual(calls[0].body, { token_hash: 'pkce_0123abcd', type: 'recovery', gotrue_meta_security: {} });
    assert.equal(calls[1].body.password, 'n3w-s3cret!');
    assert.equal(calls[1].headers.get('authorization'), `Bearer ${recovery.access_token}`);
  });

  test('resetPassword without a token updates the session the recovery link left; a spent token changes nothing', async () => {
    const { base44, calls, signed } = client(older, () => ({ json: USER }), { session: true });
    await base44.auth.resetPassword({ newPassword: 'n3w-s3cret!' });
    assert.deepEqual(calls.map((c) => [c.method, c.path, c.body.password]), [['PUT', '/auth/v1/user', 'n3w-s3cret!']]);
    assert.equal(calls[0].headers.get('authorization'), `Bearer ${signed.accessToken}`);
    const spent = client(older, () => gotrueError(403, 'otp_expired', 'Email link is invalid or has expired'));
    await assert.rejects(spent.base44.auth.resetPassword({ resetToken: 'old', newPassword: 'x' }),
      base44Error(403, 'otp_expired', 'Email link is invalid or has expired'));
    assert.deepEqual(spent.calls.map((c) => c.path), ['/auth/v1/verify'], 'no password sent');
    const none = client(older, () => ({ json: USER }));
    await assert.rejects(none.base44.auth.resetPassword({ newPassword: 'x' }), (e) => e.name === 'Base44Error');
    assert.equal(none.calls.length, 0);
  });

  test('setToken(token): setSession with the refresh token of the sign-in that gave it (GET /user with it); a token from elsewhere only warns', async () => {
    const session = sessionOf(USER, 3);
    const { base44, calls, stored } = client(older, (c) => (c.path === '/auth/v1/logout' ? { status: 204 } : { json: c.path === '/auth/v1/user' ? USER : session }));
    const { access_token } = await base44.auth.loginViaEmailPassword('ada@example.com', 's3cret!');
    await base44.auth.logout();
    assert.equal(stored(), null);
    calls.length = 0;
    await base44.auth.setToken(access_token);
    assert.deepEqual(calls.map((c) => [c.method, c.path]), [['GET', '/auth/v1/user']]);
    assert.equal(calls[0].headers.get('authorization'), `Bearer ${access_token}`);
    assert.equal(stored().access_token, access_token);
    assert.equal(stored().refresh_token, 'refresh-3');

    const other = client(older);
    const warnings = [];
    const warn = console.warn;
    console.warn = (m) => warnings.push(m);
    try {
      await other.base44.auth.setToken(sessionOf(USER, 9).access_token);
      await other.base44.auth.setToken('');
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^setToken: .*Supabase Auth needs a token from a sign-in here \(see LIFTOFF\.md\)$/);
    assert.equal(other.calls.length, 0);
  });
});

describe('integrations, files and backend functions', () => {
  test('Core.InvokeLLM and the other Core calls: POST /functions/v1/base44-core {integration, params} as the user; the answer back', async () => {
    const { base44, calls, signed } = client(older, () => ({ json: { title: 'Ship it' } }), { session: true });
    const { InvokeLLM } = base44.integrations.Core;
    const schema = { type: 'object', properties: { title: { type: 'string' } } };
    assert.deepEqual(await InvokeLLM({ prompt: 'Name it', response_json_schema: schema }), { title: 'Ship it' });
    await base44.integrations.Core.SendEmail({ to: 'ada@example.com', subject: 'Hi', body: '<p>Hi</p>' });
    await base44.integrations.Core.SendSMS({ to: '+15550100', message: 'Hi' });
    await base44.integrations.Core.GenerateImage({ prompt: 'a rocket' });
    await base44.integrations.Core.ExtractDataFromUploadedFile({ file_url: 'https://x.test/a.pdf', json_schema: schema });
    assert.deepEqual(calls.map((c) => [c.method, `${c.url.origin}${c.path}`, c.body.integration]), [
      ['POST', `${SUPABASE}/functions/v1/base44-core`, 'InvokeLLM'],
      ['POST', `${SUPABASE}/functions/v1/base44-core`, 'SendEmail'],
      ['POST', `${SUPABASE}/functions/v1/base44-core`, 'SendSMS'],
      ['POST', `${SUPABASE}/functions/v1/base44-core`, 'GenerateImage'],
      ['POST', `${SUPABASE}/functions/v1/base44-core`, 'ExtractDataFromUploadedFile'],
    ]);
    assert.deepEqual(calls[0].body.params, { prompt: 'Name it', response_json_schema: schema });
    assert.equal(calls[0].headers.get('authorization'), `Bearer ${signed.accessToken}`);
    assert.equal(calls[0].headers.get('apikey'), ANON);
  });

  test("the function's error answer ({error, code, variable}) rejects as Base44's error", async () => {
    const { base44 } = client(older, () => ({ status: 500, json: { error: 'Set LLM_API_KEY in the base44-core function\'s secrets', code: 'liftoff_not_configured', variable: 'LLM_API_KEY' } }), { session: true });
    await assert.rejects(base44.integrations.Core.InvokeLLM({ prompt: 'hi' }), (e) => {
      assert.equal(e.name, 'Base44Error');
      assert.equal(e.status, 500);
      assert.equal(e.code, 'liftoff_not_configured');
      assert.equal(e.data.variable, 'LLM_API_KEY');
      assert.match(e.message, /^Set LLM_API_KEY/);
      assert.equal(e.response.data.variable, 'LLM_API_KEY');
      return true;
    });
  });

  test('Core.UploadFile({file}): the bytes to Storage under the user\'s folder in base44-files; {file_url} is its public URL', async () => {
    const { base44, calls } = client(older, (c) => ({ json: { Id: 'obj-1', Key: c.path.replace('/storage/v1/object/', '') } }), { session: true });
    const bytes = new Uint8Array([0, 255, 1, 254, 137, 80, 78, 71]);
    const file = new File([bytes], 'my photo.png', { type: 'image/png' });
    const { file_url } = await base44.integrations.Core.UploadFile({ file });
    const [call] = calls;
    assert.equal(call.method, 'POST');
    const prefix = `/storage/v1/object/base44-files/${USER.id}/`;
    assert.ok(call.path.startsWith(prefix), call.path);
    assert.match(call.path.slice(prefix.length), /^[0-9a-f-]{36}-my_photo\.png$/);
    const sent = call.raw instanceof FormData ? [...call.raw.values()].find((v) => v instanceof Blob) : call.raw;
    assert.deepEqual(new Uint8Array(await new Response(sent).arrayBuffer()), bytes);
    assert.equal(file_url, `${SUPABASE}/storage/v1/object/public/base44-files/${call.path.slice('/storage/v1/object/base44-files/'.length)}`);
    const refused = client(older, () => ({ status: 403, json: { statusCode: '403', error: 'Unauthorized', message: 'new row violates row-level security policy' } }));
    await assert.rejects(refused.base44.integrations.Core.UploadFile({ file }), (e) => e.name === 'Base44Error' && e.status === 403 && /row-level security/.test(e.message));
    await assert.rejects(base44.integrations.Core.UploadFile({}), /UploadFile needs \{ file \}/);
  });

  test('UploadPrivateFile answers {file_uri} in base44-private; CreateFileSignedUrl signs it', async () => {
    const { base44, calls } = client(older, (c) => (c.path.includes('/object/sign/')
      ? { json: { signedURL: `/object/sign/${c.path.split('/object/sign/')[1]}?token=t0k` } }
      : { json: { Id: 'obj-2', Key: 'k' } }), { session: true });
    const { file_uri } = await base44.integrations.Core.UploadPrivateFile({ file: new Blob(['secret'], { type: 'text/plain' }) });
    assert.match(file_uri, new RegExp(`^base44-private/${USER.id}/[0-9a-f-]{36}-file$`));
    const { signed_url } = await base44.integrations.Core.CreateFileSignedUrl({ file_uri, expires_in: 60 });
    const sign = calls[1];
    assert.equal(sign.path, `/storage/v1/object/sign/${file_uri}`);
    assert.deepEqual(sign.body, { expiresIn: 60 });
    assert.equal(signed_url, `${SUPABASE}/storage/v1/object/sign/${file_uri}?token=t0k`);
  });

  test('functions.invoke(name, payload): POST /functions/v1/<name> with the payload; {data, status, headers} as Base44 answers', async () => {
    const { base44, calls } = client(older, () => ({ json: { sent: 3 } }), { session: true });
    const answer = await base44.functions.invoke('sendDigest', { to: 'ada@example.com' });
    assert.deepEqual(answer, { data: { sent: 3 }, status: 200, headers: {} });
    assert.equal(`${calls[0].url.origin}${calls[0].path}`, `${SUPABASE}/functions/v1/sendDigest`);
    assert.deepEqual(calls[0].body, { to: 'ada@example.com' });
    const failing = client(older, () => ({ status: 401, json: { error: 'Unauthorized' } }));
    await assert.rejects(failing.base44.functions.invoke('sendDigest', {}), (e) => e.name === 'Base44Error' && e.status === 401 && e.message === 'Unauthorized');
    // Supabase's gateway refuses before the function runs: `{code: 401, message}`.
    const gateway = client(older, () => ({ status: 401, json: { code: 401, message: 'Invalid JWT' } }));
    await assert.rejects(gateway.base44.functions.invoke('sendDigest', {}), (e) => e.name === 'Base44Error' && e.status === 401 && e.message === 'Invalid JWT' && e.code === 'function_error');
  });

  test('what stays unserved says so and sends nothing; appLogs do nothing', async () => {
    const { base44, calls } = client(older);
    await assert.rejects(base44.integrations.Slack.postMessage({}), /^Base44Error: Base44 integration Slack\.postMessage has no equivalent here/);
    await assert.rejects(base44.integrations.Core.TranscribeAudio({}), /^Base44Error: Base44 integration Core\.TranscribeAudio has no equivalent here/);
    await assert.rejects(base44.agents.createConversation({}), /^Base44Error: Base44 agents\.createConversation has no equivalent here/);
    assert.equal(await base44.appLogs.logUserInApp('Tasks'), undefined, "Base44's page-visit log: nothing to do");
    assert.equal(calls.length, 0);
  });

  test("the template's createAxiosClient: the public settings from the module, Base44's 403 auth_required when sign-in comes first", async () => {
    const open = newer.createAxiosClient({ baseURL: '/api/apps/public', headers: { 'X-App-Id': 'app1' } });
    assert.deepEqual(await open.get('/prod/public-settings/by-id/app1'), { id: 'app1', public_settings: { requires_auth: false } });
    await assert.rejects(open.get('/prod/other'), /^Base44Error: The Base44 API request \/prod\/other has no equivalent here/);
    // The older fixture requires auth; the module's own client has no session in Node.
    const closed = older.createAxiosClient({});
    await assert.rejects(closed.get('/prod/public-settings/by-id/app1'), (e) => {
      assert.equal(e.status, 403);
      assert.equal(e.data.extra_data.reason, 'auth_required');
      return true;
    });
  });

  test('base44.supabase is the Supabase client itself', () => {
    const { base44 } = client(older);
    assert.equal(typeof base44.supabase.from, 'function');
    assert.equal(typeof base44.supabase.auth.getSession, 'function');
  });
});
