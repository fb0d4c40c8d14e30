"""//libs/crypto/tools/aes_pair_gen:reference_aes_test: the textbook AES
the generator's check compares against is AES: FIPS-197 known answers for
the S-box, the key expansion and the cipher (Appendices A, B and C), and
the bit-plane transpose it uses is its own inverse."""

import os
import random
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aes_pair_gen.reference_aes import (GMUL, SBOX, aes_encrypt, expand_key,  # noqa: E402
                                        py_transpose)


def be_word(w):
    """A key-schedule word (kept little-endian: byte 0 lowest) as FIPS-197
    prints it (byte 0 first)."""
    return "%08x" % int.from_bytes(w.to_bytes(4, "little"), "big")


class ReferenceAesTest(unittest.TestCase):
    def test_sbox_entries(self):
        # FIPS-197 Figure 7.
        self.assertEqual(SBOX[0x00], 0x63)
        self.assertEqual(SBOX[0x01], 0x7C)
        self.assertEqual(SBOX[0x53], 0xED)
        self.assertEqual(SBOX[0xFF], 0x16)
        self.assertEqual(SBOX[0x9A], 0xB8)
        self.assertEqual(sorted(SBOX), list(range(256)))

    def test_field_multiplication(self):
        # FIPS-197 Section 4.2: {57} * {83} = {c1}, {57} * {13} = {fe}.
        self.assertEqual(GMUL(0x57, 0x83), 0xC1)
        self.assertEqual(GMUL(0x57, 0x13), 0xFE)

    def test_key_expansion_appendix_a(self):
        key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
        w, nr = expand_key(key)
        self.assertEqual(nr, 10)
        self.assertEqual(len(w), 44)
        self.assertEqual(be_word(w[4]), "a0fafe17")
        self.assertEqual(be_word(w[43]), "b6630ca6")
        key = bytes.fromhex("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b")
        w, nr = expand_key(key)
        self.assertEqual((nr, len(w)), (12, 52))
        self.assertEqual(be_word(w[51]), "01002202")
        key = bytes.fromhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
        w, nr = expand_key(key)
        self.assertEqual((nr, len(w)), (14, 60))
        self.assertEqual(be_word(w[59]), "706c631e")

    def test_cipher_appendix_b(self):
        key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
        pt = bytes.fromhex("3243f6a8885a308d313198a2e0370734")
        self.assertEqual(aes_encrypt(key, pt).hex(), "3925841d02dc09fbdc118597196a0b32")

    def test_cipher_appendix_c(self):
        pt = bytes.fromhex("00112233445566778899aabbccddeeff")
        for kb, ct in ((16, "69c4e0d86a7b0430d8cdb78070b4c55a"),
                       (24, "dda97ca4864cdfe06eaf70a0ec0d7191"),
                       (32, "8ea2b7ca516745bfeafc49904b496089")):
            with self.subTest(key_bytes=kb):
                self.assertEqual(aes_encrypt(bytes(range(kb)), pt).hex(), ct)

    def test_transpose_is_an_involution(self):
        rng = random.Random(3)
        for _ in range(50):
            q = [rng.getrandbits(32) for _ in range(8)]
            self.assertEqual(py_transpose(py_transpose(q)), q)
        # Word index bits are exchanged with the low three bits of the bit
        # index in each byte lane: bit 0 of word 1 is bit 1 of word 0.
        self.assertEqual(py_transpose([0, 1, 0, 0, 0, 0, 0, 0]), [2, 0, 0, 0, 0, 0, 0, 0])


if __name__ == "__main__":
    unittest.main()
