// "Push": the tab's project is exported exactly as for a download (cleaned up unless
// the user keeps the builder's files), or taken as the review just made exported it
// (review-cache.js), and the export's zip goes to the core's PushSession, which makes one commit,
// sends it over git's smart HTTP protocol and, when asked, opens or updates the branch's pull
// request into the default branch. core/fetch-driver.js carries the requests from this service
// worker: the manifest's host permissions for api.github.com and github.com spare them CORS
// preflights (which github.com answers with 405). The commit's checks are followed afterwards
// (github-checks.js), while the popup stays open.
import { destinationOf } from '../core/catalog.js';
import { exportTab } from '../sources/builders.js';
import { recordHistory } from '../store/history.js';
import { rememberRepository } from '../store/recent-repos.js';
import { summarize } from '../wording/summary.js';
import { forgeToken, leftOut, runPush } from './github.js';
import { forgetReview, reviewedExport } from './review-cache.js';

/** The pull request a push opened or updated, {number, url, created}, or null (only an https address is kept). */
function pullRequestOf(pushed) {
  const { number, url, created } = pushed.pull_request ?? {};
  if (!Number.isInteger(number) || typeof url !== 'string' || !/^https:\/\//.test(url)) return null;
  return { number, url, created: created === true };
}

/** Whether Liftoff follows the checks of a commit on forge (the catalog says: GitHub's). */
const followsChecks = async (forge) => (await destinationOf(forge, 'forge'))?.followsChecks === true;

/**
 * Exports the tab's project, or takes the export of the review request.review names when the
 * worker still holds it, and pushes it (request: ports/requests.js, pushRequestFrom).
 * progress({phase, done?, total?}): the export's phases (none when the review's export is
 * used), then 'pushing' (requests answered of those planned). Resolves what the popup shows
 * (protocol.js, Pushed without its type): {forge, forgeName, followsChecks, repository, branch, commit, url, created, isPrivate,
 * upToDate, rebuilt, pullRequest, excluded, files, summary, sql}. Throws UserErrors worded for
 * the user.
 */
export async function pushTab(tabId, request, progress) {
  const credentials = await forgeToken(request);
  const { target } = credentials;
  const exported = reviewedExport(tabId, request.key, request.review) ?? (await exportTab(tabId, progress));
  const pushed = await runPush(exported, request, credentials, progress);
  forgetReview(tabId);
  await rememberRepository(request.key, pushed.repository, request.branch, request.pr, target.id, request.aws).catch(() => {});
  await recordHistory({
    kind: 'push',
    target: target.forge,
    project: pushed.repository,
    link: pushed.url,
    id: pushed.commit,
    state: pushed.up_to_date === true ? 'up-to-date' : 'pushed',
  });
  return {
    forge: target.id,
    forgeName: target.name,
    followsChecks: await followsChecks(target.forge),
    // The export went with the workflow that deploys it on AWS: its run is the commit's checks.
    aws: request.aws && target.forge === 'github' ? { bucket: request.aws.bucket } : null,
    repository: pushed.repository,
    branch: pushed.branch,
    commit: pushed.commit,
    url: pushed.url,
    created: pushed.created === true,
    isPrivate: request.private, // what a created repository was asked to be
    upToDate: pushed.up_to_date === true,
    rebuilt: pushed.rebuilt === true,
    pullRequest: pullRequestOf(pushed),
    excluded: leftOut(exported, pushed),
    files: exported.report?.files ?? null,
    summary: await summarize(exported.report, exported.raw),
    sql: exported.sql ?? [],
  };
}
