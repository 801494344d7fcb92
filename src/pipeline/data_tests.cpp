// Data tests as SQL: one query per test (data_tests.h), its result read back into a summary.
#include "pipeline/data_tests.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/value_format.h"

namespace sluice::pipeline {
namespace {

using Kind = DataTestSpec::Kind;

constexpr int kExamples = 3;
/// Longer example values are cut: a summary line is read, not parsed.
constexpr size_t kMaxValueBytes = 40;

std::string Quote(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string QuotedList(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& name : names) quoted.push_back(Quote(name));
  return fmt::format("{}", fmt::join(quoted, ", "));
}

/// The expect_empty query made fit to be a subquery: a trailing ';' would end the statement.
std::string SubquerySql(std::string_view sql) {
  while (!sql.empty() &&
         (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';'))
    sql.remove_suffix(1);
  return std::string(sql);
}

/// A query over the test's own SQL; the newline before ')' ends a trailing `--` comment.
std::string OverUserSql(const DataTestSpec& test, std::string_view select, std::string_view tail) {
  return fmt::format("SELECT {} FROM (\n{}\n) AS \"__q\"{}", select, SubquerySql(test.sql), tail);
}

/// "test not_null(c) of model m (pipeline.toml line 14): ".
std::string TestPrefix(const std::string& relation, const DataTestSpec& test,
                       const std::string& file, std::string_view relation_kind) {
  std::string where;
  if (test.pos.line > 0) {
    where = file.empty() ? fmt::format(" (line {})", test.pos.line)
                         : fmt::format(" ({} line {})", file, test.pos.line);
  }
  return fmt::format("test {} of {} {}{}: ", test.label, relation_kind, relation, where);
}

/// The binder's message without "line L, column C: " and the quoted line and caret below it:
/// they point into SQL the user never wrote.
std::string WithoutSqlPosition(std::string message) {
  if (message.starts_with("line ")) {
    size_t column = message.find(", column ");
    size_t colon = message.find(": ");
    if (column != std::string::npos && colon != std::string::npos && column < colon) {
      message.erase(0, colon + 2);
    }
  }
  if (size_t newline = message.find('\n'); newline != std::string::npos) message.resize(newline);
  return message;
}

/// Rethrows `error` of the test's query, kind kept, saying which test it came from.
[[noreturn]] void RethrowForTest(const Error& error, const std::string& relation,
                                 const DataTestSpec& test, const std::string& file,
                                 std::string_view relation_kind) {
  // An expect_empty query keeps its position: it points into SQL the user wrote.
  std::string message =
      test.kind == Kind::kExpectEmpty ? error.what() : WithoutSqlPosition(error.what());
  throw Error(error.kind(), TestPrefix(relation, test, file, relation_kind) + message);
}

/// A value as a SQL literal: numbers and booleans bare, NULL, anything else quoted.
std::string Literal(const Column& column, int64_t row) {
  if (column.IsNull(row)) return "NULL";
  std::string text = FormatValue(column, row);
  const DataType& type = column.type;
  if (type.IsInteger() || type.IsFloating() || type.id == TypeId::kDecimal ||
      type.id == TypeId::kBool) {
    return text;
  }
  if (text.size() > kMaxValueBytes) {
    size_t cut = kMaxValueBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "…";
  }
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

/// Columns [0, count) of row `row` as "(a, b)".
std::string Tuple(const Batch& batch, int64_t row, size_t count) {
  std::vector<std::string> values;
  for (size_t i = 0; i < count; ++i) values.push_back(Literal(batch.columns[i], row));
  return fmt::format("({})", fmt::join(values, ", "));
}

std::string Count(int64_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

/// The one row (or the examples) a test query returns.
Batch Query(sql::Session& session, const std::string& sql) {
  std::vector<sql::StatementResult> results = session.Execute(sql);
  SLUICE_CHECK(results.size() == 1 && results[0].kind == sql::StatementResult::Kind::kRows);
  return results[0].rows.Combined();
}

/// "__failing" of the first row; 0 when no row (nothing fails).
int64_t Failing(const Batch& batch) {
  if (batch.num_rows == 0) return 0;
  return batch.columns[batch.schema->FieldIndex("__failing")].Values<int64_t>()[0];
}

/// "(7), (9)" or "17, 23": the example rows' first `width` columns.
std::string Examples(const Batch& batch, size_t width, bool parenthesize) {
  std::vector<std::string> examples;
  for (int64_t row = 0; row < batch.num_rows; ++row) {
    examples.push_back(parenthesize ? Tuple(batch, row, width) : Literal(batch.columns[0], row));
  }
  return fmt::format("{}", fmt::join(examples, ", "));
}

std::string RowCountDetail(const DataTestSpec& test, int64_t rows, bool passed) {
  std::string detail = Count(rows, "row");
  if (passed) return detail;
  if (test.min_rows && test.max_rows) {
    return fmt::format("{}, expected between {} and {}", detail, *test.min_rows, *test.max_rows);
  }
  if (test.min_rows) return fmt::format("{}, expected at least {}", detail, *test.min_rows);
  return fmt::format("{}, expected at most {}", detail, *test.max_rows);
}

/// Runs the test's query and fills `result` (no prefixing of errors here).
void Run(sql::Session& session, const std::string& relation, const DataTestSpec& test,
         DataTestResult& result) {
  if (test.kind == Kind::kExpectEmpty) {
    session.PlanQuery(test.sql);  // So that a binder error points into the test's own SQL.
  }
  Batch batch = Query(session, DataTestSql(test, relation));
  int64_t failing = Failing(batch);
  result.failing_rows = failing;
  result.passed = failing == 0;
  switch (test.kind) {
    case Kind::kNotNull:
      if (failing > 0) result.detail = Count(failing, "null value");
      break;
    case Kind::kUnique:
      if (failing > 0) {
        result.detail = fmt::format("{}, e.g. {}", Count(failing, "duplicated key"),
                                    Examples(batch, test.columns.size(), true));
      }
      break;
    case Kind::kAcceptedValues:
      if (failing > 0) {
        std::vector<std::string> values;
        const int64_t* rows = batch.columns[1].Values<int64_t>();
        for (int64_t row = 0; row < batch.num_rows; ++row) {
          values.push_back(
              fmt::format("{} ({})", Literal(batch.columns[0], row), Count(rows[row], "row")));
        }
        int64_t distinct = batch.columns[batch.schema->FieldIndex("__values")].Values<int64_t>()[0];
        result.detail = fmt::format("values not accepted: {}", fmt::join(values, ", "));
        if (distinct > batch.num_rows) {
          int64_t more = distinct - batch.num_rows;
          result.detail += fmt::format(" and {} more value{}", more, more == 1 ? "" : "s");
        }
      }
      break;
    case Kind::kRowCount:
      result.passed = (!test.min_rows || failing >= *test.min_rows) &&
                      (!test.max_rows || failing <= *test.max_rows);
      result.detail = RowCountDetail(test, failing, result.passed);
      break;
    case Kind::kRelationships:
      if (failing > 0) {
        result.detail = fmt::format("{} {} {} not in {}.{}, e.g. {}", failing, test.columns[0],
                                    failing == 1 ? "value" : "values", test.to_relation,
                                    test.to_column, Examples(batch, 1, false));
      }
      break;
    case Kind::kExpectEmpty:
      if (failing > 0) {
        Batch examples =
            Query(session, OverUserSql(test, "*", fmt::format(" LIMIT {}", kExamples)));
        result.detail = fmt::format("{}, e.g. {}", Count(failing, "row"),
                                    Examples(examples, examples.columns.size(), true));
      }
      break;
  }
}

}  // namespace

std::string DataTestSql(const DataTestSpec& test, const std::string& relation) {
  const std::string rel = Quote(relation);
  const std::string column = test.columns.empty() ? std::string() : Quote(test.columns[0]);
  switch (test.kind) {
    case Kind::kNotNull:
      return fmt::format("SELECT count(*) AS \"__failing\" FROM {} WHERE {} IS NULL", rel, column);
    case Kind::kUnique: {
      // The duplicated keys, grouped once; the window counts them all before LIMIT keeps three.
      const std::string keys = QuotedList(test.columns);
      return fmt::format(
          "SELECT {0}, count(*) OVER () AS \"__failing\" FROM (SELECT {0} FROM {1} GROUP BY {0} "
          "HAVING count(*) > 1) AS \"__d\" ORDER BY {0} LIMIT {2}",
          keys, rel, kExamples);
    }
    case Kind::kAcceptedValues: {
      std::string filter = fmt::format("{} IS NOT NULL", column);
      if (!test.values.empty()) {
        filter += fmt::format(" AND {} NOT IN ({})", column, fmt::join(test.values, ", "));
      }
      // The most frequent unaccepted values first: those are the ones worth fixing.
      return fmt::format(
          "SELECT {0}, \"__rows\", sum(\"__rows\") OVER () AS \"__failing\", count(*) OVER () AS "
          "\"__values\" FROM (SELECT {0}, count(*) AS \"__rows\" FROM {1} WHERE {2} GROUP BY {0}) "
          "AS \"__d\" ORDER BY \"__rows\" DESC, {0} LIMIT {3}",
          column, rel, filter, kExamples);
    }
    case Kind::kRowCount: return fmt::format("SELECT count(*) AS \"__failing\" FROM {}", rel);
    case Kind::kRelationships:
      // Distinct keys first (a smaller anti join), then NOT EXISTS: unlike NOT IN, a NULL in the
      // target column does not make every key missing.
      return fmt::format(
          "SELECT {0}, count(*) OVER () AS \"__failing\" FROM (SELECT DISTINCT {0} FROM {1} WHERE "
          "{0} IS NOT NULL) AS \"__r\" WHERE NOT EXISTS (SELECT 1 FROM {2} AS \"__t\" WHERE "
          "\"__t\".{3} = \"__r\".{0}) ORDER BY {0} LIMIT {4}",
          column, rel, Quote(test.to_relation), Quote(test.to_column), kExamples);
    case Kind::kExpectEmpty: return OverUserSql(test, "count(*) AS \"__failing\"", "");
  }
  ThrowInternal("unknown data test kind {}", static_cast<int>(test.kind));
}

void CheckDataTest(sql::Session& session, const std::string& relation, const DataTestSpec& test,
                   const std::string& file, std::string_view relation_kind) {
  try {
    if (test.kind == Kind::kExpectEmpty) {
      session.PlanQuery(test.sql);
    }
    session.PlanQuery(DataTestSql(test, relation));
  } catch (const Error& error) {
    RethrowForTest(error, relation, test, file, relation_kind);
  }
}

DataTestResult RunDataTest(sql::Session& session, const std::string& relation,
                           const DataTestSpec& test, const std::string& file,
                           std::string_view relation_kind) {
  DataTestResult result;
  result.relation = relation;
  result.label = test.label;
  result.pos = test.pos;
  try {
    Run(session, relation, test, result);
  } catch (const Error& error) {
    RethrowForTest(error, relation, test, file, relation_kind);
  }
  return result;
}

}  // namespace sluice::pipeline
