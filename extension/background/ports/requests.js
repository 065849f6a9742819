// The popup's requests (protocol.js: PushRequest, DeployRequest, DatabaseRequest, RollbackRequest)
// with the expected fields and types only, cut to length: the worker trusts nothing a page sends.
import { PROVIDER_NAMES } from '../wording/messages.js';

const PROVIDERS = new Set(Object.keys(PROVIDER_NAMES));
const text = (value, max) => (typeof value === 'string' ? value.trim().slice(0, max) : '');

/**
 * A push request: {repository, create, private, branch, message, key}. An empty branch or
 * message means the repository's default branch and the core's default message.
 */
export function pushRequestFrom(message) {
  return {
    repository: text(message?.repository, 201),
    create: message?.create === true,
    private: message?.private !== false,
    branch: text(message?.branch, 250),
    message: typeof message?.message === 'string' ? message.message.slice(0, 10_000) : '',
    key: text(message?.key, 260) || null,
  };
}

/**
 * A deploy or rollback request: {provider, project, deployment} (deployment: for a rollback, the
 * id to put back). Null when the provider is not one Liftoff deploys to. Never an API origin:
 * the core uses the providers' own.
 */
export function deployRequestFrom(message) {
  const provider = PROVIDERS.has(message?.provider) ? message.provider : null;
  if (!provider) return null;
  return { provider, project: text(message.project, 100), deployment: text(message.deployment, 200) || null };
}

/** A database request: {ref, key}. */
export function databaseRequestFrom(message) {
  return { ref: text(message?.ref, 100), key: text(message?.key, 260) || null };
}
