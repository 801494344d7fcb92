// Binder tests of set operations, VALUES and window functions.
#include <gtest/gtest.h>

#include <string>

#include "sql/binder_test_util.h"

namespace sluice::sql {
namespace {

using test::RunError;
using test::RunSql;
using test::SmallCatalog;

TEST(BindSetOpTest, UnionUnifiesTypesAndNamesFromTheLeft) {
  EXPECT_EQ(RunSql("SELECT 1 AS x UNION ALL SELECT 2.5 ORDER BY x"), "x:decimal(11,1)\n1.0\n2.5\n");
  EXPECT_EQ(RunSql("SELECT 1 AS x UNION SELECT 1 UNION SELECT 2 ORDER BY 1"), "x:int32\n1\n2\n");
  EXPECT_NE(RunError("SELECT 1 UNION SELECT 1, 2").find("same number of columns"),
            std::string::npos);
}

TEST(BindSetOpTest, IntersectAndExceptTreatNullsAsEqual) {
  EXPECT_EQ(RunSql("SELECT x FROM (VALUES (1), (NULL), (1)) t(x) INTERSECT "
                   "SELECT x FROM (VALUES (NULL), (2), (1)) s(x) ORDER BY x"),
            "x:int32\n1\nNULL\n");
  EXPECT_EQ(RunSql("SELECT x FROM (VALUES (1), (NULL), (3)) t(x) EXCEPT "
                   "SELECT x FROM (VALUES (NULL)) s(x) ORDER BY x"),
            "x:int32\n1\n3\n");
}

TEST(BindSetOpTest, UnionByName) {
  EXPECT_EQ(RunSql("SELECT 1 AS a, 2 AS b UNION ALL BY NAME SELECT 3 AS b, 4 AS c ORDER BY a"),
            "a:int32|b:int32|c:int32\n1|2|NULL\nNULL|3|4\n");
}

TEST(BindSetOpTest, Values) {
  EXPECT_EQ(RunSql("VALUES (1, 'a'), (2, NULL)"), "col0:int32|col1:utf8\n1|a\n2|NULL\n");
  EXPECT_EQ(RunSql("SELECT * FROM (VALUES (1, 2.5), (3, 4)) v(i, d) ORDER BY i"),
            "i:int32|d:decimal(11,1)\n1|2.5\n3|4.0\n");
}

TEST(BindWindowTest, RankingAndAggregatesOverWindows) {
  Catalog catalog = SmallCatalog();
  EXPECT_EQ(RunSql("SELECT a, row_number() OVER (ORDER BY a DESC) AS r, "
                   "sum(a) OVER (PARTITION BY b) AS s FROM t ORDER BY a",
                   catalog),
            "a:int32|r:int64|s:int64\n1|3|4\n2|2|2\n3|1|4\n");
  EXPECT_EQ(RunSql("SELECT b, rank() OVER (ORDER BY count(*) DESC) AS r, "
                   "sum(sum(a)) OVER () AS total FROM t GROUP BY b ORDER BY b",
                   catalog),
            "b:utf8|r:int64|total:int64\nx|1|6\ny|2|6\n");
  EXPECT_EQ(RunSql("SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY b ORDER BY a DESC) = 1 "
                   "ORDER BY a",
                   catalog),
            "a:int32\n2\n3\n");
  EXPECT_EQ(RunSql("SELECT a, count(*) OVER w AS n FROM t WINDOW w AS (PARTITION BY b) ORDER BY a",
                   catalog),
            "a:int32|n:int64\n1|2\n2|1\n3|2\n");
}

}  // namespace
}  // namespace sluice::sql
