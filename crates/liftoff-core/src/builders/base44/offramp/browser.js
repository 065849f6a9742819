// liftoff: base44 off-ramp. Liftoff wrote this in place of the Base44 SDK client: the same
// `base44` object, backed by your own Supabase through @supabase/supabase-js (set
// VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY). LIFTOFF.md says what it serves. It is yours:
// later exports leave it alone.
//@liftoff-client

const env = import.meta.env || {};

export const base44 = createBase44Client({ url: env.VITE_SUPABASE_URL, key: env.VITE_SUPABASE_ANON_KEY });
const { auth } = base44;

// Base44's setToken keeps the token where the app's own code looks (the template's app
// parameters read `base44_access_token`): kept in step with the Supabase session here.
if (typeof window !== 'undefined' && env.VITE_SUPABASE_URL && env.VITE_SUPABASE_ANON_KEY) {
  base44.supabase.auth.onAuthStateChange((_event, session) => {
    try {
      for (const key of ['base44_access_token', 'token']) {
        if (session) window.localStorage.setItem(key, session.access_token);
        else window.localStorage.removeItem(key);
      }
    } catch {
      // No storage (a private window): the session itself is kept by Supabase.
    }
  });
}

// The app's own sign-in and reset pages stay open to visitors who are not signed in.
const onAuthPage = () => typeof window !== 'undefined' &&
  [LOGIN_PATH, RESET_PATH].some((path) => path && window.location.pathname.toLowerCase() === path.toLowerCase());

if (REQUIRES_AUTH && typeof window !== 'undefined' && !onAuthPage()) {
  setTimeout(async () => {
    if (!(await auth.isAuthenticated())) auth.redirectToLogin(window.location.href).catch(console.error);
  }, 0);
}

/**
 * What the Base44 template reads through the SDK's `createAxiosClient` (its import of the
 * SDK's `dist/utils/axios-client` now comes here): the app's public settings, answered
 * from this module (`requires_auth` from the original client), with Base44's 403 `auth_required`
 * when the app wants a signed-in user and there is none. Any other request says it is not served.
 */
export function createAxiosClient() {
  const get = async (url) => {
    const id = /\/public-settings\/by-id\/([^/?#]+)/.exec(String(url))?.[1];
    if (!id) throw unserved(`The Base44 API request ${url}`, 'call your own API');
    if (REQUIRES_AUTH && !onAuthPage() && !(await auth.isAuthenticated())) {
      const message = 'You must be logged in to access this app';
      throw new Base44Error(message, 403, 'auth_required', { message, extra_data: { reason: 'auth_required' } });
    }
    return { id: decodeURIComponent(id), public_settings: { requires_auth: REQUIRES_AUTH } };
  };
  const refuse = async (url) => { throw unserved(`The Base44 API request ${url}`, 'call your own API'); };
  return { get, post: refuse, put: refuse, patch: refuse, delete: refuse, interceptors: { request: { use() {} }, response: { use() {} } } };
}
