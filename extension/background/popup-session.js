// One popup, one port. Requests: {type: 'inspect', tabId} and {type: 'export', tabId}.
// Answers: 'project' | 'none' for inspect; 'progress'… then 'done' | 'error' for export.
import { deliver, exportTab, inspectTab } from './builders.js';
import { sentenceFor } from './errors.js';
import { portPoster, logFailure } from './ports.js';

export function attachPopup(port) {
  const post = portPoster(port);
  port.onMessage.addListener((message) => {
    if (!Number.isInteger(message?.tabId)) return;
    if (message.type === 'inspect') inspect(message.tabId, post);
    else if (message.type === 'export') runExport(message.tabId, post);
  });
}

async function inspect(tabId, post) {
  try {
    post(await inspectTab(tabId));
  } catch (error) {
    post({ type: 'none', message: sentenceFor(error, 'Liftoff could not read this project'), offerDrop: true });
    logFailure('inspect', error);
  }
}

async function runExport(tabId, post) {
  const progress = (step) => post({ type: 'progress', ...step });
  try {
    const result = await exportTab(tabId, progress);
    post({ type: 'done', ...(await deliver(result, progress)) });
  } catch (error) {
    post({ type: 'error', message: sentenceFor(error, 'The export failed') });
    logFailure('export', error);
  }
}
