// The wipe is not optimised away: built at -O2 with link-time optimisation
// (see BUILD.bazel), in the spirit of glibc's tst-xbzero-opt.
//
// A victim function puts a secret in a local array, hands its address to an
// opaque sink (so the secret really is written), wipes it and returns. To
// the optimiser the wipe is then a dead store: the array's lifetime ends
// right after it. The victim runs on a stack this test owns (a static
// array; the switch is a few lines of inline assembly), so after it returns
// the test can scan that memory - an ordinary global object - for the
// secret, without reading any object after its lifetime.
//
// Positive control: a victim that does not wipe leaves the secret where the
// scan finds it, so the scan itself is shown to work.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "base/secure_wipe.h"
#include "gtest/gtest.h"

namespace {

constexpr std::size_t kSecretBytes = 160;
constexpr std::uint8_t kPattern[8] = {0xDE, 0xC0, 0xAD, 0x0B,
                                      0xF0, 0x0D, 0x5E, 0xC7};

alignas(16) std::array<std::byte, 16384> g_stack;

// Calls fn() with the stack pointer at the top of g_stack.
void RunOnOwnStack(void (*fn)()) {
  std::byte* top = g_stack.data() + g_stack.size();
#if defined(__arm__)
  asm volatile(
      "mov r4, sp\n\t"
      "mov sp, %[top]\n\t"
      "blx %[fn]\n\t"
      "mov sp, r4"
      :
      : [top] "r"(top), [fn] "r"(fn)
      : "r0", "r1", "r2", "r3", "r4", "r12", "lr", "cc", "memory", "d0", "d1",
        "d2", "d3", "d4", "d5", "d6", "d7"
#if defined(__ARM_NEON)
        ,
        "d16", "d17", "d18", "d19", "d20", "d21", "d22", "d23", "d24", "d25",
        "d26", "d27", "d28", "d29", "d30", "d31"
#endif
  );
#elif defined(__x86_64__)
  asm volatile(
      "mov %%rsp, %%rbx\n\t"
      "mov %[top], %%rsp\n\t"
      "call *%[fn]\n\t"
      "mov %%rbx, %%rsp"
      :
      : [top] "r"(top), [fn] "r"(fn)
      : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
        "cc", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
        "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
        "xmm15");
#else
#error "RunOnOwnStack: unsupported architecture"
#endif
}

// Makes the secret observable to the optimiser as written.
[[gnu::noinline]] void Sink(const void* p) {
  asm volatile("" : : "r"(p) : "memory");
}

void FillSecret(unsigned char* secret) {
  for (std::size_t i = 0; i < kSecretBytes; ++i)
    secret[i] = kPattern[i % sizeof kPattern];
}

[[gnu::noinline]] void VictimSecureWipe() {
  alignas(8) unsigned char secret[kSecretBytes];
  FillSecret(secret);
  Sink(secret);
  base::SecureWipe(secret, sizeof secret);
}

[[gnu::noinline]] void VictimMemset() {
  alignas(8) unsigned char secret[kSecretBytes];
  FillSecret(secret);
  Sink(secret);
  std::memset(secret, 0, sizeof secret);  // a dead store: may be removed
}

[[gnu::noinline]] void VictimNoWipe() {
  alignas(8) unsigned char secret[kSecretBytes];
  FillSecret(secret);
  Sink(secret);
}

// Occurrences of the 8-byte pattern in the owned stack.
std::size_t CountPattern() {
  std::size_t found = 0;
  for (std::size_t i = 0; i + sizeof kPattern <= g_stack.size(); ++i) {
    if (std::memcmp(g_stack.data() + i, kPattern, sizeof kPattern) == 0)
      ++found;
  }
  return found;
}

std::size_t RunAndScan(void (*victim)()) {
  g_stack.fill(std::byte{0});
  RunOnOwnStack(victim);
  return CountPattern();
}

TEST(SecureWipeElisionTest, ScanFindsAnUnwipedSecret) {
  EXPECT_GE(RunAndScan(&VictimNoWipe), kSecretBytes / sizeof kPattern - 1);
}

TEST(SecureWipeElisionTest, SecureWipeOfADeadBufferHappens) {
  EXPECT_EQ(RunAndScan(&VictimSecureWipe), 0u);
}

// Not an assertion: whether plain memset survives depends on the compiler.
// Printed so that a reader can see the danger the test guards against.
TEST(SecureWipeElisionTest, ReportsWhetherPlainMemsetWasElided) {
  const std::size_t left = RunAndScan(&VictimMemset);
  std::printf("plain memset of a dead buffer: %s (%u pattern copies left)\n",
              left == 0 ? "kept" : "ELIDED by the optimiser",
              static_cast<unsigned>(left));
  // The secret was written (the positive control shows the scan works);
  // memset either cleared all of it or none of it.
  EXPECT_TRUE(left == 0 || left >= kSecretBytes / sizeof kPattern - 1);
}

}  // namespace
