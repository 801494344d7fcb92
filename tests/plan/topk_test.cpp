// Sort + limit into top-k.
#include <gtest/gtest.h>

#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::FakeScan;
using test::Spine;

PlanPtr Sorted(std::optional<int64_t> limit = std::nullopt) {
  return MakeSort(FakeScan(), {{col("a"), true, std::nullopt}}, limit);
}

TEST(TopKTest, ALimitOverASortBecomesATopKSort) {
  PlanPtr top = TopK(MakeLimit(Sorted(), 0, 100));
  ASSERT_EQ(Spine(top), "Sort Scan");
  EXPECT_EQ(top->limit, 100);
  EXPECT_TRUE(top->sort_keys[0].descending);
}

TEST(TopKTest, AnOffsetKeepsTheLimitAndWidensTheTopK) {
  PlanPtr top = TopK(MakeLimit(Sorted(), 5, 10));
  ASSERT_EQ(Spine(top), "Limit Sort Scan");
  EXPECT_EQ(top->offset, 5);
  EXPECT_EQ(top->count, 10);
  EXPECT_EQ(top->inputs[0]->limit, 15);
}

TEST(TopKTest, ALimitOverATopKKeepsTheSmallerLimit) {
  EXPECT_EQ(TopK(MakeLimit(Sorted(3), 0, 10))->limit, 3);
  EXPECT_EQ(TopK(MakeLimit(Sorted(30), 0, 10))->limit, 10);
}

TEST(TopKTest, LeavesAnOpenEndedSliceAlone) {
  PlanPtr plan = MakeLimit(Sorted(), 5, -1);
  EXPECT_EQ(TopK(plan), plan);
}

TEST(TopKTest, LeavesALimitOverAnythingElseAlone) {
  PlanPtr plan = MakeLimit(MakeFilter(Sorted(), col("a") > 1), 0, 10);
  EXPECT_EQ(TopK(plan), plan);
}

}  // namespace
}  // namespace sluice
