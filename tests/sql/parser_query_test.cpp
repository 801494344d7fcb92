// Tests of query parsing (src/sql/parser_query.cpp, parser_from.cpp): SELECT items and aliases,
// stars, FROM tables/files/functions/subqueries/VALUES, every join, WHERE, GROUP BY, HAVING,
// WINDOW, QUALIFY, ORDER BY, LIMIT/OFFSET/FETCH, set operations and their precedence, WITH.
#include <gtest/gtest.h>

#include "sql/ast_dump.h"
#include "sql/parser.h"

namespace sluice::sql {
namespace {

QueryPtr Parse1(std::string_view sql) {
  std::vector<Statement> statements = ParseSql(sql);
  EXPECT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements.at(0).kind, StatementKind::kQuery);
  return statements.at(0).query;
}

std::string Q(std::string_view sql) {
  return test::Dump(*Parse1(sql));
}

TEST(SqlParserQuery, SelectItems) {
  EXPECT_EQ(Q("SELECT 1"), "SELECT 1");
  EXPECT_EQ(Q("select a, b AS x, c y, d as \"Z z\" from t"),
            "SELECT a, b AS x, c AS y, d AS Z z FROM t");
  EXPECT_EQ(Q("SELECT DISTINCT a FROM t"), "SELECT DISTINCT a FROM t");
  EXPECT_EQ(Q("SELECT ALL a FROM t"), "SELECT a FROM t");
  EXPECT_EQ(Q("SELECT * FROM t"), "SELECT * FROM t");
  EXPECT_EQ(Q("SELECT t.*, u.a FROM t, u"), "SELECT t.*, u.a FROM (t CROSS JOIN u)");
  EXPECT_EQ(Q("SELECT * EXCLUDE (a, b) FROM t"), "SELECT * EXCLUDE (a, b) FROM t");
  EXPECT_EQ(Q("SELECT * EXCLUDE a FROM t"), "SELECT * EXCLUDE (a) FROM t");
  EXPECT_EQ(Q("SELECT t.* EXCLUDE (a) FROM t"), "SELECT t.* EXCLUDE (a) FROM t");
  // Any word may follow AS; non-reserved ones may be bare aliases.
  EXPECT_EQ(Q("SELECT a AS from, b year, c value FROM t"),
            "SELECT a AS from, b AS year, c AS value FROM t");
  EXPECT_EQ(Q("SELECT a AS 'quoted alias'"), "SELECT a AS quoted alias");
}

TEST(SqlParserQuery, FromForms) {
  EXPECT_EQ(Q("SELECT * FROM s.t AS x"), "SELECT * FROM s.t AS x");
  EXPECT_EQ(Q("SELECT * FROM t x(a, b)"), "SELECT * FROM t AS x(a, b)");
  EXPECT_EQ(Q("SELECT * FROM 'data/*.parquet'"), "SELECT * FROM 'data/*.parquet'");
  EXPECT_EQ(Q("SELECT * FROM 'a.csv' AS a"), "SELECT * FROM 'a.csv' AS a");
  EXPECT_EQ(Q("SELECT * FROM read_parquet('x/*.parquet', hive_partitioning = true)"),
            "SELECT * FROM read_parquet('x/*.parquet', hive_partitioning := TRUE)");
  EXPECT_EQ(Q("SELECT * FROM read_csv('f.csv', delim = ';', header = true) f"),
            "SELECT * FROM read_csv('f.csv', delim := ';', header := TRUE) AS f");
  EXPECT_EQ(Q("SELECT * FROM range(10) r(i)"), "SELECT * FROM range(10) AS r(i)");
  EXPECT_EQ(Q("SELECT * FROM (SELECT a FROM t) AS s"), "SELECT * FROM (SELECT a FROM t) AS s");
  EXPECT_EQ(Q("SELECT * FROM (SELECT a FROM t) s(b)"), "SELECT * FROM (SELECT a FROM t) AS s(b)");
  EXPECT_EQ(Q("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, y)"),
            "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, y)");
  EXPECT_EQ(Q("SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) u"),
            "SELECT * FROM ([(SELECT 1) UNION ALL (SELECT 2)]) AS u");
  QueryPtr q = Parse1("SELECT * FROM read_csv('f.csv', delim = ';')");
  const TableRef& ref = *q->body->select->from;
  ASSERT_EQ(ref.kind, TableRef::Kind::kFunction);
  EXPECT_EQ(ref.function->names, std::vector<std::string>{"read_csv"});
  EXPECT_EQ(ref.function->arg_names, (std::vector<std::string>{"", "delim"}));
  QueryPtr file = Parse1("SELECT * FROM 'x.parquet'");
  EXPECT_EQ(file->body->select->from->kind, TableRef::Kind::kFile);
  EXPECT_EQ(file->body->select->from->path, "x.parquet");
  QueryPtr values = Parse1("SELECT * FROM (VALUES (1)) v");
  EXPECT_EQ(values->body->select->from->kind, TableRef::Kind::kValues);
}

TEST(SqlParserQuery, Joins) {
  EXPECT_EQ(Q("SELECT * FROM a JOIN b ON a.x = b.x"), "SELECT * FROM (a JOIN b ON (a.x = b.x))");
  EXPECT_EQ(Q("SELECT * FROM a INNER JOIN b USING (x, y)"),
            "SELECT * FROM (a JOIN b USING (x, y))");
  EXPECT_EQ(Q("SELECT * FROM a LEFT JOIN b ON p"), "SELECT * FROM (a LEFT JOIN b ON p)");
  EXPECT_EQ(Q("SELECT * FROM a LEFT OUTER JOIN b ON p"), "SELECT * FROM (a LEFT JOIN b ON p)");
  EXPECT_EQ(Q("SELECT * FROM a RIGHT OUTER JOIN b ON p"), "SELECT * FROM (a RIGHT JOIN b ON p)");
  EXPECT_EQ(Q("SELECT * FROM a FULL JOIN b ON p"), "SELECT * FROM (a FULL JOIN b ON p)");
  EXPECT_EQ(Q("SELECT * FROM a FULL OUTER JOIN b ON p"), "SELECT * FROM (a FULL JOIN b ON p)");
  EXPECT_EQ(Q("SELECT * FROM a CROSS JOIN b"), "SELECT * FROM (a CROSS JOIN b)");
  EXPECT_EQ(Q("SELECT * FROM a NATURAL JOIN b"), "SELECT * FROM (a NATURAL JOIN b)");
  EXPECT_EQ(Q("SELECT * FROM a NATURAL LEFT JOIN b"), "SELECT * FROM (a NATURAL LEFT JOIN b)");
  EXPECT_EQ(Q("SELECT * FROM a SEMI JOIN b ON p"), "SELECT * FROM (a SEMI JOIN b ON p)");
  EXPECT_EQ(Q("SELECT * FROM a ANTI JOIN b USING (k)"), "SELECT * FROM (a ANTI JOIN b USING (k))");
  // Joins are left-deep; a comma binds looser than JOIN.
  EXPECT_EQ(Q("SELECT * FROM a JOIN b ON p JOIN c ON q"),
            "SELECT * FROM ((a JOIN b ON p) JOIN c ON q)");
  EXPECT_EQ(Q("SELECT * FROM a, b, c"), "SELECT * FROM ((a CROSS JOIN b) CROSS JOIN c)");
  EXPECT_EQ(Q("SELECT * FROM a, b JOIN c ON p"), "SELECT * FROM (a CROSS JOIN (b JOIN c ON p))");
  EXPECT_EQ(Q("SELECT * FROM a JOIN (b JOIN c ON p) ON q"),
            "SELECT * FROM (a JOIN (b JOIN c ON p) ON q)");
  EXPECT_EQ(Q("SELECT * FROM t1 x LEFT JOIN t2 y ON x.k = y.k"),
            "SELECT * FROM (t1 AS x LEFT JOIN t2 AS y ON (x.k = y.k))");
}

TEST(SqlParserQuery, Clauses) {
  EXPECT_EQ(Q("SELECT a, sum(b) FROM t WHERE c > 1 GROUP BY a HAVING sum(b) > 2"),
            "SELECT a, sum(b) FROM t WHERE (c > 1) GROUP BY a HAVING (sum(b) > 2)");
  EXPECT_EQ(Q("SELECT a, b, count(*) FROM t GROUP BY 1, 2"),
            "SELECT a, b, count(*) FROM t GROUP BY 1, 2");
  EXPECT_EQ(Q("SELECT a, count(*) FROM t GROUP BY ALL"), "SELECT a, count(*) FROM t GROUP BY ALL");
  EXPECT_EQ(Q("SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY a) = 1"),
            "SELECT a FROM t QUALIFY (row_number() OVER (PARTITION BY a) = 1)");
  EXPECT_EQ(Q("SELECT sum(x) OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b)"),
            "SELECT sum(x) OVER (w) FROM t WINDOW w AS (PARTITION BY a ORDER BY b)");
  EXPECT_EQ(Q("SELECT a FROM t ORDER BY a DESC, 2 ASC NULLS FIRST, b NULLS LAST"),
            "SELECT a FROM t ORDER BY a DESC, 2 NULLS FIRST, b NULLS LAST");
  EXPECT_EQ(Q("SELECT a FROM t LIMIT 10"), "SELECT a FROM t LIMIT 10");
  EXPECT_EQ(Q("SELECT a FROM t LIMIT 10 OFFSET 5"), "SELECT a FROM t LIMIT 10 OFFSET 5");
  EXPECT_EQ(Q("SELECT a FROM t OFFSET 5 ROWS"), "SELECT a FROM t OFFSET 5");
  EXPECT_EQ(Q("SELECT a FROM t OFFSET 5 LIMIT 2"), "SELECT a FROM t LIMIT 2 OFFSET 5");
  EXPECT_EQ(Q("SELECT a FROM t LIMIT ALL"), "SELECT a FROM t");
  EXPECT_EQ(Q("SELECT a FROM t FETCH FIRST 3 ROWS ONLY"), "SELECT a FROM t LIMIT 3");
  EXPECT_EQ(Q("SELECT a FROM t FETCH NEXT ROW ONLY"), "SELECT a FROM t LIMIT 1");
  QueryPtr q = Parse1("SELECT a FROM t GROUP BY ALL ORDER BY 1");
  EXPECT_TRUE(q->body->select->group_by_all);
  EXPECT_EQ(q->order_by[0].expr->literal_kind, LiteralKind::kInteger);
  EXPECT_FALSE(q->order_by[0].nulls_last.has_value());
}

TEST(SqlParserQuery, SetOperations) {
  EXPECT_EQ(Q("SELECT 1 UNION SELECT 2"), "[SELECT 1 UNION SELECT 2]");
  EXPECT_EQ(Q("SELECT 1 UNION ALL SELECT 2 UNION SELECT 3"),
            "[[SELECT 1 UNION ALL SELECT 2] UNION SELECT 3]");
  EXPECT_EQ(Q("SELECT 1 UNION ALL BY NAME SELECT 2"), "[SELECT 1 UNION ALL BY NAME SELECT 2]");
  EXPECT_EQ(Q("SELECT 1 UNION BY NAME SELECT 2"), "[SELECT 1 UNION BY NAME SELECT 2]");
  EXPECT_EQ(Q("SELECT 1 EXCEPT ALL SELECT 2"), "[SELECT 1 EXCEPT ALL SELECT 2]");
  EXPECT_EQ(Q("SELECT 1 INTERSECT SELECT 2"), "[SELECT 1 INTERSECT SELECT 2]");
  // INTERSECT binds tighter than UNION and EXCEPT.
  EXPECT_EQ(Q("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3"),
            "[SELECT 1 UNION [SELECT 2 INTERSECT SELECT 3]]");
  EXPECT_EQ(Q("SELECT 1 INTERSECT ALL SELECT 2 EXCEPT SELECT 3"),
            "[[SELECT 1 INTERSECT ALL SELECT 2] EXCEPT SELECT 3]");
  EXPECT_EQ(Q("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3"),
            "[([SELECT 1 UNION SELECT 2]) INTERSECT SELECT 3]");
  // ORDER BY and LIMIT apply to the whole set operation.
  EXPECT_EQ(Q("SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 LIMIT 3"),
            "[SELECT a FROM t UNION SELECT b FROM u] ORDER BY 1 LIMIT 3");
  EXPECT_EQ(Q("(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u LIMIT 2)"),
            "[(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u LIMIT 2)]");
  EXPECT_EQ(Q("VALUES (1, 2), (3, 4)"), "VALUES (1, 2), (3, 4)");
  EXPECT_EQ(Q("TABLE t"), "SELECT * FROM t");
  // DuckDB's FROM-first form.
  EXPECT_EQ(Q("FROM t"), "SELECT * FROM t");
  EXPECT_EQ(Q("FROM t SELECT a WHERE b LIMIT 1"), "SELECT a FROM t WHERE b LIMIT 1");
  EXPECT_EQ(Q("SELECT * FROM (FROM t) s"), "SELECT * FROM (SELECT * FROM t) AS s");
}

TEST(SqlParserQuery, With) {
  EXPECT_EQ(Q("WITH a AS (SELECT 1), b(x) AS MATERIALIZED (SELECT 2) SELECT * FROM a, b"),
            "WITH a AS (SELECT 1), b(x) AS (SELECT 2) SELECT * FROM (a CROSS JOIN b)");
  EXPECT_EQ(Q("WITH a AS NOT MATERIALIZED (SELECT 1) SELECT * FROM a"),
            "WITH a AS (SELECT 1) SELECT * FROM a");
  EXPECT_EQ(Q("WITH a AS (SELECT 1) SELECT * FROM a UNION SELECT 2 ORDER BY 1"),
            "WITH a AS (SELECT 1) [SELECT * FROM a UNION SELECT 2] ORDER BY 1");
  EXPECT_EQ(Q("SELECT (WITH c AS (SELECT 1) SELECT * FROM c)"),
            "SELECT (WITH c AS (SELECT 1) SELECT * FROM c)");
}

TEST(SqlParserQuery, Positions) {
  QueryPtr q = Parse1("SELECT a,\n       b + 1 AS c\nFROM t\n  JOIN u ON t.k = u.k\nWHERE x");
  const SelectCore& core = *q->body->select;
  EXPECT_EQ(core.pos.line, 1);
  EXPECT_EQ(core.items[1].expr->pos.line, 2);
  EXPECT_EQ(core.items[1].expr->pos.column, 10);
  EXPECT_EQ(core.items[1].expr->args[0]->pos.column, 8);
  EXPECT_EQ(core.from->pos.line, 4);
  EXPECT_EQ(core.from->pos.column, 3);
  EXPECT_EQ(core.from->left->pos.line, 3);
  EXPECT_EQ(core.from->left->pos.column, 6);
  EXPECT_EQ(core.from->right->pos.column, 8);
  EXPECT_EQ(core.where->pos.line, 5);
  EXPECT_EQ(core.where->pos.column, 7);
}

}  // namespace
}  // namespace sluice::sql
