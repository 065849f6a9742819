// A record per project in chrome.storage.local under one key, {"<builder>:<chat or project id>":
// {…, at: epoch ms}}, the most recently written kept (the oldest go first). Used for what the
// popup offers again: the repository last pushed to (recent-repos.js), the Supabase project last
// used (supabase-refs.js). Only the service worker reads and writes them; nothing read from a
// page but the project's id goes in.

/** What a project key looks like: the builder, then its chat or project id (no control characters). */
// eslint-disable-next-line no-control-regex -- the control characters are what it refuses
const PROJECT_KEY = /^(bolt|lovable|base44):[^\u0000-\u001f]{1,200}$/;

/**
 * The store under storageKey, keeping at most maxProjects records: {read(projectKey) → record or
 * null, write(projectKey, record)}. A key of another shape reads null and writes nothing.
 */
export function perProjectStore(storageKey, maxProjects) {
  const isKey = (projectKey) => PROJECT_KEY.test(String(projectKey ?? ''));

  async function readAll() {
    const { [storageKey]: stored } = await chrome.storage.local.get(storageKey);
    return stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
  }

  return {
    async read(projectKey) {
      if (!isKey(projectKey)) return null;
      return (await readAll())[projectKey] ?? null;
    },
    async write(projectKey, record) {
      if (!isKey(projectKey)) return;
      const all = await readAll();
      all[projectKey] = { ...record, at: Date.now() };
      const keys = Object.keys(all).sort((a, b) => (all[b]?.at ?? 0) - (all[a]?.at ?? 0));
      for (const old of keys.slice(maxProjects)) delete all[old];
      await chrome.storage.local.set({ [storageKey]: all });
    },
  };
}
