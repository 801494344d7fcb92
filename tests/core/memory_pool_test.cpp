// Tests of memory accounting against a budget.
#include <gtest/gtest.h>

#include "core/buffer.h"
#include "core/error.h"

namespace sluice {
namespace {

TEST(MemoryPoolTest, AccountsEveryBufferAndItsRelease) {
  MemoryPool pool;
  {
    auto buffer = Buffer::Make(1000, &pool);
    EXPECT_GE(pool.used(), 1000);
  }
  EXPECT_EQ(pool.used(), 0);
  EXPECT_GE(pool.peak(), 1000);
}

TEST(MemoryPoolTest, RefusesAllocationsBeyondTheBudgetWithAnOutOfMemoryError) {
  MemoryPool pool(4096);
  auto small = Buffer::Make(1024, &pool);
  try {
    auto big = Buffer::Make(8192, &pool);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kOutOfMemory);
    EXPECT_NE(std::string(error.what()).find("memory limit"), std::string::npos);
  }
  EXPECT_EQ(pool.used(), 1024);
}

TEST(BufferTest, KeepsContentsWhenGrowing) {
  Buffer buffer;
  for (int i = 0; i < 1000; ++i) buffer.Append(&i, sizeof(i));
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(buffer.as<int>()[i], i);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(buffer.data()) % 64, 0u);
}

}  // namespace
}  // namespace sluice
