"""Firmware images and on-board tests built for a board by transition.

A board-neutral program (its code in ordinary cc_library targets) becomes a
board image through an incoming-edge transition that sets --platforms to the
board's platform: toolchain resolution then picks the arm-none-eabi toolchain
for the board's core and //platforms:board selects its board support package.
So one plain host `bazel build //...` builds every board's image.

The rules run the link action themselves so that the linker map is a
declared output next to the ELF and the raw binary.
"""

load("@rules_cc//cc:find_cc_toolchain.bzl", "find_cc_toolchain")
load("//build_defs:arm_none_eabi.bzl", "arm_none_eabi_tool")
load("//build_defs:boards.bzl", "BOARDS", "board_platform")
load("//build_defs:platform_flags.bzl", "PLATFORM_FLAG_INPUTS", "PLATFORM_FLAG_OUTPUTS", "is_sanitizer_flag", "platform_without_flags")

# Host-only instrumentation that --config=asan/--config=tsan adds; there are
# no sanitizer runtimes for bare-metal Arm, so board builds drop these flags.
def _is_host_only_flag(flag):
    return is_sanitizer_flag(flag) or flag == "-fno-omit-frame-pointer"

def _board_transition_impl(settings, attr):
    return platform_without_flags(settings, board_platform(attr.board), _is_host_only_flag)

_board_transition = transition(
    implementation = _board_transition_impl,
    inputs = PLATFORM_FLAG_INPUTS,
    outputs = PLATFORM_FLAG_OUTPUTS,
)

def _link_image(ctx, name):
    """Links deps and the board support into name.elf, name.bin, name.map.

    The link action is written out here rather than taken from
    cc_common.link, which in Bazel 4.2.3 cannot declare the linker map as an
    output. Toolchain flags still come from the toolchain's features; the
    linker script and runtime libraries come from the board support
    package's linkopts, exactly as for a plain cc_binary built for the board.
    """
    cc_toolchain = find_cc_toolchain(ctx)
    feature_configuration = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    elf = ctx.actions.declare_file(name + ".elf")
    map_file = ctx.actions.declare_file(name + ".map")

    action = "c++-link-executable"
    toolchain_flags = cc_common.get_memory_inefficient_command_line(
        feature_configuration = feature_configuration,
        action_name = action,
        variables = cc_common.create_link_variables(
            cc_toolchain = cc_toolchain,
            feature_configuration = feature_configuration,
            output_file = elf.path,
            is_using_linker = True,
        ),
    )
    linking_context = cc_common.merge_cc_infos(
        cc_infos = [dep[CcInfo] for dep in ctx.attr.deps + [ctx.attr._board_support]],
    ).linking_context

    args = ctx.actions.args()
    args.add_all(toolchain_flags)

    # One group: the start-up code, linked last as the deepest dependency,
    # refers back to main() and to the board hooks.
    args.add("-Wl,--start-group")
    inputs = []
    user_link_flags = []
    for linker_input in linking_context.linker_inputs.to_list():
        for library in linker_input.libraries:
            archive = library.static_library or library.pic_static_library
            if not archive:
                continue
            inputs.append(archive)
            if library.alwayslink:
                args.add_all(["-Wl,--whole-archive", archive, "-Wl,--no-whole-archive"])
            else:
                args.add(archive)
        user_link_flags.extend(linker_input.user_link_flags)
        inputs.extend(linker_input.additional_inputs)
    args.add("-Wl,--end-group")
    args.add_all(user_link_flags)
    args.add("-Wl,-Map=" + map_file.path)

    ctx.actions.run(
        executable = cc_common.get_tool_for_action(
            feature_configuration = feature_configuration,
            action_name = action,
        ),
        arguments = [args],
        inputs = depset(inputs, transitive = [cc_toolchain.all_files]),
        outputs = [elf, map_file],
        mnemonic = "FirmwareLink",
        progress_message = "Linking firmware %s" % elf.short_path,
    )

    bin = ctx.actions.declare_file(name + ".bin")
    ctx.actions.run(
        executable = cc_toolchain.objcopy_executable,
        arguments = ["-O", "binary", elf.path, bin.path],
        inputs = [elf],
        outputs = [bin],
        mnemonic = "ObjcopyBin",
        progress_message = "Extracting raw image %s" % bin.short_path,
    )
    return struct(elf = elf, bin = bin, map = map_file)

def _write_runner(ctx, elf, extra_flags = [], launcher = None):
    """An executable that boots elf under QEMU (bazel run / bazel test).

    launcher: the script that is given run_firmware.sh's arguments (default:
    run_firmware.sh itself; board tests use run_board_test.sh)."""
    launcher = launcher or ctx.attr._run_firmware
    runner = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.write(
        output = runner,
        is_executable = True,
        content = "\n".join([
            "#!/usr/bin/env bash",
            "# Boots %s on %s under QEMU." % (elf.short_path, ctx.attr.board),
            'cd "${RUNFILES_DIR:-$0.runfiles}/%s" 2>/dev/null || true' % ctx.workspace_name,
            "# What symbolizes a crash report (run_board_test.sh).",
            'export ARM_NONE_EABI_ADDR2LINE="${ARM_NONE_EABI_ADDR2LINE:-%s}"' % arm_none_eabi_tool("addr2line"),
            'exec %s --board=%s %s %s "$@"' % (
                launcher[DefaultInfo].files_to_run.executable.short_path,
                ctx.attr.board,
                " ".join(extra_flags),
                elf.short_path,
            ),
            "",
        ]),
    )
    runfiles = ctx.runfiles(files = [elf]).merge(launcher[DefaultInfo].default_runfiles)
    return runner, runfiles

_COMMON_ATTRS = {
    "board": attr.string(mandatory = True, values = BOARDS),
    "deps": attr.label_list(providers = [CcInfo]),
    "_board_support": attr.label(default = "//platforms:board"),
    "_run_firmware": attr.label(
        default = "//platforms/qemu:run_firmware",
        executable = True,
        cfg = "exec",
    ),
    "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}

def _firmware_image_impl(ctx):
    image = _link_image(ctx, ctx.label.name)
    extra = ["--icount"] if ctx.attr.icount else []
    runner, runfiles = _write_runner(ctx, image.elf, extra)
    return [
        DefaultInfo(
            files = depset([image.elf, image.bin, image.map]),
            executable = runner,
            runfiles = runfiles,
        ),
        OutputGroupInfo(elf = depset([image.elf]), bin = depset([image.bin]), map = depset([image.map])),
    ]

firmware_image = rule(
    implementation = _firmware_image_impl,
    cfg = _board_transition,
    executable = True,
    attrs = dict(_COMMON_ATTRS, icount = attr.bool(
        default = False,
        doc = "bazel run boots the image with -icount shift=0 (instruction-count benchmarks).",
    )),
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    fragments = ["cpp"],
    incompatible_use_toolchain_transition = True,
    doc = "A board image (ELF, raw .bin, linker map) of deps, built for `board`; `bazel run` boots it in QEMU.",
)

def _firmware_board_test_impl(ctx):
    image = _link_image(ctx, ctx.label.name)
    runner, runfiles = _write_runner(ctx, image.elf, launcher = ctx.attr._run_board_test)
    return [
        DefaultInfo(executable = runner, runfiles = runfiles, files = depset([image.elf])),
        OutputGroupInfo(elf = depset([image.elf])),
    ]

_firmware_board_test = rule(
    implementation = _firmware_board_test_impl,
    cfg = _board_transition,
    test = True,
    attrs = dict(_COMMON_ATTRS, _run_board_test = attr.label(
        default = "//platforms/qemu:run_board_test",
        executable = True,
        cfg = "exec",
    )),
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    fragments = ["cpp"],
    incompatible_use_toolchain_transition = True,
)

def firmware_test(name, srcs = [], deps = [], size = "small", tags = [], boards = BOARDS, shard_count = None, **kwargs):
    """One GoogleTest source, tested on the host and on every board.

    Creates:
      name           a host cc_test;
      name_<board>   the same test linked for <board> and run under QEMU
                     (console output in the test log, exit status = result,
                     one test.xml entry per GoogleTest case).
    Both take --test_arg=--gtest_filter=... and --test_filter, and are split
    into shard_count shards if it is given (each case runs in one shard).
    """
    native.cc_test(
        name = name,
        srcs = srcs,
        # Under --config=<board> this test is built for the board itself.
        deps = deps + ["@com_google_googletest//:gtest_main"] + select({
            "//platforms:bare_metal": ["//platforms/common:test_heap"],
            "//conditions:default": [],
        }),
        size = size,
        tags = tags,
        shard_count = shard_count,
        **kwargs
    )
    native.cc_library(
        name = name + "_board_lib",
        testonly = True,
        srcs = srcs,
        deps = deps + ["@com_google_googletest//:gtest_main"],
        alwayslink = True,
        tags = ["manual"],
        **kwargs
    )
    for board in boards:
        _firmware_board_test(
            name = name + "_" + board,
            board = board,
            deps = [
                ":" + name + "_board_lib",
                "//platforms/common:test_heap",
            ],
            size = size,
            tags = tags + ["board", board],
            shard_count = shard_count,
        )

def firmware_benchmark(name, srcs = [], deps = [], boards = BOARDS, **kwargs):
    """An instruction-count benchmark program for every board.

    Creates name_<board>: a board image that `bazel run` boots under QEMU
    with -icount shift=0, so board::ReadCycleCounter() differences are
    exact instruction counts (see //platforms/bench:instruction_count.h).
    """
    native.cc_library(
        name = name + "_lib",
        srcs = srcs,
        deps = deps + ["//platforms/bench:instruction_count"],
        alwayslink = True,
        tags = ["manual"],
        **kwargs
    )
    for board in boards:
        firmware_image(
            name = name + "_" + board,
            board = board,
            icount = True,
            # Benchmarks may use snprintf, which can allocate.
            deps = [":" + name + "_lib", "//platforms/common:test_heap"],
        )
