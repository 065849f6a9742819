// The popup: shows the project the service worker finds in the active tab, starts the export
// (a zip download), the push to GitHub, a deployment (deploy-form.js) or, after an export that
// holds SQL, the database push to Supabase (database-step.js), follows its progress and shows
// the result; and the History view (history-view.js). All work happens in the service
// worker; no token ever reaches the popup (it is only told whether each token is set).
import {
  closeDatabase,
  databaseText,
  hideDatabaseResult,
  hideDatabaseStep,
  initDatabase,
  offerDatabase,
  prepareDatabase,
  showDatabaseApplied,
  syncDatabase,
} from './database-step.js';
import { closeDeploy, deployingText, hideDeploy, hideDeployed, initDeploy, prepareDeploy, showDeployed, syncDeploy } from './deploy-form.js';
import { builderName, defaultCommitMessage, plural, providerName, shortCommit } from './format.js';
import { initHistory, onHistoryMessage } from './history-view.js';
import { showDownload, showLeftOut } from '../shared/result-view.js';
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
  statusSettings: $('status-settings'),
  statusDetail: $('status-detail'),
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
  pushOpen: $('push-open'),
  pushForm: $('push-form'),
  pushNoToken: $('push-no-token'),
  pushRepo: $('push-repo'),
  pushCreate: $('push-create'),
  pushVisibility: $('push-visibility'),
  pushBranch: $('push-branch'),
  pushMessage: $('push-message'),
  pushButton: $('push'),
  pushResult: $('push-result'),
  pushResultTitle: $('push-result-title'),
  pushResultNote: $('push-result-note'),
  pushResultRepo: $('push-result-repo'),
  pushResultBranch: $('push-result-branch'),
  pushResultLink: $('push-result-link'),
  pushExcludedTitle: $('push-excluded-title'),
  pushExcluded: $('push-excluded'),
};

// Where the bar stands at the start of each phase; 'fetching' fills the span up to 'building'
// ('pushing' up to the end, for a push).
const BARS = {
  export: { reading: 0.04, fetching: 0.1, building: 0.88, saving: 0.95 },
  push: { reading: 0.04, fetching: 0.08, building: 0.3, pushing: 0.36 },
  deploy: { reading: 0.03, fetching: 0.06, building: 0.16, deploying: 0.2 },
  database: { reading: 0.03, fetching: 0.06, building: 0.5, database: 0.56 },
};
// The core's own rule for a repository name (crates/liftoff-core/src/github/names.rs), checked
// here only to answer at once; the core checks again.
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

let tabId = null;
let builder = null;
let projectKey = null;
let busy = false;
let mode = 'export'; // what the progress and the error belong to
let tokenSet = false;
let prefilledMessage = '';

function setStatus(text, tone = 'info', { settings = false, detail = null } = {}) {
  ui.status.textContent = text;
  ui.status.dataset.tone = tone;
  // A missing, refused or too narrow token: the way to fix it, one click away.
  ui.statusSettings.hidden = !settings;
  // A failing SQL statement, as the core quotes it.
  ui.statusDetail.textContent = detail ?? '';
  ui.statusDetail.hidden = !detail;
}

function showProject({ builder: id, key, name, files, skipped, github, deploy, database }) {
  builder = id;
  projectKey = typeof key === 'string' ? key : null;
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
  ui.pushOpen.hidden = false;
  preparePush(github ?? {});
  prepareDeploy(deploy, name);
  prepareDatabase(database);
  setStatus(
    Number.isInteger(files) ? 'Ready to export.' : `Liftoff will fetch the files from ${builderName(id)} with your session.`,
  );
}

/** Fills the push form: the last repository of this project, the default message. */
function preparePush({ tokenSet: hasToken, repository, branch }) {
  tokenSet = hasToken === true;
  ui.pushNoToken.hidden = tokenSet;
  if (typeof repository === 'string' && repository) ui.pushRepo.value = repository;
  if (typeof branch === 'string' && branch) ui.pushBranch.value = branch;
  prefilledMessage = defaultCommitMessage(builderName(builder), Date.now());
  ui.pushMessage.value = prefilledMessage;
  syncPushForm();
}

function syncPushForm() {
  const creating = ui.pushCreate.checked;
  ui.pushVisibility.classList.toggle('off', !creating);
  for (const radio of ui.pushVisibility.querySelectorAll('input')) radio.disabled = !creating || busy;
  for (const field of [ui.pushRepo, ui.pushBranch, ui.pushMessage, ui.pushCreate]) field.disabled = busy;
  ui.pushButton.disabled = busy || !tokenSet;
  ui.pushButton.textContent = creating ? 'Create and push' : 'Push';
}

function togglePushForm(open = ui.pushForm.hidden) {
  if (open) {
    closeDeploy(); // one form at a time
    closeDatabase();
  }
  ui.pushForm.hidden = !open;
  // The way to the drop page is for zips: out of the way while a form is open.
  ui.openDrop.hidden = open;
  ui.pushOpen.setAttribute('aria-expanded', String(open));
  ui.pushOpen.classList.toggle('active', open);
  if (open) {
    if (ui.status.dataset.tone !== 'error') setStatus('');
    syncPushForm();
    (ui.pushRepo.value ? ui.pushButton : ui.pushRepo).focus();
  }
}

function showNone(message, offerDrop) {
  ui.project.hidden = true;
  ui.exportButton.disabled = true;
  ui.pushOpen.hidden = true;
  ui.pushForm.hidden = true;
  hideDeploy();
  hideDatabaseStep();
  ui.openDrop.hidden = false;
  // With nothing to export here, the drop page is the way forward: make it the main button.
  ui.exportButton.hidden = Boolean(offerDrop);
  ui.openDrop.classList.toggle('offer', Boolean(offerDrop));
  ui.openDrop.textContent = offerDrop ? 'Open the drop page' : 'Have a downloaded zip or tarball? Export it here';
  setStatus(message, 'empty');
}

function showProgress({ phase, done, total }) {
  ui.progress.hidden = false;
  const bar = BARS[mode];
  const who = builderName(builder) || 'the builder';
  const share = total > 0 ? Math.min(done / total, 1) : 0;
  if (phase === 'fetching') {
    ui.progress.value = bar.fetching + (bar.building - bar.fetching) * share;
    setStatus(total > 1 ? `Fetching files from ${who}… ${done} of ${total}` : `Fetching the project from ${who}…`);
    return;
  }
  if (phase === 'pushing') {
    ui.progress.value = bar.pushing + (1 - bar.pushing) * share;
    setStatus('Pushing to GitHub…');
    return;
  }
  if (phase === 'deploying') {
    // The plan grows once the provider names the files it lacks: the bar never goes back.
    ui.progress.value = Math.max(ui.progress.value, bar.deploying + (1 - bar.deploying) * share);
    setStatus(deployingText({ done, total }));
    return;
  }
  if (phase === 'database') {
    ui.progress.value = Math.max(ui.progress.value, bar.database + (1 - bar.database) * share);
    setStatus(databaseText({ done, total }));
    return;
  }
  ui.progress.value = bar[phase] ?? ui.progress.value;
  const text = {
    reading: 'Reading the project from the page…',
    building: { push: 'Preparing the commit…', deploy: 'Preparing the upload…', database: 'Preparing the SQL…' }[mode] ?? 'Building the zip…',
    saving: 'Saving the download…',
  };
  setStatus(text[phase] ?? 'Working…');
}

/** Clears the results of earlier runs and shows the first step of a new one. */
function startRun(kind) {
  busy = true;
  mode = kind;
  ui.exportButton.disabled = true;
  ui.pushOpen.disabled = true;
  syncPushForm();
  syncDeploy();
  syncDatabase();
  ui.result.hidden = true;
  ui.pushResult.hidden = true;
  hideDeployed();
  hideDatabaseResult();
  // The Database step stays for its own run; any other run's export decides it again.
  if (kind !== 'database') hideDatabaseStep();
  renderSummary(ui.summary, null);
  showProgress({ phase: 'reading' });
}

function endRun() {
  busy = false;
  ui.progress.hidden = true;
  ui.exportButton.disabled = false;
  ui.pushOpen.disabled = false;
  syncPushForm();
  syncDeploy();
  syncDatabase();
}

function showDone({ fileName, size, skipped, saved, files, summary, sql }) {
  endRun();
  ui.exportButton.textContent = 'Export again';
  if (Number.isInteger(files)) ui.fileCount.textContent = plural(files, 'file');
  showDownload(ui, { fileName, size, saved });
  ui.resultFiles.textContent = Number.isInteger(files) ? String(files) : '';
  ui.resultFiles.dataset.unit = files === 1 ? 'file' : 'files';
  ui.resultFiles.hidden = ui.resultFilesLabel.hidden = !Number.isInteger(files);
  showLeftOut(ui.skipped, ui.skippedTitle, skipped, 'the zip');
  ui.note.hidden = true; // the result lists them now, with reasons
  ui.result.hidden = false;
  offerDatabase(sql);
  renderSummary(ui.summary, summary);
  setStatus('');
}

function showPushed({ repository, branch, commit, url, created, isPrivate, upToDate, excluded, files, summary, sql }) {
  endRun();
  if (Number.isInteger(files)) ui.fileCount.textContent = plural(files, 'file');
  ui.pushResultTitle.textContent = upToDate ? 'Already up to date' : 'Pushed to GitHub';
  ui.pushResultNote.textContent = upToDate
    ? 'The branch already holds this export: no new commit.'
    : created
      ? `Liftoff created ${isPrivate ? 'a private' : 'a public'} repository for it.`
      : '';
  ui.pushResultNote.hidden = ui.pushResultNote.textContent === '';
  ui.pushResult.dataset.outcome = upToDate ? 'up-to-date' : 'pushed';
  ui.pushResultRepo.textContent = repository;
  ui.pushResultRepo.title = repository;
  ui.pushResultBranch.textContent = branch;
  ui.pushResultLink.textContent = shortCommit(commit);
  ui.pushResultLink.title = url;
  // Only GitHub's own https address becomes a link.
  if (/^https:\/\//.test(url)) ui.pushResultLink.href = url;
  else ui.pushResultLink.removeAttribute('href');
  const left = Array.isArray(excluded) ? excluded : [];
  showLeftOut(ui.pushExcluded, ui.pushExcludedTitle, left, 'the commit');
  ui.note.hidden = true; // the list holds what the page could not provide, with reasons
  ui.pushResult.hidden = false;
  ui.pushCreate.checked = false; // it exists now
  syncPushForm();
  togglePushForm(false);
  offerDatabase(sql);
  renderSummary(ui.summary, summary);
  setStatus('');
}

function showDeployResult(result) {
  endRun();
  if (Number.isInteger(result.files)) ui.fileCount.textContent = plural(result.files, 'file');
  showDeployed(result);
  offerDatabase(result.sql);
  ui.openDrop.hidden = false;
  renderSummary(ui.summary, result.summary && { ...result.summary, deployedTo: providerName(result.provider) });
  setStatus('');
}

function showDatabaseResult(result) {
  endRun();
  if (Number.isInteger(result.files)) ui.fileCount.textContent = plural(result.files, 'file');
  showDatabaseApplied(result);
  offerDatabase(result.sql);
  ui.openDrop.hidden = false;
  renderSummary(ui.summary, result.summary);
  setStatus('');
  // The form was scrolled to at the bottom; the result sits under the buttons.
  window.scrollTo({ top: 0 });
}

function showError(message, settings, detail) {
  const from = mode;
  endRun();
  setStatus(message, 'error', { settings: settings === true, detail: typeof detail === 'string' ? detail : null });
  if (from === 'database') window.scrollTo({ top: 0 }); // the error sits under the buttons
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
    case 'pushed':
      return showPushed(message);
    case 'deployed':
      return showDeployResult(message);
    case 'database-applied':
      return showDatabaseResult(message);
    case 'error':
      return showError(message.message, message.settings, message.detail);
    default:
      return onHistoryMessage(message);
  }
});
port.onDisconnect.addListener(() => {
  ui.exportButton.disabled = true;
  ui.pushButton.disabled = true;
  setStatus('Liftoff stopped unexpectedly. Close this popup and open it again.', 'error');
});

ui.exportButton.addEventListener('click', () => {
  if (busy || tabId === null) return;
  startRun('export');
  port.postMessage({ type: 'export', tabId });
});

ui.pushOpen.addEventListener('click', () => togglePushForm());
ui.pushCreate.addEventListener('change', syncPushForm);

ui.pushForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (busy || tabId === null || !tokenSet) return;
  const repository = ui.pushRepo.value.trim().replace(/^https:\/\/github\.com\//, '').replace(/\.git$/, '');
  if (!REPOSITORY.test(repository)) {
    setStatus('Write the repository as owner/name, for example octocat/my-app.', 'error');
    ui.pushRepo.focus();
    return;
  }
  ui.pushRepo.value = repository;
  const message = ui.pushMessage.value;
  startRun('push');
  port.postMessage({
    type: 'push',
    tabId,
    key: projectKey,
    repository,
    create: ui.pushCreate.checked,
    private: ui.pushForm.elements.visibility.value !== 'public',
    branch: ui.pushBranch.value.trim(),
    // Left as prefilled: the core writes its default message (the same sentence, at push time).
    message: message === prefilledMessage ? '' : message,
  });
});

const openOptions = () => chrome.runtime.openOptionsPage();
$('push-set-token').addEventListener('click', openOptions);
ui.statusSettings.addEventListener('click', openOptions);

initDeploy({
  isBusy: () => busy,
  onOpen(open) {
    if (open) {
      togglePushForm(false); // one form at a time
      closeDatabase();
      if (ui.status.dataset.tone !== 'error') setStatus('');
    }
    ui.openDrop.hidden = open || !ui.pushForm.hidden;
  },
  start({ provider, project }) {
    if (busy || tabId === null) return;
    startRun('deploy');
    port.postMessage({ type: 'deploy', tabId, provider, project });
  },
  setStatus,
  openOptions,
});
initDatabase({
  isBusy: () => busy,
  onOpen(open) {
    if (open) {
      togglePushForm(false); // one form at a time
      closeDeploy();
      if (ui.status.dataset.tone !== 'error') setStatus('');
    }
    ui.openDrop.hidden = open;
  },
  start({ ref }) {
    if (busy || tabId === null) return;
    startRun('database');
    port.postMessage({ type: 'database', tabId, key: projectKey, ref });
  },
  setStatus,
  openOptions,
});
initHistory({ port, openOptions });

ui.openDrop.addEventListener('click', async () => {
  await chrome.tabs.create({ url: chrome.runtime.getURL('extension/drop/drop.html') });
  window.close();
});

$('open-options').addEventListener('click', openOptions);

const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
if (tab?.id === undefined) {
  showNone('No Bolt, Lovable or Base44 project is open in this tab.', true);
} else {
  tabId = tab.id;
  port.postMessage({ type: 'inspect', tabId });
}
