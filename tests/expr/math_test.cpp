// Math kernels: abs, round, floor, ceil, sqrt, ln, log10, exp, pow, sign and hash.
#include <gtest/gtest.h>
#include <xxhash.h>

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

TEST(MathTest, AbsKeepsTheTypeAndChecksOverflow) {
  Batch batch = MakeBatch({{"i", expr_test::I8({-5, 3, std::nullopt})},
                           {"f", expr_test::F64({-1.5, 2, -0.0})},
                           {"d", expr_test::Dec(6, 2, {-150, 20, 0})},
                           {"u", expr_test::U32({1, 2, 3})}});
  Column i = Eval(col("i").abs(), batch);
  EXPECT_EQ(i.type, Int8());
  EXPECT_EQ(Render(i), (Rows{"5", "3", "NULL"}));
  EXPECT_EQ(Render(Eval(col("f").abs(), batch)), (Rows{"1.5", "2", "0"}));
  EXPECT_EQ(Render(Eval(col("d").abs(), batch)), (Rows{"1.50", "0.20", "0.00"}));
  EXPECT_EQ(Render(Eval(col("u").abs(), batch)), (Rows{"1", "2", "3"}));
  Batch min = MakeBatch({{"i", expr_test::I8({-128})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("i").abs(), min); }), "integer overflow in `abs(i)`: -128");
}

TEST(MathTest, RoundFloatsHalfAwayFromZero) {
  Batch batch = MakeBatch({{"f", expr_test::F64({2.5, -2.5, 1.2345, 1234.5, std::nullopt})}});
  EXPECT_EQ(Render(Eval(col("f").round(), batch)), (Rows{"3", "-3", "1", "1235", "NULL"}));
  EXPECT_EQ(Render(Eval(col("f").round(2), batch)),
            (Rows{"2.5", "-2.5", "1.23", "1234.5", "NULL"}));
  EXPECT_EQ(Render(Eval(col("f").round(-2), batch)), (Rows{"0", "-0", "0", "1200", "NULL"}));
}

TEST(MathTest, RoundIntegersAndDecimalsExactly) {
  Batch batch = MakeBatch(
      {{"i", expr_test::I32({1234, -1250, 49})}, {"d", expr_test::Dec(6, 3, {1235, -1235, 999})}});
  EXPECT_EQ(Render(Eval(col("i").round(), batch)), (Rows{"1234", "-1250", "49"}));
  EXPECT_EQ(Render(Eval(col("i").round(-2), batch)), (Rows{"1200", "-1300", "0"}));
  Column d = Eval(col("d").round(2), batch);
  EXPECT_EQ(d.type, Decimal(6, 3));
  EXPECT_EQ(Render(d), (Rows{"1.240", "-1.240", "1.000"}));
  EXPECT_EQ(Render(Eval(col("d").round(), batch)), (Rows{"1.000", "-1.000", "1.000"}));
  Batch big = MakeBatch({{"i", expr_test::I8({125})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("i").round(-1), big); }),
            "integer overflow in `round(i, -1)`: 125");
}

TEST(MathTest, RoundNeedsConstantDigits) {
  Batch batch = MakeBatch({{"f", expr_test::F64({1.5})}, {"n", expr_test::I32({1})}});
  EXPECT_NE(ErrorOf([&] {
              Eval(call("round", {col("f"), col("n")}), batch);
            }).find("round's digits must be a constant integer"),
            std::string::npos);
  EXPECT_EQ(Render(Eval(call("round", {col("f")}), batch)), (Rows{"2"}));
}

TEST(MathTest, FloorAndCeil) {
  Batch batch = MakeBatch({{"f", expr_test::F64({1.5, -1.5, 2.0})},
                           {"i", expr_test::I64({3, -3, 0})},
                           {"d", expr_test::Dec(5, 2, {150, -150, 200})}});
  EXPECT_EQ(Render(Eval(col("f").floor(), batch)), (Rows{"1", "-2", "2"}));
  EXPECT_EQ(Render(Eval(col("f").ceil(), batch)), (Rows{"2", "-1", "2"}));
  EXPECT_EQ(Render(Eval(col("i").floor(), batch)), (Rows{"3", "-3", "0"}));
  EXPECT_EQ(Render(Eval(col("d").floor(), batch)), (Rows{"1.00", "-2.00", "2.00"}));
  EXPECT_EQ(Render(Eval(col("d").ceil(), batch)), (Rows{"2.00", "-1.00", "2.00"}));
  Batch edge = MakeBatch({{"d", expr_test::Dec(3, 1, {995})}});
  EXPECT_NE(ErrorOf([&] { Eval(col("d").ceil(), edge); }).find("decimal overflow"),
            std::string::npos);
}

TEST(MathTest, FloatFunctionsGiveFloat64) {
  Batch batch = MakeBatch({{"i", expr_test::I32({4, 100, std::nullopt})}});
  Column root = Eval(col("i").sqrt(), batch);
  EXPECT_EQ(root.type, Float64());
  EXPECT_EQ(Render(root), (Rows{"2", "10", "NULL"}));
  EXPECT_EQ(Render(Eval(col("i").log10(), batch)), (Rows{"0.6020599913279624", "2", "NULL"}));
  EXPECT_EQ(Render(Eval(lit(1).exp(), batch)),
            (Rows{"2.718281828459045", "2.718281828459045", "2.718281828459045"}));
  EXPECT_EQ(Render(Eval(lit(1.0).ln(), batch))[0], "0");
  EXPECT_EQ(Render(Eval(col("i").pow(lit(2)), batch)), (Rows{"16", "10000", "NULL"}));
  Batch bad = MakeBatch({{"x", expr_test::F64({-1, 0})}});
  EXPECT_EQ(Render(Eval(col("x").sqrt(), bad))[0], "nan");
  EXPECT_EQ(Render(Eval(col("x").ln(), bad))[1], "-inf");
  Batch text = MakeBatch({{"s", expr_test::Strs({"4"})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("s").sqrt(), text); }),
            "sqrt needs a number, got utf8 in `sqrt(s)`");
}

TEST(MathTest, SignGivesInt8) {
  Batch batch = MakeBatch({{"f", expr_test::F64({-2.5, 0, 3, std::nullopt})},
                           {"d", expr_test::Dec(5, 2, {-1, 0, 7, 1})}});
  Column s = Eval(col("f").sign(), batch);
  EXPECT_EQ(s.type, Int8());
  EXPECT_EQ(Render(s), (Rows{"-1", "0", "1", "NULL"}));
  EXPECT_EQ(Render(Eval(col("d").sign(), batch)), (Rows{"-1", "0", "1", "1"}));
}

TEST(MathTest, HashIsXxh3OfTheValueBytesAndNeverNull) {
  Batch batch = MakeBatch({{"i", expr_test::I64({42, std::nullopt, 42})},
                           {"s", expr_test::Strs({"abc", "abc", std::nullopt})}});
  Column h = Eval(col("i").hash(), batch);
  EXPECT_EQ(h.type, UInt64());
  EXPECT_EQ(h.null_count, 0);
  const int64_t v = 42;
  EXPECT_EQ(h.Values<uint64_t>()[0], XXH3_64bits(&v, sizeof(v)));
  EXPECT_EQ(h.Values<uint64_t>()[0], h.Values<uint64_t>()[2]);
  Column hs = Eval(col("s").hash(), batch);
  EXPECT_EQ(hs.Values<uint64_t>()[0], XXH3_64bits("abc", 3));
  // Nulls of any type hash alike.
  EXPECT_EQ(h.Values<uint64_t>()[1], hs.Values<uint64_t>()[2]);
  EXPECT_NE(h.Values<uint64_t>()[0], h.Values<uint64_t>()[1]);
  // A constant hashes the same as the same value in a column.
  Column hc = Eval(lit(int64_t{42}).hash(), batch, /*expand=*/false);
  EXPECT_EQ(hc.length, 1);
  EXPECT_EQ(hc.Values<uint64_t>()[0], h.Values<uint64_t>()[0]);
}

TEST(MathTest, HashOfSeveralColumnsCombines) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, 1, 2})}, {"b", expr_test::I64({1, 2, 1})}});
  Column h = Eval(call("hash", {col("a"), col("b")}), batch);
  EXPECT_NE(h.Values<uint64_t>()[0], h.Values<uint64_t>()[1]);
  EXPECT_NE(h.Values<uint64_t>()[1], h.Values<uint64_t>()[2]);
  Column again = Eval(call("hash", {col("a"), col("b")}), batch);
  EXPECT_TRUE(h.Equals(again));
}

}  // namespace
}  // namespace sluice
