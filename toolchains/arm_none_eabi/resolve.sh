#!/usr/bin/env bash
# Describes the arm-none-eabi GCC installed under a prefix, for the build.
#
#   toolchains/arm_none_eabi/resolve.sh ROOT
#
# ROOT is the installation prefix: ROOT/bin/arm-none-eabi-gcc must exist
# (/usr for Debian's gcc-arm-none-eabi; the top directory of an unpacked Arm
# GNU Toolchain release works as well). Prints, one a line:
#   root=ROOT
#   gcc_version=VERSION        as in ROOT/lib/gcc/arm-none-eabi/VERSION/
#   include=DIR                each built-in C++ include directory, as the
#                              compiler lists it (with ".." folded) and, when
#                              that is a symlink, also where it leads
# Exits 1 with a message on stderr when ROOT holds no usable toolchain.
#
# toolchains/arm_none_eabi/repository.bzl runs it for the build (the root
# comes from ARM_NONE_EABI_ROOT, default /usr); tools/setup.sh runs it to
# check an installation.
set -euo pipefail

root=${1:?usage: resolve.sh ROOT}
root=${root%/}
[[ -n "$root" ]] || root=/
gcc="$root/bin/arm-none-eabi-gcc"

problem() {
  echo "arm-none-eabi toolchain at ARM_NONE_EABI_ROOT=$root: $*" >&2
  exit 1
}

[[ -x "$gcc" ]] || problem "no executable $gcc"
version=$("$gcc" -dumpversion 2>/dev/null) || problem "$gcc -dumpversion failed"
[[ "$version" =~ ^[0-9]+(\.[0-9]+)*$ ]] || problem "$gcc -dumpversion said '$version'"
[[ -d "$root/lib/gcc/arm-none-eabi/$version" ]] ||
  problem "no $root/lib/gcc/arm-none-eabi/$version (GCC's support files)"

echo "root=$root"
echo "gcc_version=$version"

# The <...> search list of a C++ compile, which also holds the C directories,
# with -no-canonical-prefixes as the toolchain compiles: a compiler reached
# through a symlink then names its directories from the symlink's place, as
# the dependency files Bazel checks will.
listed=$("$gcc" -no-canonical-prefixes -x c++ -E -v - </dev/null 2>&1 >/dev/null |
  sed -n '/^#include <\.\.\.> search starts here:/,/^End of search list\./p' |
  sed -n 's/^ \(\/.*\)$/\1/p')
[[ -n "$listed" ]] || problem "$gcc lists no include directories"

declare -A seen=()
while IFS= read -r dir; do
  for form in "$(realpath -s -m -- "$dir")" "$(realpath -m -- "$dir")"; do
    if [[ -z "${seen[$form]:-}" ]]; then
      seen[$form]=1
      echo "include=$form"
    fi
  done
done <<<"$listed"
