// Copies of the core's rules: to be replaced by the wasm catalog.
//
// The core (crates/liftoff-core) decides every one of these; the copies here let the popup answer
// at once (the core checks again) and let the worker word the core's errors. The last group reads
// facts out of the core's English sentences: each reads the error's own field first (`status`,
// `deployment`, `why`, `statement`), which the wasm is about to set, and falls back to the
// sentence.

// --- Names the popup checks before it sends anything ---

/**
 * owner/name as the popup accepts it before a push (the core's parse_repository in
 * crates/liftoff-core/src/github/names.rs is stricter, and checks again).
 */
export const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** owner/name as the worker keeps it per project (githubRepositories): the same, with lengths. */
export const REMEMBERED_REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

/** A Supabase project ref, the subdomain of <ref>.supabase.co: 20 lower-case letters and digits. */
export const SUPABASE_REF = /^[a-z0-9]{20}$/;

/** What the user is told when a ref does not have that shape. */
export const SUPABASE_REF_PROBLEM =
  'A Supabase project ref is 20 lower-case letters and digits: copy it from the project’s address, supabase.com/dashboard/project/<ref>.';

/**
 * The commit message the core writes when none is given (crates/liftoff-core/src/github/
 * commit.rs, `default_message`): "Export from Bolt (Liftoff), 2025-04-01 12:00 UTC". Shown
 * prefilled; when left as is, the popup sends no message and the core writes its own.
 */
export function defaultCommitMessage(builder, nowMs) {
  const from = builder ? `Export from ${builder}` : 'Export';
  const at = new Date(nowMs).toISOString(); // 2025-04-01T12:00:00.000Z
  return `${from} (Liftoff), ${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;
}

/**
 * A project's name as Vercel and Netlify both accept it (the core's rules, crates/liftoff-core/
 * src/deploy): lower-case letters, digits and single '-' between words, at most 63 characters,
 * no '-' at either end. "My Portfolio (v2)!" → "my-portfolio-v2"; nothing left → "my-app".
 */
export function projectSlug(name) {
  const ascii = String(name ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return slug || 'my-app';
}

/** What each provider accepts as a name, checked before anything is sent (the core checks again). */
export function nameProblem(provider, name) {
  if (provider === 'netlify') {
    if (!/^[a-z0-9-]{1,63}$/.test(name)) return 'A Netlify site name has 1 to 63 lower-case letters, digits and “-”.';
    if (/^-|-$/.test(name)) return 'A Netlify site name may not start or end with “-”.';
    return null;
  }
  if (!/^[a-z0-9._-]{1,100}$/.test(name)) return 'A Vercel project name has 1 to 100 lower-case letters, digits, “.”, “_” and “-”.';
  if (name.includes('---')) return 'A Vercel project name may not contain “---”.';
  return null;
}

// --- Facts read out of the core's errors ---

const messageOf = (error) => String(error?.message ?? '');

/**
 * The HTTP status of an error: error.status, else, for an 'http-error', read from the core's
 * sentence "<Service> answered <status> for …" (crates/liftoff-core/src/net/error.rs); or null.
 */
export function httpStatus(error) {
  if (Number.isInteger(error?.status)) return error.status;
  if (error?.code !== 'http-error') return null;
  const match = / answered (\d{3}) /.exec(messageOf(error));
  return match ? Number(match[1]) : null;
}

/**
 * The deployment a failed or timed-out build left, {id, state} (state: the provider's last one,
 * or null): error.deployment, else read from "… deployment <id> failed (<state>): …" or
 * "… deployment <id> was not ready after … (last state <state>)" (crates/liftoff-core/src/
 * deploy/mod.rs, `DeployError`); null when neither names one.
 */
export function failedDeployment(error) {
  const field = error?.deployment;
  if (typeof field?.id === 'string' && field.id) {
    return { id: field.id, state: typeof field.state === 'string' ? field.state : null };
  }
  const message = messageOf(error);
  const id = /deployment (\S+) (?:failed \(|was not ready)/.exec(message)?.[1];
  if (!id) return null;
  const state = /deployment \S+ failed \(([^)]*)\)/.exec(message)?.[1] ?? /last state ([A-Za-z_-]+)/.exec(message)?.[1];
  return { id, state: state ?? null };
}

/**
 * Why a build failed ('build-failed': the provider's build error) or a name was refused
 * ('bad-name': the provider's rule): error.why, else read from the core's sentence; or null.
 */
export function whyOf(error) {
  if (typeof error?.why === 'string' && error.why.trim()) return error.why.trim();
  const message = messageOf(error);
  if (error?.code === 'build-failed') return /failed \([^)]*\): ([\s\S]*?); production still serves/.exec(message)?.[1]?.trim() || null;
  if (error?.code === 'bad-name') return /is not a valid name: (.*)$/.exec(message)?.[1] || null;
  return null;
}

/**
 * The failing statement of a 'statement-failed' database push, as the core quotes it (at most 300
 * characters): error.statement, else the sentence's "\n  the statement: …" line
 * (crates/liftoff-core/src/sql/push.rs, `PushError`); or null.
 */
export function failingStatement(error) {
  if (error?.code !== 'statement-failed') return null;
  if (typeof error.statement === 'string' && error.statement.trim()) return error.statement.trim();
  return /\n\s*the statement: ([^\n]*)/.exec(messageOf(error))?.[1]?.trim() || null;
}

/** The file of a failing statement: "<file>, statement N (line L) failed: …"; or null. */
export function failingFile(error) {
  return /^(.+?), statement \d+/.exec(messageOf(error))?.[1] ?? null;
}

/**
 * GitHub's rate limit as the core's 'rate-limited' sentence gives it: {until} ("2025-04-01 12:00
 * UTC"), {wait} (seconds), or {} (crates/liftoff-core/src/github/error.rs).
 */
export function rateLimit(error) {
  const message = messageOf(error);
  const until = /until (\d{4}-\d\d-\d\d \d\d:\d\d UTC)/.exec(message)?.[1];
  if (until) return { until };
  const wait = /wait (\d+) seconds/.exec(message)?.[1];
  return wait ? { wait } : {};
}
