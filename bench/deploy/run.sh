#!/usr/bin/env bash
# The deploy benchmark in one command: installs bench/deploy's npm dependencies (exact versions
# from package-lock.json: @vercel/client 18.4.2), builds the release CLI, then runs deploy.mjs.
#   bench/deploy/run.sh [--runs N] [--files N] [--no-warmup]
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing bench/deploy dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

echo "==> building the release CLI (cargo build --release -p liftoff-cli)" >&2
(cd ../.. && cargo build --release -q -p liftoff-cli)

exec node deploy.mjs "$@"
