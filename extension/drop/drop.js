// The drop page: takes a project archive (zip, tar, tar.gz) a builder let the user download,
// hands it to the service worker and shows the export's progress and result. The file goes
// through the extension's IndexedDB (a Blob, never a JSON message), and the worker reads it,
// runs the core and saves the zip.
import { DROP_PORT } from '../protocol.js';
import { putInput } from '../shared/blob-store.js';
import { humanSize, plural } from '../shared/format.js';
import { showDownload, showLeftOut } from '../shared/result-view.js';
import { renderSummary } from '../shared/summary-view.js';

const $ = (id) => document.getElementById(id);
const ui = {
  zone: $('drop-zone'),
  input: $('file-input'),
  chosen: $('chosen'),
  progress: $('progress'),
  status: $('status'),
  result: $('result'),
  resultTitle: $('result-title'),
  resultFile: $('result-file'),
  resultSize: $('result-size'),
  resultFiles: $('result-files'),
  resultBuilder: $('result-builder'),
  skippedTitle: $('result-skipped-title'),
  skipped: $('result-skipped'),
  summary: $('summary'),
};

const BAR = { reading: 0.15, building: 0.45, saving: 0.85 };
const TEXT = {
  reading: 'Reading the file…',
  building: 'Building the zip…',
  saving: 'Saving the download…',
};

let busy = false;
let port = null;

function setStatus(text, tone = 'info') {
  ui.status.textContent = text;
  ui.status.dataset.tone = tone;
}

function setBusy(value) {
  busy = value;
  ui.zone.classList.toggle('busy', value);
  ui.input.disabled = value;
}

function connect() {
  if (port) return port;
  port = chrome.runtime.connect({ name: DROP_PORT });
  port.onMessage.addListener((message) => {
    if (message?.type === 'progress') showProgress(message);
    else if (message?.type === 'done') showDone(message);
    else if (message?.type === 'error') showError(message.message);
  });
  port.onDisconnect.addListener(() => {
    port = null;
    if (busy) showError('Liftoff stopped unexpectedly. Drop the file again.');
  });
  return port;
}

// A step of the run as the popup words it: the phase, and files done of files known once their
// number is known (never a count of requests, never "0 of 0").
function showProgress({ phase, done, total }) {
  ui.progress.hidden = false;
  ui.progress.value = BAR[phase] ?? ui.progress.value;
  const count = total > 0 && Number.isInteger(done) ? ` ${Math.min(done, total)} of ${plural(total, 'file')}` : '';
  setStatus(`${TEXT[phase] ?? 'Working…'}${count}`);
}

function showDone({ fileName, size, files, builderName, skipped, saved, summary }) {
  setBusy(false);
  ui.progress.hidden = true;
  showDownload(ui, { fileName, size, saved });
  ui.resultFiles.textContent = Number.isInteger(files) ? plural(files, 'file') : '';
  // The catalog's name of the builder the core recognised; none when it did not.
  ui.resultBuilder.textContent = typeof builderName === 'string' && builderName ? builderName : 'Not recognised';
  showLeftOut(ui.skipped, ui.skippedTitle, skipped, 'the zip');
  ui.result.hidden = false;
  renderSummary(ui.summary, summary);
  setStatus('');
}

function showError(message) {
  setBusy(false);
  ui.progress.hidden = true;
  setStatus(message, 'error');
}

async function start(file) {
  if (busy || !file) return;
  ui.result.hidden = true;
  renderSummary(ui.summary, null);
  ui.chosen.hidden = false;
  ui.chosen.textContent = `${file.name} · ${humanSize(file.size)}`;
  if (file.size === 0) {
    showError('This file is empty.');
    return;
  }
  setBusy(true);
  showProgress({ phase: 'reading' });
  try {
    const key = crypto.randomUUID();
    await putInput(key, file);
    connect().postMessage({ type: 'export-archive', key, fileName: file.name });
  } catch (error) {
    showError(`The file could not be read (${error?.name ?? 'error'}).`);
  }
}

ui.input.addEventListener('change', () => {
  const [file] = ui.input.files;
  ui.input.value = ''; // choosing the same file again still fires 'change'
  start(file);
});

// A file dropped anywhere on the page counts; the browser must never open it instead.
let depth = 0;
window.addEventListener('dragenter', (event) => {
  event.preventDefault();
  if (++depth === 1) ui.zone.classList.add('over');
});
window.addEventListener('dragleave', () => {
  if (--depth <= 0) {
    depth = 0;
    ui.zone.classList.remove('over');
  }
});
window.addEventListener('dragover', (event) => {
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = busy ? 'none' : 'copy';
});
window.addEventListener('drop', (event) => {
  event.preventDefault();
  depth = 0;
  ui.zone.classList.remove('over');
  start(event.dataTransfer?.files?.[0]);
});
