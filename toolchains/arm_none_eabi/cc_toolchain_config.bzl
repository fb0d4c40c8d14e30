"""cc_toolchain_config for Debian's arm-none-eabi GCC on Cortex-R cores.

One rule instance per core: the core decides -mcpu/-mfpu. Both cores use the
hard-float ABI, so the multilib is thumb/v7+fp/hard from Debian's newlib.
Where the toolchain is installed comes from //build_defs:arm_none_eabi.bzl
(the environment variable ARM_NONE_EABI_ROOT, default /usr).
"""

load("@rules_cc//cc:action_names.bzl", "ACTION_NAMES")
load(
    "@rules_cc//cc:cc_toolchain_config_lib.bzl",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
    "with_feature_set",
)
load(
    "//build_defs:arm_none_eabi.bzl",
    "ARM_NONE_EABI_BUILTIN_INCLUDE_DIRECTORIES",
    "ARM_NONE_EABI_PROBLEM",
    "arm_none_eabi_tool",
)

_C_COMPILE = [ACTION_NAMES.c_compile, ACTION_NAMES.assemble, ACTION_NAMES.preprocess_assemble]
_CXX_COMPILE = [ACTION_NAMES.cpp_compile, ACTION_NAMES.cpp_header_parsing, ACTION_NAMES.cpp_module_compile]
_ALL_COMPILE = _C_COMPILE + _CXX_COMPILE
_LINK = [ACTION_NAMES.cpp_link_executable]

def _flags(actions, flags, features = None):
    return flag_set(
        actions = actions,
        flag_groups = [flag_group(flags = flags)],
        with_features = [with_feature_set(features = features)] if features else [],
    )

def _impl(ctx):
    if ARM_NONE_EABI_PROBLEM:
        fail(ARM_NONE_EABI_PROBLEM + "\nInstall the toolchain (tools/setup.sh) or point " +
             "--repo_env=ARM_NONE_EABI_ROOT=<prefix> at one.")
    tools = ["gcc", "ld", "ar", "cpp", "nm", "objcopy", "objdump", "strip", "gcov"]
    tool_paths = [tool_path(name = t, path = arm_none_eabi_tool(t)) for t in tools]
    tool_paths.append(tool_path(name = "dwp", path = "/bin/false"))

    core_flags = ctx.attr.core_flags

    # Named default_* so Bazel orders them before user copts/linkopts.
    default_compile_flags = feature(
        name = "default_compile_flags",
        enabled = True,
        flag_sets = [
            _flags(_ALL_COMPILE, core_flags + [
                "-ffunction-sections",
                "-fdata-sections",
                "-fno-common",
                "-g",
                # Keep header paths as Bazel sees them (external repositories
                # are symlinks into /usr/src) for include checking.
                "-no-canonical-prefixes",
                "-fno-canonical-system-headers",
                # Reproducible objects: no build path or time in the output.
                "-ffile-prefix-map=/proc/self/cwd/=",
                "-Wno-builtin-macro-redefined",
                "-D__DATE__=\"redacted\"",
                "-D__TIME__=\"redacted\"",
                "-D__TIMESTAMP__=\"redacted\"",
            ]),
            _flags(_CXX_COMPILE, [
                "-std=c++20",
                "-fno-exceptions",
                "-fno-rtti",
                "-fno-threadsafe-statics",
                "-fno-use-cxa-atexit",
            ]),
            _flags(_ALL_COMPILE, ["-Og"], ["dbg"]),
            _flags(_ALL_COMPILE, ["-O2"], ["fastbuild"]),
            _flags(_ALL_COMPILE, ["-O2", "-DNDEBUG"], ["opt"]),
        ],
    )

    # Freestanding link: the board support package brings the start-up code
    # (-nostartfiles) and the linker script; libraries come from newlib.
    default_link_flags = feature(
        name = "default_link_flags",
        enabled = True,
        flag_sets = [
            flag_set(
                actions = _LINK,
                flag_groups = [flag_group(flags = core_flags + [
                    "-nostartfiles",
                    "-Wl,--gc-sections",
                    "-Wl,--build-id=none",
                ])],
            ),
        ],
    )

    features = [
        feature(name = "dbg"),
        feature(name = "fastbuild"),
        feature(name = "opt"),
        default_compile_flags,
        default_link_flags,
        feature(name = "supports_pic", enabled = False),
    ]

    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        toolchain_identifier = "arm-none-eabi-" + ctx.attr.core,
        host_system_name = "x86_64-linux-gnu",
        target_system_name = "arm-none-eabi",
        target_cpu = ctx.attr.core,
        target_libc = "newlib",
        compiler = "gcc",
        abi_version = "eabi",
        abi_libc_version = "newlib",
        tool_paths = tool_paths,
        features = features,
        cxx_builtin_include_directories = ARM_NONE_EABI_BUILTIN_INCLUDE_DIRECTORIES,
    )

arm_none_eabi_toolchain_config = rule(
    implementation = _impl,
    attrs = {
        "core": attr.string(mandatory = True),
        "core_flags": attr.string_list(mandatory = True),
    },
    provides = [CcToolchainConfigInfo],
)
