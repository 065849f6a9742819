// The repository (and branch, when one was named) each project was last pushed to, so that the
// popup offers it again. Kept in chrome.storage.local under one key, `githubRepositories`:
// {"<builder>:<project id>": {repository: "owner/name", branch?: "name", at: epoch ms}}. No
// token, nothing read from a page but the project's id. Only the service worker reads and
// writes it.
const KEY = 'githubRepositories';
const MAX_PROJECTS = 100; // the oldest go first

const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const PROJECT_KEY = /^(bolt|lovable|base44):[^\u0000-\u001f]{1,200}$/;

async function readAll() {
  const { [KEY]: stored } = await chrome.storage.local.get(KEY);
  return stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
}

/** {repository, branch} last pushed for projectKey, or null. */
export async function lastRepository(projectKey) {
  if (!PROJECT_KEY.test(String(projectKey ?? ''))) return null;
  const entry = (await readAll())[projectKey];
  if (!entry || !REPOSITORY.test(entry.repository ?? '')) return null;
  return { repository: entry.repository, branch: typeof entry.branch === 'string' ? entry.branch : null };
}

/** Records a successful push of projectKey to repository (branch: the one the user named, or null). */
export async function rememberRepository(projectKey, repository, branch) {
  if (!PROJECT_KEY.test(String(projectKey ?? '')) || !REPOSITORY.test(String(repository ?? ''))) return;
  const all = await readAll();
  all[projectKey] = { repository, ...(branch ? { branch: String(branch).slice(0, 250) } : {}), at: Date.now() };
  const keys = Object.keys(all).sort((a, b) => (all[b]?.at ?? 0) - (all[a]?.at ?? 0));
  for (const old of keys.slice(MAX_PROJECTS)) delete all[old];
  await chrome.storage.local.set({ [KEY]: all });
}
