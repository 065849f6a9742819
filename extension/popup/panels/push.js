// The popup's "Push": the button that opens the form (where to push: GitHub, GitLab, Gitea, at
// their public hosts or a self-managed one added in Settings, remembered per project with the
// repository by the worker; the repository; a new repository and its visibility; the branch; "Open a pull request",
// remembered with the repository; the commit message, prefilled with the core's default, which
// the worker sends), "Review changes" (what the push would change: review.js) and Push (which
// sends the reviewed export when there is one), and the result (the commit, or "already up to
// date", the pull request, the CI verdict: checks.js, and what the commit left out). The push
// itself runs in the service worker, which checks the repository's name with the core first; the
// popup is only told whether each forge's token is set. Text only: every value is set with
// textContent.
import { showLeftOut } from '../../shared/result-view.js';
import { shortCommit } from '../format.js';
import { awaitChecks, hideChecks } from './checks.js';
import { formToggle, markOpener } from './form-toggle.js';
import { clearReview, currentReview, initReview } from './review.js';

const $ = (id) => document.getElementById(id);
const ui = {
  open: $('push-open'),
  openText: $('push-open-text'),
  octocat: $('push-open-octocat'),
  repoLabel: $('push-repo-label'),
  resultRepoLabel: $('push-result-repo-label'),
  form: $('push-form'),
  forge: $('push-forge'),
  noToken: $('push-no-token'),
  noTokenText: $('push-no-token-text'),
  setToken: $('push-set-token'),
  repo: $('push-repo'),
  create: $('push-create'),
  visibility: $('push-visibility'),
  branch: $('push-branch'),
  pr: $('push-pr'),
  prText: $('push-pr-text'),
  awsChoice: $('push-aws-choice'),
  aws: $('push-aws'),
  awsFields: $('push-aws-fields'),
  awsBucket: $('push-aws-bucket'),
  awsRegion: $('push-aws-region'),
  awsRole: $('push-aws-role'),
  awsDistribution: $('push-aws-distribution'),
  message: $('push-message'),
  review: $('push-review'),
  button: $('push'),
  result: $('push-result'),
  resultTitle: $('push-result-title'),
  resultNote: $('push-result-note'),
  resultPr: $('push-result-pr'),
  resultRepo: $('push-result-repo'),
  resultBranch: $('push-result-branch'),
  resultLink: $('push-result-link'),
  excludedTitle: $('push-excluded-title'),
  excluded: $('push-excluded'),
};

// The branch a pull request is offered from when none is named.
const PR_BRANCH = 'liftoff';

let hooks = null; // {isBusy, onOpen, start(request, how), setStatus, openOptions, askDiff}
let tokenSet = false;
// The targets the worker listed: [{id, name, forge, host, word, tokenSet}].
let forges = [{ id: 'github', name: 'GitHub', forge: 'github', host: 'github.com', word: 'repository', tokenSet: false }];
const form = formToggle({ form: ui.form, field: ui.repo, button: ui.button, sync: syncPush, hooks: () => hooks });

/** The chosen target. */
const chosen = () => forges.find((f) => f.id === ui.forge.value) ?? forges[0];

/** The name of where the form pushes ('GitHub', 'GitLab (git.example.com)'). */
export const pushForgeName = () => chosen().name;

/** What the forge calls what a push may open. */
const pullWord = () => (chosen().forge === 'gitlab' ? 'merge request' : 'pull request');

/** A repository's address pasted as is (on the chosen forge's host) names the repository. */
function repositoryOf(value) {
  const host = chosen().host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return value
    .trim()
    .replace(new RegExp(`^https://${host}/`, 'i'), '')
    .replace(/\/-\/.*$/, '')
    .replace(/\.git$/, '');
}

/** What the chosen forge calls a repository ('project' on GitLab). */
const wordOf = (target) => (typeof target?.word === 'string' && target.word ? target.word : 'repository');
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** The AWS route when asked (GitHub only): {bucket, region, role, distribution}, or null. */
function awsRoute() {
  if (chosen().forge !== 'github' || !ui.aws.checked) return null;
  return {
    bucket: ui.awsBucket.value.trim(),
    region: ui.awsRegion.value.trim(),
    role: ui.awsRole.value.trim(),
    distribution: ui.awsDistribution.value.trim(),
  };
}

/** The form follows the chosen forge: its token, its words, its mark (GitHub's only on GitHub). */
function showForge() {
  const target = chosen();
  ui.octocat.style.display = target.forge === 'github' ? '' : 'none';
  ui.repoLabel.textContent = capital(wordOf(target));
  tokenSet = target.tokenSet === true;
  ui.noToken.hidden = tokenSet;
  ui.noTokenText.textContent = `Liftoff needs a ${target.name} token to push.`;
  ui.repo.placeholder = target.forge === 'gitlab' ? 'group/name' : 'owner/name';
  ui.prText.textContent = `Open a ${pullWord()}`;
  ui.openText.textContent = `Push to ${target.name}`;
  // The AWS route runs on GitHub Actions.
  ui.awsChoice.hidden = target.forge !== 'github';
  ui.awsFields.hidden = ui.awsChoice.hidden || !ui.aws.checked;
}

/** What the form asks for (protocol.js, PushRequest and ReviewRequest without type, tabId, key). */
function formRequest() {
  return {
    forge: chosen().id,
    aws: awsRoute(),
    repository: repositoryOf(ui.repo.value),
    create: ui.create.checked,
    private: ui.form.elements.visibility.value !== 'public',
    branch: ui.branch.value.trim(),
    message: ui.message.value, // as shown: the core's default as prefilled, or the person's own
    pr: ui.pr.checked,
  };
}

/** Starts a review, or a push (with the review's export when one is on screen). */
function run(type) {
  if (hooks.isBusy() || !tokenSet) return;
  const request = formRequest();
  const review = type === 'push' ? (currentReview()?.review ?? null) : null;
  if (type === 'push') request.review = review;
  // A push of the reviewed export starts at GitHub: nothing is read from the page again.
  const how = { destination: chosen().forge, name: request.repository, field: ui.repo, type, phase: review ? 'pushing' : 'reading' };
  if (type === 'review') clearReview(); // the new one replaces it
  hooks.start(request, how).then((started) => {
    if (started) ui.repo.value = request.repository;
  });
}

/** A field the review depends on changed: the review on screen no longer says what Push does. */
function staleReview() {
  clearReview();
  syncPush();
}

/**
 * hooks: {isBusy(), onOpen(open), start(request, {destination, name, field, type, phase}) →
 * whether it started, setStatus(text, tone), openOptions(), askDiff(review, path)}.
 */
export function initPush(given) {
  hooks = given;
  initReview({ askDiff: (review, path) => hooks.askDiff(review, path) });
  ui.open.addEventListener('click', () => (ui.form.hidden ? form.open() : form.close()));
  ui.create.addEventListener('change', staleReview);
  ui.aws.addEventListener('change', () => {
    ui.awsFields.hidden = !ui.aws.checked;
    staleReview();
  });
  ui.forge.addEventListener('change', () => {
    showForge();
    staleReview();
  });
  ui.pr.addEventListener('change', () => {
    // A pull request needs a branch of its own.
    if (ui.pr.checked && !ui.branch.value.trim()) ui.branch.value = PR_BRANCH;
    staleReview();
  });
  for (const field of [ui.repo, ui.branch]) field.addEventListener('input', staleReview);
  ui.setToken.addEventListener('click', () => hooks.openOptions());
  ui.review.addEventListener('click', () => run('review'));
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    run('push');
  });
}

/**
 * Shows the button for a project and fills the form: github = {tokenSet, forge, forges,
 * repository, branch, pr, message} (forges: where a push may go, each with whether its token is
 * set; forge: the one of this project's last push; the core's default commit message).
 */
export function preparePush({ tokenSet: hasToken, forge, forges: listed, repository, branch, pr, aws, message }) {
  if (Array.isArray(listed) && listed.length > 0) {
    forges = listed.filter((f) => typeof f?.id === 'string' && typeof f?.name === 'string');
  }
  ui.forge.replaceChildren(
    ...forges.map((target) => {
      const option = document.createElement('option');
      option.value = target.id;
      option.textContent = target.tokenSet ? target.name : `${target.name} (no token)`;
      return option;
    }),
  );
  ui.forge.value = forges.some((f) => f.id === forge) ? forge : forges[0].id;
  if (!Array.isArray(listed)) forges[0].tokenSet = hasToken === true;
  showForge();
  ui.open.hidden = false;
  if (typeof repository === 'string' && repository) ui.repo.value = repository;
  if (typeof branch === 'string' && branch) ui.branch.value = branch;
  ui.pr.checked = pr === true;
  fillAwsRoute(aws);
  ui.message.value = typeof message === 'string' ? message : '';
  syncPush();
}

/** The AWS route the project's last push went with ({bucket, region, role, distribution}), or none. */
function fillAwsRoute(aws) {
  const route = aws && typeof aws === 'object' ? aws : null;
  const text = (value) => (typeof value === 'string' ? value : '');
  ui.aws.checked = route !== null;
  ui.awsBucket.value = text(route?.bucket);
  ui.awsRegion.value = text(route?.region);
  ui.awsRole.value = text(route?.role);
  ui.awsDistribution.value = text(route?.distribution);
  ui.awsFields.hidden = ui.awsChoice.hidden || !ui.aws.checked;
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

/** Enables what may be used now (nothing while a run is busy; not Push when the review found nothing to push). */
export function syncPush() {
  const busy = hooks?.isBusy() ?? false;
  const creating = ui.create.checked;
  ui.open.disabled = busy;
  markOpener(ui.open, !ui.form.hidden);
  ui.visibility.classList.toggle('off', !creating);
  for (const radio of ui.visibility.querySelectorAll('input')) radio.disabled = !creating || busy;
  for (const field of [ui.forge, ui.repo, ui.branch, ui.message, ui.create, ui.pr, ui.aws, ui.awsBucket, ui.awsRegion, ui.awsRole, ui.awsDistribution]) field.disabled = busy;
  ui.review.disabled = busy || !tokenSet;
  ui.button.disabled = busy || !tokenSet || currentReview()?.upToDate === true;
  ui.button.textContent = creating ? 'Create and push' : ui.pr.checked ? (chosen().forge === 'gitlab' ? 'Push, open MR' : 'Push, open PR') : 'Push';
}

/** Disables Review and Push for good: the worker is gone. */
export function stopPush() {
  ui.review.disabled = true;
  ui.button.disabled = true;
}

/** The pull request's line: "Pull request #3 opened" (or "updated"; GitLab's "Merge request !3") as a link to it; hidden without one. */
function showPullRequest(pullRequest, merge) {
  const { number, url, created } = pullRequest ?? {};
  const shown = Number.isInteger(number) && typeof url === 'string' && /^https:\/\//.test(url);
  ui.resultPr.hidden = !shown;
  const label = merge ? `Merge request !${number}` : `Pull request #${number}`;
  ui.resultPr.textContent = shown ? `${label} ${created ? 'opened' : 'updated'}` : '';
  if (shown) ui.resultPr.href = url;
  else ui.resultPr.removeAttribute('href');
  ui.resultPr.title = shown ? url : '';
}

/**
 * The result (protocol.js, Pushed): the commit as a link, or "already up to date", the pull
 * request, the checks to come, and what was left out.
 */
export function showPushed({ forge, forgeName, followsChecks, aws, repository, branch, commit, url, created, isPrivate, upToDate, pullRequest, excluded }) {
  const name = typeof forgeName === 'string' && forgeName ? forgeName : 'GitHub';
  const word = wordOf(forges.find((f) => f.id === forge));
  ui.resultTitle.textContent = upToDate ? 'Already up to date' : `Pushed to ${name}`;
  ui.resultRepoLabel.textContent = capital(word);
  ui.resultNote.textContent = upToDate
    ? 'The branch already holds this export: no new commit.'
    : created
      ? `Liftoff created ${isPrivate ? 'a private' : 'a public'} ${word} for it.`
      : '';
  if (aws?.bucket && !upToDate) {
    const deploy = `GitHub Actions deploys it to s3://${aws.bucket}: its run shows below.`;
    ui.resultNote.textContent = [ui.resultNote.textContent, deploy].filter(Boolean).join(' ');
  }
  ui.resultNote.hidden = ui.resultNote.textContent === '';
  ui.result.dataset.outcome = upToDate ? 'up-to-date' : 'pushed';
  showPullRequest(pullRequest, typeof forge === 'string' && forge.startsWith('gitlab'));
  ui.resultRepo.textContent = repository;
  ui.resultRepo.title = repository;
  ui.resultBranch.textContent = branch;
  ui.resultLink.textContent = shortCommit(commit);
  ui.resultLink.title = url;
  // Only GitHub's own https address becomes a link.
  if (/^https:\/\//.test(url)) ui.resultLink.href = url;
  else ui.resultLink.removeAttribute('href');
  showLeftOut(ui.excluded, ui.excludedTitle, Array.isArray(excluded) ? excluded : [], 'the commit');
  if (followsChecks !== false) awaitChecks(commit);
  ui.result.hidden = false;
  ui.create.checked = false; // it exists now
  clearReview(); // pushed: the review said what this push did
  closePush();
}

/** Hides the last push's result and its checks (a new run starts). */
export function hidePushed() {
  ui.result.hidden = true;
  hideChecks();
}
