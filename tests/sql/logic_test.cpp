// The SQL logic tests (issue 6): runs every tests/sql/logic/*.test file, in the style of
// sqllogictest, through one sql::Session per file. One GoogleTest per file
// (LogicTest/LogicFile.Run/<file>); each failing record is reported with file:line, its SQL and
// expected vs actual. The record format is described in tests/sql/logic/README.md.
//
// SLUICE_LOGIC_REPORT=1 prints, after the run, passed/failed records per file and one line per
// failing record: the progress of the SQL front end at a glance.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/value_format.h"
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

fs::path LogicDir() {
  return SqlTestDir() / "logic";
}

std::vector<std::string> LogicFiles() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(LogicDir(), ec)) {
    if (entry.path().extension() == ".test") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// ----------------------------------------------------------------------------------------------
// Records.

struct Record {
  enum class Kind { kStatementOk, kStatementError, kQuery } kind = Kind::kStatementOk;
  int line = 0;  ///< 1-based line of the record's header.
  std::string sql;
  std::string types;  ///< query: one letter per column (I integer, R real, T text).
  enum class Sort { kNone, kRowSort, kContains } sort = Sort::kNone;
  bool has_expected = false;          ///< A `----` line was written.
  std::vector<std::string> expected;  ///< The lines after `----`.
};

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

/// Parses a .test file; a malformed header is a parse error naming the line.
std::vector<Record> ParseRecords(const std::string& text, const std::string& file,
                                 std::vector<std::string>* errors) {
  std::vector<std::string> lines = Split(text, '\n');
  for (std::string& line : lines) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
  }
  std::vector<Record> records;
  size_t i = 0;
  auto blank = [&](size_t k) { return Trim(lines[k]).empty(); };
  while (i < lines.size()) {
    if (blank(i) || lines[i].starts_with("#")) {
      ++i;
      continue;
    }
    Record record;
    record.line = static_cast<int>(i) + 1;
    std::vector<std::string> words = SplitWords(lines[i]);
    if (words[0] == "statement" && words.size() == 2 && words[1] == "ok") {
      record.kind = Record::Kind::kStatementOk;
    } else if (words[0] == "statement" && words.size() == 2 && words[1] == "error") {
      record.kind = Record::Kind::kStatementError;
    } else if (words[0] == "query") {
      record.kind = Record::Kind::kQuery;
      for (size_t w = 1; w < words.size(); ++w) {
        if (words[w] == "nosort") {
          record.sort = Record::Sort::kNone;
        } else if (words[w] == "rowsort") {
          record.sort = Record::Sort::kRowSort;
        } else if (words[w] == "contains") {
          record.sort = Record::Sort::kContains;
        } else if (record.types.empty() && words[w].find_first_not_of("ITR") == std::string::npos) {
          record.types = words[w];
        } else {
          errors->push_back(fmt::format("{}:{}: unknown word '{}' in '{}'", file, record.line,
                                        words[w], lines[i]));
        }
      }
    } else {
      errors->push_back(
          fmt::format("{}:{}: expected 'statement ok', 'statement error' or "
                      "'query TYPES [nosort|rowsort|contains]', found '{}'",
                      file, record.line, lines[i]));
      // Skip to the next blank line.
      while (i < lines.size() && !blank(i)) ++i;
      continue;
    }
    ++i;
    std::string sql;
    while (i < lines.size() && !blank(i) && lines[i] != "----") {
      if (!lines[i].starts_with("#")) sql += (sql.empty() ? "" : "\n") + lines[i];
      ++i;
    }
    record.sql = sql;
    if (i < lines.size() && lines[i] == "----") {
      record.has_expected = true;
      ++i;
      while (i < lines.size() && !blank(i)) record.expected.push_back(lines[i++]);
    }
    if (record.sql.empty()) {
      errors->push_back(fmt::format("{}:{}: the record has no SQL", file, record.line));
      continue;
    }
    records.push_back(std::move(record));
  }
  return records;
}

// ----------------------------------------------------------------------------------------------
// Values as text.

/// A real number to 6 significant digits in plain decimal notation without trailing zeros
/// ("2.5", "1234570", "0.000123457"); fill_expected.mjs has the same function (normalizeReal).
std::string NormalizeReal(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";
  std::string sci = fmt::format("{:.5e}", value);  // -1.23457e+06
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  size_t e = sci.find('e');
  int exponent = std::stoi(sci.substr(e + 1));
  std::string digits = sci.substr(0, 1) + sci.substr(2, e - 2);  // 123457
  std::string out;
  if (exponent < 0) {
    out = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  } else if (exponent + 1 >= static_cast<int>(digits.size())) {
    out = digits + std::string(static_cast<size_t>(exponent + 1) - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(exponent) + 1) + "." +
          digits.substr(static_cast<size_t>(exponent) + 1);
  }
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return (negative ? "-" : "") + out;
}

bool ParseDouble(const std::string& text, double* value) {
  if (text.empty()) return false;
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

bool IsNumeric(TypeId id) {
  switch (id) {
    case TypeId::kBool:
    case TypeId::kUtf8:
    case TypeId::kBinary:
    case TypeId::kFixedSizeBinary:
    case TypeId::kUuid:
    case TypeId::kDate32:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
    case TypeId::kDuration: return false;
    default: return true;
  }
}

/// One cell as the .test files write it: NULL, (empty) for '', reals normalized in R columns.
std::string CellText(const Column& column, int64_t row, char type) {
  if (column.IsNull(row)) return "NULL";
  std::string text = FormatValue(column, row);
  if (type == 'R' && IsNumeric(column.type.id)) {
    double value = 0;
    if (ParseDouble(text, &value)) return NormalizeReal(value);
  }
  if (text.empty()) return "(empty)";
  return text;
}

using Rows = std::vector<std::vector<std::string>>;

Rows ResultRows(const StatementResult& result, const std::string& types) {
  Rows rows;
  if (result.kind != StatementResult::Kind::kRows) {
    // EXPLAIN's plan and messages: one single-column row per line.
    for (const std::string& line : Split(result.text, '\n')) {
      if (!line.empty()) rows.push_back({line});
    }
    return rows;
  }
  Batch batch = result.rows.Combined();
  for (int64_t r = 0; r < batch.num_rows; ++r) {
    std::vector<std::string> row;
    for (size_t c = 0; c < batch.columns.size(); ++c) {
      char type = c < types.size() ? types[c] : 'T';
      row.push_back(CellText(batch.columns[c], r, type));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

bool SameCell(const std::string& actual, const std::string& expected, char type) {
  if (actual == expected) return true;
  double a = 0, b = 0;
  // Reals agree to a relative 1e-5: both sides were rounded to 6 digits.
  if (type == 'R' && ParseDouble(actual, &a) && ParseDouble(expected, &b)) {
    return std::abs(a - b) <= 1e-5 * std::max(std::abs(a), std::abs(b));
  }
  return false;
}

std::string JoinRow(const std::vector<std::string>& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) out += (i ? "\t" : "") + row[i];
  return out;
}

std::string ShowRows(const std::vector<std::string>& lines) {
  std::string out;
  size_t shown = std::min<size_t>(lines.size(), 30);
  for (size_t i = 0; i < shown; ++i) out += "    " + lines[i] + "\n";
  if (shown < lines.size()) out += fmt::format("    ... ({} rows in all)\n", lines.size());
  if (lines.empty()) out += "    (no rows)\n";
  return out;
}

/// Compares a query's rows with the record's expectation; empty when they agree, else why.
std::string CompareQuery(const Record& record, const StatementResult& result) {
  Rows rows = ResultRows(result, record.types);
  std::vector<std::string> actual_lines;
  for (const auto& row : rows) actual_lines.push_back(JoinRow(row));

  if (record.sort == Record::Sort::kContains) {
    std::string text;
    for (const std::string& line : actual_lines) text += line + "\n";
    size_t at = 0;
    for (const std::string& part : record.expected) {
      size_t found = text.find(part, at);
      if (found == std::string::npos) {
        return fmt::format("the result does not contain (in order) '{}'\n  result:\n{}", part,
                           ShowRows(actual_lines));
      }
      at = found + part.size();
    }
    return "";
  }

  if (result.kind == StatementResult::Kind::kRows && !record.types.empty()) {
    size_t columns = static_cast<size_t>(result.rows.schema ? result.rows.schema->size() : 0);
    if (columns != record.types.size()) {
      return fmt::format("{} columns, expected {} ('{}')\n  actual:\n{}", columns,
                         record.types.size(), record.types, ShowRows(actual_lines));
    }
  }
  Rows expected;
  for (const std::string& line : record.expected) expected.push_back(Split(line, '\t'));
  std::vector<std::string> expected_lines = record.expected;
  if (record.sort == Record::Sort::kRowSort) {
    std::sort(rows.begin(), rows.end());
    std::sort(expected.begin(), expected.end());
    actual_lines.clear();
    expected_lines.clear();
    for (const auto& row : rows) actual_lines.push_back(JoinRow(row));
    for (const auto& row : expected) expected_lines.push_back(JoinRow(row));
  }
  std::string why;
  if (rows.size() != expected.size()) {
    why = fmt::format("{} rows, expected {}", rows.size(), expected.size());
  } else {
    for (size_t r = 0; r < rows.size() && why.empty(); ++r) {
      if (rows[r].size() != expected[r].size()) {
        why = fmt::format("row {} has {} values, expected {}", r + 1, rows[r].size(),
                          expected[r].size());
        break;
      }
      for (size_t c = 0; c < rows[r].size(); ++c) {
        char type = c < record.types.size() ? record.types[c] : 'T';
        if (!SameCell(rows[r][c], expected[r][c], type)) {
          why = fmt::format("row {}, column {}: '{}', expected '{}'", r + 1, c + 1, rows[r][c],
                            expected[r][c]);
          break;
        }
      }
    }
  }
  if (why.empty()) return "";
  return fmt::format("{}\n  expected:\n{}  actual:\n{}", why, ShowRows(expected_lines),
                     ShowRows(actual_lines));
}

// ----------------------------------------------------------------------------------------------
// The report of SLUICE_LOGIC_REPORT=1.

struct FileOutcome {
  int passed = 0;
  int failed = 0;
  std::vector<std::string> failures;  ///< "file:line: first line of the reason"
};

std::map<std::string, FileOutcome>& Outcomes() {
  static std::map<std::string, FileOutcome> outcomes;
  return outcomes;
}

bool ReportWanted() {
  const char* value = std::getenv("SLUICE_LOGIC_REPORT");
  return value != nullptr && *value != '\0' && std::string(value) != "0";
}

class ReportEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    if (!ReportWanted() || Outcomes().empty()) return;
    int passed = 0, failed = 0;
    std::string failures;
    std::string table = "\n=== SQL logic tests: records passed / failed per file ===\n";
    for (const auto& [file, outcome] : Outcomes()) {
      passed += outcome.passed;
      failed += outcome.failed;
      table +=
          fmt::format("  {:<32} {:>4} passed {:>4} failed\n", file, outcome.passed, outcome.failed);
      for (const std::string& failure : outcome.failures) failures += "  " + failure + "\n";
    }
    table += fmt::format("  {:<32} {:>4} passed {:>4} failed (of {})\n", "TOTAL", passed, failed,
                         passed + failed);
    std::printf("%s\n=== failing records ===\n%s\n", table.c_str(), failures.c_str());
    std::fflush(stdout);
  }
};

[[maybe_unused]] ::testing::Environment* const kReport =
    ::testing::AddGlobalTestEnvironment(new ReportEnvironment);

// ----------------------------------------------------------------------------------------------
// Running a file.

/// The folder `${TMP}` stands for: fresh per file, under $SLUICE_TEST_TMP (ctest sets it).
fs::path TempFolder(const std::string& stem) {
  const char* base = std::getenv("SLUICE_TEST_TMP");
  fs::path root = base && *base ? fs::path(base) : fs::temp_directory_path() / "sluice_test";
  fs::path dir = root / "logic" / stem;
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  return dir;
}

std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

class LogicFile : public ::testing::TestWithParam<std::string> {};

TEST_P(LogicFile, Run) {
  const std::string stem = GetParam();
  const fs::path path = LogicDir() / (stem + ".test");
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string tmp = TempFolder(stem).string();
  const std::string file = stem + ".test";

  std::vector<std::string> parse_errors;
  std::vector<Record> records = ParseRecords(buffer.str(), file, &parse_errors);
  for (const std::string& error : parse_errors) ADD_FAILURE() << error;

  FileOutcome& outcome = Outcomes()[stem];
  outcome = {};
  Session session;
  for (Record record : records) {
    record.sql = ReplaceAll(record.sql, "${TMP}", tmp);
    for (std::string& line : record.expected) line = ReplaceAll(line, "${TMP}", tmp);

    std::string why;
    std::vector<StatementResult> results;
    std::string error;
    bool threw = false;
    try {
      results = session.Execute(record.sql);
    } catch (const std::exception& e) {
      threw = true;
      error = e.what();
    }
    switch (record.kind) {
      case Record::Kind::kStatementOk:
        if (threw) why = "failed: " + error;
        break;
      case Record::Kind::kStatementError: {
        std::string wanted;
        for (const std::string& line : record.expected)
          wanted += (wanted.empty() ? "" : "\n") + line;
        if (!threw) {
          why = "succeeded, expected an error" + (wanted.empty() ? "" : " containing: " + wanted);
        } else if (error.find(wanted) == std::string::npos) {
          why = fmt::format(
              "failed with a different message\n  expected to contain:\n    {}\n  "
              "actual:\n    {}",
              ReplaceAll(wanted, "\n", "\n    "), ReplaceAll(error, "\n", "\n    "));
        }
        break;
      }
      case Record::Kind::kQuery:
        if (threw) {
          why = "failed: " + error;
        } else if (!record.has_expected) {
          why = "has no expected result (run tests/sql/logic/fill_expected.mjs)";
        } else if (results.empty()) {
          why = "returned no result";
        } else {
          why = CompareQuery(record, results.back());
        }
        break;
    }
    if (why.empty()) {
      ++outcome.passed;
      continue;
    }
    ++outcome.failed;
    outcome.failures.push_back(fmt::format("{}:{}: {}  [{}]", file, record.line, FirstLine(why),
                                           FirstLine(record.sql).substr(0, 100)));
    ADD_FAILURE_AT(path.string().c_str(), record.line)
        << file << ":" << record.line << ": " << why << "\n  SQL:\n    "
        << ReplaceAll(record.sql, "\n", "\n    ");
  }
}

INSTANTIATE_TEST_SUITE_P(LogicTest, LogicFile, ::testing::ValuesIn(LogicFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(LogicFile);

}  // namespace
}  // namespace sluice::sql
