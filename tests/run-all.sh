#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: Rust unit and integration tests, lints, and
# the end-to-end suite in headless Chromium with the real extension. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Tests that need PostgreSQL fail without it, unless LIFTOFF_SKIP_PG=1 says to skip them; each
# skip is written to this file and counted in the summary at the end, never only on stderr.
LIFTOFF_SKIP_LOG=$(mktemp)
export LIFTOFF_SKIP_LOG
trap 'rm -f "$LIFTOFF_SKIP_LOG"' EXIT
summary() {
  local skipped
  skipped=$(grep -c . "$LIFTOFF_SKIP_LOG" || true)
  if [ "$skipped" -gt 0 ]; then
    say "done, with $skipped skipped (tests or suites):"
    sed 's/^/  skipped: /' "$LIFTOFF_SKIP_LOG" >&2
  else
    say "done: every test ran, none skipped"
  fi
}

if ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian's chromium (the e2e suite drives it)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] && [ "${LIFTOFF_SKIP_PG:-}" != 1 ]; then
  say "installing Debian's postgresql (the database tests start a throw-away PostgreSQL 15)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if [ ! -x /usr/sbin/sshd ]; then
  say "installing Debian's openssh-server (the SSH deployment tests start a throw-away sshd)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null
fi
# sshd wants its privilege-separation folder, which only a service start makes (none in a container).
[ -d /run/sshd ] || as_root mkdir -p /run/sshd
command -v rustfmt >/dev/null 2>&1 || rustup component add rustfmt
command -v cargo-clippy >/dev/null 2>&1 || rustup component add clippy

./build.sh

say "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy -p liftoff-wasm --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p liftoff-wasm --target wasm32-unknown-unknown --no-default-features --features remote -- -D warnings
# The fuzz targets are a workspace of their own (cargo-fuzz's layout); libFuzzer stays out.
FUZZ=crates/liftoff-core/fuzz/Cargo.toml
cargo fmt --manifest-path "$FUZZ" -- --check
cargo clippy --manifest-path "$FUZZ" --no-default-features --all-targets -- -D warnings

say "JavaScript: ESLint and unit tests of the extension's modules"
npm --prefix tests/unit ci --no-audit --no-fund
npm --prefix tests/unit run lint
npm --prefix tests/unit test

say "Rust tests"
cargo test --workspace

say "fuzz: every saved corpus input and crasher replayed, then a seeded random run of ${LIFTOFF_FUZZ_SECONDS:-60} s over every target"
cargo test --release --no-default-features --manifest-path "$FUZZ"

say "database: liftoff db push through a Node stand-in of Supabase's Management API over a real PostgreSQL 15"
npm --prefix tests/database test

say "off-ramp: the Base44 client Liftoff writes, against supabase-js with a recording fetch; its Edge Functions on the real Deno"
npm --prefix tests/deno ci --no-audit --no-fund
npm --prefix tests/offramp ci --no-audit --no-fund
npm --prefix tests/offramp test

say "end-to-end tests (headless Chromium, real manifest.json)"
npm --prefix tests/e2e ci --no-audit --no-fund
npm --prefix tests/e2e test

say "GitHub push: liftoff push against a local GitHub (git http-backend), clone + fsck after each push"
npm --prefix tests/github test

say "deploy: liftoff deploy/deployments/rollback against local Vercel and Netlify that really build; @vercel/client against the local Vercel; --to aws against moto's S3 and CloudFront behind a SigV4-checking proxy"
# moto (tests/aws-python/requirements.txt) in its own venv, made again only when the pinned
# requirements change; Debian's python3-venv first where python3 cannot make one.
AWS_VENV=tests/aws-python/.venv
if ! cmp -s tests/aws-python/requirements.txt "$AWS_VENV/installed-requirements.txt"; then
  say "installing moto into $AWS_VENV"
  rm -rf "$AWS_VENV"
  if ! python3 -m venv "$AWS_VENV" >/dev/null 2>&1; then
    rm -rf "$AWS_VENV"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$AWS_VENV"
  fi
  "$AWS_VENV/bin/pip" install -q --disable-pip-version-check -r tests/aws-python/requirements.txt
  cp tests/aws-python/requirements.txt "$AWS_VENV/installed-requirements.txt"
fi
npm --prefix tests/deploy ci --no-audit --no-fund
npm --prefix tests/deploy test

say "build tier: exported fixtures build with npm alone"
npm --prefix tests/build test


say "SSH deploy: liftoff deploy/deployments/rollback --to ssh:// against a real sshd on a loopback port"
npm --prefix tests/ssh test

summary
