#!/usr/bin/env bash
# The push benchmark in one command: installs bench/push's npm dependencies (exact versions from
# package-lock.json), builds the release CLI, then runs push.mjs.
#   bench/push/run.sh [--runs N] [--files N]
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing bench/push dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

echo "==> building the release CLI (cargo build --release -p liftoff-cli)" >&2
(cd ../.. && cargo build --release -q -p liftoff-cli)

exec node push.mjs "$@"
