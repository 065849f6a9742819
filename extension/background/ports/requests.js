// The popup's requests (protocol.js: PushRequest, DeployRequest, DatabaseRequest, RollbackRequest,
// CheckNameRequest) with the expected fields and types only, cut to length: the worker trusts
// nothing a page sends. Names are cut well beyond what any destination accepts, so that the
// core's name check still sees a name that is too long.
import { destinationOf } from '../core/catalog.js';

const NAME_MAX = 300;
const text = (value, max) => (typeof value === 'string' ? value.trim().slice(0, max) : '');

/**
 * A push or review request: {forge, repository, create, private, branch, message, key, pr,
 * review, aws} (forge: the target's id, store/forge-hosts.js; GitHub's when none is given; aws:
 * the route that adds the deploy workflow, or null). An
 * empty branch means the repository's default branch; the message is the one the popup showed
 * (empty: the core's fallback); pr: open or update the branch's pull request; review: the id of
 * the review whose export a push sends (a positive integer), or null.
 */
export function pushRequestFrom(message) {
  return {
    forge: text(message?.forge, 2100) || 'github',
    repository: text(message?.repository, NAME_MAX),
    create: message?.create === true,
    private: message?.private !== false,
    branch: text(message?.branch, 250),
    message: typeof message?.message === 'string' ? message.message.slice(0, 10_000) : '',
    key: text(message?.key, 260) || null,
    pr: message?.pr === true,
    review: Number.isSafeInteger(message?.review) && message.review > 0 ? message.review : null,
    aws: awsRouteFrom(message?.aws),
  };
}

/**
 * The AWS route of a push (the export goes with the GitHub Actions workflow that deploys it):
 * {bucket, region, role, distribution, prefix} as text, cut; null when not asked. The core checks
 * every value before it goes into the workflow.
 */
function awsRouteFrom(aws) {
  if (!aws || typeof aws !== 'object' || Array.isArray(aws)) return null;
  return {
    bucket: text(aws.bucket, 100),
    region: text(aws.region, 40),
    role: text(aws.role, 600),
    distribution: text(aws.distribution, 40),
    prefix: text(aws.prefix, 200),
  };
}

/** A diff request: {review, path} (path as the review listed it, cut), or null without a review id. */
export function diffRequestFrom(message) {
  if (!Number.isSafeInteger(message?.review) || message.review <= 0) return null;
  return { review: message.review, path: typeof message.path === 'string' ? message.path.slice(0, 4096) : '' };
}

/**
 * A deploy, rollback or promote request: {provider, project, deployment, preview, key}
 * (deployment: for a rollback or a promotion, the id to make production; preview: deploy beside
 * production; key: the project's, to remember that choice). Null when the provider is not a
 * hosting destination of the core's catalog. Never an API origin: the core uses the
 * destinations' own.
 */
export async function deployRequestFrom(message) {
  const provider = typeof message?.provider === 'string' ? message.provider : null;
  if (!provider || !(await destinationOf(provider, 'hosting'))) return null;
  return {
    provider,
    project: text(message.project, NAME_MAX),
    deployment: text(message.deployment, 200) || null,
    preview: message.preview === true,
    key: text(message.key, 260) || null,
  };
}

/** A database request: {ref, key}. */
export function databaseRequestFrom(message) {
  return { ref: text(message?.ref, NAME_MAX), key: text(message?.key, 260) || null };
}

/**
 * A name check: {id, destination, name} (id: the popup's, to match the answer; the name as
 * typed, cut). Null without an integer id.
 */
export function nameCheckFrom(message) {
  if (!Number.isInteger(message?.id)) return null;
  return { id: message.id, destination: text(message.destination, 100), name: text(message.name, NAME_MAX) };
}
