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
  { id: 'bolt', name: 'Bolt', word: 'project', address: 'bolt.new/~/…', hosts: ['bolt.new'], fetched: false },
  { id: 'lovable', name: 'Lovable', word: 'project', address: 'lovable.dev/projects/…', hosts: ['lovable.dev'], fetched: true },
  { id: 'base44', name: 'Base44', word: 'app', address: 'app.base44.com/apps/…', hosts: ['app.base44.com'], fetched: true },
];

const destination = (id, name, kind, word, { suggests = false, teams = false, origins = [`https://api.${id}.com`] } = {}) => ({
  id,
  name,
  kind,
  word,
  label: word,
  suggests,
  tokenVar: `${id.toUpperCase()}_TOKEN`,
  tokenHelp: `Create one on ${name}.`,
  teams,
  origins,
});

const DESTINATIONS = [
  destination('github', 'GitHub', 'forge', 'repository', { origins: ['https://api.github.com', 'https://github.com'] }),
  destination('vercel', 'Vercel', 'hosting', 'project', { suggests: true, teams: true }),
  destination('netlify', 'Netlify', 'hosting', 'site', { suggests: true }),
  destination('supabase', 'Supabase', 'database', 'project'),
  destination('postgres', 'PostgreSQL', 'database', 'database', { origins: [] }),
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
export const exportBoltHistory = () => refuse('exportBoltHistory');
export const exportArchive = () => refuse('exportArchive');
export const BuilderSession = { fetch: () => refuse('BuilderSession') };
export const DeploySession = { deploy: () => refuse('DeploySession'), history: () => refuse('DeploySession'), rollback: () => refuse('DeploySession') };

export class PushSession {
  constructor() {
    refuse('PushSession');
  }
}

export class DatabaseSession {
  constructor() {
    refuse('DatabaseSession');
  }
}
