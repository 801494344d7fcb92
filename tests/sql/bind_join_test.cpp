// Binder tests of FROM: comma joins turned into hash joins on WHERE's equalities, JOIN ... ON
// (keys, pushed filters, residuals), USING / NATURAL, files as tables and read_csv options.
#include <gtest/gtest.h>

#include <string>

#include "sql/binder_test_util.h"
#include "testing/temp_dir.h"

namespace sluice::sql {
namespace {

using test::PlanText;
using test::RunError;
using test::RunSql;
using test::SmallCatalog;

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(BindJoinTest, CommaJoinUsesWhereEqualitiesAsKeys) {
  Catalog catalog = SmallCatalog();
  std::string sql = "SELECT t.a, d FROM t, u WHERE t.a = u.a AND b = 'x' ORDER BY 1";
  EXPECT_EQ(RunSql(sql, catalog), "a:int32|d:utf8\n1|one\n3|three\n");
  std::string plan = PlanText(sql, catalog);
  EXPECT_EQ(Count(plan, "Join inner"), 1) << plan;
  EXPECT_EQ(Count(plan, "cross"), 0) << plan;
}

TEST(BindJoinTest, ThreeWayCommaJoinHasNoCrossJoin) {
  Catalog catalog = SmallCatalog();
  std::string sql = "SELECT count(*) AS n FROM t, u, n WHERE u.a = n.x AND t.a = u.a";
  EXPECT_EQ(RunSql(sql, catalog), "n:int64\n1\n");
  EXPECT_EQ(Count(PlanText(sql, catalog), "cross"), 0);
}

TEST(BindJoinTest, CommonConjunctsOfDisjunctionsBecomeKeys) {
  Catalog catalog = SmallCatalog();
  std::string sql =
      "SELECT t.a FROM t, u WHERE (t.a = u.a AND d = 'one') OR (t.a = u.a AND t.b = 'x' AND "
      "d = 'three') ORDER BY 1";
  EXPECT_EQ(RunSql(sql, catalog), "a:int32\n1\n3\n");
  EXPECT_EQ(Count(PlanText(sql, catalog), "cross"), 0);
}

TEST(BindJoinTest, SelfJoinRenamesClashingColumns) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT x.a, y.a FROM t x JOIN t y ON x.a = y.a + 1 ORDER BY 1", catalog),
            "a:int32|a_1:int32\n2|1\n3|2\n");
}

TEST(BindJoinTest, OnConditionsKeysFiltersAndResiduals) {
  Catalog catalog = SmallCatalog();
  // A right-side condition of a left join filters the right input before joining.
  EXPECT_EQ(
      RunSql("SELECT t.a, d FROM t LEFT JOIN u ON t.a = u.a AND d = 'three' ORDER BY 1", catalog),
      "a:int32|d:utf8\n1|NULL\n2|NULL\n3|three\n");
  // A left-side condition of a left join decides matches only (rows are kept).
  std::string sql = "SELECT t.a, d FROM t LEFT JOIN u ON t.a = u.a AND t.b = 'y' ORDER BY 1";
  EXPECT_EQ(RunSql(sql, catalog), "a:int32|d:utf8\n1|NULL\n2|NULL\n3|NULL\n");
  EXPECT_NE(PlanText(sql, catalog).find("residual"), std::string::npos);
  EXPECT_EQ(RunSql("SELECT t.a, u.a FROM t FULL JOIN u ON t.a = u.a ORDER BY t.a NULLS LAST, u.a",
                   catalog),
            "a:int32|a_1:int32\n1|1\n2|NULL\n3|3\nNULL|4\n");
  EXPECT_EQ(RunSql("SELECT t.a, u.a FROM t JOIN u ON t.a < u.a AND u.a = 3 ORDER BY 1", catalog),
            "a:int32|a_1:int32\n1|3\n2|3\n");
}

TEST(BindJoinTest, UsingAndNatural) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT * FROM t JOIN u USING (a) ORDER BY a", catalog),
            "a:int32|b:utf8|c:decimal(2,1)|d:utf8\n1|x|1.5|one\n3|x|NULL|three\n");
  EXPECT_EQ(
      RunSql("SELECT a, t.a AS ta, u.a AS ua FROM t FULL JOIN u USING (a) ORDER BY a", catalog),
      "a:int32|ta:int32|ua:int32\n1|1|1\n2|2|NULL\n3|3|3\n4|NULL|4\n");
  EXPECT_EQ(RunSql("SELECT * FROM t NATURAL JOIN u ORDER BY a", catalog),
            "a:int32|b:utf8|c:decimal(2,1)|d:utf8\n1|x|1.5|one\n3|x|NULL|three\n");
  EXPECT_NE(RunError("SELECT * FROM t JOIN u USING (zz)", catalog).find("USING"),
            std::string::npos);
}

TEST(BindJoinTest, FilesAsTables) {
  sluice::test::TempDir dir;
  std::string csv = dir.WriteFile("people.csv", "id,name\n1,ann\n2,bob\n");
  std::string semi = dir.WriteFile("semi.txt", "id;name\n3;cy\n");
  EXPECT_EQ(RunSql("SELECT people.name FROM '" + csv + "' WHERE id = 2"), "name:utf8\nbob\n");
  EXPECT_EQ(RunSql("SELECT * FROM read_csv('" + semi + "', delim = ';', header = true)"),
            "id:int64|name:utf8\n3|cy\n");
  // Parquet written by a query, read back by path and by read_parquet.
  std::string parquet = dir.Join("t.parquet");
  std::string sql = "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(k, s)";
  LazyFrame(BindQuery(*ParseSql(sql).at(0).query, Catalog(), sql)).sink_parquet(parquet);
  EXPECT_EQ(RunSql("SELECT s FROM '" + parquet + "' WHERE k = 2"), "s:utf8\nb\n");
  EXPECT_EQ(RunSql("SELECT count(*) AS n FROM read_parquet('" + parquet + "')"), "n:int64\n2\n");
  EXPECT_NE(RunError("SELECT * FROM read_csv('" + csv + "', bogus = 1)")
                .find("unknown read_csv "
                      "option"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::sql
