#!/usr/bin/env bash
# clang-format over every C/C++ source and header of the project, with the
# checked-in .clang-format and Debian's clang-format 14 (tools/setup.sh).
#
# Usage (from anywhere in the tree):
#   tools/format.sh                  format every file in place
#   tools/format.sh --check          change nothing; print a diff (file and
#                                    line numbers) for every file clang-format
#                                    would change and exit 1 if there is one
#   tools/format.sh [--check] FILE...   the same for the given files only
#   tools/format.sh --list           print the project's file list
#
# The file list: every *.c, *.cc and *.h in the tree except third_party/
# (Debian's code and test vectors), .git and Bazel's output trees
# (.bazelignore). No checked-in C/C++ file is generator output: the
# Wycheproof table (libs/crypto:wycheproof_aes_gcm_cc) and the stamped build
# id (apps/build_info) are written by genrules into bazel-bin, and the
# generated AES core is assembly (aes_pair_arm.S), which is not formatted.
#
# Bazel runs the same check as //:format_test over the format_sources
# filegroups of the packages (//:BUILD.bazel lists them); the mode
# --coverage FILE... (//:format_coverage_test) fails when those filegroups
# and the list above differ, e.g. for a new package without one.
set -euo pipefail

clang_format=/usr/bin/clang-format
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
style_file="$root/.clang-format"
mode=format
files=()

usage() {
  sed -n '4,12s/^# \{0,1\}//p' "$(readlink -f "${BASH_SOURCE[0]}")" >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) mode=check ;;
    --list) mode=list ;;
    --coverage) mode=coverage ;;
    --style-file=*) style_file="${1#*=}" ;;
    --clang-format=*) clang_format="${1#*=}" ;;
    -h | --help) usage ;;
    --) shift; files+=("$@"); break ;;
    -*) echo "format.sh: unknown option $1" >&2; usage ;;
    *) files+=("$1") ;;
  esac
  shift
done

# The project's C/C++ files, relative to the root, one a line, sorted.
list_files() {
  local prune=(-path ./.git -o -path ./third_party -o -path './bazel-*')
  local dir
  if [[ -f "$root/.bazelignore" ]]; then
    while IFS= read -r dir; do
      dir="${dir%%#*}"
      dir="${dir%/}"
      [[ -n "${dir// /}" ]] && prune+=(-o -path "./$dir")
    done <"$root/.bazelignore"
  fi
  (cd "$root" && find . \( "${prune[@]}" \) -prune -o -type f \
    \( -name '*.c' -o -name '*.cc' -o -name '*.h' \) -print) |
    sed 's|^\./||' | LC_ALL=C sort
}

case "$mode" in
  list)
    list_files
    exit 0
    ;;
  coverage)
    # The files given (the format_sources filegroups, as runfiles paths)
    # against the tree the script lives in.
    expected=$(list_files)
    given=$(printf '%s\n' "${files[@]}" | LC_ALL=C sort -u)
    missing=$(LC_ALL=C comm -23 <(printf '%s\n' "$expected") <(printf '%s\n' "$given"))
    extra=$(LC_ALL=C comm -13 <(printf '%s\n' "$expected") <(printf '%s\n' "$given"))
    if [[ -n "$missing" || -n "$extra" ]]; then
      if [[ -n "$missing" ]]; then
        echo "Not in //:format_sources (so not format-checked by //:format_test):"
        sed 's/^/  /' <<<"$missing"
        echo "Give the package of each a format_sources filegroup (copy one, e.g."
        echo "libs/kdf/BUILD.bazel's, to the end of its BUILD.bazel) and add the"
        echo "package to _FORMAT_PACKAGES in //:BUILD.bazel."
      fi
      if [[ -n "$extra" ]]; then
        echo "In //:format_sources but not C/C++ files of the tree per tools/format.sh --list:"
        sed 's/^/  /' <<<"$extra"
      fi
      exit 1
    fi
    echo "//:format_sources covers all $(printf '%s\n' "$expected" | wc -l) C/C++ files of $root"
    exit 0
    ;;
esac

[[ -x "$clang_format" ]] || { echo "format.sh: no $clang_format (run tools/setup.sh)" >&2; exit 1; }
[[ -f "$style_file" ]] || { echo "format.sh: no style file $style_file" >&2; exit 1; }

if [[ ${#files[@]} -eq 0 ]]; then
  cd "$root"
  mapfile -t files < <(list_files)
fi

if [[ "$mode" == format ]]; then
  "$clang_format" --style="file:$style_file" -i -- "${files[@]}"
  echo "formatted ${#files[@]} files"
  exit 0
fi

# --check: one dry run finds the files clang-format would change, then a
# unified diff of each against clang-format's output shows where.
max_diff_lines=60
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$clang_format" --style="file:$style_file" --dry-run -- "${files[@]}" 2>"$tmp/dry-run"; then
  cat "$tmp/dry-run"
  echo "FAIL: clang-format could not check the files"
  exit 1
fi
mapfile -t bad < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: warning: code should be clang-formatted.*/\1/p' \
  "$tmp/dry-run" | awk '!seen[$0]++')
for f in "${bad[@]}"; do
  "$clang_format" --style="file:$style_file" -- "$f" >"$tmp/out"
  diff -u --label "$f" --label "$f (clang-format)" "$f" "$tmp/out" >"$tmp/diff" || true
  lines=$(wc -l <"$tmp/diff")
  head -n "$max_diff_lines" "$tmp/diff"
  if [[ $lines -gt $max_diff_lines ]]; then
    echo "... ($((lines - max_diff_lines)) more diff lines in $f)"
  fi
done

version=$("$clang_format" --version)
if [[ ${#bad[@]} -gt 0 ]]; then
  echo
  echo "${#bad[@]} of ${#files[@]} files are not formatted ($version, $style_file):"
  printf '  %s\n' "${bad[@]}"
  echo "Run tools/format.sh to format the tree (tools/format.sh FILE... for some files)."
  exit 1
fi
echo "${#files[@]} files formatted as $style_file asks ($version)"
