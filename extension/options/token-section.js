// One token's section of the settings page (GitHub, Vercel, Netlify, Supabase): the field, "Remember on
// this device", the status line and "Forget token". The token is handed to the service worker
// over the shared port and the field is emptied; the section is only ever told whether a token
// is set, where, and (Vercel) for which team.

/**
 * Fills the section's slot (`.token-slot[data-for=service]`) with a copy of the page's one token
 * form (`#token-form-template`), giving its parts the service's ids; the team field only where
 * the service has one (Vercel).
 */
function mountForm(service, ids, placeholder) {
  const slot = document.querySelector(`.token-slot[data-for="${service}"]`);
  const form = document.getElementById('token-form-template').content.cloneNode(true);
  const part = (name) => form.querySelector(`[data-part="${name}"]`);
  for (const [name, id] of Object.entries(ids)) part(name).id = id;
  part('field').placeholder = placeholder;
  part('field').setAttribute('aria-describedby', ids.status);
  part('field-label').htmlFor = ids.field;
  if (ids.team) part('team-label').htmlFor = ids.team;
  else part('team-block').remove();
  slot.replaceWith(form);
}

/**
 * service: 'github' | 'vercel' | 'netlify' | 'supabase'; ids: {form, field, save, remember, status, forget,
 * team?}; text: {none, placeholder}; send(message): posts on the options port.
 * Returns {onAnswer(answer), refresh()}.
 */
export function tokenSection({ service, ids, text, send }) {
  mountForm(service, ids, text.placeholder);
  const $ = (id) => document.getElementById(id);
  const form = $(ids.form);
  const field = $(ids.field);
  const team = ids.team ? $(ids.team) : null;
  const save = $(ids.save);
  const remember = $(ids.remember);
  const status = $(ids.status);
  const forget = $(ids.forget);
  let tokenSet = false;

  const WHERE = {
    session: 'A token is set for this browser session: it is forgotten when the browser closes.',
    remembered: 'A token is set and remembered on this device.',
    none: text.none,
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
    field.placeholder = tokenSet ? 'Paste a new token to replace the one set' : text.placeholder;
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
  };
}
