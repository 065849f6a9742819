// The export a review made ("Review changes" in the push form), kept in the worker's memory for
// its tab for up to 10 minutes, so that Push sends exactly what was reviewed without exporting
// again; and the review's diffs, which the popup asks for one file at a time. Memory only, never
// storage: a worker that stopped has forgotten it, and Push exports again. At most one review per
// tab and a few tabs, so that the zips held stay few.

/** How long a review's export stays usable for Push. */
export const REVIEW_TTL_MS = 10 * 60_000;
const MAX_TABS = 3;

const reviews = new Map(); // tabId → {id, key, exported, diffs: Map(path → {text, cut}), until, timer}
let lastId = 0;

function drop(tabId) {
  clearTimeout(reviews.get(tabId)?.timer);
  reviews.delete(tabId);
}

/** The review of tabId when it has not expired at now, else null (an expired one is dropped). */
function fresh(tabId, now) {
  const review = reviews.get(tabId);
  if (review && review.until <= now) drop(tabId);
  return reviews.get(tabId) ?? null;
}

/**
 * Keeps a review of tabId's project (key: '<builder>:<id>', or null): its export and its diffs
 * ([{path, text, cut}], the core's). Replaces the tab's earlier review; the oldest tab's goes when
 * more tabs have one. Returns the review's id (a positive integer, never reused), which the popup
 * names in its push and diff requests.
 */
export function keepReview(tabId, key, exported, diffs, now = Date.now()) {
  drop(tabId);
  for (const oldest of [...reviews.keys()].slice(0, Math.max(0, reviews.size - MAX_TABS + 1))) drop(oldest);
  const id = ++lastId;
  const byPath = new Map((Array.isArray(diffs) ? diffs : []).map((diff) => [String(diff.path), { text: String(diff.text ?? ''), cut: diff.cut === true }]));
  const timer = setTimeout(() => {
    if (reviews.get(tabId)?.id === id) reviews.delete(tabId);
  }, REVIEW_TTL_MS);
  reviews.set(tabId, { id, key: key ?? null, exported, diffs: byPath, until: now + REVIEW_TTL_MS, timer });
  return id;
}

/**
 * The export review `id` made of tabId's project key, when it is still kept (same tab, same
 * project, not expired at now); else null, and the push exports again.
 */
export function reviewedExport(tabId, key, id, now = Date.now()) {
  const review = fresh(tabId, now);
  return review && review.id === id && review.key === (key ?? null) ? review.exported : null;
}

/**
 * One file's diff in review `id`: {text, cut}; null when the review holds no diff for path (a
 * binary, a text too large to compare); undefined when the review is gone (expired, replaced).
 */
export function reviewDiff(id, path, now = Date.now()) {
  for (const tabId of [...reviews.keys()]) {
    const review = fresh(tabId, now);
    if (review?.id === id) return review.diffs.get(path) ?? null;
  }
  return undefined;
}

/** Forgets tabId's review (its export was pushed). */
export function forgetReview(tabId) {
  drop(tabId);
}
