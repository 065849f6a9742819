import { createClient as createSupabaseClient } from '@supabase/supabase-js';

// Entity -> table, as in supabase/migrations/*_liftoff_base44_entities.sql.
const TABLES = __LIFTOFF_TABLES__;
// The original client asked for a signed-in user first.
const REQUIRES_AUTH = __LIFTOFF_REQUIRES_AUTH__;
// The Supabase Auth provider redirectToLogin() uses (enable it in the Supabase dashboard),
// unless the app has a sign-in page of its own (LOGIN_PATH): then it goes there.
const LOGIN_PROVIDER = 'google';
const LOGIN_PATH = __LIFTOFF_LOGIN_PATH__;
// The app's page for a new password: the reset email links there (see LIFTOFF.md).
const RESET_PATH = __LIFTOFF_RESET_PATH__;
// Backend function -> its Supabase Edge Function, where the name had to change.
const FUNCTIONS = __LIFTOFF_FUNCTIONS__;
// The Edge Function serving Base44's Core integrations, and the Storage buckets of
// supabase/migrations/*_liftoff_base44_storage.sql.
const CORE_FUNCTION = 'base44-core';
const FILES = 'base44-files';
const PRIVATE_FILES = 'base44-private';

// As the Base44 SDK throws it; `response` for code that reads err.response.data.
export class Base44Error extends Error {
  constructor(message, status, code, data, originalError) {
    super(message);
    Object.assign(this, { name: 'Base44Error', status, code, data, originalError });
  }

  get response() {
    return { status: this.status, data: this.data };
  }
}

const unserved = (what, instead) =>
  new Base44Error(`${what} has no equivalent here: ${instead} (see LIFTOFF.md)`, 501, 'liftoff_unserved');
const SUPABASE = 'write it with base44.supabase';
const internal = (name) => typeof name !== 'string' || name === 'then' || name.startsWith('_');
// Any name is an async function: `make(name)`.
const names = (make) => new Proxy(Object.create(null), { get: (_, name) => internal(name) ? undefined : make(name) });
const stubs = (what, instead) => names((name) => async () => { throw unserved(`${what}.${name}`, instead); });
const plain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
const is = (re, c) => c !== undefined && re.test(c);

/** An entity's table: snake_case, not pluralized (RSVP -> rsvp, UserProfile -> user_profile). */
export function tableName(entity) {
  if (Object.prototype.hasOwnProperty.call(TABLES, entity)) return TABLES[entity];
  const chars = [...String(entity)];
  let out = '';
  chars.forEach((c, i) => {
    if (!is(/[\p{Alphabetic}\p{N}]/u, c)) {
      if (!out.endsWith('_')) out += '_';
      return;
    }
    const prev = chars[i - 1];
    if (i > 0 && is(/\p{Uppercase}/u, c) && out && !out.endsWith('_') && (is(/[\p{Lowercase}0-9]/u, prev) ||
      (is(/\p{Uppercase}/u, prev) && is(/\p{Lowercase}/u, chars[i + 1])))) out += '_';
    out += c.toLowerCase();
  });
  return out.replace(/^_+|_+$/g, '') || 'entity';
}

async function run(query) {
  const { data, error, status, count } = await query;
  // PGRST116: get() found no row, where Base44 answers 404.
  if (error) throw new Base44Error(error.message, error.code === 'PGRST116' ? 404 : status, error.code, error);
  return count ?? data;
}

const OPERATORS = { $eq: 'eq', $ne: 'neq', $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte', $in: 'in' };
// A dotted field reads inside a jsonb column: reminder.enabled -> reminder->>enabled.
const column = (field) => field.replace(/\.(?=[^.]*$)/, '->>').replace(/\./g, '->');

// A value matches with eq (null: is, an array: in, a date: its ISO text, an object: as
// jsonb); an object of $-operators compares.
function where(query, match, entity) {
  for (const [field, value] of Object.entries(match || {})) {
    if (field.startsWith('$')) throw unserved(`The Base44 query operator ${field} (${entity})`, SUPABASE);
    const ops = plain(value) && Object.keys(value).some((k) => k.startsWith('$'));
    for (const [op, v] of Object.entries(ops ? value : { $eq: value })) {
      const method = OPERATORS[op];
      const col = column(field);
      if (!method) throw unserved(`The Base44 query operator ${op} (${entity}.${field})`, SUPABASE);
      if (method === 'in' || Array.isArray(v)) query = query.in(col, v);
      else if (v === null) query = method === 'eq' ? query.is(col, null) : query.not(col, 'is', null);
      else query = query[method](col, v instanceof Date ? v.toISOString() : plain(v) ? JSON.stringify(v) : v);
    }
  }
  return query;
}

function read(query, sort, limit, skip) {
  for (const key of String(sort || '').split(',').map((k) => k.trim())) {
    if (key.replace(/^[-+]/, '')) query = query.order(column(key.replace(/^[-+]/, '')), { ascending: key[0] !== '-' });
  }
  limit = Number(limit) || 0;
  skip = Number(skip) || 0;
  if (limit > 0) return run(skip > 0 ? query.range(skip, skip + limit - 1) : query.limit(limit));
  // An offset without a limit: PostgREST's own parameter (supabase-js has no call for it).
  if (skip > 0) query.url.searchParams.set('offset', String(skip));
  return run(query);
}

function entityOf(supabase, name) {
  const from = () => supabase().from(tableName(name));
  const filter = async (match, sort, limit, skip, fields) => {
    if (plain(sort)) throw unserved(`Base44's paged ${name}.list/filter with an options object`, 'pass sort, limit and skip');
    return read(where(from().select(fields ? [].concat(fields).join(',') : '*'), match, name), sort, limit, skip);
  };
  const entity = {
    list: (...args) => filter(null, ...args),
    filter,
    get: async (id) => run(from().select('*').eq('id', id).single()),
    create: async (data) => run(from().insert(data, { defaultToNull: false }).select().single()),
    bulkCreate: async (rows) => run(from().insert(rows, { defaultToNull: false }).select()),
    update: async (id, data) => run(from().update(data).eq('id', id).select().single()),
    delete: async (id) => { await run(from().delete().eq('id', id)); },
    deleteMany: async (match) => {
      if (!Object.keys(match || {}).length) throw new Base44Error(`${name}.deleteMany needs a query: it never deletes every row`, 400, 'liftoff_empty_query');
      await run(where(from().delete(), match, name));
    },
    count: async (match) => run(where(from().select('*', { count: 'exact', head: true }), match, name)),
    subscribe: () => {
      console.warn(`${name}.subscribe: live updates have no equivalent here; see LIFTOFF.md`);
      return () => {};
    },
  };
  const others = stubs(`Base44 ${name}`, SUPABASE);
  return new Proxy(entity, { get: (target, key) => key in target || internal(key) ? target[key] : others[key] });
}

// Metadata first: users may write it, so it never overrides who they are or their role.
function userOf(user) {
  const meta = user.user_metadata || {};
  return {
    ...meta, id: user.id, email: user.email, full_name: meta.full_name ?? meta.name ?? '',
    role: user.app_metadata?.role ?? 'user', created_date: user.created_at, updated_date: user.updated_at,
  };
}

// Supabase Auth's errors as Base44 answers them: wrong credentials 401, an unconfirmed email 403.
const AUTH_STATUS = { invalid_credentials: 401, email_not_confirmed: 403 };
// Base44's reason for a sign-in it refuses, where its login pages read one.
const AUTH_REASON = { email_not_confirmed: 'email_not_verified' };
const authError = (error, status) => {
  const { message = 'Not signed in', code } = error || {};
  const data = { message, detail: message, code, ...(AUTH_REASON[code] && { extra_data: { reason: AUTH_REASON[code] } }) };
  return new Base44Error(message, AUTH_STATUS[code] ?? status ?? error?.status, code, data, error);
};
// Base44's provider names, where Supabase Auth's differ.
const PROVIDERS = { microsoft: 'azure' };

// `token`: the caller's access token, where there is no session (a backend function).
function authOf(supabase, token) {
  const check = ({ data, error }, status) => {
    if (error || !data.user) throw authError(error, status);
    return userOf(data.user);
  };
  // Refresh tokens of the sessions handed out, for setToken (Supabase needs both tokens).
  const refresh = new Map();
  // A sign-in answered as Base44's: { access_token, user }.
  const session = ({ data, error }) => {
    if (error) throw authError(error);
    const { session: s, user } = data;
    if (s) refresh.set(s.access_token, s.refresh_token);
    return { access_token: s?.access_token ?? null, user: user && userOf(user) };
  };
  const sent = ({ error }) => {
    if (error) throw authError(error);
    return {};
  };
  const here = () => (typeof window === 'undefined' ? undefined : window.location);
  // Supabase Auth's OAuth sign-in (in a browser it leaves the page), back to `next`.
  const oauth = async (provider, next) => {
    if (provider === 'sso') throw unserved('Base44 auth.loginWithProvider("sso")', 'use signInWithSSO through base44.supabase.auth');
    const at = here();
    const redirectTo = at ? new URL(next || at.href, at.origin).href : next;
    const { data, error } = await supabase().auth.signInWithOAuth({ provider: PROVIDERS[provider] ?? provider, options: { redirectTo } });
    if (error) throw authError(error);
    return data;
  };
  const auth = {
    me: async () => check(await supabase().auth.getUser(token), 401),
    updateMe: async (data) => check(await supabase().auth.updateUser({ data })),
    isAuthenticated: () => auth.me().then(() => true, () => false),
    async logout(redirectUrl) {
      await supabase().auth.signOut();
      if (typeof window !== 'undefined') redirectUrl ? window.location.assign(redirectUrl) : window.location.reload();
    },
    async redirectToLogin(nextUrl) {
      const at = here();
      if (!LOGIN_PATH || !at) return oauth(LOGIN_PROVIDER, nextUrl);
      const login = new URL(LOGIN_PATH, at.origin);
      login.searchParams.set('from_url', new URL(nextUrl || at.href, at.origin).href);
      at.assign(login.href);
    },
    loginWithProvider: (provider, fromUrl) => oauth(provider || 'google', fromUrl || '/'),
    loginViaEmailPassword: async (email, password, turnstileToken) =>
      session(await supabase().auth.signInWithPassword({ email, password, options: { captchaToken: turnstileToken } })),
    // Other fields go to user_metadata, where me() reads them.
    async register({ email, password, turnstile_token: captchaToken, ...data } = {}) {
      const answer = await supabase().auth.signUp({ email, password, options: { data, captchaToken } });
      // An address already signed up answers a user with no identities (Supabase hides it; Base44 says so).
      if (answer.data?.user?.identities?.length === 0) {
        throw authError({ message: 'User already registered', code: 'user_already_exists', status: 422 });
      }
      return session(answer);
    },
    // The code emailed after register (Supabase's signup email shows it with {{ .Token }}).
    verifyOtp: async ({ email, otpCode } = {}) =>
      session(await supabase().auth.verifyOtp({ email, token: otpCode, type: 'email' })),
    resendOtp: async (email) => sent(await supabase().auth.resend({ type: 'signup', email })),
    resetPasswordRequest: async (email) =>
      sent(await supabase().auth.resetPasswordForEmail(email, { redirectTo: here() && new URL(RESET_PATH, here().origin).href })),
    // The reset link's token (the email's {{ .TokenHash }}) signs in for recovery; without
    // one, the session the link's redirect left.
    async resetPassword({ resetToken, newPassword } = {}) {
      if (resetToken) session(await supabase().auth.verifyOtp({ token_hash: resetToken, type: 'recovery' }));
      return check(await supabase().auth.updateUser({ password: newPassword }));
    },
    // Base44's setToken is synchronous; this one settles once Supabase Auth has the session.
    async setToken(token) {
      if (!token) return;
      const { data } = await supabase().auth.getSession();
      if (data.session?.access_token === token) return;
      const { error } = await supabase().auth.setSession({ access_token: token, refresh_token: refresh.get(token) });
      if (error) console.warn(`setToken: ${error.message}; Supabase Auth needs a token from a sign-in here (see LIFTOFF.md)`);
    },
  };
  const others = stubs('Base44 auth', 'use Supabase Auth through base44.supabase.auth');
  return new Proxy(auth, { get: (target, key) => key in target || internal(key) ? target[key] : others[key] });
}

// An Edge Function's error answer ({error, code, variable}), or its gateway's, as Base44's error.
async function functionError(error, what) {
  const response = error?.context;
  let body = {};
  if (response && typeof response.json === 'function') body = await response.clone().json().catch(() => ({}));
  // The function's own `{error, code}`, or the gateway's `{code: 401, message}` (a missing or
  // bad token, before the function runs).
  const message = body.error || body.message || error?.message || `${what} failed`;
  const code = typeof body.code === 'string' ? body.code : 'function_error';
  return new Base44Error(message, response?.status ?? 500, code, body, error);
}

async function invoke(supabase, name, body) {
  const { data, error } = await supabase().functions.invoke(name, { body: body ?? {} });
  if (error) throw await functionError(error, `The Edge Function ${name}`);
  return data;
}

// Where a file goes: under the signed-in user's folder (the buckets' policies check it).
async function upload(supabase, bucket, file) {
  if (!file || typeof file.arrayBuffer !== 'function') throw new Base44Error('UploadFile needs { file } (a File or Blob)', 400, 'invalid_file');
  const { data } = await supabase().auth.getSession();
  const owner = data.session?.user?.id ?? 'anonymous';
  const name = String(file.name || 'file').replace(/[^\w.-]+/g, '_').slice(-100);
  const path = `${owner}/${globalThis.crypto.randomUUID()}-${name}`;
  const { error } = await supabase().storage.from(bucket).upload(path, file, { contentType: file.type || undefined });
  if (error) throw new Base44Error(error.message, Number(error.statusCode ?? error.status) || 400, 'storage_error', error);
  return path;
}

// Base44's Core integrations: files on Supabase Storage, the rest through the base44-core
// Edge Function (supabase/functions/base44-core, which calls the providers you choose).
function coreOf(supabase) {
  const core = {
    async UploadFile({ file } = {}) {
      const path = await upload(supabase, FILES, file);
      return { file_url: supabase().storage.from(FILES).getPublicUrl(path).data.publicUrl };
    },
    async UploadPrivateFile({ file } = {}) {
      return { file_uri: `${PRIVATE_FILES}/${await upload(supabase, PRIVATE_FILES, file)}` };
    },
    async CreateFileSignedUrl({ file_uri, expires_in = 300 } = {}) {
      const [bucket, ...rest] = String(file_uri || '').split('/');
      const { data, error } = await supabase().storage.from(bucket).createSignedUrl(rest.join('/'), expires_in);
      if (error) throw new Base44Error(error.message, Number(error.statusCode ?? error.status) || 400, 'storage_error', error);
      return { signed_url: data.signedUrl };
    },
  };
  for (const name of ['InvokeLLM', 'GenerateImage', 'SendEmail', 'SendSMS', 'ExtractDataFromUploadedFile']) {
    core[name] = (params) => invoke(supabase, CORE_FUNCTION, { integration: name, params: params ?? {} });
  }
  const others = stubs('Base44 integration Core', 'replace it with your own API call');
  return new Proxy(core, { get: (target, key) => key in target || internal(key) ? target[key] : others[key] });
}

/**
 * The client: `url` and `key` of a Supabase project, `options` for supabase-js's createClient,
 * `token` the caller's access token where there is no session (a backend function).
 */
export function createBase44Client({ url, key, options, token } = {}) {
  let client;
  const supabase = () => {
    if (!url || !key) {
      throw new Base44Error('VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY are not set: see .env.example', 500, 'liftoff_not_configured');
    }
    return client || (client = createSupabaseClient(url, key, options));
  };
  const entities = Object.create(null);
  let core;
  // Base44's page-visit log and analytics: nothing to send them to.
  const nothing = names(() => async () => {});
  const known = {
    entities: names((name) => entities[name] || (entities[name] = entityOf(supabase, name))),
    auth: authOf(supabase, token),
    integrations: names((pkg) => pkg === 'Core' ? (core ??= coreOf(supabase)) : stubs(`Base44 integration ${pkg}`, 'replace it with your own API call')),
    // As Base44 answers it (an axios response): { data, status, headers }.
    functions: {
      invoke: async (name, payload) => ({ data: await invoke(supabase, Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : name, payload), status: 200, headers: {} }),
    },
    appLogs: nothing,
    analytics: nothing,
    get supabase() {
      return supabase();
    },
  };
  return new Proxy(known, {
    get: (target, key) => key in target || internal(key) ? target[key] : stubs(`Base44 ${key}`, 'replace it with your own code'),
  });
}
