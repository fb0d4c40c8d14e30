#!/usr/bin/env bash
# The project's main job until the fleet simulator (sim/) lands: build every
# board's secure_node image with one host `bazel build` and boot each under
# QEMU, showing its console banner.
set -euo pipefail
cd "$(dirname "$0")/.."

bazel build //apps/...
for board in mps3_an536 versatilepb_r5f; do
  echo "--- booting secure_node on $board"
  # A node that does not finish booting within 60 s is a failure.
  timeout 60 bazel run --ui_event_filters=-info,-stdout,-stderr --noshow_progress \
    "//apps/secure_node:secure_node_$board"
done
echo "--- images: bazel-out/*/bin/apps/secure_node/secure_node_<board>.{elf,bin,map}"
