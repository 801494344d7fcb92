// __assert_single_row (src/expr/kernels/assert_functions.cpp): passes its value through while
// every count is at most 1, and fails with the SQL error of a scalar subquery otherwise.
#include <gtest/gtest.h>
#include <sluice/error.h>

#include "expr/strings_test_util.h"

namespace sluice {
namespace {

using test::AsStrings;
using test::Eval;
using test::IntColumn;
using test::StrColumn;
using test::Strings;

TEST(AssertFunctionsTest, PassesTheValueThroughWhenEveryCountIsAtMostOne) {
  Column n = IntColumn({1, 0, 1});
  Column v = StrColumn({"a", std::nullopt, "c"});
  Column out = Eval(call("__assert_single_row", {col("n"), col("v")}), {{"n", n}, {"v", v}});
  EXPECT_EQ(out.type, Utf8());
  EXPECT_EQ(AsStrings(out), (Strings{"a", std::nullopt, "c"}));
  EXPECT_EQ(AsStrings(Eval(call("__assert_single_row", {col("n"), lit("k")}), {{"n", n}})),
            (Strings{"k", "k", "k"}));
}

TEST(AssertFunctionsTest, FailsWhenACountIsAboveOne) {
  Column n = IntColumn({1, 2});
  Column v = StrColumn({"a", "b"});
  try {
    Eval(call("__assert_single_row", {col("n"), col("v")}), {{"n", n}, {"v", v}});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("more than one row returned by a subquery"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace sluice
