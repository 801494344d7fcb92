// EXPLAIN ANALYZE's counters: a profiled run counts the rows of every plan node it ran, the same
// rows whatever the thread count, and ExplainPlan prints them beside each node.
#include <gtest/gtest.h>

#include "core/data_frame.h"
#include "exec/join_sort_test_util.h"
#include "plan/explain.h"
#include "plan/lazy_frame.h"
#include "plan/plan_profile.h"

namespace sluice::exec {
namespace {

/// x = 0 .. rows-1 in batches of 1000, scanned from memory.
LazyFrame Numbers(int64_t rows) {
  auto frame = std::make_shared<DataFrame>();
  frame->schema = test::MakeSchema({{"x", Int64(), false}});
  for (int64_t start = 0; start < rows; start += 1000) {
    std::vector<std::optional<int64_t>> x;
    for (int64_t i = start; i < std::min(rows, start + 1000); ++i) x.push_back(i);
    frame->batches.push_back(test::MakeBatch(frame->schema, {test::Int64s(x)}));
  }
  return LazyFrame(MakeMemoryScan(frame));
}

TEST(ProfileTest, EveryNodeCountsTheRowsItProduced) {
  for (int threads : {1, 3}) {
    LazyFrame numbers = Numbers(10000);
    LazyFrame frame = numbers.filter(col("x") % lit(int64_t{4}) == lit(int64_t{0}))
                          .with_columns({(col("x") % lit(int64_t{10})).alias("g")})
                          .group_by({"g"})
                          .agg({col("x").count().alias("n")})
                          .sort({"g"});
    PlanProfile profile;
    RunOptions run;
    run.threads = threads;
    run.profile = &profile;
    DataFrame out = frame.collect(run);
    ASSERT_EQ(out.num_rows(), 5);  // g = 0, 2, 4, 6, 8.
    std::string text = ExplainPlan(profile.executed, &profile);
    EXPECT_NE(text.find("Sort by=[g asc nulls last]  (rows=5 "), std::string::npos) << text;
    EXPECT_NE(text.find("(rows=2,500 "), std::string::npos) << text;  // The filtered scan.
    // Every node ran and has its counters.
    std::vector<const LogicalPlan*> pending{profile.executed.get()};
    while (!pending.empty()) {
      const LogicalPlan* node = pending.back();
      pending.pop_back();
      EXPECT_NE(profile.Find(node), nullptr);
      for (const PlanPtr& input : node->inputs) pending.push_back(input.get());
    }
  }
}

TEST(ProfileTest, AnOrdinaryRunHasNoCounters) {
  EXPECT_EQ(ExplainPlan(Numbers(10).plan()).find("rows="), std::string::npos);
}

}  // namespace
}  // namespace sluice::exec
