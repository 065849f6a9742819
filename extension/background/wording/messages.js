// Sentences the popup and the drop page show. Kept together so the wording stays consistent.
// The facts a sentence needs (an HTTP status, a provider's reason, …) are read out of the core's
// errors by errors.js; this module only words them.
import { SUPABASE_REF_PROBLEM } from '../../shared/core-rules.js';
import { BUILDER_NAMES } from '../../shared/format.js';

export const NOT_REACHABLE =
  'No Bolt, Lovable or Base44 project is open in this tab. Open one (reload the tab if it was open before Liftoff was installed) and try again, or export a zip you downloaded.';
export const BOLT_NO_PROJECT =
  'This page holds no Bolt project that Liftoff can read. Download the project from Bolt, then drop the zip here.';
export const LOVABLE_NO_PROJECT = 'Open a Lovable project (lovable.dev/projects/…) in this tab and try again.';
export const LOVABLE_SIGNED_OUT = 'Sign in to Lovable in this tab, then try again.';
export const BASE44_NO_APP = 'Open your app in the Base44 editor (app.base44.com/apps/…) in this tab and try again.';
export const BASE44_SIGNED_OUT = 'Sign in to Base44 in this tab, then try again.';

/**
 * The sentence for an error the core threw with a stable `code`, worded for the person who must
 * act. builder: 'bolt' | 'lovable' | 'base44' | null (a dropped file: the builder is not known
 * until the file is read). status: the HTTP status of an 'http-error', when known. Unknown codes
 * give null (the caller falls back to the core's own sentence).
 */
export function sentenceForCode(code, builder, status) {
  const name = BUILDER_NAMES[builder] ?? 'The builder';
  const at = BUILDER_NAMES[builder] ?? 'the builder';
  switch (code) {
    case 'bad-token':
      return `Sign in to ${at} again in this tab, then export.`;
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
    case 'unknown-chat':
      return 'This chat is not in the Bolt history of this browser. Open it from your chat list on bolt.new, or download the project from Bolt and drop the zip here.';
    case 'bad-history':
      return "Bolt's saved history in this browser could not be read. Download the project from Bolt, then drop the zip here.";
    case 'bad-id':
      return `The address of this tab does not hold a valid project id. Open the project in the ${at} editor, then export.`;
    default:
      return null;
  }
}

export const GITHUB_NO_TOKEN = 'Liftoff needs a GitHub token to push. Set one in Settings, then push again.';

/**
 * The sentence for an error the core's GitHub push threw with a stable `code` (crates/
 * liftoff-core/src/github/error.rs), for the person who must act. push: {repository, branch,
 * create} as asked; limit: the rate limit's {until} or {wait}, when the core said. Unknown codes
 * give null (the caller falls back to the core's sentence).
 */
export function sentenceForPushCode(code, push, { until, wait } = {}) {
  const repo = push.repository || 'the repository';
  const owner = repo.split('/')[0];
  const branch = push.branch || 'the branch';
  switch (code) {
    case 'bad-token':
      return 'GitHub refused the token: it is wrong, expired or revoked. Set a new one in Settings, then push again.';
    case 'not-found':
      return push.create
        ? `GitHub could not find ${owner}, or the token cannot see it. Check the owner in the repository name.`
        : `GitHub has no repository ${repo} that this token can see. Check the name, give the token access to it, or tick “New repository” to create it.`;
    case 'forbidden':
      return `The token may not push to ${repo}. A classic token needs the repo scope; a fine-grained token needs this repository with Contents set to “Read and write”. Set a new one in Settings.`;
    case 'cannot-create':
      return `The token may not create repositories for ${owner}. A classic token needs the repo scope; a fine-grained token needs Administration set to “Read and write”. Or create ${repo} on GitHub and push to it.`;
    case 'name-taken':
      return `${repo} cannot be created: the name is taken on that account. Choose another name, or untick “New repository” to push to the existing one.`;
    case 'rate-limited': {
      if (until) return `GitHub’s rate limit for this token is used up until ${until}. Push again after that.`;
      if (wait) return `GitHub asked Liftoff to slow down. Wait ${wait} seconds, then push again.`;
      return 'GitHub’s rate limit for this token is used up. Wait a few minutes, then push again.';
    }
    case 'branch-moved':
      return `Someone else kept pushing to ${branch} of ${repo} while Liftoff pushed. Nothing was changed: push again.`;
    case 'bad-repository':
      return 'Write the repository as owner/name (letters, digits, “-”, “_” and “.”).';
    case 'bad-branch':
      return `“${push.branch}” is not a valid branch name. Leave the branch empty for the repository’s default one.`;
    case 'unsafe-clone-url':
      return 'GitHub gave an address for the repository that Liftoff will not send your token to. Nothing was pushed.';
    case 'redirected':
      return 'GitHub sent the request somewhere else, and Liftoff never follows a redirect with your token. Nothing was pushed.';
    case 'unreachable':
      return 'Liftoff could not reach GitHub. Check your connection, then push again.';
    case 'http-error':
      return 'GitHub answered with an error. Try again in a few minutes; the repository was not changed.';
    case 'malformed':
      return 'GitHub sent an answer Liftoff could not read. Try again in a few minutes; the repository was not changed.';
    default:
      return null; // rejected, unpack-failed, unconfirmed: the core's sentence says it best
  }
}

export const PROVIDER_NAMES = { vercel: 'Vercel', netlify: 'Netlify' };

/** Vercel calls it a project, Netlify a site. */
export const projectWord = (provider) => (provider === 'netlify' ? 'site' : 'project');

/** The sentence for a deployment without a token: the popup adds a button to the options page. */
export function noDeployToken(provider) {
  return `Liftoff needs a ${PROVIDER_NAMES[provider] ?? 'hosting'} token to do this. Set one in Settings, then try again.`;
}

/**
 * The sentence for an error the core's deployments threw with a stable `code` (crates/
 * liftoff-core/src/deploy/mod.rs, `DeployError::code`), for the person who must act.
 * run: {kind: 'deploy' | 'history' | 'rollback', provider, project}; facts, when the core gave
 * them: why (the provider's build error, or a name's rule), lastState (of a build that timed
 * out), status (the HTTP status of an 'http-error'). Unknown codes give null.
 */
export function sentenceForDeployCode(code, run, { why = null, lastState = null, status = null } = {}) {
  const host = PROVIDER_NAMES[run.provider] ?? 'The host';
  const word = projectWord(run.provider);
  const name = run.project || `the ${word}`;
  const again = { deploy: 'deploy again', history: 'open History again', rollback: 'roll back again' }[run.kind] ?? 'try again';
  const unchanged = run.kind === 'history' ? '' : ' Production was not changed.';
  switch (code) {
    case 'no-token':
      return noDeployToken(run.provider);
    case 'bad-token':
      return `${host} refused the token: it is wrong, expired or revoked. Set a new one in Settings, then ${again}.`;
    case 'forbidden':
      return run.provider === 'vercel'
        ? `The Vercel token may not use the project ${name}. Check that the token has access to the team set in Settings (or to your personal account when no team is set).`
        : `The Netlify token may not use the site ${name}: it belongs to another account. Choose another name, or set that account's token in Settings.`;
    case 'not-found':
      return `${host} has no ${word} ${name} that this token can see. Check the name, or the account the token belongs to.`;
    case 'build-failed': {
      const said = why ? `: ${why}${/[.!?]$/.test(why) ? '' : '.'}` : '.';
      return `The build failed on ${host}${said} Production still serves the previous deployment.`;
    }
    case 'timed-out':
      return `${host} did not finish the build in time${lastState ? ` (last state ${lastState})` : ''}. It may still finish: open History in a few minutes.`;
    case 'nothing-to-roll-back':
      return `${name} has no earlier production deployment on ${host} to roll back to.`;
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
export const SUPABASE_BAD_REF = SUPABASE_REF_PROBLEM;
export const NO_SQL =
  'This export holds no SQL to put in a database: no supabase/migrations/*.sql and no supabase/seed.sql.';

/**
 * The core's own sentence about the SQL (crates/liftoff-core/src/sql/push.rs, `PushError`), as
 * one sentence: its first line, with a capital and a full stop, but never a file's path changed
 * ("supabase/seed.sql, statement 3 …" keeps its case).
 */
export function coreSqlSentence(message) {
  const first = String(message ?? '').split('\n')[0].trim();
  const start = first.startsWith('supabase/') ? first : first.charAt(0).toUpperCase() + first.slice(1);
  return /[.!?]$/.test(start) ? start : `${start}.`;
}

/**
 * The sentence for an error of a database push (crates/liftoff-core/src/sql/push.rs,
 * `PushError::code`, and the remote codes), for the person who must act. run: {ref}; facts:
 * message (the core's own sentence: it names the file, the statement and the database's words;
 * it never holds the token), file (the failing statement's), status (the HTTP status of an
 * 'http-error'). Unknown codes give null (the caller falls back to the core's sentence).
 */
export function sentenceForDatabaseCode(code, run, { message = '', file = null, status = null } = {}) {
  switch (code) {
    case 'no-token':
      return SUPABASE_NO_TOKEN;
    case 'bad-token':
      return 'Supabase refused the access token: it is wrong, expired or revoked. Set a new one in Settings, then try again.';
    case 'forbidden':
      return `The Supabase access token may not use the project ${run.ref}. Set a token of an account that manages it in Settings.`;
    case 'not-found':
      return `Supabase has no project ${run.ref} that this token can see. Check the project ref (in the project’s address), or the account the token belongs to.`;
    case 'bad-project-ref':
      return SUPABASE_BAD_REF;
    case 'no-sql':
      return NO_SQL;
    case 'statement-failed':
      // "<file>, statement N (line L) failed: <the database's words>\n  the statement: …\n
      //  nothing from <file> was applied"
      return `${coreSqlSentence(message)} Nothing from ${file ?? 'that file'} was applied.`;
    case 'redirected':
      return 'Supabase sent the request somewhere else, and Liftoff never follows a redirect with your token.';
    case 'unreachable':
      return 'Liftoff could not reach Supabase. Check your connection, then try again.';
    case 'http-error':
      return `Supabase answered with an error${status ? ` (HTTP ${status})` : ''}. Try again in a few minutes.`;
    case 'malformed':
      return 'Supabase sent an answer Liftoff could not read. Try again in a few minutes.';
    default:
      return null; // transaction-control, record-failed, ledger-failed, not-text: the core's words
  }
}
