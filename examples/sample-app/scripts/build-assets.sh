#!/bin/sh
# The sample's "webpack": copies assets/src to static/dist under fingerprinted names and writes a
# manifest, so the bundle carries compiled, git-ignored files as a real project's does.
set -eu
cd "$(dirname "$0")/.."
rm -rf static/dist
mkdir -p static/dist
printf '{' > static/dist/manifest.json
sep=""
for src in assets/src/*; do
  name=$(basename "$src")
  hash=$(sha256sum "$src" | cut -c1-12)
  out="${name%.*}.${hash}.${name##*.}"
  cp "$src" "static/dist/$out"
  printf '%s"%s": "%s"' "$sep" "$name" "$out" >> static/dist/manifest.json
  sep=", "
  echo "built static/dist/$out"
done
printf '}\n' >> static/dist/manifest.json
