// The Supabase project each project's database was last put in, so that the popup offers it
// again. Kept in chrome.storage.local under `supabaseProjects`:
// {"<builder>:<project id>": {ref: "<20 lower-case letters and digits>", at: epoch ms}}, at most
// 100 projects (per-project.js). No token.
import { SUPABASE_REF } from '../../shared/core-rules.js';
import { perProjectStore } from './per-project.js';

const store = perProjectStore('supabaseProjects', 100);

/** The ref last used for projectKey, or null. */
export async function lastSupabaseRef(projectKey) {
  const ref = (await store.read(projectKey))?.ref;
  return SUPABASE_REF.test(ref ?? '') ? ref : null;
}

/** Records that projectKey's database went to the Supabase project ref. */
export async function rememberSupabaseRef(projectKey, ref) {
  if (!SUPABASE_REF.test(String(ref ?? ''))) return;
  await store.write(projectKey, { ref });
}
