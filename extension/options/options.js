// The settings page: the export preferences (chrome.storage.local, see shared/settings.js), a
// token per destination the worker lists from the core's catalog (token-section.js: GitHub,
// GitLab, Gitea, Vercel, Netlify, Supabase), the self-managed hosts of a forge that has them,
// each with its own token (host-form.js), and the installed version, so that a bug report can
// name it.
//
// A token is handed to the service worker over a port and its field is emptied; this page is
// only ever told whether a token is set and where. It reads no token from storage and does not
// listen to chrome.storage.onChanged (whose events carry the new values): it reads the state
// again when it becomes visible instead.
import { OPTIONS_PORT } from '../protocol.js';
import { readSettings, writeSetting } from '../shared/settings.js';
import { hostDomId, hostForm, removeHostButton } from './host-form.js';
import { tokenSection } from './token-section.js';

const $ = (id) => document.getElementById(id);
const keep = $('keep-builder-files');
const fast = $('fast-zip');
const status = $('settings-status');

$('version').textContent = `version ${chrome.runtime.getManifest().version}`;

// --- The export preferences ---

function show(settings) {
  keep.checked = settings.keepBuilderFiles;
  fast.checked = settings.fastZip;
}

/** Saves the checkbox box as the setting name when it changes, saying so: [on, off]. */
function saveOnChange(box, name, [on, off]) {
  box.addEventListener('change', async () => {
    box.disabled = true;
    try {
      await writeSetting(name, box.checked);
      status.textContent = box.checked ? on : off;
      status.dataset.tone = 'ok';
    } catch (error) {
      box.checked = !box.checked;
      status.textContent = `The setting could not be saved (${error?.name ?? 'error'}).`;
      status.dataset.tone = 'error';
    } finally {
      box.disabled = false;
    }
  });
}

saveOnChange(keep, 'keepBuilderFiles', [
  'Saved. Exports keep the builder’s files exactly as they are.',
  'Saved. Exports are cleaned up.',
]);
saveOnChange(fast, 'fastZip', [
  'Saved. Downloads are zipped faster; their code and text take about 40% more room.',
  'Saved. Downloads are zipped as small as before (deflate level 6).',
]);

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

// destination id → its section, made once the worker has listed the destinations (again after a
// host is added or removed); forge id → its host form.
const sections = new Map();
const hostForms = new Map();
const answered = new Set();
const refreshTokens = () => sections.forEach((section) => section.refresh());

function onAnswer(answer) {
  if (answer?.type === 'destinations') {
    makeSections(answer.destinations);
    return;
  }
  if (answer?.type === 'sites') {
    showSites(answer.sites);
    return;
  }
  if (answer?.type === 'host-error') {
    hostForms.get(answer.forge)?.onError(String(answer.message ?? ''));
    return;
  }
  if (answer?.type !== 'token-status' && answer?.type !== 'token-error') return;
  const section = sections.get(answer.service);
  if (!section) return;
  section.onAnswer(answer);
  if (answer.type === 'token-status') answered.add(answer.service);
  if (answered.size === sections.size) document.documentElement.dataset.tokenReady = 'true';
}

/**
 * One section per destination the worker listed (the core's catalog; a self-managed forge's hosts
 * under its own section), then the state of each new one. Listed again after a host is added or
 * removed: new sections are made, those no longer listed removed.
 */
function makeSections(destinations) {
  if (!Array.isArray(destinations)) return;
  const container = $('token-sections');
  const listed = new Set(destinations.map((d) => d.id));
  for (const [id, section] of sections) {
    if (listed.has(id)) continue;
    section.element.remove();
    sections.delete(id);
    answered.delete(id);
  }
  for (const destination of destinations) {
    if (sections.has(destination.id)) continue;
    const host = typeof destination.forge === 'string' && hostForms.has(destination.forge);
    const target = host ? hostForms.get(destination.forge).hosts : container;
    const section = tokenSection(target, host ? { ...destination, domId: hostDomId(destination.id) } : destination, send);
    sections.set(destination.id, section);
    if (host) removeHostButton(section.element, destination.id, send);
    if (destination.selfManaged) hostForms.set(destination.id, hostForm(section.element, destination, send));
    section.refresh();
  }
  document.documentElement.dataset.hostsReady = String(Date.now());
}

/** The bolt.diy sites chosen in the popup, each with a Remove button. */
function showSites(sites) {
  const list = $('sites');
  const origins = Array.isArray(sites) ? sites.filter((site) => typeof site === 'string') : [];
  list.replaceChildren(
    ...origins.map((origin) => {
      const item = document.createElement('li');
      const name = document.createElement('code');
      name.textContent = origin;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${origin}`);
      remove.addEventListener('click', () => {
        remove.disabled = true;
        send({ type: 'forget-site', origin });
      });
      item.append(name, remove);
      return item;
    }),
  );
  $('sites-empty').hidden = origins.length > 0;
  document.documentElement.dataset.sitesReady = 'true';
}

// Changed elsewhere (another settings tab, a popup): show the stored state when this page is
// looked at again.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  readSettings().then(show);
  refreshTokens();
  send({ type: 'sites' });
});

show(await readSettings());
keep.disabled = false;
fast.disabled = false;
send({ type: 'destinations' });
send({ type: 'sites' });
document.documentElement.dataset.ready = 'true';
