// Group join reduction: an aggregate a join looks up by its keys gets a semi join with the cheap
// input supplying the other side's keys; a supplier that is not cheap or not filtered, or a key
// that is not an aggregate key, leaves the plan as it was. Also semi joins moving below filters and
// projections.
#include <gtest/gtest.h>

#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::FakeScan;
using test::FakeSource;

PlanPtr Facts() {
  return MakeScan(FakeSource({{"k", Int64(), true}, {"q", Int64(), true}}, "facts.parquet"));
}
PlanPtr Parts() {
  return MakeScan(FakeSource({{"pk", Int64(), true}, {"name", Utf8(), true}}, "parts.parquet"));
}

/// facts grouped by k (as ck), summing q (as s), with the projection a decorrelated subquery has.
PlanPtr Grouped() {
  PlanPtr aggregate = MakeAggregate(Facts(), {col("k").alias("ck")}, {col("q").sum().alias("s")});
  return MakeProject(aggregate, {(col("s") * 2).alias("sub"), col("ck")});
}

TEST(GroupJoinReductionTest, SemiJoinsTheAggregateInputWithTheSupplyingInput) {
  // The outer side: rows of t joined with filtered parts; its key `pk` comes from the parts.
  PlanPtr parts = MakeFilter(Parts(), col("name") == "x");
  PlanPtr outer = MakeJoin(FakeScan(), parts, JoinType::kInner, {col("a")}, {col("pk")}, "_right",
                           /*coalesce_keys=*/false);
  PlanPtr plan = MakeJoin(outer, Grouped(), JoinType::kLeft, {col("pk")}, {col("ck")});
  PlanPtr reduced = GroupJoinReduction(plan);
  ASSERT_NE(reduced, plan);
  EXPECT_EQ(*reduced->schema, *plan->schema);
  const PlanPtr& aggregate = reduced->inputs[1]->inputs[0];
  ASSERT_EQ(aggregate->kind, PlanKind::kAggregate);
  const PlanPtr& semi = aggregate->inputs[0];
  ASSERT_EQ(semi->kind, PlanKind::kJoin);
  EXPECT_EQ(semi->join_type, JoinType::kSemi);
  EXPECT_EQ(semi->left_on[0].ToString(), "k");
  EXPECT_EQ(semi->right_on[0].ToString(), "pk");
  EXPECT_EQ(semi->inputs[1], parts);  // The filtered parts, not the whole outer join.
}

TEST(GroupJoinReductionTest, LeavesJoinsItCannotReduce) {
  // The supplier is an aggregate: reading it again is not cheap.
  PlanPtr expensive = MakeAggregate(Parts(), {col("pk")}, {col("name").count().alias("n")});
  PlanPtr plan = MakeJoin(expensive, Grouped(), JoinType::kInner, {col("pk")}, {col("ck")});
  EXPECT_EQ(GroupJoinReduction(plan), plan);
  // The right key is not a group key.
  PlanPtr by_sum = MakeJoin(Parts(), Grouped(), JoinType::kInner, {col("pk")}, {col("sub")});
  EXPECT_EQ(GroupJoinReduction(by_sum), by_sum);
  // Every part supplies a key: a semi join with them would keep every group.
  PlanPtr unfiltered = MakeJoin(Parts(), Grouped(), JoinType::kInner, {col("pk")}, {col("ck")});
  EXPECT_EQ(GroupJoinReduction(unfiltered), unfiltered);
  // A full join keeps the aggregate's unmatched groups.
  PlanPtr full = MakeJoin(Parts(), Grouped(), JoinType::kFull, {col("pk")}, {col("ck")});
  EXPECT_EQ(GroupJoinReduction(full), full);
}

TEST(GroupJoinReductionTest, SemiJoinsMoveBelowFiltersAndRenamingProjections) {
  PlanPtr below =
      MakeProject(MakeFilter(FakeScan(), col("b") > 1), {col("a").alias("x"), col("c")});
  PlanPtr plan = MakeJoin(below, Parts(), JoinType::kSemi, {col("x")}, {col("pk")});
  PlanPtr pushed = SemiJoinPushdown(plan);
  EXPECT_EQ(test::Spine(pushed), "Project Filter Join Scan");
  EXPECT_EQ(pushed->inputs[0]->inputs[0]->left_on[0].ToString(), "a");
  EXPECT_EQ(*pushed->schema, *plan->schema);
}

}  // namespace
}  // namespace sluice
