// Liftoff's service worker: wires the popup and the drop page to the capture → core → download
// (or GitHub push, Vercel/Netlify deployment, or Supabase database push) pipeline and the
// History view, and the options page to the tokens only this worker reads.
// Listeners are registered synchronously at the top level so that Chrome can wake the worker for
// them after it has been stopped for idleness.
import { attachDrop } from './background/drop-session.js';
import { attachOptions } from './background/options-session.js';
import { attachPopup } from './background/popup-session.js';
import { onDownloadChanged, sweep } from './background/download.js';

const DROP_PAGE = chrome.runtime.getURL('extension/drop/drop.html');
const OPTIONS_PAGE = chrome.runtime.getURL('extension/options/options.html');

chrome.runtime.onConnect.addListener((port) => {
  const sender = port.sender;
  if (sender?.id !== chrome.runtime.id) return;
  if (port.name === 'popup' && !sender.tab) attachPopup(port);
  else if (port.name === 'drop' && sender.url?.split(/[?#]/)[0] === DROP_PAGE) attachDrop(port);
  else if (port.name === 'options' && sender.url?.split(/[?#]/)[0] === OPTIONS_PAGE) attachOptions(port);
});

chrome.downloads.onChanged.addListener((delta) => {
  onDownloadChanged(delta).catch((error) => console.warn('Liftoff download cleanup failed:', error?.name));
});

// Zips stored before a browser restart can no longer be downloaded (their blob: URLs are gone).
chrome.runtime.onStartup.addListener(() => {
  sweep(0).catch((error) => console.warn('Liftoff startup cleanup failed:', error?.name));
});
