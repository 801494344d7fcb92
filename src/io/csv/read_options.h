// The options of the CSV reader, as `read_csv(...)` in SQL and the command line pass them. Every
// option that is unset (nullopt) is sniffed from the first rows of the first file, the way DuckDB's
// `read_csv` does, so that the common case needs no options at all.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/batch.h"
#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "core/types.h"

namespace sluice::io::csv {

struct CsvReadOptions {
  std::optional<char> delimiter;  ///< nullopt: sniff among , ; \t |
  char quote = '"';               ///< '\0' turns quoting off.
  std::optional<char> escape;     ///< nullopt: quotes are escaped by doubling ("")
  std::optional<char> comment;    ///< Lines starting with it are skipped.
  /// nullopt: sniff (a first row that does not fit the types of the rows below it is a header).
  std::optional<bool> header;
  /// Unquoted fields equal to one of these are null ("" quoted is an empty string, as DuckDB does).
  std::vector<std::string> null_strings = {""};
  int64_t skip_rows = 0;  ///< Lines skipped before the header.
  /// What to do with rows with too few/many fields: fail (naming the line), pad short rows with
  /// nulls (long rows still fail), or skip them and count the skips (rows_skipped()).
  enum class Ragged : uint8_t { kError, kPad, kSkip } ragged = Ragged::kError;
  int64_t sample_rows = 20480;                                 ///< Rows used for type inference.
  std::vector<std::pair<std::string, DataType>> column_types;  ///< Per-column overrides.
  std::vector<std::string> columns;  ///< Projection, in output order; empty = all.
  /// A predicate pushed into the scan, applied while reading (the executor sets it): the reader
  /// converts `filter_columns` (some of the projected columns) first, hands them to `row_filter`
  /// as a batch, and converts the other columns of the rows it keeps (their batch rows,
  /// ascending) only. Values in rows it drops are never converted, so they cannot fail either.
  std::vector<std::string> filter_columns;
  std::function<std::vector<int64_t>(const Batch&)> row_filter;
  int64_t batch_size = 64 * 1024;
  MemoryPool* pool = MemoryPool::Default();
  ThreadPool* threads = nullptr;  ///< The default pool when null.
};

}  // namespace sluice::io::csv
