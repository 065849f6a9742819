// Turns a zip stored by the service worker into a blob: URL for chrome.downloads, and revokes it
// when the download is over; zips a large export's files on workers (zip-workers.js: a service
// worker cannot start workers) and stores the zip for the download. Keeps nothing but the URLs
// it made. Requests and answers: protocol.js, BlobUrlRequest, RevokeUrlRequest and
// ZipFilesRequest.
import { OFFSCREEN_TARGET } from '../protocol.js';
import { getZip, putZip } from '../shared/blob-store.js';
import { zipInWorkers } from './zip-workers.js';

// From the service worker's postMessage (files transferred), answered on the port it sends.
navigator.serviceWorker.onmessage = ({ data, ports: [port] }) => {
  if (data?.target !== OFFSCREEN_TARGET || data.type !== 'zip-files' || !port) return;
  const { key, paths, contents, executable, workers, fast } = data;
  zipInWorkers({ paths, contents, executable }, { workers, fast })
    .then(async (zip) => {
      await putZip(key, zip);
      port.postMessage({ size: zip.size });
    })
    .catch((error) => port.postMessage({ error: `The export could not be zipped (${error?.message ?? 'error'}).` }));
};

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
