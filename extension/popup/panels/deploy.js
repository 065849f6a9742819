// The popup's "Deploy to Vercel" and "Deploy to Netlify": the two buttons, the form they open
// (the project's name, prefilled from the export's and editable), the progress wording and the
// result with the live address. The deployment itself runs in the service worker; the popup is
// only told whether each provider's token is set.
import { nameProblem, projectSlug } from '../../shared/core-rules.js';
import { hostOf, providerName } from '../format.js';
import { formToggle, markOpener } from './form-toggle.js';

const $ = (id) => document.getElementById(id);
const ui = {
  actions: $('deploy-actions'),
  openers: { vercel: $('deploy-open-vercel'), netlify: $('deploy-open-netlify') },
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
};

const HINTS = {
  vercel: 'Lower-case letters, digits, “.”, “_” and “-”. Liftoff creates the project on Vercel if it does not exist.',
  netlify: 'Lower-case letters, digits and “-”: it becomes the site’s address. Liftoff creates the site on Netlify if it does not exist.',
};

let hooks = null; // {isBusy, onOpen, start, setStatus, openOptions}
let provider = null; // the provider whose form is open (or last deployed to)
let tokens = { vercel: false, netlify: false };
const names = { vercel: '', netlify: '' }; // what the user typed, per provider
const form = formToggle({ form: ui.form, field: ui.project, button: ui.button, sync: syncDeploy, hooks: () => hooks });

/** hooks: {isBusy(), onOpen(open), start({provider, project}), setStatus(text, tone), openOptions()}. */
export function initDeploy(given) {
  hooks = given;
  for (const [id, opener] of Object.entries(ui.openers)) opener.addEventListener('click', () => toggle(id));
  ui.setToken.addEventListener('click', () => hooks.openOptions());
  ui.project.addEventListener('input', () => {
    if (provider) names[provider] = ui.project.value;
  });
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (hooks.isBusy() || !provider || !tokens[provider]) return;
    const project = ui.project.value.trim();
    const problem = nameProblem(provider, project);
    if (problem) {
      hooks.setStatus(problem, 'error');
      ui.project.focus();
      return;
    }
    ui.project.value = project;
    hooks.start({ provider, project });
  });
}

/** Shows the buttons for a project: deploy = {vercel: {tokenSet}, netlify: {tokenSet}}. */
export function prepareDeploy(deploy, projectName) {
  tokens = { vercel: deploy?.vercel?.tokenSet === true, netlify: deploy?.netlify?.tokenSet === true };
  const slug = projectSlug(projectName);
  names.vercel ||= slug;
  names.netlify ||= slug;
  ui.actions.hidden = false;
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
  const name = providerName(id);
  const word = id === 'netlify' ? 'Site' : 'Project';
  ui.projectLabel.textContent = `${name} ${word.toLowerCase()}`;
  ui.project.value = names[id];
  ui.hint.textContent = HINTS[id];
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
  for (const [id, opener] of Object.entries(ui.openers)) {
    opener.disabled = busy;
    markOpener(opener, !ui.form.hidden && provider === id);
  }
  ui.project.disabled = busy;
  ui.noToken.hidden = !provider || tokens[provider];
  ui.button.disabled = busy || !provider || !tokens[provider];
}

/** The status line while deploying: steps answered of those planned, the last one the build. */
export function deployingText({ done, total }) {
  const name = providerName(provider);
  if (total > 1 && done >= total - 1) return `${name} is building the project…`;
  return total > 1 ? `Uploading to ${name}… ${done} of ${total - 1}` : `Uploading to ${name}…`;
}

/** The result: the live address as a link, the project and the deployment's id. */
export function showDeployed({ provider: id, project, id: deploymentId, url }) {
  const name = providerName(id);
  ui.resultTitle.textContent = `Live on ${name}`;
  ui.resultProjectLabel.textContent = id === 'netlify' ? 'Site' : 'Project';
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

/** Hides the last deployment's result (a new run starts). */
export function hideDeployed() {
  ui.result.hidden = true;
}
