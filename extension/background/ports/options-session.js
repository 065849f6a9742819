// The options page's port (protocol.js, OPTIONS_PORT): the page asks which destinations take a
// token (the core's catalog: those the extension reaches), hands a token over (with a team id
// for a destination with teams) and is answered whether one is set, never with the token
// itself; it also lists and forgets the bolt.diy sites chosen in the popup (SitesRequest, Sites),
// and adds and removes a forge's self-managed hosts (HostRequest: the page asked Chrome for
// access to the host first; each host then has a token section of its own). Requests and
// answers: protocol.js, DestinationsRequest, Destinations, TokenRequest, TokenStatus and
// TokenError.
import { builders, destinations } from '../core/catalog.js';
import { chosenSites, forgetSite } from '../sources/bolt-diy.js';
import { addHost, forgeTargets, removeHost } from '../store/forge-hosts.js';
import { forgetToken, isService, rememberToken, saveToken, tokenStatus } from '../store/tokens.js';
import { UserError } from '../wording/errors.js';
import { logFailure, portPoster } from './post.js';

/** Serves one options page's port. */
export function attachOptions(port) {
  const post = portPoster(port);
  port.onMessage.addListener((message) => {
    if (message?.type === 'destinations') {
      describeDestinations()
        .then((list) => post({ type: 'destinations', destinations: list }))
        .catch((error) => logFailure('destination listing', error));
      return;
    }
    // The bolt.diy sites the person chose in the popup ("Use Liftoff on this site").
    if (message?.type === 'sites' || message?.type === 'forget-site') {
      const forget = message.type === 'forget-site' && typeof message.origin === 'string' ? forgetSite(message.origin) : null;
      Promise.resolve(forget)
        .then(chosenSites)
        .then((sites) => post({ type: 'sites', sites }))
        .catch((error) => logFailure('site listing', error));
      return;
    }
    if (message?.type === 'add-host' || message?.type === 'remove-host') {
      changeHosts(message)
        .then(() => describeDestinations())
        .then((list) => post({ type: 'destinations', destinations: list }))
        .catch((error) => {
          const sentence = error instanceof UserError ? error.message : `The host could not be saved (${error?.name ?? 'error'}).`;
          post({ type: 'host-error', forge: String(message.forge ?? ''), message: sentence });
        });
      return;
    }
    const service = message?.service;
    isService(service).then((known) => {
      if (known) answer(service, message, post);
    });
  });
}

/** Adds a self-managed host ({forge, origin}), or removes one ({id}) with its token. */
async function changeHosts(message) {
  if (message.type === 'add-host') {
    await addHost(message.forge, message.origin);
    return;
  }
  if (typeof message.id !== 'string' || !message.id.includes('@')) return;
  if (await isService(message.id)) await forgetToken(message.id);
  await removeHost(message.id);
}

/**
 * What a token section shows of each destination, then of each self-managed forge host (kind
 * 'forge', `host`: its forge's id), then of each builder whose official API takes a key (kind
 * 'builder'): [{id, name, kind, word, tokenHelp, teams, hosts, selfManaged, forge?}].
 */
async function describeDestinations() {
  const hostsOf = (origins) => origins.map((origin) => new URL(origin).host);
  const keyed = (await builders())
    .filter((builder) => builder.keyHelp)
    .map(({ id, name, word, keyHelp, origins }) => ({ id, name, kind: 'builder', word, tokenHelp: keyHelp, teams: false, hosts: hostsOf(origins) }));
  const all = await destinations();
  const reached = all.map(({ id, name, kind, word, tokenHelp, teams, origins, selfManaged }) => ({
    id,
    name,
    kind,
    word,
    tokenHelp,
    teams,
    selfManaged: selfManaged === true,
    hosts: hostsOf(origins),
  }));
  const help = Object.fromEntries(all.map(({ id, tokenHelp }) => [id, tokenHelp]));
  const word = Object.fromEntries(all.map((entry) => [entry.id, entry.word]));
  const added = (await forgeTargets())
    .filter((target) => target.api)
    .map(({ id, forge, name, host }) => ({ id, name, kind: 'forge', word: word[forge], tokenHelp: help[forge], teams: false, selfManaged: false, forge, hosts: [host] }));
  return [...reached, ...added, ...keyed];
}

function answer(service, message, post) {
  handle(service, message)
    .then((saved) => tokenStatus(service).then((status) => post({ type: 'token-status', service, ...status, saved })))
    .catch((error) => {
      // Our own sentence, or the storage error's name: never the message, which could hold
      // what was pasted.
      const sentence = error instanceof UserError ? error.message : `The token could not be stored (${error?.name ?? 'error'}).`;
      post({ type: 'token-error', service, message: sentence });
      console.warn('Liftoff token setting failed:', error instanceof UserError ? 'refused' : error?.name);
    });
}

async function handle(service, message) {
  switch (message?.type) {
    case 'token-status':
      return undefined;
    case 'save-token':
      await saveToken(service, message.token, message.remember === true, { team: message.team });
      return 'saved';
    case 'remember-token':
      await rememberToken(service, message.remember === true);
      return 'moved';
    case 'forget-token':
      await forgetToken(service);
      return 'forgotten';
    default:
      throw new UserError('Liftoff did not understand the settings page. Reload it.');
  }
}
