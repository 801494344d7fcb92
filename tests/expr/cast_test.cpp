// CAST and TRY_CAST: conversions between numbers, text, bools, decimals and temporal types;
// strict casts fail naming the value, try_cast gives null instead.
#include "expr/cast.h"

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

Rows CastRows(const Column& input, const DataType& type, bool try_cast = false) {
  Batch batch = MakeBatch({{"x", input}});
  Expr x = col("x");
  return Render(Eval(try_cast ? x.try_cast(type) : x.cast(type), batch));
}

std::string CastError(const Column& input, const DataType& type) {
  Batch batch = MakeBatch({{"x", input}});
  return ErrorOf([&] { Eval(col("x").cast(type), batch); });
}

TEST(CastTest, IntegersWidenAndNarrowWithRangeChecks) {
  EXPECT_EQ(CastRows(expr_test::I32({1, -2, std::nullopt}), Int64()), (Rows{"1", "-2", "NULL"}));
  EXPECT_EQ(CastRows(expr_test::I64({127, -128}), Int8()), (Rows{"127", "-128"}));
  EXPECT_EQ(CastError(expr_test::I64({1, 300}), Int8()),
            "cannot cast int64 value 300 to int8 in `CAST(x AS int8)`: out of range");
  EXPECT_EQ(CastRows(expr_test::I64({1, 300, -1}), Int8(), /*try_cast=*/true),
            (Rows{"1", "NULL", "-1"}));
  EXPECT_EQ(CastRows(expr_test::I64({-1, 5}), UInt32(), true), (Rows{"NULL", "5"}));
  EXPECT_EQ(CastRows(expr_test::U64({std::numeric_limits<uint64_t>::max()}), Int64(), true),
            (Rows{"NULL"}));
}

TEST(CastTest, OutOfRangeValueUnderANullIsIgnored) {
  Column x = expr_test::I64({1, std::nullopt});
  x.values->as<int64_t>()[1] = 1000;
  EXPECT_EQ(CastRows(x, Int8()), (Rows{"1", "NULL"}));
}

TEST(CastTest, FloatsToIntegersRoundToNearest) {
  EXPECT_EQ(CastRows(expr_test::F64({2.5, -2.5, 1.4, -0.6}), Int32()),
            (Rows{"3", "-3", "1", "-1"}));
  EXPECT_EQ(CastRows(expr_test::F64({std::nan(""), 1e20, 3}), Int64(), true),
            (Rows{"NULL", "NULL", "3"}));
  EXPECT_NE(CastError(expr_test::F64({1e20}), Int64()).find("out of range"), std::string::npos);
  EXPECT_EQ(CastRows(expr_test::F64({9.2e18}), Int64()), (Rows{"9200000000000000000"}));
}

TEST(CastTest, NumbersToFloats) {
  EXPECT_EQ(CastRows(expr_test::I64({1, -3}), Float64()), (Rows{"1", "-3"}));
  EXPECT_EQ(CastRows(expr_test::F64({0.5, 1e300}), Float32(), true), (Rows{"0.5", "NULL"}));
  EXPECT_EQ(CastRows(expr_test::F64({std::numeric_limits<double>::infinity()}), Float32()),
            (Rows{"inf"}));
}

TEST(CastTest, ValuesToText) {
  EXPECT_EQ(CastRows(expr_test::I64({-12, std::nullopt}), Utf8()), (Rows{"-12", "NULL"}));
  EXPECT_EQ(CastRows(expr_test::U8({255}), Utf8()), (Rows{"255"}));
  EXPECT_EQ(CastRows(expr_test::F64({0.1, 1e21, 2}), Utf8()), (Rows{"0.1", "1e+21", "2"}));
  EXPECT_EQ(CastRows(expr_test::Bools({true, false}), Utf8()), (Rows{"true", "false"}));
  EXPECT_EQ(CastRows(expr_test::Dec(10, 2, {-12345}), Utf8()), (Rows{"-123.45"}));
  EXPECT_EQ(CastRows(expr_test::Fixed<int32_t>(Date32(), {19783}), Utf8()), (Rows{"2024-03-01"}));
  EXPECT_EQ(CastRows(expr_test::Fixed<int64_t>(Timestamp(TimeUnit::kMilli), {1500}), Utf8()),
            (Rows{"1970-01-01 00:00:01.500"}));
}

TEST(CastTest, TextToNumbers) {
  EXPECT_EQ(CastRows(expr_test::Strs({"12", " -7 ", "+3", std::nullopt}), Int32()),
            (Rows{"12", "-7", "3", "NULL"}));
  EXPECT_EQ(CastRows(expr_test::Strs({"1.5", "-2e3", "inf", "nan"}), Float64()),
            (Rows{"1.5", "-2000", "inf", "nan"}));
  EXPECT_EQ(CastRows(expr_test::Strs({"18446744073709551615"}), UInt64()),
            (Rows{"18446744073709551615"}));
  EXPECT_EQ(CastRows(expr_test::Strs({"12", "n/a", "1.5", "", "99999999999"}), Int32(), true),
            (Rows{"12", "NULL", "NULL", "NULL", "NULL"}));
}

TEST(CastTest, BadTextNamesTheValueAndExpression) {
  Batch batch = MakeBatch({{"price", expr_test::Strs({"1.5", "n/a"})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("price").cast(Float64()), batch); }),
            "cannot cast 'n/a' to float64 in `CAST(price AS float64)`");
  EXPECT_EQ(Render(Eval(col("price").try_cast(Float64()), batch)), (Rows{"1.5", "NULL"}));
}

TEST(CastTest, TextToBool) {
  EXPECT_EQ(
      CastRows(expr_test::Strs({"true", "FALSE", "t", "no", "1", "0", "maybe"}), Bool(), true),
      (Rows{"true", "false", "true", "false", "true", "false", "NULL"}));
}

TEST(CastTest, TextToDecimalRoundsHalfAwayFromZero) {
  EXPECT_EQ(
      CastRows(expr_test::Strs({"1.005", "-1.005", "12", "0.001", "1e2", ".5"}), Decimal(6, 2)),
      (Rows{"1.01", "-1.01", "12.00", "0.00", "100.00", "0.50"}));
  EXPECT_EQ(CastRows(expr_test::Strs({"10000", "abc", "1.2.3"}), Decimal(6, 2), true),
            (Rows{"NULL", "NULL", "NULL"}));
}

TEST(CastTest, TextToDatesAndTimestamps) {
  EXPECT_EQ(CastRows(expr_test::Strs({"2024-03-01", "1969-12-31", "2024-02-30"}), Date32(), true),
            (Rows{"2024-03-01", "1969-12-31", "NULL"}));
  DataType us = Timestamp(TimeUnit::kMicro);
  EXPECT_EQ(CastRows(expr_test::Strs({"2024-03-01 12:34:56.789", "2024-03-01T01:02:03Z",
                                      "2024-03-01 12:00:00+02:00", "2024-03-01"}),
                     us),
            (Rows{"2024-03-01 12:34:56.789", "2024-03-01 01:02:03", "2024-03-01 10:00:00",
                  "2024-03-01 00:00:00"}));
  EXPECT_EQ(CastError(expr_test::Strs({"yesterday"}), Date32()),
            "cannot cast 'yesterday' to date32 in `CAST(x AS date32)`");
  EXPECT_EQ(CastRows(expr_test::Strs({"12:30:15.5"}), Time64(TimeUnit::kMicro)),
            (Rows{"12:30:15.500"}));
}

TEST(CastTest, DatesAndTimestamps) {
  EXPECT_EQ(
      CastRows(expr_test::Fixed<int32_t>(Date32(), {19783, -1}), Timestamp(TimeUnit::kSecond)),
      (Rows{"2024-03-01 00:00:00", "1969-12-31 00:00:00"}));
  // A timestamp falls on the date of its day, also before 1970.
  Column ts = expr_test::Fixed<int64_t>(Timestamp(TimeUnit::kMicro), {86400000000 + 1, -1});
  EXPECT_EQ(CastRows(ts, Date32()), (Rows{"1970-01-02", "1969-12-31"}));
  EXPECT_EQ(CastRows(ts, Timestamp(TimeUnit::kSecond)),
            (Rows{"1970-01-02 00:00:00", "1969-12-31 23:59:59"}));
  EXPECT_EQ(CastRows(ts, Timestamp(TimeUnit::kNano)),
            (Rows{"1970-01-02 00:00:00.000001", "1969-12-31 23:59:59.999999"}));
  Column far = expr_test::Fixed<int64_t>(Timestamp(TimeUnit::kSecond),
                                         {std::numeric_limits<int64_t>::max() / 10});
  EXPECT_EQ(CastRows(far, Timestamp(TimeUnit::kNano), true), (Rows{"NULL"}));
}

TEST(CastTest, DecimalsToAndFromNumbers) {
  EXPECT_EQ(CastRows(expr_test::Dec(10, 2, {12345, -12350, 49}), Int32()),
            (Rows{"123", "-124", "0"}));
  EXPECT_EQ(CastRows(expr_test::Dec(10, 2, {12345}), Float64()), (Rows{"123.45"}));
  EXPECT_EQ(CastRows(expr_test::I32({7, -3}), Decimal(5, 2)), (Rows{"7.00", "-3.00"}));
  EXPECT_EQ(CastRows(expr_test::I32({1000}), Decimal(5, 2), true), (Rows{"NULL"}));
  EXPECT_EQ(CastRows(expr_test::F64({1.005, 2.5, std::nan("")}), Decimal(10, 1), true),
            (Rows{"1.0", "2.5", "NULL"}));
  EXPECT_EQ(CastRows(expr_test::Dec(10, 3, {12345, -5}), Decimal(10, 2)), (Rows{"12.35", "-0.01"}));
  EXPECT_EQ(CastRows(expr_test::Dec(10, 2, {12345}), Decimal(12, 4)), (Rows{"123.4500"}));
  EXPECT_EQ(CastRows(expr_test::Dec(10, 2, {12345}), Decimal(4, 2), true), (Rows{"NULL"}));
}

TEST(CastTest, BoolsAndNumbers) {
  EXPECT_EQ(CastRows(expr_test::Bools({true, false}), Int32()), (Rows{"1", "0"}));
  EXPECT_EQ(CastRows(expr_test::I32({0, 5, -1}), Bool()), (Rows{"false", "true", "true"}));
  EXPECT_EQ(CastRows(expr_test::F64({0.0, 0.5}), Bool()), (Rows{"false", "true"}));
}

TEST(CastTest, UnsupportedPairsAreRejectedAtBindTime) {
  EXPECT_FALSE(CanCast(Date32(), Int32()));
  EXPECT_FALSE(CanCast(Bool(), Date32()));
  EXPECT_TRUE(CanCast(Int8(), Utf8()));
  EXPECT_TRUE(CanCast(Utf8(), Decimal(10, 2)));
  Batch batch = MakeBatch({{"b", expr_test::Bools({true})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("b").cast(Date32()), batch); }),
            "cannot cast bool to date32 in `CAST(b AS date32)`");
}

TEST(CastTest, LiteralCastsFoldAndFailAtBindTime) {
  Batch batch = MakeBatch({{"x", expr_test::I32({1})}});
  EXPECT_EQ(ErrorOf([&] { Bind(lit("abc").cast(Int32()), *batch.schema); }),
            "cannot cast 'abc' to int32 in `CAST('abc' AS int32)`");
  BoundExprPtr folded = Bind(lit("abc").try_cast(Int32()), *batch.schema);
  EXPECT_EQ(folded->kind, BoundExpr::Kind::kLiteral);
  EXPECT_EQ(folded->literal.null_count, 1);
}

TEST(CastTest, ParsersRejectGarbage) {
  int32_t days;
  int64_t value;
  EXPECT_TRUE(ParseIsoDate("2000-02-29", &days));
  EXPECT_FALSE(ParseIsoDate("1900-02-29", &days));
  EXPECT_FALSE(ParseIsoDate("2000-02-29x", &days));
  EXPECT_FALSE(ParseIsoDate("", &days));
  EXPECT_FALSE(ParseIsoTimestamp("2024-01-01 12", TimeUnit::kMicro, &value));
  EXPECT_FALSE(ParseIsoTimestamp("2024-01-01 12:60", TimeUnit::kMicro, &value));
  EXPECT_TRUE(ParseIsoTimestamp("2024-01-01 12:59", TimeUnit::kMicro, &value));
  EXPECT_FALSE(ParseInt64("99999999999999999999", &value));
  __int128 unscaled;
  EXPECT_FALSE(ParseDecimal("-", 10, 2, &unscaled));
  EXPECT_FALSE(ParseDecimal("1e", 10, 2, &unscaled));
  EXPECT_TRUE(ParseDecimal("0.000000000000000000000000000000000000000000001", 10, 2, &unscaled));
  EXPECT_TRUE(unscaled == 0);
  EXPECT_TRUE(ParseDecimal(std::string(38, '9'), 38, 0, &unscaled));
  EXPECT_FALSE(ParseDecimal("1" + std::string(38, '0'), 38, 0, &unscaled));
  EXPECT_FALSE(ParseDecimal(std::string(60, '9'), 38, 0, &unscaled));
  EXPECT_FALSE(ParseDecimal("9.99", 3, 2, &unscaled) && ParseDecimal("9.995", 3, 2, &unscaled));
}

}  // namespace
}  // namespace sluice
