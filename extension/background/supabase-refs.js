// The Supabase project each project's database was last put in, so that the popup offers it
// again. Kept in chrome.storage.local under one key, `supabaseProjects`:
// {"<builder>:<project id>": {ref: "<20 lower-case letters and digits>", at: epoch ms}}. No
// token, nothing read from a page but the project's id. Only the service worker reads and
// writes it.
const KEY = 'supabaseProjects';
const MAX_PROJECTS = 100; // the oldest go first

/** A Supabase project ref, as the subdomain of <ref>.supabase.co: 20 lower-case letters and digits. */
export const SUPABASE_REF = /^[a-z0-9]{20}$/;
const PROJECT_KEY = /^(bolt|lovable|base44):[^\u0000-\u001f]{1,200}$/;

async function readAll() {
  const { [KEY]: stored } = await chrome.storage.local.get(KEY);
  return stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
}

/** The ref last used for projectKey, or null. */
export async function lastSupabaseRef(projectKey) {
  if (!PROJECT_KEY.test(String(projectKey ?? ''))) return null;
  const ref = (await readAll())[projectKey]?.ref;
  return SUPABASE_REF.test(ref ?? '') ? ref : null;
}

/** Records that projectKey's database went to the Supabase project ref. */
export async function rememberSupabaseRef(projectKey, ref) {
  if (!PROJECT_KEY.test(String(projectKey ?? '')) || !SUPABASE_REF.test(String(ref ?? ''))) return;
  const all = await readAll();
  all[projectKey] = { ref, at: Date.now() };
  const keys = Object.keys(all).sort((a, b) => (all[b]?.at ?? 0) - (all[a]?.at ?? 0));
  for (const old of keys.slice(MAX_PROJECTS)) delete all[old];
  await chrome.storage.local.set({ [KEY]: all });
}
