// The 22 TPC-H queries of tests/sql/tpch/ go through the parser and the binder: each parses, and
// with views over the TPC-H Parquet files ($SLUICE_TPCH_DIR) each binds to a plan. Running them
// and comparing the answers with DuckDB is the e2e test tests/diff/tpch_sql.mjs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sql/parser.h"
#include "sql/session.h"

namespace sluice::sql {
namespace {

namespace fs = std::filesystem;

/// tests/sql/ (tests/CMakeLists.txt passes it: __FILE__ may be relative to the build folder).
fs::path SqlTestDir() {
#ifdef SLUICE_TESTS_SQL_DIR
  return fs::path(SLUICE_TESTS_SQL_DIR);
#else
  return fs::path(__FILE__).parent_path();
#endif
}

std::string QueryText(int number) {
  fs::path path = SqlTestDir() / "tpch" / fmt::format("q{:02}.sql", number);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class TpchQuery : public ::testing::TestWithParam<int> {};

TEST_P(TpchQuery, Parses) {
  std::string sql = QueryText(GetParam());
  ASSERT_FALSE(sql.empty());
  std::vector<Statement> statements;
  ASSERT_NO_THROW(statements = ParseSql(sql)) << sql;
  // Q15 creates a view, queries it and drops it; the others are one query.
  if (GetParam() == 15) {
    ASSERT_EQ(statements.size(), 3u);
    EXPECT_EQ(statements[0].kind, StatementKind::kCreateView);
    EXPECT_EQ(statements[1].kind, StatementKind::kQuery);
    EXPECT_EQ(statements[2].kind, StatementKind::kDrop);
  } else {
    ASSERT_EQ(statements.size(), 1u);
    EXPECT_EQ(statements[0].kind, StatementKind::kQuery);
  }
}

TEST_P(TpchQuery, Binds) {
  const char* env = std::getenv("SLUICE_TPCH_DIR");
  fs::path dir = env && *env ? fs::path(env) : SqlTestDir() / "../../../shared/tpch/sf0.1";
  if (!fs::exists(dir / "lineitem.parquet")) GTEST_SKIP() << "no TPC-H files in " << dir;
  Session session;
  for (const char* table :
       {"lineitem", "orders", "customer", "part", "partsupp", "supplier", "nation", "region"}) {
    session.Execute(fmt::format("CREATE VIEW {} AS SELECT * FROM '{}'", table,
                                (dir / fmt::format("{}.parquet", table)).string()));
  }
  std::string sql = QueryText(GetParam());
  for (const Statement& statement : ParseSql(sql)) {
    if (statement.kind == StatementKind::kQuery) {
      PlanPtr plan;
      EXPECT_NO_THROW(plan = session.PlanQuery(statement.text)) << statement.text;
      EXPECT_NE(plan, nullptr);
    } else {
      EXPECT_NO_THROW(session.Execute(statement.text)) << statement.text;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Tpch, TpchQuery, ::testing::Range(1, 23),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return fmt::format("q{:02}", info.param);
                         });

}  // namespace
}  // namespace sluice::sql
