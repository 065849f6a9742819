// The popup's History view: every export, push, deployment and database push Liftoff recorded
// (the service worker's background/store/history.js), and for each project deployed to a hosting
// destination the provider's own list of production deployments, refreshed when the view opens,
// with the live one marked, "Promote" on previews and "Roll back" (or "Roll forward") on the other
// ready ones. The
// destinations' names come with the worker's answer (the core's catalog). Text only: every value
// is set with textContent, and only https addresses become links.
import { hostOf, isReady, shortCommit, shortId, timeAgo } from '../format.js';

const $ = (id) => document.getElementById(id);
const ui = {
  open: $('open-history'),
  back: $('history-back'),
  main: $('main-view'),
  view: $('history-view'),
  projects: $('history-projects'),
  activityTitle: $('history-activity-title'),
  list: $('history-list'),
  empty: $('history-empty'),
};

// The provider's deployments shown per project: enough to roll back, short enough to scan.
const MAX_DEPLOYMENTS = 8;
const VERBS = { export: 'Exported', push: 'Pushed', deploy: 'Deployed', rollback: 'Rolled back', promote: 'Promoted', database: 'Database' };

let port = null;
let openOptions = () => {};
let names = {}; // destination id → name, from the worker's 'history' answer
let rollingBack = null; // 'provider:project' while a rollback runs
const cards = new Map(); // 'provider:project' → {card, status, progress, list, deployments}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function link(url, text) {
  const host = hostOf(url);
  const a = el('a', 'ext', text ?? host);
  a.title = url;
  if (host) {
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  return a;
}

/** hooks: {port (the popup's port to the worker), openOptions()}: wires the History button and view. */
export function initHistory(hooks) {
  port = hooks.port;
  openOptions = hooks.openOptions;
  ui.open.addEventListener('click', () => show(ui.view.hidden));
  ui.back.addEventListener('click', () => show(false));
}

function show(open) {
  ui.view.hidden = !open;
  ui.main.hidden = open;
  ui.open.setAttribute('aria-pressed', String(open));
  ui.open.classList.toggle('active', open);
  if (open) {
    ui.view.dataset.state = 'loading';
    port.postMessage({ type: 'history' });
  }
}

/** The worker's answers about history; false for any other message. */
export function onHistoryMessage(message) {
  switch (message?.type) {
    case 'history':
      renderHistory(message);
      return true;
    case 'history-project':
      renderDeployments(message);
      return true;
    case 'rollback-progress':
      rollbackProgress(message);
      return true;
    case 'rolled-back':
      rolledBack(message);
      return true;
    case 'rollback-error':
      rollbackFailed(message);
      return true;
    default:
      return false;
  }
}

/** A History target's name: a destination's, as the worker named it; a download's label. */
function targetName(id) {
  if (id === 'download') return 'Download';
  return typeof names[id] === 'string' ? names[id] : String(id ?? '');
}

function renderHistory({ entries = [], projects = [], names: given = {} }) {
  names = given && typeof given === 'object' ? given : {};
  cards.clear();
  ui.projects.replaceChildren(...projects.map(projectCard));
  ui.list.replaceChildren(...entries.map(entryRow));
  ui.activityTitle.hidden = entries.length === 0;
  ui.empty.hidden = entries.length > 0;
  ui.view.dataset.state = 'listed';
}

// --- One deployed project: the provider's deployments ---

function projectCard({ provider, project, tokenSet }) {
  const card = el('section', 'deploy-card');
  card.dataset.provider = provider;
  card.dataset.project = project;
  const head = el('div', 'deploy-card-head');
  head.append(el('span', `badge provider ${provider}`, targetName(provider)), el('strong', 'deploy-card-name', project));
  const status = el('p', 'card-status');
  const progress = el('progress');
  progress.max = 1;
  progress.value = 0;
  progress.hidden = true;
  const list = el('ul', 'deployments');
  card.append(head, progress, status, list);
  const entry = { card, status, progress, list, deployments: [] };
  cards.set(`${provider}:${project}`, entry);
  if (tokenSet) {
    setCardStatus(entry, `Asking ${targetName(provider)} for its deployments…`);
    card.dataset.state = 'refreshing';
  } else {
    setCardStatus(entry, `Set a ${targetName(provider)} token in Settings to see its deployments and roll back.`, 'error', true);
    card.dataset.state = 'no-token';
  }
  return card;
}

function setCardStatus(entry, text, tone = 'info', settings = false) {
  entry.status.replaceChildren(document.createTextNode(text));
  entry.status.dataset.tone = tone;
  entry.status.hidden = text === '';
  if (settings) {
    const button = el('button', 'link inline', 'Open Settings');
    button.type = 'button';
    button.addEventListener('click', openOptions);
    entry.status.append(' ', button);
  }
}

function renderDeployments({ provider, project, deployments, error, settings }) {
  const entry = cards.get(`${provider}:${project}`);
  if (!entry) return;
  if (error) {
    entry.card.dataset.state = 'error';
    setCardStatus(entry, error, 'error', settings === true);
    return;
  }
  entry.deployments = Array.isArray(deployments) ? deployments : [];
  // After a rollback, "Live now: …" stays until the view is opened again.
  const rolled = entry.card.dataset.state === 'rolled-back';
  entry.card.dataset.state = 'refreshed';
  if (!rolled) setCardStatus(entry, entry.deployments.length ? '' : `No production deployment on ${targetName(provider)} yet.`);
  drawDeployments(entry, provider, project);
}

function drawDeployments(entry, provider, project) {
  const live = entry.deployments.find((d) => d.production);
  const shown = entry.deployments.slice(0, MAX_DEPLOYMENTS);
  entry.list.replaceChildren(...shown.map((d) => deploymentRow(d, live, provider, project)));
  const more = entry.deployments.length - shown.length;
  if (more > 0) entry.list.append(el('li', 'deployment more', `${more} older not shown`));
}

function deploymentRow(deployment, live, provider, project) {
  const row = el('li', 'deployment');
  row.dataset.id = deployment.id;
  row.dataset.state = deployment.state;
  const main = el('div', 'deployment-main');
  const name = deployment.url ? link(deployment.url, shortId(deployment.id)) : el('span', 'mono', shortId(deployment.id));
  name.classList.add('mono');
  main.append(name, el('span', 'muted', timeAgo(deployment.created)));
  row.append(main);
  if (deployment.production) {
    row.dataset.live = 'true';
    row.append(el('span', 'pill live', 'Live'));
  } else if (deployment.preview && isReady(deployment.state)) {
    row.dataset.preview = 'true';
    const button = el('button', 'roll promote', 'Promote');
    button.type = 'button';
    button.disabled = rollingBack !== null;
    button.title = `Make this preview production on ${targetName(provider)} (no rebuild)`;
    button.addEventListener('click', () => startRollback(provider, project, deployment.id, 'promote'));
    row.append(el('span', 'pill state', 'preview'), button);
  } else if (isReady(deployment.state)) {
    const newer = live && deployment.created > live.created;
    const button = el('button', 'roll', newer ? 'Roll forward' : 'Roll back');
    button.type = 'button';
    button.disabled = rollingBack !== null;
    button.title = `Put this deployment back in production on ${targetName(provider)} (no rebuild)`;
    button.addEventListener('click', () => startRollback(provider, project, deployment.id));
    row.append(button);
  } else {
    row.append(el('span', `pill state ${/ERROR|CANCELED/i.test(deployment.state) ? 'failed' : ''}`, deployment.state.toLowerCase() || 'unknown'));
  }
  return row;
}

// --- Rolling back ---

function setRollButtons(disabled) {
  for (const button of ui.projects.querySelectorAll('button.roll')) button.disabled = disabled;
}

function startRollback(provider, project, deployment, type = 'rollback') {
  if (rollingBack) return;
  const entry = cards.get(`${provider}:${project}`);
  if (!entry) return;
  rollingBack = `${provider}:${project}`;
  setRollButtons(true);
  entry.card.dataset.state = 'rolling-back';
  entry.progress.hidden = false;
  entry.progress.value = 0.05;
  const doing = type === 'promote' ? 'Making' : 'Putting';
  setCardStatus(entry, `${doing} ${shortId(deployment)} ${type === 'promote' ? 'production' : 'back in production'}…`);
  port.postMessage({ type, provider, project, deployment });
}

function rollbackProgress({ provider, project, done, total }) {
  const entry = cards.get(`${provider}:${project}`);
  if (entry && total > 0) entry.progress.value = Math.max(0.05, Math.min(done / total, 1));
}

function rolledBack({ provider, project, live, kind = 'rollback', changed = true }) {
  rollingBack = null;
  const entry = cards.get(`${provider}:${project}`);
  if (!entry) return;
  entry.progress.value = 1;
  entry.progress.hidden = true;
  entry.card.dataset.state = 'rolled-back';
  const said = changed ? 'Live now: ' : 'Already live, nothing changed: ';
  entry.status.replaceChildren(document.createTextNode(said), link(live?.url ?? '', hostOf(live?.url) || shortId(live?.id)));
  entry.status.dataset.tone = 'success';
  entry.status.hidden = false;
  // Mark the new live one at once; the worker's fresh listing follows.
  for (const d of entry.deployments) {
    d.production = d.id === live?.id;
    if (d.production) d.preview = false;
  }
  drawDeployments(entry, provider, project);
  setRollButtons(false);
  if (changed) prependEntry({ kind, time: Date.now(), target: provider, project, link: live?.url, id: live?.id, state: live?.state });
}

function rollbackFailed({ provider, project, message, settings }) {
  rollingBack = null;
  const entry = cards.get(`${provider}:${project}`);
  setRollButtons(false);
  if (!entry) return;
  entry.progress.hidden = true;
  entry.card.dataset.state = 'error';
  setCardStatus(entry, message, 'error', settings === true);
}

// --- Every recorded entry ---

// A push's CI verdict as last known (the worker's history keeps the state word).
const CHECKS = { queued: 'checks queued', running: 'checks running', passed: 'checks passed', failed: 'checks failed', none: 'no checks' };

function prependEntry(entry) {
  ui.list.prepend(entryRow(entry));
  ui.activityTitle.hidden = false;
  ui.empty.hidden = true;
}

function entryRow({ kind, time, target, project, link: url, id, state, file, checks, preview }) {
  const row = el('li', 'entry');
  row.dataset.kind = kind;
  row.dataset.target = target;
  const top = el('div', 'entry-top');
  const failed = /ERROR|CANCELED|TIMED_OUT|FAILED/i.test(state ?? '');
  const verb = kind === 'deploy' && failed ? 'Deploy failed' : kind === 'deploy' && preview ? 'Preview' : VERBS[kind] ?? kind;
  top.append(el('span', `badge provider ${target}`, targetName(target)), el('span', 'entry-what', verb));
  top.append(el('span', 'entry-project', project ?? file ?? ''));
  const details = el('div', 'entry-details');
  const when = el('time', 'muted', timeAgo(time));
  if (Number.isFinite(time)) {
    when.dateTime = new Date(time).toISOString();
    when.title = new Date(time).toLocaleString();
  }
  details.append(when);
  if (url && hostOf(url)) {
    const text = { push: shortCommit(id), database: 'Dashboard' }[kind] ?? hostOf(url);
    details.append(el('span', 'sep', '·'), link(url, text));
  } else if (file && kind === 'export') {
    details.append(el('span', 'sep', '·'), el('span', 'muted file', file));
  }
  if (state) {
    details.append(el('span', `pill state ${failed ? 'failed' : ''}`, state.toLowerCase().replace(/[_-]/g, ' ')));
  }
  if (kind === 'push' && Object.hasOwn(CHECKS, checks)) {
    const pill = el('span', `pill checks ${{ failed: 'failed', passed: 'passed' }[checks] ?? ''}`, CHECKS[checks]);
    pill.dataset.checks = checks;
    details.append(pill);
  }
  row.append(top, details);
  return row;
}
