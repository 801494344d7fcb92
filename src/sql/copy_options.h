// COPY's target and options: `COPY (query) TO 'out.parquet' (FORMAT parquet, COMPRESSION zstd,
// ROW_GROUP_SIZE 100000, PARTITION_BY (year, month))` or `TO 'out.csv' (HEADER, DELIMITER ';')`,
// read into a sink target the way DuckDB reads them. Unknown options are errors with a
// did-you-mean; options of the other format are errors too rather than silently ignored.
#pragma once

#include <string_view>

#include "plan/logical_plan.h"
#include "sql/ast.h"

namespace sluice::sql {

struct CopyRequest {
  /// Parquet and CSV stream through a sink; JSON (newline-delimited) is written from the rows.
  enum class Format : uint8_t { kParquet, kCsv, kJson } format = Format::kParquet;
  SinkTarget target;  ///< path, writer options, partition_by (format kParquet for JSON).
};

/// Reads the format (FORMAT, else from the extension: .parquet, .csv, .tsv, .json, .ndjson,
/// .jsonl) and the options of a kCopy statement.
CopyRequest ParseCopyOptions(const Statement& statement, std::string_view sql);

}  // namespace sluice::sql
