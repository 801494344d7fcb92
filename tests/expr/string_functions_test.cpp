// The string functions of src/expr/kernels/string_functions.cpp and string_search_functions.cpp,
// through Bind + Evaluate: values, nulls, empty strings, UTF-8, and constant/column arguments.
#include <gtest/gtest.h>
#include <sluice/error.h>

#include "expr/function_registry.h"
#include "expr/strings_test_util.h"

namespace sluice {
namespace {

using test::AsBools;
using test::AsInts;
using test::AsStrings;
using test::Bools;
using test::Eval;
using test::EvalBool;
using test::EvalInt;
using test::EvalString;
using test::Ints;
using test::StrColumn;
using test::Strings;

const std::nullopt_t kNull = std::nullopt;

Column Eval1(const Expr& expr, const Column& s) {
  return Eval(expr, {{"s", s}});
}

TEST(StringFunctionsTest, LengthCountsCodePointsAndOctetLengthBytes) {
  Column s = StrColumn({"héllo", "", kNull, "🦆ab", "abc"});
  EXPECT_EQ(AsInts(Eval1(call("length", {col("s")}), s)), (Ints{5, 0, kNull, 3, 3}));
  EXPECT_EQ(AsInts(Eval1(call("octet_length", {col("s")}), s)), (Ints{6, 0, kNull, 6, 3}));
  EXPECT_EQ(AsInts(Eval1(call("length", {col("s")}), StrColumn({"\xff\x01"}, Binary()))),
            (Ints{2}));
}

TEST(StringFunctionsTest, LowerAndUpperMapAsciiAndOtherScripts) {
  Column ascii = StrColumn({"Hello World", kNull, "", "123-abc"});
  EXPECT_EQ(AsStrings(Eval1(call("upper", {col("s")}), ascii)),
            (Strings{"HELLO WORLD", kNull, "", "123-ABC"}));
  EXPECT_EQ(AsStrings(Eval1(call("lower", {col("s")}), ascii)),
            (Strings{"hello world", kNull, "", "123-abc"}));
  Column other = StrColumn({"Straße", "ΣΑΣ ΆΈ", "Привет Ёж", "ÀÉÎÕÜ Ÿ", "ıi İ", "Ǆ Ա"});
  EXPECT_EQ(AsStrings(Eval1(call("upper", {col("s")}), other)),
            (Strings{"STRAẞE", "ΣΑΣ ΆΈ", "ПРИВЕТ ЁЖ", "ÀÉÎÕÜ Ÿ", "II İ", "Ǆ Ա"}));
  EXPECT_EQ(AsStrings(Eval1(call("lower", {col("s")}), other)),
            (Strings{"straße", "σασ άέ", "привет ёж", "àéîõü ÿ", "ıi i", "ǆ ա"}));
  EXPECT_EQ(EvalString(call("upper", {lit("\u00b5 \u00ff \u017f")})), "\u039c \u0178 S");
}

TEST(StringFunctionsTest, LowerKeepsTheInputOffsetsOnTheAsciiPath) {
  Column s = StrColumn({"AB", "C"}).Slice(1, 1);
  EXPECT_EQ(AsStrings(Eval1(call("lower", {col("s")}), s)), (Strings{"c"}));
}

TEST(StringFunctionsTest, SubstringFollowsDuckDb) {
  auto sub = [](const char* s, int64_t start, int64_t length) {
    return EvalString(call("substring", {lit(s), lit(start), lit(length)}));
  };
  EXPECT_EQ(sub("hello", 1, 2), "he");
  EXPECT_EQ(sub("hello", 2, 3), "ell");
  EXPECT_EQ(sub("hello", 0, 2), "h");  // Position 0 is before the first character.
  EXPECT_EQ(sub("hello", 0, 1), "");
  EXPECT_EQ(sub("hello", -3, 2), "ll");
  EXPECT_EQ(sub("hello", -10, 3), "");  // Characters -5..-3: all before the string.
  EXPECT_EQ(sub("abcdef", -7, 4), "abc");
  EXPECT_EQ(sub("abcdef", 10, -5), "ef");
  EXPECT_EQ(sub("abcdef", -2, -3), "bcd");
  EXPECT_EQ(sub("hello", 10, 3), "");
  EXPECT_EQ(sub("hello", 4, -2), "el");  // A negative length takes characters before start.
  EXPECT_EQ(sub("hello", 1, 0), "");
  EXPECT_EQ(sub("hello", 2, INT64_MAX), "ello");
  EXPECT_EQ(sub("hello", INT64_MIN, INT64_MIN), "");
  EXPECT_EQ(sub("🦆héllo", 2, 3), "hél");
  EXPECT_EQ(sub("🦆héllo", -4, 2), "él");
  EXPECT_EQ(EvalString(call("substring", {lit("hello"), lit(-3)})), "llo");
}

TEST(StringFunctionsTest, SubstringTakesColumnsForEveryArgument) {
  Column s = StrColumn({"hello", "wörld", "b", kNull, "abc"});
  Column start = test::IntColumn({1, 2, 1, 2, kNull});
  Column length = test::IntColumn({2, 3, 1, 2, 1});
  Column out = Eval(call("substring", {col("s"), col("start"), col("length")}),
                    {{"s", s}, {"start", start}, {"length", length}});
  EXPECT_EQ(AsStrings(out), (Strings{"he", "örl", "b", kNull, kNull}));
  Column constant_text =
      Eval(call("substring", {lit("abcdef"), col("start"), lit(2)}), {{"start", start}});
  EXPECT_EQ(AsStrings(constant_text), (Strings{"ab", "bc", "ab", "bc", kNull}));
}

TEST(StringFunctionsTest, ReplaceReplacesEveryOccurrence) {
  Column s = StrColumn({"banana", "", kNull, "nothing", "ääh"});
  EXPECT_EQ(AsStrings(Eval1(call("replace", {col("s"), lit("a"), lit("oo")}), s)),
            (Strings{"boonoonoo", "", kNull, "nothing", "ääh"}));
  EXPECT_EQ(AsStrings(Eval1(call("replace", {col("s"), lit("ä"), lit("")}), s)),
            (Strings{"banana", "", kNull, "nothing", "h"}));
  EXPECT_EQ(EvalString(call("replace", {lit("abc"), lit(""), lit("x")})), "abc");
  EXPECT_EQ(EvalString(call("replace", {lit("aaa"), lit("aa"), lit("b")})), "ba");
  Column from = StrColumn({"an", "x", "y", "no", "h"});
  EXPECT_EQ(AsStrings(Eval(call("replace", {col("s"), col("from"), lit("_")}),
                           {{"s", s}, {"from", from}})),
            (Strings{"b__a", "", kNull, "_thing", "ää_"}));
}

TEST(StringFunctionsTest, TrimStripsWhitespaceOrGivenCharacters) {
  Column s = StrColumn({"  a b  ", "\t\n x \r", "", kNull, "\u00a0é\u3000", "   "});
  EXPECT_EQ(AsStrings(Eval1(call("trim", {col("s")}), s)),
            (Strings{"a b", "x", "", kNull, "é", ""}));
  EXPECT_EQ(AsStrings(Eval1(call("ltrim", {col("s")}), s)),
            (Strings{"a b  ", "x \r", "", kNull, "é\u3000", ""}));
  EXPECT_EQ(AsStrings(Eval1(call("rtrim", {col("s")}), s)),
            (Strings{"  a b", "\t\n x", "", kNull, "\u00a0é", ""}));
  EXPECT_EQ(EvalString(call("trim", {lit("xxaxyx"), lit("xy")})), "a");
  EXPECT_EQ(EvalString(call("ltrim", {lit("ééaé"), lit("é")})), "aé");
  EXPECT_EQ(EvalString(call("rtrim", {lit("ééaé"), lit("é")})), "ééa");
  EXPECT_EQ(EvalString(call("trim", {lit("abc"), lit("")})), "abc");
  Column chars = StrColumn({" ", "\t\r", "", "x", "\u3000", ""});
  EXPECT_EQ(AsStrings(Eval(call("trim", {col("s"), col("chars")}), {{"s", s}, {"chars", chars}})),
            (Strings{"a b", "\n x ", "", kNull, "\u00a0é", "   "}));
}

TEST(StringFunctionsTest, ConcatIsNullWhenAnyArgumentIsNull) {
  Column a = StrColumn({"a", "", kNull, "é"});
  Column b = StrColumn({"b", "x", "y", kNull});
  EXPECT_EQ(AsStrings(Eval(call("concat", {col("a"), lit("-"), col("b")}), {{"a", a}, {"b", b}})),
            (Strings{"a-b", "-x", kNull, kNull}));
  EXPECT_EQ(EvalString(concat({lit("n="), lit(int64_t{42}), lit(true)})), "n=42true");
  EXPECT_EQ(EvalString(concat({lit("x")})), "x");
  EXPECT_EQ(EvalString(concat({lit("x"), lit_null(Utf8())})), kNull);
}

TEST(StringFunctionsTest, SplitPartFollowsDuckDb) {
  auto part = [](const char* s, const char* delimiter, int64_t index) {
    return EvalString(call("split_part", {lit(s), lit(delimiter), lit(index)}));
  };
  EXPECT_EQ(part("a,b,c", ",", 1), "a");
  EXPECT_EQ(part("a,b,c", ",", 3), "c");
  EXPECT_EQ(part("a,b,c", ",", 4), "");
  EXPECT_EQ(part("a,b,c", ",", -1), "c");
  EXPECT_EQ(part("a,b,c", ",", -3), "a");
  EXPECT_EQ(part("a,b,c", ",", -4), "");
  EXPECT_EQ(part("a,b,c", ",", 0), "");
  EXPECT_EQ(part("a,,c", ",", 2), "");
  EXPECT_EQ(part("a::b::c", "::", 2), "b");
  EXPECT_EQ(part("abc", "x", 1), "abc");
  EXPECT_EQ(part("", ",", 1), "");
  EXPECT_EQ(part("héllo", "", 2), "é");  // An empty delimiter splits into characters.
  EXPECT_EQ(part("héllo", "", -1), "o");
  Column s = StrColumn({"a-b", kNull, "x-y-z"});
  Column index = test::IntColumn({2, 1, -2});
  EXPECT_EQ(
      AsStrings(Eval(call("split_part", {col("s"), lit("-"), col("i")}), {{"s", s}, {"i", index}})),
      (Strings{"b", kNull, "y"}));
}

TEST(StringFunctionsTest, ContainsStartsWithEndsWith) {
  Column s = StrColumn({"hello", "", kNull, "yellow", "help", "lo"});
  EXPECT_EQ(AsBools(Eval1(call("contains", {col("s"), lit("llo")}), s)),
            (Bools{true, false, kNull, true, false, false}));
  EXPECT_EQ(AsBools(Eval1(call("contains", {col("s"), lit("")}), s)),
            (Bools{true, true, kNull, true, true, true}));
  EXPECT_EQ(AsBools(Eval1(call("starts_with", {col("s"), lit("hel")}), s)),
            (Bools{true, false, kNull, false, true, false}));
  EXPECT_EQ(AsBools(Eval1(call("ends_with", {col("s"), lit("lo")}), s)),
            (Bools{true, false, kNull, false, false, true}));
  Column needle = StrColumn({"ell", "", "x", kNull, "z", "lo"});
  EXPECT_EQ(AsBools(Eval(call("contains", {col("s"), col("n")}), {{"s", s}, {"n", needle}})),
            (Bools{true, true, kNull, kNull, false, true}));
  EXPECT_EQ(AsBools(Eval(call("contains", {lit("yellow"), col("n")}), {{"n", needle}})),
            (Bools{true, true, false, kNull, false, true}));
}

TEST(StringFunctionsTest, ContainsScanDoesNotMatchAcrossRows) {
  // "ab" spans the end of row 0 and the start of row 1 in the data buffer.
  Column s = StrColumn({"xa", "bx", "", "ab", "aab", "a"});
  EXPECT_EQ(AsBools(Eval1(call("contains", {col("s"), lit("ab")}), s)),
            (Bools{false, false, false, true, true, false}));
  EXPECT_EQ(AsBools(Eval1(call("like", {col("s"), lit("%ab%")}), s)),
            (Bools{false, false, false, true, true, false}));
}

TEST(StringFunctionsTest, LikeHandlesEveryPatternShape) {
  auto like = [](const char* s, const char* pattern) {
    return *EvalBool(call("like", {lit(s), lit(pattern)}));
  };
  EXPECT_TRUE(like("abc", "abc"));
  EXPECT_FALSE(like("abcd", "abc"));
  EXPECT_TRUE(like("abc", "ab%"));
  EXPECT_TRUE(like("abc", "%bc"));
  EXPECT_TRUE(like("abc", "%b%"));
  EXPECT_TRUE(like("abc", "%"));
  EXPECT_TRUE(like("", "%"));
  EXPECT_TRUE(like("", ""));
  EXPECT_FALSE(like("a", ""));
  EXPECT_TRUE(like("abc", "a_c"));
  EXPECT_FALSE(like("abc", "a_"));
  EXPECT_TRUE(like("aéc", "a_c"));  // '_' is one character, not one byte.
  EXPECT_TRUE(like("🦆", "_"));
  EXPECT_TRUE(like("abcabc", "a%c%c"));
  EXPECT_FALSE(like("abcab", "a%c%c"));
  EXPECT_TRUE(like("xyz", "%_z"));
  EXPECT_FALSE(like("z", "%_z"));
  EXPECT_TRUE(like("abcde", "a%_%e"));
  EXPECT_TRUE(like("aXbXc", "%X_X%"));
  EXPECT_TRUE(like("mississippi", "%iss%ipp%"));
  EXPECT_FALSE(like("mississippi", "%iss%ipp%x"));
  EXPECT_TRUE(like("ab", "a%%b"));
  EXPECT_TRUE(like("aab", "%ab"));
  EXPECT_TRUE(like("abab", "%ab%ab"));
  EXPECT_FALSE(like("ab", "%ab%ab"));
}

TEST(StringFunctionsTest, LikeWithEscapeAndIlike) {
  EXPECT_TRUE(*EvalBool(call("like", {lit("a%c"), lit("a\\%c"), lit("\\")})));
  EXPECT_FALSE(*EvalBool(call("like", {lit("abc"), lit("a\\%c"), lit("\\")})));
  EXPECT_TRUE(*EvalBool(call("like", {lit("a_c"), lit("a$_c"), lit("$")})));
  EXPECT_FALSE(*EvalBool(call("like", {lit("abc"), lit("a$_c"), lit("$")})));
  EXPECT_TRUE(*EvalBool(call("like", {lit("a$c"), lit("a$$c"), lit("$")})));
  EXPECT_TRUE(*EvalBool(call("ilike", {lit("ABC"), lit("a%")})));
  EXPECT_TRUE(*EvalBool(call("ilike", {lit("Straße"), lit("STRA%E")})));
  EXPECT_TRUE(*EvalBool(call("ilike", {lit("ПРИВЕТ"), lit("%вет")})));
  EXPECT_FALSE(*EvalBool(call("like", {lit("ABC"), lit("a%")})));
  // The escape character is compared before case folding: 'X' escapes, 'x' is literal.
  EXPECT_TRUE(*EvalBool(call("ilike", {lit("x%"), lit("xX%"), lit("X")})));
  EXPECT_THROW(Eval(call("like", {lit("a"), lit("a\\"), lit("\\")})), Error);
  EXPECT_THROW(Eval(call("like", {lit("a"), lit("a"), lit("ab")})), Error);
}

TEST(StringFunctionsTest, LikeWithAPatternColumn) {
  Column s = StrColumn({"abc", "abc", kNull, "xyz", "ÄBC"});
  Column p = StrColumn({"a%", "%d", "%", kNull, "äb_"});
  EXPECT_EQ(AsBools(Eval(call("like", {col("s"), col("p")}), {{"s", s}, {"p", p}})),
            (Bools{true, false, kNull, kNull, false}));
  EXPECT_EQ(AsBools(Eval(call("ilike", {col("s"), col("p")}), {{"s", s}, {"p", p}})),
            (Bools{true, false, kNull, kNull, true}));
  Column bad = StrColumn({"a", "a\\"});
  try {
    Eval(call("like", {col("s"), col("p"), lit("\\")}), {{"s", StrColumn({"a", "b"})}, {"p", bad}});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("a\\"), std::string::npos) << error.what();
  }
}

TEST(StringFunctionsTest, ConstantArgumentsGiveAOneValueColumn) {
  Column out = Eval(call("upper", {lit("abc")}), {}, /*rows=*/5, /*expand=*/false);
  EXPECT_EQ(out.length, 1);
  Column expanded = Eval(call("substring", {lit("abc"), lit(2), lit(1)}), {}, 5, true);
  EXPECT_EQ(AsStrings(expanded), (Strings{"b", "b", "b", "b", "b"}));
  EXPECT_EQ(EvalString(call("upper", {lit_null(Utf8())})), kNull);
  EXPECT_EQ(EvalInt(call("length", {lit_null(Utf8())})), kNull);
  Column s = StrColumn({"a", "b"});
  EXPECT_EQ(AsBools(Eval1(call("contains", {col("s"), lit_null(Utf8())}), s)),
            (Bools{kNull, kNull}));
}

TEST(StringFunctionsTest, BadArgumentsAreBindErrorsNamingTheCall) {
  Column n = test::IntColumn({1});
  try {
    Eval(call("upper", {col("n")}), {{"n", n}});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("upper(n)"), std::string::npos) << error.what();
  }
  EXPECT_THROW(Eval(call("substring", {lit("a"), lit("b")})), Error);
  EXPECT_THROW(Eval(call("replace", {lit("a"), lit("b")})), Error);
  EXPECT_THROW(Eval(call("split_part", {lit("a"), lit(","), lit(1.5)})), Error);
}

TEST(StringFunctionsTest, BinaryInputsUseBytes) {
  Column b = StrColumn({std::string("a\0b", 3), "xyz"}, Binary());
  EXPECT_EQ(AsBools(Eval(call("contains", {col("b"), lit(std::string("\0", 1))}), {{"b", b}})),
            (Bools{true, false}));
  Column out = Eval(call("substring", {col("b"), lit(2), lit(2)}), {{"b", b}});
  EXPECT_EQ(out.type, Binary());
  EXPECT_EQ(AsStrings(out), (Strings{std::string("\0b", 2), "yz"}));
}

}  // namespace
}  // namespace sluice
