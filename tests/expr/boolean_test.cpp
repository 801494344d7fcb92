// Boolean kernels: SQL three-valued AND, OR and NOT, checked against the full truth tables,
// with scalars on either side and across 64-row word boundaries.
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

// Every pair of (true, false, null): a = T T T F F F N N N, b = T F N T F N T F N.
Batch TruthTable() {
  const std::optional<bool> t = true;
  const std::optional<bool> f = false;
  const std::optional<bool> n = std::nullopt;
  return MakeBatch({{"a", expr_test::Bools({t, t, t, f, f, f, n, n, n})},
                    {"b", expr_test::Bools({t, f, n, t, f, n, t, f, n})}});
}

TEST(BooleanTest, AndTruthTable) {
  EXPECT_EQ(Render(Eval(col("a") && col("b"), TruthTable())),
            (Rows{"true", "false", "NULL", "false", "false", "false", "NULL", "false", "NULL"}));
}

TEST(BooleanTest, OrTruthTable) {
  EXPECT_EQ(Render(Eval(col("a") || col("b"), TruthTable())),
            (Rows{"true", "true", "true", "true", "false", "NULL", "true", "NULL", "NULL"}));
}

TEST(BooleanTest, NotKeepsNulls) {
  Batch batch = MakeBatch({{"a", expr_test::Bools({true, false, std::nullopt})}});
  EXPECT_EQ(Render(Eval(!col("a"), batch)), (Rows{"false", "true", "NULL"}));
  EXPECT_EQ(Render(Eval(!!col("a"), batch)), (Rows{"true", "false", "NULL"}));
}

TEST(BooleanTest, ScalarsOnEitherSide) {
  Batch batch = MakeBatch({{"a", expr_test::Bools({true, false, std::nullopt})}});
  EXPECT_EQ(Render(Eval(col("a") && lit(true), batch)), (Rows{"true", "false", "NULL"}));
  EXPECT_EQ(Render(Eval(lit(false) && col("a"), batch)), (Rows{"false", "false", "false"}));
  EXPECT_EQ(Render(Eval(col("a") || lit(true), batch)), (Rows{"true", "true", "true"}));
  EXPECT_EQ(Render(Eval(lit(false) || col("a"), batch)), (Rows{"true", "false", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a") && lit_null(Bool()), batch)), (Rows{"NULL", "false", "NULL"}));
  EXPECT_EQ(Render(Eval(col("a") || lit_null(Bool()), batch)), (Rows{"true", "NULL", "NULL"}));
  EXPECT_EQ(Render(Eval(!lit(true), batch)), (Rows{"false", "false", "false"}));
}

TEST(BooleanTest, UntypedNullLiteralIsAcceptedAsBool) {
  Batch batch = MakeBatch({{"a", expr_test::Bools({true, false})}});
  EXPECT_EQ(Render(Eval(col("a") && lit_null(Int64()), batch)), (Rows{"NULL", "false"}));
}

TEST(BooleanTest, AndOrTakeManyArguments) {
  Batch batch = TruthTable();
  EXPECT_EQ(Render(Eval(call("and", {col("a"), col("b"), lit(true)}), batch)),
            Render(Eval(col("a") && col("b"), batch)));
  EXPECT_EQ(Render(Eval(call("or", {col("a"), col("b"), lit(false)}), batch)),
            Render(Eval(col("a") || col("b"), batch)));
}

TEST(BooleanTest, NonBoolArgumentsAreRejected) {
  Batch batch = MakeBatch({{"n", expr_test::I64({1})}, {"a", expr_test::Bools({true})}});
  EXPECT_EQ(ErrorOf([&] { Eval(col("n") || col("a"), batch); }),
            "or needs bool arguments, got int64 in `n OR a`");
  EXPECT_EQ(ErrorOf([&] { Eval(!col("n"), batch); }),
            "not needs bool arguments, got int64 in `NOT n`");
}

TEST(BooleanTest, ManyRowsAgreeWithRowByRowLogic) {
  std::vector<std::optional<bool>> a;
  std::vector<std::optional<bool>> b;
  for (int i = 0; i < 200; ++i) {
    a.push_back(i % 3 == 0 ? std::nullopt : std::optional<bool>(i % 2 == 0));
    b.push_back(i % 5 == 0 ? std::nullopt : std::optional<bool>(i % 4 < 2));
  }
  Batch batch = MakeBatch({{"a", expr_test::Bools(a)}, {"b", expr_test::Bools(b)}});
  Column conj = Eval(col("a") && col("b"), batch);
  Column disj = Eval(col("a") || col("b"), batch);
  for (size_t i = 0; i < a.size(); ++i) {
    std::optional<bool> want_and;
    if ((a[i] && !*a[i]) || (b[i] && !*b[i])) {
      want_and = false;
    } else if (a[i] && b[i]) {
      want_and = true;
    }
    std::optional<bool> want_or;
    if ((a[i] && *a[i]) || (b[i] && *b[i])) {
      want_or = true;
    } else if (a[i] && b[i]) {
      want_or = false;
    }
    int64_t row = static_cast<int64_t>(i);
    ASSERT_EQ(conj.IsValid(row), want_and.has_value()) << i;
    if (want_and) {
      EXPECT_EQ(conj.BoolAt(row), *want_and) << i;
    }
    ASSERT_EQ(disj.IsValid(row), want_or.has_value()) << i;
    if (want_or) {
      EXPECT_EQ(disj.BoolAt(row), *want_or) << i;
    }
  }
}

}  // namespace
}  // namespace sluice
