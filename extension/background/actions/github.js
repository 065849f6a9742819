// What "Review changes" (github-review.js) and "Push" (github-push.js) share: the checks before
// any work (the target forge — GitHub, GitLab, Gitea, at their public hosts or a self-managed
// one (store/forge-hosts.js) —, its token, the repository's name in the core's words), the core's
// PushSession run over an export's zip (a push, or a preview that writes nothing), and the files
// left out.
//
// The token is read from storage here, kept in the caller's scope and in the session (wasm
// memory) until the run ends, and given to nothing else.
import { runSession } from '../core/run-session.js';
import { defaultCommitMessage, nameProblem, openPushSession } from '../core/wasm.js';
import { targetOf } from '../store/forge-hosts.js';
import { readToken } from '../store/tokens.js';
import { UserError, explainPush } from '../wording/errors.js';
import { noForgeToken } from '../wording/messages.js';
import { skippedFiles } from '../wording/summary.js';

/**
 * The target and its token for a push or a review of request (ports/requests.js,
 * pushRequestFrom: request.forge, a target id), read before any work: an unknown target (or a
 * self-managed host whose access was taken back) and a missing token stop here, and a repository
 * name the forge would refuse is said at once, in the core's words. Resolves {target, token}
 * (store/forge-hosts.js, targetOf); throws UserErrors.
 */
export async function forgeToken(request) {
  const target = await targetOf(request.forge);
  if (!target) throw new UserError('Liftoff cannot reach that forge any more. Choose another, or add its host again in Settings.', 'no-target');
  const token = await readToken(target.id);
  if (!token) throw new UserError(noForgeToken(target.name), 'no-token');
  const problem = await nameProblem(target.forge, request.repository);
  if (problem) throw new UserError(problem, 'bad-repository');
  return { target, token };
}

/**
 * The core's options for request. The message is the one the popup showed (prefilled with the
 * core's default, or the person's own); an empty one leaves the core its fallback, 'Export
 * (Liftoff), <date>', except with a pull request, whose title is the message's first line: then
 * the core's default message for the export's builder. The pull request's description is the
 * export's own summary (the core writes it: prSummary).
 */
async function optionsFor(exported, request, target) {
  const options = {
    forge: target.forge,
    api: target.api ?? undefined,
    branch: request.branch || undefined,
    create: request.create,
    private: request.private,
    message: request.message.trim() ? request.message : undefined,
  };
  if (request.aws && target.forge === 'github') options.aws = request.aws;
  if (request.pr) {
    options.message ??= await defaultCommitMessage(exported.report?.builder, Date.now());
    options.pr = { title: options.message.trim().split('\n')[0], summary: typeof exported.prSummary === 'string' ? exported.prSummary : '' };
  }
  return options;
}

/**
 * Runs the core's PushSession over exported's zip for request with {target, token} (forgeToken's):
 * a push (one commit, and the pull request when asked), or with preview: true what it would
 * change, nothing written. progress({phase: 'pushing' | 'reviewing', done, total}). Resolves the
 * core's result; throws its error in the user's words (UserError, the core's code kept).
 */
export async function runPush(exported, request, { target, token }, progress, { preview = false } = {}) {
  const phase = preview ? 'reviewing' : 'pushing';
  try {
    const options = await optionsFor(exported, request, target);
    const session = await openPushSession(exported.zip, request.repository, token, options, { preview });
    return await runSession(session, ({ done, total }) => progress({ phase, done, total }));
  } catch (error) {
    throw explainPush(error, { ...request, forgeName: target.name });
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
