// Tests of pipeline data tests (pipeline/data_tests.h): each kind passing and failing with its
// summary text, nulls in keys and targets, numbers in accepted_values, and the errors that name
// the test (a missing column at check time, a bad expect_empty query at run time).
#include "pipeline/data_tests.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"

namespace sluice::pipeline {
namespace {

DataTestSpec Test(DataTestSpec::Kind kind, std::vector<std::string> columns, std::string label,
                  int line = 7) {
  DataTestSpec test;
  test.kind = kind;
  test.columns = std::move(columns);
  test.label = std::move(label);
  test.pos = {line, 1};
  return test;
}

DataTestSpec NotNull(const std::string& column) {
  return Test(DataTestSpec::Kind::kNotNull, {column}, "not_null(" + column + ")");
}
DataTestSpec Unique(std::vector<std::string> columns) {
  return Test(DataTestSpec::Kind::kUnique, std::move(columns), "unique");
}
DataTestSpec Accepted(const std::string& column, std::vector<std::string> values) {
  DataTestSpec test = Test(DataTestSpec::Kind::kAcceptedValues, {column}, "accepted_values");
  test.values = std::move(values);
  return test;
}
DataTestSpec RowCount(std::optional<int64_t> min, std::optional<int64_t> max) {
  DataTestSpec test = Test(DataTestSpec::Kind::kRowCount, {}, "row_count");
  test.min_rows = min;
  test.max_rows = max;
  return test;
}
DataTestSpec Relationship(const std::string& column, const std::string& to_relation,
                          const std::string& to_column) {
  DataTestSpec test = Test(DataTestSpec::Kind::kRelationships, {column}, "relationships");
  test.to_relation = to_relation;
  test.to_column = to_column;
  return test;
}
DataTestSpec ExpectEmpty(const std::string& sql) {
  DataTestSpec test = Test(DataTestSpec::Kind::kExpectEmpty, {}, "expect_empty");
  test.sql = sql;
  return test;
}

class DataTestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    session_.Execute(
        "CREATE TABLE orders AS SELECT * FROM (VALUES "
        "(1, 7, 'open', 10.5), (2, 7, 'x', NULL), (3, 9, 'x', 3.0), (4, 9, 'y', 1.0), "
        "(5, 9, NULL, 2.0), (6, 11, 'x', 4.0), (7, 17, 'x', 5.0), (8, 23, 'done', NULL), "
        "(9, NULL, 'open', 6.0), (10, NULL, 'done', NULL), (11, 17, 'done', 7.0), "
        "(12, 1, 'open', 8.0)) AS t(id, user_id, status, amount)");
    session_.Execute(
        "CREATE VIEW users AS SELECT * FROM (VALUES (1), (7), (9), (11), (NULL)) AS t(user_id)");
  }

  DataTestResult Run(const DataTestSpec& test, const std::string& relation = "orders") {
    return RunDataTest(session_, relation, test);
  }

  sql::Session session_;
};

/// The message of what `body` throws, or "".
template <typename Body>
std::string ErrorOf(Body body) {
  try {
    body();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST_F(DataTestsTest, NotNull) {
  DataTestResult pass = Run(NotNull("id"));
  EXPECT_TRUE(pass.passed);
  EXPECT_EQ(pass.failing_rows, 0);
  EXPECT_EQ(pass.detail, "");
  EXPECT_EQ(pass.relation, "orders");
  EXPECT_EQ(pass.label, "not_null(id)");
  EXPECT_EQ(pass.pos.line, 7);

  DataTestResult fail = Run(NotNull("amount"));
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.failing_rows, 3);
  EXPECT_EQ(fail.detail, "3 null values");
  EXPECT_EQ(Run(NotNull("status")).detail, "1 null value");
}

TEST_F(DataTestsTest, NotNullSql) {
  EXPECT_EQ(DataTestSql(NotNull("a\"b"), "my model"),
            "SELECT count(*) AS \"__failing\" FROM \"my model\" WHERE \"a\"\"b\" IS NULL");
}

TEST_F(DataTestsTest, Unique) {
  EXPECT_TRUE(Run(Unique({"id"})).passed);
  EXPECT_TRUE(Run(Unique({"id", "user_id"})).passed);

  session_.Execute(
      "CREATE VIEW dup AS SELECT * FROM (VALUES (7, 'a'), (9, 'b'), (7, 'c'), (9, 'd'), (3, 'e'), "
      "(9, 'f')) AS t(k, v)");
  DataTestResult fail = Run(Unique({"k"}), "dup");
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.failing_rows, 2);
  EXPECT_EQ(fail.detail, "2 duplicated keys, e.g. (7), (9)");
}

TEST_F(DataTestsTest, UniqueShowsTheFirstThreeKeysInOrder) {
  // user_id: 7, 9, 17 and NULL are duplicated; the first three in key order (NULL last).
  DataTestResult fail = Run(Unique({"user_id"}));
  EXPECT_EQ(fail.failing_rows, 4);
  EXPECT_EQ(fail.detail, "4 duplicated keys, e.g. (7), (9), (17)");
}

TEST_F(DataTestsTest, UniqueTreatsNullsAsValues) {
  // As SQL's GROUP BY: two NULL keys are the same key.
  session_.Execute(
      "CREATE VIEW nulls AS SELECT * FROM (VALUES (1, 'a'), (NULL, 'b'), (NULL, 'b'), (2, NULL)) "
      "AS t(k, v)");
  EXPECT_EQ(Run(Unique({"k"}), "nulls").detail, "1 duplicated key, e.g. (NULL)");
  EXPECT_EQ(Run(Unique({"k", "v"}), "nulls").detail, "1 duplicated key, e.g. (NULL, 'b')");
  EXPECT_EQ(Run(Unique({"v", "k"}), "nulls").detail, "1 duplicated key, e.g. ('b', NULL)");
}

TEST_F(DataTestsTest, UniqueOnSeveralColumns) {
  EXPECT_TRUE(Run(Unique({"user_id", "status"})).passed);
  session_.Execute(
      "CREATE VIEW pairs AS SELECT * FROM (VALUES (1, 'b'), (1, 'a'), (2, 'a'), (1, 'b'), "
      "(1, 'a')) AS t(x, y)");
  DataTestResult fail = Run(Unique({"x", "y"}), "pairs");
  EXPECT_EQ(fail.failing_rows, 2);
  EXPECT_EQ(fail.detail, "2 duplicated keys, e.g. (1, 'a'), (1, 'b')");
}

TEST_F(DataTestsTest, AcceptedValues) {
  EXPECT_TRUE(Run(Accepted("status", {"'open'", "'x'", "'y'", "'done'"})).passed);

  DataTestResult fail = Run(Accepted("status", {"'open'", "'done'"}));
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.failing_rows, 5);  // The NULL status is not counted: not_null checks those.
  EXPECT_EQ(fail.detail, "values not accepted: 'x' (4 rows), 'y' (1 row)");
}

TEST_F(DataTestsTest, AcceptedValuesListsTheMostFrequentFirst) {
  DataTestResult fail = Run(Accepted("status", {"'y'"}));
  EXPECT_EQ(fail.failing_rows, 10);
  EXPECT_EQ(fail.detail, "values not accepted: 'x' (4 rows), 'done' (3 rows), 'open' (3 rows)");
  DataTestResult more = Run(Accepted("id", {"1"}));
  EXPECT_EQ(more.failing_rows, 11);
  EXPECT_EQ(more.detail, "values not accepted: 2 (1 row), 3 (1 row), 4 (1 row) and 8 more values");
}

TEST_F(DataTestsTest, AcceptedValuesWithNumbers) {
  EXPECT_TRUE(Run(Accepted("user_id", {"1", "7", "9", "11", "17", "23"})).passed);
  DataTestResult fail = Run(Accepted("user_id", {"1", "7", "9", "11"}));
  EXPECT_EQ(fail.failing_rows, 3);
  EXPECT_EQ(fail.detail, "values not accepted: 17 (2 rows), 23 (1 row)");
  EXPECT_EQ(Run(Accepted("amount", {"10.5", "3.0", "1", "2", "4", "5", "6", "7"})).detail,
            "values not accepted: 8.0 (1 row)");  // A decimal keeps its scale.
}

TEST_F(DataTestsTest, AcceptedValuesQuotesStrings) {
  session_.Execute("CREATE VIEW q AS SELECT 'it''s' AS s");
  EXPECT_EQ(Run(Accepted("s", {"'its'"}), "q").detail, "values not accepted: 'it''s' (1 row)");
  EXPECT_TRUE(Run(Accepted("s", {"'it''s'"}), "q").passed);
}

TEST_F(DataTestsTest, RowCount) {
  DataTestResult pass = Run(RowCount(1, std::nullopt));
  EXPECT_TRUE(pass.passed);
  EXPECT_EQ(pass.failing_rows, 12);
  EXPECT_EQ(pass.detail, "12 rows");
  EXPECT_TRUE(Run(RowCount(12, 12)).passed);

  DataTestResult few = Run(RowCount(20, std::nullopt));
  EXPECT_FALSE(few.passed);
  EXPECT_EQ(few.failing_rows, 12);
  EXPECT_EQ(few.detail, "12 rows, expected at least 20");
  EXPECT_EQ(Run(RowCount(std::nullopt, 10)).detail, "12 rows, expected at most 10");
  EXPECT_EQ(Run(RowCount(1, 10)).detail, "12 rows, expected between 1 and 10");

  session_.Execute("CREATE VIEW empty AS SELECT * FROM orders WHERE id < 0");
  EXPECT_EQ(Run(RowCount(1, std::nullopt), "empty").detail, "0 rows, expected at least 1");
}

TEST_F(DataTestsTest, Relationships) {
  // users.user_id holds a NULL: with NOT IN every key would look missing (or none would).
  DataTestResult fail = Run(Relationship("user_id", "users", "user_id"));
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.failing_rows, 2);  // 17 (twice) and 23; NULL keys are not checked.
  EXPECT_EQ(fail.detail, "2 user_id values not in users.user_id, e.g. 17, 23");

  session_.Execute(
      "CREATE VIEW known AS SELECT * FROM orders WHERE user_id < 17 OR user_id IS NULL");
  EXPECT_TRUE(RunDataTest(session_, "known", Relationship("user_id", "users", "user_id")).passed);
}

TEST_F(DataTestsTest, RelationshipsWithStringKeys) {
  session_.Execute("CREATE VIEW statuses AS SELECT * FROM (VALUES ('open'), ('done')) AS t(name)");
  DataTestResult fail = Run(Relationship("status", "statuses", "name"));
  EXPECT_EQ(fail.failing_rows, 2);
  EXPECT_EQ(fail.detail, "2 status values not in statuses.name, e.g. 'x', 'y'");
}

TEST_F(DataTestsTest, ExpectEmpty) {
  EXPECT_TRUE(Run(ExpectEmpty("SELECT * FROM orders WHERE amount < 0")).passed);

  DataTestResult fail =
      Run(ExpectEmpty("SELECT id, status FROM orders WHERE amount IS NULL ORDER BY id;\n"));
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.failing_rows, 3);
  EXPECT_EQ(fail.detail, "3 rows, e.g. (2, 'x'), (8, 'done'), (10, 'done')");

  // A trailing comment does not swallow the query around it.
  DataTestResult one = Run(ExpectEmpty("SELECT id FROM orders WHERE status IS NULL -- none"));
  EXPECT_EQ(one.detail, "1 row, e.g. (5)");
}

TEST_F(DataTestsTest, ExpectEmptyWithABadQueryNamesTheTest) {
  DataTestSpec test = ExpectEmpty("SELECT * FROM orders WHERE amont < 0");
  std::string message = ErrorOf([&] { Run(test); });
  EXPECT_TRUE(
      message.starts_with("test expect_empty of model orders (line 7): line 1, column 28: "
                          "column \"amont\" not found; did you mean \"amount\"?"))
      << message;
  std::string checked = ErrorOf([&] { CheckDataTest(session_, "orders", test, "p.toml"); });
  EXPECT_TRUE(
      checked.starts_with("test expect_empty of model orders (p.toml line 7): line 1, "
                          "column 28: column \"amont\" not found"))
      << checked;
  EXPECT_NE(checked.find("\n  SELECT * FROM orders WHERE amont < 0\n"), std::string::npos);
}

TEST_F(DataTestsTest, CheckFindsAMissingColumn) {
  session_.Execute("CREATE VIEW net_revenue AS SELECT 'a' AS category, 1.5 AS revenue");
  DataTestSpec test = NotNull("categry");
  test.pos = {14, 3};
  try {
    CheckDataTest(session_, "net_revenue", test, "pipeline.toml");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(error.what()),
              "test not_null(categry) of model net_revenue (pipeline.toml line 14): column "
              "\"categry\" not found; did you mean \"category\"?");
  }
  EXPECT_NO_THROW(CheckDataTest(session_, "net_revenue", NotNull("category"), "pipeline.toml"));
}

TEST_F(DataTestsTest, CheckFindsAMissingTargetOfARelationship) {
  std::string message = ErrorOf([&] {
    CheckDataTest(session_, "orders", Relationship("user_id", "user", "user_id"), "p.toml",
                  "source");
  });
  EXPECT_TRUE(
      message.starts_with("test relationships of source orders (p.toml line 7): table "
                          "\"user\" not found"))
      << message;
}

TEST_F(DataTestsTest, CheckPassesEveryGoodTest) {
  for (const DataTestSpec& test :
       {NotNull("id"), Unique({"id", "status"}), Accepted("status", {"'x'"}),
        RowCount(1, std::nullopt), Relationship("user_id", "users", "user_id"),
        ExpectEmpty("SELECT 1 WHERE false")}) {
    EXPECT_NO_THROW(CheckDataTest(session_, "orders", test, "p.toml")) << test.label;
  }
}

}  // namespace
}  // namespace sluice::pipeline
