// What Liftoff did, for the popup's History view: every export (download), push, deployment and
// database push, newest first, in chrome.storage.local under one key, `liftoffHistory`:
//   [{kind: 'export'|'push'|'deploy'|'rollback'|'promote'|'database', time: epoch ms,
//     target: 'download' or a destination's id ('github', 'vercel', 'netlify', 'supabase', …),
//     project, link, id, state, file?, checks?, preview?}]
// (project: the export's name, the repository, the Vercel project / Netlify site, or the Supabase
// project ref; link: the commit's or the deployment's https address, or the Supabase project's
// dashboard, or null; id: the commit or deployment id, or null; file: a download's file name;
// checks: a push's CI verdict as last known, one word: queued, running, passed, failed, none;
// preview: true for a deploy that left production as it was, until promoted).
// Never a token: every field is checked and cut here, and only the service worker writes it. At
// most MAX_ENTRIES, the oldest go first.
import { destinations } from '../core/catalog.js';

const KEY = 'liftoffHistory';
const MAX_ENTRIES = 200;

const KINDS = new Set(['export', 'push', 'deploy', 'rollback', 'promote', 'database']);
const CHECKS = new Set(['queued', 'running', 'passed', 'failed', 'none']);

/** The targets an entry may name: a download, or a destination of the core's catalog. */
async function targets() {
  return new Set(['download', ...(await destinations()).map((destination) => destination.id)]);
}

const text = (value, max) => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null);
// Only a plain https address without credentials becomes a link.
function httpsLink(value) {
  try {
    const url = new URL(String(value));
    return url.protocol === 'https:' && !url.username && !url.password ? url.href.slice(0, 2000) : null;
  } catch {
    return null;
  }
}

/** An entry with the expected fields and types only (its target one of known), or null. */
function clean(entry, known) {
  if (!KINDS.has(entry?.kind) || !known.has(entry?.target)) return null;
  const out = {
    kind: entry.kind,
    time: Number.isFinite(entry.time) ? entry.time : Date.now(),
    target: entry.target,
    project: text(entry.project, 200),
    link: httpsLink(entry.link),
    id: text(entry.id, 200),
    state: text(entry.state, 40),
  };
  const file = text(entry.file, 255);
  if (file) out.file = file;
  if (entry.kind === 'push' && CHECKS.has(entry.checks)) out.checks = entry.checks;
  if (entry.kind === 'deploy' && entry.preview === true) out.preview = true;
  return out;
}

/** Every recorded entry, newest first. */
export async function readHistory() {
  const { [KEY]: stored } = await chrome.storage.local.get(KEY);
  const known = await targets();
  return Array.isArray(stored) ? stored.map((entry) => clean(entry, known)).filter(Boolean) : [];
}

// One write at a time: two runs finishing together must not drop each other's entry.
let queue = Promise.resolve();

/** Runs change(entries) → the entries to store, or null for no write, after the writes before it. Never throws. */
function rewrite(change) {
  queue = queue
    .then(async () => {
      const entries = change(await readHistory(), await targets());
      if (entries) await chrome.storage.local.set({ [KEY]: entries.slice(0, MAX_ENTRIES) });
    })
    .catch((error) => console.warn('Liftoff could not record the history:', error?.name));
  return queue;
}

/** Records one entry (see above); resolves when it is stored. Never throws. */
export function recordHistory(entry) {
  const time = Date.now();
  return rewrite((entries, known) => {
    const cleaned = clean({ ...entry, time }, known);
    return cleaned && [cleaned, ...entries];
  });
}

/**
 * Sets the CI verdict (state: queued, running, passed, failed, none) on the entries of the pushes
 * of commit to repository; resolves when it is stored. Another state, or no such entry: nothing
 * written. Never throws.
 */
export function recordChecks(repository, commit, state) {
  const isPush = (entry) => entry.kind === 'push' && entry.id === commit && entry.project === repository;
  return rewrite((entries) => {
    if (!CHECKS.has(state) || !entries.some(isPush)) return null;
    return entries.map((entry) => (isPush(entry) ? { ...entry, checks: state } : entry));
  });
}

/** The distinct {provider, project} pairs deployed (or rolled back) to, most recent first. */
export function deployedProjects(entries) {
  const seen = new Map();
  for (const entry of entries) {
    if (!['deploy', 'rollback', 'promote'].includes(entry.kind) || !entry.project) continue;
    const key = `${entry.target}:${entry.project}`;
    if (!seen.has(key)) seen.set(key, { provider: entry.target, project: entry.project });
  }
  return [...seen.values()];
}
