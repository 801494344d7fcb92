// Arithmetic kernels: promotion, null propagation, column/scalar combinations, checked integer
// overflow, division semantics, decimals and temporal overloads.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "expr_test_util.h"

namespace sluice {
namespace {

using expr_test::ErrorOf;
using expr_test::Eval;
using expr_test::EvalConst;
using expr_test::MakeBatch;
using expr_test::Render;
using expr_test::Rows;

TEST(ArithmeticTest, AddsColumnsWithNullPropagation) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, 2, std::nullopt, 4})},
                           {"b", expr_test::I64({10, std::nullopt, 30, 40})}});
  Column out = Eval(col("a") + col("b"), batch);
  EXPECT_EQ(out.type, Int64());
  EXPECT_EQ(Render(out), (Rows{"11", "NULL", "NULL", "44"}));
}

TEST(ArithmeticTest, ColumnScalarCombinations) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, 2, 3})}});
  EXPECT_EQ(Render(Eval(col("a") - 1, batch)), (Rows{"0", "1", "2"}));
  EXPECT_EQ(Render(Eval(10 - col("a"), batch)), (Rows{"9", "8", "7"}));
  EXPECT_EQ(Render(Eval(col("a") * col("a"), batch)), (Rows{"1", "4", "9"}));
  EXPECT_EQ(Render(Eval(lit(2) * lit(3) + col("a"), batch)), (Rows{"7", "8", "9"}));
}

TEST(ArithmeticTest, ConstantsStayOneValueUnlessExpanded) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, 2, 3})}});
  Column folded = Eval(lit(2) + lit(3), batch, /*expand=*/false);
  EXPECT_EQ(folded.length, 1);
  EXPECT_EQ(Render(folded), (Rows{"5"}));
  EXPECT_EQ(Render(Eval(lit(2) + lit(3), batch)), (Rows{"5", "5", "5"}));
}

TEST(ArithmeticTest, NullScalarMakesEveryRowNull) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, 2, 3})}});
  EXPECT_EQ(Render(Eval(col("a") + lit_null(Int64()), batch)), (Rows{"NULL", "NULL", "NULL"}));
  EXPECT_EQ(Render(Eval(lit_null(Int64()) * col("a"), batch)), (Rows{"NULL", "NULL", "NULL"}));
}

TEST(ArithmeticTest, PromotesMixedIntegerWidthsAndFloats) {
  Batch batch = MakeBatch({{"i32", expr_test::I32({1, 2})},
                           {"i64", expr_test::I64({10, 20})},
                           {"i8", expr_test::I8({3, 4})},
                           {"u8", expr_test::U8({200, 250})},
                           {"f32", expr_test::F32({0.5f, 1.5f})},
                           {"f64", expr_test::F64({0.25, 0.75})}});
  Column sum = Eval(col("i32") + col("i64"), batch);
  EXPECT_EQ(sum.type, Int64());
  EXPECT_EQ(Render(sum), (Rows{"11", "22"}));
  EXPECT_EQ(Eval(col("i8") + col("u8"), batch).type, Int16());
  EXPECT_EQ(Render(Eval(col("i8") + col("u8"), batch)), (Rows{"203", "254"}));
  EXPECT_EQ(Eval(col("i32") + col("f64"), batch).type, Float64());
  EXPECT_EQ(Eval(col("i8") + col("f32"), batch).type, Float32());
  EXPECT_EQ(Eval(col("i64") + col("f32"), batch).type, Float64());
  EXPECT_EQ(Render(Eval(col("i32") * col("f64"), batch)), (Rows{"0.25", "1.5"}));
}

TEST(ArithmeticTest, IntegerLiteralsAdoptTheColumnType) {
  Batch batch = MakeBatch({{"i8", expr_test::I8({1, 100})}});
  EXPECT_EQ(Eval(col("i8") + 1, batch).type, Int8());
  // 1000 does not fit int8: the result widens instead.
  Column wide = Eval(col("i8") * 1000, batch);
  EXPECT_EQ(wide.type, Int32());
  EXPECT_EQ(Render(wide), (Rows{"1000", "100000"}));
}

TEST(ArithmeticTest, IntegerOverflowIsAnErrorNamingTheValues) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, std::numeric_limits<int64_t>::max()})},
                           {"b", expr_test::I64({1, 1})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("a") + col("b"), batch); }),
            "integer overflow in `a + b`: 9223372036854775807 + 1");
  Batch small = MakeBatch({{"x", expr_test::I8({100, -100})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("x") + 100, small); }),
            "integer overflow in `x + 100`: 100 + 100");
  EXPECT_EQ(ErrorOf([&] { Eval(col("x") * 2, small); }), "integer overflow in `x * 2`: 100 * 2");
  EXPECT_EQ(ErrorOf([&] { Eval(col("x") - 100, small); }),
            "integer overflow in `x - 100`: -100 - 100");
  Batch unsigned_batch = MakeBatch({{"u", expr_test::U32({1, 5})}});
  EXPECT_NE(ErrorOf([&] { Eval(col("u") - lit(int64_t{2}), unsigned_batch); }), "");
}

TEST(ArithmeticTest, OverflowInANullRowIsIgnored) {
  // Row 1 is null in b; whatever its slot holds must not raise an error.
  Column a = expr_test::I64({1, std::numeric_limits<int64_t>::max()});
  Column b = expr_test::I64({1, std::nullopt});
  b.values->as<int64_t>()[1] = 1;  // A value under a null.
  Batch batch = MakeBatch({{"a", a}, {"b", b}});
  EXPECT_EQ(Render(Eval(col("a") + col("b"), batch)), (Rows{"2", "NULL"}));
}

TEST(ArithmeticTest, NegateIsCheckedAndWidensUnsigned) {
  Batch batch = MakeBatch({{"x", expr_test::I8({1, -128})}, {"u", expr_test::U8({1, 255})}});
  EXPECT_EQ(ErrorOf([&] { Eval(-col("x"), batch); }), "integer overflow in `-x`: -128");
  Column neg = Eval(-col("u"), batch);
  EXPECT_EQ(neg.type, Int16());
  EXPECT_EQ(Render(neg), (Rows{"-1", "-255"}));
  Batch floats = MakeBatch({{"f", expr_test::F64({1.5, std::nullopt})}});
  EXPECT_EQ(Render(Eval(-col("f"), floats)), (Rows{"-1.5", "NULL"}));
}

TEST(ArithmeticTest, IntegerDivisionGivesFloat64AndRejectsZero) {
  Batch batch = MakeBatch({{"a", expr_test::I64({7, -7, 1})}, {"b", expr_test::I64({2, 2, 0})}});
  Batch ok = batch.Slice(0, 2);
  Column quotient = Eval(col("a") / col("b"), ok);
  EXPECT_EQ(quotient.type, Float64());
  EXPECT_EQ(Render(quotient), (Rows{"3.5", "-3.5"}));
  EXPECT_EQ(ErrorOf([&] { Eval(col("a") / col("b"), batch); }),
            "division by zero in `a / b`: 1 / 0");
}

TEST(ArithmeticTest, FloatDivisionFollowsIeee) {
  Batch batch = MakeBatch({{"a", expr_test::F64({1, -1, 0})}, {"b", expr_test::F64({0, 0, 0})}});
  Column out = Eval(col("a") / col("b"), batch);
  EXPECT_EQ(Render(out), (Rows{"inf", "-inf", "nan"}));
}

TEST(ArithmeticTest, IntegerDivideTruncatesAndRejectsZero) {
  Batch batch = MakeBatch({{"a", expr_test::I64({7, -7})}, {"b", expr_test::I64({2, 2})}});
  Column out = Eval(call("integer_divide", {col("a"), col("b")}), batch);
  EXPECT_EQ(out.type, Int64());
  EXPECT_EQ(Render(out), (Rows{"3", "-3"}));
  EXPECT_EQ(call("integer_divide", {col("a"), col("b")}).ToString(), "a // b");
  EXPECT_EQ(ErrorOf([&] {
              Eval(call("integer_divide", {col("a"), lit(int64_t{0})}), batch);
            }),
            "division by zero in `a // 0`: 7 // 0");
  Batch min = MakeBatch({{"a", expr_test::I64({std::numeric_limits<int64_t>::min()})}});
  EXPECT_EQ(ErrorOf([&] {
              Eval(call("integer_divide", {col("a"), lit(int64_t{-1})}), min);
            }),
            "integer overflow in `a // -1`: -9223372036854775808 // -1");
}

TEST(ArithmeticTest, ModuloTakesTheDividendSignAndIsNullForZero) {
  Batch batch = MakeBatch({{"a", expr_test::I64({7, -7, 5, std::numeric_limits<int64_t>::min()})},
                           {"b", expr_test::I64({3, 3, 0, -1})}});
  EXPECT_EQ(Render(Eval(col("a") % col("b"), batch)), (Rows{"1", "-1", "NULL", "0"}));
  Batch floats = MakeBatch({{"a", expr_test::F64({7.5, 1})}, {"b", expr_test::F64({2, 0})}});
  EXPECT_EQ(Render(Eval(col("a") % col("b"), floats)), (Rows{"1.5", "NULL"}));
}

TEST(ArithmeticTest, DecimalAdditionIsExactWithTheLargerScale) {
  Batch batch = MakeBatch({{"p", expr_test::Dec(15, 2, {12345, -1, std::nullopt})},
                           {"q", expr_test::Dec(10, 3, {1, 1000, 5})}});
  Column out = Eval(col("p") + col("q"), batch);
  EXPECT_EQ(out.type, Decimal(17, 3));
  EXPECT_EQ(Render(out), (Rows{"123.451", "0.990", "NULL"}));
  EXPECT_EQ(Render(Eval(col("p") - col("q"), batch)), (Rows{"123.449", "-1.010", "NULL"}));
}

TEST(ArithmeticTest, DecimalMultiplicationAddsScales) {
  Batch batch =
      MakeBatch({{"p", expr_test::Dec(15, 2, {1050, -250})}, {"n", expr_test::I32({3, 4})}});
  Column out = Eval(col("p") * col("p"), batch);
  EXPECT_EQ(out.type, Decimal(30, 4));
  EXPECT_EQ(Render(out), (Rows{"110.2500", "6.2500"}));
  Column by_int = Eval(col("p") * col("n"), batch);
  EXPECT_EQ(by_int.type, Decimal(25, 2));
  EXPECT_EQ(Render(by_int), (Rows{"31.50", "-10.00"}));
}

TEST(ArithmeticTest, DecimalMultiplicationBeyondSixtyFourBitsIsExact) {
  // 64-bit operands take one 64x64-bit multiplication (the smallest int64 included); a wider
  // one (p * p = 10^20 below) the checked 128-bit path.
  Batch batch = MakeBatch(
      {{"p", expr_test::Dec(18, 0, {std::numeric_limits<int64_t>::min(), 10000000000, -3})},
       {"q", expr_test::Dec(18, 0, {-1, 3, std::numeric_limits<int64_t>::max()})}});
  EXPECT_EQ(Render(Eval(col("p") * col("q"), batch)),
            (Rows{"9223372036854775808", "30000000000", "-27670116110564327421"}));
  Batch wide = batch.Slice(1, 2);
  EXPECT_EQ(Render(Eval(col("p") * col("p") * col("q"), wide)),
            (Rows{"300000000000000000000", "83010348331692982263"}));
}

TEST(ArithmeticTest, DecimalOverflowIsAnError) {
  Batch batch = MakeBatch({{"p", expr_test::Dec(38, 0, {std::numeric_limits<int64_t>::max()})}});
  std::string message = ErrorOf([&] { Eval(col("p") * col("p") * col("p"), batch); });
  EXPECT_NE(message.find("decimal overflow"), std::string::npos) << message;
}

TEST(ArithmeticTest, DecimalDivisionAndFloatMixGiveFloat64) {
  Batch batch = MakeBatch({{"p", expr_test::Dec(15, 2, {150, 300})}});
  Column half = Eval(col("p") / 2, batch);
  EXPECT_EQ(half.type, Float64());
  EXPECT_EQ(Render(half), (Rows{"0.75", "1.5"}));
  EXPECT_EQ(Eval(col("p") * 0.5, batch).type, Float64());
  EXPECT_EQ(ErrorOf([&] { Eval(col("p") / 0, batch); }), "division by zero in `p / 0`: 1.5 / 0");
  EXPECT_EQ(Render(Eval(col("p") % lit(int64_t{1}), batch)), (Rows{"0.50", "0.00"}));
}

TEST(ArithmeticTest, TimestampPlusAndMinusDuration) {
  Batch batch = MakeBatch({{"t", EvalConst(lit_timestamp("2024-03-01 12:00:00"))}});
  Column later = Eval(col("t") + lit_duration(90, "minute"), batch);
  EXPECT_EQ(later.type, Timestamp(TimeUnit::kMicro));
  EXPECT_EQ(Render(later), (Rows{"2024-03-01 13:30:00"}));
  EXPECT_EQ(Render(Eval(col("t") - lit_duration(1, "day"), batch)), (Rows{"2024-02-29 12:00:00"}));
  EXPECT_EQ(Render(Eval(lit_duration(1, "second") + col("t"), batch)),
            (Rows{"2024-03-01 12:00:01"}));
}

TEST(ArithmeticTest, DateArithmetic) {
  Column days = expr_test::Fixed<int32_t>(Date32(), {19783, std::nullopt});  // 2024-03-01
  Batch batch = MakeBatch({{"d", days}});
  Column next = Eval(col("d") + 1, batch);
  EXPECT_EQ(next.type, Date32());
  EXPECT_EQ(Render(next), (Rows{"2024-03-02", "NULL"}));
  EXPECT_EQ(Render(Eval(col("d") - 1, batch)), (Rows{"2024-02-29", "NULL"}));
  Column diff = Eval(col("d") - lit_date("2024-01-01"), batch);
  EXPECT_EQ(diff.type, Int64());
  EXPECT_EQ(Render(diff), (Rows{"60", "NULL"}));
  Column at = Eval(col("d") + lit_duration(6, "hour"), batch);
  EXPECT_EQ(at.type, Timestamp(TimeUnit::kMicro));
  EXPECT_EQ(Render(at), (Rows{"2024-03-01 06:00:00", "NULL"}));
}

TEST(ArithmeticTest, TimestampDifferenceIsADuration) {
  Batch batch = MakeBatch({});
  batch.num_rows = 1;
  Column d =
      Eval(lit_timestamp("2024-03-02 00:00:00") - lit_timestamp("2024-03-01 12:00:00"), batch);
  EXPECT_EQ(d.type, Duration(TimeUnit::kMicro));
  EXPECT_EQ(d.Values<int64_t>()[0], int64_t{12} * 3600 * 1000000);
  Column d2 = Eval(lit_timestamp("2024-03-02 00:00:00") - lit_date("2024-03-01"), batch);
  EXPECT_EQ(d2.Values<int64_t>()[0], int64_t{86400} * 1000000);
  Column scaled = Eval(lit_duration(2, "hour") * 3, batch);
  EXPECT_EQ(scaled.type, Duration(TimeUnit::kMicro));
  EXPECT_EQ(scaled.Values<int64_t>()[0], int64_t{6} * 3600 * 1000000);
}

TEST(ArithmeticTest, IncompatibleTypesAreRejected) {
  Batch batch =
      MakeBatch({{"s", expr_test::Strs({"a"})}, {"d", expr_test::Fixed<int32_t>(Date32(), {1})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("s") + 1, batch); }), "cannot add utf8 and int32 in `s + 1`");
  EXPECT_EQ(ErrorOf([&] { Eval(col("d") * 2, batch); }),
            "cannot multiply date32 and int32 in `d * 2`");
  EXPECT_EQ(ErrorOf([&] { Eval(col("d") + col("d"), batch); }),
            "cannot add date32 and date32 in `d + d`");
}

TEST(ArithmeticTest, WorksAcrossManyRowsAndEveryIntegerWidth) {
  // Enough rows to cross several 64-bit validity words, with nulls sprinkled in.
  std::vector<std::optional<int16_t>> a;
  std::vector<std::optional<int16_t>> b;
  for (int i = 0; i < 1000; ++i) {
    a.push_back(i % 7 == 0 ? std::nullopt : std::optional<int16_t>(static_cast<int16_t>(i)));
    b.push_back(static_cast<int16_t>(2));
  }
  Batch batch = MakeBatch({{"a", expr_test::I16(a)}, {"b", expr_test::I16(b)}});
  Column out = Eval(col("a") * col("b") - 1, batch);
  EXPECT_EQ(out.type, Int16());
  ASSERT_EQ(out.length, 1000);
  for (int i = 0; i < 1000; ++i) {
    if (i % 7 == 0) {
      EXPECT_TRUE(out.IsNull(i));
    } else {
      ASSERT_TRUE(out.IsValid(i));
      EXPECT_EQ(out.Values<int16_t>()[i], 2 * i - 1);
    }
  }
  EXPECT_EQ(out.null_count, 143);
}

}  // namespace
}  // namespace sluice
