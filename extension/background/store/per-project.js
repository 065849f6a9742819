// A record per project in chrome.storage.local under one key, {"<builder>:<chat or project id>":
// {…, at: epoch ms}}, the most recently written kept (the oldest go first). Used for what the
// popup offers again: the repository last pushed to (recent-repos.js), the Supabase project last
// used (supabase-refs.js). Only the service worker reads and writes them; nothing read from a
// page but the project's id goes in.
import { builderOf } from '../core/catalog.js';

/** A project's own id, after its builder's: 1 to 200 characters, no control characters. */
// eslint-disable-next-line no-control-regex -- the control characters are what it refuses
const PROJECT_ID = /^[^\u0000-\u001f]{1,200}$/;

/** Whether projectKey looks like '<a builder of the catalog>:<chat or project id>'. */
async function isKey(projectKey) {
  if (typeof projectKey !== 'string') return false;
  const colon = projectKey.indexOf(':');
  return colon > 0 && PROJECT_ID.test(projectKey.slice(colon + 1)) && (await builderOf(projectKey.slice(0, colon))) !== null;
}

/**
 * The store under storageKey, keeping at most maxProjects records: {read(projectKey) → record or
 * null, write(projectKey, record)}. A key of another shape reads null and writes nothing.
 */
export function perProjectStore(storageKey, maxProjects) {
  async function readAll() {
    const { [storageKey]: stored } = await chrome.storage.local.get(storageKey);
    return stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
  }

  return {
    async read(projectKey) {
      if (!(await isKey(projectKey))) return null;
      return (await readAll())[projectKey] ?? null;
    },
    async write(projectKey, record) {
      if (!(await isKey(projectKey))) return;
      const all = await readAll();
      all[projectKey] = { ...record, at: Date.now() };
      const keys = Object.keys(all).sort((a, b) => (all[b]?.at ?? 0) - (all[a]?.at ?? 0));
      for (const old of keys.slice(maxProjects)) delete all[old];
      await chrome.storage.local.set({ [storageKey]: all });
    },
  };
}
