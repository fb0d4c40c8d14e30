#!/usr/bin/env bash
# Runs the system's `bazel` launcher in scratch workspaces holding this
# repository's .bazelversion and tools/bazel:
#   - with the checked-in .bazelversion it must start Bazel (--version,
#     which needs no server);
#   - with a version nobody has installed it must stop, naming .bazelversion;
#   - without the hook, what the launcher does alone is shown for the record.
set -uo pipefail

hook=$(readlink -f "$1")
version_file=$(readlink -f "$2")
launcher=${BAZEL_LAUNCHER:-/usr/bin/bazel}
unset BAZEL_REAL USE_BAZEL_VERSION
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# make_workspace DIR VERSION [with_hook]
make_workspace() {
  mkdir -p "$1/tools"
  : >"$1/WORKSPACE"
  printf '%s\n' "$2" >"$1/.bazelversion"
  if [[ "${3:-}" == with_hook ]]; then
    cp "$hook" "$1/tools/bazel"
    chmod +x "$1/tools/bazel"
  fi
}

wanted=$(tr -d '[:space:]' <"$version_file")
[[ "$wanted" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail ".bazelversion is '$wanted', not a release number"

ws="$TEST_TMPDIR/pinned"
make_workspace "$ws" "$wanted" with_hook
# (Bazel notes where its output root would go, under $TEST_TMPDIR, first.)
if out=$(cd "$ws" && "$launcher" --version 2>&1); then
  echo "pinned $wanted, with the hook: $(grep '^bazel ' <<<"$out")"
  grep -q '^bazel ' <<<"$out" || fail "unexpected output: $out"
else
  fail "the launcher did not start Bazel $wanted with the hook: $out"
fi

ws="$TEST_TMPDIR/unknown"
make_workspace "$ws" 0.0.1 with_hook
if out=$(cd "$ws" && "$launcher" --version 2>&1); then
  fail "Bazel 0.0.1 is not installed, yet the launcher ran: $out"
else
  echo "pinned 0.0.1, with the hook: refused"
  [[ "$out" == *".bazelversion"* ]] || fail "the refusal does not name .bazelversion: $out"
fi

ws="$TEST_TMPDIR/no_hook"
make_workspace "$ws" "$wanted"
if out=$(cd "$ws" && "$launcher" --version 2>&1); then
  echo "pinned $wanted, without the hook: ran ($out)"
else
  echo "pinned $wanted, without the hook: the launcher alone refuses (why tools/bazel exists)"
fi

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "PASS"
