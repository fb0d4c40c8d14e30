"""Serves Debian's rules_cc tree to Bazel 4.2.3.

Debian's `bazel-rules-cc` package ships a rules_cc that is newer than Debian's
Bazel (`bazel-bootstrap` 4.2.3). Three spots use APIs that 4.2.3 lacks:

  * `cc/private/rules_impl/cc_flags_supplier.bzl` and `compiler_flag.bzl` load
    `use_cpp_toolchain` from `@bazel_tools` (added in Bazel 5);
  * `cc/find_cc_toolchain.bzl` calls `config_common.toolchain_type(...,
    mandatory = ...)` (added in Bazel 6).

This rule mirrors the Debian tree with symlinks and writes patched copies of
just those files. Each rewrite names the exact text it replaces and fails the
fetch if that text is missing, so a Debian update that changes the files is
reported at once instead of being silently half-patched.
"""

_TOOLCHAIN_TYPE = '"@bazel_tools//tools/cpp:toolchain_type"'

_REWRITES = {
    "cc/private/rules_impl/cc_flags_supplier.bzl": [
        (
            'load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain", "use_cpp_toolchain")',
            'load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")',
        ),
        ("toolchains = use_cpp_toolchain(),", "toolchains = [%s]," % _TOOLCHAIN_TYPE),
    ],
    "cc/private/rules_impl/compiler_flag.bzl": [
        (
            'load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain", "use_cpp_toolchain")',
            'load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")',
        ),
        ("toolchains = use_cpp_toolchain(),", "toolchains = [%s]," % _TOOLCHAIN_TYPE),
    ],
    "cc/find_cc_toolchain.bzl": [
        (
            "return [config_common.toolchain_type(CC_TOOLCHAIN_TYPE, mandatory = mandatory)]",
            "return [CC_TOOLCHAIN_TYPE]",
        ),
    ],
}

def _debian_rules_cc_impl(rctx):
    src = rctx.attr.path
    if not rctx.path(src + "/cc/defs.bzl").exists:
        fail("Debian rules_cc not found at %s: run tools/setup.sh (package bazel-rules-cc)." % src)

    # `cp -rs` builds the symlink mirror; Starlark has no recursive walk.
    result = rctx.execute(["cp", "-rs", src + "/.", "."])
    if result.return_code != 0:
        fail("mirroring %s failed: %s" % (src, result.stderr))

    for relpath, rewrites in _REWRITES.items():
        text = rctx.read(src + "/" + relpath)
        for old, new in rewrites:
            if old not in text:
                fail(("debian_rules_cc: %s no longer contains\n  %s\n" +
                      "The Debian rules_cc package changed; update %s.") %
                     (relpath, old, "build_defs/repositories/debian_rules_cc.bzl"))
            text = text.replace(old, new)
        rctx.delete(relpath)
        rctx.file(relpath, text, executable = False)

debian_rules_cc = repository_rule(
    implementation = _debian_rules_cc_impl,
    attrs = {"path": attr.string(default = "/usr/share/bazel/rules/cc")},
    local = True,
    doc = "Debian's rules_cc, patched to load under Bazel 4.2.3.",
)
