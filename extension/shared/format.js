// Display helpers the popup and the drop page share. (Builders' and destinations' names come
// with the worker's answers, from the core's catalog.)

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
