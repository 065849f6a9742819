// The opening and closing of a panel's form (push, deploy, database): the popup shows one at a
// time, and hears of each change through the panel's hooks.onOpen(open).

/**
 * {open(), close()} for form: open() shows it, tells hooks().onOpen(true), syncs the panel and
 * focuses field (button when field is filled already); close() hides it, syncs, and tells
 * hooks().onOpen(false) when it was open. hooks: a getter, as a panel gets its hooks late.
 */
export function formToggle({ form, field, button, sync, hooks }) {
  return {
    open() {
      form.hidden = false;
      hooks().onOpen(true);
      sync();
      (field.value ? button : field).focus();
    },
    close() {
      const wasOpen = !form.hidden;
      form.hidden = true;
      sync();
      if (wasOpen) hooks()?.onOpen(false);
    },
  };
}

/** Shows whether opener's form is the open one (class 'active', aria-expanded). */
export function markOpener(opener, open) {
  opener.classList.toggle('active', open);
  opener.setAttribute('aria-expanded', String(open));
}
