// The repository (and branch, when one was named, and whether the push opened a pull request)
// each project was last pushed to, so that the popup offers it again. Kept in
// chrome.storage.local under `githubRepositories`: {"<builder>:<project id>": {repository:
// "owner/name", branch?: "name", pr?: true, at: epoch ms}}, at most 100 projects
// (per-project.js); a record without `pr` (from before pull requests) means none. No token. A
// repository is kept and offered only when the core accepts it (its name check for GitHub).
import { nameProblem } from '../core/wasm.js';
import { perProjectStore } from './per-project.js';

const store = perProjectStore('githubRepositories', 100);

const isRepository = async (value) => typeof value === 'string' && (await nameProblem('github', value)) === null;

/**
 * {repository, branch, pr} last pushed for projectKey (branch: null for the default one; pr: a
 * pull request was opened from it), or null.
 */
export async function lastRepository(projectKey) {
  const entry = await store.read(projectKey);
  if (!entry || !(await isRepository(entry.repository))) return null;
  return { repository: entry.repository, branch: typeof entry.branch === 'string' ? entry.branch : null, pr: entry.pr === true };
}

/**
 * Records a successful push of projectKey to repository (branch: the one the user named, or
 * null; pr: true when it opened or updated a pull request).
 */
export async function rememberRepository(projectKey, repository, branch, pr = false) {
  if (!(await isRepository(repository))) return;
  await store.write(projectKey, { repository, ...(branch ? { branch: String(branch).slice(0, 250) } : {}), ...(pr === true ? { pr: true } : {}) });
}
