"""sizing_gate_test: the budget gate on the node built at other sizings.

A product sizes the node with the flags of //apps/secure_node/config, and a
release bundle's budget gate must judge the image as sized. A test cannot
run builds, so the images are built with the test, in the same build: each
board's node again, with a sizing's settings applied by a transition
(node_sizing_transition: the flags set as the command line would set them,
kept through the board transition). The test (sizing_gate_test.sh) runs the
gate on each image as a release bundle does (the budget report on its ELF,
map and disassembly, with the board's declared budget) and checks that the
measured RAM moved from the default image's as the sizing says, and that the
gate passes, or fails with its usual message, as the declared budget says.
"""

load("//apps/secure_node/config:defaults.bzl", "NODE_SIZING_DEFAULTS")
load("//apps/secure_node/config:node_sizing.bzl", "NODE_SIZING_ATTRS", "node_sizing_transition")
load("//build_defs:boards.bzl", "BOARDS")
load("//build_defs:release.bzl", "disassemble")

def _sized_node_impl(ctx):
    groups = ctx.attr.image[0][OutputGroupInfo]
    elf = groups.elf.to_list()[0]
    map_file = groups.map.to_list()[0]

    # Under names of their own: in the test's runfiles the default image's
    # files have the same paths as these.
    files = []
    for src, suffix in [(elf, ".elf"), (map_file, ".map")]:
        link = ctx.actions.declare_file(ctx.label.name + suffix)
        ctx.actions.symlink(output = link, target_file = src)
        files.append(link)
    disassembly = ctx.actions.declare_file(ctx.label.name + ".objdump.txt")
    disassemble(ctx, elf, disassembly)
    files.append(disassembly)
    return [DefaultInfo(files = depset(files), runfiles = ctx.runfiles(files = files))]

# The ELF, map and disassembly of `image` built with the given sizing.
_sized_node = rule(
    implementation = _sized_node_impl,
    attrs = dict(
        NODE_SIZING_ATTRS,
        image = attr.label(mandatory = True, cfg = node_sizing_transition),
    ),
)

def _image_args(board, sizing, expect, settings, inputs):
    """The test's arguments for one image: its board, sizing and files."""
    effective = dict(NODE_SIZING_DEFAULTS[board])
    effective.update(settings)
    return [
        board,
        sizing,
        expect,
        "$(rootpath budgets/%s.json)" % board,
        ",".join([str(n) for n in effective["pool_block_sizes"]]),
        ",".join([str(n) for n in effective["pool_blocks"]]),
        str(effective["key_slots"]),
        "$(rootpaths %s)" % inputs,
    ]

def sizing_gate_test(name, sizings, boards = BOARDS, **kwargs):
    """The gate on each board's node at each of `sizings`.

    Args:
      name: the test; its script is name + ".sh".
      sizings: dict name -> dict: "expect", "over" or "within" the board's
        declared budget, and the settings (flag name -> value).
      boards: the boards to build for.
      **kwargs: passed to the sh_test.
    """
    args = ["$(rootpath //tools/release:budget_report)"]
    data = ["//tools/release:budget_report"]
    for board in boards:
        # The default image: the release bundle's own analysis inputs.
        args += _image_args(board, "default", "within", {}, ":analysis_inputs_" + board)
        data += [":analysis_inputs_" + board, "budgets/%s.json" % board]
        for sizing, spec in sizings.items():
            settings = {k: v for k, v in spec.items() if k != "expect"}
            image = "%s_%s_%s" % (name, sizing, board)
            _sized_node(
                name = image,
                testonly = True,
                image = "//apps/secure_node:secure_node_" + board,
                **settings
            )
            args += _image_args(board, sizing, spec["expect"], settings, ":" + image)
            data.append(":" + image)
    native.sh_test(
        name = name,
        srcs = [name + ".sh"],
        args = args,
        data = data,
        **kwargs
    )
