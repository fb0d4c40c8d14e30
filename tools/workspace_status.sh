#!/usr/bin/env bash
# Bazel workspace status: stable keys feed the build id of stamped images
# (bazel build --stamp). Works outside a git checkout too.
rev=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  rev="${rev}-dirty"
fi
echo "STABLE_BUILD_SCM_REVISION ${rev}"
