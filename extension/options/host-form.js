// A self-managed forge's hosts on the settings page (a forge whose catalog entry says
// `selfManaged`: GitLab, Gitea): under the forge's own token section, "Add a host" (the address
// of the person's instance) and, below it, a token section per added host with a "Remove host"
// button. Access to a host is asked from Chrome at the moment the person adds it (the manifest's
// optional_host_permissions): only once Chrome says it was given is the host handed to the
// service worker, which keeps the list (background/store/forge-hosts.js). Removing a host
// forgets its token and gives the access back.

import { httpsOrigin as originOf } from '../shared/origins.js';

/** An element id made of a host section's service id: `gitlab-host-git-example-com-8443`. */
export function hostDomId(service) {
  const at = service.indexOf('@');
  const host = service.slice(at + 1).replace(/^https:\/\//, '');
  return `${service.slice(0, at)}-host-${host.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/**
 * Appends the "Add a host" form for destination ({id, name}) to section, and a container for its
 * host sections after it. send(message) posts on the options port. Returns {hosts: the
 * container, onError(message)}.
 */
export function hostForm(section, destination, send) {
  const { id, name } = destination;
  const form = document.createElement('form');
  form.className = 'host-form';
  form.id = `${id}-host-form`;
  form.noValidate = true;
  const label = document.createElement('label');
  label.className = 'field-label';
  label.htmlFor = `${id}-host`;
  label.textContent = `Your own ${name} (self-managed)`;
  const row = document.createElement('div');
  row.className = 'token-row';
  const field = document.createElement('input');
  field.id = `${id}-host`;
  field.type = 'url';
  field.placeholder = `https://${id}.example.com`;
  field.autocomplete = 'off';
  field.spellcheck = false;
  const add = document.createElement('button');
  add.id = `add-${id}-host`;
  add.className = 'button';
  add.type = 'submit';
  add.textContent = 'Add host';
  const status = document.createElement('p');
  status.id = `${id}-host-status`;
  status.className = 'token-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const note = document.createElement('p');
  note.className = 'muted field-note';
  note.textContent = `Chrome asks you to let Liftoff reach that host; the host then gets a token of its own below, sent only there.`;
  row.append(field, add);
  form.append(label, row, note, status);
  section.append(form);
  const hosts = document.createElement('div');
  hosts.className = 'host-sections';
  hosts.id = `${id}-hosts`;
  section.after(hosts);

  const say = (text, tone) => {
    status.textContent = text;
    status.dataset.tone = tone;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const origin = originOf(field.value);
    say('', 'info');
    if (!origin) {
      say('Write the address of your instance as https://host (https only).', 'error');
      return;
    }
    add.disabled = true;
    try {
      // Asked from the click itself: Chrome only asks during a user gesture.
      const granted = await chrome.permissions.request({ origins: [`${origin}/*`] });
      if (!granted) {
        say(`Liftoff was not given access to ${new URL(origin).host}: it cannot push there.`, 'error');
        return;
      }
      field.value = '';
      say(`Added ${new URL(origin).host}. Set its token below.`, 'ok');
      send({ type: 'add-host', forge: id, origin });
    } catch (error) {
      say(`Chrome did not ask for access (${error?.message ?? 'error'}).`, 'error');
    } finally {
      add.disabled = false;
    }
  });

  return { hosts, onError: (message) => say(message, 'error') };
}

/** Adds a "Remove host" button to a host's token section (element), sending remove-host for service. */
export function removeHostButton(element, service, send) {
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'button';
  remove.id = `remove-${hostDomId(service)}`;
  remove.textContent = 'Remove host';
  remove.addEventListener('click', () => {
    remove.disabled = true;
    send({ type: 'remove-host', id: service });
  });
  element.append(remove);
}
