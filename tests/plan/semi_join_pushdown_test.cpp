// Semi join pushdown: a semi or anti join over a join moves to the input that supplies its keys,
// when that input's rows are never padded with nulls, renaming suffixed keys back; otherwise the
// plan is left as it was.
#include <gtest/gtest.h>

#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::FakeScan;
using test::FakeSource;

PlanPtr Other() {
  return MakeScan(FakeSource({{"a", Int64(), true}, {"d", Int64(), true}}, "u.parquet"));
}
PlanPtr Keys() { return MakeScan(FakeSource({{"x", Int64(), true}}, "keys.parquet")); }

TEST(SemiJoinPushdownTest, MovesASemiJoinOnLeftColumnsIntoTheLeftInput) {
  PlanPtr join = MakeJoin(FakeScan(), Other(), JoinType::kInner, {col("a")}, {col("a")});
  PlanPtr plan = MakeJoin(join, Keys(), JoinType::kSemi, {col("b")}, {col("x")});
  PlanPtr pushed = SemiJoinPushdown(plan);
  ASSERT_EQ(pushed->kind, PlanKind::kJoin);
  EXPECT_EQ(pushed->join_type, JoinType::kInner);
  const PlanPtr& left = pushed->inputs[0];
  ASSERT_EQ(left->kind, PlanKind::kJoin);
  EXPECT_EQ(left->join_type, JoinType::kSemi);
  EXPECT_EQ(left->left_on[0].ToString(), "b");
  EXPECT_EQ(*pushed->schema, *plan->schema);
}

TEST(SemiJoinPushdownTest, RenamesASuffixedRightColumnWhenMovingIntoTheRightInput) {
  // Without coalescing, the right input's `a` is `a_right` above the join.
  PlanPtr join = MakeJoin(FakeScan(), Other(), JoinType::kInner, {col("b")}, {col("d")},
                          "_right", /*coalesce_keys=*/false);
  PlanPtr plan = MakeJoin(join, Keys(), JoinType::kAnti, {col("a_right")}, {col("x")});
  PlanPtr pushed = SemiJoinPushdown(plan);
  const PlanPtr& right = pushed->inputs[1];
  ASSERT_EQ(right->kind, PlanKind::kJoin);
  EXPECT_EQ(right->join_type, JoinType::kAnti);
  EXPECT_EQ(right->left_on[0].ToString(), "a");
  EXPECT_EQ(*pushed->schema, *plan->schema);
}

TEST(SemiJoinPushdownTest, GoesThroughSeveralJoins) {
  PlanPtr inner = MakeJoin(FakeScan(), Other(), JoinType::kInner, {col("a")}, {col("a")});
  PlanPtr outer = MakeJoin(inner, MakeScan(FakeSource({{"e", Int64(), true}}, "v.parquet")),
                           JoinType::kLeft, {col("c")}, {col("e")});
  PlanPtr plan = MakeJoin(outer, Keys(), JoinType::kSemi, {col("b")}, {col("x")});
  PlanPtr pushed = SemiJoinPushdown(plan);
  EXPECT_EQ(test::Spine(pushed), "Join Join Join Scan");
  EXPECT_EQ(pushed->inputs[0]->inputs[0]->join_type, JoinType::kSemi);
}

TEST(SemiJoinPushdownTest, LeavesSemiJoinsItCannotMove) {
  PlanPtr left_join = MakeJoin(FakeScan(), Other(), JoinType::kLeft, {col("a")}, {col("a")});
  // `d` comes from the side a left join pads with nulls.
  PlanPtr padded = MakeJoin(left_join, Keys(), JoinType::kSemi, {col("d")}, {col("x")});
  EXPECT_EQ(SemiJoinPushdown(padded), padded);
  // Keys from both inputs.
  PlanPtr inner = MakeJoin(FakeScan(), Other(), JoinType::kInner, {col("a")}, {col("a")});
  PlanPtr both = MakeJoin(inner, Keys(), JoinType::kSemi, {col("b") + col("d")}, {col("x")});
  EXPECT_EQ(SemiJoinPushdown(both), both);
  // A residual condition.
  PlanPtr residual = MakeJoin(inner, Keys(), JoinType::kSemi, {col("b")}, {col("x")}, "_right",
                              true, col("c") < col("x"));
  EXPECT_EQ(SemiJoinPushdown(residual), residual);
}

}  // namespace
}  // namespace sluice
