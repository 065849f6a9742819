// Stands in for the wasm glue (fakes/wasm-hooks.js maps both glue modules here). Any part of the
// core a test reaches fails loudly: the unit tests cover the JavaScript around the core, not the
// core (the e2e suite runs the real one).
function refuse(what) {
  throw new Error(`the unit tests' fake wasm has no ${what}`);
}

export default async function init() {}

export const inspectBoltHistory = () => refuse('inspectBoltHistory');
export const exportBoltHistory = () => refuse('exportBoltHistory');
export const exportArchive = () => refuse('exportArchive');
export const BuilderSession = { lovable: () => refuse('BuilderSession'), base44: () => refuse('BuilderSession') };
export const DeploySession = { deploy: () => refuse('DeploySession'), history: () => refuse('DeploySession'), rollback: () => refuse('DeploySession') };

export class PushSession {
  constructor() {
    refuse('PushSession');
  }
}

export class DatabaseSession {
  constructor() {
    refuse('DatabaseSession');
  }
}
