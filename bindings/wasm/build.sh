#!/usr/bin/env bash
# Builds the npm package into bindings/wasm/pkg, installing what it needs when absent: the
# wasm32-unknown-unknown target, wasm-bindgen-cli at the version Cargo.toml pins, and the npm
# dev dependencies (binaryen's wasm-opt among them).
#
# One .wasm serves every entry point (wasm-bindgen emits the same module for each target): the
# package holds the glue of the `nodejs` (Node: `require`, and `import` through a re-export, so
# both share one instance), `bundler` (bundlers) and `web` (browsers without a bundler) targets
# beside it.
#
# WASM_OPT_LEVEL (default -Oz) picks wasm-opt's level.
set -euo pipefail
cd "$(dirname "$0")"

root=$(cd ../.. && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
opt_level="${WASM_OPT_LEVEL:--Oz}"

step() { printf -- '--- %s\n' "$*"; }

# The version in lockstep with the workspace.
version=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")
bindgen_version=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
[ -n "$version" ] && [ -n "$bindgen_version" ] || { echo "cannot read versions from Cargo.toml" >&2; exit 1; }
npm_version=$(node -p 'require("./package.json").version')
if [ "$npm_version" != "$version" ]; then
  echo "package.json version $npm_version differs from the workspace's $version: setting it"
  node -e 'const fs=require("fs");const p=JSON.parse(fs.readFileSync("package.json"));p.version=process.argv[1];fs.writeFileSync("package.json",JSON.stringify(p,null,2)+"\n")' "$version"
fi

step "tools"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  # --locked first; its lock file may name crates the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --locked ||
    cargo install wasm-bindgen-cli --version "$bindgen_version"
fi
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "cargo build (profile wasm)"
cargo build --locked -p palisade-wasm --target wasm32-unknown-unknown --profile wasm
input="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm/palisade_wasm.wasm"

step "wasm-bindgen $bindgen_version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in nodejs bundler web; do
  wasm-bindgen --target "$target" --out-dir "$work/$target" "$input"
done

mkdir -p pkg
# wasm-opt takes a minute: skip it when neither the module nor the level changed.
stamp="$(sha256sum "$work/web/palisade_wasm_bg.wasm" | cut -d' ' -f1) $opt_level"
if [ -f pkg/palisade_wasm_bg.wasm ] && [ "$(cat pkg/.build-stamp 2>/dev/null)" = "$stamp" ]; then
  step "wasm-opt $opt_level (unchanged, skipped)"
else
  step "wasm-opt $opt_level"
  # The features rustc enables by default for wasm32-unknown-unknown.
  node_modules/.bin/wasm-opt "$opt_level" \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue --enable-reference-types \
    "$work/web/palisade_wasm_bg.wasm" -o pkg/palisade_wasm_bg.wasm
  echo "$stamp" > pkg/.build-stamp
fi

step "package"
# Optional arguments, which wasm-bindgen types as required.
optional_args() {
  sed -e 's/options: CelOptions)/options?: CelOptions)/g' \
    -e 's/vars: CelVars)/vars?: CelVars)/g' \
    -e 's/(expressions: string\[\], options: CelOptions)/(expressions: string[], options?: CelOptions)/g' \
    -e 's/options: RbacAnalyzeOptions)/options?: RbacAnalyzeOptions)/g' \
    -e 's/files: Record<string, string>)/files?: Record<string, string>)/g' "$1"
}
self_types() { sed -e "s|@ts-self-types=\"./palisade_wasm.d.ts\"|@ts-self-types=\"$2\"|" "$1"; }
self_types "$work/nodejs/palisade_wasm.js" ./node.d.cts > pkg/node.cjs
printf '%s\n' '/* @ts-self-types="./palisade_wasm.d.ts" */' "export * from './node.cjs';" > pkg/node.mjs
self_types "$work/bundler/palisade_wasm.js" ./palisade_wasm.d.ts > pkg/bundler.js
cp "$work/bundler/palisade_wasm_bg.js" pkg/palisade_wasm_bg.js
self_types "$work/web/palisade_wasm.js" ./web.d.ts > pkg/web.js
optional_args "$work/nodejs/palisade_wasm.d.ts" > pkg/palisade_wasm.d.ts
cp pkg/palisade_wasm.d.ts pkg/node.d.cts
optional_args "$work/web/palisade_wasm.d.ts" > pkg/web.d.ts
cp README.md pkg/README.md
cp "$root/LICENSE" pkg/LICENSE
node - "$version" > pkg/package.json <<'EOF'
const dev = require("./package.json");
const types = "./palisade_wasm.d.ts";
const pkg = {
  name: dev.name,
  version: process.argv[2],
  description: dev.description,
  license: dev.license,
  repository: dev.repository,
  type: "module",
  main: "./node.cjs",
  module: "./bundler.js",
  types,
  exports: {
    ".": {
      node: {
        import: { types, default: "./node.mjs" },
        require: { types: "./node.d.cts", default: "./node.cjs" },
      },
      default: { types, default: "./bundler.js" },
    },
    "./web": { types: "./web.d.ts", default: "./web.js" },
    "./palisade_wasm_bg.wasm": "./palisade_wasm_bg.wasm",
    "./package.json": "./package.json",
  },
  files: [
    "palisade_wasm_bg.wasm", "node.cjs", "node.mjs", "node.d.cts", "bundler.js",
    "palisade_wasm_bg.js", "web.js", "web.d.ts", "palisade_wasm.d.ts", "README.md", "LICENSE",
  ],
  sideEffects: ["./node.cjs", "./node.mjs", "./bundler.js"],
  engines: { node: ">=18" },
};
console.log(JSON.stringify(pkg, null, 2));
EOF

step "sizes"
for f in "$input" pkg/palisade_wasm_bg.wasm; do
  printf '%-60s %9d bytes, %8d gzipped\n' "${f#"$root"/}" "$(wc -c < "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
total_gz=$(cd pkg && cat $(node -p 'require("./package.json").files.join(" ")') package.json | gzip -9 -c | wc -c)
echo "package: $total_gz bytes gzipped (all files, as one stream)"
echo "built bindings/wasm/pkg ($(node -p 'require("./pkg/package.json").name')@$version)"
