// @ts-nocheck
// (Not type-checked: the same JavaScript as the app's src/api/base44Client.js.)
// liftoff: base44 off-ramp for backend functions. Liftoff wrote this in place of
// Base44's SDK from npm: `createClientFromRequest(req)` answers the same `base44` object, on your own
// Supabase (the caller's token for `base44.…`, the service role key for `base44.asServiceRole.…`).
// Supabase gives every Edge Function SUPABASE_URL, SUPABASE_ANON_KEY and
// SUPABASE_SERVICE_ROLE_KEY. LIFTOFF.md says what it serves. It is yours: edit it freely.
//@liftoff-client

const envOf = (name) => Deno.env.get(name);
const stateless = { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false };

/** `base44` for a request: as its caller (their token), and `asServiceRole` past row-level security. */
export function createClientFromRequest(req: Request): any {
  const authorization = req.headers.get('Authorization') ?? '';
  const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
  const caller = createBase44Client({
    url: envOf('SUPABASE_URL'),
    key: envOf('SUPABASE_ANON_KEY'),
    token,
    options: { auth: stateless, global: { headers: token ? { Authorization: `Bearer ${token}` } : {} } },
  });
  let service;
  const asServiceRole = () => service ??= serviceClient();
  return new Proxy(caller, { get: (target, key) => (key === 'asServiceRole' ? asServiceRole() : target[key]) });
}

/** `base44` with the service role key: what `asServiceRole` reaches. */
function serviceClient(): any {
  const client = createBase44Client({ url: envOf('SUPABASE_URL'), key: envOf('SUPABASE_SERVICE_ROLE_KEY'), options: { auth: stateless } });
  const connectors = {
    getAccessToken: async (provider) => {
      throw unserved(`The Base44 connector ${provider} (its OAuth token stayed on Base44)`, `keep the ${provider} OAuth token yourself (a Supabase secret or a table) and read it here`);
    },
  };
  return new Proxy(client, { get: (target, key) => (key === 'connectors' ? connectors : target[key]) });
}

/** `createClient(…)` of the SDK, in a backend function: the project as the anon role. */
export function createClient(): any {
  return createBase44Client({ url: envOf('SUPABASE_URL'), key: envOf('SUPABASE_ANON_KEY'), options: { auth: stateless } });
}

// Browsers call these functions from the app's own origin: every function answers CORS
// preflights and carries the headers (set ALLOWED_ORIGIN to narrow them to your site).
const CORS = {
  'Access-Control-Allow-Origin': envOf('ALLOWED_ORIGIN') || '*',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
};
const withCors = (handler) => async (req, info) => {
  if (req.method === 'OPTIONS') return new Response('ok', { headers: CORS });
  const res = await handler(req, info);
  const headers = new Headers(res.headers);
  for (const [k, v] of Object.entries(CORS)) if (!headers.has(k)) headers.set(k, v);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
};
const serve = Deno.serve.bind(Deno);
Deno.serve = (...args) => {
  const i = args.findIndex((a) => typeof a === 'function');
  if (i >= 0) args[i] = withCors(args[i]);
  else if (args[0] && typeof args[0].handler === 'function') args[0] = { ...args[0], handler: withCors(args[0].handler) };
  return serve(...args);
};
