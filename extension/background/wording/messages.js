// Sentences the popup and the drop page show. Kept together so the wording stays consistent.
// Every builder's and destination's name and word comes from its entry in the core's catalog
// (core/catalog.js); the facts a sentence needs (an HTTP status, a provider's reason, …) are the
// fields of the core's errors, read by errors.js; this module only words them.
import { plural } from '../../shared/format.js';

/** "A", "A or B", "A, B or C". */
function orList(words) {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? '');
}

/** "a Lovable project", "an Acme app". */
const aWord = (text) => `${/^[aeiou]/i.test(text) ? 'an' : 'a'} ${text}`;

/** The tab holds no Liftoff content script: builders, the catalog's, are named. */
export function notReachable(builders) {
  const names = orList(builders.map((builder) => builder.name));
  return `No ${names} project is open in this tab. Open one (reload the tab if it was open before Liftoff was installed) and try again, or export a zip you downloaded.`;
}

/** A builder's page (read from its stored history) holds no project: the drop page is the way. */
export function noHistory(builder) {
  return `This page holds no ${builder.name} ${builder.word} that Liftoff can read. Download the ${builder.word} from ${builder.name}, then drop the zip here.`;
}

/** A fetched builder's page shows no project: where one is. */
export function noProjectOpen(builder) {
  return `Open ${aWord(`${builder.name} ${builder.word}`)} (${builder.address}) in this tab and try again.`;
}

/** The key for a builder's official API, set in the options page, was refused. */
export function apiKeyRefused(builder) {
  return `${builder.name} refused the API key set in Liftoff’s Settings (401): it may be revoked, expired or for another workspace. Set a new key in Settings, or forget it there to export with this tab’s session.`;
}

/** A fetched builder's page holds a session whose token has expired (the page renews it). */
export function sessionExpired(builder) {
  return `Your ${builder.name} session in this tab has expired. Reload the ${builder.name} tab (${builder.name} renews it), then try again.`;
}

/** A fetched builder's page holds no session. */
export function signedOut(builder) {
  return `Sign in to ${builder.name} in this tab, then try again.`;
}

/**
 * The sentence for an error the core threw with a stable `code`, worded for the person who must
 * act. builder: the catalog entry of the builder the export talked to, or null (a dropped file:
 * the builder is not known until the file is read). status: the HTTP status, when known. Unknown
 * codes give null (the caller falls back to the core's own sentence).
 */
export function sentenceForCode(code, builder, status) {
  const name = builder?.name ?? 'The builder';
  const at = builder?.name ?? 'the builder';
  switch (code) {
    case 'bad-token':
      return `${name} refused the session of this tab (401): it may have expired or been signed out. Reload the ${at} tab, sign in again if asked, then export.`;
    case 'forbidden':
      return `${name} does not let the account signed in here export this project. Sign in with the account that owns it, then export.`;
    case 'not-found':
      return `${name} could not find this project for the account signed in here. Check that this tab shows your project, then export again.`;
    case 'redirected':
      return `${name} sent the request somewhere else, and Liftoff never follows a redirect with your session. Reload the tab, then export again.`;
    case 'unreachable':
      return `Liftoff could not reach ${at}. Check your connection, then export again.`;
    case 'http-error':
      return `${name} answered with an error${status ? ` (HTTP ${status})` : ''}. Try again in a few minutes.`;
    case 'malformed':
      return `${name} sent an answer Liftoff could not read. Try again in a few minutes; if it keeps happening, download the project from ${at} and export the zip on the drop page.`;
    case 'too-large':
      return 'This project is larger than Liftoff can export (too many files, or more than 256 MiB unpacked).';
    case 'bad-archive':
      return 'This file is damaged, or is not a zip, tar or tar.gz. Download the project again, then export the new file.';
    case 'unknown-input':
      return 'This file is not a project Liftoff can read. Export the .zip, .tar or .tar.gz the builder let you download.';
    case 'empty':
      return 'There are no files to export in this project yet.';
    case 'bad-id':
      return `The address of this tab does not hold a valid project id. Open the project in the ${at} editor, then export.`;
    default:
      return builder ? historySentence(code, builder) : null;
  }
}

// A builder read from the page's stored history (its chats): what its history codes mean.
function historySentence(code, { name, word, hosts }) {
  if (code === 'unknown-chat') {
    return `This chat is not in the ${name} history of this browser. Open it from your chat list on ${hosts[0] ?? name}, or download the ${word} from ${name} and drop the zip here.`;
  }
  if (code === 'bad-history') return `${name}'s saved history in this browser could not be read. Download the ${word} from ${name}, then drop the zip here.`;
  return null;
}

/** The sentence for a push without a token for the forge named name ('GitHub', 'GitLab (git.example.com)'). */
export const noForgeToken = (name) => `Liftoff needs a ${name} token to push. Set one in Settings, then push again.`;

export const GITHUB_NO_TOKEN = noForgeToken('GitHub');

/**
 * The sentence for an error the core's push threw with a stable `code` (crates/
 * liftoff-core/src/destinations/github/error.rs), for the person who must act. push:
 * {repository, branch, create, forgeName} as asked (forgeName: 'GitHub' when not given); limit:
 * the error's {reset, wait} (rate-limited), when the core knew them. Unknown codes give null (the
 * caller falls back to the core's sentence, which names each forge's own token settings).
 */
export function sentenceForPushCode(code, push, { reset, wait } = {}) {
  const repo = push.repository || 'the repository';
  const owner = repo.split('/').slice(0, -1).join('/') || repo;
  const branch = push.branch || 'the branch';
  const forge = push.forgeName || 'GitHub';
  const github = forge === 'GitHub';
  const pull = forge.startsWith('GitLab') ? 'merge request' : 'pull request';
  switch (code) {
    case 'bad-token':
      return `${forge} refused the token: it is wrong, expired or revoked. Set a new one in Settings, then push again.`;
    case 'not-found':
      return push.create
        ? `${forge} could not find ${owner}, or the token cannot see it. Check the owner in the repository name.`
        : `${forge} has no repository ${repo} that this token can see. Check the name, give the token access to it, or tick “New repository” to create it.`;
    case 'forbidden':
      if (!github) return null; // the core's sentence names the forge's own token settings
      return `The token may not push to ${repo}. A classic token needs the repo scope; a fine-grained token needs this repository with Contents set to “Read and write”. Set a new one in Settings.`;
    case 'cannot-create':
      if (!github) return null;
      return `The token may not create repositories for ${owner}. A classic token needs the repo scope; a fine-grained token needs Administration set to “Read and write”. Or create ${repo} on GitHub and push to it.`;
    case 'name-taken':
      return `${repo} cannot be created: the name is taken on that account. Choose another name, or untick “New repository” to push to the existing one.`;
    case 'rate-limited': {
      if (reset) return `GitHub’s rate limit for this token is used up until ${reset}. Push again after that.`;
      if (wait) return `GitHub asked Liftoff to slow down. Wait ${plural(wait, 'second')}, then push again.`;
      return 'GitHub’s rate limit for this token is used up. Wait a few minutes, then push again.';
    }
    case 'branch-moved':
      return `Someone else kept pushing to ${branch} of ${repo} while Liftoff pushed. Nothing was changed: push again.`;
    case 'bad-branch':
      return `“${push.branch}” is not a valid branch name. Leave the branch empty for the repository’s default one.`;
    case 'unsafe-clone-url':
      return `${forge} gave an address for the repository that Liftoff will not send your token to. Nothing was pushed.`;
    case 'redirected':
      return `${forge} sent the request somewhere else, and Liftoff never follows a redirect with your token. Nothing was pushed.`;
    case 'unreachable':
      return `Liftoff could not reach ${forge}. Check your connection, then push again.`;
    case 'http-error':
      return `${forge} answered with an error. Try again in a few minutes; the repository was not changed.`;
    case 'malformed':
      return `${forge} sent an answer Liftoff could not read. Try again in a few minutes; the repository was not changed.`;
    case 'pr-needs-branch':
      return push.branch
        ? `“${push.branch}” is the default branch of ${repo}: a ${pull} goes from another branch into it. Name another branch, such as “liftoff”. Nothing was pushed.`
        : `A ${pull} needs a branch of its own. Name one, such as “liftoff”. Nothing was pushed.`;
    case 'pull-request-failed':
      return `Pushed to ${branch} of ${repo}, but ${forge} did not open or update the ${pull}. Open it from ${branch} on ${forge}, or push again to try once more.`;
    default:
      return null; // bad-repository, rejected, unpack-failed, unconfirmed: the core's sentence says it best
  }
}

/**
 * Why a pushed commit's checks could not be followed, for the code of the core's error (or
 * 'no-token'): the push itself is done either way.
 */
export function checksUnread(code) {
  switch (code) {
    case 'no-token':
      return 'Liftoff cannot follow the checks without a GitHub token. The push itself is done: see the commit on GitHub.';
    case 'forbidden':
      return 'The token may not read this commit’s checks (a fine-grained token needs Checks and Commit statuses set to “Read-only”). The push itself is done: see the commit on GitHub.';
    default:
      return 'Liftoff could not read this commit’s checks. The push itself is done: see the commit on GitHub.';
  }
}

/** The sentence for a deployment without a token (destination: its catalog entry): the popup adds a button to the options page. */
export function noDeployToken(destination) {
  return `Liftoff needs a ${destination.name} token to do this. Set one in Settings, then try again.`;
}

/**
 * The sentence for an error the core's deployments threw with a stable `code` (crates/
 * liftoff-core/src/deploy/mod.rs, `DeployError::code`), for the person who must act.
 * run: {kind: 'deploy' | 'history' | 'rollback', destination (the catalog entry), project};
 * facts, when the core gave them: detail (the provider's build error), why (a name's rule),
 * lastState (of a build that timed out), status (the HTTP status). Unknown codes give null.
 */
export function sentenceForDeployCode(code, run, { detail = null, why = null, lastState = null, status = null } = {}) {
  const { name: host, word, teams } = run.destination;
  const name = run.project || `the ${word}`;
  const again = { deploy: 'deploy again', history: 'open History again', rollback: 'roll back again', promote: 'promote again' }[run.kind] ?? 'try again';
  const unchanged = run.kind === 'history' ? '' : ' Production was not changed.';
  switch (code) {
    case 'no-token':
      return noDeployToken(run.destination);
    case 'bad-token':
      return `${host} refused the token: it is wrong, expired or revoked. Set a new one in Settings, then ${again}.`;
    case 'forbidden':
      // With teams, the token's team decides; without, the name belongs to another account.
      return teams
        ? `The ${host} token may not use the ${word} ${name}. Check that the token has access to the team set in Settings (or to your personal account when no team is set).`
        : `The ${host} token may not use the ${word} ${name}: it belongs to another account. Choose another name, or set that account's token in Settings.`;
    case 'not-found':
      return `${host} has no ${word} ${name} that this token can see. Check the name, or the account the token belongs to.`;
    case 'build-failed':
      return `The build failed on ${host}${detail ? `: ${withStop(detail)}` : '.'} Production still serves the previous deployment.`;
    case 'timed-out':
      return `${host} did not finish the build in time${lastState ? ` (last state ${lastState})` : ''}. It may still finish: open History in a few minutes.`;
    case 'nothing-to-roll-back':
      return `${name} has no earlier production deployment on ${host} to roll back to.`;
    case 'not-promotable':
      return `${host} cannot make that deployment production as it is${why ? `: ${withStop(why)}` : '.'} Production was not changed.`;
    case 'promote-failed':
      return `${host} did not switch production to the preview${detail ? ` (${detail})` : ''}. Production still serves what it served; promote again in a minute.`;
    // 'preview-went-live': the core's own sentence says whether the previous one was put back.
    case 'bad-name':
      return `“${name}” cannot be a ${host} ${word} name${why ? `: ${why}` : ''}. Change the name, then deploy again.`;
    case 'redirected':
      return `${host} sent the request somewhere else, and Liftoff never follows a redirect with your token.${unchanged}`;
    case 'unreachable':
      return `Liftoff could not reach ${host}. Check your connection, then ${again}.${unchanged}`;
    case 'http-error':
      return `${host} answered with an error${status ? ` (HTTP ${status})` : ''}. Try again in a few minutes.${unchanged}`;
    case 'malformed':
      return `${host} sent an answer Liftoff could not read. Try again in a few minutes.${unchanged}`;
    default:
      return null;
  }
}

export const SUPABASE_NO_TOKEN =
  'Liftoff needs a Supabase access token to put the database in Supabase. Set one in Settings, then try again.';
export const NO_SQL =
  'This export holds no SQL to put in a database: no supabase/migrations/*.sql and no supabase/seed.sql.';

/** text ended with a full stop, unless it ends with one already (or with '!' or '?'). */
export function withStop(text) {
  return ['.', '!', '?'].some((stop) => text.endsWith(stop)) ? text : `${text}.`;
}

/**
 * The core's own words as one sentence: the first line of its message, with a capital (unless
 * it starts with the error's file, whose path keeps its case) and a full stop.
 */
export function coreSentence(error) {
  const first = String(error?.message ?? '').split('\n')[0].trim();
  const file = typeof error?.file === 'string' ? error.file : null;
  const start = file && first.startsWith(file) ? first : first.charAt(0).toUpperCase() + first.slice(1);
  return withStop(start);
}

/**
 * The sentence for an error of a database push (crates/liftoff-core/src/sql/migration.rs,
 * `MigrationError::code`, and the remote codes), for the person who must act. run: {ref};
 * error: the core's (statement-failed: its own sentence names the file, the statement and the
 * database's words, never the token; `file`: the failing statement's); status: the HTTP status.
 * Unknown codes give null (the caller falls back to the core's sentence).
 */
export function sentenceForDatabaseCode(code, run, error, status = null) {
  switch (code) {
    case 'no-token':
      return SUPABASE_NO_TOKEN;
    case 'bad-token':
      return 'Supabase refused the access token: it is wrong, expired or revoked. Set a new one in Settings, then try again.';
    case 'forbidden':
      return `The Supabase access token may not use the project ${run.ref}. Set a token of an account that manages it in Settings.`;
    case 'not-found':
      return `Supabase has no project ${run.ref} that this token can see. Check the project ref (in the project’s address), or the account the token belongs to.`;
    case 'no-sql':
      return NO_SQL;
    case 'statement-failed':
      return `${coreSentence(error)} Nothing from ${error?.file ?? 'that file'} was applied.`;
    case 'redirected':
      return 'Supabase sent the request somewhere else, and Liftoff never follows a redirect with your token.';
    case 'unreachable':
      return 'Liftoff could not reach Supabase. Check your connection, then try again.';
    case 'http-error':
      return `Supabase answered with an error${status ? ` (HTTP ${status})` : ''}. Try again in a few minutes.`;
    case 'malformed':
      return 'Supabase sent an answer Liftoff could not read. Try again in a few minutes.';
    default:
      return null; // bad-project-ref, transaction-control, record-failed, ledger-failed, not-text: the core's words
  }
}
