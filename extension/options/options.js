// The settings page: the export preference (chrome.storage.local, see shared/settings.js), the
// GitHub, Vercel, Netlify and Supabase tokens (token-section.js), and the installed version, so
// that a bug report can name it.
//
// A token is handed to the service worker over a port and its field is emptied; this page is
// only ever told whether a token is set and where. It reads no token from storage and does not
// listen to chrome.storage.onChanged (whose events carry the new values): it reads the state
// again when it becomes visible instead.
import { OPTIONS_PORT } from '../protocol.js';
import { readSettings, writeSetting } from '../shared/settings.js';
import { tokenSection } from './token-section.js';

const $ = (id) => document.getElementById(id);
const keep = $('keep-builder-files');
const status = $('settings-status');

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

// --- The tokens, through the service worker ---

// The worker may be stopped while this page sits idle, which closes the port: connect again on
// the next request.
let port = null;

function send(message) {
  if (!port) {
    port = chrome.runtime.connect({ name: OPTIONS_PORT });
    port.onMessage.addListener(onAnswer);
    port.onDisconnect.addListener(() => {
      port = null;
    });
  }
  port.postMessage(message);
}

const sections = {
  github: tokenSection({
    service: 'github',
    ids: { form: 'token-form', field: 'github-token', save: 'save-token', remember: 'remember-token', status: 'token-status', forget: 'forget-token' },
    text: { none: 'No token is set: Liftoff cannot push to GitHub yet.', placeholder: 'github_pat_… or ghp_…' },
    send,
  }),
  vercel: tokenSection({
    service: 'vercel',
    ids: {
      form: 'vercel-token-form',
      field: 'vercel-token',
      team: 'vercel-team',
      save: 'save-vercel-token',
      remember: 'remember-vercel-token',
      status: 'vercel-token-status',
      forget: 'forget-vercel-token',
    },
    text: { none: 'No token is set: Liftoff cannot deploy to Vercel yet.', placeholder: 'Your Vercel access token' },
    send,
  }),
  netlify: tokenSection({
    service: 'netlify',
    ids: {
      form: 'netlify-token-form',
      field: 'netlify-token',
      save: 'save-netlify-token',
      remember: 'remember-netlify-token',
      status: 'netlify-token-status',
      forget: 'forget-netlify-token',
    },
    text: { none: 'No token is set: Liftoff cannot deploy to Netlify yet.', placeholder: 'Your Netlify personal access token' },
    send,
  }),
  supabase: tokenSection({
    service: 'supabase',
    ids: {
      form: 'supabase-token-form',
      field: 'supabase-token',
      save: 'save-supabase-token',
      remember: 'remember-supabase-token',
      status: 'supabase-token-status',
      forget: 'forget-supabase-token',
    },
    text: { none: 'No token is set: Liftoff cannot put a database in Supabase yet.', placeholder: 'sbp_…' },
    send,
  }),
};

const answered = new Set();
function onAnswer(answer) {
  if (answer?.type !== 'token-status' && answer?.type !== 'token-error') return;
  const section = sections[answer.service ?? 'github'];
  if (!section) return;
  section.onAnswer(answer);
  if (answer.type === 'token-status') answered.add(answer.service);
  if (answered.size === Object.keys(sections).length) document.documentElement.dataset.tokenReady = 'true';
}

const refreshTokens = () => Object.values(sections).forEach((section) => section.refresh());

// Changed elsewhere (another settings tab, a popup): show the stored state when this page is
// looked at again.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  readSettings().then(show);
  refreshTokens();
});

show(await readSettings());
keep.disabled = false;
refreshTokens();
document.documentElement.dataset.ready = 'true';
