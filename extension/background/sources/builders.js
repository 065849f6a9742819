// What the tab holds, and its export, for every builder: Bolt from the page's stored history,
// the builders the core fetches (the catalog's `fetched`) from their APIs with the page's session
// token, driven by fetch. Every sentence names the builder as the core's catalog does.
import { readSettings } from '../../shared/settings.js';
import { builderOf, builders } from '../core/catalog.js';
import { runSession } from '../core/run-session.js';
import { exportBolt, finishSession, inspectBolt, openBuilderSession } from '../core/wasm.js';
import { UserError, explain } from '../wording/errors.js';
import { noHistory, noProjectOpen, notReachable, signedOut } from '../wording/messages.js';
import { askPage } from './capture.js';

const projectKey = (builder, id) => (typeof id === 'string' && id !== '' ? `${builder}:${id}` : null);

/**
 * What the popup shows before an export (protocol.js: Project without the forms' state, or
 * NoProject):
 *   {type: 'project', builder, builderName, key, name, files: number | null, skipped: [{path,
 *     reason}]} (files is null when only the builder's API knows; key names the project across
 *     visits, '<builder>:<chat or project id>', or is null);
 *   {type: 'none', message, offerDrop}: nothing to export here (offerDrop: the drop page is the
 *     way forward).
 * No token is asked for: the page only says whether a session exists.
 */
export async function inspectTab(tabId) {
  const page = await askPage(tabId, 'inspect');
  if (!page.reachable) return { type: 'none', message: notReachable(await builders()), offerDrop: true };
  const builder = await builderOf(page.builder);
  // A builder the core does not fetch is read from the page's stored history.
  if (!builder.fetched) {
    if (page.dumpJson === null) return { type: 'none', message: noHistory(builder), offerDrop: true };
    const project = await inspectBolt(page.dumpJson, page.chatHint).catch((error) => {
      throw explain(error, { builder }, 'Liftoff could not read this project');
    });
    return {
      type: 'project',
      builder: page.builder,
      builderName: builder.name,
      // The chat's address id; the project's name when the page's address names no chat.
      key: projectKey(page.builder, page.chatHint ?? project.chatId ?? project.name),
      name: project.name,
      files: project.files,
      skipped: (project.skipped ?? []).map(({ path, reason }) => ({ path, reason })),
    };
  }
  if (!page.projectId) return { type: 'none', message: noProjectOpen(builder), offerDrop: false };
  if (!page.signedIn) return { type: 'none', message: signedOut(builder), offerDrop: false };
  return {
    type: 'project',
    builder: page.builder,
    builderName: builder.name,
    key: projectKey(page.builder, page.projectId),
    name: page.title ?? `${builder.name} ${builder.word} ${page.projectId.slice(0, 8)}`,
    files: null,
    skipped: [],
  };
}

/**
 * Exports the tab's project: {name, fileName, zip, report, sql, raw}. progress({phase, done?, total?})
 * with phase 'reading' (asking the page), 'fetching' (per response, from the builder's API),
 * 'building' (the zip). Cleaned up by the core unless the user chose to keep the builder's files
 * as they are (raw). Throws UserErrors whose message is for the user.
 */
export async function exportTab(tabId, progress) {
  progress({ phase: 'reading' });
  const { keepBuilderFiles: raw } = await readSettings();
  const page = await askPage(tabId, 'export');
  if (!page.reachable) throw new UserError(notReachable(await builders()));
  const builder = await builderOf(page.builder);
  try {
    if (!builder.fetched) {
      if (page.dumpJson === null) throw new UserError(noHistory(builder));
      progress({ phase: 'building' });
      return { ...(await exportBolt(page.dumpJson, page.chatHint, raw)), raw };
    }
    if (!page.projectId) throw new UserError(noProjectOpen(builder));
    if (!page.token) throw new UserError(signedOut(builder));
    return { ...(await fetchProject(page, progress, raw)), raw };
  } catch (error) {
    throw explain(error, { builder });
  }
}

// The token lives in this call's scope and inside the session (wasm memory) until free().
async function fetchProject({ builder, projectId, token, title }, progress, raw) {
  const session = await openBuilderSession(builder, projectId, token, title, raw);
  return runSession(
    session,
    ({ done, total }) => progress({ phase: 'fetching', done, total }),
    {
      finish: () => {
        progress({ phase: 'building' });
        return finishSession(session);
      },
    },
  );
}
