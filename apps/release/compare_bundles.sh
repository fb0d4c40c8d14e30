# Comparison steps of reproducibility_test (sourced by the generated test).
#
# The two bundles were built in output directories whose names differ
# (bazel-out/$config_a vs bazel-out/$config_b, equal in length). That name
# legitimately appears in the ELF's debug information (-frandom-seed in
# DW_AT_producer, _virtual_includes header paths) and in the linker map,
# and so inside the tar; those files must be identical once one name is
# put in place of the other. Everything else must be identical as is.

failures=0

# compare NAME FILE_A FILE_B
compare() {
  local name="$1" a="$2" b="$3"
  if cmp -s "$a" "$b"; then
    echo "identical:                       $name"
    return
  fi
  case "$name" in
    *.elf | *.map | tar)
      if [[ ${#config_a} -ne ${#config_b} ]]; then
        echo "FAIL: $name differs and the configurations' names differ in length"
        failures=$((failures + 1))
        return
      fi
      # Byte-for-byte substitution (same length), binary-safe in the C locale.
      if LC_ALL=C sed "s|$config_b|$config_a|g" "$b" | cmp -s "$a" -; then
        echo "identical but for the output dir: $name"
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
