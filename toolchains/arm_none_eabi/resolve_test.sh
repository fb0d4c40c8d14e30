#!/usr/bin/env bash
# Checks how the arm-none-eabi installation is resolved (resolve.sh, which
# @arm_none_eabi runs with $ARM_NONE_EABI_ROOT or /usr):
#   - a fake toolchain in Arm's release layout under a scratch prefix: its
#     version and include directories, ".." folded, symlinks followed too;
#   - the same prefix with a trailing slash;
#   - prefixes without a compiler or without GCC's support directory fail
#     with a message that names ARM_NONE_EABI_ROOT;
#   - what the build resolved (@arm_none_eabi//:resolved.txt) is what
#     resolve.sh says for that root.
set -uo pipefail

resolve=$(readlink -f "$1")
build_resolved=$(readlink -f "$2")
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# A compiler that answers like arm-none-eabi-gcc 13.3.1 from an Arm GNU
# Toolchain release: libstdc++ and newlib under ROOT/arm-none-eabi/include.
fake=$TEST_TMPDIR/arm-gnu-toolchain
mkdir -p "$fake/bin" "$fake/lib/gcc/arm-none-eabi/13.3.1/include" "$fake/newlib-headers"
mkdir -p "$fake/arm-none-eabi"
ln -s ../newlib-headers "$fake/arm-none-eabi/include"
cat >"$fake/bin/arm-none-eabi-gcc" <<'GCC'
#!/usr/bin/env bash
lib=$(cd "$(dirname "$0")/../lib/gcc/arm-none-eabi/13.3.1" && pwd -L)
case "$*" in
  -dumpversion) echo 13.3.1 ;;
  "-no-canonical-prefixes -x c++ -E -v -")
    {
      echo 'Using built-in specs.'
      echo '#include "..." search starts here:'
      echo '#include <...> search starts here:'
      echo " $lib/../../../../arm-none-eabi/include/c++/13.3.1"
      echo " $lib/include"
      echo " $lib/../../../../arm-none-eabi/include"
      echo 'End of search list.'
    } >&2 ;;
  *) exit 2 ;;
esac
GCC
chmod +x "$fake/bin/arm-none-eabi-gcc"

expected="root=$fake
gcc_version=13.3.1
include=$fake/arm-none-eabi/include/c++/13.3.1
include=$fake/newlib-headers/c++/13.3.1
include=$fake/lib/gcc/arm-none-eabi/13.3.1/include
include=$fake/arm-none-eabi/include
include=$fake/newlib-headers"

got=$("$resolve" "$fake" 2>&1) || fail "resolve.sh failed on the fake toolchain: $got"
[[ "$got" == "$expected" ]] || fail "fake toolchain resolved as
$got
expected
$expected"

got=$("$resolve" "$fake/" 2>&1) || fail "resolve.sh failed on '$fake/': $got"
[[ "$got" == "$expected" ]] || fail "a trailing slash changed the result: $got"

# expect_refusal ROOT WHAT: resolve.sh must exit 1 and name the root and WHAT.
expect_refusal() {
  local out
  if out=$("$resolve" "$1" 2>&1); then
    fail "resolve.sh accepted $1: $out"
  else
    [[ "$out" == *"ARM_NONE_EABI_ROOT=$1"* && "$out" == *"$2"* ]] ||
      fail "refusal of $1 does not name the root and '$2': $out"
  fi
}
expect_refusal "$TEST_TMPDIR/nothing-here" "no executable $TEST_TMPDIR/nothing-here/bin/arm-none-eabi-gcc"
cp -r "$fake" "$TEST_TMPDIR/no-support"
rm -r "$TEST_TMPDIR/no-support/lib/gcc/arm-none-eabi/13.3.1"
expect_refusal "$TEST_TMPDIR/no-support" "no $TEST_TMPDIR/no-support/lib/gcc/arm-none-eabi/13.3.1"

# The build's own resolution agrees with the script for the same root.
root=$(sed -n 's/^root=//p' "$build_resolved")
if [[ -z "$root" ]]; then
  fail "the build resolved no toolchain: $(cat "$build_resolved")"
else
  echo "the build uses the arm-none-eabi GCC under $root"
  now=$("$resolve" "$root" 2>&1) || fail "resolve.sh $root: $now"
  [[ "$now" == "$(cat "$build_resolved")" ]] || fail "@arm_none_eabi//:resolved.txt differs from resolve.sh $root:
$(diff <(printf '%s\n' "$now") "$build_resolved")"
fi

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "PASS"
