// Errors meant for the user: their message is a full sentence the popup shows as is. The core's
// errors carry a stable `code`; the facts a sentence needs beside it (an HTTP status, a failed
// deployment, a provider's reason, a failing statement) are read by shared/core-rules.js.
import { failedDeployment, failingFile, failingStatement, httpStatus, rateLimit, whyOf } from '../../shared/core-rules.js';
import { coreSqlSentence, sentenceForCode, sentenceForDatabaseCode, sentenceForDeployCode, sentenceForPushCode } from './messages.js';

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
const messageOf = (error) => (typeof error?.message === 'string' ? error.message : '');
// A plain Error thrown by the wasm (not a TypeError, not a DOMException): written for users.
const plainError = (error) => error instanceof Error && error.name === 'Error' && messageOf(error) !== '';

/**
 * A sentence for the popup or the drop page from any error.
 * - UserErrors pass through.
 * - The core's errors carry a stable `code` (bad-token, not-found, too-large, …): worded here for
 *   the builder the export talked to (context.builder), whatever the core's own phrasing.
 * - Other plain Errors thrown by the wasm are written for users and pass through.
 * - Anything else becomes a generic sentence with its error name only, so that nothing from the
 *   page leaks into the popup or the logs.
 */
export function sentenceFor(error, fallback, context = {}) {
  if (error instanceof UserError) return error.message;
  const code = codeOf(error);
  const worded = code ? sentenceForCode(code, context.builder ?? null, httpStatus(error)) : null;
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
 * An error of a GitHub push in the user's words, as a UserError that keeps the core's code.
 * push: {repository, branch, create} as asked. The core's sentences never hold the token.
 */
export function explainPush(error, push) {
  if (error instanceof UserError) return error;
  const code = codeOf(error);
  const worded = code ? sentenceForPushCode(code, push, code === 'rate-limited' ? rateLimit(error) : {}) : null;
  if (worded) return new UserError(worded, code);
  if (plainError(error)) return new UserError(asSentence(error.message), code);
  return new UserError(`The push failed (${error?.name ?? 'unknown error'}).`, code);
}

// The core writes lower-case clauses ("the connection to GitHub failed…"): start and end them.
function asSentence(text) {
  const trimmed = text.trim();
  const start = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(start) ? start : `${start}.`;
}

/**
 * An error of a deployment, history listing or rollback in the user's words, as a UserError that
 * keeps the core's code. run: {kind, provider, project}. A build that failed or timed out keeps
 * its deployment, {id, state}, for History (state 'TIMED_OUT' for a timeout). The core's
 * sentences never hold a token.
 */
export function explainDeploy(error, run) {
  if (error instanceof UserError) return error;
  const code = codeOf(error);
  const built = code === 'build-failed' || code === 'timed-out' ? failedDeployment(error) : null;
  const facts = { why: whyOf(error), lastState: built?.state ?? null, status: httpStatus(error) };
  const worded = code ? sentenceForDeployCode(code, run, facts) : null;
  let explained;
  if (worded) explained = new UserError(worded, code);
  else if (plainError(error)) explained = new UserError(asSentence(error.message), code);
  else explained = new UserError(`The ${run.kind === 'rollback' ? 'rollback' : 'deployment'} failed (${error?.name ?? 'unknown error'}).`, code);
  if (built) explained.deployment = { id: built.id, state: code === 'timed-out' ? 'TIMED_OUT' : (built.state ?? 'ERROR') };
  return explained;
}

/**
 * An error of a database push in the user's words, as a UserError that keeps the core's code,
 * with `applied` (the files this run applied before it stopped: they stay applied, and the
 * sentence names them) and, for a failing statement, `detail` (the statement as the core quotes
 * it, at most 300 characters). run: {ref}. The core's sentences never hold the token.
 */
export function explainDatabase(error, run) {
  if (error instanceof UserError) return error;
  const code = codeOf(error);
  const message = messageOf(error);
  const facts = { message, file: failingFile(error), status: httpStatus(error) };
  let sentence = code ? sentenceForDatabaseCode(code, run, facts) : null;
  if (!sentence && plainError(error)) sentence = coreSqlSentence(message);
  sentence ??= `Putting the database in Supabase failed (${error?.name ?? 'unknown error'}).`;
  const applied = Array.isArray(error?.applied) ? error.applied.map(String) : [];
  if (applied.length > 0) sentence += ` Applied before the failure, and kept: ${applied.join(', ')}.`;
  const explained = new UserError(sentence, code);
  explained.applied = applied;
  const statement = failingStatement(error);
  if (statement) explained.detail = statement;
  return explained;
}
