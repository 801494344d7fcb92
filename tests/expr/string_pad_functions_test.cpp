// repeat, reverse, strpos, lpad and rpad (src/expr/kernels/string_pad_functions.cpp) through
// Bind + Evaluate: DuckDB's results, nulls, UTF-8, and constant/column arguments.
#include <gtest/gtest.h>
#include <sluice/error.h>

#include "expr/strings_test_util.h"

namespace sluice {
namespace {

using test::AsInts;
using test::AsStrings;
using test::Eval;
using test::EvalInt;
using test::EvalString;
using test::IntColumn;
using test::Ints;
using test::StrColumn;
using test::Strings;

const std::nullopt_t kNull = std::nullopt;

TEST(StringPadFunctionsTest, RepeatRepeatsAndGivesEmptyForNoCount) {
  EXPECT_EQ(EvalString(call("repeat", {lit("ab"), lit(int64_t{3})})), "ababab");
  EXPECT_EQ(EvalString(call("repeat", {lit("ab"), lit(int64_t{0})})), "");
  EXPECT_EQ(EvalString(call("repeat", {lit("ab"), lit(int64_t{-1})})), "");
  EXPECT_EQ(EvalString(call("repeat", {lit("é"), lit(int64_t{2})})), "éé");
  Column s = StrColumn({"x", kNull, "", "🦆"});
  Column n = IntColumn({2, 3, 4, kNull});
  EXPECT_EQ(AsStrings(Eval(call("repeat", {col("s"), col("n")}), {{"s", s}, {"n", n}})),
            (Strings{"xx", kNull, "", kNull}));
  EXPECT_THROW(Eval(call("repeat", {lit("ab"), lit(int64_t{1} << 40)})), Error);
}

TEST(StringPadFunctionsTest, ReverseReversesCodePoints) {
  Column s = StrColumn({"abc", "", kNull, "héllo", "a🦆b"});
  EXPECT_EQ(AsStrings(Eval(call("reverse", {col("s")}), {{"s", s}})),
            (Strings{"cba", "", kNull, "olléh", "b🦆a"}));
  EXPECT_EQ(AsStrings(Eval(call("reverse", {col("s")}), {{"s", StrColumn({"ab", "cd"})}})),
            (Strings{"ba", "dc"}));
}

TEST(StringPadFunctionsTest, StrposCountsCharactersFromOne) {
  EXPECT_EQ(EvalInt(call("strpos", {lit("abcabc"), lit("ca")})), 3);
  EXPECT_EQ(EvalInt(call("strpos", {lit("abc"), lit("x")})), 0);
  EXPECT_EQ(EvalInt(call("strpos", {lit("abc"), lit("")})), 1);
  EXPECT_EQ(EvalInt(call("strpos", {lit(""), lit("")})), 1);
  EXPECT_EQ(EvalInt(call("strpos", {lit("a"), lit("abc")})), 0);
  Column s = StrColumn({"héllo", kNull, "🦆🦆x", "lll"});
  EXPECT_EQ(AsInts(Eval(call("strpos", {col("s"), lit("l")}), {{"s", s}})), (Ints{3, kNull, 0, 1}));
  Column sub = StrColumn({"o", "a", "x", kNull});
  EXPECT_EQ(AsInts(Eval(call("strpos", {col("s"), col("sub")}), {{"s", s}, {"sub", sub}})),
            (Ints{5, kNull, 3, kNull}));
}

TEST(StringPadFunctionsTest, LpadAndRpadPadOrCutToCharacters) {
  auto pad = [](const char* f, const char* s, int64_t n, const char* fill) {
    return EvalString(call(f, {lit(s), lit(n), lit(fill)}));
  };
  EXPECT_EQ(pad("lpad", "7", 3, "0"), "007");
  EXPECT_EQ(pad("rpad", "7", 3, "0"), "700");
  EXPECT_EQ(pad("lpad", "abc", 2, "x"), "ab");
  EXPECT_EQ(pad("rpad", "abcd", 2, "x"), "ab");
  EXPECT_EQ(pad("lpad", "abc", -1, "x"), "");
  EXPECT_EQ(pad("lpad", "é", 4, "xy"), "xyxé");
  EXPECT_EQ(pad("rpad", "é", 4, "xy"), "éxyx");
  EXPECT_EQ(pad("lpad", "a", 4, "🦆é"), "🦆é🦆a");
  EXPECT_EQ(pad("lpad", "abc", 3, ""), "abc");
  EXPECT_EQ(EvalString(call("lpad", {lit("a"), lit(int64_t{3})})), "  a");
  EXPECT_THROW(pad("lpad", "a", 3, ""), Error);
  Column s = StrColumn({"1", kNull, "12345", "ñ"});
  Column n = IntColumn({3, 3, 3, kNull});
  EXPECT_EQ(AsStrings(Eval(call("lpad", {col("s"), col("n"), lit("0")}), {{"s", s}, {"n", n}})),
            (Strings{"001", kNull, "123", kNull}));
  EXPECT_EQ(AsStrings(Eval(call("rpad", {col("s"), lit(int64_t{2}), lit("-")}), {{"s", s}})),
            (Strings{"1-", kNull, "12", "ñ-"}));
}

TEST(StringPadFunctionsTest, BadArgumentsAreBindErrors) {
  EXPECT_THROW(Eval(call("repeat", {lit("a"), lit("b")})), Error);
  EXPECT_THROW(Eval(call("reverse", {lit(int64_t{1})})), Error);
  EXPECT_THROW(Eval(call("lpad", {lit("a")})), Error);
}

}  // namespace
}  // namespace sluice
