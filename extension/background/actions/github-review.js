// "Review changes" before a push: the tab's project is exported as for a push, and the core's
// PushSession.preview compares it with the branch the push would go to (the repository's
// listing, the old text of a bounded number of changed files), writing nothing. The export and
// the diffs stay in the worker's memory (review-cache.js): Push sends what was reviewed, and the
// popup asks for one file's diff when a row is opened. A repository to be created is never
// created by a review: the preview is asked without `create`, and a repository that does not
// exist yet is said so (every file is added).
import { exportTab } from '../sources/builders.js';
import { forgeToken, leftOut, runPush } from './github.js';
import { keepReview, reviewDiff } from './review-cache.js';

const count = (value) => (Number.isInteger(value) && value >= 0 ? value : null);
const ACTIONS = new Set(['added', 'changed', 'deleted']);

/** One changed file as the popup shows it (protocol.js, ReviewedFile), or null. */
function fileOf({ path, action, binary, lines_added: added, lines_removed: removed, size, old_size: oldSize }) {
  if (typeof path !== 'string' || !ACTIONS.has(action)) return null;
  return { path, action, binary: binary === true, added: count(added), removed: count(removed), size: count(size), oldSize: count(oldSize) };
}

/**
 * The core's preview of request, or null when the repository is to be created and does not exist
 * yet (the core would create it: a review writes nothing).
 */
async function previewOf(exported, request, credentials, progress) {
  try {
    return await runPush(exported, { ...request, create: false }, credentials, progress, { preview: true });
  } catch (error) {
    if (request.create && error?.code === 'not-found') return null;
    throw error;
  }
}

/**
 * Exports the tab's project and compares it with what the push of request (ports/requests.js,
 * pushRequestFrom) would replace. progress({phase, done?, total?}): the export's phases, then
 * 'reviewing'. Resolves what the popup shows (protocol.js, Reviewed without its type): {review,
 * repository, branch, upToDate, newRepository, changes, excluded, files}. Throws UserErrors
 * worded for the user.
 */
export async function reviewTab(tabId, request, progress) {
  const credentials = await forgeToken(request);
  const exported = await exportTab(tabId, progress);
  const preview = await previewOf(exported, request, credentials, progress);
  const review = keepReview(tabId, request.key, exported, preview?.diffs);
  return {
    review,
    repository: String(preview?.repository ?? request.repository),
    branch: String(preview?.branch ?? request.branch),
    upToDate: preview?.up_to_date === true,
    newRepository: preview === null,
    changes: (Array.isArray(preview?.changes) ? preview.changes : []).map(fileOf).filter(Boolean),
    excluded: leftOut(exported, preview),
    files: exported.report?.files ?? null,
  };
}

/**
 * One file's diff of review id (protocol.js, ReviewDiff without its type): {review, path, text,
 * cut, gone} (text: null when the review holds none for path; gone: the review expired).
 */
export function reviewDiffOf(id, path) {
  const diff = reviewDiff(id, path);
  return { review: id, path, text: diff?.text ?? null, cut: diff?.cut === true, gone: diff === undefined };
}
