// Display helpers the popup and the drop page share.

/** The builders' names as pages show them. */
export const BUILDER_NAMES = Object.freeze({ bolt: 'Bolt', lovable: 'Lovable', base44: 'Base44' });

/** A builder's name ('lovable' → "Lovable"); an unknown id as it is. */
export function builderName(id) {
  return BUILDER_NAMES[id] ?? String(id ?? '');
}

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
