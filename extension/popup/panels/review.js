// The push form's review (protocol.js, Reviewed): what a push would change, a row per file
// (added, changed or deleted; lines added and removed for text, sizes for binaries), each text
// row opening its unified diff, which the worker sends when asked (ReviewDiffRequest); the files
// a commit leaves out; or "Already up to date: nothing to push". A plain list and <pre> views:
// text only, every value set with textContent.
import { humanSize, plural } from '../../shared/format.js';
import { showLeftOut } from '../../shared/result-view.js';

const $ = (id) => document.getElementById(id);
const ui = {
  buttons: $('push-buttons'),
  panel: $('push-review-panel'),
  title: $('push-review-title'),
  where: $('push-review-where'),
  counts: $('push-review-counts'),
  list: $('push-review-list'),
  more: $('push-review-more'),
  excludedTitle: $('push-review-excluded-title'),
  excluded: $('push-review-excluded'),
};

// Rows drawn at most: enough to read, few enough to draw at once (the pull request lists all).
const MAX_ROWS = 400;

let askDiff = () => {};
let shown = null; // {review, upToDate} of the review on screen
const rows = new Map(); // path → {row, toggle, diff: <pre> | null}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** hooks: {askDiff(review, path)}: asks the worker for one file's diff. */
export function initReview(hooks) {
  askDiff = hooks.askDiff;
}

/** The review on screen: {review: its id, upToDate}, or null. */
export function currentReview() {
  return shown;
}

/** Hides the review (a field it depends on changed, a push started, the form closed). */
export function clearReview() {
  shown = null;
  rows.clear();
  ui.list.replaceChildren();
  ui.panel.hidden = true;
}

/** "+12 −3", "binary · 1.2 KB → 1.5 KB", or "12 KB" (a text too large to compare). */
function amount({ binary, added, removed, size, oldSize }) {
  const box = el('span', 'review-amount');
  if (!binary && added !== null && removed !== null) {
    box.append(el('span', 'plus', `+${added}`), ' ', el('span', 'minus', `−${removed}`));
    return box;
  }
  const sizes = oldSize !== null && oldSize !== size ? `${humanSize(oldSize)} → ${humanSize(size)}` : humanSize(size);
  box.textContent = binary ? `binary · ${sizes}` : sizes;
  return box;
}

function fileRow(file) {
  const item = el('li', 'review-file');
  item.dataset.path = file.path;
  item.dataset.action = file.action;
  // Text the core compared has a diff; a binary, or a text past the preview's bounds, has none.
  const diffable = !file.binary && file.added !== null;
  const row = el(diffable ? 'button' : 'div', 'review-row');
  if (diffable) {
    row.type = 'button';
    row.setAttribute('aria-expanded', 'false');
    row.addEventListener('click', () => toggle(file.path));
  }
  const path = el('code', 'review-path', file.path);
  row.title = file.path;
  row.append(el('span', `review-action ${file.action}`, file.action), path, amount(file));
  item.append(row);
  rows.set(file.path, { item, row, diff: null });
  return item;
}

function toggle(path) {
  const entry = rows.get(path);
  if (!entry || !shown) return;
  const open = entry.row.getAttribute('aria-expanded') !== 'true';
  entry.row.setAttribute('aria-expanded', String(open));
  if (open) ui.list.scrollTop = entry.item.offsetTop; // the row at the top of the list, its diff under it
  if (entry.diff) {
    entry.diff.hidden = !open;
    return;
  }
  if (!open) return;
  entry.diff = el('pre', 'review-diff', 'Loading the diff…');
  entry.diff.dataset.state = 'loading';
  entry.item.append(entry.diff);
  askDiff(shown.review, path);
}

/** A unified diff as lines, each coloured by its first character; the file header left out (the row names the file). */
function diffLines(text) {
  const fragment = document.createDocumentFragment();
  let inHunk = false;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('@@')) inHunk = true;
    else if (!inHunk) continue; // '--- a/…', '+++ b/…'
    const kind = line.startsWith('@@') ? 'hunk' : { '+': 'add', '-': 'del', '\\': 'note' }[line[0]];
    fragment.append(el('span', kind, `${line}\n`));
  }
  return fragment;
}

/** The worker's answer to a diff request (protocol.js, ReviewDiff): fills the row's view. */
export function onReviewDiff({ review, path, text, cut, gone }) {
  const entry = shown?.review === review ? rows.get(path) : null;
  if (!entry?.diff) return;
  const view = entry.diff;
  if (typeof text === 'string' && text !== '') {
    view.replaceChildren(diffLines(text));
    if (cut) view.append(el('span', 'note', '… the rest of this file’s changes is not shown here.'));
    view.dataset.state = 'shown';
  } else {
    view.textContent = gone ? 'This review is over 10 minutes old: review again to see the diff.' : 'No line changes to show for this file.';
    view.dataset.state = gone ? 'gone' : 'empty';
  }
}

/** Counts per action and lines in all: "2 added · 1 changed · 1 deleted · +12 −3". */
function counts(changes) {
  const parts = ['added', 'changed', 'deleted']
    .map((action) => [action, changes.filter((file) => file.action === action).length])
    .filter(([, n]) => n > 0)
    .map(([action, n]) => el('span', `review-count ${action}`, `${n} ${action}`));
  const sum = (key) => changes.reduce((total, file) => total + (file.binary ? 0 : (file[key] ?? 0)), 0);
  const lines = el('span', 'review-amount');
  lines.append(el('span', 'plus', `+${sum('added')}`), ' ', el('span', 'minus', `−${sum('removed')}`));
  return [...parts, lines];
}

/** The review's title and the line under it: {outcome, title, where}. */
function heading({ repository, branch, upToDate, newRepository }, files) {
  if (newRepository) {
    return { outcome: 'new', title: 'A new repository', where: `${repository} does not exist yet: Push creates it, and every file of the export is added.` };
  }
  if (upToDate) {
    return { outcome: 'up-to-date', title: 'Already up to date: nothing to push', where: `The branch ${branch} of ${repository} already holds this export.` };
  }
  return { outcome: 'changes', title: `${plural(files.length, 'file')} would change`, where: `On ${branch} of ${repository}. Open a file to see its changes.` };
}

/** Shows a review (protocol.js, Reviewed without its type). */
export function showReview(reviewed) {
  clearReview();
  const { review, upToDate, changes, excluded } = reviewed;
  const files = Array.isArray(changes) ? changes : [];
  shown = { review, upToDate: upToDate === true };
  const { outcome, title, where } = heading(reviewed, files);
  ui.panel.dataset.outcome = outcome;
  ui.title.textContent = title;
  ui.where.textContent = where;
  ui.counts.replaceChildren(...(files.length ? counts(files) : []));
  ui.counts.hidden = files.length === 0;
  ui.list.replaceChildren(...files.slice(0, MAX_ROWS).map(fileRow));
  ui.more.hidden = files.length <= MAX_ROWS;
  if (!ui.more.hidden) ui.more.textContent = `… and ${plural(files.length - MAX_ROWS, 'more file')} (the pull request or the commit lists them all).`;
  showLeftOut(ui.excluded, ui.excludedTitle, Array.isArray(excluded) ? excluded : [], 'the commit');
  ui.panel.hidden = false;
  // Review changes and Push at the top, the review under them: one click more pushes.
  ui.buttons.scrollIntoView({ block: 'start' });
}
