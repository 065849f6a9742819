// Whether each project was last deployed as a preview or to production, so that the popup's
// deploy form asks the same way next time: chrome.storage.local under `deployStages`,
// {"<builder>:<project id>": {preview: true|false, at: epoch ms}}, at most 100 projects
// (per-project.js). Nothing else is kept.
import { perProjectStore } from './per-project.js';

const store = perProjectStore('deployStages', 100);

/** Whether projectKey was last deployed as a preview (false when never deployed). */
export async function lastDeployedAsPreview(projectKey) {
  return (await store.read(projectKey))?.preview === true;
}

/** Records how projectKey was just deployed. */
export function rememberDeployStage(projectKey, preview) {
  return store.write(projectKey, { preview: preview === true });
}
