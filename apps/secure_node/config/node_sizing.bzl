"""The node's sizing as build settings (see defaults.bzl and README.md).

node_sizing(name): a cc_library-like target whose CcInfo carries the sizing
of the node for the board being built, as preprocessor definitions read by
apps/secure_node/node_resources.h:

  SECURE_NODE_POOL_BLOCK_SIZES  e.g. 64,256,1024,4160
  SECURE_NODE_POOL_BLOCKS       e.g. 16,16,8,6
  SECURE_NODE_KEY_SLOTS         e.g. 16
  SECURE_NODE_WORKSPACE_BUFFER_BYTES  e.g. 64

Each value is the flag's when it is set, else the board's default. The board
is the one the target is configured for (//platforms:is_<board>, so a board
image's platform transition picks it), "host" elsewhere. Here the values are
only checked to be numbers; what makes a sizing valid is checked where it is
used, by the static_asserts of node_resources.h.

node_sizing_transition and NODE_SIZING_ATTRS: for a rule attribute that
builds its targets with a given sizing, as if given on the command line
(tests that compare sizings within one build).
"""

load("@bazel_skylib//rules:common_settings.bzl", "BuildSettingInfo")
load("//build_defs:boards.bzl", "BOARDS")
load(":defaults.bzl", "NODE_SIZING_DEFAULTS")

_PACKAGE = "//apps/secure_node/config"

# The flags and the C++ definition each becomes.
_LIST_SETTINGS = {
    "pool_block_sizes": "SECURE_NODE_POOL_BLOCK_SIZES",
    "pool_blocks": "SECURE_NODE_POOL_BLOCKS",
}
_INT_SETTINGS = {
    "key_slots": "SECURE_NODE_KEY_SLOTS",
    "workspace_buffer_bytes": "SECURE_NODE_WORKSPACE_BUFFER_BYTES",
}

# The value of an int flag that is not set: the board's default applies.
UNSET = -1

def _flag(name):
    return "%s:%s" % (_PACKAGE, name)

def _numbers(name, values):
    numbers = []
    for value in values:
        text = value.strip()
        if not text.isdigit():
            fail("--%s=%s: '%s' is not a whole number" % (_flag(name), ",".join(values), value))
        numbers.append(int(text, 10))
    return numbers

def _node_sizing_impl(ctx):
    board = ctx.attr.board
    if board not in NODE_SIZING_DEFAULTS:
        fail("no node sizing for board '%s': add its defaults to apps/secure_node/config/defaults.bzl" % board)
    defaults = NODE_SIZING_DEFAULTS[board]
    defines = []
    for name, define in _LIST_SETTINGS.items():
        values = getattr(ctx.attr, "_" + name)[BuildSettingInfo].value
        numbers = _numbers(name, values) if values else defaults[name]
        defines.append("%s=%s" % (define, ",".join([str(n) for n in numbers])))
    for name, define in _INT_SETTINGS.items():
        value = getattr(ctx.attr, "_" + name)[BuildSettingInfo].value
        defines.append("%s=%d" % (define, defaults[name] if value == UNSET else value))
    return [CcInfo(compilation_context = cc_common.create_compilation_context(
        defines = depset(defines),
    ))]

_node_sizing = rule(
    implementation = _node_sizing_impl,
    attrs = dict(
        [("board", attr.string(mandatory = True))] +
        [("_" + name, attr.label(default = _flag(name))) for name in _LIST_SETTINGS.keys() + _INT_SETTINGS.keys()],
    ),
    provides = [CcInfo],
    doc = "The node's sizing for the configured board as C++ definitions.",
)

def node_sizing(name, **kwargs):
    _node_sizing(
        name = name,
        board = select(dict(
            [("//platforms:is_" + board, board) for board in BOARDS] +
            [("//conditions:default", "host")],
        )),
        **kwargs
    )

def _sizing_transition_impl(settings, attr):
    out = {}
    for name in _LIST_SETTINGS.keys():
        values = getattr(attr, name)
        out[_flag(name)] = [str(v) for v in values] if values else settings[_flag(name)]
    for name in _INT_SETTINGS.keys():
        value = getattr(attr, name)
        out[_flag(name)] = value if value != UNSET else settings[_flag(name)]
    return out

_ALL_FLAGS = [_flag(name) for name in _LIST_SETTINGS.keys() + _INT_SETTINGS.keys()]

# Sets the flags from the attributes of NODE_SIZING_ATTRS that are given,
# as the command line would; the board transition of the image keeps them.
node_sizing_transition = transition(
    implementation = _sizing_transition_impl,
    inputs = _ALL_FLAGS,
    outputs = _ALL_FLAGS,
)

# Attributes of a rule whose `image` attribute uses node_sizing_transition.
NODE_SIZING_ATTRS = {
    "pool_block_sizes": attr.int_list(doc = "As --%s; empty: as configured." % _flag("pool_block_sizes")),
    "pool_blocks": attr.int_list(doc = "As --%s; empty: as configured." % _flag("pool_blocks")),
    "key_slots": attr.int(default = UNSET, doc = "As --%s; %d: as configured." % (_flag("key_slots"), UNSET)),
    "workspace_buffer_bytes": attr.int(
        default = UNSET,
        doc = "As --%s; %d: as configured." % (_flag("workspace_buffer_bytes"), UNSET),
    ),
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}
