// regexp_matches, regexp_extract and regexp_replace (src/expr/kernels/regex_functions.cpp),
// through Bind + Evaluate.
#include <gtest/gtest.h>
#include <sluice/error.h>

#include "expr/strings_test_util.h"

namespace sluice {
namespace {

using test::AsBools;
using test::AsStrings;
using test::Bools;
using test::Eval;
using test::EvalBool;
using test::EvalString;
using test::StrColumn;
using test::Strings;

const std::nullopt_t kNull = std::nullopt;

std::string ErrorOf(const Expr& expr, const test::NamedColumns& columns = {}) {
  try {
    Eval(expr, columns);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(RegexFunctionsTest, MatchesIsAPartialMatch) {
  Column s = StrColumn({"abc123", "", kNull, "xyz", "ÄÖÜ9"});
  EXPECT_EQ(AsBools(Eval(call("regexp_matches", {col("s"), lit("[0-9]+")}), {{"s", s}})),
            (Bools{true, false, kNull, false, true}));
  EXPECT_EQ(AsBools(Eval(call("regexp_matches", {col("s"), lit("^[a-z]+$")}), {{"s", s}})),
            (Bools{false, false, kNull, true, false}));
  EXPECT_EQ(AsBools(Eval(call("regexp_matches", {col("s"), lit("^.{3}9$")}), {{"s", s}})),
            (Bools{false, false, kNull, false, true}));  // '.' is a character, not a byte.
  EXPECT_TRUE(*EvalBool(call("regexp_matches", {lit("ABC"), lit("b"), lit("i")})));
  EXPECT_FALSE(*EvalBool(call("regexp_matches", {lit("ABC"), lit("b")})));
  EXPECT_FALSE(*EvalBool(call("regexp_matches", {lit("a\nb"), lit("a.b")})));
  EXPECT_TRUE(*EvalBool(call("regexp_matches", {lit("a\nb"), lit("a.b"), lit("s")})));
  EXPECT_TRUE(*EvalBool(call("regexp_matches", {lit("a.b"), lit("."), lit("l")})));
  EXPECT_FALSE(*EvalBool(call("regexp_matches", {lit("ab"), lit("."), lit("l")})));
}

TEST(RegexFunctionsTest, ExtractGivesTheGroupOrNull) {
  Column s = StrColumn({"key=value", "k=", "novalue", kNull, "a=1 b=2"});
  EXPECT_EQ(
      AsStrings(Eval(call("regexp_extract", {col("s"), lit("(\\w+)=(\\w*)"), lit(2)}), {{"s", s}})),
      (Strings{"value", "", kNull, kNull, "1"}));
  EXPECT_EQ(AsStrings(Eval(call("regexp_extract", {col("s"), lit("\\w+=")}), {{"s", s}})),
            (Strings{"key=", "k=", kNull, kNull, "a="}));
  // A group that did not take part in the match is null too.
  EXPECT_EQ(EvalString(call("regexp_extract", {lit("ab"), lit("(x)?ab"), lit(1)})), kNull);
  EXPECT_EQ(EvalString(call("regexp_extract", {lit("ABC"), lit("(b)"), lit(1), lit("i")})), "B");
  EXPECT_NE(ErrorOf(call("regexp_extract", {lit("a"), lit("(a)"), lit(2)})).find("group 2"),
            std::string::npos);
}

TEST(RegexFunctionsTest, ReplaceReplacesTheFirstMatchOrEveryWithG) {
  Column s = StrColumn({"banana", "", kNull, "xyz", "ääh"});
  EXPECT_EQ(AsStrings(Eval(call("regexp_replace", {col("s"), lit("a|ä"), lit("_")}), {{"s", s}})),
            (Strings{"b_nana", "", kNull, "xyz", "_äh"}));
  EXPECT_EQ(AsStrings(Eval(call("regexp_replace", {col("s"), lit("a|ä"), lit("_"), lit("g")}),
                           {{"s", s}})),
            (Strings{"b_n_n_", "", kNull, "xyz", "__h"}));
  EXPECT_EQ(EvalString(call("regexp_replace", {lit("abc"), lit("(b)"), lit("[\\1\\0\\\\]")})),
            "a[bb\\]c");
  EXPECT_EQ(EvalString(call("regexp_replace", {lit("banana"), lit("a"), lit("\\0\\0"), lit("g")})),
            "baanaanaa");
  // Empty matches, as RE2::GlobalReplace and DuckDB: one between every two characters.
  EXPECT_EQ(EvalString(call("regexp_replace", {lit("abc"), lit(""), lit("-"), lit("g")})),
            "-a-b-c-");
  EXPECT_EQ(EvalString(call("regexp_replace", {lit("héllo"), lit("x*"), lit("-"), lit("g")})),
            "-h-é-l-l-o-");
  EXPECT_EQ(EvalString(call("regexp_replace", {lit("abc"), lit("B"), lit("x"), lit("gi")})), "axc");
  EXPECT_EQ(EvalString(call("regexp_replace", {lit("aaa"), lit("^a"), lit("b"), lit("g")})), "baa");
}

TEST(RegexFunctionsTest, ReplaceTakesARewriteColumn) {
  Column s = StrColumn({"a1", "b2", "c3"});
  Column rewrite = StrColumn({"<\\1>", "", kNull});
  EXPECT_EQ(AsStrings(Eval(call("regexp_replace", {col("s"), lit("([0-9])"), col("r")}),
                           {{"s", s}, {"r", rewrite}})),
            (Strings{"a<1>", "b", kNull}));
  Column bad = StrColumn({"x", "\\2"});
  EXPECT_NE(ErrorOf(call("regexp_replace", {col("s"), lit("([0-9])"), col("r")}),
                    {{"s", StrColumn({"a1", "b2"})}, {"r", bad}})
                .find("\\2"),
            std::string::npos);
}

TEST(RegexFunctionsTest, BadPatternsAndOptionsAreBindErrors) {
  std::string error = ErrorOf(call("regexp_matches", {lit("a"), lit("(unclosed")}));
  EXPECT_NE(error.find("(unclosed"), std::string::npos) << error;
  EXPECT_NE(error.find("missing )"), std::string::npos) << error;  // RE2's own words.
  EXPECT_NE(error.find("regexp_matches('a', '(unclosed')"), std::string::npos) << error;
  EXPECT_NE(ErrorOf(call("regexp_matches", {lit("a"), lit("a"), lit("q")})).find("option 'q'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(call("regexp_matches", {lit("a"), lit("a"), lit("g")})).find("option 'g'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(call("regexp_replace", {lit("a"), lit("(a)"), lit("\\3")})).find("\\3"),
            std::string::npos);
  EXPECT_NE(ErrorOf(call("regexp_replace", {lit("a"), lit("a"), lit("x\\")})).find("backslash"),
            std::string::npos);
}

TEST(RegexFunctionsTest, APatternFromAColumnIsUnsupported) {
  Column s = StrColumn({"a"});
  try {
    Eval(call("regexp_matches", {col("s"), col("s")}), {{"s", s}});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUnsupported);
    EXPECT_NE(std::string(error.what()).find("pattern must be a constant"), std::string::npos)
        << error.what();
  }
}

TEST(RegexFunctionsTest, AConstantPatternExpressionIsCompiledPerCall) {
  Column s = StrColumn({"abc", "xbz", "q"});
  EXPECT_EQ(AsBools(Eval(call("regexp_matches", {col("s"), concat({lit("^"), lit("[ax]")})}),
                         {{"s", s}})),
            (Bools{true, true, false}));
  EXPECT_NE(ErrorOf(call("regexp_matches", {col("s"), concat({lit("("), lit("a")})}), {{"s", s}})
                .find("bad regular expression"),
            std::string::npos);
}

TEST(RegexFunctionsTest, NullArgumentsGiveNull) {
  EXPECT_EQ(EvalBool(call("regexp_matches", {lit_null(Utf8()), lit("a")})), kNull);
  EXPECT_EQ(EvalBool(call("regexp_matches", {lit("a"), lit_null(Utf8())})), kNull);
  EXPECT_EQ(EvalString(call("regexp_replace", {lit("a"), lit("a"), lit_null(Utf8())})), kNull);
  Column out = Eval(call("regexp_extract", {lit("abc"), lit("b")}), {}, 4, /*expand=*/false);
  EXPECT_EQ(out.length, 1);
}

}  // namespace
}  // namespace sluice
