// The popup's "Deploy to <host>": one button per hosting destination of the core's catalog (the
// worker lists them with the project), the form they open (the project's name, prefilled with
// the name the core suggests and editable; Preview or Production, as this project was last
// deployed), the progress wording and the result with the live address, or the preview's with
// "Promote to production". The deployment itself runs in the service worker, which checks the name with the core
// first; the popup is only told whether each destination's token is set.
import { hostOf } from '../format.js';
import { formToggle, markOpener } from './form-toggle.js';

const $ = (id) => document.getElementById(id);
const ui = {
  actions: $('deploy-actions'),
  form: $('deploy-form'),
  noToken: $('deploy-no-token'),
  noTokenText: $('deploy-no-token-text'),
  setToken: $('deploy-set-token'),
  projectLabel: $('deploy-project-label'),
  project: $('deploy-project'),
  hint: $('deploy-hint'),
  button: $('deploy'),
  result: $('deploy-result'),
  resultTitle: $('deploy-result-title'),
  resultLink: $('deploy-result-link'),
  resultProjectLabel: $('deploy-result-project-label'),
  resultProject: $('deploy-result-project'),
  resultId: $('deploy-result-id'),
  preview: $('deploy-stage-preview'),
  production: $('deploy-stage-production'),
  resultNote: $('deploy-result-note'),
  promote: $('deploy-promote'),
};

// The buttons' icons, by destination id: [viewBox path, size in px]; GENERIC for any other.
const ICONS = {
  vercel: ['M12 2 24 22H0L12 2Z', 14],
  netlify: ['M12 1.5 22.5 12 12 22.5 1.5 12 12 1.5Zm0 5.2L6.7 12l5.3 5.3 5.3-5.3L12 6.7Z', 15],
};
const GENERIC = ['M12 3 4 11h5v7h6v-7h5l-8-8Zm-8 17h16v2H4v-2Z', 15];
const SVG = 'http://www.w3.org/2000/svg';

let hooks = null; // {isBusy, onOpen, start(request, check), setStatus, openOptions}
let hosts = []; // [{id, name, word, tokenSet, suggestion}] from the worker, the catalog's order
let openers = new Map(); // id → its button
let provider = null; // the destination whose form is open (or last deployed to)
let shownPreview = null; // {provider, project, id} of the preview the result shows, or null
let promoting = false;
const names = {}; // what the user typed, per destination
const form = formToggle({ form: ui.form, field: ui.project, button: ui.button, sync: syncDeploy, hooks: () => hooks });

const hostOfId = (id) => hosts.find((host) => host.id === id) ?? null;
const capital = (word) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * hooks: {isBusy(), onOpen(open), start({provider, project, preview}, {destination, name,
 * field}) → whether it started, setStatus(text, tone), openOptions(), promote({provider,
 * project, deployment})}.
 */
export function initDeploy(given) {
  hooks = given;
  ui.setToken.addEventListener('click', () => hooks.openOptions());
  ui.project.addEventListener('input', () => {
    if (provider) names[provider] = ui.project.value;
  });
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (hooks.isBusy() || !hostOfId(provider)?.tokenSet) return;
    const project = ui.project.value.trim();
    const chosen = provider;
    const preview = ui.preview.checked;
    hooks.start({ provider: chosen, project, preview }, { destination: chosen, name: project, field: ui.project }).then((started) => {
      if (started) ui.project.value = project;
    });
  });
  ui.promote.addEventListener('click', () => {
    if (!shownPreview || promoting || hooks.isBusy()) return;
    promoting = true;
    ui.promote.disabled = true;
    const name = destinationName(shownPreview.provider);
    ui.resultNote.textContent = `Switching production on ${name} to this preview…`;
    ui.resultNote.hidden = false;
    hooks.promote({ provider: shownPreview.provider, project: shownPreview.project, deployment: shownPreview.id });
  });
}

/** An icon for destination id: its own when the popup has one, else a generic one. */
function icon(id) {
  const [path, size] = ICONS[id] ?? GENERIC;
  const svg = document.createElementNS(SVG, 'svg');
  for (const [name, value] of Object.entries({ viewBox: '0 0 24 24', width: size, height: size, 'aria-hidden': 'true' })) {
    svg.setAttribute(name, String(value));
  }
  const shape = document.createElementNS(SVG, 'path');
  shape.setAttribute('fill', 'currentColor');
  shape.setAttribute('d', path);
  svg.append(shape);
  return svg;
}

/** The button that opens destination's form: #deploy-open-<id>, "Deploy to <name>". */
function opener({ id, name }) {
  const button = document.createElement('button');
  button.id = `deploy-open-${id}`;
  button.className = 'secondary';
  button.type = 'button';
  button.dataset.provider = id;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'deploy-form');
  button.append(icon(id), `Deploy to ${name}`);
  button.addEventListener('click', () => toggle(id));
  return button;
}

/**
 * Shows a button per hosting destination for a project: deploy = [{id, name, word, tokenSet,
 * suggestion}] (suggestion: the name the core makes of the project's, prefilled).
 */
export function prepareDeploy(deploy, preview = false) {
  ui.preview.checked = preview === true;
  ui.production.checked = preview !== true;
  hosts = (Array.isArray(deploy) ? deploy : []).filter((host) => typeof host?.id === 'string' && typeof host.name === 'string');
  openers = new Map(hosts.map((host) => [host.id, opener(host)]));
  ui.actions.replaceChildren(...openers.values());
  for (const host of hosts) names[host.id] ||= typeof host.suggestion === 'string' ? host.suggestion : '';
  ui.actions.hidden = hosts.length === 0;
  syncDeploy();
}

/** Hides the buttons and the form: the tab holds no project. */
export function hideDeploy() {
  ui.actions.hidden = true;
  closeDeploy();
}

/** Opens the form for id, or closes it when it is open for id already. */
function toggle(id) {
  const open = ui.form.hidden || provider !== id;
  if (!open) {
    closeDeploy();
    return;
  }
  provider = id;
  const { name, word } = hostOfId(id);
  ui.projectLabel.textContent = `${name} ${word}`;
  ui.project.value = names[id];
  ui.hint.textContent = `Liftoff creates the ${word} on ${name} if it does not exist.`;
  ui.noTokenText.textContent = `Liftoff needs a ${name} token to deploy.`;
  ui.button.textContent = `Deploy to ${name}`;
  ui.form.dataset.provider = id;
  ui.form.setAttribute('aria-label', `Deploy to ${name}`);
  form.open();
}

/** Closes the form (the popup shows one form at a time). */
export function closeDeploy() {
  form.close();
}

/** Enables what may be used now (nothing while a run is busy). */
export function syncDeploy() {
  const busy = hooks?.isBusy() ?? false;
  for (const [id, button] of openers) {
    button.disabled = busy;
    markOpener(button, !ui.form.hidden && provider === id);
  }
  const tokenSet = hostOfId(provider)?.tokenSet === true;
  ui.project.disabled = busy;
  ui.preview.disabled = ui.production.disabled = busy;
  ui.promote.disabled = busy || promoting;
  ui.noToken.hidden = !provider || tokenSet;
  ui.button.disabled = busy || !tokenSet;
}

/** Destination id's name as the worker gave it (id itself when unknown). */
export function destinationName(id) {
  return hostOfId(id)?.name ?? String(id ?? '');
}

/** The status line while deploying: steps answered of those planned, the last one the build. */
export function deployingText({ done, total }) {
  const name = destinationName(provider);
  if (total > 1 && done >= total - 1) return `${name} is building the project…`;
  return total > 1 ? `Uploading to ${name}… ${done} of ${total - 1}` : `Uploading to ${name}…`;
}

/**
 * The result: the live address as a link, the project and the deployment's id; for a preview,
 * its own address and "Promote to production".
 */
export function showDeployed({ provider: id, project, id: deploymentId, url, preview }) {
  const isPreview = preview === true;
  ui.resultTitle.textContent = `${isPreview ? 'Preview' : 'Live'} on ${destinationName(id)}`;
  shownPreview = isPreview ? { provider: id, project, id: deploymentId } : null;
  promoting = false;
  ui.promote.hidden = !isPreview;
  ui.promote.disabled = false;
  ui.resultNote.textContent = isPreview ? 'Production still serves what it served. Look at the preview, then promote it: no rebuild.' : '';
  ui.resultNote.hidden = !isPreview;
  ui.result.dataset.stage = isPreview ? 'preview' : 'production';
  ui.resultProjectLabel.textContent = capital(hostOfId(id)?.word ?? 'project');
  ui.resultProject.textContent = project;
  ui.resultId.textContent = deploymentId;
  ui.resultId.title = deploymentId;
  const host = hostOf(url);
  ui.resultLink.textContent = host || url;
  ui.resultLink.title = url;
  // Only an https address becomes a link.
  if (host) ui.resultLink.href = url;
  else ui.resultLink.removeAttribute('href');
  ui.result.dataset.provider = id;
  ui.result.hidden = false;
  closeDeploy();
}

/**
 * The worker's answer to a promotion ('rolled-back' or 'rollback-error' with kind 'promote'):
 * when it is the preview shown, the result says production serves it now, or why not.
 */
export function onPromoteAnswer(message) {
  const same = shownPreview && message.provider === shownPreview.provider && message.project === shownPreview.project && message.deployment === shownPreview.id;
  if (!same || message.type === 'rollback-progress') return;
  promoting = false;
  const name = destinationName(message.provider);
  if (message.type === 'rollback-error') {
    ui.promote.disabled = false;
    ui.resultNote.textContent = message.message ?? 'The promotion failed.';
    ui.result.dataset.promote = 'failed';
    return;
  }
  shownPreview = null;
  ui.promote.hidden = true;
  ui.resultTitle.textContent = `Live on ${name}`;
  ui.result.dataset.stage = 'production';
  ui.result.dataset.promote = message.changed === false ? 'unchanged' : 'promoted';
  ui.resultNote.textContent = message.changed === false ? `Already in production on ${name}: nothing changed.` : `Production on ${name} now serves this deployment.`;
  const url = message.live?.url ?? '';
  const host = hostOf(url);
  if (host) {
    ui.resultLink.textContent = host;
    ui.resultLink.title = url;
    ui.resultLink.href = url;
  }
}

/** Hides the last deployment's result (a new run starts). */
export function hideDeployed() {
  ui.result.hidden = true;
}
