// The drop page's port (protocol.js, DROP_PORT): {type: 'export-archive', key, fileName} for a
// file the page stored in the extension's IndexedDB; answered with 'progress'… then 'done' |
// 'error', as for the popup.
import { downloadExport } from '../actions/download-export.js';
import { zipChoice } from '../actions/zip-choice.js';
import { whileAwake } from '../core/keep-alive.js';
import { exportDropped } from '../sources/dropped-archive.js';
import { answerRun, portPoster } from './post.js';

/** Serves one drop page's port. */
export function attachDrop(port) {
  const post = portPoster(port);
  port.onMessage.addListener((message) => {
    if (message?.type !== 'export-archive' || typeof message.key !== 'string') return;
    const fileName = typeof message.fileName === 'string' ? message.fileName.slice(0, 255) : 'project.zip';
    whileAwake(() =>
      answerRun(post, { answer: 'done', what: 'drop export', fallback: 'The export failed' }, async (progress) => {
        const zip = await zipChoice();
        return downloadExport(await exportDropped(message.key, fileName, progress, zip.core), progress, zip);
      }),
    );
  });
}
