// Tests of the SQL parser's errors: each names the line and column, what was expected and what
// was found (quoted, or "end of input"), and shows the line with a caret; misspelled clause
// keywords get a "did you mean"; unsupported syntax says so where it is written; nesting past the
// limit is an error rather than a crash.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "sql/parser.h"

namespace sluice::sql {
namespace {

/// The message of the error parsing `sql` gives; the error must be of `kind`.
std::string ErrorOf(std::string_view sql, ErrorKind kind = ErrorKind::kInvalidInput) {
  try {
    ParseSql(sql);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), kind) << error.what();
    return error.what();
  }
  return "(no error)";
}

/// The first line of the message only.
std::string Headline(std::string_view sql, ErrorKind kind = ErrorKind::kInvalidInput) {
  std::string message = ErrorOf(sql, kind);
  return message.substr(0, message.find('\n'));
}

TEST(SqlParserError, MisspelledFromPointsAtTheWord) {
  EXPECT_EQ(ErrorOf("SELECT a FORM t"),
            "line 1, column 10: expected FROM, found \"FORM\"\n"
            "  SELECT a FORM t\n"
            "           ^");
  EXPECT_EQ(ErrorOf("SELECT a, b\nFROM t WHRE a > 1"),
            "line 2, column 8: expected WHERE, found \"WHRE\"\n"
            "  FROM t WHRE a > 1\n"
            "         ^");
  EXPECT_EQ(Headline("SELECT a FROM t WHERE b = 1 ORDR BY a"),
            "line 1, column 29: expected \";\" or end of input, found \"ORDR\"; did you mean "
            "ORDER?");
  EXPECT_EQ(Headline("SELEC a FROM t"),
            "line 1, column 1: expected a statement (SELECT, WITH, VALUES, CREATE, DROP, COPY, "
            "EXPLAIN or SET), found \"SELEC\"; did you mean SELECT?");
}

TEST(SqlParserError, ReservedWordsAreNotAliases) {
  EXPECT_EQ(ErrorOf("SELECT a FROM t WHERE"),
            "line 1, column 22: expected an expression, found end of input\n"
            "  SELECT a FROM t WHERE\n"
            "                       ^");
  EXPECT_EQ(Headline("SELECT FROM t"), "line 1, column 8: expected an expression, found \"FROM\"");
  EXPECT_EQ(Headline("SELECT a, FROM t"),
            "line 1, column 11: expected an expression, found \"FROM\"");
  EXPECT_EQ(Headline("SELECT a FROM t t2 t3"),
            "line 1, column 20: expected \";\" or end of input, found \"t3\"");
}

TEST(SqlParserError, ExpectedTokens) {
  EXPECT_EQ(ErrorOf("SELECT a\nFROM t\nORDER a"),
            "line 3, column 7: expected BY, found \"a\"\n"
            "  ORDER a\n"
            "        ^");
  EXPECT_EQ(Headline("SELECT (a + b FROM t"), "line 1, column 15: expected \")\", found \"FROM\"");
  EXPECT_EQ(Headline("SELECT * FROM a JOIN b"),
            "line 1, column 23: expected ON or USING, found end of input");
  EXPECT_EQ(Headline("SELECT * FROM a LEFT b ON a.x = b.x"),
            "line 1, column 22: expected JOIN, found \"b\"");
  EXPECT_EQ(Headline("SELECT CASE WHEN a THEN 1 FROM t"),
            "line 1, column 27: expected END, found \"FROM\"");
  EXPECT_EQ(Headline("SELECT CAST(a INTEGER) FROM t"),
            "line 1, column 15: expected AS, found \"INTEGER\"");
  EXPECT_EQ(Headline("SELECT a IS 3 FROM t"),
            "line 1, column 13: expected NULL, TRUE, FALSE or DISTINCT FROM after IS, found \"3\"");
  EXPECT_EQ(Headline("SELECT a FROM t WHERE a IN 1, 2"),
            "line 1, column 28: expected \"(\", found \"1\"");
  EXPECT_EQ(Headline("SELECT 1 UNION"),
            "line 1, column 15: expected SELECT, FROM, VALUES or \"(\", found end of input");
  EXPECT_EQ(Headline("SELECT sum(a) OVER (ORDER BY b ROWS 1) FROM t"),
            "line 1, column 38: expected PRECEDING or FOLLOWING, found \")\"");
  EXPECT_EQ(Headline("COPY t TO out.parquet"),
            "line 1, column 11: expected a file path in single quotes, found \"out\"");
  EXPECT_EQ(Headline("SELECT 1 +"),
            "line 1, column 11: expected an expression, found end of input");
  EXPECT_EQ(Headline("SET threads 4"), "line 1, column 13: expected = or TO, found \"4\"");
  EXPECT_EQ(Headline("DROP t"), "line 1, column 6: expected VIEW or TABLE after DROP, found \"t\"");
  EXPECT_EQ(Headline("SELECT 1; SELECT 2 3"),
            "line 1, column 20: expected \";\" or end of input, found \"3\"");
}

TEST(SqlParserError, UnterminatedTokensNameWhereTheyBegan) {
  EXPECT_EQ(ErrorOf("SELECT 'abc FROM t\nWHERE x"),
            "line 1, column 8: unterminated string literal (it begins here)\n"
            "  SELECT 'abc FROM t\n"
            "         ^");
  EXPECT_EQ(Headline("SELECT 1 /* a\n comment"), "line 1, column 10: unterminated /* comment");
}

TEST(SqlParserError, UnsupportedSyntaxSaysSo) {
  const ErrorKind kUnsupported = ErrorKind::kUnsupported;
  EXPECT_EQ(ErrorOf("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", kUnsupported),
            "line 1, column 6: WITH RECURSIVE is not supported\n"
            "  WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r\n"
            "       ^");
  EXPECT_EQ(Headline("CREATE TABLE t (a int)", kUnsupported),
            "line 1, column 16: CREATE TABLE with column definitions is not supported; use "
            "CREATE TABLE name AS query");
  EXPECT_EQ(Headline("SELECT x = ANY (SELECT 1)", kUnsupported),
            "line 1, column 12: ANY (subquery) comparisons are not supported; use IN or EXISTS");
  EXPECT_EQ(Headline("SELECT a FROM t GROUP BY ROLLUP (a)", kUnsupported),
            "line 1, column 26: GROUP BY ROLLUP is not supported");
  EXPECT_EQ(Headline("INSERT INTO t VALUES (1)", kUnsupported),
            "line 1, column 1: INSERT statements are not supported");
  EXPECT_EQ(Headline("SELECT DISTINCT ON (a) a FROM t", kUnsupported),
            "line 1, column 17: DISTINCT ON is not supported");
  EXPECT_EQ(Headline("SELECT string_agg(a, ',' ORDER BY a) FROM t", kUnsupported),
            "line 1, column 26: ORDER BY inside a function call is not supported");
  EXPECT_EQ(Headline("VALUES (1, 2), (3)"),
            "line 1, column 16: VALUES rows must all have the same number of values: this one "
            "has 1, the first has 2");
}

TEST(SqlParserError, LongTokensAreShortenedInMessages) {
  EXPECT_EQ(Headline("SELECT 1 'a long string that goes on and on and on and on'"),
            "line 1, column 10: expected \";\" or end of input, found \"'a long string that "
            "goes on and on and o...\"");
  EXPECT_EQ(Headline("SELECT 1 'two\nlines'"),
            "line 1, column 10: expected \";\" or end of input, found \"'two...\"");
}

TEST(SqlParserError, ErrorsInLaterLinesCountCharacters) {
  // The caret counts characters, not bytes: é is two bytes.
  EXPECT_EQ(ErrorOf("SELECT 'é',\n  'ü' ! 1"),
            "line 2, column 7: unexpected character \"!\"\n"
            "    'ü' ! 1\n"
            "        ^");
}

TEST(SqlParserError, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "SELECT " + std::string(5000, '(') + "1" + std::string(5000, ')');
  EXPECT_NE(ErrorOf(deep).find("nested too deeply"), std::string::npos);
  std::string negations = "SELECT ";
  for (int i = 0; i < 5000; ++i) negations += "- NOT ";  // "--" would start a comment.
  EXPECT_NE(ErrorOf(negations).find("nested too deeply"), std::string::npos);
  std::string subqueries;
  for (int i = 0; i < 2000; ++i) subqueries += "SELECT * FROM (";
  EXPECT_NE(ErrorOf(subqueries).find("nested too deeply"), std::string::npos);
  std::string chain = "SELECT 1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  EXPECT_NE(ErrorOf(chain).find("nested too deeply"), std::string::npos);
  // Moderate nesting is fine.
  std::string fine = "SELECT " + std::string(200, '(') + "1" + std::string(200, ')');
  for (int i = 0; i < 300; ++i) fine += " OR a = " + std::to_string(i);
  EXPECT_EQ(ParseSql(fine).size(), 1u);
}

}  // namespace
}  // namespace sluice::sql
