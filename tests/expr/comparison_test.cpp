// Comparison kernels: every operator over numbers (with promotion), strings, bools, dates,
// timestamps and decimals, with SQL nulls and column/scalar combinations.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "expr_test_util.h"

namespace sluice {
namespace {

using expr_test::ErrorOf;
using expr_test::Eval;
using expr_test::MakeBatch;
using expr_test::Render;
using expr_test::Rows;

TEST(ComparisonTest, AllOperatorsOnIntegers) {
  Batch batch = MakeBatch(
      {{"a", expr_test::I64({1, 2, 3, std::nullopt})}, {"b", expr_test::I64({2, 2, 2, 2})}});
  EXPECT_EQ(Render(Eval(col("a") == col("b"), batch)), (Rows{"false", "true", "false", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a") != col("b"), batch)), (Rows{"true", "false", "true", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a") < col("b"), batch)), (Rows{"true", "false", "false", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a") <= col("b"), batch)), (Rows{"true", "true", "false", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a") > col("b"), batch)), (Rows{"false", "false", "true", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a") >= col("b"), batch)), (Rows{"false", "true", "true", "NULL"}));
}

TEST(ComparisonTest, ScalarOnEitherSide) {
  Batch batch = MakeBatch({{"a", expr_test::I32({1, 5, 10})}});
  EXPECT_EQ(Render(Eval(col("a") > 4, batch)), (Rows{"false", "true", "true"}));
  EXPECT_EQ(Render(Eval(4 > col("a"), batch)), (Rows{"true", "false", "false"}));
  EXPECT_EQ(Render(Eval(lit(1) < lit(2), batch)), (Rows{"true", "true", "true"}));
  EXPECT_EQ(Render(Eval(col("a") == lit_null(Int32()), batch)), (Rows{"NULL", "NULL", "NULL"}));
}

TEST(ComparisonTest, PromotesAcrossNumericTypes) {
  Batch batch = MakeBatch({{"i", expr_test::I32({1, 2})},
                           {"f", expr_test::F64({1.0, 1.5})},
                           {"u", expr_test::U64({1, std::numeric_limits<uint64_t>::max()})},
                           {"i8", expr_test::I8({-1, 1})}});
  EXPECT_EQ(Render(Eval(col("i") == col("f"), batch)), (Rows{"true", "false"}));
  EXPECT_EQ(Render(Eval(col("i") > 1.5, batch)), (Rows{"false", "true"}));
  EXPECT_EQ(Render(Eval(col("i8") < col("i"), batch)), (Rows{"true", "true"}));
}

TEST(ComparisonTest, FloatsOrderNanAboveEverythingAndEqualToItself) {
  const double nan = std::nan("");
  const double inf = std::numeric_limits<double>::infinity();
  Batch batch = MakeBatch(
      {{"a", expr_test::F64({nan, nan, 1.0, inf})}, {"b", expr_test::F64({nan, inf, nan, 1.0})}});
  EXPECT_EQ(Render(Eval(col("a") == col("b"), batch)), (Rows{"true", "false", "false", "false"}));
  EXPECT_EQ(Render(Eval(col("a") > col("b"), batch)), (Rows{"false", "true", "false", "true"}));
  EXPECT_EQ(Render(Eval(col("a") < col("b"), batch)), (Rows{"false", "false", "true", "false"}));
}

TEST(ComparisonTest, StringsCompareBytewise) {
  Batch batch =
      MakeBatch({{"s", expr_test::Strs({"apple", "Banana", "", std::nullopt, "\xc3\xa9"})}});
  EXPECT_EQ(Render(Eval(col("s") == "apple", batch)),
            (Rows{"true", "false", "false", "NULL", "false"}));
  // 'B' (0x42) < 'a' (0x61) < 0xC3: byte order, not locale order.
  EXPECT_EQ(Render(Eval(col("s") < "b", batch)), (Rows{"true", "true", "true", "NULL", "false"}));
  EXPECT_EQ(Render(Eval(col("s") >= "", batch)), (Rows{"true", "true", "true", "NULL", "true"}));
}

TEST(ComparisonTest, StringsAgainstStrings) {
  Batch batch = MakeBatch(
      {{"a", expr_test::Strs({"x", "abc", "abd"})}, {"b", expr_test::Strs({"x", "abcd", "abc"})}});
  EXPECT_EQ(Render(Eval(col("a") == col("b"), batch)), (Rows{"true", "false", "false"}));
  EXPECT_EQ(Render(Eval(col("a") < col("b"), batch)), (Rows{"false", "true", "false"}));
}

TEST(ComparisonTest, Bools) {
  Batch batch = MakeBatch({{"a", expr_test::Bools({true, false, true, std::nullopt})},
                           {"b", expr_test::Bools({true, true, false, true})}});
  EXPECT_EQ(Render(Eval(col("a") == col("b"), batch)), (Rows{"true", "false", "false", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a") < col("b"), batch)), (Rows{"false", "true", "false", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a") == true, batch)), (Rows{"true", "false", "true", "NULL"}));
}

TEST(ComparisonTest, DatesAgainstDateAndTimestampLiterals) {
  Column days = expr_test::Fixed<int32_t>(Date32(), {19782, 19783, 19784});  // Feb 29 .. Mar 2
  Batch batch = MakeBatch({{"d", days}});
  EXPECT_EQ(Render(Eval(col("d") >= lit_date("2024-03-01"), batch)),
            (Rows{"false", "true", "true"}));
  // A date meets a timestamp as its midnight.
  EXPECT_EQ(Render(Eval(col("d") > lit_timestamp("2024-03-01 12:00:00"), batch)),
            (Rows{"false", "false", "true"}));
  EXPECT_EQ(Render(Eval(col("d") == lit_timestamp("2024-03-01"), batch)),
            (Rows{"false", "true", "false"}));
  // A string literal that reads as a date compares as one.
  EXPECT_EQ(Render(Eval(col("d") < "2024-03-01", batch)), (Rows{"true", "false", "false"}));
}

TEST(ComparisonTest, TimestampsOfDifferentUnitsMeetInTheFinerUnit) {
  Column seconds = expr_test::Fixed<int64_t>(Timestamp(TimeUnit::kSecond), {1, 2});
  Column millis = expr_test::Fixed<int64_t>(Timestamp(TimeUnit::kMilli), {1000, 1500});
  Batch batch = MakeBatch({{"s", seconds}, {"ms", millis}});
  EXPECT_EQ(Render(Eval(col("s") == col("ms"), batch)), (Rows{"true", "false"}));
  EXPECT_EQ(Render(Eval(col("s") > col("ms"), batch)), (Rows{"false", "true"}));
}

TEST(ComparisonTest, DecimalsOfDifferentScales) {
  Batch batch = MakeBatch({{"a", expr_test::Dec(10, 2, {150, 100, -5})},
                           {"b", expr_test::Dec(12, 3, {1500, 1001, -50})}});
  EXPECT_EQ(Render(Eval(col("a") == col("b"), batch)), (Rows{"true", "false", "true"}));
  EXPECT_EQ(Render(Eval(col("a") < col("b"), batch)), (Rows{"false", "true", "false"}));
  EXPECT_EQ(Render(Eval(col("a") > 1, batch)), (Rows{"true", "false", "false"}));
  EXPECT_EQ(Render(Eval(col("a") > 1.2, batch)), (Rows{"true", "false", "false"}));
}

TEST(ComparisonTest, IncomparableTypesAreRejected) {
  Batch batch = MakeBatch({{"s", expr_test::Strs({"1"})}, {"n", expr_test::I64({1})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("s") == col("n"), batch); }),
            "cannot compare utf8 and int64 with = in `s = n`");
  EXPECT_NE(ErrorOf([&] { Eval(col("n") < lit_date("2024-01-01"), batch); }), "");
}

TEST(ComparisonTest, ManyRowsCrossWordBoundaries) {
  std::vector<std::optional<int64_t>> values;
  for (int i = 0; i < 300; ++i)
    values.push_back(i % 5 == 0 ? std::nullopt : std::optional<int64_t>(i));
  Batch batch = MakeBatch({{"a", expr_test::I64(values)}});
  Column out = Eval(col("a") >= 150, batch);
  ASSERT_EQ(out.length, 300);
  for (int i = 0; i < 300; ++i) {
    if (i % 5 == 0) {
      EXPECT_TRUE(out.IsNull(i)) << i;
    } else {
      EXPECT_EQ(out.BoolAt(i), i >= 150) << i;
    }
  }
  EXPECT_EQ(out.null_count, 60);
}

}  // namespace
}  // namespace sluice
