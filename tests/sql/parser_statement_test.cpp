// Tests of statement parsing (src/sql/parser_statement.cpp, parser.cpp): CREATE VIEW/TABLE,
// DROP, COPY with its options, EXPLAIN [ANALYZE], SET, several statements with their own text,
// and all 22 TPC-H queries of tests/sql/tpch/.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "sql/ast_dump.h"
#include "sql/parser.h"

namespace sluice::sql {
namespace {

Statement Parse1(std::string_view sql) {
  std::vector<Statement> statements = ParseSql(sql);
  EXPECT_EQ(statements.size(), 1u);
  return statements.at(0);
}

TEST(SqlParserStatement, SeveralStatementsKeepTheirText) {
  std::vector<Statement> statements =
      ParseSql(";; SELECT 1 ;\n-- note\nselect a\n  from t; ;  SELECT 'x;y'  -- end\n");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].text, "SELECT 1");
  EXPECT_EQ(statements[1].text, "select a\n  from t");
  EXPECT_EQ(statements[1].pos.line, 3);
  EXPECT_EQ(statements[1].pos.column, 1);
  EXPECT_EQ(statements[2].text, "SELECT 'x;y'");
  EXPECT_TRUE(ParseSql("").empty());
  EXPECT_TRUE(ParseSql(" ; -- nothing\n ;").empty());
}

TEST(SqlParserStatement, CreateView) {
  Statement s = Parse1("CREATE OR REPLACE TEMP VIEW v (a, b) AS SELECT 1, 2");
  EXPECT_EQ(s.kind, StatementKind::kCreateView);
  EXPECT_TRUE(s.or_replace);
  EXPECT_EQ(s.name, "v");
  EXPECT_EQ(s.column_aliases, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(test::Dump(*s.query), "SELECT 1, 2");
  Statement plain = Parse1("create temporary view \"V\" as (select 1) union select 2");
  EXPECT_FALSE(plain.or_replace);
  EXPECT_EQ(plain.name, "V");
  EXPECT_EQ(test::Dump(*plain.query), "[(SELECT 1) UNION SELECT 2]");
}

TEST(SqlParserStatement, CreateTable) {
  Statement s = Parse1("CREATE TABLE IF NOT EXISTS t AS SELECT * FROM 'x.parquet'");
  EXPECT_EQ(s.kind, StatementKind::kCreateTable);
  EXPECT_TRUE(s.if_not_exists);
  EXPECT_FALSE(s.or_replace);
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(test::Dump(*s.query), "SELECT * FROM 'x.parquet'");
  Statement r = Parse1("CREATE OR REPLACE TABLE t AS WITH a AS (SELECT 1) SELECT * FROM a");
  EXPECT_TRUE(r.or_replace);
}

TEST(SqlParserStatement, Drop) {
  Statement v = Parse1("DROP VIEW v");
  EXPECT_EQ(v.kind, StatementKind::kDrop);
  EXPECT_TRUE(v.is_view);
  EXPECT_FALSE(v.if_exists);
  EXPECT_EQ(v.name, "v");
  Statement t = Parse1("drop table if exists T");
  EXPECT_FALSE(t.is_view);
  EXPECT_TRUE(t.if_exists);
  EXPECT_EQ(t.name, "t");
}

std::string Options(const Statement& s) {
  std::vector<std::string> parts;
  for (const CopyOption& option : s.options) {
    parts.push_back(option.value ? option.name + " " + test::Dump(*option.value) : option.name);
  }
  return test::Join(parts, ", ");
}

TEST(SqlParserStatement, Copy) {
  Statement s = Parse1(
      "COPY (SELECT * FROM t) TO 'out' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (a, b))");
  EXPECT_EQ(s.kind, StatementKind::kCopy);
  EXPECT_EQ(test::Dump(*s.query), "SELECT * FROM t");
  EXPECT_EQ(s.path, "out");
  EXPECT_EQ(Options(s), "FORMAT 'parquet', COMPRESSION 'zstd', PARTITION_BY list(a, b)");
  EXPECT_EQ(s.options[2].pos.column, 68);
  Statement csv = Parse1("copy t to 'out.csv' (HEADER, DELIMITER ';')");
  EXPECT_EQ(csv.query, nullptr);
  EXPECT_EQ(csv.name, "t");
  EXPECT_EQ(Options(csv), "HEADER, DELIMITER ';'");
  // Commas are optional, and flags may stand alone or take a value.
  Statement bare = Parse1("COPY t TO 'o.csv' (HEADER DELIMITER '|' FORMAT csv)");
  EXPECT_EQ(Options(bare), "HEADER, DELIMITER '|', FORMAT 'csv'");
  Statement flags = Parse1(
      "COPY t TO 'o.csv' WITH (HEADER false, ROW_GROUP_SIZE 1000, "
      "PARTITION_BY year)");
  EXPECT_EQ(Options(flags), "HEADER FALSE, ROW_GROUP_SIZE 1000, PARTITION_BY 'year'");
  EXPECT_TRUE(Parse1("COPY t TO 'x.parquet'").options.empty());
}

TEST(SqlParserStatement, Explain) {
  Statement s = Parse1("EXPLAIN SELECT 1");
  EXPECT_EQ(s.kind, StatementKind::kExplain);
  EXPECT_FALSE(s.analyze);
  ASSERT_NE(s.explained, nullptr);
  EXPECT_EQ(s.explained->kind, StatementKind::kQuery);
  EXPECT_EQ(s.explained->text, "SELECT 1");
  EXPECT_EQ(s.query, s.explained->query);
  Statement a = Parse1("explain analyze select a from t");
  EXPECT_TRUE(a.analyze);
  EXPECT_EQ(a.text, "explain analyze select a from t");
  Statement copy = Parse1("EXPLAIN COPY (SELECT 1) TO 'x.csv'");
  EXPECT_EQ(copy.explained->kind, StatementKind::kCopy);
}

TEST(SqlParserStatement, Set) {
  Statement s = Parse1("SET threads = 4");
  EXPECT_EQ(s.kind, StatementKind::kSet);
  EXPECT_EQ(s.name, "threads");
  EXPECT_EQ(test::Dump(*s.value), "4");
  Statement m = Parse1("set Memory_Limit TO '1GB'");
  EXPECT_EQ(m.name, "memory_limit");
  EXPECT_EQ(test::Dump(*m.value), "'1GB'");
  EXPECT_EQ(test::Dump(*Parse1("SET x = on").value), "'on'");
  EXPECT_EQ(test::Dump(*Parse1("SET x = false").value), "FALSE");
  EXPECT_EQ(test::Dump(*Parse1("SET x = 2 * 3").value), "(2 * 3)");
}

std::filesystem::path TpchDir() {
  std::filesystem::path file = __FILE__;
  if (!file.is_absolute()) {
    // Ninja names sources relative to the build directory, which holds tests/<this binary>.
    std::filesystem::path build =
        std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path();
    file = (build / file).lexically_normal();
  }
  return file.parent_path() / "tpch";
}

TEST(SqlParserStatement, AllTpchQueries) {
  for (int q = 1; q <= 22; ++q) {
    std::filesystem::path path = TpchDir() / fmt::format("q{:02}.sql", q);
    std::ifstream in(path);
    ASSERT_TRUE(in) << "cannot open " << path;
    std::stringstream text;
    text << in.rdbuf();
    std::vector<Statement> statements;
    try {
      statements = ParseSql(text.str());
    } catch (const Error& error) {
      ADD_FAILURE() << path << ": " << error.what();
      continue;
    }
    ASSERT_FALSE(statements.empty()) << path;
    int queries = 0;
    for (const Statement& s : statements) queries += s.kind == StatementKind::kQuery;
    EXPECT_EQ(queries, 1) << path;
    if (q == 15) {
      ASSERT_EQ(statements.size(), 3u);
      EXPECT_EQ(statements[0].kind, StatementKind::kCreateView);
      EXPECT_EQ(statements[0].column_aliases.size(), 2u);
      EXPECT_EQ(statements[2].kind, StatementKind::kDrop);
    }
  }
}

}  // namespace
}  // namespace sluice::sql
