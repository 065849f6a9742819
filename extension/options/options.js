// The settings page: the export preference (chrome.storage.local, see shared/settings.js) and
// the installed version, so that a bug report can name it.
import { readSettings, writeSetting } from '../shared/settings.js';

const keep = document.getElementById('keep-builder-files');
const status = document.getElementById('settings-status');

document.getElementById('version').textContent = `version ${chrome.runtime.getManifest().version}`;

function show(settings) {
  keep.checked = settings.keepBuilderFiles;
}

keep.addEventListener('change', async () => {
  keep.disabled = true;
  try {
    await writeSetting('keepBuilderFiles', keep.checked);
    status.textContent = keep.checked
      ? 'Saved. Exports keep the builder’s files exactly as they are.'
      : 'Saved. Exports are cleaned up.';
    status.dataset.tone = 'ok';
  } catch (error) {
    keep.checked = !keep.checked;
    status.textContent = `The setting could not be saved (${error?.name ?? 'error'}).`;
    status.dataset.tone = 'error';
  } finally {
    keep.disabled = false;
  }
});

// Changed elsewhere (another settings tab): show the stored value.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && 'keepBuilderFiles' in changes) readSettings().then(show);
});

show(await readSettings());
keep.disabled = false;
document.documentElement.dataset.ready = 'true';
