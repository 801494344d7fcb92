// Tests of the allocator's freed pages: counted, given back, and kept within a pool's budget.
// test_core links jemalloc as the programs do; a sanitizer build keeps its own allocator, which
// cannot say, and skips these.
#include "core/allocator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/memory_pool.h"

namespace sluice {
namespace {

constexpr int64_t kMiB = int64_t{1} << 20;

/// Allocates, touches and frees `mib` blocks of 1 MiB: they become freed pages the allocator
/// holds (too large for its thread caches).
void LeaveFreedPages(int mib) {
  std::vector<void*> blocks;
  for (int i = 0; i < mib; ++i) {
    void* block = std::malloc(kMiB);
    std::memset(block, 1, kMiB);
    asm volatile("" : : "r"(block) : "memory");  // Kept: the pages are really touched.
    blocks.push_back(block);
  }
  for (void* block : blocks) std::free(block);
}

TEST(AllocatorTest, CountsItsFreedPagesAndGivesThemBack) {
  if (AllocatorFreedBytes() < 0) GTEST_SKIP() << "the allocator is not jemalloc";
  ReturnAllocatorFreedPages();
  LeaveFreedPages(32);
  EXPECT_GE(AllocatorFreedBytes(), 24 * kMiB);
  ReturnAllocatorFreedPages();
  EXPECT_LT(AllocatorFreedBytes(), 8 * kMiB);
}

TEST(AllocatorTest, APoolGivesFreedPagesBackOnlyWhenTheyAndItsDataWouldPassTheLimit) {
  if (AllocatorFreedBytes() < 0) GTEST_SKIP() << "the allocator is not jemalloc";
  MemoryPool pool;
  pool.SetMemoryLimit(100 * kMiB);  // 80 MiB for data, 20 MiB of headroom.
  ReturnAllocatorFreedPages();
  LeaveFreedPages(40);

  // 10 MiB of data and 40 of freed pages: below the data's share and half the headroom.
  for (int i = 0; i < 10; ++i) pool.Reserve(kMiB);
  EXPECT_GE(AllocatorFreedBytes(), 32 * kMiB);

  // 60 MiB and 40: above it, so the pages go back.
  for (int i = 0; i < 50; ++i) pool.Reserve(kMiB);
  EXPECT_LT(AllocatorFreedBytes(), 8 * kMiB);
  pool.Release(60 * kMiB);
}

}  // namespace
}  // namespace sluice
