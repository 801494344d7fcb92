// ReferencedTableNames: the tables a query reads by name, for ordering a pipeline's models.
#include "sql/table_refs.h"

#include <gtest/gtest.h>

#include "sql/parser.h"

namespace sluice::sql {
namespace {

std::vector<std::string> Names(const std::string& sql) {
  std::vector<Statement> statements = ParseSql(sql);
  std::vector<std::string> names;
  for (const TableNameRef& ref : ReferencedTableNames(*statements.at(0).query))
    names.push_back(ref.name);
  return names;
}

TEST(TableRefsTest, FromJoinsAndSubqueriesInOrderEachOnce) {
  EXPECT_EQ(Names("SELECT * FROM events e JOIN users u USING (user_id) JOIN Events x ON true"),
            (std::vector<std::string>{"events", "users"}));
  EXPECT_EQ(Names("SELECT a FROM t WHERE a IN (SELECT b FROM s) AND EXISTS (SELECT 1 FROM r)"),
            (std::vector<std::string>{"t", "s", "r"}));
  EXPECT_EQ(Names("SELECT (SELECT max(x) FROM m) AS top, * FROM (SELECT * FROM inner_t) sub"),
            (std::vector<std::string>{"inner_t", "m"}));
  EXPECT_EQ(Names("SELECT * FROM a UNION ALL SELECT * FROM main.b"),
            (std::vector<std::string>{"a", "b"}));
}

TEST(TableRefsTest, CtesAreNotTablesWhereInScope) {
  EXPECT_EQ(Names("WITH recent AS (SELECT * FROM events), top AS (SELECT * FROM recent) "
                  "SELECT * FROM top JOIN users USING (id)"),
            (std::vector<std::string>{"events", "users"}));
  // Outside its WITH, the name is a table again.
  EXPECT_EQ(Names("SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) s, x"),
            (std::vector<std::string>{"x"}));
}

TEST(TableRefsTest, FilesAndTableFunctionsAreNotNames) {
  EXPECT_TRUE(Names("SELECT * FROM 'data/*.parquet' JOIN read_csv('u.csv') USING (id)").empty());
  EXPECT_TRUE(Names("SELECT * FROM range(10)").empty());
}

TEST(TableRefsTest, RecordsWhereEachNameIsWritten) {
  std::vector<Statement> statements = ParseSql("SELECT *\nFROM events\n  JOIN users USING (id)");
  std::vector<TableNameRef> refs = ReferencedTableNames(*statements[0].query);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[1].pos.line, 3);
  EXPECT_EQ(refs[1].pos.column, 8);
}

}  // namespace
}  // namespace sluice::sql
