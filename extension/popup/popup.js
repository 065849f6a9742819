// The popup: shows the project the service worker finds in the active tab, starts the export,
// follows its progress and shows the result. All work happens in the service worker; no token
// ever reaches the popup.
import { builderName, humanSize, plural } from './format.js';
import { renderSummary } from '../shared/summary-view.js';

const $ = (id) => document.getElementById(id);
const ui = {
  project: $('project'),
  builder: $('builder'),
  name: $('project-name'),
  fileCount: $('file-count'),
  note: $('project-note'),
  exportButton: $('export'),
  progress: $('progress'),
  status: $('status'),
  result: $('result'),
  resultTitle: $('result-title'),
  resultFile: $('result-file'),
  resultSize: $('result-size'),
  resultFilesLabel: $('result-files-label'),
  resultFiles: $('result-files'),
  skippedTitle: $('result-skipped-title'),
  skipped: $('result-skipped'),
  summary: $('summary'),
  openDrop: $('open-drop'),
};

// Where the bar stands at the start of each phase; 'fetching' fills the span up to 'building'.
const BAR = { reading: 0.04, fetching: 0.1, building: 0.88, saving: 0.95 };

let tabId = null;
let builder = null;
let busy = false;

function setStatus(text, tone = 'info') {
  ui.status.textContent = text;
  ui.status.dataset.tone = tone;
}

function showProject({ builder: id, name, files, skipped }) {
  builder = id;
  ui.builder.textContent = builderName(id);
  ui.name.textContent = name;
  ui.name.title = name;
  // Lovable and Base44: only their API knows the files, so the count comes with the export.
  ui.fileCount.textContent = Number.isInteger(files) ? plural(files, 'file') : 'ready to export';
  const missing = skipped?.length ?? 0;
  ui.note.hidden = missing === 0;
  ui.note.textContent = missing
    ? `${plural(missing, 'file')} cannot be read from the page and will be left out.`
    : '';
  ui.project.hidden = false;
  ui.exportButton.hidden = false;
  ui.exportButton.disabled = false;
  setStatus(
    Number.isInteger(files) ? 'Ready to export.' : `Liftoff will fetch the files from ${builderName(id)} with your session.`,
  );
}

function showNone(message, offerDrop) {
  ui.project.hidden = true;
  ui.exportButton.disabled = true;
  // With nothing to export here, the drop page is the way forward: make it the main button.
  ui.exportButton.hidden = Boolean(offerDrop);
  ui.openDrop.classList.toggle('offer', Boolean(offerDrop));
  ui.openDrop.textContent = offerDrop ? 'Open the drop page' : 'Have a downloaded zip or tarball? Export it here';
  setStatus(message, 'empty');
}

function showProgress({ phase, done, total }) {
  ui.progress.hidden = false;
  const who = builderName(builder) || 'the builder';
  if (phase === 'fetching') {
    const share = total > 0 ? Math.min(done / total, 1) : 0;
    ui.progress.value = BAR.fetching + (BAR.building - BAR.fetching) * share;
    setStatus(total > 1 ? `Fetching files from ${who}… ${done} of ${total}` : `Fetching the project from ${who}…`);
    return;
  }
  ui.progress.value = BAR[phase] ?? ui.progress.value;
  const text = {
    reading: 'Reading the project from the page…',
    building: 'Building the zip…',
    saving: 'Saving the download…',
  };
  setStatus(text[phase] ?? 'Working…');
}

function showDone({ fileName, size, skipped, saved, files, summary }) {
  busy = false;
  ui.progress.value = 1;
  ui.progress.hidden = true;
  ui.exportButton.disabled = false;
  ui.exportButton.textContent = 'Export again';
  if (Number.isInteger(files)) ui.fileCount.textContent = plural(files, 'file');
  // Not yet saved: the browser is still busy with it, e.g. asking where to save.
  ui.resultTitle.textContent = saved === false ? 'Download started' : 'Downloaded';
  ui.resultFile.textContent = fileName;
  ui.resultFile.title = fileName;
  ui.resultSize.textContent = humanSize(size);
  ui.resultFiles.textContent = Number.isInteger(files) ? String(files) : '';
  ui.resultFiles.dataset.unit = files === 1 ? 'file' : 'files';
  ui.resultFiles.hidden = ui.resultFilesLabel.hidden = !Number.isInteger(files);
  ui.skipped.replaceChildren(
    ...skipped.map(({ path, reason }) => {
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
    }),
  );
  ui.skipped.hidden = ui.skippedTitle.hidden = skipped.length === 0;
  ui.skippedTitle.textContent = `Left out of the zip (${skipped.length})`;
  ui.note.hidden = true; // the result lists them now, with reasons
  ui.result.hidden = false;
  renderSummary(ui.summary, summary);
  setStatus('');
}

function showError(message) {
  busy = false;
  ui.progress.hidden = true;
  ui.exportButton.disabled = false;
  setStatus(message, 'error');
}

const port = chrome.runtime.connect({ name: 'popup' });
port.onMessage.addListener((message) => {
  switch (message?.type) {
    case 'project':
      return showProject(message);
    case 'none':
      return showNone(message.message, message.offerDrop);
    case 'progress':
      return showProgress(message);
    case 'done':
      return showDone(message);
    case 'error':
      return showError(message.message);
  }
});
port.onDisconnect.addListener(() => {
  ui.exportButton.disabled = true;
  setStatus('Liftoff stopped unexpectedly. Close this popup and open it again.', 'error');
});

ui.exportButton.addEventListener('click', () => {
  if (busy || tabId === null) return;
  busy = true;
  ui.exportButton.disabled = true;
  ui.result.hidden = true;
  renderSummary(ui.summary, null);
  showProgress({ phase: 'reading' });
  port.postMessage({ type: 'export', tabId });
});

ui.openDrop.addEventListener('click', async () => {
  await chrome.tabs.create({ url: chrome.runtime.getURL('extension/drop/drop.html') });
  window.close();
});

$('open-options').addEventListener('click', () => chrome.runtime.openOptionsPage());

const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
if (tab?.id === undefined) {
  showNone('No Bolt, Lovable or Base44 project is open in this tab.', true);
} else {
  tabId = tab.id;
  port.postMessage({ type: 'inspect', tabId });
}
