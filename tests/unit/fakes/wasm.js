// Stands in for the wasm glue (fakes/wasm-hooks.js maps both glue modules here, so this one module
// plays liftoff_wasm and liftoff_remote alike). The catalog is test data shaped as the core's;
// the name rule and the suggestions are stand-ins, not the core's (the e2e suites run the real
// ones). Any part of the core that needs a build (an export, a session) fails loudly: the unit
// tests cover the JavaScript around the core, not the core.
function refuse(what) {
  throw new Error(`the unit tests' fake wasm has no ${what}`);
}

export default async function init() {}

const BUILDERS = [
  { id: 'bolt', name: 'Bolt', word: 'project', address: 'bolt.new/~/…', hosts: ['bolt.new'], fetched: false, origins: [] },
  {
    id: 'lovable',
    name: 'Lovable',
    word: 'project',
    address: 'lovable.dev/projects/…',
    hosts: ['lovable.dev'],
    fetched: true,
    origins: ['https://api.lovable.dev', 'https://lovable-api.com'],
    keyHelp: 'Create an API key in Lovable.',
  },
  {
    id: 'base44',
    name: 'Base44',
    word: 'app',
    address: 'app.base44.com/apps/…',
    hosts: ['app.base44.com'],
    fetched: true,
    origins: ['https://app.base44.com'],
  },
];

const destination = (id, name, kind, word, { suggests = false, teams = false, selfManaged = false, followsChecks = false, origins = [`https://api.${id}.com`] } = {}) => ({
  id,
  name,
  kind,
  word,
  label: word,
  suggests,
  tokenVar: `${id.toUpperCase()}_TOKEN`,
  tokenHelp: `Create one on ${name}.`,
  teams,
  selfManaged,
  followsChecks,
  origins,
});

const DESTINATIONS = [
  destination('github', 'GitHub', 'forge', 'repository', { origins: ['https://api.github.com', 'https://github.com'], followsChecks: true }),
  destination('vercel', 'Vercel', 'hosting', 'project', { suggests: true, teams: true }),
  destination('netlify', 'Netlify', 'hosting', 'site', { suggests: true }),
  destination('supabase', 'Supabase', 'database', 'project'),
  destination('postgres', 'PostgreSQL', 'database', 'database', { origins: [] }),
  destination('gitlab', 'GitLab', 'forge', 'project', { origins: ['https://gitlab.com'], selfManaged: true }),
  destination('gitea', 'Gitea', 'forge', 'repository', { origins: ['https://gitea.com'], selfManaged: true }),
  destination('git', 'Git', 'forge', 'repository', { origins: [] }),
];

/** How many times each function was called, and the names nameProblem was asked about. */
export const calls = { catalog: 0, names: [] };

/** Both modules' catalog at once (each module's own half is what the worker reads). */
export function catalog() {
  calls.catalog++;
  return { builders: structuredClone(BUILDERS), destinations: structuredClone(DESTINATIONS) };
}

/** The fake's rule (not the core's): lower-case letters, digits, '.', '_', '-' and '/', 1 to 100 of them. */
export function nameProblem(id, name) {
  calls.names.push([id, name]);
  return /^[a-z0-9._/-]{1,100}$/.test(name) ? undefined : `“${name}” cannot be a ${id} name (the fake's rule).`;
}

/** Lower-case words joined by '-' where the catalog says the destination suggests; else undefined. */
export function suggestName(id, text) {
  if (!DESTINATIONS.find((entry) => entry.id === id)?.suggests) return undefined;
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'my-app';
}

export const defaultCommitMessage = (builder, nowMs) => `Export from ${builder} (fake), ${nowMs}`;

export const inspectBoltHistory = () => refuse('inspectBoltHistory');
export const provideOfframpTexts = () => {};
export const exportBoltHistory = () => refuse('exportBoltHistory');
export const exportArchive = () => refuse('exportArchive');
export const BuilderSession = { fetch: () => refuse('BuilderSession') };
export const DeploySession = { deploy: () => refuse('DeploySession'), history: () => refuse('DeploySession'), rollback: () => refuse('DeploySession') };

export class PushSession {
  constructor() {
    refuse('PushSession');
  }

  static preview() {
    refuse('PushSession.preview');
  }
}

/**
 * What the fake ChecksSession plays: rounds, the verdicts ({state, checks, failing, timed_out})
 * of its reads in order (the last one repeats); every, the ms between reads; sessions, every
 * session made (with `args`, `sent`, `freed`).
 */
export const checksScript = { rounds: [], every: 5, sessions: [] };

const isFinal = (verdict) => verdict?.state === 'passed' || verdict?.state === 'failed';

/**
 * A ChecksSession following a commit's checks as the core does: a read (one GET to the commit's
 * check-runs on api.github.com, answered by whatever fetch the test installs) every
 * checksScript.every ms; latest() the last verdict read while not over (the core's does not
 * show the final one), finished once a read is passed or failed.
 */
export class ChecksSession {
  constructor(repository, commit, token, options) {
    this.args = { repository, commit, token, options };
    this.read = 0;
    this.sent = 0;
    this.due = 0;
    this.inFlight = false;
    this.freed = false;
    checksScript.sessions.push(this);
  }

  verdict(reads) {
    const { rounds } = checksScript;
    return reads > 0 && rounds.length ? structuredClone(rounds[Math.min(reads, rounds.length) - 1]) : null;
  }

  pollTransmit(now) {
    if (this.inFlight || now < this.due || this.isFinished()) return [];
    this.inFlight = true;
    this.sent++;
    const { repository, commit, token } = this.args;
    return [{ id: this.sent, method: 'GET', url: `https://api.github.com/repos/${repository}/commits/${commit}/check-runs`, headers: [['authorization', `Bearer ${token}`]] }];
  }

  handleResponse(_id, _status, _headers, _body, now) {
    this.inFlight = false;
    this.read++;
    this.due = now + checksScript.every;
  }

  handleNetworkError(id, _message, now) {
    this.handleResponse(id, 0, [], null, now);
  }

  nextWakeup() {
    return this.inFlight || this.isFinished() ? undefined : this.due;
  }

  progress() {
    return { done: this.read, total: this.sent };
  }

  latest() {
    const verdict = this.verdict(this.read);
    return isFinal(verdict) ? this.verdict(this.read - 1) : verdict;
  }

  isFinished() {
    return isFinal(this.verdict(this.read));
  }

  finish() {
    return this.verdict(this.read);
  }

  free() {
    this.freed = true;
  }
}

export class DatabaseSession {
  constructor() {
    refuse('DatabaseSession');
  }
}
