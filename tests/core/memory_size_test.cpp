// ParseMemorySize: the sizes --memory-limit, SET memory_limit and pipeline settings accept.
#include "core/memory_size.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sluice {
namespace {

TEST(MemorySizeTest, UnitsAndPercentages) {
  EXPECT_EQ(ParseMemorySize("1024"), 1024);
  EXPECT_EQ(ParseMemorySize("4GB"), 4000000000);
  EXPECT_EQ(ParseMemorySize("512MiB"), 512 << 20);
  int64_t half = ParseMemorySize("50%");
  EXPECT_GT(half, 0);
  EXPECT_LE(half, AvailableMemory());
}

TEST(MemorySizeTest, SizesTooLargeOrMalformedAreErrors) {
  EXPECT_THROW(ParseMemorySize("1e300GB"), Error);
  EXPECT_THROW(ParseMemorySize("9.3e18"), Error);
  EXPECT_THROW(ParseMemorySize("150%"), Error);
  EXPECT_THROW(ParseMemorySize("4 parsecs"), Error);
  EXPECT_THROW(ParseMemorySize(""), Error);
}

}  // namespace
}  // namespace sluice
