// Turns a zip stored by the service worker into a blob: URL for chrome.downloads, and revokes it
// when the download is over. Keeps nothing but the URLs it made.
// Requests and answers: protocol.js, BlobUrlRequest and RevokeUrlRequest.
import { OFFSCREEN_TARGET } from '../protocol.js';
import { getZip } from '../shared/blob-store.js';

chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (message?.target !== OFFSCREEN_TARGET) return false;
  if (message.type === 'blob-url') {
    getZip(message.key).then(
      (blob) =>
        sendResponse(blob ? { url: URL.createObjectURL(blob) } : { error: 'The export file was not found.' }),
      (error) => sendResponse({ error: `The export file could not be read (${error?.name ?? 'error'}).` }),
    );
    return true; // answer asynchronously
  }
  if (message.type === 'revoke-url') {
    URL.revokeObjectURL(message.url);
    sendResponse({ ok: true });
  }
  return false;
});
