// Helpers for the review suite: "Review changes" in the popup's push form, what its list shows,
// and the CI verdict under a push's result, read from the DOM (a push: github.mjs,
// pushFromPopup).

/**
 * Opens the push form (if closed), clicks "Review changes" and waits for the review or the error.
 * Resolves {ok, status, title, where, counts, pushDisabled, rows: [{path, action, amount,
 * diffable}], excluded: [path]}.
 */
export async function reviewInPopup(popup, timeout = 30_000) {
  if (await popup.$eval('#push-form', (form) => form.hidden)) await popup.click('#push-open');
  await popup.click('#push-review');
  await popup.waitForFunction(
    () => !document.getElementById('push-review-panel').hidden || document.getElementById('status').dataset.tone === 'error',
    { timeout },
  );
  return popup.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent.trim();
    return {
      ok: !document.getElementById('push-review-panel').hidden,
      status: text('status'),
      title: text('push-review-title'),
      where: text('push-review-where'),
      counts: text('push-review-counts'),
      pushDisabled: document.getElementById('push').disabled,
      rows: [...document.querySelectorAll('#push-review-list .review-file')].map((item) => ({
        path: item.dataset.path,
        action: item.dataset.action,
        amount: item.querySelector('.review-amount').textContent,
        diffable: item.querySelector('.review-row').tagName === 'BUTTON',
      })),
      excluded: [...document.querySelectorAll('#push-review-excluded li code')].map((code) => code.textContent),
    };
  });
}

/** Opens the review row of path and resolves its diff view: {state, text, added: [line], removed: [line]}. */
export async function openDiff(popup, path, timeout = 10_000) {
  const row = `#push-review-list .review-file[data-path="${path}"]`;
  await popup.click(`${row} .review-row`);
  await popup.waitForFunction((selector) => document.querySelector(`${selector} .review-diff`)?.dataset.state !== 'loading', { timeout }, row);
  return popup.$eval(`${row} .review-diff`, (pre) => ({
    state: pre.dataset.state,
    text: pre.textContent,
    added: [...pre.querySelectorAll('.add')].map((span) => span.textContent.replace(/\n$/, '')),
    removed: [...pre.querySelectorAll('.del')].map((span) => span.textContent.replace(/\n$/, '')),
    hidden: pre.hidden,
  }));
}

/**
 * Records in the popup every state the checks line takes (and every status line text), from now
 * on: read them with recorded(popup).
 */
export function recordPopup(popup) {
  return popup.evaluate(() => {
    const seen = { checks: [], status: [] };
    window.__recorded = seen;
    const checks = document.getElementById('push-checks');
    const status = document.getElementById('status');
    const note = () => {
      const state = checks.hidden ? null : checks.dataset.state;
      if (state && seen.checks.at(-1) !== state) seen.checks.push(state);
      if (status.textContent && seen.status.at(-1) !== status.textContent) seen.status.push(status.textContent);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** {checks: [state…], status: [text…]} recorded since recordPopup. */
export const recorded = (popup) => popup.evaluate(() => window.__recorded);

/** Waits until the checks line shows one of states; resolves {state, text, link: {text, href} | null}. */
export async function waitForChecks(popup, states, timeout = 45_000) {
  await popup.waitForFunction(
    (wanted) => {
      const box = document.getElementById('push-checks');
      return !box.hidden && wanted.includes(box.dataset.state);
    },
    { timeout },
    states,
  );
  return popup.evaluate(() => {
    const box = document.getElementById('push-checks');
    const link = document.getElementById('push-checks-link');
    return {
      state: box.dataset.state,
      text: box.textContent.replace(/\s+/g, ' ').trim(),
      link: link.hidden ? null : { text: link.textContent, href: link.getAttribute('href') },
    };
  });
}
