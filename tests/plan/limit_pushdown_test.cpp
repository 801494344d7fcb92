// Limit pushdown: below projections, merged limits, bounded union inputs.
#include <gtest/gtest.h>

#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::FakeScan;
using test::Spine;

TEST(LimitPushdownTest, MovesALimitBelowAProjection) {
  PlanPtr plan = MakeLimit(MakeProject(FakeScan(), {(col("a") * 2).alias("x")}), 3, 10);
  PlanPtr pushed = LimitPushdown(plan);
  ASSERT_EQ(Spine(pushed), "Project Limit Scan");
  EXPECT_EQ(pushed->inputs[0]->offset, 3);
  EXPECT_EQ(pushed->inputs[0]->count, 10);
  EXPECT_EQ(pushed->schema->ToString(), plan->schema->ToString());
}

TEST(LimitPushdownTest, MergesAdjacentLimits) {
  // Rows 2.. of rows 5..15 are rows 7..15: 8 rows, then at most 4 of them.
  PlanPtr merged = LimitPushdown(MakeLimit(MakeLimit(FakeScan(), 5, 10), 2, 4));
  ASSERT_EQ(Spine(merged), "Limit Scan");
  EXPECT_EQ(merged->offset, 7);
  EXPECT_EQ(merged->count, 4);
  PlanPtr short_inner = LimitPushdown(MakeLimit(MakeLimit(FakeScan(), 0, 3), 2, 4));
  EXPECT_EQ(short_inner->offset, 2);
  EXPECT_EQ(short_inner->count, 1);
  PlanPtr past_end = LimitPushdown(MakeLimit(MakeLimit(FakeScan(), 0, 3), 5, 4));
  EXPECT_EQ(past_end->count, 0);
  PlanPtr open_inner = LimitPushdown(MakeLimit(MakeLimit(FakeScan(), 4, -1), 1, 2));
  EXPECT_EQ(open_inner->offset, 5);
  EXPECT_EQ(open_inner->count, 2);
}

TEST(LimitPushdownTest, BoundsEveryUnionInput) {
  PlanPtr plan = MakeLimit(MakeUnion({FakeScan("x.parquet"), FakeScan("y.parquet")}), 2, 5);
  PlanPtr pushed = LimitPushdown(plan);
  ASSERT_EQ(Spine(pushed), "Limit Union Limit Scan");
  for (const PlanPtr& input : pushed->inputs[0]->inputs) {
    ASSERT_EQ(input->kind, PlanKind::kLimit);
    EXPECT_EQ(input->offset, 0);
    EXPECT_EQ(input->count, 7);
  }
  // Running again adds nothing.
  EXPECT_EQ(ExplainPlan(LimitPushdown(pushed)), ExplainPlan(pushed));
}

TEST(LimitPushdownTest, LeavesALimitOverAScanOrAFilter) {
  PlanPtr over_scan = MakeLimit(FakeScan(), 0, 10);
  EXPECT_EQ(LimitPushdown(over_scan), over_scan);
  PlanPtr over_filter = MakeLimit(MakeFilter(FakeScan(), col("a") > 1), 0, 10);
  EXPECT_EQ(LimitPushdown(over_filter), over_filter);
}

}  // namespace
}  // namespace sluice
