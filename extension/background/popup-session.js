// One popup, one port. Requests: {type: 'inspect', tabId} and {type: 'export', tabId}.
// Answers: 'project' | 'none' for inspect; 'progress'… then 'done' | 'error' for export.
import { captureBolt } from './capture.js';
import { exportBolt, inspectBolt } from './core.js';
import { safeFileName, saveZip } from './download.js';
import { sentenceFor } from './errors.js';
import { NOT_REACHABLE, NO_PROJECT } from './messages.js';

const PHASES = ['reading', 'building', 'saving'];

export function attachPopup(port) {
  let open = true;
  port.onDisconnect.addListener(() => {
    open = false;
  });
  // The popup closes whenever it loses focus; an export it started still finishes.
  const post = (message) => {
    if (!open) return;
    try {
      port.postMessage(message);
    } catch {
      open = false; // closed between the check and the send
    }
  };

  port.onMessage.addListener((message) => {
    if (!Number.isInteger(message?.tabId)) return;
    if (message.type === 'inspect') inspect(message.tabId, post);
    else if (message.type === 'export') runExport(message.tabId, post);
  });
}

async function inspect(tabId, post) {
  try {
    const page = await captureBolt(tabId);
    if (!page.reachable) return post({ type: 'none', message: NOT_REACHABLE });
    if (page.dumpJson === null) return post({ type: 'none', message: NO_PROJECT });
    const project = await inspectBolt(page.dumpJson, page.chatHint);
    post({
      type: 'project',
      builder: project.builder,
      name: project.name,
      files: project.files,
      skipped: (project.skipped ?? []).map(({ path, reason }) => ({ path, reason })),
    });
  } catch (error) {
    post({ type: 'none', message: sentenceFor(error, 'Liftoff could not read this project') });
    logFailure('inspect', error);
  }
}

async function runExport(tabId, post) {
  const progress = (phase) =>
    post({ type: 'progress', phase, done: PHASES.indexOf(phase), total: PHASES.length });
  try {
    progress('reading');
    const page = await captureBolt(tabId);
    if (!page.reachable) return post({ type: 'error', message: NOT_REACHABLE });
    if (page.dumpJson === null) return post({ type: 'error', message: NO_PROJECT });

    progress('building');
    const result = await exportBolt(page.dumpJson, page.chatHint);
    const size = result.zip.byteLength;
    const fileName = safeFileName(result.fileName);

    progress('saving');
    const { state } = await saveZip(result.zip, fileName);

    const skipped = (result.report?.changes ?? [])
      .filter((change) => change.action === 'skipped')
      .map(({ path, reason }) => ({ path, reason }));
    post({
      type: 'done',
      fileName,
      size,
      saved: state === 'complete',
      skipped,
      report: result.report,
    });
  } catch (error) {
    post({ type: 'error', message: sentenceFor(error, 'The export failed') });
    logFailure('export', error);
  }
}

// Error names and our own sentences only: never page data in bulk.
function logFailure(what, error) {
  console.warn(`Liftoff ${what} failed:`, error?.name ?? typeof error, sentenceFor(error, '').slice(0, 200));
}
