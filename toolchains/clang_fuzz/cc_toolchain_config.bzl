"""cc_toolchain_config for Debian's clang 14 building libFuzzer targets.

Every object is instrumented for coverage-guided fuzzing, AddressSanitizer
and UndefinedBehaviorSanitizer; every executable links libFuzzer's main()
and the sanitizer runtimes. The toolchain is chosen only for platforms
with the //platforms:fuzzing constraint (//platforms:host_fuzz), which
build_defs/fuzz.bzl transitions to: the default host toolchain stays gcc.
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

_CLANG = "/usr/bin/clang-14"

_C_COMPILE = [ACTION_NAMES.c_compile, ACTION_NAMES.assemble, ACTION_NAMES.preprocess_assemble]
_CXX_COMPILE = [ACTION_NAMES.cpp_compile, ACTION_NAMES.cpp_header_parsing, ACTION_NAMES.cpp_module_compile]
_ALL_COMPILE = _C_COMPILE + _CXX_COMPILE
_LINK = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

# Abort at the first finding of either sanitizer: a fuzzer only learns of a
# defect that ends the process.
_SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]

def _flags(actions, flags, features = None):
    return flag_set(
        actions = actions,
        flag_groups = [flag_group(flags = flags)],
        with_features = [with_feature_set(features = features)] if features else [],
    )

def _impl(ctx):
    tool_paths = [
        tool_path(name = "gcc", path = _CLANG),
        tool_path(name = "cpp", path = "/usr/bin/clang-cpp-14"),
        tool_path(name = "ld", path = "/usr/bin/ld"),
        tool_path(name = "ar", path = "/usr/bin/ar"),
        tool_path(name = "nm", path = "/usr/bin/nm"),
        tool_path(name = "objcopy", path = "/usr/bin/objcopy"),
        tool_path(name = "objdump", path = "/usr/bin/objdump"),
        tool_path(name = "strip", path = "/usr/bin/strip"),
        tool_path(name = "gcov", path = "/bin/false"),
        tool_path(name = "dwp", path = "/bin/false"),
    ]

    # Named default_* so Bazel orders them before user copts/linkopts.
    default_compile_flags = feature(
        name = "default_compile_flags",
        enabled = True,
        flag_sets = [
            _flags(_ALL_COMPILE, _SANITIZE + [
                # Coverage feedback and comparison tracing, no main().
                "-fsanitize=fuzzer-no-link",
                "-fno-omit-frame-pointer",
                "-g",
                # -O1 keeps stack traces readable and still runs fast.
                "-O1",
                "-no-canonical-prefixes",
                # Reproducible objects: no build path or time in the output.
                "-ffile-prefix-map=/proc/self/cwd/=",
                "-Wno-builtin-macro-redefined",
                "-D__DATE__=\"redacted\"",
                "-D__TIME__=\"redacted\"",
                "-D__TIMESTAMP__=\"redacted\"",
            ]),
            _flags(_CXX_COMPILE, ["-std=c++20"]),
            # Fuzzing a release-style build: assertions that only guard
            # debug builds would hide what the firmware really does.
            _flags(_ALL_COMPILE, ["-DNDEBUG"], ["opt"]),
        ],
    )

    # The driver is clang (C), so the C++ runtime, and UBSan's C++ part
    # (needed for -fsanitize=vptr), are named explicitly.
    default_link_flags = feature(
        name = "default_link_flags",
        enabled = True,
        flag_sets = [
            _flags(_LINK, _SANITIZE + [
                "-fsanitize=fuzzer",
                "-fsanitize-link-c++-runtime",
                "-lstdc++",
                "-lm",
            ]),
        ],
    )

    features = [
        feature(name = "dbg"),
        feature(name = "fastbuild"),
        feature(name = "opt"),
        feature(name = "supports_pic", enabled = True),
        default_compile_flags,
        default_link_flags,
    ]

    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        toolchain_identifier = "clang14-libfuzzer",
        host_system_name = "x86_64-linux-gnu",
        target_system_name = "x86_64-linux-gnu",
        target_cpu = "k8",
        target_libc = "glibc",
        compiler = "clang",
        abi_version = "local",
        abi_libc_version = "local",
        tool_paths = tool_paths,
        features = features,
        # Where clang 14 finds its headers on Debian: its own resource
        # directory and GCC 12's libstdc++ under /usr.
        cxx_builtin_include_directories = [
            "/usr/lib/llvm-14/lib/clang",
            "/usr/lib/clang",
            "/usr/lib/gcc/x86_64-linux-gnu",
            "/usr/include",
            "/usr/local/include",
        ],
    )

clang_fuzz_toolchain_config = rule(
    implementation = _impl,
    provides = [CcToolchainConfigInfo],
)
