// Liftoff's service worker: wires the popup to the capture → core → download pipeline.
// Listeners are registered synchronously at the top level so that Chrome can wake the worker
// for them after it has been stopped for idleness.
import { attachPopup } from './background/popup-session.js';
import { onDownloadChanged, sweep } from './background/download.js';

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === 'popup' && port.sender?.id === chrome.runtime.id && !port.sender.tab) attachPopup(port);
});

chrome.downloads.onChanged.addListener((delta) => {
  onDownloadChanged(delta).catch((error) => console.warn('Liftoff download cleanup failed:', error?.name));
});

// Zips stored before a browser restart can no longer be downloaded (their blob: URLs are gone).
chrome.runtime.onStartup.addListener(() => {
  sweep(0).catch((error) => console.warn('Liftoff startup cleanup failed:', error?.name));
});
