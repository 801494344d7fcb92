// Null and set functions: is_null, is_not_null, coalesce, is_in, between, case_when, with SQL
// null semantics and common-type promotion.
#include <gtest/gtest.h>

#include "core/error.h"
#include "expr_test_util.h"

namespace sluice {
namespace {

using expr_test::ErrorOf;
using expr_test::Eval;
using expr_test::MakeBatch;
using expr_test::Render;
using expr_test::Rows;

TEST(NullFunctionsTest, IsNullAndIsNotNullAreNeverNull) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, std::nullopt, 3})},
                           {"s", expr_test::Strs({"x", "y", std::nullopt})}});
  EXPECT_EQ(Render(Eval(col("a").is_null(), batch)), (Rows{"false", "true", "false"}));
  EXPECT_EQ(Render(Eval(col("a").is_not_null(), batch)), (Rows{"true", "false", "true"}));
  EXPECT_EQ(Render(Eval(col("s").is_null(), batch)), (Rows{"false", "false", "true"}));
  EXPECT_EQ(Render(Eval(lit_null(Int64()).is_null(), batch)), (Rows{"true", "true", "true"}));
  EXPECT_EQ(Render(Eval(lit(1).is_null(), batch)), (Rows{"false", "false", "false"}));
  Batch no_nulls = MakeBatch({{"a", expr_test::I64({1, 2})}});
  EXPECT_EQ(Render(Eval(col("a").is_null(), no_nulls)), (Rows{"false", "false"}));
  EXPECT_EQ(Render(Eval(col("a").is_not_null(), no_nulls)), (Rows{"true", "true"}));
}

TEST(NullFunctionsTest, CoalesceTakesTheFirstNonNull) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, std::nullopt, std::nullopt})},
                           {"b", expr_test::I64({10, 20, std::nullopt})}});
  EXPECT_EQ(Render(Eval(coalesce({col("a"), col("b")}), batch)), (Rows{"1", "20", "NULL"}));
  EXPECT_EQ(Render(Eval(coalesce({col("a"), col("b"), lit(0)}), batch)), (Rows{"1", "20", "0"}));
  EXPECT_EQ(Render(Eval(col("a").fill_null(lit(-1)), batch)), (Rows{"1", "-1", "-1"}));
  EXPECT_EQ(Render(Eval(coalesce({lit_null(Int64()), col("b")}), batch)),
            (Rows{"10", "20", "NULL"}));
}

TEST(NullFunctionsTest, CoalescePromotesToTheCommonType) {
  Batch batch =
      MakeBatch({{"a", expr_test::I32({1, std::nullopt})}, {"f", expr_test::F64({0.5, 2.5})}});
  Column out = Eval(coalesce({col("a"), col("f")}), batch);
  EXPECT_EQ(out.type, Float64());
  EXPECT_EQ(Render(out), (Rows{"1", "2.5"}));
  Batch strings = MakeBatch({{"s", expr_test::Strs({std::nullopt, "x"})}});
  EXPECT_EQ(Render(Eval(col("s").fill_null(lit("missing")), strings)), (Rows{"missing", "x"}));
  Batch bools = MakeBatch({{"b", expr_test::Bools({std::nullopt, false})}});
  EXPECT_EQ(Render(Eval(col("b").fill_null(lit(true)), bools)), (Rows{"true", "false"}));
  EXPECT_EQ(ErrorOf([&] {
              Eval(coalesce({col("a"), lit("x")}), batch);
            }),
            "coalesce has no common type for int32, utf8 in `coalesce(a, 'x')`");
}

TEST(NullFunctionsTest, CoalesceOfANonNullColumnIsThatColumn) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, 2})}});
  EXPECT_EQ(Render(Eval(col("a").fill_null(lit(0)), batch)), (Rows{"1", "2"}));
  EXPECT_EQ(Render(Eval(coalesce({lit(5), col("a")}), batch)), (Rows{"5", "5"}));
}

TEST(NullFunctionsTest, IsInFollowsSqlNullSemantics) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, 2, 3, std::nullopt})}});
  EXPECT_EQ(Render(Eval(col("a").is_in({lit(1), lit(3)}), batch)),
            (Rows{"true", "false", "true", "NULL"}));
  // A miss against a list holding NULL is unknown, not false.
  EXPECT_EQ(Render(Eval(col("a").is_in({lit(1), lit_null(Int64())}), batch)),
            (Rows{"true", "NULL", "NULL", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a").is_in({}), batch)), (Rows{"false", "false", "false", "NULL"}));
}

TEST(NullFunctionsTest, IsInWithManyValuesUsesTheSetPath) {
  std::vector<Expr> values;
  for (int v = 0; v < 40; v += 2) values.push_back(lit(v));
  Batch batch = MakeBatch({{"a", expr_test::I64({0, 1, 38, 39, std::nullopt, 40})}});
  EXPECT_EQ(Render(Eval(col("a").is_in(values), batch)),
            (Rows{"true", "false", "true", "false", "NULL", "false"}));
  values.push_back(lit_null(Int64()));
  EXPECT_EQ(Render(Eval(col("a").is_in(values), batch)),
            (Rows{"true", "NULL", "true", "NULL", "NULL", "NULL"}));
  std::vector<Expr> words;
  for (const char* w : {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"})
    words.push_back(lit(w));
  Batch strings = MakeBatch({{"s", expr_test::Strs({"c", "z", std::nullopt, "k"})}});
  EXPECT_EQ(Render(Eval(col("s").is_in(words), strings)), (Rows{"true", "false", "NULL", "true"}));
}

TEST(NullFunctionsTest, IsInWithFewShortStringsComparesLengthsAndBytes) {
  // Up to 8 constants of up to 8 bytes are compared as (length, word): a prefix, the same bytes
  // with a NUL after them, the empty string and a longer value must not match.
  const std::string with_nul("MAIL\0", 5);
  // Values followed by 8 bytes of others load as one word with the tail masked off; the last
  // few are packed byte by byte.
  Batch strings =
      MakeBatch({{"s", expr_test::Strs({"MAIL", "MAI", with_nul, "", "SHIP", "SHIPMENTS",
                                        "TRUCKING", "TRUCKINGS", "REG AIR", std::nullopt})}});
  EXPECT_EQ(
      Render(Eval(col("s").is_in({lit("SHIP"), lit("MAIL"), lit("REG AIR"), lit("TRUCKING")}),
                  strings)),
      (Rows{"true", "false", "false", "false", "true", "false", "true", "false", "true", "NULL"}));
  EXPECT_EQ(Render(Eval(col("s").is_in({lit("")}), strings)),
            (Rows{"false", "false", "false", "true", "false", "false", "false", "false", "false",
                  "NULL"}));
}

TEST(NullFunctionsTest, IsInPromotesAndAdaptsLiterals) {
  Batch batch = MakeBatch({{"a", expr_test::I32({1, 2})}, {"d", expr_test::Dec(5, 1, {15, 20})}});
  EXPECT_EQ(Render(Eval(col("a").is_in({lit(1.0), lit(2.5)}), batch)), (Rows{"true", "false"}));
  EXPECT_EQ(Render(Eval(col("d").is_in({lit(2)}), batch)), (Rows{"false", "true"}));
  EXPECT_EQ(Render(Eval(col("a").is_in({lit("2")}), batch)), (Rows{"false", "true"}));
}

TEST(NullFunctionsTest, BetweenIsInclusiveWithNulls) {
  Batch batch = MakeBatch({{"a", expr_test::I64({0, 1, 5, 6, std::nullopt})}});
  EXPECT_EQ(Render(Eval(col("a").between(lit(1), lit(5)), batch)),
            (Rows{"false", "true", "true", "false", "NULL"}));
  // x BETWEEN NULL AND 5 is false where x > 5 and unknown elsewhere.
  EXPECT_EQ(Render(Eval(col("a").between(lit_null(Int64()), lit(5)), batch)),
            (Rows{"NULL", "NULL", "NULL", "false", "NULL"}));
  Batch dates = MakeBatch({{"d", expr_test::Fixed<int32_t>(Date32(), {19782, 19783})}});
  EXPECT_EQ(Render(Eval(col("d").between(lit_date("2024-03-01"), lit_date("2024-03-31")), dates)),
            (Rows{"false", "true"}));
}

TEST(NullFunctionsTest, CaseWhenPicksTheFirstTrueBranch) {
  Batch batch = MakeBatch({{"x", expr_test::I64({5, -3, 0, std::nullopt})}});
  Expr sign = when(col("x") > 0)
                  .then(lit("pos"))
                  .when(col("x") < 0)
                  .then(lit("neg"))
                  .otherwise(lit("zero"));
  EXPECT_EQ(Render(Eval(sign, batch)), (Rows{"pos", "neg", "zero", "zero"}));
  Expr no_else = when(col("x") > 0).then(col("x") * 10);
  EXPECT_EQ(Render(Eval(no_else, batch)), (Rows{"50", "NULL", "NULL", "NULL"}));
}

TEST(NullFunctionsTest, CaseWhenPromotesValuesAndKeepsNullValues) {
  Batch batch = MakeBatch(
      {{"x", expr_test::I32({1, 2, 3})}, {"f", expr_test::F64({0.5, std::nullopt, 1.5})}});
  Expr e = when(col("x") == 1).then(col("x")).when(col("x") == 2).then(col("f")).otherwise(lit(0));
  Column out = Eval(e, batch);
  EXPECT_EQ(out.type, Float64());
  EXPECT_EQ(Render(out), (Rows{"1", "NULL", "0"}));
  Expr bools = when(col("x") > 1).then(lit(true)).otherwise(lit(false));
  EXPECT_EQ(Render(Eval(bools, batch)), (Rows{"false", "true", "true"}));
}

TEST(NullFunctionsTest, CaseWhenOnlyComputesTheBranchARowTakes) {
  Batch batch = MakeBatch(
      {{"a", expr_test::I64({10, 5, 7, 9})}, {"b", expr_test::I64({2, 0, std::nullopt, 0})}});
  Expr safe = when(col("b") != 0).then(col("a") / col("b")).otherwise(lit(-1.0));
  EXPECT_EQ(Render(Eval(safe, batch)), (Rows{"5", "-1", "-1", "-1"}));
  Expr in_else = when(col("b") == 0).then(lit(0.0)).otherwise(col("a") / col("b"));
  EXPECT_EQ(Render(Eval(in_else, batch)), (Rows{"5", "0", "NULL", "0"}));
  // A row that does take the failing branch still fails.
  Expr unsafe = when(col("a") > 6).then(col("a") / col("b")).otherwise(lit(0.0));
  EXPECT_EQ(ErrorOf([&] { Eval(unsafe, batch); }), "division by zero in `a / b`: 9 / 0");
}

TEST(NullFunctionsTest, CaseWhenRejectsNonBoolConditions) {
  Batch batch = MakeBatch({{"x", expr_test::I64({1})}});
  EXPECT_EQ(ErrorOf([&] { Eval(when(col("x")).then(lit(1)).otherwise(lit(2)), batch); }),
            "case_when conditions must be bool, got int64 in `CASE WHEN x THEN 1 ELSE 2 END`");
  EXPECT_NE(ErrorOf([&] { Eval(when(col("x") > 0).then(lit(1)).otherwise(lit("a")), batch); }), "");
}

TEST(NullFunctionsTest, ConstantArgumentsFoldToOneValue) {
  Batch batch = MakeBatch({{"x", expr_test::I64({1, 2, 3})}});
  Column folded = Eval(coalesce({lit_null(Int64()), lit(7)}), batch, /*expand=*/false);
  EXPECT_EQ(folded.length, 1);
  EXPECT_EQ(Render(folded), (Rows{"7"}));
  EXPECT_EQ(Eval(lit(3).is_in({lit(1), lit(3)}), batch, false).length, 1);
}

}  // namespace
}  // namespace sluice
