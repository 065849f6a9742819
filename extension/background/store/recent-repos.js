// The repository (and branch, when one was named) each project was last pushed to, so that the
// popup offers it again. Kept in chrome.storage.local under `githubRepositories`:
// {"<builder>:<project id>": {repository: "owner/name", branch?: "name", at: epoch ms}}, at most
// 100 projects (per-project.js). No token.
import { REMEMBERED_REPOSITORY } from '../../shared/core-rules.js';
import { perProjectStore } from './per-project.js';

const store = perProjectStore('githubRepositories', 100);

/** {repository, branch} last pushed for projectKey (branch: null for the default one), or null. */
export async function lastRepository(projectKey) {
  const entry = await store.read(projectKey);
  if (!entry || !REMEMBERED_REPOSITORY.test(entry.repository ?? '')) return null;
  return { repository: entry.repository, branch: typeof entry.branch === 'string' ? entry.branch : null };
}

/** Records a successful push of projectKey to repository (branch: the one the user named, or null). */
export async function rememberRepository(projectKey, repository, branch) {
  if (!REMEMBERED_REPOSITORY.test(String(repository ?? ''))) return;
  await store.write(projectKey, { repository, ...(branch ? { branch: String(branch).slice(0, 250) } : {}) });
}
