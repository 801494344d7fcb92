// Projection pushdown: scans read only what is used; unused outputs and no-op projections go.
#include <gtest/gtest.h>

#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::FakeScan;
using test::FakeSource;
using test::Spine;

using Strings = std::vector<std::string>;

/// The scan at the bottom of the first-input chain.
const LogicalPlan& BottomScan(const PlanPtr& plan) {
  const LogicalPlan* node = plan.get();
  while (!node->inputs.empty()) node = node->inputs[0].get();
  return *node;
}

TEST(ProjectionPushdownTest, AScanReadsOnlyTheSelectedColumns) {
  PlanPtr pruned = ProjectionPushdown(MakeProject(FakeScan(), {col("c"), col("a")}));
  ASSERT_EQ(Spine(pruned), "Project Scan");
  EXPECT_EQ(BottomScan(pruned).columns, (Strings{"a", "c"}));
}

TEST(ProjectionPushdownTest, AProjectionThatPassesColumnsThroughDisappears) {
  PlanPtr pruned = ProjectionPushdown(MakeProject(FakeScan(), {col("a"), col("c")}));
  ASSERT_EQ(Spine(pruned), "Scan");
  EXPECT_EQ(pruned->columns, (Strings{"a", "c"}));
}

TEST(ProjectionPushdownTest, FilterColumnsAreRead) {
  PlanPtr plan = MakeProject(MakeFilter(FakeScan(), col("b") > 1), {col("a")});
  PlanPtr pruned = ProjectionPushdown(plan);
  ASSERT_EQ(Spine(pruned), "Project Filter Scan");
  EXPECT_EQ(BottomScan(pruned).columns, (Strings{"a", "b"}));
}

TEST(ProjectionPushdownTest, ScanFilterColumnsNeedNotBeOutput) {
  PlanPtr scan = MakeScan(FakeScan()->source, {}, {col("b") > 1});
  PlanPtr pruned = ProjectionPushdown(MakeProject(scan, {col("a")}));
  ASSERT_EQ(Spine(pruned), "Scan");
  EXPECT_EQ(pruned->columns, (Strings{"a"}));
  EXPECT_EQ(pruned->filters.size(), 1u);
}

TEST(ProjectionPushdownTest, CountingRowsReadsOneCheapColumn) {
  PlanPtr plan = MakeAggregate(FakeScan(), {}, {count_rows()});
  PlanPtr pruned = ProjectionPushdown(plan);
  ASSERT_EQ(Spine(pruned), "Aggregate Scan");
  EXPECT_EQ(BottomScan(pruned).columns, (Strings{"flag"}));
}

TEST(ProjectionPushdownTest, DropsUnusedProjectionAndAggregateOutputs) {
  PlanPtr aggregate = MakeAggregate(FakeScan(), {col("s")},
                                    {col("a").sum().alias("sa"), col("b").max().alias("mb")});
  PlanPtr plan = MakeProject(aggregate, {col("s"), col("sa")});
  PlanPtr pruned = ProjectionPushdown(plan);
  ASSERT_EQ(Spine(pruned), "Aggregate Scan");
  EXPECT_EQ(pruned->aggregates.size(), 1u);
  EXPECT_EQ(BottomScan(pruned).columns, (Strings{"a", "s"}));
  EXPECT_EQ(pruned->schema->ToString(), plan->schema->ToString());
}

TEST(ProjectionPushdownTest, MergesAProjectionIntoTheOneBelow) {
  PlanPtr inner = MakeProject(FakeScan(), {(col("a") * 2).alias("n"), col("b"), col("c")});
  PlanPtr plan = MakeProject(inner, {col("n").alias("m"), col("b")});
  PlanPtr pruned = ProjectionPushdown(plan);
  ASSERT_EQ(Spine(pruned), "Project Scan");
  EXPECT_EQ(pruned->exprs[0].ToString(), (col("a") * 2).alias("m").ToString());
  EXPECT_EQ(BottomScan(pruned).columns, (Strings{"a", "b"}));
  EXPECT_EQ(pruned->schema->ToString(), plan->schema->ToString());
}

TEST(ProjectionPushdownTest, DoesNotMergeWhenThatWouldComputeTwice) {
  PlanPtr inner = MakeProject(FakeScan(), {(col("a") * 2).alias("n")});
  PlanPtr plan = MakeProject(inner, {(col("n") + col("n")).alias("m")});
  EXPECT_EQ(Spine(ProjectionPushdown(plan)), "Project Project Scan");
}

TEST(ProjectionPushdownTest, KeepsARightColumnsSuffix) {
  PlanPtr right =
      MakeScan(FakeSource({{"a", Int64(), true}, {"s", Utf8(), true}, {"d", Int64(), true}}));
  PlanPtr join = MakeJoin(FakeScan(), right, JoinType::kInner, {col("a")}, {col("a")});
  PlanPtr plan = MakeProject(join, {col("s_right"), col("b")});
  PlanPtr pruned = ProjectionPushdown(plan);
  EXPECT_EQ(pruned->schema->ToString(), plan->schema->ToString());
  const PlanPtr& new_join = pruned->inputs[0];
  ASSERT_EQ(new_join->kind, PlanKind::kJoin);
  // The left s stays so that the right one is still called s_right; c and flag go.
  EXPECT_EQ(new_join->inputs[0]->columns, (Strings{"a", "b", "s"}));
  EXPECT_EQ(new_join->inputs[1]->columns, (Strings{"a", "s"}));
}

TEST(ProjectionPushdownTest, SemiJoinReadsOnlyTheRightKeys) {
  PlanPtr right = MakeScan(FakeSource({{"a", Int64(), true}, {"d", Int64(), true}}));
  PlanPtr join = MakeJoin(FakeScan(), right, JoinType::kSemi, {col("a")}, {col("a")});
  PlanPtr pruned = ProjectionPushdown(MakeProject(join, {col("b")}));
  const PlanPtr& new_join = pruned->inputs[0];
  EXPECT_EQ(new_join->inputs[0]->columns, (Strings{"a", "b"}));
  EXPECT_EQ(new_join->inputs[1]->columns, (Strings{"a"}));
}

TEST(ProjectionPushdownTest, UnionInputsKeepIdenticalColumns) {
  PlanPtr x = FakeScan("x.parquet");
  PlanPtr y = MakeProject(FakeScan("y.parquet"),
                          {col("a"), (col("b") + 1).alias("b"), col("c"), col("s"), col("flag")});
  PlanPtr plan = MakeProject(MakeUnion({x, y}), {col("b")});
  PlanPtr pruned = ProjectionPushdown(plan);
  ASSERT_EQ(pruned->kind, PlanKind::kUnion);
  for (const PlanPtr& input : pruned->inputs)
    EXPECT_EQ(input->schema->ToString(), pruned->schema->ToString());
  EXPECT_EQ(pruned->schema->ToString(), plan->schema->ToString());
}

TEST(ProjectionPushdownTest, DistinctOverAllColumnsKeepsThemAll) {
  PlanPtr plan = MakeProject(MakeDistinct(FakeScan()), {col("a")});
  PlanPtr pruned = ProjectionPushdown(plan);
  EXPECT_TRUE(BottomScan(pruned).columns.empty());
  PlanPtr subset = ProjectionPushdown(MakeProject(MakeDistinct(FakeScan(), {"b"}), {col("a")}));
  EXPECT_EQ(BottomScan(subset).columns, (Strings{"a", "b"}));
}

TEST(ProjectionPushdownTest, SortKeysAreRead) {
  PlanPtr plan = MakeProject(MakeSort(FakeScan(), {{col("c"), false, std::nullopt}}), {col("a")});
  EXPECT_EQ(BottomScan(ProjectionPushdown(plan)).columns, (Strings{"a", "c"}));
}

TEST(ProjectionPushdownTest, ASinkWritesEveryColumn) {
  auto target = std::make_shared<SinkTarget>();
  target->path = "out.parquet";
  PlanPtr plan = MakeSink(MakeProject(FakeScan(), {col("a"), col("b")}), target);
  PlanPtr pruned = ProjectionPushdown(plan);
  EXPECT_EQ(Spine(pruned), "Sink Scan");
  EXPECT_EQ(pruned->schema->ToString(), plan->schema->ToString());
}

}  // namespace
}  // namespace sluice
