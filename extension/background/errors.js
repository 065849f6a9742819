// Errors meant for the user: their message is a full sentence the popup shows as is.
import { coreSqlSentence, sentenceForCode, sentenceForDatabaseCode, sentenceForDeployCode, sentenceForPushCode } from './messages.js';

export class UserError extends Error {
  name = 'UserError';

  /** code: the core's stable error code this sentence was written for, if any. */
  constructor(message, code) {
    super(message);
    if (code) this.code = code;
  }
}

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
  const worded = typeof error?.code === 'string' ? sentenceForCode(error.code, context.builder ?? null, httpStatus(error)) : null;
  if (worded) return worded;
  if (error instanceof Error && error.name === 'Error' && error.message) return error.message;
  if (typeof error === 'string' && error) return error; // wasm-bindgen may throw a bare string
  return `${fallback} (${error?.name ?? 'unknown error'}).`;
}

/** The core's error in the user's words, as a UserError that keeps the code (for the log). */
export function explain(error, context, fallback = 'The export failed') {
  if (error instanceof UserError) return error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  return new UserError(sentenceFor(error, fallback, context), code);
}

// The core's http-error sentence reads "<Service> answered <status> for …".
function httpStatus(error) {
  if (error.code !== 'http-error') return null;
  if (Number.isInteger(error.status)) return error.status;
  const match = / answered (\d{3}) /.exec(String(error.message ?? ''));
  return match ? Number(match[1]) : null;
}

/**
 * An error of a GitHub push in the user's words, as a UserError that keeps the core's code.
 * push: {repository, branch, create} as asked. The core's sentences never hold the token.
 */
export function explainPush(error, push) {
  if (error instanceof UserError) return error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : '';
  const worded = code ? sentenceForPushCode(code, push, message) : null;
  if (worded) return new UserError(worded, code);
  if (error instanceof Error && error.name === 'Error' && message) return new UserError(asSentence(message), code);
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
 * keeps the core's code. run: {kind, provider, project}. The core's sentences never hold a token.
 */
export function explainDeploy(error, run) {
  if (error instanceof UserError) return error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : '';
  const status = Number.isInteger(error?.status) ? error.status : code ? httpStatus(error) : null;
  const worded = code ? sentenceForDeployCode(code, run, message, status) : null;
  if (worded) return new UserError(worded, code);
  if (error instanceof Error && error.name === 'Error' && message) return new UserError(asSentence(message), code);
  return new UserError(`The ${run.kind === 'rollback' ? 'rollback' : 'deployment'} failed (${error?.name ?? 'unknown error'}).`, code);
}

/**
 * An error of a database push in the user's words, as a UserError that keeps the core's code,
 * with `applied` (the files this run applied before it stopped: they stay applied, and the
 * sentence names them) and, for a failing statement, `detail` (the statement as the core quotes
 * it, at most 300 characters). run: {ref}. The core's sentences never hold the token.
 */
export function explainDatabase(error, run) {
  if (error instanceof UserError) return error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : '';
  const status = code ? httpStatus(error) : null;
  const worded = code ? sentenceForDatabaseCode(code, run, message, status) : null;
  let sentence = worded;
  if (!sentence && error instanceof Error && error.name === 'Error' && message) sentence = coreSqlSentence(message);
  sentence ??= `Putting the database in Supabase failed (${error?.name ?? 'unknown error'}).`;
  const applied = Array.isArray(error?.applied) ? error.applied.map(String) : [];
  if (applied.length > 0) sentence += ` Applied before the failure, and kept: ${applied.join(', ')}.`;
  const explained = new UserError(sentence, code);
  explained.applied = applied;
  const statement = code === 'statement-failed' ? /\n\s*the statement: ([^\n]*)/.exec(message)?.[1] : null;
  if (statement) explained.detail = statement.trim();
  return explained;
}
