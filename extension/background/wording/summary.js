// What the popup and the drop page show of an export's report: the cleanup's changes, the
// secrets found (masked), the environment variables to set, what still ties the project to its
// builder, and warnings. Built field by field from the core's report, so only what is listed
// here reaches a page: a secret crosses as path, line, kind and masked value, never more.
import { builderOf } from '../core/catalog.js';

// Long lists are cut: a page shows this many rows, and LIFTOFF.md in the zip holds them all.
const MAX_ROWS = 300;

const text = (value) => (typeof value === 'string' ? value : '');
const count = (value) => (Number.isInteger(value) && value >= 0 ? value : 0);

/**
 * {raw, builder, builderName (the catalog's name of the builder the core recognised, or null),
 *  counts: {removed, edited, added}, changes: [{path, action, reason}],
 *  changesCut, secrets: [{path, line, kind, masked}], secretsCut, env: [{name, reason}],
 *  ties: {places, files}, warnings: [string], warningsCut}
 * ('skipped' changes are not here: the result already lists them as left out of the zip).
 */
export async function summarize(report, raw) {
  const changes = (Array.isArray(report?.changes) ? report.changes : [])
    .filter((change) => ['removed', 'edited', 'added'].includes(change?.action))
    .map((change) => ({ path: text(change.path), action: change.action, reason: text(change.reason) }));
  const counts = { removed: 0, edited: 0, added: 0 };
  for (const change of changes) counts[change.action]++;

  const secrets = (Array.isArray(report?.secrets) ? report.secrets : []).map((secret) => ({
    path: text(secret?.path),
    line: count(secret?.line),
    kind: text(secret?.kind),
    masked: text(secret?.masked),
  }));
  const env = (Array.isArray(report?.env) ? report.env : []).map((variable) => ({
    name: text(variable?.name),
    reason: text(variable?.reason),
  }));
  const ties = Array.isArray(report?.ties) ? report.ties : [];
  const warnings = (Array.isArray(report?.warnings) ? report.warnings : []).map(text).filter(Boolean);

  const builder = text(report?.builder) || null;
  return {
    raw: raw === true,
    builder,
    builderName: (await builderOf(builder))?.name ?? null,
    counts,
    changes: changes.slice(0, MAX_ROWS),
    changesCut: Math.max(0, changes.length - MAX_ROWS),
    secrets: secrets.slice(0, MAX_ROWS),
    secretsCut: Math.max(0, secrets.length - MAX_ROWS),
    env: env.slice(0, MAX_ROWS),
    ties: { places: ties.length, files: new Set(ties.map((tie) => tie?.path)).size },
    warnings: warnings.slice(0, MAX_ROWS),
    warningsCut: Math.max(0, warnings.length - MAX_ROWS),
  };
}

/**
 * The files the export left out because the page or the archive could not provide them (the
 * report's 'skipped' changes), as [{path, reason}]: listed by the result, not by the summary.
 */
export function skippedFiles(report) {
  return (Array.isArray(report?.changes) ? report.changes : [])
    .filter((change) => change?.action === 'skipped')
    .map(({ path, reason }) => ({ path: String(path), reason: String(reason ?? '') }));
}
