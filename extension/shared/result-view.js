// The export result, for the popup and the drop page alike: the title, file name and size of the
// download, and the lists of files left out (each path with its reason). Text only: every value
// is set with textContent.
import { humanSize } from './format.js';

/** One left-out file: <li><code>path</code><span>reason</span></li>. */
export function listItem({ path, reason }) {
  const item = document.createElement('li');
  const code = document.createElement('code');
  code.textContent = path;
  item.append(code);
  if (reason) {
    const why = document.createElement('span');
    why.textContent = reason;
    item.append(why);
  }
  return item;
}

/** Fills a list of left-out files and its title ("Left out of the zip (3)"); both hidden when empty. */
export function showLeftOut(list, title, entries, where) {
  list.replaceChildren(...entries.map(listItem));
  list.hidden = title.hidden = entries.length === 0;
  title.textContent = `Left out of ${where} (${entries.length})`;
}

/** The download's title, file name and size. */
export function showDownload(ui, { fileName, size, saved }) {
  // Not yet saved: the browser is still busy with it, e.g. asking where to save.
  ui.resultTitle.textContent = saved === false ? 'Download started' : 'Downloaded';
  ui.resultFile.textContent = fileName;
  ui.resultFile.title = fileName;
  ui.resultSize.textContent = humanSize(size);
}
