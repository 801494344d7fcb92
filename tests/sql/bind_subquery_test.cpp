// Binder tests of subqueries: each is decorrelated into joins (the plan shows no per-row work),
// with SQL's answers: EXISTS / IN as semi and anti joins (residuals for non-equality
// correlations), NOT IN with nulls, scalar subqueries with the count bug handled, and EXISTS/IN
// as values.
#include <gtest/gtest.h>

#include <string>

#include "sql/binder_test_util.h"

namespace sluice::sql {
namespace {

using test::PlanText;
using test::RunError;
using test::RunSql;
using test::SmallCatalog;

TEST(BindSubqueryTest, ExistsIsASemiJoinWithResidual) {
  Catalog catalog = SmallCatalog();
  std::string sql =
      "SELECT a FROM t WHERE EXISTS (SELECT * FROM u WHERE u.a = t.a AND u.d <> t.b) ORDER BY a";
  EXPECT_EQ(RunSql(sql, catalog), "a:int32\n1\n3\n");
  std::string plan = PlanText(sql, catalog);
  EXPECT_NE(plan.find("Join semi"), std::string::npos) << plan;
  EXPECT_NE(plan.find("residual"), std::string::npos) << plan;
  EXPECT_EQ(RunSql("SELECT a FROM t WHERE NOT EXISTS (SELECT * FROM u WHERE u.a = t.a)", catalog),
            "a:int32\n2\n");
  EXPECT_NE(PlanText("SELECT a FROM t WHERE NOT EXISTS (SELECT * FROM u WHERE u.a = t.a)", catalog)
                .find("Join anti"),
            std::string::npos);
  EXPECT_EQ(
      RunSql("SELECT count(*) AS n FROM t WHERE EXISTS (SELECT 1 FROM u WHERE d = 'one')", catalog),
      "n:int64\n3\n");
}

TEST(BindSubqueryTest, InAndNotInWithNulls) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT a FROM t WHERE a IN (SELECT a FROM u) ORDER BY a", catalog),
            "a:int32\n1\n3\n");
  EXPECT_EQ(RunSql("SELECT a FROM t WHERE a NOT IN (SELECT a FROM u)", catalog), "a:int32\n2\n");
  // A null in the subquery: NOT IN is never true.
  EXPECT_EQ(RunSql("SELECT a FROM t WHERE a NOT IN (SELECT x FROM n)", catalog), "a:int32\n");
  // A null probe is unknown unless the subquery is empty.
  EXPECT_EQ(
      RunSql("SELECT count(*) AS c FROM n WHERE x NOT IN (SELECT a FROM u WHERE a > 10)", catalog),
      "c:int64\n2\n");
  EXPECT_EQ(RunSql("SELECT count(*) AS c FROM n WHERE x NOT IN (SELECT 5)", catalog),
            "c:int64\n1\n");
}

TEST(BindSubqueryTest, InAndExistsAsValues) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(
      RunSql("SELECT x, x IN (SELECT 1 UNION ALL SELECT NULL) AS i FROM n ORDER BY x", catalog),
      "x:int32|i:bool\n1|true\nNULL|NULL\n");
  EXPECT_EQ(
      RunSql("SELECT a, EXISTS (SELECT 1 FROM u WHERE u.a = t.a) AS e FROM t ORDER BY a", catalog),
      "a:int32|e:bool\n1|true\n2|false\n3|true\n");
  EXPECT_EQ(RunSql("SELECT a FROM t WHERE a = 2 OR a IN (SELECT a FROM u WHERE d = 'one') "
                   "ORDER BY a",
                   catalog),
            "a:int32\n1\n2\n");
}

TEST(BindSubqueryTest, ScalarSubqueries) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT a FROM t WHERE a = (SELECT max(a) FROM u) - 1", catalog),
            "a:int32\n3\n");
  // No row: null.
  EXPECT_EQ(RunSql("SELECT (SELECT d FROM u WHERE a > 10) AS v", catalog), "v:utf8\nNULL\n");
  // Correlated, grouped by the correlation and left-joined; count over no rows is 0.
  std::string sql =
      "SELECT a, (SELECT count(*) FROM u WHERE u.a = t.a) AS n, "
      "(SELECT max(d) FROM u WHERE u.a = t.a) AS m FROM t ORDER BY a";
  EXPECT_EQ(RunSql(sql, catalog), "a:int32|n:int64|m:utf8\n1|1|one\n2|0|NULL\n3|1|three\n");
  std::string plan = PlanText(sql, catalog);
  EXPECT_NE(plan.find("Join left"), std::string::npos) << plan;
  // In HAVING, over the aggregated rows.
  EXPECT_EQ(RunSql("SELECT b, sum(a) AS s FROM t GROUP BY b HAVING sum(a) > (SELECT min(a) + 1 "
                   "FROM u) ORDER BY b",
                   catalog),
            "b:utf8|s:int64\nx|4\n");
  // TPC-H Q17's shape: compare with an aggregate of the same table per key.
  EXPECT_EQ(RunSql("SELECT a FROM t WHERE c < (SELECT 2 * avg(c) FROM t t2 WHERE t2.b = t.b) "
                   "ORDER BY a",
                   catalog),
            "a:int32\n1\n2\n");
}

TEST(BindSubqueryTest, Errors) {
  Catalog catalog = SmallCatalog();
  EXPECT_NE(RunError("SELECT (SELECT a, d FROM u)", catalog).find("returns 2 columns"),
            std::string::npos);
  EXPECT_NE(
      RunError("SELECT a FROM t WHERE a IN (SELECT a FROM u WHERE u.a = t.a LIMIT 1)", catalog)
          .find("LIMIT in a correlated subquery"),
      std::string::npos);
}

}  // namespace
}  // namespace sluice::sql
