// The binder's join order for comma joins: a relation joined on a key of its own comes before
// one joined on a column with few distinct values, whatever their sizes, because the latter
// multiplies rows (TPC-H Q5 at scale factor 10 ran out of memory joining customer on
// c_nationkey before orders). The most filtered of the key joins goes first, and a filtered
// relation that connects only to the one being joined is joined to it first, so that the build
// side is cut down (TPC-H Q3's customers in one market segment behind the orders); such
// filtered relations count as the filter of the relation they hang off (TPC-H Q5's region
// behind the suppliers).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "plan/row_estimate.h"
#include "sql/binder_test_util.h"
#include "sql/session.h"

namespace sluice::sql {
namespace {

std::string TempDir(const std::string& name) {
  const char* root = std::getenv("SLUICE_TEST_TMP");
  std::filesystem::path dir = std::filesystem::path(root ? root : "/tmp") / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

/// Expects the scans of `files` in that order in `plan` (the text EXPLAIN prints).
void ExpectScansInOrder(const std::string& plan, const std::vector<std::string>& files) {
  size_t previous = 0;
  for (const std::string& file : files) {
    const size_t at = plan.find(file + ".parquet");
    ASSERT_NE(at, std::string::npos) << file << " not in\n" << plan;
    EXPECT_LT(previous, at) << file << " is not after the previous scan in\n" << plan;
    previous = at;
  }
}

TEST(JoinOrderTest, KeyJoinsComeBeforeJoinsThatMultiplyRows) {
  std::string dir = TempDir("join_order");
  Session session;
  // fact(k, g): 20,000 rows; dim_key(k): 2,000 distinct keys (bigger than dim_group);
  // dim_group(g): 500 rows over only 5 values of g, so joining it first would give 2,000,000.
  session.Execute("COPY (SELECT range AS k, range % 5 AS g FROM range(20000)) TO '" + dir +
                  "/fact.parquet';"
                  "COPY (SELECT range AS k, 'name' || range AS name FROM range(2000)) TO '" +
                  dir +
                  "/dim_key.parquet';"
                  "COPY (SELECT range % 5 AS g, range AS v FROM range(500)) TO '" +
                  dir + "/dim_group.parquet';");
  std::string sql = "SELECT count(*) FROM '" + dir + "/fact.parquet' f, '" + dir +
                    "/dim_group.parquet' dg, '" + dir +
                    "/dim_key.parquet' dk WHERE f.g = dg.g AND f.k = dk.k";
  std::string plan = test::PlanText(sql, session.catalog());
  size_t key_join = plan.find("dim_key");
  size_t group_join = plan.find("dim_group");
  ASSERT_NE(key_join, std::string::npos) << plan;
  ASSERT_NE(group_join, std::string::npos) << plan;
  // The inner join's scans print first: the key join must be the inner one.
  EXPECT_LT(key_join, group_join) << plan;
  EXPECT_EQ(test::RunSql(sql, session.catalog()), "count_star():int64\n200000\n");
}

TEST(JoinOrderTest, AFilteredRelationBehindTheBuildSideJoinsItFirst) {
  std::string dir = TempDir("join_order_snowflake");
  Session session;
  // facts(o) 30,000 rows -> orders(o, c) 3,000 rows -> customers(c, seg) 300 rows, filtered.
  session.Execute("COPY (SELECT range AS i, range % 3000 AS o FROM range(30000)) TO '" + dir +
                  "/facts.parquet';"
                  "COPY (SELECT range AS o, range % 300 AS c FROM range(3000)) TO '" +
                  dir +
                  "/orders.parquet';"
                  "COPY (SELECT range AS c, range % 5 AS seg FROM range(300)) TO '" +
                  dir + "/customers.parquet';");
  std::string sql = "SELECT count(*) FROM '" + dir + "/facts.parquet' f, '" + dir +
                    "/orders.parquet' o, '" + dir +
                    "/customers.parquet' c WHERE f.o = o.o AND o.c = c.c AND c.seg = 1";
  std::string plan = test::PlanText(sql, session.catalog());
  // facts probes (orders joined with the filtered customers): both dimension scans come after
  // the facts scan, orders first.
  ExpectScansInOrder(plan, {"facts", "orders", "customers"});
  // The orders-customers join is the right input of the join over the facts.
  EXPECT_LT(plan.find("Join", plan.find("facts.parquet")), plan.find("orders.parquet")) << plan;
  EXPECT_EQ(test::RunSql(sql, session.catalog()), "count_star():int64\n6000\n");
}

TEST(JoinOrderTest, FilteredRelationsBehindAnUnfilteredOneCountAsItsFilter) {
  std::string dir = TempDir("join_order_branch");
  Session session;
  // TPC-H Q5's shape: facts(o, s) probe orders(o, d), kept 40% by a date-like range, and
  // suppliers(s, n), unfiltered themselves but behind them nations(n, r) and regions(r) of
  // which one in five is kept: the suppliers keep 20%, so they (with nations and regions) are
  // joined first. The tables are views (`SELECT *`), as in the TPC-H benchmark.
  session.Execute(
      "COPY (SELECT range AS i, range % 3000 AS o, range % 100 AS s FROM range(30000)) TO '" + dir +
      "/facts.parquet';"
      "COPY (SELECT range AS o, range % 1000 AS d FROM range(3000)) TO '" +
      dir +
      "/orders.parquet';"
      "COPY (SELECT range AS s, range % 25 AS n FROM range(100)) TO '" +
      dir +
      "/suppliers.parquet';"
      "COPY (SELECT range AS n, range % 5 AS r FROM range(25)) TO '" +
      dir +
      "/nations.parquet';"
      "COPY (SELECT range AS r FROM range(5)) TO '" +
      dir + "/regions.parquet';");
  for (const char* table : {"facts", "orders", "suppliers", "nations", "regions"}) {
    session.Execute(std::string("CREATE VIEW ") + table + " AS SELECT * FROM '" + dir + "/" +
                    table + ".parquet';");
  }
  std::string sql =
      "SELECT count(*) FROM facts f, orders o, suppliers su, nations na, regions rg "
      "WHERE f.o = o.o AND f.s = su.s AND su.n = na.n AND na.r = rg.r AND o.d < 400 AND "
      "rg.r = 1";
  std::string plan = test::PlanText(sql, session.catalog());
  // facts probe suppliers (joined with nations, joined with regions), then orders.
  ExpectScansInOrder(plan, {"facts", "suppliers", "nations", "regions", "orders"});
  // Rows with i % 1000 < 400 and i % 5 == 1: 80 in each 1,000.
  EXPECT_EQ(test::RunSql(sql, session.catalog()), "count_star():int64\n2400\n");
  // A condition over the region and the orders (not an equality: TPC-H Q7's pair of nations) is
  // applied once both are joined; it does not tie the region to the orders' side.
  std::string across = sql + " AND rg.r + o.d >= 0";
  std::string across_plan = test::PlanText(across, session.catalog());
  ExpectScansInOrder(across_plan, {"regions", "orders"});
  EXPECT_EQ(test::RunSql(across, session.catalog()), "count_star():int64\n2400\n");
}

TEST(JoinOrderTest, RowEstimatesUseTheFilesStatistics) {
  std::string dir = TempDir("row_estimates");
  Session session;
  // 10,000 rows: d takes 1,000 values 0..999, k 50 values 0..49, name is text.
  session.Execute(
      "COPY (SELECT range % 1000 AS d, range % 50 AS k, 'n' || range AS name "
      "FROM range(10000)) TO '" +
      dir + "/t.parquet'; CREATE VIEW t AS SELECT * FROM '" + dir + "/t.parquet';");
  auto estimate = [&](const std::string& where) {
    const std::string sql = "SELECT * FROM t WHERE " + where;
    std::vector<Statement> statements = ParseSql(sql);
    return EstimateRows(BindQuery(*statements.at(0).query, session.catalog(), sql));
  };
  // A range keeps its overlap with min..max (d >= 100 AND d < 300 is one range: 200 of 999).
  EXPECT_NEAR(estimate("d >= 100 AND d < 300").fraction, 0.2, 0.01);
  EXPECT_NEAR(estimate("d BETWEEN 0 AND 99").rows, 1000, 20);
  // An equality keeps one value's share; an IN list that many.
  EXPECT_NEAR(estimate("k = 7").fraction, 0.02, 0.001);
  EXPECT_NEAR(estimate("k IN (1, 2, 3)").fraction, 0.06, 0.001);
  // Conditions the statistics cannot judge keep a fixed share each.
  EXPECT_NEAR(estimate("name LIKE 'n1%'").fraction, 0.3, 0.001);
  EXPECT_NEAR(estimate("k = 7 AND name LIKE 'n1%'").fraction, 0.006, 0.0005);
}

}  // namespace
}  // namespace sluice::sql
