// The popup: shows the project the service worker finds in the active tab (the project card),
// starts the export (a zip download), follows a run's progress and shows its result, and wires
// the panels: push to GitHub (panels/push.js, with its review and the CI verdict:
// panels/review.js, panels/checks.js), deploy (panels/deploy.js), the database step
// after an export that holds SQL (panels/database.js) and the History view (panels/history.js).
// All work happens in the service worker; no token ever reaches the popup (it is only told
// whether each token is set), and every builder's and destination's name comes with the worker's
// answers (the core's catalog).
import { POPUP_PORT } from '../protocol.js';
import { plural } from '../shared/format.js';
import { showDownload, showLeftOut } from '../shared/result-view.js';
import { renderSummary } from '../shared/summary-view.js';
import { sourceText } from './format.js';
import { nameChecker } from './name-check.js';
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
} from './panels/database.js';
import {
  closeDeploy,
  deployingText,
  destinationName,
  hideDeploy,
  hideDeployed,
  initDeploy,
  onPromoteAnswer,
  prepareDeploy,
  showDeployed,
  syncDeploy,
} from './panels/deploy.js';
import { showChecks } from './panels/checks.js';
import { initHistory, onHistoryMessage } from './panels/history.js';
import { closePush, hidePush, hidePushed, initPush, preparePush, pushForgeName, showPushed, stopPush, syncPush } from './panels/push.js';
import { onReviewDiff, showReview } from './panels/review.js';

const $ = (id) => document.getElementById(id);
const ui = {
  project: $('project'),
  builder: $('builder'),
  name: $('project-name'),
  fileCount: $('file-count'),
  note: $('project-note'),
  source: $('project-source'),
  allowSite: $('allow-site'),
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
};

// Where the bar stands at the start of each phase; 'fetching' fills the span up to 'building'
// ('pushing' and 'reviewing' up to the end, for a push and a review).
const BARS = {
  export: { reading: 0.04, fetching: 0.1, building: 0.88, saving: 0.95 },
  review: { reading: 0.04, fetching: 0.08, building: 0.3, reviewing: 0.36 },
  push: { reading: 0.04, fetching: 0.08, building: 0.3, pushing: 0.36 },
  deploy: { reading: 0.03, fetching: 0.06, building: 0.16, deploying: 0.2 },
  database: { reading: 0.03, fetching: 0.06, building: 0.5, database: 0.56 },
};
let tabId = null;
let builderName = null; // the tab's builder, as the catalog names it
let projectKey = null;
let busy = false;
let mode = 'export'; // what the progress and the error belong to
let siteOffered = null; // the origin "Use Liftoff on this site" would allow

function setStatus(text, tone = 'info', { settings = false, detail = null } = {}) {
  ui.status.textContent = text;
  ui.status.dataset.tone = tone;
  // A missing, refused or too narrow token: the way to fix it, one click away.
  ui.statusSettings.hidden = !settings;
  // A failing SQL statement, as the core quotes it.
  ui.statusDetail.textContent = detail ?? '';
  ui.statusDetail.hidden = !detail;
}

function showProject({ builderName: builderShown, key, name, files, skipped, source, github, deploy, deployPreview, database }) {
  builderName = typeof builderShown === 'string' ? builderShown : null;
  projectKey = typeof key === 'string' ? key : null;
  ui.builder.textContent = builderName ?? '';
  ui.name.textContent = name;
  ui.name.title = name;
  // Lovable and Base44: only their API knows the files, so the count comes with the export.
  ui.fileCount.textContent = Number.isInteger(files) ? plural(files, 'file') : 'ready to export';
  // Where the project comes from, when the page is read rather than fetched (Bolt).
  const from = sourceText(source, builderName);
  ui.source.textContent = from.note;
  ui.source.hidden = !from.note;
  ui.allowSite.hidden = true;
  const missing = skipped?.length ?? 0;
  ui.note.hidden = missing === 0;
  ui.note.textContent = missing
    ? `${plural(missing, 'file')} cannot be read from the page and will be left out.`
    : '';
  ui.project.hidden = false;
  ui.exportButton.hidden = false;
  ui.exportButton.disabled = false;
  preparePush(github ?? {});
  prepareDeploy(deploy, deployPreview);
  prepareDatabase(database);
  setStatus(
    from.status ?? (Number.isInteger(files) ? 'Ready to export.' : `Liftoff will fetch the files from ${builderName} with your session.`),
  );
}

function showNone(message, offerDrop, offerSite) {
  // A page that looks like bolt.diy: Liftoff may be used on its origin if the person says so.
  siteOffered = typeof offerSite === 'string' ? offerSite : null;
  ui.allowSite.hidden = siteOffered === null;
  if (siteOffered) {
    message = `This page looks like bolt.diy (${siteOffered}). Liftoff can read its projects here, on this site only, if you let it.`;
    offerDrop = false;
  }
  ui.project.hidden = true;
  ui.exportButton.disabled = true;
  hidePush();
  hideDeploy();
  hideDatabaseStep();
  ui.openDrop.hidden = false;
  // With nothing to export here, the drop page is the way forward: make it the main button.
  ui.exportButton.hidden = Boolean(offerDrop) || siteOffered !== null;
  ui.openDrop.classList.toggle('offer', Boolean(offerDrop));
  ui.openDrop.textContent = offerDrop ? 'Open the drop page' : 'Have a downloaded zip or tarball? Export it here';
  setStatus(message, 'empty');
}

/**
 * A builder fetch in words: files fetched of files known; while none is known, or when the count
 * does not show the work (step: the core's phase), what is being done.
 */
function fetchingText({ done, total, step }, who) {
  if (step === 'download') return `Downloading the project's files from ${who}…`;
  if (step === 'data') return `Reading the project's data from ${who}…`;
  if (step === 'listing' || !(total > 0)) return `Listing the project's files on ${who}…`;
  return `Fetching files from ${who}… ${done} of ${total}`;
}

function showProgress({ phase, done, total, step }) {
  ui.progress.hidden = false;
  const bar = BARS[mode];
  const who = builderName || 'the builder';
  const share = total > 0 ? Math.min(done / total, 1) : 0;
  if (phase === 'fetching') {
    ui.progress.value = bar.fetching + (bar.building - bar.fetching) * share;
    setStatus(fetchingText({ done, total, step }, who));
    return;
  }
  if (phase === 'pushing' || phase === 'reviewing') {
    ui.progress.value = (bar[phase] ?? 0) + (1 - (bar[phase] ?? 0)) * share;
    const forge = pushForgeName();
    setStatus(phase === 'pushing' ? `Pushing to ${forge}…` : `Comparing with ${forge}…`);
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
    building:
      { push: 'Preparing the commit…', review: 'Preparing the review…', deploy: 'Preparing the upload…', database: 'Preparing the SQL…' }[mode] ??
      'Building the zip…',
    saving: 'Saving the download…',
  };
  setStatus(text[phase] ?? 'Working…');
}

/** Clears the results of earlier runs and shows the first step of a new one (phase: 'reading' unless said). */
function startRun(kind, phase = 'reading') {
  busy = true;
  mode = kind;
  ui.exportButton.disabled = true;
  syncPanels();
  ui.result.hidden = true;
  hidePushed();
  hideDeployed();
  hideDatabaseResult();
  // The Database step stays for its own run; any other run's export decides it again.
  if (kind !== 'database') hideDatabaseStep();
  renderSummary(ui.summary, null);
  showProgress({ phase });
}

function endRun() {
  busy = false;
  ui.progress.hidden = true;
  ui.exportButton.disabled = false;
  syncPanels();
}

function syncPanels() {
  syncPush();
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

/**
 * The end of a push, a deployment or a database push: the panel shows its result (show), the
 * project card its file count, the Database step is offered again, and the summary (with
 * summaryExtra) fills in.
 */
function showPanelResult(result, show, summaryExtra = {}) {
  endRun();
  if (Number.isInteger(result.files)) ui.fileCount.textContent = plural(result.files, 'file');
  show(result);
  offerDatabase(result.sql);
  ui.openDrop.hidden = false;
  renderSummary(ui.summary, result.summary && { ...result.summary, ...summaryExtra });
  setStatus('');
}

function showReviewed(result) {
  endRun();
  if (Number.isInteger(result.files)) ui.fileCount.textContent = plural(result.files, 'file');
  showReview(result);
  syncPush(); // Push stays disabled when there is nothing to push
  setStatus('');
}

function showPushResult(result) {
  showPushed(result);
  ui.note.hidden = true; // the result lists what the page could not provide, with reasons
  window.scrollTo({ top: 0 }); // a review scrolled the form up; the result sits under the buttons
}

function showDatabaseResult(result) {
  showDatabaseApplied(result);
  // The form was scrolled to at the bottom; the result sits under the buttons.
  window.scrollTo({ top: 0 });
}

function showError(message, settings, detail) {
  const from = mode;
  endRun();
  setStatus(message, 'error', { settings: settings === true, detail: typeof detail === 'string' ? detail : null });
  if (from === 'database') window.scrollTo({ top: 0 }); // the error sits under the buttons
}

const port = chrome.runtime.connect({ name: POPUP_PORT });
const names = nameChecker(port);
port.onMessage.addListener((message) => {
  switch (message?.type) {
    case 'project':
      return showProject(message);
    case 'none':
      return showNone(message.message, message.offerDrop, message.offerSite);
    case 'progress':
      return showProgress(message);
    case 'done':
      return showDone(message);
    case 'reviewed':
      return showReviewed(message);
    case 'review-diff':
      return onReviewDiff(message);
    case 'pushed':
      return showPanelResult(message, showPushResult);
    case 'checks':
      return showChecks(message);
    case 'deployed':
      return showPanelResult(message, showDeployed, { deployedTo: destinationName(message.provider) });
    case 'database-applied':
      return showPanelResult(message, showDatabaseResult);
    case 'error':
      return showError(message.message, message.settings, message.detail);
    case 'name-checked':
      return names.onAnswer(message);
    default:
      if (message?.kind === 'promote') onPromoteAnswer(message);
      return onHistoryMessage(message);
  }
});
port.onDisconnect.addListener(() => {
  ui.exportButton.disabled = true;
  stopPush();
  setStatus('Liftoff stopped unexpectedly. Close this popup and open it again.', 'error');
});

ui.exportButton.addEventListener('click', () => {
  if (busy || tabId === null) return;
  startRun('export');
  port.postMessage({ type: 'export', tabId });
});

ui.allowSite.addEventListener('click', () => {
  if (busy || tabId === null || !siteOffered) return;
  ui.allowSite.hidden = true;
  setStatus('Looking for a project on this site…');
  port.postMessage({ type: 'allow-site', tabId, origin: siteOffered });
});

const openOptions = () => chrome.runtime.openOptionsPage();
ui.statusSettings.addEventListener('click', openOptions);

// The push, deploy and database forms: one open at a time, and the way to the drop page (for
// zips) out of the way while one is.
const CLOSERS = { push: closePush, deploy: closeDeploy, database: closeDatabase };
function onPanelOpen(panel, open) {
  if (open) {
    for (const [other, close] of Object.entries(CLOSERS)) if (other !== panel) close();
    if (ui.status.dataset.tone !== 'error') setStatus('');
  }
  ui.openDrop.hidden = open;
}

/**
 * Hooks for a panel: start(request, {destination, name, field, type, phase}) asks the worker
 * whether the destination accepts the name, then posts {type (kind unless said), tabId,
 * …request} (withKey adds the project key), shows the run from phase on (reading unless said)
 * and resolves true, or shows the core's sentence, focuses field and resolves false.
 */
function panelHooks(kind, withKey) {
  const idle = () => !busy && tabId !== null;
  return {
    isBusy: () => busy,
    onOpen: (open) => onPanelOpen(kind, open),
    async start(request, { destination, name, field, type = kind, phase }) {
      if (!idle()) return false;
      const problem = await names.check(destination, name);
      if (problem) {
        setStatus(problem, 'error');
        field.focus();
        return false;
      }
      if (!idle()) return false;
      startRun(type, phase);
      port.postMessage({ type, tabId, ...(withKey ? { key: projectKey } : {}), ...request });
      return true;
    },
    setStatus,
    openOptions,
  };
}

initPush({ ...panelHooks('push', true), askDiff: (review, path) => port.postMessage({ type: 'review-diff', review, path }) });
initDeploy({ ...panelHooks('deploy', true), promote: (request) => port.postMessage({ type: 'promote', ...request }) });
initDatabase(panelHooks('database', true));
initHistory({ port, openOptions });

ui.openDrop.addEventListener('click', async () => {
  await chrome.tabs.create({ url: chrome.runtime.getURL('extension/drop/drop.html') });
  window.close();
});

$('open-options').addEventListener('click', openOptions);

const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
if (tab?.id === undefined) {
  showNone('No project Liftoff can export is open in this tab.', true);
} else {
  tabId = tab.id;
  port.postMessage({ type: 'inspect', tabId });
}
