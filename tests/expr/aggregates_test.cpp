// Tests of the aggregate functions (src/expr/aggregates/*), driving their grouped states
// directly: values per group, null handling, empty groups, merging partial states, and the
// determinism of float sums.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "core/column_builder.h"
#include "core/decimal.h"
#include "expr/aggregate_function.h"

namespace sluice {
namespace {

template <typename T>
Column Fixed(const DataType& type, const std::vector<std::optional<T>>& values) {
  ColumnBuilder builder(type);
  for (const auto& value : values) {
    if (value)
      builder.Append<T>(*value);
    else
      builder.AppendNull();
  }
  return builder.Finish();
}
Column Int64s(const std::vector<std::optional<int64_t>>& values) {
  return Fixed<int64_t>(Int64(), values);
}
Column Float64s(const std::vector<std::optional<double>>& values) {
  return Fixed<double>(Float64(), values);
}
Column Strings(const std::vector<std::optional<std::string>>& values) {
  ColumnBuilder builder(Utf8());
  for (const auto& value : values) {
    if (value)
      builder.AppendString(*value);
    else
      builder.AppendNull();
  }
  return builder.Finish();
}
Column Bools(const std::vector<std::optional<bool>>& values) {
  ColumnBuilder builder(Bool());
  for (const auto& value : values) {
    if (value)
      builder.AppendBool(*value);
    else
      builder.AppendNull();
  }
  return builder.Finish();
}

std::unique_ptr<GroupedAggregateState> MakeState(const std::string& name, const DataType& type,
                                                 double param = std::nan(""),
                                                 bool distinct = false) {
  const AggregateFunction* function = FindAggregateFunction(name);
  EXPECT_NE(function, nullptr) << name;
  return function->make_state(type, param, distinct);
}

/// Runs `name` over `input` with one group id per row and returns the per-group result.
Column RunAggregate(const std::string& name, const Column* input,
                    const std::vector<uint32_t>& groups, int64_t group_count,
                    double param = std::nan(""), bool distinct = false) {
  auto state = MakeState(name, input != nullptr ? input->type : Int64(), param, distinct);
  state->Resize(group_count);
  state->Update(input, groups.data(), static_cast<int64_t>(groups.size()));
  return state->Finalize(MemoryPool::Default());
}

int64_t IntAt(const Column& column, int64_t i) {
  return column.Values<int64_t>()[i];
}
double DoubleAt(const Column& column, int64_t i) {
  return column.Values<double>()[i];
}

TEST(AggregatesTest, CountSkipsNullsAndCountStarCountsRows) {
  Column input = Int64s({1, std::nullopt, 3, std::nullopt, 5});
  std::vector<uint32_t> groups = {0, 0, 1, 1, 0};
  Column count = RunAggregate("count", &input, groups, 3);
  Column rows = RunAggregate("count_star", nullptr, groups, 3);
  ASSERT_EQ(count.type, Int64());
  EXPECT_EQ(count.null_count, 0);
  EXPECT_EQ(IntAt(count, 0), 2);
  EXPECT_EQ(IntAt(count, 1), 1);
  EXPECT_EQ(IntAt(count, 2), 0);  // An empty group counts 0, not null.
  EXPECT_EQ(IntAt(rows, 0), 3);
  EXPECT_EQ(IntAt(rows, 1), 2);
  EXPECT_EQ(IntAt(rows, 2), 0);
}

TEST(AggregatesTest, SumOfIntegersIsInt64AndNullForGroupsWithoutValues) {
  Column input = Fixed<int32_t>(Int32(), {1, 2, std::nullopt, 40});
  std::vector<uint32_t> groups = {0, 0, 1, 2};
  Column sum = RunAggregate("sum", &input, groups, 4);
  ASSERT_EQ(sum.type, Int64());
  EXPECT_EQ(IntAt(sum, 0), 3);
  EXPECT_TRUE(sum.IsNull(1));  // Only a null.
  EXPECT_EQ(IntAt(sum, 2), 40);
  EXPECT_TRUE(sum.IsNull(3));  // No rows.
  EXPECT_EQ(FindAggregateFunction("sum")->result_type(UInt8(), "sum(x)"), Int64());
}

TEST(AggregatesTest, SumOverflowIsAnErrorNotAWrap) {
  Column input = Int64s({INT64_MAX, 1});
  std::vector<uint32_t> groups = {0, 0};
  EXPECT_THROW(RunAggregate("sum", &input, groups, 1), Error);
  // Across a merge too.
  auto left = MakeState("sum", Int64());
  auto right = MakeState("sum", Int64());
  left->Resize(1);
  right->Resize(1);
  uint32_t zero = 0;
  left->Update(&input, &zero, 1);
  Column one = Int64s({1});
  right->Update(&one, &zero, 1);
  EXPECT_THROW(left->Merge(*right, &zero, 1), Error);
}

TEST(AggregatesTest, FloatSumIsCompensated) {
  // A plain left-to-right sum gives 0 here; the compensated sum keeps the 1.
  Column input = Float64s({1e16, 1.0, -1e16});
  std::vector<uint32_t> groups = {0, 0, 0};
  Column sum = RunAggregate("sum", &input, groups, 1);
  ASSERT_EQ(sum.type, Float64());
  EXPECT_EQ(DoubleAt(sum, 0), 1.0);
  Column infinite = Float64s({1.0, INFINITY, 2.0});
  EXPECT_EQ(DoubleAt(RunAggregate("sum", &infinite, groups, 1), 0), INFINITY);
}

TEST(AggregatesTest, FloatSumOfTheSameMorselsInTheSameOrderIsBitIdentical) {
  // The hash aggregation merges per-morsel states in seq order; whichever thread built each
  // morsel's state, the same morsels merged in the same order give the same bits.
  std::vector<std::vector<std::optional<double>>> morsels;
  uint64_t x = 42;
  for (int m = 0; m < 8; ++m) {
    std::vector<std::optional<double>> values;
    for (int i = 0; i < 1000; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      values.push_back(static_cast<double>(x >> 11) * 1e-10 * ((x & 1) ? 1 : -1e-3));
    }
    morsels.push_back(values);
  }
  auto run = [&](bool reverse_build) {
    std::vector<std::unique_ptr<GroupedAggregateState>> partials(morsels.size());
    for (size_t k = 0; k < morsels.size(); ++k) {
      size_t m = reverse_build ? morsels.size() - 1 - k : k;  // Build order must not matter.
      Column input = Float64s(morsels[m]);
      std::vector<uint32_t> groups(morsels[m].size(), 0);
      partials[m] = MakeState("sum", Float64());
      partials[m]->Resize(1);
      partials[m]->Update(&input, groups.data(), static_cast<int64_t>(groups.size()));
    }
    auto total = MakeState("sum", Float64());
    total->Resize(1);
    uint32_t zero = 0;
    for (auto& partial : partials) total->Merge(*partial, &zero, 1);
    return DoubleAt(total->Finalize(MemoryPool::Default()), 0);
  };
  double a = run(false);
  double b = run(true);
  EXPECT_EQ(std::memcmp(&a, &b, sizeof(double)), 0);
}

TEST(AggregatesTest, DecimalSumIsDecimal38WithTheSameScale) {
  Column input = Fixed<int128_t>(Decimal(10, 2), {int128_t{12345}, int128_t{-45}, std::nullopt});
  std::vector<uint32_t> groups = {0, 0, 0};
  Column sum = RunAggregate("sum", &input, groups, 1);
  ASSERT_EQ(sum.type, Decimal(38, 2));
  EXPECT_TRUE(sum.Values<int128_t>()[0] == 12300);
  Column mean = RunAggregate("mean", &input, groups, 1);
  EXPECT_DOUBLE_EQ(DoubleAt(mean, 0), 61.5);
}

TEST(AggregatesTest, DecimalSumsOfFewAndOfManyGroupsAreExact) {
  // Few groups add in interleaved copies of the sums, many in one: both must give each group's
  // exact sum and count (nulls skipped, a group without values null).
  for (uint32_t group_count : {5u, 40u}) {
    std::vector<std::optional<int128_t>> values;
    std::vector<uint32_t> groups;
    std::vector<int128_t> sums(group_count, 0);
    std::vector<int64_t> counts(group_count, 0);
    for (int64_t i = 0; i < 3001; ++i) {
      const uint32_t g = static_cast<uint32_t>((i * 7 + i / 3) % (group_count - 1));  // Last: none.
      groups.push_back(g);
      if (i % 11 == 4) {
        values.push_back(std::nullopt);
        continue;
      }
      const int128_t value = int128_t{(i * 2654435761LL) % 1000003 - 500000} * 1000000000000LL;
      values.push_back(value);
      sums[g] += value;
      ++counts[g];
    }
    Column input = Fixed<int128_t>(Decimal(30, 2), values);
    Column sum = RunAggregate("sum", &input, groups, group_count);
    Column mean = RunAggregate("mean", &input, groups, group_count);
    for (uint32_t g = 0; g + 1 < group_count; ++g) {
      EXPECT_TRUE(sum.Values<int128_t>()[g] == sums[g]) << group_count << " groups, group " << g;
      EXPECT_DOUBLE_EQ(DoubleAt(mean, g), static_cast<double>(sums[g]) / 100 / counts[g]);
    }
    EXPECT_FALSE(sum.IsValid(group_count - 1));
  }
}

TEST(AggregatesTest, MeanIsFloat64ForIntegersAndFloats) {
  Column ints = Int64s({1, 2, std::nullopt, 10});
  std::vector<uint32_t> groups = {0, 0, 0, 1};
  Column mean = RunAggregate("mean", &ints, groups, 3);
  ASSERT_EQ(mean.type, Float64());
  EXPECT_DOUBLE_EQ(DoubleAt(mean, 0), 1.5);
  EXPECT_DOUBLE_EQ(DoubleAt(mean, 1), 10.0);
  EXPECT_TRUE(mean.IsNull(2));
  Column floats = Float64s({0.5, 1.5, std::nullopt, -2.0});
  Column float_mean = RunAggregate("mean", &floats, groups, 2);
  EXPECT_DOUBLE_EQ(DoubleAt(float_mean, 0), 1.0);
  EXPECT_DOUBLE_EQ(DoubleAt(float_mean, 1), -2.0);
}

TEST(AggregatesTest, MinAndMaxOfNumbersStringsBoolsAndDates) {
  std::vector<uint32_t> groups = {0, 1, 0, 1, 0};
  Column ints = Int64s({5, std::nullopt, -3, std::nullopt, 7});
  Column min = RunAggregate("min", &ints, groups, 2);
  Column max = RunAggregate("max", &ints, groups, 2);
  EXPECT_EQ(IntAt(min, 0), -3);
  EXPECT_EQ(IntAt(max, 0), 7);
  EXPECT_TRUE(min.IsNull(1));
  EXPECT_TRUE(max.IsNull(1));

  Column strings = Strings({"pear", "fig", "apple", std::nullopt, "zucchini-long-string"});
  Column smin = RunAggregate("min", &strings, groups, 2);
  Column smax = RunAggregate("max", &strings, groups, 2);
  ASSERT_EQ(smin.type, Utf8());
  EXPECT_EQ(smin.StringAt(0), "apple");
  EXPECT_EQ(smax.StringAt(0), "zucchini-long-string");
  EXPECT_EQ(smin.StringAt(1), "fig");

  Column bools = Bools({true, false, false, std::nullopt, true});
  Column bmin = RunAggregate("min", &bools, groups, 2);
  Column bmax = RunAggregate("max", &bools, groups, 2);
  EXPECT_FALSE(bmin.BoolAt(0));
  EXPECT_TRUE(bmax.BoolAt(0));
  EXPECT_FALSE(bmax.BoolAt(1));

  Column dates = Fixed<int32_t>(Date32(), {19000, 1, 18000, 2, 20000});
  Column dmin = RunAggregate("min", &dates, groups, 2);
  ASSERT_EQ(dmin.type, Date32());
  EXPECT_EQ(dmin.Values<int32_t>()[0], 18000);
  EXPECT_EQ(dmin.Values<int32_t>()[1], 1);
}

TEST(AggregatesTest, MaxOfFloatsTreatsNanAsLargest) {
  Column input = Float64s({1.0, NAN, 3.0, 2.0, -1.0});
  std::vector<uint32_t> groups = {0, 0, 0, 1, 1};
  Column max = RunAggregate("max", &input, groups, 2);
  Column min = RunAggregate("min", &input, groups, 2);
  EXPECT_TRUE(std::isnan(DoubleAt(max, 0)));
  EXPECT_EQ(DoubleAt(min, 0), 1.0);
  EXPECT_EQ(DoubleAt(max, 1), 2.0);
  Column only_nan = Float64s({NAN});
  EXPECT_TRUE(std::isnan(DoubleAt(RunAggregate("min", &only_nan, {0}, 1), 0)));
}

TEST(AggregatesTest, FirstAndLastFollowInputOrderAndKeepNulls) {
  Column input = Strings({std::nullopt, "a", "b", "c", std::nullopt});
  std::vector<uint32_t> groups = {0, 0, 1, 1, 1};
  Column first = RunAggregate("first", &input, groups, 3);
  Column last = RunAggregate("last", &input, groups, 3);
  EXPECT_TRUE(first.IsNull(0));  // The first row of group 0 is null.
  EXPECT_EQ(first.StringAt(1), "b");
  EXPECT_EQ(last.StringAt(0), "a");
  EXPECT_TRUE(last.IsNull(1));
  EXPECT_TRUE(first.IsNull(2));
  EXPECT_TRUE(last.IsNull(2));

  // Merged in morsel order: first comes from the earlier morsel, last from the later one.
  Column early = Int64s({1, 2});
  Column late = Int64s({3, 4});
  std::vector<uint32_t> zeros = {0, 0};
  for (const char* name : {"first", "last"}) {
    auto a = MakeState(name, Int64());
    auto b = MakeState(name, Int64());
    a->Resize(1);
    b->Resize(1);
    a->Update(&early, zeros.data(), 2);
    b->Update(&late, zeros.data(), 2);
    auto total = MakeState(name, Int64());
    total->Resize(1);
    uint32_t zero = 0;
    total->Merge(*a, &zero, 1);
    total->Merge(*b, &zero, 1);
    EXPECT_EQ(IntAt(total->Finalize(MemoryPool::Default()), 0),
              std::string(name) == "first" ? 1 : 4);
  }
}

TEST(AggregatesTest, NUniqueCountsNullAsOneValue) {
  Column input = Strings({"a", "b", "a", std::nullopt, std::nullopt, "c"});
  std::vector<uint32_t> groups = {0, 0, 0, 0, 0, 1};
  Column unique = RunAggregate("n_unique", &input, groups, 3);
  ASSERT_EQ(unique.type, Int64());
  EXPECT_EQ(IntAt(unique, 0), 3);  // a, b, null (as Polars counts)
  EXPECT_EQ(IntAt(unique, 1), 1);
  EXPECT_EQ(IntAt(unique, 2), 0);
}

TEST(AggregatesTest, CountAndSumDistinctSeeEachValueOnce) {
  Column input = Int64s({1, 1, 2, std::nullopt, 2, 5, 5});
  std::vector<uint32_t> groups = {0, 0, 0, 0, 0, 1, 1};
  Column count = RunAggregate("count", &input, groups, 2, std::nan(""), /*distinct=*/true);
  EXPECT_EQ(IntAt(count, 0), 2);  // SQL count(DISTINCT x) ignores nulls.
  EXPECT_EQ(IntAt(count, 1), 1);
  Column sum = RunAggregate("sum", &input, groups, 2, std::nan(""), /*distinct=*/true);
  EXPECT_EQ(IntAt(sum, 0), 3);
  EXPECT_EQ(IntAt(sum, 1), 5);
  Column floats = Float64s({0.0, -0.0, 1.5});
  Column fcount = RunAggregate("count", &floats, {0, 0, 0}, 1, std::nan(""), true);
  EXPECT_EQ(IntAt(fcount, 0), 2);  // 0.0 and -0.0 are one value.
}

TEST(AggregatesTest, DistinctStatesMergeByRange) {
  Column morsel = Int64s({1, 2, 3, 1, 4});
  std::vector<uint32_t> groups = {0, 1, 2, 0, 1};
  auto partial = MakeState("count", Int64(), std::nan(""), true);
  partial->Resize(3);
  partial->Update(&morsel, groups.data(), 5);
  partial->Seal();
  auto total = MakeState("count", Int64(), std::nan(""), true);
  total->Resize(2);
  // Groups 1 and 2 of the partial go to groups 0 and 1; group 0 of the partial is not merged.
  std::vector<uint32_t> merged = {1, 2};
  std::vector<uint32_t> targets = {0, 1};
  total->MergeGroups(*partial, merged.data(), targets.data(), 2);
  Column result = total->Finalize(MemoryPool::Default());
  EXPECT_EQ(IntAt(result, 0), 2);  // {2, 4}
  EXPECT_EQ(IntAt(result, 1), 1);  // {3}
}

TEST(AggregatesTest, VarianceAndStdAreSampleByDefaultAndMergeExactly) {
  std::vector<std::optional<double>> values = {2, 4, 4, 4, 5, 5, 7, 9};
  Column input = Float64s(values);
  std::vector<uint32_t> groups(values.size(), 0);
  Column var = RunAggregate("var", &input, groups, 1);
  Column std = RunAggregate("std", &input, groups, 1);
  Column population = RunAggregate("var", &input, groups, 1, /*ddof=*/0.0);
  EXPECT_NEAR(DoubleAt(var, 0), 32.0 / 7.0, 1e-12);
  EXPECT_NEAR(DoubleAt(std, 0), std::sqrt(32.0 / 7.0), 1e-12);
  EXPECT_NEAR(DoubleAt(population, 0), 4.0, 1e-12);

  // Chan's merge of two halves agrees with the whole.
  Column left = Float64s({2, 4, 4});
  Column right = Float64s({4, 5, 5, 7, 9});
  auto a = MakeState("var", Float64());
  auto b = MakeState("var", Float64());
  a->Resize(1);
  b->Resize(1);
  a->Update(&left, groups.data(), 3);
  b->Update(&right, groups.data(), 5);
  auto total = MakeState("var", Float64());
  total->Resize(1);
  uint32_t zero = 0;
  total->Merge(*a, &zero, 1);
  total->Merge(*b, &zero, 1);
  EXPECT_NEAR(DoubleAt(total->Finalize(MemoryPool::Default()), 0), 32.0 / 7.0, 1e-12);

  // One value has no sample variance.
  Column one = Float64s({3.0});
  EXPECT_TRUE(RunAggregate("std", &one, {0}, 1).IsNull(0));
}

TEST(AggregatesTest, MedianAndQuantileInterpolateLinearly) {
  Column input = Int64s({4, 1, std::nullopt, 3, 2, 10});
  std::vector<uint32_t> groups = {0, 0, 0, 0, 0, 1};
  Column median = RunAggregate("median", &input, groups, 3);
  ASSERT_EQ(median.type, Float64());
  EXPECT_DOUBLE_EQ(DoubleAt(median, 0), 2.5);
  EXPECT_DOUBLE_EQ(DoubleAt(median, 1), 10.0);
  EXPECT_TRUE(median.IsNull(2));
  Column q = RunAggregate("quantile", &input, groups, 2, 0.25);
  EXPECT_DOUBLE_EQ(DoubleAt(q, 0), 1.75);
  EXPECT_THROW(MakeState("quantile", Int64(), 1.5), Error);

  // Merged from sealed per-morsel states, by range.
  auto partial = MakeState("median", Int64());
  partial->Resize(3);
  partial->Update(&input, groups.data(), 6);
  partial->Seal();
  auto total = MakeState("median", Int64());
  total->Resize(1);
  uint32_t group = 1;
  uint32_t target = 0;
  total->MergeGroups(*partial, &group, &target, 1);
  EXPECT_DOUBLE_EQ(DoubleAt(total->Finalize(MemoryPool::Default()), 0), 10.0);
}

TEST(AggregatesTest, AnyAndAllSkipNullsAndGiveNullWithoutValues) {
  Column input = Bools({true, false, std::nullopt, true, true, std::nullopt});
  std::vector<uint32_t> groups = {0, 0, 1, 1, 1, 2};
  Column any = RunAggregate("any", &input, groups, 3);
  Column all = RunAggregate("all", &input, groups, 3);
  EXPECT_TRUE(any.BoolAt(0));
  EXPECT_FALSE(all.BoolAt(0));
  EXPECT_TRUE(all.BoolAt(1));
  EXPECT_TRUE(any.IsNull(2));
  EXPECT_TRUE(all.IsNull(2));
}

TEST(AggregatesTest, ResultTypesRejectTypesAFunctionDoesNotTake) {
  try {
    FindAggregateFunction("sum")->result_type(Utf8(), "sum(region)");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("sum(region)"), std::string::npos) << error.what();
  }
  EXPECT_THROW(FindAggregateFunction("any")->result_type(Int64(), "any(x)"), Error);
  EXPECT_EQ(FindAggregateFunction("max")->result_type(Utf8(), "max(s)"), Utf8());
  EXPECT_EQ(FindAggregateFunction("median")->result_type(Int32(), "median(x)"), Float64());
  EXPECT_EQ(FindAggregateFunction("nope"), nullptr);
  EXPECT_EQ(AggregateFunctionNames().size(), 15u);
}

TEST(AggregatesTest, MergingPartitionsOfGroupsEqualsAWholeAggregation) {
  // Six groups split into two partitions merged into a state in a different group order.
  Column input = Int64s({1, 2, 3, 4, 5, 6, 7, std::nullopt});
  std::vector<uint32_t> groups = {0, 1, 2, 3, 4, 5, 0, 5};
  for (const char* name : {"count", "sum", "min", "max", "first", "last"}) {
    auto partial = MakeState(name, Int64());
    partial->Resize(6);
    partial->Update(&input, groups.data(), 8);
    partial->Seal();
    auto total = MakeState(name, Int64());
    total->Resize(6);
    std::vector<uint32_t> even = {0, 2, 4};
    std::vector<uint32_t> odd = {1, 3, 5};
    std::vector<uint32_t> even_targets = {5, 3, 1};
    std::vector<uint32_t> odd_targets = {4, 2, 0};
    total->MergeGroups(*partial, even.data(), even_targets.data(), 3);
    total->MergeGroups(*partial, odd.data(), odd_targets.data(), 3);
    Column merged = total->Finalize(MemoryPool::Default());
    Column direct = RunAggregate(name, &input, groups, 6);
    for (int g = 0; g < 6; ++g) {
      int from = 5 - g;  // Both partitions reverse the order.
      EXPECT_EQ(merged.IsNull(from), direct.IsNull(g)) << name << " group " << g;
      if (!direct.IsNull(g)) {
        EXPECT_EQ(IntAt(merged, from), IntAt(direct, g)) << name << " group " << g;
      }
    }
  }
}

TEST(AggregatesTest, UpdateRangeReadsOnlyItsRows) {
  // Rows 2..6 of the column, with nulls around the 64-row word edges too.
  std::vector<std::optional<int64_t>> values;
  for (int i = 0; i < 200; ++i)
    values.push_back(i % 5 == 0 ? std::nullopt : std::optional<int64_t>(i));
  Column input = Int64s(values);
  for (const char* name : {"count", "sum", "max", "first"}) {
    auto state = MakeState(name, Int64());
    state->Resize(2);
    std::vector<uint32_t> groups(190 - 3);
    for (size_t k = 0; k < groups.size(); ++k) groups[k] = static_cast<uint32_t>((k + 3) % 2);
    state->UpdateRange(&input, 3, 190, groups.data());
    Column result = state->Finalize(MemoryPool::Default());
    std::vector<int64_t> count(2, 0), sum(2, 0), max(2, INT64_MIN), first(2, -1);
    for (int i = 3; i < 190; ++i) {
      int g = i % 2;
      if (first[g] < 0) first[g] = values[i] ? *values[i] : -2;
      if (!values[i]) continue;
      ++count[g];
      sum[g] += *values[i];
      max[g] = std::max(max[g], *values[i]);
    }
    for (int g = 0; g < 2; ++g) {
      std::string function = name;
      int64_t expected = function == "count" ? count[g]
                         : function == "sum" ? sum[g]
                         : function == "max" ? max[g]
                                             : first[g];
      if (expected == -2) {
        EXPECT_TRUE(result.IsNull(g)) << name;
      } else {
        EXPECT_EQ(IntAt(result, g), expected) << name << " group " << g;
      }
    }
  }
}

TEST(AggregatesTest, UpdateRangeWithoutGroupIdsAddsEveryRowToGroupZero) {
  // Global aggregates pass no group ids; fast paths and the generic fallback must agree.
  Column ints = Int64s({4, std::nullopt, -2, 7, 1});
  Column floats = Float64s({0.5, 1e16, std::nullopt, -1e16, 2.0});
  std::vector<uint32_t> zeros(5, 0);
  for (const char* name :
       {"count", "sum", "mean", "min", "max", "first", "last", "median", "var", "n_unique"}) {
    for (const Column* input : {&ints, &floats}) {
      auto fast = MakeState(name, input->type);
      fast->Resize(1);
      fast->UpdateRange(input, 1, 5, nullptr);
      auto reference = MakeState(name, input->type);
      reference->Resize(1);
      reference->UpdateRange(input, 1, 5, zeros.data());
      Column a = fast->Finalize(MemoryPool::Default());
      Column b = reference->Finalize(MemoryPool::Default());
      EXPECT_TRUE(a.Equals(b)) << name << " of " << input->type.ToString();
    }
  }
  auto count = MakeState("count_star", Int64());
  count->Resize(1);
  count->UpdateRange(nullptr, 0, 0, nullptr);  // An empty range touches nothing.
  count->UpdateRange(nullptr, 10, 25, nullptr);
  EXPECT_EQ(IntAt(count->Finalize(MemoryPool::Default()), 0), 15);
}

}  // namespace
}  // namespace sluice
