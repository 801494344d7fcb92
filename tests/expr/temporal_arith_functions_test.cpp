// add_months and epoch (src/expr/kernels/temporal_arith_functions.cpp) through Bind + Evaluate:
// end-of-month clamping as DuckDB, negative months, timestamps of several units, dates before
// 1970, and nulls.
#include <gtest/gtest.h>
#include <sluice/error.h>

#include "expr/strings_test_util.h"

namespace sluice {
namespace {

using test::AsInts;
using test::Days;
using test::Eval;
using test::IntColumn;
using test::Ints;
using test::Micros;

const std::nullopt_t kNull = std::nullopt;

std::vector<std::optional<double>> AsDoubles(const Column& column) {
  std::vector<std::optional<double>> out;
  for (int64_t i = 0; i < column.length; ++i) {
    if (column.IsNull(i)) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(column.Values<double>()[i]);
    }
  }
  return out;
}

TEST(TemporalArithFunctionsTest, AddMonthsClampsTheDayOfMonth) {
  Column d = IntColumn(
      {Days(2024, 1, 31), Days(2024, 2, 29), Days(1969, 12, 31), kNull, Days(2023, 3, 15)},
      Date32());
  Column out = Eval(call("add_months", {col("d"), lit(int64_t{1})}), {{"d", d}});
  EXPECT_EQ(out.type, Date32());
  EXPECT_EQ(AsInts(out), (Ints{Days(2024, 2, 29), Days(2024, 3, 29), Days(1970, 1, 31), kNull,
                               Days(2023, 4, 15)}));
  EXPECT_EQ(
      AsInts(Eval(call("add_months", {col("d"), lit(int64_t{-12})}), {{"d", d}})),
      (Ints{Days(2023, 1, 31), Days(2023, 2, 28), Days(1968, 12, 31), kNull, Days(2022, 3, 15)}));
  Column m = IntColumn({13, kNull, -1, 1, 0});
  EXPECT_EQ(AsInts(Eval(call("add_months", {col("d"), col("m")}), {{"d", d}, {"m", m}})),
            (Ints{Days(2025, 2, 28), kNull, Days(1969, 11, 30), kNull, Days(2023, 3, 15)}));
}

TEST(TemporalArithFunctionsTest, AddMonthsKeepsTheTimeOfDayAndUnit) {
  Column t = IntColumn({Micros(2024, 1, 31, 10, 30), Micros(1969, 3, 31, 23, 59, 59, 5)},
                       Timestamp(TimeUnit::kMicro));
  Column out = Eval(call("add_months", {col("t"), lit(int64_t{1})}), {{"t", t}});
  EXPECT_EQ(out.type, Timestamp(TimeUnit::kMicro));
  EXPECT_EQ(AsInts(out), (Ints{Micros(2024, 2, 29, 10, 30), Micros(1969, 4, 30, 23, 59, 59, 5)}));
  Column s = IntColumn({Micros(2024, 1, 31, 1) / 1'000'000}, Timestamp(TimeUnit::kSecond));
  EXPECT_EQ(AsInts(Eval(call("add_months", {col("s"), lit(int64_t{3})}), {{"s", s}})),
            (Ints{Micros(2024, 4, 30, 1) / 1'000'000}));
  EXPECT_THROW(Eval(call("add_months", {col("s"), lit(int64_t{1} << 40)}), {{"s", s}}), Error);
  EXPECT_THROW(Eval(call("add_months", {lit(int64_t{1}), lit(int64_t{1})})), Error);
}

TEST(TemporalArithFunctionsTest, EpochGivesSecondsAsFloat64) {
  Column t = IntColumn({Micros(1970, 1, 2), Micros(1970, 1, 2) + 500'000, -1, kNull},
                       Timestamp(TimeUnit::kMicro));
  Column out = Eval(call("epoch", {col("t")}), {{"t", t}});
  EXPECT_EQ(out.type, Float64());
  EXPECT_EQ(AsDoubles(out), (std::vector<std::optional<double>>{86400.0, 86400.5, -1e-6, kNull}));
  Column d = IntColumn({1, -1}, Date32());
  EXPECT_EQ(AsDoubles(Eval(call("epoch", {col("d")}), {{"d", d}})),
            (std::vector<std::optional<double>>{86400.0, -86400.0}));
  EXPECT_THROW(Eval(call("epoch", {lit("x")})), Error);
}

}  // namespace
}  // namespace sluice
