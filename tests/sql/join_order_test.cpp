// The binder's join order for comma joins: a relation joined on a key of its own comes before
// one joined on a column with few distinct values, whatever their sizes, because the latter
// multiplies rows (TPC-H Q5 at scale factor 10 ran out of memory joining customer on
// c_nationkey before orders). The most filtered of the key joins goes first, and a filtered
// relation that connects only to the one being joined is joined to it first, so that the build
// side is cut down (TPC-H Q3's customers in one market segment behind the orders).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

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
  const size_t facts = plan.find("facts.parquet");
  const size_t orders = plan.find("orders.parquet");
  const size_t customers = plan.find("customers.parquet");
  ASSERT_NE(customers, std::string::npos) << plan;
  EXPECT_LT(facts, orders) << plan;
  EXPECT_LT(orders, customers) << plan;
  // The orders-customers join is the right input of the join over the facts.
  EXPECT_LT(plan.find("Join", facts), orders) << plan;
  EXPECT_EQ(test::RunSql(sql, session.catalog()), "count_star():int64\n6000\n");
}

}  // namespace
}  // namespace sluice::sql
