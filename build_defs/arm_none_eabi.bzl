"""Where the arm-none-eabi GCC toolchain is installed: the one place.

The installation prefix is the environment variable ARM_NONE_EABI_ROOT,
default /usr (Debian's gcc-arm-none-eabi, libnewlib-arm-none-eabi and
libstdc++-arm-none-eabi-newlib, installed by tools/setup.sh):

    bazel build --repo_env=ARM_NONE_EABI_ROOT=/opt/arm-gnu-toolchain //...

The repository rule @arm_none_eabi (toolchains/arm_none_eabi/repository.bzl)
reads it and asks that compiler for its version and built-in include
directories. Everything that names a toolchain file takes it from here:

  - the cc_toolchain (toolchains/arm_none_eabi/cc_toolchain_config.bzl):
    tool paths and built-in include directories;
  - release bundles (build_defs/release.bzl): gcc --version, objdump, and
    objcopy for the reproducibility comparison;
  - //tests/no_heap:no_heap_test: nm;
  - tools/setup.sh checks the same root with the same script.
"""

load(
    "@arm_none_eabi//:defs.bzl",
    _BUILTIN_INCLUDE_DIRECTORIES = "ARM_NONE_EABI_BUILTIN_INCLUDE_DIRECTORIES",
    _GCC_VERSION = "ARM_NONE_EABI_GCC_VERSION",
    _PROBLEM = "ARM_NONE_EABI_PROBLEM",
    _ROOT = "ARM_NONE_EABI_ROOT",
)

# The installation prefix: <root>/bin/arm-none-eabi-gcc, ...
ARM_NONE_EABI_ROOT = _ROOT

# GCC's version, as in <root>/lib/gcc/arm-none-eabi/<version>/.
ARM_NONE_EABI_GCC_VERSION = _GCC_VERSION

# Why the toolchain cannot be used ("" when it can).
ARM_NONE_EABI_PROBLEM = _PROBLEM

def arm_none_eabi_tool(name):
    """The path of one tool: arm_none_eabi_tool("nm") is .../bin/arm-none-eabi-nm."""
    return ARM_NONE_EABI_ROOT.rstrip("/") + "/bin/arm-none-eabi-" + name

# The compiler's built-in include directories (libstdc++'s, GCC's own, then
# newlib's), which Bazel's include checking must accept.
ARM_NONE_EABI_BUILTIN_INCLUDE_DIRECTORIES = _BUILTIN_INCLUDE_DIRECTORIES
