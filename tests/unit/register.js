// Loaded before every test file (`node --import ./register.js --test`): chrome.* is the fake of
// fakes/chrome.js, installed before any extension module reads it (fetch-driver.js reads the
// manifest's host permissions when it loads), and the wasm glue is fakes/wasm.js.
import { register } from 'node:module';
import { installChrome } from './fakes/chrome.js';

register('./fakes/wasm-hooks.js', import.meta.url);
installChrome();
