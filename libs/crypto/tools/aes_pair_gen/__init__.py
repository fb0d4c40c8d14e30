"""The generator of libs/crypto/aes_pair_arm.S (see gen_aes_pair_arm.py)."""
