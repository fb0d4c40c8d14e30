#!/usr/bin/env bash
# Writes compile_commands.json (next to WORKSPACE; not in git) for clangd
# and other tools, from the compile actions Bazel would run.
#
#   tools/compile_commands.sh [--config=NAME]... [--no-build] [--out=FILE] [TARGET...]
#
# TARGET defaults to //... . Each --config is one configuration: "host"
# (the default) or a board config of .bazelrc (mps3_an536,
# versatilepb_r5f). For every config the targets are built first (so that
# generated headers and Bazel's _virtual_includes trees exist; --no-build
# skips that) and `bazel aquery --output=jsonproto` lists their C/C++
# compiles, which tools/compile_commands/generate.py turns into one entry
# per file, from the first config that compiles it. So:
#
#   tools/compile_commands.sh                      host flags; board-only
#                                                  files with their board's
#   tools/compile_commands.sh --config=mps3_an536  everything as compiled
#                                                  for the Cortex-R52 board
#
# Board entries run /usr/bin/arm-none-eabi-gcc (or the ARM_NONE_EABI_ROOT
# toolchain): start clangd with --query-driver=/usr/bin/arm-none-eabi-gcc so
# that it takes that compiler's target and built-in include directories.
set -euo pipefail

workspace=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$workspace/compile_commands.json"
configs=()
targets=()
build=1
for arg in "$@"; do
  case "$arg" in
    --config=*) configs+=("${arg#--config=}") ;;
    --out=*) out=${arg#--out=} ;;
    --no-build) build=0 ;;
    -h | --help)
      sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    -*) echo "compile_commands.sh: unknown option $arg" >&2; exit 2 ;;
    *) targets+=("$arg") ;;
  esac
done
[[ ${#configs[@]} -gt 0 ]] || configs=(host)
[[ ${#targets[@]} -gt 0 ]] || targets=(//...)
[[ "$out" == /* ]] || out="$PWD/$out"

cd "$workspace"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/compile_commands.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# The query's target set: "set(//a //b/...)" for several.
query_targets="set(${targets[*]})"
aqueries=()
for config in "${configs[@]}"; do
  flags=()
  [[ "$config" == host ]] || flags=("--config=$config")
  if [[ $build -eq 1 ]]; then
    echo "compile_commands.sh: bazel build ${flags[*]} ${targets[*]}" >&2
    bazel build "${flags[@]}" -- "${targets[@]}"
  fi
  # The configuration's own output directory: bazel-out/<name>/bin.
  bin=$(bazel info "${flags[@]}" bazel-bin 2>/dev/null)
  name=$(basename "$(dirname "$bin")")
  bazel aquery "${flags[@]}" --output=jsonproto \
    "mnemonic('CppCompile', deps($query_targets))" >"$scratch/$config.json" 2>"$scratch/$config.log" || {
    cat "$scratch/$config.log" >&2
    exit 1
  }
  aqueries+=("--aquery=$scratch/$config.json@$name")
done

/usr/bin/python3 "$workspace/tools/compile_commands/generate.py" \
  --workspace="$workspace" \
  --execution-root="$(bazel info execution_root 2>/dev/null)" \
  --output-base="$(bazel info output_base 2>/dev/null)" \
  "${aqueries[@]}" >"$scratch/compile_commands.json"
mv "$scratch/compile_commands.json" "$out"
echo "compile_commands.sh: $(grep -c '"file":' "$out") entries in $out (${configs[*]})" >&2
