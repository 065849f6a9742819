// A module loader hook (module.register, stable since Node 20.6): the extension's wasm glue
// (extension/wasm/liftoff_wasm.js, liftoff_remote.js, built by ./build.sh) is replaced by
// fakes/wasm.js, so that modules importing background/core/wasm.js load without a build and
// without WebAssembly.
const GLUE = /\/extension\/wasm\/liftoff_(?:wasm|remote)\.js$/;
const FAKE = new URL('./wasm.js', import.meta.url).href;
// The off-ramp's texts build.sh writes beside the glue: faked the same way.
const TEXTS = /\/extension\/wasm\/offramp-texts\.js$/;
const FAKE_TEXTS = new URL('./offramp-texts.js', import.meta.url).href;

export async function resolve(specifier, context, next) {
  const relative = /^\.{1,2}\//.test(specifier) && context.parentURL;
  const url = relative ? new URL(specifier, context.parentURL).href : specifier;
  if (GLUE.test(url)) return { url: FAKE, shortCircuit: true };
  if (TEXTS.test(url)) return { url: FAKE_TEXTS, shortCircuit: true };
  return next(specifier, context);
}
