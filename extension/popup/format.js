// Small display helpers for the popup.

/** 1536 → "1.5 KB"; binary multiples, as file managers show them. */
export function humanSize(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** plural(1, 'file') → "1 file"; plural(3, 'file') → "3 files". */
export function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const BUILDERS = { bolt: 'Bolt', lovable: 'Lovable', base44: 'Base44' };

export function builderName(id) {
  return BUILDERS[id] ?? String(id ?? '');
}

/**
 * The commit message the core writes when none is given (crates/liftoff-core/src/github/
 * commit.rs, `default_message`): "Export from Bolt (Liftoff), 2025-04-01 12:00 UTC". Shown
 * prefilled; when left as is, the popup sends no message and the core writes its own.
 */
export function defaultCommitMessage(builder, nowMs) {
  const from = builder ? `Export from ${builder}` : 'Export';
  const at = new Date(nowMs).toISOString(); // 2025-04-01T12:00:00.000Z
  return `${from} (Liftoff), ${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;
}

/** The first 7 hex digits of a commit id, as GitHub shows it. */
export function shortCommit(id) {
  return /^[0-9a-f]{40}$/.test(String(id)) ? id.slice(0, 7) : String(id ?? '');
}

const PROVIDERS = { vercel: 'Vercel', netlify: 'Netlify', github: 'GitHub', download: 'Download', supabase: 'Supabase' };

export function providerName(id) {
  return PROVIDERS[id] ?? String(id ?? '');
}

/**
 * A project's name as Vercel and Netlify both accept it (the core's rules, crates/liftoff-core/
 * src/deploy): lower-case letters, digits and single '-' between words, at most 63 characters,
 * no '-' at either end. "My Portfolio (v2)!" → "my-portfolio-v2"; nothing left → "my-app".
 */
export function projectSlug(name) {
  const ascii = String(name ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return slug || 'my-app';
}

/** What each provider accepts as a name, checked before anything is sent (the core checks again). */
export function nameProblem(provider, name) {
  if (provider === 'netlify') {
    if (!/^[a-z0-9-]{1,63}$/.test(name)) return 'A Netlify site name has 1 to 63 lower-case letters, digits and “-”.';
    if (/^-|-$/.test(name)) return 'A Netlify site name may not start or end with “-”.';
    return null;
  }
  if (!/^[a-z0-9._-]{1,100}$/.test(name)) return 'A Vercel project name has 1 to 100 lower-case letters, digits, “.”, “_” and “-”.';
  if (name.includes('---')) return 'A Vercel project name may not contain “---”.';
  return null;
}

/** "just now", "5 min ago", "3 h ago", "yesterday 14:05", "24 Nov 14:05", "24 Nov 2024". */
export function timeAgo(ms, now = Date.now()) {
  if (!Number.isFinite(ms) || ms <= 0) return '';
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 6 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  const date = new Date(ms);
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) return `today ${time}`;
  if (date.toDateString() === new Date(now - 86_400_000).toDateString()) return `yesterday ${time}`;
  const sameYear = date.getFullYear() === today.getFullYear();
  const day = date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
  return sameYear ? `${day} ${time}` : day;
}

/** "https://my-app-x1y2.vercel.app/" → "my-app-x1y2.vercel.app"; not an https address → ''. */
export function hostOf(url) {
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === 'https:' ? parsed.host + (parsed.pathname === '/' ? '' : parsed.pathname) : '';
  } catch {
    return '';
  }
}

/** A deployment id short enough for a row: "dpl_8fJ2kLmN…" (12 characters and an ellipsis). */
export function shortId(id) {
  const text = String(id ?? '');
  return text.length > 14 ? `${text.slice(0, 12)}…` : text;
}

/** True for the states in which a deployment serves: Vercel's READY, Netlify's ready. */
export const isReady = (state) => String(state).toUpperCase() === 'READY';
