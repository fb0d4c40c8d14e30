"""Release bundles of a firmware image, one per board.

release_bundle(name, image, board, budget) puts into <package>/<board>/:
  <product>.elf, <product>.bin, <product>.map  the image as linked
  budget.json, budget.txt   memory budget report (tools/release:budget_report);
                            the action fails when the image breaks its board's
                            memory regions or the declared budget
  build_info.txt            source revision (under --stamp), board, core,
                            toolchain, QEMU and Bazel versions
  SHA256SUMS                sha256sum -c manifest of all of the above
  SIGNATURE                 "signature: none": the build never signs; after
                            it, `bazel run //tools/release:sign` writes a
                            signed copy whose SIGNATURE holds an Ed25519
                            signature over SHA256SUMS
and <package>/<product>-<board>.tar, the same files in a tar with fixed
order, times and owners. See apps/release/README.md.
"""

load("//build_defs:arm_none_eabi.bzl", "arm_none_eabi_tool")
load("//build_defs:boards.bzl", "BOARDS")

ReleaseBundleInfo = provider(
    doc = "The files of one board's release bundle.",
    fields = {
        "board": "board name",
        "files": "dict: name inside the bundle -> File (everything but SHA256SUMS and the tar)",
        "manifest": "the SHA256SUMS File",
        "signature": "the SIGNATURE File (unsigned)",
        "tar": "the bundle as a tar File",
        "image_config": "the output directory name (bazel-out/<this>/bin) the image was built in",
    },
)

# The toolchain's binaries (//build_defs:arm_none_eabi.bzl, as for the
# cc_toolchain). These only read the linked image; QEMU is asked for its
# version only.
_GCC = arm_none_eabi_tool("gcc")
_OBJCOPY = arm_none_eabi_tool("objcopy")
_OBJDUMP = arm_none_eabi_tool("objdump")
_QEMU = "/usr/bin/qemu-system-arm"

# Fixed metadata and order, so equal files give an equal archive.
_TAR_FLAGS = [
    "--format=gnu",
    "--sort=name",
    "--mtime=@0",
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    "--mode=a=r,u+w",
    "--dereference",  # inputs are symlinks in the sandbox
]

def _single(output_group, name):
    files = output_group.to_list()
    if len(files) != 1:
        fail("expected one %s file from the image, got %s" % (name, files))
    return files[0]

def _copy(ctx, src, dst):
    ctx.actions.run_shell(
        inputs = [src],
        outputs = [dst],
        command = 'cp "$1" "$2"',
        arguments = [src.path, dst.path],
        mnemonic = "ReleaseCopy",
        progress_message = "Bundling %s" % dst.short_path,
    )

def _out(ctx, name):
    """A file of the bundle: <package>/<board>/<name>."""
    return ctx.actions.declare_file(ctx.attr.board + "/" + name)

def disassemble(ctx, elf, output):
    """Writes the disassembly of elf that the budget report reads to output."""
    ctx.actions.run_shell(
        inputs = [elf],
        outputs = [output],
        command = '"$1" -d --no-show-raw-insn "$2" > "$3"',
        arguments = [_OBJDUMP, elf.path, output.path],
        mnemonic = "ReleaseDisassemble",
        progress_message = "Disassembling %s" % elf.short_path,
    )

def _release_bundle_impl(ctx):
    board = ctx.attr.board
    product = ctx.attr.product
    groups = ctx.attr.image[OutputGroupInfo]
    elf = _single(groups.elf, "elf")
    image_files = {
        product + ".elf": elf,
        product + ".bin": _single(groups.bin, "bin"),
        product + ".map": _single(groups.map, "map"),
    }

    bundle = {}
    for name, src in image_files.items():
        bundle[name] = _out(ctx, name)
        _copy(ctx, src, bundle[name])

    # The stack analysis reads the disassembly; it is not part of the bundle.
    disassembly = ctx.actions.declare_file("%s_%s.objdump.txt" % (product, board))
    disassemble(ctx, elf, disassembly)

    bundle["budget.json"] = _out(ctx, "budget.json")
    bundle["budget.txt"] = _out(ctx, "budget.txt")
    budget_args = ctx.actions.args()
    budget_args.add("--board=" + board)
    budget_args.add("--map=" + image_files[product + ".map"].path)
    budget_args.add("--elf=" + elf.path)
    budget_args.add("--disassembly=" + disassembly.path)
    budget_args.add("--budget=" + ctx.file.budget.path)
    budget_args.add("--json_out=" + bundle["budget.json"].path)
    budget_args.add("--text_out=" + bundle["budget.txt"].path)
    budget_args.add("--enforce=%s" % ("true" if ctx.attr.enforce_budget else "false"))
    ctx.actions.run(
        executable = ctx.executable._budget_report,
        arguments = [budget_args],
        inputs = [elf, image_files[product + ".map"], disassembly, ctx.file.budget],
        outputs = [bundle["budget.json"], bundle["budget.txt"]],
        mnemonic = "ReleaseBudget",
        progress_message = "Checking the memory budget of %s on %s" % (product, board),
    )

    bundle["build_info.txt"] = _out(ctx, "build_info.txt")
    info_inputs = [elf]
    if ctx.attr.stamp:
        # Stable status only: volatile keys would change every build.
        info_inputs.append(ctx.info_file)
        revision = "$(sed -n 's/^STABLE_BUILD_SCM_REVISION //p' %s)" % ctx.info_file.path
    else:
        revision = "unstamped (bazel build --stamp records the source revision)"
    ctx.actions.run_shell(
        inputs = info_inputs,
        outputs = [bundle["build_info.txt"]],
        command = "\n".join([
            "set -euo pipefail",
            # The -mcpu the image was compiled for, as recorded in its DWARF
            # producer strings (the attributes section only names the arch).
            "core=$(grep -a -o -m 1 -e '-mcpu=[a-z0-9.+-]*' \"%s\" | head -n 1 | cut -d= -f2 || true)" % elf.path,
            "{",
            "  echo 'product: %s'" % product,
            "  echo 'board: %s'" % board,
            '  echo "core: ${core:-unknown}"',
            '  echo "revision: %s"' % revision,
            '  echo "toolchain: $(%s --version | head -n 1)"' % _GCC,
            '  echo "qemu: $(%s --version | head -n 1)"' % _QEMU,
            # Debian's Bazel reports no version of its own (`bazel --version`
            # says "no_version"); its package does.
            '  echo "bazel: $(dpkg-query -W -f=\'${Version}\' bazel-bootstrap) (Debian bazel-bootstrap)"',
            "} > %s" % bundle["build_info.txt"].path,
        ]),
        mnemonic = "ReleaseBuildInfo",
        progress_message = "Recording build info of %s on %s" % (product, board),
        # The tool versions come from /usr, which Bazel does not track:
        # never reuse a cached result, so an upgraded toolchain shows up.
        execution_requirements = {"no-cache": "1", "no-remote": "1"},
    )

    manifest = _out(ctx, "SHA256SUMS")
    manifest_args = ctx.actions.args()
    manifest_args.add("--output=" + manifest.path)
    for name in sorted(bundle):
        manifest_args.add("%s=%s" % (name, bundle[name].path))
    ctx.actions.run(
        executable = ctx.executable._sha256_manifest,
        arguments = [manifest_args],
        inputs = bundle.values(),
        outputs = [manifest],
        mnemonic = "ReleaseManifest",
        progress_message = "Hashing the %s bundle" % board,
    )

    # Signing happens after the build (//tools/release:sign), so that no key
    # enters an action, a cache or the sandbox; the built bundle says so.
    # The text is the one tools/release/bundle_signature.cc writes.
    signature = _out(ctx, "SIGNATURE")
    ctx.actions.write(signature, "\n".join([
        "signature: none",
        "note: not signed; sign with bazel run //tools/release:sign -- --key=<private.pem> --out=<dir> <bundle>",
        "",
    ]))

    tar = ctx.actions.declare_file("%s-%s.tar" % (product, board))
    members = [board + "/" + name for name in sorted(bundle.keys() + ["SHA256SUMS", "SIGNATURE"])]
    package_dir = manifest.dirname.rpartition("/")[0]
    ctx.actions.run_shell(
        inputs = bundle.values() + [manifest, signature],
        outputs = [tar],
        command = 'out="$PWD/$1"; dir="$2"; shift 2; tar --create --file="$out" %s -C "$dir" "$@"' %
                  " ".join(_TAR_FLAGS),
        arguments = [tar.path, package_dir] + members,
        mnemonic = "ReleaseTar",
        progress_message = "Archiving %s" % tar.short_path,
    )

    all_files = bundle.values() + [manifest, signature, tar]
    return [
        DefaultInfo(files = depset(all_files), runfiles = ctx.runfiles(files = all_files)),
        ReleaseBundleInfo(
            board = board,
            files = bundle,
            manifest = manifest,
            signature = signature,
            tar = tar,
            image_config = elf.root.path.split("/")[1],
        ),
        OutputGroupInfo(analysis_inputs = depset([elf, image_files[product + ".map"], disassembly])),
    ]

release_bundle = rule(
    implementation = _release_bundle_impl,
    attrs = {
        "image": attr.label(
            mandatory = True,
            doc = "A firmware_image (output groups elf, bin, map).",
        ),
        "board": attr.string(mandatory = True, values = BOARDS),
        "product": attr.string(default = "secure_node", doc = "File name stem inside the bundle."),
        "budget": attr.label(mandatory = True, allow_single_file = [".json"]),
        "enforce_budget": attr.bool(default = True, doc = "Fail the build when the budget is exceeded."),
        "stamp": attr.bool(default = False, doc = "Record the source revision (set from --stamp)."),
        "_budget_report": attr.label(
            default = "//tools/release:budget_report",
            executable = True,
            cfg = "exec",
        ),
        "_sha256_manifest": attr.label(
            default = "//tools/release:sha256_manifest",
            executable = True,
            cfg = "exec",
        ),
    },
    doc = "One board's release bundle of a firmware image (see the file's docstring).",
)

def release_bundles(name, image_prefix, budgets_dir = "budgets", boards = BOARDS, **kwargs):
    """A release bundle for each board and a target `name` building them all.

    Creates name_<board> from image `image_prefix + board` and the budget
    `budgets_dir/<board>.json`.
    """
    for board in boards:
        release_bundle(
            name = "%s_%s" % (name, board),
            image = image_prefix + board,
            board = board,
            budget = "%s/%s.json" % (budgets_dir, board),
            stamp = select({
                "//apps/build_info:stamped": True,
                "//conditions:default": False,
            }),
            **kwargs
        )
    native.filegroup(
        name = name,
        srcs = [":%s_%s" % (name, board) for board in boards],
    )

def _rebuild_configuration_impl(settings, attr):
    _ignore = (settings, attr)
    return {"//build_defs:rebuild_marker": "again"}

# A configuration that differs only in the output directory (a setting
# nothing reads changes its hash, not the length of its name), so every
# compile, link and bundling action of the bundle runs again, elsewhere.
# The other side of the comparison is the bundle as the build makes it
# anyway: one extra build per board, not two.
_rebuild_configuration = transition(
    implementation = _rebuild_configuration_impl,
    inputs = [],
    outputs = ["//build_defs:rebuild_marker"],
)

def _reproducibility_test_impl(ctx):
    bundles = {"a": ctx.attr.bundle, "b": ctx.attr.rebuilt[0]}

    # Both bundles have the same short paths; give each its own runfiles
    # directory so the test sees two sets of files.
    symlinks = {}
    config = {}
    for side in ["a", "b"]:
        info = bundles[side][ReleaseBundleInfo]
        config[side] = info.image_config
        extra = [("SHA256SUMS", info.manifest), ("SIGNATURE", info.signature), ("bundle.tar", info.tar)]
        for name, file in info.files.items() + extra:
            symlinks["bundle_%s/%s" % (side, name)] = file
    lines = [
        "#!/usr/bin/env bash",
        "# Generated by reproducibility_test (build_defs/release.bzl).",
        "set -uo pipefail",
        'config_a="%s"' % config["a"],
        'config_b="%s"' % config["b"],
        'objcopy="%s"' % _OBJCOPY,
        'source "%s"' % ctx.file._compare_lib.short_path,
    ]
    names = sorted(bundles["a"][ReleaseBundleInfo].files.keys()) + ["SIGNATURE", "bundle.tar"]
    for name in names:
        lines.append('compare "%s" "bundle_a/%s" "bundle_b/%s"' % (name, name, name))
    lines.append('check_manifests "bundle_a/SHA256SUMS" "bundle_b/SHA256SUMS"')
    lines.append("finish")
    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.write(script, "\n".join(lines) + "\n", is_executable = True)
    return [DefaultInfo(
        executable = script,
        runfiles = ctx.runfiles(files = [ctx.file._compare_lib], symlinks = symlinks),
    )]

_reproducibility_test = rule(
    implementation = _reproducibility_test_impl,
    test = True,
    attrs = {
        "bundle": attr.label(
            mandatory = True,
            providers = [ReleaseBundleInfo],
        ),
        "rebuilt": attr.label(
            mandatory = True,
            cfg = _rebuild_configuration,
            providers = [ReleaseBundleInfo],
        ),
        "_compare_lib": attr.label(
            default = "//apps/release:compare_bundles.sh",
            allow_single_file = True,
        ),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    doc = "Builds a release bundle again in another configuration and compares the two byte for byte.",
)

def reproducibility_test(name, bundle, **kwargs):
    """The bundle as built, against the same bundle built again elsewhere."""
    _reproducibility_test(name = name, bundle = bundle, rebuilt = bundle, **kwargs)
