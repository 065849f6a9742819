// Errors meant for the user: their message is a full sentence the popup shows as is. The core's
// errors carry a stable `code` and the facts a sentence needs as fields (`status`, `deployment`,
// `why`, `detail`, `file`, `statement`, `reset`, `wait`, `applied`); nothing here reads facts
// out of the core's sentences.
import { coreSentence, sentenceForCode, sentenceForDatabaseCode, sentenceForDeployCode, sentenceForPushCode } from './messages.js';

/** An error whose message is a sentence for the user, shown as is; code: the core's, when known. */
export class UserError extends Error {
  name = 'UserError';

  /** code: the core's stable error code this sentence was written for, if any. */
  constructor(message, code) {
    super(message);
    if (code) this.code = code;
  }
}

const codeOf = (error) => (typeof error?.code === 'string' ? error.code : undefined);
const textField = (error, name) => (typeof error?.[name] === 'string' && error[name].trim() ? error[name].trim() : null);
const statusOf = (error) => (Number.isInteger(error?.status) ? error.status : null);
// A plain Error thrown by the wasm (not a TypeError, not a DOMException): written for users.
const plainError = (error) => error instanceof Error && error.name === 'Error' && typeof error.message === 'string' && error.message !== '';

/**
 * A sentence for the popup or the drop page from any error.
 * - UserErrors pass through.
 * - The core's errors carry a stable `code` (bad-token, not-found, too-large, …): worded here for
 *   the builder the export talked to (context.builder: its catalog entry), whatever the core's
 *   own phrasing.
 * - Other plain Errors thrown by the wasm are written for users and pass through.
 * - Anything else becomes a generic sentence with its error name only, so that nothing from the
 *   page leaks into the popup or the logs.
 */
export function sentenceFor(error, fallback, context = {}) {
  if (error instanceof UserError) return error.message;
  const code = codeOf(error);
  const worded = code ? sentenceForCode(code, context.builder ?? null, statusOf(error)) : null;
  if (worded) return worded;
  if (plainError(error)) return error.message;
  if (typeof error === 'string' && error) return error; // wasm-bindgen may throw a bare string
  return `${fallback} (${error?.name ?? 'unknown error'}).`;
}

/** The core's error in the user's words, as a UserError that keeps the code (for the log). */
export function explain(error, context, fallback = 'The export failed') {
  if (error instanceof UserError) return error;
  return new UserError(sentenceFor(error, fallback, context), codeOf(error));
}

/**
 * A UserError for error: worded (a sentence, or null for the core's own), else the core's clause
 * as a sentence, else `${failed} (<error name>).`; keeps the core's code.
 */
function explained(error, worded, failed) {
  const code = codeOf(error);
  if (worded) return new UserError(worded, code);
  if (plainError(error)) return new UserError(coreSentence(error), code);
  return new UserError(`${failed} (${error?.name ?? 'unknown error'}).`, code);
}

/**
 * An error of a GitHub push in the user's words, as a UserError that keeps the core's code.
 * push: {repository, branch, create} as asked. The core's sentences never hold the token.
 */
export function explainPush(error, push) {
  if (error instanceof UserError) return error;
  const code = codeOf(error);
  const limit = { reset: textField(error, 'reset'), wait: Number.isFinite(error?.wait) && error.wait > 0 ? error.wait : null };
  return explained(error, code ? sentenceForPushCode(code, push, limit) : null, 'The push failed');
}

/** The deployment a failed or timed-out build left, {id, state} (state: the provider's last one, or null), or null. */
function failedDeployment(error) {
  const { id, state } = error?.deployment ?? {};
  return typeof id === 'string' && id ? { id, state: typeof state === 'string' && state ? state : null } : null;
}

/**
 * An error of a deployment, history listing or rollback in the user's words, as a UserError that
 * keeps the core's code. run: {kind, destination (the catalog entry), project}. A build that
 * failed or timed out keeps its deployment, {id, state}, for History (state 'TIMED_OUT' for a
 * timeout). The core's sentences never hold a token.
 */
export function explainDeploy(error, run) {
  if (error instanceof UserError) return error;
  const code = codeOf(error);
  const built = code === 'build-failed' || code === 'timed-out' ? failedDeployment(error) : null;
  const facts = { detail: textField(error, 'detail'), why: textField(error, 'why'), lastState: built?.state ?? null, status: statusOf(error) };
  const worded = code ? sentenceForDeployCode(code, run, facts) : null;
  const what = { rollback: 'rollback', promote: 'promotion' }[run.kind] ?? 'deployment';
  const result = explained(error, worded, `The ${what} failed`);
  if (built) result.deployment = { id: built.id, state: code === 'timed-out' ? 'TIMED_OUT' : (built.state ?? 'ERROR') };
  return result;
}

/**
 * An error of a database push in the user's words, as a UserError that keeps the core's code,
 * with `applied` (the files this run applied before it stopped: they stay applied, and the
 * sentence names them) and, for a failing statement, `detail` (the statement as the core quotes
 * it). run: {ref}. The core's sentences never hold the token.
 */
export function explainDatabase(error, run) {
  if (error instanceof UserError) return error;
  const code = codeOf(error);
  const worded = code ? sentenceForDatabaseCode(code, run, error, statusOf(error)) : null;
  const result = explained(error, worded, 'Putting the database in Supabase failed');
  const applied = Array.isArray(error?.applied) ? error.applied.map(String) : [];
  if (applied.length > 0) result.message += ` Applied before the failure, and kept: ${applied.join(', ')}.`;
  result.applied = applied;
  const statement = code === 'statement-failed' ? textField(error, 'statement') : null;
  if (statement) result.detail = statement;
  return result;
}
