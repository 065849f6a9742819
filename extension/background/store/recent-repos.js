// The repository (and branch, when one was named, and whether the push opened a pull request,
// and on which forge) each project was last pushed to, so that the popup offers it again. Kept
// in chrome.storage.local under `githubRepositories` (its name from before other forges):
// {"<builder>:<project id>": {repository: "owner/name", forge?: "<target id>", branch?: "name",
// pr?: true, at: epoch ms}}, at most 100 projects (per-project.js); a record without `forge` is
// GitHub's, one without `pr` (from before pull requests) means none. No token. A repository is
// kept and offered only when the core accepts it (its name check for that forge).
import { nameProblem } from '../core/wasm.js';
import { perProjectStore } from './per-project.js';

const store = perProjectStore('githubRepositories', 100);

const GITHUB = 'github';
/** The catalog id of a target id ('gitlab@https://git.example.com' → 'gitlab'). */
const forgeOf = (target) => target.split('@')[0];

const isRepository = async (value, target) =>
  typeof value === 'string' && typeof target === 'string' && (await nameProblem(forgeOf(target), value).catch(() => 'unknown')) === null;

/**
 * {repository, forge, branch, pr} last pushed for projectKey (forge: the target's id; branch:
 * null for the default one; pr: a pull request was opened from it), or null.
 */
export async function lastRepository(projectKey) {
  const entry = await store.read(projectKey);
  const forge = typeof entry?.forge === 'string' ? entry.forge : GITHUB;
  if (!entry || !(await isRepository(entry.repository, forge))) return null;
  return { repository: entry.repository, forge, branch: typeof entry.branch === 'string' ? entry.branch : null, pr: entry.pr === true };
}

/**
 * Records a successful push of projectKey to repository on forge (a target id; branch: the one
 * the user named, or null; pr: true when it opened or updated a pull request).
 */
export async function rememberRepository(projectKey, repository, branch, pr = false, forge = GITHUB) {
  if (!(await isRepository(repository, forge))) return;
  await store.write(projectKey, {
    repository,
    ...(forge !== GITHUB ? { forge: String(forge).slice(0, 2100) } : {}),
    ...(branch ? { branch: String(branch).slice(0, 250) } : {}),
    ...(pr === true ? { pr: true } : {}),
  });
}
