// What Liftoff did, for the popup's History view: every export (download), push, deployment and
// database push, newest first, in chrome.storage.local under one key, `liftoffHistory`:
//   [{kind: 'export'|'push'|'deploy'|'rollback'|'database', time: epoch ms,
//     target: 'download' or a destination's id ('github', 'vercel', 'netlify', 'supabase', …),
//     project, link, id, state, file?}]
// (project: the export's name, the repository, the Vercel project / Netlify site, or the Supabase
// project ref; link: the commit's or the deployment's https address, or the Supabase project's
// dashboard, or null; id: the commit or deployment id, or null; file: a download's file name).
// Never a token: every field is checked and cut here, and only the service worker writes it. At
// most MAX_ENTRIES, the oldest go first.
import { destinations } from '../core/catalog.js';

const KEY = 'liftoffHistory';
const MAX_ENTRIES = 200;

const KINDS = new Set(['export', 'push', 'deploy', 'rollback', 'database']);

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

/** Records one entry (see above); resolves when it is stored. Never throws. */
export function recordHistory(entry) {
  const time = Date.now();
  queue = queue
    .then(async () => {
      const cleaned = clean({ ...entry, time }, await targets());
      if (!cleaned) return;
      const entries = await readHistory();
      await chrome.storage.local.set({ [KEY]: [cleaned, ...entries].slice(0, MAX_ENTRIES) });
    })
    .catch((error) => console.warn('Liftoff could not record the history:', error?.name));
  return queue;
}

/** The distinct {provider, project} pairs deployed (or rolled back) to, most recent first. */
export function deployedProjects(entries) {
  const seen = new Map();
  for (const entry of entries) {
    if ((entry.kind !== 'deploy' && entry.kind !== 'rollback') || !entry.project) continue;
    const key = `${entry.target}:${entry.project}`;
    if (!seen.has(key)) seen.set(key, { provider: entry.target, project: entry.project });
  }
  return [...seen.values()];
}
