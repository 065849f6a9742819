// The repository (and branch, when one was named, and whether the push opened a pull request,
// and on which forge) each project was last pushed to, so that the popup offers it again. Kept
// in chrome.storage.local under `githubRepositories` (its name from before other forges):
// {"<builder>:<project id>": {repository: "owner/name", forge?: "<target id>", branch?: "name",
// pr?: true, aws?: {bucket, region, role, distribution?, prefix?}, at: epoch ms}}, at most 100
// projects (per-project.js); a record without `forge` is GitHub's, one without `pr` (from before
// pull requests) means none; `aws`: the AWS route the push went with (GitHub's Actions deploy
// it), offered again. No token, no key (the route names an IAM role, never a secret). A
// repository is kept and offered only when the core accepts it (its name check for that forge).
import { nameProblem } from '../core/wasm.js';
import { perProjectStore } from './per-project.js';

const store = perProjectStore('githubRepositories', 100);

const GITHUB = 'github';
/** The catalog id of a target id ('gitlab@https://git.example.com' → 'gitlab'). */
const forgeOf = (target) => target.split('@')[0];

const isRepository = async (value, target) =>
  typeof value === 'string' && typeof target === 'string' && (await nameProblem(forgeOf(target), value).catch(() => 'unknown')) === null;

// The AWS route's fields and how long each may be (as the worker cuts a push request's).
const AWS_FIELDS = { bucket: 100, region: 40, role: 600, distribution: 40, prefix: 200 };

/** An AWS route with its text fields only, cut; null without a bucket and a role. */
function awsRouteOf(aws) {
  if (!aws || typeof aws !== 'object' || Array.isArray(aws)) return null;
  const route = {};
  for (const [field, max] of Object.entries(AWS_FIELDS)) {
    if (typeof aws[field] === 'string' && aws[field]) route[field] = aws[field].slice(0, max);
  }
  return route.bucket && route.role ? route : null;
}

/**
 * {repository, forge, branch, pr, aws} last pushed for projectKey (forge: the target's id;
 * branch: null for the default one; pr: a pull request was opened from it; aws: the AWS route
 * it went with, or null), or null.
 */
export async function lastRepository(projectKey) {
  const entry = await store.read(projectKey);
  const forge = typeof entry?.forge === 'string' ? entry.forge : GITHUB;
  if (!entry || !(await isRepository(entry.repository, forge))) return null;
  return {
    repository: entry.repository,
    forge,
    branch: typeof entry.branch === 'string' ? entry.branch : null,
    pr: entry.pr === true,
    aws: forge === GITHUB ? awsRouteOf(entry.aws) : null,
  };
}

/**
 * Records a successful push of projectKey to repository on forge (a target id; branch: the one
 * the user named, or null; pr: true when it opened or updated a pull request; aws: the AWS route
 * it went with, GitHub only, or null).
 */
export async function rememberRepository(projectKey, repository, branch, pr = false, forge = GITHUB, aws = null) {
  if (!(await isRepository(repository, forge))) return;
  const route = forge === GITHUB ? awsRouteOf(aws) : null;
  await store.write(projectKey, {
    repository,
    ...(forge !== GITHUB ? { forge: String(forge).slice(0, 2100) } : {}),
    ...(branch ? { branch: String(branch).slice(0, 250) } : {}),
    ...(pr === true ? { pr: true } : {}),
    ...(route ? { aws: route } : {}),
  });
}
