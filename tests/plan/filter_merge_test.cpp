// Filter merging: adjacent filters become one, inner conjuncts first.
#include <gtest/gtest.h>

#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::Conjuncts;
using test::FakeScan;
using test::Spine;

TEST(FilterMergeTest, MergesTwoFiltersInnerFirst) {
  PlanPtr plan = MakeFilter(MakeFilter(FakeScan(), col("b") != 0), col("a") > col("c"));
  PlanPtr merged = FilterMerge(plan);
  ASSERT_EQ(Spine(merged), "Filter Scan");
  EXPECT_EQ(
      Conjuncts(merged->predicate),
      (std::vector<std::string>{(col("b") != 0).ToString(), (col("a") > col("c")).ToString()}));
}

TEST(FilterMergeTest, KeepsAPredicateThatMayFailAfterItsGuard) {
  // Merged, `a / b` could be evaluated on the rows where b = 0.
  PlanPtr plan = MakeFilter(MakeFilter(FakeScan(), col("b") != 0), col("a") / col("b") > 1);
  EXPECT_EQ(FilterMerge(plan), plan);
  PlanPtr floats = MakeFilter(MakeFilter(FakeScan(), col("b") != 0), col("a") / 2.0 > 1);
  EXPECT_EQ(Spine(FilterMerge(floats)), "Filter Scan");
}

TEST(FilterMergeTest, MergesAChainOfFilters) {
  PlanPtr plan =
      MakeFilter(MakeFilter(MakeFilter(FakeScan(), col("a") > 1), (col("b") > 2) && (col("c") > 3)),
                 col("flag"));
  PlanPtr merged = FilterMerge(plan);
  ASSERT_EQ(Spine(merged), "Filter Scan");
  EXPECT_EQ(Conjuncts(merged->predicate).size(), 4u);
  EXPECT_EQ(Conjuncts(merged->predicate)[3], "flag");
}

TEST(FilterMergeTest, LeavesFiltersSeparatedByAnotherNode) {
  PlanPtr plan = MakeFilter(MakeLimit(MakeFilter(FakeScan(), col("a") > 1), 0, 10), col("b") > 2);
  EXPECT_EQ(FilterMerge(plan), plan);
}

}  // namespace
}  // namespace sluice
