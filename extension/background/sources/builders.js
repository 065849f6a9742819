// What the tab holds, and its export, for every builder: Bolt from its own download (kept from
// the page, or asked for through Bolt's Export menu) or from the page's stored history (bolt.diy,
// also where the person chose to use Liftoff: bolt-diy.js), the builders the core fetches (the
// catalog's `fetched`) from their APIs with the page's session token, driven by fetch. Every
// sentence names the builder as the core's catalog does.
import { readSettings } from '../../shared/settings.js';
import { builderOf, builders } from '../core/catalog.js';
import { runSession } from '../core/run-session.js';
import { exportBolt, exportDroppedArchive, finishSession, inspectBolt, openBuilderSession } from '../core/wasm.js';
import { readToken } from '../store/tokens.js';
import { UserError, explain } from '../wording/errors.js';
import { apiKeyRefused, noHistory, noProjectOpen, notReachable, sessionExpired, signedOut } from '../wording/messages.js';
import { offerSite } from './bolt-diy.js';
import { askPage } from './capture.js';
import { eraseOwnDownloads } from './page-download.js';
import { pageSession, pageSessionToken } from './page-session.js';

/** The key for builder's official API the person set in the options page, or null. */
const apiKeyOf = (builder) => (builder.keyHelp ? readToken(builder.id).catch(() => null) : null);

const projectKey = (builder, id) => (typeof id === 'string' && id !== '' ? `${builder}:${id}` : null);

/**
 * What the popup shows before an export (protocol.js: Project without the forms' state, or
 * NoProject):
 *   {type: 'project', builder, builderName, key, name, files: number | null, skipped: [{path,
 *     reason}], source} (files is null when only the builder's API or download knows; key names
 *     the project across visits, '<builder>:<chat or project id>', or is null; source, for a
 *     builder read from its page: {kind: 'download', name, size, at} (the builder's own
 *     download, kept), {kind: 'menu'} (asked for through its Export menu at export),
 *     {kind: 'stored', chats, description, timestamp} (the address names no chat: the most
 *     recently changed of the chats stored), {kind: 'history'}, else null);
 *   {type: 'none', message, offerDrop, offerSite?}: nothing to export here (offerDrop: the drop
 *     page is the way forward; offerSite: the page looks like bolt.diy, whose origin Liftoff may
 *     be used on if the person says so).
 * No token is asked for: the page only says whether a session exists.
 */
export async function inspectTab(tabId) {
  const page = await askPage(tabId, 'inspect');
  if (!page.reachable) {
    const site = await offerSite(tabId);
    if (site?.injected) return inspectTab(tabId);
    return { type: 'none', message: notReachable(await builders()), offerDrop: true, ...(site?.offer ? { offerSite: site.offer } : {}) };
  }
  const builder = await builderOf(page.builder);
  // A builder the core does not fetch is read from its page: its download or its history.
  if (!builder.fetched) return inspectHistoryPage(page, builder);
  if (!page.projectId) return { type: 'none', message: noProjectOpen(builder), offerDrop: false };
  // A key for the builder's official API (the options page) is used first; the session the page
  // itself sends to the builder's API stands in for one it keeps elsewhere.
  const usable = (await apiKeyOf(builder)) !== null || pageSessionToken(tabId, page.builder) !== null;
  if (page.expired && !usable) return { type: 'none', message: sessionExpired(builder), offerDrop: false };
  if (!page.signedIn && !usable) return { type: 'none', message: signedOut(builder), offerDrop: false };
  return {
    type: 'project',
    builder: page.builder,
    builderName: builder.name,
    key: projectKey(page.builder, page.projectId),
    name: page.title ?? `${builder.name} ${builder.word} ${page.projectId.slice(0, 8)}`,
    files: null,
    skipped: [],
    source: null,
  };
}

/** The project card of a builder read from its page (Bolt): its own download first. */
async function inspectHistoryPage(page, builder) {
  const card = (key, name, more) => ({
    type: 'project',
    builder: page.builder,
    builderName: builder.name,
    key: projectKey(page.builder, key),
    name,
    files: null,
    skipped: [],
    ...more,
  });
  const titled = page.page.title;
  if (page.download) {
    const { name, size, at } = page.download;
    return card(page.page.projectId ?? page.chatHint ?? stem(name), titled ?? stem(name), {
      source: { kind: 'download', name, size, at },
    });
  }
  if (page.dumpJson !== null) {
    const project = await inspectBolt(page.dumpJson, page.chatHint).catch((error) => {
      throw explain(error, { builder }, 'Liftoff could not read this project');
    });
    const stored = page.stored;
    return card(page.chatHint ?? project.chatId ?? project.name, project.name, {
      files: project.files,
      skipped: (project.skipped ?? []).map(({ path, reason }) => ({ path, reason })),
      source: stored
        ? { kind: 'stored', chats: stored.chats, description: stored.latest.description, timestamp: stored.latest.timestamp }
        : { kind: 'history' },
    });
  }
  if (page.page.projectPage) {
    return card(page.page.projectId, titled ?? page.page.projectId, { source: { kind: 'menu' } });
  }
  return { type: 'none', message: noHistory(builder), offerDrop: true };
}

/** "my-app.zip" → "my-app". */
const stem = (fileName) => fileName.replace(/\.zip$/i, '') || fileName;

/**
 * Exports the tab's project: {name, fileName, zip, report, sql, raw} (or `files` instead of `zip`:
 * zip, how it is zipped, as core/wasm.js says). progress({phase, done?, total?})
 * with phase 'reading' (asking the page), 'fetching' (per response, from the builder's API),
 * 'building' (the zip). Cleaned up by the core unless the user chose to keep the builder's files
 * as they are (raw). Throws UserErrors whose message is for the user.
 */
export async function exportTab(tabId, progress, zip = {}) {
  progress({ phase: 'reading' });
  const { keepBuilderFiles: raw } = await readSettings();
  // Asked for through Bolt's Export menu, Bolt's download goes to Liftoff; should the page save
  // it anyway, it is taken out of the person's Downloads folder.
  const page = await eraseOwnDownloads(() => askPage(tabId, 'export'));
  if (!page.reachable) throw new UserError(notReachable(await builders()));
  const builder = await builderOf(page.builder);
  try {
    if (!builder.fetched) {
      if (page.zip) {
        progress({ phase: 'building' });
        const name = page.download?.name ?? 'project.zip';
        const options = { builder: page.builder, nameHint: page.page.title ?? undefined };
        return { ...(await exportDroppedArchive(name, page.zip, raw, options, zip)), raw };
      }
      if (page.dumpJson === null) throw new UserError(noHistory(builder));
      progress({ phase: 'building' });
      return { ...(await exportBolt(page.dumpJson, page.chatHint, raw, zip)), raw };
    }
    if (!page.projectId) throw new UserError(noProjectOpen(builder));
    const key = await apiKeyOf(builder);
    if (key) {
      const fetched = await fetchProject({ ...page, token: key, apiKey: true }, progress, raw, zip).catch((error) => {
        throw error?.code === 'bad-token' ? new UserError(apiKeyRefused(builder), 'bad-token') : error;
      });
      return { ...fetched, raw };
    }
    const sent = pageSession(tabId, page.builder);
    const token = page.token ?? sent?.token;
    if (!token) throw new UserError(page.expired ? sessionExpired(builder) : signedOut(builder));
    // The ref the page itself reads, when it was seen: the export reads the same branch.
    return { ...(await fetchProject({ ...page, token, gitRef: sent?.ref ?? null }, progress, raw, zip)), raw };
  } catch (error) {
    throw explain(error, { builder });
  }
}

// The token lives in this call's scope and inside the session (wasm memory) until free().
async function fetchProject({ builder, projectId, token, title, apiKey = false, gitRef = null }, progress, raw, zip) {
  const session = await openBuilderSession(builder, projectId, token, title, raw, { apiKey, gitRef, zip });
  return runSession(
    session,
    ({ done, total, step }) => progress({ phase: 'fetching', done, total, step }),
    {
      finish: () => {
        progress({ phase: 'building' });
        return finishSession(session);
      },
    },
  );
}
