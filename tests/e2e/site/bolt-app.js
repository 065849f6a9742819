// Runs in the stand-in bolt.new project page (/~/<id>): the header's Export menu as Bolt builds
// it (Radix-style markup, per builders.md: a `button[aria-haspopup="menu"]` with the text
// "Export" that opens on pointerdown or Enter/Space/ArrowDown, never on a plain click(); a
// `[role="menu"]` list whose "Download" item builds the project's zip in the page and saves it
// through a detached `a[download]` with a `blob:` URL, revoked right after, as file-saver does).
// The variant page (data-variant="icon") shows the menu behind an icon button with no text and
// no label: a redesign no strategy of Liftoff's recognises, so only the person can open it.
const trigger = document.getElementById('export-trigger');
const { zipName } = document.documentElement.dataset;
let menu = null;

function closeMenu() {
  menu?.remove();
  menu = null;
  trigger.setAttribute('aria-expanded', 'false');
}

async function download() {
  closeMenu();
  const response = await fetch(`${location.pathname.replace(/^\/~\//, '/zip/')}.zip`);
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = zipName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

function openMenu() {
  if (menu) return;
  menu = document.createElement('div');
  menu.setAttribute('role', 'menu');
  menu.dataset.state = 'open';
  for (const [label, act] of [
    ['Deploy', () => closeMenu()],
    ['Download', download],
    ['Open in StackBlitz', () => closeMenu()],
  ]) {
    const item = document.createElement('div');
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
    item.textContent = label;
    item.addEventListener('click', act);
    menu.append(item);
  }
  document.body.append(menu);
  trigger.setAttribute('aria-expanded', 'true');
}

trigger.addEventListener('pointerdown', (event) => {
  if (event.button === 0 && !event.ctrlKey) openMenu();
});
trigger.addEventListener('keydown', (event) => {
  if (['Enter', ' ', 'ArrowDown'].includes(event.key)) openMenu();
});
document.documentElement.dataset.ready = 'true';
