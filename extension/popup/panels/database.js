// The popup's "Database" step, shown after an export that holds SQL (supabase/migrations/*.sql,
// supabase/seed.sql: the service worker lists them from the zip): the button that opens the form
// (the Supabase project ref, remembered per project by the worker), the progress wording, and
// the result (what was applied, what was already, what changed since) with a link to the
// project's dashboard. The run itself happens in the service worker, which checks the ref with
// the core first; the popup is only told whether the Supabase token is set. Text only: every
// value is set with textContent.
import { plural } from '../../shared/format.js';
import { formToggle, markOpener } from './form-toggle.js';

const $ = (id) => document.getElementById(id);
const ui = {
  step: $('database-step'),
  what: $('database-what'),
  open: $('database-open'),
  form: $('database-form'),
  noToken: $('database-no-token'),
  setToken: $('database-set-token'),
  ref: $('database-ref'),
  button: $('database-apply'),
  result: $('database-result'),
  resultTitle: $('database-result-title'),
  resultLink: $('database-result-link'),
  resultRef: $('database-result-ref'),
  resultFiles: $('database-result-files'),
};

let hooks = null; // {isBusy, onOpen, start(request, check), setStatus(text, tone), openOptions()}
let tokenSet = false;
const form = formToggle({ form: ui.form, field: ui.ref, button: ui.button, sync: syncDatabase, hooks: () => hooks });

/**
 * What a pasted value means: a bare ref, the dashboard's address
 * (supabase.com/dashboard/project/<ref>/…) or the project's API address (<ref>.supabase.co).
 */
function refFrom(value) {
  const text = String(value ?? '').trim();
  const dashboard = /supabase\.com\/dashboard\/project\/([A-Za-z0-9]+)/.exec(text);
  if (dashboard) return dashboard[1].toLowerCase();
  const api = /^(?:https?:\/\/)?([A-Za-z0-9]+)\.supabase\.co(?:[/:]|$)/.exec(text);
  return (api ? api[1] : text).toLowerCase();
}

/** hooks: {isBusy(), onOpen(open), start({ref}, {destination, name, field}) → whether it started, setStatus(text, tone), openOptions()}. */
export function initDatabase(given) {
  hooks = given;
  ui.open.addEventListener('click', () => (ui.form.hidden ? form.open() : form.close()));
  ui.setToken.addEventListener('click', () => hooks.openOptions());
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (hooks.isBusy() || !tokenSet) return;
    const ref = refFrom(ui.ref.value);
    hooks.start({ ref }, { destination: 'supabase', name: ref, field: ui.ref }).then((started) => {
      if (started) ui.ref.value = ref;
    });
  });
}

/** From the worker's look at the tab: {tokenSet, ref} (the ref last used for this project). */
export function prepareDatabase(database) {
  tokenSet = database?.tokenSet === true;
  if (typeof database?.ref === 'string' && database.ref && !ui.ref.value) ui.ref.value = database.ref;
  syncDatabase();
}

/** Shows the step when the export holds SQL: sql = the files a run would apply, in order. */
export function offerDatabase(sql) {
  const files = Array.isArray(sql) ? sql.filter((path) => typeof path === 'string') : [];
  if (files.length === 0) {
    hideDatabaseStep();
    return;
  }
  const seed = files.includes('supabase/seed.sql');
  const migrations = files.length - (seed ? 1 : 0);
  const parts = [migrations > 0 ? plural(migrations, 'migration') : '', seed ? 'the seed (the app’s rows)' : ''].filter(Boolean);
  ui.what.textContent = `${plural(files.length, 'SQL file')} in this export: ${parts.join(' and ')}.`;
  ui.what.title = files.join('\n');
  ui.step.hidden = false;
  syncDatabase();
}

/** Hides the step and its form: the export holds no SQL, or a new run decides again. */
export function hideDatabaseStep() {
  closeDatabase();
  ui.step.hidden = true;
}

/** Closes the form (the popup shows one form at a time). */
export function closeDatabase() {
  form.close();
}

/** Enables what may be used now (nothing while a run is busy). */
export function syncDatabase() {
  const busy = hooks?.isBusy() ?? false;
  ui.open.disabled = busy;
  markOpener(ui.open, !ui.form.hidden);
  ui.ref.disabled = busy;
  ui.noToken.hidden = tokenSet;
  ui.button.disabled = busy || !tokenSet;
}

/** The status line while the SQL is applied: files done of the files to apply. */
export function databaseText({ done, total }) {
  if (!(total > 0)) return 'Applying the SQL to Supabase…';
  return `Applying the SQL to Supabase… file ${Math.min(done + 1, total)} of ${total}`;
}

function group(name, title, paths, note) {
  const box = document.createElement('div');
  box.className = `database-group ${name}`;
  box.dataset.group = name;
  const head = document.createElement('p');
  head.className = 'database-group-title';
  head.textContent = title;
  const list = document.createElement('ul');
  list.className = 'database-list';
  for (const path of paths) {
    const item = document.createElement('li');
    item.dataset.path = path;
    // The file's name (its folder says which kind: the group's title and the order do too).
    const code = document.createElement('code');
    code.textContent = path.slice(path.lastIndexOf('/') + 1);
    code.title = path;
    item.append(code);
    list.append(item);
  }
  box.append(head, list);
  if (note) {
    const hint = document.createElement('p');
    hint.className = 'database-note';
    hint.textContent = note;
    box.append(hint);
  }
  return box;
}

/** The result: {ref, link, applied, alreadyApplied, changed}. */
export function showDatabaseApplied({ ref, link, applied = [], alreadyApplied = [], changed = [] }) {
  const outcome = applied.length > 0 ? 'applied' : changed.length > 0 ? 'changed' : 'up-to-date';
  ui.resultTitle.textContent = { applied: 'Database in Supabase', changed: 'Nothing new applied', 'up-to-date': 'Already up to date' }[outcome];
  ui.result.dataset.outcome = outcome;
  const groups = [];
  if (applied.length) groups.push(group('applied', `Applied ${plural(applied.length, 'file')}:`, applied));
  if (alreadyApplied.length) groups.push(group('already', 'Already applied:', alreadyApplied));
  if (changed.length) {
    groups.push(group('changed', 'Changed since applied, not applied again:', changed, 'Liftoff applies each file once: put a change in a new migration.'));
  }
  ui.resultFiles.replaceChildren(...groups);
  ui.resultRef.textContent = ref;
  // Only Supabase's dashboard address becomes a link.
  if (/^https:\/\/supabase\.com\/dashboard\/project\/[a-z0-9]+$/.test(String(link))) ui.resultLink.href = link;
  else ui.resultLink.removeAttribute('href');
  ui.resultLink.title = String(link ?? '');
  ui.result.hidden = false;
  closeDatabase();
}

/** Hides the last run's result (a new run starts). */
export function hideDatabaseResult() {
  ui.result.hidden = true;
}
