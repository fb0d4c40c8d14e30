#!/usr/bin/env bash
# Signing and verifying the real release bundles, with keys made here (the
# openssl command line; no key is checked in):
#   - a built bundle says it is unsigned, and verify reports it so (exit 3);
#   - sign writes a signed tar that verify accepts with the public key, that
#     differs from the built tar only in SIGNATURE, and whose signature the
#     openssl command line accepts too;
#   - another key, one byte changed in the image (in the tar and in a
#     directory bundle), and a changed image with a matching SHA256SUMS all
#     fail verification;
#   - the key can come from $RELEASE_SIGNING_KEY instead of --key.
#
# Usage: signing_test.sh SIGN VERIFY --board=BOARD FILE... [--board=BOARD FILE...]
# (FILEs: the files of that board's release_bundle, the tar among them)
set -uo pipefail

sign=$(readlink -f "$1")
verify=$(readlink -f "$2")
shift 2
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# expect STATUS TEXT -- COMMAND...: COMMAND exits STATUS and prints TEXT.
expect() {
  local want=$1 text=$2 out status
  shift 3
  out=$("$@" 2>&1)
  status=$?
  if [[ $status -ne $want || "$out" != *"$text"* ]]; then
    fail "expected exit $want and '$text' from: $*
got exit $status:
$out"
  else
    echo "ok (exit $status): $(head -n 2 <<<"$out" | paste -sd " ")"
  fi
}
# flip FILE OFFSET: inverts one byte in place.
flip() {
  local byte
  byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "\\x$(printf '%02x' $((byte ^ 0xff)))" |
    dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

work=$TEST_TMPDIR/work
mkdir -p "$work"
(
  cd "$work" &&
    openssl genpkey -algorithm ed25519 -out key.pem 2>/dev/null &&
    openssl pkey -in key.pem -pubout -out key.pub.pem &&
    openssl genpkey -algorithm ed25519 -out other.pem 2>/dev/null &&
    openssl pkey -in other.pem -pubout -out other.pub.pem
) || fail "openssl could not make the test keys"

# check_board BOARD TAR BUNDLE_DIR
check_board() {
  local board=$1 tar=$2 dir=$3 name block hex
  name=$(basename "$tar")
  echo "== $board: $name"

  tar -xOf "$tar" "$board/SIGNATURE" | head -n 1 | grep -qx 'signature: none' ||
    fail "$name: the built SIGNATURE does not say 'signature: none'"
  expect 3 "UNSIGNED" -- "$verify" "$tar"
  expect 0 "UNSIGNED" -- "$verify" --allow-unsigned "$tar"
  expect 3 "UNSIGNED" -- "$verify" "$dir"

  expect 0 "signed $tar" -- "$sign" --key=key.pem --out=signed "$tar"
  expect 0 "OK, signed" -- "$verify" --public-key=key.pub.pem "signed/$name"
  expect 1 "not by the given key" -- "$verify" --public-key=other.pub.pem "signed/$name"
  expect 1 "give --public-key" -- "$verify" "signed/$name"

  # Only SIGNATURE changed: same members, metadata and other contents.
  diff <(tar -tv --numeric-owner -f "$tar" | grep -v '/SIGNATURE$') \
    <(tar -tv --numeric-owner -f "signed/$name" | grep -v '/SIGNATURE$') >/dev/null ||
    fail "$name: the signed tar lists other members or metadata"
  mkdir -p "x_built/$board" "x_signed/$board"
  tar -xf "$tar" -C x_built && tar -xf "signed/$name" -C x_signed || fail "$name: tar -x"
  diff -r --exclude=SIGNATURE "x_built/$board" "x_signed/$board" >/dev/null ||
    fail "$name: signing changed a file other than SIGNATURE"

  # The signature is plain Ed25519 over SHA256SUMS: openssl agrees.
  hex=$(sed -n 's/^value: //p' "x_signed/$board/SIGNATURE")
  printf "$(sed 's/../\\x&/g' <<<"$hex")" >"x_signed/$board.sig"
  expect 0 "Signature Verified Successfully" -- openssl pkeyutl -verify -pubin \
    -inkey key.pub.pem -rawin -in "x_signed/$board/SHA256SUMS" -sigfile "x_signed/$board.sig"

  # One byte of the image inside the signed tar.
  cp "signed/$name" tampered.tar
  block=$(tar -R -tvf tampered.tar | sed -n "s|^block \([0-9]*\): .* $board/secure_node.bin\$|\1|p")
  if [[ -z "$block" ]]; then
    fail "$name: no $board/secure_node.bin member"
  else
    flip tampered.tar $(((block + 1) * 512 + 100))
    expect 1 "secure_node.bin: SHA-256 differs from SHA256SUMS" -- \
      "$verify" --public-key=key.pub.pem tampered.tar
  fi

  # A directory bundle, signed with the key from the environment.
  expect 0 "signed $dir" -- env RELEASE_SIGNING_KEY=key.pem "$sign" --out=signed_dirs "$dir"
  expect 0 "OK, signed" -- "$verify" --public-key=key.pub.pem "signed_dirs/$board"
  flip "signed_dirs/$board/secure_node.bin" 100
  expect 1 "secure_node.bin: SHA-256 differs from SHA256SUMS" -- \
    "$verify" --public-key=key.pub.pem "signed_dirs/$board"
  # ... and with SHA256SUMS made to match: only the signature catches it.
  (cd "signed_dirs/$board" && sed -i "s|^[0-9a-f]*  secure_node.bin\$|$(sha256sum secure_node.bin | cut -d' ' -f1)  secure_node.bin|" SHA256SUMS)
  expect 1 "signature over SHA256SUMS is not valid" -- \
    "$verify" --public-key=key.pub.pem "signed_dirs/$board"
  # A changed bundle is not signed.
  expect 1 "refusing to sign" -- "$sign" --key=key.pem --out=resigned tampered.tar
}

# Each --board=B is followed by its bundle's files (runfiles paths).
top=$PWD
boards=0
while [[ $# -gt 0 ]]; do
  board=${1#--board=}
  shift
  tar="" dir=""
  while [[ $# -gt 0 && "$1" != --board=* ]]; do
    case "$1" in
      *.tar) tar=$(readlink -f "$top/$1") ;;
      */SIGNATURE) dir=$(dirname "$top/$1") ;;
    esac
    shift
  done
  if [[ -z "$tar" || -z "$dir" ]]; then
    fail "$board: no tar or no SIGNATURE among its bundle's files"
    continue
  fi
  cd "$work" && check_board "$board" "$tar" "$dir"
  boards=$((boards + 1))
done
[[ $boards -gt 0 ]] || fail "no bundle given"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "PASS"
