#!/usr/bin/env bash
# Builds everything a user or a test needs, installing what is missing:
#   - the wasm32 target and wasm-bindgen-cli at exactly the version of the wasm-bindgen crate;
#   - the WebAssembly core into extension/wasm/ (the repository root then loads as an
#     unpacked extension);
#   - the `liftoff` command into target/release/liftoff;
#   - the extension as the Chrome Web Store takes it: dist/liftoff-extension-<version>.zip (the
#     manifest, extension/'s runtime files and the built wasm; nothing else), zipped by
#     `liftoff export --raw` itself, so the same files always give the same bytes.
# Safe to run twice; the second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The one version pin, read from Cargo.toml (`wasm-bindgen = "=X.Y.Z"`).
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "build.sh: no pinned wasm-bindgen in Cargo.toml" >&2; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: the CLI's own lockfile names a yanked webpki-roots; the version pin is what
  # must match the crate.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# Two modules from the liftoff-wasm crate (see its lib.rs): liftoff_wasm (every export loads it;
# the 300 KB gzipped budget) and liftoff_remote (push and deploy, loaded on first use).
say "building the WebAssembly core (export module)"
cargo build --profile wasm-release -p liftoff-wasm --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --out-dir extension/wasm \
  target/wasm32-unknown-unknown/wasm-release/liftoff_wasm.wasm
# The Base44 off-ramp's files, which the export module is handed rather than carrying (see
# crates/liftoff-core/src/builders/base44/offramp/texts.rs: FILES names them).
say "writing the off-ramp's files for the extension: extension/wasm/offramp-texts.js"
node --input-type=module - <<'JS'
import { readFileSync, writeFileSync } from 'node:fs';
const dir = 'crates/liftoff-core/src/builders/base44/offramp';
const source = readFileSync(`${dir}/texts.rs`, 'utf8');
const files = [...source.matchAll(/\("(\w+)", "([\w.-]+)"\)/g)].map((m) => [m[1], m[2]]);
if (files.length < 7) throw new Error(`texts.rs: FILES lists ${files.length} files`);
const texts = Object.fromEntries(files.map(([key, file]) => [key, readFileSync(`${dir}/${file}`, 'utf8')]));
writeFileSync('extension/wasm/offramp-texts.js', `// Written by build.sh from ${dir}: do not edit.\nexport default ${JSON.stringify(texts)};\n`);
JS
say "building the WebAssembly core (remote module: push and deploy)"
cargo build --profile wasm-release -p liftoff-wasm --target wasm32-unknown-unknown \
  --no-default-features --features remote
wasm-bindgen --target web --no-typescript --out-dir extension/wasm --out-name liftoff_remote \
  target/wasm32-unknown-unknown/wasm-release/liftoff_wasm.wasm

say "building the liftoff command"
cargo build --release -p liftoff-cli

# What ships: manifest.json and extension/'s runtime files (scripts, pages, styles, icons, the
# wasm and its glue). Not the icon generator, not the permissions notes, no tests or sources.
say "packaging the extension: dist/"
VERSION=$(sed -n 's/^ *"version": *"\([0-9.]*\)".*/\1/p' manifest.json | head -n 1)
[ -n "$VERSION" ] || { echo "build.sh: no version in manifest.json" >&2; exit 1; }
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp manifest.json "$STAGE/"
(cd extension && find . -type f \( -name '*.js' -o -name '*.html' -o -name '*.css' -o -name '*.png' \
  -o -name '*.wasm' \) -print0) | while IFS= read -r -d '' file; do
  mkdir -p "$STAGE/extension/$(dirname "$file")"
  cp "extension/$file" "$STAGE/extension/$file"
done
mkdir -p dist
PACKAGE="dist/liftoff-extension-$VERSION.zip"
./target/release/liftoff export "$STAGE" --raw --builder plain --force -o "$PACKAGE"

size() { printf '%s %s bytes (%s gzipped)' "$1" "$(wc -c < "$1")" "$(gzip -9c "$1" | wc -c)"; }
say "done: target/release/liftoff; $PACKAGE ($(wc -c < "$PACKAGE") bytes); $(size extension/wasm/liftoff_wasm_bg.wasm); $(size extension/wasm/liftoff_remote_bg.wasm)"
