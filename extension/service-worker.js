// Liftoff's service worker: wires the popup and the drop page to the capture → core → download
// (or GitHub push, Vercel/Netlify deployment, or Supabase database push) pipeline and the
// History view, and the options page to the tokens only this worker reads.
// Listeners are registered synchronously at the top level so that Chrome can wake the worker for
// them after it has been stopped for idleness.
import { onDownloadChanged, sweep } from './background/actions/download.js';
import { attachDrop } from './background/ports/drop-session.js';
import { attachOptions } from './background/ports/options-session.js';
import { attachPopup } from './background/ports/popup-session.js';
import { watchPageSessions } from './background/sources/page-session.js';
import { DROP_PORT, OPTIONS_PORT, POPUP_PORT } from './protocol.js';

const DROP_PAGE = chrome.runtime.getURL('extension/drop/drop.html');
const OPTIONS_PAGE = chrome.runtime.getURL('extension/options/options.html');

chrome.runtime.onConnect.addListener((port) => {
  const sender = port.sender;
  if (sender?.id !== chrome.runtime.id) return;
  if (port.name === POPUP_PORT && !sender.tab) attachPopup(port);
  else if (port.name === DROP_PORT && sender.url?.split(/[?#]/)[0] === DROP_PAGE) attachDrop(port);
  else if (port.name === OPTIONS_PORT && sender.url?.split(/[?#]/)[0] === OPTIONS_PAGE) attachOptions(port);
});

chrome.downloads.onChanged.addListener((delta) => {
  onDownloadChanged(delta).catch((error) => console.warn('Liftoff download cleanup failed:', error?.name));
});

// Zips stored before a browser restart can no longer be downloaded (their blob: URLs are gone).
chrome.runtime.onStartup.addListener(() => {
  sweep(0).catch((error) => console.warn('Liftoff startup cleanup failed:', error?.name));
});

// The session a builder's page sends to its own API: the fallback when the page's storage holds
// none Liftoff can read (background/sources/page-session.js).
watchPageSessions();
