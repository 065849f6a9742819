#!/usr/bin/env bash
# One command for the benchmarks: installs bench/'s npm dependencies (exact versions from
# package-lock.json), builds the wasm core if it is missing, then runs the zip benchmark
# (issue 2's zip against JSZip and fflate, and issue 4's normalize-and-zip, in the same page).
# The Lovable fetch benchmark (issue 3) is bench/lovable/run.sh.
#   bench/run.sh [--runs N] [--no-profile] [--lovable-files N]
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing bench dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

if [ ! -f ../extension/wasm/liftoff_wasm_bg.wasm ] || [ ! -f ../extension/wasm/liftoff_wasm.js ]; then
  echo "==> building the wasm core (../build.sh)" >&2
  ../build.sh
fi

# The export module with the benchmarks' entry points (zipFiles, normalizeFiles, normalizeAndZip:
# feature `bench`, left out of the shipped module for its size budget), built beside the shipped
# one into results/wasm/ (its own target folder, so a build.sh running meanwhile is not mixed up).
if [ -z "${LIFTOFF_WASM_DIR:-}" ]; then
  echo "==> building the export module with the benchmarks' entry points (feature bench)" >&2
  (cd .. && cargo build -q --profile wasm-release -p liftoff-wasm --target wasm32-unknown-unknown \
    --features bench --target-dir target/bench-wasm)
  wasm-bindgen --target web --no-typescript --out-dir results/wasm \
    ../target/bench-wasm/wasm32-unknown-unknown/wasm-release/liftoff_wasm.wasm
  export LIFTOFF_WASM_DIR="$PWD/results/wasm"
fi

exec node zip.mjs "$@"
