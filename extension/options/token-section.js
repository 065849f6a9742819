// One token's section of the settings page, per destination of the core's catalog that takes a
// token (the worker lists them): the heading, where to make a token, the field, "Remember on this
// device", the team field for a destination with teams, the status line, "Forget token", and
// where the token goes. The token is handed to the service worker over the shared port and the
// field is emptied; the section is only ever told whether a token is set, where, and for which
// team.

// What a token lets Liftoff do, by the destination's kind: {lead} of the section's help, and
// {verb} of what the page says while none is set.
const PURPOSES = {
  forge: ({ word }) => ({ lead: `push an export to a ${word}`, verb: 'push to' }),
  hosting: ({ name }) => ({ lead: `deploy an export to ${name}`, verb: 'deploy to' }),
  database: ({ name, word }) => ({ lead: `put an export’s database in your ${name} ${word}`, verb: 'put a database in' }),
  // A builder's official API: its key instead of the page's session.
  builder: ({ name, word }) => ({ lead: `export a ${name} ${word} through ${name}’s official API`, verb: 'export from', noun: 'an API key' }),
};
const purposeOf = (destination) => (PURPOSES[destination.kind] ?? PURPOSES.hosting)(destination);

// The field's placeholder where the page knows the token's look; `Your <name> token` otherwise.
const PLACEHOLDERS = {
  github: 'github_pat_… or ghp_…',
  vercel: 'Your Vercel access token',
  netlify: 'Your Netlify personal access token',
  supabase: 'sbp_…',
  lovable: 'lov_…',
};

/**
 * The section's element ids: `<id>-token`, `save-<id>-token`, `<id>-token-status`, … and
 * `<id>-team`. GitHub's section keeps the ids it had before sections were made from the catalog
 * (`token-form`, `save-token`, `remember-token`, `token-status`, `forget-token`).
 */
function idsOf(id, teams) {
  const p = id === 'github' ? '' : `${id}-`;
  return {
    form: `${p}token-form`,
    field: `${id}-token`,
    save: `save-${p}token`,
    remember: `remember-${p}token`,
    status: `${p}token-status`,
    forget: `forget-${p}token`,
    ...(teams ? { team: `${id}-team` } : {}),
  };
}

/** a, "a and b", "a, b and c", as <code> elements and text. */
function codeList(words) {
  return words.flatMap((word, i) => {
    const code = document.createElement('code');
    code.textContent = word;
    const joint = i === 0 ? [] : [i === words.length - 1 ? ' and ' : ', '];
    return [...joint, code];
  });
}

/**
 * Appends destination's section to container (a copy of `#token-section-template` holding a copy
 * of `#token-form-template`, its parts given the destination's ids; the team field only where
 * the destination has teams). Returns the ids.
 */
function mountSection(container, destination) {
  const { name, tokenHelp, teams, hosts } = destination;
  const id = destination.domId ?? destination.id;
  const ids = idsOf(id, teams);
  const section = document.getElementById('token-section-template').content.cloneNode(true);
  const sectionPart = (key) => section.querySelector(`[data-part="${key}"]`);
  sectionPart('section').setAttribute('aria-labelledby', `${id}-heading`);
  sectionPart('heading').id = `${id}-heading`;
  sectionPart('heading').textContent = name;
  const { lead, noun = 'a token' } = purposeOf(destination);
  sectionPart('help').textContent = `To ${lead}, Liftoff needs ${noun}. ${tokenHelp}`;
  // A self-managed host's section is named after its host already.
  const where = destination.forge ? ['Only Liftoff’s background worker reads the token, and it sends it only to ', ...codeList(hosts), '.'] : [`Only Liftoff’s background worker reads the token, and it sends it only to ${name} (`, ...codeList(hosts), ').'];
  sectionPart('where').append(...where);

  const form = document.getElementById('token-form-template').content.cloneNode(true);
  const part = (key) => form.querySelector(`[data-part="${key}"]`);
  for (const [key, partId] of Object.entries(ids)) part(key).id = partId;
  part('field').setAttribute('aria-describedby', ids.status);
  part('field-label').htmlFor = ids.field;
  if (ids.team) part('team-label').htmlFor = ids.team;
  else part('team-block').remove();
  section.querySelector('.token-slot').replaceWith(form);
  const element = section.querySelector('[data-part="section"]');
  element.dataset.service = destination.id;
  container.append(section);
  return { ids, element };
}

/**
 * Makes destination's section in container ({id, name, kind, word, tokenHelp, teams, hosts,
 * domId?}: the worker's Destinations entry; domId: what the element ids are made of, when the
 * service id cannot be) and wires it; send(message) posts on the options port.
 * Returns {onAnswer(answer), refresh(), element}.
 */
export function tokenSection(container, destination, send) {
  const service = destination.id;
  const { ids, element } = mountSection(container, destination);
  const placeholder = PLACEHOLDERS[service] ?? `Your ${destination.name} token`;
  const { verb } = purposeOf(destination);
  const $ = (id) => document.getElementById(id);
  const form = $(ids.form);
  const field = $(ids.field);
  const team = ids.team ? $(ids.team) : null;
  const save = $(ids.save);
  const remember = $(ids.remember);
  const status = $(ids.status);
  const forget = $(ids.forget);
  let tokenSet = false;
  field.placeholder = placeholder;

  const WHERE = {
    session: 'A token is set for this browser session: it is forgotten when the browser closes.',
    remembered: 'A token is set and remembered on this device.',
    none: `No token is set: Liftoff cannot ${verb} ${destination.name} yet.`,
  };
  const DONE = { saved: 'Token saved.', moved: '', forgotten: 'Token forgotten.' };

  function setBusy(busy) {
    field.disabled = busy;
    if (team) team.disabled = busy;
    remember.disabled = busy;
    forget.disabled = busy;
    save.disabled = busy || field.value.trim() === '';
  }

  function onAnswer(answer) {
    setBusy(false);
    if (answer.type === 'token-error') {
      status.textContent = answer.message;
      status.dataset.tone = 'error';
      return;
    }
    tokenSet = answer.set === true;
    const where = !tokenSet ? WHERE.none : answer.remembered ? WHERE.remembered : WHERE.session;
    const teamNote = tokenSet && team && answer.team ? ` Team: ${answer.team}.` : '';
    status.textContent = [DONE[answer.saved] ?? '', where + teamNote].filter(Boolean).join(' ');
    status.dataset.tone = tokenSet ? 'ok' : 'info';
    status.dataset.state = !tokenSet ? 'none' : answer.remembered ? 'remembered' : 'session';
    if (tokenSet) remember.checked = answer.remembered === true;
    if (team && typeof answer.team === 'string' && document.activeElement !== team) team.value = answer.team;
    forget.hidden = !tokenSet;
    field.placeholder = tokenSet ? 'Paste a new token to replace the one set' : placeholder;
    form.dataset.ready = 'true';
  }

  field.addEventListener('input', () => {
    save.disabled = field.value.trim() === '';
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = field.value;
    if (token.trim() === '') return;
    field.value = ''; // the page keeps no copy
    setBusy(true);
    const message = { type: 'save-token', service, token, remember: remember.checked };
    if (team) message.team = team.value.trim();
    send(message);
  });

  // With a token set, the box moves it; without one, it is the choice for the next save.
  remember.addEventListener('change', () => {
    if (!tokenSet) return;
    setBusy(true);
    send({ type: 'remember-token', service, remember: remember.checked });
  });

  forget.addEventListener('click', () => {
    setBusy(true);
    send({ type: 'forget-token', service });
  });

  setBusy(false);
  return {
    onAnswer,
    refresh: () => send({ type: 'token-status', service }),
    element,
  };
}
