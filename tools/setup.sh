#!/usr/bin/env bash
# Sets up a Debian 12 (bookworm) machine to build, test and run this project.
#
# Idempotent: installs only what is missing, then checks the versions the
# build depends on and says exactly what is wrong if one is off. Everything
# comes from Debian packages (bookworm, plus bookworm-backports for QEMU 10:
# the mps3-an536 Cortex-R52 machine exists only since QEMU 9).
#
# Usage: tools/setup.sh          (as root, or as a user with sudo)
#
# Supported: Debian 12 (bookworm) only, where every dependency is a Debian
# package. Elsewhere it stops before changing anything and lists what the
# build needs, so that it can be provided by hand (see unsupported below).
# The cross toolchain may live elsewhere: ARM_NONE_EABI_ROOT (the prefix of
# bin/arm-none-eabi-gcc, default /usr) is checked here and used by the build
# when given to Bazel as --repo_env=ARM_NONE_EABI_ROOT=... .
set -euo pipefail

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }
workspace=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

unsupported() {
  cat >&2 <<EOF
setup: ERROR: found $1; this script supports Debian 12 (bookworm) only.
It installs Debian packages with apt-get and has changed nothing here.
To build elsewhere, provide by hand:
  - Bazel $(cat "$workspace/.bazelversion" 2>/dev/null || echo 4.2.3) (.bazelversion; e.g. through Bazelisk); the WORKSPACE
    expects Debian's rule trees under /usr/share/bazel (bazel-rules-cc,
    bazel-rules-java, bazel-platforms, bazel-skylib) and GoogleTest's
    sources in /usr/src/googletest;
  - an arm-none-eabi GCC with newlib and libstdc++ (e.g. an Arm GNU
    Toolchain release), given to the build with
    --repo_env=ARM_NONE_EABI_ROOT=<its prefix>;
  - qemu-system-arm >= 9, clang-format 14, python3, openssl, gcovr, and the
    host libraries abseil, benchmark, nlohmann-json, OpenSSL, mbedTLS, Boost.
A Debian 12 container or virtual machine is the supported way.
EOF
  exit 1
}

# --- The distribution -------------------------------------------------------
[[ -r /etc/os-release ]] || unsupported "a system without /etc/os-release ($(uname -s))"
. /etc/os-release
if [[ "${ID:-}" != debian || "${VERSION_CODENAME:-}" != bookworm ]]; then
  unsupported "${PRETTY_NAME:-an unknown system}"
fi
command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1 ||
  unsupported "Debian 12 without apt-get or dpkg-query"

if [[ $(id -u) -eq 0 ]]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
  as_root() { sudo "$@"; }
else
  die "run as root or install sudo: packages must be installed with apt-get"
fi

# Packages from bookworm itself.
PACKAGES=(
  bazel-bootstrap          # Bazel 4.2.3
  bazel-rules-cc           # rules_cc (patched at fetch time, see WORKSPACE)
  bazel-rules-java         # stands in for @rules_java, which Bazel 4 wants
  bazel-platforms
  bazel-skylib
  gcc-arm-none-eabi        # the Cortex-R cross compiler
  libnewlib-arm-none-eabi
  libstdc++-arm-none-eabi-newlib
  googletest               # sources, built for host and boards
  libabsl-dev              # host tools
  libbenchmark-dev         # host benchmarks
  nlohmann-json3-dev       # JSON in host tools and generators
  libssl-dev               # OpenSSL: differential tests, benchmarks, bundle signing
  openssl                  # the openssl command line: keys, signature cross-check
  libmbedtls-dev           # mbedTLS: benchmark baseline
  libboost-dev             # boost::pool: benchmark baseline
  valgrind                 # constant-time checks
  gcovr                    # HTML coverage reports of the host tests (tools/coverage.sh)
  clang-format             # clang-format 14: //:format_test, tools/format.sh
  clang-14                 # the fuzz tests' compiler (toolchains/clang_fuzz)
  libclang-rt-14-dev       # its ASan, UBSan and libFuzzer runtimes
  libfuzzer-14-dev         # libFuzzer (-fsanitize=fuzzer)
  llvm-14                  # llvm-symbolizer: readable sanitizer reports
  gdb-multiarch            # run_firmware.sh --gdb: debugging on the boards
  python3
  git
)
# From bookworm-backports: QEMU 10 (mps3-an536 needs QEMU >= 9).
BACKPORT_PACKAGES=(qemu-system-arm)

missing=()
for p in "${PACKAGES[@]}" "${BACKPORT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

BACKPORTS_LIST=/etc/apt/sources.list.d/bookworm-backports.sources
have_backports() {
  grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/
}

if [[ ${#missing[@]} -gt 0 ]]; then
  say "installing: ${missing[*]}"
  if ! have_backports; then
    say "adding bookworm-backports to APT sources ($BACKPORTS_LIST)"
    as_root tee "$BACKPORTS_LIST" >/dev/null <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  fi
  as_root apt-get update -q || die "apt-get update failed: are the Debian mirrors reachable?"
  regular=()
  for p in "${missing[@]}"; do
    [[ " ${BACKPORT_PACKAGES[*]} " == *" $p "* ]] || regular+=("$p")
  done
  if [[ ${#regular[@]} -gt 0 ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${regular[@]}" \
      || die "apt-get install failed for: ${regular[*]}"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -t bookworm-backports "${BACKPORT_PACKAGES[@]}" \
    || die "could not install ${BACKPORT_PACKAGES[*]} from bookworm-backports"
else
  say "all Debian packages present"
fi

# --- Versions the build relies on ----------------------------------------------
# The pinned version (.bazelversion; tools/bazel lets Debian's launcher run
# bazel-bootstrap's binary for it).
pinned_bazel=$(tr -d '[:space:]' <"$workspace/.bazelversion")
bazel_version=$(dpkg-query -W -f='${Version}' bazel-bootstrap)
[[ "${bazel_version%%+*}" == "$pinned_bazel" ]] \
  || die "bazel-bootstrap is $bazel_version; .bazelversion pins Bazel $pinned_bazel"

qemu_version=$(qemu-system-arm --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p')
[[ "${qemu_version%%.*}" -ge 9 ]] 2>/dev/null \
  || die "qemu-system-arm is ${qemu_version:-unknown}; QEMU >= 9 is needed (bookworm-backports)"
qemu-system-arm -machine help | grep -q '^mps3-an536' \
  || die "qemu-system-arm $qemu_version has no mps3-an536 machine"

# The cross toolchain, found the way the build finds it
# (toolchains/arm_none_eabi/resolve.sh; ARM_NONE_EABI_ROOT, default /usr).
arm_root=${ARM_NONE_EABI_ROOT:-/usr}
resolved=$("$workspace/toolchains/arm_none_eabi/resolve.sh" "$arm_root" 2>&1) \
  || die "$resolved"
gcc_version=$(sed -n 's/^gcc_version=//p' <<<"$resolved")
if [[ "$arm_root" != /usr ]]; then
  say "arm-none-eabi toolchain under $arm_root: build with --repo_env=ARM_NONE_EABI_ROOT=$arm_root"
fi

clang_format_version=$(/usr/bin/clang-format --version | sed -n 's/.*clang-format version \([0-9]*\).*/\1/p')
[[ "$clang_format_version" == 14 ]] \
  || die "clang-format is ${clang_format_version:-unknown}; the format check expects Debian's clang-format 14"

# Where toolchains/clang_fuzz expects clang and its fuzzer runtime.
[[ -x /usr/bin/clang-14 ]] || die "no /usr/bin/clang-14 (toolchains/clang_fuzz)"
clang_resource_dir=$(/usr/bin/clang-14 -print-resource-dir)
[[ -f "$clang_resource_dir/lib/linux/libclang_rt.fuzzer-x86_64.a" ]] \
  || die "clang-14 has no libFuzzer runtime in $clang_resource_dir (libclang-rt-14-dev)"

[[ -f /usr/src/googletest/googletest/src/gtest.cc ]] || die "GoogleTest sources missing in /usr/src/googletest"

say "ready: Bazel $bazel_version, QEMU $qemu_version, arm-none-eabi-gcc $gcc_version, clang-format $clang_format_version"
