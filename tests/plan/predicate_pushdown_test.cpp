// Predicate pushdown: where each conjunct may go, and where it must stay.
#include <gtest/gtest.h>

#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::Conjuncts;
using test::FakeScan;
using test::FakeSource;
using test::Spine;

using Strings = std::vector<std::string>;

/// A right-hand table: key a, a value d, and a column s that clashes with the left's s.
PlanPtr RightScan() {
  return MakeScan(
      FakeSource({{"a", Int64(), true}, {"d", Int64(), true}, {"s", Utf8(), true}}, "r.parquet"));
}

std::string Text(const Expr& e) {
  return e.ToString();
}

TEST(PredicatePushdownTest, MovesAFilterIntoTheScan) {
  PlanPtr pushed = PredicatePushdown(MakeFilter(FakeScan(), (col("a") > 1) && (col("s") == "x")));
  ASSERT_EQ(Spine(pushed), "Scan");
  EXPECT_EQ(Conjuncts(pushed->filters), (Strings{Text(col("a") > 1), Text(col("s") == "x")}));
}

TEST(PredicatePushdownTest, AppendsAfterFiltersAlreadyInTheScan) {
  PlanPtr scan = MakeScan(FakeScan()->source, {}, {col("b") > 0});
  PlanPtr pushed = PredicatePushdown(MakeFilter(scan, col("a") > 1));
  EXPECT_EQ(Conjuncts(pushed->filters), (Strings{Text(col("b") > 0), Text(col("a") > 1)}));
}

TEST(PredicatePushdownTest, RenamesThroughAProjection) {
  PlanPtr project = MakeProject(FakeScan(), {col("a").alias("x"), col("b")});
  PlanPtr pushed = PredicatePushdown(MakeFilter(project, (col("x") > 1) && (col("b") < 5)));
  ASSERT_EQ(Spine(pushed), "Project Scan");
  EXPECT_EQ(Conjuncts(pushed->inputs[0]->filters),
            (Strings{Text(col("a") > 1), Text(col("b") < 5)}));
}

TEST(PredicatePushdownTest, SwappedNamesRenameOnce) {
  PlanPtr project = MakeProject(FakeScan(), {col("a").alias("b"), col("b").alias("a")});
  PlanPtr pushed = PredicatePushdown(MakeFilter(project, col("a") > col("b") + 1));
  EXPECT_EQ(Conjuncts(pushed->inputs[0]->filters), (Strings{Text(col("b") > col("a") + 1)}));
}

TEST(PredicatePushdownTest, KeepsAPredicateOnAComputedColumnAboveTheProjection) {
  PlanPtr project = MakeProject(FakeScan(), {(col("a") * 2).alias("y"), col("b")});
  PlanPtr pushed = PredicatePushdown(MakeFilter(project, (col("y") > 1) && (col("b") > 2)));
  ASSERT_EQ(Spine(pushed), "Filter Project Scan");
  EXPECT_EQ(Conjuncts(pushed->predicate), (Strings{Text(col("y") > 1)}));
  EXPECT_EQ(Conjuncts(pushed->inputs[0]->inputs[0]->filters), (Strings{Text(col("b") > 2)}));
}

TEST(PredicatePushdownTest, AFailingPredicateDoesNotOvertakeOneThatStays) {
  // `y > 1` stays above the projection; `10 / b > 1` must not run below it on rows y removes.
  PlanPtr project = MakeProject(FakeScan(), {(col("a") * 2).alias("y"), col("b"), col("c")});
  Expr predicate = (col("y") > 1) && (lit(int64_t{10}) / col("b") > 1) && (col("c") > 0);
  PlanPtr pushed = PredicatePushdown(MakeFilter(project, predicate));
  ASSERT_EQ(Spine(pushed), "Filter Project Scan");
  EXPECT_EQ(Conjuncts(pushed->predicate),
            (Strings{Text(col("y") > 1), Text(lit(int64_t{10}) / col("b") > 1)}));
  EXPECT_EQ(Conjuncts(pushed->inputs[0]->inputs[0]->filters), (Strings{Text(col("c") > 0)}));
}

TEST(PredicatePushdownTest, AFailingPredicateStaysAboveALowerFilter) {
  PlanPtr plan = MakeFilter(MakeFilter(FakeScan(), (col("b") != 0) && (col("c") > 1)),
                            (lit(int64_t{10}) / col("b") > 1) && (col("a") > 2));
  PlanPtr pushed = PredicatePushdown(plan);
  ASSERT_EQ(Spine(pushed), "Filter Scan");
  EXPECT_EQ(Conjuncts(pushed->predicate), (Strings{Text(lit(int64_t{10}) / col("b") > 1)}));
  EXPECT_EQ(Conjuncts(pushed->inputs[0]->filters),
            (Strings{Text(col("b") != 0), Text(col("c") > 1), Text(col("a") > 2)}));
}

TEST(PredicatePushdownTest, AFailingPredicateJoinsItsOwnConjunctionInTheScan) {
  Expr predicate = (col("b") != 0) && (lit(int64_t{10}) / col("b") > 1);
  PlanPtr pushed = PredicatePushdown(MakeFilter(FakeScan(), predicate));
  ASSERT_EQ(Spine(pushed), "Scan");
  EXPECT_EQ(pushed->filters.size(), 2u);
  // A scan that already filters keeps it out.
  PlanPtr filtering = MakeScan(FakeScan()->source, {}, {col("c") > 0});
  PlanPtr kept = PredicatePushdown(MakeFilter(filtering, lit(int64_t{10}) / col("b") > 1));
  EXPECT_EQ(Spine(kept), "Filter Scan");
}

TEST(PredicatePushdownTest, AFailingPredicateStillMovesThroughRowPreservingNodes) {
  PlanPtr plan = MakeFilter(
      MakeSort(MakeProject(FakeScan(), {col("a"), col("b")}), {{col("a"), false, std::nullopt}}),
      lit(int64_t{10}) / col("b") > 1);
  PlanPtr pushed = PredicatePushdown(plan);
  ASSERT_EQ(Spine(pushed), "Sort Project Scan");
  EXPECT_EQ(pushed->inputs[0]->inputs[0]->filters.size(), 1u);
}

TEST(PredicatePushdownTest, StopsAtALimitAndATopK) {
  PlanPtr limit = MakeFilter(MakeLimit(FakeScan(), 0, 10), col("a") > 1);
  EXPECT_EQ(Spine(PredicatePushdown(limit)), "Filter Limit Scan");
  PlanPtr topk =
      MakeFilter(MakeSort(FakeScan(), {{col("a"), false, std::nullopt}}, 10), col("a") > 1);
  EXPECT_EQ(Spine(PredicatePushdown(topk)), "Filter Sort Scan");
  PlanPtr sort = MakeFilter(MakeSort(FakeScan(), {{col("a"), false, std::nullopt}}), col("a") > 1);
  EXPECT_EQ(Spine(PredicatePushdown(sort)), "Sort Scan");
}

TEST(PredicatePushdownTest, PushesKeyPredicatesBelowAnAggregate) {
  PlanPtr aggregate = MakeAggregate(FakeScan(), {col("s"), (col("a") + 1).alias("k")},
                                    {col("b").sum().alias("total")});
  Expr predicate = (col("s") == "x") && (col("k") > 3) && (col("total") > 10);
  PlanPtr pushed = PredicatePushdown(MakeFilter(aggregate, predicate));
  ASSERT_EQ(Spine(pushed), "Filter Aggregate Scan");
  EXPECT_EQ(Conjuncts(pushed->predicate), (Strings{Text(col("total") > 10)}));
  EXPECT_EQ(Conjuncts(pushed->inputs[0]->inputs[0]->filters),
            (Strings{Text(col("s") == "x"), Text(col("a") + 1 > 3)}));
}

TEST(PredicatePushdownTest, NothingPassesAnAggregateWithoutKeys) {
  PlanPtr aggregate = MakeAggregate(FakeScan(), {}, {count_rows()});
  PlanPtr plan = MakeFilter(aggregate, col("count") > 1);
  EXPECT_EQ(Spine(PredicatePushdown(plan)), "Filter Aggregate Scan");
}

TEST(PredicatePushdownTest, PushesIntoEveryUnionInput) {
  PlanPtr plan =
      MakeFilter(MakeUnion({FakeScan("x.parquet"), FakeScan("y.parquet")}), col("a") > 1);
  PlanPtr pushed = PredicatePushdown(plan);
  ASSERT_EQ(pushed->kind, PlanKind::kUnion);
  for (const PlanPtr& input : pushed->inputs)
    EXPECT_EQ(Conjuncts(input->filters), (Strings{Text(col("a") > 1)}));
}

TEST(PredicatePushdownTest, PushesThroughDistinctOnlyOnItsSubset) {
  PlanPtr distinct = MakeDistinct(FakeScan(), {"a"});
  PlanPtr pushed = PredicatePushdown(MakeFilter(distinct, (col("a") > 1) && (col("b") > 2)));
  ASSERT_EQ(Spine(pushed), "Filter Distinct Scan");
  EXPECT_EQ(Conjuncts(pushed->predicate), (Strings{Text(col("b") > 2)}));
  EXPECT_EQ(Conjuncts(pushed->inputs[0]->inputs[0]->filters), (Strings{Text(col("a") > 1)}));
  PlanPtr all = PredicatePushdown(MakeFilter(MakeDistinct(FakeScan()), col("b") > 2));
  EXPECT_EQ(Spine(all), "Distinct Scan");
}

PlanPtr Join(JoinType type, bool coalesce = true) {
  return MakeJoin(FakeScan(), RightScan(), type, {col("a")}, {col("a")}, "_right", coalesce);
}

const LogicalPlan& Left(const PlanPtr& join) {
  return *join->inputs[0];
}
const LogicalPlan& Right(const PlanPtr& join) {
  return *join->inputs[1];
}

TEST(PredicatePushdownTest, InnerJoinSendsEachSideItsPredicates) {
  Expr predicate =
      (col("b") > 1) && (col("s_right") == "r") && (col("d") > 2) && (col("b") < col("d"));
  PlanPtr pushed = PredicatePushdown(MakeFilter(Join(JoinType::kInner), predicate));
  // The conjunct over both sides becomes the join's residual condition.
  ASSERT_EQ(Spine(pushed), "Join Scan");
  EXPECT_EQ(Conjuncts(pushed->residual), (Strings{Text(col("b") < col("d"))}));
  const PlanPtr& join = pushed;
  EXPECT_EQ(Conjuncts(Left(join).filters), (Strings{Text(col("b") > 1)}));
  EXPECT_EQ(Conjuncts(Right(join).filters), (Strings{Text(col("s") == "r"), Text(col("d") > 2)}));
}

TEST(PredicatePushdownTest, AKeyPredicateGoesToBothSidesOfAnInnerJoin) {
  PlanPtr pushed = PredicatePushdown(MakeFilter(Join(JoinType::kInner), col("a") > 5));
  ASSERT_EQ(Spine(pushed), "Join Scan");
  EXPECT_EQ(Conjuncts(Left(pushed).filters), (Strings{Text(col("a") > 5)}));
  EXPECT_EQ(Conjuncts(Right(pushed).filters), (Strings{Text(col("a") > 5)}));
}

TEST(PredicatePushdownTest, LeftJoinKeepsRightPredicatesAbove) {
  Expr predicate = (col("b") > 1) && (col("d") > 2) && (col("a") == 3);
  PlanPtr pushed = PredicatePushdown(MakeFilter(Join(JoinType::kLeft), predicate));
  ASSERT_EQ(Spine(pushed), "Filter Join Scan");
  EXPECT_EQ(Conjuncts(pushed->predicate), (Strings{Text(col("d") > 2)}));
  const PlanPtr& join = pushed->inputs[0];
  EXPECT_EQ(Conjuncts(Left(join).filters), (Strings{Text(col("b") > 1), Text(col("a") == 3)}));
  // The key predicate also trims the right side: only right rows with a = 3 can match.
  EXPECT_EQ(Conjuncts(Right(join).filters), (Strings{Text(col("a") == 3)}));
}

TEST(PredicatePushdownTest, RightJoinKeepsLeftPredicatesAbove) {
  Expr predicate = (col("b") > 1) && (col("d") > 2) && (col("a") == 3);
  PlanPtr pushed = PredicatePushdown(MakeFilter(Join(JoinType::kRight), predicate));
  ASSERT_EQ(Spine(pushed), "Filter Join Scan");
  EXPECT_EQ(Conjuncts(pushed->predicate), (Strings{Text(col("b") > 1)}));
  const PlanPtr& join = pushed->inputs[0];
  // The coalesced key of a right join holds the right key's values.
  EXPECT_EQ(Conjuncts(Right(join).filters), (Strings{Text(col("d") > 2), Text(col("a") == 3)}));
  EXPECT_EQ(Conjuncts(Left(join).filters), (Strings{Text(col("a") == 3)}));
}

TEST(PredicatePushdownTest, NothingPassesAFullJoin) {
  Expr predicate = (col("b") > 1) && (col("d") > 2) && (col("a") == 3);
  PlanPtr pushed = PredicatePushdown(MakeFilter(Join(JoinType::kFull), predicate));
  ASSERT_EQ(Spine(pushed), "Filter Join Scan");
  EXPECT_EQ(Conjuncts(pushed->predicate).size(), 3u);
  EXPECT_TRUE(Left(pushed->inputs[0]).filters.empty());
  EXPECT_TRUE(Right(pushed->inputs[0]).filters.empty());
}

TEST(PredicatePushdownTest, SemiAndAntiJoinsFilterTheLeftAndCopyKeyPredicates) {
  for (JoinType type : {JoinType::kSemi, JoinType::kAnti}) {
    PlanPtr pushed = PredicatePushdown(MakeFilter(Join(type), (col("a") > 5) && (col("s") == "x")));
    ASSERT_EQ(Spine(pushed), "Join Scan");
    EXPECT_EQ(Conjuncts(Left(pushed).filters),
              (Strings{Text(col("a") > 5), Text(col("s") == "x")}));
    EXPECT_EQ(Conjuncts(Right(pushed).filters), (Strings{Text(col("a") > 5)}));
  }
}

TEST(PredicatePushdownTest, JoinWithBothKeysKeptMapsTheRightKeyBySuffix) {
  PlanPtr join = Join(JoinType::kInner, /*coalesce=*/false);
  ASSERT_TRUE(join->schema->FindField("a_right"));
  PlanPtr pushed = PredicatePushdown(MakeFilter(join, col("a_right") < 9));
  EXPECT_EQ(Conjuncts(Right(pushed).filters), (Strings{Text(col("a") < 9)}));
  EXPECT_EQ(Conjuncts(Left(pushed).filters), (Strings{Text(col("a") < 9)}));
}

TEST(PredicatePushdownTest, KeysOfDifferentTypesAreNotCopiedAcross) {
  PlanPtr right = MakeScan(FakeSource({{"k", Int32(), true}, {"d", Int64(), true}}, "r.parquet"));
  PlanPtr join = MakeJoin(FakeScan(), right, JoinType::kInner, {col("a")}, {col("k")});
  PlanPtr pushed = PredicatePushdown(MakeFilter(join, col("a") > 5));
  EXPECT_EQ(Conjuncts(Left(pushed).filters), (Strings{Text(col("a") > 5)}));
  EXPECT_TRUE(Right(pushed).filters.empty());
}

TEST(PredicatePushdownTest, AFailingPredicateDoesNotPassAJoin) {
  Expr predicate = lit(int64_t{10}) / col("b") > 1;
  PlanPtr pushed = PredicatePushdown(MakeFilter(Join(JoinType::kInner), predicate));
  ASSERT_EQ(Spine(pushed), "Filter Join Scan");
  EXPECT_TRUE(Left(pushed->inputs[0]).filters.empty());
}

TEST(PredicatePushdownTest, CrossJoinSendsEachSideItsPredicates) {
  PlanPtr join = MakeJoin(FakeScan(), RightScan(), JoinType::kCross, {}, {});
  PlanPtr pushed = PredicatePushdown(MakeFilter(join, (col("a") > 1) && (col("a_right") > 2)));
  ASSERT_EQ(Spine(pushed), "Join Scan");
  EXPECT_EQ(Conjuncts(Left(pushed).filters), (Strings{Text(col("a") > 1)}));
  EXPECT_EQ(Conjuncts(Right(pushed).filters), (Strings{Text(col("a") > 2)}));
}

TEST(PredicatePushdownTest, ConstantPredicatesStay) {
  PlanPtr plan = MakeFilter(MakeAggregate(FakeScan(), {}, {count_rows()}), lit(1) / lit(0) > 1);
  EXPECT_EQ(Spine(PredicatePushdown(plan)), "Filter Aggregate Scan");
}

TEST(PredicatePushdownTest, KeepsTheSchema) {
  PlanPtr plan = MakeFilter(Join(JoinType::kLeft), (col("b") > 1) && (col("d") > 2));
  EXPECT_EQ(PredicatePushdown(plan)->schema->ToString(), plan->schema->ToString());
}

}  // namespace
}  // namespace sluice
