// Zeroing of secrets that the compiler may not remove.
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_SECURE_WIPE_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_SECURE_WIPE_H_

#include <cstddef>

namespace crypto {

// Sets n bytes at p to zero. Unlike a plain memset on an object that is
// about to die, this store is never elided as dead (see secure_wipe.cc).
void SecureWipe(void* p, std::size_t n);

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_SECURE_WIPE_H_
