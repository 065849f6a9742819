// The tokens of the destinations the extension reaches (the core's catalog: every destination
// with origins, e.g. GitHub, Vercel, Netlify, Supabase) and the keys of builders' official APIs
// (a builder whose catalog entry has `keyHelp`: Lovable's API key, kept as `lovableToken`), read
// and written by the service worker alone: the options page hands a token over through its port
// and is only ever told whether one is set; the popup is told the same.
//
// Where each is kept, under its own key, `<destination id>Token` (`githubToken`, `vercelToken`,
// `netlifyToken`, `supabaseToken`):
// - chrome.storage.session by default: memory only, gone when the browser closes, and hidden
//   from content scripts (Chrome's default access level, TRUSTED_CONTEXTS, which Liftoff never
//   changes);
// - chrome.storage.local when the user ticks "Remember on this device": on disk, and readable by
//   the extension's content scripts (the options page says so next to the checkbox).
// A forge at a self-managed host (forge-hosts.js: target id `gitlab@https://git.example.com`)
// has its own token, under `gitlabToken@https://git.example.com`: one token per forge host.
// It is in one of the two at most. The optional team id of a destination with teams (Vercel's:
// not a secret, but it belongs with the token it was given with) sits beside its token, in the
// same storage, under `<destination id>Team` (`vercelTeam`).
// Nothing here logs a token, and no error carries one.
import { builderOf, destinationOf } from '../core/catalog.js';
import { targetOf } from './forge-hosts.js';
import { UserError } from '../wording/errors.js';

// A token goes into an HTTP header: printable ASCII, no spaces.
const TOKEN_SHAPE = /^[\x21-\x7e]{8,1024}$/;
// Team ids (Vercel's team_…) and slugs.
const TEAM_SHAPE = /^[A-Za-z0-9_.-]{1,100}$/;

/** A builder whose official API takes a key the options page holds, or null. */
async function keyedBuilder(id) {
  const builder = await builderOf(id);
  return builder?.keyHelp ? builder : null;
}

/**
 * The service of id (a destination, or a builder with an API key): {name, key, teamKey?};
 * throws a UserError for an unknown one.
 */
async function service(id) {
  const destination = typeof id === 'string' ? await destinationOf(id) : null;
  if (destination) return { name: destination.name, key: `${id}Token`, ...(destination.teams ? { teamKey: `${id}Team` } : {}) };
  const builder = typeof id === 'string' ? await keyedBuilder(id) : null;
  if (builder) return { name: `${builder.name} API`, key: `${id}Token` };
  const target = typeof id === 'string' && id.includes('@') ? await targetOf(id) : null;
  if (target) return { name: target.name, key: `${target.forge}Token@${target.api}` };
  throw new UserError('Liftoff does not know that service.');
}

/** Whether id names a destination whose token, or a builder whose API key, Liftoff keeps. */
export async function isService(id) {
  if (typeof id !== 'string') return false;
  if (id.includes('@')) return (await targetOf(id)) !== null;
  return (await destinationOf(id)) !== null || (await keyedBuilder(id)) !== null;
}

const keysOf = (s) => (s.teamKey ? [s.key, s.teamKey] : [s.key]);
const nonEmpty = (value) => (typeof value === 'string' && value !== '' ? value : null);

/** {token, team} of the area holding the token (session first), or null. */
async function stored(s) {
  for (const area of [chrome.storage.session, chrome.storage.local]) {
    const values = await area.get(keysOf(s));
    const token = nonEmpty(values[s.key]);
    if (token) return { token, team: s.teamKey ? nonEmpty(values[s.teamKey]) : null };
  }
  return null;
}

/** The stored token of serviceId (a destination's id: 'github', 'vercel', …), or null. */
export async function readToken(serviceId) {
  return (await stored(await service(serviceId)))?.token ?? null;
}

/** {token, team} (team: for a destination with teams, or null), or null when no token is set. */
export async function readCredentials(serviceId) {
  return stored(await service(serviceId));
}

/** {set, remembered, team?}: what the options page and the popup may know. */
export async function tokenStatus(serviceId) {
  const s = await service(serviceId);
  const { [s.key]: local } = await chrome.storage.local.get(s.key);
  const remembered = nonEmpty(local) !== null;
  const found = await stored(s);
  const status = { set: found !== null, remembered };
  if (s.teamKey) status.team = found?.team ?? '';
  return status;
}

/**
 * Stores token (pasted by the user: surrounding spaces are dropped) where remember says, with
 * the team id when given for a destination with teams (empty: the token's personal account).
 */
export async function saveToken(serviceId, token, remember, { team } = {}) {
  const s = await service(serviceId);
  const value = typeof token === 'string' ? token.trim() : '';
  if (!TOKEN_SHAPE.test(value)) {
    throw new UserError(`That does not look like a ${s.name} token. Copy it from ${s.name} again and paste it without spaces.`);
  }
  const teamValue = s.teamKey && typeof team === 'string' ? team.trim() : '';
  if (teamValue && !TEAM_SHAPE.test(teamValue)) {
    throw new UserError(`That does not look like a ${s.name} team id. Copy it from the team’s Settings page (team_…), or leave it empty.`);
  }
  await place(s, { token: value, team: teamValue || null }, remember === true);
}

/** Moves the stored token to the other storage (remember: true → storage.local). */
export async function rememberToken(serviceId, remember) {
  const s = await service(serviceId);
  const found = await stored(s);
  if (found) await place(s, found, remember === true);
}

/** Removes the token (and what goes with it) from both storages. */
export async function forgetToken(serviceId) {
  const keys = keysOf(await service(serviceId));
  await Promise.all([chrome.storage.session.remove(keys), chrome.storage.local.remove(keys)]);
}

// Written to its new place before it is removed from the old one, so that a failure in between
// never loses it.
async function place(s, { token, team }, remember) {
  const [to, from] = remember ? [chrome.storage.local, chrome.storage.session] : [chrome.storage.session, chrome.storage.local];
  const values = { [s.key]: token };
  if (s.teamKey && team) values[s.teamKey] = team;
  await to.set(values);
  if (s.teamKey && !team) await to.remove(s.teamKey);
  await from.remove(keysOf(s));
}
