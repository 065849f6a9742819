// Renders an export's summary (background/wording/summary.js) into <section id="summary">, for
// the popup and the drop page alike: what the cleanup removed, edited and added (an expandable
// list with the reasons), secrets found (path:line, kind and the masked value, never more), the
// environment variables to set, what still calls the builder, and warnings. Text only: every
// value is set with textContent.

const ACTIONS = ['removed', 'edited', 'added'];

/** h('p', {class: 'x', id: 'y'}, child…): an element; strings become text nodes. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

const plural = (count, noun, nouns = `${noun}s`) => `${count} ${count === 1 ? noun : nouns}`;

// "…and 12 more in LIFTOFF.md" under a list that was cut.
const more = (cut) => (cut > 0 ? h('li', { class: 'summary-more' }, `…and ${cut} more: see LIFTOFF.md in the zip`) : null);

const ICONS = {
  chevron: 'M8.6 5.6 7.2 7l5 5-5 5 1.4 1.4 6.4-6.4-6.4-6.4Z',
  warning: 'M1 21h22L12 2 1 21Zm12-3h-2v-2h2v2Zm0-4h-2v-4h2v4Z',
  key: 'M12.65 10A6 6 0 1 0 12.65 14H17v4h4v-4h2v-4H12.65ZM7 14a2 2 0 1 1 0-4 2 2 0 0 1 0 4Z',
  link: 'M3.9 12a3.1 3.1 0 0 1 3.1-3.1h4V7H7a5 5 0 0 0 0 10h4v-1.9H7A3.1 3.1 0 0 1 3.9 12ZM8 13h8v-2H8v2Zm9-6h-4v1.9h4a3.1 3.1 0 0 1 0 6.2h-4V17h4a5 5 0 0 0 0-10Z',
  info: 'M11 7h2v2h-2V7Zm0 4h2v6h-2v-6Zm1-9a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16Z',
};

function icon(name, className = 'summary-icon') {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', className);
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

function changesBlock({ counts, changes, changesCut }) {
  const total = counts.removed + counts.edited + counts.added;
  if (total === 0) {
    return h('div', { id: 'summary-changes', class: 'summary-block' },
      h('p', { class: 'summary-line' }, icon('info'), 'Nothing to clean up: the project was already portable.'));
  }
  const pills = ACTIONS.filter((action) => counts[action] > 0).map((action) =>
    h('span', { class: `pill pill-${action}` }, h('b', { id: `summary-${action}` }, String(counts[action])), ` ${action}`),
  );
  return h('details', { id: 'summary-changes', class: 'summary-block' },
    h('summary', {},
      h('span', { class: 'summary-title' }, 'Changes'),
      h('span', { class: 'pills' }, pills),
      icon('chevron', 'summary-chevron'),
    ),
    h('ul', { class: 'summary-list changes' },
      changes.map(({ path, action, reason }) =>
        h('li', { dataset: { action, path } },
          h('span', { class: `tag tag-${action}` }, action),
          h('span', { class: 'change-text' }, h('code', { title: path }, path), reason ? h('span', { class: 'why' }, reason) : null),
        ),
      ),
      more(changesCut),
    ),
  );
}

function secretsBlock({ secrets, secretsCut }) {
  const total = secrets.length + secretsCut;
  return h('div', { id: 'summary-secrets', class: 'summary-block danger' },
    h('p', { class: 'summary-head' }, icon('warning'), h('span', { class: 'summary-title' }, `Secrets found (${total})`)),
    h('p', { class: 'summary-hint' }, 'Anyone can read these in the built app: move them to a server and rotate them.'),
    h('ul', { class: 'summary-list secrets' },
      secrets.map(({ path, line, kind, masked }) => {
        const at = line > 0 ? `${path}:${line}` : path;
        return h('li', { dataset: { path, line: String(line) } },
          h('code', { class: 'where', title: at }, at),
          h('span', { class: 'secret-kind' }, kind, ' ', h('code', { class: 'masked' }, masked)),
        );
      }),
      more(secretsCut),
    ),
  );
}

// deployedTo: the host a deployment just gave the .env values to (before its build), if any.
function envBlock({ env, deployedTo }) {
  const hint = deployedTo
    ? `Liftoff gave ${deployedTo} the values in .env before the build; any without a value there still need one.`
    : 'Where the app is built and hosted; .env.example in the zip lists them.';
  return h('div', { id: 'summary-env', class: 'summary-block' },
    h('p', { class: 'summary-head' }, icon('key'), h('span', { class: 'summary-title' }, deployedTo ? 'Environment variables' : 'Set these environment variables')),
    h('ul', { class: 'chips' }, env.map(({ name, reason }) => h('li', {}, h('code', { title: reason || null }, name)))),
    h('p', { class: 'summary-hint' }, hint),
  );
}

function tiesBlock({ ties, builderName }) {
  const who = builderName ?? 'the builder';
  return h('div', { id: 'summary-ties', class: 'summary-block' },
    h('p', { class: 'summary-line' }, icon('link'),
      h('span', {},
        h('b', { id: 'summary-ties-count' }, plural(ties.places, 'place')),
        ` in ${plural(ties.files, 'file')} still ${ties.places === 1 ? 'calls' : 'call'} ${who}: see `,
        h('code', {}, 'LIFTOFF.md'),
        ' for the migration plan.',
      ),
    ),
  );
}

function warningsBlock({ warnings, warningsCut }) {
  return h('div', { id: 'summary-warnings', class: 'summary-block warn' },
    h('p', { class: 'summary-head' }, icon('info'), h('span', { class: 'summary-title' }, plural(warnings.length + warningsCut, 'Warning'))),
    h('ul', { class: 'summary-list warnings' }, warnings.map((text) => h('li', {}, text)), more(warningsCut)),
  );
}

/** Fills section (#summary) from a summary; hides it when there is nothing to show. */
export function renderSummary(section, summary) {
  if (!summary) {
    section.replaceChildren();
    section.hidden = true;
    return;
  }
  const blocks = [];
  if (summary.raw) {
    blocks.push(h('div', { id: 'summary-raw', class: 'summary-block' },
      h('p', { class: 'summary-line' }, icon('info'), 'The builder’s files, exactly as they are: the cleanup is off in Settings.')));
  } else {
    blocks.push(changesBlock(summary));
  }
  if (summary.secrets.length + summary.secretsCut > 0) blocks.push(secretsBlock(summary));
  if (summary.env.length > 0) blocks.push(envBlock(summary));
  if (summary.ties.places > 0) blocks.push(tiesBlock(summary));
  if (summary.warnings.length + summary.warningsCut > 0) blocks.push(warningsBlock(summary));
  section.replaceChildren(...blocks);
  section.hidden = false;
}
