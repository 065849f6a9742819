// Where a push can go: a forge of the core's catalog at its own public host (GitHub, gitlab.com,
// gitea.com), or at a self-managed host the person added in Settings (a forge whose catalog entry
// says `selfManaged`: GitLab, Gitea). Each such place is a *target* with its own token:
//   {id, forge, name, host, word, api}
// id: the forge's id for its public host ('gitlab'), `<forge>@<origin>` for a self-managed one
// ('gitlab@https://git.example.com'); forge: the catalog id the core pushes with; name: what
// the person reads ('GitLab', 'GitLab (git.example.com)'); host: where the token goes; api: the
// origin handed to the core (null: the core's default for the forge).
//
// The self-managed hosts are kept in chrome.storage.local under `forgeHosts`:
// {"<forge id>": ["https://git.example.com", …]} (no token: the tokens are in tokens.js, one per
// target id). A host is only ever added once the person granted the extension access to it
// (chrome.permissions.request, asked from the options page at the moment the host is added: the
// manifest's optional_host_permissions, never <all_urls>), and a target whose permission is gone
// is not offered.
import { httpsOrigin as originOf } from '../../shared/origins.js';
import { destinationOf, destinations } from '../core/catalog.js';
import { UserError } from '../wording/errors.js';

const KEY = 'forgeHosts';
const MAX_HOSTS = 20;


/** The host part people read: "git.example.com", "git.example.com:8443". */
const hostOf = (origin) => new URL(origin).host;

/** The public host a forge's token goes to: its first origin, without `api.` (api.github.com → github.com). */
const publicHost = (entry) => hostOf(entry.origins[0]).replace(/^api\./, '');

async function readHosts() {
  const { [KEY]: stored } = await chrome.storage.local.get(KEY);
  return stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
}

/** Whether the extension may reach origin now (the person granted it, and did not take it back). */
async function granted(origin) {
  try {
    return await chrome.permissions.contains({ origins: [`${origin}/*`] });
  } catch {
    return false;
  }
}

const selfManagedTarget = (entry, origin) => ({
  id: `${entry.id}@${origin}`,
  forge: entry.id,
  name: `${entry.name} (${hostOf(origin)})`,
  host: hostOf(origin),
  word: entry.word,
  api: origin,
});

/** Every target, public hosts first in the catalog's order, then each forge's added hosts. */
export async function forgeTargets() {
  const forges = await destinations('forge');
  const hosts = await readHosts();
  const targets = forges.map((entry) => ({ id: entry.id, forge: entry.id, name: entry.name, host: publicHost(entry), word: entry.word, api: null }));
  for (const entry of forges.filter((e) => e.selfManaged)) {
    for (const origin of Array.isArray(hosts[entry.id]) ? hosts[entry.id] : []) {
      if (originOf(origin) === origin && (await granted(origin))) targets.push(selfManagedTarget(entry, origin));
    }
  }
  return targets;
}

/** The target id names, or null (an unknown forge, a host not added, or one whose permission is gone). */
export async function targetOf(id) {
  if (typeof id !== 'string') return null;
  const at = id.indexOf('@');
  const forgeId = at < 0 ? id : id.slice(0, at);
  const entry = await destinationOf(forgeId, 'forge');
  if (!entry) return null;
  if (at < 0) return { id, forge: id, name: entry.name, host: publicHost(entry), word: entry.word, api: null };
  const origin = id.slice(at + 1);
  if (!entry.selfManaged || originOf(origin) !== origin) return null;
  const listed = (await readHosts())[forgeId];
  if (!Array.isArray(listed) || !listed.includes(origin) || !(await granted(origin))) return null;
  return selfManagedTarget(entry, origin);
}

/**
 * Adds origin as a self-managed host of forgeId, once the person granted access to it (the
 * options page asked). Resolves the new target; throws a UserError for a forge that has none,
 * an address that is not an https origin, or a host the extension may not reach.
 */
export async function addHost(forgeId, text) {
  const entry = await destinationOf(forgeId, 'forge');
  if (!entry?.selfManaged) throw new UserError('That forge has no self-managed hosts.');
  const origin = originOf(text);
  if (!origin) throw new UserError('Write the address of your instance as https://host (https only).');
  if (entry.origins.includes(origin)) throw new UserError(`${hostOf(origin)} is ${entry.name}’s own host: set its token above.`);
  if (!(await granted(origin))) throw new UserError(`Liftoff was not given access to ${hostOf(origin)}: add it again and allow access when Chrome asks.`);
  const hosts = await readHosts();
  const list = Array.isArray(hosts[forgeId]) ? hosts[forgeId].filter((o) => o !== origin) : [];
  if (list.length >= MAX_HOSTS) throw new UserError(`Liftoff keeps at most ${MAX_HOSTS} hosts per forge: remove one first.`);
  hosts[forgeId] = [...list, origin];
  await chrome.storage.local.set({ [KEY]: hosts });
  return selfManagedTarget(entry, origin);
}

/** Removes a self-managed target's host (its token is forgotten by the caller) and gives back the access to it. */
export async function removeHost(id) {
  const at = typeof id === 'string' ? id.indexOf('@') : -1;
  if (at < 0) return;
  const forgeId = id.slice(0, at);
  const origin = id.slice(at + 1);
  const hosts = await readHosts();
  if (!Array.isArray(hosts[forgeId])) return;
  hosts[forgeId] = hosts[forgeId].filter((o) => o !== origin);
  await chrome.storage.local.set({ [KEY]: hosts });
  // Another forge may use the same origin; the access is kept then.
  const stillUsed = Object.values(hosts).some((list) => Array.isArray(list) && list.includes(origin));
  if (!stillUsed && originOf(origin) === origin) await chrome.permissions.remove({ origins: [`${origin}/*`] }).catch(() => false);
}
