// Stands in for extension/wasm/offramp-texts.js (build.sh writes it): no texts, no build.
export default {};
