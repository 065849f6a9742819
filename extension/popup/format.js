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
