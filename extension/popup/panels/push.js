// The popup's "Push to GitHub": the button that opens the form (the repository, remembered per
// project by the worker; a new repository and its visibility; the branch; the commit message,
// prefilled with the core's default, which the worker sends), and the result (the commit, or
// "already up to date", and what the commit left out). The push itself runs in the service
// worker, which checks the repository's name with the core first; the popup is only told whether
// the GitHub token is set. Text only: every value is set with textContent.
import { showLeftOut } from '../../shared/result-view.js';
import { shortCommit } from '../format.js';
import { formToggle, markOpener } from './form-toggle.js';

const $ = (id) => document.getElementById(id);
const ui = {
  open: $('push-open'),
  form: $('push-form'),
  noToken: $('push-no-token'),
  setToken: $('push-set-token'),
  repo: $('push-repo'),
  create: $('push-create'),
  visibility: $('push-visibility'),
  branch: $('push-branch'),
  message: $('push-message'),
  button: $('push'),
  result: $('push-result'),
  resultTitle: $('push-result-title'),
  resultNote: $('push-result-note'),
  resultRepo: $('push-result-repo'),
  resultBranch: $('push-result-branch'),
  resultLink: $('push-result-link'),
  excludedTitle: $('push-excluded-title'),
  excluded: $('push-excluded'),
};

let hooks = null; // {isBusy, onOpen, start(request, check), setStatus, openOptions}
let tokenSet = false;
const form = formToggle({ form: ui.form, field: ui.repo, button: ui.button, sync: syncPush, hooks: () => hooks });

/**
 * hooks: {isBusy(), onOpen(open), start({repository, create, private, branch, message},
 * {destination, name, field}) → whether it started, setStatus(text, tone), openOptions()}.
 */
export function initPush(given) {
  hooks = given;
  ui.open.addEventListener('click', () => (ui.form.hidden ? form.open() : form.close()));
  ui.create.addEventListener('change', syncPush);
  ui.setToken.addEventListener('click', () => hooks.openOptions());
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (hooks.isBusy() || !tokenSet) return;
    // A repository's address pasted as is names the repository.
    const repository = ui.repo.value.trim().replace(/^https:\/\/github\.com\//, '').replace(/\.git$/, '');
    hooks.start(
      {
        repository,
        create: ui.create.checked,
        private: ui.form.elements.visibility.value !== 'public',
        branch: ui.branch.value.trim(),
        message: ui.message.value, // as shown: the core's default as prefilled, or the person's own
      },
      { destination: 'github', name: repository, field: ui.repo },
    ).then((started) => {
      if (started) ui.repo.value = repository;
    });
  });
}

/**
 * Shows the button for a project and fills the form: github = {tokenSet, repository, branch,
 * message} (the last repository of this project; the core's default commit message).
 */
export function preparePush({ tokenSet: hasToken, repository, branch, message }) {
  tokenSet = hasToken === true;
  ui.open.hidden = false;
  ui.noToken.hidden = tokenSet;
  if (typeof repository === 'string' && repository) ui.repo.value = repository;
  if (typeof branch === 'string' && branch) ui.branch.value = branch;
  ui.message.value = typeof message === 'string' ? message : '';
  syncPush();
}

/** Hides the button and the form: the tab holds no project. */
export function hidePush() {
  ui.open.hidden = true;
  ui.form.hidden = true;
}

/** Closes the form (the popup shows one form at a time). */
export function closePush() {
  form.close();
}

/** Enables what may be used now (nothing while a run is busy). */
export function syncPush() {
  const busy = hooks?.isBusy() ?? false;
  const creating = ui.create.checked;
  ui.open.disabled = busy;
  markOpener(ui.open, !ui.form.hidden);
  ui.visibility.classList.toggle('off', !creating);
  for (const radio of ui.visibility.querySelectorAll('input')) radio.disabled = !creating || busy;
  for (const field of [ui.repo, ui.branch, ui.message, ui.create]) field.disabled = busy;
  ui.button.disabled = busy || !tokenSet;
  ui.button.textContent = creating ? 'Create and push' : 'Push';
}

/** Disables Push for good: the worker is gone. */
export function stopPush() {
  ui.button.disabled = true;
}

/** The result (protocol.js, Pushed): the commit as a link, or "already up to date", and what was left out. */
export function showPushed({ repository, branch, commit, url, created, isPrivate, upToDate, excluded }) {
  ui.resultTitle.textContent = upToDate ? 'Already up to date' : 'Pushed to GitHub';
  ui.resultNote.textContent = upToDate
    ? 'The branch already holds this export: no new commit.'
    : created
      ? `Liftoff created ${isPrivate ? 'a private' : 'a public'} repository for it.`
      : '';
  ui.resultNote.hidden = ui.resultNote.textContent === '';
  ui.result.dataset.outcome = upToDate ? 'up-to-date' : 'pushed';
  ui.resultRepo.textContent = repository;
  ui.resultRepo.title = repository;
  ui.resultBranch.textContent = branch;
  ui.resultLink.textContent = shortCommit(commit);
  ui.resultLink.title = url;
  // Only GitHub's own https address becomes a link.
  if (/^https:\/\//.test(url)) ui.resultLink.href = url;
  else ui.resultLink.removeAttribute('href');
  showLeftOut(ui.excluded, ui.excludedTitle, Array.isArray(excluded) ? excluded : [], 'the commit');
  ui.result.hidden = false;
  ui.create.checked = false; // it exists now
  closePush();
}

/** Hides the last push's result (a new run starts). */
export function hidePushed() {
  ui.result.hidden = true;
}
