# Comparison steps of reproducibility_test (sourced by the generated test).
#
# The two bundles were built in output directories whose names differ
# (bazel-out/$config_a vs bazel-out/$config_b, equal in length). That name
# is recorded in the linker map (archive paths) and in the ELF's DWARF
# (-frandom-seed in DW_AT_producer, _virtual_includes header paths), where
# the linker's merging of .debug_str then also orders the strings
# differently. So:
#   * the map must be identical once one name is put in place of the other;
#   * the ELF must be identical, or identical without its debug sections
#     (objcopy --strip-debug: code, data, symbols, section layout);
#   * the tar must list the same members with the same metadata (its members
#     are compared one by one above it);
#   * everything else must be identical as is.
# Between two builds in the same configuration (tools/release/
# check_reproducible.sh) every file, the ELF and the tar included, is
# identical byte for byte.
#
# The generated test sets config_a, config_b and objcopy (the toolchain's,
# from build_defs/arm_none_eabi.bzl) before sourcing this file.

failures=0

# compare NAME FILE_A FILE_B
compare() {
  local name="$1" a="$2" b="$3"
  if cmp -s "$a" "$b"; then
    echo "identical:                       $name"
    return
  fi
  case "$name" in
    *.map)
      if [[ ${#config_a} -eq ${#config_b} ]] &&
        LC_ALL=C sed "s|$config_b|$config_a|g" "$b" | cmp -s "$a" -; then
        echo "identical but for the output dir: $name"
        return
      fi
      ;;
    *.elf)
      "$objcopy" --strip-debug "$a" "$TEST_TMPDIR/a.elf"
      "$objcopy" --strip-debug "$b" "$TEST_TMPDIR/b.elf"
      if cmp -s "$TEST_TMPDIR/a.elf" "$TEST_TMPDIR/b.elf"; then
        echo "identical but for debug info:    $name"
        return
      fi
      ;;
    *.tar)
      if cmp -s <(tar --list --verbose --numeric-owner --file="$a") \
        <(tar --list --verbose --numeric-owner --file="$b"); then
        echo "same members and metadata:       $name"
        return
      fi
      ;;
  esac
  echo "FAIL: $name differs between the two builds:"
  cmp "$a" "$b" | head -n 5
  failures=$((failures + 1))
}

# check_manifests SHA256SUMS_A SHA256SUMS_B: each manifest matches its
# bundle, and lists the same digests for every file that must be identical.
check_manifests() {
  local manifest
  for manifest in "$1" "$2"; do
    if ! (cd "$(dirname "$manifest")" && sha256sum --check --quiet SHA256SUMS); then
      echo "FAIL: $manifest does not match its bundle"
      failures=$((failures + 1))
    fi
  done
  if diff <(grep -v -E '\.(elf|map)$' "$1") <(grep -v -E '\.(elf|map)$' "$2"); then
    echo "identical:                       SHA256SUMS (but for the .elf and .map lines)"
  else
    echo "FAIL: the manifests differ"
    failures=$((failures + 1))
  fi
}

finish() {
  echo "configurations: $config_a vs $config_b"
  if [[ $failures -ne 0 ]]; then
    echo "$failures difference(s): the release build is not reproducible"
    exit 1
  fi
  echo "reproducible"
}
