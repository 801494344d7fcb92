// Shared subplans: equal aggregates over the same source get the same key (and others do not),
// and a plan that holds one aggregate twice (TPC-H Q15's shape: groups joined with their
// maximum) reads its input once and gives the same rows as when the two are computed apart.
#include "exec/shared_subplans.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/data_frame.h"
#include "exec/join_sort_test_util.h"
#include "plan/lazy_frame.h"

namespace sluice::exec {
namespace {

/// x = 0 .. rows-1 and g = x % 7, in batches of 1000, scanned from memory.
LazyFrame Numbers(int64_t rows) {
  auto frame = std::make_shared<DataFrame>();
  frame->schema = test::MakeSchema({{"x", Int64(), false}, {"g", Int64(), false}});
  for (int64_t start = 0; start < rows; start += 1000) {
    std::vector<std::optional<int64_t>> x, g;
    for (int64_t i = start; i < std::min(rows, start + 1000); ++i) {
      x.push_back(i);
      g.push_back(i % 7);
    }
    frame->batches.push_back(test::MakeBatch(frame->schema, {test::Int64s(x), test::Int64s(g)}));
  }
  return LazyFrame(MakeMemoryScan(frame));
}

LazyFrame Totals(const LazyFrame& numbers) {
  return numbers.filter(col("x") > lit(int64_t{10}))
      .group_by({"g"})
      .agg({col("x").sum().alias("s")});
}

TEST(SharedSubplansTest, EqualAggregatesOverTheSameSourceShareAKey) {
  LazyFrame numbers = Numbers(100);
  const std::string key = SubplanKey(Totals(numbers).plan());
  EXPECT_FALSE(key.empty());
  EXPECT_EQ(SubplanKey(Totals(numbers).plan()), key);  // built again, equal
  // Another filter, another aggregate, another source object with the same rows: not equal.
  EXPECT_NE(SubplanKey(numbers.filter(col("x") > lit(int64_t{11}))
                           .group_by({"g"})
                           .agg({col("x").sum().alias("s")})
                           .plan()),
            key);
  EXPECT_NE(SubplanKey(numbers.group_by({"g"}).agg({col("x").max().alias("s")}).plan()), key);
  EXPECT_NE(SubplanKey(Totals(Numbers(100)).plan()), key);
}

TEST(SharedSubplansTest, AnAggregateUsedTwiceReadsItsInputOnce) {
  for (int threads : {1, 3}) {
    LazyFrame numbers = Numbers(10000);
    LazyFrame totals = Totals(numbers);
    LazyFrame top = totals.join(totals.select({col("s").max().alias("m")}), {col("s")}, {col("m")});
    int64_t total = 0;
    RunOptions run;
    run.threads = threads;
    run.progress = [&](int64_t, int64_t rows) { total = rows; };
    DataFrame out = top.collect(run);
    EXPECT_EQ(total, 10000) << "the numbers were read more than once";
    // The group with the largest sum of the x above 10.
    std::vector<int64_t> sums(7, 0);
    for (int64_t x = 11; x < 10000; ++x) sums[x % 7] += x;
    const auto top_group = std::max_element(sums.begin(), sums.end()) - sums.begin();
    ASSERT_EQ(out.num_rows(), 1);
    EXPECT_EQ(test::Rows(out.batches), (std::vector<std::string>{std::to_string(top_group) + "|" +
                                                                 std::to_string(sums[top_group])}));
  }
}

}  // namespace
}  // namespace sluice::exec
