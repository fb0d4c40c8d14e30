"""Where the arm-none-eabi GCC toolchain is installed: the one place.

Debian's gcc-arm-none-eabi, libnewlib-arm-none-eabi and
libstdc++-arm-none-eabi-newlib (tools/setup.sh) put the cross tools in
/usr/bin and their support files under /usr/lib. Everything that names a
toolchain file takes it from here:

  - the cc_toolchain (toolchains/arm_none_eabi/cc_toolchain_config.bzl):
    tool paths and built-in include directories;
  - release bundles (build_defs/release.bzl): gcc --version, objdump, and
    objcopy for the reproducibility comparison;
  - //apps/secure_node:no_heap_test: nm;
  - tools/setup.sh reads ARM_NONE_EABI_ROOT and ARM_NONE_EABI_GCC_VERSION
    from this file to check the installed toolchain.

To use another installation, change ARM_NONE_EABI_ROOT (and the version)
here; nothing else names a path.
"""

# The installation prefix: <root>/bin/arm-none-eabi-gcc, ...
ARM_NONE_EABI_ROOT = "/usr"

# GCC's version, as in <root>/lib/gcc/arm-none-eabi/<version>/.
ARM_NONE_EABI_GCC_VERSION = "12.2.1"

def arm_none_eabi_tool(name):
    """The path of one tool: arm_none_eabi_tool("nm") is .../bin/arm-none-eabi-nm."""
    return ARM_NONE_EABI_ROOT + "/bin/arm-none-eabi-" + name

# The compiler's built-in include directories (GCC's own headers, then
# newlib's and libstdc++'s), which Bazel's include checking must accept.
ARM_NONE_EABI_BUILTIN_INCLUDE_DIRECTORIES = [
    "%s/lib/gcc/arm-none-eabi/%s/include" % (ARM_NONE_EABI_ROOT, ARM_NONE_EABI_GCC_VERSION),
    "%s/lib/gcc/arm-none-eabi/%s/include-fixed" % (ARM_NONE_EABI_ROOT, ARM_NONE_EABI_GCC_VERSION),
    ARM_NONE_EABI_ROOT + "/lib/arm-none-eabi/include",
    ARM_NONE_EABI_ROOT + "/include/newlib",
]
