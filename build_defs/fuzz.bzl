"""fuzz_test: a libFuzzer target and a bounded run of it under `bazel test`.

fuzz_test(name, srcs, deps, corpus, runs) creates:
  name_fuzzer  a cc_binary defining LLVMFuzzerTestOneInput, built only for
               //platforms:host_fuzz, where toolchain resolution picks
               clang 14 with libFuzzer, ASan and UBSan
               (//toolchains/clang_fuzz); other builds skip it as
               incompatible.
  name         a test that runs every checked-in corpus input, then new
               inputs from a fixed seed until `runs` executions or
               `max_seconds` have passed, and fails on any crash,
               sanitizer report, leak or timeout. It builds name_fuzzer
               through a transition to //platforms:host_fuzz, so a plain
               `bazel test //...` (gcc for everything else) runs it.

`bazel run //pkg:name -- --seconds=S --workdir=DIR` (tools/fuzz.sh) fuzzes
for S seconds instead, keeping the inputs it finds in DIR/corpus and any
crash in DIR.
"""

load("//build_defs:platform_flags.bzl", "PLATFORM_FLAG_INPUTS", "PLATFORM_FLAG_OUTPUTS", "is_sanitizer_flag", "platform_without_flags")

# The fuzz toolchain brings its own sanitizer set; the host build's
# (-fsanitize=thread would clash with it) stays out.
def _fuzz_transition_impl(settings, attr):
    return platform_without_flags(settings, "//platforms:host_fuzz", is_sanitizer_flag)

_fuzz_transition = transition(
    implementation = _fuzz_transition_impl,
    inputs = PLATFORM_FLAG_INPUTS,
    outputs = PLATFORM_FLAG_OUTPUTS,
)

def _corpus_dir(ctx):
    dirs = {f.short_path.rpartition("/")[0]: None for f in ctx.files.corpus}
    if len(dirs) != 1:
        fail("corpus: every file must be in one directory, got %s" % sorted(dirs.keys()))
    return dirs.keys()[0]

def _fuzz_test_impl(ctx):
    fuzzer = ctx.attr.fuzzer[0][DefaultInfo]
    executable = fuzzer.files_to_run.executable
    runner = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.expand_template(
        template = ctx.file._runner_template,
        output = runner,
        is_executable = True,
        substitutions = {
            "%{workspace}": ctx.workspace_name,
            "%{fuzzer}": executable.short_path,
            "%{corpus}": _corpus_dir(ctx),
            "%{runs}": str(ctx.attr.runs),
            "%{max_seconds}": str(ctx.attr.max_seconds),
            "%{max_len}": str(ctx.attr.max_len),
            "%{name}": ctx.label.name,
            "%{dict}": ctx.file.dict.short_path if ctx.file.dict else "",
        },
    )
    runfiles = ctx.runfiles(files = [executable] + ctx.files.corpus + ctx.files.dict)
    runfiles = runfiles.merge(fuzzer.default_runfiles)
    return [DefaultInfo(executable = runner, runfiles = runfiles)]

_fuzz_test = rule(
    implementation = _fuzz_test_impl,
    test = True,
    attrs = {
        "fuzzer": attr.label(mandatory = True, executable = True, cfg = _fuzz_transition),
        "corpus": attr.label_list(allow_files = True, mandatory = True),
        "runs": attr.int(mandatory = True),
        "max_seconds": attr.int(mandatory = True),
        "max_len": attr.int(mandatory = True),
        "dict": attr.label(allow_single_file = True),
        "_runner_template": attr.label(
            default = "//build_defs:fuzz_runner.sh.tpl",
            allow_single_file = True,
        ),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)

def fuzz_test(name, srcs, corpus, runs, max_seconds = 5, max_len = 4096, dict = None, deps = [], size = "small", tags = [], **kwargs):
    """A libFuzzer target `name_fuzzer` and its bounded run `name`.

    Args:
      name: the test; the fuzzer binary is name + "_fuzzer".
      srcs: sources defining LLVMFuzzerTestOneInput.
      corpus: the seed inputs, all files of one directory.
      runs: executions per `bazel test` run (corpus included); chosen so
        that the run takes about 3 s on an idle machine.
      max_seconds: the run ends after this long whatever `runs` says, so
        that a loaded machine (CI, parallel builds) still keeps the fuzz
        tests within their time budget; only reproducible when `runs`
        ends it first.
      max_len: the largest input libFuzzer generates.
      dict: a libFuzzer dictionary (tokens the input format uses).
      deps: the code under test.
      size: the test size.
      tags: tags of the test.
      **kwargs: passed to the cc_binary.
    """
    native.cc_binary(
        name = name + "_fuzzer",
        srcs = srcs,
        deps = deps,
        target_compatible_with = ["//platforms:fuzzing"],
        **kwargs
    )
    _fuzz_test(
        name = name,
        fuzzer = ":" + name + "_fuzzer",
        corpus = corpus,
        runs = runs,
        max_seconds = max_seconds,
        max_len = max_len,
        dict = dict,
        size = size,
        tags = tags,
        target_compatible_with = [
            "@platforms//cpu:x86_64",
            "@platforms//os:linux",
        ],
    )
