// Binder tests: SQL text through ParseSql and BindQuery, run with LazyFrame::collect over small
// views (VALUES); names, output names, literals and expressions, clauses, and errors with their
// messages and positions.
#include <gtest/gtest.h>

#include <string>

#include "sql/binder_test_util.h"

namespace sluice::sql {
namespace {

using test::PlanText;
using test::RunError;
using test::RunSql;
using test::SmallCatalog;

TEST(BinderTest, LiteralTypesFollowDuckDb) {
  EXPECT_EQ(RunSql("SELECT 1 AS a, 3000000000 AS b, 0.2 AS c, 100.00 AS d, 1e3 AS e, 'x' AS f"),
            "a:int32|b:int64|c:decimal(2,1)|d:decimal(5,2)|e:float64|f:utf8\n"
            "1|3000000000|0.2|100.00|1000|x\n");
  EXPECT_EQ(RunSql("SELECT NULL AS a, true AS b, DATE '2024-02-29' AS c"),
            "a:int32|b:bool|c:date32\nNULL|true|2024-02-29\n");
}

TEST(BinderTest, OutputNamesFollowDuckDb) {
  Catalog catalog = SmallCatalog();
  std::string header =
      RunSql("SELECT sum(a), count(*), count(DISTINCT b), max(a) + 1 FROM t", catalog);
  EXPECT_EQ(header.substr(0, header.find('\n')),
            "sum(a):int64|count_star():int64|count(DISTINCT b):int64|(max(a) + 1):int32");
  header = RunSql("SELECT A, a * 2, b IS NULL, CAST(a AS VARCHAR) FROM t LIMIT 1", catalog);
  EXPECT_EQ(header.substr(0, header.find('\n')),
            "a:int32|(a * 2):int32|(b IS NULL):bool|CAST(a AS VARCHAR):utf8");
}

TEST(BinderTest, DuplicateOutputNamesAreNumbered) {
  EXPECT_EQ(RunSql("SELECT a, a FROM (SELECT 1 AS a)"), "a:int32|a_1:int32\n1|1\n");
  EXPECT_EQ(RunSql("SELECT * FROM (SELECT 1 AS a, 2 AS a)"), "a:int32|a_1:int32\n1|2\n");
}

TEST(BinderTest, ArithmeticAndDivision) {
  EXPECT_EQ(RunSql("SELECT 7 / 2 AS a, 7 // 2 AS b, 7 % 3 AS c, 2 * 3 + 1 AS d"),
            "a:float64|b:int32|c:int32|d:int32\n3.5|3|1|7\n");
  EXPECT_EQ(RunSql("SELECT 'a' || 1 || 'b' AS s"), "s:utf8\na1b\n");
}

TEST(BinderTest, NullSemanticsOfOperators) {
  EXPECT_EQ(RunSql("SELECT 1 IS DISTINCT FROM NULL AS a, NULL IS NOT DISTINCT FROM NULL AS b, "
                   "nullif(1, 1) AS c, coalesce(NULL, 2) AS d"),
            "a:bool|b:bool|c:int32|d:int32\ntrue|true|NULL|2\n");
  EXPECT_EQ(RunSql("SELECT x, x IS TRUE AS t, x IS NOT FALSE AS nf FROM "
                   "(VALUES (true), (false), (NULL)) v(x) ORDER BY x NULLS FIRST"),
            "x:bool|t:bool|nf:bool\nNULL|false|true\nfalse|false|false\ntrue|true|true\n");
}

TEST(BinderTest, CaseBetweenInLike) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT a, CASE WHEN a < 2 THEN 'low' ELSE 'high' END AS k, "
                   "CASE b WHEN 'x' THEN 1 END AS x FROM t ORDER BY a",
                   catalog),
            "a:int32|k:utf8|x:int32\n1|low|1\n2|high|NULL\n3|high|1\n");
  EXPECT_EQ(RunSql("SELECT a FROM t WHERE a BETWEEN 2 AND 3 AND a NOT IN (3) AND b LIKE 'y%' "
                   "AND b ILIKE 'Y' AND b NOT LIKE 'x'",
                   catalog),
            "a:int32\n2\n");
}

TEST(BinderTest, DatesAndIntervals) {
  EXPECT_EQ(RunSql("SELECT DATE '1998-12-01' - INTERVAL '90' DAY AS a, "
                   "DATE '1995-01-31' + INTERVAL '1' MONTH AS b, "
                   "DATE '1998-12-01' - DATE '1998-01-01' AS c, "
                   "EXTRACT(YEAR FROM DATE '2024-05-06') AS d"),
            "a:timestamp[us]|b:timestamp[us]|c:int64|d:int64\n"
            "1998-09-02 00:00:00|1995-02-28 00:00:00|334|2024\n");
  EXPECT_EQ(RunSql("SELECT d + INTERVAL '1 day' AS e FROM (VALUES (DATE '2024-01-31')) v(d)"),
            "e:timestamp[us]\n2024-02-01 00:00:00\n");
  // A date column against a folded midnight timestamp compares as dates.
  std::string plan = PlanText(
      "SELECT d FROM (VALUES (DATE '2024-01-31')) v(d) WHERE d <= DATE '2024-03-01' - "
      "INTERVAL '1' MONTH",
      Catalog());
  EXPECT_NE(plan.find("col0 <= DATE '2024-02-01'"), std::string::npos) << plan;
}

TEST(BinderTest, CastsAndTypeNames) {
  EXPECT_EQ(RunSql("SELECT CAST('12' AS INTEGER) + 1 AS a, '2.5'::DOUBLE AS b, "
                   "TRY_CAST('x' AS INT) AS c, CAST(1 AS DECIMAL(10, 2)) AS d, "
                   "CAST(1 AS FLOAT) AS e, CAST(1 AS DECIMAL) AS f"),
            "a:int32|b:float64|c:int32|d:decimal(10,2)|e:float32|f:decimal(18,3)\n"
            "13|2.5|NULL|1.00|1|1.000\n");
}

TEST(BinderTest, GroupByExpressionsAliasesOrdinalsAndAll) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT b, count(*) AS n, sum(a) AS s FROM t GROUP BY b ORDER BY b", catalog),
            "b:utf8|n:int64|s:int64\nx|2|4\ny|1|2\n");
  EXPECT_EQ(RunSql("SELECT b AS k, count(*) FROM t GROUP BY k ORDER BY 1", catalog),
            "k:utf8|count_star():int64\nx|2\ny|1\n");
  EXPECT_EQ(RunSql("SELECT b, max(a) FROM t GROUP BY 1 ORDER BY 1", catalog),
            "b:utf8|max(a):int32\nx|3\ny|2\n");
  EXPECT_EQ(RunSql("SELECT a % 2 AS odd, count(*) FROM t GROUP BY ALL ORDER BY odd", catalog),
            "odd:int32|count_star():int64\n0|1\n1|2\n");
  // An expression over a key is matched structurally.
  EXPECT_EQ(
      RunSql("SELECT a + 1 AS k, (a + 1) * 2 AS k2 FROM t GROUP BY a + 1 ORDER BY 1", catalog),
      "k:int32|k2:int32\n2|4\n3|6\n4|8\n");
}

TEST(BinderTest, AggregatesAnywhere) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT b FROM t GROUP BY b HAVING count(*) > 1", catalog), "b:utf8\nx\n");
  EXPECT_EQ(RunSql("SELECT b FROM t GROUP BY b ORDER BY sum(a) DESC", catalog), "b:utf8\nx\ny\n");
  EXPECT_EQ(RunSql("SELECT sum(a) FILTER (WHERE b = 'x') AS s, count(*) FILTER (WHERE a > 1) AS n, "
                   "avg(a) AS m, count(c) AS cc, bool_or(a > 2) AS o FROM t",
                   catalog),
            "s:int64|n:int64|m:float64|cc:int64|o:bool\n4|2|2|2|true\n");
  EXPECT_EQ(
      RunSql("SELECT median(a) AS m, quantile_cont(a, 0.5) AS q, var_pop(a) AS v FROM t", catalog),
      "m:float64|q:float64|v:float64\n2|2|0.6666666666666666\n");
}

TEST(BinderTest, OrderByAliasesOrdinalsAndHiddenColumns) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT b AS k FROM t ORDER BY a DESC", catalog), "k:utf8\nx\ny\nx\n");
  EXPECT_EQ(RunSql("SELECT a, c FROM t ORDER BY c NULLS FIRST", catalog),
            "a:int32|c:decimal(2,1)\n3|NULL\n1|1.5\n2|2.5\n");
  EXPECT_EQ(RunSql("SELECT a FROM t ORDER BY 1 DESC LIMIT 1 OFFSET 1", catalog), "a:int32\n2\n");
  EXPECT_EQ(RunSql("SELECT DISTINCT b FROM t ORDER BY b", catalog), "b:utf8\nx\ny\n");
}

TEST(BinderTest, StarExcludeAndQualifiedStar) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT * EXCLUDE (c) FROM t WHERE a = 1", catalog), "a:int32|b:utf8\n1|x\n");
  EXPECT_EQ(RunSql("SELECT u.* FROM t, u WHERE t.a = u.a AND t.a = 3", catalog),
            "a:int32|d:utf8\n3|three\n");
}

TEST(BinderTest, CtesAndDerivedTables) {
  EXPECT_EQ(RunSql("WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) "
                   "SELECT * FROM a, b"),
            "x:int32|y:int32\n1|2\n");
  EXPECT_EQ(RunSql("WITH a(z) AS (SELECT 5) SELECT s.z FROM a AS s"), "z:int32\n5\n");
  EXPECT_EQ(RunSql("SELECT y FROM (SELECT 1 AS x) t(y)"), "y:int32\n1\n");
}

TEST(BinderTest, TableFunctions) {
  EXPECT_EQ(RunSql("SELECT * FROM range(3)"), "range:int64\n0\n1\n2\n");
  EXPECT_EQ(RunSql("SELECT sum(generate_series) AS s FROM generate_series(1, 4)"), "s:int64\n10\n");
  EXPECT_EQ(RunSql("SELECT count(*) AS n FROM range(0, 10, 3)"), "n:int64\n4\n");
}

// ---- Errors ------------------------------------------------------------------------------------

TEST(BinderErrorTest, UnknownColumnSuggestsAndPoints) {
  std::string message = RunError("SELECT revnue\nFROM (SELECT 1 AS revenue)");
  EXPECT_EQ(message,
            "line 1, column 8: column \"revnue\" not found; did you mean \"revenue\"?\n"
            "  SELECT revnue\n"
            "         ^");
}

TEST(BinderErrorTest, AmbiguousAndUnknownQualifiers) {
  EXPECT_NE(RunError("SELECT a FROM (SELECT 1 AS a) t1, (SELECT 2 AS a) t2")
                .find("column reference \"a\" is ambiguous: it could be \"t1.a\" or \"t2.a\""),
            std::string::npos);
  EXPECT_NE(RunError("SELECT x.a FROM (SELECT 1 AS a) t")
                .find("table \"x\" not found; did you "
                      "mean \"t\"?"),
            std::string::npos);
  EXPECT_NE(RunError("SELECT * FROM nosuch").find("line 1, column 15: table \"nosuch\" not found"),
            std::string::npos);
}

TEST(BinderErrorTest, UngroupedColumn) {
  EXPECT_NE(RunError("SELECT a, count(*) FROM (SELECT 1 AS a, 2 AS b) GROUP BY b")
                .find("line 1, column 8: column \"a\" must appear in the GROUP BY clause or be "
                      "used in an aggregate function"),
            std::string::npos);
}

TEST(BinderErrorTest, ClausesRejectWhatTheyCannotHold) {
  EXPECT_NE(RunError("SELECT 1 FROM (SELECT 1 AS a) WHERE sum(a) > 1")
                .find("aggregate function sum() is not allowed in WHERE"),
            std::string::npos);
  EXPECT_NE(RunError("SELECT 1 ORDER BY 2").find("ORDER BY position 2 is not in the select list"),
            std::string::npos);
  EXPECT_NE(RunError("SELECT row_number() FROM (SELECT 1)").find("needs OVER"), std::string::npos);
  EXPECT_NE(RunError("SELECT upperr('a')").find("unknown function upperr(); did you mean upper()?"),
            std::string::npos);
  EXPECT_NE(RunError("SELECT 1 LIMIT -1").find("LIMIT must be a non-negative integer"),
            std::string::npos);
  EXPECT_NE(RunError("SELECT 1 WHERE 1").find("is int32, not a boolean"), std::string::npos);
}

TEST(BinderErrorTest, TypeErrorsPointAtTheExpression) {
  EXPECT_EQ(RunError("SELECT 1, 'a' + 1"),
            "line 1, column 15: cannot add utf8 and int32 in `'a' + 1`\n"
            "  SELECT 1, 'a' + 1\n"
            "                ^");
}

}  // namespace
}  // namespace sluice::sql
