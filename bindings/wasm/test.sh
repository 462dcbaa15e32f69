#!/usr/bin/env bash
# Builds the package (build.sh) and runs its tests: the Node tests (every export, the example,
# and headless-Chromium tests of the browser build and the playground), then the TypeScript
# check. Installs Chromium from the distribution when it is absent.
set -euo pipefail
cd "$(dirname "$0")"

./build.sh

if ! command -v chromium > /dev/null; then
  echo "--- installing chromium"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi

# The tests, the TypeScript check and the example import the package by name.
mkdir -p node_modules/@palisade ../../examples/node/node_modules/@palisade
ln -sfn ../../pkg node_modules/@palisade/wasm
ln -sfn ../../../../bindings/wasm/pkg ../../examples/node/node_modules/@palisade/wasm

echo "--- node tests"
node --test $(ls test/*.test.mjs | grep -v -e browser.test -e playground.test)
echo "--- headless Chromium tests (one browser at a time)"
node --test --test-concurrency=1 test/browser.test.mjs test/playground.test.mjs
echo "--- tsc --noEmit"
node_modules/.bin/tsc -p test/tsconfig.json
echo "--- wasm package: all tests passed"
