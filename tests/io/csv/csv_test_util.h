// Helpers for the CSV reader tests: write a file, scan it whole, and look at the result as text
// (one string per cell, "NULL" for null) so that expectations read like the CSV they came from.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/batch.h"
#include "core/error.h"
#include "core/value_format.h"
#include "io/csv/reader.h"
#include "testing/temp_dir.h"

namespace sluice::io::csv::test {

using Rows = std::vector<std::vector<std::string>>;

/// Everything one scan produced.
struct ScanResult {
  SchemaPtr schema;
  std::vector<Batch> batches;
  Rows rows;
  int64_t skipped = 0;

  /// Column names and types as `name:type`.
  std::vector<std::string> Columns() const {
    std::vector<std::string> out;
    for (const Field& field : schema->fields())
      out.push_back(field.name + ":" + field.type.ToString());
    return out;
  }
};

inline std::string Cell(const Column& column, int64_t row) {
  return column.IsNull(row) ? "NULL" : FormatValue(column, row);
}

inline ScanResult Scan(const std::vector<std::string>& paths, CsvReadOptions options = {},
                       CsvChunking chunking = {}) {
  CsvScanner scanner(paths, std::move(options), chunking);
  ScanResult result;
  result.schema = scanner.schema();
  Batch batch;
  while (scanner.Next(&batch)) {
    EXPECT_EQ(batch.schema, result.schema);
    EXPECT_EQ(batch.seq, result.batches.size());
    for (int64_t row = 0; row < batch.num_rows; ++row) {
      std::vector<std::string> cells;
      for (const Column& column : batch.columns) {
        EXPECT_EQ(column.length, batch.num_rows);
        cells.push_back(Cell(column, row));
      }
      result.rows.push_back(std::move(cells));
    }
    result.batches.push_back(std::move(batch));
  }
  result.skipped = scanner.rows_skipped();
  return result;
}

/// Writes `content` to a file in `dir` and scans it.
inline ScanResult ScanText(const sluice::test::TempDir& dir, std::string_view content,
                           CsvReadOptions options = {}, CsvChunking chunking = {},
                           const std::string& name = "data.csv") {
  return Scan({dir.WriteFile(name, content)}, std::move(options), chunking);
}

/// The message of the sluice::Error a scan throws ("" when it throws none).
inline std::string ScanError(const sluice::test::TempDir& dir, std::string_view content,
                             CsvReadOptions options = {}, CsvChunking chunking = {},
                             const std::string& name = "data.csv") {
  try {
    ScanText(dir, content, std::move(options), chunking, name);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

/// Succeeds when `text` contains `part`, and prints both otherwise.
inline ::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

/// Chunking that cuts a small input into blocks and chunks of a few bytes.
inline CsvChunking Tiny(int64_t block_bytes = 16, int64_t chunk_bytes = 1) {
  return {block_bytes, chunk_bytes};
}

}  // namespace sluice::io::csv::test
