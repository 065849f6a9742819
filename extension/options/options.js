// The settings page: the export preference (chrome.storage.local, see shared/settings.js), the
// GitHub token, and the installed version, so that a bug report can name it.
//
// The token is handed to the service worker over a port and the field is emptied; this page is
// only ever told whether a token is set and where. It reads no token from storage and does not
// listen to chrome.storage.onChanged (whose events carry the new values): it reads the state
// again when it becomes visible instead.
import { readSettings, writeSetting } from '../shared/settings.js';

const $ = (id) => document.getElementById(id);
const keep = $('keep-builder-files');
const status = $('settings-status');
const tokenForm = $('token-form');
const tokenField = $('github-token');
const saveButton = $('save-token');
const remember = $('remember-token');
const tokenStatus = $('token-status');
const forget = $('forget-token');

$('version').textContent = `version ${chrome.runtime.getManifest().version}`;

// --- The export preference ---

function show(settings) {
  keep.checked = settings.keepBuilderFiles;
}

keep.addEventListener('change', async () => {
  keep.disabled = true;
  try {
    await writeSetting('keepBuilderFiles', keep.checked);
    status.textContent = keep.checked
      ? 'Saved. Exports keep the builder’s files exactly as they are.'
      : 'Saved. Exports are cleaned up.';
    status.dataset.tone = 'ok';
  } catch (error) {
    keep.checked = !keep.checked;
    status.textContent = `The setting could not be saved (${error?.name ?? 'error'}).`;
    status.dataset.tone = 'error';
  } finally {
    keep.disabled = false;
  }
});

// --- The GitHub token, through the service worker ---

// The worker may be stopped while this page sits idle, which closes the port: connect again on
// the next request.
let port = null;
let tokenSet = false;

function send(message) {
  if (!port) {
    port = chrome.runtime.connect({ name: 'options' });
    port.onMessage.addListener(onAnswer);
    port.onDisconnect.addListener(() => {
      port = null;
    });
  }
  port.postMessage(message);
}

const WHERE = {
  session: 'A token is set for this browser session: it is forgotten when the browser closes.',
  remembered: 'A token is set and remembered on this device.',
  none: 'No token is set: Liftoff cannot push to GitHub yet.',
};
const DONE = { saved: 'Token saved.', moved: '', forgotten: 'Token forgotten.' };

function onAnswer(answer) {
  setTokenBusy(false);
  if (answer?.type === 'token-error') {
    tokenStatus.textContent = answer.message;
    tokenStatus.dataset.tone = 'error';
    return;
  }
  if (answer?.type !== 'token-status') return;
  tokenSet = answer.set === true;
  const where = !tokenSet ? WHERE.none : answer.remembered ? WHERE.remembered : WHERE.session;
  tokenStatus.textContent = [DONE[answer.saved] ?? '', where].filter(Boolean).join(' ');
  tokenStatus.dataset.tone = tokenSet ? 'ok' : 'info';
  tokenStatus.dataset.state = !tokenSet ? 'none' : answer.remembered ? 'remembered' : 'session';
  if (tokenSet) remember.checked = answer.remembered === true;
  forget.hidden = !tokenSet;
  tokenField.placeholder = tokenSet ? 'Paste a new token to replace the one set' : 'github_pat_… or ghp_…';
  document.documentElement.dataset.tokenReady = 'true';
}

function setTokenBusy(busy) {
  tokenField.disabled = busy;
  remember.disabled = busy;
  forget.disabled = busy;
  saveButton.disabled = busy || tokenField.value.trim() === '';
}

tokenField.addEventListener('input', () => {
  saveButton.disabled = tokenField.value.trim() === '';
});

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenField.value;
  if (token.trim() === '') return;
  tokenField.value = ''; // the page keeps no copy
  setTokenBusy(true);
  send({ type: 'save-token', token, remember: remember.checked });
});

// With a token set, the box moves it; without one, it is the choice for the next save.
remember.addEventListener('change', () => {
  if (!tokenSet) return;
  setTokenBusy(true);
  send({ type: 'remember-token', remember: remember.checked });
});

forget.addEventListener('click', () => {
  setTokenBusy(true);
  send({ type: 'forget-token' });
});

// Changed elsewhere (another settings tab, a popup): show the stored state when this page is
// looked at again.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  readSettings().then(show);
  send({ type: 'token-status' });
});

show(await readSettings());
keep.disabled = false;
setTokenBusy(false);
send({ type: 'token-status' });
document.documentElement.dataset.ready = 'true';
