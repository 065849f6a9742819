// liftoff: base44 off-ramp. Liftoff wrote this in place of the Base44 SDK client: the same
// `base44` object, backed by your own Supabase through @supabase/supabase-js (set
// VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY). LIFTOFF.md says what it serves. It is yours:
// later exports leave it alone.
import { createClient } from '@supabase/supabase-js';

// Entity -> table, as in supabase/migrations/*_liftoff_base44_entities.sql.
const TABLES = __LIFTOFF_TABLES__;
// The original client asked for a signed-in user first.
const REQUIRES_AUTH = __LIFTOFF_REQUIRES_AUTH__;
// The Supabase Auth provider redirectToLogin() uses (enable it in the Supabase dashboard).
const LOGIN_PROVIDER = 'google';
// The app's page for a new password: the reset email links there (see LIFTOFF.md).
const RESET_PATH = '/reset-password';

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
const authError = (error, status) => {
  const { message = 'Not signed in', code } = error || {};
  return new Base44Error(message, AUTH_STATUS[code] ?? status ?? error?.status, code, { message, detail: message, code }, error);
};
// Base44's provider names, where Supabase Auth's differ.
const PROVIDERS = { microsoft: 'azure' };

function authOf(supabase) {
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
    me: async () => check(await supabase().auth.getUser(), 401),
    updateMe: async (data) => check(await supabase().auth.updateUser({ data })),
    isAuthenticated: () => auth.me().then(() => true, () => false),
    async logout(redirectUrl) {
      await supabase().auth.signOut();
      if (typeof window !== 'undefined') redirectUrl ? window.location.assign(redirectUrl) : window.location.reload();
    },
    redirectToLogin: (nextUrl) => oauth(LOGIN_PROVIDER, nextUrl),
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

/** The client: `url` and `key` of a Supabase project, `options` for supabase-js's createClient. */
export function createBase44Client({ url, key, options } = {}) {
  let client;
  const supabase = () => {
    if (!url || !key) {
      throw new Base44Error('VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY are not set: see .env.example', 500, 'liftoff_not_configured');
    }
    return client || (client = createClient(url, key, options));
  };
  const entities = Object.create(null);
  // Base44's page-visit log and analytics: nothing to send them to.
  const nothing = names(() => async () => {});
  const known = {
    entities: names((name) => entities[name] || (entities[name] = entityOf(supabase, name))),
    auth: authOf(supabase),
    integrations: names((pkg) => stubs(`Base44 integration ${pkg}`, 'replace it with your own API call')),
    functions: {
      invoke: async (name) => {
        throw unserved(`Base44 backend function ${name}`, 'port it to your own server or a Supabase Edge Function and call that');
      },
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

const env = import.meta.env || {};

export const base44 = createBase44Client({ url: env.VITE_SUPABASE_URL, key: env.VITE_SUPABASE_ANON_KEY });

if (REQUIRES_AUTH && typeof window !== 'undefined') {
  const { auth } = base44;
  setTimeout(async () => {
    if (!(await auth.isAuthenticated())) auth.redirectToLogin(window.location.href).catch(console.error);
  }, 0);
}
