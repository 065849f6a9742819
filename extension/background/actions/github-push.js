// "Push to GitHub": the tab's project is exported exactly as for a download (cleaned up unless
// the user keeps the builder's files), and the export's zip goes to the core's PushSession, which
// makes one commit and sends it over git's smart HTTP protocol. core/fetch-driver.js carries the
// requests from this service worker: the manifest's host permissions for api.github.com and
// github.com spare them CORS preflights (which github.com answers with 405).
//
// The token is read from storage here, kept in this call's scope and in the session (wasm
// memory) until the push ends, and given to nothing else.
import { runSession } from '../core/run-session.js';
import { nameProblem, openPushSession } from '../core/wasm.js';
import { exportTab } from '../sources/builders.js';
import { recordHistory } from '../store/history.js';
import { rememberRepository } from '../store/recent-repos.js';
import { readToken } from '../store/tokens.js';
import { UserError, explainPush } from '../wording/errors.js';
import { GITHUB_NO_TOKEN } from '../wording/messages.js';
import { skippedFiles, summarize } from '../wording/summary.js';

// The destination this action pushes to (the core's PushSession's default forge).
const FORGE = 'github';

/**
 * Exports the tab's project and pushes it (request: ports/requests.js, pushRequestFrom).
 * progress({phase, done?, total?}): the export's phases, then 'pushing' (requests answered of
 * those planned). Resolves what the popup shows (protocol.js, Pushed without its type):
 * {repository, branch, commit, url, created, isPrivate, upToDate, rebuilt, excluded, files,
 * summary, sql}. Throws UserErrors worded for the user.
 */
export async function pushTab(tabId, request, progress) {
  // Before any work: without a token there is nothing to push with, and a repository GitHub
  // would refuse is said at once, in the core's words.
  const token = await readToken(FORGE);
  if (!token) throw new UserError(GITHUB_NO_TOKEN, 'no-token');
  const problem = await nameProblem(FORGE, request.repository);
  if (problem) throw new UserError(problem, 'bad-repository');
  const exported = await exportTab(tabId, progress);
  const pushed = await pushZip(exported, request, token, progress);
  await rememberRepository(request.key, pushed.repository, request.branch).catch(() => {});
  await recordHistory({
    kind: 'push',
    target: FORGE,
    project: pushed.repository,
    link: pushed.url,
    id: pushed.commit,
    state: pushed.up_to_date === true ? 'up-to-date' : 'pushed',
  });
  // Left out: what the page could not provide (as for a download), then what a commit never
  // holds (.env files, what .gitignore excludes).
  const excluded = [
    ...skippedFiles(exported.report),
    ...(pushed.excluded ?? []).map(({ path, reason }) => ({ path: String(path), reason: String(reason) })),
  ];
  return {
    repository: pushed.repository,
    branch: pushed.branch,
    commit: pushed.commit,
    url: pushed.url,
    created: pushed.created === true,
    isPrivate: request.private, // what a created repository was asked to be
    upToDate: pushed.up_to_date === true,
    rebuilt: pushed.rebuilt === true,
    excluded,
    files: exported.report?.files ?? null,
    summary: await summarize(exported.report, exported.raw),
    sql: exported.sql ?? [],
  };
}

// The message is the one the popup showed (prefilled with the core's default, or the person's
// own); an empty one leaves the core its fallback, 'Export (Liftoff), <date>'.
async function pushZip({ zip }, request, token, progress) {
  const options = {
    branch: request.branch || undefined,
    create: request.create,
    private: request.private,
    message: request.message.trim() ? request.message : undefined,
  };
  try {
    const session = await openPushSession(zip, request.repository, token, options);
    return await runSession(session, ({ done, total }) => progress({ phase: 'pushing', done, total }));
  } catch (error) {
    throw explainPush(error, request);
  }
}
