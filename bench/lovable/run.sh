#!/usr/bin/env bash
# Issue 3's benchmark: "click to zip" for a Lovable project, ours (the wasm core's conversation)
# against the peers' strategy (five at a time with pauses, then JSZip), against the local
# Lovable stand-in (tests/servers/lovable.mjs) with latency per request. Installs bench/'s npm
# dependencies (exact versions from package-lock.json) and builds the wasm core if missing.
#   bench/lovable/run.sh [--runs N] [--files N] [--latency MS]     (defaults 5, 150, 50)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing bench dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

if [ ! -f ../extension/wasm/liftoff_wasm_bg.wasm ] || [ ! -f ../extension/wasm/liftoff_wasm.js ]; then
  echo "==> building the wasm core (../build.sh)" >&2
  ../build.sh
fi

exec node lovable/fetch.mjs "$@"
