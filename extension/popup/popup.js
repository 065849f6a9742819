// The popup: shows the project the service worker finds in the active tab, starts the export,
// follows its progress and shows the result. All work happens in the service worker.
import { builderName, humanSize, plural } from './format.js';

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
  skippedTitle: $('result-skipped-title'),
  skipped: $('result-skipped'),
};

const PHASES = {
  reading: 'Reading the project from the page…',
  building: 'Building the zip…',
  saving: 'Saving the download…',
};

let tabId = null;
let busy = false;

function setStatus(text, tone = 'info') {
  ui.status.textContent = text;
  ui.status.dataset.tone = tone;
}

function showProject({ builder, name, files, skipped }) {
  ui.builder.textContent = builderName(builder);
  ui.name.textContent = name;
  ui.name.title = name;
  ui.fileCount.textContent = plural(files, 'file');
  const missing = skipped?.length ?? 0;
  ui.note.hidden = missing === 0;
  ui.note.textContent = missing
    ? `${plural(missing, 'file')} cannot be read from the page and will be left out.`
    : '';
  ui.project.hidden = false;
  ui.exportButton.disabled = false;
  setStatus('Ready to export.');
}

function showNone(message) {
  ui.project.hidden = true;
  ui.exportButton.disabled = true;
  setStatus(message, 'empty');
}

function showProgress({ phase, done, total }) {
  ui.progress.hidden = false;
  ui.progress.value = total > 0 ? done / total : 0;
  setStatus(PHASES[phase] ?? 'Working…');
}

function showDone({ fileName, size, skipped, saved }) {
  busy = false;
  ui.progress.value = 1;
  ui.progress.hidden = true;
  ui.exportButton.disabled = false;
  ui.exportButton.textContent = 'Export again';
  // Not yet saved: the browser is still busy with it, e.g. asking where to save.
  ui.resultTitle.textContent = saved === false ? 'Download started' : 'Downloaded';
  ui.resultFile.textContent = fileName;
  ui.resultFile.title = fileName;
  ui.resultSize.textContent = humanSize(size);
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
      return showNone(message.message);
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
  showProgress({ phase: 'reading', done: 0, total: 3 });
  port.postMessage({ type: 'export', tabId });
});

$('open-options').addEventListener('click', () => chrome.runtime.openOptionsPage());

const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
if (tab?.id === undefined) {
  showNone('No Bolt project is open in this tab. Open a project on bolt.new and try again.');
} else {
  tabId = tab.id;
  port.postMessage({ type: 'inspect', tabId });
}
