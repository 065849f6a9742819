// Display helpers of the popup alone (shared/format.js holds those the drop page uses too).

/** The first 7 hex digits of a commit id, as GitHub shows it. */
export function shortCommit(id) {
  return /^[0-9a-f]{40}$/.test(String(id)) ? id.slice(0, 7) : String(id ?? '');
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

/**
 * What the project card says of a project read from its page ({note, status}; status undefined:
 * the card's usual one). source: {kind: 'download', name, at} (the builder's own download, kept),
 * {kind: 'menu'} (asked for through its Export menu), {kind: 'stored', chats, description,
 * timestamp} (the address names no chat), or anything else (nothing to add).
 */
export function sourceText(source, builderName, now = Date.now()) {
  const who = builderName || 'the builder';
  switch (source?.kind) {
    case 'download':
      return {
        note: `${who}'s download of ${source.name}, ${timeAgo(source.at, now) || 'just now'}.`,
        status: `Ready to export ${who}'s download.`,
      };
    case 'menu':
      return {
        note: `Liftoff takes the project from ${who}'s own Export → Download.`,
        status: 'Ready to export.',
      };
    case 'stored': {
      const which = source.description ? `“${source.description}”` : 'the most recent project';
      const when = Number.isFinite(source.timestamp) ? `, last changed ${timeAgo(source.timestamp, now)}` : '';
      const others =
        source.chats > 1 ? ` It is the most recently changed of the ${source.chats} projects stored here: open another chat to export it.` : '';
      return { note: `No chat is open in this tab: this is ${which}${when}.${others}`, status: 'Ready to export.' };
    }
    default:
      return { note: '', status: undefined };
  }
}
