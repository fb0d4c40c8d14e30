// Host benchmarks (Google Benchmark), one binary, one run:
//   bazel run -c opt //libs/pool:pool_benchmark
//
// * Alloc+free pair, single thread, per size class: this pool (the free
//   includes the secure wipe of the whole block, which none of the others
//   do) vs glibc malloc/free, std::pmr::unsynchronized_pool_resource,
//   std::pmr::synchronized_pool_resource and boost::pool.
// * Wipe cost per size class (SecureWipeFixed as used by the pools, and the
//   run-time-length SecureWipe).
// * LocalPool (same checks and wipe, single-thread contract: no atomic
//   read-modify-writes), single thread.
// * The floor for a shared pool: one and two uncontended locked RMWs.
// * Contended: 8 threads on one shared pool / malloc / synchronized pmr.
#include <benchmark/benchmark.h>

#include <atomic>
#include <boost/pool/pool.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory_resource>

#include "base/secure_wipe.h"
#include "pool/pool.h"

namespace {

template <std::size_t kBytes, std::size_t kCount>
pool::Pool<kBytes, kCount, 16>& SharedPool() {
  static constinit pool::Pool<kBytes, kCount, 16> p;
  return p;
}

template <std::size_t kBytes>
void BM_Pool(benchmark::State& state) {
  auto& p = SharedPool<kBytes, 32>();
  for (auto _ : state) {
    void* b = p.Allocate();
    benchmark::DoNotOptimize(b);
    benchmark::DoNotOptimize(p.Release(b));
  }
}

template <std::size_t kBytes>
void BM_LocalPool(benchmark::State& state) {
  static constinit pool::LocalPool<kBytes, 32, 16> p;
  for (auto _ : state) {
    void* b = p.Allocate();
    benchmark::DoNotOptimize(b);
    benchmark::DoNotOptimize(p.Release(b));
  }
}

// One / two locked read-modify-writes on a private, uncontended line: the
// least a pool shared between threads pays per allocate+release pair for
// race-safe double-release detection (one RMW on release) plus an atomic
// allocation (one on allocate).
void BM_OneAtomicRmw(benchmark::State& state) {
  alignas(64) static std::atomic<std::uint64_t> word{0};
  for (auto _ : state) {
    benchmark::DoNotOptimize(word.fetch_or(1, std::memory_order_acquire));
  }
}

void BM_TwoAtomicRmw(benchmark::State& state) {
  alignas(64) static std::atomic<std::uint64_t> word{0};
  for (auto _ : state) {
    std::uint64_t expected = word.load(std::memory_order_relaxed);
    benchmark::DoNotOptimize(
        word.compare_exchange_weak(expected, expected | 1));
    benchmark::DoNotOptimize(
        word.fetch_and(~std::uint64_t{1}, std::memory_order_release));
  }
}

template <std::size_t kBytes>
void BM_Malloc(benchmark::State& state) {
  for (auto _ : state) {
    void* b = std::malloc(kBytes);
    benchmark::DoNotOptimize(b);
    std::free(b);
  }
}

template <std::size_t kBytes>
void BM_PmrUnsynchronized(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource r;
  for (auto _ : state) {
    void* b = r.allocate(kBytes, 16);
    benchmark::DoNotOptimize(b);
    r.deallocate(b, kBytes, 16);
  }
}

template <std::size_t kBytes>
void BM_PmrSynchronized(benchmark::State& state) {
  std::pmr::synchronized_pool_resource r;
  for (auto _ : state) {
    void* b = r.allocate(kBytes, 16);
    benchmark::DoNotOptimize(b);
    r.deallocate(b, kBytes, 16);
  }
}

template <std::size_t kBytes>
void BM_BoostPool(benchmark::State& state) {
  boost::pool<> p(kBytes);
  for (auto _ : state) {
    void* b = p.malloc();
    benchmark::DoNotOptimize(b);
    p.free(b);
  }
}

template <std::size_t kBytes>
void BM_WipeFixed(benchmark::State& state) {
  alignas(64) static std::byte buffer[kBytes];
  for (auto _ : state) {
    base::SecureWipeFixed<kBytes, 64>(buffer);
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * kBytes));
}

template <std::size_t kBytes>
void BM_Wipe(benchmark::State& state) {
  alignas(64) static std::byte buffer[kBytes];
  for (auto _ : state) {
    base::SecureWipe(buffer, kBytes);
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * kBytes));
}

// Contended: every thread allocates and frees from one shared allocator.
void BM_PoolContended(benchmark::State& state) {
  auto& p = SharedPool<64, 64>();
  for (auto _ : state) {
    void* b = p.Allocate();
    benchmark::DoNotOptimize(b);
    if (b != nullptr) benchmark::DoNotOptimize(p.Release(b));
  }
}

void BM_MallocContended(benchmark::State& state) {
  for (auto _ : state) {
    void* b = std::malloc(64);
    benchmark::DoNotOptimize(b);
    std::free(b);
  }
}

std::pmr::synchronized_pool_resource g_shared_pmr;

void BM_PmrSynchronizedContended(benchmark::State& state) {
  for (auto _ : state) {
    void* b = g_shared_pmr.allocate(64, 16);
    benchmark::DoNotOptimize(b);
    g_shared_pmr.deallocate(b, 64, 16);
  }
}

#define POOL_SIZES(bm)          \
  BENCHMARK_TEMPLATE(bm, 64);   \
  BENCHMARK_TEMPLATE(bm, 256);  \
  BENCHMARK_TEMPLATE(bm, 1024); \
  BENCHMARK_TEMPLATE(bm, 4096)

POOL_SIZES(BM_Pool);
POOL_SIZES(BM_LocalPool);
BENCHMARK(BM_OneAtomicRmw);
BENCHMARK(BM_TwoAtomicRmw);
POOL_SIZES(BM_Malloc);
POOL_SIZES(BM_PmrUnsynchronized);
POOL_SIZES(BM_PmrSynchronized);
POOL_SIZES(BM_BoostPool);
POOL_SIZES(BM_WipeFixed);
POOL_SIZES(BM_Wipe);
BENCHMARK(BM_PoolContended)->Threads(8)->UseRealTime();
BENCHMARK(BM_MallocContended)->Threads(8)->UseRealTime();
BENCHMARK(BM_PmrSynchronizedContended)->Threads(8)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
