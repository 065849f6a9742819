// What "Review changes" (github-review.js) and "Push" (github-push.js) share: the checks before
// any work (the GitHub token, the repository's name in the core's words), the core's PushSession
// run over an export's zip (a push, or a preview that writes nothing), and the files left out.
//
// The token is read from storage here, kept in the caller's scope and in the session (wasm
// memory) until the run ends, and given to nothing else.
import { runSession } from '../core/run-session.js';
import { defaultCommitMessage, nameProblem, openPushSession } from '../core/wasm.js';
import { readToken } from '../store/tokens.js';
import { UserError, explainPush } from '../wording/errors.js';
import { GITHUB_NO_TOKEN } from '../wording/messages.js';
import { skippedFiles } from '../wording/summary.js';

/** The destination these actions push to (the core's PushSession's default forge). */
export const FORGE = 'github';

/**
 * The GitHub token for a push or a review of request (ports/requests.js, pushRequestFrom), read
 * before any work: without one there is nothing to push with, and a repository GitHub would
 * refuse is said at once, in the core's words. Throws UserErrors.
 */
export async function githubToken(request) {
  const token = await readToken(FORGE);
  if (!token) throw new UserError(GITHUB_NO_TOKEN, 'no-token');
  const problem = await nameProblem(FORGE, request.repository);
  if (problem) throw new UserError(problem, 'bad-repository');
  return token;
}

/**
 * The core's options for request. The message is the one the popup showed (prefilled with the
 * core's default, or the person's own); an empty one leaves the core its fallback, 'Export
 * (Liftoff), <date>', except with a pull request, whose title is the message's first line: then
 * the core's default message for the export's builder. The pull request's description is the
 * export's own summary (the core writes it: prSummary).
 */
async function optionsFor(exported, request) {
  const options = {
    branch: request.branch || undefined,
    create: request.create,
    private: request.private,
    message: request.message.trim() ? request.message : undefined,
  };
  if (request.pr) {
    options.message ??= await defaultCommitMessage(exported.report?.builder, Date.now());
    options.pr = { title: options.message.trim().split('\n')[0], summary: typeof exported.prSummary === 'string' ? exported.prSummary : '' };
  }
  return options;
}

/**
 * Runs the core's PushSession over exported's zip for request with token: a push (one commit,
 * and the pull request when asked), or with preview: true what it would change, nothing
 * written. progress({phase: 'pushing' | 'reviewing', done, total}). Resolves the core's result;
 * throws its error in the user's words (UserError, the core's code kept).
 */
export async function runGitHub(exported, request, token, progress, { preview = false } = {}) {
  const phase = preview ? 'reviewing' : 'pushing';
  try {
    const session = await openPushSession(exported.zip, request.repository, token, await optionsFor(exported, request), { preview });
    return await runSession(session, ({ done, total }) => progress({ phase, done, total }));
  } catch (error) {
    throw explainPush(error, request);
  }
}

/**
 * What a commit of exported leaves out (protocol.js, LeftOut): what the page could not provide
 * (as for a download), then what a commit never holds (result.excluded, the core's: .env files,
 * what .gitignore excludes).
 */
export function leftOut(exported, result) {
  return [
    ...skippedFiles(exported.report),
    ...(Array.isArray(result?.excluded) ? result.excluded : []).map(({ path, reason }) => ({ path: String(path), reason: String(reason) })),
  ];
}
