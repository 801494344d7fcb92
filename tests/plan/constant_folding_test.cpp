// Constant folding and simplification: constant subtrees become literals, boolean logic with
// literal operands simplifies, always-true filters vanish and never-true ones become a limit 0.
#include <gtest/gtest.h>

#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::FakeScan;
using test::Spine;

TEST(ConstantFoldingTest, FoldsArithmeticOfLiteralsAndKeepsTheName) {
  PlanPtr plan = MakeProject(FakeScan(), {(lit(1) + lit(2)).alias("three"), col("a")});
  PlanPtr folded = ConstantFolding(plan);
  ASSERT_EQ(folded->kind, PlanKind::kProject);
  Expr three = folded->exprs[0];
  EXPECT_EQ(three.OutputName(), "three");
  ASSERT_EQ(StripAlias(three).kind(), ExprKind::kLiteral);
  EXPECT_EQ(StripAlias(three).node().literal.ToString(), "3");
  EXPECT_EQ(folded->schema->ToString(), plan->schema->ToString());
}

TEST(ConstantFoldingTest, FoldsConstantSubtreesInsideExpressions) {
  PlanPtr plan = MakeFilter(FakeScan(), col("a") > lit(10) * lit(2));
  PlanPtr folded = ConstantFolding(plan);
  ASSERT_EQ(folded->kind, PlanKind::kFilter);
  EXPECT_EQ(folded->predicate.ToString(), (col("a") > lit(int64_t{20})).ToString());
}

TEST(ConstantFoldingTest, FoldsCastsOfLiterals) {
  PlanPtr plan = MakeFilter(FakeScan(), col("a") > lit("7").cast(Int64()));
  PlanPtr folded = ConstantFolding(plan);
  EXPECT_EQ(folded->predicate.ToString(), (col("a") > lit(int64_t{7})).ToString());
}

TEST(ConstantFoldingTest, RemovesAFilterThatAlwaysHolds) {
  PlanPtr plan = MakeFilter(FakeScan(), lit(1) < lit(2));
  EXPECT_EQ(Spine(ConstantFolding(plan)), "Scan");
}

TEST(ConstantFoldingTest, TurnsAFilterThatNeverHoldsIntoAnEmptyLimit) {
  for (Expr predicate : {lit(false), lit(2) < lit(1), lit_null(Bool()),
                         col("a") > lit_null(Int64()), (col("a") > 1) && lit(false)}) {
    PlanPtr folded = ConstantFolding(MakeFilter(FakeScan(), predicate));
    ASSERT_EQ(Spine(folded), "Limit Scan") << predicate.ToString();
    EXPECT_EQ(folded->count, 0);
  }
}

TEST(ConstantFoldingTest, DropsTrueOperandsOfAnd) {
  PlanPtr folded = ConstantFolding(MakeFilter(FakeScan(), (col("a") > 1) && lit(true)));
  EXPECT_EQ(folded->predicate.ToString(), (col("a") > 1).ToString());
}

TEST(ConstantFoldingTest, SimplifiesOrWithLiterals) {
  PlanPtr with_false = ConstantFolding(MakeFilter(FakeScan(), (col("a") > 1) || lit(false)));
  EXPECT_EQ(with_false->predicate.ToString(), (col("a") > 1).ToString());
  PlanPtr with_true = ConstantFolding(MakeFilter(FakeScan(), (col("a") > 1) || lit(true)));
  EXPECT_EQ(Spine(with_true), "Scan");
}

TEST(ConstantFoldingTest, KeepsAndWithANullOperand) {
  // null AND x is null or false depending on x: nothing to simplify.
  Expr predicate = (col("a") > 1) && lit_null(Bool());
  PlanPtr folded = ConstantFolding(MakeFilter(FakeScan(), predicate));
  EXPECT_EQ(folded->predicate.ToString(), predicate.ToString());
}

TEST(ConstantFoldingTest, RemovesDoubleNegation) {
  PlanPtr folded = ConstantFolding(MakeFilter(FakeScan(), !!col("flag")));
  EXPECT_EQ(folded->predicate.ToString(), col("flag").ToString());
}

TEST(ConstantFoldingTest, NegatedComparisonsFlip) {
  PlanPtr folded = ConstantFolding(MakeFilter(FakeScan(), !(col("a") < 3) && !col("b").is_null()));
  EXPECT_EQ(folded->predicate.ToString(), ((col("a") >= 3) && col("b").is_not_null()).ToString());
}

TEST(ConstantFoldingTest, KeepsOutputNamesWhenASimplificationDropsTheColumn) {
  PlanPtr plan = MakeProject(FakeScan(), {col("flag") || lit(true), col("a")});
  PlanPtr folded = ConstantFolding(plan);
  EXPECT_EQ(folded->schema->ToString(), plan->schema->ToString());
  EXPECT_EQ(StripAlias(folded->exprs[0]).kind(), ExprKind::kLiteral);
}

TEST(ConstantFoldingTest, ComparisonWithANullLiteralIsNull) {
  PlanPtr plan = MakeProject(FakeScan(), {(col("a") == lit_null(Int64())).alias("x")});
  PlanPtr folded = ConstantFolding(plan);
  Expr x = StripAlias(folded->exprs[0]);
  ASSERT_EQ(x.kind(), ExprKind::kLiteral);
  EXPECT_TRUE(x.node().literal.is_null());
  EXPECT_EQ(x.node().literal.type, Bool());
}

TEST(ConstantFoldingTest, LeavesAConstantThatFailsForRunTime) {
  PlanPtr plan = MakeProject(FakeScan(), {(lit(1) / lit(0)).alias("boom"), col("a")});
  PlanPtr folded = ConstantFolding(plan);
  EXPECT_EQ(StripAlias(folded->exprs[0]).kind(), ExprKind::kCall);
}

TEST(ConstantFoldingTest, FoldsScanFiltersAndAggregateArguments) {
  PlanPtr scan = MakeScan(FakeScan()->source, {}, {col("a") > lit(1) + lit(1), lit(true)});
  PlanPtr plan = MakeAggregate(scan, {col("s")}, {(col("b") * (lit(2) * lit(3))).sum().alias("x")});
  PlanPtr folded = ConstantFolding(plan);
  ASSERT_EQ(Spine(folded), "Aggregate Scan");
  EXPECT_EQ(test::Conjuncts(folded->inputs[0]->filters),
            std::vector<std::string>{(col("a") > lit(int64_t{2})).ToString()});
  EXPECT_EQ(folded->aggregates[0].ToString(),
            (col("b") * lit(int64_t{6})).sum().alias("x").ToString());
}

TEST(ConstantFoldingTest, LeavesAPlanWithoutConstantsUntouched) {
  PlanPtr plan =
      MakeFilter(MakeProject(FakeScan(), {col("a"), (col("b") + 1).alias("d")}), col("d") > 3);
  EXPECT_EQ(ConstantFolding(plan), plan);
}

}  // namespace
}  // namespace sluice
