#!/usr/bin/env bash
# Two clean release builds, compared byte for byte.
#
#   tools/release/check_reproducible.sh [bazel target, default //apps:release]
#
# Builds the target twice from scratch, each time in a fresh Bazel output
# base under one temporary directory (so different absolute sandbox and
# execroot paths, no shared action cache, disk cache or server), copies out
# apps/release of each, and compares every file of the bundles and the tars.
# Slow (two full builds); not part of `bazel test //...`. Exit status 0
# means the two bundles are identical. KEEP=1 keeps the output bases.
set -euo pipefail

target="${1:-//apps:release}"
workspace="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/release_repro.XXXXXX")"
cd "$workspace"

for side in a b; do
  base="$scratch/output_base_$side"
  echo "== clean build $side in $base"
  bazel --output_base="$base" build --nostamp "$target"
  bin="$(bazel --output_base="$base" info bazel-bin 2>/dev/null)"
  mkdir -p "$scratch/release_$side"
  cp -rL "$bin/apps/release/." "$scratch/release_$side/"
  bazel --output_base="$base" shutdown
done

# Only the bundles (board directories and tars), not intermediate files.
status=0
cd "$scratch"
for tar in release_a/*.tar; do
  name="$(basename "$tar")"
  board="${name#*-}"
  board="${board%.tar}"
  for file in "$tar" release_a/"$board"/*; do
    other="release_b/${file#release_a/}"
    if cmp -s "$file" "$other"; then
      echo "identical: ${file#release_a/}"
    else
      echo "DIFFERENT: ${file#release_a/}"
      status=1
    fi
  done
  echo "SHA256SUMS of $board:"
  sed 's/^/  /' "release_a/$board/SHA256SUMS"
  echo "  $(sha256sum "$tar" | cut -d' ' -f1)  $name"
done

if [[ "${KEEP:-0}" != 1 ]]; then
  chmod -R u+w "$scratch" 2>/dev/null || true
  rm -rf "$scratch"
fi
if [[ $status -eq 0 ]]; then
  echo "reproducible: two clean builds gave identical bundles"
else
  echo "NOT reproducible (KEEP=1 keeps $scratch for inspection)"
fi
exit $status
