// Tests of the SQL session (sql/session.h): every statement kind, views replaced and dropped,
// tables materialized, COPY to Parquet and CSV read back, EXPLAIN, SET, and the errors.
#include "sql/session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/memory_pool.h"
#include "core/value_format.h"
#include "testing/temp_dir.h"

namespace sluice::sql {
namespace {

/// Column `name` of `rows` as text, NULL for null.
std::vector<std::string> Values(const DataFrame& rows, const std::string& name) {
  Column column = rows.column(name);
  std::vector<std::string> out;
  for (int64_t i = 0; i < rows.num_rows(); ++i) {
    out.push_back(column.IsNull(i) ? "NULL" : FormatValue(column, i));
  }
  return out;
}

/// The message of the error `sql` throws, or "" when it runs.
std::string ErrorOf(Session& session, const std::string& sql) {
  try {
    session.Execute(sql);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

ErrorKind ErrorKindOf(Session& session, const std::string& sql) {
  try {
    session.Execute(sql);
  } catch (const Error& error) {
    return error.kind();
  }
  ADD_FAILURE() << "no error from " << sql;
  return ErrorKind::kInternal;
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    csv_ = dir_.WriteFile("people.csv",
                          "id,name,city,score\n"
                          "1,ann,Oslo,10\n"
                          "2,bob,Rome,20\n"
                          "3,cid,Oslo,30\n"
                          "4,dan,Lima,40\n");
  }
  /// `SELECT ... FROM 'people.csv'` with the file's path filled in for {}.
  std::string Sql(std::string_view text) const { return fmt::format(fmt::runtime(text), csv_); }
  /// The rows of the one query in `sql`.
  DataFrame Rows(const std::string& sql) {
    std::vector<StatementResult> results = session_.Execute(sql);
    EXPECT_EQ(results.size(), 1u);
    EXPECT_EQ(results.back().kind, StatementResult::Kind::kRows);
    return results.back().rows;
  }

  test::TempDir dir_;
  std::string csv_;
  Session session_;
};

TEST_F(SessionTest, QueryReturnsRows) {
  DataFrame rows = Rows(Sql("SELECT name, score FROM '{}' WHERE score > 15 ORDER BY score DESC"));
  EXPECT_EQ(Values(rows, "name"), (std::vector<std::string>{"dan", "cid", "bob"}));
  EXPECT_EQ(Values(rows, "score"), (std::vector<std::string>{"40", "30", "20"}));
}

TEST_F(SessionTest, SeveralStatementsGiveOneResultEach) {
  std::vector<StatementResult> results =
      session_.Execute(Sql("CREATE VIEW p AS SELECT * FROM '{}'; SELECT count(*) AS n FROM p;; "
                           "SELECT 1 AS one"));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].kind, StatementResult::Kind::kMessage);
  EXPECT_EQ(results[0].text, "CREATE VIEW p");
  EXPECT_EQ(Values(results[1].rows, "n"), std::vector<std::string>{"4"});
  EXPECT_EQ(Values(results[2].rows, "one"), std::vector<std::string>{"1"});
}

TEST_F(SessionTest, ViewsAreBoundPlansAndCanBeReplaced) {
  session_.Execute(Sql("CREATE VIEW oslo AS SELECT name FROM '{}' WHERE city = 'Oslo'"));
  EXPECT_EQ(Values(Rows("SELECT * FROM oslo ORDER BY name"), "name"),
            (std::vector<std::string>{"ann", "cid"}));
  // Names are case-insensitive; a second CREATE without OR REPLACE fails.
  EXPECT_NE(ErrorOf(session_, Sql("CREATE VIEW OSLO AS SELECT 1")), "");
  session_.Execute(Sql("CREATE OR REPLACE VIEW oslo AS SELECT name FROM '{}' WHERE city = 'Rome'"));
  EXPECT_EQ(Values(Rows("SELECT * FROM Oslo"), "name"), std::vector<std::string>{"bob"});
  // IF NOT EXISTS keeps the existing view.
  session_.Execute("CREATE VIEW IF NOT EXISTS oslo AS SELECT 'x' AS name");
  EXPECT_EQ(Values(Rows("SELECT * FROM oslo"), "name"), std::vector<std::string>{"bob"});
}

TEST_F(SessionTest, ViewColumnAliasesRenameTheOutput) {
  session_.Execute(Sql("CREATE VIEW v(who, town) AS SELECT name, city, score FROM '{}'"));
  DataFrame rows = Rows("SELECT who, town, score FROM v WHERE score = 10");
  EXPECT_EQ(Values(rows, "who"), std::vector<std::string>{"ann"});
  EXPECT_EQ(Values(rows, "town"), std::vector<std::string>{"Oslo"});
  EXPECT_NE(ErrorOf(session_, "CREATE VIEW w(a, b) AS SELECT 1 AS x"), "");
}

TEST_F(SessionTest, DropRemovesAndReportsMissingNames) {
  session_.Execute("CREATE VIEW revenue AS SELECT 1 AS x");
  EXPECT_NE(ErrorOf(session_, "DROP VIEW revnue")
                .find("view \"revnue\" does not exist; did you "
                      "mean \"revenue\"?"),
            std::string::npos);
  EXPECT_NE(ErrorOf(session_, "DROP TABLE revenue").find("is a view, not a table"),
            std::string::npos);
  session_.Execute("DROP VIEW revenue");
  EXPECT_EQ(session_.catalog().Find("revenue"), nullptr);
  EXPECT_NE(ErrorOf(session_, "DROP VIEW revenue").find("view \"revenue\" does not exist"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(session_, "DROP VIEW IF EXISTS revenue"), "");
}

TEST_F(SessionTest, TablesKeepTheirRowsInMemory) {
  std::vector<StatementResult> results =
      session_.Execute(Sql("CREATE TABLE t AS SELECT id, name FROM '{}' WHERE id <= 3"));
  EXPECT_EQ(results[0].text, "CREATE TABLE t (3 rows)");
  EXPECT_EQ(results[0].row_count, 3);
  ASSERT_NE(session_.catalog().Find("t"), nullptr);
  EXPECT_EQ(session_.catalog().Find("t")->kind, Catalog::Kind::kTable);
  // The file is gone: the table still answers from memory.
  std::filesystem::remove(csv_);
  EXPECT_EQ(Values(Rows("SELECT name FROM t WHERE id > 1 ORDER BY id"), "name"),
            (std::vector<std::string>{"bob", "cid"}));
  // IF NOT EXISTS does not run its query again.
  EXPECT_EQ(ErrorOf(session_, "CREATE TABLE IF NOT EXISTS t AS SELECT * FROM 'gone.csv'"), "");
  session_.Execute("CREATE OR REPLACE TABLE t AS SELECT 42 AS answer");
  EXPECT_EQ(Values(Rows("SELECT * FROM t"), "answer"), std::vector<std::string>{"42"});
  session_.Execute("DROP TABLE t");
  EXPECT_EQ(session_.catalog().Find("t"), nullptr);
}

TEST_F(SessionTest, CopyToParquetReadsBack) {
  std::string out = dir_.Join("out.parquet");
  std::vector<StatementResult> results =
      session_.Execute(Sql("COPY (SELECT id, name FROM '{}' WHERE id % 2 = 0 ORDER BY id) TO '" +
                           out + "' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1)"));
  EXPECT_EQ(results[0].text, "COPY 2 rows");
  EXPECT_EQ(results[0].row_count, 2);
  DataFrame rows = Rows("SELECT * FROM '" + out + "'");
  EXPECT_EQ(Values(rows, "id"), (std::vector<std::string>{"2", "4"}));
  EXPECT_EQ(Values(rows, "name"), (std::vector<std::string>{"bob", "dan"}));
}

TEST_F(SessionTest, CopyToCsvWithOptions) {
  std::string out = dir_.Join("out.csv");
  std::vector<StatementResult> results =
      session_.Execute(Sql("COPY (SELECT name, city FROM '{}' ORDER BY id LIMIT 3) TO '" + out +
                           "' (HEADER false, DELIMITER ';')"));
  EXPECT_EQ(results[0].text, "COPY 3 rows");
  EXPECT_EQ(test::ReadFile(out), "ann;Oslo\nbob;Rome\ncid;Oslo\n");
  // A newline inside a value is quoted, and the row counts once.
  results = session_.Execute("COPY (SELECT 'a\nb' AS s) TO '" + out + "'");
  EXPECT_EQ(results[0].text, "COPY 1 row");
  EXPECT_EQ(test::ReadFile(out), "s\n\"a\nb\"\n");
}

TEST_F(SessionTest, CopyATableByName) {
  std::string out = dir_.Join("t.csv");
  session_.Execute(Sql("CREATE TABLE t AS SELECT id FROM '{}' ORDER BY id"));
  std::vector<StatementResult> results = session_.Execute("COPY t TO '" + out + "'");
  EXPECT_EQ(results[0].text, "COPY 4 rows");
  EXPECT_EQ(test::ReadFile(out), "id\n1\n2\n3\n4\n");
  EXPECT_NE(ErrorOf(session_, "COPY tt TO '" + out + "'").find("did you mean \"t\"?"),
            std::string::npos);
}

TEST_F(SessionTest, CopyToJsonLines) {
  std::string out = dir_.Join("out.json");
  session_.Execute(Sql("COPY (SELECT id, name FROM '{}' WHERE id = 1) TO '" + out + "'"));
  EXPECT_EQ(test::ReadFile(out), "{\"id\":1,\"name\":\"ann\"}\n");
}

TEST_F(SessionTest, CopyOptionErrors) {
  std::string out = dir_.Join("x.parquet");
  std::string typo = ErrorOf(session_, "COPY (SELECT 1 AS a) TO '" + out + "' (COMPRESION zstd)");
  EXPECT_NE(typo.find("unknown COPY option COMPRESION; did you mean COMPRESSION?"),
            std::string::npos)
      << typo;
  EXPECT_NE(typo.find("line 1, column"), std::string::npos) << typo;
  EXPECT_NE(ErrorOf(session_, "COPY (SELECT 1 AS a) TO '" + out + "' (HEADER)")
                .find("HEADER applies to CSV output"),
            std::string::npos);
  EXPECT_NE(ErrorOf(session_, "COPY (SELECT 1 AS a) TO '" + out + "' (COMPRESSION 'zip')"), "");
  EXPECT_NE(ErrorOf(session_, "COPY (SELECT 1 AS a) TO '" + dir_.Join("x.dat") + "'")
                .find("cannot tell the format"),
            std::string::npos);
  EXPECT_EQ(ErrorKindOf(session_, "COPY (SELECT 1 AS a) TO 'x' (FORMAT xml)"),
            ErrorKind::kUnsupported);
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(SessionTest, CopyPartitionByWritesHiveFolders) {
  std::string folder = dir_.Join("parts");
  EXPECT_NE(ErrorOf(session_, Sql("COPY (SELECT * FROM '{}') TO '" + folder +
                                  "' (FORMAT parquet, PARTITION_BY (cty))"))
                .find("did you mean \"city\"?"),
            std::string::npos);
  std::vector<StatementResult> results = session_.Execute(
      Sql("COPY (SELECT * FROM '{}') TO '" + folder + "' (FORMAT parquet, PARTITION_BY (city))"));
  EXPECT_EQ(results[0].text, "COPY 4 rows");
  EXPECT_EQ(dir_.List("parts"), (std::vector<std::string>{"city=Lima", "city=Oslo", "city=Rome"}));
  DataFrame oslo = Rows("SELECT name FROM '" + folder + "/city=Oslo/*.parquet' ORDER BY id");
  EXPECT_EQ(Values(oslo, "name"), (std::vector<std::string>{"ann", "cid"}));
}

TEST_F(SessionTest, ExplainShowsTheOptimizedPlan) {
  std::vector<StatementResult> results =
      session_.Execute(Sql("EXPLAIN SELECT name FROM '{}' WHERE score > 25"));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].kind, StatementResult::Kind::kPlan);
  // The filter is pushed into the scan, which reads only the columns needed.
  EXPECT_NE(results[0].text.find("Scan csv"), std::string::npos) << results[0].text;
  EXPECT_NE(results[0].text.find("filters="), std::string::npos) << results[0].text;
  EXPECT_EQ(results[0].text.find("analyze"), std::string::npos);

  results = session_.Execute(Sql("EXPLAIN ANALYZE SELECT name FROM '{}' WHERE score > 25"));
  EXPECT_NE(results[0].text.find("\n2 rows in"), std::string::npos) << results[0].text;
  // Per operator: the scan produced the 2 rows that pass its pushed filter.
  EXPECT_NE(results[0].text.find("(rows=2 time="), std::string::npos) << results[0].text;
}

TEST_F(SessionTest, SetChangesHowLaterStatementsRun) {
  MemoryPool pool;
  RunOptions run;
  run.pool = &pool;
  Session session(run);
  session.Execute("SET threads = 3");
  EXPECT_EQ(session.run_options().threads, 3);
  session.Execute("SET memory_limit = '1GB'");
  // The pool gives data its share of the limit; the rest is left for unaccounted memory.
  EXPECT_EQ(pool.limit(), 1'000'000'000 / 100 * MemoryPool::kDataSharePercent);
  EXPECT_NE(ErrorOf(session, "SET memory_limit = 'lots'").find("is not a size"), std::string::npos);
  EXPECT_NE(ErrorOf(session, "SET thread = 2").find("did you mean \"threads\"?"),
            std::string::npos);
  EXPECT_NE(ErrorOf(session, "SET threads = -1"), "");
  EXPECT_EQ(Values(session.Execute("SELECT 1 + 1 AS two")[0].rows, "two"),
            std::vector<std::string>{"2"});
}

TEST_F(SessionTest, PlanQueryBindsExactlyOneQuery) {
  PlanPtr plan = session_.PlanQuery(Sql("SELECT name, score * 2 AS double_score FROM '{}'"));
  ASSERT_NE(plan, nullptr);
  ASSERT_EQ(plan->schema->size(), 2u);
  EXPECT_EQ(plan->schema->field(1).name, "double_score");
  EXPECT_THROW(session_.PlanQuery("SELECT 1; SELECT 2"), Error);
  EXPECT_THROW(session_.PlanQuery("CREATE VIEW v AS SELECT 1"), Error);
}

TEST_F(SessionTest, StopsAtTheFirstErrorAfterEarlierStatementsTookEffect) {
  std::string message =
      ErrorOf(session_, Sql("CREATE VIEW p AS SELECT * FROM '{}';\nSELECT nme FROM p"));
  EXPECT_NE(message.find("line 2, column 8"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean \"name\"?"), std::string::npos) << message;
  EXPECT_NE(session_.catalog().Find("p"), nullptr);
  // A syntax error: nothing runs.
  EXPECT_NE(ErrorOf(session_, "CREATE VIEW q AS SELECT 1; SELEC 2").find("line 1"),
            std::string::npos);
  EXPECT_EQ(session_.catalog().Find("q"), nullptr);
}

}  // namespace
}  // namespace sluice::sql
