// Shows the installed version, so that a bug report can name it.
document.getElementById('version').textContent = `version ${chrome.runtime.getManifest().version}`;
