// Instruction counts of the pool fast paths on the boards (QEMU -icount
// shift=0: counter difference = instructions executed). Each measured
// operation is a noinline function, so every figure includes its call and
// return (bl + bx/pop: 2 instructions) and nothing else.
//
//   alloc_<class>         Pool::Allocate() that succeeds
//   free_<class>          checked Pool::Release() beyond the wipe:
//                         free_with_wipe_<class> - wipe_inline_<class>
//   free_with_wipe_<class>  checked Pool::Release(), as called
//   wipe_fixed_<class>    SecureWipeFixed of one block, called
//   wipe_inline_<class>   the wipe Release runs (pool::internal::WipeBlock,
//                         the same stores as SecureWipeFixed), inlined, on
//                         its own: so it loads all four of its zero
//                         registers. Inside Release two of them come from
//                         the claim step (pool/internal/wipe.h); free_<class>
//                         counts that sharing to the release's credit.
//   wipe_<class>          SecureWipe(void*, size) (run-time length)
//   alloc_empty           Allocate() on an exhausted pool
//   call_alloc / call_free  the same measurement of an empty noinline
//                         function of the same signature (body: `bx lr`,
//                         resp. `movs r0, #0; bx lr`): the harness and call
//                         glue. README reports alloc/free both as measured
//                         and net of this.
//   local_*               the same for LocalPool (no exclusives)
#include <cstddef>
#include <cstdint>

#include "base/secure_wipe.h"
#include "base/status.h"
#include "platforms/bench/instruction_count.h"
#include "pool/internal/wipe.h"
#include "pool/pool.h"

namespace {

constinit pool::Pool<64, 32, 16> g_pool64;
constinit pool::Pool<256, 16, 16> g_pool256;
constinit pool::Pool<1024, 8, 16> g_pool1024;
constinit pool::Pool<4096, 4, 16> g_pool4096;
constinit pool::Pool<64, 1, 16> g_pool_one;
constinit pool::LocalPool<64, 32, 16> g_local64;

void* volatile g_sink;
volatile int g_status;

template <typename P>
[[gnu::noinline]] void* DoAllocate(P& p) {
  return p.Allocate();
}

template <typename P>
[[gnu::noinline]] base::Status DoRelease(P& p, void* block) {
  return p.Release(block);
}

// Call-glue baselines: what a measurement of DoAllocate/DoRelease costs
// when the pool operation itself is empty.
template <typename P>
[[gnu::noinline]] void* EmptyAllocate(P& p) {
  asm volatile("" : : "r"(&p));
  return &p;
}

template <typename P>
[[gnu::noinline]] base::Status EmptyRelease(P& p, void* block) {
  asm volatile("" : : "r"(&p), "r"(block));
  return base::OkStatus();
}

template <std::size_t kBytes>
[[gnu::noinline]] void DoWipeFixed(void* block) {
  base::SecureWipeFixed<kBytes, 16>(block);
}

[[gnu::noinline]] void DoWipe(void* block, std::size_t size) {
  base::SecureWipe(block, size);
}

// Median of five runs: the counts repeat exactly, the median only guards
// against a first-touch outlier.
template <typename Fn>
std::uint64_t Measure(Fn&& fn) {
  std::uint64_t runs[5];
  for (auto& r : runs) r = board_bench::CountInstructions(fn);
  for (int i = 0; i < 5; ++i) {
    for (int j = i + 1; j < 5; ++j) {
      if (runs[j] < runs[i]) {
        const std::uint64_t t = runs[i];
        runs[i] = runs[j];
        runs[j] = t;
      }
    }
  }
  return runs[2];
}

template <typename P>
void MeasureClass(P& p, const char* alloc_name, const char* free_name,
                  const char* free_wipe_name, const char* wipe_fixed_name,
                  const char* wipe_inline_name, const char* wipe_name) {
  constexpr std::size_t kBytes = P::block_size();
  void* block = nullptr;
  // Allocate then release the same block: the pool is back in the same
  // state, so every run of the pair is identical.
  std::uint64_t alloc_runs[5];
  std::uint64_t free_runs[5];
  for (int i = 0; i < 5; ++i) {
    alloc_runs[i] =
        board_bench::CountInstructions([&] { block = DoAllocate(p); });
    free_runs[i] = board_bench::CountInstructions(
        [&] { g_status = static_cast<int>(DoRelease(p, block).raw()); });
    if (block == nullptr || g_status != 0) board_bench::Report("ERROR", 0);
  }
  auto median = [](std::uint64_t* r) {
    for (int i = 0; i < 5; ++i)
      for (int j = i + 1; j < 5; ++j)
        if (r[j] < r[i]) {
          const std::uint64_t t = r[i];
          r[i] = r[j];
          r[j] = t;
        }
    return r[2];
  };
  const std::uint64_t alloc = median(alloc_runs);
  const std::uint64_t free_with_wipe = median(free_runs);
  block = p.Allocate();
  const std::uint64_t wipe_fixed = Measure([&] { DoWipeFixed<kBytes>(block); });
  const std::uint64_t wipe_inline =
      Measure([&] { pool::internal::WipeBlock<kBytes, 16>(block); });
  const std::uint64_t wipe = Measure([&] { DoWipe(block, kBytes); });
  static_cast<void>(p.Release(block));
  // The wipe inside Release is inlined: subtract the inlined wipe (with
  // its own zero registers).
  const std::uint64_t wipe_body = wipe_inline;
  board_bench::Report(alloc_name, alloc);
  board_bench::Report(
      free_name, free_with_wipe > wipe_body ? free_with_wipe - wipe_body : 0);
  board_bench::Report(free_wipe_name, free_with_wipe, kBytes);
  board_bench::Report(wipe_fixed_name, wipe_fixed, kBytes);
  board_bench::Report(wipe_inline_name, wipe_inline, kBytes);
  board_bench::Report(wipe_name, wipe, kBytes);
}

}  // namespace

int main() {
  MeasureClass(g_pool64, "alloc_64", "free_64", "free_with_wipe_64",
               "wipe_fixed_64", "wipe_inline_64", "wipe_64");
  MeasureClass(g_pool256, "alloc_256", "free_256", "free_with_wipe_256",
               "wipe_fixed_256", "wipe_inline_256", "wipe_256");
  MeasureClass(g_pool1024, "alloc_1024", "free_1024", "free_with_wipe_1024",
               "wipe_fixed_1024", "wipe_inline_1024", "wipe_1024");
  MeasureClass(g_pool4096, "alloc_4096", "free_4096", "free_with_wipe_4096",
               "wipe_fixed_4096", "wipe_inline_4096", "wipe_4096");
  MeasureClass(g_local64, "local_alloc_64", "local_free_64",
               "local_free_with_wipe_64", "local_wipe_fixed_64",
               "local_wipe_inline_64", "local_wipe_64");
  void* sink = nullptr;
  board_bench::Report("call_alloc",
                      Measure([&] { sink = EmptyAllocate(g_pool64); }));
  g_sink = sink;
  board_bench::Report(
      "call_free", Measure([&] {
        g_status = static_cast<int>(EmptyRelease(g_pool64, sink).raw());
      }));
  void* only = g_pool_one.Allocate();
  g_sink = only;
  board_bench::Report("alloc_empty",
                      Measure([] { g_sink = DoAllocate(g_pool_one); }));
  return 0;
}
