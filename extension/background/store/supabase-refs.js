// The Supabase project each project's database was last put in, so that the popup offers it
// again. Kept in chrome.storage.local under `supabaseProjects`:
// {"<builder>:<project id>": {ref: "<the project's ref>", at: epoch ms}}, at most 100 projects
// (per-project.js). No token. A ref is kept and offered only when the core accepts it (its name
// check for Supabase).
import { nameProblem } from '../core/wasm.js';
import { perProjectStore } from './per-project.js';

const store = perProjectStore('supabaseProjects', 100);

const isRef = async (value) => typeof value === 'string' && (await nameProblem('supabase', value)) === null;

/** The ref last used for projectKey, or null. */
export async function lastSupabaseRef(projectKey) {
  const ref = (await store.read(projectKey))?.ref;
  return (await isRef(ref)) ? ref : null;
}

/** Records that projectKey's database went to the Supabase project ref. */
export async function rememberSupabaseRef(projectKey, ref) {
  if (!(await isRef(ref))) return;
  await store.write(projectKey, { ref });
}
