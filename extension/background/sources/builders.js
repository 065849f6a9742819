// What the tab holds, and its export, for every builder: Bolt from the page's stored history,
// Lovable and Base44 from their APIs with the page's session token, driven by fetch.
import { readSettings } from '../../shared/settings.js';
import { BUILDER_NAMES } from '../../shared/format.js';
import { runSession } from '../core/run-session.js';
import { exportBolt, finishSession, inspectBolt, openBuilderSession } from '../core/wasm.js';
import { UserError, explain } from '../wording/errors.js';
import {
  BASE44_NO_APP,
  BASE44_SIGNED_OUT,
  BOLT_NO_PROJECT,
  LOVABLE_NO_PROJECT,
  LOVABLE_SIGNED_OUT,
  NOT_REACHABLE,
} from '../wording/messages.js';
import { askPage } from './capture.js';

const NO_PROJECT = { lovable: LOVABLE_NO_PROJECT, base44: BASE44_NO_APP };

const projectKey = (builder, id) => (typeof id === 'string' && id !== '' ? `${builder}:${id}` : null);
const SIGNED_OUT = { lovable: LOVABLE_SIGNED_OUT, base44: BASE44_SIGNED_OUT };

/**
 * What the popup shows before an export (protocol.js: Project without the forms' state, or
 * NoProject):
 *   {type: 'project', builder, key, name, files: number | null, skipped: [{path, reason}]}
 *     (files is null when only the builder's API knows, i.e. Lovable and Base44; key names the
 *     project across visits, '<builder>:<chat or project id>', or is null);
 *   {type: 'none', message, offerDrop}: nothing to export here (offerDrop: the drop page is the
 *     way forward).
 * No token is asked for: the page only says whether a session exists.
 */
export async function inspectTab(tabId) {
  const page = await askPage(tabId, 'inspect');
  if (!page.reachable) return { type: 'none', message: NOT_REACHABLE, offerDrop: true };
  if (page.builder === 'bolt') {
    if (page.dumpJson === null) return { type: 'none', message: BOLT_NO_PROJECT, offerDrop: true };
    const project = await inspectBolt(page.dumpJson, page.chatHint).catch((error) => {
      throw explain(error, { builder: 'bolt' }, 'Liftoff could not read this project');
    });
    return {
      type: 'project',
      builder: project.builder,
      // The chat's address id; the project's name when the page's address names no chat.
      key: projectKey('bolt', page.chatHint ?? project.chatId ?? project.name),
      name: project.name,
      files: project.files,
      skipped: (project.skipped ?? []).map(({ path, reason }) => ({ path, reason })),
    };
  }
  if (!page.projectId) return { type: 'none', message: NO_PROJECT[page.builder], offerDrop: false };
  if (!page.signedIn) return { type: 'none', message: SIGNED_OUT[page.builder], offerDrop: false };
  return {
    type: 'project',
    builder: page.builder,
    key: projectKey(page.builder, page.projectId),
    name: page.title ?? `${BUILDER_NAMES[page.builder]} project ${page.projectId.slice(0, 8)}`,
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
  if (!page.reachable) throw new UserError(NOT_REACHABLE);
  try {
    if (page.builder === 'bolt') {
      if (page.dumpJson === null) throw new UserError(BOLT_NO_PROJECT);
      progress({ phase: 'building' });
      return { ...(await exportBolt(page.dumpJson, page.chatHint, raw)), raw };
    }
    if (!page.projectId) throw new UserError(NO_PROJECT[page.builder]);
    if (!page.token) throw new UserError(SIGNED_OUT[page.builder]);
    return { ...(await fetchProject(page, progress, raw)), raw };
  } catch (error) {
    throw explain(error, { builder: page.builder });
  }
}

// The token lives in this call's scope and inside the session (wasm memory) until free().
async function fetchProject({ builder, projectId, token, title }, progress, raw) {
  const session = await openBuilderSession(builder, projectId, token, title, { rows: !raw });
  return runSession(
    session,
    ({ done, total }) => progress({ phase: 'fetching', done, total }),
    () => {
      progress({ phase: 'building' });
      return finishSession(session, raw);
    },
  );
}
